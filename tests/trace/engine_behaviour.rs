//! Engine behaviour beyond the section-13 table: loops, several blockers at once, stopped
//! instances, which address a named destination stands for, route tie reporting (R4), the
//! Amazon DNS server (X2) and ICMP through a NAT gateway.

use crate::trace_common::*;
use vpcraft::model::*;

#[test]
fn two_forwarders_pointing_at_each_other_is_a_loop() {
    let mut l = lab();
    let (vpc, public, private, sg) = (l.vpc.clone(), l.public.clone(), l.private.clone(), l.sg.clone());
    allow_all_in(&mut l.b, &sg);
    let src_subnet = l.b.subnet(&vpc, "clients", "10.0.2.0/24", "a");
    let client = l.b.instance(&src_subnet, "client", "10.0.2.10", &[&sg]);
    let fw_a = l.b.instance(&public, "fw-a", "10.0.0.50", &[&sg]);
    let fw_b = l.b.instance(&private, "fw-b", "10.0.1.50", &[&sg]);
    for fw in [&fw_a, &fw_b] {
        l.b.design.instances.iter_mut().find(|i| &i.id == fw).unwrap().role = "firewall".into();
        eni_of(&mut l.b.design, fw).source_dest_check = false;
    }
    let rt_clients = l.b.route_table(&vpc, "rt-clients");
    l.b.associate(&rt_clients, &src_subnet);
    l.b.route(&rt_clients, "0.0.0.0/0", RouteTarget::Instance(fw_a.clone()));
    let (rt_pub, rt_priv) = (l.rt_pub.clone(), l.rt_priv.clone());
    if let Some(t) = l.b.design.route_tables.iter_mut().find(|t| t.id == rt_pub) {
        t.routes.retain(|r| r.is_local());
    }
    l.b.route(&rt_pub, "0.0.0.0/0", RouteTarget::Instance(fw_b.clone()));
    l.b.route(&rt_priv, "0.0.0.0/0", RouteTarget::Instance(fw_a.clone()));
    let r = tcp(&l.design(), &client, "60.1.1.1", 80);
    assert_eq!(r.disposition.as_str(), "LOOP", "{}", explain(&r));
    assert_eq!(r.forward.last().unwrap().component.kind, "route-table");
}

#[test]
fn every_blocker_is_reported_sg_egress_and_missing_route() {
    let mut l = lab();
    let (privnet, sg) = (l.private.clone(), l.sg.clone());
    let i = l.b.instance(&privnet, "backend", "10.0.1.10", &[&sg]);
    l.b.set_egress(&sg, vec![SgRule::tcp(22, SgPeer::Cidr(net("10.0.0.0/16").into()))]);
    let r = tcp(&l.design(), &i, "60.1.1.1", 443);
    assert_dropped_forward(&r, "ENI_SG_RULES_MISMATCH", "security-group", "S2");
    let codes: Vec<&str> = r.blockers.iter().map(|b| b.code.as_str()).collect();
    assert_eq!(codes, ["ENI_SG_RULES_MISMATCH", "NO_ROUTE_TO_DESTINATION"]);
    assert!(r.blockers[0].step < r.blockers[1].step);
    assert_eq!(r.blockers[0].fix, format!("allow tcp 443 to 60.1.1.1/32 in {sg} outbound"));
    // I2/N3: the source has no public address, so the fix is a NAT gateway, not an IGW route.
    assert!(
        r.blockers[1].fix.contains("NAT gateway") && r.blockers[1].fix.contains("rtb-0003"),
        "{}",
        r.blockers[1].fix
    );
}

#[test]
fn a_stopped_instance_answers_nothing() {
    let mut l = lab();
    let (privnet, sg) = (l.private.clone(), l.sg.clone());
    allow_all_in(&mut l.b, &sg);
    let a = l.b.instance(&privnet, "a", "10.0.1.10", &[&sg]);
    let b = l.b.instance(&privnet, "b", "10.0.1.11", &[&sg]);
    l.b.design.instances.iter_mut().find(|i| i.id == b).unwrap().state = InstanceState::Stopped;
    let r = tcp(&l.design(), &a, &b, 22);
    assert_dropped_forward(&r, "BAD_STATE", "instance", "X4");
    assert_eq!(r.disposition.as_str(), "NEIGHBOR_UNREACHABLE");
    let r = tcp(&l.design(), &b, &a, 22);
    assert_dropped_forward(&r, "BAD_STATE", "instance", "X4");
}

#[test]
fn a_named_destination_is_its_public_address_from_the_internet_and_private_inside() {
    let mut l = lab();
    let (pubnet, privnet, sg) = (l.public.clone(), l.private.clone(), l.sg.clone());
    allow_all_in(&mut l.b, &sg);
    let web = l.b.instance(&pubnet, "web", "10.0.0.10", &[&sg]);
    l.b.associate_eip(&web, "50.1.1.1");
    let app = l.b.instance(&privnet, "app", "10.0.1.10", &[&sg]);
    let d = l.design();
    let r = tcp(&d, "internet", "web", 443);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(r.forward[0].before.dst, ip("50.1.1.1"));
    let r = tcp(&d, &app, "web", 443);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(r.forward[0].before.dst, ip("10.0.0.10"));
}

#[test]
fn r4c_a_cidr_route_beats_the_prefix_list_route_and_says_so() {
    let mut l = lab();
    let (vpc, pubnet, privnet, sg, rt) =
        (l.vpc.clone(), l.public.clone(), l.private.clone(), l.sg.clone(), l.rt_priv.clone());
    let i = l.b.instance(&privnet, "backend", "10.0.1.10", &[&sg]);
    l.b.gateway_endpoint(&vpc, "s3", &[&rt]);
    let nat = l.b.nat_gateway(&pubnet, "nat", "10.0.0.20", "50.1.1.2");
    l.b.route(&rt, "52.219.56.0/22", RouteTarget::NatGateway(nat.clone()));
    let r = tcp(&l.design(), &i, "s3.ap-northeast-2.amazonaws.com", 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let route = hop(&r.forward, "route-table", "route");
    assert_eq!(
        route.matched.as_ref().map(ToString::to_string).as_deref(),
        Some(format!("52.219.56.0/22 → {nat}").as_str())
    );
    assert!(
        route.beaten.iter().map(|b| b.to_string()).any(|b| b.starts_with("pl-78a54011") && b.contains("R4c")),
        "{:?}",
        route.beaten
    );
    hop(&r.forward, "nat-gateway", "nat");
}

#[test]
fn amazon_dns_answers_its_own_vpc_only_x2_p8() {
    let mut l = lab();
    let (vpc, privnet, sg) = (l.vpc.clone(), l.private.clone(), l.sg.clone());
    let i = l.b.instance(&privnet, "backend", "10.0.1.10", &[&sg]);
    let peer = l.b.vpc("B", "10.9.0.0/16");
    let psub = l.b.subnet(&peer, "b", "10.9.0.0/24", "a");
    let pi = l.b.instance(&psub, "b1", "10.9.0.10", &[]);
    let pcx = l.b.peering("ab", &vpc, &peer, PeeringStatus::Active);
    let prt = l.b.main_route_table(&peer);
    l.b.route(&prt, "10.0.0.0/16", RouteTarget::VpcPeering(pcx));
    let d = l.design();
    let r = udp(&d, &i, "10.0.0.2", 53);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(r.forward.last().unwrap().component.kind, "amazon-dns");
    let r = udp(&d, &i, "169.254.169.253", 53);
    assert_delivered(&r, "ACCEPTED");
    let r = udp(&d, &pi, "10.0.0.2", 53);
    assert_dropped_forward(&r, "NO_POSSIBLE_DESTINATION", "amazon-dns", "X2");
}

fn udp(d: &Design, from: &str, to: &str, port: u16) -> vpcraft::sim::TraceResult {
    vpcraft::sim::TraceIndex::new(d).trace(&request(d, from, to, "udp", Some(port), None))
}

#[test]
fn icmp_through_a_nat_gateway_has_no_ports() {
    let mut l = lab();
    let (pubnet, privnet, sg, rt) = (l.public.clone(), l.private.clone(), l.sg.clone(), l.rt_priv.clone());
    let i = l.b.instance(&privnet, "backend", "10.0.1.10", &[&sg]);
    let nat = l.b.nat_gateway(&pubnet, "nat", "10.0.0.20", "50.1.1.2");
    l.b.route(&rt, "0.0.0.0/0", RouteTarget::NatGateway(nat));
    let r = icmp(&l.design(), &i, "60.1.1.1");
    assert_delivered(&r, "EXITS_NETWORK");
    let n = hop(&r.forward, "nat-gateway", "nat");
    assert_eq!((n.after.src, n.after.src_port, n.after.dst_port), (ip("10.0.0.20"), None, None));
}
