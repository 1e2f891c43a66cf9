//! What a packet from a VPC can see: which other VPCs it can reach privately (its *closure*),
//! and which address blocks the components it may pass can tell apart (its *atoms*).
//!
//! A packet from VPC `v` to an address in a VPC `w` outside `v`'s closure never enters `w`:
//! peering is not transitive (P5), the internet does not carry private addresses (I4), and
//! public addresses are joined at the internet (see `compose`). So every component it passes
//! belongs to the closure, and those components look at the address only through the CIDRs
//! they hold. Two destinations that no CIDR of the closure tells apart are treated alike by
//! every hop: one trace answers for both. CIDRs nest or are disjoint, so the set of a closure's
//! CIDRs holding an address is a chain, named by its longest member: the address's *atom*.

use super::Family;
use crate::model::{RouteTarget, SgPeer, TgwAttachmentKind};
use crate::sim::index::TraceIndex;
use ipnet::IpNet;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

/// A CIDR of the matrix's family as bits: an IPv4 block in the low 32 bits (`width` 32), an
/// IPv6 block in all 128. One scope holds blocks of one family: IPv4 and IPv6 are routed apart
/// (R3), so a packet of one family is told apart only by CIDRs of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Blk {
    pub base: u128,
    pub len: u8,
}

impl Family {
    /// Address bits.
    fn width(self) -> u8 {
        match self {
            Family::Ipv4 => 32,
            Family::Ipv6 => 128,
        }
    }

    /// The mask of a prefix length.
    fn mask(self, len: u8) -> u128 {
        let w = self.width();
        let full = if w == 128 { u128::MAX } else { (1u128 << w) - 1 };
        if len == 0 {
            0
        } else {
            (u128::MAX << (w - len.min(w))) & full
        }
    }

    /// A block of this family (truncated to its prefix), or `None` for the other family's.
    pub(crate) fn blk(self, n: IpNet) -> Option<Blk> {
        let (base, len) = match (self, n) {
            (Family::Ipv4, IpNet::V4(n)) => (u128::from(u32::from(n.network())), n.prefix_len()),
            (Family::Ipv6, IpNet::V6(n)) => (u128::from(n.network()), n.prefix_len()),
            _ => return None,
        };
        Some(Blk { base: base & self.mask(len), len })
    }

    /// An address of this family as a block of one address.
    pub(crate) fn host(self, ip: IpAddr) -> Option<Blk> {
        self.blk(IpNet::from(ip))
    }

    /// The last address of a block.
    fn last(self, b: Blk) -> u128 {
        b.base | (!self.mask(b.len) & self.mask(self.width()))
    }
}

/// No CIDR of the closure holds the address (not even 0.0.0.0/0).
pub(crate) const NO_ATOM: u32 = u32::MAX;

/// A set of VPCs, as bits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct VpcSet(Vec<u64>);

impl VpcSet {
    pub fn new(n: usize) -> VpcSet {
        VpcSet(vec![0; n.div_ceil(64)])
    }
    pub fn insert(&mut self, v: usize) {
        if let Some(w) = self.0.get_mut(v / 64) {
            *w |= 1 << (v % 64);
        }
    }
    pub fn contains(&self, v: usize) -> bool {
        self.0.get(v / 64).is_some_and(|w| w & (1 << (v % 64)) != 0)
    }
    pub fn union(&mut self, o: &VpcSet) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a |= *b;
        }
    }
    /// The members, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        // Set bits only: a scope walks the sets of a thousand VPCs, mostly empty words.
        self.0.iter().enumerate().flat_map(|(i, &w)| Bits(w).map(move |b| i * 64 + b))
    }
}

/// The set bits of a word, lowest first.
struct Bits(u64);

impl Iterator for Bits {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let b = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(b)
    }
}

/// Who holds a CIDR in their view.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Owners {
    /// Every VPC (the address classes every gateway knows, I4).
    All,
    Some(VpcSet),
}

/// Address blocks with a fixed meaning everywhere: RFC1918 and RFC6598 (I4), "this network",
/// loopback, link-local with IMDS and DNS (X1, X2), multicast and reserved.
const SPECIAL: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "0.0.0.0/8",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "169.254.169.254/32",
    "169.254.169.253/32",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "255.255.255.255/32",
];

/// The IPv6 blocks with a fixed meaning everywhere (the classes the engine tells apart,
/// `crate::net::classify_ipv6`): unspecified, loopback, IPv4-mapped, NAT64 (N6), link-local
/// with the Amazon DNS and IMDS addresses (X1, X2), unique local, multicast. The documentation
/// ranges are routed as global addresses (VPC stand-in blocks live there), so they are none.
const SPECIAL6: &[&str] = &[
    "::/128",
    "::1/128",
    "::ffff:0:0/96",
    "64:ff9b::/96",
    "fe80::/10",
    "fd00:ec2::/32",
    "fd00:ec2::253/128",
    "fd00:ec2::254/128",
    "fc00::/7",
    "ff00::/8",
];

/// Closures and atoms of every VPC of a design.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub family: Family,
    pub nv: usize,
    /// Per VPC: the VPCs a packet from it may enter (itself included).
    pub closure: Vec<VpcSet>,
    /// Every CIDR any component holds, by id.
    fam: Vec<Blk>,
    fam_ix: foldhash::HashMap<Blk, u32>,
    /// Family ids sorted by (network, prefix length), for "CIDRs inside a block".
    sorted: Vec<u32>,
    owners: Vec<Owners>,
    /// How many times each CIDR is held (a subnet's own CIDR counts once).
    mentions: Vec<u32>,
    /// CIDRs that are a VPC's address space (its CIDRs, stray node addresses): by VPC.
    space_of: HashMap<u32, Vec<u32>>,
    /// Every VPC CIDR: (VPC, CIDR), by VPC.
    pub vpc_cidrs: Vec<(u32, Blk)>,
    /// Per VPC: where its CIDRs start in `vpc_cidrs` (and, last, their count).
    vpc_cidr_start: Vec<u32>,
    /// `connected[v]`: VPCs whose addresses `v` must trace one by one.
    pub connected: Vec<VpcSet>,
    /// `atoms[v * vpc_cidrs.len() + k]`: the atom, for `v`, of the addresses of VPC CIDR `k`.
    atoms: Vec<u32>,
}

impl Scope {
    /// Compute closures, the CIDR family with its owners, connectivity and atoms.
    pub fn new(ix: &TraceIndex<'_>, family: Family) -> Scope {
        let d = ix.d;
        let nv = d.vpcs.len();
        // The closures and the CIDRs each VPC's components hold do not depend on each other.
        let ((closure, tgws), (vpc_lists, tgw_lists)) =
            rayon::join(|| closures(ix), || (vpc_cidr_lists(ix, family), tgw_cidr_lists(ix, family)));
        // Who sees what: the reverse of the closures.
        let mut seen_by = vec![VpcSet::new(nv); nv];
        let mut tgw_seen_by = vec![VpcSet::new(nv); d.transit_gateways.len()];
        for v in 0..nv {
            for u in closure[v].iter() {
                seen_by[u].insert(v);
            }
            for t in tgws[v].iter() {
                tgw_seen_by[*t].insert(v);
            }
        }
        let mut b = Builder {
            fam: Vec::new(),
            fam_ix: foldhash::HashMap::default(),
            owners: Vec::new(),
            mentions: Vec::new(),
            nv,
        };
        let special = match family {
            Family::Ipv4 => SPECIAL,
            Family::Ipv6 => SPECIAL6,
        };
        for s in special {
            if let Some(n) = s.parse::<IpNet>().ok().and_then(|n| family.blk(n)) {
                let g = b.id(n);
                b.owners[g as usize] = Owners::All;
            }
        }
        let mut space_of: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut vpc_cidrs = Vec::new();
        for (u, cidrs) in vpc_lists.into_iter().enumerate() {
            for c in cidrs.own {
                let g = b.add(c, &seen_by[u]);
                space_of.entry(g).or_default().push(u as u32);
                vpc_cidrs.push((u as u32, c));
            }
            for c in cidrs.stray {
                let g = b.add(c, &seen_by[u]);
                space_of.entry(g).or_default().push(u as u32);
            }
            for c in cidrs.other {
                b.add(c, &seen_by[u]);
            }
        }
        for (t, cidrs) in tgw_lists.into_iter().enumerate() {
            for c in cidrs {
                b.add(c, &tgw_seen_by[t]);
            }
        }
        let mut vpc_cidr_start = vec![0u32; nv + 1];
        for &(u, _) in &vpc_cidrs {
            vpc_cidr_start[u as usize + 1] += 1;
        }
        for v in 0..nv {
            vpc_cidr_start[v + 1] += vpc_cidr_start[v];
        }
        let Builder { fam, fam_ix, owners, mentions, .. } = b;
        let mut sorted: Vec<u32> = (0..fam.len() as u32).collect();
        sorted.sort_by_key(|&g| fam[g as usize]);
        let mut scope = Scope {
            family,
            nv,
            closure,
            fam,
            fam_ix,
            sorted,
            owners,
            mentions,
            space_of,
            vpc_cidrs,
            vpc_cidr_start,
            connected: Vec::new(),
            atoms: Vec::new(),
        };
        scope.connect();
        scope
    }

    /// Whether two designs' scopes see the same: the same closures, CIDRs, owners, address
    /// spaces, connectivity and atoms. How often a CIDR is held may differ (a route removed
    /// beside another to the same CIDR); that only decides which subnets are anonymous, which
    /// the classes say.
    pub fn same_view(&self, o: &Scope) -> bool {
        self.family == o.family
            && self.nv == o.nv
            && self.closure == o.closure
            && self.fam == o.fam
            && self.owners == o.owners
            && self.space_of == o.space_of
            && self.vpc_cidrs == o.vpc_cidrs
            && self.connected == o.connected
            && self.atoms == o.atoms
    }

    fn owned(&self, g: u32, v: usize) -> bool {
        match &self.owners[g as usize] {
            Owners::All => true,
            Owners::Some(s) => s.contains(v),
        }
    }

    /// The family's CIDRs holding a block (itself included), longest first.
    fn chain(&self, net: Blk) -> impl Iterator<Item = u32> + '_ {
        let f = self.family;
        (0..=net.len).rev().filter_map(move |len| self.fam_ix.get(&Blk { base: net.base & f.mask(len), len }).copied())
    }

    /// The family's CIDRs strictly inside a block.
    fn inner(&self, net: Blk) -> impl Iterator<Item = u32> + '_ {
        let (start, end) = (net.base, self.family.last(net));
        let from = self.sorted.partition_point(|&g| self.fam[g as usize].base < start);
        self.sorted[from..]
            .iter()
            .copied()
            .take_while(move |&g| self.fam[g as usize].base <= end)
            .filter(move |&g| self.fam[g as usize].len > net.len)
    }

    /// Whether a subnet's CIDR is anonymous: held once (by the subnet itself), with no CIDR of
    /// the design inside it, so nothing tells its addresses from those of a like subnet.
    /// Returns the CIDRs holding it (its chain without itself) when it is.
    pub fn anonymous_chain(&self, net: IpNet) -> Option<Vec<u32>> {
        let net = self.family.blk(net)?;
        let own = *self.fam_ix.get(&net)?;
        if self.mentions[own as usize] != 1 || self.inner(net).next().is_some() {
            return None;
        }
        Some(self.chain(net).filter(|&g| g != own).collect())
    }

    /// The CIDRs holding an address (longest first), and the VPCs whose address space holds it.
    pub fn chain_and_space(&self, ip: IpAddr) -> (Vec<u32>, Vec<u32>) {
        let Some(net) = self.family.host(ip) else { return (Vec::new(), Vec::new()) };
        let chain: Vec<u32> = self.chain(net).collect();
        let space = chain.iter().filter_map(|g| self.space_of.get(g)).flatten().copied().collect();
        (chain, space)
    }

    /// The first CIDR of a chain in `v`'s view.
    pub fn first_owned(&self, chain: &[u32], v: usize) -> u32 {
        chain.iter().copied().find(|&g| self.owned(g, v)).unwrap_or(NO_ATOM)
    }

    /// The atom of a block for VPC `v`: the longest CIDR of `v`'s view holding it.
    pub fn atom_of(&self, v: usize, net: IpNet) -> u32 {
        let Some(net) = self.family.blk(net) else { return NO_ATOM };
        self.chain(net).find(|&g| self.owned(g, v)).unwrap_or(NO_ATOM)
    }

    /// Whether any CIDR of the design lies strictly inside a block.
    pub fn holds_inside(&self, net: IpNet) -> bool {
        self.family.blk(net).is_some_and(|n| self.inner(n).next().is_some())
    }

    /// Whether `v`'s view splits a block (holds a CIDR strictly inside it).
    pub fn splits(&self, v: usize, net: IpNet) -> bool {
        self.family.blk(net).is_some_and(|n| self.inner(n).any(|g| self.owned(g, v)))
    }

    /// Whether an address is in the address space of a VPC of `v`'s closure.
    pub fn in_closure_space(&self, v: usize, ip: IpAddr) -> bool {
        let Some(net) = self.family.host(ip) else { return false };
        self.chain(net)
            .filter_map(|g| self.space_of.get(&g))
            .any(|us| us.iter().any(|&u| self.closure[v].contains(u as usize)))
    }

    /// The atom, for `v`, of the addresses of VPC CIDR `k` (meaningful when not connected).
    pub fn vpc_cidr_atom(&self, v: usize, k: usize) -> u32 {
        self.atoms[v * self.vpc_cidrs.len() + k]
    }

    /// The VPC CIDR (index into `vpc_cidrs`) holding an address of VPC `w`.
    pub fn vpc_cidr_index(&self, w: usize, ip: IpAddr) -> Option<usize> {
        let a = self.family.host(ip)?.base;
        let f = self.family;
        let (from, to) = (*self.vpc_cidr_start.get(w)? as usize, *self.vpc_cidr_start.get(w + 1)? as usize);
        let at = self.vpc_cidrs[from..to].iter().position(|(_, c)| a >= c.base && a <= f.last(*c))?;
        Some(from + at)
    }

    /// Whether an address is in the address space of any VPC of the design (an IPv6 address
    /// there is reached across the internet from outside its VPC's closure, I5).
    pub fn in_any_space(&self, ip: IpAddr) -> bool {
        let Some(net) = self.family.host(ip) else { return false };
        self.chain(net).any(|g| self.space_of.contains_key(&g))
    }

    /// Connectivity and atoms for every pair of VPCs.
    fn connect(&mut self) {
        let nv = self.nv;
        let mut connected = self.closure.clone();
        // A CIDR of v's view inside w's space tells w's addresses apart.
        for (w, c) in &self.vpc_cidrs {
            for g in self.inner(*c) {
                match &self.owners[g as usize] {
                    Owners::All => (0..nv).for_each(|v| connected[v].insert(*w as usize)),
                    Owners::Some(s) => s.iter().for_each(|v| connected[v].insert(*w as usize)),
                }
            }
        }
        // Overlapping VPCs: an address of w may be one of a closure VPC's.
        let mut order: Vec<usize> = (0..self.vpc_cidrs.len()).collect();
        order.sort_by_key(|&k| self.vpc_cidrs[k].1);
        let f = self.family;
        for (i, &a) in order.iter().enumerate() {
            let (ua, ca) = self.vpc_cidrs[a];
            for &b in &order[i + 1..] {
                let (ub, cb) = self.vpc_cidrs[b];
                if cb.base > f.last(ca) {
                    break;
                }
                if ua == ub {
                    continue;
                }
                for (closure, conn) in self.closure.iter().zip(connected.iter_mut()) {
                    if closure.contains(ua as usize) {
                        conn.insert(ub as usize);
                    }
                    if closure.contains(ub as usize) {
                        conn.insert(ua as usize);
                    }
                }
            }
        }
        self.connected = connected;
        self.atoms = self.atoms();
    }

    /// `atoms[v * k + j]`: the first CIDR of VPC CIDR `j`'s chain that `v` owns, for every
    /// VPC `v` (nv × k cells, a million on a 1000-VPC design). Found for 64 VPCs at once from
    /// the owners' bit words: each CIDR of the chain takes the VPCs that own it and no longer
    /// one did. Blocks of 64 rows are filled in parallel.
    fn atoms(&self) -> Vec<u32> {
        let (nv, k) = (self.nv, self.vpc_cidrs.len());
        let mut chains: Vec<u32> = Vec::new();
        let mut chain_at = Vec::with_capacity(k + 1);
        chain_at.push(0);
        for (_, c) in &self.vpc_cidrs {
            chains.extend(self.chain(*c));
            chain_at.push(chains.len());
        }
        let mut atoms = vec![NO_ATOM; nv * k];
        if k == 0 {
            return atoms;
        }
        atoms.par_chunks_mut(64 * k).enumerate().for_each(|(w, rows)| {
            let n = rows.len() / k;
            let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
            for j in 0..k {
                let mut left = all;
                for &g in &chains[chain_at[j]..chain_at[j + 1]] {
                    let bits = left
                        & match &self.owners[g as usize] {
                            Owners::All => u64::MAX,
                            Owners::Some(s) => s.0.get(w).copied().unwrap_or(0),
                        };
                    for b in Bits(bits) {
                        rows[b * k + j] = g;
                    }
                    left &= !bits;
                    if left == 0 {
                        break;
                    }
                }
            }
        });
        atoms
    }
}

struct Builder {
    fam: Vec<Blk>,
    fam_ix: foldhash::HashMap<Blk, u32>,
    owners: Vec<Owners>,
    mentions: Vec<u32>,
    nv: usize,
}

impl Builder {
    fn id(&mut self, net: Blk) -> u32 {
        if let Some(&g) = self.fam_ix.get(&net) {
            return g;
        }
        let g = self.fam.len() as u32;
        self.fam.push(net);
        self.fam_ix.insert(net, g);
        self.owners.push(Owners::Some(VpcSet::new(self.nv)));
        self.mentions.push(0);
        g
    }

    fn add(&mut self, net: Blk, by: &VpcSet) -> u32 {
        let g = self.id(net);
        self.mentions[g as usize] += 1;
        if let Owners::Some(s) = &mut self.owners[g as usize] {
            s.union(by);
        }
        g
    }
}

/// A VPC's CIDRs: its own address space, node addresses outside it, and every other CIDR its
/// components hold.
struct VpcCidrs {
    own: Vec<Blk>,
    stray: Vec<Blk>,
    other: Vec<Blk>,
}

fn vpc_cidr_lists(ix: &TraceIndex<'_>, f: Family) -> Vec<VpcCidrs> {
    let d = ix.d;
    let v4 = |n: IpNet| f.blk(n);
    let mut out: Vec<VpcCidrs> = d
        .vpcs
        .iter()
        .map(|v| VpcCidrs { own: v.all_cidrs().filter_map(v4).collect(), stray: Vec::new(), other: Vec::new() })
        .collect();
    let vpc = |id: &str| ix.vpc_ix.get(id).copied();
    for (si, s) in d.subnets.iter().enumerate() {
        if let Some(v) = ix.subnet_vpc[si] {
            out[v].other.extend(s.cidr.map(IpNet::V4).and_then(v4));
            out[v].other.extend(s.ipv6_cidr.map(IpNet::V6).and_then(v4));
        }
    }
    for (rt, t) in d.route_tables.iter().enumerate() {
        if let Some(v) = vpc(&t.vpc) {
            out[v].other.extend(ix.tables[rt].table.entries().iter().filter_map(|e| v4(e.net)));
        }
    }
    for a in &d.network_acls {
        if let Some(v) = vpc(&a.vpc) {
            out[v].other.extend(a.entries.iter().filter_map(|e| v4(e.cidr)));
        }
    }
    for g in &d.security_groups {
        if let Some(v) = vpc(&g.vpc) {
            for r in g.ingress.iter().chain(&g.egress) {
                match &r.peer {
                    SgPeer::Cidr(c) => out[v].other.extend(v4(*c)),
                    SgPeer::PrefixList(pl) => {
                        out[v].other.extend(ix.pl_cidrs.get(pl.as_str()).into_iter().flatten().filter_map(|c| v4(*c)))
                    }
                    SgPeer::SecurityGroup { .. } => {}
                }
            }
        }
    }
    for (e, ep) in d.endpoints.iter().enumerate() {
        if let Some(v) = vpc(&ep.vpc) {
            if let Some(svc) = ix.service_named(ix.endpoint_service_name(e)) {
                out[v].other.extend(svc.prefixes.iter().filter_map(|c| v4((*c).into())));
                out[v].other.extend(svc.ipv6_prefixes.iter().filter_map(|c| v4((*c).into())));
                if let Some(pl) = svc.prefix_list_id.as_deref() {
                    out[v].other.extend(ix.pl_cidrs.get(pl).into_iter().flatten().filter_map(|c| v4(*c)));
                }
            }
        }
    }
    for g in &d.vpn_gateways {
        if let Some(v) = g.vpc.as_deref().and_then(vpc) {
            for c in d.vpn_connections.iter().filter(|c| c.vpn_gateway.as_deref() == Some(g.id.as_str())) {
                out[v].other.extend(c.routes.iter().filter_map(|c| v4((*c).into())));
            }
        }
    }
    // Node addresses outside their VPC's CIDRs are found by address too (by_private).
    for &(v, ip) in ix.by_private.keys() {
        let inside = match ip {
            IpAddr::V4(a) => d.vpcs[v].contains(a),
            IpAddr::V6(a) => d.vpcs[v].ipv6_cidrs().any(|c| c.contains(&a)),
        };
        if !inside {
            out[v].stray.extend(f.host(ip));
        }
    }
    out
}

fn tgw_cidr_lists(ix: &TraceIndex<'_>, f: Family) -> Vec<Vec<Blk>> {
    let d = ix.d;
    let v4 = |n: IpNet| f.blk(n);
    let mut out = vec![Vec::new(); d.transit_gateways.len()];
    for (rt, t) in d.tgw_route_tables.iter().enumerate() {
        if let Some(&g) = ix.tgw_ix.get(t.tgw.as_str()) {
            out[g].extend(ix.tgw_tables[rt].entries().iter().filter_map(|e| v4(e.net)));
        }
    }
    for a in &d.tgw_attachments {
        if let (Some(&g), TgwAttachmentKind::Vpn { vpn }) = (ix.tgw_ix.get(a.tgw.as_str()), &a.kind) {
            for c in d.vpn_connections.iter().filter(|c| &c.id == vpn) {
                out[g].extend(c.routes.iter().filter_map(|c| v4((*c).into())));
            }
        }
    }
    out
}

/// Per VPC: the VPCs and transit gateways a packet from it may reach privately.
fn closures(ix: &TraceIndex<'_>) -> (Vec<VpcSet>, Vec<HashSet<usize>>) {
    let d = ix.d;
    let nv = d.vpcs.len();
    // Direct edges: VPCs a VPC's own routing hands packets to (full members), peers (arrival
    // only: peering is not transitive, P5), and transit gateways.
    let mut full_edges: Vec<Vec<usize>> = vec![Vec::new(); nv];
    let mut arrival_edges: Vec<Vec<usize>> = vec![Vec::new(); nv];
    let mut tgw_edges: Vec<Vec<usize>> = vec![Vec::new(); nv];
    // Forwarding that does not depend on routes: load balancers to their targets, interface
    // endpoints to the service's load balancers (E9).
    let mut lb_edges: Vec<Vec<usize>> = vec![Vec::new(); nv];
    let node_vpc = |n: crate::sim::index::Node| ix.node_subnet(n).and_then(|s| ix.vpc_of(s));
    for (rt, t) in d.route_tables.iter().enumerate() {
        let Some(&v) = ix.vpc_ix.get(t.vpc.as_str()) else { continue };
        for r in &ix.tables[rt].routes {
            match &r.target {
                RouteTarget::VpcPeering(id) => {
                    if let Some(p) = ix.pcx_ix.get(id.as_str()).map(|&p| &d.peerings[p]) {
                        for o in [&p.requester_vpc, &p.accepter_vpc] {
                            if let Some(&o) = ix.vpc_ix.get(o.as_str()) {
                                arrival_edges[v].push(o);
                            }
                        }
                    }
                }
                RouteTarget::TransitGateway(id) => {
                    if let Some(&g) = ix.tgw_ix.get(id.as_str()) {
                        tgw_edges[v].push(g);
                    }
                }
                t => {
                    if let Some(o) = ix.target_node(t).and_then(node_vpc) {
                        full_edges[v].push(o);
                    }
                }
            }
        }
    }
    for a in &d.tgw_attachments {
        if let (Some(&g), TgwAttachmentKind::Vpc { vpc, .. }) = (ix.tgw_ix.get(a.tgw.as_str()), &a.kind) {
            if let Some(&v) = ix.vpc_ix.get(vpc.as_str()) {
                tgw_edges[v].push(g);
            }
        }
    }
    for (l, lb) in d.load_balancers.iter().enumerate() {
        let Some(&v) = ix.vpc_ix.get(lb.vpc.as_str()) else { continue };
        for s in ix.lb_subnets[l].iter().flatten() {
            if let Some(o) = ix.vpc_of(*s) {
                lb_edges[v].push(o);
            }
        }
        for tg in lb.listeners.iter().filter_map(|x| x.target_group.as_deref()) {
            let Some(&g) = ix.tg_ix.get(tg) else { continue };
            for t in &d.target_groups[g].targets {
                if let Some(o) = ix
                    .instance_ix
                    .get(t.id.as_str())
                    .and_then(|&i| ix.instance_eni[i])
                    .and_then(|e| ix.eni_subnet[e])
                    .and_then(|s| ix.vpc_of(s))
                {
                    lb_edges[v].push(o);
                }
            }
        }
    }
    for (e, ep) in d.endpoints.iter().enumerate() {
        let Some(&v) = ix.vpc_ix.get(ep.vpc.as_str()) else { continue };
        if let Some(&svc) = ix.service_ix.get(ix.endpoint_service_name(e)) {
            for l in &d.endpoint_services[svc].load_balancers {
                if let Some(&o) =
                    ix.lb_ix.get(l.as_str()).and_then(|&l| ix.vpc_ix.get(d.load_balancers[l].vpc.as_str()))
                {
                    lb_edges[v].push(o);
                }
            }
        }
        for s in ix.ep_subnets[e].iter().flatten() {
            if let Some(o) = ix.vpc_of(*s) {
                lb_edges[v].push(o);
            }
        }
    }
    // A transit gateway reaches its VPC attachments and, through peering attachments, other
    // transit gateways (T1, T5).
    let nt = d.transit_gateways.len();
    let mut tgw_vpcs: Vec<Vec<usize>> = vec![Vec::new(); nt];
    let mut tgw_peers: Vec<Vec<usize>> = vec![Vec::new(); nt];
    for a in &d.tgw_attachments {
        let Some(&g) = ix.tgw_ix.get(a.tgw.as_str()) else { continue };
        match &a.kind {
            TgwAttachmentKind::Vpc { vpc, .. } => {
                if let Some(&v) = ix.vpc_ix.get(vpc.as_str()) {
                    tgw_vpcs[g].push(v);
                }
            }
            TgwAttachmentKind::Peering { peer_tgw } => {
                if let Some(&p) = ix.tgw_ix.get(peer_tgw.as_str()) {
                    tgw_peers[g].push(p);
                    tgw_peers[p].push(g);
                }
            }
            TgwAttachmentKind::Vpn { .. } => {}
        }
    }
    // Each VPC's search is its own: they run in parallel.
    (0..nv)
        .into_par_iter()
        .map(|v| {
            let mut set = VpcSet::new(nv);
            let mut full_seen = VpcSet::new(nv);
            let mut tset: HashSet<usize> = HashSet::new();
            let mut queue = vec![v];
            full_seen.insert(v);
            set.insert(v);
            while let Some(u) = queue.pop() {
                let mut push_full = |o: usize, set: &mut VpcSet, queue: &mut Vec<usize>| {
                    set.insert(o);
                    if !full_seen.contains(o) {
                        full_seen.insert(o);
                        queue.push(o);
                    }
                };
                for &o in full_edges[u].iter().chain(&lb_edges[u]) {
                    push_full(o, &mut set, &mut queue);
                }
                for &o in &arrival_edges[u] {
                    set.insert(o);
                    // From a peer, only load balancers and endpoints carry packets further.
                    for &x in &lb_edges[o] {
                        push_full(x, &mut set, &mut queue);
                    }
                }
                let mut tq: Vec<usize> = tgw_edges[u].clone();
                while let Some(t) = tq.pop() {
                    if !tset.insert(t) {
                        continue;
                    }
                    for &o in &tgw_vpcs[t] {
                        push_full(o, &mut set, &mut queue);
                    }
                    tq.extend(tgw_peers[t].iter().copied());
                }
            }
            (set, tset)
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Design;

    /// The atoms cell by cell, as first written: the reference the word-wise fill must equal.
    fn atoms_cell_by_cell(s: &Scope) -> Vec<u32> {
        let (nv, k) = (s.nv, s.vpc_cidrs.len());
        let mut atoms = vec![NO_ATOM; nv * k];
        for (j, (_, c)) in s.vpc_cidrs.iter().enumerate() {
            let chain: Vec<u32> = s.chain(*c).collect();
            for v in 0..nv {
                atoms[v * k + j] = chain.iter().copied().find(|&g| s.owned(g, v)).unwrap_or(NO_ATOM);
            }
        }
        atoms
    }

    fn designs() -> Vec<Design> {
        let mut out: Vec<Design> =
            crate::assets::example_names().iter().map(|n| crate::assets::example(n).expect("example loads")).collect();
        // 64 and 65 VPCs: a full word of VPCs and one VPC in the next.
        for (n, seed) in [(1, 1), (63, 2), (64, 3), (65, 4), (130, 42)] {
            out.push(crate::model::gen::generate(n, seed));
        }
        out
    }

    #[test]
    fn atoms_equal_the_cell_by_cell_fill() {
        for d in designs() {
            let ix = TraceIndex::new(&d);
            for family in [Family::Ipv4, Family::Ipv6] {
                let s = Scope::new(&ix, family);
                assert_eq!(s.atoms, atoms_cell_by_cell(&s), "{} {family:?}", d.name);
            }
        }
    }

    #[test]
    fn set_members_are_listed_in_order() {
        let mut s = VpcSet::new(200);
        for v in [0, 5, 63, 64, 127, 128, 199] {
            s.insert(v);
        }
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![0, 5, 63, 64, 127, 128, 199]);
        assert_eq!(VpcSet::new(70).iter().count(), 0);
    }
}
