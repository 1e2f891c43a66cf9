//! Managed services (M1–M9 of `docs/managed-services.md`): DB subnet groups, databases and
//! caches, and compute in a VPC (Lambda functions, ECS services, EKS clusters). Adding one
//! creates the interfaces AWS would (M1: one per instance, node, subnet or task, spread over
//! the zones, each at its subnet's first free address), so it traces at once; changing where it
//! lives keeps the interfaces it still has and makes the missing ones.

use super::common::{check_groups, check_subnets_per_az, first_free_ip, Cx};
use super::{Applied, ComputeSpec, EcsTargetSpec, Op, OpError, Prepare, Ref};
use crate::model::services::{endpoint_hash, spread, LaunchType};
use crate::model::*;
use crate::rules::Rule;
use std::collections::HashSet;
use std::net::Ipv4Addr;

use ResourceKind as RK;

pub(super) fn prepare(cx: Cx<'_>, op: &Op) -> Prepare {
    match op {
        Op::AddDbSubnetGroup { name, service, subnets, description } => subnet_group(
            cx,
            None,
            GroupChange {
                name: Some(name.clone()),
                service: Some(*service),
                subnets: Some(subnets.clone()),
                description: Some(description.clone()),
            },
        ),
        Op::UpdateDbSubnetGroup { group, name, subnets, description } => subnet_group(
            cx,
            Some(group),
            GroupChange {
                name: name.clone(),
                service: None,
                subnets: subnets.clone(),
                description: description.clone(),
            },
        ),
        Op::AddDatabase {
            name,
            service,
            engine,
            port,
            publicly_accessible,
            subnet_group,
            subnets,
            groups,
            multi_az,
            nodes,
            az,
        } => database(
            cx,
            None,
            DbChange {
                name: Some(name.clone()),
                service: Some(*service),
                engine: Some(engine.clone()),
                port: Some(*port),
                publicly_accessible: *publicly_accessible,
                subnet_group: Some(subnet_group.clone()),
                subnets: Some(subnets.clone()),
                groups: Some(groups.clone()),
                multi_az: Some(*multi_az),
                nodes: *nodes,
                az: az.clone(),
            },
        ),
        Op::UpdateDatabase {
            database: db,
            name,
            engine,
            port,
            publicly_accessible,
            subnet_group,
            groups,
            multi_az,
        } => database(
            cx,
            Some(db),
            DbChange {
                name: name.clone(),
                service: None,
                engine: engine.clone(),
                port: *port,
                publicly_accessible: *publicly_accessible,
                subnet_group: subnet_group.clone().map(Some),
                subnets: None,
                groups: groups.clone(),
                multi_az: *multi_az,
                nodes: None,
                az: None,
            },
        ),
        Op::AddComputeService { name, kind, subnets, groups } => compute(
            cx,
            None,
            ComputeChange {
                name: Some(name.clone()),
                kind: Some(kind.clone()),
                subnets: Some(subnets.clone()),
                groups: Some(groups.clone()),
            },
        ),
        Op::UpdateComputeService { service, name, kind, subnets, groups } => compute(
            cx,
            Some(service),
            ComputeChange { name: name.clone(), kind: kind.clone(), subnets: subnets.clone(), groups: groups.clone() },
        ),
        _ => Err(vec![OpError::invalid("", None, "not a managed-service op")]),
    }
}

// ------------------------------------------------------------------------------ shared helpers

/// The VPC of the first subnet that exists.
fn vpc_of_subnets(d: &Design, subnets: &[Id]) -> Option<Id> {
    subnets.iter().find_map(|s| d.subnet(s)).map(|s| s.vpc.clone())
}

/// M1: subnets in `vpc`, covering at least two Availability Zones unless the region has only
/// one (`DBSubnetGroupDoesNotCoverEnoughAZs`; EKS and application load balancers ask the same).
fn check_two_azs(cx: &mut Cx<'_>, subnets: &[Id], vpc: &str, field: &'static str, what: &str, rule: Rule) {
    let subs: Vec<&Subnet> = subnets.iter().filter_map(|s| cx.d.subnet(s)).collect();
    if let Some(s) = subs.iter().find(|s| s.vpc != vpc) {
        let m =
            crate::text!("{} is in {}, not in {vpc}: {what_ui} lives in one VPC ({rule})", s.id, s.vpc, what_ui = what);
        cx.bad(field, Some(rule), m);
        return;
    }
    let zones: HashSet<&str> = subs.iter().map(|s| s.az.as_str()).collect();
    let region = cx.d.vpc(vpc).map(|v| v.region.clone()).unwrap_or_default();
    let region_zones = cx.d.azs(&region).len();
    if zones.len() < 2 && region_zones != 1 {
        let m = crate::text!(
            "{what_ui} needs subnets in at least two Availability Zones; {} cover{} {} ({rule})",
            if subs.is_empty() { "none given".to_string() } else { plural_subnets(subs.len()) },
            if subs.len() == 1 { "s" } else { "" },
            if zones.is_empty() { "none".to_string() } else { zones.into_iter().collect::<Vec<_>>().join(", ") },
            what_ui = what
        );
        cx.bad(field, Some(rule), m);
    }
}

fn plural_subnets(n: usize) -> String {
    if n == 1 {
        "the subnet".into()
    } else {
        format!("the {n} subnets")
    }
}

/// Public addresses no resource of the design uses, from the documentation ranges (made-up
/// stand-ins for what AWS assigns, as the importers make).
pub fn free_public_ips(d: &Design, n: usize) -> Vec<Ipv4Addr> {
    let mut used: HashSet<Ipv4Addr> = d.elastic_ips.iter().map(|e| e.public_ip).collect();
    used.extend(d.network_interfaces.iter().filter_map(|e| e.public_ip));
    used.extend(d.load_balancers.iter().flat_map(|l| l.nodes.iter().filter_map(|x| x.public_ip)));
    for s in d.services() {
        used.extend(s.interfaces().iter().filter_map(|i| i.public_ip));
    }
    for c in &d.compute_services {
        if let ComputeKind::EksCluster { public_endpoint_ip: Some(p), .. } = &c.kind {
            used.insert(*p);
        }
    }
    ["198.51.100.0/24", "203.0.113.0/24", "192.0.2.0/24"]
        .iter()
        .filter_map(|c| c.parse::<ipnet::Ipv4Net>().ok())
        .flat_map(|c| c.hosts().skip(9))
        .filter(|a| !used.contains(a))
        .take(n)
        .collect()
}

/// The interfaces for `count` places over `subnets` (one per zone first, M1): the ones of `old`
/// in a subnet still used are kept, the others take their subnet's first free address (A6).
fn place(
    cx: &mut Cx<'_>,
    subnets: &[Id],
    count: usize,
    old: &[ServiceInterface],
    field: &'static str,
) -> Vec<ServiceInterface> {
    let zoned: Vec<(&str, &str)> =
        subnets.iter().filter_map(|s| cx.d.subnet(s)).map(|s| (s.id.as_str(), s.az.as_str())).collect();
    let want: Vec<Id> = spread(&zoned, count).into_iter().map(str::to_string).collect();
    let mut kept: Vec<bool> = vec![false; old.len()];
    let mut out: Vec<Option<ServiceInterface>> = vec![None; want.len()];
    for (slot, s) in want.iter().enumerate() {
        if let Some(k) = old.iter().enumerate().position(|(i, x)| !kept[i] && x.subnet == *s) {
            kept[k] = true;
            out[slot] = Some(old[k].clone());
        }
    }
    let mut taken: Vec<Ipv4Addr> = Vec::new();
    let mut done = Vec::new();
    for (slot, s) in want.iter().enumerate() {
        if let Some(x) = out[slot].take() {
            done.push(x);
            continue;
        }
        let Some(sub) = cx.d.subnet(s) else { continue };
        match first_free_ip(cx.d, sub, &taken) {
            Some(ip) => {
                taken.push(ip);
                done.push(ServiceInterface::new(s.clone(), ip));
            }
            None => {
                let m = crate::text!("{} has no free address for the interface (A6)", sub.id);
                cx.fail(OpError::invalid(field, Some(Rule::A6), m));
            }
        }
    }
    done
}

/// Give each interface a public address (`public`) or take it away (M2, M8).
fn set_public(d: &Design, nics: &mut [ServiceInterface], public: bool) {
    if !public {
        for i in nics.iter_mut() {
            i.public_ip = None;
        }
        return;
    }
    let need = nics.iter().filter(|i| i.public_ip.is_none()).count();
    let mut fresh = free_public_ips(d, need).into_iter();
    for i in nics.iter_mut().filter(|i| i.public_ip.is_none()) {
        i.public_ip = fresh.next();
    }
}

/// The ids of a list of subnets or groups, `None` when one does not resolve (already refused).
fn refs(cx: &mut Cx<'_>, rs: &Option<Vec<Ref>>, kind: RK, field: &'static str) -> Result<Option<Vec<Id>>, ()> {
    match rs {
        None => Ok(None),
        Some(list) => cx.ids(list, &[kind], field).map(Some).ok_or(()),
    }
}

// ------------------------------------------------------------------------------ subnet groups

struct GroupChange {
    name: Option<String>,
    service: Option<DatabaseService>,
    subnets: Option<Vec<Ref>>,
    description: Option<String>,
}

fn subnet_group(mut cx: Cx<'_>, which: Option<&Ref>, c: GroupChange) -> Prepare {
    let editing = match which {
        Some(r) => match cx.id(r, RK::DbSubnetGroup, "group") {
            Some(id) => Some(id),
            None => return cx.stop(),
        },
        None => None,
    };
    let old = editing.as_deref().and_then(|i| cx.d.db_subnet_group(i)).cloned();
    let Ok(subnets) = refs(&mut cx, &c.subnets, RK::Subnet, "subnets") else { return cx.stop() };
    let service = c.service.or(old.as_ref().map(|g| g.service)).unwrap_or_default();
    if service == DatabaseService::OpenSearch {
        cx.bad("service", Some(Rule::M1), "OpenSearch domains take subnets directly, not a subnet group (M1)");
    }
    let vpc = match (&old, &subnets) {
        (Some(g), _) => g.vpc.clone(),
        (None, Some(s)) => match vpc_of_subnets(cx.d, s) {
            Some(v) => v,
            None => {
                cx.fail(OpError::invalid("subnets", Some(Rule::M1), "a subnet group needs subnets (M1)"));
                return cx.stop();
            }
        },
        (None, None) => return cx.stop(),
    };
    if let Some(n) = &c.name {
        cx.name(RK::DbSubnetGroup, n, Some(&vpc), editing.as_deref());
    }
    if let Some(s) = &subnets {
        check_two_azs(&mut cx, s, &vpc, "subnets", "a DB subnet group", Rule::M1);
        // M1: a subnet that holds a database's interface stays in its group (RDS refuses to
        // remove a subnet in use).
        if let Some(g) = &old {
            for db in cx.d.databases.iter().filter(|d| d.subnet_group.as_deref() == Some(g.id.as_str())) {
                if let Some(i) = db.interfaces.iter().find(|i| !s.contains(&i.subnet)) {
                    let m = crate::text!(
                        "{} holds the interface {} of {}; AWS refuses to remove a subnet in use (M1)",
                        i.subnet,
                        i.ip,
                        db.id
                    );
                    cx.bad("subnets", Some(Rule::M1), m);
                }
            }
        }
    }
    cx.finish_one(RK::DbSubnetGroup, editing.clone().as_ref(), move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_id(RK::DbSubnetGroup);
                d.db_subnet_groups.push(DbSubnetGroup {
                    id: id.clone(),
                    name: String::new(),
                    vpc,
                    service: service.subnet_group_api(),
                    subnets: Vec::new(),
                    description: String::new(),
                });
                (id.clone(), Some(id))
            }
        };
        if let Some(g) = d.db_subnet_groups.iter_mut().find(|g| g.id == id) {
            if let Some(n) = c.name {
                g.name = n;
            }
            if let Some(s) = subnets {
                g.subnets = s;
            }
            if let Some(x) = c.description {
                g.description = x;
            }
        }
        Applied { created, touched: vec![id] }
    })
}

// ---------------------------------------------------------------------------------- databases

struct DbChange {
    name: Option<String>,
    service: Option<DatabaseService>,
    engine: Option<String>,
    port: Option<Option<u16>>,
    publicly_accessible: Option<bool>,
    /// `Some(None)`: none (an OpenSearch domain).
    subnet_group: Option<Option<Ref>>,
    subnets: Option<Vec<Ref>>,
    groups: Option<Vec<Ref>>,
    multi_az: Option<bool>,
    nodes: Option<u32>,
    az: Option<String>,
}

/// M3: the engines each service runs (`CreateDBInstance`/`CreateCacheCluster` … `Engine`).
fn engine_fits(service: DatabaseService, engine: &str) -> bool {
    let e = engine.to_ascii_lowercase();
    match service {
        DatabaseService::Rds => {
            ["mysql", "mariadb", "postgres"].contains(&e.as_str())
                || ["oracle-", "sqlserver-", "db2-", "custom-"].iter().any(|p| e.starts_with(p))
        }
        DatabaseService::Aurora => ["aurora", "aurora-mysql", "aurora-postgresql"].contains(&e.as_str()),
        DatabaseService::Redshift => e == "redshift",
        DatabaseService::Neptune => e == "neptune",
        DatabaseService::DocumentDb => e == "docdb",
        DatabaseService::OpenSearch => e.starts_with("opensearch") || e.starts_with("elasticsearch"),
        DatabaseService::ElastiCache => ["redis", "valkey", "memcached"].contains(&e.as_str()),
    }
}

/// M3: the ports RDS, Aurora and Redshift accept (1150–65535); the others take any port.
fn port_problem(service: DatabaseService, port: u16) -> Option<crate::l10n::Text> {
    let low = match service {
        DatabaseService::Rds | DatabaseService::Aurora | DatabaseService::Redshift => 1150,
        _ => 1,
    };
    (port < low).then(|| crate::text!("{} ports are {low} to 65535; {port} is refused (M3)", service.label()))
}

/// How many interfaces a database has (M1): one per cluster instance or cache node; an RDS
/// instance and a Redshift cluster's leader one; an OpenSearch domain one per subnet.
fn interface_count(service: DatabaseService, nodes: u32, subnets: usize) -> usize {
    match service {
        DatabaseService::Aurora | DatabaseService::Neptune | DatabaseService::DocumentDb => nodes as usize,
        DatabaseService::ElastiCache => nodes as usize,
        DatabaseService::OpenSearch => subnets,
        DatabaseService::Rds | DatabaseService::Redshift => 1,
    }
}

fn database(mut cx: Cx<'_>, which: Option<&Ref>, c: DbChange) -> Prepare {
    let editing = match which {
        Some(r) => match cx.id(r, RK::Database, "database") {
            Some(id) => Some(id),
            None => return cx.stop(),
        },
        None => None,
    };
    let old = editing.as_deref().and_then(|i| cx.d.database(i)).cloned();
    let service = c.service.or(old.as_ref().map(|x| x.service)).unwrap_or_default();
    // References first: nothing else can be checked without them.
    let group = match &c.subnet_group {
        Some(Some(r)) => match cx.id(r, RK::DbSubnetGroup, "subnet_group") {
            Some(id) => Some(Some(id)),
            None => return cx.stop(),
        },
        Some(None) => Some(None),
        None => None,
    };
    let Ok(direct) = refs(&mut cx, &c.subnets, RK::Subnet, "subnets") else { return cx.stop() };
    let Ok(groups) = refs(&mut cx, &c.groups, RK::SecurityGroup, "groups") else { return cx.stop() };
    let group_now: Option<Id> = match &group {
        Some(g) => g.clone(),
        None => old.as_ref().and_then(|x| x.subnet_group.clone()),
    };
    let direct_now: Vec<Id> = direct.clone().or(old.as_ref().map(|x| x.subnets.clone())).unwrap_or_default();
    // M1: where it lives.
    let placed_in: Vec<Id> = if service.uses_subnet_group() {
        match group_now.as_deref().and_then(|g| cx.d.db_subnet_group(g)) {
            Some(g) => {
                if g.service.subnet_group_api() != service.subnet_group_api() {
                    let m = crate::text!(
                        "{} is a subnet group of {}; a {} takes one of its own service's (M1)",
                        g.id,
                        g.service.label(),
                        service.label()
                    );
                    cx.bad("subnet_group", Some(Rule::M1), m);
                }
                g.subnets.clone()
            }
            None => {
                let m = crate::text!("a {} in a VPC needs a DB subnet group: add one first (M1)", service.label());
                cx.fail(OpError::invalid("subnet_group", Some(Rule::M1), m));
                return cx.stop();
            }
        }
    } else {
        if direct_now.is_empty() {
            let m = "an OpenSearch domain in a VPC needs its subnets (one per zone, up to three) (M1)";
            cx.fail(OpError::invalid("subnets", Some(Rule::M1), m));
            return cx.stop();
        }
        direct_now.clone()
    };
    let vpc = match &old {
        Some(x) => x.vpc.clone(),
        None => match vpc_of_subnets(cx.d, &placed_in) {
            Some(v) => v,
            None => {
                cx.fail(OpError::invalid("subnet_group", Some(Rule::M1), "its subnets are not in the design (M1)"));
                return cx.stop();
            }
        },
    };
    if let Some(g) = group_now.as_deref().and_then(|g| cx.d.db_subnet_group(g)) {
        if g.vpc != vpc {
            let m = crate::text!("{} is in {}; the database is in {vpc} and stays there (M1)", g.id, g.vpc);
            cx.bad("subnet_group", Some(Rule::M1), m);
        }
    }
    if service == DatabaseService::OpenSearch {
        if direct_now.len() > 3 {
            cx.bad("subnets", Some(Rule::M1), "an OpenSearch domain takes at most three subnets, one per zone (M1)");
        }
        check_subnets_per_az(&mut cx, &direct_now, &vpc, "subnets", "one subnet per zone for a domain (M1)");
    }
    if let Some(n) = &c.name {
        cx.name(RK::Database, n, Some(&vpc), editing.as_deref());
    }
    if let Some(e) = c.engine.as_deref().filter(|e| !e.is_empty()) {
        if !engine_fits(service, e) {
            let m = crate::text!(
                "'{e}' is not an engine of {} (default: {}) (M3)",
                service.label(),
                service.default_engine()
            );
            cx.bad("engine", Some(Rule::M3), m);
        }
    }
    if let Some(Some(p)) = c.port {
        if let Some(m) = port_problem(service, p) {
            cx.bad("port", Some(Rule::M3), m);
        }
    }
    if let Some(g) = &groups {
        check_groups(&mut cx, g, &vpc, "groups");
    }
    // M2: the switch, its default and what it needs.
    let public = match c.publicly_accessible {
        Some(p) => p,
        None => match &old {
            Some(x) => x.publicly_accessible,
            // CreateDBInstance: public when the VPC has an internet gateway attached.
            None => {
                matches!(service, DatabaseService::Rds | DatabaseService::Aurora)
                    && cx.d.vpc_internet_gateway(&vpc).is_some()
            }
        },
    };
    if public && c.publicly_accessible == Some(true) {
        if !service.can_be_public() {
            let m =
                crate::text!("a {} has private addresses only: it cannot be publicly accessible (M2)", service.label());
            cx.bad("publicly_accessible", Some(Rule::M2), m);
        } else if cx.d.vpc_internet_gateway(&vpc).is_none() {
            let m =
                crate::text!("{vpc} has no internet gateway attached: AWS refuses a publicly accessible database (M2)");
            cx.bad("publicly_accessible", Some(Rule::M2), m);
        }
    }
    let nodes = c.nodes.unwrap_or(1);
    let many = matches!(
        service,
        DatabaseService::Aurora | DatabaseService::Neptune | DatabaseService::DocumentDb | DatabaseService::ElastiCache
    );
    if c.nodes.is_some() && !(1..=16).contains(&nodes) {
        cx.bad("nodes", Some(Rule::M1), crate::text!("{nodes} instances: from 1 to 16 (M1)"));
    } else if c.nodes.is_some() && nodes != 1 && !many {
        let m = crate::text!("a {} has one interface; instances apply to clusters and caches (M1)", service.label());
        cx.bad("nodes", Some(Rule::M1), m);
    }
    if let Some(z) = c.az.as_deref().filter(|z| !z.is_empty()) {
        let zones: Vec<&str> = placed_in.iter().filter_map(|s| cx.d.subnet(s)).map(|s| s.az.as_str()).collect();
        if !zones.iter().any(|x| *x == z || x.ends_with(z)) {
            let m = crate::text!("{z} is not a zone of its subnet group ({}) (M1)", zones.join(", "));
            cx.bad("az", Some(Rule::M1), m);
        }
    }
    // The interfaces: placed anew on a new database or a new subnet group, kept otherwise.
    let replace = old.is_none() || group.is_some() || direct.is_some();
    let mut nics = match &old {
        Some(x) if !replace => x.interfaces.clone(),
        _ => {
            let count = match &old {
                Some(x) => x.interfaces.len().max(1),
                None => interface_count(service, nodes, placed_in.len()),
            };
            // An RDS instance asked into one zone goes to that zone's subnet (M1).
            let order: Vec<Id> = match c.az.as_deref().filter(|z| !z.is_empty()) {
                Some(z) => {
                    let (first, rest): (Vec<Id>, Vec<Id>) = placed_in
                        .iter()
                        .cloned()
                        .partition(|s| cx.d.subnet(s).is_some_and(|x| x.az == z || x.az.ends_with(z)));
                    first.into_iter().chain(rest).collect()
                }
                None => placed_in.clone(),
            };
            let old_nics = old.as_ref().map(|x| x.interfaces.clone()).unwrap_or_default();
            place(&mut cx, &order, count, &old_nics, "subnet_group")
        }
    };
    set_public(cx.d, &mut nics, public && service.can_be_public());
    let region = cx.d.vpc(&vpc).map(|v| v.region.clone()).unwrap_or_else(|| cx.d.default_region.clone());
    cx.finish_one(RK::Database, editing.clone().as_ref(), move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_id(RK::Database);
                d.databases.push(Database {
                    id: id.clone(),
                    name: String::new(),
                    vpc,
                    service,
                    engine: String::new(),
                    port: None,
                    publicly_accessible: false,
                    subnet_group: None,
                    subnets: Vec::new(),
                    security_groups: Vec::new(),
                    multi_az: false,
                    interfaces: Vec::new(),
                    endpoint: String::new(),
                });
                (id.clone(), Some(id))
            }
        };
        if let Some(x) = d.databases.iter_mut().find(|x| x.id == id) {
            if let Some(n) = c.name {
                x.name = n;
            }
            if let Some(e) = c.engine {
                x.engine = e;
            }
            if let Some(p) = c.port {
                x.port = p;
            }
            x.publicly_accessible = public && service.can_be_public();
            if let Some(g) = group {
                x.subnet_group = g;
            }
            if let Some(s) = direct {
                x.subnets = s;
            }
            if let Some(g) = groups {
                x.security_groups = g;
            }
            if let Some(m) = c.multi_az {
                x.multi_az = m;
            }
            x.interfaces = nics;
            if x.endpoint.is_empty() {
                x.endpoint = service.endpoint_name(&x.name, &endpoint_hash(&x.id), &region);
            }
        }
        Applied { created, touched: vec![id] }
    })
}

// ------------------------------------------------------------------------------------ compute

struct ComputeChange {
    name: Option<String>,
    kind: Option<ComputeSpec>,
    subnets: Option<Vec<Ref>>,
    groups: Option<Vec<Ref>>,
}

/// The id prefix of a compute service: `lambda-`, `ecs-`, `eks-`.
fn compute_prefix(k: &ComputeSpec) -> &'static str {
    match k {
        ComputeSpec::Lambda => "lambda",
        ComputeSpec::Ecs { .. } => "ecs",
        ComputeSpec::Eks { .. } => "eks",
    }
}

/// The spec of an existing compute service (to change one field of it).
/// M8: an ECS service's target groups: at most five, each in its VPC, of target type `ip`
/// (awsvpc tasks register their addresses), with a container port.
fn ecs_target_groups(cx: &mut Cx<'_>, given: &[EcsTargetSpec], vpc: &str) -> Option<Vec<EcsLoadBalancer>> {
    const FIELD: &str = "load_balancers";
    if given.len() > 5 {
        cx.bad(FIELD, Some(Rule::M8), format!("{} target groups: a service takes at most five (M8)", given.len()));
    }
    let mut out = Vec::new();
    for l in given {
        let id = cx.id(&l.target_group, RK::TargetGroup, FIELD)?;
        let Some(tg) = cx.d.target_group(&id).cloned() else { continue };
        if tg.vpc != vpc {
            let m = format!("{} is in {}, not the service's VPC {vpc} (M8)", tg.name, tg.vpc);
            cx.bad(FIELD, Some(Rule::M8), m);
        }
        if tg.target_type() == Some(TargetType::Instance) {
            let m = format!(
                "{} has instance targets: awsvpc tasks register as ip targets, so the group's target type must be ip (M8)",
                tg.name
            );
            cx.bad(FIELD, Some(Rule::M8), m);
        }
        if l.container_port == 0 {
            cx.bad(FIELD, Some(Rule::M8), format!("{}: the container port is a number from 1 to 65535 (M8)", tg.name));
        }
        out.push(EcsLoadBalancer { target_group: id, container_port: l.container_port });
    }
    Some(out)
}

pub fn compute_spec(d: &Design, c: &ComputeService) -> ComputeSpec {
    match &c.kind {
        ComputeKind::LambdaFunction => ComputeSpec::Lambda,
        ComputeKind::EcsService { cluster, launch_type, assign_public_ip, desired_count, load_balancers } => {
            ComputeSpec::Ecs {
                cluster: cluster.clone(),
                launch_type: *launch_type,
                assign_public_ip: *assign_public_ip,
                desired_count: *desired_count,
                load_balancers: Some(
                    load_balancers
                        .iter()
                        .map(|l| EcsTargetSpec {
                            target_group: Ref::id(&l.target_group),
                            container_port: l.container_port,
                        })
                        .collect(),
                ),
            }
        }
        ComputeKind::EksCluster {
            endpoint_public_access,
            endpoint_private_access,
            public_access_cidrs,
            cluster_security_group,
            ..
        } => ComputeSpec::Eks {
            public_access: *endpoint_public_access,
            private_access: *endpoint_private_access,
            public_access_cidrs: public_access_cidrs.clone(),
            cluster_security_group: cluster_security_group
                .as_deref()
                .filter(|g| d.security_group(g).is_some())
                .map(Ref::id),
        },
    }
}

fn compute(mut cx: Cx<'_>, which: Option<&Ref>, c: ComputeChange) -> Prepare {
    let editing = match which {
        Some(r) => match cx.id(r, RK::ComputeService, "service") {
            Some(id) => Some(id),
            None => return cx.stop(),
        },
        None => None,
    };
    let old = editing.as_deref().and_then(|i| cx.d.compute_service(i)).cloned();
    let Ok(subnets) = refs(&mut cx, &c.subnets, RK::Subnet, "subnets") else { return cx.stop() };
    let Ok(groups) = refs(&mut cx, &c.groups, RK::SecurityGroup, "groups") else { return cx.stop() };
    let spec = match (&c.kind, &old) {
        (Some(k), _) => k.clone(),
        (None, Some(o)) => compute_spec(cx.d, o),
        (None, None) => return cx.stop(),
    };
    if let (Some(o), Some(k)) = (&old, &c.kind) {
        if compute_prefix(&compute_spec(cx.d, o)) != compute_prefix(k) {
            cx.bad("kind", None, crate::text!("{} is a {}; its kind does not change", o.id, o.kind.label()));
        }
    }
    let cluster_group = match &spec {
        ComputeSpec::Eks { cluster_security_group: Some(r), .. } => {
            match cx.id(r, RK::SecurityGroup, "cluster_security_group") {
                Some(id) => Some(id),
                None => return cx.stop(),
            }
        }
        _ => None,
    };
    let subs_now: Vec<Id> = subnets.clone().or(old.as_ref().map(|o| o.subnets.clone())).unwrap_or_default();
    let groups_now: Vec<Id> = groups.clone().or(old.as_ref().map(|o| o.security_groups.clone())).unwrap_or_default();
    let vpc = match &old {
        Some(o) => o.vpc.clone(),
        None => match vpc_of_subnets(cx.d, &subs_now) {
            Some(v) => v,
            None => {
                let what = match spec {
                    ComputeSpec::Lambda => "a Lambda function's VpcConfig needs subnets (M7)",
                    ComputeSpec::Ecs { .. } => "an ECS service with awsvpc networking needs subnets (M8)",
                    ComputeSpec::Eks { .. } => "an EKS cluster needs subnets in two Availability Zones (M9)",
                };
                let rule = match spec {
                    ComputeSpec::Lambda => Rule::M7,
                    ComputeSpec::Ecs { .. } => Rule::M8,
                    ComputeSpec::Eks { .. } => Rule::M9,
                };
                cx.fail(OpError::invalid("subnets", Some(rule), what));
                return cx.stop();
            }
        },
    };
    if let Some(n) = &c.name {
        cx.name(RK::ComputeService, n, Some(&vpc), editing.as_deref());
    }
    if let Some(s) = cx.d.subnet_list_outside(&subs_now, &vpc) {
        cx.bad("subnets", None, crate::text!("{s} is not in {vpc}: a service's subnets are in one VPC"));
    }
    if subnets.is_some() && subs_now.len() > 16 {
        cx.bad("subnets", None, crate::text!("{} subnets: a VpcConfig takes at most 16", subs_now.len()));
    }
    if groups.is_some() {
        check_groups(&mut cx, &groups_now, &vpc, "groups");
    }
    if let Some(g) = &cluster_group {
        check_groups(&mut cx, std::slice::from_ref(g), &vpc, "cluster_security_group");
    }
    let ecs_targets = match &spec {
        ComputeSpec::Ecs { load_balancers: Some(l), .. } => match ecs_target_groups(&mut cx, l, &vpc) {
            Some(l) => Some(l),
            None => return cx.stop(),
        },
        _ => None,
    };
    let (count, public) = match &spec {
        ComputeSpec::Lambda => {
            // M7: VpcConfig takes subnets and groups together.
            if groups_now.is_empty() {
                cx.bad(
                    "groups",
                    Some(Rule::M7),
                    "a Lambda function's VpcConfig needs security groups with its subnets (M7)",
                );
            }
            (subs_now.len(), false)
        }
        ComputeSpec::Ecs { launch_type, assign_public_ip, desired_count, .. } => {
            // M8: a public address on request, on Fargate only.
            if *assign_public_ip && *launch_type == LaunchType::Ec2 {
                let m = "assignPublicIp is for Fargate tasks; tasks on EC2 with awsvpc never get a public address (M8)";
                cx.bad("assign_public_ip", Some(Rule::M8), m);
            }
            if *desired_count > 1000 {
                cx.bad("desired_count", Some(Rule::M8), "at most 1000 tasks per service (M8)");
            }
            (*desired_count as usize, *assign_public_ip && *launch_type == LaunchType::Fargate)
        }
        ComputeSpec::Eks { public_access, private_access, public_access_cidrs, .. } => {
            if subnets.is_some() || old.is_none() {
                check_two_azs(&mut cx, &subs_now, &vpc, "subnets", "an EKS cluster", Rule::M9);
            }
            if !public_access && !private_access {
                cx.bad(
                    "public_access",
                    Some(Rule::M9),
                    "turn on public or private endpoint access (or both): a cluster needs one (M9)",
                );
            }
            if !public_access && !public_access_cidrs.is_empty() {
                cx.bad(
                    "public_access_cidrs",
                    Some(Rule::M9),
                    "public access CIDRs limit the public endpoint: turn it on or leave them empty (M9)",
                );
            }
            if let Some(c) =
                public_access_cidrs.iter().find(|c| super::common::public_ip_problem(c.network()).is_some())
            {
                let m = crate::text!("{c} is not public: the public endpoint admits public addresses only (M9)");
                cx.bad("public_access_cidrs", Some(Rule::M9), m);
            }
            (subs_now.len().min(2), false)
        }
    };
    let old_nics = old.as_ref().map(|o| o.interfaces.clone()).unwrap_or_default();
    let mut nics = if subnets.is_some() || old.is_none() || c.kind.is_some() {
        place(&mut cx, &subs_now, count, &old_nics, "subnets")
    } else {
        old_nics
    };
    set_public(cx.d, &mut nics, public);
    let kind = match spec.clone() {
        ComputeSpec::Lambda => ComputeKind::LambdaFunction,
        ComputeSpec::Ecs { cluster, launch_type, assign_public_ip, desired_count, .. } => ComputeKind::EcsService {
            cluster,
            launch_type,
            assign_public_ip,
            desired_count,
            load_balancers: match (ecs_targets, &old.as_ref().map(|o| &o.kind)) {
                (Some(l), _) => l,
                (None, Some(ComputeKind::EcsService { load_balancers, .. })) => load_balancers.clone(),
                _ => Vec::new(),
            },
        },
        ComputeSpec::Eks { public_access, private_access, public_access_cidrs, .. } => {
            let kept = match old.as_ref().map(|o| &o.kind) {
                Some(ComputeKind::EksCluster { public_endpoint_ip, .. }) => *public_endpoint_ip,
                _ => None,
            };
            ComputeKind::EksCluster {
                endpoint_public_access: public_access,
                endpoint_private_access: private_access,
                public_access_cidrs,
                cluster_security_group: cluster_group,
                public_endpoint_ip: kept.or_else(|| free_public_ips(cx.d, nics.len() + 1).pop()),
            }
        }
    };
    let prefix = compute_prefix(&spec);
    let region = cx.d.vpc(&vpc).map(|v| v.region.clone()).unwrap_or_else(|| cx.d.default_region.clone());
    cx.finish_one(RK::ComputeService, editing.clone().as_ref(), move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_prefixed_id(RK::ComputeService, prefix);
                let endpoint = if prefix == "eks" {
                    format!("{}.gr7.{region}.eks.amazonaws.com", endpoint_hash(&id).to_ascii_uppercase())
                } else {
                    String::new()
                };
                d.compute_services.push(ComputeService {
                    id: id.clone(),
                    name: String::new(),
                    vpc,
                    kind: ComputeKind::LambdaFunction,
                    subnets: Vec::new(),
                    security_groups: Vec::new(),
                    interfaces: Vec::new(),
                    endpoint,
                });
                (id.clone(), Some(id))
            }
        };
        if let Some(x) = d.compute_services.iter_mut().find(|x| x.id == id) {
            if let Some(n) = c.name {
                x.name = n;
            }
            x.kind = kind;
            if let Some(s) = subnets {
                x.subnets = s;
            }
            if let Some(g) = groups {
                x.security_groups = g;
            }
            x.interfaces = nics;
        }
        Applied { created, touched: vec![id] }
    })
}

impl Design {
    /// The first of `subnets` that is in another VPC than `vpc`.
    fn subnet_list_outside(&self, subnets: &[Id], vpc: &str) -> Option<Id> {
        subnets.iter().filter_map(|s| self.subnet(s)).find(|s| s.vpc != vpc).map(|s| s.id.clone())
    }

    /// A fresh id `<prefix>-NNNN` for a resource of `kind` whose prefix depends on what it is
    /// (a compute service's `lambda-`, `ecs-`, `eks-`).
    pub fn new_prefixed_id(&self, kind: ResourceKind, prefix: &str) -> Id {
        let mut n = self.count_of(kind) + 1;
        loop {
            let id = format!("{prefix}-{n:04}");
            if self.find(&id).is_none() {
                return id;
            }
            n += 1;
        }
    }
}
