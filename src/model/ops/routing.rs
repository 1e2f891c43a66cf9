//! Route tables, their associations and their routes (R1–R10, G2).

use super::common::Cx;
use super::snapshot::Touch;
use super::{Applied, Op, OpError, Prepare, Ref};
use crate::model::*;
use crate::rules::Rule;
use ipnet::IpNet;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

use ResourceKind as RK;

pub(super) fn prepare(cx: Cx<'_>, op: &Op) -> Prepare {
    match op {
        Op::AddRouteTable { vpc, name, subnets, main, gateways, propagating_vgws } => {
            add_table(cx, vpc, name, subnets, *main, gateways, propagating_vgws)
        }
        Op::UpdateRouteTable { table, name, main, subnets, gateways, propagating_vgws } => update_table(
            cx,
            table,
            name.as_deref(),
            *main,
            subnets.as_deref(),
            gateways.as_deref(),
            propagating_vgws.as_deref(),
        ),
        Op::AssociateRouteTable { table, subnet } => associate(cx, table, subnet),
        Op::DisassociateRouteTable { subnet } => disassociate(cx, subnet),
        Op::SetMainRouteTable { table } => update_table(cx, table, None, Some(true), None, None, None),
        Op::AddRoute { table, destination, target } => add_route(cx, table, destination, target),
        Op::ReplaceRoute { table, destination, new_destination, target } => {
            replace_route(cx, table, destination, new_destination.as_ref(), target)
        }
        Op::DeleteRoute { table, destination } => delete_route(cx, table, destination),
        _ => Err(vec![OpError::invalid("", None, "not a route table op")]),
    }
}

/// Subnets of the table's VPC only (R1).
fn check_subnets(cx: &mut Cx<'_>, ids: &[Id], vpc: &str) {
    if let Some(s) = ids.iter().filter_map(|i| cx.d.subnet(i)).find(|s| s.vpc != vpc) {
        let m = crate::text!("{} is in {}, not in this table's VPC (R1)", s.id, s.vpc);
        cx.bad("subnets", Some(Rule::R1), m);
    }
}

/// Edge associations need a gateway attached to the table's own VPC (R10).
fn check_gateways(cx: &mut Cx<'_>, ids: &[Id], vpc: &str) {
    let attached = |i: &str| {
        cx.d.internet_gateway(i)
            .map(|x| x.vpc.as_deref() == Some(vpc))
            .or_else(|| cx.d.vpn_gateway(i).map(|x| x.vpc.as_deref() == Some(vpc)))
    };
    if let Some(i) = ids.iter().find(|i| attached(i) != Some(true)) {
        let m = crate::text!("{i} is not attached to this VPC; an edge association needs its own gateway (R10)");
        cx.bad("gateways", Some(Rule::R10), m);
    }
}

fn add_table(
    mut cx: Cx<'_>,
    vpc: &Ref,
    name: &str,
    subnets: &[Ref],
    main: bool,
    gateways: &[Ref],
    vgws: &[Ref],
) -> Prepare {
    let vid = cx.id(vpc, RK::Vpc, "vpc");
    let subs = cx.ids(subnets, &[RK::Subnet], "subnets");
    let gws = cx.ids(gateways, &[RK::InternetGateway, RK::VpnGateway], "gateways");
    let vgws = cx.ids(vgws, &[RK::VpnGateway], "propagating_vgws");
    let (Some(vid), Some(subs), Some(gws), Some(vgws)) = (vid, subs, gws, vgws) else { return cx.stop() };
    cx.name(RK::RouteTable, name, Some(&vid), None);
    check_subnets(&mut cx, &subs, &vid);
    check_gateways(&mut cx, &gws, &vid);
    let name = name.to_string();
    // The table goes at the end of the list; the tables its subnets leave and, for a new main
    // table, the VPC's main tables are changed in place: all an undo keeps.
    let mut rows: Vec<Id> = subs.iter().flat_map(|s| listing(cx.d, s, None)).collect();
    if main {
        rows.extend(cx.d.route_tables.iter().filter(|r| r.main && r.vpc == vid).map(|r| r.id.clone()));
    }
    cx.finish_with(vec![Touch::Rows(RK::RouteTable, rows), Touch::Appends(RK::RouteTable)], move |d| {
        // R2: a local route for every block of the VPC, IPv6 ones included.
        let cidrs: Vec<IpNet> = d.vpc(&vid).map(|v| v.all_cidrs().collect()).unwrap_or_default();
        let id = d.new_id(RK::RouteTable);
        let mut t = RouteTable::new(id.clone(), name, vid, cidrs);
        t.gateways = gws;
        t.propagating_vgws = vgws;
        d.route_tables.push(t);
        let mut touched = vec![id.clone()];
        for s in &subs {
            touched.extend(d.route_tables.iter().filter(|r| r.subnets.contains(s)).map(|r| r.id.clone()));
            let _ = d.associate_route_table(s, &id);
        }
        if main {
            touched.extend(d.route_tables.iter().filter(|r| r.main).map(|r| r.id.clone()));
            let _ = d.set_main_route_table(&id);
        }
        Applied { created: Some(id), touched }
    })
}

#[allow(clippy::too_many_arguments)]
fn update_table(
    mut cx: Cx<'_>,
    table: &Ref,
    name: Option<&str>,
    main: Option<bool>,
    subnets: Option<&[Ref]>,
    gateways: Option<&[Ref]>,
    vgws: Option<&[Ref]>,
) -> Prepare {
    let Some(id) = cx.id(table, RK::RouteTable, "table") else { return cx.stop() };
    let Some(rt) = cx.d.route_table(&id).cloned() else { return cx.stop() };
    let subs = match subnets {
        Some(s) => match cx.ids(s, &[RK::Subnet], "subnets") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    let gws = match gateways {
        Some(g) => match cx.ids(g, &[RK::InternetGateway, RK::VpnGateway], "gateways") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    let vgws = match vgws {
        Some(g) => match cx.ids(g, &[RK::VpnGateway], "propagating_vgws") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(n) = name {
        cx.name(RK::RouteTable, n, Some(&rt.vpc), Some(&id));
    }
    if let Some(s) = &subs {
        check_subnets(&mut cx, s, &rt.vpc);
    }
    if let Some(g) = &gws {
        check_gateways(&mut cx, g, &rt.vpc);
    }
    if rt.main && main == Some(false) {
        cx.bad("main", Some(Rule::R1), "a VPC always has a main table: make another table main instead (R1)");
    }
    let name = name.map(str::to_string);
    // The table, the tables its new subnets leave, and for a new main table every table of
    // its VPC: all changed in place, all an undo keeps.
    let mut rows = vec![id.clone()];
    for s in subs.iter().flatten() {
        rows.extend(listing(cx.d, s, None));
    }
    if main == Some(true) && !rt.main {
        rows.extend(cx.d.route_tables.iter().filter(|r| r.vpc == rt.vpc).map(|r| r.id.clone()));
    }
    cx.finish_with(vec![Touch::Rows(RK::RouteTable, rows)], move |d| {
        let mut touched = vec![id.clone()];
        if let Some(t) = d.route_tables.iter_mut().find(|t| t.id == id) {
            if let Some(n) = name {
                t.name = n;
            }
            if let Some(g) = gws {
                t.gateways = g;
            }
            if let Some(v) = vgws {
                t.propagating_vgws = v;
            }
            if let Some(s) = &subs {
                // Subnets dropped from the list fall back to the main table (R1).
                t.subnets.retain(|x| s.contains(x));
            }
        }
        for s in subs.iter().flatten() {
            touched.extend(d.route_tables.iter().filter(|r| r.subnets.contains(s) && r.id != id).map(|r| r.id.clone()));
            let _ = d.associate_route_table(s, &id);
        }
        if main == Some(true) && !rt.main {
            touched.extend(d.route_tables.iter().filter(|r| r.main && r.vpc == rt.vpc).map(|r| r.id.clone()));
            let _ = d.set_main_route_table(&id);
        }
        Applied { created: None, touched }
    })
}

fn associate(mut cx: Cx<'_>, table: &Ref, subnet: &Ref) -> Prepare {
    let t = cx.id(table, RK::RouteTable, "table");
    let s = cx.id(subnet, RK::Subnet, "subnet");
    let (Some(t), Some(s)) = (t, s) else { return cx.stop() };
    let (tv, sv) = (cx.d.route_table(&t).map(|x| x.vpc.clone()), cx.d.subnet(&s).map(|x| x.vpc.clone()));
    if tv != sv {
        // Even trusted code cannot associate across VPCs: the model refuses it.
        let m =
            crate::text!("{t} belongs to {}, but {s} is in {} (R1)", tv.unwrap_or_default(), sv.unwrap_or_default());
        cx.fail(OpError::invalid("subnet", Some(Rule::R1), m));
        return cx.stop();
    }
    let rows = listing(cx.d, &s, Some(&t));
    cx.finish_with(vec![Touch::Rows(RK::RouteTable, rows)], move |d| {
        let mut touched: Vec<Id> =
            d.route_tables.iter().filter(|r| r.subnets.contains(&s)).map(|r| r.id.clone()).collect();
        let _ = d.associate_route_table(&s, &t);
        touched.push(t);
        touched.push(s);
        Applied { created: None, touched }
    })
}

fn disassociate(mut cx: Cx<'_>, subnet: &Ref) -> Prepare {
    let Some(s) = cx.id(subnet, RK::Subnet, "subnet") else { return cx.stop() };
    let rows = listing(cx.d, &s, None);
    cx.finish_with(vec![Touch::Rows(RK::RouteTable, rows)], move |d| {
        let mut touched = vec![s.clone()];
        for t in d.route_tables.iter_mut().filter(|t| t.subnets.contains(&s)) {
            t.subnets.retain(|x| *x != s);
            touched.push(t.id.clone());
        }
        Applied { created: None, touched }
    })
}

/// The route tables listing `subnet`, and `also`: what an association of the subnet changes
/// in place (all an undo keeps).
fn listing(d: &Design, subnet: &str, also: Option<&Id>) -> Vec<Id> {
    let mut ids: Vec<Id> =
        d.route_tables.iter().filter(|r| r.subnets.iter().any(|x| x == subnet)).map(|r| r.id.clone()).collect();
    ids.extend(also.cloned());
    ids
}

/// Whether `c` falls inside 169.254.168.0/22, where no route may go (R7).
fn in_r7(c: Ipv4Net) -> bool {
    Ipv4Net::new(Ipv4Addr::new(169, 254, 168, 0), 22).is_ok_and(|r| r.contains(&c))
}

/// Resolve a route target and check it is usable from a table of `vpc` (R5 and the owning
/// resource's rules: I1, N6, P4, T2, I5, G2).
fn target(cx: &mut Cx<'_>, rt: &RouteTable, target: &Ref, dest: &RouteDestination) -> Option<RouteTarget> {
    let d = cx.d;
    let vpc = rt.vpc.as_str();
    if let Some(t) = super::firewall::route_target(cx, rt, target) {
        return t;
    }
    if let Ref::Name(n) = target {
        if n.trim().is_empty() {
            cx.fail(OpError::invalid(
                "target",
                Some(Rule::R5),
                "required: the id or name of a gateway, NAT gateway, peering, interface … (R5)",
            ));
            return None;
        }
        if n.trim().eq_ignore_ascii_case("local") {
            cx.fail(OpError::invalid(
                "target",
                Some(Rule::R2),
                "the local route is automatic, one per VPC CIDR (R2): pick another target",
            ));
            return None;
        }
    }
    let (kind, id) = cx.any_id(target, &RK::ALL, "target")?;
    let name = d.find(&id).map(|r| r.display_name()).unwrap_or_else(|| id.clone());
    let in_vpc = |subnet: &str| d.subnet(subnet).is_some_and(|s| s.vpc == vpc);
    let tgw_attached = |tgw: &str| {
        d.tgw_attachments
            .iter()
            .any(|a| a.tgw == tgw && matches!(&a.kind, TgwAttachmentKind::Vpc { vpc: v, .. } if v == vpc))
    };
    let (t, problem): (Option<RouteTarget>, Option<(Option<Rule>, crate::l10n::Text)>) = match kind {
        RK::InternetGateway => match d.internet_gateway(&id).and_then(|g| g.vpc.as_deref()) {
            Some(v) if v == vpc => (Some(RouteTarget::InternetGateway(id)), None),
            Some(v) => {
                let m = crate::text!("{name} is attached to {v}, not this VPC (I1)");
                (Some(RouteTarget::InternetGateway(id)), Some((Some(Rule::I1), m)))
            }
            None => {
                let m = crate::text!("{name} is not attached to any VPC: attach it first (I1)");
                (Some(RouteTarget::InternetGateway(id)), Some((Some(Rule::I1), m)))
            }
        },
        RK::NatGateway => {
            let ok = d.nat_gateway(&id).is_some_and(|n| n.vpc_id(d).is_some_and(|v| v.as_str() == vpc));
            let p = (!ok).then(|| {
                (Some(Rule::N6), crate::text!("{name} is in another VPC: a NAT gateway serves its own VPC only (N6)"))
            });
            (Some(RouteTarget::NatGateway(id)), p)
        }
        RK::VpcPeering => {
            let ok = d.peering(&id).is_some_and(|p| p.other_side(vpc).is_some());
            let p = (!ok).then(|| (Some(Rule::P4), crate::text!("{name} does not involve this VPC (P4)")));
            (Some(RouteTarget::VpcPeering(id)), p)
        }
        RK::VpcEndpoint => {
            let m = match d.endpoint(&id).map(|e| e.kind) {
                Some(EndpointKind::Interface) => crate::text!("{name} is an interface endpoint: interface endpoints are not route targets; traffic reaches their interface addresses through the local route (R5)"),
                Some(EndpointKind::Gateway) => crate::text!("{name} is a gateway endpoint: its routes are managed by the endpoint; add this table to the endpoint's route tables instead (G2)"),
                // B2: a Gateway Load Balancer endpoint is a route target of its own VPC.
                _ if d.endpoint(&id).is_some_and(|e| e.vpc == vpc) => {
                    return Some(RouteTarget::GatewayEndpoint(id));
                }
                _ => crate::text!("{name} is in another VPC: a Gateway Load Balancer endpoint is a route target of its own VPC only (B2)"),
            };
            let rule = super::common::rule_in(&m.english);
            (Some(RouteTarget::GatewayEndpoint(id)), Some((rule, m)))
        }
        RK::TransitGateway => {
            let p = (!tgw_attached(&id)).then(|| {
                (Some(Rule::T2), crate::text!("{name} has no attachment from this VPC: attach the VPC first (T2)"))
            });
            (Some(RouteTarget::TransitGateway(id)), p)
        }
        RK::VpnGateway => {
            let ok = d.vpn_gateway(&id).and_then(|g| g.vpc.as_deref()) == Some(vpc);
            let p = (!ok).then(|| (None, crate::text!("{name} is not attached to this VPC")));
            (Some(RouteTarget::VpnGateway(id)), p)
        }
        RK::EgressOnlyInternetGateway => {
            // I5: an egress-only gateway belongs to one VPC and carries IPv6 only (R3: an IPv6
            // destination, or a prefix list of IPv6 entries).
            let ipv6_dest = match dest {
                RouteDestination::Cidr(c) => c.addr().is_ipv6(),
                RouteDestination::PrefixList(pl) => {
                    d.prefix_list(pl).is_some_and(|p| !p.cidrs.is_empty() && p.cidrs.iter().all(|c| c.addr().is_ipv6()))
                }
            };
            let p = match d.egress_only_internet_gateway(&id).map(|g| g.vpc.as_str()) {
                Some(v) if v != vpc => Some((Some(Rule::I5), crate::text!("{name} belongs to {v}, not this VPC (I5)"))),
                _ if !ipv6_dest => Some((
                    Some(Rule::I5),
                    crate::text!(
                        "{name} is an egress-only internet gateway: it carries IPv6 only, and {dest} is not IPv6 (I5)"
                    ),
                )),
                _ => None,
            };
            (Some(RouteTarget::EgressOnlyInternetGateway(id)), p)
        }
        RK::NetworkInterface => {
            let ok = d.network_interface(&id).is_some_and(|e| in_vpc(&e.subnet));
            let p = (!ok).then(|| (None, crate::text!("{name} is in another VPC")));
            (Some(RouteTarget::NetworkInterface(id)), p)
        }
        RK::Instance => {
            let ok = d.instance_interfaces(&id).iter().any(|e| in_vpc(&e.subnet));
            let p = (!ok).then(|| (None, crate::text!("{name} has no interface in this VPC")));
            (Some(RouteTarget::Instance(id)), p)
        }
        k => {
            (None, Some((Some(Rule::R5), crate::text!("{name} is a {}: it cannot be a route target (R5)", k.label()))))
        }
    };
    match (t, problem) {
        (None, Some((rule, m))) => {
            cx.fail(OpError::invalid("target", rule, m));
            None
        }
        (t, Some((rule, m))) => {
            cx.bad("target", rule, m);
            t
        }
        (t, None) => t,
    }
}

/// Check a destination for a table of `vpc` with target `t` (R2, R7, G1).
fn check_destination(cx: &mut Cx<'_>, vpc: &str, dest: &RouteDestination, t: Option<&RouteTarget>) {
    match dest {
        RouteDestination::PrefixList(pl) => {
            let known = cx.d.prefix_list(pl).is_some() || ServiceCatalog::builtin().by_prefix_list(pl).is_some();
            if !known {
                cx.bad(
                    "destination",
                    Some(Rule::G1),
                    crate::text!("{pl} is not a prefix list of this design or of an AWS service"),
                );
            }
        }
        RouteDestination::Cidr(c) => {
            // The IPv4 rules; an IPv6 destination is checked against IPv6 blocks elsewhere.
            let IpNet::V4(c) = c.trunc() else { return };
            if in_r7(c) {
                cx.bad(
                    "destination",
                    Some(Rule::R7),
                    crate::text!("{c} is inside 169.254.168.0/22, where no route may go (R7)"),
                );
                return;
            }
            let Some(v) = cx.d.vpc(vpc) else { return };
            if v.cidrs().any(|x| x == c) {
                cx.bad("destination", Some(Rule::R2), crate::text!("the local route already covers {c} (R2)"));
                return;
            }
            if v.cidrs().any(|x| x.contains(&c)) {
                // More specific than local: only a whole subnet, toward a middlebox (R2).
                if !cx.d.vpc_subnets(vpc).any(|s| s.cidr == Some(c)) {
                    cx.bad(
                        "destination",
                        Some(Rule::R2),
                        crate::text!("{c} is inside the VPC: a route more specific than local must be a whole subnet's CIDR (R2)"),
                    );
                    return;
                }
                if t.is_some_and(|t| !cx.d.is_middlebox_target(t)) {
                    cx.bad(
                        "target",
                        Some(Rule::R2),
                        "a route more specific than local must target a NAT gateway, an interface, a Gateway Load Balancer endpoint or a firewall endpoint (R2)",
                    );
                }
            }
        }
    }
}

fn canonical(dest: &RouteDestination) -> RouteDestination {
    match dest {
        RouteDestination::Cidr(c) => RouteDestination::Cidr(c.trunc()),
        other => other.clone(),
    }
}

/// A new route's state: a route to a peering that is not active is a blackhole (R6, P4).
fn state_for(d: &Design, t: &RouteTarget) -> RouteState {
    match t {
        RouteTarget::VpcPeering(p) if d.peering(p).is_some_and(|p| p.status != PeeringStatus::Active) => {
            RouteState::Blackhole
        }
        _ => RouteState::Active,
    }
}

fn add_route(mut cx: Cx<'_>, table: &Ref, destination: &RouteDestination, tgt: &Ref) -> Prepare {
    let Some(tid) = cx.id(table, RK::RouteTable, "table") else { return cx.stop() };
    let Some(rt) = cx.d.route_table(&tid).cloned() else { return cx.stop() };
    let dest = canonical(destination);
    let t = target(&mut cx, &rt, tgt, &dest);
    check_destination(&mut cx, &rt.vpc, &dest, t.as_ref());
    if rt.routes.iter().any(|r| r.destination == dest) {
        // One route per destination, even for trusted code.
        let m = crate::text!("{} already has a route for {dest}; one route per destination", rt.name);
        cx.fail(OpError::invalid("destination", None, m));
    }
    let Some(t) = t else { return cx.stop() };
    let state = state_for(cx.d, &t);
    cx.finish_with(vec![Touch::Rows(RK::RouteTable, vec![tid.clone()])], move |d| {
        if let Some(x) = d.route_tables.iter_mut().find(|x| x.id == tid) {
            x.routes.push(Route { destination: dest, target: t, state, origin: RouteOrigin::Static });
        }
        Applied { created: None, touched: vec![tid] }
    })
}

/// The index of the route for `dest`, refusing the routes that cannot be changed by hand:
/// the local route (R2) and the routes a gateway endpoint manages (G2).
fn editable_route(cx: &mut Cx<'_>, rt: &RouteTable, dest: &RouteDestination, verb: &str) -> Option<usize> {
    let Some(i) = rt.routes.iter().position(|r| r.destination == *dest) else {
        cx.fail(OpError::not_found("destination", crate::text!("{} has no route for {dest}", rt.name)));
        return None;
    };
    let r = &rt.routes[i];
    if r.is_local() {
        cx.fail(OpError::not_allowed(
            "destination",
            Some(Rule::R2),
            crate::text!("the local route {dest} cannot be {verb_ui} (R2)", verb_ui = verb),
        ));
        return None;
    }
    if r.origin == RouteOrigin::EndpointManaged {
        cx.fail(OpError::not_allowed(
            "destination",
            Some(Rule::G2),
            crate::text!("{dest} belongs to a gateway endpoint: change the endpoint's route tables (G2)"),
        ));
        return None;
    }
    Some(i)
}

fn replace_route(
    mut cx: Cx<'_>,
    table: &Ref,
    destination: &RouteDestination,
    new_destination: Option<&RouteDestination>,
    tgt: &Ref,
) -> Prepare {
    let Some(tid) = cx.id(table, RK::RouteTable, "table") else { return cx.stop() };
    let Some(rt) = cx.d.route_table(&tid).cloned() else { return cx.stop() };
    let old = canonical(destination);
    let Some(index) = editable_route(&mut cx, &rt, &old, "edited") else { return cx.stop() };
    let dest = new_destination.map_or_else(|| old.clone(), canonical);
    let t = target(&mut cx, &rt, tgt, &dest);
    check_destination(&mut cx, &rt.vpc, &dest, t.as_ref());
    if rt.routes.iter().enumerate().any(|(i, r)| i != index && r.destination == dest) {
        let m = crate::text!("{} already has a route for {dest}; one route per destination", rt.name);
        cx.fail(OpError::invalid("destination", None, m));
    }
    let Some(t) = t else { return cx.stop() };
    let state = state_for(cx.d, &t);
    cx.finish_with(vec![Touch::Rows(RK::RouteTable, vec![tid.clone()])], move |d| {
        if let Some(r) = d.route_tables.iter_mut().find(|x| x.id == tid).and_then(|x| x.routes.get_mut(index)) {
            *r = Route { destination: dest, target: t, state, origin: RouteOrigin::Static };
        }
        Applied { created: None, touched: vec![tid] }
    })
}

fn delete_route(mut cx: Cx<'_>, table: &Ref, destination: &RouteDestination) -> Prepare {
    let Some(tid) = cx.id(table, RK::RouteTable, "table") else { return cx.stop() };
    let Some(rt) = cx.d.route_table(&tid).cloned() else { return cx.stop() };
    let dest = canonical(destination);
    let Some(index) = editable_route(&mut cx, &rt, &dest, "deleted") else { return cx.stop() };
    cx.finish_with(vec![Touch::Rows(RK::RouteTable, vec![tid.clone()])], move |d| {
        if let Some(x) = d.route_tables.iter_mut().find(|x| x.id == tid) {
            if index < x.routes.len() {
                x.routes.remove(index);
            }
        }
        Applied { created: None, touched: vec![tid] }
    })
}
