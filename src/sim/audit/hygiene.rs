//! Private subnets cut off from the services they likely need, NAT paths that depend on
//! another Availability Zone, and interface endpoints that clients bypass.

use super::{AuditFinding, AuditSeverity, PathEntry};
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
/// no endpoint. Decided by the reachability matrices (so by the trace engine): the IPv4 one for
/// subnets with an IPv4 block, the IPv6 one, to the services' dual-stack names, for subnets
/// with an IPv6 block. A dual-stack subnet cut off over IPv4 that reaches a service over IPv6
/// is still reported (only clients that use the dual-stack endpoint get there), with that
/// said; an IPv6-only subnet is reported for what it cannot reach over IPv6. Services without
/// a dual-stack name in the catalog are not traced over IPv6, and the text says so.
pub(super) fn unreachable_services(d: &Design) -> Vec<AuditFinding> {
    let cat = ServiceCatalog::builtin();
    let look = Lookup::new(d);
    let private: Vec<usize> = d
        .subnets
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            (s.cidr.is_some() || s.ipv6_cidr.is_some())
                && look.vpcs.get(s.vpc.as_str()).is_some_and(|v| !v.external)
                && !look.is_public(s)
        })
        .map(|(i, _)| i)
        .collect();
    if private.is_empty() {
        return Vec::new();
    }
    let region_of = |i: usize| {
        look.vpcs.get(d.subnets[i].vpc.as_str()).map_or_else(|| d.default_region.clone(), |v| v.region.clone())
    };
    // One matrix per family: its rows (subnets) and columns (service names).
    let matrix = |family: reach::Family| {
        let rows: Vec<usize> = private.iter().copied().filter(|&i| family.applies_to(&d.subnets[i])).collect();
        let mut names: Vec<String> = Vec::new();
        for &i in &rows {
            for short in NEEDED {
                let name = cat.service(&region_of(i), short).and_then(|s| match family {
                    reach::Family::Ipv4 => Some(s.dns_name.clone()),
                    reach::Family::Ipv6 => s.dualstack_dns_name.clone(),
                });
                if let Some(n) = name.filter(|n| !names.contains(n)) {
                    names.push(n);
                }
            }
        }
        if rows.is_empty() || names.is_empty() {
            return None;
        }
        let o = ReachOptions {
            sources: rows.iter().map(|&i| Party::Subnet(i)).collect(),
            destinations: names.iter().cloned().map(Party::Service).collect(),
            protocol: Protocol::Tcp,
            ports: vec![Some(443)],
            family,
        };
        let m = reach::compute(d, &o).ok()?;
        Some((rows, names, m))
    };
    let (m4, m6) = (matrix(reach::Family::Ipv4), matrix(reach::Family::Ipv6));
    // Per subnet and needed service of its region: the cell, or `None` when not traced.
    let cell = |m: &Option<(Vec<usize>, Vec<String>, reach::Matrix)>, i: usize, name: Option<&String>| {
        let (rows, names, m) = m.as_ref()?;
        let r = rows.iter().position(|&x| x == i)?;
        let c = names.iter().position(|n| Some(n) == name)?;
        Some(m.cell(0, r, c))
    };
    let mut out = Vec::new();
    for &i in &private {
        let region = region_of(i);
        let s = &d.subnets[i];
        let label = if s.name.is_empty() { &s.id } else { &s.name };
        let mut missing = Vec::new();
        let mut path = Vec::new();
        // Over IPv4: what it cannot reach; of those, what it reaches over IPv6.
        let mut via6 = Vec::new();
        let mut untraced6 = Vec::new();
        let mut missing6 = Vec::new();
        let mut path6 = Vec::new();
        for short in NEEDED {
            let Some(svc) = cat.service(&region, short) else { continue };
            let six = cell(&m6, i, svc.dualstack_dns_name.as_ref());
            if s.ipv6_cidr.is_some() && six.is_none() {
                untraced6.push(short);
            }
            if let Some(c) = six.as_ref().filter(|c| !c.delivered()) {
                missing6.push(short);
                path6.push((svc.dualstack_dns_name.clone().unwrap_or_default(), c.clone()));
            }
            let Some(c) = cell(&m4, i, Some(&svc.dns_name)) else { continue };
            if !c.delivered() {
                missing.push(short);
                path.push((svc.dns_name.clone(), c.clone()));
                if six.as_ref().is_some_and(|c| c.delivered()) {
                    via6.push(short);
                }
            }
        }
        if s.cidr.is_some() {
            if missing.is_empty() {
                continue;
            }
            let message = if via6.is_empty() {
                crate::text!(
                    "private subnet {} cannot reach {} on tcp/443: no NAT gateway path and no endpoint",
                    label,
                    missing.join(", ")
                )
            } else {
                let (missing, via6) = (missing.join(", "), via6.join(", "));
                crate::text!(
                    "private subnet {label} cannot reach {missing} on tcp/443 over IPv4: no NAT gateway path and no endpoint; over IPv6 it reaches {via6}, but only clients that use the services' dual-stack endpoints (the AWS SDKs' use_dualstack_endpoint) go that way"
                )
            };
            // Cut off over IPv4 only where IPv6 reaches everything missing: less severe.
            let severity = if via6.len() == missing.len() { AuditSeverity::Low } else { AuditSeverity::Medium };
            out.push(
                AuditFinding::new(
                    severity,
                    "PRIVATE_SUBNET_NO_SERVICE_PATH",
                    "G2",
                    vec![s.id.clone(), s.vpc.clone()],
                    message,
                    "add a gateway endpoint for S3 and interface endpoints for ECR and SSM, or a route 0.0.0.0/0 → a NAT gateway",
                )
                .with_path(vec![PathEntry::services(path)]),
            );
            continue;
        }
        // IPv6-only: what it cannot reach over IPv6, and what vpcraft cannot tell.
        if missing6.is_empty() && untraced6.is_empty() {
            continue;
        }
        let (missing6, untraced6) = (missing6.join(", "), untraced6.join(", "));
        let message = match (missing6.is_empty(), untraced6.is_empty()) {
            (false, true) => crate::text!(
                "IPv6-only private subnet {label} cannot reach {missing6} on tcp/443 over IPv6: no egress-only internet gateway path and no endpoint"
            ),
            (false, false) => crate::text!(
                "IPv6-only private subnet {label} cannot reach {missing6} on tcp/443 over IPv6: no egress-only internet gateway path and no endpoint; {untraced6} not checked (no dual-stack name in the service catalog)"
            ),
            _ => crate::text!(
                "IPv6-only private subnet {label}: {untraced6} not checked over IPv6 (no dual-stack name in the service catalog); its clients need the services' dual-stack endpoints"
            ),
        };
        let severity = if missing6.is_empty() { AuditSeverity::Info } else { AuditSeverity::Medium };
        out.push(
            AuditFinding::new(
                severity,
                "PRIVATE_SUBNET_NO_SERVICE_PATH",
                "G2",
                vec![s.id.clone(), s.vpc.clone()],
                message,
                "add a gateway endpoint for S3 and interface endpoints for ECR and SSM, or a route ::/0 → an egress-only internet gateway; clients must use the services' dual-stack endpoints",
            )
            .with_path(if path6.is_empty() { Vec::new() } else { vec![PathEntry::services(path6)] }),
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
                    PathEntry::from(format!("{} {} → {}", rt.id, r.destination, nat.id)),
                    PathEntry::from(crate::text!("{} in {}", nat.id, ns.az)),
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

#[cfg(test)]
mod tests {
    use crate::model::builder::DesignBuilder;
    use crate::model::*;
    use crate::sim::audit::{audit, AuditFinding, AuditSeverity};

    /// A private subnet (dual-stack, or IPv6-only) with no NAT gateway and no endpoint; its
    /// table sends ::/0 to an egress-only internet gateway when `eigw`.
    fn design(ipv6_only: bool, eigw: bool) -> Design {
        let mut b = DesignBuilder::new("t", "ap-northeast-2");
        let v = b.vpc("v6", "10.0.0.0/16");
        b.ipv6_block(&v, "2001:db8:1200::/56");
        let s = if ipv6_only {
            b.ipv6_only_subnet(&v, "private", "2001:db8:1200:1::/64", "a")
        } else {
            let s = b.subnet(&v, "private", "10.0.1.0/24", "a");
            b.subnet_ipv6(&s, "2001:db8:1200:1::/64");
            s
        };
        let rt = b.route_table(&v, "rt-private");
        b.associate(&rt, &s);
        if eigw {
            let e = b.eigw(&v, "eigw");
            b.route(&rt, "::/0", RouteTarget::EgressOnlyInternetGateway(e));
        }
        b.design
    }

    fn service_paths(d: &Design) -> Vec<AuditFinding> {
        audit(d).into_iter().filter(|f| f.code == "PRIVATE_SUBNET_NO_SERVICE_PATH").collect()
    }

    #[test]
    fn a_dual_stack_subnet_cut_off_over_ipv4_says_what_it_reaches_over_ipv6_and_on_what_condition() {
        let f = service_paths(&design(false, true));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, AuditSeverity::Medium, "ECR and SSM are reached over neither family");
        assert!(
            f[0].message
                .starts_with("private subnet private cannot reach s3, ecr.api, ecr.dkr, ssm on tcp/443 over IPv4"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message
                .contains("over IPv6 it reaches s3, but only clients that use the services' dual-stack endpoints"),
            "{}",
            f[0].message
        );
        // Without the egress-only gateway, IPv6 reaches nothing either: the IPv4 sentence alone.
        let f = service_paths(&design(false, false));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].message,
            "private subnet private cannot reach s3, ecr.api, ecr.dkr, ssm on tcp/443: no NAT gateway path and no endpoint"
        );
    }

    #[test]
    fn an_ipv6_only_subnet_is_audited_over_ipv6() {
        // No egress-only gateway: S3's dual-stack name is not reached.
        let f = service_paths(&design(true, false));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, AuditSeverity::Medium);
        assert!(
            f[0].message.starts_with("IPv6-only private subnet private cannot reach s3 on tcp/443 over IPv6"),
            "{}",
            f[0].message
        );
        assert!(f[0].path[0].starts_with("s3.dualstack.ap-northeast-2.amazonaws.com: dropped"), "{:?}", f[0].path);
        assert!(f[0].fix.contains("::/0 → an egress-only internet gateway"), "{}", f[0].fix);
        let ko = crate::sim::audit::render_text(&f, crate::l10n::Lang::Ko);
        assert!(
            ko.contains("IPv6 전용 프라이빗 서브넷 private") && ko.contains("외부 전용 인터넷 게이트웨이 라우팅"),
            "{ko}"
        );
        // Through the egress-only gateway S3 is reached; ECR and SSM have no dual-stack name
        // vpcraft knows, which the finding says instead of calling them reached or not.
        let f = service_paths(&design(true, true));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, AuditSeverity::Info);
        assert!(f[0].message.contains("ecr.api, ecr.dkr, ssm not checked over IPv6"), "{}", f[0].message);
    }

    /// The path of a finding says its words in Korean: each service's cell as the matrix says
    /// it, the NAT gateway's AZ; English and JSON are as before.
    #[test]
    fn the_path_is_said_in_korean() {
        use crate::l10n::Lang;
        let f = service_paths(&design(false, false));
        let (en, ko) = (f[0].path[0].render(Lang::En), f[0].path[0].render(Lang::Ko));
        assert!(en.starts_with("s3.ap-northeast-2.amazonaws.com: dropped "), "{en}");
        assert_eq!(en, *f[0].path[0]);
        assert!(ko.starts_with("s3.ap-northeast-2.amazonaws.com: ") && ko.contains("에서 차단됨 "), "{ko}");
        assert!(!ko.contains("dropped") && !ko.contains(" at "), "{ko}");
        assert_eq!(ko.matches("; ").count(), en.matches("; ").count(), "{ko}");
        let json = serde_json::to_value(&f[0]).expect("json");
        assert_eq!(json["path"][0], serde_json::Value::String(en));

        let mut b = DesignBuilder::new("t", "ap-northeast-2");
        let v = b.vpc("v", "10.0.0.0/16");
        let public = b.subnet(&v, "public", "10.0.0.0/24", "ap-northeast-2a");
        let private = b.subnet(&v, "private", "10.0.1.0/24", "ap-northeast-2c");
        let nat = b.nat_gateway(&public, "nat", "10.0.0.20", "50.1.1.2");
        let rt = b.route_table(&v, "rt-private");
        b.route(&rt, "0.0.0.0/0", RouteTarget::NatGateway(nat.clone()));
        b.associate(&rt, &private);
        let f: Vec<AuditFinding> = audit(&b.design).into_iter().filter(|f| f.code == "NAT_CROSS_AZ").collect();
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].path[1].render(Lang::En), format!("{nat} in ap-northeast-2a"));
        assert_eq!(f[0].path[1].render(Lang::Ko), format!("ap-northeast-2a의 {nat}"));
    }
}
