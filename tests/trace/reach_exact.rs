//! The reachability matrix is exactly `trace`, cell by cell: on the built-in examples, the
//! CloudFormation templates of `../shared/data/cfn` and random designs, the fast matrix equals
//! tracing every pair on its own (verdict, code and the component that decided).

use vpcraft::model::{Design, Protocol};
use vpcraft::sim::reach::{brute_force, compute, Cell, ReachOptions};

/// Compare the matrix with one trace per cell; panic with the first cells that differ.
pub fn assert_exact(d: &Design, o: &ReachOptions) {
    let m = compute(d, o).unwrap_or_else(|e| panic!("{}: {e}", d.name));
    let brute = brute_force(d, o).unwrap_or_else(|e| panic!("{}: {e}", d.name));
    let mut bad = Vec::new();
    for (p, grid) in brute.iter().enumerate() {
        for (r, row) in grid.iter().enumerate() {
            for (c, want) in row.iter().enumerate() {
                let got: Cell = m.cell(p, r, c);
                if &got != want {
                    bad.push(format!(
                        "{} port {:?}: {} → {}: matrix {:?} / trace {:?}",
                        d.name, o.ports[p], m.source_ids[r], m.destination_ids[c], got, want
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} cells differ:\n{}",
        bad.len(),
        bad.iter().take(8).cloned().collect::<Vec<_>>().join("\n")
    );
}

fn options(d: &Design, protocol: Protocol, ports: &[Option<u16>]) -> ReachOptions {
    ReachOptions { protocol, ports: ports.to_vec(), ..ReachOptions::defaults(d) }
}

#[test]
fn built_in_examples_match_trace_cell_by_cell() {
    for name in vpcraft::assets::example_names() {
        let d = vpcraft::assets::example(name).expect("example loads");
        assert_exact(&d, &options(&d, Protocol::Tcp, &[Some(443), Some(22)]));
        assert_exact(&d, &options(&d, Protocol::Icmp, &[None]));
    }
}

/// The CloudFormation templates of `../shared/data/cfn`, imported with their parameters.
fn templates() -> Vec<Design> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/cfn");
    let Ok(text) = std::fs::read_to_string(dir.join("params.json")) else {
        crate::common::skip_unless_ci("../shared/data/cfn is missing");
        return Vec::new();
    };
    let all: serde_json::Value = serde_json::from_str(&text).expect("params.json is JSON");
    let mut out = Vec::new();
    for (name, entry) in all["templates"].as_object().into_iter().flatten() {
        let region = entry["region"].as_str().unwrap_or("us-east-1");
        let params: Vec<(String, String)> = entry["params"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        let d = vpcraft::io::load_any_with(&dir.join(name), Some(region), &params)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        out.push(d);
    }
    out
}

#[test]
fn templates_match_trace_cell_by_cell() {
    for d in templates() {
        assert_exact(&d, &options(&d, Protocol::Tcp, &[Some(443), Some(22)]));
    }
}

/// Random designs with the structure the matrix exploits and the things that break it:
/// overlapping VPCs, peerings in several states, a transit gateway, NAT gateways, gateway and
/// interface endpoints, custom NACLs with uneven ephemeral ranges, group references,
/// auto-assigned public addresses and instances in the subnets.
pub mod random {
    use ipnet::Ipv4Net;
    use std::net::Ipv4Addr;
    use vpcraft::model::builder::DesignBuilder;
    use vpcraft::model::*;

    pub struct Rng(pub u64);

    impl Rng {
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        pub fn below(&mut self, n: usize) -> usize {
            if n == 0 {
                0
            } else {
                (self.next() % n as u64) as usize
            }
        }
        pub fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
    }

    const VPC_CIDRS: &[&str] =
        &["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "172.16.0.0/16", "10.0.0.0/16", "52.10.0.0/16"];
    const RULE_CIDRS: &[&str] = &[
        "0.0.0.0/0",
        "10.0.0.0/8",
        "10.0.0.0/16",
        "10.1.0.0/16",
        "10.1.2.0/24",
        "172.16.0.0/12",
        "198.51.100.0/24",
        "3.0.0.0/8",
    ];
    const PORTS: &[(u16, u16)] = &[(443, 443), (22, 22), (1024, 65535), (32768, 65535), (0, 65535), (80, 8080)];

    fn cidr(s: &str) -> Ipv4Net {
        s.parse().expect("a CIDR literal")
    }

    pub fn design(seed: u64) -> Design {
        let mut r = Rng(seed | 1);
        let mut b = DesignBuilder::new(&format!("random-{seed}"), "ap-northeast-2");
        let nv = 2 + r.below(3);
        let mut vpcs = Vec::new();
        let mut pub_ip = 10u32;
        let mut next_public = |r: &mut Rng| {
            pub_ip += 1 + r.below(3) as u32;
            format!("3.34.{}.{}", pub_ip / 250, pub_ip % 250)
        };
        for v in 0..nv {
            let c = VPC_CIDRS[r.below(VPC_CIDRS.len())];
            let region = if r.chance(20) { "ap-northeast-1" } else { "ap-northeast-2" };
            let vpc = b.vpc_in(&format!("vpc{v}"), c, region);
            let base = cidr(c).network().octets();
            let igw = r.chance(70).then(|| b.igw(&vpc, &format!("igw{v}")));
            let ns = 1 + r.below(4);
            let mut subnets = Vec::new();
            for s in 0..ns {
                let third = (s * (1 + r.below(2))) as u8;
                let sc = format!("{}.{}.{third}.0/24", base[0], base[1]);
                if subnets.iter().any(|(_, x): &(String, String)| *x == sc) {
                    continue;
                }
                let name = if r.chance(50) { format!("public-{v}-{s}") } else { format!("private-{v}-{s}") };
                let id = b.subnet(&vpc, &name, &sc, if r.chance(50) { "a" } else { "c" });
                if name.starts_with("public") && r.chance(80) {
                    if let Some(x) = b.design.subnets.iter_mut().find(|x| x.id == id) {
                        x.map_public_ip_on_launch = true;
                    }
                }
                subnets.push((id, sc));
            }
            // Tables: the main one, a public and a private one.
            let main = b.main_route_table(&vpc);
            let rt_pub = b.route_table(&vpc, &format!("public-rt{v}"));
            let rt_priv = b.route_table(&vpc, &format!("private-rt{v}"));
            if let Some(g) = &igw {
                b.route(&rt_pub, "0.0.0.0/0", RouteTarget::InternetGateway(g.clone()));
                if r.chance(20) {
                    b.route(&main, "0.0.0.0/0", RouteTarget::InternetGateway(g.clone()));
                }
            }
            for (i, (s, sc)) in subnets.iter().enumerate() {
                match r.below(3) {
                    0 => b.associate(&rt_pub, s),
                    1 => b.associate(&rt_priv, s),
                    _ => {}
                }
                if i == 0 && igw.is_some() && r.chance(60) {
                    let net: Ipv4Net = sc.parse().expect("subnet");
                    let o = net.network().octets();
                    let nat = b.nat_gateway(
                        s,
                        &format!("nat{v}"),
                        &format!("{}.{}.{}.9", o[0], o[1], o[2]),
                        &next_public(&mut r),
                    );
                    b.route(&rt_priv, "0.0.0.0/0", RouteTarget::NatGateway(nat));
                }
                if r.chance(50) {
                    let net: Ipv4Net = sc.parse().expect("subnet");
                    let o = net.network().octets();
                    let inst = b.instance(
                        s,
                        &format!("i{v}{i}"),
                        &format!("{}.{}.{}.{}", o[0], o[1], o[2], 4 + r.below(3)),
                        &[],
                    );
                    if r.chance(40) {
                        let p = next_public(&mut r);
                        b.public_ip(&inst, &p);
                    }
                }
            }
            if r.chance(30) {
                let rc = RULE_CIDRS[r.below(RULE_CIDRS.len())];
                if rc != "0.0.0.0/0" {
                    b.route(
                        &rt_priv,
                        rc,
                        RouteTarget::InternetGateway(igw.clone().unwrap_or_else(|| "igw-gone".into())),
                    );
                }
            }
            if r.chance(40) {
                b.gateway_endpoint(&vpc, "s3", &[&rt_priv]);
            }
            if r.chance(25) && !subnets.is_empty() {
                let (s, sc) = &subnets[r.below(subnets.len())];
                let o: Ipv4Net = sc.parse().expect("subnet");
                let o = o.network().octets();
                let sg = b.design.default_security_group(&vpc).map(|g| g.id.clone()).unwrap_or_default();
                let region = b.design.vpc(&vpc).map(|x| x.region.clone()).unwrap_or_default();
                b.interface_endpoint(
                    &vpc,
                    &format!("com.amazonaws.{region}.sts"),
                    &[(s, &format!("{}.{}.{}.200", o[0], o[1], o[2]))],
                    &[&sg],
                    r.chance(70),
                );
            }
            // Security groups: the default one gets extra rules sometimes.
            if let Some(g) = b.design.security_groups.iter_mut().find(|g| g.vpc == vpc && g.is_default) {
                if r.chance(50) {
                    g.ingress.push(SgRule::tcp(443, SgPeer::Cidr(cidr(RULE_CIDRS[r.below(RULE_CIDRS.len())]).into())));
                }
                if r.chance(30) {
                    g.ingress.push(SgRule::tcp(22, SgPeer::Cidr(cidr("0.0.0.0/0").into())));
                }
                if r.chance(20) {
                    g.egress = vec![SgRule::tcp(443, SgPeer::Cidr(cidr(RULE_CIDRS[r.below(RULE_CIDRS.len())]).into()))];
                }
                if r.chance(20) {
                    g.ingress.push(SgRule {
                        protocol: Protocol::Icmp,
                        ports: PortSpec::All,
                        peer: SgPeer::Cidr(cidr("0.0.0.0/0").into()),
                        description: String::new(),
                    });
                }
            }
            // A custom NACL on some subnets.
            if r.chance(50) && !subnets.is_empty() {
                let chosen: Vec<&str> = subnets.iter().filter(|_| r.chance(50)).map(|(s, _)| s.as_str()).collect();
                let acl = b.custom_nacl(&vpc, &format!("acl{v}"), &chosen);
                for n in 0..(2 + r.below(5)) {
                    let (from, to) = PORTS[r.below(PORTS.len())];
                    let protocol = match r.below(4) {
                        0 => Protocol::All,
                        1 => Protocol::Udp,
                        _ => Protocol::Tcp,
                    };
                    b.nacl_entry(
                        &acl,
                        NaclEntry {
                            rule_number: 100 + 10 * n as u16,
                            egress: r.chance(50),
                            action: if r.chance(75) { RuleAction::Allow } else { RuleAction::Deny },
                            protocol,
                            ports: if protocol == Protocol::All { PortSpec::All } else { PortSpec::Range { from, to } },
                            cidr: cidr(RULE_CIDRS[r.below(RULE_CIDRS.len())]).into(),
                        },
                    );
                }
            }
            vpcs.push((vpc, c, rt_pub, rt_priv));
        }
        // Peerings.
        for i in 0..nv {
            for j in (i + 1)..nv {
                if !r.chance(30) {
                    continue;
                }
                let status = if r.chance(80) { PeeringStatus::Active } else { PeeringStatus::PendingAcceptance };
                let pcx = b.peering(&format!("pcx{i}{j}"), &vpcs[i].0, &vpcs[j].0, status);
                let (a, ac) = (vpcs[i].3.clone(), vpcs[i].1);
                let (c, cc) = (vpcs[j].3.clone(), vpcs[j].1);
                b.route(&a, cc, RouteTarget::VpcPeering(pcx.clone()));
                if r.chance(80) {
                    b.route(&c, ac, RouteTarget::VpcPeering(pcx.clone()));
                }
            }
        }
        // A transit gateway joining some VPCs.
        if r.chance(35) {
            let tgw = "tgw-0001".to_string();
            b.design.transit_gateways.push(TransitGateway {
                id: tgw.clone(),
                name: "hub".into(),
                region: "ap-northeast-2".into(),
                asn: 64512,
                default_association: true,
                default_propagation: true,
                default_route_table: Some("tgw-rtb-0001".into()),
            });
            let mut atts = Vec::new();
            for (k, (vpc, c, _, rt_priv)) in vpcs.iter().enumerate() {
                if !r.chance(70) {
                    continue;
                }
                let subs: Vec<Id> =
                    b.design.subnets.iter().filter(|s| &s.vpc == vpc).take(1).map(|s| s.id.clone()).collect();
                let id = format!("tgw-attach-{k:04}");
                b.design.tgw_attachments.push(TgwAttachment {
                    id: id.clone(),
                    name: format!("att{k}"),
                    tgw: tgw.clone(),
                    kind: TgwAttachmentKind::Vpc { vpc: vpc.clone(), subnets: subs },
                    state: AttachmentState::Available,
                    association: Some("tgw-rtb-0001".into()),
                    ipv6_support: false,
                    appliance_mode: false,
                });
                atts.push(id);
                let dest = if r.chance(50) { "10.0.0.0/8" } else { c };
                if dest != *c {
                    b.route(rt_priv, dest, RouteTarget::TransitGateway(tgw.clone()));
                }
            }
            b.design.tgw_route_tables.push(TgwRouteTable {
                id: "tgw-rtb-0001".into(),
                name: "hub-rt".into(),
                tgw: tgw.clone(),
                propagations: atts,
                static_routes: Vec::new(),
            });
        }
        let _ = Ipv4Addr::UNSPECIFIED;
        b.build()
    }
}

mod props {
    use super::{assert_exact, random};
    use proptest::prelude::*;
    use vpcraft::model::Protocol;
    use vpcraft::sim::reach::ReachOptions;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn random_designs_match_trace_cell_by_cell(seed in any::<u64>(), port in prop::sample::select(vec![443u16, 22, 8080]), proto in 0usize..4) {
            let d = random::design(seed);
            let (protocol, ports) = match proto {
                0 | 1 => (Protocol::Tcp, vec![Some(port)]),
                2 => (Protocol::Udp, vec![Some(port)]),
                _ => (Protocol::Icmp, vec![None]),
            };
            let o = ReachOptions { protocol, ports, ..ReachOptions::defaults(&d) };
            assert_exact(&d, &o);
        }
    }
}

mod recompute {
    use super::random;
    use proptest::prelude::*;
    use vpcraft::model::gen::generate;
    use vpcraft::model::{Design, RouteTarget};
    use vpcraft::sim::diff::{flow_changes, resource_changes};
    use vpcraft::sim::reach::{compute, Change, Matrix, ReachOptions};

    /// One random edit confined to a VPC (a route, a NACL entry, a group rule, an association).
    fn edit(d: &Design, seed: u64) -> Design {
        let mut r = random::Rng(seed | 1);
        let mut n = d.clone();
        match r.below(4) {
            0 if !n.route_tables.is_empty() => {
                let k = r.below(n.route_tables.len());
                let t = &mut n.route_tables[k];
                if t.routes.len() > 1 {
                    t.routes.pop();
                } else if let Some(g) = d.internet_gateways.iter().find(|g| g.vpc.as_deref() == Some(t.vpc.as_str())) {
                    t.routes.push(vpcraft::model::Route::to_cidr(
                        "0.0.0.0/0".parse::<ipnet::Ipv4Net>().expect("cidr"),
                        RouteTarget::InternetGateway(g.id.clone()),
                    ));
                }
            }
            1 if !n.network_acls.is_empty() => {
                let k = r.below(n.network_acls.len());
                n.network_acls[k].entries.pop();
            }
            2 if !n.security_groups.is_empty() => {
                let k = r.below(n.security_groups.len());
                let g = &mut n.security_groups[k];
                if g.ingress.pop().is_none() {
                    g.egress.clear();
                }
            }
            _ if !n.subnets.is_empty() => {
                let k = r.below(n.subnets.len());
                n.subnets[k].map_public_ip_on_launch ^= true;
            }
            _ => {}
        }
        n
    }

    /// Every cell whose verdict differs, compared one by one.
    fn verdict_changes_by_hand(a: &Matrix, b: &Matrix, p: usize) -> Vec<(String, String)> {
        let (rows, cols, _) = b.shape();
        let mut out = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                if a.delivered(p, r, c) != b.delivered(p, r, c) {
                    out.push((b.source_ids[r].clone(), b.destination_ids[c].clone()));
                }
            }
        }
        out.sort();
        out
    }

    /// The flows `flow_changes` reports, as (source, destination) pairs.
    fn reported(a: &Matrix, b: &Matrix) -> Vec<(String, String)> {
        let (opened, closed) = flow_changes(a, b);
        let mut out: Vec<_> = opened.iter().chain(&closed).map(|f| (f.source.clone(), f.destination.clone())).collect();
        out.sort();
        out
    }

    /// On a generated design (every VPC alike, a few peered), an edit to one VPC's route table
    /// keeps the rows that cannot reach it, and the result is the matrix computed afresh; the
    /// flows it reports are the cells whose verdict changed.
    #[test]
    fn an_edit_to_one_vpc_keeps_the_other_rows_and_equals_computing_afresh() {
        let old = generate(12, 3);
        let mut new = old.clone();
        let t = new
            .route_tables
            .iter_mut()
            .find(|t| t.vpc == "vpc-00007" && t.routes.iter().any(|r| matches!(r.target, RouteTarget::NatGateway(_))))
            .expect("a private table");
        t.routes.retain(|r| !matches!(r.target, RouteTarget::NatGateway(_)));
        let o = ReachOptions { ports: vec![Some(443), Some(22)], ..ReachOptions::defaults(&old) };
        let before = compute(&old, &o).expect("matrix");
        let change = Change::between(&old, &new, &resource_changes(&old, &new));
        let again = before.recompute(&new, &o, &change).expect("recomputed");
        let fresh = compute(&new, &o).expect("matrix");
        assert!(again.kept > 0, "no row was kept");
        let (rows, cols, ports) = fresh.shape();
        for p in 0..ports {
            for r in 0..rows {
                for c in 0..cols {
                    assert_eq!(
                        again.cell(p, r, c),
                        fresh.cell(p, r, c),
                        "{} → {}",
                        fresh.source_ids[r],
                        fresh.destination_ids[c]
                    );
                }
            }
            assert_eq!(again.counts(p), fresh.counts(p));
        }
        let by_hand = verdict_changes_by_hand(&before, &fresh, 0);
        assert!(!by_hand.is_empty(), "losing the NAT route closes flows");
        let mut both: Vec<_> = (0..ports).flat_map(|p| verdict_changes_by_hand(&before, &fresh, p)).collect();
        both.sort();
        assert_eq!(reported(&before, &again), both, "line by line (one cell table)");
        assert_eq!(reported(&before, &fresh), both, "cell by cell (two tables)");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// What the terminal app's what-if and `diff` rely on: recomputing after an edit, with
        /// the traces the edit cannot have altered kept, gives the matrix computed afresh.
        #[test]
        fn recomputing_after_an_edit_equals_computing_afresh(seed in any::<u64>(), e in any::<u64>()) {
            let old = random::design(seed);
            let new = edit(&old, e);
            let o = ReachOptions { ports: vec![Some(22)], ..ReachOptions::defaults(&old) };
            let before = compute(&old, &o).expect("matrix");
            let change = Change::between(&old, &new, &resource_changes(&old, &new));
            let o2 = ReachOptions { ports: vec![Some(22)], ..ReachOptions::defaults(&new) };
            let again = before.recompute(&new, &o2, &change).expect("recomputed");
            let fresh = compute(&new, &o2).expect("matrix");
            let (rows, cols, _) = fresh.shape();
            for r in 0..rows {
                for c in 0..cols {
                    prop_assert_eq!(again.cell(0, r, c), fresh.cell(0, r, c), "{} → {}", fresh.source_ids[r], fresh.destination_ids[c]);
                }
            }
            prop_assert_eq!(again.counts(0), fresh.counts(0));
            if before.source_ids == fresh.source_ids && before.destination_ids == fresh.destination_ids {
                prop_assert_eq!(reported(&before, &again), verdict_changes_by_hand(&before, &fresh, 0));
            }
        }

        /// The what-if as the terminal app runs it, edit after edit: each matrix is recomputed
        /// from the one before (kept lines, shared with it, and what they rest on carry over
        /// from edit to edit), on the what-if's two ports. Every step equals the matrix computed
        /// afresh, and the flows it reports are the cells whose verdict changed.
        #[test]
        fn a_chain_of_edits_equals_computing_each_design_afresh(
            seed in any::<u64>(),
            generated in any::<bool>(),
            edits in prop::collection::vec(any::<u64>(), 1..4),
        ) {
            let mut old = if generated { generate(6 + (seed % 5) as usize, seed) } else { random::design(seed) };
            let ports = vec![Some(22), Some(443)];
            let mut before = compute(&old, &ReachOptions { ports: ports.clone(), ..ReachOptions::defaults(&old) }).expect("matrix");
            // The app's reused copies of the design, told which resources each edit touched.
            let mut copies = vpcraft::app::reach::snapshot::Snapshots::default();
            drop(copies.take(&old));
            for e in edits {
                let new = edit(&old, e);
                let o = ReachOptions { ports: ports.clone(), ..ReachOptions::defaults(&new) };
                // The app finds the change by comparing the designs kind by kind: the same as
                // from the resource-level differences `diff` reports.
                let change = Change::of_designs(&old, &new);
                prop_assert_eq!(&change, &Change::between(&old, &new, &resource_changes(&old, &new)));
                // The app's copy of the design, brought level with it, is it.
                let mut copy = old.clone();
                vpcraft::app::reach::snapshot::sync(&mut copy, &new);
                prop_assert_eq!(&copy, &new);
                // Told the ids of the resources the edit changed, the reused copy is it too,
                // and the change found from those ids is the one found by comparing.
                let ids: Vec<String> = resource_changes(&old, &new).into_iter().map(|c| c.id).collect();
                copies.touched(Some(&ids));
                prop_assert_eq!(&*copies.take(&new), &new);
                let told = ids.iter().map(String::as_str).collect::<Vec<_>>();
                prop_assert_eq!(&change, &Change::of_ids(&old, &new, &told));
                let again = before.recompute(&new, &o, &change).expect("recomputed");
                let fresh = compute(&new, &o).expect("matrix");
                let (rows, cols, _) = fresh.shape();
                for p in 0..ports.len() {
                    for r in 0..rows {
                        for c in 0..cols {
                            prop_assert_eq!(again.cell(p, r, c), fresh.cell(p, r, c), "{} → {}", fresh.source_ids[r], fresh.destination_ids[c]);
                        }
                    }
                    prop_assert_eq!(again.counts(p), fresh.counts(p));
                }
                if before.source_ids == fresh.source_ids && before.destination_ids == fresh.destination_ids {
                    let mut by_hand: Vec<_> = (0..ports.len()).flat_map(|p| verdict_changes_by_hand(&before, &fresh, p)).collect();
                    by_hand.sort();
                    prop_assert_eq!(reported(&before, &again), by_hand);
                }
                old = new;
                before = again;
            }
        }
    }
}
