//! AWS Network Firewall (F1–F4): rule groups, policies and firewalls, and the documented way
//! a route names a firewall endpoint, `Fn::Select [1, Fn::Split [":", Fn::Select [n,
//! Fn::GetAtt Firewall.EndpointIds]]]`, `n` being the endpoint's subnet mapping's place
//! (the CloudFormation importer reads the same idiom back).

use super::Cfn;
use crate::io::firewall_api::{self, aws_name};
use crate::model::*;
use serde_json::{json, Value};

/// Whether the firewall goes out with this stack (its VPC does).
fn exported(cx: &Cfn, f: &NetworkFirewall) -> bool {
    cx.plan.in_scope(&f.vpc)
}

/// Names for every firewall of the stack, and the policies and rule groups (which have no
/// region in the design: every one goes out), before routes refer to them.
pub(super) fn assign_ids(cx: &mut Cfn) {
    let d = cx.d;
    for g in &d.firewall_rule_groups {
        cx.plan.names.assign(&g.id, &g.name, "RuleGroup");
    }
    for p in &d.firewall_policies {
        cx.plan.names.assign(&p.id, &p.name, "FirewallPolicy");
    }
    for f in &d.network_firewalls {
        if !exported(cx, f) {
            continue;
        }
        cx.plan.names.assign(&f.id, &f.name, "Firewall");
        for (k, e) in f.endpoints.iter().enumerate() {
            cx.firewall_endpoints.insert(e.id.clone(), (f.id.clone(), k));
        }
    }
}

/// The `VpcEndpointId` of a route to a firewall endpoint of the stack, if `id` is one.
pub(super) fn endpoint_ref(cx: &Cfn, id: &str) -> Option<Value> {
    let (f, k) = cx.firewall_endpoints.get(id)?;
    let l = cx.plan.name(f)?;
    Some(
        json!({ "Fn::Select": [1, { "Fn::Split": [":", { "Fn::Select": [k, { "Fn::GetAtt": [l, "EndpointIds"] }] }] }] }),
    )
}

pub(super) fn export(cx: &mut Cfn) {
    let d = cx.d;
    for g in &d.firewall_rule_groups {
        let Some(l) = cx.plan.name(&g.id).map(str::to_string) else { continue };
        let kind = match g.kind {
            RuleGroupKind::Stateless => "STATELESS",
            RuleGroupKind::Stateful => "STATEFUL",
        };
        let props = json!({
            "RuleGroupName": aws_name(&g.name, "RuleGroup"),
            "Type": kind,
            "Capacity": g.capacity,
            "RuleGroup": firewall_api::rule_group_to_api(g),
        });
        cx.add(&l, "AWS::NetworkFirewall::RuleGroup", props);
    }
    for p in &d.firewall_policies {
        let Some(l) = cx.plan.name(&p.id).map(str::to_string) else { continue };
        let missing: Vec<&str> = [&p.stateless_groups, &p.stateful_groups]
            .into_iter()
            .flatten()
            .filter(|r| !cx.declared(&r.group))
            .map(|r| r.group.as_str())
            .collect();
        if !missing.is_empty() {
            cx.note(format!("{}: rule groups {} are not in the design; named by id", p.name, missing.join(", ")));
        }
        let arn = |g: &str| cx.r(g);
        let props = json!({
            "FirewallPolicyName": aws_name(&p.name, "FirewallPolicy"),
            "FirewallPolicy": firewall_api::policy_to_api(p, &arn),
        });
        cx.add(&l, "AWS::NetworkFirewall::FirewallPolicy", props);
    }
    for f in &d.network_firewalls {
        let Some(l) = cx.plan.name(&f.id).map(str::to_string) else { continue };
        if !cx.declared(&f.policy) {
            cx.note(format!("{}: its policy {} is not in the design; named by id", f.name, f.policy));
        }
        let mappings: Vec<Value> = f.endpoints.iter().map(|e| json!({ "SubnetId": cx.r(&e.subnet) })).collect();
        let props = json!({
            "FirewallName": aws_name(&f.name, "Firewall"),
            "FirewallPolicyArn": cx.r(&f.policy),
            "VpcId": cx.r(&f.vpc),
            "SubnetMappings": mappings,
        });
        cx.add(&l, "AWS::NetworkFirewall::Firewall", props);
    }
}
