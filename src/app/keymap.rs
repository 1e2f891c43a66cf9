//! Keys to messages, by layer: the top of the modal stack alone, else the focused pane, the labs
//! and the global keys in turn (a key goes on while a handler says it did not take it).
//!
//! Every binding lives in a table below, and the help overlay is drawn from the same tables,
//! so the two cannot drift apart. Nothing here needs a terminal: tests build `KeyEvent`s and
//! check the message that comes out.

use super::forms::FieldKind;
use super::input::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind, Position,
};
use super::lab::LabMsg;
use super::map::MapMsg;
use super::msg::{ConfirmMsg, FilterMsg, FormMsg, InputMsg, ListMsg, Msg, TreeMsg};
use super::planner::PlannerMsg;
use super::reach::ReachMsg;
use super::routes::RoutesMsg;
use super::trace_view::TraceMsg;
use super::{App, Modal, Pane, Pending, Popup, PopupHit};

/// One key, as a binding table names it. Shift is ignored when matching (terminals disagree
/// about reporting it); Ctrl and Alt must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn new(code: KeyCode) -> Key {
        Key { code, mods: KeyModifiers::NONE }
    }
    pub const fn ch(c: char) -> Key {
        Key::new(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
    }

    /// Whether a key event is this key.
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let strip = |m: KeyModifiers| m & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code_eq = match (self.code, ev.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) if self.mods.contains(KeyModifiers::CONTROL) => {
                a.eq_ignore_ascii_case(&b)
            }
            (a, b) => a == b,
        };
        code_eq && strip(self.mods) == strip(ev.modifiers)
    }

    /// How the help overlay and status bar write the key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{base}")
        } else {
            base
        }
    }
}

/// A row of a binding table.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: &'static [Key],
    pub msg: Msg,
    pub help: &'static str,
    /// Listed in help but matched elsewhere (text input, choice fields).
    pub help_only: bool,
}

const fn b(keys: &'static [Key], msg: Msg, help: &'static str) -> Binding {
    Binding { keys, msg, help, help_only: false }
}

const fn doc(keys: &'static [Key], msg: Msg, help: &'static str) -> Binding {
    Binding { keys, msg, help, help_only: true }
}

/// Where keys go. Popups come first, then the focused pane, then global keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Global,
    Tree,
    Planner,
    Routes,
    Trace,
    /// The topology map.
    Map,
    Filter,
    Form,
    Menu,
    Picker,
    Confirm,
    Help,
    /// The trace picker (from, to, protocol, port).
    TracePicker,
    /// The lab picker.
    LabPicker,
    /// Labs and re-trace: live everywhere, after the focused pane's keys.
    Lab,
    /// The reachability view, the audit list and the what-if's flows.
    Reach,
}

impl Layer {
    /// Every layer.
    pub const ALL: [Layer; 16] = [
        Layer::Global,
        Layer::Tree,
        Layer::Planner,
        Layer::Routes,
        Layer::Trace,
        Layer::Map,
        Layer::Filter,
        Layer::Form,
        Layer::Menu,
        Layer::Picker,
        Layer::Confirm,
        Layer::Help,
        Layer::TracePicker,
        Layer::LabPicker,
        Layer::Lab,
        Layer::Reach,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Layer::Global => "Everywhere",
            Layer::Tree => "VPC tree",
            Layer::Planner => "Subnet planner",
            Layer::Routes => "Route tables",
            Layer::Trace => "Trace",
            Layer::Map => "Topology map",
            Layer::Filter => "Tree filter",
            Layer::Form => "Form",
            Layer::Menu => "Add menu",
            Layer::Picker => "Open a design",
            Layer::Confirm => "Question",
            Layer::Help => "Help",
            Layer::TracePicker => "Trace a packet",
            Layer::LabPicker => "Guided labs",
            Layer::Lab => "Labs and re-trace",
            Layer::Reach => "Reachability, audit, what-if",
        }
    }

    /// The layer of a pane.
    pub fn of_pane(p: Pane) -> Layer {
        match p {
            Pane::Tree => Layer::Tree,
            Pane::Planner => Layer::Planner,
            Pane::Routes => Layer::Routes,
            Pane::Trace => Layer::Trace,
            Pane::Map => Layer::Map,
        }
    }
}

use KeyCode as K;

const UP: Key = Key::new(K::Up);
const DOWN: Key = Key::new(K::Down);
const LEFT: Key = Key::new(K::Left);
const RIGHT: Key = Key::new(K::Right);
const ENTER: Key = Key::new(K::Enter);
const ESC: Key = Key::new(K::Esc);
const TAB: Key = Key::new(K::Tab);
const BACKTAB: Key = Key::new(K::BackTab);
const PGUP: Key = Key::new(K::PageUp);
const PGDN: Key = Key::new(K::PageDown);
const HOME: Key = Key::new(K::Home);
const END: Key = Key::new(K::End);
const F1: Key = Key::new(K::F(1));

static GLOBAL: &[Binding] = &[
    b(&[TAB], Msg::FocusNext, "focus the next pane"),
    b(&[BACKTAB], Msg::FocusPrev, "focus the previous pane"),
    b(&[Key::ch('1')], Msg::Focus(Pane::Tree), "focus the VPC tree"),
    b(&[Key::ch('2')], Msg::Focus(Pane::Planner), "focus the subnet planner"),
    b(&[Key::ch('3')], Msg::Focus(Pane::Routes), "focus the route tables"),
    b(&[Key::ch('4')], Msg::Focus(Pane::Trace), "focus the trace view"),
    b(&[Key::ch('5')], Msg::Focus(Pane::Map), "focus the topology map (shown beside the tree)"),
    b(&[Key::ch('V')], Msg::Map(MapMsg::Toggle), "topology map: show it beside the tree (again: hide it)"),
    b(&[Key::ch('z')], Msg::ToggleZoom, "zoom: give the focused pane the whole screen"),
    b(&[ESC], Msg::Escape, "leave zoom, clear the filter"),
    b(&[Key::ch('?'), F1], Msg::ShowHelp, "this help"),
    b(&[Key::ctrl('s')], Msg::Save, "save"),
    b(&[Key::ch('S')], Msg::SaveAs, "save as…"),
    b(
        &[Key::ch('o'), Key::ctrl('o')],
        Msg::Open,
        "open a design (the current folder's, recent files, saves, examples)",
    ),
    b(&[Key::ch('N')], Msg::NewDesign, "new design… (a name and a region)"),
    b(&[Key::ch('u'), Key::ctrl('z')], Msg::Undo, "undo"),
    b(&[Key::ch('U'), Key::ctrl('r'), Key::ctrl('y')], Msg::Redo, "redo"),
    b(&[Key::ch('T')], Msg::NextTheme, "next theme (dark, light, high contrast)"),
    b(&[Key::ch('t')], Msg::Trace, "trace a packet from the selection (a form: from, to, protocol, port)"),
    b(&[Key::ch('M')], Msg::Reach(ReachMsg::OpenMatrix), "reachability: every subnet × subnets, internet, services"),
    b(&[Key::ch('A')], Msg::Reach(ReachMsg::OpenAudit), "audit list: every finding of check and audit"),
    b(&[Key::ch('D')], Msg::Reach(ReachMsg::OpenFlows), "what-if: the flows the last edit opened or closed"),
    b(&[Key::ch('q'), Key::ctrl('c')], Msg::Quit, "quit (asks when there are unsaved changes)"),
];

static REACH: &[Binding] = &[
    b(&[UP, Key::ch('k')], Msg::Reach(ReachMsg::Up), "move up"),
    b(&[DOWN, Key::ch('j')], Msg::Reach(ReachMsg::Down), "move down"),
    b(&[LEFT, Key::ch('h')], Msg::Reach(ReachMsg::Left), "move left (matrix)"),
    b(&[RIGHT, Key::ch('l')], Msg::Reach(ReachMsg::Right), "move right (matrix)"),
    b(&[HOME, Key::ch('g')], Msg::Reach(ReachMsg::First), "first"),
    b(&[END, Key::ch('G')], Msg::Reach(ReachMsg::Last), "last"),
    b(&[PGUP], Msg::Reach(ReachMsg::PageUp), "page up"),
    b(&[PGDN], Msg::Reach(ReachMsg::PageDown), "page down"),
    b(&[Key::ch(']'), Key::ch('p')], Msg::Reach(ReachMsg::Port(1)), "next protocol and port (matrix)"),
    b(&[Key::ch('['), Key::ch('P')], Msg::Reach(ReachMsg::Port(-1)), "previous protocol and port (matrix)"),
    b(&[Key::ch('6')], Msg::Reach(ReachMsg::Family), "IPv4 / IPv6 flows (matrix)"),
    b(&[ENTER], Msg::Reach(ReachMsg::Enter), "play the trace of the cell or flow; jump to the finding's resource"),
    b(&[ESC, Key::ch('q'), Key::ctrl('c')], Msg::Reach(ReachMsg::Close), "close"),
];

static TREE: &[Binding] = &[
    b(&[UP, Key::ch('k')], Msg::Tree(TreeMsg::Up), "move up"),
    b(&[DOWN, Key::ch('j')], Msg::Tree(TreeMsg::Down), "move down"),
    b(&[LEFT, Key::ch('h')], Msg::Tree(TreeMsg::Left), "collapse, or go to the parent"),
    b(&[RIGHT, Key::ch('l')], Msg::Tree(TreeMsg::Right), "expand"),
    b(&[Key::ch(' ')], Msg::Tree(TreeMsg::Toggle), "expand or collapse"),
    b(&[ENTER], Msg::Tree(TreeMsg::Activate), "edit a resource, open a group"),
    b(&[Key::ch('g'), HOME], Msg::Tree(TreeMsg::First), "first node"),
    b(&[Key::ch('G'), END], Msg::Tree(TreeMsg::Last), "last node"),
    b(&[PGUP], Msg::Tree(TreeMsg::PageUp), "page up"),
    b(&[PGDN], Msg::Tree(TreeMsg::PageDown), "page down"),
    b(&[Key::ch('a')], Msg::Tree(TreeMsg::Add), "add a resource here"),
    b(&[Key::ch('e')], Msg::Tree(TreeMsg::Edit), "edit the selection"),
    b(&[Key::ch('d'), Key::new(K::Delete)], Msg::Tree(TreeMsg::Delete), "delete the selection"),
    b(&[Key::ch('/')], Msg::Tree(TreeMsg::StartFilter), "filter the tree"),
    b(&[Key::ch('+')], Msg::Tree(TreeMsg::ExpandAll), "expand everything"),
    b(&[Key::ch('-')], Msg::Tree(TreeMsg::CollapseAll), "collapse everything"),
];

static PLANNER: &[Binding] = &[
    b(&[LEFT, UP, Key::ch('h')], Msg::Planner(PlannerMsg::Prev), "previous block (subnet or free space)"),
    b(&[RIGHT, DOWN, Key::ch('l')], Msg::Planner(PlannerMsg::Next), "next block"),
    b(&[HOME, Key::ch('g')], Msg::Planner(PlannerMsg::First), "first block"),
    b(&[END, Key::ch('G')], Msg::Planner(PlannerMsg::Last), "last block"),
    b(&[PGUP], Msg::Planner(PlannerMsg::PageUp), "8 blocks back"),
    b(&[PGDN], Msg::Planner(PlannerMsg::PageDown), "8 blocks on"),
    b(&[Key::ch('n')], Msg::Planner(PlannerMsg::Carve), "carve a new subnet from the selected free block"),
    b(&[Key::ch('s')], Msg::Planner(PlannerMsg::Split), "split: a free block in the view, or an empty subnet"),
    b(&[Key::ch('j')], Msg::Planner(PlannerMsg::Join), "join with the sibling: free blocks, or two empty subnets"),
    b(&[Key::ch('r')], Msg::Planner(PlannerMsg::Resize), "resize the selected subnet, where space allows"),
    b(&[Key::ch('p')], Msg::Planner(PlannerMsg::Layout), "lay out tiers × AZs (preview, then Enter applies)"),
    b(&[Key::ch('C')], Msg::Planner(PlannerMsg::ToggleColour), "colour subnets by AZ or by tier (public/private)"),
    b(&[Key::ch('>')], Msg::Planner(PlannerMsg::NextVpc), "next VPC"),
    b(&[Key::ch('<')], Msg::Planner(PlannerMsg::PrevVpc), "previous VPC"),
    b(&[Key::ch('f')], Msg::Planner(PlannerMsg::Follow), "follow the tree's VPC again"),
    b(&[Key::ch('6')], Msg::Planner(PlannerMsg::ToggleFamily), "IPv4 blocks ⇄ IPv6 /56 → /64 map"),
    b(&[ENTER], Msg::Planner(PlannerMsg::Activate), "apply the layout preview, or select the subnet in the tree"),
    b(&[ESC], Msg::Planner(PlannerMsg::Back), "discard the layout preview, else leave zoom"),
    doc(&[], Msg::Planner(PlannerMsg::Select(0)), "mouse: a click selects a row (again: as Enter), the wheel moves"),
];

static ROUTES: &[Binding] = &[
    b(&[UP, Key::ch('k')], Msg::Routes(RoutesMsg::Up), "previous route (or subnet)"),
    b(&[DOWN, Key::ch('j')], Msg::Routes(RoutesMsg::Down), "next route (or subnet)"),
    b(&[HOME, Key::ch('g')], Msg::Routes(RoutesMsg::First), "first route"),
    b(&[END, Key::ch('G')], Msg::Routes(RoutesMsg::Last), "last route"),
    b(&[Key::ch('a')], Msg::Routes(RoutesMsg::Add), "add a route"),
    b(&[Key::ch('e'), ENTER], Msg::Routes(RoutesMsg::Edit), "edit the selected route"),
    b(&[Key::ch('d'), Key::new(K::Delete)], Msg::Routes(RoutesMsg::Delete), "delete the selected route"),
    b(&[Key::ch('s')], Msg::Routes(RoutesMsg::ToggleAssociations), "subnet associations ⇄ routes"),
    b(&[Key::ch(' ')], Msg::Routes(RoutesMsg::ToggleAssociation), "tick or untick the subnet (one table per subnet)"),
    b(&[Key::ch('p')], Msg::Routes(RoutesMsg::MakeMain), "make this the VPC's main table"),
    b(&[Key::ch('w')], Msg::Routes(RoutesMsg::Which), "which route wins for an address"),
    b(&[Key::ch('>')], Msg::Routes(RoutesMsg::NextTable), "next route table"),
    b(&[Key::ch('<')], Msg::Routes(RoutesMsg::PrevTable), "previous route table"),
    b(&[Key::ch('f')], Msg::Routes(RoutesMsg::Follow), "follow the tree's selection again"),
    b(&[ESC], Msg::Routes(RoutesMsg::Back), "clear the which-route highlight, else leave zoom"),
    doc(&[], Msg::Routes(RoutesMsg::Select(0)), "mouse: a click selects a row (again: edit it, or tick the subnet)"),
];

static TRACE: &[Binding] = &[
    b(&[Key::ch(' ')], Msg::TraceView(TraceMsg::PlayPause), "play / pause the packet"),
    b(&[RIGHT, Key::ch('l')], Msg::TraceView(TraceMsg::StepForward), "step forward"),
    b(&[LEFT, Key::ch('h')], Msg::TraceView(TraceMsg::StepBack), "step back"),
    b(&[HOME, Key::ch('r')], Msg::TraceView(TraceMsg::Restart), "restart from step ①"),
    b(&[Key::ch('+'), Key::ch('=')], Msg::TraceView(TraceMsg::Faster), "faster (0.5× 1× 2× 4×)"),
    b(&[Key::ch('-')], Msg::TraceView(TraceMsg::Slower), "slower"),
    b(&[Key::ch('n')], Msg::TraceView(TraceMsg::New), "new trace (pick from, to, protocol, port)"),
    b(&[ENTER], Msg::TraceView(TraceMsg::Jump), "jump to the step's component (tree; route table: route pane)"),
    b(&[UP, Key::ch('k')], Msg::Scroll(Pane::Trace, -1), "scroll the details up"),
    b(&[DOWN, Key::ch('j')], Msg::Scroll(Pane::Trace, 1), "scroll the details down"),
    b(&[PGUP], Msg::Scroll(Pane::Trace, -10), "page up"),
    b(&[PGDN], Msg::Scroll(Pane::Trace, 10), "page down"),
];

static MAP: &[Binding] = &[
    b(&[UP, Key::ch('k')], Msg::Map(MapMsg::Select(-1)), "select the previous box (and it in the tree)"),
    b(&[DOWN, Key::ch('j')], Msg::Map(MapMsg::Select(1)), "select the next box (and it in the tree)"),
    b(&[ENTER], Msg::Map(MapMsg::Activate), "edit the selected box's resource"),
    b(&[Key::ch(' ')], Msg::TraceView(TraceMsg::PlayPause), "play / pause the packet"),
    b(&[RIGHT, Key::ch('l')], Msg::Map(MapMsg::Right), "step forward (no trace: pan right)"),
    b(&[LEFT, Key::ch('h')], Msg::Map(MapMsg::Left), "step back (no trace: pan left)"),
    b(&[HOME, Key::ch('r')], Msg::TraceView(TraceMsg::Restart), "restart from step ①"),
    b(&[Key::ch('+'), Key::ch('=')], Msg::TraceView(TraceMsg::Faster), "faster (0.5× 1× 2× 4×)"),
    b(&[Key::ch('-')], Msg::TraceView(TraceMsg::Slower), "slower"),
    b(&[Key::ch('n')], Msg::TraceView(TraceMsg::New), "new trace (pick from, to, protocol, port)"),
    b(&[Key::ch('w')], Msg::Map(MapMsg::Pan(0, -3)), "pan up"),
    b(&[Key::ch('s')], Msg::Map(MapMsg::Pan(0, 3)), "pan down"),
    b(&[Key::ch('a')], Msg::Map(MapMsg::Pan(-8, 0)), "pan left"),
    b(&[Key::ch('d')], Msg::Map(MapMsg::Pan(8, 0)), "pan right"),
    b(&[PGUP], Msg::Map(MapMsg::Page(0, -1)), "page up"),
    b(&[PGDN], Msg::Map(MapMsg::Page(0, 1)), "page down"),
    b(&[Key::ch('g')], Msg::Map(MapMsg::Home), "back to the top-left corner"),
    b(&[Key::ch('v')], Msg::Map(MapMsg::ToggleScope), "draw the VPC ⇄ its whole region"),
    b(&[Key::ch('f')], Msg::Map(MapMsg::Follow), "draw the tree's selection's VPC or region again"),
    doc(&[], Msg::Map(MapMsg::Release), "mouse: click selects a box, drag or wheel pans"),
];

static TRACE_PICKER: &[Binding] = &[
    b(&[UP], Msg::TraceView(TraceMsg::PickerUp), "previous candidate"),
    b(&[DOWN], Msg::TraceView(TraceMsg::PickerDown), "next candidate"),
    b(&[TAB], Msg::TraceView(TraceMsg::PickerNextField), "take the candidate, next field"),
    b(&[BACKTAB], Msg::TraceView(TraceMsg::PickerPrevField), "previous field"),
    b(&[ENTER], Msg::TraceView(TraceMsg::PickerEnter), "take the candidate and go on; on Port: trace"),
    b(&[Key::ctrl('t'), Key::ctrl('s')], Msg::TraceView(TraceMsg::PickerRun), "trace now"),
    b(&[ESC, Key::ctrl('c')], Msg::TraceView(TraceMsg::PickerCancel), "close"),
    doc(&[], Msg::TraceView(TraceMsg::PickerInput(InputMsg::Clear)), "type to filter, or an address; Ctrl-U clears"),
];

static LAB_PICKER: &[Binding] = &[
    b(&[UP, Key::ch('k')], Msg::Lab(LabMsg::PickerUp), "move up"),
    b(&[DOWN, Key::ch('j')], Msg::Lab(LabMsg::PickerDown), "move down"),
    b(&[ENTER], Msg::Lab(LabMsg::PickerSelect), "start the lab"),
    b(&[Key::ch('K')], Msg::Lab(LabMsg::ToggleLang), "titles and narration: English / 한국어"),
    b(&[ESC, Key::ch('q'), Key::ctrl('c')], Msg::Lab(LabMsg::PickerCancel), "close"),
    doc(&[], Msg::Lab(LabMsg::PickerNumber(1)), "1-9: start lab number n"),
];

/// Live everywhere (after the focused pane).
static LAB_ALWAYS: &[Binding] = &[
    b(&[Key::ch('L')], Msg::Lab(LabMsg::Open), "guided labs"),
    b(&[Key::ch('K')], Msg::Lab(LabMsg::ToggleLang), "interface language: English / 한국어"),
    b(&[Key::ch('R')], Msg::TraceView(TraceMsg::Retrace), "re-trace the last request on the design as it is now"),
];

/// Live while a lab is open.
static LAB_ACTIVE: &[Binding] = &[
    b(&[Key::ch(']')], Msg::Lab(LabMsg::Next), "lab: next step (checks a try-it step first)"),
    b(&[Key::ch('[')], Msg::Lab(LabMsg::Prev), "lab: previous step"),
    b(&[Key::ch('c')], Msg::Lab(LabMsg::Check), "lab: check the step's traces"),
    b(&[Key::ch('m')], Msg::Lab(LabMsg::ShowMe), "lab: show me (apply the try-it solution)"),
    b(&[Key::ch('{')], Msg::Lab(LabMsg::Scroll(-3)), "lab: scroll the narration up"),
    b(&[Key::ch('}')], Msg::Lab(LabMsg::Scroll(3)), "lab: scroll the narration down"),
    doc(&[], Msg::Lab(LabMsg::PlayTrace(0)), "lab: a click on a trace plays it; the wheel scrolls the narration"),
    b(&[ESC, Key::ch('q')], Msg::Lab(LabMsg::Leave), "lab: leave, back to your own design"),
];

static LAB_ALL: &[&[Binding]] = &[LAB_ALWAYS, LAB_ACTIVE];

static FILTER: &[Binding] = &[
    b(&[ENTER], Msg::Filter(FilterMsg::Accept), "keep the filter, back to the tree"),
    b(&[ESC, Key::ctrl('c')], Msg::Filter(FilterMsg::Cancel), "drop the filter"),
    doc(&[], Msg::Filter(FilterMsg::Input(InputMsg::Clear)), "type: names, ids, CIDRs; Ctrl-U clears"),
];

static FORM: &[Binding] = &[
    b(&[TAB, DOWN], Msg::Form(FormMsg::NextField), "next field"),
    b(&[BACKTAB, UP], Msg::Form(FormMsg::PrevField), "previous field"),
    b(&[ENTER, Key::ctrl('s')], Msg::Form(FormMsg::Submit), "apply (refused while a field has an error)"),
    b(&[ESC, Key::ctrl('c')], Msg::Form(FormMsg::Cancel), "cancel"),
    doc(&[LEFT, RIGHT, Key::ch(' ')], Msg::Form(FormMsg::Cycle(1)), "change a choice or yes/no field"),
    doc(&[Key::ch(' ')], Msg::Form(FormMsg::Toggle), "a list picker: tick or untick the highlighted option"),
    doc(&[], Msg::Form(FormMsg::Input(InputMsg::Char('?'))), "a picker: type to find among what AWS accepts there"),
    doc(&[], Msg::Form(FormMsg::Input(InputMsg::Clear)), "type to edit; ←/→ Home End move; Ctrl-U clears"),
];

static MENU: &[Binding] = &[
    b(&[UP], Msg::List(ListMsg::Up), "move up"),
    b(&[DOWN], Msg::List(ListMsg::Down), "move down"),
    b(&[HOME, PGUP], Msg::List(ListMsg::First), "first"),
    b(&[END, PGDN], Msg::List(ListMsg::Last), "last"),
    b(&[ENTER], Msg::List(ListMsg::Select), "add this kind"),
    b(&[ESC, Key::ctrl('c')], Msg::List(ListMsg::Cancel), "close"),
    doc(&[], Msg::List(ListMsg::Input(InputMsg::Clear)), "type to find a kind (subnet, nat, endpoint…); Ctrl-U clears"),
];

static PICKER: &[Binding] = &[
    b(&[UP], Msg::List(ListMsg::Up), "move up"),
    b(&[DOWN], Msg::List(ListMsg::Down), "move down"),
    b(&[PGUP, HOME], Msg::List(ListMsg::First), "first"),
    b(&[PGDN, END], Msg::List(ListMsg::Last), "last"),
    b(&[ENTER], Msg::List(ListMsg::Select), "open the selection, or the path typed"),
    b(&[ESC, Key::ctrl('c')], Msg::List(ListMsg::Cancel), "close"),
    doc(&[], Msg::List(ListMsg::Input(InputMsg::Clear)), "type to filter, or type a path; Ctrl-U clears"),
];

static CONFIRM: &[Binding] = &[
    b(&[Key::ch('y'), ENTER], Msg::Confirm(ConfirmMsg::Yes), "yes"),
    doc(&[], Msg::Confirm(ConfirmMsg::Yes), "each question lists the keys it takes (Enter never discards work)"),
    b(&[Key::ch('n'), ESC, Key::ctrl('c')], Msg::Confirm(ConfirmMsg::No), "no / cancel"),
    b(&[Key::ch('s')], Msg::Confirm(ConfirmMsg::Save), "save first (when offered)"),
    b(&[Key::ch('d')], Msg::Confirm(ConfirmMsg::Discard), "discard (when offered)"),
    b(&[Key::ch('r')], Msg::Confirm(ConfirmMsg::Reload), "reload from disk (when offered)"),
    b(&[Key::ch('a')], Msg::Confirm(ConfirmMsg::SaveAs), "save as another file (when offered)"),
];

const NO_KEYS: &[Key] = &[Key::ch('n'), ESC, Key::ctrl('c')];
const Y: &[Key] = &[Key::ch('y')];
const Y_ENTER: &[Key] = &[Key::ch('y'), ENTER];
const S: &[Key] = &[Key::ch('s')];
const R: &[Key] = &[Key::ch('r')];
const A: &[Key] = &[Key::ch('a')];
const D: &[Key] = &[Key::ch('d')];
const DISMISS: &[Key] = &[ENTER, ESC, Key::ctrl('c')];

/// A question's answers: the keys of each, the answer, and what the question says it does.
/// The question lists exactly these and takes no other key. Enter says yes only where yes
/// loses nothing that undo cannot bring back (never "quit/open without saving").
pub fn answers(p: &Pending) -> Vec<(&'static [Key], ConfirmMsg, &'static str)> {
    use ConfirmMsg as C;
    match p {
        Pending::Quit => {
            vec![(S, C::Save, "save, then quit"), (Y, C::Yes, "quit without saving"), (NO_KEYS, C::No, "stay")]
        }
        Pending::Open(_) => {
            vec![(S, C::Save, "save, then open"), (Y, C::Yes, "open without saving"), (NO_KEYS, C::No, "stay")]
        }
        Pending::Delete(_) => vec![(Y_ENTER, C::Yes, "delete"), (NO_KEYS, C::No, "keep")],
        Pending::Overwrite(..) => vec![(Y, C::Yes, "overwrite"), (NO_KEYS, C::No, "back to the path")],
        Pending::Changed(_) => vec![
            (Y, C::Yes, "overwrite it"),
            (R, C::Reload, "reload it (your version is kept aside)"),
            (A, C::SaveAs, "save as"),
            (NO_KEYS, C::No, "cancel"),
        ],
        Pending::ReadOnly(..) => {
            vec![(Y, C::Yes, "write over it anyway (it stays read-only)"), (NO_KEYS, C::No, "cancel")]
        }
        Pending::SaveFailed => vec![(DISMISS, C::No, "dismiss"), (A, C::SaveAs, "save as another file")],
        Pending::Recover(_) => vec![
            (Y, C::Yes, "recover them"),
            (D, C::Discard, "discard them"),
            (NO_KEYS, C::No, "not now (kept, asked again next time)"),
        ],
    }
}

/// The line of a question that says which keys it takes and what each does.
pub fn answer_line(p: &Pending) -> String {
    answer_line_in(p, crate::l10n::Lang::En)
}

/// [`answer_line`] in the interface's language (the keys stay as they are).
pub fn answer_line_in(p: &Pending, lang: crate::l10n::Lang) -> String {
    answers(p)
        .iter()
        .map(|(keys, _, what)| {
            let keys = keys.iter().map(Key::label).collect::<Vec<_>>().join(" / ");
            format!("{keys}: {}", crate::l10n::ui(lang, what))
        })
        .collect::<Vec<_>>()
        .join("    ")
}

static HELP: &[Binding] = &[
    b(&[ESC, Key::ch('?'), Key::ch('q'), F1, Key::ctrl('c')], Msg::CloseHelp, "close help"),
    b(&[UP, Key::ch('k')], Msg::HelpScroll(-1), "scroll up"),
    b(&[DOWN, Key::ch('j')], Msg::HelpScroll(1), "scroll down"),
    b(&[PGUP], Msg::HelpScroll(-10), "page up"),
    b(&[PGDN], Msg::HelpScroll(10), "page down"),
];

/// The binding table of a layer.
pub fn bindings(layer: Layer) -> &'static [Binding] {
    match layer {
        Layer::Global => GLOBAL,
        Layer::Tree => TREE,
        Layer::Planner => PLANNER,
        Layer::Routes => ROUTES,
        Layer::Trace => TRACE,
        Layer::Map => MAP,
        Layer::Filter => FILTER,
        Layer::Form => FORM,
        Layer::Menu => MENU,
        Layer::Picker => PICKER,
        Layer::Confirm => CONFIRM,
        Layer::Help => HELP,
        Layer::TracePicker => TRACE_PICKER,
        Layer::LabPicker => LAB_PICKER,
        Layer::Lab => LAB_ALWAYS,
        Layer::Reach => REACH,
    }
}

/// The message a layer's table gives a key, if any.
pub fn lookup(layer: Layer, ev: &KeyEvent) -> Option<Msg> {
    bindings(layer)
        .iter()
        .filter(|b| !b.help_only)
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.msg.clone())
}

/// Keys that edit a line of text.
pub fn text_input(ev: &KeyEvent) -> Option<InputMsg> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let alt = ev.modifiers.contains(KeyModifiers::ALT);
    match ev.code {
        K::Char('u') | K::Char('U') if ctrl => Some(InputMsg::Clear),
        K::Char(c) if !ctrl && !alt && !c.is_control() => Some(InputMsg::Char(c)),
        K::Backspace => Some(InputMsg::Backspace),
        K::Delete => Some(InputMsg::Delete),
        K::Left => Some(InputMsg::Left),
        K::Right => Some(InputMsg::Right),
        K::Home => Some(InputMsg::Home),
        K::End => Some(InputMsg::End),
        _ => None,
    }
}

/// The key layer of a layer on top of the panes.
fn layer_of(m: &Modal) -> Layer {
    match m {
        Modal::Filter => Layer::Filter,
        Modal::Popup(Popup::Form(_)) => Layer::Form,
        Modal::Popup(Popup::Menu(_)) => Layer::Menu,
        Modal::Popup(Popup::Picker(_)) => Layer::Picker,
        Modal::Popup(Popup::Confirm(_)) => Layer::Confirm,
        Modal::TracePicker(_) => Layer::TracePicker,
        Modal::LabPicker(_) => Layer::LabPicker,
        Modal::Help(_) => Layer::Help,
        // The reachability view, audit list or what-if list covers the panes and takes every key.
        Modal::Reach(_) => Layer::Reach,
    }
}

/// The one answer to "which keys are live": the layers a key is offered to, innermost first.
/// The top of the modal stack takes every key (help, when open, lists the layer under it);
/// with nothing on top, a key goes to the focused pane, then the labs, then the global keys,
/// each taking it only when its handler does (see [`route_keys`]).
pub fn layers(app: &App) -> Vec<Layer> {
    let mut out = Vec::new();
    for m in app.modals.iter().rev() {
        out.push(layer_of(m));
        if !matches!(m, Modal::Help(_)) {
            return out;
        }
    }
    out.extend([Layer::of_pane(app.focus), Layer::Lab, Layer::Global]);
    out
}

/// The layer that gets a key first.
pub fn active_layer(app: &App) -> Layer {
    layers(app)[0]
}

/// The layers under the help overlay, innermost first: what help lists and the status bar
/// hints at.
pub fn active_layers(app: &App) -> Vec<Layer> {
    layers(app).into_iter().filter(|l| *l != Layer::Help).collect()
}

/// The lab bindings live now (the active-lab keys only while a lab is open), for help.
pub fn lab_bindings(app: &App) -> impl Iterator<Item = &'static Binding> {
    let n = if app.lab.active.is_some() { LAB_ALL.len() } else { 1 };
    LAB_ALL.iter().take(n).flat_map(|t| t.iter())
}

fn lookup_lab(app: &App, ev: &KeyEvent) -> Option<Msg> {
    lab_bindings(app).find(|b| !b.help_only && b.keys.iter().any(|k| k.matches(ev))).map(|b| b.msg.clone())
}

/// What one layer makes of a key, if anything.
fn route_in(app: &App, layer: Layer, ev: &KeyEvent) -> Option<Msg> {
    let typed = |f: fn(InputMsg) -> Msg| text_input(ev).map(f);
    match layer {
        Layer::TracePicker => lookup(layer, ev).or_else(|| typed(|i| Msg::TraceView(TraceMsg::PickerInput(i)))),
        Layer::LabPicker => lookup(layer, ev).or_else(|| match ev.code {
            K::Char(c @ '1'..='9') => Some(Msg::Lab(LabMsg::PickerNumber(c as u8 - b'0'))),
            _ => None,
        }),
        Layer::Form => {
            let multi = app.popup().is_some_and(|p| {
                matches!(p, Popup::Form(f) if f.focused().is_some_and(|x| matches!(x.kind, FieldKind::Multi(_)) && !x.locked))
            });
            if multi && ev.code == K::Char(' ') {
                return Some(Msg::Form(FormMsg::Toggle));
            }
            if app.popup().is_some_and(|p| matches!(p, Popup::Form(f) if f.focused_is_choice())) {
                match ev.code {
                    K::Left => return Some(Msg::Form(FormMsg::Cycle(-1))),
                    K::Right | K::Char(' ') => return Some(Msg::Form(FormMsg::Cycle(1))),
                    _ => {}
                }
            }
            lookup(layer, ev).or_else(|| typed(|i| Msg::Form(FormMsg::Input(i))))
        }
        Layer::Picker | Layer::Menu => lookup(layer, ev).or_else(|| typed(|i| Msg::List(ListMsg::Input(i)))),
        Layer::Filter => lookup(layer, ev).or_else(|| typed(|i| Msg::Filter(FilterMsg::Input(i)))),
        Layer::Lab => lookup_lab(app, ev),
        Layer::Confirm => match app.popup() {
            Some(Popup::Confirm(c)) => answers(&c.pending)
                .into_iter()
                .find(|(keys, _, _)| keys.iter().any(|k| k.matches(ev)))
                .map(|(_, m, _)| Msg::Confirm(m)),
            _ => None,
        },
        _ => lookup(layer, ev),
    }
}

/// Route a key event to the messages it may mean, in the order to offer them: the top layer's
/// alone when something is on top of the panes, else the focused pane's, the lab's and the
/// global one. The first message whose handler takes it wins
/// ([`crate::app::update::dispatch`]). F1 opens help from anywhere. Only presses count.
pub fn route_keys(app: &App, ev: KeyEvent) -> Vec<Msg> {
    if ev.kind != KeyEventKind::Press {
        return Vec::new();
    }
    let layers = layers(app);
    if layers[0] != Layer::Help && F1.matches(&ev) {
        return vec![Msg::ShowHelp];
    }
    if app.modal().is_some() {
        return route_in(app, layers[0], &ev).into_iter().collect();
    }
    layers.iter().filter_map(|l| route_in(app, *l, &ev)).collect()
}

/// The first message a key event means (see [`route_keys`]).
pub fn route_key(app: &App, ev: KeyEvent) -> Option<Msg> {
    route_keys(app, ev).into_iter().next()
}

/// The first keys of a layer's main bindings, short, for the status bar.
pub fn hints(layer: Layer) -> Vec<(String, &'static str)> {
    let pick: &[&str] = match layer {
        Layer::Tree => &["add a resource here", "edit the selection", "delete the selection", "filter the tree"],
        Layer::Form => &["next field", "apply (refused while a field has an error)", "cancel"],
        Layer::Filter => &["keep the filter, back to the tree", "drop the filter"],
        Layer::Menu => &["add this kind", "close"],
        Layer::Picker => &["open the selection, or the path typed", "close"],
        Layer::Confirm => &["yes", "no / cancel"],
        Layer::Help => &["close help"],
        Layer::Planner => &[
            "carve a new subnet from the selected free block",
            "split: a free block in the view, or an empty subnet",
            "join with the sibling: free blocks, or two empty subnets",
            "lay out tiers × AZs (preview, then Enter applies)",
        ],
        Layer::Routes => &["add a route", "delete the selected route", "which route wins for an address"],
        Layer::Trace => &[
            "play / pause the packet",
            "step forward",
            "step back",
            "new trace (pick from, to, protocol, port)",
            "jump to the step's component (tree; route table: route pane)",
        ],
        Layer::Map => &[
            "select the next box (and it in the tree)",
            "edit the selected box's resource",
            "play / pause the packet",
            "step forward (no trace: pan right)",
            "draw the VPC ⇄ its whole region",
        ],
        Layer::TracePicker => &["take the candidate and go on; on Port: trace", "trace now", "close"],
        Layer::LabPicker => &["start the lab", "close"],
        Layer::Reach => &["play the trace of the cell or flow; jump to the finding's resource", "close"],
        _ => &["scroll down"],
    };
    let short = |h: &'static str| -> &'static str {
        match h {
            "add a resource here" => "add",
            "edit the selection" => "edit",
            "delete the selection" => "delete",
            "filter the tree" => "filter",
            "apply (refused while a field has an error)" => "apply",
            "keep the filter, back to the tree" => "keep",
            "drop the filter" => "clear",
            "open the selection, or the path typed" => "open",
            "add this kind" => "add",
            "close help" => "close",
            "no / cancel" => "no",
            "carve a new subnet from the selected free block" => "carve",
            "split: a free block in the view, or an empty subnet" => "split",
            "join with the sibling: free blocks, or two empty subnets" => "join",
            "lay out tiers × AZs (preview, then Enter applies)" => "layout",
            "add a route" => "add",
            "delete the selected route" => "delete",
            "which route wins for an address" => "which wins",
            "next field" => "next field",
            "play / pause the packet" => "play/pause",
            "step forward" => "step",
            "step back" => "back",
            "new trace (pick from, to, protocol, port)" => "new trace",
            "jump to the step's component (tree; route table: route pane)" => "jump",
            "take the candidate and go on; on Port: trace" => "next",
            "trace now" => "trace",
            "start the lab" => "start",
            "select the next box (and it in the tree)" => "select",
            "edit the selected box's resource" => "edit",
            "step forward (no trace: pan right)" => "step",
            "draw the VPC ⇄ its whole region" => "VPC/region",
            "play the trace of the cell or flow; jump to the finding's resource" => "open",
            other => other,
        }
    };
    bindings(layer)
        .iter()
        .filter(|b| pick.contains(&b.help))
        .filter_map(|b| b.keys.first().map(|k| (k.label(), short(b.help))))
        .collect()
}

/// The key hints of the status bar: the innermost layer's main keys, then (on the main
/// screen) the lab's keys while a lab is open, and the global ones. Each lab hint names a key
/// that really reaches the lab from the focused pane, and `q`
/// says what it does: leave the lab, or quit.
pub fn status_hints(app: &App) -> Vec<(String, &'static str)> {
    let layers = active_layers(app);
    let mut hints = hints(layers[0]);
    if !layers.contains(&Layer::Global) {
        hints.push(("F1".into(), "help"));
        return hints;
    }
    if app.lab.active.is_some() {
        let wanted: [(Msg, &'static str); 3] = [
            (Msg::Lab(LabMsg::Next), "next step"),
            (Msg::Lab(LabMsg::Check), "check"),
            (Msg::Lab(LabMsg::ShowMe), "show me"),
        ];
        for (msg, short) in wanted {
            let Some(b) = LAB_ACTIVE.iter().find(|b| b.msg == msg) else { continue };
            if let Some(k) = b.keys.iter().find(|k| route_key(app, KeyEvent::new(k.code, k.mods)) == Some(msg.clone()))
            {
                hints.push((k.label(), short));
            }
        }
    }
    hints.extend([("Tab".to_string(), "pane"), ("z".into(), "zoom"), ("?".into(), "help")]);
    let q = route_key(app, KeyEvent::new(K::Char('q'), KeyModifiers::NONE));
    hints.push(("q".into(), if q == Some(Msg::Lab(LabMsg::Leave)) { "leave lab" } else { "quit" }));
    hints.push(("V".into(), "map"));
    hints
}

/// Any terminal event to a message: key presses through the layers, mouse events into clicks
/// and scrolls of the pane under the pointer (as the last frame laid the panes out), a resize as
/// a redraw.
pub fn route_event(app: &App, ev: Event) -> Vec<Msg> {
    match ev {
        Event::Key(k) => route_keys(app, k),
        Event::Mouse(m) => route_mouse(app, m).into_iter().collect(),
        Event::Resize(w, h) => vec![Msg::Resize(w, h)],
        Event::Paste(text) => vec![Msg::Paste(text)],
    }
}

/// Where pasted text goes: the text input of the layer on top, if it has one.
pub fn paste_target(app: &App) -> Option<fn(InputMsg) -> Msg> {
    match app.modal().map(layer_of)? {
        Layer::Form => Some(|i| Msg::Form(FormMsg::Input(i))),
        Layer::Picker | Layer::Menu => Some(|i| Msg::List(ListMsg::Input(i))),
        Layer::Filter => Some(|i| Msg::Filter(FilterMsg::Input(i))),
        Layer::TracePicker => Some(|i| Msg::TraceView(TraceMsg::PickerInput(i))),
        _ => None,
    }
}

/// What of pasted text a one-line field takes: the first line, without control characters
/// (a pasted newline is not Enter, a pasted tab not Tab).
pub fn pasted_line(text: &str) -> impl Iterator<Item = char> + '_ {
    text.split(['\n', '\r']).next().unwrap_or("").chars().filter(|c| !c.is_control())
}

/// A mouse event to a message: a left click on a row of a table, the lab panel or a picker is
/// [`Msg::RowClick`], elsewhere in a pane [`Msg::Click`] at the position in the pane; the
/// wheel scrolls the pane three lines (the planner's and the route pane's cursor, the lab
/// panel's narration) or moves through a picker's list; a left click on the status bar's
/// finding counts opens the audit list. On the topology map a drag pans the picture (until the
/// button comes up, wherever it does) and the horizontal wheel pans it sideways. Nothing
/// reaches the panes while a popup, a picker or help covers them.
pub fn route_mouse(app: &App, ev: MouseEvent) -> Option<Msg> {
    if let Some(Modal::Popup(p)) = app.modal() {
        // The popup on top: a click picks the row under it, the wheel moves through the list.
        let at = Position { x: ev.column, y: ev.row };
        let list = matches!(p, Popup::Menu(_) | Popup::Picker(_));
        return match ev.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                app.viewport.popup_rows.iter().find(|(r, _)| r.contains(at)).map(|(_, h)| Msg::PopupClick(*h))
            }
            MouseEventKind::ScrollDown if list => Some(Msg::List(ListMsg::Down)),
            MouseEventKind::ScrollUp if list => Some(Msg::List(ListMsg::Up)),
            // Over a picker's matches the wheel moves among them, elsewhere from field to field.
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp if matches!(p, Popup::Form(_)) => {
                let on_matches =
                    app.viewport.popup_rows.iter().any(|(r, h)| matches!(h, PopupHit::Option(_)) && r.contains(at));
                let down = ev.kind == MouseEventKind::ScrollDown;
                Some(Msg::Form(match (on_matches, down) {
                    (true, _) => FormMsg::Cycle(if down { 1 } else { -1 }),
                    (false, true) => FormMsg::NextField,
                    (false, false) => FormMsg::PrevField,
                }))
            }
            _ => None,
        };
    }
    let down = ev.kind == MouseEventKind::Down(MouseButton::Left);
    let row = || app.viewport.row_at(ev.column, ev.row).map(Msg::RowClick);
    let wheel = |up: Msg, down: Msg| match ev.kind {
        MouseEventKind::ScrollUp => Some(up),
        MouseEventKind::ScrollDown => Some(down),
        _ => None,
    };
    match app.modal() {
        Some(Modal::TracePicker(_)) if down => return row(),
        Some(Modal::TracePicker(_)) => {
            return wheel(Msg::TraceView(TraceMsg::PickerUp), Msg::TraceView(TraceMsg::PickerDown))
        }
        Some(Modal::LabPicker(_)) if down => return row(),
        Some(Modal::LabPicker(_)) => return wheel(Msg::Lab(LabMsg::PickerUp), Msg::Lab(LabMsg::PickerDown)),
        _ => {}
    }
    if app.modals.cover_panes() {
        return None;
    }
    if app.modals.reach().is_some() && down {
        // The reachability view's IPv4 / IPv6 switch.
        if let Some(m) = row() {
            return Some(m);
        }
    }
    if app.modals.reach().is_none() {
        // The lab panel: a click on one of its traces plays it, the wheel scrolls the narration.
        if app.viewport.lab_panel.contains(Position { x: ev.column, y: ev.row }) {
            return if down { row() } else { wheel(Msg::Lab(LabMsg::Scroll(-3)), Msg::Lab(LabMsg::Scroll(3))) };
        }
        if down {
            if let Some(m) = row() {
                return Some(m);
            }
        }
    }
    if app.map.drag.is_some() {
        match ev.kind {
            MouseEventKind::Drag(MouseButton::Left) => {
                let pane = app.viewport.panes.iter().find(|(p, _)| *p == Pane::Map).map(|(_, r)| *r)?;
                let at = Position { x: ev.column.saturating_sub(pane.x), y: ev.row.saturating_sub(pane.y) };
                return Some(Msg::Map(MapMsg::Drag(at)));
            }
            MouseEventKind::Up(_) => return Some(Msg::Map(MapMsg::Release)),
            _ => {}
        }
    }
    let at = Position { x: ev.column, y: ev.row };
    if ev.kind == MouseEventKind::Down(MouseButton::Left) && app.viewport.findings.contains(at) {
        return Some(Msg::Reach(ReachMsg::OpenAudit));
    }
    if app.modals.reach().is_some() {
        // The reach view takes the panes' place: the wheel moves through it, never the pane
        // drawn under it.
        return match ev.kind {
            MouseEventKind::ScrollDown => Some(Msg::Reach(ReachMsg::Down)),
            MouseEventKind::ScrollUp => Some(Msg::Reach(ReachMsg::Up)),
            MouseEventKind::ScrollRight => Some(Msg::Reach(ReachMsg::Right)),
            MouseEventKind::ScrollLeft => Some(Msg::Reach(ReachMsg::Left)),
            _ => None,
        };
    }
    let (pane, at) = app.viewport.pane_at(ev.column, ev.row)?;
    match ev.kind {
        MouseEventKind::ScrollRight if pane == Pane::Map => Some(Msg::Map(MapMsg::Pan(6, 0))),
        MouseEventKind::ScrollLeft if pane == Pane::Map => Some(Msg::Map(MapMsg::Pan(-6, 0))),
        MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click(pane, at)),
        MouseEventKind::ScrollDown => Some(Msg::Scroll(pane, 3)),
        MouseEventKind::ScrollUp => Some(Msg::Scroll(pane, -3)),
        _ => None,
    }
}
