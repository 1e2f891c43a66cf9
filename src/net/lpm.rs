//! Longest-prefix match (R3), written once: VPC route tables, transit gateway route tables and
//! the catalog's public service prefixes all look addresses up through a [`PrefixTable`].
//!
//! Entries are kept in preference order: the longest prefix first, then the caller's rank for
//! equal prefixes (AWS's tie rules, R4 and T4, are ranks), then insertion order. A lookup walks
//! the matching entries in that order, so the first is the winner and the rest are the
//! candidates it beat, which the trace reports. A route table holds at most a few hundred
//! routes, so a linear pass is as fast as a trie there; a large table (the catalog's thousands
//! of prefixes) is bucketed by family and first octet, so a lookup reads one bucket.
//! (`prefix-trie` gives only the winner per prefix, and the trace needs every candidate in
//! order.)
//!
//! IPv4 and IPv6 prefixes may share a table but never match each other's addresses:
//! 0.0.0.0/0 does not cover an IPv6 address, nor ::/0 an IPv4 one (R3).

use ipnet::IpNet;
use std::net::IpAddr;

/// Tables with more entries than this get first-octet buckets.
const BUCKET_ABOVE: usize = 64;

/// One prefix with its tie rank and the caller's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixEntry<T> {
    /// The prefix, host bits cleared.
    pub net: IpNet,
    /// Preference among equal prefixes: lower wins.
    pub rank: u8,
    /// What the prefix leads to.
    pub value: T,
}

/// Prefixes in preference order for longest-prefix match.
#[derive(Debug, Clone)]
pub struct PrefixTable<T> {
    entries: Vec<PrefixEntry<T>>,
    /// For large tables: indices of entries /8 or longer by family and first octet (IPv4 in
    /// 0..256, IPv6 in 256..512), and of the shorter ones (which any address may match), each
    /// in preference order.
    buckets: Option<(Vec<Vec<usize>>, Vec<usize>)>,
}

impl<T> Default for PrefixTable<T> {
    fn default() -> Self {
        PrefixTable { entries: Vec::new(), buckets: None }
    }
}

/// True when `addr` is inside `net` (host bits of `net` ignored); never across families (R3).
pub fn covers(net: IpNet, addr: IpAddr) -> bool {
    match (net, addr) {
        (IpNet::V4(n), IpAddr::V4(a)) => {
            let mask = u32::from(n.netmask());
            u32::from(a) & mask == u32::from(n.network()) & mask
        }
        (IpNet::V6(n), IpAddr::V6(a)) => {
            let mask = u128::from(n.netmask());
            u128::from(a) & mask == u128::from(n.network()) & mask
        }
        _ => false,
    }
}

/// The bucket of an address: its family and first octet.
fn bucket(addr: IpAddr) -> usize {
    match addr {
        IpAddr::V4(a) => usize::from(a.octets()[0]),
        IpAddr::V6(a) => 256 + usize::from(a.octets()[0]),
    }
}

impl<T> PrefixTable<T> {
    /// A table of `(prefix, rank, value)`; the order given breaks remaining ties.
    pub fn new(items: impl IntoIterator<Item = (IpNet, u8, T)>) -> PrefixTable<T> {
        let mut entries: Vec<PrefixEntry<T>> =
            items.into_iter().map(|(net, rank, value)| PrefixEntry { net: net.trunc(), rank, value }).collect();
        // Stable: insertion order stays the last tie-break.
        entries.sort_by(|a, b| b.net.prefix_len().cmp(&a.net.prefix_len()).then(a.rank.cmp(&b.rank)));
        let buckets = (entries.len() > BUCKET_ABOVE).then(|| {
            let mut by_octet = vec![Vec::new(); 512];
            let mut wide = Vec::new();
            for (i, e) in entries.iter().enumerate() {
                if e.net.prefix_len() >= 8 {
                    by_octet[bucket(e.net.network())].push(i);
                } else {
                    wide.push(i);
                }
            }
            (by_octet, wide)
        });
        PrefixTable { entries, buckets }
    }

    /// Every entry, in preference order.
    pub fn entries(&self) -> &[PrefixEntry<T>] {
        &self.entries
    }

    /// The entry at a position of [`PrefixTable::entries`].
    pub fn entry(&self, i: usize) -> &PrefixEntry<T> {
        &self.entries[i]
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries whose prefix holds `addr`, in preference order, with their positions: the
    /// first is the longest-prefix match (R3), the rest are what it beat.
    pub fn matching(&self, addr: IpAddr) -> impl Iterator<Item = (usize, &PrefixEntry<T>)> + '_ {
        let candidates = match &self.buckets {
            // Every bucketed entry is /8 or longer and every wide one shorter, so the bucket
            // then the wide list is still preference order.
            Some((by_octet, wide)) => Candidates::Buckets(by_octet[bucket(addr)].iter().chain(wide)),
            None => Candidates::All(0..self.entries.len()),
        };
        candidates.map(move |i| (i, &self.entries[i])).filter(move |(_, e)| covers(e.net, addr))
    }

    /// The longest-prefix match for `addr`, with its position.
    pub fn longest_match(&self, addr: IpAddr) -> Option<(usize, &PrefixEntry<T>)> {
        self.matching(addr).next()
    }
}

/// The positions a lookup reads: all of a small table, or one bucket and the wide entries.
enum Candidates<'t> {
    All(std::ops::Range<usize>),
    Buckets(std::iter::Chain<std::slice::Iter<'t, usize>, std::slice::Iter<'t, usize>>),
}

impl Iterator for Candidates<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        match self {
            Candidates::All(r) => r.next(),
            Candidates::Buckets(c) => c.next().copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::net::Ipv4Addr;

    fn n(s: &str) -> IpNet {
        s.parse().expect("test literal")
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test literal")
    }

    fn table() -> PrefixTable<&'static str> {
        PrefixTable::new([
            (n("0.0.0.0/0"), 0, "igw"),
            (n("10.0.0.0/16"), 0, "local"),
            (n("10.0.1.0/24"), 1, "vgw"),
            (n("10.0.1.0/24"), 0, "nat"),
            (n("10.0.1.0/24"), 1, "vgw-2"),
            (n("192.168.0.0/16"), 0, "pcx"),
        ])
    }

    #[test]
    fn r3_most_specific_then_rank_then_order() {
        let t = table();
        let m: Vec<&str> = t.matching(ip("10.0.1.7")).map(|(_, e)| e.value).collect();
        assert_eq!(m, vec!["nat", "vgw", "vgw-2", "local", "igw"]);
        assert_eq!(t.longest_match(ip("10.0.200.1")).map(|(_, e)| e.value), Some("local"));
        assert_eq!(t.longest_match(ip("8.8.8.8")).map(|(_, e)| e.value), Some("igw"));
        let (i, _) = t.longest_match(ip("192.168.3.3")).expect("matches");
        assert_eq!(t.entry(i).value, "pcx");
    }

    #[test]
    fn no_match_and_empty_table() {
        let t = PrefixTable::new([(n("10.0.0.0/16"), 0, 1)]);
        assert!(t.longest_match(ip("11.0.0.1")).is_none());
        let empty: PrefixTable<()> = PrefixTable::new([]);
        assert!(empty.is_empty() && empty.longest_match(ip("10.0.0.1")).is_none());
    }

    #[test]
    fn edges_and_host_bits() {
        let t = PrefixTable::new([
            (n("255.255.255.255/32"), 0, "top"),
            (n("0.0.0.0/0"), 0, "all"),
            (n("10.0.0.99/24"), 0, "host-bits"),
        ]);
        assert_eq!(t.longest_match(ip("255.255.255.255")).map(|(_, e)| e.value), Some("top"));
        assert_eq!(t.longest_match(ip("0.0.0.0")).map(|(_, e)| e.value), Some("all"));
        assert_eq!(t.longest_match(ip("10.0.0.1")).map(|(_, e)| e.value), Some("host-bits"));
        assert_eq!(t.entries()[1].net, n("10.0.0.0/24"), "host bits are cleared");
    }

    #[test]
    fn r3_families_never_match_each_other() {
        let t = PrefixTable::new([
            (n("0.0.0.0/0"), 0, "v4-default"),
            (n("::/0"), 0, "v6-default"),
            (n("2600:1f18::/56"), 0, "vpc"),
        ]);
        assert_eq!(t.longest_match(ip("10.0.0.1")).map(|(_, e)| e.value), Some("v4-default"));
        let m: Vec<&str> = t.matching(ip("2600:1f18::7")).map(|(_, e)| e.value).collect();
        assert_eq!(m, vec!["vpc", "v6-default"]);
        assert!(!covers(n("0.0.0.0/0"), ip("::1")) && !covers(n("::/0"), ip("0.0.0.0")));
    }

    #[test]
    fn a_bucketed_table_answers_like_a_linear_one() {
        let mut items = Vec::new();
        for k in 0..200u32 {
            let a = Ipv4Addr::from(k.wrapping_mul(0x0101_0301).rotate_left(7));
            let len = (k % 33) as u8;
            items.push((IpNet::new(a.into(), len).expect("len ≤ 32").trunc(), (k % 3) as u8, k));
            let a6 = std::net::Ipv6Addr::from(u128::from(k).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835));
            items.push((IpNet::new(a6.into(), (k % 129) as u8).expect("len ≤ 128").trunc(), (k % 3) as u8, k + 1000));
        }
        let big = PrefixTable::new(items.clone());
        assert!(big.buckets.is_some());
        for probe in 0..2000u32 {
            let addr: IpAddr = if probe % 2 == 0 {
                Ipv4Addr::from(probe.wrapping_mul(0x9E37_79B9)).into()
            } else {
                std::net::Ipv6Addr::from(u128::from(probe).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835))
                    .into()
            };
            let want: Vec<u32> = big.entries().iter().filter(|e| covers(e.net, addr)).map(|e| e.value).collect();
            let got: Vec<u32> = big.matching(addr).map(|(_, e)| e.value).collect();
            assert_eq!(got, want, "{addr}");
        }
    }
}
