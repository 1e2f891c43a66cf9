//! Property tests over random dual-stack designs (issue 14): built through the same edits as
//! labs and the editor, some refused, some valid; no trace or check panics, traces and checks
//! are deterministic, a header's two addresses are always of one family (NAT64 translates a
//! whole header), the RON file round-trips; and the planner's identities for a /56 of /64s.

use ipnet::{IpNet, Ipv6Net};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv6Addr};
use vpcraft::model::ops::{Direction, NatEip, Op, PeerSpec, Ref};
use vpcraft::model::*;
use vpcraft::net::{self, Ipv6Plan, SlotState};
use vpcraft::sim::checks::check_design;
use vpcraft::sim::{TraceIndex, TraceRequest};

/// One `u64` seed is one design (proptest shrinks the seed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick(&mut self, v: &[String]) -> String {
        v.get(self.below(v.len())).cloned().unwrap_or_default()
    }
}

const V6_DESTS: &[&str] =
    &["::/0", "64:ff9b::/96", "2600:1f18:1:2400::/56", "2001:db8::/32", "2a00:1450::/32", "0.0.0.0/0", "::/1"];
const V6_PEERS: &[&str] = &["::/0", "2600:1f18::/32", "3fff::/20", "0.0.0.0/0", "2001:db8:0:100::/56"];

/// A random dual-stack design: every edit is applied, and refused ones are simply skipped.
fn random_design(seed: u64) -> Design {
    let mut r = Rng(seed | 1);
    let mut d = Design::new("props", "ap-northeast-2");
    let mut ops: Vec<Op> = Vec::new();
    let name_ref = |s: &str| Ref::name(s);
    let vpcs = 1 + r.below(3);
    for v in 0..vpcs {
        let name = format!("v{v}");
        ops.push(Op::AddVpc {
            name: name.clone(),
            cidr: format!("10.{v}.0.0/16").parse().unwrap(),
            region: None,
            dns_hostnames: true,
            dns_support: true,
            secondary_cidrs: vec![],
        });
        let cidr = match r.below(4) {
            0 => Some(format!("2600:1f18:1:{:x}00::/56", 0x23 + v)),
            1 => Some("2600:1f18:1:2300::/56".to_string()), // sometimes a clash, refused
            2 if r.chance(30) => Some("2600:1f18::/48".to_string()), // an Amazon /48: refused (A7)
            _ => None,
        };
        if r.chance(85) {
            let cidr = cidr.map(|c| c.parse::<Ipv6Net>().unwrap());
            ops.push(Op::AddVpcIpv6Block { vpc: name_ref(&name), cidr, pool: Ipv6Pool::Amazon });
        }
        ops.push(Op::AddInternetGateway { name: format!("igw{v}"), vpc: r.chance(70).then(|| name_ref(&name)) });
        if r.chance(70) {
            ops.push(Op::AddEgressOnlyInternetGateway { name: format!("eigw{v}"), vpc: name_ref(&name) });
        }
        for s in 0..1 + r.below(3) {
            let sub = format!("s{v}{s}");
            if r.chance(25) {
                ops.push(Op::AddIpv6OnlySubnet {
                    vpc: name_ref(&name),
                    name: sub.clone(),
                    az: "a".into(),
                    cidr: None,
                    dns64: r.chance(50),
                });
            } else {
                ops.push(Op::AddSubnet {
                    vpc: name_ref(&name),
                    name: sub.clone(),
                    cidr: format!("10.{v}.{s}.0/24").parse().unwrap(),
                    az: if r.chance(50) { "a".into() } else { "b".into() },
                    public_ip_on_launch: r.chance(30),
                    route_table: None,
                    network_acl: None,
                });
                if r.chance(75) {
                    ops.push(Op::SetSubnetIpv6 {
                        subnet: name_ref(&sub),
                        cidr: None,
                        assign_on_creation: r.chance(50),
                    });
                }
            }
            ops.push(Op::AddRouteTable {
                vpc: name_ref(&name),
                name: format!("rt{v}{s}"),
                subnets: vec![name_ref(&sub)],
                main: false,
                gateways: vec![],
                propagating_vgws: vec![],
            });
            ops.push(Op::AddSecurityGroup {
                vpc: name_ref(&name),
                name: format!("g{v}{s}"),
                description: String::new(),
            });
            for i in 0..1 + r.below(2) {
                let inst = format!("i{v}{s}{i}");
                ops.push(Op::AddInstance {
                    name: inst.clone(),
                    subnet: name_ref(&sub),
                    private_ip: Some(format!("10.{v}.{s}.{}", 10 + i).parse().unwrap()),
                    groups: vec![name_ref(&format!("g{v}{s}"))],
                    public_ip: r.chance(30).then(|| format!("50.1.{v}.{}", 10 * s + i).parse().unwrap()),
                    role: String::new(),
                    instance_type: None,
                    state: InstanceState::Running,
                    source_dest_check: true,
                });
                // No address given: an IPv6-only subnet's instance gets an IPv6 address instead.
                ops.push(Op::AddInstance {
                    name: format!("{inst}6"),
                    subnet: name_ref(&sub),
                    private_ip: None,
                    groups: vec![],
                    public_ip: None,
                    role: String::new(),
                    instance_type: None,
                    state: InstanceState::Running,
                    source_dest_check: true,
                });
                if r.chance(70) {
                    ops.push(Op::AddInstanceIpv6 { instance: name_ref(&inst), address: None });
                }
            }
        }
        ops.push(Op::AddNatGateway {
            name: format!("nat{v}"),
            subnet: name_ref(&format!("s{v}0")),
            private_ip: Some(format!("10.{v}.0.100").parse().unwrap()),
            public_ip: Some(format!("50.2.{v}.1").parse().unwrap()),
            eip: NatEip::New,
            connectivity: Default::default(),
            state: Default::default(),
        });
    }
    if vpcs > 1 && r.chance(60) {
        ops.push(Op::AddPeering {
            name: "pcx".into(),
            requester: name_ref("v0"),
            accepter: name_ref("v1"),
            status: PeeringStatus::Active,
            allow_dns_resolution: false,
        });
    }
    let nets = |v: &[&str]| v.iter().map(|c| c.parse::<IpNet>().unwrap()).collect::<Vec<_>>();
    ops.push(Op::AddPrefixList { name: "pl6".into(), region: None, cidrs: nets(&["2a00:1450::/32", "3fff::/20"]) });
    ops.push(Op::AddPrefixList { name: "mixed".into(), region: None, cidrs: nets(&["2a00:1450::/32", "10.0.0.0/8"]) });
    for op in &ops {
        let _ = d.apply(op);
    }
    // Random routes and rules over what exists.
    let tables: Vec<String> = d.route_tables.iter().map(|t| t.id.clone()).collect();
    let groups: Vec<String> = d.security_groups.iter().map(|g| g.id.clone()).collect();
    let acls: Vec<String> = d.network_acls.iter().map(|a| a.id.clone()).collect();
    let mut targets: Vec<String> = vec!["local".into(), "pcx".into(), "pl6".into()];
    targets.extend(d.internet_gateways.iter().map(|g| g.id.clone()));
    targets.extend(d.egress_only_internet_gateways.iter().map(|g| g.id.clone()));
    targets.extend(d.nat_gateways.iter().map(|g| g.id.clone()));
    targets.extend(d.instances.iter().map(|g| g.id.clone()));
    for _ in 0..r.below(10) {
        let destination = if r.chance(15) {
            RouteDestination::PrefixList("pl-0001".into())
        } else {
            RouteDestination::Cidr(V6_DESTS[r.below(V6_DESTS.len())].parse().unwrap())
        };
        let target = r.pick(&targets);
        let target = if target.contains('-') { Ref::id(target) } else { Ref::name(target) };
        let op = Op::AddRoute { table: Ref::id(r.pick(&tables)), destination, target };
        let _ = d.apply(&op);
    }
    for _ in 0..r.below(6) {
        let peer = PeerSpec::Cidr(V6_PEERS[r.below(V6_PEERS.len())].parse().unwrap());
        let direction = if r.chance(70) { Direction::Inbound } else { Direction::Outbound };
        let port = [22u16, 80, 443][r.below(3)];
        let op = Op::AddSgRule {
            group: Ref::id(r.pick(&groups)),
            direction,
            protocol: Protocol::Tcp,
            ports: PortSpec::Range { from: port, to: port },
            peer,
            description: String::new(),
        };
        let _ = d.apply(&op);
    }
    for _ in 0..r.below(4) {
        let cidr: IpNet = V6_PEERS[r.below(V6_PEERS.len())].parse().unwrap();
        let entry = NaclEntry {
            rule_number: [90u16, 101, 110, 200][r.below(4)],
            egress: r.chance(50),
            action: if r.chance(70) { RuleAction::Allow } else { RuleAction::Deny },
            protocol: Protocol::All,
            ports: PortSpec::All,
            cidr,
        };
        let _ = d.apply(&Op::AddNaclEntry { acl: Ref::id(r.pick(&acls)), entry });
    }
    d
}

/// What a flow may be written as: instances by name, every IPv6 and IPv4 address of the
/// design, some outside addresses, `internet`, DNS names of either family.
fn endpoints(d: &Design) -> Vec<String> {
    let mut v: Vec<String> = d.instances.iter().map(|i| i.id.clone()).collect();
    for e in &d.network_interfaces {
        v.extend(e.ipv6_addresses.iter().map(|a| a.to_string()));
        v.extend(e.private_ips.iter().map(|a| a.to_string()));
    }
    v.extend(
        [
            "internet",
            "2001:4860:4860::8888",
            "64:ff9b::808:808",
            "60.1.1.1",
            "fd00:ec2::254",
            "fe80::1",
            "::1",
            "s3.ap-northeast-2.amazonaws.com",
            "s3.dualstack.ap-northeast-2.amazonaws.com",
        ]
        .map(String::from),
    );
    v
}

fn family(a: IpAddr) -> u8 {
    if a.is_ipv4() {
        4
    } else {
        6
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_dual_stack_designs_trace_and_check_without_panics_deterministically(
        seed in any::<u64>(),
        picks in proptest::collection::vec((any::<u16>(), any::<u16>(), 0u8..3), 1..10),
    ) {
        let d = random_design(seed);
        prop_assert_eq!(&d, &random_design(seed), "the generator is deterministic");
        let first = check_design(&d);
        prop_assert_eq!(format!("{first:?}"), format!("{:?}", check_design(&d)));
        // The design round-trips through its file (format version 2).
        let text = vpcraft::io::native::to_string(&d).map_err(TestCaseError::fail)?;
        let back = vpcraft::io::native::load_str(&text, std::path::Path::new("props.ron"))
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &d);
        let ends = endpoints(&d);
        let index = TraceIndex::new(&d);
        for (a, b, p) in picks {
            let from = &ends[a as usize % ends.len()];
            let to = &ends[b as usize % ends.len()];
            let proto = ["tcp", "udp", "icmp"][p as usize];
            let port = (proto != "icmp").then_some(443);
            let Ok(req) = TraceRequest::parse(&d, from, to, proto, port, None) else { continue };
            let r1 = index.trace(&req);
            let r2 = TraceIndex::new(&d).trace(&req);
            prop_assert_eq!(r1.to_json(), r2.to_json(), "{} → {}", from, to);
            for h in r1.forward.iter().chain(&r1.return_path) {
                prop_assert_eq!(family(h.before.src), family(h.before.dst), "{} → {}: hop {} mixes families", from, to, h.step);
                prop_assert_eq!(family(h.after.src), family(h.after.dst), "{} → {}: hop {} mixes families", from, to, h.step);
            }
            // R3: an IPv6 packet is never routed by an IPv4 route, nor the reverse.
            for h in r1.forward.iter().filter(|h| h.action.as_str() == "route") {
                let matched = h.matched.as_ref().map(ToString::to_string);
                if let Some(m) = matched.as_deref().and_then(|m| m.split(' ').next()) {
                    if let Ok(n) = m.parse::<IpNet>() {
                        prop_assert_eq!(family(n.addr()), family(h.before.dst), "{} matched for {}", m, h.before.dst);
                    }
                }
            }
        }
    }

    /// A7 and the planner: a /56 holds 256 /64s; slot n is `cidrsubnet(block, 8, n)`, inside
    /// the block, in order and disjoint; the index of slot n is n; the map marks exactly the
    /// subnets taken; the first free /64 is the lowest slot not taken, and carving a taken
    /// slot is refused.
    #[test]
    fn a_56_is_256_64s_and_the_planner_agrees_with_itself(
        hi in any::<u64>(),
        taken in proptest::collection::btree_set(0u8..=255, 0..40),
    ) {
        let base = (u128::from(hi) << 64) & !((1u128 << 72) - 1);
        let block = Ipv6Net::new(Ipv6Addr::from(base), 56).unwrap();
        prop_assert_eq!(Ipv6Plan::slot_count(block, 64), 256);
        let empty = Ipv6Plan::new(&[block], &[]).unwrap();
        let mut prev: Option<Ipv6Net> = None;
        for n in 0..256u128 {
            let s = empty.carve(block, 64, n).unwrap();
            prop_assert!(block.contains(&s) && s.prefix_len() == 64);
            prop_assert_eq!(net::index_in_block(block, s), Some(n));
            prop_assert_eq!(net::subnet_by_index(IpNet::V6(block), 64, n).unwrap(), IpNet::V6(s));
            if let Some(p) = prev {
                prop_assert!(u128::from(p.broadcast()) + 1 == u128::from(s.network()), "slots are contiguous");
            }
            prev = Some(s);
            // A7: five reserved addresses, the first four and the last.
            let reserved = net::ipv6_reserved_addresses(s);
            prop_assert_eq!(reserved[0].0, s.network());
            prop_assert_eq!(reserved[4].0, s.broadcast());
        }
        prop_assert!(empty.carve(block, 64, 256).is_err(), "there is no slot 256");
        let used: Vec<Ipv6Net> = taken.iter().map(|n| empty.carve(block, 64, u128::from(*n)).unwrap()).collect();
        let plan = Ipv6Plan::new(&[block], &used).unwrap();
        prop_assert_eq!(plan.totals(), (256, used.len() as u128));
        let map = plan.map(block);
        prop_assert_eq!(map.cells.len(), 256);
        for (n, cell) in map.cells.iter().enumerate() {
            let want = if taken.contains(&(n as u8)) { SlotState::Used } else { SlotState::Free };
            prop_assert_eq!(*cell, want, "slot {}", n);
        }
        let lowest_free = (0..=255u8).find(|n| !taken.contains(n));
        match (lowest_free, plan.next_free(64, &[])) {
            (Some(n), Ok(c)) => prop_assert_eq!(net::index_in_block(block, c), Some(u128::from(n))),
            (None, Err(_)) => {}
            (a, b) => prop_assert!(false, "next free {:?} vs {:?}", a, b),
        }
        for n in &taken {
            prop_assert!(plan.carve(block, 64, u128::from(*n)).is_err(), "slot {} is taken", n);
        }
    }

    /// Fuzzed IPv6 text: never a panic; either a clear sentence or the canonical form, which
    /// reads back as itself.
    #[test]
    fn ipv6_text_is_canonical_or_a_sentence(text in "[0-9a-fA-F:./%a-z]{0,45}") {
        match net::parse_ipv6(&text) {
            Ok(a) => prop_assert_eq!(net::parse_ipv6(&a.to_string()).unwrap(), a),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        match net::parse_ipv6_cidr(&text) {
            Ok(p) => {
                prop_assert_eq!(p.cidr, p.cidr.trunc());
                prop_assert_eq!(net::parse_ipv6_cidr(&p.cidr.to_string()).unwrap().cidr, p.cidr);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn fuzzed_ipv6_forms_named_by_the_issue() {
    for (text, want) in [
        ("2001:DB8::1", Ok("2001:db8::1")),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", Ok("2001:db8::1")),
        ("::ffff:10.0.0.1", Err("10.0.0.1")),
        ("fe80::1%eth0", Err("zone id")),
        ("2001:db8:::1", Err("not an IPv6 address")),
    ] {
        match (net::parse_ipv6(text), want) {
            (Ok(a), Ok(w)) => assert_eq!(a.to_string(), w),
            (Err(e), Err(w)) => assert!(e.to_string().contains(w), "{text}: {e}"),
            (got, w) => panic!("{text}: {got:?}, want {w:?}"),
        }
    }
    let e = net::parse_ipv6_cidr("2001:db8::/129").unwrap_err().to_string();
    assert!(e.contains("longer than an IPv6 address"), "{e}");
    assert_eq!(net::parse_ipv6_cidr("2001:DB8:0:0::1/56").unwrap().cidr.to_string(), "2001:db8::/56");
}
