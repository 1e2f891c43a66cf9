//! Parsing user-typed IPv4 CIDRs and checking them against AWS's VPC and subnet rules (A1–A5).

use super::span::Span;
use ipnet::Ipv4Net;
use std::fmt;
use std::net::Ipv4Addr;

/// The three private ranges of RFC 1918.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rfc1918Range {
    /// 10.0.0.0/8
    Ten,
    /// 172.16.0.0/12
    OneSevenTwo,
    /// 192.168.0.0/16
    OneNineTwo,
}

impl Rfc1918Range {
    /// The range as a CIDR block.
    pub fn cidr(self) -> Ipv4Net {
        match self {
            Rfc1918Range::Ten => net([10, 0, 0, 0], 8),
            Rfc1918Range::OneSevenTwo => net([172, 16, 0, 0], 12),
            Rfc1918Range::OneNineTwo => net([192, 168, 0, 0], 16),
        }
    }
}

impl fmt::Display for Rfc1918Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.cidr())
    }
}

/// What kind of address space a CIDR block sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressClass {
    /// Inside one RFC 1918 private range (recommended for VPCs, A4).
    Private(Rfc1918Range),
    /// Inside 100.64.0.0/10, the RFC 6598 shared address space (allowed in VPCs, A3).
    SharedAddressSpace,
    /// Inside 169.254.0.0/16, link-local (never allowed in a VPC, A3).
    LinkLocal,
    /// Inside 127.0.0.0/8.
    Loopback,
    /// Inside 224.0.0.0/4.
    Multicast,
    /// Inside 0.0.0.0/8 or 240.0.0.0/4 (reserved; includes 255.255.255.255).
    Reserved,
    /// Outside every range above: publicly routable space.
    Public,
    /// Partly inside one of the ranges above and partly outside it (e.g. 0.0.0.0/0).
    Mixed,
}

/// Special ranges, each with the class of a block entirely inside it.
fn special_ranges() -> [(Ipv4Net, AddressClass); 9] {
    [
        (Rfc1918Range::Ten.cidr(), AddressClass::Private(Rfc1918Range::Ten)),
        (Rfc1918Range::OneSevenTwo.cidr(), AddressClass::Private(Rfc1918Range::OneSevenTwo)),
        (Rfc1918Range::OneNineTwo.cidr(), AddressClass::Private(Rfc1918Range::OneNineTwo)),
        (net([100, 64, 0, 0], 10), AddressClass::SharedAddressSpace),
        (link_local(), AddressClass::LinkLocal),
        (net([127, 0, 0, 0], 8), AddressClass::Loopback),
        (net([224, 0, 0, 0], 4), AddressClass::Multicast),
        (net([0, 0, 0, 0], 8), AddressClass::Reserved),
        (net([240, 0, 0, 0], 4), AddressClass::Reserved),
    ]
}

/// Classifies a block as RFC 1918, RFC 6598, link-local, other special space, public, or mixed.
pub fn classify(cidr: Ipv4Net) -> AddressClass {
    let s = Span::of(cidr);
    let ranges = special_ranges();
    if let Some((_, class)) = ranges.iter().find(|(r, _)| Span::of(*r).contains(&s)) {
        return *class;
    }
    if ranges.iter().any(|(r, _)| Span::of(*r).overlaps(&s)) {
        AddressClass::Mixed
    } else {
        AddressClass::Public
    }
}

/// True when every address of `inner` is in `outer` (host bits of both are ignored).
pub fn contains(outer: Ipv4Net, inner: Ipv4Net) -> bool {
    Span::of(outer).contains(&Span::of(inner))
}

/// True when `a` and `b` share at least one address (host bits are ignored).
pub fn overlaps(a: Ipv4Net, b: Ipv4Net) -> bool {
    Span::of(a).overlaps(&Span::of(b))
}

/// Clears host bits: 100.68.0.18/18 becomes 100.68.0.0/18, as AWS does (A1).
pub fn canonicalise(cidr: Ipv4Net) -> Ipv4Net {
    cidr.trunc()
}

/// A CIDR parsed from user text, canonicalised (A1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedCidr {
    /// The canonical block, host bits cleared.
    pub cidr: Ipv4Net,
    /// The block exactly as typed, host bits included.
    pub as_typed: Ipv4Net,
}

impl ParsedCidr {
    /// True when the typed text had host bits set and they were cleared.
    pub fn was_canonicalised(&self) -> bool {
        self.cidr != self.as_typed
    }

    /// A sentence for the user when the input was canonicalised, e.g.
    /// "100.68.0.18/18 has host bits set; using 100.68.0.0/18 (A1)."
    pub fn canonicalisation_note(&self) -> Option<String> {
        self.was_canonicalised().then(|| format!("{} has host bits set; using {} (A1).", self.as_typed, self.cidr))
    }
}

/// Why one octet of an address could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OctetProblem {
    /// Nothing between two dots.
    Empty,
    /// Something other than decimal digits.
    NotANumber,
    /// A number above 255.
    TooLarge,
    /// A leading zero, which some tools read as octal.
    LeadingZero,
}

/// Which AWS object a block is being checked as; decides the size rule that applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CidrRole {
    /// The primary VPC CIDR (A1).
    VpcCidr,
    /// A secondary VPC CIDR (A2).
    SecondaryCidr,
    /// A subnet (A5).
    Subnet,
}

impl CidrRole {
    fn describe(self) -> &'static str {
        match self {
            CidrRole::VpcCidr => "a VPC CIDR",
            CidrRole::SecondaryCidr => "a secondary VPC CIDR",
            CidrRole::Subnet => "a subnet",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            CidrRole::VpcCidr => "A1",
            CidrRole::SecondaryCidr => "A2",
            CidrRole::Subnet => "A5",
        }
    }
}

/// Why AWS refuses a secondary CIDR because of the VPC's existing ranges (A3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FamilyRestriction {
    /// The new block is in a different RFC 1918 range from the primary CIDR.
    OtherRfc1918 {
        /// The RFC 1918 range the new block is in.
        range: Rfc1918Range,
    },
    /// The primary CIDR is not RFC 1918 (public, 100.64/10 or 198.19/16), so no RFC 1918 block
    /// can be added.
    Rfc1918IntoNonRfc1918 {
        /// The RFC 1918 range the new block is in.
        range: Rfc1918Range,
    },
    /// 198.19.0.0/16 can only be used by a VPC whose primary CIDR is in it.
    Range198_19,
    /// A 172.16.0.0/12 VPC cannot add from 172.31.0.0/16.
    Range172_31,
    /// A VPC with a block in 10.0.0.0/15 cannot add from 10.0.0.0/16.
    TenZeroSixteen {
        /// The existing block inside 10.0.0.0/15.
        existing: Ipv4Net,
    },
}

impl fmt::Display for FamilyRestriction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FamilyRestriction::OtherRfc1918 { range } => {
                write!(f, "it comes from another RFC 1918 range ({range}) than the primary CIDR")
            }
            FamilyRestriction::Rfc1918IntoNonRfc1918 { range } => {
                write!(f, "it comes from the RFC 1918 range {range} and the primary CIDR is not RFC 1918")
            }
            FamilyRestriction::Range198_19 => {
                write!(f, "AWS reserves 198.19.0.0/16 for VPCs created in it")
            }
            FamilyRestriction::Range172_31 => {
                write!(f, "a 172.16.0.0/12 VPC cannot add from 172.31.0.0/16")
            }
            FamilyRestriction::TenZeroSixteen { existing } => {
                write!(f, "the VPC already has {existing} in 10.0.0.0/15, which rules out 10.0.0.0/16")
            }
        }
    }
}

/// Why a CIDR was refused. `Display` gives one sentence suitable for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CidrError {
    /// The input was empty or only spaces.
    Empty,
    /// No `/` and prefix length, e.g. `10.0.0.0`.
    MissingPrefix {
        /// The trimmed input.
        input: String,
    },
    /// More than one `/`.
    TooManySlashes {
        /// The trimmed input.
        input: String,
    },
    /// The input looks like IPv6, which the planner does not handle yet (A7).
    Ipv6NotSupported {
        /// The trimmed input.
        input: String,
    },
    /// The address does not have four dot-separated parts.
    WrongOctetCount {
        /// The trimmed input.
        input: String,
        /// How many dot-separated parts there were.
        found: usize,
    },
    /// One octet is not a number from 0 to 255.
    BadOctet {
        /// The trimmed input.
        input: String,
        /// 1-based position of the octet.
        position: usize,
        /// The octet as typed.
        octet: String,
        /// What is wrong with it.
        problem: OctetProblem,
    },
    /// The text after `/` is empty or not a number.
    BadPrefix {
        /// The trimmed input.
        input: String,
        /// The prefix as typed.
        prefix: String,
    },
    /// The prefix length is above 32.
    PrefixTooLong {
        /// The prefix as typed.
        prefix: String,
    },
    /// The block is larger than the role allows (A1, A2, A5: /16 at most).
    TooLarge {
        /// The canonical block.
        cidr: Ipv4Net,
        /// What it was checked as.
        role: CidrRole,
    },
    /// The block is smaller than the role allows (A1, A2, A5: /28 at least).
    TooSmall {
        /// The canonical block.
        cidr: Ipv4Net,
        /// What it was checked as.
        role: CidrRole,
    },
    /// The block touches 169.254.0.0/16 (A3).
    LinkLocal {
        /// The canonical block.
        cidr: Ipv4Net,
    },
    /// A secondary CIDR was checked against a VPC with no CIDR at all.
    NoPrimaryCidr,
    /// A secondary CIDR overlaps one of the VPC's CIDRs (A2).
    OverlapsVpcCidr {
        /// The new block.
        cidr: Ipv4Net,
        /// The VPC CIDR it overlaps.
        existing: Ipv4Net,
    },
    /// A secondary CIDR falls under an AWS family restriction (A3).
    FamilyRestricted {
        /// The new block.
        cidr: Ipv4Net,
        /// The VPC's primary CIDR.
        primary: Ipv4Net,
        /// Which restriction.
        reason: FamilyRestriction,
    },
    /// The VPC already has the maximum number of IPv4 CIDRs (A2: 50 with a quota increase).
    QuotaExceeded {
        /// How many CIDRs the VPC would have.
        count: usize,
    },
    /// A secondary CIDR is equal to or larger than a route destination (A2).
    CoversRoute {
        /// The new block.
        cidr: Ipv4Net,
        /// The route destination it covers.
        route: Ipv4Net,
    },
    /// A subnet is not inside any VPC CIDR (A5).
    OutsideVpc {
        /// The subnet.
        subnet: Ipv4Net,
        /// The VPC's CIDRs.
        vpc_cidrs: Vec<Ipv4Net>,
    },
    /// A subnet straddles two or more VPC CIDRs (A5: it must sit inside one).
    SpansVpcCidrs {
        /// The subnet.
        subnet: Ipv4Net,
    },
    /// A subnet overlaps an existing subnet (A5).
    OverlapsSubnet {
        /// The new subnet.
        subnet: Ipv4Net,
        /// The existing subnet it overlaps.
        existing: Ipv4Net,
    },
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CidrError::Empty => write!(f, "enter a CIDR block such as 10.0.0.0/16"),
            CidrError::MissingPrefix { input } => {
                write!(f, "'{input}' has no prefix length; add one after a slash, e.g. {input}/16")
            }
            CidrError::TooManySlashes { input } => {
                write!(f, "'{input}' has more than one '/'; write it like 10.0.0.0/16")
            }
            CidrError::Ipv6NotSupported { input } => {
                write!(f, "'{input}' looks like IPv6, which is not supported yet; enter an IPv4 CIDR")
            }
            CidrError::WrongOctetCount { input, found } => {
                write!(f, "'{input}' has {found} dot-separated parts; an IPv4 address has 4, e.g. 10.0.0.0")
            }
            CidrError::BadOctet { input, position, octet, problem } => match problem {
                OctetProblem::Empty => write!(f, "octet {position} of '{input}' is empty"),
                OctetProblem::NotANumber => {
                    write!(f, "octet {position} of '{input}' is '{octet}', which is not a number")
                }
                OctetProblem::TooLarge => {
                    write!(f, "octet {position} of '{input}' is {octet}, which is larger than 255")
                }
                OctetProblem::LeadingZero => write!(
                    f,
                    "octet {position} of '{input}' is '{octet}'; leading zeros are not allowed \
                     because some tools read them as octal"
                ),
            },
            CidrError::BadPrefix { input, prefix } if prefix.is_empty() => {
                write!(f, "'{input}' has nothing after the '/'; add a prefix length such as 16")
            }
            CidrError::BadPrefix { input, prefix } => {
                write!(f, "the prefix length '{prefix}' in '{input}' is not a number from 0 to 32")
            }
            CidrError::PrefixTooLong { prefix } => {
                write!(f, "prefix length {prefix} is larger than 32")
            }
            CidrError::TooLarge { cidr, role } => {
                write!(f, "{cidr} is too large for {}: the largest allowed is /16 ({})", role.describe(), role.rule())
            }
            CidrError::TooSmall { cidr, role } => {
                write!(f, "{cidr} is too small for {}: the smallest allowed is /28 ({})", role.describe(), role.rule())
            }
            CidrError::LinkLocal { cidr } => {
                write!(f, "{cidr} is in the link-local range 169.254.0.0/16, which AWS never allows in a VPC (A3)")
            }
            CidrError::NoPrimaryCidr => {
                write!(f, "the VPC has no primary CIDR to add a secondary CIDR to (A2)")
            }
            CidrError::OverlapsVpcCidr { cidr, existing } => {
                write!(f, "{cidr} overlaps the VPC's existing CIDR {existing} (A2)")
            }
            CidrError::FamilyRestricted { cidr, primary, reason } => {
                write!(f, "{cidr} cannot be added to a VPC whose primary CIDR is {primary}: {reason} (A3)")
            }
            CidrError::QuotaExceeded { count } => {
                write!(f, "a VPC can have at most 50 IPv4 CIDRs and this would make {count} (A2)")
            }
            CidrError::CoversRoute { cidr, route } => write!(
                f,
                "{cidr} is equal to or larger than the route destination {route}; \
                 use a smaller block that does not cover it (A2)"
            ),
            CidrError::OutsideVpc { subnet, vpc_cidrs } if vpc_cidrs.is_empty() => {
                write!(f, "{subnet} cannot be placed: the VPC has no CIDR (A5)")
            }
            CidrError::OutsideVpc { subnet, vpc_cidrs } => {
                write!(f, "{subnet} is outside the VPC's CIDRs (")?;
                for (i, c) in vpc_cidrs.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{c}")?;
                }
                write!(f, "); a subnet must sit inside one of them (A5)")
            }
            CidrError::SpansVpcCidrs { subnet } => {
                write!(f, "{subnet} spans more than one VPC CIDR; a subnet must sit inside a single one (A5)")
            }
            CidrError::OverlapsSubnet { subnet, existing } => {
                write!(f, "{subnet} overlaps the existing subnet {existing} (A5)")
            }
        }
    }
}

impl std::error::Error for CidrError {}

/// Something AWS allows but the user should know about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CidrWarning {
    /// The block overlaps 172.17.0.0/16, which Docker, Cloud9 and SageMaker use (A4).
    DockerBridgeRange {
        /// The block.
        cidr: Ipv4Net,
    },
    /// The block is not RFC 1918 or RFC 6598 space; AWS allows it but never advertises it (A4).
    NotPrivate {
        /// The block.
        cidr: Ipv4Net,
        /// Where it sits.
        class: AddressClass,
    },
    /// The VPC would exceed the default quota of 5 IPv4 CIDRs and needs an increase (A2).
    AboveDefaultQuota {
        /// How many CIDRs the VPC would have.
        count: usize,
    },
}

impl fmt::Display for CidrWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CidrWarning::DockerBridgeRange { cidr } => write!(
                f,
                "{cidr} overlaps 172.17.0.0/16, which Docker, Cloud9 and SageMaker use; AWS allows it but discourages it (A4)"
            ),
            CidrWarning::NotPrivate { cidr, class } => {
                let kind = match class {
                    AddressClass::Loopback => "is in the loopback range 127.0.0.0/8",
                    AddressClass::Multicast => "is in the multicast range 224.0.0.0/4",
                    AddressClass::Reserved => "is in reserved address space",
                    AddressClass::Mixed => "mixes private and other address space",
                    _ => "is publicly routable",
                };
                write!(
                    f,
                    "{cidr} {kind}; AWS allows it but never advertises it, and RFC 1918 space is recommended (A4)"
                )
            }
            CidrWarning::AboveDefaultQuota { count } => write!(
                f,
                "this makes {count} IPv4 CIDRs, above the default quota of 5; request a quota increase (A2)"
            ),
        }
    }
}

/// Parses user text such as `" 10.0.0.0/16 "` into a canonical block (A1).
///
/// Host bits are cleared, and [`ParsedCidr::canonicalisation_note`] says so. Every malformed
/// input gives a [`CidrError`] naming the part that is wrong; nothing panics.
pub fn parse_cidr(input: &str) -> Result<ParsedCidr, CidrError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(CidrError::Empty);
    }
    if text.contains(':') {
        return Err(CidrError::Ipv6NotSupported { input: text.into() });
    }
    let Some((addr_part, prefix_part)) = text.split_once('/') else {
        return Err(CidrError::MissingPrefix { input: text.into() });
    };
    if prefix_part.contains('/') {
        return Err(CidrError::TooManySlashes { input: text.into() });
    }
    let addr = parse_octets(text, addr_part.trim())?;
    let prefix_text = prefix_part.trim();
    if prefix_text.is_empty() || !prefix_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CidrError::BadPrefix { input: text.into(), prefix: prefix_text.into() });
    }
    let prefix = prefix_text.bytes().fold(0u32, |acc, b| acc.saturating_mul(10).saturating_add(u32::from(b - b'0')));
    let too_long = || CidrError::PrefixTooLong { prefix: prefix_text.into() };
    let prefix = u8::try_from(prefix).map_err(|_| too_long())?;
    let as_typed = Ipv4Net::new(addr, prefix).map_err(|_| too_long())?;
    Ok(ParsedCidr { cidr: as_typed.trunc(), as_typed })
}

/// Parses a single IPv4 address typed by the user (e.g. a trace destination).
pub fn parse_ipv4(input: &str) -> Result<Ipv4Addr, CidrError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(CidrError::Empty);
    }
    if text.contains(':') {
        return Err(CidrError::Ipv6NotSupported { input: text.into() });
    }
    parse_octets(text, text)
}

/// Reads four decimal octets; `input` is the whole text, for error messages.
fn parse_octets(input: &str, addr: &str) -> Result<Ipv4Addr, CidrError> {
    let found = addr.split('.').count();
    if found != 4 {
        return Err(CidrError::WrongOctetCount { input: input.into(), found });
    }
    let mut octets = [0u8; 4];
    for (i, (slot, part)) in octets.iter_mut().zip(addr.split('.')).enumerate() {
        let bad = |problem| CidrError::BadOctet { input: input.into(), position: i + 1, octet: part.into(), problem };
        if part.is_empty() {
            return Err(bad(OctetProblem::Empty));
        }
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(OctetProblem::NotANumber));
        }
        let value = part.bytes().fold(0u32, |acc, b| acc.saturating_mul(10).saturating_add(u32::from(b - b'0')));
        *slot = u8::try_from(value).map_err(|_| bad(OctetProblem::TooLarge))?;
        if part.len() > 1 && part.starts_with('0') {
            return Err(bad(OctetProblem::LeadingZero));
        }
    }
    Ok(Ipv4Addr::from(octets))
}

/// Checks a primary VPC CIDR (A1, A3, A4). Returns warnings for allowed-but-discouraged blocks.
///
/// The block is canonicalised first, as AWS does (A1).
pub fn check_vpc_cidr(cidr: Ipv4Net) -> Result<Vec<CidrWarning>, CidrError> {
    let cidr = cidr.trunc();
    check_size(cidr, CidrRole::VpcCidr)?;
    check_not_link_local(cidr)?;
    Ok(address_warnings(cidr))
}

/// Checks a secondary IPv4 CIDR for a VPC whose CIDRs are `existing`, primary first (A2, A3, A4).
///
/// Refuses blocks outside /16–/28, overlapping an existing CIDR (the error names it), link-local,
/// under one of AWS's family restrictions, or beyond the hard quota of 50. Route destinations are
/// checked separately by [`check_secondary_cidr_routes`].
pub fn check_secondary_cidr(existing: &[Ipv4Net], new: Ipv4Net) -> Result<Vec<CidrWarning>, CidrError> {
    let new = new.trunc();
    let primary = existing.first().ok_or(CidrError::NoPrimaryCidr)?.trunc();
    check_size(new, CidrRole::SecondaryCidr)?;
    check_not_link_local(new)?;
    if let Some(clash) = existing.iter().find(|e| overlaps(**e, new)) {
        return Err(CidrError::OverlapsVpcCidr { cidr: new, existing: clash.trunc() });
    }
    if let Some(reason) = family_restriction(existing, primary, new) {
        return Err(CidrError::FamilyRestricted { cidr: new, primary, reason });
    }
    let count = existing.len().saturating_add(1);
    if count > 50 {
        return Err(CidrError::QuotaExceeded { count });
    }
    let mut warnings = address_warnings(new);
    if count > 5 {
        warnings.push(CidrWarning::AboveDefaultQuota { count });
    }
    Ok(warnings)
}

/// A2: a new secondary CIDR must not be equal to or larger than (i.e. cover) any destination of a
/// route in the VPC's route tables. Pass the non-local destinations.
pub fn check_secondary_cidr_routes(route_destinations: &[Ipv4Net], new: Ipv4Net) -> Result<(), CidrError> {
    let new = new.trunc();
    match route_destinations.iter().find(|d| contains(new, **d)) {
        Some(route) => Err(CidrError::CoversRoute { cidr: new, route: route.trunc() }),
        None => Ok(()),
    }
}

/// Checks a new subnet against its VPC's CIDRs and existing subnets (A5).
///
/// The subnet must be /16–/28, inside a single VPC CIDR (or equal to it), and overlap no
/// existing subnet; the error names the subnet it overlaps.
pub fn check_subnet_cidr(vpc_cidrs: &[Ipv4Net], existing_subnets: &[Ipv4Net], new: Ipv4Net) -> Result<(), CidrError> {
    let new = new.trunc();
    check_size(new, CidrRole::Subnet)?;
    if !vpc_cidrs.iter().any(|v| contains(*v, new)) {
        if vpc_cidrs.iter().any(|v| overlaps(*v, new)) {
            return Err(CidrError::SpansVpcCidrs { subnet: new });
        }
        return Err(CidrError::OutsideVpc { subnet: new, vpc_cidrs: vpc_cidrs.iter().map(|v| v.trunc()).collect() });
    }
    match existing_subnets.iter().find(|s| overlaps(**s, new)) {
        Some(existing) => Err(CidrError::OverlapsSubnet { subnet: new, existing: existing.trunc() }),
        None => Ok(()),
    }
}

/// A1, A2, A5 all use /16–/28 for IPv4.
fn check_size(cidr: Ipv4Net, role: CidrRole) -> Result<(), CidrError> {
    let range = super::AddressFamily::Ipv4.vpc_prefix_range();
    if cidr.prefix_len() < *range.start() {
        Err(CidrError::TooLarge { cidr, role })
    } else if cidr.prefix_len() > *range.end() {
        Err(CidrError::TooSmall { cidr, role })
    } else {
        Ok(())
    }
}

fn check_not_link_local(cidr: Ipv4Net) -> Result<(), CidrError> {
    if overlaps(cidr, link_local()) {
        Err(CidrError::LinkLocal { cidr })
    } else {
        Ok(())
    }
}

/// A4 warnings: the Docker bridge range and non-private space.
fn address_warnings(cidr: Ipv4Net) -> Vec<CidrWarning> {
    let mut warnings = Vec::new();
    if overlaps(cidr, net([172, 17, 0, 0], 16)) {
        warnings.push(CidrWarning::DockerBridgeRange { cidr });
    }
    match classify(cidr) {
        AddressClass::Private(_) | AddressClass::SharedAddressSpace => {}
        class => warnings.push(CidrWarning::NotPrivate { cidr, class }),
    }
    warnings
}

/// The A3 table of `UG:vpc-cidr-blocks` ("IPv4 CIDR block association restrictions"), keyed by
/// the range the primary CIDR is in.
fn family_restriction(existing: &[Ipv4Net], primary: Ipv4Net, new: Ipv4Net) -> Option<FamilyRestriction> {
    let range_198_19 = net([198, 19, 0, 0], 16);
    let new_rfc1918 = match classify(new) {
        AddressClass::Private(r) => Some(r),
        _ => None,
    };
    let primary_rfc1918 = match classify(primary) {
        AddressClass::Private(r) => Some(r),
        _ => None,
    };
    let primary_in_198_19 = contains(range_198_19, primary);

    match (primary_rfc1918, new_rfc1918) {
        (Some(p), Some(n)) if p != n => return Some(FamilyRestriction::OtherRfc1918 { range: n }),
        (None, Some(n)) => return Some(FamilyRestriction::Rfc1918IntoNonRfc1918 { range: n }),
        _ => {}
    }
    if !primary_in_198_19 && overlaps(new, range_198_19) {
        return Some(FamilyRestriction::Range198_19);
    }
    if primary_rfc1918 == Some(Rfc1918Range::OneSevenTwo) && overlaps(new, net([172, 31, 0, 0], 16)) {
        return Some(FamilyRestriction::Range172_31);
    }
    if primary_rfc1918 == Some(Rfc1918Range::Ten) && overlaps(new, net([10, 0, 0, 0], 16)) {
        let ten_15 = net([10, 0, 0, 0], 15);
        if let Some(e) = existing.iter().find(|e| contains(ten_15, **e)) {
            return Some(FamilyRestriction::TenZeroSixteen { existing: e.trunc() });
        }
    }
    None
}

fn link_local() -> Ipv4Net {
    net([169, 254, 0, 0], 16)
}

/// A constant block; the prefix is always ≤ 32 at the call sites.
fn net(octets: [u8; 4], prefix_len: u8) -> Ipv4Net {
    super::span::block(u64::from(u32::from(Ipv4Addr::from(octets))), prefix_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Ipv4Net {
        s.parse().expect("test literal")
    }

    fn err(input: &str) -> CidrError {
        match parse_cidr(input) {
            Err(e) => e,
            Ok(p) => panic!("{input} parsed as {p:?}"),
        }
    }

    #[test]
    fn parses_and_trims() {
        let p = parse_cidr("  10.0.0.0/16 ").expect("valid");
        assert_eq!(p.cidr, n("10.0.0.0/16"));
        assert!(!p.was_canonicalised());
        assert_eq!(p.canonicalisation_note(), None);
    }

    #[test]
    fn a1_canonicalises_host_bits_and_says_so() {
        let p = parse_cidr("100.68.0.18/18").expect("valid");
        assert_eq!(p.cidr, n("100.68.0.0/18"));
        assert_eq!(p.as_typed.addr(), Ipv4Addr::new(100, 68, 0, 18));
        assert!(p.was_canonicalised());
        assert_eq!(
            p.canonicalisation_note().as_deref(),
            Some("100.68.0.18/18 has host bits set; using 100.68.0.0/18 (A1).")
        );
        assert_eq!(canonicalise(n("100.68.0.18/18")), n("100.68.0.0/18"));
    }

    #[test]
    fn prefix_too_long_names_the_length() {
        let e = err("10.0.0.0/33");
        assert_eq!(e.to_string(), "prefix length 33 is larger than 32");
        assert!(matches!(err("10.0.0.0/99999999999999"), CidrError::PrefixTooLong { .. }));
        assert!(matches!(err("10.0.0.0/256"), CidrError::PrefixTooLong { .. }));
    }

    #[test]
    fn bad_octet_is_named() {
        let e = err("10.0.0.300/16");
        assert_eq!(
            e,
            CidrError::BadOctet {
                input: "10.0.0.300/16".into(),
                position: 4,
                octet: "300".into(),
                problem: OctetProblem::TooLarge
            }
        );
        assert_eq!(e.to_string(), "octet 4 of '10.0.0.300/16' is 300, which is larger than 255");
        assert!(matches!(
            err("10.a.0.0/16"),
            CidrError::BadOctet { position: 2, problem: OctetProblem::NotANumber, .. }
        ));
        assert!(matches!(err("10..0.0/16"), CidrError::BadOctet { position: 2, problem: OctetProblem::Empty, .. }));
        assert!(matches!(
            err("10.0.010.0/16"),
            CidrError::BadOctet { position: 3, problem: OctetProblem::LeadingZero, .. }
        ));
        assert!(matches!(
            err("10.0.0.99999999999999999/16"),
            CidrError::BadOctet { position: 4, problem: OctetProblem::TooLarge, .. }
        ));
        assert!(matches!(
            err("10.0.0.-1/16"),
            CidrError::BadOctet { position: 4, problem: OctetProblem::NotANumber, .. }
        ));
    }

    #[test]
    fn structural_errors() {
        assert_eq!(err(""), CidrError::Empty);
        assert_eq!(err("   "), CidrError::Empty);
        let e = err("10.0.0.0");
        assert_eq!(e, CidrError::MissingPrefix { input: "10.0.0.0".into() });
        assert!(e.to_string().contains("no prefix length"));
        assert!(matches!(err("10.0.0.0/16/2"), CidrError::TooManySlashes { .. }));
        assert!(matches!(err("10.0.0/16"), CidrError::WrongOctetCount { found: 3, .. }));
        assert!(matches!(err("10.0.0.0.0/16"), CidrError::WrongOctetCount { found: 5, .. }));
        assert!(matches!(err("10.0.0.0/"), CidrError::BadPrefix { .. }));
        assert!(err("10.0.0.0/").to_string().contains("nothing after the '/'"));
        assert!(matches!(err("10.0.0.0/x"), CidrError::BadPrefix { .. }));
        assert!(matches!(err("10.0.0.0/-1"), CidrError::BadPrefix { .. }));
        assert!(matches!(err("2001:db8::/56"), CidrError::Ipv6NotSupported { .. }));
        assert!(matches!(err("/16"), CidrError::WrongOctetCount { found: 1, .. }));
        assert!(matches!(err("１０.0.0.0/8"), CidrError::BadOctet { .. }));
    }

    #[test]
    fn edges_of_the_address_space_parse() {
        assert_eq!(parse_cidr("0.0.0.0/0").expect("valid").cidr, n("0.0.0.0/0"));
        assert_eq!(parse_cidr("255.255.255.255/32").expect("valid").cidr, n("255.255.255.255/32"));
        assert_eq!(parse_cidr("255.255.255.255/0").expect("valid").cidr, n("0.0.0.0/0"));
    }

    #[test]
    fn parse_ipv4_errors() {
        assert_eq!(parse_ipv4(" 10.0.0.5 "), Ok(Ipv4Addr::new(10, 0, 0, 5)));
        assert!(matches!(parse_ipv4("10.0.0.256"), Err(CidrError::BadOctet { .. })));
        assert_eq!(parse_ipv4(""), Err(CidrError::Empty));
        assert!(matches!(parse_ipv4("::1"), Err(CidrError::Ipv6NotSupported { .. })));
    }

    #[test]
    fn classification() {
        assert_eq!(classify(n("10.1.0.0/16")), AddressClass::Private(Rfc1918Range::Ten));
        assert_eq!(classify(n("172.31.0.0/16")), AddressClass::Private(Rfc1918Range::OneSevenTwo));
        assert_eq!(classify(n("192.168.4.0/24")), AddressClass::Private(Rfc1918Range::OneNineTwo));
        assert_eq!(classify(n("100.68.0.0/18")), AddressClass::SharedAddressSpace);
        assert_eq!(classify(n("169.254.169.254/32")), AddressClass::LinkLocal);
        assert_eq!(classify(n("8.8.8.0/24")), AddressClass::Public);
        assert_eq!(classify(n("127.0.0.1/32")), AddressClass::Loopback);
        assert_eq!(classify(n("239.0.0.0/8")), AddressClass::Multicast);
        assert_eq!(classify(n("255.255.255.255/32")), AddressClass::Reserved);
        assert_eq!(classify(n("0.0.0.0/0")), AddressClass::Mixed);
        assert_eq!(classify(n("172.0.0.0/8")), AddressClass::Mixed);
    }

    #[test]
    fn contains_and_overlaps() {
        assert!(contains(n("10.0.0.0/16"), n("10.0.1.0/24")));
        assert!(contains(n("10.0.0.0/16"), n("10.0.0.0/16")));
        assert!(!contains(n("10.0.1.0/24"), n("10.0.0.0/16")));
        assert!(overlaps(n("10.0.1.0/24"), n("10.0.0.0/16")));
        assert!(!overlaps(n("10.0.0.0/24"), n("10.0.1.0/24")));
        assert!(contains(n("0.0.0.0/0"), n("255.255.255.255/32")));
    }

    #[test]
    fn a1_vpc_size_limits() {
        assert_eq!(check_vpc_cidr(n("10.0.0.0/16")), Ok(vec![]));
        assert_eq!(check_vpc_cidr(n("10.0.0.0/28")), Ok(vec![]));
        let e = check_vpc_cidr(n("10.0.0.0/15")).expect_err("too large");
        assert_eq!(e.to_string(), "10.0.0.0/15 is too large for a VPC CIDR: the largest allowed is /16 (A1)");
        let e = check_vpc_cidr(n("10.0.0.0/29")).expect_err("too small");
        assert_eq!(e.to_string(), "10.0.0.0/29 is too small for a VPC CIDR: the smallest allowed is /28 (A1)");
        assert!(check_vpc_cidr(n("0.0.0.0/0")).is_err());
        assert!(check_vpc_cidr(n("255.255.255.255/32")).is_err());
        // host bits are cleared before checking
        assert_eq!(check_vpc_cidr(n("100.68.0.18/18")), Ok(vec![]));
    }

    #[test]
    fn a3_link_local_never() {
        let e = check_vpc_cidr(n("169.254.0.0/16")).expect_err("link-local");
        assert_eq!(e, CidrError::LinkLocal { cidr: n("169.254.0.0/16") });
        assert!(e.to_string().contains("never allows"));
    }

    #[test]
    fn a4_warnings() {
        assert_eq!(
            check_vpc_cidr(n("172.17.0.0/16")),
            Ok(vec![CidrWarning::DockerBridgeRange { cidr: n("172.17.0.0/16") }])
        );
        let w = check_vpc_cidr(n("8.8.0.0/16")).expect("allowed");
        assert_eq!(w, vec![CidrWarning::NotPrivate { cidr: n("8.8.0.0/16"), class: AddressClass::Public }]);
        assert!(w[0].to_string().contains("publicly routable"));
        assert!(w[0].to_string().contains("(A4)"));
    }

    #[test]
    fn a2_secondary_size_overlap_quota() {
        let vpc = [n("10.0.0.0/16")];
        assert_eq!(check_secondary_cidr(&vpc, n("10.2.0.0/16")), Ok(vec![]));
        assert_eq!(check_secondary_cidr(&[], n("10.2.0.0/16")), Err(CidrError::NoPrimaryCidr));
        assert!(matches!(
            check_secondary_cidr(&vpc, n("10.2.0.0/15")),
            Err(CidrError::TooLarge { role: CidrRole::SecondaryCidr, .. })
        ));
        assert!(matches!(
            check_secondary_cidr(&vpc, n("10.2.0.0/29")),
            Err(CidrError::TooSmall { role: CidrRole::SecondaryCidr, .. })
        ));
        let e = check_secondary_cidr(&vpc, n("10.0.128.0/17")).expect_err("overlap");
        assert_eq!(e.to_string(), "10.0.128.0/17 overlaps the VPC's existing CIDR 10.0.0.0/16 (A2)");
        assert!(matches!(check_secondary_cidr(&vpc, n("169.254.0.0/16")), Err(CidrError::LinkLocal { .. })));
        let five: Vec<Ipv4Net> = (0..5).map(|i| n(&format!("10.{}.0.0/16", 10 + i))).collect();
        assert_eq!(
            check_secondary_cidr(&five, n("10.50.0.0/16")),
            Ok(vec![CidrWarning::AboveDefaultQuota { count: 6 }])
        );
        let fifty: Vec<Ipv4Net> = (0..50).map(|i| n(&format!("10.{}.0.0/16", 10 + i))).collect();
        assert_eq!(check_secondary_cidr(&fifty, n("10.100.0.0/16")), Err(CidrError::QuotaExceeded { count: 51 }));
    }

    #[test]
    fn a3_family_restrictions() {
        let ten = [n("10.5.0.0/16")];
        let e = check_secondary_cidr(&ten, n("172.16.0.0/16")).expect_err("other rfc1918");
        assert_eq!(
            e,
            CidrError::FamilyRestricted {
                cidr: n("172.16.0.0/16"),
                primary: n("10.5.0.0/16"),
                reason: FamilyRestriction::OtherRfc1918 { range: Rfc1918Range::OneSevenTwo }
            }
        );
        assert!(e.to_string().ends_with("(A3)"));
        assert!(check_secondary_cidr(&ten, n("192.168.0.0/16")).is_err());
        assert!(matches!(
            check_secondary_cidr(&ten, n("198.19.0.0/16")),
            Err(CidrError::FamilyRestricted { reason: FamilyRestriction::Range198_19, .. })
        ));
        // public space and 100.64/10 may be added to a 10/8 VPC
        assert!(check_secondary_cidr(&ten, n("100.64.0.0/16")).is_ok());
        assert!(check_secondary_cidr(&ten, n("8.8.0.0/16")).is_ok());

        let one72 = [n("172.20.0.0/16")];
        assert!(check_secondary_cidr(&one72, n("172.21.0.0/16")).is_ok());
        assert!(matches!(
            check_secondary_cidr(&one72, n("172.31.0.0/16")),
            Err(CidrError::FamilyRestricted { reason: FamilyRestriction::Range172_31, .. })
        ));
        assert!(check_secondary_cidr(&one72, n("10.0.0.0/16")).is_err());
        assert!(check_secondary_cidr(&one72, n("192.168.0.0/16")).is_err());

        let one92 = [n("192.168.0.0/20")];
        assert!(check_secondary_cidr(&one92, n("192.168.16.0/20")).is_ok());
        assert!(check_secondary_cidr(&one92, n("10.0.0.0/16")).is_err());

        let public = [n("8.8.0.0/16")];
        assert!(matches!(
            check_secondary_cidr(&public, n("10.0.0.0/16")),
            Err(CidrError::FamilyRestricted { reason: FamilyRestriction::Rfc1918IntoNonRfc1918 { .. }, .. })
        ));
        assert!(check_secondary_cidr(&public, n("100.64.0.0/16")).is_ok());

        let bench = [n("198.19.0.0/16")];
        assert!(check_secondary_cidr(&bench, n("10.0.0.0/16")).is_err());
        assert!(check_secondary_cidr(&bench, n("100.64.0.0/16")).is_ok());

        // A VPC with a block in 10.0.0.0/15 cannot add from 10.0.0.0/16.
        let e = check_secondary_cidr(&[n("10.1.0.0/16")], n("10.0.0.0/16")).expect_err("10/15");
        assert_eq!(
            e,
            CidrError::FamilyRestricted {
                cidr: n("10.0.0.0/16"),
                primary: n("10.1.0.0/16"),
                reason: FamilyRestriction::TenZeroSixteen { existing: n("10.1.0.0/16") }
            }
        );
        assert!(check_secondary_cidr(&[n("10.2.0.0/16")], n("10.0.0.0/16")).is_ok());
    }

    #[test]
    fn a2_secondary_must_not_cover_a_route() {
        let routes = [n("10.0.0.0/24"), n("0.0.0.0/0")];
        let e = check_secondary_cidr_routes(&routes, n("10.0.0.0/16")).expect_err("covers");
        assert_eq!(e, CidrError::CoversRoute { cidr: n("10.0.0.0/16"), route: n("10.0.0.0/24") });
        assert!(check_secondary_cidr_routes(&routes, n("10.0.0.0/24")).is_err());
        assert!(check_secondary_cidr_routes(&routes, n("10.0.0.0/25")).is_ok());
        assert!(e.to_string().contains("(A2)"));
    }

    #[test]
    fn a5_subnet_rules() {
        let vpc = [n("10.0.0.0/16"), n("10.1.0.0/16")];
        let subnets = [n("10.0.0.0/24"), n("10.0.4.0/22")];
        assert_eq!(check_subnet_cidr(&vpc, &subnets, n("10.0.1.0/24")), Ok(()));
        assert_eq!(check_subnet_cidr(&vpc, &subnets, n("10.1.0.0/16")), Ok(()));
        assert!(matches!(
            check_subnet_cidr(&vpc, &subnets, n("10.0.0.0/15")),
            Err(CidrError::TooLarge { role: CidrRole::Subnet, .. })
        ));
        assert!(matches!(
            check_subnet_cidr(&vpc, &subnets, n("10.0.9.0/29")),
            Err(CidrError::TooSmall { role: CidrRole::Subnet, .. })
        ));
        let e = check_subnet_cidr(&vpc, &subnets, n("10.0.5.0/24")).expect_err("overlap");
        assert_eq!(e.to_string(), "10.0.5.0/24 overlaps the existing subnet 10.0.4.0/22 (A5)");
        let e = check_subnet_cidr(&vpc, &subnets, n("10.9.0.0/24")).expect_err("outside");
        assert_eq!(
            e.to_string(),
            "10.9.0.0/24 is outside the VPC's CIDRs (10.0.0.0/16, 10.1.0.0/16); a subnet must sit inside one of them (A5)"
        );
        let e = check_subnet_cidr(&[], &[], n("10.9.0.0/24")).expect_err("no vpc");
        assert!(e.to_string().contains("no CIDR"));
        let small = [n("10.0.0.0/24"), n("10.0.1.0/24")];
        assert_eq!(
            check_subnet_cidr(&small, &[], n("10.0.0.0/23")),
            Err(CidrError::SpansVpcCidrs { subnet: n("10.0.0.0/23") })
        );
    }

    #[test]
    fn every_error_and_warning_is_one_sentence() {
        let samples: Vec<String> = vec![
            CidrError::Empty.to_string(),
            CidrError::TooManySlashes { input: "a/b/c".into() }.to_string(),
            CidrError::Ipv6NotSupported { input: "::".into() }.to_string(),
            CidrError::NoPrimaryCidr.to_string(),
            CidrError::QuotaExceeded { count: 51 }.to_string(),
            CidrWarning::AboveDefaultQuota { count: 6 }.to_string(),
            CidrWarning::DockerBridgeRange { cidr: n("172.17.0.0/16") }.to_string(),
        ];
        for s in samples {
            assert!(!s.is_empty());
            assert!(!s.contains('\n'), "{s}");
        }
    }

    #[test]
    fn checks_at_the_edges_of_the_address_space() {
        let everything = [n("0.0.0.0/0")];
        assert!(matches!(
            check_subnet_cidr(&everything, &[], n("255.255.255.255/32")),
            Err(CidrError::TooSmall { .. })
        ));
        let top = [n("255.255.255.240/28")];
        assert_eq!(check_subnet_cidr(&top, &[], n("255.255.255.240/28")), Ok(()));
        assert!(matches!(
            check_subnet_cidr(&top, &top, n("255.255.255.240/28")),
            Err(CidrError::OverlapsSubnet { .. })
        ));
        assert!(matches!(check_secondary_cidr(&everything, n("0.0.0.0/0")), Err(CidrError::TooLarge { .. })));
        assert!(matches!(
            check_secondary_cidr(&top, n("255.255.255.224/28")),
            Ok(ref w) if w.len() == 1
        ));
        assert_eq!(check_secondary_cidr_routes(&everything, n("255.255.255.240/28")), Ok(()));
    }
}
