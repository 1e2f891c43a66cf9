//! What lives in each VPC, found in one pass over each list of the design.
//!
//! A VPC's section needs its subnets, route tables, gateways, endpoints, groups… Looking for
//! them with a scan of the whole design per VPC made building every section (a filter, expand
//! all) cost VPCs × resources: ten seconds on a 1000-VPC design. [`ByVpc`] sorts the design
//! once, in design order, for one VPC (a section opened or rebuilt after an edit) or for all.

use crate::app::forms::kinds::{TreeSpot, KINDS};
use crate::model::*;
use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;

/// One VPC's resources, each list in design order.
#[derive(Default)]
pub(super) struct VpcParts<'d> {
    pub subnets: Vec<&'d Subnet>,
    pub route_tables: Vec<&'d RouteTable>,
    pub internet_gateways: Vec<&'d InternetGateway>,
    pub egress_only_gateways: Vec<&'d EgressOnlyInternetGateway>,
    pub vpn_gateways: Vec<&'d VpnGateway>,
    pub endpoints: Vec<&'d VpcEndpoint>,
    pub peerings: Vec<&'d VpcPeering>,
    pub security_groups: Vec<&'d SecurityGroup>,
    pub network_acls: Vec<&'d NetworkAcl>,
    /// The resources of each kind the kind table places in a VPC, by their index in `KINDS`.
    pub kinds: HashMap<usize, Vec<Resource<'d>>>,
    pub services: Vec<Service<'d>>,
}

/// The design sorted by VPC, and the lookups by subnet and instance a section needs.
pub(super) struct ByVpc<'d> {
    vpcs: HashMap<&'d str, VpcParts<'d>>,
    empty: VpcParts<'d>,
    /// Each instance's primary interface.
    pub primary: HashMap<&'d str, &'d NetworkInterface>,
    pub eip_ip: HashMap<&'d str, Ipv4Addr>,
    pub enis_of_subnet: HashMap<&'d str, Vec<&'d NetworkInterface>>,
    pub enis_of_instance: HashMap<&'d str, Vec<&'d NetworkInterface>>,
    pub nats_of_subnet: HashMap<&'d str, Vec<&'d NatGateway>>,
}

impl<'d> ByVpc<'d> {
    /// Sort the resources of the VPC `only` (or of every VPC) by VPC.
    pub fn new(d: &'d Design, only: Option<&str>) -> ByVpc<'d> {
        let want = |v: &str| only.is_none_or(|o| o == v);
        let mut vpcs: HashMap<&'d str, VpcParts<'d>> = HashMap::new();
        macro_rules! at {
            ($v:expr) => {
                vpcs.entry($v).or_default()
            };
        }
        for s in d.subnets.iter().filter(|s| want(&s.vpc)) {
            at!(&s.vpc).subnets.push(s);
        }
        for r in d.route_tables.iter().filter(|r| want(&r.vpc)) {
            at!(&r.vpc).route_tables.push(r);
        }
        for g in &d.internet_gateways {
            if let Some(v) = g.vpc.as_deref().filter(|v| want(v)) {
                at!(v).internet_gateways.push(g);
            }
        }
        for g in d.egress_only_internet_gateways.iter().filter(|g| want(&g.vpc)) {
            at!(&g.vpc).egress_only_gateways.push(g);
        }
        for g in &d.vpn_gateways {
            if let Some(v) = g.vpc.as_deref().filter(|v| want(v)) {
                at!(v).vpn_gateways.push(g);
            }
        }
        for e in d.endpoints.iter().filter(|e| want(&e.vpc)) {
            at!(&e.vpc).endpoints.push(e);
        }
        for p in &d.peerings {
            let (a, b) = (p.requester_vpc.as_str(), p.accepter_vpc.as_str());
            // A peering of a VPC with itself is listed once.
            for v in if a == b { vec![a] } else { vec![a, b] } {
                if want(v) {
                    at!(v).peerings.push(p);
                }
            }
        }
        for g in d.security_groups.iter().filter(|g| want(&g.vpc)) {
            at!(&g.vpc).security_groups.push(g);
        }
        for a in d.network_acls.iter().filter(|a| want(&a.vpc)) {
            at!(&a.vpc).network_acls.push(a);
        }
        for (i, k) in KINDS.iter().enumerate() {
            let TreeSpot::InVpc { vpc, .. } = k.tree else { continue };
            for r in d.resources_of(k.kind) {
                if let Some(v) = vpc(r).filter(|v| want(v)) {
                    at!(v).kinds.entry(i).or_default().push(r);
                }
            }
        }
        for s in d.services().filter(|s| want(s.vpc())) {
            at!(s.vpc()).services.push(s);
        }

        // For one VPC: its subnets' interfaces and NAT gateways only (the subnets just sorted),
        // and only the instances, primaries and addresses those need: a VPC holds a handful of
        // subnets, so a list beats hashing every interface of the design.
        let scope: Option<Vec<&str>> =
            only.map(|_| vpcs.values().flat_map(|p| p.subnets.iter().map(|s| s.id.as_str())).collect());
        let in_scope = |subnet: &str| scope.as_ref().is_none_or(|ids| ids.contains(&subnet));
        let mut enis_of_subnet: HashMap<&'d str, Vec<&'d NetworkInterface>> = HashMap::new();
        for e in d.network_interfaces.iter().filter(|e| in_scope(&e.subnet)) {
            enis_of_subnet.entry(e.subnet.as_str()).or_default().push(e);
        }
        let mut nats_of_subnet: HashMap<&'d str, Vec<&'d NatGateway>> = HashMap::new();
        for n in &d.nat_gateways {
            if let Some(s) = n.subnet.as_deref().filter(|s| in_scope(s)) {
                nats_of_subnet.entry(s).or_default().push(n);
            }
        }
        // The instances with an interface here: all their interfaces (wherever they are).
        let instances: Option<HashSet<&str>> =
            scope.as_ref().map(|_| enis_of_subnet.values().flatten().filter_map(|e| e.instance.as_deref()).collect());
        let mut enis_of_instance: HashMap<&'d str, Vec<&'d NetworkInterface>> = HashMap::new();
        for e in &d.network_interfaces {
            if let Some(i) = e.instance.as_deref().filter(|i| instances.as_ref().is_none_or(|set| set.contains(i))) {
                enis_of_instance.entry(i).or_default().push(e);
            }
        }
        let primary = match &instances {
            None => super::build::primaries(d),
            // The lowest device index, the first in design order on a tie (as `primaries`).
            Some(_) => enis_of_instance
                .iter()
                .filter_map(|(i, es)| {
                    es.iter()
                        .copied()
                        .reduce(|best, e| if e.device_index < best.device_index { e } else { best })
                        .map(|e| (*i, e))
                })
                .collect(),
        };
        let eip_ip = match &scope {
            None => d.elastic_ips.iter().map(|e| (e.id.as_str(), e.public_ip)).collect(),
            Some(_) => {
                let wanted: HashSet<&str> = enis_of_subnet
                    .values()
                    .flatten()
                    .filter_map(|e| e.eip.as_deref())
                    .chain(nats_of_subnet.values().flatten().filter_map(|n| n.eip.as_deref()))
                    .collect();
                if wanted.is_empty() {
                    HashMap::new()
                } else {
                    d.elastic_ips
                        .iter()
                        .filter(|e| wanted.contains(e.id.as_str()))
                        .map(|e| (e.id.as_str(), e.public_ip))
                        .collect()
                }
            }
        };
        ByVpc { vpcs, empty: VpcParts::default(), primary, eip_ip, enis_of_subnet, enis_of_instance, nats_of_subnet }
    }

    /// The VPC's resources (none for a VPC this was not made for).
    pub fn of(&self, vpc: &str) -> &VpcParts<'d> {
        self.vpcs.get(vpc).unwrap_or(&self.empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids<T>(xs: &[&T], id: impl Fn(&T) -> &str) -> Vec<String> {
        xs.iter().map(|x| id(x).to_string()).collect()
    }

    /// Sorting the whole design at once and sorting it for one VPC give each VPC the lists a
    /// scan of the design for that VPC gives, in design order.
    #[test]
    fn each_vpc_gets_what_a_scan_for_it_finds_in_design_order() {
        let mut designs = vec![crate::assets::default_example(), gen::generate(6, 3)];
        for lab in crate::labs::all().expect("the labs load") {
            designs.push(crate::labs::run::start_design(&lab).expect("the lab's design"));
        }
        for d in &designs {
            let all = ByVpc::new(d, None);
            for v in &d.vpcs {
                let one = ByVpc::new(d, Some(&v.id));
                for by in [&all, &one] {
                    let p = by.of(&v.id);
                    let want: Vec<&Subnet> = d.subnets.iter().filter(|s| s.vpc == v.id).collect();
                    assert_eq!(ids(&p.subnets, |s| &s.id), ids(&want, |s| &s.id));
                    let want: Vec<&RouteTable> = d.route_tables.iter().filter(|r| r.vpc == v.id).collect();
                    assert_eq!(ids(&p.route_tables, |r| &r.id), ids(&want, |r| &r.id));
                    let want: Vec<&VpcPeering> = d.peerings.iter().filter(|p| p.other_side(&v.id).is_some()).collect();
                    assert_eq!(ids(&p.peerings, |p| &p.id), ids(&want, |p| &p.id));
                    let want: Vec<&SecurityGroup> = d.security_groups.iter().filter(|g| g.vpc == v.id).collect();
                    assert_eq!(ids(&p.security_groups, |g| &g.id), ids(&want, |g| &g.id));
                    let want: Vec<&VpcEndpoint> = d.endpoints.iter().filter(|e| e.vpc == v.id).collect();
                    assert_eq!(ids(&p.endpoints, |e| &e.id), ids(&want, |e| &e.id));
                    let want: Vec<&str> = d.services().filter(|s| s.vpc() == v.id).map(|s| s.id()).collect();
                    assert_eq!(p.services.iter().map(|s| s.id()).collect::<Vec<_>>(), want);
                    for s in &p.subnets {
                        let want: Vec<&str> =
                            d.network_interfaces.iter().filter(|e| e.subnet == s.id).map(|e| e.id.as_str()).collect();
                        let got: Vec<&str> =
                            by.enis_of_subnet.get(s.id.as_str()).into_iter().flatten().map(|e| e.id.as_str()).collect();
                        assert_eq!(got, want);
                        // What a subnet's rows need of its interfaces' instances and addresses:
                        // the same whether sorted for this VPC or for all.
                        for e in by.enis_of_subnet.get(s.id.as_str()).into_iter().flatten() {
                            if let Some(i) = e.instance.as_deref() {
                                let id = |b: &ByVpc<'_>| b.primary.get(i).map(|p| p.id.clone());
                                assert_eq!(id(by), id(&all), "the primary interface of {i}");
                                let nics = |b: &ByVpc<'_>| {
                                    b.enis_of_instance
                                        .get(i)
                                        .into_iter()
                                        .flatten()
                                        .map(|x| x.id.clone())
                                        .collect::<Vec<_>>()
                                };
                                assert_eq!(nics(by), nics(&all), "the interfaces of {i}");
                            }
                            if let Some(a) = e.eip.as_deref() {
                                assert_eq!(by.eip_ip.get(a), all.eip_ip.get(a), "the address of {a}");
                            }
                        }
                        for n in by.nats_of_subnet.get(s.id.as_str()).into_iter().flatten() {
                            if let Some(a) = n.eip.as_deref() {
                                assert_eq!(by.eip_ip.get(a), all.eip_ip.get(a), "the address of {a}");
                            }
                        }
                    }
                }
            }
        }
    }
}
