//! crossterm's events as the app's own input types ([`crate::app::input`]): the one place that
//! knows both. Keys the app has no use for (media keys, lone modifiers, caps lock …) and focus
//! events become nothing.

use crate::app::input::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use crossterm::event as ct;

/// A terminal event as the app's, or `None` for one the app ignores.
pub fn event(ev: ct::Event) -> Option<Event> {
    match ev {
        ct::Event::Key(k) => key(k).map(Event::Key),
        ct::Event::Mouse(m) => mouse(m).map(Event::Mouse),
        ct::Event::Resize(w, h) => Some(Event::Resize(w, h)),
        ct::Event::Paste(text) => Some(Event::Paste(text)),
        _ => None,
    }
}

fn key(k: ct::KeyEvent) -> Option<KeyEvent> {
    let code = match k.code {
        ct::KeyCode::Backspace => KeyCode::Backspace,
        ct::KeyCode::Enter => KeyCode::Enter,
        ct::KeyCode::Left => KeyCode::Left,
        ct::KeyCode::Right => KeyCode::Right,
        ct::KeyCode::Up => KeyCode::Up,
        ct::KeyCode::Down => KeyCode::Down,
        ct::KeyCode::Home => KeyCode::Home,
        ct::KeyCode::End => KeyCode::End,
        ct::KeyCode::PageUp => KeyCode::PageUp,
        ct::KeyCode::PageDown => KeyCode::PageDown,
        ct::KeyCode::Tab => KeyCode::Tab,
        ct::KeyCode::BackTab => KeyCode::BackTab,
        ct::KeyCode::Delete => KeyCode::Delete,
        ct::KeyCode::Insert => KeyCode::Insert,
        ct::KeyCode::F(n) => KeyCode::F(n),
        ct::KeyCode::Char(c) => KeyCode::Char(c),
        ct::KeyCode::Null => KeyCode::Null,
        ct::KeyCode::Esc => KeyCode::Esc,
        _ => return None,
    };
    let kind = match k.kind {
        ct::KeyEventKind::Press => KeyEventKind::Press,
        ct::KeyEventKind::Repeat => KeyEventKind::Repeat,
        ct::KeyEventKind::Release => KeyEventKind::Release,
    };
    Some(KeyEvent { code, modifiers: modifiers(k.modifiers), kind })
}

fn modifiers(m: ct::KeyModifiers) -> KeyModifiers {
    let mut out = KeyModifiers::NONE;
    for (theirs, ours) in [
        (ct::KeyModifiers::SHIFT, KeyModifiers::SHIFT),
        (ct::KeyModifiers::CONTROL, KeyModifiers::CONTROL),
        (ct::KeyModifiers::ALT, KeyModifiers::ALT),
    ] {
        if m.contains(theirs) {
            out = out | ours;
        }
    }
    out
}

fn button(b: ct::MouseButton) -> MouseButton {
    match b {
        ct::MouseButton::Left => MouseButton::Left,
        ct::MouseButton::Right => MouseButton::Right,
        ct::MouseButton::Middle => MouseButton::Middle,
    }
}

fn mouse(m: ct::MouseEvent) -> Option<MouseEvent> {
    let kind = match m.kind {
        ct::MouseEventKind::Down(b) => MouseEventKind::Down(button(b)),
        ct::MouseEventKind::Up(b) => MouseEventKind::Up(button(b)),
        ct::MouseEventKind::Drag(b) => MouseEventKind::Drag(button(b)),
        ct::MouseEventKind::Moved => MouseEventKind::Moved,
        ct::MouseEventKind::ScrollDown => MouseEventKind::ScrollDown,
        ct::MouseEventKind::ScrollUp => MouseEventKind::ScrollUp,
        ct::MouseEventKind::ScrollLeft => MouseEventKind::ScrollLeft,
        ct::MouseEventKind::ScrollRight => MouseEventKind::ScrollRight,
    };
    Some(MouseEvent { kind, column: m.column, row: m.row, modifiers: modifiers(m.modifiers) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_code_modifiers_and_kind() {
        let mut k = ct::KeyEvent::new(ct::KeyCode::Char('s'), ct::KeyModifiers::CONTROL | ct::KeyModifiers::SHIFT);
        k.kind = ct::KeyEventKind::Release;
        let Some(Event::Key(ours)) = event(ct::Event::Key(k)) else { panic!("a key") };
        assert_eq!(ours.code, KeyCode::Char('s'));
        assert_eq!(ours.modifiers, KeyModifiers::CONTROL | KeyModifiers::SHIFT);
        assert_eq!(ours.kind, KeyEventKind::Release);
        let caps = ct::KeyEvent::new(ct::KeyCode::CapsLock, ct::KeyModifiers::NONE);
        assert_eq!(event(ct::Event::Key(caps)), None);
        assert_eq!(event(ct::Event::FocusGained), None);
    }

    #[test]
    fn a_click_keeps_its_cell_and_button() {
        let m = ct::MouseEvent {
            kind: ct::MouseEventKind::Down(ct::MouseButton::Right),
            column: 7,
            row: 9,
            modifiers: ct::KeyModifiers::ALT,
        };
        let Some(Event::Mouse(ours)) = event(ct::Event::Mouse(m)) else { panic!("a click") };
        assert_eq!(ours.kind, MouseEventKind::Down(MouseButton::Right));
        assert_eq!((ours.column, ours.row, ours.modifiers), (7, 9, KeyModifiers::ALT));
    }
}
