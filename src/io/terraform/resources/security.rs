//! Security groups and their rules (S1–S6), network ACLs (L1–L4) and prefix lists, with
//! Terraform's own semantics: `aws_security_group` drops AWS's default allow-all egress rule
//! unless the configuration declares egress, and `aws_default_security_group` /
//! `aws_default_network_acl` adopt the VPC's defaults and replace their rules with exactly
//! what is listed.

use super::{b, cidr, cidr6, get, list, n, s, Mapper};
use crate::io::terraform::graph::Instance;
use crate::io::terraform::value::Value;
use crate::l10n::AsText;
use crate::model::*;

/// `aws_ec2_managed_prefix_list`.
pub fn prefix_list(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    // A list holds one family, its address_family.
    let cidrs = if s(v, "address_family") == Some("IPv6") {
        list(v, "entry").into_iter().filter_map(|e| cidr6(e, "cidr")).map(ipnet::IpNet::V6).collect()
    } else {
        list(v, "entry").into_iter().filter_map(|e| cidr(e, "cidr")).map(ipnet::IpNet::V4).collect()
    };
    let aws_managed = s(v, "name").is_some_and(|x| x.starts_with("com.amazonaws."));
    m.d.prefix_lists.push(PrefixList {
        id: id.clone(),
        name: i.address.clone(),
        region: i.region.clone(),
        cidrs,
        aws_managed,
    });
    m.made(&id, ResourceKind::PrefixList, m.d.prefix_lists.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_ec2_managed_prefix_list_entry`.
pub fn prefix_list_entry(m: &mut Mapper, i: &Instance) {
    let c: Option<ipnet::IpNet> =
        cidr(&i.values, "cidr").map(Into::into).or_else(|| cidr6(&i.values, "cidr").map(Into::into));
    let (Some(pl), Some(c)) = (m.id_of(i, "prefix_list_id", Some(ResourceKind::PrefixList)), c) else {
        return;
    };
    if let Some(p) = m.d.prefix_lists.iter_mut().find(|p| p.id == pl) {
        p.cidrs.push(c);
    }
}

/// `aws_security_group`: made with no rules at all — Terraform removes AWS's default egress
/// rule (S4) — and filled by its inline blocks and the rule resources.
pub fn security_group(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let Some(vpc) = m.vpc_of(i, "vpc_id") else {
        m.report.warn(
            "",
            &i.address,
            crate::text!("security group without a vpc_id (it would go to the default VPC): skipped"),
        );
        return;
    };
    let mut g = SecurityGroup::new(id.clone(), &i.address, vpc);
    g.egress.clear();
    g.description = s(v, "description").unwrap_or("Managed by Terraform").to_string();
    m.d.security_groups.push(g);
    m.made(&id, ResourceKind::SecurityGroup, m.d.security_groups.len() - 1);
    m.tag_name(&id, i);
}

/// The inline `ingress` / `egress` blocks, once every group exists (they may refer to each
/// other).
pub fn inline_rules(m: &mut Mapper, i: &Instance) {
    let Some(id) = s(&i.values, "id").map(str::to_string) else { return };
    if m.group_mut(&id).is_none() {
        return;
    }
    let (ingress, egress) = inline(m, i, &id);
    if let Some(g) = m.group_mut(&id) {
        g.ingress.extend(ingress);
        g.egress.extend(egress);
    }
}

fn inline(m: &mut Mapper, i: &Instance, group: &str) -> (Vec<SgRule>, Vec<SgRule>) {
    let mut out = (Vec::new(), Vec::new());
    for (dir, ingress) in [("ingress", true), ("egress", false)] {
        if let Value::Unknown(w) = get(&i.values, dir) {
            m.report.warn("", &i.address, crate::text!("its {dir} rules are known only after apply ({w}): left out"));
        }
        for r in list(&i.values, dir).into_iter().cloned().collect::<Vec<_>>() {
            let rules = classic_rule(m, i, &r, group, "cidr_blocks", "security_groups");
            if ingress {
                out.0.extend(rules);
            } else {
                out.1.extend(rules);
            }
        }
    }
    out
}

/// `aws_default_security_group`: the VPC's default group (S5), its rules replaced by exactly
/// the listed ones — none listed means it allows nothing in and nothing out.
pub fn default_security_group(m: &mut Mapper, i: &Instance) {
    let Some(vpc) = m.vpc_of(i, "vpc_id") else { return };
    let Some(id) = m.d.default_security_group(&vpc).map(|g| g.id.clone()) else {
        m.report.info(
            "",
            &i.address,
            crate::text!("adopts the default group of {vpc}, which the configuration does not create: skipped"),
        );
        return;
    };
    let (ingress, egress) = inline(m, i, &id);
    let address = i.address.clone();
    if let Some(g) = m.group_mut(&id) {
        g.name = address;
        g.ingress = ingress;
        g.egress = egress;
    }
    m.tag_name(&id, i);
}

/// A protocol as the provider takes it (`tcp`, `6`, `-1`, `all`, `icmpv6`, `58`).
fn protocol(v: &Value) -> Option<Protocol> {
    let text = v.to_string_lossless()?;
    Protocol::parse(text.trim()).ok()
}

/// Ports from `from_port`/`to_port` (for ICMP, type and code). Terraform writes "all ports" of
/// an all-protocol rule as 0–0. A range AWS refuses is an error (S2, L2), never "all ports".
fn ports(proto: Protocol, r: &Value, from: &str, to: &str) -> Result<PortSpec, String> {
    PortSpec::from_aws(proto, n(r, from), n(r, to))
}

/// The rules one `ingress`/`egress` block or `aws_security_group_rule` stands for: one per
/// peer it lists (CIDR blocks, prefix lists, groups, `self`).
fn classic_rule(
    m: &mut Mapper,
    i: &Instance,
    r: &Value,
    group: &str,
    cidrs_key: &str,
    groups_key: &str,
) -> Vec<SgRule> {
    let Some(proto) = protocol(&get(r, "protocol")) else {
        m.report.warn("", &i.address, crate::text!("a rule with an unreadable protocol: skipped"));
        return Vec::new();
    };
    let ports = match ports(proto, r, "from_port", "to_port") {
        Ok(p) => p,
        Err(e) => {
            m.report.refuse("", &i.address, "S2", crate::text!("{e}; rule skipped").with("e", e.as_text()));
            return Vec::new();
        }
    };
    let description = s(r, "description").unwrap_or_default().to_string();
    let mut peers = Vec::new();
    for c in list(r, cidrs_key) {
        match c.as_str().and_then(|x| x.parse::<ipnet::Ipv4Net>().ok()) {
            Some(net) => peers.push(SgPeer::Cidr(net.trunc().into())),
            None => m.report.warn(
                "",
                &i.address,
                crate::text!("{cidrs_key}: {c} is not an IPv4 CIDR: that peer is skipped"),
            ),
        }
    }
    for c in list(r, "ipv6_cidr_blocks") {
        match c.as_str().map(crate::net::parse_ipv6_cidr) {
            Some(Ok(net)) => peers.push(SgPeer::Cidr(net.cidr.into())),
            Some(Err(e)) => m.report.warn(
                "",
                &i.address,
                crate::text!("ipv6_cidr_blocks: {e}: that peer is skipped").with("e", e.as_text()),
            ),
            None => {
                m.report.warn("", &i.address, crate::text!("ipv6_cidr_blocks: {c} is not text: that peer is skipped"))
            }
        }
    }
    for p in list(r, "prefix_list_ids").into_iter().cloned().collect::<Vec<_>>() {
        if let Some(id) = m.id_value(i, "prefix_list_ids", &p, None) {
            peers.push(SgPeer::PrefixList(id));
        }
    }
    for g in list(r, groups_key).into_iter().cloned().collect::<Vec<_>>() {
        if let Some(id) = m.id_value(i, groups_key, &g, Some(ResourceKind::SecurityGroup)) {
            peers.push(SgPeer::group(id));
        }
    }
    if b(r, "self") == Some(true) {
        peers.push(SgPeer::group(group));
    }
    peers.into_iter().map(|peer| SgRule { protocol: proto, ports, peer, description: description.clone() }).collect()
}

/// `aws_security_group_rule`.
pub fn security_group_rule(m: &mut Mapper, i: &Instance) {
    let Some(gid) = m.id_of(i, "security_group_id", Some(ResourceKind::SecurityGroup)) else { return };
    let ingress = s(&i.values, "type") != Some("egress");
    let mut r = i.values.clone();
    // One source-group key in this resource, a list in the inline blocks.
    if let Some(src) = i.values.get("source_security_group_id").filter(|v| !v.is_null()) {
        if let Value::Map(mut x) = r {
            std::rc::Rc::make_mut(&mut x).insert("security_groups".into(), Value::list(vec![src.clone()]));
            r = Value::Map(x);
        }
    }
    let rules = classic_rule(m, i, &r, &gid, "cidr_blocks", "security_groups");
    add_rules(m, i, &gid, ingress, rules);
}

fn add_rules(m: &mut Mapper, i: &Instance, group: &str, ingress: bool, rules: Vec<SgRule>) {
    match m.group_mut(group) {
        Some(g) => {
            let list = if ingress { &mut g.ingress } else { &mut g.egress };
            for r in rules {
                if !list.contains(&r) {
                    list.push(r);
                }
            }
        }
        None => m.report.info(
            "",
            &i.address,
            crate::text!("a rule of {group}, which the configuration does not create: skipped"),
        ),
    }
}

/// `aws_vpc_security_group_ingress_rule` / `_egress_rule`: one peer each.
pub fn vpc_rule(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(gid) = m.id_of(i, "security_group_id", Some(ResourceKind::SecurityGroup)) else { return };
    let ingress = i.ty.ends_with("ingress_rule");
    let Some(proto) = protocol(&get(v, "ip_protocol")) else {
        m.report.warn("", &i.address, crate::text!("a rule with an unreadable ip_protocol: skipped"));
        return;
    };
    let ports = match ports(proto, v, "from_port", "to_port") {
        Ok(p) => p,
        Err(e) => {
            m.report.refuse("", &i.address, "S2", crate::text!("{e}; rule skipped").with("e", e.as_text()));
            return;
        }
    };
    let peer = if let Some(c) = cidr(v, "cidr_ipv4") {
        SgPeer::Cidr(c.into())
    } else if let Some(c) = cidr6(v, "cidr_ipv6") {
        SgPeer::Cidr(c.into())
    } else if let Some(p) = m.id_of(i, "prefix_list_id", None) {
        SgPeer::PrefixList(p)
    } else if let Some(g) = m.id_of(i, "referenced_security_group_id", Some(ResourceKind::SecurityGroup)) {
        SgPeer::group(g)
    } else {
        let why = match s(v, "cidr_ipv6") {
            Some(t) => format!("cidr_ipv6 \"{t}\" is not an IPv6 CIDR"),
            None => "no usable peer".to_string(),
        };
        m.report.warn("", &i.address, crate::text!("{why}: skipped"));
        return;
    };
    let description = s(v, "description").unwrap_or_default().to_string();
    add_rules(m, i, &gid, ingress, vec![SgRule { protocol: proto, ports, peer, description }]);
}

/// One NACL entry from an inline block (`rule_no`, `action`) or a rule resource
/// (`rule_number`, `rule_action`).
fn nacl_entry(m: &mut Mapper, i: &Instance, r: &Value, egress: bool) -> Option<NaclEntry> {
    // L2: an entry is IPv4 (`cidr_block`) or IPv6 (`ipv6_cidr_block`).
    let Some(block) =
        cidr(r, "cidr_block").map(ipnet::IpNet::V4).or_else(|| cidr6(r, "ipv6_cidr_block").map(ipnet::IpNet::V6))
    else {
        m.report.warn("", &i.address, crate::text!("an entry without a usable cidr_block or ipv6_cidr_block: skipped"));
        return None;
    };
    let proto = protocol(&get(r, "protocol"))?;
    let ports = match proto {
        Protocol::Icmp | Protocol::ICMPV6 => ports(proto, r, "icmp_type", "icmp_code"),
        _ => ports(proto, r, "from_port", "to_port"),
    };
    let ports = match ports {
        Ok(p) => p,
        Err(e) => {
            m.report.refuse("", &i.address, "L2", crate::text!("{e}; entry skipped").with("e", e.as_text()));
            return None;
        }
    };
    let number = n(r, "rule_no").or_else(|| n(r, "rule_number")).unwrap_or(0);
    let Some(rule_number) = u16::try_from(number).ok().filter(|x| (1..=32766).contains(x)) else {
        m.report.error("", &i.address, crate::text!("rule number {number} is outside 1–32766 (L2): entry skipped"));
        return None;
    };
    let action = s(r, "action").or(s(r, "rule_action")).unwrap_or("deny");
    Some(NaclEntry {
        rule_number,
        egress,
        action: if action.eq_ignore_ascii_case("allow") { RuleAction::Allow } else { RuleAction::Deny },
        protocol: proto,
        ports,
        cidr: block,
    })
}

fn inline_entries(m: &mut Mapper, i: &Instance) -> Vec<NaclEntry> {
    let mut out = Vec::new();
    for (dir, egress) in [("ingress", false), ("egress", true)] {
        for r in list(&i.values, dir).into_iter().cloned().collect::<Vec<_>>() {
            out.extend(nacl_entry(m, i, &r, egress));
        }
    }
    out
}

fn associate_acl(m: &mut Mapper, i: &Instance, acl: &str) {
    for sv in list(&i.values, "subnet_ids").into_iter().cloned().collect::<Vec<_>>() {
        let Some(subnet) = m.subnet_of(i, &sv, "subnet_ids") else { continue };
        if let Err(e) = m.d.associate_network_acl(&subnet, acl) {
            m.report.warn("", &i.address, crate::text!("{subnet} not associated: {e}").with("e", e.as_text()));
        }
    }
}

/// `aws_network_acl`: a custom ACL denies everything until entries are added (L4).
pub fn network_acl(m: &mut Mapper, i: &Instance) {
    let Some(id) = s(&i.values, "id").map(str::to_string) else { return };
    let Some(vpc) = m.vpc_of(i, "vpc_id") else { return };
    let mut a = NetworkAcl::new_custom(id.clone(), &i.address, vpc);
    a.entries = inline_entries(m, i);
    m.d.network_acls.push(a);
    m.made(&id, ResourceKind::NetworkAcl, m.d.network_acls.len() - 1);
    m.tag_name(&id, i);
    associate_acl(m, i, &id);
}

/// `aws_default_network_acl`: the VPC's default ACL, its entries replaced by exactly the
/// listed ones (none listed: it denies everything).
pub fn default_network_acl(m: &mut Mapper, i: &Instance) {
    let Some(id) = m.id_of(i, "default_network_acl_id", Some(ResourceKind::NetworkAcl)) else { return };
    let entries = inline_entries(m, i);
    let address = i.address.clone();
    match m.acl_mut(&id) {
        Some(a) => {
            a.name = address;
            a.entries = entries;
        }
        None => {
            m.report.info(
                "",
                &i.address,
                crate::text!("adopts {id}, which the configuration does not create: skipped"),
            );
            return;
        }
    }
    m.tag_name(&id, i);
    associate_acl(m, i, &id);
}

/// `aws_network_acl_rule`.
pub fn network_acl_rule(m: &mut Mapper, i: &Instance) {
    let Some(acl) = m.id_of(i, "network_acl_id", Some(ResourceKind::NetworkAcl)) else { return };
    let egress = b(&i.values, "egress").unwrap_or(false);
    let v = i.values.clone();
    let Some(e) = nacl_entry(m, i, &v, egress) else { return };
    match m.acl_mut(&acl) {
        Some(a) => a.entries.push(e),
        None => m.report.info(
            "",
            &i.address,
            crate::text!("an entry of {acl}, which the configuration does not create: skipped"),
        ),
    }
}

/// `aws_network_acl_association`.
pub fn network_acl_association(m: &mut Mapper, i: &Instance) {
    let Some(acl) = m.id_of(i, "network_acl_id", Some(ResourceKind::NetworkAcl)) else { return };
    let sv = get(&i.values, "subnet_id").clone();
    let Some(subnet) = m.subnet_of(i, &sv, "subnet_id") else { return };
    if let Err(e) = m.d.associate_network_acl(&subnet, &acl) {
        m.report.warn("", &i.address, crate::text!("not made: {e}").with("e", e.as_text()));
    }
}
