//! Edits as data: the only way a design changes.
//!
//! Every change — a form in the editor, the planner and the route pane, a guided lab's step, the
//! [`DesignBuilder`](super::builder::DesignBuilder) (all but its raw `route`) — is an [`Op`]. An
//! op names resources with a typed [`Ref`] (an id, or a name) and carries typed values (CIDRs,
//! addresses), so nothing is parsed here: text is the form's business.
//!
//! Applying an op is two steps. [`Design::prepare`] checks everything the op needs against the
//! design and returns every problem at once as [`OpError`]s (the field, the AWS rule it breaks,
//! a message); when there are none it returns a [`Prepared`] change that
//! [`Prepared::commit`] makes and that cannot be refused any more. [`Design::check`] is
//! `prepare` without the commit: the dry run forms show as you type, so a form shows exactly
//! what the model would refuse. [`Prepared::touches`] says what the change writes (whole
//! collections, or a few resources edited in place), which is what the app's undo keeps (see
//! [`snapshot`]).
//!
//! One file per area holds the ops of its resource kinds; `common` holds the checks several
//! kinds share (names, addresses, group lists). Rule numbers (A5, R7, …) refer to the project's
//! AWS semantics reference.

mod common;
mod compute;
mod connect;
mod firewall;
mod gateways;
mod ipv6;
mod op;
mod routing;
mod security;
mod services;
mod services_targets;
pub mod snapshot;
mod transit;
mod vpcs;

#[cfg(test)]
mod firewall_tests;
#[cfg(test)]
mod services_tests;
#[cfg(test)]
mod tests;

pub use common::{first_free_ip, placeholder_public_ip, resolve_ref, suggest_subnet, suggest_vpc_cidr, used_ips};
pub use op::Op;
pub use services::{compute_spec, free_public_ips};

use super::edit::{EditError, Reference};
use super::*;
use crate::l10n::Text;
use crate::rules::Rule;
use ipnet::{IpNet, Ipv4Net};
use std::fmt;
use std::net::Ipv4Addr;

/// A reference to a resource, as an op names it: its id, or its name (unique within its kind
/// and scope; an ambiguous name is refused with the candidates' ids).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ref {
    Id(Id),
    Name(String),
}

impl Ref {
    pub fn id(id: impl Into<Id>) -> Ref {
        Ref::Id(id.into())
    }

    pub fn name(name: impl Into<String>) -> Ref {
        Ref::Name(name.into())
    }

    /// What the reference says: the id or the name.
    pub fn key(&self) -> &str {
        match self {
            Ref::Id(s) | Ref::Name(s) => s,
        }
    }
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Inbound or outbound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub fn egress(self) -> bool {
        self == Direction::Outbound
    }

    pub fn of(egress: bool) -> Direction {
        if egress {
            Direction::Outbound
        } else {
            Direction::Inbound
        }
    }
}

/// What a security group rule allows traffic from or to (S6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeerSpec {
    Cidr(IpNet),
    /// A group of this design.
    Group(Ref),
    /// A group of another account, `account/sg-…`.
    AccountGroup {
        account: String,
        group: Id,
    },
    PrefixList(Id),
}

/// The Elastic IP of a NAT gateway.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum NatEip {
    /// A new allocation: at `public_ip` when the op gives one, else a placeholder address.
    #[default]
    New,
    Existing(Ref),
    /// None: a private NAT gateway (N2).
    None,
}

/// A listener: `protocol:port`, forwarding to a target group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListenerSpec {
    pub protocol: Protocol,
    pub port: u16,
    #[serde(default)]
    pub target_group: Option<Ref>,
}

/// A registered target: an instance or an address, with an optional port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetSpec {
    Instance {
        instance: Ref,
        port: Option<u16>,
    },
    Ip {
        ip: Ipv4Addr,
        port: Option<u16>,
    },
    /// A Lambda function of the design: the one target of a `lambda` group (M10).
    Lambda {
        function: Ref,
    },
    /// An application load balancer: the one target of an `alb` group (M11).
    Alb {
        load_balancer: Ref,
    },
}

/// A target group an ECS service registers its tasks in, and the container port (M8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcsTargetSpec {
    pub target_group: Ref,
    pub container_port: u16,
}

/// What a compute service is, as an op gives it (M7–M9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComputeSpec {
    /// A Lambda function in a VPC: outbound only, one interface per subnet (M7).
    Lambda,
    /// An ECS service with awsvpc networking: one interface per task (M8).
    Ecs {
        #[serde(default)]
        cluster: String,
        #[serde(default)]
        launch_type: crate::model::services::LaunchType,
        #[serde(default)]
        assign_public_ip: bool,
        #[serde(default = "one")]
        desired_count: u32,
        /// The target groups its tasks register in, each with its container port (M8); none:
        /// keep the service's (a new one has none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        load_balancers: Option<Vec<EcsTargetSpec>>,
    },
    /// An EKS cluster's control plane (M9).
    Eks {
        #[serde(default = "yes")]
        public_access: bool,
        #[serde(default)]
        private_access: bool,
        #[serde(default)]
        public_access_cidrs: Vec<Ipv4Net>,
        #[serde(default)]
        cluster_security_group: Option<Ref>,
    },
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

/// What a transit gateway attachment connects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttachSpec {
    Vpc { vpc: Ref, subnets: Vec<Ref> },
    Vpn { vpn: Ref },
    Peering { peer: Ref },
}

/// A static transit gateway route; no attachment is a blackhole (T4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TgwRouteSpec {
    pub cidr: IpNet,
    #[serde(default)]
    pub attachment: Option<Ref>,
}

/// A rule group in a firewall policy, with its priority (F2; F3 under strict order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyGroupSpec {
    pub group: Ref,
    #[serde(default)]
    pub priority: Option<u32>,
}

/// The AWS side of a VPN connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VpnSide {
    VpnGateway(Ref),
    TransitGateway(Ref),
}

/// What kind of refusal an [`OpError`] is.
#[derive(Debug, Clone, PartialEq)]
pub enum OpErrorKind {
    /// A reference that names nothing (or the wrong kind of thing).
    NotFound,
    /// Other resources still refer to what would be deleted.
    Referenced { id: Id, by: Vec<Reference> },
    /// AWS does not allow it (deleting a main route table, the local route …).
    NotAllowed,
    /// A value AWS would refuse.
    Invalid,
}

/// Why an op is refused: the op's field it is about (`""` for the op as a whole), the rule of
/// the semantics reference it breaks, and a message saying what is wrong and what would do,
/// kept with the template it was written from so the catalogues can say it in Korean.
#[derive(Debug, Clone, PartialEq)]
pub struct OpError {
    pub field: &'static str,
    pub rule: Option<Rule>,
    pub message: Text,
    pub kind: OpErrorKind,
}

impl OpError {
    /// A value refused on `field`, breaking `rule` when there is one.
    pub fn invalid(field: &'static str, rule: Option<Rule>, message: impl Into<Text>) -> OpError {
        OpError { field, rule, message: message.into(), kind: OpErrorKind::Invalid }
    }

    pub fn not_found(field: &'static str, message: impl Into<Text>) -> OpError {
        OpError { field, rule: None, message: message.into(), kind: OpErrorKind::NotFound }
    }

    pub fn not_allowed(field: &'static str, rule: Option<Rule>, message: impl Into<Text>) -> OpError {
        OpError { field, rule, message: message.into(), kind: OpErrorKind::NotAllowed }
    }

    /// The same error, about another field.
    pub fn on(mut self, field: &'static str) -> OpError {
        self.field = field;
        self
    }

    /// The message in `lang` (English: what [`fmt::Display`] writes).
    pub fn message_in(&self, lang: crate::l10n::Lang) -> String {
        self.message.render(lang)
    }
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message.english)
    }
}

impl std::error::Error for OpError {}

impl From<EditError> for OpError {
    fn from(e: EditError) -> OpError {
        let (message, kind) = match e {
            EditError::NotFound(id) => (crate::text!("no resource has the id '{id}'"), OpErrorKind::NotFound),
            EditError::Referenced { id, by } => {
                let list: Vec<String> = by.iter().map(|r| r.to_string()).collect();
                let (n, list) = (by.len(), list.join("; "));
                (crate::text!("{id} is still referenced by {n}: {list}"), OpErrorKind::Referenced { id, by })
            }
            EditError::NotAllowed(m) => (m, OpErrorKind::NotAllowed),
            EditError::Invalid(m) => (m, OpErrorKind::Invalid),
        };
        // The rule, when the message names one, e.g. "(R1)".
        let rule = crate::model::ops::common::rule_in(&message.english);
        OpError { field: "", rule, message, kind }
    }
}

/// What an applied op did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The resource it created, if it created one.
    pub created: Option<Id>,
    /// Every resource it created, changed or removed.
    pub touched: Vec<Id>,
}

type Commit = Box<dyn FnOnce(&mut Design) -> Applied>;

/// A checked op, ready to change the design.
pub struct Prepared {
    touches: Vec<snapshot::Touch>,
    commit: Commit,
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared").field("touches", &self.touches).finish_non_exhaustive()
    }
}

impl Prepared {
    pub(crate) fn new(
        touches: Vec<snapshot::Touch>,
        commit: impl FnOnce(&mut Design) -> Applied + 'static,
    ) -> Prepared {
        Prepared { touches, commit: Box::new(commit) }
    }

    /// What the change writes: whole collections, or a few resources of one (what an undo has
    /// to keep).
    pub fn touches(&self) -> &[snapshot::Touch] {
        &self.touches
    }

    /// Make the change. It was checked against the design it was prepared on; commit it to
    /// that design, unchanged since.
    pub fn commit(self, design: &mut Design) -> Applied {
        (self.commit)(design)
    }
}

/// Every problem with an op, or the change.
pub type Prepare = Result<Prepared, Vec<OpError>>;

impl Design {
    /// Check an op without applying it: every problem, each naming its field and rule. An
    /// empty list means [`Design::apply`] would succeed.
    pub fn check(&self, op: &Op) -> Vec<OpError> {
        match self.prepare(op) {
            Ok(_) => Vec::new(),
            Err(e) => e,
        }
    }

    /// Apply an op: refused with its first problem, or applied whole.
    pub fn apply(&mut self, op: &Op) -> Result<Applied, OpError> {
        match self.prepare(op) {
            Ok(p) => Ok(p.commit(self)),
            Err(mut e) => Err(if e.is_empty() { OpError::invalid("", None, "refused") } else { e.swap_remove(0) }),
        }
    }

    /// Check an op and return the change it makes.
    pub fn prepare(&self, op: &Op) -> Prepare {
        prepare(common::Cx::new(self, true), op)
    }

    /// Apply an op from trusted code (the design builder, tests): references must resolve,
    /// but the AWS rules are not enforced, so a test can build the broken designs the checks
    /// and the trace engine must handle.
    pub fn apply_trusted(&mut self, op: &Op) -> Result<Applied, OpError> {
        match prepare(common::Cx::new(self, false), op) {
            Ok(p) => Ok(p.commit(self)),
            Err(mut e) => Err(if e.is_empty() { OpError::invalid("", None, "refused") } else { e.swap_remove(0) }),
        }
    }
}

fn prepare(cx: common::Cx<'_>, op: &Op) -> Prepare {
    {
        match op {
            Op::AddVpc { .. }
            | Op::UpdateVpc { .. }
            | Op::AddVpcCidr { .. }
            | Op::SetVpcDns { .. }
            | Op::AddSubnet { .. }
            | Op::UpdateSubnet { .. } => vpcs::prepare(cx, op),
            Op::AddRouteTable { .. }
            | Op::UpdateRouteTable { .. }
            | Op::AssociateRouteTable { .. }
            | Op::DisassociateRouteTable { .. }
            | Op::SetMainRouteTable { .. }
            | Op::AddRoute { .. }
            | Op::ReplaceRoute { .. }
            | Op::DeleteRoute { .. } => routing::prepare(cx, op),
            Op::AddInternetGateway { .. }
            | Op::UpdateInternetGateway { .. }
            | Op::AttachInternetGateway { .. }
            | Op::DetachInternetGateway { .. }
            | Op::AddEgressOnlyInternetGateway { .. }
            | Op::UpdateEgressOnlyInternetGateway { .. }
            | Op::AddElasticIp { .. }
            | Op::UpdateElasticIp { .. }
            | Op::AddNatGateway { .. }
            | Op::AddRegionalNatGateway { .. }
            | Op::UpdateNatGateway { .. } => gateways::prepare(cx, op),
            Op::AddInstance { .. }
            | Op::UpdateInstance { .. }
            | Op::SetSourceDestCheck { .. }
            | Op::SetInstanceState { .. }
            | Op::SetInterfaceGroups { .. }
            | Op::AddNetworkInterface { .. }
            | Op::UpdateNetworkInterface { .. } => compute::prepare(cx, op),
            Op::AddSecurityGroup { .. }
            | Op::UpdateSecurityGroup { .. }
            | Op::AddSgRule { .. }
            | Op::ReplaceSgRule { .. }
            | Op::RemoveSgRule { .. }
            | Op::DeleteSgRule { .. }
            | Op::AddNetworkAcl { .. }
            | Op::UpdateNetworkAcl { .. }
            | Op::AssociateNetworkAcl { .. }
            | Op::AddNaclEntry { .. }
            | Op::ReplaceNaclEntry { .. }
            | Op::DeleteNaclEntry { .. } => security::prepare(cx, op),
            Op::AddPeering { .. }
            | Op::UpdatePeering { .. }
            | Op::SetPeeringStatus { .. }
            | Op::AddPrefixList { .. }
            | Op::UpdatePrefixList { .. }
            | Op::AddGatewayEndpoint { .. }
            | Op::AddInterfaceEndpoint { .. }
            | Op::UpdateEndpoint { .. }
            | Op::SetEndpointPrivateDns { .. }
            | Op::SetEndpointState { .. }
            | Op::SetEndpointGroups { .. }
            | Op::AddEndpointService { .. }
            | Op::UpdateEndpointService { .. }
            | Op::AddLoadBalancer { .. }
            | Op::UpdateLoadBalancer { .. }
            | Op::AddTargetGroup { .. }
            | Op::UpdateTargetGroup { .. } => connect::prepare(cx, op),
            Op::AddTransitGateway { .. }
            | Op::UpdateTransitGateway { .. }
            | Op::AttachVpcToTransitGateway { .. }
            | Op::AddTgwAttachment { .. }
            | Op::UpdateTgwAttachment { .. }
            | Op::AddTgwRouteTable { .. }
            | Op::UpdateTgwRouteTable { .. }
            | Op::AddVpnGateway { .. }
            | Op::UpdateVpnGateway { .. }
            | Op::AddCustomerGateway { .. }
            | Op::UpdateCustomerGateway { .. }
            | Op::AddVpnConnection { .. }
            | Op::UpdateVpnConnection { .. } => transit::prepare(cx, op),
            Op::AddVpcIpv6Block { .. }
            | Op::SetSubnetIpv6 { .. }
            | Op::AddIpv6OnlySubnet { .. }
            | Op::SetSubnetDns64 { .. }
            | Op::AddInstanceIpv6 { .. }
            | Op::RemoveVpcIpv6Block { .. }
            | Op::RemoveSubnetIpv6 { .. }
            | Op::SetIpv6Addresses { .. }
            | Op::SetTgwAttachmentIpv6 { .. } => ipv6::prepare(cx, op),
            Op::AddNetworkFirewall { .. }
            | Op::UpdateNetworkFirewall { .. }
            | Op::AddFirewallPolicy { .. }
            | Op::UpdateFirewallPolicy { .. }
            | Op::AddFirewallRuleGroup { .. }
            | Op::UpdateFirewallRuleGroup { .. }
            | Op::SetTargetGroupAppliance { .. } => firewall::prepare(cx, op),
            Op::AddDbSubnetGroup { .. }
            | Op::UpdateDbSubnetGroup { .. }
            | Op::AddDatabase { .. }
            | Op::UpdateDatabase { .. }
            | Op::AddComputeService { .. }
            | Op::UpdateComputeService { .. } => services::prepare(cx, op),
            Op::Delete { resource, cascade } => common::delete(cx, resource, *cascade),
        }
    }
}
