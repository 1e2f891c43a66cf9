//! Finding managed services by id, name or endpoint name, and the links they hold to the rest
//! of the design (so a file that names a missing subnet is refused, and deleting a VPC takes
//! its databases with it).

use super::*;
use crate::model::edit::Strength;
use crate::model::Design;
use std::collections::BTreeSet;

/// A managed service of the design, borrowed.
#[derive(Debug, Clone, Copy)]
pub enum Service<'a> {
    Database(&'a Database),
    SubnetGroup(&'a DbSubnetGroup),
    Compute(&'a ComputeService),
}

impl<'a> Service<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Service::Database(x) => &x.id,
            Service::SubnetGroup(x) => &x.id,
            Service::Compute(x) => &x.id,
        }
    }

    pub fn name(&self) -> &'a str {
        match self {
            Service::Database(x) => &x.name,
            Service::SubnetGroup(x) => &x.name,
            Service::Compute(x) => &x.name,
        }
    }

    pub fn vpc(&self) -> &'a str {
        match self {
            Service::Database(x) => &x.vpc,
            Service::SubnetGroup(x) => &x.vpc,
            Service::Compute(x) => &x.vpc,
        }
    }

    /// Its resource kind.
    pub fn kind(&self) -> crate::model::ResourceKind {
        use crate::model::ResourceKind as K;
        match self {
            Service::Database(_) => K::Database,
            Service::SubnetGroup(_) => K::DbSubnetGroup,
            Service::Compute(_) => K::ComputeService,
        }
    }

    /// What it is, e.g. "RDS instance", "DB subnet group", "Lambda function".
    pub fn label(&self) -> &'static str {
        match self {
            Service::Database(x) => x.service.label(),
            Service::SubnetGroup(_) => "DB subnet group",
            Service::Compute(x) => x.kind.label(),
        }
    }

    /// `name (id)`, or the id alone when the name is empty or equal to it.
    pub fn display_name(&self) -> String {
        let (n, i) = (self.name(), self.id());
        if n.is_empty() || n == i {
            i.to_string()
        } else {
            format!("{n} ({i})")
        }
    }

    /// The interfaces it answers and sends at (none for a subnet group).
    pub fn interfaces(&self) -> &'a [ServiceInterface] {
        match self {
            Service::Database(x) => &x.interfaces,
            Service::SubnetGroup(_) => &[],
            Service::Compute(x) => &x.interfaces,
        }
    }

    /// Its Terraform resource type (`aws_db_instance`, `aws_lambda_function` …).
    pub fn terraform_type(&self) -> &'static str {
        match self {
            Service::SubnetGroup(g) => match g.service {
                DatabaseService::ElastiCache => "aws_elasticache_subnet_group",
                DatabaseService::Redshift => "aws_redshift_subnet_group",
                DatabaseService::Neptune => "aws_neptune_subnet_group",
                DatabaseService::DocumentDb => "aws_docdb_subnet_group",
                _ => "aws_db_subnet_group",
            },
            Service::Database(db) => match db.service {
                DatabaseService::Rds => "aws_db_instance",
                DatabaseService::Aurora => "aws_rds_cluster",
                DatabaseService::Neptune => "aws_neptune_cluster",
                DatabaseService::DocumentDb => "aws_docdb_cluster",
                DatabaseService::ElastiCache if db.engine() == "memcached" => "aws_elasticache_cluster",
                DatabaseService::ElastiCache => "aws_elasticache_replication_group",
                DatabaseService::Redshift => "aws_redshift_cluster",
                DatabaseService::OpenSearch => "aws_opensearch_domain",
            },
            Service::Compute(c) => match c.kind {
                ComputeKind::LambdaFunction => "aws_lambda_function",
                ComputeKind::EcsService { .. } => "aws_ecs_service",
                ComputeKind::EksCluster { .. } => "aws_eks_cluster",
            },
        }
    }

    /// Its endpoint's DNS name, if it has one.
    pub fn endpoint(&self) -> Option<&'a str> {
        let e = match self {
            Service::Database(x) => &x.endpoint,
            Service::SubnetGroup(_) => return None,
            Service::Compute(x) => &x.endpoint,
        };
        (!e.is_empty()).then_some(e.as_str())
    }
}

/// A link from a managed service to another resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLink {
    pub from: Id,
    /// What it is, e.g. "RDS instance".
    pub from_label: &'static str,
    /// What the link is, in words: "VPC", "subnet group", "security group".
    pub field: String,
    pub to: Id,
    pub strength: Strength,
}

impl Design {
    /// Every managed service, in design order: databases, subnet groups, compute.
    pub fn services(&self) -> impl Iterator<Item = Service<'_>> {
        self.databases
            .iter()
            .map(Service::Database)
            .chain(self.db_subnet_groups.iter().map(Service::SubnetGroup))
            .chain(self.compute_services.iter().map(Service::Compute))
    }

    /// The managed service with this id.
    pub fn find_service(&self, id: &str) -> Option<Service<'_>> {
        self.services().find(|s| s.id() == id)
    }

    pub fn database(&self, id: &str) -> Option<&Database> {
        self.databases.iter().find(|x| x.id == id)
    }

    pub fn db_subnet_group(&self, id: &str) -> Option<&DbSubnetGroup> {
        self.db_subnet_groups.iter().find(|x| x.id == id)
    }

    pub fn compute_service(&self, id: &str) -> Option<&ComputeService> {
        self.compute_services.iter().find(|x| x.id == id)
    }

    /// A managed service by id, else by exact name, else by case-insensitive name, else by its
    /// `Name` tag, else by its endpoint's DNS name. An ambiguous name is an error listing the
    /// candidates.
    pub fn resolve_service(&self, key: &str) -> Result<Service<'_>, String> {
        if let Some(s) = self.find_service(key) {
            return Ok(s);
        }
        let lower = key.trim_end_matches('.').to_ascii_lowercase();
        for pass in 0..4 {
            let hits: Vec<Service<'_>> = self
                .services()
                .filter(|s| match pass {
                    0 => s.name() == key,
                    1 => s.name().eq_ignore_ascii_case(key),
                    2 => self.tag_names.get(s.id()).is_some_and(|t| t == key),
                    _ => s.endpoint().is_some_and(|e| e.eq_ignore_ascii_case(&lower)),
                })
                .collect();
            match hits.len() {
                0 => continue,
                1 => return Ok(hits[0]),
                _ => {
                    let list: Vec<String> = hits.iter().map(|s| format!("{} {}", s.label(), s.id())).collect();
                    return Err(format!("'{key}' names more than one resource: {}; use an id", list.join(", ")));
                }
            }
        }
        Err(format!("no managed service has the id or name '{key}'"))
    }

    /// A managed service or a load balancer by its Terraform address, `<type>.<label>`: the
    /// type its export declares (`aws_db_instance`, `aws_lb` or `aws_alb`, `aws_elb` …) and its
    /// name as a Terraform label. A design imported from Terraform names them by address
    /// already; this finds them in any design.
    pub fn resolve_terraform_address(&self, addr: &str) -> Option<crate::model::Resource<'_>> {
        use crate::model::{LoadBalancerKind, Resource};
        let (ty, label) = addr.trim().split_once('.')?;
        if !ty.starts_with("aws_") || label.is_empty() {
            return None;
        }
        let named = |n: &str| crate::model::text::identifier(n, true, "r") == label;
        if let Some(s) = self.services().find(|s| s.terraform_type() == ty && named(s.name())) {
            return self.find(s.id());
        }
        let lb_type = |k: LoadBalancerKind| match k {
            LoadBalancerKind::Classic => vec!["aws_elb"],
            LoadBalancerKind::Application => vec!["aws_lb", "aws_alb"],
            _ => vec!["aws_lb"],
        };
        self.load_balancers.iter().find(|l| lb_type(l.kind).contains(&ty) && named(&l.name)).map(Resource::LoadBalancer)
    }

    /// The subnets a database may place interfaces in: its subnet group's, else its own (M1).
    pub fn database_subnets<'a>(&'a self, db: &'a Database) -> Vec<&'a Id> {
        match db.subnet_group.as_deref().and_then(|g| self.db_subnet_group(g)) {
            Some(g) => g.subnets.iter().collect(),
            None => db.subnets.iter().collect(),
        }
    }

    /// Every link from a managed service to another resource.
    pub fn service_links(&self) -> Vec<ServiceLink> {
        let mut out = Vec::new();
        let mut push = |s: Service<'_>, field: &str, to: &str, strength| {
            out.push(ServiceLink {
                from: s.id().to_string(),
                from_label: s.label(),
                field: field.to_string(),
                to: to.to_string(),
                strength,
            })
        };
        for s in self.services() {
            push(s, "VPC", s.vpc(), Strength::Owner);
            for i in s.interfaces() {
                push(s, "interface subnet", &i.subnet, Strength::Link);
            }
            match s {
                Service::Database(d) => {
                    if let Some(g) = &d.subnet_group {
                        push(s, "subnet group", g, Strength::Link);
                    }
                    for x in &d.subnets {
                        push(s, "subnet", x, Strength::Link);
                    }
                    for g in &d.security_groups {
                        push(s, "security group", g, Strength::Link);
                    }
                }
                Service::SubnetGroup(g) => {
                    for x in &g.subnets {
                        push(s, "subnet", x, Strength::Link);
                    }
                }
                Service::Compute(c) => {
                    for x in &c.subnets {
                        push(s, "subnet", x, Strength::Link);
                    }
                    for g in c.interface_groups() {
                        push(s, "security group", g, Strength::Link);
                    }
                    if let ComputeKind::EcsService { load_balancers, .. } = &c.kind {
                        for lb in load_balancers {
                            push(s, "target group", &lb.target_group, Strength::Link);
                        }
                    }
                }
            }
        }
        out
    }

    /// The links from managed services to `id`, as references (what a refused delete lists):
    /// its VPC owns a service; a group or target group a service lists is a link.
    pub fn service_references_to(&self, id: &str) -> Vec<crate::model::edit::Reference> {
        self.service_links()
            .into_iter()
            .filter(|l| l.to == id)
            .map(|l| crate::model::edit::Reference {
                from_kind: self.find_service(&l.from).map_or(crate::model::ResourceKind::Database, |s| s.kind()),
                from: l.from,
                field: l.field,
                to: l.to,
                strength: l.strength,
            })
            .collect()
    }

    /// The services with an interface in a subnet, as `name (id)`, each once (M1).
    pub fn subnet_service_interfaces(&self, subnet: &str) -> Vec<String> {
        self.services()
            .filter(|s| s.interfaces().iter().any(|i| i.subnet == subnet))
            .map(|s| s.display_name())
            .collect()
    }

    /// The databases placed through a subnet group, as `name (id)`.
    pub fn subnet_group_users(&self, group: &str) -> Vec<String> {
        self.databases
            .iter()
            .filter(|d| d.subnet_group.as_deref() == Some(group))
            .map(|d| Service::Database(d).display_name())
            .collect()
    }

    /// The managed services that cannot live without one of `gone` (their VPC).
    pub fn services_owned_by(&self, gone: &BTreeSet<Id>) -> BTreeSet<Id> {
        self.services().filter(|s| gone.contains(s.vpc())).map(|s| s.id().to_string()).collect()
    }

    /// Remove the managed services `gone` names, and every link to a resource in `gone`: an
    /// interface in a deleted subnet goes, a deleted group leaves the lists.
    pub fn unlink_services(&mut self, gone: &BTreeSet<Id>) {
        let g = |s: &Id| gone.contains(s);
        self.databases.retain(|x| !g(&x.id));
        self.db_subnet_groups.retain(|x| !g(&x.id));
        self.compute_services.retain(|x| !g(&x.id));
        for d in &mut self.databases {
            if d.subnet_group.as_ref().is_some_and(g) {
                d.subnet_group = None;
            }
            d.subnets.retain(|s| !g(s));
            d.security_groups.retain(|s| !g(s));
            d.interfaces.retain(|i| !g(&i.subnet));
        }
        for x in &mut self.db_subnet_groups {
            x.subnets.retain(|s| !g(s));
        }
        for c in &mut self.compute_services {
            c.subnets.retain(|s| !g(s));
            c.security_groups.retain(|s| !g(s));
            c.interfaces.retain(|i| !g(&i.subnet));
            match &mut c.kind {
                ComputeKind::EcsService { load_balancers, .. } => load_balancers.retain(|l| !g(&l.target_group)),
                ComputeKind::EksCluster { cluster_security_group, .. } => {
                    if cluster_security_group.as_ref().is_some_and(g) {
                        *cluster_security_group = None;
                    }
                }
                ComputeKind::LambdaFunction => {}
            }
        }
    }
}

impl Design {
    /// Whether a target group stands for a classic load balancer's registered instances and
    /// instance port (M6): every load balancer forwarding to it is a classic one, and one does.
    pub fn is_classic_target_group(&self, tg: &str) -> bool {
        let mut users = self
            .load_balancers
            .iter()
            .filter(|l| l.listeners.iter().any(|x| x.target_group.as_deref() == Some(tg)))
            .peekable();
        users.peek().is_some() && users.all(|l| l.kind == crate::model::LoadBalancerKind::Classic)
    }

    /// A classic load balancer's registered instances (the instance targets of the target
    /// groups its listeners forward to, M6), in order, once each.
    pub fn classic_instances<'a>(&'a self, lb: &'a crate::model::LoadBalancer) -> Vec<&'a Id> {
        let mut out: Vec<&Id> = Vec::new();
        for l in &lb.listeners {
            let Some(tg) = l.target_group.as_deref().and_then(|t| self.target_group(t)) else { continue };
            for t in &tg.targets {
                if !out.contains(&&t.id) {
                    out.push(&t.id);
                }
            }
        }
        out
    }
}
