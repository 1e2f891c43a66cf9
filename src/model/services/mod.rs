//! Managed services inside a VPC (rules M1–M9 of `docs/managed-services.md`): databases and
//! caches, and compute (Lambda functions, ECS services, EKS clusters). Each lives in subnets
//! through the network interfaces AWS creates for it (M1), with the service's security groups
//! on them; what else decides its reachability is a field of its own (a database's
//! `publicly_accessible` and port, an EKS cluster's endpoint access).
//!
//! Load balancers are the third family; they live in `endpoints.rs` beside the network load
//! balancers PrivateLink uses.

mod builder;
mod lookup;

pub use lookup::{Service, ServiceLink};

use super::common::{is_false, Id};
use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// A network interface AWS creates for a managed service in one subnet (M1): requester-managed,
/// with the service's security groups, an address from the subnet and, for a publicly
/// accessible database or an ECS task with a public IP, a public address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceInterface {
    pub subnet: Id,
    pub ip: Ipv4Addr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
    /// The real interface id, when a snapshot shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eni: Option<Id>,
    /// The addresses were made up by an import (AWS assigns them).
    #[serde(default, skip_serializing_if = "is_false")]
    pub placeholder: bool,
}

impl ServiceInterface {
    pub fn new(subnet: impl Into<Id>, ip: Ipv4Addr) -> ServiceInterface {
        ServiceInterface { subnet: subnet.into(), ip, public_ip: None, eni: None, placeholder: false }
    }
}

/// Which managed data store a [`Database`] is. The service decides the default port (M3),
/// whether it can be publicly accessible (M2) and how its endpoint name looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum DatabaseService {
    /// An RDS DB instance (MySQL, PostgreSQL, MariaDB, Oracle, SQL Server, Db2).
    #[default]
    Rds,
    /// An Aurora DB cluster (its instances are its interfaces).
    Aurora,
    Redshift,
    Neptune,
    DocumentDb,
    /// An OpenSearch (or Elasticsearch) domain in a VPC.
    OpenSearch,
    /// An ElastiCache cluster or replication group (Redis, Valkey, Memcached).
    ElastiCache,
}

impl DatabaseService {
    /// Every service, in the order forms list them.
    pub const ALL: [DatabaseService; 7] = [
        DatabaseService::Rds,
        DatabaseService::Aurora,
        DatabaseService::Redshift,
        DatabaseService::Neptune,
        DatabaseService::DocumentDb,
        DatabaseService::OpenSearch,
        DatabaseService::ElastiCache,
    ];

    /// A human label, e.g. "RDS instance".
    pub fn label(self) -> &'static str {
        match self {
            DatabaseService::Rds => "RDS instance",
            DatabaseService::Aurora => "Aurora cluster",
            DatabaseService::Redshift => "Redshift cluster",
            DatabaseService::Neptune => "Neptune cluster",
            DatabaseService::DocumentDb => "DocumentDB cluster",
            DatabaseService::OpenSearch => "OpenSearch domain",
            DatabaseService::ElastiCache => "ElastiCache cluster",
        }
    }

    /// M2: only RDS instances (Aurora's included) and Redshift clusters have a
    /// `PubliclyAccessible` switch; Neptune, DocumentDB, ElastiCache and OpenSearch domains in a
    /// VPC are reachable at private addresses only.
    pub fn can_be_public(self) -> bool {
        matches!(self, DatabaseService::Rds | DatabaseService::Aurora | DatabaseService::Redshift)
    }

    /// M3: the port a new database of this service and engine listens on.
    pub fn default_port(self, engine: &str) -> u16 {
        let e = engine.to_ascii_lowercase();
        match self {
            DatabaseService::Rds | DatabaseService::Aurora => {
                if e.contains("postgres") {
                    5432
                } else if e.starts_with("oracle") {
                    1521
                } else if e.starts_with("sqlserver") {
                    1433
                } else if e.starts_with("db2") {
                    50000
                } else {
                    // mysql, mariadb, aurora, aurora-mysql and an unknown engine
                    3306
                }
            }
            DatabaseService::Redshift => 5439,
            DatabaseService::Neptune => 8182,
            DatabaseService::DocumentDb => 27017,
            DatabaseService::OpenSearch => 443,
            DatabaseService::ElastiCache => {
                if e.starts_with("memcached") {
                    11211
                } else {
                    6379
                }
            }
        }
    }

    /// The engine a service runs when the source does not say.
    pub fn default_engine(self) -> &'static str {
        match self {
            DatabaseService::Rds => "mysql",
            DatabaseService::Aurora => "aurora-mysql",
            DatabaseService::Redshift => "redshift",
            DatabaseService::Neptune => "neptune",
            DatabaseService::DocumentDb => "docdb",
            DatabaseService::OpenSearch => "opensearch",
            DatabaseService::ElastiCache => "redis",
        }
    }

    /// The API whose subnet groups it uses (M1): RDS's serve Aurora, Neptune and DocumentDB.
    pub fn subnet_group_api(self) -> DatabaseService {
        match self {
            DatabaseService::Aurora | DatabaseService::Neptune | DatabaseService::DocumentDb => DatabaseService::Rds,
            other => other,
        }
    }

    /// Whether the service places its interfaces through a subnet group (M1); OpenSearch
    /// domains take subnets directly.
    pub fn uses_subnet_group(self) -> bool {
        self != DatabaseService::OpenSearch
    }

    /// The endpoint name AWS gives a database, with `hash` standing for the random part:
    /// `<name>.<hash>.<region>.rds.amazonaws.com` and the like.
    pub fn endpoint_name(self, name: &str, hash: &str, region: &str) -> String {
        let n = dns_label(name);
        match self {
            DatabaseService::Rds => format!("{n}.{hash}.{region}.rds.amazonaws.com"),
            DatabaseService::Aurora => format!("{n}.cluster-{hash}.{region}.rds.amazonaws.com"),
            DatabaseService::Redshift => format!("{n}.{hash}.{region}.redshift.amazonaws.com"),
            DatabaseService::Neptune => format!("{n}.cluster-{hash}.{region}.neptune.amazonaws.com"),
            DatabaseService::DocumentDb => format!("{n}.cluster-{hash}.{region}.docdb.amazonaws.com"),
            DatabaseService::OpenSearch => format!("vpc-{n}-{hash}.{region}.es.amazonaws.com"),
            DatabaseService::ElastiCache => format!("{n}.{hash}.{region}.cache.amazonaws.com"),
        }
    }
}

/// A name as a DNS label: lower case, letters, digits and hyphens.
pub fn dns_label(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .to_string();
    if s.is_empty() {
        "db".to_string()
    } else {
        s.chars().take(63).collect()
    }
}

/// A short, stable stand-in for the random part of an AWS endpoint name (12 base-36 digits of
/// a hash of what it stands for).
pub fn endpoint_hash(of: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in of.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..12)
        .map(|_| {
            let d = (h % 36) as usize;
            h /= 36;
            digits[d] as char
        })
        .collect()
}

/// A managed data store: RDS, Aurora, Redshift, Neptune, DocumentDB, OpenSearch, ElastiCache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    #[serde(default)]
    pub service: DatabaseService,
    /// The engine as AWS spells it (`postgres`, `aurora-mysql`, `redis` …); empty means the
    /// service's default.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub engine: String,
    /// The port it listens on; `None` means the engine's default (M3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// M2: a public address on its interface, and an endpoint name that resolves to it from
    /// outside the VPC.
    #[serde(default, skip_serializing_if = "is_false")]
    pub publicly_accessible: bool,
    /// The subnet group it is placed through (M1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_group: Option<Id>,
    /// Subnets given directly (OpenSearch domains).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Id>,
    /// The groups on its interfaces; the VPC's default group when empty (S5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<Id>,
    /// A standby in another AZ takes over on failure; it accepts no connections meanwhile.
    #[serde(default, skip_serializing_if = "is_false")]
    pub multi_az: bool,
    /// The interfaces that answer: the instance, or one per cluster instance or node (M1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interfaces: Vec<ServiceInterface>,
    /// The endpoint's DNS name, e.g. `orders.abc123.ap-northeast-2.rds.amazonaws.com`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub endpoint: String,
}

impl Database {
    /// The engine, or the service's default one.
    pub fn engine(&self) -> &str {
        if self.engine.is_empty() {
            self.service.default_engine()
        } else {
            &self.engine
        }
    }

    /// The port it listens on (M3).
    pub fn port(&self) -> u16 {
        self.port.unwrap_or_else(|| self.service.default_port(self.engine()))
    }

    /// The ports it takes connections on: its own, and for an OpenSearch domain plain HTTP on
    /// 80 as well (M3).
    pub fn ports(&self) -> Vec<u16> {
        let mut v = vec![self.port()];
        if self.service == DatabaseService::OpenSearch && self.port() != 80 {
            v.push(80);
        }
        v
    }

    /// Whether it takes connections on `port` (M3).
    pub fn listens_on(&self, port: u16) -> bool {
        self.ports().contains(&port)
    }

    /// A label for people: the service's, with the engine ("RDS instance (postgres)").
    pub fn label(&self) -> String {
        format!("{} ({})", self.service.label(), self.engine())
    }
}

/// A subnet group: the subnets a database service may place interfaces in (M1). RDS, Aurora,
/// Neptune and DocumentDB share RDS's kind; ElastiCache and Redshift have their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbSubnetGroup {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    /// The service whose API it belongs to (`Rds` stands for RDS, Aurora, Neptune, DocumentDB).
    #[serde(default)]
    pub service: DatabaseService,
    pub subnets: Vec<Id>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// How an ECS service's tasks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LaunchType {
    #[default]
    Fargate,
    Ec2,
}

/// A target group an ECS service registers its tasks in, and the container port it forwards to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EcsLoadBalancer {
    pub target_group: Id,
    pub container_port: u16,
}

/// What a [`ComputeService`] is, with what decides its reachability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ComputeKind {
    /// A Lambda function with a `VpcConfig` (M7): one shared interface per subnet, outbound
    /// only, never a public address.
    LambdaFunction,
    /// An ECS service with `awsvpc` networking (M8): one interface per task.
    EcsService {
        /// The cluster's name (or id).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        cluster: String,
        #[serde(default)]
        launch_type: LaunchType,
        /// `AssignPublicIp: ENABLED` (Fargate only): each task's interface gets a public address.
        #[serde(default, skip_serializing_if = "is_false")]
        assign_public_ip: bool,
        #[serde(default = "one")]
        desired_count: u32,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        load_balancers: Vec<EcsLoadBalancer>,
    },
    /// An EKS cluster's control plane (M9): a public endpoint limited to CIDRs, and a private
    /// one through cross-account interfaces in the cluster's subnets.
    EksCluster {
        #[serde(default = "super::common::yes")]
        endpoint_public_access: bool,
        #[serde(default, skip_serializing_if = "is_false")]
        endpoint_private_access: bool,
        /// Who may reach the public endpoint; empty means everyone (0.0.0.0/0).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        public_access_cidrs: Vec<Ipv4Net>,
        /// The group EKS creates for the cluster and puts on its interfaces.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cluster_security_group: Option<Id>,
        /// The public endpoint's address (AWS-managed, outside the VPC).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        public_endpoint_ip: Option<Ipv4Addr>,
    },
}

fn one() -> u32 {
    1
}

impl ComputeKind {
    /// A human label: "Lambda function", "ECS service", "EKS cluster".
    pub fn label(&self) -> &'static str {
        match self {
            ComputeKind::LambdaFunction => "Lambda function",
            ComputeKind::EcsService { .. } => "ECS service",
            ComputeKind::EksCluster { .. } => "EKS cluster",
        }
    }
}

/// Compute that runs inside a VPC without being an instance of the design: a Lambda function,
/// an ECS service's tasks, an EKS cluster's control plane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComputeService {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    pub kind: ComputeKind,
    /// The subnets it was given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Id>,
    /// The groups on its interfaces (for an EKS cluster, besides the cluster group).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<Id>,
    /// The interfaces AWS created for it (M7–M9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interfaces: Vec<ServiceInterface>,
    /// An EKS cluster's API server name, e.g. `0123ABCD.gr7.ap-northeast-2.eks.amazonaws.com`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub endpoint: String,
}

impl ComputeService {
    /// Every group on its interfaces: an EKS cluster's own group first, then the given ones.
    pub fn interface_groups(&self) -> Vec<&Id> {
        let mut v: Vec<&Id> = Vec::new();
        if let ComputeKind::EksCluster { cluster_security_group: Some(g), .. } = &self.kind {
            v.push(g);
        }
        for g in &self.security_groups {
            if !v.contains(&g) {
                v.push(g);
            }
        }
        v
    }

    /// M7: nothing can open a connection to a Lambda function.
    pub fn accepts_inbound(&self) -> bool {
        !matches!(self.kind, ComputeKind::LambdaFunction)
    }

    /// M9: the CIDRs the public endpoint of an EKS cluster admits (everyone when none is given).
    pub fn public_access_allows(&self, ip: Ipv4Addr) -> bool {
        match &self.kind {
            ComputeKind::EksCluster { public_access_cidrs, .. } => {
                public_access_cidrs.is_empty() || public_access_cidrs.iter().any(|c| c.contains(&ip))
            }
            _ => false,
        }
    }
}

/// The subnets to put `count` interfaces in, one per Availability Zone first, in the order
/// given, then round again (M1: services spread their interfaces over the zones they may use).
pub fn spread<'a>(subnets: &[(&'a str, &'a str)], count: usize) -> Vec<&'a str> {
    let mut first: Vec<&str> = Vec::new();
    let mut rest: Vec<&str> = Vec::new();
    let mut zones: Vec<&str> = Vec::new();
    for &(s, az) in subnets {
        if zones.contains(&az) {
            rest.push(s);
        } else {
            zones.push(az);
            first.push(s);
        }
    }
    let order: Vec<&str> = first.into_iter().chain(rest).collect();
    if order.is_empty() {
        return Vec::new();
    }
    (0..count).map(|i| order[i % order.len()]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m3_default_ports_follow_the_engine() {
        assert_eq!(DatabaseService::Rds.default_port("postgres"), 5432);
        assert_eq!(DatabaseService::Rds.default_port("mysql"), 3306);
        assert_eq!(DatabaseService::Rds.default_port("sqlserver-ex"), 1433);
        assert_eq!(DatabaseService::Rds.default_port("oracle-ee"), 1521);
        assert_eq!(DatabaseService::Aurora.default_port("aurora-postgresql"), 5432);
        assert_eq!(DatabaseService::Aurora.default_port("aurora-mysql"), 3306);
        assert_eq!(DatabaseService::Redshift.default_port(""), 5439);
        assert_eq!(DatabaseService::Neptune.default_port(""), 8182);
        assert_eq!(DatabaseService::DocumentDb.default_port(""), 27017);
        assert_eq!(DatabaseService::OpenSearch.default_port(""), 443);
        assert_eq!(DatabaseService::ElastiCache.default_port("memcached"), 11211);
        assert_eq!(DatabaseService::ElastiCache.default_port("redis"), 6379);
    }

    #[test]
    fn m2_only_rds_aurora_and_redshift_can_be_public() {
        let public: Vec<DatabaseService> = DatabaseService::ALL.into_iter().filter(|s| s.can_be_public()).collect();
        assert_eq!(public, vec![DatabaseService::Rds, DatabaseService::Aurora, DatabaseService::Redshift]);
    }

    #[test]
    fn spread_takes_one_subnet_per_zone_first() {
        let subnets = [("a1", "a"), ("a2", "a"), ("b1", "b"), ("c1", "c")];
        assert_eq!(spread(&subnets, 3), vec!["a1", "b1", "c1"]);
        assert_eq!(spread(&subnets, 5), vec!["a1", "b1", "c1", "a2", "a1"]);
        assert!(spread(&[], 2).is_empty());
    }

    #[test]
    fn endpoint_names_look_like_aws_and_are_stable() {
        let h = endpoint_hash("db-orders");
        assert_eq!(h.len(), 12);
        assert_eq!(h, endpoint_hash("db-orders"));
        assert_ne!(h, endpoint_hash("db-other"));
        assert_eq!(
            DatabaseService::Rds.endpoint_name("Orders_DB", &h, "us-east-1"),
            format!("orders-db.{h}.us-east-1.rds.amazonaws.com")
        );
    }

    #[test]
    fn m9_public_access_cidrs_default_to_everyone() {
        let mut c = ComputeService {
            id: "eks-1".into(),
            name: "k".into(),
            vpc: "vpc-1".into(),
            kind: ComputeKind::EksCluster {
                endpoint_public_access: true,
                endpoint_private_access: false,
                public_access_cidrs: Vec::new(),
                cluster_security_group: None,
                public_endpoint_ip: None,
            },
            subnets: Vec::new(),
            security_groups: Vec::new(),
            interfaces: Vec::new(),
            endpoint: String::new(),
        };
        assert!(c.public_access_allows(Ipv4Addr::new(198, 51, 100, 10)));
        if let ComputeKind::EksCluster { public_access_cidrs, .. } = &mut c.kind {
            public_access_cidrs.push("203.0.113.0/24".parse().expect("cidr"));
        }
        assert!(!c.public_access_allows(Ipv4Addr::new(198, 51, 100, 10)));
        assert!(c.public_access_allows(Ipv4Addr::new(203, 0, 113, 7)));
    }
}
