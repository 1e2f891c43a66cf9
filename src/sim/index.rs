//! The lookup structures a trace needs, built once per design so a trace costs a handful of
//! hash lookups whatever the design's size.

mod compiled;
mod lists;

use super::result::Component;
use super::routing::CompiledTable;
use crate::model::{Design, EndpointKind, RouteTarget, ServiceCatalog, ServiceEntry, TgwAttachmentKind};
use crate::net::PrefixTable;
use crate::sim::result::ComponentKind;
use compiled::Compiled;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
pub(crate) use lists::Lists;
/// The index's maps hash with foldhash: a trace makes many lookups, and a what-if indexes a
/// large design after every edit.
pub(crate) type HashMap<K, V> = foldhash::HashMap<K, V>;
use std::net::{IpAddr, Ipv4Addr};

/// Something in a subnet that owns an address and can send or receive packets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Node {
    /// A network interface (of an instance, or on its own).
    Eni(usize),
    /// An interface endpoint's network interface: (endpoint, interface).
    Endpoint(usize, usize),
    /// A NAT gateway.
    Nat(usize),
    /// A load balancer node: (load balancer, node).
    Lb(usize, usize),
    /// An interface of a managed service (M1): an index into `TraceIndex::managed.nodes`.
    Managed(usize),
    /// A Network Firewall endpoint: (firewall, endpoint) (F1).
    Firewall(usize, usize),
}

/// A transit gateway route, compiled (T4).
#[derive(Debug, Clone)]
pub(crate) struct TgwEntry {
    /// IPv4 or IPv6; an entry matches addresses of its own family only (T4, R3).
    pub net: IpNet,
    /// The attachment it forwards to; `None` is a blackhole.
    pub attachment: Option<usize>,
    /// T4 preference for equal prefixes: static 0, VPC-propagated 2, VPN-propagated 5.
    pub rank: u8,
}

/// Everything a trace looks up, indexed. Build it once per design with [`TraceIndex::new`],
/// then call [`TraceIndex::trace`] as often as needed.
#[derive(Debug)]
pub struct TraceIndex<'a> {
    pub(crate) d: &'a Design,
    pub(crate) cat: &'a ServiceCatalog,
    pub(crate) vpc_ix: HashMap<&'a str, usize>,
    pub(crate) sg_ix: HashMap<&'a str, usize>,
    pub(crate) eni_ix: HashMap<&'a str, usize>,
    pub(crate) instance_ix: HashMap<&'a str, usize>,
    pub(crate) nat_ix: HashMap<&'a str, usize>,
    pub(crate) igw_ix: HashMap<&'a str, usize>,
    pub(crate) eigw_ix: HashMap<&'a str, usize>,
    pub(crate) pcx_ix: HashMap<&'a str, usize>,
    pub(crate) vpce_ix: HashMap<&'a str, usize>,
    pub(crate) lb_ix: HashMap<&'a str, usize>,
    pub(crate) tg_ix: HashMap<&'a str, usize>,
    pub(crate) tgw_ix: HashMap<&'a str, usize>,
    pub(crate) tgw_rt_ix: HashMap<&'a str, usize>,
    pub(crate) vgw_ix: HashMap<&'a str, usize>,
    pub(crate) service_ix: HashMap<&'a str, usize>,
    pub(crate) subnet_vpc: Vec<Option<usize>>,
    pub(crate) subnet_rt: Vec<Option<usize>>,
    pub(crate) subnet_acl: Vec<Option<usize>>,
    pub(crate) vpc_subnets: Vec<Vec<usize>>,
    pub(crate) vpc_igw: Vec<Option<usize>>,
    /// The egress-only internet gateway of each VPC (I5).
    pub(crate) vpc_eigw: Vec<Option<usize>>,
    pub(crate) vpc_peerings: Vec<Vec<usize>>,
    /// Peerings AWS could not create, whatever their recorded state: their VPCs overlap (P2).
    pub(crate) pcx_overlap: Vec<bool>,
    pub(crate) vpc_nats: Vec<Vec<usize>>,
    pub(crate) vpc_gateway_endpoints: Vec<Vec<usize>>,
    pub(crate) vpc_endpoints: Vec<Vec<usize>>,
    pub(crate) tables: Vec<CompiledTable>,
    /// Gateway (edge) route tables by IGW/VGW id (R10).
    pub(crate) edge_rt: HashMap<&'a str, usize>,
    pub(crate) acl_in: Vec<Vec<usize>>,
    pub(crate) acl_out: Vec<Vec<usize>>,
    /// (VPC, address) → the node holding it: private IPv4 addresses and IPv6 addresses (which
    /// are global, but owned inside the VPC like private ones).
    pub(crate) by_private: HashMap<(usize, IpAddr), Node>,
    /// Public IPv4 address (EIP or auto-assigned) → node (I3).
    pub(crate) by_public: HashMap<Ipv4Addr, Node>,
    pub(crate) eni_subnet: Vec<Option<usize>>,
    pub(crate) eni_sgs: Lists,
    pub(crate) eni_instance: Vec<Option<usize>>,
    pub(crate) eni_public: Vec<Option<Ipv4Addr>>,
    pub(crate) instance_eni: Vec<Option<usize>>,
    pub(crate) ep_subnets: Vec<Vec<Option<usize>>>,
    pub(crate) ep_sgs: Vec<Vec<usize>>,
    /// Each endpoint's full service name (`com.amazonaws.<region>.<short>`), also when the
    /// design holds only the short name.
    pub(crate) ep_service: Vec<String>,
    pub(crate) nat_subnet: Vec<Option<usize>>,
    pub(crate) nat_public: Vec<Option<Ipv4Addr>>,
    /// A regional NAT gateway's VPC and its own route table, if the design names it (N9).
    pub(crate) nat_vpc: Vec<Option<usize>>,
    pub(crate) nat_rt: Vec<Option<usize>>,
    pub(crate) lb_subnets: Vec<Vec<Option<usize>>>,
    pub(crate) lb_sgs: Vec<Vec<usize>>,
    /// Interface endpoints with private DNS on, per VPC (E4).
    pub(crate) private_dns: Vec<Vec<usize>>,
    /// `vpce-<id>-<suffix>` (lower case) → endpoint (E5).
    pub(crate) vpce_names: HashMap<String, usize>,
    pub(crate) lb_names: HashMap<String, usize>,
    pub(crate) tgw_vpc_attach: HashMap<(usize, usize), usize>,
    pub(crate) attach_subnets: Vec<Vec<usize>>,
    /// Transit gateway route tables (T4): the value is the attachment, `None` a blackhole.
    pub(crate) tgw_tables: Vec<PrefixTable<Option<usize>>>,
    pub(crate) vgw_vpns: Vec<Vec<usize>>,
    pub(crate) vpn_attach: HashMap<usize, usize>,
    /// (transit gateway, peer transit gateway) → the peering attachment on the first (T5).
    pub(crate) tgw_peer_attach: HashMap<(usize, usize), usize>,
    /// Public service prefixes of the catalog → catalog entry (R3 longest match).
    pub(crate) service_prefixes: PrefixTable<usize>,
    /// VPC CIDRs by /16 block (A1), in design order; shorter CIDRs in `wide_vpcs`.
    pub(crate) vpc_blocks: HashMap<u32, Vec<(Ipv4Net, usize)>>,
    pub(crate) wide_vpcs: Vec<(Ipv4Net, usize)>,
    /// VPC IPv6 blocks by their /44 (A7: a block is /44 or longer, so it sits in one /44);
    /// shorter (invalid) blocks in `wide_vpcs6`.
    pub(crate) vpc_blocks6: HashMap<u128, Vec<(Ipv6Net, usize)>>,
    pub(crate) wide_vpcs6: Vec<(Ipv6Net, usize)>,
    /// Catalog entries by DNS name and by service name.
    pub(crate) service_by_dns: HashMap<&'a str, usize>,
    pub(crate) service_by_name: HashMap<&'a str, usize>,
    /// Prefix-list id → CIDRs: the design's lists and the catalog's (G1, S6).
    pub(crate) pl_cidrs: HashMap<&'a str, Vec<IpNet>>,
    /// Any private address → the first node holding it, whatever the VPC.
    pub(crate) by_ip_any: HashMap<IpAddr, Node>,
    /// Databases and compute services: their interfaces, names and bindings (M1–M9).
    pub(crate) managed: super::managed::ManagedIndex<'a>,
    /// Network Firewall endpoint id (`vpce-…`) → (firewall, endpoint) (F1).
    pub(crate) fw_endpoints: HashMap<&'a str, (usize, usize)>,
    pub(crate) fw_subnets: Vec<Vec<Option<usize>>>,
    pub(crate) fw_vpc: Vec<Option<usize>>,
    pub(crate) fw_policy: Vec<Option<usize>>,
    pub(crate) rule_group_ix: HashMap<&'a str, usize>,
    /// Gateway route tables AWS would refuse to associate, by gateway id, with why (R10).
    pub(crate) edge_refused: HashMap<&'a str, (usize, crate::l10n::Text)>,
}

fn ids<'a, T>(list: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, usize> {
    let mut m = HashMap::with_capacity_and_hasher(list.len(), Default::default());
    for (i, x) in list.iter().enumerate() {
        m.entry(id(x)).or_insert(i);
    }
    m
}

/// How many private and public addresses the design's nodes hold (as many as the address
/// maps get, but for managed services' and duplicates).
fn address_counts(d: &Design) -> (usize, usize) {
    let enis = &d.network_interfaces;
    let lb_nodes = || d.load_balancers.iter().flat_map(|lb| &lb.nodes);
    let private = enis.iter().map(|e| e.private_ips.len() + e.ipv6_addresses.len()).sum::<usize>()
        + d.endpoints.iter().map(|e| e.interfaces.len()).sum::<usize>()
        + d.nat_gateways.len()
        + lb_nodes().count()
        + d.network_firewalls.iter().map(|f| f.endpoints.len()).sum::<usize>();
    let public = enis.iter().filter(|e| e.public_ip.is_some() || e.eip.is_some()).count()
        + d.nat_gateways.len()
        + lb_nodes().filter(|n| n.public_ip.is_some()).count();
    (private, public)
}

/// Any private address → the node holding it in the lowest VPC (deterministic when VPCs
/// overlap). A VPC holds an address once, so only the VPC order matters: the entries are
/// bucketed by VPC (a counting sort) instead of sorted, as a what-if does this for every
/// interface after each edit.
fn lowest_vpc_first(by_private: &HashMap<(usize, IpAddr), Node>, nv: usize) -> HashMap<IpAddr, Node> {
    // Bucket `nv` takes any VPC past the design's (none in practice).
    let mut start = vec![0usize; nv + 2];
    for &(v, _) in by_private.keys() {
        start[v.min(nv) + 1] += 1;
    }
    for b in 1..start.len() {
        start[b] += start[b - 1];
    }
    // `start[b]` is where bucket b's entries go next.
    let mut order = vec![(IpAddr::V4(Ipv4Addr::UNSPECIFIED), Node::Nat(0)); by_private.len()];
    for (&(v, ip), &n) in by_private {
        let at = &mut start[v.min(nv)];
        order[*at] = (ip, n);
        *at += 1;
    }
    let mut out = HashMap::with_capacity_and_hasher(by_private.len(), Default::default());
    for (ip, n) in order {
        out.entry(ip).or_insert(n);
    }
    out
}

impl<'a> TraceIndex<'a> {
    /// Index a design with the built-in service catalog.
    pub fn new(design: &'a Design) -> TraceIndex<'a> {
        TraceIndex::with_catalog(design, ServiceCatalog::builtin())
    }

    /// Index a design with a given service catalog (e.g. one loaded from `ip-ranges.json`).
    pub fn with_catalog(d: &'a Design, cat: &'a ServiceCatalog) -> TraceIndex<'a> {
        // Not on two threads: called from outside rayon's pool, a join moved the whole build onto
        // its workers (their own allocator arenas), which made a what-if's index slower.
        let c = Compiled::new(d, cat);
        TraceIndex::addresses(d, cat)(c)
    }

    /// The index but for its [`Compiled`] part, which it is given last.
    fn addresses(d: &'a Design, cat: &'a ServiceCatalog) -> impl FnOnce(Compiled<'a>) -> TraceIndex<'a> {
        let vpc_ix = ids(&d.vpcs, |x| &x.id);
        let subnet_ix = ids(&d.subnets, |x| &x.id);
        let sg_ix = ids(&d.security_groups, |x| &x.id);
        let instance_ix = ids(&d.instances, |x| &x.id);
        let nat_ix = ids(&d.nat_gateways, |x| &x.id);
        let igw_ix = ids(&d.internet_gateways, |x| &x.id);
        let eigw_ix = ids(&d.egress_only_internet_gateways, |x| &x.id);
        let pcx_ix = ids(&d.peerings, |x| &x.id);
        let vpce_ix = ids(&d.endpoints, |x| &x.id);
        let lb_ix = ids(&d.load_balancers, |x| &x.id);
        let tg_ix = ids(&d.target_groups, |x| &x.id);
        let tgw_ix = ids(&d.transit_gateways, |x| &x.id);
        let tgw_rt_ix = ids(&d.tgw_route_tables, |x| &x.id);
        let vgw_ix = ids(&d.vpn_gateways, |x| &x.id);
        let service_ix = ids(&d.endpoint_services, |x| &x.service_name);
        let eip_ix = ids(&d.elastic_ips, |x| &x.id);
        let nv = d.vpcs.len();

        let subnet_vpc: Vec<Option<usize>> = d.subnets.iter().map(|s| vpc_ix.get(s.vpc.as_str()).copied()).collect();
        let mut vpc_subnets = vec![Vec::new(); nv];
        for (i, v) in subnet_vpc.iter().enumerate() {
            if let Some(v) = v {
                vpc_subnets[*v].push(i);
            }
        }
        // R1: explicit association, else the VPC's main table; L1 likewise for NACLs.
        let mut subnet_rt = vec![None; d.subnets.len()];
        let mut main_rt = vec![None; nv];
        for (i, rt) in d.route_tables.iter().enumerate() {
            for s in &rt.subnets {
                if let Some(&si) = subnet_ix.get(s.as_str()) {
                    subnet_rt[si].get_or_insert(i);
                }
            }
            if rt.main {
                if let Some(&v) = vpc_ix.get(rt.vpc.as_str()) {
                    main_rt[v].get_or_insert(i);
                }
            }
        }
        let mut subnet_acl = vec![None; d.subnets.len()];
        let mut default_acl = vec![None; nv];
        for (i, a) in d.network_acls.iter().enumerate() {
            for s in &a.subnets {
                if let Some(&si) = subnet_ix.get(s.as_str()) {
                    subnet_acl[si].get_or_insert(i);
                }
            }
            if a.is_default {
                if let Some(&v) = vpc_ix.get(a.vpc.as_str()) {
                    default_acl[v].get_or_insert(i);
                }
            }
        }
        for (si, v) in subnet_vpc.iter().enumerate() {
            if let Some(v) = *v {
                if subnet_rt[si].is_none() {
                    subnet_rt[si] = main_rt[v];
                }
                if subnet_acl[si].is_none() {
                    subnet_acl[si] = default_acl[v];
                }
            }
        }

        let mut vpc_igw = vec![None; nv];
        for (i, g) in d.internet_gateways.iter().enumerate() {
            if let Some(&v) = g.vpc.as_deref().and_then(|v| vpc_ix.get(v)) {
                vpc_igw[v].get_or_insert(i);
            }
        }
        let mut vpc_eigw = vec![None; nv];
        for (i, g) in d.egress_only_internet_gateways.iter().enumerate() {
            if let Some(&v) = vpc_ix.get(g.vpc.as_str()) {
                vpc_eigw[v].get_or_insert(i);
            }
        }
        let mut vpc_default_sg = vec![None; nv];
        for (i, g) in d.security_groups.iter().enumerate() {
            if g.is_default {
                if let Some(&v) = vpc_ix.get(g.vpc.as_str()) {
                    vpc_default_sg[v].get_or_insert(i);
                }
            }
        }
        let mut vpc_peerings = vec![Vec::new(); nv];
        for (i, p) in d.peerings.iter().enumerate() {
            for v in [&p.requester_vpc, &p.accepter_vpc] {
                if let Some(&v) = vpc_ix.get(v.as_str()) {
                    if !vpc_peerings[v].contains(&i) {
                        vpc_peerings[v].push(i);
                    }
                }
            }
        }

        // Pushed straight into `eni_sgs`: no list of its own per interface.
        let groups = |list: &'a [String], vpc: Option<usize>| {
            let found = list.iter().filter_map(|g| sg_ix.get(g.as_str()).copied());
            // S5, E2: no group given means the VPC's default group.
            let default = list.is_empty().then(|| vpc.and_then(|v| vpc_default_sg[v])).flatten();
            found.chain(default)
        };

        // Sized for every address the loops below map, so a large design's maps never regrow.
        let (private_count, public_count) = address_counts(d);
        let mut by_private = HashMap::with_capacity_and_hasher(private_count, Default::default());
        let mut by_public = HashMap::with_capacity_and_hasher(public_count, Default::default());
        let eni_subnet: Vec<Option<usize>> =
            d.network_interfaces.iter().map(|e| subnet_ix.get(e.subnet.as_str()).copied()).collect();
        let vpc_of_subnet = |s: Option<usize>| s.and_then(|s| subnet_vpc[s]);
        let mut eni_sgs = Lists::with_capacity(d.network_interfaces.len());
        let mut eni_instance = Vec::with_capacity(d.network_interfaces.len());
        let mut eni_public = Vec::with_capacity(d.network_interfaces.len());
        let mut instance_eni: Vec<Option<(u32, usize)>> = vec![None; d.instances.len()];
        for (i, e) in d.network_interfaces.iter().enumerate() {
            let vpc = vpc_of_subnet(eni_subnet[i]);
            eni_sgs.push(groups(&e.security_groups, vpc));
            let inst = e.instance.as_deref().and_then(|x| instance_ix.get(x).copied());
            eni_instance.push(inst);
            if let Some(ii) = inst {
                if instance_eni[ii].is_none_or(|(dev, _)| e.device_index < dev) {
                    instance_eni[ii] = Some((e.device_index, i));
                }
            }
            // I2: the EIP's address, else the auto-assigned public address.
            let public = crate::model::lookup::public_address(e, |a| eip_ix.get(a).map(|&x| &d.elastic_ips[x]));
            eni_public.push(public);
            if let Some(v) = vpc {
                for ip in e.addresses() {
                    by_private.entry((v, ip)).or_insert(Node::Eni(i));
                }
            }
            if let Some(p) = public {
                by_public.entry(p).or_insert(Node::Eni(i));
            }
        }
        let instance_eni = instance_eni.into_iter().map(|x| x.map(|(_, i)| i)).collect();

        let ep_service: Vec<String> = d
            .endpoints
            .iter()
            .map(|e| {
                if e.service_name.starts_with("com.amazonaws.") {
                    return e.service_name.clone();
                }
                let region =
                    vpc_ix.get(e.vpc.as_str()).map(|&v| d.vpcs[v].region.as_str()).unwrap_or(&d.default_region);
                cat.service(region, &e.service_name)
                    .map(|s| s.service_name.clone())
                    .unwrap_or_else(|| e.service_name.clone())
            })
            .collect();
        let mut ep_subnets = Vec::with_capacity(d.endpoints.len());
        let mut ep_sgs = Vec::with_capacity(d.endpoints.len());
        let mut private_dns = vec![Vec::new(); nv];
        let mut vpce_names = HashMap::default();
        let mut vpc_gateway_endpoints = vec![Vec::new(); nv];
        let mut vpc_endpoints = vec![Vec::new(); nv];
        for (i, e) in d.endpoints.iter().enumerate() {
            let vpc = vpc_ix.get(e.vpc.as_str()).copied();
            let subs: Vec<Option<usize>> =
                e.interfaces.iter().map(|f| subnet_ix.get(f.subnet.as_str()).copied()).collect();
            for (k, f) in e.interfaces.iter().enumerate() {
                if let Some(v) = vpc_of_subnet(subs[k]) {
                    by_private.entry((v, IpAddr::V4(f.ip))).or_insert(Node::Endpoint(i, k));
                }
            }
            ep_subnets.push(subs);
            ep_sgs.push(groups(&e.security_groups, vpc).collect());
            if let Some(v) = vpc {
                vpc_endpoints[v].push(i);
                if e.kind == EndpointKind::Interface && e.private_dns_enabled {
                    private_dns[v].push(i);
                }
                if e.kind == EndpointKind::Gateway {
                    vpc_gateway_endpoints[v].push(i);
                }
            }
            vpce_names.entry(format!("{}-{}", e.id, e.dns_suffix).to_ascii_lowercase()).or_insert(i);
        }

        let mut nat_subnet = Vec::with_capacity(d.nat_gateways.len());
        let mut nat_public = Vec::with_capacity(d.nat_gateways.len());
        let mut vpc_nats = vec![Vec::new(); nv];
        let mut nat_vpc = Vec::with_capacity(d.nat_gateways.len());
        let mut nat_rt = Vec::with_capacity(d.nat_gateways.len());
        let rt_ix = ids(&d.route_tables, |x| &x.id);
        for (i, n) in d.nat_gateways.iter().enumerate() {
            let s = n.subnet.as_deref().and_then(|s| subnet_ix.get(s)).copied();
            nat_subnet.push(s);
            let regional = n.vpc.as_deref().filter(|_| n.is_regional()).and_then(|v| vpc_ix.get(v)).copied();
            nat_vpc.push(regional);
            nat_rt.push(n.route_table.as_deref().and_then(|r| rt_ix.get(r)).copied());
            if let Some(v) = vpc_of_subnet(s) {
                if let Some(ip) = n.private_ip {
                    by_private.entry((v, IpAddr::V4(ip))).or_insert(Node::Nat(i));
                }
                vpc_nats[v].push(i);
            } else if let Some(v) = regional {
                vpc_nats[v].push(i);
            }
            // N9: every Elastic IP of a regional NAT gateway (one per AZ in manual mode) is its.
            let mut own = n.eips().filter_map(|a| eip_ix.get(a.as_str())).map(|&x| d.elastic_ips[x].public_ip);
            let p = own.next();
            for q in p.into_iter().chain(own) {
                by_public.entry(q).or_insert(Node::Nat(i));
            }
            nat_public.push(p);
        }

        let mut lb_subnets = Vec::with_capacity(d.load_balancers.len());
        let mut lb_sgs = Vec::with_capacity(d.load_balancers.len());
        let mut lb_names = HashMap::default();
        for (i, lb) in d.load_balancers.iter().enumerate() {
            let subs: Vec<Option<usize>> = lb.nodes.iter().map(|n| subnet_ix.get(n.subnet.as_str()).copied()).collect();
            for (k, n) in lb.nodes.iter().enumerate() {
                if let Some(v) = vpc_of_subnet(subs[k]) {
                    by_private.entry((v, IpAddr::V4(n.private_ip))).or_insert(Node::Lb(i, k));
                }
                if let Some(p) = n.public_ip {
                    by_public.entry(p).or_insert(Node::Lb(i, k));
                }
            }
            lb_subnets.push(subs);
            // NLBs without groups have none (not the default group).
            lb_sgs.push(lb.security_groups.iter().filter_map(|g| sg_ix.get(g.as_str()).copied()).collect());
            if !lb.dns_name.is_empty() {
                lb_names.entry(lb.dns_name.to_ascii_lowercase()).or_insert(i);
            }
        }

        let managed = super::managed::ManagedIndex::build(
            d,
            &super::managed::Lookups {
                subnet_ix: &subnet_ix,
                sg_ix: &sg_ix,
                tg_ix: &tg_ix,
                subnet_vpc: &subnet_vpc,
                vpc_default_sg: &vpc_default_sg,
            },
            &mut by_private,
            &mut by_public,
        );

        let mut tgw_vpc_attach = HashMap::default();
        let mut attach_subnets = Vec::with_capacity(d.tgw_attachments.len());
        let mut vpn_attach = HashMap::default();
        let mut tgw_peer_attach = HashMap::default();
        let vpn_ix = ids(&d.vpn_connections, |x| &x.id);
        for (i, a) in d.tgw_attachments.iter().enumerate() {
            let tgw = tgw_ix.get(a.tgw.as_str()).copied();
            let mut subs = Vec::new();
            match &a.kind {
                TgwAttachmentKind::Vpc { vpc, subnets } => {
                    if let (Some(t), Some(&v)) = (tgw, vpc_ix.get(vpc.as_str())) {
                        tgw_vpc_attach.entry((t, v)).or_insert(i);
                    }
                    subs = subnets.iter().filter_map(|s| subnet_ix.get(s.as_str()).copied()).collect();
                }
                TgwAttachmentKind::Vpn { vpn } => {
                    if let Some(&c) = vpn_ix.get(vpn.as_str()) {
                        vpn_attach.entry(c).or_insert(i);
                    }
                }
                TgwAttachmentKind::Peering { peer_tgw } => {
                    if let (Some(t), Some(&p)) = (tgw, tgw_ix.get(peer_tgw.as_str())) {
                        tgw_peer_attach.entry((t, p)).or_insert(i);
                    }
                }
            }
            attach_subnets.push(subs);
        }
        let mut vgw_vpns = vec![Vec::new(); d.vpn_gateways.len()];
        for (i, c) in d.vpn_connections.iter().enumerate() {
            if let Some(&g) = c.vpn_gateway.as_deref().and_then(|g| vgw_ix.get(g)) {
                vgw_vpns[g].push(i);
            }
        }

        // F1: a firewall's endpoints are addresses in their subnets and route targets by id.
        let policy_ix = ids(&d.firewall_policies, |x| &x.id);
        let rule_group_ix = ids(&d.firewall_rule_groups, |x| &x.id);
        let mut fw_endpoints = HashMap::default();
        let mut fw_subnets = Vec::with_capacity(d.network_firewalls.len());
        let mut fw_vpc = Vec::with_capacity(d.network_firewalls.len());
        let mut fw_policy = Vec::with_capacity(d.network_firewalls.len());
        for (f, fw) in d.network_firewalls.iter().enumerate() {
            let subs: Vec<Option<usize>> =
                fw.endpoints.iter().map(|e| subnet_ix.get(e.subnet.as_str()).copied()).collect();
            for (k, e) in fw.endpoints.iter().enumerate() {
                fw_endpoints.entry(e.id.as_str()).or_insert((f, k));
                if let Some(v) = vpc_of_subnet(subs[k]) {
                    by_private.entry((v, IpAddr::V4(e.ip))).or_insert(Node::Firewall(f, k));
                }
            }
            fw_subnets.push(subs);
            fw_vpc.push(vpc_ix.get(fw.vpc.as_str()).copied());
            fw_policy.push(policy_ix.get(fw.policy.as_str()).copied());
        }
        let by_ip_any = lowest_vpc_first(&by_private, nv);

        move |c| TraceIndex {
            d,
            cat,
            vpc_ix,
            sg_ix,
            eni_ix: c.eni_ix,
            instance_ix,
            nat_ix,
            igw_ix,
            eigw_ix,
            pcx_ix,
            vpce_ix,
            lb_ix,
            tg_ix,
            tgw_ix,
            tgw_rt_ix,
            vgw_ix,
            service_ix,
            subnet_vpc,
            subnet_rt,
            subnet_acl,
            vpc_subnets,
            vpc_igw,
            vpc_eigw,
            vpc_peerings,
            pcx_overlap: c.pcx_overlap,
            vpc_nats,
            vpc_gateway_endpoints,
            vpc_endpoints,
            tables: c.tables,
            edge_rt: c.edge_rt,
            acl_in: c.acl_in,
            acl_out: c.acl_out,
            by_private,
            by_public,
            eni_subnet,
            eni_sgs,
            eni_instance,
            eni_public,
            instance_eni,
            ep_subnets,
            ep_sgs,
            ep_service,
            nat_subnet,
            nat_vpc,
            nat_rt,
            nat_public,
            lb_subnets,
            lb_sgs,
            private_dns,
            vpce_names,
            lb_names,
            tgw_vpc_attach,
            attach_subnets,
            tgw_tables: c.tgw_tables,
            vgw_vpns,
            vpn_attach,
            tgw_peer_attach,
            service_prefixes: c.service_prefixes,
            vpc_blocks: c.vpc_blocks,
            wide_vpcs: c.wide_vpcs,
            vpc_blocks6: c.vpc_blocks6,
            wide_vpcs6: c.wide_vpcs6,
            service_by_dns: c.service_by_dns,
            service_by_name: c.service_by_name,
            pl_cidrs: c.pl_cidrs,
            by_ip_any,
            managed,
            fw_endpoints,
            fw_subnets,
            fw_vpc,
            fw_policy,
            rule_group_ix,
            edge_refused: c.edge_refused,
        }
    }

    /// The interface endpoint with private DNS on for a service in a VPC (E4).
    pub(crate) fn private_dns_endpoint(&self, vpc: usize, service_name: &str) -> Option<usize> {
        self.private_dns[vpc].iter().copied().find(|&e| self.ep_service[e] == service_name)
    }

    /// An endpoint's full service name.
    pub(crate) fn endpoint_service_name(&self, e: usize) -> &str {
        &self.ep_service[e]
    }

    /// Whether a prefix list (the design's or the catalog's) holds an address.
    pub(crate) fn prefix_list_contains(&self, pl: &str, ip: IpAddr) -> bool {
        self.pl_cidrs.get(pl).is_some_and(|v| v.iter().any(|c| c.contains(&ip)))
    }

    /// The security groups on a node (NAT gateways have none, N5).
    pub(crate) fn node_groups(&self, n: Node) -> &[usize] {
        match n {
            Node::Eni(i) => &self.eni_sgs[i],
            Node::Endpoint(e, _) => &self.ep_sgs[e],
            Node::Lb(l, _) => &self.lb_sgs[l],
            Node::Managed(j) => &self.managed.nodes[j].sgs,
            Node::Nat(_) | Node::Firewall(..) => &[],
        }
    }

    /// The rules the appliances behind a Gateway Load Balancer apply (B2): those of the target
    /// group its listener forwards to (allow all when it has none).
    pub(crate) fn appliance_rules(&self, lb: usize) -> &'a crate::model::ApplianceRules {
        static ALLOW_ALL: crate::model::ApplianceRules =
            crate::model::ApplianceRules { rules: Vec::new(), default: crate::model::RuleAction::Allow };
        self.d.load_balancers[lb]
            .listeners
            .iter()
            .find_map(|x| x.target_group.as_deref())
            .and_then(|t| self.tg_ix.get(t))
            .map_or(&ALLOW_ALL, |&g| &self.d.target_groups[g].appliance)
    }

    /// The design this index was built from.
    pub fn design(&self) -> &'a Design {
        self.d
    }

    /// The AWS service whose public prefixes hold an address (most specific prefix wins).
    pub(crate) fn service_owning(&self, ip: IpAddr) -> Option<&'a ServiceEntry> {
        if let IpAddr::V6(a) = ip {
            // Few services are dual-stack; their IPv6 prefixes are scanned.
            return self.cat.owner_of_v6(a);
        }
        self.service_prefixes.longest_match(ip).map(|(_, e)| &self.cat.entries()[e.value])
    }

    /// The service a DNS name belongs to: its regional name, or a name under it such as
    /// `<account>.dkr.ecr.<region>.amazonaws.com` (the longest matching name wins).
    pub(crate) fn service_by_dns_name(&self, name: &str) -> Option<&'a ServiceEntry> {
        let mut rest = name;
        loop {
            if let Some(&i) = self.service_by_dns.get(rest) {
                return Some(&self.cat.entries()[i]);
            }
            rest = rest.split_once('.')?.1;
        }
    }

    /// A catalog service by its endpoint service name (`com.amazonaws.<region>.s3`).
    pub(crate) fn service_named(&self, name: &str) -> Option<&'a ServiceEntry> {
        self.service_by_name.get(name).map(|&i| &self.cat.entries()[i])
    }

    /// The subnet of a node.
    pub(crate) fn node_subnet(&self, n: Node) -> Option<usize> {
        match n {
            Node::Eni(i) => self.eni_subnet[i],
            Node::Endpoint(e, k) => self.ep_subnets[e].get(k).copied().flatten(),
            Node::Nat(i) => self.nat_subnet[i],
            Node::Lb(l, k) => self.lb_subnets[l].get(k).copied().flatten(),
            Node::Managed(j) => self.managed.nodes[j].subnet,
            Node::Firewall(f, k) => self.fw_subnets[f].get(k).copied().flatten(),
        }
    }

    /// The VPC of a subnet.
    pub(crate) fn vpc_of(&self, subnet: usize) -> Option<usize> {
        self.subnet_vpc.get(subnet).copied().flatten()
    }

    /// A node's address of one family: its primary private IPv4 address, or its first IPv6
    /// address. NAT gateways, endpoint and load balancer nodes have IPv4 addresses only here.
    pub(crate) fn node_addr(&self, n: Node, ipv6: bool) -> Option<IpAddr> {
        if !ipv6 {
            return self.node_ip(n);
        }
        match n {
            Node::Eni(i) => self.d.network_interfaces[i].primary_ipv6().map(IpAddr::V6),
            _ => None,
        }
    }

    /// A node's primary private IPv4 address.
    pub(crate) fn node_ip(&self, n: Node) -> Option<IpAddr> {
        let v4 = match n {
            Node::Eni(i) => self.d.network_interfaces[i].primary_ip(),
            Node::Endpoint(e, k) => self.d.endpoints[e].interfaces.get(k).map(|f| f.ip),
            Node::Nat(i) => self.d.nat_gateways[i].private_ip,
            Node::Lb(l, k) => self.d.load_balancers[l].nodes.get(k).map(|x| x.private_ip),
            Node::Managed(j) => Some(self.managed.nodes[j].ip),
            Node::Firewall(f, k) => self.d.network_firewalls[f].endpoints.get(k).map(|x| x.ip),
        };
        v4.map(IpAddr::V4)
    }

    /// Whether an address is one of the node's own addresses (X4): its private IPv4
    /// addresses and its IPv6 addresses.
    pub(crate) fn node_owns(&self, n: Node, ip: IpAddr) -> bool {
        match n {
            Node::Eni(i) => self.d.network_interfaces[i].addresses().any(|a| a == ip),
            _ => self.node_ip(n) == Some(ip),
        }
    }

    /// The node whose public IPv4 address (EIP or auto-assigned) this is (I3).
    pub(crate) fn public_node(&self, ip: IpAddr) -> Option<Node> {
        match ip {
            IpAddr::V4(a) => self.by_public.get(&a).copied(),
            IpAddr::V6(_) => None,
        }
    }

    /// A node's public address (EIP or auto-assigned).
    pub(crate) fn node_public(&self, n: Node) -> Option<Ipv4Addr> {
        match n {
            Node::Eni(i) => self.eni_public[i],
            Node::Nat(i) => self.nat_public[i],
            Node::Lb(l, k) => self.d.load_balancers[l].nodes.get(k).and_then(|x| x.public_ip),
            Node::Managed(j) => self.managed.nodes[j].public,
            Node::Endpoint(..) | Node::Firewall(..) => None,
        }
    }

    /// The component a node appears as in hops.
    pub(crate) fn node_component(&self, n: Node) -> Component {
        match n {
            Node::Eni(i) => {
                let e = &self.d.network_interfaces[i];
                match self.eni_instance[i] {
                    Some(ii) => {
                        let inst = &self.d.instances[ii];
                        Component::new(ComponentKind::Instance, inst.id.clone(), inst.name.clone())
                    }
                    None => Component::new(ComponentKind::NetworkInterface, e.id.clone(), e.name.clone()),
                }
            }
            Node::Endpoint(e, _) => {
                let e = &self.d.endpoints[e];
                Component::new(ComponentKind::VpcEndpoint, e.id.clone(), e.name.clone())
            }
            Node::Nat(i) => {
                let n = &self.d.nat_gateways[i];
                Component::new(ComponentKind::NatGateway, n.id.clone(), n.name.clone())
            }
            Node::Lb(l, _) => {
                let lb = &self.d.load_balancers[l];
                Component::new(ComponentKind::LoadBalancer, lb.id.clone(), lb.name.clone())
            }
            Node::Managed(j) => self.managed_component(j),
            Node::Firewall(f, _) => {
                let fw = &self.d.network_firewalls[f];
                Component::new(ComponentKind::NetworkFirewall, fw.id.clone(), fw.name.clone())
            }
        }
    }

    /// The network interface component of an ENI (for the src/dst check, X4).
    pub(crate) fn eni_component(&self, i: usize) -> Component {
        let e = &self.d.network_interfaces[i];
        Component::new(ComponentKind::NetworkInterface, e.id.clone(), e.name.clone())
    }

    /// The subnet of a VPC holding an address.
    pub(crate) fn subnet_holding(&self, vpc: usize, ip: IpAddr) -> Option<usize> {
        self.vpc_subnets.get(vpc)?.iter().copied().find(|&s| self.d.subnets[s].contains_addr(ip))
    }

    /// The VPC whose CIDRs hold a private address (the first one when CIDRs overlap).
    pub(crate) fn vpc_holding(&self, ip: IpAddr) -> Option<usize> {
        let ip = match ip {
            IpAddr::V4(a) => a,
            IpAddr::V6(a) => {
                let block = self.vpc_blocks6.get(&(u128::from(a) >> 84)).map(Vec::as_slice).unwrap_or(&[]);
                return block
                    .iter()
                    .chain(self.wide_vpcs6.iter())
                    .filter(|(c, _)| c.contains(&a))
                    .map(|(_, v)| *v)
                    .min();
            }
        };
        let block = self.vpc_blocks.get(&(u32::from(ip) >> 16)).map(Vec::as_slice).unwrap_or(&[]);
        block.iter().chain(self.wide_vpcs.iter()).filter(|(c, _)| c.contains(&ip)).map(|(_, v)| *v).min()
    }

    /// The node a route target names (instance → its primary interface).
    pub(crate) fn target_node(&self, t: &RouteTarget) -> Option<Node> {
        match t {
            RouteTarget::NatGateway(id) => self.nat_ix.get(id.as_str()).map(|&i| Node::Nat(i)),
            RouteTarget::Instance(id) => {
                self.instance_ix.get(id.as_str()).and_then(|&i| self.instance_eni[i]).map(Node::Eni)
            }
            RouteTarget::NetworkInterface(id) => self.eni_ix.get(id.as_str()).map(|&i| Node::Eni(i)),
            // F1, B2: a `vpce-…` target is a firewall endpoint or a Gateway Load Balancer
            // endpoint, reached at its interface; a gateway endpoint has none.
            RouteTarget::GatewayEndpoint(id) => {
                if let Some(&(f, k)) = self.fw_endpoints.get(id.as_str()) {
                    return Some(Node::Firewall(f, k));
                }
                let &e = self.vpce_ix.get(id.as_str())?;
                let ep = &self.d.endpoints[e];
                (ep.kind == EndpointKind::GatewayLoadBalancer && !ep.interfaces.is_empty())
                    .then_some(Node::Endpoint(e, 0))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lowest_vpc_holding_an_address_wins() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let mut m = HashMap::default();
        for (k, (v, a)) in
            [(3, "10.0.0.5"), (1, "10.0.0.5"), (2, "10.0.0.5"), (0, "10.0.0.6"), (2, "fd00::1"), (7, "10.0.0.7")]
                .into_iter()
                .enumerate()
        {
            m.insert((v, ip(a)), Node::Eni(k));
        }
        // As first written: every entry sorted by (VPC, address), the first one kept.
        let mut keys: Vec<_> = m.iter().collect();
        keys.sort_by_key(|((v, ip), _)| (*v, *ip));
        let mut sorted = HashMap::default();
        for ((_, ip), n) in keys {
            sorted.entry(*ip).or_insert(*n);
        }
        // VPC 7 is past `nv`: kept, last.
        let got = lowest_vpc_first(&m, 4);
        assert_eq!(got, sorted);
        assert_eq!(got[&ip("10.0.0.5")], Node::Eni(1));
    }
}
