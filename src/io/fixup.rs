//! Making an imported design consistent: one resource per id, stub VPCs and transit gateways for
//! what the source only referred to, and no link to anything that is not there. Imports end
//! with [`make_consistent`], so what they return always passes [`super::native::validate`].

use super::report::ImportReport;
use crate::model::edit::Strength;
use crate::model::*;
use ipnet::Ipv4Net;
use std::collections::{BTreeSet, HashMap, HashSet};

/// What an import knows about a VPC it did not see (from a peering's accepter info, say).
#[derive(Debug, Clone, Default)]
pub struct VpcHint {
    pub cidr: Option<Ipv4Net>,
    pub region: Option<String>,
    pub account: Option<String>,
}

/// Make the design consistent, telling the report what was added or dropped. `hints` describe
/// VPCs referred to but not imported; `region` is where stubs without a hint go.
pub fn make_consistent(design: &mut Design, report: &mut ImportReport, hints: &HashMap<Id, VpcHint>, region: &str) {
    dedupe_ids(design, report);
    one_default_each(design, report);
    stub_vpcs(design, report, hints, region);
    stub_transit_gateways(design, report, region);
    for _ in 0..16 {
        if !prune_once(design, report) {
            break;
        }
    }
    super::services::make_consistent(design, report);
}

/// Drop every resource whose id an earlier resource already uses.
fn dedupe_ids(d: &mut Design, report: &mut ImportReport) {
    let mut seen: HashSet<Id> = HashSet::new();
    let mut dropped = Vec::new();
    d.retain_resources(|id| {
        let fresh = seen.insert(id.to_string());
        if !fresh {
            dropped.push(id.to_string());
        }
        fresh
    });
    for id in dropped {
        report.warn("", &id, crate::text!("this id is used by more than one resource; kept the first"));
    }
}

/// At most one main route table, default NACL and default security group per VPC (R1, L1, S5).
fn one_default_each(d: &mut Design, report: &mut ImportReport) {
    let mut seen: HashSet<(u8, Id)> = HashSet::new();
    let mut demoted = Vec::new();
    for rt in d.route_tables.iter_mut().filter(|r| r.main) {
        if !seen.insert((0, rt.vpc.clone())) {
            rt.main = false;
            demoted.push(rt.id.clone());
        }
    }
    for a in d.network_acls.iter_mut().filter(|a| a.is_default) {
        if !seen.insert((1, a.vpc.clone())) {
            a.is_default = false;
            demoted.push(a.id.clone());
        }
    }
    for g in d.security_groups.iter_mut().filter(|g| g.is_default) {
        if !seen.insert((2, g.vpc.clone())) {
            g.is_default = false;
            demoted.push(g.id.clone());
        }
    }
    for id in demoted {
        report.warn(
            "",
            &id,
            crate::text!("a second main table / default ACL / default group in its VPC: imported as a plain one"),
        );
    }
}

/// The kind a reference must point at, from the words of its field (see `Design::references`).
fn expected_kind(field: &str) -> Option<ResourceKind> {
    use ResourceKind as K;
    Some(match field {
        "VPC" | "requester VPC" | "accepter VPC" | "attachment" => return None,
        f if f.ends_with("subnet") => K::Subnet,
        "security group" => K::SecurityGroup,
        "Elastic IP" => K::ElasticIp,
        "attached instance" => K::Instance,
        "transit gateway" | "peer transit gateway" => K::TransitGateway,
        "customer gateway" => K::CustomerGateway,
        "virtual private gateway" | "route propagation" => K::VpnGateway,
        "route table" => K::RouteTable,
        "load balancer" => K::LoadBalancer,
        "association" => K::TgwRouteTable,
        "propagation" => K::TgwAttachment,
        "VPN" => K::VpnConnection,
        f if f.starts_with("listener ") => K::TargetGroup,
        _ => return None,
    })
}

fn is_vpc_field(field: &str) -> bool {
    field == "VPC" || field.ends_with(" VPC")
}

/// VPC ids that resources need (as their owner) but the design lacks.
fn wanted_vpcs(d: &Design) -> BTreeSet<Id> {
    let ids: HashSet<&str> = d.resources().map(|r| r.id()).collect();
    let mut want = BTreeSet::new();
    for r in d.references() {
        if is_vpc_field(&r.field) && r.strength == Strength::Owner && !ids.contains(r.to.as_str()) {
            want.insert(r.to);
        }
    }
    want.extend(super::services::wanted_vpcs(d));
    want
}

fn stub_vpcs(d: &mut Design, report: &mut ImportReport, hints: &HashMap<Id, VpcHint>, region: &str) {
    for id in wanted_vpcs(d) {
        let hint = hints.get(&id).cloned().unwrap_or_default();
        let cidr = hint.cidr.unwrap_or_else(|| {
            report.warn(
                "",
                &id,
                crate::text!("its CIDR is unknown; the stub VPC has 0.0.0.0/32, which matches nothing"),
            );
            Ipv4Net::new(std::net::Ipv4Addr::UNSPECIFIED, 32).unwrap_or_default()
        });
        let mut v = Vpc::new(id.clone(), id.clone(), hint.region.unwrap_or_else(|| region.to_string()), cidr);
        v.account = hint.account;
        v.external = true;
        report.info("", &id, crate::text!("referred to but not part of the import: added as an external VPC"));
        d.vpcs.push(v);
    }
}

fn stub_transit_gateways(d: &mut Design, report: &mut ImportReport, region: &str) {
    let have: BTreeSet<Id> = d.resources().map(|r| r.id().to_string()).collect();
    let mut want: BTreeSet<Id> = BTreeSet::new();
    for a in &d.tgw_attachments {
        want.insert(a.tgw.clone());
        if let TgwAttachmentKind::Peering { peer_tgw } = &a.kind {
            want.insert(peer_tgw.clone());
        }
    }
    for rt in &d.tgw_route_tables {
        want.insert(rt.tgw.clone());
    }
    for id in want.difference(&have) {
        report.info(
            "",
            id,
            crate::text!("transit gateway referred to but not part of the import: added with AWS defaults"),
        );
        d.transit_gateways.push(TransitGateway {
            id: id.clone(),
            name: id.clone(),
            region: region.to_string(),
            asn: 64512,
            default_association: true,
            default_propagation: true,
            default_route_table: None,
        });
    }
}

/// Whether validation lets this reference point outside the design (see `native::validate`).
fn may_dangle(field: &str, to: &str) -> bool {
    field.starts_with("route ") || field.contains("rule peer") || ServiceCatalog::builtin().by_prefix_list(to).is_some()
}

/// One pass: delete resources whose owner is missing and unlink links to missing ids.
/// Returns whether anything changed.
fn prune_once(d: &mut Design, report: &mut ImportReport) -> bool {
    let kinds: HashMap<String, ResourceKind> = d.resources().map(|r| (r.id().to_string(), r.kind())).collect();
    // Missing, or there but of another kind (a VPC id where a subnet belongs).
    let wrong = |field: &str, to: &str| match kinds.get(to) {
        None => !may_dangle(field, to),
        Some(k) if is_vpc_field(field) => *k != ResourceKind::Vpc,
        Some(k) => expected_kind(field).is_some_and(|want| want != *k),
    };
    let dangling: Vec<_> = d.references().into_iter().filter(|r| wrong(&r.field, &r.to)).collect();
    if dangling.is_empty() {
        return false;
    }
    let mut links: Vec<(Id, Id)> = Vec::new();
    let mut doomed: BTreeSet<Id> = BTreeSet::new();
    for r in &dangling {
        if r.strength == Strength::Owner && r.field != "attached instance" {
            report.warn(
                "",
                &r.from,
                crate::text!(
                    "{kind_ui} {} needs {} ({field_ui}), which is not in the import: dropped",
                    r.from,
                    r.to,
                    kind_ui = r.from_kind.label(),
                    field_ui = r.field
                ),
            );
            doomed.insert(r.from.clone());
        } else {
            report.info(
                "",
                &r.from,
                crate::text!("{} refers to {}, which is not in the import: link dropped", r.field, r.to),
            );
            links.push((r.from.clone(), r.to.clone()));
        }
    }
    // One pass over the design for all of them (an import with thousands stays linear).
    let mut by_from: HashMap<Id, BTreeSet<Id>> = HashMap::new();
    for (from, to) in links {
        by_from.entry(from).or_default().insert(to);
    }
    unlink(d, &by_from);
    d.delete_all_cascade(&doomed);
    true
}

/// Remove the non-route links of each resource (by id) to the ids given for it, in one pass.
fn unlink(d: &mut Design, links: &HashMap<Id, BTreeSet<Id>>) {
    let gone = |from: &str, s: &String| links.get(from).is_some_and(|g| g.contains(s));
    let clear = |from: &str, o: &mut Option<Id>| {
        if o.as_ref().is_some_and(|s| gone(from, s)) {
            *o = None;
        }
    };
    let has = |id: &String| links.contains_key(id);
    for rt in d.route_tables.iter_mut().filter(|x| has(&x.id)) {
        let f = rt.id.clone();
        rt.subnets.retain(|s| !gone(&f, s));
        rt.gateways.retain(|s| !gone(&f, s));
        rt.propagating_vgws.retain(|s| !gone(&f, s));
    }
    d.internet_gateways.iter_mut().filter(|x| has(&x.id)).for_each(|x| clear(&x.id, &mut x.vpc));
    d.vpn_gateways.iter_mut().filter(|x| has(&x.id)).for_each(|x| clear(&x.id, &mut x.vpc));
    d.nat_gateways.iter_mut().filter(|x| has(&x.id)).for_each(|x| clear(&x.id, &mut x.eip));
    for x in d.network_interfaces.iter_mut().filter(|x| has(&x.id)) {
        clear(&x.id, &mut x.eip);
        clear(&x.id, &mut x.instance);
        let f = x.id.clone();
        x.security_groups.retain(|s| !gone(&f, s));
    }
    for x in d.network_acls.iter_mut().filter(|x| has(&x.id)) {
        let f = x.id.clone();
        x.subnets.retain(|s| !gone(&f, s));
    }
    for x in d.endpoints.iter_mut().filter(|x| has(&x.id)) {
        let f = x.id.clone();
        x.route_tables.retain(|s| !gone(&f, s));
        x.interfaces.retain(|i| !gone(&f, &i.subnet));
        x.security_groups.retain(|s| !gone(&f, s));
    }
    for x in d.endpoint_services.iter_mut().filter(|x| has(&x.id)) {
        let f = x.id.clone();
        x.load_balancers.retain(|s| !gone(&f, s));
    }
    for x in d.load_balancers.iter_mut().filter(|x| has(&x.id)) {
        let f = x.id.clone();
        x.nodes.retain(|n| !gone(&f, &n.subnet));
        x.security_groups.retain(|s| !gone(&f, s));
        x.listeners.iter_mut().for_each(|l| clear(&f, &mut l.target_group));
    }
    for x in d.tgw_attachments.iter_mut().filter(|x| has(&x.id)) {
        let f = x.id.clone();
        if let TgwAttachmentKind::Vpc { subnets, .. } = &mut x.kind {
            subnets.retain(|s| !gone(&f, s));
        }
        clear(&f, &mut x.association);
    }
    for x in d.tgw_route_tables.iter_mut().filter(|x| has(&x.id)) {
        let f = x.id.clone();
        x.propagations.retain(|s| !gone(&f, s));
        x.static_routes.iter_mut().for_each(|r| clear(&f, &mut r.attachment));
    }
    d.transit_gateways.iter_mut().filter(|x| has(&x.id)).for_each(|x| clear(&x.id, &mut x.default_route_table));
    for x in d.vpn_connections.iter_mut().filter(|x| has(&x.id)) {
        clear(&x.id, &mut x.vpn_gateway);
        clear(&x.id, &mut x.transit_gateway);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangling_links_go_and_missing_owners_become_stubs() {
        let mut d = Design::new("t", "us-east-1");
        d.subnets.push(Subnet::new("subnet-1", "s", "vpc-x", "10.0.0.0/24".parse().unwrap(), "us-east-1a"));
        let mut rt = RouteTable::new("rtb-1", "r", "vpc-x", ["10.0.0.0/16".parse::<ipnet::Ipv4Net>().unwrap()]);
        rt.subnets = vec!["subnet-1".into(), "subnet-gone".into()];
        d.route_tables.push(rt);
        d.nat_gateways.push(NatGateway {
            id: "nat-1".into(),
            name: "n".into(),
            subnet: Some("subnet-gone".into()),
            connectivity: NatConnectivity::Public,
            private_ip: "10.0.0.5".parse().ok(),
            eip: None,
            state: NatState::Available,
            placeholder: false,
            ..Default::default()
        });
        d.vpn_gateways.push(VpnGateway { id: "vgw-1".into(), name: "g".into(), vpc: Some("vpc-y".into()), asn: 1 });
        let mut report = ImportReport::new("t");
        let hints = HashMap::from([(
            "vpc-x".to_string(),
            VpcHint { cidr: Some("10.0.0.0/16".parse().unwrap()), ..Default::default() },
        )]);
        make_consistent(&mut d, &mut report, &hints, "us-east-1");
        assert!(d.vpc("vpc-x").is_some_and(|v| v.external && v.cidr.to_string() == "10.0.0.0/16"));
        assert_eq!(d.route_tables[0].subnets, vec!["subnet-1".to_string()]);
        assert!(d.nat_gateways.is_empty(), "a NAT gateway without its subnet is dropped");
        assert_eq!(d.vpn_gateways[0].vpc, None);
        crate::io::native::validate(&d, "", std::path::Path::new("t")).unwrap();
        assert!(report.mentions("nat-1"));
    }
}
