//! Security groups (one resource per rule) and network ACLs.

use super::hcl::{Block, Hv};
use super::{keep, tags, Tf};
use crate::model::*;

/// Security groups and network ACLs.
pub fn export(tf: &mut Tf) {
    security_groups(tf);
    network_acls(tf);
}

/// (`ip_protocol`, port range) of a rule in the `aws_vpc_security_group_*_rule` style.
fn protocol_ports(p: Protocol, ports: PortSpec) -> (String, Option<(i64, i64)>) {
    match (p, ports) {
        (Protocol::All, _) => ("-1".into(), None),
        (Protocol::Tcp | Protocol::Udp, PortSpec::Range { from, to }) => {
            (p.to_string(), Some((from.into(), to.into())))
        }
        (Protocol::Tcp | Protocol::Udp, _) => (p.to_string(), Some((0, 65535))),
        (Protocol::Icmp, PortSpec::Icmp { icmp_type, code }) => {
            ("icmp".into(), Some((icmp_type.map_or(-1, i64::from), code.map_or(-1, i64::from))))
        }
        (Protocol::Icmp, _) => ("icmp".into(), Some((-1, -1))),
        (Protocol::ICMPV6, PortSpec::Icmp { icmp_type, code }) => {
            ("icmpv6".into(), Some((icmp_type.map_or(-1, i64::from), code.map_or(-1, i64::from))))
        }
        (Protocol::ICMPV6, _) => ("icmpv6".into(), Some((-1, -1))),
        (Protocol::Number(n), _) => (n.to_string(), None),
    }
}

/// A name AWS accepts for a group (not `default`, not starting with `sg-`).
fn group_name(g: &SecurityGroup, fallback: &str) -> String {
    let n: String =
        g.name.chars().filter(|c| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(*c)).collect();
    if n.is_empty() || n.eq_ignore_ascii_case("default") || n.starts_with("sg-") {
        fallback.to_string()
    } else {
        n
    }
}

fn security_groups(tf: &mut Tf) {
    let d = tf.d;
    for g in keep(d.security_groups.iter(), |g| tf.has(&g.id)) {
        let name = tf.name(&g.id);
        if g.is_default {
            default_group(tf, g, &name);
            continue;
        }
        let mut b = tf.resource("aws_security_group", &name, &g.id);
        let description =
            if g.description.is_empty() { format!("{} security group", g.name) } else { g.description.clone() };
        b.set("name", Hv::s(group_name(g, &name)))
            .set("description", Hv::s(description.chars().filter(char::is_ascii).collect::<String>()))
            .set("vpc_id", tf.r(&g.vpc))
            .set("tags", tags(&g.name));
        tf.push(b);
        for (ingress, rules) in [(true, &g.ingress), (false, &g.egress)] {
            for r in rules {
                rule(tf, g, &name, r, ingress);
            }
        }
    }
}

fn rule(tf: &mut Tf, g: &SecurityGroup, base: &str, r: &SgRule, ingress: bool) {
    let (ty, word) = if ingress {
        ("aws_vpc_security_group_ingress_rule", "in")
    } else {
        ("aws_vpc_security_group_egress_rule", "out")
    };
    let n = tf.fresh(&format!("{base}_{word}"), "rule");
    let mut b = tf.resource(ty, &n, &g.id);
    b.set("security_group_id", tf.r(&g.id));
    let (proto, ports) = protocol_ports(r.protocol, r.ports);
    b.set("ip_protocol", Hv::s(proto));
    if let Some((f, t)) = ports {
        b.set("from_port", Hv::Num(f)).set("to_port", Hv::Num(t));
    }
    match &r.peer {
        SgPeer::Cidr(c) if c.addr().is_ipv6() => b.set("cidr_ipv6", Hv::s(c.to_string())),
        SgPeer::Cidr(c) => b.set("cidr_ipv4", Hv::s(c.to_string())),
        SgPeer::PrefixList(pl) => b.set("prefix_list_id", tf.r(pl)),
        SgPeer::SecurityGroup { group, account } => {
            if account.is_some() {
                tf.note(format!(
                    "{}: a rule refers to {group} of another account; written without the account",
                    g.name
                ));
            }
            b.set("referenced_security_group_id", tf.r(group))
        }
    };
    if !r.description.is_empty() {
        b.set("description", Hv::s(r.description.chars().filter(char::is_ascii).collect::<String>()));
    }
    tf.push(b);
}

/// `aws_default_security_group` takes over the default group with exactly these rules.
fn default_group(tf: &mut Tf, g: &SecurityGroup, name: &str) {
    let mut b = tf.resource("aws_default_security_group", name, &g.id);
    b.set("vpc_id", tf.r(&g.vpc));
    for (ingress, rules) in [(true, &g.ingress), (false, &g.egress)] {
        for r in rules {
            let mut c = Block::new(if ingress { "ingress" } else { "egress" }, &[]);
            let (proto, ports) = protocol_ports(r.protocol, r.ports);
            let (f, t) = ports.unwrap_or((0, 0));
            c.set("protocol", Hv::s(proto)).set("from_port", Hv::Num(f)).set("to_port", Hv::Num(t));
            match &r.peer {
                SgPeer::Cidr(x) if x.addr().is_ipv6() => {
                    c.set("ipv6_cidr_blocks", Hv::List(vec![Hv::s(x.to_string())]))
                }
                SgPeer::Cidr(x) => c.set("cidr_blocks", Hv::List(vec![Hv::s(x.to_string())])),
                SgPeer::PrefixList(pl) => c.set("prefix_list_ids", Hv::List(vec![tf.r(pl)])),
                SgPeer::SecurityGroup { group, .. } if *group == g.id => c.set("self", Hv::Bool(true)),
                SgPeer::SecurityGroup { group, .. } => c.set("security_groups", Hv::List(vec![tf.r(group)])),
            };
            if !r.description.is_empty() {
                c.set("description", Hv::s(r.description.chars().filter(char::is_ascii).collect::<String>()));
            }
            b.child(c);
        }
    }
    b.set("tags", tags(&g.name));
    tf.push(b);
}

/// L2: an entry is IPv4 (`cidr_block`) or IPv6 (`ipv6_cidr_block`).
fn cidr_key(e: &NaclEntry) -> &'static str {
    if e.cidr.addr().is_ipv6() {
        "ipv6_cidr_block"
    } else {
        "cidr_block"
    }
}

fn protocol_number(p: Protocol) -> String {
    p.number().map_or("-1".to_string(), |n| n.to_string())
}

fn network_acls(tf: &mut Tf) {
    let d = tf.d;
    for a in keep(d.network_acls.iter(), |a| tf.has(&a.id)) {
        let name = tf.name(&a.id);
        if a.is_default {
            let mut b = tf.resource("aws_default_network_acl", &name, &a.id);
            let vpc =
                tf.address(&a.vpc).map(|v| Hv::Expr(format!("{v}.default_network_acl_id"))).unwrap_or(Hv::s(&a.id));
            b.set("default_network_acl_id", vpc);
            for e in &a.entries {
                let mut c = Block::new(if e.egress { "egress" } else { "ingress" }, &[]);
                c.set("protocol", Hv::s(protocol_number(e.protocol)))
                    .set("rule_no", Hv::Num(e.rule_number.into()))
                    .set("action", Hv::s(e.action.to_string()))
                    .set(cidr_key(e), Hv::s(e.cidr.to_string()));
                let (f, t) = match (e.protocol, e.ports) {
                    (Protocol::Tcp | Protocol::Udp, PortSpec::Range { from, to }) => (from.into(), to.into()),
                    (Protocol::Tcp | Protocol::Udp, _) => (0, 65535),
                    _ => (0, 0),
                };
                c.set("from_port", Hv::Num(f)).set("to_port", Hv::Num(t));
                if let (Protocol::Icmp | Protocol::ICMPV6, PortSpec::Icmp { icmp_type, code }) = (e.protocol, e.ports) {
                    c.set("icmp_type", Hv::Num(icmp_type.map_or(-1, i64::from)))
                        .set("icmp_code", Hv::Num(code.map_or(-1, i64::from)));
                }
                b.child(c);
            }
            b.set("tags", super::tags(&a.name));
            tf.push(b);
            continue;
        }
        let mut b = tf.resource("aws_network_acl", &name, &a.id);
        b.set("vpc_id", tf.r(&a.vpc));
        if !a.subnets.is_empty() {
            b.set("subnet_ids", Hv::List(a.subnets.iter().map(|s| tf.r(s)).collect()));
        }
        b.set("tags", tags(&a.name));
        tf.push(b);
        for e in &a.entries {
            let n = tf.fresh(&format!("{name}_{}_{}", if e.egress { "out" } else { "in" }, e.rule_number), "acl_rule");
            let mut r = tf.resource("aws_network_acl_rule", &n, &a.id);
            r.set("network_acl_id", tf.r(&a.id))
                .set("rule_number", Hv::Num(e.rule_number.into()))
                .set("egress", Hv::Bool(e.egress))
                .set("protocol", Hv::s(protocol_number(e.protocol)))
                .set("rule_action", Hv::s(e.action.to_string()))
                .set(cidr_key(e), Hv::s(e.cidr.to_string()));
            match (e.protocol, e.ports) {
                (Protocol::Tcp | Protocol::Udp, PortSpec::Range { from, to }) => {
                    r.set("from_port", Hv::Num(from.into())).set("to_port", Hv::Num(to.into()));
                }
                (Protocol::Tcp | Protocol::Udp, _) => {
                    r.set("from_port", Hv::Num(0)).set("to_port", Hv::Num(65535));
                }
                (Protocol::Icmp | Protocol::ICMPV6, PortSpec::Icmp { icmp_type, code }) => {
                    r.set("icmp_type", Hv::Num(icmp_type.map_or(-1, i64::from)))
                        .set("icmp_code", Hv::Num(code.map_or(-1, i64::from)));
                }
                (Protocol::Icmp | Protocol::ICMPV6, _) => {
                    r.set("icmp_type", Hv::Num(-1)).set("icmp_code", Hv::Num(-1));
                }
                _ => {}
            }
            tf.push(r);
        }
    }
}
