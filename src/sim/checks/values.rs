//! Values AWS would refuse, which a hand-written or imported design can still hold: a reversed
//! port range (S2, L2), a subnet CIDR with host bits set (A5; a VPC's is canonicalised, A1),
//! a region that is no region name (A5), two interfaces at the same device index of one
//! instance, an empty id. Each is an error: `check` must not pass what AWS would not create.

use super::{Ctx, FindingCode as C, Findings, Scope};
use crate::model::*;

/// One VPC's values: its groups' and ACLs' port ranges, its own and its subnets' CIDRs, its
/// region, the device indexes of the instances that live in it.
pub fn vpc(ctx: &Ctx, v: &Vpc, scope: &Scope, out: &mut Findings) {
    for g in ctx.ix.vpc_security_groups(&v.id) {
        group_ports(ctx, g, out);
    }
    for a in ctx.ix.vpc_network_acls(&v.id) {
        acl_ports(ctx, a, out);
    }
    for s in &scope.subnets {
        subnet_host_bits(ctx, s, out);
    }
    if !v.external {
        vpc_host_bits(ctx, v, out);
        region(ctx, &v.region, &v.id, out);
    }
    for i in &scope.instances {
        device_indexes(ctx, &i.id, out);
    }
}

/// What belongs to no VPC of the design (groups, ACLs, subnets and instances of a missing
/// VPC), the design's default region and empty ids.
pub fn design(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    for &g in ctx.outside(ResourceKind::SecurityGroup) {
        group_ports(ctx, &d.security_groups[g], out);
    }
    for &a in ctx.outside(ResourceKind::NetworkAcl) {
        acl_ports(ctx, &d.network_acls[a], out);
    }
    for &s in ctx.outside(ResourceKind::Subnet) {
        subnet_host_bits(ctx, &d.subnets[s], out);
    }
    if !d.default_region.is_empty() {
        region(ctx, &d.default_region, "", out);
    }
    for &i in ctx.instances_outside() {
        device_indexes(ctx, &d.instances[i].id, out);
    }
    // Interfaces of an instance the design does not hold.
    let mut ghosts: Vec<&str> = d
        .network_interfaces
        .iter()
        .filter_map(|e| e.instance.as_deref())
        .filter(|i| ctx.ix.pos(ResourceKind::Instance, i).is_none())
        .collect();
    ghosts.sort_unstable();
    ghosts.dedup();
    for i in ghosts {
        device_indexes(ctx, i, out);
    }
    empty_ids(ctx, out);
}

/// Every value check, for [`super::refused_values`].
pub fn all(ctx: &Ctx, out: &mut Findings) {
    for v in &ctx.d.vpcs {
        vpc(ctx, v, &Scope::new(ctx, v), out);
    }
    design(ctx, out);
}

fn reversed(p: &PortSpec) -> Option<(u16, u16)> {
    match *p {
        PortSpec::Range { from, to } if from > to => Some((from, to)),
        _ => None,
    }
}

fn group_ports(ctx: &Ctx, g: &SecurityGroup, out: &mut Findings) {
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

fn acl_ports(ctx: &Ctx, a: &NetworkAcl, out: &mut Findings) {
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

fn subnet_host_bits(ctx: &Ctx, s: &Subnet, out: &mut Findings) {
    let Some(cidr) = s.cidr else { return };
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

fn vpc_host_bits(ctx: &Ctx, v: &Vpc, out: &mut Findings) {
    for c in v.cidrs().filter(|c| *c != c.trunc()) {
        out.add_with(
            C::VpcCidrHostBits,
            &[&v.id],
            crate::text!("{} has CIDR {c} with host bits set; AWS creates it as {}", ctx.name(&v.id), c.trunc()),
            &[&c.trunc()],
        );
    }
}

/// A region that is no region name: a VPC's (`id`), or the design's default (`id` empty).
fn region(ctx: &Ctx, region: &str, id: &str, out: &mut Findings) {
    if is_region_name(region) {
        return;
    }
    let whose = if id.is_empty() { "the design's default region".to_string() } else { ctx.name(id).to_string() };
    out.add(
        C::RegionInvalid,
        &[id],
        crate::text!("{whose}: {region:?} is not an AWS region name (like us-east-1 or ap-northeast-2)"),
    );
}

/// Two interfaces of one instance at the same device index.
fn device_indexes(ctx: &Ctx, instance: &str, out: &mut Findings) {
    let mut by_slot: Vec<(u32, Vec<&str>)> = Vec::new();
    // The index lists an instance's interfaces by device index (design order within one).
    for e in ctx.ix.instance_interfaces(instance) {
        match by_slot.last_mut() {
            Some((index, enis)) if *index == e.device_index => enis.push(&e.id),
            _ => by_slot.push((e.device_index, vec![&e.id])),
        }
    }
    for (index, enis) in by_slot.into_iter().filter(|(_, v)| v.len() > 1) {
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
    for r in ctx.d.resources().filter(|r| r.id().chars().all(char::is_whitespace)) {
        out.add(
            C::IdEmpty,
            &[r.id()],
            crate::text!(
                "a {kind_ui} named {:?} has an empty id; every resource needs one",
                r.name(),
                kind_ui = r.kind().label()
            ),
        );
    }
}
