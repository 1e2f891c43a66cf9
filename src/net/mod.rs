//! CIDR arithmetic, the address planner and longest-prefix match.
//!
//! Pure domain code: no terminal types and no dependency on other vpcraft modules. Rule numbers
//! (A1–A7, R3) refer to `docs/aws-network-semantics.md`.

#![warn(missing_docs)]

pub mod addressing;
pub mod cidr;
pub mod error;
pub mod family;
pub mod lpm;
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
pub use lpm::{covers, PrefixEntry, PrefixTable};
pub use planner::{
    check_no_overlap, free_blocks, join, layout, split, AddressPlan, AddressTotals, LayoutRow, PlanError,
    MAX_SPLIT_BITS,
};
pub use reserved::{
    dns_server, is_reserved, reserved_addresses, subnet_addresses, usable_count, ReservedAddress, ReservedRole,
    SubnetAddresses,
};
