//! Copies of some of a design's collections: what an undo step keeps.
//!
//! An op says which collections it writes ([`super::Prepared::touches`]); keeping only those
//! makes an undo step of a one-field edit cost one collection, not the whole design.

use crate::model::*;

macro_rules! collections {
    ($($kind:ident => $field:ident: $ty:ty),* $(,)?) => {
        /// One collection of a design, as it was.
        #[derive(Debug, Clone, PartialEq)]
        enum Part {
            $($kind(Vec<$ty>),)*
        }

        fn take(d: &Design, kind: ResourceKind) -> Part {
            match kind {
                $(ResourceKind::$kind => Part::$kind(d.$field.clone()),)*
            }
        }

        fn put(d: &mut Design, part: Part) {
            match part {
                $(Part::$kind(v) => d.$field = v,)*
            }
        }

        fn kind_of(part: &Part) -> ResourceKind {
            match part {
                $(Part::$kind(_) => ResourceKind::$kind,)*
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

/// Some collections of a design, as they were when the snapshot was taken.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    parts: Vec<Part>,
}

impl Snapshot {
    /// Keep a copy of the collections of `kinds` (each once).
    pub fn take(d: &Design, kinds: &[ResourceKind]) -> Snapshot {
        let mut s = Snapshot::default();
        s.add(d, kinds);
        s
    }

    /// Also keep the collections of `kinds` not kept yet (as they are now).
    pub fn add(&mut self, d: &Design, kinds: &[ResourceKind]) {
        for k in kinds {
            if !self.covers(*k) {
                self.parts.push(take(d, *k));
            }
        }
    }

    /// Whether the collection of `kind` is kept.
    pub fn covers(&self, kind: ResourceKind) -> bool {
        self.parts.iter().any(|p| kind_of(p) == kind)
    }

    /// The kinds whose collections are kept.
    pub fn kinds(&self) -> Vec<ResourceKind> {
        self.parts.iter().map(kind_of).collect()
    }

    /// Put the kept collections back into `d`, returning a snapshot of what they replaced (so
    /// restoring that one undoes this).
    pub fn restore(self, d: &mut Design) -> Snapshot {
        let now = Snapshot::take(d, &self.kinds());
        for p in self.parts {
            put(d, p);
        }
        now
    }
}
