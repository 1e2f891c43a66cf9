//! Indirect exposure of databases (issue 19): a database the internet does not reach, reached
//! on its port from a host the internet does reach. Both halves are traced by the engine: the
//! first is the exposure found by `exposure` (the internet to the host), the second a trace
//! from the host's interface to the database (M1–M3, S2 and the rest decide it). A host is an
//! interface (an instance's or a bare one) or an ECS task (M8) exposed on some TCP or UDP
//! port; a load balancer node is not (it only forwards to its targets, M4), nor is ping alone.

use super::exposure::{hop_path, Exposed, ADMIN_PORTS};
use super::{AuditFinding, AuditSeverity};
use crate::model::{ComputeKind, PeeringStatus, Protocol, TgwAttachmentKind};
use crate::sim::index::{Node, TraceIndex};
use crate::sim::managed::Owner;
use crate::sim::request::{Endpoint, TraceRequest};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// A host the internet reaches: the exposure that shows it and the endpoint to trace from.
struct Host<'e> {
    node: Node,
    exposure: &'e Exposed,
    from: Endpoint,
}

/// Where a trace from an exposed node starts, when the node is a host: an interface, or an
/// ECS task.
fn source(ix: &TraceIndex<'_>, node: Node) -> Option<Endpoint> {
    match node {
        Node::Eni(i) => Some(Endpoint::Resource(ix.d.network_interfaces[i].id.clone())),
        Node::Managed(j) => match ix.managed.nodes[j].owner {
            Owner::Compute(c) if matches!(ix.d.compute_services[c].kind, ComputeKind::EcsService { .. }) => {
                Some(Endpoint::Resource(ix.d.compute_services[c].id.clone()))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The hosts among the exposures, one exposure each (an administration port first, then TCP,
/// then UDP), in the exposures' order (by public address).
fn hosts<'e>(ix: &TraceIndex<'_>, exposed: &'e [Exposed]) -> Vec<Host<'e>> {
    let rank = |e: &Exposed| {
        let admin = e.protocol == Protocol::Tcp
            && e.range.is_some_and(|(a, b)| ADMIN_PORTS.iter().any(|p| (a..=b).contains(p)));
        match (admin, e.protocol) {
            (true, _) => 0,
            (false, Protocol::Tcp) => 1,
            _ => 2,
        }
    };
    let mut best: HashMap<Node, usize> = HashMap::new();
    let mut order: Vec<(Node, Endpoint)> = Vec::new();
    for (k, e) in exposed.iter().enumerate() {
        if !matches!(e.protocol, Protocol::Tcp | Protocol::Udp) {
            continue;
        }
        match best.get(&e.node) {
            Some(&b) if rank(&exposed[b]) <= rank(e) => {}
            Some(_) => {
                best.insert(e.node, k);
            }
            None => {
                if let Some(from) = source(ix, e.node) {
                    best.insert(e.node, k);
                    order.push((e.node, from));
                }
            }
        }
    }
    order.into_iter().map(|(node, from)| Host { node, exposure: &exposed[best[&node]], from }).collect()
}

/// The VPC (index) a node is in.
fn node_vpc(ix: &TraceIndex<'_>, n: Node) -> Option<usize> {
    ix.node_subnet(n).and_then(|s| ix.vpc_of(s))
}

/// Which VPCs a packet can cross to: active peerings (P1), shared transit gateways and their
/// peered transit gateways (T1).
struct Neighbours {
    peers: HashMap<usize, Vec<usize>>,
    tgws_of: HashMap<usize, Vec<usize>>,
    vpcs_of: HashMap<usize, Vec<usize>>,
    tgw_peers: HashMap<usize, Vec<usize>>,
}

impl Neighbours {
    fn new(ix: &TraceIndex<'_>) -> Neighbours {
        let d = ix.d;
        let vpc: HashMap<&str, usize> = d.vpcs.iter().enumerate().map(|(i, v)| (v.id.as_str(), i)).collect();
        let tgw: HashMap<&str, usize> =
            d.transit_gateways.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let mut peers: HashMap<usize, Vec<usize>> = HashMap::new();
        for p in d.peerings.iter().filter(|p| p.status == PeeringStatus::Active) {
            if let (Some(&a), Some(&b)) = (vpc.get(p.requester_vpc.as_str()), vpc.get(p.accepter_vpc.as_str())) {
                peers.entry(a).or_default().push(b);
                peers.entry(b).or_default().push(a);
            }
        }
        let (mut tgws_of, mut vpcs_of): (HashMap<usize, Vec<usize>>, HashMap<usize, Vec<usize>>) = Default::default();
        let mut tgw_peers: HashMap<usize, Vec<usize>> = HashMap::new();
        for a in &d.tgw_attachments {
            let Some(&t) = tgw.get(a.tgw.as_str()) else { continue };
            match &a.kind {
                TgwAttachmentKind::Vpc { vpc: v, .. } => {
                    if let Some(&v) = vpc.get(v.as_str()) {
                        tgws_of.entry(v).or_default().push(t);
                        vpcs_of.entry(t).or_default().push(v);
                    }
                }
                TgwAttachmentKind::Peering { peer_tgw } => {
                    if let Some(&p) = tgw.get(peer_tgw.as_str()) {
                        tgw_peers.entry(t).or_default().push(p);
                        tgw_peers.entry(p).or_default().push(t);
                    }
                }
                TgwAttachmentKind::Vpn { .. } => {}
            }
        }
        Neighbours { peers, tgws_of, vpcs_of, tgw_peers }
    }

    /// `vpc` and the VPCs a packet from it can reach.
    fn of(&self, vpc: Option<usize>) -> Vec<Option<usize>> {
        let Some(v) = vpc else { return vec![None] };
        let mut out = vec![v];
        out.extend(self.peers.get(&v).into_iter().flatten().copied());
        for t in self.tgws_of.get(&v).into_iter().flatten() {
            for t in std::iter::once(t).chain(self.tgw_peers.get(t).into_iter().flatten()) {
                out.extend(self.vpcs_of.get(t).into_iter().flatten().copied());
            }
        }
        out.sort_unstable();
        out.dedup();
        out.into_iter().map(Some).collect()
    }
}

fn ports(e: &Exposed) -> String {
    match e.range {
        Some((a, b)) if a == b => format!("{} {a}", e.protocol),
        Some((a, b)) => format!("{} {a}-{b}", e.protocol),
        None => e.protocol.to_string(),
    }
}

/// Databases reachable on their port from a host the internet reaches, when the internet does
/// not reach them itself.
pub(super) fn databases(ix: &TraceIndex<'_>, exposed: &[Exposed]) -> Vec<AuditFinding> {
    let d = ix.d;
    if d.databases.is_empty() {
        return Vec::new();
    }
    let direct: HashSet<Node> = exposed.iter().map(|e| e.node).collect();
    let hosts = hosts(ix, exposed);
    if hosts.is_empty() {
        return Vec::new();
    }
    let dbs: Vec<usize> = (0..d.databases.len())
        .filter(|&i| {
            let nodes = ix.managed_nodes(&d.databases[i].id).unwrap_or_default();
            !nodes.is_empty() && !nodes.iter().any(|n| direct.contains(n))
        })
        .collect();
    // Only hosts whose VPC can carry a packet to the database's: the same VPC, an actively
    // peered one (P1) or one on a transit gateway it is attached to (T1). Without this every
    // exposed host would be traced to every database of a large design.
    let near = Neighbours::new(ix);
    let mut by_vpc: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for (h, host) in hosts.iter().enumerate() {
        by_vpc.entry(node_vpc(ix, host.node)).or_default().push(h);
    }
    let mut jobs: Vec<(usize, usize)> = Vec::new();
    for &i in &dbs {
        let vpc = ix.managed_nodes(&d.databases[i].id).and_then(|n| n.first().and_then(|&n| node_vpc(ix, n)));
        let mut hs: Vec<usize> = near
            .of(vpc)
            .into_iter()
            .chain([None])
            .flat_map(|v| by_vpc.get(&v).into_iter().flatten().copied())
            .collect();
        hs.sort_unstable();
        hs.dedup();
        jobs.extend(hs.into_iter().map(|h| (i, h)));
    }
    let reached: Vec<Option<(usize, usize, Vec<super::PathEntry>)>> = jobs
        .par_iter()
        .map(|&(i, h)| {
            let db = &d.databases[i];
            let req = TraceRequest::tcp(hosts[h].from.clone(), Endpoint::Resource(db.id.clone()), db.port());
            let r = crate::sim::quietly(|| ix.trace(&req));
            r.delivered().then(|| (i, h, hop_path(&r)))
        })
        .collect();
    // One finding per database: the first host (by public address) with both paths; the
    // other hosts that reach it are named.
    let mut by_db: Vec<(usize, Vec<usize>, Vec<super::PathEntry>)> = Vec::new();
    for (i, h, path) in reached.into_iter().flatten() {
        match by_db.last_mut() {
            Some((j, hs, _)) if *j == i => hs.push(h),
            _ => by_db.push((i, vec![h], path)),
        }
    }
    by_db
        .into_iter()
        .map(|(i, hs, onward)| {
            let db = &d.databases[i];
            let first = &hosts[hs[0]];
            let host = ix.node_component(first.node).label();
            let dbc = ix.owner_component(Owner::Database(i)).label();
            let mut resources = vec![db.id.clone(), ix.node_component(first.node).id];
            let others: Vec<String> = hs[1..].iter().map(|&h| ix.node_component(hosts[h].node).label()).collect();
            resources.extend(hs[1..].iter().map(|&h| ix.node_component(hosts[h].node).id));
            let (what, ip, on, port) = (db.label(), first.exposure.ip, ports(first.exposure), db.port());
            let message = if others.is_empty() {
                crate::text!(
                    "{dbc}, {what}, is exposed indirectly: the internet does not reach it, but it reaches {host} at {ip} on {on}, and {host} reaches the database on tcp {port}"
                )
            } else {
                let (n, others) = (others.len(), others.join(", "));
                crate::text!(
                    "{dbc}, {what}, is exposed indirectly: the internet does not reach it, but it reaches {host} at {ip} on {on}, and {host} reaches the database on tcp {port}; {n} other exposed host(s) reach it too: {others}"
                )
            };
            AuditFinding::new(
                AuditSeverity::Medium,
                "EXPOSED_DATABASE_INDIRECT",
                "I2",
                resources,
                message,
                crate::text!(
                    "let port {} of {} in only from the groups of the hosts that need it, not from {host}, or close {host} to the internet",
                    db.port(),
                    db.id
                ),
            )
            .with_path(first.exposure.path.clone())
            .with_onward_path(onward)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::model::builder::DesignBuilder;
    use crate::model::*;
    use crate::sim::audit::{audit, render_text, to_json};

    /// A bastion open on 22 in a public subnet, a database in a private one letting the
    /// bastion's group (or `db_peer`) in on 5432.
    fn design(from_bastion: bool) -> Design {
        let mut b = DesignBuilder::new("t", "ap-northeast-2");
        let v = b.vpc("lab", "10.0.0.0/16");
        let public = b.subnet(&v, "pub", "10.0.0.0/24", "a");
        let private = b.subnet(&v, "priv", "10.0.1.0/24", "a");
        let igw = b.igw(&v, "igw");
        let rt = b.route_table(&v, "rt-pub");
        b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
        b.associate(&rt, &public);
        let bastion_sg = b.security_group(&v, "bastion-sg");
        b.allow_in_tcp(&bastion_sg, 22, "0.0.0.0/0");
        let db_sg = b.security_group(&v, "db-sg");
        let peer = if from_bastion { SgPeer::group(bastion_sg.clone()) } else { SgPeer::Cidr(ip_net("10.9.0.0/16")) };
        b.allow_in(&db_sg, SgRule::tcp(5432, peer));
        b.database(DatabaseService::Rds, "orders", "postgres", None, &[(&private, "10.0.1.50")], &[&db_sg]);
        let bastion = b.instance(&public, "bastion", "10.0.0.10", &[&bastion_sg]);
        b.associate_eip(&bastion, "50.1.1.10");
        b.design
    }

    fn ip_net(s: &str) -> ipnet::IpNet {
        s.parse::<ipnet::Ipv4Net>().expect("cidr").into()
    }

    #[test]
    fn a_database_behind_an_exposed_host_is_reported_with_both_paths() {
        let d = design(true);
        let found = audit(&d);
        let f = found.iter().find(|f| f.code == "EXPOSED_DATABASE_INDIRECT").expect("indirect exposure");
        assert_eq!(f.resources, vec!["db-0001".to_string(), "i-0001".to_string()]);
        assert!(f.path.first().is_some_and(|h| h.starts_with("internet")), "{:?}", f.path);
        assert!(f.path.last().is_some_and(|h| h.contains("bastion")), "{:?}", f.path);
        assert!(f.onward_path.first().is_some_and(|h| h.contains("bastion")), "{:?}", f.onward_path);
        assert!(f.onward_path.last().is_some_and(|h| h.starts_with("database")), "{:?}", f.onward_path);
        let text = render_text(&found, crate::l10n::Lang::En);
        assert!(text.contains("    then: instance bastion"), "{text}");
        assert!(to_json(&found).contains("\"onward_path\""));
        // In Korean the path names the internet host in Korean (issue 16 item 9); English as before.
        let first = f.path.first().expect("a path");
        assert!(first.starts_with("internet internet host ("), "{first}");
        let ko = first.render(crate::l10n::Lang::Ko);
        assert!(ko.starts_with("인터넷 인터넷 호스트 ("), "{ko}");
    }

    #[test]
    fn a_database_the_exposed_host_cannot_reach_is_not_reported() {
        let found = audit(&design(false));
        assert!(found.iter().all(|f| f.code != "EXPOSED_DATABASE_INDIRECT"), "{found:#?}");
        // Findings without a second path keep their JSON shape.
        assert!(!to_json(&found).contains("onward_path"));
    }

    #[test]
    fn a_host_in_a_peered_vpc_counts_and_one_in_an_unjoined_vpc_does_not() {
        // The bastion moves to VPC B (10.1.0.0/16) with its own internet gateway; the database
        // lets B's range in. Joined by an active peering with routes both ways, B's bastion
        // exposes the database; without the peering it cannot reach it.
        let build = |peered: bool| {
            let mut b = DesignBuilder::new("t", "ap-northeast-2");
            let a = b.vpc("A", "10.0.0.0/16");
            let private = b.subnet(&a, "priv", "10.0.1.0/24", "a");
            let rt_a = b.route_table(&a, "rt-a");
            b.associate(&rt_a, &private);
            let db_sg = b.security_group(&a, "db-sg");
            b.allow_in_tcp(&db_sg, 5432, "10.1.0.0/16");
            b.database(DatabaseService::Rds, "orders", "postgres", None, &[(&private, "10.0.1.50")], &[&db_sg]);
            let v = b.vpc("B", "10.1.0.0/16");
            let public = b.subnet(&v, "pub-b", "10.1.0.0/24", "a");
            let igw = b.igw(&v, "igw-b");
            let rt_b = b.route_table(&v, "rt-b");
            b.route(&rt_b, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
            b.associate(&rt_b, &public);
            let sg = b.security_group(&v, "bastion-sg");
            b.allow_in_tcp(&sg, 22, "0.0.0.0/0");
            let bastion = b.instance(&public, "bastion", "10.1.0.10", &[&sg]);
            b.associate_eip(&bastion, "50.1.1.10");
            if peered {
                let p = b.peering("a-b", &a, &v, PeeringStatus::Active);
                b.route(&rt_a, "10.1.0.0/16", RouteTarget::VpcPeering(p.clone()));
                b.route(&rt_b, "10.0.0.0/16", RouteTarget::VpcPeering(p));
            }
            b.design
        };
        let indirect = |d: &Design| audit(d).into_iter().filter(|f| f.code == "EXPOSED_DATABASE_INDIRECT").count();
        assert_eq!(indirect(&build(true)), 1);
        assert_eq!(indirect(&build(false)), 0);
    }
}
