//! Which resources belong to one region of a design (a CloudFormation stack is regional;
//! Terraform takes every region through provider aliases).

use crate::model::*;
use std::collections::{BTreeMap, HashSet};

/// The ids of the resources in one region, external VPCs excluded.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub region: String,
    ids: HashSet<Id>,
}

impl Scope {
    /// The region a CloudFormation export takes: the design's default region when it holds a
    /// VPC, else the region with the most VPCs.
    pub fn main_region(d: &Design) -> String {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for v in d.vpcs.iter().filter(|v| !v.external) {
            *count.entry(v.region.as_str()).or_default() += 1;
        }
        if count.contains_key(d.default_region.as_str()) || count.is_empty() {
            return d.default_region.clone();
        }
        count.into_iter().max_by_key(|(_, n)| *n).map(|(r, _)| r.to_string()).unwrap_or_default()
    }

    /// Every region the design's own (non-external) resources are in.
    pub fn regions(d: &Design) -> Vec<String> {
        let mut v: Vec<String> = d
            .vpcs
            .iter()
            .filter(|v| !v.external)
            .map(|v| v.region.clone())
            .chain(d.transit_gateways.iter().map(|t| t.region.clone()))
            .collect();
        v.push(d.default_region.clone());
        v.sort();
        v.dedup();
        v
    }

    /// The resources of `region`.
    pub fn of(d: &Design, region: &str) -> Scope {
        let mut ids: HashSet<Id> = HashSet::new();
        let vpcs: HashSet<&str> =
            d.vpcs.iter().filter(|v| !v.external && v.region == region).map(|v| v.id.as_str()).collect();
        let inv = |v: &str| vpcs.contains(v);
        ids.extend(vpcs.iter().map(|v| v.to_string()));
        let subnets: HashSet<&str> = d.subnets.iter().filter(|s| inv(&s.vpc)).map(|s| s.id.as_str()).collect();
        ids.extend(subnets.iter().map(|s| s.to_string()));
        let ins = |s: &str| subnets.contains(s);
        ids.extend(d.route_tables.iter().filter(|x| inv(&x.vpc)).map(|x| x.id.clone()));
        ids.extend(d.internet_gateways.iter().filter(|x| x.vpc.as_deref().is_some_and(inv)).map(|x| x.id.clone()));
        ids.extend(d.egress_only_internet_gateways.iter().filter(|x| inv(&x.vpc)).map(|x| x.id.clone()));
        let in_scope = |n: &NatGateway| match &n.subnet {
            Some(s) => ins(s),
            None => n.vpc.as_deref().is_some_and(inv),
        };
        ids.extend(d.nat_gateways.iter().filter(|x| in_scope(x)).map(|x| x.id.clone()));
        let enis: Vec<&NetworkInterface> = d.network_interfaces.iter().filter(|x| ins(&x.subnet)).collect();
        ids.extend(enis.iter().map(|x| x.id.clone()));
        ids.extend(enis.iter().filter_map(|x| x.instance.clone()));
        ids.extend(enis.iter().filter_map(|x| x.eip.clone()));
        ids.extend(d.nat_gateways.iter().filter(|x| in_scope(x)).flat_map(|x| x.eips().cloned()));
        if region == d.default_region {
            // Addresses nothing uses belong to no VPC: they go with the design's default region.
            let used: HashSet<&str> = d
                .network_interfaces
                .iter()
                .filter_map(|e| e.eip.as_deref())
                .chain(d.nat_gateways.iter().filter_map(|n| n.eip.as_deref()))
                .collect();
            ids.extend(d.elastic_ips.iter().filter(|e| !used.contains(e.id.as_str())).map(|e| e.id.clone()));
        }
        ids.extend(d.security_groups.iter().filter(|x| inv(&x.vpc)).map(|x| x.id.clone()));
        ids.extend(d.network_acls.iter().filter(|x| inv(&x.vpc)).map(|x| x.id.clone()));
        ids.extend(d.peerings.iter().filter(|x| inv(&x.requester_vpc)).map(|x| x.id.clone()));
        ids.extend(d.prefix_lists.iter().filter(|x| !x.aws_managed && x.region == region).map(|x| x.id.clone()));
        ids.extend(d.endpoints.iter().filter(|x| inv(&x.vpc)).map(|x| x.id.clone()));
        ids.extend(d.load_balancers.iter().filter(|x| inv(&x.vpc)).map(|x| x.id.clone()));
        ids.extend(d.target_groups.iter().filter(|x| inv(&x.vpc)).map(|x| x.id.clone()));
        ids.extend(
            d.endpoint_services
                .iter()
                .filter(|x| x.region == region || x.load_balancers.iter().any(|l| ids.contains(l)))
                .map(|x| x.id.clone())
                .collect::<Vec<_>>(),
        );
        let tgws: Vec<Id> = d.transit_gateways.iter().filter(|t| t.region == region).map(|t| t.id.clone()).collect();
        ids.extend(d.tgw_attachments.iter().filter(|a| tgws.contains(&a.tgw)).map(|a| a.id.clone()));
        ids.extend(d.tgw_route_tables.iter().filter(|r| tgws.contains(&r.tgw)).map(|r| r.id.clone()));
        ids.extend(tgws.iter().cloned());
        ids.extend(d.vpn_gateways.iter().filter(|g| g.vpc.as_deref().is_some_and(inv)).map(|g| g.id.clone()));
        let vpns: Vec<&VpnConnection> = d
            .vpn_connections
            .iter()
            .filter(|c| {
                c.vpn_gateway.as_ref().is_some_and(|g| ids.contains(g))
                    || c.transit_gateway.as_ref().is_some_and(|t| ids.contains(t))
            })
            .collect();
        ids.extend(vpns.iter().map(|c| c.id.clone()));
        ids.extend(vpns.iter().map(|c| c.customer_gateway.clone()));
        Scope { region: region.to_string(), ids }
    }

    /// Whether a resource is in the scope.
    pub fn has(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// What the design has outside the scope, for the export's notes.
    pub fn left_out(&self, d: &Design) -> Vec<String> {
        d.resources()
            .filter(|r| !self.has(r.id()) && !r.kind().is_service())
            .filter(|r| !matches!(r, Resource::Vpc(v) if v.external))
            .filter(|r| !matches!(r, Resource::PrefixList(p) if p.aws_managed))
            .map(|r| r.display_name())
            .collect()
    }
}
