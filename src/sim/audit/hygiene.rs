//! Private subnets cut off from the services they likely need, NAT paths that depend on
//! another Availability Zone, and interface endpoints that clients bypass.

use super::{AuditFinding, AuditSeverity};
use crate::model::Protocol;
use crate::model::{Design, EndpointKind, RouteTarget, ServiceCatalog};
use crate::model::{NatGateway, RouteTable, Subnet, Vpc};
use crate::sim::reach::{self, Party, ReachOptions};
use std::collections::HashMap;

/// Services a private subnet's workloads usually need: object storage, container images,
/// Systems Manager.
const NEEDED: [&str; 4] = ["s3", "ecr.api", "ecr.dkr", "ssm"];

/// The design's lookups by id, built once: `Design::subnet_route_table` and friends search
/// the whole design per call, which is quadratic over every subnet of a large design.
struct Lookup<'d> {
    vpcs: HashMap<&'d str, &'d Vpc>,
    subnets: HashMap<&'d str, &'d Subnet>,
    nats: HashMap<&'d str, &'d NatGateway>,
    /// Explicit associations, then each VPC's main table (R1).
    explicit: HashMap<&'d str, &'d RouteTable>,
    main: HashMap<&'d str, &'d RouteTable>,
}

impl<'d> Lookup<'d> {
    fn new(d: &'d Design) -> Lookup<'d> {
        let mut explicit = HashMap::new();
        let mut main = HashMap::new();
        for rt in &d.route_tables {
            for s in &rt.subnets {
                explicit.entry(s.as_str()).or_insert(rt);
            }
            if rt.main {
                main.entry(rt.vpc.as_str()).or_insert(rt);
            }
        }
        Lookup {
            vpcs: d.vpcs.iter().rev().map(|v| (v.id.as_str(), v)).collect(),
            subnets: d.subnets.iter().rev().map(|s| (s.id.as_str(), s)).collect(),
            nats: d.nat_gateways.iter().rev().map(|n| (n.id.as_str(), n)).collect(),
            explicit,
            main,
        }
    }

    /// What `Design::subnet_route_table` answers (R1).
    fn route_table(&self, s: &Subnet) -> Option<&'d RouteTable> {
        self.explicit.get(s.id.as_str()).or_else(|| self.main.get(s.vpc.as_str())).copied()
    }

    /// A subnet is public when its route table sends something to an internet gateway (R9).
    fn is_public(&self, s: &Subnet) -> bool {
        self.route_table(s)
            .is_some_and(|rt| rt.routes.iter().any(|r| matches!(r.target, RouteTarget::InternetGateway(_))))
    }
}

/// Private subnets (R9) from which S3, ECR or SSM cannot be reached on tcp/443: no NAT path and
/// no endpoint. Decided by the reachability matrix (so by the trace engine).
pub(super) fn unreachable_services(d: &Design) -> Vec<AuditFinding> {
    let cat = ServiceCatalog::builtin();
    let look = Lookup::new(d);
    let private: Vec<usize> = d
        .subnets
        .iter()
        .enumerate()
        // IPv6-only subnets have no (IPv4) hypothetical interface to trace from.
        .filter(|(_, s)| {
            s.cidr.is_some() && look.vpcs.get(s.vpc.as_str()).is_some_and(|v| !v.external) && !look.is_public(s)
        })
        .map(|(i, _)| i)
        .collect();
    if private.is_empty() {
        return Vec::new();
    }
    let region_of = |i: usize| {
        look.vpcs.get(d.subnets[i].vpc.as_str()).map_or_else(|| d.default_region.clone(), |v| v.region.clone())
    };
    let mut names: Vec<String> = Vec::new();
    for &i in &private {
        for short in NEEDED {
            if let Some(s) = cat.service(&region_of(i), short) {
                if !names.contains(&s.dns_name) {
                    names.push(s.dns_name.clone());
                }
            }
        }
    }
    let o = ReachOptions {
        sources: private.iter().map(|&i| Party::Subnet(i)).collect(),
        destinations: names.iter().cloned().map(Party::Service).collect(),
        protocol: Protocol::Tcp,
        ports: vec![Some(443)],
        family: reach::Family::Ipv4,
    };
    let Ok(m) = reach::compute(d, &o) else { return Vec::new() };
    let mut out = Vec::new();
    for (r, &i) in private.iter().enumerate() {
        let region = region_of(i);
        let mut missing = Vec::new();
        let mut path = Vec::new();
        for short in NEEDED {
            let Some(s) = cat.service(&region, short) else { continue };
            let Some(c) = names.iter().position(|n| *n == s.dns_name) else { continue };
            let cell = m.cell(0, r, c);
            if !cell.delivered() {
                missing.push(short);
                path.push(format!("{}: {}", s.dns_name, cell.text()));
            }
        }
        if missing.is_empty() {
            continue;
        }
        let s = &d.subnets[i];
        out.push(
            AuditFinding::new(
                AuditSeverity::Medium,
                "PRIVATE_SUBNET_NO_SERVICE_PATH",
                "G2",
                vec![s.id.clone(), s.vpc.clone()],
                crate::text!(
                    "private subnet {} cannot reach {} on tcp/443: no NAT gateway path and no endpoint",
                    if s.name.is_empty() { &s.id } else { &s.name },
                    missing.join(", ")
                ),
                "add a gateway endpoint for S3 and interface endpoints for ECR and SSM, or a route 0.0.0.0/0 → a NAT gateway",
            )
            .with_path(vec![path.join("; ")]),
        );
    }
    out
}

/// Subnets whose route to a NAT gateway leads to another Availability Zone: an outage there
/// cuts them off (N1, N3).
pub(super) fn nat_across_zones(d: &Design) -> Vec<AuditFinding> {
    let mut out = Vec::new();
    let look = Lookup::new(d);
    for s in &d.subnets {
        let Some(rt) = look.route_table(s) else { continue };
        for r in &rt.routes {
            let RouteTarget::NatGateway(n) = &r.target else { continue };
            let Some(nat) = look.nats.get(n.as_str()) else { continue };
            // N9: a regional NAT gateway serves every AZ; only a zonal one has an AZ to cross.
            let Some(ns) = nat.subnet.as_deref().and_then(|x| look.subnets.get(x)) else { continue };
            if ns.az == s.az {
                continue;
            }
            out.push(
                AuditFinding::new(
                    AuditSeverity::Medium,
                    "NAT_CROSS_AZ",
                    "N3",
                    vec![s.id.clone(), rt.id.clone(), nat.id.clone()],
                    crate::text!(
                        "{} in {} reaches {} through {}, a NAT gateway in {}: an outage of {} cuts it off",
                        if s.name.is_empty() { &s.id } else { &s.name },
                        s.az,
                        r.destination,
                        nat.id,
                        ns.az,
                        ns.az
                    ),
                    crate::text!("give {} a NAT gateway of its own and route {} to it", s.az, r.destination),
                )
                .with_path(vec![
                    format!("{} {} → {}", rt.id, r.destination, nat.id),
                    format!("{} in {}", nat.id, ns.az),
                ]),
            );
        }
    }
    out
}

/// Interface endpoints for AWS services with private DNS off in a VPC that resolves names:
/// clients resolve the service's public name and go around the endpoint (E4).
pub(super) fn endpoint_private_dns_off(d: &Design) -> Vec<AuditFinding> {
    let cat = ServiceCatalog::builtin();
    let mut out = Vec::new();
    for e in &d.endpoints {
        if e.kind != EndpointKind::Interface || e.private_dns_enabled {
            continue;
        }
        let Some(v) = d.vpc(&e.vpc) else { continue };
        if !v.enable_dns_support {
            continue;
        }
        let Some(svc) = cat.by_service_name(&e.service_name).or_else(|| cat.service(&v.region, &e.service_name)) else {
            continue;
        };
        out.push(AuditFinding::new(
            AuditSeverity::Low,
            "ENDPOINT_PRIVATE_DNS_OFF",
            "E4",
            vec![e.id.clone(), v.id.clone()],
            crate::text!(
                "{} has private DNS off: clients in {} resolve {} to the public address and go around the endpoint",
                e.id,
                v.id,
                svc.dns_name
            ),
            crate::text!("turn on private DNS on {} (and DNS hostnames and support on {})", e.id, v.id),
        ));
    }
    out
}
