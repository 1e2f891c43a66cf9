//! The 34 scenarios of section 13 of `aws-network-semantics.md`, one test each, named after
//! the scenario's number and the rules it exercises.

use crate::trace_common::*;
use vpcraft::model::*;

const WEB: &str = "60.1.1.1";

/// #1's topology: EC2 10.0.0.10 in the public subnet with EIP 50.1.1.1.
fn public_ec2(eip: bool) -> (Lab, Id) {
    let mut l = lab();
    let sg = l.sg.clone();
    let pubnet = l.public.clone();
    let i = l.b.instance(&pubnet, "web-client", "10.0.0.10", &[&sg]);
    if eip {
        l.b.associate_eip(&i, "50.1.1.1");
    }
    (l, i)
}

/// #7's topology: EC2 10.0.1.10 in the private subnet.
fn private_ec2() -> (Lab, Id) {
    let mut l = lab();
    let sg = l.sg.clone();
    let privnet = l.private.clone();
    let i = l.b.instance(&privnet, "backend", "10.0.1.10", &[&sg]);
    (l, i)
}

#[test]
fn s01_igw_one_to_one_nat_and_stateful_reply_i3_s3() {
    let (l, i) = public_ec2(true);
    let r = tcp(&l.design(), &i, WEB, 80);
    assert_delivered(&r, "EXITS_NETWORK");
    let nat = hop(&r.forward, "internet-gateway", "nat");
    assert_eq!((nat.before.src, nat.after.src), (ip("10.0.0.10"), ip("50.1.1.1")));
    assert_eq!(nat.rule, "I3");
    assert_eq!(nat.before.src_port, nat.after.src_port, "I3: no port translation");
    let back = hop(&r.return_path, "internet-gateway", "nat");
    assert_eq!((back.before.dst, back.after.dst), (ip("50.1.1.1"), ip("10.0.0.10")));
    let last = r.return_path.last().unwrap();
    assert_eq!((last.action.as_str(), last.rule.as_str()), ("deliver", "S3"));
}

#[test]
fn s02_no_public_ip_igw_drops_egress_i2_i4() {
    let (l, i) = public_ec2(false);
    let r = tcp(&l.design(), &i, WEB, 80);
    assert_dropped_forward(&r, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "internet-gateway", "I2");
    assert_eq!(r.disposition.as_str(), "DENIED_OUT");
}

#[test]
fn s03_public_table_without_default_route_r3() {
    let (mut l, i) = public_ec2(true);
    let rt = l.rt_pub.clone();
    if let Some(t) = l.b.design.route_tables.iter_mut().find(|t| t.id == rt) {
        t.routes.retain(|r| r.is_local());
    }
    let r = tcp(&l.design(), &i, WEB, 80);
    let stop = assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    assert_eq!(stop.component.id, rt);
    assert_eq!(r.disposition.as_str(), "NO_ROUTE");
    assert!(r.blockers[0].fix.contains("0.0.0.0/0 → igw-0001"), "{}", r.blockers[0].fix);
}

#[test]
fn s04_inbound_sg_only_22_blocks_http_s2() {
    let (mut l, _) = public_ec2(true);
    let sg = l.sg.clone();
    l.b.allow_in_tcp(&sg, 22, "0.0.0.0/0");
    let r = tcp(&l.design(), WEB, "50.1.1.1", 80);
    let stop = assert_dropped_forward(&r, "ENI_SG_RULES_MISMATCH", "security-group", "S2");
    assert_eq!(stop.component.id, sg);
    assert_eq!(r.disposition.as_str(), "DENIED_IN");
    assert_eq!(hop(&r.forward, "internet-gateway", "nat").after.dst, ip("10.0.0.10"));
}

#[test]
fn s05_nacl_blocks_reply_ephemeral_port_l3_l6() {
    let (mut l, _) = public_ec2(true);
    let (sg, vpc, pubnet) = (l.sg.clone(), l.vpc.clone(), l.public.clone());
    l.b.allow_in_tcp(&sg, 80, "0.0.0.0/0");
    let acl = l.b.custom_nacl(&vpc, "web-acl", &[&pubnet]);
    l.b.nacl_entry(&acl, nacl(100, false, RuleAction::Allow, Protocol::Tcp, PortSpec::port(80), "0.0.0.0/0"));
    let r = tcp_from_port(&l.design(), WEB, "50.1.1.1", 80, 51000);
    let stop = assert_dropped_reply(&r, "SUBNET_ACL_RESTRICTION", "network-acl", "L3");
    assert_eq!(stop.component.id, acl);
    assert_eq!(stop.before.dst_port, Some(51000), "L6: the reply goes to the client's ephemeral port");
    assert_eq!(stop.matched.as_deref(), Some("rule * deny all 0.0.0.0/0"));
    assert_eq!(r.disposition.as_str(), "DENIED_OUT");
    assert_eq!(r.forward.last().unwrap().action, "deliver", "the request arrives");
    assert!(r.blockers[0].fix.contains("1024-65535"), "{}", r.blockers[0].fix);
}

#[test]
fn s06_internet_to_private_ip_i4() {
    let (l, _) = public_ec2(true);
    let r = tcp(&l.design(), WEB, "10.0.0.10", 80);
    assert_dropped_forward(&r, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "internet-gateway", "I4");
}

#[test]
fn s07_private_subnet_to_s3_without_endpoint_r3() {
    let (l, i) = private_ec2();
    let r = tcp(&l.design(), &i, "s3.ap-northeast-2.amazonaws.com", 443);
    let stop = assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    assert_eq!(stop.component.id, l.rt_priv);
    let resolve = hop(&r.forward, "dns", "resolve");
    assert!(
        matches!(resolve.after.dst, std::net::IpAddr::V4(a) if a.octets()[0] == 52),
        "S3's public address: {}",
        resolve.after.dst
    );
}

fn s3_endpoint_lab(tables: &[&str]) -> (Lab, Id, Id) {
    let (mut l, i) = private_ec2();
    let vpc = l.vpc.clone();
    let e = l.b.gateway_endpoint(&vpc, "s3", tables);
    (l, i, e)
}

#[test]
fn s08_gateway_endpoint_prefix_list_route_g2_g3() {
    let (l0, _) = private_ec2();
    let rt = l0.rt_priv.clone();
    let (l, i, e) = s3_endpoint_lab(&[&rt]);
    let r = tcp(&l.design(), &i, "s3.ap-northeast-2.amazonaws.com", 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let route = hop(&r.forward, "route-table", "route");
    assert_eq!(route.rule, "G3");
    assert!(route.matched.as_deref().unwrap().starts_with("pl-78a54011"), "{:?}", route.matched);
    assert_eq!(hop(&r.forward, "vpc-endpoint", "forward").component.id, e);
    assert!(r.forward.iter().all(|h| h.after.src == ip("10.0.1.10")), "G3: no NAT on a gateway endpoint");
    assert_eq!(r.return_path.last().unwrap().after.dst, ip("10.0.1.10"));
}

#[test]
fn s09_endpoint_on_public_table_only_g2() {
    let (l0, _) = private_ec2();
    let rt_pub = l0.rt_pub.clone();
    let (l, i, _) = s3_endpoint_lab(&[&rt_pub]);
    let r = tcp(&l.design(), &i, "s3.ap-northeast-2.amazonaws.com", 443);
    let stop = assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    assert_eq!(stop.component.id, l.rt_priv);
    assert!(r.blockers[0].fix.contains("associate vpce-"), "G2 fix: {}", r.blockers[0].fix);
}

#[test]
fn s10_sg_egress_to_vpc_only_blocks_s3_fix_names_prefix_list_g5() {
    let (l0, _) = private_ec2();
    let rt = l0.rt_priv.clone();
    let (mut l, i, _) = s3_endpoint_lab(&[&rt]);
    let sg = l.sg.clone();
    l.b.set_egress(&sg, vec![SgRule::tcp(443, SgPeer::Cidr(net("10.0.0.0/16").into()))]);
    let r = tcp(&l.design(), &i, "s3.ap-northeast-2.amazonaws.com", 443);
    let stop = assert_dropped_forward(&r, "ENI_SG_RULES_MISMATCH", "security-group", "S2");
    assert_eq!(stop.component.id, sg);
    assert_eq!(r.disposition.as_str(), "DENIED_OUT");
    assert_eq!(r.blockers.len(), 1, "the route is fine: one blocker");
    assert_eq!(r.blockers[0].fix, format!("allow tcp 443 to pl-78a54011 in {sg} outbound"));
}

/// #11: an interface endpoint for CloudFormation with its interface at 10.0.1.50.
fn cloudformation_lab(private_dns: bool, endpoint_port: u16) -> (Lab, Id, Id) {
    let (mut l, i) = private_ec2();
    let (vpc, privnet) = (l.vpc.clone(), l.private.clone());
    let esg = l.b.security_group(&vpc, "endpoint-sg");
    l.b.allow_in_tcp(&esg, endpoint_port, "10.0.0.0/16");
    let e = l.b.interface_endpoint(
        &vpc,
        "com.amazonaws.ap-northeast-2.cloudformation",
        &[(&privnet, "10.0.1.50")],
        &[&esg],
        private_dns,
    );
    (l, i, e)
}

const CFN: &str = "cloudformation.ap-northeast-2.amazonaws.com";

#[test]
fn s11_interface_endpoint_private_dns_e4() {
    let (l, i, e) = cloudformation_lab(true, 443);
    let r = tcp(&l.design(), &i, CFN, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let resolve = hop(&r.forward, "dns", "resolve");
    assert_eq!((resolve.rule.as_str(), resolve.after.dst), ("E4", ip("10.0.1.50")));
    hop(&r.forward, "subnet", "switch");
    assert_eq!(hop(&r.forward, "security-group", "ingress-allowed").rule, "S2");
    let exit = r.forward.last().unwrap();
    assert_eq!((exit.action.as_str(), exit.component.kind.as_str()), ("exit", "aws-service"));
    let _ = e;
}

#[test]
fn s12_private_dns_off_resolves_public_no_route_e4() {
    let (l, i, _) = cloudformation_lab(false, 443);
    let r = tcp(&l.design(), &i, CFN, 443);
    assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    let resolve = hop(&r.forward, "dns", "resolve");
    assert_eq!(resolve.rule, "E4");
    assert!(!matches!(resolve.after.dst, std::net::IpAddr::V4(a) if a.is_private()));
}

#[test]
fn s13_vpce_specific_name_always_reaches_endpoint_e5() {
    let (l, i, e) = cloudformation_lab(false, 443);
    let d = l.design();
    let sfx = d.endpoint(&e).unwrap().dns_suffix.clone();
    let name = format!("{e}-{sfx}.cloudformation.ap-northeast-2.vpce.amazonaws.com");
    let r = tcp(&d, &i, &name, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let resolve = hop(&r.forward, "dns", "resolve");
    assert_eq!((resolve.rule.as_str(), resolve.after.dst), ("E5", ip("10.0.1.50")));
    let zonal = format!("{e}-{sfx}-ap-northeast-2a.cloudformation.ap-northeast-2.vpce.amazonaws.com");
    let r = tcp(&d, &i, &zonal, 443);
    assert_delivered(&r, "EXITS_NETWORK");
}

#[test]
fn s14_dns_hostnames_off_makes_private_dns_unusable_e4() {
    let (mut l, i, _) = cloudformation_lab(true, 443);
    let vpc = l.vpc.clone();
    l.b.design.vpcs.iter_mut().find(|v| v.id == vpc).unwrap().enable_dns_hostnames = false;
    let r = tcp(&l.design(), &i, CFN, 443);
    assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    assert!(!matches!(hop(&r.forward, "dns", "resolve").after.dst, std::net::IpAddr::V4(a) if a.is_private()));
    let flag = r.blockers.iter().find(|b| b.component.kind == "vpc").expect("E4 configuration blocker");
    assert!(flag.fix.contains("enableDnsHostnames"), "{}", flag.fix);
}

#[test]
fn s15_endpoint_sg_without_443_blocks_e2() {
    let (l, i, _) = cloudformation_lab(true, 80);
    let d = l.design();
    let r = tcp(&d, &i, CFN, 443);
    let stop = assert_dropped_forward(&r, "ENI_SG_RULES_MISMATCH", "security-group", "S2");
    assert_eq!(d.security_group(&stop.component.id).unwrap().name, "endpoint-sg", "E2: the endpoint's group");
}

/// #16: RT-priv 0/0 → NAT GW 10.0.0.20 (EIP 50.1.1.2) in `nat_subnet`.
fn nat_lab(in_public: bool) -> (Lab, Id, Id) {
    let (mut l, i) = private_ec2();
    let subnet = if in_public { l.public.clone() } else { l.private.clone() };
    let n = l.b.nat_gateway(&subnet, "nat", "10.0.0.20", "50.1.1.2");
    let rt = l.rt_priv.clone();
    l.b.route(&rt, "0.0.0.0/0", RouteTarget::NatGateway(n.clone()));
    (l, i, n)
}

#[test]
fn s16_nat_gateway_rewrites_source_and_port_n3_n4() {
    let (l, i, _) = nat_lab(true);
    let r = tcp(&l.design(), &i, WEB, 80);
    assert_delivered(&r, "EXITS_NETWORK");
    let nat = hop(&r.forward, "nat-gateway", "nat");
    assert_eq!((nat.before.src, nat.after.src), (ip("10.0.1.10"), ip("10.0.0.20")));
    let port = nat.after.src_port.unwrap();
    assert!((1024..=65535).contains(&port), "N4: port {port}");
    assert_eq!(nat.after.dst, ip(WEB), "N4: destination kept");
    let igw = hop(&r.forward, "internet-gateway", "nat");
    assert_eq!((igw.before.src, igw.after.src), (ip("10.0.0.20"), ip("50.1.1.2")));
    let back = hop(&r.return_path, "nat-gateway", "nat");
    assert_eq!((back.after.dst, back.after.dst_port), (ip("10.0.1.10"), Some(49152)));
    assert_eq!(r.return_path.last().unwrap().component.id, i);
}

#[test]
fn s17_nat_gateway_in_private_subnet_has_no_route_n3() {
    let (l, i, _) = nat_lab(false);
    let r = tcp(&l.design(), &i, WEB, 80);
    let stop = assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    assert!(stop.decision.contains("N3"), "{}", stop.decision);
    hop(&r.forward, "nat-gateway", "nat");
}

#[test]
fn s18_nat_gateway_takes_no_unsolicited_inbound_n5() {
    let (l, _, n) = nat_lab(true);
    let r = tcp(&l.design(), WEB, "50.1.1.2", 22);
    let stop = assert_dropped_forward(&r, "NO_POSSIBLE_DESTINATION", "nat-gateway", "N5");
    assert_eq!(stop.component.id, n);
}

/// #19: NAT instance 10.0.0.100 with an EIP; RT-priv 0/0 → its ENI.
fn nat_instance_lab(check: bool) -> (Lab, Id, Id) {
    let (mut l, i) = private_ec2();
    let (vpc, pubnet) = (l.vpc.clone(), l.public.clone());
    let nsg = l.b.security_group(&vpc, "nat-sg");
    l.b.allow_in(&nsg, SgRule::allow_all_to(SgPeer::Cidr(net("10.0.1.0/24").into())));
    let nat = l.b.instance(&pubnet, "nat-instance", "10.0.0.100", &[&nsg]);
    l.b.associate_eip(&nat, "50.1.1.3");
    let eni = l.b.primary_eni(&nat);
    eni_of(&mut l.b.design, &nat).source_dest_check = check;
    let rt = l.rt_priv.clone();
    l.b.route(&rt, "0.0.0.0/0", RouteTarget::NetworkInterface(eni.clone()));
    (l, i, eni)
}

#[test]
fn s19_nat_instance_with_source_dest_check_drops_n8_x4() {
    let (l, i, eni) = nat_instance_lab(true);
    let r = tcp(&l.design(), &i, WEB, 80);
    let stop = assert_dropped_forward(&r, "ENI_SOURCE_DEST_CHECK_RESTRICTION", "network-interface", "N8");
    assert_eq!(stop.component.id, eni);
    assert!(r.blockers[0].fix.contains("disable the source/destination check"));
}

#[test]
fn s20_nat_instance_masquerades_then_igw_maps_eip_n8() {
    let (l, i, _) = nat_instance_lab(false);
    let r = tcp(&l.design(), &i, WEB, 80);
    assert_delivered(&r, "EXITS_NETWORK");
    let masq = hop(&r.forward, "instance", "nat");
    assert_eq!(
        (masq.before.src, masq.after.src, masq.rule),
        (ip("10.0.1.10"), ip("10.0.0.100"), vpcraft::rules::Rule::N8)
    );
    let igw = hop(&r.forward, "internet-gateway", "nat");
    assert_eq!((igw.before.src, igw.after.src), (ip("10.0.0.100"), ip("50.1.1.3")));
    let back = hop(&r.return_path, "instance", "nat");
    assert_eq!(back.after.dst, ip("10.0.1.10"));
}

/// #21: Seoul A 10.0.0.0/16 ↔ Tokyo B 172.31.0.0/16, SGs and NACLs allowing by CIDR.
fn peering_lab(status: PeeringStatus, route_in_b: bool) -> (Lab, Id, Id, Id, Id) {
    let (mut l, i) = private_ec2();
    let a = l.vpc.clone();
    let b = l.b.vpc_in("B", "172.31.0.0/16", "ap-northeast-1");
    let bsub = l.b.subnet(&b, "b-sub", "172.31.0.0/20", "a");
    let bsg = l.b.security_group(&b, "b-ssh");
    l.b.allow_in_tcp(&bsg, 22, "10.0.0.0/16");
    let bi = l.b.instance(&bsub, "tokyo", "172.31.0.10", &[&bsg]);
    let pcx = l.b.peering("seoul-tokyo", &a, &b, status);
    let rt = l.rt_priv.clone();
    l.b.route(&rt, "172.31.0.0/16", RouteTarget::VpcPeering(pcx.clone()));
    let brt = l.b.main_route_table(&b);
    if route_in_b {
        l.b.route(&brt, "10.0.0.0/16", RouteTarget::VpcPeering(pcx.clone()));
    }
    (l, i, bi, pcx, brt)
}

#[test]
fn s21_route_on_one_side_only_fails_on_reply_p4() {
    let (l, i, bi, _, brt) = peering_lab(PeeringStatus::Active, false);
    let r = tcp(&l.design(), &i, &bi, 22);
    let stop = assert_dropped_reply(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    assert_eq!(stop.component.id, brt);
    assert_eq!(r.forward.last().unwrap().component.id, bi, "the SYN reaches B");
    assert!(r.blockers[0].fix.contains("10.0.0.0/16 → pcx-0001"), "{}", r.blockers[0].fix);
}

#[test]
fn s22_routes_on_both_sides_deliver_cross_region_p4_p7() {
    let (l, i, bi, _, _) = peering_lab(PeeringStatus::Active, true);
    let r = tcp(&l.design(), &i, &bi, 22);
    assert_delivered(&r, "ACCEPTED");
    let pcx = hop(&r.forward, "vpc-peering", "forward");
    assert!(pcx.decision.contains("P7"), "{}", pcx.decision);
}

#[test]
fn s22_cross_region_sg_reference_does_not_match_p7_p8() {
    let (mut l, i, bi, _, _) = peering_lab(PeeringStatus::Active, true);
    let (sg, bsg) = (l.sg.clone(), l.b.design.security_groups.iter().find(|g| g.name == "b-ssh").unwrap().id.clone());
    set_ingress(&mut l.b, &bsg, vec![SgRule::tcp(22, SgPeer::group(&sg))]);
    let r = tcp(&l.design(), &i, &bi, 22);
    assert_dropped_forward(&r, "ENI_SG_RULES_MISMATCH", "security-group", "S2");
}

#[test]
fn s23_pending_acceptance_is_blackhole_p1_p4() {
    let (l, i, bi, pcx, _) = peering_lab(PeeringStatus::PendingAcceptance, true);
    let r = tcp(&l.design(), &i, &bi, 22);
    let stop = assert_dropped_forward(&r, "BAD_STATE_ROUTE", "vpc-peering", "P1");
    assert_eq!(stop.component.id, pcx);
    assert_eq!(r.disposition.as_str(), "NULL_ROUTED");
    assert!(r.blockers[0].fix.starts_with("accept pcx-"), "{}", r.blockers[0].fix);
}

#[test]
fn s24_peering_is_not_transitive_p5() {
    let mut b = vpcraft::model::builder::DesignBuilder::new("abc", REGION);
    let (va, vb, vc) = (b.vpc("A", "10.1.0.0/16"), b.vpc("B", "10.2.0.0/16"), b.vpc("C", "10.3.0.0/16"));
    let sa = b.subnet(&va, "a", "10.1.0.0/24", "a");
    let sc = b.subnet(&vc, "c", "10.3.0.0/24", "a");
    let ia = b.instance(&sa, "a1", "10.1.0.10", &[]);
    b.instance(&sc, "c1", "10.3.0.5", &[]);
    let ab = b.peering("ab", &va, &vb, PeeringStatus::Active);
    let bc = b.peering("bc", &vb, &vc, PeeringStatus::Active);
    let (rta, rtb) = (b.main_route_table(&va), b.main_route_table(&vb));
    b.route(&rta, "10.2.0.0/16", RouteTarget::VpcPeering(ab.clone()));
    b.route(&rta, "10.3.0.0/16", RouteTarget::VpcPeering(ab.clone()));
    b.route(&rtb, "10.3.0.0/16", RouteTarget::VpcPeering(bc));
    let r = tcp(&b.design, &ia, "10.3.0.5", 22);
    let stop = assert_dropped_forward(&r, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "vpc-peering", "P5");
    assert_eq!(stop.component.id, ab);
}

#[test]
fn s25_overlapping_peering_failed_is_blackhole_p2() {
    // Creating a peering between overlapping CIDRs fails (P2); `vpcraft check` reports the
    // overlap at design time. Here: a route to the resulting `failed` peering is a blackhole.
    let mut b = vpcraft::model::builder::DesignBuilder::new("overlap", REGION);
    let (va, vb) = (b.vpc("A", "10.0.0.0/16"), b.vpc("B", "10.0.128.0/17"));
    let sa = b.subnet(&va, "a", "10.0.1.0/24", "a");
    let sb = b.subnet(&vb, "b", "10.0.128.0/24", "a");
    let ia = b.instance(&sa, "a1", "10.0.1.10", &[]);
    b.instance(&sb, "b1", "10.0.128.10", &[]);
    let pcx = b.peering("ab", &va, &vb, PeeringStatus::Failed);
    let rta = b.main_route_table(&va);
    b.route(&rta, "10.0.128.0/17", RouteTarget::VpcPeering(pcx.clone()));
    let r = tcp(&b.design, &ia, "10.0.128.10", 22);
    let stop = assert_dropped_forward(&r, "BAD_STATE_ROUTE", "vpc-peering", "P1");
    assert_eq!(r.disposition.as_str(), "NULL_ROUTED");
    assert_eq!(stop.component.id, pcx);
    assert!(r.blockers[0].fix.contains("P2"), "{}", r.blockers[0].fix);
}

#[test]
fn s26_no_edge_to_edge_through_peer_igw_p6() {
    let (mut l, _, bi, pcx, brt) = peering_lab(PeeringStatus::Active, true);
    l.b.route(&brt, "0.0.0.0/0", RouteTarget::VpcPeering(pcx.clone()));
    let bsg = l.b.design.security_groups.iter().find(|g| g.name == "b-ssh").unwrap().id.clone();
    let _ = bsg;
    let r = tcp(&l.design(), &bi, WEB, 80);
    let stop = assert_dropped_forward(&r, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "vpc-peering", "P6");
    assert_eq!(stop.component.id, pcx);
}

#[test]
fn s27_peer_cannot_use_gateway_endpoint_g4_p6() {
    let (mut l, _, bi, pcx, brt) = peering_lab(PeeringStatus::Active, true);
    let (vpc, rt) = (l.vpc.clone(), l.rt_priv.clone());
    l.b.gateway_endpoint(&vpc, "s3", &[&rt]);
    l.b.route(&brt, "0.0.0.0/0", RouteTarget::VpcPeering(pcx));
    let r = tcp(&l.design(), &bi, "s3.ap-northeast-2.amazonaws.com", 443);
    assert_dropped_forward(&r, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "vpc-peering", "G4");
}

/// #28: provider VPC 10.0.0.0/16 (the same range as the consumer) with an NLB on port 80 in
/// front of a web server, offered as an endpoint service that requires acceptance.
fn privatelink_lab(state: EndpointState) -> (Design, Id, String, Id) {
    let (mut l, i) = private_ec2();
    let (vpc, privnet) = (l.vpc.clone(), l.private.clone());
    let esg = l.b.security_group(&vpc, "endpoint-sg");
    l.b.allow_in_tcp(&esg, 80, "10.0.0.0/16");
    let prov = l.b.vpc("provider", "10.0.0.0/16");
    let psub = l.b.subnet(&prov, "provider-sub", "10.0.1.0/24", "a");
    let tsg = l.b.security_group(&prov, "target-sg");
    l.b.allow_in_tcp(&tsg, 80, "10.0.1.200/32");
    let target = l.b.instance(&psub, "provider-web", "10.0.1.20", &[&tsg]);
    let mut d = l.b.design;
    d.load_balancers.push(LoadBalancer {
        id: "nlb-0001".into(),
        name: "provider-nlb".into(),
        vpc: prov.clone(),
        kind: LoadBalancerKind::Network,
        scheme: LoadBalancerScheme::Internal,
        nodes: vec![LoadBalancerNode {
            subnet: psub.clone(),
            private_ip: ip4("10.0.1.200"),
            public_ip: None,
            placeholder: false,
        }],
        security_groups: vec![],
        listeners: vec![Listener { port: 80, protocol: Protocol::Tcp, target_group: Some("tg-0001".into()) }],
        dns_name: String::new(),
    });
    d.target_groups.push(TargetGroup {
        id: "tg-0001".into(),
        name: "web".into(),
        vpc: prov,
        protocol: Protocol::Tcp,
        port: 80,
        targets: vec![Target { id: target.clone(), port: Some(80) }],
        appliance: Default::default(),
    });
    let svc_name = "com.amazonaws.vpce.ap-northeast-2.vpce-svc-0001".to_string();
    d.endpoint_services.push(EndpointService {
        id: "vpce-svc-0001".into(),
        name: "web-service".into(),
        service_name: svc_name.clone(),
        region: REGION.into(),
        load_balancers: vec!["nlb-0001".into()],
        acceptance_required: true,
        allowed_principals: vec![],
    });
    let mut b = vpcraft::model::builder::DesignBuilder { design: d };
    let e = b.interface_endpoint(&vpc, &svc_name, &[(&privnet, "10.0.1.50")], &[&esg], false);
    let mut d = b.design;
    let ep = d.endpoints.iter_mut().find(|x| x.id == e).unwrap();
    ep.state = state;
    let name = format!("{}-{}.vpce-svc-0001.ap-northeast-2.vpce.amazonaws.com", ep.id, ep.dns_suffix);
    (d, i, name, target)
}

#[test]
fn s28_endpoint_pending_acceptance_bad_state_e8() {
    let (d, i, name, _) = privatelink_lab(EndpointState::PendingAcceptance);
    let r = tcp(&d, &i, &name, 80);
    assert_dropped_forward(&r, "BAD_STATE", "vpc-endpoint", "E8");
    assert!(r.blockers[0].fix.contains("vpce-svc-0001"), "{}", r.blockers[0].fix);
}

#[test]
fn s29_accepted_endpoint_reaches_target_with_nlb_source_despite_overlap_e8_e9() {
    let (d, i, name, target) = privatelink_lab(EndpointState::Available);
    let r = tcp(&d, &i, &name, 80);
    assert_delivered(&r, "ACCEPTED");
    let lb = hop(&r.forward, "load-balancer", "nat");
    assert_eq!((lb.after.src, lb.after.dst), (ip("10.0.1.200"), ip("10.0.1.20")), "E9: the target sees the NLB");
    assert_eq!(r.forward.last().unwrap().component.id, target);
    let last = r.return_path.last().unwrap();
    assert_eq!((last.component.id.as_str(), last.after.src), (i.as_str(), ip("10.0.1.50")));
}

#[test]
fn s29_target_sg_must_allow_the_nlb_e9() {
    let (mut d, i, name, _) = privatelink_lab(EndpointState::Available);
    let tsg = d.security_groups.iter_mut().find(|g| g.name == "target-sg").unwrap();
    tsg.ingress = vec![SgRule::tcp(80, SgPeer::Cidr(net("10.0.1.10/32").into()))];
    let r = tcp(&d, &i, &name, 80);
    assert_dropped_forward(&r, "ENI_SG_RULES_MISMATCH", "security-group", "S2");
}

#[test]
fn s30_same_subnet_skips_nacl_and_routes_l5_x3() {
    let (mut l, i) = private_ec2();
    let (vpc, privnet, sg) = (l.vpc.clone(), l.private.clone(), l.sg.clone());
    l.b.custom_nacl(&vpc, "deny-all", &[&privnet]);
    let other = l.b.instance(&privnet, "peer", "10.0.1.11", &[&sg]);
    allow_all_in(&mut l.b, &sg);
    let r = tcp(&l.design(), &i, "10.0.1.11", 80);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(hop(&r.forward, "subnet", "switch").rule, "X3");
    assert!(r.hops().all(|h| h.component.kind != "network-acl" && h.component.kind != "route-table"));
    assert_eq!(r.forward.last().unwrap().component.id, other);
}

#[test]
fn s31_imds_is_local_and_unblockable_x1() {
    let (mut l, i) = private_ec2();
    let (vpc, privnet, sg) = (l.vpc.clone(), l.private.clone(), l.sg.clone());
    l.b.custom_nacl(&vpc, "deny-all", &[&privnet]);
    l.b.set_egress(&sg, vec![]);
    let r = tcp(&l.design(), &i, "169.254.169.254", 80);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(r.forward.len(), 2, "the instance sends, IMDS answers");
    assert_eq!((r.forward[1].component.kind.as_str(), r.forward[1].rule.as_str()), ("imds", "X1"));
}

/// #32: A 10.1/16 and B 10.2/16 on a TGW, attachments in AZ-a, subnet tables 10/8 → tgw.
fn tgw_lab(source_az: &str) -> (Design, Id, Id) {
    let mut b = vpcraft::model::builder::DesignBuilder::new("tgw", REGION);
    let (va, vb) = (b.vpc("A", "10.1.0.0/16"), b.vpc("B", "10.2.0.0/16"));
    let sa = b.subnet(&va, "a-a", "10.1.0.0/24", "a");
    let sac = b.subnet(&va, "a-c", "10.1.2.0/24", "c");
    let sb = b.subnet(&vb, "b-a", "10.2.0.0/24", "a");
    let src_subnet = if source_az == "a" { sa.clone() } else { sac };
    let ia = b.instance(&src_subnet, "a1", if source_az == "a" { "10.1.0.10" } else { "10.1.2.10" }, &[]);
    let sgb = b.security_group(&vb, "b-in");
    b.allow_in_tcp(&sgb, 443, "10.0.0.0/8");
    let ib = b.instance(&sb, "b1", "10.2.0.10", &[&sgb]);
    let (rta, rtb) = (b.main_route_table(&va), b.main_route_table(&vb));
    b.route(&rta, "10.0.0.0/8", RouteTarget::TransitGateway("tgw-0001".into()));
    b.route(&rtb, "10.0.0.0/8", RouteTarget::TransitGateway("tgw-0001".into()));
    let mut d = b.design;
    transit_gateway(&mut d, &[(&va, &[&sa]), (&vb, &[&sb])]);
    (d, ia, ib)
}

#[test]
fn s32_transit_gateway_propagated_routes_deliver_t3_t4() {
    let (d, ia, ib) = tgw_lab("a");
    let r = tcp(&d, &ia, &ib, 443);
    assert_delivered(&r, "ACCEPTED");
    let route = hop(&r.forward, "tgw-route-table", "route");
    assert_eq!(route.rule, "T4");
    assert!(route.matched.as_deref().unwrap().starts_with("10.2.0.0/16 → tgw-attach-0002"), "{:?}", route.matched);
    hop(&r.return_path, "tgw-route-table", "route");
}

#[test]
fn s33_source_az_without_attachment_subnet_t2() {
    let (d, ia, ib) = tgw_lab("c");
    let r = tcp(&d, &ia, &ib, 443);
    assert_dropped_forward(&r, "TGW_ROUTE_AZ_RESTRICTION", "transit-gateway", "T2");
    assert!(r.blockers[0].fix.contains("ap-northeast-2c"), "{}", r.blockers[0].fix);
}

/// #34: a VGW with a BGP VPN advertising 192.168.0.0/16; RT-priv propagation on or off.
fn vpn_lab(propagate: bool) -> (Design, Id) {
    let (l, i) = private_ec2();
    let mut d = l.design();
    d.vpn_gateways.push(VpnGateway { id: "vgw-0001".into(), name: "vgw".into(), vpc: Some(l.vpc.clone()), asn: 64512 });
    d.customer_gateways.push(CustomerGateway {
        id: "cgw-0001".into(),
        name: "office".into(),
        ip: ip4("203.0.113.1"),
        bgp_asn: 65000,
    });
    d.vpn_connections.push(VpnConnection {
        id: "vpn-0001".into(),
        name: "office-vpn".into(),
        customer_gateway: "cgw-0001".into(),
        vpn_gateway: Some("vgw-0001".into()),
        transit_gateway: None,
        static_routes_only: false,
        routes: vec![net("192.168.0.0/16")],
        state: VpnState::Available,
    });
    if propagate {
        d.route_tables.iter_mut().find(|t| t.id == l.rt_priv).unwrap().propagating_vgws.push("vgw-0001".into());
    }
    (d, i)
}

#[test]
fn s34_vgw_propagated_route_delivers_t6() {
    let (d, i) = vpn_lab(true);
    let r = tcp(&d, &i, "192.168.1.10", 22);
    assert_delivered(&r, "EXITS_NETWORK");
    let route = hop(&r.forward, "route-table", "route");
    assert_eq!(route.rule, "T6");
    assert!(route.matched.as_deref().unwrap().contains("(propagated)"));
    hop(&r.forward, "vpn-gateway", "forward");
    let (d, i) = vpn_lab(false);
    let r = tcp(&d, &i, "192.168.1.10", 22);
    assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
}
