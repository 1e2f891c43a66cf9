//! What a trace produces: the verdict, the hops in both directions and every blocker.
//!
//! The JSON field names of these types are a public interface (`vpcraft trace --format json`):
//! `verdict`, `disposition`, `code`, `reason`, `forward`, `return`, `blockers`; a hop is
//! `{step, component, action, decision, rule, matched, beaten, before, after}`.

pub use super::vocab::{Code, ComponentKind, HopAction};
use crate::model::Protocol;
use crate::rules::Rule;
use serde::{Serialize, Serializer};
use std::fmt;
use std::net::IpAddr;

/// Whether the flow (request and reply) gets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The request reached its destination and the reply came back.
    Delivered,
    /// The request or its reply was dropped.
    Dropped,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Delivered => "delivered",
            Verdict::Dropped => "dropped",
        })
    }
}

/// Where the flow ended, in Batfish's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Disposition {
    /// Delivered to a resource of the design.
    Accepted,
    /// Delivered to a host outside the design: the internet, an AWS service, on premises.
    ExitsNetwork,
    /// Refused on the way in (a security group, a NACL inbound rule, a gateway's ingress rule).
    DeniedIn,
    /// Refused on the way out.
    DeniedOut,
    /// No route matched.
    NoRoute,
    /// A route matched but leads nowhere (blackhole, bad state).
    NullRouted,
    /// The next hop does not answer (no interface at the address, stopped, not available).
    NeighborUnreachable,
    /// The packet came back to where it had been.
    Loop,
    /// The design does not say enough to go on.
    InsufficientInfo,
}

impl Disposition {
    /// The Batfish spelling, e.g. `NO_ROUTE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Accepted => "ACCEPTED",
            Disposition::ExitsNetwork => "EXITS_NETWORK",
            Disposition::DeniedIn => "DENIED_IN",
            Disposition::DeniedOut => "DENIED_OUT",
            Disposition::NoRoute => "NO_ROUTE",
            Disposition::NullRouted => "NULL_ROUTED",
            Disposition::NeighborUnreachable => "NEIGHBOR_UNREACHABLE",
            Disposition::Loop => "LOOP",
            Disposition::InsufficientInfo => "INSUFFICIENT_INFO",
        }
    }
}

impl fmt::Display for Disposition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The addresses, protocol and ports of a packet at one point of its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Header {
    /// Source address (IPv4 or IPv6; both ends are always of one family).
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// `tcp`, `udp`, `icmp` or a protocol number, in JSON.
    #[serde(serialize_with = "display")]
    pub protocol: Protocol,
    /// Source port (TCP and UDP only).
    pub src_port: Option<u16>,
    /// Destination port (TCP and UDP only).
    pub dst_port: Option<u16>,
}

fn display<S: Serializer, T: fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

impl Header {
    /// The header of the answer: addresses and ports swapped.
    pub fn reversed(&self) -> Header {
        Header {
            src: self.dst,
            dst: self.src,
            protocol: self.protocol,
            src_port: self.dst_port,
            dst_port: self.src_port,
        }
    }
}

impl Header {
    /// Whether the packet is IPv6.
    pub fn is_ipv6(&self) -> bool {
        self.dst.is_ipv6()
    }
}

/// An address with a port as written in text: `10.0.0.1:80`, `[2001:db8::1]:80`.
pub fn socket_text(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{a}]:{port}"),
    }
}

impl fmt::Display for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.src_port, self.dst_port) {
            (Some(sp), Some(dp)) => {
                write!(f, "{} → {} {}", socket_text(self.src, sp), socket_text(self.dst, dp), self.protocol)
            }
            (None, Some(dp)) => write!(f, "{} → {} {}", self.src, socket_text(self.dst, dp), self.protocol),
            _ => write!(f, "{} → {} {}", self.src, self.dst, self.protocol),
        }
    }
}

/// The part of the network a hop happened at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// What it is; written in kebab case (`instance`, `security-group`, `route-table` …).
    pub kind: ComponentKind,
    /// The resource id (or an address for things outside the design).
    pub id: String,
    /// The resource's name, or a description.
    pub name: String,
}

impl Component {
    /// A component from its parts.
    pub fn new(kind: ComponentKind, id: impl Into<String>, name: impl Into<String>) -> Component {
        Component { kind, id: id.into(), name: name.into() }
    }

    /// `name (id)`, or the id alone when the name is empty or the same.
    pub fn label(&self) -> String {
        use crate::model::text::escape_controls as esc;
        // Names and ids come from files and tags: control characters are shown, not sent.
        if self.name.is_empty() || self.name == self.id {
            esc(&self.id).into_owned()
        } else {
            format!("{} ({})", esc(&self.name), esc(&self.id))
        }
    }
}

/// One step of a packet's path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    /// Numbered from 1 across the forward path and on through the return path.
    pub step: u32,
    /// Where it happened.
    pub component: Component,
    /// What happened (`send`, `route`, `nat`, `deliver`, `drop` …).
    pub action: HopAction,
    /// What was decided and why, as a value; in JSON its English sentence.
    pub decision: super::explain::Explanation,
    /// The rule of the semantics document that applies, e.g. `R3`.
    pub rule: Rule,
    /// The rule, route or entry that decided it, as a value; in JSON its English text.
    pub matched: Option<super::explain::Matched>,
    /// Other candidates that lost, with why (routes: "10.0.0.0/8 → tgw-1 (less specific)").
    pub beaten: Vec<super::explain::Beaten>,
    /// The packet as it reached the hop.
    pub before: Header,
    /// The packet as it left the hop (different only where an address or port is rewritten).
    pub after: Header,
    /// The subnet whose edge a network ACL hop guards (L1, L5), or where a firewall endpoint
    /// hop happened (F1): typed data for whoever asks "where did the packet cross this
    /// subnet?". Not part of the JSON output.
    #[serde(skip)]
    pub subnet: Option<String>,
    /// Something that does not stop the packet but should be fixed, e.g. an asymmetric path
    /// through a stateful inspection point (T9). Written in JSON only when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<crate::l10n::Text>,
}

/// Something that stops the flow, with a suggested change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    /// The hop it was found at (past the first drop: the step the packet would reach once the
    /// earlier blockers are fixed).
    pub step: u32,
    /// What blocks.
    pub component: Component,
    /// The Reachability Analyzer explanation code (section 11).
    pub code: Code,
    /// One plain sentence (the deciding hop's), as a value; in JSON its English sentence.
    pub reason: super::explain::Explanation,
    /// A one-line change that removes this blocker.
    pub fix: String,
    /// The template the fix was written from (see [`crate::l10n::Text`]).
    #[serde(skip)]
    pub fix_template: &'static str,
}

impl Blocker {
    /// The fix in `lang`: the catalogue's message of its template with the same specifics.
    pub fn fix_in(&self, lang: crate::l10n::Lang) -> String {
        crate::l10n::Text::new(self.fix_template, self.fix.clone()).render(lang)
    }
}

/// The outcome of a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceResult {
    /// `delivered` or `dropped`.
    pub verdict: Verdict,
    /// Where the flow ended, in Batfish's vocabulary.
    pub disposition: Disposition,
    /// The explanation code of the hop that dropped the flow; `None` when delivered.
    pub code: Option<Code>,
    /// One plain sentence for the drop (the dropping hop's decision); `None` when delivered.
    pub reason: Option<super::explain::Explanation>,
    /// The request's path, hop by hop (up to and including the hop that dropped it).
    pub forward: Vec<Hop>,
    /// The reply's path; empty when the request was dropped.
    #[serde(rename = "return")]
    pub return_path: Vec<Hop>,
    /// Every blocker found along the way, in step order, each with a fix.
    pub blockers: Vec<Blocker>,
    /// The ends that are hypothetical interfaces (a subnet, or an unused address), and what
    /// they carry; absent from the JSON when neither end is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hypothetical: Vec<super::hypothetical::HypotheticalEndpoint>,
}

impl TraceResult {
    /// Whether the flow got through both ways.
    pub fn delivered(&self) -> bool {
        self.verdict == Verdict::Delivered
    }

    /// The hop where the flow stopped (the last hop of the path that dropped), if it did.
    pub fn stop_hop(&self) -> Option<&Hop> {
        if self.delivered() {
            return None;
        }
        self.return_path.last().filter(|h| h.action == HopAction::Drop).or_else(|| self.forward.last())
    }

    /// Every hop, forward then return.
    pub fn hops(&self) -> impl Iterator<Item = &Hop> {
        self.forward.iter().chain(self.return_path.iter())
    }

    /// The JSON text of the result (the `--format json` output).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}
