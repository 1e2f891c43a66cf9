//! The numbered flows of the seed posts, traced: a reader of the blog should recognise them.
//! 003: the internet gateway flow 1–5 and the NAT instance flow 1–4. 001: the private subnet
//! without an endpoint (①–④), with a gateway endpoint (①–③), the interface endpoint with
//! private DNS on and off and its regional and zonal names, the endpoint service pending then
//! accepted. 000: the peering with routes on one side, then both.

use crate::trace_common::*;
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;
use vpcraft::sim::{render_text, Hop, TraceResult};

/// The step of the first hop matching kind and action.
fn step_of(hops: &[Hop], kind: &str, action: &str) -> u32 {
    hop(hops, kind, action).step
}

fn in_order(steps: &[u32]) {
    assert!(steps.windows(2).all(|w| w[0] < w[1]), "steps out of order: {steps:?}");
}

#[test]
fn igw_flow_1_to_5_source_rewritten_to_50_1_1_1_and_back() {
    let mut b = DesignBuilder::new("003-igw", REGION);
    let vpc = b.vpc("vpc", "10.0.0.0/16");
    let sn = b.subnet(&vpc, "public", "10.0.0.0/24", "a");
    let igw = b.igw(&vpc, "igw");
    let rt = b.route_table(&vpc, "public-rt");
    b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    b.associate(&rt, &sn);
    let sg = b.security_group(&vpc, "web");
    let i = b.instance(&sn, "instance", "10.0.0.10", &[&sg]);
    b.associate_eip(&i, "50.1.1.1");
    let r = tcp(&b.design, &i, "60.1.1.1", 80);
    assert_delivered(&r, "EXITS_NETWORK");
    // 1. the instance sends from 10.0.0.10; 2. the IGW rewrites the source to 50.1.1.1;
    // 3. the web server answers; 4. the IGW rewrites the destination back; 5. delivered.
    let one = hop(&r.forward, "instance", "send");
    assert_eq!(one.before.src, ip("10.0.0.10"));
    let two = hop(&r.forward, "internet-gateway", "nat");
    assert_eq!((two.before.src, two.after.src), (ip("10.0.0.10"), ip("50.1.1.1")));
    let three = hop(&r.return_path, "internet", "reply");
    assert_eq!((three.before.src, three.before.dst), (ip("60.1.1.1"), ip("50.1.1.1")));
    let four = hop(&r.return_path, "internet-gateway", "nat");
    assert_eq!((four.before.dst, four.after.dst), (ip("50.1.1.1"), ip("10.0.0.10")));
    let five = r.return_path.last().unwrap();
    assert_eq!((five.action.as_str(), five.component.id.as_str()), ("deliver", i.as_str()));
    in_order(&[one.step, two.step, three.step, four.step, five.step]);
    let text = render_text(&r);
    assert!(text.contains("10.0.0.10:49152 → 60.1.1.1:80 tcp  ⇒  50.1.1.1:49152 → 60.1.1.1:80 tcp"), "{text}");
    assert!(text.contains("60.1.1.1:80 → 50.1.1.1:49152 tcp  ⇒  60.1.1.1:80 → 10.0.0.10:49152 tcp"), "{text}");
}

#[test]
fn nat_instance_flow_1_to_4_masquerade_then_igw_maps_eip() {
    // N8's Korean lab: 10.40.2.101 → masquerade to 10.40.1.100 → IGW → EIP.
    let mut b = DesignBuilder::new("003-nat-instance", REGION);
    let vpc = b.vpc("vpc", "10.40.0.0/16");
    let public = b.subnet(&vpc, "public", "10.40.1.0/24", "a");
    let private = b.subnet(&vpc, "private", "10.40.2.0/24", "a");
    let igw = b.igw(&vpc, "igw");
    let rt_pub = b.route_table(&vpc, "rt-public");
    b.route(&rt_pub, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    b.associate(&rt_pub, &public);
    let nat_sg = b.security_group(&vpc, "nat-sg");
    b.allow_in(&nat_sg, SgRule::allow_all_to(SgPeer::Cidr(net("10.40.2.0/24").into())));
    let nat = b.instance(&public, "nat-instance", "10.40.1.100", &[&nat_sg]);
    b.associate_eip(&nat, "52.78.0.100");
    let app_sg = b.security_group(&vpc, "app-sg");
    let app = b.instance(&private, "app", "10.40.2.101", &[&app_sg]);
    let rt_priv = b.route_table(&vpc, "rt-private");
    b.route(&rt_priv, "0.0.0.0/0", RouteTarget::Instance(nat.clone()));
    b.associate(&rt_priv, &private);
    eni_of(&mut b.design, &nat).source_dest_check = false;
    let r = tcp(&b.design, &app, "60.1.1.1", 80);
    assert_delivered(&r, "EXITS_NETWORK");
    // 1. to the NAT instance in the public subnet; 2. masquerade; 3. to the IGW; 4. 1:1 NAT to the EIP.
    let route = hop(&r.forward, "route-table", "route");
    assert!(route.matched.as_deref().unwrap().ends_with(&format!("→ {nat}")));
    let masq = hop(&r.forward, "instance", "nat");
    assert_eq!((masq.before.src, masq.after.src), (ip("10.40.2.101"), ip("10.40.1.100")));
    let igw_hop = hop(&r.forward, "internet-gateway", "nat");
    assert_eq!((igw_hop.before.src, igw_hop.after.src), (ip("10.40.1.100"), ip("52.78.0.100")));
    in_order(&[route.step, masq.step, igw_hop.step]);
    let back = hop(&r.return_path, "instance", "nat");
    assert_eq!(back.after.dst, ip("10.40.2.101"));
}

const S3: &str = "s3.ap-northeast-2.amazonaws.com";

fn endpoint_lab() -> Design {
    vpcraft::assets::example("endpoint-lab").expect("built-in example")
}

#[test]
fn private_ec2_to_s3_without_endpoint_flow_1_to_4() {
    let d = endpoint_lab();
    // ①②③ the public instance reaches S3 through the IGW (the post pings it).
    let r = icmp(&d, "jhPublicEC2", S3);
    assert_delivered(&r, "EXITS_NETWORK");
    let igw = hop(&r.forward, "internet-gateway", "nat");
    assert_eq!(igw.after.src, ip("3.35.10.10"));
    assert_eq!(r.forward.last().unwrap().component.kind, "aws-service");
    // ④ the private instance's table has no route for S3.
    let r = icmp(&d, "jhPrivateEC2", S3);
    let stop = assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    assert_eq!(stop.component.name, "jhPrivateRT");
}

#[test]
fn gateway_endpoint_flow_1_to_3_both_instances_reach_s3_privately() {
    let mut d = endpoint_lab();
    let tables = vec!["rtb-0002".to_string(), "rtb-0003".to_string()];
    d.add_gateway_endpoint("vpc-0001", "com.amazonaws.ap-northeast-2.s3", &tables, ServiceCatalog::builtin()).unwrap();
    for who in ["jhPublicEC2", "jhPrivateEC2"] {
        let r = icmp(&d, who, S3);
        assert_delivered(&r, "EXITS_NETWORK");
        // ① to the router; ② the prefix-list route wins; ③ the endpoint carries it to S3.
        let route = hop(&r.forward, "route-table", "route");
        assert!(route.matched.as_deref().unwrap().starts_with("pl-78a54011"), "{who}: {:?}", route.matched);
        let vpce = hop(&r.forward, "vpc-endpoint", "forward");
        in_order(&[step_of(&r.forward, "instance", "send"), route.step, vpce.step]);
        assert!(r.forward.iter().all(|h| h.component.kind != "internet-gateway"), "{who} no longer uses the IGW");
    }
}

/// The post's interface endpoint for CloudFormation, one interface per subnet (2a and 2c),
/// with DNS hostnames turned on as the post does.
fn cfn_endpoint(private_dns: bool) -> (Design, String) {
    let mut b = DesignBuilder { design: endpoint_lab() };
    b.design.vpcs[0].enable_dns_hostnames = true;
    let esg = b.security_group("vpc-0001", "cfn-endpoint-sg");
    b.allow_in_tcp(&esg, 443, "10.10.0.0/16");
    let e = b.interface_endpoint(
        "vpc-0001",
        "com.amazonaws.ap-northeast-2.cloudformation",
        &[("subnet-0001", "10.10.0.50"), ("subnet-0002", "10.10.1.50")],
        &[&esg],
        private_dns,
    );
    (b.design, e)
}

const CFN: &str = "cloudformation.ap-northeast-2.amazonaws.com";

fn resolved(r: &TraceResult) -> std::net::IpAddr {
    hop(&r.forward, "dns", "resolve").after.dst
}

#[test]
fn interface_endpoint_private_dns_on_names_resolve_to_endpoint_interfaces() {
    let (d, e) = cfn_endpoint(true);
    let ep = d.endpoint(&e).unwrap().clone();
    // The default name resolves to the endpoint, each client getting its own zone's interface.
    let r = tcp(&d, "jhPublicEC2", CFN, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    assert_eq!(resolved(&r), ip("10.10.0.50"));
    let r = tcp(&d, "jhPrivateEC2", CFN, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    assert_eq!(resolved(&r), ip("10.10.1.50"));
    // The zonal names pin the zone: 2a → 10.10.0.x, 2c → 10.10.1.x (reached across subnets).
    let r = tcp(&d, "jhPrivateEC2", &ep.zonal_dns_name(REGION, "ap-northeast-2a"), 443);
    assert_delivered(&r, "EXITS_NETWORK");
    assert_eq!(resolved(&r), ip("10.10.0.50"));
    hop(&r.forward, "route-table", "route");
    let r = tcp(&d, "jhPublicEC2", &ep.zonal_dns_name(REGION, "ap-northeast-2c"), 443);
    assert_eq!(resolved(&r), ip("10.10.1.50"));
    assert_delivered(&r, "EXITS_NETWORK");
}

#[test]
fn interface_endpoint_private_dns_off_default_name_goes_public() {
    let (d, e) = cfn_endpoint(false);
    let ep = d.endpoint(&e).unwrap().clone();
    // The default name now resolves to a public address: fine from the public subnet (IGW) …
    let r = tcp(&d, "jhPublicEC2", CFN, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    assert!(!matches!(resolved(&r), std::net::IpAddr::V4(a) if a.is_private()));
    hop(&r.forward, "internet-gateway", "nat");
    // … no route from the private one …
    let r = tcp(&d, "jhPrivateEC2", CFN, 443);
    assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    // … while the endpoint's own names still reach it (E5).
    let r = tcp(&d, "jhPrivateEC2", &ep.regional_dns_name(REGION), 443);
    assert_delivered(&r, "EXITS_NETWORK");
    assert_eq!(resolved(&r), ip("10.10.1.50"));
}

fn privatelink_lab(state: EndpointState) -> (Design, String) {
    let mut d = vpcraft::assets::example("privatelink-lab").expect("built-in example");
    d.endpoints[0].state = state;
    let name = d.endpoints[0].regional_dns_name(REGION);
    (d, name)
}

#[test]
fn endpoint_service_pending_then_accepted_flow_1_to_3() {
    // Before: the NLB's public name, over the internet (both VPCs' IGWs).
    let (d, name) = privatelink_lab(EndpointState::Available);
    let r = tcp(&d, "jhEC2", "jhCustomNLB-0123456789.elb.ap-northeast-2.amazonaws.com", 80);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(r.forward.iter().filter(|h| h.component.kind == "internet-gateway").count(), 2);
    // pendingAcceptance: nothing passes (E8).
    let (pending, _) = privatelink_lab(EndpointState::PendingAcceptance);
    let r = tcp(&pending, "jhEC2", &name, 80);
    assert_dropped_forward(&r, "BAD_STATE", "vpc-endpoint", "E8");
    // Accepted: ① to the endpoint; ② PrivateLink to the NLB; ③ the NLB to a web server.
    let r = tcp(&d, "jhEC2", &name, 80);
    assert_delivered(&r, "ACCEPTED");
    let one = step_of(&r.forward, "vpc-endpoint", "arrive");
    let two = step_of(&r.forward, "endpoint-service", "forward");
    let three = hop(&r.forward, "load-balancer", "nat");
    in_order(&[one, two, three.step]);
    assert_eq!(three.after.src, ip("20.20.0.100"), "E9: the web server sees the NLB");
    assert!(r.forward.iter().all(|h| h.component.kind != "internet-gateway"), "PrivateLink stays off the internet");
    assert_eq!(r.forward.last().unwrap().component.name, "jhCustomWeb1EC2");
}

/// Seed 000: Seoul 10.39.0.0/16 ↔ Tokyo default VPC 172.31.0.0/16.
fn seoul_tokyo(both_sides: bool, status: PeeringStatus) -> (Design, String, String) {
    let mut b = DesignBuilder::new("000-peering", REGION);
    let seoul = b.vpc("seoul", "10.39.0.0/16");
    let pub2a = b.subnet(&seoul, "my-pub-2a", "10.39.0.0/20", "a");
    let tokyo = b.vpc_in("tokyo-default", "172.31.0.0/16", "ap-northeast-1");
    let t1a = b.subnet(&tokyo, "default-1a", "172.31.0.0/20", "a");
    let ssg = b.security_group(&seoul, "seoul-sg");
    b.allow_in(&ssg, SgRule::allow_all_to(SgPeer::Cidr(net("172.31.0.0/16").into())));
    let tsg = b.security_group(&tokyo, "tokyo-sg");
    b.allow_in(&tsg, SgRule::allow_all_to(SgPeer::Cidr(net("10.39.0.0/16").into())));
    let s = b.instance(&pub2a, "seoul-ec2", "10.39.0.10", &[&ssg]);
    let t = b.instance(&t1a, "tokyo-ec2", "172.31.0.10", &[&tsg]);
    let pcx = b.peering("seoul-tokyo", &seoul, &tokyo, status);
    let (srt, trt) = (b.main_route_table(&seoul), b.main_route_table(&tokyo));
    b.route(&srt, "172.31.0.0/16", RouteTarget::VpcPeering(pcx.clone()));
    if both_sides {
        b.route(&trt, "10.39.0.0/16", RouteTarget::VpcPeering(pcx));
    }
    (b.design, s, t)
}

#[test]
fn peering_with_routes_on_one_side_then_both() {
    let (d, s, t) = seoul_tokyo(false, PeeringStatus::Active);
    let r = icmp(&d, &s, &t);
    assert_dropped_reply(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    let (d, s, t) = seoul_tokyo(true, PeeringStatus::PendingAcceptance);
    let r = icmp(&d, &s, &t);
    assert_dropped_forward(&r, "BAD_STATE_ROUTE", "vpc-peering", "P1");
    let (d, s, t) = seoul_tokyo(true, PeeringStatus::Active);
    let r = icmp(&d, &s, &t);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(r.forward.iter().filter(|h| h.component.kind == "vpc-peering").count(), 1);
    assert_eq!(r.return_path.iter().filter(|h| h.component.kind == "vpc-peering").count(), 1);
}
