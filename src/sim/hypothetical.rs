//! Endpoints that do not exist yet: a subnet, or an address inside a subnet that no interface
//! holds, stands for a **hypothetical network interface** there. It gets the subnet's first
//! free usable address (base + 4 unless taken, A6) or the address given, and the VPC's default
//! security group (S5) unless others are named. In a subnet that auto-assigns public IPv4
//! addresses (`map_public_ip_on_launch`, I2) it also gets a public address, as an instance
//! launched there would; since AWS picks that address at launch, a stand-in from
//! 198.18.0.0/15 (RFC 2544, never assigned by AWS) takes its place.
//!
//! IPv6 (A7): a free IPv6 address inside a subnet's IPv6 block is hypothetical too, and flows to
//! it go to that address. A subnet stands for an interface with an IPv6 address (its first free
//! one, base + 4 onwards) when an instance launched there would get one: the subnet is
//! IPv6-only or assigns IPv6 addresses on creation. IPv6 addresses are global, so no stand-in
//! public address is needed for them.
//!
//! The engine traces a hypothetical interface as what it is: a network interface, added to a
//! copy of the design ([`augment`]). Nothing in the engine knows the difference, so a flow from a
//! hypothetical interface follows exactly the rules a real one would. The CLI, the labs and the
//! terminal app all resolve endpoints through [`super::parse_endpoint`], which returns
//! [`super::Endpoint::Hypothetical`] for these.

use super::index::TraceIndex;
use super::request::{Endpoint, TraceRequest};
use super::result::{Code, Disposition, TraceResult, Verdict};
use crate::l10n::Text;
use crate::model::{Design, Id, NetworkInterface, Subnet};
use ipnet::Ipv4Net;
use serde::Serialize;
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Where stand-in public addresses of hypothetical interfaces come from (RFC 2544's
/// benchmarking block: AWS never assigns it, and the engine treats it as any public address).
pub const STAND_IN_PUBLIC_BLOCK: Ipv4Net = match Ipv4Net::new(Ipv4Addr::new(198, 18, 0, 0), 15) {
    Ok(n) => n,
    Err(_) => panic!("a /15 is a valid prefix"),
};

/// A hypothetical interface as a request names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Hypothetical {
    /// The subnet it sits in.
    pub subnet: Id,
    /// Its private IPv4 address (`None` in an IPv6-only subnet).
    pub ipv4: Option<Ipv4Addr>,
    /// Its IPv6 address (A7), when it has one.
    pub ipv6: Option<Ipv6Addr>,
    /// It was named by its IPv6 address (or sits in an IPv6-only subnet): that is the address
    /// it is known by, and flows to it go there.
    pub by_ipv6: bool,
    /// Its security groups (ids). Empty means the VPC's default group, as for any interface
    /// created without groups (S5); `default_security_group` says which that is.
    pub security_groups: Vec<Id>,
}

impl Hypothetical {
    /// The address it is known by: its IPv6 one when named by it, else its IPv4 one.
    pub fn address(&self) -> IpAddr {
        match (self.ipv4, self.ipv6) {
            (Some(v4), v6) if !self.by_ipv6 || v6.is_none() => IpAddr::V4(v4),
            (_, Some(v6)) => IpAddr::V6(v6),
            _ => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        }
    }
}

/// What a trace reports about a hypothetical endpoint (`hypothetical` in the JSON output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HypotheticalEndpoint {
    /// `source` or `destination`.
    pub role: &'static str,
    /// The id the stand-in interface has in the trace's hops.
    pub interface: Id,
    pub subnet: Id,
    pub vpc: Id,
    /// The address it is known by (its private IPv4 address, or its IPv6 one when named by it).
    pub address: IpAddr,
    /// Its IPv6 address (A7), when it has one; absent from the JSON when not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6_address: Option<Ipv6Addr>,
    /// The security groups it carries (ids).
    pub security_groups: Vec<Id>,
    /// Whether those are the VPC's default group because none was named.
    pub default_security_group: bool,
    /// The stand-in public address, when the subnet auto-assigns one (I2).
    pub public_ip: Option<Ipv4Addr>,
}

impl HypotheticalEndpoint {
    /// One line for people: that the endpoint is hypothetical, and which groups it carries.
    pub fn describe(&self) -> String {
        self.said().english
    }

    /// [`HypotheticalEndpoint::describe`] in `lang`.
    pub fn describe_in(&self, lang: crate::l10n::Lang) -> String {
        self.said().render(lang)
    }

    /// [`HypotheticalEndpoint::describe`] as a sentence each language says.
    pub fn said(&self) -> Text {
        let list = self.security_groups.join(", ");
        let groups = if self.security_groups.is_empty() {
            crate::text!("no security group (the VPC has no default group)")
        } else if self.default_security_group {
            crate::text!("security group {list} (the VPC's default)")
        } else {
            crate::text!("security groups {list}")
        };
        // A second address is named only when it has one (IPv4-only output is unchanged).
        let at = match self.ipv6_address {
            Some(v6) if IpAddr::V6(v6) != self.address => format!("{} (IPv6 {v6})", self.address),
            _ => self.address.to_string(),
        };
        let (subnet, traced) = (&self.subnet, &self.interface);
        let source = self.role != "destination";
        let said = match (source, self.public_ip) {
            (true, None) => crate::text!("Source is hypothetical: an interface that does not exist yet, at {at} in {subnet} (traced as {traced}), with {groups}; no public address"),
            (false, None) => crate::text!("Destination is hypothetical: an interface that does not exist yet, at {at} in {subnet} (traced as {traced}), with {groups}; no public address"),
            (true, Some(p)) => crate::text!("Source is hypothetical: an interface that does not exist yet, at {at} in {subnet} (traced as {traced}), with {groups}; the subnet auto-assigns public addresses, so it has one: {p} stands in for the address AWS picks at launch"),
            (false, Some(p)) => crate::text!("Destination is hypothetical: an interface that does not exist yet, at {at} in {subnet} (traced as {traced}), with {groups}; the subnet auto-assigns public addresses, so it has one: {p} stands in for the address AWS picks at launch"),
        };
        said.with("groups", groups)
    }
}

/// The private addresses already held in each VPC (interfaces, NAT gateways, endpoint
/// interfaces, load balancer nodes), to find free ones.
#[derive(Debug, Default, Clone)]
pub struct UsedAddresses {
    /// VPC id → the private addresses held in it.
    held: std::collections::HashMap<String, HashSet<Ipv4Addr>>,
    /// The IPv6 addresses interfaces hold (global: one set for the design).
    held6: HashSet<Ipv6Addr>,
    public: HashSet<Ipv4Addr>,
}

impl UsedAddresses {
    /// Collect the design's addresses (one pass).
    pub fn new(d: &Design) -> UsedAddresses {
        let vpc_of_subnet: std::collections::HashMap<&str, &str> =
            d.subnets.iter().map(|s| (s.id.as_str(), s.vpc.as_str())).collect();
        let mut held: std::collections::HashMap<String, HashSet<Ipv4Addr>> = std::collections::HashMap::new();
        let mut add = |subnet: &str, ip: Ipv4Addr| {
            if let Some(v) = vpc_of_subnet.get(subnet) {
                held.entry(v.to_string()).or_default().insert(ip);
            }
        };
        for e in &d.network_interfaces {
            for ip in &e.private_ips {
                add(&e.subnet, *ip);
            }
        }
        for n in &d.nat_gateways {
            if let (Some(s), Some(ip)) = (&n.subnet, n.private_ip) {
                add(s, ip);
            }
        }
        for e in &d.endpoints {
            for f in &e.interfaces {
                add(&f.subnet, f.ip);
            }
        }
        for lb in &d.load_balancers {
            for n in &lb.nodes {
                add(&n.subnet, n.private_ip);
            }
        }
        let mut public: HashSet<Ipv4Addr> = d.elastic_ips.iter().map(|e| e.public_ip).collect();
        public.extend(d.network_interfaces.iter().filter_map(|e| e.public_ip));
        public.extend(d.load_balancers.iter().flat_map(|lb| lb.nodes.iter().filter_map(|n| n.public_ip)));
        let held6 = d.network_interfaces.iter().flat_map(|e| e.ipv6_addresses.iter().copied()).collect();
        UsedAddresses { held, held6, public }
    }

    /// Whether both hold the same addresses except in the VPCs `touched` names (by id): then a
    /// subnet of another VPC gets the same hypothetical interfaces from either. Compared by the
    /// VPC that holds each address, not by the resource that changed: a resource of one VPC
    /// can sit in another's subnet in a design AWS would refuse.
    pub fn same_beyond(&self, o: &UsedAddresses, touched: impl Fn(&str) -> bool) -> bool {
        let alike = |a: &UsedAddresses, b: &UsedAddresses| {
            a.held.iter().filter(|(v, _)| !touched(v)).all(|(v, set)| b.held.get(v) == Some(set))
        };
        self.public == o.public && self.held6 == o.held6 && alike(self, o) && alike(o, self)
    }

    /// Whether a VPC already has something at an address.
    pub fn held(&self, vpc: &str, ip: Ipv4Addr) -> bool {
        self.held.get(vpc).is_some_and(|s| s.contains(&ip))
    }

    /// The first usable address of a subnet (base + 4 onwards, A6) that nothing holds and that
    /// is not in `skip`.
    pub fn first_free(&self, s: &Subnet, skip: &[Ipv4Addr]) -> Option<Ipv4Addr> {
        let net = s.cidr?.trunc();
        let base = u32::from(net.network());
        let last = u32::from(net.broadcast());
        (base.saturating_add(4)..last)
            .take(1 << 16)
            .map(Ipv4Addr::from)
            .find(|ip| !self.held(&s.vpc, *ip) && !skip.contains(ip))
    }

    /// The first usable IPv6 address of a subnet's IPv6 block (base + 4 onwards, A7) that no
    /// interface holds and that is not in `skip`.
    pub fn first_free6(&self, s: &Subnet, skip: &[Ipv6Addr]) -> Option<Ipv6Addr> {
        let net = s.ipv6_cidr?.trunc();
        let base = u128::from(net.network());
        let last = u128::from(net.broadcast());
        (base.saturating_add(4)..last)
            .take(1 << 16)
            .map(Ipv6Addr::from)
            .find(|ip| !self.held6.contains(ip) && !skip.contains(ip))
    }
}

/// Whether an address is one of a subnet's five reserved ones (A6).
pub fn is_reserved(s: &Subnet, ip: Ipv4Addr) -> bool {
    let Some(net) = s.cidr.map(|c| c.trunc()) else { return true };
    let base = u32::from(net.network());
    let x = u32::from(ip);
    x < base.saturating_add(4) || ip == net.broadcast()
}

/// A hypothetical interface for a subnet: its first free usable address (A6), the default
/// group, and an IPv6 address where an instance launched there would get one (A7).
pub fn in_subnet(d: &Design, s: &Subnet) -> Result<Hypothetical, Text> {
    let used = UsedAddresses::new(d);
    in_subnet_dual(s, &used, None)
}

/// Whether an interface created in the subnet gets an IPv6 address (A7): the subnet is
/// IPv6-only, or assigns IPv6 addresses on creation.
fn gets_ipv6(s: &Subnet) -> bool {
    s.ipv6_cidr.is_some() && (s.is_ipv6_only() || s.assign_ipv6_address_on_creation)
}

/// [`in_subnet`] with the addresses collected once, skipping the addresses of `other` (a
/// first interface in the same subnet).
pub fn in_subnet_dual(s: &Subnet, used: &UsedAddresses, other: Option<&Hypothetical>) -> Result<Hypothetical, Text> {
    let ipv6 = if gets_ipv6(s) {
        let skip: Vec<Ipv6Addr> = other.and_then(|o| o.ipv6).into_iter().collect();
        let a = used
            .first_free6(s, &skip)
            .ok_or_else(|| crate::text!("{} has no free IPv6 address left for a hypothetical interface (A7)", s.id))?;
        Some(a)
    } else {
        None
    };
    if s.is_ipv6_only() {
        if ipv6.is_none() {
            return Err(crate::text!("{} has no IPv4 or IPv6 block: a hypothetical interface needs one", s.id));
        }
        return Ok(Hypothetical { subnet: s.id.clone(), ipv4: None, ipv6, by_ipv6: true, security_groups: Vec::new() });
    }
    let skip: Vec<Ipv4Addr> = other.and_then(|o| o.ipv4).into_iter().collect();
    let mut h = in_subnet_with(s, used, &skip)?;
    h.ipv6 = ipv6;
    Ok(h)
}

/// Give a hypothetical interface an IPv6 address from its subnet's IPv6 block (its first free
/// one, A7, other than `skip`) when it has none: the other end of its flow is IPv6, and an
/// interface in a subnet with an IPv6 block can be given one. Unchanged otherwise.
pub fn with_ipv6(d: &Design, h: &mut Hypothetical, skip: Option<Ipv6Addr>) {
    if h.ipv6.is_some() {
        return;
    }
    let Some(s) = d.subnet(&h.subnet) else { return };
    let used = UsedAddresses::new(d);
    h.ipv6 = used.first_free6(s, &skip.into_iter().collect::<Vec<_>>());
}

/// An IPv4-only hypothetical interface for a subnet (the matrix's, which is IPv4), with the
/// addresses collected once, skipping `skip`.
pub fn in_subnet_with(s: &Subnet, used: &UsedAddresses, skip: &[Ipv4Addr]) -> Result<Hypothetical, Text> {
    let address = used.first_free(s, skip).ok_or_else(|| match s.cidr {
        Some(c) => crate::text!("{} ({c}) has no free address left for a hypothetical interface (A6)", s.id),
        None => crate::text!("{} has no IPv4 CIDR: a hypothetical interface needs one", s.id),
    })?;
    Ok(Hypothetical {
        subnet: s.id.clone(),
        ipv4: Some(address),
        ipv6: None,
        by_ipv6: false,
        security_groups: Vec::new(),
    })
}

/// A hypothetical interface at an address, when the address is inside a subnet of the design,
/// is not one of the subnet's reserved addresses (A6) and no interface holds it.
pub fn at_address(d: &Design, ip: Ipv4Addr) -> Option<Hypothetical> {
    let s = d
        .subnets
        .iter()
        .find(|s| s.cidr.is_some_and(|c| c.contains(&ip)) && d.vpc(&s.vpc).is_some_and(|v| !v.external))?;
    if is_reserved(s, ip) || UsedAddresses::new(d).held(&s.vpc, ip) {
        return None;
    }
    Some(Hypothetical { subnet: s.id.clone(), ipv4: Some(ip), ipv6: None, by_ipv6: false, security_groups: Vec::new() })
}

/// Whether an IPv6 address is one of a subnet's five reserved ones (A7: the first four and the
/// last of its block).
pub fn is_reserved6(s: &Subnet, ip: Ipv6Addr) -> bool {
    let Some(net) = s.ipv6_cidr.map(|c| c.trunc()) else { return true };
    let base = u128::from(net.network());
    u128::from(ip) < base.saturating_add(4) || ip == net.broadcast()
}

/// A hypothetical interface at an IPv6 address, when the address is inside a subnet's IPv6
/// block, is not one of its reserved addresses (A7) and no interface holds it. In a dual-stack
/// subnet it has an IPv4 address too (the subnet's first free one), as an interface would.
pub fn at_address6(d: &Design, ip: Ipv6Addr) -> Option<Hypothetical> {
    let s = d
        .subnets
        .iter()
        .find(|s| s.ipv6_cidr.is_some_and(|c| c.contains(&ip)) && d.vpc(&s.vpc).is_some_and(|v| !v.external))?;
    let used = UsedAddresses::new(d);
    if is_reserved6(s, ip) || used.held6.contains(&ip) {
        return None;
    }
    let ipv4 = if s.is_ipv6_only() { None } else { used.first_free(s, &[]) };
    Some(Hypothetical { subnet: s.id.clone(), ipv4, ipv6: Some(ip), by_ipv6: true, security_groups: Vec::new() })
}

/// Give a hypothetical interface the named security groups (`--sg NAME`, repeatable): ids or
/// names of groups in the interface's VPC.
pub fn with_groups(d: &Design, h: &mut Hypothetical, names: &[String]) -> Result<(), Text> {
    let vpc = d.subnet(&h.subnet).map(|s| s.vpc.clone()).unwrap_or_default();
    let mut ids = Vec::new();
    for n in names {
        let n = n.trim();
        let hit = d
            .security_groups
            .iter()
            .filter(|g| g.vpc == vpc)
            .find(|g| g.id == n || g.name == n)
            .or_else(|| d.security_groups.iter().filter(|g| g.vpc == vpc).find(|g| g.name.eq_ignore_ascii_case(n)));
        match hit {
            Some(g) if !ids.contains(&g.id) => ids.push(g.id.clone()),
            Some(_) => {}
            None => return Err(crate::text!("--sg {n}: {vpc} has no security group with that id or name")),
        }
    }
    h.security_groups = ids;
    Ok(())
}

/// The id the stand-in interface of a hypothetical endpoint has in hops and matrices.
pub fn interface_id(h: &Hypothetical) -> Id {
    format!("hypothetical-{}-{}", h.subnet, h.address())
}

/// A design with hypothetical interfaces added, and what each one is.
#[derive(Debug, Clone)]
pub struct Augmented {
    pub design: Design,
    /// One per hypothetical given, in order (`role` as given).
    pub endpoints: Vec<HypotheticalEndpoint>,
}

/// The stand-in public address of the `k`-th hypothetical interface of the subnet at position
/// `subnet_index`: the same subnet always gets the same address, whatever else is traced.
pub fn stand_in_public(subnet_index: usize, k: usize, used: &UsedAddresses) -> Ipv4Addr {
    let size = 1u32 << (32 - STAND_IN_PUBLIC_BLOCK.prefix_len());
    let base = u32::from(STAND_IN_PUBLIC_BLOCK.network());
    let mut off = (subnet_index as u32).wrapping_mul(2).wrapping_add(1).wrapping_add(k.min(1) as u32) % size;
    for _ in 0..size {
        let ip = Ipv4Addr::from(base + off);
        if !used.public.contains(&ip) {
            return ip;
        }
        off = (off + 2) % size;
    }
    Ipv4Addr::from(base + 1)
}

/// Add hypothetical interfaces to a copy of the design. Each is `(hypothetical, role)`; one
/// whose subnet is not in the design is skipped (callers check the subnet first).
pub fn augment(d: &Design, list: &[(&Hypothetical, &'static str)]) -> Augmented {
    augment_with(d, list, &UsedAddresses::new(d))
}

/// [`augment`] with the design's addresses already collected (`UsedAddresses::new(d)`).
pub fn augment_with(d: &Design, list: &[(&Hypothetical, &'static str)], used: &UsedAddresses) -> Augmented {
    let mut design = d.clone();
    let endpoints = add_interfaces(&mut design, d, list, used, true);
    Augmented { design, endpoints }
}

/// The design [`augment_with`] gives, made from `prev`, a design so augmented before (of a
/// design with `base` interfaces), for a whole-network analysis after an edit: `prev` differs from `d` only in
/// the resources with ids `ids` (beside its hypothetical interfaces), and its hypothetical
/// interfaces were made from a list with the same entries at the same places wherever `keep`
/// holds (a subnet in a VPC the edit did not touch): those are kept, the others made anew.
/// A `keep` of another length than `list` keeps none.
pub fn augment_edited(
    mut prev: Design,
    base: usize,
    d: &Design,
    list: &[(&Hypothetical, &'static str)],
    used: &UsedAddresses,
    ids: &[&str],
    keep: &[bool],
) -> Design {
    let mut tail = prev.network_interfaces.split_off(base.min(prev.network_interfaces.len()));
    crate::model::sync::sync_listed(&mut prev, d, ids);
    debug_assert!(prev == *d, "the edit touched resources beyond the ids it named");
    if keep.len() != list.len() || tail.len() != list.len() {
        add_interfaces(&mut prev, d, list, used, false);
        return prev;
    }
    let subnet_ix: std::collections::HashMap<&str, usize> =
        d.subnets.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let defaults = default_groups(d);
    let mut seen: HashSet<usize> = HashSet::new();
    for (i, (h, _)) in list.iter().enumerate() {
        let Some(&si) = subnet_ix.get(h.subnet.as_str()) else { continue };
        // The k-th interface of its subnet (a list names a subnet at most twice).
        let k = usize::from(!seen.insert(si));
        if !keep[i] {
            tail[i] = interface(d, si, h, k, used, &defaults);
        }
    }
    prev.network_interfaces.append(&mut tail);
    prev
}

/// Each VPC's default group (`Design::default_security_group`: the first one), as a
/// hypothetical interface carries it (S5), found once: a whole-network analysis adds thousands
/// of interfaces.
fn default_groups(d: &Design) -> std::collections::HashMap<&str, &Id> {
    let mut defaults: std::collections::HashMap<&str, &Id> = std::collections::HashMap::new();
    for g in d.security_groups.iter().filter(|g| g.is_default) {
        defaults.entry(g.vpc.as_str()).or_insert(&g.id);
    }
    defaults
}

/// The groups a hypothetical interface carries: its own, or its VPC's default one.
fn groups_of(h: &Hypothetical, s: &Subnet, defaults: &std::collections::HashMap<&str, &Id>) -> Vec<Id> {
    if h.security_groups.is_empty() {
        defaults.get(s.vpc.as_str()).map(|g| vec![(*g).clone()]).unwrap_or_default()
    } else {
        h.security_groups.clone()
    }
}

/// The network interface that stands for the `k`-th hypothetical interface of subnet `si`.
fn interface(
    d: &Design,
    si: usize,
    h: &Hypothetical,
    k: usize,
    used: &UsedAddresses,
    defaults: &std::collections::HashMap<&str, &Id>,
) -> NetworkInterface {
    let s = &d.subnets[si];
    let name = format!("hypothetical interface in {}", if s.name.is_empty() { &s.id } else { &s.name });
    let mut eni = NetworkInterface::new(interface_id(h), name, s.id.clone(), Ipv4Addr::UNSPECIFIED);
    // An IPv6-only subnet's interface has no IPv4 address (A7).
    eni.private_ips = h.ipv4.into_iter().collect();
    eni.ipv6_addresses = h.ipv6.into_iter().collect();
    eni.security_groups = groups_of(h, s, defaults);
    eni.public_ip = (s.map_public_ip_on_launch && h.ipv4.is_some()).then(|| stand_in_public(si, k, used));
    eni
}

/// Add the hypothetical interfaces of `list` (in `d`) to `design` (a copy of `d`), and what each
/// one is when `describe`.
fn add_interfaces(
    design: &mut Design,
    d: &Design,
    list: &[(&Hypothetical, &'static str)],
    used: &UsedAddresses,
    describe: bool,
) -> Vec<HypotheticalEndpoint> {
    design.network_interfaces.reserve(list.len());
    let mut endpoints = Vec::with_capacity(if describe { list.len() } else { 0 });
    let mut per_subnet: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut added: HashSet<Id> = HashSet::new();
    let subnet_ix: std::collections::HashMap<&str, usize> =
        d.subnets.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let defaults = default_groups(d);
    for (h, role) in list {
        let Some(&si) = subnet_ix.get(h.subnet.as_str()) else { continue };
        let s = &d.subnets[si];
        let id = interface_id(h);
        let k = per_subnet.entry(s.id.as_str()).or_insert(0);
        let public = (s.map_public_ip_on_launch && h.ipv4.is_some()).then(|| stand_in_public(si, *k, used));
        let default = h.security_groups.is_empty();
        if added.insert(id.clone()) {
            design.network_interfaces.push(interface(d, si, h, *k, used, &defaults));
            *k += 1;
        }
        if !describe {
            continue;
        }
        let groups = groups_of(h, s, &defaults);
        endpoints.push(HypotheticalEndpoint {
            role,
            interface: id,
            subnet: s.id.clone(),
            vpc: s.vpc.clone(),
            address: h.address(),
            ipv6_address: h.ipv6,
            default_security_group: default && !groups.is_empty(),
            security_groups: groups,
            public_ip: public,
        });
    }
    endpoints
}

/// Add one hypothetical interface per subnet (at the given addresses) for whole-network
/// analyses: the same ids and stand-in public addresses a single trace would give them.
pub fn augment_subnets(d: &Design, list: &[Hypothetical]) -> Augmented {
    let refs: Vec<(&Hypothetical, &'static str)> = list.iter().map(|h| (h, "endpoint")).collect();
    augment(d, &refs)
}

/// Trace a request with hypothetical endpoints: add them to a copy of the design, trace there,
/// and say in the result what they are. `None` when the request names none.
pub(crate) fn trace_hypothetical(ix: &TraceIndex<'_>, req: &TraceRequest) -> Option<TraceResult> {
    let mut list: Vec<(&Hypothetical, &'static str)> = Vec::new();
    if let Endpoint::Hypothetical(h) = &req.from {
        list.push((h, "source"));
    }
    if let Endpoint::Hypothetical(h) = &req.to {
        list.push((h, "destination"));
    }
    if list.is_empty() {
        return None;
    }
    if let Some((h, role)) = list.iter().find(|(h, _)| ix.d.subnet(&h.subnet).is_none()) {
        return Some(TraceResult {
            verdict: Verdict::Dropped,
            disposition: Disposition::InsufficientInfo,
            code: Some(Code::UnknownDestination),
            reason: Some(
                if *role == "destination" {
                    crate::text!("the hypothetical destination's subnet {} is not in the design", h.subnet)
                } else {
                    crate::text!("the hypothetical source's subnet {} is not in the design", h.subnet)
                }
                .into(),
            ),
            forward: Vec::new(),
            return_path: Vec::new(),
            blockers: Vec::new(),
            hypothetical: Vec::new(),
        });
    }
    let aug = augment(ix.d, &list);
    let inner = TraceIndex::with_catalog(&aug.design, ix.cat);
    let swap = |e: &Endpoint| match e {
        Endpoint::Hypothetical(h) => Endpoint::Resource(interface_id(h)),
        other => other.clone(),
    };
    // A destination named by its IPv6 address is sent to that address; a source named by its
    // IPv6 address reaches the internet over IPv6.
    let to = match (&req.from, &req.to) {
        (_, Endpoint::Hypothetical(h)) if h.by_ipv6 => Endpoint::Ip(h.address()),
        (Endpoint::Hypothetical(f), Endpoint::Hypothetical(h)) if f.by_ipv6 && h.ipv6.is_some() => {
            Endpoint::Ip(IpAddr::V6(h.ipv6.unwrap_or(Ipv6Addr::UNSPECIFIED)))
        }
        (Endpoint::Hypothetical(h), Endpoint::Internet) if h.by_ipv6 && h.ipv4.is_some() => {
            Endpoint::Ip(IpAddr::V6(super::request::INTERNET_HOST_V6))
        }
        (_, other) => swap(other),
    };
    let req2 = TraceRequest { from: swap(&req.from), to, ..req.clone() };
    let mut r = inner.trace(&req2);
    r.hypothetical = aug.endpoints;
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::builder::DesignBuilder;

    #[test]
    fn addresses_compared_beyond_the_touched_vpcs() {
        let d = crate::model::gen::generate(3, 5);
        let a = UsedAddresses::new(&d);
        let (v0, v1) = (d.vpcs[0].id.clone(), d.vpcs[1].id.clone());
        // An interface gains an address in a subnet of VPC 0.
        let mut e = d.clone();
        let s0 = e.subnets.iter().find(|s| s.vpc == v0).expect("a subnet").clone();
        let mut eni = NetworkInterface::new("eni-new", "n", s0.id.clone(), Ipv4Addr::UNSPECIFIED);
        eni.private_ips = vec![s0.cidr.expect("ipv4").hosts().nth(40).expect("host")];
        e.network_interfaces.push(eni);
        let b = UsedAddresses::new(&e);
        assert!(a.same_beyond(&b, |v| v == v0), "only VPC 0 holds more");
        assert!(!a.same_beyond(&b, |v| v == v1), "VPC 0 is not told as touched");
        assert!(!b.same_beyond(&a, |_| false));
        // A public address anywhere changes every subnet's stand-ins.
        let mut f = d.clone();
        f.network_interfaces[0].public_ip = Some(Ipv4Addr::new(198, 18, 0, 9));
        assert!(!a.same_beyond(&UsedAddresses::new(&f), |_| true));
    }

    fn design() -> Design {
        let mut b = DesignBuilder::new("h", "ap-northeast-2");
        let vpc = b.vpc("A", "10.0.0.0/16");
        let s = b.subnet(&vpc, "app", "10.0.1.0/24", "a");
        b.instance(&s, "web", "10.0.1.4", &[]);
        b.design
    }

    #[test]
    fn a_subnet_stands_for_its_first_free_usable_address_with_the_default_group() {
        let d = design();
        let s = d.subnets[0].clone();
        let h = in_subnet(&d, &s).unwrap();
        // .4 is taken by the instance: the next one.
        assert_eq!(h.address(), IpAddr::V4(Ipv4Addr::new(10, 0, 1, 5)));
        let aug = augment(&d, &[(&h, "source")]);
        let default = d.default_security_group(&s.vpc).map(|g| g.id.clone());
        assert_eq!(aug.endpoints[0].security_groups, default.into_iter().collect::<Vec<_>>());
        assert!(aug.endpoints[0].default_security_group);
    }

    #[test]
    fn only_unused_unreserved_addresses_inside_a_subnet_are_hypothetical() {
        let d = design();
        assert!(at_address(&d, Ipv4Addr::new(10, 0, 1, 99)).is_some());
        assert!(at_address(&d, Ipv4Addr::new(10, 0, 1, 4)).is_none(), "held by the instance");
        assert!(at_address(&d, Ipv4Addr::new(10, 0, 1, 2)).is_none(), "reserved (A6)");
        assert!(at_address(&d, Ipv4Addr::new(10, 0, 1, 255)).is_none(), "broadcast (A6)");
        assert!(at_address(&d, Ipv4Addr::new(10, 0, 9, 9)).is_none(), "in no subnet");
    }

    #[test]
    fn stand_in_public_addresses_are_stable_and_inside_the_block() {
        let used = UsedAddresses::default();
        let a = stand_in_public(3, 0, &used);
        assert_eq!(a, stand_in_public(3, 0, &used));
        assert_ne!(a, stand_in_public(3, 1, &used));
        assert_ne!(a, stand_in_public(4, 0, &used));
        assert!(STAND_IN_PUBLIC_BLOCK.contains(&a));
    }

    #[test]
    fn the_fix_for_the_internet_to_a_private_hypothetical_names_its_subnet_and_address() {
        use crate::model::Protocol;
        use crate::sim::request::{Endpoint, TraceRequest};
        let mut b = DesignBuilder::new("h", "ap-northeast-2");
        let vpc = b.vpc("A", "10.0.0.0/16");
        b.igw(&vpc, "gw");
        let s = b.subnet(&vpc, "my-pvt", "10.0.1.0/24", "a");
        let d = b.design;
        let h = in_subnet(&d, d.subnet(&s).expect("subnet")).expect("a free address");
        let req = TraceRequest::new(Endpoint::Internet, Endpoint::Hypothetical(h), Protocol::Tcp, Some(80));
        let r = crate::sim::trace(&d, &req);
        let fix = r.blockers.first().map(|b| b.fix_in(crate::l10n::Lang::En)).expect("a fix");
        assert!(!fix.contains("hypothetical-"), "no engine id: {fix}");
        assert!(fix.contains("my-pvt (10.0.1.4)"), "{fix}");
        assert!(!r.blockers[0].fix_in(crate::l10n::Lang::Ko).contains("hypothetical-"));
    }

    /// Issue 16 item 9: why a subnet has no hypothetical interface, and the line that says an
    /// end is hypothetical, in Korean; English as before.
    #[test]
    fn a_hypothetical_end_and_why_there_is_none_are_said_in_korean() {
        use crate::l10n::Lang;
        use crate::sim::request::{Endpoint, TraceRequest};
        let mut b = DesignBuilder::new("h", "ap-northeast-2");
        let vpc = b.vpc("A", "10.0.0.0/16");
        let s = b.subnet(&vpc, "my-pvt", "10.0.1.0/24", "a");
        let mut d = b.design;
        let h = in_subnet(&d, d.subnet(&s).expect("subnet")).expect("a free address");
        let req = TraceRequest::tcp(Endpoint::Hypothetical(h), Endpoint::Internet, 443);
        let r = crate::sim::trace(&d, &req);
        let e = r.hypothetical.first().expect("a hypothetical source");
        let en = e.describe();
        assert!(
            en.starts_with("Source is hypothetical: an interface that does not exist yet, at 10.0.1.4 in "),
            "{en}"
        );
        assert!(en.ends_with("; no public address"), "{en}");
        let ko = e.describe_in(Lang::Ko);
        assert!(ko.starts_with("출발지는 가상입니다: 아직 없는 인터페이스, "), "{ko}");
        assert!(ko.contains("의 10.0.1.4 (") && ko.ends_with("; 퍼블릭 주소 없음"), "{ko}");
        assert!(!ko.contains("hypothetical:") && !ko.contains("security group"), "{ko}");
        // A subnet with no block at all has no interface to stand in.
        d.subnets[0].cidr = None;
        let why = in_subnet(&d, &d.subnets[0]).expect_err("no block");
        assert_eq!(why.render(Lang::En), format!("{s} has no IPv4 or IPv6 block: a hypothetical interface needs one"));
        assert_eq!(
            why.render(Lang::Ko),
            format!("{s}에 IPv4 블록도 IPv6 블록도 없습니다: 가상 인터페이스에는 하나가 필요합니다")
        );
        let why = in_subnet_with(&d.subnets[0], &UsedAddresses::new(&d), &[]).expect_err("no IPv4 block");
        assert_eq!(why.render(Lang::Ko), format!("{s}에 IPv4 CIDR이 없습니다: 가상 인터페이스에는 하나가 필요합니다"));
    }

    #[test]
    fn a_design_augmented_before_and_brought_level_is_the_design_augmented_afresh() {
        let old = crate::model::gen::generate(4, 9);
        let used = UsedAddresses::new(&old);
        let hyps: Vec<Hypothetical> = old.subnets.iter().map(|s| in_subnet(&old, s).expect("free")).collect();
        let list: Vec<(&Hypothetical, &'static str)> = hyps.iter().map(|h| (h, "endpoint")).collect();
        let prev = augment_with(&old, &list, &used).design;
        // Edited, an interface added (more interfaces than before), another subnet auto-assigning.
        let mut new = old.clone();
        new.route_tables[1].routes.pop();
        new.subnets[2].map_public_ip_on_launch ^= true;
        let mut eni = new.network_interfaces[0].clone();
        eni.id = "eni-added".into();
        eni.private_ips = vec![Ipv4Addr::new(10, 255, 0, 9)];
        new.network_interfaces.push(eni);
        let used = UsedAddresses::new(&new);
        let hyps: Vec<Hypothetical> = new.subnets.iter().take(5).map(|s| in_subnet(&new, s).expect("free")).collect();
        let list: Vec<(&Hypothetical, &'static str)> = hyps.iter().map(|h| (h, "endpoint")).collect();
        let fresh = augment_with(&new, &list, &used).design;
        // The resources the edit changed, as a recomputation is told them.
        let ids = [new.route_tables[1].id.as_str(), new.subnets[2].id.as_str(), "eni-added"];
        let again = augment_edited(prev, old.network_interfaces.len(), &new, &list, &used, &ids, &[]);
        assert!(again == fresh);
        // And back to the old design, from the new one's.
        let used = UsedAddresses::new(&old);
        let back = augment_edited(again, new.network_interfaces.len(), &old, &list, &used, &ids, &[]);
        assert!(back == augment_with(&old, &list, &used).design);
    }
}
