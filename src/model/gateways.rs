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

/// Where a NAT gateway lives: in one subnet of one AZ (zonal, the default) or across the AZs
/// of its VPC (regional, N9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum NatAvailabilityMode {
    #[default]
    Zonal,
    Regional,
}

impl NatAvailabilityMode {
    pub fn is_zonal(&self) -> bool {
        *self == NatAvailabilityMode::Zonal
    }
}

/// A regional NAT gateway in manual mode: one AZ it serves and the Elastic IPs it uses there
/// (N9). A regional NAT gateway without any is in automatic mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatZoneAddress {
    pub zone: String,
    pub eips: Vec<Id>,
}

/// A NAT gateway (N1–N7, N9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NatGateway {
    pub id: Id,
    pub name: String,
    /// The subnet of a zonal NAT gateway; a regional one has none (N9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet: Option<Id>,
    #[serde(default, skip_serializing_if = "NatAvailabilityMode::is_zonal")]
    pub availability_mode: NatAvailabilityMode,
    /// The VPC of a regional NAT gateway (a zonal one's is its subnet's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<Id>,
    /// A regional NAT gateway's own route table (AWS creates it with a route to the internet
    /// gateway; return routes to middleboxes or a transit gateway go there, N9). None: the
    /// table AWS creates, local routes and `0.0.0.0/0` to the VPC's internet gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table: Option<Id>,
    /// A regional NAT gateway in manual mode: the AZs it serves and their Elastic IPs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<NatZoneAddress>,
    #[serde(default)]
    pub connectivity: NatConnectivity,
    /// Its private IP in the subnet; the source of translated packets (N4). A regional NAT
    /// gateway has none in the design: it translates to its public address itself (N9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<Ipv4Addr>,
    /// The Elastic IP allocation (public NAT only; a regional one's in automatic mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eip: Option<Id>,
    #[serde(default)]
    pub state: NatState,
    /// The private IP was made up by an import (AWS assigns it at creation).
    #[serde(default, skip_serializing_if = "is_false")]
    pub placeholder: bool,
}

impl NatGateway {
    /// Whether it is a regional NAT gateway (N9).
    pub fn is_regional(&self) -> bool {
        self.availability_mode == NatAvailabilityMode::Regional
    }

    /// Every Elastic IP it uses: the main one and, in manual mode, each zone's.
    /// Its VPC's id: a regional one's own, a zonal one's subnet's.
    pub fn vpc_id<'a>(&'a self, d: &'a super::Design) -> Option<&'a Id> {
        match &self.subnet {
            Some(s) => d.subnet(s).map(|s| &s.vpc),
            None => self.vpc.as_ref(),
        }
    }

    pub fn eips(&self) -> impl Iterator<Item = &Id> {
        self.eip.iter().chain(self.zones.iter().flat_map(|z| z.eips.iter()))
    }
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
