//! Security group (S1–S7) and network ACL (L1–L8) evaluation.

use super::request::has_ports;
use super::result::Header;
use crate::model::{NaclEntry, NetworkAcl, PortSpec, Protocol, RuleAction, SecurityGroup, SgPeer};
use std::net::IpAddr;

/// ICMP echo request and reply types: requests go forward, replies come back.
const ICMP_ECHO_REQUEST: u8 = 8;
const ICMP_ECHO_REPLY: u8 = 0;
/// ICMPv6 echo request and reply (RFC 4443).
const ICMPV6_ECHO_REQUEST: u8 = 128;
const ICMPV6_ECHO_REPLY: u8 = 129;

/// Whether a rule's port spec covers the packet (NACL and SG rules match the destination port).
pub(crate) fn ports_cover(spec: &PortSpec, h: &Header, reply: bool) -> bool {
    match *spec {
        PortSpec::All => true,
        PortSpec::Range { from, to } => match h.dst_port {
            Some(p) => from <= p && p <= to,
            // Protocols without ports ignore the range; TCP/UDP with an unknown port match nothing.
            None => !has_ports(h.protocol),
        },
        PortSpec::Icmp { icmp_type, code } => {
            if !h.protocol.is_icmp() {
                return true;
            }
            let t = match (h.protocol == Protocol::ICMPV6, reply) {
                (false, false) => ICMP_ECHO_REQUEST,
                (false, true) => ICMP_ECHO_REPLY,
                (true, false) => ICMPV6_ECHO_REQUEST,
                (true, true) => ICMPV6_ECHO_REPLY,
            };
            icmp_type.is_none_or(|x| x == t) && code.is_none_or(|c| c == 0)
        }
    }
}

/// The outcome of the security groups of an interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SgOutcome {
    /// (group index in the design, rule index in that direction).
    Allowed(usize, usize),
    /// No rule of any group matched; `no_rules` when the groups are empty: no rules in either
    /// direction.
    Denied { no_rules: bool },
}

/// Evaluate the union of `groups` (S2) in one direction. `peer` is the other end of the packet
/// (the destination for egress, the source for ingress); `peer_matches` decides whether a
/// rule's peer (CIDR, prefix list or group, S6) covers it.
pub(crate) fn evaluate_groups(
    all: &[SecurityGroup],
    groups: &[usize],
    egress: bool,
    h: &Header,
    peer: IpAddr,
    mut peer_matches: impl FnMut(&SgPeer, IpAddr) -> bool,
) -> SgOutcome {
    let mut any_rules = false;
    for &g in groups {
        let Some(sg) = all.get(g) else { continue };
        let rules = if egress { &sg.egress } else { &sg.ingress };
        any_rules |= !sg.egress.is_empty() || !sg.ingress.is_empty();
        for (i, r) in rules.iter().enumerate() {
            if r.protocol.covers(h.protocol) && ports_cover(&r.ports, h, false) && peer_matches(&r.peer, peer) {
                return SgOutcome::Allowed(g, i);
            }
        }
    }
    SgOutcome::Denied { no_rules: !any_rules }
}

/// `tcp 80`, `all`, `udp 1024-65535`, `icmp type 8 code any`.
pub(crate) fn proto_ports(p: Protocol, ports: &PortSpec) -> String {
    match (p, ports) {
        (Protocol::All, _) => "all".to_string(),
        (p, PortSpec::All) => format!("{p} all"),
        (Protocol::Icmp, PortSpec::Icmp { .. }) => ports.to_string(),
        (p, ports) => format!("{p} {ports}"),
    }
}

/// The outcome of a NACL in one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NaclOutcome {
    /// The entry that matched (index into the ACL's entries); `None` means the final `*` deny.
    pub entry: Option<usize>,
    pub allowed: bool,
}

/// Evaluate a NACL's entries of one direction in ascending order, first match wins (L2).
/// `order` is the entry indices sorted by rule number. Inbound entries match the source,
/// outbound entries the destination.
pub(crate) fn evaluate_nacl(acl: &NetworkAcl, order: &[usize], egress: bool, h: &Header, reply: bool) -> NaclOutcome {
    let peer = if egress { h.dst } else { h.src };
    for &i in order {
        let Some(e) = acl.entries.get(i) else { continue };
        if e.protocol.covers(h.protocol) && ports_cover(&e.ports, h, reply) && e.cidr.contains(&peer) {
            return NaclOutcome { entry: Some(i), allowed: e.action == RuleAction::Allow };
        }
    }
    NaclOutcome { entry: None, allowed: false }
}

/// `rule 100 allow tcp 80 0.0.0.0/0`, or `rule * deny all 0.0.0.0/0` for the final entry (the
/// IPv6 one, `::/0`, for an IPv6 packet: L2 keeps the families apart).
pub(crate) fn nacl_entry_text(e: Option<&NaclEntry>, ipv6: bool) -> String {
    nacl_entry(e, ipv6).to_string()
}

/// The entry that decided a NACL hop, as a value: the entry, or the final `*` entry that
/// denies everything (L2).
pub(crate) fn nacl_entry(e: Option<&NaclEntry>, ipv6: bool) -> crate::sim::explain::Matched {
    use crate::model::RuleAction;
    use crate::sim::explain::Matched;
    match e {
        Some(e) => Matched::NaclEntry {
            number: Some(e.rule_number),
            action: e.action,
            protocol: e.protocol,
            ports: e.ports,
            cidr: e.cidr,
        },
        None => Matched::NaclEntry {
            number: None,
            action: RuleAction::Deny,
            protocol: Protocol::All,
            ports: PortSpec::All,
            cidr: if ipv6 { "::/0" } else { "0.0.0.0/0" }.parse().expect("a CIDR"),
        },
    }
}

/// Entry indices of one direction sorted by rule number (L2).
pub(crate) fn nacl_order(acl: &NetworkAcl, egress: bool) -> Vec<usize> {
    let mut v: Vec<usize> = (0..acl.entries.len()).filter(|&i| acl.entries[i].egress == egress).collect();
    v.sort_by_key(|&i| acl.entries[i].rule_number);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SgRule;

    fn hdr(dst_port: u16) -> Header {
        Header {
            src: "60.1.1.1".parse().unwrap(),
            dst: "10.0.0.10".parse().unwrap(),
            protocol: Protocol::Tcp,
            src_port: Some(51000),
            dst_port: Some(dst_port),
        }
    }

    fn entry(n: u16, egress: bool, action: RuleAction, ports: PortSpec) -> NaclEntry {
        NaclEntry { rule_number: n, egress, action, protocol: Protocol::Tcp, ports, cidr: "0.0.0.0/0".parse().unwrap() }
    }

    #[test]
    fn l2_first_match_wins_in_rule_number_order() {
        let mut acl = NetworkAcl::new_custom("acl-1", "a", "vpc-1");
        acl.entries.push(entry(200, false, RuleAction::Allow, PortSpec::All));
        acl.entries.push(entry(100, false, RuleAction::Deny, PortSpec::port(80)));
        let order = nacl_order(&acl, false);
        let out = evaluate_nacl(&acl, &order, false, &hdr(80), false);
        assert!(!out.allowed);
        assert_eq!(out.entry, Some(1));
        let out = evaluate_nacl(&acl, &order, false, &hdr(22), false);
        assert!(out.allowed);
    }

    #[test]
    fn l4_custom_acl_denies_everything() {
        let acl = NetworkAcl::new_custom("acl-1", "a", "vpc-1");
        let out = evaluate_nacl(&acl, &[], true, &hdr(80), false);
        assert_eq!(out, NaclOutcome { entry: None, allowed: false });
        assert_eq!(nacl_entry_text(None, false), "rule * deny all 0.0.0.0/0");
        assert_eq!(nacl_entry_text(None, true), "rule * deny all ::/0");
    }

    fn all_but_egress(all: &[SecurityGroup]) {
        // A group with inbound rules but no outbound ones is not empty: not an empty group.
        let mut g = all[1].clone();
        g.egress.clear();
        let h = hdr(80);
        let any = |_: &SgPeer, _: IpAddr| true;
        assert_eq!(evaluate_groups(&[g], &[0], true, &h, h.dst, any), SgOutcome::Denied { no_rules: false });
    }

    #[test]
    fn s2_any_group_allows_and_s4_empty_group_denies() {
        let mut a = SecurityGroup::new("sg-1", "a", "vpc-1");
        a.egress.clear();
        let mut b = SecurityGroup::new("sg-2", "b", "vpc-1");
        b.ingress.push(SgRule::tcp(80, SgPeer::Cidr("0.0.0.0/0".parse().unwrap())));
        let all = vec![a, b];
        let cidr = |p: &SgPeer, ip: IpAddr| matches!(p, SgPeer::Cidr(c) if c.contains(&ip));
        let h = hdr(80);
        assert_eq!(evaluate_groups(&all, &[0, 1], false, &h, h.src, cidr), SgOutcome::Allowed(1, 0));
        assert_eq!(evaluate_groups(&all, &[0], true, &h, h.dst, cidr), SgOutcome::Denied { no_rules: true });
        assert_eq!(evaluate_groups(&all, &[1], true, &h, h.dst, cidr), SgOutcome::Allowed(1, 0));
        all_but_egress(&all);
        assert_eq!(evaluate_groups(&all, &[1], false, &hdr(22), h.src, cidr), SgOutcome::Denied { no_rules: false });
    }
}
