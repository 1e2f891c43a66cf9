//! What a trace produces: the verdict, the hops in both directions and every blocker.
//!
//! The JSON field names of these types are a public interface (`vpcraft trace --format json`):
//! `verdict`, `disposition`, `code`, `reason`, `forward`, `return`, `blockers`; a hop is
//! `{step, component, action, decision, rule, matched, beaten, before, after}`.

use crate::model::Protocol;
use serde::{Serialize, Serializer};
use std::fmt;
use std::net::Ipv4Addr;

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

/// Reachability Analyzer explanation codes (semantics doc, section 11) the engine reports.
pub mod codes {
    /// A component is not in a working state (stopped, pending, not accepted).
    pub const BAD_STATE: &str = "BAD_STATE";
    /// A transit gateway attachment is not available.
    pub const BAD_STATE_ATTACHMENT: &str = "BAD_STATE_ATTACHMENT";
    /// The matching route is a blackhole, or its target is gone or not active (R6).
    pub const BAD_STATE_ROUTE: &str = "BAD_STATE_ROUTE";
    /// The VPN connection is not available.
    pub const BAD_STATE_VPN: &str = "BAD_STATE_VPN";
    /// The route cannot carry the packet (link-local, IPv6-only target).
    pub const CANNOT_ROUTE: &str = "CANNOT_ROUTE";
    /// No route matches the destination (R3).
    pub const NO_ROUTE_TO_DESTINATION: &str = "NO_ROUTE_TO_DESTINATION";
    /// The source/destination check drops forwarded traffic (X4, N8).
    pub const ENI_SOURCE_DEST_CHECK_RESTRICTION: &str = "ENI_SOURCE_DEST_CHECK_RESTRICTION";
    /// No security group rule allows the packet (S2).
    pub const ENI_SG_RULES_MISMATCH: &str = "ENI_SG_RULES_MISMATCH";
    /// The security group has no rules at all.
    pub const SG_HAS_NO_RULES: &str = "SG_HAS_NO_RULES";
    /// A network ACL denies the packet (L2, L3).
    pub const SUBNET_ACL_RESTRICTION: &str = "SUBNET_ACL_RESTRICTION";
    /// The source has no public address for the internet gateway (I2, I4).
    pub const IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS: &str = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS";
    /// The destination from the internet is not an associated public address (I4).
    pub const IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: &str = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS";
    /// The internet gateway does not send to private (RFC1918) addresses (I4).
    pub const IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS: &str = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS";
    /// The internet gateway does not send to shared (RFC6598) addresses (I4).
    pub const IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS: &str = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS";
    /// The internet gateway drops private (RFC1918) sources from the internet (I4).
    pub const IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS: &str = "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS";
    /// The internet gateway drops shared (RFC6598) sources from the internet (I4).
    pub const IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS: &str = "IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS";
    /// VPC Block Public Access stops internet gateway traffic.
    pub const VPC_BLOCK_PUBLIC_ACCESS_ENABLED: &str = "VPC_BLOCK_PUBLIC_ACCESS_ENABLED";
    /// A gateway drops a source that is not an address of its VPC (X5).
    pub const GATEWAY_REJECTS_SPOOFED_TRAFFIC: &str = "GATEWAY_REJECTS_SPOOFED_TRAFFIC";
    /// A NAT gateway serves only its own VPC (N6).
    pub const NGW_REQUIRES_SOURCE_IN_VPC: &str = "NGW_REQUIRES_SOURCE_IN_VPC";
    /// Peering is not transitive (P5, P6).
    pub const PCX_REQUIRES_ADDRESS_IN_VPC_CIDR: &str = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR";
    /// A gateway endpoint passes only TCP and ICMP echo (G5).
    pub const VPCE_GATEWAY_PROTOCOL_RESTRICTION: &str = "VPCE_GATEWAY_PROTOCOL_RESTRICTION";
    /// An endpoint never opens connections (X5).
    pub const VPCE_INTRA_VPC_TRAFFIC: &str = "VPCE_INTRA_VPC_TRAFFIC";
    /// No transit gateway attachment subnet in the source's AZ (T2).
    pub const TGW_ROUTE_AZ_RESTRICTION: &str = "TGW_ROUTE_AZ_RESTRICTION";
    /// The attachment has no transit gateway route table (T3).
    pub const TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION: &str = "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION";
    /// The transit gateway route is a blackhole (T4).
    pub const TGW_RTB_BAD_STATE_ROUTE: &str = "TGW_RTB_BAD_STATE_ROUTE";
    /// No transit gateway route matches (T4).
    pub const TGW_RTB_CANNOT_ROUTE: &str = "TGW_RTB_CANNOT_ROUTE";
    /// VGW traffic must come from a VPC address (T6, T8).
    pub const VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS: &str = "VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS";
    /// VGW traffic must go to a VPC address (T8).
    pub const VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: &str = "VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS";
    /// The component does not carry this protocol (E3, N5).
    pub const PROTOCOL_RESTRICTION: &str = "PROTOCOL_RESTRICTION";
    /// Nothing answers there (a NAT gateway's own address, N5).
    pub const NO_POSSIBLE_DESTINATION: &str = "NO_POSSIBLE_DESTINATION";
    /// The destination is not known to the design.
    pub const UNKNOWN_DESTINATION: &str = "UNKNOWN_DESTINATION";
    /// The load balancer has no listener on the port (E9).
    pub const ELBV2_LISTENER_PORT_RESTRICTION: &str = "ELBV2_LISTENER_PORT_RESTRICTION";
    /// The listener forwards to no target group.
    pub const ELBV2_LISTENER_HAS_NO_TG: &str = "ELBV2_LISTENER_HAS_NO_TG";
    /// The target group has no running target.
    pub const ELBV2_NO_TARGETS_IN_AZ: &str = "ELBV2_NO_TARGETS_IN_AZ";
    /// The trace does not follow this kind of component.
    pub const UNSUPPORTED_COMPONENT: &str = "UNSUPPORTED_COMPONENT";
    /// A reference points at a resource that is not in the design.
    pub const UNKNOWN_RESOURCE: &str = "UNKNOWN_RESOURCE";
    /// Not a Reachability Analyzer code: the packet came back to a place it had been.
    pub const ROUTING_LOOP: &str = "ROUTING_LOOP";
}

/// The addresses, protocol and ports of a packet at one point of its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Header {
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
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

impl fmt::Display for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.src_port, self.dst_port) {
            (Some(sp), Some(dp)) => write!(f, "{}:{sp} → {}:{dp} {}", self.src, self.dst, self.protocol),
            (None, Some(dp)) => write!(f, "{} → {}:{dp} {}", self.src, self.dst, self.protocol),
            _ => write!(f, "{} → {} {}", self.src, self.dst, self.protocol),
        }
    }
}

/// The part of the network a hop happened at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// A kebab-case kind: `instance`, `security-group`, `network-acl`, `route-table`,
    /// `internet-gateway`, `nat-gateway`, `vpc-peering`, `vpc-endpoint`, `load-balancer`,
    /// `transit-gateway`, `vpn-gateway`, `dns`, `internet`, `aws-service`, `on-premises` …
    pub kind: &'static str,
    /// The resource id (or an address for things outside the design).
    pub id: String,
    /// The resource's name, or a description.
    pub name: String,
}

impl Component {
    /// A component from its parts.
    pub fn new(kind: &'static str, id: impl Into<String>, name: impl Into<String>) -> Component {
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
    /// What happened: `resolve`, `egress-allowed`, `ingress-allowed`, `stateful-allowed`,
    /// `nacl-allowed`, `check-passed`, `send`, `switch`, `route`, `arrive`, `nat`, `forward`,
    /// `reply`, `deliver`, `exit` or `drop`.
    pub action: &'static str,
    /// One sentence: what was decided and why.
    pub decision: String,
    /// The rule of the semantics document that applies, e.g. `R3`.
    pub rule: &'static str,
    /// The rule, route or entry that decided it, as text.
    pub matched: Option<String>,
    /// Other candidates that lost, with why (routes: "10.0.0.0/8 → tgw-1 (less specific)").
    pub beaten: Vec<String>,
    /// The packet as it reached the hop.
    pub before: Header,
    /// The packet as it left the hop (different only where an address or port is rewritten).
    pub after: Header,
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
    pub code: &'static str,
    /// One plain sentence.
    pub reason: String,
    /// A one-line change that removes this blocker.
    pub fix: String,
}

/// The outcome of a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceResult {
    /// `delivered` or `dropped`.
    pub verdict: Verdict,
    /// Where the flow ended, in Batfish's vocabulary.
    pub disposition: Disposition,
    /// The explanation code of the hop that dropped the flow; `None` when delivered.
    pub code: Option<&'static str>,
    /// One plain sentence for the drop; `None` when delivered.
    pub reason: Option<String>,
    /// The request's path, hop by hop (up to and including the hop that dropped it).
    pub forward: Vec<Hop>,
    /// The reply's path; empty when the request was dropped.
    #[serde(rename = "return")]
    pub return_path: Vec<Hop>,
    /// Every blocker found along the way, in step order, each with a fix.
    pub blockers: Vec<Blocker>,
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
        self.return_path.last().filter(|h| h.action == "drop").or_else(|| self.forward.last())
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
