//! The terminal app's state, messages, keymap and update logic. Nothing here draws or touches
//! the terminal, so all of it runs in tests.
//!
//! The loop is Elm-style: the keymap turns a terminal event into a [`Msg`], [`update::update`]
//! changes the [`App`], and `ui::view` draws it.

pub mod add_menu;
pub mod files;
pub mod findings;
pub mod forms;
pub mod history;
pub mod input;
pub mod keymap;
pub mod lab;
pub mod map;
pub mod modal;
pub mod msg;
pub mod new_design;
pub mod planner;
pub mod reach;
pub mod routes;
pub mod trace_view;
pub mod tree;
pub mod update;
pub mod vpc_more;

pub use modal::{Modal, Modals};
pub use msg::Msg;
pub use update::update;

use crate::model::{Design, Id, ResourceKind};
use forms::{kinds::Adds, Context, Form};
use input::{Area, Position};
use std::path::PathBuf;
use std::time::Instant;
use tree::{NodeRef, TreeModel};

/// The panes of the main screen: four, or the tree and the topology map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Tree,
    Planner,
    Routes,
    Trace,
    /// The topology map (shown instead of the planner, routes and trace panes).
    Map,
}

impl Pane {
    /// The four panes of the main screen, in focus order.
    pub const ALL: [Pane; 4] = [Pane::Tree, Pane::Planner, Pane::Routes, Pane::Trace];

    /// 0–3 for the four panes, 4 for the map (its title says "5", the key that focuses it).
    pub fn index(self) -> usize {
        match self {
            Pane::Map => 4,
            p => Pane::ALL.iter().position(|x| *x == p).unwrap_or(0),
        }
    }

    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % 4]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + 3) % 4]
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Tree => "VPC tree",
            Pane::Planner => "Subnet planner",
            Pane::Routes => "Route tables",
            Pane::Trace => "Trace",
            Pane::Map => "Topology map",
        }
    }
}

/// An item of the add menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    /// In the language of the interface.
    pub label: String,
    /// In English: type-ahead matches both.
    pub english: String,
    /// What it adds.
    pub adds: Adds,
    /// For security group rules and NACL entries: outbound.
    pub egress: bool,
    /// Its group ([`add_menu::GROUPS`]).
    pub group: &'static str,
    /// The copy shown first: the kind most likely wanted where the user is.
    pub suggested: bool,
}

/// The add menu: what can be added where the user is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Menu {
    pub title: String,
    pub items: Vec<MenuItem>,
    /// Index into `items` (always one of [`Menu::visible`] when any is).
    pub selected: usize,
    pub context: Context,
    /// What is typed: filters the items.
    pub filter: forms::LineInput,
}

/// Where a design can be opened from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Example(String),
    File(PathBuf),
    /// "New design…": the form that asks for a name and a region.
    New,
}

/// One entry of the file picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerEntry {
    /// "new", "here" (the current folder), "recent", "saves", "data" or "example".
    pub group: &'static str,
    pub label: String,
    pub source: Source,
}

/// The file picker: saves, the data directory and the built-in examples, filtered by what is
/// typed; what is typed may also be a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub input: forms::LineInput,
    pub entries: Vec<PickerEntry>,
    /// Index into [`Picker::visible`].
    pub selected: usize,
}

impl Picker {
    /// Indexes of the entries that match the typed text.
    pub fn visible(&self) -> Vec<usize> {
        let f = self.input.text.trim().to_lowercase();
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| f.is_empty() || e.label.to_lowercase().contains(&f))
            .map(|(i, _)| i)
            .collect()
    }
}

/// What a yes/no question decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Delete a resource others refer to, cascading.
    Delete(Id),
    /// Quit with unsaved changes.
    Quit,
    /// Open another design with unsaved changes.
    Open(Source),
    /// Load the recovery file left by a crash.
    Recover(PathBuf),
    /// Save as over an existing file that is not the design's own; "no" goes back to the form.
    Overwrite(PathBuf, Box<Form>),
    /// Another program changed the design's file since it was read: overwrite, reload or save
    /// as.
    Changed(PathBuf),
    /// The file is read-only: write over it anyway? (The save-as form, when it came from one.)
    ReadOnly(PathBuf, Option<Box<Form>>),
    /// A save failed: the message stays until dismissed.
    SaveFailed,
}

/// A question that needs an answer before anything else happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub pending: Pending,
    /// Offer "s: save first".
    pub offer_save: bool,
}

/// The popup on top of the panes, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    Form(Form),
    Menu(Menu),
    Picker(Picker),
    Confirm(Confirm),
}

/// The kind of a status message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

/// A short message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub kind: StatusKind,
    pub at: Instant,
    /// The line is the what-if's report of the flows the last edit opened or closed (the next
    /// report replaces it rather than adding to it).
    pub whatif: bool,
}

/// What the last frame showed, as the view reports it: where the panes were (for the mouse),
/// where the tree's rows were inside the tree pane (for clicks, page up/down and the wheel), how
/// far the help overlay could scroll, where the status bar's finding counts were.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewport {
    pub panes: Vec<(Pane, Area)>,
    /// Relative to the tree pane's corner.
    pub tree_rows: Area,
    pub help_max_scroll: Option<u16>,
    /// Where the status bar's finding counts ("2 errors") were: a click there opens the
    /// audit list.
    pub findings: Area,
    /// The popup's clickable rows, on the screen: the add menu's and the file picker's items,
    /// a form's fields.
    pub popup_rows: Vec<(Area, PopupHit)>,
    /// Other clickable rows, on the screen: the planner's and the route pane's tables, the lab
    /// panel's traces, the trace picker's fields and candidates, the lab picker's labs.
    pub rows: Vec<(Area, RowHit)>,
    /// Where the lab panel was (the wheel scrolls its narration).
    pub lab_panel: Area,
}

/// What a click on one of [`Viewport::rows`] means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowHit {
    /// A row of the planner's table (index into its blocks).
    Planner(usize),
    /// A row of the route pane: a route (index into the effective routes) or, while it shows
    /// associations, a subnet (index into the VPC's subnets).
    Routes(usize),
    /// One of the lab step's traces.
    LabTrace(usize),
    /// A field of the trace picker (from, to, protocol, port).
    TraceField(usize),
    /// A candidate of the trace picker (index into the visible ones).
    TraceCandidate(usize),
    /// A lab of the lab picker.
    Lab(usize),
    /// The reachability view's IPv4 / IPv6 switch.
    ReachFamily,
}

/// What a click on a popup row means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopupHit {
    /// An item of the add menu (index into its items) or of the file picker (into its
    /// visible entries).
    Item(usize),
    /// A form's field.
    Field(usize),
    /// One of the focused picker field's matches (index into `Field::matches`).
    Option(usize),
}

impl Viewport {
    /// The clickable row at a screen position.
    pub fn row_at(&self, x: u16, y: u16) -> Option<RowHit> {
        self.rows.iter().find(|(r, _)| r.contains(Position { x, y })).map(|(_, h)| *h)
    }

    /// The pane at a screen position, and the position relative to the pane's corner.
    pub fn pane_at(&self, x: u16, y: u16) -> Option<(Pane, Position)> {
        self.panes
            .iter()
            .find(|(_, r)| r.contains(Position { x, y }))
            .map(|(p, r)| (*p, Position { x: x - r.x, y: y - r.y }))
    }
}

/// Autosave bookkeeping.
#[derive(Debug)]
pub struct Autosave {
    /// Off in tests and while the app is not attached to a terminal.
    pub enabled: bool,
    /// The revision last written to the recovery file.
    pub written_rev: u64,
    pub last_write: Option<Instant>,
    /// The recovery file of a large design being written beside the UI.
    pub writing: Option<files::Writing>,
}

pub use history::UNDO_LIMIT;

/// The whole state of the terminal app.
#[derive(Debug)]
pub struct App {
    pub design: Design,
    /// The file the design came from or was saved to; `None` for a built-in example.
    pub path: Option<PathBuf>,
    /// What that file held when it was read or last saved: a save over it first checks that
    /// no other program changed it since.
    pub disk: Option<crate::io::save::Fingerprint>,
    /// What to call the design when there is no path ("example custom-vpc").
    pub origin: String,
    /// The revision of the design: each change gets a new number, undo returns to old ones.
    pub rev: u64,
    /// The revision last saved.
    pub saved_rev: u64,
    next_rev: u64,
    pub undo: Vec<history::Step>,
    pub redo: Vec<history::Step>,
    pub focus: Pane,
    pub zoom: bool,
    /// The layers on top of the panes: popups, pickers, the filter line, help.
    pub modals: Modals,
    /// The name of the built-in theme (the view resolves it with the user's overrides).
    pub theme: String,
    /// What the last frame showed.
    pub viewport: Viewport,
    pub status: Option<Status>,
    /// What derives from the design: its findings (`derived.findings`), the worst one of
    /// each resource, what refers to each resource; kept current edit by edit.
    pub derived: findings::Derived,
    pub tree: TreeModel,
    /// Checks a large design off the UI thread after a whole-design change.
    pub checker: findings::Checker,
    /// Scroll offsets of the planner, routes and trace panes.
    pub scroll: [u16; 4],
    pub should_quit: bool,
    /// Quit once the save in progress succeeds (quit → "save first").
    pub quit_after_save: bool,
    /// Whether commands may read and write files (off in property tests).
    pub allow_io: bool,
    pub autosave: Autosave,
    /// The animated trace view.
    pub trace_view: trace_view::TraceView,
    /// The guided labs: picker, the lab being walked, narration language.
    pub lab: lab::LabState,
    /// The subnet planner pane: its VPC, cursor, view splits and layout preview.
    pub planner: planner::PlannerState,
    /// The route table pane: its table, cursor, associations and "which route wins".
    pub routes: routes::RoutesState,
    /// The reachability view, the audit list and the what-if.
    pub reach: reach::ReachState,
    /// The topology map: shown or not, scope, viewport, selection, the cached picture.
    pub map: map::MapState,
}

impl App {
    /// An app showing `design`, loaded from `path` (or a built-in example when `None`).
    pub fn new(design: Design, path: Option<PathBuf>) -> App {
        let origin = match &path {
            Some(_) => String::new(),
            None => format!("example {}", design.name),
        };
        let mut app = App {
            design,
            disk: files::disk_fingerprint(path.as_deref()),
            path,
            origin,
            rev: 0,
            saved_rev: 0,
            next_rev: 1,
            undo: Vec::new(),
            redo: Vec::new(),
            focus: Pane::Tree,
            zoom: false,
            modals: Modals::default(),
            theme: crate::assets::THEMES[0].0.to_string(),
            viewport: Viewport::default(),
            status: None,
            derived: findings::Derived::default(),
            tree: TreeModel::default(),
            checker: findings::Checker::default(),
            scroll: [0; 4],
            should_quit: false,
            quit_after_save: false,
            allow_io: true,
            autosave: Autosave { enabled: false, written_rev: 0, last_write: None, writing: None },
            trace_view: trace_view::TraceView::default(),
            lab: lab::LabState::default(),
            planner: planner::PlannerState::default(),
            routes: routes::RoutesState::default(),
            reach: reach::ReachState::default(),
            map: map::MapState::default(),
        };
        app.refresh();
        // A large design is checked at the first tick, not before the first frame.
        if let Some(t) = app.checker.stale_since.as_mut() {
            *t = t.checked_sub(findings::RECHECK_DELAY).unwrap_or(*t);
        }
        app.tree.open_default(&app.design);
        app
    }

    /// The language of the whole interface (`K` switches it; `LANG` picks it at start).
    pub fn lang(&self) -> crate::l10n::Lang {
        self.lab.lang
    }

    /// Speak `lang` from now on: what the app keeps as text (the tree's labels) is rebuilt in it.
    pub fn set_lang(&mut self, lang: crate::l10n::Lang) {
        self.lab.lang = lang;
        if self.tree.lang != lang {
            self.tree.lang = lang;
            self.tree.rebuild(&self.design);
        }
    }

    /// Whether there are changes since the last save.
    pub fn dirty(&self) -> bool {
        self.rev != self.saved_rev
    }

    /// The file name for the status bar.
    pub fn file_label(&self) -> String {
        match &self.path {
            Some(p) => p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().to_string()),
            // The examples' name in the interface's language; a lab's or a recovery's as it is.
            None => match (self.origin.strip_prefix("example "), self.origin.strip_prefix("lab ")) {
                (Some(name), _) => crate::l10n::uif(self.lang(), "example {name}", &[("name", &name)]),
                (_, Some(lab)) => crate::l10n::uif(self.lang(), "lab {lab}", &[("lab", &lab)]),
                _ => self.origin.clone(),
            },
        }
    }

    /// Recompute what derives from the design: findings, references, the tree.
    pub fn refresh(&mut self) {
        self.derive(None);
    }

    /// Rebuild the tree from the design.
    pub fn rebuild_tree(&mut self) {
        self.tree.rebuild(&self.design);
    }

    /// Bring what derives from the design up to date after a change of the resources in
    /// `touched` (`None`: anything may have changed): the tree, the findings and the
    /// references at once, looking only at what the change touched. A change of the whole
    /// design is checked at once when the design is small and a moment later, off the UI
    /// thread, when it is large.
    pub fn derive(&mut self, touched: Option<&[Id]>) {
        match touched {
            Some(ids) => self.tree.update(&self.design, ids),
            None => self.tree.rebuild(&self.design),
        }
        let now = Instant::now();
        let at_once = self.checker.changed(touched, now);
        match touched {
            Some(ids) if at_once => {
                self.derived.refresh(&self.design, ids);
                self.checker.rev = self.rev;
            }
            Some(_) => {}
            None if self.design.resources().count() <= findings::INLINE_LIMIT => {
                self.set_derived(findings::derive(&self.design));
            }
            None => {}
        }
        self.reach.design_changed(&self.design, self.rev, touched);
    }

    /// Take derived state computed for the current revision.
    pub fn set_derived(&mut self, d: findings::Derived) {
        let import = std::mem::take(&mut self.derived.import);
        self.derived = d;
        self.derived.set_import(import);
        self.checker.rev = self.rev;
        self.checker.stale_since = None;
    }

    /// Wait for the findings of a large design (tests, benchmarks).
    pub fn wait_for_checks(&mut self) {
        if let Some(d) = self.checker.wait(&self.design, self.rev) {
            self.set_derived(d);
        }
    }

    /// Select what a form created or changed.
    pub fn select(&mut self, node: &NodeRef) {
        let id = match node {
            NodeRef::Resource { id, .. } => {
                self.tree.select_resource(&self.design, id);
                return;
            }
            NodeRef::Route { rtb, index } => format!("{rtb}/r/{index}"),
            NodeRef::SgRule { sg, egress, index } => format!("{sg}/{}/{index}", if *egress { "out" } else { "in" }),
            NodeRef::NaclEntry { acl, index } => format!("{acl}/e/{index}"),
            _ => return,
        };
        self.tree.select_node(&self.design, &id);
    }

    /// Select the node of a resource (building its part of the tree if need be).
    pub fn select_resource(&mut self, id: &str) -> bool {
        self.tree.select_resource(&self.design, id)
    }

    /// Select a tree node by its id.
    pub fn select_node(&mut self, id: &str) -> bool {
        self.tree.select_node(&self.design, id)
    }

    /// Open every tree node.
    pub fn expand_all(&mut self) {
        self.tree.expand_all(&self.design);
    }

    /// The report of the import the design came from: what it could not bring over counts as
    /// findings (IMPORT_ERROR, IMPORT_SKIPPED), as `vpcraft check` counts them.
    pub fn set_import_report(&mut self, report: Option<&crate::io::ImportReport>) {
        self.derived.set_import(report.map(findings::import_findings).unwrap_or_default());
    }

    /// Replace the design with another one (open, recover): history starts afresh, and the
    /// last import's findings go (an imported design sets its own after this).
    pub fn replace_design(&mut self, design: Design, path: Option<PathBuf>, origin: String) {
        // The old design's recovery file, if being written, lands first.
        files::settle(self);
        self.derived.set_import(Vec::new());
        self.design = design;
        self.disk = files::disk_fingerprint(path.as_deref());
        self.path = path;
        self.origin = origin;
        self.undo.clear();
        self.redo.clear();
        self.rev = self.next_rev;
        self.next_rev += 1;
        self.saved_rev = self.rev;
        self.autosave.written_rev = self.rev;
        self.tree = TreeModel::default();
        self.tree.lang = self.lang();
        self.scroll = [0; 4];
        self.trace_view = trace_view::TraceView { spec: self.trace_view.spec.take(), ..Default::default() };
        self.lab.active = None;
        self.planner = planner::PlannerState::default();
        self.routes = routes::RoutesState::default();
        self.reach.reset();
        self.modals.take_reach();
        self.map = map::MapState::reopened(self.map.shown);
        self.refresh();
        self.tree.open_default(&self.design);
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), kind: StatusKind::Info, at: Instant::now(), whatif: false });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), kind: StatusKind::Error, at: Instant::now(), whatif: false });
    }

    /// Switch to the next built-in theme.
    pub fn next_theme(&mut self) {
        let themes = crate::assets::THEMES;
        let i = themes.iter().position(|(n, _)| *n == self.theme).unwrap_or(0);
        self.theme = themes[(i + 1) % themes.len()].0.to_string();
        self.info(crate::l10n::uif(self.lang(), "theme: {theme}", &[("theme", &self.theme)]));
    }

    /// What the selected tree node stands for.
    pub fn selected_node(&self) -> Option<&NodeRef> {
        self.tree.selected().map(|n| &n.node)
    }

    /// The VPC the selection is in (or is).
    pub fn selected_vpc(&self) -> Option<&crate::model::Vpc> {
        let id = self.tree.find_up(|n| match n {
            NodeRef::Resource { kind: ResourceKind::Vpc, id } => Some(id.clone()),
            NodeRef::Az { vpc, .. } => Some(vpc.clone()),
            NodeRef::Group { vpc: Some(v), .. } => Some(v.clone()),
            NodeRef::Resource { kind: ResourceKind::Subnet, id } => self.design.subnet(id).map(|s| s.vpc.clone()),
            NodeRef::Resource { kind: ResourceKind::RouteTable, id } => {
                self.design.route_table(id).map(|s| s.vpc.clone())
            }
            _ => None,
        })?;
        self.design.vpc(&id)
    }

    /// The subnet the selection is in (or is).
    pub fn selected_subnet(&self) -> Option<&crate::model::Subnet> {
        let id = self.tree.find_up(|n| match n {
            NodeRef::Resource { kind: ResourceKind::Subnet, id } => Some(id.clone()),
            _ => None,
        })?;
        self.design.subnet(&id)
    }

    /// The route table the routes pane shows: the selected table, or the selected subnet's.
    pub fn selected_route_table(&self) -> Option<&crate::model::RouteTable> {
        if let Some(id) = self.tree.find_up(|n| match n {
            NodeRef::Resource { kind: ResourceKind::RouteTable, id } => Some(id.clone()),
            NodeRef::Route { rtb, .. } => Some(rtb.clone()),
            _ => None,
        }) {
            return self.design.route_table(&id);
        }
        let s = self.selected_subnet()?;
        self.design.subnet_route_table(&s.id)
    }

    /// Where the selection is, for prefilling a new form.
    pub fn context(&self) -> Context {
        let t = &self.tree;
        let vpc = self.selected_vpc().map(|v| v.id.clone());
        let region = t
            .find_up(|n| match n {
                NodeRef::Region(r) => Some(r.clone()),
                _ => None,
            })
            .unwrap_or_else(|| self.design.default_region.clone());
        let find = |kind: ResourceKind| {
            t.find_up(|n| match n {
                NodeRef::Resource { kind: k, id } if *k == kind => Some(id.clone()),
                _ => None,
            })
        };
        let az = t
            .find_up(|n| match n {
                NodeRef::Az { az, .. } => Some(az.clone()),
                _ => None,
            })
            .or_else(|| self.selected_subnet().map(|s| s.az.clone()));
        let route_table = find(ResourceKind::RouteTable).or_else(|| {
            t.find_up(|n| match n {
                NodeRef::Route { rtb, .. } => Some(rtb.clone()),
                _ => None,
            })
        });
        let security_group = find(ResourceKind::SecurityGroup).or_else(|| {
            t.find_up(|n| match n {
                NodeRef::SgRule { sg, .. } => Some(sg.clone()),
                _ => None,
            })
        });
        let network_acl = find(ResourceKind::NetworkAcl).or_else(|| {
            t.find_up(|n| match n {
                NodeRef::NaclEntry { acl, .. } => Some(acl.clone()),
                _ => None,
            })
        });
        let egress = matches!(self.selected_node(), Some(NodeRef::SgRule { egress: true, .. }));
        Context {
            region,
            vpc,
            az,
            subnet: self.selected_subnet().map(|s| s.id.clone()),
            route_table,
            security_group,
            network_acl,
            transit_gateway: find(ResourceKind::TransitGateway),
            egress,
            block: None,
            block6: None,
        }
    }
}
