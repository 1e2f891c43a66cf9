//! AWS Network Firewall from `aws network-firewall describe-firewall`,
//! `describe-firewall-policy` and `describe-rule-group` outputs (F1–F4). Ids are the ARNs.
//! A firewall's endpoints come from its `FirewallStatus.SyncStates`: one per AZ, the
//! attachment's `EndpointId` in its `SubnetId`; the address is the endpoint interface's when
//! `NetworkInterfaces` holds it, else a placeholder.

use super::compute::eni_ip;
use super::json::{arr, n, obj, s, so};
use super::{Ctx, EniRole};
use crate::io::firewall_api::{self, GroupHead, Reporter};
use crate::model::*;
use std::collections::{HashMap, HashSet};

pub fn import(cx: &mut Ctx) {
    for raw in cx.c.get("RuleGroups") {
        let head_v = obj(&raw.v, "RuleGroupResponse");
        let Some(id) = so(head_v, "RuleGroupArn") else { continue };
        let head = GroupHead {
            id: id.clone(),
            name: s(head_v, "RuleGroupName").unwrap_or(&id),
            kind: s(head_v, "Type"),
            capacity: n(head_v, "Capacity"),
        };
        let mut r = Reporter { report: &mut cx.report, file: &raw.file, from: &id };
        let g = firewall_api::rule_group(head, obj(&raw.v, "RuleGroup"), &mut r);
        cx.d.firewall_rule_groups.push(g);
    }
    let groups: HashSet<Id> = cx.d.firewall_rule_groups.iter().map(|g| g.id.clone()).collect();
    for raw in cx.c.get("FirewallPolicies") {
        let head_v = obj(&raw.v, "FirewallPolicyResponse");
        let Some(id) = so(head_v, "FirewallPolicyArn") else { continue };
        let name = s(head_v, "FirewallPolicyName").unwrap_or(&id).to_string();
        let mut missing = Vec::new();
        let mut group = |v: &serde_json::Value| {
            let arn = v.as_str()?;
            if groups.contains(arn) {
                Some(arn.to_string())
            } else {
                missing.push(arn.to_string());
                None
            }
        };
        let mut r = Reporter { report: &mut cx.report, file: &raw.file, from: &id };
        let fp = firewall_api::policy(id.clone(), &name, obj(&raw.v, "FirewallPolicy"), &mut group, &mut r);
        for arn in missing {
            cx.report.warn(
                &raw.file,
                &id,
                crate::text!("rule group {arn} is not in the snapshot (describe-rule-group): left out of the policy"),
            );
        }
        cx.d.firewall_policies.push(fp);
    }
    // Endpoint id → its interface's subnet and address.
    let mut at: HashMap<String, (Id, std::net::Ipv4Addr)> = HashMap::new();
    for (eni, role) in &cx.eni_roles {
        if let (EniRole::Endpoint(ep), Some(raw)) = (role, cx.enis.get(eni)) {
            if let (Some(subnet), Some(ip)) = (so(&raw.v, "SubnetId"), eni_ip(&raw.v)) {
                at.insert(ep.clone(), (subnet, ip));
            }
        }
    }
    for raw in cx.c.get("Firewalls") {
        let f = obj(&raw.v, "Firewall");
        let Some(id) = so(f, "FirewallArn") else { continue };
        let Some(vpc) = so(f, "VpcId") else {
            cx.report.warn(&raw.file, &id, crate::text!("firewall without a VpcId: skipped"));
            continue;
        };
        let policy = so(f, "FirewallPolicyArn").unwrap_or_default();
        if !cx.d.firewall_policies.iter().any(|p| p.id == policy) {
            cx.report.warn(
                &raw.file,
                &id,
                crate::text!("policy {policy} is not in the snapshot (describe-firewall-policy): the trace cannot say what it does"),
            );
        }
        // F1: one endpoint per AZ, in the order of the firewall's subnet mappings.
        let order: Vec<String> = arr(f, "SubnetMappings").iter().filter_map(|m| so(m, "SubnetId")).collect();
        let mut states: Vec<(String, &serde_json::Value)> = obj(obj(&raw.v, "FirewallStatus"), "SyncStates")
            .as_object()
            .map(|m| m.iter().map(|(az, v)| (az.clone(), v)).collect())
            .unwrap_or_default();
        states.sort_by_key(|(az, v)| {
            let subnet = s(obj(v, "Attachment"), "SubnetId").unwrap_or("");
            (order.iter().position(|x| x == subnet).unwrap_or(usize::MAX), az.clone())
        });
        let mut endpoints = Vec::new();
        for (az, st) in states {
            let a = obj(st, "Attachment");
            let (Some(ep), Some(subnet)) = (so(a, "EndpointId"), so(a, "SubnetId")) else {
                let status = s(a, "Status").unwrap_or("unknown");
                cx.report.warn(&raw.file, &id, crate::text!("{az}: no endpoint yet (attachment {status}): left out"));
                continue;
            };
            let (ip, placeholder) = match at.get(&ep) {
                Some((_, ip)) => (*ip, false),
                None => match cx.ph.private_ip(&cx.d, &subnet) {
                    Some(ip) => {
                        cx.report.info(
                            &raw.file,
                            &ep,
                            crate::text!("its interface is not in the snapshot: placeholder address {ip}"),
                        );
                        (ip, true)
                    }
                    None => continue,
                },
            };
            endpoints.push(FirewallEndpoint { id: ep, subnet, ip, placeholder });
        }
        let name = so(f, "FirewallName").unwrap_or_else(|| id.clone());
        cx.d.network_firewalls.push(NetworkFirewall { id, name, vpc, policy, endpoints });
    }
}
