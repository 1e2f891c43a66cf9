//! Managed services from CloudFormation (M1–M9): subnet groups, databases and caches, classic
//! load balancers, and Lambda functions, ECS services and EKS clusters in a VPC. Each gets the
//! interfaces AWS would create, with made-up addresses from its subnets (marked as such).

use super::values::{b, list, n, p, s, Found};
use super::Cx;
use crate::io::cfn::markers::{marker, Marker};
use crate::model::services::endpoint_hash;
use crate::model::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// CloudFormation types read here.
pub const HANDLED: &[&str] = &[
    "AWS::RDS::DBSubnetGroup",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::ElastiCache::SubnetGroup",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Redshift::ClusterSubnetGroup",
    "AWS::Redshift::Cluster",
    "AWS::OpenSearchService::Domain",
    "AWS::Elasticsearch::Domain",
    "AWS::Neptune::DBSubnetGroup",
    "AWS::Neptune::DBCluster",
    "AWS::Neptune::DBInstance",
    "AWS::DocDB::DBSubnetGroup",
    "AWS::DocDB::DBCluster",
    "AWS::DocDB::DBInstance",
    "AWS::ElasticLoadBalancing::LoadBalancer",
    "AWS::Lambda::Function",
    "AWS::ECS::Service",
    "AWS::EKS::Cluster",
];

/// Subnet group types and the service whose API they belong to.
const SUBNET_GROUPS: &[(&str, DatabaseService, &str)] = &[
    ("AWS::RDS::DBSubnetGroup", DatabaseService::Rds, "DBSubnetGroupName"),
    ("AWS::ElastiCache::SubnetGroup", DatabaseService::ElastiCache, "CacheSubnetGroupName"),
    ("AWS::Redshift::ClusterSubnetGroup", DatabaseService::Redshift, ""),
    ("AWS::Neptune::DBSubnetGroup", DatabaseService::Neptune, "DBSubnetGroupName"),
    ("AWS::DocDB::DBSubnetGroup", DatabaseService::DocumentDb, "DBSubnetGroupName"),
];

/// Whether the import reads this resource: every type of [`HANDLED`], except a Lambda function
/// without a `VpcConfig` (not a network resource).
pub fn handles(r: &crate::io::cfn::EvaluatedResource) -> bool {
    HANDLED.contains(&r.resource_type.as_str()) && (r.resource_type != "AWS::Lambda::Function" || in_vpc(r))
}

fn in_vpc(r: &crate::io::cfn::EvaluatedResource) -> bool {
    !list(p(&r.properties, "VpcConfig"), "SubnetIds").is_empty()
}

/// M10: the function a lambda target group's `Id` names (`Fn::GetAtt [F, Arn]` or `Ref F`), as
/// the id its import gives it, and the VPC of its first subnet; `None` unless it is a function
/// of the template with a `VpcConfig` (functions outside a VPC are not modelled, M7).
pub(super) fn lambda_target(cx: &mut Cx, v: &Value) -> Option<(Id, Id)> {
    let logical = match marker(v)? {
        Marker::Ref(l) | Marker::GetAtt(l, _) => l.to_string(),
        _ => return None,
    };
    let r = cx.of_type("AWS::Lambda::Function").into_iter().find(|r| r.logical_id == logical && in_vpc(r))?;
    let first = list(p(&r.properties, "VpcConfig"), "SubnetIds").first().copied()?;
    let subnet = match cx.lookup(first, &logical)? {
        Found::Design(_, id) => id,
        Found::External(_) => return None,
    };
    let vpc = cx.d.subnet(&subnet)?.vpc.clone();
    Some((format!("lambda-{logical}"), vpc))
}

/// M10: a lambda target group keeps its function only when the function was imported.
fn keep_imported_lambda_targets(cx: &mut Cx) {
    let have: HashSet<Id> = cx.d.compute_services.iter().map(|c| c.id.clone()).collect();
    for tg in cx.d.target_groups.iter_mut().filter(|t| t.target_type == Some(TargetType::Lambda)) {
        tg.targets.retain(|t| have.contains(&t.id));
    }
}

/// Import every managed service of the template.
pub fn import(cx: &mut Cx) {
    let groups = subnet_groups(cx);
    let mut dbs = Databases { groups, by_logical: HashMap::new() };
    dbs.clusters(cx);
    dbs.instances(cx);
    dbs.caches(cx);
    dbs.redshift(cx);
    dbs.search_domains(cx);
    classic_load_balancers(cx);
    lambda_functions(cx);
    keep_imported_lambda_targets(cx);
    ecs_services(cx);
    eks_clusters(cx);
}

fn port(props: &Value, key: &str) -> Option<u16> {
    n(props, key).and_then(|x| u16::try_from(x).ok()).filter(|&p| p > 0)
}

/// Subnet references, once each, in the order given.
fn subnets(cx: &mut Cx, vals: Vec<&Value>, from: &str) -> Vec<Id> {
    let mut out: Vec<Id> = Vec::new();
    for v in vals {
        if let Some(sn) = cx.subnet_ref(v, None, from) {
            if !out.contains(&sn) {
                out.push(sn);
            }
        }
    }
    out
}

fn vpc_of(cx: &Cx, subnets: &[Id]) -> Option<Id> {
    subnets.iter().find_map(|s| cx.d.subnet(s).map(|x| x.vpc.clone()))
}

/// `count` interfaces spread over the subnets (M1), see [`crate::io::services::place`].
fn interfaces(cx: &mut Cx, subnets: &[Id], count: usize, public: bool) -> Vec<ServiceInterface> {
    crate::io::services::place(&mut cx.ph, &cx.d, subnets, count, public)
}

/// A subnet group: (design id, subnets).
type Group = (Id, Vec<Id>);

fn subnet_groups(cx: &mut Cx) -> HashMap<String, Group> {
    let mut out = HashMap::new();
    for &(ty, service, name_key) in SUBNET_GROUPS {
        for r in cx.of_type(ty) {
            let props = &r.properties;
            let sns = subnets(cx, list(props, "SubnetIds"), &r.logical_id);
            let Some(vpc) = vpc_of(cx, &sns) else {
                cx.report.warn("", &r.logical_id, crate::text!("subnet group without a usable subnet: skipped"));
                continue;
            };
            let id = format!("dbsubnet-{}", r.logical_id);
            let name = (!name_key.is_empty()).then(|| s(props, name_key)).flatten().unwrap_or(&r.logical_id);
            cx.d.db_subnet_groups.push(DbSubnetGroup {
                id: id.clone(),
                name: name.to_string(),
                vpc,
                service,
                subnets: sns.clone(),
                description: s(props, "Description")
                    .or_else(|| s(props, "DBSubnetGroupDescription"))
                    .unwrap_or_default()
                    .to_string(),
            });
            // Found by logical id (a `Ref`) and by the name given (a literal).
            out.insert(r.logical_id.clone(), (id.clone(), sns.clone()));
            out.insert(name.to_ascii_lowercase(), (id, sns));
        }
    }
    out
}

struct Databases {
    groups: HashMap<String, Group>,
    /// Cluster logical id → index in `Design::databases` (instances add interfaces to it).
    by_logical: HashMap<String, usize>,
}

impl Databases {
    /// The subnet group a property names: a `Ref` to one of the template, or its name.
    fn group(&self, v: &Value) -> Option<&Group> {
        if let Some(Marker::Ref(l)) = marker(v) {
            return self.groups.get(l);
        }
        v.as_str().and_then(|t| self.groups.get(&t.to_ascii_lowercase()))
    }

    /// Push a database placed through `group` with `count` interfaces; `None` (reported) when
    /// it has no subnets the design knows.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        cx: &mut Cx,
        r: &crate::io::cfn::EvaluatedResource,
        service: DatabaseService,
        name_key: &str,
        group: Option<Group>,
        direct: Vec<Id>,
        group_keys: &[&str],
        count: usize,
    ) -> Option<usize> {
        let props = &r.properties;
        let sns = group.as_ref().map(|g| g.1.clone()).unwrap_or(direct.clone());
        let Some(vpc) = vpc_of(cx, &sns) else {
            cx.report.warn(
                "",
                &r.logical_id,
                crate::text!(
                    "{kind_ui} without a subnet group or subnets the template creates: not placed in a VPC, skipped",
                    kind_ui = service.label()
                ),
            );
            return None;
        };
        let engine = s(props, "Engine").unwrap_or_default().to_ascii_lowercase();
        // M2: PubliclyAccessible, when not given, follows the VPC's internet gateway.
        let has_igw = cx.d.internet_gateways.iter().any(|g| g.vpc.as_deref() == Some(vpc.as_str()));
        let publicly_accessible = service.can_be_public()
            && b(props, "PubliclyAccessible").unwrap_or(service != DatabaseService::Redshift && has_igw);
        let mut security_groups = Vec::new();
        for k in group_keys {
            security_groups.extend(cx.group_refs(list(props, k), Some(&vpc), &r.logical_id));
        }
        let name = s(props, name_key).unwrap_or(&r.logical_id).to_string();
        let id = format!("db-{}", r.logical_id);
        let interfaces = interfaces(cx, &sns, count, publicly_accessible);
        let endpoint = service.endpoint_name(&name, &endpoint_hash(&id), &cx.region);
        cx.d.databases.push(Database {
            id,
            name,
            vpc,
            service,
            engine,
            port: port(props, "Port"),
            publicly_accessible,
            subnet_group: group.map(|g| g.0),
            subnets: if group_keys.is_empty() || !service.uses_subnet_group() { direct } else { Vec::new() },
            security_groups,
            multi_az: b(props, "MultiAZ").unwrap_or(false),
            interfaces,
            endpoint,
        });
        let i = cx.d.databases.len() - 1;
        self.by_logical.insert(r.logical_id.clone(), i);
        Some(i)
    }

    /// Aurora, Neptune and DocumentDB clusters: one interface per DB instance (added by
    /// [`Databases::instances`]), one when the template creates none.
    fn clusters(&mut self, cx: &mut Cx) {
        for (ty, svc) in [
            ("AWS::RDS::DBCluster", DatabaseService::Aurora),
            ("AWS::Neptune::DBCluster", DatabaseService::Neptune),
            ("AWS::DocDB::DBCluster", DatabaseService::DocumentDb),
        ] {
            for r in cx.of_type(ty) {
                let group = self.group(p(&r.properties, "DBSubnetGroupName")).cloned();
                self.push(cx, r, svc, "DBClusterIdentifier", group, Vec::new(), &["VpcSecurityGroupIds"], 0);
            }
        }
    }

    /// RDS instances (one interface), and the instances of clusters (one more interface each).
    fn instances(&mut self, cx: &mut Cx) {
        for ty in ["AWS::RDS::DBInstance", "AWS::Neptune::DBInstance", "AWS::DocDB::DBInstance"] {
            for r in cx.of_type(ty) {
                let props = &r.properties;
                let cluster = match marker(p(props, "DBClusterIdentifier")) {
                    Some(Marker::Ref(l)) => self.by_logical.get(l).copied(),
                    _ => None,
                };
                if let Some(c) = cluster {
                    add_cluster_member(cx, c, s(props, "AvailabilityZone"));
                    continue;
                }
                if ty != "AWS::RDS::DBInstance" {
                    cx.report.warn(
                        "",
                        &r.logical_id,
                        crate::text!("DB instance of a cluster the template does not create: skipped"),
                    );
                    continue;
                }
                let group = self.group(p(props, "DBSubnetGroupName")).cloned();
                // An instance in an AZ takes a subnet of that zone first.
                let group = group.map(|(id, mut sns)| {
                    if let Some(az) = s(props, "AvailabilityZone") {
                        sns.sort_by_key(|x| cx.d.subnet(x).is_none_or(|sub| sub.az != az));
                    }
                    (id, sns)
                });
                self.push(
                    cx,
                    r,
                    DatabaseService::Rds,
                    "DBInstanceIdentifier",
                    group,
                    Vec::new(),
                    &["VPCSecurityGroups"],
                    1,
                );
            }
        }
        // A cluster with no instance in the template still answers at one address.
        let empty: Vec<usize> =
            self.by_logical.values().copied().filter(|&i| cx.d.databases[i].interfaces.is_empty()).collect();
        for i in empty {
            add_cluster_member(cx, i, None);
        }
    }

    fn caches(&mut self, cx: &mut Cx) {
        for r in cx.of_type("AWS::ElastiCache::CacheCluster") {
            let props = &r.properties;
            let group = self.group(p(props, "CacheSubnetGroupName")).cloned();
            let nodes = n(props, "NumCacheNodes").and_then(|x| usize::try_from(x).ok()).unwrap_or(1).clamp(1, 40);
            self.push(
                cx,
                r,
                DatabaseService::ElastiCache,
                "ClusterName",
                group,
                Vec::new(),
                &["VpcSecurityGroupIds"],
                nodes,
            );
        }
        for r in cx.of_type("AWS::ElastiCache::ReplicationGroup") {
            let props = &r.properties;
            let group = self.group(p(props, "CacheSubnetGroupName")).cloned();
            let shards = n(props, "NumNodeGroups").and_then(|x| usize::try_from(x).ok()).unwrap_or(1).max(1);
            let per = n(props, "NumCacheClusters")
                .or_else(|| n(props, "ReplicasPerNodeGroup").map(|x| x + 1))
                .and_then(|x| usize::try_from(x).ok())
                .unwrap_or(1)
                .max(1);
            self.push(
                cx,
                r,
                DatabaseService::ElastiCache,
                "ReplicationGroupId",
                group,
                Vec::new(),
                &["SecurityGroupIds"],
                (shards * per).min(40),
            );
        }
    }

    fn redshift(&mut self, cx: &mut Cx) {
        for r in cx.of_type("AWS::Redshift::Cluster") {
            let group = self.group(p(&r.properties, "ClusterSubnetGroupName")).cloned();
            self.push(
                cx,
                r,
                DatabaseService::Redshift,
                "ClusterIdentifier",
                group,
                Vec::new(),
                &["VpcSecurityGroupIds"],
                1,
            );
        }
    }

    /// OpenSearch domains in a VPC: one interface per subnet (M1); a domain without
    /// `VPCOptions` has a public endpoint outside any VPC and is not a network resource here.
    fn search_domains(&mut self, cx: &mut Cx) {
        for ty in ["AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"] {
            for r in cx.of_type(ty) {
                let vo = p(&r.properties, "VPCOptions");
                if vo.is_null() {
                    cx.report.info(
                        "",
                        &r.logical_id,
                        crate::text!("domain without VPCOptions: a public endpoint outside the VPC, skipped"),
                    );
                    continue;
                }
                let sns = subnets(cx, list(vo, "SubnetIds"), &r.logical_id);
                let vpc = vpc_of(cx, &sns);
                let count = sns.len();
                if let Some(i) = self.push(cx, r, DatabaseService::OpenSearch, "DomainName", None, sns, &[], count) {
                    let groups = cx.group_refs(list(vo, "SecurityGroupIds"), vpc.as_deref(), &r.logical_id);
                    cx.d.databases[i].security_groups = groups;
                }
            }
        }
    }
}

/// One more interface for a cluster, in the zone asked for when a subnet of it is free (M1).
fn add_cluster_member(cx: &mut Cx, i: usize, az: Option<&str>) {
    let db = &cx.d.databases[i];
    let mut sns: Vec<Id> = cx.d.database_subnets(db).into_iter().cloned().collect();
    let used: Vec<Id> = db.interfaces.iter().map(|x| x.subnet.clone()).collect();
    // Next zone round-robin: subnets not yet used first, the asked-for zone before all.
    sns.sort_by_key(|x| (az.is_none_or(|z| cx.d.subnet(x).is_none_or(|s| s.az != z)), used.contains(x)));
    let public = db.publicly_accessible;
    let mut new = interfaces(cx, &sns, 1, public);
    cx.d.databases[i].interfaces.append(&mut new);
}

/// M6: a classic load balancer; its `Instances` and each listener's `InstancePort` become a
/// target group per instance port that the listener forwards to.
fn classic_load_balancers(cx: &mut Cx) {
    for r in cx.of_type("AWS::ElasticLoadBalancing::LoadBalancer") {
        let props = &r.properties;
        let sns = subnets(cx, list(props, "Subnets"), &r.logical_id);
        let Some(vpc) = vpc_of(cx, &sns) else {
            cx.report.warn(
                "",
                &r.logical_id,
                crate::text!("classic load balancer outside a VPC (no Subnets): skipped"),
            );
            continue;
        };
        let scheme = if s(props, "Scheme") == Some("internal") {
            LoadBalancerScheme::Internal
        } else {
            LoadBalancerScheme::InternetFacing
        };
        let mut nodes = Vec::new();
        for sn in &sns {
            let Some(ip) = cx.ph.private_ip(&cx.d, sn) else { continue };
            let public_ip = (scheme == LoadBalancerScheme::InternetFacing).then(|| cx.ph.public_ip());
            nodes.push(LoadBalancerNode { subnet: sn.clone(), private_ip: ip, public_ip, placeholder: true });
        }
        let mut instances = Vec::new();
        for v in list(props, "Instances") {
            match cx.lookup(v, &r.logical_id) {
                Some(Found::Design(ResourceKind::Instance, i)) | Some(Found::External(i)) => instances.push(i),
                _ => {}
            }
        }
        let id = format!("elb-{}", r.logical_id);
        let mut listeners = Vec::new();
        for l in list(props, "Listeners") {
            let (Some(lb_port), Some(instance_port)) = (port(l, "LoadBalancerPort"), port(l, "InstancePort")) else {
                cx.report.warn(
                    "",
                    &r.logical_id,
                    crate::text!("listener without LoadBalancerPort and InstancePort: skipped"),
                );
                continue;
            };
            let protocol = if s(l, "Protocol").is_some_and(|x| x.eq_ignore_ascii_case("udp")) {
                Protocol::Udp
            } else {
                Protocol::Tcp
            };
            let tg = format!("tg-{}-{instance_port}", r.logical_id);
            if cx.d.target_group(&tg).is_none() {
                cx.d.target_groups.push(TargetGroup {
                    id: tg.clone(),
                    name: format!("{}-{instance_port}", r.logical_id),
                    vpc: vpc.clone(),
                    protocol,
                    port: instance_port,
                    targets: instances.iter().map(|i| Target { id: i.clone(), port: None }).collect(),
                    appliance: Default::default(),
                    target_type: None,
                });
            }
            listeners.push(Listener { port: lb_port, protocol, target_group: Some(tg) });
        }
        let groups = cx.group_refs(list(props, "SecurityGroups"), Some(&vpc), &r.logical_id);
        cx.d.load_balancers.push(LoadBalancer {
            id,
            name: s(props, "LoadBalancerName").unwrap_or(&r.logical_id).to_string(),
            vpc,
            kind: LoadBalancerKind::Classic,
            scheme,
            nodes,
            security_groups: groups,
            listeners,
            dns_name: String::new(),
        });
    }
}

/// Push a compute service with `count` interfaces spread over its subnets (M1), and for an
/// EKS cluster its API server name.
fn push_compute(cx: &mut Cx, mut c: ComputeService, count: usize, public: bool) {
    let Some(vpc) = vpc_of(cx, &c.subnets) else { return };
    c.vpc = vpc;
    c.interfaces = interfaces(cx, &c.subnets, count, public);
    if matches!(c.kind, ComputeKind::EksCluster { .. }) {
        c.endpoint = format!("{}.gr7.{}.eks.amazonaws.com", endpoint_hash(&c.id).to_ascii_uppercase(), cx.region);
    }
    cx.d.compute_services.push(c);
}

/// A compute service before its interfaces are made.
fn compute(id: Id, name: String, kind: ComputeKind, subnets: Vec<Id>, security_groups: Vec<Id>) -> ComputeService {
    ComputeService {
        id,
        name,
        vpc: Id::new(),
        kind,
        subnets,
        security_groups,
        interfaces: Vec::new(),
        endpoint: String::new(),
    }
}
/// M7: a function with a `VpcConfig`, one shared interface per subnet. One without runs
/// outside every VPC and stays among the types the import reports as not modelled.
fn lambda_functions(cx: &mut Cx) {
    for r in cx.of_type("AWS::Lambda::Function") {
        let vc = p(&r.properties, "VpcConfig");
        if !in_vpc(r) {
            continue;
        }
        let sns = subnets(cx, list(vc, "SubnetIds"), &r.logical_id);
        let Some(vpc) = vpc_of(cx, &sns) else {
            cx.report.warn(
                "",
                &r.logical_id,
                crate::text!("Lambda function whose VpcConfig names no subnet the template creates: skipped"),
            );
            continue;
        };
        let groups = cx.group_refs(list(vc, "SecurityGroupIds"), Some(&vpc), &r.logical_id);
        let name = s(&r.properties, "FunctionName").unwrap_or(&r.logical_id).to_string();
        let count = sns.len();
        let c = compute(format!("lambda-{}", r.logical_id), name, ComputeKind::LambdaFunction, sns, groups);
        push_compute(cx, c, count, false);
    }
}

/// M8: an ECS service with `awsvpc` networking, one interface per desired task.
fn ecs_services(cx: &mut Cx) {
    for r in cx.of_type("AWS::ECS::Service") {
        let props = &r.properties;
        let av = p(p(props, "NetworkConfiguration"), "AwsvpcConfiguration");
        let sns = subnets(cx, list(av, "Subnets"), &r.logical_id);
        let Some(vpc) = vpc_of(cx, &sns) else {
            cx.report.info(
                "",
                &r.logical_id,
                crate::text!("ECS service without awsvpc subnets the template creates: skipped"),
            );
            continue;
        };
        let groups = cx.group_refs(list(av, "SecurityGroups"), Some(&vpc), &r.logical_id);
        let launch_type = if s(props, "LaunchType") == Some("EC2") { LaunchType::Ec2 } else { LaunchType::Fargate };
        let assign_public_ip = launch_type == LaunchType::Fargate && s(av, "AssignPublicIp") == Some("ENABLED");
        let desired = n(props, "DesiredCount").and_then(|x| u32::try_from(x).ok()).unwrap_or(1);
        let mut load_balancers = Vec::new();
        for l in list(props, "LoadBalancers") {
            let tg = p(l, "TargetGroupArn");
            if tg.is_null() {
                continue;
            }
            let Some(tg) = cx.resolve(tg, ResourceKind::TargetGroup, &r.logical_id) else { continue };
            if let Some(cp) = port(l, "ContainerPort") {
                load_balancers.push(EcsLoadBalancer { target_group: tg, container_port: cp });
            }
        }
        let cluster = match cx.lookup(p(props, "Cluster"), &r.logical_id) {
            Some(Found::External(c)) => c,
            _ => match marker(p(props, "Cluster")) {
                Some(Marker::Ref(l)) => l.to_string(),
                _ => String::new(),
            },
        };
        let kind =
            ComputeKind::EcsService { cluster, launch_type, assign_public_ip, desired_count: desired, load_balancers };
        let name = s(props, "ServiceName").unwrap_or(&r.logical_id).to_string();
        let count = (desired as usize).min(40);
        push_compute(cx, compute(format!("ecs-{}", r.logical_id), name, kind, sns, groups), count, assign_public_ip);
    }
}

/// M9: an EKS cluster's control plane: private endpoint interfaces in two of its subnets, a
/// public endpoint (made-up address) when public access is on.
fn eks_clusters(cx: &mut Cx) {
    for r in cx.of_type("AWS::EKS::Cluster") {
        let props = &r.properties;
        let vc = p(props, "ResourcesVpcConfig");
        let sns = subnets(cx, list(vc, "SubnetIds"), &r.logical_id);
        let Some(vpc) = vpc_of(cx, &sns) else {
            cx.report.warn(
                "",
                &r.logical_id,
                crate::text!("EKS cluster without subnets the template creates: skipped"),
            );
            continue;
        };
        let groups = cx.group_refs(list(vc, "SecurityGroupIds"), Some(&vpc), &r.logical_id);
        let public = b(vc, "EndpointPublicAccess").unwrap_or(true);
        let private = b(vc, "EndpointPrivateAccess").unwrap_or(false);
        let mut cidrs = Vec::new();
        for c in list(vc, "PublicAccessCidrs") {
            match c.as_str().and_then(|t| t.parse::<ipnet::Ipv4Net>().ok()) {
                Some(net) => cidrs.push(net.trunc()),
                None => cx.report.warn(
                    "",
                    &r.logical_id,
                    crate::text!("public access CIDR {c} is not an IPv4 CIDR: ignored"),
                ),
            }
        }
        let kind = ComputeKind::EksCluster {
            endpoint_public_access: public,
            endpoint_private_access: private,
            public_access_cidrs: cidrs,
            cluster_security_group: None,
            public_endpoint_ip: public.then(|| cx.ph.public_ip()),
        };
        let name = s(props, "Name").unwrap_or(&r.logical_id).to_string();
        let count = sns.len().min(2);
        push_compute(cx, compute(format!("eks-{}", r.logical_id), name, kind, sns, groups), count, false);
    }
}
