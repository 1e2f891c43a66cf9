//! Network Firewall policies and rule groups in the shape the AWS API gives them (F1–F4):
//! `AWS::NetworkFirewall::RuleGroup`'s `RuleGroup` and `FirewallPolicy`'s `FirewallPolicy`
//! properties, `describe-rule-group` and `describe-firewall-policy` outputs, all share it.
//! Terraform's `aws_networkfirewall_*` blocks are the same tree in snake_case with a few
//! renames; [`from_terraform`] and [`to_terraform`] translate. One reader and one writer
//! serve CloudFormation, snapshots and Terraform.

use crate::io::cfn_import::values::{list, n, p, s};
use crate::io::report::ImportReport;
use crate::model::*;
use ipnet::IpNet;
use serde_json::{json, Map, Value};

/// Where a reader reports what it could not read.
pub struct Reporter<'r> {
    pub report: &'r mut ImportReport,
    pub file: &'r str,
    /// The resource read (a logical id, an ARN, a Terraform address).
    pub from: &'r str,
}

impl Reporter<'_> {
    fn warn(&mut self, msg: impl Into<crate::l10n::Text>) {
        self.report.warn(self.file, self.from, msg);
    }
}

fn first_action(v: &Value, key: &str, r: &mut Reporter) -> StatelessAction {
    let acts: Vec<&str> = list(v, key).into_iter().filter_map(Value::as_str).collect();
    match acts.iter().find_map(|a| StatelessAction::from_api(a)) {
        Some(a) => a,
        None => {
            if !acts.is_empty() {
                r.warn(format!("{key} {acts:?}: no standard action, forward_to_sfe assumed"));
            }
            StatelessAction::Forward
        }
    }
}

/// A policy (F2, F3) from its `FirewallPolicy` object; `group` names the rule group a
/// reference's `ResourceArn` points at.
pub fn policy(
    id: Id,
    name: &str,
    fp: &Value,
    group: &mut dyn FnMut(&Value) -> Option<Id>,
    r: &mut Reporter,
) -> FirewallPolicy {
    let rule_order = match s(p(fp, "StatefulEngineOptions"), "RuleOrder") {
        Some("STRICT_ORDER") => RuleOrder::StrictOrder,
        _ => RuleOrder::DefaultActionOrder,
    };
    let stateful_defaults =
        list(fp, "StatefulDefaultActions").into_iter().filter_map(|a| StatefulDefault::from_api(a.as_str()?)).collect();
    let mut refs = |key: &str| -> Vec<RuleGroupRef> {
        list(fp, key)
            .into_iter()
            .filter_map(|x| {
                Some(RuleGroupRef {
                    group: group(p(x, "ResourceArn"))?,
                    priority: n(x, "Priority").and_then(|v| u32::try_from(v).ok()),
                })
            })
            .collect()
    };
    let stateless_groups = refs("StatelessRuleGroupReferences");
    let stateful_groups = refs("StatefulRuleGroupReferences");
    FirewallPolicy {
        id,
        name: name.to_string(),
        stateless_default: first_action(fp, "StatelessDefaultActions", r),
        stateless_fragment_default: first_action(fp, "StatelessFragmentDefaultActions", r),
        stateless_groups,
        stateful_groups,
        rule_order,
        stateful_defaults,
    }
}

fn nets(v: &Value, key: &str, r: &mut Reporter) -> Vec<IpNet> {
    let mut out = Vec::new();
    for a in list(v, key) {
        match s(a, "AddressDefinition").map(|x| x.parse::<IpNet>()) {
            Some(Ok(n)) => out.push(n.trunc()),
            other => r.warn(format!("{key}: {other:?} is not a CIDR AWS accepts: rule skipped")),
        }
    }
    out
}

fn ranges(v: &Value, key: &str) -> Vec<PortRange> {
    list(v, key)
        .into_iter()
        .filter_map(|x| {
            let from = u16::try_from(n(x, "FromPort")?).ok()?;
            Some(PortRange { from, to: n(x, "ToPort").and_then(|t| u16::try_from(t).ok()).unwrap_or(from) })
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

/// The parts of a rule group that sit beside its `RuleGroup` object.
pub struct GroupHead<'a> {
    pub id: Id,
    pub name: &'a str,
    /// `STATELESS` or `STATEFUL`.
    pub kind: Option<&'a str>,
    pub capacity: Option<i64>,
}

/// A rule group (F2–F4) from its `RuleGroup` object.
pub fn rule_group(head: GroupHead, rg: &Value, r: &mut Reporter) -> FirewallRuleGroup {
    let kind = if head.kind.is_some_and(|k| k.eq_ignore_ascii_case("STATELESS")) {
        RuleGroupKind::Stateless
    } else {
        RuleGroupKind::Stateful
    };
    let src = p(rg, "RulesSource");
    let mut g = FirewallRuleGroup {
        id: head.id,
        name: head.name.to_string(),
        kind,
        capacity: head.capacity.and_then(|x| u32::try_from(x).ok()).unwrap_or(100),
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
    for x in list(p(src, "StatelessRulesAndCustomActions"), "StatelessRules") {
        let def = p(x, "RuleDefinition");
        let m = p(def, "MatchAttributes");
        let action = first_action(def, "Actions", r);
        g.stateless_rules.push(StatelessRule {
            priority: n(x, "Priority").and_then(|v| u32::try_from(v).ok()).unwrap_or(u32::MAX),
            sources: nets(m, "Sources", r),
            destinations: nets(m, "Destinations", r),
            source_ports: ranges(m, "SourcePorts"),
            destination_ports: ranges(m, "DestinationPorts"),
            protocols: list(m, "Protocols")
                .into_iter()
                .filter_map(|v| u8::try_from(v.as_i64().or_else(|| v.as_str()?.parse().ok())?).ok())
                .collect(),
            action,
        });
    }
    for x in list(src, "StatefulRules") {
        let h = p(x, "Header");
        let (Some(action), Some(source), Some(destination)) = (
            s(x, "Action").and_then(StatefulAction::from_api),
            s(h, "Source").and_then(RuleAddress::parse),
            s(h, "Destination").and_then(RuleAddress::parse),
        ) else {
            r.warn("a stateful rule vpcraft cannot read (action or addresses): skipped");
            continue;
        };
        let sid = list(x, "RuleOptions")
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
            None => r.warn("a domain list without a GeneratedRulesType vpcraft knows: skipped"),
        }
    }
    if !g.suricata.is_empty() {
        r.report.info(r.file, r.from, crate::text!("Suricata rules are kept as text and not evaluated by the trace"));
    }
    g
}

fn port_range(p: &PortRange) -> Value {
    json!({ "FromPort": p.from, "ToPort": p.to })
}

fn header_port_text(p: &Option<PortRange>) -> String {
    match p {
        None => "ANY".into(),
        Some(r) if r.from == r.to => r.from.to_string(),
        Some(r) => format!("{}:{}", r.from, r.to),
    }
}

/// The `RuleGroup` object of a rule group, as the API and CloudFormation take it.
pub fn rule_group_to_api(g: &FirewallRuleGroup) -> Value {
    let mut src = Map::new();
    if !g.stateless_rules.is_empty() {
        let rules: Vec<Value> = g
            .stateless_rules
            .iter()
            .map(|x| {
                let addrs = |v: &[IpNet]| v.iter().map(|c| json!({ "AddressDefinition": c.to_string() })).collect();
                let mut m = Map::new();
                let mut put = |k: &str, v: Vec<Value>| {
                    if !v.is_empty() {
                        m.insert(k.into(), Value::Array(v));
                    }
                };
                put("Sources", addrs(&x.sources));
                put("Destinations", addrs(&x.destinations));
                put("SourcePorts", x.source_ports.iter().map(port_range).collect());
                put("DestinationPorts", x.destination_ports.iter().map(port_range).collect());
                put("Protocols", x.protocols.iter().map(|p| json!(p)).collect());
                json!({
                    "Priority": x.priority,
                    "RuleDefinition": { "Actions": [x.action.api_name()], "MatchAttributes": m },
                })
            })
            .collect();
        src.insert("StatelessRulesAndCustomActions".into(), json!({ "StatelessRules": rules }));
    }
    if !g.stateful_rules.is_empty() {
        let rules: Vec<Value> = g
            .stateful_rules
            .iter()
            .enumerate()
            .map(|(k, x)| {
                // AWS wants a sid on every rule; a rule without one gets its place.
                let sid = x.sid.unwrap_or(u32::try_from(k + 1).unwrap_or(u32::MAX));
                json!({
                    "Action": x.action.api_name(),
                    "Header": {
                        "Protocol": x.protocol,
                        "Source": x.source.to_string(),
                        "SourcePort": header_port_text(&x.source_port),
                        "Direction": if x.bidirectional { "ANY" } else { "FORWARD" },
                        "Destination": x.destination.to_string(),
                        "DestinationPort": header_port_text(&x.destination_port),
                    },
                    "RuleOptions": [{ "Keyword": "sid", "Settings": [sid.to_string()] }],
                })
            })
            .collect();
        src.insert("StatefulRules".into(), Value::Array(rules));
    }
    if let Some(dl) = &g.domain_list {
        let mut types = Vec::new();
        if dl.http_host {
            types.push("HTTP_HOST");
        }
        if dl.tls_sni {
            types.push("TLS_SNI");
        }
        src.insert(
            "RulesSourceList".into(),
            json!({ "GeneratedRulesType": dl.action.api_name(), "TargetTypes": types, "Targets": dl.targets }),
        );
    }
    if !g.suricata.is_empty() {
        src.insert("RulesString".into(), json!(g.suricata));
    }
    let mut out = json!({ "RulesSource": src });
    if !g.home_net.is_empty() {
        let defs: Vec<String> = g.home_net.iter().map(ToString::to_string).collect();
        out["RuleVariables"] = json!({ "IPSets": { "HOME_NET": { "Definition": defs } } });
    }
    out
}

/// The `FirewallPolicy` object of a policy; `arn` gives the value that names a rule group.
pub fn policy_to_api(fp: &FirewallPolicy, arn: &dyn Fn(&str) -> Value) -> Value {
    let refs = |v: &[RuleGroupRef]| -> Vec<Value> {
        v.iter()
            .map(|x| {
                let mut m = json!({ "ResourceArn": arn(&x.group) });
                if let Some(p) = x.priority {
                    m["Priority"] = json!(p);
                }
                m
            })
            .collect()
    };
    let mut out = json!({
        "StatelessDefaultActions": [fp.stateless_default.api_name()],
        "StatelessFragmentDefaultActions": [fp.stateless_fragment_default.api_name()],
    });
    if !fp.stateless_groups.is_empty() {
        out["StatelessRuleGroupReferences"] = json!(refs(&fp.stateless_groups));
    }
    if !fp.stateful_groups.is_empty() {
        out["StatefulRuleGroupReferences"] = json!(refs(&fp.stateful_groups));
    }
    if fp.rule_order == RuleOrder::StrictOrder {
        out["StatefulEngineOptions"] = json!({ "RuleOrder": fp.rule_order.api_name() });
    }
    if !fp.stateful_defaults.is_empty() {
        out["StatefulDefaultActions"] = json!(fp.stateful_defaults.iter().map(|a| a.api_name()).collect::<Vec<_>>());
    }
    out
}

/// A Network Firewall resource name: letters, digits and hyphens, at most 128.
pub fn aws_name(name: &str, fallback: &str) -> String {
    let mut n = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            n.push(c);
        } else if !n.is_empty() && !n.ends_with('-') {
            n.push('-');
        }
    }
    let n: String = n.trim_end_matches('-').chars().take(128).collect();
    if n.is_empty() {
        fallback.to_string()
    } else {
        n
    }
}

/// Terraform block names that differ from the API's key beyond snake_case, with the API key.
/// A block named here is a list in the API; every other block is a single object.
const TF_LISTS: &[(&str, &str)] = &[
    ("stateless_rule", "StatelessRules"),
    ("stateful_rule", "StatefulRules"),
    ("rule_option", "RuleOptions"),
    ("stateless_rule_group_reference", "StatelessRuleGroupReferences"),
    ("stateful_rule_group_reference", "StatefulRuleGroupReferences"),
    ("source", "Sources"),
    ("destination", "Destinations"),
    ("source_port", "SourcePorts"),
    ("destination_port", "DestinationPorts"),
];

/// Key spellings the API writes with capitals snake_case does not give.
const TF_WORDS: &[(&str, &str)] = &[("ip_sets", "IPSets")];

fn pascal(key: &str) -> String {
    if let Some((_, api)) = TF_WORDS.iter().find(|(t, _)| *t == key) {
        return api.to_string();
    }
    key.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| f.to_ascii_uppercase().to_string() + c.as_str())
        })
        .collect()
}

/// A Terraform `rule_group` or `firewall_policy` block (as evaluated JSON: blocks are lists of
/// objects) in the API's shape. `ip_sets { key, ip_set { definition } }` becomes
/// `IPSets: { KEY: { Definition } }`.
pub fn from_terraform(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                let blocks = x.as_array().filter(|a| a.iter().all(Value::is_object) && !a.is_empty());
                if k == "ip_sets" {
                    let mut sets = Map::new();
                    for set in list(v, "ip_sets") {
                        if let Some(key) = s(set, "key") {
                            let def = list(set, "ip_set").first().map_or(Value::Null, |x| from_terraform(x));
                            sets.insert(key.to_string(), def);
                        }
                    }
                    out.insert("IPSets".into(), Value::Object(sets));
                } else if let (Some(items), Some((_, api))) = (blocks, TF_LISTS.iter().find(|(t, _)| t == k)) {
                    out.insert(api.to_string(), Value::Array(items.iter().map(from_terraform).collect()));
                } else if let Some(items) = blocks {
                    out.insert(pascal(k), from_terraform(&items[0]));
                } else {
                    out.insert(pascal(k), x.clone());
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn snake(key: &str) -> String {
    if let Some((t, _)) = TF_WORDS.iter().find(|(_, a)| *a == key) {
        return t.to_string();
    }
    let mut out = String::new();
    for (k, c) in key.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if k > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// One attribute or nested block of Terraform's shape of an API object.
pub enum TfItem {
    Attr(String, Value),
    Block(String, Vec<TfItem>),
}

/// The API object as Terraform attributes and nested blocks, [`from_terraform`] undone.
pub fn to_terraform(v: &Value) -> Vec<TfItem> {
    let Value::Object(m) = v else { return Vec::new() };
    let mut out = Vec::new();
    for (k, x) in m {
        if k == "IPSets" {
            if let Value::Object(sets) = x {
                for (name, def) in sets {
                    let mut inner = vec![TfItem::Attr("key".into(), json!(name))];
                    inner.push(TfItem::Block("ip_set".into(), to_terraform(def)));
                    out.push(TfItem::Block("ip_sets".into(), inner));
                }
            }
        } else if let Some((t, _)) = TF_LISTS.iter().find(|(_, a)| a == k) {
            for item in x.as_array().into_iter().flatten() {
                out.push(TfItem::Block(t.to_string(), to_terraform(item)));
            }
        } else if x.is_object() {
            out.push(TfItem::Block(snake(k), to_terraform(x)));
        } else {
            out.push(TfItem::Attr(snake(k), x.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> FirewallRuleGroup {
        FirewallRuleGroup {
            id: "rg-1".into(),
            name: "drop-ssh".into(),
            kind: RuleGroupKind::Stateless,
            capacity: 10,
            stateless_rules: vec![StatelessRule {
                priority: 1,
                sources: vec!["10.0.0.0/8".parse().unwrap()],
                destinations: Vec::new(),
                source_ports: Vec::new(),
                destination_ports: vec![PortRange { from: 22, to: 22 }],
                protocols: vec![6],
                action: StatelessAction::Drop,
            }],
            stateful_rules: vec![StatefulRule {
                action: StatefulAction::Pass,
                protocol: "TCP".into(),
                source: RuleAddress::HomeNet,
                source_port: None,
                destination: RuleAddress::Any,
                destination_port: Some(PortRange { from: 1024, to: 65535 }),
                bidirectional: false,
                sid: Some(7),
            }],
            domain_list: Some(DomainList {
                action: DomainListAction::AllowList,
                targets: vec![".example.com".into()],
                http_host: false,
                tls_sni: true,
            }),
            suricata: String::new(),
            home_net: vec!["10.0.0.0/8".parse().unwrap()],
        }
    }

    fn read(api: &Value) -> FirewallRuleGroup {
        let mut report = ImportReport::new("t");
        let mut r = Reporter { report: &mut report, file: "", from: "x" };
        let head = GroupHead { id: "rg-1".into(), name: "drop-ssh", kind: Some("STATELESS"), capacity: Some(10) };
        rule_group(head, api, &mut r)
    }

    #[test]
    fn a_rule_group_survives_the_api_shape() {
        assert_eq!(read(&rule_group_to_api(&group())), group());
    }

    #[test]
    fn terraform_blocks_translate_both_ways() {
        let api = rule_group_to_api(&group());
        // Terraform's evaluated shape: every nested block is a list of objects.
        fn tf(items: Vec<TfItem>) -> Value {
            let mut m = Map::new();
            for i in items {
                match i {
                    TfItem::Attr(k, v) => {
                        m.insert(k, v);
                    }
                    TfItem::Block(k, inner) => {
                        let e = m.entry(k).or_insert_with(|| Value::Array(Vec::new()));
                        e.as_array_mut().unwrap().push(tf(inner));
                    }
                }
            }
            Value::Object(m)
        }
        let shaped = tf(to_terraform(&api));
        assert!(shaped["rules_source"][0]["stateless_rules_and_custom_actions"][0]["stateless_rule"].is_array());
        assert_eq!(shaped["rule_variables"][0]["ip_sets"][0]["key"], "HOME_NET");
        assert_eq!(read(&from_terraform(&shaped)), group());
    }
}
