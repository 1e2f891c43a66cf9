//! Peering (P1–P9), prefix lists, VPC endpoints (G1–G5, E1–E11), endpoint services, load
//! balancers and target groups.

use super::common::{check_groups, check_subnets_per_az, first_free_ip, ip_problem, Cx};
use super::snapshot::Touch;
use super::{Applied, ListenerSpec, Op, OpError, Prepare, Ref};
use crate::model::*;
use crate::rules::Rule;
use ipnet::IpNet;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

use ResourceKind as RK;

pub(super) fn prepare(cx: Cx<'_>, op: &Op) -> Prepare {
    match op {
        Op::AddPeering { name, requester, accepter, status, allow_dns_resolution } => {
            add_peering(cx, name, requester, accepter, *status, *allow_dns_resolution)
        }
        Op::UpdatePeering { peering, name, status, allow_dns_resolution } => {
            update_peering(cx, peering, name.as_deref(), *status, *allow_dns_resolution)
        }
        Op::SetPeeringStatus { peering, status } => update_peering(cx, peering, None, Some(*status), None),
        Op::AddPrefixList { name, region, cidrs } => prefix_list(cx, None, Some(name), region.as_deref(), Some(cidrs)),
        Op::UpdatePrefixList { prefix_list: p, name, region, cidrs } => {
            prefix_list(cx, Some(p), name.as_deref(), region.as_deref(), cidrs.as_deref())
        }
        Op::AddGatewayEndpoint { vpc, service, route_tables, name, state } => {
            add_gateway_endpoint(cx, vpc, service, route_tables, name.as_deref(), *state)
        }
        Op::AddInterfaceEndpoint {
            vpc,
            name,
            service,
            interfaces,
            subnets,
            groups,
            private_dns,
            state,
            kind,
            dns_suffix,
        } => {
            let spec = NewInterfaceEndpoint {
                vpc,
                name,
                service,
                interfaces,
                subnets,
                groups,
                private_dns: *private_dns,
                state: state.unwrap_or(EndpointState::Available),
                kind: kind.unwrap_or(EndpointKind::Interface),
                dns_suffix: dns_suffix.as_deref(),
            };
            add_interface_endpoint(cx, spec)
        }
        Op::UpdateEndpoint { endpoint, name, state, route_tables, subnets, groups, private_dns } => {
            let c = EndpointChange {
                name: name.clone(),
                state: *state,
                route_tables: route_tables.clone(),
                subnets: subnets.clone(),
                groups: groups.clone(),
                private_dns: *private_dns,
            };
            update_endpoint(cx, endpoint, c)
        }
        Op::SetEndpointPrivateDns { endpoint, enabled } => {
            update_endpoint(cx, endpoint, EndpointChange { private_dns: Some(*enabled), ..EndpointChange::default() })
        }
        Op::SetEndpointState { endpoint, state } => {
            update_endpoint(cx, endpoint, EndpointChange { state: Some(*state), ..EndpointChange::default() })
        }
        Op::SetEndpointGroups { endpoint, groups } => {
            update_endpoint(cx, endpoint, EndpointChange { groups: Some(groups.clone()), ..EndpointChange::default() })
        }
        Op::AddEndpointService { name, region, load_balancers, acceptance_required, allowed_principals } => {
            let c = ServiceChange {
                name: Some(name.clone()),
                load_balancers: Some(load_balancers.clone()),
                acceptance_required: Some(*acceptance_required),
                allowed_principals: Some(allowed_principals.clone()),
            };
            endpoint_service(cx, None, region.as_deref(), c)
        }
        Op::UpdateEndpointService { service, name, load_balancers, acceptance_required, allowed_principals } => {
            let c = ServiceChange {
                name: name.clone(),
                load_balancers: load_balancers.clone(),
                acceptance_required: *acceptance_required,
                allowed_principals: allowed_principals.clone(),
            };
            endpoint_service(cx, Some(service), None, c)
        }
        Op::AddLoadBalancer { name, vpc, kind, scheme, subnets, groups, listeners } => {
            let c = LbChange {
                name: Some(name.clone()),
                kind: Some(*kind),
                scheme: Some(*scheme),
                subnets: Some(subnets.clone()),
                groups: Some(groups.clone()),
                listeners: Some(listeners.clone()),
            };
            load_balancer(cx, Err(vpc), c)
        }
        Op::UpdateLoadBalancer { load_balancer: lb, name, kind, scheme, subnets, groups, listeners } => {
            let c = LbChange {
                name: name.clone(),
                kind: *kind,
                scheme: *scheme,
                subnets: subnets.clone(),
                groups: groups.clone(),
                listeners: listeners.clone(),
            };
            load_balancer(cx, Ok(lb), c)
        }
        Op::AddTargetGroup { .. } | Op::UpdateTargetGroup { .. } => super::services_targets::prepare(cx, op),
        _ => Err(vec![OpError::invalid("", None, "not a peering, endpoint or load balancer op")]),
    }
}

fn overlap(a: &Vpc, b: &Vpc) -> Option<(Ipv4Net, Ipv4Net)> {
    a.cidrs().flat_map(|x| b.cidrs().map(move |y| (x, y))).find(|(x, y)| crate::net::overlaps(*x, *y))
}

fn add_peering(
    mut cx: Cx<'_>,
    name: &str,
    requester: &Ref,
    accepter: &Ref,
    status: PeeringStatus,
    dns: bool,
) -> Prepare {
    let a = cx.id(requester, RK::Vpc, "requester");
    let b = cx.id(accepter, RK::Vpc, "accepter");
    let (Some(a), Some(b)) = (a, b) else { return cx.stop() };
    cx.name(RK::VpcPeering, name, None, None);
    let (va, vb) = (cx.d.vpc(&a).cloned(), cx.d.vpc(&b).cloned());
    let mut status = status;
    if a == b {
        cx.bad("accepter", None, "a VPC cannot peer with itself");
    } else if let (Some(va), Some(vb)) = (&va, &vb) {
        if let Some((x, y)) = overlap(va, vb) {
            let m = crate::text!("{} ({x}) overlaps {} ({y}): peering needs distinct CIDRs (P2)", va.name, vb.name);
            cx.bad("accepter", Some(Rule::P2), m);
            // P2: for trusted code the request is made and fails at once.
            status = PeeringStatus::Failed;
        } else if let Some(p) = cx.d.peerings.iter().find(|p| p.other_side(&a) == Some(b.as_str())) {
            let m = crate::text!("{} already peers these VPCs; one peering per pair (P3)", p.id);
            cx.bad("accepter", Some(Rule::P3), m);
        }
    }
    let name = name.to_string();
    cx.finish_one(RK::VpcPeering, None, move |d| {
        let id = d.new_id(RK::VpcPeering);
        d.peerings.push(VpcPeering {
            id: id.clone(),
            name,
            requester_vpc: a.clone(),
            accepter_vpc: b.clone(),
            status,
            allow_dns_resolution: dns,
        });
        Applied { created: Some(id.clone()), touched: vec![id, a, b] }
    })
}

fn update_peering(
    mut cx: Cx<'_>,
    peering: &Ref,
    name: Option<&str>,
    status: Option<PeeringStatus>,
    dns: Option<bool>,
) -> Prepare {
    let Some(id) = cx.id(peering, RK::VpcPeering, "peering") else { return cx.stop() };
    let Some(p) = cx.d.peering(&id).cloned() else { return cx.stop() };
    if let Some(n) = name {
        cx.name(RK::VpcPeering, n, None, Some(&id));
    }
    if p.status == PeeringStatus::Failed && status == Some(PeeringStatus::Active) {
        let m = crate::text!("{} failed (overlapping CIDRs, P2) and cannot become active", p.name);
        cx.fail(OpError::not_allowed("status", Some(Rule::P2), m));
    }
    let name = name.map(str::to_string);
    // The peering and, for a new status, the tables with routes to it (R6): changed in place.
    let mut touches = vec![Touch::Rows(RK::VpcPeering, vec![id.clone()])];
    if status.is_some() {
        let target = RouteTarget::VpcPeering(id.clone());
        let tables = cx.d.route_tables.iter().filter(|t| t.routes.iter().any(|r| r.target == target));
        touches.push(Touch::Rows(RK::RouteTable, tables.map(|t| t.id.clone()).collect()));
    }
    cx.finish_with(touches, move |d| {
        let mut touched = vec![id.clone(), p.requester_vpc.clone(), p.accepter_vpc.clone()];
        if let Some(x) = d.peerings.iter_mut().find(|x| x.id == id) {
            if let Some(n) = name {
                x.name = n;
            }
            if let Some(s) = status {
                x.status = s;
            }
            if let Some(v) = dns {
                x.allow_dns_resolution = v;
            }
        }
        if let Some(s) = status {
            // R6/P4: routes to a peering that is not active are blackholes.
            let state = if s == PeeringStatus::Active { RouteState::Active } else { RouteState::Blackhole };
            let target = RouteTarget::VpcPeering(id.clone());
            for rt in &mut d.route_tables {
                let mut hit = false;
                for r in rt.routes.iter_mut().filter(|r| r.target == target) {
                    r.state = state;
                    hit = true;
                }
                if hit {
                    touched.push(rt.id.clone());
                }
            }
        }
        Applied { created: None, touched }
    })
}

fn prefix_list(
    mut cx: Cx<'_>,
    existing: Option<&Ref>,
    name: Option<&str>,
    region: Option<&str>,
    cidrs: Option<&[IpNet]>,
) -> Prepare {
    let editing = match existing {
        Some(r) => match cx.id(r, RK::PrefixList, "prefix_list") {
            Some(id) => Some(id),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(n) = name {
        cx.name(RK::PrefixList, n, None, editing.as_deref());
    }
    let region = region.map(str::to_string);
    let default_region = cx.d.default_region.clone();
    let (name, cidrs) = (name.map(str::to_string), cidrs.map(|c| c.iter().map(|x| x.trunc()).collect::<Vec<_>>()));
    cx.finish_one(RK::PrefixList, editing.clone().as_ref(), move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_id(RK::PrefixList);
                d.prefix_lists.push(PrefixList {
                    id: id.clone(),
                    name: String::new(),
                    region: region.clone().unwrap_or(default_region),
                    cidrs: Vec::new(),
                    aws_managed: false,
                });
                (id.clone(), Some(id))
            }
        };
        if let Some(p) = d.prefix_lists.iter_mut().find(|p| p.id == id) {
            if let Some(n) = name {
                p.name = n;
            }
            if let Some(r) = region {
                p.region = r;
            }
            if let Some(c) = cidrs {
                p.cidrs = c;
            }
        }
        Applied { created, touched: vec![id] }
    })
}

/// The full service name for what was given: a full name, an endpoint service of the design
/// (its name, id or service name), or a short AWS service name (`s3`) in `region`.
fn service_name(d: &Design, region: &str, given: &str) -> String {
    let given = given.trim();
    if given.starts_with("com.amazonaws.") {
        return given.to_string();
    }
    if let Some(s) = d.endpoint_services.iter().find(|s| s.service_name == given || s.id == given || s.name == given) {
        return s.service_name.clone();
    }
    format!("com.amazonaws.{region}.{given}")
}

fn add_gateway_endpoint(
    mut cx: Cx<'_>,
    vpc: &Ref,
    service: &str,
    route_tables: &[Ref],
    name: Option<&str>,
    state: Option<EndpointState>,
) -> Prepare {
    let vid = cx.id(vpc, RK::Vpc, "vpc");
    let tables = cx.ids(route_tables, &[RK::RouteTable], "route_tables");
    let (Some(vid), Some(tables)) = (vid, tables) else { return cx.stop() };
    let Some(v) = cx.d.vpc(&vid).cloned() else { return cx.stop() };
    let full =
        if service.contains('.') { service.to_string() } else { format!("com.amazonaws.{}.{service}", v.region) };
    if service.trim().is_empty() {
        cx.fail(OpError::invalid("service", None, "required: a service such as s3"));
        return cx.stop();
    }
    let Some(entry) = ServiceCatalog::builtin().by_service_name(&full).cloned() else {
        let m = crate::text!("'{full}' is not a service the catalog knows, nor an endpoint service of this design");
        cx.fail(OpError::invalid("service", None, m));
        return cx.stop();
    };
    if !entry.gateway_endpoint {
        cx.fail(OpError::invalid(
            "service",
            Some(Rule::G1),
            crate::text!("{full} has no gateway endpoint; choose an interface endpoint (G1)"),
        ));
        return cx.stop();
    }
    if entry.region != v.region {
        let m =
            crate::text!("{full} is in another region than {}: gateway endpoints work in their own region (G1)", v.id);
        cx.fail(OpError::invalid("service", Some(Rule::G1), m));
        return cx.stop();
    }
    let pl = entry.prefix_list_id.clone().unwrap_or_default();
    check_gateway_tables(&mut cx, &tables, &v.id, &pl, None);
    let name = name.map(str::to_string).unwrap_or_else(|| format!("{}-{}", v.name, entry.short));
    if cx.ok() {
        cx.name(RK::VpcEndpoint, &name, Some(&vid), None);
    }
    if !cx.ok() {
        return cx.stop();
    }
    // The endpoint goes at the end of its list; its tables get a route (G2).
    let touches = vec![Touch::Appends(RK::VpcEndpoint), Touch::Rows(RK::RouteTable, tables.clone())];
    cx.finish_with(touches, move |d| {
        let id = match d.add_gateway_endpoint(&vid, &full, &tables, ServiceCatalog::builtin()) {
            Ok(id) => id,
            Err(_) => return Applied::default(),
        };
        if let Some(e) = d.endpoints.iter_mut().find(|e| e.id == id) {
            e.name = name;
            if let Some(s) = state {
                e.state = s;
            }
        }
        let mut touched = vec![id.clone()];
        touched.extend(tables);
        Applied { created: Some(id), touched }
    })
}

/// Tables of the endpoint's VPC, each without a route for the service's prefix list (G2)
/// other than the endpoint's own.
fn check_gateway_tables(cx: &mut Cx<'_>, tables: &[Id], vpc: &str, pl: &str, mine: Option<&str>) {
    for id in tables {
        let Some(t) = cx.d.route_table(id) else { continue };
        if t.vpc != vpc {
            let m = crate::text!("{id} is not a route table of {vpc}");
            cx.bad("route_tables", None, m);
            return;
        }
        let own = |r: &Route| mine.is_some_and(|x| r.target == RouteTarget::GatewayEndpoint(x.to_string()));
        if t.routes.iter().any(|r| r.destination == RouteDestination::PrefixList(pl.to_string()) && !own(r)) {
            let m = crate::text!("{id} already has a route for {pl}; one per service per table (G2)");
            cx.bad("route_tables", Some(Rule::G2), m);
            return;
        }
    }
}

struct NewInterfaceEndpoint<'a> {
    vpc: &'a Ref,
    name: &'a str,
    service: &'a str,
    interfaces: &'a [(Ref, Ipv4Addr)],
    subnets: &'a [Ref],
    groups: &'a [Ref],
    private_dns: bool,
    state: EndpointState,
    kind: EndpointKind,
    dns_suffix: Option<&'a str>,
}

/// Check an interface endpoint's service: known, offering interface endpoints, in the
/// region unless cross-region PrivateLink is on (E10).
fn check_interface_service(cx: &mut Cx<'_>, full: &str, given: &str, region: &str) {
    let entry = ServiceCatalog::builtin().by_service_name(full);
    let own = cx.d.endpoint_services.iter().find(|s| s.service_name == full);
    if given.trim().is_empty() {
        cx.bad("service", None, "required: a service such as s3");
        return;
    }
    if entry.is_none() && own.is_none() {
        let m = crate::text!("'{full}' is not a service the catalog knows, nor an endpoint service of this design");
        cx.bad("service", None, m);
    }
    if entry.is_some_and(|s| !s.interface_endpoint) {
        cx.bad("service", None, crate::text!("{full} has no interface endpoint; choose a gateway endpoint"));
    }
    let service_region = entry.map(|s| s.region.clone()).or_else(|| own.map(|s| s.region.clone()));
    if service_region.as_deref().is_some_and(|r| r != region) && !cx.d.features.cross_region_privatelink {
        let m = crate::text!("{full} is in another region; cross-region PrivateLink is off for this design (E10)");
        cx.bad("service", Some(Rule::E10), m);
    }
}

fn fnv(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h
}

fn add_interface_endpoint(mut cx: Cx<'_>, n: NewInterfaceEndpoint<'_>) -> Prepare {
    let vid = cx.id(n.vpc, RK::Vpc, "vpc");
    let pairs: Vec<Ref> = n.interfaces.iter().map(|(s, _)| s.clone()).collect();
    let given = cx.ids(&pairs, &[RK::Subnet], "interfaces");
    let auto = cx.ids(n.subnets, &[RK::Subnet], "subnets");
    let groups = cx.ids(n.groups, &[RK::SecurityGroup], "groups");
    let (Some(vid), Some(given), Some(auto), Some(groups)) = (vid, given, auto, groups) else { return cx.stop() };
    let Some(v) = cx.d.vpc(&vid).cloned() else { return cx.stop() };
    cx.name(RK::VpcEndpoint, n.name, Some(&vid), None);
    let full = service_name(cx.d, &v.region, n.service);
    check_interface_service(&mut cx, &full, n.service, &v.region);
    let all: Vec<Id> = given.iter().chain(auto.iter()).cloned().collect();
    check_subnets_per_az(&mut cx, &all, &vid, "subnets", "at most one subnet per AZ (E1)");
    check_groups(&mut cx, &groups, &vid, "groups");
    super::firewall::check_gwlb_endpoint(&mut cx, n.kind, &full, all.len(), groups.len(), n.private_dns);
    let mut nics = Vec::new();
    let mut taken: Vec<Ipv4Addr> = Vec::new();
    for (sid, (_, ip)) in given.iter().zip(n.interfaces) {
        if let Some(s) = cx.d.subnet(sid).cloned() {
            if let Some(m) = ip_problem(cx.d, &s, *ip, None, &taken) {
                let rule = super::common::rule_in(&m.english);
                cx.bad("interfaces", rule, m);
            }
        }
        taken.push(*ip);
        nics.push(EndpointInterface { subnet: sid.clone(), ip: *ip, eni: None, placeholder: false });
    }
    for sid in &auto {
        let Some(s) = cx.d.subnet(sid).cloned() else { continue };
        match first_free_ip(cx.d, &s, &taken) {
            Some(ip) => {
                taken.push(ip);
                nics.push(EndpointInterface { subnet: sid.clone(), ip, eni: None, placeholder: true });
            }
            None => {
                cx.fail(OpError::invalid("subnets", Some(Rule::A6), crate::text!("{} has no free address (A6)", s.id)))
            }
        }
    }
    let name = n.name.to_string();
    let (kind, state, private_dns) = (n.kind, n.state, n.private_dns);
    let suffix = n.dns_suffix.map(str::to_string);
    cx.finish_one(RK::VpcEndpoint, None, move |d| {
        let id = d.new_id(RK::VpcEndpoint);
        let dns_suffix = suffix.unwrap_or_else(|| format!("{:08x}", fnv(&format!("{id}{full}"))));
        d.endpoints.push(VpcEndpoint {
            id: id.clone(),
            name,
            vpc: vid,
            kind,
            service_name: full,
            state,
            route_tables: Vec::new(),
            interfaces: nics,
            security_groups: groups,
            private_dns_enabled: private_dns,
            dns_suffix,
        });
        Applied { created: Some(id.clone()), touched: vec![id] }
    })
}

#[derive(Default)]
struct EndpointChange {
    name: Option<String>,
    state: Option<EndpointState>,
    route_tables: Option<Vec<Ref>>,
    subnets: Option<Vec<Ref>>,
    groups: Option<Vec<Ref>>,
    private_dns: Option<bool>,
}

fn update_endpoint(mut cx: Cx<'_>, endpoint: &Ref, c: EndpointChange) -> Prepare {
    let Some(id) = cx.id(endpoint, RK::VpcEndpoint, "endpoint") else { return cx.stop() };
    let Some(e) = cx.d.endpoint(&id).cloned() else { return cx.stop() };
    if let Some(n) = &c.name {
        cx.name(RK::VpcEndpoint, n, Some(&e.vpc), Some(&id));
    }
    let tables = match &c.route_tables {
        Some(t) => match cx.ids(t, &[RK::RouteTable], "route_tables") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    let subnets = match &c.subnets {
        Some(s) => match cx.ids(s, &[RK::Subnet], "subnets") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    let groups = match &c.groups {
        Some(g) => match cx.ids(g, &[RK::SecurityGroup], "groups") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    let pl = ServiceCatalog::builtin()
        .by_service_name(&e.service_name)
        .and_then(|s| s.prefix_list_id.clone())
        .unwrap_or_default();
    if let Some(t) = &tables {
        check_gateway_tables(&mut cx, t, &e.vpc, &pl, Some(&id));
    }
    if let Some(s) = &subnets {
        check_subnets_per_az(&mut cx, s, &e.vpc, "subnets", "at most one subnet per AZ (E1)");
    }
    if let Some(g) = &groups {
        check_groups(&mut cx, g, &e.vpc, "groups");
    }
    // Interfaces: the ones it has in subnets it keeps, a new one at the first free address in
    // each new subnet.
    let interfaces = match &subnets {
        Some(list) => {
            let mut out: Vec<EndpointInterface> = Vec::new();
            for s in list {
                if let Some(i) = e.interfaces.iter().find(|i| i.subnet == *s) {
                    out.push(i.clone());
                    continue;
                }
                let Some(sub) = cx.d.subnet(s).cloned() else { continue };
                let taken: Vec<Ipv4Addr> = out.iter().map(|i| i.ip).collect();
                match first_free_ip(cx.d, &sub, &taken) {
                    Some(ip) => out.push(EndpointInterface { subnet: s.clone(), ip, eni: None, placeholder: true }),
                    None => cx.fail(OpError::invalid(
                        "subnets",
                        Some(Rule::A6),
                        crate::text!("{} has no free address (A6)", sub.id),
                    )),
                }
            }
            Some(out)
        }
        None => None,
    };
    let gateway = e.kind == EndpointKind::Gateway;
    // The endpoint and, for a gateway endpoint's new tables, the tables it leaves and joins
    // (their pl → vpce routes, G2): changed in place.
    let mut touches = vec![Touch::Rows(RK::VpcEndpoint, vec![id.clone()])];
    if let (Some(new), true) = (&tables, gateway) {
        let rows = e.route_tables.iter().chain(new.iter().filter(|t| !e.route_tables.contains(t))).cloned();
        touches.push(Touch::Rows(RK::RouteTable, rows.collect()));
    }
    cx.finish_with(touches, move |d| {
        let mut touched = vec![id.clone()];
        if let (Some(new), true) = (&tables, gateway) {
            // Keep the managed pl → vpce routes in step with the chosen tables (G2).
            for t in d.route_tables.iter_mut() {
                let was = e.route_tables.contains(&t.id);
                let now = new.contains(&t.id);
                if was && !now {
                    t.routes.retain(|r| r.target != RouteTarget::GatewayEndpoint(id.clone()));
                    touched.push(t.id.clone());
                } else if now && !was {
                    t.routes.push(Route::gateway_endpoint(pl.clone(), id.clone()));
                    touched.push(t.id.clone());
                }
            }
        }
        if let Some(x) = d.endpoints.iter_mut().find(|x| x.id == id) {
            if let Some(n) = c.name {
                x.name = n;
            }
            if let Some(s) = c.state {
                x.state = s;
            }
            if let (Some(t), true) = (tables, gateway) {
                x.route_tables = t;
            }
            if let Some(i) = interfaces {
                x.interfaces = i;
            }
            if let Some(g) = groups {
                x.security_groups = g;
            }
            if let Some(p) = c.private_dns {
                x.private_dns_enabled = p;
            }
        }
        Applied { created: None, touched }
    })
}

#[derive(Default)]
struct ServiceChange {
    name: Option<String>,
    load_balancers: Option<Vec<Ref>>,
    acceptance_required: Option<bool>,
    allowed_principals: Option<Vec<String>>,
}

fn endpoint_service(mut cx: Cx<'_>, existing: Option<&Ref>, region: Option<&str>, c: ServiceChange) -> Prepare {
    let editing = match existing {
        Some(r) => match cx.id(r, RK::EndpointService, "service") {
            Some(id) => Some(id),
            None => return cx.stop(),
        },
        None => None,
    };
    let lbs = match &c.load_balancers {
        Some(l) => match cx.ids(l, &[RK::LoadBalancer], "load_balancers") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(n) = &c.name {
        cx.name(RK::EndpointService, n, None, editing.as_deref());
    }
    if let Some(l) =
        lbs.iter().flatten().filter_map(|i| cx.d.load_balancer(i)).find(|l| l.kind == LoadBalancerKind::Application)
    {
        let m = crate::text!("{} is an application load balancer; a service fronts NLBs or GWLBs (E9)", l.id);
        cx.bad("load_balancers", Some(Rule::E9), m);
    }
    super::firewall::check_service_balancers(&mut cx, lbs.iter().flatten());
    let region = region.map_or_else(|| cx.d.default_region.clone(), str::to_string);
    cx.finish_one(RK::EndpointService, editing.clone().as_ref(), move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_id(RK::EndpointService);
                d.endpoint_services.push(EndpointService {
                    id: id.clone(),
                    name: String::new(),
                    service_name: format!("com.amazonaws.vpce.{region}.{id}"),
                    region,
                    load_balancers: Vec::new(),
                    acceptance_required: true,
                    allowed_principals: Vec::new(),
                });
                (id.clone(), Some(id))
            }
        };
        if let Some(s) = d.endpoint_services.iter_mut().find(|s| s.id == id) {
            if let Some(n) = c.name {
                s.name = n;
            }
            if let Some(l) = lbs {
                s.load_balancers = l;
            }
            if let Some(a) = c.acceptance_required {
                s.acceptance_required = a;
            }
            if let Some(p) = c.allowed_principals {
                s.allowed_principals = p;
            }
        }
        Applied { created, touched: vec![id] }
    })
}

#[derive(Default)]
struct LbChange {
    name: Option<String>,
    kind: Option<LoadBalancerKind>,
    scheme: Option<LoadBalancerScheme>,
    subnets: Option<Vec<Ref>>,
    groups: Option<Vec<Ref>>,
    listeners: Option<Vec<ListenerSpec>>,
}

/// Add a load balancer to a VPC (`Err(vpc)`) or change one (`Ok(lb)`).
fn load_balancer(mut cx: Cx<'_>, which: Result<&Ref, &Ref>, c: LbChange) -> Prepare {
    let (editing, vpc) = match which {
        Ok(r) => {
            let Some(id) = cx.id(r, RK::LoadBalancer, "load_balancer") else { return cx.stop() };
            let vpc = cx.d.load_balancer(&id).map(|l| l.vpc.clone()).unwrap_or_default();
            (Some(id), vpc)
        }
        Err(v) => match cx.id(v, RK::Vpc, "vpc") {
            Some(v) => (None, v),
            None => return cx.stop(),
        },
    };
    if let Some(n) = &c.name {
        cx.name(RK::LoadBalancer, n, Some(&vpc), editing.as_deref());
    }
    let subnets = match &c.subnets {
        Some(s) => match cx.ids(s, &[RK::Subnet], "subnets") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    let groups = match &c.groups {
        Some(g) => match cx.ids(g, &[RK::SecurityGroup], "groups") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(s) = &subnets {
        check_subnets_per_az(&mut cx, s, &vpc, "subnets", "a load balancer has one node per AZ");
    }
    if let Some(g) = &groups {
        check_groups(&mut cx, g, &vpc, "groups");
    }
    let mut listeners = None;
    if let Some(ls) = &c.listeners {
        let mut out = Vec::new();
        for l in ls {
            if l.port == 0 {
                cx.bad("listeners", None, "a listener port must be a number from 1 to 65535");
            }
            let tg = match &l.target_group {
                Some(r) => match cx.id(r, RK::TargetGroup, "listeners") {
                    Some(id) => Some(id),
                    None => return cx.stop(),
                },
                None => None,
            };
            out.push(Listener { port: l.port, protocol: l.protocol, target_group: tg });
        }
        listeners = Some(out);
    }
    let old = editing.as_deref().and_then(|i| cx.d.load_balancer(i));
    let old_nodes: Vec<LoadBalancerNode> = old.map(|l| l.nodes.clone()).unwrap_or_default();
    let kind_now = c.kind.or(old.map(|l| l.kind)).unwrap_or(LoadBalancerKind::Network);
    let scheme_now = c.scheme.or(old.map(|l| l.scheme)).unwrap_or(LoadBalancerScheme::Internal);
    let subnets_now: Vec<Id> = subnets.clone().unwrap_or_else(|| old_nodes.iter().map(|n| n.subnet.clone()).collect());
    // M10, M11: a lambda group behind an application load balancer only, an alb group behind a
    // network load balancer's TCP listener only.
    let listeners_now = listeners.clone().or_else(|| c.kind.and(old.map(|l| l.listeners.clone())));
    if let Some(ls) = &listeners_now {
        super::services_targets::check_listeners(&mut cx, kind_now, editing.as_deref(), ls);
    }
    // M4: an application load balancer has nodes in at least two zones.
    if kind_now == LoadBalancerKind::Application && (subnets.is_some() || c.kind.is_some()) {
        let zones: std::collections::HashSet<&str> =
            subnets_now.iter().filter_map(|s| cx.d.subnet(s)).map(|s| s.az.as_str()).collect();
        if zones.len() < 2 {
            let m = "an application load balancer needs subnets in at least two Availability Zones (M4)";
            cx.bad("subnets", Some(Rule::M4), m);
        }
    }
    // M4, M6: an internet-facing load balancer needs its VPC's internet gateway.
    if scheme_now == LoadBalancerScheme::InternetFacing
        && (c.scheme.is_some() || editing.is_none())
        && cx.d.vpc_internet_gateway(&vpc).is_none()
    {
        let m = crate::text!("{vpc} has no internet gateway attached: an internet-facing load balancer needs one (M4)");
        cx.bad("scheme", Some(Rule::M4), m);
    }
    let nodes = match &subnets {
        Some(list) => {
            let mut out: Vec<LoadBalancerNode> = Vec::new();
            for s in list {
                if let Some(n) = old_nodes.iter().find(|n| n.subnet == *s) {
                    out.push(n.clone());
                    continue;
                }
                let Some(sub) = cx.d.subnet(s).cloned() else { continue };
                let taken: Vec<Ipv4Addr> = out.iter().map(|n| n.private_ip).collect();
                match first_free_ip(cx.d, &sub, &taken) {
                    Some(ip) => out.push(LoadBalancerNode {
                        subnet: s.clone(),
                        private_ip: ip,
                        public_ip: None,
                        placeholder: true,
                    }),
                    None => cx.fail(OpError::invalid(
                        "subnets",
                        Some(Rule::A6),
                        crate::text!("{} has no free address (A6)", sub.id),
                    )),
                }
            }
            Some(out)
        }
        None => None,
    };
    // M4: internet-facing nodes have public addresses; internal ones private only.
    let nodes = match (nodes, c.scheme.is_some() || c.kind.is_some()) {
        (Some(n), _) => Some(n),
        (None, true) => Some(old_nodes.clone()),
        (None, false) => None,
    }
    .map(|mut n| {
        let public = scheme_now == LoadBalancerScheme::InternetFacing && kind_now != LoadBalancerKind::Gateway;
        if public {
            let mut fresh = super::free_public_ips(cx.d, n.len()).into_iter();
            for x in n.iter_mut().filter(|x| x.public_ip.is_none()) {
                x.public_ip = fresh.next();
            }
        } else {
            n.iter_mut().for_each(|x| x.public_ip = None);
        }
        n
    });
    let region = cx.d.vpc(&vpc).map(|v| v.region.clone()).unwrap_or_else(|| cx.d.default_region.clone());
    cx.finish_one(RK::LoadBalancer, editing.clone().as_ref(), move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_id(RK::LoadBalancer);
                d.load_balancers.push(LoadBalancer {
                    id: id.clone(),
                    name: String::new(),
                    vpc,
                    kind: LoadBalancerKind::Network,
                    scheme: LoadBalancerScheme::Internal,
                    nodes: Vec::new(),
                    security_groups: Vec::new(),
                    listeners: Vec::new(),
                    dns_name: String::new(),
                });
                (id.clone(), Some(id))
            }
        };
        if let Some(l) = d.load_balancers.iter_mut().find(|l| l.id == id) {
            if let Some(n) = c.name {
                l.name = n;
            }
            if let Some(k) = c.kind {
                l.kind = k;
            }
            if let Some(s) = c.scheme {
                l.scheme = s;
            }
            if let Some(n) = nodes {
                l.nodes = n;
            }
            if let Some(g) = groups {
                l.security_groups = g;
            }
            if let Some(x) = listeners {
                l.listeners = x;
            }
            // The name AWS gives a new one: `<name>-<hash>.<region>.elb.amazonaws.com`.
            if created.is_some() && l.dns_name.is_empty() {
                l.dns_name = format!(
                    "{}-{}.{region}.elb.amazonaws.com",
                    crate::model::services::dns_label(&l.name),
                    crate::model::services::endpoint_hash(&l.id)
                );
            }
        }
        Applied { created, touched: vec![id] }
    })
}
