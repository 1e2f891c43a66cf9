//! References between resources: every one of a design in one pass, the ones of a single
//! resource, and [`ReferenceMap`], every reference kept both ways and brought up to date for
//! the resources an edit touched (so an edit never walks the whole design again).

use super::edit::{Reference, ReferenceVisitor, Strength};
use super::*;
use std::collections::{HashMap, HashSet};

/// The kinds that refer to others, in the order [`Design::visit_references`] visits them.
const REFERRING: [ResourceKind; 19] = [
    ResourceKind::Subnet,
    ResourceKind::RouteTable,
    ResourceKind::InternetGateway,
    ResourceKind::EgressOnlyInternetGateway,
    ResourceKind::NatGateway,
    ResourceKind::NetworkInterface,
    ResourceKind::SecurityGroup,
    ResourceKind::NetworkAcl,
    ResourceKind::VpcPeering,
    ResourceKind::VpcEndpoint,
    ResourceKind::EndpointService,
    ResourceKind::LoadBalancer,
    ResourceKind::TargetGroup,
    ResourceKind::TgwAttachment,
    ResourceKind::TgwRouteTable,
    ResourceKind::VpnGateway,
    ResourceKind::VpnConnection,
    ResourceKind::NetworkFirewall,
    ResourceKind::FirewallPolicy,
];

impl Design {
    /// Every reference in the design.
    pub fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        self.visit_references(&mut |from_kind, from, to, strength, field| {
            out.push(Reference { from_kind, from: from.to_string(), field: field(), to: to.to_string(), strength });
        });
        out
    }

    /// Every reference in the design, without allocating: `visit(from kind, from, to, strength,
    /// field)`, where `field()` describes the reference in words ("route 0.0.0.0/0"). Kind by
    /// kind, each in the design's order.
    pub fn visit_references(&self, visit: &mut ReferenceVisitor<'_>) {
        let ix = DesignIndex::new(self);
        for kind in REFERRING {
            for r in self.resources_of(kind) {
                visit_from(&ix, r, visit);
            }
        }
    }

    /// What refers to `id`.
    pub fn references_to(&self, id: &str) -> Vec<Reference> {
        self.references().into_iter().filter(|r| r.to == id).collect()
    }
}

/// The references of the resource `id` (none when the design does not hold it), as
/// [`Design::visit_references`] says them.
pub fn visit_references_from(ix: &DesignIndex<'_>, id: &str, visit: &mut ReferenceVisitor<'_>) {
    if let Some(r) = ix.find(id) {
        visit_from(ix, r, visit);
    }
}

/// The references of one resource. Two depend on another resource than the one visited: a
/// target group's target is a reference only while an instance has its id, and a route to a
/// firewall endpoint also refers to the endpoint's firewall (F1); the index answers both.
fn visit_from(ix: &DesignIndex<'_>, res: Resource<'_>, visit: &mut ReferenceVisitor<'_>) {
    use ResourceKind as K;
    use Strength::*;
    let kind = res.kind();
    let from = res.id();
    let mut push = |field: &dyn Fn() -> String, to: &str, strength| visit(kind, from, to, strength, field);
    match res {
        Resource::Subnet(s) => push(&|| "VPC".into(), &s.vpc, Owner),
        Resource::RouteTable(rt) => {
            push(&|| "VPC".into(), &rt.vpc, Owner);
            for s in &rt.subnets {
                push(&|| "associated subnet".into(), s, Link);
            }
            for g in &rt.gateways {
                push(&|| "edge association".into(), g, Link);
            }
            for g in &rt.propagating_vgws {
                push(&|| "route propagation".into(), g, Link);
            }
            for r in &rt.routes {
                if let Some(t) = r.target.id() {
                    push(&|| format!("route {}", r.destination), t, Link);
                    // F1: a route to a firewall endpoint refers to its firewall.
                    if let Some(fw) = ix.firewall_of_endpoint(t) {
                        push(&|| format!("route {} (firewall endpoint {t})", r.destination), &fw.id, Link);
                    }
                }
                if let RouteDestination::PrefixList(pl) = &r.destination {
                    push(&|| format!("route {}", r.destination), pl, Link);
                }
            }
        }
        Resource::InternetGateway(g) => {
            if let Some(v) = &g.vpc {
                push(&|| "attachment".into(), v, Link);
            }
        }
        Resource::EgressOnlyInternetGateway(g) => push(&|| "VPC".into(), &g.vpc, Owner),
        Resource::NatGateway(n) => {
            if let Some(s) = &n.subnet {
                push(&|| "subnet".into(), s, Owner);
            }
            if let Some(v) = &n.vpc {
                push(&|| "VPC".into(), v, Owner);
            }
            if let Some(r) = &n.route_table {
                push(&|| "route table".into(), r, Link);
            }
            for e in n.eips() {
                push(&|| "Elastic IP".into(), e, Link);
            }
        }
        Resource::NetworkInterface(e) => {
            push(&|| "subnet".into(), &e.subnet, Owner);
            if let Some(i) = &e.instance {
                push(&|| "attached instance".into(), i, Owner);
            }
            if let Some(a) = &e.eip {
                push(&|| "Elastic IP".into(), a, Link);
            }
            for g in &e.security_groups {
                push(&|| "security group".into(), g, Link);
            }
        }
        Resource::SecurityGroup(g) => {
            push(&|| "VPC".into(), &g.vpc, Owner);
            for (dir, rules) in [("inbound", &g.ingress), ("outbound", &g.egress)] {
                for r in rules.iter() {
                    match &r.peer {
                        SgPeer::SecurityGroup { group, account: None } if group != &g.id => {
                            push(&|| format!("{dir} rule peer"), group, Link)
                        }
                        SgPeer::PrefixList(pl) => push(&|| format!("{dir} rule peer"), pl, Link),
                        _ => {}
                    }
                }
            }
        }
        Resource::NetworkAcl(a) => {
            push(&|| "VPC".into(), &a.vpc, Owner);
            for s in &a.subnets {
                push(&|| "associated subnet".into(), s, Link);
            }
        }
        Resource::VpcPeering(p) => {
            push(&|| "requester VPC".into(), &p.requester_vpc, Owner);
            push(&|| "accepter VPC".into(), &p.accepter_vpc, Owner);
        }
        Resource::VpcEndpoint(e) => {
            push(&|| "VPC".into(), &e.vpc, Owner);
            for rt in &e.route_tables {
                push(&|| "route table".into(), rt, Link);
            }
            for i in &e.interfaces {
                push(&|| "endpoint subnet".into(), &i.subnet, Link);
            }
            for g in &e.security_groups {
                push(&|| "security group".into(), g, Link);
            }
        }
        Resource::EndpointService(s) => {
            for lb in &s.load_balancers {
                push(&|| "load balancer".into(), lb, Link);
            }
        }
        Resource::LoadBalancer(lb) => {
            push(&|| "VPC".into(), &lb.vpc, Owner);
            for n in &lb.nodes {
                push(&|| "subnet".into(), &n.subnet, Link);
            }
            for g in &lb.security_groups {
                push(&|| "security group".into(), g, Link);
            }
            for l in &lb.listeners {
                if let Some(tg) = &l.target_group {
                    push(&|| format!("listener {}", l.port), tg, Link);
                }
            }
        }
        Resource::TargetGroup(tg) => {
            push(&|| "VPC".into(), &tg.vpc, Owner);
            for t in &tg.targets {
                if ix.pos(K::Instance, &t.id).is_some() {
                    push(&|| "target".into(), &t.id, Link);
                }
            }
        }
        Resource::TgwAttachment(a) => {
            push(&|| "transit gateway".into(), &a.tgw, Owner);
            match &a.kind {
                TgwAttachmentKind::Vpc { vpc, subnets } => {
                    push(&|| "VPC".into(), vpc, Owner);
                    for s in subnets {
                        push(&|| "attachment subnet".into(), s, Link);
                    }
                }
                TgwAttachmentKind::Vpn { vpn } => push(&|| "VPN".into(), vpn, Owner),
                TgwAttachmentKind::Peering { peer_tgw } => push(&|| "peer transit gateway".into(), peer_tgw, Owner),
            }
            if let Some(rt) = &a.association {
                push(&|| "association".into(), rt, Link);
            }
        }
        Resource::TgwRouteTable(rt) => {
            push(&|| "transit gateway".into(), &rt.tgw, Owner);
            for p in &rt.propagations {
                push(&|| "propagation".into(), p, Link);
            }
            for r in &rt.static_routes {
                if let Some(a) = &r.attachment {
                    push(&|| format!("route {}", r.cidr), a, Link);
                }
            }
        }
        Resource::VpnGateway(g) => {
            if let Some(v) = &g.vpc {
                push(&|| "attachment".into(), v, Link);
            }
        }
        Resource::VpnConnection(c) => {
            push(&|| "customer gateway".into(), &c.customer_gateway, Owner);
            if let Some(g) = &c.vpn_gateway {
                push(&|| "virtual private gateway".into(), g, Link);
            }
            if let Some(g) = &c.transit_gateway {
                push(&|| "transit gateway".into(), g, Link);
            }
        }
        Resource::NetworkFirewall(f) => {
            push(&|| "VPC".into(), &f.vpc, Owner);
            push(&|| "firewall policy".into(), &f.policy, Link);
            for e in &f.endpoints {
                push(&|| format!("endpoint {} subnet", e.id), &e.subnet, Link);
            }
        }
        Resource::FirewallPolicy(p) => {
            for (what, refs) in [("stateless", &p.stateless_groups), ("stateful", &p.stateful_groups)] {
                for g in refs {
                    push(&|| format!("{what} rule group"), &g.group, Link);
                }
            }
        }
        _ => {}
    }
}

/// Every reference of a design kept both ways: what each resource refers to, and what refers to
/// each id. Built once ([`ReferenceMap::new`]); after an edit [`ReferenceMap::update`] visits
/// only the resources whose references the edit can have changed.
#[derive(Debug, Clone, Default)]
pub struct ReferenceMap {
    /// What each resource refers to, in the order it says them.
    from: HashMap<Id, Vec<Reference>>,
    /// What refers to each id, each referrer once.
    to: HashMap<Id, Vec<Id>>,
}

impl ReferenceMap {
    /// Every reference of `d`, in one pass.
    pub fn new(d: &Design) -> ReferenceMap {
        let mut m = ReferenceMap::default();
        d.visit_references(&mut |from_kind, from, to, strength, field| {
            m.push(Reference { from_kind, from: from.to_string(), field: field(), to: to.to_string(), strength });
        });
        m
    }

    /// Record one reference. A resource's references come one after another, so a referrer is
    /// listed once per target by looking at the last entry alone.
    fn push(&mut self, r: Reference) {
        let referrers = self.to.entry(r.to.clone()).or_default();
        if referrers.last() != Some(&r.from) {
            referrers.push(r.from.clone());
        }
        self.from.entry(r.from.clone()).or_default().push(r);
    }

    /// What `id` refers to, in the order it says them.
    pub fn from(&self, id: &str) -> &[Reference] {
        self.from.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The resources that refer to `id`, each once, in no particular order.
    pub fn referrers(&self, id: &str) -> &[Id] {
        self.to.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The references to `id`, in the order [`Design::references`] lists them.
    pub fn to(&self, ix: &DesignIndex<'_>, id: &str) -> Vec<Reference> {
        let rank = |kind: ResourceKind| REFERRING.iter().position(|k| *k == kind).unwrap_or(REFERRING.len());
        let mut froms: Vec<(usize, usize, &str)> = self
            .referrers(id)
            .iter()
            .filter_map(|f| {
                let kind = self.from(f).first()?.from_kind;
                Some((rank(kind), ix.pos(kind, f).unwrap_or(usize::MAX), f.as_str()))
            })
            .collect();
        froms.sort_unstable();
        froms.into_iter().flat_map(|(_, _, f)| self.from(f).iter().filter(|r| r.to == id).cloned()).collect()
    }

    /// Every reference, sorted (to compare with [`Design::references`] sorted the same way).
    pub fn all_sorted(&self) -> Vec<&Reference> {
        let mut all: Vec<&Reference> = self.from.values().flatten().collect();
        all.sort_by(|a, b| (&a.from, &a.to, &a.field).cmp(&(&b.from, &b.to, &b.field)));
        all
    }

    /// Bring the map up to date after an edit of the resources in `touched` (everything the edit
    /// added, changed or removed). Visits the touched resources again, and the few whose
    /// references depend on a touched one: target groups naming a touched instance, route
    /// tables naming an endpoint of a touched firewall (F1). Returns every id whose list of
    /// referrers (or references to it) may have changed.
    pub fn update(&mut self, ix: &DesignIndex<'_>, touched: &[&str]) -> HashSet<Id> {
        let d = ix.design();
        let mut redo: Vec<Id> = touched.iter().map(|t| t.to_string()).collect();
        for t in touched {
            // Target groups that named a touched instance, tables that routed to a touched
            // firewall's endpoints: what they say may have changed with it.
            for f in self.referrers(t) {
                let kind = self.from(f).first().map(|r| r.from_kind);
                if matches!(kind, Some(ResourceKind::TargetGroup | ResourceKind::RouteTable)) {
                    redo.push(f.clone());
                }
            }
            match ix.find(t) {
                Some(Resource::Instance(i)) if !d.target_groups.is_empty() => redo.extend(
                    d.target_groups.iter().filter(|g| g.targets.iter().any(|x| x.id == i.id)).map(|g| g.id.clone()),
                ),
                Some(Resource::NetworkFirewall(f)) => {
                    for e in &f.endpoints {
                        redo.extend(self.referrers(&e.id).iter().cloned());
                    }
                }
                _ => {}
            }
        }
        redo.sort();
        redo.dedup();
        let mut changed: HashSet<Id> = HashSet::new();
        for id in &redo {
            for r in self.from.remove(id).unwrap_or_default() {
                if let Some(referrers) = self.to.get_mut(&r.to) {
                    referrers.retain(|f| f != id);
                    if referrers.is_empty() {
                        self.to.remove(&r.to);
                    }
                }
                changed.insert(r.to);
            }
        }
        for id in &redo {
            visit_references_from(ix, id, &mut |from_kind, from, to, strength, field| {
                changed.insert(to.to_string());
                self.push(Reference {
                    from_kind,
                    from: from.to_string(),
                    field: field(),
                    to: to.to_string(),
                    strength,
                });
            });
        }
        changed
    }
}
