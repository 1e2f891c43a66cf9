//! Everything the internet reaches (I2–I4): each public address of the design (an interface's
//! public IP or Elastic IP, an internet-facing load balancer node, a NAT gateway's EIP), by
//! protocol and port range. The engine decides every answer: ports are split into ranges no
//! security group rule, network ACL entry or listener of the VPC tells apart, and one port of
//! each range is traced from the internet. NAT gateways never take inbound connections (N5),
//! so the trace drops them and they are not reported.
//!
//! IPv6 addresses are global (I5): every interface's IPv6 address is a target too, reached from
//! the internet over `::/0` through an internet gateway; an egress-only internet gateway lets
//! nothing in, and the trace says so.

use super::{AuditFinding, AuditSeverity};
use crate::model::{Design, PortSpec, Protocol};
use crate::sim::index::{Node, TraceIndex};
use crate::sim::request::{Endpoint, TraceRequest};
use crate::sim::result::TraceResult;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

/// Remote administration (SSH, RDP).
pub const ADMIN_PORTS: [u16; 2] = [22, 3389];
/// Databases: MySQL, PostgreSQL, SQL Server, Redis, MongoDB.
pub const DATABASE_PORTS: [u16; 5] = [3306, 5432, 1433, 6379, 27017];

/// Port cut points of a VPC: where some rule's range starts or ends (+1).
fn cuts_of<'d>(d: &'d Design) -> HashMap<&'d str, BTreeSet<u32>> {
    let mut m: HashMap<&'d str, BTreeSet<u32>> = HashMap::new();
    let mut add = |vpc: &'d str, spec: &PortSpec| {
        if let PortSpec::Range { from, to } = *spec {
            let s = m.entry(vpc).or_default();
            s.insert(u32::from(from));
            s.insert(u32::from(to) + 1);
        }
    };
    for g in &d.security_groups {
        for r in g.ingress.iter().chain(&g.egress) {
            add(&g.vpc, &r.ports);
        }
    }
    for a in &d.network_acls {
        for e in &a.entries {
            add(&a.vpc, &e.ports);
        }
    }
    for lb in &d.load_balancers {
        for l in &lb.listeners {
            add(&lb.vpc, &PortSpec::Range { from: l.port, to: l.port });
        }
    }
    // A database answers on its own ports only (M3): a group open on every port must not hide
    // it behind a port it does not listen on.
    for db in &d.databases {
        for p in db.ports() {
            add(&db.vpc, &PortSpec::Range { from: p, to: p });
        }
    }
    m
}

/// Port ranges (inclusive) from cut points, port 1 to 65535.
fn ranges(cuts: &BTreeSet<u32>) -> Vec<(u16, u16)> {
    let mut points: Vec<u32> = cuts.iter().copied().filter(|&c| c > 1 && c <= 65535).collect();
    points.insert(0, 1);
    points.push(65536);
    points.dedup();
    points.windows(2).map(|w| (w[0] as u16, (w[1] - 1) as u16)).collect()
}

pub(super) fn hop_path(r: &TraceResult) -> Vec<super::PathEntry> {
    r.forward.iter().map(|h| super::PathEntry::hop(&h.component)).collect()
}

/// One flow to trace: (target, protocol, port range).
type Job = (usize, Protocol, Option<(u16, u16)>);

/// One exposed (address, protocol, range).
pub(super) struct Exposed {
    pub ip: IpAddr,
    pub node: Node,
    pub protocol: Protocol,
    pub range: Option<(u16, u16)>,
    pub path: Vec<super::PathEntry>,
}

/// The findings of what the internet reaches.
pub(super) fn internet_exposure(ix: &TraceIndex<'_>, exposed: Vec<Exposed>) -> Vec<AuditFinding> {
    exposed.into_iter().map(|e| finding(ix, e)).collect()
}

/// Everything the internet reaches, by address, protocol and port range.
pub(super) fn exposed(ix: &TraceIndex<'_>) -> Vec<Exposed> {
    let d = ix.d;
    let cuts = cuts_of(d);
    let empty = BTreeSet::new();
    let mut targets: Vec<(IpAddr, Node)> = ix.by_public.iter().map(|(ip, n)| (IpAddr::V4(*ip), *n)).collect();
    targets.sort_by_key(|(ip, _)| *ip);
    // IPv6 after IPv4, so IPv4-only designs keep their order.
    let mut six: Vec<(IpAddr, Node)> = d
        .network_interfaces
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.ipv6_addresses.iter().map(move |a| (IpAddr::V6(*a), Node::Eni(i))))
        .collect();
    six.sort_by_key(|(ip, _)| *ip);
    six.dedup_by_key(|(ip, _)| *ip);
    targets.extend(six);
    // Jobs: (target, protocol, range); ICMP has one.
    let mut jobs: Vec<Job> = Vec::new();
    let mut range_cache: HashMap<Option<usize>, Vec<(u16, u16)>> = HashMap::new();
    for (t, &(_, n)) in targets.iter().enumerate() {
        if matches!(n, Node::Nat(_)) {
            continue;
        }
        let vpc = ix.node_subnet(n).and_then(|s| ix.vpc_of(s));
        let rs = range_cache
            .entry(vpc)
            .or_insert_with(|| {
                let mut c = vpc.and_then(|v| cuts.get(d.vpcs[v].id.as_str())).unwrap_or(&empty).clone();
                if let Node::Lb(..) = n {
                    // A load balancer forwards to targets that may sit elsewhere.
                    for s in cuts.values() {
                        c.extend(s.iter().copied());
                    }
                }
                ranges(&c)
            })
            .clone();
        for p in [Protocol::Tcp, Protocol::Udp] {
            jobs.extend(rs.iter().map(|&r| (t, p, Some(r))));
        }
        jobs.push((t, Protocol::Icmp, None));
    }
    let results: Vec<Option<Exposed>> = jobs
        .par_iter()
        .map(|&(t, protocol, range)| {
            let (ip, node) = targets[t];
            let req = TraceRequest::new(Endpoint::Internet, Endpoint::Ip(ip), protocol, range.map(|r| r.0));
            // The path names components only: no explanation text is needed.
            let r = crate::sim::quietly(|| ix.trace(&req));
            r.delivered().then(|| Exposed { ip, node, protocol, range, path: hop_path(&r) })
        })
        .collect();
    // Merge adjacent delivered ranges of one (address, protocol).
    let mut merged: Vec<Exposed> = Vec::new();
    for e in results.into_iter().flatten() {
        if let Some(last) = merged.last_mut() {
            if last.ip == e.ip && last.protocol == e.protocol {
                if let (Some((a, b)), Some((c, f))) = (last.range, e.range) {
                    if u32::from(b) + 1 == u32::from(c) {
                        last.range = Some((a, f));
                        continue;
                    }
                }
            }
        }
        merged.push(e);
    }
    merged
}

fn finding(ix: &TraceIndex<'_>, e: Exposed) -> AuditFinding {
    let who = ix.node_component(e.node);
    let mut resources = vec![who.id.clone()];
    if let Node::Eni(i) = e.node {
        let eni = &ix.d.network_interfaces[i];
        if eni.instance.is_some() {
            resources.push(eni.id.clone());
        }
        resources.extend(ix.eni_sgs[i].iter().map(|&g| ix.d.security_groups[g].id.clone()));
    }
    if let Node::Managed(j) = e.node {
        resources.extend(ix.managed.nodes[j].sgs.iter().map(|&g| ix.d.security_groups[g].id.clone()));
    }
    let Some((a, b)) = e.range else {
        return AuditFinding::new(
            AuditSeverity::Low,
            "EXPOSED_TO_INTERNET",
            "I2",
            resources,
            crate::text!("{} answers ping from the internet at {}", who.label(), e.ip),
            "remove the ICMP rule from its security groups unless ping is wanted",
        )
        .with_path(e.path);
    };
    let ports = if a == b { format!("{} {a}", e.protocol) } else { format!("{} {a}-{b}", e.protocol) };
    let hit = |list: &[u16]| list.iter().copied().filter(|p| (a..=b).contains(p)).collect::<Vec<u16>>();
    let (admin, db) =
        if e.protocol == Protocol::Tcp { (hit(&ADMIN_PORTS), hit(&DATABASE_PORTS)) } else { (vec![], vec![]) };
    let list = |v: &[u16]| v.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ");
    let (who, ip) = (who.label(), e.ip);
    let (severity, code, message) = if !admin.is_empty() {
        let m = crate::text!("the internet reaches {who} at {ip} on {ports} (administration port {})", list(&admin));
        (AuditSeverity::High, "EXPOSED_ADMIN_PORT", m)
    } else if !db.is_empty() {
        let m = crate::text!("the internet reaches {who} at {ip} on {ports} (database port {})", list(&db));
        (AuditSeverity::High, "EXPOSED_DATABASE_PORT", m)
    } else {
        (AuditSeverity::Medium, "EXPOSED_TO_INTERNET", crate::text!("the internet reaches {who} at {ip} on {ports}"))
    };
    AuditFinding::new(
        severity,
        code,
        "I2",
        resources,
        message,
        if severity == AuditSeverity::High {
            "allow these ports only from known addresses (a bastion, a VPN, a load balancer), or remove the public address"
        } else {
            "make sure these ports are meant to be public"
        },
    )
    .with_path(e.path)
}

#[cfg(test)]
mod tests {
    use super::ranges;
    use std::collections::BTreeSet;

    #[test]
    fn ranges_cover_every_port_once() {
        let cuts: BTreeSet<u32> = [22, 23, 443, 444, 1024, 65536].into_iter().collect();
        let r = ranges(&cuts);
        assert_eq!(r, vec![(1, 21), (22, 22), (23, 442), (443, 443), (444, 1023), (1024, 65535)]);
    }
}
