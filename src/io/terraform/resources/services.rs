//! Managed services from Terraform (M1–M9): subnet groups, databases and caches, classic load
//! balancers, Lambda functions, ECS services and EKS clusters in a VPC. Names are addresses,
//! so `--from aws_db_instance.orders` finds the database. Interfaces are placed as AWS would
//! (see [`crate::io::services::place`]).

use super::{b, list, n, s, Mapper};
use crate::io::terraform::graph::Instance;
use crate::io::terraform::value::Value;
use crate::model::services::endpoint_hash;
use crate::model::*;

fn port(v: &Value, key: &str) -> Option<u16> {
    n(v, key).and_then(|x| u16::try_from(x).ok()).filter(|&p| p > 0)
}

/// The subnets of a list attribute, once each.
fn subnets(m: &mut Mapper, i: &Instance, v: &Value, key: &str) -> Vec<Id> {
    let mut out: Vec<Id> = Vec::new();
    for x in list(v, key) {
        if let Some(sn) = m.subnet_of(i, x, key) {
            if !out.contains(&sn) {
                out.push(sn);
            }
        }
    }
    out
}

fn groups(m: &mut Mapper, i: &Instance, v: &Value, key: &str) -> Vec<Id> {
    list(v, key)
        .into_iter()
        .cloned()
        .collect::<Vec<_>>()
        .iter()
        .filter_map(|x| m.id_value(i, key, x, Some(ResourceKind::SecurityGroup)))
        .collect()
}

fn vpc_of(m: &Mapper, subnets: &[Id]) -> Option<Id> {
    subnets.iter().find_map(|s| m.subnet_vpc(s))
}

/// `aws_db_subnet_group`, `aws_elasticache_subnet_group`, `aws_redshift_subnet_group`,
/// `aws_neptune_subnet_group`, `aws_docdb_subnet_group`.
pub fn subnet_group(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let service = match i.ty.as_str() {
        "aws_elasticache_subnet_group" => DatabaseService::ElastiCache,
        "aws_redshift_subnet_group" => DatabaseService::Redshift,
        "aws_neptune_subnet_group" => DatabaseService::Neptune,
        "aws_docdb_subnet_group" => DatabaseService::DocumentDb,
        _ => DatabaseService::Rds,
    };
    let sns = subnets(m, i, v, "subnet_ids");
    let Some(vpc) = vpc_of(m, &sns) else {
        m.report.warn("", &i.address, crate::text!("subnet group without a usable subnet: skipped"));
        return;
    };
    let id = format!("dbsubnet-{}", i.address);
    if let Some(name) = s(v, "name") {
        m.services.insert(name.to_ascii_lowercase(), id.clone());
    }
    m.d.db_subnet_groups.push(DbSubnetGroup {
        id,
        name: i.address.clone(),
        vpc,
        service,
        subnets: sns,
        description: s(v, "description").unwrap_or_default().to_string(),
    });
}

/// The subnet group a database names (by name or id), and its subnets.
fn group_of(m: &Mapper, v: &Value, key: &str) -> Option<(Id, Vec<Id>)> {
    let name = s(v, key)?.to_ascii_lowercase();
    let id = m.services.get(&name)?;
    let g = m.d.db_subnet_group(id)?;
    Some((g.id.clone(), g.subnets.clone()))
}

/// What a database resource says, read the same way for every service.
struct DbSpec<'a> {
    service: DatabaseService,
    group_key: &'a str,
    groups_key: &'a str,
    count: usize,
}

fn push_database(m: &mut Mapper, i: &Instance, spec: DbSpec) -> Option<usize> {
    let v = &i.values;
    let (group, sns) = match group_of(m, v, spec.group_key) {
        Some((g, sns)) => (Some(g), sns),
        None => (None, Vec::new()),
    };
    let Some(vpc) = vpc_of(m, &sns) else {
        m.report.warn(
            "",
            &i.address,
            crate::text!(
                "{kind_ui} without a subnet group the configuration creates: not placed in a VPC, skipped",
                kind_ui = spec.service.label()
            ),
        );
        return None;
    };
    // The provider sends `publicly_accessible = false` unless told otherwise (M2).
    let publicly_accessible = spec.service.can_be_public() && b(v, "publicly_accessible").unwrap_or(false);
    let security_groups = groups(m, i, v, spec.groups_key);
    let id = format!("db-{}", i.address);
    let interfaces = crate::io::services::place(&mut m.ph, &m.d, &sns, spec.count, publicly_accessible);
    let label = ["identifier", "cluster_identifier", "cluster_id", "replication_group_id"]
        .iter()
        .find_map(|k| s(v, k))
        .unwrap_or(&i.address)
        .to_string();
    let endpoint = spec.service.endpoint_name(&label, &endpoint_hash(&id), &m.region);
    m.d.databases.push(Database {
        id: id.clone(),
        name: i.address.clone(),
        vpc,
        service: spec.service,
        engine: s(v, "engine").unwrap_or_default().to_ascii_lowercase(),
        port: port(v, "port"),
        publicly_accessible,
        subnet_group: group,
        subnets: Vec::new(),
        security_groups,
        multi_az: b(v, "multi_az").unwrap_or(false),
        interfaces,
        endpoint,
    });
    m.tag_name(&id, i);
    Some(m.d.databases.len() - 1)
}

/// `aws_db_instance` (RDS, one interface), `aws_elasticache_cluster`,
/// `aws_elasticache_replication_group`, `aws_redshift_cluster`.
pub fn database(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let spec = match i.ty.as_str() {
        "aws_elasticache_cluster" => DbSpec {
            service: DatabaseService::ElastiCache,
            group_key: "subnet_group_name",
            groups_key: "security_group_ids",
            count: n(v, "num_cache_nodes").and_then(|x| usize::try_from(x).ok()).unwrap_or(1).clamp(1, 40),
        },
        "aws_elasticache_replication_group" => {
            let shards = n(v, "num_node_groups").and_then(|x| usize::try_from(x).ok()).unwrap_or(1).max(1);
            let per = n(v, "num_cache_clusters")
                .or_else(|| n(v, "replicas_per_node_group").map(|x| x + 1))
                .and_then(|x| usize::try_from(x).ok())
                .unwrap_or(1)
                .max(1);
            DbSpec {
                service: DatabaseService::ElastiCache,
                group_key: "subnet_group_name",
                groups_key: "security_group_ids",
                count: (shards * per).min(40),
            }
        }
        "aws_redshift_cluster" => DbSpec {
            service: DatabaseService::Redshift,
            group_key: "cluster_subnet_group_name",
            groups_key: "vpc_security_group_ids",
            count: 1,
        },
        _ => DbSpec {
            service: DatabaseService::Rds,
            group_key: "db_subnet_group_name",
            groups_key: "vpc_security_group_ids",
            count: 1,
        },
    };
    push_database(m, i, spec);
}

/// `aws_rds_cluster`, `aws_neptune_cluster`, `aws_docdb_cluster`: interfaces come with their
/// instances; one when the configuration creates none.
pub fn cluster(m: &mut Mapper, i: &Instance) {
    let (service, group_key) = match i.ty.as_str() {
        "aws_neptune_cluster" => (DatabaseService::Neptune, "neptune_subnet_group_name"),
        "aws_docdb_cluster" => (DatabaseService::DocumentDb, "db_subnet_group_name"),
        _ => (DatabaseService::Aurora, "db_subnet_group_name"),
    };
    let spec = DbSpec { service, group_key, groups_key: "vpc_security_group_ids", count: 0 };
    if let Some(k) = push_database(m, i, spec) {
        let id = m.d.databases[k].id.clone();
        for key in ["id", "cluster_identifier"] {
            if let Some(x) = s(&i.values, key) {
                m.services.insert(format!("cluster:{}", x.to_ascii_lowercase()), id.clone());
            }
        }
    }
}

/// `aws_rds_cluster_instance`, `aws_neptune_cluster_instance`, `aws_docdb_cluster_instance`:
/// one more interface for its cluster (M1).
pub fn cluster_instance(m: &mut Mapper, i: &Instance) {
    let Some(key) = s(&i.values, "cluster_identifier").map(|x| format!("cluster:{}", x.to_ascii_lowercase())) else {
        return;
    };
    let Some(id) = m.services.get(&key).cloned() else {
        m.report.warn("", &i.address, crate::text!("instance of a cluster the configuration does not create: skipped"));
        return;
    };
    let Some(k) = m.d.databases.iter().position(|d| d.id == id) else { return };
    let db = &m.d.databases[k];
    let mut sns: Vec<Id> = m.d.database_subnets(db).into_iter().cloned().collect();
    let used: Vec<Id> = db.interfaces.iter().map(|x| x.subnet.clone()).collect();
    let az = s(&i.values, "availability_zone");
    sns.sort_by_key(|x| (az.is_none_or(|z| m.d.subnet(x).is_none_or(|s| s.az != z)), used.contains(x)));
    let public = db.publicly_accessible || b(&i.values, "publicly_accessible") == Some(true);
    let mut new = crate::io::services::place(&mut m.ph, &m.d, &sns, 1, public && db.service.can_be_public());
    let db = &mut m.d.databases[k];
    db.publicly_accessible |= public && db.service.can_be_public();
    db.interfaces.append(&mut new);
}

/// `aws_opensearch_domain`, `aws_elasticsearch_domain` with `vpc_options`: one interface per
/// subnet.
pub fn search_domain(m: &mut Mapper, i: &Instance) {
    let Some(vo) = list(&i.values, "vpc_options").into_iter().next().cloned() else {
        m.report.info(
            "",
            &i.address,
            crate::text!("domain without vpc_options: a public endpoint outside the VPC, skipped"),
        );
        return;
    };
    let sns = subnets(m, i, &vo, "subnet_ids");
    let Some(vpc) = vpc_of(m, &sns) else { return };
    let security_groups = groups(m, i, &vo, "security_group_ids");
    let id = format!("db-{}", i.address);
    let interfaces = crate::io::services::place(&mut m.ph, &m.d, &sns, sns.len(), false);
    let label = s(&i.values, "domain_name").unwrap_or(&i.address).to_string();
    let endpoint = DatabaseService::OpenSearch.endpoint_name(&label, &endpoint_hash(&id), &m.region);
    m.d.databases.push(Database {
        id: id.clone(),
        name: i.address.clone(),
        vpc,
        service: DatabaseService::OpenSearch,
        engine: String::new(),
        port: None,
        publicly_accessible: false,
        subnet_group: None,
        subnets: sns,
        security_groups,
        multi_az: false,
        interfaces,
        endpoint,
    });
    m.tag_name(&id, i);
}

/// `aws_elb` (M6): each listener forwards to a target group of the registered instances on
/// the instance port.
pub fn classic_load_balancer(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let sns = subnets(m, i, v, "subnets");
    let Some(vpc) = vpc_of(m, &sns) else {
        m.report.warn("", &i.address, crate::text!("classic load balancer outside a VPC (no subnets): skipped"));
        return;
    };
    let scheme =
        if b(v, "internal") == Some(true) { LoadBalancerScheme::Internal } else { LoadBalancerScheme::InternetFacing };
    let mut nodes = Vec::new();
    for sn in &sns {
        let Some(ip) = m.ph.private_ip(&m.d, sn) else { continue };
        let public_ip = (scheme == LoadBalancerScheme::InternetFacing).then(|| m.ph.public_ip());
        nodes.push(LoadBalancerNode { subnet: sn.clone(), private_ip: ip, public_ip, placeholder: true });
    }
    let instances: Vec<Id> = m.ids_of(i, "instances", Some(ResourceKind::Instance));
    let mut listeners = Vec::new();
    for l in list(v, "listener") {
        let (Some(lb_port), Some(instance_port)) = (port(l, "lb_port"), port(l, "instance_port")) else { continue };
        let protocol = if s(l, "lb_protocol").is_some_and(|x| x.eq_ignore_ascii_case("udp")) {
            Protocol::Udp
        } else {
            Protocol::Tcp
        };
        let tg = format!("tg-{id}-{instance_port}");
        if m.d.target_group(&tg).is_none() {
            m.d.target_groups.push(TargetGroup {
                id: tg.clone(),
                name: format!("{}-{instance_port}", i.address),
                vpc: vpc.clone(),
                protocol,
                port: instance_port,
                targets: instances.iter().map(|x| Target { id: x.clone(), port: None }).collect(),
                appliance: Default::default(),
                target_type: None,
            });
            let at = m.d.target_groups.len() - 1;
            m.made(&tg, ResourceKind::TargetGroup, at);
        }
        listeners.push(Listener { port: lb_port, protocol, target_group: Some(tg) });
    }
    let security_groups = m.ids_of(i, "security_groups", Some(ResourceKind::SecurityGroup));
    m.d.load_balancers.push(LoadBalancer {
        id: id.clone(),
        name: i.address.clone(),
        vpc,
        kind: LoadBalancerKind::Classic,
        scheme,
        nodes,
        security_groups,
        listeners,
        dns_name: String::new(),
    });
    m.made(&id, ResourceKind::LoadBalancer, m.d.load_balancers.len() - 1);
    m.tag_name(&id, i);
}

fn push_compute(
    m: &mut Mapper,
    i: &Instance,
    kind: ComputeKind,
    sns: Vec<Id>,
    sgs: Vec<Id>,
    count: usize,
    public: bool,
) {
    let Some(vpc) = vpc_of(m, &sns) else { return };
    let id = match kind {
        ComputeKind::LambdaFunction => format!("lambda-{}", i.address),
        ComputeKind::EcsService { .. } => format!("ecs-{}", i.address),
        ComputeKind::EksCluster { .. } => format!("eks-{}", i.address),
    };
    let interfaces = crate::io::services::place(&mut m.ph, &m.d, &sns, count, public);
    let endpoint = match kind {
        ComputeKind::EksCluster { .. } => {
            format!("{}.gr7.{}.eks.amazonaws.com", endpoint_hash(&id).to_ascii_uppercase(), m.region)
        }
        _ => String::new(),
    };
    m.d.compute_services.push(ComputeService {
        id: id.clone(),
        name: i.address.clone(),
        vpc,
        kind,
        subnets: sns,
        security_groups: sgs,
        interfaces,
        endpoint,
    });
    m.tag_name(&id, i);
}

/// `aws_lambda_function` with `vpc_config` (M7).
pub fn lambda_function(m: &mut Mapper, i: &Instance) {
    let Some(vc) = list(&i.values, "vpc_config").into_iter().next().cloned() else {
        m.report.info(
            "",
            &i.address,
            crate::text!("Lambda function without vpc_config runs outside every VPC: skipped"),
        );
        return;
    };
    let sns = subnets(m, i, &vc, "subnet_ids");
    let sgs = groups(m, i, &vc, "security_group_ids");
    let count = sns.len();
    push_compute(m, i, ComputeKind::LambdaFunction, sns, sgs, count, false);
}

/// `aws_ecs_service` with `network_configuration` (M8).
pub fn ecs_service(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(nc) = list(v, "network_configuration").into_iter().next().cloned() else {
        m.report.info(
            "",
            &i.address,
            crate::text!(
                "ECS service without awsvpc network_configuration: its tasks use their hosts' interfaces, skipped"
            ),
        );
        return;
    };
    let sns = subnets(m, i, &nc, "subnets");
    let sgs = groups(m, i, &nc, "security_groups");
    let launch_type = if s(v, "launch_type") == Some("EC2") { LaunchType::Ec2 } else { LaunchType::Fargate };
    let assign_public_ip = launch_type == LaunchType::Fargate && b(&nc, "assign_public_ip") == Some(true);
    let desired = n(v, "desired_count").and_then(|x| u32::try_from(x).ok()).unwrap_or(1);
    let mut load_balancers = Vec::new();
    for l in list(v, "load_balancer").into_iter().cloned().collect::<Vec<_>>() {
        let arn = super::get(&l, "target_group_arn");
        let Some(tg) = m.id_value(i, "target_group_arn", &arn, Some(ResourceKind::TargetGroup)) else { continue };
        if let Some(cp) = port(&l, "container_port") {
            load_balancers.push(EcsLoadBalancer { target_group: tg, container_port: cp });
        }
    }
    let cluster = s(v, "cluster").unwrap_or_default().to_string();
    let kind =
        ComputeKind::EcsService { cluster, launch_type, assign_public_ip, desired_count: desired, load_balancers };
    push_compute(m, i, kind, sns, sgs, (desired as usize).min(40), assign_public_ip);
}

/// `aws_eks_cluster` (M9).
pub fn eks_cluster(m: &mut Mapper, i: &Instance) {
    let Some(vc) = list(&i.values, "vpc_config").into_iter().next().cloned() else { return };
    let sns = subnets(m, i, &vc, "subnet_ids");
    let sgs = groups(m, i, &vc, "security_group_ids");
    let public = b(&vc, "endpoint_public_access").unwrap_or(true);
    let mut cidrs = Vec::new();
    for c in list(&vc, "public_access_cidrs") {
        match c.as_str().and_then(|t| t.parse::<ipnet::Ipv4Net>().ok()) {
            Some(net) => cidrs.push(net.trunc()),
            None => {
                m.report.warn("", &i.address, crate::text!("a public access CIDR that is not an IPv4 CIDR: ignored"))
            }
        }
    }
    let kind = ComputeKind::EksCluster {
        endpoint_public_access: public,
        endpoint_private_access: b(&vc, "endpoint_private_access").unwrap_or(false),
        public_access_cidrs: cidrs,
        cluster_security_group: None,
        public_endpoint_ip: public.then(|| m.ph.public_ip()),
    };
    let count = sns.len().min(2);
    push_compute(m, i, kind, sns, sgs, count, false);
}
