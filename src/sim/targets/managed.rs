//! Managed services as destinations (M1–M3, M7–M9): their interfaces take packets like an
//! instance's do (network ACL, then the service's groups), then the service's own rules: a
//! database takes TCP on its port only, a Lambda function takes nothing, an EKS cluster's API
//! server answers TCP 443, and its public endpoint admits only its public access CIDRs.

use crate::model::{ComputeKind, Protocol, Vpc};
use crate::rules::Rule;
use crate::sim::dns::{Asker, Unresolved};
use crate::sim::engine::{dst_text, flow_text, Block, Final, Flow, Step, Via, Walk};
use crate::sim::index::Node;
use crate::sim::managed::Owner;
use crate::sim::result::{Code, Component, Disposition, Header, HopAction};
use std::net::IpAddr;

/// The API server port of an EKS cluster (M9).
const EKS_API_PORT: u16 = 443;

impl Walk<'_, '_> {
    /// A packet reaches the interface of a managed service.
    pub(crate) fn at_managed(&mut self, j: usize, subnet: usize, h: Header) -> Flow {
        let ix = self.ix;
        let node = Node::Managed(j);
        let n = &ix.managed.nodes[j];
        let comp = ix.managed_component(j);
        let what = ix.owner_label(n.owner);
        if self.reply {
            let s = Step::new(
                comp.clone(),
                HopAction::Deliver,
                Rule::S3,
                crate::sim::Explanation::ReceivesReply { who: comp.label() },
            );
            return self.deliver(s, h, Final::Node(node));
        }
        if let Owner::Compute(i) = n.owner {
            if !ix.d.compute_services[i].accepts_inbound() {
                let s = Step::new(
                    comp.clone(),
                    HopAction::Drop,
                    Rule::M7,
                    said!(crate::text!("{} is a Lambda function: its interface only carries connections the function opens; nothing can open one to it", comp.label())),
                );
                return self.stop(
                    s,
                    h,
                    Block::new(
                        Disposition::DeniedIn,
                        Code::ServiceOutboundOnly,
                        crate::text!("invoke the function through Lambda (an API call or an event source), or trace from it instead"),
                    ),
                );
            }
        }
        if let Some(vpc) = ix.vpc_of(subnet) {
            self.security_groups(node, &n.sgs, false, vpc, h);
        }
        if let Some(flow) = self.service_port(j, &comp, &what, h) {
            return flow;
        }
        let s = Step::new(
            comp.clone(),
            HopAction::Deliver,
            Rule::M1,
            said!(crate::text!(
                "{} ({what}) receives {} at its interface in {}",
                comp.label(),
                flow_text(&h),
                ix.d.subnets[subnet].id
            )),
        );
        self.deliver(s, h, Final::Node(node))
    }

    /// M3, M9: what a service listens on. `Some` when the packet stops here.
    fn service_port(&mut self, j: usize, comp: &Component, what: &str, h: Header) -> Option<Flow> {
        let ix = self.ix;
        let (ports, rule): (Vec<u16>, Rule) = match ix.managed.nodes[j].owner {
            Owner::Database(i) => (ix.d.databases[i].ports(), Rule::M3),
            Owner::Compute(i) => match ix.d.compute_services[i].kind {
                ComputeKind::EksCluster { .. } => (vec![EKS_API_PORT], Rule::M9),
                _ => return None,
            },
        };
        let list = ports.iter().map(u16::to_string).collect::<Vec<_>>().join(" and ");
        if h.protocol != Protocol::Tcp {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                rule,
                said!(crate::text!(
                    "{} ({what}) takes TCP connections on port {list} only, not {}",
                    comp.label(),
                    h.protocol
                )),
            );
            return Some(self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::ProtocolRestriction,
                    said!(crate::text!("connect with TCP to port {list}")),
                ),
            ));
        }
        if h.dst_port.is_some_and(|p| ports.contains(&p)) {
            return None;
        }
        let s = Step::new(
            comp.clone(),
            HopAction::Drop,
            rule,
            said!(crate::text!(
                "{} ({what}) listens on port {list} only; nothing answers {}",
                comp.label(),
                h.dst_port.map_or("-".to_string(), |p| p.to_string())
            )),
        );
        Some(self.stop(
            s,
            h,
            Block::new(
                Disposition::DeniedIn,
                Code::ServicePortRestriction,
                said!(crate::text!("connect to port {list}")),
            ),
        ))
    }

    /// A packet on the internet reaches an EKS cluster's public endpoint (M9): TCP 443 from an
    /// address in its public access CIDRs.
    pub(crate) fn public_endpoint(&mut self, c: usize, h: Header) -> Flow {
        let ix = self.ix;
        let cluster = &ix.d.compute_services[c];
        let comp = ix.owner_component(Owner::Compute(c));
        if h.protocol != Protocol::Tcp || h.dst_port != Some(EKS_API_PORT) {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::M9,
                said!(crate::text!(
                    "the public endpoint of {} answers TCP {EKS_API_PORT} only, not {}",
                    comp.label(),
                    flow_text(&h)
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::DeniedIn,
                    Code::ServicePortRestriction,
                    said!(crate::text!("connect with TCP to port {EKS_API_PORT}")),
                ),
            );
        }
        let cidrs = match &cluster.kind {
            ComputeKind::EksCluster { public_access_cidrs, .. } if !public_access_cidrs.is_empty() => {
                public_access_cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
            }
            _ => "0.0.0.0/0".to_string(),
        };
        let admitted = match h.src {
            IpAddr::V4(a) => cluster.public_access_allows(a),
            IpAddr::V6(_) => false,
        };
        if !admitted {
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::M9,
                said!(crate::text!(
                    "the public endpoint of {} admits only {cidrs}, and {} is not among them",
                    comp.label(),
                    h.src
                )),
            )
            .matched(said!(crate::text!("public access CIDRs: {cidrs}")));
            let fix = crate::text!(
                "add {}/32 (the address the client reaches the internet from) to the public access CIDRs of {}, or turn on private access and call it from inside the VPC",
                h.src, cluster.id
            );
            return self.stop(s, h, Block::new(Disposition::DeniedIn, Code::EksPublicAccessCidrRestriction, fix));
        }
        let s = Step::new(
            comp.clone(),
            HopAction::Deliver,
            Rule::M9,
            said!(crate::text!(
                "the public endpoint of {} admits {}: it is in its public access CIDRs",
                comp.label(),
                h.src
            )),
        )
        .matched(said!(crate::text!("public access CIDRs: {cidrs}")));
        self.deliver(s, h, Final::PublicEndpoint(c))
    }

    /// The public endpoint of an EKS cluster answers; the reply crosses the internet back.
    pub(crate) fn public_endpoint_reply(&mut self, c: usize, h: Header) -> Flow {
        let comp = self.ix.owner_component(Owner::Compute(c));
        let s = Step::new(
            comp.clone(),
            HopAction::Reply,
            Rule::M9,
            said!(crate::text!("the public endpoint of {} answers {}", comp.label(), dst_text(&h))),
        );
        self.pass(s, h, h);
        self.via = Via::Gateway;
        self.igw_ingress(h)
    }

    /// A managed service's endpoint name (M2, M9): the private address inside its VPC, the public
    /// one outside when it has one, else the private one. Records a `resolve` hop.
    pub(crate) fn resolve_managed(
        &mut self,
        o: Owner,
        name: &str,
        asker: Asker<'_>,
        resolver: Component,
        mut h: Header,
    ) -> Result<IpAddr, Unresolved> {
        let ix = self.ix;
        let comp = ix.owner_component(o);
        let id = comp.id.clone();
        let nodes: Vec<usize> = ix.managed.by_id.get(id.as_str()).cloned().map(|r| r.collect()).unwrap_or_default();
        let az_of = |j: usize| ix.managed.nodes[j].subnet.map(|s| ix.d.subnets[s].az.as_str());
        let near =
            nodes.iter().copied().find(|&j| asker.az.is_some() && az_of(j) == asker.az).or(nodes.first().copied());
        let own_vpc = nodes.first().and_then(|&j| ix.managed.nodes[j].subnet).and_then(|s| ix.vpc_of(s));
        let inside = asker.vpc.is_some() && asker.vpc == own_vpc;
        let private = near.map(|j| IpAddr::V4(ix.managed.nodes[j].ip));
        let (ip, rule, why) = match o {
            Owner::Database(i) => {
                let db = &ix.d.databases[i];
                let public = near.and_then(|j| ix.managed.nodes[j].public).map(IpAddr::V4);
                let (ip, why) = match (inside, db.publicly_accessible, public) {
                    (true, true, _) => (
                        private,
                        crate::text!(
                            "a publicly accessible database's name resolves to its private address from inside its VPC"
                        ),
                    ),
                    (false, true, Some(p)) => (
                        Some(p),
                        crate::text!(
                            "a publicly accessible database's name resolves to its public address from outside its VPC"
                        ),
                    ),
                    _ => (
                        private,
                        crate::text!(
                            "the name of a database that is not publicly accessible resolves to its private address"
                        ),
                    ),
                };
                (ip, Rule::M2, why)
            }
            Owner::Compute(i) => {
                let c = &ix.d.compute_services[i];
                let ComputeKind::EksCluster {
                    endpoint_public_access, endpoint_private_access, public_endpoint_ip, ..
                } = &c.kind
                else {
                    return Err((
                        Disposition::InsufficientInfo,
                        Code::UnknownDestination,
                        crate::text!("{name} names no endpoint"),
                    ));
                };
                let dns_on = own_vpc
                    .map(|v| &ix.d.vpcs[v])
                    .is_some_and(|v: &Vpc| v.enable_dns_support && v.enable_dns_hostnames);
                let public = public_endpoint_ip.map(IpAddr::V4).filter(|_| *endpoint_public_access);
                if *endpoint_private_access && inside && dns_on {
                    (
                        private,
                        Rule::M9,
                        crate::text!(
                            "with private access on, the cluster's name resolves to its interfaces inside its VPC"
                        ),
                    )
                } else if let Some(p) = public {
                    let why = if *endpoint_private_access && inside {
                        crate::text!("private access is on, but the VPC has DNS support or hostnames off, so the name resolves to the public endpoint")
                    } else {
                        crate::text!("the cluster's name resolves to its public endpoint")
                    };
                    (Some(p), Rule::M9, why)
                } else {
                    (
                        private,
                        Rule::M9,
                        crate::text!("with public access off, the cluster's name resolves to its private interfaces"),
                    )
                }
            }
        };
        let Some(ip) = ip else {
            return Err((
                Disposition::InsufficientInfo,
                Code::UnknownDestination,
                crate::text!("{name} names {id}, which has no interface in the design"),
            ));
        };
        h.dst = ip;
        let s = Step::new(
            resolver,
            HopAction::Resolve,
            rule,
            said!(crate::text!("{name} is {}'s endpoint: {why}, here {ip}", comp.label()).with("why", why.clone())),
        )
        .matched(said!(crate::sim::explain::Matched::Record {
            name: name.to_string(),
            ip,
            answer: crate::sim::explain::Answer::A,
            zone: None,
        }));
        self.pass(s, h, h);
        Ok(ip)
    }
}
