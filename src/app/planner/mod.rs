//! The subnet planner pane: its state, messages and update logic (the drawing is in
//! `ui::planner`).
//!
//! The pane shows one VPC's address space as blocks in address order: its subnets and its free
//! space (maximal aligned blocks from [`crate::net::AddressPlan`], which the user may split
//! further in the view). Every change to the design goes through [`App::edit`], so each is one
//! undo step that marks the design changed, exactly like an edit from the tree. Rule numbers
//! (A5, A6, R1, R9) refer to `docs/aws-network-semantics.md`.

mod forms;
mod layout;
pub mod v6;

pub use forms::{CarveForm, LayoutForm, ResizeForm, CARVE, LAYOUT, RESIZE};
pub use layout::{GatewayPlan, Ipv6BlockPlan, LayoutFamily, LayoutPreview, TablePlan};

use super::forms::{Context, Form, FormTarget};
use super::msg::Handled;
use super::{App, Pane, Popup};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, Id, ResourceKind, SubnetKind, Vpc};
use crate::net::{self, AddressPlan};
use ipnet::Ipv4Net;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

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
    /// Show the IPv4 blocks or the IPv6 /56 → /64 map (A7).
    ToggleFamily,
    /// Esc: discard the layout preview, else what Esc does everywhere.
    Back,
    /// Select block i (a click on its row).
    Select(usize),
    /// Move the selection by rows (the mouse wheel).
    Scroll(i16),
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

/// The planner pane's own state.
#[derive(Debug, Clone, Default)]
pub struct PlannerState {
    /// A VPC chosen with `<`/`>`; `None` follows the tree's selection.
    pub vpc: Option<Id>,
    /// Index into [`blocks`].
    pub cursor: usize,
    pub colouring: Colouring,
    /// Free blocks the user split in the view (each shows as its two halves).
    pub view_splits: BTreeSet<Ipv4Net>,
    pub preview: Option<LayoutPreview>,
    /// The IPv6 view: the VPC's IPv6 blocks as slots (`v6`).
    pub ipv6: bool,
    /// Index into [`v6::slots`].
    pub cursor6: usize,
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

/// The VPC the planner shows: the one chosen with `<`/`>`, else the tree selection's, else the
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
    let subnets: Vec<Ipv4Net> = d.vpc_subnets(&vpc.id).filter_map(|s| s.cidr).collect();
    AddressPlan::new(&cidrs, &subnets).map_err(|e| e.to_string())
}

/// Every block of a VPC in address order: its subnets and its free space, with free blocks
/// shown split where the user split them. The error says why free space is unknown.
pub fn blocks(d: &Design, vpc: &Vpc, splits: &BTreeSet<Ipv4Net>) -> (Vec<Block>, Option<String>) {
    let mut out: Vec<Block> = d
        .vpc_subnets(&vpc.id)
        .filter_map(|s| Some(Block { cidr: s.cidr?, kind: BlockKind::Subnet(s.id.clone()) }))
        .collect();
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
    match rt.subnet_kind() {
        SubnetKind::Public => "public",
        SubnetKind::VpnOnly => "vpn-only",
        SubnetKind::Private => "private",
    }
}

/// What lives in a subnet besides its route table and NACL associations.
pub fn occupants(app: &App, subnet: &str) -> Vec<String> {
    app.derived
        .refs
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

/// The short name of a zone: `ap-northeast-2a` → `2a`.
pub(crate) fn az_short(az: &str) -> &str {
    az.rsplit('-').next().unwrap_or(az)
}

// ---------------------------------------------------------------------------------------------
// Update.

/// Apply a planner message.
pub fn update(app: &mut App, m: PlannerMsg) -> Handled {
    app.focus = Pane::Planner;
    if m == PlannerMsg::ToggleFamily {
        app.planner.ipv6 = !app.planner.ipv6;
        let lang = app.lang();
        let what =
            crate::l10n::ui(lang, if app.planner.ipv6 { "IPv6: the /56 as its /64s (A7)" } else { "IPv4 blocks" });
        app.info(crate::l10n::uif(lang, "planner shows {what} (6 switches)", &[("what", &what)]));
        return Handled::Yes;
    }
    // A layout's preview is the same in both views (it is drawn in place of the table).
    if app.planner.preview.is_some() && matches!(m, PlannerMsg::Activate | PlannerMsg::Back) {
        if m == PlannerMsg::Activate {
            apply_layout(app);
        } else {
            app.planner.preview = None;
            app.info(crate::l10n::ui(app.lang(), "layout preview discarded"));
        }
        return Handled::Yes;
    }
    if app.planner.ipv6 {
        if let Some(h) = v6::update(app, m) {
            return h;
        }
    }
    let Some((vpc, blocks, cur, _)) = view(app) else {
        if m == PlannerMsg::Back {
            return Handled::No;
        } else {
            app.error(crate::l10n::ui(app.lang(), "no VPC to plan: add one in the tree first (a)"));
        }
        return Handled::Yes;
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
        PlannerMsg::Select(i) => app.planner.cursor = i.min(last),
        PlannerMsg::Scroll(d) => app.planner.cursor = cur.saturating_add_signed(isize::from(d)).min(last),
        PlannerMsg::ToggleColour => {
            app.planner.colouring = match app.planner.colouring {
                Colouring::Az => Colouring::Tier,
                Colouring::Tier => Colouring::Az,
            };
            let what = if app.planner.colouring == Colouring::Az { "AZ" } else { "tier (public/private, R9)" };
            app.info(crate::l10n::uif(app.lang(), "planner colours subnets by {what}", &[("what", &what)]));
        }
        PlannerMsg::NextVpc | PlannerMsg::PrevVpc => {
            let k = app.design.vpcs.len();
            if k == 0 {
                return Handled::Yes;
            }
            let i = app.design.vpcs.iter().position(|v| v.id == vpc.id).unwrap_or(0);
            let j = if m == PlannerMsg::NextVpc { (i + 1) % k } else { (i + k - 1) % k };
            let next = app.design.vpcs[j].id.clone();
            app.planner.vpc = Some(next.clone());
            app.planner.cursor = 0;
            app.planner.cursor6 = 0;
            app.planner.preview = None;
            app.info(crate::l10n::uif(
                app.lang(),
                "planner shows {next} (f: follow the tree again)",
                &[("next", &next)],
            ));
        }
        PlannerMsg::Follow => {
            app.planner.vpc = None;
            app.planner.cursor = 0;
            app.planner.cursor6 = 0;
            app.info(crate::l10n::ui(app.lang(), "planner follows the tree's VPC"));
        }
        PlannerMsg::Activate => {
            if app.planner.preview.is_some() {
                apply_layout(app);
            } else if let Some(id) = block.as_ref().and_then(|b| b.subnet()) {
                let id = id.to_string();
                app.select_resource(&id);
                app.info(crate::l10n::uif(app.lang(), "selected {id} in the tree", &[("id", &id)]));
            }
        }
        PlannerMsg::Back => {
            if app.planner.preview.take().is_some() {
                app.info(crate::l10n::ui(app.lang(), "layout preview discarded"));
            } else {
                return Handled::No;
            }
        }
        PlannerMsg::Carve => match block {
            Some(b) if b.is_free() => open_carve(app, &vpc, b.cidr),
            Some(b) => app.error(crate::l10n::uif(
                app.lang(),
                "{cidr} is a subnet: select a free block (dimmed) to carve from",
                &[("cidr", &b.cidr)],
            )),
            None => open_layout_or_error(app, &vpc),
        },
        PlannerMsg::Split => match block {
            Some(b) => split(app, &vpc, &b),
            None => app.error(crate::l10n::ui(app.lang(), "nothing selected")),
        },
        PlannerMsg::Join => match block {
            Some(b) => join(app, &vpc, &b, &blocks),
            None => app.error(crate::l10n::ui(app.lang(), "nothing selected")),
        },
        PlannerMsg::Resize => match block.as_ref().and_then(|b| b.subnet()) {
            Some(id) => open_resize(app, id),
            None => {
                app.error(crate::l10n::ui(app.lang(), "select a subnet to resize; free blocks have no size to change"))
            }
        },
        PlannerMsg::Layout => forms::open_layout(app, &vpc),
        PlannerMsg::ToggleFamily => {}
    }
    Handled::Yes
}

fn open_layout_or_error(app: &mut App, vpc: &Vpc) {
    app.error(crate::l10n::uif(
        app.lang(),
        "{vpc} has no free space to carve from; try p for a layout",
        &[("vpc", &vpc.name)],
    ));
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
        app.error(crate::l10n::uif(
            app.lang(),
            "{cidr} cannot be split: /28 is the smallest subnet (A5)",
            &[("cidr", &b.cidr)],
        ));
        return;
    }
    let Some(id) = b.subnet() else {
        app.planner.view_splits.insert(b.cidr);
        app.info(crate::l10n::uif(
            app.lang(),
            "free block {cidr} shown as two halves (j joins them back)",
            &[("cidr", &b.cidr)],
        ));
        return;
    };
    let blockers = occupants(app, id);
    let Some(s) = app.design.subnet(id).cloned() else { return };
    let Some(s_cidr) = s.cidr else { return };
    if !blockers.is_empty() {
        app.error(crate::l10n::uif(
            app.lang(),
            "{s} not split: it holds {x} (R1/A5: move or delete them first)",
            &[("s", &s.name), ("x", &(list_short(&blockers)))],
        ));
        return;
    }
    let halves = match net::split(s_cidr, 1) {
        Ok(h) if h.len() == 2 => h,
        Ok(_) => return,
        Err(e) => {
            app.error(crate::l10n::uif(app.lang(), "{s} not split: {e}", &[("s", &s.name), ("e", &e)]));
            return;
        }
    };
    let (lo, hi) = (halves[0], halves[1]);
    let acl = app.design.network_acls.iter().find(|a| a.subnets.contains(&s.id)).map(|a| Ref::id(a.id.clone()));
    let rt = app.design.route_tables.iter().find(|t| t.subnets.contains(&s.id)).map(|t| Ref::id(t.id.clone()));
    let ops = vec![
        Op::UpdateSubnet {
            subnet: Ref::id(s.id.clone()),
            name: None,
            cidr: Some(lo),
            public_ip_on_launch: None,
            route_table: None,
        },
        Op::AddSubnet {
            vpc: Ref::id(vpc.id.clone()),
            name: format!("{}-b", s.name),
            cidr: hi,
            az: s.az.clone(),
            public_ip_on_launch: s.map_public_ip_on_launch,
            route_table: rt,
            network_acl: acl,
        },
    ];
    let result = app
        .apply(crate::l10n::uif(app.lang(), "split subnet {name}", &[("name", &s.name)]), ops)
        .map_err(|e| e.to_string())
        .and_then(|done| {
            done.iter().find_map(|a| a.created.clone()).ok_or_else(|| "no subnet was created".to_string())
        });
    match result {
        Ok(new) => {
            select_cidr(app, lo);
            app.info(crate::l10n::uif(
                app.lang(),
                "split {s} into {lo} and {hi} ({new}); u undoes",
                &[("s", &s.name), ("lo", &lo), ("hi", &hi), ("new", &new)],
            ));
        }
        Err(e) => app.error(crate::l10n::uif(app.lang(), "{s} not split: {e}", &[("s", &s.name), ("e", &e)])),
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
        app.error(crate::l10n::uif(app.lang(), "{cidr} has no sibling to join with", &[("cidr", &b.cidr)]));
        return;
    };
    let Some(id) = b.subnet() else {
        let sibling_free = blocks.iter().any(|x| x.cidr == other && x.is_free());
        if app.planner.view_splits.contains(&parent) && sibling_free {
            app.planner.view_splits.retain(|x| !parent.contains(x));
            select_cidr(app, parent);
            app.info(crate::l10n::uif(app.lang(), "free blocks joined into {parent}", &[("parent", &parent)]));
        } else if app.planner.view_splits.contains(&parent) {
            app.planner.view_splits.retain(|x| !parent.contains(x));
            select_cidr(app, parent);
            app.info(crate::l10n::uif(
                app.lang(),
                "free space under {parent} shown whole again",
                &[("parent", &parent)],
            ));
        } else {
            app.error(crate::l10n::uif(
                app.lang(),
                "{cidr} is already as large as free space allows: its sibling {other} is not free",
                &[("cidr", &b.cidr), ("other", &other)],
            ));
        }
        return;
    };
    let Some(s) = app.design.subnet(id).cloned() else { return };
    let Some(o) = app.design.vpc_subnets(&vpc.id).find(|x| x.cidr == Some(other)).cloned() else {
        let why = if blocks.iter().any(|x| x.is_free() && other.contains(&x.cidr.network())) {
            format!("its sibling {other} is free space, not a subnet: use r to resize {} into it", s.name)
        } else {
            format!("its sibling {other} is not one subnet of the same size")
        };
        app.error(crate::l10n::uif(app.lang(), "{s} not joined: {why}", &[("s", &s.name), ("why", &why)]));
        return;
    };
    // The size and the VPC's CIDRs (A5) are the model's to check: the ops below are refused
    // with the rule when the joined block is larger than /16 or spans two VPC CIDRs.
    if s.az != o.az {
        app.error(crate::l10n::uif(
            app.lang(),
            "{s} not joined: {s} is in {az} and {o} in {az2}; a subnet sits in one AZ (A5)",
            &[("s", &s.name), ("az", &s.az), ("o", &o.name), ("az2", &o.az)],
        ));
        return;
    }
    for x in [&s, &o] {
        let occ = occupants(app, &x.id);
        if !occ.is_empty() {
            app.error(crate::l10n::uif(
                app.lang(),
                "{s} not joined: {x} holds {x2}",
                &[("s", &s.name), ("x", &x.name), ("x2", &(list_short(&occ)))],
            ));
            return;
        }
    }
    let (keep, drop) = if s.cidr < o.cidr { (s, o) } else { (o, s) };
    let what =
        crate::l10n::uif(app.lang(), "join subnets {keep} and {drop}", &[("keep", &keep.name), ("drop", &drop.name)]);
    let ops = vec![
        Op::Delete { resource: Ref::id(drop.id.clone()), cascade: true },
        Op::UpdateSubnet {
            subnet: Ref::id(keep.id.clone()),
            name: None,
            cidr: Some(parent),
            public_ip_on_launch: None,
            route_table: None,
        },
    ];
    match app.apply(&what, ops) {
        Ok(_) => {
            select_cidr(app, parent);
            app.info(crate::l10n::uif(
                app.lang(),
                "joined {keep} and {drop} into {keep} {parent}; u undoes",
                &[("keep", &keep.name), ("drop", &drop.name), ("parent", &parent)],
            ));
        }
        Err(e) => app.error(crate::l10n::uif(app.lang(), "not joined: {e}", &[("e", &e)])),
    }
}

// ---------------------------------------------------------------------------------------------
// Forms.

fn open_carve(app: &mut App, vpc: &Vpc, free: Ipv4Net) {
    if free.prefix_len() > 28 {
        app.error(crate::l10n::uif(
            app.lang(),
            "{free} is smaller than /28, the smallest subnet (A5)",
            &[("free", &free)],
        ));
        return;
    }
    let ctx = Context { block: Some(free), ..Context::default() };
    match Form::open(&forms::CARVE, &app.design, FormTarget::NewIn(vpc.id.clone()), &ctx) {
        Ok(mut form) => {
            form.focus_field(1);
            form.title = format!("New subnet in {free}");
            app.set_popup(Popup::Form(form));
        }
        Err(e) => app.error(e),
    }
}

fn open_resize(app: &mut App, id: &str) {
    match Form::open(&forms::RESIZE, &app.design, FormTarget::Edit(id.to_string()), &Context::default()) {
        Ok(form) => app.set_popup(Popup::Form(form)),
        Err(e) => app.error(e),
    }
}

/// Create the previewed layout's subnets (and the IPv6 block, gateway and tables it needs) as
/// one undo step: the dual-stack subnets' /64s and the IPv6-only subnets' tables name the
/// subnets just created, so they are a second stage of the same change.
fn apply_layout(app: &mut App) {
    let Some(p) = app.planner.preview.take() else { return };
    let n = p.len();
    let ops = p.ops();
    match app.apply_then(crate::l10n::uif(app.lang(), "apply a layout of {n} subnets", &[("n", &n)]), ops, |_, done| {
        p.then(done)
    }) {
        Ok(_) => {
            if let Some(first) = p.rows.first() {
                select_cidr(app, first.cidr);
            }
            if let Some(first) = p.rows6.first() {
                let at = app
                    .design
                    .vpc(&p.vpc)
                    .and_then(|v| v6::slots(&app.design, v).ok())
                    .and_then(|s| s.iter().position(|x| x.cidr == first.cidr));
                if let Some(i) = at {
                    app.planner.cursor6 = i;
                }
            }
            app.info(crate::l10n::uif(app.lang(), "layout applied: {n} subnets (u undoes all of them)", &[("n", &n)]));
        }
        Err(e) => {
            app.planner.preview = Some(p);
            app.error(crate::l10n::uif(app.lang(), "layout not applied: {e}", &[("e", &e)]));
        }
    }
}
