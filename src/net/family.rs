//! Per-family AWS addressing constants, so IPv6 (rule A7) can reuse the same planner shape.
//!
//! IPv6's own rules (block sources, steps of 4 bits) are in [`super::ipv6`].

use std::ops::RangeInclusive;

/// The IP version of a CIDR block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AddressFamily {
    /// IPv4: 32-bit addresses.
    Ipv4,
    /// IPv6: 128-bit addresses (rule A7).
    Ipv6,
}

impl AddressFamily {
    /// Address width in bits.
    pub const fn bits(self) -> u8 {
        match self {
            AddressFamily::Ipv4 => 32,
            AddressFamily::Ipv6 => 128,
        }
    }

    /// Prefix lengths AWS accepts for a VPC CIDR: /16–/28 for IPv4 (A1, A2); for IPv6 /44–/60
    /// (BYOIP and IPAM, in steps of 4; an Amazon-provided block is always /56) (A7).
    pub const fn vpc_prefix_range(self) -> RangeInclusive<u8> {
        match self {
            AddressFamily::Ipv4 => 16..=28,
            AddressFamily::Ipv6 => 44..=60,
        }
    }

    /// Prefix lengths AWS accepts for a subnet: /16–/28 for IPv4 (A5); for IPv6 /44–/64 in
    /// steps of 4, usually /64 (A7, AWS's current subnet sizing for IPv6).
    pub const fn subnet_prefix_range(self) -> RangeInclusive<u8> {
        match self {
            AddressFamily::Ipv4 => 16..=28,
            AddressFamily::Ipv6 => 44..=64,
        }
    }

    /// Addresses AWS reserves at the start of every subnet: 4 in both families (A6, A7).
    pub const fn reserved_at_start(self) -> u8 {
        4
    }

    /// Addresses AWS reserves at the end of every subnet: the last one, in both families (A6, A7).
    pub const fn reserved_at_end(self) -> u8 {
        1
    }

    /// Usable addresses in a subnet of `prefix_len`: 2^(bits − n) − 5 (A6, A7).
    ///
    /// Saturates at 0 for blocks too small to hold the reserved addresses or for a prefix longer
    /// than the family allows; an IPv6 /0 saturates at `u128::MAX`.
    pub fn usable_count(self, prefix_len: u8) -> u128 {
        let bits = self.bits();
        if prefix_len > bits {
            return 0;
        }
        let reserved = u128::from(self.reserved_at_start() + self.reserved_at_end());
        let host_bits = u32::from(bits - prefix_len);
        let total = 1u128.checked_shl(host_bits).unwrap_or(u128::MAX);
        total.saturating_sub(reserved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a6_usable_count_ipv4() {
        assert_eq!(AddressFamily::Ipv4.usable_count(28), 11);
        assert_eq!(AddressFamily::Ipv4.usable_count(24), 251);
        assert_eq!(AddressFamily::Ipv4.usable_count(16), 65_531);
        assert_eq!(AddressFamily::Ipv4.usable_count(0), (1u128 << 32) - 5);
        assert_eq!(AddressFamily::Ipv4.usable_count(30), 0);
        assert_eq!(AddressFamily::Ipv4.usable_count(32), 0);
        assert_eq!(AddressFamily::Ipv4.usable_count(33), 0);
    }

    #[test]
    fn a7_ipv6_limits() {
        assert_eq!(AddressFamily::Ipv6.vpc_prefix_range(), 44..=60);
        assert_eq!(AddressFamily::Ipv6.subnet_prefix_range(), 44..=64);
        assert_eq!(AddressFamily::Ipv6.usable_count(64), (1u128 << 64) - 5);
        assert_eq!(AddressFamily::Ipv6.usable_count(0), u128::MAX - 5);
        assert_eq!(AddressFamily::Ipv6.usable_count(200), 0);
    }
}
