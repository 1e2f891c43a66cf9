//! Hub and spoke networks as AWS documents them (issue 15): centralized egress through a
//! transit gateway (whitepaper *Building a Scalable and Secure Multi-VPC AWS Network
//! Infrastructure*, "Centralized egress to internet"), inspection behind a Gateway Load
//! Balancer and AWS Network Firewall ("Centralized network security for VPC-to-VPC and
//! on-premises to VPC traffic"; Network Firewall guide, "Deployment models"), ingress routing
//! (VPC guide, "Gateway route tables"), appliance mode (Transit Gateway guide, "Appliance in a
//! shared services VPC") and the peering P2 forbids.
//!
//! Each test is one scenario: a topology built from the named pieces below, flows and what
//! they must show, so they convert one to one to scenario files.

use crate::trace_common::*;
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;

const WEB: &str = "60.1.1.1";

/// Spokes A (10.1.0.0/16) and B (10.2.0.0/16) and an egress VPC (10.0.0.0/16) on a transit
/// gateway with two tables, as in the whitepaper: the spokes' table sends 0.0.0.0/0 to the
/// egress attachment and blackholes 10.0.0.0/8 (no spoke-to-spoke); the egress table learns
/// the spokes by propagation. In the egress VPC, the attachment subnet sends 0.0.0.0/0 to the
/// NAT gateway, whose public subnet sends 0.0.0.0/0 to the IGW and 10.0.0.0/8 back to the TGW.
struct Hub {
    b: DesignBuilder,
    egress: Id,
    /// The egress VPC's attachment subnet (AZ a) and its table.
    tgw_subnet: Id,
    rt_tgw_subnet: Id,
    public: Id,
    rt_public: Id,
    nat: Id,
    spoke_a: Id,
    spoke_b: Id,
}

const TGW: &str = "tgw-0001";
const RT_SPOKES: &str = "tgw-rtb-spokes";
const RT_EGRESS: &str = "tgw-rtb-egress";
const ATT_A: &str = "tgw-attach-a";
const ATT_B: &str = "tgw-attach-b";
const ATT_EGRESS: &str = "tgw-attach-egress";

fn attachment(id: &str, vpc: &str, subnets: &[&str], table: &str) -> TgwAttachment {
    TgwAttachment {
        id: id.into(),
        name: id.into(),
        tgw: TGW.into(),
        kind: TgwAttachmentKind::Vpc { vpc: vpc.into(), subnets: subnets.iter().map(|s| s.to_string()).collect() },
        state: AttachmentState::Available,
        association: Some(table.into()),
        ipv6_support: false,
        appliance_mode: false,
    }
}

fn hub() -> Hub {
    let mut b = DesignBuilder::new("hub", REGION);
    let egress = b.vpc("egress", "10.0.0.0/16");
    let public = b.subnet(&egress, "egress-public", "10.0.0.0/24", "a");
    let tgw_subnet = b.subnet(&egress, "egress-tgw", "10.0.1.0/24", "a");
    let igw = b.igw(&egress, "egress-igw");
    let nat = b.nat_gateway(&public, "central-nat", "10.0.0.20", "50.1.1.2");
    let rt_public = b.route_table(&egress, "egress-public-rt");
    b.route(&rt_public, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    b.route(&rt_public, "10.0.0.0/8", RouteTarget::TransitGateway(TGW.into()));
    b.associate(&rt_public, &public);
    let rt_tgw_subnet = b.route_table(&egress, "egress-tgw-rt");
    b.route(&rt_tgw_subnet, "0.0.0.0/0", RouteTarget::NatGateway(nat.clone()));
    b.associate(&rt_tgw_subnet, &tgw_subnet);

    let mut spoke = |name: &str, cidr: &str, sub: &str, host: &str| {
        let v = b.vpc(name, cidr);
        let s = b.subnet(&v, &format!("{name}-app"), sub, "a");
        let i = b.instance(&s, &format!("{name}-app1"), host, &[]);
        let rt = b.main_route_table(&v);
        b.route(&rt, "0.0.0.0/0", RouteTarget::TransitGateway(TGW.into()));
        (v, s, i)
    };
    let (va, sa, spoke_a) = spoke("spoke-a", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.10");
    let (vb, sb, spoke_b) = spoke("spoke-b", "10.2.0.0/16", "10.2.1.0/24", "10.2.1.10");

    let d = &mut b.design;
    d.transit_gateways.push(TransitGateway {
        id: TGW.into(),
        name: "hub".into(),
        region: REGION.into(),
        asn: 64512,
        default_association: false,
        default_propagation: false,
        default_route_table: None,
    });
    d.tgw_attachments.push(attachment(ATT_A, &va, &[&sa], RT_SPOKES));
    d.tgw_attachments.push(attachment(ATT_B, &vb, &[&sb], RT_SPOKES));
    d.tgw_attachments.push(attachment(ATT_EGRESS, &egress, &[&tgw_subnet], RT_EGRESS));
    let route = |c: &str, a: Option<&str>| TgwRoute { cidr: c.parse().unwrap(), attachment: a.map(Into::into) };
    d.tgw_route_tables.push(TgwRouteTable {
        id: RT_SPOKES.into(),
        name: "spokes".into(),
        tgw: TGW.into(),
        propagations: Vec::new(),
        static_routes: vec![route("0.0.0.0/0", Some(ATT_EGRESS)), route("10.0.0.0/8", None)],
    });
    d.tgw_route_tables.push(TgwRouteTable {
        id: RT_EGRESS.into(),
        name: "egress".into(),
        tgw: TGW.into(),
        propagations: vec![ATT_A.into(), ATT_B.into()],
        static_routes: Vec::new(),
    });
    Hub { b, egress, tgw_subnet, rt_tgw_subnet, public, rt_public, nat, spoke_a, spoke_b }
}

/// A Network Firewall in the egress VPC between the transit gateway and the NAT gateway (the
/// Network Firewall guide's "centralized egress" model): firewall subnet 10.0.2.0/24 with
/// endpoint `vpce-fw-a`; the attachment subnet sends 0.0.0.0/0 to it, the firewall subnet to
/// the NAT gateway, and the public subnet sends the spokes back through it.
fn with_firewall(h: &mut Hub, stateless: Vec<StatelessRule>, stateful: Option<FirewallRuleGroup>) {
    let b = &mut h.b;
    let fw_subnet = b.subnet(&h.egress, "egress-firewall", "10.0.2.0/24", "a");
    let rt_fw = b.route_table(&h.egress, "egress-firewall-rt");
    b.route(&rt_fw, "0.0.0.0/0", RouteTarget::NatGateway(h.nat.clone()));
    b.route(&rt_fw, "10.0.0.0/8", RouteTarget::TransitGateway(TGW.into()));
    b.associate(&rt_fw, &fw_subnet);
    let ep = RouteTarget::GatewayEndpoint("vpce-fw-a".into());
    for t in [&h.rt_tgw_subnet, &h.rt_public] {
        let table = b.design.route_tables.iter_mut().find(|x| &x.id == t).unwrap();
        let cidr = if t == &h.rt_public { "10.0.0.0/8" } else { "0.0.0.0/0" };
        table.routes.retain(|r| r.destination.to_string() != cidr);
    }
    b.route(&h.rt_tgw_subnet, "0.0.0.0/0", ep.clone());
    b.route(&h.rt_public, "10.0.0.0/8", ep);
    let d = &mut b.design;
    let mut groups = vec![RuleGroupRef { group: "rg-stateless".into(), priority: Some(1) }];
    d.firewall_rule_groups.push(FirewallRuleGroup {
        id: "rg-stateless".into(),
        name: "stateless".into(),
        kind: RuleGroupKind::Stateless,
        capacity: 100,
        stateless_rules: stateless,
        stateful_rules: Vec::new(),
        domain_list: None,
        suricata: String::new(),
        home_net: Vec::new(),
    });
    let mut stateful_refs = Vec::new();
    if let Some(g) = stateful {
        stateful_refs.push(RuleGroupRef { group: g.id.clone(), priority: None });
        d.firewall_rule_groups.push(g);
    }
    groups.truncate(1);
    d.firewall_policies.push(FirewallPolicy {
        id: "fwp-egress".into(),
        name: "egress-policy".into(),
        stateless_default: StatelessAction::Forward,
        stateless_fragment_default: StatelessAction::Forward,
        stateless_groups: groups,
        stateful_groups: stateful_refs,
        rule_order: RuleOrder::DefaultActionOrder,
        stateful_defaults: Vec::new(),
    });
    d.network_firewalls.push(NetworkFirewall {
        id: "fw-egress".into(),
        name: "egress-firewall".into(),
        vpc: h.egress.clone(),
        policy: "fwp-egress".into(),
        endpoints: vec![FirewallEndpoint {
            id: "vpce-fw-a".into(),
            subnet: fw_subnet,
            ip: ip4("10.0.2.10"),
            placeholder: false,
        }],
    });
}

fn drop_ssh() -> StatelessRule {
    StatelessRule {
        priority: 10,
        sources: Vec::new(),
        destinations: Vec::new(),
        source_ports: Vec::new(),
        destination_ports: vec![PortRange { from: 22, to: 22 }],
        protocols: vec![6],
        action: StatelessAction::Drop,
    }
}

#[test]
fn centralized_egress_spoke_reaches_the_internet_through_the_central_nat_n6() {
    let h = hub();
    let r = tcp(&h.b.design, &h.spoke_a, WEB, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let nat = hop(&r.forward, "nat-gateway", "nat");
    assert_eq!((nat.before.src, nat.after.src), (ip("10.1.1.10"), ip("10.0.0.20")));
    assert_eq!(nat.rule, "N4");
    assert!(nat.decision.contains("transit gateway attachment"), "{}", nat.decision);
    let igw = hop(&r.forward, "internet-gateway", "nat");
    assert_eq!(igw.after.src, ip("50.1.1.2"));
    // The reply: IGW → NAT → the public table's 10.0.0.0/8 → TGW → the spoke.
    let back = hop(&r.return_path, "nat-gateway", "nat");
    assert_eq!(back.after.dst, ip("10.1.1.10"));
    let rt = r
        .return_path
        .iter()
        .find(|x| x.component.kind.as_str() == "route-table" && x.component.id == h.rt_public)
        .unwrap_or_else(|| panic!("{}", explain(&r)));
    assert!(rt.matched.as_deref().unwrap_or("").contains("10.0.0.0/8"), "{:?}", rt.matched);
    assert_eq!(r.return_path.last().unwrap().component.id, h.spoke_a);
}

#[test]
fn centralized_egress_spoke_to_spoke_is_blackholed_as_in_the_whitepaper_t4() {
    let h = hub();
    let r = tcp(&h.b.design, &h.spoke_a, "10.2.1.10", 22);
    let stop = r.forward.last().unwrap();
    assert_eq!(stop.component.kind.as_str(), "tgw-route-table", "{}", explain(&r));
    assert_eq!(stop.rule, "T4");
    assert_eq!(r.disposition.as_str(), "NULL_ROUTED", "{}", explain(&r));
    let _ = &h.spoke_b;
}

#[test]
fn centralized_egress_missing_return_route_drops_the_reply_at_the_egress_public_table() {
    // The classic mistake: the egress VPC's public table has no route back to the spokes.
    let mut h = hub();
    let t = h.rt_public.clone();
    h.b.design
        .route_tables
        .iter_mut()
        .find(|x| x.id == t)
        .unwrap()
        .routes
        .retain(|r| !r.destination.to_string().starts_with("10.0.0.0/8"));
    let r = tcp(&h.b.design, &h.spoke_a, WEB, 443);
    // Without it, 0.0.0.0/0 → IGW takes the reply, and the IGW does not send to a private
    // address (I4): the trace shows where the reply went wrong.
    assert_dropped_reply(&r, "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", "internet-gateway", "I4");
    let rt = r.return_path.iter().rev().find(|x| x.component.kind.as_str() == "route-table").unwrap();
    assert_eq!(rt.component.id, h.rt_public);
    assert_eq!(rt.matched.as_deref(), Some("0.0.0.0/0 → igw-0001"));
    let _ = (&h.public, &h.tgw_subnet);
}

#[test]
fn nat_gateway_still_refuses_a_peered_source_n6() {
    // A peer routes 0.0.0.0/0 over the peering: P6 stops it at the peering, before the NAT.
    let mut h = hub();
    let b = &mut h.b;
    let peer = b.vpc("peer", "10.9.0.0/16");
    let ps = b.subnet(&peer, "peer-app", "10.9.1.0/24", "a");
    let pi = b.instance(&ps, "peer-app1", "10.9.1.10", &[]);
    let pcx = b.peering("peer-egress", &peer, &h.egress, PeeringStatus::Active);
    let prt = b.main_route_table(&peer);
    b.route(&prt, "0.0.0.0/0", RouteTarget::VpcPeering(pcx));
    let r = tcp(&b.design, &pi, WEB, 443);
    assert_dropped_forward(&r, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "vpc-peering", "P6");
}

#[test]
fn network_firewall_stateless_rule_drops_ssh_and_passes_https_f1_f2() {
    let mut h = hub();
    with_firewall(&mut h, vec![drop_ssh()], None);
    let r = tcp(&h.b.design, &h.spoke_a, WEB, 22);
    let stop = assert_dropped_forward(&r, "FIREWALL_RULES_RESTRICTION", "firewall-rule-group", "F2");
    assert_eq!(stop.component.id, "rg-stateless");
    assert!(stop.matched.as_deref().unwrap_or("").contains("aws:drop"), "{:?}", stop.matched);
    assert_eq!(r.disposition.as_str(), "DENIED_IN");

    let r = tcp(&h.b.design, &h.spoke_a, WEB, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let fw = hop(&r.forward, "network-firewall", "arrive");
    assert_eq!(fw.rule, "F1");
    // The firewall sits before the NAT: it sees the spoke's own address.
    assert_eq!(fw.before.src, ip("10.1.1.10"));
    // The reply comes back through the same endpoint and its state lets it pass.
    let back = hop(&r.return_path, "firewall-policy", "stateful-allowed");
    assert_eq!(back.rule, "F3");
}

fn allow_list(home_net: Vec<ipnet::IpNet>) -> FirewallRuleGroup {
    FirewallRuleGroup {
        id: "rg-domains".into(),
        name: "domains".into(),
        kind: RuleGroupKind::Stateful,
        capacity: 100,
        stateless_rules: Vec::new(),
        stateful_rules: Vec::new(),
        domain_list: Some(DomainList {
            action: DomainListAction::AllowList,
            targets: vec![".amazonaws.com".into()],
            http_host: true,
            tls_sni: true,
        }),
        suricata: String::new(),
        home_net,
    }
}

#[test]
fn network_firewall_stateful_domain_allow_list_f3_f4() {
    let mut h = hub();
    with_firewall(&mut h, Vec::new(), Some(allow_list(vec!["10.0.0.0/8".parse().unwrap()])));
    let d = h.b.design.clone();
    // By name: the TLS SNI is on the list.
    let r = tcp(&d, &h.spoke_a, "cloudformation.ap-northeast-2.amazonaws.com", 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let pass = hop(&r.forward, "firewall-rule-group", "inspect");
    assert_eq!((pass.component.id.as_str(), pass.rule.as_str()), ("rg-domains", "F4"));
    // By address: no SNI names an allowed domain.
    let r = tcp(&d, &h.spoke_a, WEB, 443);
    let stop = assert_dropped_forward(&r, "FIREWALL_RULES_RESTRICTION", "firewall-rule-group", "F4");
    assert!(stop.matched.as_deref().unwrap_or("").contains("allow list"), "{:?}", stop.matched);
    // SSH is neither HTTP nor TLS: the list does not inspect it.
    assert_delivered(&tcp(&d, &h.spoke_a, WEB, 22), "EXITS_NETWORK");
}

#[test]
fn network_firewall_domain_list_ignores_spokes_outside_the_default_home_net_f4() {
    // HOME_NET defaults to the firewall VPC's CIDR: the spokes are outside it.
    let mut h = hub();
    with_firewall(&mut h, Vec::new(), Some(allow_list(Vec::new())));
    let r = tcp(&h.b.design, &h.spoke_a, WEB, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let fw = r.forward.iter().find(|x| x.decision.contains("HOME_NET")).unwrap_or_else(|| panic!("{}", explain(&r)));
    assert_eq!(fw.action.as_str(), "inspect");
}

/// A web server 10.0.0.10 (EIP 50.1.1.1) in VPC A behind a GWLB endpoint (10.0.2.10, subnet
/// 10.0.2.0/24), with the appliances in a security VPC (10.9.0.0/16): the VPC guide's ingress
/// routing example. The IGW's edge table sends the web subnet to the endpoint; the web subnet
/// sends 0.0.0.0/0 to the endpoint; the endpoint subnet sends 0.0.0.0/0 to the IGW.
struct Inspected {
    b: DesignBuilder,
    web: Id,
    web_sg: Id,
    edge: Id,
    tg: Id,
}

fn inspected() -> Inspected {
    let mut b = DesignBuilder::new("gwlb", REGION);
    let app = b.vpc("app", "10.0.0.0/16");
    let web_subnet = b.subnet(&app, "web", "10.0.0.0/24", "a");
    let ep_subnet = b.subnet(&app, "gwlbe", "10.0.2.0/24", "a");
    let igw = b.igw(&app, "igw");
    let web_sg = b.security_group(&app, "web");
    b.allow_in_tcp(&web_sg, 80, "0.0.0.0/0");
    let web = b.instance(&web_subnet, "web1", "10.0.0.10", &[&web_sg]);
    b.associate_eip(&web, "50.1.1.1");
    let gwlbe = RouteTarget::GatewayEndpoint("vpce-gwlbe-a".into());
    let rt_web = b.route_table(&app, "web-rt");
    b.route(&rt_web, "0.0.0.0/0", gwlbe.clone());
    b.associate(&rt_web, &web_subnet);
    let rt_ep = b.route_table(&app, "gwlbe-rt");
    b.route(&rt_ep, "0.0.0.0/0", RouteTarget::InternetGateway(igw.clone()));
    b.associate(&rt_ep, &ep_subnet);
    let edge = b.route_table(&app, "edge-rt");
    b.route(&edge, "10.0.0.0/24", gwlbe);
    b.design.route_tables.iter_mut().find(|t| t.id == edge).unwrap().gateways.push(igw);

    let sec = b.vpc("security", "10.9.0.0/16");
    let sec_subnet = b.subnet(&sec, "appliances", "10.9.1.0/24", "a");
    let app_sg = b.security_group(&sec, "geneve");
    b.allow_in(
        &app_sg,
        SgRule {
            protocol: Protocol::Udp,
            ports: PortSpec::port(6081),
            peer: SgPeer::Cidr("10.9.0.0/16".parse().unwrap()),
            description: String::new(),
        },
    );
    let appliance = b.instance(&sec_subnet, "firewall1", "10.9.1.10", &[&app_sg]);
    let d = &mut b.design;
    let tg = "tg-appliances".to_string();
    d.target_groups.push(TargetGroup {
        id: tg.clone(),
        name: "appliances".into(),
        vpc: sec.clone(),
        protocol: Protocol::Udp,
        port: 6081,
        targets: vec![Target { id: appliance, port: None }],
        appliance: ApplianceRules::default(),
    });
    d.load_balancers.push(LoadBalancer {
        id: "gwlb-0001".into(),
        name: "inspection".into(),
        vpc: sec,
        kind: LoadBalancerKind::Gateway,
        scheme: LoadBalancerScheme::Internal,
        nodes: vec![LoadBalancerNode {
            subnet: sec_subnet,
            private_ip: ip4("10.9.1.5"),
            public_ip: None,
            placeholder: false,
        }],
        security_groups: Vec::new(),
        listeners: vec![Listener { port: 6081, protocol: Protocol::Udp, target_group: Some(tg.clone()) }],
        dns_name: String::new(),
    });
    let service = format!("com.amazonaws.vpce.{REGION}.vpce-svc-0001");
    d.endpoint_services.push(EndpointService {
        id: "vpce-svc-0001".into(),
        name: "inspection".into(),
        service_name: service.clone(),
        region: REGION.into(),
        load_balancers: vec!["gwlb-0001".into()],
        acceptance_required: false,
        allowed_principals: Vec::new(),
    });
    d.endpoints.push(VpcEndpoint {
        id: "vpce-gwlbe-a".into(),
        name: "gwlbe-a".into(),
        vpc: app,
        kind: EndpointKind::GatewayLoadBalancer,
        service_name: service,
        state: EndpointState::Available,
        route_tables: Vec::new(),
        interfaces: vec![EndpointInterface { subnet: ep_subnet, ip: ip4("10.0.2.10"), eni: None, placeholder: false }],
        security_groups: Vec::new(),
        private_dns_enabled: false,
        dns_suffix: String::new(),
    });
    Inspected { b, web, web_sg, edge, tg }
}

#[test]
fn gwlb_outbound_detours_through_the_appliance_and_exits_b1_b2() {
    let g = inspected();
    let r = tcp(&g.b.design, &g.web, WEB, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    let ep = hop(&r.forward, "vpc-endpoint", "arrive");
    assert_eq!((ep.component.id.as_str(), ep.rule.as_str()), ("vpce-gwlbe-a", "B2"));
    let lb = hop(&r.forward, "load-balancer", "forward");
    assert_eq!(lb.rule, "B1");
    let app = hop(&r.forward, "instance", "inspect");
    assert_eq!(app.before.dst, ip(WEB), "the appliance sees the packet unchanged");
    hop(&r.forward, "internet-gateway", "nat");
    // The symptom: no made-up service at the destination.
    assert!(r.forward.iter().all(|x| x.component.kind.as_str() != "aws-service"), "{}", explain(&r));
}

#[test]
fn gwlb_appliance_rules_drop_ssh_b2() {
    let mut g = inspected();
    let sg = g.web_sg.clone();
    g.b.allow_in_tcp(&sg, 22, "0.0.0.0/0");
    let tg = g.tg.clone();
    g.b.design.target_groups.iter_mut().find(|t| t.id == tg).unwrap().appliance = ApplianceRules {
        rules: vec![ApplianceRule {
            action: RuleAction::Deny,
            protocol: Protocol::Tcp,
            source: None,
            destination: None,
            ports: PortSpec::port(22),
            description: "no SSH".into(),
        }],
        default: RuleAction::Allow,
    };
    let r = tcp(&g.b.design, "internet", "50.1.1.1", 22);
    let stop = assert_dropped_forward(&r, "APPLIANCE_RULES_RESTRICTION", "instance", "B2");
    assert!(stop.matched.as_deref().unwrap_or("").contains("no SSH"), "{:?}", stop.matched);
    // HTTP passes the same appliance.
    assert_delivered(&tcp(&g.b.design, "internet", "50.1.1.1", 80), "ACCEPTED");
}

#[test]
fn ingress_routing_sends_inbound_traffic_through_the_endpoint_first_r10() {
    let g = inspected();
    let r = tcp(&g.b.design, "internet", "50.1.1.1", 80);
    assert_delivered(&r, "ACCEPTED");
    let edge = r
        .forward
        .iter()
        .position(|x| x.component.id == g.edge)
        .unwrap_or_else(|| panic!("the edge table decides: {}", explain(&r)));
    let ep = r.forward.iter().position(|x| x.component.id == "vpce-gwlbe-a").unwrap();
    let web = r.forward.iter().position(|x| x.component.id == g.web).unwrap();
    assert!(edge < ep && ep < web, "{}", explain(&r));
    // The reply goes out through the endpoint too (the web subnet's 0.0.0.0/0).
    assert!(r.return_path.iter().any(|x| x.component.id == "vpce-gwlbe-a"), "{}", explain(&r));
}

#[test]
fn ingress_routing_ssh_is_stopped_by_the_security_group_not_the_endpoint_s2() {
    let g = inspected();
    let r = tcp(&g.b.design, "internet", "50.1.1.1", 22);
    let stop = assert_dropped_forward(&r, "ENI_SG_RULES_MISMATCH", "security-group", "S2");
    assert_eq!(stop.component.id, g.web_sg);
    assert!(r.forward.iter().any(|x| x.component.kind.as_str() == "load-balancer"), "{}", explain(&r));
}

#[test]
fn ingress_routing_table_with_a_forbidden_target_is_not_followed_r10() {
    let mut g = inspected();
    let edge = g.edge.clone();
    let nat_like = RouteTarget::NatGateway("nat-0999".into());
    g.b.route(&edge, "10.0.2.0/24", nat_like);
    let r = tcp(&g.b.design, "internet", "50.1.1.1", 80);
    let w = r.forward.iter().find(|x| x.rule == "R10").unwrap_or_else(|| panic!("{}", explain(&r)));
    assert!(w.warning.as_deref().unwrap_or("").contains("refuses"), "{:?}", w.warning);
    assert!(r.forward.iter().all(|x| x.component.id != "vpce-gwlbe-a"), "{}", explain(&r));
}

/// Two spokes in different AZs inspected east-west by a firewall in an inspection VPC with an
/// attachment subnet and a firewall endpoint in each AZ (Transit Gateway guide, "Appliance in
/// a shared services VPC").
fn east_west(appliance_mode: bool) -> (Design, Id) {
    let mut b = DesignBuilder::new("eastwest", REGION);
    let insp = b.vpc("inspection", "10.0.0.0/16");
    let mut tgw_subnets = Vec::new();
    for (az, n) in [("a", 0), ("b", 1)] {
        let t = b.subnet(&insp, &format!("tgw-{az}"), &format!("10.0.{}.0/24", n), az);
        let f = b.subnet(&insp, &format!("fw-{az}"), &format!("10.0.{}.0/24", 10 + n), az);
        let rt_t = b.route_table(&insp, &format!("tgw-{az}-rt"));
        b.route(&rt_t, "0.0.0.0/0", RouteTarget::GatewayEndpoint(format!("vpce-fw-{az}")));
        b.associate(&rt_t, &t);
        let rt_f = b.route_table(&insp, &format!("fw-{az}-rt"));
        b.route(&rt_f, "0.0.0.0/0", RouteTarget::TransitGateway(TGW.into()));
        b.associate(&rt_f, &f);
        tgw_subnets.push((t, f, az));
    }
    let mut spoke = |name: &str, cidr: &str, sub: &str, host: &str, az: &str| {
        let v = b.vpc(name, cidr);
        let s = b.subnet(&v, &format!("{name}-app"), sub, az);
        let i = b.instance(&s, &format!("{name}-app1"), host, &[]);
        let rt = b.main_route_table(&v);
        b.route(&rt, "0.0.0.0/0", RouteTarget::TransitGateway(TGW.into()));
        let sg = b.design.security_groups.iter().find(|g| g.vpc == v).unwrap().id.clone();
        allow_all_in(&mut b, &sg);
        (v, s, i)
    };
    let (va, sa, ia) = spoke("spoke-a", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.10", "a");
    let (vb, sb, _) = spoke("spoke-b", "10.2.0.0/16", "10.2.1.0/24", "10.2.1.10", "b");
    let d = &mut b.design;
    d.transit_gateways.push(TransitGateway {
        id: TGW.into(),
        name: "hub".into(),
        region: REGION.into(),
        asn: 64512,
        default_association: false,
        default_propagation: false,
        default_route_table: None,
    });
    d.tgw_attachments.push(attachment(ATT_A, &va, &[&sa], RT_SPOKES));
    d.tgw_attachments.push(attachment(ATT_B, &vb, &[&sb], RT_SPOKES));
    let mut insp_att = attachment(ATT_EGRESS, &insp, &[&tgw_subnets[0].0, &tgw_subnets[1].0], RT_EGRESS);
    insp_att.appliance_mode = appliance_mode;
    d.tgw_attachments.push(insp_att);
    d.tgw_route_tables.push(TgwRouteTable {
        id: RT_SPOKES.into(),
        name: "spokes".into(),
        tgw: TGW.into(),
        propagations: Vec::new(),
        static_routes: vec![TgwRoute { cidr: "0.0.0.0/0".parse().unwrap(), attachment: Some(ATT_EGRESS.into()) }],
    });
    d.tgw_route_tables.push(TgwRouteTable {
        id: RT_EGRESS.into(),
        name: "inspection".into(),
        tgw: TGW.into(),
        propagations: vec![ATT_A.into(), ATT_B.into()],
        static_routes: Vec::new(),
    });
    d.firewall_policies.push(FirewallPolicy {
        id: "fwp".into(),
        name: "east-west".into(),
        stateless_default: StatelessAction::Forward,
        stateless_fragment_default: StatelessAction::Forward,
        stateless_groups: Vec::new(),
        stateful_groups: Vec::new(),
        rule_order: RuleOrder::DefaultActionOrder,
        stateful_defaults: Vec::new(),
    });
    d.network_firewalls.push(NetworkFirewall {
        id: "fw-0001".into(),
        name: "east-west".into(),
        vpc: insp,
        policy: "fwp".into(),
        endpoints: tgw_subnets
            .iter()
            .enumerate()
            .map(|(n, (_, f, az))| FirewallEndpoint {
                id: format!("vpce-fw-{az}"),
                subnet: f.clone(),
                ip: ip4(&format!("10.0.{}.10", 10 + n)),
                placeholder: false,
            })
            .collect(),
    });
    (b.design, ia)
}

#[test]
fn asymmetric_inspection_without_appliance_mode_is_flagged_t9() {
    let (d, a) = east_west(false);
    let r = tcp(&d, &a, "10.2.1.10", 443);
    assert_delivered(&r, "ACCEPTED");
    let fw_fwd = hop(&r.forward, "network-firewall", "arrive");
    assert!(fw_fwd.decision.contains("vpce-fw-a"), "{}", fw_fwd.decision);
    let fw_back = hop(&r.return_path, "network-firewall", "arrive");
    assert!(fw_back.decision.contains("vpce-fw-b"), "{}", explain(&r));
    let w = fw_back.warning.as_deref().unwrap_or_else(|| panic!("no warning: {}", explain(&r)));
    assert!(w.contains("asymmetric") && w.contains("appliance mode"), "{w}");
}

#[test]
fn appliance_mode_keeps_both_directions_on_one_firewall_endpoint_t9() {
    let (d, a) = east_west(true);
    let r = tcp(&d, &a, "10.2.1.10", 443);
    assert_delivered(&r, "ACCEPTED");
    let fw_fwd = hop(&r.forward, "network-firewall", "arrive");
    let fw_back = hop(&r.return_path, "network-firewall", "arrive");
    let at = |h: &vpcraft::sim::Hop| if h.decision.contains("vpce-fw-a") { "a" } else { "b" };
    assert_eq!(at(fw_fwd), at(fw_back), "{}", explain(&r));
    assert!(r.forward.iter().chain(&r.return_path).all(|h| h.warning.is_none()), "{}", explain(&r));
    hop(&r.return_path, "firewall-policy", "stateful-allowed");
}

#[test]
fn peering_between_vpcs_whose_secondary_cidrs_overlap_carries_nothing_p2() {
    let mut b = DesignBuilder::new("p2", REGION);
    let (va, vb) = (b.vpc("A", "10.0.0.0/16"), b.vpc("B", "10.1.0.0/16"));
    b.design.vpcs.iter_mut().find(|v| v.id == vb).unwrap().secondary_cidrs.push(net("10.0.128.0/17"));
    let sa = b.subnet(&va, "a", "10.0.1.0/24", "a");
    let sb = b.subnet(&vb, "b", "10.1.1.0/24", "a");
    let ia = b.instance(&sa, "a1", "10.0.1.10", &[]);
    b.instance(&sb, "b1", "10.1.1.10", &[]);
    let pcx = b.peering("ab", &va, &vb, PeeringStatus::Active);
    // The builder's op records the request as failed (P2); an import can still record it as
    // active, and the trace must not carry traffic over it either.
    b.design.peerings.iter_mut().find(|p| p.id == pcx).unwrap().status = PeeringStatus::Active;
    let (rta, rtb) = (b.main_route_table(&va), b.main_route_table(&vb));
    b.route(&rta, "10.1.0.0/16", RouteTarget::VpcPeering(pcx.clone()));
    b.route(&rtb, "10.0.0.0/16", RouteTarget::VpcPeering(pcx.clone()));
    let r = tcp(&b.design, &ia, "10.1.1.10", 22);
    let stop = assert_dropped_forward(&r, "BAD_STATE_ROUTE", "vpc-peering", "P2");
    assert_eq!(stop.component.id, pcx);
    assert!(stop.decision.contains("10.0.128.0/17"), "{}", stop.decision);
}

fn codes(d: &Design) -> Vec<(String, Vec<String>)> {
    vpcraft::sim::checks::check_design(d).into_iter().map(|f| (f.code.as_str().to_string(), f.resources)).collect()
}

fn has(d: &Design, code: &str) -> Option<Vec<String>> {
    codes(d).into_iter().find(|(c, _)| c == code).map(|(_, r)| r)
}

#[test]
fn check_egress_return_route_missing_n6() {
    let mut h = hub();
    assert_eq!(has(&h.b.design, "EGRESS_RETURN_ROUTE_MISSING"), None, "{:?}", codes(&h.b.design));
    let t = h.rt_public.clone();
    h.b.design
        .route_tables
        .iter_mut()
        .find(|x| x.id == t)
        .unwrap()
        .routes
        .retain(|r| r.destination.to_string() != "10.0.0.0/8");
    let r = has(&h.b.design, "EGRESS_RETURN_ROUTE_MISSING").expect("finding");
    assert_eq!(r[0], h.rt_public);
}

#[test]
fn check_appliance_mode_off_on_an_inspection_attachment_t9() {
    let (d, _) = east_west(false);
    assert_eq!(has(&d, "APPLIANCE_MODE_OFF"), Some(vec![ATT_EGRESS.to_string()]));
    let (d, _) = east_west(true);
    assert_eq!(has(&d, "APPLIANCE_MODE_OFF"), None);
}

#[test]
fn check_edge_route_table_with_a_forbidden_target_r10() {
    let mut g = inspected();
    assert_eq!(has(&g.b.design, "EDGE_ROUTE_TABLE_FORBIDDEN"), None, "{:?}", codes(&g.b.design));
    let edge = g.edge.clone();
    g.b.route(&edge, "0.0.0.0/0", RouteTarget::NatGateway("nat-0999".into()));
    let r = has(&g.b.design, "EDGE_ROUTE_TABLE_FORBIDDEN").expect("finding");
    assert_eq!(r[0], g.edge);
}

#[test]
fn check_inspection_in_one_direction_only_b2() {
    let mut g = inspected();
    assert_eq!(has(&g.b.design, "INSPECTION_ONE_WAY"), None, "{:?}", codes(&g.b.design));
    // The web subnet's replies bypass the endpoint: straight to the IGW.
    let web_rt = g.b.design.route_tables.iter().find(|t| t.name == "web-rt").unwrap().id.clone();
    let igw = g.b.design.internet_gateways[0].id.clone();
    let t = g.b.design.route_tables.iter_mut().find(|t| t.id == web_rt).unwrap();
    t.routes.retain(|r| r.destination.to_string() != "0.0.0.0/0");
    g.b.route(&web_rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    assert_eq!(has(&g.b.design, "INSPECTION_ONE_WAY").expect("finding")[0], web_rt);
    // The other way: outbound through the endpoint, no edge table for the inbound.
    let mut g = inspected();
    let edge = g.edge.clone();
    g.b.design.route_tables.iter_mut().find(|t| t.id == edge).unwrap().gateways.clear();
    assert_eq!(has(&g.b.design, "INSPECTION_ONE_WAY").expect("finding")[0], web_rt);
}

#[test]
fn check_firewall_subnet_routed_through_its_own_firewall_f1() {
    let mut h = hub();
    with_firewall(&mut h, Vec::new(), None);
    assert_eq!(has(&h.b.design, "FIREWALL_SUBNET_THROUGH_OWN_FIREWALL"), None, "{:?}", codes(&h.b.design));
    let fw_rt = h.b.design.route_tables.iter().find(|t| t.name == "egress-firewall-rt").unwrap().id.clone();
    h.b.route(&fw_rt, "10.9.0.0/16", RouteTarget::GatewayEndpoint("vpce-fw-a".into()));
    let r = has(&h.b.design, "FIREWALL_SUBNET_THROUGH_OWN_FIREWALL").expect("finding");
    assert_eq!(r[..2], [fw_rt, "fw-egress".to_string()]);
}
