//! Instances and network interfaces (X4, N8).

use super::common::{is_false, yes, Id};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Instance lifecycle. A stopped instance answers nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum InstanceState {
    Pending,
    #[default]
    Running,
    Stopping,
    Stopped,
    ShuttingDown,
    Terminated,
}

/// An EC2 instance. Its network interfaces point back at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instance_type: String,
    #[serde(default)]
    pub state: InstanceState,
    /// What the instance does, for people (e.g. "NAT instance", "web server").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
}

/// A network interface (ENI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkInterface {
    pub id: Id,
    pub name: String,
    pub subnet: Id,
    /// Private IPv4 addresses, primary first; empty on an IPv6-only interface.
    pub private_ips: Vec<Ipv4Addr>,
    /// IPv6 addresses (global unicast: there is no private IPv6 in a VPC, I5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_addresses: Vec<Ipv6Addr>,
    /// An auto-assigned public IPv4 address (not an EIP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
    /// An Elastic IP allocation associated with the primary private IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eip: Option<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<Id>,
    /// On by default; a NAT instance needs it off (X4, N8).
    #[serde(default = "yes")]
    pub source_dest_check: bool,
    /// The instance it is attached to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<Id>,
    #[serde(default)]
    pub device_index: u32,
    /// The addresses were made up by an import (AWS assigns them at launch).
    #[serde(default, skip_serializing_if = "is_false")]
    pub placeholder: bool,
}

impl NetworkInterface {
    pub fn new(id: impl Into<Id>, name: impl Into<String>, subnet: impl Into<Id>, ip: Ipv4Addr) -> NetworkInterface {
        NetworkInterface {
            id: id.into(),
            name: name.into(),
            subnet: subnet.into(),
            private_ips: vec![ip],
            ipv6_addresses: Vec::new(),
            public_ip: None,
            eip: None,
            security_groups: Vec::new(),
            source_dest_check: true,
            instance: None,
            device_index: 0,
            placeholder: false,
        }
    }

    /// The primary private IPv4 address (`None` for an IPv6-only interface).
    pub fn primary_ip(&self) -> Option<Ipv4Addr> {
        self.private_ips.first().copied()
    }

    /// The first IPv6 address, if it has one.
    pub fn primary_ipv6(&self) -> Option<Ipv6Addr> {
        self.ipv6_addresses.first().copied()
    }

    /// Every address the interface answers at inside its VPC: the private IPv4 addresses, then
    /// the IPv6 ones.
    pub fn addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.private_ips.iter().map(|&a| IpAddr::V4(a)).chain(self.ipv6_addresses.iter().map(|&a| IpAddr::V6(a)))
    }
}
