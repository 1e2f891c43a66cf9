//! Input and screen geometry in the app's own types: keys, mouse events, positions and areas.
//!
//! The app knows no terminal library. `tui.rs` turns crossterm's events into these and `ui`
//! reports where it drew panes as [`Area`]s, so the keymap, the update and the tests work on
//! plain values (a test builds a [`KeyEvent`] and checks the message that comes out).

use std::ops::{BitAnd, BitOr};

/// A key, without its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Backspace,
    Enter,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
    /// Shift-Tab.
    BackTab,
    Delete,
    Insert,
    /// A function key, F1…
    F(u8),
    Char(char),
    /// A key the terminal reports without a code (some terminals' Ctrl-Space).
    Null,
    Esc,
}

/// Shift, Ctrl and Alt, as a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyModifiers(u8);

impl KeyModifiers {
    pub const NONE: KeyModifiers = KeyModifiers(0);
    pub const SHIFT: KeyModifiers = KeyModifiers(1);
    pub const CONTROL: KeyModifiers = KeyModifiers(2);
    pub const ALT: KeyModifiers = KeyModifiers(4);

    /// Whether every modifier of `other` is held.
    pub const fn contains(self, other: KeyModifiers) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for KeyModifiers {
    type Output = KeyModifiers;
    fn bitor(self, rhs: KeyModifiers) -> KeyModifiers {
        KeyModifiers(self.0 | rhs.0)
    }
}

impl BitAnd for KeyModifiers {
    type Output = KeyModifiers;
    fn bitand(self, rhs: KeyModifiers) -> KeyModifiers {
        KeyModifiers(self.0 & rhs.0)
    }
}

/// Whether a key went down, repeats or came up (terminals that report releases send both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyEventKind {
    Press,
    Repeat,
    Release,
}

/// One key event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyEvent {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub kind: KeyEventKind,
}

impl KeyEvent {
    /// A key press.
    pub const fn new(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent { code, modifiers, kind: KeyEventKind::Press }
    }
}

impl From<KeyCode> for KeyEvent {
    fn from(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MouseButton {
    Left,
    Right,
    Middle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MouseEventKind {
    Down(MouseButton),
    Up(MouseButton),
    Drag(MouseButton),
    Moved,
    ScrollDown,
    ScrollUp,
    ScrollLeft,
    ScrollRight,
}

/// A mouse event at a screen cell (column, row from the top-left corner).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MouseEvent {
    pub kind: MouseEventKind,
    pub column: u16,
    pub row: u16,
    pub modifiers: KeyModifiers,
}

/// What the terminal can tell the app.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// The terminal's new size, columns and rows.
    Resize(u16, u16),
    /// Text pasted while bracketed paste is on: text, never keys.
    Paste(String),
}

/// A cell: a column and a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Position {
    pub x: u16,
    pub y: u16,
}

/// A rectangle of cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    /// Whether the cell is inside.
    pub fn contains(&self, p: Position) -> bool {
        p.x >= self.x
            && p.y >= self.y
            && u32::from(p.x) < u32::from(self.x) + u32::from(self.width)
            && u32::from(p.y) < u32::from(self.y) + u32::from(self.height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_holds_its_cells_and_not_the_ones_past_its_edge() {
        let a = Area { x: 2, y: 3, width: 4, height: 2 };
        assert!(a.contains(Position { x: 2, y: 3 }));
        assert!(a.contains(Position { x: 5, y: 4 }));
        assert!(!a.contains(Position { x: 6, y: 4 }));
        assert!(!a.contains(Position { x: 5, y: 5 }));
        assert!(!a.contains(Position { x: 1, y: 3 }));
        let edge = Area { x: u16::MAX - 1, y: 0, width: 1, height: 1 };
        assert!(edge.contains(Position { x: u16::MAX - 1, y: 0 }));
        assert!(!edge.contains(Position { x: u16::MAX, y: 0 }));
    }

    #[test]
    fn modifiers_are_a_set() {
        let m = KeyModifiers::CONTROL | KeyModifiers::SHIFT;
        assert!(m.contains(KeyModifiers::CONTROL) && m.contains(KeyModifiers::SHIFT));
        assert!(!m.contains(KeyModifiers::ALT));
        assert!(m.contains(KeyModifiers::NONE));
        assert_eq!(m & KeyModifiers::CONTROL, KeyModifiers::CONTROL);
    }
}
