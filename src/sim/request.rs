//! A trace request and the parser that turns user text into its endpoints.

use super::hypothetical::{self, Hypothetical};
use crate::l10n::Text;
use crate::model::{Design, Id, Protocol, Resource, Service, ServiceCatalog};
use serde::Serialize;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The client port a request uses when none is given: the start of the Windows and IANA
/// ephemeral range (L6).
pub const DEFAULT_SRC_PORT: u16 = 49152;

/// The address `internet` stands for (TEST-NET-2, a documentation range).
pub const INTERNET_HOST: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 10);

/// The IPv6 address `internet` stands for when the flow is IPv6 (3fff::/20, the IPv6
/// documentation range of RFC 9637, outside the 2001:db8::/32 stand-ins of VPC blocks).
pub const INTERNET_HOST_V6: Ipv6Addr = Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0x10);

/// One end of a flow.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Endpoint {
    /// A resource of the design by id: an instance, a network interface, a NAT gateway, a VPC
    /// endpoint, a load balancer. As a destination it stands for the address the source would
    /// use to reach it (a public address from the internet, a private one from inside).
    Resource(Id),
    /// An IPv4 or IPv6 address: one of the design's (private or public), or a host outside it.
    Ip(IpAddr),
    /// Some host on the internet ([`INTERNET_HOST`], or [`INTERNET_HOST_V6`] for IPv6).
    Internet,
    /// A DNS name, resolved as the first hop of the trace (E4, E5).
    Dns(String),
    /// An interface that does not exist yet: a subnet, or an unused address inside one
    /// (see [`super::hypothetical`]).
    Hypothetical(Hypothetical),
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Resource(id) => f.write_str(id),
            Endpoint::Ip(ip) => write!(f, "{ip}"),
            Endpoint::Internet => f.write_str("internet"),
            Endpoint::Dns(n) => f.write_str(n),
            Endpoint::Hypothetical(h) => write!(f, "{} (hypothetical, in {})", h.address(), h.subnet),
        }
    }
}

/// A flow to trace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TraceRequest {
    /// Where the flow starts.
    pub from: Endpoint,
    /// Where it goes.
    pub to: Endpoint,
    /// The packet's protocol (not `All`).
    pub protocol: Protocol,
    /// TCP/UDP destination port; `None` for ICMP (an echo request) or when unknown.
    pub dst_port: Option<u16>,
    /// The client's source port; [`DEFAULT_SRC_PORT`] for TCP and UDP when `None`.
    pub src_port: Option<u16>,
}

impl TraceRequest {
    /// A request with the default client port.
    pub fn new(from: Endpoint, to: Endpoint, protocol: Protocol, dst_port: Option<u16>) -> TraceRequest {
        TraceRequest { from, to, protocol, dst_port, src_port: None }
    }

    /// A TCP request to a port.
    pub fn tcp(from: Endpoint, to: Endpoint, port: u16) -> TraceRequest {
        TraceRequest::new(from, to, Protocol::Tcp, Some(port))
    }

    /// Parse user text against a design. `protocol` is `tcp`, `udp`, `icmp` or a number.
    pub fn parse(
        design: &Design,
        from: &str,
        to: &str,
        protocol: &str,
        dst_port: Option<u16>,
        src_port: Option<u16>,
    ) -> Result<TraceRequest, Text> {
        TraceRequest::parse_with_groups(design, from, to, protocol, dst_port, src_port, &[])
    }

    /// [`TraceRequest::parse`], with security groups (ids or names, `--sg`) for the
    /// hypothetical endpoints: each hypothetical endpoint carries them instead of its VPC's
    /// default group. Naming groups when neither end is hypothetical is an error.
    pub fn parse_with_groups(
        design: &Design,
        from: &str,
        to: &str,
        protocol: &str,
        dst_port: Option<u16>,
        src_port: Option<u16>,
        groups: &[String],
    ) -> Result<TraceRequest, Text> {
        let mut from_ep = parse_endpoint(design, from).map_err(|e| crate::text!("--from: {e}").with("e", e))?;
        let mut to_ep = parse_endpoint(design, to).map_err(|e| crate::text!("--to: {e}").with("e", e))?;
        let protocol = parse_protocol(protocol)?;
        if let (Endpoint::Hypothetical(a), Endpoint::Hypothetical(b)) = (&from_ep, &mut to_ep) {
            // Two ends in one subnet named by the subnet: two interfaces, not one talking to itself.
            if a == b && to.trim().parse::<IpAddr>().is_err() {
                if let Some(s) = design.subnet(&b.subnet) {
                    let used = hypothetical::UsedAddresses::new(design);
                    *b = hypothetical::in_subnet_dual(s, &used, Some(a))
                        .map_err(|e| crate::text!("--to: {e}").with("e", e))?;
                }
            }
        }
        // A subnet with an IPv6 block stands for an interface with an IPv6 address when the other
        // end is IPv6 (A7): `--from private-subnet --to 2001:db8::1`.
        let six = |e: &Endpoint| match e {
            Endpoint::Ip(IpAddr::V6(_)) => true,
            Endpoint::Hypothetical(h) => h.by_ipv6,
            _ => false,
        };
        let v6_of = |e: &Endpoint| match e {
            Endpoint::Hypothetical(h) => h.ipv6,
            _ => None,
        };
        if six(&to_ep) {
            let skip = v6_of(&to_ep);
            if let Endpoint::Hypothetical(h) = &mut from_ep {
                hypothetical::with_ipv6(design, h, skip);
            }
        }
        if six(&from_ep) {
            let skip = v6_of(&from_ep);
            if let Endpoint::Hypothetical(h) = &mut to_ep {
                hypothetical::with_ipv6(design, h, skip);
            }
        }
        if !groups.is_empty() {
            let mut any = false;
            for ep in [&mut from_ep, &mut to_ep] {
                if let Endpoint::Hypothetical(h) = ep {
                    hypothetical::with_groups(design, h, groups)?;
                    any = true;
                }
            }
            if !any {
                return Err(crate::text!(
                    "--sg applies to a hypothetical endpoint (a subnet, or an address no interface holds); neither --from nor --to is one"
                ));
            }
        }
        Ok(TraceRequest { from: from_ep, to: to_ep, protocol, dst_port, src_port })
    }

    /// The source port the client really uses (L6): the given one, else [`DEFAULT_SRC_PORT`]
    /// for TCP and UDP; none for other protocols.
    pub fn effective_src_port(&self) -> Option<u16> {
        if has_ports(self.protocol) {
            Some(self.src_port.unwrap_or(DEFAULT_SRC_PORT))
        } else {
            None
        }
    }

    /// The destination port as the packet carries it (none for protocols without ports).
    pub fn effective_dst_port(&self) -> Option<u16> {
        if has_ports(self.protocol) {
            self.dst_port
        } else {
            None
        }
    }
}

/// Whether packets of the protocol carry ports.
pub fn has_ports(p: Protocol) -> bool {
    matches!(p, Protocol::Tcp | Protocol::Udp)
}

/// Parse a packet protocol: `tcp`, `udp`, `icmp` or an IANA number 0–255. `all` is not a
/// packet's protocol and is refused.
pub fn parse_protocol(text: &str) -> Result<Protocol, Text> {
    match Protocol::parse(text) {
        Ok(Protocol::All) | Err(_) => {
            Err(crate::text!("'{text}' is not a protocol a packet can have: use tcp, udp, icmp or a number 0-255"))
        }
        Ok(p) => Ok(p),
    }
}

/// Turn user text into an endpoint: `internet`, an IPv4 or IPv6 address, a resource id or name
/// (instance, network interface, NAT gateway, VPC endpoint, load balancer, Elastic IP,
/// internet gateway), or a DNS name the design can resolve. A subnet, or an address inside a
/// subnet that no interface holds, is a hypothetical interface there.
pub fn parse_endpoint(design: &Design, text: &str) -> Result<Endpoint, Text> {
    let t = text.trim();
    if t.is_empty() {
        return Err(crate::text!("an endpoint is required (an instance, an address, `internet` or a DNS name)"));
    }
    if t.eq_ignore_ascii_case("internet") {
        return Ok(Endpoint::Internet);
    }
    if t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        let ip = t.parse::<Ipv4Addr>().map_err(|_| {
            crate::text!("'{t}' is not a valid IPv4 address (expected four numbers 0-255, e.g. 10.0.0.10)")
        })?;
        return Ok(match hypothetical::at_address(design, ip) {
            Some(h) => Endpoint::Hypothetical(h),
            None => Endpoint::Ip(IpAddr::V4(ip)),
        });
    }
    if t.contains(':') {
        // IPv6: canonical form, with a sentence for zone ids, IPv4-mapped addresses and typos.
        let ip = crate::net::parse_ipv6(t).map_err(|e| e.text())?;
        return Ok(match hypothetical::at_address6(design, ip) {
            Some(h) => Endpoint::Hypothetical(h),
            None => Endpoint::Ip(IpAddr::V6(ip)),
        });
    }
    match design.resolve(t) {
        Ok(Resource::Subnet(s)) => return hypothetical::in_subnet(design, s).map(Endpoint::Hypothetical),
        // Managed services are answered below, with their endpoint names (M2, M9).
        Ok(r) if !r.kind().is_service() => return resource_endpoint(r),
        Ok(_) => {}
        Err(e) if e.contains("more than one") => return Err(e),
        Err(_) => {}
    }
    // Databases and compute services, by id, name, Terraform address or endpoint name (M2, M9).
    match design.resolve_service(t) {
        Ok(Service::SubnetGroup(g)) => return Err(subnet_group(&Service::SubnetGroup(g).display_name())),
        Ok(s) if s.endpoint().is_some_and(|e| e.eq_ignore_ascii_case(t.trim_end_matches('.'))) => {
            return Ok(Endpoint::Dns(t.trim_end_matches('.').to_ascii_lowercase()))
        }
        Ok(s) => return Ok(Endpoint::Resource(s.id().to_string())),
        Err(e) if e.contains("more than one") => return Err(Text::from(e)),
        Err(_) => {}
    }
    // A Terraform address of a managed service or a load balancer (`aws_db_instance.orders`).
    if let Some(r) = design.resolve_terraform_address(t) {
        return match r {
            Resource::LoadBalancer(_) => resource_endpoint(r),
            Resource::DbSubnetGroup(_) => Err(subnet_group(&r.display_name())),
            _ => Ok(Endpoint::Resource(r.id().to_string())),
        };
    }
    if looks_like_dns(t) {
        let name = t.trim_end_matches('.').to_ascii_lowercase();
        if known_dns_name(design, ServiceCatalog::builtin(), &name) {
            return Ok(Endpoint::Dns(name));
        }
        return Err(crate::text!(
            "cannot resolve '{t}': it is not an AWS service name, a VPC endpoint name or a load balancer's DNS name in the design"
        ));
    }
    Err(crate::text!("no resource has the id or name '{t}' (and it is not an address, `internet` or a DNS name)"))
}

/// Why a DB subnet group is no endpoint (M2).
fn subnet_group(name: &str) -> Text {
    crate::text!(
        "{name} is a DB subnet group, which sends and receives nothing itself: name the database placed through it"
    )
}

fn resource_endpoint(r: Resource<'_>) -> Result<Endpoint, Text> {
    match r {
        Resource::Instance(_)
        | Resource::NetworkInterface(_)
        | Resource::NatGateway(_)
        | Resource::VpcEndpoint(_)
        | Resource::LoadBalancer(_) => Ok(Endpoint::Resource(r.id().to_string())),
        Resource::ElasticIp(e) => Ok(Endpoint::Ip(IpAddr::V4(e.public_ip))),
        Resource::InternetGateway(_) => Ok(Endpoint::Internet),
        other => {
            let (name, kind_ui) = (other.display_name(), other.kind().label());
            Err(crate::text!(
                "{name} is a {kind_ui}, which sends and receives nothing itself: name an instance, a network interface, a NAT gateway, a VPC endpoint, a load balancer, a subnet, an address, `internet` or a DNS name"
            ))
        }
    }
}

fn looks_like_dns(t: &str) -> bool {
    t.contains('.')
        && t.chars().any(|c| c.is_ascii_alphabetic())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
}

/// Whether a (lower-case) name is one the trace can resolve: an AWS service's name, a VPC
/// endpoint's regional or zonal name (E5), or a load balancer's DNS name.
pub fn known_dns_name(design: &Design, catalog: &ServiceCatalog, name: &str) -> bool {
    if catalog.by_dns_name(name).is_some() {
        return true;
    }
    if design.load_balancers.iter().any(|lb| !lb.dns_name.is_empty() && lb.dns_name.eq_ignore_ascii_case(name)) {
        return true;
    }
    if design.services().any(|s| s.endpoint().is_some_and(|e| e.eq_ignore_ascii_case(name))) {
        return true;
    }
    if let Some(label) = vpce_first_label(name) {
        return design.endpoints.iter().any(|e| {
            let key = format!("{}-{}", e.id, e.dns_suffix).to_ascii_lowercase();
            label == key || label.strip_prefix(&key).is_some_and(|rest| rest.starts_with('-'))
        });
    }
    false
}

/// The first label of an endpoint-specific name `vpce-….vpce.amazonaws.com` (E5).
pub(crate) fn vpce_first_label(name: &str) -> Option<&str> {
    if !name.ends_with(".vpce.amazonaws.com") {
        return None;
    }
    let first = name.split('.').next()?;
    first.starts_with("vpce-").then_some(first)
}
