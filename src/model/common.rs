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

    /// A protocol as the AWS API and CloudFormation write it (`IpProtocol`, a NACL entry's
    /// `Protocol`): `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or a number 0–255, any case.
    /// ICMPv6 (58) is what IPv6 rules use for ICMP. Anything else AWS refuses (S2, L2): the
    /// error says what was given.
    pub fn from_aws(text: &str) -> Result<Protocol, String> {
        let t = text.trim().to_ascii_lowercase();
        match t.as_str() {
            "icmpv6" | "58" => Ok(Protocol::ICMPV6),
            "tcp" => Ok(Protocol::Tcp),
            "udp" => Ok(Protocol::Udp),
            "icmp" => Ok(Protocol::Icmp),
            "-1" => Ok(Protocol::All),
            n if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => n
                .parse::<u8>()
                .map(Protocol::from_number)
                .map_err(|_| format!("protocol {text:?} is not one AWS takes: a number is 0-255")),
            _ => Err(format!("protocol {text:?} is not one AWS takes: tcp, udp, icmp, icmpv6, -1 (all) or 0-255")),
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

    /// Ports as the AWS API and CloudFormation write them (`FromPort`/`ToPort`, a NACL entry's
    /// port range; for ICMP the type and code, -1 or absent meaning any). TCP and UDP need both
    /// ports, each 0–65535, the first not above the last; ICMP types and codes are -1 or
    /// 0–255, and a code needs a type. Other protocols have no ports (AWS ignores them). A value
    /// AWS refuses is an error (S2, L2) — never read as "all ports".
    pub fn from_aws(proto: Protocol, from: Option<i64>, to: Option<i64>) -> Result<PortSpec, String> {
        match proto {
            Protocol::Tcp | Protocol::Udp => match (from, to) {
                (Some(f), Some(t)) if !(0..=65535).contains(&f) || !(0..=65535).contains(&t) => {
                    Err(format!("{proto} port range {f}-{t}: ports are 0-65535"))
                }
                (Some(f), Some(t)) if f > t => {
                    Err(format!("{proto} port range {f}-{t}: the first port is above the last"))
                }
                (Some(0), Some(65535)) => Ok(PortSpec::All),
                (Some(f), Some(t)) => Ok(PortSpec::Range { from: f as u16, to: t as u16 }),
                _ => Err(format!("a {proto} rule needs both a first and a last port (0-65535)")),
            },
            Protocol::Icmp | Protocol::Number(58) => {
                let byte = |x: Option<i64>, what: &str| match x {
                    None | Some(-1) => Ok(None),
                    Some(v) => {
                        u8::try_from(v).map(Some).map_err(|_| format!("ICMP {what} {v}: it is -1 (any) or 0-255"))
                    }
                };
                match (byte(from, "type")?, byte(to, "code")?) {
                    (None, None) => Ok(PortSpec::All),
                    (None, Some(c)) => Err(format!("ICMP code {c} with any type: a code needs a type")),
                    (t, c) => Ok(PortSpec::Icmp { icmp_type: t, code: c }),
                }
            }
            _ => Ok(PortSpec::All),
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

/// Whether a name has the shape of an AWS region code: `us-west-2`, `us-gov-east-1`,
/// `ap-northeast-2` (two letters, words, a number).
pub fn is_region_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[parts.len() - 1].parse::<u8>().is_ok()
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && parts[1..parts.len() - 1].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
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
