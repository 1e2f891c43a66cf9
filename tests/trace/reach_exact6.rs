//! The IPv6 matrix is exactly `trace` too: on random dual-stack designs (IPv6 blocks on some
//! VPCs, some of them overlapping; /64s on some subnets, IPv6-only ones; egress-only and
//! internet gateways routed from public and private tables; IPv6 NACL and group rules; peerings
//! carrying IPv6 on one or both sides; instances with IPv6 addresses) every cell equals tracing
//! its pair on its own, and a sample of cells equals `vpcraft trace` given the cell's ends as
//! text ([`Matrix::trace_ends`]), as the app's trace picker gives them.

use crate::reach_exact::{assert_exact, random};
use ipnet::{IpNet, Ipv6Net};
use std::net::Ipv6Addr;
use vpcraft::model::*;
use vpcraft::sim::reach::{compute, Cell, Family, ReachOptions};
use vpcraft::sim::request::TraceRequest;

/// The random IPv4 design of `reach_exact`, made dual-stack at random.
pub fn dual_stack(seed: u64) -> Design {
    let mut d = random::design(seed);
    let mut r = random::Rng(seed.rotate_left(17) | 1);
    let any6 = IpNet::V6(Ipv6Net::default());
    let mut blocks: Vec<Option<u128>> = Vec::new();
    for v in 0..d.vpcs.len() {
        // One VPC in ten reuses the first one's block (BYOIP overlap: traced pair by pair).
        let block = if r.chance(80) {
            let b = if v > 0 && r.chance(10) {
                0x2600_1f18_0000u128 << 80
            } else {
                (0x2600_1f18u128 << 96) | ((v as u128 + 1) << 72)
            };
            Some(if v == 0 { 0x2600_1f18_0000u128 << 80 } else { b })
        } else {
            None
        };
        if let Some(b) = block {
            let net = Ipv6Net::new(Ipv6Addr::from(b), 56).expect("a /56");
            d.vpcs[v].ipv6_cidr_blocks.push(Ipv6CidrBlock::amazon(net));
            let id = d.vpcs[v].id.clone();
            for t in d.route_tables.iter_mut().filter(|t| t.vpc == id) {
                t.routes.push(Route::local(net));
            }
            if r.chance(60) {
                d.egress_only_internet_gateways.push(EgressOnlyInternetGateway {
                    id: format!("eigw-{v}"),
                    name: format!("eigw{v}"),
                    vpc: id.clone(),
                });
            }
            if let Some(a) = d.network_acls.iter_mut().find(|a| a.vpc == id && a.is_default) {
                for egress in [false, true] {
                    if r.chance(85) {
                        a.entries.push(NaclEntry {
                            rule_number: 101,
                            egress,
                            action: RuleAction::Allow,
                            protocol: Protocol::All,
                            ports: PortSpec::All,
                            cidr: any6,
                        });
                    }
                }
            }
            for g in d.security_groups.iter_mut().filter(|g| g.vpc == id) {
                if r.chance(70) {
                    g.egress.push(SgRule::allow_all_to(SgPeer::any_ipv6()));
                }
                if r.chance(40) {
                    g.ingress.push(SgRule::tcp(443, SgPeer::any_ipv6()));
                }
                if r.chance(20) {
                    g.ingress.push(SgRule::tcp(22, SgPeer::Cidr(IpNet::V6(net))));
                }
            }
        }
        blocks.push(block);
    }
    // Subnets: a /64 of their VPC's block (some none, some IPv6-only).
    let vpc_of: Vec<Option<usize>> = d.subnets.iter().map(|s| d.vpcs.iter().position(|v| v.id == s.vpc)).collect();
    let busy: Vec<String> = d
        .network_interfaces
        .iter()
        .map(|e| e.subnet.clone())
        .chain(d.nat_gateways.iter().filter_map(|n| n.subnet.clone()))
        .chain(d.endpoints.iter().flat_map(|e| e.interfaces.iter().map(|i| i.subnet.clone())))
        .collect();
    for (i, s) in d.subnets.iter_mut().enumerate() {
        let Some(b) = vpc_of[i].and_then(|v| blocks[v]) else { continue };
        if !r.chance(75) {
            continue;
        }
        let k = i as u128 + 1;
        s.ipv6_cidr = Ipv6Net::new(Ipv6Addr::from(b | (k << 64)), 64).ok();
        s.assign_ipv6_address_on_creation = r.chance(50);
        s.enable_dns64 = r.chance(20);
        if r.chance(15) && !busy.contains(&s.id) {
            s.cidr = None;
            s.map_public_ip_on_launch = false;
        }
    }
    // Interfaces get an IPv6 address of their subnet sometimes.
    let v6_of: std::collections::HashMap<String, Ipv6Net> =
        d.subnets.iter().filter_map(|s| s.ipv6_cidr.map(|c| (s.id.clone(), c))).collect();
    for e in &mut d.network_interfaces {
        if let Some(c) = v6_of.get(&e.subnet) {
            if r.chance(60) {
                e.ipv6_addresses.push(Ipv6Addr::from(u128::from(c.network()) | (20 + r.below(5) as u128)));
            }
        }
    }
    // Routes: ::/0 to the internet or egress-only gateway, sometimes the wrong way round.
    for t in d.route_tables.iter_mut() {
        let Some(v) = d.vpcs.iter().position(|x| x.id == t.vpc) else { continue };
        if blocks[v].is_none() {
            continue;
        }
        let igw = d.internet_gateways.iter().find(|g| g.vpc.as_deref() == Some(t.vpc.as_str())).map(|g| g.id.clone());
        let eigw = d.egress_only_internet_gateways.iter().find(|g| g.vpc == t.vpc).map(|g| g.id.clone());
        let public = t.name.starts_with("public");
        let target = match (public, r.below(5)) {
            (_, 0) => None,
            (true, _) | (false, 1) => igw.map(RouteTarget::InternetGateway),
            (false, _) => eigw.map(RouteTarget::EgressOnlyInternetGateway),
        };
        if let Some(target) = target {
            t.routes.push(Route::to_cidr(any6, target));
        }
    }
    // Peerings carry IPv6 where a side routes the other's block to them.
    let peerings: Vec<(String, String, String)> =
        d.peerings.iter().map(|p| (p.id.clone(), p.requester_vpc.clone(), p.accepter_vpc.clone())).collect();
    for (pcx, a, b) in peerings {
        for (from, to) in [(&a, &b), (&b, &a)] {
            let Some(w) = d.vpcs.iter().position(|x| &x.id == to) else { continue };
            let Some(block) = blocks[w] else { continue };
            if !r.chance(60) {
                continue;
            }
            let net = Ipv6Net::new(Ipv6Addr::from(block), 56).expect("a /56");
            if let Some(t) = d.route_tables.iter_mut().find(|t| &t.vpc == from && t.name.starts_with("private")) {
                t.routes.push(Route::to_cidr(net, RouteTarget::VpcPeering(pcx.clone())));
            }
        }
    }
    d
}

/// Every cell of the IPv6 matrix against `trace` of its ends as text (at most `limit` cells,
/// spread over the matrix).
fn assert_trace_text(d: &Design, o: &ReachOptions, limit: usize) {
    let m = compute(d, o).unwrap_or_else(|e| panic!("{}: {e}", d.name));
    let (rows, cols, _) = m.shape();
    let step = ((rows * cols) / limit.max(1)).max(1);
    for k in (0..rows * cols).step_by(step) {
        let (r, c) = (k / cols, k % cols);
        let got: Cell = m.cell(0, r, c);
        let Some((from, to)) = m.trace_ends(r, c) else {
            assert!(
                got.is_not_applicable(),
                "{} → {}: no trace ends but {got:?}",
                m.source_ids[r],
                m.destination_ids[c]
            );
            continue;
        };
        let proto = o.protocol.to_string();
        let req = TraceRequest::parse(d, &from, &to, &proto, o.ports[0], None)
            .unwrap_or_else(|e| panic!("{from} → {to}: {e}"));
        let want = Cell::of(&vpcraft::sim::trace(d, &req));
        assert_eq!(got, want, "{} → {} (trace --from {from} --to {to})", m.source_ids[r], m.destination_ids[c]);
    }
}

#[test]
fn the_dual_stack_fixture_matches_trace_and_says_where_ipv6_does_not_apply() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/designs/valid/dual-stack.ron");
    let d = vpcraft::io::load_any_with(&path, None, &[]).expect("dual-stack fixture");
    let o = ReachOptions::defaults_for(&d, Family::Ipv6);
    assert_exact(&d, &o);
    assert_trace_text(&d, &o, 100);
    // A subnet without an IPv6 block stays in the matrix, as not applicable.
    let mut e = d.clone();
    e.subnets[0].ipv6_cidr = None;
    let o = ReachOptions::defaults_for(&e, Family::Ipv6);
    let m = compute(&e, &o).expect("matrix");
    assert_eq!(m.shape().0, d.subnets.len(), "no row is left out");
    let cell = m.cell(0, 0, 1);
    assert!(cell.is_not_applicable(), "{cell:?}");
    assert_eq!(cell.at.as_ref().map(|a| a.id.as_str()), Some(e.subnets[0].id.as_str()));
    assert!(m.cell(0, 1, 0).is_not_applicable());
    assert!(!m.cell(0, 1, 1).is_not_applicable());
    assert_eq!(m.not_applicable(), m.shape().1 + m.shape().0 - 1);
    assert_exact(&e, &o);
}

#[test]
fn the_generated_dual_stack_design_matches_trace_cell_by_cell() {
    let d = vpcraft::model::gen::generate_dual_stack(8, 3);
    let o = ReachOptions { ports: vec![Some(443), Some(22)], ..ReachOptions::defaults_for(&d, Family::Ipv6) };
    assert_exact(&d, &o);
    let m = compute(&d, &o).expect("matrix");
    // Far fewer traces than cells: classes and the internet join carry over to IPv6.
    let (rows, cols, _) = m.shape();
    assert!(m.traced < rows * cols, "{} traces for {} cells", m.traced, rows * cols);
    assert_trace_text(&d, &ReachOptions { ports: vec![Some(443)], ..o }, 60);
}

mod props {
    use super::{assert_trace_text, dual_stack};
    use crate::reach_exact::assert_exact;
    use proptest::prelude::*;
    use vpcraft::model::Protocol;
    use vpcraft::sim::reach::{Family, ReachOptions};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

        /// "Reach cells equal trace verdicts and codes", over random dual-stack designs: the
        /// IPv6 matrix cell by cell, the IPv4 one of the same design, and `trace` of the ends.
        #[test]
        fn random_dual_stack_designs_match_trace_cell_by_cell(seed in any::<u64>(), port in prop::sample::select(vec![443u16, 22, 8080]), proto in 0usize..4) {
            let d = dual_stack(seed);
            let (protocol, ports) = match proto {
                0 | 1 => (Protocol::Tcp, vec![Some(port)]),
                2 => (Protocol::Udp, vec![Some(port)]),
                _ => (Protocol::Icmp, vec![None]),
            };
            let o = ReachOptions { protocol, ports: ports.clone(), ..ReachOptions::defaults_for(&d, Family::Ipv6) };
            assert_exact(&d, &o);
            assert_trace_text(&d, &o, 25);
            let o4 = ReachOptions { protocol, ports, ..ReachOptions::defaults(&d) };
            assert_exact(&d, &o4);
        }
    }
}
