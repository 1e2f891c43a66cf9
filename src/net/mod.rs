//! CIDR arithmetic, the address planner and longest-prefix match.
//!
//! Pure domain code: no terminal types and no dependency on other vpcraft modules. Rule numbers
//! (A1–A7, R3) refer to `docs/aws-network-semantics.md`.

#![warn(missing_docs)]

pub mod cidr;
pub mod family;
pub mod lpm;
pub mod planner;
pub mod reserved;
mod span;

pub use cidr::{
    canonicalise, check_secondary_cidr, check_secondary_cidr_routes, check_subnet_cidr, check_vpc_cidr, classify,
    contains, overlaps, parse_cidr, parse_ipv4, AddressClass, CidrError, CidrRole, CidrWarning, FamilyRestriction,
    OctetProblem, ParsedCidr, Rfc1918Range,
};
pub use family::AddressFamily;
pub use lpm::{covers, PrefixEntry, PrefixTable};
pub use planner::{
    check_no_overlap, free_blocks, join, layout, split, AddressPlan, AddressTotals, LayoutRow, PlanError,
    MAX_SPLIT_BITS,
};
pub use reserved::{
    dns_server, reserved_addresses, subnet_addresses, usable_count, ReservedAddress, ReservedRole, SubnetAddresses,
};
