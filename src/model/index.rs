//! One derived index of a design, built in a single pass over each list: every resource by
//! id, each resource's children by their parent's id, and the associations AWS resolves
//! implicitly (a subnet's route table, R1, and network ACL, L1). Checks, exporters, the trace
//! index and the app's tree read the design through it, so a lookup costs a hash probe
//! whatever the design's size.
//!
//! Children are grouped by the id their parent field names, whether or not that parent
//! exists, so a check can still find (and report) a subnet of a missing VPC. Everything is in
//! design order; when a design holds an id twice, the first resource wins.
//!
//! Each map is built the first time it is asked for, so a caller that looks at one VPC (an
//! incremental check) pays only for the maps it uses.

use super::*;
use foldhash::HashMap;
use std::sync::OnceLock;

/// Where a resource sits: its kind and its position in the design's list of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    pub kind: ResourceKind,
    pub pos: usize,
}

/// Positions in one of the design's lists, grouped by a parent id: each parent's positions
/// are one run of a single flat list, so a grouping costs three allocations however many
/// parents there are, and a lookup is one probe and one slice.
#[derive(Debug, Default)]
struct Groups<'a> {
    /// Parent id → its run in `pos` (start, end).
    runs: HashMap<&'a str, (u32, u32)>,
    pos: Vec<usize>,
}

impl<'a> Groups<'a> {
    /// Group `(parent, position)` pairs, given in design order; `parents` is about how many
    /// parents there are (to size the map). With `dedup`, a position repeated right after
    /// itself under one parent is kept once (an endpoint with two interfaces in a subnet).
    fn build<I>(pairs: impl Fn() -> I, parents: usize, dedup: bool) -> Groups<'a>
    where
        I: Iterator<Item = (&'a str, usize)>,
    {
        let mut runs: HashMap<&'a str, (u32, u32)> = HashMap::with_capacity_and_hasher(parents, Default::default());
        // Per parent (in first-seen order): how many positions, and the last one kept.
        let mut count: Vec<(u32, usize)> = Vec::with_capacity(parents);
        // Per pair: its parent's number, or u32::MAX when dropped as a repeat.
        let mut which: Vec<u32> = Vec::new();
        for (k, i) in pairs() {
            let n = count.len() as u32;
            let g = runs.entry(k).or_insert((n, 0)).0;
            if g == n {
                count.push((0, usize::MAX));
            }
            let c = &mut count[g as usize];
            if dedup && c.1 == i {
                which.push(u32::MAX);
                continue;
            }
            c.0 += 1;
            c.1 = i;
            which.push(g);
        }
        // Each parent's start, then fill its run in design order.
        let mut next: Vec<u32> = Vec::with_capacity(count.len());
        let mut at = 0u32;
        for &(n, _) in &count {
            next.push(at);
            at += n;
        }
        for r in runs.values_mut() {
            let g = r.0 as usize;
            *r = (next[g], next[g] + count[g].0);
        }
        let mut pos = vec![0usize; at as usize];
        for ((_, i), g) in pairs().zip(which) {
            if g != u32::MAX {
                let slot = &mut next[g as usize];
                pos[*slot as usize] = i;
                *slot += 1;
            }
        }
        Groups { runs, pos }
    }

    /// The positions grouped under `parent`, in design order (none when it has none).
    fn of(&self, parent: &str) -> &[usize] {
        match self.runs.get(parent) {
            Some(&(a, b)) => &self.pos[a as usize..b as usize],
            None => &[],
        }
    }

    /// Each run, to reorder it in place.
    fn runs_mut(&mut self) -> impl Iterator<Item = &mut [usize]> {
        let mut bounds: Vec<(u32, u32)> = self.runs.values().copied().collect();
        bounds.sort_unstable();
        let mut rest: &mut [usize] = &mut self.pos;
        let mut done = 0u32;
        bounds.into_iter().map(move |(a, b)| {
            let tail = std::mem::take(&mut rest);
            let (_, tail) = tail.split_at_mut((a - done) as usize);
            let (run, tail) = tail.split_at_mut((b - a) as usize);
            rest = tail;
            done = b;
            run
        })
    }
}

fn group<'a, T>(list: &'a [T], parents: usize, key: impl Fn(&'a T) -> Option<&'a str>) -> Groups<'a> {
    Groups::build(|| list.iter().enumerate().filter_map(|(i, x)| Some((key(x)?, i))), parents, false)
}

/// R1, L1: a subnet uses its explicit association, else its VPC's default (the main route
/// table, the default network ACL). The one place this rule is written.
pub fn explicit_or_default<T>(explicit: Option<T>, vpc_default: impl FnOnce() -> Option<T>) -> Option<T> {
    explicit.or_else(vpc_default)
}

/// The index. Build it with [`DesignIndex::new`]; it borrows the design.
#[derive(Debug)]
pub struct DesignIndex<'a> {
    d: &'a Design,
    /// Per kind (in `ResourceKind::ALL` order): id → position in the design's list.
    ids: [OnceLock<HashMap<&'a str, usize>>; KINDS],
    subnets_by_vpc: OnceLock<Groups<'a>>,
    route_tables_by_vpc: OnceLock<Groups<'a>>,
    security_groups_by_vpc: OnceLock<Groups<'a>>,
    network_acls_by_vpc: OnceLock<Groups<'a>>,
    endpoints_by_vpc: OnceLock<Groups<'a>>,
    load_balancers_by_vpc: OnceLock<Groups<'a>>,
    target_groups_by_vpc: OnceLock<Groups<'a>>,
    internet_gateways_by_vpc: OnceLock<Groups<'a>>,
    egress_only_gateways_by_vpc: OnceLock<Groups<'a>>,
    vpn_gateways_by_vpc: OnceLock<Groups<'a>>,
    peerings_by_vpc: OnceLock<Groups<'a>>,
    interfaces_by_subnet: OnceLock<Groups<'a>>,
    nat_gateways_by_subnet: OnceLock<Groups<'a>>,
    interfaces_by_instance: OnceLock<Groups<'a>>,
    endpoints_by_interface_subnet: OnceLock<Groups<'a>>,
    load_balancers_by_node_subnet: OnceLock<Groups<'a>>,
    attachments_by_tgw: OnceLock<Groups<'a>>,
    tgw_route_tables_by_tgw: OnceLock<Groups<'a>>,
    /// Route tables and network ACLs by each subnet they list, once per listing (R1, L1: a
    /// subnet listed twice is a finding); the first listing is the explicit association.
    route_tables_by_listed_subnet: OnceLock<Groups<'a>>,
    network_acls_by_listed_subnet: OnceLock<Groups<'a>>,
    /// NAT gateways and interfaces by the Elastic IP they use.
    nat_gateways_by_eip: OnceLock<Groups<'a>>,
    interfaces_by_eip: OnceLock<Groups<'a>>,
    /// Firewall endpoint id (`vpce-…`) → the firewall's position (F1).
    firewall_endpoints: OnceLock<HashMap<&'a str, usize>>,
    /// Endpoint services by service name (the first one wins).
    services_by_name: OnceLock<HashMap<&'a str, usize>>,
    /// Every table marked main, and every default ACL and group, by VPC id (R1, L1, S5: there
    /// should be one each).
    main_rts: OnceLock<Groups<'a>>,
    default_acls: OnceLock<Groups<'a>>,
    default_sgs: OnceLock<Groups<'a>>,
}

const KINDS: usize = ResourceKind::ALL.len();

/// The lazily built map behind a field: `lazy!(self.field, || build)`.
macro_rules! lazy {
    ($cell:expr, $build:expr) => {
        $cell.get_or_init(|| $build)
    };
}

/// Typed lookups by id: `fn vpc(&self, id) -> Option<&Vpc>` and so on.
macro_rules! by_id {
    ($($fn:ident: $kind:ident => $list:ident: $ty:ty;)*) => {
        $(
            #[doc = concat!("The ", stringify!($kind), " with this id.")]
            pub fn $fn(&self, id: &str) -> Option<&'a $ty> {
                self.ids(ResourceKind::$kind).get(id).and_then(|&p| self.d.$list.get(p))
            }
        )*
    };
}

/// Children of a parent, in design order: `fn vpc_subnets(&self, vpc) -> impl Iterator`.
macro_rules! children {
    ($($fn:ident: $groups:ident => $list:ident: $ty:ty;)*) => {
        $(
            #[doc = concat!("The `", stringify!($list), "` whose parent is `parent`, in design order.")]
            pub fn $fn<'s>(&'s self, parent: &str) -> impl Iterator<Item = &'a $ty> + 's {
                let d = self.d;
                let pos: &'s [usize] = self.$groups().of(parent);
                pos.iter().map(move |&i| &d.$list[i])
            }
        )*
    };
}

impl<'a> DesignIndex<'a> {
    /// Index a design. Nothing is read until a lookup needs it; each map then costs one pass
    /// over one of the design's lists.
    pub fn new(d: &'a Design) -> DesignIndex<'a> {
        DesignIndex {
            d,
            ids: std::array::from_fn(|_| OnceLock::new()),
            subnets_by_vpc: OnceLock::new(),
            route_tables_by_vpc: OnceLock::new(),
            security_groups_by_vpc: OnceLock::new(),
            network_acls_by_vpc: OnceLock::new(),
            endpoints_by_vpc: OnceLock::new(),
            load_balancers_by_vpc: OnceLock::new(),
            target_groups_by_vpc: OnceLock::new(),
            internet_gateways_by_vpc: OnceLock::new(),
            egress_only_gateways_by_vpc: OnceLock::new(),
            vpn_gateways_by_vpc: OnceLock::new(),
            peerings_by_vpc: OnceLock::new(),
            interfaces_by_subnet: OnceLock::new(),
            nat_gateways_by_subnet: OnceLock::new(),
            interfaces_by_instance: OnceLock::new(),
            endpoints_by_interface_subnet: OnceLock::new(),
            load_balancers_by_node_subnet: OnceLock::new(),
            attachments_by_tgw: OnceLock::new(),
            tgw_route_tables_by_tgw: OnceLock::new(),
            route_tables_by_listed_subnet: OnceLock::new(),
            network_acls_by_listed_subnet: OnceLock::new(),
            nat_gateways_by_eip: OnceLock::new(),
            interfaces_by_eip: OnceLock::new(),
            firewall_endpoints: OnceLock::new(),
            services_by_name: OnceLock::new(),
            main_rts: OnceLock::new(),
            default_acls: OnceLock::new(),
            default_sgs: OnceLock::new(),
        }
    }

    /// The firewall whose endpoint (`vpce-…`) this is (F1).
    pub fn firewall_of_endpoint(&self, endpoint: &str) -> Option<&'a NetworkFirewall> {
        let m = lazy!(self.firewall_endpoints, {
            let mut m: HashMap<&'a str, usize> = HashMap::default();
            for (i, f) in self.d.network_firewalls.iter().enumerate() {
                for e in &f.endpoints {
                    m.entry(e.id.as_str()).or_insert(i);
                }
            }
            m
        });
        m.get(endpoint).and_then(|&i| self.d.network_firewalls.get(i))
    }

    /// The resources of one kind by id (the first with an id wins).
    fn ids(&self, kind: ResourceKind) -> &HashMap<&'a str, usize> {
        lazy!(self.ids[kind as usize], {
            let d = self.d;
            let mut m: HashMap<&'a str, usize> = HashMap::default();
            macro_rules! place {
                ($($list:ident => $kind:ident),*) => {
                    match kind {
                        $(ResourceKind::$kind => {
                            m.reserve(d.$list.len());
                            for (pos, x) in d.$list.iter().enumerate() {
                                m.entry(x.id.as_str()).or_insert(pos);
                            }
                        })*
                    }
                };
            }
            place!(
                vpcs => Vpc, subnets => Subnet, route_tables => RouteTable, internet_gateways => InternetGateway,
                egress_only_internet_gateways => EgressOnlyInternetGateway, nat_gateways => NatGateway,
                elastic_ips => ElasticIp, instances => Instance, network_interfaces => NetworkInterface,
                security_groups => SecurityGroup, network_acls => NetworkAcl, peerings => VpcPeering,
                prefix_lists => PrefixList, endpoints => VpcEndpoint, endpoint_services => EndpointService,
                load_balancers => LoadBalancer, target_groups => TargetGroup, transit_gateways => TransitGateway,
                tgw_attachments => TgwAttachment, tgw_route_tables => TgwRouteTable, vpn_gateways => VpnGateway,
                customer_gateways => CustomerGateway, vpn_connections => VpnConnection,
                network_firewalls => NetworkFirewall, firewall_policies => FirewallPolicy,
                firewall_rule_groups => FirewallRuleGroup,
                databases => Database, db_subnet_groups => DbSubnetGroup, compute_services => ComputeService
            );
            m
        })
    }

    fn subnets_by_vpc(&self) -> &Groups<'a> {
        lazy!(self.subnets_by_vpc, group(&self.d.subnets, self.d.vpcs.len(), |s| Some(&s.vpc)))
    }
    fn route_tables_by_vpc(&self) -> &Groups<'a> {
        lazy!(self.route_tables_by_vpc, group(&self.d.route_tables, self.d.vpcs.len(), |r| Some(&r.vpc)))
    }
    fn security_groups_by_vpc(&self) -> &Groups<'a> {
        lazy!(self.security_groups_by_vpc, group(&self.d.security_groups, self.d.vpcs.len(), |g| Some(&g.vpc)))
    }
    fn network_acls_by_vpc(&self) -> &Groups<'a> {
        lazy!(self.network_acls_by_vpc, group(&self.d.network_acls, self.d.vpcs.len(), |a| Some(&a.vpc)))
    }
    fn endpoints_by_vpc(&self) -> &Groups<'a> {
        lazy!(self.endpoints_by_vpc, group(&self.d.endpoints, self.d.vpcs.len(), |e| Some(&e.vpc)))
    }
    fn load_balancers_by_vpc(&self) -> &Groups<'a> {
        lazy!(self.load_balancers_by_vpc, group(&self.d.load_balancers, self.d.vpcs.len(), |l| Some(&l.vpc)))
    }
    fn target_groups_by_vpc(&self) -> &Groups<'a> {
        lazy!(self.target_groups_by_vpc, group(&self.d.target_groups, self.d.vpcs.len(), |t| Some(&t.vpc)))
    }
    fn internet_gateways_by_vpc(&self) -> &Groups<'a> {
        lazy!(self.internet_gateways_by_vpc, group(&self.d.internet_gateways, self.d.vpcs.len(), |g| g.vpc.as_deref()))
    }
    fn egress_only_gateways_by_vpc(&self) -> &Groups<'a> {
        lazy!(
            self.egress_only_gateways_by_vpc,
            group(&self.d.egress_only_internet_gateways, self.d.vpcs.len(), |g| Some(&g.vpc))
        )
    }
    fn vpn_gateways_by_vpc(&self) -> &Groups<'a> {
        lazy!(self.vpn_gateways_by_vpc, group(&self.d.vpn_gateways, self.d.vpcs.len(), |g| g.vpc.as_deref()))
    }
    fn peerings_by_vpc(&self) -> &Groups<'a> {
        lazy!(self.peerings_by_vpc, {
            let pairs = || {
                self.d.peerings.iter().enumerate().flat_map(|(i, p)| {
                    let other = (p.accepter_vpc != p.requester_vpc).then_some((p.accepter_vpc.as_str(), i));
                    std::iter::once((p.requester_vpc.as_str(), i)).chain(other)
                })
            };
            Groups::build(pairs, self.d.vpcs.len(), false)
        })
    }
    fn interfaces_by_subnet(&self) -> &Groups<'a> {
        lazy!(self.interfaces_by_subnet, group(&self.d.network_interfaces, self.d.subnets.len(), |e| Some(&e.subnet)))
    }
    fn nat_gateways_by_subnet(&self) -> &Groups<'a> {
        // A regional NAT gateway has no subnet: it is grouped under its VPC's id (N9), which no
        // subnet id equals, so `positions_in_vpc` finds it.
        lazy!(
            self.nat_gateways_by_subnet,
            group(&self.d.nat_gateways, self.d.subnets.len(), |n| n.subnet.as_deref().or(n.vpc.as_deref()))
        )
    }
    fn interfaces_by_instance(&self) -> &Groups<'a> {
        lazy!(self.interfaces_by_instance, {
            let d = self.d;
            let mut m = group(&d.network_interfaces, d.instances.len(), |e| e.instance.as_deref());
            for run in m.runs_mut() {
                run.sort_by_key(|&e| d.network_interfaces[e].device_index);
            }
            m
        })
    }
    fn endpoints_by_interface_subnet(&self) -> &Groups<'a> {
        lazy!(self.endpoints_by_interface_subnet, {
            let pairs = || {
                self.d
                    .endpoints
                    .iter()
                    .enumerate()
                    .flat_map(|(i, e)| e.interfaces.iter().map(move |f| (f.subnet.as_str(), i)))
            };
            Groups::build(pairs, self.d.subnets.len(), true)
        })
    }
    fn load_balancers_by_node_subnet(&self) -> &Groups<'a> {
        lazy!(self.load_balancers_by_node_subnet, {
            let pairs = || {
                self.d
                    .load_balancers
                    .iter()
                    .enumerate()
                    .flat_map(|(i, l)| l.nodes.iter().map(move |n| (n.subnet.as_str(), i)))
            };
            Groups::build(pairs, self.d.subnets.len(), true)
        })
    }
    fn attachments_by_tgw(&self) -> &Groups<'a> {
        lazy!(self.attachments_by_tgw, group(&self.d.tgw_attachments, self.d.transit_gateways.len(), |a| Some(&a.tgw)))
    }
    fn tgw_route_tables_by_tgw(&self) -> &Groups<'a> {
        lazy!(
            self.tgw_route_tables_by_tgw,
            group(&self.d.tgw_route_tables, self.d.transit_gateways.len(), |r| Some(&r.tgw))
        )
    }
    fn services_by_name(&self) -> &HashMap<&'a str, usize> {
        lazy!(self.services_by_name, {
            let mut m = HashMap::default();
            for (i, s) in self.d.endpoint_services.iter().enumerate() {
                m.entry(s.service_name.as_str()).or_insert(i);
            }
            m
        })
    }
    fn route_tables_by_listed_subnet(&self) -> &Groups<'a> {
        lazy!(self.route_tables_by_listed_subnet, {
            let pairs = || {
                self.d.route_tables.iter().enumerate().flat_map(|(i, x)| x.subnets.iter().map(move |s| (s.as_str(), i)))
            };
            Groups::build(pairs, self.d.subnets.len(), false)
        })
    }
    fn network_acls_by_listed_subnet(&self) -> &Groups<'a> {
        lazy!(self.network_acls_by_listed_subnet, {
            let pairs = || {
                self.d.network_acls.iter().enumerate().flat_map(|(i, x)| x.subnets.iter().map(move |s| (s.as_str(), i)))
            };
            Groups::build(pairs, self.d.subnets.len(), false)
        })
    }
    fn nat_gateways_by_eip(&self) -> &Groups<'a> {
        lazy!(self.nat_gateways_by_eip, group(&self.d.nat_gateways, self.d.elastic_ips.len(), |n| n.eip.as_deref()))
    }
    fn interfaces_by_eip(&self) -> &Groups<'a> {
        lazy!(self.interfaces_by_eip, group(&self.d.network_interfaces, self.d.elastic_ips.len(), |e| e.eip.as_deref()))
    }
    fn main_rts(&self) -> &Groups<'a> {
        lazy!(self.main_rts, group(&self.d.route_tables, self.d.vpcs.len(), |r| r.main.then_some(r.vpc.as_str())))
    }
    fn default_acls(&self) -> &Groups<'a> {
        lazy!(
            self.default_acls,
            group(&self.d.network_acls, self.d.vpcs.len(), |a| a.is_default.then_some(a.vpc.as_str()))
        )
    }
    fn default_sgs(&self) -> &Groups<'a> {
        lazy!(
            self.default_sgs,
            group(&self.d.security_groups, self.d.vpcs.len(), |g| g.is_default.then_some(g.vpc.as_str()))
        )
    }

    /// The design indexed.
    pub fn design(&self) -> &'a Design {
        self.d
    }

    /// Where the resource with this id sits. Ids are unique in a design (loading refuses
    /// duplicates), so the kind its prefix names is asked first, then every kind in turn.
    pub fn slot(&self, id: &str) -> Option<Slot> {
        let hint = kind_of_prefix(id);
        let at = |kind: ResourceKind| self.ids(kind).get(id).map(|&pos| Slot { kind, pos });
        hint.and_then(at).or_else(|| ResourceKind::ALL.iter().filter(|k| Some(**k) != hint).find_map(|k| at(*k)))
    }

    /// The position of a resource of a kind in its list.
    pub fn pos(&self, kind: ResourceKind, id: &str) -> Option<usize> {
        self.ids(kind).get(id).copied()
    }

    /// Whether the design holds a resource with this id.
    pub fn contains(&self, id: &str) -> bool {
        self.slot(id).is_some()
    }

    /// The kind of the resource with this id.
    pub fn kind(&self, id: &str) -> Option<ResourceKind> {
        self.slot(id).map(|s| s.kind)
    }

    /// The resource with this id.
    pub fn find(&self, id: &str) -> Option<Resource<'a>> {
        resource_at(self.d, self.slot(id)?)
    }

    /// `name (id)`, or the id alone when the name is empty or the same; the id alone when
    /// the design does not hold it.
    pub fn display_name(&self, id: &str) -> String {
        match self.find(id) {
            Some(r) => r.display_name(),
            None => id.to_string(),
        }
    }

    by_id! {
        vpc: Vpc => vpcs: Vpc;
        subnet: Subnet => subnets: Subnet;
        route_table: RouteTable => route_tables: RouteTable;
        internet_gateway: InternetGateway => internet_gateways: InternetGateway;
        egress_only_internet_gateway: EgressOnlyInternetGateway => egress_only_internet_gateways: EgressOnlyInternetGateway;
        nat_gateway: NatGateway => nat_gateways: NatGateway;
        elastic_ip: ElasticIp => elastic_ips: ElasticIp;
        instance: Instance => instances: Instance;
        network_interface: NetworkInterface => network_interfaces: NetworkInterface;
        security_group: SecurityGroup => security_groups: SecurityGroup;
        network_acl: NetworkAcl => network_acls: NetworkAcl;
        peering: VpcPeering => peerings: VpcPeering;
        prefix_list: PrefixList => prefix_lists: PrefixList;
        endpoint: VpcEndpoint => endpoints: VpcEndpoint;
        endpoint_service: EndpointService => endpoint_services: EndpointService;
        load_balancer: LoadBalancer => load_balancers: LoadBalancer;
        target_group: TargetGroup => target_groups: TargetGroup;
        transit_gateway: TransitGateway => transit_gateways: TransitGateway;
        tgw_attachment: TgwAttachment => tgw_attachments: TgwAttachment;
        tgw_route_table: TgwRouteTable => tgw_route_tables: TgwRouteTable;
        vpn_gateway: VpnGateway => vpn_gateways: VpnGateway;
        customer_gateway: CustomerGateway => customer_gateways: CustomerGateway;
        vpn_connection: VpnConnection => vpn_connections: VpnConnection;
    }

    children! {
        vpc_subnets: subnets_by_vpc => subnets: Subnet;
        vpc_route_tables: route_tables_by_vpc => route_tables: RouteTable;
        vpc_security_groups: security_groups_by_vpc => security_groups: SecurityGroup;
        vpc_network_acls: network_acls_by_vpc => network_acls: NetworkAcl;
        vpc_endpoints: endpoints_by_vpc => endpoints: VpcEndpoint;
        vpc_load_balancers: load_balancers_by_vpc => load_balancers: LoadBalancer;
        vpc_target_groups: target_groups_by_vpc => target_groups: TargetGroup;
        vpc_internet_gateways: internet_gateways_by_vpc => internet_gateways: InternetGateway;
        vpc_egress_only_internet_gateways: egress_only_gateways_by_vpc => egress_only_internet_gateways: EgressOnlyInternetGateway;
        vpc_vpn_gateways: vpn_gateways_by_vpc => vpn_gateways: VpnGateway;
        vpc_peerings: peerings_by_vpc => peerings: VpcPeering;
        subnet_interfaces: interfaces_by_subnet => network_interfaces: NetworkInterface;
        subnet_nat_gateways: nat_gateways_by_subnet => nat_gateways: NatGateway;
        subnet_endpoints: endpoints_by_interface_subnet => endpoints: VpcEndpoint;
        subnet_load_balancers: load_balancers_by_node_subnet => load_balancers: LoadBalancer;
        tgw_attachments_of: attachments_by_tgw => tgw_attachments: TgwAttachment;
        tgw_route_tables_of: tgw_route_tables_by_tgw => tgw_route_tables: TgwRouteTable;
        main_route_tables: main_rts => route_tables: RouteTable;
        default_network_acls: default_acls => network_acls: NetworkAcl;
        default_security_groups: default_sgs => security_groups: SecurityGroup;
    }

    /// Positions of the route tables listing `subnet`, once per listing, in design order (R1).
    pub fn route_table_listings(&self, subnet: &str) -> &[usize] {
        self.route_tables_by_listed_subnet().of(subnet)
    }

    /// Positions of the network ACLs listing `subnet`, once per listing, in design order (L1).
    pub fn network_acl_listings(&self, subnet: &str) -> &[usize] {
        self.network_acls_by_listed_subnet().of(subnet)
    }

    /// The ids of what uses the Elastic IP `eip`: NAT gateways (their first address), then
    /// interfaces, each in design order.
    pub fn eip_users(&self, eip: &str) -> Vec<&'a str> {
        let d = self.d;
        let nats = self.nat_gateways_by_eip().of(eip).iter().map(|&i| d.nat_gateways[i].id.as_str());
        let enis = self.interfaces_by_eip().of(eip).iter().map(|&i| d.network_interfaces[i].id.as_str());
        nats.chain(enis).collect()
    }

    /// The design's endpoint service with this service name (`com.amazonaws.vpce.…`).
    pub fn endpoint_service_named(&self, service_name: &str) -> Option<&'a EndpointService> {
        self.services_by_name().get(service_name).map(|&i| &self.d.endpoint_services[i])
    }

    /// An instance's interfaces, primary (lowest device index) first.
    pub fn instance_interfaces<'s>(&'s self, instance: &str) -> impl Iterator<Item = &'a NetworkInterface> + 's {
        let d = self.d;
        let pos: &'s [usize] = self.interfaces_by_instance().of(instance);
        pos.iter().map(move |&i| &d.network_interfaces[i])
    }

    /// An instance's primary interface: the one with the lowest device index.
    pub fn primary_interface(&self, instance: &str) -> Option<&'a NetworkInterface> {
        self.instance_interfaces(instance).next()
    }

    /// The VPC a subnet belongs to.
    pub fn subnet_vpc(&self, subnet: &str) -> Option<&'a Vpc> {
        self.vpc(&self.subnet(subnet)?.vpc)
    }

    /// The route table a subnet uses: its explicit association, else its VPC's main table (R1).
    pub fn subnet_route_table(&self, subnet: &str) -> Option<&'a RouteTable> {
        let s = self.subnet(subnet)?;
        let first = || self.main_rts().of(&s.vpc).first().copied();
        explicit_or_default(self.route_table_listings(subnet).first().copied(), first).map(|t| &self.d.route_tables[t])
    }

    /// Whether the subnet's table is its explicit association (false: the main table).
    pub fn subnet_has_explicit_route_table(&self, subnet: &str) -> bool {
        !self.route_table_listings(subnet).is_empty()
    }

    /// The network ACL a subnet uses: its explicit association, else its VPC's default (L1).
    pub fn subnet_network_acl(&self, subnet: &str) -> Option<&'a NetworkAcl> {
        let s = self.subnet(subnet)?;
        let first = || self.default_acls().of(&s.vpc).first().copied();
        explicit_or_default(self.network_acl_listings(subnet).first().copied(), first).map(|a| &self.d.network_acls[a])
    }

    /// The public IPv4 address of an interface (I2): its Elastic IP's, else its auto-assigned one.
    pub fn interface_public_ip(&self, eni: &NetworkInterface) -> Option<std::net::Ipv4Addr> {
        super::lookup::public_address(eni, |a| self.elastic_ip(a))
    }

    /// The VPC's default security group (S5): the first marked default.
    pub fn default_security_group(&self, vpc: &str) -> Option<&'a SecurityGroup> {
        self.default_security_groups(vpc).next()
    }

    /// The internet gateway attached to a VPC (I1): the first one.
    pub fn vpc_internet_gateway(&self, vpc: &str) -> Option<&'a InternetGateway> {
        self.vpc_internet_gateways(vpc).next()
    }

    /// Positions (in the design's list) of the interfaces, NAT gateways, endpoints (by their
    /// interfaces) or load balancers (by their nodes) in any of `subnets`, in design order.
    pub fn positions_in_subnets<'s>(
        &self,
        kind: ResourceKind,
        subnets: impl IntoIterator<Item = &'s str>,
    ) -> Vec<usize> {
        let g = match kind {
            ResourceKind::NetworkInterface => self.interfaces_by_subnet(),
            ResourceKind::NatGateway => self.nat_gateways_by_subnet(),
            ResourceKind::VpcEndpoint => self.endpoints_by_interface_subnet(),
            ResourceKind::LoadBalancer => self.load_balancers_by_node_subnet(),
            _ => return Vec::new(),
        };
        let mut v: Vec<usize> = subnets.into_iter().flat_map(|s| g.of(s).iter().copied()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// [`DesignIndex::positions_in_subnets`] over the subnets of `vpc`.
    pub fn positions_in_vpc(&self, kind: ResourceKind, vpc: &str) -> Vec<usize> {
        let own = (kind == ResourceKind::NatGateway).then_some(vpc);
        self.positions_in_subnets(kind, self.vpc_subnets(vpc).map(|s| s.id.as_str()).chain(own))
    }

    /// The VPC an instance lives in: its primary interface's subnet's (the instance's own
    /// lookup in [`DesignIndex::vpc_of`], without finding the instance first).
    pub fn instance_vpc(&self, instance: &str) -> Option<&'a Vpc> {
        self.subnet_vpc(&self.primary_interface(instance)?.subnet)
    }

    /// The VPC id a NAT gateway names: its subnet's, or its own for a regional one
    /// ([`NatGateway::vpc_id`] through the index).
    pub fn nat_vpc_id<'n>(&self, n: &'n NatGateway) -> Option<&'n str>
    where
        'a: 'n,
    {
        match &n.subnet {
            Some(s) => self.subnet(s).map(|s| s.vpc.as_str()),
            None => n.vpc.as_deref(),
        }
    }

    /// The VPC a resource belongs to, when it belongs to exactly one.
    pub fn vpc_of(&self, id: &str) -> Option<&'a Vpc> {
        let vpc_id: &str = match self.find(id)? {
            Resource::Vpc(v) => &v.id,
            Resource::Subnet(s) => &s.vpc,
            Resource::RouteTable(r) => &r.vpc,
            Resource::InternetGateway(g) => g.vpc.as_deref()?,
            Resource::EgressOnlyInternetGateway(g) => &g.vpc,
            Resource::NatGateway(n) => self.nat_vpc_id(n)?,
            Resource::NetworkInterface(e) => &self.subnet(&e.subnet)?.vpc,
            Resource::Instance(i) => return self.instance_vpc(&i.id),
            Resource::SecurityGroup(g) => &g.vpc,
            Resource::NetworkAcl(a) => &a.vpc,
            Resource::VpcEndpoint(e) => &e.vpc,
            Resource::LoadBalancer(l) => &l.vpc,
            Resource::TargetGroup(t) => &t.vpc,
            Resource::VpnGateway(g) => g.vpc.as_deref()?,
            Resource::NetworkFirewall(f) => &f.vpc,
            _ => return None,
        };
        self.vpc(vpc_id)
    }
}

/// The kind whose id prefix (`subnet-`, `tgw-attach-` …) an id starts with, the longest first.
fn kind_of_prefix(id: &str) -> Option<ResourceKind> {
    use ResourceKind as K;
    let (head, rest) = id.split_once('-')?;
    Some(match head {
        "vpc" => K::Vpc,
        "subnet" => K::Subnet,
        "rtb" => K::RouteTable,
        "igw" => K::InternetGateway,
        "eigw" => K::EgressOnlyInternetGateway,
        "nat" => K::NatGateway,
        "eipalloc" => K::ElasticIp,
        "i" => K::Instance,
        "eni" => K::NetworkInterface,
        "sg" => K::SecurityGroup,
        "acl" => K::NetworkAcl,
        "pcx" => K::VpcPeering,
        "pl" => K::PrefixList,
        "vpce" if rest.starts_with("svc-") => K::EndpointService,
        "vpce" => K::VpcEndpoint,
        "nlb" => K::LoadBalancer,
        "tg" => K::TargetGroup,
        "tgw" if rest.starts_with("attach-") => K::TgwAttachment,
        "tgw" if rest.starts_with("rtb-") => K::TgwRouteTable,
        "tgw" => K::TransitGateway,
        "vgw" => K::VpnGateway,
        "cgw" => K::CustomerGateway,
        "vpn" => K::VpnConnection,
        "fw" => K::NetworkFirewall,
        "fwp" => K::FirewallPolicy,
        "rg" => K::FirewallRuleGroup,
        "db" => K::Database,
        "dbsubnet" => K::DbSubnetGroup,
        "svc" | "lambda" | "ecs" | "eks" => K::ComputeService,
        _ => return None,
    })
}

/// The resource at a slot.
fn resource_at(d: &Design, s: Slot) -> Option<Resource<'_>> {
    let p = s.pos;
    Some(match s.kind {
        ResourceKind::Vpc => Resource::Vpc(d.vpcs.get(p)?),
        ResourceKind::Subnet => Resource::Subnet(d.subnets.get(p)?),
        ResourceKind::RouteTable => Resource::RouteTable(d.route_tables.get(p)?),
        ResourceKind::InternetGateway => Resource::InternetGateway(d.internet_gateways.get(p)?),
        ResourceKind::EgressOnlyInternetGateway => {
            Resource::EgressOnlyInternetGateway(d.egress_only_internet_gateways.get(p)?)
        }
        ResourceKind::NatGateway => Resource::NatGateway(d.nat_gateways.get(p)?),
        ResourceKind::ElasticIp => Resource::ElasticIp(d.elastic_ips.get(p)?),
        ResourceKind::Instance => Resource::Instance(d.instances.get(p)?),
        ResourceKind::NetworkInterface => Resource::NetworkInterface(d.network_interfaces.get(p)?),
        ResourceKind::SecurityGroup => Resource::SecurityGroup(d.security_groups.get(p)?),
        ResourceKind::NetworkAcl => Resource::NetworkAcl(d.network_acls.get(p)?),
        ResourceKind::VpcPeering => Resource::VpcPeering(d.peerings.get(p)?),
        ResourceKind::PrefixList => Resource::PrefixList(d.prefix_lists.get(p)?),
        ResourceKind::VpcEndpoint => Resource::VpcEndpoint(d.endpoints.get(p)?),
        ResourceKind::EndpointService => Resource::EndpointService(d.endpoint_services.get(p)?),
        ResourceKind::LoadBalancer => Resource::LoadBalancer(d.load_balancers.get(p)?),
        ResourceKind::TargetGroup => Resource::TargetGroup(d.target_groups.get(p)?),
        ResourceKind::TransitGateway => Resource::TransitGateway(d.transit_gateways.get(p)?),
        ResourceKind::TgwAttachment => Resource::TgwAttachment(d.tgw_attachments.get(p)?),
        ResourceKind::TgwRouteTable => Resource::TgwRouteTable(d.tgw_route_tables.get(p)?),
        ResourceKind::VpnGateway => Resource::VpnGateway(d.vpn_gateways.get(p)?),
        ResourceKind::CustomerGateway => Resource::CustomerGateway(d.customer_gateways.get(p)?),
        ResourceKind::VpnConnection => Resource::VpnConnection(d.vpn_connections.get(p)?),
        ResourceKind::NetworkFirewall => Resource::NetworkFirewall(d.network_firewalls.get(p)?),
        ResourceKind::FirewallPolicy => Resource::FirewallPolicy(d.firewall_policies.get(p)?),
        ResourceKind::FirewallRuleGroup => Resource::FirewallRuleGroup(d.firewall_rule_groups.get(p)?),
        ResourceKind::Database => Resource::Database(d.databases.get(p)?),
        ResourceKind::DbSubnetGroup => Resource::DbSubnetGroup(d.db_subnet_groups.get(p)?),
        ResourceKind::ComputeService => Resource::ComputeService(d.compute_services.get(p)?),
    })
}
