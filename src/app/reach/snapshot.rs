//! Copies of the design for the background, made on the UI thread without copying the design:
//! an edit changes a few resources, so a copy handed out before (and since given back) is
//! brought up to date by copying the resources the edits since then touched (the app knows
//! them: [`Snapshots::touched`]), or, after a change of the whole design, by comparing it with
//! the design (fast: no allocation) and copying only the resources that differ. A full copy of
//! a 1000-VPC design takes tens of milliseconds; a full comparison a few; an update after one
//! edit, microseconds.

pub use crate::model::sync::sync;
use crate::model::sync::sync_ids;
use crate::model::{Design, Id};
use std::collections::HashSet;
use std::sync::Arc;

/// How many copies are kept: the what-if holds at most three at once (the design compared
/// last, the one being compared, the newest one waiting), the reachability view one.
const KEEP: usize = 5;

/// What changed in the design since a copy was last brought up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Dirty {
    /// The resources with these ids (added, changed or removed).
    Ids(HashSet<Id>),
    /// Anything.
    All,
}

/// The copies handed out, for reuse once nothing else holds them.
#[derive(Debug, Default)]
pub struct Snapshots {
    /// Each copy and what changed in the design since it was last brought up to date.
    copies: Vec<(Arc<Design>, Dirty)>,
}

impl Snapshots {
    /// The design changed: the resources in `touched` (`None`: anything). Every copy must hear
    /// of every change of the design, or [`Snapshots::take`] gives a stale one.
    pub fn touched(&mut self, touched: Option<&[Id]>) {
        for (_, dirty) in &mut self.copies {
            match (touched, &mut *dirty) {
                (_, Dirty::All) => {}
                (None, d) => *d = Dirty::All,
                (Some(ids), Dirty::Ids(set)) => set.extend(ids.iter().cloned()),
            }
        }
    }

    /// A copy of `d` that nothing else will change: a copy given back, updated, or a new one.
    /// The copy equals `d` only if every change of the design was told ([`Snapshots::touched`]):
    /// tests hold the app to that (`tests/tui`, the what-if's copies after each kind of edit),
    /// since comparing whole designs here would slow every edit of a large design.
    pub fn take(&mut self, d: &Design) -> Arc<Design> {
        for (c, dirty) in &mut self.copies {
            if let Some(m) = Arc::get_mut(c) {
                match std::mem::replace(dirty, Dirty::Ids(HashSet::new())) {
                    Dirty::All => sync(m, d),
                    Dirty::Ids(ids) => sync_ids(m, d, &ids),
                }
                return c.clone();
            }
        }
        let c = Arc::new(d.clone());
        if self.copies.len() < KEEP {
            self.copies.push((c.clone(), Dirty::Ids(HashSet::new())));
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::gen::generate;

    #[test]
    fn a_copy_given_back_is_updated_to_the_design_and_one_still_held_is_not_touched() {
        let d = generate(3, 7);
        let mut s = Snapshots::default();
        let first = s.take(&d);
        assert_eq!(*first, d);
        let mut e = d.clone();
        e.subnets.remove(1);
        e.route_tables[0].routes.pop();
        e.name = "edited".into();
        // `first` is still held: a second copy is made.
        let second = s.take(&e);
        assert_eq!(*second, e);
        assert_eq!(*first, d);
        drop(first);
        // Given back: updated in place to the newest design (changed as a whole).
        let mut f = e.clone();
        f.vpcs.push(f.vpcs[0].clone());
        f.security_groups.clear();
        s.touched(None);
        let third = s.take(&f);
        assert_eq!(*third, f);
        assert_eq!(s.copies.len(), 2);
    }

    #[test]
    fn a_copy_given_back_follows_the_resources_the_edits_touched() {
        let d = generate(4, 3);
        let mut s = Snapshots::default();
        drop(s.take(&d));
        let mut cur = d.clone();
        // Edited in place, several edits before the copy is taken again.
        cur.route_tables[2].routes.pop();
        s.touched(Some(&[cur.route_tables[2].id.clone()]));
        cur.security_groups[1].ingress.clear();
        cur.name = "renamed".into();
        s.touched(Some(&[cur.security_groups[1].id.clone()]));
        assert_eq!(*s.take(&cur), cur);
        // Added, removed, and one removed while another is added (the same length).
        let mut g = cur.security_groups[0].clone();
        g.id = "sg-added".into();
        cur.security_groups.insert(1, g);
        s.touched(Some(&["sg-added".to_string()]));
        assert_eq!(*s.take(&cur), cur);
        let gone = cur.route_tables.remove(3).id;
        s.touched(Some(&[gone]));
        assert_eq!(*s.take(&cur), cur);
        let mut t = cur.route_tables[0].clone();
        t.id = "rtb-added".into();
        let gone = std::mem::replace(&mut cur.route_tables[1], t).id;
        s.touched(Some(&[gone, "rtb-added".to_string()]));
        assert_eq!(*s.take(&cur), cur);
        // Nothing touched: nothing to copy.
        s.touched(Some(&[]));
        assert_eq!(*s.take(&cur), cur);
    }
}
