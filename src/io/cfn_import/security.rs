//! Security groups with their inline and separate rules (S1–S6), network ACLs (L1–L4).

use super::values::{b, cidr, list, p, s, Found};
use super::Cx;
use crate::io::aws_values::{int_field, ports_field, protocol_field};
use crate::io::cfn::EvaluatedResource;
use crate::io::export::cloudformation::NO_EGRESS_CIDR;
use crate::l10n::AsText;
use crate::model::*;
use serde_json::Value;

/// Prefix lists, security groups with their rules, network ACLs.
pub fn import(cx: &mut Cx) {
    for r in cx.of_type("AWS::EC2::PrefixList") {
        let cidrs: Vec<ipnet::Ipv4Net> =
            list(&r.properties, "Entries").into_iter().filter_map(|e| cidr(e, "Cidr")).collect();
        let name = s(&r.properties, "PrefixListName").unwrap_or(&r.logical_id).to_string();
        let aws_managed = name.starts_with("com.amazonaws.");
        cx.d.prefix_lists.push(PrefixList {
            id: cx.id(&r.logical_id),
            name: r.logical_id.clone(),
            region: cx.region.clone(),
            cidrs: cidrs.into_iter().map(ipnet::IpNet::V4).collect(),
            aws_managed,
        });
    }
    for r in cx.of_type("AWS::EC2::SecurityGroup") {
        let Some(vpc) = cx.vpc_prop(&r.properties, "VpcId", &r.logical_id) else {
            cx.report.warn(
                "",
                &r.logical_id,
                crate::text!("security group without a VpcId (EC2-Classic or the default VPC): skipped"),
            );
            cx.ids.remove(&r.logical_id);
            continue;
        };
        let id = cx.id(&r.logical_id);
        let mut g = SecurityGroup::new(id.clone(), &r.logical_id, vpc);
        g.description = s(&r.properties, "GroupDescription").unwrap_or_default().to_string();
        cx.d.security_groups.push(g);
    }
    // Rules after every group exists, so groups may refer to each other.
    for r in cx.of_type("AWS::EC2::SecurityGroup") {
        let id = cx.id(&r.logical_id);
        if cx.ix.security_group(&cx.d, &id).is_none() {
            continue;
        }
        let ingress: Vec<SgRule> =
            list(&r.properties, "SecurityGroupIngress").into_iter().filter_map(|x| rule(cx, x, true, r)).collect();
        let explicit_egress = !p(&r.properties, "SecurityGroupEgress").is_null();
        let mut egress: Vec<SgRule> =
            list(&r.properties, "SecurityGroupEgress").into_iter().filter_map(|x| rule(cx, x, false, r)).collect();
        let sentinel = |x: &SgRule| {
            x.peer == SgPeer::Cidr(NO_EGRESS_CIDR.parse().unwrap_or_default()) && x.protocol == Protocol::All
        };
        if egress.iter().any(sentinel) {
            cx.report.info(
                "",
                &r.logical_id,
                crate::text!("the egress rule to {NO_EGRESS_CIDR} only removes the default allow-all: not kept"),
            );
            egress.retain(|x| !sentinel(x));
        }
        if let Some(g) = cx.ix.security_group_mut(&mut cx.d, &id) {
            g.ingress = ingress;
            // Without `SecurityGroupEgress` AWS keeps its allow-all egress rule (S4).
            if explicit_egress {
                g.egress = egress;
            }
        }
    }
    for (ty, ingress) in [("AWS::EC2::SecurityGroupIngress", true), ("AWS::EC2::SecurityGroupEgress", false)] {
        for r in cx.of_type(ty) {
            let gv = p(&r.properties, "GroupId");
            if gv.is_null() {
                cx.report.warn("", &r.logical_id, crate::text!("rule by GroupName (default VPC): skipped"));
                continue;
            }
            let Some(gid) = cx.resolve(gv, ResourceKind::SecurityGroup, &r.logical_id) else { continue };
            cx.ensure_security_group(&gid, None, &r.logical_id);
            let Some(rule) = rule(cx, &r.properties, ingress, r) else { continue };
            if let Some(g) = cx.ix.security_group_mut(&mut cx.d, &gid) {
                if ingress {
                    g.ingress.push(rule);
                } else {
                    g.egress.push(rule);
                }
            }
        }
    }
    network_acls(cx);
}

/// A rule value AWS would refuse: an import error at the resource, and the rule is left out
/// (never read as something else).
fn refused(cx: &mut Cx, r: &EvaluatedResource, rule: &str, msg: &str) {
    cx.report.refuse("", &r.logical_id, rule, crate::text!("line {}, column {}: {msg}; skipped", r.line, r.column));
}

fn rule(cx: &mut Cx, x: &Value, ingress: bool, r: &EvaluatedResource) -> Option<SgRule> {
    let from = r.logical_id.as_str();
    let proto = match protocol_field(x, "IpProtocol") {
        Ok(p) => p,
        Err(e) => {
            refused(cx, r, "S2", &format!("a security group rule's {e}"));
            return None;
        }
    };
    let ports = match ports_field(proto, x, "FromPort", "ToPort") {
        Ok(p) => p,
        Err(e) => {
            refused(cx, r, "S2", &format!("a security group rule: {e}"));
            return None;
        }
    };
    let description = s(x, "Description").unwrap_or_default().to_string();
    let dir = if ingress { "Source" } else { "Destination" };
    let peer = if let Some(c) = cidr(x, "CidrIp") {
        SgPeer::Cidr(c.into())
    } else if let Some(t) = s(x, "CidrIpv6") {
        match crate::net::parse_ipv6_cidr(t) {
            Ok(c) => SgPeer::Cidr(c.cidr.into()),
            Err(e) => {
                cx.report.error("", from, crate::text!("CidrIpv6: {e}; rule skipped").with("e", e.as_text()));
                return None;
            }
        }
    } else if !p(x, &format!("{dir}PrefixListId")).is_null() {
        match cx.lookup(p(x, &format!("{dir}PrefixListId")), from)? {
            Found::Design(_, id) | Found::External(id) => SgPeer::PrefixList(id),
        }
    } else if !p(x, &format!("{dir}SecurityGroupId")).is_null() {
        let group = cx.resolve(p(x, &format!("{dir}SecurityGroupId")), ResourceKind::SecurityGroup, from)?;
        let account = s(x, "SourceSecurityGroupOwnerId").map(str::to_string);
        SgPeer::SecurityGroup { group, account }
    } else {
        cx.report.warn("", from, crate::text!("a rule without a usable peer: skipped"));
        return None;
    };
    Some(SgRule { protocol: proto, ports, peer, description })
}

fn network_acls(cx: &mut Cx) {
    for r in cx.of_type("AWS::EC2::NetworkAcl") {
        let Some(vpc) = cx.vpc_prop(&r.properties, "VpcId", &r.logical_id) else { continue };
        cx.d.network_acls.push(NetworkAcl::new_custom(cx.id(&r.logical_id), &r.logical_id, vpc));
    }
    for r in cx.of_type("AWS::EC2::NetworkAclEntry") {
        let props = &r.properties;
        let Some(acl) = cx.resolve(p(props, "NetworkAclId"), ResourceKind::NetworkAcl, &r.logical_id) else { continue };
        // L2: an entry is IPv4 (`CidrBlock`) or IPv6 (`Ipv6CidrBlock`).
        let block: ipnet::IpNet = match (cidr(props, "CidrBlock"), s(props, "Ipv6CidrBlock")) {
            (Some(c), _) => c.into(),
            (None, Some(t)) => match crate::net::parse_ipv6_cidr(t) {
                Ok(c) => c.cidr.into(),
                Err(e) => {
                    cx.report.error(
                        "",
                        &r.logical_id,
                        crate::text!("Ipv6CidrBlock: {e}; skipped").with("e", e.as_text()),
                    );
                    continue;
                }
            },
            (None, None) => {
                cx.report.warn(
                    "",
                    &r.logical_id,
                    crate::text!("entry without a usable CidrBlock or Ipv6CidrBlock: skipped"),
                );
                continue;
            }
        };
        let proto = match protocol_field(props, "Protocol") {
            Ok(p) => p,
            Err(e) => {
                refused(cx, r, "L2", &format!("a network ACL entry's {e}"));
                continue;
            }
        };
        let entry_ports = match proto {
            Protocol::Icmp | Protocol::ICMPV6 => ports_field(proto, p(props, "Icmp"), "Type", "Code"),
            _ => ports_field(proto, p(props, "PortRange"), "From", "To"),
        };
        let entry_ports = match entry_ports {
            Ok(x) => x,
            Err(e) => {
                refused(cx, r, "L2", &format!("a network ACL entry: {e}"));
                continue;
            }
        };
        // L2: rules are numbered 1-32766, evaluated in that order; a number is never made up.
        let rule_number = match int_field(props, "RuleNumber") {
            Ok(Some(x)) if (1..=32766).contains(&x) => x as u16,
            Ok(Some(x)) => {
                refused(cx, r, "L2", &format!("a network ACL entry's RuleNumber {x} is outside 1-32766"));
                continue;
            }
            Ok(None) => {
                refused(cx, r, "L2", "a network ACL entry without a RuleNumber (AWS requires one, 1-32766)");
                continue;
            }
            Err(e) => {
                refused(cx, r, "L2", &format!("a network ACL entry's {e}"));
                continue;
            }
        };
        let action = match s(props, "RuleAction").map(str::to_ascii_lowercase).as_deref() {
            Some("allow") => RuleAction::Allow,
            Some("deny") => RuleAction::Deny,
            other => {
                let got = other.map_or("no RuleAction".to_string(), |a| format!("RuleAction {a:?}"));
                refused(cx, r, "L2", &format!("a network ACL entry with {got}: it is allow or deny"));
                continue;
            }
        };
        let entry = NaclEntry {
            rule_number,
            egress: b(props, "Egress").unwrap_or(false),
            action,
            protocol: proto,
            ports: entry_ports,
            cidr: block,
        };
        match cx.ix.network_acl_mut(&mut cx.d, &acl) {
            Some(a) => a.entries.push(entry),
            None => cx.report.info(
                "",
                &r.logical_id,
                crate::text!("entry of {acl}, which the template does not create: skipped"),
            ),
        }
    }
    for r in cx.of_type("AWS::EC2::SubnetNetworkAclAssociation") {
        let Some(acl) = cx.resolve(p(&r.properties, "NetworkAclId"), ResourceKind::NetworkAcl, &r.logical_id) else {
            continue;
        };
        let vpc = cx.ix.network_acl(&cx.d, &acl).map(|a| a.vpc.clone());
        let Some(subnet) = cx.subnet_ref(p(&r.properties, "SubnetId"), vpc.as_deref(), &r.logical_id) else { continue };
        if let Err(e) = cx.associate_network_acl(&subnet, &acl) {
            cx.report.warn("", &r.logical_id, crate::text!("association not made: {e}").with("e", e.as_text()));
        }
    }
}
