//! Managed services in the trace index: every interface AWS creates for a database or a
//! compute service is a node the engine sends from and delivers to like any other (M1), with
//! the service's groups. What differs by service (ports, outbound only, the EKS public
//! endpoint) is decided in `targets/managed.rs`.

use super::index::HashMap;
use super::index::{Node, TraceIndex};
use super::result::{Component, ComponentKind};
use super::trace::Source;
use crate::model::{ComputeKind, Design};
use std::net::{IpAddr, Ipv4Addr};
use std::ops::Range;

/// Whose interface a managed node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// A database of `Design::databases`.
    Database(usize),
    /// A compute service of `Design::compute_services`.
    Compute(usize),
}

/// One interface of a managed service.
#[derive(Debug, Clone)]
pub(crate) struct ManagedNode {
    pub owner: Owner,
    pub subnet: Option<usize>,
    /// The groups on it (S2): the service's, else its VPC's default group (S5).
    pub sgs: Vec<usize>,
    pub ip: Ipv4Addr,
    pub public: Option<Ipv4Addr>,
}

/// The managed services of a design, indexed for the trace.
#[derive(Debug, Default)]
pub(crate) struct ManagedIndex<'a> {
    pub nodes: Vec<ManagedNode>,
    /// Service id → its nodes, a range of `nodes`.
    pub by_id: HashMap<&'a str, Range<usize>>,
    /// Endpoint name (lower case) → its owner.
    pub by_dns: HashMap<String, Owner>,
    /// An EKS cluster's public endpoint address → the compute service (M9).
    pub eks_public: HashMap<Ipv4Addr, usize>,
    /// Target group → the ECS tasks registered in it: (node, container port) (M8).
    pub tg_tasks: HashMap<usize, Vec<(usize, u16)>>,
}

/// What the index needs of the rest of the trace index while it is being built.
pub(crate) struct Lookups<'m, 'a> {
    pub subnet_ix: &'m HashMap<&'a str, usize>,
    pub sg_ix: &'m HashMap<&'a str, usize>,
    pub tg_ix: &'m HashMap<&'a str, usize>,
    pub subnet_vpc: &'m [Option<usize>],
    pub vpc_default_sg: &'m [Option<usize>],
}

impl<'a> ManagedIndex<'a> {
    /// Index every interface of every managed service, and register their addresses (private
    /// per VPC, public) with the trace index's maps.
    pub(crate) fn build(
        d: &'a Design,
        l: &Lookups<'_, 'a>,
        by_private: &mut HashMap<(usize, IpAddr), Node>,
        by_public: &mut HashMap<Ipv4Addr, Node>,
    ) -> ManagedIndex<'a> {
        let mut m = ManagedIndex::default();
        let vpc_of = |s: Option<usize>| s.and_then(|s| l.subnet_vpc.get(s).copied().flatten());
        let groups = |list: Vec<&'a String>, subnet: Option<usize>| -> Vec<usize> {
            if list.is_empty() {
                // S5: no group given means the VPC's default group.
                vpc_of(subnet).and_then(|v| l.vpc_default_sg.get(v).copied().flatten()).into_iter().collect()
            } else {
                list.iter().filter_map(|g| l.sg_ix.get(g.as_str()).copied()).collect()
            }
        };
        let mut add = |m: &mut ManagedIndex<'a>,
                       owner: Owner,
                       id: &'a str,
                       ifaces: &'a [crate::model::ServiceInterface],
                       sgs: Vec<&'a String>| {
            let start = m.nodes.len();
            for f in ifaces {
                let subnet = l.subnet_ix.get(f.subnet.as_str()).copied();
                let j = m.nodes.len();
                if let Some(v) = vpc_of(subnet) {
                    by_private.entry((v, IpAddr::V4(f.ip))).or_insert(Node::Managed(j));
                }
                if let Some(p) = f.public_ip {
                    by_public.entry(p).or_insert(Node::Managed(j));
                }
                m.nodes.push(ManagedNode {
                    owner,
                    subnet,
                    sgs: groups(sgs.clone(), subnet),
                    ip: f.ip,
                    public: f.public_ip,
                });
            }
            m.by_id.entry(id).or_insert(start..m.nodes.len());
        };
        for (i, db) in d.databases.iter().enumerate() {
            add(&mut m, Owner::Database(i), &db.id, &db.interfaces, db.security_groups.iter().collect());
            if !db.endpoint.is_empty() {
                m.by_dns.entry(db.endpoint.to_ascii_lowercase()).or_insert(Owner::Database(i));
            }
        }
        for (i, c) in d.compute_services.iter().enumerate() {
            add(&mut m, Owner::Compute(i), &c.id, &c.interfaces, c.interface_groups());
            if !c.endpoint.is_empty() {
                m.by_dns.entry(c.endpoint.to_ascii_lowercase()).or_insert(Owner::Compute(i));
            }
            match &c.kind {
                ComputeKind::EksCluster { endpoint_public_access: true, public_endpoint_ip: Some(p), .. } => {
                    m.eks_public.entry(*p).or_insert(i);
                }
                ComputeKind::EcsService { load_balancers, .. } => {
                    let nodes = m.by_id.get(c.id.as_str()).cloned().unwrap_or(0..0);
                    for lb in load_balancers {
                        if let Some(&tg) = l.tg_ix.get(lb.target_group.as_str()) {
                            let list = m.tg_tasks.entry(tg).or_default();
                            list.extend(nodes.clone().map(|j| (j, lb.container_port)));
                        }
                    }
                }
                _ => {}
            }
        }
        m
    }
}

impl<'a> TraceIndex<'a> {
    /// The component a managed node appears as in hops: the service itself.
    pub(crate) fn managed_component(&self, j: usize) -> Component {
        self.owner_component(self.managed.nodes[j].owner)
    }

    /// The component of a managed service.
    pub(crate) fn owner_component(&self, o: Owner) -> Component {
        match o {
            Owner::Database(i) => {
                let db = &self.d.databases[i];
                Component::new(ComponentKind::Database, db.id.clone(), db.name.clone())
            }
            Owner::Compute(i) => {
                let c = &self.d.compute_services[i];
                let kind = match c.kind {
                    ComputeKind::LambdaFunction => ComponentKind::LambdaFunction,
                    ComputeKind::EcsService { .. } => ComponentKind::EcsTask,
                    ComputeKind::EksCluster { .. } => ComponentKind::EksCluster,
                };
                Component::new(kind, c.id.clone(), c.name.clone())
            }
        }
    }

    /// What a managed service is, in words ("RDS instance (postgres)", "Lambda function").
    pub(crate) fn owner_label(&self, o: Owner) -> String {
        match o {
            Owner::Database(i) => self.d.databases[i].label(),
            Owner::Compute(i) => self.d.compute_services[i].kind.label().to_string(),
        }
    }

    /// The nodes of a managed service by id (`None` when the id is not one).
    pub(crate) fn managed_nodes(&self, id: &str) -> Option<Vec<Node>> {
        self.managed.by_id.get(id).map(|r| r.clone().map(Node::Managed).collect())
    }

    /// The managed service whose endpoint has this (lower-case) name.
    pub(crate) fn managed_by_name(&self, name: &str) -> Option<Owner> {
        self.managed.by_dns.get(name).copied()
    }

    /// The EKS cluster whose public endpoint this is (M9).
    pub(crate) fn eks_public_endpoint(&self, ip: IpAddr) -> Option<usize> {
        let IpAddr::V4(a) = ip else { return None };
        self.managed.eks_public.get(&a).copied()
    }

    /// Why a managed node cannot use an internet gateway, and what to do (I2, M7, M8).
    pub(crate) fn managed_no_public_ip(&self, j: usize) -> (crate::l10n::Text, crate::l10n::Text) {
        let n = &self.managed.nodes[j];
        let who = self.managed_component(j).label();
        match n.owner {
            Owner::Compute(i) => match &self.d.compute_services[i].kind {
                ComputeKind::LambdaFunction => (
                    said!(crate::text!("{who} is a Lambda function: it never has a public address, even in a public subnet, so the internet gateway cannot translate it (M7)")),
                    crate::text!("route 0.0.0.0/0 from its subnets through a NAT gateway, or reach AWS services through VPC endpoints"),
                ),
                ComputeKind::EcsService { .. } => (
                    said!(crate::text!("the task of {who} has no public address, so the internet gateway cannot translate it (I2, M8)")),
                    crate::text!("turn on AssignPublicIp (Fargate), or route 0.0.0.0/0 through a NAT gateway"),
                ),
                ComputeKind::EksCluster { .. } => (
                    said!(crate::text!("{who}'s interfaces have no public address (M9)")),
                    crate::text!("route 0.0.0.0/0 through a NAT gateway"),
                ),
            },
            Owner::Database(i) => {
                let db = &self.d.databases[i];
                let fix = if db.service.can_be_public() {
                    crate::text!("make {} publicly accessible, or reach it from inside the VPC", db.id)
                } else {
                    crate::text!("{} is reachable at private addresses only (M2)", db.id)
                };
                (said!(crate::text!("{who} has no public address, so the internet gateway cannot translate it (I2, M2)")), fix)
            }
        }
    }

    /// The address a managed service has as a destination seen from `src` (M2, M9). `None`
    /// when `id` is not a managed service or the generic rule applies (nearest interface,
    /// public from outside when it has one).
    pub(crate) fn managed_destination(&self, src: &Source, id: &str) -> Option<Result<IpAddr, crate::l10n::Text>> {
        let range = self.managed.by_id.get(id)?;
        let first = self.managed.nodes.get(range.start)?;
        let Owner::Compute(i) = first.owner else { return None };
        let c = &self.d.compute_services[i];
        let ComputeKind::EksCluster { endpoint_public_access, endpoint_private_access, public_endpoint_ip, .. } =
            &c.kind
        else {
            return None;
        };
        let src_vpc = match src {
            Source::Node(n) => self.node_subnet(*n).and_then(|s| self.vpc_of(s)),
            _ => None,
        };
        let cluster_vpc = first.subnet.and_then(|s| self.vpc_of(s));
        let inside = src_vpc.is_some() && src_vpc == cluster_vpc;
        // M9: inside the VPC with private access on, the private endpoint; else the public one.
        if *endpoint_private_access && (inside || !*endpoint_public_access) {
            return Some(Ok(IpAddr::V4(first.ip)));
        }
        match (endpoint_public_access, public_endpoint_ip) {
            (true, Some(p)) => Some(Ok(IpAddr::V4(*p))),
            (true, None) => Some(Err(crate::text!("{id}'s public endpoint has no address in the design"))),
            (false, _) => Some(Err(crate::text!("{id} has neither public nor private endpoint access (M9)"))),
        }
    }
}
