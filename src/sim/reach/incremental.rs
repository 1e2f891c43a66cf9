//! Recomputing a matrix after a change: traced flows that pass no VPC the change touched are
//! kept, everything else is traced again. Whether two pairs share an answer is decided afresh
//! (it is cheap); only the traces are reused.
//!
//! A flow's answer depends on the components it passes (the hops name them) and on lookups by
//! address in the VPCs it enters, so a change confined to other VPCs cannot alter it. Changes
//! that are not confined to VPCs (peerings, transit gateways, prefix lists, Elastic IPs, VPC
//! CIDRs, added or removed subnets) recompute everything.

use super::{compute_with, Matrix, ReachOptions};
use crate::model::{Design, ResourceKind};
use crate::sim::diff::ResourceChange;
use std::collections::HashSet;

/// What a change touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Ids of the VPCs whose resources changed.
    pub vpcs: HashSet<String>,
    /// Something outside any one VPC changed: nothing can be kept.
    pub global: bool,
}

impl Change {
    /// The change between two designs, from their resource-level differences.
    pub fn between(old: &Design, new: &Design, changes: &[ResourceChange]) -> Change {
        let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
        Change::of_ids(old, new, &ids)
    }

    /// The change made by editing the resources with these ids (in either design).
    pub fn of_ids(old: &Design, new: &Design, ids: &[&str]) -> Change {
        let mut c = Change::default();
        if old.features != new.features || old.default_region != new.default_region || old.regions != new.regions {
            c.global = true;
        }
        let vpcs = |d: &Design| d.vpcs.iter().map(|v| v.id.clone()).collect::<Vec<_>>();
        let subnets = |d: &Design| d.subnets.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        if vpcs(old) != vpcs(new) || subnets(old) != subnets(new) {
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
    pub fn recompute(&self, new: &Design, options: &ReachOptions, change: &Change) -> Result<Matrix, String> {
        let same_shape = !change.global
            && self.options.protocol == options.protocol
            && self.subnet_ids.len() == new.subnets.len()
            && self.subnet_ids.iter().zip(&new.subnets).all(|(a, b)| *a == b.id)
            && self.vpc_ids.len() == new.vpcs.len()
            && self.vpc_ids.iter().zip(&new.vpcs).all(|(a, b)| *a == b.id)
            && super::services_of(options) == self.services;
        if !same_shape {
            return super::compute(new, options);
        }
        let touched: HashSet<u32> =
            new.vpcs.iter().enumerate().filter(|(_, v)| change.vpcs.contains(&v.id)).map(|(i, _)| i as u32).collect();
        let memo = self
            .memo
            .iter()
            .filter(|(_, s)| !s.vpcs.iter().any(|v| touched.contains(v)))
            .map(|(k, s)| (*k, s.clone()))
            .collect();
        compute_with(new, options, memo, self.cells.clone())
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
}
