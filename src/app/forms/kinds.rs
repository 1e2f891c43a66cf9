//! The form of every resource kind: which fields, which checks (naming the AWS rule), and how a
//! valid form changes the design.
//!
//! Lists (subnets of a route table, security groups of an interface …) are comma-separated
//! text; each item may be an id or a name. Checks run on every keystroke and read only the
//! lists they need, so they stay quick on large designs.

use super::{Choice, Context, Field, Form, FormKind, FormTarget};
use crate::app::tree::NodeRef;
use crate::model::*;
use ipnet::Ipv4Net;
use std::collections::HashSet;
use std::fmt::Debug;
use std::net::Ipv4Addr;

type Errors = Vec<(&'static str, String)>;
use ResourceKind as RK;

// ---------------------------------------------------------------------------------------------
// Parsing helpers: each error says what was expected.

/// Parse an IPv4 CIDR, canonicalising the host bits away (A1).
pub fn parse_cidr(s: &str) -> Result<Ipv4Net, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("required: a CIDR such as 10.0.0.0/16".into());
    }
    if !t.contains('/') {
        return Err(format!("'{t}' has no prefix length: write it as a.b.c.d/n"));
    }
    t.parse::<Ipv4Net>().map(|n| n.trunc()).map_err(|_| format!("'{t}' is not an IPv4 CIDR: write it as a.b.c.d/n"))
}

pub fn parse_ip(s: &str) -> Result<Ipv4Addr, String> {
    let t = s.trim();
    t.parse::<Ipv4Addr>().map_err(|_| format!("'{t}' is not an IPv4 address (a.b.c.d)"))
}

fn parse_num<T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy>(
    s: &str,
    lo: T,
    hi: T,
    what: &str,
) -> Result<T, String> {
    let t = s.trim();
    match t.parse::<T>() {
        Ok(n) if n >= lo && n <= hi => Ok(n),
        _ => Err(format!("{what} must be a number from {lo} to {hi}")),
    }
}

/// The items of a comma-separated list.
pub fn list(s: &str) -> Vec<String> {
    s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
}

fn overlaps(a: Ipv4Net, b: Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

fn net(s: &str) -> Ipv4Net {
    s.parse().unwrap_or_default()
}

/// Ports as rules write them: `all`, `22`, `1024-65535`; for ICMP `all` or `type[:code]`.
pub fn parse_ports(protocol: Protocol, s: &str) -> Result<PortSpec, String> {
    let t = s.trim().to_ascii_lowercase();
    if t.is_empty() || t == "all" || t == "any" || t == "*" {
        return Ok(match protocol {
            Protocol::Icmp => PortSpec::Icmp { icmp_type: None, code: None },
            _ => PortSpec::All,
        });
    }
    match protocol {
        Protocol::All => Err("protocol 'all' covers every port: leave ports as 'all'".into()),
        Protocol::Icmp => {
            let (ty, code) = t.split_once(':').map_or((t.as_str(), None), |(a, b)| (a, Some(b)));
            let ty = parse_num::<u8>(ty, 0, 255, "ICMP type")?;
            let code = code.map(|c| parse_num::<u8>(c, 0, 255, "ICMP code")).transpose()?;
            Ok(PortSpec::Icmp { icmp_type: Some(ty), code })
        }
        Protocol::Tcp | Protocol::Udp => {
            let (a, b) = t.split_once('-').unwrap_or((t.as_str(), t.as_str()));
            let from = parse_num::<u16>(a, 0, 65535, "a port")?;
            let to = parse_num::<u16>(b, 0, 65535, "a port")?;
            if from > to {
                return Err(format!("the range {from}-{to} runs backwards"));
            }
            Ok(PortSpec::Range { from, to })
        }
        Protocol::Number(_) => Err("only tcp and udp have ports: leave ports as 'all'".into()),
    }
}

fn ports_text(p: &PortSpec) -> String {
    match p {
        PortSpec::All | PortSpec::Icmp { icmp_type: None, .. } => "all".into(),
        PortSpec::Range { from, to } if from == to => from.to_string(),
        PortSpec::Range { from, to } => format!("{from}-{to}"),
        PortSpec::Icmp { icmp_type: Some(t), code: None } => t.to_string(),
        PortSpec::Icmp { icmp_type: Some(t), code: Some(c) } => format!("{t}:{c}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Lookups by kind without walking the whole design.

/// (id, name, scope) of every resource of a kind. The scope is the VPC for kinds whose names
/// need only be unique within their VPC (two VPCs may each have a subnet called `public-a`).
fn names(d: &Design, kind: ResourceKind) -> Vec<(&str, &str, Option<&str>)> {
    fn nm<'a, T>(
        l: &'a [T],
        f: impl Fn(&'a T) -> (&'a str, &'a str, Option<&'a str>),
    ) -> Vec<(&'a str, &'a str, Option<&'a str>)> {
        l.iter().map(f).collect()
    }
    match kind {
        RK::Vpc => nm(&d.vpcs, |x| (&x.id, &x.name, None)),
        RK::Subnet => nm(&d.subnets, |x| (&x.id, &x.name, Some(x.vpc.as_str()))),
        RK::RouteTable => nm(&d.route_tables, |x| (&x.id, &x.name, Some(x.vpc.as_str()))),
        RK::InternetGateway => nm(&d.internet_gateways, |x| (&x.id, &x.name, x.vpc.as_deref())),
        RK::EgressOnlyInternetGateway => {
            nm(&d.egress_only_internet_gateways, |x| (&x.id, &x.name, Some(x.vpc.as_str())))
        }
        RK::NatGateway => nm(&d.nat_gateways, |x| (&x.id, &x.name, Some(x.subnet.as_str()))),
        RK::ElasticIp => nm(&d.elastic_ips, |x| (&x.id, &x.name, None)),
        RK::Instance => nm(&d.instances, |x| (&x.id, &x.name, None)),
        RK::NetworkInterface => nm(&d.network_interfaces, |x| (&x.id, &x.name, Some(x.subnet.as_str()))),
        RK::SecurityGroup => nm(&d.security_groups, |x| (&x.id, &x.name, Some(x.vpc.as_str()))),
        RK::NetworkAcl => nm(&d.network_acls, |x| (&x.id, &x.name, Some(x.vpc.as_str()))),
        RK::VpcPeering => nm(&d.peerings, |x| (&x.id, &x.name, None)),
        RK::PrefixList => nm(&d.prefix_lists, |x| (&x.id, &x.name, None)),
        RK::VpcEndpoint => nm(&d.endpoints, |x| (&x.id, &x.name, Some(x.vpc.as_str()))),
        RK::EndpointService => nm(&d.endpoint_services, |x| (&x.id, &x.name, None)),
        RK::LoadBalancer => nm(&d.load_balancers, |x| (&x.id, &x.name, Some(x.vpc.as_str()))),
        RK::TargetGroup => nm(&d.target_groups, |x| (&x.id, &x.name, Some(x.vpc.as_str()))),
        RK::TransitGateway => nm(&d.transit_gateways, |x| (&x.id, &x.name, None)),
        RK::TgwAttachment => nm(&d.tgw_attachments, |x| (&x.id, &x.name, Some(x.tgw.as_str()))),
        RK::TgwRouteTable => nm(&d.tgw_route_tables, |x| (&x.id, &x.name, Some(x.tgw.as_str()))),
        RK::VpnGateway => nm(&d.vpn_gateways, |x| (&x.id, &x.name, None)),
        RK::CustomerGateway => nm(&d.customer_gateways, |x| (&x.id, &x.name, None)),
        RK::VpnConnection => nm(&d.vpn_connections, |x| (&x.id, &x.name, None)),
    }
}

/// Resolve one list item (an id or a name) to an id of one of the kinds.
fn resolve(d: &Design, token: &str, kinds: &[ResourceKind]) -> Result<(ResourceKind, Id), String> {
    let mut by_name = Vec::new();
    for &k in kinds {
        for (id, name, _) in names(d, k) {
            if id == token {
                return Ok((k, id.to_string()));
            }
            if name == token || name.eq_ignore_ascii_case(token) {
                by_name.push((k, id.to_string()));
            }
        }
    }
    match by_name.len() {
        1 => Ok(by_name.remove(0)),
        0 => {
            let what: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
            Err(format!("'{token}' is not a {} in this design", what.join(" or ")))
        }
        _ => {
            let ids: Vec<String> = by_name.into_iter().map(|(_, i)| i).collect();
            Err(format!("'{token}' names {} resources ({}); use an id", ids.len(), ids.join(", ")))
        }
    }
}

/// Resolve a comma-separated list of ids or names.
fn resolve_list(d: &Design, text: &str, kinds: &[ResourceKind]) -> Result<Vec<Id>, String> {
    let mut out = Vec::new();
    for t in list(text) {
        let (_, id) = resolve(d, &t, kinds)?;
        if out.contains(&id) {
            return Err(format!("'{t}' is listed twice"));
        }
        out.push(id);
    }
    Ok(out)
}

fn check_name(
    errs: &mut Errors,
    d: &Design,
    kind: ResourceKind,
    name: &str,
    scope: Option<&str>,
    editing: Option<&str>,
) {
    let name = name.trim();
    if name.is_empty() {
        errs.push(("name", "required: give it a name".into()));
        return;
    }
    if name.chars().count() > 255 {
        errs.push(("name", "names are at most 255 characters (an AWS tag value)".into()));
        return;
    }
    let all = names(d, kind);
    // Editing without renaming never trips over duplicates an import brought in.
    if let Some(e) = editing {
        if all.iter().any(|(id, n, _)| *id == e && *n == name) {
            return;
        }
    }
    if let Some((id, _, _)) =
        all.iter().find(|(id, n, s)| *n == name && Some(*id) != editing && (scope.is_none() || *s == scope))
    {
        let place = scope.map(|s| format!(" in {s}")).unwrap_or_default();
        errs.push((
            "name",
            format!("a {} named '{name}' already exists{place} ({id}); names are unique within a kind", kind.label()),
        ));
    }
}

/// Addresses in use in a subnet, except those of `except` (the resource being edited).
pub fn used_ips(d: &Design, subnet: &str, except: Option<&str>) -> Vec<(Ipv4Addr, String)> {
    let mut v = Vec::new();
    for e in d.network_interfaces.iter().filter(|e| e.subnet == subnet && Some(e.id.as_str()) != except) {
        if e.instance.as_deref().is_some_and(|i| Some(i) == except) {
            continue;
        }
        v.extend(e.private_ips.iter().map(|a| (*a, e.id.clone())));
    }
    for n in d.nat_gateways.iter().filter(|n| n.subnet == subnet && Some(n.id.as_str()) != except) {
        v.push((n.private_ip, n.id.clone()));
    }
    for ep in d.endpoints.iter().filter(|x| Some(x.id.as_str()) != except) {
        v.extend(ep.interfaces.iter().filter(|i| i.subnet == subnet).map(|i| (i.ip, ep.id.clone())));
    }
    for lb in d.load_balancers.iter().filter(|x| Some(x.id.as_str()) != except) {
        v.extend(lb.nodes.iter().filter(|n| n.subnet == subnet).map(|n| (n.private_ip, lb.id.clone())));
    }
    v
}

/// Whether an address is one of the five AWS keeps in every subnet (A6).
fn reserved(cidr: Ipv4Net, ip: Ipv4Addr) -> bool {
    let base = u32::from(cidr.network());
    let off = u32::from(ip).wrapping_sub(base);
    off < 4 || ip == cidr.broadcast()
}

/// Check an address for a new interface in a subnet.
fn check_ip(d: &Design, subnet: &Subnet, ip: Ipv4Addr, except: Option<&str>, taken: &[Ipv4Addr]) -> Result<(), String> {
    let Some(cidr) = subnet.cidr.filter(|c| c.contains(&ip)) else {
        return Err(format!("{ip} is not inside {} ({})", subnet.name, subnet.primary_cidr_text()));
    };
    if reserved(cidr, ip) {
        return Err(format!("{ip} is reserved: AWS keeps the first four and the last address of {cidr} (A6)"));
    }
    if taken.contains(&ip) {
        return Err(format!("{ip} is listed twice"));
    }
    if let Some((_, by)) = used_ips(d, &subnet.id, except).into_iter().find(|(a, _)| *a == ip) {
        return Err(format!("{ip} is already used by {by}"));
    }
    Ok(())
}

/// The first free address of a subnet after the reserved ones (A6).
pub fn first_free_ip(d: &Design, subnet: &Subnet, also_taken: &[Ipv4Addr]) -> Option<Ipv4Addr> {
    let used: HashSet<Ipv4Addr> =
        used_ips(d, &subnet.id, None).into_iter().map(|(a, _)| a).chain(also_taken.iter().copied()).collect();
    let cidr = subnet.cidr?;
    let base = u32::from(cidr.network());
    let last = u32::from(cidr.broadcast());
    (base.saturating_add(4)..last).map(Ipv4Addr::from).find(|a| !used.contains(a))
}

/// A made-up public address for a new Elastic IP, from the documentation ranges.
fn placeholder_public_ip(d: &Design) -> Ipv4Addr {
    let used: HashSet<Ipv4Addr> = d.elastic_ips.iter().map(|e| e.public_ip).collect();
    ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24"]
        .iter()
        .flat_map(|n| net(n).hosts())
        .find(|a| !used.contains(a))
        .unwrap_or(Ipv4Addr::new(203, 0, 113, 1))
}

/// The first free subnet of a VPC: /24s for a large VPC, the VPC's own size for a small one.
pub fn suggest_subnet(d: &Design, vpc: &Vpc) -> Option<Ipv4Net> {
    let subs: Vec<Ipv4Net> = d.vpc_subnets(&vpc.id).filter_map(|s| s.cidr).collect();
    for c in vpc.cidrs() {
        let len = c.prefix_len().clamp(24, 28);
        if let Ok(cands) = c.subnets(len) {
            if let Some(free) = cands.take(4096).find(|cand| !subs.iter().any(|s| overlaps(*s, *cand))) {
                return Some(free);
            }
        }
    }
    None
}

/// A /16 no VPC of the design uses yet.
fn suggest_vpc_cidr(d: &Design) -> String {
    (0..=255u8)
        .map(|n| Ipv4Net::new(Ipv4Addr::new(10, n, 0, 0), 16).unwrap_or_default())
        .find(|c| !d.vpcs.iter().any(|v| v.cidrs().any(|x| overlaps(x, *c))))
        .map_or_else(|| "10.0.0.0/16".to_string(), |c| c.to_string())
}

// ---------------------------------------------------------------------------------------------
// Choices.

fn opt_none(label: &str) -> Choice {
    Choice::new("", label)
}

fn vpc_choices(d: &Design) -> Vec<Choice> {
    d.vpcs.iter().map(|v| Choice::new(&v.id, format!("{} ({}, {})", v.name, v.id, v.cidr))).collect()
}

fn subnet_choices(d: &Design, vpc: Option<&str>) -> Vec<Choice> {
    d.subnets
        .iter()
        .filter(|s| vpc.is_none_or(|v| s.vpc == v))
        .map(|s| Choice::new(&s.id, format!("{} ({}, {}, {})", s.name, s.id, s.primary_cidr_text(), s.az)))
        .collect()
}

fn region_choices(d: &Design, current: &str) -> Vec<Choice> {
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

fn az_choices(d: &Design, region: &str) -> Vec<Choice> {
    d.azs(region).into_iter().map(|a| Choice::new(&a, &a)).collect()
}

fn enum_choices<T: Debug + Copy>(all: &[T]) -> Vec<Choice> {
    all.iter().map(|x| Choice::new(format!("{x:?}"), format!("{x:?}"))).collect()
}

fn enum_pick<T: Debug + Copy>(all: &[T], value: &str) -> T {
    all.iter().copied().find(|x| format!("{x:?}") == value).unwrap_or(all[0])
}

fn enum_name<T: Debug>(x: T) -> String {
    format!("{x:?}")
}

const INSTANCE_STATES: [InstanceState; 6] = [
    InstanceState::Running,
    InstanceState::Pending,
    InstanceState::Stopping,
    InstanceState::Stopped,
    InstanceState::ShuttingDown,
    InstanceState::Terminated,
];
const NAT_STATES: [NatState; 5] =
    [NatState::Available, NatState::Pending, NatState::Failed, NatState::Deleting, NatState::Deleted];
const NAT_KINDS: [NatConnectivity; 2] = [NatConnectivity::Public, NatConnectivity::Private];
const PEERING_STATES: [PeeringStatus; 9] = [
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
const ENDPOINT_KINDS: [EndpointKind; 3] =
    [EndpointKind::Gateway, EndpointKind::Interface, EndpointKind::GatewayLoadBalancer];
const ENDPOINT_STATES: [EndpointState; 8] = [
    EndpointState::Available,
    EndpointState::PendingAcceptance,
    EndpointState::Pending,
    EndpointState::Rejected,
    EndpointState::Expired,
    EndpointState::Failed,
    EndpointState::Deleting,
    EndpointState::Deleted,
];
const LB_KINDS: [LoadBalancerKind; 3] =
    [LoadBalancerKind::Network, LoadBalancerKind::Application, LoadBalancerKind::Gateway];
const LB_SCHEMES: [LoadBalancerScheme; 2] = [LoadBalancerScheme::Internal, LoadBalancerScheme::InternetFacing];
const ATTACH_STATES: [AttachmentState; 5] = [
    AttachmentState::Available,
    AttachmentState::PendingAcceptance,
    AttachmentState::Pending,
    AttachmentState::Failed,
    AttachmentState::Deleted,
];
const VPN_STATES: [VpnState; 4] = [VpnState::Available, VpnState::Pending, VpnState::Deleting, VpnState::Deleted];
const ACTIONS: [RuleAction; 2] = [RuleAction::Allow, RuleAction::Deny];

fn direction_choices() -> Vec<Choice> {
    vec![Choice::new("in", "inbound"), Choice::new("out", "outbound")]
}

/// Every place a route can point at from a table of `vpc` (R5), as `kind:id`.
fn route_target_choices(d: &Design, vpc: &str) -> Vec<Choice> {
    let mut v = Vec::new();
    let subnets: HashSet<&str> = d.vpc_subnets(vpc).map(|s| s.id.as_str()).collect();
    let region = d.vpc(vpc).map(|v| v.region.clone()).unwrap_or_default();
    for g in d.internet_gateways.iter().filter(|g| g.vpc.as_deref() == Some(vpc)) {
        v.push(Choice::new(format!("igw:{}", g.id), format!("internet gateway {} ({})", g.name, g.id)));
    }
    for n in d.nat_gateways.iter().filter(|n| subnets.contains(n.subnet.as_str())) {
        v.push(Choice::new(format!("nat:{}", n.id), format!("NAT gateway {} ({})", n.name, n.id)));
    }
    for p in d.peerings.iter().filter(|p| p.other_side(vpc).is_some()) {
        v.push(Choice::new(format!("pcx:{}", p.id), format!("peering {} ({})", p.name, p.id)));
    }
    for t in d.transit_gateways.iter().filter(|t| t.region == region) {
        v.push(Choice::new(format!("tgw:{}", t.id), format!("transit gateway {} ({})", t.name, t.id)));
    }
    for g in d.vpn_gateways.iter().filter(|g| g.vpc.as_deref() == Some(vpc)) {
        v.push(Choice::new(format!("vgw:{}", g.id), format!("virtual private gateway {} ({})", g.name, g.id)));
    }
    for g in d.egress_only_internet_gateways.iter().filter(|g| g.vpc == vpc) {
        v.push(Choice::new(format!("eigw:{}", g.id), format!("egress-only IGW {} ({})", g.name, g.id)));
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

fn target_value(t: &RouteTarget) -> String {
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

fn parse_target(v: &str) -> Option<RouteTarget> {
    let (k, id) = v.split_once(':')?;
    let id = id.to_string();
    Some(match k {
        "local" => RouteTarget::Local,
        "igw" => RouteTarget::InternetGateway(id),
        "eigw" => RouteTarget::EgressOnlyInternetGateway(id),
        "nat" => RouteTarget::NatGateway(id),
        "i" => RouteTarget::Instance(id),
        "eni" => RouteTarget::NetworkInterface(id),
        "pcx" => RouteTarget::VpcPeering(id),
        "vpce" => RouteTarget::GatewayEndpoint(id),
        "tgw" => RouteTarget::TransitGateway(id),
        "vgw" => RouteTarget::VpnGateway(id),
        "unknown" => RouteTarget::Unknown(id),
        _ => return None,
    })
}

fn ids_text<'a>(ids: impl IntoIterator<Item = &'a Id>) -> String {
    ids.into_iter().map(String::as_str).collect::<Vec<_>>().join(", ")
}

// ---------------------------------------------------------------------------------------------
// Building forms.

/// The form that adds a `kind` where the user is.
pub fn new_form(kind: FormKind, d: &Design, ctx: &Context) -> Result<Form, String> {
    let (fields, target) = match &kind {
        FormKind::Resource(k) => (resource_fields(*k, d, ctx, None), FormTarget::New),
        FormKind::Route => {
            let rt = ctx.route_table.as_deref().and_then(|r| d.route_table(r)).ok_or("select a route table first")?;
            (route_fields(d, rt, None), FormTarget::NewIn(rt.id.clone()))
        }
        FormKind::SgRule => {
            let sg = ctx
                .security_group
                .as_deref()
                .and_then(|g| d.security_group(g))
                .ok_or("select a security group first")?;
            (sg_rule_fields(ctx.egress, None), FormTarget::NewIn(sg.id.clone()))
        }
        FormKind::NaclEntry => {
            let acl = ctx.network_acl.as_deref().and_then(|a| d.network_acl(a)).ok_or("select a network ACL first")?;
            (nacl_entry_fields(acl, ctx.egress, None), FormTarget::NewIn(acl.id.clone()))
        }
        FormKind::SaveAs | FormKind::Trace | FormKind::Planner(_) | FormKind::Routes(_) => {
            (Vec::new(), FormTarget::New)
        }
    };
    let title = format!("New {}", kind.label());
    let mut form = Form::new(kind, target, title, fields);
    form.validate(d);
    Ok(form)
}

/// The form that edits what a tree node stands for.
pub fn edit_form(node: &NodeRef, d: &Design) -> Result<Form, String> {
    let ctx = Context { region: d.default_region.clone(), ..Context::default() };
    let (kind, target, fields, title) = match node {
        NodeRef::Resource { kind, id } => {
            let r = d.find(id).ok_or_else(|| format!("{id} is no longer in the design"))?;
            let _ = r;
            let fields = resource_fields(*kind, d, &ctx, Some(id));
            let title = format!("Edit {} {}", kind.label(), d.find(id).map(|r| r.display_name()).unwrap_or_default());
            (FormKind::Resource(*kind), FormTarget::Edit(id.clone()), fields, title)
        }
        NodeRef::Route { rtb, index } => {
            let rt = d.route_table(rtb).ok_or("the route table is gone")?;
            let r = rt.routes.get(*index).ok_or("the route is gone")?;
            if r.is_local() {
                return Err("the local route is automatic: it cannot be edited (R2)".into());
            }
            if r.origin == RouteOrigin::EndpointManaged {
                return Err("this route belongs to a gateway endpoint: change the endpoint's route tables (G2)".into());
            }
            if r.origin == RouteOrigin::Propagated {
                return Err("propagated routes follow their VPN connection (T6)".into());
            }
            let target = FormTarget::EditSub { parent: rtb.clone(), index: *index, egress: false };
            (FormKind::Route, target, route_fields(d, rt, Some(r)), format!("Edit route in {}", rt.name))
        }
        NodeRef::SgRule { sg, egress, index } => {
            let g = d.security_group(sg).ok_or("the security group is gone")?;
            let rules = if *egress { &g.egress } else { &g.ingress };
            let r = rules.get(*index).ok_or("the rule is gone")?;
            let target = FormTarget::EditSub { parent: sg.clone(), index: *index, egress: *egress };
            (FormKind::SgRule, target, sg_rule_fields(*egress, Some(r)), format!("Edit rule of {}", g.name))
        }
        NodeRef::NaclEntry { acl, index } => {
            let a = d.network_acl(acl).ok_or("the network ACL is gone")?;
            let e = a.entries.get(*index).ok_or("the entry is gone")?;
            let target = FormTarget::EditSub { parent: acl.clone(), index: *index, egress: e.egress };
            (FormKind::NaclEntry, target, nacl_entry_fields(a, e.egress, Some(e)), format!("Edit entry of {}", a.name))
        }
        _ => return Err("select a resource, a route, a rule or an entry to edit".into()),
    };
    let mut form = Form::new(kind, target, title, fields);
    form.validate(d);
    Ok(form)
}

/// The trace form: from the selection (or the first instance) to the internet over HTTPS.
pub fn trace_form(d: &Design, from: &str) -> Form {
    let fields = vec![
        Field::text("from", "From", from, "an instance, interface, NAT gateway, address, or internet"),
        Field::text("to", "To", "internet", "a resource, an address, a DNS name, or internet"),
        Field::text("protocol", "Protocol", "tcp", "tcp, udp, icmp or a number"),
        Field::text("port", "Port", "443", "the destination port; empty for ICMP"),
    ];
    let mut f = Form::new(FormKind::Trace, FormTarget::New, "Trace a packet", fields);
    f.validate(d);
    f
}

/// The request a valid trace form describes.
pub fn trace_request(form: &Form, d: &Design) -> Result<crate::sim::TraceRequest, String> {
    let port = match form.get("port") {
        "" => None,
        p => Some(parse_num::<u16>(p, 1, 65535, "the port")?),
    };
    crate::sim::TraceRequest::parse(d, form.get("from"), form.get("to"), form.get("protocol"), port, None)
}

/// The "save as" form.
pub fn save_as_form(default_path: &str) -> Form {
    let f = Field::text("path", "File", default_path, "a path; a bare name goes to the saves folder, .ron is added");
    Form::new(FormKind::SaveAs, FormTarget::New, "Save as", vec![f])
}

fn resource_fields(kind: ResourceKind, d: &Design, ctx: &Context, id: Option<&str>) -> Vec<Field> {
    let region = if ctx.region.is_empty() { d.default_region.clone() } else { ctx.region.clone() };
    let ctx_vpc = ctx.vpc.clone().or_else(|| d.vpcs.first().map(|v| v.id.clone())).unwrap_or_default();
    let edit = id.is_some();
    let lock = |f: Field| if edit { f.locked() } else { f };
    match kind {
        RK::Vpc => {
            let v = id.and_then(|i| d.vpc(i));
            let cidr = v.map_or_else(|| suggest_vpc_cidr(d), |v| v.cidr.to_string());
            let sec = v
                .map(|v| v.secondary_cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            vec![
                Field::text("name", "Name", v.map_or("", |v| &v.name), "unique among VPCs"),
                lock(Field::choice("region", "Region", region_choices(d, &region), v.map_or(&region, |v| &v.region))),
                lock(Field::text("cidr", "IPv4 CIDR", cidr, "/16 to /28, e.g. 10.0.0.0/16 (A1)")),
                Field::text("secondary", "Secondary CIDRs", sec, "comma-separated, up to 5 (A2)"),
                Field::yes_no("dns_support", "DNS support", v.is_none_or(|v| v.enable_dns_support)),
                Field::yes_no("dns_hostnames", "DNS hostnames", v.is_none_or(|v| v.enable_dns_hostnames)),
            ]
        }
        RK::Subnet => {
            let s = id.and_then(|i| d.subnet(i));
            let vpc_id = s.map_or(ctx_vpc.clone(), |s| s.vpc.clone());
            let vpc = d.vpc(&vpc_id);
            let vregion = vpc.map_or(region.clone(), |v| v.region.clone());
            let cidr = s
                .map(|s| s.primary_cidr_text())
                .or_else(|| vpc.and_then(|v| suggest_subnet(d, v)).map(|c| c.to_string()));
            let az = s.map(|s| s.az.clone()).or_else(|| ctx.az.clone()).unwrap_or_default();
            let rt = s
                .filter(|s| d.subnet_has_explicit_route_table(&s.id))
                .and_then(|s| d.subnet_route_table(&s.id))
                .map(|r| r.id.clone());
            vec![
                Field::text("name", "Name", s.map_or("", |s| &s.name), "unique within the VPC"),
                lock(Field::choice("vpc", "VPC", vpc_choices(d), &vpc_id)),
                Field::text(
                    "cidr",
                    "IPv4 CIDR",
                    cidr.unwrap_or_default(),
                    "/16 to /28 inside the VPC, no overlap (A5)",
                ),
                lock(Field::choice("az", "Availability zone", az_choices(d, &vregion), &az)),
                Field::yes_no("public_ip", "Auto-assign public IP", s.is_some_and(|s| s.map_public_ip_on_launch)),
                Field::choice("route_table", "Route table", rt_choices(d, &vpc_id), rt.as_deref().unwrap_or("")),
            ]
        }
        RK::RouteTable => {
            let r = id.and_then(|i| d.route_table(i));
            let vpc_id = r.map_or(ctx_vpc.clone(), |r| r.vpc.clone());
            vec![
                Field::text("name", "Name", r.map_or("", |r| &r.name), "unique within the VPC"),
                lock(Field::choice("vpc", "VPC", vpc_choices(d), &vpc_id)),
                Field::yes_no("main", "Main table", r.is_some_and(|r| r.main))
                    .with_hint("the table subnets use by default (R1)"),
                Field::text(
                    "subnets",
                    "Associated subnets",
                    r.map(|r| ids_text(&r.subnets)).unwrap_or_default(),
                    "comma-separated ids or names; each moves here (R1)",
                ),
                Field::text(
                    "gateways",
                    "Edge gateways",
                    r.map(|r| ids_text(&r.gateways)).unwrap_or_default(),
                    "IGW or VGW ids for an edge association (R10)",
                ),
                Field::text(
                    "propagation",
                    "Propagating VGWs",
                    r.map(|r| ids_text(&r.propagating_vgws)).unwrap_or_default(),
                    "VGW ids whose VPN routes appear here (T6)",
                ),
            ]
        }
        RK::InternetGateway => {
            let g = id.and_then(|i| d.internet_gateway(i));
            let mut vpcs = vec![opt_none("(detached)")];
            vpcs.extend(vpc_choices(d));
            let vpc = g.map_or(Some(ctx_vpc.clone()), |g| g.vpc.clone()).unwrap_or_default();
            vec![
                Field::text("name", "Name", g.map_or("", |g| &g.name), ""),
                Field::choice("vpc", "Attached to", vpcs, &vpc)
                    .with_hint("a VPC has one internet gateway at a time (I1)"),
            ]
        }
        RK::EgressOnlyInternetGateway => {
            let g = id.and_then(|i| d.egress_only_internet_gateways.iter().find(|x| x.id == i));
            vec![
                Field::text("name", "Name", g.map_or("", |g| &g.name), ""),
                lock(Field::choice("vpc", "VPC", vpc_choices(d), g.map_or(&ctx_vpc, |g| &g.vpc)))
                    .with_hint("one per VPC, IPv6 only (I5)"),
            ]
        }
        RK::NatGateway => {
            let n = id.and_then(|i| d.nat_gateway(i));
            let subnet = n.map(|n| n.subnet.clone()).or_else(|| ctx.subnet.clone()).unwrap_or_default();
            let mut eips = vec![Choice::new("new", "(a new Elastic IP)"), opt_none("(none: private NAT)")];
            eips.extend(
                d.elastic_ips.iter().map(|e| Choice::new(&e.id, format!("{} ({}, {})", e.name, e.id, e.public_ip))),
            );
            let eip = match n {
                Some(n) => n.eip.clone().unwrap_or_default(),
                None => "new".into(),
            };
            vec![
                Field::text("name", "Name", n.map_or("", |n| &n.name), ""),
                lock(Field::choice(
                    "subnet",
                    "Subnet",
                    subnet_choices(d, ctx.vpc.as_deref().filter(|_| !edit)),
                    &subnet,
                ))
                .with_hint("a public subnet for a public NAT (N1)"),
                Field::choice(
                    "connectivity",
                    "Connectivity",
                    enum_choices(&NAT_KINDS),
                    &n.map_or("Public".into(), |n| enum_name(n.connectivity)),
                ),
                Field::text(
                    "private_ip",
                    "Private IP",
                    n.map(|n| n.private_ip.to_string()).unwrap_or_default(),
                    "empty: the first free address",
                ),
                Field::choice("eip", "Elastic IP", eips, &eip)
                    .with_hint("public NAT needs one (N1); private NAT has none (N2)"),
                Field::choice(
                    "state",
                    "State",
                    enum_choices(&NAT_STATES),
                    &n.map_or("Available".into(), |n| enum_name(n.state)),
                ),
            ]
        }
        RK::ElasticIp => {
            let e = id.and_then(|i| d.elastic_ip(i));
            let ip = e.map_or_else(|| placeholder_public_ip(d).to_string(), |e| e.public_ip.to_string());
            vec![
                Field::text("name", "Name", e.map_or("", |e| &e.name), ""),
                Field::text("public_ip", "Public IP", ip, "the allocated address"),
            ]
        }
        RK::Instance => {
            let i = id.and_then(|x| d.instance(x));
            let eni = i.and_then(|i| d.instance_interfaces(&i.id).into_iter().next());
            let subnet = eni.map(|e| e.subnet.clone()).or_else(|| ctx.subnet.clone()).unwrap_or_default();
            vec![
                Field::text("name", "Name", i.map_or("", |i| &i.name), ""),
                Field::text("type", "Instance type", i.map_or("t3.micro", |i| &i.instance_type), "e.g. t3.micro"),
                Field::choice(
                    "state",
                    "State",
                    enum_choices(&INSTANCE_STATES),
                    &i.map_or("Running".into(), |i| enum_name(i.state)),
                ),
                lock(Field::choice(
                    "subnet",
                    "Subnet",
                    subnet_choices(d, ctx.vpc.as_deref().filter(|_| !edit)),
                    &subnet,
                )),
                Field::text(
                    "private_ip",
                    "Private IP",
                    eni.and_then(|e| e.primary_ip()).map(|a| a.to_string()).unwrap_or_default(),
                    "empty: the first free address (A6)",
                ),
                Field::text(
                    "public_ip",
                    "Public IP",
                    eni.and_then(|e| e.public_ip).map(|a| a.to_string()).unwrap_or_default(),
                    "an auto-assigned public IPv4, or empty (I2)",
                ),
                Field::text(
                    "security_groups",
                    "Security groups",
                    eni.map(|e| ids_text(&e.security_groups)).unwrap_or_default(),
                    "comma-separated; empty: the VPC default group (S5)",
                ),
                Field::yes_no("src_dst_check", "Source/dest check", eni.is_none_or(|e| e.source_dest_check))
                    .with_hint("off for a NAT instance (X4, N8)"),
                Field::text("role", "Role", i.map_or("", |i| &i.role), "what it does, for people"),
            ]
        }
        RK::NetworkInterface => {
            let e = id.and_then(|x| d.network_interface(x));
            let subnet = e.map(|e| e.subnet.clone()).or_else(|| ctx.subnet.clone()).unwrap_or_default();
            let mut insts = vec![opt_none("(not attached)")];
            insts.extend(d.instances.iter().map(|i| Choice::new(&i.id, format!("{} ({})", i.name, i.id))));
            let mut eips = vec![opt_none("(none)")];
            eips.extend(
                d.elastic_ips.iter().map(|x| Choice::new(&x.id, format!("{} ({}, {})", x.name, x.id, x.public_ip))),
            );
            let ips = e
                .map(|e| e.private_ips.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            vec![
                Field::text("name", "Name", e.map_or("", |e| &e.name), ""),
                lock(Field::choice(
                    "subnet",
                    "Subnet",
                    subnet_choices(d, ctx.vpc.as_deref().filter(|_| !edit)),
                    &subnet,
                )),
                Field::text("private_ips", "Private IPs", ips, "comma-separated, primary first; empty: the first free"),
                Field::text(
                    "public_ip",
                    "Public IP",
                    e.and_then(|e| e.public_ip).map(|a| a.to_string()).unwrap_or_default(),
                    "optional auto-assigned public IPv4",
                ),
                Field::choice("eip", "Elastic IP", eips, e.and_then(|e| e.eip.as_deref()).unwrap_or("")),
                Field::text(
                    "security_groups",
                    "Security groups",
                    e.map(|e| ids_text(&e.security_groups)).unwrap_or_default(),
                    "comma-separated; empty: the VPC default group (S5)",
                ),
                Field::choice("instance", "Attached to", insts, e.and_then(|e| e.instance.as_deref()).unwrap_or("")),
                Field::text(
                    "device_index",
                    "Device index",
                    e.map_or("1".into(), |e| e.device_index.to_string()),
                    "0 is the primary interface",
                ),
                Field::yes_no("src_dst_check", "Source/dest check", e.is_none_or(|e| e.source_dest_check))
                    .with_hint("off for a NAT instance (X4, N8)"),
            ]
        }
        RK::SecurityGroup => {
            let g = id.and_then(|x| d.security_group(x));
            vec![
                Field::text("name", "Name", g.map_or("", |g| &g.name), "unique within the VPC"),
                lock(Field::choice("vpc", "VPC", vpc_choices(d), g.map_or(&ctx_vpc, |g| &g.vpc))),
                Field::text("description", "Description", g.map_or("", |g| &g.description), ""),
            ]
        }
        RK::NetworkAcl => {
            let a = id.and_then(|x| d.network_acl(x));
            vec![
                Field::text("name", "Name", a.map_or("", |a| &a.name), "unique within the VPC"),
                lock(Field::choice("vpc", "VPC", vpc_choices(d), a.map_or(&ctx_vpc, |a| &a.vpc))),
                Field::text(
                    "subnets",
                    "Associated subnets",
                    a.map(|a| ids_text(&a.subnets)).unwrap_or_default(),
                    "comma-separated; each subnet has one ACL (L1)",
                ),
            ]
        }
        RK::VpcPeering => {
            let p = id.and_then(|x| d.peering(x));
            let other = d.vpcs.iter().find(|v| v.id != ctx_vpc).map(|v| v.id.clone()).unwrap_or_default();
            vec![
                Field::text("name", "Name", p.map_or("", |p| &p.name), ""),
                lock(Field::choice(
                    "requester",
                    "Requester VPC",
                    vpc_choices(d),
                    p.map_or(&ctx_vpc, |p| &p.requester_vpc),
                )),
                lock(Field::choice("accepter", "Accepter VPC", vpc_choices(d), p.map_or(&other, |p| &p.accepter_vpc)))
                    .with_hint("CIDRs must not overlap (P2)"),
                Field::choice(
                    "status",
                    "Status",
                    PEERING_STATES.iter().map(|s| Choice::new(s.api_name(), s.api_name())).collect(),
                    p.map_or("active", |p| p.status.api_name()),
                ),
                Field::yes_no("dns", "DNS resolution", p.is_some_and(|p| p.allow_dns_resolution))
                    .with_hint("private DNS across the peering (P7, P8)"),
            ]
        }
        RK::PrefixList => {
            let p = id.and_then(|x| d.prefix_list(x));
            vec![
                Field::text("name", "Name", p.map_or("", |p| &p.name), ""),
                Field::choice("region", "Region", region_choices(d, &region), p.map_or(&region, |p| &p.region)),
                Field::text(
                    "cidrs",
                    "CIDRs",
                    p.map(|p| p.cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")).unwrap_or_default(),
                    "comma-separated",
                ),
            ]
        }
        RK::VpcEndpoint => {
            let e = id.and_then(|x| d.endpoint(x));
            let vpc_id = e.map_or(ctx_vpc.clone(), |e| e.vpc.clone());
            let vregion = d.vpc(&vpc_id).map_or(region.clone(), |v| v.region.clone());
            let subnets = e
                .map(|e| e.interfaces.iter().map(|i| i.subnet.clone()).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            vec![
                Field::text("name", "Name", e.map_or("", |e| &e.name), "unique within the VPC"),
                lock(Field::choice("vpc", "VPC", vpc_choices(d), &vpc_id)),
                lock(Field::choice(
                    "kind",
                    "Type",
                    enum_choices(&ENDPOINT_KINDS),
                    &e.map_or("Gateway".into(), |e| enum_name(e.kind)),
                )),
                lock(Field::text(
                    "service",
                    "Service",
                    e.map_or(format!("com.amazonaws.{vregion}.s3"), |e| e.service_name.clone()),
                    "a service name, or a short one: s3, dynamodb, ssm…",
                )),
                Field::text(
                    "route_tables",
                    "Route tables",
                    e.map(|e| ids_text(&e.route_tables)).unwrap_or_default(),
                    "gateway: the tables that get the pl → vpce route (G2)",
                ),
                Field::text("subnets", "Subnets", subnets, "interface: one per AZ at most (E1)"),
                Field::text(
                    "security_groups",
                    "Security groups",
                    e.map(|e| ids_text(&e.security_groups)).unwrap_or_default(),
                    "interface: empty means the VPC default (E2)",
                ),
                Field::yes_no("private_dns", "Private DNS", e.is_some_and(|e| e.private_dns_enabled))
                    .with_hint("interface: the service's name resolves here (E4)"),
                Field::choice(
                    "state",
                    "State",
                    ENDPOINT_STATES.iter().map(|s| Choice::new(s.api_name(), s.api_name())).collect(),
                    e.map_or("available", |e| e.state.api_name()),
                ),
            ]
        }
        RK::EndpointService => {
            let s = id.and_then(|x| d.endpoint_service(x));
            vec![
                Field::text("name", "Name", s.map_or("", |s| &s.name), ""),
                lock(Field::choice("region", "Region", region_choices(d, &region), s.map_or(&region, |s| &s.region))),
                Field::text(
                    "load_balancers",
                    "Load balancers",
                    s.map(|s| ids_text(&s.load_balancers)).unwrap_or_default(),
                    "network load balancers behind the service (E9)",
                ),
                Field::yes_no("acceptance", "Acceptance required", s.is_none_or(|s| s.acceptance_required))
                    .with_hint("customer services default to manual acceptance (E8)"),
                Field::text(
                    "principals",
                    "Allowed principals",
                    s.map(|s| s.allowed_principals.join(", ")).unwrap_or_default(),
                    "comma-separated ARNs or *",
                ),
            ]
        }
        RK::LoadBalancer => {
            let l = id.and_then(|x| d.load_balancer(x));
            let listeners = l
                .map(|l| {
                    l.listeners
                        .iter()
                        .map(|x| match &x.target_group {
                            Some(tg) => format!("{}:{}>{tg}", x.protocol, x.port),
                            None => format!("{}:{}", x.protocol, x.port),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let subnets =
                l.map(|l| l.nodes.iter().map(|n| n.subnet.clone()).collect::<Vec<_>>().join(", ")).unwrap_or_default();
            vec![
                Field::text("name", "Name", l.map_or("", |l| &l.name), "unique within the VPC"),
                lock(Field::choice("vpc", "VPC", vpc_choices(d), l.map_or(&ctx_vpc, |l| &l.vpc))),
                Field::choice(
                    "kind",
                    "Type",
                    enum_choices(&LB_KINDS),
                    &l.map_or("Network".into(), |l| enum_name(l.kind)),
                ),
                Field::choice(
                    "scheme",
                    "Scheme",
                    enum_choices(&LB_SCHEMES),
                    &l.map_or("Internal".into(), |l| enum_name(l.scheme)),
                ),
                Field::text("subnets", "Subnets", subnets, "comma-separated, one per AZ"),
                Field::text(
                    "security_groups",
                    "Security groups",
                    l.map(|l| ids_text(&l.security_groups)).unwrap_or_default(),
                    "comma-separated",
                ),
                Field::text("listeners", "Listeners", listeners, "PROTOCOL:PORT>TARGET-GROUP, e.g. tcp:443>tg-0001"),
            ]
        }
        RK::TargetGroup => {
            let t = id.and_then(|x| d.target_group(x));
            let targets = t
                .map(|t| {
                    t.targets
                        .iter()
                        .map(|x| x.port.map_or(x.id.clone(), |p| format!("{}:{p}", x.id)))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            vec![
                Field::text("name", "Name", t.map_or("", |t| &t.name), "unique within the VPC"),
                lock(Field::choice("vpc", "VPC", vpc_choices(d), t.map_or(&ctx_vpc, |t| &t.vpc))),
                Field::text("protocol", "Protocol", t.map_or("tcp".into(), |t| t.protocol.to_string()), "tcp, udp …"),
                Field::text("port", "Port", t.map_or("80".into(), |t| t.port.to_string()), "1-65535"),
                Field::text("targets", "Targets", targets, "instance ids or IPs, each with an optional :port"),
            ]
        }
        RK::TransitGateway => {
            let t = id.and_then(|x| d.transit_gateway(x));
            vec![
                Field::text("name", "Name", t.map_or("", |t| &t.name), ""),
                lock(Field::choice("region", "Region", region_choices(d, &region), t.map_or(&region, |t| &t.region))),
                Field::text(
                    "asn",
                    "Amazon ASN",
                    t.map_or("64512".into(), |t| t.asn.to_string()),
                    "64512-65534 or 4200000000-4294967294",
                ),
                Field::yes_no("default_association", "Default association", t.is_none_or(|t| t.default_association))
                    .with_hint("new attachments use the default table (T3)"),
                Field::yes_no("default_propagation", "Default propagation", t.is_none_or(|t| t.default_propagation))
                    .with_hint("new attachments propagate into it (T3)"),
            ]
        }
        RK::TgwAttachment => {
            let a = id.and_then(|x| d.tgw_attachment(x));
            let tgw = a
                .map(|a| a.tgw.clone())
                .or_else(|| ctx.transit_gateway.clone())
                .or_else(|| d.transit_gateways.first().map(|t| t.id.clone()))
                .unwrap_or_default();
            let (ty, vpc, subnets, vpn, peer) = match a.map(|a| &a.kind) {
                Some(TgwAttachmentKind::Vpc { vpc, subnets }) => {
                    ("vpc", vpc.clone(), ids_text(subnets), String::new(), String::new())
                }
                Some(TgwAttachmentKind::Vpn { vpn }) => {
                    ("vpn", String::new(), String::new(), vpn.clone(), String::new())
                }
                Some(TgwAttachmentKind::Peering { peer_tgw }) => {
                    ("peering", String::new(), String::new(), String::new(), peer_tgw.clone())
                }
                None => ("vpc", ctx_vpc.clone(), String::new(), String::new(), String::new()),
            };
            let types =
                vec![Choice::new("vpc", "VPC"), Choice::new("vpn", "VPN"), Choice::new("peering", "TGW peering")];
            let mut vpns = vec![opt_none("(none)")];
            vpns.extend(d.vpn_connections.iter().map(|v| Choice::new(&v.id, format!("{} ({})", v.name, v.id))));
            let mut peers = vec![opt_none("(none)")];
            peers.extend(d.transit_gateways.iter().map(|t| Choice::new(&t.id, format!("{} ({})", t.name, t.id))));
            let tgws: Vec<Choice> =
                d.transit_gateways.iter().map(|t| Choice::new(&t.id, format!("{} ({})", t.name, t.id))).collect();
            let assoc = match a {
                Some(a) => a.association.clone().unwrap_or_default(),
                None => d
                    .transit_gateway(&tgw)
                    .filter(|t| t.default_association)
                    .and_then(|t| t.default_route_table.clone())
                    .unwrap_or_default(),
            };
            let mut vpcs = vec![opt_none("(none)")];
            vpcs.extend(vpc_choices(d));
            vec![
                Field::text("name", "Name", a.map_or("", |a| &a.name), ""),
                lock(Field::choice("tgw", "Transit gateway", tgws, &tgw)),
                lock(Field::choice("type", "Attaches", types, ty)),
                lock(Field::choice("vpc", "VPC", vpcs, &vpc)),
                Field::text("subnets", "Subnets", subnets, "VPC: one subnet per AZ (T2)"),
                lock(Field::choice("vpn", "VPN connection", vpns, &vpn)),
                lock(Field::choice("peer", "Peer transit gateway", peers, &peer)),
                Field::choice("association", "Associated table", tgw_rt_choices(d, &tgw), &assoc)
                    .with_hint("the table used for packets from it (T3)"),
                Field::choice(
                    "state",
                    "State",
                    enum_choices(&ATTACH_STATES),
                    &a.map_or("Available".into(), |a| enum_name(a.state)),
                ),
            ]
        }
        RK::TgwRouteTable => {
            let r = id.and_then(|x| d.tgw_route_table(x));
            let tgw = r
                .map(|r| r.tgw.clone())
                .or_else(|| ctx.transit_gateway.clone())
                .or_else(|| d.transit_gateways.first().map(|t| t.id.clone()))
                .unwrap_or_default();
            let tgws: Vec<Choice> =
                d.transit_gateways.iter().map(|t| Choice::new(&t.id, format!("{} ({})", t.name, t.id))).collect();
            let routes = r
                .map(|r| {
                    r.static_routes
                        .iter()
                        .map(|x| format!("{}>{}", x.cidr, x.attachment.as_deref().unwrap_or("blackhole")))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            vec![
                Field::text("name", "Name", r.map_or("", |r| &r.name), ""),
                lock(Field::choice("tgw", "Transit gateway", tgws, &tgw)),
                Field::text(
                    "propagations",
                    "Propagations",
                    r.map(|r| ids_text(&r.propagations)).unwrap_or_default(),
                    "attachment ids that propagate here (T3)",
                ),
                Field::text("routes", "Static routes", routes, "CIDR>ATTACHMENT or CIDR>blackhole (T4)"),
            ]
        }
        RK::VpnGateway => {
            let g = id.and_then(|x| d.vpn_gateway(x));
            let mut vpcs = vec![opt_none("(detached)")];
            vpcs.extend(vpc_choices(d));
            let vpc = g.map_or(Some(ctx_vpc.clone()), |g| g.vpc.clone()).unwrap_or_default();
            vec![
                Field::text("name", "Name", g.map_or("", |g| &g.name), ""),
                Field::choice("vpc", "Attached to", vpcs, &vpc).with_hint("one VGW per VPC (T6)"),
                Field::text("asn", "Amazon ASN", g.map_or("64512".into(), |g| g.asn.to_string()), "default 64512 (T6)"),
            ]
        }
        RK::CustomerGateway => {
            let c = id.and_then(|x| d.customer_gateway(x));
            vec![
                Field::text("name", "Name", c.map_or("", |c| &c.name), ""),
                Field::text(
                    "ip",
                    "Public IP",
                    c.map(|c| c.ip.to_string()).unwrap_or_default(),
                    "the on-premises device's address",
                ),
                Field::text("asn", "BGP ASN", c.map_or("65000".into(), |c| c.bgp_asn.to_string()), "1-4294967294"),
            ]
        }
        RK::VpnConnection => {
            let c = id.and_then(|x| d.vpn_connection(x));
            let cgws: Vec<Choice> = d
                .customer_gateways
                .iter()
                .map(|g| Choice::new(&g.id, format!("{} ({}, {})", g.name, g.id, g.ip)))
                .collect();
            let mut gws = vec![opt_none("(none)")];
            gws.extend(
                d.vpn_gateways
                    .iter()
                    .map(|g| Choice::new(format!("vgw:{}", g.id), format!("VGW {} ({})", g.name, g.id))),
            );
            gws.extend(
                d.transit_gateways
                    .iter()
                    .map(|g| Choice::new(format!("tgw:{}", g.id), format!("TGW {} ({})", g.name, g.id))),
            );
            let gw = match c {
                Some(c) => c
                    .vpn_gateway
                    .as_ref()
                    .map(|g| format!("vgw:{g}"))
                    .or_else(|| c.transit_gateway.as_ref().map(|g| format!("tgw:{g}")))
                    .unwrap_or_default(),
                None => d.vpn_gateways.first().map(|g| format!("vgw:{}", g.id)).unwrap_or_default(),
            };
            vec![
                Field::text("name", "Name", c.map_or("", |c| &c.name), ""),
                Field::choice("cgw", "Customer gateway", cgws, c.map_or("", |c| &c.customer_gateway)),
                Field::choice("gateway", "AWS side", gws, &gw).with_hint("a VGW or a TGW (T6)"),
                Field::yes_no("static", "Static routing", c.is_some_and(|c| c.static_routes_only)),
                Field::text(
                    "routes",
                    "On-prem prefixes",
                    c.map(|c| c.routes.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", "))
                        .unwrap_or_default(),
                    "comma-separated CIDRs",
                ),
                Field::choice(
                    "state",
                    "State",
                    enum_choices(&VPN_STATES),
                    &c.map_or("Available".into(), |c| enum_name(c.state)),
                ),
            ]
        }
    }
}

fn rt_choices(d: &Design, vpc: &str) -> Vec<Choice> {
    let mut v = vec![opt_none("(the main table)")];
    v.extend(
        d.route_tables
            .iter()
            .filter(|r| r.vpc == vpc && !r.main)
            .map(|r| Choice::new(&r.id, format!("{} ({})", r.name, r.id))),
    );
    v
}

fn tgw_rt_choices(d: &Design, tgw: &str) -> Vec<Choice> {
    let mut v = vec![opt_none("(none)")];
    v.extend(
        d.tgw_route_tables
            .iter()
            .filter(|r| r.tgw == tgw)
            .map(|r| Choice::new(&r.id, format!("{} ({})", r.name, r.id))),
    );
    v
}

fn route_fields(d: &Design, rt: &RouteTable, r: Option<&Route>) -> Vec<Field> {
    let mut targets = route_target_choices(d, &rt.vpc);
    if let Some(r) = r {
        let v = target_value(&r.target);
        if !targets.iter().any(|c| c.value == v) {
            targets.insert(0, Choice::new(&v, r.target.to_string()));
        }
    }
    let value = r.map(|r| target_value(&r.target)).unwrap_or_default();
    vec![
        Field::text("table", "Route table", format!("{} ({})", rt.name, rt.id), "").locked(),
        Field::text(
            "destination",
            "Destination",
            r.map(|r| r.destination.to_string()).unwrap_or_default(),
            "a CIDR, e.g. 0.0.0.0/0, or a prefix list pl-…",
        ),
        Field::choice("target", "Target", targets, &value).with_hint("igw, nat, pcx, tgw, vgw, eni, instance (R5)"),
    ]
}

fn sg_rule_fields(egress: bool, r: Option<&SgRule>) -> Vec<Field> {
    vec![
        Field::choice("direction", "Direction", direction_choices(), if egress { "out" } else { "in" }),
        Field::text(
            "protocol",
            "Protocol",
            r.map_or("tcp".into(), |r| r.protocol.to_string()),
            "tcp, udp, icmp, all or a number",
        ),
        Field::text(
            "ports",
            "Ports",
            r.map_or("443".into(), |r| ports_text(&r.ports)),
            "22, 1024-65535 or all; ICMP: type[:code]",
        ),
        Field::text(
            "peer",
            "Peer",
            r.map(|r| r.peer.to_string()).unwrap_or_default(),
            "a CIDR, a security group or a prefix list (S6)",
        ),
        Field::text("description", "Description", r.map_or("", |r| &r.description), ""),
    ]
}

fn nacl_entry_fields(acl: &NetworkAcl, egress: bool, e: Option<&NaclEntry>) -> Vec<Field> {
    let next = acl
        .entries
        .iter()
        .filter(|x| x.egress == egress)
        .map(|x| x.rule_number)
        .max()
        .map_or(100, |m| (m / 100 + 1) * 100);
    let next = if next > 32766 { 32766 } else { next };
    vec![
        Field::text("acl", "Network ACL", format!("{} ({})", acl.name, acl.id), "").locked(),
        Field::choice("direction", "Direction", direction_choices(), if egress { "out" } else { "in" }),
        Field::text(
            "rule",
            "Rule number",
            e.map_or(next.to_string(), |e| e.rule_number.to_string()),
            "1-32766, lowest first, first match wins (L2)",
        ),
        Field::choice("action", "Action", enum_choices(&ACTIONS), &e.map_or("Allow".into(), |e| enum_name(e.action))),
        Field::text(
            "protocol",
            "Protocol",
            e.map_or("tcp".into(), |e| e.protocol.to_string()),
            "tcp, udp, icmp, all or a number",
        ),
        Field::text("ports", "Ports", e.map_or("443".into(), |e| ports_text(&e.ports)), "22, 1024-65535 or all"),
        Field::text(
            "cidr",
            "CIDR",
            e.map_or("0.0.0.0/0".into(), |e| e.cidr.to_string()),
            "a CIDR; NACLs cannot use prefix lists (L7)",
        ),
    ]
}

/// A field changed: refresh the fields that depend on it.
pub fn on_change(form: &mut Form, key: &str, d: &Design) {
    if let FormKind::Planner(k) = form.kind {
        return crate::app::planner::on_change(k, form, key, d);
    }
    match (&form.kind, key) {
        (FormKind::Resource(RK::Subnet), "vpc") => {
            let vpc_id = form.get("vpc").to_string();
            let vpc = d.vpc(&vpc_id);
            let region = vpc.map_or(d.default_region.clone(), |v| v.region.clone());
            let suggestion = vpc.and_then(|v| suggest_subnet(d, v)).map(|c| c.to_string()).unwrap_or_default();
            if let Some(f) = form.field_mut("az") {
                let cur = f.value().to_string();
                *f = Field::choice("az", "Availability zone", az_choices(d, &region), &cur);
            }
            if let Some(f) = form.field_mut("route_table") {
                *f = Field::choice("route_table", "Route table", rt_choices(d, &vpc_id), "");
            }
            if let Some(f) = form.field_mut("cidr") {
                if !f.touched {
                    f.input = super::LineInput::new(suggestion);
                }
            }
        }
        (FormKind::Resource(RK::TgwAttachment), "tgw") => {
            let tgw = form.get("tgw").to_string();
            if let Some(f) = form.field_mut("association") {
                *f = Field::choice("association", "Associated table", tgw_rt_choices(d, &tgw), "");
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Checks.

fn editing_id(form: &Form) -> Option<&str> {
    match &form.target {
        FormTarget::Edit(id) => Some(id),
        _ => None,
    }
}

/// Check a VPC CIDR block's size and range (A1, A3).
fn check_vpc_block(c: Ipv4Net, rule: &str) -> Result<(), String> {
    if !(16..=28).contains(&c.prefix_len()) {
        return Err(format!(
            "a VPC CIDR is /16 to /28; /{} is too {} ({rule})",
            c.prefix_len(),
            if c.prefix_len() < 16 { "large" } else { "small" }
        ));
    }
    if overlaps(c, net("169.254.0.0/16")) {
        return Err("169.254.0.0/16 is link-local and never allowed in a VPC (A3)".into());
    }
    Ok(())
}

/// The family restrictions on adding a secondary CIDR next to existing ones (A3).
fn check_family(existing: &[Ipv4Net], c: Ipv4Net) -> Result<(), String> {
    let inside = |x: Ipv4Net, n: &str| net(n).contains(&x.network());
    let ten = existing.iter().any(|x| inside(*x, "10.0.0.0/8"));
    let one72 = existing.iter().any(|x| inside(*x, "172.16.0.0/12"));
    if ten && ["172.16.0.0/12", "192.168.0.0/16", "198.19.0.0/16"].iter().any(|n| inside(c, n)) {
        return Err(format!("a VPC in 10.0.0.0/8 cannot add {c}: not 172.16/12, 192.168/16 or 198.19/16 (A3)"));
    }
    if one72 && (["10.0.0.0/8", "192.168.0.0/16", "172.31.0.0/16"].iter().any(|n| inside(c, n))) {
        return Err(format!("a VPC in 172.16.0.0/12 cannot add {c}: no other RFC 1918 range, nor 172.31/16 (A3)"));
    }
    if existing.iter().any(|x| inside(*x, "10.0.0.0/15"))
        && inside(c, "10.0.0.0/16")
        && !existing.iter().any(|x| inside(*x, "10.0.0.0/16"))
    {
        return Err(format!("a VPC with a CIDR in 10.0.0.0/15 cannot add {c} from 10.0.0.0/16 (A3)"));
    }
    Ok(())
}

/// Validate a form: every error, keyed by field.
pub fn validate(form: &Form, d: &Design) -> Errors {
    let mut e: Errors = Vec::new();
    let editing = editing_id(form);
    let g = |k: &str| form.get(k);
    match &form.kind {
        FormKind::SaveAs => {
            if let Err(m) = crate::app::files::resolve_save_path(g("path")) {
                e.push(("path", m));
            }
        }
        FormKind::Trace => {
            for key in ["from", "to"] {
                if let Err(m) = crate::sim::parse_endpoint(d, g(key)) {
                    e.push((key, m));
                }
            }
            match crate::sim::parse_protocol(g("protocol")) {
                Err(m) => e.push(("protocol", m)),
                Ok(p) => {
                    if g("port").is_empty() && crate::sim::request::has_ports(p) {
                        e.push(("port", format!("{p} needs a destination port")));
                    }
                }
            }
            if !g("port").is_empty() {
                if let Err(m) = parse_num::<u16>(g("port"), 1, 65535, "the port") {
                    e.push(("port", m));
                }
            }
        }
        FormKind::Resource(kind) => validate_resource(*kind, form, d, editing, &mut e),
        FormKind::Route => validate_route(form, d, &mut e),
        FormKind::SgRule => validate_sg_rule(form, d, &mut e),
        FormKind::NaclEntry => validate_nacl_entry(form, d, &mut e),
        FormKind::Planner(k) => crate::app::planner::validate(*k, form, d, &mut e),
        FormKind::Routes(k) => crate::app::routes::validate(*k, form, d, &mut e),
    }
    e
}

fn validate_resource(kind: ResourceKind, form: &Form, d: &Design, editing: Option<&str>, e: &mut Errors) {
    let g = |k: &str| form.get(k);
    match kind {
        RK::Vpc => {
            check_name(e, d, kind, g("name"), None, editing);
            let primary = match parse_cidr(g("cidr")).and_then(|c| check_vpc_block(c, "A1").map(|_| c)) {
                Ok(c) => Some(c),
                Err(m) => {
                    if editing.is_none() {
                        e.push(("cidr", m));
                    }
                    None
                }
            };
            let mut all: Vec<Ipv4Net> = primary.into_iter().collect();
            let sec = list(g("secondary"));
            if sec.len() > 5 {
                e.push(("secondary", format!("{} secondary CIDRs: the quota is 5 (A2)", sec.len())));
            }
            for s in &sec {
                let c = match parse_cidr(s).and_then(|c| check_vpc_block(c, "A2").map(|_| c)) {
                    Ok(c) => c,
                    Err(m) => {
                        e.push(("secondary", m));
                        break;
                    }
                };
                if let Some(x) = all.iter().find(|x| overlaps(**x, c)) {
                    e.push(("secondary", format!("{c} overlaps {x}, which the VPC already has (A2)")));
                    break;
                }
                if let Err(m) = check_family(&all, c) {
                    e.push(("secondary", m));
                    break;
                }
                all.push(c);
            }
            // A CIDR with subnets in it cannot be removed (A2).
            if let Some(v) = editing.and_then(|i| d.vpc(i)) {
                for old in &v.secondary_cidrs {
                    if !all.contains(old) {
                        if let Some(s) =
                            d.vpc_subnets(&v.id).find(|s| s.cidr.is_some_and(|sc| old.contains(&sc.network())))
                        {
                            e.push((
                                "secondary",
                                format!("{old} still holds subnet {} ({}); delete it first (A2)", s.name, s.id),
                            ));
                            break;
                        }
                    }
                }
            }
        }
        RK::Subnet => {
            let vpc = d.vpc(g("vpc"));
            check_name(e, d, kind, g("name"), Some(g("vpc")), editing);
            let Some(vpc) = vpc else {
                e.push(("vpc", "required: add a VPC first".into()));
                return;
            };
            match parse_cidr(g("cidr")) {
                Err(m) => e.push(("cidr", m)),
                Ok(c) if !(16..=28).contains(&c.prefix_len()) => e.push((
                    "cidr",
                    format!(
                        "a subnet is /16 to /28; /{} is too {} (A5)",
                        c.prefix_len(),
                        if c.prefix_len() < 16 { "large" } else { "small" }
                    ),
                )),
                Ok(c) => {
                    if !vpc.cidrs().any(|v| v.contains(&c)) {
                        let cidrs: Vec<String> = vpc.cidrs().map(|x| x.to_string()).collect();
                        e.push(("cidr", format!("{c} is not inside {} ({}) (A5)", vpc.name, cidrs.join(", "))));
                    } else if let Some(o) = d
                        .vpc_subnets(&vpc.id)
                        .find(|s| Some(s.id.as_str()) != editing && s.cidr.is_some_and(|sc| overlaps(sc, c)))
                    {
                        e.push((
                            "cidr",
                            format!("{c} overlaps subnet {} ({}, {}) (A5)", o.name, o.id, o.primary_cidr_text()),
                        ));
                    } else if let Some(s) = editing.and_then(|i| d.subnet(i)) {
                        // Interfaces already in the subnet must stay inside it.
                        if let Some((ip, by)) = used_ips(d, &s.id, None).into_iter().find(|(a, _)| !c.contains(a)) {
                            e.push(("cidr", format!("{by} has {ip}, which would fall outside {c}")));
                        }
                    }
                }
            }
            if g("az").is_empty() || !d.azs(&vpc.region).iter().any(|a| a == g("az")) {
                e.push(("az", format!("choose one of {}'s zones (A5)", vpc.region)));
            }
        }
        RK::RouteTable => {
            check_name(e, d, kind, g("name"), Some(g("vpc")), editing);
            let vpc = g("vpc");
            if d.vpc(vpc).is_none() {
                e.push(("vpc", "required: add a VPC first".into()));
                return;
            }
            match resolve_list(d, g("subnets"), &[RK::Subnet]) {
                Err(m) => e.push(("subnets", m)),
                Ok(ids) => {
                    if let Some(s) = ids.iter().filter_map(|i| d.subnet(i)).find(|s| s.vpc != vpc) {
                        e.push(("subnets", format!("{} is in {}, not in this table's VPC (R1)", s.id, s.vpc)));
                    }
                }
            }
            match resolve_list(d, g("gateways"), &[RK::InternetGateway, RK::VpnGateway]) {
                Err(m) => e.push(("gateways", m)),
                Ok(ids) => {
                    let attached = |i: &str| {
                        d.internet_gateway(i)
                            .map(|x| x.vpc.as_deref() == Some(vpc))
                            .or_else(|| d.vpn_gateway(i).map(|x| x.vpc.as_deref() == Some(vpc)))
                    };
                    if let Some(i) = ids.iter().find(|i| attached(i) != Some(true)) {
                        e.push((
                            "gateways",
                            format!("{i} is not attached to this VPC; an edge association needs its own gateway (R10)"),
                        ));
                    }
                }
            }
            if let Err(m) = resolve_list(d, g("propagation"), &[RK::VpnGateway]) {
                e.push(("propagation", m));
            }
            if let Some(rt) = editing.and_then(|i| d.route_table(i)) {
                if rt.main && !form.flag("main") {
                    e.push(("main", "a VPC always has a main table: make another table main instead (R1)".into()));
                }
            }
        }
        RK::InternetGateway => {
            check_name(e, d, kind, g("name"), None, editing);
            let vpc = g("vpc");
            if !vpc.is_empty() {
                if let Some(other) =
                    d.internet_gateways.iter().find(|x| x.vpc.as_deref() == Some(vpc) && Some(x.id.as_str()) != editing)
                {
                    e.push((
                        "vpc",
                        format!(
                            "{vpc} already has {} attached; a VPC has one internet gateway at a time (I1)",
                            other.id
                        ),
                    ));
                }
            }
        }
        RK::EgressOnlyInternetGateway => {
            check_name(e, d, kind, g("name"), Some(g("vpc")), editing);
            if d.vpc(g("vpc")).is_none() {
                e.push(("vpc", "required: add a VPC first".into()));
            } else if let Some(o) =
                d.egress_only_internet_gateways.iter().find(|x| x.vpc == g("vpc") && Some(x.id.as_str()) != editing)
            {
                e.push(("vpc", format!("{} already has {}; one egress-only IGW per VPC (I5)", g("vpc"), o.id)));
            }
        }
        RK::NatGateway => {
            check_name(e, d, kind, g("name"), Some(g("subnet")), editing);
            let Some(s) = d.subnet(g("subnet")) else {
                e.push(("subnet", "required: add a subnet first".into()));
                return;
            };
            if !g("private_ip").is_empty() {
                match parse_ip(g("private_ip")) {
                    Err(m) => e.push(("private_ip", m)),
                    Ok(ip) => {
                        if let Err(m) = check_ip(d, s, ip, editing, &[]) {
                            e.push(("private_ip", m));
                        }
                    }
                }
            } else if first_free_ip(d, s, &[]).is_none() {
                e.push(("private_ip", format!("{} has no free address left (A6)", s.name)));
            }
            let public = g("connectivity") == "Public";
            match (public, g("eip")) {
                (true, "") => e.push(("eip", "a public NAT gateway needs an Elastic IP (N1)".into())),
                (false, eip) if !eip.is_empty() => {
                    e.push(("eip", "a private NAT gateway has no Elastic IP (N2)".into()))
                }
                (_, eip) if eip != "new" && !eip.is_empty() => {
                    if let Some(by) = eip_user(d, eip, editing) {
                        e.push(("eip", format!("{eip} is already associated with {by}")));
                    }
                }
                _ => {}
            }
        }
        RK::ElasticIp => {
            check_name(e, d, kind, g("name"), None, editing);
            match parse_ip(g("public_ip")) {
                Err(m) => e.push(("public_ip", m)),
                Ok(ip) => {
                    if let Some(o) = d.elastic_ips.iter().find(|x| x.public_ip == ip && Some(x.id.as_str()) != editing)
                    {
                        e.push(("public_ip", format!("{ip} is already allocated as {}", o.id)));
                    }
                }
            }
        }
        RK::Instance => {
            check_name(e, d, kind, g("name"), None, editing);
            let Some(s) = d.subnet(g("subnet")) else {
                e.push(("subnet", "required: add a subnet first".into()));
                return;
            };
            if g("type").is_empty() {
                e.push(("type", "required: an instance type such as t3.micro".into()));
            }
            if g("private_ip").is_empty() {
                if editing.is_none() && first_free_ip(d, s, &[]).is_none() {
                    e.push(("private_ip", format!("{} has no free address left (A6)", s.name)));
                }
            } else {
                match parse_ip(g("private_ip")) {
                    Err(m) => e.push(("private_ip", m)),
                    Ok(ip) => {
                        if let Err(m) = check_ip(d, s, ip, editing, &[]) {
                            e.push(("private_ip", m));
                        }
                    }
                }
            }
            if !g("public_ip").is_empty() {
                if let Err(m) = parse_ip(g("public_ip")) {
                    e.push(("public_ip", m));
                }
            }
            check_groups(d, g("security_groups"), &s.vpc, e);
        }
        RK::NetworkInterface => {
            check_name(e, d, kind, g("name"), Some(g("subnet")), editing);
            let Some(s) = d.subnet(g("subnet")) else {
                e.push(("subnet", "required: add a subnet first".into()));
                return;
            };
            let mut taken = Vec::new();
            for t in list(g("private_ips")) {
                match parse_ip(&t).and_then(|ip| check_ip(d, s, ip, editing, &taken).map(|_| ip)) {
                    Ok(ip) => taken.push(ip),
                    Err(m) => {
                        e.push(("private_ips", m));
                        break;
                    }
                }
            }
            if !g("public_ip").is_empty() {
                if let Err(m) = parse_ip(g("public_ip")) {
                    e.push(("public_ip", m));
                }
            }
            if !g("eip").is_empty() {
                if let Some(by) = eip_user(d, g("eip"), editing) {
                    e.push(("eip", format!("{} is already associated with {by}", g("eip"))));
                }
            }
            check_groups(d, g("security_groups"), &s.vpc, e);
            match parse_num::<u32>(g("device_index"), 0, 31, "the device index") {
                Err(m) => e.push(("device_index", m)),
                Ok(n) => {
                    let inst = g("instance");
                    if !inst.is_empty() {
                        if let Some(o) = d.network_interfaces.iter().find(|x| {
                            x.instance.as_deref() == Some(inst) && x.device_index == n && Some(x.id.as_str()) != editing
                        }) {
                            e.push(("device_index", format!("{inst} already has {} at device index {n}", o.id)));
                        }
                    }
                }
            }
        }
        RK::SecurityGroup => {
            check_name(e, d, kind, g("name"), Some(g("vpc")), editing);
            if d.vpc(g("vpc")).is_none() {
                e.push(("vpc", "required: add a VPC first".into()));
            }
        }
        RK::NetworkAcl => {
            check_name(e, d, kind, g("name"), Some(g("vpc")), editing);
            let vpc = g("vpc");
            if d.vpc(vpc).is_none() {
                e.push(("vpc", "required: add a VPC first".into()));
                return;
            }
            match resolve_list(d, g("subnets"), &[RK::Subnet]) {
                Err(m) => e.push(("subnets", m)),
                Ok(ids) => {
                    if let Some(s) = ids.iter().filter_map(|i| d.subnet(i)).find(|s| s.vpc != vpc) {
                        e.push((
                            "subnets",
                            format!("{} is in {}; an ACL serves subnets of its own VPC (L1)", s.id, s.vpc),
                        ));
                    }
                }
            }
        }
        RK::VpcPeering => {
            check_name(e, d, kind, g("name"), None, editing);
            let (a, b) = (d.vpc(g("requester")), d.vpc(g("accepter")));
            match (a, b) {
                (None, _) => e.push(("requester", "required: add a VPC first".into())),
                (_, None) => e.push(("accepter", "required: a second VPC to peer with".into())),
                (Some(a), Some(b)) if a.id == b.id => e.push(("accepter", "a VPC cannot peer with itself".into())),
                (Some(a), Some(b)) => {
                    if let Some((x, y)) =
                        a.cidrs().flat_map(|x| b.cidrs().map(move |y| (x, y))).find(|(x, y)| overlaps(*x, *y))
                    {
                        e.push((
                            "accepter",
                            format!("{} ({x}) overlaps {} ({y}): peering needs distinct CIDRs (P2)", a.name, b.name),
                        ));
                    } else if let Some(p) = d
                        .peerings
                        .iter()
                        .find(|p| Some(p.id.as_str()) != editing && p.other_side(&a.id) == Some(b.id.as_str()))
                    {
                        e.push(("accepter", format!("{} already peers these VPCs; one peering per pair (P3)", p.id)));
                    }
                }
            }
        }
        RK::PrefixList => {
            check_name(e, d, kind, g("name"), None, editing);
            for c in list(g("cidrs")) {
                if let Err(m) = parse_cidr(&c) {
                    e.push(("cidrs", m));
                    break;
                }
            }
        }
        RK::VpcEndpoint => validate_endpoint(form, d, editing, e),
        RK::EndpointService => {
            check_name(e, d, kind, g("name"), None, editing);
            match resolve_list(d, g("load_balancers"), &[RK::LoadBalancer]) {
                Err(m) => e.push(("load_balancers", m)),
                Ok(ids) => {
                    if let Some(l) =
                        ids.iter().filter_map(|i| d.load_balancer(i)).find(|l| l.kind == LoadBalancerKind::Application)
                    {
                        e.push((
                            "load_balancers",
                            format!("{} is an application load balancer; a service fronts NLBs or GWLBs (E9)", l.id),
                        ));
                    }
                }
            }
        }
        RK::LoadBalancer => {
            check_name(e, d, kind, g("name"), Some(g("vpc")), editing);
            let vpc = g("vpc");
            if d.vpc(vpc).is_none() {
                e.push(("vpc", "required: add a VPC first".into()));
                return;
            }
            check_subnets_per_az(d, g("subnets"), vpc, "subnets", "a load balancer has one node per AZ", e);
            check_groups(d, g("security_groups"), vpc, e);
            for l in list(g("listeners")) {
                if let Err(m) = parse_listener(d, &l) {
                    e.push(("listeners", m));
                    break;
                }
            }
        }
        RK::TargetGroup => {
            check_name(e, d, kind, g("name"), Some(g("vpc")), editing);
            if d.vpc(g("vpc")).is_none() {
                e.push(("vpc", "required: add a VPC first".into()));
            }
            if let Err(m) = Protocol::parse(g("protocol")) {
                e.push(("protocol", m));
            }
            if let Err(m) = parse_num::<u16>(g("port"), 1, 65535, "the port") {
                e.push(("port", m));
            }
            for t in list(g("targets")) {
                if let Err(m) = parse_target_entry(d, &t) {
                    e.push(("targets", m));
                    break;
                }
            }
        }
        RK::TransitGateway => {
            check_name(e, d, kind, g("name"), None, editing);
            match parse_num::<u32>(g("asn"), 1, u32::MAX - 1, "the ASN") {
                Err(m) => e.push(("asn", m)),
                Ok(n) if !((64512..=65534).contains(&n) || (4_200_000_000..=4_294_967_294).contains(&n)) => {
                    e.push(("asn", format!("{n} is not a private ASN: use 64512-65534 or 4200000000-4294967294")))
                }
                Ok(_) => {}
            }
        }
        RK::TgwAttachment => {
            check_name(e, d, kind, g("name"), Some(g("tgw")), editing);
            let Some(tgw) = d.transit_gateway(g("tgw")) else {
                e.push(("tgw", "required: add a transit gateway first".into()));
                return;
            };
            match g("type") {
                "vpc" => match d.vpc(g("vpc")) {
                    None => e.push(("vpc", "required: the VPC to attach".into())),
                    Some(v) => {
                        if v.region != tgw.region {
                            e.push((
                                "vpc",
                                format!(
                                    "{} is in {}, the transit gateway in {}; a TGW is regional (T1)",
                                    v.id, v.region, tgw.region
                                ),
                            ));
                        }
                        if list(g("subnets")).is_empty() {
                            e.push(("subnets", "required: one subnet per AZ the VPC uses (T2)".into()));
                        }
                        check_subnets_per_az(
                            d,
                            g("subnets"),
                            &v.id,
                            "subnets",
                            "a VPC attachment uses one subnet per AZ (T2)",
                            e,
                        );
                    }
                },
                "vpn" => {
                    if d.vpn_connection(g("vpn")).is_none() {
                        e.push(("vpn", "required: the VPN connection to attach".into()));
                    }
                }
                _ => {
                    if d.transit_gateway(g("peer")).is_none() {
                        e.push(("peer", "required: the transit gateway to peer with".into()));
                    } else if g("peer") == tgw.id {
                        e.push(("peer", "a transit gateway cannot peer with itself (T5)".into()));
                    }
                }
            }
        }
        RK::TgwRouteTable => {
            check_name(e, d, kind, g("name"), Some(g("tgw")), editing);
            let tgw = g("tgw");
            if d.transit_gateway(tgw).is_none() {
                e.push(("tgw", "required: add a transit gateway first".into()));
                return;
            }
            match resolve_list(d, g("propagations"), &[RK::TgwAttachment]) {
                Err(m) => e.push(("propagations", m)),
                Ok(ids) => {
                    if let Some(a) = ids.iter().filter_map(|i| d.tgw_attachment(i)).find(|a| a.tgw != tgw) {
                        e.push((
                            "propagations",
                            format!("{} belongs to {}, not this transit gateway (T3)", a.id, a.tgw),
                        ));
                    }
                }
            }
            let mut seen = Vec::new();
            for r in list(g("routes")) {
                match parse_tgw_route(d, tgw, &r) {
                    Err(m) => {
                        e.push(("routes", m));
                        break;
                    }
                    Ok(route) if seen.contains(&route.cidr) => {
                        e.push(("routes", format!("{} has two static routes (T4)", route.cidr)));
                        break;
                    }
                    Ok(route) => seen.push(route.cidr),
                }
            }
        }
        RK::VpnGateway => {
            check_name(e, d, kind, g("name"), None, editing);
            let vpc = g("vpc");
            if !vpc.is_empty() {
                if let Some(o) =
                    d.vpn_gateways.iter().find(|x| x.vpc.as_deref() == Some(vpc) && Some(x.id.as_str()) != editing)
                {
                    e.push(("vpc", format!("{vpc} already has {} attached; one VGW per VPC (T6)", o.id)));
                }
            }
            if let Err(m) = parse_num::<u32>(g("asn"), 1, u32::MAX - 1, "the ASN") {
                e.push(("asn", m));
            }
        }
        RK::CustomerGateway => {
            check_name(e, d, kind, g("name"), None, editing);
            if let Err(m) = parse_ip(g("ip")) {
                e.push(("ip", m));
            }
            if let Err(m) = parse_num::<u32>(g("asn"), 1, u32::MAX - 1, "the BGP ASN") {
                e.push(("asn", m));
            }
        }
        RK::VpnConnection => {
            check_name(e, d, kind, g("name"), None, editing);
            if d.customer_gateway(g("cgw")).is_none() {
                e.push(("cgw", "required: add a customer gateway first (T6)".into()));
            }
            for c in list(g("routes")) {
                if let Err(m) = parse_cidr(&c) {
                    e.push(("routes", m));
                    break;
                }
            }
        }
    }
}

fn eip_user(d: &Design, eip: &str, editing: Option<&str>) -> Option<String> {
    let mine = |id: &str, inst: Option<&str>| editing.is_some_and(|e| e == id || inst == Some(e));
    d.network_interfaces
        .iter()
        .find(|x| x.eip.as_deref() == Some(eip) && !mine(&x.id, x.instance.as_deref()))
        .map(|x| x.id.clone())
        .or_else(|| {
            d.nat_gateways.iter().find(|x| x.eip.as_deref() == Some(eip) && !mine(&x.id, None)).map(|x| x.id.clone())
        })
}

fn check_groups(d: &Design, text: &str, vpc: &str, e: &mut Errors) {
    match resolve_list(d, text, &[RK::SecurityGroup]) {
        Err(m) => e.push(("security_groups", m)),
        Ok(ids) => {
            if ids.len() > 5 {
                e.push(("security_groups", format!("{} groups: at most 5 per interface (S1)", ids.len())));
            } else if let Some(g) = ids.iter().filter_map(|i| d.security_group(i)).find(|g| g.vpc != vpc) {
                e.push((
                    "security_groups",
                    format!("{} is in {}; a group attaches only in its own VPC (S1)", g.id, g.vpc),
                ));
            }
        }
    }
}

fn check_subnets_per_az(d: &Design, text: &str, vpc: &str, key: &'static str, why: &str, e: &mut Errors) {
    match resolve_list(d, text, &[RK::Subnet]) {
        Err(m) => e.push((key, m)),
        Ok(ids) => {
            let subs: Vec<&Subnet> = ids.iter().filter_map(|i| d.subnet(i)).collect();
            if let Some(s) = subs.iter().find(|s| s.vpc != vpc) {
                e.push((key, format!("{} is in {}, not in this VPC", s.id, s.vpc)));
            } else if let Some((a, b)) = subs
                .iter()
                .enumerate()
                .flat_map(|(i, a)| subs[i + 1..].iter().map(move |b| (a, b)))
                .find(|(a, b)| a.az == b.az)
            {
                e.push((key, format!("{} and {} are both in {}: {why}", a.id, b.id, a.az)));
            }
        }
    }
}

fn parse_listener(d: &Design, s: &str) -> Result<Listener, String> {
    let (head, tg) = s.split_once('>').map_or((s, None), |(a, b)| (a, Some(b.trim())));
    let (proto, port) = head.split_once(':').unwrap_or(("tcp", head));
    let protocol = Protocol::parse(proto)?;
    let port = parse_num::<u16>(port, 1, 65535, "a listener port")?;
    let target_group = match tg {
        None | Some("") => None,
        Some(t) => Some(resolve(d, t, &[RK::TargetGroup])?.1),
    };
    Ok(Listener { port, protocol, target_group })
}

fn parse_target_entry(d: &Design, s: &str) -> Result<Target, String> {
    let (id, port) = match s.rsplit_once(':') {
        Some((a, p)) => (a.trim(), Some(parse_num::<u16>(p, 1, 65535, "a target port")?)),
        None => (s.trim(), None),
    };
    if id.parse::<Ipv4Addr>().is_ok() {
        return Ok(Target { id: id.to_string(), port });
    }
    let (_, id) = resolve(d, id, &[RK::Instance])?;
    Ok(Target { id, port })
}

fn parse_tgw_route(d: &Design, tgw: &str, s: &str) -> Result<TgwRoute, String> {
    let (c, a) = s.split_once('>').ok_or_else(|| format!("'{s}': write CIDR>ATTACHMENT or CIDR>blackhole"))?;
    let cidr = parse_cidr(c)?;
    let a = a.trim();
    let attachment = if a.eq_ignore_ascii_case("blackhole") {
        None
    } else {
        let (_, id) = resolve(d, a, &[RK::TgwAttachment])?;
        if d.tgw_attachment(&id).is_some_and(|x| x.tgw != tgw) {
            return Err(format!("{id} belongs to another transit gateway"));
        }
        Some(id)
    };
    Ok(TgwRoute { cidr: cidr.into(), attachment })
}

/// The full service name for what the user typed: a full name, or a short one like `s3`.
fn service_name(d: &Design, region: &str, typed: &str) -> String {
    if typed.starts_with("com.amazonaws.") || d.endpoint_services.iter().any(|s| s.service_name == typed) {
        typed.to_string()
    } else {
        format!("com.amazonaws.{region}.{typed}")
    }
}

fn validate_endpoint(form: &Form, d: &Design, editing: Option<&str>, e: &mut Errors) {
    let g = |k: &str| form.get(k);
    check_name(e, d, RK::VpcEndpoint, g("name"), Some(g("vpc")), editing);
    let Some(vpc) = d.vpc(g("vpc")) else {
        e.push(("vpc", "required: add a VPC first".into()));
        return;
    };
    let kind = enum_pick(&ENDPOINT_KINDS, g("kind"));
    let cat = ServiceCatalog::builtin();
    let name = service_name(d, &vpc.region, g("service"));
    let own_service = d.endpoint_services.iter().find(|s| s.service_name == name);
    let entry = cat.by_service_name(&name);
    if g("service").is_empty() {
        e.push(("service", "required: a service such as s3".into()));
    } else if entry.is_none() && own_service.is_none() {
        e.push((
            "service",
            format!("'{name}' is not a service the catalog knows, nor an endpoint service of this design"),
        ));
    }
    let service_region = entry.map(|s| s.region.clone()).or_else(|| own_service.map(|s| s.region.clone()));
    match kind {
        EndpointKind::Gateway => {
            if let Some(s) = entry {
                if !s.gateway_endpoint {
                    e.push(("service", format!("{name} has no gateway endpoint; choose an interface endpoint (G1)")));
                }
            }
            if service_region.as_deref().is_some_and(|r| r != vpc.region) {
                e.push((
                    "service",
                    format!(
                        "{name} is in another region than {}: gateway endpoints work in their own region (G1)",
                        vpc.id
                    ),
                ));
            }
            match resolve_list(d, g("route_tables"), &[RK::RouteTable]) {
                Err(m) => e.push(("route_tables", m)),
                Ok(ids) => {
                    let pl = entry.and_then(|s| s.prefix_list_id.clone()).unwrap_or_default();
                    for id in ids {
                        let Some(t) = d.route_table(&id) else { continue };
                        if t.vpc != vpc.id {
                            e.push(("route_tables", format!("{id} is not a route table of {}", vpc.id)));
                            break;
                        }
                        let mine = |r: &Route| {
                            editing.is_some_and(|x| r.target == RouteTarget::GatewayEndpoint(x.to_string()))
                        };
                        if t.routes
                            .iter()
                            .any(|r| r.destination == RouteDestination::PrefixList(pl.clone()) && !mine(r))
                        {
                            e.push((
                                "route_tables",
                                format!("{id} already has a route for {pl}; one per service per table (G2)"),
                            ));
                            break;
                        }
                    }
                }
            }
        }
        EndpointKind::Interface | EndpointKind::GatewayLoadBalancer => {
            if let Some(s) = entry {
                if !s.interface_endpoint {
                    e.push(("service", format!("{name} has no interface endpoint; choose a gateway endpoint")));
                }
            }
            if service_region.as_deref().is_some_and(|r| r != vpc.region) && !d.features.cross_region_privatelink {
                e.push((
                    "service",
                    format!("{name} is in another region; cross-region PrivateLink is off for this design (E10)"),
                ));
            }
            check_subnets_per_az(d, g("subnets"), &vpc.id, "subnets", "at most one subnet per AZ (E1)", e);
            check_groups(d, g("security_groups"), &vpc.id, e);
        }
    }
}

/// Whether a destination is 169.254.168.0/22 or a part of it, where no route may go (R7).
fn in_r7(c: Ipv4Net) -> bool {
    net("169.254.168.0/22").contains(&c)
}

fn validate_route(form: &Form, d: &Design, e: &mut Errors) {
    let (rtb, index) = match &form.target {
        FormTarget::NewIn(p) => (p.as_str(), None),
        FormTarget::EditSub { parent, index, .. } => (parent.as_str(), Some(*index)),
        _ => return,
    };
    let Some(rt) = d.route_table(rtb) else {
        e.push(("table", "the route table is gone".into()));
        return;
    };
    let vpc = d.vpc(&rt.vpc);
    let dest_text = form.get("destination");
    let target = parse_target(form.get("target"));
    if target.is_none() {
        e.push(("target", "required: add an internet gateway, NAT gateway or other target first (R5)".into()));
    }
    let dest = if dest_text.starts_with("pl-") {
        let known = d.prefix_list(dest_text).is_some() || ServiceCatalog::builtin().by_prefix_list(dest_text).is_some();
        if !known {
            e.push(("destination", format!("{dest_text} is not a prefix list of this design or of an AWS service")));
            return;
        }
        RouteDestination::PrefixList(dest_text.to_string())
    } else {
        match parse_cidr(dest_text) {
            Err(m) => {
                e.push(("destination", m));
                return;
            }
            Ok(c) => {
                if in_r7(c) {
                    e.push(("destination", format!("{c} is inside 169.254.168.0/22, where no route may go (R7)")));
                    return;
                }
                if let Some(v) = vpc {
                    if let Some(local) = v.cidrs().find(|x| *x == c) {
                        e.push(("destination", format!("the local route already covers {local} (R2)")));
                        return;
                    }
                    if v.cidrs().any(|x| x.contains(&c)) {
                        // More specific than local: only a whole subnet, toward a middlebox (R2).
                        let whole_subnet = d.vpc_subnets(&v.id).any(|s| s.cidr == Some(c));
                        let middlebox = matches!(
                            target,
                            Some(
                                RouteTarget::NatGateway(_)
                                    | RouteTarget::NetworkInterface(_)
                                    | RouteTarget::Instance(_)
                            )
                        );
                        if !whole_subnet {
                            e.push(("destination", format!("{c} is inside the VPC: a route more specific than local must be a whole subnet's CIDR (R2)")));
                            return;
                        }
                        if target.is_some() && !middlebox {
                            e.push((
                                "target",
                                "a route more specific than local must target a NAT gateway or an interface (R2)"
                                    .into(),
                            ));
                        }
                    }
                }
                RouteDestination::Cidr(c.into())
            }
        }
    };
    if let Some((i, _)) = rt.routes.iter().enumerate().find(|(i, r)| r.destination == dest && Some(*i) != index) {
        let _ = i;
        e.push(("destination", format!("{} already has a route for {dest}; one route per destination", rt.name)));
    }
}

fn validate_sg_rule(form: &Form, d: &Design, e: &mut Errors) {
    let (sg_id, index) = match &form.target {
        FormTarget::NewIn(p) => (p.as_str(), None),
        FormTarget::EditSub { parent, index, egress } => (parent.as_str(), Some((*index, *egress))),
        _ => return,
    };
    let Some(sg) = d.security_group(sg_id) else { return };
    let egress = form.get("direction") == "out";
    let protocol = match Protocol::parse(form.get("protocol")) {
        Ok(p) => Some(p),
        Err(m) => {
            e.push(("protocol", m));
            None
        }
    };
    let ports = protocol.and_then(|p| parse_ports(p, form.get("ports")).map_err(|m| e.push(("ports", m))).ok());
    let peer = match parse_peer(d, form.get("peer"), true) {
        Ok(p) => Some(p),
        Err(m) => {
            e.push(("peer", m));
            None
        }
    };
    let rules = if egress { &sg.egress } else { &sg.ingress };
    let same_slot = |i: usize| index.is_some_and(|(j, eg)| j == i && eg == egress);
    if let (Some(protocol), Some(ports), Some(peer)) = (protocol, ports, peer) {
        if rules
            .iter()
            .enumerate()
            .any(|(i, r)| !same_slot(i) && r.protocol == protocol && r.ports == ports && r.peer == peer)
        {
            e.push(("peer", "the group already has this exact rule".into()));
        }
    }
    let count = rules.len() + usize::from(index.is_none_or(|(_, eg)| eg != egress));
    if count > 60 {
        e.push(("direction", "60 rules per direction is the quota (S1)".into()));
    }
}

/// A security group rule's peer: a CIDR, a prefix list, or a group by id or name (S6).
fn parse_peer(d: &Design, s: &str, allow_groups: bool) -> Result<SgPeer, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("required: a CIDR such as 0.0.0.0/0, a security group or a prefix list (S6)".into());
    }
    if t.contains('/') && t.chars().next().is_some_and(|c| c.is_ascii_digit()) && !t.contains("sg-") {
        return parse_cidr(t).map(|c| SgPeer::Cidr(c.into()));
    }
    if t.starts_with("pl-") {
        let known = d.prefix_list(t).is_some() || ServiceCatalog::builtin().by_prefix_list(t).is_some();
        return if known {
            Ok(SgPeer::PrefixList(t.to_string()))
        } else {
            Err(format!("{t} is not a known prefix list"))
        };
    }
    if let Some((acct, g)) = t.split_once('/') {
        if acct.len() == 12 && acct.chars().all(|c| c.is_ascii_digit()) && g.starts_with("sg-") {
            return Ok(SgPeer::SecurityGroup { group: g.to_string(), account: Some(acct.to_string()) });
        }
    }
    if !allow_groups {
        return Err(format!("'{t}' is not a CIDR"));
    }
    resolve(d, t, &[RK::SecurityGroup])
        .map(|(_, id)| SgPeer::group(id))
        .map_err(|_| format!("'{t}' is not a CIDR, a security group of this design, nor a prefix list (S6)"))
}

fn validate_nacl_entry(form: &Form, d: &Design, e: &mut Errors) {
    let (acl_id, index) = match &form.target {
        FormTarget::NewIn(p) => (p.as_str(), None),
        FormTarget::EditSub { parent, index, .. } => (parent.as_str(), Some(*index)),
        _ => return,
    };
    let Some(acl) = d.network_acl(acl_id) else { return };
    let egress = form.get("direction") == "out";
    match parse_num::<u16>(form.get("rule"), 1, 32766, "the rule number") {
        Err(m) => e.push(("rule", format!("{m} (L2)"))),
        Ok(n) => {
            if acl.entries.iter().enumerate().any(|(i, x)| Some(i) != index && x.egress == egress && x.rule_number == n)
            {
                e.push((
                    "rule",
                    format!(
                        "rule {n} already exists {}; numbers are unique per direction (L2)",
                        if egress { "outbound" } else { "inbound" }
                    ),
                ));
            }
        }
    }
    match Protocol::parse(form.get("protocol")) {
        Err(m) => e.push(("protocol", m)),
        Ok(p) => {
            if let Err(m) = parse_ports(p, form.get("ports")) {
                e.push(("ports", m));
            }
        }
    }
    let c = form.get("cidr");
    if c.starts_with("pl-") {
        e.push(("cidr", "a network ACL cannot reference a prefix list (L7)".into()));
    } else if let Err(m) = parse_cidr(c) {
        e.push(("cidr", m));
    }
    let count = acl.entries.iter().filter(|x| x.egress == egress).count() + usize::from(index.is_none());
    if count > 20 {
        e.push(("rule", "20 rules per direction is the quota (L2)".into()));
    }
}

// ---------------------------------------------------------------------------------------------
// Applying a valid form.

/// Apply a validated form to the design. Returns the node to select afterwards. On `Err` the
/// design may be half-changed: the caller restores its snapshot.
pub fn apply(form: &Form, d: &mut Design) -> Result<NodeRef, String> {
    match &form.kind {
        FormKind::Resource(kind) => apply_resource(*kind, form, d),
        FormKind::Route => apply_route(form, d),
        FormKind::SgRule => apply_sg_rule(form, d),
        FormKind::NaclEntry => apply_nacl_entry(form, d),
        FormKind::SaveAs | FormKind::Trace | FormKind::Planner(_) | FormKind::Routes(_) => {
            Err("not a change to the design".into())
        }
    }
}

fn res(kind: ResourceKind, id: Id) -> NodeRef {
    NodeRef::Resource { kind, id }
}

macro_rules! find_mut {
    ($d:expr, $list:ident, $id:expr) => {
        $d.$list.iter_mut().find(|x| x.id == $id).ok_or_else(|| format!("{} is no longer in the design", $id))?
    };
}

/// The id being edited, or a fresh one.
fn id_for(form: &Form, d: &Design, kind: ResourceKind) -> (Id, bool) {
    match &form.target {
        FormTarget::Edit(id) => (id.clone(), true),
        _ => (d.new_id(kind), false),
    }
}

fn ips(text: &str) -> Result<Vec<Ipv4Addr>, String> {
    list(text).iter().map(|t| parse_ip(t)).collect()
}

fn opt(s: &str) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

fn apply_resource(kind: ResourceKind, form: &Form, d: &mut Design) -> Result<NodeRef, String> {
    let g = |k: &str| form.get(k).to_string();
    let (id, edit) = id_for(form, d, kind);
    match kind {
        RK::Vpc => {
            let secondary: Vec<Ipv4Net> =
                list(&g("secondary")).iter().map(|c| parse_cidr(c)).collect::<Result<_, _>>()?;
            let id = if edit { id } else { d.add_vpc(&g("name"), &g("region"), parse_cidr(&g("cidr"))?) };
            let old: Vec<Ipv4Net> = d.vpc(&id).map(|v| v.secondary_cidrs.clone()).unwrap_or_default();
            for c in old.iter().filter(|c| !secondary.contains(c)) {
                if let Some(v) = d.vpcs.iter_mut().find(|v| v.id == id) {
                    v.secondary_cidrs.retain(|x| x != c);
                }
                for rt in d.route_tables.iter_mut().filter(|r| r.vpc == id) {
                    rt.routes.retain(|r| !(r.is_local() && r.destination == RouteDestination::Cidr((*c).into())));
                }
            }
            for c in secondary.iter().filter(|c| !old.contains(c)) {
                d.add_vpc_cidr(&id, *c).map_err(|e| e.to_string())?;
            }
            let v = find_mut!(d, vpcs, id);
            v.name = g("name");
            v.enable_dns_support = form.flag("dns_support");
            v.enable_dns_hostnames = form.flag("dns_hostnames");
            Ok(res(kind, id))
        }
        RK::Subnet => {
            let cidr = parse_cidr(&g("cidr"))?;
            if edit {
                let s = find_mut!(d, subnets, id);
                s.name = g("name");
                s.cidr = Some(cidr);
                s.map_public_ip_on_launch = form.flag("public_ip");
            } else {
                let mut s = Subnet::new(id.clone(), g("name"), g("vpc"), cidr, g("az"));
                s.map_public_ip_on_launch = form.flag("public_ip");
                d.subnets.push(s);
            }
            let rt = g("route_table");
            if rt.is_empty() {
                for t in &mut d.route_tables {
                    t.subnets.retain(|x| *x != id);
                }
            } else {
                d.associate_route_table(&id, &rt).map_err(|e| e.to_string())?;
            }
            Ok(res(kind, id))
        }
        RK::RouteTable => {
            let subnets = resolve_list(d, &g("subnets"), &[RK::Subnet])?;
            let gateways = resolve_list(d, &g("gateways"), &[RK::InternetGateway, RK::VpnGateway])?;
            let vgws = resolve_list(d, &g("propagation"), &[RK::VpnGateway])?;
            if !edit {
                let cidrs: Vec<Ipv4Net> = d.vpc(&g("vpc")).map(|v| v.cidrs().collect()).unwrap_or_default();
                d.route_tables.push(RouteTable::new(id.clone(), g("name"), g("vpc"), cidrs));
            }
            {
                let t = find_mut!(d, route_tables, id);
                t.name = g("name");
                t.gateways = gateways;
                t.propagating_vgws = vgws;
                // Subnets dropped from the list fall back to the main table (R1).
                t.subnets.retain(|s| subnets.contains(s));
            }
            for s in &subnets {
                d.associate_route_table(s, &id).map_err(|e| e.to_string())?;
            }
            if form.flag("main") {
                d.set_main_route_table(&id).map_err(|e| e.to_string())?;
            }
            Ok(res(kind, id))
        }
        RK::InternetGateway => {
            let vpc = opt(&g("vpc"));
            if edit {
                let x = find_mut!(d, internet_gateways, id);
                x.name = g("name");
                x.vpc = vpc;
            } else {
                d.internet_gateways.push(InternetGateway { id: id.clone(), name: g("name"), vpc });
            }
            Ok(res(kind, id))
        }
        RK::EgressOnlyInternetGateway => {
            if edit {
                let x = find_mut!(d, egress_only_internet_gateways, id);
                x.name = g("name");
            } else {
                d.egress_only_internet_gateways.push(EgressOnlyInternetGateway {
                    id: id.clone(),
                    name: g("name"),
                    vpc: g("vpc"),
                });
            }
            Ok(res(kind, id))
        }
        RK::NatGateway => {
            let subnet = d.subnet(&g("subnet")).cloned().ok_or("the subnet is gone")?;
            let ip = if g("private_ip").is_empty() {
                match d.nat_gateway(&id) {
                    Some(n) if edit => n.private_ip,
                    _ => first_free_ip(d, &subnet, &[]).ok_or("the subnet has no free address (A6)")?,
                }
            } else {
                parse_ip(&g("private_ip"))?
            };
            let eip = match g("eip").as_str() {
                "" => None,
                "new" => {
                    let eid = d.new_id(RK::ElasticIp);
                    let public_ip = placeholder_public_ip(d);
                    d.elastic_ips.push(ElasticIp {
                        id: eid.clone(),
                        name: format!("{}-eip", g("name")),
                        public_ip,
                        placeholder: true,
                    });
                    Some(eid)
                }
                other => Some(other.to_string()),
            };
            let connectivity = enum_pick(&NAT_KINDS, &g("connectivity"));
            let state = enum_pick(&NAT_STATES, &g("state"));
            if edit {
                let n = find_mut!(d, nat_gateways, id);
                n.name = g("name");
                n.private_ip = ip;
                n.eip = eip;
                n.connectivity = connectivity;
                n.state = state;
            } else {
                d.nat_gateways.push(NatGateway {
                    id: id.clone(),
                    name: g("name"),
                    subnet: subnet.id.clone(),
                    connectivity,
                    private_ip: ip,
                    eip,
                    state,
                    placeholder: false,
                });
            }
            Ok(res(kind, id))
        }
        RK::ElasticIp => {
            let public_ip = parse_ip(&g("public_ip"))?;
            if edit {
                let x = find_mut!(d, elastic_ips, id);
                x.name = g("name");
                x.public_ip = public_ip;
                x.placeholder = false;
            } else {
                d.elastic_ips.push(ElasticIp { id: id.clone(), name: g("name"), public_ip, placeholder: false });
            }
            Ok(res(kind, id))
        }
        RK::Instance => {
            let subnet = d.subnet(&g("subnet")).cloned().ok_or("the subnet is gone")?;
            let mut groups = resolve_list(d, &g("security_groups"), &[RK::SecurityGroup])?;
            if groups.is_empty() {
                groups.extend(d.default_security_group(&subnet.vpc).map(|x| x.id.clone()));
            }
            let public_ip = if g("public_ip").is_empty() { None } else { Some(parse_ip(&g("public_ip"))?) };
            let state = enum_pick(&INSTANCE_STATES, &g("state"));
            let primary = d.instance_interfaces(&id).first().map(|e| (e.id.clone(), e.primary_ip()));
            let ip = if g("private_ip").is_empty() {
                match primary.as_ref().and_then(|(_, ip)| *ip) {
                    Some(ip) => ip,
                    None => first_free_ip(d, &subnet, &[]).ok_or("the subnet has no free address (A6)")?,
                }
            } else {
                parse_ip(&g("private_ip"))?
            };
            if edit {
                let i = find_mut!(d, instances, id);
                i.name = g("name");
                i.instance_type = g("type");
                i.state = state;
                i.role = g("role");
            } else {
                d.instances.push(Instance {
                    id: id.clone(),
                    name: g("name"),
                    instance_type: g("type"),
                    state,
                    role: g("role"),
                });
            }
            let eni_id = match primary {
                Some((e, _)) => e,
                None => {
                    let e = d.new_id(RK::NetworkInterface);
                    let mut nic =
                        NetworkInterface::new(e.clone(), format!("{}-eth0", g("name")), subnet.id.clone(), ip);
                    nic.instance = Some(id.clone());
                    d.network_interfaces.push(nic);
                    e
                }
            };
            let nic = find_mut!(d, network_interfaces, eni_id);
            if let Some(first) = nic.private_ips.first_mut() {
                *first = ip;
            } else {
                nic.private_ips.push(ip);
            }
            nic.public_ip = public_ip;
            nic.security_groups = groups;
            nic.source_dest_check = form.flag("src_dst_check");
            Ok(res(kind, id))
        }
        RK::NetworkInterface => {
            let subnet = d.subnet(&g("subnet")).cloned().ok_or("the subnet is gone")?;
            let mut addrs = ips(&g("private_ips"))?;
            if addrs.is_empty() {
                addrs.push(first_free_ip(d, &subnet, &[]).ok_or("the subnet has no free address (A6)")?);
            }
            let mut groups = resolve_list(d, &g("security_groups"), &[RK::SecurityGroup])?;
            if groups.is_empty() {
                groups.extend(d.default_security_group(&subnet.vpc).map(|x| x.id.clone()));
            }
            let public_ip = if g("public_ip").is_empty() { None } else { Some(parse_ip(&g("public_ip"))?) };
            let device_index = parse_num::<u32>(&g("device_index"), 0, 31, "the device index")?;
            if !edit {
                d.network_interfaces.push(NetworkInterface::new(id.clone(), g("name"), subnet.id.clone(), addrs[0]));
            }
            let nic = find_mut!(d, network_interfaces, id);
            nic.name = g("name");
            nic.private_ips = addrs;
            nic.public_ip = public_ip;
            nic.eip = opt(&g("eip"));
            nic.security_groups = groups;
            nic.instance = opt(&g("instance"));
            nic.device_index = device_index;
            nic.source_dest_check = form.flag("src_dst_check");
            Ok(res(kind, id))
        }
        RK::SecurityGroup => {
            if edit {
                let x = find_mut!(d, security_groups, id);
                x.name = g("name");
                x.description = g("description");
            } else {
                let mut sg = SecurityGroup::new(id.clone(), g("name"), g("vpc"));
                sg.description = g("description");
                d.security_groups.push(sg);
            }
            Ok(res(kind, id))
        }
        RK::NetworkAcl => {
            let subnets = resolve_list(d, &g("subnets"), &[RK::Subnet])?;
            if !edit {
                d.network_acls.push(NetworkAcl::new_custom(id.clone(), g("name"), g("vpc")));
            }
            {
                let a = find_mut!(d, network_acls, id);
                a.name = g("name");
                // Subnets dropped from the list fall back to the default ACL (L1).
                a.subnets.retain(|s| subnets.contains(s));
            }
            for s in &subnets {
                d.associate_network_acl(s, &id).map_err(|e| e.to_string())?;
            }
            Ok(res(kind, id))
        }
        RK::VpcPeering => {
            let status = PeeringStatus::from_api(&g("status")).unwrap_or_default();
            if edit {
                let p = find_mut!(d, peerings, id);
                p.name = g("name");
                p.status = status;
                p.allow_dns_resolution = form.flag("dns");
            } else {
                d.peerings.push(VpcPeering {
                    id: id.clone(),
                    name: g("name"),
                    requester_vpc: g("requester"),
                    accepter_vpc: g("accepter"),
                    status,
                    allow_dns_resolution: form.flag("dns"),
                });
            }
            Ok(res(kind, id))
        }
        RK::PrefixList => {
            let cidrs: Vec<Ipv4Net> = list(&g("cidrs")).iter().map(|c| parse_cidr(c)).collect::<Result<_, _>>()?;
            if edit {
                let p = find_mut!(d, prefix_lists, id);
                p.name = g("name");
                p.region = g("region");
                p.cidrs = cidrs.into_iter().map(ipnet::IpNet::V4).collect();
            } else {
                d.prefix_lists.push(PrefixList {
                    id: id.clone(),
                    name: g("name"),
                    region: g("region"),
                    cidrs: cidrs.into_iter().map(ipnet::IpNet::V4).collect(),
                    aws_managed: false,
                });
            }
            Ok(res(kind, id))
        }
        RK::VpcEndpoint => apply_endpoint(form, d, id, edit),
        RK::EndpointService => {
            let lbs = resolve_list(d, &g("load_balancers"), &[RK::LoadBalancer])?;
            let region = g("region");
            if edit {
                let s = find_mut!(d, endpoint_services, id);
                s.name = g("name");
                s.load_balancers = lbs;
                s.acceptance_required = form.flag("acceptance");
                s.allowed_principals = list(&g("principals"));
            } else {
                d.endpoint_services.push(EndpointService {
                    id: id.clone(),
                    name: g("name"),
                    service_name: format!("com.amazonaws.vpce.{region}.{id}"),
                    region,
                    load_balancers: lbs,
                    acceptance_required: form.flag("acceptance"),
                    allowed_principals: list(&g("principals")),
                });
            }
            Ok(res(kind, id))
        }
        RK::LoadBalancer => {
            let subnets = resolve_list(d, &g("subnets"), &[RK::Subnet])?;
            let groups = resolve_list(d, &g("security_groups"), &[RK::SecurityGroup])?;
            let listeners: Vec<Listener> =
                list(&g("listeners")).iter().map(|l| parse_listener(d, l)).collect::<Result<_, _>>()?;
            let old_nodes: Vec<LoadBalancerNode> = d.load_balancer(&id).map(|l| l.nodes.clone()).unwrap_or_default();
            let mut nodes = Vec::new();
            for s in &subnets {
                if let Some(n) = old_nodes.iter().find(|n| n.subnet == *s) {
                    nodes.push(n.clone());
                    continue;
                }
                let sub = d.subnet(s).cloned().ok_or("a subnet is gone")?;
                let taken: Vec<Ipv4Addr> = nodes.iter().map(|n: &LoadBalancerNode| n.private_ip).collect();
                let ip =
                    first_free_ip(d, &sub, &taken).ok_or_else(|| format!("{} has no free address (A6)", sub.id))?;
                nodes.push(LoadBalancerNode { subnet: s.clone(), private_ip: ip, public_ip: None, placeholder: true });
            }
            if !edit {
                d.load_balancers.push(LoadBalancer {
                    id: id.clone(),
                    name: g("name"),
                    vpc: g("vpc"),
                    kind: LoadBalancerKind::Network,
                    scheme: LoadBalancerScheme::Internal,
                    nodes: Vec::new(),
                    security_groups: Vec::new(),
                    listeners: Vec::new(),
                    dns_name: String::new(),
                });
            }
            let l = find_mut!(d, load_balancers, id);
            l.name = g("name");
            l.kind = enum_pick(&LB_KINDS, &g("kind"));
            l.scheme = enum_pick(&LB_SCHEMES, &g("scheme"));
            l.nodes = nodes;
            l.security_groups = groups;
            l.listeners = listeners;
            Ok(res(kind, id))
        }
        RK::TargetGroup => {
            let protocol = Protocol::parse(&g("protocol"))?;
            let port = parse_num::<u16>(&g("port"), 1, 65535, "the port")?;
            let targets: Vec<Target> =
                list(&g("targets")).iter().map(|t| parse_target_entry(d, t)).collect::<Result<_, _>>()?;
            if edit {
                let t = find_mut!(d, target_groups, id);
                t.name = g("name");
                t.protocol = protocol;
                t.port = port;
                t.targets = targets;
            } else {
                d.target_groups.push(TargetGroup {
                    id: id.clone(),
                    name: g("name"),
                    vpc: g("vpc"),
                    protocol,
                    port,
                    targets,
                });
            }
            Ok(res(kind, id))
        }
        RK::TransitGateway => {
            let asn = parse_num::<u32>(&g("asn"), 1, u32::MAX - 1, "the ASN")?;
            if edit {
                let t = find_mut!(d, transit_gateways, id);
                t.name = g("name");
                t.asn = asn;
                t.default_association = form.flag("default_association");
                t.default_propagation = form.flag("default_propagation");
            } else {
                // AWS creates the default route table with the gateway (T3).
                d.transit_gateways.push(TransitGateway {
                    id: id.clone(),
                    name: g("name"),
                    region: g("region"),
                    asn,
                    default_association: form.flag("default_association"),
                    default_propagation: form.flag("default_propagation"),
                    default_route_table: None,
                });
                let rt = d.new_id(RK::TgwRouteTable);
                d.tgw_route_tables.push(TgwRouteTable {
                    id: rt.clone(),
                    name: format!("{}-default", g("name")),
                    tgw: id.clone(),
                    propagations: Vec::new(),
                    static_routes: Vec::new(),
                });
                let t = find_mut!(d, transit_gateways, id);
                t.default_route_table = Some(rt);
            }
            Ok(res(kind, id))
        }
        RK::TgwAttachment => {
            let state = enum_pick(&ATTACH_STATES, &g("state"));
            let association = opt(&g("association"));
            if edit {
                let subnets = resolve_list(d, &g("subnets"), &[RK::Subnet])?;
                let a = find_mut!(d, tgw_attachments, id);
                a.name = g("name");
                a.state = state;
                a.association = association;
                if let TgwAttachmentKind::Vpc { subnets: s, .. } = &mut a.kind {
                    *s = subnets;
                }
            } else {
                let kind_ = match g("type").as_str() {
                    "vpc" => TgwAttachmentKind::Vpc {
                        vpc: g("vpc"),
                        subnets: resolve_list(d, &g("subnets"), &[RK::Subnet])?,
                    },
                    "vpn" => TgwAttachmentKind::Vpn { vpn: g("vpn") },
                    _ => TgwAttachmentKind::Peering { peer_tgw: g("peer") },
                };
                let tgw = g("tgw");
                d.tgw_attachments.push(TgwAttachment {
                    id: id.clone(),
                    name: g("name"),
                    tgw: tgw.clone(),
                    kind: kind_,
                    state,
                    association,
                    ipv6_support: false,
                });
                // Default propagation puts the new attachment's routes in the default table (T3).
                let default = d
                    .transit_gateway(&tgw)
                    .filter(|t| t.default_propagation)
                    .and_then(|t| t.default_route_table.clone());
                if let Some(rt) = default {
                    if let Some(t) = d.tgw_route_tables.iter_mut().find(|t| t.id == rt) {
                        t.propagations.push(id.clone());
                    }
                }
            }
            Ok(res(kind, id))
        }
        RK::TgwRouteTable => {
            let tgw = g("tgw");
            let props = resolve_list(d, &g("propagations"), &[RK::TgwAttachment])?;
            let routes: Vec<TgwRoute> =
                list(&g("routes")).iter().map(|r| parse_tgw_route(d, &tgw, r)).collect::<Result<_, _>>()?;
            if !edit {
                d.tgw_route_tables.push(TgwRouteTable {
                    id: id.clone(),
                    name: g("name"),
                    tgw,
                    propagations: Vec::new(),
                    static_routes: Vec::new(),
                });
            }
            let t = find_mut!(d, tgw_route_tables, id);
            t.name = g("name");
            t.propagations = props;
            t.static_routes = routes;
            Ok(res(kind, id))
        }
        RK::VpnGateway => {
            let asn = parse_num::<u32>(&g("asn"), 1, u32::MAX - 1, "the ASN")?;
            if edit {
                let x = find_mut!(d, vpn_gateways, id);
                x.name = g("name");
                x.vpc = opt(&g("vpc"));
                x.asn = asn;
            } else {
                d.vpn_gateways.push(VpnGateway { id: id.clone(), name: g("name"), vpc: opt(&g("vpc")), asn });
            }
            Ok(res(kind, id))
        }
        RK::CustomerGateway => {
            let ip = parse_ip(&g("ip"))?;
            let bgp_asn = parse_num::<u32>(&g("asn"), 1, u32::MAX - 1, "the BGP ASN")?;
            if edit {
                let x = find_mut!(d, customer_gateways, id);
                x.name = g("name");
                x.ip = ip;
                x.bgp_asn = bgp_asn;
            } else {
                d.customer_gateways.push(CustomerGateway { id: id.clone(), name: g("name"), ip, bgp_asn });
            }
            Ok(res(kind, id))
        }
        RK::VpnConnection => {
            let routes: Vec<Ipv4Net> = list(&g("routes")).iter().map(|c| parse_cidr(c)).collect::<Result<_, _>>()?;
            let gw = g("gateway");
            let (vgw, tgw) = match gw.split_once(':') {
                Some(("vgw", x)) => (Some(x.to_string()), None),
                Some(("tgw", x)) => (None, Some(x.to_string())),
                _ => (None, None),
            };
            let state = enum_pick(&VPN_STATES, &g("state"));
            if !edit {
                d.vpn_connections.push(VpnConnection {
                    id: id.clone(),
                    name: g("name"),
                    customer_gateway: g("cgw"),
                    vpn_gateway: None,
                    transit_gateway: None,
                    static_routes_only: false,
                    routes: Vec::new(),
                    state,
                });
            }
            let c = find_mut!(d, vpn_connections, id);
            c.name = g("name");
            c.customer_gateway = g("cgw");
            c.vpn_gateway = vgw;
            c.transit_gateway = tgw;
            c.static_routes_only = form.flag("static");
            c.routes = routes;
            c.state = state;
            Ok(res(kind, id))
        }
    }
}

fn apply_endpoint(form: &Form, d: &mut Design, id: Id, edit: bool) -> Result<NodeRef, String> {
    let g = |k: &str| form.get(k).to_string();
    let vpc = d.vpc(&g("vpc")).cloned().ok_or("the VPC is gone")?;
    let kind = enum_pick(&ENDPOINT_KINDS, &g("kind"));
    let service = service_name(d, &vpc.region, &g("service"));
    let tables = resolve_list(d, &g("route_tables"), &[RK::RouteTable])?;
    let subnets = resolve_list(d, &g("subnets"), &[RK::Subnet])?;
    let groups = resolve_list(d, &g("security_groups"), &[RK::SecurityGroup])?;
    let state = EndpointState::from_api(&g("state")).unwrap_or_default();
    let id = if edit {
        id
    } else if kind == EndpointKind::Gateway {
        d.add_gateway_endpoint(&vpc.id, &service, &tables, ServiceCatalog::builtin()).map_err(|e| e.to_string())?
    } else {
        d.endpoints.push(VpcEndpoint {
            id: id.clone(),
            name: String::new(),
            vpc: vpc.id.clone(),
            kind,
            service_name: service.clone(),
            state,
            route_tables: Vec::new(),
            interfaces: Vec::new(),
            security_groups: Vec::new(),
            private_dns_enabled: false,
            dns_suffix: format!("{:08x}", d.endpoints.len() as u32 * 0x9e37_79b9 + 0x1234_5678),
        });
        id
    };
    if kind == EndpointKind::Gateway && edit {
        // Keep the managed pl → vpce routes in step with the chosen tables (G2).
        let pl = ServiceCatalog::builtin()
            .by_service_name(&service)
            .and_then(|s| s.prefix_list_id.clone())
            .unwrap_or_default();
        let old = d.endpoint(&id).map(|e| e.route_tables.clone()).unwrap_or_default();
        for t in d.route_tables.iter_mut() {
            let was = old.contains(&t.id);
            let now = tables.contains(&t.id);
            if was && !now {
                t.routes.retain(|r| r.target != RouteTarget::GatewayEndpoint(id.clone()));
            } else if now && !was {
                t.routes.push(Route::gateway_endpoint(pl.clone(), id.clone()));
            }
        }
    }
    let mut interfaces = Vec::new();
    if kind != EndpointKind::Gateway {
        let old = d.endpoint(&id).map(|e| e.interfaces.clone()).unwrap_or_default();
        for s in &subnets {
            if let Some(i) = old.iter().find(|i| i.subnet == *s) {
                interfaces.push(i.clone());
                continue;
            }
            let sub = d.subnet(s).cloned().ok_or("a subnet is gone")?;
            let taken: Vec<Ipv4Addr> = interfaces.iter().map(|i: &EndpointInterface| i.ip).collect();
            let ip = first_free_ip(d, &sub, &taken).ok_or_else(|| format!("{} has no free address (A6)", sub.id))?;
            interfaces.push(EndpointInterface { subnet: s.clone(), ip, eni: None, placeholder: true });
        }
    }
    let e = find_mut!(d, endpoints, id);
    e.name = g("name");
    e.state = state;
    if kind == EndpointKind::Gateway {
        e.route_tables = tables;
    } else {
        e.interfaces = interfaces;
        e.security_groups = groups;
        e.private_dns_enabled = form.flag("private_dns");
    }
    Ok(res(RK::VpcEndpoint, id))
}

fn apply_route(form: &Form, d: &mut Design) -> Result<NodeRef, String> {
    let (rtb, index) = match &form.target {
        FormTarget::NewIn(p) => (p.clone(), None),
        FormTarget::EditSub { parent, index, .. } => (parent.clone(), Some(*index)),
        _ => return Err("a route belongs to a route table".into()),
    };
    let dest_text = form.get("destination");
    let destination = if dest_text.starts_with("pl-") {
        RouteDestination::PrefixList(dest_text.to_string())
    } else {
        RouteDestination::Cidr(parse_cidr(dest_text)?.into())
    };
    let target = parse_target(form.get("target")).ok_or("choose a target (R5)")?;
    let rt = find_mut!(d, route_tables, rtb);
    let route = Route { destination, target, state: RouteState::Active, origin: RouteOrigin::Static };
    let i = match index {
        Some(i) if i < rt.routes.len() => {
            rt.routes[i] = route;
            i
        }
        _ => {
            rt.routes.push(route);
            rt.routes.len() - 1
        }
    };
    Ok(NodeRef::Route { rtb, index: i })
}

fn apply_sg_rule(form: &Form, d: &mut Design) -> Result<NodeRef, String> {
    let (sg, old) = match &form.target {
        FormTarget::NewIn(p) => (p.clone(), None),
        FormTarget::EditSub { parent, index, egress } => (parent.clone(), Some((*index, *egress))),
        _ => return Err("a rule belongs to a security group".into()),
    };
    let protocol = Protocol::parse(form.get("protocol"))?;
    let ports = parse_ports(protocol, form.get("ports"))?;
    let peer = parse_peer(d, form.get("peer"), true)?;
    let egress = form.get("direction") == "out";
    let rule = SgRule { protocol, ports, peer, description: form.get("description").to_string() };
    let g = find_mut!(d, security_groups, sg);
    if let Some((i, was_egress)) = old {
        let from = if was_egress { &mut g.egress } else { &mut g.ingress };
        if i < from.len() {
            from.remove(i);
        }
        if was_egress == egress {
            let to = if egress { &mut g.egress } else { &mut g.ingress };
            let at = i.min(to.len());
            to.insert(at, rule);
            return Ok(NodeRef::SgRule { sg, egress, index: at });
        }
    }
    let to = if egress { &mut g.egress } else { &mut g.ingress };
    to.push(rule);
    let index = to.len() - 1;
    Ok(NodeRef::SgRule { sg, egress, index })
}

fn apply_nacl_entry(form: &Form, d: &mut Design) -> Result<NodeRef, String> {
    let (acl, index) = match &form.target {
        FormTarget::NewIn(p) => (p.clone(), None),
        FormTarget::EditSub { parent, index, .. } => (parent.clone(), Some(*index)),
        _ => return Err("an entry belongs to a network ACL".into()),
    };
    let protocol = Protocol::parse(form.get("protocol"))?;
    let entry = NaclEntry {
        rule_number: parse_num::<u16>(form.get("rule"), 1, 32766, "the rule number")?,
        egress: form.get("direction") == "out",
        action: enum_pick(&ACTIONS, form.get("action")),
        protocol,
        ports: parse_ports(protocol, form.get("ports"))?,
        cidr: parse_cidr(form.get("cidr"))?.into(),
    };
    let a = find_mut!(d, network_acls, acl);
    let i = match index {
        Some(i) if i < a.entries.len() => {
            a.entries[i] = entry;
            i
        }
        _ => {
            a.entries.push(entry);
            a.entries.len() - 1
        }
    };
    Ok(NodeRef::NaclEntry { acl, index: i })
}

/// Delete a route, rule or entry. Refuses what AWS manages (R2, G2).
pub fn delete_sub(node: &NodeRef, d: &mut Design) -> Result<String, String> {
    match node {
        NodeRef::Route { rtb, index } => {
            let rt = find_mut!(d, route_tables, *rtb);
            let r = rt.routes.get(*index).ok_or("the route is gone")?;
            if r.is_local() {
                return Err("the local route cannot be deleted (R2)".into());
            }
            if r.origin == RouteOrigin::EndpointManaged {
                return Err("this route belongs to a gateway endpoint: remove the table from the endpoint (G2)".into());
            }
            let r = rt.routes.remove(*index);
            Ok(format!("deleted route {} → {} from {}", r.destination, r.target, rt.name))
        }
        NodeRef::SgRule { sg, egress, index } => {
            let g = find_mut!(d, security_groups, *sg);
            let rules = if *egress { &mut g.egress } else { &mut g.ingress };
            if *index >= rules.len() {
                return Err("the rule is gone".into());
            }
            rules.remove(*index);
            Ok(format!("deleted a rule of {}", g.name))
        }
        NodeRef::NaclEntry { acl, index } => {
            let a = find_mut!(d, network_acls, *acl);
            if *index >= a.entries.len() {
                return Err("the entry is gone".into());
            }
            let e = a.entries.remove(*index);
            Ok(format!("deleted entry {} of {}", e.rule_number, a.name))
        }
        _ => Err("not a route, rule or entry".into()),
    }
}
