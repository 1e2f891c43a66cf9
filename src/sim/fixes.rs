//! One-line suggested changes for blockers ("add a route 0.0.0.0/0 → igw-0001 to rtb-0002").

use super::index::TraceIndex;
use super::request::has_ports;
use super::result::Header;
use crate::l10n::Text;
use crate::model::{NaclEntry, NetworkAcl, PeeringStatus, Protocol, Route, RouteTable, RouteTarget};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `tcp 443`, `udp 53`, `icmp`, `protocol 47`.
pub(crate) fn packet_proto_ports(h: &Header) -> String {
    match (h.protocol, h.dst_port) {
        (Protocol::Tcp | Protocol::Udp, Some(p)) => format!("{} {p}", h.protocol),
        (Protocol::Number(n), _) => format!("protocol {n}"),
        (p, _) => p.to_string(),
    }
}

/// RFC1918 or RFC6598 (I4). IPv6 has no private space the internet gateway refuses this way:
/// every VPC IPv6 address is global (I5); unique-local addresses are [`is_special`].
pub(crate) fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => a.is_private() || is_shared(ip),
        IpAddr::V6(_) => false,
    }
}

/// Addresses no internet router forwards. IPv4: "this network" 0/8, loopback 127/8,
/// link-local 169.254/16 (X1), multicast 224/4, and reserved 240/4 with the broadcast
/// address. IPv6: unspecified, loopback, link-local fe80::/10, unique-local fc00::/7 and
/// multicast ff00::/8.
pub(crate) fn is_special(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            o[0] == 0 || o[0] == 127 || (o[0] == 169 && o[1] == 254) || o[0] >= 224
        }
        IpAddr::V6(a) => v6_special_kind(a).is_some(),
    }
}

fn v6_special_kind(a: Ipv6Addr) -> Option<&'static str> {
    let first = a.segments()[0];
    Some(match () {
        _ if a.is_unspecified() => "the unspecified (::)",
        _ if a.is_loopback() => "a loopback",
        _ if first & 0xffc0 == 0xfe80 => "a link-local (fe80::/10)",
        _ if first & 0xfe00 == 0xfc00 => "a unique-local (fc00::/7)",
        _ if a.is_multicast() => "a multicast",
        _ => return None,
    })
}

/// What kind of address `is_special` matched, for messages.
pub(crate) fn special_kind(ip: IpAddr) -> &'static str {
    let a = match ip {
        IpAddr::V4(a) => a,
        IpAddr::V6(a) => return v6_special_kind(a).unwrap_or("a reserved"),
    };
    let o = a.octets();
    match o[0] {
        0 => "a \"this network\" (0.0.0.0/8)",
        127 => "a loopback",
        169 => "a link-local",
        224..=239 => "a multicast",
        _ if a == Ipv4Addr::BROADCAST => "the broadcast",
        _ => "a reserved (240.0.0.0/4)",
    }
}

/// RFC6598 shared address space 100.64.0.0/10.
pub(crate) fn is_shared(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            o[0] == 100 && (64..128).contains(&o[1])
        }
        IpAddr::V6(_) => false,
    }
}

/// A host route for an address: `10.0.0.10/32`, `2001:db8::10/128`.
pub(crate) fn host_cidr(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(a) => format!("{a}/32"),
        IpAddr::V6(a) => format!("{a}/128"),
    }
}

/// The default route of the packet's family: `0.0.0.0/0` or `::/0` (R3).
pub(crate) fn default_route(ip: IpAddr) -> &'static str {
    match ip {
        IpAddr::V4(_) => "0.0.0.0/0",
        IpAddr::V6(_) => "::/0",
    }
}

/// The prefix list of a gateway endpoint of the VPC that holds an address (G5: SG rules may
/// name it).
pub(crate) fn gateway_prefix_list<'a>(ix: &TraceIndex<'a>, vpc: usize, ip: IpAddr) -> Option<&'a str> {
    ix.vpc_gateway_endpoints[vpc].iter().find_map(|&e| {
        let svc = ix.service_named(ix.endpoint_service_name(e))?;
        let pl = svc.prefix_list_id.as_deref()?;
        ix.prefix_list_contains(pl, ip).then_some(pl)
    })
}

/// S2, G5: allow the packet in a group.
pub(crate) fn security_group(ix: &TraceIndex<'_>, sg: &str, egress: bool, vpc: usize, h: &Header) -> Text {
    let pp = packet_proto_ports(h);
    if egress {
        let peer = gateway_prefix_list(ix, vpc, h.dst).map(str::to_string).unwrap_or_else(|| host_cidr(h.dst));
        crate::text!("allow {pp} to {peer} in {sg} outbound")
    } else {
        crate::text!("allow {pp} from {} in {sg} inbound", host_cidr(h.src))
    }
}

/// L2, L3, L6: a NACL entry that lets the packet through, placed before the one that denies.
pub(crate) fn network_acl(
    acl: &NetworkAcl,
    egress: bool,
    denied_by: Option<&NaclEntry>,
    h: &Header,
    reply: bool,
) -> Text {
    let peer = if egress { h.dst } else { h.src };
    let cidr = if is_private(peer) { host_cidr(peer) } else { default_route(peer).to_string() };
    // One sentence per direction, with and without the entry it goes below, and for a reply
    // (to the client's ephemeral ports) or not, so a catalogue can say each in its own order.
    let acl = &acl.id;
    if reply && has_ports(h.protocol) {
        let proto = h.protocol;
        return match (egress, denied_by) {
            (true, Some(e)) => crate::text!(
                "add an outbound rule to {acl} allowing {proto} 1024-65535 (the client's ephemeral ports, L6) to {cidr}, numbered below rule {} that denies it",
                e.rule_number
            ),
            (true, None) => crate::text!(
                "add an outbound rule to {acl} allowing {proto} 1024-65535 (the client's ephemeral ports, L6) to {cidr}"
            ),
            (false, Some(e)) => crate::text!(
                "add an inbound rule to {acl} allowing {proto} 1024-65535 (the client's ephemeral ports, L6) from {cidr}, numbered below rule {} that denies it",
                e.rule_number
            ),
            (false, None) => crate::text!(
                "add an inbound rule to {acl} allowing {proto} 1024-65535 (the client's ephemeral ports, L6) from {cidr}"
            ),
        };
    }
    let what = packet_proto_ports(h);
    match (egress, denied_by) {
        (true, Some(e)) => crate::text!(
            "add an outbound rule to {acl} allowing {what} to {cidr}, numbered below rule {} that denies it",
            e.rule_number
        ),
        (true, None) => crate::text!("add an outbound rule to {acl} allowing {what} to {cidr}"),
        (false, Some(e)) => crate::text!(
            "add an inbound rule to {acl} allowing {what} from {cidr}, numbered below rule {} that denies it",
            e.rule_number
        ),
        (false, None) => crate::text!("add an inbound rule to {acl} allowing {what} from {cidr}"),
    }
}

/// R3: a route that would carry the packet.
pub(crate) fn no_route(ix: &TraceIndex<'_>, rt: usize, vpc: usize, h: &Header) -> Text {
    let d = ix.d;
    let rtb = &d.route_tables[rt].id;
    let v = &d.vpcs[vpc];
    for &p in &ix.vpc_peerings[vpc] {
        let pcx = &d.peerings[p];
        let Some(other) = pcx.other_side(&v.id) else { continue };
        let Some(&ov) = ix.vpc_ix.get(other) else { continue };
        if let Some(c) = d.vpcs[ov].all_cidrs().find(|c| c.contains(&h.dst)) {
            return crate::text!("add a route {c} → {} to {rtb} (P4)", pcx.id);
        }
    }
    if h.is_ipv6() {
        return no_route_v6(ix, rt, vpc, h);
    }
    if let Some(svc) = ix.service_owning(h.dst) {
        if svc.region != v.region {
            // G1, E10: endpoints serve their own Region; another Region's service is reached
            // over the internet.
            return crate::text!(
                "{} is in {}, not {}: add a route 0.0.0.0/0 → a NAT gateway to {rtb} (endpoints serve their own Region, G1)",
                svc.service_name, svc.region, v.region
            );
        }
        if svc.gateway_endpoint {
            if let Some(&e) =
                ix.vpc_gateway_endpoints[vpc].iter().find(|&&e| d.endpoints[e].service_name == svc.service_name)
            {
                return crate::text!(
                    "associate {} with {rtb} so it gets the {} route (G2)",
                    d.endpoints[e].id,
                    svc.prefix_list_id.as_deref().unwrap_or("prefix-list")
                );
            }
            return crate::text!(
                "add a gateway endpoint for {} on {rtb} (G2), or a route 0.0.0.0/0 → a NAT gateway",
                svc.service_name
            );
        }
        if svc.interface_endpoint {
            return crate::text!(
                "add an interface endpoint for {} with private DNS on (E4), or a route 0.0.0.0/0 → a NAT gateway to {rtb}",
                svc.service_name
            );
        }
    }
    if is_private(h.dst) {
        return crate::text!("add a route covering {} to {rtb}", h.dst);
    }
    let nat = ix.vpc_nats[vpc].iter().find(|&&n| ix.nat_subnet[n].is_some_and(|s| ix.subnet_rt[s] != Some(rt)));
    if let Some(&n) = nat {
        return crate::text!("add a route 0.0.0.0/0 → {} to {rtb}", d.nat_gateways[n].id);
    }
    // I2: the IGW helps only a source with a public address; a private one needs a NAT.
    let src_public = ix.by_private.get(&(vpc, h.src)).and_then(|&n| ix.node_public(n)).is_some();
    match ix.vpc_igw[vpc] {
        Some(g) if src_public => crate::text!("add a route 0.0.0.0/0 → {} to {rtb}", d.internet_gateways[g].id),
        Some(g) => crate::text!(
            "{} has no public address: add a NAT gateway in a public subnet and a route 0.0.0.0/0 → it to {rtb} (N3), or give it a public IP and route 0.0.0.0/0 → {} (I2)",
            h.src, d.internet_gateways[g].id
        ),
        None => crate::text!("attach an internet gateway to {} and add a route 0.0.0.0/0 → it to {rtb}", v.id),
    }
}

/// R3, I5: a route that would carry an IPv6 packet: NAT64 for 64:ff9b::/96, else the
/// egress-only internet gateway for outbound-only internet access.
fn no_route_v6(ix: &TraceIndex<'_>, rt: usize, vpc: usize, h: &Header) -> Text {
    let d = ix.d;
    let rtb = &d.route_tables[rt].id;
    let v = &d.vpcs[vpc];
    if let IpAddr::V6(dst) = h.dst {
        if crate::net::NAT64_PREFIX.contains(&dst) {
            return match ix.vpc_nats[vpc].first() {
                Some(&n) => crate::text!("add a route 64:ff9b::/96 → {} to {rtb} (NAT64)", d.nat_gateways[n].id),
                None => crate::text!(
                    "add a NAT gateway in a subnet of {} with an IPv4 block and a route 64:ff9b::/96 → it to {rtb} (NAT64)",
                    v.id
                ),
            };
        }
    }
    if is_special(h.dst) {
        return crate::text!("add a route covering {} to {rtb}", h.dst);
    }
    if let Some(&g) = ix.vpc_eigw.get(vpc).and_then(Option::as_ref) {
        return crate::text!(
            "add a route ::/0 → {} to {rtb} (outbound-only IPv6, I5)",
            d.egress_only_internet_gateways[g].id
        );
    }
    match ix.vpc_igw[vpc] {
        Some(g) => crate::text!(
            "add a route ::/0 → {} to {rtb} (two-way: IPv6 addresses are public, I5), or an egress-only internet gateway for outbound only",
            d.internet_gateways[g].id
        ),
        None => crate::text!("create an egress-only internet gateway in {} and add a route ::/0 → it to {rtb} (I5)", v.id),
    }
}

/// R6: what to do about a blackhole route.
pub(crate) fn blackhole(ix: &TraceIndex<'_>, rtb: &RouteTable, route: &Route) -> Text {
    if let RouteTarget::VpcPeering(id) = &route.target {
        if let Some(&p) = ix.pcx_ix.get(id.as_str()) {
            return peering_state(id, ix.d.peerings[p].status);
        }
    }
    crate::text!("replace the blackhole route {} in {} with one to a live target", route.destination, rtb.id)
}

/// P1, P2: how to get a peering to `active`.
pub(crate) fn peering_state(id: &str, st: PeeringStatus) -> Text {
    match st {
        PeeringStatus::PendingAcceptance => crate::text!("accept {id} (it is pending-acceptance)"),
        PeeringStatus::Failed => {
            crate::text!(
                "{id} failed (VPCs with overlapping CIDRs cannot peer, P2): peer VPCs whose CIDRs do not overlap"
            )
        }
        PeeringStatus::InitiatingRequest | PeeringStatus::Provisioning => crate::text!("wait until {id} is active"),
        _ => crate::text!("create a new peering to replace {id} ({st}); only an active one carries traffic (P1)"),
    }
}
