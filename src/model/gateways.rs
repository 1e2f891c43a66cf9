//! Internet gateways, NAT gateways and Elastic IPs (rules I1–I5, N1–N7).

use super::common::{is_false, Id};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// An internet gateway and its attachment (I1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InternetGateway {
    pub id: Id,
    pub name: String,
    /// The VPC it is attached to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<Id>,
}

/// An egress-only internet gateway, IPv6 only (I5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EgressOnlyInternetGateway {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
}

/// Public NAT (with an EIP, toward an IGW) or private NAT (toward a TGW or VGW) (N1, N2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum NatConnectivity {
    #[default]
    Public,
    Private,
}

/// NAT gateway lifecycle; only `Available` forwards (N7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum NatState {
    Pending,
    #[default]
    Available,
    Failed,
    Deleting,
    Deleted,
}

/// A NAT gateway (N1–N7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatGateway {
    pub id: Id,
    pub name: String,
    pub subnet: Id,
    #[serde(default)]
    pub connectivity: NatConnectivity,
    /// Its private IP in the subnet; the source of translated packets (N4).
    pub private_ip: Ipv4Addr,
    /// The Elastic IP allocation (public NAT only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eip: Option<Id>,
    #[serde(default)]
    pub state: NatState,
    /// The private IP was made up by an import (AWS assigns it at creation).
    #[serde(default, skip_serializing_if = "is_false")]
    pub placeholder: bool,
}

/// An Elastic IP allocation. What it is associated with is recorded on the ENI or NAT gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElasticIp {
    /// The allocation id, `eipalloc-…`.
    pub id: Id,
    pub name: String,
    pub public_ip: Ipv4Addr,
    #[serde(default, skip_serializing_if = "is_false")]
    pub placeholder: bool,
}
