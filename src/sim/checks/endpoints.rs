//! Endpoint checks: gateway endpoints (G1, G2), interface endpoints (E1–E8), endpoint services
//! and load balancers (E9).

use super::{Ctx, FindingCode, Findings};
use crate::model::*;
use std::collections::HashMap;

/// One VPC's endpoints and load balancers.
pub fn vpc(ctx: &Ctx, v: &Vpc, out: &mut Findings) {
    for ep in ctx.ix.vpc_endpoints(&v.id) {
        endpoint(ctx, ep, v, out);
    }
    for lb in ctx.ix.vpc_load_balancers(&v.id) {
        load_balancer(ctx, lb, out);
    }
}

/// Endpoint services (E9), and load balancers of VPCs not in the design.
pub fn design(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    for s in &d.endpoint_services {
        if s.load_balancers.is_empty() {
            out.add(
                FindingCode::EndpointServiceNoLoadBalancer,
                &[&s.id],
                crate::text!("{} has no network load balancer behind it", ctx.name(&s.id)),
            );
        }
        for lb in &s.load_balancers {
            if let Some(l) = ctx.ix.load_balancer(lb) {
                if l.kind == LoadBalancerKind::Application {
                    out.add(FindingCode::EndpointServiceNotNlb, &[&s.id, lb], crate::text!("{} is fronted by {}, an application load balancer; endpoint services need a network (or gateway) load balancer", ctx.name(&s.id), ctx.name(lb)));
                }
            }
        }
    }
    for &lb in ctx.outside(ResourceKind::LoadBalancer) {
        load_balancer(ctx, &d.load_balancers[lb], out);
    }
}

/// G1, G5, E1, E2, E4, E8 on one endpoint of `vpc`.
fn endpoint(ctx: &Ctx, ep: &VpcEndpoint, vpc: &Vpc, out: &mut Findings) {
    let catalog = ServiceCatalog::builtin();
    let svc = catalog.by_service_name(&ep.service_name);
    let custom = ctx.ix.endpoint_service_named(&ep.service_name);
    if ep.state != EndpointState::Available {
        let code = if ep.state == EndpointState::PendingAcceptance {
            FindingCode::EndpointPendingAcceptance
        } else {
            FindingCode::EndpointNotAvailable
        };
        out.add(
            code,
            &[&ep.id],
            crate::text!("{} is {}; only an available endpoint carries traffic", ctx.name(&ep.id), ep.state.api_name()),
        );
    }
    match ep.kind {
        EndpointKind::Gateway => {
            match svc {
                Some(s) if !s.gateway_endpoint => out.add(
                    FindingCode::GatewayEndpointUnsupported,
                    &[&ep.id],
                    crate::text!(
                        "{} is a gateway endpoint for {}, which only offers interface endpoints",
                        ctx.name(&ep.id),
                        ep.service_name
                    ),
                ),
                Some(s) if s.region != vpc.region => out.add_with(
                    FindingCode::GatewayEndpointOtherRegion,
                    &[&ep.id],
                    crate::text!(
                        "{} serves {} in {}, but its VPC is in {}; gateway endpoints work in their own region only",
                        ctx.name(&ep.id),
                        ep.service_name,
                        s.region,
                        vpc.region
                    ),
                    &[&vpc.region, &s.short],
                ),
                None => out.add(
                    FindingCode::GatewayEndpointServiceUnknown,
                    &[&ep.id],
                    crate::text!("{} names {}, a service the catalog does not know", ctx.name(&ep.id), ep.service_name),
                ),
                _ => {}
            }
            if !vpc.enable_dns_support {
                out.add(
                    FindingCode::GatewayEndpointNeedsDns,
                    &[&ep.id, &vpc.id],
                    crate::text!(
                        "{} needs DNS support on {} to resolve the service's names",
                        ctx.name(&ep.id),
                        ctx.name(&vpc.id)
                    ),
                );
            }
        }
        EndpointKind::Interface | EndpointKind::GatewayLoadBalancer => {
            if svc.is_none() && custom.is_none() {
                out.add(
                    FindingCode::EndpointServiceUnknown,
                    &[&ep.id],
                    crate::text!(
                        "{} names {}, which is neither a catalog service nor an endpoint service in the design",
                        ctx.name(&ep.id),
                        ep.service_name
                    ),
                );
            }
            if let Some(s) = svc {
                if !s.interface_endpoint {
                    out.add(
                        FindingCode::InterfaceEndpointUnsupported,
                        &[&ep.id],
                        crate::text!("{} has no interface endpoint; use a gateway endpoint", ep.service_name),
                    );
                }
            }
            if ep.private_dns_enabled && !(vpc.enable_dns_support && vpc.enable_dns_hostnames) {
                out.add_with(
                    FindingCode::EndpointPrivateDnsNeedsDnsAttributes,
                    &[&ep.id, &vpc.id],
                    crate::text!(
                        "{} has private DNS on, but {} has DNS support {} and DNS hostnames {}; both must be on",
                        ctx.name(&ep.id),
                        ctx.name(&vpc.id),
                        on_off(vpc.enable_dns_support),
                        on_off(vpc.enable_dns_hostnames)
                    ),
                    &[&vpc.id],
                );
            }
            let mut by_az: HashMap<&str, &str> = HashMap::new();
            for i in &ep.interfaces {
                if let Some(s) = ctx.ix.subnet(&i.subnet) {
                    if s.vpc != ep.vpc {
                        out.add(
                            FindingCode::EndpointSubnetOtherVpc,
                            &[&ep.id, &i.subnet],
                            crate::text!(
                                "{} has an interface in {}, a subnet of another VPC",
                                ctx.name(&ep.id),
                                ctx.name(&i.subnet)
                            ),
                        );
                    }
                    if let Some(prev) = by_az.insert(s.az.as_str(), &i.subnet) {
                        out.add(
                            FindingCode::EndpointTwoSubnetsInAz,
                            &[&ep.id, prev, &i.subnet],
                            crate::text!(
                                "{} has interfaces in {} and {}, both in {}; at most one subnet per AZ",
                                ctx.name(&ep.id),
                                ctx.name(prev),
                                ctx.name(&i.subnet),
                                s.az
                            ),
                        );
                    }
                }
            }
            if ep.interfaces.is_empty() {
                out.add(
                    FindingCode::EndpointNoSubnets,
                    &[&ep.id],
                    crate::text!("{} has no subnets, so no address to reach it at", ctx.name(&ep.id)),
                );
            }
            // E2: the endpoint's groups must let clients in on the service port.
            let port = if custom.is_some() { custom_port(ctx, custom) } else { Some(443) };
            if let Some(port) = port {
                let groups: Vec<&SecurityGroup> = if ep.security_groups.is_empty() {
                    ctx.ix.default_security_group(&ep.vpc).into_iter().collect()
                } else {
                    ep.security_groups.iter().filter_map(|g| ctx.ix.security_group(g)).collect()
                };
                let allows = groups.iter().any(|g| {
                    g.ingress.iter().any(|r| r.protocol.covers(Protocol::Tcp) && r.ports.covers_port(Some(port)))
                });
                if !allows {
                    out.add_with(
                        FindingCode::EndpointSgBlocksServicePort,
                        &[&ep.id],
                        crate::text!(
                            "no security group of {} allows inbound TCP {port}, so clients cannot reach it",
                            ctx.name(&ep.id)
                        ),
                        &[&port, &vpc.cidr],
                    );
                }
            }
        }
    }
}

/// E9: a load balancer's listeners and subnets.
fn load_balancer(ctx: &Ctx, lb: &LoadBalancer, out: &mut Findings) {
    for l in &lb.listeners {
        match &l.target_group {
            None => out.add(
                FindingCode::ListenerNoTargetGroup,
                &[&lb.id],
                crate::text!("{} listener {} forwards to no target group", ctx.name(&lb.id), l.port),
            ),
            Some(tg) => {
                if let Some(t) = ctx.ix.target_group(tg) {
                    if t.targets.is_empty() {
                        out.add(
                            FindingCode::TargetGroupEmpty,
                            &[tg, &lb.id],
                            crate::text!("{} has no registered targets", ctx.name(tg)),
                        );
                    }
                }
            }
        }
    }
    let mut by_az: HashMap<&str, &str> = HashMap::new();
    for n in &lb.nodes {
        if let Some(s) = ctx.ix.subnet(&n.subnet) {
            if let Some(prev) = by_az.insert(s.az.as_str(), &n.subnet) {
                out.add(
                    FindingCode::LoadBalancerTwoSubnetsInAz,
                    &[&lb.id, prev, &n.subnet],
                    crate::text!("{} has two subnets in {}; a load balancer takes one per AZ", ctx.name(&lb.id), s.az),
                );
            }
        }
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// The first listener port of the service's first load balancer.
fn custom_port(ctx: &Ctx, svc: Option<&EndpointService>) -> Option<u16> {
    let lb = ctx.ix.load_balancer(svc?.load_balancers.first()?)?;
    lb.listeners.first().map(|l| l.port)
}
