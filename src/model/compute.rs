//! Instances and network interfaces (X4, N8).

use super::common::{is_false, yes, Id};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

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
    /// Private IPv4 addresses, primary first.
    pub private_ips: Vec<Ipv4Addr>,
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
            public_ip: None,
            eip: None,
            security_groups: Vec::new(),
            source_dest_check: true,
            instance: None,
            device_index: 0,
            placeholder: false,
        }
    }

    /// The primary private IP (`None` only for a malformed interface with no address).
    pub fn primary_ip(&self) -> Option<Ipv4Addr> {
        self.private_ips.first().copied()
    }
}
