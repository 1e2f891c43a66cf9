//! Endpoint checks: gateway endpoints (G1, G2), interface endpoints (E1–E8), endpoint services
//! and load balancers (E9).

use super::{Ctx, Findings, Severity::*};
use crate::model::*;
use std::collections::HashMap;

pub fn check(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    let catalog = ServiceCatalog::builtin();
    for ep in &d.endpoints {
        let Some(vpc) = ctx.vpcs.get(ep.vpc.as_str()) else { continue };
        let svc = catalog.by_service_name(&ep.service_name);
        let custom = d.endpoint_services.iter().find(|s| s.service_name == ep.service_name);
        if ep.state != EndpointState::Available {
            out.add(
                Warning,
                "ENDPOINT_NOT_AVAILABLE",
                "E8",
                &[&ep.id],
                format!("{} is {}; only an available endpoint carries traffic", ctx.name(&ep.id), ep.state.api_name()),
                if ep.state == EndpointState::PendingAcceptance {
                    "the service owner must accept the connection"
                } else {
                    "recreate the endpoint"
                },
            );
        }
        match ep.kind {
            EndpointKind::Gateway => {
                match svc {
                    Some(s) if !s.gateway_endpoint => out.add(
                        Error,
                        "GATEWAY_ENDPOINT_UNSUPPORTED",
                        "G1",
                        &[&ep.id],
                        format!(
                            "{} is a gateway endpoint for {}, which only offers interface endpoints",
                            ctx.name(&ep.id),
                            ep.service_name
                        ),
                        "create an interface endpoint instead",
                    ),
                    Some(s) if s.region != vpc.region => out.add(
                        Error,
                        "GATEWAY_ENDPOINT_OTHER_REGION",
                        "G1",
                        &[&ep.id],
                        format!(
                            "{} serves {} in {}, but its VPC is in {}; gateway endpoints work in their own region only",
                            ctx.name(&ep.id),
                            ep.service_name,
                            s.region,
                            vpc.region
                        ),
                        format!("use com.amazonaws.{}.{}", vpc.region, s.short),
                    ),
                    None => out.add(
                        Warning,
                        "ENDPOINT_SERVICE_UNKNOWN",
                        "G1",
                        &[&ep.id],
                        format!("{} names {}, a service the catalog does not know", ctx.name(&ep.id), ep.service_name),
                        "check the service name",
                    ),
                    _ => {}
                }
                if !vpc.enable_dns_support {
                    out.add(
                        Warning,
                        "GATEWAY_ENDPOINT_NEEDS_DNS",
                        "G5",
                        &[&ep.id, &vpc.id],
                        format!(
                            "{} needs DNS support on {} to resolve the service's names",
                            ctx.name(&ep.id),
                            ctx.name(&vpc.id)
                        ),
                        "turn on enableDnsSupport",
                    );
                }
            }
            EndpointKind::Interface | EndpointKind::GatewayLoadBalancer => {
                if svc.is_none() && custom.is_none() {
                    out.add(
                        Warning,
                        "ENDPOINT_SERVICE_UNKNOWN",
                        "E9",
                        &[&ep.id],
                        format!(
                            "{} names {}, which is neither a catalog service nor an endpoint service in the design",
                            ctx.name(&ep.id),
                            ep.service_name
                        ),
                        "check the service name",
                    );
                }
                if let Some(s) = svc {
                    if !s.interface_endpoint {
                        out.add(
                            Error,
                            "INTERFACE_ENDPOINT_UNSUPPORTED",
                            "G1",
                            &[&ep.id],
                            format!("{} has no interface endpoint; use a gateway endpoint", ep.service_name),
                            "create a gateway endpoint",
                        );
                    }
                }
                if ep.private_dns_enabled && !(vpc.enable_dns_support && vpc.enable_dns_hostnames) {
                    out.add(
                        Error,
                        "ENDPOINT_PRIVATE_DNS_NEEDS_DNS_ATTRIBUTES",
                        "E4",
                        &[&ep.id, &vpc.id],
                        format!(
                            "{} has private DNS on, but {} has DNS support {} and DNS hostnames {}; both must be on",
                            ctx.name(&ep.id),
                            ctx.name(&vpc.id),
                            on_off(vpc.enable_dns_support),
                            on_off(vpc.enable_dns_hostnames)
                        ),
                        format!("turn on enableDnsHostnames and enableDnsSupport on {}", vpc.id),
                    );
                }
                let mut by_az: HashMap<&str, &str> = HashMap::new();
                for i in &ep.interfaces {
                    if let Some(s) = ctx.subnets.get(i.subnet.as_str()) {
                        if s.vpc != ep.vpc {
                            out.add(
                                Error,
                                "ENDPOINT_SUBNET_OTHER_VPC",
                                "E1",
                                &[&ep.id, &i.subnet],
                                format!(
                                    "{} has an interface in {}, a subnet of another VPC",
                                    ctx.name(&ep.id),
                                    ctx.name(&i.subnet)
                                ),
                                "choose subnets of the endpoint's VPC",
                            );
                        }
                        if let Some(prev) = by_az.insert(s.az.as_str(), &i.subnet) {
                            out.add(
                                Error,
                                "ENDPOINT_TWO_SUBNETS_IN_AZ",
                                "E1",
                                &[&ep.id, prev, &i.subnet],
                                format!(
                                    "{} has interfaces in {} and {}, both in {}; at most one subnet per AZ",
                                    ctx.name(&ep.id),
                                    ctx.name(prev),
                                    ctx.name(&i.subnet),
                                    s.az
                                ),
                                "keep one subnet per AZ",
                            );
                        }
                    }
                }
                if ep.interfaces.is_empty() {
                    out.add(
                        Warning,
                        "ENDPOINT_NO_SUBNETS",
                        "E1",
                        &[&ep.id],
                        format!("{} has no subnets, so no address to reach it at", ctx.name(&ep.id)),
                        "choose at least one subnet",
                    );
                }
                // E2: the endpoint's groups must let clients in on the service port.
                let port = if custom.is_some() { custom_port(d, custom) } else { Some(443) };
                if let Some(port) = port {
                    let groups: Vec<&SecurityGroup> = if ep.security_groups.is_empty() {
                        d.default_security_group(&ep.vpc).into_iter().collect()
                    } else {
                        ep.security_groups.iter().filter_map(|g| d.security_group(g)).collect()
                    };
                    let allows = groups.iter().any(|g| {
                        g.ingress.iter().any(|r| r.protocol.covers(Protocol::Tcp) && r.ports.covers_port(Some(port)))
                    });
                    if !allows {
                        out.add(
                            Warning,
                            "ENDPOINT_SG_BLOCKS_SERVICE_PORT",
                            "E2",
                            &[&ep.id],
                            format!(
                                "no security group of {} allows inbound TCP {port}, so clients cannot reach it",
                                ctx.name(&ep.id)
                            ),
                            format!("allow inbound TCP {port} from the VPC CIDR {} in the endpoint's group", vpc.cidr),
                        );
                    }
                }
            }
        }
    }
    for s in &d.endpoint_services {
        if s.load_balancers.is_empty() {
            out.add(
                Error,
                "ENDPOINT_SERVICE_NO_LOAD_BALANCER",
                "E9",
                &[&s.id],
                format!("{} has no network load balancer behind it", ctx.name(&s.id)),
                "attach a network load balancer",
            );
        }
        for lb in &s.load_balancers {
            if let Some(l) = d.load_balancer(lb) {
                if l.kind == LoadBalancerKind::Application {
                    out.add(Error, "ENDPOINT_SERVICE_NOT_NLB", "E9", &[&s.id, lb], format!("{} is fronted by {}, an application load balancer; endpoint services need a network (or gateway) load balancer", ctx.name(&s.id), ctx.name(lb)), "put an NLB in front");
                }
            }
        }
    }
    for lb in &d.load_balancers {
        for l in &lb.listeners {
            match &l.target_group {
                None => out.add(
                    Warning,
                    "LISTENER_NO_TARGET_GROUP",
                    "E9",
                    &[&lb.id],
                    format!("{} listener {} forwards to no target group", ctx.name(&lb.id), l.port),
                    "attach a target group",
                ),
                Some(tg) => {
                    if let Some(t) = d.target_group(tg) {
                        if t.targets.is_empty() {
                            out.add(
                                Warning,
                                "TARGET_GROUP_EMPTY",
                                "E9",
                                &[tg, &lb.id],
                                format!("{} has no registered targets", ctx.name(tg)),
                                "register instances or IPs",
                            );
                        }
                    }
                }
            }
        }
        let mut by_az: HashMap<&str, &str> = HashMap::new();
        for n in &lb.nodes {
            if let Some(s) = ctx.subnets.get(n.subnet.as_str()) {
                if let Some(prev) = by_az.insert(s.az.as_str(), &n.subnet) {
                    out.add(
                        Error,
                        "LOAD_BALANCER_TWO_SUBNETS_IN_AZ",
                        "E9",
                        &[&lb.id, prev, &n.subnet],
                        format!("{} has two subnets in {}; a load balancer takes one per AZ", ctx.name(&lb.id), s.az),
                        "keep one subnet per AZ",
                    );
                }
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
fn custom_port(d: &Design, svc: Option<&EndpointService>) -> Option<u16> {
    let lb = d.load_balancer(svc?.load_balancers.first()?)?;
    lb.listeners.first().map(|l| l.port)
}
