//! [`DesignBuilder`] methods for managed services and the load balancers in front of them, so
//! tests, labs and examples build them as tersely as instances. Inputs are trusted (code, not
//! user input): a malformed literal address panics with a message naming it.

use super::*;
use crate::model::builder::DesignBuilder;
use crate::model::{
    Listener, LoadBalancer, LoadBalancerKind, LoadBalancerNode, LoadBalancerScheme, Protocol, ResourceKind, Target,
    TargetGroup,
};

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap_or_else(|e| panic!("builder: bad address literal {s:?}: {e}"))
}

impl DesignBuilder {
    /// The VPC of a subnet (empty when the subnet is unknown).
    fn vpc_of_subnet(&self, subnet: &str) -> Id {
        self.design.subnet(subnet).map(|s| s.vpc.clone()).unwrap_or_default()
    }

    /// A fresh id `<prefix>-NNNN` no resource or service of the design uses.
    fn service_id(&self, prefix: &str) -> Id {
        let used = |id: &str| self.design.find_service(id).is_some() || self.design.find(id).is_some();
        (1..).map(|n| format!("{prefix}-{n:04}")).find(|id| !used(id)).unwrap_or_default()
    }

    /// A subnet group over the subnets (M1).
    pub fn db_subnet_group(&mut self, name: &str, service: DatabaseService, subnets: &[&str]) -> Id {
        let id = self.service_id("dbsubnet");
        let vpc = subnets.first().map(|s| self.vpc_of_subnet(s)).unwrap_or_default();
        self.design.db_subnet_groups.push(DbSubnetGroup {
            id: id.clone(),
            name: name.into(),
            vpc,
            service,
            subnets: subnets.iter().map(|s| s.to_string()).collect(),
            description: String::new(),
        });
        id
    }

    /// A database placed through `group` with one interface per `(subnet, address)`, in the
    /// given security groups, its endpoint named as AWS would. Not publicly accessible.
    pub fn database(
        &mut self,
        service: DatabaseService,
        name: &str,
        engine: &str,
        group: Option<&str>,
        nics: &[(&str, &str)],
        groups: &[&str],
    ) -> Id {
        let id = self.service_id("db");
        let vpc = nics.first().map(|(s, _)| self.vpc_of_subnet(s)).unwrap_or_default();
        let region = self.design.default_region.clone();
        self.design.databases.push(Database {
            id: id.clone(),
            name: name.into(),
            vpc,
            service,
            engine: engine.into(),
            port: None,
            publicly_accessible: false,
            subnet_group: group.map(str::to_string),
            subnets: if service.uses_subnet_group() {
                Vec::new()
            } else {
                nics.iter().map(|(s, _)| s.to_string()).collect()
            },
            security_groups: groups.iter().map(|g| g.to_string()).collect(),
            multi_az: false,
            interfaces: nics.iter().map(|(s, a)| ServiceInterface::new(*s, ip(a))).collect(),
            endpoint: service.endpoint_name(name, &endpoint_hash(&id), &region),
        });
        id
    }

    /// Make a database publicly accessible (M2), its first interface at `public_ip`.
    pub fn publicly_accessible(&mut self, db: &str, public_ip: &str) {
        if let Some(d) = self.design.databases.iter_mut().find(|d| d.id == db) {
            d.publicly_accessible = true;
            if let Some(i) = d.interfaces.first_mut() {
                i.public_ip = Some(ip(public_ip));
            }
        }
    }

    /// A compute service with one interface per `(subnet, address)` in the given groups.
    pub fn compute(&mut self, kind: ComputeKind, name: &str, nics: &[(&str, &str)], groups: &[&str]) -> Id {
        let prefix = match kind {
            ComputeKind::LambdaFunction => "lambda",
            ComputeKind::EcsService { .. } => "ecs",
            ComputeKind::EksCluster { .. } => "eks",
        };
        let id = self.service_id(prefix);
        let vpc = nics.first().map(|(s, _)| self.vpc_of_subnet(s)).unwrap_or_default();
        let endpoint = match kind {
            ComputeKind::EksCluster { .. } => {
                format!(
                    "{}.gr7.{}.eks.amazonaws.com",
                    endpoint_hash(&id).to_ascii_uppercase(),
                    self.design.default_region
                )
            }
            _ => String::new(),
        };
        let mut subnets: Vec<Id> = Vec::new();
        for (s, _) in nics {
            if !subnets.iter().any(|x| x == s) {
                subnets.push(s.to_string());
            }
        }
        self.design.compute_services.push(ComputeService {
            id: id.clone(),
            name: name.into(),
            vpc,
            kind,
            subnets,
            security_groups: groups.iter().map(|g| g.to_string()).collect(),
            interfaces: nics.iter().map(|(s, a)| ServiceInterface::new(*s, ip(a))).collect(),
            endpoint,
        });
        id
    }

    /// A target group on `port` with targets by instance id or address (`"id"` or `"id:port"`).
    pub fn target_group(&mut self, vpc: &str, name: &str, protocol: Protocol, port: u16, targets: &[&str]) -> Id {
        let id = self.design.new_id(ResourceKind::TargetGroup);
        let targets = targets
            .iter()
            .map(|t| match t.rsplit_once(':') {
                Some((id, p)) if p.parse::<u16>().is_ok() => Target { id: id.into(), port: p.parse().ok() },
                _ => Target { id: t.to_string(), port: None },
            })
            .collect();
        self.design.target_groups.push(TargetGroup {
            id: id.clone(),
            name: name.into(),
            vpc: vpc.into(),
            protocol,
            port,
            targets,
            appliance: Default::default(),
            target_type: None,
        });
        id
    }

    /// A load balancer with one node per `(subnet, private address, public address)`, in the
    /// given groups, forwarding `(port, target group)` listeners (TCP).
    pub fn load_balancer(
        &mut self,
        kind: LoadBalancerKind,
        scheme: LoadBalancerScheme,
        name: &str,
        nodes: &[(&str, &str, Option<&str>)],
        groups: &[&str],
        listeners: &[(u16, &str)],
    ) -> Id {
        let id = self.design.new_id(ResourceKind::LoadBalancer);
        let vpc = nodes.first().map(|(s, _, _)| self.vpc_of_subnet(s)).unwrap_or_default();
        let dns_name =
            format!("{}-{}.{}.elb.amazonaws.com", dns_label(name), endpoint_hash(&id), self.design.default_region);
        self.design.load_balancers.push(LoadBalancer {
            id: id.clone(),
            name: name.into(),
            vpc,
            kind,
            scheme,
            nodes: nodes
                .iter()
                .map(|(s, a, p)| LoadBalancerNode {
                    subnet: s.to_string(),
                    private_ip: ip(a),
                    public_ip: p.map(ip),
                    placeholder: false,
                })
                .collect(),
            security_groups: groups.iter().map(|g| g.to_string()).collect(),
            listeners: listeners
                .iter()
                .map(|(port, tg)| Listener { port: *port, protocol: Protocol::Tcp, target_group: Some(tg.to_string()) })
                .collect(),
            dns_name,
        });
        id
    }
}
