//! Security groups (S1–S6) and network ACLs (L1–L4).

use super::json::{arr, b, cidr, cidr6, obj, s, so};
use super::Ctx;
use crate::io::aws_values::{int_field, ports_field, protocol_field};
use crate::l10n::AsText;
use crate::model::*;
use serde_json::Value;

/// The rules of one permission list. A value AWS would not have (a bad protocol, ports out of
/// range or reversed) is an import error naming the group and the rule, and the rule is left
/// out: it is never read as "all ports" (S2).
fn rules(cx: &mut Ctx, file: &str, sg: &str, owner: Option<&str>, perms: &[Value], list: &str) -> Vec<SgRule> {
    let mut out = Vec::new();
    for (i, p) in perms.iter().enumerate() {
        let parsed = protocol_field(p, "IpProtocol")
            .and_then(|proto| ports_field(proto, p, "FromPort", "ToPort").map(|ports| (proto, ports)));
        let (proto, ports) = match parsed {
            Ok(x) => x,
            Err(e) => {
                cx.report.refuse(file, sg, "S2", crate::text!("{list}[{i}]: {e}; skipped").with("e", e.as_text()));
                continue;
            }
        };
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
                cx.report.info(&raw.file, &id, crate::text!("EC2-Classic security group (no VpcId): skipped"));
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
        g.ingress = rules(cx, &raw.file, &id, owner.as_deref(), arr(v, "IpPermissions"), "IpPermissions");
        g.egress = rules(cx, &raw.file, &id, owner.as_deref(), arr(v, "IpPermissionsEgress"), "IpPermissionsEgress");
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
        for (i, e) in arr(v, "Entries").iter().enumerate() {
            match entry(e) {
                Ok(Some(x)) => acl.entries.push(x),
                Ok(None) => {}
                Err(msg) => cx.report.refuse(
                    &raw.file,
                    &id,
                    "L2",
                    crate::text!("Entries[{i}]: {msg}; skipped").with("msg", msg.as_text()),
                ),
            }
        }
        cx.d.network_acls.push(acl);
    }
}

/// One NACL entry; `Ok(None)` for what the model leaves out (the final `*` deny, IPv6), an
/// error for a value AWS would not have (L2): never a made-up rule number or "all ports".
fn entry(e: &Value) -> Result<Option<NaclEntry>, String> {
    let rule_number = match int_field(e, "RuleNumber")? {
        // The final `*` deny (32767) is implicit in the model (L2).
        Some(32767) => return Ok(None),
        Some(x) if (1..=32766).contains(&x) => x as u16,
        Some(x) => return Err(format!("RuleNumber {x} is outside 1-32766")),
        None => return Err("an entry without a RuleNumber".into()),
    };
    // L2: IPv4 and IPv6 entries are separate; an entry has one or the other.
    let net = match (cidr(e, "CidrBlock"), s(e, "Ipv6CidrBlock")) {
        (Some(c), _) => ipnet::IpNet::V4(c),
        (None, Some(t)) => {
            ipnet::IpNet::V6(crate::net::parse_ipv6_cidr(t).map_err(|m| format!("rule {rule_number}: {m}"))?.cidr)
        }
        (None, None) => return Err(format!("rule {rule_number}: neither a CidrBlock nor an Ipv6CidrBlock")),
    };
    let protocol = protocol_field(e, "Protocol")?;
    let ports = match protocol {
        Protocol::Icmp | Protocol::ICMPV6 => ports_field(protocol, obj(e, "IcmpTypeCode"), "Type", "Code"),
        _ => ports_field(protocol, obj(e, "PortRange"), "From", "To"),
    }
    .map_err(|m| format!("rule {rule_number}: {m}"))?;
    let action = match s(e, "RuleAction") {
        Some("allow") => RuleAction::Allow,
        Some("deny") => RuleAction::Deny,
        other => return Err(format!("rule {rule_number}: RuleAction {other:?} is neither allow nor deny")),
    };
    Ok(Some(NaclEntry { rule_number, egress: b(e, "Egress").unwrap_or(false), action, protocol, ports, cidr: net }))
}
