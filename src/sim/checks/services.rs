//! Managed-service checks (M1, M2, M4, M7): a database the internet can reach, a subnet group
//! in one Availability Zone, an internet-facing load balancer in private subnets, a Lambda
//! function in a VPC with no way out.

use super::{Ctx, FindingCode, Findings};
use crate::model::*;
use crate::sim::{Endpoint, TraceIndex, TraceRequest};
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

/// An address on the internet that belongs to no one (TEST-NET-2): the client a public
/// database is tried from.
const SOMEONE: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 77);

pub fn design(ctx: &Ctx, out: &mut Findings) {
    public_databases(ctx, out);
    subnet_groups(ctx, out);
    internet_facing_load_balancers(ctx, out);
    lambda_egress(ctx, out);
}

/// M2: a publicly accessible database that a stranger on the internet reaches on its port.
/// The trace decides (route to the IGW, network ACLs, groups, M3), so each rule stays where the
/// engine holds it.
fn public_databases(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    let public: Vec<(&Database, Ipv4Addr)> = d
        .databases
        .iter()
        .filter(|db| db.publicly_accessible)
        .filter_map(|db| db.interfaces.iter().find_map(|i| i.public_ip).map(|p| (db, p)))
        .collect();
    if public.is_empty() {
        return;
    }
    let ix = TraceIndex::new(d);
    for (db, addr) in public {
        let req = TraceRequest {
            from: Endpoint::Ip(IpAddr::V4(SOMEONE)),
            to: Endpoint::Ip(IpAddr::V4(addr)),
            protocol: Protocol::Tcp,
            dst_port: Some(db.port()),
            src_port: None,
        };
        if ix.trace(&req).delivered() {
            out.add_with(
                FindingCode::DatabasePublic,
                &[&db.id],
                crate::text!(
                    "{} ({}) is publicly accessible at {addr}, in a subnet routed to an internet gateway, and its security groups let anyone in on port {}",
                    ctx.name(&db.id),
                    db.label(),
                    db.port()
                ),
                &[&db.id, &db.port()],
            );
        }
    }
}

/// M1: a subnet group must cover two Availability Zones.
fn subnet_groups(ctx: &Ctx, out: &mut Findings) {
    for g in &ctx.d.db_subnet_groups {
        let zones: BTreeSet<&str> = g.subnets.iter().filter_map(|s| ctx.ix.subnet(s)).map(|s| s.az.as_str()).collect();
        if zones.len() == 1 {
            let az = zones.iter().next().copied().unwrap_or_default();
            out.add(
                FindingCode::DbSubnetGroupOneAz,
                &[&g.id],
                crate::text!(
                    "subnet group {} has subnets in {az} only; AWS requires two Availability Zones",
                    ctx.name(&g.id)
                ),
            );
        }
    }
}

/// M4, M6: an internet-facing load balancer's nodes must be in subnets routed to an internet
/// gateway, or the internet cannot reach it.
fn internet_facing_load_balancers(ctx: &Ctx, out: &mut Findings) {
    for lb in &ctx.d.load_balancers {
        if lb.scheme != LoadBalancerScheme::InternetFacing || lb.kind == LoadBalancerKind::Gateway {
            continue;
        }
        let private: Vec<&str> = lb
            .nodes
            .iter()
            .map(|n| n.subnet.as_str())
            .filter(|s| ctx.subnet_rt(s).is_none_or(|rt| !Ctx::has_igw_route(rt)))
            .collect();
        if !private.is_empty() {
            let mut ids = vec![lb.id.as_str()];
            ids.extend(private.iter().copied());
            let names: Vec<String> = private.iter().map(|s| ctx.name(s)).collect();
            out.add(
                FindingCode::LoadBalancerInternetFacingPrivate,
                &ids,
                crate::text!(
                    "internet-facing load balancer {} has nodes in {}, which have no route to an internet gateway",
                    ctx.name(&lb.id),
                    names.join(", ")
                ),
            );
        }
    }
}

/// M7: a function never has a public address, so it reaches the internet and AWS services
/// only through a NAT (a default route to anything but an internet gateway) or VPC endpoints.
fn lambda_egress(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    for f in d.compute_services.iter().filter(|c| matches!(c.kind, ComputeKind::LambdaFunction)) {
        let has_endpoints = ctx.ix.vpc_endpoints(&f.vpc).next().is_some();
        if has_endpoints {
            continue;
        }
        let stuck: Vec<&str> = f
            .subnets
            .iter()
            .map(String::as_str)
            .filter(|s| ctx.subnet_rt(s).is_none_or(|rt| !routes_out_without_igw(rt)))
            .collect();
        if !stuck.is_empty() {
            let mut ids = vec![f.id.as_str()];
            ids.extend(stuck.iter().copied());
            let names: Vec<String> = stuck.iter().map(|s| ctx.name(s)).collect();
            out.add(
                FindingCode::LambdaNoEgress,
                &ids,
                crate::text!(
                    "Lambda function {} in {} has no NAT route and its VPC no endpoints: it cannot reach the internet or AWS services (it never has a public address)",
                    ctx.name(&f.id),
                    names.join(", ")
                ),
            );
        }
    }
}

/// A default IPv4 route through something that translates or carries traffic on (a NAT
/// gateway or instance, a transit or virtual private gateway, a peering), not an IGW (M7).
fn routes_out_without_igw(rt: &RouteTable) -> bool {
    rt.routes.iter().any(|r| {
        r.state == RouteState::Active
            && r.destination.cidr().is_some_and(|c| c.prefix_len() == 0 && c.addr().is_ipv4())
            && !matches!(r.target, RouteTarget::InternetGateway(_) | RouteTarget::Local | RouteTarget::Unknown(_))
    })
}

#[cfg(test)]
mod tests {
    use crate::model::builder::DesignBuilder;
    use crate::model::*;
    use crate::sim::checks::check_design;

    fn codes(d: &Design) -> Vec<&'static str> {
        check_design(d).into_iter().map(|f| f.code.as_str()).collect()
    }

    /// A VPC with a public subnet in zone a and private subnets in zones a and c.
    fn base() -> (DesignBuilder, Id, Id, Id, Id) {
        let mut b = DesignBuilder::new("t", "ap-northeast-2");
        let v = b.vpc("lab", "10.0.0.0/16");
        let public = b.subnet(&v, "pub", "10.0.0.0/24", "a");
        let private = b.subnet(&v, "priv", "10.0.1.0/24", "a");
        let private_c = b.subnet(&v, "priv-c", "10.0.3.0/24", "c");
        let igw = b.igw(&v, "igw");
        let rt = b.route_table(&v, "rt-pub");
        b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
        b.associate(&rt, &public);
        (b, v, public, private, private_c)
    }

    #[test]
    fn m2_a_public_database_open_to_everyone_is_an_error_with_a_fix() {
        let (mut b, v, public, private, _) = base();
        let sg = b.security_group(&v, "db");
        b.allow_in_tcp(&sg, 5432, "0.0.0.0/0");
        let db = b.database(DatabaseService::Rds, "orders", "postgres", None, &[(&public, "10.0.0.50")], &[&sg]);
        b.publicly_accessible(&db, "50.1.1.50");
        let f = check_design(&b.design);
        let hit = f.iter().find(|f| f.code == "DATABASE_PUBLIC").expect("public database found");
        assert_eq!(hit.resources, vec![db.clone()]);
        assert!(hit.fix.contains(&db) && hit.fix.contains("5432"), "{}", hit.fix);
        // Not publicly accessible, a private subnet, or a closed group: no finding.
        let mut off = b.clone();
        off.design.databases[0].publicly_accessible = false;
        assert!(!codes(&off.design).contains(&"DATABASE_PUBLIC"));
        let mut hidden = b.clone();
        hidden.design.databases[0].interfaces[0].subnet = private;
        hidden.design.databases[0].interfaces[0].ip = "10.0.1.50".parse().unwrap();
        assert!(!codes(&hidden.design).contains(&"DATABASE_PUBLIC"));
        let mut closed = b.clone();
        closed.design.security_groups.iter_mut().find(|g| g.id == sg).unwrap().ingress.clear();
        assert!(!codes(&closed.design).contains(&"DATABASE_PUBLIC"));
    }

    #[test]
    fn m1_subnet_group_in_one_zone() {
        let (mut b, _, _, private, private_c) = base();
        b.db_subnet_group("one", DatabaseService::Rds, &[&private]);
        b.db_subnet_group("two", DatabaseService::Rds, &[&private, &private_c]);
        let f = check_design(&b.design);
        let hits: Vec<_> = f.iter().filter(|f| f.code == "DB_SUBNET_GROUP_ONE_AZ").collect();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].resources, vec!["dbsubnet-0001".to_string()]);
    }

    #[test]
    fn m4_internet_facing_load_balancer_in_private_subnets() {
        let (mut b, v, public, private, _) = base();
        let tg = b.target_group(&v, "tg", Protocol::Tcp, 80, &[]);
        let lb = b.load_balancer(
            LoadBalancerKind::Application,
            LoadBalancerScheme::InternetFacing,
            "front",
            &[(&public, "10.0.0.30", Some("50.1.1.30")), (&private, "10.0.1.30", Some("50.1.1.31"))],
            &[],
            &[(80, &tg)],
        );
        let f = check_design(&b.design);
        let hit = f.iter().find(|f| f.code == "LOAD_BALANCER_INTERNET_FACING_PRIVATE").expect("found");
        assert_eq!(hit.resources, vec![lb, private]);
        b.design.load_balancers[0].scheme = LoadBalancerScheme::Internal;
        assert!(!codes(&b.design).contains(&"LOAD_BALANCER_INTERNET_FACING_PRIVATE"));
    }

    #[test]
    fn m7_lambda_without_nat_or_endpoints() {
        let (mut b, v, public, private, _) = base();
        // Even in a public subnet: a function has no public address.
        b.compute(ComputeKind::LambdaFunction, "f", &[(&public, "10.0.0.70")], &[]);
        assert!(codes(&b.design).contains(&"LAMBDA_NO_EGRESS"));
        let rt_priv = b.route_table(&v, "rt-priv");
        b.associate(&rt_priv, &private);
        let nat = b.nat_gateway(&public, "nat", "10.0.0.20", "50.1.1.2");
        b.route(&rt_priv, "0.0.0.0/0", RouteTarget::NatGateway(nat));
        b.design.compute_services[0].subnets = vec![private.clone()];
        assert!(!codes(&b.design).contains(&"LAMBDA_NO_EGRESS"), "through the NAT");
        let mut with_endpoint = b.clone();
        with_endpoint.design.route_tables.iter_mut().find(|t| t.id == rt_priv).unwrap().routes.retain(|r| r.is_local());
        assert!(codes(&with_endpoint.design).contains(&"LAMBDA_NO_EGRESS"));
        with_endpoint.gateway_endpoint(&v, "s3", &[&rt_priv]);
        assert!(!codes(&with_endpoint.design).contains(&"LAMBDA_NO_EGRESS"), "through an endpoint");
    }
}
