//! Recomputing a matrix after a change: traced flows that pass no VPC the change touched are
//! kept, everything else is traced again. Which pairs share an answer is decided afresh (it is
//! cheap), and when the design still looks the same from outside the touched VPCs ([`Basis`]:
//! the same closures and atoms, classes, hypothetical interfaces), a class's row is kept as it
//! was except for the columns in touched VPCs: only rows that can reach a touched VPC, or that
//! rest on a flow traced again, are filled anew.
//!
//! A flow's answer depends on the components it passes (the hops name them) and on lookups by
//! address in the VPCs it enters, so a change confined to other VPCs cannot alter it. Changes
//! that are not confined to VPCs (peerings, transit gateways, prefix lists, Elastic IPs, VPC
//! CIDRs, added or removed subnets) recompute everything.

use super::classes::Class;
use super::compute::{Columns, Ctx, Ep, Grid, Key, Memo, SubInfo};
use super::scope::Scope;
use super::{compute_with, Matrix, ReachOptions};
use crate::model::{Design, Id, Resource, ResourceKind};
use crate::sim::diff::ResourceChange;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What a change touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Ids of the VPCs whose resources changed.
    pub vpcs: HashSet<String>,
    /// Something outside any one VPC changed: nothing can be kept.
    pub global: bool,
    /// The ids of every resource added, changed or removed (sorted): the design a matrix was
    /// computed on is brought level with the new one by copying these.
    pub ids: Vec<Id>,
}

impl Change {
    /// The change between two designs, from their resource-level differences.
    pub fn between(old: &Design, new: &Design, changes: &[ResourceChange]) -> Change {
        let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
        Change::of_ids(old, new, &ids)
    }

    /// The change between two designs, found by comparing them kind by kind: where a kind's
    /// resources are in the same order in both (every edit but an add or a delete), resource
    /// by resource, without the by-id maps [`crate::sim::diff::resource_changes`] builds. The
    /// same ids as that function's, so the same change.
    pub fn of_designs(old: &Design, new: &Design) -> Change {
        let mut ids: Vec<&str> = Vec::new();
        for kind in ResourceKind::ALL {
            let a: Vec<Resource<'_>> = old.resources_of(kind).collect();
            let b: Vec<Resource<'_>> = new.resources_of(kind).collect();
            if a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.id() == y.id()) {
                ids.extend(a.iter().zip(&b).filter(|(x, y)| x != y).map(|(x, _)| x.id()));
                continue;
            }
            let before: HashMap<&str, &Resource<'_>> = a.iter().map(|r| (r.id(), r)).collect();
            let after: HashMap<&str, &Resource<'_>> = b.iter().map(|r| (r.id(), r)).collect();
            ids.extend(b.iter().filter(|r| before.get(r.id()).is_none_or(|x| *x != *r)).map(|r| r.id()));
            ids.extend(a.iter().filter(|r| !after.contains_key(r.id())).map(|r| r.id()));
        }
        ids.sort_unstable();
        ids.dedup();
        Change::of_ids(old, new, &ids)
    }

    /// The change made by editing the resources with these ids (in either design).
    pub fn of_ids(old: &Design, new: &Design, ids: &[&str]) -> Change {
        let mut c = Change { ids: ids.iter().map(|s| s.to_string()).collect(), ..Change::default() };
        c.ids.sort_unstable();
        c.ids.dedup();
        if old.features != new.features || old.default_region != new.default_region || old.regions != new.regions {
            c.global = true;
        }
        let same_vpcs = old.vpcs.len() == new.vpcs.len() && old.vpcs.iter().zip(&new.vpcs).all(|(a, b)| a.id == b.id);
        let same_subnets =
            old.subnets.len() == new.subnets.len() && old.subnets.iter().zip(&new.subnets).all(|(a, b)| a.id == b.id);
        if !same_vpcs || !same_subnets {
            c.global = true;
        }
        for id in ids {
            let kind = new.find(id).or_else(|| old.find(id)).map(|r| r.kind());
            if matches!(kind, Some(ResourceKind::Vpc) | None) {
                c.global = true;
                continue;
            }
            let mut found = false;
            for d in [old, new] {
                if let Some(v) = d.vpc_of(id) {
                    c.vpcs.insert(v.id.clone());
                    found = true;
                }
            }
            if !found {
                c.global = true;
            }
        }
        c
    }
}

impl Matrix {
    /// The matrix of `new` (with `options`), reusing this one's traces that `change` cannot
    /// have altered.
    pub fn recompute(
        &self,
        new: &Design,
        options: &ReachOptions,
        change: &Change,
    ) -> Result<Matrix, crate::l10n::Text> {
        let same_shape = !change.global
            && self.options.protocol == options.protocol
            && self.subnet_ids.len() == new.subnets.len()
            && self.subnet_ids.iter().zip(&new.subnets).all(|(a, b)| *a == b.id)
            && self.vpc_ids.len() == new.vpcs.len()
            && self.vpc_ids.iter().zip(&new.vpcs).all(|(a, b)| *a == b.id)
            && super::services_of(options) == self.services;
        let spare = self.spare.take().map(|s| SpareDesign { ids: change.ids.clone(), ..s });
        if !same_shape {
            return compute_with(new, options, Memo::default(), None, super::Cells::default(), None, spare);
        }
        // The flows move to the new matrix; the ones that pass a touched VPC are dropped. A
        // matrix already recomputed from once has handed them on: it is computed afresh.
        let Some(memo) = self.memo.take() else {
            return compute_with(new, options, Memo::default(), None, super::Cells::default(), None, spare);
        };
        let touched: Vec<bool> = new.vpcs.iter().map(|v| change.vpcs.contains(&v.id)).collect();
        let prior = (self.options == *options).then_some((self, touched.as_slice()));
        compute_with(new, options, memo, Some(&touched), self.cells.clone(), prior, spare)
    }
}

/// Something a matrix hands to the one recomputed from it: it moves instead of being copied
/// (a 1000-VPC design's traced flows or its design with hypothetical interfaces take tens of
/// milliseconds to copy). The first recomputation takes it; the matrix keeps its answers.
pub(crate) struct Handed<T>(std::sync::Mutex<Option<T>>);

impl<T> Handed<T> {
    pub fn new(t: T) -> Handed<T> {
        Handed(std::sync::Mutex::new(Some(t)))
    }

    pub fn take(&self) -> Option<T> {
        self.0.lock().ok()?.take()
    }

    /// Look at what it holds, if it still holds it.
    pub fn with<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        match self.0.lock() {
            Ok(g) => f(g.as_ref()),
            Err(_) => f(None),
        }
    }
}

impl<T> Default for Handed<T> {
    fn default() -> Handed<T> {
        Handed(std::sync::Mutex::new(None))
    }
}

impl<T> std::fmt::Debug for Handed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Handed")
    }
}

/// The traced flows of a matrix: a clone of the matrix gets a copy (so either can be
/// recomputed from), a recomputation takes them.
pub(crate) type Flows = Handed<Memo>;

impl Clone for Flows {
    fn clone(&self) -> Flows {
        self.with(|m| Handed(std::sync::Mutex::new(m.cloned())))
    }
}

/// The design with hypothetical interfaces a matrix was computed on: the next recomputation
/// brings it level with the edited design ([`crate::sim::hypothetical::augment_edited`])
/// instead of copying the whole design again. It moves to the matrix recomputed from it; a
/// clone of a matrix has none.
#[derive(Default, Debug)]
pub(crate) struct Spare(Handed<SpareDesign>);

/// A matrix's design with its hypothetical interfaces.
pub(crate) struct SpareDesign {
    pub design: Box<Design>,
    /// How many interfaces the design itself has (the hypothetical ones follow).
    pub base: usize,
    /// Per hypothetical interface: its subnet, and whether it is the subnet's second one.
    pub slots: Vec<(u32, bool)>,
    /// The resources the edit since changed (the recomputation that takes it says).
    pub ids: Vec<Id>,
}

impl Spare {
    pub fn new(d: SpareDesign) -> Spare {
        Spare(Handed::new(d))
    }

    pub fn take(&self) -> Option<SpareDesign> {
        self.0.take()
    }
}

impl Clone for Spare {
    fn clone(&self) -> Spare {
        Spare::default()
    }
}

/// What a matrix's rows were computed from, beyond the traced flows: when a recomputation
/// finds the same outside the touched VPCs, a row that reaches no touched VPC and rests on no
/// flow traced again is what it was.
#[derive(Debug, Clone)]
pub(crate) struct Basis {
    pub scope: Scope,
    pub classes: Vec<Class>,
    pub subs: Vec<SubInfo>,
    pub colliding: Vec<bool>,
    pub inet_atom: Vec<u32>,
    pub block_ok: Vec<bool>,
    /// The addresses the design's own resources hold (hypothetical interfaces are given free ones).
    pub used: crate::sim::hypothetical::UsedAddresses,
}

impl Basis {
    /// Whether `new` (the basis after an edit touching `touched` VPCs) lets rows be kept: the
    /// per-port [`Prior`]s' old classes, or `None`.
    pub fn old_classes(&self, new: &Basis, touched: &[bool]) -> Option<Vec<Option<u32>>> {
        let subs_alike = self.subs.len() == new.subs.len()
            && self.subs.iter().zip(&new.subs).all(|(a, b)| a == b || a.vpc.is_some_and(|v| touched[v]));
        let same = subs_alike
            && self.colliding == new.colliding
            && self.inet_atom == new.inet_atom
            && self.block_ok == new.block_ok
            && self.scope.same_view(&new.scope);
        if !same {
            return None;
        }
        let by_subnets: HashMap<&[usize], u32> =
            self.classes.iter().enumerate().map(|(i, c)| (c.subnets.as_slice(), i as u32)).collect();
        Some(new.classes.iter().map(|c| by_subnets.get(c.subnets.as_slice()).copied()).collect())
    }
}

/// What a class's line rests on, kept with the grid so that after an edit a line can be kept
/// without planning its class again.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rests {
    /// Every flow the line was filled from (a kept line adds the flows of the columns it
    /// refilled: a superset keeps fewer lines, never a wrong one).
    pub keys: Vec<Key>,
    /// The class's atoms and the flows traced for them (`ClassPlan::outside`): a kept class
    /// refills its columns from the same flows.
    pub outside: Vec<(u32, Key, bool)>,
    /// Some column is answered by joining flows at the internet.
    pub composes: bool,
    /// Per atom: whether the class's representative addresses public destinations there by
    /// their public address (`ClassPlan::use_public`). It rests on the class's own VPC's
    /// tables only (the atom says which of their routes match), so a kept line plans its
    /// refilled columns without asking the engine again.
    pub use_public: Vec<(u32, bool)>,
    /// The VPCs the flows of `keys` pass (sorted), once they are all traced: the line rests on
    /// no flow traced again after an edit that touched none of them. `None`: not known (then
    /// each flow is looked up).
    pub vpcs: Option<Vec<u32>>,
}

impl Rests {
    /// What a class's line rests on, from its plan's flows (`keys`, `outside`, `composes`),
    /// with a kept line's old rests (`kept`) joined in. A kept line whose plan traced nothing
    /// of its own (`unchanged`) and no new atom rests on what it rested on.
    pub fn of_line(
        keys: impl Iterator<Item = Key>,
        outside: &[(u32, Key, bool)],
        composes: bool,
        use_public: &[(u32, bool)],
        kept: Option<&Arc<Rests>>,
        unchanged: bool,
    ) -> Arc<Rests> {
        if let Some(old) = kept.filter(|old| unchanged && outside.len() == old.outside.len()) {
            return old.clone();
        }
        let mut rests = Rests {
            keys: keys.collect(),
            outside: outside.to_vec(),
            composes,
            use_public: use_public.to_vec(),
            vpcs: None,
        };
        if let Some(old) = kept {
            let mine: HashSet<Key> = rests.keys.iter().copied().collect();
            rests.keys.extend(old.keys.iter().filter(|k| !mine.contains(k)));
            rests.composes |= old.composes;
        }
        Arc::new(rests)
    }

    /// Note, for each rests made anew, the VPCs its flows pass (every flow of the port is in
    /// `memo` by now).
    pub fn passed(list: &mut [Arc<Rests>], memo: &Memo) {
        'line: for r in list.iter_mut() {
            let Some(r) = Arc::get_mut(r).filter(|r| r.vpcs.is_none()) else { continue };
            let mut vpcs: Vec<u32> = Vec::new();
            for k in &r.keys {
                match memo.get(k) {
                    Some(s) => vpcs.extend(s.vpcs.iter().copied()),
                    None => continue 'line,
                }
            }
            vpcs.sort_unstable();
            vpcs.dedup();
            r.vpcs = Some(vpcs);
        }
    }

    /// Whether every flow the line rests on is in `memo` (kept from before an edit that touched
    /// the VPCs `touched`): a flow is traced again when it passes a touched VPC.
    fn all_kept(&self, memo: &Memo, touched: &[bool]) -> bool {
        match &self.vpcs {
            Some(vpcs) => !vpcs.iter().any(|&v| touched.get(v as usize).copied().unwrap_or(true)),
            None => self.keys.iter().all(|k| memo.contains_key(k)),
        }
    }
}

/// The matrix before an edit, for one port of the recomputation.
pub(crate) struct Prior<'p> {
    /// The old matrix's grid of the port.
    pub grid: &'p Grid,
    /// Per (new) class: the old class with the same subnets.
    pub old_class: &'p [Option<u32>],
    /// Per VPC: the edit touched it.
    pub touched: &'p [bool],
}

/// A kept class's old line and what it rested on.
pub(crate) type Kept<'p> = (&'p Arc<[u32]>, &'p Arc<Rests>);

/// Which rows and columns a port's recomputation keeps.
pub(crate) struct Reuse<'p> {
    /// Per class: its old line and what it rests on, when it is kept.
    lines: Vec<Option<Kept<'p>>>,
    /// Per column group: its columns are filled anew in kept lines too.
    pub group_dirty: Vec<bool>,
    /// The columns a kept line fills anew: the dirty groups'.
    pub dirty_cols: Vec<usize>,
    /// Old per-pair answers in columns that are kept, by row.
    overrides: HashMap<u32, Vec<(u32, u32)>>,
}

impl<'p> Prior<'p> {
    /// Decide what is kept, before planning: `memo` holds the flows kept from before the edit
    /// (the ones that pass no touched VPC). A line is kept when its class had the same subnets,
    /// cannot enter a touched VPC and rests on no flow that is traced again; then its plan is
    /// what it was, and only its dirty columns are planned and filled anew.
    pub fn reuse(&self, ctx: &Ctx<'_, '_>, cols: &Columns, port: Option<u16>, memo: &Memo) -> Reuse<'p> {
        let touched_list: Vec<usize> = (0..self.touched.len()).filter(|&v| self.touched[v]).collect();
        // A column changes when its VPC was touched or the internet's flow to it (composed
        // answers) is not kept. Columns outside the groups (the internet, services) are
        // answered from the row's own flows or its atoms' (never composed): a kept line keeps
        // them.
        let inbound_kept = |j: u32| {
            !cols.is_public(j as usize)
                || memo.contains_key(&Key { from: Ep::Internet, to: cols.eps[j as usize], port })
        };
        let group_dirty: Vec<bool> =
            cols.groups.iter().map(|(w, list)| self.touched[*w] || !list.iter().all(|&j| inbound_kept(j))).collect();
        let mut dirty_cols: Vec<usize> = Vec::new();
        for (g, (_, list)) in cols.groups.iter().enumerate() {
            if group_dirty[g] {
                dirty_cols.extend(list.iter().map(|&j| j as usize));
            }
        }
        let mut col_dirty = vec![false; cols.eps.len()];
        for &j in &dirty_cols {
            col_dirty[j] = true;
        }
        let lines = ctx
            .classes
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let old = self.old_class.get(ci).copied().flatten()? as usize;
                let v = c.vpc.filter(|_| !ctx.colliding[c.rep()])?;
                // A row that may enter a touched VPC, or rests on a flow traced anew, is
                // filled anew.
                if touched_list.iter().any(|&t| ctx.scope.closure[v].contains(t)) {
                    return None;
                }
                let rests = self.grid.rests.get(old)?;
                if !rests.all_kept(memo, self.touched) {
                    return None;
                }
                Some((self.grid.lines.get(old)?, rests))
            })
            .collect();
        let mut overrides: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
        for (&(r, c), &cell) in &self.grid.overrides {
            if !col_dirty[c as usize] {
                overrides.entry(r).or_default().push((c, cell));
            }
        }
        Reuse { lines, group_dirty, dirty_cols, overrides }
    }
}

impl<'p> Reuse<'p> {
    /// The kept line of class `ci` and what it rested on.
    pub fn kept(&self, ci: usize) -> Option<Kept<'p>> {
        self.lines.get(ci).copied().flatten()
    }

    /// The line of a kept class whose dirty columns were filled anew in `fresh`: the old line
    /// itself when they hold what they held (then the two matrices share it).
    pub fn patch(&self, old: &Arc<[u32]>, fresh: &[u32]) -> Arc<[u32]> {
        if self.dirty_cols.iter().all(|&j| old[j] == fresh[j]) {
            return old.clone();
        }
        let mut line = old.to_vec();
        for &j in &self.dirty_cols {
            line[j] = fresh[j];
        }
        Arc::from(line)
    }

    /// The old per-pair answers a kept class keeps.
    pub fn carried<'s>(&'s self, ci: usize, class: &'s Class) -> impl Iterator<Item = ((u32, u32), u32)> + 's {
        let kept = self.kept(ci).is_some();
        class
            .rows
            .iter()
            .filter(move |_| kept)
            .filter_map(|&r| self.overrides.get(&(r as u32)).map(move |v| (r as u32, v)))
            .flat_map(|(r, v)| v.iter().map(move |&(c, cell)| ((r, c), cell)))
    }
}

#[cfg(test)]
mod tests {
    use super::Change;
    use crate::model::gen::generate;

    #[test]
    fn a_route_edit_touches_its_vpc_and_a_peering_edit_everything() {
        let old = generate(3, 1);
        let mut new = old.clone();
        new.route_tables[1].routes.pop();
        let c = Change::of_ids(&old, &new, &[new.route_tables[1].id.as_str()]);
        assert!(!c.global);
        assert_eq!(c.vpcs.len(), 1);
        let c = Change::of_ids(&old, &new, &["pcx-gone"]);
        assert!(c.global);
    }

    #[test]
    fn comparing_kind_by_kind_finds_the_change_the_resource_differences_give() {
        use crate::sim::diff::resource_changes;
        let old = generate(4, 2);
        let between = |new: &crate::model::Design| Change::between(&old, new, &resource_changes(&old, new));
        // Edited in place, added, removed, and moved in its list.
        let mut edited = old.clone();
        edited.route_tables[2].routes.pop();
        edited.security_groups[1].ingress.clear();
        let mut added = old.clone();
        let mut g = added.security_groups[0].clone();
        g.id = "sg-added".into();
        added.security_groups.insert(1, g);
        let mut removed = old.clone();
        removed.route_tables.remove(3);
        removed.network_acls.pop();
        let mut moved = old.clone();
        moved.security_groups.swap(0, 2);
        for new in [&old, &edited, &added, &removed, &moved] {
            assert_eq!(Change::of_designs(&old, new), between(new));
        }
        assert!(Change::of_designs(&old, &old).vpcs.is_empty());
        assert!(!Change::of_designs(&old, &edited).vpcs.is_empty());
    }
}
