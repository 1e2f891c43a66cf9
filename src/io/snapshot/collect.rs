//! Sorting the files' contents by top-level key (file names do not matter), one entry per
//! resource id: the same resource seen from two accounts or in two files is one resource.

use super::files::Document;
use super::json::{s, type_name};
use crate::io::report::ImportReport;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// One resource as a file described it.
#[derive(Debug, Clone)]
pub struct Raw {
    pub file: String,
    pub account: Option<String>,
    pub region: Option<String>,
    /// A table id given beside the list in the same file (for lists that do not name their
    /// table, such as TGW route propagations).
    pub table: Option<String>,
    pub v: Value,
}

/// Top-level keys vpcraft reads, with the field holding each item's id.
const SUPPORTED: &[(&str, Option<&str>)] = &[
    ("Vpcs", Some("VpcId")),
    ("Subnets", Some("SubnetId")),
    ("RouteTables", Some("RouteTableId")),
    ("InternetGateways", Some("InternetGatewayId")),
    ("EgressOnlyInternetGateways", Some("EgressOnlyInternetGatewayId")),
    ("NatGateways", Some("NatGatewayId")),
    ("NetworkInterfaces", Some("NetworkInterfaceId")),
    ("Instances", Some("InstanceId")),
    ("SecurityGroups", Some("GroupId")),
    ("NetworkAcls", Some("NetworkAclId")),
    ("VpcPeeringConnections", Some("VpcPeeringConnectionId")),
    ("VpcEndpoints", Some("VpcEndpointId")),
    ("ServiceConfigurations", Some("ServiceId")),
    ("PrefixLists", Some("PrefixListId")),
    ("Addresses", Some("AllocationId")),
    ("TransitGateways", Some("TransitGatewayId")),
    ("TransitGatewayAttachments", Some("TransitGatewayAttachmentId")),
    ("TransitGatewayVpcAttachments", Some("TransitGatewayAttachmentId")),
    ("TransitGatewayPeeringAttachments", Some("TransitGatewayAttachmentId")),
    ("TransitGatewayRouteTables", Some("TransitGatewayRouteTableId")),
    ("TransitGatewayRouteTablePropagations", None),
    ("TargetHealthDescriptions", None),
    ("Routes", None),
    ("VpnGateways", Some("VpnGatewayId")),
    ("VpnConnections", Some("VpnConnectionId")),
    ("CustomerGateways", Some("CustomerGatewayId")),
    ("LoadBalancers", Some("LoadBalancerArn")),
    ("TargetGroups", Some("TargetGroupArn")),
    ("Listeners", Some("ListenerArn")),
    ("DBInstances", Some("DBInstanceIdentifier")),
    ("DBClusters", Some("DBClusterIdentifier")),
    ("Tags", None),
    ("AvailabilityZones", Some("ZoneName")),
];

/// Outputs that describe one resource as a whole object (`aws network-firewall describe-*`):
/// the key that marks them, the key they are collected under, and where the id is.
const WHOLE: &[(&str, &str, &str)] = &[
    ("Firewall", "Firewalls", "FirewallArn"),
    ("FirewallPolicyResponse", "FirewallPolicies", "FirewallPolicyArn"),
    ("RuleGroupResponse", "RuleGroups", "RuleGroupArn"),
];

/// Other spellings of supported keys.
const ALIASES: &[(&str, &str)] = &[("VpcEndpointServices", "ServiceConfigurations")];

/// Keys that are known but describe nothing the network design holds.
const NOT_NETWORK: &[&str] = &[
    "DhcpOptions",
    "Hosts",
    "InstanceStatuses",
    "MovingAddressStatuses",
    "PlacementGroups",
    "KeyPairs",
    "Volumes",
    "Snapshots",
    "Images",
    "FlowLogs",
    "AccountAttributes",
    "Regions",
    "ServiceNames",
    "ServiceDetails",
    "NextToken",
    "ResponseMetadata",
    "Groups",
];

/// Everything the files held, by canonical key.
#[derive(Debug, Default)]
pub struct Collected {
    pub by_key: BTreeMap<&'static str, Vec<Raw>>,
    seen: HashSet<(&'static str, String)>,
}

impl Collected {
    /// The items under a key.
    pub fn get(&self, key: &str) -> &[Raw] {
        self.by_key.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Sort one document's keys into the collection, reporting what is not read. The document
    /// is used up: its items are moved, not copied.
    pub fn add_owned(&mut self, mut doc: Document, report: &mut ImportReport) {
        let json = doc.json.take();
        let Value::Object(top) = json else {
            report.warn(
                &doc.name,
                "file",
                crate::text!("is {}, not an `aws ec2 describe-*` output object: skipped", type_name(&json))
                    .with("p0", type_name(&json)),
            );
            return;
        };
        if let Some((mark, key, field)) = WHOLE.iter().find(|(m, _, _)| top.contains_key(*m)) {
            let Some(id) = top.get(*mark).and_then(|v| s(v, field)).map(str::to_string) else {
                report.warn(&doc.name, *mark, crate::text!("has no {field}: skipped"));
                return;
            };
            if self.seen.insert((key, id)) {
                let raw = Raw {
                    file: doc.name.clone(),
                    account: doc.account.clone(),
                    region: doc.region.clone(),
                    table: None,
                    v: Value::Object(top),
                };
                self.by_key.entry(key).or_default().push(raw);
            }
            return;
        }
        // The id a list belongs to when its items do not say: a TGW route table beside its
        // propagations, a target group beside `describe-target-health` output.
        let table = ["TransitGatewayRouteTableId", "TargetGroupArn"]
            .iter()
            .find_map(|k| top.get(*k).and_then(Value::as_str))
            .map(str::to_string);
        for (key, value) in top {
            if key == "TransitGatewayRouteTableId" || key == "TargetGroupArn" {
                continue;
            }
            let canonical = ALIASES.iter().find(|(a, _)| *a == key).map(|(_, c)| *c).unwrap_or(key.as_str());
            if key == "Reservations" {
                self.add_reservations(&doc, value, report);
                continue;
            }
            let Some((k, id_field)) = SUPPORTED.iter().find(|(k, _)| *k == canonical) else {
                let len = value.as_array().map(Vec::len);
                if NOT_NETWORK.contains(&key.as_str()) || len == Some(0) {
                    report.info(&doc.name, &key, crate::text!("not part of a network design: skipped"));
                } else {
                    let what =
                        len.map_or_else(|| crate::l10n::Text::from(type_name(&value)), |n| crate::text!("{n} items"));
                    let said = crate::text!("unsupported resource kind ({what}): skipped").with("what", what);
                    report.warn(&doc.name, &key, said);
                }
                continue;
            };
            let Value::Array(items) = value else {
                let found = type_name(&value);
                report.warn(
                    &doc.name,
                    &key,
                    crate::text!("expected an array, found {}: skipped", found).with("p0", found),
                );
                continue;
            };
            for item in items {
                self.push(&doc, k, *id_field, item, table.clone(), doc.account.clone(), report);
            }
        }
    }

    fn add_reservations(&mut self, doc: &Document, value: Value, report: &mut ImportReport) {
        let Value::Array(reservations) = value else { return };
        for mut r in reservations {
            let owner = s(&r, "OwnerId").map(str::to_string);
            let account = doc.account.clone().or(owner);
            let Some(Value::Array(instances)) = r.get_mut("Instances").map(Value::take) else { continue };
            for i in instances {
                self.push(doc, "Instances", Some("InstanceId"), i, None, account.clone(), report);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        doc: &Document,
        key: &'static str,
        id_field: Option<&str>,
        item: Value,
        table: Option<String>,
        account: Option<String>,
        report: &mut ImportReport,
    ) {
        if !item.is_object() {
            let said =
                crate::text!("an item is {}, not an object: skipped", type_name(&item)).with("p0", type_name(&item));
            report.warn(&doc.name, key, said);
            return;
        }
        if let Some(field) = id_field {
            let id = s(&item, field).or_else(|| s(&item, "PublicIp")).map(str::to_string);
            let Some(id) = id else {
                report.warn(&doc.name, key, crate::text!("an item has no {field}: skipped"));
                return;
            };
            if !self.seen.insert((key, id)) {
                return;
            }
        }
        let raw = Raw { file: doc.name.clone(), account, region: doc.region.clone(), table, v: item };
        self.by_key.entry(key).or_default().push(raw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(name: &str, json: Value) -> Document {
        Document { name: name.into(), account: None, region: None, json }
    }

    #[test]
    fn keys_decide_and_duplicates_merge() {
        let mut c = Collected::default();
        let mut r = ImportReport::new("t");
        c.add_owned(doc("a.json", json!({"Vpcs": [{"VpcId": "vpc-1"}], "DomainStatusList": [{}]})), &mut r);
        c.add_owned(doc("b.json", json!({"Vpcs": [{"VpcId": "vpc-1"}, {"VpcId": "vpc-2"}, 3]})), &mut r);
        c.add_owned(
            doc("c.json", json!({"Reservations": [{"OwnerId": "1", "Instances": [{"InstanceId": "i-1"}]}]})),
            &mut r,
        );
        c.add_owned(doc("d.json", json!([1, 2])), &mut r);
        assert_eq!(c.get("Vpcs").len(), 2);
        assert_eq!(c.get("Instances")[0].account.as_deref(), Some("1"));
        assert!(r.mentions("DomainStatusList") && r.mentions("d.json"));
    }
}
