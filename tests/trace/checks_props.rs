//! `check_design` never panics, whatever the design holds: dangling references, odd CIDRs,
//! duplicate ids, empty lists.

use proptest::prelude::*;
use vpcraft::model::gen::generate;
use vpcraft::model::*;
use vpcraft::sim::checks::check_design;

fn mutate(d: &mut Design, ops: &[(u8, u16)]) {
    for (kind, n) in ops {
        let n = *n as usize;
        match kind % 8 {
            0 if !d.vpcs.is_empty() => {
                let i = n % d.vpcs.len();
                d.vpcs.remove(i);
            }
            1 if !d.subnets.is_empty() => {
                let i = n % d.subnets.len();
                d.subnets[i].cidr = ipnet::Ipv4Net::new(std::net::Ipv4Addr::from(n as u32 * 7919), (n % 33) as u8).ok();
            }
            2 if !d.route_tables.is_empty() => {
                let i = n % d.route_tables.len();
                d.route_tables[i]
                    .routes
                    .push(Route::to_cidr(ipnet::Ipv4Net::default(), RouteTarget::from_id(&format!("pcx-{n}"))));
                d.route_tables[i].main = n.is_multiple_of(2);
            }
            3 if !d.network_interfaces.is_empty() => {
                let i = n % d.network_interfaces.len();
                d.network_interfaces[i].private_ips.clear();
                d.network_interfaces[i].security_groups.push(format!("sg-{n}"));
            }
            4 if !d.security_groups.is_empty() => {
                let i = n % d.security_groups.len();
                d.security_groups[i].ingress.push(SgRule::allow_all_to(SgPeer::group(format!("sg-{n}"))));
            }
            5 if !d.peerings.is_empty() => {
                let i = n % d.peerings.len();
                d.peerings[i].accepter_vpc = d.peerings[i].requester_vpc.clone();
            }
            6 if !d.endpoints.is_empty() => {
                let i = n % d.endpoints.len();
                d.endpoints[i].kind = EndpointKind::Interface;
                d.endpoints[i].service_name = format!("com.example.{n}");
            }
            7 if !d.subnets.is_empty() => {
                let i = n % d.subnets.len();
                let dup = d.subnets[i].clone();
                d.subnets.push(dup);
            }
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn checks_never_panic(vpcs in 0usize..5, seed in any::<u64>(), ops in proptest::collection::vec(any::<(u8, u16)>(), 0..24)) {
        let mut d = generate(vpcs, seed);
        mutate(&mut d, &ops);
        let a = check_design(&d);
        let b = check_design(&d);
        prop_assert_eq!(a, b, "checks are deterministic");
    }
}
