//! Longest-prefix match over a route list (R3), reporting the routes the winner beat.
//!
//! A route table holds at most a few hundred routes (quota 50 by default, 1,000 at most), so a
//! single linear pass with no allocation is simpler and as fast as a trie here. The beaten
//! candidates are produced lazily for the UI's "routes it beat" list.

use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// The result of [`longest_prefix_match`]: the winning route, plus the other routes that matched.
#[derive(Debug)]
pub struct LpmMatch<'a, T> {
    routes: &'a [(Ipv4Net, T)],
    destination: Ipv4Addr,
    winner: usize,
}

// Manual impls: the match only holds references, so it is Copy whatever `T` is.
impl<T> Clone for LpmMatch<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for LpmMatch<'_, T> {}

impl<'a, T> LpmMatch<'a, T> {
    /// The winning route: the longest matching prefix; the earliest in the list on a tie.
    pub fn winner(&self) -> &'a (Ipv4Net, T) {
        &self.routes[self.winner]
    }

    /// Position of the winner in the route list.
    pub fn winner_index(&self) -> usize {
        self.winner
    }

    /// The destination that was looked up.
    pub fn destination(&self) -> Ipv4Addr {
        self.destination
    }

    /// Every other route whose prefix also contains the destination, in list order.
    pub fn beaten(&self) -> impl Iterator<Item = &'a (Ipv4Net, T)> + 'a {
        let (routes, winner, dst) = (self.routes, self.winner, self.destination);
        routes
            .iter()
            .enumerate()
            .filter(move |(i, (net, _))| *i != winner && matches(*net, dst))
            .map(|(_, route)| route)
    }

    /// The beaten routes with exactly the winner's prefix length. R4's tie rules (static over
    /// propagated, local over VPN, …) are for the caller to apply to the winner and these.
    pub fn tied(&self) -> impl Iterator<Item = &'a (Ipv4Net, T)> + 'a {
        let len = self.winner().0.prefix_len();
        self.beaten().filter(move |(net, _)| net.prefix_len() == len)
    }
}

/// Finds the route whose prefix contains `destination` with the longest prefix length (R3).
///
/// Host bits in the route prefixes are ignored. Returns `None` when nothing matches (not even a
/// 0.0.0.0/0 route). On equal prefix lengths the earliest route wins; see [`LpmMatch::tied`].
pub fn longest_prefix_match<T>(routes: &[(Ipv4Net, T)], destination: Ipv4Addr) -> Option<LpmMatch<'_, T>> {
    let mut best: Option<(usize, u8)> = None;
    for (i, (net, _)) in routes.iter().enumerate() {
        let longer = match best {
            None => true,
            Some((_, len)) => net.prefix_len() > len,
        };
        if longer && matches(*net, destination) {
            best = Some((i, net.prefix_len()));
        }
    }
    best.map(|(winner, _)| LpmMatch { routes, destination, winner })
}

/// True when `addr` is inside `net`, host bits of `net` ignored.
fn matches(net: Ipv4Net, addr: Ipv4Addr) -> bool {
    let mask = u32::from(net.netmask());
    u32::from(addr) & mask == u32::from(net.network())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Ipv4Net {
        s.parse().expect("test literal")
    }

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().expect("test literal")
    }

    fn table() -> Vec<(Ipv4Net, &'static str)> {
        vec![
            (n("0.0.0.0/0"), "igw"),
            (n("10.0.0.0/16"), "local"),
            (n("10.0.1.0/24"), "nat"),
            (n("10.0.1.0/24"), "vgw"),
            (n("192.168.0.0/16"), "pcx"),
        ]
    }

    #[test]
    fn r3_most_specific_route_wins() {
        let t = table();
        let m = longest_prefix_match(&t, ip("10.0.1.7")).expect("matches");
        assert_eq!(m.winner(), &(n("10.0.1.0/24"), "nat"));
        assert_eq!(m.winner_index(), 2);
        assert_eq!(m.destination(), ip("10.0.1.7"));
        let beaten: Vec<&str> = m.beaten().map(|(_, t)| *t).collect();
        assert_eq!(beaten, vec!["igw", "local", "vgw"]);
        let tied: Vec<&str> = m.tied().map(|(_, t)| *t).collect();
        assert_eq!(tied, vec!["vgw"]);
    }

    #[test]
    fn r3_default_route_catches_the_rest() {
        let t = table();
        let m = longest_prefix_match(&t, ip("8.8.8.8")).expect("matches");
        assert_eq!(m.winner().1, "igw");
        assert_eq!(m.beaten().count(), 0);
        let m = longest_prefix_match(&t, ip("10.0.200.1")).expect("matches");
        assert_eq!(m.winner().1, "local");
        assert_eq!(m.beaten().map(|(_, t)| *t).collect::<Vec<_>>(), vec!["igw"]);
    }

    #[test]
    fn no_match_and_empty_table() {
        let t = vec![(n("10.0.0.0/16"), 1)];
        assert!(longest_prefix_match(&t, ip("11.0.0.1")).is_none());
        let empty: Vec<(Ipv4Net, ())> = Vec::new();
        assert!(longest_prefix_match(&empty, ip("10.0.0.1")).is_none());
    }

    #[test]
    fn edges_and_host_bits() {
        let t = vec![(n("255.255.255.255/32"), "top"), (n("0.0.0.0/0"), "all"), (n("10.0.0.99/24"), "host-bits")];
        let m = longest_prefix_match(&t, ip("255.255.255.255")).expect("matches");
        assert_eq!(m.winner().1, "top");
        let m = longest_prefix_match(&t, ip("0.0.0.0")).expect("matches");
        assert_eq!(m.winner().1, "all");
        let m = longest_prefix_match(&t, ip("10.0.0.1")).expect("matches");
        assert_eq!(m.winner().1, "host-bits");
    }
}
