//! Route table checks (R1–R10, G2).

use super::{Ctx, FindingCode, Findings};
use crate::model::*;
use foldhash::HashSet;
use ipnet::Ipv4Net;

/// R1 for one VPC, then each of its tables (R2–R7), then G2 for its gateway endpoints.
pub fn vpc(ctx: &Ctx, v: &Vpc, out: &mut Findings) {
    if !v.external {
        match ctx.ix.main_route_tables(&v.id).count() {
            0 => out.add(
                FindingCode::RtMainMissing,
                &[&v.id],
                crate::text!(
                    "{} has no main route table; subnets without an explicit association have no routes",
                    ctx.name(&v.id)
                ),
            ),
            1 => {}
            n => out.add(
                FindingCode::RtMainMultiple,
                &[&v.id],
                crate::text!("{} has {n} main route tables; a VPC has exactly one", ctx.name(&v.id)),
            ),
        }
    }
    for rt in ctx.ix.vpc_route_tables(&v.id) {
        table(ctx, rt, out);
    }
    for ep in ctx.ix.vpc_endpoints(&v.id) {
        gateway_endpoint_routes(ctx, ep, out);
    }
}

/// The tables and gateway endpoints of VPCs that are not in the design.
pub fn design(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    for &rt in ctx.outside(ResourceKind::RouteTable) {
        table(ctx, &d.route_tables[rt], out);
    }
    for &ep in ctx.outside(ResourceKind::VpcEndpoint) {
        gateway_endpoint_routes(ctx, &d.endpoints[ep], out);
    }
}

/// R1: a subnet has exactly one route table. For each subnet `rt` lists, the table listing it
/// just before `rt` (in design order) is another table: one finding per such pair, found
/// through the index whatever VPC the other table is in.
fn associated_twice(ctx: &Ctx, rt: &RouteTable, out: &mut Findings) {
    // The position of the table with this id, asked for only when a subnet is listed twice.
    let at = std::cell::OnceCell::new();
    for s in &rt.subnets {
        let listings = ctx.ix.route_table_listings(s);
        if listings.len() < 2 {
            continue;
        }
        let Some(&at) = at.get_or_init(|| ctx.ix.pos(ResourceKind::RouteTable, &rt.id)).as_ref() else { return };
        let Some(i) = listings.iter().position(|&p| p == at) else { continue };
        let Some(prev) = i.checked_sub(1).map(|j| &ctx.d.route_tables[listings[j]]) else { continue };
        if prev.id != rt.id {
            out.add(
                FindingCode::RtSubnetMultiple,
                &[s, &prev.id, &rt.id],
                crate::text!(
                    "{} is associated with both {} and {}; a subnet has exactly one route table",
                    ctx.name(s),
                    ctx.name(&prev.id),
                    ctx.name(&rt.id)
                ),
            );
        }
    }
}

/// One table: its associations (R1) and routes.
fn table(ctx: &Ctx, rt: &RouteTable, out: &mut Findings) {
    associated_twice(ctx, rt, out);
    for s in &rt.subnets {
        if let Some(sub) = ctx.ix.subnet(s) {
            if sub.vpc != rt.vpc {
                out.add(
                    FindingCode::RtAssociationOtherVpc,
                    &[&rt.id, s],
                    crate::text!(
                        "{} (in {}) is associated with {}, a subnet of {}",
                        ctx.name(&rt.id),
                        rt.vpc,
                        ctx.name(s),
                        sub.vpc
                    ),
                );
            }
        }
    }
    check_table(ctx, rt, out);
}

/// G2: a gateway endpoint and its tables agree.
fn gateway_endpoint_routes(ctx: &Ctx, ep: &VpcEndpoint, out: &mut Findings) {
    if ep.kind != EndpointKind::Gateway {
        return;
    }
    for rt_id in &ep.route_tables {
        let Some(rt) = ctx.ix.route_table(rt_id) else { continue };
        let has = rt.routes.iter().any(|r| matches!(&r.target, RouteTarget::GatewayEndpoint(e) if *e == ep.id));
        if !has {
            out.add(
                FindingCode::GatewayEndpointRouteMissing,
                &[&ep.id, rt_id],
                crate::text!(
                    "{} is associated with {}, but the table has no prefix-list route to it",
                    ctx.name(&ep.id),
                    ctx.name(rt_id)
                ),
            );
        }
    }
}

fn check_table(ctx: &Ctx, rt: &RouteTable, out: &mut Findings) {
    let Some(vpc) = ctx.ix.vpc(&rt.vpc) else {
        out.add(
            FindingCode::RtVpcMissing,
            &[&rt.id],
            crate::text!("{} belongs to {}, which is not in the design", ctx.name(&rt.id), rt.vpc),
        );
        return;
    };
    // R2: a local route per VPC CIDR.
    for c in vpc.cidrs() {
        let present = rt.routes.iter().any(|r| {
            r.destination == RouteDestination::Cidr(c.into()) && (r.is_local() || r.origin == RouteOrigin::Local)
        });
        if !present {
            out.add_with(
                FindingCode::RtLocalRouteMissing,
                &[&rt.id],
                crate::text!("{} has no local route for {c}; AWS always keeps one per VPC CIDR", ctx.name(&rt.id)),
                &[&c],
            );
        }
    }
    // Destinations of the routes so far (not propagated ones): a short table is searched, a
    // long one hashed, so a table costs no allocation unless it is long.
    let mut dests: HashSet<&RouteDestination> = HashSet::default();
    let mut seen = |i: usize, d: &'_ RouteDestination| -> bool {
        if rt.routes.len() <= 16 {
            rt.routes[..i].iter().any(|q| q.origin != RouteOrigin::Propagated && q.destination == *d)
        } else {
            !dests.insert(&rt.routes[i].destination)
        }
    };
    // Asked for only by a route inside the VPC's range, which few tables have.
    let subnet_cidrs: std::cell::OnceCell<HashSet<Ipv4Net>> = std::cell::OnceCell::new();
    let link_local = Ipv4Net::new(std::net::Ipv4Addr::new(169, 254, 168, 0), 22).unwrap_or_default();
    let is_subnet_cidr = |c: &Ipv4Net| {
        subnet_cidrs.get_or_init(|| ctx.ix.vpc_subnets(&vpc.id).filter_map(|s| s.cidr).collect()).contains(c)
    };
    for (i, r) in rt.routes.iter().enumerate() {
        if r.origin != RouteOrigin::Propagated && seen(i, &r.destination) {
            out.add(
                FindingCode::RouteDuplicateDestination,
                &[&rt.id],
                crate::text!(
                    "{} has two routes for {}; AWS keeps one route per destination",
                    ctx.name(&rt.id),
                    r.destination
                ),
            );
        }
        let dest = match &r.destination {
            RouteDestination::Cidr(c) => match c {
                ipnet::IpNet::V4(c) => Some(*c),
                ipnet::IpNet::V6(_) => None,
            },
            RouteDestination::PrefixList(pl) => {
                if ctx.ix.prefix_list(pl).is_none() && ServiceCatalog::builtin().by_prefix_list(pl).is_none() {
                    out.add(
                        FindingCode::RoutePrefixListUnknown,
                        &[&rt.id],
                        crate::text!(
                            "{} routes prefix list {pl}, whose addresses the design does not know",
                            ctx.name(&rt.id)
                        ),
                    );
                }
                None
            }
        };
        if let Some(c) = dest {
            if link_local.contains(&c) {
                out.add(
                    FindingCode::RouteReservedRange,
                    &[&rt.id],
                    crate::text!("{} has a route to {c}; no route may cover 169.254.168.0/22", ctx.name(&rt.id)),
                );
            }
            // R2: a route more specific than local must match a whole subnet and target a
            // middlebox (`Design::is_middlebox_target`).
            if !r.is_local()
                && vpc.cidrs().any(|v| v.contains(&c) && v != c)
                && (!ctx.d.is_middlebox_target(&r.target) || !is_subnet_cidr(&c))
            {
                out.add(FindingCode::RouteMoreSpecificThanLocal, &[&rt.id], crate::text!("{} routes {c} (inside the VPC) to {}; a route inside the VPC range must cover a whole subnet and target a NAT gateway, a network interface, a Gateway Load Balancer endpoint or a firewall endpoint", ctx.name(&rt.id), r.target));
            }
        }
        if r.state == RouteState::Blackhole {
            out.add(
                FindingCode::RouteBlackhole,
                &[&rt.id],
                crate::text!(
                    "{} route {} → {} is a blackhole: traffic to it is dropped",
                    ctx.name(&rt.id),
                    r.destination,
                    r.target
                ),
            );
        }
        check_target(ctx, rt, vpc, r, out);
    }
}

fn check_target(ctx: &Ctx, rt: &RouteTable, vpc: &Vpc, r: &Route, out: &mut Findings) {
    let Some(target) = r.target.id() else { return };
    if r.state == RouteState::Blackhole && !ctx.exists(target) {
        // Already reported as ROUTE_BLACKHOLE: AWS keeps such routes after their target goes.
        return;
    }
    let dest = &r.destination;
    let missing = |out: &mut Findings| {
        out.add(
            FindingCode::RouteTargetMissing,
            &[&rt.id, target],
            crate::text!(
                "{} route {dest} points at {target}, which is not in the design; it works as a blackhole",
                ctx.name(&rt.id)
            ),
        );
    };
    let wrong_vpc = |out: &mut Findings, what: &str| {
        out.add(
            FindingCode::RouteTargetDetached,
            &[&rt.id, target],
            crate::text!("{} route {dest} points at {}, {what}", ctx.name(&rt.id), ctx.name(target)),
        );
    };
    match &r.target {
        RouteTarget::InternetGateway(g) => match ctx.ix.internet_gateway(g) {
            None => missing(out),
            Some(igw) if igw.vpc.as_deref() != Some(vpc.id.as_str()) => wrong_vpc(out, "which is not attached to this VPC"),
            _ => {}
        },
        RouteTarget::NatGateway(n) => match ctx.ix.nat_gateway(n) {
            None => missing(out),
            Some(nat) if ctx.ix.nat_vpc_id(nat) != Some(vpc.id.as_str()) => wrong_vpc(out, "a NAT gateway of another VPC"),
            _ => {}
        },
        RouteTarget::NetworkInterface(e) => match ctx.ix.network_interface(e) {
            None => missing(out),
            Some(eni) => {
                if ctx.subnet_vpc(&eni.subnet).map(|v| v.id.as_str()) != Some(vpc.id.as_str()) {
                    wrong_vpc(out, "an interface in another VPC");
                } else if eni.source_dest_check {
                    out.add_with(FindingCode::RouteTargetSourceDestCheck, &[&rt.id, e], crate::text!("{} route {dest} forwards through {}, whose source/destination check is on: it drops traffic not addressed to itself", ctx.name(&rt.id), ctx.name(e)), &[&e]);
                }
            }
        },
        RouteTarget::Instance(i) => match ctx.ix.instance(i) {
            None => missing(out),
            Some(_) => {
                match ctx.ix.primary_interface(i) {
                    None => wrong_vpc(out, "an instance with no network interface"),
                    Some(eni) if ctx.subnet_vpc(&eni.subnet).map(|v| v.id.as_str()) != Some(vpc.id.as_str()) => wrong_vpc(out, "an instance in another VPC"),
                    Some(eni) if eni.source_dest_check => out.add_with(FindingCode::RouteTargetSourceDestCheck, &[&rt.id, i], crate::text!("{} route {dest} forwards through {}, whose source/destination check is on: a NAT instance needs it off", ctx.name(&rt.id), ctx.name(i)), &[&eni.id]),
                    _ => {}
                }
            }
        },
        RouteTarget::VpcPeering(p) => match ctx.ix.peering(p) {
            None => missing(out),
            Some(pcx) => {
                if pcx.other_side(&vpc.id).is_none() {
                    wrong_vpc(out, "a peering that does not involve this VPC");
                } else if pcx.status != PeeringStatus::Active {
                    out.add(FindingCode::RoutePeeringNotActive, &[&rt.id, p], crate::text!("{} route {dest} points at {}, which is {}: only an active peering passes traffic, so the route is a blackhole", ctx.name(&rt.id), ctx.name(p), pcx.status));
                }
            }
        },
        RouteTarget::GatewayEndpoint(e) => match ctx.ix.endpoint(e) {
            // F1: a firewall endpoint, a route target of its own VPC.
            None => match ctx.ix.firewall_of_endpoint(e) {
                Some(fw) if fw.vpc == vpc.id => {}
                Some(_) => wrong_vpc(out, "a firewall endpoint of another VPC"),
                None => missing(out),
            },
            // B2: a Gateway Load Balancer endpoint, a route target of its own VPC.
            Some(ep) if ep.kind == EndpointKind::GatewayLoadBalancer && ep.vpc != vpc.id => {
                wrong_vpc(out, "a Gateway Load Balancer endpoint of another VPC")
            }
            Some(ep) if ep.kind == EndpointKind::GatewayLoadBalancer => {}
            Some(ep) if ep.kind != EndpointKind::Gateway => out.add(FindingCode::RouteToInterfaceEndpoint, &[&rt.id, e], crate::text!("{} route {dest} targets {}, an interface endpoint; interface endpoints are reached at their addresses through the local route, never as a route target", ctx.name(&rt.id), ctx.name(e))),
            Some(ep) if ep.vpc != vpc.id => wrong_vpc(out, "an endpoint of another VPC"),
            Some(ep) if r.origin != RouteOrigin::EndpointManaged || !ep.route_tables.contains(&rt.id) => out.add_with(FindingCode::GatewayEndpointRouteNotManaged, &[&rt.id, e], crate::text!("{} route {dest} → {} was written by hand; AWS adds and manages the route of a gateway endpoint itself, and refuses a user-made one", ctx.name(&rt.id), ctx.name(e)), &[&e, &rt.id]),
            _ => {}
        },
        RouteTarget::TransitGateway(t) => {
            if ctx.ix.transit_gateway(t).is_none() {
                missing(out);
            } else if !ctx.attached(t, &vpc.id) {
                wrong_vpc(out, "a transit gateway this VPC has no attachment to");
            }
        }
        RouteTarget::VpnGateway(g) => match ctx.ix.vpn_gateway(g) {
            None => missing(out),
            Some(vgw) if vgw.vpc.as_deref() != Some(vpc.id.as_str()) => wrong_vpc(out, "which is not attached to this VPC"),
            _ => {}
        },
        RouteTarget::EgressOnlyInternetGateway(g) => {
            if ctx.ix.egress_only_internet_gateway(g).is_none() {
                missing(out);
            } else if r.destination.ipv6().is_none() {
                // I5: IPv6 destinations are what the gateway is for.
                out.add(FindingCode::RouteEigwIpv4, &[&rt.id, g], crate::text!("{} routes the IPv4 destination {dest} to an egress-only gateway, which carries IPv6 only", ctx.name(&rt.id)));
            }
        }
        RouteTarget::Unknown(_) => {
            if !ctx.exists(target) {
                missing(out);
            }
        }
        RouteTarget::Local => {}
    }
}
