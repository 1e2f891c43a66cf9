//! Route tables, routes, and the targets a route can point at (rules R1–R10).

use super::common::{is_false, Id};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A VPC route table (R1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTable {
    pub id: Id,
    pub name: String,
    pub vpc: Id,
    /// The VPC's main table: subnets with no explicit association use it (R1).
    #[serde(default, skip_serializing_if = "is_false")]
    pub main: bool,
    /// Subnets explicitly associated with this table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Id>,
    /// Gateways (IGW or VGW) associated as an edge table (R10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<Id>,
    /// Virtual private gateways whose routes propagate into this table (T6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub propagating_vgws: Vec<Id>,
    pub routes: Vec<Route>,
}

impl RouteTable {
    /// A table holding only the local route(s) of the given CIDRs (R2).
    pub fn new<C: Into<IpNet>>(
        id: impl Into<Id>,
        name: impl Into<String>,
        vpc: impl Into<Id>,
        vpc_cidrs: impl IntoIterator<Item = C>,
    ) -> RouteTable {
        RouteTable {
            id: id.into(),
            name: name.into(),
            vpc: vpc.into(),
            main: false,
            subnets: Vec::new(),
            gateways: Vec::new(),
            propagating_vgws: Vec::new(),
            routes: vpc_cidrs.into_iter().map(Route::local).collect(),
        }
    }

    /// Whether the table has an active route to an internet gateway, which makes its subnets
    /// public (R9).
    pub fn routes_to_internet_gateway(&self) -> bool {
        self.routes.iter().any(|r| matches!(r.target, RouteTarget::InternetGateway(_)) && r.state == RouteState::Active)
    }

    /// What the table makes the subnets that use it: public, VPN-only or private (R9).
    pub fn subnet_kind(&self) -> SubnetKind {
        if self.routes_to_internet_gateway() {
            SubnetKind::Public
        } else if !self.propagating_vgws.is_empty()
            || self
                .routes
                .iter()
                .any(|r| matches!(r.target, RouteTarget::VpnGateway(_)) && r.state == RouteState::Active)
        {
            SubnetKind::VpnOnly
        } else {
            SubnetKind::Private
        }
    }
}

/// A subnet's kind by its route table (R9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubnetKind {
    /// A route to an internet gateway.
    Public,
    /// No internet gateway route, but a route to (or propagation from) a virtual private gateway.
    VpnOnly,
    /// Neither.
    Private,
}

impl SubnetKind {
    /// `public`, `VPN-only` or `private`.
    pub fn label(self) -> &'static str {
        match self {
            SubnetKind::Public => "public",
            SubnetKind::VpnOnly => "VPN-only",
            SubnetKind::Private => "private",
        }
    }
}

/// Where a route sends traffic for a destination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub destination: RouteDestination,
    pub target: RouteTarget,
    #[serde(default, skip_serializing_if = "RouteState::is_active")]
    pub state: RouteState,
    #[serde(default, skip_serializing_if = "RouteOrigin::is_static")]
    pub origin: RouteOrigin,
}

impl Route {
    /// The automatic local route for one VPC CIDR of either family (R2).
    pub fn local(cidr: impl Into<IpNet>) -> Route {
        Route {
            destination: RouteDestination::Cidr(cidr.into()),
            target: RouteTarget::Local,
            state: RouteState::Active,
            origin: RouteOrigin::Local,
        }
    }

    /// A static route to a CIDR of either family.
    pub fn to_cidr(cidr: impl Into<IpNet>, target: RouteTarget) -> Route {
        Route {
            destination: RouteDestination::Cidr(cidr.into().trunc()),
            target,
            state: RouteState::Active,
            origin: RouteOrigin::Static,
        }
    }

    /// The route AWS adds for a gateway endpoint: prefix list → vpce, endpoint-managed (G2).
    pub fn gateway_endpoint(prefix_list: impl Into<Id>, endpoint: impl Into<Id>) -> Route {
        Route {
            destination: RouteDestination::PrefixList(prefix_list.into()),
            target: RouteTarget::GatewayEndpoint(endpoint.into()),
            state: RouteState::Active,
            origin: RouteOrigin::EndpointManaged,
        }
    }

    pub fn is_local(&self) -> bool {
        matches!(self.target, RouteTarget::Local)
    }
}

/// A route's destination: an IPv4 or IPv6 CIDR, or a prefix list (R5, G1). The two families
/// are looked up independently (R3).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RouteDestination {
    Cidr(IpNet),
    PrefixList(Id),
}

impl RouteDestination {
    /// The destination CIDR, if it is one.
    pub fn cidr(&self) -> Option<IpNet> {
        match self {
            RouteDestination::Cidr(c) => Some(*c),
            RouteDestination::PrefixList(_) => None,
        }
    }

    /// The destination CIDR if it is an IPv4 one.
    pub fn ipv4(&self) -> Option<ipnet::Ipv4Net> {
        match self {
            RouteDestination::Cidr(IpNet::V4(c)) => Some(*c),
            _ => None,
        }
    }

    /// The destination CIDR if it is an IPv6 one.
    pub fn ipv6(&self) -> Option<ipnet::Ipv6Net> {
        match self {
            RouteDestination::Cidr(IpNet::V6(c)) => Some(*c),
            _ => None,
        }
    }
}

impl fmt::Display for RouteDestination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteDestination::Cidr(c) => write!(f, "{c}"),
            RouteDestination::PrefixList(p) => write!(f, "{p}"),
        }
    }
}

/// A route's target (R5). Interface endpoints are not targets: they are reached via local.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RouteTarget {
    Local,
    InternetGateway(Id),
    EgressOnlyInternetGateway(Id),
    NatGateway(Id),
    Instance(Id),
    NetworkInterface(Id),
    VpcPeering(Id),
    GatewayEndpoint(Id),
    TransitGateway(Id),
    VpnGateway(Id),
    /// A target id the design does not know (kept from an import so the route is not lost).
    Unknown(String),
}

impl RouteTarget {
    /// The id of the target resource (`None` for local).
    pub fn id(&self) -> Option<&str> {
        match self {
            RouteTarget::Local => None,
            RouteTarget::InternetGateway(i)
            | RouteTarget::EgressOnlyInternetGateway(i)
            | RouteTarget::NatGateway(i)
            | RouteTarget::Instance(i)
            | RouteTarget::NetworkInterface(i)
            | RouteTarget::VpcPeering(i)
            | RouteTarget::GatewayEndpoint(i)
            | RouteTarget::TransitGateway(i)
            | RouteTarget::VpnGateway(i)
            | RouteTarget::Unknown(i) => Some(i),
        }
    }

    /// A short word for the target kind.
    pub fn kind(&self) -> &'static str {
        match self {
            RouteTarget::Local => "local",
            RouteTarget::InternetGateway(_) => "igw",
            RouteTarget::EgressOnlyInternetGateway(_) => "eigw",
            RouteTarget::NatGateway(_) => "nat",
            RouteTarget::Instance(_) => "instance",
            RouteTarget::NetworkInterface(_) => "eni",
            RouteTarget::VpcPeering(_) => "pcx",
            RouteTarget::GatewayEndpoint(_) => "vpce",
            RouteTarget::TransitGateway(_) => "tgw",
            RouteTarget::VpnGateway(_) => "vgw",
            RouteTarget::Unknown(_) => "unknown",
        }
    }

    /// Guess the target kind from an AWS id prefix (`igw-`, `nat-`, `pcx-` …).
    pub fn from_id(id: &str) -> RouteTarget {
        let id_s = id.to_string();
        match id.split('-').next().unwrap_or("") {
            "local" => RouteTarget::Local,
            "igw" => RouteTarget::InternetGateway(id_s),
            "eigw" => RouteTarget::EgressOnlyInternetGateway(id_s),
            "nat" => RouteTarget::NatGateway(id_s),
            "i" => RouteTarget::Instance(id_s),
            "eni" => RouteTarget::NetworkInterface(id_s),
            "pcx" => RouteTarget::VpcPeering(id_s),
            "vpce" => RouteTarget::GatewayEndpoint(id_s),
            "tgw" => RouteTarget::TransitGateway(id_s),
            "vgw" => RouteTarget::VpnGateway(id_s),
            _ => RouteTarget::Unknown(id_s),
        }
    }
}

impl fmt::Display for RouteTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id() {
            None => write!(f, "local"),
            Some(id) => write!(f, "{id}"),
        }
    }
}

/// Active or blackhole (R6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum RouteState {
    #[default]
    Active,
    Blackhole,
}

impl RouteState {
    fn is_active(&self) -> bool {
        *self == RouteState::Active
    }
}

/// How the route came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum RouteOrigin {
    /// The automatic local route (R2).
    Local,
    /// Added by a user (CreateRoute).
    #[default]
    Static,
    /// Propagated from a VGW (T6).
    Propagated,
    /// Managed by a gateway endpoint (G2).
    EndpointManaged,
}

impl RouteOrigin {
    fn is_static(&self) -> bool {
        *self == RouteOrigin::Static
    }
}

impl fmt::Display for RouteOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            RouteOrigin::Local => "local",
            RouteOrigin::Static => "static",
            RouteOrigin::Propagated => "propagated",
            RouteOrigin::EndpointManaged => "endpoint-managed",
        };
        f.write_str(s)
    }
}

/// A managed prefix list: an AWS service's (G1) or a customer's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefixList {
    pub id: Id,
    /// For AWS lists, the service name, e.g. `com.amazonaws.ap-northeast-2.s3`.
    pub name: String,
    pub region: String,
    /// Entries of one family (a list is IPv4 or IPv6).
    pub cidrs: Vec<IpNet>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub aws_managed: bool,
}

/// R10: why AWS refuses to associate `t` with an internet or virtual private gateway, or
/// `None` when it may. A gateway route table may only have routes to `local`, a network
/// interface (or the instance that owns it) or a Gateway Load Balancer endpoint
/// (`is_middlebox`), each for the whole VPC CIDR (replacing the local target) or a whole subnet
/// CIDR (`is_subnet_cidr`); no prefix lists and no route propagation.
pub fn edge_table_problem(
    t: &RouteTable,
    vpc_cidrs: &[IpNet],
    is_subnet_cidr: impl Fn(IpNet) -> bool,
    is_middlebox: impl Fn(&RouteTarget) -> bool,
) -> Option<crate::l10n::Text> {
    if let Some(g) = t.propagating_vgws.first() {
        return Some(crate::text!("{} takes routes propagated from {g}", t.id));
    }
    for r in &t.routes {
        let RouteDestination::Cidr(c) = r.destination else {
            return Some(crate::text!("{} has a prefix-list route ({})", t.id, r.destination));
        };
        let whole_vpc = vpc_cidrs.contains(&c);
        let target_ok = match &r.target {
            RouteTarget::Local => whole_vpc,
            t => is_middlebox(t),
        };
        if !target_ok {
            return Some(crate::text!(
                "{} routes {c} to {}: only local, a network interface or a Gateway Load Balancer endpoint may be a target",
                t.id, r.target
            ));
        }
        if !whole_vpc && !is_subnet_cidr(c) {
            return Some(crate::text!("{} routes {c}, which is neither the VPC's CIDR nor a whole subnet's", t.id));
        }
    }
    None
}

impl super::Design {
    /// The ids (`vpce-…`) of every Gateway Load Balancer endpoint and Network Firewall
    /// endpoint (which is one): the inspection endpoints routes may point at (B2, F1).
    pub fn inspection_endpoint_ids(&self) -> std::collections::HashSet<&str> {
        let fw = self.network_firewalls.iter().flat_map(|f| f.endpoints.iter().map(|e| e.id.as_str()));
        let gwlbe =
            self.endpoints.iter().filter(|e| e.kind == super::EndpointKind::GatewayLoadBalancer).map(|e| e.id.as_str());
        fw.chain(gwlbe).collect()
    }

    /// R10: every gateway route table AWS would refuse to associate with its internet or
    /// virtual private gateway: (gateway id, route table index, why). Linear in the design.
    pub fn refused_edge_tables(&self) -> Vec<(&str, usize, crate::l10n::Text)> {
        let mut out = Vec::new();
        if self.route_tables.iter().all(|t| t.gateways.is_empty()) {
            return out;
        }
        let subnet_cidrs: std::collections::HashSet<(&str, IpNet)> = self
            .subnets
            .iter()
            .flat_map(|s| {
                s.cidr.map(IpNet::V4).into_iter().chain(s.ipv6_cidr.map(IpNet::V6)).map(move |c| (s.vpc.as_str(), c))
            })
            .collect();
        let inspection = self.inspection_endpoint_ids();
        let vpcs: std::collections::HashMap<&str, &super::Vpc> = self.vpcs.iter().map(|v| (v.id.as_str(), v)).collect();
        for (i, t) in self.route_tables.iter().enumerate() {
            if t.gateways.is_empty() {
                continue;
            }
            let vpc_cidrs: Vec<IpNet> = vpcs.get(t.vpc.as_str()).map(|v| v.all_cidrs().collect()).unwrap_or_default();
            let is_subnet = |c: IpNet| subnet_cidrs.contains(&(t.vpc.as_str(), c));
            // R10, R2: a network interface, an instance or an inspection endpoint.
            let middlebox = |x: &RouteTarget| match x {
                RouteTarget::NetworkInterface(_) | RouteTarget::Instance(_) => true,
                RouteTarget::GatewayEndpoint(id) => inspection.contains(id.as_str()),
                _ => false,
            };
            if let Some(why) = edge_table_problem(t, &vpc_cidrs, is_subnet, middlebox) {
                for g in &t.gateways {
                    out.push((g.as_str(), i, why.clone()));
                }
            }
        }
        out
    }
}
