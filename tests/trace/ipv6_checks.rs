//! The IPv6 checks (issue 14): each finding code fires on the mistake it names and stays quiet
//! on a correct dual-stack design.

use crate::trace_common::*;
use ipnet::IpNet;
use vpcraft::model::*;
use vpcraft::sim::checks::{check_design, Finding};

fn codes(d: &Design) -> Vec<Finding> {
    check_design(d)
}

fn has(f: &[Finding], code: &str) -> bool {
    f.iter().any(|x| x.code == code)
}

fn fired<'f>(f: &'f [Finding], code: &str, rule: &str) -> &'f Finding {
    let x = f.iter().find(|x| x.code == code).unwrap_or_else(|| panic!("{code} not among {f:#?}"));
    assert_eq!(x.rule, rule, "{x}");
    assert!(!x.fix.contains("{}"), "fix template filled: {}", x.fix);
    x
}

fn ipv6_codes(f: &[Finding]) -> Vec<String> {
    f.iter()
        .filter(|x| {
            x.code.as_str().contains("IPV6")
                || x.code.as_str().contains("NAT64")
                || x.code.as_str().contains("DNS64")
                || x.code.as_str().contains("EIGW")
        })
        .map(|x| x.to_string())
        .collect()
}

#[test]
fn a_correct_dual_stack_design_is_quiet() {
    let l = dual_stack();
    let f = codes(&l.b.design);
    assert!(ipv6_codes(&f).is_empty(), "{:#?}", ipv6_codes(&f));
    let (l, _, _) = ipv6_only();
    let f = codes(&l.b.design);
    assert!(ipv6_codes(&f).is_empty(), "{:#?}", ipv6_codes(&f));
}

#[test]
fn a7_block_and_subnet_sizes() {
    let mut l = dual_stack();
    l.b.design.vpcs[0].ipv6_cidr_blocks[0].cidr = "2600:1f18::/48".parse().unwrap();
    l.b.design.subnets[0].ipv6_cidr = Some("2600:1f18:0:1::/63".parse().unwrap());
    let f = codes(&l.b.design);
    fired(&f, "VPC_IPV6_BLOCK_SIZE", "A7");
    fired(&f, "SUBNET_IPV6_SIZE", "A7");
    let mut l = dual_stack();
    l.b.design.vpcs[0].ipv6_cidr_blocks[0].pool = Ipv6Pool::Byoip("ipv6pool-ec2-1".into());
    l.b.design.vpcs[0].ipv6_cidr_blocks[0].cidr = "2600:1f18::/52".parse().unwrap();
    l.b.design.subnets[1].ipv6_cidr = Some("2600:1f18:1:2300::/64".parse().unwrap());
    let f = codes(&l.b.design);
    assert!(!has(&f, "VPC_IPV6_BLOCK_SIZE"), "BYOIP /52 is fine");
    fired(&f, "SUBNET_IPV6_OVERLAP", "A7");
    let mut l = dual_stack();
    l.b.design.subnets[0].ipv6_cidr = Some("2600:1f19::/64".parse().unwrap());
    fired(&codes(&l.b.design), "SUBNET_IPV6_OUTSIDE_VPC", "A7");
    let mut l = dual_stack();
    for k in 0..5 {
        let c = vpcraft::net::placeholder_vpc_block(k);
        l.b.design.vpcs[0].ipv6_cidr_blocks.push(Ipv6CidrBlock::amazon(c));
    }
    fired(&codes(&l.b.design), "VPC_IPV6_BLOCK_QUOTA", "A7");
}

#[test]
fn a7_addresses() {
    let mut l = dual_stack();
    let app = l.app.clone();
    let e = l.b.design.network_interfaces.iter_mut().find(|e| e.instance.as_deref() == Some(app.as_str())).unwrap();
    e.ipv6_addresses = vec!["2600:1f18:1:2301::2".parse().unwrap(), "2600:1f18:1:2300::10".parse().unwrap()];
    let f = codes(&l.b.design);
    let r = fired(&f, "ADDRESS_RESERVED", "A7");
    assert!(r.fix.contains("2600:1f18:1:2301::4"), "{}", r.fix);
    fired(&f, "ADDRESS_OUTSIDE_SUBNET", "A7");
}

#[test]
fn a7_ipv6_only_subnets() {
    let (mut l, _, rt) = ipv6_only();
    l.b.design.route_tables.iter_mut().find(|t| t.id == rt).unwrap().routes.retain(|r| r.is_local());
    let s = l.b.design.subnets.iter_mut().find(|s| s.is_ipv6_only()).unwrap();
    s.hostname_type = HostnameType::IpName;
    let f = codes(&l.b.design);
    fired(&f, "SUBNET_IPV6_ONLY_NO_ROUTE", "I5");
    fired(&f, "SUBNET_IPV6_ONLY_IP_NAME", "A7");
    // DNS64 on with no NAT64 route, too.
    fired(&f, "DNS64_WITHOUT_NAT64_ROUTE", "N4");
    // DNS64 on and no NAT64 route, but ::/0 to the egress-only gateway: the 64:ff9b::/96
    // answers leave for the internet, which does not route them (the trace drops them at the
    // gateway), so the check says so rather than taking ::/0 for a NAT64 route.
    let (mut l2, _, rt2) = ipv6_only();
    let t = l2.b.design.route_tables.iter_mut().find(|t| t.id == rt2).unwrap();
    t.routes.retain(|r| r.destination.ipv6() != Some(vpcraft::net::NAT64_PREFIX));
    assert!(t.routes.iter().any(|r| matches!(r.target, RouteTarget::EgressOnlyInternetGateway(_))), "{t:?}");
    let f = codes(&l2.b.design);
    let x = fired(&f, "DNS64_WITHOUT_NAT64_ROUTE", "N4");
    assert!(x.message.contains("sends them by ::/0 to"), "{x}");
    let mut d = l.b.design.clone();
    d.subnets.retain(|s| !s.is_ipv6_only());
    let nat_subnet = d.nat_gateways[0].subnet.clone().unwrap();
    let s = d.subnets.iter_mut().find(|s| s.id == nat_subnet).unwrap();
    s.cidr = None;
    s.hostname_type = HostnameType::ResourceName;
    fired(&codes(&d), "NAT_IN_IPV6_ONLY_SUBNET", "N1");
}

#[test]
fn i5_private_table_routing_ipv6_to_the_igw() {
    let mut l = dual_stack();
    let igw = l.b.design.internet_gateways[0].id.clone();
    let rt = l.b.design.route_tables.iter_mut().find(|t| t.id == l.rt_priv).unwrap();
    rt.routes.retain(|r| !matches!(r.target, RouteTarget::EgressOnlyInternetGateway(_)));
    rt.routes.push(Route::to_cidr("::/0".parse::<IpNet>().unwrap(), RouteTarget::InternetGateway(igw)));
    let f = codes(&l.b.design);
    let x = fired(&f, "ROUTE_IPV6_PRIVATE_TO_IGW", "I5");
    assert_eq!(x.resources[0], l.rt_priv);
}

#[test]
fn i5_eigw_in_a_public_table() {
    let mut l = dual_stack();
    let eigw = l.eigw.clone();
    let rt = l.b.design.route_tables.iter_mut().find(|t| t.name == "RT-pub").unwrap();
    rt.routes.retain(|r| r.destination.ipv6().is_none() || r.is_local());
    rt.routes.push(Route::to_cidr("::/0".parse::<IpNet>().unwrap(), RouteTarget::EgressOnlyInternetGateway(eigw)));
    fired(&codes(&l.b.design), "ROUTE_EIGW_IN_PUBLIC_TABLE", "I5");
    let mut l = dual_stack();
    let eigw = l.eigw.clone();
    let vpc = l.b.design.vpcs[0].id.clone();
    l.b.design.egress_only_internet_gateways.push(EgressOnlyInternetGateway {
        id: "eigw-2".into(),
        name: "2".into(),
        vpc,
    });
    let _ = eigw;
    fired(&codes(&l.b.design), "EIGW_MULTIPLE", "I5");
}

#[test]
fn n4_nat64_and_dns64_go_together() {
    let (mut l, _, rt) = ipv6_only();
    for s in &mut l.b.design.subnets {
        s.enable_dns64 = false;
    }
    let f = codes(&l.b.design);
    let x = fired(&f, "NAT64_ROUTE_WITHOUT_DNS64", "N4");
    assert_eq!(x.resources[0], rt);
    let (mut l, _, rt) = ipv6_only();
    let nat = l.nat.clone();
    let t = l.b.design.route_tables.iter_mut().find(|t| t.id == rt).unwrap();
    t.routes.push(Route::to_cidr("2001:db8::/32".parse::<IpNet>().unwrap(), RouteTarget::NatGateway(nat)));
    fired(&codes(&l.b.design), "ROUTE_IPV6_TO_NAT", "N4");
    let (mut l, _, rt) = ipv6_only();
    let eigw = l.eigw.clone();
    let t = l.b.design.route_tables.iter_mut().find(|t| t.id == rt).unwrap();
    for r in &mut t.routes {
        if r.destination.ipv6() == Some(vpcraft::net::NAT64_PREFIX) {
            r.target = RouteTarget::EgressOnlyInternetGateway(eigw.clone());
        }
    }
    fired(&codes(&l.b.design), "NAT64_ROUTE_NOT_NAT", "N4");
    // Central NAT64 (a NAT gateway in an egress VPC behind a transit gateway) is AWS's own
    // design: 64:ff9b::/96 to the transit gateway is no mistake.
    let (mut l, _, rt) = ipv6_only();
    let t = l.b.design.route_tables.iter_mut().find(|t| t.id == rt).unwrap();
    for r in &mut t.routes {
        if r.destination.ipv6() == Some(vpcraft::net::NAT64_PREFIX) {
            r.target = RouteTarget::TransitGateway("tgw-hub".into());
        }
    }
    assert!(!has(&codes(&l.b.design), "NAT64_ROUTE_NOT_NAT"));
}

#[test]
fn s2_l2_ipv4_rules_without_their_ipv6_twin() {
    let mut l = dual_stack();
    for g in &mut l.b.design.security_groups {
        g.ingress.retain(|r| !matches!(r.peer, SgPeer::Cidr(IpNet::V6(_))));
    }
    let f = codes(&l.b.design);
    let x = fired(&f, "SG_IPV6_TWIN_MISSING", "S2");
    assert!(x.message.contains("tcp 443"), "{}", x.message);
    let mut l = dual_stack();
    for a in &mut l.b.design.network_acls {
        a.entries.retain(|e| e.rule_number != 101);
    }
    fired(&codes(&l.b.design), "NACL_IPV6_TWIN_MISSING", "L2");
}

#[test]
fn p2_p4_peering_ipv6() {
    let mut l = dual_stack();
    let b = &mut l.b;
    let v2 = b.vpc("B", "10.1.0.0/16");
    b.ipv6_block(&v2, "2600:1f18:1:2400::/56");
    let a = b.design.vpcs[0].id.clone();
    let pcx = b.peering("ab", &a, &v2, PeeringStatus::Active);
    let rt_priv = l.rt_priv.clone();
    l.b.route(&rt_priv, "2600:1f18:1:2400::/56", RouteTarget::VpcPeering(pcx.clone()));
    l.b.route(&rt_priv, "10.1.0.0/16", RouteTarget::VpcPeering(pcx.clone()));
    let main_b = l.b.main_route_table(&v2);
    l.b.route(&main_b, "10.0.0.0/16", RouteTarget::VpcPeering(pcx.clone()));
    let f = codes(&l.b.design);
    let x = fired(&f, "PEERING_IPV6_ROUTE_ONE_SIDE", "P4");
    assert!(x.fix.contains("2600:1f18:1:2300::/56"), "{}", x.fix);
    assert!(!has(&f, "PEERING_ROUTE_ONE_SIDE"), "IPv4 routes are on both sides");
    l.b.design.vpcs[1].ipv6_cidr_blocks[0].cidr = "2600:1f18:1:2300::/56".parse().unwrap();
    fired(&codes(&l.b.design), "PEERING_CIDR_OVERLAP", "P2");
}

#[test]
fn t2_t4_transit_gateway_ipv6() {
    let mut l = dual_stack();
    let v = l.b.design.vpcs[0].id.clone();
    let private = l.b.design.subnets[1].id.clone();
    let (tgw, _) = transit_gateway(&mut l.b.design, &[(&v, &[&private])]);
    let rt_priv = l.rt_priv.clone();
    l.b.route(&rt_priv, "2600:1f18:9::/48", RouteTarget::TransitGateway(tgw));
    let f = codes(&l.b.design);
    fired(&f, "TGW_ATTACHMENT_NO_IPV6", "T2");
    for a in &mut l.b.design.tgw_attachments {
        a.ipv6_support = true;
    }
    fired(&codes(&l.b.design), "TGW_IPV6_NO_ROUTE", "T4");
}
