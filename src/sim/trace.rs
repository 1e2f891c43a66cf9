//! The entry point: resolve the request's ends, walk the request, then walk the reply.

use super::dns::{asker_of, Asker};
use super::engine::{finish, on_premises_component, Flow, Step, Walk};
use super::index::{Node, TraceIndex};
use super::request::{Endpoint, TraceRequest, INTERNET_HOST, INTERNET_HOST_V6};
use super::result::{Code, Disposition, Header, HopAction, TraceResult};
use crate::model::{EndpointKind, Protocol, RouteTarget};
use crate::rules::Rule;
use std::net::{IpAddr, Ipv4Addr};

/// The addresses a flow's source can send from, one per family.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SourceAddrs {
    pub v4: Option<IpAddr>,
    pub v6: Option<IpAddr>,
}

impl SourceAddrs {
    /// The source address for a destination of `dst`'s family.
    pub(crate) fn for_dst(&self, dst: IpAddr) -> Option<IpAddr> {
        if dst.is_ipv6() {
            self.v6
        } else {
            self.v4
        }
    }
}

/// Where a flow starts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source {
    Node(Node),
    Internet(IpAddr),
    /// On premises, behind a VPN connection to a VGW attached to a VPC.
    Vgw {
        ip: IpAddr,
        vgw: usize,
        vpc: usize,
    },
    /// On premises, behind a VPN attachment of a transit gateway.
    TgwVpn {
        ip: IpAddr,
        tgw: usize,
        attachment: usize,
    },
}

/// Blockers that do not change the packet: after them, the reply can still be walked to find
/// more.
const FILTER_CODES: [Code; 4] =
    [Code::EniSgRulesMismatch, Code::SgHasNoRules, Code::SubnetAclRestriction, Code::EniSourceDestCheckRestriction];

impl<'a> TraceIndex<'a> {
    /// Trace a flow: the request hop by hop, then the reply the other way.
    pub fn trace(&self, req: &TraceRequest) -> TraceResult {
        if let Some(r) = super::hypothetical::trace_hypothetical(self, req) {
            return r;
        }
        let mut w = Walk::new(self, false, 0);
        let unresolved = |w: Walk<'_, '_>, reason: crate::l10n::Text| {
            finish(w, None, None, Some((Disposition::InsufficientInfo, Code::UnknownDestination, reason)))
        };
        let src = match self.source(&req.from) {
            Ok(s) => s,
            Err(e) => return unresolved(w, e),
        };
        let addrs = self.source_addrs(&src);
        let Some(first) = addrs.v4.or(addrs.v6) else {
            let who_ui = match src {
                Source::Node(n) => self.node_component(n).id,
                _ => "the source".into(),
            };
            return unresolved(w, crate::text!("{who_ui} has no address"));
        };
        let mut h = Header {
            src: first,
            dst: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            protocol: req.protocol,
            src_port: req.effective_src_port(),
            dst_port: req.effective_dst_port(),
        };
        h.dst = match &req.to {
            Endpoint::Ip(ip) => *ip,
            // An IPv6-only source reaches the internet over IPv6.
            Endpoint::Internet if addrs.v4.is_none() => IpAddr::V6(INTERNET_HOST_V6),
            Endpoint::Internet => IpAddr::V4(INTERNET_HOST),
            Endpoint::Hypothetical(h) => {
                return unresolved(w, crate::text!("{} is hypothetical and was not added", h.address()))
            }
            Endpoint::Resource(id) => match self.destination_for(&src, &addrs, id) {
                Ok(ip) => ip,
                Err(e) => return unresolved(w, e),
            },
            Endpoint::Dns(name) => {
                // F4: a client that connects by name sends it as the HTTP Host or TLS SNI.
                w.host = Some(name.trim_end_matches('.').to_ascii_lowercase());
                let asker = match src {
                    Source::Node(n) => asker_of(self, n),
                    _ => Asker { vpc: None, az: None, dns64: false },
                };
                match w.resolve_name(name, asker, &addrs, h) {
                    Ok(ip) => ip,
                    Err((disposition, code, reason)) => {
                        return finish(w, None, None, Some((disposition, code, reason)))
                    }
                }
            }
        };
        // The destination's family picks the source's address (and ICMP's version).
        match addrs.for_dst(h.dst) {
            Some(a) => h.src = a,
            None => {
                let who_ui = match src {
                    Source::Node(n) => self.node_component(n).label(),
                    _ => "the source".to_string(),
                };
                let why = if h.dst.is_ipv6() {
                    crate::text!("{who_ui} has no IPv6 address, so it cannot send to {}: assign it an IPv6 address from its subnet's IPv6 block (A7)", h.dst)
                } else {
                    crate::text!("{who_ui} has no IPv4 address, so it cannot send to {}: it is in an IPv6-only subnet: reach IPv4 through DNS64 and NAT64", h.dst)
                };
                return unresolved(w, why);
            }
        }
        if h.dst.is_ipv6() && h.protocol == Protocol::Icmp {
            h.protocol = Protocol::ICMPV6;
        }
        let flow: Flow = match src {
            Source::Node(n) => w.send(n, h),
            Source::Internet(_) => w.start_from_internet(h),
            Source::Vgw { vgw, vpc, .. } => {
                let s = Step::new(
                    on_premises_component(h.src),
                    HopAction::Send,
                    Rule::T6,
                    said!(crate::text!("{} on premises sends {}", h.src, h)),
                );
                w.pass(s, h, h);
                w.vgw_ingress(vgw, vpc, h)
            }
            Source::TgwVpn { tgw, attachment, .. } => {
                let s = Step::new(
                    on_premises_component(h.src),
                    HopAction::Send,
                    Rule::T6,
                    said!(crate::text!("{} on premises sends {}", h.src, h)),
                );
                w.pass(s, h, h);
                w.tgw_route(tgw, attachment, h, None)
            }
        };
        let walk_reply = match (&flow, &w.first_drop) {
            (Some(_), None) => true,
            (Some(_), Some(_)) => w.blockers.iter().all(|b| FILTER_CODES.contains(&b.code)),
            _ => false,
        };
        let reply = match flow {
            Some((fin, end)) if walk_reply => {
                let mut r = Walk::new(self, true, w.step_base + w.hops.len() as u32);
                r.conns = std::mem::take(&mut w.conns);
                r.eigw_out = w.eigw_out;
                r.inspected = w.inspected.clone();
                r.transit = w.transit.clone();
                let rf = r.start_reply(fin, end.reversed());
                Some((r, rf))
            }
            _ => None,
        };
        finish(w, flow, reply, None)
    }

    /// Where a flow from `ep` starts.
    pub(crate) fn source(&self, ep: &Endpoint) -> Result<Source, crate::l10n::Text> {
        match ep {
            Endpoint::Internet => Ok(Source::Internet(IpAddr::V4(INTERNET_HOST))),
            Endpoint::Hypothetical(h) => Err(crate::text!("{} is hypothetical and was not added", h.address())),
            Endpoint::Resource(id) => {
                let nodes = self.resource_nodes(id)?;
                nodes
                    .first()
                    .map(|&n| Source::Node(n))
                    .ok_or_else(|| crate::text!("{id} has no network interface to send from"))
            }
            Endpoint::Ip(ip) => {
                if let Some(n) = self.public_node(*ip).or_else(|| self.by_ip_any.get(ip).copied()) {
                    return Ok(Source::Node(n));
                }
                if let Some(s) = self.on_premises(*ip) {
                    return Ok(s);
                }
                if let Some(v) = self.vpc_holding(*ip) {
                    return Err(crate::text!("no network interface in {} has the address {ip}", self.d.vpcs[v].id));
                }
                Ok(Source::Internet(*ip))
            }
            Endpoint::Dns(name) => {
                let name = name.to_ascii_lowercase();
                if let Some(&l) = self.lb_names.get(&name) {
                    if !self.d.load_balancers[l].nodes.is_empty() {
                        return Ok(Source::Node(Node::Lb(l, 0)));
                    }
                }
                if let Some(o) = self.managed_by_name(&name) {
                    let id = self.owner_component(o).id;
                    if let Some(&n) = self.managed_nodes(&id).unwrap_or_default().first() {
                        return Ok(Source::Node(n));
                    }
                }
                if let Some(svc) = self.service_by_dns_name(&name) {
                    if let Some(ip) = svc.public_ip() {
                        return Ok(Source::Internet(IpAddr::V4(ip)));
                    }
                }
                if let Some(label) = super::request::vpce_first_label(&name) {
                    if let Some(e) =
                        self.vpce_names.iter().find(|(k, _)| label.starts_with(k.as_str())).map(|(_, &e)| e)
                    {
                        if !self.d.endpoints[e].interfaces.is_empty() {
                            return Ok(Source::Node(Node::Endpoint(e, 0)));
                        }
                    }
                }
                Err(crate::text!("'{name}' is not a name the design can resolve"))
            }
        }
    }

    /// The addresses a source can send from.
    pub(crate) fn source_addrs(&self, src: &Source) -> SourceAddrs {
        match *src {
            Source::Node(n) => SourceAddrs { v4: self.node_addr(n, false), v6: self.node_addr(n, true) },
            // `internet` stands for a host of either family.
            Source::Internet(ip) if ip == IpAddr::V4(INTERNET_HOST) => {
                SourceAddrs { v4: Some(ip), v6: Some(IpAddr::V6(INTERNET_HOST_V6)) }
            }
            Source::Internet(ip) | Source::Vgw { ip, .. } | Source::TgwVpn { ip, .. } => {
                if ip.is_ipv6() {
                    SourceAddrs { v4: None, v6: Some(ip) }
                } else {
                    SourceAddrs { v4: Some(ip), v6: None }
                }
            }
        }
    }

    /// The nodes a resource id stands for, best first.
    fn resource_nodes(&self, id: &str) -> Result<Vec<Node>, crate::l10n::Text> {
        if let Some(&i) = self.instance_ix.get(id) {
            return Ok(self.instance_eni[i].map(Node::Eni).into_iter().collect());
        }
        if let Some(&i) = self.eni_ix.get(id) {
            return Ok(vec![Node::Eni(i)]);
        }
        if let Some(&i) = self.nat_ix.get(id) {
            return Ok(vec![Node::Nat(i)]);
        }
        if let Some(&e) = self.vpce_ix.get(id) {
            let ep = &self.d.endpoints[e];
            if ep.kind == EndpointKind::Gateway {
                return Err(crate::text!(
                    "{id} is a gateway endpoint, which has no address: trace to the service's name instead"
                ));
            }
            return Ok((0..ep.interfaces.len()).map(|k| Node::Endpoint(e, k)).collect());
        }
        if let Some(&l) = self.lb_ix.get(id) {
            return Ok((0..self.d.load_balancers[l].nodes.len()).map(|k| Node::Lb(l, k)).collect());
        }
        if let Some(nodes) = self.managed_nodes(id) {
            return Ok(nodes);
        }
        Err(crate::text!(
            "no instance, network interface, NAT gateway, endpoint, load balancer or managed service has the id '{id}'"
        ))
    }

    /// A VPN connection's on-premises prefixes holding an address (T6).
    fn on_premises(&self, ip: IpAddr) -> Option<Source> {
        // T6: VPN connections carry IPv4 prefixes only.
        let IpAddr::V4(v4) = ip else { return None };
        for (c, vpn) in self.d.vpn_connections.iter().enumerate() {
            if !vpn.routes.iter().any(|n| n.contains(&v4)) {
                continue;
            }
            if let Some(&g) = vpn.vpn_gateway.as_deref().and_then(|g| self.vgw_ix.get(g)) {
                if let Some(&v) = self.d.vpn_gateways[g].vpc.as_deref().and_then(|v| self.vpc_ix.get(v)) {
                    return Some(Source::Vgw { ip, vgw: g, vpc: v });
                }
            }
            if let Some(&a) = self.vpn_attach.get(&c) {
                if let Some(&t) = self.tgw_ix.get(self.d.tgw_attachments[a].tgw.as_str()) {
                    return Some(Source::TgwVpn { ip, tgw: t, attachment: a });
                }
            }
        }
        None
    }

    /// The address a destination resource has as seen from the source: public from the
    /// internet (or from a VPC that can reach it only through the internet), private from its
    /// own VPC, a peered one or on premises.
    ///
    /// The family: IPv4 when both ends have it, else IPv6 when both have it (an IPv6-only
    /// instance, or one with no public IPv4 seen from the internet).
    pub(crate) fn destination_for(
        &self,
        src: &Source,
        addrs: &SourceAddrs,
        id: &str,
    ) -> Result<IpAddr, crate::l10n::Text> {
        if let Some(answer) = self.managed_destination(src, id) {
            return answer;
        }
        if let Some(&e) = self.vpce_ix.get(id) {
            let ep = &self.d.endpoints[e];
            if ep.kind == EndpointKind::Gateway {
                return self
                    .cat
                    .by_service_name(&ep.service_name)
                    .and_then(|s| s.public_ip())
                    .map(IpAddr::V4)
                    .ok_or_else(|| crate::text!("{id}'s service has no public address in the catalog"));
            }
        }
        let nodes = self.resource_nodes(id)?;
        let src_az = match src {
            Source::Node(n) => self.node_subnet(*n).map(|s| self.d.subnets[s].az.as_str()),
            _ => None,
        };
        let node = nodes
            .iter()
            .copied()
            .find(|&n| src_az.is_some() && self.node_subnet(n).map(|s| self.d.subnets[s].az.as_str()) == src_az)
            .or(nodes.first().copied())
            .ok_or_else(|| crate::text!("{id} has no network interface to receive on"))?;
        let v6 = self.node_addr(node, true);
        let from_internet = matches!(src, Source::Internet(_));
        let v4 = self.node_ip(node).filter(|_| addrs.v4.is_some());
        let Some(private) = v4 else {
            return match (addrs.v6, v6) {
                (Some(_), Some(a)) => Ok(a),
                _ if self.node_ip(node).is_none() && v6.is_some() => {
                    Err(crate::text!("{id} is IPv6-only and the source has no IPv6 address"))
                }
                _ if self.node_ip(node).is_some() => {
                    Err(crate::text!("{id} has no IPv6 address and the source has only IPv6"))
                }
                _ => Err(crate::text!("{id} has no address")),
            };
        };
        let public = self.node_public(node).map(IpAddr::V4);
        // From the internet, a node with no public IPv4 address is reached at its IPv6 one (I5).
        if from_internet && public.is_none() {
            if let (Some(_), Some(a)) = (addrs.v6, v6) {
                return Ok(a);
            }
        }
        let Source::Node(s) = *src else {
            return Ok(match src {
                Source::Internet(_) => public.unwrap_or(private),
                _ => private,
            });
        };
        let (Some(ss), Some(ds)) = (self.node_subnet(s), self.node_subnet(node)) else { return Ok(private) };
        let (sv, dv) = (self.vpc_of(ss), self.vpc_of(ds));
        if sv == dv || public.is_none() {
            return Ok(private);
        }
        // Another VPC: private if the source's table routes there privately.
        let Some(rt) = self.subnet_rt[ss] else { return Ok(private) };
        let table = &self.tables[rt];
        let privately = table.lookup(private, &[]).winner.is_some_and(|w| {
            !matches!(table.route(w).target, RouteTarget::InternetGateway(_) | RouteTarget::NatGateway(_))
        });
        Ok(if privately { private } else { public.unwrap_or(private) })
    }
}
