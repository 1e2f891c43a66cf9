//! Gateway endpoints (G1–G5), interface endpoints (E1–E8), endpoint services and their load
//! balancers (E9).

use crate::model::{EndpointKind, EndpointState, LoadBalancerKind, Protocol, TargetType};
use crate::rules::Rule;
use crate::sim::engine::{endpoint_service_component, service_component, Block, Conn, Final, Flow, Step, Walk};
use crate::sim::explain::Explanation;
use crate::sim::index::Node;
use crate::sim::result::{Code, Component, ComponentKind, Disposition, Header, HopAction};
use crate::sim::targets::forwarding;
use crate::sim::targets::nat::remap_port;

impl Walk<'_, '_> {
    /// A route (`pl-… → vpce-…`) sends the packet to a gateway endpoint (G1–G5).
    pub(crate) fn gateway_endpoint(&mut self, id: &str, vpc: usize, h: Header) -> Flow {
        let ix = self.ix;
        let Some(&e) = ix.vpce_ix.get(id) else {
            let s = Step::new(
                Component::new(ComponentKind::VpcEndpoint, id, ""),
                HopAction::Drop,
                Rule::R6,
                said!(crate::text!("{id} is not in the design (deleted), so its route is a blackhole")),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NullRouted,
                    Code::BadStateRoute,
                    said!(crate::text!("remove the route to {id}")),
                ),
            );
        };
        let ep = &ix.d.endpoints[e];
        let comp = Component::new(ComponentKind::VpcEndpoint, ep.id.clone(), ep.name.clone());
        let here = &ix.d.vpcs[vpc];
        if ep.state != EndpointState::Available {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::G2,
                said!(crate::text!("{} is {state}, not available", ep.id, state = ep.state.api_name())),
            );
            self.block(
                s,
                h,
                Block::new(Disposition::NeighborUnreachable, Code::BadState, said!(crate::text!("recreate {}", ep.id))),
            );
        }
        if let Some(svc) = ix.service_named(ix.endpoint_service_name(e)) {
            if svc.region != here.region {
                let s = Step::new(
                    comp,
                    HopAction::Drop,
                    Rule::G1,
                    said!(crate::text!(
                        "{} serves {} but {} is in {}: gateway endpoints work in their own Region only",
                        ep.id,
                        svc.region,
                        here.id,
                        here.region
                    )),
                );
                return self.stop(
                    s,
                    h,
                    Block::new(
                        Disposition::NullRouted,
                        Code::BadStateRoute,
                        said!(crate::text!("use a gateway endpoint for the service in {}", here.region)),
                    ),
                );
            }
        }
        if !here.contains_addr(h.src) {
            let s = Step::new(comp, HopAction::Drop, Rule::G4, said!(crate::text!("{} came from outside {}: gateway endpoints do not carry traffic from peerings, VPNs or transit gateways", h.src, here.id)));
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedOut,
                    Code::PcxRequiresAddressInVpcCidr,
                    crate::text!("use an interface endpoint, which peers and on-premises networks can reach (E7)"),
                ),
            );
        }
        if !matches!(h.protocol, Protocol::Tcp | Protocol::Icmp) {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::G5,
                said!(crate::text!("{} passes only TCP and ICMP echo, not {}", ep.id, h.protocol)),
            );
            self.block(
                s,
                h,
                Block::new(Disposition::DeniedOut, Code::VpceGatewayProtocolRestriction, crate::text!("use TCP")),
            );
        }
        let s = Step::new(
            comp,
            HopAction::Forward,
            Rule::G3,
            said!(crate::text!(
                "{} carries the packet privately to the service; the source stays {} (no NAT, no internet gateway)",
                ep.id,
                h.src
            )),
        );
        self.pass(s, h, h);
        let svc = service_component(ix, h.dst);
        let s = Step::new(
            svc.clone(),
            HopAction::Exit,
            Rule::G3,
            said!(crate::text!("the packet reaches {} at {}", svc.name, h.dst)),
        );
        self.deliver(s, h, Final::GatewayEndpoint { endpoint: e, vpc })
    }

    /// A packet reaches an interface endpoint's network interface (E2, E3, E8), then the
    /// service behind it.
    pub(crate) fn at_endpoint(&mut self, e: usize, k: usize, subnet: usize, h: Header) -> Flow {
        let ix = self.ix;
        let ep = &ix.d.endpoints[e];
        let comp = Component::new(ComponentKind::VpcEndpoint, ep.id.clone(), ep.name.clone());
        if self.reply {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::E3,
                said!(crate::text!(
                    "{} has no connection this packet belongs to: services never open connections to consumers",
                    ep.id
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::VpceIntraVpcTraffic,
                    crate::text!("start the flow from the consumer"),
                ),
            );
        }
        if ep.kind != EndpointKind::Interface {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::R5,
                said!(crate::text!(
                    "{} is a {:?} endpoint, which the trace does not follow past its interface",
                    ep.id,
                    ep.kind
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::InsufficientInfo,
                    Code::UnsupportedComponent,
                    crate::text!("trace to the appliance behind it directly"),
                ),
            );
        }
        let Some(vpc) = ix.vpc_of(subnet) else {
            return self.missing(
                comp,
                h,
                said!(crate::text!("the subnet of {} belongs to no VPC of the design", ep.id)),
            );
        };
        let s = Step::new(
            comp.clone(),
            HopAction::Arrive,
            Rule::E1,
            said!(crate::text!(
                "the packet reaches {}'s interface {} in {}; the endpoint carries TCP over PrivateLink",
                ep.id,
                h.dst,
                ix.d.subnets[subnet].id
            )),
        );
        self.pass(s, h, h);
        if h.protocol != Protocol::Tcp {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::E3,
                said!(crate::text!("{} carries TCP only, not {}", ep.id, h.protocol)),
            );
            self.block(s, h, Block::new(Disposition::DeniedIn, Code::ProtocolRestriction, crate::text!("use TCP")));
        }
        // E2: the endpoint's groups must let clients in (the VPC default group when none).
        self.security_groups(Node::Endpoint(e, k), &ix.ep_sgs[e], false, vpc, h);
        if ep.state != EndpointState::Available {
            let fix = match ep.state {
                EndpointState::PendingAcceptance => match ix.service_ix.get(ix.endpoint_service_name(e)) {
                    Some(&s) => {
                        crate::text!("accept the connection request from {} in {}", ep.id, ix.d.endpoint_services[s].id)
                    }
                    None => crate::text!("have the service provider accept {}", ep.id),
                },
                EndpointState::Pending => crate::text!("wait until {} is available", ep.id),
                _ => crate::text!("create a new endpoint to replace {}", ep.id),
            };
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::E8,
                said!(crate::text!("{} is {}: only an available endpoint carries traffic", ep.id, ep.state.api_name())),
            );
            self.block(s, h, Block::new(Disposition::NeighborUnreachable, Code::BadState, fix));
        }
        if let Some(&svc) = ix.service_ix.get(ix.endpoint_service_name(e)) {
            return self.privatelink(e, k, svc, h);
        }
        let svc = endpoint_service_component(ix, e);
        let s = Step::new(
            svc.clone(),
            HopAction::Exit,
            Rule::E3,
            said!(crate::text!("the connection reaches {}", svc.name)),
        );
        self.deliver(s, h, Final::InterfaceService(Node::Endpoint(e, k)))
    }

    /// E9: PrivateLink carries the connection to the endpoint service's load balancer.
    fn privatelink(&mut self, e: usize, k: usize, svc: usize, h: Header) -> Flow {
        let ix = self.ix;
        let ep = &ix.d.endpoints[e];
        let service = &ix.d.endpoint_services[svc];
        let comp = Component::new(ComponentKind::EndpointService, service.id.clone(), service.name.clone());
        let consumer_region = ix.vpc_ix.get(ep.vpc.as_str()).map(|&v| ix.d.vpcs[v].region.as_str()).unwrap_or("");
        if service.region != consumer_region && !ix.d.features.cross_region_privatelink {
            let s =
                Step::new(
                    comp.clone(),
                    HopAction::Drop,
                    Rule::E10,
                    said!(crate::text!(
                    "{} is in {} and {} in {}: PrivateLink stays within a Region unless cross-Region PrivateLink is on",
                    service.id, service.region, ep.id, consumer_region
                )),
                );
            self.block(
                s,
                h,
                Block::new(
                    Disposition::NoRoute,
                    Code::BadState,
                    crate::text!("create the endpoint in the service's Region, or enable cross-Region PrivateLink"),
                ),
            );
        }
        let Some(lb) = service.load_balancers.iter().find_map(|l| ix.lb_ix.get(l.as_str()).copied()) else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::E9,
                said!(crate::text!("{} has no load balancer in the design", service.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::BadState,
                    said!(crate::text!("put a network load balancer behind {}", service.id)),
                ),
            );
        };
        let az = ix.ep_subnets[e].get(k).copied().flatten().map(|s| ix.d.subnets[s].az.as_str());
        let nodes = &ix.lb_subnets[lb];
        let node = (0..nodes.len())
            .find(|&n| nodes[n].map(|s| ix.d.subnets[s].az.as_str()) == az)
            .or_else(|| (0..nodes.len()).find(|&n| nodes[n].is_some()));
        let Some(node) = node else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::E9,
                said!(crate::text!("{} has no node in any subnet", ix.d.load_balancers[lb].id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::BadState,
                    crate::text!("give the load balancer a subnet"),
                ),
            );
        };
        let s = Step::new(
            comp,
            HopAction::Forward,
            Rule::E9,
            said!(crate::text!(
                "PrivateLink carries the connection from {} to {} behind {}; the consumer's and provider's address ranges may overlap",
                ep.id,
                ix.d.load_balancers[lb].id,
                service.id
            )),
        );
        self.pass(s, h, h);
        let Some(subnet) = nodes[node] else {
            return self.missing(
                Component::new(ComponentKind::LoadBalancer, ix.d.load_balancers[lb].id.clone(), ""),
                h,
                crate::text!("the load balancer's subnet is not in the design"),
            );
        };
        self.at_load_balancer(lb, node, subnet, h, Some(Node::Endpoint(e, k)))
    }

    /// A packet reaches a load balancer node: listener, target group, target (E9).
    /// `privatelink` is the consumer's endpoint interface when the connection came that way.
    pub(crate) fn at_load_balancer(
        &mut self,
        l: usize,
        k: usize,
        subnet: usize,
        h: Header,
        privatelink: Option<Node>,
    ) -> Flow {
        let ix = self.ix;
        let lb = &ix.d.load_balancers[l];
        let comp = Component::new(ComponentKind::LoadBalancer, lb.id.clone(), lb.name.clone());
        let node = Node::Lb(l, k);
        if self.reply {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::E9,
                said!(crate::text!("{} has no connection this reply belongs to", lb.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::NoPossibleDestination,
                    crate::text!("send the reply back the way the request came"),
                ),
            );
        }
        if lb.kind == LoadBalancerKind::Gateway {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::R5,
                said!(crate::text!("{} is a gateway load balancer, which the trace does not follow", lb.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::InsufficientInfo,
                    Code::UnsupportedComponent,
                    crate::text!("trace to the appliance behind it directly"),
                ),
            );
        }
        let Some(vpc) = ix.vpc_of(subnet) else {
            return self.missing(
                comp,
                h,
                said!(crate::text!("the subnet of {} belongs to no VPC of the design", lb.id)),
            );
        };
        if !ix.lb_sgs[l].is_empty() && privatelink.is_none() {
            self.security_groups(node, &ix.lb_sgs[l], false, vpc, h);
        }
        let listener = lb.listeners.iter().find(|x| Some(x.port) == h.dst_port && x.protocol.covers(h.protocol));
        let Some(listener) = listener else {
            let ports: Vec<String> = lb.listeners.iter().map(|x| format!("{} {}", x.protocol, x.port)).collect();
            let have_ui = if ports.is_empty() { "none".to_string() } else { ports.join(", ") };
            let (code, rule) = forwarding::no_listener(lb.kind);
            let s = Step::new(
                comp,
                HopAction::Drop,
                rule,
                said!(crate::text!(
                    "{} has no listener for {} {} (listeners: {have_ui})",
                    lb.id,
                    h.protocol,
                    h.dst_port.map_or("-".to_string(), |p| p.to_string())
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    code,
                    said!(crate::text!("add a listener for {} {} to {}", h.protocol, h.dst_port.unwrap_or(0), lb.id)),
                ),
            );
        };
        let Some(&tg) = listener.target_group.as_deref().and_then(|t| ix.tg_ix.get(t)) else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::E9,
                said!(crate::text!("the listener on port {} of {} forwards to no target group", listener.port, lb.id)),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::Elbv2ListenerHasNoTg,
                    crate::text!("give the listener a target group"),
                ),
            );
        };
        let group = &ix.d.target_groups[tg];
        // M10, M11: a lambda group is invoked, not reached; an alb group needs a network load
        // balancer's TCP listener.
        let alb_group = match group.target_type() {
            Some(TargetType::Lambda) => return self.invoke_lambda(l, k, tg, listener, h),
            Some(TargetType::Alb) => {
                if let Some(f) = self.alb_group_misplaced(l, tg, listener, h) {
                    return f;
                }
                true
            }
            _ => false,
        };
        let my_az = ix.d.subnets[subnet].az.as_str();
        let candidates = ix.target_candidates(tg, vpc);
        let chosen = candidates
            .iter()
            .find(|c| ix.node_subnet(c.node).map(|s| ix.d.subnets[s].az.as_str()) == Some(my_az))
            .or(candidates.first())
            .copied();
        let Some(chosen) = chosen else {
            let s =
                Step::new(comp, HopAction::Drop, Rule::E9, said!(crate::text!("{} has no running target", group.id)));
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NeighborUnreachable,
                    Code::Elbv2NoTargetsInAz,
                    said!(crate::text!("register a running target in {}", group.id)),
                ),
            );
        };
        let (target, port) = (chosen.node, chosen.port);
        let (Some(target_ip), Some(node_ip)) = (ix.node_ip(target), ix.node_ip(node)) else {
            return self.missing(comp, h, said!(crate::text!("the target or the node of {} has no address", lb.id)));
        };
        let rewrite_source = forwarding::rewrites_source(lb.kind, privatelink.is_some(), chosen, h.protocol);
        let rule = match alb_group && privatelink.is_none() {
            true => Rule::M11,
            false => forwarding::forward_rule(lb.kind, privatelink.is_some(), rewrite_source),
        };
        let mut out = h;
        out.dst = target_ip;
        out.dst_port = Some(port);
        let target_name = ix.node_component(target).label();
        let decision = if alb_group && !rewrite_source {
            Explanation::ForwardsToAlb { nlb: comp.label(), alb: target_name, to: out, client: h.src }
        } else if rewrite_source {
            out.src = node_ip;
            out.src_port = remap_port(&h, 0x4c42 + l as u32);
            said!(crate::text!("{} forwards to {target_name} at {target_ip}:{port}; the target sees the load balancer's address {node_ip} as the source", lb.id)).into()
        } else {
            said!(crate::text!(
                "{} forwards to {target_name} at {target_ip}:{port}, keeping the client's address {} as the source",
                lb.id,
                h.src
            ))
            .into()
        };
        self.pass(
            Step::new(comp.clone(), HopAction::Nat, rule, decision).matched(said!(crate::text!(
                "listener {} {} → {}",
                listener.protocol,
                listener.port,
                group.id
            ))),
            h,
            out,
        );
        // M4: the load balancer's own groups must let it send to the target.
        if !ix.lb_sgs[l].is_empty() && privatelink.is_none() {
            self.security_groups(node, &ix.lb_sgs[l], true, vpc, out);
        }
        if rewrite_source {
            self.conns.push(Conn {
                at: node,
                intercept: false,
                reply_in: out.reversed(),
                reply_out: h.reversed(),
                emit: privatelink.unwrap_or(node),
                component: comp,
                rule,
                zone: None,
            });
        } else {
            self.conns.push(Conn {
                at: target,
                intercept: true,
                reply_in: out.reversed(),
                reply_out: h.reversed(),
                emit: node,
                component: comp,
                rule,
                zone: None,
            });
        }
        self.leave(subnet, Some(node), out)
    }
}
