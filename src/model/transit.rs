//! Transit gateways, VPN gateways, customer gateways and VPN connections (rules T1–T8).

use super::common::{is_false, Id};
use ipnet::{IpNet, Ipv4Net};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// A transit gateway, a regional router (T1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitGateway {
    pub id: Id,
    pub name: String,
    pub region: String,
    #[serde(default)]
    pub asn: u32,
    /// New attachments associate with the default table (T3).
    #[serde(default = "super::common::yes")]
    pub default_association: bool,
    /// New attachments propagate into the default table (T3).
    #[serde(default = "super::common::yes")]
    pub default_propagation: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_route_table: Option<Id>,
}

/// What a TGW attachment connects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TgwAttachmentKind {
    /// A VPC, through one subnet per AZ (T2).
    Vpc {
        vpc: Id,
        subnets: Vec<Id>,
    },
    Vpn {
        vpn: Id,
    },
    Peering {
        peer_tgw: Id,
    },
}

/// Attachment lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum AttachmentState {
    PendingAcceptance,
    Pending,
    #[default]
    Available,
    Failed,
    Deleted,
}

/// A transit gateway attachment, associated with one TGW route table (T3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TgwAttachment {
    pub id: Id,
    pub name: String,
    pub tgw: Id,
    pub kind: TgwAttachmentKind,
    #[serde(default)]
    pub state: AttachmentState,
    /// The TGW route table used for packets from this attachment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association: Option<Id>,
    /// A VPC attachment carries IPv6 and propagates the VPC's IPv6 blocks only with IPv6
    /// support on (`Ipv6Support`); its subnets then need IPv6 blocks.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ipv6_support: bool,
    /// Appliance mode (VPC attachments): the transit gateway sends both directions of a flow
    /// through one of the attachment's interfaces, chosen by a flow hash, so a stateful
    /// appliance in the VPC sees both (T9).
    #[serde(default, skip_serializing_if = "is_false")]
    pub appliance_mode: bool,
}

/// A transit gateway route table (T3, T4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TgwRouteTable {
    pub id: Id,
    pub name: String,
    pub tgw: Id,
    /// Attachments that propagate their CIDRs into this table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub propagations: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub static_routes: Vec<TgwRoute>,
}

/// A static TGW route; no attachment means blackhole (T4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TgwRoute {
    /// An IPv4 or IPv6 destination (T4: each family is looked up on its own).
    pub cidr: IpNet,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Id>,
}

/// A virtual private gateway (T6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpnGateway {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<Id>,
    #[serde(default = "default_asn")]
    pub asn: u32,
}

fn default_asn() -> u32 {
    64512
}

/// A customer gateway: the on-premises device (T6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerGateway {
    pub id: Id,
    pub name: String,
    pub ip: Ipv4Addr,
    #[serde(default = "default_cgw_asn")]
    pub bgp_asn: u32,
}

fn default_cgw_asn() -> u32 {
    65000
}

/// VPN connection state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum VpnState {
    Pending,
    #[default]
    Available,
    Deleting,
    Deleted,
}

/// A site-to-site VPN connection to a VGW or a TGW (T6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpnConnection {
    pub id: Id,
    pub name: String,
    pub customer_gateway: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpn_gateway: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_gateway: Option<Id>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub static_routes_only: bool,
    /// On-premises prefixes: static routes, or what BGP advertises.
    #[serde(default)]
    pub routes: Vec<Ipv4Net>,
    #[serde(default)]
    pub state: VpnState,
}
