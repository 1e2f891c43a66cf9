//! IPv6 hypothetical endpoints (issue 12 §1 with IPv6): a free IPv6 address inside a subnet's
//! IPv6 block, or a subnet with an IPv6 block, stands for an interface there (A7); and the
//! audit's internet exposure over `::/0` (the egress-only gateway lets nothing in, I5).

use crate::trace_common::*;
use std::net::IpAddr;
use vpcraft::sim::audit::audit;
use vpcraft::sim::render::render_text;
use vpcraft::sim::{Endpoint, TraceIndex, TraceRequest, TraceResult};

fn trace_sg(d: &vpcraft::model::Design, from: &str, to: &str, port: u16, sg: &[&str]) -> TraceResult {
    let groups: Vec<String> = sg.iter().map(|s| s.to_string()).collect();
    let req = TraceRequest::parse_with_groups(d, from, to, "tcp", Some(port), None, &groups)
        .unwrap_or_else(|e| panic!("bad request: {e}"));
    TraceIndex::new(d).trace(&req)
}

#[test]
fn a_dual_stack_subnet_sends_ipv6_out_through_the_egress_only_gateway() {
    let l = dual_stack();
    let d = l.b.design.clone();
    let r = trace_sg(&d, "private", "2001:4860:4860::8888", 443, &["web"]);
    assert_delivered(&r, "EXITS_NETWORK");
    let h = &r.hypothetical[0];
    assert_eq!(h.role, "source");
    assert_eq!(h.ipv6_address, Some("2600:1f18:1:2301::4".parse().unwrap()), "its first free IPv6 address (A7)");
    let g = hop(&r.forward, "egress-only-internet-gateway", "forward");
    assert_eq!(g.component.id, l.eigw);
    assert_eq!(g.before.src, ip("2600:1f18:1:2301::4"));
    let text = render_text(&r);
    assert!(text.contains("(IPv6 2600:1f18:1:2301::4)"), "the output names its IPv6 address: {text}");
}

#[test]
fn a_free_ipv6_address_is_hypothetical_and_the_egress_only_gateway_keeps_the_internet_out() {
    let l = dual_stack();
    let d = l.b.design.clone();
    let to = vpcraft::sim::parse_endpoint(&d, "2600:1f18:1:2301::77").unwrap();
    let Endpoint::Hypothetical(h) = &to else { panic!("a free address in a subnet's IPv6 block: {to:?}") };
    assert_eq!(h.address(), ip("2600:1f18:1:2301::77"));
    assert!(h.ipv4.is_some(), "a dual-stack subnet's interface has an IPv4 address too");
    // Private subnet: ::/0 → egress-only gateway, so the reply is refused there (I5).
    let r = trace_sg(&d, "internet", "2600:1f18:1:2301::77", 443, &["web"]);
    let stop = assert_dropped_reply(&r, "EIGW_UNSOLICITED_INBOUND", "egress-only-internet-gateway", "I5");
    assert_eq!(stop.component.id, l.eigw);
    assert_eq!(r.forward.first().unwrap().before.dst, ip("2600:1f18:1:2301::77"), "sent to the address named");
    // Public subnet: ::/0 → internet gateway, no translation: the internet reaches it.
    let r = trace_sg(&d, "internet", "2600:1f18:1:2300::77", 443, &["web"]);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(r.hypothetical[0].address, ip("2600:1f18:1:2300::77"));
    // Reserved (A7) and held addresses are not hypothetical.
    for a in ["2600:1f18:1:2301::1", "2600:1f18:1:2301::10"] {
        let e = vpcraft::sim::parse_endpoint(&d, a).unwrap();
        assert_eq!(e, Endpoint::Ip(ip(a)), "{a}");
    }
}

#[test]
fn an_ipv6_only_subnet_is_a_hypothetical_interface_without_ipv4() {
    let (l, _host, _rt) = ipv6_only();
    let d = l.b.design.clone();
    let r = trace_sg(&d, "v6only", "2001:4860:4860::8888", 443, &["web"]);
    assert_delivered(&r, "EXITS_NETWORK");
    let h = &r.hypothetical[0];
    assert_eq!(h.address, ip("2600:1f18:1:2302::4"));
    let eigw = hop(&r.forward, "egress-only-internet-gateway", "forward");
    assert_eq!(eigw.component.id, l.eigw);
    // IPv4 needs DNS64 and NAT64: a bare IPv4 address is refused with the reason.
    let r = trace_sg(&d, "v6only", "60.1.1.1", 443, &["web"]);
    assert_eq!(r.code.map(|c| c.to_string()).as_deref(), Some("UNKNOWN_DESTINATION"));
    assert!(
        r.reason.as_ref().map(ToString::to_string).unwrap_or_default().contains("no IPv4 address"),
        "{:?}",
        r.reason
    );
}

#[test]
fn audit_reports_what_the_internet_reaches_over_ipv6_and_not_behind_the_egress_only_gateway() {
    let l = dual_stack();
    let d = l.b.design.clone();
    let f = audit(&d);
    let v6: Vec<&str> = f.iter().filter(|x| x.message.contains("2600:")).map(|x| x.message.as_str()).collect();
    assert!(
        v6.iter().any(|m| m.contains("at 2600:1f18:1:2300::10 on tcp 443")),
        "web's IPv6 address is open on 443 through the internet gateway: {v6:?}"
    );
    assert!(!v6.iter().any(|m| m.contains("2600:1f18:1:2301::10")), "app is behind the egress-only gateway: {v6:?}");
    // Once its table sends ::/0 to the internet gateway, app is exposed too.
    let mut l = dual_stack();
    let igw = l.b.design.internet_gateways[0].id.clone();
    let rt = l.b.design.route_tables.iter_mut().find(|t| t.id == l.rt_priv).unwrap();
    rt.routes.retain(|r| !matches!(r.target, vpcraft::model::RouteTarget::EgressOnlyInternetGateway(_)));
    rt.routes.push(vpcraft::model::Route::to_cidr(
        "::/0".parse::<ipnet::IpNet>().unwrap(),
        vpcraft::model::RouteTarget::InternetGateway(igw),
    ));
    let f = audit(&l.b.design);
    assert!(
        f.iter().any(|x| x.message.contains("at 2600:1f18:1:2301::10 on tcp 443")),
        "{:?}",
        f.iter().map(|x| &x.message).collect::<Vec<_>>()
    );
    let _: IpAddr = ip("::1");
}
