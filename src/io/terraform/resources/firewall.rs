//! `aws_networkfirewall_rule_group`, `aws_networkfirewall_firewall_policy` and
//! `aws_networkfirewall_firewall` (F1–F4). The rule group and policy blocks are read through
//! the API's shape ([`firewall_api::from_terraform`]). A firewall's endpoints are its
//! `firewall_status[0].sync_states[*].attachment[0]` (`endpoint_id`, `subnet_id`): real in a
//! state, made up from `subnet_mapping` (in its order) in a configuration, so a route's
//! `vpc_endpoint_id` that picks one out of them links the two.

use super::{list, n, s, Mapper};
use crate::io::firewall_api::{self, GroupHead, Reporter};
use crate::io::terraform::graph::Instance;
use crate::io::terraform::value::Value;
use crate::model::*;

/// A nested block (the first, as Terraform allows one) in the API's shape.
fn api_block(m: &mut Mapper, i: &Instance, key: &str) -> Option<serde_json::Value> {
    let block = list(&i.values, key).first().copied().cloned().unwrap_or(Value::Null);
    match block.to_json() {
        Some(j) => Some(firewall_api::from_terraform(&j)),
        None => {
            let what = block.first_unknown().unwrap_or("a value").to_string();
            m.report.warn("", &i.address, crate::text!("{key} holds {what}, known only after apply: skipped"));
            None
        }
    }
}

/// `aws_networkfirewall_rule_group`.
pub fn rule_group(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let Some(rg) = api_block(m, i, "rule_group") else { return };
    let head = GroupHead { id, name: &i.address, kind: s(v, "type"), capacity: n(v, "capacity") };
    let mut r = Reporter { report: &mut m.report, file: "", from: &i.address };
    let g = firewall_api::rule_group(head, &rg, &mut r);
    m.d.firewall_rule_groups.push(g);
}

/// `aws_networkfirewall_firewall_policy`: rule groups by their `arn` (which is their id).
pub fn policy(m: &mut Mapper, i: &Instance) {
    let Some(id) = s(&i.values, "id").map(str::to_string) else { return };
    let Some(fp) = api_block(m, i, "firewall_policy") else { return };
    let known: std::collections::HashSet<&str> = m.d.firewall_rule_groups.iter().map(|g| g.id.as_str()).collect();
    let mut missing = Vec::new();
    let mut group = |v: &serde_json::Value| {
        let arn = v.as_str()?;
        if known.contains(arn) {
            Some(arn.to_string())
        } else {
            missing.push(arn.to_string());
            None
        }
    };
    let mut r = Reporter { report: &mut m.report, file: "", from: &i.address };
    let p = firewall_api::policy(id, &i.address, &fp, &mut group, &mut r);
    for arn in missing {
        m.report.warn(
            "",
            &i.address,
            crate::text!("rule group {arn} is not in the configuration: left out of the policy"),
        );
    }
    m.d.firewall_policies.push(p);
}

/// `aws_networkfirewall_firewall`.
pub fn firewall(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let Some(vpc) = m.vpc_of(i, "vpc_id") else { return };
    let policy = s(v, "firewall_policy_arn").unwrap_or_default().to_string();
    if !m.d.firewall_policies.iter().any(|p| p.id == policy) {
        m.report.warn(
            "",
            &i.address,
            crate::text!("its policy {policy} is not in the configuration: the trace cannot say what it does"),
        );
    }
    let mut endpoints = Vec::new();
    let status = list(v, "firewall_status").first().copied().cloned().unwrap_or(Value::Null);
    for st in list(&status, "sync_states") {
        let Some(a) = list(st, "attachment").first().copied().cloned() else { continue };
        let (Some(ep), Some(subnet)) = (s(&a, "endpoint_id").map(str::to_string), s(&a, "subnet_id")) else {
            m.report.warn("", &i.address, crate::text!("an endpoint whose id or subnet is not known: left out"));
            continue;
        };
        let subnet = subnet.to_string();
        if m.subnet_vpc(&subnet).as_deref() != Some(vpc.as_str()) {
            m.report.warn(
                "",
                &i.address,
                crate::text!("{subnet} is not a subnet of {vpc} in the configuration: left out"),
            );
            continue;
        }
        let Some(ip) = m.ph.private_ip(&m.d, &subnet) else { continue };
        m.report.info("", &i.address, crate::text!("endpoint {ep} in {subnet}: address {ip} assumed (AWS assigns it)"));
        endpoints.push(FirewallEndpoint { id: ep, subnet, ip, placeholder: true });
    }
    m.d.network_firewalls.push(NetworkFirewall { id, name: i.address.clone(), vpc, policy, endpoints });
}
