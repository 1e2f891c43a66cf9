//! A trace on the picture: which box (or line) each hop of a [`TraceResult`] happened at, and
//! the legs the packet travels between boxes. The trace engine's result is the only input:
//! nothing here decides anything about the packet, it only finds where the engine's hops are.
//!
//! A hop at a resource with a box (a NAT gateway, an internet gateway, a transit gateway, a
//! subnet, a VPC) is at that box; at an instance, network interface or load balancer it is at
//! the subnet of the interface or node whose address the packet carries; at a peering it
//! crosses the peering's line. Security groups, network ACLs, route tables and DNS have no box:
//! such a hop is where the packet is, except on the way in (after a route table sent it on, or
//! after a gateway), where it is at the next place the packet reaches — so a network ACL's
//! check on the way into a NAT gateway's subnet is drawn at the NAT gateway, and the packet
//! goes straight from the private subnet to the NAT gateway and on to the internet gateway.

use super::scene::{EdgeId, EdgeKind, NodeId, NodeKind, Scene};
use crate::model::Design;
use crate::sim::{ComponentKind, Hop, TraceResult};
use std::net::IpAddr;

/// Where one hop happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepAt {
    /// The hop's step number (as the trace numbers it).
    pub step: u32,
    /// The box the hop happened at; `None` when it is outside the picture or crosses a line.
    pub at: Option<NodeId>,
    /// The line the hop crosses (a peering).
    pub via: Option<EdgeId>,
    /// The hop belongs to the reply.
    pub reply: bool,
    /// The flow was dropped here.
    pub dropped: bool,
}

/// The packet moving from one box to another; `step` is the first hop at `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    pub from: NodeId,
    pub to: NodeId,
    pub step: u32,
    /// The line crossed on the way (a peering), if any.
    pub via: Option<EdgeId>,
    pub reply: bool,
}

/// A trace laid over a scene.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TracePath {
    /// One entry per hop, forward then reply, in step order.
    pub steps: Vec<StepAt>,
    /// The moves between boxes, in order.
    pub legs: Vec<Leg>,
}

impl TracePath {
    /// Steps whose hop is outside the picture (a `--vpc`/`--region` restriction left its box out).
    pub fn unplaced(&self) -> impl Iterator<Item = &StepAt> {
        self.steps.iter().filter(|s| s.at.is_none() && s.via.is_none())
    }

    /// The step numbers of the hops at a box, in order.
    pub fn steps_at(&self, n: NodeId) -> Vec<u32> {
        self.steps.iter().filter(|s| s.at == Some(n)).map(|s| s.step).collect()
    }
}

/// What a hop's component is, for placing it.
enum Class {
    /// A box of its own.
    At(NodeId),
    /// Crossing a line.
    Via(EdgeId),
    /// A route table: where the packet is, and from here on it is on its way in elsewhere.
    Routing,
    /// A group, an ACL, DNS …: where the packet is, or on the way in where it arrives.
    Attached,
    /// A box the picture does not have.
    Outside,
}

/// Place a trace's hops on a scene of the same design.
pub fn place_trace(scene: &Scene, d: &Design, result: &TraceResult) -> TracePath {
    let hops: Vec<(&Hop, bool)> =
        result.forward.iter().map(|h| (h, false)).chain(result.return_path.iter().map(|h| (h, true))).collect();
    let mut last: Option<NodeId> = None;
    let classes: Vec<Class> = hops
        .iter()
        .map(|(h, _)| {
            let c = classify(scene, d, h, last);
            if let Class::At(n) = c {
                last = Some(n);
            }
            c
        })
        .collect();
    let stop = result.stop_hop().map(|h| h.step);
    let in_subnet = |n: NodeId| scene.ancestor(n, |k| matches!(k, NodeKind::Subnet(_))).is_some();
    let mut steps = Vec::with_capacity(hops.len());
    let mut prev: Option<NodeId> = None;
    let mut inbound = false;
    for (i, (h, reply)) in hops.iter().enumerate() {
        let (at, via) = match classes[i] {
            Class::At(n) => {
                prev = Some(n);
                inbound = false;
                (Some(n), None)
            }
            Class::Via(e) => {
                inbound = true;
                (None, Some(e))
            }
            Class::Routing => {
                inbound = true;
                (prev, None)
            }
            Class::Outside => (None, None),
            Class::Attached => {
                let arriving = inbound || prev.is_none_or(|p| !in_subnet(p));
                let next = classes[i + 1..].iter().find_map(|c| match c {
                    Class::At(n) => Some(*n),
                    _ => None,
                });
                let at = match (arriving, next) {
                    (true, Some(n)) => Some(n),
                    (true, None) => subnet_holding(scene, d, h.before.dst).or(prev),
                    (false, _) => prev,
                };
                (at, None)
            }
        };
        steps.push(StepAt { step: h.step, at, via, reply: *reply, dropped: stop == Some(h.step) });
    }
    let mut legs = Vec::new();
    let mut cur: Option<NodeId> = None;
    let mut via: Option<EdgeId> = None;
    for s in &steps {
        if s.via.is_some() {
            via = s.via;
        }
        let Some(n) = s.at else { continue };
        match cur {
            Some(c) if c != n => {
                legs.push(Leg { from: c, to: n, step: s.step, via: via.take(), reply: s.reply });
            }
            _ => {}
        }
        cur = Some(n);
    }
    TracePath { steps, legs }
}

/// The AWS services box of the region the packet is in, else the first one.
fn aws_services(scene: &Scene, prev: Option<NodeId>) -> Option<NodeId> {
    let region = prev.and_then(|p| scene.ancestor(p, |k| k == NodeKind::Region));
    let of_region = region
        .and_then(|r| scene.nodes[r].children.iter().copied().find(|&c| scene.nodes[c].kind == NodeKind::AwsServices));
    of_region.or_else(|| scene.nodes.iter().position(|n| n.kind == NodeKind::AwsServices))
}

/// Where a hop's component is, by its kind; `prev` is the box of the last hop placed.
fn classify(scene: &Scene, d: &Design, h: &Hop, prev: Option<NodeId>) -> Class {
    let id = h.component.id.as_str();
    let addrs = [h.before.src, h.before.dst, h.after.src, h.after.dst];
    let placed = |n: Option<NodeId>| n.map_or(Class::Outside, Class::At);
    match h.component.kind {
        ComponentKind::Internet => placed(scene.by_key("internet")),
        ComponentKind::AwsService => placed(aws_services(scene, prev).or_else(|| scene.by_key("internet"))),
        ComponentKind::OnPremises => placed(on_premises(scene, d, h)),
        ComponentKind::RouteTable | ComponentKind::TgwRouteTable => Class::Routing,
        ComponentKind::SecurityGroup
        | ComponentKind::NetworkAcl
        | ComponentKind::EndpointService
        | ComponentKind::Dns
        | ComponentKind::AmazonDns
        | ComponentKind::Imds
        | ComponentKind::LinkLocal
        | ComponentKind::Host
        | ComponentKind::FirewallPolicy
        | ComponentKind::FirewallRuleGroup => Class::Attached,
        // F1: a firewall is drawn at the endpoint the packet passes, in its firewall subnet.
        ComponentKind::NetworkFirewall => {
            placed(h.subnet.as_deref().and_then(|s| scene.by_key(s)).or_else(|| scene.locate(id)))
        }
        ComponentKind::VpcPeering => match scene.edge_of_resource(id) {
            Some(e) if scene.edges[e].kind == EdgeKind::Peering => Class::Via(e),
            _ => Class::Outside,
        },
        ComponentKind::Instance => {
            // The interface whose address the packet carries, else the primary one.
            let enis = d.instance_interfaces(id);
            let eni = enis.iter().find(|e| e.addresses().any(|ip| addrs.contains(&ip))).or(enis.first());
            placed(eni.and_then(|e| scene.locate(&e.id)))
        }
        ComponentKind::VpcEndpoint => match d.endpoint(id) {
            Some(e) if !e.interfaces.is_empty() => {
                let itf = e.interfaces.iter().find(|i| addrs.contains(&IpAddr::V4(i.ip))).unwrap_or(&e.interfaces[0]);
                placed(scene.by_key(&format!("{}@{}", e.id, itf.subnet)))
            }
            _ => placed(scene.by_key(id)),
        },
        ComponentKind::LoadBalancer => {
            let node = d.load_balancer(id).and_then(|l| {
                l.nodes.iter().find(|n| {
                    addrs.contains(&IpAddr::V4(n.private_ip))
                        || n.public_ip.is_some_and(|p| addrs.contains(&IpAddr::V4(p)))
                })
            });
            placed(node.and_then(|n| scene.by_key(&n.subnet)).or_else(|| scene.locate(id)))
        }
        ComponentKind::Database
        | ComponentKind::LambdaFunction
        | ComponentKind::EcsTask
        | ComponentKind::EksCluster => {
            // Managed services are drawn through their subnets: the interface whose address the
            // packet carries; an EKS cluster's public endpoint is out on the internet (M9).
            let ifaces = d.find_service(id).map(|s| s.interfaces()).unwrap_or(&[]);
            let itf = ifaces.iter().find(|i| {
                addrs.contains(&IpAddr::V4(i.ip)) || i.public_ip.is_some_and(|p| addrs.contains(&IpAddr::V4(p)))
            });
            match itf {
                Some(i) => placed(scene.by_key(&i.subnet)),
                None => placed(scene.by_key("internet")),
            }
        }
        ComponentKind::NetworkInterface
        | ComponentKind::Subnet
        | ComponentKind::Vpc
        | ComponentKind::InternetGateway
        | ComponentKind::EgressOnlyInternetGateway
        | ComponentKind::NatGateway
        | ComponentKind::TransitGateway
        | ComponentKind::VpnGateway => placed(scene.locate(id)),
    }
}

/// The customer gateway of the VPN whose on-premises routes hold the host, else the only one.
fn on_premises(scene: &Scene, d: &Design, h: &Hop) -> Option<NodeId> {
    let host = [h.before.dst, h.before.src];
    d.vpn_connections
        .iter()
        .find(|c| c.routes.iter().any(|r| host.iter().any(|a| matches!(a, IpAddr::V4(a) if r.contains(a)))))
        .and_then(|c| scene.by_key(&c.customer_gateway))
        .or_else(|| {
            let mut cgws = scene.roots.iter().filter(|&&r| scene.nodes[r].kind == NodeKind::CustomerGateway);
            match (cgws.next(), cgws.next()) {
                (Some(&only), None) => Some(only),
                _ => None,
            }
        })
}

/// The drawn subnet holding an address.
fn subnet_holding(scene: &Scene, d: &Design, ip: IpAddr) -> Option<NodeId> {
    d.subnets.iter().filter(|s| s.contains_addr(ip)).find_map(|s| scene.by_key(&s.id))
}
