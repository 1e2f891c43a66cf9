//! Copies of parts of a design: what an undo step keeps.
//!
//! An op says what it writes ([`super::Prepared::touches`], a list of [`Touch`]); an undo step
//! keeps only that. An op that edits a few resources in place names them ([`Touch::Rows`]), one
//! that adds to the end of a collection says so ([`Touch::Appends`]), one that removes a few
//! names them ([`Touch::Removes`]); only an op that may reorder a collection names it whole
//! ([`Touch::Kind`]). So the undo step of renaming one subnet of a 1000-VPC design keeps that
//! subnet, not six thousand, and the one of adding a route table keeps nothing of the others
//! but the rows its subnets leave.
//!
//! Restoring puts the parts back in the reverse of the order they were kept, so a step whose
//! ops kept the same collection twice (one subnet, then the whole list) comes back exactly; the
//! snapshot a restore returns (what the parts replaced) restores the other way. That is also
//! why an op naming several parts of one collection lists its rows first and its removals last
//! (rows are positions in the list as it was; removals put back go in before them).

use crate::model::*;

/// What an op writes: what an undo of it must keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touch {
    /// Anything in the collection of this kind (added, removed, reordered, changed).
    Kind(ResourceKind),
    /// Only these resources of this kind, changed in place: none added, removed or moved.
    Rows(ResourceKind, Vec<Id>),
    /// Only resources added at the end of the collection of this kind.
    Appends(ResourceKind),
    /// Only these resources of this kind removed, the others keeping their order. Listed
    /// after any other part of the same collection an op names.
    Removes(ResourceKind, Vec<Id>),
}

impl Touch {
    /// The kind whose collection it writes.
    pub fn kind(&self) -> ResourceKind {
        match self {
            Touch::Kind(k) | Touch::Rows(k, _) | Touch::Appends(k) | Touch::Removes(k, _) => *k,
        }
    }
}

/// How much of a collection a part holds.
#[derive(Debug, Clone, PartialEq)]
enum Held<T> {
    /// All of it.
    All(Vec<T>),
    /// Some elements, by position.
    Rows(Vec<(usize, T)>),
    /// Everything from a position on (putting it back truncates there first).
    Tail(usize, Vec<T>),
    /// Elements that are gone, with the positions they had (ascending): putting them back
    /// inserts them there.
    Gone(Vec<(usize, T)>),
    /// Positions (ascending) of elements that were not there: putting back removes them.
    Extra(Vec<usize>),
}

impl<T: Clone> Held<T> {
    /// Keep what `touch` says of `list` (`id` reads an element's id).
    fn take(list: &[T], touch: &Touch, id: impl Fn(&T) -> &str) -> Held<T> {
        let named = |ids: &[Id]| -> Vec<(usize, T)> {
            list.iter()
                .enumerate()
                .filter(|(_, x)| ids.iter().any(|w| w == id(x)))
                .map(|(i, x)| (i, x.clone()))
                .collect()
        };
        match touch {
            Touch::Kind(_) => Held::All(list.to_vec()),
            Touch::Rows(_, ids) => Held::Rows(named(ids)),
            Touch::Appends(_) => Held::Tail(list.len(), Vec::new()),
            Touch::Removes(_, ids) => Held::Gone(named(ids)),
        }
    }

    /// Put this back into `list`; returns what it replaced, in the same shape.
    fn put(self, list: &mut Vec<T>) -> Held<T> {
        match self {
            Held::All(v) => Held::All(std::mem::replace(list, v)),
            Held::Rows(rows) => Held::Rows(
                rows.into_iter()
                    .filter_map(|(i, x)| list.get_mut(i).map(|slot| (i, std::mem::replace(slot, x))))
                    .collect(),
            ),
            Held::Tail(from, items) => {
                let now = list.split_off(from.min(list.len()));
                list.extend(items);
                Held::Tail(from, now)
            }
            Held::Gone(items) => {
                // Ascending: each goes in after the ones before it are back.
                let mut at = Vec::with_capacity(items.len());
                for (i, x) in items {
                    let i = i.min(list.len());
                    list.insert(i, x);
                    at.push(i);
                }
                Held::Extra(at)
            }
            Held::Extra(at) => {
                let mut gone: Vec<(usize, T)> = Vec::with_capacity(at.len());
                for i in at.into_iter().rev() {
                    if i < list.len() {
                        gone.push((i, list.remove(i)));
                    }
                }
                gone.reverse();
                Held::Gone(gone)
            }
        }
    }

    fn is_all(&self) -> bool {
        matches!(self, Held::All(_))
    }
}

macro_rules! collections {
    ($($kind:ident => $field:ident: $ty:ty),* $(,)?) => {
        /// Some of one collection of a design, as it was.
        #[derive(Debug, Clone, PartialEq)]
        enum Part {
            $($kind(Held<$ty>),)*
        }

        fn take(d: &Design, touch: &Touch) -> Part {
            match touch.kind() {
                $(ResourceKind::$kind => Part::$kind(Held::take(&d.$field, touch, |x| x.id.as_str())),)*
            }
        }

        fn put(d: &mut Design, part: Part) -> Part {
            match part {
                $(Part::$kind(h) => Part::$kind(h.put(&mut d.$field)),)*
            }
        }

        fn kind_of(part: &Part) -> ResourceKind {
            match part {
                $(Part::$kind(_) => ResourceKind::$kind,)*
            }
        }

        fn is_all(part: &Part) -> bool {
            match part {
                $(Part::$kind(h) => h.is_all(),)*
            }
        }
    };
}

collections! {
    Vpc => vpcs: Vpc,
    Subnet => subnets: Subnet,
    RouteTable => route_tables: RouteTable,
    InternetGateway => internet_gateways: InternetGateway,
    EgressOnlyInternetGateway => egress_only_internet_gateways: EgressOnlyInternetGateway,
    NatGateway => nat_gateways: NatGateway,
    ElasticIp => elastic_ips: ElasticIp,
    Instance => instances: Instance,
    NetworkInterface => network_interfaces: NetworkInterface,
    SecurityGroup => security_groups: SecurityGroup,
    NetworkAcl => network_acls: NetworkAcl,
    VpcPeering => peerings: VpcPeering,
    PrefixList => prefix_lists: PrefixList,
    VpcEndpoint => endpoints: VpcEndpoint,
    EndpointService => endpoint_services: EndpointService,
    LoadBalancer => load_balancers: LoadBalancer,
    TargetGroup => target_groups: TargetGroup,
    TransitGateway => transit_gateways: TransitGateway,
    TgwAttachment => tgw_attachments: TgwAttachment,
    TgwRouteTable => tgw_route_tables: TgwRouteTable,
    VpnGateway => vpn_gateways: VpnGateway,
    CustomerGateway => customer_gateways: CustomerGateway,
    VpnConnection => vpn_connections: VpnConnection,
    NetworkFirewall => network_firewalls: NetworkFirewall,
    FirewallPolicy => firewall_policies: FirewallPolicy,
    FirewallRuleGroup => firewall_rule_groups: FirewallRuleGroup,
    Database => databases: Database,
    DbSubnetGroup => db_subnet_groups: DbSubnetGroup,
    ComputeService => compute_services: ComputeService,
}

/// Parts of a design, as they were when they were kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// In the order kept.
    parts: Vec<Part>,
}

impl Snapshot {
    /// Keep what `touches` says of `d`.
    pub fn take(d: &Design, touches: &[Touch]) -> Snapshot {
        let mut s = Snapshot::default();
        s.add(d, touches);
        s
    }

    /// Also keep what `touches` says of `d` as it is now (an op after the ones kept so far).
    /// A collection kept whole already needs nothing more: restoring it puts back all of it.
    pub fn add(&mut self, d: &Design, touches: &[Touch]) {
        for t in touches {
            if !self.covers(t.kind()) {
                self.parts.push(take(d, t));
            }
        }
    }

    /// Whether the whole collection of `kind` is kept.
    pub fn covers(&self, kind: ResourceKind) -> bool {
        self.parts.iter().any(|p| kind_of(p) == kind && is_all(p))
    }

    /// The kinds some of whose collection is kept, each once, in the order first kept.
    pub fn kinds(&self) -> Vec<ResourceKind> {
        let mut out: Vec<ResourceKind> = Vec::new();
        for k in self.parts.iter().map(kind_of) {
            if !out.contains(&k) {
                out.push(k);
            }
        }
        out
    }

    /// Put the kept parts back into `d` (the last kept first), returning a snapshot of what
    /// they replaced (so restoring that one undoes this).
    pub fn restore(self, d: &mut Design) -> Snapshot {
        let mut now = Vec::with_capacity(self.parts.len());
        for p in self.parts.into_iter().rev() {
            now.push(put(d, p));
        }
        // `now` holds what the parts replaced, last-kept first: restored in its own reverse
        // order, the first op's part goes back first, as redoing the ops in order would.
        Snapshot { parts: now }
    }
}
