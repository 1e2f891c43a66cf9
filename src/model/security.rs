//! Security groups (S1–S7) and network ACLs (L1–L8).

use super::common::{is_false, Id, PortSpec, Protocol, RuleAction};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A security group: allow-only, stateful (S2, S3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroup {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The VPC's default group (S5).
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_default: bool,
    #[serde(default)]
    pub ingress: Vec<SgRule>,
    #[serde(default)]
    pub egress: Vec<SgRule>,
}

impl SecurityGroup {
    /// A new group as AWS creates it: no inbound rules, all outbound allowed (S4).
    pub fn new(id: impl Into<Id>, name: impl Into<String>, vpc: impl Into<Id>) -> SecurityGroup {
        SecurityGroup {
            id: id.into(),
            name: name.into(),
            vpc: vpc.into(),
            description: String::new(),
            is_default: false,
            ingress: Vec::new(),
            egress: vec![SgRule::allow_all_to(SgPeer::Cidr(IpNet::V4(Ipv4Net::default())))],
        }
    }
}

/// One security group rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SgRule {
    pub protocol: Protocol,
    #[serde(default)]
    pub ports: PortSpec,
    pub peer: SgPeer,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl SgRule {
    pub fn allow_all_to(peer: SgPeer) -> SgRule {
        SgRule { protocol: Protocol::All, ports: PortSpec::All, peer, description: String::new() }
    }

    pub fn tcp(port: u16, peer: SgPeer) -> SgRule {
        SgRule { protocol: Protocol::Tcp, ports: PortSpec::port(port), peer, description: String::new() }
    }
}

/// What a security group rule allows traffic from (ingress) or to (egress) (S6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SgPeer {
    /// An IPv4 or IPv6 CIDR (`CidrIp`, `CidrIpv6`).
    Cidr(IpNet),
    /// Another group; matches its members' private IPs. `account` for a cross-account peer.
    SecurityGroup {
        group: Id,
        account: Option<String>,
    },
    PrefixList(Id),
}

impl SgPeer {
    pub fn group(id: impl Into<Id>) -> SgPeer {
        SgPeer::SecurityGroup { group: id.into(), account: None }
    }

    /// `0.0.0.0/0`: every IPv4 address.
    pub fn any_ipv4() -> SgPeer {
        SgPeer::Cidr(IpNet::V4(Ipv4Net::default()))
    }

    /// `::/0`: every IPv6 address.
    pub fn any_ipv6() -> SgPeer {
        SgPeer::Cidr(IpNet::V6(Ipv6Net::default()))
    }

    /// The CIDR, if the peer is one.
    pub fn cidr(&self) -> Option<IpNet> {
        match self {
            SgPeer::Cidr(c) => Some(*c),
            _ => None,
        }
    }
}

impl fmt::Display for SgPeer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SgPeer::Cidr(c) => write!(f, "{c}"),
            SgPeer::SecurityGroup { group, account: None } => write!(f, "{group}"),
            SgPeer::SecurityGroup { group, account: Some(a) } => write!(f, "{a}/{group}"),
            SgPeer::PrefixList(p) => write!(f, "{p}"),
        }
    }
}

/// A network ACL: numbered, first match wins, stateless (L1–L4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkAcl {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    /// The VPC's default ACL: subnets with no explicit association use it (L1).
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_default: bool,
    /// Subnets explicitly associated with this ACL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Id>,
    /// Numbered entries; the final `*` deny is implicit and not stored.
    #[serde(default)]
    pub entries: Vec<NaclEntry>,
}

impl NetworkAcl {
    /// A default ACL: rule 100 allows everything both ways (L4).
    pub fn new_default(id: impl Into<Id>, name: impl Into<String>, vpc: impl Into<Id>) -> NetworkAcl {
        let all = |egress| NaclEntry {
            rule_number: 100,
            egress,
            action: RuleAction::Allow,
            protocol: Protocol::All,
            ports: PortSpec::All,
            cidr: IpNet::V4(Ipv4Net::default()),
        };
        NetworkAcl {
            id: id.into(),
            name: name.into(),
            vpc: vpc.into(),
            is_default: true,
            subnets: Vec::new(),
            entries: vec![all(false), all(true)],
        }
    }

    /// A custom ACL: no entries, so everything is denied (L4).
    pub fn new_custom(id: impl Into<Id>, name: impl Into<String>, vpc: impl Into<Id>) -> NetworkAcl {
        NetworkAcl {
            id: id.into(),
            name: name.into(),
            vpc: vpc.into(),
            is_default: false,
            subnets: Vec::new(),
            entries: Vec::new(),
        }
    }

    /// Entries of one direction in evaluation order (ascending rule number, L2).
    pub fn sorted_entries(&self, egress: bool) -> Vec<&NaclEntry> {
        let mut v: Vec<&NaclEntry> = self.entries.iter().filter(|e| e.egress == egress).collect();
        v.sort_by_key(|e| e.rule_number);
        v
    }
}

/// One numbered NACL entry (L2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NaclEntry {
    /// 1–32766.
    pub rule_number: u16,
    /// Outbound when true.
    pub egress: bool,
    pub action: RuleAction,
    pub protocol: Protocol,
    #[serde(default)]
    pub ports: PortSpec,
    /// `CidrBlock` or `Ipv6CidrBlock`: an entry matches packets of its CIDR's family only (L2).
    pub cidr: IpNet,
}
