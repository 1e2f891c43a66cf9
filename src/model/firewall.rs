//! AWS Network Firewall: firewalls with one endpoint per Availability Zone, their policies and
//! rule groups (rules F1–F4; see ARCHITECTURE.md, "Rules added for hub and spoke networks").
//!
//! A firewall lives in a VPC and has an endpoint (`vpce-…`) in one subnet of each AZ it
//! protects; routes send traffic to an endpoint as to any VPC endpoint. Its policy runs the
//! stateless rule groups first (priority order, first match: pass, drop or forward to the
//! stateful engine), then, for forwarded packets, the stateful rule groups (5-tuple rules,
//! domain lists for HTTP Host and TLS SNI, Suricata rules, which vpcraft reads but does not
//! evaluate).

use super::common::{is_false, Id};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::Ipv4Addr;

/// A Network Firewall (F1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkFirewall {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    /// The firewall policy.
    pub policy: Id,
    /// One endpoint per AZ, each in a firewall subnet (F1).
    #[serde(default)]
    pub endpoints: Vec<FirewallEndpoint>,
}

impl NetworkFirewall {
    /// The endpoint with a `vpce-…` id.
    pub fn endpoint(&self, id: &str) -> Option<&FirewallEndpoint> {
        self.endpoints.iter().find(|e| e.id == id)
    }
}

/// A firewall's endpoint in one subnet (F1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirewallEndpoint {
    /// The endpoint id, `vpce-…`: what routes point at.
    pub id: Id,
    pub subnet: Id,
    /// Its address in the subnet.
    pub ip: Ipv4Addr,
    /// The id and address were made up by an import (AWS assigns them).
    #[serde(default, skip_serializing_if = "is_false")]
    pub placeholder: bool,
}

/// What the stateless engine does with a packet (F2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum StatelessAction {
    /// `aws:pass`: let it through, no stateful inspection.
    Pass,
    /// `aws:drop`.
    Drop,
    /// `aws:forward_to_sfe`: hand it to the stateful engine.
    #[default]
    Forward,
}

impl StatelessAction {
    /// The API spelling.
    pub fn api_name(self) -> &'static str {
        match self {
            StatelessAction::Pass => "aws:pass",
            StatelessAction::Drop => "aws:drop",
            StatelessAction::Forward => "aws:forward_to_sfe",
        }
    }

    /// Parse the API spelling; custom actions (anything else) are not actions that decide.
    pub fn from_api(s: &str) -> Option<StatelessAction> {
        match s {
            "aws:pass" => Some(StatelessAction::Pass),
            "aws:drop" => Some(StatelessAction::Drop),
            "aws:forward_to_sfe" => Some(StatelessAction::Forward),
            _ => None,
        }
    }

    fn is_forward(&self) -> bool {
        *self == StatelessAction::Forward
    }
}

/// How the stateful engine orders its rules (F3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum RuleOrder {
    /// `DEFAULT_ACTION_ORDER`: every pass rule first, then drop, reject, alert.
    #[default]
    DefaultActionOrder,
    /// `STRICT_ORDER`: rule groups by priority, rules as written; the first match decides,
    /// else the stateful default actions.
    StrictOrder,
}

impl RuleOrder {
    fn is_default(&self) -> bool {
        *self == RuleOrder::DefaultActionOrder
    }

    /// The API spelling.
    pub fn api_name(self) -> &'static str {
        match self {
            RuleOrder::DefaultActionOrder => "DEFAULT_ACTION_ORDER",
            RuleOrder::StrictOrder => "STRICT_ORDER",
        }
    }
}

/// A stateful default action of a strict-order policy (F3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatefulDefault {
    /// `aws:drop_strict`: drop what no rule matched.
    DropStrict,
    /// `aws:drop_established`: drop unmatched packets of established connections.
    DropEstablished,
    /// `aws:alert_strict`.
    AlertStrict,
    /// `aws:alert_established`.
    AlertEstablished,
}

impl StatefulDefault {
    /// The API spelling.
    pub fn api_name(self) -> &'static str {
        match self {
            StatefulDefault::DropStrict => "aws:drop_strict",
            StatefulDefault::DropEstablished => "aws:drop_established",
            StatefulDefault::AlertStrict => "aws:alert_strict",
            StatefulDefault::AlertEstablished => "aws:alert_established",
        }
    }

    /// Parse the API spelling.
    pub fn from_api(s: &str) -> Option<StatefulDefault> {
        [
            StatefulDefault::DropStrict,
            StatefulDefault::DropEstablished,
            StatefulDefault::AlertStrict,
            StatefulDefault::AlertEstablished,
        ]
        .into_iter()
        .find(|a| a.api_name() == s)
    }
}

/// A policy's reference to a rule group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleGroupRef {
    pub group: Id,
    /// Lower runs first (stateless groups; stateful groups under strict order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
}

/// A firewall policy (F2, F3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirewallPolicy {
    pub id: Id,
    pub name: String,
    /// What the stateless engine does with a full packet no stateless rule matched.
    #[serde(default, skip_serializing_if = "StatelessAction::is_forward")]
    pub stateless_default: StatelessAction,
    /// The same for fragmented packets.
    #[serde(default, skip_serializing_if = "StatelessAction::is_forward")]
    pub stateless_fragment_default: StatelessAction,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateless_groups: Vec<RuleGroupRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateful_groups: Vec<RuleGroupRef>,
    #[serde(default, skip_serializing_if = "RuleOrder::is_default")]
    pub rule_order: RuleOrder,
    /// Strict order only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateful_defaults: Vec<StatefulDefault>,
}

/// Stateless or stateful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum RuleGroupKind {
    Stateless,
    #[default]
    Stateful,
}

/// A rule group (F2–F4). A stateless group holds stateless rules; a stateful group holds
/// 5-tuple rules, a domain list or Suricata rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirewallRuleGroup {
    pub id: Id,
    pub name: String,
    pub kind: RuleGroupKind,
    #[serde(default = "default_capacity")]
    pub capacity: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateless_rules: Vec<StatelessRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateful_rules: Vec<StatefulRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_list: Option<DomainList>,
    /// Suricata rules as written. vpcraft reads them but does not evaluate them; a trace
    /// through them says so.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suricata: String,
    /// The `HOME_NET` variable: the sources domain lists inspect. Empty: the firewall's VPC
    /// CIDRs, AWS's default (F4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub home_net: Vec<IpNet>,
}

fn default_capacity() -> u32 {
    100
}

/// An inclusive port range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub fn contains(&self, p: u16) -> bool {
        self.from <= p && p <= self.to
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

/// A stateless rule: a 5-tuple match (empty lists match anything) and an action (F2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatelessRule {
    /// Lower runs first, unique in the group.
    pub priority: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<IpNet>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<IpNet>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_ports: Vec<PortRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_ports: Vec<PortRange>,
    /// IANA protocol numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protocols: Vec<u8>,
    pub action: StatelessAction,
}

/// What a stateful rule does (F3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatefulAction {
    Pass,
    Drop,
    /// Drop and send a TCP reset.
    Reject,
    /// Log and go on.
    Alert,
}

impl StatefulAction {
    /// The order of the default action order: pass, drop, reject, alert (F3).
    pub fn action_order(self) -> u8 {
        match self {
            StatefulAction::Pass => 0,
            StatefulAction::Drop => 1,
            StatefulAction::Reject => 2,
            StatefulAction::Alert => 3,
        }
    }

    /// The API spelling, `PASS` …
    pub fn api_name(self) -> &'static str {
        match self {
            StatefulAction::Pass => "PASS",
            StatefulAction::Drop => "DROP",
            StatefulAction::Reject => "REJECT",
            StatefulAction::Alert => "ALERT",
        }
    }

    /// Parse the API spelling, case-insensitively.
    pub fn from_api(s: &str) -> Option<StatefulAction> {
        [StatefulAction::Pass, StatefulAction::Drop, StatefulAction::Reject, StatefulAction::Alert]
            .into_iter()
            .find(|a| a.api_name().eq_ignore_ascii_case(s))
    }
}

/// An address in a stateful rule header.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RuleAddress {
    Any,
    Cidr(IpNet),
    /// `$HOME_NET`.
    HomeNet,
    /// `$EXTERNAL_NET`: anything outside `HOME_NET`.
    ExternalNet,
}

impl RuleAddress {
    /// Parse a Suricata-style address: `ANY`, a CIDR or address, `$HOME_NET`,
    /// `$EXTERNAL_NET`.
    pub fn parse(s: &str) -> Option<RuleAddress> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("any") {
            return Some(RuleAddress::Any);
        }
        match t {
            "$HOME_NET" => return Some(RuleAddress::HomeNet),
            "$EXTERNAL_NET" => return Some(RuleAddress::ExternalNet),
            _ => {}
        }
        if let Ok(n) = t.parse::<IpNet>() {
            return Some(RuleAddress::Cidr(n.trunc()));
        }
        t.parse::<std::net::IpAddr>().ok().map(|a| RuleAddress::Cidr(IpNet::from(a)))
    }
}

impl fmt::Display for RuleAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleAddress::Any => f.write_str("ANY"),
            RuleAddress::Cidr(c) => write!(f, "{c}"),
            RuleAddress::HomeNet => f.write_str("$HOME_NET"),
            RuleAddress::ExternalNet => f.write_str("$EXTERNAL_NET"),
        }
    }
}

/// A stateful 5-tuple rule (F3). `protocol` is the header's protocol keyword as AWS spells
/// it (`IP`, `TCP`, `UDP`, `ICMP`, `HTTP`, `TLS`, `SSH` …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatefulRule {
    pub action: StatefulAction,
    pub protocol: String,
    pub source: RuleAddress,
    /// `None`: any port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_port: Option<PortRange>,
    pub destination: RuleAddress,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_port: Option<PortRange>,
    /// `ANY`: the rule matches both directions; otherwise only source → destination.
    #[serde(default, skip_serializing_if = "is_false")]
    pub bidirectional: bool,
    /// The Suricata signature id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<u32>,
}

impl fmt::Display for StatefulRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let port = |p: &Option<PortRange>| p.map_or("ANY".to_string(), |p| p.to_string());
        let dir = if self.bidirectional { "<>" } else { "->" };
        write!(
            f,
            "{} {} {} {} {dir} {} {}",
            self.action.api_name(),
            self.protocol,
            self.source,
            port(&self.source_port),
            self.destination,
            port(&self.destination_port)
        )?;
        if let Some(sid) = self.sid {
            write!(f, " (sid {sid})")?;
        }
        Ok(())
    }
}

/// What a domain list does with the domains it names (F4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DomainListAction {
    /// `ALLOWLIST`: listed domains pass; other traffic of the inspected protocols is dropped.
    AllowList,
    /// `DENYLIST`: listed domains are dropped.
    DenyList,
    /// `REJECTLIST`: listed domains are dropped with a TCP reset.
    RejectList,
    /// `ALERTLIST`: listed domains are logged.
    AlertList,
}

impl DomainListAction {
    /// The API spelling.
    pub fn api_name(self) -> &'static str {
        match self {
            DomainListAction::AllowList => "ALLOWLIST",
            DomainListAction::DenyList => "DENYLIST",
            DomainListAction::RejectList => "REJECTLIST",
            DomainListAction::AlertList => "ALERTLIST",
        }
    }

    /// Parse the API spelling.
    pub fn from_api(s: &str) -> Option<DomainListAction> {
        [
            DomainListAction::AllowList,
            DomainListAction::DenyList,
            DomainListAction::RejectList,
            DomainListAction::AlertList,
        ]
        .into_iter()
        .find(|a| a.api_name().eq_ignore_ascii_case(s))
    }
}

/// A domain list (F4): names, `.example.com` for a domain and its subdomains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainList {
    pub action: DomainListAction,
    pub targets: Vec<String>,
    /// Inspect HTTP `Host` headers.
    #[serde(default, skip_serializing_if = "is_false")]
    pub http_host: bool,
    /// Inspect the TLS SNI.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_sni: bool,
}

impl DomainList {
    /// The target that names `host`, if any: an exact name, or `.example.com` for the domain
    /// and every name under it.
    pub fn matching(&self, host: &str) -> Option<&str> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.targets.iter().map(String::as_str).find(|t| {
            let t = t.trim_end_matches('.').to_ascii_lowercase();
            match t.strip_prefix('.') {
                Some(domain) => host == domain || host.ends_with(&format!(".{domain}")),
                None => host == t,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_targets_match_names_and_subdomains() {
        let l = DomainList {
            action: DomainListAction::AllowList,
            targets: vec![".example.com".into(), "api.test.org".into()],
            http_host: true,
            tls_sni: true,
        };
        assert_eq!(l.matching("example.com"), Some(".example.com"));
        assert_eq!(l.matching("www.Example.com."), Some(".example.com"));
        assert_eq!(l.matching("badexample.com"), None);
        assert_eq!(l.matching("api.test.org"), Some("api.test.org"));
        assert_eq!(l.matching("www.api.test.org"), None);
    }

    #[test]
    fn rule_addresses_parse() {
        assert_eq!(RuleAddress::parse("any"), Some(RuleAddress::Any));
        assert_eq!(RuleAddress::parse("$HOME_NET"), Some(RuleAddress::HomeNet));
        assert_eq!(RuleAddress::parse("10.0.0.0/8"), Some(RuleAddress::Cidr("10.0.0.0/8".parse().unwrap())));
        assert_eq!(RuleAddress::parse("10.1.1.1"), Some(RuleAddress::Cidr("10.1.1.1/32".parse().unwrap())));
        assert_eq!(RuleAddress::parse("[10.0.0.0/8,!10.1.0.0/16]"), None);
    }
}
