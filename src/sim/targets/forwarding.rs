//! What a load balancer does between its listener and a target (M4–M6, E9): which targets a
//! target group holds (instances, addresses, and the tasks of ECS services registered in it),
//! whose address the target sees, and which rule a forward hop cites. The walk itself is
//! `Walk::at_load_balancer` in `endpoints.rs`.

use crate::model::{InstanceState, LoadBalancerKind, Protocol};
use crate::rules::Rule;
use crate::sim::index::{Node, TraceIndex};
use crate::sim::result::Code;

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
