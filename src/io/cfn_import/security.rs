//! Security groups with their inline and separate rules (S1–S6), network ACLs (L1–L4).

use super::values::{b, cidr, list, n, p, s, Found};
use super::Cx;
use crate::io::export::cloudformation::NO_EGRESS_CIDR;
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
                "security group without a VpcId (EC2-Classic or the default VPC): skipped",
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
        if cx.d.security_group(&id).is_none() {
            continue;
        }
        let ingress: Vec<SgRule> = list(&r.properties, "SecurityGroupIngress")
            .into_iter()
            .filter_map(|x| rule(cx, x, true, &r.logical_id))
            .collect();
        let explicit_egress = !p(&r.properties, "SecurityGroupEgress").is_null();
        let mut egress: Vec<SgRule> = list(&r.properties, "SecurityGroupEgress")
            .into_iter()
            .filter_map(|x| rule(cx, x, false, &r.logical_id))
            .collect();
        let sentinel = |x: &SgRule| {
            x.peer == SgPeer::Cidr(NO_EGRESS_CIDR.parse().unwrap_or_default()) && x.protocol == Protocol::All
        };
        if egress.iter().any(sentinel) {
            cx.report.info(
                "",
                &r.logical_id,
                format!("the egress rule to {NO_EGRESS_CIDR} only removes the default allow-all: not kept"),
            );
            egress.retain(|x| !sentinel(x));
        }
        if let Some(g) = cx.d.security_groups.iter_mut().find(|g| g.id == id) {
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
                cx.report.warn("", &r.logical_id, "rule by GroupName (default VPC): skipped");
                continue;
            }
            let Some(gid) = cx.resolve(gv, ResourceKind::SecurityGroup, &r.logical_id) else { continue };
            cx.ensure_security_group(&gid, None, &r.logical_id);
            let Some(rule) = rule(cx, &r.properties, ingress, &r.logical_id) else { continue };
            if let Some(g) = cx.d.security_groups.iter_mut().find(|g| g.id == gid) {
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

/// Ports of a rule from `FromPort` / `ToPort` (ICMP: type and code; -1 means any).
pub fn ports(proto: Protocol, from: Option<i64>, to: Option<i64>) -> PortSpec {
    PortSpec::from_aws(proto, from, to)
}

/// An IP protocol as CloudFormation writes it (`tcp`, `6`, `-1`, `icmpv6`, `58`).
pub fn protocol(v: &Value) -> Option<Protocol> {
    let text = match v {
        Value::Number(x) => x.to_string(),
        Value::String(x) => x.clone(),
        _ => return None,
    };
    Protocol::parse(text.trim()).ok()
}

fn rule(cx: &mut Cx, x: &Value, ingress: bool, from: &str) -> Option<SgRule> {
    let Some(proto) = protocol(p(x, "IpProtocol")) else {
        cx.report.warn("", from, "a rule with an unreadable IpProtocol: skipped");
        return None;
    };
    let ports = ports(proto, n(x, "FromPort"), n(x, "ToPort"));
    let description = s(x, "Description").unwrap_or_default().to_string();
    let dir = if ingress { "Source" } else { "Destination" };
    let peer = if let Some(c) = cidr(x, "CidrIp") {
        SgPeer::Cidr(c.into())
    } else if let Some(t) = s(x, "CidrIpv6") {
        match crate::net::parse_ipv6_cidr(t) {
            Ok(c) => SgPeer::Cidr(c.cidr.into()),
            Err(e) => {
                cx.report.error("", from, format!("CidrIpv6: {e}; rule skipped"));
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
        cx.report.warn("", from, "a rule without a usable peer: skipped");
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
                    cx.report.error("", &r.logical_id, format!("Ipv6CidrBlock: {e}; skipped"));
                    continue;
                }
            },
            (None, None) => {
                cx.report.warn("", &r.logical_id, "entry without a usable CidrBlock or Ipv6CidrBlock: skipped");
                continue;
            }
        };
        let Some(proto) = protocol(p(props, "Protocol")) else { continue };
        let entry_ports = match proto {
            Protocol::Icmp | Protocol::ICMPV6 => ports(proto, n(p(props, "Icmp"), "Type"), n(p(props, "Icmp"), "Code")),
            _ => ports(proto, n(p(props, "PortRange"), "From"), n(p(props, "PortRange"), "To")),
        };
        let rule_number = n(props, "RuleNumber").and_then(|x| u16::try_from(x).ok()).unwrap_or(100).clamp(1, 32766);
        let entry = NaclEntry {
            rule_number,
            egress: b(props, "Egress").unwrap_or(false),
            action: if s(props, "RuleAction").is_some_and(|a| a.eq_ignore_ascii_case("deny")) {
                RuleAction::Deny
            } else {
                RuleAction::Allow
            },
            protocol: proto,
            ports: entry_ports,
            cidr: block,
        };
        match cx.d.network_acls.iter_mut().find(|a| a.id == acl) {
            Some(a) => a.entries.push(entry),
            None => cx.report.info(
                "",
                &r.logical_id,
                format!("entry of {acl}, which the template does not create: skipped"),
            ),
        }
    }
    for r in cx.of_type("AWS::EC2::SubnetNetworkAclAssociation") {
        let Some(acl) = cx.resolve(p(&r.properties, "NetworkAclId"), ResourceKind::NetworkAcl, &r.logical_id) else {
            continue;
        };
        let vpc = cx.d.network_acl(&acl).map(|a| a.vpc.clone());
        let Some(subnet) = cx.subnet_ref(p(&r.properties, "SubnetId"), vpc.as_deref(), &r.logical_id) else { continue };
        if let Err(e) = cx.d.associate_network_acl(&subnet, &acl) {
            cx.report.warn("", &r.logical_id, format!("association not made: {e}"));
        }
    }
}
