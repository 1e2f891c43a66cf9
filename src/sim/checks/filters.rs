//! Security group (S1–S6) and network ACL (L1–L7) checks.

use super::{Ctx, Findings, Severity::*};
use crate::model::*;
use std::collections::{HashMap, HashSet};

pub fn check(ctx: &Ctx, out: &mut Findings) {
    security_groups(ctx, out);
    network_acls(ctx, out);
}

fn security_groups(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    for v in d.vpcs.iter().filter(|v| !v.external) {
        if d.default_security_group(&v.id).is_none() {
            out.add(
                Warning,
                "SG_DEFAULT_MISSING",
                "S5",
                &[&v.id],
                format!(
                    "{} has no default security group; interfaces and endpoints created without one get it",
                    ctx.name(&v.id)
                ),
                "add the default group (inbound from itself, all outbound)",
            );
        }
    }
    let groups: HashMap<&str, &SecurityGroup> = d.security_groups.iter().map(|g| (g.id.as_str(), g)).collect();
    for g in &d.security_groups {
        for (dir, rules) in [("inbound", &g.ingress), ("outbound", &g.egress)] {
            if rules.len() > 60 {
                out.add(
                    Warning,
                    "SG_RULE_QUOTA",
                    "S1",
                    &[&g.id],
                    format!("{} has {} {dir} rules; the quota is 60 per direction", ctx.name(&g.id), rules.len()),
                    "merge rules or use prefix lists",
                );
            }
            for r in rules.iter() {
                match &r.peer {
                    SgPeer::SecurityGroup { group, account: None } => match groups.get(group.as_str()) {
                        None => out.add(Warning, "SG_RULE_PEER_MISSING", "S6", &[&g.id, group], format!("{} has an {dir} rule naming {group}, which is not in the design (another account's group, or a deleted one); the rule matches nothing here", ctx.name(&g.id)), "add the group to the design, or fix or delete the rule"),
                        Some(peer) if peer.vpc != g.vpc && !peered(d, &peer.vpc, &g.vpc) => out.add(Warning, "SG_RULE_PEER_UNREACHABLE", "S6", &[&g.id, group], format!("{} has an {dir} rule naming {}, a group of a VPC that is neither its own nor an active peer; it matches nothing", ctx.name(&g.id), ctx.name(group)), "refer to a CIDR instead"),
                        _ => {}
                    },
                    SgPeer::PrefixList(pl) if d.prefix_list(pl).is_none() && ServiceCatalog::builtin().by_prefix_list(pl).is_none() => {
                        out.add(Warning, "SG_RULE_PREFIX_LIST_UNKNOWN", "S6", &[&g.id], format!("{} has an {dir} rule naming prefix list {pl}, whose addresses the design does not know", ctx.name(&g.id)), "import the prefix list")
                    }
                    _ => {}
                }
            }
        }
        if g.egress.is_empty() {
            out.add(
                Info,
                "SG_NO_OUTBOUND_RULES",
                "S4",
                &[&g.id],
                format!(
                    "{} has no outbound rules: nothing its members start can leave (replies still pass)",
                    ctx.name(&g.id)
                ),
                "add an outbound rule if members must start connections",
            );
        }
    }
    for e in &d.network_interfaces {
        let n = e.security_groups.len();
        if n > 16 {
            out.add(
                Error,
                "ENI_SG_LIMIT",
                "S1",
                &[&e.id],
                format!("{} has {n} security groups; the hard limit is 16", ctx.name(&e.id)),
                "merge groups",
            );
        } else if n > 5 {
            out.add(
                Warning,
                "ENI_SG_LIMIT",
                "S1",
                &[&e.id],
                format!("{} has {n} security groups; the default quota is 5", ctx.name(&e.id)),
                "merge groups or raise the quota",
            );
        }
        let vpc = ctx.subnet_vpc(&e.subnet).map(|v| v.id.as_str());
        for sg in &e.security_groups {
            match groups.get(sg.as_str()) {
                None => out.add(
                    Error,
                    "ENI_SG_MISSING",
                    "S1",
                    &[&e.id, sg],
                    format!("{} uses {sg}, which is not in the design", ctx.name(&e.id)),
                    "pick an existing group",
                ),
                Some(g) if Some(g.vpc.as_str()) != vpc => out.add(
                    Error,
                    "ENI_SG_OTHER_VPC",
                    "S1",
                    &[&e.id, sg],
                    format!(
                        "{} uses {}, a group of another VPC; a group applies only in its own VPC",
                        ctx.name(&e.id),
                        ctx.name(sg)
                    ),
                    "use a group of the interface's VPC",
                ),
                _ => {}
            }
        }
        if e.security_groups.is_empty() && e.instance.is_some() {
            out.add(
                Info,
                "ENI_NO_SG",
                "S5",
                &[&e.id],
                format!("{} names no security group; AWS would give it the VPC's default group", ctx.name(&e.id)),
                "choose its groups explicitly",
            );
        }
    }
}

fn peered(d: &Design, a: &str, b: &str) -> bool {
    d.peerings.iter().any(|p| p.status == PeeringStatus::Active && p.other_side(a) == Some(b))
}

fn network_acls(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    let mut defaults: HashMap<&str, usize> = HashMap::new();
    for a in &d.network_acls {
        if a.is_default {
            *defaults.entry(a.vpc.as_str()).or_default() += 1;
        }
    }
    for v in d.vpcs.iter().filter(|v| !v.external) {
        match defaults.get(v.id.as_str()).copied().unwrap_or(0) {
            0 => out.add(
                Warning,
                "NACL_DEFAULT_MISSING",
                "L1",
                &[&v.id],
                format!(
                    "{} has no default network ACL; subnets without an association would have none",
                    ctx.name(&v.id)
                ),
                "add a default ACL allowing all",
            ),
            1 => {}
            n => out.add(
                Error,
                "NACL_DEFAULT_MULTIPLE",
                "L1",
                &[&v.id],
                format!("{} has {n} default network ACLs", ctx.name(&v.id)),
                "keep one",
            ),
        }
    }
    let mut assoc: HashMap<&str, &str> = HashMap::new();
    for a in &d.network_acls {
        for s in &a.subnets {
            if let Some(prev) = assoc.insert(s, &a.id) {
                out.add(
                    Error,
                    "NACL_SUBNET_MULTIPLE",
                    "L1",
                    &[s, prev, &a.id],
                    format!(
                        "{} is associated with both {} and {}; a subnet has exactly one network ACL",
                        ctx.name(s),
                        ctx.name(prev),
                        ctx.name(&a.id)
                    ),
                    "remove one association",
                );
            }
            if ctx.subnets.get(s.as_str()).is_some_and(|sub| sub.vpc != a.vpc) {
                out.add(
                    Error,
                    "NACL_ASSOCIATION_OTHER_VPC",
                    "L1",
                    &[&a.id, s],
                    format!("{} is associated with {}, a subnet of another VPC", ctx.name(&a.id), ctx.name(s)),
                    "associate an ACL of the subnet's VPC",
                );
            }
        }
        for egress in [false, true] {
            let dir = if egress { "outbound" } else { "inbound" };
            let entries = a.sorted_entries(egress);
            if entries.len() > 20 {
                out.add(
                    Warning,
                    "NACL_RULE_QUOTA",
                    "L2",
                    &[&a.id],
                    format!("{} has {} {dir} rules; the quota is 20", ctx.name(&a.id), entries.len()),
                    "merge rules",
                );
            }
            let mut numbers = HashSet::new();
            for e in &entries {
                if e.rule_number == 0 || e.rule_number > 32766 {
                    out.add(
                        Error,
                        "NACL_RULE_NUMBER_RANGE",
                        "L2",
                        &[&a.id],
                        format!("{} {dir} rule {} is outside 1–32766", ctx.name(&a.id), e.rule_number),
                        "renumber it",
                    );
                }
                if !numbers.insert(e.rule_number) {
                    out.add(
                        Error,
                        "NACL_RULE_NUMBER_DUPLICATE",
                        "L2",
                        &[&a.id],
                        format!("{} has two {dir} rules numbered {}", ctx.name(&a.id), e.rule_number),
                        "renumber one",
                    );
                }
            }
        }
        // L3/L6: a custom ACL that lets requests in on a port but gives replies no way out
        // (or the reverse) breaks every connection through it.
        if !a.is_default && !(a.subnets.is_empty()) {
            let allows_some = |egress: bool| a.sorted_entries(egress).iter().any(|e| e.action == RuleAction::Allow);
            let ephemeral_ok =
                |egress: bool| first_match_allows(a, egress, 49152) || first_match_allows(a, egress, 32768);
            if allows_some(false) && !ephemeral_ok(true) {
                out.add(Warning, "NACL_NO_EPHEMERAL_OUTBOUND", "L6", &[&a.id], format!("{} allows traffic in but denies outbound replies to ephemeral ports; NACLs are stateless, so replies to inbound connections are dropped", ctx.name(&a.id)), "add an outbound rule allowing TCP 1024-65535 to the clients");
            }
            if allows_some(true) && !ephemeral_ok(false) {
                out.add(Warning, "NACL_NO_EPHEMERAL_INBOUND", "L6", &[&a.id], format!("{} allows traffic out but denies inbound replies on ephemeral ports; replies to outbound connections are dropped", ctx.name(&a.id)), "add an inbound rule allowing TCP 1024-65535 from the servers");
            }
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
