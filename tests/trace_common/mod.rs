//! Shared fixtures for the trace tests: the default topology of section 13 of
//! `aws-network-semantics.md`, a few builders the model's builder lacks, and assertions.
#![allow(dead_code)]

use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;
use vpcraft::sim::{Hop, TraceIndex, TraceRequest, TraceResult};

pub const REGION: &str = "ap-northeast-2";

/// Section 13 defaults: VPC 10.0.0.0/16, public 10.0.0.0/24 with RT-pub {local, 0/0 → igw},
/// private 10.0.1.0/24 with RT-priv {local}, default NACL, SGs allowing all outbound.
pub struct Lab {
    pub b: DesignBuilder,
    pub vpc: Id,
    pub public: Id,
    pub private: Id,
    pub rt_pub: Id,
    pub rt_priv: Id,
    pub igw: Id,
    /// An SG allowing all outbound and nothing inbound.
    pub sg: Id,
}

pub fn lab() -> Lab {
    let mut b = DesignBuilder::new("scenario", REGION);
    let vpc = b.vpc("A", "10.0.0.0/16");
    let public = b.subnet(&vpc, "public", "10.0.0.0/24", "a");
    let private = b.subnet(&vpc, "private", "10.0.1.0/24", "a");
    let igw = b.igw(&vpc, "igw");
    let rt_pub = b.route_table(&vpc, "RT-pub");
    b.route(&rt_pub, "0.0.0.0/0", RouteTarget::InternetGateway(igw.clone()));
    b.associate(&rt_pub, &public);
    let rt_priv = b.route_table(&vpc, "RT-priv");
    b.associate(&rt_priv, &private);
    let sg = b.security_group(&vpc, "app");
    Lab { b, vpc, public, private, rt_pub, rt_priv, igw, sg }
}

impl Lab {
    pub fn design(&self) -> Design {
        self.b.design.clone()
    }
}

/// Parse a request the way the CLI does (names, ids, addresses, DNS names, `internet`).
pub fn request(
    d: &Design,
    from: &str,
    to: &str,
    proto: &str,
    port: Option<u16>,
    src_port: Option<u16>,
) -> TraceRequest {
    TraceRequest::parse(d, from, to, proto, port, src_port).unwrap_or_else(|e| panic!("bad request: {e}"))
}

pub fn tcp(d: &Design, from: &str, to: &str, port: u16) -> TraceResult {
    TraceIndex::new(d).trace(&request(d, from, to, "tcp", Some(port), None))
}

pub fn tcp_from_port(d: &Design, from: &str, to: &str, port: u16, src_port: u16) -> TraceResult {
    TraceIndex::new(d).trace(&request(d, from, to, "tcp", Some(port), Some(src_port)))
}

pub fn icmp(d: &Design, from: &str, to: &str) -> TraceResult {
    TraceIndex::new(d).trace(&request(d, from, to, "icmp", None, None))
}

pub fn explain(r: &TraceResult) -> String {
    vpcraft::sim::render_text(r)
}

pub fn assert_delivered(r: &TraceResult, disposition: &str) {
    assert_eq!(r.verdict.to_string(), "delivered", "expected delivered:\n{}", explain(r));
    assert_eq!(r.disposition.as_str(), disposition, "{}", explain(r));
    assert!(r.code.is_none() && r.reason.is_none() && r.blockers.is_empty(), "{}", explain(r));
    assert!(!r.return_path.is_empty(), "a delivered flow has a reply path:\n{}", explain(r));
}

/// A drop with the code, and the hop that stopped it: its component kind and rule.
pub fn assert_dropped(r: &TraceResult, code: &str, kind: &str, rule: &str) -> Hop {
    assert_eq!(r.verdict.to_string(), "dropped", "expected dropped:\n{}", explain(r));
    assert_eq!(r.code.map(|c| c.as_str()), Some(code), "{}", explain(r));
    assert!(r.reason.as_ref().is_some_and(|s| !s.is_empty()), "{}", explain(r));
    let stop = r.stop_hop().unwrap_or_else(|| panic!("no stop hop:\n{}", explain(r))).clone();
    assert_eq!(stop.action, "drop", "{}", explain(r));
    assert_eq!(stop.component.kind, kind, "{}", explain(r));
    assert_eq!(stop.rule, rule, "{}", explain(r));
    assert!(r.blockers.iter().any(|b| b.code == code && !b.fix.is_empty()), "{}", explain(r));
    stop
}

/// Dropped on the way there: no reply path.
pub fn assert_dropped_forward(r: &TraceResult, code: &str, kind: &str, rule: &str) -> Hop {
    let h = assert_dropped(r, code, kind, rule);
    assert!(r.return_path.is_empty(), "{}", explain(r));
    assert_eq!(r.forward.last().map(|h| h.action.as_str()), Some("drop"), "{}", explain(r));
    h
}

/// Dropped on the way back: the request arrived.
pub fn assert_dropped_reply(r: &TraceResult, code: &str, kind: &str, rule: &str) -> Hop {
    let h = assert_dropped(r, code, kind, rule);
    assert!(matches!(r.forward.last().map(|h| h.action.as_str()), Some("deliver" | "exit")), "{}", explain(r));
    assert_eq!(r.return_path.last().map(|h| h.action.as_str()), Some("drop"), "{}", explain(r));
    h
}

/// The first hop of a kind and action.
pub fn hop<'r>(hops: &'r [Hop], kind: &str, action: &str) -> &'r Hop {
    hops.iter().find(|h| h.component.kind == kind && h.action == action).unwrap_or_else(|| {
        panic!(
            "no {kind} {action} hop in {:#?}",
            hops.iter().map(|h| (h.step, h.component.kind, h.action)).collect::<Vec<_>>()
        )
    })
}

/// An address of either family, as trace headers carry them.
pub fn ip(s: &str) -> std::net::IpAddr {
    s.parse().unwrap()
}

/// An IPv4 address, as the model's IPv4 fields hold them.
pub fn ip4(s: &str) -> std::net::Ipv4Addr {
    s.parse().unwrap()
}

pub fn net(s: &str) -> ipnet::Ipv4Net {
    s.parse().unwrap()
}

/// A NACL entry.
pub fn nacl(rule: u16, egress: bool, action: RuleAction, protocol: Protocol, ports: PortSpec, cidr: &str) -> NaclEntry {
    NaclEntry { rule_number: rule, egress, action, protocol, ports, cidr: cidr.parse().unwrap() }
}

/// Replace a group's inbound rules.
pub fn set_ingress(d: &mut DesignBuilder, sg: &str, rules: Vec<SgRule>) {
    if let Some(g) = d.design.security_groups.iter_mut().find(|g| g.id == sg) {
        g.ingress = rules;
    }
}

pub fn allow_all_in(d: &mut DesignBuilder, sg: &str) {
    d.allow_in(sg, SgRule::allow_all_to(SgPeer::any_ipv4()));
}

pub fn eni_of<'d>(d: &'d mut Design, instance: &str) -> &'d mut NetworkInterface {
    d.network_interfaces
        .iter_mut()
        .find(|e| e.instance.as_deref() == Some(instance))
        .expect("instance has an interface")
}

/// A transit gateway with a default route table that every attachment associates with and
/// propagates into (T3).
pub fn transit_gateway(d: &mut Design, attachments: &[(&str, &[&str])]) -> (Id, Id) {
    let tgw = "tgw-0001".to_string();
    let rt = "tgw-rtb-0001".to_string();
    d.transit_gateways.push(TransitGateway {
        id: tgw.clone(),
        name: "hub".into(),
        region: REGION.into(),
        asn: 64512,
        default_association: true,
        default_propagation: true,
        default_route_table: Some(rt.clone()),
    });
    let mut props = Vec::new();
    for (i, (vpc, subnets)) in attachments.iter().enumerate() {
        let id = format!("tgw-attach-{:04}", i + 1);
        d.tgw_attachments.push(TgwAttachment {
            id: id.clone(),
            name: format!("attach-{vpc}"),
            tgw: tgw.clone(),
            kind: TgwAttachmentKind::Vpc {
                vpc: vpc.to_string(),
                subnets: subnets.iter().map(|s| s.to_string()).collect(),
            },
            state: AttachmentState::Available,
            association: Some(rt.clone()),
            ipv6_support: false,
            appliance_mode: false,
        });
        props.push(id);
    }
    d.tgw_route_tables.push(TgwRouteTable {
        id: rt.clone(),
        name: "default".into(),
        tgw: tgw.clone(),
        propagations: props,
        static_routes: Vec::new(),
    });
    (tgw, rt)
}

/// A dual-stack VPC: public subnet (0/0 and ::/0 → igw), private subnet (0/0 → NAT,
/// ::/0 → eigw), an instance in each with an IPv6 address, SGs allowing all out and 443 in
/// from both families.
pub struct DualStack {
    pub b: DesignBuilder,
    pub rt_priv: Id,
    pub web: Id,
    pub app: Id,
    pub nat: Id,
    pub eigw: Id,
}

pub fn dual_stack() -> DualStack {
    let mut b = DesignBuilder::new("dual-stack", REGION);
    let vpc = b.vpc("A", "10.0.0.0/16");
    b.ipv6_block(&vpc, "2600:1f18:1:2300::/56");
    let public = b.subnet(&vpc, "public", "10.0.0.0/24", "a");
    b.subnet_ipv6(&public, "2600:1f18:1:2300::/64");
    let private = b.subnet(&vpc, "private", "10.0.1.0/24", "a");
    b.subnet_ipv6(&private, "2600:1f18:1:2301::/64");
    let igw = b.igw(&vpc, "igw");
    let eigw = b.eigw(&vpc, "eigw");
    let rt_pub = b.route_table(&vpc, "RT-pub");
    b.route(&rt_pub, "0.0.0.0/0", RouteTarget::InternetGateway(igw.clone()));
    b.route(&rt_pub, "::/0", RouteTarget::InternetGateway(igw.clone()));
    b.associate(&rt_pub, &public);
    let nat = b.nat_gateway(&public, "nat", "10.0.0.20", "50.1.1.2");
    let rt_priv = b.route_table(&vpc, "RT-priv");
    b.route(&rt_priv, "0.0.0.0/0", RouteTarget::NatGateway(nat.clone()));
    b.route(&rt_priv, "::/0", RouteTarget::EgressOnlyInternetGateway(eigw.clone()));
    b.associate(&rt_priv, &private);
    let sg = b.security_group(&vpc, "web");
    // S4: a new group allows all IPv4 out; its IPv6 egress is written, as a real template would.
    b.set_egress(&sg, vec![SgRule::allow_all_to(SgPeer::any_ipv4()), SgRule::allow_all_to(SgPeer::any_ipv6())]);
    b.allow_in_tcp(&sg, 443, "0.0.0.0/0");
    b.allow_in_tcp(&sg, 443, "::/0");
    let web = b.instance(&public, "web", "10.0.0.10", &[&sg]);
    b.public_ip(&web, "50.1.1.1");
    b.instance_ipv6(&web, "2600:1f18:1:2300::10");
    let app = b.instance(&private, "app", "10.0.1.10", &[&sg]);
    b.instance_ipv6(&app, "2600:1f18:1:2301::10");
    DualStack { b, rt_priv, web, app, nat, eigw }
}

/// An IPv6-only subnet with DNS64 and 64:ff9b::/96 → the NAT gateway.
pub fn ipv6_only() -> (DualStack, Id, Id) {
    let mut l = dual_stack();
    let b = &mut l.b;
    let vpc = b.design.vpcs[0].id.clone();
    let only = b.ipv6_only_subnet(&vpc, "v6only", "2600:1f18:1:2302::/64", "a");
    let rt = b.route_table(&vpc, "RT-v6only");
    b.route(&rt, "::/0", RouteTarget::EgressOnlyInternetGateway(l.eigw.clone()));
    b.route(&rt, "64:ff9b::/96", RouteTarget::NatGateway(l.nat.clone()));
    b.associate(&rt, &only);
    let sg = b.design.security_groups.iter().find(|g| g.name == "web").map(|g| g.id.clone()).unwrap();
    let host = b.ipv6_only_instance(&only, "v6host", "2600:1f18:1:2302::10", &[&sg]);
    b.design.subnets.iter_mut().find(|s| s.id == only).unwrap().enable_dns64 = true;
    (l, host, rt)
}
