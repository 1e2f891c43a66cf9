//! The route table pane: its state, messages and update logic (the drawing is in `ui::routes`).
//!
//! Routes are listed as the trace engine sees them (`Design::effective_routes`: static routes in
//! table order, then propagated ones, T6). Adds, edits and deletes go through `model::ops::Op`
//! and [`App::edit`], so each is one undo step. "Which route wins" asks the trace engine's own
//! compiled table (longest-prefix match with the R4 tie rules), so the pane and traces agree.
//! Rule numbers (R1–R7, G2, I1, I5, N6, P4, T2) refer to `docs/aws-network-semantics.md`.

mod forms;

pub use forms::{RoutePaneForm, WhichForm, ROUTE, WHICH};

use super::forms::{Context, Form, FormTarget};
use super::msg::Handled;
use super::{App, Pane, Popup};
use crate::model::catalog::ServiceCatalog;
use crate::model::ops::{Op, Ref};
use crate::model::{Design, Id, NatState, PeeringStatus, Route, RouteOrigin, RouteTable, RouteTarget};
use crate::sim::LostBecause;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// What the route pane's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutesMsg {
    Up,
    Down,
    First,
    Last,
    Add,
    Edit,
    Delete,
    /// Show the subnet associations instead of the routes (and back).
    ToggleAssociations,
    /// Associate or disassociate the subnet under the cursor.
    ToggleAssociation,
    /// Make the table its VPC's main table.
    MakeMain,
    /// Ask which route wins for an address.
    Which,
    NextTable,
    PrevTable,
    /// Follow the tree's selection again.
    Follow,
    /// Esc: drop the "which route wins" highlight, else what Esc does everywhere.
    Back,
    /// Select row i, a route or (showing associations) a subnet: a click on its row.
    Select(usize),
    /// Move the selection by rows (the mouse wheel).
    Scroll(i16),
}

/// The answer to "which route wins for this address".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhichRoute {
    pub table: Id,
    pub address: Ipv4Addr,
    /// The design revision the answer was computed for.
    pub rev: u64,
    /// The winning route (index into the effective routes) and the CIDR that matched.
    pub winner: Option<(usize, Ipv4Net)>,
    /// Other matching routes, the CIDR that matched and why they lost.
    pub beaten: Vec<(usize, Ipv4Net, LostBecause)>,
}

impl WhichRoute {
    /// Why a route lost, if it matched and lost.
    pub fn beaten_reason(&self, route: usize) -> Option<LostBecause> {
        self.beaten.iter().find(|(r, _, _)| *r == route).map(|(_, _, w)| *w)
    }
}

/// The route pane's own state.
#[derive(Debug, Clone, Default)]
pub struct RoutesState {
    /// A table chosen with `<`/`>`; `None` follows the tree's selection.
    pub table: Option<Id>,
    /// Index into the effective routes.
    pub cursor: usize,
    /// Showing subnet associations instead of routes.
    pub associations: bool,
    /// Index into the VPC's subnets.
    pub assoc_cursor: usize,
    pub which: Option<WhichRoute>,
}

/// The table the pane shows: the one chosen with `<`/`>`, else (while the planner has the
/// focus) the table of the subnet selected there, by key or click alike, else the tree
/// selection's table (or its subnet's), else the main table of the planner's VPC, else the
/// design's first.
pub fn current_table(app: &App) -> Option<&RouteTable> {
    app.routes
        .table
        .as_deref()
        .and_then(|id| app.design.route_table(id))
        .or_else(|| planner_subnet_table(app))
        .or_else(|| app.selected_route_table())
        .or_else(|| {
            let vpc = super::planner::current_vpc(app)?;
            app.design.route_tables.iter().find(|t| t.vpc == vpc.id && t.main)
        })
        .or_else(|| app.design.route_tables.first())
}

/// The table of the subnet under the planner's cursor, while the planner has the focus.
fn planner_subnet_table(app: &App) -> Option<&RouteTable> {
    if app.focus != super::Pane::Planner || app.planner.ipv6 {
        return None;
    }
    let (_, blocks, cur, _) = super::planner::view(app)?;
    let id = blocks.get(cur)?.subnet()?.to_string();
    app.design.subnet_route_table(&id)
}

/// The answer for the current table, computed again if the design changed since.
pub fn which_for(app: &App) -> Option<WhichRoute> {
    let w = app.routes.which.as_ref()?;
    let rt = current_table(app)?;
    if rt.id != w.table {
        return None;
    }
    if w.rev == app.rev {
        return Some(w.clone());
    }
    which_route(&app.design, &rt.id, w.address, app.rev)
}

/// Longest-prefix match for `address` in table `rtb`, as the trace engine does it (R3, R4).
pub fn which_route(d: &Design, rtb: &str, address: Ipv4Addr, rev: u64) -> Option<WhichRoute> {
    let found = crate::sim::route_lookup(d, rtb, address.into())?;
    // An IPv4 address matches IPv4 routes only (R3), so every prefix here is IPv4.
    let v4 = |net: ipnet::IpNet| match net {
        ipnet::IpNet::V4(n) => Some(n),
        ipnet::IpNet::V6(_) => None,
    };
    let winner = found.winner.and_then(|(r, net)| Some((r, v4(net)?)));
    let beaten = found.beaten.into_iter().filter_map(|(r, net, why)| Some((r, v4(net)?, why))).collect();
    Some(WhichRoute { table: rtb.to_string(), address, rev, winner, beaten })
}

/// The target of a route as a name, with what is wrong with it for this VPC (R6).
pub fn target_info(d: &Design, vpc: &str, t: &RouteTarget) -> (String, Option<String>) {
    let Some(id) = t.id() else { return ("local".into(), None) };
    // F1: a firewall endpoint is named by its firewall and zone.
    if let Some((fw, e)) = d.firewall_endpoint(id) {
        let az = d.subnet(&e.subnet).map_or("?", |s| s.az.as_str());
        let problem = (fw.vpc != vpc).then(|| "another VPC's firewall".to_string());
        return (format!("{} {az} ({id})", fw.name), problem);
    }
    let Some(r) = d.find(id) else { return (id.to_string(), Some("missing".into())) };
    let label = format!("{} ({id})", r.name());
    let problem = match t {
        RouteTarget::InternetGateway(_) => {
            d.internet_gateway(id).filter(|g| g.vpc.as_deref() != Some(vpc)).map(|_| "detached".to_string())
        }
        RouteTarget::VpnGateway(_) => {
            d.vpn_gateways.iter().find(|g| g.id == id && g.vpc.as_deref() != Some(vpc)).map(|_| "detached".into())
        }
        RouteTarget::NatGateway(_) => d
            .nat_gateway(id)
            .filter(|n| n.state != NatState::Available)
            .map(|n| format!("{:?}", n.state).to_lowercase()),
        RouteTarget::VpcPeering(_) => d.peering(id).and_then(|p| {
            if p.other_side(vpc).is_none() {
                Some("not this VPC's peering".into())
            } else if p.status != PeeringStatus::Active {
                Some(format!("{:?}", p.status).to_lowercase())
            } else {
                None
            }
        }),
        _ => None,
    };
    (label, problem)
}

/// The CIDRs behind a prefix list: the design's list, else the AWS catalog's (G1).
pub fn prefix_list_cidrs(d: &Design, pl: &str) -> Vec<ipnet::IpNet> {
    d.prefix_list_cidrs(pl, ServiceCatalog::builtin())
}

// ---------------------------------------------------------------------------------------------
// Update.

/// Apply a route pane message.
pub fn update(app: &mut App, m: RoutesMsg) -> Handled {
    app.focus = Pane::Routes;
    let Some(rt) = current_table(app).cloned() else {
        if m == RoutesMsg::Back {
            return Handled::No;
        } else {
            app.error(crate::l10n::ui(app.lang(), "no route table: select a subnet or a route table in the tree"));
        }
        return Handled::Yes;
    };
    let routes = app.design.effective_routes(&rt);
    let subnets: Vec<Id> = app.design.vpc_subnets(&rt.vpc).map(|s| s.id.clone()).collect();
    let (len, cur) = if app.routes.associations {
        (subnets.len(), app.routes.assoc_cursor)
    } else {
        (routes.len(), app.routes.cursor)
    };
    let last = len.saturating_sub(1);
    let cur = cur.min(last);
    let set = |app: &mut App, v: usize| {
        if app.routes.associations {
            app.routes.assoc_cursor = v;
        } else {
            app.routes.cursor = v;
        }
    };
    match m {
        RoutesMsg::Up => set(app, cur.saturating_sub(1)),
        RoutesMsg::Down => set(app, (cur + 1).min(last)),
        RoutesMsg::Select(i) => set(app, i.min(last)),
        RoutesMsg::Scroll(d) => set(app, cur.saturating_add_signed(isize::from(d)).min(last)),
        RoutesMsg::First => set(app, 0),
        RoutesMsg::Last => set(app, last),
        RoutesMsg::NextTable | RoutesMsg::PrevTable => {
            let k = app.design.route_tables.len();
            let i = app.design.route_tables.iter().position(|t| t.id == rt.id).unwrap_or(0);
            let j = if m == RoutesMsg::NextTable { (i + 1) % k } else { (i + k - 1) % k };
            let next = app.design.route_tables[j].id.clone();
            app.routes.table = Some(next.clone());
            app.routes.cursor = 0;
            app.routes.assoc_cursor = 0;
            app.info(crate::l10n::uif(
                app.lang(),
                "route pane shows {next} (f: follow the tree again)",
                &[("next", &next)],
            ));
        }
        RoutesMsg::Follow => {
            app.routes.table = None;
            app.routes.cursor = 0;
            app.info(crate::l10n::ui(app.lang(), "route pane follows the tree's selection"));
        }
        RoutesMsg::ToggleAssociations => {
            app.routes.associations = !app.routes.associations;
        }
        RoutesMsg::ToggleAssociation => match subnets.get(cur) {
            Some(s) if app.routes.associations => toggle_association(app, &rt, s),
            _ => app.error(crate::l10n::ui(
                app.lang(),
                "s shows the subnet associations; Space ticks or unticks one there",
            )),
        },
        RoutesMsg::MakeMain => {
            if rt.main {
                app.info(crate::l10n::uif(app.lang(), "{rt} is already the main table", &[("rt", &rt.name)]));
                return Handled::Yes;
            }
            let what = crate::l10n::uif(app.lang(), "make {rt} the main table", &[("rt", &rt.name)]);
            match app.apply(&what, vec![Op::SetMainRouteTable { table: Ref::id(rt.id.clone()) }]) {
                Ok(_) => app.info(crate::l10n::uif(
                    app.lang(),
                    "{rt} is now the main table: subnets without an explicit association use it (R1)",
                    &[("rt", &rt.name)],
                )),
                Err(e) => app.error(crate::l10n::uif(app.lang(), "not changed: {e}", &[("e", &e)])),
            }
        }
        RoutesMsg::Which => {
            let addr = app.routes.which.as_ref().map(|w| w.address.to_string()).unwrap_or_default();
            match Form::open(&forms::WHICH, &app.design, FormTarget::NewIn(rt.id.clone()), &Context::default()) {
                Ok(mut form) => {
                    if let Some(f) = form.field_mut("address") {
                        f.input = super::forms::LineInput::new(addr);
                    }
                    form.validate(&app.design);
                    app.set_popup(Popup::Form(form));
                }
                Err(e) => app.error(e),
            }
        }
        RoutesMsg::Back => {
            if app.routes.which.take().is_some() {
                app.info(crate::l10n::ui(app.lang(), "which-route highlight cleared"));
            } else {
                return Handled::No;
            }
        }
        RoutesMsg::Add => open_route_form(app, &rt, None),
        RoutesMsg::Edit | RoutesMsg::Delete if app.routes.associations => {
            app.error(crate::l10n::ui(app.lang(), "s goes back to the routes; Space ticks a subnet here"))
        }
        RoutesMsg::Edit => match routes.get(cur) {
            Some(r) => match why_fixed(app, &rt, r, cur, RouteChange::Edit) {
                Some(why) => app.error(why),
                None => open_route_form(app, &rt, Some(cur)),
            },
            None => app.error(crate::l10n::ui(app.lang(), "no route selected")),
        },
        RoutesMsg::Delete => match routes.get(cur) {
            Some(r) => delete_route(app, &rt, r, cur),
            None => app.error(crate::l10n::ui(app.lang(), "no route selected")),
        },
    }
    Handled::Yes
}

/// What the route table pane is asked to do to a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RouteChange {
    Edit,
    Delete,
}

impl RouteChange {
    /// The past participle the messages use ("it cannot be edited here").
    fn done(self) -> &'static str {
        match self {
            RouteChange::Edit => "edited",
            RouteChange::Delete => "deleted",
        }
    }
}

/// Why a route cannot be changed from here (local routes are AWS's, R2; endpoint routes follow
/// their endpoint, G2; propagated routes their VPN, T6).
fn why_fixed(app: &App, rt: &RouteTable, r: &Route, index: usize, change: RouteChange) -> Option<String> {
    let verb = change.done();
    if index >= rt.routes.len() || r.origin == RouteOrigin::Propagated {
        return Some(format!(
            "{} is propagated from {}: it cannot be {verb} here; it follows the VPN connection (T6)",
            r.destination, r.target
        ));
    }
    if r.origin == RouteOrigin::EndpointManaged {
        let ep = r
            .target
            .id()
            .and_then(|id| app.design.endpoint(id))
            .map_or_else(|| r.target.to_string(), |e| e.name.clone());
        return Some(format!(
            "{} belongs to gateway endpoint {ep}: it cannot be {verb} here; change the endpoint's route tables (G2)",
            r.destination
        ));
    }
    if r.is_local() && change == RouteChange::Edit {
        return Some(format!("the local route {} is automatic: it cannot be edited (R2)", r.destination));
    }
    None
}

fn delete_route(app: &mut App, rt: &RouteTable, r: &Route, index: usize) {
    if let Some(why) = why_fixed(app, rt, r, index, RouteChange::Delete) {
        app.error(why);
        return;
    }
    let what = crate::l10n::uif(
        app.lang(),
        "delete route {destination} from {rt}",
        &[("destination", &r.destination), ("rt", &rt.name)],
    );
    let op = Op::DeleteRoute { table: Ref::id(rt.id.clone()), destination: r.destination.clone() };
    match app.apply(&what, vec![op]) {
        Ok(_) => {
            app.routes.cursor = index.saturating_sub(1);
            app.info(crate::l10n::uif(
                app.lang(),
                "deleted {destination} → {target} (u undoes)",
                &[("destination", &r.destination), ("target", &r.target)],
            ));
        }
        Err(e) => app.error(crate::l10n::uif(app.lang(), "not deleted: {e}", &[("e", &e)])),
    }
}

fn toggle_association(app: &mut App, rt: &RouteTable, subnet: &str) {
    let name = app.design.subnet(subnet).map_or_else(|| subnet.to_string(), |s| s.name.clone());
    if rt.subnets.iter().any(|s| s == subnet) {
        let main = app.design.route_tables.iter().find(|t| t.vpc == rt.vpc && t.main).map(|t| t.name.clone());
        let what = crate::l10n::uif(app.lang(), "disassociate {name} from {rt}", &[("name", &name), ("rt", &rt.name)]);
        match app.apply(&what, vec![Op::DisassociateRouteTable { subnet: Ref::id(subnet) }]) {
            Ok(_) => app.info(crate::l10n::uif(
                app.lang(),
                "{name} now uses the main table{x} (R1)",
                &[("name", &name), ("x", &(main.map(|m| format!(" {m}")).unwrap_or_default()))],
            )),
            Err(e) => app.error(crate::l10n::uif(app.lang(), "not changed: {e}", &[("e", &e)])),
        }
    } else {
        let before = app.design.subnet_route_table(subnet).map(|t| t.name.clone());
        let what = crate::l10n::uif(app.lang(), "associate {name} with {rt}", &[("name", &name), ("rt", &rt.name)]);
        let op = Op::AssociateRouteTable { table: Ref::id(rt.id.clone()), subnet: Ref::id(subnet) };
        match app.apply(&what, vec![op]) {
            Ok(_) => app.info(crate::l10n::uif(
                app.lang(),
                "{name} now uses {rt}{x} (one table per subnet, R1)",
                &[
                    ("name", &name),
                    ("rt", &rt.name),
                    ("x", &(before.map(|b| format!(", no longer {b}")).unwrap_or_default())),
                ],
            )),
            Err(e) => app.error(crate::l10n::uif(app.lang(), "not associated: {e}", &[("e", &e)])),
        }
    }
}

fn open_route_form(app: &mut App, rt: &RouteTable, index: Option<usize>) {
    let target = match index {
        Some(i) => FormTarget::EditSub { parent: rt.id.clone(), index: i, egress: false },
        None => FormTarget::NewIn(rt.id.clone()),
    };
    match Form::open(&forms::ROUTE, &app.design, target, &Context::default()) {
        Ok(form) => app.set_popup(Popup::Form(form)),
        Err(e) => app.error(e),
    }
}
