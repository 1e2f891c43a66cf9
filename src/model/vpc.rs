//! Accounts, regions, VPCs and subnets.

use super::common::{is_false, Id};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv6Addr};

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
    /// IPv6 blocks (A7): Amazon-provided /56s, BYOIP or IPAM blocks, several per VPC.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_cidr_blocks: Vec<Ipv6CidrBlock>,
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
            ipv6_cidr_blocks: Vec::new(),
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

    /// Whether an IPv4 address is inside any of the VPC's IPv4 CIDRs.
    pub fn contains(&self, ip: std::net::Ipv4Addr) -> bool {
        self.cidrs().any(|c| c.contains(&ip))
    }

    /// Every IPv6 block, in association order (A7).
    pub fn ipv6_cidrs(&self) -> impl Iterator<Item = Ipv6Net> + '_ {
        self.ipv6_cidr_blocks.iter().map(|b| b.cidr)
    }

    /// Every block of both families: the IPv4 CIDRs (primary first), then the IPv6 blocks.
    /// These are the destinations of the VPC's local routes (R2).
    pub fn all_cidrs(&self) -> impl Iterator<Item = IpNet> + '_ {
        self.cidrs().map(IpNet::V4).chain(self.ipv6_cidrs().map(IpNet::V6))
    }

    /// Whether an address of either family is inside one of the VPC's blocks.
    pub fn contains_addr(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(a) => self.contains(a),
            IpAddr::V6(a) => self.contains_v6(a),
        }
    }

    /// Whether an IPv6 address is inside one of the VPC's IPv6 blocks.
    pub fn contains_v6(&self, ip: Ipv6Addr) -> bool {
        self.ipv6_cidrs().any(|c| c.contains(&ip))
    }

    /// The Amazon DNS server address: primary CIDR base + 2 (A6, X2).
    pub fn dns_server(&self) -> std::net::Ipv4Addr {
        std::net::Ipv4Addr::from(u32::from(self.cidr.network()).wrapping_add(2))
    }
}

/// Where a VPC's IPv6 block comes from (A7).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Ipv6Pool {
    /// An Amazon-provided /56 from Amazon's pool (`AmazonProvidedIpv6CidrBlock`).
    #[default]
    Amazon,
    /// A block of the customer's own addresses brought to AWS (BYOIP), from the pool with
    /// this id (`ipv6pool-ec2-…`).
    Byoip(String),
    /// A block allocated from an Amazon VPC IP Address Manager pool (`ipam-pool-…`).
    Ipam(String),
}

impl Ipv6Pool {
    /// Whether the block is Amazon's.
    pub fn is_amazon(&self) -> bool {
        *self == Ipv6Pool::Amazon
    }
}

/// One IPv6 block associated with a VPC (A7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ipv6CidrBlock {
    /// The block. For an Amazon-provided block whose real value AWS picks at creation this is
    /// a stand-in from the documentation range 2001:db8::/32 (`placeholder`).
    pub cidr: Ipv6Net,
    #[serde(default, skip_serializing_if = "Ipv6Pool::is_amazon")]
    pub pool: Ipv6Pool,
    /// The block was not known (AWS assigns it): `cidr` is a stable stand-in.
    #[serde(default, skip_serializing_if = "is_false")]
    pub placeholder: bool,
}

impl Ipv6CidrBlock {
    /// A concrete Amazon-provided block.
    pub fn amazon(cidr: Ipv6Net) -> Ipv6CidrBlock {
        Ipv6CidrBlock { cidr: cidr.trunc(), pool: Ipv6Pool::Amazon, placeholder: false }
    }
}

/// How instances launched in a subnet are named in DNS (`PrivateDnsHostnameTypeOnLaunch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum HostnameType {
    /// `ip-10-0-0-10.ec2.internal`: the name carries the IPv4 address.
    #[default]
    IpName,
    /// `i-0123456789abcdef0.ec2.internal`: the name carries the instance id; the only kind an
    /// IPv6-only subnet allows.
    ResourceName,
}

impl HostnameType {
    fn is_ip_name(&self) -> bool {
        *self == HostnameType::IpName
    }
}

/// A subnet (A5, A6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    /// The IPv4 block (A5); `None` for an IPv6-only subnet, which has only `ipv6_cidr`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "plain_option")]
    pub cidr: Option<Ipv4Net>,
    /// Zone name, e.g. `ap-northeast-2a`.
    pub az: String,
    /// The subnet's IPv6 /64 (A7), inside one of the VPC's IPv6 blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr: Option<Ipv6Net>,
    /// Auto-assign a public IPv4 address to instances launched here.
    #[serde(default, skip_serializing_if = "is_false")]
    pub map_public_ip_on_launch: bool,
    /// Auto-assign an IPv6 address to interfaces created here (`AssignIpv6AddressOnCreation`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub assign_ipv6_address_on_creation: bool,
    /// The Amazon DNS server answers AAAA records synthesised in 64:ff9b::/96 for IPv4-only
    /// names, for NAT64 (`EnableDns64`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub enable_dns64: bool,
    /// How instances launched here are named.
    #[serde(default, skip_serializing_if = "HostnameType::is_ip_name")]
    pub hostname_type: HostnameType,
    /// Answer A queries for resource names (`EnableResourceNameDnsARecordOnLaunch`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub resource_name_dns_a_record: bool,
    /// Answer AAAA queries for resource names (`EnableResourceNameDnsAAAARecordOnLaunch`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub resource_name_dns_aaaa_record: bool,
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
            cidr: Some(cidr.trunc()),
            az: az.into(),
            ipv6_cidr: None,
            map_public_ip_on_launch: false,
            assign_ipv6_address_on_creation: false,
            enable_dns64: false,
            hostname_type: HostnameType::IpName,
            resource_name_dns_a_record: false,
            resource_name_dns_aaaa_record: false,
        }
    }

    /// An IPv6-only subnet: a /64 and no IPv4 block. Instances there are named by resource
    /// name, and their interfaces get an IPv6 address on creation (A7).
    pub fn ipv6_only(
        id: impl Into<Id>,
        name: impl Into<String>,
        vpc: impl Into<Id>,
        ipv6_cidr: Ipv6Net,
        az: impl Into<String>,
    ) -> Subnet {
        Subnet {
            id: id.into(),
            name: name.into(),
            vpc: vpc.into(),
            cidr: None,
            az: az.into(),
            ipv6_cidr: Some(ipv6_cidr.trunc()),
            map_public_ip_on_launch: false,
            assign_ipv6_address_on_creation: true,
            enable_dns64: false,
            hostname_type: HostnameType::ResourceName,
            resource_name_dns_a_record: false,
            resource_name_dns_aaaa_record: true,
        }
    }

    /// Whether the subnet has no IPv4 block (an IPv6-only subnet).
    pub fn is_ipv6_only(&self) -> bool {
        self.cidr.is_none()
    }

    /// Whether an IPv4 address is inside the subnet's IPv4 block.
    pub fn contains(&self, ip: std::net::Ipv4Addr) -> bool {
        self.cidr.is_some_and(|c| c.contains(&ip))
    }

    /// Whether an address of either family is inside one of the subnet's blocks.
    pub fn contains_addr(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(a) => self.contains(a),
            IpAddr::V6(a) => self.ipv6_cidr.is_some_and(|c| c.contains(&a)),
        }
    }

    /// The subnet's main block as text: its IPv4 CIDR, or its IPv6 /64 when it is IPv6-only.
    pub fn primary_cidr_text(&self) -> String {
        match (self.cidr, self.ipv6_cidr) {
            (Some(c), _) => c.to_string(),
            (None, Some(v6)) => v6.to_string(),
            (None, None) => "no CIDR".to_string(),
        }
    }

    /// The subnet's blocks as text: `10.0.0.0/24`, `10.0.0.0/24 + 2001:db8::/64`, or the /64
    /// alone for an IPv6-only subnet.
    pub fn cidr_text(&self) -> String {
        match (self.cidr, self.ipv6_cidr) {
            (Some(c), None) => c.to_string(),
            (Some(c), Some(v6)) => format!("{c} + {v6}"),
            (None, Some(v6)) => v6.to_string(),
            (None, None) => "no CIDR".to_string(),
        }
    }
}

/// Serde for an optional CIDR written as the plain value when present (and left out when
/// absent), so an IPv4 subnet's `cidr: "10.0.0.0/24"` reads and writes as it always has.
mod plain_option {
    use ipnet::Ipv4Net;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Ipv4Net>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(c) => c.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Ipv4Net>, D::Error> {
        Ipv4Net::deserialize(d).map(Some)
    }
}
