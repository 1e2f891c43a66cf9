//! Internal interval arithmetic: a CIDR block as a half-open `u64` range `[start, end)`.
//!
//! Using `u64` for IPv4 means the top of the address space (255.255.255.255/32, 0.0.0.0/0) has an
//! `end` of 2^32 with no overflow and no special cases.

use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Half-open address range `[start, end)`; `end` may be 2^32.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Span {
    pub start: u64,
    pub end: u64,
}

impl Span {
    /// The addresses of `net`, ignoring any host bits it carries.
    pub fn of(net: Ipv4Net) -> Span {
        let start = u64::from(u32::from(net.network()));
        Span { start, end: start + block_size(net.prefix_len()) }
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Number of addresses in an IPv4 block of `prefix_len` (clamped to /32).
pub(crate) fn block_size(prefix_len: u8) -> u64 {
    1u64 << (32 - u32::from(prefix_len.min(32)))
}

/// The block at `start` with `prefix_len`; host bits are cleared, the prefix is clamped to 32
/// and `start` is taken modulo 2^32, so this never fails.
pub(crate) fn block(start: u64, prefix_len: u8) -> Ipv4Net {
    let prefix_len = prefix_len.min(32);
    let mask = u32::MAX.checked_shl(32 - u32::from(prefix_len)).unwrap_or(0);
    // Truncation to u32 is intended: callers only pass starts below 2^32.
    let addr = Ipv4Addr::from(start as u32 & mask);
    Ipv4Net::new(addr, prefix_len).unwrap_or_default()
}

/// Appends the maximal aligned CIDR blocks that exactly cover `[start, end)`, lowest first.
///
/// Each step takes the largest block that is both aligned at `start` and fits before `end`, so
/// the loop runs at most 64 times per range, whatever its size.
pub(crate) fn push_aligned_blocks(mut start: u64, end: u64, out: &mut Vec<Ipv4Net>) {
    while start < end {
        let align = if start == 0 { 1u64 << 32 } else { 1u64 << start.trailing_zeros().min(32) };
        let remaining = end - start;
        let fit = 1u64 << (63 - remaining.leading_zeros());
        let size = align.min(fit);
        let prefix = 32 - size.trailing_zeros().min(32);
        out.push(block(start, prefix as u8));
        start += size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Ipv4Net {
        s.parse().expect("test literal")
    }

    #[test]
    fn span_handles_the_whole_space_and_the_top_address() {
        assert_eq!(Span::of(n("0.0.0.0/0")), Span { start: 0, end: 1 << 32 });
        assert_eq!(Span::of(n("255.255.255.255/32")), Span { start: (1 << 32) - 1, end: 1 << 32 });
    }

    #[test]
    fn aligned_blocks_cover_a_range_maximally() {
        let mut out = Vec::new();
        // 10.0.0.16 .. 10.0.1.0 = /28 + /27 + /26 + /25
        let s = Span::of(n("10.0.0.16/28")).start;
        push_aligned_blocks(s, s + 240, &mut out);
        assert_eq!(out, vec![n("10.0.0.16/28"), n("10.0.0.32/27"), n("10.0.0.64/26"), n("10.0.0.128/25")]);
        out.clear();
        push_aligned_blocks(0, 1 << 32, &mut out);
        assert_eq!(out, vec![n("0.0.0.0/0")]);
        out.clear();
        push_aligned_blocks((1 << 32) - 1, 1 << 32, &mut out);
        assert_eq!(out, vec![n("255.255.255.255/32")]);
    }
}
