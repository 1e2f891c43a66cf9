//! IPv6 addresses and blocks as AWS takes them (A7): parsing user text into canonical form,
//! what kind of space an address is in, the sizes of VPC and subnet blocks, and the reserved
//! addresses of an IPv6 subnet.
//!
//! AWS's current documentation (VPC User Guide, "IPv6 VPC CIDR blocks" and "Subnet sizing for
//! IPv6") is followed where it goes beyond the semantics document's A7 ("a /56 VPC, /64
//! subnets"): an Amazon-provided block is a /56; a BYOIP or IPAM block is /44 to /60 in steps
//! of 4 bits; a subnet block is /44 to /64 in steps of 4 bits inside one of the VPC's blocks
//! (a /64 is the usual size and the planner's default). Up to five IPv6 blocks per VPC.

use ipnet::{IpNet, Ipv6Net};
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

/// IPv6 blocks one VPC may hold (VPC quotas: IPv6 CIDR blocks per VPC).
pub const MAX_VPC_IPV6_BLOCKS: usize = 5;

/// The prefix of an Amazon-provided VPC block (A7).
pub const AMAZON_VPC_PREFIX: u8 = 56;

/// The usual subnet prefix and the planner's default (A7).
pub const SUBNET_PREFIX: u8 = 64;

/// NAT64's well-known prefix (RFC 6052): DNS64 synthesises `64:ff9b::<IPv4>` addresses, and a
/// route for it to a NAT gateway translates them to IPv4.
pub const NAT64_PREFIX: Ipv6Net = match Ipv6Net::new(Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96) {
    Ok(n) => n,
    Err(_) => panic!("a /96 is a valid prefix"),
};

/// Why IPv6 text could not be read. `Display` gives one sentence that says what to type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ipv6Error {
    /// Nothing was typed.
    Empty,
    /// `fe80::1%eth0`: a zone id names an interface of one host and means nothing in a VPC.
    ZoneId {
        /// What was typed.
        input: String,
    },
    /// `::ffff:10.0.0.1`: an IPv4 address written as IPv6.
    Ipv4Mapped {
        /// What was typed.
        input: String,
        /// The IPv4 address inside.
        ipv4: std::net::Ipv4Addr,
    },
    /// A CIDR without `/length`.
    MissingPrefix {
        /// What was typed.
        input: String,
    },
    /// More than one `/`.
    TooManySlashes {
        /// What was typed.
        input: String,
    },
    /// The prefix length is not a number.
    BadPrefix {
        /// What was typed.
        input: String,
        /// The prefix part.
        prefix: String,
    },
    /// The prefix length is longer than 128 bits (`/129`).
    PrefixTooLong {
        /// The prefix part.
        prefix: String,
    },
    /// The text is not an IPv6 address.
    NotAnAddress {
        /// What was typed.
        input: String,
    },
}

impl Ipv6Error {
    /// The sentence, kept with its template (said in Korean through the catalogue).
    pub fn text(&self) -> crate::l10n::Text {
        match self {
            Ipv6Error::Empty => crate::text!("an IPv6 address or CIDR is required"),
            Ipv6Error::ZoneId { input } => crate::text!(
                "'{input}' has a zone id (%…), which names an interface of one host; a VPC address has none: leave it out"
            ),
            Ipv6Error::Ipv4Mapped { input, ipv4 } => crate::text!(
                "'{input}' is an IPv4 address written as IPv6 (::ffff:0:0/96); write the IPv4 address {ipv4} instead"
            ),
            Ipv6Error::MissingPrefix { input } => {
                crate::text!("'{input}' has no prefix length; add one, e.g. /56 for a VPC or /64 for a subnet")
            }
            Ipv6Error::TooManySlashes { input } => crate::text!("'{input}' has more than one '/'"),
            Ipv6Error::BadPrefix { input, prefix } => {
                crate::text!("'{input}': the prefix length '{prefix}' is not a number from 0 to 128")
            }
            Ipv6Error::PrefixTooLong { prefix } => {
                crate::text!("/{prefix} is longer than an IPv6 address: the prefix length is 0 to 128")
            }
            Ipv6Error::NotAnAddress { input } => crate::text!(
                "'{input}' is not an IPv6 address (eight groups of hex digits, :: for a run of zeros, e.g. 2001:db8::10)"
            ),
        }
    }
}

impl fmt::Display for Ipv6Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english)
    }
}

impl std::error::Error for Ipv6Error {}

/// Parse one IPv6 address typed by a user or read from a file, in canonical form (RFC 5952:
/// lower case, the longest run of zeros compressed). Zone ids and IPv4-mapped addresses are
/// refused with a sentence saying why.
pub fn parse_ipv6(input: &str) -> Result<Ipv6Addr, Ipv6Error> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Ipv6Error::Empty);
    }
    if text.contains('%') {
        return Err(Ipv6Error::ZoneId { input: text.into() });
    }
    let addr: Ipv6Addr = text.parse().map_err(|_| Ipv6Error::NotAnAddress { input: text.into() })?;
    if let Some(ipv4) = addr.to_ipv4_mapped() {
        return Err(Ipv6Error::Ipv4Mapped { input: text.into(), ipv4 });
    }
    Ok(addr)
}

/// An IPv6 CIDR parsed from text, canonicalised (host bits cleared, as AWS stores blocks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedIpv6Cidr {
    /// The canonical block.
    pub cidr: Ipv6Net,
    /// The block as typed, host bits included.
    pub as_typed: Ipv6Net,
}

impl ParsedIpv6Cidr {
    /// A note when host bits were cleared: `2001:db8::1/64 is the block 2001:db8::/64`.
    pub fn canonicalisation_note(&self) -> Option<String> {
        (self.cidr != self.as_typed)
            .then(|| format!("{} is the block {} (host bits cleared)", self.as_typed, self.cidr))
    }
}

/// Parse an IPv6 CIDR (`2001:DB8:0:0::/56` → `2001:db8::/56`).
pub fn parse_ipv6_cidr(input: &str) -> Result<ParsedIpv6Cidr, Ipv6Error> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Ipv6Error::Empty);
    }
    let Some((addr_part, prefix_part)) = text.split_once('/') else {
        if text.contains('%') {
            return Err(Ipv6Error::ZoneId { input: text.into() });
        }
        return Err(Ipv6Error::MissingPrefix { input: text.into() });
    };
    if prefix_part.contains('/') {
        return Err(Ipv6Error::TooManySlashes { input: text.into() });
    }
    let addr = parse_ipv6(addr_part).map_err(|e| match e {
        Ipv6Error::NotAnAddress { .. } => Ipv6Error::NotAnAddress { input: text.into() },
        Ipv6Error::ZoneId { .. } => Ipv6Error::ZoneId { input: text.into() },
        Ipv6Error::Ipv4Mapped { ipv4, .. } => Ipv6Error::Ipv4Mapped { input: text.into(), ipv4 },
        other => other,
    })?;
    let prefix_text = prefix_part.trim();
    if prefix_text.is_empty() || !prefix_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Ipv6Error::BadPrefix { input: text.into(), prefix: prefix_text.into() });
    }
    let prefix = prefix_text.bytes().fold(0u32, |acc, b| acc.saturating_mul(10).saturating_add(u32::from(b - b'0')));
    let too_long = || Ipv6Error::PrefixTooLong { prefix: prefix_text.into() };
    let prefix = u8::try_from(prefix).map_err(|_| too_long())?;
    let as_typed = Ipv6Net::new(addr, prefix).map_err(|_| too_long())?;
    Ok(ParsedIpv6Cidr { cidr: as_typed.trunc(), as_typed })
}

/// What kind of space an IPv6 address is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ipv6Class {
    /// `::`.
    Unspecified,
    /// `::1`.
    Loopback,
    /// `::ffff:0:0/96`: an IPv4 address written as IPv6.
    Ipv4Mapped,
    /// `64:ff9b::/96`: NAT64 (RFC 6052); the last 32 bits are an IPv4 address.
    Nat64,
    /// `fe80::/10`: link-local, never routed. `fd00:ec2::/32` is the same for AWS's own services.
    LinkLocal,
    /// `fc00::/7`: unique local addresses (RFC 4193), not routed on the internet.
    UniqueLocal,
    /// `ff00::/8`.
    Multicast,
    /// `2001:db8::/32` and `3fff::/20`: documentation ranges. Routed like global space here,
    /// since designs use them as stand-ins for real blocks.
    Documentation,
    /// Everything else: global unicast, routable on the internet.
    GlobalUnicast,
}

impl Ipv6Class {
    /// Whether an internet gateway forwards this space to or from the internet (I5).
    pub fn internet_routable(self) -> bool {
        matches!(self, Ipv6Class::GlobalUnicast | Ipv6Class::Documentation)
    }

    /// `a link-local`, `a unique-local` …, for sentences.
    pub fn article_name(self) -> &'static str {
        match self {
            Ipv6Class::Unspecified => "the unspecified (::)",
            Ipv6Class::Loopback => "a loopback",
            Ipv6Class::Ipv4Mapped => "an IPv4-mapped (::ffff:0:0/96)",
            Ipv6Class::Nat64 => "a NAT64 (64:ff9b::/96)",
            Ipv6Class::LinkLocal => "a link-local (fe80::/10)",
            Ipv6Class::UniqueLocal => "a unique-local (fc00::/7)",
            Ipv6Class::Multicast => "a multicast (ff00::/8)",
            Ipv6Class::Documentation => "a documentation-range",
            Ipv6Class::GlobalUnicast => "a global unicast",
        }
    }
}

/// The class of an IPv6 address.
pub fn classify_ipv6(a: Ipv6Addr) -> Ipv6Class {
    let s = a.segments();
    if a.is_unspecified() {
        Ipv6Class::Unspecified
    } else if a.is_loopback() {
        Ipv6Class::Loopback
    } else if a.to_ipv4_mapped().is_some() {
        Ipv6Class::Ipv4Mapped
    } else if NAT64_PREFIX.contains(&a) {
        Ipv6Class::Nat64
    } else if s[0] & 0xffc0 == 0xfe80 || (s[0] == 0xfd00 && s[1] == 0x0ec2) {
        Ipv6Class::LinkLocal
    } else if s[0] & 0xfe00 == 0xfc00 {
        Ipv6Class::UniqueLocal
    } else if s[0] & 0xff00 == 0xff00 {
        Ipv6Class::Multicast
    } else if (s[0] == 0x2001 && s[1] == 0x0db8) || (s[0] == 0x3fff && s[1] & 0xf000 == 0) {
        Ipv6Class::Documentation
    } else {
        Ipv6Class::GlobalUnicast
    }
}

/// Where a VPC's IPv6 block comes from, for the size rule (A7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ipv6BlockSource {
    /// Amazon's pool: always a /56.
    Amazon,
    /// BYOIP or IPAM: /44 to /60 in steps of 4 bits.
    Pool,
}

/// Why an IPv6 block breaks AWS's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ipv6BlockError {
    /// A VPC block of the wrong size (A7).
    VpcSize {
        /// The block.
        cidr: Ipv6Net,
        /// Where it comes from.
        source: Ipv6BlockSource,
    },
    /// A subnet block of the wrong size (A7).
    SubnetSize {
        /// The block.
        cidr: Ipv6Net,
    },
    /// Space no VPC can use: link-local, multicast, loopback, IPv4-mapped, NAT64.
    Unusable {
        /// The block.
        cidr: Ipv6Net,
        /// The kind of space.
        class: Ipv6Class,
    },
    /// A subnet block not inside one of the VPC's IPv6 blocks.
    OutsideVpc {
        /// The subnet block.
        cidr: Ipv6Net,
    },
    /// Two blocks overlap.
    Overlap {
        /// The new block.
        cidr: Ipv6Net,
        /// The block it overlaps.
        existing: Ipv6Net,
    },
    /// More blocks than a VPC may hold.
    Quota {
        /// How many there would be.
        count: usize,
    },
}

impl fmt::Display for Ipv6BlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ipv6BlockError::VpcSize { cidr, source: Ipv6BlockSource::Amazon } => {
                write!(f, "{cidr} is a /{}: an Amazon-provided IPv6 block is always a /56 (A7)", cidr.prefix_len())
            }
            Ipv6BlockError::VpcSize { cidr, source: Ipv6BlockSource::Pool } => write!(
                f,
                "{cidr} is a /{}: a BYOIP or IPAM IPv6 block for a VPC is /44 to /60 in steps of 4 (/44, /48, /52, /56, /60) (A7)",
                cidr.prefix_len()
            ),
            Ipv6BlockError::SubnetSize { cidr } => write!(
                f,
                "{cidr} is a /{}: a subnet's IPv6 block is /44 to /64 in steps of 4, usually /64 (A7)",
                cidr.prefix_len()
            ),
            Ipv6BlockError::Unusable { cidr, class } => {
                write!(f, "{cidr} is {} block, which a VPC cannot use (A7)", class.article_name())
            }
            Ipv6BlockError::OutsideVpc { cidr } => {
                write!(f, "{cidr} is not inside one of the VPC's IPv6 blocks (A5, A7)")
            }
            Ipv6BlockError::Overlap { cidr, existing } => write!(f, "{cidr} overlaps {existing} (A5, A7)"),
            Ipv6BlockError::Quota { count } => {
                write!(f, "{count} IPv6 blocks: a VPC holds at most {MAX_VPC_IPV6_BLOCKS} (A7)")
            }
        }
    }
}

impl std::error::Error for Ipv6BlockError {}

fn usable_space(cidr: Ipv6Net) -> Result<(), Ipv6BlockError> {
    let class = classify_ipv6(cidr.network());
    let usable = matches!(class, Ipv6Class::GlobalUnicast | Ipv6Class::Documentation | Ipv6Class::UniqueLocal);
    // The whole block must be one kind of space (::/0 starts unspecified and ends multicast).
    let last = classify_ipv6(cidr.broadcast());
    if !usable {
        return Err(Ipv6BlockError::Unusable { cidr, class });
    }
    if last != class || overlaps6(cidr, NAT64_PREFIX) {
        let class = if last != class { last } else { Ipv6Class::Nat64 };
        return Err(Ipv6BlockError::Unusable { cidr, class });
    }
    Ok(())
}

/// Whether a prefix length is in `lo..=hi` and a multiple of 4 past `lo`.
fn in_nibble_range(len: u8, lo: u8, hi: u8) -> bool {
    (lo..=hi).contains(&len) && (len - lo).is_multiple_of(4)
}

/// A7: whether a prefix length is an IPv6 subnet size, /44 to /64 in steps of 4.
pub fn is_subnet_ipv6_size(len: u8) -> bool {
    in_nibble_range(len, 44, 64)
}

/// A7: a VPC's IPv6 block: an Amazon-provided /56, or a BYOIP/IPAM /44–/60 in steps of 4, in
/// space a VPC can use.
pub fn check_vpc_ipv6_block(cidr: Ipv6Net, source: Ipv6BlockSource) -> Result<(), Ipv6BlockError> {
    let cidr = cidr.trunc();
    let ok = match source {
        Ipv6BlockSource::Amazon => cidr.prefix_len() == AMAZON_VPC_PREFIX,
        Ipv6BlockSource::Pool => in_nibble_range(cidr.prefix_len(), 44, 60),
    };
    if !ok {
        return Err(Ipv6BlockError::VpcSize { cidr, source });
    }
    usable_space(cidr)
}

/// A7: all of a VPC's IPv6 blocks together: at most [`MAX_VPC_IPV6_BLOCKS`], no two overlapping.
pub fn check_vpc_ipv6_blocks(blocks: &[Ipv6Net]) -> Result<(), Ipv6BlockError> {
    if blocks.len() > MAX_VPC_IPV6_BLOCKS {
        return Err(Ipv6BlockError::Quota { count: blocks.len() });
    }
    if let Some((a, b)) = first_overlap(blocks) {
        return Err(Ipv6BlockError::Overlap { cidr: a, existing: b });
    }
    Ok(())
}

/// A5, A7: a subnet's IPv6 block: /44–/64 in steps of 4, inside one of the VPC's IPv6 blocks,
/// overlapping no other subnet's block (`others`).
pub fn check_subnet_ipv6(vpc_blocks: &[Ipv6Net], others: &[Ipv6Net], cidr: Ipv6Net) -> Result<(), Ipv6BlockError> {
    let cidr = cidr.trunc();
    if !is_subnet_ipv6_size(cidr.prefix_len()) {
        return Err(Ipv6BlockError::SubnetSize { cidr });
    }
    if !vpc_blocks.iter().any(|b| b.contains(&cidr)) {
        return Err(Ipv6BlockError::OutsideVpc { cidr });
    }
    if let Some(existing) = others.iter().find(|o| overlaps6(**o, cidr)) {
        return Err(Ipv6BlockError::Overlap { cidr, existing: *existing });
    }
    Ok(())
}

/// Whether two IPv6 blocks share an address.
pub fn overlaps6(a: Ipv6Net, b: Ipv6Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// Whether two blocks of either family share an address (never across families).
pub fn overlaps_any(a: IpNet, b: IpNet) -> bool {
    match (a, b) {
        (IpNet::V4(x), IpNet::V4(y)) => super::overlaps(x, y),
        (IpNet::V6(x), IpNet::V6(y)) => overlaps6(x, y),
        _ => false,
    }
}

/// The first overlapping pair of a list, by sorting (O(n log n)).
pub fn first_overlap(blocks: &[Ipv6Net]) -> Option<(Ipv6Net, Ipv6Net)> {
    let mut v: Vec<Ipv6Net> = blocks.iter().map(|b| b.trunc()).collect();
    v.sort_by_key(|b| (u128::from(b.network()), b.prefix_len()));
    let mut widest: Option<Ipv6Net> = None;
    for b in v {
        if let Some(w) = widest {
            if w.contains(&b.network()) {
                return Some((b, w));
            }
        }
        if widest.is_none_or(|w| u128::from(b.broadcast()) > u128::from(w.broadcast())) {
            widest = Some(b);
        }
    }
    None
}

/// Why AWS keeps one of an IPv6 subnet's addresses (A7): the same four at the start and the
/// last one, as in IPv4 (A6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ipv6ReservedRole {
    /// Base + 0: the subnet-router anycast / network address.
    Network,
    /// Base + 1: the VPC router.
    VpcRouter,
    /// Base + 2: reserved by AWS (DNS).
    Dns,
    /// Base + 3: reserved for future use.
    FutureUse,
    /// The last address of the block.
    Last,
}

impl fmt::Display for Ipv6ReservedRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ipv6ReservedRole::Network => "network address",
            Ipv6ReservedRole::VpcRouter => "VPC router",
            Ipv6ReservedRole::Dns => "reserved by AWS (DNS)",
            Ipv6ReservedRole::FutureUse => "reserved for future use",
            Ipv6ReservedRole::Last => "last address (reserved)",
        })
    }
}

/// The five reserved addresses of an IPv6 subnet, lowest first (A7).
pub fn ipv6_reserved_addresses(subnet: Ipv6Net) -> [(Ipv6Addr, Ipv6ReservedRole); 5] {
    let base = u128::from(subnet.trunc().network());
    let last = u128::from(subnet.trunc().broadcast());
    let at = |k: u128| Ipv6Addr::from(base.saturating_add(k).min(last));
    [
        (at(0), Ipv6ReservedRole::Network),
        (at(1), Ipv6ReservedRole::VpcRouter),
        (at(2), Ipv6ReservedRole::Dns),
        (at(3), Ipv6ReservedRole::FutureUse),
        (Ipv6Addr::from(last), Ipv6ReservedRole::Last),
    ]
}

/// Whether an address is one of the five AWS keeps in an IPv6 subnet (A7).
pub fn is_ipv6_reserved(subnet: Ipv6Net, addr: Ipv6Addr) -> bool {
    let s = subnet.trunc();
    let off = u128::from(addr).wrapping_sub(u128::from(s.network()));
    s.contains(&addr) && (off < 4 || addr == s.broadcast())
}

/// The first address an interface may get in an IPv6 subnet (base + 4), skipping `taken`.
pub fn first_free_ipv6(subnet: Ipv6Net, taken: &[Ipv6Addr]) -> Option<Ipv6Addr> {
    let s = subnet.trunc();
    let base = u128::from(s.network());
    let last = u128::from(s.broadcast());
    // Interfaces get low host numbers first; a handful of probes covers any design.
    (4u128..4 + taken.len() as u128 + 1)
        .map(|k| base.saturating_add(k))
        .take_while(|a| *a < last)
        .map(Ipv6Addr::from)
        .find(|a| !taken.contains(a))
}

/// `cidrsubnet`: the `index`-th block of `/new_prefix` inside `block` (IPv4 or IPv6), as
/// Terraform's `cidrsubnet(block, new_prefix - len, index)` and CloudFormation's `Fn::Cidr`
/// count them.
pub fn subnet_by_index(block: IpNet, new_prefix: u8, index: u128) -> Result<IpNet, SubnetIndexError> {
    let (bits, base) = match block {
        IpNet::V4(b) => (32u8, u128::from(u32::from(b.network()))),
        IpNet::V6(b) => (128u8, u128::from(b.network())),
    };
    let len = block.prefix_len();
    if new_prefix < len || new_prefix > bits {
        return Err(SubnetIndexError::BadPrefix { block, new_prefix });
    }
    let newbits = u32::from(new_prefix - len);
    if newbits < 128 && index >= (1u128 << newbits) {
        return Err(SubnetIndexError::IndexTooLarge { block, new_prefix, index });
    }
    let shift = u32::from(bits - new_prefix);
    let addr = base | if shift >= 128 { 0 } else { index << shift };
    Ok(match block {
        IpNet::V4(_) => {
            let a = std::net::Ipv4Addr::from(u32::try_from(addr).unwrap_or(u32::MAX));
            IpNet::V4(
                ipnet::Ipv4Net::new(a, new_prefix).map_err(|_| SubnetIndexError::BadPrefix { block, new_prefix })?,
            )
        }
        IpNet::V6(_) => IpNet::V6(
            Ipv6Net::new(Ipv6Addr::from(addr), new_prefix)
                .map_err(|_| SubnetIndexError::BadPrefix { block, new_prefix })?,
        ),
    })
}

/// The index of `subnet` among the `/subnet.prefix_len()` blocks of `block` (the inverse of
/// [`subnet_by_index`]); `None` when it is not inside.
pub fn index_in_block(block: Ipv6Net, subnet: Ipv6Net) -> Option<u128> {
    let block = block.trunc();
    if !block.contains(&subnet) {
        return None;
    }
    let shift = 128 - u32::from(subnet.prefix_len());
    let off = u128::from(subnet.network()) - u128::from(block.network());
    Some(if shift >= 128 { 0 } else { off >> shift })
}

/// Why [`subnet_by_index`] refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubnetIndexError {
    /// The new prefix is shorter than the block's or longer than the family allows.
    BadPrefix {
        /// The block.
        block: IpNet,
        /// The prefix asked for.
        new_prefix: u8,
    },
    /// The block holds fewer subnets of that size.
    IndexTooLarge {
        /// The block.
        block: IpNet,
        /// The prefix asked for.
        new_prefix: u8,
        /// The index asked for.
        index: u128,
    },
}

impl fmt::Display for SubnetIndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubnetIndexError::BadPrefix { block, new_prefix } => {
                write!(f, "{block} cannot hold /{new_prefix} subnets")
            }
            SubnetIndexError::IndexTooLarge { block, new_prefix, index } => {
                let n = u32::from(*new_prefix) - u32::from(block.prefix_len());
                write!(f, "{block} holds 2^{n} /{new_prefix} subnets, numbered from 0: {index} is past the last")
            }
        }
    }
}

impl std::error::Error for SubnetIndexError {}

/// Parse an address of either family (`10.0.0.10`, `2001:db8::10`); IPv6 text goes through
/// [`parse_ipv6`] (zone ids, IPv4-mapped refused), IPv4 through the IPv4 reader.
pub fn parse_ip(input: &str) -> Result<IpAddr, String> {
    let text = input.trim();
    if text.contains(':') {
        parse_ipv6(text).map(IpAddr::V6).map_err(|e| e.to_string())
    } else {
        super::parse_ipv4(text).map(IpAddr::V4).map_err(|e| e.to_string())
    }
}

/// Parse a CIDR of either family, canonical (host bits cleared).
pub fn parse_ip_cidr(input: &str) -> Result<IpNet, String> {
    let text = input.trim();
    if text.contains(':') {
        parse_ipv6_cidr(text).map(|p| IpNet::V6(p.cidr)).map_err(|e| e.to_string())
    } else {
        super::parse_cidr(text).map(|p| IpNet::V4(p.cidr)).map_err(|e| e.to_string())
    }
}

/// A stable stand-in for an Amazon-provided /56 that AWS has not assigned yet: the `n`-th /56
/// of the documentation range 2001:db8::/32, so the same design always gets the same blocks.
pub fn placeholder_vpc_block(n: u32) -> Ipv6Net {
    let n = u128::from(n & 0x00ff_ffff);
    let base = u128::from(Ipv6Addr::new(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0));
    Ipv6Net::new(Ipv6Addr::from(base | (n << 72)), AMAZON_VPC_PREFIX).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n6(s: &str) -> Ipv6Net {
        s.parse().expect("test literal")
    }

    #[test]
    fn canonical_forms_of_what_people_type() {
        let p = parse_ipv6_cidr(" 2001:DB8:0:0:0:0:0:0/56 ").unwrap();
        assert_eq!(p.cidr.to_string(), "2001:db8::/56");
        assert!(p.canonicalisation_note().is_none());
        let p = parse_ipv6_cidr("2001:db8::1/64").unwrap();
        assert_eq!(p.cidr.to_string(), "2001:db8::/64");
        assert!(p.canonicalisation_note().unwrap().contains("host bits"));
        assert_eq!(parse_ipv6("2001:0DB8:0000::0010").unwrap().to_string(), "2001:db8::10");
        assert_eq!(parse_ip("2001:4860:4860::8888").unwrap().to_string(), "2001:4860:4860::8888");
        assert_eq!(parse_ip_cidr("::/0").unwrap().to_string(), "::/0");
    }

    #[test]
    fn fuzzed_text_gets_a_sentence_not_a_guess() {
        assert!(matches!(parse_ipv6("::ffff:10.0.0.1"), Err(Ipv6Error::Ipv4Mapped { .. })));
        assert!(parse_ipv6("::ffff:10.0.0.1").unwrap_err().to_string().contains("10.0.0.1 instead"));
        assert!(matches!(parse_ipv6("fe80::1%eth0"), Err(Ipv6Error::ZoneId { .. })));
        assert!(matches!(parse_ipv6_cidr("fe80::%25en0/64"), Err(Ipv6Error::ZoneId { .. })));
        assert!(matches!(parse_ipv6_cidr("2001:db8::/129"), Err(Ipv6Error::PrefixTooLong { .. })));
        assert!(matches!(parse_ipv6_cidr("2001:db8::/99999999999"), Err(Ipv6Error::PrefixTooLong { .. })));
        assert!(matches!(parse_ipv6_cidr("2001:db8::"), Err(Ipv6Error::MissingPrefix { .. })));
        assert!(matches!(parse_ipv6_cidr("2001:db8::/5/6"), Err(Ipv6Error::TooManySlashes { .. })));
        assert!(matches!(parse_ipv6_cidr("2001:db8::/x"), Err(Ipv6Error::BadPrefix { .. })));
        assert!(matches!(parse_ipv6_cidr("2001:db8:::1/64"), Err(Ipv6Error::NotAnAddress { .. })));
        assert!(matches!(parse_ipv6("12345::"), Err(Ipv6Error::NotAnAddress { .. })));
        assert!(matches!(parse_ipv6(""), Err(Ipv6Error::Empty)));
        for bad in ["::ffff:10.0.0.1", "fe80::1%eth0", "2001:db8::/129", "g::1", "1:2:3:4:5:6:7:8:9"] {
            let e = parse_ip_cidr(bad).unwrap_err();
            assert!(!e.is_empty(), "{bad}");
        }
    }

    #[test]
    fn a7_vpc_and_subnet_sizes() {
        assert!(check_vpc_ipv6_block(n6("2600:1f18:1:2300::/56"), Ipv6BlockSource::Amazon).is_ok());
        assert!(check_vpc_ipv6_block(n6("2600:1f18::/48"), Ipv6BlockSource::Amazon).is_err());
        for ok in [44, 48, 52, 56, 60] {
            let c = Ipv6Net::new("2a05:d000::".parse().unwrap(), ok).unwrap();
            assert!(check_vpc_ipv6_block(c, Ipv6BlockSource::Pool).is_ok(), "/{ok}");
        }
        for bad in [40, 45, 64] {
            let c = Ipv6Net::new("2a05:d000::".parse().unwrap(), bad).unwrap();
            assert!(check_vpc_ipv6_block(c, Ipv6BlockSource::Pool).is_err(), "/{bad}");
        }
        assert!(matches!(
            check_vpc_ipv6_block(n6("fe80::/56"), Ipv6BlockSource::Amazon),
            Err(Ipv6BlockError::Unusable { class: Ipv6Class::LinkLocal, .. })
        ));
        let vpc = [n6("2001:db8:0:100::/56")];
        assert!(check_subnet_ipv6(&vpc, &[], n6("2001:db8:0:1ff::/64")).is_ok());
        assert!(check_subnet_ipv6(&vpc, &[], n6("2001:db8:0:100::/60")).is_ok());
        assert!(matches!(
            check_subnet_ipv6(&vpc, &[], n6("2001:db8:0:100::/62")),
            Err(Ipv6BlockError::SubnetSize { .. })
        ));
        assert!(matches!(
            check_subnet_ipv6(&vpc, &[], n6("2001:db8:0:200::/64")),
            Err(Ipv6BlockError::OutsideVpc { .. })
        ));
        assert!(matches!(
            check_subnet_ipv6(&vpc, &[n6("2001:db8:0:100::/60")], n6("2001:db8:0:101::/64")),
            Err(Ipv6BlockError::Overlap { .. })
        ));
        assert!(check_vpc_ipv6_blocks(&[n6("2001:db8::/56"), n6("2001:db8:0:80::/57")]).is_err());
        let six: Vec<Ipv6Net> = (0..6).map(placeholder_vpc_block).collect();
        assert!(matches!(check_vpc_ipv6_blocks(&six), Err(Ipv6BlockError::Quota { count: 6 })));
    }

    #[test]
    fn a7_reserved_addresses_of_a_64() {
        let s = n6("2001:db8:0:100::/64");
        let r = ipv6_reserved_addresses(s);
        assert_eq!(r[0].0.to_string(), "2001:db8:0:100::");
        assert_eq!(r[3].0.to_string(), "2001:db8:0:100::3");
        assert_eq!(r[4].0.to_string(), "2001:db8:0:100:ffff:ffff:ffff:ffff");
        assert!(is_ipv6_reserved(s, "2001:db8:0:100::2".parse().unwrap()));
        assert!(!is_ipv6_reserved(s, "2001:db8:0:100::4".parse().unwrap()));
        assert_eq!(first_free_ipv6(s, &[]).unwrap().to_string(), "2001:db8:0:100::4");
        let taken = ["2001:db8:0:100::4".parse().unwrap()];
        assert_eq!(first_free_ipv6(s, &taken).unwrap().to_string(), "2001:db8:0:100::5");
    }

    #[test]
    fn cidrsubnet_of_a_56_into_64s_and_back() {
        let b = IpNet::V6(n6("2600:1f18:1234:5600::/56"));
        assert_eq!(subnet_by_index(b, 64, 0).unwrap().to_string(), "2600:1f18:1234:5600::/64");
        assert_eq!(subnet_by_index(b, 64, 1).unwrap().to_string(), "2600:1f18:1234:5601::/64");
        assert_eq!(subnet_by_index(b, 64, 255).unwrap().to_string(), "2600:1f18:1234:56ff::/64");
        assert!(subnet_by_index(b, 64, 256).is_err());
        assert!(subnet_by_index(b, 48, 0).is_err());
        for i in [0u128, 7, 200, 255] {
            let IpNet::V6(s) = subnet_by_index(b, 64, i).unwrap() else { panic!() };
            assert_eq!(index_in_block(n6("2600:1f18:1234:5600::/56"), s), Some(i));
        }
        let v4 = IpNet::V4("10.0.0.0/16".parse().unwrap());
        assert_eq!(subnet_by_index(v4, 24, 3).unwrap().to_string(), "10.0.3.0/24");
    }

    #[test]
    fn classes() {
        let c = |s: &str| classify_ipv6(s.parse().unwrap());
        assert_eq!(c("2001:4860:4860::8888"), Ipv6Class::GlobalUnicast);
        assert_eq!(c("fe80::1"), Ipv6Class::LinkLocal);
        assert_eq!(c("fd00:ec2::254"), Ipv6Class::LinkLocal);
        assert_eq!(c("fd12::1"), Ipv6Class::UniqueLocal);
        assert_eq!(c("64:ff9b::a00:1"), Ipv6Class::Nat64);
        assert_eq!(c("ff02::1"), Ipv6Class::Multicast);
        assert_eq!(c("2001:db8::1"), Ipv6Class::Documentation);
        assert_eq!(c("::"), Ipv6Class::Unspecified);
        assert_eq!(placeholder_vpc_block(0).to_string(), "2001:db8::/56");
        assert_eq!(placeholder_vpc_block(1).to_string(), "2001:db8:0:100::/56");
        assert_eq!(placeholder_vpc_block(257).to_string(), "2001:db8:1:100::/56");
    }
}
