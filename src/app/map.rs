//! The topology map pane: which part of the design it shows (a region or a VPC), where its
//! viewport is, which box is selected, and the laid-out picture, cached.
//!
//! The picture comes from the library's [`diagram`](crate::diagram): [`Scene::build`], then
//! [`layout_to_fit`] in terminal cells for the width of the map's canvas, then
//! [`place_trace`] for the trace being watched. Building it is linear in the design but not
//! free, so [`sync`] (run after every message) rebuilds it only when the design, the scope, the
//! canvas width or the trace changed; the view draws from the cache and never writes it.
//!
//! The tree's selection and the map's stay in step: selecting a box selects its resource in the
//! tree, and moving in the tree selects the box that shows the resource (see [`sync`]).

use super::input::{Area, Position};
use super::trace_view::{Phase, TraceMsg};
use super::tree::NodeRef;
use super::{App, Pane};
use crate::diagram::{layout_to_fit, place_trace, Filter, Layout, Metrics, NodeId, Scene, TracePath};
use crate::l10n::{ui, uif, Lang};
use crate::model::Id;
use crate::sim::TraceResult;

/// What part of the design the map draws.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everything.
    All,
    /// One region's VPCs, transit gateways and what is outside AWS.
    Region(String),
    /// One VPC (with its border gateways, endpoints, and the lines that leave it).
    Vpc(Id),
}

impl Scope {
    /// The picture filter of the scope.
    pub fn filter(&self) -> Filter {
        match self {
            Scope::All => Filter::default(),
            Scope::Region(r) => Filter { regions: vec![r.clone()], vpcs: Vec::new() },
            Scope::Vpc(v) => Filter { regions: Vec::new(), vpcs: vec![v.clone()] },
        }
    }

    /// `region ap-northeast-2`, `VPC vpc-1` … for the pane's title, in `lang`.
    pub fn label(&self, d: &crate::model::Design, lang: Lang) -> String {
        match self {
            Scope::All => ui(lang, "whole design"),
            Scope::Region(r) => uif(lang, "region {r}", &[("r", r)]),
            Scope::Vpc(v) => match d.vpc(v) {
                Some(vpc) if !vpc.name.is_empty() => format!("VPC {}", vpc.name),
                _ => format!("VPC {v}"),
            },
        }
    }
}

/// A laid-out picture: the scene, its layout in terminal cells, and the trace placed on it.
#[derive(Debug, Clone)]
pub struct MapPicture {
    pub scene: Scene,
    pub layout: Layout,
    /// The trace's hops on the scene, when a trace is loaded.
    pub path: Option<TracePath>,
    /// The language of the picture's words (the boxes' and the subnets' tags).
    pub lang: Lang,
}

impl MapPicture {
    /// The picture of a scope of a design, fitted to `width` cells, with a trace's path, its
    /// words in `lang`.
    pub fn build(
        d: &crate::model::Design,
        scope: &Scope,
        width: u16,
        trace: Option<&TraceResult>,
        lang: Lang,
    ) -> Result<MapPicture, crate::l10n::Text> {
        let scene = Scene::build_in(d, &scope.filter(), lang)?;
        let layout = layout_to_fit(&scene, Metrics::CELLS, i32::from(width.max(20)));
        let path = trace.map(|t| place_trace(&scene, d, t));
        Ok(MapPicture { scene, layout, path, lang })
    }
}

/// What a cached picture was built from.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheKey {
    pub rev: u64,
    pub scope: Scope,
    pub width: u16,
    pub trace: Option<TraceResult>,
    pub lang: Lang,
}

impl CacheKey {
    /// Whether a picture built from this key is the one the app would draw now at `width`
    /// (compared in place: nothing is cloned).
    pub fn matches(&self, app: &App, width: u16) -> bool {
        self.rev == app.rev
            && self.width == width
            && self.scope == scope(app)
            && self.trace.as_ref() == app.trace_view.result.as_ref()
            && self.lang == app.lang()
    }
}

/// The map pane's state.
#[derive(Debug, Clone, Default)]
pub struct MapState {
    /// Whether the map is on screen (it takes the place of the planner, routes and trace panes).
    pub shown: bool,
    pub scope: Option<Scope>,
    /// The viewport's top-left corner in layout cells.
    pub offset: (i32, i32),
    /// The selected box, by its scene key (stable across rebuilds).
    pub selected: Option<String>,
    /// The picture and what it was built from.
    pub cache: Option<(CacheKey, Result<MapPicture, crate::l10n::Text>)>,
    /// The tree node last seen selected, to notice moves in the tree.
    seen_tree: Option<String>,
    /// The trace step last seen, to keep the packet in view as it moves.
    seen_step: Option<(Phase, usize)>,
    /// The canvas size last seen: after a resize the selection is brought back into view.
    seen_canvas: Option<(u16, u16)>,
    /// Where a mouse drag last was (relative to the pane), while dragging the picture.
    pub drag: Option<Position>,
}

impl MapState {
    /// A fresh state for another design, shown if the map was.
    pub fn reopened(shown: bool) -> MapState {
        MapState { shown, ..MapState::default() }
    }
}

/// Messages of the map pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapMsg {
    /// Show the map (and focus it), or hide it when it is focused.
    Toggle,
    /// Select the next (+1) or previous (-1) box, in drawing order.
    Select(i8),
    /// Move the viewport by (columns, rows).
    Pan(i16, i16),
    /// Move the viewport by pages (columns, rows).
    Page(i8, i8),
    /// Back to the top-left corner.
    Home,
    /// ←/→: a trace step back/forward when a trace is loaded, else pan.
    Left,
    Right,
    /// Open the edit form of the selected box's resource.
    Activate,
    /// Region ⇄ VPC.
    ToggleScope,
    /// Draw the scope of the tree's selection again.
    Follow,
    /// A click, relative to the map pane's top-left corner.
    Click(Position),
    /// The pointer dragged (button held) to a position relative to the pane's corner.
    Drag(Position),
    /// The mouse button went up.
    Release,
}

/// The canvas and the step list inside the map pane's frame: the steps go beside the picture
/// (or under it on a narrow pane) while a trace is loaded.
pub fn split(inner: Area, trace: bool) -> (Area, Option<Area>) {
    if !trace || inner.width < 30 || inner.height < 6 {
        return (inner, None);
    }
    if inner.width >= 70 {
        let w = (inner.width / 3).clamp(26, 40);
        let canvas = Area { width: inner.width - w - 1, ..inner };
        let steps = Area { x: inner.x + inner.width - w, width: w, ..inner };
        return (canvas, Some(steps));
    }
    let h = (inner.height / 3).max(4);
    let canvas = Area { height: inner.height - h, ..inner };
    let steps = Area { y: inner.y + inner.height - h, height: h, ..inner };
    (canvas, Some(steps))
}

/// The map pane's frame inside its rectangle (a one-cell border).
pub fn inner(pane: Area) -> Area {
    Area {
        x: pane.x.saturating_add(1),
        y: pane.y.saturating_add(1),
        width: pane.width.saturating_sub(2),
        height: pane.height.saturating_sub(2),
    }
}

/// The canvas of a map pane of `pane`'s size, relative to the pane's top-left corner.
pub fn canvas_in(pane: Area, trace: bool) -> Area {
    split(inner(Area { x: 0, y: 0, ..pane }), trace).0
}

/// The canvas of the last frame, relative to the map pane's corner.
pub fn canvas_rect(app: &App) -> Option<Area> {
    let r = app.viewport.panes.iter().find(|(p, _)| *p == Pane::Map).map(|(_, r)| *r)?;
    Some(canvas_in(r, app.trace_view.result.is_some()))
}

/// The scope the tree's selection suggests: its VPC, else its region.
pub fn scope_of_selection(app: &App) -> Scope {
    if let Some(v) = app.selected_vpc() {
        return Scope::Vpc(v.id.clone());
    }
    let region = app.context().region;
    if app.design.vpcs.iter().any(|v| v.region == region)
        || app.design.transit_gateways.iter().any(|t| t.region == region)
    {
        Scope::Region(region)
    } else {
        Scope::All
    }
}

/// The scope the map draws now.
pub fn scope(app: &App) -> Scope {
    app.map.scope.clone().unwrap_or_else(|| scope_of_selection(app))
}

/// The key the picture for the app as it is now would have, given a canvas width.
pub fn key_for(app: &App, width: u16) -> CacheKey {
    CacheKey { rev: app.rev, scope: scope(app), width, trace: app.trace_view.result.clone(), lang: app.lang() }
}

/// The index of the current trace step in a [`TracePath`]'s steps (forward hops, then reply).
pub fn path_index(app: &App) -> Option<usize> {
    let r = app.trace_view.result.as_ref()?;
    let i = app.trace_view.anim.index;
    match app.trace_view.anim.phase {
        Phase::Forward => (i < r.forward.len()).then_some(i),
        Phase::Return => (i < r.return_path.len()).then_some(r.forward.len() + i),
    }
}

/// The box the packet is at on the current step: the step's own box, else the last box it
/// was at before (a hop outside the picture leaves the packet where it was).
pub fn packet_box(path: &TracePath, index: usize) -> Option<NodeId> {
    path.steps.get(..=index.min(path.steps.len().saturating_sub(1)))?.iter().rev().find_map(|s| s.at)
}

/// After every message: keep the cache, the scope, the focus and the two selections in step
/// with the app.
pub fn sync(app: &mut App) {
    if !app.map.shown {
        return;
    }
    match app.focus {
        // The trace pane is not on screen with the map: a trace run from the map plays on it.
        Pane::Trace => app.focus = Pane::Map,
        // Something sent the user to the planner or the route tables (a jump from a trace
        // step): those panes come back in place of the map.
        Pane::Planner | Pane::Routes => {
            app.map.shown = false;
            return;
        }
        Pane::Tree | Pane::Map => {}
    }
    let tree_sel = app.tree.selected_id();
    let tree_moved = tree_sel != app.map.seen_tree;
    if tree_moved || app.map.scope.is_none() {
        let scope = scope_of_selection(app);
        if app.map.scope.as_ref() != Some(&scope) {
            app.map.scope = Some(scope);
            app.map.offset = (0, 0);
        }
    }
    let Some(canvas) = canvas_rect(app) else { return };
    if !app.map.cache.as_ref().is_some_and(|(k, _)| k.matches(app, canvas.width)) {
        let key = key_for(app, canvas.width);
        let pic = MapPicture::build(&app.design, &key.scope, key.width, key.trace.as_ref(), key.lang);
        app.map.cache = Some((key, pic));
    }
    if tree_moved {
        // Seen only once the picture it is looked up in exists.
        app.map.seen_tree = tree_sel;
        select_from_tree(app);
    }
    let resized = app.map.seen_canvas != Some((canvas.width, canvas.height));
    app.map.seen_canvas = Some((canvas.width, canvas.height));
    if tree_moved || resized {
        reveal_selected(app, canvas);
    }
    let step = app.trace_view.result.as_ref().map(|_| (app.trace_view.anim.phase, app.trace_view.anim.index));
    if step != app.map.seen_step {
        app.map.seen_step = step;
        reveal_packet(app, canvas);
    }
}

/// The cached picture, if it is built.
pub fn picture(app: &App) -> Option<&MapPicture> {
    app.map.cache.as_ref().and_then(|(_, p)| p.as_ref().ok())
}

/// The box that shows the tree's selection becomes the map's selection.
fn select_from_tree(app: &mut App) {
    let Some(pic) = picture(app) else { return };
    let s = &pic.scene;
    let n = match app.selected_node() {
        Some(NodeRef::Region(r)) => s.by_key(&format!("region:{r}")),
        Some(NodeRef::Az { vpc, az }) => s.by_key(&format!("az:{vpc}:{az}")),
        Some(NodeRef::Group { vpc: Some(v), .. }) => s.locate(v),
        Some(NodeRef::Resource { id, .. }) => s.locate(id),
        Some(NodeRef::Route { rtb, .. }) => s.locate(rtb),
        Some(NodeRef::SgRule { sg, .. }) => s.locate(sg),
        Some(NodeRef::NaclEntry { acl, .. }) => s.locate(acl),
        _ => None,
    };
    app.map.selected = n.map(|n| s.nodes[n].key.clone());
}

/// Move the viewport the least that shows `r` (or its top-left when it is bigger).
fn reveal(app: &mut App, canvas: Area, r: crate::diagram::Rect) {
    let (w, h) = (i32::from(canvas.width), i32::from(canvas.height));
    let (mut x, mut y) = app.map.offset;
    // A gateway astride the top edge reaches a row above its VPC.
    let top = r.y - 1;
    if r.right() > x + w {
        x = r.right() - w;
    }
    if r.x < x {
        x = r.x;
    }
    if r.bottom() > y + h {
        y = r.bottom() - h;
    }
    if top < y {
        y = top;
    }
    app.map.offset = (x.max(0), y.max(0));
}

fn reveal_selected(app: &mut App, canvas: Area) {
    let Some(pic) = picture(app) else { return };
    let Some(n) = app.map.selected.as_deref().and_then(|k| pic.scene.by_key(k)) else { return };
    let r = pic.layout.nodes[n].rect;
    reveal(app, canvas, r);
}

fn reveal_packet(app: &mut App, canvas: Area) {
    let Some(pic) = picture(app) else { return };
    let (Some(path), Some(i)) = (pic.path.as_ref(), path_index(app)) else { return };
    let Some(n) = packet_box(path, i) else { return };
    let r = pic.layout.nodes[n].rect;
    reveal(app, canvas, r);
}

/// Select a box: the map's selection, and its resource in the tree.
fn select_box(app: &mut App, n: NodeId) {
    let Some(pic) = picture(app) else { return };
    let node = &pic.scene.nodes[n];
    let (key, kind, resource) = (node.key.clone(), node.kind, node.resource.clone());
    let label = format!("{} {}", node.kind.label(), node.name);
    // The tree's node for the box: its resource's, or the region's or AZ's own node.
    let moved = match (resource, kind) {
        (Some(id), _) => app.select_resource(&id),
        (None, crate::diagram::NodeKind::Region) => app.select_node(&key),
        (None, crate::diagram::NodeKind::AvailabilityZone) => {
            match key.strip_prefix("az:").and_then(|k| k.split_once(':')) {
                Some((vpc, az)) => app.select_node(&crate::app::tree::az_node_id(vpc, az)),
                None => false,
            }
        }
        _ => false,
    };
    if moved {
        // The tree moved because of the map: not a reason to change the scope.
        app.map.seen_tree = app.tree.selected_id();
    }
    app.map.selected = Some(key);
    app.info(crate::l10n::uif(app.lang(), "selected {label}", &[("label", &label)]));
    if let Some(c) = canvas_rect(app) {
        reveal_selected(app, c);
    }
}

/// Apply a map message.
pub fn update(app: &mut App, m: MapMsg) {
    let page = canvas_rect(app).map_or((40, 10), |c| (i32::from(c.width.max(2)) - 2, i32::from(c.height.max(2)) - 1));
    match m {
        MapMsg::Toggle => {
            if !app.map.shown {
                app.map.shown = true;
                app.map.scope = None;
                app.focus = Pane::Map;
            } else if app.focus != Pane::Map {
                app.focus = Pane::Map;
            } else {
                app.map.shown = false;
                app.focus = Pane::Tree;
            }
        }
        MapMsg::Select(d) => {
            let Some(pic) = picture(app) else { return };
            let order = pic.scene.preorder();
            if order.is_empty() {
                return;
            }
            let cur = app.map.selected.as_deref().and_then(|k| pic.scene.by_key(k));
            let pos = cur.and_then(|c| order.iter().position(|&n| n == c));
            let next = match pos {
                None => 0,
                Some(p) => (p as isize + isize::from(d)).clamp(0, order.len() as isize - 1) as usize,
            };
            select_box(app, order[next]);
        }
        MapMsg::Pan(dx, dy) => pan(app, i32::from(dx), i32::from(dy)),
        MapMsg::Page(px, py) => pan(app, i32::from(px) * page.0, i32::from(py) * page.1),
        MapMsg::Home => app.map.offset = (0, 0),
        MapMsg::Left | MapMsg::Right => {
            let forward = m == MapMsg::Right;
            if app.trace_view.result.is_some() {
                let t = if forward { TraceMsg::StepForward } else { TraceMsg::StepBack };
                super::trace_view::update(app, t);
            } else {
                pan(app, if forward { 8 } else { -8 }, 0);
            }
        }
        MapMsg::Activate => activate(app),
        MapMsg::ToggleScope => {
            let next = match scope(app) {
                Scope::Vpc(v) => match app.design.vpc(&v) {
                    Some(vpc) => Scope::Region(vpc.region.clone()),
                    None => Scope::All,
                },
                Scope::Region(_) | Scope::All => match scope_of_selection(app) {
                    s @ Scope::Vpc(_) => s,
                    _ => match app.design.vpcs.first() {
                        Some(v) => Scope::Vpc(v.id.clone()),
                        None => Scope::All,
                    },
                },
            };
            app.info(crate::l10n::uif(app.lang(), "map: {x}", &[("x", &next.label(&app.design, app.lang()))]));
            app.map.scope = Some(next);
            app.map.offset = (0, 0);
        }
        MapMsg::Follow => {
            app.map.scope = Some(scope_of_selection(app));
            app.map.offset = (0, 0);
            app.map.seen_tree = None;
        }
        MapMsg::Click(at) => {
            app.focus = Pane::Map;
            app.map.drag = Some(at);
            if let Some(n) = box_at(app, at) {
                select_box(app, n);
            }
        }
        MapMsg::Drag(at) => {
            if let Some(last) = app.map.drag {
                pan(app, i32::from(last.x) - i32::from(at.x), i32::from(last.y) - i32::from(at.y));
                app.map.drag = Some(at);
            }
        }
        MapMsg::Release => app.map.drag = None,
    }
}

fn pan(app: &mut App, dx: i32, dy: i32) {
    let (w, h) = picture(app).map_or((0, 0), |p| (p.layout.width, p.layout.height));
    let (cw, ch) = canvas_rect(app).map_or((0, 0), |c| (i32::from(c.width), i32::from(c.height)));
    let (x, y) = app.map.offset;
    app.map.offset = ((x + dx).clamp(0, (w - cw).max(0)), (y + dy).clamp(0, (h - ch).max(0)));
}

/// The innermost box under a position of the last frame's map pane (relative to its corner).
pub fn box_at(app: &App, at: Position) -> Option<NodeId> {
    let canvas = canvas_rect(app)?;
    if !canvas.contains(at) {
        return None;
    }
    let pic = picture(app)?;
    let p = crate::diagram::Point {
        x: i32::from(at.x - canvas.x) + app.map.offset.0,
        y: i32::from(at.y - canvas.y) + app.map.offset.1,
    };
    let inside = |r: &crate::diagram::Rect| p.x >= r.x && p.x < r.right() && p.y >= r.y && p.y < r.bottom();
    // Children are drawn after (on top of) their parents: the last hit in drawing order wins.
    pic.scene.preorder().into_iter().rev().find(|&n| inside(&pic.layout.nodes[n].rect))
}

/// Enter: the selected box's resource, selected in the tree, opened in the edit form the
/// tree's Enter opens (one edit path).
fn activate(app: &mut App) {
    let Some(pic) = picture(app) else { return };
    let Some(n) = app.map.selected.as_deref().and_then(|k| pic.scene.by_key(k)) else {
        app.error(crate::l10n::ui(app.lang(), "select a box first (↑/↓ or a click)"));
        return;
    };
    let node = &pic.scene.nodes[n];
    let label = format!("{} {}", node.kind.label(), node.name);
    match node.resource.clone() {
        Some(id) if app.design.find(&id).is_some() => {
            if app.select_resource(&id) {
                app.map.seen_tree = app.tree.selected_id();
                super::update::edit_selected(app);
            } else {
                app.error(crate::l10n::uif(
                    app.lang(),
                    "{label} is not shown in the tree (check the filter)",
                    &[("label", &label)],
                ));
            }
        }
        _ => app.error(crate::l10n::uif(
            app.lang(),
            "{label} is not a resource of the design: nothing to edit",
            &[("label", &label)],
        )),
    }
}
