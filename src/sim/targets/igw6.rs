//! IPv6 and the internet (I5): the internet gateway forwards IPv6 with no translation (an
//! interface's IPv6 address is global, so public by default), and the egress-only internet
//! gateway lets a VPC's interfaces open IPv6 connections out, and their replies back in, while
//! nothing the internet starts gets in through it.
//!
//! Inbound IPv6 from the internet reaches a VPC through its internet gateway, whatever the
//! subnet's route table says; the route table decides the reply's way out. A reply routed to an
//! egress-only gateway is refused there, because the connection was not started inside the VPC:
//! that is how a subnet routing `::/0` to an egress-only gateway stays unreachable from the
//! internet even in a VPC that also has an internet gateway (AWS: "prevents the internet from
//! initiating an IPv6 connection with your instances"; the refusal of the reply is an inference
//! from that statement and the gateway being stateful).

use crate::net::{classify_ipv6, Ipv6Class};
use crate::rules::Rule;
use crate::sim::engine::{internet_component, Block, Flow, Step, Via, Walk};
use crate::sim::result::{Code, Component, ComponentKind, Disposition, Header, HopAction};
use crate::sim::targets::igw::{Direction, Gateway};
use std::net::IpAddr;

/// The IPv6 class of a packet's address (IPv4 addresses are `GlobalUnicast` here).
fn class(ip: IpAddr) -> Ipv6Class {
    match ip {
        IpAddr::V6(a) => classify_ipv6(a),
        IpAddr::V4(_) => Ipv6Class::GlobalUnicast,
    }
}

impl Walk<'_, '_> {
    fn eigw_component(&self, g: usize) -> Component {
        let e = &self.ix.d.egress_only_internet_gateways[g];
        Component::new(ComponentKind::EgressOnlyInternetGateway, e.id.clone(), e.name.clone())
    }

    /// I5: an IPv6 packet leaving through an internet gateway keeps its addresses. `comp` is
    /// the gateway, already checked to be attached to `vpc`.
    pub(crate) fn igw_egress_v6(&mut self, comp: Component, vpc: usize, h: Header) -> Flow {
        let id = comp.id.clone();
        if let Some(flow) = self.v6_egress_checks(&comp, vpc, h) {
            return flow;
        }
        let s = Step::new(
            comp,
            HopAction::Forward,
            Rule::I5,
            said!(crate::text!(
                "{id} forwards the IPv6 packet unchanged: {} is the interface's own global address, IPv6 has no NAT (I5)",
                h.src
            )),
        );
        self.pass(s, h, h);
        self.internet(h)
    }

    /// What both gateways refuse for IPv6: destinations the internet does not route, and
    /// sources that are no interface of the VPC (X5).
    fn v6_egress_checks(&mut self, comp: &Component, vpc: usize, h: Header) -> Option<Flow> {
        let ix = self.ix;
        let c = class(h.dst);
        if !c.internet_routable() {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::I5,
                said!(crate::text!(
                    "{} does not send to {}, {} address the internet does not route",
                    comp.id,
                    h.dst,
                    c.article_name()
                )),
            );
            return Some(self.stop(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::NoPossibleDestination,
                    said!(crate::text!("send to a global address, not {}", h.dst)),
                ),
            ));
        }
        if !ix.by_private.contains_key(&(vpc, h.src)) {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::X5,
                said!(crate::text!(
                    "{} drops a packet from {}, which is no address of {} (spoofed source)",
                    comp.id,
                    h.src,
                    ix.d.vpcs[vpc].id
                )),
            );
            return Some(self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedOut,
                    Code::GatewayRejectsSpoofedTraffic,
                    crate::text!("send from an interface's own IPv6 address"),
                ),
            ));
        }
        None
    }

    /// A route sends the packet to an egress-only internet gateway (I5).
    pub(crate) fn eigw_egress(&mut self, id: &str, vpc: usize, h: Header) -> Flow {
        let ix = self.ix;
        let vpc_id = &ix.d.vpcs[vpc].id;
        let Some(&g) = ix.eigw_ix.get(id) else {
            return self.deleted_target(
                ComponentKind::EgressOnlyInternetGateway,
                id,
                crate::text!("create an egress-only internet gateway in {vpc_id} and route to it"),
                h,
            );
        };
        let comp = self.eigw_component(g);
        if ix.d.egress_only_internet_gateways[g].vpc != *vpc_id {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::I5,
                said!(crate::text!("{id} belongs to another VPC, not {vpc_id}")),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NullRouted,
                    Code::BadStateRoute,
                    said!(crate::text!("route to {vpc_id}'s own egress-only gateway")),
                ),
            );
        }
        if !h.is_ipv6() {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::I5,
                said!(crate::text!(
                    "{id} is an egress-only internet gateway: it carries IPv6 only, and this packet is IPv4"
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::CannotRoute,
                    crate::text!("route IPv4 through an internet gateway or a NAT gateway"),
                ),
            );
        }
        self.block_public_access(&comp, Gateway::EgressOnly, Direction::Out, h);
        if self.reply {
            // The request came in from the internet (through the internet gateway): this
            // gateway keeps no connection for it, and refuses the answer.
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::I5,
                said!(crate::text!("{id} lets out only connections started inside {vpc_id}; this packet answers one the internet started, so it is dropped: nothing on the internet can open a connection to an interface behind an egress-only gateway")),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::EigwUnsolicitedInbound,
                    crate::text!("to serve the internet over IPv6, route the subnet's ::/0 to the internet gateway (a public subnet); to keep it private, leave it and start connections from inside"),
                ),
            );
        }
        if let Some(flow) = self.v6_egress_checks(&comp, vpc, h) {
            return flow;
        }
        let s = Step::new(
            comp,
            HopAction::Forward,
            Rule::I5,
            said!(crate::text!("{id} sends the IPv6 packet to the internet unchanged and remembers the connection, so its replies may come back in (stateful, outbound only)")),
        );
        self.pass(s, h, h);
        self.eigw_out = Some(g);
        self.internet(h)
    }

    /// An IPv6 packet from the internet arrives at the VPC holding its destination (I5):
    /// through the egress-only gateway if it answers a connection that went out there, else
    /// through the internet gateway with no translation.
    pub(crate) fn ingress_v6(&mut self, h: Header) -> Flow {
        let ix = self.ix;
        self.via = Via::Gateway;
        let Some(v) = ix.vpc_holding(h.dst) else {
            return self.internet_only(h);
        };
        let vpc = &ix.d.vpcs[v];
        if self.reply {
            if let Some(g) = self.eigw_out.filter(|&g| ix.vpc_eigw[v] == Some(g)) {
                let s = Step::new(
                    self.eigw_component(g),
                    HopAction::Forward,
                    Rule::I5,
                    said!(crate::text!(
                        "{} matches the reply to the connection {} opened and lets it in",
                        ix.d.egress_only_internet_gateways[g].id,
                        h.dst
                    )),
                );
                self.pass(s, h, h);
                return self.arrive_local(v, h, None);
            }
        }
        let c = class(h.src);
        if !c.internet_routable() {
            let s = Step::new(
                internet_component(ix, h.src),
                HopAction::Drop,
                Rule::I5,
                said!(crate::text!("{} is {} address, which the internet does not carry", h.src, c.article_name())),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::NoPossibleDestination,
                    crate::text!("send from a global address"),
                ),
            );
        }
        let Some(g) = ix.vpc_igw[v] else {
            if let Some(e) = ix.vpc_eigw[v] {
                let s = Step::new(
                    self.eigw_component(e),
                    HopAction::Drop,
                    Rule::I5,
                    said!(crate::text!("{} has only an egress-only internet gateway, which lets nothing the internet starts in: {} is unreachable from the internet", vpc.id, h.dst)),
                );
                return self.stop(
                    s,
                    h,
                    Block::new(
                        Disposition::DeniedIn,
                        Code::EigwUnsolicitedInbound,
                        said!(crate::text!("attach an internet gateway to {} and route the subnet's ::/0 to it to serve the internet over IPv6", vpc.id)),
                    ),
                );
            }
            let s = Step::new(
                Component::new(ComponentKind::Vpc, vpc.id.clone(), vpc.name.clone()),
                HopAction::Drop,
                Rule::I2,
                said!(crate::text!("{} has no internet gateway, so nothing on the internet reaches {}", vpc.id, h.dst)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::NoRouteToDestination,
                    said!(crate::text!("attach an internet gateway to {}", vpc.id)),
                ),
            );
        };
        let igw = &ix.d.internet_gateways[g];
        let comp = Component::new(ComponentKind::InternetGateway, igw.id.clone(), igw.name.clone());
        self.block_public_access(&comp, Gateway::Internet, Direction::In, h);
        let s = Step::new(
            comp,
            HopAction::Forward,
            Rule::I5,
            said!(crate::text!("{} lets the IPv6 packet in unchanged: {} is a global address of {} (IPv6 has no NAT; the subnet's route table does not stop inbound traffic)", igw.id, h.dst, vpc.id)),
        );
        self.pass(s, h, h);
        // R10: an edge route table on the gateway decides where the packet goes next.
        if let Some(&rt) = ix.edge_rt.get(igw.id.as_str()) {
            return self.route(rt, v, None, None, h);
        }
        self.arrive_local(v, h, None)
    }
}
