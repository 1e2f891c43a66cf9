//! The options of choice fields: VPCs, subnets, zones, route targets, enum values.

use super::Choice;
use crate::model::*;
use std::collections::HashSet;
use std::fmt::Debug;

/// A "none" option, with what it means.
pub fn none(label: &str) -> Choice {
    Choice::new("", label)
}

pub fn vpcs(d: &Design) -> Vec<Choice> {
    d.vpcs.iter().map(|v| Choice::new(&v.id, format!("{} ({}, {})", v.name, v.id, v.cidr))).collect()
}

/// Subnets, of one VPC or of all.
pub fn subnets(d: &Design, vpc: Option<&str>) -> Vec<Choice> {
    d.subnets
        .iter()
        .filter(|s| vpc.is_none_or(|v| s.vpc == v))
        .map(|s| Choice::new(&s.id, format!("{} ({}, {}, {})", s.name, s.id, s.primary_cidr_text(), s.az)))
        .collect()
}

/// The catalog's regions, the design's, and `current`.
pub fn regions(d: &Design, current: &str) -> Vec<Choice> {
    let mut regions: Vec<String> = ServiceCatalog::builtin().regions().map(str::to_string).collect();
    for r in d
        .vpcs
        .iter()
        .map(|v| &v.region)
        .chain(std::iter::once(&d.default_region))
        .chain(std::iter::once(&current.to_string()))
    {
        if !r.is_empty() && !regions.contains(r) {
            regions.push(r.clone());
        }
    }
    regions.into_iter().map(|r| Choice::new(&r, &r)).collect()
}

pub fn azs(d: &Design, region: &str) -> Vec<Choice> {
    d.azs(region).into_iter().map(|a| Choice::new(&a, &a)).collect()
}

/// Enum values by their Rust names.
pub fn enums<T: Debug + Copy>(all: &[T]) -> Vec<Choice> {
    all.iter().map(|x| Choice::new(format!("{x:?}"), format!("{x:?}"))).collect()
}

/// The enum value a choice names (the first one for anything else).
pub fn pick<T: Debug + Copy>(all: &[T], value: &str) -> T {
    all.iter().copied().find(|x| format!("{x:?}") == value).unwrap_or(all[0])
}

/// An enum value's name, as [`enums`] offers it.
pub fn name_of<T: Debug>(x: T) -> String {
    format!("{x:?}")
}

pub const INSTANCE_STATES: [InstanceState; 6] = [
    InstanceState::Running,
    InstanceState::Pending,
    InstanceState::Stopping,
    InstanceState::Stopped,
    InstanceState::ShuttingDown,
    InstanceState::Terminated,
];
pub const NAT_STATES: [NatState; 5] =
    [NatState::Available, NatState::Pending, NatState::Failed, NatState::Deleting, NatState::Deleted];
pub const NAT_KINDS: [NatConnectivity; 2] = [NatConnectivity::Public, NatConnectivity::Private];
pub const PEERING_STATES: [PeeringStatus; 9] = [
    PeeringStatus::Active,
    PeeringStatus::PendingAcceptance,
    PeeringStatus::InitiatingRequest,
    PeeringStatus::Provisioning,
    PeeringStatus::Expired,
    PeeringStatus::Failed,
    PeeringStatus::Rejected,
    PeeringStatus::Deleting,
    PeeringStatus::Deleted,
];
pub const ENDPOINT_KINDS: [EndpointKind; 3] =
    [EndpointKind::Gateway, EndpointKind::Interface, EndpointKind::GatewayLoadBalancer];
pub const ENDPOINT_STATES: [EndpointState; 8] = [
    EndpointState::Available,
    EndpointState::PendingAcceptance,
    EndpointState::Pending,
    EndpointState::Rejected,
    EndpointState::Expired,
    EndpointState::Failed,
    EndpointState::Deleting,
    EndpointState::Deleted,
];
pub const LB_KINDS: [LoadBalancerKind; 3] =
    [LoadBalancerKind::Network, LoadBalancerKind::Application, LoadBalancerKind::Gateway];
pub const LB_SCHEMES: [LoadBalancerScheme; 2] = [LoadBalancerScheme::Internal, LoadBalancerScheme::InternetFacing];
pub const ATTACH_STATES: [AttachmentState; 5] = [
    AttachmentState::Available,
    AttachmentState::PendingAcceptance,
    AttachmentState::Pending,
    AttachmentState::Failed,
    AttachmentState::Deleted,
];
pub const VPN_STATES: [VpnState; 4] = [VpnState::Available, VpnState::Pending, VpnState::Deleting, VpnState::Deleted];
pub const ACTIONS: [RuleAction; 2] = [RuleAction::Allow, RuleAction::Deny];

pub fn directions() -> Vec<Choice> {
    vec![Choice::new("in", "inbound"), Choice::new("out", "outbound")]
}

/// A VPC's non-main route tables, after "the main table".
pub fn route_tables(d: &Design, vpc: &str) -> Vec<Choice> {
    let mut v = vec![none("(the main table)")];
    v.extend(
        d.route_tables
            .iter()
            .filter(|r| r.vpc == vpc && !r.main)
            .map(|r| Choice::new(&r.id, format!("{} ({})", r.name, r.id))),
    );
    v
}

/// A transit gateway's route tables, after "(none)".
pub fn tgw_route_tables(d: &Design, tgw: &str) -> Vec<Choice> {
    let mut v = vec![none("(none)")];
    v.extend(
        d.tgw_route_tables
            .iter()
            .filter(|r| r.tgw == tgw)
            .map(|r| Choice::new(&r.id, format!("{} ({})", r.name, r.id))),
    );
    v
}

/// The gateways a table of `vpc` can have an edge association with: the internet gateway and
/// the virtual private gateway attached to the VPC (R10).
pub fn edge_gateways(d: &Design, vpc: &str) -> Vec<Choice> {
    let igws = d.internet_gateways.iter().filter(|g| g.vpc.as_deref() == Some(vpc));
    let mut v: Vec<Choice> =
        igws.map(|g| Choice::new(&g.id, format!("internet gateway {} ({})", g.name, g.id))).collect();
    v.extend(vpn_gateways(d, vpc));
    v
}

/// The virtual private gateways attached to `vpc`: the only ones whose routes can propagate
/// into its tables (T6).
pub fn vpn_gateways(d: &Design, vpc: &str) -> Vec<Choice> {
    d.vpn_gateways
        .iter()
        .filter(|g| g.vpc.as_deref() == Some(vpc))
        .map(|g| Choice::new(&g.id, format!("virtual private gateway {} ({})", g.name, g.id)))
        .collect()
}

/// The attachments of a transit gateway: what can propagate into its route tables (T3).
pub fn tgw_attachments(d: &Design, tgw: &str) -> Vec<Choice> {
    d.tgw_attachments
        .iter()
        .filter(|a| a.tgw == tgw)
        .map(|a| Choice::new(&a.id, format!("{} ({})", a.name, a.id)))
        .collect()
}

/// The load balancers an endpoint service in `region` can front: network and gateway load
/// balancers of that region's VPCs (E9; an application load balancer cannot).
pub fn service_load_balancers(d: &Design, region: &str) -> Vec<Choice> {
    let in_region = |vpc: &str| d.vpc(vpc).is_some_and(|v| v.region == region);
    d.load_balancers
        .iter()
        .filter(|l| matches!(l.kind, LoadBalancerKind::Network | LoadBalancerKind::Gateway) && in_region(&l.vpc))
        .map(|l| {
            let kind = if l.kind == LoadBalancerKind::Network { "NLB" } else { "GWLB" };
            Choice::new(&l.id, format!("{kind} {} ({})", l.name, l.id))
        })
        .collect()
}

/// Every place a route can point at from a table of `vpc` (R5), as `kind:id`.
pub fn route_targets(d: &Design, vpc: &str) -> Vec<Choice> {
    let mut v = Vec::new();
    let subnets: HashSet<&str> = d.vpc_subnets(vpc).map(|s| s.id.as_str()).collect();
    let region = d.vpc(vpc).map(|v| v.region.clone()).unwrap_or_default();
    for g in d.internet_gateways.iter().filter(|g| g.vpc.as_deref() == Some(vpc)) {
        v.push(Choice::new(format!("igw:{}", g.id), format!("internet gateway {} ({})", g.name, g.id)));
    }
    let ours = |n: &NatGateway| match &n.subnet {
        Some(s) => subnets.contains(s.as_str()),
        None => n.vpc.as_deref() == Some(vpc),
    };
    for n in d.nat_gateways.iter().filter(|n| ours(n)) {
        v.push(Choice::new(format!("nat:{}", n.id), format!("NAT gateway {} ({})", n.name, n.id)));
    }
    for p in d.peerings.iter().filter(|p| p.other_side(vpc).is_some()) {
        v.push(Choice::new(format!("pcx:{}", p.id), format!("peering {} ({})", p.name, p.id)));
    }
    // A transit gateway this VPC is attached to (R5).
    let attached = |tgw: &str| {
        d.tgw_attachments
            .iter()
            .any(|a| a.tgw == tgw && matches!(&a.kind, TgwAttachmentKind::Vpc { vpc: v, .. } if v == vpc))
    };
    for t in d.transit_gateways.iter().filter(|t| t.region == region && attached(&t.id)) {
        v.push(Choice::new(format!("tgw:{}", t.id), format!("transit gateway {} ({})", t.name, t.id)));
    }
    for g in d.vpn_gateways.iter().filter(|g| g.vpc.as_deref() == Some(vpc)) {
        v.push(Choice::new(format!("vgw:{}", g.id), format!("virtual private gateway {} ({})", g.name, g.id)));
    }
    for g in d.egress_only_internet_gateways.iter().filter(|g| g.vpc == vpc) {
        v.push(Choice::new(format!("eigw:{}", g.id), format!("egress-only IGW {} ({})", g.name, g.id)));
    }
    // Gateway Load Balancer endpoints of this VPC are route targets (B2); a gateway endpoint's
    // routes are AWS's own (G2).
    for e in d.endpoints.iter().filter(|e| e.vpc == vpc && e.kind == EndpointKind::GatewayLoadBalancer) {
        v.push(Choice::new(format!("vpce:{}", e.id), format!("GWLB endpoint {} ({})", e.name, e.id)));
    }
    // A firewall's endpoints, one per AZ, are route targets of its VPC (F1); the label says
    // the zone, as a route usually goes to the endpoint of its own subnets' zone.
    for f in d.network_firewalls.iter().filter(|f| f.vpc == vpc) {
        for e in &f.endpoints {
            let az = d.subnet(&e.subnet).map_or("?", |s| s.az.as_str());
            v.push(Choice::new(format!("vpce:{}", e.id), format!("firewall {} endpoint {az} ({})", f.name, e.id)));
        }
    }
    for e in d.network_interfaces.iter().filter(|e| subnets.contains(e.subnet.as_str())) {
        v.push(Choice::new(format!("eni:{}", e.id), format!("interface {} ({})", e.name, e.id)));
    }
    let inst: HashSet<&str> = d
        .network_interfaces
        .iter()
        .filter(|e| subnets.contains(e.subnet.as_str()))
        .filter_map(|e| e.instance.as_deref())
        .collect();
    for i in d.instances.iter().filter(|i| inst.contains(i.id.as_str())) {
        v.push(Choice::new(format!("i:{}", i.id), format!("instance {} ({})", i.name, i.id)));
    }
    v
}

/// A route target as a choice value, `kind:id`.
pub fn target_value(t: &RouteTarget) -> String {
    match t {
        RouteTarget::Local => "local:".into(),
        RouteTarget::InternetGateway(i) => format!("igw:{i}"),
        RouteTarget::EgressOnlyInternetGateway(i) => format!("eigw:{i}"),
        RouteTarget::NatGateway(i) => format!("nat:{i}"),
        RouteTarget::Instance(i) => format!("i:{i}"),
        RouteTarget::NetworkInterface(i) => format!("eni:{i}"),
        RouteTarget::VpcPeering(i) => format!("pcx:{i}"),
        RouteTarget::GatewayEndpoint(i) => format!("vpce:{i}"),
        RouteTarget::TransitGateway(i) => format!("tgw:{i}"),
        RouteTarget::VpnGateway(i) => format!("vgw:{i}"),
        RouteTarget::Unknown(i) => format!("unknown:{i}"),
    }
}

/// The id a `kind:id` target value names (`None` for local or nothing chosen).
pub fn target_id(value: &str) -> Option<&str> {
    value.split_once(':').map(|(_, id)| id).filter(|id| !id.is_empty())
}

/// A VPC's security groups (S5: an interface's groups are its VPC's).
pub fn security_groups(d: &Design, vpc: &str) -> Vec<Choice> {
    d.security_groups
        .iter()
        .filter(|g| g.vpc == vpc)
        .map(|g| Choice::new(&g.id, format!("{} ({})", g.name, g.id)))
        .collect()
}

/// Every route table of a VPC, the main one marked.
pub fn all_route_tables(d: &Design, vpc: &str) -> Vec<Choice> {
    d.route_tables
        .iter()
        .filter(|r| r.vpc == vpc)
        .map(|r| Choice::new(&r.id, format!("{} ({}{})", r.name, r.id, if r.main { ", main" } else { "" })))
        .collect()
}

/// The VPC of a subnet ("" when there is none).
pub fn vpc_of_subnet(d: &Design, subnet: &str) -> String {
    d.subnet(subnet).map(|s| s.vpc.clone()).unwrap_or_default()
}

/// The VPC whose security groups an interface in `subnet` may carry (S5); before a subnet is
/// chosen, the VPC the user is in, else the first subnet's.
pub fn groups_vpc(d: &Design, subnet: &str, here: Option<&str>) -> String {
    Some(vpc_of_subnet(d, subnet))
        .filter(|v| !v.is_empty())
        .or_else(|| here.map(str::to_string))
        .or_else(|| d.subnets.first().map(|s| s.vpc.clone()))
        .unwrap_or_default()
}

/// An interface's subnet field changed: offer the new subnet's VPC's security groups (S5).
pub fn subnet_changed_groups(form: &mut super::Form, d: &Design) {
    let vpc = vpc_of_subnet(d, form.get("subnet"));
    refresh_multi(form, "security_groups", security_groups(d, &vpc));
}

/// Give a multi picker new options (its VPC changed), keeping what is ticked.
pub fn refresh_multi(form: &mut super::Form, key: &str, options: Vec<Choice>) {
    if let Some(f) = form.field_mut(key) {
        f.kind = super::FieldKind::Multi(options);
        f.pick = 0;
    }
}
