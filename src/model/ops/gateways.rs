//! Internet gateways, egress-only internet gateways, Elastic IPs and NAT gateways (I1–I5,
//! N1–N7).

use super::common::{eip_user, first_free_ip, ip_problem, placeholder_public_ip, Cx};
use super::{Applied, NatEip, Op, OpError, Prepare, Ref};
use crate::model::*;
use crate::rules::Rule;
use std::net::Ipv4Addr;

use ResourceKind as RK;

pub(super) fn prepare(cx: Cx<'_>, op: &Op) -> Prepare {
    match op {
        Op::AddInternetGateway { name, vpc } => add_igw(cx, name, vpc.as_ref()),
        Op::UpdateInternetGateway { igw, name, vpc } => update_igw(cx, igw, name.as_deref(), vpc.as_ref()),
        Op::AttachInternetGateway { igw, vpc } => update_igw(cx, igw, None, Some(&Some(vpc.clone()))),
        Op::DetachInternetGateway { igw } => update_igw(cx, igw, None, Some(&None)),
        Op::AddEgressOnlyInternetGateway { name, vpc } => add_eigw(cx, name, vpc),
        Op::UpdateEgressOnlyInternetGateway { eigw, name } => update_eigw(cx, eigw, name.as_deref()),
        Op::AddElasticIp { name, public_ip, instance, placeholder } => {
            add_eip(cx, name, *public_ip, instance.as_ref(), *placeholder)
        }
        Op::UpdateElasticIp { eip, name, public_ip } => update_eip(cx, eip, name.as_deref(), *public_ip),
        Op::AddNatGateway { name, subnet, private_ip, public_ip, eip, connectivity, state } => {
            add_nat(cx, name, subnet, *private_ip, *public_ip, eip, *connectivity, *state)
        }
        Op::AddRegionalNatGateway { name, vpc, public_ip, eip, route_table, state } => {
            add_regional_nat(cx, name, vpc, *public_ip, eip, route_table.as_ref(), *state)
        }
        Op::UpdateNatGateway { nat, name, private_ip, connectivity, eip, state, route_table } => {
            let change =
                NatChange { private_ip: *private_ip, connectivity: *connectivity, eip: eip.as_ref(), state: *state };
            update_nat(cx, nat, name.as_deref(), change, route_table.as_ref())
        }
        _ => Err(vec![OpError::invalid("", None, "not a gateway op")]),
    }
}

/// A VPC has one internet gateway at a time (I1).
fn check_one_igw(cx: &mut Cx<'_>, vpc: &str, editing: Option<&str>) {
    if let Some(o) =
        cx.d.internet_gateways.iter().find(|x| x.vpc.as_deref() == Some(vpc) && Some(x.id.as_str()) != editing)
    {
        let m = crate::text!("{vpc} already has {} attached; a VPC has one internet gateway at a time (I1)", o.id);
        cx.bad("vpc", Some(Rule::I1), m);
    }
}

fn add_igw(mut cx: Cx<'_>, name: &str, vpc: Option<&Ref>) -> Prepare {
    let Some(vpc) = cx.opt_id(vpc, RK::Vpc, "vpc") else { return cx.stop() };
    cx.name(RK::InternetGateway, name, None, None);
    if let Some(v) = &vpc {
        check_one_igw(&mut cx, v, None);
    }
    let name = name.to_string();
    cx.finish(&[RK::InternetGateway], move |d| {
        let id = d.new_id(RK::InternetGateway);
        d.internet_gateways.push(InternetGateway { id: id.clone(), name, vpc });
        Applied { created: Some(id.clone()), touched: vec![id] }
    })
}

fn update_igw(mut cx: Cx<'_>, igw: &Ref, name: Option<&str>, vpc: Option<&Option<Ref>>) -> Prepare {
    let Some(id) = cx.id(igw, RK::InternetGateway, "igw") else { return cx.stop() };
    let vpc = match vpc {
        Some(v) => match cx.opt_id(v.as_ref(), RK::Vpc, "vpc") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(n) = name {
        cx.name(RK::InternetGateway, n, None, Some(&id));
    }
    if let Some(Some(v)) = &vpc {
        check_one_igw(&mut cx, v, Some(&id));
    }
    let name = name.map(str::to_string);
    cx.finish(&[RK::InternetGateway], move |d| {
        if let Some(x) = d.internet_gateways.iter_mut().find(|x| x.id == id) {
            if let Some(n) = name {
                x.name = n;
            }
            if let Some(v) = vpc {
                x.vpc = v;
            }
        }
        Applied { created: None, touched: vec![id] }
    })
}

fn add_eigw(mut cx: Cx<'_>, name: &str, vpc: &Ref) -> Prepare {
    let Some(vpc) = cx.id(vpc, RK::Vpc, "vpc") else { return cx.stop() };
    cx.name(RK::EgressOnlyInternetGateway, name, Some(&vpc), None);
    if let Some(o) = cx.d.egress_only_internet_gateways.iter().find(|x| x.vpc == vpc) {
        let m = crate::text!("{vpc} already has {}; one egress-only IGW per VPC (I5)", o.id);
        cx.bad("vpc", Some(Rule::I5), m);
    }
    let name = name.to_string();
    cx.finish(&[RK::EgressOnlyInternetGateway], move |d| {
        let id = d.new_id(RK::EgressOnlyInternetGateway);
        d.egress_only_internet_gateways.push(EgressOnlyInternetGateway { id: id.clone(), name, vpc });
        Applied { created: Some(id.clone()), touched: vec![id] }
    })
}

fn update_eigw(mut cx: Cx<'_>, eigw: &Ref, name: Option<&str>) -> Prepare {
    let Some(id) = cx.id(eigw, RK::EgressOnlyInternetGateway, "eigw") else { return cx.stop() };
    if let Some(n) = name {
        let vpc = cx.d.egress_only_internet_gateways.iter().find(|x| x.id == id).map(|x| x.vpc.clone());
        cx.name(RK::EgressOnlyInternetGateway, n, vpc.as_deref(), Some(&id));
    }
    let name = name.map(str::to_string);
    cx.finish(&[RK::EgressOnlyInternetGateway], move |d| {
        if let (Some(x), Some(n)) = (d.egress_only_internet_gateways.iter_mut().find(|x| x.id == id), name) {
            x.name = n;
        }
        Applied { created: None, touched: vec![id] }
    })
}

fn check_unique_ip(cx: &mut Cx<'_>, ip: Ipv4Addr, editing: Option<&str>, field: &'static str) {
    if let Some(o) = cx.d.elastic_ips.iter().find(|x| x.public_ip == ip && Some(x.id.as_str()) != editing) {
        let m = crate::text!("{ip} is already allocated as {}", o.id);
        cx.bad(field, None, m);
    }
}

fn add_eip(mut cx: Cx<'_>, name: &str, public_ip: Ipv4Addr, instance: Option<&Ref>, placeholder: bool) -> Prepare {
    let Some(inst) = cx.opt_id(instance, RK::Instance, "instance") else { return cx.stop() };
    cx.name(RK::ElasticIp, name, None, None);
    check_unique_ip(&mut cx, public_ip, None, "public_ip");
    let eni = match &inst {
        Some(i) => match cx.interface_of(RK::Instance, i, "instance") {
            Some(e) => Some(e),
            None => return cx.stop(),
        },
        None => None,
    };
    let name = name.to_string();
    let touches: &[RK] = if eni.is_some() { &[RK::ElasticIp, RK::NetworkInterface] } else { &[RK::ElasticIp] };
    cx.finish(touches, move |d| {
        let id = d.new_id(RK::ElasticIp);
        d.elastic_ips.push(ElasticIp { id: id.clone(), name, public_ip, placeholder });
        let mut touched = vec![id.clone()];
        if let Some(eni) = eni {
            if let Some(e) = d.network_interfaces.iter_mut().find(|e| e.id == eni) {
                e.eip = Some(id.clone());
            }
            touched.push(eni);
        }
        Applied { created: Some(id), touched }
    })
}

fn update_eip(mut cx: Cx<'_>, eip: &Ref, name: Option<&str>, public_ip: Option<Ipv4Addr>) -> Prepare {
    let Some(id) = cx.id(eip, RK::ElasticIp, "eip") else { return cx.stop() };
    if let Some(n) = name {
        cx.name(RK::ElasticIp, n, None, Some(&id));
    }
    if let Some(ip) = public_ip {
        check_unique_ip(&mut cx, ip, Some(&id), "public_ip");
    }
    // Who shows the address: the interfaces and NAT gateways it is associated with.
    let mut touched = vec![id.clone()];
    touched.extend(cx.d.network_interfaces.iter().filter(|e| e.eip.as_deref() == Some(&id)).map(|e| e.id.clone()));
    touched.extend(cx.d.nat_gateways.iter().filter(|e| e.eip.as_deref() == Some(&id)).map(|e| e.id.clone()));
    let name = name.map(str::to_string);
    cx.finish(&[RK::ElasticIp], move |d| {
        if let Some(x) = d.elastic_ips.iter_mut().find(|x| x.id == id) {
            if let Some(n) = name {
                x.name = n;
            }
            if let Some(ip) = public_ip {
                x.public_ip = ip;
                x.placeholder = false;
            }
        }
        Applied { created: None, touched }
    })
}

/// The Elastic IP a NAT gateway ends up with: none, a new one, or an existing one (its id).
enum Eip {
    None,
    New,
    Existing(Id),
}

/// Resolve and check a NAT gateway's Elastic IP against its connectivity (N1, N2).
fn nat_eip(cx: &mut Cx<'_>, eip: &NatEip, connectivity: NatConnectivity, editing: Option<&str>) -> Option<Eip> {
    let e = match eip {
        NatEip::None => Eip::None,
        NatEip::New => Eip::New,
        NatEip::Existing(r) => Eip::Existing(cx.id(r, RK::ElasticIp, "eip")?),
    };
    match (connectivity, &e) {
        (NatConnectivity::Public, Eip::None) => {
            cx.bad("eip", Some(Rule::N1), "a public NAT gateway needs an Elastic IP (N1)");
        }
        (NatConnectivity::Private, Eip::New | Eip::Existing(_)) => {
            cx.bad("eip", Some(Rule::N2), "a private NAT gateway has no Elastic IP (N2)");
        }
        (_, Eip::Existing(id)) => {
            if let Some(by) = eip_user(cx.d, id, editing) {
                cx.bad("eip", None, crate::text!("{id} is already associated with {by}"));
            }
        }
        _ => {}
    }
    Some(e)
}

/// Give a NAT gateway a new Elastic IP: at `public_ip`, else at a placeholder address.
fn new_eip(d: &mut Design, nat_name: &str, public_ip: Option<Ipv4Addr>) -> Id {
    let id = d.new_id(RK::ElasticIp);
    let (ip, placeholder) = match public_ip {
        Some(ip) => (ip, false),
        None => (placeholder_public_ip(d), true),
    };
    d.elastic_ips.push(ElasticIp { id: id.clone(), name: format!("{nat_name}-eip"), public_ip: ip, placeholder });
    id
}

#[allow(clippy::too_many_arguments)]
fn add_nat(
    mut cx: Cx<'_>,
    name: &str,
    subnet: &Ref,
    private_ip: Option<Ipv4Addr>,
    public_ip: Option<Ipv4Addr>,
    eip: &NatEip,
    connectivity: NatConnectivity,
    state: NatState,
) -> Prepare {
    let Some(sid) = cx.id(subnet, RK::Subnet, "subnet") else { return cx.stop() };
    let Some(s) = cx.d.subnet(&sid).cloned() else { return cx.stop() };
    cx.name(RK::NatGateway, name, Some(&sid), None);
    let ip = match private_ip {
        Some(ip) => {
            if let Some(m) = ip_problem(cx.d, &s, ip, None, &[]) {
                let rule = super::common::rule_in(&m.english);
                cx.bad("private_ip", rule, m);
            }
            Some(ip)
        }
        None => {
            let free = first_free_ip(cx.d, &s, &[]);
            if free.is_none() {
                cx.fail(OpError::invalid(
                    "private_ip",
                    Some(Rule::A6),
                    crate::text!("{} has no free address left (A6)", s.name),
                ));
            }
            free
        }
    };
    let Some(e) = nat_eip(&mut cx, eip, connectivity, None) else { return cx.stop() };
    if let (Eip::New, Some(p)) = (&e, public_ip) {
        check_unique_ip(&mut cx, p, None, "public_ip");
    }
    let Some(ip) = ip else { return cx.stop() };
    let nat = NatGateway {
        name: name.to_string(),
        subnet: Some(sid),
        connectivity,
        private_ip: Some(ip),
        state,
        ..Default::default()
    };
    cx.finish(&[RK::ElasticIp, RK::NatGateway], move |d| push_nat(d, e, public_ip, nat))
}

/// Add `nat` (without its id and Elastic IP yet) with its Elastic IP: none, a new one made for
/// it (N1), or an existing one.
fn push_nat(d: &mut Design, e: Eip, public_ip: Option<Ipv4Addr>, mut nat: NatGateway) -> Applied {
    nat.eip = match e {
        Eip::None => None,
        Eip::New => Some(new_eip(d, &nat.name, public_ip)),
        Eip::Existing(id) => Some(id),
    };
    let mut touched: Vec<Id> = nat.eip.iter().cloned().collect();
    let id = d.new_id(RK::NatGateway);
    nat.id = id.clone();
    d.nat_gateways.push(nat);
    touched.push(id.clone());
    Applied { created: Some(id), touched }
}

/// N9: a regional NAT gateway's own route table must be a table of its VPC.
fn nat_route_table(cx: &mut Cx<'_>, vpc: &str, rt: Option<&Ref>) -> Option<Option<Id>> {
    let Some(r) = rt else { return Some(None) };
    let id = cx.id(r, RK::RouteTable, "route_table")?;
    if let Some(t) = cx.d.route_table(&id) {
        if t.vpc != vpc {
            let m = crate::text!("{id} is a route table of {}, not of the NAT gateway's VPC {vpc} (N9)", t.vpc);
            cx.bad("route_table", Some(Rule::N9), m);
        }
    }
    Some(Some(id))
}

/// N9: a regional NAT gateway lives in a VPC, not a subnet; it is public (an Elastic IP).
#[allow(clippy::too_many_arguments)]
fn add_regional_nat(
    mut cx: Cx<'_>,
    name: &str,
    vpc: &Ref,
    public_ip: Option<Ipv4Addr>,
    eip: &NatEip,
    route_table: Option<&Ref>,
    state: NatState,
) -> Prepare {
    let Some(vid) = cx.id(vpc, RK::Vpc, "vpc") else { return cx.stop() };
    cx.name(RK::NatGateway, name, Some(&vid), None);
    let Some(rt) = nat_route_table(&mut cx, &vid, route_table) else { return cx.stop() };
    let Some(e) = nat_eip(&mut cx, eip, NatConnectivity::Public, None) else { return cx.stop() };
    if let (Eip::New, Some(p)) = (&e, public_ip) {
        check_unique_ip(&mut cx, p, None, "public_ip");
    }
    let nat = NatGateway {
        name: name.to_string(),
        availability_mode: NatAvailabilityMode::Regional,
        vpc: Some(vid),
        route_table: rt,
        state,
        ..Default::default()
    };
    cx.finish(&[RK::ElasticIp, RK::NatGateway], move |d| push_nat(d, e, public_ip, nat))
}

/// What an update changes besides the name and the route table.
struct NatChange<'a> {
    private_ip: Option<Ipv4Addr>,
    connectivity: Option<NatConnectivity>,
    eip: Option<&'a NatEip>,
    state: Option<NatState>,
}

fn update_nat(
    mut cx: Cx<'_>,
    nat: &Ref,
    name: Option<&str>,
    change: NatChange<'_>,
    route_table: Option<&Option<Ref>>,
) -> Prepare {
    let NatChange { private_ip, connectivity, eip, state } = change;
    let Some(id) = cx.id(nat, RK::NatGateway, "nat") else { return cx.stop() };
    let Some(n) = cx.d.nat_gateway(&id).cloned() else { return cx.stop() };
    let scope = n.subnet.clone().or(n.vpc.clone());
    if let Some(x) = name {
        cx.name(RK::NatGateway, x, scope.as_deref(), Some(&id));
    }
    if n.is_regional() && private_ip.is_some() {
        cx.bad("private_ip", Some(Rule::N9), "a regional NAT gateway has no address in a subnet (N9)");
    }
    if n.is_regional() && connectivity == Some(NatConnectivity::Private) {
        cx.bad("connectivity", Some(Rule::N9), "a regional NAT gateway is a public one (N9)");
    }
    let rt = match (route_table, &n.vpc) {
        (None, _) => None,
        (Some(_), None) => {
            cx.bad("route_table", Some(Rule::N9), "only a regional NAT gateway has a route table of its own (N9)");
            None
        }
        (Some(r), Some(v)) => {
            let v = v.clone();
            let Some(rt) = nat_route_table(&mut cx, &v, r.as_ref()) else { return cx.stop() };
            Some(rt)
        }
    };
    let subnet = n.subnet.as_deref().and_then(|s| cx.d.subnet(s)).cloned();
    if let (Some(ip), Some(s)) = (private_ip.filter(|ip| Some(*ip) != n.private_ip), subnet) {
        if let Some(m) = ip_problem(cx.d, &s, ip, Some(&id), &[]) {
            let rule = super::common::rule_in(&m.english);
            cx.bad("private_ip", rule, m);
        }
    }
    let conn = connectivity.unwrap_or(n.connectivity);
    let current = match &n.eip {
        Some(e) => NatEip::Existing(Ref::Id(e.clone())),
        None => NatEip::None,
    };
    let Some(e) = nat_eip(&mut cx, eip.unwrap_or(&current), conn, Some(&id)) else { return cx.stop() };
    let change_eip = eip.is_some();
    let name = name.map(str::to_string);
    cx.finish(&[RK::ElasticIp, RK::NatGateway], move |d| {
        let mut touched = vec![id.clone()];
        let new_eip = if change_eip {
            Some(match e {
                Eip::None => None,
                Eip::New => Some(new_eip(d, name.as_deref().unwrap_or(&n.name), None)),
                Eip::Existing(x) => Some(x),
            })
        } else {
            None
        };
        if let Some(Some(x)) = &new_eip {
            touched.push(x.clone());
        }
        if let Some(x) = d.nat_gateways.iter_mut().find(|x| x.id == id) {
            if let Some(v) = name {
                x.name = v;
            }
            if let Some(ip) = private_ip {
                x.private_ip = Some(ip);
            }
            if let Some(rt) = rt {
                x.route_table = rt;
            }
            x.connectivity = conn;
            if let Some(v) = state {
                x.state = v;
            }
            if let Some(e) = new_eip {
                x.eip = e;
            }
        }
        Applied { created: None, touched }
    })
}
