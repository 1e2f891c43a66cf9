//! Managed services in a snapshot (M1): from `describe-db-instances` / `describe-db-clusters`
//! where present, and otherwise from the requester-managed interfaces they own, whose
//! `Description` names the service (`RDSNetworkInterface`, `ElastiCache <id>`, `ES <domain>`,
//! `AWS Lambda VPC ENI-<function>-…`, `arn:aws:ecs:…:attachment/…`, `Amazon EKS <cluster>`,
//! `RedshiftNetworkInterface`). Interfaces keep their real addresses and groups.

use super::compute::{eni_ip, eni_public_ip};
use super::json::{arr, b, n, obj, so, strings};
use super::{Ctx, EniRole};
use crate::model::services::endpoint_hash;
use crate::model::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// Which service a requester-managed interface belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Owner {
    Rds,
    Redshift,
    ElastiCache(String),
    OpenSearch(String),
    Lambda(String),
    Ecs,
    Eks(String),
}

/// The service an interface's `Description` names (M1).
pub(crate) fn role_of(desc: &str) -> Option<EniRole> {
    let rest = |p: &str| desc.strip_prefix(p).map(|x| x.trim().to_string());
    let owner = if desc == "RDSNetworkInterface" {
        Owner::Rds
    } else if desc == "RedshiftNetworkInterface" {
        Owner::Redshift
    } else if let Some(x) = rest("ElastiCache ") {
        Owner::ElastiCache(x)
    } else if let Some(x) = rest("ES ") {
        Owner::OpenSearch(x)
    } else if let Some(x) = rest("AWS Lambda VPC ENI-") {
        // `<function>-<uuid>`: the uuid is the last five dash-separated parts.
        let parts: Vec<&str> = x.split('-').collect();
        let keep = parts.len().saturating_sub(5).max(1);
        Owner::Lambda(parts[..keep.min(parts.len())].join("-"))
    } else if desc.starts_with("arn:aws:ecs:") && desc.contains(":attachment/") {
        Owner::Ecs
    } else if let Some(x) = rest("Amazon EKS ") {
        Owner::Eks(x)
    } else {
        return None;
    };
    Some(EniRole::Service(owner))
}

/// One interface of a service, as the snapshot shows it.
fn interface(v: &Value, id: &str) -> Option<(ServiceInterface, Vec<Id>)> {
    let subnet = so(v, "SubnetId")?;
    let mut i = ServiceInterface::new(subnet, eni_ip(v)?);
    i.public_ip = eni_public_ip(v);
    i.eni = Some(id.to_string());
    Some((i, strings(v, "Groups", Some("GroupId"))))
}

/// Import every managed service.
pub fn import(cx: &mut Ctx) {
    let mut owned: BTreeMap<Owner, Vec<(ServiceInterface, Vec<Id>)>> = BTreeMap::new();
    let mut ids: Vec<&Id> = cx.eni_roles.keys().collect();
    ids.sort();
    for id in ids {
        if let Some(EniRole::Service(o)) = cx.eni_roles.get(id) {
            if let Some(x) = cx.enis.get(id).and_then(|raw| interface(&raw.v, id)) {
                owned.entry(o.clone()).or_default().push(x);
            }
        }
    }
    let mut used: HashSet<Id> = HashSet::new();
    databases(cx, owned.get(&Owner::Rds).map(Vec::as_slice).unwrap_or(&[]), &mut used);
    for (o, list) in owned {
        let list: Vec<(ServiceInterface, Vec<Id>)> =
            list.into_iter().filter(|(i, _)| !i.eni.as_ref().is_some_and(|e| used.contains(e))).collect();
        if list.is_empty() {
            continue;
        }
        from_interfaces(cx, o, list);
    }
}

/// `describe-db-instances` and `describe-db-clusters`: a database per instance (cluster
/// members add an interface to their cluster), its interface taken from the RDS interfaces of
/// its subnets and groups when the snapshot has them, else made up.
fn databases(cx: &mut Ctx, rds: &[(ServiceInterface, Vec<Id>)], used: &mut HashSet<Id>) {
    let c = cx.c;
    let mut clusters: BTreeMap<String, usize> = BTreeMap::new();
    for raw in c.get("DBClusters") {
        let v = &raw.v;
        let Some(name) = so(v, "DBClusterIdentifier") else { continue };
        let engine = so(v, "Engine").unwrap_or_default();
        let service = service_of_engine(&engine, true);
        if let Some(k) = push_db(cx, &raw.file, v, &name, service, engine, &mut |_| None) {
            clusters.insert(name, k);
        }
    }
    for raw in c.get("DBInstances") {
        let v = &raw.v;
        let Some(name) = so(v, "DBInstanceIdentifier") else { continue };
        let groups = strings(v, "VpcSecurityGroups", Some("VpcSecurityGroupId"));
        let az = so(v, "AvailabilityZone");
        let subnets: Vec<Id> =
            arr(obj(v, "DBSubnetGroup"), "Subnets").iter().filter_map(|x| so(x, "SubnetIdentifier")).collect();
        // The RDS interface in its subnets with its groups, in its zone first.
        let d = &cx.d;
        let pick = |used: &HashSet<Id>| {
            let fits = |(i, g): &&(ServiceInterface, Vec<Id>)| {
                subnets.contains(&i.subnet)
                    && !i.eni.as_ref().is_some_and(|e| used.contains(e))
                    && (groups.is_empty() || groups.iter().all(|x| g.contains(x)))
            };
            let in_az =
                |i: &ServiceInterface| az.as_deref().is_some_and(|z| d.subnet(&i.subnet).is_some_and(|s| s.az == z));
            rds.iter().filter(fits).find(|(i, _)| in_az(i)).or_else(|| rds.iter().find(fits)).map(|(i, _)| i.clone())
        };
        let found = pick(used);
        if let Some(e) = found.as_ref().and_then(|i| i.eni.clone()) {
            used.insert(e);
        }
        if let Some(&k) = so(v, "DBClusterIdentifier").and_then(|cl| clusters.get(&cl)) {
            let public = cx.d.databases[k].publicly_accessible;
            let member = found.or_else(|| placeholder(cx, &subnets, az.as_deref(), public));
            if let Some(i) = member {
                cx.d.databases[k].interfaces.push(i);
            }
            continue;
        }
        let engine = so(v, "Engine").unwrap_or_default();
        let mut found = found;
        push_db(cx, &raw.file, v, &name, DatabaseService::Rds, engine, &mut |_| found.take());
    }
}

fn service_of_engine(engine: &str, cluster: bool) -> DatabaseService {
    match engine {
        "neptune" => DatabaseService::Neptune,
        "docdb" => DatabaseService::DocumentDb,
        _ if cluster => DatabaseService::Aurora,
        _ => DatabaseService::Rds,
    }
}

/// A made-up interface in one of the subnets (the zone's first), for a database whose
/// interface the snapshot does not show.
fn placeholder(cx: &mut Ctx, subnets: &[Id], az: Option<&str>, public: bool) -> Option<ServiceInterface> {
    let known: Vec<Id> = subnets.iter().filter(|s| cx.d.subnet(s).is_some()).cloned().collect();
    let mut order = known.clone();
    order.sort_by_key(|x| az.is_none_or(|z| cx.d.subnet(x).is_none_or(|s| s.az != z)));
    crate::io::services::place(&mut cx.ph, &cx.d, &order, 1, public).into_iter().next()
}

/// Push a database from a `DBInstances` or `DBClusters` item; `None` when its subnets are not
/// in the snapshot.
fn push_db(
    cx: &mut Ctx,
    file: &str,
    v: &Value,
    name: &str,
    service: DatabaseService,
    engine: String,
    iface: &mut dyn FnMut(&mut Ctx) -> Option<ServiceInterface>,
) -> Option<usize> {
    let group = obj(v, "DBSubnetGroup");
    let subnets: Vec<Id> = arr(group, "Subnets").iter().filter_map(|x| so(x, "SubnetIdentifier")).collect();
    let vpc = so(group, "VpcId").or_else(|| so(v, "VpcId"));
    let Some(vpc) = vpc.filter(|vp| cx.d.vpc(vp).is_some()) else {
        cx.report.warn(
            file,
            name,
            crate::text!("{kind_ui} in a VPC the snapshot does not hold: skipped", kind_ui = service.label()),
        );
        return None;
    };
    let public = b(v, "PubliclyAccessible").unwrap_or(false);
    let az = so(v, "AvailabilityZone");
    let mut interfaces = Vec::new();
    match iface(cx) {
        Some(i) => interfaces.push(i),
        None if service == DatabaseService::Rds => {
            cx.report.info(file, name, crate::text!("its network interface is not in the snapshot: address assumed"));
            interfaces.extend(placeholder(cx, &subnets, az.as_deref(), public));
        }
        None => {}
    }
    // A subnet group is kept only when the snapshot's subnets agree with it (all there, in the
    // group's VPC and in the zones it lists): a partial or contradicted one would look like a
    // group AWS refuses (M1).
    let complete = arr(group, "Subnets").iter().all(|x| {
        let sub = so(x, "SubnetIdentifier").and_then(|id| cx.d.subnet(&id));
        let zone = so(obj(x, "SubnetAvailabilityZone"), "Name");
        sub.is_some_and(|s| s.vpc == vpc && zone.is_none_or(|z| z == s.az))
    });
    if !complete {
        cx.report.info(
            file,
            name,
            crate::text!("its subnet group names subnets the snapshot does not hold, or holds in another VPC or zone: the group is left out"),
        );
    }
    let group_id = so(group, "DBSubnetGroupName").map(|g| format!("dbsubnet-{g}")).filter(|_| complete);
    if let Some(g) = &group_id {
        if cx.d.db_subnet_group(g).is_none() {
            let known = subnets.clone();
            cx.d.db_subnet_groups.push(DbSubnetGroup {
                id: g.clone(),
                name: so(group, "DBSubnetGroupName").unwrap_or_default(),
                vpc: vpc.clone(),
                service: DatabaseService::Rds,
                subnets: known,
                description: so(group, "DBSubnetGroupDescription").unwrap_or_default(),
            });
        }
    }
    let endpoint = obj(v, "Endpoint");
    let port = n(endpoint, "Port").or_else(|| n(v, "Port")).and_then(|p| u16::try_from(p).ok()).filter(|&p| p > 0);
    let address = so(endpoint, "Address").or_else(|| so(v, "Endpoint")).unwrap_or_default();
    let id = format!("db-{name}");
    let security_groups = strings(v, "VpcSecurityGroups", Some("VpcSecurityGroupId"));
    cx.d.databases.push(Database {
        id: id.clone(),
        name: name.to_string(),
        vpc,
        service,
        engine,
        port,
        publicly_accessible: public && service.can_be_public(),
        subnet_group: group_id,
        subnets: Vec::new(),
        security_groups,
        multi_az: b(v, "MultiAZ").unwrap_or(false),
        interfaces,
        endpoint: if address.is_empty() {
            service.endpoint_name(name, &endpoint_hash(&id), &cx.d.default_region)
        } else {
            address
        },
    });
    Some(cx.d.databases.len() - 1)
}

/// A service known only by its interfaces. What the interfaces cannot tell (an engine, a
/// port, EKS endpoint access) is AWS's default, and the report says so.
fn from_interfaces(cx: &mut Ctx, o: Owner, list: Vec<(ServiceInterface, Vec<Id>)>) {
    let Some(vpc) = list.iter().find_map(|(i, _)| cx.d.subnet(&i.subnet).map(|s| s.vpc.clone())) else { return };
    let mut groups: Vec<Id> = Vec::new();
    for (_, g) in &list {
        for x in g {
            if !groups.contains(x) {
                groups.push(x.clone());
            }
        }
    }
    let mut subnets: Vec<Id> = Vec::new();
    for (i, _) in &list {
        if !subnets.contains(&i.subnet) {
            subnets.push(i.subnet.clone());
        }
    }
    let interfaces: Vec<ServiceInterface> = list.into_iter().map(|(i, _)| i).collect();
    let first = interfaces.first().and_then(|i| i.eni.clone()).unwrap_or_default();
    let db = |service: DatabaseService, name: String| Database {
        id: format!("db-{name}"),
        name: name.clone(),
        vpc: vpc.clone(),
        service,
        engine: String::new(),
        port: None,
        publicly_accessible: interfaces.iter().any(|i| i.public_ip.is_some()) && service.can_be_public(),
        subnet_group: None,
        subnets: if service == DatabaseService::OpenSearch { subnets.clone() } else { Vec::new() },
        security_groups: groups.clone(),
        multi_az: false,
        interfaces: interfaces.clone(),
        endpoint: String::new(),
    };
    let compute = |kind: ComputeKind, id: String, name: String| ComputeService {
        id,
        name,
        vpc: vpc.clone(),
        kind,
        subnets: subnets.clone(),
        security_groups: groups.clone(),
        interfaces: interfaces.clone(),
        endpoint: String::new(),
    };
    let assumed = |cx: &mut Ctx, who: &str, what: &str| {
        cx.report.info("", who, crate::text!("known from its network interfaces only: {what} assumed"));
    };
    match o {
        Owner::Rds | Owner::Redshift => {
            // Interfaces the describe output did not claim: one database per interface.
            let service = if o == Owner::Rds { DatabaseService::Rds } else { DatabaseService::Redshift };
            for i in &interfaces {
                let name = i.eni.clone().unwrap_or_default();
                assumed(cx, &name, &format!("a {} on its default port", service.label()));
                let mut x = db(service, name);
                x.interfaces = vec![i.clone()];
                cx.d.databases.push(x);
            }
        }
        Owner::ElastiCache(name) => {
            assumed(cx, &name, "Redis on 6379");
            cx.d.databases.push(db(DatabaseService::ElastiCache, name));
        }
        Owner::OpenSearch(name) => cx.d.databases.push(db(DatabaseService::OpenSearch, name)),
        Owner::Lambda(name) => {
            cx.d.compute_services.push(compute(ComputeKind::LambdaFunction, format!("lambda-{name}"), name));
        }
        Owner::Ecs => {
            let kind = ComputeKind::EcsService {
                cluster: String::new(),
                launch_type: LaunchType::Fargate,
                assign_public_ip: interfaces.iter().any(|i| i.public_ip.is_some()),
                desired_count: u32::try_from(interfaces.len()).unwrap_or(u32::MAX),
                load_balancers: Vec::new(),
            };
            assumed(cx, &first, "one ECS service for every task interface, not registered with a load balancer");
            cx.d.compute_services.push(compute(kind, format!("ecs-{first}"), format!("ECS tasks ({first})")));
        }
        Owner::Eks(name) => {
            assumed(cx, &name, "private endpoint access on, public access off");
            let kind = ComputeKind::EksCluster {
                endpoint_public_access: false,
                endpoint_private_access: true,
                public_access_cidrs: Vec::new(),
                cluster_security_group: groups.first().cloned(),
                public_endpoint_ip: None,
            };
            let mut c = compute(kind, format!("eks-{name}"), name);
            c.security_groups = groups.iter().skip(1).cloned().collect();
            cx.d.compute_services.push(c);
        }
    }
}
