//! The hop pipeline (semantics doc, "Hop pipeline"): source ENI (SG egress, src/dst check),
//! subnet NACL outbound, route table, the target's own semantics, NACL inbound, SG inbound; then
//! the reply, with routes and NACLs evaluated again in reverse and SGs passing it (S3).
//!
//! A [`Walk`] follows one packet. Target-specific steps live in `targets/*.rs` as further
//! `impl Walk` blocks.

use super::fixes;
use super::index::{Node, TraceIndex};
use super::result::{
    Blocker, Code, Component, ComponentKind, Disposition, Header, Hop, HopAction, TraceResult, Verdict,
};
use super::routing::Rank;
pub(crate) use super::targets::state::{Inspection, Inspector};
use crate::model::{InstanceState, RouteState, RouteTarget, SgPeer};
use crate::rules::Rule;
pub(crate) use crate::sim::explain::{Beaten, Explanation, Lost, Matched};
use std::net::{IpAddr, Ipv4Addr};

mod guards;
mod text;
pub(crate) use text::*;

/// A packet's path never needs more hops than this; more means it is going round.
const MAX_HOPS: usize = 96;

/// Where a packet ended up when it was delivered, and so where its reply starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Final {
    /// Accepted by a node of the design; the reply leaves from it.
    Node(Node),
    /// Left for the internet (a host or an AWS service's public address); the reply comes
    /// back from there to the packet's (public) source.
    Internet,
    /// Reached an AWS service through a gateway endpoint; the reply comes back through it.
    GatewayEndpoint { endpoint: usize, vpc: usize },
    /// Reached an AWS service behind an interface endpoint; the reply leaves the endpoint.
    InterfaceService(Node),
    /// Left for on premises through a virtual private gateway.
    Vgw { vgw: usize, vpc: usize },
    /// Left for on premises through a transit gateway VPN attachment.
    TgwVpn { attachment: usize },
    /// Answered on the host itself: IMDS or the Amazon DNS server (X1, X2).
    Local,
    /// Reached an EKS cluster's public endpoint, outside the VPC (M9); the reply comes back
    /// over the internet.
    PublicEndpoint(usize),
}

impl Final {
    pub(crate) fn disposition(self) -> Disposition {
        match self {
            Final::Node(_) | Final::Local | Final::PublicEndpoint(_) => Disposition::Accepted,
            _ => Disposition::ExitsNetwork,
        }
    }
}

/// `None` when the packet stopped for good.
pub(crate) type Flow = Option<(Final, Header)>;

/// How the packet came into the VPC it is in (S6: group references only hold locally or
/// across a same-Region peering).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    Local,
    Peering {
        cross_region: bool,
    },
    Transit,
    /// From on premises through a virtual private gateway (T6, T8).
    Vpn,
    Gateway,
}

/// A translation to undo on the reply (NAT gateway, NAT instance, load balancer).
#[derive(Debug, Clone)]
pub(crate) struct Conn {
    /// The node the reply reaches (or, when `intercept`, the node it leaves from).
    pub at: Node,
    /// The reply is taken as it leaves `at` (load balancer that kept the client's address).
    pub intercept: bool,
    /// The reply's header when it gets there.
    pub reply_in: Header,
    /// The header after the translation is undone.
    pub reply_out: Header,
    /// Where the translated reply continues from.
    pub emit: Node,
    pub component: Component,
    pub rule: Rule,
    /// A regional NAT gateway's: the subnet whose AZ it served the request in (N9).
    pub zone: Option<usize>,
}

/// A hop about to be recorded.
pub(crate) struct Step {
    pub component: Component,
    pub action: HopAction,
    pub rule: Rule,
    pub decision: Explanation,
    pub matched: Option<Matched>,
    pub beaten: Vec<Beaten>,
    pub subnet: Option<String>,
    pub warning: Option<crate::l10n::Text>,
}

impl Step {
    pub(crate) fn new(component: Component, action: HopAction, rule: Rule, decision: impl Into<Explanation>) -> Step {
        Step {
            component,
            action,
            rule,
            decision: decision.into(),
            matched: None,
            beaten: Vec::new(),
            subnet: None,
            warning: None,
        }
    }

    /// A warning that does not stop the packet (T9).
    pub(crate) fn warn(mut self, w: Option<crate::l10n::Text>) -> Step {
        self.warning = w;
        self
    }

    /// The subnet whose edge this hop guards (network ACL hops).
    pub(crate) fn at_subnet(mut self, subnet: &str) -> Step {
        self.subnet = Some(subnet.to_string());
        self
    }

    pub(crate) fn matched(mut self, m: impl Into<Matched>) -> Step {
        self.matched = Some(m.into());
        self
    }

    pub(crate) fn beaten(mut self, b: Vec<Beaten>) -> Step {
        self.beaten = b;
        self
    }
}

/// Why a hop drops the packet.
pub(crate) struct Block {
    pub disposition: Disposition,
    pub code: Code,
    pub fix: crate::l10n::Text,
}

impl Block {
    pub(crate) fn new(disposition: Disposition, code: Code, fix: impl Into<crate::l10n::Text>) -> Block {
        Block { disposition, code, fix: fix.into() }
    }
}

/// The first drop of a walk.
#[derive(Debug, Clone)]
pub(crate) struct FirstDrop {
    pub hop: usize,
    pub disposition: Disposition,
    pub code: Code,
    pub reason: Explanation,
}

/// One packet's journey.
pub(crate) struct Walk<'w, 'a> {
    pub ix: &'w TraceIndex<'a>,
    pub reply: bool,
    pub hops: Vec<Hop>,
    pub blockers: Vec<Blocker>,
    pub first_drop: Option<FirstDrop>,
    pub conns: Vec<Conn>,
    pub step_base: u32,
    pub visits: Vec<(usize, Header)>,
    pub via: Via,
    /// Blockers that matter only if the flow ends up dropped (a DNS misconfiguration).
    pub pending: Vec<Blocker>,
    /// The egress-only internet gateway the request left through: its reply comes back in
    /// there (I5).
    pub eigw_out: Option<usize>,
    /// The HTTP Host or TLS SNI the client sends, when known (F4).
    pub host: Option<String>,
    /// The stateful inspection points the request passed, for its reply (B2, F3, T9).
    pub inspected: Vec<Inspection>,
    /// Every (attachment, subnet) a transit gateway handed the packet to a VPC through (T2,
    /// T9); the reply reuses the request's for attachments in appliance mode.
    pub transit: Vec<(usize, usize)>,
    /// The subnet whose AZ a regional NAT gateway serves the packet in, for the next route's
    /// transit gateway (T2, N9); taken by that route.
    pub nat_zone: Option<usize>,
}

impl<'w, 'a> Walk<'w, 'a> {
    pub(crate) fn new(ix: &'w TraceIndex<'a>, reply: bool, step_base: u32) -> Walk<'w, 'a> {
        Walk {
            ix,
            reply,
            hops: Vec::with_capacity(16),
            blockers: Vec::new(),
            first_drop: None,
            conns: Vec::new(),
            step_base,
            visits: Vec::new(),
            via: Via::Local,
            pending: Vec::new(),
            eigw_out: None,
            host: None,
            inspected: Vec::new(),
            transit: Vec::new(),
            nat_zone: None,
        }
    }

    fn next_step(&self) -> u32 {
        self.step_base + self.hops.len() as u32 + 1
    }

    /// Record a hop the packet passes.
    pub(crate) fn pass(&mut self, s: Step, before: Header, after: Header) -> u32 {
        let step = self.next_step();
        self.hops.push(Hop {
            step,
            component: s.component,
            action: s.action,
            decision: s.decision,
            rule: s.rule,
            matched: s.matched,
            beaten: s.beaten,
            before,
            after,
            subnet: s.subnet,
            warning: s.warning,
        });
        step
    }

    /// Record a hop that drops the packet, and its blocker. The caller decides whether to go
    /// on (to find further blockers) or stop.
    pub(crate) fn block(&mut self, mut s: Step, h: Header, b: Block) -> u32 {
        s.action = HopAction::Drop;
        let reason = s.decision.clone();
        let component = s.component.clone();
        let step = self.pass(s, h, h);
        if self.first_drop.is_none() {
            self.first_drop = Some(FirstDrop {
                hop: self.hops.len() - 1,
                disposition: b.disposition,
                code: b.code,
                reason: reason.clone(),
            });
        }
        self.blockers.push(Blocker {
            step,
            component,
            code: b.code,
            reason,
            fix: b.fix.english,
            fix_template: b.fix.template,
        });
        step
    }

    /// A blocker that stops the walk.
    pub(crate) fn stop(&mut self, s: Step, h: Header, b: Block) -> Flow {
        self.block(s, h, b);
        None
    }

    /// The design does not say enough to go on: a reference to something that is not there.
    pub(crate) fn missing(&mut self, component: Component, h: Header, what: impl Into<Explanation>) -> Flow {
        let s = Step::new(component, HopAction::Drop, Rule::A5, what);
        self.stop(
            s,
            h,
            Block::new(
                Disposition::InsufficientInfo,
                Code::UnknownResource,
                crate::text!("add the missing resource to the design, or fix the reference"),
            ),
        )
    }

    /// A packet delivered to its destination.
    pub(crate) fn deliver(&mut self, s: Step, h: Header, f: Final) -> Flow {
        self.pass(s, h, h);
        Some((f, h))
    }

    /// Whether the hop budget is spent (a loop the per-table check missed).
    fn over_budget(&self) -> bool {
        self.hops.len() > MAX_HOPS
    }

    // ---------------------------------------------------------------- sending

    /// A packet leaves a node: the flow's source, or the final destination answering.
    pub(crate) fn send(&mut self, node: Node, h: Header) -> Flow {
        let ix = self.ix;
        let comp = ix.node_component(node);
        let Some(subnet) = ix.node_subnet(node) else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::A5,
                crate::text!("its subnet is not in the design, so nothing can be said about its path"),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::InsufficientInfo,
                    Code::UnknownDestination,
                    crate::text!("place it in a subnet of the design"),
                ),
            );
        };
        if let Node::Eni(i) = node {
            if let Some(f) = self.not_running(i, &comp, h, false) {
                return f;
            }
        }
        if !self.reply {
            if let Node::Endpoint(e, _) = node {
                // X5: an endpoint never opens connections into its own VPC.
                let s = Step::new(
                    comp,
                    HopAction::Drop,
                    Rule::X5,
                    said!(crate::text!(
                        "{} is an endpoint: it answers connections but never opens one",
                        ix.d.endpoints[e].id
                    )),
                );
                return self.stop(
                    s,
                    h,
                    Block::new(
                        Disposition::DeniedOut,
                        Code::VpceIntraVpcTraffic,
                        crate::text!("start the flow from a client of the endpoint instead"),
                    ),
                );
            }
        }
        if !self.reply {
            let s =
                Step::new(comp.clone(), HopAction::Send, Rule::X4, Explanation::Sends { who: comp.label(), flow: h });
            self.pass(s, h, h);
            if let Some(flow) = self.local_service(node, subnet, h) {
                return flow;
            }
        }
        let vpc = ix.vpc_of(subnet);
        let groups: &[usize] = match node {
            Node::Eni(i) => &ix.eni_sgs[i],
            Node::Endpoint(e, _) => &ix.ep_sgs[e],
            Node::Lb(l, _) => &ix.lb_sgs[l],
            Node::Managed(j) => &ix.managed.nodes[j].sgs,
            Node::Nat(_) | Node::Firewall(..) => &[],
        };
        if self.reply {
            let s = Step::new(
                comp.clone(),
                HopAction::Reply,
                Rule::S3,
                Explanation::AnswersStateful { who: comp.label(), to: h },
            );
            self.pass(s, h, h);
        } else if matches!(node, Node::Eni(_) | Node::Managed(_)) || !groups.is_empty() {
            if let Some(v) = vpc {
                self.security_groups(node, groups, true, v, h);
            }
        }
        if let Node::Eni(i) = node {
            if !ix.node_owns(node, h.src) {
                // A failed check is recorded; the walk goes on to find further blockers.
                self.source_check(i, h, true);
            }
        }
        self.leave(subnet, Some(node), h)
    }

    // ---------------------------------------------------------------- routing

    /// A packet leaves a subnet: switched within it (R8, X3, L5), or routed by its table.
    pub(crate) fn leave(&mut self, subnet: usize, from: Option<Node>, h: Header) -> Flow {
        let ix = self.ix;
        let sn = &ix.d.subnets[subnet];
        let Some(vpc) = ix.vpc_of(subnet) else {
            let s = Step::new(
                Component::new(ComponentKind::Subnet, sn.id.clone(), sn.name.clone()),
                HopAction::Drop,
                Rule::A5,
                said!(crate::text!("{} belongs to no VPC of the design", sn.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::InsufficientInfo,
                    Code::UnknownDestination,
                    crate::text!("put the subnet in a VPC"),
                ),
            );
        };
        if from.is_some() {
            // A node of this VPC sends it on: from here the source is local (S6).
            self.via = Via::Local;
        }
        if sn.contains_addr(h.dst) {
            let s = Step::new(
                Component::new(ComponentKind::Subnet, sn.id.clone(), sn.name.clone()),
                HopAction::Switch,
                Rule::X3,
                Explanation::Switched { dst: h.dst, subnet: sn.id.clone() },
            );
            self.pass(s, h, h);
            return self.arrive_local(vpc, h, Some(subnet));
        }
        let Some(rt) = ix.subnet_rt[subnet] else {
            let s = Step::new(
                Component::new(ComponentKind::Subnet, sn.id.clone(), sn.name.clone()),
                HopAction::Drop,
                Rule::R1,
                Explanation::NoRouteTable { subnet: sn.id.clone() },
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::NoRouteToDestination,
                    said!(crate::text!("associate a route table with {}", sn.id)),
                ),
            );
        };
        self.route(rt, vpc, Some(subnet), from, h)
    }

    /// R3, R4: look the destination up in a route table and follow the winner. `from_subnet`
    /// is where the packet comes from (its NACL outbound applies unless the next hop is in it).
    pub(crate) fn route(
        &mut self,
        rt: usize,
        vpc: usize,
        from_subnet: Option<usize>,
        from: Option<Node>,
        h: Header,
    ) -> Flow {
        let ix = self.ix;
        let table = &ix.tables[rt];
        let rtb = &ix.d.route_tables[rt];
        let comp = Component::new(ComponentKind::RouteTable, rtb.id.clone(), rtb.name.clone());
        if self.visits.contains(&(rt, h)) || self.over_budget() {
            let s = Step::new(comp, HopAction::Drop, Rule::R3, Explanation::RoutingLoop { table: rtb.id.clone() });
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::Loop,
                    Code::RoutingLoop,
                    said!(crate::text!("change the routes of {} so the packet does not come back", rtb.id)),
                ),
            );
        }
        self.visits.push((rt, h));
        let mut exclude: [&str; 2] = ["", ""];
        match from {
            Some(Node::Nat(i)) => exclude[0] = &ix.d.nat_gateways[i].id,
            Some(Node::Eni(i)) => {
                exclude[0] = &ix.d.network_interfaces[i].id;
                if let Some(ii) = ix.eni_instance[i] {
                    exclude[1] = &ix.d.instances[ii].id;
                }
            }
            _ => {}
        }
        let look = table.lookup(h.dst, &exclude);
        let beaten: Vec<Beaten> = said!(look
            .beaten
            .iter()
            .map(|(e, why)| Beaten { route: Matched::Route(table.quoted(*e)), why: Lost::Route(*why) })
            .collect());
        let Some(win) = look.winner else {
            if let Some(s) = from_subnet {
                self.network_acl(s, true, h);
            }
            let points_back = look.beaten.iter().any(|(_, w)| *w == crate::sim::LostBecause::PointsBack);
            let decision = Explanation::NoRoute { table: rtb.id.clone(), dst: h.dst, points_back };
            let fix = said!(fixes::no_route(ix, rt, vpc, &h));
            let s = Step::new(comp, HopAction::Drop, Rule::R3, decision).beaten(beaten);
            return self.stop(s, h, Block::new(Disposition::NoRoute, Code::NoRouteToDestination, fix));
        };
        let route = table.route(win);
        let (_, entry) = table.entry(win);
        let next_subnet = match &route.target {
            RouteTarget::Local => ix.subnet_holding(vpc, h.dst),
            t => ix.target_node(t).and_then(|n| ix.node_subnet(n)),
        };
        if let Some(s) = from_subnet {
            if next_subnet != Some(s) {
                self.network_acl(s, true, h);
            }
        }
        let rule = match entry.rank {
            Rank::PrefixList => Rule::G3,
            Rank::Propagated => Rule::T6,
            Rank::Local => Rule::R2,
            Rank::StaticCidr => Rule::R3,
        };
        let longest = !look.beaten.is_empty();
        let matched: Matched = said!(Matched::Route(table.quoted(win)));
        if route.state == RouteState::Blackhole {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::R6,
                Explanation::RouteBlackhole {
                    table: rtb.id.clone(),
                    dst: h.dst,
                    target: route.target.clone(),
                    longest,
                },
            )
            .matched(matched)
            .beaten(beaten);
            let fix = said!(fixes::blackhole(ix, rtb, route));
            return self.stop(s, h, Block::new(Disposition::NullRouted, Code::BadStateRoute, fix));
        }
        let decision =
            Explanation::RouteSends { table: rtb.id.clone(), dst: h.dst, target: route.target.clone(), longest };
        self.pass(Step::new(comp, HopAction::Route, rule, decision).matched(matched).beaten(beaten), h, h);
        let target = route.target.clone();
        self.follow_target(&target, rt, vpc, from_subnet, h)
    }

    /// Hand the packet to a route's target (R5).
    fn follow_target(&mut self, t: &RouteTarget, rt: usize, vpc: usize, from_subnet: Option<usize>, h: Header) -> Flow {
        let ix = self.ix;
        let zone = self.nat_zone.take();
        match t {
            RouteTarget::Local => self.arrive_local(vpc, h, from_subnet),
            RouteTarget::InternetGateway(id) => self.igw_egress(id, vpc, h),
            RouteTarget::NatGateway(_) | RouteTarget::Instance(_) | RouteTarget::NetworkInterface(_) => {
                match ix.target_node(t) {
                    Some(n) => self.arrive(n, from_subnet, h),
                    None => self.gone(rt, t, h),
                }
            }
            RouteTarget::VpcPeering(id) => self.peering(id, vpc, h),
            // F1, B2: a firewall or Gateway Load Balancer endpoint is reached at its interface.
            RouteTarget::GatewayEndpoint(id) => match ix.target_node(t) {
                Some(n) => self.arrive(n, from_subnet, h),
                None => self.gateway_endpoint(id, vpc, h),
            },
            RouteTarget::TransitGateway(id) => self.transit_gateway(id, vpc, from_subnet.or(zone), h),
            RouteTarget::VpnGateway(id) => self.vpn_gateway(id, vpc, h),
            RouteTarget::EgressOnlyInternetGateway(id) => self.eigw_egress(id, vpc, h),
            RouteTarget::Unknown(_) => self.gone(rt, t, h),
        }
    }

    /// R6: a route names a target `id` of `kind` that is not in the design (deleted), so the
    /// route is a blackhole; `fix` says what to do instead.
    pub(crate) fn deleted_target(
        &mut self,
        kind: ComponentKind,
        id: &str,
        fix: impl Into<crate::l10n::Text>,
        h: Header,
    ) -> Flow {
        let s = Step::new(
            Component::new(kind, id, ""),
            HopAction::Drop,
            Rule::R6,
            Explanation::TargetDeleted { id: id.to_string() },
        );
        self.stop(s, h, Block::new(Disposition::NullRouted, Code::BadStateRoute, fix))
    }

    /// R6: a route whose target is not in the design is a blackhole.
    pub(crate) fn gone(&mut self, rt: usize, t: &RouteTarget, h: Header) -> Flow {
        let rtb = &self.ix.d.route_tables[rt];
        let s = Step::new(
            Component::new(ComponentKind::RouteTable, rtb.id.clone(), rtb.name.clone()),
            HopAction::Drop,
            Rule::R6,
            Explanation::RouteTargetGone { target: t.clone() },
        );
        self.stop(
            s,
            h,
            Block::new(
                Disposition::NullRouted,
                Code::BadStateRoute,
                said!(crate::text!("point the route of {} at an existing target, or remove it", rtb.id)),
            ),
        )
    }

    // ---------------------------------------------------------------- arriving

    /// Local delivery inside a VPC (R2): to the node holding the destination address.
    pub(crate) fn arrive_local(&mut self, vpc: usize, h: Header, from_subnet: Option<usize>) -> Flow {
        let ix = self.ix;
        if let Some(&n) = ix.by_private.get(&(vpc, h.dst)) {
            return self.arrive(n, from_subnet, h);
        }
        let v = &ix.d.vpcs[vpc];
        if h.dst == IpAddr::V4(v.dns_server()) {
            let s = Step::new(
                Component::new(ComponentKind::AmazonDns, h.dst.to_string(), "Amazon DNS server"),
                HopAction::Drop,
                Rule::X2,
                said!(crate::text!(
                    "{} is the Amazon DNS server of {}, which answers only its own VPC's instances (X2, P8)",
                    h.dst,
                    v.id
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::NoPossibleDestination,
                    crate::text!("query the DNS server of the client's own VPC"),
                ),
            );
        }
        let s = Step::new(
            Component::new(ComponentKind::Vpc, v.id.clone(), v.name.clone()),
            HopAction::Drop,
            Rule::R2,
            Explanation::NoInterfaceAt { vpc: v.id.clone(), addr: h.dst },
        );
        self.stop(
            s,
            h,
            Block::new(
                Disposition::NeighborUnreachable,
                Code::UnknownDestination,
                said!(crate::text!("send to an address in use in {}", v.id)),
            ),
        )
    }

    /// A packet reaches a node: its subnet's NACL inbound when it comes from another subnet or
    /// from outside (L2, L5), then the node's own semantics.
    pub(crate) fn arrive(&mut self, node: Node, from_subnet: Option<usize>, h: Header) -> Flow {
        let ix = self.ix;
        let Some(subnet) = ix.node_subnet(node) else {
            if let Node::Nat(n) = node {
                if ix.nat_vpc[n].is_some() {
                    return self.at_regional_nat(n, from_subnet, h);
                }
            }
            let s = Step::new(
                ix.node_component(node),
                HopAction::Drop,
                Rule::A5,
                crate::text!("its subnet is not in the design"),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::InsufficientInfo,
                    Code::UnknownDestination,
                    crate::text!("place it in a subnet of the design"),
                ),
            );
        };
        if from_subnet != Some(subnet) {
            self.network_acl(subnet, false, h);
        }
        self.at_node(node, subnet, h)
    }

    fn at_node(&mut self, node: Node, subnet: usize, h: Header) -> Flow {
        if self.reply {
            if let Some(c) = self.conns.iter().find(|c| !c.intercept && c.at == node && c.reply_in == h).cloned() {
                return self.undo(c);
            }
        }
        match node {
            Node::Eni(i) => self.at_eni(i, subnet, h),
            Node::Endpoint(e, _) if self.ix.d.endpoints[e].kind == crate::model::EndpointKind::GatewayLoadBalancer => {
                self.at_gwlb_endpoint(e, subnet, h)
            }
            Node::Firewall(f, k) => self.at_firewall(f, k, subnet, h),
            Node::Endpoint(e, k) => self.at_endpoint(e, k, subnet, h),
            Node::Nat(i) => self.at_nat(i, Some(subnet), None, h),
            Node::Lb(l, k) => self.at_load_balancer(l, k, subnet, h, None),
            Node::Managed(j) => self.at_managed(j, subnet, h),
        }
    }

    /// X4: an instance that is not running neither sends nor answers; the drop at its interface
    /// (`verb` says which), or `None` when it runs (or the interface has no instance).
    fn not_running(&mut self, eni: usize, comp: &Component, h: Header, answers: bool) -> Option<Flow> {
        let ix = self.ix;
        let inst = ix.eni_instance[eni].map(|x| &ix.d.instances[x])?;
        if inst.state == InstanceState::Running {
            return None;
        }
        let s = Step::new(
            comp.clone(),
            HopAction::Drop,
            Rule::X4,
            Explanation::NotRunning { instance: inst.id.clone(), state: inst.state, answers },
        );
        Some(self.stop(
            s,
            h,
            Block::new(Disposition::NeighborUnreachable, Code::BadState, said!(crate::text!("start {}", inst.id))),
        ))
    }

    fn at_eni(&mut self, eni: usize, subnet: usize, h: Header) -> Flow {
        let ix = self.ix;
        let node = Node::Eni(eni);
        let comp = ix.node_component(node);
        if let Some(f) = self.not_running(eni, &comp, h, true) {
            return f;
        }
        if !ix.node_owns(node, h.dst) {
            return self.nat_instance(eni, subnet, h);
        }
        if self.reply {
            let s =
                Step::new(comp.clone(), HopAction::Deliver, Rule::S3, Explanation::ReceivesReply { who: comp.label() });
            return self.deliver(s, h, Final::Node(node));
        }
        if let Some(vpc) = ix.vpc_of(subnet) {
            self.security_groups(node, &ix.eni_sgs[eni], false, vpc, h);
        }
        let s =
            Step::new(comp.clone(), HopAction::Deliver, Rule::S2, Explanation::Receives { who: comp.label(), flow: h });
        self.deliver(s, h, Final::Node(node))
    }

    /// Undo a translation on the reply (N4, N8, E9) and go on from where it continues.
    pub(crate) fn undo(&mut self, c: Conn) -> Flow {
        let ix = self.ix;
        let s = Step::new(
            c.component.clone(),
            HopAction::Nat,
            c.rule,
            Explanation::TranslatesBack { who: c.component.label(), from: c.reply_in, to: c.reply_out },
        );
        self.pass(s, c.reply_in, c.reply_out);
        let h = c.reply_out;
        // M11: a proxy answers from a node another load balancer forwarded to keeping the
        // client's address (an ALB behind an NLB's alb target group): that one translates next.
        if !c.intercept {
            if let Some(next) = self.conns.iter().find(|x| x.intercept && x.at == c.emit && x.reply_in == h).cloned() {
                return self.undo(next);
            }
        }
        if let Node::Nat(n) = c.emit {
            if let (None, Some(vpc)) = (ix.nat_subnet[n], ix.nat_vpc[n]) {
                return self.regional_nat_route(n, vpc, c.zone, h);
            }
        }
        let Some(subnet) = ix.node_subnet(c.emit) else {
            return self.missing(ix.node_component(c.emit), h, crate::text!("its subnet is not in the design"));
        };
        if let Node::Eni(i) = c.emit {
            if !ix.node_owns(c.emit, h.src) {
                self.source_check(i, h, true);
            }
        }
        self.leave(subnet, Some(c.emit), h)
    }

    // ---------------------------------------------------------------- replies

    /// Start the reply from where the request ended. `h` is the reply's header.
    pub(crate) fn start_reply(&mut self, f: Final, h: Header) -> Flow {
        let ix = self.ix;
        match f {
            Final::Node(n) => {
                if let Some(c) = self.conns.iter().find(|c| c.intercept && c.at == n && c.reply_in == h).cloned() {
                    let comp = ix.node_component(n);
                    let s = Step::new(
                        comp.clone(),
                        HopAction::Reply,
                        Rule::S3,
                        Explanation::AnswersOwnGroups { who: comp.label(), to: h },
                    );
                    self.pass(s, h, h);
                    return self.undo(c);
                }
                self.send(n, h)
            }
            Final::Local => {
                let s = Step::new(
                    Component::new(ComponentKind::Host, h.src.to_string(), "answered on the host"),
                    HopAction::Deliver,
                    Rule::X1,
                    Explanation::AnswersOnHost { addr: h.src },
                );
                self.deliver(s, h, Final::Local)
            }
            Final::Internet => {
                let s = Step::new(
                    internet_component(ix, h.src),
                    HopAction::Reply,
                    if h.is_ipv6() { Rule::I5 } else { Rule::I3 },
                    Explanation::Answers { from: h.src, to: h },
                );
                self.pass(s, h, h);
                self.via = Via::Gateway;
                if h.is_ipv6() {
                    self.ingress_v6(h)
                } else {
                    self.igw_ingress(h)
                }
            }
            Final::PublicEndpoint(c) => self.public_endpoint_reply(c, h),
            Final::GatewayEndpoint { endpoint, vpc } => {
                let e = &ix.d.endpoints[endpoint];
                let s = Step::new(
                    service_component(ix, h.src),
                    HopAction::Reply,
                    Rule::G3,
                    Explanation::ServiceAnswers { to: h },
                );
                self.pass(s, h, h);
                let s = Step::new(
                    Component::new(ComponentKind::VpcEndpoint, e.id.clone(), e.name.clone()),
                    HopAction::Forward,
                    Rule::G3,
                    Explanation::EndpointBringsBack { endpoint: e.id.clone(), vpc: ix.d.vpcs[vpc].id.clone() },
                );
                self.pass(s, h, h);
                self.via = Via::Gateway;
                self.arrive_local(vpc, h, None)
            }
            Final::InterfaceService(n) => {
                let svc = match n {
                    Node::Endpoint(e, _) => endpoint_service_component(ix, e),
                    _ => service_component(ix, h.src),
                };
                let s =
                    Step::new(svc, HopAction::Reply, Rule::E3, Explanation::ServiceAnswersThroughEndpoint { to: h });
                self.pass(s, h, h);
                self.send(n, h)
            }
            Final::Vgw { vgw, vpc } => {
                let s = Step::new(
                    on_premises_component(h.src),
                    HopAction::Reply,
                    Rule::T6,
                    Explanation::OnPremisesAnswers { from: h.src, to: h },
                );
                self.pass(s, h, h);
                self.vgw_ingress(vgw, vpc, h)
            }
            Final::TgwVpn { attachment } => {
                let s = Step::new(
                    on_premises_component(h.src),
                    HopAction::Reply,
                    Rule::T6,
                    Explanation::OnPremisesAnswers { from: h.src, to: h },
                );
                self.pass(s, h, h);
                let tgw = ix.tgw_ix.get(ix.d.tgw_attachments[attachment].tgw.as_str()).copied();
                match tgw {
                    Some(t) => self.tgw_route(t, attachment, h, None),
                    None => self.missing(
                        on_premises_component(h.src),
                        h,
                        crate::text!("the attachment's transit gateway is not in the design"),
                    ),
                }
            }
        }
    }
}
