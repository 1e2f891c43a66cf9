//! Internet gateway: static 1:1 NAT between an interface's private and public address
//! (I2–I4), and the internet beyond it.

use crate::model::NatConnectivity;
use crate::rules::Rule;
use crate::sim::engine::{internet_component, service_component, Block, Final, Flow, Step, Via, Walk};
use crate::sim::fixes::{is_private, is_shared, is_special, special_kind};
use crate::sim::index::Node;
use crate::sim::result::{Code, Component, ComponentKind, Disposition, Header, HopAction};

/// The gateways VPC Block Public Access closes (I2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gateway {
    Internet,
    EgressOnly,
}

/// Which way a packet crosses a gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// From the VPC to the internet.
    Out,
    /// From the internet into the VPC.
    In,
}

impl Walk<'_, '_> {
    /// I2: with VPC Block Public Access on, an internet gateway or an egress-only internet
    /// gateway passes no traffic, either way and in both families. The hop is a blocker; the
    /// walk goes on, so the trace shows what else stands in the way.
    pub(crate) fn block_public_access(&mut self, comp: &Component, gateway: Gateway, way: Direction, h: Header) {
        if !self.ix.d.features.block_public_access {
            return;
        }
        let decision = match gateway {
            Gateway::Internet => crate::text!("VPC Block Public Access is on: the internet gateway passes no traffic"),
            Gateway::EgressOnly => {
                crate::text!("VPC Block Public Access is on: the egress-only internet gateway passes no traffic")
            }
        };
        let disposition = match way {
            Direction::Out => Disposition::DeniedOut,
            Direction::In => Disposition::DeniedIn,
        };
        let s = Step::new(comp.clone(), HopAction::Drop, Rule::I2, decision);
        let fix = crate::text!("turn off VPC Block Public Access or add an exclusion");
        self.block(s, h, Block::new(disposition, Code::VpcBlockPublicAccessEnabled, fix));
    }

    fn igw_component(&self, g: usize) -> Component {
        let igw = &self.ix.d.internet_gateways[g];
        Component::new(ComponentKind::InternetGateway, igw.id.clone(), igw.name.clone())
    }

    /// A route sends the packet to an internet gateway (I2–I4).
    pub(crate) fn igw_egress(&mut self, id: &str, vpc: usize, h: Header) -> Flow {
        let ix = self.ix;
        let vpc_id = &ix.d.vpcs[vpc].id;
        let Some(&g) = ix.igw_ix.get(id) else {
            return self.deleted_target(
                ComponentKind::InternetGateway,
                id,
                crate::text!("attach an internet gateway to {vpc_id} and route to it"),
                h,
            );
        };
        let comp = self.igw_component(g);
        if ix.d.internet_gateways[g].vpc.as_deref() != Some(vpc_id.as_str()) {
            let s = Step::new(comp, HopAction::Drop, Rule::I1, said!(crate::text!("{id} is not attached to {vpc_id}")));
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NullRouted,
                    Code::BadStateRoute,
                    said!(crate::text!("attach {id} to {vpc_id}")),
                ),
            );
        }
        self.block_public_access(&comp, Gateway::Internet, Direction::Out, h);
        if h.is_ipv6() {
            return self.igw_egress_v6(comp, vpc, h);
        }
        if is_private(h.dst) {
            let (code, range) = if is_shared(h.dst) {
                (Code::IgwDestinationAddressNotInRfc6598Egress, "shared (RFC6598)")
            } else {
                (Code::IgwDestinationAddressNotInRfc1918Egress, "private (RFC1918)")
            };
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::I4,
                said!(crate::text!("{id} does not send to {}, a {range} address, onto the internet", h.dst)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedOut,
                    code,
                    said!(crate::text!("route {} through a peering, transit gateway or VPN instead", h.dst)),
                ),
            );
        }
        if is_special(h.dst) {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::I4,
                said!(crate::text!(
                    "{id} does not send to {}, {} address that no internet router forwards",
                    h.dst,
                    special_kind(h.dst)
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::NoPossibleDestination,
                    said!(crate::text!("send to a public address, not {}", h.dst)),
                ),
            );
        }
        // N9: a regional NAT gateway of this VPC has translated the source to its public
        // address itself; the internet gateway passes it on.
        if let Some(Node::Nat(n)) = ix.public_node(h.src) {
            if ix.nat_subnet[n].is_none() && ix.nat_vpc[n] == Some(vpc) {
                let s = Step::new(
                    comp,
                    HopAction::Forward,
                    Rule::N9,
                    said!(crate::text!(
                        "{id} passes {}, the public address of the regional NAT gateway {}, onto the internet",
                        h.src,
                        ix.d.nat_gateways[n].id
                    )),
                );
                self.pass(s, h, h);
                return self.internet(h);
            }
        }
        let src_node = ix.by_private.get(&(vpc, h.src)).copied();
        let Some(node) = src_node else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::X5,
                said!(crate::text!(
                    "{id} drops a packet from {}, which is no address of {vpc_id} (spoofed source)",
                    h.src
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedOut,
                    Code::GatewayRejectsSpoofedTraffic,
                    crate::text!("translate the source to an address of the VPC first (NAT)"),
                ),
            );
        };
        let mut out = h;
        match ix.node_public(node) {
            Some(public) => {
                out.src = std::net::IpAddr::V4(public);
                let s = Step::new(
                    comp,
                    HopAction::Nat,
                    Rule::I3,
                    said!(crate::text!("{id} maps the private source {} to its public address {public} (static 1:1 NAT; ports unchanged)", h.src)),
                )
                .matched(said!(format!("{} ↔ {public}", h.src)));
                self.pass(s, h, out);
            }
            None => {
                let who = ix.node_component(node);
                let (why, fix) = match node {
                    Node::Nat(n) if ix.d.nat_gateways[n].connectivity == NatConnectivity::Private => (
                        said!(crate::text!("{} is a private NAT gateway: it has no public address, so the internet gateway drops its traffic (N2)", who.label())),
                        crate::text!("use a public NAT gateway instead of {}", who.id),
                    ),
                    Node::Eni(e) => (
                        said!(crate::text!("{} has no public IPv4 address or Elastic IP, so {id} cannot translate {} (I2)", who.label(), h.src)),
                        crate::text!(
                            "associate an Elastic IP with {}, or route 0.0.0.0/0 through a NAT gateway",
                            ix.d.network_interfaces[e].id
                        ),
                    ),
                    Node::Managed(j) => ix.managed_no_public_ip(j),
                    _ => (
                        said!(crate::text!("{} has no public address, so {id} cannot translate {} (I2)", who.label(), h.src)),
                        crate::text!("give {} a public address", who.id),
                    ),
                };
                let s = Step::new(comp, HopAction::Drop, Rule::I2, why);
                self.block(s, h, Block::new(Disposition::DeniedOut, Code::IgwPublicIpAssociationForEgress, fix));
            }
        }
        self.internet(out)
    }

    /// The packet is on the internet, heading for `h.dst`.
    pub(crate) fn internet(&mut self, h: Header) -> Flow {
        let ix = self.ix;
        if let Some(c) = ix.eks_public_endpoint(h.dst) {
            return self.public_endpoint(c, h);
        }
        if ix.public_node(h.dst).is_some() || (h.is_ipv6() && ix.vpc_holding(h.dst).is_some()) {
            // A public address of the design: in again through its VPC's internet gateway.
            let s = Step::new(
                Component::new(ComponentKind::Internet, "internet", "the internet"),
                HopAction::Forward,
                Rule::I3,
                said!(crate::text!("the packet crosses the internet to {}, a public address of the design", h.dst)),
            );
            self.pass(s, h, h);
            return self.igw_ingress(h);
        }
        if ix.service_owning(h.dst).is_some() {
            let comp = service_component(ix, h.dst);
            let s = Step::new(
                comp.clone(),
                HopAction::Exit,
                Rule::I2,
                said!(crate::text!("the packet reaches {} at its public address {}", comp.name, h.dst)),
            );
            return self.deliver(s, h, Final::Internet);
        }
        let s = Step::new(
            internet_component(ix, h.dst),
            HopAction::Exit,
            Rule::I2,
            said!(crate::text!("the packet leaves AWS for {} on the internet", h.dst)),
        );
        self.deliver(s, h, Final::Internet)
    }

    /// A packet from the internet starts its trace.
    pub(crate) fn start_from_internet(&mut self, h: Header) -> Flow {
        let s = Step::new(
            internet_component(self.ix, h.src),
            HopAction::Send,
            if h.is_ipv6() { Rule::I5 } else { Rule::I3 },
            said!(crate::text!("{} on the internet sends {}", h.src, h)),
        );
        self.pass(s, h, h);
        self.via = Via::Gateway;
        self.igw_ingress(h)
    }

    /// A packet from the internet reaches the internet gateway of the VPC its destination
    /// belongs to: destination public → private (I3), or dropped (I4).
    pub(crate) fn igw_ingress(&mut self, h: Header) -> Flow {
        if h.is_ipv6() {
            return self.ingress_v6(h);
        }
        let ix = self.ix;
        self.via = Via::Gateway;
        let Some(node) = ix.public_node(h.dst) else {
            if let Some(v) = ix.vpc_holding(h.dst) {
                let vpc = &ix.d.vpcs[v];
                let Some(g) = ix.vpc_igw[v] else {
                    let s = Step::new(
                        Component::new(ComponentKind::Vpc, vpc.id.clone(), vpc.name.clone()),
                        HopAction::Drop,
                        Rule::I2,
                        said!(crate::text!(
                            "{} has no internet gateway, so nothing on the internet reaches {}",
                            vpc.id,
                            h.dst
                        )),
                    );
                    return self.stop(
                        s,
                        h,
                        Block::new(
                            Disposition::NoRoute,
                            Code::NoRouteToDestination,
                            said!(crate::text!(
                                "attach an internet gateway to {} and give the target a public address",
                                vpc.id
                            )),
                        ),
                    );
                };
                let s = Step::new(
                    self.igw_component(g),
                    HopAction::Drop,
                    Rule::I4,
                    said!(crate::text!("{} is a private address: the internet reaches a VPC only at public addresses associated with its interfaces", h.dst)),
                );
                let fix = match ix.by_private.get(&(v, h.dst)) {
                    // A hypothetical interface's id is the engine's own: name its subnet and
                    // address instead (what the user asked about).
                    Some(&n) => {
                        match ix.node_subnet(n).filter(|_| ix.node_component(n).id.starts_with("hypothetical-")) {
                            Some(s) => {
                                let sub = &ix.d.subnets[s];
                                crate::text!(
                                "send to the public address of the hypothetical interface in {} ({}), or give it an Elastic IP",
                                if sub.name.is_empty() { &sub.id } else { &sub.name },
                                h.dst
                            )
                            }
                            None => crate::text!(
                                "send to the public address of {}, or give it an Elastic IP",
                                ix.node_component(n).id
                            ),
                        }
                    }
                    None => crate::text!("send to a public address associated with an interface"),
                };
                return self.stop(
                    s,
                    h,
                    Block::new(Disposition::DeniedIn, Code::IgwPrivateIpAssociationForIngress, fix),
                );
            }
            return self.internet_only(h);
        };
        if let Node::Nat(n) = node {
            if let (None, Some(v)) = (ix.nat_subnet[n], ix.nat_vpc[n]) {
                return self.igw_to_regional_nat(n, v, h);
            }
        }
        let Some(v) = ix.node_subnet(node).and_then(|s| ix.vpc_of(s)) else {
            return self.missing(
                ix.node_component(node),
                h,
                said!(crate::text!("the owner of {} is in no subnet or VPC of the design", h.dst)),
            );
        };
        let vpc = &ix.d.vpcs[v];
        let Some(g) = ix.vpc_igw[v] else {
            let s = Step::new(
                Component::new(ComponentKind::Vpc, vpc.id.clone(), vpc.name.clone()),
                HopAction::Drop,
                Rule::I2,
                said!(crate::text!(
                    "{} has no internet gateway, so its public address {} is unreachable",
                    vpc.id,
                    h.dst
                )),
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
        let comp = self.igw_component(g);
        if is_private(h.src) {
            let code = if is_shared(h.src) {
                Code::IgwSourceAddressNotInRfc6598Ingress
            } else {
                Code::IgwSourceAddressNotInRfc1918Ingress
            };
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::I4,
                said!(crate::text!("the internet gateway drops a packet from the private address {}", h.src)),
            );
            return self.stop(
                s,
                h,
                Block::new(Disposition::DeniedIn, code, crate::text!("send from a public address")),
            );
        }
        self.block_public_access(&comp, Gateway::Internet, Direction::In, h);
        let Some(private) = ix.node_ip(node) else {
            return self.missing(
                ix.node_component(node),
                h,
                said!(crate::text!("the owner of {} has no private address", h.dst)),
            );
        };
        let mut out = h;
        out.dst = private;
        let s = Step::new(
            comp,
            HopAction::Nat,
            Rule::I3,
            said!(crate::text!(
                "{} maps the public destination {} back to the private address {private} (static 1:1 NAT)",
                ix.d.internet_gateways[g].id,
                h.dst
            )),
        )
        .matched(said!(format!("{} ↔ {private}", h.dst)));
        self.pass(s, h, out);
        let igw = &ix.d.internet_gateways[g];
        let gcomp = Component::new(ComponentKind::InternetGateway, igw.id.clone(), igw.name.clone());
        self.enter_from_gateway(&igw.id, gcomp, v, out)
    }

    /// A destination outside the design, reached from the internet.
    /// N9: a packet from the internet to a regional NAT gateway's public address: the
    /// internet gateway hands it to the NAT gateway unchanged.
    fn igw_to_regional_nat(&mut self, n: usize, v: usize, h: Header) -> Flow {
        let ix = self.ix;
        let vpc = &ix.d.vpcs[v];
        let Some(g) = ix.vpc_igw[v] else {
            let s = Step::new(
                Component::new(ComponentKind::Vpc, vpc.id.clone(), vpc.name.clone()),
                HopAction::Drop,
                Rule::I2,
                said!(crate::text!(
                    "{} has no internet gateway, so its public address {} is unreachable",
                    vpc.id,
                    h.dst
                )),
            );
            let fix = said!(crate::text!("attach an internet gateway to {}", vpc.id));
            return self.stop(s, h, Block::new(Disposition::NoRoute, Code::NoRouteToDestination, fix));
        };
        let s = Step::new(
            self.igw_component(g),
            HopAction::Forward,
            Rule::N9,
            said!(crate::text!(
                "{} hands {} to the regional NAT gateway {} that owns it",
                ix.d.internet_gateways[g].id,
                h.dst,
                ix.d.nat_gateways[n].id
            )),
        );
        self.pass(s, h, h);
        self.arrive(Node::Nat(n), None, h)
    }

    pub(crate) fn internet_only(&mut self, h: Header) -> Flow {
        let ix = self.ix;
        if let Some(c) = ix.eks_public_endpoint(h.dst) {
            return self.public_endpoint(c, h);
        }
        if is_private(h.dst) || is_special(h.dst) {
            let kind = if is_private(h.dst) { "a private" } else { special_kind(h.dst) };
            let s = Step::new(
                internet_component(ix, h.dst),
                HopAction::Drop,
                Rule::I4,
                said!(crate::text!(
                    "{} is {kind} address and no VPC of the design holds it: the internet does not route it",
                    h.dst
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::NoPossibleDestination,
                    said!(crate::text!("send to a public address; {} is not reachable from the internet", h.dst)),
                ),
            );
        }
        let comp = internet_component(ix, h.dst);
        let s = Step::new(
            comp,
            HopAction::Exit,
            Rule::I2,
            said!(crate::text!("{} is outside the design; the packet stays on the internet", h.dst)),
        );
        self.deliver(s, h, Final::Internet)
    }
}

impl Walk<'_, '_> {
    /// A packet an internet or virtual private gateway brings into `vpc` (R10): the gateway's
    /// edge route table decides where it goes, else the local route. A table AWS would refuse
    /// to associate is not followed, and the hop says why.
    pub(crate) fn enter_from_gateway(&mut self, gw: &str, comp: Component, vpc: usize, h: Header) -> Flow {
        let ix = self.ix;
        if let Some((rt, why)) = ix.edge_refused.get(gw) {
            let s = Step::new(
                comp,
                HopAction::Forward,
                Rule::R10,
                said!(crate::text!(
                    "{gw} has no edge route table AWS would accept, so the local route delivers the packet"
                )),
            )
            .warn(said!(Some(
                crate::text!("AWS refuses to associate {} with {gw}: {why} (R10)", ix.d.route_tables[*rt].id)
                    .with("why", why.clone())
            )));
            self.pass(s, h, h);
            return self.arrive_local(vpc, h, None);
        }
        if let Some(&rt) = ix.edge_rt.get(gw) {
            return self.route(rt, vpc, None, None, h);
        }
        self.arrive_local(vpc, h, None)
    }
}
