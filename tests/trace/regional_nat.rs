//! Regional NAT gateways (issue 15, rule N9): AWS VPC User Guide, "Regional NAT gateways for
//! automatic multi-AZ expansion" (no public subnet, one NAT gateway ID for every AZ, a route
//! table AWS creates for it with a route to the internet gateway, to which return routes are
//! added); EC2 API Reference, `NatGateway` (`autoProvisionZones`: automatic mode follows the
//! VPC's subnets; manual mode uses the addresses listed per AZ).

use crate::trace_common::*;
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;

const WEB: &str = "60.1.1.1";

/// One VPC with private subnets in AZs a and c, an internet gateway, and a regional NAT
/// gateway that the main table sends 0.0.0.0/0 to.
fn vpc_with_regional_nat() -> (DesignBuilder, Id, Id, Id) {
    let mut b = DesignBuilder::new("regional", REGION);
    let v = b.vpc("app", "10.0.0.0/16");
    let sa = b.subnet(&v, "app-a", "10.0.1.0/24", "a");
    let sc = b.subnet(&v, "app-c", "10.0.2.0/24", "c");
    b.igw(&v, "igw");
    let nat = b.regional_nat_gateway(&v, "rnat", "50.1.1.9", None);
    let rt = b.main_route_table(&v);
    b.route(&rt, "0.0.0.0/0", RouteTarget::NatGateway(nat.clone()));
    b.instance(&sa, "app-a1", "10.0.1.10", &[]);
    b.instance(&sc, "app-c1", "10.0.2.10", &[]);
    (b, v, nat, rt)
}

#[test]
fn regional_nat_serves_every_az_without_a_public_subnet_n9() {
    let (b, _, nat, _) = vpc_with_regional_nat();
    for (from, az) in [("app-a1", "a"), ("app-c1", "c")] {
        let r = tcp(&b.design, from, WEB, 443);
        assert_delivered(&r, "EXITS_NETWORK");
        let n = hop(&r.forward, "nat-gateway", "nat");
        assert_eq!(n.rule, "N9", "{}", explain(&r));
        assert_eq!(n.component.id, nat);
        assert_eq!(n.after.src, ip("50.1.1.9"), "a regional NAT gateway translates to its public address");
        assert!(n.decision.to_string().contains(&format!("{REGION}{az}")), "{}", n.decision);
        // AWS's table for it: 0.0.0.0/0 → the internet gateway, which passes the address on.
        let igw = hop(&r.forward, "internet-gateway", "forward");
        assert_eq!(igw.rule, "N9");
        // The reply comes back through the NAT gateway to the instance.
        let back = hop(&r.return_path, "nat-gateway", "nat");
        assert_eq!(back.after.dst, ip(if az == "a" { "10.0.1.10" } else { "10.0.2.10" }));
    }
}

#[test]
fn regional_nat_takes_no_connection_from_the_internet_n5() {
    let (b, ..) = vpc_with_regional_nat();
    let r = tcp(&b.design, "internet", "50.1.1.9", 22);
    assert_dropped(&r, "NO_POSSIBLE_DESTINATION", "nat-gateway", "N5");
}

#[test]
fn regional_nat_in_a_vpc_without_an_internet_gateway_has_no_way_out_n9() {
    let (mut b, ..) = vpc_with_regional_nat();
    b.design.internet_gateways.clear();
    let r = tcp(&b.design, "app-a1", WEB, 443);
    let stop = assert_dropped(&r, "NO_ROUTE_TO_DESTINATION", "nat-gateway", "N9");
    assert!(stop.decision.to_string().contains("no internet gateway"), "{}", stop.decision);
    let codes: Vec<String> =
        vpcraft::sim::checks::check_design(&b.design).iter().map(|f| f.code.as_str().to_string()).collect();
    assert!(codes.iter().any(|c| c == "NAT_VPC_NO_IGW"), "{codes:?}");
}

#[test]
fn regional_nat_in_manual_mode_uses_the_zone_address_n9() {
    let (mut b, _, nat, _) = vpc_with_regional_nat();
    let e2 = b.eip("rnat-c", "50.1.1.10");
    let first = b.design.nat_gateway(&nat).unwrap().eip.clone().unwrap();
    let n = b.design.nat_gateways.iter_mut().find(|n| n.id == nat).unwrap();
    n.zones = vec![
        NatZoneAddress { zone: format!("{REGION}a"), eips: vec![first] },
        NatZoneAddress { zone: format!("{REGION}c"), eips: vec![e2] },
    ];
    let r = tcp(&b.design, "app-c1", WEB, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    assert_eq!(hop(&r.forward, "nat-gateway", "nat").after.src, ip("50.1.1.10"));
    let r = tcp(&b.design, "app-a1", WEB, 443);
    assert_eq!(hop(&r.forward, "nat-gateway", "nat").after.src, ip("50.1.1.9"));
}

/// Centralized egress with a regional NAT gateway: the spoke's 0.0.0.0/0 goes to the transit
/// gateway, the egress VPC's attachment subnet to the regional NAT gateway. The replies need
/// a route back to the spokes in the NAT gateway's own table (N9).
fn central(with_return_route: bool) -> (DesignBuilder, Id) {
    let mut b = DesignBuilder::new("central", REGION);
    let egress = b.vpc("egress", "10.0.0.0/16");
    let att = b.subnet(&egress, "egress-tgw", "10.0.1.0/24", "a");
    b.igw(&egress, "egress-igw");
    let nat_rt = b.route_table(&egress, "rnat-rt");
    let nat = b.regional_nat_gateway(&egress, "rnat", "50.1.1.9", Some(&nat_rt));
    let igw = b.design.internet_gateways[0].id.clone();
    b.route(&nat_rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    let rt_att = b.route_table(&egress, "egress-tgw-rt");
    b.route(&rt_att, "0.0.0.0/0", RouteTarget::NatGateway(nat));
    b.associate(&rt_att, &att);
    let spoke = b.vpc("spoke", "10.1.0.0/16");
    let s = b.subnet(&spoke, "spoke-app", "10.1.1.0/24", "a");
    b.instance(&s, "spoke-app1", "10.1.1.10", &[]);
    let (tgw, _) = transit_gateway(&mut b.design, &[(&spoke, &[&s]), (&egress, &[&att])]);
    let main = b.main_route_table(&spoke);
    b.route(&main, "0.0.0.0/0", RouteTarget::TransitGateway(tgw.clone()));
    let egress_attachment = b.design.tgw_attachments.iter().find(|a| a.id.ends_with('2')).map(|a| a.id.clone());
    let table = &mut b.design.tgw_route_tables[0];
    table.static_routes.push(TgwRoute { cidr: "0.0.0.0/0".parse().unwrap(), attachment: egress_attachment });
    if with_return_route {
        b.route(&nat_rt, "10.0.0.0/8", RouteTarget::TransitGateway(tgw));
    }
    (b, nat_rt)
}

#[test]
fn centralized_egress_through_a_regional_nat_needs_a_return_route_in_its_own_table_n9() {
    let (b, nat_rt) = central(true);
    let r = tcp(&b.design, "spoke-app1", WEB, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let n = hop(&r.forward, "nat-gateway", "nat");
    assert!(n.decision.to_string().contains("transit gateway attachment"), "{}", n.decision);
    let rt = r.return_path.iter().find(|x| x.component.id == nat_rt).unwrap_or_else(|| panic!("{}", explain(&r)));
    assert!(
        rt.matched.as_ref().map(ToString::to_string).as_deref().unwrap_or("").contains("10.0.0.0/8"),
        "{:?}",
        rt.matched
    );

    let (b, nat_rt) = central(false);
    let r = tcp(&b.design, "spoke-app1", WEB, 443);
    assert_dropped_reply(&r, "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", "internet-gateway", "I4");
    let codes: Vec<(String, Vec<String>)> = vpcraft::sim::checks::check_design(&b.design)
        .into_iter()
        .map(|f| (f.code.as_str().to_string(), f.resources))
        .collect();
    assert!(codes.iter().any(|(c, r)| c == "EGRESS_RETURN_ROUTE_MISSING" && r.contains(&nat_rt)), "{codes:?}");
}

#[test]
fn a_version_2_design_with_a_nat_gateway_loads_and_traces_as_before() {
    let v2 = include_str!("../fixtures/designs/valid/nat-gateway-v2.ron");
    let d =
        vpcraft::io::native::load_str(v2, std::path::Path::new("nat-gateway-v2.ron")).expect("a version 2 file loads");
    let n = &d.nat_gateways[0];
    assert_eq!((n.subnet.as_deref(), n.private_ip), (Some("subnet-00000-pub0"), Some(ip4("10.0.0.5"))));
    let r = tcp(&d, "i-00000-app00", WEB, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    assert_eq!(hop(&r.forward, "nat-gateway", "nat").after.src, ip("10.0.0.5"));
}
