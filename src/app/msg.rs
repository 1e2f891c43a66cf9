//! The one message type: everything that can happen to the app, from a key press to a timer tick.
//!
//! The keymap turns terminal events into messages; [`super::update::update`] is the only place
//! that acts on them.

use super::input::Position;
use super::{Pane, Viewport};

/// Editing a line of text (form fields, the tree filter, the file picker's path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMsg {
    Char(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Clear the whole line.
    Clear,
}

/// The VPC tree pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeMsg {
    Up,
    Down,
    /// Collapse, or go to the parent.
    Left,
    /// Expand.
    Right,
    Toggle,
    First,
    Last,
    PageUp,
    PageDown,
    /// Enter: edit a resource, toggle a group.
    Activate,
    /// Open the add menu for the selected node's context.
    Add,
    Edit,
    Delete,
    /// Start typing a filter.
    StartFilter,
    /// Drop the filter.
    ClearFilter,
    ExpandAll,
    CollapseAll,
}

/// The tree filter line while it has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterMsg {
    Input(InputMsg),
    /// Keep the filter and give the keys back to the tree.
    Accept,
    /// Drop the filter.
    Cancel,
}

/// A form popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMsg {
    Input(InputMsg),
    NextField,
    PrevField,
    /// Cycle a choice or yes/no field forward (+1) or back (-1); move a multi picker's
    /// highlight.
    Cycle(i8),
    /// Tick or untick a multi picker's highlighted option.
    Toggle,
    Submit,
    Cancel,
}

/// A list popup: the add menu or the file picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListMsg {
    Up,
    Down,
    First,
    Last,
    Select,
    Cancel,
    /// The picker's path/filter line.
    Input(InputMsg),
}

/// A yes/no question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmMsg {
    Yes,
    No,
    /// The third answer some questions have ("save, then quit").
    Save,
    /// Discard (the recovery question: the only answer that deletes the file).
    Discard,
    /// Reload the file from disk (the file changed on disk).
    Reload,
    /// Save as another file instead.
    SaveAs,
}

/// Everything that can happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// Time passes (drives autosave, status timeouts, and later animations).
    Tick,
    /// The terminal changed size: nothing to do but draw again.
    Resize(u16, u16),
    /// Text pasted (bracketed paste): typed into the text field on top, never keys.
    Paste(String),
    /// A click in a pane, at a position relative to the pane's top-left corner.
    Click(Pane, Position),
    /// A click on a popup's row (an item of a list, a form's field).
    PopupClick(super::PopupHit),
    /// A click on a row of a pane's table, the lab panel or a picker.
    RowClick(super::RowHit),
    /// What the last frame showed (pane rectangles, the tree's rows, help's scroll limit).
    Viewport(Viewport),
    /// Quit, asking first when there are unsaved changes.
    Quit,
    FocusNext,
    FocusPrev,
    Focus(Pane),
    ToggleZoom,
    /// Leave zoom; otherwise nothing.
    Escape,
    ShowHelp,
    CloseHelp,
    /// Scroll the help overlay.
    HelpScroll(i16),
    NextTheme,
    Undo,
    Redo,
    Save,
    SaveAs,
    Open,
    /// "New design…": ask for a name and a region.
    NewDesign,
    /// Start a packet trace from the selection (the trace engine lands separately).
    Trace,
    /// Scroll a pane's content by lines (the mouse wheel; the trace pane's keys).
    Scroll(Pane, i16),
    Tree(TreeMsg),
    Filter(FilterMsg),
    Form(FormMsg),
    List(ListMsg),
    Confirm(ConfirmMsg),
    /// The animated trace view and its picker.
    TraceView(super::trace_view::TraceMsg),
    /// The guided-lab panel and picker.
    Lab(super::lab::LabMsg),
    /// The subnet planner pane.
    Planner(super::planner::PlannerMsg),
    /// The route table pane.
    Routes(super::routes::RoutesMsg),
    /// The reachability view, the audit list and the what-if's flows.
    Reach(super::reach::ReachMsg),
    /// The topology map pane.
    Map(super::map::MapMsg),
}

/// Whether a handler took a message. A key that means something to several layers (the focused
/// pane's Esc, then the lab's, then the global one) goes to each in turn until one takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    Yes,
    /// Nothing to do here: offer the key to the next layer.
    No,
}
