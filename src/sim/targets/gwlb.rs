//! Gateway Load Balancer endpoints (B2) and the Gateway Load Balancer with its appliances
//! (B1): a route sends the packet to an endpoint, the endpoint hands it to the load balancer's
//! node in its AZ, the node wraps it in GENEVE to an appliance of its AZ, the appliance decides,
//! and the packet comes back the same way to the endpoint, which sends it on by its subnet's
//! route table. Addresses never change.

use crate::model::{EndpointState, InstanceState, LoadBalancerKind, Protocol};
use crate::rules::Rule;
use crate::sim::engine::{Block, Flow, Inspection, Inspector, Step, Via, Walk};
use crate::sim::index::Node;
use crate::sim::inspect;
use crate::sim::result::{Code, Component, ComponentKind, Disposition, Header, HopAction};
use std::net::IpAddr;

/// The UDP port GENEVE uses between a Gateway Load Balancer and its appliances (B1).
pub(crate) const GENEVE_PORT: u16 = 6081;

/// A hash of the flow that is the same in both directions, so both reach one appliance (B1).
pub(crate) fn symmetric_hash(h: &Header) -> u32 {
    let a = (h.src, h.src_port.unwrap_or(0));
    let b = (h.dst, h.dst_port.unwrap_or(0));
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let mut x: u32 = 0x811c_9dc5;
    let bytes = |ip: IpAddr| match ip {
        IpAddr::V4(v) => v.octets().to_vec(),
        IpAddr::V6(v) => v.octets().to_vec(),
    };
    for byte in bytes(lo.0)
        .into_iter()
        .chain(lo.1.to_be_bytes())
        .chain(bytes(hi.0))
        .chain(hi.1.to_be_bytes())
        .chain([h.protocol.number().unwrap_or(0)])
    {
        x = (x ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    x
}

impl Walk<'_, '_> {
    /// A packet reaches a Gateway Load Balancer endpoint's interface (B2).
    pub(crate) fn at_gwlb_endpoint(&mut self, e: usize, subnet: usize, h: Header) -> Flow {
        let ix = self.ix;
        let ep = &ix.d.endpoints[e];
        let comp = Component::new(ComponentKind::VpcEndpoint, ep.id.clone(), ep.name.clone());
        let sn = &ix.d.subnets[subnet];
        if ep.state != EndpointState::Available {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::E8,
                said!(crate::text!("{} is {}: only an available endpoint carries traffic", ep.id, ep.state.api_name())),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::BadState,
                    said!(crate::text!("wait until {} is available", ep.id)),
                ),
            );
        }
        let name = ix.endpoint_service_name(e);
        let s = Step::new(
            comp.clone(),
            HopAction::Arrive,
            Rule::B2,
            said!(crate::text!(
                "the packet reaches Gateway Load Balancer endpoint {} in {} ({}), which hands it unchanged to the load balancer behind {name}",
                ep.id, sn.id, sn.az
            )),
        );
        self.pass(s, h, h);
        let Some(&svc) = ix.service_ix.get(name) else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::B2,
                said!(crate::text!("the endpoint service {name} is not in the design, so what its appliances do with the packet is unknown")),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::InsufficientInfo,
                    Code::UnknownResource,
                    crate::text!(
                        "add the endpoint service with its Gateway Load Balancer and target group to the design"
                    ),
                ),
            );
        };
        let service = &ix.d.endpoint_services[svc];
        let scomp = Component::new(ComponentKind::EndpointService, service.id.clone(), service.name.clone());
        let Some(l) = service.load_balancers.iter().find_map(|x| ix.lb_ix.get(x.as_str()).copied()) else {
            let s = Step::new(
                scomp,
                HopAction::Drop,
                Rule::B2,
                said!(crate::text!("{} has no load balancer in the design", service.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::BadState,
                    said!(crate::text!("put a Gateway Load Balancer behind {}", service.id)),
                ),
            );
        };
        let lb = &ix.d.load_balancers[l];
        if lb.kind != LoadBalancerKind::Gateway {
            let s = Step::new(
                scomp,
                HopAction::Drop,
                Rule::B2,
                said!(crate::text!(
                    "{} fronts {}, a {kind_ui} load balancer; a gateway load balancer endpoint needs a gateway load balancer",
                    service.id.to_lowercase(),
                    lb.id.to_lowercase(),
                    // The kind's word (`network`, `application`), said as the interface says it.
                    kind_ui = format!("{:?}", lb.kind).to_lowercase()
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::BadState,
                    crate::text!("use an interface endpoint for this service"),
                ),
            );
        }
        // B1: cross-zone load balancing is off by default, so the endpoint uses the node of its
        // own AZ and that node only the appliances of its AZ.
        let nodes = &ix.lb_subnets[l];
        let Some(node) = (0..nodes.len()).find(|&n| nodes[n].is_some_and(|s| ix.d.subnets[s].az == sn.az)) else {
            let s = Step::new(
                Component::new(ComponentKind::LoadBalancer, lb.id.clone(), lb.name.clone()),
                HopAction::Drop,
                Rule::E9,
                said!(crate::text!("{} has no node in {}, the AZ of {}", lb.id, sn.az, ep.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::VpceServiceNotInstalledInAz,
                    said!(crate::text!("enable {} in {}", lb.id, sn.az)),
                ),
            );
        };
        self.through_gwlb(l, node, e, subnet, h)
    }

    /// B1: the load balancer's node sends the packet to an appliance of its AZ and takes it
    /// back; then the endpoint sends it on.
    fn through_gwlb(&mut self, l: usize, node: usize, e: usize, ep_subnet: usize, h: Header) -> Flow {
        let ix = self.ix;
        let lb = &ix.d.load_balancers[l];
        let comp = Component::new(ComponentKind::LoadBalancer, lb.id.clone(), lb.name.clone());
        let Some(node_subnet) = ix.lb_subnets[l][node] else {
            return self.missing(comp, h, crate::text!("the load balancer's subnet is not in the design"));
        };
        let az = ix.d.subnets[node_subnet].az.clone();
        let Some(&tg) = lb.listeners.iter().find_map(|x| x.target_group.as_deref()).and_then(|t| ix.tg_ix.get(t))
        else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::B1,
                said!(crate::text!("{} has no listener with a target group", lb.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::Elbv2ListenerHasNoTg,
                    crate::text!("give it a listener that forwards to a target group"),
                ),
            );
        };
        let group = &ix.d.target_groups[tg];
        if group.protocol != Protocol::Udp {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::B1,
                said!(crate::text!(
                    "{}'s target group {} is {}; a Gateway Load Balancer reaches its appliances with GENEVE only",
                    lb.id,
                    group.id,
                    group.protocol
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::GwlbProtocolRestriction,
                    said!(crate::text!("make {} a GENEVE target group on port 6081", group.id)),
                ),
            );
        }
        if group.port != GENEVE_PORT {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::B1,
                said!(crate::text!(
                    "{}'s target group {} uses port {}; GENEVE runs on UDP 6081",
                    lb.id,
                    group.id,
                    group.port
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::GwlbDestinationPortRestriction,
                    said!(crate::text!("set {}'s port to 6081", group.id)),
                ),
            );
        }
        let in_az: Vec<usize> = group
            .targets
            .iter()
            .filter_map(|t| match ix.instance_ix.get(t.id.as_str()) {
                Some(&i) if ix.d.instances[i].state == InstanceState::Running => ix.instance_eni[i],
                Some(_) => None,
                None => match ix.by_private.get(&(ix.vpc_of(node_subnet)?, t.id.parse().ok()?)) {
                    Some(&Node::Eni(x)) => Some(x),
                    _ => None,
                },
            })
            .filter(|&x| ix.eni_subnet[x].is_some_and(|s| ix.d.subnets[s].az == az))
            .collect();
        if in_az.is_empty() {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::B1,
                said!(crate::text!("{} has no running appliance in {az}; with cross-zone load balancing off, its node there has nowhere to send the packet", group.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::Elbv2NoTargetsInAz,
                    said!(crate::text!("register a running appliance in {az} in {}", group.id)),
                ),
            );
        }
        let eni = in_az[symmetric_hash(&h) as usize % in_az.len()];
        let appliance = ix.node_component(Node::Eni(eni));
        let (Some(node_ip), Some(app_ip)) = (ix.node_ip(Node::Lb(l, node)), ix.node_ip(Node::Eni(eni))) else {
            return self.missing(comp, h, crate::text!("the load balancer node or the appliance has no address"));
        };
        let s = Step::new(
            comp.clone(),
            HopAction::Forward,
            Rule::B1,
            said!(crate::text!(
                "{} (its node in {az}) sends the packet to the appliance {} at {app_ip}, wrapped in GENEVE on UDP 6081; inside, it is unchanged",
                lb.id,
                appliance.label()
            )),
        )
        .matched(said!(match in_az.len() {
            1 => crate::text!("{} ({} {}, 1 appliance in {az})", group.id, group.protocol, group.port),
            n => crate::text!("{} ({} {}, {n} appliances in {az})", group.id, group.protocol, group.port),
        }));
        self.pass(s, h, h);
        let geneve = Header {
            src: node_ip,
            dst: app_ip,
            protocol: Protocol::Udp,
            src_port: Some(1024 + (symmetric_hash(&h) % (65536 - 1024)) as u16),
            dst_port: Some(GENEVE_PORT),
        };
        if !self.appliance(l, eni, node_subnet, geneve, h) {
            return None;
        }
        let s = Step::new(
            comp,
            HopAction::Forward,
            Rule::B1,
            said!(crate::text!(
                "{} takes the packet back from the appliance and returns it to {}",
                lb.id,
                ix.d.endpoints[e].id
            )),
        );
        self.pass(s, h, h);
        let ep = &ix.d.endpoints[e];
        let sn = &ix.d.subnets[ep_subnet];
        let Some(rt) = ix.subnet_rt[ep_subnet] else {
            let s = Step::new(
                Component::new(ComponentKind::Subnet, sn.id.clone(), sn.name.clone()),
                HopAction::Drop,
                Rule::R1,
                said!(crate::text!("{} has no route table, so {} cannot send the packet on", sn.id, ep.id)),
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
        let Some(vpc) = ix.vpc_of(ep_subnet) else {
            return self.missing(
                Component::new(ComponentKind::Subnet, sn.id.clone(), sn.name.clone()),
                h,
                crate::text!("its VPC is not in the design"),
            );
        };
        let s = Step::new(
            Component::new(ComponentKind::VpcEndpoint, ep.id.clone(), ep.name.clone()),
            HopAction::Forward,
            Rule::B2,
            said!(crate::text!(
                "{} sends the inspected packet on by {}'s route table {}",
                ep.id,
                sn.id,
                ix.d.route_tables[rt].id
            )),
        );
        self.pass(s, h, h);
        // The packet keeps its origin (`via`): an endpoint is not a source (N6).
        self.route(rt, vpc, Some(ep_subnet), None, h)
    }

    /// The appliance at `eni` gets the GENEVE packet (its subnet's ACL and its groups must let
    /// UDP 6081 in), applies its rules to the inner packet `h`, and sends the GENEVE packet back.
    /// Returns whether the inner packet goes on.
    fn appliance(&mut self, l: usize, eni: usize, node_subnet: usize, geneve: Header, h: Header) -> bool {
        let ix = self.ix;
        let node = Node::Eni(eni);
        let comp = ix.node_component(node);
        let Some(app_subnet) = ix.eni_subnet[eni] else {
            self.missing(comp, h, crate::text!("the appliance's subnet is not in the design"));
            return false;
        };
        let az = ix.d.subnets[app_subnet].az.clone();
        // B1: GENEVE from the load balancer must get into the appliance's subnet and interface.
        if app_subnet != node_subnet && !self.network_acl(app_subnet, false, geneve) {
            return false;
        }
        let state = if self.reply { self.reply_state(Inspector::Gwlb(l), node, &az) } else { None };
        if !self.reply {
            if let Some(vpc) = ix.vpc_of(app_subnet) {
                let via = std::mem::replace(&mut self.via, Via::Local);
                let ok = self.security_groups(node, &ix.eni_sgs[eni], false, vpc, geneve);
                self.via = via;
                if !ok {
                    return false;
                }
            }
        }
        let rules = ix.appliance_rules(l);
        let warning = match &state {
            Some(Err(w)) => Some(w.clone()),
            _ => None,
        };
        if let Some(Ok(true)) = state {
            let s = Step::new(
                comp,
                HopAction::StatefulAllowed,
                Rule::B2,
                said!(crate::text!(
                    "{} matches the reply to the flow it let through, and passes it",
                    ix.node_component(node).label()
                )),
            );
            self.pass(s, h, h);
        } else {
            let (allowed, rule) = inspect::appliance(rules, &h);
            let matched = match rule {
                Some(i) => crate::text!("rule {}: {}", i + 1, rules.rules[i]),
                None => crate::text!("default: {}", rules.default),
            };
            if !allowed {
                let s = Step::new(
                    comp.clone(),
                    HopAction::Drop,
                    Rule::B2,
                    said!(crate::text!("the appliance {} drops {h} by its rules", comp.label())),
                )
                .matched(matched)
                .warn(warning);
                self.block(
                    s,
                    h,
                    Block::new(
                        Disposition::DeniedIn,
                        Code::ApplianceRulesRestriction,
                        said!(crate::text!(
                            "allow the flow in the rules of the appliances behind {}",
                            ix.d.load_balancers[l].id
                        )),
                    ),
                );
                return false;
            }
            let s = Step::new(
                comp.clone(),
                HopAction::Inspect,
                Rule::B2,
                said!(crate::text!("the appliance {} inspects {h} and lets it through", comp.label())),
            )
            .matched(matched)
            .warn(warning);
            self.pass(s, h, h);
            if !self.reply {
                self.inspected.push(Inspection { owner: Inspector::Gwlb(l), at: node, az, stateful: true });
            }
        }
        // B1: the appliance returns the GENEVE packet to the load balancer.
        let back = Header { src: geneve.dst, dst: geneve.src, ..geneve };
        if app_subnet != node_subnet && !self.network_acl(app_subnet, true, back) {
            return false;
        }
        true
    }
}
