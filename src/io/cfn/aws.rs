//! AWS facts the evaluator needs: availability zones, partitions, `Fn::Cidr` math,
//! and what an external resource id looks like.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Availability zones `Fn::GetAZs` returns for `region`: the region name plus
/// `a`, `b`, `c`… with the real zone count of common regions (3 when unknown).
pub fn availability_zones(region: &str) -> Vec<String> {
    let count = match region {
        "us-east-1" => 6,
        "us-west-2" | "ap-northeast-2" => 4,
        "us-west-1" => 2,
        _ => 3,
    };
    (b'a'..).take(count).map(|c| format!("{region}{}", c as char)).collect()
}

/// `AWS::Partition` for `region`.
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// `AWS::URLSuffix` for `region`.
pub fn url_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    }
}

/// `Fn::Cidr`: the first `count` subnets with `cidr_bits` host bits inside `ip_block`
/// (IPv4 or IPv6).
///
/// # Errors
/// A message when the block does not parse or the subnets do not fit.
pub fn cidr_split(ip_block: &str, count: u64, cidr_bits: u64) -> Result<Vec<String>, String> {
    let (addr, prefix) =
        ip_block.split_once('/').ok_or_else(|| format!("`{ip_block}` is not a CIDR block like 10.0.0.0/16"))?;
    let prefix: u32 = prefix.parse().map_err(|_| format!("`{ip_block}` has an invalid prefix length"))?;
    let (base, width, v4) = if let Ok(a) = addr.parse::<Ipv4Addr>() {
        (u128::from(u32::from(a)), 32u32, true)
    } else if let Ok(a) = addr.parse::<Ipv6Addr>() {
        (u128::from(a), 128u32, false)
    } else {
        return Err(format!("`{addr}` is not an IP address"));
    };
    if prefix > width {
        return Err(format!("prefix length /{prefix} is longer than {width} bits"));
    }
    if !(1..=256).contains(&count) {
        return Err(format!("count must be between 1 and 256, got {count}"));
    }
    if cidr_bits > u64::from(width) {
        return Err(format!("cidrBits must be at most {width}, got {cidr_bits}"));
    }
    let cidr_bits = cidr_bits as u32;
    let new_prefix = width - cidr_bits;
    if new_prefix < prefix {
        return Err(format!("cidrBits {cidr_bits} leaves a /{new_prefix} subnet, larger than the /{prefix} block"));
    }
    let spare = new_prefix - prefix;
    if spare < 64 && count > 1u64 << spare {
        return Err(format!(
            "a /{prefix} block holds only {} subnets of /{new_prefix}, {count} requested",
            1u64 << spare
        ));
    }
    let host_mask = if prefix == 0 { u128::MAX } else { (1u128 << (width - prefix)) - 1 };
    let network = base & !host_mask & (u128::MAX >> (128 - width));
    Ok((0..u128::from(count))
        .map(|i| {
            let a = network + i.checked_shl(cidr_bits).unwrap_or(0);
            if v4 {
                format!("{}/{new_prefix}", Ipv4Addr::from(a as u32))
            } else {
                format!("{}/{new_prefix}", Ipv6Addr::from(a))
            }
        })
        .collect())
}

/// True for text shaped like an AWS resource id, e.g. `vpc-0a1b2c3d4e5f60718`,
/// `subnet-…`, `sg-…`, `rtb-…`, `pcx-…`.
pub fn looks_like_resource_id(s: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "vpc",
        "subnet",
        "sg",
        "rtb",
        "pcx",
        "igw",
        "eigw",
        "nat",
        "eni",
        "tgw",
        "tgw-attach",
        "tgw-rtb",
        "vpce",
        "vpce-svc",
        "acl",
        "eipalloc",
        "i",
        "ami",
        "pl",
        "cgw",
        "vgw",
        "vpn",
        "dopt",
        "lt",
        "sgr",
    ];
    let Some((prefix, hex)) = s.rsplit_once('-') else {
        return false;
    };
    PREFIXES.contains(&prefix) && matches!(hex.len(), 8 | 17) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azs() {
        assert_eq!(
            availability_zones("ap-northeast-2"),
            ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"]
        );
        assert_eq!(availability_zones("us-east-1").len(), 6);
        assert_eq!(availability_zones("xx-test-9"), ["xx-test-9a", "xx-test-9b", "xx-test-9c"]);
    }

    #[test]
    fn cidr_ipv4() {
        assert_eq!(
            cidr_split("10.20.0.0/23", 6, 6).unwrap(),
            ["10.20.0.0/26", "10.20.0.64/26", "10.20.0.128/26", "10.20.0.192/26", "10.20.1.0/26", "10.20.1.64/26"]
        );
        assert_eq!(cidr_split("192.168.0.0/16", 3, 8).unwrap(), ["192.168.0.0/24", "192.168.1.0/24", "192.168.2.0/24"]);
        // Host bits in the block are ignored.
        assert_eq!(cidr_split("10.0.0.77/24", 2, 7).unwrap(), ["10.0.0.0/25", "10.0.0.128/25"]);
        assert_eq!(cidr_split("0.0.0.0/0", 1, 32).unwrap(), ["0.0.0.0/0"]);
        assert_eq!(cidr_split("10.0.0.0/32", 1, 0).unwrap(), ["10.0.0.0/32"]);
    }

    #[test]
    fn cidr_ipv6() {
        assert_eq!(cidr_split("2001:db8::/56", 2, 64).unwrap(), ["2001:db8::/64", "2001:db8:0:1::/64"]);
    }

    #[test]
    fn cidr_errors() {
        assert!(cidr_split("10.0.0.0/24", 3, 7).unwrap_err().contains("only 2 subnets"));
        assert!(cidr_split("10.0.0.0/24", 1, 9).unwrap_err().contains("larger than"));
        assert!(cidr_split("10.0.0.0", 1, 8).is_err());
        assert!(cidr_split("10.0.0.0/33", 1, 8).is_err());
        assert!(cidr_split("300.0.0.0/8", 1, 8).is_err());
        assert!(cidr_split("10.0.0.0/8", 0, 8).is_err());
        assert!(cidr_split("10.0.0.0/8", 257, 8).is_err());
        assert!(cidr_split("10.0.0.0/8", 1, 33).is_err());
        assert!(cidr_split("10.0.0.0/x", 1, 8).is_err());
    }

    #[test]
    fn resource_ids() {
        assert!(looks_like_resource_id("vpc-0a1b2c3d4e5f60718"));
        assert!(looks_like_resource_id("sg-12345678"));
        assert!(looks_like_resource_id("tgw-attach-0a1b2c3d4e5f60718"));
        assert!(!looks_like_resource_id("lab-key"));
        assert!(!looks_like_resource_id("vpc-xyz"));
    }
}
