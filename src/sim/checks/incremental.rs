//! Findings kept per scope and refreshed for what an edit touched, so the app can keep its
//! findings current after every edit without checking the whole design again.
//!
//! A scope is one VPC (everything it holds: subnets, tables, gateways, groups, interfaces …)
//! or the links between VPCs and what belongs to no VPC (peerings, transit gateway
//! attachments, Elastic IPs, endpoint services, associations counted across the design). After
//! an edit, [`CheckState::refresh`] checks again the VPCs the touched resources belong to,
//! belonged to, refer to or are referred to from; every other VPC keeps its findings. The links
//! scope is checked again only when the edit can change it (see [`CheckState::links_touched`]):
//! a design with transit gateways, inspection, edge tables, endpoint services or managed
//! services, or an edit that reaches a resource of no VPC, a missing id or a resource a links
//! finding names. The result is always what [`super::check_design`] gives for the same design.
//!
//! The sorted list is kept too, each finding with its scope's place, and a refresh replaces
//! only the findings of the scopes it checked again: they are sorted among themselves and
//! merged into the list in place, no finding of another scope is copied or compared with
//! another, and [`CheckState::runs`] says which positions kept their finding (so the app
//! replaces only those too). A VPC added, removed or moved, or a change of the external
//! resources imports leave out, orders everything again.

use super::{check_links, check_vpc, Ctx, Finding, Findings};
use crate::model::references::ReferenceMap;
use crate::model::{Design, DesignIndex, Id, LiveIndex, ResourceKind, ServiceCatalog};
use std::collections::{HashMap, HashSet};

/// Where a finding of the sorted list comes from: its scope's place (the VPCs in design
/// order, then the links) and its own among that scope's findings sorted by key. Ties of the
/// key sort by it, as the stable sort of `check_design` keeps them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    scope: u32,
    idx: u32,
}

/// How the findings after a refresh are made of the findings before it: one run after the
/// other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// `len` findings, the same as at positions `from..` before.
    Kept { from: usize, len: usize },
    /// `len` findings that are new (or that moved).
    Fresh { len: usize },
}

/// The order of the sorted list: severity, code, resources, then where it comes from.
fn key(f: &Finding) -> (super::Severity, &str, &[String]) {
    (f.severity, f.code.as_str(), f.resources.as_slice())
}

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
    /// The place of each finding of `findings`.
    places: Vec<Place>,
    /// Findings equal to one before them in the sorted list, left out (as `check_design`
    /// drops duplicates): one may be the only one left after a refresh.
    hidden: Vec<(Place, Finding)>,
    /// The VPCs' ids in the order of their places, as last merged.
    order: Vec<Id>,
    /// The resources left out of the findings (external ones of an import), as last merged.
    external: HashSet<Id>,
    /// How the last refresh made `findings` of the ones before.
    runs: Vec<Run>,
    /// Every id a finding of the links scope names.
    links_ids: HashSet<Id>,
    /// Whether the design held, when last checked, anything the links scope checks as a whole
    /// ([`design_wide_links`]), and its default region (`REGION_INVALID`).
    links_design_wide: bool,
    default_region: String,
    /// Whether the last refresh checked the links scope again.
    links_rechecked: bool,
    /// The design's index, kept between refreshes and brought up to date for what each edit
    /// touched (a fresh index of a large design costs more than checking one VPC).
    index: LiveIndex,
}

/// The VPC a resource is checked with.
fn owner_of<'a>(ix: &DesignIndex<'a>, id: &str) -> Option<&'a str> {
    ix.vpc_of(id).map(|v| v.id.as_str())
}

impl CheckState {
    /// Check a whole design.
    pub fn new(d: &Design) -> CheckState {
        let index = LiveIndex::new(d);
        let mut state = CheckState::default();
        {
            let ix = index.view(d);
            let cx = Ctx::new(&ix);
            for v in &d.vpcs {
                let mut out = Findings::default();
                check_vpc(&cx, v, &mut out);
                state.by_scope.entry(CheckScope::Vpc(v.id.clone())).or_default().extend(out.0);
            }
            state.recheck_links(&cx);
            for r in d.resources() {
                if let Some(v) = owner_of(&ix, r.id()) {
                    state.owner.entry(r.id().to_string()).or_insert_with(|| v.to_string());
                }
            }
            state.refs = ReferenceMap::new(d);
            state.merge_all(&cx);
        }
        state.index = index;
        state
    }

    /// The design's index as the last refresh left it: read it with that design only.
    pub fn index<'a>(&'a self, d: &'a Design) -> DesignIndex<'a> {
        self.index.view(d)
    }

    /// The kept index (tests compare it with a fresh one).
    pub fn live_index(&self) -> &LiveIndex {
        &self.index
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

    /// Whether the last refresh checked the links scope again (it does when the edit can
    /// change it).
    pub fn links_rechecked(&self) -> bool {
        self.links_rechecked
    }

    /// Every finding, sorted as [`super::check_design`] sorts them.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// How the last refresh made [`CheckState::findings`] of the findings before it (a whole
    /// new list: one fresh run).
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// The findings of one scope, unsorted.
    pub fn scope(&self, scope: &CheckScope) -> &[Finding] {
        self.by_scope.get(scope).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Bring the findings up to date after an edit. `touched` lists every resource the edit
    /// added, changed or removed: a cascade's removals and the resources that lost a link to
    /// them included (`Design::delete_touching` reports both). Returns the VPCs checked again.
    pub fn refresh(&mut self, d: &Design, touched: &[&str]) -> Vec<Id> {
        let mut index = std::mem::take(&mut self.index);
        index.update(d, touched);
        let out = self.refresh_in(&index.view(d), touched);
        self.index = index;
        out
    }

    /// [`CheckState::refresh`] with the design's index at hand (the kept one is dropped: it
    /// no longer follows the design).
    pub fn refresh_in<'a>(&mut self, ix: &'a DesignIndex<'a>, touched: &[&str]) -> Vec<Id> {
        let d = ix.design();
        let cx = Ctx::new(ix);
        self.index = LiveIndex::default();
        let (vpcs, links) = self.affected(d, ix, touched);
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
        if links {
            self.recheck_links(&cx);
        }
        self.links_rechecked = links;
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
        self.merge(&cx, &vpcs, links);
        let mut vpcs: Vec<Id> = vpcs.into_iter().collect();
        vpcs.sort();
        vpcs
    }

    /// Check the links scope again, and remember what it read and named.
    fn recheck_links(&mut self, cx: &Ctx) {
        let mut out = Findings::default();
        check_links(cx, &mut out);
        self.links_ids = out.0.iter().flat_map(|f| f.resources.iter().cloned()).collect();
        self.links_design_wide = design_wide_links(cx.d);
        self.default_region = cx.d.default_region.clone();
        self.by_scope.insert(CheckScope::Links, out.0);
    }

    /// The VPCs whose findings an edit of `touched` can change, and whether the links scope's
    /// can change.
    fn affected(&mut self, d: &Design, ix: &DesignIndex<'_>, touched: &[&str]) -> (HashSet<Id>, bool) {
        let touched: HashSet<&str> = touched.iter().copied().collect();
        // What the links scope reads as a whole, before and after the edit; an edit no list
        // describes (nothing touched) is checked everywhere.
        let mut links = touched.is_empty()
            || self.links_design_wide
            || design_wide_links(d)
            || self.default_region != d.default_region;
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
        links = links || self.links_touched(ix, &touched);
        self.retargeted = self.refs.update(ix, touched.iter().copied().collect::<Vec<_>>().as_slice());
        self.reach(ix, &touched, &mut vpcs);
        links = links || self.links_touched(ix, &touched);
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
        (vpcs, links)
    }

    /// Whether an edit of `touched` can change the links scope of a design holding nothing it
    /// checks as a whole ([`design_wide_links`]). Its findings are then about resources whose
    /// VPC (or subnet, or instance) is not in the design, and they name what those refer to and
    /// what refers to that. So the scope is checked again when, within two steps of a touched
    /// resource (as [`CheckState::reach`] walks them, with the references as they are now:
    /// called before and after the map is brought up to date), there is an id the design does
    /// not hold, an empty id, a resource that can belong to a VPC but belongs to none, or an id
    /// a links finding names.
    fn links_touched(&self, ix: &DesignIndex<'_>, touched: &HashSet<&str>) -> bool {
        let refs = &self.refs;
        let concerns = |id: &str| {
            if self.links_ids.contains(id) || id.chars().all(char::is_whitespace) {
                return true;
            }
            match ix.kind(id) {
                None => true,
                Some(kind) => !never_in_links(kind) && owner_of(ix, id).is_none(),
            }
        };
        touched.iter().any(|t| {
            concerns(t)
                || refs.referrers(t).iter().any(|f| concerns(f))
                || refs.from(t).iter().any(|r| concerns(&r.to) || refs.referrers(&r.to).iter().any(|f| concerns(f)))
        })
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

    /// The VPCs' ids in design order, each once: the order of their places.
    fn vpc_order(d: &Design) -> Vec<Id> {
        let mut seen: HashSet<&str> = HashSet::new();
        d.vpcs.iter().filter(|v| seen.insert(v.id.as_str())).map(|v| v.id.clone()).collect()
    }

    /// A scope's findings as the sorted list holds them: without the external resources', in
    /// key order (ties as the checks made them), each with its place.
    fn placed(&self, scope: &CheckScope, at: u32) -> Vec<(Place, Finding)> {
        let mut out: Vec<Finding> = self
            .scope(scope)
            .iter()
            .filter(|f| f.resources.first().is_none_or(|r| !self.external.contains(r)))
            .cloned()
            .collect();
        out.sort_by(|a, b| key(a).cmp(&key(b)));
        out.into_iter().enumerate().map(|(i, f)| (Place { scope: at, idx: i as u32 }, f)).collect()
    }

    /// Gather every scope into the sorted list, VPCs in design order then the links, as
    /// `check_design` produces them (so ties sort the same way).
    fn merge_all(&mut self, cx: &Ctx) {
        self.order = Self::vpc_order(cx.d);
        self.external = cx.external_ids().into_iter().map(str::to_string).collect();
        let mut all: Vec<(Place, Finding)> = Vec::new();
        for (at, v) in self.order.iter().enumerate() {
            all.extend(self.placed(&CheckScope::Vpc(v.clone()), at as u32));
        }
        all.extend(self.placed(&CheckScope::Links, self.order.len() as u32));
        all.sort_by(|(p, a), (q, b)| (key(a), p).cmp(&(key(b), q)));
        self.findings.clear();
        self.places.clear();
        self.hidden.clear();
        for (p, f) in all {
            self.push(p, f, true);
        }
        self.runs = vec![Run::Fresh { len: self.findings.len() }];
    }

    /// Add a finding at the end of the sorted list, or to `hidden` when it equals the last
    /// one (`check`: when it may).
    fn push(&mut self, p: Place, f: Finding, check: bool) {
        if check && self.findings.last() == Some(&f) {
            self.hidden.push((p, f));
        } else {
            self.findings.push(f);
            self.places.push(p);
        }
    }

    /// Bring the sorted list up to date after the scopes of `vpcs` (and the links, when
    /// `links`) were checked again: their findings leave the list and their new ones are
    /// merged in; every other finding stays where it was, in order. Anything that moves the
    /// places (a VPC added, removed or moved; other external resources) merges all again.
    fn merge(&mut self, cx: &Ctx, vpcs: &HashSet<Id>, links: bool) {
        let external = cx.external_ids();
        let same_external =
            external.len() == self.external.len() && external.iter().all(|x| self.external.contains(*x));
        let same_order =
            self.order.len() == cx.d.vpcs.len() && self.order.iter().zip(&cx.d.vpcs).all(|(a, v)| *a == v.id);
        if !same_external || !same_order {
            return self.merge_all(cx);
        }
        let n = self.order.len();
        // Which places leave, and the findings that come in for them, sorted.
        let mut gone = vec![false; n + 1];
        let mut side: Vec<(Place, Finding)> = Vec::new();
        for (at, v) in self.order.iter().enumerate().filter(|(_, v)| vpcs.contains(*v)) {
            gone[at] = true;
            side.extend(self.placed(&CheckScope::Vpc(v.clone()), at as u32));
        }
        if links {
            gone[n] = true;
            side.extend(self.placed(&CheckScope::Links, n as u32));
        }
        let hidden = std::mem::take(&mut self.hidden);
        side.extend(hidden.into_iter().filter(|(p, _)| !gone[p.scope as usize]));
        side.sort_by(|(p, a), (q, b)| (key(a), p).cmp(&(key(b), q)));
        let findings = std::mem::take(&mut self.findings);
        let places = std::mem::take(&mut self.places);
        self.findings.reserve(findings.len() + side.len());
        self.places.reserve(places.len() + side.len());
        let mut runs: Vec<Run> = Vec::new();
        let mut run = |r: Run| match (runs.last_mut(), r) {
            (Some(Run::Kept { from, len }), Run::Kept { from: f, len: 1 }) if *from + *len == f => *len += 1,
            (Some(Run::Fresh { len }), Run::Fresh { len: 1 }) => *len += 1,
            _ => runs.push(r),
        };
        let mut side = side.into_iter().peekable();
        // Whether the next finding kept follows a change (only there can it equal the one
        // before it).
        let mut seam = false;
        for (i, (p, f)) in places.into_iter().zip(findings).enumerate() {
            if gone[p.scope as usize] {
                seam = true;
                continue;
            }
            while let Some((q, g)) = side.next_if(|(q, g)| (key(g), q) < (key(&f), &p)) {
                let before = self.findings.len();
                self.push(q, g, true);
                if self.findings.len() > before {
                    run(Run::Fresh { len: 1 });
                }
                seam = true;
            }
            let before = self.findings.len();
            self.push(p, f, seam);
            if self.findings.len() > before {
                run(Run::Kept { from: i, len: 1 });
            }
            seam = false;
        }
        for (q, g) in side {
            let before = self.findings.len();
            self.push(q, g, true);
            if self.findings.len() > before {
                run(Run::Fresh { len: 1 });
            }
        }
        self.runs = runs;
    }
}

/// Whether the design holds anything the links scope checks as a whole, whatever an edit
/// touched: transit gateway attachments and tables (T2, T3, N6, IPv6 over transit), inspection
/// (Network Firewall, Gateway Load Balancer endpoints: B2, F1, T9), edge route tables (R10),
/// endpoint services (E9), managed services (M1, M2, M7) and internet-facing load balancers
/// (M4). Each is a list that is empty in most designs, or a short scan without lookups.
fn design_wide_links(d: &Design) -> bool {
    use crate::model::{EndpointKind, LoadBalancerKind, LoadBalancerScheme};
    !d.tgw_attachments.is_empty()
        || !d.tgw_route_tables.is_empty()
        || !d.endpoint_services.is_empty()
        || !d.databases.is_empty()
        || !d.db_subnet_groups.is_empty()
        || !d.compute_services.is_empty()
        || !d.network_firewalls.is_empty()
        || d.endpoints.iter().any(|e| e.kind == EndpointKind::GatewayLoadBalancer)
        || d.route_tables.iter().any(|t| !t.gateways.is_empty())
        || d.load_balancers
            .iter()
            .any(|l| l.scheme == LoadBalancerScheme::InternetFacing && l.kind != LoadBalancerKind::Gateway)
}

/// Kinds that belong to no VPC and of which the links scope (outside what
/// [`design_wide_links`] covers) says nothing by themselves: a peering, an Elastic IP, a
/// prefix list … A finding about what uses them is about the user.
fn never_in_links(kind: ResourceKind) -> bool {
    use ResourceKind as K;
    matches!(
        kind,
        K::VpcPeering
            | K::ElasticIp
            | K::PrefixList
            | K::CustomerGateway
            | K::VpnConnection
            | K::TransitGateway
            | K::FirewallPolicy
            | K::FirewallRuleGroup
    )
}
