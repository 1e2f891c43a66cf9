//! VPCs and subnets (A1–A6).

use super::common::{used_ips, Cx};
use super::snapshot::Touch;
use super::{Applied, Op, OpError, Prepare, Ref};
use crate::model::*;
use crate::net::{self, CidrError};
use crate::rules::Rule;
use ipnet::Ipv4Net;

use ResourceKind as RK;

pub(super) fn prepare(cx: Cx<'_>, op: &Op) -> Prepare {
    match op {
        Op::AddVpc { name, cidr, region, dns_hostnames, dns_support, secondary_cidrs } => {
            add_vpc(cx, name, *cidr, region.as_deref(), *dns_hostnames, *dns_support, secondary_cidrs)
        }
        Op::UpdateVpc { vpc, name, secondary_cidrs, dns_support, dns_hostnames } => {
            update_vpc(cx, vpc, name.as_deref(), secondary_cidrs.as_deref(), *dns_support, *dns_hostnames)
        }
        Op::AddVpcCidr { vpc, cidr } => add_vpc_cidr(cx, vpc, *cidr),
        Op::SetVpcDns { vpc, support, hostnames } => update_vpc(cx, vpc, None, None, *support, *hostnames),
        Op::AddSubnet { vpc, name, cidr, az, public_ip_on_launch, route_table, network_acl } => {
            let links = (route_table.as_ref(), network_acl.as_ref());
            add_subnet(cx, vpc, name, *cidr, az, *public_ip_on_launch, links)
        }
        Op::UpdateSubnet { subnet, name, cidr, public_ip_on_launch, route_table } => {
            update_subnet(cx, subnet, name.as_deref(), *cidr, *public_ip_on_launch, route_table.as_ref())
        }
        _ => Err(vec![OpError::invalid("", None, "not a VPC or subnet op")]),
    }
}

/// The rule an error of `net` cites (A1, A2, A3 …), read from its message.
fn cidr_error(field: &'static str, e: &CidrError) -> OpError {
    let m = e.text();
    OpError::invalid(field, super::common::rule_in(&m), m)
}

/// Check secondary CIDRs one by one against the VPC's CIDRs so far (A2, A3), as AWS adds them.
fn check_secondaries(cx: &mut Cx<'_>, existing: &[Ipv4Net], new: &[Ipv4Net]) {
    let mut all = existing.to_vec();
    for c in new {
        if let Err(e) = net::check_secondary_cidr(&all, *c) {
            cx.refuse(cidr_error("secondary_cidrs", &e));
            return;
        }
        all.push(c.trunc());
    }
}

fn add_vpc(
    mut cx: Cx<'_>,
    name: &str,
    cidr: Ipv4Net,
    region: Option<&str>,
    dns_hostnames: bool,
    dns_support: bool,
    secondary: &[Ipv4Net],
) -> Prepare {
    cx.name(RK::Vpc, name, None, None);
    let cidr = cidr.trunc();
    match net::check_vpc_cidr(cidr) {
        Err(e) => cx.refuse(cidr_error("cidr", &e)),
        Ok(_) => check_secondaries(&mut cx, &[cidr], secondary),
    }
    let region = region.map_or_else(|| cx.d.default_region.clone(), str::to_string);
    let (name, secondary) = (name.to_string(), secondary.to_vec());
    // The VPC and its main table, default ACL and default group go at the ends of their lists
    // (tables that still name the new id would get its secondary CIDRs' local routes).
    let id = cx.d.new_id(RK::Vpc);
    let stale: Vec<Id> = cx.d.route_tables.iter().filter(|r| r.vpc == id).map(|r| r.id.clone()).collect();
    let touches = vec![
        Touch::Appends(RK::Vpc),
        Touch::Rows(RK::RouteTable, stale),
        Touch::Appends(RK::RouteTable),
        Touch::Appends(RK::NetworkAcl),
        Touch::Appends(RK::SecurityGroup),
    ];
    cx.finish_with(touches, move |d| {
        let id = d.add_vpc(&name, &region, cidr);
        for c in secondary {
            let _ = d.add_vpc_cidr(&id, c);
        }
        let mut touched = vec![id.clone()];
        touched.extend(d.route_tables.iter().filter(|r| r.vpc == id).map(|r| r.id.clone()));
        touched.extend(d.network_acls.iter().filter(|r| r.vpc == id).map(|r| r.id.clone()));
        touched.extend(d.security_groups.iter().filter(|r| r.vpc == id).map(|r| r.id.clone()));
        if let Some(v) = d.vpcs.iter_mut().find(|v| v.id == id) {
            v.enable_dns_hostnames = dns_hostnames;
            v.enable_dns_support = dns_support;
        }
        Applied { created: Some(id), touched }
    })
}

fn update_vpc(
    mut cx: Cx<'_>,
    vpc: &Ref,
    name: Option<&str>,
    secondary: Option<&[Ipv4Net]>,
    dns_support: Option<bool>,
    dns_hostnames: Option<bool>,
) -> Prepare {
    let Some(id) = cx.id(vpc, RK::Vpc, "vpc") else { return cx.stop() };
    let Some(v) = cx.d.vpc(&id).cloned() else { return cx.stop() };
    if let Some(n) = name {
        cx.name(RK::Vpc, n, None, Some(&id));
    }
    let secondary: Option<Vec<Ipv4Net>> = secondary.map(|s| s.iter().map(|c| c.trunc()).collect());
    if let Some(new) = &secondary {
        // A CIDR with subnets in it cannot be removed (A2).
        for old in v.secondary_cidrs.iter().filter(|c| !new.contains(c)) {
            if let Some(s) = cx.d.vpc_subnets(&v.id).find(|s| s.cidr.is_some_and(|sc| old.contains(&sc.network()))) {
                let m = crate::text!("{old} still holds subnet {} ({}); delete it first (A2)", s.name, s.id);
                cx.bad("secondary_cidrs", Some(Rule::A2), m);
                break;
            }
        }
        let kept: Vec<Ipv4Net> =
            std::iter::once(v.cidr).chain(v.secondary_cidrs.iter().copied().filter(|c| new.contains(c))).collect();
        let added: Vec<Ipv4Net> = new.iter().copied().filter(|c| !v.secondary_cidrs.contains(c)).collect();
        check_secondaries(&mut cx, &kept, &added);
        // A2: an added CIDR may not equal or cover a route destination in the VPC's tables.
        let destinations: Vec<Ipv4Net> =
            cx.d.route_tables
                .iter()
                .filter(|rt| rt.vpc == v.id)
                .flat_map(|rt| rt.routes.iter().filter(|r| !r.is_local()))
                .filter_map(|r| match r.destination.cidr() {
                    Some(ipnet::IpNet::V4(c)) => Some(c),
                    _ => None,
                })
                .collect();
        if let Some(e) = added.iter().find_map(|c| net::check_secondary_cidr_routes(&destinations, *c).err()) {
            cx.refuse(cidr_error("secondary_cidrs", &e));
        }
    }
    let name = name.map(str::to_string);
    // The VPC and, for new CIDRs, its tables (local routes): changed in place.
    let mut touches = vec![Touch::Rows(RK::Vpc, vec![id.clone()])];
    if secondary.is_some() {
        touches.push(Touch::Rows(RK::RouteTable, vpc_tables(cx.d, &id)));
    }
    cx.finish_with(touches, move |d| {
        let mut touched = vec![id.clone()];
        if let Some(new) = secondary {
            let old = v.secondary_cidrs.clone();
            for c in old.iter().filter(|c| !new.contains(c)) {
                if let Some(x) = d.vpcs.iter_mut().find(|x| x.id == id) {
                    x.secondary_cidrs.retain(|y| y != c);
                }
                for rt in d.route_tables.iter_mut().filter(|r| r.vpc == id) {
                    rt.routes.retain(|r| !(r.is_local() && r.destination == RouteDestination::Cidr((*c).into())));
                }
            }
            for c in new.iter().filter(|c| !old.contains(c)) {
                let _ = d.add_vpc_cidr(&id, *c);
            }
            touched.extend(d.route_tables.iter().filter(|r| r.vpc == id).map(|r| r.id.clone()));
        }
        if let Some(x) = d.vpcs.iter_mut().find(|x| x.id == id) {
            if let Some(n) = name {
                x.name = n;
            }
            if let Some(s) = dns_support {
                x.enable_dns_support = s;
            }
            if let Some(h) = dns_hostnames {
                x.enable_dns_hostnames = h;
            }
        }
        Applied { created: None, touched }
    })
}

fn add_vpc_cidr(mut cx: Cx<'_>, vpc: &Ref, cidr: Ipv4Net) -> Prepare {
    let Some(id) = cx.id(vpc, RK::Vpc, "vpc") else { return cx.stop() };
    let existing: Vec<Ipv4Net> = cx.d.vpc(&id).map(|v| v.cidrs().collect()).unwrap_or_default();
    let cidr = cidr.trunc();
    if existing.iter().any(|c| net::overlaps(*c, cidr)) {
        // Overlap is refused even for trusted code: the local routes would collide (A2).
        cx.fail(OpError::invalid(
            "cidr",
            Some(Rule::A2),
            crate::text!("{cidr} overlaps a CIDR the VPC already has (A2)"),
        ));
        return cx.stop();
    }
    if let Err(e) = net::check_secondary_cidr(&existing, cidr) {
        cx.refuse(cidr_error("cidr", &e));
    }
    let touches = vec![Touch::Rows(RK::Vpc, vec![id.clone()]), Touch::Rows(RK::RouteTable, vpc_tables(cx.d, &id))];
    cx.finish_with(touches, move |d| {
        let _ = d.add_vpc_cidr(&id, cidr);
        let mut touched = vec![id.clone()];
        touched.extend(d.route_tables.iter().filter(|r| r.vpc == id).map(|r| r.id.clone()));
        Applied { created: None, touched }
    })
}

/// The route tables of a VPC: what a change of its CIDRs changes in place (local routes, R2).
fn vpc_tables(d: &Design, vpc: &str) -> Vec<Id> {
    d.route_tables.iter().filter(|r| r.vpc == vpc).map(|r| r.id.clone()).collect()
}

/// Check a subnet's CIDR in its VPC, against the VPC's other subnets (A5), with messages that
/// name the subnet in the way.
fn check_subnet_cidr(cx: &mut Cx<'_>, vpc: &Vpc, cidr: Ipv4Net, editing: Option<&str>) {
    let others: Vec<&Subnet> = cx.d.vpc_subnets(&vpc.id).filter(|s| Some(s.id.as_str()) != editing).collect();
    let vpc_cidrs: Vec<Ipv4Net> = vpc.cidrs().collect();
    let other_cidrs: Vec<Ipv4Net> = others.iter().filter_map(|s| s.cidr).collect();
    let Err(e) = net::check_subnet_cidr(&vpc_cidrs, &other_cidrs, cidr) else { return };
    let m = match &e {
        CidrError::TooLarge { .. } | CidrError::TooSmall { .. } => {
            let len = cidr.prefix_len();
            if len < 16 {
                crate::text!("a subnet is /16 to /28; /{len} is too large (A5)")
            } else {
                crate::text!("a subnet is /16 to /28; /{len} is too small (A5)")
            }
        }
        CidrError::OutsideVpc { .. } | CidrError::SpansVpcCidrs { .. } => {
            let cidrs: Vec<String> = vpc_cidrs.iter().map(|x| x.to_string()).collect();
            crate::text!("{cidr} is not inside {} ({}) (A5)", vpc.name, cidrs.join(", "))
        }
        CidrError::OverlapsSubnet { existing, .. } => match others.iter().find(|s| s.cidr == Some(*existing)) {
            Some(o) => crate::text!("{cidr} overlaps subnet {} ({}, {}) (A5)", o.name, o.id, o.primary_cidr_text()),
            None => e.text(),
        },
        other => other.text(),
    };
    cx.bad("cidr", Some(Rule::A5), m);
}

/// The zone a subnet goes to: a full name, or a letter after the VPC's region.
fn full_az(vpc: &Vpc, az: &str) -> String {
    let az = az.trim();
    if az.len() <= 2 {
        format!("{}{az}", vpc.region)
    } else {
        az.to_string()
    }
}

fn check_az(cx: &mut Cx<'_>, vpc: &Vpc, az: &str) {
    let known = cx.d.azs(&vpc.region);
    let used = cx.d.vpc_subnets(&vpc.id).any(|s| s.az == az);
    if az.is_empty() || (!known.is_empty() && !known.iter().any(|a| a == az) && !used) {
        cx.bad("az", Some(Rule::A5), crate::text!("choose one of {}'s zones (A5)", vpc.region));
    }
}

/// Check an explicit route table for a subnet of `vpc` (R1: a table of the same VPC).
fn check_table(cx: &mut Cx<'_>, table: &Ref, vpc: &str) -> Option<Id> {
    let t = cx.id(table, RK::RouteTable, "route_table")?;
    if cx.d.route_table(&t).is_some_and(|r| r.vpc != vpc) {
        cx.bad("route_table", Some(Rule::R1), crate::text!("{t} is a route table of another VPC (R1)"));
    }
    Some(t)
}

fn add_subnet(
    mut cx: Cx<'_>,
    vpc: &Ref,
    name: &str,
    cidr: Ipv4Net,
    az: &str,
    public_ip: bool,
    (route_table, network_acl): (Option<&Ref>, Option<&Ref>),
) -> Prepare {
    let Some(vid) = cx.id(vpc, RK::Vpc, "vpc") else { return cx.stop() };
    let Some(v) = cx.d.vpc(&vid).cloned() else { return cx.stop() };
    cx.name(RK::Subnet, name, Some(&vid), None);
    let cidr = cidr.trunc();
    check_subnet_cidr(&mut cx, &v, cidr, None);
    let az = full_az(&v, az);
    check_az(&mut cx, &v, &az);
    let table = route_table.and_then(|t| check_table(&mut cx, t, &vid));
    if route_table.is_some() && table.is_none() {
        return cx.stop();
    }
    let acl = match network_acl {
        Some(a) => match cx.id(a, RK::NetworkAcl, "network_acl") {
            Some(a) => {
                if cx.d.network_acl(&a).is_some_and(|x| x.vpc != vid) {
                    cx.bad("network_acl", Some(Rule::L1), crate::text!("{a} is a network ACL of another VPC (L1)"));
                }
                Some(a)
            }
            None => return cx.stop(),
        },
        None => None,
    };
    let name = name.to_string();
    // The id it will get (the design is unchanged until the commit): the subnet goes at the
    // end of the list, and the table and ACL it joins (and any that still name that id) are
    // changed in place; that is all an undo keeps.
    let id = cx.d.new_id(RK::Subnet);
    let naming = |ids: Vec<Id>, extra: &Option<Id>| ids.into_iter().chain(extra.iter().cloned()).collect::<Vec<_>>();
    let mut touches = vec![Touch::Appends(RK::Subnet)];
    if table.is_some() {
        let holding = cx.d.route_tables.iter().filter(|r| r.subnets.contains(&id)).map(|r| r.id.clone()).collect();
        touches.push(Touch::Rows(RK::RouteTable, naming(holding, &table)));
    }
    if acl.is_some() {
        let holding = cx.d.network_acls.iter().filter(|a| a.subnets.contains(&id)).map(|a| a.id.clone()).collect();
        touches.push(Touch::Rows(RK::NetworkAcl, naming(holding, &acl)));
    }
    cx.finish_with(touches, move |d| {
        let mut s = Subnet::new(id.clone(), name, vid, cidr, az);
        s.map_public_ip_on_launch = public_ip;
        d.subnets.push(s);
        let mut touched = vec![id.clone()];
        if let Some(t) = table {
            let _ = d.associate_route_table(&id, &t);
            touched.push(t);
        }
        if let Some(a) = acl {
            touched.extend(d.network_acls.iter().filter(|x| x.subnets.contains(&id)).map(|x| x.id.clone()));
            let _ = d.associate_network_acl(&id, &a);
            touched.push(a);
        }
        Applied { created: Some(id), touched }
    })
}

fn update_subnet(
    mut cx: Cx<'_>,
    subnet: &Ref,
    name: Option<&str>,
    cidr: Option<Ipv4Net>,
    public_ip: Option<bool>,
    route_table: Option<&Option<Ref>>,
) -> Prepare {
    let Some(id) = cx.id(subnet, RK::Subnet, "subnet") else { return cx.stop() };
    let Some(s) = cx.d.subnet(&id).cloned() else { return cx.stop() };
    if let Some(n) = name {
        cx.name(RK::Subnet, n, Some(&s.vpc), Some(&id));
    }
    let cidr = cidr.map(|c| c.trunc()).filter(|c| Some(*c) != s.cidr);
    if let (Some(c), Some(v)) = (cidr, cx.d.vpc(&s.vpc).cloned()) {
        check_subnet_cidr(&mut cx, &v, c, Some(&id));
        // A route more specific than local names the subnet's CIDR (R2): it must stay whole.
        if let Some(r) = cx.d.subnet_routes(&id).first() {
            let m = crate::text!("{} has a {} to the subnet's CIDR; change or delete it first (R2)", r.from, r.field);
            cx.bad("cidr", Some(Rule::R2), m);
        }
        // What lives in the subnet must stay inside it, off the reserved addresses (A6).
        for (ip, by) in used_ips(cx.d, &id, None) {
            if !c.contains(&ip) {
                cx.bad("cidr", Some(Rule::A5), crate::text!("{by} has {ip}, which would fall outside {c}"));
                break;
            }
            if super::common::reserved(c, ip) {
                cx.bad(
                    "cidr",
                    Some(Rule::A6),
                    crate::text!("{ip} ({by}) would be one of {c}'s reserved addresses (A6)"),
                );
                break;
            }
        }
    }
    let table = match route_table {
        Some(Some(t)) => match check_table(&mut cx, t, &s.vpc) {
            Some(t) => Some(Some(t)),
            None => return cx.stop(),
        },
        Some(None) => Some(None),
        None => None,
    };
    let name = name.map(str::to_string);
    // The subnet, and for a new association the tables it leaves and joins: all changed in
    // place, all an undo keeps.
    let mut touches = vec![Touch::Rows(RK::Subnet, vec![id.clone()])];
    if let Some(t) = &table {
        let mut tables: Vec<Id> =
            cx.d.route_tables.iter().filter(|r| r.subnets.contains(&id)).map(|r| r.id.clone()).collect();
        tables.extend(t.iter().cloned());
        touches.push(Touch::Rows(RK::RouteTable, tables));
    }
    cx.finish_with(touches, move |d| {
        let mut touched = vec![id.clone()];
        if let Some(x) = d.subnets.iter_mut().find(|x| x.id == id) {
            if let Some(n) = name {
                x.name = n;
            }
            if let Some(c) = cidr {
                x.cidr = Some(c);
            }
            if let Some(p) = public_ip {
                x.map_public_ip_on_launch = p;
            }
        }
        match table {
            Some(Some(t)) => {
                touched.extend(d.route_tables.iter().filter(|r| r.subnets.contains(&id)).map(|r| r.id.clone()));
                let _ = d.associate_route_table(&id, &t);
                touched.push(t);
            }
            Some(None) => {
                for t in d.route_tables.iter_mut().filter(|t| t.subnets.contains(&id)) {
                    t.subnets.retain(|x| *x != id);
                    touched.push(t.id.clone());
                }
            }
            None => {}
        }
        Applied { created: None, touched }
    })
}
