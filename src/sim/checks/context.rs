//! What every check reads: the design through its [`DesignIndex`], so each check is a walk
//! over the resources it is about with hash lookups beside it, never a scan per item.

use crate::model::*;
use foldhash::HashSet;

/// The design with its index.
pub struct Ctx<'a> {
    pub d: &'a Design,
    pub ix: &'a DesignIndex<'a>,
    /// Pairs of VPCs joined by an active peering, both ways round (P1).
    active_peers: HashSet<(&'a str, &'a str)>,
    /// Pairs (transit gateway, VPC) joined by a VPC attachment (T2).
    tgw_vpcs: HashSet<(&'a str, &'a str)>,
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
        Ctx { d, ix, active_peers, tgw_vpcs }
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
    pub fn instances_in(&self, v: &Vpc) -> impl Iterator<Item = &'a Instance> + '_ {
        let mut at: Vec<usize> = self
            .ix
            .positions_in_vpc(ResourceKind::NetworkInterface, &v.id)
            .into_iter()
            .filter_map(|e| self.d.network_interfaces[e].instance.as_deref())
            .filter(|i| self.ix.instance_vpc(i).is_some_and(|o| o.id == v.id))
            .filter_map(|i| self.ix.pos(ResourceKind::Instance, i))
            .collect();
        at.sort_unstable();
        at.dedup();
        let d = self.d;
        at.into_iter().map(move |i| &d.instances[i])
    }

    /// A resource's display name for messages.
    pub fn name(&self, id: &str) -> String {
        self.ix.display_name(id)
    }
}
