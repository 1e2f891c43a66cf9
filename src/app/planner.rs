//! The subnet planner pane: its state, messages and update logic (the drawing is in
//! `ui::planner`).
//!
//! The pane shows one VPC's address space as blocks in address order: its subnets and its free
//! space (maximal aligned blocks from [`crate::net::AddressPlan`], which the user may split
//! further in the view). Every change to the design goes through [`App::edit`], so each is one
//! undo step that marks the design changed, exactly like an edit from the tree. Rule numbers
//! (A5, A6, R1, R9) refer to `docs/aws-network-semantics.md`.

use super::forms::{kinds, Choice, Field, Form, FormKind, FormTarget};
use super::msg::Msg;
use super::{App, Pane, Popup};
use crate::model::edit::DeleteMode;
use crate::model::ops::{Op, Ref};
use crate::model::{Design, Id, ResourceKind, RouteTarget, Vpc};
use crate::net::{self, AddressPlan, LayoutRow};
use ipnet::Ipv4Net;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

type Errors = Vec<(&'static str, String)>;

/// What the planner pane's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlannerMsg {
    /// The previous block (in address order).
    Prev,
    Next,
    First,
    Last,
    PageUp,
    PageDown,
    /// A new subnet in the selected free block.
    Carve,
    /// Split the selected free block (in the view) or an empty subnet.
    Split,
    /// Join the selected block with its sibling (free blocks in the view, or two empty subnets).
    Join,
    /// Resize the selected subnet.
    Resize,
    /// Lay out tiers × AZs of subnets in free space.
    Layout,
    /// Colour subnets by AZ or by tier (public/private).
    ToggleColour,
    NextVpc,
    PrevVpc,
    /// Follow the tree's VPC again.
    Follow,
    /// Enter: apply the layout preview, or select the subnet in the tree.
    Activate,
    /// Esc: discard the layout preview, else what Esc does everywhere.
    Back,
}

/// The planner's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlannerForm {
    Carve,
    Resize,
    Layout,
}

impl PlannerForm {
    pub fn label(self) -> &'static str {
        match self {
            PlannerForm::Carve => "subnet",
            PlannerForm::Resize => "subnet size",
            PlannerForm::Layout => "subnet layout",
        }
    }
}

/// How used blocks are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colouring {
    #[default]
    Az,
    /// Public or private by the subnet's route table (R9).
    Tier,
}

/// A planned layout waiting for Enter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutPreview {
    pub vpc: Id,
    pub rows: Vec<LayoutRow>,
}

/// The planner pane's own state.
#[derive(Debug, Clone, Default)]
pub struct PlannerState {
    /// A VPC chosen with `[`/`]`; `None` follows the tree's selection.
    pub vpc: Option<Id>,
    /// Index into [`blocks`].
    pub cursor: usize,
    pub colouring: Colouring,
    /// Free blocks the user split in the view (each shows as its two halves).
    pub view_splits: BTreeSet<Ipv4Net>,
    pub preview: Option<LayoutPreview>,
}

/// What a block of the address space is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Subnet(Id),
    Free,
}

/// One block of a VPC's address space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub cidr: Ipv4Net,
    pub kind: BlockKind,
}

impl Block {
    pub fn subnet(&self) -> Option<&str> {
        match &self.kind {
            BlockKind::Subnet(id) => Some(id),
            BlockKind::Free => None,
        }
    }

    pub fn is_free(&self) -> bool {
        self.kind == BlockKind::Free
    }
}

/// The VPC the planner shows: the one chosen with `[`/`]`, else the tree selection's, else the
/// design's first.
pub fn current_vpc(app: &App) -> Option<&Vpc> {
    app.planner
        .vpc
        .as_deref()
        .and_then(|id| app.design.vpc(id))
        .or_else(|| app.selected_vpc())
        .or_else(|| app.design.vpcs.first())
}

/// The address plan of a VPC (fails when the design has overlapping subnets).
pub fn plan(d: &Design, vpc: &Vpc) -> Result<AddressPlan, String> {
    let cidrs: Vec<Ipv4Net> = vpc.cidrs().collect();
    let subnets: Vec<Ipv4Net> = d.vpc_subnets(&vpc.id).map(|s| s.cidr).collect();
    AddressPlan::new(&cidrs, &subnets).map_err(|e| e.to_string())
}

/// Every block of a VPC in address order: its subnets and its free space, with free blocks
/// shown split where the user split them. The error says why free space is unknown.
pub fn blocks(d: &Design, vpc: &Vpc, splits: &BTreeSet<Ipv4Net>) -> (Vec<Block>, Option<String>) {
    let mut out: Vec<Block> =
        d.vpc_subnets(&vpc.id).map(|s| Block { cidr: s.cidr, kind: BlockKind::Subnet(s.id.clone()) }).collect();
    let err = match plan(d, vpc) {
        Ok(p) => {
            for f in p.free_blocks() {
                push_free(*f, splits, &mut out);
            }
            None
        }
        Err(e) => Some(e),
    };
    out.sort_by_key(|b| (u32::from(b.cidr.network()), b.cidr.prefix_len()));
    (out, err)
}

fn push_free(b: Ipv4Net, splits: &BTreeSet<Ipv4Net>, out: &mut Vec<Block>) {
    if b.prefix_len() < 28 && splits.contains(&b) {
        if let Ok(halves) = net::split(b, 1) {
            for h in halves {
                push_free(h, splits, out);
            }
            return;
        }
    }
    out.push(Block { cidr: b, kind: BlockKind::Free });
}

/// The blocks of the current VPC and the cursor clamped to them.
pub fn view(app: &App) -> Option<(&Vpc, Vec<Block>, usize, Option<String>)> {
    let vpc = current_vpc(app)?;
    let (b, err) = blocks(&app.design, vpc, &app.planner.view_splits);
    let cur = app.planner.cursor.min(b.len().saturating_sub(1));
    Some((vpc, b, cur, err))
}

/// Public, private or VPN-only, by the subnet's route table (R9).
pub fn tier(d: &Design, subnet: &str) -> &'static str {
    let Some(rt) = d.subnet_route_table(subnet) else { return "private" };
    let igw = rt.routes.iter().any(|r| matches!(r.target, RouteTarget::InternetGateway(_)));
    let vgw =
        rt.routes.iter().any(|r| matches!(r.target, RouteTarget::VpnGateway(_))) || !rt.propagating_vgws.is_empty();
    if igw {
        "public"
    } else if vgw {
        "vpn-only"
    } else {
        "private"
    }
}

/// What lives in a subnet besides its route table and NACL associations.
pub fn occupants(app: &App, subnet: &str) -> Vec<String> {
    app.refs
        .get(subnet)
        .map(|refs| {
            refs.iter()
                .filter(|r| !matches!(r.from_kind, ResourceKind::RouteTable | ResourceKind::NetworkAcl))
                .map(|r| {
                    let name = app.design.find(&r.from).map_or_else(|| r.from.clone(), |x| x.display_name());
                    format!("{} {name}", r.from_kind.label())
                })
                .collect()
        })
        .unwrap_or_default()
}

fn parse_prefix(s: &str) -> Result<u8, String> {
    let t = s.trim().trim_start_matches('/');
    match t.parse::<u8>() {
        Ok(n) if (16..=28).contains(&n) => Ok(n),
        _ => Err(format!("'{}' is not a subnet size: /16 to /28 (A5)", s.trim())),
    }
}

fn az_full(region: &str, az: &str) -> String {
    if az.len() <= 2 {
        format!("{region}{az}")
    } else {
        az.to_string()
    }
}

/// The short name of a zone: `ap-northeast-2a` → `2a`.
fn az_short(az: &str) -> &str {
    az.rsplit('-').next().unwrap_or(az)
}

// ---------------------------------------------------------------------------------------------
// Update.

/// Apply a planner message.
pub fn update(app: &mut App, m: PlannerMsg) {
    app.focus = Pane::Planner;
    let Some((vpc, blocks, cur, _)) = view(app) else {
        if m == PlannerMsg::Back {
            super::update::update(app, Msg::Escape);
        } else {
            app.error("no VPC to plan: add one in the tree first (a)");
        }
        return;
    };
    let vpc = vpc.clone();
    let n = blocks.len();
    let last = n.saturating_sub(1);
    let block = blocks.get(cur).cloned();
    match m {
        PlannerMsg::Prev => app.planner.cursor = cur.saturating_sub(1),
        PlannerMsg::Next => app.planner.cursor = (cur + 1).min(last),
        PlannerMsg::First => app.planner.cursor = 0,
        PlannerMsg::Last => app.planner.cursor = last,
        PlannerMsg::PageUp => app.planner.cursor = cur.saturating_sub(8),
        PlannerMsg::PageDown => app.planner.cursor = (cur + 8).min(last),
        PlannerMsg::ToggleColour => {
            app.planner.colouring = match app.planner.colouring {
                Colouring::Az => Colouring::Tier,
                Colouring::Tier => Colouring::Az,
            };
            let what = if app.planner.colouring == Colouring::Az { "AZ" } else { "tier (public/private, R9)" };
            app.info(format!("planner colours subnets by {what}"));
        }
        PlannerMsg::NextVpc | PlannerMsg::PrevVpc => {
            let k = app.design.vpcs.len();
            if k == 0 {
                return;
            }
            let i = app.design.vpcs.iter().position(|v| v.id == vpc.id).unwrap_or(0);
            let j = if m == PlannerMsg::NextVpc { (i + 1) % k } else { (i + k - 1) % k };
            let next = app.design.vpcs[j].id.clone();
            app.planner.vpc = Some(next.clone());
            app.planner.cursor = 0;
            app.planner.preview = None;
            app.info(format!("planner shows {next} (f: follow the tree again)"));
        }
        PlannerMsg::Follow => {
            app.planner.vpc = None;
            app.planner.cursor = 0;
            app.info("planner follows the tree's VPC");
        }
        PlannerMsg::Activate => {
            if app.planner.preview.is_some() {
                apply_layout(app);
            } else if let Some(id) = block.as_ref().and_then(|b| b.subnet()) {
                let id = id.to_string();
                app.tree.select_resource(&id);
                app.info(format!("selected {id} in the tree"));
            }
        }
        PlannerMsg::Back => {
            if app.planner.preview.take().is_some() {
                app.info("layout preview discarded");
            } else {
                super::update::update(app, Msg::Escape);
            }
        }
        PlannerMsg::Carve => match block {
            Some(b) if b.is_free() => open_carve(app, &vpc, b.cidr),
            Some(b) => app.error(format!("{} is a subnet: select a free block (dimmed) to carve from", b.cidr)),
            None => open_layout_or_error(app, &vpc),
        },
        PlannerMsg::Split => match block {
            Some(b) => split(app, &vpc, &b),
            None => app.error("nothing selected"),
        },
        PlannerMsg::Join => match block {
            Some(b) => join(app, &vpc, &b, &blocks),
            None => app.error("nothing selected"),
        },
        PlannerMsg::Resize => match block.as_ref().and_then(|b| b.subnet()) {
            Some(id) => open_resize(app, id),
            None => app.error("select a subnet to resize; free blocks have no size to change"),
        },
        PlannerMsg::Layout => open_layout(app, &vpc),
    }
}

fn open_layout_or_error(app: &mut App, vpc: &Vpc) {
    app.error(format!("{} has no free space to carve from; try L for a layout", vpc.name));
}

/// Put the cursor on the block at `cidr`.
pub fn select_cidr(app: &mut App, cidr: Ipv4Net) {
    if let Some((_, blocks, _, _)) = view(app) {
        if let Some(i) = blocks.iter().position(|b| b.cidr == cidr) {
            app.planner.cursor = i;
        }
    }
}

fn split(app: &mut App, vpc: &Vpc, b: &Block) {
    if b.cidr.prefix_len() >= 28 {
        app.error(format!("{} cannot be split: /28 is the smallest subnet (A5)", b.cidr));
        return;
    }
    let Some(id) = b.subnet() else {
        app.planner.view_splits.insert(b.cidr);
        app.info(format!("free block {} shown as two halves (j joins them back)", b.cidr));
        return;
    };
    let blockers = occupants(app, id);
    let Some(s) = app.design.subnet(id).cloned() else { return };
    if !blockers.is_empty() {
        app.error(format!(
            "{} not split: it holds {} (R1/A5: move or delete them first)",
            s.name,
            list_short(&blockers)
        ));
        return;
    }
    let halves = match net::split(s.cidr, 1) {
        Ok(h) if h.len() == 2 => h,
        Ok(_) => return,
        Err(e) => {
            app.error(format!("{} not split: {e}", s.name));
            return;
        }
    };
    let (lo, hi) = (halves[0], halves[1]);
    let vpc_id = vpc.id.clone();
    let result = app.edit(&format!("split subnet {}", s.name), |d| {
        let rt = d.route_tables.iter().find(|t| t.subnets.contains(&s.id)).map(|t| t.id.clone());
        let acl = d.network_acls.iter().find(|a| a.subnets.contains(&s.id)).map(|a| a.id.clone());
        if let Some(x) = d.subnets.iter_mut().find(|x| x.id == s.id) {
            x.cidr = lo;
        }
        let new = d
            .apply(&Op::AddSubnet {
                vpc: Ref::id(vpc_id.clone()),
                name: format!("{}-b", s.name),
                cidr: hi,
                az: s.az.clone(),
                public_ip_on_launch: s.map_public_ip_on_launch,
                route_table: rt.map(Ref::id),
            })
            .map_err(|e| e.to_string())?
            .created
            .ok_or("no subnet was created")?;
        if let Some(acl) = acl {
            d.associate_network_acl(&new, &acl).map_err(|e| e.to_string())?;
        }
        Ok(new)
    });
    match result {
        Ok(new) => {
            select_cidr(app, lo);
            app.info(format!("split {} into {lo} and {hi} ({new}); u undoes", s.name));
        }
        Err(e) => app.error(format!("{} not split: {e}", s.name)),
    }
}

fn list_short(items: &[String]) -> String {
    let mut s = items.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > 3 {
        s.push_str(&format!(" and {} more", items.len() - 3));
    }
    s
}

/// The other half of `c`'s parent block.
fn sibling(c: Ipv4Net) -> Option<(Ipv4Net, Ipv4Net)> {
    let p = c.prefix_len().checked_sub(1)?;
    let parent = Ipv4Net::new(c.network(), p).ok()?.trunc();
    let size = 1u64 << (32 - u32::from(c.prefix_len()));
    let base = u64::from(u32::from(parent.network()));
    let other = if parent.network() == c.network() { base + size } else { base };
    let other = Ipv4Net::new(Ipv4Addr::from(u32::try_from(other).ok()?), c.prefix_len()).ok()?;
    Some((parent, other))
}

fn join(app: &mut App, vpc: &Vpc, b: &Block, blocks: &[Block]) {
    let Some((parent, other)) = sibling(b.cidr) else {
        app.error(format!("{} has no sibling to join with", b.cidr));
        return;
    };
    let Some(id) = b.subnet() else {
        let sibling_free = blocks.iter().any(|x| x.cidr == other && x.is_free());
        if app.planner.view_splits.contains(&parent) && sibling_free {
            app.planner.view_splits.retain(|x| !parent.contains(x));
            select_cidr(app, parent);
            app.info(format!("free blocks joined into {parent}"));
        } else if app.planner.view_splits.contains(&parent) {
            app.planner.view_splits.retain(|x| !parent.contains(x));
            select_cidr(app, parent);
            app.info(format!("free space under {parent} shown whole again"));
        } else {
            app.error(format!("{} is already as large as free space allows: its sibling {other} is not free", b.cidr));
        }
        return;
    };
    let Some(s) = app.design.subnet(id).cloned() else { return };
    let Some(o) = app.design.vpc_subnets(&vpc.id).find(|x| x.cidr == other).cloned() else {
        let why = if blocks.iter().any(|x| x.is_free() && other.contains(&x.cidr.network())) {
            format!("its sibling {other} is free space, not a subnet: use r to resize {} into it", s.name)
        } else {
            format!("its sibling {other} is not one subnet of the same size")
        };
        app.error(format!("{} not joined: {why}", s.name));
        return;
    };
    if parent.prefix_len() < 16 {
        app.error(format!("{} not joined: {parent} is larger than /16, the largest subnet (A5)", s.name));
        return;
    }
    if !vpc.cidrs().any(|c| c.contains(&parent)) {
        app.error(format!("{} not joined: {parent} would span two VPC CIDRs (A5)", s.name));
        return;
    }
    if s.az != o.az {
        app.error(format!(
            "{} not joined: {} is in {} and {} in {}; a subnet sits in one AZ (A5)",
            s.name, s.name, s.az, o.name, o.az
        ));
        return;
    }
    for x in [&s, &o] {
        let occ = occupants(app, &x.id);
        if !occ.is_empty() {
            app.error(format!("{} not joined: {} holds {}", s.name, x.name, list_short(&occ)));
            return;
        }
    }
    let (keep, drop) = if s.cidr.network() < o.cidr.network() { (s, o) } else { (o, s) };
    let what = format!("join subnets {} and {}", keep.name, drop.name);
    let result = app.edit(&what, |d| {
        d.delete(&drop.id, DeleteMode::Cascade).map_err(|e| e.to_string())?;
        let x = d.subnets.iter_mut().find(|x| x.id == keep.id).ok_or("the subnet is gone")?;
        x.cidr = parent;
        Ok(())
    });
    match result {
        Ok(()) => {
            select_cidr(app, parent);
            app.info(format!("joined {} and {} into {} {parent}; u undoes", keep.name, drop.name, keep.name));
        }
        Err(e) => app.error(format!("not joined: {e}")),
    }
}

// ---------------------------------------------------------------------------------------------
// Forms.

fn az_choices(d: &Design, vpc: &Vpc) -> Vec<Choice> {
    let mut azs = d.azs(&vpc.region);
    for s in d.vpc_subnets(&vpc.id) {
        if !azs.contains(&s.az) {
            azs.push(s.az.clone());
        }
    }
    if azs.is_empty() {
        azs.push(format!("{}a", vpc.region));
    }
    azs.into_iter().map(|a| Choice::new(a.clone(), a)).collect()
}

fn open_carve(app: &mut App, vpc: &Vpc, free: Ipv4Net) {
    if free.prefix_len() > 28 {
        app.error(format!("{free} is smaller than /28, the smallest subnet (A5)"));
        return;
    }
    let d = &app.design;
    let prefix = free.prefix_len().max(16);
    let cidr = Ipv4Net::new(free.network(), prefix).map(|c| c.trunc()).unwrap_or(free);
    let azs = az_choices(d, vpc);
    // The zone with the fewest subnets of this VPC.
    let az = azs
        .iter()
        .min_by_key(|c| d.vpc_subnets(&vpc.id).filter(|s| s.az == c.value).count())
        .map(|c| c.value.clone())
        .unwrap_or_default();
    let mut n = d.vpc_subnets(&vpc.id).count() + 1;
    while d.vpc_subnets(&vpc.id).any(|s| s.name == format!("subnet-{n}")) {
        n += 1;
    }
    let mut rts = vec![Choice::new("", "the main table (implicit, R1)")];
    rts.extend(
        d.route_tables
            .iter()
            .filter(|t| t.vpc == vpc.id)
            .map(|t| Choice::new(t.id.clone(), format!("{} ({})", t.name, t.id))),
    );
    let fields = vec![
        Field::text("block", "Free block", free.to_string(), "").locked(),
        Field::text("name", "Name", format!("subnet-{n}"), "a name unique in the VPC"),
        Field::choice("az", "Availability zone", azs, &az),
        Field::text("prefix", "Prefix length", format!("/{prefix}"), "/16 to /28 (A5); fills the CIDR"),
        Field::text("cidr", "CIDR", cidr.to_string(), "inside the VPC, overlapping no subnet (A5)"),
        Field::choice("route_table", "Route table", rts, ""),
    ];
    let mut form = Form::new(
        FormKind::Planner(PlannerForm::Carve),
        FormTarget::NewIn(vpc.id.clone()),
        format!("New subnet in {free}"),
        fields,
    );
    form.focus = 1;
    form.validate(&app.design);
    app.popup = Some(Popup::Form(form));
}

fn open_resize(app: &mut App, id: &str) {
    let Some(s) = app.design.subnet(id) else { return };
    let fields = vec![
        Field::text("subnet", "Subnet", format!("{} {}", s.name, s.cidr), "").locked(),
        Field::text("prefix", "New prefix", format!("/{}", s.cidr.prefix_len()), "/16 to /28, where space allows"),
        Field::text("result", "Becomes", s.cidr.to_string(), "").locked(),
    ];
    let mut form = Form::new(
        FormKind::Planner(PlannerForm::Resize),
        FormTarget::Edit(s.id.clone()),
        format!("Resize {}", s.name),
        fields,
    );
    form.validate(&app.design);
    app.popup = Some(Popup::Form(form));
}

fn open_layout(app: &mut App, vpc: &Vpc) {
    let azs: Vec<String> = az_choices(&app.design, vpc).into_iter().take(2).map(|c| c.value).collect();
    let fields = vec![
        Field::text("tiers", "Tiers", "public, private", "comma-separated tier names"),
        Field::text("azs", "AZs", azs.join(", "), "comma-separated zones (or letters: a, b)"),
        Field::text("size", "Subnet size", "/24", "/16 to /28 (A5)"),
    ];
    let mut form = Form::new(
        FormKind::Planner(PlannerForm::Layout),
        FormTarget::NewIn(vpc.id.clone()),
        format!("Lay out subnets in {}", vpc.name),
        fields,
    );
    form.validate(&app.design);
    form.message = layout_rows(&form, &app.design).ok().map(|r| preview_text(&r));
    app.popup = Some(Popup::Form(form));
}

fn preview_text(rows: &[LayoutRow]) -> String {
    let items: Vec<String> = rows.iter().map(|r| format!("{}-{} {}", r.tier, az_short(&r.az), r.cidr)).collect();
    format!("Preview ({} subnets): {}", rows.len(), items.join(", "))
}

fn form_vpc<'a>(form: &Form, d: &'a Design) -> Option<&'a Vpc> {
    match &form.target {
        FormTarget::NewIn(v) => d.vpc(v),
        FormTarget::Edit(s) => d.subnet(s).and_then(|s| d.vpc(&s.vpc)),
        _ => None,
    }
}

fn layout_rows(form: &Form, d: &Design) -> Result<Vec<LayoutRow>, (&'static str, String)> {
    let vpc = form_vpc(form, d).ok_or(("tiers", "the VPC is gone".to_string()))?;
    let tiers = kinds::list(form.get("tiers"));
    if tiers.is_empty() {
        return Err(("tiers", "required: at least one tier, e.g. public, private".into()));
    }
    let azs: Vec<String> = kinds::list(form.get("azs")).iter().map(|a| az_full(&vpc.region, a)).collect();
    if azs.is_empty() {
        return Err(("azs", "required: at least one zone".into()));
    }
    let size = parse_prefix(form.get("size")).map_err(|e| ("size", e))?;
    let p = plan(d, vpc).map_err(|e| ("size", e))?;
    p.layout(&tiers, &azs, size).map_err(|e| ("size", e.to_string()))
}

/// Keep dependent fields in step: the carve CIDR follows the prefix length, the resize result
/// follows the new prefix, the layout preview follows everything.
pub fn on_change(kind: PlannerForm, form: &mut Form, key: &str, d: &Design) {
    match (kind, key) {
        (PlannerForm::Carve, "prefix") => {
            let Ok(n) = parse_prefix(form.get("prefix")) else { return };
            let Ok(free) = form.get("block").parse::<Ipv4Net>() else { return };
            let cidr = if n >= free.prefix_len() {
                Ipv4Net::new(free.network(), n).ok().map(|c| c.trunc())
            } else {
                form_vpc(form, d).and_then(|v| plan(d, v).ok()).and_then(|p| p.next_free_block(n).ok())
            };
            if let (Some(c), Some(f)) = (cidr, form.field_mut("cidr")) {
                f.input = super::forms::LineInput::new(c.to_string());
            }
        }
        (PlannerForm::Resize, "prefix") => {
            let result = resize_target(form, d).map(|c| c.to_string()).unwrap_or_else(|_| "—".into());
            if let Some(f) = form.field_mut("result") {
                f.input = super::forms::LineInput::new(result);
            }
        }
        (PlannerForm::Layout, _) => {
            form.message = layout_rows(form, d).ok().map(|r| preview_text(&r));
        }
        _ => {}
    }
}

/// What the resize form's subnet would become, with every reason it cannot.
fn resize_target(form: &Form, d: &Design) -> Result<Ipv4Net, String> {
    let FormTarget::Edit(id) = &form.target else { return Err("no subnet".into()) };
    let s = d.subnet(id).ok_or("the subnet is gone")?;
    let vpc = d.vpc(&s.vpc).ok_or("the VPC is gone")?;
    let n = parse_prefix(form.get("prefix"))?;
    let p = plan(d, vpc)?;
    let resized = p.check_resize(s.cidr, n).map_err(|e| e.to_string())?;
    for (ip, holder) in kinds::used_ips(d, &s.id, None) {
        if !resized.contains(&ip) {
            return Err(format!("{ip} ({holder}) would fall outside {resized}"));
        }
        let off = u32::from(ip).wrapping_sub(u32::from(resized.network()));
        if off < 4 || ip == resized.broadcast() {
            return Err(format!("{ip} ({holder}) would be one of {resized}'s reserved addresses (A6)"));
        }
    }
    Ok(resized)
}

/// Check a planner form.
pub fn validate(kind: PlannerForm, form: &Form, d: &Design, e: &mut Errors) {
    match kind {
        PlannerForm::Carve => {
            let Some(vpc) = form_vpc(form, d) else {
                e.push(("name", "the VPC is gone".into()));
                return;
            };
            let name = form.get("name");
            if name.is_empty() {
                e.push(("name", "required: a name for the subnet".into()));
            } else if d.vpc_subnets(&vpc.id).any(|s| s.name == name) {
                e.push(("name", format!("{} already has a subnet named {name}", vpc.name)));
            }
            if form.get("az").is_empty() {
                e.push(("az", "required: the subnet's zone (A5)".into()));
            }
            if let Err(m) = parse_prefix(form.get("prefix")) {
                e.push(("prefix", m));
            }
            match kinds::parse_cidr(form.get("cidr")) {
                Err(m) => e.push(("cidr", m)),
                Ok(c) => {
                    let vpc_cidrs: Vec<Ipv4Net> = vpc.cidrs().collect();
                    let subnets: Vec<Ipv4Net> = d.vpc_subnets(&vpc.id).map(|s| s.cidr).collect();
                    if let Err(m) = net::check_subnet_cidr(&vpc_cidrs, &subnets, c) {
                        e.push(("cidr", m.to_string()));
                    }
                }
            }
        }
        PlannerForm::Resize => {
            if let Err(m) = resize_target(form, d) {
                e.push(("prefix", m));
            }
        }
        PlannerForm::Layout => {
            if let Err((k, m)) = layout_rows(form, d) {
                e.push((k, m));
            }
        }
    }
}

/// Apply a valid planner form.
pub fn submit(app: &mut App, mut form: Form) {
    let FormKind::Planner(kind) = form.kind else { return };
    let result: Result<Ipv4Net, String> = match kind {
        PlannerForm::Carve => {
            let FormTarget::NewIn(vpc) = form.target.clone() else { return };
            let name = form.get("name").to_string();
            let az = form.get("az").to_string();
            let cidr = form.get("cidr").to_string();
            let rt = form.get("route_table").to_string();
            let what = format!("carve subnet {name} {cidr}");
            app.edit(&what, |d| {
                let cidr = kinds::parse_cidr(&cidr)?;
                let route_table = if rt.is_empty() { None } else { Some(Ref::id(rt)) };
                let op = Op::AddSubnet {
                    vpc: Ref::id(vpc),
                    name: name.clone(),
                    cidr,
                    az,
                    public_ip_on_launch: false,
                    route_table,
                };
                let id = d.apply(&op).map_err(|e| e.to_string())?.created.ok_or("no subnet was created")?;
                d.subnet(&id).map(|s| s.cidr).ok_or_else(|| "the subnet is gone".into())
            })
        }
        PlannerForm::Resize => {
            let FormTarget::Edit(id) = form.target.clone() else { return };
            match resize_target(&form, &app.design) {
                Err(e) => Err(e),
                Ok(new) => {
                    let name = app.design.subnet(&id).map(|s| s.name.clone()).unwrap_or_default();
                    app.edit(&format!("resize subnet {name} to {new}"), |d| {
                        let s = d.subnets.iter_mut().find(|s| s.id == id).ok_or("the subnet is gone")?;
                        s.cidr = new;
                        Ok(new)
                    })
                }
            }
        }
        PlannerForm::Layout => match (layout_rows(&form, &app.design), form_vpc(&form, &app.design)) {
            (Ok(rows), Some(vpc)) => {
                let vpc = vpc.id.clone();
                let n = rows.len();
                app.planner.preview = Some(LayoutPreview { vpc, rows });
                app.focus = Pane::Planner;
                app.info(format!("layout preview: {n} subnets · Enter applies them as one change, Esc discards"));
                return;
            }
            (Err((_, e)), _) => Err(e),
            (_, None) => Err("the VPC is gone".into()),
        },
    };
    match result {
        Ok(cidr) => {
            select_cidr(app, cidr);
            app.info(format!("{}: done (u undoes)", form.title));
        }
        Err(e) => {
            form.message = Some(format!("Not applied: {e}"));
            app.popup = Some(Popup::Form(form));
        }
    }
}

/// Create the previewed layout's subnets through `Op::AddSubnet`, as one undo step.
fn apply_layout(app: &mut App) {
    let Some(p) = app.planner.preview.take() else { return };
    let n = p.rows.len();
    let rows = p.rows.clone();
    let vpc = p.vpc.clone();
    let result = app.edit(&format!("apply a layout of {n} subnets"), |d| {
        for r in &rows {
            d.apply(&Op::AddSubnet {
                vpc: Ref::id(vpc.clone()),
                name: format!("{}-{}", r.tier, az_short(&r.az)),
                cidr: r.cidr,
                az: r.az.clone(),
                public_ip_on_launch: false,
                route_table: None,
            })
            .map_err(|e| format!("{} {}: {e}", r.tier, r.cidr))?;
        }
        Ok(())
    });
    match result {
        Ok(()) => {
            if let Some(first) = rows.first() {
                select_cidr(app, first.cidr);
            }
            app.info(format!("layout applied: {n} subnets (u undoes all of them)"));
        }
        Err(e) => {
            app.planner.preview = Some(p);
            app.error(format!("layout not applied: {e}"));
        }
    }
}
