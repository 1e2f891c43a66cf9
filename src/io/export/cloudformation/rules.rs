//! Security groups and network ACLs.
//!
//! Rules whose peer is another group of the stack (or the group itself) become separate
//! `SecurityGroupIngress` / `SecurityGroupEgress` resources, so groups that allow each other
//! do not form a dependency cycle.

use super::{ascii, name_tag, truncate, Cfn, NO_EGRESS_CIDR};
use crate::model::*;
use serde_json::{json, Map, Value};

/// Security groups and network ACLs.
pub fn export(cx: &mut Cfn) {
    security_groups(cx);
    network_acls(cx);
}

/// `IpProtocol`, `FromPort`, `ToPort` of a security group rule.
fn protocol_and_ports(r: &SgRule) -> Map<String, Value> {
    let mut m = Map::new();
    let (proto, range): (String, Option<(i64, i64)>) = match (r.protocol, r.ports) {
        (Protocol::All, _) => ("-1".into(), None),
        (Protocol::Tcp | Protocol::Udp, PortSpec::Range { from, to }) => {
            (r.protocol.to_string(), Some((i64::from(from), i64::from(to))))
        }
        (Protocol::Tcp | Protocol::Udp, _) => (r.protocol.to_string(), Some((0, 65535))),
        (Protocol::Icmp, PortSpec::Icmp { icmp_type, code }) => {
            ("icmp".into(), Some((icmp_type.map_or(-1, i64::from), code.map_or(-1, i64::from))))
        }
        (Protocol::Icmp, _) => ("icmp".into(), Some((-1, -1))),
        (Protocol::ICMPV6, PortSpec::Icmp { icmp_type, code }) => {
            ("58".into(), Some((icmp_type.map_or(-1, i64::from), code.map_or(-1, i64::from))))
        }
        (Protocol::ICMPV6, _) => ("58".into(), Some((-1, -1))),
        (Protocol::Number(n), _) => (n.to_string(), None),
    };
    m.insert("IpProtocol".into(), json!(proto));
    if let Some((f, t)) = range {
        m.insert("FromPort".into(), json!(f));
        m.insert("ToPort".into(), json!(t));
    }
    if !r.description.is_empty() {
        m.insert("Description".into(), json!(truncate(&ascii(&r.description), 255)));
    }
    m
}

/// Whether a rule's peer is a group this stack declares (or a default group it reaches
/// through its VPC): such rules are separate resources.
fn separate(cx: &Cfn, r: &SgRule) -> bool {
    match &r.peer {
        SgPeer::SecurityGroup { group, account: None } => !cx.r(group).is_string(),
        _ => false,
    }
}

/// The peer part of a rule.
fn peer(cx: &Cfn, r: &SgRule, ingress: bool, m: &mut Map<String, Value>) {
    let dir = if ingress { "Source" } else { "Destination" };
    match &r.peer {
        SgPeer::Cidr(c) => {
            let key = if c.addr().is_ipv6() { "CidrIpv6" } else { "CidrIp" };
            m.insert(key.into(), json!(c.to_string()));
        }
        SgPeer::PrefixList(pl) => {
            m.insert(format!("{dir}PrefixListId"), cx.r(pl));
        }
        SgPeer::SecurityGroup { group, account } => {
            m.insert(format!("{dir}SecurityGroupId"), cx.r(group));
            if let (Some(a), true) = (account, ingress) {
                m.insert("SourceSecurityGroupOwnerId".into(), json!(a));
            }
        }
    }
}

fn rule_json(cx: &Cfn, r: &SgRule, ingress: bool) -> Value {
    let mut m = protocol_and_ports(r);
    peer(cx, r, ingress, &mut m);
    Value::Object(m)
}

/// A separate rule resource attached to `group` (a `Ref` or `Fn::GetAtt`).
fn separate_rule(cx: &mut Cfn, owner: &str, group: Value, r: &SgRule, ingress: bool) {
    let mut m = protocol_and_ports(r);
    peer(cx, r, ingress, &mut m);
    m.insert("GroupId".into(), group);
    let (word, kind) = if ingress {
        ("Ingress", "AWS::EC2::SecurityGroupIngress")
    } else {
        ("Egress", "AWS::EC2::SecurityGroupEgress")
    };
    let n = cx.fresh(&format!("{owner}{word}"), word);
    cx.add(&n, kind, Value::Object(m));
}

fn is_default_rule(g: &SecurityGroup, r: &SgRule, ingress: bool) -> bool {
    let all = r.protocol == Protocol::All && r.ports == PortSpec::All;
    all && if ingress {
        matches!(&r.peer, SgPeer::SecurityGroup { group, account: None } if *group == g.id)
    } else {
        r.peer == SgPeer::any_ipv4()
    }
}

/// The default group's ::/0 egress, which AWS adds when the VPC has an IPv6 block (S4,
/// UG:default-security-group): it exists already and is not declared.
fn is_default_ipv6_egress(d: &Design, g: &SecurityGroup, r: &SgRule) -> bool {
    g.is_default
        && r.protocol == Protocol::All
        && r.ports == PortSpec::All
        && r.peer == SgPeer::any_ipv6()
        && d.vpc(&g.vpc).is_some_and(|v| !v.ipv6_cidr_blocks.is_empty())
}

fn security_groups(cx: &mut Cfn) {
    let d = cx.d;
    for g in super::keep(d.security_groups.iter(), |g| cx.plan.in_scope(&g.id)) {
        if g.is_default {
            default_group(cx, g);
            continue;
        }
        let l = cx.plan.name(&g.id).unwrap_or_default().to_string();
        let description =
            if g.description.is_empty() { format!("{} security group", g.name) } else { g.description.clone() };
        let ingress: Vec<Value> =
            g.ingress.iter().filter(|r| !separate(cx, r)).map(|r| rule_json(cx, r, true)).collect();
        let mut egress: Vec<Value> =
            g.egress.iter().filter(|r| !separate(cx, r)).map(|r| rule_json(cx, r, false)).collect();
        let default_egress = g.egress.len() == 1 && is_default_rule(g, &g.egress[0], false);
        if egress.is_empty() && !default_egress {
            // Any declared egress rule removes AWS's allow-all; this one matches nothing.
            egress.push(
                json!({ "IpProtocol": "-1", "CidrIp": NO_EGRESS_CIDR, "Description": "no other outbound traffic" }),
            );
        }
        let mut p = json!({
            "GroupDescription": truncate(&ascii(&description), 255),
            "VpcId": cx.r(&g.vpc),
            "Tags": name_tag(&g.name),
        });
        if !ingress.is_empty() {
            p["SecurityGroupIngress"] = json!(ingress);
        }
        if !default_egress {
            p["SecurityGroupEgress"] = json!(egress);
        }
        cx.add(&l, "AWS::EC2::SecurityGroup", p);
        for r in super::keep(g.ingress.iter(), |r| separate(cx, r)) {
            separate_rule(cx, &l, json!({ "Ref": l }), r, true);
        }
        if !default_egress {
            for r in super::keep(g.egress.iter(), |r| separate(cx, r)) {
                separate_rule(cx, &l, json!({ "Fn::GetAtt": [l, "GroupId"] }), r, false);
            }
        }
    }
}

/// The default group exists already: add its extra rules, note the missing default ones.
fn default_group(cx: &mut Cfn, g: &SecurityGroup) {
    let Some(vpc) = cx.plan.name(&g.vpc).map(str::to_string) else { return };
    let target = json!({ "Fn::GetAtt": [vpc, "DefaultSecurityGroup"] });
    let owner = format!("{vpc}DefaultSecurityGroup");
    for (ingress, rules) in [(true, &g.ingress), (false, &g.egress)] {
        if !rules.iter().any(|r| is_default_rule(g, r, ingress)) {
            cx.note(format!(
                "{}: the default security group's default {} rule cannot be removed by CloudFormation",
                g.name,
                if ingress { "inbound" } else { "outbound" }
            ));
        }
        let d = cx.d;
        for r in rules.iter().filter(|r| !is_default_rule(g, r, ingress) && !is_default_ipv6_egress(d, g, r)) {
            separate_rule(cx, &owner, target.clone(), r, ingress);
        }
    }
}

fn nacl_entry(acl: Value, e: &NaclEntry) -> Value {
    let proto: i64 = e.protocol.number().map_or(-1, i64::from);
    let mut p = json!({
        "NetworkAclId": acl,
        "RuleNumber": e.rule_number,
        "Protocol": proto,
        "RuleAction": e.action.to_string(),
        "Egress": e.egress,
    });
    // L2: an entry is IPv4 or IPv6.
    let key = if e.cidr.addr().is_ipv6() { "Ipv6CidrBlock" } else { "CidrBlock" };
    p[key] = json!(e.cidr.to_string());
    match (e.protocol, e.ports) {
        (Protocol::Tcp | Protocol::Udp, PortSpec::Range { from, to }) => {
            p["PortRange"] = json!({ "From": from, "To": to })
        }
        (Protocol::Tcp | Protocol::Udp, _) => p["PortRange"] = json!({ "From": 0, "To": 65535 }),
        (Protocol::Icmp, PortSpec::Icmp { icmp_type, code }) => {
            p["Icmp"] = json!({ "Type": icmp_type.map_or(-1, i64::from), "Code": code.map_or(-1, i64::from) })
        }
        (Protocol::Icmp, _) => p["Icmp"] = json!({ "Type": -1, "Code": -1 }),
        (Protocol::ICMPV6, PortSpec::Icmp { icmp_type, code }) => {
            p["Icmp"] = json!({ "Type": icmp_type.map_or(-1, i64::from), "Code": code.map_or(-1, i64::from) })
        }
        (Protocol::ICMPV6, _) => p["Icmp"] = json!({ "Type": -1, "Code": -1 }),
        _ => {}
    }
    p
}

fn is_default_entry(e: &NaclEntry) -> bool {
    e.rule_number == 100
        && e.action == RuleAction::Allow
        && e.protocol == Protocol::All
        && e.cidr == ipnet::IpNet::V4(ipnet::Ipv4Net::default())
}

/// Rule 101 allowing all IPv6, which AWS adds to the default ACL with the VPC's IPv6 block
/// (L4): it exists already and is not declared.
fn is_default_ipv6_entry(d: &Design, a: &NetworkAcl, e: &NaclEntry) -> bool {
    e.rule_number == 101
        && e.action == RuleAction::Allow
        && e.protocol == Protocol::All
        && e.cidr == ipnet::IpNet::V6(ipnet::Ipv6Net::default())
        && d.vpc(&a.vpc).is_some_and(|v| !v.ipv6_cidr_blocks.is_empty())
}

fn network_acls(cx: &mut Cfn) {
    let d = cx.d;
    for a in super::keep(d.network_acls.iter(), |a| cx.plan.in_scope(&a.id)) {
        if a.is_default {
            let Some(vpc) = cx.plan.name(&a.vpc).map(str::to_string) else { continue };
            for egress in [false, true] {
                if !a.entries.iter().any(|e| e.egress == egress && is_default_entry(e)) {
                    cx.note(format!("{}: the default ACL's rule 100 cannot be removed by CloudFormation", a.name));
                }
            }
            for e in a.entries.iter().filter(|e| !is_default_entry(e) && !is_default_ipv6_entry(d, a, e)) {
                if e.rule_number == 100 {
                    cx.note(format!("{}: entry 100 would clash with the default ACL's own rule 100; left out", a.name));
                    continue;
                }
                let n = cx.fresh(&format!("{vpc}DefaultAclEntry"), "AclEntry");
                let p = nacl_entry(json!({ "Fn::GetAtt": [vpc, "DefaultNetworkAcl"] }), e);
                cx.add(&n, "AWS::EC2::NetworkAclEntry", p);
            }
            continue;
        }
        let l = cx.plan.name(&a.id).unwrap_or_default().to_string();
        cx.add(&l, "AWS::EC2::NetworkAcl", json!({ "VpcId": cx.r(&a.vpc), "Tags": name_tag(&a.name) }));
        for e in &a.entries {
            let word = if e.egress { "Outbound" } else { "Inbound" };
            let n = cx.fresh(&format!("{l}{word}{}", e.rule_number), "AclEntry");
            let p = nacl_entry(json!({ "Ref": l }), e);
            cx.add(&n, "AWS::EC2::NetworkAclEntry", p);
        }
        for s in &a.subnets {
            let sn = cx.ix.subnet(s).map(|x| x.name.clone()).unwrap_or_default();
            let sn = crate::io::export::sanitize_identifier(&sn, false, "Subnet");
            let n = cx.fresh(&format!("{sn}NetworkAclAssociation"), "AclAssociation");
            cx.add(
                &n,
                "AWS::EC2::SubnetNetworkAclAssociation",
                json!({ "SubnetId": cx.r(s), "NetworkAclId": { "Ref": l } }),
            );
        }
    }
}
