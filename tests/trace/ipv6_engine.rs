//! IPv6 through the engine (issue 14): how the family is chosen, the internet gateway without
//! translation, the egress-only gateway (out and replies only), NAT64 with DNS64, and R3's
//! independent families. The documented scenarios themselves are data files; these pin the
//! engine's own behaviour.

use crate::trace_common::*;
use vpcraft::model::*;
use vpcraft::sim::render::render_text;
use vpcraft::sim::{TraceIndex, TraceResult};

fn trace(d: &Design, from: &str, to: &str, port: u16) -> TraceResult {
    tcp(d, from, to, port)
}

#[test]
fn i5_egress_only_gateway_out_and_back_no_translation() {
    let l = dual_stack();
    let d = l.b.design.clone();
    let r = trace(&d, &l.app, "2001:4860:4860::8888", 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let g = hop(&r.forward, "egress-only-internet-gateway", "forward");
    assert_eq!(g.component.id, l.eigw);
    assert_eq!(g.before, g.after, "I5: no translation");
    assert_eq!(g.before.src, ip("2600:1f18:1:2301::10"));
    let back = hop(&r.return_path, "egress-only-internet-gateway", "forward");
    assert_eq!(back.before.dst, ip("2600:1f18:1:2301::10"));
    let text = render_text(&r);
    assert!(text.contains("[2600:1f18:1:2301::10]:49152 → [2001:4860:4860::8888]:443 tcp"), "{text}");
}

#[test]
fn i5_the_internet_cannot_start_a_connection_through_the_egress_only_gateway() {
    let l = dual_stack();
    let d = l.b.design.clone();
    let r = trace(&d, "internet", "2600:1f18:1:2301::10", 443);
    // The request arrives (through the VPC's internet gateway, SG allows 443 from ::/0); the
    // answer is refused at the egress-only gateway.
    let stop = assert_dropped_reply(&r, "EIGW_UNSOLICITED_INBOUND", "egress-only-internet-gateway", "I5");
    assert_eq!(stop.component.id, l.eigw);
    assert_eq!(r.forward.first().unwrap().before.src, ip("3fff::10"));
}

#[test]
fn i5_without_an_internet_gateway_nothing_gets_in() {
    let mut l = dual_stack();
    l.b.design.internet_gateways.clear();
    for rt in &mut l.b.design.route_tables {
        rt.routes.retain(|r| !matches!(r.target, RouteTarget::InternetGateway(_)));
    }
    let d = l.b.design.clone();
    let r = trace(&d, "internet", "2600:1f18:1:2301::10", 443);
    let stop = assert_dropped_forward(&r, "EIGW_UNSOLICITED_INBOUND", "egress-only-internet-gateway", "I5");
    assert_eq!(stop.component.id, l.eigw);
}

#[test]
fn i5_routing_private_ipv6_to_the_internet_gateway_exposes_it() {
    let mut l = dual_stack();
    let igw = l.b.design.internet_gateways[0].id.clone();
    let rt = l.b.design.route_tables.iter_mut().find(|t| t.id == l.rt_priv).unwrap();
    rt.routes.retain(|r| !matches!(r.target, RouteTarget::EgressOnlyInternetGateway(_)));
    rt.routes.push(Route::to_cidr("::/0".parse::<ipnet::IpNet>().unwrap(), RouteTarget::InternetGateway(igw)));
    let d = l.b.design.clone();
    let r = trace(&d, "internet", "2600:1f18:1:2301::10", 443);
    assert_delivered(&r, "ACCEPTED");
}

#[test]
fn r3_ipv4_and_ipv6_are_looked_up_apart() {
    let mut l = dual_stack();
    let rt = l.b.design.route_tables.iter_mut().find(|t| t.id == l.rt_priv).unwrap();
    rt.routes.retain(|r| !matches!(r.target, RouteTarget::EgressOnlyInternetGateway(_)));
    let d = l.b.design.clone();
    let r = trace(&d, &l.app, "2001:4860:4860::8888", 443);
    let stop = assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    assert!(stop.beaten.is_empty(), "0.0.0.0/0 is no candidate for an IPv6 packet: {:?}", stop.beaten);
    // The IPv4 flow is untouched.
    assert_delivered(&trace(&d, &l.app, "60.1.1.1", 443), "EXITS_NETWORK");
}

#[test]
fn i5_igw_carries_ipv6_both_ways_untranslated() {
    let l = dual_stack();
    let d = l.b.design.clone();
    let r = trace(&d, &l.web, "2001:4860:4860::8888", 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let g = hop(&r.forward, "internet-gateway", "forward");
    assert_eq!(g.before, g.after);
    let r = trace(&d, "internet", "2600:1f18:1:2300::10", 443);
    assert_delivered(&r, "ACCEPTED");
    // The IPv4 flow of the same instance still goes through the 1:1 NAT.
    let r = trace(&d, &l.web, "60.1.1.1", 443);
    assert_eq!(hop(&r.forward, "internet-gateway", "nat").after.src, ip("50.1.1.1"));
}

#[test]
fn the_destination_picks_the_family() {
    let l = dual_stack();
    let d = l.b.design.clone();
    // Between two dual-stack instances by name: IPv4.
    let r = trace(&d, &l.app, &l.web, 443);
    assert_delivered(&r, "ACCEPTED");
    assert!(r.forward[0].before.src.is_ipv4());
    // To an IPv6 address: IPv6 from the source's IPv6 address.
    let r = trace(&d, &l.app, "2600:1f18:1:2300::10", 443);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(r.forward[0].before.src, ip("2600:1f18:1:2301::10"));
    // ICMP to an IPv6 address is ICMPv6.
    let r = icmp(&d, &l.app, "2600:1f18:1:2300::10");
    assert_eq!(r.forward[0].before.protocol, Protocol::ICMPV6, "{}", explain(&r));
}

#[test]
fn an_ipv4_only_instance_cannot_send_ipv6() {
    let l = dual_stack();
    let mut d = l.b.design.clone();
    for e in &mut d.network_interfaces {
        e.ipv6_addresses.clear();
    }
    let r = trace(&d, &l.app, "2001:4860:4860::8888", 443);
    assert_eq!(r.code.map(|c| c.as_str()), Some("UNKNOWN_DESTINATION"));
    assert!(
        r.reason.as_ref().map(ToString::to_string).unwrap_or_default().contains("no IPv6 address"),
        "{:?}",
        r.reason
    );
}

#[test]
fn n4_nat64_with_dns64_reaches_an_ipv4_only_name() {
    let (l, host, _) = ipv6_only();
    let d = l.b.design.clone();
    let r = trace(&d, &host, "s3.ap-northeast-2.amazonaws.com", 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let dns = hop(&r.forward, "dns", "resolve");
    assert!(dns.after.dst.to_string().starts_with("64:ff9b::"), "{}", explain(&r));
    let nat = hop(&r.forward, "nat-gateway", "nat");
    assert_eq!(nat.component.id, l.nat);
    assert!(nat.before.dst.is_ipv6() && nat.after.dst.is_ipv4(), "{}", explain(&r));
    assert_eq!(nat.after.src, ip("10.0.0.20"));
    // The reply is translated back to IPv6.
    let back = hop(&r.return_path, "nat-gateway", "nat");
    assert!(back.after.dst.is_ipv6());
    assert_eq!(r.return_path.last().unwrap().before.dst, ip("2600:1f18:1:2302::10"));
}

#[test]
fn an_ipv6_only_client_without_dns64_gets_no_usable_answer() {
    let (mut l, host, _) = ipv6_only();
    for s in &mut l.b.design.subnets {
        s.enable_dns64 = false;
    }
    let d = l.b.design.clone();
    let r = trace(&d, &host, "s3.ap-northeast-2.amazonaws.com", 443);
    assert_eq!(r.code.map(|c| c.as_str()), Some("NO_POSSIBLE_DESTINATION"), "{}", explain(&r));
    assert!(r.reason.as_ref().map(ToString::to_string).unwrap_or_default().contains("DNS64"));
    // The dual-stack name has an AAAA record: IPv6 all the way, through the egress-only gateway.
    let r = trace(&d, &host, "s3.dualstack.ap-northeast-2.amazonaws.com", 443);
    assert_delivered(&r, "EXITS_NETWORK");
    assert!(hop(&r.forward, "dns", "resolve").after.dst.to_string().starts_with("2406:da"), "{}", explain(&r));
    hop(&r.forward, "egress-only-internet-gateway", "forward");
}

#[test]
fn a_nat_gateway_carries_no_plain_ipv6() {
    let (mut l, host, rt) = ipv6_only();
    let nat = l.nat.clone();
    let t = l.b.design.route_tables.iter_mut().find(|t| t.id == rt).unwrap();
    t.routes.retain(|r| !matches!(r.target, RouteTarget::EgressOnlyInternetGateway(_)));
    t.routes.push(Route::to_cidr("::/0".parse::<ipnet::IpNet>().unwrap(), RouteTarget::NatGateway(nat)));
    let d = l.b.design.clone();
    let r = trace(&d, &host, "2001:4860:4860::8888", 443);
    assert_dropped_forward(&r, "CANNOT_ROUTE", "nat-gateway", "N4");
}

#[test]
fn l2_the_default_acls_ipv6_rules_and_the_final_ipv6_deny() {
    let l = dual_stack();
    let d = l.b.design.clone();
    let r = trace(&d, &l.app, "2001:4860:4860::8888", 443);
    let nacl = hop(&r.forward, "network-acl", "nacl-allowed");
    assert_eq!(nacl.matched.as_ref().map(ToString::to_string).as_deref(), Some("rule 101 allow all ::/0"));
    let mut d2 = d.clone();
    for a in &mut d2.network_acls {
        a.entries.retain(|e| e.rule_number != 101);
    }
    let r = trace(&d2, &l.app, "2001:4860:4860::8888", 443);
    let stop = assert_dropped_forward(&r, "SUBNET_ACL_RESTRICTION", "network-acl", "L2");
    assert_eq!(stop.matched.as_ref().map(ToString::to_string).as_deref(), Some("rule * deny all ::/0"));
}

#[test]
fn x1_x2_imds_and_dns_at_their_ipv6_addresses() {
    let l = dual_stack();
    let d = l.b.design.clone();
    let r = tcp(&d, &l.app, "fd00:ec2::254", 80);
    assert_delivered(&r, "ACCEPTED");
    let r = TraceIndex::new(&d).trace(&request(&d, &l.app, "fd00:ec2::253", "udp", Some(53), None));
    assert_delivered(&r, "ACCEPTED");
    let r = tcp(&d, &l.app, "fe80::1", 80);
    assert_dropped_forward(&r, "CANNOT_ROUTE", "link-local", "X1");
}

#[test]
fn fuzzed_ipv6_endpoints_are_clear_errors() {
    let l = dual_stack();
    let d = l.b.design.clone();
    for (bad, says) in [
        ("::ffff:10.0.0.1", "10.0.0.1 instead"),
        ("fe80::1%eth0", "zone id"),
        ("2001:db8:::1", "not an IPv6 address"),
        ("12345::1", "not an IPv6 address"),
    ] {
        let e = vpcraft::sim::TraceRequest::parse(&d, &l.app, bad, "tcp", Some(443), None).unwrap_err();
        assert!(e.contains(says), "{bad}: {e}");
    }
    let ok =
        vpcraft::sim::TraceRequest::parse(&d, &l.app, "2600:1F18:0001:2300:0:0:0:10", "tcp", Some(443), None).unwrap();
    assert_eq!(ok.to.to_string(), "2600:1f18:1:2300::10");
}

#[test]
#[ignore]
fn show() {
    let (l, host, _) = ipv6_only();
    let d = l.b.design.clone();
    println!("{}", render_text(&trace(&d, &host, "s3.ap-northeast-2.amazonaws.com", 443)));
    println!("{}", render_text(&trace(&d, "internet", "2600:1f18:1:2301::10", 443)));
}
