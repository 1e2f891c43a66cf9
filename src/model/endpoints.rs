//! VPC endpoints, endpoint services and load balancers (rules G1–G5, E1–E11).

use super::common::{is_false, Id, Protocol};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// Gateway (S3, DynamoDB), interface (PrivateLink) or Gateway Load Balancer endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum EndpointKind {
    #[default]
    Gateway,
    Interface,
    GatewayLoadBalancer,
}

/// Endpoint lifecycle; only `Available` carries traffic (E8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum EndpointState {
    PendingAcceptance,
    Pending,
    #[default]
    Available,
    Rejected,
    Expired,
    Failed,
    Deleting,
    Deleted,
}

impl EndpointState {
    /// The state as the EC2 API spells it on the wire (`pendingAcceptance`, `available` …).
    pub fn api_name(self) -> &'static str {
        match self {
            EndpointState::PendingAcceptance => "pendingAcceptance",
            EndpointState::Pending => "pending",
            EndpointState::Available => "available",
            EndpointState::Rejected => "rejected",
            EndpointState::Expired => "expired",
            EndpointState::Failed => "failed",
            EndpointState::Deleting => "deleting",
            EndpointState::Deleted => "deleted",
        }
    }

    /// Parse the API spelling, case-insensitively.
    pub fn from_api(s: &str) -> Option<EndpointState> {
        let all = [
            EndpointState::PendingAcceptance,
            EndpointState::Pending,
            EndpointState::Available,
            EndpointState::Rejected,
            EndpointState::Expired,
            EndpointState::Failed,
            EndpointState::Deleting,
            EndpointState::Deleted,
        ];
        all.into_iter().find(|st| st.api_name().eq_ignore_ascii_case(s))
    }
}

/// A VPC endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpcEndpoint {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    pub kind: EndpointKind,
    /// e.g. `com.amazonaws.ap-northeast-2.s3`, or an endpoint service's `com.amazonaws.vpce.…`.
    pub service_name: String,
    #[serde(default)]
    pub state: EndpointState,
    /// Gateway endpoints: the route tables that got the `pl-… → vpce-…` route (G2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_tables: Vec<Id>,
    /// Interface endpoints: one network interface per chosen subnet, at most one per AZ (E1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interfaces: Vec<EndpointInterface>,
    /// Interface endpoints: the groups on its interfaces (E2); the VPC default group if empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<Id>,
    /// Interface endpoints: private DNS (E4).
    #[serde(default, skip_serializing_if = "is_false")]
    pub private_dns_enabled: bool,
    /// The random part of the endpoint-specific DNS names, e.g. `m8shdg7j` (E5).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dns_suffix: String,
}

/// The network interface an interface endpoint has in one subnet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointInterface {
    pub subnet: Id,
    pub ip: Ipv4Addr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eni: Option<Id>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub placeholder: bool,
}

/// An endpoint service (PrivateLink provider side, E9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointService {
    /// `vpce-svc-…`.
    pub id: Id,
    pub name: String,
    /// `com.amazonaws.vpce.<region>.vpce-svc-…`.
    pub service_name: String,
    pub region: String,
    /// The network load balancers behind the service.
    pub load_balancers: Vec<Id>,
    /// Customer services default to manual acceptance (E8).
    #[serde(default = "super::common::yes")]
    pub acceptance_required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_principals: Vec<String>,
}

/// Network, application, gateway or classic load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LoadBalancerKind {
    #[default]
    Network,
    Application,
    Gateway,
    /// A classic load balancer (M6): its registered instances and instance port are a target
    /// group its listener forwards to.
    Classic,
}

/// Internet-facing or internal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LoadBalancerScheme {
    InternetFacing,
    #[default]
    Internal,
}

/// An ELBv2 load balancer with its per-subnet nodes and listeners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    #[serde(default)]
    pub kind: LoadBalancerKind,
    #[serde(default)]
    pub scheme: LoadBalancerScheme,
    /// One node per subnet (per AZ).
    pub nodes: Vec<LoadBalancerNode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listeners: Vec<Listener>,
    /// A public DNS name, if known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dns_name: String,
}

/// The load balancer's presence in one subnet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerNode {
    pub subnet: Id,
    pub private_ip: Ipv4Addr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub placeholder: bool,
}

/// A listener: a port that forwards to a target group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listener {
    pub port: u16,
    pub protocol: Protocol,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group: Option<Id>,
}

/// A target group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    pub protocol: Protocol,
    pub port: u16,
    #[serde(default)]
    pub targets: Vec<Target>,
    /// What the appliances registered here do with the packets a Gateway Load Balancer
    /// sends them (B2); allow all unless the design says otherwise.
    #[serde(default, skip_serializing_if = "ApplianceRules::is_allow_all")]
    pub appliance: ApplianceRules,
    /// `Lambda` or `Alb` (M10, M11); absent for instance and ip groups, whose targets say it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<TargetType>,
}

/// A target group's target type (M4, M10, M11): what its targets are. `instance` and `ip` groups
/// keep no field for it, their targets say it; `lambda` and `alb` groups keep it in
/// [`TargetGroup::target_type`] (AWS fixes it when the group is made, and an empty group has
/// no target to say it). See [`TargetGroup::target_type`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetType {
    Instance,
    Ip,
    /// One Lambda function, invoked by an application load balancer (M10).
    Lambda,
    /// One application load balancer, behind a network load balancer's TCP listener (M11).
    Alb,
}

impl TargetType {
    /// Every type, in the order AWS lists them.
    pub const ALL: [TargetType; 4] = [TargetType::Instance, TargetType::Ip, TargetType::Lambda, TargetType::Alb];

    /// The name AWS gives it (`TargetType`).
    pub fn api_name(self) -> &'static str {
        match self {
            TargetType::Instance => "instance",
            TargetType::Ip => "ip",
            TargetType::Lambda => "lambda",
            TargetType::Alb => "alb",
        }
    }

    /// Parse AWS's name, case-insensitively.
    pub fn from_api(s: &str) -> Option<TargetType> {
        TargetType::ALL.into_iter().find(|t| t.api_name().eq_ignore_ascii_case(s.trim()))
    }

    /// The type a target's id makes it in a group that keeps no type: an address is an `ip`
    /// target, anything else an instance.
    pub fn of(id: &str) -> TargetType {
        if id.parse::<Ipv4Addr>().is_ok() {
            TargetType::Ip
        } else {
            TargetType::Instance
        }
    }

    /// Whether its targets are named by id (instances, functions, load balancers) rather than
    /// by address.
    pub fn kept(self) -> bool {
        matches!(self, TargetType::Lambda | TargetType::Alb)
    }
}

impl TargetGroup {
    /// Its target type: the one it keeps (`lambda`, `alb`), else as its first target shows it
    /// (M4: one type per group); `None` while an instance or ip group has no targets, when
    /// either may be registered.
    pub fn target_type(&self) -> Option<TargetType> {
        self.target_type.or_else(|| self.targets.first().map(|t| TargetType::of(&t.id)))
    }
}

/// A registered target: an instance id, an IP, a Lambda function's id (M10) or an application
/// load balancer's id (M11), with an optional port override.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// What the software on a Gateway Load Balancer's appliances does with the packets it gets
/// (B2): the first rule that matches decides, else the default. This is vpcraft's model of a
/// third-party appliance, not an AWS resource: it lets a design say "the firewall drops SSH".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplianceRules {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<ApplianceRule>,
    /// What happens to a packet no rule matches (allow by default).
    #[serde(default)]
    pub default: super::common::RuleAction,
}

impl ApplianceRules {
    /// Allow everything, the default.
    pub fn is_allow_all(&self) -> bool {
        self.rules.is_empty() && self.default == super::common::RuleAction::Allow
    }
}

/// A 5-tuple rule of an appliance: protocol, source and destination CIDRs (none: any) and
/// destination ports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplianceRule {
    pub action: super::common::RuleAction,
    #[serde(default)]
    pub protocol: Protocol,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ipnet::IpNet>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<ipnet::IpNet>,
    #[serde(default)]
    pub ports: super::common::PortSpec,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl std::fmt::Display for ApplianceRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let any = |c: &Option<ipnet::IpNet>| c.map_or("any".to_string(), |c| c.to_string());
        write!(
            f,
            "{} {} {} → {} port {}",
            self.action,
            self.protocol,
            any(&self.source),
            any(&self.destination),
            self.ports
        )?;
        if !self.description.is_empty() {
            write!(f, " ({})", self.description)?;
        }
        Ok(())
    }
}
