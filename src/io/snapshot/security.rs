//! Security groups (S1–S6) and network ACLs (L1–L4).

use super::json::{arr, b, cidr, cidr6, n, obj, s, so};
use super::Ctx;
use crate::model::*;
use serde_json::Value;

/// The AWS spelling of a protocol (`-1`, `tcp`, `6`, `icmpv6`, `58` …).
pub fn protocol(text: &str) -> Option<Protocol> {
    Protocol::parse(text.trim()).ok()
}

/// Ports of an SG permission: TCP/UDP ranges, ICMP type and code, or everything.
fn sg_ports(p: Protocol, v: &Value) -> PortSpec {
    PortSpec::from_aws(p, n(v, "FromPort"), n(v, "ToPort"))
}

fn rules(cx: &mut Ctx, file: &str, sg: &str, owner: Option<&str>, perms: &[Value]) -> Vec<SgRule> {
    let mut out = Vec::new();
    for p in perms {
        let Some(proto) = s(p, "IpProtocol").and_then(protocol) else {
            cx.report.warn(file, sg, "a rule with an unreadable IpProtocol skipped");
            continue;
        };
        let ports = sg_ports(proto, p);
        let rule =
            |peer, d: Option<String>| SgRule { protocol: proto, ports, peer, description: d.unwrap_or_default() };
        for r in arr(p, "IpRanges") {
            if let Some(c) = cidr(r, "CidrIp") {
                out.push(rule(SgPeer::Cidr(c.into()), so(r, "Description")));
            }
        }
        for r in arr(p, "PrefixListIds") {
            if let Some(pl) = so(r, "PrefixListId") {
                out.push(rule(SgPeer::PrefixList(pl), so(r, "Description")));
            }
        }
        for r in arr(p, "UserIdGroupPairs") {
            if let Some(g) = so(r, "GroupId") {
                let account = so(r, "UserId").filter(|u| Some(u.as_str()) != owner && owner.is_some());
                out.push(rule(SgPeer::SecurityGroup { group: g, account }, so(r, "Description")));
            }
        }
        for r in arr(p, "Ipv6Ranges") {
            if let Some(c) = cidr6(r, "CidrIpv6") {
                out.push(rule(SgPeer::Cidr(c.into()), so(r, "Description")));
            }
        }
    }
    out
}

/// `SecurityGroups` with their IPv4 rules.
pub fn import_security_groups(cx: &mut Ctx) {
    for raw in cx.c.get("SecurityGroups") {
        let v = &raw.v;
        let (Some(id), Some(vpc)) = (so(v, "GroupId"), so(v, "VpcId")) else {
            if let Some(id) = so(v, "GroupId") {
                cx.report.info(&raw.file, &id, "EC2-Classic security group (no VpcId): skipped");
            }
            continue;
        };
        let group_name = so(v, "GroupName");
        // A group's own name is what people call it; a Name tag wins when there is one.
        let name = super::json::name_tag(v).or_else(|| group_name.clone()).unwrap_or_else(|| cx.name(v, &id));
        let owner = so(v, "OwnerId");
        let mut g = SecurityGroup::new(id.clone(), name, vpc);
        g.description = so(v, "Description").unwrap_or_default();
        g.is_default = group_name.as_deref() == Some("default");
        g.ingress = rules(cx, &raw.file, &id, owner.as_deref(), arr(v, "IpPermissions"));
        g.egress = rules(cx, &raw.file, &id, owner.as_deref(), arr(v, "IpPermissionsEgress"));
        cx.d.security_groups.push(g);
    }
}

/// `NetworkAcls`; the final `*` deny is implicit in the model.
pub fn import_network_acls(cx: &mut Ctx) {
    for raw in cx.c.get("NetworkAcls") {
        let v = &raw.v;
        let (Some(id), Some(vpc)) = (so(v, "NetworkAclId"), so(v, "VpcId")) else { continue };
        let mut acl = NetworkAcl::new_custom(id.clone(), cx.name(v, &id), vpc);
        acl.is_default = b(v, "IsDefault").unwrap_or(false);
        acl.subnets = arr(v, "Associations").iter().filter_map(|a| so(a, "SubnetId")).collect();
        for e in arr(v, "Entries") {
            let Some(rule_number) = n(e, "RuleNumber") else { continue };
            // The final `*` deny (32767) is implicit in the model (L2).
            if rule_number >= 32767 {
                continue;
            }
            // L2: IPv4 and IPv6 entries are separate; an entry has one or the other.
            let Some(net) =
                cidr(e, "CidrBlock").map(ipnet::IpNet::V4).or_else(|| cidr6(e, "Ipv6CidrBlock").map(ipnet::IpNet::V6))
            else {
                cx.report.warn(&raw.file, &id, format!("entry {rule_number} has no readable CIDR: skipped"));
                continue;
            };
            let Some(protocol) = s(e, "Protocol").and_then(protocol) else { continue };
            let ports = match protocol {
                Protocol::Tcp | Protocol::Udp => {
                    let r = obj(e, "PortRange");
                    match (
                        n(r, "From").and_then(|x| u16::try_from(x).ok()),
                        n(r, "To").and_then(|x| u16::try_from(x).ok()),
                    ) {
                        (Some(f), Some(t)) if f <= t && !(f == 0 && t == 65535) => PortSpec::Range { from: f, to: t },
                        _ => PortSpec::All,
                    }
                }
                Protocol::Icmp | Protocol::ICMPV6 => {
                    let tc = obj(e, "IcmpTypeCode");
                    let byte = |k| n(tc, k).and_then(|x| u8::try_from(x).ok());
                    match (byte("Type"), byte("Code")) {
                        (None, None) => PortSpec::All,
                        (t, c) => PortSpec::Icmp { icmp_type: t, code: c },
                    }
                }
                _ => PortSpec::All,
            };
            acl.entries.push(NaclEntry {
                rule_number: u16::try_from(rule_number).unwrap_or(32766).max(1),
                egress: b(e, "Egress").unwrap_or(false),
                action: if s(e, "RuleAction") == Some("deny") { RuleAction::Deny } else { RuleAction::Allow },
                protocol,
                ports,
                cidr: net,
            });
        }
        cx.d.network_acls.push(acl);
    }
}
