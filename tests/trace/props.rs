//! Property tests: no flow over a random design panics (random subsets of resources, random
//! routes and rules, dangling references), traces are deterministic, and every result keeps
//! the shape the JSON interface promises.

use ipnet::Ipv4Net;
use proptest::prelude::*;
use std::net::Ipv4Addr;
use vpcraft::model::*;
use vpcraft::sim::{TraceIndex, TraceRequest, TraceResult};

/// A small deterministic generator so one `u64` seed is one design (proptest shrinks the seed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        if v.is_empty() {
            None
        } else {
            Some(&v[self.below(v.len())])
        }
    }
}

const NETS: &[&str] = &[
    "10.0.0.0/16",
    "10.0.0.0/24",
    "10.0.1.0/24",
    "10.1.0.0/16",
    "10.1.1.0/24",
    "172.31.0.0/16",
    "172.31.0.0/20",
    "0.0.0.0/0",
    "10.0.0.0/8",
    "192.168.0.0/16",
    "52.219.56.0/22",
    "60.1.1.0/24",
    "169.254.0.0/16",
];

const SERVICES: &[&str] = &[
    "com.amazonaws.ap-northeast-2.s3",
    "com.amazonaws.ap-northeast-2.cloudformation",
    "com.amazonaws.ap-northeast-1.s3",
    "ecr.api",
    "com.amazonaws.vpce.ap-northeast-2.vpce-svc-0001",
    "bogus.service",
];

fn net(r: &mut Rng) -> Ipv4Net {
    NETS[r.below(NETS.len())].parse().unwrap_or_default()
}

fn ip_in(r: &mut Rng, n: Ipv4Net) -> Ipv4Addr {
    let span = 1u64 << (32 - u32::from(n.prefix_len())).min(16);
    Ipv4Addr::from(u32::from(n.network()).wrapping_add((r.next() % span) as u32))
}

/// An id that exists (from `ids`) or one that does not (a dangling reference).
fn id(r: &mut Rng, ids: &[String], prefix: &str) -> String {
    if ids.is_empty() || r.chance(15) {
        format!("{prefix}-dangling{}", r.below(3))
    } else {
        r.pick(ids).cloned().unwrap_or_default()
    }
}

fn ports(r: &mut Rng) -> PortSpec {
    match r.below(4) {
        0 => PortSpec::All,
        1 => PortSpec::port([22, 80, 443, 53][r.below(4)]),
        2 => PortSpec::Range { from: 1024, to: 65535 },
        _ => PortSpec::Icmp { icmp_type: if r.chance(50) { Some(8) } else { None }, code: None },
    }
}

fn proto(r: &mut Rng) -> Protocol {
    [Protocol::All, Protocol::Tcp, Protocol::Udp, Protocol::Icmp, Protocol::Number(47)][r.below(5)]
}

fn random_design(seed: u64) -> Design {
    let mut r = Rng(seed | 1);
    let mut d = Design::new("random", "ap-northeast-2");
    let regions = ["ap-northeast-2", "ap-northeast-1"];
    let nv = 1 + r.below(4);
    for v in 0..nv {
        let region = regions[r.below(2)];
        let id = d.add_vpc(&format!("vpc{v}"), region, net(&mut r));
        let dns = r.chance(70);
        if let Some(x) = d.vpcs.iter_mut().find(|x| x.id == id) {
            x.enable_dns_hostnames = dns;
            x.enable_dns_support = r.chance(90);
        }
    }
    let vpcs: Vec<String> = d.vpcs.iter().map(|v| v.id.clone()).collect();
    for s in 0..(1 + r.below(6)) {
        let vpc = id(&mut r, &vpcs, "vpc");
        let cidr = net(&mut r);
        let az = ["ap-northeast-2a", "ap-northeast-2c", "ap-northeast-1a"][r.below(3)];
        d.subnets.push(Subnet::new(format!("subnet-{s:04}"), format!("sn{s}"), vpc, cidr, az));
    }
    let subnets: Vec<String> = d.subnets.iter().map(|s| s.id.clone()).collect();
    for g in 0..r.below(3) {
        let vpc = id(&mut r, &vpcs, "vpc");
        d.internet_gateways.push(InternetGateway { id: format!("igw-x{g}"), name: format!("igw{g}"), vpc: Some(vpc) });
    }
    for e in 0..r.below(4) {
        d.elastic_ips.push(ElasticIp {
            id: format!("eipalloc-{e}"),
            name: String::new(),
            public_ip: Ipv4Addr::new(50, 1, 1, e as u8),
            placeholder: false,
        });
    }
    let eips: Vec<String> = d.elastic_ips.iter().map(|e| e.id.clone()).collect();
    for n in 0..r.below(3) {
        let subnet = id(&mut r, &subnets, "subnet");
        let cidr = d.subnet(&subnet).and_then(|s| s.cidr).unwrap_or_default();
        // One in five is regional (N9): no subnet, its subnet's VPC (or a dangling id).
        let regional = r.chance(20);
        let vpc = d.subnet(&subnet).map(|s| s.vpc.clone()).unwrap_or_else(|| "vpc-gone".into());
        d.nat_gateways.push(NatGateway {
            id: format!("nat-x{n}"),
            name: format!("nat{n}"),
            subnet: (!regional).then_some(subnet),
            availability_mode: if regional { NatAvailabilityMode::Regional } else { NatAvailabilityMode::Zonal },
            vpc: regional.then_some(vpc),
            connectivity: if r.chance(80) { NatConnectivity::Public } else { NatConnectivity::Private },
            private_ip: (!regional).then(|| ip_in(&mut r, cidr)),
            eip: if r.chance(80) { Some(id(&mut r, &eips, "eipalloc")) } else { None },
            state: [NatState::Available, NatState::Pending, NatState::Failed][r.below(3)],
            placeholder: false,
            ..Default::default()
        });
    }
    let sgs_before: Vec<String> = d.security_groups.iter().map(|g| g.id.clone()).collect();
    for g in 0..r.below(4) {
        let vpc = id(&mut r, &vpcs, "vpc");
        let mut sg = SecurityGroup::new(format!("sg-x{g}"), format!("g{g}"), vpc);
        if r.chance(30) {
            sg.egress.clear();
        }
        for _ in 0..r.below(4) {
            let peer = match r.below(3) {
                0 => SgPeer::Cidr(net(&mut r).into()),
                1 => SgPeer::group(id(&mut r, &sgs_before, "sg")),
                _ => SgPeer::PrefixList(if r.chance(50) { "pl-78a54011".into() } else { "pl-bogus".into() }),
            };
            let rule = SgRule { protocol: proto(&mut r), ports: ports(&mut r), peer, description: String::new() };
            if r.chance(60) {
                sg.ingress.push(rule);
            } else {
                sg.egress.push(rule);
            }
        }
        d.security_groups.push(sg);
    }
    let sgs: Vec<String> = d.security_groups.iter().map(|g| g.id.clone()).collect();
    for i in 0..(1 + r.below(5)) {
        let subnet = id(&mut r, &subnets, "subnet");
        let cidr = d.subnet(&subnet).and_then(|s| s.cidr).unwrap_or_default();
        let inst = format!("i-x{i}");
        d.instances.push(Instance {
            id: inst.clone(),
            name: format!("host{i}"),
            instance_type: String::new(),
            state: if r.chance(85) { InstanceState::Running } else { InstanceState::Stopped },
            role: if r.chance(20) { "firewall".into() } else { String::new() },
        });
        let mut eni = NetworkInterface::new(format!("eni-x{i}"), format!("host{i}-eth0"), subnet, ip_in(&mut r, cidr));
        if r.chance(20) {
            eni.private_ips.clear();
        }
        eni.instance = if r.chance(90) { Some(inst) } else { None };
        eni.source_dest_check = r.chance(70);
        eni.public_ip = if r.chance(30) { Some(Ipv4Addr::new(3, 35, 0, i as u8)) } else { None };
        eni.eip = if r.chance(30) { Some(id(&mut r, &eips, "eipalloc")) } else { None };
        eni.security_groups = (0..r.below(3)).map(|_| id(&mut r, &sgs, "sg")).collect();
        d.network_interfaces.push(eni);
    }
    for p in 0..r.below(3) {
        let status = [PeeringStatus::Active, PeeringStatus::PendingAcceptance, PeeringStatus::Failed][r.below(3)];
        d.peerings.push(VpcPeering {
            id: format!("pcx-x{p}"),
            name: String::new(),
            requester_vpc: id(&mut r, &vpcs, "vpc"),
            accepter_vpc: id(&mut r, &vpcs, "vpc"),
            status,
            allow_dns_resolution: false,
        });
    }
    for e in 0..r.below(3) {
        let kind = [EndpointKind::Gateway, EndpointKind::Interface, EndpointKind::GatewayLoadBalancer][r.below(3)];
        let interfaces = (0..r.below(3))
            .map(|_| {
                let s = id(&mut r, &subnets, "subnet");
                let cidr = d.subnet(&s).and_then(|x| x.cidr).unwrap_or_default();
                EndpointInterface { subnet: s, ip: ip_in(&mut r, cidr), eni: None, placeholder: false }
            })
            .collect();
        d.endpoints.push(VpcEndpoint {
            id: format!("vpce-x{e}"),
            name: format!("ep{e}"),
            vpc: id(&mut r, &vpcs, "vpc"),
            kind,
            service_name: SERVICES[r.below(SERVICES.len())].into(),
            state: [EndpointState::Available, EndpointState::PendingAcceptance, EndpointState::Rejected][r.below(3)],
            route_tables: Vec::new(),
            interfaces,
            security_groups: (0..r.below(2)).map(|_| id(&mut r, &sgs, "sg")).collect(),
            private_dns_enabled: r.chance(50),
            dns_suffix: format!("sfx{e}"),
        });
    }
    if r.chance(50) {
        let subnet = id(&mut r, &subnets, "subnet");
        let cidr = d.subnet(&subnet).and_then(|s| s.cidr).unwrap_or_default();
        d.load_balancers.push(LoadBalancer {
            id: "nlb-0001".into(),
            name: "nlb".into(),
            vpc: id(&mut r, &vpcs, "vpc"),
            kind: [LoadBalancerKind::Network, LoadBalancerKind::Application, LoadBalancerKind::Gateway][r.below(3)],
            scheme: if r.chance(50) { LoadBalancerScheme::InternetFacing } else { LoadBalancerScheme::Internal },
            nodes: vec![LoadBalancerNode {
                subnet,
                private_ip: ip_in(&mut r, cidr),
                public_ip: if r.chance(50) { Some(Ipv4Addr::new(3, 36, 0, 1)) } else { None },
                placeholder: false,
            }],
            security_groups: (0..r.below(2)).map(|_| id(&mut r, &sgs, "sg")).collect(),
            listeners: vec![Listener { port: 80, protocol: Protocol::Tcp, target_group: Some("tg-0001".into()) }],
            dns_name: "nlb-1.elb.ap-northeast-2.amazonaws.com".into(),
        });
        let insts: Vec<String> = d.instances.iter().map(|i| i.id.clone()).collect();
        d.target_groups.push(TargetGroup {
            id: "tg-0001".into(),
            name: "tg".into(),
            vpc: id(&mut r, &vpcs, "vpc"),
            protocol: Protocol::Tcp,
            port: 80,
            targets: (0..r.below(3)).map(|_| Target { id: id(&mut r, &insts, "i"), port: None }).collect(),
            appliance: Default::default(),
            target_type: None,
        });
        d.endpoint_services.push(EndpointService {
            id: "vpce-svc-0001".into(),
            name: "svc".into(),
            service_name: "com.amazonaws.vpce.ap-northeast-2.vpce-svc-0001".into(),
            region: regions[r.below(2)].into(),
            load_balancers: vec![if r.chance(80) { "nlb-0001".into() } else { "nlb-gone".into() }],
            acceptance_required: true,
            allowed_principals: vec![],
        });
    }
    if r.chance(50) {
        d.transit_gateways.push(TransitGateway {
            id: "tgw-0001".into(),
            name: "tgw".into(),
            region: "ap-northeast-2".into(),
            asn: 64512,
            default_association: true,
            default_propagation: true,
            default_route_table: None,
        });
        for a in 0..r.below(4) {
            let kind = match r.below(3) {
                0 | 1 => TgwAttachmentKind::Vpc {
                    vpc: id(&mut r, &vpcs, "vpc"),
                    subnets: (0..r.below(3)).map(|_| id(&mut r, &subnets, "subnet")).collect(),
                },
                _ => TgwAttachmentKind::Vpn { vpn: "vpn-0001".into() },
            };
            d.tgw_attachments.push(TgwAttachment {
                id: format!("tgw-attach-{a}"),
                name: String::new(),
                tgw: "tgw-0001".into(),
                kind,
                state: if r.chance(85) { AttachmentState::Available } else { AttachmentState::Pending },
                association: if r.chance(85) { Some("tgw-rtb-0001".into()) } else { None },
                ipv6_support: r.chance(50),
                appliance_mode: false,
            });
        }
        let atts: Vec<String> = d.tgw_attachments.iter().map(|a| a.id.clone()).collect();
        d.tgw_route_tables.push(TgwRouteTable {
            id: "tgw-rtb-0001".into(),
            name: String::new(),
            tgw: "tgw-0001".into(),
            propagations: atts.iter().filter(|_| r.chance(70)).cloned().collect(),
            static_routes: (0..r.below(3))
                .map(|_| TgwRoute {
                    cidr: net(&mut r).into(),
                    attachment: if r.chance(70) { Some(id(&mut r, &atts, "tgw-attach")) } else { None },
                })
                .collect(),
        });
    }
    if r.chance(50) {
        d.vpn_gateways.push(VpnGateway {
            id: "vgw-0001".into(),
            name: "vgw".into(),
            vpc: Some(id(&mut r, &vpcs, "vpc")),
            asn: 64512,
        });
        d.customer_gateways.push(CustomerGateway {
            id: "cgw-0001".into(),
            name: String::new(),
            ip: Ipv4Addr::new(203, 0, 113, 1),
            bgp_asn: 65000,
        });
        d.vpn_connections.push(VpnConnection {
            id: "vpn-0001".into(),
            name: String::new(),
            customer_gateway: "cgw-0001".into(),
            vpn_gateway: if r.chance(70) { Some("vgw-0001".into()) } else { None },
            transit_gateway: None,
            static_routes_only: false,
            routes: vec!["192.168.0.0/16".parse().unwrap_or_default()],
            state: if r.chance(80) { VpnState::Available } else { VpnState::Pending },
        });
    }
    // Random routes in random tables, to existing and dangling targets.
    let targets: Vec<RouteTarget> = {
        let mut t = vec![
            RouteTarget::Local,
            RouteTarget::EgressOnlyInternetGateway("eigw-1".into()),
            RouteTarget::Unknown("x-1".into()),
        ];
        t.extend(d.internet_gateways.iter().map(|g| RouteTarget::InternetGateway(g.id.clone())));
        t.extend(d.nat_gateways.iter().map(|g| RouteTarget::NatGateway(g.id.clone())));
        t.extend(d.instances.iter().map(|g| RouteTarget::Instance(g.id.clone())));
        t.extend(d.network_interfaces.iter().map(|g| RouteTarget::NetworkInterface(g.id.clone())));
        t.extend(d.peerings.iter().map(|g| RouteTarget::VpcPeering(g.id.clone())));
        t.extend(d.endpoints.iter().map(|g| RouteTarget::GatewayEndpoint(g.id.clone())));
        t.push(RouteTarget::TransitGateway("tgw-0001".into()));
        t.push(RouteTarget::VpnGateway("vgw-0001".into()));
        t.push(RouteTarget::NatGateway("nat-gone".into()));
        t
    };
    let rts: Vec<String> = d.route_tables.iter().map(|t| t.id.clone()).collect();
    for _ in 0..r.below(10) {
        let Some(rt) = r.pick(&rts).cloned() else { break };
        let target = r.pick(&targets).cloned().unwrap_or(RouteTarget::Local);
        let mut route = if r.chance(15) {
            Route::gateway_endpoint(if r.chance(50) { "pl-78a54011" } else { "pl-gone" }, "vpce-x0")
        } else {
            Route::to_cidr(net(&mut r), target)
        };
        if r.chance(10) {
            route.state = RouteState::Blackhole;
        }
        if r.chance(10) {
            route.origin = RouteOrigin::Propagated;
        }
        if let Some(t) = d.route_tables.iter_mut().find(|t| t.id == rt) {
            t.routes.push(route);
            if r.chance(30) {
                t.subnets.push(id(&mut r, &subnets, "subnet"));
            }
            if r.chance(20) {
                t.propagating_vgws.push("vgw-0001".into());
            }
            if r.chance(10) {
                t.gateways.push(d.internet_gateways.first().map(|g| g.id.clone()).unwrap_or_default());
            }
        }
    }
    // Custom NACLs with random entries on random subnets.
    for a in 0..r.below(3) {
        let vpc = id(&mut r, &vpcs, "vpc");
        let mut acl = NetworkAcl::new_custom(format!("acl-x{a}"), "custom", vpc);
        acl.subnets = (0..r.below(3)).map(|_| id(&mut r, &subnets, "subnet")).collect();
        for n in 0..r.below(5) {
            acl.entries.push(NaclEntry {
                rule_number: (n as u16 + 1) * 100,
                egress: r.chance(50),
                action: if r.chance(70) { RuleAction::Allow } else { RuleAction::Deny },
                protocol: proto(&mut r),
                ports: ports(&mut r),
                cidr: net(&mut r).into(),
            });
        }
        d.network_acls.push(acl);
    }
    // Sometimes remove a random resource outright, leaving references dangling.
    if r.chance(30) && !d.subnets.is_empty() {
        let i = r.below(d.subnets.len());
        d.subnets.remove(i);
    }
    if r.chance(20) && d.route_tables.len() > 1 {
        let i = r.below(d.route_tables.len());
        d.route_tables.remove(i);
    }
    d
}

/// Things a user could type as an endpoint of a flow in this design.
fn endpoint_texts(d: &Design) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "internet".into(),
        "60.1.1.1".into(),
        "169.254.169.254".into(),
        "192.168.1.10".into(),
        "s3.ap-northeast-2.amazonaws.com".into(),
        "cloudformation.ap-northeast-2.amazonaws.com".into(),
        "nlb-1.elb.ap-northeast-2.amazonaws.com".into(),
        "i-nonexistent".into(),
        "10.0.0.".into(),
    ];
    v.extend(d.instances.iter().flat_map(|i| [i.id.clone(), i.name.clone()]));
    v.extend(
        d.network_interfaces.iter().flat_map(|e| e.private_ips.iter().map(|ip| ip.to_string()).chain([e.id.clone()])),
    );
    v.extend(
        d.nat_gateways.iter().flat_map(|n| [n.id.clone(), n.private_ip.map(|a| a.to_string()).unwrap_or_default()]),
    );
    v.extend(d.elastic_ips.iter().map(|e| e.public_ip.to_string()));
    v.extend(d.endpoints.iter().flat_map(|e| {
        [
            e.id.clone(),
            format!("{}-{}.svc.ap-northeast-2.vpce.amazonaws.com", e.id, e.dns_suffix),
            format!("{}-{}-ap-northeast-2a.x.ap-northeast-2.vpce.amazonaws.com", e.id, e.dns_suffix),
        ]
    }));
    v.extend(d.load_balancers.iter().map(|l| l.id.clone()));
    v.extend(d.vpcs.iter().map(|x| x.dns_server().to_string()));
    v
}

/// The promises of the JSON interface.
fn check_shape(r: &TraceResult) -> Result<(), TestCaseError> {
    let steps: Vec<u32> = r.hops().map(|h| h.step).collect();
    let expected: Vec<u32> = (1..=steps.len() as u32).collect();
    prop_assert_eq!(steps, expected, "steps are numbered from 1 without gaps");
    if r.delivered() {
        prop_assert!(r.code.is_none() && r.reason.is_none() && r.blockers.is_empty());
        prop_assert!(r.hops().all(|h| h.action != "drop"));
    } else {
        prop_assert!(r.code.is_some() && r.reason.is_some());
        if !r.forward.is_empty() && r.disposition != vpcraft::sim::Disposition::InsufficientInfo {
            prop_assert!(r.stop_hop().is_some_and(|h| h.action == "drop"), "a drop ends on a drop hop");
            prop_assert!(!r.blockers.is_empty(), "a drop has blockers");
        }
    }
    if r.return_path.iter().any(|_| true) {
        prop_assert!(r.forward.last().is_some_and(|h| h.action != "drop"), "no reply after a dropped request");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_flows_never_panic_and_are_deterministic(seed in any::<u64>(), picks in proptest::collection::vec((any::<u16>(), any::<u16>(), 0u8..5, any::<u16>()), 1..12)) {
        let d = random_design(seed);
        let texts = endpoint_texts(&d);
        let ix = TraceIndex::new(&d);
        for (a, b, p, port) in picks {
            let from = &texts[a as usize % texts.len()];
            let to = &texts[b as usize % texts.len()];
            let proto = ["tcp", "udp", "icmp", "47", "all"][p as usize];
            let src_port = if port % 3 == 0 { Some(port) } else { None };
            let Ok(req) = TraceRequest::parse(&d, from, to, proto, Some(port % 1024), src_port) else { continue };
            let first = ix.trace(&req);
            check_shape(&first)?;
            let again = TraceIndex::new(&d).trace(&req);
            prop_assert_eq!(first.to_json(), again.to_json(), "same input, same JSON");
            let _ = vpcraft::sim::render_text(&first);
        }
    }
}
