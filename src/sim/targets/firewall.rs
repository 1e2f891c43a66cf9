//! AWS Network Firewall endpoints (F1): a route sends the packet to the firewall's endpoint in
//! a firewall subnet; the policy's stateless engine looks at it (F2) and, for what it forwards,
//! the stateful engine (F3, F4); what passes goes on by the firewall subnet's route table,
//! unchanged.

use crate::model::{StatefulAction, StatelessAction};
use crate::rules::Rule;
use crate::sim::engine::{Block, Flow, Inspection, Inspector, Step, Walk};
use crate::sim::index::Node;
use crate::sim::inspect::{self, stateless_text};
use crate::sim::result::{Code, Component, ComponentKind, Disposition, Header, HopAction};
use ipnet::IpNet;

impl Walk<'_, '_> {
    /// A packet reaches endpoint `k` of firewall `f` (F1–F4).
    pub(crate) fn at_firewall(&mut self, f: usize, k: usize, subnet: usize, h: Header) -> Flow {
        let ix = self.ix;
        let fw = &ix.d.network_firewalls[f];
        let ep = &fw.endpoints[k];
        let sn = &ix.d.subnets[subnet];
        let comp = Component::new(ComponentKind::NetworkFirewall, fw.id.clone(), fw.name.clone());
        let node = Node::Firewall(f, k);
        let state = if self.reply { self.reply_state(Inspector::Firewall(f), node, &sn.az) } else { None };
        let warning = match &state {
            Some(Err(w)) => Some(w.clone()),
            _ => None,
        };
        let mut arrive = Step::new(
            comp.clone(),
            HopAction::Arrive,
            Rule::F1,
            said!(crate::text!("the packet reaches {}'s endpoint {} in {} ({})", fw.id, ep.id, sn.id, sn.az)),
        )
        .warn(warning);
        arrive.subnet = Some(sn.id.clone());
        self.pass(arrive, h, h);
        let Some(p) = ix.fw_policy[f] else {
            return self.missing(comp, h, said!(crate::text!("{}'s policy {} is not in the design", fw.id, fw.policy)));
        };
        let policy = &ix.d.firewall_policies[p];
        let groups = &ix.d.firewall_rule_groups;
        let find = |id: &str| ix.rule_group_ix.get(id).copied();
        let pcomp = Component::new(ComponentKind::FirewallPolicy, policy.id.clone(), policy.name.clone());
        let group_comp =
            |g: usize| Component::new(ComponentKind::FirewallRuleGroup, groups[g].id.clone(), groups[g].name.clone());
        // F2: stateless, for every packet of either direction.
        let sl = inspect::stateless(policy, groups, find, &h);
        let (scomp, matched) = match sl.rule {
            Some((g, r)) => (group_comp(g), stateless_text(&groups[g].stateless_rules[r])),
            None => (pcomp.clone(), crate::text!("stateless default action: {}", sl.action.api_name())),
        };
        match sl.action {
            StatelessAction::Drop => {
                let s = Step::new(
                    scomp,
                    HopAction::Drop,
                    Rule::F2,
                    said!(crate::text!("the stateless engine of {} drops {h}", fw.id)),
                )
                .matched(matched);
                return self.stop(
                    s,
                    h,
                    Block::new(
                        Disposition::DeniedIn,
                        Code::FirewallRulesRestriction,
                        said!(crate::text!("pass or forward the flow in the stateless rules of {}", policy.id)),
                    ),
                );
            }
            StatelessAction::Pass => {
                let s = Step::new(
                    scomp,
                    HopAction::Inspect,
                    Rule::F2,
                    said!(crate::text!("the stateless engine of {} passes {h} without stateful inspection", fw.id)),
                )
                .matched(matched);
                self.pass(s, h, h);
                if !self.reply {
                    self.inspected.push(Inspection {
                        owner: Inspector::Firewall(f),
                        at: node,
                        az: sn.az.clone(),
                        stateful: false,
                    });
                }
            }
            StatelessAction::Forward => {
                let s = Step::new(
                    scomp,
                    HopAction::Inspect,
                    Rule::F2,
                    said!(crate::text!("the stateless engine of {} forwards {h} to the stateful engine", fw.id)),
                )
                .matched(matched);
                self.pass(s, h, h);
                if !self.stateful_engine(f, node, subnet, state, h) {
                    return None;
                }
            }
        }
        let Some(rt) = ix.subnet_rt[subnet] else {
            let s = Step::new(
                Component::new(ComponentKind::Subnet, sn.id.clone(), sn.name.clone()),
                HopAction::Drop,
                Rule::R1,
                said!(crate::text!("{} has no route table, so {} cannot send the packet on", sn.id, fw.id)),
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
        let Some(vpc) = ix.vpc_of(subnet) else {
            return self.missing(comp, h, said!(crate::text!("{}'s VPC is not in the design", sn.id)));
        };
        let mut out = Step::new(
            comp,
            HopAction::Forward,
            Rule::F1,
            said!(crate::text!(
                "{} sends the packet on by {}'s route table {}",
                fw.id,
                sn.id,
                ix.d.route_tables[rt].id
            )),
        );
        out.subnet = Some(sn.id.clone());
        self.pass(out, h, h);
        // The packet keeps its origin (`via`): a firewall endpoint is not a source (N6).
        self.route(rt, vpc, Some(subnet), None, h)
    }

    /// F3, F4: the stateful engine. On the reply, the state the request left lets it pass.
    /// Returns whether the packet goes on.
    fn stateful_engine(
        &mut self,
        f: usize,
        node: Node,
        subnet: usize,
        state: Option<Result<bool, crate::l10n::Text>>,
        h: Header,
    ) -> bool {
        let ix = self.ix;
        let fw = &ix.d.network_firewalls[f];
        let Some(p) = ix.fw_policy[f] else { return false };
        let policy = &ix.d.firewall_policies[p];
        let groups = &ix.d.firewall_rule_groups;
        let pcomp = Component::new(ComponentKind::FirewallPolicy, policy.id.clone(), policy.name.clone());
        if let Some(Ok(true)) = state {
            let s = Step::new(
                pcomp,
                HopAction::StatefulAllowed,
                Rule::F3,
                said!(crate::text!("the stateful engine of {} matches the reply to the flow it let through", fw.id)),
            );
            self.pass(s, h, h);
            return true;
        }
        // F4: HOME_NET defaults to the firewall VPC's CIDRs.
        let home: Vec<IpNet> = ix.fw_vpc[f].map(|v| ix.d.vpcs[v].all_cidrs().collect()).unwrap_or_default();
        let d =
            inspect::stateful(policy, groups, |id| ix.rule_group_ix.get(id).copied(), &h, self.host.as_deref(), &home);
        let comp = match d.group {
            Some(g) => Component::new(ComponentKind::FirewallRuleGroup, groups[g].id.clone(), groups[g].name.clone()),
            None => pcomp,
        };
        let (fw_id, why) = (&fw.id, joined(&d.notes));
        match d.action {
            StatefulAction::Pass | StatefulAction::Alert => {
                let said = if d.notes.is_empty() {
                    crate::text!("the stateful engine of {fw_id} lets {h} through")
                } else {
                    crate::text!("the stateful engine of {fw_id} lets {h} through ({why})").with("why", why)
                };
                let s = Step::new(comp, HopAction::Inspect, d.rule, said!(said)).matched(said!(d.what));
                self.pass(s, h, h);
                if !self.reply {
                    self.inspected.push(Inspection {
                        owner: Inspector::Firewall(f),
                        at: node,
                        az: ix.d.subnets[subnet].az.clone(),
                        stateful: true,
                    });
                }
                true
            }
            StatefulAction::Drop | StatefulAction::Reject => {
                let said = match (d.action == StatefulAction::Reject, d.notes.is_empty()) {
                    (true, true) => {
                        crate::text!("the stateful engine of {fw_id} rejects (drops, with a TCP reset) {h}")
                    }
                    (true, false) => {
                        crate::text!("the stateful engine of {fw_id} rejects (drops, with a TCP reset) {h} ({why})")
                            .with("why", why)
                    }
                    (false, true) => crate::text!("the stateful engine of {fw_id} drops {h}"),
                    (false, false) => crate::text!("the stateful engine of {fw_id} drops {h} ({why})").with("why", why),
                };
                let s = Step::new(comp, HopAction::Drop, d.rule, said!(said)).matched(said!(d.what));
                self.block(
                    s,
                    h,
                    Block::new(
                        Disposition::DeniedIn,
                        Code::FirewallRulesRestriction,
                        said!(crate::text!("pass the flow in the stateful rules of {}", policy.id)),
                    ),
                );
                false
            }
        }
    }
}

/// Notes said one after another, `; ` between them, each in the reader's language.
fn joined(notes: &[crate::l10n::Text]) -> crate::l10n::Text {
    let mut it = notes.iter().rev().cloned();
    let Some(last) = it.next() else { return crate::l10n::Text::default() };
    it.fold(last, |rest, note| crate::text!("{note}; {rest}").with("note", note).with("rest", rest))
}
