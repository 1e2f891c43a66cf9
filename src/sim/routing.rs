//! Route tables compiled for lookup: longest-prefix match (R3) with AWS's tie rules (R4).

use crate::model::{Route, RouteDestination, RouteOrigin, RouteState};
use crate::net::{PrefixEntry, PrefixTable};
use ipnet::IpNet;
use std::net::IpAddr;

/// Preference among routes of equal prefix length (R4): lower wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Rank {
    Local = 0,
    /// A static route to a CIDR (R4a, R4c).
    StaticCidr = 1,
    /// A route to a prefix list (gateway endpoint or customer list) (R4c, R4d).
    PrefixList = 2,
    /// Propagated from a VGW (R4a, R4d).
    Propagated = 3,
}

/// One CIDR a route covers (a prefix-list route covers several): which route, and its R4 rank.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RouteRef {
    /// Index into [`CompiledTable::routes`].
    pub route: usize,
    pub rank: Rank,
}

/// A route table's effective routes (static plus propagated, T6), in a prefix table for
/// longest-prefix match (R3) with the R4 ranks as tie-breaks.
#[derive(Debug, Clone, Default)]
pub(crate) struct CompiledTable {
    pub routes: Vec<Route>,
    pub table: PrefixTable<RouteRef>,
}

/// Why a matching route lost to the winner (R3, R4). Its text is what trace steps and the
/// route pane say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LostBecause {
    /// Its target is the forwarder the packet comes from (N3).
    PointsBack,
    /// R4b.
    LocalOverPropagated,
    /// R3: a longer prefix matched.
    LessSpecific,
    /// The local route matched the same prefix.
    LocalWins,
    /// R4c.
    CidrOverPrefixList,
    /// R4a.
    StaticOverPropagated,
    /// R4d.
    PrefixListOverPropagated,
    /// R4e.
    OverlappingPrefixLists,
    /// Same prefix, same kind: the first one wins.
    Duplicate,
}

impl LostBecause {
    /// Every reason, as listed.
    pub const ALL: [LostBecause; 9] = [
        LostBecause::PointsBack,
        LostBecause::LocalOverPropagated,
        LostBecause::LessSpecific,
        LostBecause::LocalWins,
        LostBecause::CidrOverPrefixList,
        LostBecause::StaticOverPropagated,
        LostBecause::PrefixListOverPropagated,
        LostBecause::OverlappingPrefixLists,
        LostBecause::Duplicate,
    ];

    pub fn text(self) -> &'static str {
        match self {
            LostBecause::PointsBack => "points back at the forwarder itself",
            LostBecause::LocalOverPropagated => "local wins over a propagated route, even a more specific one (R4b)",
            LostBecause::LessSpecific => "less specific",
            LostBecause::LocalWins => "the local route wins",
            LostBecause::CidrOverPrefixList => "a CIDR route wins over a prefix-list route (R4c)",
            LostBecause::StaticOverPropagated => "a static route wins over a propagated one (R4a)",
            LostBecause::PrefixListOverPropagated => "a prefix-list route wins over a propagated one (R4d)",
            LostBecause::OverlappingPrefixLists => "overlapping prefix lists: AWS picks one and keeps it (R4e)",
            LostBecause::Duplicate => "a duplicate route; the first one wins",
        }
    }
}

/// Why a transit gateway route lost to another for the same prefix (T4).
pub const TGW_LOWER_PREFERENCE: &str = "lower preference for the same prefix (T4)";

impl std::fmt::Display for LostBecause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

/// The result of a lookup: positions in the table's entries.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lookup {
    /// The winning entry.
    pub winner: Option<usize>,
    /// Other matching entries and why they lost.
    pub beaten: Vec<(usize, LostBecause)>,
}

impl CompiledTable {
    /// Compile a table's routes; `pl_cidrs` expands a prefix-list id (G1, G3).
    pub fn new(routes: Vec<Route>, pl_cidrs: impl Fn(&str) -> Vec<IpNet>) -> CompiledTable {
        let mut items = Vec::new();
        for (i, r) in routes.iter().enumerate() {
            match &r.destination {
                RouteDestination::Cidr(net) => {
                    // A route to `local` is the local route whatever origin a file gave it.
                    let rank = match r.origin {
                        _ if r.is_local() => Rank::Local,
                        RouteOrigin::Local => Rank::Local,
                        RouteOrigin::Propagated => Rank::Propagated,
                        RouteOrigin::Static | RouteOrigin::EndpointManaged => Rank::StaticCidr,
                    };
                    items.push((*net, rank as u8, RouteRef { route: i, rank }));
                }
                RouteDestination::PrefixList(pl) => {
                    for net in pl_cidrs(pl) {
                        items.push((net, Rank::PrefixList as u8, RouteRef { route: i, rank: Rank::PrefixList }));
                    }
                }
            }
        }
        CompiledTable { routes, table: PrefixTable::new(items) }
    }

    /// The prefix, route and rank of an entry.
    pub fn entry(&self, entry: usize) -> (IpNet, RouteRef) {
        let e = self.table.entry(entry);
        (e.net, e.value)
    }

    /// The route of an entry.
    pub fn route(&self, entry: usize) -> &Route {
        &self.routes[self.table.entry(entry).value.route]
    }

    /// Longest-prefix match for `dst` (R3) with the tie rules of R4. Routes whose target id is
    /// one of `exclude` (empty strings ignored) are skipped, since a forwarder cannot send a
    /// packet back to itself, and reported as beaten.
    /// IPv4 and IPv6 are independent: 0.0.0.0/0 never matches an IPv6 address, nor ::/0 an
    /// IPv4 one (R3).
    pub fn lookup(&self, dst: IpAddr, exclude: &[&str]) -> Lookup {
        let mut out = Lookup::default();
        let matches: Vec<(usize, &PrefixEntry<RouteRef>)> = self.table.matching(dst).collect();
        // R4b: a propagated route never beats the local route, even when more specific.
        let local_covers = matches.iter().any(|(_, e)| e.value.rank == Rank::Local);
        for (i, e) in matches {
            let route = &self.routes[e.value.route];
            if route.target.id().is_some_and(|t| exclude.iter().any(|x| !x.is_empty() && *x == t)) {
                out.beaten.push((i, LostBecause::PointsBack));
                continue;
            }
            if local_covers && e.value.rank == Rank::Propagated {
                out.beaten.push((i, LostBecause::LocalOverPropagated));
                continue;
            }
            match out.winner {
                None => out.winner = Some(i),
                Some(w) => out.beaten.push((i, beat_reason(self.table.entry(w), e))),
            }
        }
        out
    }

    /// A route entry as a trace quotes it: `0.0.0.0/0 → igw-0001`, `pl-78a54011
    /// (52.219.56.0/22) → vpce-1`, propagated (T6) or a blackhole (R6).
    pub fn quoted(&self, entry: usize) -> crate::sim::explain::RouteEntry {
        let (net, rr) = self.entry(entry);
        let r = &self.routes[rr.route];
        let (prefix_list, cidr) = match &r.destination {
            RouteDestination::Cidr(c) => (None, *c),
            RouteDestination::PrefixList(pl) => (Some(pl.clone()), net),
        };
        crate::sim::explain::RouteEntry {
            prefix_list,
            cidr,
            target: r.target.clone(),
            propagated: r.origin == RouteOrigin::Propagated,
            blackhole: r.state == RouteState::Blackhole,
        }
    }
}

/// What a route table does with one address, by route: the winner and the routes it beat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteLookup {
    /// The winning route (index into the table's effective routes, `Design::effective_routes`)
    /// and the prefix that matched.
    pub winner: Option<(usize, IpNet)>,
    /// Every other matching route once, with the prefix that matched and why it lost.
    pub beaten: Vec<(usize, IpNet, LostBecause)>,
}

/// Longest-prefix match (R3) with AWS's tie rules (R4) for `address` in route table `rtb`,
/// exactly as the trace engine decides it; `None` when the design has no such table. An
/// address matches routes of its own family only (R3).
pub fn route_lookup(d: &crate::model::Design, rtb: &str, address: IpAddr) -> Option<RouteLookup> {
    let rt = d.route_table(rtb)?;
    let cat = crate::model::ServiceCatalog::builtin();
    let table = CompiledTable::new(d.effective_routes(rt), |pl| d.prefix_list_cidrs(pl, cat));
    let found = table.lookup(address, &[]);
    let route_of = |e: usize| {
        let (net, r) = table.entry(e);
        (r.route, net)
    };
    let winner = found.winner.map(route_of);
    let mut beaten: Vec<(usize, IpNet, LostBecause)> = Vec::new();
    for (e, why) in found.beaten {
        let (r, net) = route_of(e);
        if winner.is_some_and(|(w, _)| w == r) || beaten.iter().any(|(b, _, _)| *b == r) {
            continue;
        }
        beaten.push((r, net, why));
    }
    Some(RouteLookup { winner, beaten })
}

fn beat_reason(winner: &PrefixEntry<RouteRef>, loser: &PrefixEntry<RouteRef>) -> LostBecause {
    if loser.net.prefix_len() < winner.net.prefix_len() {
        return LostBecause::LessSpecific;
    }
    match (winner.value.rank, loser.value.rank) {
        (Rank::Local, _) => LostBecause::LocalWins,
        (Rank::StaticCidr, Rank::PrefixList) => LostBecause::CidrOverPrefixList,
        (Rank::StaticCidr, Rank::Propagated) => LostBecause::StaticOverPropagated,
        (Rank::PrefixList, Rank::Propagated) => LostBecause::PrefixListOverPropagated,
        (Rank::PrefixList, Rank::PrefixList) => LostBecause::OverlappingPrefixLists,
        _ => LostBecause::Duplicate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RouteTarget;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    fn propagated(cidr: &str) -> Route {
        let mut r = Route::to_cidr(net(cidr), RouteTarget::VpnGateway("vgw-1".into()));
        r.origin = RouteOrigin::Propagated;
        r
    }

    #[test]
    fn r3_longest_prefix_wins() {
        let t = CompiledTable::new(
            vec![
                Route::local(net("10.0.0.0/16")),
                Route::to_cidr(net("0.0.0.0/0"), RouteTarget::InternetGateway("igw-1".into())),
                Route::to_cidr(net("60.1.0.0/16"), RouteTarget::NatGateway("nat-1".into())),
            ],
            |_| vec![],
        );
        let l = t.lookup("60.1.1.1".parse().unwrap(), &[]);
        assert_eq!(t.route(l.winner.unwrap()).target, RouteTarget::NatGateway("nat-1".into()));
        assert_eq!(l.beaten.len(), 1);
        assert_eq!(l.beaten[0].1, LostBecause::LessSpecific);
    }

    #[test]
    fn r4a_static_beats_propagated_and_r4b_local_beats_more_specific_propagated() {
        let t = CompiledTable::new(
            vec![
                Route::local(net("10.0.0.0/16")),
                propagated("10.0.5.0/24"),
                propagated("192.168.0.0/16"),
                Route::to_cidr(net("192.168.0.0/16"), RouteTarget::TransitGateway("tgw-1".into())),
            ],
            |_| vec![],
        );
        let l = t.lookup("10.0.5.9".parse().unwrap(), &[]);
        assert!(t.route(l.winner.unwrap()).is_local(), "R4b");
        let l = t.lookup("192.168.1.1".parse().unwrap(), &[]);
        assert_eq!(t.route(l.winner.unwrap()).target.kind(), "tgw", "R4a");
    }

    #[test]
    fn r4b_holds_for_a_local_route_written_without_its_origin() {
        let mut local = Route::local(net("10.0.0.0/16"));
        local.origin = RouteOrigin::Static;
        let t = CompiledTable::new(vec![local, propagated("10.0.5.0/24")], |_| vec![]);
        let l = t.lookup("10.0.5.9".parse().unwrap(), &[]);
        assert!(t.route(l.winner.unwrap()).is_local(), "R4b");
    }

    #[test]
    fn r4c_cidr_beats_prefix_list_and_r4d_prefix_list_beats_propagated() {
        let routes = vec![
            Route::gateway_endpoint("pl-1", "vpce-1"),
            propagated("52.219.56.0/22"),
            Route::to_cidr(net("52.219.56.0/22"), RouteTarget::NatGateway("nat-1".into())),
        ];
        let t = CompiledTable::new(routes.clone(), |_| vec![net("52.219.56.0/22")]);
        let l = t.lookup("52.219.56.10".parse().unwrap(), &[]);
        assert_eq!(t.route(l.winner.unwrap()).target.kind(), "nat", "R4c");
        let t = CompiledTable::new(routes[..2].to_vec(), |_| vec![net("52.219.56.0/22")]);
        let l = t.lookup("52.219.56.10".parse().unwrap(), &[]);
        assert_eq!(t.route(l.winner.unwrap()).target.kind(), "vpce", "R4d");
    }
}
