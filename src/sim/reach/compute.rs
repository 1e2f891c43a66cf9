//! Filling a matrix: which pairs share an answer, which flows to trace, and putting the
//! answers together. Every answer comes from the trace engine; this module only decides which
//! traces stand for which cells (see `scope` and `classes` for why they may).
//!
//! For a source class in VPC `v` and a destination:
//! - in `v` or in a VPC `v` is connected to: the representative's own trace (one per
//!   destination subnet);
//! - the internet, or an AWS service whose name resolves to a public address no VPC of `v`'s
//!   closure holds: one trace per atom of `v` ([`Scope::atom_of`]);
//! - a private address in an unconnected VPC: one trace per atom;
//! - a public address in an unconnected VPC (a subnet that auto-assigns them): the flow
//!   crosses the internet, so it is the source's flow *to* the internet (one trace per class)
//!   joined with the internet's flow to that destination (one trace per destination).
//!   Crossing the internet changes nothing but the address the other side sees, so when
//!   neither side's CIDRs tell the stand-in internet host from the real far end, each half
//!   answers for its side.
//!
//! Anything these conditions do not cover is traced pair by pair.

use super::cell::{is_internet_exit, CellSym, Cells, EndIds, Phase, Summary};
use super::classes::Class;
use super::incremental::{Prior, Rests};
use super::scope::{Scope, NO_ATOM};
use super::select::Party;
use super::Family;
use crate::model::Protocol;
use crate::sim::dns::Asker;
use crate::sim::engine::Walk;
use crate::sim::hypothetical::{Hypothetical, STAND_IN_PUBLIC_BLOCK};
use crate::sim::index::{Node, TraceIndex};
use crate::sim::request::{Endpoint, TraceRequest};
use crate::sim::result::{Header, TraceResult};
use crate::sim::trace::{Source, SourceAddrs};
use ipnet::IpNet;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

/// Whether an address is outside every VPC `v` can enter and owned by nothing the design
/// reaches by address, so only `v`'s CIDRs can tell it from another. An IPv6 address of any
/// VPC is reached across the internet from anywhere (I5), so it is never outside.
pub(crate) fn outside(ix: &TraceIndex<'_>, scope: &Scope, v: usize, ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => !scope.in_closure_space(v, ip) && !ix.by_public.contains_key(&a),
        IpAddr::V6(_) => !scope.in_any_space(ip),
    }
}

/// Whether a public address is one of the stand-ins of hypothetical interfaces.
fn stand_in(ip: IpAddr) -> bool {
    matches!(ip, IpAddr::V4(a) if STAND_IN_PUBLIC_BLOCK.contains(&a))
}

/// One end of a traced flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Ep {
    /// A subnet's hypothetical interface (design subnet index).
    Sub(u32),
    /// A subnet's second hypothetical interface (the destination when both ends are in it).
    Twin(u32),
    Internet,
    /// A service (index into the matrix's service names).
    Svc(u32),
}

/// A flow to trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub from: Ep,
    pub to: Ep,
    pub port: Option<u16>,
}

/// Per design subnet in the matrix: its hypothetical interfaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SubInfo {
    /// Index of the primary interface in the augmented design.
    pub eni: Option<usize>,
    /// Shared with the matrix's rows and columns (a what-if rebuilds the matrix after every edit).
    pub ends: Arc<EndIds>,
    pub twin_ends: Arc<EndIds>,
    pub vpc: Option<usize>,
    /// Index into `Scope::vpc_cidrs` of the VPC CIDR holding its address.
    pub vcidr: Option<usize>,
}

/// Everything a port's computation reads.
pub(crate) struct Ctx<'c, 'a> {
    pub ix: &'c TraceIndex<'a>,
    /// The design without hypothetical interfaces, for subnets whose interface shares its
    /// address with another's (overlapping VPCs): those are traced pair by pair, each with only
    /// its own two interfaces added, as `trace` does.
    pub orig: Option<&'c TraceIndex<'a>>,
    pub hyps: &'c HashMap<usize, (Hypothetical, Hypothetical)>,
    /// Per design subnet: its interface shares its address with another VPC's.
    pub colliding: &'c [bool],
    /// The class of each design subnet among the rows (`u32::MAX` when none).
    pub subnet_class: &'c [u32],
    pub scope: &'c Scope,
    pub rows: &'c [Party],
    pub cols: &'c [Party],
    pub subs: &'c [SubInfo],
    pub services: &'c [String],
    pub classes: &'c [Class],
    pub protocol: Protocol,
    /// Network ACL ids that treat ephemeral ports unevenly.
    pub uneven_acls: &'c HashSet<String>,
    /// Resource id → VPC index, for the VPCs a flow passes.
    pub owner_vpc: &'c foldhash::HashMap<&'a str, u32>,
    /// Per VPC: the atom of the internet stand-in, or `NO_ATOM` when it is not outside.
    pub inet_atom: &'c [u32],
    /// Per VPC: the stand-in public block is one atom, the same as the internet stand-in's
    /// (IPv6: the internet stand-in has an atom).
    pub block_ok: &'c [bool],
    pub family: Family,
}

/// The answers of one port.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    /// Shared rows of cell ids (one per class, one per other row); a matrix recomputed after
    /// an edit shares the lines the edit did not change with the matrix before it.
    pub lines: Vec<Arc<[u32]>>,
    /// The line of each row.
    pub row_line: Vec<u32>,
    /// Cells that differ from their row's line: (row, col) → cell id.
    pub overrides: HashMap<(u32, u32), u32>,
    /// Per class (the first lines are the classes'): what its line rests on.
    pub rests: Vec<Arc<Rests>>,
}

/// Traced flows, kept across ports' computations and edits (a fast hasher: a what-if looks up
/// every kept flow after each edit).
pub(crate) type Memo = foldhash::HashMap<Key, Summary>;

impl Ctx<'_, '_> {
    /// Whether a class in VPC `v` reaches a destination of atom `a` by joining its flow to the
    /// internet with the internet's flow to the destination. IPv4 goes to the destination's
    /// public address (a stand-in); IPv6 to its own global address, which must look like the
    /// internet stand-in to `v`.
    fn composes(&self, v: usize, a: u32) -> bool {
        let inet = self.inet_atom[v];
        self.block_ok[v] && inet != NO_ATOM && (self.family == Family::Ipv4 || a == inet)
    }

    /// Where a flow is sent: IPv6 goes to the subnet's or the internet's IPv6 address (a
    /// dual-stack interface named as a resource is reached over IPv4).
    fn destination(&self, e: Ep) -> Endpoint {
        let ip = match (self.family, e) {
            (Family::Ipv4, _) => None,
            (_, Ep::Sub(s)) => self.subs[s as usize].ends.address,
            (_, Ep::Twin(s)) => self.subs[s as usize].twin_ends.address,
            (_, Ep::Internet) => Some(self.family.internet_host()),
            (_, Ep::Svc(_)) => None,
        };
        ip.map_or_else(|| self.endpoint(e), Endpoint::Ip)
    }

    fn endpoint(&self, e: Ep) -> Endpoint {
        match e {
            Ep::Sub(s) => Endpoint::Resource(self.subs[s as usize].ends.node.clone().unwrap_or_default()),
            Ep::Twin(s) => Endpoint::Resource(self.subs[s as usize].twin_ends.node.clone().unwrap_or_default()),
            Ep::Internet => Endpoint::Internet,
            Ep::Svc(k) => Endpoint::Dns(self.services[k as usize].clone()),
        }
    }

    fn ends(&self, e: Ep) -> Arc<EndIds> {
        match e {
            Ep::Sub(s) => self.subs[s as usize].ends.clone(),
            Ep::Twin(s) => self.subs[s as usize].twin_ends.clone(),
            Ep::Internet => Arc::new(EndIds { address: Some(self.family.internet_host()), ..EndIds::default() }),
            Ep::Svc(_) => Arc::default(),
        }
    }

    pub fn request(&self, k: Key) -> TraceRequest {
        TraceRequest::new(self.endpoint(k.from), self.destination(k.to), self.protocol, k.port)
    }

    fn colliding(&self, e: Ep) -> bool {
        matches!(e, Ep::Sub(s) | Ep::Twin(s) if self.colliding[s as usize])
    }

    /// The request as `trace` would get it: subnets as hypothetical endpoints.
    fn exact_endpoint(&self, e: Ep) -> Endpoint {
        match e {
            Ep::Sub(s) | Ep::Twin(s) => match self.hyps.get(&(s as usize)) {
                Some((a, b)) => Endpoint::Hypothetical(if matches!(e, Ep::Twin(_)) { b.clone() } else { a.clone() }),
                None => self.endpoint(e),
            },
            _ => self.endpoint(e),
        }
    }

    /// Trace one flow and keep what the matrix needs of it.
    fn run(&self, k: Key) -> (CellSym, Summary) {
        // Only the verdict, code and components are kept: no explanation text (`quietly`).
        let r = crate::sim::quietly(|| {
            if self.colliding(k.from) || self.colliding(k.to) {
                let req =
                    TraceRequest::new(self.exact_endpoint(k.from), self.exact_endpoint(k.to), self.protocol, k.port);
                match self.orig {
                    Some(ix) => ix.trace(&req),
                    None => self.ix.trace(&req),
                }
            } else {
                self.ix.trace(&self.request(k))
            }
        });
        let sym = CellSym::of(&r, &self.ends(k.from), &self.ends(k.to));
        // The ends themselves are dependencies even where the packet never reaches them: the
        // address a destination is sent to depends on its interface (a public address or not).
        let ends = [k.from, k.to].map(|e| match e {
            Ep::Sub(x) | Ep::Twin(x) => self.subs[x as usize].vpc.map(|v| v as u32),
            _ => None,
        });
        (sym, self.summarize(&r, ends))
    }

    fn summarize(&self, r: &TraceResult, ends: [Option<u32>; 2]) -> Summary {
        let phase = if r.delivered() {
            Phase::Delivered
        } else if r.return_path.is_empty() {
            Phase::Forward
        } else {
            Phase::Reply
        };
        let exit_src = r.forward.last().filter(|h| is_internet_exit(h)).map(|h| h.before.src);
        let reply_exit = r.return_path.last().is_some_and(is_internet_exit);
        let moved = |a: &Header, b: &Header| a.src_port != b.src_port || a.dst_port != b.dst_port;
        let nat_ports = r.hops().any(|h| moved(&h.before, &h.after));
        let uneven_acl = r.hops().any(|h| {
            h.component.kind == crate::sim::result::ComponentKind::NetworkAcl
                && self.uneven_acls.contains(&h.component.id)
        });
        let mut vpcs: Vec<u32> =
            r.hops().filter_map(|h| self.owner_vpc.get(h.component.id.as_str()).copied()).collect();
        vpcs.extend(ends.into_iter().flatten());
        vpcs.sort_unstable();
        vpcs.dedup();
        let vpcs: Arc<[u32]> = Arc::from(vpcs);
        Summary {
            cell: 0,
            phase,
            exit_src,
            reply_exit,
            nat_ports,
            uneven_acl,
            hops: r.forward.len() + r.return_path.len(),
            vpcs,
        }
    }

    /// Trace every key not yet in the memo (in parallel) and add them.
    pub fn trace_all(&self, keys: impl IntoIterator<Item = Key>, memo: &mut Memo, cells: &mut Cells) {
        let mut seen = foldhash::HashSet::default();
        let todo: Vec<Key> = keys.into_iter().filter(|k| !memo.contains_key(k) && seen.insert(*k)).collect();
        let done: Vec<(Key, CellSym, Summary)> = todo
            .par_iter()
            .map(|&k| {
                let (sym, s) = self.run(k);
                (k, sym, s)
            })
            .collect();
        for (k, sym, mut s) in done {
            s.cell = cells.intern(sym);
            memo.insert(k, s);
        }
    }

    /// The address a service's name resolves to for a client in VPC `v`, zone `az` (E4).
    fn resolve(&self, v: usize, az: &str, v6: bool, dns64: bool, k: usize) -> Option<IpAddr> {
        let mut w = Walk::new(self.ix, false, 0);
        let h = Header {
            src: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            dst: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            protocol: self.protocol,
            src_port: None,
            dst_port: None,
        };
        // The class's interfaces have an IPv6 address where A7 gives them one: then a
        // dual-stack name answers with its AAAA record, as it would for them in a trace (and
        // the caller traces the pair itself).
        let addrs = SourceAddrs { v4: Some(h.src), v6: v6.then_some(IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED)) };
        let asker = Asker { vpc: Some(v), az: Some(az), dns64 };
        let ip = w.resolve_name(&self.services[k], asker, &addrs, h).ok()?;
        // A name answering in the other family is traced pair by pair.
        (ip.is_ipv6() == (self.family == Family::Ipv6)).then_some(ip)
    }

    fn outside(&self, v: usize, ip: IpAddr) -> bool {
        outside(self.ix, self.scope, v, ip)
    }
}

/// How a class reaches one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// The representative's own flow to it.
    Direct(Key),
    /// The class's flow for an atom (`ClassPlan::outside`), traced for some destination of it.
    Atom(u32),
    /// Out through the internet (the class's flow for the internet stand-in's atom), in through
    /// the internet's own flow to the destination.
    Compose,
}

/// The matrix's columns, grouped: subnet columns by their VPC (filled a VPC at a time), the
/// others one by one.
pub(crate) struct Columns {
    /// (VPC, its subnet columns).
    pub groups: Vec<(usize, Vec<u32>)>,
    /// Per group: the VPC CIDR all its subnets' interfaces are in, when they share one and
    /// none of them is traced pair by pair (then the group is filled without a lookup per cell).
    uniform: Vec<Option<usize>>,
    /// Columns outside any group.
    pub single: Vec<u32>,
    pub eps: Vec<Ep>,
    /// Per column: a subnet whose interface has a public address.
    public: Vec<bool>,
}

impl Columns {
    /// Whether column `j` is a subnet whose interface has a public address.
    pub fn is_public(&self, j: usize) -> bool {
        self.public[j]
    }

    pub fn new(ctx: &Ctx<'_, '_>) -> Columns {
        let eps: Vec<Ep> = ctx.cols.iter().map(|p| col_ep(p, ctx.services)).collect();
        let mut by_vpc: HashMap<usize, usize> = HashMap::new();
        let mut groups: Vec<(usize, Vec<u32>)> = Vec::new();
        let mut single = Vec::new();
        for (j, p) in ctx.cols.iter().enumerate() {
            match p {
                Party::Subnet(d) if ctx.subs[*d].vpc.is_some() => {
                    let w = ctx.subs[*d].vpc.unwrap_or_default();
                    let g = *by_vpc.entry(w).or_insert_with(|| {
                        groups.push((w, Vec::new()));
                        groups.len() - 1
                    });
                    groups[g].1.push(j as u32);
                }
                _ => single.push(j as u32),
            }
        }
        let uniform = groups
            .iter()
            .map(|(_, list)| {
                let subs = list.iter().filter_map(|&j| match ctx.cols[j as usize] {
                    Party::Subnet(d) => Some(d),
                    _ => None,
                });
                let mut first = None;
                for d in subs {
                    let k = ctx.subs[d].vcidr?;
                    if ctx.colliding[d] || first.is_some_and(|f| f != k) {
                        return None;
                    }
                    first = Some(k);
                }
                first
            })
            .collect();
        // An IPv6 address is global: every subnet is addressed as from the internet (I5).
        let v6 = ctx.family == Family::Ipv6;
        let public = ctx
            .cols
            .iter()
            .map(|p| matches!(p, Party::Subnet(d) if v6 || ctx.subs[*d].ends.public.is_some()))
            .collect();
        Columns { groups, uniform, single, eps, public }
    }
}

/// What a class needs: decided once per class, consulted for every column.
pub(crate) struct ClassPlan<'p> {
    class: &'p Class,
    id: u32,
    port: Option<u16>,
    /// Atom → the flow traced for it (the first destination that asked), and whether it holds
    /// for destinations of that kind only.
    pub(crate) outside: Vec<(u32, Key, bool)>,
    /// Atom → whether the representative addresses public destinations there publicly.
    pub(crate) use_public: Vec<(u32, bool)>,
    services: HashMap<u32, Route>,
    /// Flows traced for this class alone.
    direct: Vec<Key>,
    /// Rows of the class that are the column's own subnet: (row, col, key).
    diagonal: Vec<(usize, usize, Key)>,
    /// Some column is answered by joining flows at the internet.
    pub(crate) composes: bool,
}

impl<'p> ClassPlan<'p> {
    fn new(class: &'p Class, id: u32, port: Option<u16>) -> ClassPlan<'p> {
        ClassPlan {
            class,
            id,
            port,
            outside: Vec::new(),
            use_public: Vec::new(),
            services: HashMap::new(),
            direct: Vec::new(),
            diagonal: Vec::new(),
            composes: false,
        }
    }

    fn atom(&mut self, atom: u32, k: Key, same_kind_only: bool) -> Route {
        if !self.outside.iter().any(|(a, _, _)| *a == atom) {
            self.outside.push((atom, k, same_kind_only));
        }
        Route::Atom(atom)
    }

    fn atom_key(&self, atom: u32) -> Option<Key> {
        self.outside.iter().find(|(a, _, _)| *a == atom).map(|(_, k, _)| *k)
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.outside
            .iter()
            .map(|(_, k, _)| *k)
            .chain(self.direct.iter().copied())
            .chain(self.diagonal.iter().map(|(_, _, k)| *k))
    }

    fn key(&self, to: Ep) -> Key {
        Key { from: Ep::Sub(self.class.rep() as u32), to, port: self.port }
    }

    fn direct(&mut self, k: Key, first: bool) -> Route {
        if first {
            self.direct.push(k);
        }
        Route::Direct(k)
    }

    /// The class's VPC, unless its representative must be traced pair by pair.
    fn vpc(&self, ctx: &Ctx<'_, '_>) -> Option<usize> {
        self.class.vpc.filter(|_| !ctx.colliding[self.class.rep()])
    }

    /// How a column outside the VPC groups is answered. `first` records what to trace.
    fn single_route(&mut self, ctx: &Ctx<'_, '_>, j: usize, to: Ep, first: bool) -> Route {
        let Some(v) = self.vpc(ctx) else { return self.direct(self.key(to), first) };
        let inet = ctx.inet_atom[v];
        match (&ctx.cols[j], to) {
            (Party::Internet, _) if inet != NO_ATOM => self.atom(inet, self.key(Ep::Internet), false),
            (Party::Service(_), Ep::Svc(k)) => {
                if let Some(r) = self.services.get(&k) {
                    return *r;
                }
                let az = ctx.ix.d.subnets[self.class.rep()].az.as_str();
                let v6 = ctx.subs[self.class.rep()]
                    .eni
                    .is_some_and(|e| !ctx.ix.d.network_interfaces[e].ipv6_addresses.is_empty());
                let dns64 = ctx.ix.d.subnets[self.class.rep()].enable_dns64;
                let r = match ctx.resolve(v, az, v6, dns64, k as usize) {
                    Some(ip) if ctx.outside(v, ip) => match ctx.scope.atom_of(v, IpNet::from(ip)) {
                        NO_ATOM => self.direct(self.key(to), first),
                        a => self.atom(a, self.key(to), false),
                    },
                    _ => self.direct(self.key(to), first),
                };
                self.services.insert(k, r);
                r
            }
            _ => self.direct(self.key(to), first),
        }
    }

    /// How the subnet columns of VPC `w` are answered: `emit(col, route)` for each.
    fn group_routes(
        &mut self,
        ctx: &Ctx<'_, '_>,
        w: usize,
        cols: &[u32],
        first: bool,
        mut emit: impl FnMut(usize, Route),
    ) {
        let port = self.port;
        let sub = |j: u32| match ctx.cols[j as usize] {
            Party::Subnet(d) => d,
            _ => usize::MAX,
        };
        let Some(v) = self.vpc(ctx) else {
            for &j in cols {
                let r = self.direct(self.key(Ep::Sub(sub(j) as u32)), first);
                emit(j as usize, r);
            }
            return;
        };
        if w == v || ctx.scope.connected[v].contains(w) {
            for &j in cols {
                let d = sub(j);
                let to = Ep::Sub(d as u32);
                let r = if ctx.subnet_class[d] == self.id {
                    // Both ends in one subnet: that row gets its own trace to the subnet's
                    // second interface; the other members share another member's flow.
                    let own = Key { from: to, to: Ep::Twin(d as u32), port };
                    if first {
                        for (&row, &s) in self.class.rows.iter().zip(&self.class.subnets) {
                            if s == d {
                                self.diagonal.push((row, j as usize, own));
                            }
                        }
                    }
                    match self.class.subnets.iter().copied().find(|&s| s != d) {
                        Some(other) => self.direct(Key { from: Ep::Sub(other as u32), to, port }, first),
                        None => Route::Direct(own),
                    }
                } else {
                    self.direct(self.key(to), first)
                };
                emit(j as usize, r);
            }
            return;
        }
        let inet = ctx.inet_atom[v];
        for &j in cols {
            let d = sub(j);
            let to = Ep::Sub(d as u32);
            let info = &ctx.subs[d];
            let a = info.vcidr.map_or(NO_ATOM, |k| ctx.scope.vpc_cidr_atom(v, k));
            let r = if ctx.colliding[d] || a == NO_ATOM {
                self.direct(self.key(to), first)
            } else {
                let by_public = (ctx.family == Family::Ipv6 || info.ends.public.is_some()) && {
                    match self.use_public.iter().find(|(x, _)| *x == a) {
                        Some(&(_, b)) => b,
                        None => {
                            let b = destination_is_public(ctx, self.class.rep(), d);
                            self.use_public.push((a, b));
                            b
                        }
                    }
                };
                if !by_public {
                    self.atom(a, self.key(to), true)
                } else if ctx.composes(v, a) {
                    self.atom(inet, self.key(Ep::Internet), false);
                    self.composes |= first;
                    Route::Compose
                } else {
                    self.direct(self.key(to), first)
                }
            };
            emit(j as usize, r);
        }
    }
}

impl ClassPlan<'_> {
    /// Plan an unconnected VPC's columns at once when its subnets share a VPC CIDR (what
    /// `fill_uniform` then uses). Returns whether it did.
    fn plan_uniform(&mut self, ctx: &Ctx<'_, '_>, cols: &Columns, g: usize) -> bool {
        let (w, list) = &cols.groups[g];
        let (Some(k), Some(v)) = (cols.uniform[g], self.vpc(ctx)) else { return false };
        if *w == v || ctx.scope.connected[v].contains(*w) {
            return false;
        }
        let a = ctx.scope.vpc_cidr_atom(v, k);
        if a == NO_ATOM {
            return false;
        }
        let sub = |j: u32| match ctx.cols[j as usize] {
            Party::Subnet(d) => d,
            _ => usize::MAX,
        };
        let by_public = match list.iter().find(|&&j| cols.public[j as usize]) {
            None => false,
            Some(&public) => match self.use_public.iter().find(|(x, _)| *x == a) {
                Some(&(_, b)) => b,
                None => {
                    let b = destination_is_public(ctx, self.class.rep(), sub(public));
                    self.use_public.push((a, b));
                    b
                }
            },
        };
        // The atom's flow is traced to a destination it answers for.
        if let Some(&j) = list.iter().find(|&&j| !by_public || !cols.public[j as usize]) {
            self.atom(a, self.key(Ep::Sub(sub(j) as u32)), true);
        }
        if !by_public {
            return true;
        }
        let inet = ctx.inet_atom[v];
        if ctx.composes(v, a) {
            self.atom(inet, self.key(Ep::Internet), false);
            self.composes = true;
            return true;
        }
        false
    }

    /// Fill an unconnected VPC's columns at once when its subnets share a VPC CIDR: the same
    /// answer for every private destination, a composed one for each public destination.
    /// Returns whether it did (else the columns go one by one).
    #[allow(clippy::too_many_arguments)]
    fn fill_uniform(
        &self,
        ctx: &Ctx<'_, '_>,
        cols: &Columns,
        g: usize,
        ans: &mut Answers<'_>,
        inbound: &[Option<&Summary>],
        cells: &Cells,
        line: &mut [u32],
        todo: &mut Vec<usize>,
    ) -> bool {
        let (w, list) = &cols.groups[g];
        let (Some(k), Some(v)) = (cols.uniform[g], self.vpc(ctx)) else { return false };
        if *w == v || ctx.scope.connected[v].contains(*w) {
            return false;
        }
        let a = ctx.scope.vpc_cidr_atom(v, k);
        if a == NO_ATOM {
            return false;
        }
        let Some(&first) = list.first() else { return true };
        let private = ans.atom(ctx, a, first as usize);
        let by_public = self.use_public.iter().find(|(x, _)| *x == a).map(|&(_, b)| b);
        let composes = ctx.composes(v, a);
        if by_public == Some(true) && !composes {
            return false;
        }
        for &j in list {
            let j = j as usize;
            let got = if !cols.public[j] || by_public == Some(false) {
                private
            } else if by_public == Some(true) && composes {
                inbound[j].and_then(|inn| compose(ctx, ans, cells, inn, *w))
            } else {
                None
            };
            match got {
                Some(c) => line[j] = c,
                None => todo.push(j),
            }
        }
        true
    }
}

fn col_ep(p: &Party, services: &[String]) -> Ep {
    match p {
        Party::Subnet(s) => Ep::Sub(*s as u32),
        Party::Internet => Ep::Internet,
        Party::Service(n) => Ep::Svc(services.iter().position(|x| x == n).unwrap_or(0) as u32),
    }
}

/// Whether the representative of a class addresses subnet `d`'s interface by its public
/// address (the engine's own choice for a destination in another VPC).
fn destination_is_public(ctx: &Ctx<'_, '_>, rep: usize, d: usize) -> bool {
    if ctx.family == Family::Ipv6 {
        return true;
    }
    let (Some(e), Some(id)) = (ctx.subs[rep].eni, ctx.subs[d].ends.node.as_deref()) else { return false };
    let src = Source::Node(Node::Eni(e));
    let addrs = ctx.ix.source_addrs(&src);
    ctx.ix.destination_for(&src, &addrs, id).ok() == ctx.subs[d].ends.public.map(IpAddr::V4)
}

/// An atom's traced answer: the cell, whether it names the destination, and the kind of
/// destination it was traced for.
type AtomAnswer = (u32, bool, Ep);

/// A class's traced answers, looked up once per class instead of once per cell.
struct Answers<'m> {
    /// Per atom of `ClassPlan::outside`: its answer, and whether it holds for destinations of
    /// its kind only.
    atoms: Vec<(u32, Option<AtomAnswer>, bool)>,
    /// The class's flow out to the internet (for composed answers).
    out: Option<&'m Summary>,
    /// Per VPC: whether the internet stand-in looks like the class's public source to it
    /// (0 unknown, 1 yes, 2 no).
    alike: Vec<u8>,
    /// The class's public source's CIDR chain and the VPCs whose space holds it.
    src_chain: Vec<u32>,
    src_space: Vec<u32>,
}

impl<'m> Answers<'m> {
    fn new(ctx: &Ctx<'_, '_>, plan: &ClassPlan<'_>, memo: &'m Memo, cells: &Cells) -> Answers<'m> {
        let atoms = plan
            .outside
            .iter()
            .map(|(a, k, same_kind)| {
                let ans = memo.get(k).filter(|s| s.shareable()).map(|s| {
                    let names_dst = matches!(&cells.get(s.cell).at, super::cell::At::End { source: false, .. });
                    (s.cell, names_dst, k.to)
                });
                (*a, ans, *same_kind)
            })
            .collect();
        let out = plan
            .vpc(ctx)
            .map(|v| ctx.inet_atom[v])
            .filter(|&a| a != NO_ATOM)
            .and_then(|a| plan.atom_key(a))
            .and_then(|k| memo.get(&k));
        let src = out.and_then(|o| o.exit_src).filter(|s| !stand_in(*s));
        let (src_chain, src_space) = match src {
            Some(ip) => ctx.scope.chain_and_space(ip),
            None => (Vec::new(), Vec::new()),
        };
        Answers { atoms, out, alike: Vec::new(), src_chain, src_space }
    }

    /// Whether VPC `w` cannot tell the class's public source from the internet stand-in.
    fn alike(&mut self, ctx: &Ctx<'_, '_>, w: usize) -> bool {
        if self.alike.is_empty() {
            self.alike = vec![0; ctx.scope.nv];
        }
        if self.alike[w] == 0 {
            let ok = ctx.inet_atom[w] != NO_ATOM
                && !self.src_space.iter().any(|&u| ctx.scope.closure[w].contains(u as usize))
                && ctx.scope.first_owned(&self.src_chain, w) == ctx.inet_atom[w];
            self.alike[w] = if ok { 1 } else { 2 };
        }
        self.alike[w] == 1
    }

    /// The answer an atom's flow gives a column of this kind.
    fn atom(&self, ctx: &Ctx<'_, '_>, a: u32, j: usize) -> Option<u32> {
        let &(_, found, same_kind) = self.atoms.iter().find(|(x, _, _)| *x == a)?;
        let (cell, names_dst, to) = found?;
        // An answer that names the destination by itself holds for destinations of the same
        // kind only (a subnet's for subnets).
        if names_dst || same_kind {
            let same = match (&ctx.cols[j], to) {
                (Party::Subnet(_), Ep::Sub(_)) => true,
                (Party::Internet, Ep::Internet) => true,
                (Party::Service(n), Ep::Svc(x)) => ctx.services[x as usize] == *n,
                _ => false,
            };
            if !same {
                return None;
            }
        }
        Some(cell)
    }
}

/// Join a class's flow out to the internet with the internet's flow in to a destination in
/// VPC `w`. `None` when the halves cannot stand for the whole (then the pair is traced itself).
fn compose(ctx: &Ctx<'_, '_>, ans: &mut Answers<'_>, cells: &Cells, inn: &Summary, w: usize) -> Option<u32> {
    let out = ans.out?;
    if (out.nat_ports || inn.nat_ports) && (out.uneven_acl || inn.uneven_acl) {
        return None;
    }
    if out.hops + inn.hops > 80 {
        return None;
    }
    let from_out = |s: &Summary| (!cells.get(s.cell).names_end_address(false)).then_some(s.cell);
    let from_in = |s: &Summary| (!cells.get(s.cell).names_end_address(true)).then_some(s.cell);
    if out.phase == Phase::Forward {
        return from_out(out);
    }
    // The far end sees the source's public address; the stand-in must look the same to it.
    let src = out.exit_src?;
    let alike = if stand_in(src) { ctx.block_ok[w] } else { ans.alike(ctx, w) };
    if !alike {
        return None;
    }
    match inn.phase {
        Phase::Forward | Phase::Reply => from_in(inn),
        Phase::Delivered if !inn.reply_exit => None,
        Phase::Delivered => from_out(out),
    }
}

/// A column's answer; `None` when it must be traced pair by pair.
fn answer(
    ctx: &Ctx<'_, '_>,
    ans: &mut Answers<'_>,
    route: Route,
    j: usize,
    memo: &Memo,
    inbound: &[Option<&Summary>],
    cells: &Cells,
) -> Option<u32> {
    match route {
        Route::Direct(k) => memo.get(&k).filter(|s| s.shareable()).map(|s| s.cell),
        Route::Atom(a) => ans.atom(ctx, a, j),
        Route::Compose => {
            let inn = inbound[j]?;
            let w = match &ctx.cols[j] {
                Party::Subnet(d) => ctx.subs[*d].vpc?,
                _ => return None,
            };
            compose(ctx, ans, cells, inn, w)
        }
    }
}

/// Compute one port's grid.
pub(crate) fn compute_port(
    ctx: &Ctx<'_, '_>,
    cols: &Columns,
    port: Option<u16>,
    memo: &mut Memo,
    cells: &mut Cells,
    prior: Option<&Prior<'_>>,
) -> (Grid, usize) {
    let timing = std::env::var_os("VPCRAFT_REACH_TIMING").is_some();
    let t0 = std::time::Instant::now();
    let ncols = ctx.cols.len();
    // What is kept from before an edit is decided before planning: a kept class plans only
    // the columns it fills anew, from the flows it rested on.
    let reuse = prior.map(|p| p.reuse(ctx, cols, port, memo));
    let kept_of = |ci: usize| reuse.as_ref().and_then(|r| r.kept(ci));
    // The column groups a line plans and fills: every group, or for a kept line only the
    // groups the edit may change (a few among thousands: a kept line costs what they cost).
    let all_groups: Vec<usize> = (0..cols.groups.len()).collect();
    let dirty_groups: Vec<usize> = match &reuse {
        Some(r) => all_groups.iter().copied().filter(|&g| r.group_dirty[g]).collect(),
        None => all_groups.clone(),
    };
    let groups_of = |kept: bool| if kept { dirty_groups.as_slice() } else { all_groups.as_slice() };
    let mut plans: Vec<ClassPlan<'_>> = ctx
        .classes
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let mut plan = ClassPlan::new(c, i as u32, port);
            let kept = kept_of(i);
            if let Some((_, rests)) = kept {
                plan.outside = rests.outside.clone();
                plan.use_public = rests.use_public.clone();
            }
            for &j in cols.single.iter().filter(|_| kept.is_none()) {
                plan.single_route(ctx, j as usize, cols.eps[j as usize], true);
            }
            for &g in groups_of(kept.is_some()) {
                let (w, list) = &cols.groups[g];
                if !plan.plan_uniform(ctx, cols, g) {
                    plan.group_routes(ctx, *w, list, true, |_, _| {});
                }
            }
            plan
        })
        .collect();
    if timing {
        eprintln!("reach: planned in {:?}", t0.elapsed());
    }
    // Rows that are not subnets: every cell is its own flow.
    let others: Vec<(usize, Ep)> = ctx
        .rows
        .iter()
        .enumerate()
        .filter(|(_, p)| !matches!(p, Party::Subnet(_)))
        .map(|(i, p)| (i, col_ep(p, ctx.services)))
        .collect();
    let other_keys = others.iter().flat_map(|&(_, from)| cols.eps.iter().map(move |&to| Key { from, to, port }));
    // The internet's flow to each subnet that composed answers use.
    let inbound = cols
        .eps
        .iter()
        .zip(&cols.public)
        .filter(|(e, &public)| public && matches!(e, Ep::Sub(_)))
        .map(|(&to, _)| Key { from: Ep::Internet, to, port });
    let needs_inbound = plans.iter().enumerate().any(|(i, p)| p.composes || kept_of(i).is_some_and(|k| k.1.composes));
    let mut seen = foldhash::HashSet::default();
    let keys: Vec<Key> = plans
        .iter()
        .flat_map(|p| p.keys())
        .chain(other_keys)
        .chain(inbound.filter(|_| needs_inbound))
        .filter(|k| seen.insert(*k))
        .collect();
    if timing {
        eprintln!("reach: {} keys to trace", keys.len());
    }
    ctx.trace_all(keys, memo, cells);
    if timing {
        eprintln!("reach: traced at {:?} (process CPU {:?})", t0.elapsed(), super::cpu_time());
    }

    let mut grid = Grid { row_line: vec![0; ctx.rows.len()], ..Grid::default() };
    // The internet's flows in, copied next to one another: every line reads them, and read from
    // the memo's table each would be a cache miss.
    let inbound_flows: Vec<Option<Summary>> =
        cols.eps.iter().map(|&to| memo.get(&Key { from: Ep::Internet, to, port }).cloned()).collect();
    let inbound: Vec<Option<&Summary>> = inbound_flows.iter().map(Option::as_ref).collect();
    let memo_ref: &Memo = memo;
    let kept = (0..plans.len()).filter(|&ci| kept_of(ci).is_some()).count();
    let filled: Vec<(Arc<[u32]>, Vec<usize>)> = plans
        .par_iter_mut()
        .enumerate()
        .map_init(Vec::new, |scratch: &mut Vec<u32>, (ci, plan)| {
            // A line kept from before the edit needs only its columns the edit may change:
            // they are filled in a scratch line and compared with the old one.
            let kept = kept_of(ci);
            let mut own = Vec::new();
            let line: &mut [u32] = if kept.is_some() {
                scratch.resize(ncols, u32::MAX);
                scratch
            } else {
                own = vec![u32::MAX; ncols];
                &mut own
            };
            let mut todo = Vec::new();
            let mut ans = Answers::new(ctx, plan, memo_ref, cells);
            for &j in cols.single.iter().filter(|_| kept.is_none()) {
                let route = plan.single_route(ctx, j as usize, cols.eps[j as usize], false);
                match answer(ctx, &mut ans, route, j as usize, memo_ref, &inbound, cells) {
                    Some(c) => line[j as usize] = c,
                    None => todo.push(j as usize),
                }
            }
            for &g in groups_of(kept.is_some()) {
                let (w, list) = &cols.groups[g];
                if plan.fill_uniform(ctx, cols, g, &mut ans, &inbound, cells, line, &mut todo) {
                    continue;
                }
                plan.group_routes(ctx, *w, list, false, |j, route| {
                    match answer(ctx, &mut ans, route, j, memo_ref, &inbound, cells) {
                        Some(c) => line[j] = c,
                        None => todo.push(j),
                    }
                });
            }
            for &j in &todo {
                line[j] = u32::MAX;
            }
            let line = match (kept, &reuse) {
                (Some((old, _)), Some(r)) => r.patch(old, line),
                _ => Arc::from(own),
            };
            (line, todo)
        })
        .collect();
    if timing {
        eprintln!("reach: filled at {:?} (process CPU {:?})", t0.elapsed(), super::cpu_time());
    }
    let mut pending: Vec<(usize, usize, Key)> = Vec::new();
    for (ci, ((line, todo), plan)) in filled.into_iter().zip(&plans).enumerate() {
        let c = &ctx.classes[ci];
        let l = grid.lines.len() as u32;
        for &row in &c.rows {
            grid.row_line[row] = l;
        }
        for j in todo {
            // Each member's own flow.
            for (&row, &s) in c.rows.iter().zip(&c.subnets) {
                let to = cols.eps[j];
                if to != Ep::Sub(s as u32) {
                    pending.push((row, j, Key { from: Ep::Sub(s as u32), to, port }));
                }
            }
        }
        pending.extend(plan.diagonal.iter().copied());
        if let Some(r) = &reuse {
            grid.overrides.extend(r.carried(ci, c));
        }
        grid.lines.push(line);
        // Nothing traced for the refilled columns that the line did not rest on already: the
        // old line's.
        let unchanged = plan.direct.is_empty() && plan.diagonal.is_empty();
        let rests = Rests::of_line(
            plan.keys(),
            &plan.outside,
            plan.composes,
            &plan.use_public,
            kept_of(ci).map(|k| k.1),
            unchanged,
        );
        grid.rests.push(rests);
    }
    for (row, from) in others {
        let l = grid.lines.len() as u32;
        grid.row_line[row] = l;
        let line: Vec<u32> =
            cols.eps.iter().map(|&to| memo.get(&Key { from, to, port }).map_or(u32::MAX, |s| s.cell)).collect();
        grid.lines.push(Arc::from(line));
    }
    ctx.trace_all(pending.iter().map(|p| p.2), memo, cells);
    for (row, j, k) in pending {
        if let Some(s) = memo.get(&k) {
            grid.overrides.insert((row as u32, j as u32), s.cell);
        }
    }
    Rests::passed(&mut grid.rests, memo);
    if timing {
        eprintln!("reach: port done at {:?} ({kept} rows kept)", t0.elapsed());
    }
    (grid, kept)
}
