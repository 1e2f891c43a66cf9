//! `AWS::NetworkFirewall::Firewall`, `FirewallPolicy` and `RuleGroup` (F1–F4), and the
//! documented way a route names a firewall endpoint: `Fn::Select [1, Fn::Split [":",
//! Fn::Select [n, Fn::GetAtt Firewall.EndpointIds]]]` (each of `EndpointIds` is `az:vpce-…`).
//!
//! Ids: `fw-<logical>`, `fwp-<logical>`, `rg-<logical>`; endpoint `n` (its subnet mapping's
//! place) is `vpce-<logical>-<n+1>` with a made-up address, as AWS assigns both.

use super::values::{list, n, p, s};
use super::Cx;
use crate::io::cfn::markers::{marker, Marker};
use crate::model::*;
use ipnet::IpNet;
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
                    "its policy is not in the template: the trace cannot say what it does",
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
            "firewall endpoint ids and addresses are made up (AWS assigns them); Fn::GetAtt EndpointIds is taken in the order of SubnetMappings",
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

fn first_action(v: &Value, key: &str, from: &str, cx: &mut Cx) -> StatelessAction {
    let acts: Vec<&str> = list(v, key).into_iter().filter_map(Value::as_str).collect();
    match acts.iter().find_map(|a| StatelessAction::from_api(a)) {
        Some(a) => a,
        None => {
            if !acts.is_empty() {
                cx.report.warn("", from, format!("{key} {acts:?}: no standard action, forward_to_sfe assumed"));
            }
            StatelessAction::Forward
        }
    }
}

fn group_refs(cx: &Cx, v: &Value, key: &str) -> Vec<RuleGroupRef> {
    list(v, key)
        .into_iter()
        .filter_map(|r| {
            let l = logical_of(cx, p(r, "ResourceArn"), "AWS::NetworkFirewall::RuleGroup")?;
            Some(RuleGroupRef {
                group: format!("rg-{l}"),
                priority: n(r, "Priority").and_then(|x| u32::try_from(x).ok()),
            })
        })
        .collect()
}

fn policy(cx: &mut Cx, logical: &str, fp: &Value) -> FirewallPolicy {
    let rule_order = match s(p(fp, "StatefulEngineOptions"), "RuleOrder") {
        Some("STRICT_ORDER") => RuleOrder::StrictOrder,
        _ => RuleOrder::DefaultActionOrder,
    };
    let stateful_defaults =
        list(fp, "StatefulDefaultActions").into_iter().filter_map(|a| StatefulDefault::from_api(a.as_str()?)).collect();
    let stateless_groups = group_refs(cx, fp, "StatelessRuleGroupReferences");
    let stateful_groups = group_refs(cx, fp, "StatefulRuleGroupReferences");
    FirewallPolicy {
        id: format!("fwp-{logical}"),
        name: logical.to_string(),
        stateless_default: first_action(fp, "StatelessDefaultActions", logical, cx),
        stateless_fragment_default: first_action(fp, "StatelessFragmentDefaultActions", logical, cx),
        stateless_groups,
        stateful_groups,
        rule_order,
        stateful_defaults,
    }
}

fn nets(cx: &mut Cx, v: &Value, key: &str, from: &str) -> Vec<IpNet> {
    let mut out = Vec::new();
    for a in list(v, key) {
        match s(a, "AddressDefinition").map(|x| x.parse::<IpNet>()) {
            Some(Ok(n)) => out.push(n.trunc()),
            other => cx.report.warn("", from, format!("{key}: {other:?} is not a CIDR AWS accepts: rule skipped")),
        }
    }
    out
}

fn ranges(v: &Value, key: &str) -> Vec<PortRange> {
    list(v, key)
        .into_iter()
        .filter_map(|r| {
            let from = u16::try_from(n(r, "FromPort")?).ok()?;
            Some(PortRange { from, to: n(r, "ToPort").and_then(|x| u16::try_from(x).ok()).unwrap_or(from) })
        })
        .collect()
}

/// A stateful header's port: `ANY`, `80` or `1024:65535`.
fn header_port(text: Option<&str>) -> Option<PortRange> {
    let t = text?.trim();
    if t.eq_ignore_ascii_case("any") {
        return None;
    }
    let (a, b) = t.split_once(':').unwrap_or((t, t));
    Some(PortRange { from: a.trim().parse().ok()?, to: b.trim().parse().ok()? })
}

fn rule_group(cx: &mut Cx, logical: &str, props: &Value) -> FirewallRuleGroup {
    let kind = if s(props, "Type") == Some("STATELESS") { RuleGroupKind::Stateless } else { RuleGroupKind::Stateful };
    let rg = p(props, "RuleGroup");
    let src = p(rg, "RulesSource");
    let mut g = FirewallRuleGroup {
        id: format!("rg-{logical}"),
        name: s(props, "RuleGroupName").unwrap_or(logical).to_string(),
        kind,
        capacity: n(props, "Capacity").and_then(|x| u32::try_from(x).ok()).unwrap_or(100),
        stateless_rules: Vec::new(),
        stateful_rules: Vec::new(),
        domain_list: None,
        suricata: s(src, "RulesString").unwrap_or_default().to_string(),
        home_net: Vec::new(),
    };
    // F4: the HOME_NET variable, when the group sets it.
    g.home_net = list(p(p(p(rg, "RuleVariables"), "IPSets"), "HOME_NET"), "Definition")
        .into_iter()
        .filter_map(|x| x.as_str()?.parse::<IpNet>().ok())
        .collect();
    for r in list(p(src, "StatelessRulesAndCustomActions"), "StatelessRules") {
        let def = p(r, "RuleDefinition");
        let m = p(def, "MatchAttributes");
        let action = first_action(def, "Actions", logical, cx);
        g.stateless_rules.push(StatelessRule {
            priority: n(r, "Priority").and_then(|x| u32::try_from(x).ok()).unwrap_or(u32::MAX),
            sources: nets(cx, m, "Sources", logical),
            destinations: nets(cx, m, "Destinations", logical),
            source_ports: ranges(m, "SourcePorts"),
            destination_ports: ranges(m, "DestinationPorts"),
            protocols: list(m, "Protocols").into_iter().filter_map(|x| u8::try_from(x.as_i64()?).ok()).collect(),
            action,
        });
    }
    for r in list(src, "StatefulRules") {
        let h = p(r, "Header");
        let (Some(action), Some(source), Some(destination)) = (
            s(r, "Action").and_then(StatefulAction::from_api),
            s(h, "Source").and_then(RuleAddress::parse),
            s(h, "Destination").and_then(RuleAddress::parse),
        ) else {
            cx.report.warn("", logical, "a stateful rule vpcraft cannot read (action or addresses): skipped");
            continue;
        };
        let sid = list(r, "RuleOptions")
            .into_iter()
            .find(|o| s(o, "Keyword") == Some("sid"))
            .and_then(|o| list(o, "Settings").first()?.as_str()?.parse().ok());
        g.stateful_rules.push(StatefulRule {
            action,
            protocol: s(h, "Protocol").unwrap_or("IP").to_ascii_uppercase(),
            source,
            source_port: header_port(s(h, "SourcePort")),
            destination,
            destination_port: header_port(s(h, "DestinationPort")),
            bidirectional: s(h, "Direction") == Some("ANY"),
            sid,
        });
    }
    let rsl = p(src, "RulesSourceList");
    if !rsl.is_null() {
        let types: Vec<&str> = list(rsl, "TargetTypes").into_iter().filter_map(Value::as_str).collect();
        match s(rsl, "GeneratedRulesType").and_then(DomainListAction::from_api) {
            Some(action) => {
                g.domain_list = Some(DomainList {
                    action,
                    targets: list(rsl, "Targets").into_iter().filter_map(|t| Some(t.as_str()?.to_string())).collect(),
                    http_host: types.contains(&"HTTP_HOST"),
                    tls_sni: types.contains(&"TLS_SNI"),
                })
            }
            None => cx.report.warn("", logical, "a domain list without a GeneratedRulesType vpcraft knows: skipped"),
        }
    }
    if !g.suricata.is_empty() {
        cx.report.info("", logical, "Suricata rules are kept as text and not evaluated by the trace");
    }
    g
}
