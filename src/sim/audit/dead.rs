//! Configuration that does nothing: network ACL entries no packet can reach (L2), routes no
//! address takes or that change nothing (R3), security groups attached to nothing (S1) and
//! rules naming groups that are gone (S6).

use super::{AuditFinding, AuditSeverity};
use crate::model::{Design, NaclEntry, PortSpec, Protocol, RouteDestination, RouteState, RouteTarget};
use crate::sim::checks;
use crate::sim::filters::nacl_entry_text;
use ipnet::Ipv4Net;
use std::collections::HashSet;

/// Whether every packet `inner` matches is matched by `outer` (protocol, ports, CIDR).
fn entry_covers(outer: &NaclEntry, inner: &NaclEntry) -> bool {
    let proto =
        outer.protocol == Protocol::All || (inner.protocol != Protocol::All && outer.protocol.covers(inner.protocol));
    let ports = outer.protocol == Protocol::All
        || match (&outer.ports, &inner.ports) {
            (PortSpec::All, _) => true,
            (PortSpec::Range { from: a, to: b }, PortSpec::Range { from: c, to: e }) => a <= c && e <= b,
            (PortSpec::Icmp { icmp_type: t1, code: c1 }, PortSpec::Icmp { icmp_type: t2, code: c2 }) => {
                (t1.is_none() || t1 == t2) && (c1.is_none() || c1 == c2)
            }
            _ => false,
        };
    proto && ports && outer.cidr.trunc().contains(&inner.cidr.trunc())
}

/// Entries an earlier entry of the same direction always matches first (L2: first match wins).
pub(super) fn shadowed_nacl_entries(d: &Design) -> Vec<AuditFinding> {
    let mut out = Vec::new();
    for a in &d.network_acls {
        for egress in [false, true] {
            let mut list: Vec<&NaclEntry> = a.entries.iter().filter(|e| e.egress == egress).collect();
            list.sort_by_key(|e| e.rule_number);
            for (j, e) in list.iter().enumerate() {
                let Some(by) = list[..j].iter().find(|x| entry_covers(x, e)) else { continue };
                let dir = if egress { "outbound" } else { "inbound" };
                out.push(
                    AuditFinding::new(
                        AuditSeverity::Low,
                        "NACL_ENTRY_SHADOWED",
                        "L2",
                        vec![a.id.clone()],
                        crate::text!("{dir_ui} rule {} of {} can never match: rule {} comes first and matches every packet it would",
                            e.rule_number, a.id, by.rule_number, dir_ui = dir),
                        crate::text!("delete {dir_ui} rule {} of {}, or renumber it before rule {}", e.rule_number, a.id, by.rule_number, dir_ui = dir),
                    )
                    .with_path(vec![nacl_entry_text(Some(by), false), nacl_entry_text(Some(e), false)]),
                );
            }
        }
    }
    out
}

/// Whether the union of `parts` covers all of `whole`.
fn covered(whole: Ipv4Net, parts: &[Ipv4Net]) -> bool {
    let mut iv: Vec<(u64, u64)> =
        parts.iter().map(|p| (u64::from(u32::from(p.network())), u64::from(u32::from(p.broadcast())))).collect();
    iv.sort_unstable();
    let (start, end) = (u64::from(u32::from(whole.network())), u64::from(u32::from(whole.broadcast())));
    let mut next = start;
    for (a, b) in iv {
        if a > next {
            return false;
        }
        next = next.max(b + 1);
        if next > end {
            return true;
        }
    }
    next > end
}

/// Static routes no address takes (every address inside has a more specific route, R3), and
/// routes whose target the next less specific route already sends their addresses to.
pub(super) fn shadowed_routes(d: &Design) -> Vec<AuditFinding> {
    let mut out = Vec::new();
    for rt in &d.route_tables {
        let cidr_routes: Vec<(Ipv4Net, &RouteTarget)> = rt
            .routes
            .iter()
            .filter(|r| r.state != RouteState::Blackhole && !r.is_local())
            .filter_map(|r| match &r.destination {
                RouteDestination::Cidr(ipnet::IpNet::V4(c)) => Some((c.trunc(), &r.target)),
                RouteDestination::Cidr(_) => None,
                RouteDestination::PrefixList(_) => None,
            })
            .collect();
        for (i, &(c, t)) in cidr_routes.iter().enumerate() {
            let inner: Vec<Ipv4Net> =
                cidr_routes.iter().map(|x| x.0).filter(|x| x.prefix_len() > c.prefix_len() && c.contains(x)).collect();
            if !inner.is_empty() && covered(c, &inner) {
                out.push(
                    AuditFinding::new(
                        AuditSeverity::Low,
                        "ROUTE_NEVER_USED",
                        "R3",
                        vec![rt.id.clone()],
                        crate::text!(
                            "the route {c} → {t} of {} is never used: more specific routes cover every address in it",
                            rt.id
                        ),
                        crate::text!("delete the route {c} → {t} from {}", rt.id),
                    )
                    .with_path(inner.iter().map(|x| x.to_string()).collect()),
                );
                continue;
            }
            // The route its addresses would take without it.
            let outer = cidr_routes
                .iter()
                .enumerate()
                .filter(|(j, x)| *j != i && x.0.prefix_len() < c.prefix_len() && x.0.contains(&c))
                .max_by_key(|(_, x)| x.0.prefix_len());
            if let Some((_, &(o, ot))) = outer {
                if ot == t {
                    out.push(
                        AuditFinding::new(
                            AuditSeverity::Info,
                            "ROUTE_REDUNDANT",
                            "R3",
                            vec![rt.id.clone()],
                            crate::text!("the route {c} → {t} of {} changes nothing: {o} → {ot} already sends those addresses there", rt.id),
                            crate::text!("delete the route {c} → {t} from {}", rt.id),
                        )
                        .with_path(vec![format!("{o} → {ot}"), format!("{c} → {t}")]),
                    );
                }
            }
        }
    }
    out
}

/// Security groups no interface, endpoint or load balancer uses (the default group aside: it
/// cannot be deleted, S5).
pub(super) fn unused_security_groups(d: &Design) -> Vec<AuditFinding> {
    let mut used: HashSet<&str> = HashSet::new();
    used.extend(d.network_interfaces.iter().flat_map(|e| e.security_groups.iter().map(String::as_str)));
    used.extend(d.endpoints.iter().flat_map(|e| e.security_groups.iter().map(String::as_str)));
    used.extend(d.load_balancers.iter().flat_map(|l| l.security_groups.iter().map(String::as_str)));
    let external: HashSet<&str> = d.vpcs.iter().filter(|v| v.external).map(|v| v.id.as_str()).collect();
    d.security_groups
        .iter()
        .filter(|g| !g.is_default && !used.contains(g.id.as_str()) && !external.contains(g.vpc.as_str()))
        .map(|g| {
            AuditFinding::new(
                AuditSeverity::Info,
                "SG_UNUSED",
                "S1",
                vec![g.id.clone(), g.vpc.clone()],
                crate::text!("{} ({}) is attached to nothing", g.id, g.name),
                crate::text!("delete {} or attach it where it is meant to apply", g.id),
            )
        })
        .collect()
}

/// Rules naming a group that is not in the design: the design check's finding (S6), listed
/// with the audit.
pub(super) fn rules_naming_deleted_groups(d: &Design) -> Vec<AuditFinding> {
    checks::check_design(d)
        .into_iter()
        .filter(|f| f.code == checks::FindingCode::SgRulePeerMissing)
        .map(|f| {
            let message = crate::l10n::Text::new(f.template, f.message);
            AuditFinding::new(AuditSeverity::Low, "SG_RULE_PEER_MISSING", "S6", f.resources, message, f.fix)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::covered;

    #[test]
    fn coverage_of_a_block_by_smaller_ones() {
        let n = |s: &str| s.parse().unwrap();
        assert!(covered(n("10.0.0.0/23"), &[n("10.0.0.0/24"), n("10.0.1.0/24")]));
        assert!(!covered(n("10.0.0.0/23"), &[n("10.0.0.0/24")]));
        assert!(covered(n("0.0.0.0/0"), &[n("0.0.0.0/1"), n("128.0.0.0/1")]));
    }
}
