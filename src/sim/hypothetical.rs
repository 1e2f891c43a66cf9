//! Endpoints that do not exist yet: a subnet, or an address inside a subnet that no interface
//! holds, stands for a **hypothetical network interface** there. It gets the subnet's first
//! free usable address (base + 4 unless taken, A6) or the address given, and the VPC's default
//! security group (S5) unless others are named. In a subnet that auto-assigns public IPv4
//! addresses (`map_public_ip_on_launch`, I2) it also gets a public address, as an instance
//! launched there would; since AWS picks that address at launch, a stand-in from
//! 198.18.0.0/15 (RFC 2544, never assigned by AWS) takes its place.
//!
//! The engine traces a hypothetical interface as what it is: a network interface, added to a
//! copy of the design ([`augment`]). Nothing in the engine knows the difference, so a flow from a
//! hypothetical interface follows exactly the rules a real one would. The CLI, the labs and the
//! terminal app all resolve endpoints through [`super::parse_endpoint`], which returns
//! [`super::Endpoint::Hypothetical`] for these.

use super::index::TraceIndex;
use super::request::{Endpoint, TraceRequest};
use super::result::{Code, Disposition, TraceResult, Verdict};
use crate::model::{Design, Id, NetworkInterface, Subnet};
use ipnet::Ipv4Net;
use serde::Serialize;
use std::collections::HashSet;
use std::net::Ipv4Addr;

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
    /// Its private address.
    pub address: Ipv4Addr,
    /// Its security groups (ids). Empty means the VPC's default group, as for any interface
    /// created without groups (S5); `default_security_group` says which that is.
    pub security_groups: Vec<Id>,
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
    /// Its private address.
    pub address: Ipv4Addr,
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
        let groups = if self.security_groups.is_empty() {
            "no security group (the VPC has no default group)".to_string()
        } else if self.default_security_group {
            format!("security group {} (the VPC's default)", self.security_groups.join(", "))
        } else {
            format!("security groups {}", self.security_groups.join(", "))
        };
        let public = match self.public_ip {
            Some(p) => format!(
                "; the subnet auto-assigns public addresses, so it has one: {p} stands in for the address AWS picks at launch"
            ),
            None => "; no public address".to_string(),
        };
        let role = if self.role == "destination" { "Destination" } else { "Source" };
        format!(
            "{role} is hypothetical: an interface that does not exist yet, at {} in {} (traced as {}), with {groups}{public}",
            self.address, self.subnet, self.interface
        )
    }
}

/// The private addresses already held in each VPC (interfaces, NAT gateways, endpoint
/// interfaces, load balancer nodes), to find free ones.
#[derive(Debug, Default)]
pub struct UsedAddresses {
    /// VPC id → the private addresses held in it.
    held: std::collections::HashMap<String, HashSet<Ipv4Addr>>,
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
        UsedAddresses { held, public }
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
}

/// Whether an address is one of a subnet's five reserved ones (A6).
pub fn is_reserved(s: &Subnet, ip: Ipv4Addr) -> bool {
    let Some(net) = s.cidr.map(|c| c.trunc()) else { return true };
    let base = u32::from(net.network());
    let x = u32::from(ip);
    x < base.saturating_add(4) || ip == net.broadcast()
}

/// The VPC's default security group, as a hypothetical interface carries it (S5).
fn default_groups(d: &Design, vpc: &str) -> Vec<Id> {
    d.default_security_group(vpc).map(|g| vec![g.id.clone()]).unwrap_or_default()
}

/// A hypothetical interface for a subnet: its first free usable address (A6), the default group.
pub fn in_subnet(d: &Design, s: &Subnet) -> Result<Hypothetical, String> {
    let used = UsedAddresses::new(d);
    in_subnet_with(s, &used, &[])
}

/// [`in_subnet`] with the addresses collected once, skipping `skip`.
pub fn in_subnet_with(s: &Subnet, used: &UsedAddresses, skip: &[Ipv4Addr]) -> Result<Hypothetical, String> {
    let address = used.first_free(s, skip).ok_or_else(|| match s.cidr {
        Some(c) => format!("{} ({c}) has no free address left for a hypothetical interface (A6)", s.id),
        None => format!("{} has no IPv4 CIDR: a hypothetical interface needs one", s.id),
    })?;
    Ok(Hypothetical { subnet: s.id.clone(), address, security_groups: Vec::new() })
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
    Some(Hypothetical { subnet: s.id.clone(), address: ip, security_groups: Vec::new() })
}

/// Give a hypothetical interface the named security groups (`--sg NAME`, repeatable): ids or
/// names of groups in the interface's VPC.
pub fn with_groups(d: &Design, h: &mut Hypothetical, names: &[String]) -> Result<(), String> {
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
            None => return Err(format!("--sg {n}: {vpc} has no security group with that id or name")),
        }
    }
    h.security_groups = ids;
    Ok(())
}

/// The id the stand-in interface of a hypothetical endpoint has in hops and matrices.
pub fn interface_id(h: &Hypothetical) -> Id {
    format!("hypothetical-{}-{}", h.subnet, h.address)
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
    let used = UsedAddresses::new(d);
    let mut design = d.clone();
    let mut endpoints = Vec::with_capacity(list.len());
    let mut per_subnet: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut added: HashSet<Id> = HashSet::new();
    let subnet_ix: std::collections::HashMap<&str, usize> =
        d.subnets.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    for (h, role) in list {
        let Some(&si) = subnet_ix.get(h.subnet.as_str()) else { continue };
        let s = &d.subnets[si];
        let id = interface_id(h);
        let k = per_subnet.entry(s.id.as_str()).or_insert(0);
        let public = s.map_public_ip_on_launch.then(|| stand_in_public(si, *k, &used));
        let default = h.security_groups.is_empty();
        let groups = if default { default_groups(d, &s.vpc) } else { h.security_groups.clone() };
        if added.insert(id.clone()) {
            *k += 1;
            let mut eni = NetworkInterface::new(
                id.clone(),
                format!("hypothetical interface in {}", if s.name.is_empty() { &s.id } else { &s.name }),
                s.id.clone(),
                h.address,
            );
            eni.security_groups = groups.clone();
            eni.public_ip = public;
            design.network_interfaces.push(eni);
        }
        endpoints.push(HypotheticalEndpoint {
            role,
            interface: id,
            subnet: s.id.clone(),
            vpc: s.vpc.clone(),
            address: h.address,
            default_security_group: default && !groups.is_empty(),
            security_groups: groups,
            public_ip: public,
        });
    }
    Augmented { design, endpoints }
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
            reason: Some(format!("the hypothetical {role}'s subnet {} is not in the design", h.subnet)),
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
    let req2 = TraceRequest { from: swap(&req.from), to: swap(&req.to), ..req.clone() };
    let mut r = inner.trace(&req2);
    r.hypothetical = aug.endpoints;
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::builder::DesignBuilder;

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
        assert_eq!(h.address, Ipv4Addr::new(10, 0, 1, 5));
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
}
