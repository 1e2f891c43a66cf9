//! Findings kept per scope and refreshed for what an edit touched, so the app can keep its
//! findings current after every edit without checking the whole design again.
//!
//! A scope is one VPC (everything it holds: subnets, tables, gateways, groups, interfaces …)
//! or the links between VPCs and what belongs to no VPC (peerings, transit gateway
//! attachments, Elastic IPs, endpoint services, associations counted across the design). After
//! an edit, [`CheckState::refresh`] checks again the VPCs the touched resources belong to,
//! belonged to, refer to or are referred to from, and the links scope; every other VPC keeps its
//! findings. The result is always what [`super::check_design`] gives for the same design.

use super::{check_links, check_vpc, finish, Ctx, Finding, Findings};
use crate::model::references::ReferenceMap;
use crate::model::{Design, DesignIndex, Id, ResourceKind, ServiceCatalog};
use std::collections::{HashMap, HashSet};

/// The part of a design a group of findings is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CheckScope {
    /// One VPC and everything it holds.
    Vpc(Id),
    /// Links between VPCs, and resources that belong to no VPC of the design.
    Links,
}

/// The findings of a design, kept per scope.
#[derive(Debug, Clone, Default)]
pub struct CheckState {
    by_scope: HashMap<CheckScope, Vec<Finding>>,
    /// The VPC each resource belonged to when last checked (to find where a deleted or moved
    /// resource's findings are).
    owner: HashMap<Id, Id>,
    /// Every reference of the design as last checked, both ways, brought up to date for what
    /// each edit touched: it answers "what refers to what the edit touched" without a pass
    /// over the design.
    refs: ReferenceMap,
    /// The ids whose references changed with the last refresh.
    retargeted: HashSet<Id>,
    findings: Vec<Finding>,
}

/// The VPC a resource is checked with.
fn owner_of<'a>(ix: &DesignIndex<'a>, id: &str) -> Option<&'a str> {
    ix.vpc_of(id).map(|v| v.id.as_str())
}

impl CheckState {
    /// Check a whole design.
    pub fn new(d: &Design) -> CheckState {
        let ix = DesignIndex::new(d);
        let cx = Ctx::new(&ix);
        let mut state = CheckState::default();
        for v in &d.vpcs {
            let mut out = Findings::default();
            check_vpc(&cx, v, &mut out);
            state.by_scope.entry(CheckScope::Vpc(v.id.clone())).or_default().extend(out.0);
        }
        let mut out = Findings::default();
        check_links(&cx, &mut out);
        state.by_scope.insert(CheckScope::Links, out.0);
        for r in d.resources() {
            if let Some(v) = owner_of(&ix, r.id()) {
                state.owner.entry(r.id().to_string()).or_insert_with(|| v.to_string());
            }
        }
        state.refs = ReferenceMap::new(d);
        state.merge(&cx);
        state
    }

    /// Every reference of the design, both ways, as of the last refresh.
    pub fn references(&self) -> &ReferenceMap {
        &self.refs
    }

    /// The ids the references to which the last refresh changed (whose "used by" lists to
    /// build again).
    pub fn retargeted(&self) -> &HashSet<Id> {
        &self.retargeted
    }

    /// Every finding, sorted as [`super::check_design`] sorts them.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings of one scope, unsorted.
    pub fn scope(&self, scope: &CheckScope) -> &[Finding] {
        self.by_scope.get(scope).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Bring the findings up to date after an edit. `touched` lists every resource the edit
    /// added, changed or removed: a cascade's removals and the resources that lost a link to
    /// them included (`Design::delete_touching` reports both). Returns the VPCs checked again.
    pub fn refresh(&mut self, d: &Design, touched: &[&str]) -> Vec<Id> {
        self.refresh_in(&DesignIndex::new(d), touched)
    }

    /// [`CheckState::refresh`] with the design's index at hand.
    pub fn refresh_in<'a>(&mut self, ix: &'a DesignIndex<'a>, touched: &[&str]) -> Vec<Id> {
        let d = ix.design();
        let cx = Ctx::new(ix);
        let vpcs = self.affected(d, ix, touched);
        for v in &vpcs {
            self.by_scope.remove(&CheckScope::Vpc(v.clone()));
            let mut out = Findings::default();
            for vpc in d.vpcs.iter().filter(|x| x.id == *v) {
                check_vpc(&cx, vpc, &mut out);
            }
            if ix.vpc(v).is_some() {
                self.by_scope.insert(CheckScope::Vpc(v.clone()), out.0);
            }
        }
        let mut out = Findings::default();
        check_links(&cx, &mut out);
        self.by_scope.insert(CheckScope::Links, out.0);
        for t in touched {
            match owner_of(ix, t) {
                Some(v) => {
                    self.owner.insert(t.to_string(), v.to_string());
                }
                None => {
                    self.owner.remove(*t);
                }
            }
        }
        self.merge(&cx);
        let mut vpcs: Vec<Id> = vpcs.into_iter().collect();
        vpcs.sort();
        vpcs
    }

    /// The VPCs whose findings an edit of `touched` can change.
    fn affected(&mut self, d: &Design, ix: &DesignIndex<'_>, touched: &[&str]) -> HashSet<Id> {
        let touched: HashSet<&str> = touched.iter().copied().collect();
        let mut vpcs: HashSet<Id> = HashSet::new();
        // Scopes holding a finding about a touched resource (it may be gone now).
        for (scope, findings) in &self.by_scope {
            if let CheckScope::Vpc(v) = scope {
                if findings.iter().any(|f| f.resources.iter().any(|r| touched.contains(r.as_str()))) {
                    vpcs.insert(v.clone());
                }
            }
        }
        for t in &touched {
            vpcs.extend(self.owner.get(*t).cloned());
            vpcs.extend(owner_of(ix, t).map(str::to_string));
            if self.by_scope.contains_key(&CheckScope::Vpc(t.to_string())) {
                vpcs.insert(t.to_string());
            }
        }
        // What the touched resources referred to before the edit and refer to now, and what
        // refers to those: a VPC's findings read what it refers to (the other side of a
        // peering, an Elastic IP another VPC uses too, a subnet another VPC's table lists).
        self.reach(ix, &touched, &mut vpcs);
        self.retargeted = self.refs.update(ix, touched.iter().copied().collect::<Vec<_>>().as_slice());
        self.reach(ix, &touched, &mut vpcs);
        // Endpoints name their service by service name, not by id: a touched endpoint service
        // (or a load balancer behind one) concerns every endpoint of a service not in the
        // AWS catalog.
        let services = touched.iter().any(|t| {
            matches!(ix.kind(t), Some(ResourceKind::EndpointService | ResourceKind::LoadBalancer))
                || !ix.contains(t) && !self.owner.contains_key(*t)
        });
        if services {
            let cat = ServiceCatalog::builtin();
            for e in d.endpoints.iter().filter(|e| cat.by_service_name(&e.service_name).is_none()) {
                vpcs.insert(e.vpc.clone());
            }
        }
        vpcs
    }

    /// Add the VPCs of what refers to a touched resource, of what a touched resource refers to,
    /// and one step further: what refers to that. An interface moved to another VPC changes
    /// what a route to its instance says (R5), though the route names the instance and the
    /// instance's VPC is now the other one. A resource of no VPC (a peering, an Elastic IP)
    /// that refers to or is referred to by a touched one stands for the VPCs it refers to.
    fn reach(&self, ix: &DesignIndex<'_>, touched: &HashSet<&str>, vpcs: &mut HashSet<Id>) {
        let refs = &self.refs;
        // A resource's VPC now, or when last checked (it may be gone).
        let owner = |id: &str| owner_of(ix, id).map(str::to_string).or_else(|| self.owner.get(id).cloned());
        let add = |id: &str, vpcs: &mut HashSet<Id>| match owner(id) {
            Some(v) => {
                vpcs.insert(v);
            }
            None => {
                for r in refs.from(id) {
                    vpcs.extend(owner(&r.to));
                }
            }
        };
        for t in touched {
            for f in refs.referrers(t) {
                add(f, vpcs);
            }
            for r in refs.from(t) {
                add(&r.to, vpcs);
                // One step further, what holds a VPC only: a subnet's edit does not concern
                // the VPCs peered with its VPC.
                for f in refs.referrers(&r.to) {
                    vpcs.extend(owner(f));
                }
            }
        }
    }

    /// Gather every scope into the sorted list, VPCs in design order then the links, as
    /// `check_design` produces them (so ties sort the same way).
    fn merge(&mut self, cx: &Ctx) {
        let mut all: Vec<Finding> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for v in cx.d.vpcs.iter().filter(|v| seen.insert(v.id.as_str())) {
            all.extend(self.scope(&CheckScope::Vpc(v.id.clone())).iter().cloned());
        }
        all.extend(self.scope(&CheckScope::Links).iter().cloned());
        self.findings = finish(cx, all);
    }
}
