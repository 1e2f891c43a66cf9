//! DNS resolution as a hop of its own: private DNS of interface endpoints (E4), the names that
//! always reach an endpoint (E5), AWS services' public names, load balancers' names.

use super::engine::Walk;
use super::explain::{Answer, Matched};
use super::index::Node;
use super::request::vpce_first_label;
use super::result::{Blocker, Code, Component, ComponentKind, Disposition, Header, HopAction};
use super::trace::SourceAddrs;
use crate::model::LoadBalancerScheme;
use crate::rules::Rule;
use std::net::{IpAddr, Ipv6Addr};

/// Why a name could not be resolved.
pub(crate) type Unresolved = (Disposition, Code, crate::l10n::Text);

/// Who asks: the client's VPC and Availability Zone, if it is in one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asker<'a> {
    pub vpc: Option<usize>,
    pub az: Option<&'a str>,
    /// The asker's subnet has DNS64 on: names without an AAAA record get one synthesised in
    /// 64:ff9b::/96 from their A record.
    pub dns64: bool,
}

/// How a name's answer was chosen among its A and AAAA records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    /// The A record: the client sends over IPv4.
    A,
    /// The AAAA record: the client has IPv6 and prefers it (RFC 6724).
    Aaaa,
    /// No AAAA record; DNS64 made one from the A record (64:ff9b::a.b.c.d).
    Dns64,
}

/// The answer a client uses for a name with these records (both families when the name is
/// dual-stack): IPv6 when the client has an IPv6 address and an AAAA record exists (or DNS64
/// makes one), else IPv4. `None` when the client has no address of any family the name has.
fn pick(a: Option<IpAddr>, aaaa: Option<IpAddr>, asker: Asker<'_>, addrs: &SourceAddrs) -> Option<(IpAddr, Pick)> {
    if addrs.v6.is_some() {
        if let Some(x) = aaaa {
            return Some((x, Pick::Aaaa));
        }
        if let (true, Some(IpAddr::V4(v4))) = (asker.dns64, a) {
            let synth = u128::from(crate::net::NAT64_PREFIX.network()) | u128::from(u32::from(v4));
            return Some((IpAddr::V6(Ipv6Addr::from(synth)), Pick::Dns64));
        }
    }
    match a {
        Some(x) if addrs.v4.is_some() => Some((x, Pick::A)),
        _ => None,
    }
}

/// `name → answer`, saying which record it came from.
fn record(name: &str, a: Option<IpAddr>, ip: IpAddr, how: Pick) -> Matched {
    let answer = match (how, a) {
        (Pick::Dns64, Some(v4)) => Answer::Dns64 { a: v4 },
        (Pick::Aaaa, _) => Answer::Aaaa,
        _ => Answer::A,
    };
    Matched::Record { name: name.to_string(), ip, answer, zone: None }
}

/// Why a name has no answer the client can use.
fn no_usable_answer(
    name: &str,
    a: Option<IpAddr>,
    aaaa: Option<IpAddr>,
    asker: Asker<'_>,
    addrs: &SourceAddrs,
) -> Unresolved {
    let reason = if addrs.v4.is_none() && aaaa.is_none() && a.is_some() && !asker.dns64 {
        crate::text!("{name} has only an A (IPv4) record, the client is IPv6-only and DNS64 is off in its subnet, so it gets no address it can use: turn on DNS64 and route 64:ff9b::/96 to a NAT gateway (NAT64)")
    } else if addrs.v6.is_none() && a.is_none() {
        crate::text!("{name} has only an AAAA (IPv6) record and the client has no IPv6 address")
    } else {
        crate::text!("{name} has no record of a family the client has")
    };
    (Disposition::NoRoute, Code::NoPossibleDestination, reason)
}

impl Walk<'_, '_> {
    /// Resolve `name` for the asker; records a `resolve` hop. `h` is the packet as it will be
    /// sent once the name is known (its destination is filled in here).
    pub(crate) fn resolve_name(
        &mut self,
        name: &str,
        asker: Asker<'_>,
        addrs: &SourceAddrs,
        mut h: Header,
    ) -> Result<IpAddr, Unresolved> {
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
                        crate::text!("{name} names no interface of {}", ep.id),
                    ));
                };
                let a = Some(IpAddr::V4(ep.interfaces[k].ip));
                let (ip, how) =
                    pick(a, None, asker, addrs).ok_or_else(|| no_usable_answer(&name, a, None, asker, addrs))?;
                h.dst = ip;
                h.src = addrs.for_dst(ip).unwrap_or(h.src);
                let kind_ui = if zone.is_some() { "zonal" } else { "regional" };
                let s = super::engine::Step::new(
                    resolver,
                    HopAction::Resolve,
                    Rule::E5,
                    said!(crate::text!(
                        "{name} is {}'s {kind_ui} name, which always resolves to its interfaces: {ip}",
                        ep.id
                    )),
                )
                .matched(said!(record(&name, a, ip, how)));
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
                    crate::text!("{} has no nodes", lb.id),
                ));
            };
            let node = &lb.nodes[k];
            let (ip, what) = match (lb.scheme, node.public_ip) {
                (LoadBalancerScheme::InternetFacing, Some(p)) => (
                    IpAddr::V4(p),
                    crate::text!("an internet-facing load balancer's name resolves to its nodes' public addresses"),
                ),
                _ => (
                    IpAddr::V4(node.private_ip),
                    crate::text!("an internal load balancer's name resolves to its nodes' private addresses"),
                ),
            };
            let a = Some(ip);
            let (ip, how) =
                pick(a, None, asker, addrs).ok_or_else(|| no_usable_answer(&name, a, None, asker, addrs))?;
            h.dst = ip;
            h.src = addrs.for_dst(ip).unwrap_or(h.src);
            let s = super::engine::Step::new(
                resolver,
                HopAction::Resolve,
                Rule::X2,
                said!(crate::text!("{name} is {}'s name: {what}, here {ip}", lb.id).with("what", what.clone())),
            )
            .matched(said!(record(&name, a, ip, how)));
            self.pass(s, h, h);
            return Ok(ip);
        }
        let Some(svc) = ix.service_by_dns_name(&name) else {
            return Err((
                Disposition::InsufficientInfo,
                Code::UnknownDestination,
                crate::text!("{name} is not a name the design can resolve"),
            ));
        };
        let public = svc.public_ip().map(IpAddr::V4);
        // Only the dual-stack name has an AAAA record.
        let public6 = svc.public_ipv6().filter(|_| svc.is_dualstack_name(&name)).map(IpAddr::V6);
        if let Some(v) = asker.vpc {
            let vpc = &ix.d.vpcs[v];
            if let Some(e) = ix.private_dns_endpoint(v, &svc.service_name) {
                let ep = &ix.d.endpoints[e];
                if vpc.enable_dns_support && vpc.enable_dns_hostnames {
                    if let Some(k) = self.pick_iface(e, asker.az) {
                        let a = Some(IpAddr::V4(ep.interfaces[k].ip));
                        let (ip, how) = pick(a, None, asker, addrs)
                            .ok_or_else(|| no_usable_answer(&name, a, None, asker, addrs))?;
                        h.dst = ip;
                        h.src = addrs.for_dst(ip).unwrap_or(h.src);
                        let s = super::engine::Step::new(
                            resolver,
                            HopAction::Resolve,
                            Rule::E4,
                            said!(crate::text!(
                                "private DNS of {} answers for {name} inside {}: the endpoint's interface {ip}",
                                ep.id,
                                vpc.id
                            )),
                        )
                        .matched(said!(record(&name, a, ip, how).in_zone(&ep.id)));
                        self.pass(s, h, h);
                        return Ok(ip);
                    }
                }
                if public.is_none() && public6.is_none() {
                    return Err((
                        Disposition::InsufficientInfo,
                        Code::UnknownDestination,
                        crate::text!("{name} has no public address in the catalog"),
                    ));
                }
                let (ip, _) = pick(public, public6, asker, addrs)
                    .ok_or_else(|| no_usable_answer(&name, public, public6, asker, addrs))?;
                h.dst = ip;
                h.src = addrs.for_dst(ip).unwrap_or(h.src);
                let off: Vec<&str> =
                    [("enableDnsSupport", vpc.enable_dns_support), ("enableDnsHostnames", vpc.enable_dns_hostnames)]
                        .iter()
                        .filter(|(_, on)| !on)
                        .map(|(n, _)| *n)
                        .collect();
                let reason = said!(crate::text!(
                    "private DNS of {} is on, but {} has {} off, so {name} resolves to the public address {ip} instead of the endpoint (E4)",
                    ep.id,
                    vpc.id,
                    off.join(" and ")
                ));
                let s = super::engine::Step::new(resolver.clone(), HopAction::Resolve, Rule::E4, said!(reason.clone()))
                    .matched(said!(Matched::Record { name: name.clone(), ip, answer: Answer::Public, zone: None }));
                let step = self.pass(s, h, h);
                let fix = crate::text!("turn on enableDnsSupport and enableDnsHostnames on {}", vpc.id);
                self.pending.push(Blocker {
                    step,
                    component: Component::new(ComponentKind::Vpc, vpc.id.clone(), vpc.name.clone()),
                    code: Code::BadState,
                    reason: reason.into(),
                    fix: fix.english,
                    fix_template: fix.template,
                });
                return Ok(ip);
            }
        }
        if public.is_none() && public6.is_none() {
            return Err((
                Disposition::InsufficientInfo,
                Code::UnknownDestination,
                crate::text!("{name} has no public address in the catalog"),
            ));
        }
        let (ip, how) = pick(public, public6, asker, addrs)
            .ok_or_else(|| no_usable_answer(&name, public, public6, asker, addrs))?;
        h.dst = ip;
        h.src = addrs.for_dst(ip).unwrap_or(h.src);
        let off = asker.vpc.and_then(|v| {
            ix.vpc_endpoints[v]
                .iter()
                .copied()
                .find(|&e| ix.endpoint_service_name(e) == svc.service_name && !ix.d.endpoints[e].private_dns_enabled)
                .map(|e| &ix.d.endpoints[e])
        });
        let (rule, decision) = match off {
            Some(e) => (Rule::E4, said!(crate::text!("private DNS is off on {}, so {name} resolves to the service's public address {ip}", e.id))),
            None if svc.gateway_endpoint => (Rule::G3, said!(crate::text!("{name} resolves to the service's public address {ip}; a gateway endpoint, if routed, catches it by prefix list"))),
            None => (Rule::E4, said!(crate::text!("{name} resolves to the service's public address {ip}"))),
        };
        let (rule, decision) = match how {
            Pick::Dns64 => (Rule::I5, said!(crate::text!("{name} has no AAAA record; DNS64 in the client's subnet synthesises {ip} from its A record, so an IPv6 client reaches it through NAT64"))),
            Pick::Aaaa => (rule, said!(crate::text!("{} (its AAAA record: the client has IPv6 and prefers it)", decision.english))),
            Pick::A => (rule, decision),
        };
        let s = super::engine::Step::new(resolver, HopAction::Resolve, rule, decision)
            .matched(said!(record(&name, public, ip, how)));
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
    Asker {
        vpc: s.and_then(|s| ix.vpc_of(s)),
        az: s.map(|s| ix.d.subnets[s].az.as_str()),
        dns64: s.is_some_and(|s| ix.d.subnets[s].enable_dns64),
    }
}
