//! Managed services as Terraform: subnet groups, databases, caches, compute (M1–M9) and classic
//! load balancers (M6).

use super::hcl::{Block, Hv};
use super::{tags, Tf};
use crate::model::services::dns_label;
use crate::model::*;

/// `aws_elb`: its listeners' target groups fold back into `listener` blocks (port → instance
/// port) and `instances` (M6).
pub(super) fn classic_load_balancer(tf: &mut Tf, lb: &LoadBalancer, name: &str) {
    let d = tf.d;
    let mut b = tf.resource("aws_elb", name, &lb.id);
    b.set("internal", Hv::Bool(lb.scheme == LoadBalancerScheme::Internal));
    b.set("subnets", Hv::List(lb.nodes.iter().map(|n| tf.r(&n.subnet)).collect()));
    if !lb.security_groups.is_empty() {
        b.set("security_groups", Hv::List(lb.security_groups.iter().map(|g| tf.r(g)).collect()));
    }
    let instances: Vec<Hv> = d.classic_instances(lb).into_iter().map(|i| tf.r(i)).collect();
    if !instances.is_empty() {
        b.set("instances", Hv::List(instances));
    }
    for li in &lb.listeners {
        let instance_port = li.target_group.as_deref().and_then(|t| d.target_group(t)).map_or(li.port, |t| t.port);
        let protocol = if li.protocol == Protocol::Udp { "udp" } else { "tcp" };
        let mut l = Block::new("listener", &[]);
        l.set("lb_port", Hv::Num(li.port.into()))
            .set("lb_protocol", Hv::s(protocol))
            .set("instance_port", Hv::Num(instance_port.into()))
            .set("instance_protocol", Hv::s(protocol));
        b.child(l);
    }
    b.set("tags", tags(&lb.name));
    tf.push(b);
}

/// Names for the managed services of the exported VPCs, after the design's resources.
pub(super) fn assign_names(tf: &mut Tf) {
    let d = tf.d;
    for s in d.services() {
        if !tf.plan.in_scope(s.vpc()) {
            continue;
        }
        let ty = tf_type(s);
        let name = tf.plan.names.assign(s.id(), s.name(), "service");
        tf.services.insert(s.id().to_string(), (ty, name));
    }
}

/// The Terraform type of a managed service.
pub(super) fn tf_type(s: Service<'_>) -> &'static str {
    s.terraform_type()
}

/// An attribute of a declared managed service (`aws_db_subnet_group.x.name`).
fn service_attr(tf: &Tf, id: &str, attr: &str) -> Hv {
    match tf.services.get(id) {
        Some((ty, name)) => Hv::Expr(format!("{ty}.{name}.{attr}")),
        None => Hv::s(id),
    }
}

fn ids(tf: &Tf, list: &[Id]) -> Hv {
    Hv::List(list.iter().map(|i| tf.r(i)).collect())
}

/// A variable for what the design does not hold (an IAM role, a task definition), declared
/// once, empty by default.
fn variable(tf: &mut Tf, name: &str, description: &str) -> Hv {
    if !tf.blocks.iter().any(|b| b.kind == "variable" && b.labels.first().map(String::as_str) == Some(name)) {
        let mut v = Block::new("variable", &[name]);
        v.set("type", Hv::Expr("string".into())).set("default", Hv::s("")).set("description", Hv::s(description));
        tf.push(v);
        tf.note(format!("the design holds no {description}: set variable {name}"));
    }
    Hv::Expr(format!("var.{name}"))
}

/// Every managed service of the exported VPCs (M1–M9).
pub(super) fn export(tf: &mut Tf) {
    let d = tf.d;
    for g in &d.db_subnet_groups {
        let Some((ty, name)) = tf.services.get(&g.id).cloned() else { continue };
        let mut b = tf.resource(ty, &name, &g.vpc);
        b.set("name", Hv::s(dns_label(&g.name))).set("subnet_ids", ids(tf, &g.subnets));
        if !g.description.is_empty() {
            b.set("description", Hv::s(&g.description));
        }
        tf.push(b);
    }
    for db in &d.databases {
        database(tf, db);
    }
    for c in &d.compute_services {
        compute(tf, c);
    }
}

fn database(tf: &mut Tf, db: &Database) {
    let Some((ty, name)) = tf.services.get(&db.id).cloned() else { return };
    let mut b = tf.resource(ty, &name, &db.vpc);
    let label = dns_label(&db.name);
    let group = db.subnet_group.as_deref().map(|g| service_attr(tf, g, "name"));
    let sgs = ids(tf, &db.security_groups);
    let engine = db.engine().to_string();
    let members = db.interfaces.len().max(1) as i64;
    match db.service {
        DatabaseService::Rds => {
            b.set("identifier", Hv::s(&label))
                .set("engine", Hv::s(&engine))
                .set("instance_class", Hv::s("db.t3.micro"))
                .set("allocated_storage", Hv::Num(20))
                .set("username", Hv::s("admin"))
                .set("manage_master_user_password", Hv::Bool(true))
                .set("skip_final_snapshot", Hv::Bool(true))
                .set("publicly_accessible", Hv::Bool(db.publicly_accessible))
                .set("multi_az", Hv::Bool(db.multi_az))
                .set("vpc_security_group_ids", sgs);
            if let Some(g) = group {
                b.set("db_subnet_group_name", g);
            }
        }
        DatabaseService::Aurora | DatabaseService::Neptune | DatabaseService::DocumentDb => {
            b.set("cluster_identifier", Hv::s(&label))
                .set("skip_final_snapshot", Hv::Bool(true))
                .set("vpc_security_group_ids", sgs);
            if db.service != DatabaseService::Neptune {
                b.set("engine", Hv::s(&engine)).set("master_username", Hv::s("admin"));
            }
            if db.service == DatabaseService::Aurora {
                b.set("manage_master_user_password", Hv::Bool(true));
            }
            if let Some(g) = group {
                let key = if db.service == DatabaseService::Neptune {
                    "neptune_subnet_group_name"
                } else {
                    "db_subnet_group_name"
                };
                b.set(key, g);
            }
        }
        DatabaseService::ElastiCache if engine == "memcached" => {
            b.set("cluster_id", Hv::s(&label))
                .set("engine", Hv::s(&engine))
                .set("node_type", Hv::s("cache.t3.micro"))
                .set("num_cache_nodes", Hv::Num(members))
                .set("security_group_ids", sgs);
            if let Some(g) = group {
                b.set("subnet_group_name", g);
            }
        }
        DatabaseService::ElastiCache => {
            b.set("replication_group_id", Hv::s(&label))
                .set("description", Hv::s(&db.name))
                .set("engine", Hv::s(&engine))
                .set("node_type", Hv::s("cache.t3.micro"))
                .set("num_cache_clusters", Hv::Num(members))
                .set("security_group_ids", sgs);
            if let Some(g) = group {
                b.set("subnet_group_name", g);
            }
        }
        DatabaseService::Redshift => {
            b.set("cluster_identifier", Hv::s(&label))
                .set("cluster_type", Hv::s("single-node"))
                .set("node_type", Hv::s("ra3.large"))
                .set("database_name", Hv::s("dev"))
                .set("master_username", Hv::s("admin"))
                .set("manage_master_password", Hv::Bool(true))
                .set("skip_final_snapshot", Hv::Bool(true))
                .set("publicly_accessible", Hv::Bool(db.publicly_accessible))
                .set("vpc_security_group_ids", sgs);
            if let Some(g) = group {
                b.set("cluster_subnet_group_name", g);
            }
        }
        DatabaseService::OpenSearch => {
            b.set("domain_name", Hv::s(label.chars().take(28).collect::<String>()));
            let mut vo = Block::new("vpc_options", &[]);
            vo.set("subnet_ids", ids(tf, &db.subnets)).set("security_group_ids", sgs);
            b.child(vo);
        }
    }
    if let (Some(p), true) = (db.port, db.service != DatabaseService::OpenSearch) {
        b.set("port", Hv::Num(p.into()));
    }
    b.set("tags", tags(&db.name));
    tf.push(b);
    // A cluster's interfaces are its instances (M1), each in the zone of its interface.
    let member = match db.service {
        DatabaseService::Aurora => "aws_rds_cluster_instance",
        DatabaseService::Neptune => "aws_neptune_cluster_instance",
        DatabaseService::DocumentDb => "aws_docdb_cluster_instance",
        _ => return,
    };
    for (k, i) in db.interfaces.iter().enumerate() {
        let n = tf.fresh(&format!("{name}_{}", k + 1), "instance");
        let mut b = tf.resource(member, &n, &db.vpc);
        b.set("cluster_identifier", service_attr(tf, &db.id, "id")).set("instance_class", Hv::s("db.r6g.large"));
        if db.service == DatabaseService::Aurora {
            b.set("engine", Hv::s(&engine)).set("publicly_accessible", Hv::Bool(db.publicly_accessible));
        }
        if let Some(s) = tf.d.subnet(&i.subnet) {
            b.set("availability_zone", Hv::s(&s.az));
        }
        tf.push(b);
    }
}

fn compute(tf: &mut Tf, c: &ComputeService) {
    let Some((ty, name)) = tf.services.get(&c.id).cloned() else { return };
    let subnets = ids(tf, &c.subnets);
    let sgs = ids(tf, &c.security_groups);
    let label = dns_label(&c.name);
    let mut b = match &c.kind {
        ComputeKind::LambdaFunction => {
            let role = variable(tf, "lambda_role_arn", "execution role of the Lambda functions");
            let mut b = tf.resource(ty, &name, &c.vpc);
            b.set("function_name", Hv::s(&label))
                .set("role", role)
                .set("runtime", Hv::s("python3.12"))
                .set("handler", Hv::s("index.handler"))
                .set("filename", Hv::s("function.zip"));
            let mut vc = Block::new("vpc_config", &[]);
            vc.set("subnet_ids", subnets).set("security_group_ids", sgs);
            b.child(vc);
            b
        }
        ComputeKind::EcsService { cluster, launch_type, assign_public_ip, desired_count, load_balancers } => {
            let task = variable(tf, "ecs_task_definition_arn", "task definition the ECS services run");
            let mut b = tf.resource(ty, &name, &c.vpc);
            b.set("name", Hv::s(&label))
                .set("cluster", Hv::s(if cluster.is_empty() { "default" } else { cluster.as_str() }))
                .set("launch_type", Hv::s(if *launch_type == LaunchType::Ec2 { "EC2" } else { "FARGATE" }))
                .set("desired_count", Hv::Num((*desired_count).into()))
                .set("task_definition", task);
            let mut nc = Block::new("network_configuration", &[]);
            nc.set("subnets", subnets).set("security_groups", sgs).set("assign_public_ip", Hv::Bool(*assign_public_ip));
            b.child(nc);
            for l in load_balancers {
                let mut lb = Block::new("load_balancer", &[]);
                lb.set("target_group_arn", tf.attr(&l.target_group, "arn"))
                    .set("container_name", Hv::s("app"))
                    .set("container_port", Hv::Num(l.container_port.into()));
                b.child(lb);
            }
            b
        }
        ComputeKind::EksCluster { endpoint_public_access, endpoint_private_access, public_access_cidrs, .. } => {
            let role = variable(tf, "eks_role_arn", "service role of the EKS clusters");
            let mut b = tf.resource(ty, &name, &c.vpc);
            b.set("name", Hv::s(&label)).set("role_arn", role);
            let mut vc = Block::new("vpc_config", &[]);
            vc.set("subnet_ids", subnets)
                .set("security_group_ids", sgs)
                .set("endpoint_public_access", Hv::Bool(*endpoint_public_access))
                .set("endpoint_private_access", Hv::Bool(*endpoint_private_access));
            if !public_access_cidrs.is_empty() {
                vc.set(
                    "public_access_cidrs",
                    Hv::List(public_access_cidrs.iter().map(|c| Hv::s(c.to_string())).collect()),
                );
            }
            b.child(vc);
            b
        }
    };
    b.set("tags", tags(&c.name));
    tf.push(b);
}
