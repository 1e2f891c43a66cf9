//! Parsing user-typed IPv4 CIDRs, classifying address space, and the one overlap and
//! containment predicate every layer uses.

use super::error::CidrError;
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

/// Every block that overlaps an earlier one (A5, P2), found in one sorted sweep, so the cost is
/// n·log n whatever the count: blocks sorted by start address (widest first on a tie); each one
/// that starts inside the widest block seen so far is reported with it, as `(block, wider)`.
pub fn overlapping_pairs<T: Copy>(blocks: &mut [(Ipv4Net, T)]) -> Vec<(T, T)> {
    blocks.sort_by_key(|(c, _)| (u32::from(c.network()), std::cmp::Reverse(c.prefix_len())));
    let mut out = Vec::new();
    let mut widest: Option<(Ipv4Net, T)> = None;
    for &(c, t) in blocks.iter() {
        if let Some((w, wt)) = widest {
            if overlaps(w, c) {
                out.push((t, wt));
            }
        }
        if widest.is_none_or(|(w, _)| Span::of(c).end > Span::of(w).end) {
            widest = Some((c, t));
        }
    }
    out
}

pub(super) fn link_local() -> Ipv4Net {
    net([169, 254, 0, 0], 16)
}

/// A constant block; the prefix is always ≤ 32 at the call sites.
pub(super) fn net(octets: [u8; 4], prefix_len: u8) -> Ipv4Net {
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
    fn a5_overlapping_pairs_in_one_sweep() {
        let mut v = vec![(n("10.0.1.0/24"), 1), (n("10.0.0.0/16"), 2), (n("10.1.0.0/24"), 3), (n("10.0.1.128/25"), 4)];
        assert_eq!(overlapping_pairs(&mut v), vec![(1, 2), (4, 2)]);
        let mut none = vec![(n("10.0.0.0/24"), 1), (n("10.0.1.0/24"), 2)];
        assert!(overlapping_pairs(&mut none).is_empty());
    }
}
