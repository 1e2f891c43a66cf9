//! Small shared types: ids, protocols, port ranges, tags.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A resource id, AWS style (`vpc-0a1b…`, `subnet-…`, `rtb-…`). Ids are stable: they never change
/// once a resource exists, and every reference in the design is by id.
pub type Id = String;

/// An IP protocol as security groups and NACLs name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Protocol {
    /// All protocols (`-1` in the AWS API).
    #[default]
    All,
    Tcp,
    Udp,
    Icmp,
    /// Any other IP protocol number.
    Number(u8),
}

impl Protocol {
    /// The IANA protocol number (`None` for `All`).
    pub fn number(self) -> Option<u8> {
        match self {
            Protocol::All => None,
            Protocol::Tcp => Some(6),
            Protocol::Udp => Some(17),
            Protocol::Icmp => Some(1),
            Protocol::Number(n) => Some(n),
        }
    }

    /// Build from an IANA number, folding the named ones.
    pub fn from_number(n: u8) -> Protocol {
        match n {
            6 => Protocol::Tcp,
            17 => Protocol::Udp,
            1 => Protocol::Icmp,
            n => Protocol::Number(n),
        }
    }

    /// ICMPv6, IANA protocol 58: IPv6's ping and errors (`icmpv6` in the AWS API).
    pub const ICMPV6: Protocol = Protocol::Number(58);

    /// Whether this is ICMP of either family (1 or 58).
    pub fn is_icmp(self) -> bool {
        matches!(self, Protocol::Icmp | Protocol::ICMPV6)
    }

    /// Parse the forms users and the AWS API write: `tcp`, `udp`, `icmp`, `icmpv6`, `all`,
    /// `-1`, `6`.
    pub fn parse(text: &str) -> Result<Protocol, String> {
        let t = text.trim().to_ascii_lowercase();
        match t.as_str() {
            "tcp" => Ok(Protocol::Tcp),
            "udp" => Ok(Protocol::Udp),
            "icmp" => Ok(Protocol::Icmp),
            "icmpv6" | "ipv6-icmp" => Ok(Protocol::ICMPV6),
            "all" | "-1" | "any" | "*" => Ok(Protocol::All),
            other => other.parse::<u8>().map(Protocol::from_number).map_err(|_| {
                format!("'{text}' is not a protocol: expected tcp, udp, icmp, icmpv6, all or a number 0-255")
            }),
        }
    }

    /// Whether a rule for `self` covers a packet of protocol `packet`.
    pub fn covers(self, packet: Protocol) -> bool {
        match self {
            Protocol::All => true,
            p => p.number() == packet.number(),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protocol::All => write!(f, "all"),
            Protocol::Tcp => write!(f, "tcp"),
            Protocol::Udp => write!(f, "udp"),
            Protocol::Icmp => write!(f, "icmp"),
            Protocol::Number(58) => write!(f, "icmpv6"),
            Protocol::Number(n) => write!(f, "{n}"),
        }
    }
}

/// Which ports (or ICMP type/code) a rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum PortSpec {
    /// Every port (or the protocol has none).
    #[default]
    All,
    /// An inclusive TCP/UDP port range.
    Range { from: u16, to: u16 },
    /// An ICMP type and code; `None` means any.
    Icmp { icmp_type: Option<u8>, code: Option<u8> },
}

impl PortSpec {
    /// A single port.
    pub fn port(p: u16) -> PortSpec {
        PortSpec::Range { from: p, to: p }
    }

    /// Ports as the AWS API and CloudFormation write them (`FromPort`/`ToPort`; for ICMP the
    /// type and code; -1 or absent means any). Out-of-range values mean every port.
    pub fn from_aws(proto: Protocol, from: Option<i64>, to: Option<i64>) -> PortSpec {
        match proto {
            Protocol::Tcp | Protocol::Udp => match (from, to) {
                (Some(f), Some(t)) if (0..=65535).contains(&f) && (0..=65535).contains(&t) && f <= t => {
                    if f == 0 && t == 65535 {
                        PortSpec::All
                    } else {
                        PortSpec::Range { from: f as u16, to: t as u16 }
                    }
                }
                _ => PortSpec::All,
            },
            Protocol::Icmp | Protocol::Number(58) => {
                let byte = |x: Option<i64>| x.and_then(|x| u8::try_from(x).ok());
                match (byte(from), byte(to)) {
                    (None, None) => PortSpec::All,
                    (t, c) => PortSpec::Icmp { icmp_type: t, code: c },
                }
            }
            _ => PortSpec::All,
        }
    }

    /// Whether the spec covers destination port `port` (ICMP specs cover any port-less packet).
    pub fn covers_port(&self, port: Option<u16>) -> bool {
        match (self, port) {
            (PortSpec::All, _) => true,
            (PortSpec::Range { from, to }, Some(p)) => *from <= p && p <= *to,
            (PortSpec::Range { .. }, None) => false,
            (PortSpec::Icmp { .. }, _) => true,
        }
    }
}

impl fmt::Display for PortSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortSpec::All => write!(f, "all"),
            PortSpec::Range { from, to } if from == to => write!(f, "{from}"),
            PortSpec::Range { from, to } => write!(f, "{from}-{to}"),
            PortSpec::Icmp { icmp_type, code } => {
                let t = icmp_type.map_or("any".to_string(), |t| t.to_string());
                let c = code.map_or("any".to_string(), |c| c.to_string());
                write!(f, "icmp type {t} code {c}")
            }
        }
    }
}

/// Allow or deny, as NACL entries say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum RuleAction {
    #[default]
    Allow,
    Deny,
}

impl fmt::Display for RuleAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleAction::Allow => write!(f, "allow"),
            RuleAction::Deny => write!(f, "deny"),
        }
    }
}

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

pub(crate) fn yes() -> bool {
    true
}
