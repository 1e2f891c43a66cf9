//! What every check reads: the design through its [`DesignIndex`], so each check is a walk
//! over the resources it is about with hash lookups beside it, never a scan per item.

use crate::model::*;
use foldhash::HashSet;
use std::cell::OnceCell;

/// The design with its index.
pub struct Ctx<'a> {
    pub d: &'a Design,
    pub ix: &'a DesignIndex<'a>,
    /// Pairs of VPCs joined by an active peering, both ways round (P1).
    active_peers: HashSet<(&'a str, &'a str)>,
    /// Pairs (transit gateway, VPC) joined by a VPC attachment (T2).
    tgw_vpcs: HashSet<(&'a str, &'a str)>,
    /// Positions of the interfaces, and of the instances, in no VPC of the design: asked for
    /// by several checks of the links scope, found once.
    enis_outside: OnceCell<Vec<usize>>,
    instances_outside: OnceCell<Vec<usize>>,
    /// Per kind: [`DesignIndex::outside_vpcs`], asked for by several checks.
    outside: [OnceCell<Vec<usize>>; ResourceKind::ALL.len()],
}

/// What one VPC holds, found once and read by every check of [`super::check_vpc`]: its
/// subnets, the positions (in the design's lists) of the interfaces and NAT gateways in them
/// (and its regional NAT gateways), and the instances that live in it.
pub struct Scope<'a> {
    pub subnets: Vec<&'a Subnet>,
    pub enis: Vec<usize>,
    pub nats: Vec<usize>,
    pub instances: Vec<&'a Instance>,
}

impl<'a> Scope<'a> {
    pub fn new(cx: &Ctx<'a>, v: &Vpc) -> Scope<'a> {
        let subnets: Vec<&'a Subnet> = cx.ix.vpc_subnets(&v.id).collect();
        let ids = || subnets.iter().map(|s| s.id.as_str());
        let enis = cx.ix.positions_in_subnets(ResourceKind::NetworkInterface, ids());
        // A regional NAT gateway is grouped under its VPC's id (`positions_in_vpc`).
        let nats = cx.ix.positions_in_subnets(ResourceKind::NatGateway, ids().chain([v.id.as_str()]));
        let instances = cx.instances_of(v, &enis);
        Scope { subnets, enis, nats, instances }
    }
}

impl<'a> Ctx<'a> {
    pub fn new(ix: &'a DesignIndex<'a>) -> Ctx<'a> {
        let d = ix.design();
        let mut active_peers = HashSet::with_capacity_and_hasher(2 * d.peerings.len(), Default::default());
        for p in d.peerings.iter().filter(|p| p.status == PeeringStatus::Active) {
            active_peers.insert((p.requester_vpc.as_str(), p.accepter_vpc.as_str()));
            active_peers.insert((p.accepter_vpc.as_str(), p.requester_vpc.as_str()));
        }
        let tgw_vpcs = d
            .tgw_attachments
            .iter()
            .filter_map(|a| match &a.kind {
                TgwAttachmentKind::Vpc { vpc, .. } => Some((a.tgw.as_str(), vpc.as_str())),
                _ => None,
            })
            .collect();
        Ctx {
            d,
            ix,
            active_peers,
            tgw_vpcs,
            enis_outside: OnceCell::new(),
            instances_outside: OnceCell::new(),
            outside: Default::default(),
        }
    }

    /// Positions of the resources of `kind` that name a VPC the design does not hold, in
    /// design order ([`DesignIndex::outside_vpcs`], found once).
    pub fn outside(&self, kind: ResourceKind) -> &[usize] {
        self.outside[kind as usize].get_or_init(|| self.ix.outside_vpcs(kind))
    }

    /// Positions of the interfaces whose subnet is in no VPC of the design, in design order.
    pub fn enis_outside(&self) -> &[usize] {
        self.enis_outside.get_or_init(|| self.ix.interfaces_outside_vpcs())
    }

    /// Positions of the instances that live in no VPC of the design (no interface, or the
    /// primary one's subnet in no VPC of the design), in design order.
    pub fn instances_outside(&self) -> &[usize] {
        self.instances_outside.get_or_init(|| {
            let d = self.d;
            let enis = self.enis_outside();
            (0..d.instances.len())
                .filter(|&i| match self.ix.primary_interface(&d.instances[i].id) {
                    None => true,
                    // Only an interface outside every VPC has no VPC (`instance_vpc`).
                    Some(e) => !enis.is_empty() && self.ix.subnet_vpc(&e.subnet).is_none(),
                })
                .collect()
        })
    }

    /// Whether two VPCs are joined by an active peering.
    pub fn peered(&self, a: &str, b: &str) -> bool {
        self.active_peers.contains(&(a, b))
    }

    /// Whether a VPC has an attachment to a transit gateway.
    pub fn attached(&self, tgw: &str, vpc: &str) -> bool {
        self.tgw_vpcs.contains(&(tgw, vpc))
    }

    /// The VPC a subnet belongs to.
    pub fn subnet_vpc(&self, subnet: &str) -> Option<&'a Vpc> {
        self.ix.subnet_vpc(subnet)
    }

    /// The route table a subnet uses (R1).
    pub fn subnet_rt(&self, subnet: &str) -> Option<&'a RouteTable> {
        self.ix.subnet_route_table(subnet)
    }

    /// Whether the table routes 0.0.0.0/0 (or any route) to an internet gateway (R9).
    pub fn has_igw_route(rt: &RouteTable) -> bool {
        rt.routes_to_internet_gateway()
    }

    /// Whether the design holds a resource with this id.
    pub fn exists(&self, id: &str) -> bool {
        self.ix.contains(id)
    }

    /// Ids of external stub VPCs and of every resource that belongs to one.
    pub fn external_ids(&self) -> HashSet<&'a str> {
        let mut out: HashSet<&'a str> = HashSet::default();
        for v in self.d.vpcs.iter().filter(|v| v.external) {
            out.insert(&v.id);
            for s in self.ix.vpc_subnets(&v.id) {
                out.insert(&s.id);
                out.extend(self.ix.subnet_nat_gateways(&s.id).map(|n| n.id.as_str()));
            }
            out.extend(self.ix.vpc_route_tables(&v.id).map(|r| r.id.as_str()));
            out.extend(self.ix.vpc_security_groups(&v.id).map(|g| g.id.as_str()));
            out.extend(self.ix.vpc_network_acls(&v.id).map(|a| a.id.as_str()));
        }
        out
    }

    /// The instances that live in a VPC (where their primary interface is), in design order.
    pub fn instances_in(&self, v: &Vpc) -> Vec<&'a Instance> {
        self.instances_of(v, &self.ix.positions_in_vpc(ResourceKind::NetworkInterface, &v.id))
    }

    /// [`Ctx::instances_in`], given the positions of the interfaces in the VPC's subnets:
    /// each instance is found through its primary interface, which is among them when the
    /// instance lives in the VPC.
    fn instances_of(&self, v: &Vpc, enis: &[usize]) -> Vec<&'a Instance> {
        let d = self.d;
        let mut at: Vec<usize> = Vec::new();
        for &p in enis {
            let e = &d.network_interfaces[p];
            let Some(i) = e.instance.as_deref() else { continue };
            // The instance lives where its primary interface's subnet is (`instance_vpc`).
            let here = self.ix.primary_interface(i).is_some_and(|primary| {
                std::ptr::eq(primary, e) && self.ix.subnet(&e.subnet).is_some_and(|s| s.vpc == v.id)
            });
            if let Some(i) = here.then(|| self.ix.pos(ResourceKind::Instance, i)).flatten() {
                at.push(i);
            }
        }
        at.sort_unstable();
        at.dedup();
        at.into_iter().map(|i| &d.instances[i]).collect()
    }

    /// The VPC id of a subnet in `vpc`'s scope (as [`Ctx::subnet_vpc`] gives it, with one
    /// lookup instead of two: `vpc` is known to be in the design).
    pub fn subnet_vpc_id(&self, subnet: &str, vpc: &Vpc) -> Option<&'a str> {
        let s = self.ix.subnet(subnet)?;
        (s.vpc == vpc.id || self.ix.vpc(&s.vpc).is_some()).then_some(s.vpc.as_str())
    }

    /// A resource's display name for messages.
    pub fn name(&self, id: &str) -> String {
        self.ix.display_name(id)
    }
}
