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
//!
//! A [`LiveIndex`] keeps the maps between edits (the app's findings): it owns its keys, and
//! [`LiveIndex::update`] brings the maps built so far up to date for what an edit touched,
//! so an edit costs what it touched rather than a pass over every list the checks read.

use super::*;
use foldhash::HashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Where a resource sits: its kind and its position in the design's list of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    pub kind: ResourceKind,
    pub pos: usize,
}

/// Positions in one of the design's lists, grouped by a key its elements name (a parent id,
/// an id they list, a name). Keys are borrowed from the design, or owned by a [`LiveIndex`].
type Groups<'k> = HashMap<Cow<'k, str>, Vec<usize>>;

/// Position in one of the design's lists, by id (the first with an id wins).
type Ids<'k> = HashMap<Cow<'k, str>, usize>;

/// R1, L1: a subnet uses its explicit association, else its VPC's default (the main route
/// table, the default network ACL). The one place this rule is written.
pub fn explicit_or_default<T>(explicit: Option<T>, vpc_default: impl FnOnce() -> Option<T>) -> Option<T> {
    explicit.or_else(vpc_default)
}

/// The maps grouping the positions of one list by a key its elements name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum G {
    SubnetsByVpc,
    RouteTablesByVpc,
    SecurityGroupsByVpc,
    NetworkAclsByVpc,
    EndpointsByVpc,
    LoadBalancersByVpc,
    TargetGroupsByVpc,
    InternetGatewaysByVpc,
    EgressOnlyGatewaysByVpc,
    VpnGatewaysByVpc,
    PeeringsByVpc,
    InterfacesBySubnet,
    NatGatewaysBySubnet,
    InterfacesByInstance,
    EndpointsByInterfaceSubnet,
    LoadBalancersByNodeSubnet,
    AttachmentsByTgw,
    TgwRouteTablesByTgw,
    /// Route tables and network ACLs by each subnet they list, once per listing (R1, L1: a
    /// subnet listed twice is a finding; the first lister is the explicit association).
    RouteTablesByListedSubnet,
    NetworkAclsByListedSubnet,
    /// NAT gateways and interfaces by the Elastic IP they use.
    NatGatewaysByEip,
    InterfacesByEip,
    /// Firewalls by their endpoints' ids (`vpce-…`, F1).
    FirewallEndpoints,
    /// Endpoint services by service name.
    ServicesByName,
    /// Every table marked main, and every default ACL and group, by VPC id (R1, L1, S5: there
    /// should be one each).
    MainRts,
    DefaultAcls,
    DefaultSgs,
}

const GROUPS: usize = 27;

const ALL_GROUPS: [G; GROUPS] = [
    G::SubnetsByVpc,
    G::RouteTablesByVpc,
    G::SecurityGroupsByVpc,
    G::NetworkAclsByVpc,
    G::EndpointsByVpc,
    G::LoadBalancersByVpc,
    G::TargetGroupsByVpc,
    G::InternetGatewaysByVpc,
    G::EgressOnlyGatewaysByVpc,
    G::VpnGatewaysByVpc,
    G::PeeringsByVpc,
    G::InterfacesBySubnet,
    G::NatGatewaysBySubnet,
    G::InterfacesByInstance,
    G::EndpointsByInterfaceSubnet,
    G::LoadBalancersByNodeSubnet,
    G::AttachmentsByTgw,
    G::TgwRouteTablesByTgw,
    G::RouteTablesByListedSubnet,
    G::NetworkAclsByListedSubnet,
    G::NatGatewaysByEip,
    G::InterfacesByEip,
    G::FirewallEndpoints,
    G::ServicesByName,
    G::MainRts,
    G::DefaultAcls,
    G::DefaultSgs,
];

impl G {
    /// The kind whose list it groups.
    fn kind(self) -> ResourceKind {
        use ResourceKind as K;
        match self {
            G::SubnetsByVpc => K::Subnet,
            G::RouteTablesByVpc | G::RouteTablesByListedSubnet | G::MainRts => K::RouteTable,
            G::SecurityGroupsByVpc | G::DefaultSgs => K::SecurityGroup,
            G::NetworkAclsByVpc | G::NetworkAclsByListedSubnet | G::DefaultAcls => K::NetworkAcl,
            G::EndpointsByVpc | G::EndpointsByInterfaceSubnet => K::VpcEndpoint,
            G::LoadBalancersByVpc | G::LoadBalancersByNodeSubnet => K::LoadBalancer,
            G::TargetGroupsByVpc => K::TargetGroup,
            G::InternetGatewaysByVpc => K::InternetGateway,
            G::EgressOnlyGatewaysByVpc => K::EgressOnlyInternetGateway,
            G::VpnGatewaysByVpc => K::VpnGateway,
            G::PeeringsByVpc => K::VpcPeering,
            G::InterfacesBySubnet | G::InterfacesByInstance | G::InterfacesByEip => K::NetworkInterface,
            G::NatGatewaysBySubnet | G::NatGatewaysByEip => K::NatGateway,
            G::AttachmentsByTgw => K::TgwAttachment,
            G::TgwRouteTablesByTgw => K::TgwRouteTable,
            G::FirewallEndpoints => K::NetworkFirewall,
            G::ServicesByName => K::EndpointService,
        }
    }

    /// Whether the map groups by the VPC its elements belong to.
    fn by_parent_vpc(self) -> bool {
        matches!(
            self,
            G::SubnetsByVpc
                | G::RouteTablesByVpc
                | G::SecurityGroupsByVpc
                | G::NetworkAclsByVpc
                | G::EndpointsByVpc
                | G::LoadBalancersByVpc
                | G::TargetGroupsByVpc
                | G::InternetGatewaysByVpc
                | G::EgressOnlyGatewaysByVpc
                | G::VpnGatewaysByVpc
                | G::PeeringsByVpc
                | G::MainRts
                | G::DefaultAcls
                | G::DefaultSgs
        )
    }

    /// Whether a position is listed once per key (else once per time its element names the
    /// key: a table listing a subnet twice is listed twice).
    fn once(self) -> bool {
        !matches!(self, G::RouteTablesByListedSubnet | G::NetworkAclsByListedSubnet)
    }

    /// The keys the element at `pos` of the list is grouped under, in the order it names them.
    fn keys<'a>(self, d: &'a Design, pos: usize, out: &mut Vec<&'a str>) {
        match self {
            G::SubnetsByVpc => out.push(&d.subnets[pos].vpc),
            G::RouteTablesByVpc => out.push(&d.route_tables[pos].vpc),
            G::SecurityGroupsByVpc => out.push(&d.security_groups[pos].vpc),
            G::NetworkAclsByVpc => out.push(&d.network_acls[pos].vpc),
            G::EndpointsByVpc => out.push(&d.endpoints[pos].vpc),
            G::LoadBalancersByVpc => out.push(&d.load_balancers[pos].vpc),
            G::TargetGroupsByVpc => out.push(&d.target_groups[pos].vpc),
            G::InternetGatewaysByVpc => out.extend(d.internet_gateways[pos].vpc.as_deref()),
            G::EgressOnlyGatewaysByVpc => out.push(&d.egress_only_internet_gateways[pos].vpc),
            G::VpnGatewaysByVpc => out.extend(d.vpn_gateways[pos].vpc.as_deref()),
            G::PeeringsByVpc => {
                let p = &d.peerings[pos];
                out.push(&p.requester_vpc);
                out.push(&p.accepter_vpc);
            }
            G::InterfacesBySubnet => out.push(&d.network_interfaces[pos].subnet),
            // A regional NAT gateway has no subnet: it is grouped under its VPC's id (N9), which
            // no subnet id equals, so `positions_in_vpc` finds it.
            G::NatGatewaysBySubnet => {
                let n = &d.nat_gateways[pos];
                out.extend(n.subnet.as_deref().or(n.vpc.as_deref()))
            }
            G::InterfacesByInstance => out.extend(d.network_interfaces[pos].instance.as_deref()),
            G::EndpointsByInterfaceSubnet => out.extend(d.endpoints[pos].interfaces.iter().map(|f| f.subnet.as_str())),
            G::LoadBalancersByNodeSubnet => out.extend(d.load_balancers[pos].nodes.iter().map(|n| n.subnet.as_str())),
            G::AttachmentsByTgw => out.push(&d.tgw_attachments[pos].tgw),
            G::TgwRouteTablesByTgw => out.push(&d.tgw_route_tables[pos].tgw),
            G::RouteTablesByListedSubnet => out.extend(d.route_tables[pos].subnets.iter().map(String::as_str)),
            G::NetworkAclsByListedSubnet => out.extend(d.network_acls[pos].subnets.iter().map(String::as_str)),
            G::NatGatewaysByEip => out.extend(d.nat_gateways[pos].eip.as_deref()),
            G::InterfacesByEip => out.extend(d.network_interfaces[pos].eip.as_deref()),
            G::FirewallEndpoints => out.extend(d.network_firewalls[pos].endpoints.iter().map(|e| e.id.as_str())),
            G::ServicesByName => out.push(&d.endpoint_services[pos].service_name),
            G::MainRts => {
                let r = &d.route_tables[pos];
                out.extend(r.main.then_some(r.vpc.as_str()))
            }
            G::DefaultAcls => {
                let a = &d.network_acls[pos];
                out.extend(a.is_default.then_some(a.vpc.as_str()))
            }
            G::DefaultSgs => {
                let g = &d.security_groups[pos];
                out.extend(g.is_default.then_some(g.vpc.as_str()))
            }
        }
    }

    /// Put `pos` in the list of `key`: in design order, once per key for [`G::once`] maps.
    /// An instance's interfaces are sorted by device index afterwards ([`G::sort`]).
    fn place(self, v: &mut Vec<usize>, pos: usize) {
        if self == G::InterfacesByInstance {
            if !v.contains(&pos) {
                v.push(pos);
            }
            return;
        }
        let at = v.partition_point(|&x| x < pos);
        if self.once() && v.get(at) == Some(&pos) {
            return;
        }
        v.insert(at, pos);
    }

    /// Order a key's positions as the map keeps them: an instance's interfaces by device
    /// index (the primary first), then design order; every other map in design order.
    fn sort(self, d: &Design, v: &mut [usize]) {
        if self == G::InterfacesByInstance {
            v.sort_by_key(|&e| (d.network_interfaces[e].device_index, e));
        }
    }

    /// Build the map over the whole list; `owned` says whether keys are copied (`mk` makes
    /// one, borrowed or owned). Consecutive elements naming the same key (a VPC's subnets,
    /// tables and groups sit together in most designs) are gathered in a run and put in the
    /// map at once, so a key is hashed once per run rather than once per element.
    fn build<'a, 'k>(self, d: &'a Design, owned: bool, mk: impl Fn(&'a str) -> Cow<'k, str>) -> Groups<'k> {
        let len = list_len(d, self.kind());
        // About a key per element, except for the maps by VPC (a VPC has several of each).
        let keys_per = if self.by_parent_vpc() { 4 } else { 1 };
        let mut m: Groups<'k> = HashMap::with_capacity_and_hasher(len / keys_per, Default::default());
        let mut keys: Vec<&'a str> = Vec::new();
        let once = self.once();
        // Put a run's positions (increasing) after those the key already has.
        let flush = |m: &mut Groups<'k>, k: &'a str, run: Vec<usize>| {
            let v = if owned {
                match m.get_mut(k) {
                    Some(v) => v,
                    None => {
                        m.insert(mk(k), run);
                        return;
                    }
                }
            } else {
                match m.entry(mk(k)) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(run);
                        return;
                    }
                }
            };
            let skip = usize::from(once && v.last().is_some() && v.last() == run.first());
            v.extend_from_slice(&run[skip..]);
        };
        let mut run: Option<(&'a str, Vec<usize>)> = None;
        for pos in 0..len {
            keys.clear();
            self.keys(d, pos, &mut keys);
            for &k in &keys {
                match &mut run {
                    Some((rk, v)) if *rk == k => {
                        if !(once && v.last() == Some(&pos)) {
                            v.push(pos);
                        }
                    }
                    _ => {
                        if let Some((rk, v)) = run.replace((k, vec![pos])) {
                            flush(&mut m, rk, v);
                        }
                    }
                }
            }
        }
        if let Some((rk, v)) = run {
            flush(&mut m, rk, v);
        }
        if self == G::InterfacesByInstance {
            for v in m.values_mut() {
                self.sort(d, v);
            }
        }
        m
    }
}

/// Applies `$body` to the design's list of `$kind` as `$list`.
macro_rules! with_list {
    ($d:expr, $kind:expr, |$list:ident| $body:expr) => {{
        use ResourceKind as K;
        let d = $d;
        match $kind {
            K::Vpc => {
                let $list = &d.vpcs[..];
                $body
            }
            K::Subnet => {
                let $list = &d.subnets[..];
                $body
            }
            K::RouteTable => {
                let $list = &d.route_tables[..];
                $body
            }
            K::InternetGateway => {
                let $list = &d.internet_gateways[..];
                $body
            }
            K::EgressOnlyInternetGateway => {
                let $list = &d.egress_only_internet_gateways[..];
                $body
            }
            K::NatGateway => {
                let $list = &d.nat_gateways[..];
                $body
            }
            K::ElasticIp => {
                let $list = &d.elastic_ips[..];
                $body
            }
            K::Instance => {
                let $list = &d.instances[..];
                $body
            }
            K::NetworkInterface => {
                let $list = &d.network_interfaces[..];
                $body
            }
            K::SecurityGroup => {
                let $list = &d.security_groups[..];
                $body
            }
            K::NetworkAcl => {
                let $list = &d.network_acls[..];
                $body
            }
            K::VpcPeering => {
                let $list = &d.peerings[..];
                $body
            }
            K::PrefixList => {
                let $list = &d.prefix_lists[..];
                $body
            }
            K::VpcEndpoint => {
                let $list = &d.endpoints[..];
                $body
            }
            K::EndpointService => {
                let $list = &d.endpoint_services[..];
                $body
            }
            K::LoadBalancer => {
                let $list = &d.load_balancers[..];
                $body
            }
            K::TargetGroup => {
                let $list = &d.target_groups[..];
                $body
            }
            K::TransitGateway => {
                let $list = &d.transit_gateways[..];
                $body
            }
            K::TgwAttachment => {
                let $list = &d.tgw_attachments[..];
                $body
            }
            K::TgwRouteTable => {
                let $list = &d.tgw_route_tables[..];
                $body
            }
            K::VpnGateway => {
                let $list = &d.vpn_gateways[..];
                $body
            }
            K::CustomerGateway => {
                let $list = &d.customer_gateways[..];
                $body
            }
            K::VpnConnection => {
                let $list = &d.vpn_connections[..];
                $body
            }
            K::NetworkFirewall => {
                let $list = &d.network_firewalls[..];
                $body
            }
            K::FirewallPolicy => {
                let $list = &d.firewall_policies[..];
                $body
            }
            K::FirewallRuleGroup => {
                let $list = &d.firewall_rule_groups[..];
                $body
            }
            K::Database => {
                let $list = &d.databases[..];
                $body
            }
            K::DbSubnetGroup => {
                let $list = &d.db_subnet_groups[..];
                $body
            }
            K::ComputeService => {
                let $list = &d.compute_services[..];
                $body
            }
        }
    }};
}

/// How many resources the design's list of `kind` holds.
fn list_len(d: &Design, kind: ResourceKind) -> usize {
    with_list!(d, kind, |list| list.len())
}

/// The id of the resource at `pos` of the design's list of `kind`.
fn id_at(d: &Design, kind: ResourceKind, pos: usize) -> Option<&str> {
    with_list!(d, kind, |list| list.get(pos).map(|x| x.id.as_str()))
}

/// The ids map of one list (the first with an id wins).
fn build_ids<'a, 'k>(d: &'a Design, kind: ResourceKind, mk: impl Fn(&'a str) -> Cow<'k, str>) -> Ids<'k> {
    with_list!(d, kind, |list| {
        let mut m: Ids<'k> = HashMap::with_capacity_and_hasher(list.len(), Default::default());
        // One hash per id: a borrowed key costs nothing to make; an owned one is made only
        // for an id not seen yet.
        let borrowed = matches!(mk(""), Cow::Borrowed(_));
        for (pos, x) in list.iter().enumerate() {
            if borrowed {
                m.entry(mk(&x.id)).or_insert(pos);
            } else if !m.contains_key(x.id.as_str()) {
                m.insert(mk(&x.id), pos);
            }
        }
        m
    })
}

const KINDS: usize = ResourceKind::ALL.len();

#[cfg(test)]
thread_local! {
    /// Lookups made through an index on this thread: a check's cost, counted whatever the
    /// machine's load (tests).
    pub static LOOKUPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Every map of an index, each built the first time it is asked for.
#[derive(Debug, Clone, Default)]
struct MapSet<'k> {
    /// Per kind (in `ResourceKind::ALL` order): id → position in the design's list.
    ids: [OnceLock<Ids<'k>>; KINDS],
    /// Per [`G`], in `ALL_GROUPS` order.
    groups: [OnceLock<Groups<'k>>; GROUPS],
}

/// The maps an index reads: its own, borrowing the design's strings, or a [`LiveIndex`]'s.
#[derive(Debug)]
enum Maps<'a> {
    Own(Box<MapSet<'a>>),
    Live(&'a MapSet<'static>),
}

/// The index. Build it with [`DesignIndex::new`] (it borrows the design), or view a
/// [`LiveIndex`] kept between edits.
#[derive(Debug)]
pub struct DesignIndex<'a> {
    d: &'a Design,
    maps: Maps<'a>,
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
                let pos: &'s [usize] = self.group(G::$groups).get(parent).map(Vec::as_slice).unwrap_or(&[]);
                pos.iter().map(move |&i| &d.$list[i])
            }
        )*
    };
}

impl<'a> DesignIndex<'a> {
    /// Index a design. Nothing is read until a lookup needs it; each map then costs one pass
    /// over one of the design's lists.
    pub fn new(d: &'a Design) -> DesignIndex<'a> {
        DesignIndex { d, maps: Maps::Own(Box::default()) }
    }

    /// The resources of one kind by id (the first with an id wins).
    fn ids(&self, kind: ResourceKind) -> &Ids<'a> {
        #[cfg(test)]
        LOOKUPS.with(|c| c.set(c.get() + 1));
        let d = self.d;
        match &self.maps {
            Maps::Own(m) => m.ids[kind as usize].get_or_init(|| build_ids(d, kind, Cow::Borrowed)),
            Maps::Live(m) => m.ids[kind as usize].get_or_init(|| build_ids(d, kind, |s| Cow::Owned(s.to_owned()))),
        }
    }

    /// One of the grouping maps.
    fn group(&self, g: G) -> &Groups<'a> {
        #[cfg(test)]
        LOOKUPS.with(|c| c.set(c.get() + 1));
        let d = self.d;
        match &self.maps {
            Maps::Own(m) => m.groups[g as usize].get_or_init(|| g.build(d, false, Cow::Borrowed)),
            Maps::Live(m) => {
                // A live index keeps a list's ids map whenever it keeps a map of that list:
                // `LiveIndex::update` finds an edit's positions through it.
                self.ids(g.kind());
                m.groups[g as usize].get_or_init(|| g.build(d, true, |s| Cow::Owned(s.to_owned())))
            }
        }
    }

    /// The first position grouped under `key`.
    fn first(&self, g: G, key: &str) -> Option<usize> {
        self.group(g).get(key).and_then(|v| v.first().copied())
    }

    /// The firewall whose endpoint (`vpce-…`) this is (F1).
    pub fn firewall_of_endpoint(&self, endpoint: &str) -> Option<&'a NetworkFirewall> {
        self.first(G::FirewallEndpoints, endpoint).and_then(|i| self.d.network_firewalls.get(i))
    }

    fn interfaces_by_subnet(&self) -> &Groups<'a> {
        self.group(G::InterfacesBySubnet)
    }
    fn nat_gateways_by_subnet(&self) -> &Groups<'a> {
        self.group(G::NatGatewaysBySubnet)
    }
    fn interfaces_by_instance(&self) -> &Groups<'a> {
        self.group(G::InterfacesByInstance)
    }
    fn endpoints_by_interface_subnet(&self) -> &Groups<'a> {
        self.group(G::EndpointsByInterfaceSubnet)
    }
    fn load_balancers_by_node_subnet(&self) -> &Groups<'a> {
        self.group(G::LoadBalancersByNodeSubnet)
    }
    fn route_tables_by_listed_subnet(&self) -> &Groups<'a> {
        self.group(G::RouteTablesByListedSubnet)
    }
    fn network_acls_by_listed_subnet(&self) -> &Groups<'a> {
        self.group(G::NetworkAclsByListedSubnet)
    }
    fn nat_gateways_by_eip(&self) -> &Groups<'a> {
        self.group(G::NatGatewaysByEip)
    }
    fn interfaces_by_eip(&self) -> &Groups<'a> {
        self.group(G::InterfacesByEip)
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
        vpc_subnets: SubnetsByVpc => subnets: Subnet;
        vpc_route_tables: RouteTablesByVpc => route_tables: RouteTable;
        vpc_security_groups: SecurityGroupsByVpc => security_groups: SecurityGroup;
        vpc_network_acls: NetworkAclsByVpc => network_acls: NetworkAcl;
        vpc_endpoints: EndpointsByVpc => endpoints: VpcEndpoint;
        vpc_load_balancers: LoadBalancersByVpc => load_balancers: LoadBalancer;
        vpc_target_groups: TargetGroupsByVpc => target_groups: TargetGroup;
        vpc_internet_gateways: InternetGatewaysByVpc => internet_gateways: InternetGateway;
        vpc_egress_only_internet_gateways: EgressOnlyGatewaysByVpc => egress_only_internet_gateways: EgressOnlyInternetGateway;
        vpc_vpn_gateways: VpnGatewaysByVpc => vpn_gateways: VpnGateway;
        vpc_peerings: PeeringsByVpc => peerings: VpcPeering;
        subnet_interfaces: InterfacesBySubnet => network_interfaces: NetworkInterface;
        subnet_nat_gateways: NatGatewaysBySubnet => nat_gateways: NatGateway;
        subnet_endpoints: EndpointsByInterfaceSubnet => endpoints: VpcEndpoint;
        subnet_load_balancers: LoadBalancersByNodeSubnet => load_balancers: LoadBalancer;
        tgw_attachments_of: AttachmentsByTgw => tgw_attachments: TgwAttachment;
        tgw_route_tables_of: TgwRouteTablesByTgw => tgw_route_tables: TgwRouteTable;
        main_route_tables: MainRts => route_tables: RouteTable;
        default_network_acls: DefaultAcls => network_acls: NetworkAcl;
        default_security_groups: DefaultSgs => security_groups: SecurityGroup;
    }

    /// Positions of the route tables listing `subnet`, once per listing, in design order (R1).
    pub fn route_table_listings(&self, subnet: &str) -> &[usize] {
        self.route_tables_by_listed_subnet().get(subnet).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Positions of the network ACLs listing `subnet`, once per listing, in design order (L1).
    pub fn network_acl_listings(&self, subnet: &str) -> &[usize] {
        self.network_acls_by_listed_subnet().get(subnet).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The ids of what uses the Elastic IP `eip`: NAT gateways (their first address), then
    /// interfaces, each in design order.
    pub fn eip_users(&self, eip: &str) -> Vec<&'a str> {
        let d = self.d;
        let nats = self.nat_gateways_by_eip().get(eip).into_iter().flatten().map(|&i| d.nat_gateways[i].id.as_str());
        let enis =
            self.interfaces_by_eip().get(eip).into_iter().flatten().map(|&i| d.network_interfaces[i].id.as_str());
        nats.chain(enis).collect()
    }

    /// The design's endpoint service with this service name (`com.amazonaws.vpce.…`).
    pub fn endpoint_service_named(&self, service_name: &str) -> Option<&'a EndpointService> {
        self.first(G::ServicesByName, service_name).map(|i| &self.d.endpoint_services[i])
    }

    /// An instance's interfaces, primary (lowest device index) first.
    pub fn instance_interfaces<'s>(&'s self, instance: &str) -> impl Iterator<Item = &'a NetworkInterface> + 's {
        let d = self.d;
        let pos: &'s [usize] = self.interfaces_by_instance().get(instance).map(Vec::as_slice).unwrap_or(&[]);
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
        let first = || self.first(G::MainRts, &s.vpc);
        explicit_or_default(self.first(G::RouteTablesByListedSubnet, subnet), first).map(|t| &self.d.route_tables[t])
    }

    /// Whether the subnet's table is its explicit association (false: the main table).
    pub fn subnet_has_explicit_route_table(&self, subnet: &str) -> bool {
        self.first(G::RouteTablesByListedSubnet, subnet).is_some()
    }

    /// The network ACL a subnet uses: its explicit association, else its VPC's default (L1).
    pub fn subnet_network_acl(&self, subnet: &str) -> Option<&'a NetworkAcl> {
        let s = self.subnet(subnet)?;
        let first = || self.first(G::DefaultAcls, &s.vpc);
        explicit_or_default(self.first(G::NetworkAclsByListedSubnet, subnet), first).map(|a| &self.d.network_acls[a])
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
        let mut v: Vec<usize> = subnets.into_iter().flat_map(|s| g.get(s).into_iter().flatten().copied()).collect();
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

mod live;
pub use live::LiveIndex;
mod outside;
