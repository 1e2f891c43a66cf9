//! Security group (S1–S6) and network ACL (L1–L7) checks.

use super::{Ctx, FindingCode, Findings, Scope};
use crate::model::*;
use foldhash::HashSet;

/// One VPC's security groups, interfaces and network ACLs.
pub fn vpc(ctx: &Ctx, v: &Vpc, scope: &Scope, out: &mut Findings) {
    if !v.external && ctx.ix.default_security_group(&v.id).is_none() {
        out.add(
            FindingCode::SgDefaultMissing,
            &[&v.id],
            crate::text!(
                "{} has no default security group; interfaces and endpoints created without one get it",
                ctx.name(&v.id)
            ),
        );
    }
    for g in ctx.ix.vpc_security_groups(&v.id) {
        security_group(ctx, g, out);
    }
    for &e in &scope.enis {
        let e = &ctx.d.network_interfaces[e];
        interface(ctx, e, ctx.subnet_vpc_id(&e.subnet, v), out);
    }
    if !v.external {
        match ctx.ix.default_network_acls(&v.id).count() {
            0 => out.add(
                FindingCode::NaclDefaultMissing,
                &[&v.id],
                crate::text!(
                    "{} has no default network ACL; subnets without an association would have none",
                    ctx.name(&v.id)
                ),
            ),
            1 => {}
            n => out.add(
                FindingCode::NaclDefaultMultiple,
                &[&v.id],
                crate::text!("{} has {n} default network ACLs", ctx.name(&v.id)),
            ),
        }
    }
    for &a in ctx.ix.vpc_positions(ResourceKind::NetworkAcl, &v.id) {
        network_acl(ctx, a, out);
    }
}

/// The groups, interfaces and ACLs of VPCs that are not in the design.
pub fn design(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    for &g in ctx.outside(ResourceKind::SecurityGroup) {
        security_group(ctx, &d.security_groups[g], out);
    }
    for &e in ctx.enis_outside() {
        let e = &d.network_interfaces[e];
        interface(ctx, e, ctx.subnet_vpc(&e.subnet).map(|v| v.id.as_str()), out);
    }
    for &a in ctx.outside(ResourceKind::NetworkAcl) {
        network_acl(ctx, a, out);
    }
}

/// L1: a subnet has exactly one network ACL. Each listing of a subnet by `a` that follows
/// another listing of it (in design order, by any ACL of any VPC, found through the index)
/// is a finding naming the ACL listing it just before.
fn associated_twice(ctx: &Ctx, a: &NetworkAcl, out: &mut Findings) {
    // The position of the ACL with this id, asked for only when a subnet is listed twice.
    let at = std::cell::OnceCell::new();
    for s in &a.subnets {
        let listings = ctx.ix.network_acl_listings(s);
        if listings.len() < 2 {
            continue;
        }
        let Some(&at) = at.get_or_init(|| ctx.ix.pos(ResourceKind::NetworkAcl, &a.id)).as_ref() else { return };
        for (i, _) in listings.iter().enumerate().filter(|(i, p)| **p == at && *i > 0) {
            let prev = &ctx.d.network_acls[listings[i - 1]];
            out.add(
                FindingCode::NaclSubnetMultiple,
                &[s, &prev.id, &a.id],
                crate::text!(
                    "{} is associated with both {} and {}; a subnet has exactly one network ACL",
                    ctx.name(s),
                    ctx.name(&prev.id),
                    ctx.name(&a.id)
                ),
            );
        }
    }
}

/// S1, S4, S6 on one group.
fn security_group(ctx: &Ctx, g: &SecurityGroup, out: &mut Findings) {
    for (dir, rules) in [("inbound", &g.ingress), ("outbound", &g.egress)] {
        if rules.len() > 60 {
            out.add(
                FindingCode::SgRuleQuota,
                &[&g.id],
                crate::text!(
                    "{} has {} {dir_ui} rules; the quota is 60 per direction",
                    ctx.name(&g.id),
                    rules.len(),
                    dir_ui = dir
                ),
            );
        }
        for r in rules.iter() {
            match &r.peer {
                SgPeer::SecurityGroup { group, account: None } => match ctx.ix.security_group(group) {
                    None => out.add(FindingCode::SgRulePeerMissing, &[&g.id, group], crate::text!("{} has an {dir_ui} rule naming {group}, which is not in the design (another account's group, or a deleted one); the rule matches nothing here", ctx.name(&g.id), dir_ui = dir)),
                    Some(peer) if peer.vpc != g.vpc && !ctx.peered(&peer.vpc, &g.vpc) => out.add(FindingCode::SgRulePeerUnreachable, &[&g.id, group], crate::text!("{} has an {dir_ui} rule naming {}, a group of a VPC that is neither its own nor an active peer; it matches nothing", ctx.name(&g.id), ctx.name(group), dir_ui = dir)),
                    _ => {}
                },
                SgPeer::PrefixList(pl) if ctx.ix.prefix_list(pl).is_none() && ServiceCatalog::builtin().by_prefix_list(pl).is_none() => {
                    out.add(FindingCode::SgRulePrefixListUnknown, &[&g.id], crate::text!("{} has an {dir_ui} rule naming prefix list {pl}, whose addresses the design does not know", ctx.name(&g.id), dir_ui = dir))
                }
                _ => {}
            }
        }
    }
    if g.egress.is_empty() {
        out.add(
            FindingCode::SgNoOutboundRules,
            &[&g.id],
            crate::text!(
                "{} has no outbound rules: nothing its members start can leave (replies still pass)",
                ctx.name(&g.id)
            ),
        );
    }
}

/// S1, S5 on one interface (`vpc`: the id of its subnet's VPC, when in the design).
fn interface(ctx: &Ctx, e: &NetworkInterface, vpc: Option<&str>, out: &mut Findings) {
    let n = e.security_groups.len();
    if n > 16 {
        out.add(
            FindingCode::EniSgLimit,
            &[&e.id],
            crate::text!("{} has {n} security groups; the hard limit is 16", ctx.name(&e.id)),
        );
    } else if n > 5 {
        out.add(
            FindingCode::EniSgAboveDefaultQuota,
            &[&e.id],
            crate::text!("{} has {n} security groups; the default quota is 5", ctx.name(&e.id)),
        );
    }
    for sg in &e.security_groups {
        match ctx.ix.security_group(sg) {
            None => out.add(
                FindingCode::EniSgMissing,
                &[&e.id, sg],
                crate::text!("{} uses {sg}, which is not in the design", ctx.name(&e.id)),
            ),
            Some(g) if Some(g.vpc.as_str()) != vpc => out.add(
                FindingCode::EniSgOtherVpc,
                &[&e.id, sg],
                crate::text!(
                    "{} uses {}, a group of another VPC; a group applies only in its own VPC",
                    ctx.name(&e.id),
                    ctx.name(sg)
                ),
            ),
            _ => {}
        }
    }
    if e.security_groups.is_empty() && e.instance.is_some() {
        out.add(
            FindingCode::EniNoSg,
            &[&e.id],
            crate::text!("{} names no security group; AWS would give it the VPC's default group", ctx.name(&e.id)),
        );
    }
}

/// L1–L3, L6 on one ACL (at `at` in the design's list): its associations, its rule numbers
/// and its ephemeral ports.
fn network_acl(ctx: &Ctx, at: usize, out: &mut Findings) {
    let a = &ctx.d.network_acls[at];
    associated_twice(ctx, a, out);
    for s in &a.subnets {
        if ctx.ix.subnet(s).is_some_and(|sub| sub.vpc != a.vpc) {
            out.add(
                FindingCode::NaclAssociationOtherVpc,
                &[&a.id, s],
                crate::text!("{} is associated with {}, a subnet of another VPC", ctx.name(&a.id), ctx.name(s)),
            );
        }
    }
    for egress in [false, true] {
        let dir = if egress { "outbound" } else { "inbound" };
        let entries = a.sorted_entries(egress);
        if entries.len() > 20 {
            out.add(
                FindingCode::NaclRuleQuota,
                &[&a.id],
                crate::text!("{} has {} {dir_ui} rules; the quota is 20", ctx.name(&a.id), entries.len(), dir_ui = dir),
            );
        }
        let mut numbers = HashSet::default();
        for e in &entries {
            if e.rule_number == 0 || e.rule_number > 32766 {
                out.add(
                    FindingCode::NaclRuleNumberRange,
                    &[&a.id],
                    crate::text!(
                        "{} {dir_ui} rule {} is outside 1–32766",
                        ctx.name(&a.id),
                        e.rule_number,
                        dir_ui = dir
                    ),
                );
            }
            if !numbers.insert(e.rule_number) {
                out.add(
                    FindingCode::NaclRuleNumberDuplicate,
                    &[&a.id],
                    crate::text!("{} has two {dir_ui} rules numbered {}", ctx.name(&a.id), e.rule_number, dir_ui = dir),
                );
            }
        }
    }
    // L3/L6: a custom ACL that lets requests in on a port but gives replies no way out
    // (or the reverse) breaks every connection through it.
    if !a.is_default && !(a.subnets.is_empty()) {
        let allows_some = |egress: bool| a.sorted_entries(egress).iter().any(|e| e.action == RuleAction::Allow);
        let ephemeral_ok = |egress: bool| first_match_allows(a, egress, 49152) || first_match_allows(a, egress, 32768);
        if allows_some(false) && !ephemeral_ok(true) {
            out.add(FindingCode::NaclNoEphemeralOutbound, &[&a.id], crate::text!("{} allows traffic in but denies outbound replies to ephemeral ports; NACLs are stateless, so replies to inbound connections are dropped", ctx.name(&a.id)));
        }
        if allows_some(true) && !ephemeral_ok(false) {
            out.add(FindingCode::NaclNoEphemeralInbound, &[&a.id], crate::text!("{} allows traffic out but denies inbound replies on ephemeral ports; replies to outbound connections are dropped", ctx.name(&a.id)));
        }
    }
}

/// Whether the first entry matching TCP to `port` from anywhere allows it (L2).
fn first_match_allows(a: &NetworkAcl, egress: bool, port: u16) -> bool {
    for e in a.sorted_entries(egress) {
        if e.protocol.covers(Protocol::Tcp) && e.ports.covers_port(Some(port)) {
            return e.action == RuleAction::Allow;
        }
    }
    false
}
