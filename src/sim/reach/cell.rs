//! One cell of a matrix: what `vpcraft trace` says about a pair, reduced to the verdict, the
//! explanation code and the component that decided it; and the summary of a traced flow the
//! matrix keeps to share that answer with equivalent pairs.

use crate::sim::result::{Code, Component, ComponentKind, HopAction, TraceResult, Verdict};
use serde::Serialize;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// A cell's verdict: `trace`'s, or `not_applicable` where the pair has no flow of the
/// matrix's family (an IPv6 matrix's row or column subnet without an IPv6 block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellVerdict {
    Delivered,
    Dropped,
    NotApplicable,
}

impl From<Verdict> for CellVerdict {
    fn from(v: Verdict) -> CellVerdict {
        match v {
            Verdict::Delivered => CellVerdict::Delivered,
            Verdict::Dropped => CellVerdict::Dropped,
        }
    }
}

impl fmt::Display for CellVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CellVerdict::Delivered => "delivered",
            CellVerdict::Dropped => "dropped",
            CellVerdict::NotApplicable => "not_applicable",
        })
    }
}

/// The answer for one (source, destination) pair: exactly what `trace` says for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// `delivered`, `dropped`, or `not_applicable` (no flow of the matrix's family: `at` is the
    /// subnet without an IPv6 block).
    pub verdict: CellVerdict,
    /// The explanation code of the drop (`None` when delivered).
    pub code: Option<Code>,
    /// The component where the flow stopped (`None` when delivered).
    #[serde(serialize_with = "at_id")]
    pub at: Option<Component>,
}

fn at_id<S: serde::Serializer>(at: &Option<Component>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(c) => s.serialize_str(&c.id),
        None => s.serialize_none(),
    }
}

impl Cell {
    /// The cell a trace result stands for: its verdict and code, and the hop it stopped at
    /// ([`TraceResult::stop_hop`]).
    pub fn of(r: &TraceResult) -> Cell {
        let at = if r.delivered() { None } else { r.stop_hop().map(|h| h.component.clone()) };
        Cell { verdict: r.verdict.into(), code: r.code, at }
    }

    /// The cell of a pair with no flow of the matrix's family: `subnet` has no block of it.
    pub fn not_applicable(subnet: Component) -> Cell {
        Cell { verdict: CellVerdict::NotApplicable, code: None, at: Some(subnet) }
    }

    /// Whether the flow gets through.
    pub fn delivered(&self) -> bool {
        self.verdict == CellVerdict::Delivered
    }

    /// Whether the pair has no flow of the matrix's family.
    pub fn is_not_applicable(&self) -> bool {
        self.verdict == CellVerdict::NotApplicable
    }

    /// `delivered`, `dropped CODE at name (id)`, or `not applicable: name (id) has no IPv6 block`.
    pub fn text(&self) -> String {
        match (&self.verdict, self.code, &self.at) {
            (CellVerdict::Delivered, _, _) => "delivered".to_string(),
            (CellVerdict::NotApplicable, _, Some(at)) => format!("not applicable: {} has no IPv6 block", at.label()),
            (CellVerdict::NotApplicable, _, None) => "not applicable".to_string(),
            (_, Some(code), Some(at)) => format!("dropped {code} at {}", at.label()),
            (_, Some(code), None) => format!("dropped {code}"),
            (_, None, _) => "dropped".to_string(),
        }
    }

    /// [`Cell::text`] in `lang` (the explanation code and the component stay as they are).
    pub fn text_in(&self, lang: crate::l10n::Lang) -> String {
        use crate::l10n::{t, tr};
        match (&self.verdict, self.code, &self.at) {
            (CellVerdict::Delivered, _, _) => tr(lang, "reach-delivered"),
            (CellVerdict::NotApplicable, _, Some(at)) => t(lang, "reach-not-applicable-at", &[("at", &at.label())]),
            (CellVerdict::NotApplicable, _, None) => tr(lang, "reach-not-applicable-cell"),
            (_, Some(code), Some(at)) => t(lang, "reach-dropped-at", &[("code", &code), ("at", &at.label())]),
            (_, Some(code), None) => t(lang, "reach-dropped-code", &[("code", &code)]),
            (_, None, _) => tr(lang, "reach-dropped"),
        }
    }

    /// Why a dropped cell dropped: `CODE at name (id)`, in `lang`.
    pub fn reason_in(&self, lang: crate::l10n::Lang) -> String {
        use crate::l10n::{t, tr};
        match (self.code, &self.at) {
            (Some(code), Some(at)) => t(lang, "reach-reason-at", &[("code", &code), ("at", &at.label())]),
            (Some(code), None) => code.to_string(),
            (None, _) => tr(lang, "reach-dropped"),
        }
    }
}

/// Which end of a pair a component belongs to, when it belongs to one: the same answer holds
/// for an equivalent pair with that end's own component in its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    /// The end's (hypothetical) network interface.
    Node,
    /// The end's subnet.
    Subnet,
    /// A component named by the end's private address.
    Address,
    /// A component named by the end's public address.
    Public,
}

/// Where a stored answer stopped: a fixed component, or one of the pair's own.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum At {
    None,
    Fixed {
        kind: ComponentKind,
        id: String,
        name: String,
    },
    /// (`true` for the source end, the role, the component's kind and name).
    End {
        source: bool,
        role: Role,
        kind: ComponentKind,
        name: String,
    },
}

/// A cell with its stopping component relative to the pair (interned in [`Cells`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CellSym {
    pub delivered: bool,
    pub code: Option<Code>,
    pub at: At,
}

/// The identities of one end of a traced pair, to tell its own components from fixed ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EndIds {
    /// The (hypothetical) interface's id.
    pub node: Option<String>,
    pub subnet: Option<String>,
    pub subnet_name: String,
    /// The address flows to it are sent to (of the matrix's family).
    pub address: Option<IpAddr>,
    pub public: Option<Ipv4Addr>,
}

impl EndIds {
    fn role_of(&self, id: &str) -> Option<Role> {
        if self.node.as_deref() == Some(id) {
            return Some(Role::Node);
        }
        if self.subnet.as_deref() == Some(id) {
            return Some(Role::Subnet);
        }
        if self.address.is_some_and(|a| a.to_string() == id) {
            return Some(Role::Address);
        }
        if self.public.is_some_and(|a| a.to_string() == id) {
            return Some(Role::Public);
        }
        None
    }

    fn id_of(&self, role: Role) -> Option<String> {
        match role {
            Role::Node => self.node.clone(),
            Role::Subnet => self.subnet.clone(),
            Role::Address => self.address.map(|a| a.to_string()),
            Role::Public => self.public.map(|a| a.to_string()),
        }
    }
}

impl CellSym {
    /// The symbolic cell of a result traced between `src` and `dst`.
    pub fn of(r: &TraceResult, src: &EndIds, dst: &EndIds) -> CellSym {
        let cell = Cell::of(r);
        let at = match cell.at {
            None => At::None,
            Some(c) => match (src.role_of(&c.id), dst.role_of(&c.id)) {
                (Some(role), _) => At::End { source: true, role, kind: c.kind, name: c.name },
                (None, Some(role)) => At::End { source: false, role, kind: c.kind, name: c.name },
                (None, None) => At::Fixed { kind: c.kind, id: c.id, name: c.name },
            },
        };
        CellSym { delivered: cell.verdict == CellVerdict::Delivered, code: cell.code, at }
    }

    /// The cell for a pair with these ends.
    pub fn instantiate(&self, src: &EndIds, dst: &EndIds) -> Cell {
        let at = match &self.at {
            At::None => None,
            At::Fixed { kind, id, name } => Some(Component::new(*kind, id.clone(), name.clone())),
            At::End { source, role, kind, name } => {
                let end = if *source { src } else { dst };
                let id = end.id_of(*role).unwrap_or_default();
                let name = match role {
                    Role::Subnet => end.subnet_name.clone(),
                    Role::Node => hypothetical_name(&end.subnet_name, end.subnet.as_deref()),
                    _ => name.clone(),
                };
                Some(Component::new(*kind, id, name))
            }
        };
        Cell {
            verdict: if self.delivered { CellVerdict::Delivered } else { CellVerdict::Dropped },
            code: self.code,
            at,
        }
    }

    /// Whether the answer names a component of one end by its address (the stand-ins a
    /// composed answer replaces must not appear in it).
    pub fn names_end_address(&self, source: bool) -> bool {
        matches!(&self.at, At::End { source: s, role: Role::Address | Role::Public, .. } if *s == source)
    }
}

/// The name a hypothetical interface has (as [`crate::sim::hypothetical::augment`] names it).
pub(crate) fn hypothetical_name(subnet_name: &str, subnet_id: Option<&str>) -> String {
    let label = if subnet_name.is_empty() { subnet_id.unwrap_or_default() } else { subnet_name };
    format!("hypothetical interface in {label}")
}

/// Interned symbolic cells: a matrix stores one `u32` per cell.
#[derive(Debug, Clone)]
pub(crate) struct Cells {
    /// Cells shared by the tables cloned from this one (never changed while shared): a matrix
    /// recomputed after an edit starts from its predecessor's table without copying it.
    base: std::sync::Arc<Table>,
    /// Cells added since, numbered after the base's.
    added: Table,
    /// Which table this is: clones share it, and since a table only grows, two tables of one
    /// lineage give an id the same cell (so matrices recomputed from one another compare
    /// cells by id).
    lineage: u64,
}

/// Cells and their ids.
#[derive(Debug, Clone, Default)]
struct Table {
    list: Vec<CellSym>,
    index: foldhash::HashMap<CellSym, u32>,
}

impl Default for Cells {
    fn default() -> Cells {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Cells {
            base: std::sync::Arc::default(),
            added: Table::default(),
            lineage: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

impl Cells {
    /// Whether ids of both tables name the same cells.
    pub fn same_lineage(&self, o: &Cells) -> bool {
        self.lineage == o.lineage
    }

    pub fn intern(&mut self, c: CellSym) -> u32 {
        if let Some(&i) = self.base.index.get(&c).or_else(|| self.added.index.get(&c)) {
            return i;
        }
        let i = (self.base.list.len() + self.added.list.len()) as u32;
        self.added.index.insert(c.clone(), i);
        self.added.list.push(c);
        i
    }

    pub fn get(&self, i: u32) -> &CellSym {
        let i = i as usize;
        match self.base.list.get(i) {
            Some(c) => c,
            None => &self.added.list[i - self.base.list.len()],
        }
    }

    /// Move the cells added into the shared part, where that costs no copy (nothing else
    /// shares it) or the added cells are many: clones of the table then copy little.
    pub fn settle(&mut self) {
        if self.added.list.is_empty() {
            return;
        }
        let many = self.added.list.len() * 4 > self.base.list.len();
        if std::sync::Arc::get_mut(&mut self.base).is_none() && !many {
            return;
        }
        let added = std::mem::take(&mut self.added);
        let base = std::sync::Arc::make_mut(&mut self.base);
        base.list.extend(added.list);
        base.index.extend(added.index);
    }
}

/// Which part of the flow an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// The request was dropped.
    Forward,
    /// The reply was dropped.
    Reply,
    /// Both ways got through.
    Delivered,
}

/// What the matrix keeps of one traced flow.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    /// The interned symbolic cell.
    pub cell: u32,
    pub phase: Phase,
    /// The request left onto the internet (its last hop is an exit to the internet or an AWS
    /// service's public address) with this public source address.
    pub exit_src: Option<IpAddr>,
    /// The reply left onto the internet (its last hop is such an exit).
    pub reply_exit: bool,
    /// Some hop rewrote a port (a NAT picks the client's port from a hash of the addresses).
    pub nat_ports: bool,
    /// Some network ACL on the path treats ephemeral ports (1024–65535) unevenly.
    pub uneven_acl: bool,
    /// Hops in both directions.
    pub hops: usize,
    /// VPCs (indices) whose components the flow passed.
    pub vpcs: std::sync::Arc<[u32]>,
}

impl Summary {
    /// Whether an equivalent pair (another member of the source class) has the same answer:
    /// not when a NAT's hashed port meets a network ACL that tells ports apart, and not near
    /// the engine's hop budget.
    pub fn shareable(&self) -> bool {
        !(self.nat_ports && self.uneven_acl) && self.hops <= 80
    }
}

/// Whether a hop left for the internet or an AWS service's public address.
pub(crate) fn is_internet_exit(h: &crate::sim::Hop) -> bool {
    h.action == HopAction::Exit && matches!(h.component.kind, ComponentKind::Internet | ComponentKind::AwsService)
}
