//! What the forms share for IPv6 (issue 14): reading CIDRs of either family, IPv6 addresses
//! and a VPC's block list, and the free /64s a subnet may take. Parsing is `net`'s (zone ids,
//! IPv4-mapped addresses and `/129` refused with a sentence); AWS's rules (A7, I5) are the
//! ops' to check.

use super::Choice;
use crate::model::ops::{Op, Ref};
use crate::model::{Design, Ipv6Pool, Vpc};
use ipnet::{IpNet, Ipv6Net};
use std::net::Ipv6Addr;

/// The hint beside an interface's IPv6 field.
pub const ADDRESS_HINT: &str = "auto (the first free of the subnet's /64), addresses, or empty: none (A7)";

/// How many free /64s a subnet's IPv6 picker offers (a /56 holds 256).
pub const FREE_OFFERED: usize = 256;

/// A CIDR of either family, canonical (`0.0.0.0/0`, `::/0`, `2001:DB8::/64`).
pub fn any_cidr(s: &str) -> Result<IpNet, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("required: a CIDR such as 0.0.0.0/0 or ::/0".into());
    }
    if !t.contains('/') {
        return Err(format!("'{t}' has no prefix length: write it as a.b.c.d/n or an IPv6 prefix such as ::/0"));
    }
    crate::net::parse_ip_cidr(t)
}

/// What a CIDR field of either family will hold when host bits were typed.
pub fn any_cidr_note(s: &str) -> Option<String> {
    let t = s.trim();
    if t.contains(':') {
        crate::net::parse_ipv6_cidr(t).ok().and_then(|p| p.canonicalisation_note())
    } else {
        super::parse::cidr_note(t)
    }
}

/// Whether a destination typed in a route form is IPv6 (a CIDR with a colon).
pub fn is_ipv6_text(s: &str) -> bool {
    s.contains(':')
}

/// Comma-separated IPv6 addresses, canonical.
pub fn addresses(s: &str) -> Result<Vec<Ipv6Addr>, String> {
    super::parse::list(s).iter().map(|a| crate::net::parse_ipv6(a).map_err(|e| e.to_string())).collect()
}

/// What an interface's IPv6 field says: `auto` (the first free address of the subnet's /64),
/// or exactly these addresses (empty: none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressChoice {
    Auto,
    These(Vec<Ipv6Addr>),
}

/// Read an interface's IPv6 field.
pub fn address_choice(s: &str) -> Result<AddressChoice, String> {
    if s.trim().eq_ignore_ascii_case("auto") {
        Ok(AddressChoice::Auto)
    } else {
        addresses(s).map(AddressChoice::These)
    }
}

/// The ops that give an interface (or an instance's primary interface) `want` when it now has
/// `current`: none when they are the same; `auto` adds the first free address unless it has
/// one already (A7).
pub fn address_ops(resource: Ref, current: &[Ipv6Addr], want: AddressChoice) -> Vec<Op> {
    match want {
        AddressChoice::Auto if !current.is_empty() => Vec::new(),
        AddressChoice::Auto => vec![Op::AddInstanceIpv6 { instance: resource, address: None }],
        AddressChoice::These(a) if a == current => Vec::new(),
        AddressChoice::These(addresses) => vec![Op::SetIpv6Addresses { resource, addresses }],
    }
}

/// What a new interface's (or instance's) IPv6 field starts as: `auto` where creating it
/// gives an address (an IPv6-only subnet, or one that assigns IPv6 on creation, A7), else
/// empty.
pub fn launch_default(d: &Design, subnet: &str) -> &'static str {
    match d.subnet(subnet) {
        Some(s) if s.is_ipv6_only() || (s.ipv6_cidr.is_some() && s.assign_ipv6_address_on_creation) => "auto",
        _ => "",
    }
}

/// The ops after creating an interface (or instance) in `subnet` that give it what its IPv6
/// field asks for: what creation gives, one more, or exactly these (A7).
pub fn launch_ops(d: &Design, subnet: &str, resource: Ref, want: AddressChoice) -> Vec<Op> {
    let given = launch_default(d, subnet) == "auto";
    match want {
        AddressChoice::Auto if !given => vec![Op::AddInstanceIpv6 { instance: resource, address: None }],
        AddressChoice::These(addresses) if given || !addresses.is_empty() => {
            vec![Op::SetIpv6Addresses { resource, addresses }]
        }
        _ => Vec::new(),
    }
}

/// One entry of a VPC's IPv6 field: an Amazon-provided /56 (`amazon`), or a block, optionally
/// followed by the BYOIP (`ipv6pool-…`) or IPAM (`ipam-pool-…`) pool it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockEntry {
    Amazon,
    Given(Ipv6Net, Ipv6Pool),
}

/// Read a VPC's IPv6 field: comma-separated entries.
pub fn block_entries(s: &str) -> Result<Vec<BlockEntry>, String> {
    super::parse::list(s)
        .iter()
        .map(|item| {
            let mut words = item.split_whitespace();
            let first = words.next().unwrap_or_default();
            if first.eq_ignore_ascii_case("amazon") {
                return Ok(BlockEntry::Amazon);
            }
            let cidr = crate::net::parse_ipv6_cidr(first).map_err(|e| e.to_string())?.cidr;
            let pool = match words.next() {
                None => Ipv6Pool::Amazon,
                Some(p) if p.starts_with("ipv6pool-") => Ipv6Pool::Byoip(p.to_string()),
                Some(p) if p.starts_with("ipam-pool-") => Ipv6Pool::Ipam(p.to_string()),
                Some(p) => {
                    return Err(format!("'{p}' is not a pool id: a BYOIP pool is ipv6pool-…, an IPAM pool ipam-pool-…"))
                }
            };
            if let Some(extra) = words.next() {
                return Err(format!("'{extra}' after '{item}': one block and at most one pool id per entry"));
            }
            Ok(BlockEntry::Given(cidr, pool))
        })
        .collect()
}

/// A VPC's IPv6 blocks as its field shows them.
pub fn blocks_text(v: &Vpc) -> String {
    let items: Vec<String> = v
        .ipv6_cidr_blocks
        .iter()
        .map(|b| match &b.pool {
            Ipv6Pool::Amazon => b.cidr.to_string(),
            Ipv6Pool::Byoip(p) | Ipv6Pool::Ipam(p) => format!("{} {p}", b.cidr),
        })
        .collect();
    items.join(", ")
}

/// The ops that make a VPC's IPv6 blocks what its field says: blocks no longer named are
/// disassociated first, then new ones associated (A7).
pub fn block_ops(vpc: Ref, current: Option<&Vpc>, entries: Vec<BlockEntry>) -> Vec<Op> {
    let have: Vec<Ipv6Net> = current.map(|v| v.ipv6_cidrs().collect()).unwrap_or_default();
    let named = |c: &Ipv6Net| entries.iter().any(|e| matches!(e, BlockEntry::Given(x, _) if x == c));
    let mut ops: Vec<Op> =
        have.iter().filter(|c| !named(c)).map(|c| Op::RemoveVpcIpv6Block { vpc: vpc.clone(), cidr: *c }).collect();
    for e in entries {
        match e {
            BlockEntry::Amazon => {
                ops.push(Op::AddVpcIpv6Block { vpc: vpc.clone(), cidr: None, pool: Ipv6Pool::Amazon })
            }
            BlockEntry::Given(c, _) if have.contains(&c) => {}
            BlockEntry::Given(c, pool) => ops.push(Op::AddVpcIpv6Block { vpc: vpc.clone(), cidr: Some(c), pool }),
        }
    }
    ops
}

/// The IPv6 picker of a subnet in `vpc`: none, then the free /64s (A7), with `current` (the
/// block the subnet has, or the one the planner chose) first when it is not among them.
pub fn subnet_choices(d: &Design, vpc: &str, current: Option<Ipv6Net>) -> Vec<Choice> {
    let mut v = vec![Choice::new("", "(none: IPv4 only)")];
    if d.vpc(vpc).is_some_and(|x| x.ipv6_cidr_blocks.is_empty()) {
        v[0] = Choice::new("", "(none: the VPC has no IPv6 block)");
    }
    let free = d.free_subnet_ipv6(vpc, FREE_OFFERED);
    if let Some(c) = current.filter(|c| !free.contains(c)) {
        v.push(Choice::new(c.to_string(), format!("{c} (this subnet's)")));
    }
    v.extend(free.iter().map(|c| Choice::new(c.to_string(), format!("{c} (free)"))));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn either_family_and_clear_refusals() {
        assert_eq!(any_cidr("::/0").unwrap().to_string(), "::/0");
        assert_eq!(any_cidr("2001:DB8:0:0::1/64").unwrap().to_string(), "2001:db8::/64");
        assert_eq!(any_cidr("10.0.0.0/8").unwrap().to_string(), "10.0.0.0/8");
        assert!(any_cidr("2001:db8::/129").unwrap_err().contains("0 to 128"));
        assert!(any_cidr("::ffff:10.0.0.1/128").unwrap_err().contains("IPv4"));
        assert!(any_cidr("fe80::1%eth0/64").unwrap_err().contains("zone id"));
        assert!(any_cidr("2001:db8::").unwrap_err().contains("prefix length"));
        assert_eq!(
            any_cidr_note("2001:db8::1/64").unwrap(),
            "2001:db8::1/64 is the block 2001:db8::/64 (host bits cleared)"
        );
    }

    #[test]
    fn addresses_and_blocks() {
        assert_eq!(address_choice(" AUTO ").unwrap(), AddressChoice::Auto);
        assert_eq!(address_choice("").unwrap(), AddressChoice::These(vec![]));
        let a = address_choice("2001:DB8::A, 2001:db8:0:0::b").unwrap();
        assert_eq!(a, AddressChoice::These(vec!["2001:db8::a".parse().unwrap(), "2001:db8::b".parse().unwrap()]));
        assert!(address_choice("fe80::1%eth0").unwrap_err().contains("zone id"));
        let e = block_entries("amazon, 2600:1f18::/56, 2001:db8:100::/48 ipv6pool-ec2-0a").unwrap();
        assert_eq!(e[0], BlockEntry::Amazon);
        assert_eq!(
            e[2],
            BlockEntry::Given("2001:db8:100::/48".parse().unwrap(), Ipv6Pool::Byoip("ipv6pool-ec2-0a".into()))
        );
        assert!(block_entries("2001:db8::/56 pool-x").unwrap_err().contains("pool id"));
        assert!(block_entries("10.0.0.0/16").is_err());
    }
}
