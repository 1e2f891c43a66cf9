//! Managed services as traceable endpoints (issue #19, rules M1–M9 of
//! `docs/managed-services.md`): one test per scenario of the issue, on the §13 defaults.
//!
//! Each scenario is a design built from the §13 lab plus a few edits, then flows with what
//! each must show, so it converts one-to-one to a `tests/scenarios/*.ron` file once that runner
//! is on main (edits: `Database`, `PubliclyAccessible`, `LoadBalancer`, `TargetGroup`,
//! `Compute`).

use crate::trace_common::*;
use vpcraft::model::*;

const CLIENT: &str = "60.1.1.1";

/// A second subnet pair in zone c, so subnet groups and load balancers span two zones (M1, M4).
struct Two {
    l: Lab,
    public_c: Id,
    private_c: Id,
}

fn two_zones() -> Two {
    let mut l = lab();
    let (vpc, rt_pub, rt_priv) = (l.vpc.clone(), l.rt_pub.clone(), l.rt_priv.clone());
    let public_c = l.b.subnet(&vpc, "public-c", "10.0.2.0/24", "c");
    let private_c = l.b.subnet(&vpc, "private-c", "10.0.3.0/24", "c");
    l.b.associate(&rt_pub, &public_c);
    l.b.associate(&rt_priv, &private_c);
    Two { l, public_c, private_c }
}

/// A PostgreSQL RDS instance at 10.0.x.50 in `subnet`, its group open on 5432 to everyone.
fn postgres(t: &mut Two, subnet: &str, public: bool) -> (Id, Id) {
    let (a, c) = if subnet == t.l.public {
        (t.l.public.clone(), t.public_c.clone())
    } else {
        (t.l.private.clone(), t.private_c.clone())
    };
    let vpc = t.l.vpc.clone();
    let sg = t.l.b.security_group(&vpc, "db");
    t.l.b.allow_in_tcp(&sg, 5432, "0.0.0.0/0");
    let group = t.l.b.db_subnet_group("orders-subnets", DatabaseService::Rds, &[&a, &c]);
    let prefix = if subnet == t.l.public { "10.0.0" } else { "10.0.1" };
    let db = t.l.b.database(
        DatabaseService::Rds,
        "orders",
        "postgres",
        Some(&group),
        &[(subnet, &format!("{prefix}.50"))],
        &[&sg],
    );
    if public {
        t.l.b.publicly_accessible(&db, "50.1.1.50");
    }
    (db, sg)
}

fn endpoint_of(d: &Design, db: &str) -> String {
    d.database(db).expect("database").endpoint.clone()
}

#[test]
fn m2_public_rds_in_a_public_subnet_is_exposed() {
    let mut t = two_zones();
    let public = t.l.public.clone();
    let (db, _) = postgres(&mut t, &public, true);
    let d = t.l.design();
    let r = tcp(&d, CLIENT, &endpoint_of(&d, &db), 5432);
    assert_delivered(&r, "ACCEPTED");
    let resolve = hop(&r.forward, "dns", "resolve");
    assert_eq!((resolve.after.dst, resolve.rule.as_str()), (ip("50.1.1.50"), "M2"), "public address from outside");
    assert_eq!(hop(&r.forward, "internet-gateway", "nat").after.dst, ip("10.0.0.50"));
    let last = r.forward.last().unwrap();
    assert_eq!((last.component.kind, last.component.id.as_str()), (vpcraft::sim::ComponentKind::Database, db.as_str()));
    // M3: the group is open on every port, but the database answers 5432 only.
    let vpc = t.l.vpc.clone();
    let mut open = t.l.b.clone();
    let sg = open.security_group(&vpc, "wide");
    allow_all_in(&mut open, &sg);
    open.design.databases[0].security_groups = vec![sg];
    let r = tcp(&open.design, CLIENT, "50.1.1.50", 22);
    assert_dropped_forward(&r, "SERVICE_PORT_RESTRICTION", "database", "M3");
}

#[test]
fn m2_rds_not_publicly_accessible_is_not_exposed() {
    let mut t = two_zones();
    let public = t.l.public.clone();
    let (db, _) = postgres(&mut t, &public, false);
    let d = t.l.design();
    let r = tcp(&d, CLIENT, &endpoint_of(&d, &db), 5432);
    let resolve = hop(&r.forward, "dns", "resolve");
    assert_eq!(resolve.after.dst, ip("10.0.0.50"), "M2: the private address from everywhere");
    assert_dropped_forward(&r, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "internet-gateway", "I4");
    // Inside the VPC the same name reaches it.
    let (sg, private) = (t.l.sg.clone(), t.l.private.clone());
    let app = t.l.b.instance(&private, "app", "10.0.1.10", &[&sg]);
    let r = tcp(&t.l.design(), &app, &endpoint_of(&d, &db), 5432);
    assert_delivered(&r, "ACCEPTED");
}

#[test]
fn m2_public_rds_in_a_private_subnet_is_not_exposed() {
    let mut t = two_zones();
    let private = t.l.private.clone();
    let (db, _) = postgres(&mut t, &private, true);
    let d = t.l.design();
    let r = tcp(&d, CLIENT, &endpoint_of(&d, &db), 5432);
    assert_eq!(hop(&r.forward, "dns", "resolve").after.dst, ip("50.1.1.50"));
    // The request arrives, but the reply has no route to the internet gateway (R3).
    let stop = assert_dropped_reply(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");
    assert_eq!(stop.component.id, t.l.rt_priv);
}

/// An internet-facing ALB in both public subnets, listener 80 → target group on 8080 with one
/// instance in the private subnet; groups `alb` (80 in from everyone) and `web` (8080 from `alb`).
fn alb(scheme: LoadBalancerScheme) -> (Two, Id, Id, Id, Id) {
    let mut t = two_zones();
    let (vpc, private, public, public_c) =
        (t.l.vpc.clone(), t.l.private.clone(), t.l.public.clone(), t.public_c.clone());
    let alb_sg = t.l.b.security_group(&vpc, "alb");
    t.l.b.allow_in_tcp(&alb_sg, 80, "0.0.0.0/0");
    let web_sg = t.l.b.security_group(&vpc, "web");
    t.l.b.allow_in(&web_sg, SgRule::tcp(8080, SgPeer::group(alb_sg.clone())));
    let web = t.l.b.instance(&private, "web", "10.0.1.20", &[&web_sg]);
    let tg = t.l.b.target_group(&vpc, "web-tg", Protocol::Tcp, 8080, &[&web]);
    let public_ip = |p: &'static str| (scheme == LoadBalancerScheme::InternetFacing).then_some(p);
    let lb = t.l.b.load_balancer(
        LoadBalancerKind::Application,
        scheme,
        "front",
        &[(&public, "10.0.0.30", public_ip("50.1.1.30")), (&public_c, "10.0.2.30", public_ip("50.1.1.31"))],
        &[&alb_sg],
        &[(80, &tg)],
    );
    (t, lb, alb_sg, web_sg, web)
}

#[test]
fn m4_internet_facing_alb_forwards_to_the_target_port_with_both_groups() {
    let (t, lb, alb_sg, web_sg, web) = alb(LoadBalancerScheme::InternetFacing);
    let d = t.l.design();
    let name = d.load_balancers[0].dns_name.clone();
    let r = tcp(&d, CLIENT, &name, 80);
    assert_delivered(&r, "ACCEPTED");
    let fwd = hop(&r.forward, "load-balancer", "nat");
    assert_eq!(fwd.rule, "M4");
    assert_eq!((fwd.after.dst, fwd.after.dst_port), (ip("10.0.1.20"), Some(8080)), "listener 80 → target port");
    assert_eq!(fwd.after.src, ip("10.0.0.30"), "M4: the target sees the node's address");
    let groups: Vec<&str> =
        r.forward.iter().filter(|h| h.component.kind == "security-group").map(|h| h.component.id.as_str()).collect();
    assert!(groups.contains(&alb_sg.as_str()) && groups.contains(&web_sg.as_str()), "{groups:?}");
    assert_eq!(r.forward.last().unwrap().component.id, web);
    assert_eq!(r.return_path.last().unwrap().after.dst, ip(CLIENT), "the reply comes back through the node");
    let _ = lb;

    // The target's group does not let the load balancer in: dropped at the target (S2).
    let (mut t, _, _, web_sg, _) = alb(LoadBalancerScheme::InternetFacing);
    set_ingress(&mut t.l.b, &web_sg, vec![SgRule::tcp(8080, SgPeer::Cidr(net("192.168.0.0/16").into()))]);
    let r = tcp(&t.l.design(), CLIENT, "50.1.1.30", 80);
    let stop = assert_dropped_forward(&r, "ENI_SG_RULES_MISMATCH", "security-group", "S2");
    assert_eq!(stop.component.id, web_sg);

    // The load balancer's own group lets nothing out to the target (M4).
    let (mut t, _, alb_sg, _, _) = alb(LoadBalancerScheme::InternetFacing);
    t.l.b.set_egress(&alb_sg, vec![SgRule::tcp(443, SgPeer::any_ipv4())]);
    let r = tcp(&t.l.design(), CLIENT, "50.1.1.30", 80);
    let stop = assert_dropped_forward(&r, "ENI_SG_RULES_MISMATCH", "security-group", "S2");
    assert_eq!(stop.component.id, alb_sg);
    assert!(stop.before.dst_port == Some(8080), "checked on the way to the target: {:?}", stop.before);
}

#[test]
fn m4_internal_alb_is_not_reachable_from_the_internet() {
    let (t, _, _, _, _) = alb(LoadBalancerScheme::Internal);
    let d = t.l.design();
    let name = d.load_balancers[0].dns_name.clone();
    let r = tcp(&d, CLIENT, &name, 80);
    assert_dropped_forward(&r, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "internet-gateway", "I4");
    // From inside the VPC it forwards as usual.
    let mut b = t.l.b.clone();
    let (public, sg) = (t.l.public.clone(), t.l.sg.clone());
    let client = b.instance(&public, "client", "10.0.0.99", &[&sg]);
    let r = tcp(&b.design, &client, &name, 80);
    assert_delivered(&r, "ACCEPTED");
}

fn lambda_lab() -> (Lab, Id) {
    let mut l = lab();
    let (private, sg) = (l.private.clone(), l.sg.clone());
    let f = l.b.compute(ComputeKind::LambdaFunction, "thumbnailer", &[(&private, "10.0.1.70")], &[&sg]);
    (l, f)
}

#[test]
fn m7_lambda_reaches_s3_only_through_an_endpoint_or_nat_and_accepts_nothing() {
    let (l, f) = lambda_lab();
    let s3 = "s3.ap-northeast-2.amazonaws.com";
    let r = tcp(&l.design(), &f, s3, 443);
    assert_dropped_forward(&r, "NO_ROUTE_TO_DESTINATION", "route-table", "R3");

    let mut with_endpoint = l.b.clone();
    let (vpc, rt) = (l.vpc.clone(), l.rt_priv.clone());
    with_endpoint.gateway_endpoint(&vpc, "s3", &[&rt]);
    let r = tcp(&with_endpoint.design, &f, s3, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    assert_eq!(hop(&r.forward, "route-table", "route").rule, "G3");

    let mut with_nat = l.b.clone();
    let public = l.public.clone();
    let nat = with_nat.nat_gateway(&public, "nat", "10.0.0.20", "50.1.1.2");
    with_nat.route(&rt, "0.0.0.0/0", RouteTarget::NatGateway(nat));
    let r = tcp(&with_nat.design, &f, s3, 443);
    assert_delivered(&r, "EXITS_NETWORK");
    assert_eq!(hop(&r.forward, "nat-gateway", "nat").after.src, ip("10.0.0.20"));

    // In a public subnet it still has no public address (M7).
    let mut in_public = l.b.clone();
    in_public.design.compute_services[0].interfaces[0] = ServiceInterface::new(public.clone(), ip4("10.0.0.70"));
    in_public.design.compute_services[0].subnets = vec![public];
    let r = tcp(&in_public.design, &f, s3, 443);
    let stop = assert_dropped_forward(&r, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "internet-gateway", "I2");
    assert!(stop.decision.contains("M7"), "{}", stop.decision);

    // Nothing opens a connection to it, whatever its group allows.
    let mut b = l.b.clone();
    let sg = l.sg.clone();
    allow_all_in(&mut b, &sg);
    let private = l.private.clone();
    let caller = b.instance(&private, "caller", "10.0.1.10", &[&sg]);
    let r = tcp(&b.design, &caller, &f, 443);
    assert_dropped_forward(&r, "SERVICE_OUTBOUND_ONLY", "lambda-function", "M7");
}

#[test]
fn m9_eks_public_endpoint_is_restricted_by_cidr() {
    let mut l = lab();
    let (private, sg) = (l.private.clone(), l.sg.clone());
    let kind = ComputeKind::EksCluster {
        endpoint_public_access: true,
        endpoint_private_access: false,
        public_access_cidrs: vec![net("203.0.113.0/24")],
        cluster_security_group: None,
        public_endpoint_ip: Some(ip4("3.36.0.10")),
    };
    let eks = l.b.compute(kind, "prod", &[(&private, "10.0.1.80")], &[&sg]);
    let d = l.design();
    let name = d.compute_service(&eks).unwrap().endpoint.clone();
    let r = tcp(&d, "203.0.113.7", &name, 443);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(hop(&r.forward, "dns", "resolve").after.dst, ip("3.36.0.10"));
    let r = tcp(&d, "198.51.100.10", &name, 443);
    let stop = assert_dropped_forward(&r, "EKS_PUBLIC_ACCESS_CIDR_RESTRICTION", "eks-cluster", "M9");
    assert_eq!(stop.matched.as_deref(), Some("public access CIDRs: 203.0.113.0/24"));
    let r = tcp(&d, "203.0.113.7", &name, 22);
    assert_dropped_forward(&r, "SERVICE_PORT_RESTRICTION", "eks-cluster", "M9");
}

#[test]
fn m1_elasticache_is_reachable_only_from_its_app_tier_group() {
    let mut t = two_zones();
    let (vpc, private, private_c) = (t.l.vpc.clone(), t.l.private.clone(), t.private_c.clone());
    let app_sg = t.l.b.security_group(&vpc, "app-tier");
    let other_sg = t.l.b.security_group(&vpc, "batch");
    let cache_sg = t.l.b.security_group(&vpc, "cache");
    t.l.b.allow_in(&cache_sg, SgRule::tcp(6379, SgPeer::group(app_sg.clone())));
    let group = t.l.b.db_subnet_group("cache-subnets", DatabaseService::ElastiCache, &[&private, &private_c]);
    let cache = t.l.b.database(
        DatabaseService::ElastiCache,
        "sessions",
        "redis",
        Some(&group),
        &[(&private, "10.0.1.60"), (&private_c, "10.0.3.60")],
        &[&cache_sg],
    );
    let app = t.l.b.instance(&private, "app", "10.0.1.10", &[&app_sg]);
    let batch = t.l.b.instance(&private, "batch", "10.0.1.11", &[&other_sg]);
    let d = t.l.design();
    let r = tcp(&d, &app, "sessions", 6379);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(r.forward.last().unwrap().component.id, cache);
    let r = tcp(&d, &batch, &cache, 6379);
    let stop = assert_dropped_forward(&r, "ENI_SG_RULES_MISMATCH", "security-group", "S2");
    assert_eq!(stop.component.id, cache_sg);
}

#[test]
fn m2_private_database_is_exposed_indirectly_through_a_public_bastion() {
    let mut t = two_zones();
    let (vpc, public, private, private_c) =
        (t.l.vpc.clone(), t.l.public.clone(), t.l.private.clone(), t.private_c.clone());
    let bastion_sg = t.l.b.security_group(&vpc, "bastion");
    t.l.b.allow_in_tcp(&bastion_sg, 22, "0.0.0.0/0");
    let db_sg = t.l.b.security_group(&vpc, "db");
    t.l.b.allow_in(&db_sg, SgRule::tcp(5432, SgPeer::group(bastion_sg.clone())));
    let group = t.l.b.db_subnet_group("db-subnets", DatabaseService::Rds, &[&private, &private_c]);
    let db = t.l.b.database(
        DatabaseService::Aurora,
        "ledger",
        "aurora-postgresql",
        Some(&group),
        &[(&private, "10.0.1.50")],
        &[&db_sg],
    );
    let bastion = t.l.b.instance(&public, "bastion", "10.0.0.10", &[&bastion_sg]);
    t.l.b.associate_eip(&bastion, "50.1.1.10");
    let d = t.l.design();
    // Not directly: it has no public address.
    let r = tcp(&d, CLIENT, &endpoint_of(&d, &db), 5432);
    assert!(!r.delivered(), "{}", explain(&r));
    // But the internet reaches the bastion, and the bastion reaches the database.
    assert_delivered(&tcp(&d, CLIENT, "50.1.1.10", 22), "ACCEPTED");
    let r = tcp(&d, &bastion, &endpoint_of(&d, &db), 5432);
    assert_delivered(&r, "ACCEPTED");
    assert_eq!(hop(&r.forward, "dns", "resolve").after.dst, ip("10.0.1.50"));
}
