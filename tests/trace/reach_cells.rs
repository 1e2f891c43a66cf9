//! Matrices a person can check by eye, by their cells: the seed 001 endpoint lab before and
//! after its gateway endpoint, the internet against private subnets, and what `diff` says
//! about two classic changes (an internet route on a private table, a NAT gateway removed).

use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;
use vpcraft::sim::audit::{audit, AuditSeverity};
use vpcraft::sim::diff::diff;
use vpcraft::sim::reach::{compute, default_destinations, parse_selector, Family, Matrix, Party, ReachOptions};

fn seed_001() -> Option<Design> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/cfn/seed-001-endpoint-lab.yaml");
    if !path.is_file() {
        crate::common::skip_unless_ci("../shared/data/cfn/seed-001-endpoint-lab.yaml is missing");
        return None;
    }
    let params = vec![("KeyName".to_string(), "lab-key".to_string())];
    Some(vpcraft::io::load_any_with(&path, Some("ap-northeast-2"), &params).expect("the template imports"))
}

const S3: &str = "s3.ap-northeast-2.amazonaws.com";

fn matrix(d: &Design, from: &str, to: &[&str], port: u16) -> Matrix {
    let sources = parse_selector(d, from).expect("source");
    let destinations = to.iter().flat_map(|t| parse_selector(d, t).expect("destination")).collect();
    compute(
        d,
        &ReachOptions { sources, destinations, protocol: Protocol::Tcp, ports: vec![Some(port)], family: Family::Ipv4 },
    )
    .expect("matrix")
}

#[test]
fn seed_001_private_subnet_reaches_s3_only_after_the_gateway_endpoint() {
    for mut d in seed_001().into_iter().chain(vpcraft::assets::example("endpoint-lab")) {
        let m = matrix(&d, "jhPrivateSN", &[S3], 443);
        let c = m.cell(0, 0, 0);
        assert!(!c.delivered(), "{}: {c:?}", d.name);
        assert_eq!(c.code.map(|x| x.as_str()), Some("NO_ROUTE_TO_DESTINATION"));
        assert_eq!(c.at.as_ref().map(|a| a.name.as_str()), Some("jhPrivateRT"));

        let vpc = d.vpcs[0].id.clone();
        let rt = d.route_tables.iter().find(|t| t.name == "jhPrivateRT").map(|t| t.id.clone()).expect("private table");
        d.add_gateway_endpoint(&vpc, "com.amazonaws.ap-northeast-2.s3", &[rt], ServiceCatalog::builtin())
            .expect("endpoint added");
        let m = matrix(&d, "jhPrivateSN", &[S3], 443);
        assert!(m.cell(0, 0, 0).delivered(), "{}: {:?}", d.name, m.cell(0, 0, 0));
    }
}

#[test]
fn the_internet_reaches_no_private_subnet_of_the_templates_and_examples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/cfn");
    let mut designs: Vec<Design> =
        vpcraft::assets::example_names().into_iter().filter_map(vpcraft::assets::example).collect();
    designs.extend(seed_001());
    if dir.join("widdix-vpc-2azs.yaml").is_file() {
        designs.push(
            vpcraft::io::load_any_with(&dir.join("widdix-vpc-2azs.yaml"), Some("us-east-1"), &[]).expect("imports"),
        );
    }
    for d in designs {
        let private: Vec<Party> = match parse_selector(&d, "tier=private") {
            Ok(p) => p,
            Err(_) => continue,
        };
        let o = ReachOptions {
            sources: vec![Party::Internet],
            destinations: private,
            protocol: Protocol::Tcp,
            ports: vec![Some(22), Some(443)],
            family: Family::Ipv4,
        };
        let m = compute(&d, &o).expect("matrix");
        for p in 0..2 {
            for c in 0..o.destinations.len() {
                assert!(!m.delivered(p, 0, c), "{}: internet → {} is delivered", d.name, m.destination_ids[c]);
            }
        }
    }
}

#[test]
fn default_destinations_are_subnets_internet_and_the_designs_services() {
    let d = seed_001().unwrap_or_else(|| vpcraft::assets::example("endpoint-lab").expect("example"));
    let cols = default_destinations(&d);
    assert_eq!(cols.iter().filter(|p| matches!(p, Party::Subnet(_))).count(), d.subnets.len());
    assert!(cols.contains(&Party::Internet));
}

/// A VPC with a public subnet (IGW route, NAT gateway) and a private one; the private subnet
/// auto-assigns public addresses and holds an instance with one, SSH open to the world.
fn two_tier() -> (Design, Id, Id, Id, Id) {
    let mut b = DesignBuilder::new("two-tier", "ap-northeast-2");
    let vpc = b.vpc("main", "10.0.0.0/16");
    let public = b.subnet(&vpc, "public", "10.0.0.0/24", "a");
    let private = b.subnet(&vpc, "private", "10.0.1.0/24", "a");
    let igw = b.igw(&vpc, "igw");
    let rt_pub = b.route_table(&vpc, "public-rt");
    b.route(&rt_pub, "0.0.0.0/0", RouteTarget::InternetGateway(igw.clone()));
    b.associate(&rt_pub, &public);
    let rt_priv = b.route_table(&vpc, "private-rt");
    b.associate(&rt_priv, &private);
    let nat = b.nat_gateway(&public, "nat", "10.0.0.9", "3.34.0.9");
    b.route(&rt_priv, "0.0.0.0/0", RouteTarget::NatGateway(nat.clone()));
    for s in &mut b.design.subnets {
        s.map_public_ip_on_launch = true;
    }
    let sg = b.security_group(&vpc, "ssh");
    b.allow_in_tcp(&sg, 22, "0.0.0.0/0");
    let app = b.instance(&private, "app", "10.0.1.10", &[&sg]);
    b.public_ip(&app, "3.34.0.20");
    (b.build(), igw, rt_priv, nat, private)
}

fn defaults(port: u16) -> impl Fn(&Design, Family) -> Result<ReachOptions, String> {
    move |d: &Design, f| Ok(ReachOptions { ports: vec![Some(port)], ..ReachOptions::defaults_for(d, f) })
}

#[test]
fn an_internet_route_on_a_private_table_opens_flows_and_exposes_the_public_instance() {
    let (old, igw, rt_priv, _, private) = two_tier();
    // The private table first has no way out at all.
    let mut old = old;
    if let Some(t) = old.route_tables.iter_mut().find(|t| t.id == rt_priv) {
        t.routes.retain(|r| !matches!(r.target, RouteTarget::NatGateway(_)));
    }
    let mut new = old.clone();
    if let Some(t) = new.route_tables.iter_mut().find(|t| t.id == rt_priv) {
        t.routes.push(Route::to_cidr(
            "0.0.0.0/0".parse::<ipnet::Ipv4Net>().expect("cidr"),
            RouteTarget::InternetGateway(igw),
        ));
    }
    let d = diff(&old, &new, defaults(22)).expect("diff");
    assert!(d.resources.iter().any(|r| r.id == rt_priv && r.change == "changed"), "{:?}", d.resources);
    assert!(
        d.opened.iter().any(|f| f.source == private && f.destination == "internet"),
        "private → internet opens: {:?}",
        d.opened
    );
    assert!(d.closed.is_empty(), "{:?}", d.closed);
    let new_exposure: Vec<_> = d.exposures.iter().filter(|e| e.change == "new").collect();
    assert!(new_exposure.iter().any(|e| e.code == "EXPOSED_ADMIN_PORT"), "{:?}", d.exposures);
}

#[test]
fn removing_the_nat_gateway_closes_the_private_subnets_internet_flows() {
    let (old, _, _, nat, private) = two_tier();
    let mut new = old.clone();
    new.nat_gateways.retain(|n| n.id != nat);
    let d = diff(&old, &new, defaults(443)).expect("diff");
    assert!(d.resources.iter().any(|r| r.id == nat && r.change == "removed"));
    let closed: Vec<_> = d.closed.iter().filter(|f| f.source == private && f.destination == "internet").collect();
    assert_eq!(closed.len(), 1, "{:?}", d.closed);
    assert_eq!(closed[0].after.as_ref().and_then(|c| c.code).map(|x| x.as_str()), Some("BAD_STATE_ROUTE"));
    assert!(d.opened.is_empty(), "{:?}", d.opened);
}

#[test]
fn audit_reports_traced_exposure_and_dead_configuration() {
    let (mut d, _, rt_priv, _, _) = two_tier();
    // A database port open too, a route no address takes, a shadowed NACL entry, an unused
    // group.
    let sg = d.security_groups.iter().find(|g| g.name == "ssh").map(|g| g.id.clone()).expect("group");
    if let Some(g) = d.security_groups.iter_mut().find(|g| g.id == sg) {
        g.ingress.push(SgRule::tcp(5432, SgPeer::Cidr("0.0.0.0/0".parse().expect("cidr"))));
    }
    // The same group on an instance in the public subnet, with a public address.
    let public = d.subnets.iter().find(|s| s.name == "public").map(|s| s.id.clone()).expect("public subnet");
    let mut nic = NetworkInterface::new("eni-web", "web-eth0", public, "10.0.0.20".parse().expect("ip"));
    nic.security_groups = vec![sg.clone()];
    nic.public_ip = Some("3.34.0.30".parse().expect("ip"));
    d.network_interfaces.push(nic);
    if let Some(t) = d.route_tables.iter_mut().find(|t| t.id == rt_priv) {
        let nat = t.routes.iter().find(|r| matches!(r.target, RouteTarget::NatGateway(_))).map(|r| r.target.clone());
        if let Some(nat) = nat {
            t.routes.push(Route::to_cidr("0.0.0.0/1".parse::<ipnet::Ipv4Net>().expect("cidr"), nat.clone()));
            t.routes.push(Route::to_cidr("128.0.0.0/1".parse::<ipnet::Ipv4Net>().expect("cidr"), nat));
        }
    }
    let vpc = d.vpcs[0].id.clone();
    let mut acl = NetworkAcl::new_custom("acl-x", "x", vpc.clone());
    let entry = |n, cidr: &str| NaclEntry {
        rule_number: n,
        egress: false,
        action: RuleAction::Allow,
        protocol: Protocol::Tcp,
        ports: PortSpec::Range { from: 22, to: 22 },
        cidr: cidr.parse().expect("cidr"),
    };
    acl.entries = vec![entry(100, "0.0.0.0/0"), entry(200, "10.0.0.0/8")];
    d.network_acls.push(acl);
    d.security_groups.push(SecurityGroup::new("sg-unused", "unused", vpc));
    let f = audit(&d);
    let has = |code: &str| f.iter().any(|x| x.code == code);
    for code in ["EXPOSED_ADMIN_PORT", "EXPOSED_DATABASE_PORT", "ROUTE_NEVER_USED", "NACL_ENTRY_SHADOWED", "SG_UNUSED"]
    {
        assert!(has(code), "{code} missing from {:#?}", f.iter().map(|x| (x.code, &x.message)).collect::<Vec<_>>());
    }
    let ssh = f.iter().find(|x| x.code == "EXPOSED_ADMIN_PORT").expect("ssh");
    assert_eq!(ssh.severity, AuditSeverity::High);
    assert!(ssh.message.contains("3.34.0.30") && ssh.message.contains("tcp 22"), "{}", ssh.message);
    // The instance in the private subnet has a public address but answers through the NAT
    // gateway, so the internet does not reach it.
    assert!(!f.iter().any(|x| x.code.starts_with("EXPOSED") && x.message.contains("3.34.0.20")));
    // The NAT gateway takes no connections (N5): never reported as exposed.
    assert!(!f.iter().any(|x| x.code.starts_with("EXPOSED") && x.message.contains("3.34.0.9")));
}

/// An internet-facing ALB whose listener invokes a Lambda function (M10), and an
/// internet-facing NLB whose alb target group forwards to an internal ALB in front of an
/// instance (M11): the whole-network answers use the trace engine, so the audit finds both
/// load balancers open on tcp/80 (the function behind one, the instance behind the other),
/// while the matrix still says the internet reaches neither private subnet address directly.
fn lambda_and_alb_targets() -> (Design, Id, Id, Id) {
    let mut b = DesignBuilder::new("targets", "ap-northeast-2");
    let vpc = b.vpc("main", "10.0.0.0/16");
    let public_a = b.subnet(&vpc, "public-a", "10.0.0.0/24", "a");
    let public_c = b.subnet(&vpc, "public-c", "10.0.2.0/24", "c");
    let private = b.subnet(&vpc, "private", "10.0.1.0/24", "a");
    let igw = b.igw(&vpc, "igw");
    let rt = b.route_table(&vpc, "public-rt");
    b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    b.associate(&rt, &public_a);
    b.associate(&rt, &public_c);
    let alb_sg = b.security_group(&vpc, "alb");
    b.allow_in_tcp(&alb_sg, 80, "0.0.0.0/0");
    let fn_sg = b.security_group(&vpc, "fn");
    let web_sg = b.security_group(&vpc, "web");
    b.allow_in_tcp(&web_sg, 8080, "10.0.0.0/16");
    let api = b.compute(ComputeKind::LambdaFunction, "api", &[(&private, "10.0.1.40")], &[&fn_sg]);
    let fn_tg = b.target_group(&vpc, "api-tg", Protocol::Tcp, 80, &[&api]);
    let public = LoadBalancerScheme::InternetFacing;
    let nodes = |a: &str, c: &str, pa: &'static str, pc: &'static str| {
        vec![(public_a.clone(), a.to_string(), Some(pa)), (public_c.clone(), c.to_string(), Some(pc))]
    };
    let lambda_nodes = nodes("10.0.0.30", "10.0.2.30", "3.34.0.30", "3.34.0.31");
    let n: Vec<(&str, &str, Option<&str>)> =
        lambda_nodes.iter().map(|(s, a, p)| (s.as_str(), a.as_str(), *p)).collect();
    let front = b.load_balancer(LoadBalancerKind::Application, public, "front", &n, &[&alb_sg], &[(80, &fn_tg)]);
    let web = b.instance(&private, "web", "10.0.1.20", &[&web_sg]);
    let web_tg = b.target_group(&vpc, "web-tg", Protocol::Tcp, 8080, &[&web]);
    let inner = [(public_a.as_str(), "10.0.0.31", None), (public_c.as_str(), "10.0.2.31", None)];
    let back = b.load_balancer(
        LoadBalancerKind::Application,
        LoadBalancerScheme::Internal,
        "back",
        &inner,
        &[&alb_sg],
        &[(80, &web_tg)],
    );
    let to_alb = b.target_group(&vpc, "to-back", Protocol::Tcp, 80, &[&back]);
    let edge_nodes = nodes("10.0.0.40", "10.0.2.40", "3.34.0.40", "3.34.0.41");
    let n: Vec<(&str, &str, Option<&str>)> = edge_nodes.iter().map(|(s, a, p)| (s.as_str(), a.as_str(), *p)).collect();
    let edge = b.load_balancer(LoadBalancerKind::Network, public, "edge", &n, &[], &[(80, &to_alb)]);
    let mut d = b.build();
    for t in &mut d.target_groups {
        if t.id == fn_tg {
            t.target_type = Some(TargetType::Lambda);
        } else if t.id == to_alb {
            t.target_type = Some(TargetType::Alb);
        }
    }
    (d, front, edge, alb_sg)
}

#[test]
fn lambda_and_alb_target_groups_in_the_audit_and_the_matrix() {
    let (mut d, front, edge, alb_sg) = lambda_and_alb_targets();
    let exposed = |d: &Design, lb: &str| {
        audit(d)
            .into_iter()
            .any(|f| f.code == "EXPOSED_TO_INTERNET" && f.resources.first().map(String::as_str) == Some(lb))
    };
    assert!(exposed(&d, &front), "the ALB invokes its function for the internet (M10)");
    assert!(exposed(&d, &edge), "the NLB reaches the instance through the ALB (M11)");
    // The matrix: the internet reaches no private address directly, and its cells agree with
    // the traces.
    let m = matrix(&d, "internet", &["private", "public-a"], 80);
    for col in 0..2 {
        let c = m.cell(0, 0, col);
        assert!(!c.delivered(), "internet → column {col}: {c:?}");
    }
    // M11: client IP preservation — the ALB's group admitting only the VPC closes the NLB's
    // path for internet clients: the ALB sees their addresses, not the NLB's.
    if let Some(g) = d.security_groups.iter_mut().find(|g| g.id == alb_sg) {
        g.ingress = vec![SgRule::tcp(80, SgPeer::Cidr("10.0.0.0/16".parse().expect("cidr")))];
    }
    assert!(!exposed(&d, &edge), "the ALB's group refuses the clients' addresses");
}
