//! `--from` and `--to` name managed services (issue 19) the three ways people know them: by
//! name, by the DNS name AWS gives them (an RDS endpoint resolves to the public address outside
//! the VPC when the database is publicly accessible, M2), and by Terraform address
//! (`aws_db_instance.orders`), in a design made with ops, not imported from Terraform.

use serde_json::Value;
use std::process::Command;
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::ops::{ComputeSpec, Op, Ref};
use vpcraft::model::*;

/// A public RDS `orders` (postgres, open on 5432 to the world) in public subnets, a Lambda
/// function `worker` beside it, and an internet-facing ALB `web`.
fn design(public: bool) -> Design {
    let mut b = DesignBuilder::new("managed", "ap-northeast-2");
    let v = b.vpc("main", "10.0.0.0/16");
    let a = b.subnet(&v, "pub-a", "10.0.1.0/24", "a");
    let c = b.subnet(&v, "pub-c", "10.0.2.0/24", "c");
    let igw = b.igw(&v, "igw");
    let rt = b.route_table(&v, "public-rt");
    b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    b.associate(&rt, &a);
    b.associate(&rt, &c);
    let sg = b.security_group(&v, "db-sg");
    b.allow_in_tcp(&sg, 5432, "0.0.0.0/0");
    let mut d = b.build();
    let ops = [
        Op::AddDbSubnetGroup {
            name: "db-subnets".into(),
            service: DatabaseService::Rds,
            subnets: vec![Ref::id(&a), Ref::id(&c)],
            description: String::new(),
        },
        Op::AddDatabase {
            name: "orders".into(),
            service: DatabaseService::Rds,
            engine: "postgres".into(),
            port: None,
            publicly_accessible: Some(public),
            subnet_group: Some(Ref::name("db-subnets")),
            subnets: vec![],
            groups: vec![Ref::id(&sg)],
            multi_az: false,
            nodes: None,
            az: None,
        },
        Op::AddComputeService {
            name: "worker".into(),
            kind: ComputeSpec::Lambda,
            subnets: vec![Ref::id(&a)],
            groups: vec![Ref::id(&sg)],
        },
        Op::AddLoadBalancer {
            name: "web".into(),
            vpc: Ref::id(&v),
            kind: LoadBalancerKind::Application,
            scheme: LoadBalancerScheme::InternetFacing,
            subnets: vec![Ref::id(&a), Ref::id(&c)],
            groups: vec![],
            listeners: vec![],
        },
    ];
    for op in &ops {
        d.apply(op).unwrap_or_else(|e| panic!("{op:?}: {e}"));
    }
    d
}

/// `vpcraft trace` on a design file: the JSON verdict, or the error.
fn trace(d: &Design, from: &str, to: &str, port: u16) -> Result<String, String> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("d.ron");
    std::fs::write(&file, vpcraft::io::native::to_string(d).expect("saved")).expect("written");
    let out = Command::new(env!("CARGO_BIN_EXE_vpcraft"))
        .args(["trace", &file.to_string_lossy(), "--from", from, "--to", to, "--port", &port.to_string()])
        .args(["--format", "json"])
        .output()
        .expect("the binary runs");
    if !out.status.success() && out.stdout.is_empty() {
        return Err(String::from_utf8_lossy(&out.stderr).to_string());
    }
    let v: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&out.stderr)))?;
    Ok(v["verdict"].as_str().unwrap_or_default().to_string())
}

#[test]
fn a_public_database_is_named_by_name_dns_name_and_terraform_address() {
    let d = design(true);
    let endpoint = d.databases[0].endpoint.clone();
    assert!(endpoint.ends_with(".rds.amazonaws.com"), "{endpoint}");
    for to in ["orders", endpoint.as_str(), "aws_db_instance.orders"] {
        assert_eq!(trace(&d, "internet", to, 5432).as_deref(), Ok("delivered"), "--to {to}");
    }
    // From the function beside it, by its Terraform address, to the database by its name.
    assert_eq!(trace(&d, "aws_lambda_function.worker", "orders", 5432).as_deref(), Ok("delivered"));
    // An ALB by its Terraform address (both `aws_lb` and `aws_alb` declare one).
    for to in ["aws_lb.web", "aws_alb.web"] {
        assert!(trace(&d, "internet", to, 80).is_ok(), "--to {to}: {:?}", trace(&d, "internet", to, 80));
    }
}

#[test]
fn a_private_database_is_not_reached_from_the_internet_by_any_of_its_names() {
    let d = design(false);
    let endpoint = d.databases[0].endpoint.clone();
    for to in ["orders", endpoint.as_str(), "aws_db_instance.orders"] {
        assert_eq!(trace(&d, "internet", to, 5432).as_deref(), Ok("dropped"), "--to {to}");
    }
}

#[test]
fn a_terraform_address_of_the_wrong_type_or_a_subnet_group_is_an_error() {
    let d = design(true);
    let e = trace(&d, "internet", "aws_rds_cluster.orders", 5432).expect_err("not an Aurora cluster");
    assert!(e.contains("aws_rds_cluster.orders"), "{e}");
    let e = trace(&d, "internet", "aws_db_subnet_group.db_subnets", 5432).expect_err("a subnet group sends nothing");
    assert!(e.contains("DB subnet group"), "{e}");
}
