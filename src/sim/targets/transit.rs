//! Transit gateways (T1–T5) and virtual private gateways with their VPNs (T6, T8).

use crate::model::{AttachmentState, TgwAttachmentKind, VpnState};
use crate::net::PrefixEntry;
use crate::rules::Rule;
use crate::sim::engine::{on_premises_component, Beaten, Block, Final, Flow, Lost, Matched, Step, Via, Walk};
use crate::sim::explain::TgwOrigin;
use crate::sim::result::{Code, Component, ComponentKind, Disposition, Header, HopAction};

impl Walk<'_, '_> {
    fn tgw_component(&self, t: usize) -> Component {
        let g = &self.ix.d.transit_gateways[t];
        Component::new(ComponentKind::TransitGateway, g.id.clone(), g.name.clone())
    }

    /// A route sends the packet to a transit gateway from a VPC (T2, T3).
    pub(crate) fn transit_gateway(&mut self, id: &str, vpc: usize, from_subnet: Option<usize>, h: Header) -> Flow {
        let ix = self.ix;
        let Some(&t) = ix.tgw_ix.get(id) else {
            return self.deleted_target(ComponentKind::TransitGateway, id, crate::text!("remove the route to {id}"), h);
        };
        let comp = self.tgw_component(t);
        let here = &ix.d.vpcs[vpc];
        let Some(&a) = ix.tgw_vpc_attach.get(&(t, vpc)) else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::T2,
                said!(crate::text!("{} has no attachment to {}, so the route to it leads nowhere", id, here.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NullRouted,
                    Code::BadStateRoute,
                    said!(crate::text!("attach {} to {id}", here.id)),
                ),
            );
        };
        let att = &ix.d.tgw_attachments[a];
        if att.state != AttachmentState::Available {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::T2,
                said!(crate::text!(
                    "{} is {state}, not available",
                    att.id.to_lowercase(),
                    state = format!("{:?}", att.state).to_lowercase()
                )),
            );
            self.block(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::BadStateAttachment,
                    said!(crate::text!("wait until {} is available", att.id)),
                ),
            );
        }
        if let Some(flow) = self.tgw_refuses_ipv6(&comp, a, h) {
            return flow;
        }
        // T2: the packet enters the TGW through its interface in the source's AZ.
        let az = from_subnet.map(|s| ix.d.subnets[s].az.as_str());
        let subs = &ix.attach_subnets[a];
        let in_az = subs.iter().copied().find(|&s| Some(ix.d.subnets[s].az.as_str()) == az);
        let entry = match in_az {
            Some(s) => s,
            None => {
                let azname = az.unwrap_or("its Availability Zone");
                let s = Step::new(
                    comp.clone(),
                    HopAction::Drop,
                    Rule::T2,
                    said!(crate::text!("{} has no subnet in {azname}, so sources there cannot reach {id}", att.id)),
                );
                self.block(
                    s,
                    h,
                    Block::new(
                        Disposition::NeighborUnreachable,
                        Code::TgwRouteAzRestriction,
                        said!(crate::text!("add a subnet in {azname} to {}", att.id)),
                    ),
                );
                match subs.first() {
                    Some(&s) => s,
                    None => return None,
                }
            }
        };
        if from_subnet != Some(entry) {
            self.network_acl(entry, false, h);
        }
        let sn = &ix.d.subnets[entry];
        let s = Step::new(
            comp,
            HopAction::Forward,
            Rule::T2,
            said!(crate::text!("the packet enters {id} through {}'s interface in {} ({})", att.id, sn.id, sn.az)),
        );
        self.pass(s, h, h);
        self.tgw_route(t, a, h, az)
    }

    /// T3, T4: the route table associated with the ingress attachment decides the egress one.
    pub(crate) fn tgw_route(&mut self, t: usize, ingress: usize, h: Header, az: Option<&str>) -> Flow {
        let ix = self.ix;
        let att = &ix.d.tgw_attachments[ingress];
        let comp = self.tgw_component(t);
        if self.hops.len() > 90 {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::T4,
                crate::text!("the packet keeps going round transit gateways"),
            );
            return self.stop(
                s,
                h,
                Block::new(Disposition::Loop, Code::RoutingLoop, crate::text!("change the transit gateway routes")),
            );
        }
        let Some(&rt) = att.association.as_deref().and_then(|r| ix.tgw_rt_ix.get(r)) else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::T3,
                said!(crate::text!("{} is associated with no transit gateway route table", att.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::TgwAttachMissingTgwRtbAssociation,
                    said!(crate::text!("associate {} with a route table", att.id)),
                ),
            );
        };
        let table = &ix.d.tgw_route_tables[rt];
        let rcomp = Component::new(ComponentKind::TgwRouteTable, table.id.clone(), table.name.clone());
        let entries = &ix.tgw_tables[rt];
        let text = |e: &PrefixEntry<Option<usize>>| Matched::TgwRoute {
            cidr: e.net,
            attachment: e.value.map(|a| ix.d.tgw_attachments[a].id.clone()),
            origin: match e.rank {
                0 => TgwOrigin::Static,
                2 => TgwOrigin::Vpc,
                _ => TgwOrigin::Vpn,
            },
        };
        let mut matching = entries.matching(h.dst).map(|(_, e)| e);
        let Some(win) = matching.next() else {
            let s = Step::new(
                rcomp,
                HopAction::Drop,
                Rule::T4,
                said!(crate::text!("{} has no route for {}", table.id, h.dst)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::TgwRtbCannotRoute,
                    said!(crate::text!("add a static route or a propagation for {} to {}", h.dst, table.id)),
                ),
            );
        };
        let beaten: Vec<Beaten> = matching
            .map(|e| {
                let why = if e.net.prefix_len() < win.net.prefix_len() {
                    Lost::Route(crate::sim::LostBecause::LessSpecific)
                } else {
                    Lost::TgwLowerPreference
                };
                Beaten { route: text(e), why }
            })
            .collect();
        let Some(egress) = win.value else {
            let s = Step::new(
                rcomp,
                HopAction::Drop,
                Rule::T4,
                said!(crate::text!("{} sends {} to a blackhole", table.id, h.dst)),
            )
            .matched(said!(text(win)))
            .beaten(beaten);
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NullRouted,
                    Code::TgwRtbBadStateRoute,
                    said!(crate::text!("point the route {} of {} at an attachment", win.net, table.id)),
                ),
            );
        };
        let out = &ix.d.tgw_attachments[egress];
        let s = Step::new(
            rcomp,
            HopAction::Route,
            Rule::T4,
            said!(crate::text!("{} sends {} to {}: the longest matching prefix", table.id, h.dst, out.id)),
        )
        .matched(said!(text(win)))
        .beaten(beaten);
        self.pass(s, h, h);
        if out.state != AttachmentState::Available {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::T3,
                said!(crate::text!(
                    "{} is {state}, not available",
                    out.id.to_lowercase(),
                    state = format!("{:?}", out.state).to_lowercase()
                )),
            );
            self.block(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::BadStateAttachment,
                    said!(crate::text!("wait until {} is available", out.id)),
                ),
            );
        }
        match &out.kind {
            TgwAttachmentKind::Vpc { vpc, .. } => {
                let Some(&v) = ix.vpc_ix.get(vpc.as_str()) else {
                    return self.missing(
                        comp,
                        h,
                        said!(crate::text!("{} attaches {vpc}, which is not in the design", out.id)),
                    );
                };
                if let Some(flow) = self.tgw_refuses_ipv6(&comp, egress, h) {
                    return flow;
                }
                let subs = &ix.attach_subnets[egress];
                let exit = if out.appliance_mode && !subs.is_empty() {
                    // T9: appliance mode picks one interface by a hash of the flow, the same
                    // both ways, and keeps it for the flow's life: the reply reuses the request's.
                    let seen = self.transit.iter().find(|&&(a, _)| a == egress).map(|&(_, s)| s);
                    seen.or_else(|| Some(subs[crate::sim::targets::gwlb::symmetric_hash(&h) as usize % subs.len()]))
                } else {
                    // T2: otherwise the transit gateway stays in the AZ the packet came from.
                    subs.iter().copied().find(|&s| Some(ix.d.subnets[s].az.as_str()) == az).or(subs.first().copied())
                };
                let Some(exit) = exit else {
                    let s = Step::new(comp, HopAction::Drop, Rule::T2, said!(crate::text!("{} has no subnet", out.id)));
                    return self.stop(
                        s,
                        h,
                        Block::new(
                            Disposition::NeighborUnreachable,
                            Code::TgwRouteAzRestriction,
                            said!(crate::text!("add a subnet to {}", out.id)),
                        ),
                    );
                };
                let sn = &ix.d.subnets[exit];
                let s = Step::new(
                    comp,
                    HopAction::Forward,
                    Rule::T3,
                    said!(crate::text!(
                        "{} hands the packet to {} through its interface in {} ({})",
                        ix.d.transit_gateways[t].id,
                        vpc,
                        sn.id,
                        sn.az
                    )),
                );
                self.pass(s, h, h);
                self.via = Via::Transit;
                if !self.reply {
                    self.transit.push((egress, exit));
                }
                if sn.contains_addr(h.dst) {
                    // L8: from the TGW to an instance in the attachment's own subnet, no NACL.
                    return self.arrive_local(v, h, Some(exit));
                }
                match ix.subnet_rt[exit] {
                    Some(rt) => self.route(rt, v, Some(exit), None, h),
                    None => self.arrive_local(v, h, Some(exit)),
                }
            }
            TgwAttachmentKind::Vpn { vpn } => {
                let up =
                    ix.d.vpn_connections.iter().find(|c| &c.id == vpn).is_some_and(|c| c.state == VpnState::Available);
                if !up {
                    let s = Step::new(comp, HopAction::Drop, Rule::T6, said!(crate::text!("{vpn} is not available")));
                    return self.stop(
                        s,
                        h,
                        Block::new(Disposition::NullRouted, Code::BadStateVpn, said!(crate::text!("bring {vpn} up"))),
                    );
                }
                let s = Step::new(
                    on_premises_component(h.dst),
                    HopAction::Exit,
                    Rule::T6,
                    said!(crate::text!(
                        "{} carries the packet over {vpn} to {} on premises",
                        ix.d.transit_gateways[t].id,
                        h.dst
                    )),
                );
                self.deliver(s, h, Final::TgwVpn { attachment: egress })
            }
            TgwAttachmentKind::Peering { peer_tgw } => {
                // T5: across a TGW peering, the peer's table for that attachment decides.
                let Some(&p) = ix.tgw_ix.get(peer_tgw.as_str()) else {
                    return self.missing(
                        comp,
                        h,
                        said!(crate::text!("the peer transit gateway {peer_tgw} is not in the design")),
                    );
                };
                let Some(&back) = ix.tgw_peer_attach.get(&(p, t)) else {
                    let s = Step::new(
                        comp,
                        HopAction::Drop,
                        Rule::T5,
                        said!(crate::text!(
                            "{peer_tgw} has no peering attachment back to {}",
                            ix.d.transit_gateways[t].id
                        )),
                    );
                    return self.stop(
                        s,
                        h,
                        Block::new(
                            Disposition::NullRouted,
                            Code::BadStateAttachment,
                            said!(crate::text!("accept the peering on {peer_tgw}")),
                        ),
                    );
                };
                let s = Step::new(
                    comp,
                    HopAction::Forward,
                    Rule::T5,
                    said!(crate::text!("{} passes the packet to the peered {peer_tgw}", ix.d.transit_gateways[t].id)),
                );
                self.pass(s, h, h);
                self.tgw_route(p, back, h, az)
            }
        }
    }

    /// A VPC attachment carries IPv6 only with its IPv6 support on (T2).
    fn tgw_refuses_ipv6(&mut self, comp: &Component, a: usize, h: Header) -> Option<Flow> {
        let att = &self.ix.d.tgw_attachments[a];
        if !h.is_ipv6() || att.ipv6_support {
            return None;
        }
        let s = Step::new(
            comp.clone(),
            HopAction::Drop,
            Rule::T2,
            said!(crate::text!("{} has IPv6 support off, so it carries no IPv6 packet", att.id)),
        );
        Some(self.stop(
            s,
            h,
            Block::new(
                Disposition::NoRoute,
                Code::CannotRoute,
                said!(crate::text!("turn on IPv6 support on {} (its subnets need IPv6 blocks)", att.id)),
            ),
        ))
    }

    /// A route sends the packet to a virtual private gateway (T6).
    pub(crate) fn vpn_gateway(&mut self, id: &str, vpc: usize, h: Header) -> Flow {
        let ix = self.ix;
        let here = &ix.d.vpcs[vpc];
        let Some(&g) = ix.vgw_ix.get(id) else {
            return self.deleted_target(ComponentKind::VpnGateway, id, crate::text!("remove the route to {id}"), h);
        };
        let vgw = &ix.d.vpn_gateways[g];
        let comp = Component::new(ComponentKind::VpnGateway, vgw.id.clone(), vgw.name.clone());
        if h.is_ipv6() {
            let s = Step::new(comp, HopAction::Drop, Rule::T6, said!(crate::text!("{id} forwards IPv4 only (T6)")));
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::CannotRoute,
                    crate::text!("reach on premises over IPv4, or through a transit gateway"),
                ),
            );
        }
        if vgw.vpc.as_deref() != Some(here.id.as_str()) {
            let s =
                Step::new(comp, HopAction::Drop, Rule::T6, said!(crate::text!("{id} is not attached to {}", here.id)));
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NullRouted,
                    Code::BadStateRoute,
                    said!(crate::text!("attach {id} to {}", here.id)),
                ),
            );
        }
        if !here.contains_addr(h.src) {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::T8,
                said!(crate::text!("{} sends only packets from the VPC's own addresses; {} is not one", id, h.src)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedOut,
                    Code::VgwPrivateIpAssociationForEgress,
                    crate::text!("send from an interface of the VPC"),
                ),
            );
        }
        let vpns = &ix.vgw_vpns[g];
        let covering: Vec<usize> = vpns
            .iter()
            .copied()
            .filter(|&c| {
                ix.d.vpn_connections[c]
                    .routes
                    .iter()
                    .any(|n| matches!(h.dst, std::net::IpAddr::V4(a) if n.contains(&a)))
            })
            .collect();
        let up = covering.iter().copied().find(|&c| ix.d.vpn_connections[c].state == VpnState::Available);
        let Some(c) = up else {
            if let Some(&c) = covering.first() {
                let vpn = &ix.d.vpn_connections[c];
                let s = Step::new(comp, HopAction::Drop, Rule::T6, said!(crate::text!("{} is not available", vpn.id)));
                return self.stop(
                    s,
                    h,
                    Block::new(Disposition::NullRouted, Code::BadStateVpn, said!(crate::text!("bring {} up", vpn.id))),
                );
            }
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::T6,
                said!(crate::text!("{id} knows no on-premises prefix holding {}", h.dst)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::NoRouteToDestination,
                    said!(crate::text!("add {} to the routes of a VPN connection on {id}", h.dst)),
                ),
            );
        };
        let vpn = &ix.d.vpn_connections[c];
        let over = &vpn.id;
        let said = match ix.d.customer_gateway(&vpn.customer_gateway) {
            Some(x) => {
                let (cgw, ip) = (&x.id, &x.ip);
                crate::text!("{id} sends the packet over {over} to {cgw} ({ip})")
            }
            None => crate::text!("{id} sends the packet over {over}"),
        };
        let s = Step::new(comp, HopAction::Forward, Rule::T6, said!(said));
        self.pass(s, h, h);
        let s = Step::new(
            on_premises_component(h.dst),
            HopAction::Exit,
            Rule::T6,
            said!(crate::text!("the packet reaches {} on premises", h.dst)),
        );
        self.deliver(s, h, Final::Vgw { vgw: g, vpc })
    }

    /// A packet from on premises comes in through a virtual private gateway (T6, T8).
    pub(crate) fn vgw_ingress(&mut self, g: usize, vpc: usize, h: Header) -> Flow {
        let ix = self.ix;
        let vgw = &ix.d.vpn_gateways[g];
        let comp = Component::new(ComponentKind::VpnGateway, vgw.id.clone(), vgw.name.clone());
        let here = &ix.d.vpcs[vpc];
        self.via = Via::Vpn;
        if !here.contains_addr(h.dst) {
            // T8: from on premises, only the VPC's own addresses; never its NAT, IGW or gateway endpoint.
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::T8,
                said!(crate::text!("{} delivers only to {}'s own addresses; {} is not one", vgw.id, here.id, h.dst)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::VgwPrivateIpAssociationForIngress,
                    crate::text!("send to a private address of the VPC"),
                ),
            );
        }
        let s = Step::new(
            comp.clone(),
            HopAction::Forward,
            Rule::T6,
            said!(crate::text!("{} brings the packet into {}", vgw.id, here.id)),
        );
        self.pass(s, h, h);
        self.enter_from_gateway(&vgw.id, comp, vpc, h)
    }
}
