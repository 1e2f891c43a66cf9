//! Hub and spoke checks: centralized egress without its return route (N6), inspection
//! attachments without appliance mode (T9), edge route tables AWS refuses (R10), inspection
//! in one direction only (B2) and firewall subnets routed through their own firewall (F1).

use super::{Ctx, FindingCode, Findings};
use crate::model::*;
use ipnet::IpNet;
use std::collections::{HashMap, HashSet};

pub fn check(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    let inspection = d.inspection_endpoint_ids();
    egress_return_routes(ctx, out);
    appliance_mode(ctx, &inspection, out);
    for (gw, rt, why) in d.refused_edge_tables() {
        let t = &d.route_tables[rt];
        out.add(
            FindingCode::EdgeRouteTableForbidden,
            &[&t.id, gw],
            crate::text!("AWS refuses to associate {} with {}: {why}", ctx.name(&t.id), ctx.name(gw)).with("why", why),
        );
    }
    if !inspection.is_empty() {
        one_way_inspection(ctx, &inspection, out);
        firewall_subnets(ctx, out);
    }
}

/// The route of `t` that longest-prefix matches all of `c` (a CIDR route containing it).
fn covering_route(t: &RouteTable, c: IpNet) -> Option<&Route> {
    t.routes
        .iter()
        .filter(|r| r.destination.cidr().is_some_and(|x| x.prefix_len() <= c.prefix_len() && x.contains(&c.network())))
        .max_by_key(|r| r.destination.cidr().map_or(0, |x| x.prefix_len()))
}

/// N6: a transit gateway table that sends the spokes' 0.0.0.0/0 to a VPC with NAT gateways
/// (centralized egress) needs, in each NAT gateway's subnet table, a route back to every
/// spoke that is not the internet gateway: otherwise the replies go out to the internet.
fn egress_return_routes(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    if d.tgw_route_tables.is_empty() || d.nat_gateways.is_empty() {
        return;
    }
    let attachments: HashMap<&str, &TgwAttachment> = d.tgw_attachments.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut by_table: HashMap<&str, Vec<&TgwAttachment>> = HashMap::new();
    for a in &d.tgw_attachments {
        if let Some(t) = &a.association {
            by_table.entry(t.as_str()).or_default().push(a);
        }
    }
    let mut nats: HashMap<&str, Vec<&NatGateway>> = HashMap::new();
    for n in &d.nat_gateways {
        if let Some(v) = ctx.ix.nat_vpc_id(n) {
            nats.entry(v).or_default().push(n);
        }
    }
    let default: IpNet = "0.0.0.0/0".parse().expect("a CIDR");
    for table in &d.tgw_route_tables {
        let Some(egress) = table
            .static_routes
            .iter()
            .find(|r| r.cidr == default)
            .and_then(|r| r.attachment.as_deref())
            .and_then(|a| attachments.get(a))
        else {
            continue;
        };
        let TgwAttachmentKind::Vpc { vpc: egress_vpc, .. } = &egress.kind else { continue };
        let Some(egress_nats) = nats.get(egress_vpc.as_str()) else { continue };
        for spoke in by_table.get(table.id.as_str()).into_iter().flatten() {
            let TgwAttachmentKind::Vpc { vpc, .. } = &spoke.kind else { continue };
            let Some(v) = ctx.ix.vpc(vpc).filter(|_| vpc != egress_vpc) else { continue };
            for n in egress_nats {
                // N3: a zonal NAT gateway routes by its subnet's table; N9: a regional one by its own.
                let rt = match &n.subnet {
                    Some(s) => ctx.subnet_rt(s),
                    None => n.route_table.as_deref().and_then(|r| ctx.ix.route_table(r)),
                };
                if rt.is_none() && !n.is_regional() {
                    continue;
                }
                for c in v.cidrs() {
                    let c = IpNet::V4(c);
                    // A regional NAT gateway without a table in the design has AWS's: local
                    // routes and 0.0.0.0/0 → IGW, so nothing goes back (N9).
                    let back = rt.and_then(|rt| covering_route(rt, c)).map(|r| &r.target);
                    if back.is_none_or(|t| matches!(t, RouteTarget::InternetGateway(_))) {
                        let (rt_id, whose) = match rt {
                            Some(rt) => (rt.id.as_str(), format!("{}, the table of its subnet", ctx.name(&rt.id))),
                            None => (n.id.as_str(), "the route table AWS made for it".to_string()),
                        };
                        let whose = if n.is_regional() && rt.is_some() {
                            format!("{}, its own route table", ctx.name(rt_id))
                        } else {
                            whose
                        };
                        out.add_with(
                            FindingCode::EgressReturnRouteMissing,
                            &[rt_id, &v.id, &n.id],
                            crate::text!(
                                "{} sends {}'s traffic to the internet through {}, but {whose} has no route back to {c}: the replies go to the internet gateway and are lost",
                                ctx.name(&table.id),
                                ctx.name(&v.id),
                                ctx.name(&n.id),
                            ),
                            &[&c, &ctx.name(rt_id)],
                        );
                    }
                }
            }
        }
    }
}

/// T9: a VPC attachment in two or more AZs whose subnets send traffic to an inspection
/// endpoint keeps each direction in its own AZ unless appliance mode is on.
fn appliance_mode(ctx: &Ctx, inspection: &HashSet<&str>, out: &mut Findings) {
    if inspection.is_empty() {
        return;
    }
    for a in &ctx.d.tgw_attachments {
        let TgwAttachmentKind::Vpc { subnets, .. } = &a.kind else { continue };
        if a.appliance_mode {
            continue;
        }
        let azs: HashSet<&str> = subnets.iter().filter_map(|s| ctx.ix.subnet(s)).map(|s| s.az.as_str()).collect();
        if azs.len() < 2 {
            continue;
        }
        let inspects = subnets.iter().filter_map(|s| ctx.subnet_rt(s.as_str())).any(|rt| {
            rt.routes
                .iter()
                .any(|r| matches!(&r.target, RouteTarget::GatewayEndpoint(id) if inspection.contains(id.as_str())))
        });
        if inspects {
            out.add_with(
                FindingCode::ApplianceModeOff,
                &[&a.id],
                crate::text!(
                    "{} sends traffic through inspection endpoints in {} AZs with appliance mode off: a flow whose two directions enter in different AZs is inspected in one and not the other",
                    ctx.name(&a.id),
                    azs.len()
                ),
                &[&ctx.name(&a.id)],
            );
        }
    }
}

/// B2: inbound traffic an internet gateway's edge table sends through an inspection endpoint
/// must leave through one too, and the other way round; otherwise each direction sees a
/// different path and a stateful appliance sees half of each flow.
fn one_way_inspection(ctx: &Ctx, inspection: &HashSet<&str>, out: &mut Findings) {
    let d = ctx.d;
    let through = |rt: &RouteTable, c: IpNet| {
        covering_route(rt, c)
            .is_some_and(|r| matches!(&r.target, RouteTarget::GatewayEndpoint(id) if inspection.contains(id.as_str())))
    };
    let default: IpNet = "0.0.0.0/0".parse().expect("a CIDR");
    let igw_of: HashMap<&str, &str> =
        d.internet_gateways.iter().filter_map(|g| Some((g.vpc.as_deref()?, g.id.as_str()))).collect();
    let mut edge: HashMap<&str, &RouteTable> = HashMap::new();
    for t in &d.route_tables {
        for g in &t.gateways {
            edge.insert(g.as_str(), t);
        }
    }
    let public_subnets: HashSet<&str> = d
        .network_interfaces
        .iter()
        .filter(|e| e.public_ip.is_some() || e.eip.is_some())
        .map(|e| e.subnet.as_str())
        .collect();
    for s in &d.subnets {
        let (Some(c), Some(rt)) = (s.cidr.map(IpNet::V4), ctx.subnet_rt(s.id.as_str())) else { continue };
        let Some(&igw) = igw_of.get(s.vpc.as_str()) else { continue };
        let inbound = edge.get(igw).is_some_and(|e| through(e, c));
        let outbound = through(rt, default);
        if inbound && !outbound {
            out.add_with(
                FindingCode::InspectionOneWay,
                &[&rt.id, &s.id],
                crate::text!(
                    "{}'s edge table sends inbound traffic for {} through an inspection endpoint, but {} sends its replies (0.0.0.0/0) past it",
                    ctx.name(igw),
                    ctx.name(&s.id),
                    ctx.name(&rt.id)
                ),
                &[&"0.0.0.0/0", &ctx.name(&rt.id)],
            );
        } else if outbound && !inbound && rt.routes.iter().any(|r| r.destination.cidr() == Some(default)) {
            // Only a subnet whose outbound inspection exits by this VPC's internet gateway.
            let exits_here = covering_route(rt, default)
                .and_then(|r| match &r.target {
                    RouteTarget::GatewayEndpoint(id) => inspection_subnet(ctx, id),
                    _ => None,
                })
                .and_then(|es| ctx.subnet_rt(es))
                .is_some_and(|ert| {
                    covering_route(ert, default)
                        .is_some_and(|r| r.target == RouteTarget::InternetGateway(igw.to_string()))
                });
            if exits_here && public_subnets.contains(s.id.as_str()) {
                out.add_with(
                    FindingCode::InspectionOneWay,
                    &[&rt.id, &s.id],
                    crate::text!(
                        "{} sends {}'s outbound traffic through an inspection endpoint, but {} has no edge route table sending traffic for {c} back through it: inbound traffic to its public addresses is not inspected",
                        ctx.name(&rt.id),
                        ctx.name(&s.id),
                        ctx.name(igw)
                    ),
                    &[&c, &ctx.name(igw)],
                );
            }
        }
    }
}

/// The subnet of an inspection endpoint.
fn inspection_subnet<'a>(ctx: &Ctx<'a>, id: &str) -> Option<&'a str> {
    ctx.d
        .network_firewalls
        .iter()
        .find_map(|f| f.endpoint(id))
        .map(|e| e.subnet.as_str())
        .or_else(|| ctx.ix.endpoint(id).and_then(|e| e.interfaces.first()).map(|i| i.subnet.as_str()))
}

/// F1: the firewall's own subnet must send traffic on past the firewall; a route from it to
/// one of the firewall's endpoints loops.
fn firewall_subnets(ctx: &Ctx, out: &mut Findings) {
    for f in &ctx.d.network_firewalls {
        let own: HashSet<&str> = f.endpoints.iter().map(|e| e.id.as_str()).collect();
        for e in &f.endpoints {
            let Some(rt) = ctx.subnet_rt(e.subnet.as_str()) else { continue };
            if let Some(r) = rt
                .routes
                .iter()
                .find(|r| matches!(&r.target, RouteTarget::GatewayEndpoint(id) if own.contains(id.as_str())))
            {
                out.add_with(
                    FindingCode::FirewallSubnetThroughOwnFirewall,
                    &[&rt.id, &f.id, &e.subnet],
                    crate::text!(
                        "{}, the table of {}'s firewall subnet {}, sends {} back to the firewall's endpoint {}: what the firewall passes would loop",
                        ctx.name(&rt.id),
                        ctx.name(&f.id),
                        ctx.name(&e.subnet),
                        r.destination,
                        r.target
                    ),
                    &[&ctx.name(&e.subnet)],
                );
            }
        }
    }
}
