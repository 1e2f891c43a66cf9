//! Accounts, regions, VPCs and subnets.

use super::common::{is_false, Id};
use ipnet::{Ipv4Net, Ipv6Net};
use serde::{Deserialize, Serialize};

/// An AWS account that owns resources in the design.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The 12-digit account id.
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// A region the design uses, with its availability zones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// e.g. `ap-northeast-2`.
    pub name: String,
    /// Zone names, e.g. `ap-northeast-2a`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub azs: Vec<String>,
}

/// A VPC (rules A1–A4, A8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vpc {
    pub id: Id,
    pub name: String,
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The primary IPv4 CIDR (A1). The VPC's DNS server is its base + 2 (A6, X2).
    pub cidr: Ipv4Net,
    /// Secondary IPv4 CIDRs (A2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_cidrs: Vec<Ipv4Net>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr: Option<Ipv6Net>,
    #[serde(default = "super::common::yes")]
    pub enable_dns_support: bool,
    #[serde(default)]
    pub enable_dns_hostnames: bool,
    /// The region's default VPC (A8).
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_default: bool,
    /// Placed here only as a reference from another resource (an import saw its id but not the VPC).
    #[serde(default, skip_serializing_if = "is_false")]
    pub external: bool,
}

impl Vpc {
    /// A VPC with DNS support on and DNS hostnames off, as the console creates one.
    pub fn new(id: impl Into<Id>, name: impl Into<String>, region: impl Into<String>, cidr: Ipv4Net) -> Vpc {
        Vpc {
            id: id.into(),
            name: name.into(),
            region: region.into(),
            account: None,
            cidr: cidr.trunc(),
            secondary_cidrs: Vec::new(),
            ipv6_cidr: None,
            enable_dns_support: true,
            enable_dns_hostnames: false,
            is_default: false,
            external: false,
        }
    }

    /// Every IPv4 CIDR, primary first.
    pub fn cidrs(&self) -> impl Iterator<Item = Ipv4Net> + '_ {
        std::iter::once(self.cidr).chain(self.secondary_cidrs.iter().copied())
    }

    /// Whether an address is inside any of the VPC's CIDRs.
    pub fn contains(&self, ip: std::net::Ipv4Addr) -> bool {
        self.cidrs().any(|c| c.contains(&ip))
    }

    /// The Amazon DNS server address: primary CIDR base + 2 (A6, X2).
    pub fn dns_server(&self) -> std::net::Ipv4Addr {
        std::net::Ipv4Addr::from(u32::from(self.cidr.network()).wrapping_add(2))
    }
}

/// A subnet (A5, A6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    pub cidr: Ipv4Net,
    /// Zone name, e.g. `ap-northeast-2a`.
    pub az: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr: Option<Ipv6Net>,
    /// Auto-assign a public IPv4 address to instances launched here.
    #[serde(default, skip_serializing_if = "is_false")]
    pub map_public_ip_on_launch: bool,
}

impl Subnet {
    pub fn new(
        id: impl Into<Id>,
        name: impl Into<String>,
        vpc: impl Into<Id>,
        cidr: Ipv4Net,
        az: impl Into<String>,
    ) -> Subnet {
        Subnet {
            id: id.into(),
            name: name.into(),
            vpc: vpc.into(),
            cidr: cidr.trunc(),
            az: az.into(),
            ipv6_cidr: None,
            map_public_ip_on_launch: false,
        }
    }
}
