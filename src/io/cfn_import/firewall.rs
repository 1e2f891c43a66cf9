//! `AWS::NetworkFirewall::Firewall`, `FirewallPolicy` and `RuleGroup` (F1–F4), and the
//! documented way a route names a firewall endpoint: `Fn::Select [1, Fn::Split [":",
//! Fn::Select [n, Fn::GetAtt Firewall.EndpointIds]]]` (each of `EndpointIds` is `az:vpce-…`).
//!
//! Ids: `fw-<logical>`, `fwp-<logical>`, `rg-<logical>`; endpoint `n` (its subnet mapping's
//! place) is `vpce-<logical>-<n+1>` with a made-up address, as AWS assigns both.

use super::values::{list, n, p, s};
use super::Cx;
use crate::io::cfn::markers::{marker, Marker};
use crate::io::firewall_api;
use crate::model::*;
use serde_json::Value;

/// The logical id a `Ref` or `Fn::GetAtt` (an ARN) names, if it is one of `ty`.
fn logical_of<'t>(cx: &Cx<'t>, v: &Value, ty: &str) -> Option<&'t str> {
    let l = match marker(v) {
        Some(Marker::Ref(l)) | Some(Marker::GetAtt(l, _)) => l.to_string(),
        _ => v.as_str()?.split("{{$ref:").nth(1)?.split("}}").next()?.to_string(),
    };
    cx.t.resources.iter().find(|r| r.logical_id == l && r.resource_type == ty).map(|r| r.logical_id.as_str())
}

pub fn import(cx: &mut Cx) {
    for r in cx.of_type("AWS::NetworkFirewall::RuleGroup") {
        let g = rule_group(cx, &r.logical_id, &r.properties);
        cx.d.firewall_rule_groups.push(g);
    }
    for r in cx.of_type("AWS::NetworkFirewall::FirewallPolicy") {
        let fp = policy(cx, &r.logical_id, p(&r.properties, "FirewallPolicy"));
        cx.d.firewall_policies.push(fp);
    }
    for r in cx.of_type("AWS::NetworkFirewall::Firewall") {
        let props = &r.properties;
        let Some(vpc) = cx.vpc_prop(props, "VpcId", &r.logical_id) else { continue };
        let policy = match logical_of(cx, p(props, "FirewallPolicyArn"), "AWS::NetworkFirewall::FirewallPolicy") {
            Some(l) => format!("fwp-{l}"),
            None => {
                cx.report.warn(
                    "",
                    &r.logical_id,
                    crate::text!("its policy is not in the template: the trace cannot say what it does"),
                );
                s(props, "FirewallPolicyArn").unwrap_or("unknown-policy").to_string()
            }
        };
        let mut endpoints = Vec::new();
        for m in list(props, "SubnetMappings") {
            let Some(subnet) = cx.subnet_ref(p(m, "SubnetId"), Some(&vpc), &r.logical_id) else { continue };
            let Some(ip) = cx.ph.private_ip(&cx.d, &subnet) else { continue };
            let id = format!("vpce-{}-{}", r.logical_id, endpoints.len() + 1);
            endpoints.push(FirewallEndpoint { id, subnet, ip, placeholder: true });
        }
        let name = s(props, "FirewallName").unwrap_or(&r.logical_id).to_string();
        cx.report.info(
            "",
            &r.logical_id,
            crate::text!("firewall endpoint ids and addresses are made up (AWS assigns them); Fn::GetAtt EndpointIds is taken in the order of SubnetMappings"),
        );
        cx.d.network_firewalls.push(NetworkFirewall {
            id: format!("fw-{}", r.logical_id),
            name,
            vpc,
            policy,
            endpoints,
        });
    }
}

/// F1: the endpoint a route's `VpcEndpointId` names through the documented idiom, if it does.
pub fn endpoint_of_route(cx: &Cx, v: &Value) -> Option<Id> {
    let select = |v: &Value| -> Option<(u64, Value)> {
        let Some(Marker::Unresolved(inner)) = marker(v) else { return None };
        let args = inner.get("Fn::Select")?.as_array()?;
        Some((args.first()?.as_u64().or_else(|| args.first()?.as_str()?.parse().ok())?, args.get(1)?.clone()))
    };
    let (one, split) = select(v)?;
    let Some(Marker::Unresolved(inner)) = marker(&split) else { return None };
    let args = inner.get("Fn::Split")?.as_array()?;
    if one != 1 || args.first()?.as_str()? != ":" {
        return None;
    }
    let (k, ids) = select(args.get(1)?)?;
    let Some(Marker::GetAtt(l, "EndpointIds")) = marker(&ids) else { return None };
    let fw = cx.d.network_firewalls.iter().find(|f| f.id == format!("fw-{l}"))?;
    fw.endpoints.get(k as usize).map(|e| e.id.clone())
}

fn group_ref(cx: &Cx, v: &Value) -> Option<Id> {
    logical_of(cx, v, "AWS::NetworkFirewall::RuleGroup").map(|l| format!("rg-{l}"))
}

fn rule_group(cx: &mut Cx, logical: &str, props: &Value) -> FirewallRuleGroup {
    let head = firewall_api::GroupHead {
        id: format!("rg-{logical}"),
        name: s(props, "RuleGroupName").unwrap_or(logical),
        kind: s(props, "Type"),
        capacity: n(props, "Capacity"),
    };
    let mut r = firewall_api::Reporter { report: &mut cx.report, file: "", from: logical };
    firewall_api::rule_group(head, p(props, "RuleGroup"), &mut r)
}

fn policy(cx: &mut Cx, logical: &str, fp: &Value) -> FirewallPolicy {
    let refs: Vec<(Value, Option<Id>)> = ["StatelessRuleGroupReferences", "StatefulRuleGroupReferences"]
        .iter()
        .flat_map(|k| list(fp, k))
        .map(|x| (p(x, "ResourceArn").clone(), group_ref(cx, p(x, "ResourceArn"))))
        .collect();
    let mut group = |v: &Value| refs.iter().find(|(k, _)| k == v).and_then(|(_, g)| g.clone());
    let mut r = firewall_api::Reporter { report: &mut cx.report, file: "", from: logical };
    firewall_api::policy(format!("fwp-{logical}"), logical, fp, &mut group, &mut r)
}
