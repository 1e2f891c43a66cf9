//! The Network Firewall policy form (F2, F3): rule groups picked from the design, their
//! priorities following the order they are listed in.

use super::{fixed, TreeSpot};
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, PolicyGroupSpec, Ref};
use crate::model::{
    Design, FirewallPolicy, Resource, ResourceKind as RK, RuleGroupKind, RuleGroupRef, RuleOrder, StatefulDefault,
    StatelessAction,
};

pub struct FirewallPolicyForm;
pub static FORM: FirewallPolicyForm = FirewallPolicyForm;

/// Under the default region: policies are regional and say no VPC.
pub const TREE: TreeSpot = TreeSpot::InDefaultRegion { group: "Firewall policies", facts };

fn facts(_: &Design, r: Resource<'_>, lang: crate::l10n::Lang) -> String {
    let Resource::FirewallPolicy(p) = r else { return String::new() };
    crate::l10n::uif(
        lang,
        "{stateless} stateless · {stateful} stateful · default {default} · {order}",
        &[
            ("stateless", &p.stateless_groups.len()),
            ("stateful", &p.stateful_groups.len()),
            ("default", &p.stateless_default.api_name()),
            ("order", &p.rule_order.api_name().to_lowercase()),
        ],
    )
}

const ACTIONS: [StatelessAction; 3] = [StatelessAction::Forward, StatelessAction::Pass, StatelessAction::Drop];
const ORDERS: [RuleOrder; 2] = [RuleOrder::DefaultActionOrder, RuleOrder::StrictOrder];

fn groups(d: &Design, kind: RuleGroupKind) -> Vec<Choice> {
    d.firewall_rule_groups
        .iter()
        .filter(|g| g.kind == kind)
        .map(|g| Choice::new(&g.id, format!("{} ({})", g.name, g.id)))
        .collect()
}

fn action_choices() -> Vec<Choice> {
    ACTIONS.iter().map(|a| Choice::new(a.api_name(), a.api_name())).collect()
}

fn defaults_choices() -> Vec<Choice> {
    let mut v = vec![choices::none("(none)")];
    v.extend(
        [StatefulDefault::DropStrict, StatefulDefault::DropEstablished, StatefulDefault::AlertStrict]
            .iter()
            .map(|a| Choice::new(a.api_name(), a.api_name())),
    );
    v
}

/// The picked groups with priorities 10, 20 … in list order, or with the priorities they have
/// when the list is unchanged. Stateful groups take none under default action order (F3).
fn specs(d: &Design, text: &str, current: &[RuleGroupRef], priorities: bool) -> Vec<PolicyGroupSpec> {
    let refs = parse::refs(d, text, &[RK::FirewallRuleGroup]);
    let same = refs.len() == current.len() && refs.iter().zip(current).all(|(r, c)| r.key() == c.group);
    refs.into_iter()
        .enumerate()
        .map(|(i, group)| {
            let priority = if same { current[i].priority } else { priorities.then_some(10 * (i as u32 + 1)) };
            PolicyGroupSpec { group, priority }
        })
        .collect()
}

fn as_specs(refs: &[RuleGroupRef]) -> Vec<PolicyGroupSpec> {
    refs.iter().map(|r| PolicyGroupSpec { group: Ref::id(&r.group), priority: r.priority }).collect()
}

fn ids(refs: &[RuleGroupRef]) -> String {
    parse::ids_text(refs.iter().map(|r| &r.group))
}

impl FormSpec for FirewallPolicyForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::FirewallPolicy)
    }

    fn fields(&self, d: &Design, target: &FormTarget, _: &Context) -> Result<Vec<Field>, String> {
        let p: Option<&FirewallPolicy> = match target {
            FormTarget::Edit(id) => Some(d.firewall_policy(id).ok_or("the policy is gone")?),
            _ => None,
        };
        let default_strict = p.and_then(|p| p.stateful_defaults.first()).map_or("", |a| a.api_name());
        Ok(vec![
            Field::text("name", "Name", p.map_or("", |p| &p.name), "unique in the region"),
            Field::multi(
                "stateless_groups",
                "Stateless groups",
                groups(d, RuleGroupKind::Stateless),
                &p.map(|p| ids(&p.stateless_groups)).unwrap_or_default(),
            )
            .with_hint("run first, by priority: 10, 20 … in this order (F2); Space ticks"),
            Field::choice(
                "stateless_default",
                "Stateless default",
                action_choices(),
                p.map_or(StatelessAction::Forward, |p| p.stateless_default).api_name(),
            )
            .with_hint("for packets no stateless rule matched (F2)"),
            Field::choice(
                "fragment_default",
                "Fragment default",
                action_choices(),
                p.map_or(StatelessAction::Forward, |p| p.stateless_fragment_default).api_name(),
            ),
            fixed(
                p.is_some(),
                Field::choice(
                    "rule_order",
                    "Stateful order",
                    choices::enums(&ORDERS),
                    &p.map_or("DefaultActionOrder".into(), |p| choices::name_of(p.rule_order)),
                ),
            )
            .with_hint("fixed once made: action order (pass, drop, reject, alert) or strict (F3)"),
            Field::multi(
                "stateful_groups",
                "Stateful groups",
                groups(d, RuleGroupKind::Stateful),
                &p.map(|p| ids(&p.stateful_groups)).unwrap_or_default(),
            )
            .with_hint("forwarded packets; strict order: by priority 10, 20 … (F3); Space ticks"),
            Field::choice("stateful_default", "Strict default", defaults_choices(), default_strict)
                .with_hint("strict order only: what no stateful rule matched gets (F3)"),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let action = |k: &str| StatelessAction::from_api(g(k)).unwrap_or(StatelessAction::Forward);
        let defaults: Vec<StatefulDefault> = StatefulDefault::from_api(g("stateful_default")).into_iter().collect();
        match form.editing() {
            None => {
                let order = choices::pick(&ORDERS, g("rule_order"));
                let strict = order == RuleOrder::StrictOrder;
                dr.ops.push(Op::AddFirewallPolicy {
                    name: g("name").to_string(),
                    stateless_default: action("stateless_default"),
                    stateless_fragment_default: action("fragment_default"),
                    stateless_groups: specs(d, g("stateless_groups"), &[], true),
                    stateful_groups: specs(d, g("stateful_groups"), &[], strict),
                    rule_order: order,
                    stateful_defaults: defaults,
                });
            }
            Some(id) => {
                let Some(p) = d.firewall_policy(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let strict = p.rule_order == RuleOrder::StrictOrder;
                let stateless = specs(d, g("stateless_groups"), &p.stateless_groups, true);
                let stateful = specs(d, g("stateful_groups"), &p.stateful_groups, strict);
                let name = parse::changed(g("name").to_string(), &p.name);
                let sd = parse::changed(action("stateless_default"), &p.stateless_default);
                let sfd = parse::changed(action("fragment_default"), &p.stateless_fragment_default);
                let stateless = parse::changed(stateless, &as_specs(&p.stateless_groups));
                let stateful = parse::changed(stateful, &as_specs(&p.stateful_groups));
                let defaults = parse::changed(defaults, &p.stateful_defaults);
                let any = name.is_some()
                    || sd.is_some()
                    || sfd.is_some()
                    || stateless.is_some()
                    || stateful.is_some()
                    || defaults.is_some();
                if any {
                    dr.ops.push(Op::UpdateFirewallPolicy {
                        policy: Ref::id(id),
                        name,
                        stateless_default: sd,
                        stateless_fragment_default: sfd,
                        stateless_groups: stateless,
                        stateful_groups: stateful,
                        stateful_defaults: defaults,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "policy" => "name",
            "stateless_fragment_default" => "fragment_default",
            "stateful_defaults" => "stateful_default",
            f => f,
        }
    }
}
