//! NAT gateways (N3–N7, regional ones N9) and NAT instances (N8).

use crate::model::{NatState, Protocol};
use crate::rules::Rule;
use crate::sim::engine::{Block, Conn, Flow, Step, Via, Walk};
use crate::sim::explain::{Explanation, ZoneNote};
use crate::sim::index::Node;
use crate::sim::result::{Code, Component, ComponentKind, Disposition, Header, HopAction};
use std::net::{IpAddr, Ipv4Addr};

/// An address's bytes: 4 for IPv4, 16 for IPv6.
fn addr_bytes(ip: IpAddr) -> impl Iterator<Item = u8> {
    let (bytes, len) = match ip {
        IpAddr::V4(a) => {
            let mut b = [0u8; 16];
            b[..4].copy_from_slice(&a.octets());
            (b, 4)
        }
        IpAddr::V6(a) => (a.octets(), 16),
    };
    bytes.into_iter().take(len)
}

/// N4, L6: the source port a NAT picks, in 1024–65535. Deterministic: the same flow always
/// gets the same port, so traces are reproducible.
pub(crate) fn remap_port(h: &Header, salt: u32) -> Option<u16> {
    let p = h.src_port?;
    let mut x: u32 = 0x811c_9dc5 ^ salt;
    for b in
        addr_bytes(h.src).chain(addr_bytes(h.dst)).chain(p.to_be_bytes()).chain(h.dst_port.unwrap_or(0).to_be_bytes())
    {
        x = (x ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    Some(1024 + (x % (65536 - 1024)) as u16)
}

impl Walk<'_, '_> {
    /// A packet reaches a regional NAT gateway (N9), from `from_subnet` (whose AZ it serves
    /// the packet in) or from the internet gateway.
    pub(crate) fn at_regional_nat(&mut self, n: usize, from_subnet: Option<usize>, h: Header) -> Flow {
        if self.reply {
            if let Some(c) =
                self.conns.iter().find(|c| !c.intercept && c.at == Node::Nat(n) && c.reply_in == h).cloned()
            {
                return self.undo(c);
            }
        }
        self.at_nat(n, None, from_subnet, h)
    }

    /// N9: a regional NAT gateway routes by its own route table; without one in the design,
    /// by the table AWS creates for it (the VPC's local routes and `0.0.0.0/0` to the VPC's
    /// internet gateway).
    pub(crate) fn regional_nat_route(&mut self, n: usize, vpc: usize, zone: Option<usize>, h: Header) -> Flow {
        let ix = self.ix;
        self.via = Via::Local;
        self.nat_zone = zone;
        if let Some(rt) = ix.nat_rt[n] {
            return self.route(rt, vpc, None, Some(Node::Nat(n)), h);
        }
        let nat = &ix.d.nat_gateways[n];
        let comp = Component::new(ComponentKind::NatGateway, nat.id.clone(), nat.name.clone());
        if ix.d.vpcs[vpc].contains_addr(h.dst) {
            let s = Step::new(
                comp,
                HopAction::Route,
                Rule::N9,
                said!(crate::text!("the route table AWS made for {} sends {} to local (R2)", nat.id, h.dst)),
            );
            self.pass(s, h, h);
            return self.arrive_local(vpc, h, None);
        }
        match ix.vpc_igw[vpc] {
            Some(g) if h.dst.is_ipv4() => {
                let igw = ix.d.internet_gateways[g].id.clone();
                let s = Step::new(
                    comp,
                    HopAction::Route,
                    Rule::N9,
                    said!(crate::text!(
                        "the route table AWS made for {} sends {} to {igw} (0.0.0.0/0 → the internet gateway; it has no other routes)",
                        nat.id, h.dst
                    )),
                );
                self.pass(s, h, h);
                self.igw_egress(&igw, vpc, h)
            }
            _ => {
                let s = Step::new(
                    comp,
                    HopAction::Drop,
                    Rule::N9,
                    said!(crate::text!(
                        "the route table AWS made for {} has no route for {}: {} has no internet gateway",
                        nat.id,
                        h.dst,
                        ix.d.vpcs[vpc].id
                    )),
                );
                let fix = crate::text!(
                    "attach an internet gateway to {}, or give {} a route table with a route for {}",
                    ix.d.vpcs[vpc].id,
                    nat.id,
                    h.dst
                );
                self.stop(s, h, Block::new(Disposition::NoRoute, Code::NoRouteToDestination, fix))
            }
        }
    }

    /// The public address a regional NAT gateway uses in the AZ of `from` (N9): the zone's
    /// Elastic IP in manual mode, else its own. Returns the address and a note on the zone.
    #[allow(clippy::type_complexity)]
    fn regional_source(&self, n: usize, from: Option<usize>) -> (Option<std::net::Ipv4Addr>, ZoneNote) {
        let ix = self.ix;
        let nat = &ix.d.nat_gateways[n];
        let az = from.map(|s| ix.d.subnets[s].az.as_str());
        let public = |id: &str| ix.d.elastic_ips.iter().find(|e| e.id == id).map(|e| e.public_ip);
        if nat.zones.is_empty() {
            let note = match az {
                Some(az) => ZoneNote::Automatic { az: az.to_string() },
                None => ZoneNote::None,
            };
            return (ix.nat_public[n], note);
        }
        match az.and_then(|az| nat.zones.iter().find(|z| z.zone == az)) {
            Some(z) => (
                z.eips.first().and_then(|e| public(e)),
                ZoneNote::Manual { eip: z.eips.first().map_or("", |e| e.as_str()).to_string(), zone: z.zone.clone() },
            ),
            None => {
                let first = &nat.zones[0];
                (
                    first.eips.first().and_then(|e| public(e)),
                    ZoneNote::ManualUnlisted { az: az.map(str::to_string), zone: first.zone.clone() },
                )
            }
        }
    }

    /// A packet reaches a NAT gateway (N3–N7; regional, no subnet: N9).
    pub(crate) fn at_nat(&mut self, n: usize, subnet: Option<usize>, from: Option<usize>, h: Header) -> Flow {
        let ix = self.ix;
        let nat = &ix.d.nat_gateways[n];
        let comp = Component::new(ComponentKind::NatGateway, nat.id.clone(), nat.name.clone());
        let own = nat.private_ip.map(IpAddr::V4) == Some(h.dst) || ix.public_node(h.dst) == Some(Node::Nat(n));
        if own || self.reply {
            // N5: a NAT gateway takes no unsolicited inbound traffic and forwards no ports.
            let why = if self.reply {
                said!(crate::text!("{} has no connection this reply belongs to, so it drops it (N5)", nat.id))
            } else {
                said!(crate::text!(
                    "{} takes no connections of its own: no unsolicited inbound traffic, no port forwarding",
                    nat.id
                ))
            };
            let s = Step::new(comp, HopAction::Drop, Rule::N5, why);
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::NoPossibleDestination,
                    crate::text!("reach the server through a load balancer or an instance with a public address, not a NAT gateway"),
                ),
            );
        }
        if nat.state != NatState::Available {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::N7,
                said!(crate::text!(
                    "{} is {}, not available, so it forwards nothing",
                    nat.id.to_lowercase(),
                    format!("{:?}", nat.state).to_lowercase()
                )),
            );
            self.block(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::BadState,
                    said!(crate::text!("replace {} with an available NAT gateway", nat.id)),
                ),
            );
        }
        let Some(vpc) = subnet.and_then(|s| ix.vpc_of(s)).or(ix.nat_vpc[n]) else {
            return self.missing(
                comp,
                h,
                said!(crate::text!("the subnet of {} belongs to no VPC of the design", nat.id)),
            );
        };
        let mut transit_source = false;
        if !ix.d.vpcs[vpc].contains_addr(h.src) {
            // N6: a NAT gateway serves its own VPC's interfaces and what reaches it from a
            // transit gateway attachment (AWS's centralized egress); never a peered VPC, and
            // AWS documents no VPN gateway source.
            let why = match self.via {
                Via::Transit => {
                    transit_source = true;
                    None
                }
                Via::Peering { .. } => Some((
                    said!(crate::text!(
                        "{} serves no peered VPC: {} came over a peering, which has no edge-to-edge routing (N6, P6)",
                        nat.id, h.src
                    )),
                    crate::text!("give {}'s own VPC a NAT gateway of its own, or route it through a transit gateway", h.src),
                )),
                Via::Vpn => Some((
                    said!(crate::text!(
                        "{} came in through a virtual private gateway; AWS does not document a NAT gateway serving VPN or Direct Connect sources toward the internet, so the trace drops it (N6, T8)",
                        h.src
                    )),
                    crate::text!("reach the internet from on premises through a transit gateway to an egress VPC, or locally"),
                )),
                Via::Local | Via::Gateway => Some((
                    said!(crate::text!("{} serves only its own VPC's interfaces and transit gateway attachments; {} is neither", nat.id, h.src)),
                    crate::text!("give {}'s own VPC a NAT gateway of its own", h.src),
                )),
            };
            if let Some((why, fix)) = why {
                let s = Step::new(comp.clone(), HopAction::Drop, Rule::N6, why);
                self.block(s, h, Block::new(Disposition::DeniedIn, Code::NgwRequiresSourceInVpc, fix));
            }
        }
        // NAT64 (N4, I5): an IPv6 packet for 64:ff9b::/96 leaves as IPv4 to the address in its
        // last 32 bits; any other IPv6 destination is not the NAT gateway's to translate.
        let nat64 = match h.dst {
            IpAddr::V6(d6) if crate::net::NAT64_PREFIX.contains(&d6) => Some(Ipv4Addr::from(u128::from(d6) as u32)),
            IpAddr::V6(_) => {
                let s = Step::new(
                    comp,
                    HopAction::Drop,
                    Rule::N4,
                    said!(crate::text!("{} translates IPv6 only toward 64:ff9b::/96 (NAT64); {} is a plain IPv6 address it cannot carry", nat.id, h.dst)),
                );
                return self.stop(
                    s,
                    h,
                    Block::new(
                        Disposition::NoRoute,
                        Code::CannotRoute,
                        crate::text!("route IPv6 to the internet through an egress-only internet gateway (::/0 → eigw), and only 64:ff9b::/96 to the NAT gateway"),
                    ),
                );
            }
            IpAddr::V4(_) => None,
        };
        let icmp_ok = matches!(h.protocol, Protocol::Icmp) || (nat64.is_some() && h.protocol == Protocol::ICMPV6);
        if !matches!(h.protocol, Protocol::Tcp | Protocol::Udp) && !icmp_ok {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::N5,
                said!(crate::text!("{} translates only TCP, UDP and ICMP", nat.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(Disposition::DeniedIn, Code::ProtocolRestriction, crate::text!("use TCP, UDP or ICMP")),
            );
        }
        // N4: a zonal NAT gateway translates to its private address (the internet gateway
        // maps that to its Elastic IP); N9: a regional one to its public address itself.
        let (src, zone_note, rule) = match (subnet, nat.private_ip) {
            (Some(_), Some(ip)) => (Some(ip), ZoneNote::None, Rule::N4),
            (Some(_), None) => (None, ZoneNote::None, Rule::N4),
            (None, _) => {
                let (p, note) = self.regional_source(n, from);
                (p, note, Rule::N9)
            }
        };
        let Some(src) = src else {
            let what = if subnet.is_some() { "a private address" } else { "an Elastic IP" };
            return self.missing(
                comp,
                h,
                said!(crate::text!("{} has no {what} in the design to translate to", nat.id)),
            );
        };
        let mut out = h;
        out.src = IpAddr::V4(src);
        out.src_port = remap_port(&h, n as u32);
        if let Some(v4) = nat64 {
            out.dst = IpAddr::V4(v4);
            if out.protocol == Protocol::ICMPV6 {
                out.protocol = Protocol::Icmp;
            }
        }
        let decision = Explanation::NatRewrites {
            nat: nat.id.clone(),
            before: h,
            after: out,
            nat64: nat64.is_some(),
            transit_source,
            zone: zone_note,
        };
        let s = Step::new(comp.clone(), HopAction::Nat, rule, decision);
        self.pass(s, h, out);
        self.conns.push(Conn {
            at: Node::Nat(n),
            intercept: false,
            reply_in: out.reversed(),
            reply_out: h.reversed(),
            emit: Node::Nat(n),
            component: comp,
            rule,
            zone: from,
        });
        // N3: the NAT gateway routes with its own subnet's table; N5: no security group.
        match subnet {
            Some(s) => self.leave(s, Some(Node::Nat(n)), out),
            None => self.regional_nat_route(n, vpc, from, out),
        }
    }

    /// A packet reaches an instance's interface that is not its destination: the instance is
    /// a NAT instance or another forwarder (N8, X4).
    pub(crate) fn nat_instance(&mut self, eni: usize, subnet: usize, h: Header) -> Flow {
        let ix = self.ix;
        let node = Node::Eni(eni);
        let Some(vpc) = ix.vpc_of(subnet) else {
            return self.missing(
                ix.node_component(node),
                h,
                crate::text!("its subnet belongs to no VPC of the design"),
            );
        };
        if !self.reply {
            // N8: its own security group must let the private subnets in.
            self.security_groups(node, &ix.eni_sgs[eni], false, vpc, h);
        }
        self.source_check(eni, h, false);
        let Some(own) = ix.node_addr(node, h.is_ipv6()) else {
            let fam = if h.is_ipv6() { "IPv6" } else { "private IPv4" };
            return self.missing(ix.node_component(node), h, said!(crate::text!("it has no {fam} address")));
        };
        let role = ix.eni_instance[eni].map(|i| ix.d.instances[i].role.to_ascii_lowercase()).unwrap_or_default();
        let masquerade = !self.reply && (role.is_empty() || role.contains("nat"));
        let comp = ix.node_component(node);
        let mut out = h;
        if masquerade {
            out.src = own;
            let s = Step::new(
                comp.clone(),
                HopAction::Nat,
                Rule::N8,
                said!(crate::text!(
                    "{} masquerades the source {} → its own address {own} (the port is kept when free)",
                    comp.label(),
                    h.src
                )),
            );
            self.pass(s, h, out);
            self.conns.push(Conn {
                at: node,
                intercept: false,
                reply_in: out.reversed(),
                reply_out: h.reversed(),
                emit: node,
                component: comp,
                rule: Rule::N8,
                zone: None,
            });
            // It opens the onward connection itself, so its outbound rules apply.
            self.security_groups(node, &ix.eni_sgs[eni], true, vpc, out);
        } else {
            let s = Step::new(
                comp.clone(),
                HopAction::Forward,
                Rule::X4,
                said!(crate::text!("{} forwards the packet unchanged", comp.label())),
            );
            self.pass(s, h, out);
        }
        self.leave(subnet, Some(node), out)
    }
}
