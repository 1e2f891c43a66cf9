//! Rule A6: the five addresses AWS reserves in every IPv4 subnet, and what is left to use.

use super::error::{CidrError, CidrRole};
use super::family::AddressFamily;
use ipnet::Ipv4Net;
use std::fmt;
use std::net::Ipv4Addr;

/// Why AWS holds back one of a subnet's addresses (A6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReservedRole {
    /// Base + 0: the network address.
    Network,
    /// Base + 1: the VPC router.
    VpcRouter,
    /// Base + 2: reserved for the Amazon DNS server. The resolver itself answers at the *primary
    /// VPC CIDR* base + 2 (see [`dns_server`]), whichever subnet asks.
    Dns,
    /// Base + 3: reserved for future use.
    FutureUse,
    /// The last address: broadcast is not supported in a VPC, so AWS keeps it.
    Broadcast,
}

impl fmt::Display for ReservedRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReservedRole::Network => "network address",
            ReservedRole::VpcRouter => "VPC router",
            ReservedRole::Dns => "DNS (Amazon-provided)",
            ReservedRole::FutureUse => "reserved for future use",
            ReservedRole::Broadcast => "broadcast (unsupported, reserved)",
        })
    }
}

/// One reserved address with its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReservedAddress {
    /// The address.
    pub addr: Ipv4Addr,
    /// Why it is reserved.
    pub role: ReservedRole,
}

/// Everything the UI shows about a subnet's addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubnetAddresses {
    /// The subnet, host bits cleared.
    pub subnet: Ipv4Net,
    /// The five reserved addresses, lowest first (A6).
    pub reserved: [ReservedAddress; 5],
    /// First address an ENI can get (base + 4).
    pub first_usable: Ipv4Addr,
    /// Last address an ENI can get (the one before the last).
    pub last_usable: Ipv4Addr,
    /// 2^(32 − n) − 5.
    pub usable: u64,
    /// Where the VPC's Amazon DNS server answers: the primary VPC CIDR base + 2 (A6).
    pub dns_server: Option<Ipv4Addr>,
}

/// Usable addresses in an IPv4 subnet of `prefix_len`: 2^(32 − n) − 5 (A6), so a /28 has 11.
///
/// Returns 0 for blocks too small to hold the reserved addresses (/30 and longer) and for
/// prefixes above 32.
pub fn usable_count(prefix_len: u8) -> u64 {
    // An IPv4 count is at most 2^32 − 5, which always fits.
    u64::try_from(AddressFamily::Ipv4.usable_count(prefix_len)).unwrap_or(u64::MAX)
}

/// The five reserved addresses of `subnet` with their roles (A6).
///
/// Host bits are ignored. Fails for blocks smaller than /28, the smallest subnet AWS allows (A5),
/// since the five would not be distinct or would leave nothing usable.
pub fn reserved_addresses(subnet: Ipv4Net) -> Result<[ReservedAddress; 5], CidrError> {
    let subnet = subnet.trunc();
    if subnet.prefix_len() > *AddressFamily::Ipv4.subnet_prefix_range().end() {
        return Err(CidrError::TooSmall { cidr: subnet, role: CidrRole::Subnet });
    }
    let base = u32::from(subnet.network());
    // prefix ≤ 28, so base + 3 stays inside the block and below the broadcast address.
    let at = |offset: u32| Ipv4Addr::from(base.saturating_add(offset));
    Ok([
        ReservedAddress { addr: at(0), role: ReservedRole::Network },
        ReservedAddress { addr: at(1), role: ReservedRole::VpcRouter },
        ReservedAddress { addr: at(2), role: ReservedRole::Dns },
        ReservedAddress { addr: at(3), role: ReservedRole::FutureUse },
        ReservedAddress { addr: subnet.broadcast(), role: ReservedRole::Broadcast },
    ])
}

/// A6: whether `ip` is one of the five addresses AWS reserves in `subnet` (base + 0 … 3 and
/// the last one). Host bits of `subnet` are ignored.
pub fn is_reserved(subnet: Ipv4Net, ip: Ipv4Addr) -> bool {
    let subnet = subnet.trunc();
    let off = u32::from(ip).wrapping_sub(u32::from(subnet.network()));
    subnet.contains(&ip) && (off <= 3 || ip == subnet.broadcast())
}

/// The Amazon DNS server of a VPC: its primary CIDR base + 2 (A6).
///
/// `None` for a /31 or /32, which have no base + 2 (and are not valid VPC CIDRs anyway).
pub fn dns_server(primary_vpc_cidr: Ipv4Net) -> Option<Ipv4Addr> {
    let vpc = primary_vpc_cidr.trunc();
    if vpc.prefix_len() > 30 {
        return None;
    }
    u32::from(vpc.network()).checked_add(2).map(Ipv4Addr::from)
}

/// The reserved addresses, usable range and count of `subnet`, plus the VPC's DNS server.
pub fn subnet_addresses(subnet: Ipv4Net, primary_vpc_cidr: Ipv4Net) -> Result<SubnetAddresses, CidrError> {
    let reserved = reserved_addresses(subnet)?;
    let subnet = subnet.trunc();
    let broadcast = u32::from(subnet.broadcast());
    Ok(SubnetAddresses {
        subnet,
        first_usable: Ipv4Addr::from(u32::from(subnet.network()).saturating_add(4)),
        last_usable: Ipv4Addr::from(broadcast.saturating_sub(1)),
        usable: usable_count(subnet.prefix_len()),
        reserved,
        dns_server: dns_server(primary_vpc_cidr),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Ipv4Net {
        s.parse().expect("test literal")
    }

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().expect("test literal")
    }

    #[test]
    fn a6_reserved_addresses_of_a_24() {
        let r = reserved_addresses(n("10.0.1.0/24")).expect("valid");
        let got: Vec<(Ipv4Addr, ReservedRole)> = r.iter().map(|a| (a.addr, a.role)).collect();
        assert_eq!(
            got,
            vec![
                (ip("10.0.1.0"), ReservedRole::Network),
                (ip("10.0.1.1"), ReservedRole::VpcRouter),
                (ip("10.0.1.2"), ReservedRole::Dns),
                (ip("10.0.1.3"), ReservedRole::FutureUse),
                (ip("10.0.1.255"), ReservedRole::Broadcast),
            ]
        );
    }

    #[test]
    fn a6_usable_counts() {
        assert_eq!(usable_count(28), 11);
        assert_eq!(usable_count(24), 251);
        assert_eq!(usable_count(20), 4091);
        assert_eq!(usable_count(16), 65_531);
        assert_eq!(usable_count(0), (1u64 << 32) - 5);
        assert_eq!(usable_count(29), 3);
        assert_eq!(usable_count(30), 0);
        assert_eq!(usable_count(32), 0);
        assert_eq!(usable_count(200), 0);
    }

    #[test]
    fn a6_dns_is_primary_vpc_base_plus_two() {
        let a = subnet_addresses(n("10.1.2.0/24"), n("10.0.0.0/16")).expect("valid");
        assert_eq!(a.dns_server, Some(ip("10.0.0.2")));
        // the subnet's own +2 is still reserved
        assert_eq!(a.reserved[2].addr, ip("10.1.2.2"));
        assert_eq!(a.first_usable, ip("10.1.2.4"));
        assert_eq!(a.last_usable, ip("10.1.2.254"));
        assert_eq!(a.usable, 251);
        assert_eq!(dns_server(n("100.68.0.18/18")), Some(ip("100.68.0.2")));
        assert_eq!(dns_server(n("255.255.255.255/32")), None);
        assert_eq!(dns_server(n("255.255.255.252/30")), Some(ip("255.255.255.254")));
    }

    #[test]
    fn edges_do_not_panic() {
        let top = subnet_addresses(n("255.255.255.240/28"), n("255.255.255.240/28")).expect("valid");
        assert_eq!(top.reserved[4].addr, ip("255.255.255.255"));
        assert_eq!(top.last_usable, ip("255.255.255.254"));
        assert_eq!(top.usable, 11);
        let all = subnet_addresses(n("0.0.0.0/0"), n("0.0.0.0/0")).expect("arithmetic only");
        assert_eq!(all.first_usable, ip("0.0.0.4"));
        assert_eq!(all.last_usable, ip("255.255.255.254"));
        assert_eq!(
            reserved_addresses(n("10.0.0.0/29")),
            Err(CidrError::TooSmall { cidr: n("10.0.0.0/29"), role: CidrRole::Subnet })
        );
        assert!(reserved_addresses(n("255.255.255.255/32")).is_err());
    }
}
