//! Addressing checks: VPC and subnet CIDRs (A1–A6), and addresses inside subnets. The rules
//! themselves live in `net` (one function each); this module applies them to a design.

use super::{Ctx, FindingCode, Findings, Scope};
use crate::model::*;
use crate::net::{self, CidrRole, CidrWarning, FamilyRestriction};
use ipnet::Ipv4Net;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Everything about one VPC's addressing: its CIDRs, its subnets, the addresses in them and
/// the instances that live there.
pub fn vpc<'a>(cx: &Ctx<'a>, v: &Vpc, scope: &Scope<'a>, out: &mut Findings) {
    if !v.external {
        vpc_cidrs(cx, v, out);
    }
    let subnets = &scope.subnets;
    for s in subnets {
        subnet(cx, s, v, out);
    }
    overlaps(cx, subnets, out);
    addresses(cx, subnets.iter().map(|s| s.id.as_str()), &scope.enis, &scope.nats, out);
    // Instances live where their primary interface is.
    for i in &scope.instances {
        instance_state(cx, i, out);
    }
}

/// What belongs to no VPC of the design: subnets of a missing VPC (and the addresses in them),
/// instances without an interface.
pub fn design(cx: &Ctx, out: &mut Findings) {
    let orphans: Vec<&Subnet> = cx.outside(ResourceKind::Subnet).iter().copied().map(|s| &cx.d.subnets[s]).collect();
    let mut by_vpc: HashMap<&str, Vec<&Subnet>> = HashMap::new();
    for s in &orphans {
        out.add(
            FindingCode::SubnetVpcMissing,
            &[&s.id],
            crate::text!("{} belongs to {}, which is not in the design", cx.name(&s.id), s.vpc),
        );
        by_vpc.entry(s.vpc.as_str()).or_default().push(s);
    }
    for subnets in by_vpc.values() {
        overlaps(cx, subnets, out);
    }
    let ids = || orphans.iter().map(|s| s.id.as_str());
    let enis = cx.ix.positions_in_subnets(ResourceKind::NetworkInterface, ids());
    let nats = cx.ix.positions_in_subnets(ResourceKind::NatGateway, ids());
    addresses(cx, ids(), &enis, &nats, out);
    // Those with an interface in a VPC of the design are checked with that VPC.
    for i in cx.instances_outside().iter().map(|&i| &cx.d.instances[i]) {
        if cx.ix.primary_interface(&i.id).is_none() {
            out.add(
                FindingCode::InstanceNoInterface,
                &[&i.id],
                crate::text!("{} has no network interface, so no address and no subnet", cx.name(&i.id)),
            );
        }
        instance_state(cx, i, out);
    }
}

/// A1–A4 on the VPC's CIDRs.
fn vpc_cidrs(cx: &Ctx, v: &Vpc, out: &mut Findings) {
    if net::check_cidr_size(v.cidr, CidrRole::VpcCidr).is_err() {
        let len = v.cidr.prefix_len();
        out.add(
            FindingCode::VpcCidrSize,
            &[&v.id],
            crate::text!("{} has primary CIDR {} (/{len}); a VPC CIDR must be /16 to /28", cx.name(&v.id), v.cidr),
        );
    }
    for c in v.cidrs() {
        if net::check_not_link_local(c).is_err() {
            out.add(
                FindingCode::VpcCidrLinkLocal,
                &[&v.id],
                crate::text!("{} uses {c}, which overlaps link-local 169.254.0.0/16", cx.name(&v.id)),
            );
            continue;
        }
        let warnings = net::address_warnings(c);
        if warnings.iter().any(|w| matches!(w, CidrWarning::DockerBridgeRange { .. })) {
            out.add(
                FindingCode::VpcCidrDockerConflict,
                &[&v.id],
                crate::text!(
                    "{} uses {c}, which overlaps 172.17.0.0/16: Docker, Cloud9 and SageMaker use that range",
                    cx.name(&v.id)
                ),
            );
        } else if warnings.iter().any(|w| matches!(w, CidrWarning::NotPrivate { .. })) {
            out.add(FindingCode::VpcCidrPublicRange, &[&v.id], crate::text!("{} uses {c}, a publicly routable range; AWS allows it but never advertises it, and hosts on the internet in that range become unreachable from the VPC", cx.name(&v.id)));
        }
    }
    let total = v.secondary_cidrs.len() + 1;
    match net::check_cidr_quota(total) {
        Err(_) => out.add(
            FindingCode::VpcCidrQuota,
            &[&v.id],
            crate::text!("{} has {total} CIDRs; the hard limit is 50", cx.name(&v.id)),
        ),
        Ok(Some(_)) => out.add(
            FindingCode::VpcCidrAboveDefaultQuota,
            &[&v.id],
            crate::text!("{} has {total} CIDRs; the default quota is 5 per VPC", cx.name(&v.id)),
        ),
        Ok(None) => {}
    }
    let all: Vec<Ipv4Net> = v.cidrs().collect();
    for (i, c) in v.secondary_cidrs.iter().enumerate() {
        if net::check_cidr_size(*c, CidrRole::SecondaryCidr).is_err() {
            out.add(
                FindingCode::VpcSecondaryCidrSize,
                &[&v.id],
                crate::text!("secondary CIDR {c} of {} is /{}; it must be /16 to /28", cx.name(&v.id), c.prefix_len()),
            );
        }
        // The VPC's other CIDRs (the primary is position 0).
        let others: Vec<Ipv4Net> = all.iter().enumerate().filter(|(j, _)| *j != i + 1).map(|(_, o)| *o).collect();
        if let Some(o) = others.iter().find(|o| net::overlaps(**o, *c)) {
            out.add(
                FindingCode::VpcSecondaryCidrOverlap,
                &[&v.id],
                crate::text!("secondary CIDR {c} of {} overlaps its CIDR {o}", cx.name(&v.id)),
            );
        }
        match net::family_restriction(&others, v.cidr, *c) {
            Some(FamilyRestriction::TenZeroSixteen { .. }) => out.add(
                FindingCode::VpcSecondaryCidrTenZeroSixteen,
                &[&v.id],
                crate::text!("{} has a CIDR in 10.0.0.0/15 and so cannot add {c} from 10.0.0.0/16", cx.name(&v.id)),
            ),
            Some(reason) => out.add(
                FindingCode::VpcSecondaryCidrFamily,
                &[&v.id],
                crate::text!("{} has primary {} and cannot add {c}: {reason}", cx.name(&v.id), v.cidr),
            ),
            None => {}
        }
    }
}

/// A5 on one subnet of an existing VPC (its IPv4 block; an IPv6-only subnet has none).
fn subnet(cx: &Ctx, s: &Subnet, v: &Vpc, out: &mut Findings) {
    if let Some(cidr) = s.cidr {
        if net::check_cidr_size(cidr, CidrRole::Subnet).is_err() {
            let len = cidr.prefix_len();
            out.add(
                FindingCode::SubnetCidrSize,
                &[&s.id],
                crate::text!("{} is {} (/{len}); a subnet must be /16 to /28", cx.name(&s.id), cidr),
            );
        }
    }
    if let Some(cidr) = s.cidr.filter(|c| !v.cidrs().any(|vc| net::contains(vc, *c))) {
        let cidrs: Vec<String> = v.cidrs().map(|c| c.to_string()).collect();
        out.add(
            FindingCode::SubnetOutsideVpc,
            &[&s.id, &v.id],
            crate::text!(
                "{} ({}) is not inside any CIDR of {} ({})",
                cx.name(&s.id),
                cidr,
                cx.name(&v.id),
                cidrs.join(", ")
            ),
        );
    }
    if !v.external && !s.az.starts_with(&v.region) {
        out.add_with(
            FindingCode::SubnetAzNotInRegion,
            &[&s.id],
            crate::text!(
                "{} is in zone {}, which is not a zone of {}'s region {}",
                cx.name(&s.id),
                s.az,
                cx.name(&v.id),
                v.region
            ),
            &[&v.region],
        );
    }
}

/// A5: subnets of one VPC that overlap, found in one sorted sweep.
fn overlaps(cx: &Ctx, subnets: &[&Subnet], out: &mut Findings) {
    // IPv4 blocks only here; an IPv6-only subnet has none.
    let mut blocks: Vec<(Ipv4Net, &Subnet)> = subnets.iter().filter_map(|s| Some((s.cidr?, *s))).collect();
    for (s, w) in net::overlapping_pairs(&mut blocks) {
        let (sc, wc) = (s.primary_cidr_text(), w.primary_cidr_text());
        out.add(
            FindingCode::SubnetOverlap,
            &[&s.id, &w.id],
            crate::text!("{} ({sc}) overlaps {} ({wc})", cx.name(&s.id), cx.name(&w.id)),
        );
    }
}

/// Addresses in `subnets`: inside their subnet (A5), not reserved (A6), unique within a VPC.
/// `enis` and `nats`: the positions of the interfaces and NAT gateways in them, in design
/// order ([`crate::model::DesignIndex::positions_in_subnets`]).
fn addresses<'a>(
    cx: &Ctx<'a>,
    subnets: impl Iterator<Item = &'a str> + Clone,
    enis: &[usize],
    nats: &[usize],
    out: &mut Findings,
) {
    let d = cx.d;
    let mut seen: foldhash::HashMap<(&str, Ipv4Addr), &str> = foldhash::HashMap::default();
    let mut place = |out: &mut Findings, owner: &'a str, subnet: &'a str, ip: Ipv4Addr| {
        let Some(s) = cx.ix.subnet(subnet) else { return };
        let Some(cidr) = s.cidr.filter(|c| c.contains(&ip)) else {
            let text = s.primary_cidr_text();
            out.add_with(
                FindingCode::AddressOutsideSubnet,
                &[owner, subnet],
                crate::text!("{} has address {ip}, outside its subnet {} ({text})", cx.name(owner), cx.name(subnet)),
                &[&text],
            );
            return;
        };
        if net::is_reserved(cidr, ip) {
            let first = Ipv4Addr::from(u32::from(cidr.network()).saturating_add(4));
            out.add_with(FindingCode::AddressReserved, &[owner, subnet], crate::text!("{} has address {ip}, one of the five addresses AWS reserves in {} (network, router, DNS, future use, broadcast)", cx.name(owner), cidr), &[&first]);
        }
        let key = (s.vpc.as_str(), ip);
        if let Some(&other) = seen.get(&key) {
            if other != owner {
                out.add(
                    FindingCode::AddressDuplicate,
                    &[owner, other],
                    crate::text!("{} and {} both use {ip}", cx.name(owner), cx.name(other)),
                );
            }
        } else {
            seen.insert(key, owner);
        }
    };
    for &e in enis {
        let e = &d.network_interfaces[e];
        for ip in &e.private_ips {
            place(out, &e.id, &e.subnet, *ip);
        }
    }
    for &n in nats {
        let n = &d.nat_gateways[n];
        if let (Some(s), Some(ip)) = (&n.subnet, n.private_ip) {
            place(out, &n.id, s, ip);
        }
    }
    let endpoints = cx.ix.positions_in_subnets(ResourceKind::VpcEndpoint, subnets.clone());
    let lbs = cx.ix.positions_in_subnets(ResourceKind::LoadBalancer, subnets.clone());
    if endpoints.is_empty() && lbs.is_empty() {
        return;
    }
    let here: foldhash::HashSet<&str> = subnets.collect();
    for ep in endpoints {
        let ep = &d.endpoints[ep];
        for i in ep.interfaces.iter().filter(|i| here.contains(i.subnet.as_str())) {
            place(out, &ep.id, &i.subnet, i.ip);
        }
    }
    for lb in lbs {
        let lb = &d.load_balancers[lb];
        for n in lb.nodes.iter().filter(|n| here.contains(n.subnet.as_str())) {
            place(out, &lb.id, &n.subnet, n.private_ip);
        }
    }
}

/// X4: an instance that is not running answers nothing.
fn instance_state(cx: &Ctx, i: &Instance, out: &mut Findings) {
    if matches!(
        i.state,
        InstanceState::Stopped | InstanceState::Stopping | InstanceState::Terminated | InstanceState::ShuttingDown
    ) {
        out.add(
            FindingCode::InstanceNotRunning,
            &[&i.id],
            crate::text!("{} is {:?}; it answers nothing", cx.name(&i.id), i.state),
        );
    }
}
