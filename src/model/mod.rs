//! The design: plain serde data shared by every pane, the trace engine, importers and exporters.
//!
//! Resources live in flat, ordered lists and refer to each other by id. The order is the order
//! they were added in, so saved files are stable and diff well. Nothing here knows about
//! terminals.

pub mod builder;
pub mod catalog;
pub mod common;
pub mod compute;
pub mod edit;
pub mod endpoint_dns;
pub mod endpoints;
pub mod firewall;
pub mod gateways;
pub mod gen;
pub mod index;
pub mod ipv6;
pub mod lookup;
pub mod ops;
pub mod peering;
pub mod references;
pub mod routing;
pub mod security;
pub mod services;
pub mod sync;
pub mod text;
pub mod transit;
pub mod vpc;

pub use catalog::{ServiceCatalog, ServiceEntry};
pub use common::{is_region_name, Id, PortSpec, Protocol, RuleAction};
pub use compute::{Instance, InstanceState, NetworkInterface};
pub use edit::{EditError, Reference};
pub use endpoints::{
    ApplianceRule, ApplianceRules, EndpointInterface, EndpointKind, EndpointService, EndpointState, Listener,
    LoadBalancer, LoadBalancerKind, LoadBalancerNode, LoadBalancerScheme, Target, TargetGroup, TargetType, VpcEndpoint,
};
pub use firewall::{
    DomainList, DomainListAction, FirewallEndpoint, FirewallPolicy, FirewallRuleGroup, NetworkFirewall, PortRange,
    RuleAddress, RuleGroupKind, RuleGroupRef, RuleOrder, StatefulAction, StatefulDefault, StatefulRule,
    StatelessAction, StatelessRule,
};
pub use gateways::{
    EgressOnlyInternetGateway, ElasticIp, InternetGateway, NatAvailabilityMode, NatConnectivity, NatGateway, NatState,
    NatZoneAddress,
};
pub use index::{DesignIndex, LiveIndex};
pub use lookup::{Resource, ResourceKind};
pub use peering::{PeeringStatus, VpcPeering};
pub use routing::{PrefixList, Route, RouteDestination, RouteOrigin, RouteState, RouteTable, RouteTarget, SubnetKind};
pub use security::{NaclEntry, NetworkAcl, SecurityGroup, SgPeer, SgRule};
pub use services::{
    ComputeKind, ComputeService, Database, DatabaseService, DbSubnetGroup, EcsLoadBalancer, LaunchType, Service,
    ServiceInterface, ServiceLink,
};
pub use transit::{
    AttachmentState, CustomerGateway, TgwAttachment, TgwAttachmentKind, TgwRoute, TgwRouteTable, TransitGateway,
    VpnConnection, VpnGateway, VpnState,
};
pub use vpc::{Account, HostnameType, Ipv6CidrBlock, Ipv6Pool, Region, Subnet, Vpc};

use serde::{Deserialize, Serialize};

/// The save-file format version this build writes. Older files are brought up to it on load by
/// the steps of `io::migrate`; newer ones are refused.
///
/// 2: IPv6 (issue 14): several IPv6 blocks per VPC, IPv6-only subnets, IPv6 addresses, routes,
/// rules and prefix-list entries of both families.
/// 3: regional NAT gateways (issue 15, N9): a NAT gateway's `subnet` and `private_ip` are
/// optional (`Some(…)`), a regional one has neither.
pub const FORMAT_VERSION: u32 = 3;

/// Behaviour AWS added after the documented rules, off unless a design turns it on
/// (semantics doc, section 14).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Features {
    /// Cross-Region PrivateLink (E10).
    #[serde(default, skip_serializing_if = "common::is_false")]
    pub cross_region_privatelink: bool,
    /// Security group references across a transit gateway.
    #[serde(default, skip_serializing_if = "common::is_false")]
    pub tgw_sg_referencing: bool,
    /// VPC Block Public Access is on for the whole design.
    #[serde(default, skip_serializing_if = "common::is_false")]
    pub block_public_access: bool,
}

/// A whole network design.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    pub format_version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The region new resources go to, and where names like `s3` resolve.
    #[serde(default = "default_region")]
    pub default_region: String,
    #[serde(default, skip_serializing_if = "is_default_features")]
    pub features: Features,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<Account>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    #[serde(default)]
    pub vpcs: Vec<Vpc>,
    #[serde(default)]
    pub subnets: Vec<Subnet>,
    #[serde(default)]
    pub route_tables: Vec<RouteTable>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub internet_gateways: Vec<InternetGateway>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub egress_only_internet_gateways: Vec<EgressOnlyInternetGateway>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nat_gateways: Vec<NatGateway>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elastic_ips: Vec<ElasticIp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instances: Vec<Instance>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_interfaces: Vec<NetworkInterface>,
    #[serde(default)]
    pub security_groups: Vec<SecurityGroup>,
    #[serde(default)]
    pub network_acls: Vec<NetworkAcl>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peerings: Vec<VpcPeering>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_lists: Vec<PrefixList>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<VpcEndpoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoint_services: Vec<EndpointService>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancers: Vec<LoadBalancer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_groups: Vec<TargetGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transit_gateways: Vec<TransitGateway>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tgw_attachments: Vec<TgwAttachment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tgw_route_tables: Vec<TgwRouteTable>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpn_gateways: Vec<VpnGateway>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customer_gateways: Vec<CustomerGateway>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpn_connections: Vec<VpnConnection>,
    /// Managed databases, caches and search domains in VPCs (M1–M3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub databases: Vec<Database>,
    /// The subnet groups databases are placed through (M1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub db_subnet_groups: Vec<DbSubnetGroup>,
    /// Lambda functions, ECS services and EKS clusters in VPCs (M7–M9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compute_services: Vec<ComputeService>,
    /// AWS Network Firewalls (F1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_firewalls: Vec<NetworkFirewall>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firewall_policies: Vec<FirewallPolicy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firewall_rule_groups: Vec<FirewallRuleGroup>,
    /// The `Name` tags of resources whose name is something else (an imported Terraform
    /// address), shown beside the name and accepted wherever a name is.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub tag_names: std::collections::BTreeMap<Id, String>,
}

fn default_region() -> String {
    "ap-northeast-2".to_string()
}

fn is_default_features(f: &Features) -> bool {
    *f == Features::default()
}

impl Design {
    /// An empty design in a region.
    pub fn new(name: impl Into<String>, region: impl Into<String>) -> Design {
        Design {
            format_version: FORMAT_VERSION,
            name: name.into(),
            default_region: region.into(),
            ..Default::default()
        }
    }
}
