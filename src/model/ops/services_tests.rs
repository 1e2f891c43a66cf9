//! The managed-service ops (M1–M9): what AWS refuses, the interfaces a new service gets, and
//! deleting with dependency refusal.

use super::snapshot::Snapshot;
use super::*;
use crate::model::builder::DesignBuilder;
use crate::model::edit::DeleteMode;
use crate::rules::Rule;

struct Net {
    d: Design,
    vpc: Id,
    pub_a: Id,
    pub_c: Id,
    priv_a: Id,
    sg: Id,
}

/// A VPC with an internet gateway, two public subnets (a, c) and a private one, and a group
/// open on 5432 to the world.
fn net() -> Net {
    let mut b = DesignBuilder::new("t", "ap-northeast-2");
    let vpc = b.vpc("v", "10.0.0.0/16");
    let pub_a = b.subnet(&vpc, "pub-a", "10.0.1.0/24", "a");
    let pub_c = b.subnet(&vpc, "pub-c", "10.0.2.0/24", "c");
    let priv_a = b.subnet(&vpc, "priv-a", "10.0.11.0/24", "a");
    let igw = b.igw(&vpc, "igw");
    let rt = b.route_table(&vpc, "public-rt");
    b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    b.associate(&rt, &pub_a);
    b.associate(&rt, &pub_c);
    let sg = b.security_group(&vpc, "db-sg");
    b.allow_in_tcp(&sg, 5432, "0.0.0.0/0");
    Net { d: b.build(), vpc, pub_a, pub_c, priv_a, sg }
}

fn group(name: &str, subnets: &[&Id]) -> Op {
    Op::AddDbSubnetGroup {
        name: name.into(),
        service: DatabaseService::Rds,
        subnets: subnets.iter().map(|s| Ref::id(s.as_str())).collect(),
        description: String::new(),
    }
}

fn rds(name: &str, group: &str, sg: &str, public: bool) -> Op {
    Op::AddDatabase {
        name: name.into(),
        service: DatabaseService::Rds,
        engine: "postgres".into(),
        port: None,
        publicly_accessible: Some(public),
        subnet_group: Some(Ref::name(group)),
        subnets: vec![],
        groups: vec![Ref::id(sg)],
        multi_az: false,
        nodes: None,
        az: None,
    }
}

fn rule_of(errs: &[OpError], field: &str) -> Option<Rule> {
    errs.iter().find(|e| e.field == field).and_then(|e| e.rule)
}

#[test]
fn m1_a_subnet_group_must_cover_two_zones() {
    let mut n = net();
    let errs = n.d.check(&group("one-zone", &[&n.pub_a, &n.priv_a]));
    assert_eq!(rule_of(&errs, "subnets"), Some(Rule::M1), "{errs:?}");
    assert!(errs[0].message.contains("two Availability Zones"), "{errs:?}");
    n.d.apply(&group("two-zones", &[&n.pub_a, &n.pub_c])).expect("two zones");
    assert_eq!(n.d.db_subnet_groups[0].vpc, n.vpc);
}

#[test]
fn a_public_rds_gets_an_interface_and_a_public_address_until_made_private() {
    let mut n = net();
    n.d.apply(&group("g", &[&n.pub_a, &n.pub_c])).unwrap();
    let made = n.d.apply(&rds("orders", "g", &n.sg, true)).unwrap();
    let id = made.created.expect("created");
    let db = n.d.database(&id).unwrap().clone();
    assert_eq!(db.port(), 5432, "M3: postgres");
    assert_eq!(db.interfaces.len(), 1);
    let nic = &db.interfaces[0];
    assert_eq!(nic.subnet, n.pub_a, "the first zone's subnet");
    assert_eq!(nic.ip.to_string(), "10.0.1.4", "the subnet's first free address (A6)");
    assert!(nic.public_ip.is_some(), "M2: a public address");
    assert!(db.endpoint.ends_with(".ap-northeast-2.rds.amazonaws.com"), "{}", db.endpoint);
    // M2: flipped off, the address goes (tests/cli/managed_endpoints.rs traces both).
    let off = Op::UpdateDatabase {
        database: Ref::id(&id),
        name: None,
        engine: None,
        port: None,
        publicly_accessible: Some(false),
        subnet_group: None,
        groups: None,
        multi_az: None,
    };
    n.d.apply(&off).unwrap();
    assert_eq!(n.d.database(&id).unwrap().interfaces[0].public_ip, None);
}

#[test]
fn m2_m3_what_aws_refuses_of_a_database() {
    let mut n = net();
    n.d.apply(&group("g", &[&n.pub_a, &n.pub_c])).unwrap();
    // M3: RDS ports are 1150-65535; the engine belongs to the service.
    let mut op = rds("x", "g", &n.sg, false);
    if let Op::AddDatabase { port, engine, .. } = &mut op {
        *port = Some(80);
        *engine = "redis".into();
    }
    let errs = n.d.check(&op);
    assert_eq!(rule_of(&errs, "port"), Some(Rule::M3), "{errs:?}");
    assert_eq!(rule_of(&errs, "engine"), Some(Rule::M3), "{errs:?}");
    // M2: Neptune has no public switch.
    let mut op = rds("x", "g", &n.sg, true);
    if let Op::AddDatabase { service, engine, .. } = &mut op {
        *service = DatabaseService::Neptune;
        *engine = String::new();
    }
    assert_eq!(rule_of(&n.d.check(&op), "publicly_accessible"), Some(Rule::M2));
    // M1: an RDS instance in a VPC needs a subnet group.
    let mut op = rds("x", "g", &n.sg, false);
    if let Op::AddDatabase { subnet_group, .. } = &mut op {
        *subnet_group = None;
    }
    assert_eq!(rule_of(&n.d.check(&op), "subnet_group"), Some(Rule::M1));
}

#[test]
fn m2_a_public_database_needs_an_internet_gateway() {
    let mut b = DesignBuilder::new("t", "ap-northeast-2");
    let vpc = b.vpc("v", "10.0.0.0/16");
    let a = b.subnet(&vpc, "a", "10.0.1.0/24", "a");
    let c = b.subnet(&vpc, "c", "10.0.2.0/24", "c");
    let sg = b.security_group(&vpc, "sg");
    let mut d = b.build();
    d.apply(&group("g", &[&a, &c])).unwrap();
    let errs = d.check(&rds("x", "g", &sg, true));
    assert_eq!(rule_of(&errs, "publicly_accessible"), Some(Rule::M2), "{errs:?}");
    // M2's default: private when the VPC has no internet gateway.
    let mut op = rds("x", "g", &sg, false);
    if let Op::AddDatabase { publicly_accessible, .. } = &mut op {
        *publicly_accessible = None;
    }
    let id = d.apply(&op).unwrap().created.unwrap();
    assert!(!d.database(&id).unwrap().publicly_accessible);
}

#[test]
fn a_cluster_gets_one_interface_per_instance_spread_over_zones() {
    let mut n = net();
    n.d.apply(&group("g", &[&n.pub_a, &n.priv_a, &n.pub_c])).unwrap();
    let mut op = rds("aurora", "g", &n.sg, false);
    if let Op::AddDatabase { service, engine, nodes, .. } = &mut op {
        *service = DatabaseService::Aurora;
        *engine = "aurora-postgresql".into();
        *nodes = Some(3);
    }
    let id = n.d.apply(&op).unwrap().created.unwrap();
    let subnets: Vec<&str> = n.d.database(&id).unwrap().interfaces.iter().map(|i| i.subnet.as_str()).collect();
    assert_eq!(subnets, vec![n.pub_a.as_str(), n.pub_c.as_str(), n.priv_a.as_str()], "one per zone first");
    // Each address is taken: a new interface gets another.
    let ips: std::collections::HashSet<_> = n.d.database(&id).unwrap().interfaces.iter().map(|i| i.ip).collect();
    assert_eq!(ips.len(), 3);
}

#[test]
fn delete_refuses_what_a_service_depends_on_and_undo_restores() {
    let mut n = net();
    n.d.apply(&group("g", &[&n.pub_a, &n.pub_c])).unwrap();
    let db = n.d.apply(&rds("orders", "g", &n.sg, false)).unwrap().created.unwrap();
    let g = n.d.db_subnet_groups[0].id.clone();
    // M1: the subnet holding its interface, and its subnet group, cannot go.
    let e = n.d.apply(&Op::Delete { resource: Ref::id(&n.pub_a), cascade: true }).unwrap_err();
    assert!(e.message.contains("DependencyViolation") && e.message.contains("orders"), "{e}");
    let e = n.d.apply(&Op::Delete { resource: Ref::id(&g), cascade: false }).unwrap_err();
    assert!(e.message.contains("in use by orders"), "{e}");
    // Its group is referenced: refused with the list, as for any resource.
    let e = n.d.apply(&Op::Delete { resource: Ref::id(&n.sg), cascade: false }).unwrap_err();
    match e.kind {
        OpErrorKind::Referenced { by, .. } => assert!(by.iter().any(|r| r.from == db), "{by:?}"),
        other => panic!("{other:?}"),
    }
    // The database itself goes, then its group, now unused, in the same step; an undo (the
    // snapshot of what the ops touch) brings both back.
    let p = n.d.prepare(&Op::Delete { resource: Ref::id(&db), cascade: false }).unwrap();
    let mut undo = Snapshot::take(&n.d, p.touches());
    let before = n.d.clone();
    p.commit(&mut n.d);
    assert!(n.d.database(&db).is_none());
    let p = n.d.prepare(&Op::Delete { resource: Ref::id(&g), cascade: false }).expect("now unused");
    undo.add(&n.d, p.touches());
    p.commit(&mut n.d);
    undo.restore(&mut n.d);
    assert_eq!(n.d, before);
    assert!(n.d.delete_check(&n.pub_a, DeleteMode::Cascade).is_err());
}

fn compute(name: &str, kind: ComputeSpec, subnets: &[&Id], groups: &[&Id]) -> Op {
    Op::AddComputeService {
        name: name.into(),
        kind,
        subnets: subnets.iter().map(|s| Ref::id(s.as_str())).collect(),
        groups: groups.iter().map(|s| Ref::id(s.as_str())).collect(),
    }
}

#[test]
fn m7_a_lambda_function_needs_groups_and_gets_no_public_address() {
    let mut n = net();
    let errs = n.d.check(&compute("f", ComputeSpec::Lambda, &[&n.priv_a], &[]));
    assert_eq!(rule_of(&errs, "groups"), Some(Rule::M7), "{errs:?}");
    let id = n.d.apply(&compute("f", ComputeSpec::Lambda, &[&n.pub_a, &n.pub_c], &[&n.sg])).unwrap().created.unwrap();
    assert!(id.starts_with("lambda-"), "{id}");
    let f = n.d.compute_service(&id).unwrap();
    assert_eq!(f.interfaces.len(), 2, "one per subnet");
    assert!(f.interfaces.iter().all(|i| i.public_ip.is_none()), "M7: never public, even in a public subnet");
}

#[test]
fn m8_ecs_public_addresses_are_for_fargate_only() {
    let mut n = net();
    let ecs = |launch_type, public| ComputeSpec::Ecs {
        cluster: "c".into(),
        launch_type,
        assign_public_ip: public,
        desired_count: 3,
        load_balancers: None,
    };
    let errs = n.d.check(&compute("svc", ecs(crate::model::LaunchType::Ec2, true), &[&n.pub_a], &[]));
    assert_eq!(rule_of(&errs, "assign_public_ip"), Some(Rule::M8), "{errs:?}");
    let id =
        n.d.apply(&compute("svc", ecs(crate::model::LaunchType::Fargate, true), &[&n.pub_a, &n.pub_c], &[]))
            .unwrap()
            .created
            .unwrap();
    let s = n.d.compute_service(&id).unwrap();
    assert_eq!(s.interfaces.len(), 3, "one per task");
    assert!(s.interfaces.iter().all(|i| i.public_ip.is_some()));
}

#[test]
fn m9_eks_needs_two_zones_an_endpoint_and_public_cidrs() {
    let mut n = net();
    let eks = |public, private, cidrs: &[&str]| ComputeSpec::Eks {
        public_access: public,
        private_access: private,
        public_access_cidrs: cidrs.iter().map(|c| c.parse().unwrap()).collect(),
        cluster_security_group: None,
    };
    let errs = n.d.check(&compute("k", eks(true, false, &[]), &[&n.pub_a, &n.priv_a], &[]));
    assert_eq!(rule_of(&errs, "subnets"), Some(Rule::M9), "{errs:?}");
    let errs = n.d.check(&compute("k", eks(false, false, &[]), &[&n.pub_a, &n.pub_c], &[]));
    assert_eq!(rule_of(&errs, "public_access"), Some(Rule::M9), "{errs:?}");
    let errs = n.d.check(&compute("k", eks(true, false, &["10.0.0.0/8"]), &[&n.pub_a, &n.pub_c], &[]));
    assert_eq!(rule_of(&errs, "public_access_cidrs"), Some(Rule::M9), "{errs:?}");
    let id =
        n.d.apply(&compute("k", eks(true, true, &["203.0.113.0/24"]), &[&n.pub_a, &n.pub_c], &[]))
            .unwrap()
            .created
            .unwrap();
    let k = n.d.compute_service(&id).unwrap();
    assert!(k.endpoint.ends_with(".eks.amazonaws.com"), "{}", k.endpoint);
    assert!(matches!(k.kind, ComputeKind::EksCluster { public_endpoint_ip: Some(_), .. }));
}

#[test]
fn m4_an_application_load_balancer_spans_two_zones_and_internet_facing_ones_are_public() {
    let mut n = net();
    let alb = |subnets: Vec<Ref>, scheme| Op::AddLoadBalancer {
        name: "web".into(),
        vpc: Ref::id(&n.vpc),
        kind: LoadBalancerKind::Application,
        scheme,
        subnets,
        groups: vec![],
        listeners: vec![],
    };
    let errs = n.d.check(&alb(vec![Ref::id(&n.pub_a)], LoadBalancerScheme::InternetFacing));
    assert_eq!(rule_of(&errs, "subnets"), Some(Rule::M4), "{errs:?}");
    let id =
        n.d.apply(&alb(vec![Ref::id(&n.pub_a), Ref::id(&n.pub_c)], LoadBalancerScheme::InternetFacing))
            .unwrap()
            .created
            .unwrap();
    let lb = n.d.load_balancer(&id).unwrap();
    assert!(lb.nodes.iter().all(|x| x.public_ip.is_some()), "M4: internet-facing nodes are public");
    assert!(lb.dns_name.ends_with(".elb.amazonaws.com"), "{}", lb.dns_name);
    let internal = Op::UpdateLoadBalancer {
        load_balancer: Ref::id(&id),
        name: None,
        kind: None,
        scheme: Some(LoadBalancerScheme::Internal),
        subnets: None,
        groups: None,
        listeners: None,
    };
    n.d.apply(&internal).unwrap();
    assert!(n.d.load_balancer(&id).unwrap().nodes.iter().all(|x| x.public_ip.is_none()));
}

#[test]
fn managed_services_are_resources_found_by_name_and_kind() {
    let mut n = net();
    n.d.apply(&group("g", &[&n.pub_a, &n.pub_c])).unwrap();
    let id = n.d.apply(&rds("orders", "g", &n.sg, false)).unwrap().created.unwrap();
    let r = n.d.resolve("orders").unwrap();
    assert_eq!((r.kind(), r.id()), (ResourceKind::Database, id.as_str()));
    assert_eq!(crate::model::index::DesignIndex::new(&n.d).kind(&id), Some(ResourceKind::Database));
    // A second one with the same name in the VPC is refused.
    let errs = n.d.check(&rds("orders", "g", &n.sg, false));
    assert!(errs.iter().any(|e| e.field == "name"), "{errs:?}");
}

fn ecs_behind(targets: Vec<EcsTargetSpec>) -> ComputeSpec {
    ComputeSpec::Ecs {
        cluster: "c".into(),
        launch_type: crate::model::LaunchType::Fargate,
        assign_public_ip: false,
        desired_count: 2,
        load_balancers: Some(targets),
    }
}

fn tg(id: &Id, port: u16) -> EcsTargetSpec {
    EcsTargetSpec { target_group: Ref::id(id.as_str()), container_port: port }
}

#[test]
fn m8_an_ecs_service_registers_in_ip_target_groups_of_its_vpc_only() {
    let n = net();
    let mut b = DesignBuilder { design: n.d.clone() };
    let web = b.instance(&n.pub_a, "web", "10.0.1.10", &[]);
    let ip_tg = b.target_group(&n.vpc, "ip-tg", Protocol::Tcp, 80, &[]);
    let inst_tg = b.target_group(&n.vpc, "inst-tg", Protocol::Tcp, 80, &[web.as_str()]);
    let other = b.vpc("other", "10.9.0.0/16");
    let far_tg = b.target_group(&other, "far-tg", Protocol::Tcp, 80, &[]);
    let mut d = b.build();
    // An instance-type group, a group of another VPC, a port of 0: each refused, naming M8.
    for (bad, what) in [(tg(&inst_tg, 8080), "instance targets"), (tg(&far_tg, 8080), "not the service's VPC")] {
        let errs = d.check(&compute("svc", ecs_behind(vec![bad]), &[&n.pub_a], &[]));
        assert_eq!(rule_of(&errs, "load_balancers"), Some(Rule::M8), "{errs:?}");
        assert!(errs.iter().any(|e| e.message.contains(what)), "{errs:?}");
    }
    let errs = d.check(&compute("svc", ecs_behind(vec![tg(&ip_tg, 0)]), &[&n.pub_a], &[]));
    assert_eq!(rule_of(&errs, "load_balancers"), Some(Rule::M8), "{errs:?}");
    let six = (0..6).map(|_| tg(&ip_tg, 8080)).collect();
    let errs = d.check(&compute("svc", ecs_behind(six), &[&n.pub_a], &[]));
    assert!(errs.iter().any(|e| e.message.contains("at most five")), "{errs:?}");
    // The ip group with a container port is kept, and an update without it keeps it.
    d.apply(&compute("svc", ecs_behind(vec![tg(&ip_tg, 8080)]), &[&n.pub_a], &[])).expect("an ip group is accepted");
    let kept = |d: &Design| match &d.compute_services[0].kind {
        ComputeKind::EcsService { load_balancers, .. } => load_balancers.clone(),
        k => panic!("{k:?}"),
    };
    assert_eq!(kept(&d), vec![EcsLoadBalancer { target_group: ip_tg.clone(), container_port: 8080 }]);
    let svc = Ref::id(d.compute_services[0].id.as_str());
    d.apply(&Op::UpdateComputeService {
        service: svc,
        name: Some("svc2".into()),
        kind: None,
        subnets: None,
        groups: None,
    })
    .expect("a rename");
    assert_eq!(kept(&d).len(), 1, "a rename keeps the registration");
}

#[test]
fn m4_a_target_group_has_one_target_type_and_no_public_or_foreign_targets() {
    let n = net();
    let mut b = DesignBuilder { design: n.d.clone() };
    let web = b.instance(&n.pub_a, "web", "10.0.1.10", &[]);
    let other = b.vpc("other", "10.9.0.0/16");
    let far_sub = b.subnet(&other, "far", "10.9.1.0/24", "a");
    let far = b.instance(&far_sub, "far", "10.9.1.10", &[]);
    let d = b.build();
    let add = |targets: Vec<TargetSpec>| Op::AddTargetGroup {
        name: "tg".into(),
        vpc: Ref::id(n.vpc.as_str()),
        protocol: Protocol::Tcp,
        port: 80,
        targets,
        target_type: None,
    };
    let inst = |id: &Id| TargetSpec::Instance { instance: Ref::id(id.as_str()), port: None };
    let ip = |s: &str| TargetSpec::Ip { ip: s.parse().expect("an address"), port: Some(8080) };
    for (targets, what) in [
        (vec![inst(&web), ip("10.0.1.20")], "one target type"),
        (vec![ip("8.8.8.8")], "cannot be public"),
        (vec![inst(&far)], "another VPC"),
    ] {
        let errs = d.check(&add(targets));
        assert_eq!(rule_of(&errs, "targets"), Some(Rule::M4), "{errs:?}");
        assert!(errs.iter().any(|e| e.message.contains(what)), "{errs:?}");
    }
    // An address on premises (RFC 1918) and the VPC's own instances are accepted.
    assert!(d.check(&add(vec![ip("192.168.5.5"), ip("10.0.1.20")])).is_empty());
    assert!(d.check(&add(vec![inst(&web)])).is_empty());
}

/// M10, M11: a lambda group takes one Lambda function and only an ALB's listener; an alb group
/// takes one ALB of its VPC listening on the group's port, TCP, behind an NLB's TCP listener;
/// the type is fixed when the group is made (M4).
#[test]
fn m10_m11_lambda_and_alb_target_groups() {
    let n = net();
    let mut b = DesignBuilder { design: n.d.clone() };
    let web = b.instance(&n.pub_a, "web", "10.0.1.10", &[]);
    let api = b.compute(ComputeKind::LambdaFunction, "api", &[(&n.priv_a, "10.0.11.40")], &[&n.sg]);
    let other = b.vpc("other", "10.9.0.0/16");
    let far_a = b.subnet(&other, "far-a", "10.9.1.0/24", "a");
    let far_c = b.subnet(&other, "far-c", "10.9.2.0/24", "c");
    let nodes = [(n.pub_a.as_str(), "10.0.1.30", None), (n.pub_c.as_str(), "10.0.2.30", None)];
    let internal = LoadBalancerScheme::Internal;
    let alb = b.load_balancer(LoadBalancerKind::Application, internal, "alb", &nodes, &[], &[]);
    let far = [(far_a.as_str(), "10.9.1.30", None), (far_c.as_str(), "10.9.2.30", None)];
    let far_alb = b.load_balancer(LoadBalancerKind::Application, internal, "far-alb", &far, &[], &[]);
    let nlb =
        b.load_balancer(LoadBalancerKind::Network, internal, "nlb", &[(n.pub_a.as_str(), "10.0.1.40", None)], &[], &[]);
    let inst_tg = b.target_group(&n.vpc, "inst-tg", Protocol::Tcp, 80, &[&web]);
    for l in b.design.load_balancers.iter_mut().filter(|l| l.id == alb || l.id == far_alb) {
        l.listeners.push(Listener { port: 80, protocol: Protocol::Tcp, target_group: Some(inst_tg.clone()) });
    }
    let mut d = b.build();
    let add = |name: &str, protocol, port, targets: Vec<TargetSpec>, ty| Op::AddTargetGroup {
        name: name.into(),
        vpc: Ref::id(n.vpc.as_str()),
        protocol,
        port,
        targets,
        target_type: ty,
    };
    let lambda = |id: &Id| TargetSpec::Lambda { function: Ref::id(id.as_str()) };
    let alb_t = |id: &Id| TargetSpec::Alb { load_balancer: Ref::id(id.as_str()) };
    let refused = |d: &Design, op: &Op, field: &str, rule: Rule, what: &str| {
        let errs = d.check(op);
        assert_eq!(rule_of(&errs, field), Some(rule), "{what}: {errs:?}");
        assert!(errs.iter().any(|e| e.message.contains(what)), "{what}: {errs:?}");
    };
    let tcp = Protocol::Tcp;
    refused(&d, &add("x", tcp, 80, vec![lambda(&web)], None), "targets", Rule::M10, "not a Lambda function");
    refused(&d, &add("x", tcp, 80, vec![lambda(&api), lambda(&api)], None), "targets", Rule::M10, "one Lambda");
    refused(&d, &add("x", tcp, 80, vec![alb_t(&nlb)], None), "targets", Rule::M11, "not an application");
    refused(&d, &add("x", tcp, 80, vec![alb_t(&far_alb)], None), "targets", Rule::M11, "in its VPC");
    refused(&d, &add("x", tcp, 9000, vec![alb_t(&alb)], None), "port", Rule::M11, "no listener on port 9000");
    refused(&d, &add("x", Protocol::Udp, 80, vec![alb_t(&alb)], None), "protocol", Rule::M11, "TCP only");
    let mixed = add("x", tcp, 80, vec![lambda(&api)], Some(TargetType::Alb));
    refused(&d, &mixed, "targets", Rule::M4, "fixed when it is made");

    let fn_tg = d.apply(&add("fn-tg", tcp, 80, vec![lambda(&api)], None)).expect("a lambda group").created.expect("id");
    let alb_tg = d.apply(&add("alb-tg", tcp, 80, vec![alb_t(&alb)], None)).expect("an alb group").created.expect("id");
    assert_eq!(d.target_group(&fn_tg).and_then(TargetGroup::target_type), Some(TargetType::Lambda));
    // An empty lambda group keeps its type.
    let empty = d.apply(&add("empty", tcp, 80, vec![], Some(TargetType::Lambda))).expect("empty").created.expect("id");
    assert_eq!(d.target_group(&empty).and_then(|t| t.target_type), Some(TargetType::Lambda));
    // The type stays: an instance is refused in a lambda group (M4).
    let update = Op::UpdateTargetGroup {
        target_group: Ref::id(fn_tg.as_str()),
        name: None,
        protocol: None,
        port: None,
        targets: Some(vec![TargetSpec::Instance { instance: Ref::id(web.as_str()), port: None }]),
    };
    refused(&d, &update, "targets", Rule::M4, "fixed when it is made");

    let listen = |lb: &Id, protocol, tg: &Id| Op::UpdateLoadBalancer {
        load_balancer: Ref::id(lb.as_str()),
        name: None,
        kind: None,
        scheme: None,
        subnets: None,
        groups: None,
        listeners: Some(vec![ListenerSpec { protocol, port: 80, target_group: Some(Ref::id(tg.as_str())) }]),
    };
    refused(&d, &listen(&nlb, tcp, &fn_tg), "listeners", Rule::M10, "only an application load balancer");
    refused(&d, &listen(&alb, tcp, &alb_tg), "listeners", Rule::M11, "only a network load balancer");
    refused(&d, &listen(&nlb, Protocol::Udp, &alb_tg), "listeners", Rule::M11, "TCP listener");
    assert!(d.check(&listen(&alb, tcp, &fn_tg)).is_empty(), "an ALB invokes the function");
    assert!(d.check(&listen(&nlb, tcp, &alb_tg)).is_empty(), "an NLB forwards to the ALB");
}
