//! Whole-network reachability: a matrix of sources × destinations, each cell exactly what
//! `vpcraft trace` says for that pair (verdict, explanation code, the component that decided).
//!
//! Subnets stand for a hypothetical interface in them ([`crate::sim::hypothetical`]); the
//! internet for [`INTERNET_HOST`]; a service for its DNS name. [`compute`] traces one
//! representative per class of equivalent pairs (`classes`, `scope`, `compute`), so a
//! 6,000-subnet design takes thousands of traces instead of millions; [`brute_force`] traces
//! every pair, for checking. [`Matrix::cell`] answers per cell, [`Matrix::request`] gives the
//! trace a cell stands for (to open it), [`Matrix::update`] recomputes after an edit.

mod cell;
mod classes;
mod compare;
mod compute;
mod incremental;
pub mod render;
mod scope;
pub mod select;

pub use cell::{Cell, CellVerdict};
pub use incremental::Change;

use self::incremental::{Basis, Flows, Prior, Spare, SpareDesign};
pub use select::{
    default_destinations, default_destinations_for, default_sources, default_sources_for, design_services,
    parse_selector, parse_selector_for, parse_selectors, parse_selectors_for, Party,
};

use self::cell::{Cells, EndIds};
use self::compute::{compute_port, Ctx, Grid, Memo, SubInfo};
use crate::l10n::Text;
use crate::model::{Design, PortSpec, Protocol, ServiceCatalog};
use crate::sim::hypothetical::{self, Hypothetical, UsedAddresses, STAND_IN_PUBLIC_BLOCK};
use crate::sim::request::{Endpoint, TraceRequest, INTERNET_HOST, INTERNET_HOST_V6};
use crate::sim::result::{Component, ComponentKind};
use crate::sim::TraceIndex;
use ipnet::IpNet;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

/// Which flows a matrix holds. IPv4 and IPv6 are routed apart (R3), so a design has a matrix
/// of each: an IPv6 cell is the flow between the two ends' IPv6 addresses (a subnet's
/// hypothetical interface's, the internet's [`INTERNET_HOST_V6`], a service's dual-stack name).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    #[default]
    Ipv4,
    Ipv6,
}

impl Family {
    /// `ipv4` or `ipv6`, as the CLI and JSON spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Ipv4 => "ipv4",
            Family::Ipv6 => "ipv6",
        }
    }

    /// `IPv4` or `IPv6`, for people.
    pub fn label(self) -> &'static str {
        match self {
            Family::Ipv4 => "IPv4",
            Family::Ipv6 => "IPv6",
        }
    }

    /// The address `internet` stands for in this family.
    pub fn internet_host(self) -> IpAddr {
        match self {
            Family::Ipv4 => IpAddr::V4(INTERNET_HOST),
            Family::Ipv6 => IpAddr::V6(INTERNET_HOST_V6),
        }
    }

    /// Whether a subnet has a block of this family (else it is in the matrix as not applicable).
    pub fn applies_to(self, s: &crate::model::Subnet) -> bool {
        match self {
            Family::Ipv4 => s.cidr.is_some(),
            Family::Ipv6 => s.ipv6_cidr.is_some(),
        }
    }

    /// A hypothetical interface's address of this family.
    pub(crate) fn address_of(self, h: &Hypothetical) -> Option<IpAddr> {
        match self {
            Family::Ipv4 => h.ipv4.map(IpAddr::V4),
            Family::Ipv6 => h.ipv6.map(IpAddr::V6),
        }
    }
}

/// What to compute: rows, columns, protocol and destination ports (one matrix per port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachOptions {
    pub sources: Vec<Party>,
    pub destinations: Vec<Party>,
    pub protocol: Protocol,
    /// Destination ports; `None` for a protocol without ports.
    pub ports: Vec<Option<u16>>,
    /// IPv4 (the default) or IPv6 flows.
    pub family: Family,
}

impl ReachOptions {
    /// Every subnet to every subnet, the internet and the design's services, on tcp/443.
    pub fn defaults(d: &Design) -> ReachOptions {
        ReachOptions::defaults_for(d, Family::Ipv4)
    }

    /// [`ReachOptions::defaults`] for a family (IPv6: every subnet, those without an IPv6 block
    /// as not applicable, and the services by their dual-stack names).
    pub fn defaults_for(d: &Design, family: Family) -> ReachOptions {
        ReachOptions {
            sources: default_sources_for(d, family),
            destinations: default_destinations_for(d, family),
            protocol: Protocol::Tcp,
            ports: vec![Some(443)],
            family,
        }
    }
}

/// A computed matrix.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub options: ReachOptions,
    /// Ids of the rows and columns (subnet id, `internet`, service name).
    pub source_ids: Arc<[String]>,
    pub destination_ids: Arc<[String]>,
    /// Labels for people (subnet name, `internet`, service name).
    pub source_labels: Arc<[String]>,
    pub destination_labels: Arc<[String]>,
    /// The hypothetical interface each subnet row or column stands for.
    endpoints: HashMap<usize, (Hypothetical, Hypothetical)>,
    grids: Vec<Grid>,
    cells: Cells,
    row_ends: Vec<Arc<EndIds>>,
    col_ends: Vec<Arc<EndIds>>,
    /// Per row: the column that is its own subnet (its cell uses the subnet's second interface).
    diagonal: HashMap<usize, usize>,
    twin_ends: HashMap<usize, Arc<EndIds>>,
    /// The traced flows, handed to the matrix recomputed from this one.
    memo: Flows,
    /// What the rows were computed from besides the memo (for keeping rows after an edit).
    basis: Option<Box<Basis>>,
    /// The design with hypothetical interfaces it was computed on, for the next recomputation.
    spare: Spare,
    /// The design's subnet, VPC and service names the memo's indices refer to.
    subnet_ids: Arc<[String]>,
    vpc_ids: Arc<[String]>,
    services: Vec<String>,
    /// How many flows were traced to fill it.
    pub traced: usize,
    /// How many class rows (over all ports) were kept from the matrix before an edit.
    pub kept: usize,
    /// Per row and column: its position among the parties the matrix traced (`None`: not
    /// applicable, a subnet without a block of the family). Grids and ends are by position.
    row_in: Vec<Option<u32>>,
    col_in: Vec<Option<u32>>,
    /// The options the grids were computed for (the applicable parties only).
    inner: ReachOptions,
}

impl Matrix {
    /// Rows, columns, ports.
    pub fn shape(&self) -> (usize, usize, usize) {
        (self.options.sources.len(), self.options.destinations.len(), self.options.ports.len())
    }

    /// Positions among the traced parties, or the subnet that makes the cell not applicable.
    fn inner_pair(&self, row: usize, col: usize) -> Result<(usize, usize), Component> {
        let na = |ids: &[String], labels: &[String], i: usize| {
            Component::new(ComponentKind::Subnet, ids[i].clone(), labels[i].clone())
        };
        match (self.row_in[row], self.col_in[col]) {
            (Some(r), Some(c)) => Ok((r as usize, c as usize)),
            (None, _) => Err(na(&self.source_ids, &self.source_labels, row)),
            (_, None) => Err(na(&self.destination_ids, &self.destination_labels, col)),
        }
    }

    /// Whether every row and column is traced (no cell is not applicable).
    pub(crate) fn all_applicable(&self) -> bool {
        self.row_in.iter().all(Option::is_some) && self.col_in.iter().all(Option::is_some)
    }

    /// The family of the matrix's flows.
    pub fn family(&self) -> Family {
        self.options.family
    }

    /// How many cells of a port are not applicable (a subnet without a block of the family).
    pub fn not_applicable(&self) -> usize {
        let (rows, cols, _) = self.shape();
        rows * cols - self.inner.sources.len() * self.inner.destinations.len()
    }

    /// The answer for one cell.
    pub fn cell(&self, port: usize, row: usize, col: usize) -> Cell {
        match self.inner_pair(row, col) {
            Ok((r, c)) => self.inner_cell(port, r, c),
            Err(subnet) => Cell::not_applicable(subnet),
        }
    }

    fn inner_cell(&self, port: usize, row: usize, col: usize) -> Cell {
        let g = &self.grids[port];
        let id = g
            .overrides
            .get(&(row as u32, col as u32))
            .copied()
            .unwrap_or_else(|| g.lines[g.row_line[row] as usize][col]);
        let dst = match self.diagonal.get(&row) {
            Some(&c) if c == col => self.twin_ends.get(&row).unwrap_or(&self.col_ends[col]),
            _ => &self.col_ends[col],
        };
        self.cells.get(id).instantiate(&self.row_ends[row], dst)
    }

    /// Whether a cell is delivered, without building its component (fast for counting).
    pub fn delivered(&self, port: usize, row: usize, col: usize) -> bool {
        let Ok((row, col)) = self.inner_pair(row, col) else { return false };
        let g = &self.grids[port];
        let id = g
            .overrides
            .get(&(row as u32, col as u32))
            .copied()
            .unwrap_or_else(|| g.lines[g.row_line[row] as usize][col]);
        self.cells.get(id).delivered
    }

    /// (delivered, dropped) over every cell of a port ([`Matrix::not_applicable`] cells are
    /// neither).
    pub fn counts(&self, port: usize) -> (usize, usize) {
        let (rows, cols) = (self.inner.sources.len(), self.inner.destinations.len());
        let g = &self.grids[port];
        let mut per_line = vec![0usize; g.lines.len()];
        for &l in &g.row_line {
            per_line[l as usize] += 1;
        }
        // A line holds no answer (`u32::MAX`) where its rows are answered pair by pair.
        let is_delivered = |c: u32| c != u32::MAX && self.cells.get(c).delivered;
        let mut delivered = 0;
        for (l, line) in g.lines.iter().enumerate() {
            let n = line.iter().filter(|&&c| is_delivered(c)).count();
            delivered += n * per_line[l];
        }
        for (&(r, c), &id) in &g.overrides {
            let line = g.lines[g.row_line[r as usize] as usize][c as usize];
            let (was, is) = (is_delivered(line), is_delivered(id));
            delivered = delivered + usize::from(is) - usize::from(was);
        }
        (delivered, rows * cols - delivered)
    }

    fn endpoint(&self, p: &crate::sim::reach::Party, twin: bool) -> Endpoint {
        match p {
            Party::Subnet(s) => match self.endpoints.get(s) {
                Some((a, b)) => Endpoint::Hypothetical(if twin { b.clone() } else { a.clone() }),
                None => Endpoint::Internet,
            },
            Party::Internet => Endpoint::Internet,
            Party::Service(n) => Endpoint::Dns(n.clone()),
        }
    }

    /// The trace a cell stands for: `TraceIndex::trace` of it gives the cell's answer, hop by
    /// hop. `None` for a cell that is not applicable.
    pub fn request(&self, port: usize, row: usize, col: usize) -> Option<TraceRequest> {
        let (r, c) = self.inner_pair(row, col).ok()?;
        let from = self.endpoint(&self.options.sources[row], false);
        let twin = self.diagonal.get(&r) == Some(&c);
        let to = self.endpoint(&self.options.destinations[col], twin);
        Some(TraceRequest::new(from, to, self.options.protocol, self.options.ports.get(port).copied().flatten()))
    }

    /// What to give `vpcraft trace --from … --to …` (and the app's trace picker) for a cell's
    /// flow: row and column ids for IPv4; for IPv6, subnets by their hypothetical interface's
    /// IPv6 address (a subnet names an IPv4 interface). `None` for a cell that is not applicable.
    pub fn trace_ends(&self, row: usize, col: usize) -> Option<(String, String)> {
        let (r, c) = self.inner_pair(row, col).ok()?;
        if self.family() == Family::Ipv4 {
            return Some((self.source_ids[row].clone(), self.destination_ids[col].clone()));
        }
        let twin = self.diagonal.get(&r) == Some(&c);
        let text = |p: &Party, id: &String, twin: bool| match (
            p,
            self.endpoints.get(&match p {
                Party::Subnet(s) => *s,
                _ => usize::MAX,
            }),
        ) {
            (Party::Subnet(_), Some((a, b))) => {
                let h = if twin { b } else { a };
                h.ipv6.map_or_else(|| id.clone(), |x| x.to_string())
            }
            _ => id.clone(),
        };
        Some((
            text(&self.options.sources[row], &self.source_ids[row], false),
            text(&self.options.destinations[col], &self.destination_ids[col], twin),
        ))
    }
}

/// The service names of the rows and columns, in first-seen order.
fn services_of(o: &ReachOptions) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for p in o.sources.iter().chain(&o.destinations) {
        if let Party::Service(n) = p {
            if !v.contains(n) {
                v.push(n.clone());
            }
        }
    }
    v
}

/// The hypothetical interfaces of the subnets of a matrix: per subnet (primary, second).
fn hypotheticals<'m>(
    d: &Design,
    o: &ReachOptions,
    used: &UsedAddresses,
    carried: impl Fn(usize) -> Option<&'m (Hypothetical, Hypothetical)>,
) -> Result<HashMap<usize, (Hypothetical, Hypothetical)>, Text> {
    let mut out = HashMap::new();
    for p in o.sources.iter().chain(&o.destinations) {
        let Party::Subnet(s) = *p else { continue };
        if out.contains_key(&s) {
            continue;
        }
        if let Some(h) = carried(s) {
            out.insert(s, h.clone());
            continue;
        }
        let sub = d.subnets.get(s).ok_or_else(|| crate::text!("no subnet at position {s}"))?;
        // The interfaces `trace` gives the subnet (an IPv6 address too where A7 gives one).
        let mut a = hypothetical::in_subnet_dual(sub, used, None)?;
        // A second interface for the cell where the subnet meets itself (as `trace` does).
        let mut b = hypothetical::in_subnet_dual(sub, used, Some(&a)).unwrap_or_else(|_| a.clone());
        if o.family == Family::Ipv6 {
            // Named by their IPv6 addresses, as `trace --to <address>` names them (A7: the
            // subnet's first free IPv6 addresses, whether or not it assigns them on creation).
            if a.ipv6.is_none() {
                a.ipv6 = used.first_free6(sub, &[]);
            }
            let Some(first) = a.ipv6 else {
                return Err(crate::text!("{} has no free IPv6 address left for a hypothetical interface (A7)", sub.id));
            };
            a.by_ipv6 = true;
            match used.first_free6(sub, &[first]) {
                Some(second) if b != a => {
                    b.ipv6 = Some(second);
                    b.by_ipv6 = true;
                }
                _ => b = a.clone(),
            }
        }
        out.insert(s, (a, b));
    }
    Ok(out)
}

/// The parties of a matrix the family applies to, and each row's and column's position among
/// them.
fn applicable(d: &Design, o: &ReachOptions) -> (ReachOptions, Vec<Option<u32>>, Vec<Option<u32>>) {
    let fits = |p: &Party| match p {
        Party::Subnet(s) => d.subnets.get(*s).is_some_and(|x| o.family.applies_to(x)),
        _ => true,
    };
    let pick = |list: &[Party]| {
        let mut kept = Vec::new();
        let map = list
            .iter()
            .map(|p| {
                fits(p).then(|| {
                    kept.push(p.clone());
                    kept.len() as u32 - 1
                })
            })
            .collect::<Vec<_>>();
        (kept, map)
    };
    let (sources, row_in) = pick(&o.sources);
    let (destinations, col_in) = pick(&o.destinations);
    (ReachOptions { sources, destinations, ..o.clone() }, row_in, col_in)
}

/// Network ACLs with an entry that covers part of the ephemeral range 1024–65535 but not all
/// of it: a NAT's hashed port choice (N4) can then decide a reply (L6).
fn uneven_acls(d: &Design) -> HashSet<String> {
    d.network_acls
        .iter()
        .filter(|a| {
            a.entries.iter().any(|e| match e.ports {
                PortSpec::Range { from, to } => to >= 1024 && !(from <= 1024 && to == 65535),
                _ => false,
            })
        })
        .map(|a| a.id.clone())
        .collect()
}

/// Resource id → VPC index for everything that lives in one VPC.
fn owner_vpcs<'a>(ix: &TraceIndex<'a>) -> foldhash::HashMap<&'a str, u32> {
    let d = ix.d;
    let mut m = foldhash::HashMap::default();
    m.reserve(d.vpcs.len() + d.subnets.len() + d.network_interfaces.len() + d.security_groups.len());
    let vpc = |id: &str| ix.vpc_ix.get(id).map(|&v| v as u32);
    let sub_vpc = |si: Option<usize>| si.and_then(|s| ix.subnet_vpc[s]).map(|v| v as u32);
    let mut put = |id: &'a str, v: Option<u32>| {
        if let Some(v) = v {
            m.insert(id, v);
        }
    };
    for v in &d.vpcs {
        put(&v.id, vpc(&v.id));
    }
    for (i, s) in d.subnets.iter().enumerate() {
        put(&s.id, sub_vpc(Some(i)));
    }
    for t in &d.route_tables {
        put(&t.id, vpc(&t.vpc));
    }
    for a in &d.network_acls {
        put(&a.id, vpc(&a.vpc));
    }
    for g in &d.security_groups {
        put(&g.id, vpc(&g.vpc));
    }
    for g in &d.internet_gateways {
        put(&g.id, g.vpc.as_deref().and_then(vpc));
    }
    for (i, n) in d.nat_gateways.iter().enumerate() {
        put(&n.id, sub_vpc(ix.nat_subnet[i]));
    }
    for (i, e) in d.network_interfaces.iter().enumerate() {
        put(&e.id, sub_vpc(ix.eni_subnet[i]));
        if let Some(inst) = e.instance.as_deref() {
            put(inst, sub_vpc(ix.eni_subnet[i]));
        }
    }
    for e in &d.endpoints {
        put(&e.id, vpc(&e.vpc));
    }
    for l in &d.load_balancers {
        put(&l.id, vpc(&l.vpc));
    }
    for g in &d.vpn_gateways {
        put(&g.id, g.vpc.as_deref().and_then(vpc));
    }
    m
}

/// The identities of a subnet's `k`-th hypothetical interface, as `augment` gives them.
fn ends_of(d: &Design, si: usize, h: &Hypothetical, k: usize, used: &UsedAddresses, family: Family) -> EndIds {
    let s = &d.subnets[si];
    EndIds {
        node: Some(hypothetical::interface_id(h)),
        subnet: Some(h.subnet.clone()),
        subnet_name: s.name.clone(),
        address: family.address_of(h),
        // IPv6 addresses are global: no stand-in public address (I5).
        public: (family == Family::Ipv4 && s.map_public_ip_on_launch)
            .then(|| hypothetical::stand_in_public(si, k, used)),
    }
}

/// Subnets whose hypothetical interface has the address of another VPC's one (overlapping
/// VPCs): adding both to one design could deliver a packet to the wrong one.
fn colliding(d: &Design, hyps: &HashMap<usize, (Hypothetical, Hypothetical)>) -> HashSet<usize> {
    let mut all: Vec<(IpAddr, &str, usize)> = Vec::with_capacity(hyps.len() * 2);
    for (&s, (a, b)) in hyps {
        let vpc = d.subnets[s].vpc.as_str();
        all.push((a.address(), vpc, s));
        if b != a {
            all.push((b.address(), vpc, s));
        }
    }
    all.sort_unstable_by_key(|x| x.0);
    let mut out = HashSet::new();
    for run in all.chunk_by(|x, y| x.0 == y.0) {
        if run.iter().any(|x| x.1 != run[0].1) {
            out.extend(run.iter().map(|x| x.2));
        }
    }
    out
}

/// The process's CPU time so far (user + system), for `VPCRAFT_REACH_TIMING`: on a shared
/// machine wall time says little about the work done.
pub(crate) fn cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces) start after its ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(std::time::Duration::from_millis(ticks * 10))
}

/// Compute a matrix.
pub fn compute(design: &Design, options: &ReachOptions) -> Result<Matrix, Text> {
    compute_with(design, options, Memo::default(), None, Cells::default(), None, None)
}

/// [`compute`], starting from traced flows (`memo`, whose cells are in `cells`).
pub(crate) fn compute_with(
    design: &Design,
    outer: &ReachOptions,
    mut memo: Memo,
    touched: Option<&[bool]>,
    mut cells: Cells,
    prior: Option<(&Matrix, &[bool])>,
    spare: Option<SpareDesign>,
) -> Result<Matrix, Text> {
    let (inner, row_in, col_in) = applicable(design, outer);
    // Rows kept from before an edit are by position among the applicable parties.
    let prior = prior.filter(|(old, _)| old.row_in == row_in && old.col_in == col_in);
    let options = &inner;
    let family = options.family;
    let t0 = std::time::Instant::now();
    let timing = std::env::var_os("VPCRAFT_REACH_TIMING").is_some();
    let lap = |what: &str| {
        if timing {
            eprintln!("reach: {what} at {:?} (process CPU {:?})", t0.elapsed(), cpu_time());
        }
    };
    let services = services_of(options);
    // The hypothetical interfaces, worked out while the flows the edit may have changed are
    // dropped (on the other core).
    let prepare = || -> Result<_, Text> {
        let used = UsedAddresses::new(design);
        let c = carry(prior, &used);
        let endpoints =
            hypotheticals(design, options, &used, |s| carried(c, s).and_then(|(old, _)| old.endpoints.get(&s)))?;
        let collide = colliding(design, &endpoints);
        Ok((used, endpoints, collide))
    };
    let drop_passing = |memo: &mut Memo| {
        let Some(touched) = touched else { return };
        let before = memo.len();
        memo.retain(|_, s| !s.vpcs.iter().any(|&v| touched.get(v as usize).copied().unwrap_or(true)));
        if timing {
            eprintln!("reach: memo kept, {} of {before} flows, at {:?}", memo.len(), t0.elapsed());
        }
    };
    let ((), prepared) = rayon::join(|| drop_passing(&mut memo), prepare);
    let (used, endpoints, collide) = prepared?;
    lap("hypotheticals, colliding");
    let c = carry(prior, &used);
    let carried = |s: usize| carried(c, s).map(|(_, b)| b);
    let mut order: Vec<usize> = endpoints.keys().copied().filter(|s| !collide.contains(s)).collect();
    order.sort_unstable();
    let mut list: Vec<(&Hypothetical, &'static str)> = order.iter().map(|s| (&endpoints[s].0, "endpoint")).collect();
    let mut slots: Vec<(u32, bool)> = order.iter().map(|&s| (s as u32, false)).collect();
    for &s in order.iter().filter(|s| endpoints[s].1 != endpoints[s].0) {
        list.push((&endpoints[&s].1, "endpoint"));
        slots.push((s as u32, true));
    }
    let base = design.network_interfaces.len();
    let aug = match spare {
        Some(prev) => {
            // The interfaces kept are the ones of carried subnets at the same places.
            let keep: Vec<bool> = if prev.slots == slots {
                slots.iter().map(|&(s, _)| carried(s as usize).is_some()).collect()
            } else {
                Vec::new()
            };
            let ids: Vec<&str> = prev.ids.iter().map(String::as_str).collect();
            if timing {
                let n = keep.iter().filter(|&&k| k).count();
                eprintln!("reach: {n} of {} hypothetical interfaces kept, {} ids", slots.len(), ids.len());
            }
            hypothetical::augment_edited(*prev.design, prev.base, design, &list, &used, &ids, &keep)
        }
        None => hypothetical::augment_with(design, &list, &used).design,
    };
    lap("augmented");
    let ix = TraceIndex::with_catalog(&aug, ServiceCatalog::builtin());
    let orig = (!collide.is_empty()).then(|| TraceIndex::with_catalog(design, ServiceCatalog::builtin()));
    let mut collide_flags = vec![false; design.subnets.len()];
    for &s in &collide {
        collide_flags[s] = true;
    }
    lap("augmented and indexed");
    // Independent of one another: the closures and atoms, and what the traces' summaries look
    // up (on the other core).
    let (scope, (uneven, owner_vpc)) =
        rayon::join(|| scope::Scope::new(&ix, family), || (uneven_acls(design), owner_vpcs(&ix)));
    lap("scope");
    let mut subs = vec![SubInfo::default(); design.subnets.len()];
    let mut eni_of = vec![None; design.subnets.len()];
    // The interfaces follow the design's own in `order` (each subnet's first one).
    let eni_at: HashMap<usize, usize> = order.iter().enumerate().map(|(i, &s)| (s, base + i)).collect();
    for (&s, (a, b)) in &endpoints {
        let ea = eni_at.get(&s).copied();
        let vpc = ix.subnet_vpc.get(s).copied().flatten();
        let (ends, twin_ends) = match carried(s) {
            Some(b) => (b.subs[s].ends.clone(), b.subs[s].twin_ends.clone()),
            None => {
                (Arc::new(ends_of(design, s, a, 0, &used, family)), Arc::new(ends_of(design, s, b, 1, &used, family)))
            }
        };
        subs[s] = SubInfo {
            eni: ea,
            ends,
            twin_ends,
            vpc,
            vcidr: vpc.and_then(|w| family.address_of(a).and_then(|ip| scope.vpc_cidr_index(w, ip))),
        };
        eni_of[s] = ea;
    }
    // IPv6 flows never use the stand-in public IPv4 addresses.
    let publics_alike = family == Family::Ipv6 || !scope.holds_inside(IpNet::V4(STAND_IN_PUBLIC_BLOCK));
    lap("subs");
    let (classes, _) = classes::source_classes(&ix, &scope, &options.sources, &eni_of, publics_alike);
    let mut subnet_class = vec![u32::MAX; design.subnets.len()];
    for (i, c) in classes.iter().enumerate() {
        for &s in &c.subnets {
            subnet_class[s] = i as u32;
        }
    }
    lap("source classes");
    let host = family.internet_host();
    let inet = IpNet::from(host);
    let block = IpNet::V4(STAND_IN_PUBLIC_BLOCK);
    let mut inet_atom = Vec::with_capacity(scope.nv);
    let mut block_ok = Vec::with_capacity(scope.nv);
    for v in 0..scope.nv {
        let outside = compute::outside(&ix, &scope, v, host);
        let a = if outside { scope.atom_of(v, inet) } else { scope::NO_ATOM };
        inet_atom.push(a);
        block_ok.push(
            a != scope::NO_ATOM
                && (family == Family::Ipv6
                    || (!scope.splits(v, block)
                        && !scope.in_closure_space(v, IpAddr::V4(STAND_IN_PUBLIC_BLOCK.network()))
                        && scope.atom_of(v, block) == a)),
        );
    }
    // What the rows are computed from, kept with the matrix (the computation reads it there).
    let basis = Basis { scope, classes, subs, colliding: collide_flags, inet_atom, block_ok, used };
    let ctx = Ctx {
        ix: &ix,
        orig: orig.as_ref(),
        hyps: &endpoints,
        colliding: &basis.colliding,
        subnet_class: &subnet_class,
        scope: &basis.scope,
        rows: &options.sources,
        cols: &options.destinations,
        subs: &basis.subs,
        services: &services,
        classes: &basis.classes,
        protocol: options.protocol,
        uneven_acls: &uneven,
        owner_vpc: &owner_vpc,
        inet_atom: &basis.inet_atom,
        block_ok: &basis.block_ok,
        family,
    };
    lap("classes");
    let before = memo.len();
    let columns = compute::Columns::new(&ctx);
    lap("columns");
    let old_classes = prior.and_then(|(old, touched)| {
        let b = old.basis.as_ref()?;
        Some((old, touched, b.old_classes(&basis, touched)?))
    });
    lap("compared with the matrix before the edit");
    let mut kept = 0;
    let grids: Vec<Grid> = options
        .ports
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let prior = old_classes
                .as_ref()
                .and_then(|(old, touched, oc)| Some(Prior { grid: old.grids.get(i)?, old_class: oc, touched }));
            let (grid, k) = compute_port(&ctx, &columns, p, &mut memo, &mut cells, prior.as_ref());
            kept += k;
            grid
        })
        .collect();
    let traced = memo.len().saturating_sub(before);
    lap("grids");
    // The design with the hypothetical interfaces is kept for the next recomputation: what
    // borrows it goes first, freed on the other core while the rest is put together.
    let subs = &basis.subs;
    let internet_end = Arc::new(EndIds { address: Some(host), ..EndIds::default() });
    let end_of = |p: &Party| match p {
        Party::Subnet(s) => subs[*s].ends.clone(),
        Party::Internet => internet_end.clone(),
        Party::Service(_) => Arc::default(),
    };
    let old = prior.map(|(o, _)| o);
    let ((), (diagonal, twin_ends, row_ends, col_ends)) = rayon::join(
        move || drop((owner_vpc, ix, orig)),
        || {
            // The diagonal depends on the rows and columns only: a recomputation's are its
            // predecessor's.
            let diagonal: HashMap<usize, usize> = match old {
                Some(o) => o.diagonal.clone(),
                None => {
                    let col_of: HashMap<&Party, usize> =
                        options.destinations.iter().enumerate().map(|(i, p)| (p, i)).collect();
                    options
                        .sources
                        .iter()
                        .enumerate()
                        .filter_map(|(r, p)| match (p, col_of.get(p)) {
                            (Party::Subnet(_), Some(&c)) => Some((r, c)),
                            _ => None,
                        })
                        .collect()
                }
            };
            let twin_ends: HashMap<usize, Arc<EndIds>> = diagonal
                .keys()
                .filter_map(|&r| match options.sources[r] {
                    Party::Subnet(s) => Some((r, subs[s].twin_ends.clone())),
                    _ => None,
                })
                .collect();
            let row_ends: Vec<Arc<EndIds>> = options.sources.iter().map(end_of).collect();
            let col_ends: Vec<Arc<EndIds>> = options.destinations.iter().map(end_of).collect();
            (diagonal, twin_ends, row_ends, col_ends)
        },
    );
    cells.settle();
    lap("freed, diagonal");
    let m = Matrix {
        // A recomputation shares the names that did not change with the matrix before it.
        source_ids: names(&outer.sources, design, old.map(|o| &o.source_ids), Party::id_str),
        destination_ids: names(&outer.destinations, design, old.map(|o| &o.destination_ids), Party::id_str),
        source_labels: names(&outer.sources, design, old.map(|o| &o.source_labels), Party::label_str),
        destination_labels: names(&outer.destinations, design, old.map(|o| &o.destination_labels), Party::label_str),
        row_ends,
        col_ends,
        options: outer.clone(),
        inner: inner.clone(),
        row_in,
        col_in,
        endpoints,
        grids,
        cells,
        diagonal,
        twin_ends,
        memo: Flows::new(memo),
        basis: Some(Box::new(basis)),
        spare: Spare::new(SpareDesign { design: Box::new(aug), base, slots, ids: Vec::new() }),
        subnet_ids: match old {
            // The same subnets and VPCs (a recomputation keeps rows only then).
            Some(o) => o.subnet_ids.clone(),
            None => design.subnets.iter().map(|s| s.id.clone()).collect(),
        },
        vpc_ids: match old {
            Some(o) => o.vpc_ids.clone(),
            None => design.vpcs.iter().map(|v| v.id.clone()).collect(),
        },
        services,
        traced,
        kept,
    };
    lap("assembled");
    if timing {
        // What is left of this function's work: freeing what it built.
        let t = std::time::Instant::now();
        drop((old_classes, columns, subnet_class, collide, eni_of, eni_at));
        eprintln!("reach: freed the rest in {:?}", t.elapsed());
    }
    Ok(m)
}

/// What a recomputation takes over from the matrix before an edit: the matrix, its basis and
/// the VPCs the edit touched, when no address outside those VPCs changed (then a subnet of
/// another VPC has the hypothetical interfaces it had).
type Carry<'m> = (&'m Matrix, &'m Basis, &'m [bool]);

fn carry<'m>(prior: Option<(&'m Matrix, &'m [bool])>, used: &UsedAddresses) -> Option<Carry<'m>> {
    let (old, touched) = prior?;
    let ids: HashSet<&str> = old.vpc_ids.iter().zip(touched).filter(|(_, &t)| t).map(|(id, _)| id.as_str()).collect();
    let b = old.basis.as_deref().filter(|b| b.used.same_beyond(used, |v| ids.contains(v)))?;
    Some((old, b, touched))
}

/// After an edit, a subnet in a VPC it did not touch has the hypothetical interfaces and ends it
/// had.
fn carried<'m>(carry: Option<Carry<'m>>, s: usize) -> Option<(&'m Matrix, &'m Basis)> {
    let (old, b, touched) = carry?;
    let v = b.subs.get(s)?.vpc?;
    (!touched.get(v).copied().unwrap_or(true)).then_some((old, b))
}

/// The ids or labels of parties: `old`'s when they are the same.
fn names(
    parties: &[Party],
    d: &Design,
    old: Option<&Arc<[String]>>,
    name: for<'s> fn(&'s Party, &'s Design) -> &'s str,
) -> Arc<[String]> {
    match old {
        Some(o) if o.len() == parties.len() && parties.iter().zip(o.iter()).all(|(p, n)| name(p, d) == n) => o.clone(),
        _ => parties.iter().map(|p| name(p, d).to_string()).collect(),
    }
}

/// A cell for a request that could not be made (every applicable pair has one).
fn unreachable_cell() -> Cell {
    Cell { verdict: CellVerdict::Dropped, code: None, at: None }
}

/// Every cell traced on its own, exactly as `vpcraft trace` would: `[port][row][col]`. For
/// checking the matrix on small designs (it takes one trace per cell).
pub fn brute_force(design: &Design, outer: &ReachOptions) -> Result<Vec<Vec<Vec<Cell>>>, String> {
    let (inner, row_in, col_in) = applicable(design, outer);
    let options = &inner;
    let mut m = Matrix {
        options: options.clone(),
        source_ids: Arc::default(),
        destination_ids: Arc::default(),
        source_labels: Arc::default(),
        destination_labels: Arc::default(),
        endpoints: hypotheticals(design, options, &UsedAddresses::new(design), |_| None)?,
        grids: Vec::new(),
        cells: Cells::default(),
        row_ends: Vec::new(),
        col_ends: Vec::new(),
        diagonal: options
            .sources
            .iter()
            .enumerate()
            .filter_map(|(r, p)| {
                options.destinations.iter().position(|q| q == p && matches!(p, Party::Subnet(_))).map(|c| (r, c))
            })
            .collect(),
        twin_ends: HashMap::new(),
        memo: Flows::default(),
        basis: None,
        spare: Spare::default(),
        subnet_ids: Arc::default(),
        vpc_ids: Arc::default(),
        services: Vec::new(),
        traced: 0,
        kept: 0,
        row_in: (0..options.sources.len() as u32).map(Some).collect(),
        col_in: (0..options.destinations.len() as u32).map(Some).collect(),
        inner: inner.clone(),
    };
    let ix = TraceIndex::new(design);
    let (rows, cols) = (options.sources.len(), options.destinations.len());
    let mut inner_cells: Vec<Vec<Vec<Cell>>> = (0..options.ports.len())
        .map(|p| {
            (0..rows)
                .map(|r| {
                    (0..cols)
                        .map(|c| m.request(p, r, c).map(|q| Cell::of(&ix.trace(&q))).unwrap_or_else(unreachable_cell))
                        .collect()
                })
                .collect()
        })
        .collect();
    // Back to every row and column, the ones the family does not apply to as such.
    m.options = outer.clone();
    m.source_ids = outer.sources.iter().map(|p| p.id(design)).collect();
    m.destination_ids = outer.destinations.iter().map(|p| p.id(design)).collect();
    m.source_labels = outer.sources.iter().map(|p| p.label(design)).collect();
    m.destination_labels = outer.destinations.iter().map(|p| p.label(design)).collect();
    m.row_in = row_in;
    m.col_in = col_in;
    let (orows, ocols) = (outer.sources.len(), outer.destinations.len());
    Ok(inner_cells
        .iter_mut()
        .map(|grid| {
            (0..orows)
                .map(|r| {
                    (0..ocols)
                        .map(|c| match m.inner_pair(r, c) {
                            Ok((ir, ic)) => grid[ir][ic].clone(),
                            Err(subnet) => Cell::not_applicable(subnet),
                        })
                        .collect()
                })
                .collect()
        })
        .collect())
}
