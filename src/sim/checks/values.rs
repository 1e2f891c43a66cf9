//! Values AWS would refuse, which a hand-written or imported design can still hold: a reversed
//! port range (S2, L2), a subnet CIDR with host bits set (A5; a VPC's is canonicalised, A1),
//! a region that is no region name (A5), two interfaces at the same device index of one
//! instance, an empty id. Each is an error: `check` must not pass what AWS would not create.

use super::{Ctx, FindingCode as C, Findings};
use crate::model::*;
use std::collections::HashMap;

/// Design-wide: one pass over each kind of resource.
pub fn design(ctx: &Ctx, out: &mut Findings) {
    port_ranges(ctx, out);
    cidr_host_bits(ctx, out);
    regions(ctx, out);
    device_indexes(ctx, out);
    empty_ids(ctx, out);
}

fn reversed(p: &PortSpec) -> Option<(u16, u16)> {
    match *p {
        PortSpec::Range { from, to } if from > to => Some((from, to)),
        _ => None,
    }
}

fn port_ranges(ctx: &Ctx, out: &mut Findings) {
    for g in &ctx.d.security_groups {
        for (dir, rules) in [("inbound", &g.ingress), ("outbound", &g.egress)] {
            for r in rules {
                if let Some((from, to)) = reversed(&r.ports) {
                    out.add_with(
                        C::SgPortRangeReversed,
                        &[&g.id],
                        crate::text!(
                            "{} has an {dir} {} rule for ports {from}-{to}: the first port is above the last, which AWS refuses",
                            ctx.name(&g.id),
                            r.protocol
                        ),
                        &[&to, &from],
                    );
                }
            }
        }
    }
    for a in &ctx.d.network_acls {
        for e in &a.entries {
            if let Some((from, to)) = reversed(&e.ports) {
                let dir = if e.egress { "outbound" } else { "inbound" };
                out.add_with(
                    C::NaclPortRangeReversed,
                    &[&a.id],
                    crate::text!(
                        "{} {dir} rule {} covers ports {from}-{to}: the first port is above the last, which AWS refuses",
                        ctx.name(&a.id),
                        e.rule_number
                    ),
                    &[&to, &from],
                );
            }
        }
    }
}

fn cidr_host_bits(ctx: &Ctx, out: &mut Findings) {
    for s in &ctx.d.subnets {
        let Some(cidr) = s.cidr else { continue };
        if cidr != cidr.trunc() {
            out.add_with(
                C::SubnetCidrHostBits,
                &[&s.id],
                crate::text!(
                    "{} has CIDR {}, whose address is not the first of its block; AWS refuses it (\"must be a valid IPv4 CIDR\")",
                    ctx.name(&s.id),
                    cidr
                ),
                &[&cidr.trunc()],
            );
        }
    }
    for v in ctx.d.vpcs.iter().filter(|v| !v.external) {
        for c in v.cidrs().filter(|c| *c != c.trunc()) {
            out.add_with(
                C::VpcCidrHostBits,
                &[&v.id],
                crate::text!("{} has CIDR {c} with host bits set; AWS creates it as {}", ctx.name(&v.id), c.trunc()),
                &[&c.trunc()],
            );
        }
    }
}

fn regions(ctx: &Ctx, out: &mut Findings) {
    let mut seen = std::collections::HashSet::new();
    let named = ctx.d.vpcs.iter().filter(|v| !v.external).map(|v| (&v.region, v.id.as_str()));
    let design = std::iter::once((&ctx.d.default_region, ""));
    for (region, id) in named.chain(design) {
        if region.is_empty() && id.is_empty() {
            continue;
        }
        if is_region_name(region) || !seen.insert((region.as_str(), id)) {
            continue;
        }
        let whose = if id.is_empty() { "the design's default region".to_string() } else { ctx.name(id).to_string() };
        out.add(
            C::RegionInvalid,
            &[id],
            crate::text!("{whose}: {region:?} is not an AWS region name (like us-east-1 or ap-northeast-2)"),
        );
    }
}

fn device_indexes(ctx: &Ctx, out: &mut Findings) {
    let mut by_slot: HashMap<(&str, u32), Vec<&str>> = HashMap::new();
    for e in &ctx.d.network_interfaces {
        if let Some(i) = &e.instance {
            by_slot.entry((i.as_str(), e.device_index)).or_default().push(&e.id);
        }
    }
    let mut clashes: Vec<_> = by_slot.into_iter().filter(|(_, v)| v.len() > 1).collect();
    clashes.sort();
    for ((instance, index), enis) in clashes {
        let mut ids = vec![instance];
        ids.extend(enis.iter().copied());
        out.add(
            C::DeviceIndexDuplicate,
            &ids,
            crate::text!(
                "{} has {} interfaces at device index {index} ({}); an instance has one interface per index",
                ctx.name(instance),
                enis.len(),
                enis.join(", ")
            ),
        );
    }
}

fn empty_ids(ctx: &Ctx, out: &mut Findings) {
    for r in ctx.d.resources().filter(|r| r.id().trim().is_empty()) {
        out.add(
            C::IdEmpty,
            &[r.id()],
            crate::text!("a {} named {:?} has an empty id; every resource needs one", r.kind().label(), r.name()),
        );
    }
}
