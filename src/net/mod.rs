//! CIDR arithmetic, the address planner and longest-prefix match.
//!
//! Pure domain code: no terminal types and no dependency on other vpcraft modules. Rule numbers
//! (A1–A7, R3) refer to `docs/aws-network-semantics.md`.

#![warn(missing_docs)]

pub mod addressing;
pub mod cidr;
pub mod error;
pub mod family;
pub mod ipv6;
pub mod lpm;
pub mod plan6;
pub mod planner;
pub mod reserved;
mod span;

pub use addressing::{
    address_warnings, check_cidr_quota, check_cidr_size, check_not_link_local, check_secondary_cidr,
    check_secondary_cidr_routes, check_subnet_cidr, check_vpc_cidr, family_restriction,
};
pub use cidr::{
    canonicalise, classify, contains, overlapping_pairs, overlaps, parse_cidr, parse_ipv4, AddressClass, OctetProblem,
    ParsedCidr, Rfc1918Range,
};
pub use error::{CidrError, CidrRole, CidrWarning, FamilyRestriction};
pub use family::AddressFamily;
pub use ipv6::{
    check_subnet_ipv6, check_vpc_ipv6_block, check_vpc_ipv6_blocks, classify_ipv6, first_free_ipv6, index_in_block,
    ipv6_reserved_addresses, is_ipv6_reserved, overlaps6, overlaps_any, parse_ip, parse_ip_cidr, parse_ipv6,
    parse_ipv6_cidr, placeholder_vpc_block, subnet_by_index, Ipv6BlockError, Ipv6BlockSource, Ipv6Class, Ipv6Error,
    Ipv6ReservedRole, ParsedIpv6Cidr, SubnetIndexError, MAX_VPC_IPV6_BLOCKS, NAT64_PREFIX,
};
pub use lpm::{covers, PrefixEntry, PrefixTable};
pub use plan6::{BlockMap, Ipv6LayoutRow, Ipv6Plan, Plan6Error, SlotState};
pub use planner::{
    check_no_overlap, free_blocks, join, layout, split, AddressPlan, AddressTotals, LayoutRow, PlanError,
    MAX_SPLIT_BITS,
};
pub use reserved::{
    dns_server, is_reserved, reserved_addresses, subnet_addresses, usable_count, ReservedAddress, ReservedRole,
    SubnetAddresses,
};
