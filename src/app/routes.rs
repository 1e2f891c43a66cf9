//! The route table pane: its state, messages and update logic (the drawing is in `ui::routes`).
//!
//! Routes are listed as the trace engine sees them (`Design::effective_routes`: static routes in
//! table order, then propagated ones, T6). Adds, edits and deletes go through `model::ops::Op`
//! and [`App::edit`], so each is one undo step. "Which route wins" asks the trace engine's own
//! compiled table (longest-prefix match with the R4 tie rules), so the pane and traces agree.
//! Rule numbers (R1–R7, G2, I1, I5, N6, P4, T2) refer to `docs/aws-network-semantics.md`.

use super::forms::{Field, Form, FormKind, FormTarget};
use super::msg::Msg;
use super::{App, Pane, Popup};
use crate::model::catalog::ServiceCatalog;
use crate::model::ops::Op;
use crate::model::{
    Design, EndpointKind, Id, NatState, PeeringStatus, ResourceKind, Route, RouteDestination, RouteOrigin, RouteState,
    RouteTable, RouteTarget, TgwAttachmentKind,
};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

type Errors = Vec<(&'static str, String)>;

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
}

/// The route pane's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutesForm {
    Route,
    Which,
}

impl RoutesForm {
    pub fn label(self) -> &'static str {
        match self {
            RoutesForm::Route => "route",
            RoutesForm::Which => "which route wins",
        }
    }
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
    pub beaten: Vec<(usize, Ipv4Net, String)>,
}

impl WhichRoute {
    /// Why a route lost, if it matched and lost.
    pub fn beaten_reason(&self, route: usize) -> Option<&str> {
        self.beaten.iter().find(|(r, _, _)| *r == route).map(|(_, _, w)| w.as_str())
    }
}

/// The route pane's own state.
#[derive(Debug, Clone, Default)]
pub struct RoutesState {
    /// A table chosen with `[`/`]`; `None` follows the tree's selection.
    pub table: Option<Id>,
    /// Index into the effective routes.
    pub cursor: usize,
    /// Showing subnet associations instead of routes.
    pub associations: bool,
    /// Index into the VPC's subnets.
    pub assoc_cursor: usize,
    pub which: Option<WhichRoute>,
}

/// The table the pane shows: the one chosen with `[`/`]`, else the tree selection's table (or
/// its subnet's), else the main table of the planner's VPC, else the design's first.
pub fn current_table(app: &App) -> Option<&RouteTable> {
    app.routes
        .table
        .as_deref()
        .and_then(|id| app.design.route_table(id))
        .or_else(|| app.selected_route_table())
        .or_else(|| {
            let vpc = super::planner::current_vpc(app)?;
            app.design.route_tables.iter().find(|t| t.vpc == vpc.id && t.main)
        })
        .or_else(|| app.design.route_tables.first())
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
    let beaten = found.beaten.into_iter().filter_map(|(r, net, why)| Some((r, v4(net)?, why.to_string()))).collect();
    Some(WhichRoute { table: rtb.to_string(), address, rev, winner, beaten })
}

/// The target of a route as a name, with what is wrong with it for this VPC (R6).
pub fn target_info(d: &Design, vpc: &str, t: &RouteTarget) -> (String, Option<String>) {
    let Some(id) = t.id() else { return ("local".into(), None) };
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
pub fn update(app: &mut App, m: RoutesMsg) {
    app.focus = Pane::Routes;
    let Some(rt) = current_table(app).cloned() else {
        if m == RoutesMsg::Back {
            super::update::update(app, Msg::Escape);
        } else {
            app.error("no route table: select a subnet or a route table in the tree");
        }
        return;
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
            app.info(format!("route pane shows {next} (f: follow the tree again)"));
        }
        RoutesMsg::Follow => {
            app.routes.table = None;
            app.routes.cursor = 0;
            app.info("route pane follows the tree's selection");
        }
        RoutesMsg::ToggleAssociations => {
            app.routes.associations = !app.routes.associations;
        }
        RoutesMsg::ToggleAssociation => match subnets.get(cur) {
            Some(s) if app.routes.associations => toggle_association(app, &rt, s),
            _ => app.error("s shows the subnet associations; Space ticks or unticks one there"),
        },
        RoutesMsg::MakeMain => {
            if rt.main {
                app.info(format!("{} is already the main table", rt.name));
                return;
            }
            let what = format!("make {} the main table", rt.name);
            match app
                .edit(&what, |d| d.apply(&Op::SetMainRouteTable { table: rt.id.clone() }).map_err(|e| e.to_string()))
            {
                Ok(_) => app.info(format!(
                    "{} is now the main table: subnets without an explicit association use it (R1)",
                    rt.name
                )),
                Err(e) => app.error(format!("not changed: {e}")),
            }
        }
        RoutesMsg::Which => {
            let addr = app.routes.which.as_ref().map(|w| w.address.to_string()).unwrap_or_default();
            let fields = vec![
                Field::text("table", "Route table", format!("{} ({})", rt.name, rt.id), "").locked(),
                Field::text("address", "Address", addr, "an IPv4 address, e.g. 52.219.60.1"),
            ];
            let mut form = Form::new(
                FormKind::Routes(RoutesForm::Which),
                FormTarget::NewIn(rt.id.clone()),
                format!("Which route of {} wins?", rt.name),
                fields,
            );
            form.validate(&app.design);
            app.popup = Some(Popup::Form(form));
        }
        RoutesMsg::Back => {
            if app.routes.which.take().is_some() {
                app.info("which-route highlight cleared");
            } else {
                super::update::update(app, Msg::Escape);
            }
        }
        RoutesMsg::Add => open_route_form(app, &rt, None),
        RoutesMsg::Edit | RoutesMsg::Delete if app.routes.associations => {
            app.error("s goes back to the routes; Space ticks a subnet here")
        }
        RoutesMsg::Edit => match routes.get(cur) {
            Some(r) => match why_fixed(app, &rt, r, cur, "edited") {
                Some(why) => app.error(why),
                None => open_route_form(app, &rt, Some(cur)),
            },
            None => app.error("no route selected"),
        },
        RoutesMsg::Delete => match routes.get(cur) {
            Some(r) => delete_route(app, &rt, r, cur),
            None => app.error("no route selected"),
        },
    }
}

/// Why a route cannot be changed from here (local routes are AWS's, R2; endpoint routes follow
/// their endpoint, G2; propagated routes their VPN, T6).
fn why_fixed(app: &App, rt: &RouteTable, r: &Route, index: usize, verb: &str) -> Option<String> {
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
    if r.is_local() && verb == "edited" {
        return Some(format!("the local route {} is automatic: it cannot be edited (R2)", r.destination));
    }
    None
}

fn delete_route(app: &mut App, rt: &RouteTable, r: &Route, index: usize) {
    if let Some(why) = why_fixed(app, rt, r, index, "deleted") {
        app.error(why);
        return;
    }
    let what = format!("delete route {} from {}", r.destination, rt.name);
    let op = Op::DeleteRoute { table: rt.id.clone(), destination: r.destination.to_string() };
    match app.edit(&what, |d| d.apply(&op).map_err(|e| e.to_string())) {
        Ok(_) => {
            app.routes.cursor = index.saturating_sub(1);
            app.info(format!("deleted {} → {} (u undoes)", r.destination, r.target));
        }
        Err(e) => app.error(format!("not deleted: {e}")),
    }
}

fn toggle_association(app: &mut App, rt: &RouteTable, subnet: &str) {
    let name = app.design.subnet(subnet).map_or_else(|| subnet.to_string(), |s| s.name.clone());
    if rt.subnets.iter().any(|s| s == subnet) {
        let main = app.design.route_tables.iter().find(|t| t.vpc == rt.vpc && t.main).map(|t| t.name.clone());
        let what = format!("disassociate {name} from {}", rt.name);
        let r = app.edit(&what, |d| {
            let t = d.route_tables.iter_mut().find(|t| t.id == rt.id).ok_or("the table is gone")?;
            t.subnets.retain(|s| s != subnet);
            Ok(())
        });
        match r {
            Ok(()) => app.info(format!(
                "{name} now uses the main table{} (R1)",
                main.map(|m| format!(" {m}")).unwrap_or_default()
            )),
            Err(e) => app.error(format!("not changed: {e}")),
        }
    } else {
        let before = app.design.subnet_route_table(subnet).map(|t| t.name.clone());
        let what = format!("associate {name} with {}", rt.name);
        let op = Op::AssociateRouteTable { table: rt.id.clone(), subnet: subnet.to_string() };
        match app.edit(&what, |d| d.apply(&op).map_err(|e| e.to_string())) {
            Ok(_) => app.info(format!(
                "{name} now uses {}{} (one table per subnet, R1)",
                rt.name,
                before.map(|b| format!(", no longer {b}")).unwrap_or_default()
            )),
            Err(e) => app.error(format!("not associated: {e}")),
        }
    }
}

/// Targets a table of `vpc` may use (R5), as ids, for the form's hint.
fn usable_targets(d: &Design, vpc: &str) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    v.extend(d.internet_gateways.iter().filter(|g| g.vpc.as_deref() == Some(vpc)).map(|g| g.id.clone()));
    v.extend(d.nat_gateways.iter().filter(|n| d.subnet(&n.subnet).is_some_and(|s| s.vpc == vpc)).map(|n| n.id.clone()));
    v.extend(d.peerings.iter().filter(|p| p.other_side(vpc).is_some()).map(|p| p.id.clone()));
    v.extend(d.transit_gateways.iter().filter(|t| tgw_attached(d, &t.id, vpc)).map(|t| t.id.clone()));
    v.extend(d.vpn_gateways.iter().filter(|g| g.vpc.as_deref() == Some(vpc)).map(|g| g.id.clone()));
    v
}

fn tgw_attached(d: &Design, tgw: &str, vpc: &str) -> bool {
    d.tgw_attachments
        .iter()
        .any(|a| a.tgw == tgw && matches!(&a.kind, TgwAttachmentKind::Vpc { vpc: v, .. } if v == vpc))
}

fn open_route_form(app: &mut App, rt: &RouteTable, index: Option<usize>) {
    let r = index.and_then(|i| rt.routes.get(i));
    let targets = usable_targets(&app.design, &rt.vpc);
    let hint = if targets.is_empty() {
        "an id or name: igw, nat, pcx, tgw, vgw, eni, instance (R5)".to_string()
    } else {
        format!("an id or name, e.g. {}", targets.iter().take(4).cloned().collect::<Vec<_>>().join(", "))
    };
    let fields = vec![
        Field::text("table", "Route table", format!("{} ({})", rt.name, rt.id), "").locked(),
        Field::text(
            "destination",
            "Destination",
            r.map(|r| r.destination.to_string()).unwrap_or_default(),
            "a CIDR such as 0.0.0.0/0, or a prefix list pl-…",
        ),
        Field::text("target", "Target", r.and_then(|r| r.target.id()).unwrap_or_default(), hint),
    ];
    let (target, title) = match index {
        Some(i) => (
            FormTarget::EditSub { parent: rt.id.clone(), index: i, egress: false },
            format!("Edit route in {}", rt.name),
        ),
        None => (FormTarget::NewIn(rt.id.clone()), format!("New route in {}", rt.name)),
    };
    let mut form = Form::new(FormKind::Routes(RoutesForm::Route), target, title, fields);
    form.validate(&app.design);
    app.popup = Some(Popup::Form(form));
}

fn form_table<'a>(form: &Form, d: &'a Design) -> Option<(&'a RouteTable, Option<usize>)> {
    match &form.target {
        FormTarget::NewIn(p) => d.route_table(p).map(|t| (t, None)),
        FormTarget::EditSub { parent, index, .. } => d.route_table(parent).map(|t| (t, Some(*index))),
        _ => None,
    }
}

/// Resolve a typed target and check it is usable from a table of `vpc` (R5 and the owning
/// resource's rules).
pub fn check_target(d: &Design, vpc: &str, token: &str) -> Result<RouteTarget, String> {
    let token = token.trim();
    if token.is_empty() {
        return Err("required: the id or name of a gateway, NAT gateway, peering, interface … (R5)".into());
    }
    if token.eq_ignore_ascii_case("local") {
        return Err("the local route is automatic, one per VPC CIDR (R2): pick another target".into());
    }
    let r = d.resolve(token)?;
    let id = r.id().to_string();
    let name = r.display_name();
    let in_vpc = |subnet: &str| d.subnet(subnet).is_some_and(|s| s.vpc == vpc);
    match r.kind() {
        ResourceKind::InternetGateway => match d.internet_gateway(&id).and_then(|g| g.vpc.as_deref()) {
            Some(v) if v == vpc => Ok(RouteTarget::InternetGateway(id)),
            Some(v) => Err(format!("{name} is attached to {v}, not this VPC (I1)")),
            None => Err(format!("{name} is not attached to any VPC: attach it first (I1)")),
        },
        ResourceKind::NatGateway => match d.nat_gateway(&id) {
            Some(n) if in_vpc(&n.subnet) => Ok(RouteTarget::NatGateway(id)),
            _ => Err(format!("{name} is in another VPC: a NAT gateway serves its own VPC only (N6)")),
        },
        ResourceKind::VpcPeering => match d.peering(&id) {
            Some(p) if p.other_side(vpc).is_some() => Ok(RouteTarget::VpcPeering(id)),
            _ => Err(format!("{name} does not involve this VPC (P4)")),
        },
        ResourceKind::VpcEndpoint => match d.endpoint(&id).map(|e| e.kind) {
            Some(EndpointKind::Interface) => Err(format!(
                "{name} is an interface endpoint: interface endpoints are not route targets; \
                 traffic reaches their interface addresses through the local route (R5)"
            )),
            Some(EndpointKind::Gateway) => Err(format!(
                "{name} is a gateway endpoint: its routes are managed by the endpoint; \
                 add this table to the endpoint's route tables instead (G2)"
            )),
            _ => Err(format!("{name}: Gateway Load Balancer endpoints are not modelled as route targets yet")),
        },
        ResourceKind::TransitGateway => {
            if tgw_attached(d, &id, vpc) {
                Ok(RouteTarget::TransitGateway(id))
            } else {
                Err(format!("{name} has no attachment from this VPC: attach the VPC first (T2)"))
            }
        }
        ResourceKind::VpnGateway => match d.vpn_gateways.iter().find(|g| g.id == id).and_then(|g| g.vpc.as_deref()) {
            Some(v) if v == vpc => Ok(RouteTarget::VpnGateway(id)),
            _ => Err(format!("{name} is not attached to this VPC")),
        },
        ResourceKind::EgressOnlyInternetGateway => {
            Err(format!("{name} is an egress-only internet gateway: it carries IPv6 only (I5)"))
        }
        ResourceKind::NetworkInterface => match d.network_interface(&id) {
            Some(e) if in_vpc(&e.subnet) => Ok(RouteTarget::NetworkInterface(id)),
            _ => Err(format!("{name} is in another VPC")),
        },
        ResourceKind::Instance => {
            if d.instance_interfaces(&id).iter().any(|e| in_vpc(&e.subnet)) {
                Ok(RouteTarget::Instance(id))
            } else {
                Err(format!("{name} has no interface in this VPC"))
            }
        }
        k => Err(format!("{name} is a {}: it cannot be a route target (R5)", k.label())),
    }
}

/// Whether `c` falls inside 169.254.168.0/22, where no route may go (R7).
fn in_r7(c: Ipv4Net) -> bool {
    Ipv4Net::new(Ipv4Addr::new(169, 254, 168, 0), 22).is_ok_and(|r| r.contains(&c))
}

/// Check a route pane form.
pub fn validate(kind: RoutesForm, form: &Form, d: &Design, e: &mut Errors) {
    if kind == RoutesForm::Which {
        if let Err(m) = super::forms::kinds::parse_ip(form.get("address")) {
            e.push(("address", m));
        }
        return;
    }
    let Some((rt, index)) = form_table(form, d) else {
        e.push(("table", "the route table is gone".into()));
        return;
    };
    let target = match check_target(d, &rt.vpc, form.get("target")) {
        Ok(t) => Some(t),
        Err(m) => {
            e.push(("target", m));
            None
        }
    };
    let text = form.get("destination");
    let dest = if text.starts_with("pl-") {
        if d.prefix_list(text).is_none() && ServiceCatalog::builtin().by_prefix_list(text).is_none() {
            e.push(("destination", format!("{text} is not a prefix list of this design or of an AWS service")));
            return;
        }
        RouteDestination::PrefixList(text.to_string())
    } else {
        let c = match super::forms::kinds::parse_cidr(text) {
            Ok(c) => c,
            Err(m) => {
                e.push(("destination", m));
                return;
            }
        };
        if in_r7(c) {
            e.push(("destination", format!("{c} is inside 169.254.168.0/22, where no route may go (R7)")));
            return;
        }
        if let Some(vpc) = d.vpc(&rt.vpc) {
            if vpc.cidrs().any(|x| x == c) {
                e.push(("destination", format!("the local route already covers {c} (R2)")));
                return;
            }
            if vpc.cidrs().any(|x| x.contains(&c)) {
                if !d.vpc_subnets(&vpc.id).any(|s| s.cidr == Some(c)) {
                    e.push((
                        "destination",
                        format!("{c} is inside the VPC: a route more specific than local must be a whole subnet's CIDR (R2)"),
                    ));
                    return;
                }
                let middlebox = matches!(
                    target,
                    Some(RouteTarget::NatGateway(_) | RouteTarget::NetworkInterface(_) | RouteTarget::Instance(_))
                );
                if target.is_some() && !middlebox {
                    e.push((
                        "target",
                        "a route more specific than local must target a NAT gateway or an interface (R2)".into(),
                    ));
                }
            }
        }
        RouteDestination::Cidr(c.into())
    };
    if rt.routes.iter().enumerate().any(|(i, r)| r.destination == dest && Some(i) != index) {
        e.push(("destination", format!("{} already has a route for {dest}: one route per destination", rt.name)));
    }
}

/// Apply a valid route pane form.
pub fn submit(app: &mut App, mut form: Form) {
    let FormKind::Routes(kind) = form.kind else { return };
    let Some((rt, index)) = form_table(&form, &app.design).map(|(t, i)| (t.clone(), i)) else { return };
    if kind == RoutesForm::Which {
        let Ok(addr) = super::forms::kinds::parse_ip(form.get("address")) else { return };
        let w = which_route(&app.design, &rt.id, addr, app.rev);
        let summary = match w.as_ref().and_then(|w| w.winner.map(|(r, net)| (r, net, w.beaten.len()))) {
            Some((r, net, n)) => {
                let routes = app.design.effective_routes(&rt);
                let t = routes.get(r).map(|r| r.target.to_string()).unwrap_or_default();
                format!("{addr}: {net} → {t} wins over {n} other matching route{}", if n == 1 { "" } else { "s" })
            }
            None => format!("{addr}: no route matches; the packet is dropped"),
        };
        if let Some(Some((r, _))) = w.as_ref().map(|w| w.winner) {
            app.routes.cursor = r;
        }
        app.routes.which = w;
        app.routes.associations = false;
        app.info(summary);
        return;
    }
    let destination = form.get("destination").to_string();
    let destination = match super::forms::kinds::parse_cidr(&destination) {
        Ok(c) if !destination.starts_with("pl-") => c.to_string(),
        _ => destination,
    };
    let target = match check_target(&app.design, &rt.vpc, form.get("target")) {
        Ok(t) => t.id().unwrap_or_default().to_string(),
        Err(e) => {
            form.message = Some(format!("Not applied: {e}"));
            app.popup = Some(Popup::Form(form));
            return;
        }
    };
    let verb = if index.is_some() { "edit" } else { "add" };
    let what = format!("{verb} route {destination} in {}", rt.name);
    let op = Op::AddRoute { table: rt.id.clone(), destination: destination.clone(), target };
    let result = app.edit(&what, |d| {
        if let Some(i) = index {
            let t = d.route_tables.iter_mut().find(|t| t.id == rt.id).ok_or("the table is gone")?;
            if i >= t.routes.len() {
                return Err("the route is gone".into());
            }
            t.routes.remove(i);
        }
        d.apply(&op).map_err(|e| e.to_string())?;
        let t = d.route_tables.iter_mut().find(|t| t.id == rt.id).ok_or("the table is gone")?;
        let at = match index {
            Some(i) => {
                let r = t.routes.pop().ok_or("the route is gone")?;
                let i = i.min(t.routes.len());
                t.routes.insert(i, r);
                i
            }
            None => t.routes.len().saturating_sub(1),
        };
        Ok(at)
    });
    match result {
        Ok(at) => {
            app.routes.cursor = at;
            app.routes.associations = false;
            let state = app.design.route_table(&rt.id).and_then(|t| t.routes.get(at)).map(|r| r.state);
            let note =
                if state == Some(RouteState::Blackhole) { " (blackhole until the peering is active, R6)" } else { "" };
            app.info(format!("{what}: done{note} (u undoes)"));
        }
        Err(e) => {
            form.message = Some(format!("Not applied: {e}"));
            app.popup = Some(Popup::Form(form));
        }
    }
}
