//! What a load balancer does between its listener and a target (M4–M6, M10, M11, E9): which
//! targets a target group holds (instances, addresses, the tasks of ECS services registered in
//! it, an application load balancer's nodes), whose address the target sees, and which rule a
//! forward hop cites; a Lambda function invoked through the Lambda service. The walk itself is
//! `Walk::at_load_balancer` in `endpoints.rs`.

use crate::model::{ComputeKind, InstanceState, Listener, LoadBalancerKind, Protocol, TargetType};
use crate::rules::Rule;
use crate::sim::engine::{Block, Final, Flow, Step, Walk};
use crate::sim::explain::Explanation;
use crate::sim::index::{Node, TraceIndex};
use crate::sim::result::{Code, Component, ComponentKind, Disposition, Header, HopAction};

/// A target a load balancer can forward to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub node: Node,
    /// The port it takes the connection on: its own, else the target group's (M4).
    pub port: u16,
    /// Registered by address (an IP target, an ECS task) rather than as an instance (M5).
    pub by_address: bool,
}

impl TraceIndex<'_> {
    /// The running targets of target group `tg` in VPC `vpc`: registered instances and
    /// addresses, then the tasks of ECS services registered in it (M8).
    pub(crate) fn target_candidates(&self, tg: usize, vpc: usize) -> Vec<Candidate> {
        let group = &self.d.target_groups[tg];
        // M11: an alb group's target is the application load balancer's nodes, on the group's
        // port (a listener port of the ALB); the ALB takes the connection as it is.
        if group.target_type() == Some(TargetType::Alb) {
            let Some(&a) = group.targets.first().and_then(|t| self.lb_ix.get(t.id.as_str())) else { return Vec::new() };
            if self.d.load_balancers[a].kind != LoadBalancerKind::Application {
                return Vec::new();
            }
            return (0..self.d.load_balancers[a].nodes.len())
                .filter(|&k| self.lb_subnets[a].get(k).copied().flatten().is_some())
                .map(|k| Candidate { node: Node::Lb(a, k), port: group.port, by_address: false })
                .collect();
        }
        let mut out: Vec<Candidate> = group
            .targets
            .iter()
            .filter_map(|t| {
                let (node, by_address) = match self.instance_ix.get(t.id.as_str()) {
                    Some(&i) => {
                        if self.d.instances[i].state != InstanceState::Running {
                            return None;
                        }
                        (Node::Eni(self.instance_eni[i]?), false)
                    }
                    None => (*self.by_private.get(&(vpc, t.id.parse().ok()?))?, true),
                };
                Some(Candidate { node, port: t.port.unwrap_or(group.port), by_address })
            })
            .collect();
        if let Some(tasks) = self.managed.tg_tasks.get(&tg) {
            out.extend(tasks.iter().map(|&(j, port)| Candidate { node: Node::Managed(j), port, by_address: true }));
        }
        out
    }
}

impl Walk<'_, '_> {
    /// M10: an application load balancer's listener forwards to a lambda target group: the load
    /// balancer invokes the function through the Lambda service (no network connection), so the
    /// request is delivered there; the load balancer answers the client.
    pub(crate) fn invoke_lambda(&mut self, l: usize, k: usize, tg: usize, listener: &Listener, h: Header) -> Flow {
        let ix = self.ix;
        let lb = &ix.d.load_balancers[l];
        let group = &ix.d.target_groups[tg];
        let comp = Component::new(ComponentKind::LoadBalancer, lb.id.clone(), lb.name.clone());
        if lb.kind != LoadBalancerKind::Application {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::M10,
                said!(crate::text!(
                    "{} is a lambda target group and {} is not an application load balancer: only an application load balancer invokes Lambda functions",
                    group.id,
                    lb.id
                )),
            );
            let fix = said!(crate::text!("forward to {} from an application load balancer's listener", group.id));
            return self.stop(s, h, Block::new(Disposition::DeniedIn, Code::NoPossibleDestination, fix));
        }
        let function = group
            .targets
            .first()
            .and_then(|t| ix.d.compute_service(&t.id))
            .filter(|c| c.kind == ComputeKind::LambdaFunction);
        let Some(f) = function else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::M10,
                said!(crate::text!("{} has no Lambda function of the design registered", group.id)),
            );
            let fix = said!(crate::text!("register a Lambda function in {}", group.id));
            return self.stop(s, h, Block::new(Disposition::NeighborUnreachable, Code::Elbv2NoTargetsInAz, fix));
        };
        let target = Component::new(ComponentKind::LambdaFunction, f.id.clone(), f.name.clone());
        let decision =
            Explanation::InvokesLambda { lb: comp.label(), function: target.label(), group: group.id.clone() };
        let s = Step::new(target, HopAction::Deliver, Rule::M10, decision).matched(said!(crate::text!(
            "listener {} {} → {}",
            listener.protocol,
            listener.port,
            group.id
        )));
        self.deliver(s, h, Final::Node(Node::Lb(l, k)))
    }

    /// M11: an alb target group only behind a network load balancer's TCP listener, with an
    /// application load balancer registered; the drop when a loaded design has it elsewhere.
    pub(crate) fn alb_group_misplaced(&mut self, l: usize, tg: usize, listener: &Listener, h: Header) -> Option<Flow> {
        let ix = self.ix;
        let lb = &ix.d.load_balancers[l];
        let group = &ix.d.target_groups[tg];
        if lb.kind == LoadBalancerKind::Network && listener.protocol == Protocol::Tcp {
            return None;
        }
        let comp = Component::new(ComponentKind::LoadBalancer, lb.id.clone(), lb.name.clone());
        let s = Step::new(
            comp,
            HopAction::Drop,
            Rule::M11,
            said!(crate::text!(
                "{} is an alb target group: only a network load balancer's TCP listener forwards to it, not {}'s {} {} listener",
                group.id,
                lb.id,
                listener.protocol,
                listener.port
            )),
        );
        let fix = said!(crate::text!("forward to {} from a network load balancer's TCP listener", group.id));
        Some(self.stop(s, h, Block::new(Disposition::DeniedIn, Code::NoPossibleDestination, fix)))
    }
}

/// Whether the target sees the load balancer's address instead of the client's: always
/// through PrivateLink (E9), for application and classic load balancers (M4, M6), and for a
/// network load balancer's address targets over TCP (M5: client IP preservation is off by
/// default there, on for instances and UDP).
pub(crate) fn rewrites_source(
    kind: LoadBalancerKind,
    privatelink: bool,
    target: Candidate,
    protocol: Protocol,
) -> bool {
    privatelink
        || match kind {
            LoadBalancerKind::Application | LoadBalancerKind::Classic => true,
            LoadBalancerKind::Network => target.by_address && protocol == Protocol::Tcp,
            LoadBalancerKind::Gateway => false,
        }
}

/// The rule a load balancer's forward hop cites.
pub(crate) fn forward_rule(kind: LoadBalancerKind, privatelink: bool, rewrite: bool) -> Rule {
    match kind {
        _ if privatelink => Rule::E9,
        LoadBalancerKind::Application => Rule::M4,
        LoadBalancerKind::Classic => Rule::M6,
        LoadBalancerKind::Network if rewrite => Rule::M5,
        _ => Rule::E9,
    }
}

/// The code and rule when no listener takes the packet: a classic load balancer's (M6) or an
/// ELBv2 one's.
pub(crate) fn no_listener(kind: LoadBalancerKind) -> (Code, Rule) {
    match kind {
        LoadBalancerKind::Classic => (Code::ElbListenerPortRestriction, Rule::M6),
        LoadBalancerKind::Application => (Code::Elbv2ListenerPortRestriction, Rule::M4),
        _ => (Code::Elbv2ListenerPortRestriction, Rule::E9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m5_client_ip_is_kept_for_instances_and_udp_only() {
        let inst = Candidate { node: Node::Eni(0), port: 80, by_address: false };
        let ip = Candidate { by_address: true, ..inst };
        assert!(!rewrites_source(LoadBalancerKind::Network, false, inst, Protocol::Tcp));
        assert!(rewrites_source(LoadBalancerKind::Network, false, ip, Protocol::Tcp));
        assert!(!rewrites_source(LoadBalancerKind::Network, false, ip, Protocol::Udp));
        assert!(rewrites_source(LoadBalancerKind::Network, true, inst, Protocol::Tcp), "E9");
        assert!(rewrites_source(LoadBalancerKind::Application, false, inst, Protocol::Tcp), "M4");
        assert!(rewrites_source(LoadBalancerKind::Classic, false, inst, Protocol::Tcp), "M6");
    }
}
