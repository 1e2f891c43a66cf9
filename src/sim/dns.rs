//! DNS resolution as a hop of its own: private DNS of interface endpoints (E4), the names that
//! always reach an endpoint (E5), AWS services' public names, load balancers' names.

use super::engine::Walk;
use super::index::Node;
use super::request::vpce_first_label;
use super::result::{Blocker, Code, Component, ComponentKind, Disposition, Header, HopAction};
use crate::model::LoadBalancerScheme;
use crate::rules::Rule;
use std::net::IpAddr;

/// Why a name could not be resolved.
pub(crate) type Unresolved = (Disposition, Code, String);

/// Who asks: the client's VPC and Availability Zone, if it is in one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asker<'a> {
    pub vpc: Option<usize>,
    pub az: Option<&'a str>,
}

impl Walk<'_, '_> {
    /// Resolve `name` for the asker; records a `resolve` hop. `h` is the packet as it will be
    /// sent once the name is known (its destination is filled in here).
    pub(crate) fn resolve_name(&mut self, name: &str, asker: Asker<'_>, mut h: Header) -> Result<IpAddr, Unresolved> {
        let ix = self.ix;
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let resolver = match asker.vpc {
            Some(v) => Component::new(
                ComponentKind::Dns,
                ix.d.vpcs[v].dns_server().to_string(),
                "Amazon DNS (Route 53 Resolver)",
            ),
            None => Component::new(ComponentKind::Dns, "public-dns", "public DNS"),
        };
        // E5: endpoint-specific names always resolve to the endpoint's interfaces.
        if let Some(label) = vpce_first_label(&name) {
            let mut found = ix.vpce_names.get(label).map(|&e| (e, None));
            let mut cut = label.len();
            while found.is_none() {
                let Some(pos) = label[..cut].rfind('-') else { break };
                if let Some(&e) = ix.vpce_names.get(&label[..pos]) {
                    found = Some((e, Some(&label[pos + 1..])));
                }
                cut = pos;
            }
            if let Some((e, zone)) = found {
                let ep = &ix.d.endpoints[e];
                let k = match zone {
                    Some(z) => (0..ep.interfaces.len()).find(|&k| self.iface_az(e, k) == Some(z)),
                    None => self.pick_iface(e, asker.az),
                };
                let Some(k) = k else {
                    return Err((
                        Disposition::InsufficientInfo,
                        Code::UnknownDestination,
                        format!("{name} names no interface of {}", ep.id),
                    ));
                };
                let ip = IpAddr::V4(ep.interfaces[k].ip);
                h.dst = ip;
                let kind = if zone.is_some() { "zonal" } else { "regional" };
                let s = super::engine::Step::new(
                    resolver,
                    HopAction::Resolve,
                    Rule::E5,
                    format!("{name} is {}'s {kind} name, which always resolves to its interfaces: {ip}", ep.id),
                )
                .matched(format!("{name} → {ip}"));
                self.pass(s, h, h);
                return Ok(ip);
            }
        }
        if let Some(o) = ix.managed_by_name(&name) {
            return self.resolve_managed(o, &name, asker, resolver, h);
        }
        if let Some(&l) = ix.lb_names.get(&name) {
            let lb = &ix.d.load_balancers[l];
            let nodes = &ix.lb_subnets[l];
            let k = (0..nodes.len())
                .find(|&k| nodes[k].map(|s| ix.d.subnets[s].az.as_str()) == asker.az)
                .or(if lb.nodes.is_empty() { None } else { Some(0) });
            let Some(k) = k else {
                return Err((
                    Disposition::InsufficientInfo,
                    Code::UnknownDestination,
                    format!("{} has no nodes", lb.id),
                ));
            };
            let node = &lb.nodes[k];
            let (ip, what) = match (lb.scheme, node.public_ip) {
                (LoadBalancerScheme::InternetFacing, Some(p)) => {
                    (IpAddr::V4(p), "an internet-facing load balancer's name resolves to its nodes' public addresses")
                }
                _ => (
                    IpAddr::V4(node.private_ip),
                    "an internal load balancer's name resolves to its nodes' private addresses",
                ),
            };
            h.dst = ip;
            let s = super::engine::Step::new(
                resolver,
                HopAction::Resolve,
                Rule::X2,
                format!("{name} is {}'s name: {what}, here {ip}", lb.id),
            )
            .matched(format!("{name} → {ip}"));
            self.pass(s, h, h);
            return Ok(ip);
        }
        let Some(svc) = ix.service_by_dns_name(&name) else {
            return Err((
                Disposition::InsufficientInfo,
                Code::UnknownDestination,
                format!("{name} is not a name the design can resolve"),
            ));
        };
        let public = svc.public_ip().map(IpAddr::V4);
        if let Some(v) = asker.vpc {
            let vpc = &ix.d.vpcs[v];
            if let Some(e) = ix.private_dns_endpoint(v, &svc.service_name) {
                let ep = &ix.d.endpoints[e];
                if vpc.enable_dns_support && vpc.enable_dns_hostnames {
                    if let Some(k) = self.pick_iface(e, asker.az) {
                        let ip = IpAddr::V4(ep.interfaces[k].ip);
                        h.dst = ip;
                        let s = super::engine::Step::new(
                            resolver,
                            HopAction::Resolve,
                            Rule::E4,
                            format!(
                                "private DNS of {} answers for {name} inside {}: the endpoint's interface {ip}",
                                ep.id, vpc.id
                            ),
                        )
                        .matched(format!("{name} → {ip} (private hosted zone of {})", ep.id));
                        self.pass(s, h, h);
                        return Ok(ip);
                    }
                }
                let Some(ip) = public else {
                    return Err((
                        Disposition::InsufficientInfo,
                        Code::UnknownDestination,
                        format!("{name} has no public address in the catalog"),
                    ));
                };
                h.dst = ip;
                let off: Vec<&str> =
                    [("enableDnsSupport", vpc.enable_dns_support), ("enableDnsHostnames", vpc.enable_dns_hostnames)]
                        .iter()
                        .filter(|(_, on)| !on)
                        .map(|(n, _)| *n)
                        .collect();
                let reason = format!(
                    "private DNS of {} is on, but {} has {} off, so {name} resolves to the public address {ip} instead of the endpoint (E4)",
                    ep.id,
                    vpc.id,
                    off.join(" and ")
                );
                let s = super::engine::Step::new(resolver.clone(), HopAction::Resolve, Rule::E4, reason.clone())
                    .matched(format!("{name} → {ip} (public)"));
                let step = self.pass(s, h, h);
                self.pending.push(Blocker {
                    step,
                    component: Component::new(ComponentKind::Vpc, vpc.id.clone(), vpc.name.clone()),
                    code: Code::BadState,
                    reason,
                    fix: format!("turn on enableDnsSupport and enableDnsHostnames on {}", vpc.id),
                });
                return Ok(ip);
            }
        }
        let Some(ip) = public else {
            return Err((
                Disposition::InsufficientInfo,
                Code::UnknownDestination,
                format!("{name} has no public address in the catalog"),
            ));
        };
        h.dst = ip;
        let off = asker.vpc.and_then(|v| {
            ix.vpc_endpoints[v]
                .iter()
                .copied()
                .find(|&e| ix.endpoint_service_name(e) == svc.service_name && !ix.d.endpoints[e].private_dns_enabled)
                .map(|e| &ix.d.endpoints[e])
        });
        let (rule, decision) = match off {
            Some(e) => (Rule::E4, format!("private DNS is off on {}, so {name} resolves to the service's public address {ip}", e.id)),
            None if svc.gateway_endpoint => (Rule::G3, format!("{name} resolves to the service's public address {ip}; a gateway endpoint, if routed, catches it by prefix list")),
            None => (Rule::E4, format!("{name} resolves to the service's public address {ip}")),
        };
        let s =
            super::engine::Step::new(resolver, HopAction::Resolve, rule, decision).matched(format!("{name} → {ip}"));
        self.pass(s, h, h);
        Ok(ip)
    }

    fn iface_az(&self, e: usize, k: usize) -> Option<&str> {
        let ix = self.ix;
        ix.ep_subnets[e].get(k).copied().flatten().map(|s| ix.d.subnets[s].az.as_str())
    }

    /// The endpoint interface a client in `az` uses: its own zone's, else the first.
    pub(crate) fn pick_iface(&self, e: usize, az: Option<&str>) -> Option<usize> {
        let n = self.ix.d.endpoints[e].interfaces.len();
        (0..n).find(|&k| az.is_some() && self.iface_az(e, k) == az).or(if n > 0 { Some(0) } else { None })
    }
}

/// The node's VPC and AZ, as a DNS asker.
pub(crate) fn asker_of<'a>(ix: &super::index::TraceIndex<'a>, n: Node) -> Asker<'a> {
    let s = ix.node_subnet(n);
    Asker { vpc: s.and_then(|s| ix.vpc_of(s)), az: s.map(|s| ix.d.subnets[s].az.as_str()) }
}
