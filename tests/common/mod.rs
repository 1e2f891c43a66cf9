//! Designs shared by the export and round-trip tests.
#![allow(dead_code)]

use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;

fn net(s: &str) -> ipnet::Ipv4Net {
    s.parse().unwrap()
}

/// The hub-and-spoke inspection fixture (tests/fixtures/terraform/hub): a GWLB with its
/// appliance, endpoint service and GWLB endpoint, an edge route table, and a Network Firewall
/// with its policy, rule groups and endpoint routes.
pub fn hub_fixture() -> Design {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/hub");
    vpcraft::io::terraform::import_dir(&dir, &Default::default()).unwrap_or_else(|e| panic!("{e}")).0
}

/// A design that touches every exporter branch: two regions, secondary CIDRs, a main table
/// with routes, custom and default NACL entries, groups that refer to each other and to
/// themselves, no-egress groups, a NAT instance, EIPs, an external peer, an NLB behind an
/// endpoint service, an ALB, transit gateways with a peering, a VPN with static routes and one
/// with BGP, a customer prefix list and a blackhole route.
pub fn kitchen_sink() -> Design {
    let mut b = DesignBuilder::new("kitchen-sink", "ap-northeast-2");
    let a = b.vpc("hub", "10.0.0.0/16");
    b.design.add_vpc_cidr(&a, net("10.1.0.0/16")).unwrap();
    let pub_a = b.subnet(&a, "hub-public-a", "10.0.0.0/24", "a");
    let pub_c = b.subnet(&a, "hub-public-c", "10.0.1.0/24", "c");
    let priv_a = b.subnet(&a, "hub-private-a", "10.1.0.0/24", "a");
    let main = b.main_route_table(&a);
    let igw = b.igw(&a, "hub-igw");
    let rt_pub = b.route_table(&a, "hub-public-rt");
    b.route(&rt_pub, "0.0.0.0/0", RouteTarget::InternetGateway(igw.clone()));
    b.associate(&rt_pub, &pub_a);
    b.associate(&rt_pub, &pub_c);
    let nat = b.nat_gateway(&pub_a, "hub-nat", "10.0.0.5", "3.34.1.1");
    b.route(&main, "0.0.0.0/0", RouteTarget::NatGateway(nat));
    b.route(&main, "192.0.2.0/24", RouteTarget::Unknown("lgw-123".into()));

    let web = b.security_group(&a, "web");
    let app = b.security_group(&a, "app");
    b.allow_in_tcp(&web, 443, "0.0.0.0/0");
    b.allow_in(&web, SgRule::tcp(8080, SgPeer::group(app.clone())));
    b.allow_in(&app, SgRule::tcp(8080, SgPeer::group(web.clone())));
    b.allow_in(&app, SgRule::allow_all_to(SgPeer::group(app.clone())));
    b.allow_in(
        &app,
        SgRule {
            protocol: Protocol::Icmp,
            ports: PortSpec::Icmp { icmp_type: Some(8), code: None },
            peer: SgPeer::Cidr(net("10.0.0.0/8").into()),
            description: "ping — from inside".into(),
        },
    );
    b.set_egress(
        &app,
        vec![SgRule::tcp(443, SgPeer::PrefixList("pl-78a54011".into())), SgRule::tcp(5432, SgPeer::group(web.clone()))],
    );
    let sealed = b.security_group(&a, "sealed");
    b.set_egress(&sealed, Vec::new());
    let default_sg = b.design.default_security_group(&a).unwrap().id.clone();
    b.allow_in_tcp(&default_sg, 22, "10.0.0.0/8");

    let w = b.instance(&pub_a, "web-1", "10.0.0.10", &[&web]);
    b.public_ip(&w, "3.34.2.2");
    let second = b.design.new_id(ResourceKind::NetworkInterface);
    let mut eth1 = NetworkInterface::new(second, "web-1-eth1", &priv_a, "10.1.0.10".parse().unwrap());
    eth1.instance = Some(w.clone());
    eth1.device_index = 1;
    eth1.security_groups = vec![app.clone()];
    b.design.network_interfaces.push(eth1);
    let natbox = b.instance(&pub_c, "nat-box", "10.0.1.20", &[&app]);
    b.associate_eip(&natbox, "3.34.3.3");
    let natbox_eni = b.primary_eni(&natbox);
    if let Some(e) = b.design.network_interfaces.iter_mut().find(|e| e.id == natbox_eni) {
        e.source_dest_check = false;
    }
    let rt_priv = b.route_table(&a, "hub-private-rt");
    b.associate(&rt_priv, &priv_a);
    b.route(&rt_priv, "172.16.0.0/12", RouteTarget::NetworkInterface(natbox_eni));
    b.route(&rt_priv, "100.64.0.0/10", RouteTarget::Instance(natbox.clone()));
    if let Some(rt) = b.design.route_tables.iter_mut().find(|r| r.id == rt_priv) {
        let mut dead = Route::to_cidr(net("10.99.0.0/16"), RouteTarget::NatGateway("nat-gone".into()));
        dead.state = RouteState::Blackhole;
        rt.routes.push(dead);
    }
    b.gateway_endpoint(&a, "s3", &[&rt_priv, &main]);

    let acl = b.custom_nacl(&a, "private-acl", &[&priv_a]);
    for (n, egress, proto, ports) in [
        (100, false, Protocol::Tcp, PortSpec::port(443)),
        (110, false, Protocol::Tcp, PortSpec::Range { from: 1024, to: 65535 }),
        (120, false, Protocol::Icmp, PortSpec::Icmp { icmp_type: Some(0), code: Some(0) }),
        (100, true, Protocol::All, PortSpec::All),
    ] {
        b.nacl_entry(
            &acl,
            NaclEntry {
                rule_number: n,
                egress,
                action: RuleAction::Allow,
                protocol: proto,
                ports,
                cidr: net("0.0.0.0/0").into(),
            },
        );
    }
    b.nacl_entry(
        &acl,
        NaclEntry {
            rule_number: 90,
            egress: false,
            action: RuleAction::Deny,
            protocol: Protocol::Udp,
            ports: PortSpec::All,
            cidr: net("198.51.100.0/24").into(),
        },
    );
    let default_acl = b.design.network_acls.iter().find(|x| x.is_default && x.vpc == a).unwrap().id.clone();
    b.nacl_entry(
        &default_acl,
        NaclEntry {
            rule_number: 50,
            egress: false,
            action: RuleAction::Deny,
            protocol: Protocol::Tcp,
            ports: PortSpec::port(23),
            cidr: net("0.0.0.0/0").into(),
        },
    );

    // A provider VPC with an NLB behind an endpoint service, consumed from the hub.
    let p = b.vpc("provider", "20.0.0.0/16");
    let p_a = b.subnet(&p, "provider-a", "20.0.0.0/24", "a");
    let p_c = b.subnet(&p, "provider-c", "20.0.1.0/24", "c");
    let srv = b.instance(&p_a, "backend", "20.0.0.10", &[]);
    let tg = b.design.new_id(ResourceKind::TargetGroup);
    b.design.target_groups.push(TargetGroup {
        id: tg.clone(),
        name: "backend-tg".into(),
        vpc: p.clone(),
        protocol: Protocol::Tcp,
        port: 80,
        targets: vec![Target { id: srv, port: Some(80) }],
        appliance: Default::default(),
        target_type: None,
    });
    let nlb = b.design.new_id(ResourceKind::LoadBalancer);
    b.design.load_balancers.push(LoadBalancer {
        id: nlb.clone(),
        name: "provider-nlb".into(),
        vpc: p.clone(),
        kind: LoadBalancerKind::Network,
        scheme: LoadBalancerScheme::Internal,
        nodes: vec![LoadBalancerNode {
            subnet: p_a.clone(),
            private_ip: "20.0.0.50".parse().unwrap(),
            public_ip: None,
            placeholder: false,
        }],
        security_groups: Vec::new(),
        listeners: vec![Listener { port: 80, protocol: Protocol::Tcp, target_group: Some(tg.clone()) }],
        dns_name: String::new(),
    });
    let alb_tg = b.design.new_id(ResourceKind::TargetGroup);
    b.design.target_groups.push(TargetGroup {
        id: alb_tg.clone(),
        name: "web-tg".into(),
        vpc: p.clone(),
        protocol: Protocol::Tcp,
        port: 8080,
        targets: vec![Target { id: "20.0.1.30".into(), port: None }],
        appliance: Default::default(),
        target_type: None,
    });
    let alb = b.design.new_id(ResourceKind::LoadBalancer);
    let psg = b.security_group(&p, "alb-sg");
    b.allow_in_tcp(&psg, 80, "0.0.0.0/0");
    b.design.load_balancers.push(LoadBalancer {
        id: alb,
        name: "provider-alb".into(),
        vpc: p.clone(),
        kind: LoadBalancerKind::Application,
        scheme: LoadBalancerScheme::Internal,
        nodes: vec![
            LoadBalancerNode {
                subnet: p_a.clone(),
                private_ip: "20.0.0.60".parse().unwrap(),
                public_ip: None,
                placeholder: true,
            },
            LoadBalancerNode {
                subnet: p_c.clone(),
                private_ip: "20.0.1.60".parse().unwrap(),
                public_ip: None,
                placeholder: true,
            },
        ],
        security_groups: vec![psg],
        listeners: vec![Listener { port: 80, protocol: Protocol::Tcp, target_group: Some(alb_tg) }],
        dns_name: String::new(),
    });
    let svc = b.design.new_id(ResourceKind::EndpointService);
    b.design.endpoint_services.push(EndpointService {
        id: svc.clone(),
        name: "provider-svc".into(),
        service_name: format!("com.amazonaws.vpce.ap-northeast-2.{svc}"),
        region: "ap-northeast-2".into(),
        load_balancers: vec![nlb],
        acceptance_required: true,
        allowed_principals: vec!["arn:aws:iam::123456789012:root".into()],
    });
    b.interface_endpoint(
        &a,
        &format!("com.amazonaws.vpce.ap-northeast-2.{svc}"),
        &[(&priv_a, "10.1.0.50")],
        &[&app],
        false,
    );
    // Built by hand: `DesignBuilder::interface_endpoint` overflows on a design's second endpoint.
    let sts = b.design.new_id(ResourceKind::VpcEndpoint);
    b.design.endpoints.push(VpcEndpoint {
        id: sts,
        name: "sts".into(),
        vpc: a.clone(),
        kind: EndpointKind::Interface,
        service_name: "com.amazonaws.ap-northeast-2.sts".into(),
        state: EndpointState::Available,
        route_tables: Vec::new(),
        interfaces: vec![
            EndpointInterface {
                subnet: pub_a.clone(),
                ip: "10.0.0.51".parse().unwrap(),
                eni: None,
                placeholder: false,
            },
            EndpointInterface {
                subnet: pub_c.clone(),
                ip: "10.0.1.51".parse().unwrap(),
                eni: None,
                placeholder: false,
            },
        ],
        security_groups: Vec::new(),
        private_dns_enabled: true,
        dns_suffix: "k1tch3n0".into(),
    });

    // Peerings: one to the provider, one to a VPC in another account and region.
    let pcx = b.peering("hub-provider", &a, &p, PeeringStatus::Active);
    b.route(&rt_priv, "20.0.0.0/16", RouteTarget::VpcPeering(pcx));
    let mut far = Vpc::new("vpc-0f00f00f00f00f00f", "vpc-0f00f00f00f00f00f", "us-west-2", net("172.31.0.0/16"));
    far.external = true;
    far.account = Some("999999999999".into());
    b.design.vpcs.push(far);
    if let Some(v) = b.design.vpcs.iter_mut().find(|v| v.id == a) {
        v.account = Some("111111111111".into());
    }
    b.peering("hub-far", &a, "vpc-0f00f00f00f00f00f", PeeringStatus::PendingAcceptance);

    // A customer prefix list and a route to it.
    let pl = b.design.new_id(ResourceKind::PrefixList);
    b.design.prefix_lists.push(PrefixList {
        id: pl.clone(),
        name: "office".into(),
        region: "ap-northeast-2".into(),
        cidrs: vec![net("203.0.113.0/24").into()],
        aws_managed: false,
    });
    if let Some(rt) = b.design.route_tables.iter_mut().find(|r| r.id == rt_pub) {
        rt.routes.push(Route {
            destination: RouteDestination::PrefixList(pl),
            target: RouteTarget::InternetGateway(igw.clone()),
            state: RouteState::Active,
            origin: RouteOrigin::Static,
        });
    }

    // Transit gateway with two VPC attachments, an explicit table and a peering to Tokyo.
    let tgw = b.design.new_id(ResourceKind::TransitGateway);
    b.design.transit_gateways.push(TransitGateway {
        id: tgw.clone(),
        name: "core-tgw".into(),
        region: "ap-northeast-2".into(),
        asn: 64600,
        default_association: true,
        default_propagation: true,
        default_route_table: None,
    });
    let att_a = b.design.new_id(ResourceKind::TgwAttachment);
    b.design.tgw_attachments.push(TgwAttachment {
        id: att_a.clone(),
        name: "hub-att".into(),
        tgw: tgw.clone(),
        kind: TgwAttachmentKind::Vpc { vpc: a.clone(), subnets: vec![priv_a.clone()] },
        state: AttachmentState::Available,
        association: None,
        ipv6_support: false,
        appliance_mode: false,
    });
    let att_p = b.design.new_id(ResourceKind::TgwAttachment);
    b.design.tgw_attachments.push(TgwAttachment {
        id: att_p.clone(),
        name: "provider-att".into(),
        tgw: tgw.clone(),
        kind: TgwAttachmentKind::Vpc { vpc: p.clone(), subnets: vec![p_a.clone(), p_c.clone()] },
        state: AttachmentState::Available,
        association: None,
        ipv6_support: false,
        appliance_mode: false,
    });
    let tokyo = b.design.new_id(ResourceKind::TransitGateway);
    b.design.transit_gateways.push(TransitGateway {
        id: tokyo.clone(),
        name: "tokyo-tgw".into(),
        region: "ap-northeast-1".into(),
        asn: 64601,
        default_association: true,
        default_propagation: true,
        default_route_table: None,
    });
    let att_peer = b.design.new_id(ResourceKind::TgwAttachment);
    b.design.tgw_attachments.push(TgwAttachment {
        id: att_peer.clone(),
        name: "to-tokyo".into(),
        tgw: tgw.clone(),
        kind: TgwAttachmentKind::Peering { peer_tgw: tokyo.clone() },
        state: AttachmentState::Available,
        association: None,
        ipv6_support: false,
        appliance_mode: false,
    });
    let trt = b.design.new_id(ResourceKind::TgwRouteTable);
    b.design.tgw_route_tables.push(TgwRouteTable {
        id: trt.clone(),
        name: "core-rt".into(),
        tgw: tgw.clone(),
        propagations: vec![att_a.clone(), att_p.clone()],
        static_routes: vec![
            TgwRoute { cidr: net("10.200.0.0/16").into(), attachment: Some(att_peer.clone()) },
            TgwRoute { cidr: net("10.66.0.0/16").into(), attachment: None },
        ],
    });
    for at in [&att_a, &att_p, &att_peer] {
        if let Some(x) = b.design.tgw_attachments.iter_mut().find(|x| &x.id == at) {
            x.association = Some(trt.clone());
        }
    }
    if let Some(t) = b.design.transit_gateways.iter_mut().find(|t| t.id == tgw) {
        t.default_route_table = Some(trt);
    }
    b.route(&rt_priv, "10.200.0.0/16", RouteTarget::TransitGateway(tgw.clone()));

    // VPN: a VGW on the hub with BGP, and a static VPN on the TGW.
    let vgw = b.design.new_id(ResourceKind::VpnGateway);
    b.design.vpn_gateways.push(VpnGateway {
        id: vgw.clone(),
        name: "hub-vgw".into(),
        vpc: Some(a.clone()),
        asn: 64512,
    });
    let cgw = b.design.new_id(ResourceKind::CustomerGateway);
    b.design.customer_gateways.push(CustomerGateway {
        id: cgw.clone(),
        name: "office-router".into(),
        ip: "198.51.100.7".parse().unwrap(),
        bgp_asn: 65010,
    });
    let vpn = b.design.new_id(ResourceKind::VpnConnection);
    b.design.vpn_connections.push(VpnConnection {
        id: vpn,
        name: "office-bgp".into(),
        customer_gateway: cgw.clone(),
        vpn_gateway: Some(vgw.clone()),
        transit_gateway: None,
        static_routes_only: false,
        routes: vec![net("192.168.0.0/16")],
        state: VpnState::Available,
    });
    let vpn2 = b.design.new_id(ResourceKind::VpnConnection);
    b.design.vpn_connections.push(VpnConnection {
        id: vpn2,
        name: "office-static".into(),
        customer_gateway: cgw,
        vpn_gateway: None,
        transit_gateway: Some(tgw),
        static_routes_only: true,
        routes: vec![net("192.168.100.0/24")],
        state: VpnState::Available,
    });
    if let Some(rt) = b.design.route_tables.iter_mut().find(|r| r.id == rt_priv) {
        rt.propagating_vgws.push(vgw);
    }

    // A VPC in Tokyo (only Terraform can take it along: a CloudFormation stack is regional).
    let t = b.vpc_in("tokyo-vpc", "10.200.0.0/16", "ap-northeast-1");
    let ts = b.subnet(&t, "tokyo-a", "10.200.0.0/24", "ap-northeast-1a");
    b.instance(&ts, "tokyo-app", "10.200.0.10", &[]);
    b.build()
}

/// Called where a test lacks its input data or an external tool: outside CI it prints why the
/// test does not run; under CI (`CI` set, as `.ci/run` does) a missing input is a failure, so a
/// green CI has run everything it claims. Returns `false` so it can stand in a condition.
pub fn skip_unless_ci(why: &str) -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if ci {
        panic!("{why}: CI must provide it (see .ci/run)");
    }
    eprintln!("skipping: {why}");
    false
}
