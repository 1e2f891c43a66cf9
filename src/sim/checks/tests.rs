//! Checks over hand-built designs: each test breaks one rule and expects its code.

use super::*;
use crate::model::builder::DesignBuilder;
use crate::model::*;

fn codes(d: &Design) -> Vec<String> {
    check_design(d).into_iter().map(|f| f.code.as_str().to_string()).collect()
}

fn base() -> (DesignBuilder, String, String) {
    let mut b = DesignBuilder::new("t", "ap-northeast-2");
    let v = b.vpc("lab", "10.0.0.0/16");
    let s = b.subnet(&v, "pub", "10.0.0.0/24", "a");
    (b, v, s)
}

#[test]
fn built_in_examples_check_clean() {
    for name in crate::assets::example_names() {
        let d = crate::assets::example(name).unwrap();
        let errors: Vec<Finding> = check_design(&d).into_iter().filter(|f| f.severity != Severity::Info).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

#[test]
fn a5_subnet_overlap_and_outside() {
    let (mut b, v, _) = base();
    b.subnet(&v, "dup", "10.0.0.128/25", "a");
    b.subnet(&v, "out", "10.1.0.0/24", "a");
    let c = codes(&b.design);
    assert!(c.contains(&"SUBNET_OVERLAP".to_string()), "{c:?}");
    assert!(c.contains(&"SUBNET_OUTSIDE_VPC".to_string()), "{c:?}");
}

#[test]
fn a1_a4_vpc_cidr_rules() {
    let mut b = DesignBuilder::new("t", "ap-northeast-2");
    b.vpc("big", "10.0.0.0/8");
    b.vpc("docker", "172.17.0.0/16");
    let c = codes(&b.design);
    assert!(c.contains(&"VPC_CIDR_SIZE".to_string()));
    assert!(c.contains(&"VPC_CIDR_DOCKER_CONFLICT".to_string()));
}

#[test]
fn a3_secondary_family() {
    let (mut b, v, _) = base();
    b.design.add_vpc_cidr(&v, "192.168.0.0/16".parse().unwrap()).unwrap();
    assert!(codes(&b.design).contains(&"VPC_SECONDARY_CIDR_FAMILY".to_string()));
}

#[test]
fn i1_second_igw() {
    let (mut b, v, _) = base();
    b.igw(&v, "one");
    b.igw(&v, "two");
    assert!(codes(&b.design).contains(&"IGW_MULTIPLE".to_string()));
}

#[test]
fn r6_route_to_missing_or_detached_target() {
    let (mut b, v, _) = base();
    let rt = b.route_table(&v, "rt");
    b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway("igw-nope".into()));
    let other = b.vpc("other", "10.1.0.0/16");
    let igw = b.igw(&other, "theirs");
    b.route(&rt, "8.8.8.0/24", RouteTarget::InternetGateway(igw));
    let c = codes(&b.design);
    assert!(c.contains(&"ROUTE_TARGET_MISSING".to_string()), "{c:?}");
    assert!(c.contains(&"ROUTE_TARGET_DETACHED".to_string()), "{c:?}");
}

#[test]
fn n1_n3_nat_in_private_subnet_without_eip() {
    let (mut b, v, s) = base();
    let nat = b.nat_gateway(&s, "nat", "10.0.0.20", "50.1.1.2");
    b.design.nat_gateways.iter_mut().for_each(|n| n.eip = None);
    let c = codes(&b.design);
    assert!(c.contains(&"NAT_NO_EIP".to_string()), "{c:?}");
    assert!(c.contains(&"NAT_VPC_NO_IGW".to_string()), "{c:?}");
    assert!(c.contains(&"NAT_SUBNET_NOT_PUBLIC".to_string()), "{c:?}");
    let _ = (v, nat);
}

#[test]
fn p2_peering_overlap_p4_one_side() {
    let mut b = DesignBuilder::new("t", "ap-northeast-2");
    let a = b.vpc("a", "10.0.0.0/16");
    let c = b.vpc("c", "10.0.128.0/17");
    b.peering("a-c", &a, &c, PeeringStatus::Active);
    assert!(codes(&b.design).contains(&"PEERING_CIDR_OVERLAP".to_string()));

    let mut b = DesignBuilder::new("t", "ap-northeast-2");
    let a = b.vpc("a", "10.0.0.0/16");
    let t = b.vpc_in("tokyo", "172.31.0.0/16", "ap-northeast-1");
    let p = b.peering("a-t", &a, &t, PeeringStatus::Active);
    let rt = b.main_route_table(&a);
    b.route(&rt, "172.31.0.0/16", RouteTarget::VpcPeering(p));
    assert!(codes(&b.design).contains(&"PEERING_ROUTE_ONE_SIDE".to_string()));
}

#[test]
fn e4_private_dns_needs_hostnames_e1_two_subnets_per_az() {
    let (mut b, v, s) = base();
    let s2 = b.subnet(&v, "pub2", "10.0.1.0/24", "a");
    let sg = b.security_group(&v, "only-80");
    b.allow_in_tcp(&sg, 80, "10.0.0.0/16");
    b.interface_endpoint(
        &v,
        "com.amazonaws.ap-northeast-2.cloudformation",
        &[(&s, "10.0.0.50"), (&s2, "10.0.1.50")],
        &[&sg],
        true,
    );
    b.design.vpcs[0].enable_dns_hostnames = false;
    let c = codes(&b.design);
    assert!(c.contains(&"ENDPOINT_PRIVATE_DNS_NEEDS_DNS_ATTRIBUTES".to_string()), "{c:?}");
    assert!(c.contains(&"ENDPOINT_TWO_SUBNETS_IN_AZ".to_string()), "{c:?}");
    assert!(c.contains(&"ENDPOINT_SG_BLOCKS_SERVICE_PORT".to_string()), "{c:?}");
}

#[test]
fn l2_l6_nacl_numbering_and_ephemeral() {
    let (mut b, v, s) = base();
    let acl = b.custom_nacl(&v, "strict", &[&s]);
    let entry = |n, egress, port| NaclEntry {
        rule_number: n,
        egress,
        action: RuleAction::Allow,
        protocol: Protocol::Tcp,
        ports: PortSpec::port(port),
        cidr: "0.0.0.0/0".parse().unwrap(),
    };
    b.nacl_entry(&acl, entry(100, false, 80));
    b.nacl_entry(&acl, entry(100, false, 443));
    let c = codes(&b.design);
    assert!(c.contains(&"NACL_RULE_NUMBER_DUPLICATE".to_string()), "{c:?}");
    assert!(c.contains(&"NACL_NO_EPHEMERAL_OUTBOUND".to_string()), "{c:?}");
}

#[test]
fn r2_more_specific_than_local_must_be_a_subnet_to_nat_or_eni() {
    let (mut b, v, _) = base();
    let igw = b.igw(&v, "igw");
    let rt = b.main_route_table(&v);
    b.route(&rt, "10.0.5.0/24", RouteTarget::InternetGateway(igw));
    assert!(codes(&b.design).contains(&"ROUTE_MORE_SPECIFIC_THAN_LOCAL".to_string()));
}

#[test]
fn a6_reserved_address() {
    let (mut b, _, s) = base();
    b.instance(&s, "bad", "10.0.0.2", &[]);
    assert!(codes(&b.design).contains(&"ADDRESS_RESERVED".to_string()));
}

#[test]
fn generated_design_checks_fast_enough_to_be_linear() {
    let d = crate::model::gen::generate(200, 3);
    let f = check_design(&d);
    let errors: Vec<&Finding> = f.iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{:#?}", &errors[..errors.len().min(5)]);
}

#[test]
fn g2_hand_made_gateway_endpoint_route_is_refused() {
    let (mut b, v, _) = base();
    let rt = b.main_route_table(&v);
    let other = b.route_table(&v, "other");
    let ep = b.gateway_endpoint(&v, "s3", &[&other]);
    let t = b.design.route_tables.iter_mut().find(|t| t.id == rt).unwrap();
    t.routes.push(Route {
        destination: RouteDestination::PrefixList("pl-78a54011".into()),
        target: RouteTarget::GatewayEndpoint(ep),
        state: RouteState::Active,
        origin: RouteOrigin::Static,
    });
    let c = codes(&b.design);
    assert_eq!(c.iter().filter(|x| *x == "GATEWAY_ENDPOINT_ROUTE_NOT_MANAGED").count(), 1, "{c:?}");
}

#[test]
fn findings_about_external_stubs_alone_are_dropped() {
    let (mut b, v, _) = base();
    let ext = b.vpc("outside", "10.9.0.0/16");
    b.design.vpcs.iter_mut().find(|x| x.id == ext).unwrap().external = true;
    let rt = b.main_route_table(&ext);
    b.route(&rt, "172.31.0.0/16", RouteTarget::VpcPeering("pcx-unknown".into()));
    assert!(!codes(&b.design).contains(&"ROUTE_TARGET_MISSING".to_string()));
    let own = b.main_route_table(&v);
    b.route(&own, "172.31.0.0/16", RouteTarget::VpcPeering("pcx-unknown".into()));
    assert!(codes(&b.design).contains(&"ROUTE_TARGET_MISSING".to_string()), "the design's own table still counts");
}

/// Issue 11: `check_design` grows linearly. Counted rather than timed (a timing depends on the
/// machine's load): the lookups it makes through the index per VPC are the same for 100 and
/// 400 VPCs, and stay within a budget (each check reads what a VPC holds once, and what
/// belongs to no VPC is found through the ids the lists name, not by a lookup per resource).
#[test]
fn check_design_makes_the_same_lookups_per_vpc_at_every_size() {
    use crate::model::index::LOOKUPS;
    let per_vpc = |n: usize| {
        let d = crate::model::gen::generate(n, 1);
        LOOKUPS.with(|c| c.set(0));
        assert!(check_design(&d).is_empty());
        LOOKUPS.with(|c| c.get()) as f64 / n as f64
    };
    let (small, large) = (per_vpc(100), per_vpc(400));
    eprintln!("lookups per VPC: {small:.1} at 100 VPCs, {large:.1} at 400");
    assert!((large / small - 1.0).abs() < 0.05, "{small:.1} lookups per VPC at 100 VPCs, {large:.1} at 400");
    assert!(large < 170.0, "{large:.1} lookups per VPC (137.7 when written)");
}
