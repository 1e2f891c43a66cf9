//! Incremental checks: after any sequence of edits, refreshing only what each edit touched
//! gives exactly the findings of checking the whole design again.

use proptest::prelude::*;
use vpcraft::model::edit::DeleteMode;
use vpcraft::model::gen::generate;
use vpcraft::model::*;
use vpcraft::sim::checks::{check_design, CheckState};

/// Every resource id, in design order.
fn ids(d: &Design) -> Vec<String> {
    d.resources().map(|r| r.id().to_string()).collect()
}

fn pick<T: Clone>(list: &[T], n: usize) -> Option<T> {
    (!list.is_empty()).then(|| list[n % list.len()].clone())
}

/// Make one edit; return the ids it added, changed or removed.
fn edit(d: &mut Design, kind: u8, n: usize) -> Vec<String> {
    let all = ids(d);
    if kind >= 224 {
        return cross_vpc_edit(d, kind, n);
    }
    match kind % 16 {
        0 => {
            let Some(i) = (!d.subnets.is_empty()).then(|| n % d.subnets.len()) else { return vec![] };
            d.subnets[i].cidr = Some(
                ipnet::Ipv4Net::new(
                    std::net::Ipv4Addr::from((n as u32).wrapping_mul(2_654_435_761)),
                    16 + (n % 14) as u8,
                )
                .unwrap_or_default()
                .trunc(),
            );
            vec![d.subnets[i].id.clone()]
        }
        1 => {
            let Some(i) = (!d.route_tables.is_empty()).then(|| n % d.route_tables.len()) else { return vec![] };
            let target = pick(&all, n / 7).unwrap_or_else(|| format!("pcx-{n}"));
            let dest =
                ipnet::Ipv4Net::new(std::net::Ipv4Addr::from(n as u32 * 65_537), (n % 33) as u8).unwrap_or_default();
            d.route_tables[i].routes.push(Route::to_cidr(dest, RouteTarget::from_id(&target)));
            vec![d.route_tables[i].id.clone()]
        }
        2 => {
            let Some(i) = (!d.network_interfaces.is_empty()).then(|| n % d.network_interfaces.len()) else {
                return vec![];
            };
            let sg = pick(&d.security_groups.iter().map(|g| g.id.clone()).collect::<Vec<_>>(), n / 3);
            let e = &mut d.network_interfaces[i];
            if n.is_multiple_of(2) {
                e.private_ips.clear();
            }
            e.security_groups.extend(sg);
            vec![e.id.clone()]
        }
        3 => {
            let groups: Vec<String> = d.security_groups.iter().map(|g| g.id.clone()).collect();
            let (Some(g), Some(peer)) = (pick(&groups, n), pick(&groups, n / 5)) else { return vec![] };
            if let Some(x) = d.security_groups.iter_mut().find(|x| x.id == g) {
                x.ingress.push(SgRule::tcp(443, SgPeer::group(peer)));
                if n.is_multiple_of(3) {
                    x.egress.clear();
                }
            }
            vec![g]
        }
        4 => {
            let Some(i) = (!d.peerings.is_empty()).then(|| n % d.peerings.len()) else { return vec![] };
            let p = &mut d.peerings[i];
            p.status = if p.status == PeeringStatus::Active {
                PeeringStatus::PendingAcceptance
            } else {
                PeeringStatus::Active
            };
            vec![p.id.clone()]
        }
        5 => {
            let Some(id) = pick(&all, n) else { return vec![] };
            d.delete_touching(&id, DeleteMode::Cascade).map(|x| [x.removed, x.changed].concat()).unwrap_or_default()
        }
        6 => {
            let Some(i) = (!d.instances.is_empty()).then(|| n % d.instances.len()) else { return vec![] };
            let x = &mut d.instances[i];
            x.state = if x.state == InstanceState::Running { InstanceState::Stopped } else { InstanceState::Running };
            vec![x.id.clone()]
        }
        7 => {
            let subnets: Vec<String> = d.subnets.iter().map(|s| s.id.clone()).collect();
            let Some(s) = pick(&subnets, n / 11) else { return vec![] };
            let Some(i) = (!d.network_interfaces.is_empty()).then(|| n % d.network_interfaces.len()) else {
                return vec![];
            };
            d.network_interfaces[i].subnet = s;
            vec![d.network_interfaces[i].id.clone()]
        }
        8 => {
            let Some(i) = (!d.vpcs.is_empty()).then(|| n % d.vpcs.len()) else { return vec![] };
            let v = &mut d.vpcs[i];
            match n % 3 {
                0 => v.secondary_cidrs.push("172.17.0.0/16".parse().unwrap()),
                1 => v.cidr = "169.254.0.0/16".parse().unwrap(),
                _ => v.secondary_cidrs.push(v.cidr),
            }
            vec![v.id.clone()]
        }
        9 => {
            let name = format!("renamed-{n}");
            fn set<T>(list: &mut [T], n: usize, f: impl FnOnce(&mut T) -> String) -> Vec<String> {
                let len = list.len();
                list.get_mut(n % len.max(1)).map(f).into_iter().collect()
            }
            match n % 5 {
                0 => set(&mut d.vpcs, n, |x| (x.name = name, x.id.clone()).1),
                1 => set(&mut d.subnets, n, |x| (x.name = name, x.id.clone()).1),
                2 => set(&mut d.security_groups, n, |x| (x.name = name, x.id.clone()).1),
                3 => set(&mut d.route_tables, n, |x| (x.name = name, x.id.clone()).1),
                _ => set(&mut d.instances, n, |x| (x.name = name, x.id.clone()).1),
            }
        }
        10 => {
            let eips: Vec<String> = d.elastic_ips.iter().map(|e| e.id.clone()).collect();
            let Some(i) = (!d.network_interfaces.is_empty()).then(|| n % d.network_interfaces.len()) else {
                return vec![];
            };
            let eip = pick(&eips, n / 13).unwrap_or_else(|| format!("eipalloc-{n}"));
            d.network_interfaces[i].eip = Some(eip.clone());
            vec![d.network_interfaces[i].id.clone(), eip]
        }
        11 => {
            let vpcs: Vec<String> = d.vpcs.iter().map(|v| v.id.clone()).collect();
            let Some(i) = (!d.internet_gateways.is_empty()).then(|| n % d.internet_gateways.len()) else {
                return vec![];
            };
            d.internet_gateways[i].vpc = pick(&vpcs, n / 3);
            vec![d.internet_gateways[i].id.clone()]
        }
        12 => {
            let Some(i) = (!d.nat_gateways.is_empty()).then(|| n % d.nat_gateways.len()) else { return vec![] };
            let x = &mut d.nat_gateways[i];
            x.connectivity = if x.connectivity == NatConnectivity::Public {
                NatConnectivity::Private
            } else {
                NatConnectivity::Public
            };
            vec![x.id.clone()]
        }
        13 => {
            let Some(i) = (!d.endpoint_services.is_empty()).then(|| n % d.endpoint_services.len()) else {
                return vec![];
            };
            d.endpoint_services[i].service_name = format!("com.amazonaws.vpce.ap-northeast-2.vpce-svc-{n}");
            vec![d.endpoint_services[i].id.clone()]
        }
        14 => {
            let Some(i) = (!d.route_tables.is_empty()).then(|| n % d.route_tables.len()) else { return vec![] };
            d.route_tables[i].main = !d.route_tables[i].main;
            vec![d.route_tables[i].id.clone()]
        }
        _ => {
            let subnets: Vec<String> = d.subnets.iter().map(|s| s.id.clone()).collect();
            let Some(s) = pick(&subnets, n / 3) else { return vec![] };
            let Some(i) = (!d.network_acls.is_empty()).then(|| n % d.network_acls.len()) else { return vec![] };
            d.network_acls[i].subnets.push(s.clone());
            vec![d.network_acls[i].id.clone(), s]
        }
    }
}

/// Edits whose findings are about more than one VPC (the per-VPC checks find the other VPC
/// through the index): a table listing a subnet another table (maybe of another VPC) lists
/// (R1), IPv6 blocks and DNS64 (A7, N4), a peering's accepter moved to another VPC (P1, P2);
/// and edits that leave resources with no VPC, subnet or instance in the design (the links
/// scope's findings), or give them one back.
fn cross_vpc_edit(d: &mut Design, kind: u8, n: usize) -> Vec<String> {
    let subnets: Vec<String> = d.subnets.iter().map(|s| s.id.clone()).collect();
    let vpcs: Vec<String> = d.vpcs.iter().map(|v| v.id.clone()).collect();
    if kind % 8 >= 4 {
        return orphaning_edit(d, kind, n);
    }
    match kind % 4 {
        0 => {
            let Some(s) = pick(&subnets, n / 7) else { return vec![] };
            let Some(i) = (!d.route_tables.is_empty()).then(|| n % d.route_tables.len()) else { return vec![] };
            d.route_tables[i].subnets.push(s.clone());
            vec![d.route_tables[i].id.clone(), s]
        }
        1 => {
            let Some(i) = (!d.vpcs.is_empty()).then(|| n % d.vpcs.len()) else { return vec![] };
            let block: ipnet::Ipv6Net = format!("2600:1f18:{:x}::/56", (n % 4) * 0x100).parse().unwrap();
            d.vpcs[i].ipv6_cidr_blocks.push(Ipv6CidrBlock::amazon(block));
            vec![d.vpcs[i].id.clone()]
        }
        2 => {
            let Some(i) = (!d.subnets.is_empty()).then(|| n % d.subnets.len()) else { return vec![] };
            let s = &mut d.subnets[i];
            s.enable_dns64 = !s.enable_dns64;
            s.ipv6_cidr = Some(format!("2600:1f18:{:x}::/64", (n % 8) * 0x100).parse().unwrap());
            if n.is_multiple_of(3) {
                s.cidr = None;
            }
            vec![s.id.clone()]
        }
        _ => {
            let Some(v) = pick(&vpcs, n / 5) else { return vec![] };
            let Some(i) = (!d.peerings.is_empty()).then(|| n % d.peerings.len()) else { return vec![] };
            d.peerings[i].accepter_vpc = v;
            vec![d.peerings[i].id.clone()]
        }
    }
}

/// The VPC id orphaning edits move resources to: not in the design until an edit adds it.
const GONE: &str = "vpc-gone";

/// Edits that orphan resources (their VPC, subnet or instance not in the design), remove a
/// VPC alone (its resources stay, naming it), or add the missing VPC back.
fn orphaning_edit(d: &mut Design, kind: u8, n: usize) -> Vec<String> {
    match kind % 8 {
        4 => {
            fn moved<T>(list: &mut [T], n: usize, f: impl FnOnce(&mut T) -> String) -> Vec<String> {
                let len = list.len();
                list.get_mut(n % len.max(1)).map(f).into_iter().collect()
            }
            match n % 5 {
                0 => moved(&mut d.subnets, n / 5, |x| (x.vpc = GONE.into(), x.id.clone()).1),
                1 => moved(&mut d.route_tables, n / 5, |x| (x.vpc = GONE.into(), x.id.clone()).1),
                2 => moved(&mut d.security_groups, n / 5, |x| (x.vpc = GONE.into(), x.id.clone()).1),
                3 => moved(&mut d.network_acls, n / 5, |x| (x.vpc = GONE.into(), x.id.clone()).1),
                _ => moved(&mut d.internet_gateways, n / 5, |x| (x.vpc = Some(GONE.into()), x.id.clone()).1),
            }
        }
        5 => {
            let Some(i) = (!d.network_interfaces.is_empty()).then(|| n % d.network_interfaces.len()) else {
                return vec![];
            };
            let e = &mut d.network_interfaces[i];
            if n.is_multiple_of(2) {
                e.instance = Some(format!("i-ghost{}", n % 3));
                e.device_index = (n % 2) as u32;
            } else {
                e.subnet = format!("subnet-gone{}", n % 2);
            }
            vec![e.id.clone()]
        }
        6 => {
            let Some(i) = (!d.vpcs.is_empty()).then(|| n % d.vpcs.len()) else { return vec![] };
            vec![d.vpcs.remove(i).id]
        }
        _ => {
            if d.vpcs.iter().any(|v| v.id == GONE) {
                return vec![];
            }
            d.vpcs.push(Vpc::new(GONE, "back", "ap-northeast-2", "10.200.0.0/16".parse().unwrap()));
            vec![GONE.to_string()]
        }
    }
}

fn replay(mut d: Design, edits: &[(u8, u16)]) -> Result<(), TestCaseError> {
    let mut state = CheckState::new(&d);
    let first = check_design(&d);
    prop_assert_eq!(state.findings(), first.as_slice());
    for (k, (kind, n)) in edits.iter().enumerate() {
        let touched = edit(&mut d, *kind, *n as usize);
        let refs: Vec<&str> = touched.iter().map(String::as_str).collect();
        state.refresh(&d, &refs);
        let full = check_design(&d);
        prop_assert_eq!(state.findings(), full.as_slice(), "after edit {} ({}, {}) touching {:?}", k, kind, n, touched);
        // The references kept both ways, brought up to date for what the edit touched, are
        // every reference of the design.
        let kept: Vec<Reference> = state.references().all_sorted().into_iter().cloned().collect();
        let mut all = d.references();
        all.sort_by(|a, b| (&a.from, &a.to, &a.field).cmp(&(&b.from, &b.to, &b.field)));
        prop_assert_eq!(kept, all, "references after edit {} ({}, {}) touching {:?}", k, kind, n, touched);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn refresh_equals_a_full_check_on_generated_designs(
        vpcs in 2usize..7,
        seed in any::<u64>(),
        edits in proptest::collection::vec(any::<(u8, u16)>(), 1..16),
    ) {
        replay(generate(vpcs, seed), &edits)?;
    }

    /// Half the edits leave resources without their VPC, subnet or instance (or give it back):
    /// the links scope, kept when an edit cannot change it, stays what a full check says.
    #[test]
    fn refresh_equals_a_full_check_when_resources_lose_their_vpc(
        vpcs in 2usize..7,
        seed in any::<u64>(),
        edits in proptest::collection::vec(any::<(bool, u8, u16)>(), 1..16),
    ) {
        let edits: Vec<(u8, u16)> =
            edits.into_iter().map(|(orphaning, k, n)| (if orphaning { 252 | (k % 4) } else { k }, n)).collect();
        replay(generate(vpcs, seed), &edits)?;
    }

    /// Every VPC with findings (groups without outbound rules, interfaces without groups):
    /// the findings of the VPCs an edit touched are merged into the sorted list in place.
    #[test]
    fn refresh_equals_a_full_check_on_designs_with_findings_everywhere(
        vpcs in 2usize..7,
        seed in any::<u64>(),
        edits in proptest::collection::vec(any::<(u8, u16)>(), 1..16),
    ) {
        replay(noisy(generate(vpcs, seed)), &edits)?;
    }

    #[test]
    fn refresh_equals_a_full_check_on_the_kitchen_sink(edits in proptest::collection::vec(any::<(u8, u16)>(), 1..16)) {
        replay(crate::common::kitchen_sink(), &edits)?;
    }
}

/// Found by the property test: an interface moved to another VPC's subnet changes what a route
/// to its instance (in the old VPC) says (R5), though the route names the instance, not the
/// interface: the refresh must reach what refers to what the edit refers to.
#[test]
fn moving_an_instances_interface_rechecks_the_routes_to_the_instance() {
    replay(crate::common::kitchen_sink(), &[(17, 33755), (181, 45009)]).unwrap();
}

#[test]
fn a_one_field_edit_checks_one_vpc_again() {
    let mut d = generate(20, 3);
    let mut state = CheckState::new(&d);
    let s = d.subnets[40].id.clone();
    let vpc = d.subnets[40].vpc.clone();
    d.subnets[40].name = "renamed".into();
    assert_eq!(state.refresh(&d, &[&s]), vec![vpc]);
    assert_eq!(state.findings(), check_design(&d).as_slice());
    // Nothing in a generated design belongs to no VPC: the links scope stays as it was.
    assert!(!state.links_rechecked());
}

/// The links scope is checked again when an edit reaches a resource of no VPC: a subnet moved
/// to a VPC the design does not hold, then an interface moved into it, then the VPC added.
#[test]
fn an_edit_that_orphans_a_resource_checks_the_links_again() {
    let mut d = generate(6, 5);
    let mut state = CheckState::new(&d);
    let s = d.subnets[7].id.clone();
    d.subnets[7].vpc = GONE.into();
    state.refresh(&d, &[&s]);
    assert!(state.links_rechecked());
    assert_eq!(state.findings(), check_design(&d).as_slice());
    assert!(state.findings().iter().any(|f| f.code == "SUBNET_VPC_MISSING" && f.resources == [s.clone()]));
    let e = d.network_interfaces[0].id.clone();
    d.network_interfaces[0].subnet = s.clone();
    state.refresh(&d, &[&e]);
    assert!(state.links_rechecked());
    assert_eq!(state.findings(), check_design(&d).as_slice());
    d.vpcs.push(Vpc::new(GONE, "back", "ap-northeast-2", "10.200.0.0/16".parse().unwrap()));
    state.refresh(&d, &[GONE]);
    assert!(state.links_rechecked());
    assert_eq!(state.findings(), check_design(&d).as_slice());
    assert!(!state.findings().iter().any(|f| f.code == "SUBNET_VPC_MISSING"));
}

/// `d` with findings in every VPC: groups without outbound rules (S4), every other interface
/// without groups (S5).
fn noisy(mut d: Design) -> Design {
    for g in &mut d.security_groups {
        g.egress.clear();
    }
    for e in d.network_interfaces.iter_mut().step_by(2) {
        e.security_groups.clear();
    }
    d
}

/// An edit of one VPC of many, each with findings, replaces that VPC's findings in the sorted
/// list and keeps every other finding where it was (what the app moves instead of copying).
#[test]
fn an_edit_of_one_vpc_replaces_only_its_findings() {
    use vpcraft::sim::checks::Run;
    let mut d = noisy(generate(40, 2));
    let mut state = CheckState::new(&d);
    assert_eq!(state.runs(), [Run::Fresh { len: state.findings().len() }]);
    let g = d.security_groups[7].id.clone();
    let vpc = d.security_groups[7].vpc.clone();
    d.security_groups[7].egress = vec![SgRule::allow_all_to(SgPeer::Cidr("0.0.0.0/0".parse().unwrap()))];
    let ours = |state: &CheckState| state.scope(&vpcraft::sim::checks::CheckScope::Vpc(vpc.clone())).len();
    let before = (state.findings().len(), ours(&state));
    assert_eq!(state.refresh(&d, &[&g]), vec![vpc.clone()]);
    assert_eq!(state.findings(), check_design(&d).as_slice());
    let fresh: usize = state.runs().iter().map(|r| if let Run::Fresh { len } = r { *len } else { 0 }).sum();
    let kept: usize = state.runs().iter().map(|r| if let Run::Kept { len, .. } = r { *len } else { 0 }).sum();
    assert!(fresh <= ours(&state), "{fresh} fresh, the VPC has {}", ours(&state));
    assert_eq!(kept, before.0 - before.1, "every other finding kept");
    assert_eq!(fresh + kept, state.findings().len());
}
