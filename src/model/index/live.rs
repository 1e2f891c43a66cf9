//! The index kept between edits: [`LiveIndex`].

use super::*;

/// An index kept between edits: the maps asked for so far, with keys of its own, brought up
/// to date by [`LiveIndex::update`] for what each edit touched. Read it through
/// [`LiveIndex::view`], always with the design as the last update left it; it then answers
/// exactly what [`DesignIndex::new`] of that design answers.
#[derive(Debug, Clone, Default)]
pub struct LiveIndex {
    maps: MapSet<'static>,
    /// The length of each of the design's lists when last brought up to date.
    lens: [usize; KINDS],
}

impl LiveIndex {
    /// An index of `d`; nothing is built until a view asks for it.
    pub fn new(d: &Design) -> LiveIndex {
        LiveIndex { maps: MapSet::default(), lens: std::array::from_fn(|k| list_len(d, ResourceKind::ALL[k])) }
    }

    /// The index, for the design it was last brought up to date with.
    pub fn view<'a>(&'a self, d: &'a Design) -> DesignIndex<'a> {
        DesignIndex { d, maps: Maps::Live(&self.maps) }
    }

    /// Bring the maps built so far up to date after an edit of `touched` (everything it
    /// added, changed or removed, as `Applied::touched` lists them; nothing: anything may have
    /// changed). A list whose touched resources were changed in place, added at its end or
    /// removed from its end has only their positions updated; any other change of a list (a
    /// resource removed or put back in the middle, an id held twice) drops its maps, built
    /// again when next asked for.
    pub fn update(&mut self, d: &Design, touched: &[&str]) {
        for kind in ResourceKind::ALL {
            let k = kind as usize;
            let (old, new) = (self.lens[k], list_len(d, kind));
            let Some(ids) = self.maps.ids[k].get() else { continue };
            let changed =
                if touched.is_empty() || ids.len() != old { None } else { edited(d, kind, ids, touched, old, new) };
            let Some(changed) = changed else {
                self.forget(kind);
                continue;
            };
            if changed.is_empty() {
                continue;
            }
            // The ids of what left the end of the list, and of what joined it.
            let ids = self.maps.ids[k].get_mut().expect("built");
            if new < old {
                ids.retain(|_, p| *p < new);
            }
            for p in old..new {
                let id = id_at(d, kind, p).expect("in the list");
                if !ids.contains_key(id) {
                    ids.insert(Cow::Owned(id.to_owned()), p);
                }
            }
            for g in ALL_GROUPS.into_iter().filter(|g| g.kind() == kind) {
                if let Some(m) = self.maps.groups[g as usize].get_mut() {
                    regroup(d, g, m, &changed, new);
                }
            }
        }
        self.lens = std::array::from_fn(|k| list_len(d, ResourceKind::ALL[k]));
    }

    /// Drop the maps of one list.
    fn forget(&mut self, kind: ResourceKind) {
        self.maps.ids[kind as usize] = OnceLock::new();
        for g in ALL_GROUPS.into_iter().filter(|g| g.kind() == kind) {
            self.maps.groups[g as usize] = OnceLock::new();
        }
    }

    /// Build every map (so the next updates keep them all: tests).
    pub fn build_all(&self, d: &Design) {
        let ix = self.view(d);
        for kind in ResourceKind::ALL {
            ix.ids(kind);
        }
        for g in ALL_GROUPS {
            ix.group(g);
        }
    }

    /// Where the maps built so far differ from a fresh index of `d` (tests: none).
    pub fn differences(&self, d: &Design) -> Vec<String> {
        let fresh = DesignIndex::new(d);
        let mut out = Vec::new();
        for kind in ResourceKind::ALL {
            if let Some(m) = self.maps.ids[kind as usize].get() {
                if m != fresh.ids(kind) {
                    out.push(format!("ids of {kind:?}: kept {m:?}, fresh {:?}", fresh.ids(kind)));
                }
            }
        }
        for g in ALL_GROUPS {
            if let Some(m) = self.maps.groups[g as usize].get() {
                if m != fresh.group(g) {
                    out.push(format!("{g:?}: kept {m:?}, fresh {:?}", fresh.group(g)));
                }
            }
        }
        out
    }
}

/// The positions of `kind`'s list an edit of `touched` changed, added or removed, when it
/// changed resources in place, added them at the end or removed them from the end (`old` and
/// `new` are the list's lengths before and after); `None` for any other change. `ids` is the
/// list's ids map before the edit, one id per position.
fn edited(
    d: &Design,
    kind: ResourceKind,
    ids: &Ids<'_>,
    touched: &[&str],
    old: usize,
    new: usize,
) -> Option<Vec<usize>> {
    let mut changed: Vec<usize> = Vec::new();
    for t in touched {
        if let Some(&p) = ids.get(*t) {
            // Still where it was, or gone from the end.
            if p < new && id_at(d, kind, p) != Some(*t) {
                return None;
            }
            changed.push(p);
        }
    }
    // What joined the end is new (an old resource there moved).
    for p in old..new {
        if ids.contains_key(id_at(d, kind, p)?) {
            return None;
        }
        changed.push(p);
    }
    changed.sort_unstable();
    changed.dedup();
    // Everything past the new end was touched (removed).
    let gone = changed.iter().filter(|&&p| p >= new && p < old).count();
    (gone == old.saturating_sub(new)).then_some(changed)
}

/// Put the positions `changed` (sorted) of a grouping map where the design now has them:
/// out of every key, then under the keys their resources name now (`new`: the list's length).
fn regroup(d: &Design, g: G, m: &mut Groups<'static>, changed: &[usize], new: usize) {
    m.retain(|_, v| {
        v.retain(|p| changed.binary_search(p).is_err());
        !v.is_empty()
    });
    let mut keys: Vec<&str> = Vec::new();
    let mut placed: Vec<&str> = Vec::new();
    for &p in changed.iter().filter(|&&p| p < new) {
        keys.clear();
        g.keys(d, p, &mut keys);
        for &k in &keys {
            if !m.contains_key(k) {
                m.insert(Cow::Owned(k.to_owned()), Vec::new());
            }
            g.place(m.get_mut(k).expect("inserted"), p);
            placed.push(k);
        }
    }
    if g == G::InterfacesByInstance {
        for k in placed {
            if let Some(v) = m.get_mut(k) {
                g.sort(d, v);
            }
        }
    }
}

#[cfg(test)]
mod live_tests {
    use super::*;

    /// A kept index with every map built, brought up to date after `edit`, is a fresh index.
    fn follows(edit: impl FnOnce(&mut Design) -> Vec<Id>) {
        let mut d = crate::model::gen::generate(3, 7);
        let mut live = LiveIndex::new(&d);
        live.build_all(&d);
        let touched = edit(&mut d);
        let ids: Vec<&str> = touched.iter().map(String::as_str).collect();
        live.update(&d, &ids);
        assert_eq!(live.differences(&d), Vec::<String>::new());
        live.build_all(&d);
        assert_eq!(live.differences(&d), Vec::<String>::new());
    }

    #[test]
    fn a_kept_index_follows_edits_in_place_appends_and_removals() {
        // In place: a subnet moves to another table, an interface to another subnet.
        follows(|d| {
            let s = d.subnets[0].id.clone();
            let t = d
                .route_tables
                .iter()
                .find(|t| t.vpc == d.subnets[0].vpc && !t.subnets.contains(&s))
                .map(|t| t.id.clone());
            let mut touched = vec![s.clone()];
            touched.extend(d.route_tables.iter().filter(|t| t.subnets.contains(&s)).map(|t| t.id.clone()));
            if let Some(t) = t {
                let _ = d.associate_route_table(&s, &t);
                touched.push(t);
            }
            let other = d.subnets[1].id.clone();
            d.network_interfaces[0].subnet = other;
            d.network_interfaces[0].device_index = 7;
            touched.push(d.network_interfaces[0].id.clone());
            touched
        });
        // Appended at the end, then removed from the end.
        follows(|d| {
            let mut s = d.subnets[0].clone();
            s.id = "subnet-new".into();
            d.subnets.push(s);
            let gone = d.route_tables.pop().map(|t| t.id).into_iter();
            gone.chain(["subnet-new".to_string()]).collect()
        });
        // Removed from the middle (the list's maps are built again), an id held twice.
        follows(|d| vec![d.subnets.remove(1).id]);
        follows(|d| {
            let twin = d.security_groups[0].clone();
            d.security_groups.push(twin);
            vec![d.security_groups[0].id.clone()]
        });
        // Nothing listed: anything may have changed.
        follows(|d| {
            d.vpcs.reverse();
            vec![]
        });
    }
}
