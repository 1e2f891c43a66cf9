//! Property tests for the `net` planner: split/join, free ∪ used, no overlaps, first fit, A6.

use ipnet::{IpNet, Ipv4Net};
use proptest::prelude::*;
use std::collections::HashSet;
use std::net::Ipv4Addr;
use vpcraft::net::{join, parse_cidr, split, subnet_addresses, usable_count, AddressPlan, PrefixTable};

fn block(start: u64, prefix: u8) -> Ipv4Net {
    Ipv4Net::new(Ipv4Addr::from(start as u32), prefix).expect("prefix ≤ 32").trunc()
}

fn start(n: Ipv4Net) -> u64 {
    u64::from(u32::from(n.network()))
}

fn size(n: Ipv4Net) -> u64 {
    1u64 << (32 - u32::from(n.prefix_len()))
}

fn end(n: Ipv4Net) -> u64 {
    start(n) + size(n)
}

fn overlaps(a: Ipv4Net, b: Ipv4Net) -> bool {
    start(a) < end(b) && start(b) < end(a)
}

fn assert_disjoint(blocks: &[Ipv4Net]) -> Result<(), TestCaseError> {
    let mut sorted = blocks.to_vec();
    sorted.sort_by_key(|b| (start(*b), b.prefix_len()));
    for w in sorted.windows(2) {
        prop_assert!(!overlaps(w[0], w[1]), "{} overlaps {}", w[0], w[1]);
    }
    Ok(())
}

fn arb_block(min_prefix: u8, max_prefix: u8) -> impl Strategy<Value = Ipv4Net> {
    (any::<u32>(), min_prefix..=max_prefix).prop_map(|(a, p)| block(u64::from(a), p))
}

/// Up to three disjoint VPC CIDRs, primary first.
fn arb_vpc(min_prefix: u8, max_prefix: u8) -> impl Strategy<Value = Vec<Ipv4Net>> {
    prop::collection::vec(arb_block(min_prefix, max_prefix), 1..=3).prop_map(|cands| {
        let mut kept: Vec<Ipv4Net> = Vec::new();
        for c in cands {
            if kept.iter().all(|k| !overlaps(*k, c)) {
                kept.push(c);
            }
        }
        kept
    })
}

/// A VPC plus candidate subnets placed inside it (some will collide and be skipped).
fn arb_plan(min_vpc: u8, max_vpc: u8, max_extra: u8) -> impl Strategy<Value = (Vec<Ipv4Net>, Vec<Ipv4Net>)> {
    arb_vpc(min_vpc, max_vpc).prop_flat_map(move |vpc| {
        let n = vpc.len();
        let cands = prop::collection::vec((0..n, any::<u32>(), 0..=max_extra), 0..40);
        (Just(vpc), cands).prop_map(|(vpc, cands)| {
            let subnets = cands
                .into_iter()
                .map(|(i, off, extra)| {
                    let v = vpc[i];
                    let p = (v.prefix_len() + extra).min(32);
                    let offset = u64::from(off) % size(v);
                    block(start(v) + offset, p)
                })
                .collect();
            (vpc, subnets)
        })
    })
}

/// Allocates what fits, skipping candidates that collide.
fn allocate_all(vpc: &[Ipv4Net], cands: &[Ipv4Net]) -> AddressPlan {
    let mut plan = AddressPlan::new(vpc, &[]).expect("disjoint VPC CIDRs");
    for c in cands {
        let _ = plan.allocate(*c);
    }
    plan
}

proptest! {
    #[test]
    fn split_then_join_is_the_identity(
        (b, bits) in arb_block(0, 32).prop_flat_map(|b| {
            let max = (32 - b.prefix_len()).min(8);
            (Just(b), 0..=max)
        })
    ) {
        let parts = split(b, bits).expect("within limits");
        prop_assert_eq!(parts.len() as u64, 1u64 << bits);
        prop_assert_eq!(parts.iter().map(|p| size(*p)).sum::<u64>(), size(b));
        assert_disjoint(&parts)?;
        prop_assert_eq!(join(&parts), Ok(b));
    }

    #[test]
    fn free_and_used_tile_the_vpc_exactly((vpc, cands) in arb_plan(8, 28, 12)) {
        let plan = allocate_all(&vpc, &cands);
        let used = plan.used_blocks();
        let free = plan.free_blocks();
        let total: u64 = vpc.iter().map(|v| size(*v)).sum();
        let covered: u64 = used.iter().chain(free).map(|b| size(*b)).sum();
        prop_assert_eq!(covered, total);
        let all: Vec<Ipv4Net> = used.iter().chain(free).copied().collect();
        assert_disjoint(&all)?;
        for b in &all {
            prop_assert!(vpc.iter().any(|v| start(*v) <= start(*b) && end(*b) <= end(*v)),
                "{} is outside the VPC", b);
        }
        // free blocks are sorted and maximal: no two free siblings inside one VPC CIDR
        prop_assert!(free.windows(2).all(|w| start(w[0]) < start(w[1])));
        let free_set: HashSet<Ipv4Net> = free.iter().copied().collect();
        for f in free {
            if vpc.contains(f) {
                continue;
            }
            let sibling = block(start(*f) ^ size(*f), f.prefix_len());
            prop_assert!(!free_set.contains(&sibling), "{} and {} should be one block", f, sibling);
        }
        // building from scratch gives the same free map as allocating one by one
        let mut shuffled = used.to_vec();
        shuffled.reverse();
        let rebuilt = AddressPlan::new(&vpc, &shuffled).expect("valid");
        prop_assert_eq!(rebuilt.free_blocks(), free);
    }

    #[test]
    fn release_restores_free_space((vpc, cands) in arb_plan(12, 28, 8)) {
        let mut plan = allocate_all(&vpc, &cands);
        let used = plan.used_blocks().to_vec();
        for u in &used {
            prop_assert_eq!(plan.release(*u), Ok(()));
        }
        let fresh = AddressPlan::new(&vpc, &[]).expect("valid");
        prop_assert_eq!(plan.free_blocks(), fresh.free_blocks());
    }

    #[test]
    fn next_free_is_the_lowest_free_aligned_block(
        (vpc, cands) in arb_plan(20, 26, 8),
        queries in prop::collection::vec(0u8..=8, 1..20),
    ) {
        let mut plan = allocate_all(&vpc, &cands);
        let mut sorted_vpc = vpc.clone();
        sorted_vpc.sort_by_key(|v| start(*v));
        let mut results = Vec::new();
        for extra in queries {
            let p = (20 + extra).min(28);
            // brute-force oracle: scan every aligned /p block of each VPC CIDR in address order
            let expected = sorted_vpc.iter().find_map(|v| {
                if p < v.prefix_len() {
                    return None;
                }
                (0..size(*v) / (1u64 << (32 - u32::from(p))))
                    .map(|i| block(start(*v) + i * (1u64 << (32 - u32::from(p))), p))
                    .find(|c| plan.used_blocks().iter().all(|u| !overlaps(*u, *c)))
            });
            match (plan.next_free_block(p), expected) {
                (Ok(got), Some(want)) => {
                    prop_assert_eq!(got, want);
                    prop_assert_eq!(plan.allocate(got), Ok(got));
                    results.push(got);
                }
                (Err(_), None) => {}
                (got, want) => prop_assert!(false, "next_free_block({}) = {:?}, oracle {:?}", p, got, want),
            }
        }
        assert_disjoint(plan.used_blocks())?;
        assert_disjoint(&results)?;
    }

    #[test]
    fn layout_subnets_never_overlap(
        (vpc, cands) in arb_plan(16, 20, 6),
        tiers in 1usize..4,
        azs in 1usize..7,
        size_extra in 0u8..=8,
    ) {
        let plan = allocate_all(&vpc, &cands);
        let tier_names: Vec<String> = (0..tiers).map(|i| format!("t{i}")).collect();
        let az_names: Vec<String> = (0..azs).map(|i| format!("az{i}")).collect();
        let sz = 20 + size_extra;
        if let Ok(rows) = plan.layout(&tier_names, &az_names, sz) {
            prop_assert_eq!(rows.len(), tiers * azs);
            let mut all: Vec<Ipv4Net> = rows.iter().map(|r| r.cidr).collect();
            all.extend_from_slice(plan.used_blocks());
            assert_disjoint(&all)?;
            for r in &rows {
                prop_assert_eq!(r.cidr.prefix_len(), sz);
                prop_assert!(vpc.iter().any(|v| start(*v) <= start(r.cidr) && end(r.cidr) <= end(*v)));
                prop_assert_eq!(r.usable, usable_count(sz));
            }
            // each tier's subnets are contiguous, starting on a tier-aligned boundary
            let tier_size = size(block(0, sz)) * (azs.next_power_of_two() as u64);
            for chunk in rows.chunks(azs) {
                let base = start(chunk[0].cidr);
                prop_assert_eq!(base % tier_size, 0);
                for (j, r) in chunk.iter().enumerate() {
                    prop_assert_eq!(start(r.cidr), base + (j as u64) * size(r.cidr));
                }
            }
        }
    }

    #[test]
    fn a6_usable_count_and_reserved_addresses(addr in any::<u32>(), n in 16u8..=28) {
        let expected = (1u64 << (32 - u32::from(n))) - 5;
        prop_assert_eq!(usable_count(n), expected);
        let subnet = block(u64::from(addr), n);
        let a = subnet_addresses(subnet, subnet).expect("valid subnet size");
        prop_assert_eq!(a.usable, expected);
        prop_assert_eq!(
            u64::from(u32::from(a.last_usable)) - u64::from(u32::from(a.first_usable)) + 1,
            expected
        );
        let reserved: HashSet<Ipv4Addr> = a.reserved.iter().map(|r| r.addr).collect();
        prop_assert_eq!(reserved.len(), 5);
        prop_assert!(a.reserved.iter().all(|r| subnet.contains(&r.addr)));
        prop_assert!(!reserved.contains(&a.first_usable) && !reserved.contains(&a.last_usable));
    }

    #[test]
    fn parsing_never_panics(s in "\\PC{0,24}") {
        let _ = parse_cidr(&s);
    }

    #[test]
    fn parsing_round_trips(b in arb_block(0, 32)) {
        let parsed = parse_cidr(&b.to_string()).expect("display form parses");
        prop_assert_eq!(parsed.cidr, b);
        prop_assert!(!parsed.was_canonicalised());
    }

    #[test]
    fn lpm_picks_the_longest_matching_prefix(
        routes in prop::collection::vec(arb_block(0, 32), 0..30),
        dst in any::<u32>(),
    ) {
        let dst = Ipv4Addr::from(dst);
        let table = PrefixTable::new(routes.iter().enumerate().map(|(i, n)| (IpNet::V4(*n), (i % 3) as u8, i)));
        let matching: Vec<(Ipv4Net, usize)> =
            routes.iter().copied().enumerate().filter(|(_, n)| n.contains(&dst)).map(|(i, n)| (n, i)).collect();
        match table.longest_match(dst.into()) {
            None => prop_assert!(matching.is_empty()),
            Some((_, m)) => {
                let best = matching.iter().map(|(n, _)| n.prefix_len()).max();
                prop_assert_eq!(Some(m.net.prefix_len()), best);
                prop_assert_eq!(table.matching(dst.into()).count(), matching.len());
                // Among equal prefixes the lowest rank wins, then the earliest.
                let tied = matching.iter().filter(|(n, _)| n.prefix_len() == m.net.prefix_len());
                let want = tied.min_by_key(|(_, i)| ((i % 3), *i)).map(|(_, i)| *i);
                prop_assert_eq!(Some(m.value), want);
            }
        }
    }

    #[test]
    fn planner_never_panics_on_arbitrary_blocks(
        vpc in prop::collection::vec(arb_block(0, 32), 0..4),
        subnets in prop::collection::vec(arb_block(0, 32), 0..12),
        prefix in any::<u8>(),
        bits in any::<u8>(),
        azs in 0usize..6,
    ) {
        let _ = vpcraft::net::free_blocks(&vpc, &subnets);
        let _ = vpcraft::net::check_no_overlap(&subnets);
        let _ = join(&subnets);
        if let Some(b) = subnets.first() {
            let _ = split(*b, bits.min(10));
            let _ = split(*b, bits);
            let _ = vpcraft::net::check_subnet_cidr(&vpc, &subnets, *b);
            let _ = vpcraft::net::check_secondary_cidr(&vpc, *b);
        }
        if let Ok(mut plan) = AddressPlan::new(&vpc, &[]) {
            for s in &subnets {
                let _ = plan.allocate(*s);
                let _ = plan.check_resize(*s, prefix);
            }
            let _ = plan.next_free_block(prefix);
            let _ = plan.allocate_next(prefix);
            let _ = plan.largest_free_block();
            let az_names: Vec<String> = (0..azs).map(|i| i.to_string()).collect();
            let _ = plan.layout(&["t"], &az_names, prefix);
            if let Some(s) = subnets.first() {
                let _ = plan.release(*s);
            }
            let t = plan.address_totals();
            prop_assert_eq!(t.used + t.free, t.total);
        }
    }
}
