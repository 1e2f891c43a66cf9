//! Addressing checks: VPC and subnet CIDRs (A1–A6), and addresses inside subnets.

use super::{Ctx, FindingCode, Findings};
use crate::model::*;
use ipnet::Ipv4Net;
use std::collections::HashMap;
use std::net::Ipv4Addr;

fn rfc1918_family(c: &Ipv4Net) -> Option<&'static str> {
    let fams: [(&str, &str); 3] =
        [("10.0.0.0/8", "10/8"), ("172.16.0.0/12", "172.16/12"), ("192.168.0.0/16", "192.168/16")];
    fams.iter().find(|(n, _)| n.parse::<Ipv4Net>().is_ok_and(|n| n.contains(c))).map(|(_, f)| *f)
}

fn net(s: &str) -> Ipv4Net {
    s.parse().unwrap_or_default()
}

fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

pub fn check(ctx: &Ctx, out: &mut Findings) {
    for v in &ctx.d.vpcs {
        if v.external {
            continue;
        }
        let len = v.cidr.prefix_len();
        if !(16..=28).contains(&len) {
            out.add(
                FindingCode::VpcCidrSize,
                &[&v.id],
                format!("{} has primary CIDR {} (/{len}); a VPC CIDR must be /16 to /28", ctx.name(&v.id), v.cidr),
            );
        }
        for c in v.cidrs() {
            if net("169.254.0.0/16").contains(&c) || overlaps(&c, &net("169.254.0.0/16")) {
                out.add(
                    FindingCode::VpcCidrLinkLocal,
                    &[&v.id],
                    format!("{} uses {c}, which overlaps link-local 169.254.0.0/16", ctx.name(&v.id)),
                );
            } else if overlaps(&c, &net("172.17.0.0/16")) {
                out.add(
                    FindingCode::VpcCidrDockerConflict,
                    &[&v.id],
                    format!(
                        "{} uses {c}, which overlaps 172.17.0.0/16: Docker, Cloud9 and SageMaker use that range",
                        ctx.name(&v.id)
                    ),
                );
            } else if rfc1918_family(&c).is_none() && !net("100.64.0.0/10").contains(&c) {
                out.add(FindingCode::VpcCidrPublicRange, &[&v.id], format!("{} uses {c}, a publicly routable range; AWS allows it but never advertises it, and hosts on the internet in that range become unreachable from the VPC", ctx.name(&v.id)));
            }
        }
        let n_secondary = v.secondary_cidrs.len();
        if n_secondary > 50 {
            out.add(
                FindingCode::VpcCidrQuota,
                &[&v.id],
                format!("{} has {n_secondary} secondary CIDRs; the hard limit is 50", ctx.name(&v.id)),
            );
        } else if n_secondary > 4 {
            out.add(
                FindingCode::VpcCidrAboveDefaultQuota,
                &[&v.id],
                format!("{} has {} CIDRs; the default quota is 5 per VPC", ctx.name(&v.id), n_secondary + 1),
            );
        }
        let all: Vec<Ipv4Net> = v.cidrs().collect();
        let primary_family = rfc1918_family(&v.cidr);
        for (i, c) in v.secondary_cidrs.iter().enumerate() {
            if !(16..=28).contains(&c.prefix_len()) {
                out.add(
                    FindingCode::VpcSecondaryCidrSize,
                    &[&v.id],
                    format!("secondary CIDR {c} of {} is /{}; it must be /16 to /28", ctx.name(&v.id), c.prefix_len()),
                );
            }
            if let Some(o) = all.iter().enumerate().find(|(j, o)| *j != i + 1 && overlaps(o, c)).map(|(_, o)| o) {
                out.add(
                    FindingCode::VpcSecondaryCidrOverlap,
                    &[&v.id],
                    format!("secondary CIDR {c} of {} overlaps its CIDR {o}", ctx.name(&v.id)),
                );
            }
            let fam = rfc1918_family(c);
            let refused = match (primary_family, fam) {
                (Some(p), Some(f)) if p != f => true,
                (Some("172.16/12"), _) if net("172.31.0.0/16").contains(c) => true,
                (Some("10/8"), _) if net("198.19.0.0/16").contains(c) => true,
                _ => false,
            };
            if refused {
                out.add(
                    FindingCode::VpcSecondaryCidrFamily,
                    &[&v.id],
                    format!("{} has primary {} and cannot add {c} from another private range", ctx.name(&v.id), v.cidr),
                );
            }
            if net("10.0.0.0/16").contains(c) && all.iter().any(|o| o != c && net("10.0.0.0/15").contains(o)) {
                out.add(
                    FindingCode::VpcSecondaryCidrTenZeroSixteen,
                    &[&v.id],
                    format!("{} has a CIDR in 10.0.0.0/15 and so cannot add {c} from 10.0.0.0/16", ctx.name(&v.id)),
                );
            }
        }
    }

    // Subnets, grouped by VPC, overlap found by sorting (A5).
    let mut by_vpc: HashMap<&str, Vec<&Subnet>> = HashMap::new();
    for s in &ctx.d.subnets {
        by_vpc.entry(s.vpc.as_str()).or_default().push(s);
        let Some(v) = ctx.vpcs.get(s.vpc.as_str()) else {
            out.add(
                FindingCode::SubnetVpcMissing,
                &[&s.id],
                format!("{} belongs to {}, which is not in the design", ctx.name(&s.id), s.vpc),
            );
            continue;
        };
        if let Some(cidr) = s.cidr {
            let len = cidr.prefix_len();
            if !(16..=28).contains(&len) {
                out.add(
                    FindingCode::SubnetCidrSize,
                    &[&s.id],
                    format!("{} is {} (/{len}); a subnet must be /16 to /28", ctx.name(&s.id), cidr),
                );
            }
        }
        if let Some(cidr) = s.cidr.filter(|c| !v.cidrs().any(|vc| vc.contains(c))) {
            let cidrs: Vec<String> = v.cidrs().map(|c| c.to_string()).collect();
            out.add(
                FindingCode::SubnetOutsideVpc,
                &[&s.id, &v.id],
                format!(
                    "{} ({}) is not inside any CIDR of {} ({})",
                    ctx.name(&s.id),
                    cidr,
                    ctx.name(&v.id),
                    cidrs.join(", ")
                ),
            );
        }
        if !v.external && !s.az.starts_with(&v.region) {
            out.add_with(
                FindingCode::SubnetAzNotInRegion,
                &[&s.id],
                format!(
                    "{} is in zone {}, which is not a zone of {}'s region {}",
                    ctx.name(&s.id),
                    s.az,
                    ctx.name(&v.id),
                    v.region
                ),
                &[&v.region],
            );
        }
    }
    for subnets in by_vpc.values_mut() {
        // IPv4 blocks only here; an IPv6-only subnet has none.
        let mut v4: Vec<(Ipv4Net, &Subnet)> = subnets.iter().filter_map(|s| Some((s.cidr?, *s))).collect();
        v4.sort_by_key(|(c, _)| (u32::from(c.network()), std::cmp::Reverse(c.prefix_len())));
        let mut widest: Option<(Ipv4Net, &Subnet)> = None;
        for &(c, s) in v4.iter() {
            if let Some((wc, w)) = widest {
                if wc.contains(&c.network()) {
                    out.add(
                        FindingCode::SubnetOverlap,
                        &[&s.id, &w.id],
                        format!("{} ({}) overlaps {} ({})", ctx.name(&s.id), c, ctx.name(&w.id), wc),
                    );
                }
            }
            if widest.is_none_or(|(wc, _)| u32::from(c.broadcast()) > u32::from(wc.broadcast())) {
                widest = Some((c, s));
            }
        }
    }

    // Addresses: inside their subnet, not reserved (A6), unique within a VPC.
    let mut seen: HashMap<(&str, Ipv4Addr), String> = HashMap::new();
    let mut place = |out: &mut Findings, owner: &str, subnet: &str, ip: Ipv4Addr| {
        let Some(s) = ctx.subnets.get(subnet) else { return };
        let Some(cidr) = s.cidr.filter(|c| c.contains(&ip)) else {
            let text = s.primary_cidr_text();
            out.add_with(
                FindingCode::AddressOutsideSubnet,
                &[owner, subnet],
                format!("{} has address {ip}, outside its subnet {} ({text})", ctx.name(owner), ctx.name(subnet)),
                &[&text],
            );
            return;
        };
        let base = u32::from(cidr.network());
        let off = u32::from(ip) - base;
        if off <= 3 || ip == cidr.broadcast() {
            out.add_with(FindingCode::AddressReserved, &[owner, subnet], format!("{} has address {ip}, one of the five addresses AWS reserves in {} (network, router, DNS, future use, broadcast)", ctx.name(owner), cidr), &[&Ipv4Addr::from(base + 4)]);
        }
        let key = (s.vpc.as_str(), ip);
        if let Some(other) = seen.get(&key) {
            if other != owner {
                out.add(
                    FindingCode::AddressDuplicate,
                    &[owner, other],
                    format!("{} and {} both use {ip}", ctx.name(owner), ctx.name(other)),
                );
            }
        } else {
            seen.insert(key, owner.to_string());
        }
    };
    for e in &ctx.d.network_interfaces {
        for ip in &e.private_ips {
            place(out, &e.id, &e.subnet, *ip);
        }
    }
    for n in &ctx.d.nat_gateways {
        place(out, &n.id, &n.subnet, n.private_ip);
    }
    for ep in &ctx.d.endpoints {
        for i in &ep.interfaces {
            place(out, &ep.id, &i.subnet, i.ip);
        }
    }
    for lb in &ctx.d.load_balancers {
        for n in &lb.nodes {
            place(out, &lb.id, &n.subnet, n.private_ip);
        }
    }
    // Instances with no interface, stopped instances.
    let with_eni: std::collections::HashSet<&str> =
        ctx.d.network_interfaces.iter().filter_map(|e| e.instance.as_deref()).collect();
    for i in &ctx.d.instances {
        if !with_eni.contains(i.id.as_str()) {
            out.add(
                FindingCode::InstanceNoInterface,
                &[&i.id],
                format!("{} has no network interface, so no address and no subnet", ctx.name(&i.id)),
            );
        }
        if matches!(
            i.state,
            InstanceState::Stopped | InstanceState::Stopping | InstanceState::Terminated | InstanceState::ShuttingDown
        ) {
            out.add(
                FindingCode::InstanceNotRunning,
                &[&i.id],
                format!("{} is {:?}; it answers nothing", ctx.name(&i.id), i.state),
            );
        }
    }
}
