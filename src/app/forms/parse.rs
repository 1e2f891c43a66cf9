//! Turning what was typed into typed values. Each error says what was expected; the AWS rules
//! are the ops' business, not the parser's.

use crate::l10n::Text;
use crate::model::ops::{PeerSpec, Ref};
use crate::model::{Design, PortSpec, Protocol, ResourceKind};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// An IPv4 CIDR, with host bits cleared (A1). Parsing is `net::parse_cidr`'s.
pub fn cidr(s: &str) -> Result<Ipv4Net, Text> {
    let t = s.trim();
    if t.is_empty() {
        return Err("required: a CIDR such as 10.0.0.0/16".into());
    }
    if !t.contains('/') {
        return Err(crate::text!("'{t}' has no prefix length: write it as a.b.c.d/n"));
    }
    crate::net::parse_cidr(t)
        .map(|p| p.cidr)
        .map_err(|e| crate::text!("'{t}' is not an IPv4 CIDR: {e}").with("e", e.text()))
}

/// What a CIDR field will hold when the typed text has host bits set: "10.39.0.5/20 has host
/// bits set; using 10.39.0.0/20 (A1)." (as `plan` says it). `None` for a canonical or bad value.
pub fn cidr_note(s: &str) -> Option<String> {
    crate::net::parse_cidr(s.trim()).ok().and_then(|p| p.canonicalisation_note())
}

/// An IPv4 address.
pub fn ip(s: &str) -> Result<Ipv4Addr, Text> {
    let t = s.trim();
    crate::net::parse_ipv4(t).map_err(|_| crate::text!("'{t}' is not an IPv4 address (a.b.c.d)"))
}

/// An optional IPv4 address (empty: none).
pub fn opt_ip(s: &str) -> Result<Option<Ipv4Addr>, Text> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        ip(s).map(Some)
    }
}

/// A number from `lo` to `hi`.
pub fn num<T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy>(
    s: &str,
    lo: T,
    hi: T,
    what: &str,
) -> Result<T, Text> {
    match s.trim().parse::<T>() {
        Ok(n) if n >= lo && n <= hi => Ok(n),
        _ => Err(crate::text!("{what_ui} must be a number from {lo} to {hi}", what_ui = what)),
    }
}

/// The items of a comma-separated list.
pub fn list(s: &str) -> Vec<String> {
    s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
}

/// Comma-separated CIDRs.
pub fn cidrs(s: &str) -> Result<Vec<Ipv4Net>, Text> {
    list(s).iter().map(|c| cidr(c)).collect()
}

/// Comma-separated addresses.
pub fn ips(s: &str) -> Result<Vec<Ipv4Addr>, Text> {
    list(s).iter().map(|c| ip(c)).collect()
}

/// What the user typed for a resource of one of `kinds`: its id when it is one, else a name.
pub fn reference(d: &Design, token: &str, kinds: &[ResourceKind]) -> Ref {
    let t = token.trim();
    match d.find(t) {
        Some(r) if kinds.contains(&r.kind()) => Ref::id(t),
        _ => Ref::name(t),
    }
}

/// A comma-separated list of ids or names.
pub fn refs(d: &Design, s: &str, kinds: &[ResourceKind]) -> Vec<Ref> {
    list(s).iter().map(|t| reference(d, t, kinds)).collect()
}

/// An optional reference (empty: none).
pub fn opt_ref(s: &str) -> Option<Ref> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(Ref::id(t))
    }
}

/// Ports as rules write them: `all`, `22`, `1024-65535`; for ICMP `all` or `type[:code]`.
pub fn ports(protocol: Protocol, s: &str) -> Result<PortSpec, Text> {
    let t = s.trim().to_ascii_lowercase();
    if t.is_empty() || t == "all" || t == "any" || t == "*" {
        return Ok(match protocol {
            Protocol::Icmp => PortSpec::Icmp { icmp_type: None, code: None },
            _ => PortSpec::All,
        });
    }
    match protocol {
        Protocol::All => Err("protocol 'all' covers every port: leave ports as 'all'".into()),
        Protocol::Icmp => {
            let (ty, code) = t.split_once(':').map_or((t.as_str(), None), |(a, b)| (a, Some(b)));
            let ty = num::<u8>(ty, 0, 255, "ICMP type")?;
            let code = code.map(|c| num::<u8>(c, 0, 255, "ICMP code")).transpose()?;
            Ok(PortSpec::Icmp { icmp_type: Some(ty), code })
        }
        Protocol::Tcp | Protocol::Udp => {
            let (a, b) = t.split_once('-').unwrap_or((t.as_str(), t.as_str()));
            let from = num::<u16>(a, 0, 65535, "a port")?;
            let to = num::<u16>(b, 0, 65535, "a port")?;
            if from > to {
                return Err(crate::text!("the range {from}-{to} runs backwards"));
            }
            Ok(PortSpec::Range { from, to })
        }
        Protocol::Number(_) => Err("only tcp and udp have ports: leave ports as 'all'".into()),
    }
}

/// Ports as [`ports`] reads them back.
pub fn ports_text(p: &PortSpec) -> String {
    match p {
        PortSpec::All | PortSpec::Icmp { icmp_type: None, .. } => "all".into(),
        PortSpec::Range { from, to } if from == to => from.to_string(),
        PortSpec::Range { from, to } => format!("{from}-{to}"),
        PortSpec::Icmp { icmp_type: Some(t), code: None } => t.to_string(),
        PortSpec::Icmp { icmp_type: Some(t), code: Some(c) } => format!("{t}:{c}"),
    }
}

/// A security group rule's peer: a CIDR, a prefix list, `account/sg-…`, or a group by id or
/// name (S6).
pub fn peer(d: &Design, s: &str) -> Result<PeerSpec, Text> {
    let t = s.trim();
    if t.is_empty() {
        return Err("required: a CIDR such as 0.0.0.0/0 or ::/0, a security group or a prefix list (S6)".into());
    }
    // An IPv6 CIDR (`::/0`, `2001:db8::/64`): a colon and a slash, and no group id.
    if t.contains(':') && t.contains('/') && !t.contains("sg-") {
        return super::ipv6::any_cidr(t).map(PeerSpec::Cidr).map_err(Text::from);
    }
    if t.contains('/') && t.chars().next().is_some_and(|c| c.is_ascii_digit()) && !t.contains("sg-") {
        return cidr(t).map(|c| PeerSpec::Cidr(c.into()));
    }
    if t.starts_with("pl-") {
        return Ok(PeerSpec::PrefixList(t.to_string()));
    }
    if let Some((account, group)) = t.split_once('/') {
        if account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) && group.starts_with("sg-") {
            return Ok(PeerSpec::AccountGroup { account: account.to_string(), group: group.to_string() });
        }
    }
    let r = reference(d, t, &[ResourceKind::SecurityGroup]);
    match crate::model::ops::resolve_ref(d, &r, &[ResourceKind::SecurityGroup]) {
        Ok(_) => Ok(PeerSpec::Group(r)),
        Err(_) => Err(crate::text!("'{t}' is not a CIDR, a security group of this design, nor a prefix list (S6)")),
    }
}

/// Text for a peer, as [`peer`] reads it back.
pub fn peer_text(p: &crate::model::SgPeer) -> String {
    p.to_string()
}

/// A comma-separated list of ids, for a field.
pub fn ids_text<'a>(ids: impl IntoIterator<Item = &'a String>) -> String {
    ids.into_iter().map(String::as_str).collect::<Vec<_>>().join(", ")
}

/// Comma-separated values.
pub fn join<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items.into_iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")
}

/// `Some(new)` when it differs from `old`: the field of an update op.
pub fn changed<T: PartialEq>(new: T, old: &T) -> Option<T> {
    (new != *old).then_some(new)
}

/// A list field of an update op: `None` when the list names exactly `current`, else the
/// references typed (their problems are the op's to report).
pub fn refs_change(d: &Design, s: &str, kinds: &[ResourceKind], current: &[String]) -> Option<Vec<Ref>> {
    let refs = refs(d, s, kinds);
    let ids: Result<Vec<String>, _> =
        refs.iter().map(|r| crate::model::ops::resolve_ref(d, r, kinds).map(|(_, id)| id)).collect();
    match ids {
        Ok(ids) if ids == current => None,
        _ => Some(refs),
    }
}
