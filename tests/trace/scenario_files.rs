//! The engine's scenarios as data: every file in `tests/scenarios/` builds a design (the §13
//! default topology, a built-in example or an empty design, then a few edits), traces its
//! flows and checks the verdict, the explanation code, the hop that stopped the flow and any
//! hops named. The format is described in `tests/scenarios/README.md`.

use crate::scenario_services::FindingExpect;
use serde::Deserialize;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;
use vpcraft::rules::Rule;
use vpcraft::sim::{Code, ComponentKind, Hop as TraceHop, HopAction, TraceIndex, TraceRequest, TraceResult};

/// One scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What it shows, in a sentence.
    pub title: String,
    /// The rules of the semantics document it exercises.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// The design it starts from.
    pub design: Start,
    /// Edits to that design.
    #[serde(default)]
    pub build: Vec<Edit>,
    /// Flows traced on it.
    #[serde(default)]
    pub flows: Vec<Flow>,
    /// Findings `vpcraft audit` must (or must not) report on it.
    #[serde(default)]
    pub audit: Vec<FindingExpect>,
    /// Findings `vpcraft check` must (or must not) report on it.
    #[serde(default)]
    pub checks: Vec<FindingExpect>,
    /// Further steps: more edits, more flows, on the same design.
    #[serde(default)]
    pub then: Vec<Step>,
}

/// Edits and the flows traced after them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    #[serde(default)]
    pub build: Vec<Edit>,
    #[serde(default)]
    pub flows: Vec<Flow>,
    #[serde(default)]
    pub audit: Vec<FindingExpect>,
    #[serde(default)]
    pub checks: Vec<FindingExpect>,
}

/// Where a scenario starts.
#[derive(Debug, Clone, Deserialize)]
pub enum Start {
    /// Section 13's defaults: VPC `A` 10.0.0.0/16 in ap-northeast-2; subnets `public`
    /// 10.0.0.0/24 (table `RT-pub`: local, 0/0 → `igw`) and `private` 10.0.1.0/24 (`RT-priv`:
    /// local); default NACL; group `app` allowing all outbound and nothing inbound.
    Section13,
    /// A built-in example design.
    Example(String),
    /// An empty design.
    Empty { name: String, region: String },
}

/// A security group rule.
#[derive(Debug, Clone, Deserialize)]
pub enum SgRuleSpec {
    /// TCP to one port from (or to) a CIDR, a group name or a prefix-list id.
    Tcp { port: u16, peer: String },
    /// Every protocol and port.
    All { peer: String },
}

/// A network ACL entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AclEntry {
    pub rule: u16,
    #[serde(default)]
    pub egress: bool,
    pub action: RuleAction,
    #[serde(default = "tcp")]
    pub proto: String,
    /// `80`, `1024-65535` or `all`.
    #[serde(default = "all")]
    pub ports: String,
    pub cidr: String,
}

fn tcp() -> String {
    "tcp".into()
}

fn all() -> String {
    "all".into()
}

/// An edit. Resources are named by their names (or ids); ids are assigned as the model's
/// builder assigns them.
#[derive(Debug, Clone, Deserialize)]
pub enum Edit {
    Vpc {
        name: String,
        cidr: String,
        region: Option<String>,
    },
    Subnet {
        name: String,
        vpc: String,
        cidr: String,
        az: String,
    },
    Igw {
        name: String,
        vpc: String,
    },
    RouteTable {
        name: String,
        vpc: String,
        #[serde(default)]
        subnets: Vec<String>,
    },
    /// A static route; `via` names the target (a resource, or an id the design does not hold yet).
    Route {
        table: String,
        to: String,
        via: String,
    },
    /// Remove every route but the local ones.
    KeepOnlyLocalRoutes {
        table: String,
    },
    Associate {
        table: String,
        subnet: String,
    },
    SecurityGroup {
        name: String,
        vpc: String,
    },
    Inbound {
        group: String,
        rules: Vec<SgRuleSpec>,
    },
    SetInbound {
        group: String,
        rules: Vec<SgRuleSpec>,
    },
    SetOutbound {
        group: String,
        rules: Vec<SgRuleSpec>,
    },
    /// A running instance with one interface (`<name>-eth0`); an Elastic IP or an
    /// auto-assigned public address; its source/destination check.
    Instance {
        name: String,
        subnet: String,
        ip: String,
        #[serde(default)]
        groups: Vec<String>,
        eip: Option<String>,
        public_ip: Option<String>,
        source_dest_check: Option<bool>,
    },
    /// A custom NACL (deny all until entries are added) for the subnets.
    Nacl {
        name: String,
        vpc: String,
        #[serde(default)]
        subnets: Vec<String>,
        #[serde(default)]
        entries: Vec<AclEntry>,
    },
    /// A public NAT gateway with a new Elastic IP.
    NatGateway {
        name: String,
        subnet: String,
        ip: String,
        eip: String,
    },
    /// A regional NAT gateway (N9) with a new Elastic IP; `table` is its own route table
    /// (absent: the one AWS makes, 0.0.0.0/0 → the internet gateway).
    RegionalNatGateway {
        name: String,
        vpc: String,
        eip: String,
        #[serde(default)]
        table: Option<String>,
    },
    Peering {
        name: String,
        from: String,
        to: String,
        status: PeeringStatus,
    },
    /// A gateway endpoint for a service's short name (`s3`) on route tables.
    GatewayEndpoint {
        vpc: String,
        service: String,
        tables: Vec<String>,
    },
    /// An interface endpoint: `service` is an AWS service name, or the name of an endpoint
    /// service of the design.
    InterfaceEndpoint {
        vpc: String,
        service: String,
        interfaces: Vec<(String, String)>,
        #[serde(default)]
        groups: Vec<String>,
        #[serde(default)]
        private_dns: bool,
        state: Option<EndpointState>,
    },
    VpcDns {
        vpc: String,
        hostnames: Option<bool>,
        support: Option<bool>,
    },
    /// A transit gateway with a default route table every attachment associates with and
    /// propagates into (T3): one attachment per (VPC, subnets).
    TransitGateway {
        name: String,
        attachments: Vec<(String, Vec<String>)>,
    },
    VpnGateway {
        name: String,
        vpc: String,
    },
    CustomerGateway {
        name: String,
        ip: String,
        asn: u32,
    },
    VpnConnection {
        name: String,
        customer_gateway: String,
        vpn_gateway: String,
        routes: Vec<String>,
    },
    /// A route table takes the routes a virtual private gateway propagates (T6).
    Propagate {
        table: String,
        vgw: String,
    },
    /// Targets by name; `target_type: Lambda` (a Lambda function, M10) or `Alb` (an application
    /// load balancer, M11) keeps the type and registers the named resource without a port.
    TargetGroup {
        name: String,
        vpc: String,
        port: u16,
        targets: Vec<String>,
        #[serde(default)]
        target_type: Option<TargetType>,
    },
    /// An op through the model's op layer (`vpcraft::model::ops::Op` as RON spells it); with
    /// `refused`, the op must be refused citing that rule.
    Op {
        op: vpcraft::model::ops::Op,
        #[serde(default)]
        refused: Option<Rule>,
    },
    /// An internal network load balancer: nodes as (subnet, address), listeners as
    /// (port, target group).
    LoadBalancer {
        name: String,
        vpc: String,
        nodes: Vec<(String, String)>,
        listeners: Vec<(u16, String)>,
    },
    /// An endpoint service (PrivateLink) in front of load balancers.
    EndpointService {
        name: String,
        load_balancers: Vec<String>,
        acceptance: bool,
    },
    SetEndpointState {
        endpoint: String,
        state: EndpointState,
    },
    SetPeeringStatus {
        peering: String,
        status: PeeringStatus,
    },
    /// A DB subnet group (M1).
    DbSubnetGroup {
        name: String,
        service: DatabaseService,
        subnets: Vec<String>,
    },
    /// A database, cache or search domain with one interface per (subnet, address) (M1, M3);
    /// a public address makes it publicly accessible (M2).
    Database {
        name: String,
        service: DatabaseService,
        engine: String,
        subnet_group: Option<String>,
        interfaces: Vec<(String, String)>,
        #[serde(default)]
        groups: Vec<String>,
        public_ip: Option<String>,
        port: Option<u16>,
    },
    /// A Lambda function, ECS service or EKS cluster with one interface per (subnet, address)
    /// (M7–M9).
    Compute {
        name: String,
        kind: ComputeKind,
        interfaces: Vec<(String, String)>,
        #[serde(default)]
        groups: Vec<String>,
    },
    /// A transit gateway route table (T3, T4): the attachments (named by their VPC) it is
    /// associated with and that propagate into it, and static routes, `None` for a blackhole.
    TgwTable {
        name: String,
        tgw: String,
        #[serde(default)]
        associate: Vec<String>,
        #[serde(default)]
        propagate: Vec<String>,
        #[serde(default)]
        routes: Vec<(String, Option<String>)>,
    },
    /// Appliance mode on a VPC attachment (T9), named by its VPC.
    ApplianceMode {
        attachment: String,
        on: bool,
    },
    /// A secondary IPv4 CIDR of a VPC.
    SecondaryCidr {
        vpc: String,
        cidr: String,
    },
    /// Remove a table's route to a destination (a CIDR as written).
    RemoveRoute {
        table: String,
        to: String,
    },
    /// A route table associated with an internet or virtual private gateway (R10).
    EdgeAssociate {
        table: String,
        gateway: String,
    },
    /// The edge association undone.
    EdgeDisassociate {
        table: String,
        gateway: String,
    },
    /// A Gateway Load Balancer (B1): nodes as (subnet, address), its appliances (GENEVE,
    /// UDP 6081) and what they do (B2), and an endpoint service `<name>-service` in front.
    Gwlb {
        name: String,
        vpc: String,
        nodes: Vec<(String, String)>,
        appliances: Vec<String>,
        #[serde(default)]
        rules: ApplianceRules,
    },
    /// What the appliances behind a Gateway Load Balancer do (B2).
    ApplianceRules {
        gwlb: String,
        rules: ApplianceRules,
    },
    /// A Gateway Load Balancer endpoint with its id (routes may name it first) in one subnet.
    GwlbEndpoint {
        id: String,
        name: String,
        vpc: String,
        service: String,
        subnet: String,
        ip: String,
    },
    /// An AWS Network Firewall (F1): endpoints as (id, subnet, address), its policy and rule
    /// groups as the design file writes them.
    Firewall {
        name: String,
        vpc: String,
        endpoints: Vec<(String, String, String)>,
        policy: FirewallPolicy,
        #[serde(default)]
        groups: Vec<FirewallRuleGroup>,
    },
    /// An application or classic load balancer (M4, M6): nodes as (subnet, address, public
    /// address), listeners as (port, target group).
    WebLoadBalancer {
        name: String,
        #[serde(default = "application")]
        kind: LoadBalancerKind,
        scheme: LoadBalancerScheme,
        nodes: Vec<(String, String, Option<String>)>,
        #[serde(default)]
        groups: Vec<String>,
        listeners: Vec<(u16, String)>,
    },
}

fn application() -> LoadBalancerKind {
    LoadBalancerKind::Application
}

/// A flow and what it must show.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub from: String,
    /// Also `@regional-dns:ENDPOINT` and `@zonal-dns:ENDPOINT:AZ` (E5).
    pub to: String,
    #[serde(default = "tcp")]
    pub proto: String,
    pub port: Option<u16>,
    pub src_port: Option<u16>,
    pub expect: Expect,
    /// Hops that must be on the path, in order (each found after the previous one).
    #[serde(default)]
    pub hops: Vec<Hop>,
    /// Checks every hop its kind/action select must pass.
    #[serde(default)]
    pub every: Vec<Hop>,
    /// Hops that must not be on the path.
    #[serde(default)]
    pub never: Vec<Hop>,
    /// How many hops a selection must count.
    #[serde(default)]
    pub count: Vec<Count>,
    /// How many hops the forward path has.
    pub forward_len: Option<usize>,
    /// How many blockers the trace reports.
    pub blocker_count: Option<usize>,
    /// Blockers that must be reported.
    #[serde(default)]
    pub blockers: Vec<Blocker>,
    /// Text the rendered trace (`vpcraft trace` text output) must hold.
    #[serde(default)]
    pub text_contains: Vec<String>,
    /// The golden case (`tests/golden/designs/<name>.ron`) whose design this flow is traced
    /// on: when given, the built design must be exactly that one.
    pub golden: Option<String>,
}

/// The verdict.
#[derive(Debug, Clone, Deserialize)]
pub enum Expect {
    /// Delivered both ways; the disposition (`ACCEPTED`, `EXITS_NETWORK`).
    Delivered(String),
    /// Dropped with a code at a hop of a kind, by a rule, on the way there or back.
    Dropped {
        code: Code,
        on: Leg,
        kind: ComponentKind,
        rule: Rule,
        /// The stopping component, by name or id.
        resource: Option<String>,
        disposition: Option<String>,
        /// Text the first blocker's fix holds.
        fix: Option<String>,
        /// The whole fix of the first blocker.
        fix_is: Option<String>,
        /// Text the stopping hop's decision holds (a rule it cites, say).
        decision_contains: Option<String>,
    },
}

/// Which way the packet was going.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Leg {
    /// The request.
    #[default]
    Forward,
    /// The reply.
    Reply,
}

/// Which path a hop check looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Path {
    #[default]
    Forward,
    Return,
    Both,
}

/// A hop: `kind` and `action` select it; the other fields are what it must show.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hop {
    #[serde(default)]
    pub path: Path,
    pub kind: Option<ComponentKind>,
    pub action: Option<HopAction>,
    /// The last hop of the path (instead of searching).
    #[serde(default)]
    pub last: bool,
    pub rule: Option<Rule>,
    /// The component, by name or id.
    pub resource: Option<String>,
    pub before: Option<Packet>,
    pub after: Option<Packet>,
    pub matched: Option<String>,
    pub matched_prefix: Option<String>,
    pub matched_suffix: Option<String>,
    pub matched_contains: Option<String>,
    pub decision_contains: Option<String>,
}

/// What a packet header must hold.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Packet {
    pub src: Option<Ipv4Addr>,
    pub dst: Option<Ipv4Addr>,
    pub src_port: Option<u16>,
    pub dst_port: Option<u16>,
    /// Inclusive range the source port must be in.
    pub src_port_in: Option<(u16, u16)>,
    /// A block the destination must be in.
    pub dst_in: Option<ipnet::Ipv4Net>,
    /// Whether the destination is an RFC 1918 address.
    pub dst_private: Option<bool>,
}

/// How many hops of a selection there are.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    pub hop: Hop,
    pub n: usize,
}

/// A blocker that must be reported: some blocker matches every field given.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blocker {
    pub kind: Option<ComponentKind>,
    pub code: Option<Code>,
    pub fix_contains: Option<String>,
}

fn net(s: &str) -> Result<ipnet::Ipv4Net, String> {
    s.parse::<ipnet::Ipv4Net>().map(|n| n.trunc()).map_err(|e| format!("'{s}' is not a CIDR: {e}"))
}

fn ip(s: &str) -> Result<Ipv4Addr, String> {
    s.parse().map_err(|e| format!("'{s}' is not an address: {e}"))
}

/// The id of a named resource.
fn id(d: &Design, key: &str) -> Result<Id, String> {
    d.resolve(key).map(|r| r.id().to_string()).map_err(String::from)
}

fn ids(d: &Design, keys: &[String]) -> Result<Vec<Id>, String> {
    keys.iter().map(|k| id(d, k)).collect()
}

fn sg_peer(d: &Design, peer: &str) -> Result<SgPeer, String> {
    if let Ok(c) = net(peer) {
        return Ok(SgPeer::Cidr(c.into()));
    }
    if peer.starts_with("pl-") {
        return Ok(SgPeer::PrefixList(peer.to_string()));
    }
    Ok(SgPeer::group(id(d, peer)?))
}

fn sg_rules(d: &Design, rules: &[SgRuleSpec]) -> Result<Vec<SgRule>, String> {
    rules
        .iter()
        .map(|r| match r {
            SgRuleSpec::Tcp { port, peer } => Ok(SgRule::tcp(*port, sg_peer(d, peer)?)),
            SgRuleSpec::All { peer } => Ok(SgRule::allow_all_to(sg_peer(d, peer)?)),
        })
        .collect()
}

/// The route target a name stands for.
fn target(d: &Design, via: &str) -> RouteTarget {
    match d.resolve(via) {
        Ok(r) => {
            let i = r.id().to_string();
            match r.kind() {
                ResourceKind::InternetGateway => RouteTarget::InternetGateway(i),
                ResourceKind::EgressOnlyInternetGateway => RouteTarget::EgressOnlyInternetGateway(i),
                ResourceKind::NatGateway => RouteTarget::NatGateway(i),
                ResourceKind::Instance => RouteTarget::Instance(i),
                ResourceKind::NetworkInterface => RouteTarget::NetworkInterface(i),
                ResourceKind::VpcPeering => RouteTarget::VpcPeering(i),
                ResourceKind::VpcEndpoint => RouteTarget::GatewayEndpoint(i),
                ResourceKind::TransitGateway => RouteTarget::TransitGateway(i),
                ResourceKind::VpnGateway => RouteTarget::VpnGateway(i),
                _ => RouteTarget::from_id(&i),
            }
        }
        Err(_) => RouteTarget::from_id(via),
    }
}

fn section13() -> DesignBuilder {
    let mut b = DesignBuilder::new("scenario", "ap-northeast-2");
    let vpc = b.vpc("A", "10.0.0.0/16");
    let public = b.subnet(&vpc, "public", "10.0.0.0/24", "a");
    let private = b.subnet(&vpc, "private", "10.0.1.0/24", "a");
    let igw = b.igw(&vpc, "igw");
    let rt_pub = b.route_table(&vpc, "RT-pub");
    b.route(&rt_pub, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    b.associate(&rt_pub, &public);
    let rt_priv = b.route_table(&vpc, "RT-priv");
    b.associate(&rt_priv, &private);
    b.security_group(&vpc, "app");
    b
}

pub fn start(s: &Start) -> Result<DesignBuilder, String> {
    Ok(match s {
        Start::Section13 => section13(),
        Start::Example(name) => {
            DesignBuilder { design: vpcraft::assets::example(name).ok_or(format!("no example '{name}'"))? }
        }
        Start::Empty { name, region } => DesignBuilder::new(name, region),
    })
}

fn ports(proto: Protocol, text: &str) -> Result<PortSpec, String> {
    if text == "all" {
        return Ok(PortSpec::All);
    }
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let p = |s: &str| s.trim().parse::<u16>().map_err(|e| format!("port '{s}': {e}"));
    let _ = proto;
    Ok(PortSpec::Range { from: p(a)?, to: p(b)? })
}

pub fn apply(b: &mut DesignBuilder, e: &Edit) -> Result<(), String> {
    match e {
        Edit::Vpc { name, cidr, region } => {
            match region {
                Some(r) => b.vpc_in(name, cidr, r),
                None => b.vpc(name, cidr),
            };
        }
        Edit::Subnet { name, vpc, cidr, az } => {
            let v = id(&b.design, vpc)?;
            b.subnet(&v, name, cidr, az);
        }
        Edit::Igw { name, vpc } => {
            let v = id(&b.design, vpc)?;
            b.igw(&v, name);
        }
        Edit::RouteTable { name, vpc, subnets } => {
            let v = id(&b.design, vpc)?;
            let rt = b.route_table(&v, name);
            for s in ids(&b.design, subnets)? {
                b.associate(&rt, &s);
            }
        }
        Edit::Route { table, to, via } => {
            let rt = id(&b.design, table)?;
            let t = target(&b.design, via);
            net(to)?;
            b.route(&rt, to, t);
        }
        Edit::KeepOnlyLocalRoutes { table } => {
            let rt = id(&b.design, table)?;
            if let Some(t) = b.design.route_tables.iter_mut().find(|t| t.id == rt) {
                t.routes.retain(|r| r.is_local());
            }
        }
        Edit::Associate { table, subnet } => {
            let (rt, s) = (id(&b.design, table)?, id(&b.design, subnet)?);
            b.associate(&rt, &s);
        }
        Edit::SecurityGroup { name, vpc } => {
            let v = id(&b.design, vpc)?;
            b.security_group(&v, name);
        }
        Edit::Inbound { group, rules } => {
            let g = id(&b.design, group)?;
            for r in sg_rules(&b.design, rules)? {
                b.allow_in(&g, r);
            }
        }
        Edit::SetInbound { group, rules } => {
            let g = id(&b.design, group)?;
            let rules = sg_rules(&b.design, rules)?;
            if let Some(x) = b.design.security_groups.iter_mut().find(|x| x.id == g) {
                x.ingress = rules;
            }
        }
        Edit::SetOutbound { group, rules } => {
            let g = id(&b.design, group)?;
            let rules = sg_rules(&b.design, rules)?;
            b.set_egress(&g, rules);
        }
        Edit::Instance { name, subnet, ip: addr, groups, eip, public_ip, source_dest_check } => {
            let s = id(&b.design, subnet)?;
            let g = ids(&b.design, groups)?;
            let g: Vec<&str> = g.iter().map(String::as_str).collect();
            ip(addr)?;
            let i = b.instance(&s, name, addr, &g);
            if let Some(e) = eip {
                b.associate_eip(&i, e);
            }
            if let Some(p) = public_ip {
                b.public_ip(&i, p);
            }
            if let Some(check) = source_dest_check {
                let eni = b.primary_eni(&i);
                if let Some(x) = b.design.network_interfaces.iter_mut().find(|x| x.id == eni) {
                    x.source_dest_check = *check;
                }
            }
        }
        Edit::Nacl { name, vpc, subnets, entries } => {
            let v = id(&b.design, vpc)?;
            let s = ids(&b.design, subnets)?;
            let s: Vec<&str> = s.iter().map(String::as_str).collect();
            let acl = b.custom_nacl(&v, name, &s);
            for e in entries {
                let protocol = Protocol::parse(&e.proto)?;
                b.nacl_entry(
                    &acl,
                    NaclEntry {
                        rule_number: e.rule,
                        egress: e.egress,
                        action: e.action,
                        protocol,
                        ports: ports(protocol, &e.ports)?,
                        cidr: net(&e.cidr)?.into(),
                    },
                );
            }
        }
        Edit::NatGateway { name, subnet, ip: addr, eip } => {
            let s = id(&b.design, subnet)?;
            b.nat_gateway(&s, name, addr, eip);
        }
        Edit::RegionalNatGateway { name, vpc, eip, table } => {
            let v = id(&b.design, vpc)?;
            let t = table.as_deref().map(|t| id(&b.design, t)).transpose()?;
            b.regional_nat_gateway(&v, name, eip, t.as_deref());
        }
        Edit::Peering { name, from, to, status } => {
            let (a, c) = (id(&b.design, from)?, id(&b.design, to)?);
            b.peering(name, &a, &c, *status);
        }
        Edit::GatewayEndpoint { vpc, service, tables } => {
            let v = id(&b.design, vpc)?;
            let t = ids(&b.design, tables)?;
            let t: Vec<&str> = t.iter().map(String::as_str).collect();
            b.gateway_endpoint(&v, service, &t);
        }
        Edit::InterfaceEndpoint { vpc, service, interfaces, groups, private_dns, state } => {
            let v = id(&b.design, vpc)?;
            let region = b.design.vpc(&v).map(|x| x.region.clone()).unwrap_or_default();
            let service = match b.design.resolve(service) {
                Ok(Resource::EndpointService(s)) => s.service_name.clone(),
                _ if service.starts_with("com.amazonaws.") => service.clone(),
                _ => format!("com.amazonaws.{region}.{service}"),
            };
            let mut nics = Vec::new();
            for (s, a) in interfaces {
                nics.push((id(&b.design, s)?, a.clone()));
            }
            let nics: Vec<(&str, &str)> = nics.iter().map(|(s, a)| (s.as_str(), a.as_str())).collect();
            let g = ids(&b.design, groups)?;
            let g: Vec<&str> = g.iter().map(String::as_str).collect();
            let e = b.interface_endpoint(&v, &service, &nics, &g, *private_dns);
            if let Some(st) = state {
                if let Some(x) = b.design.endpoints.iter_mut().find(|x| x.id == e) {
                    x.state = *st;
                }
            }
        }
        Edit::VpcDns { vpc, hostnames, support } => {
            let v = id(&b.design, vpc)?;
            if let Some(x) = b.design.vpcs.iter_mut().find(|x| x.id == v) {
                if let Some(h) = hostnames {
                    x.enable_dns_hostnames = *h;
                }
                if let Some(s) = support {
                    x.enable_dns_support = *s;
                }
            }
        }
        Edit::TransitGateway { name, attachments } => {
            let d = &mut b.design;
            let region = d.default_region.clone();
            let tgw = d.new_id(ResourceKind::TransitGateway);
            let rt = d.new_id(ResourceKind::TgwRouteTable);
            d.transit_gateways.push(TransitGateway {
                id: tgw.clone(),
                name: name.clone(),
                region,
                asn: 64512,
                default_association: true,
                default_propagation: true,
                default_route_table: Some(rt.clone()),
            });
            let mut props = Vec::new();
            for (vpc, subnets) in attachments {
                let v = id(d, vpc)?;
                let subnets = ids(d, subnets)?;
                let a = d.new_id(ResourceKind::TgwAttachment);
                d.tgw_attachments.push(TgwAttachment {
                    id: a.clone(),
                    name: format!("attach-{v}"),
                    tgw: tgw.clone(),
                    kind: TgwAttachmentKind::Vpc { vpc: v, subnets },
                    state: AttachmentState::Available,
                    association: Some(rt.clone()),
                    ipv6_support: false,
                    appliance_mode: false,
                });
                props.push(a);
            }
            d.tgw_route_tables.push(TgwRouteTable {
                id: rt,
                name: "default".into(),
                tgw,
                propagations: props,
                static_routes: Vec::new(),
            });
        }
        Edit::VpnGateway { name, vpc } => {
            let v = id(&b.design, vpc)?;
            let g = b.design.new_id(ResourceKind::VpnGateway);
            b.design.vpn_gateways.push(VpnGateway { id: g, name: name.clone(), vpc: Some(v), asn: 64512 });
        }
        Edit::CustomerGateway { name, ip: addr, asn } => {
            let c = b.design.new_id(ResourceKind::CustomerGateway);
            b.design.customer_gateways.push(CustomerGateway {
                id: c,
                name: name.clone(),
                ip: ip(addr)?,
                bgp_asn: *asn,
            });
        }
        Edit::VpnConnection { name, customer_gateway, vpn_gateway, routes } => {
            let (c, g) = (id(&b.design, customer_gateway)?, id(&b.design, vpn_gateway)?);
            let routes = routes.iter().map(|r| net(r)).collect::<Result<Vec<_>, _>>()?;
            let v = b.design.new_id(ResourceKind::VpnConnection);
            b.design.vpn_connections.push(VpnConnection {
                id: v,
                name: name.clone(),
                customer_gateway: c,
                vpn_gateway: Some(g),
                transit_gateway: None,
                static_routes_only: false,
                routes,
                state: VpnState::Available,
            });
        }
        Edit::Propagate { table, vgw } => {
            let (rt, g) = (id(&b.design, table)?, id(&b.design, vgw)?);
            if let Some(t) = b.design.route_tables.iter_mut().find(|t| t.id == rt) {
                t.propagating_vgws.push(g);
            }
        }
        Edit::TargetGroup { name, vpc, port, targets, target_type } => {
            let v = id(&b.design, vpc)?;
            let kept = target_type.filter(|t| t.kept());
            let port_of = if kept.is_some() { None } else { Some(*port) };
            let targets = ids(&b.design, targets)?.into_iter().map(|t| Target { id: t, port: port_of }).collect();
            let t = b.design.new_id(ResourceKind::TargetGroup);
            b.design.target_groups.push(TargetGroup {
                id: t,
                name: name.clone(),
                vpc: v,
                protocol: Protocol::Tcp,
                port: *port,
                targets,
                appliance: Default::default(),
                target_type: kept,
            });
        }
        Edit::Op { op, refused } => match (b.design.apply(op), refused) {
            (Ok(_), None) => {}
            (Ok(_), Some(r)) => return Err(format!("the op was applied; it should have been refused citing {r}")),
            (Err(e), Some(r)) if e.rule == Some(*r) => {}
            (Err(e), _) => return Err(format!("refused ({:?}, field {}): {}", e.rule, e.field, e.message)),
        },
        Edit::LoadBalancer { name, vpc, nodes, listeners } => {
            let v = id(&b.design, vpc)?;
            let mut n = Vec::new();
            for (s, a) in nodes {
                n.push(LoadBalancerNode {
                    subnet: id(&b.design, s)?,
                    private_ip: ip(a)?,
                    public_ip: None,
                    placeholder: false,
                });
            }
            let mut l = Vec::new();
            for (port, tg) in listeners {
                l.push(Listener { port: *port, protocol: Protocol::Tcp, target_group: Some(id(&b.design, tg)?) });
            }
            let lb = b.design.new_id(ResourceKind::LoadBalancer);
            b.design.load_balancers.push(LoadBalancer {
                id: lb,
                name: name.clone(),
                vpc: v,
                kind: LoadBalancerKind::Network,
                scheme: LoadBalancerScheme::Internal,
                nodes: n,
                security_groups: Vec::new(),
                listeners: l,
                dns_name: String::new(),
            });
        }
        Edit::SetEndpointState { endpoint, state } => {
            let e = id(&b.design, endpoint)?;
            if let Some(x) = b.design.endpoints.iter_mut().find(|x| x.id == e) {
                x.state = *state;
            }
        }
        Edit::SetPeeringStatus { peering, status } => {
            let p = id(&b.design, peering)?;
            if let Some(x) = b.design.peerings.iter_mut().find(|x| x.id == p) {
                x.status = *status;
            }
        }
        Edit::DbSubnetGroup { .. } | Edit::Database { .. } | Edit::Compute { .. } | Edit::WebLoadBalancer { .. } => {
            crate::scenario_services::apply(b, e)?
        }
        Edit::TgwTable { .. }
        | Edit::ApplianceMode { .. }
        | Edit::SecondaryCidr { .. }
        | Edit::RemoveRoute { .. }
        | Edit::EdgeAssociate { .. }
        | Edit::EdgeDisassociate { .. }
        | Edit::Gwlb { .. }
        | Edit::ApplianceRules { .. }
        | Edit::GwlbEndpoint { .. }
        | Edit::Firewall { .. } => crate::scenario_hub::apply(b, e)?,
        Edit::EndpointService { name, load_balancers, acceptance } => {
            let lbs = ids(&b.design, load_balancers)?;
            let region = b.design.default_region.clone();
            let s = b.design.new_id(ResourceKind::EndpointService);
            b.design.endpoint_services.push(EndpointService {
                id: s.clone(),
                name: name.clone(),
                service_name: format!("com.amazonaws.vpce.{region}.{s}"),
                region,
                load_balancers: lbs,
                acceptance_required: *acceptance,
                allowed_principals: Vec::new(),
            });
        }
    }
    Ok(())
}

/// Whether a component is the named resource.
fn is(d: &Design, c: &vpcraft::sim::Component, key: &str) -> bool {
    c.name == key || c.id == key || d.resolve(key).is_ok_and(|r| r.id() == c.id)
}

fn check_packet(what: &str, h: &vpcraft::sim::Header, p: &Packet, out: &mut Vec<String>) {
    let mut fail = |m: String| out.push(format!("{what}: {m}"));
    if p.src.is_some_and(|x| x != h.src) {
        fail(format!("source {}, want {:?}", h.src, p.src));
    }
    if p.dst.is_some_and(|x| x != h.dst) {
        fail(format!("destination {}, want {:?}", h.dst, p.dst));
    }
    if p.src_port.is_some() && p.src_port != h.src_port {
        fail(format!("source port {:?}, want {:?}", h.src_port, p.src_port));
    }
    if p.dst_port.is_some() && p.dst_port != h.dst_port {
        fail(format!("destination port {:?}, want {:?}", h.dst_port, p.dst_port));
    }
    if let Some((a, b)) = p.src_port_in {
        if !h.src_port.is_some_and(|x| (a..=b).contains(&x)) {
            fail(format!("source port {:?} is not in {a}-{b}", h.src_port));
        }
    }
    if let Some(n) = p.dst_in {
        if !matches!(h.dst, std::net::IpAddr::V4(a) if n.contains(&a)) {
            fail(format!("destination {} is not in {n}", h.dst));
        }
    }
    if let Some(private) = p.dst_private {
        let is_private = matches!(h.dst, std::net::IpAddr::V4(a) if a.is_private());
        if is_private != private {
            fail(format!("destination {} private: {is_private}, want {private}", h.dst));
        }
    }
}

fn selects(c: &Hop, h: &TraceHop) -> bool {
    c.kind.is_none_or(|k| h.component.kind == k) && c.action.is_none_or(|a| h.action == a)
}

/// The fields of a check other than the selectors.
fn check_hop(d: &Design, c: &Hop, h: &TraceHop, out: &mut Vec<String>) {
    let what = format!("hop {} ({} {} {})", h.step, h.component.kind, h.action, h.component.label());
    if c.kind.is_some_and(|k| h.component.kind != k) || c.action.is_some_and(|a| h.action != a) {
        out.push(format!("{what}: want {:?} {:?}", c.kind, c.action));
    }
    if c.rule.is_some_and(|r| h.rule != r) {
        out.push(format!("{what}: rule {}, want {:?}", h.rule, c.rule));
    }
    if let Some(r) = &c.resource {
        if !is(d, &h.component, r) {
            out.push(format!("{what}: is not {r}"));
        }
    }
    if let Some(p) = &c.before {
        check_packet(&format!("{what} before"), &h.before, p, out);
    }
    if let Some(p) = &c.after {
        check_packet(&format!("{what} after"), &h.after, p, out);
    }
    let m = h.matched.as_ref().map(ToString::to_string).unwrap_or_default();
    if c.matched.as_deref().is_some_and(|x| m != x)
        || c.matched_prefix.as_deref().is_some_and(|x| !m.starts_with(x))
        || c.matched_suffix.as_deref().is_some_and(|x| !m.ends_with(x))
        || c.matched_contains.as_deref().is_some_and(|x| !m.contains(x))
    {
        out.push(format!("{what}: matched {m:?}, want {:?}", c));
    }
    if let Some(x) = &c.decision_contains {
        if !h.decision.to_string().contains(x.as_str()) {
            out.push(format!("{what}: decision {:?} does not hold {x:?}", h.decision));
        }
    }
}

fn paths(r: &TraceResult, p: Path) -> Vec<&[TraceHop]> {
    match p {
        Path::Forward => vec![&r.forward],
        Path::Return => vec![&r.return_path],
        Path::Both => vec![&r.forward, &r.return_path],
    }
}

/// Every way the result differs from the flow's expectations.
pub fn check_flow(d: &Design, f: &Flow, r: &TraceResult) -> Vec<String> {
    let mut out = Vec::new();
    match &f.expect {
        Expect::Delivered(disposition) => {
            if !r.delivered() {
                out.push(format!("dropped: {:?} {:?}", r.code, r.reason));
            }
            if r.disposition.as_str() != disposition {
                out.push(format!("disposition {}, want {disposition}", r.disposition));
            }
            if r.code.is_some() || r.reason.is_some() || !r.blockers.is_empty() {
                out.push("a delivered flow has no code, reason or blocker".into());
            }
            if r.return_path.is_empty() {
                out.push("a delivered flow has a reply path".into());
            }
        }
        Expect::Dropped { code, on, kind, rule, resource, disposition, fix, fix_is, decision_contains } => {
            if r.delivered() {
                out.push("delivered".into());
            }
            if r.code != Some(*code) {
                out.push(format!("code {:?}, want {code}", r.code));
            }
            if r.reason.as_ref().is_none_or(|x| x.is_empty()) {
                out.push("no reason".into());
            }
            match *on {
                Leg::Forward => {
                    if !r.return_path.is_empty() || r.forward.last().is_none_or(|h| h.action != HopAction::Drop) {
                        out.push("not dropped on the way there".into());
                    }
                }
                Leg::Reply => {
                    let arrived =
                        r.forward.last().is_some_and(|h| matches!(h.action, HopAction::Deliver | HopAction::Exit));
                    if !arrived || r.return_path.last().is_none_or(|h| h.action != HopAction::Drop) {
                        out.push("not dropped on the way back".into());
                    }
                }
            }
            match r.stop_hop() {
                None => out.push("no stop hop".into()),
                Some(stop) => {
                    let c = Hop {
                        kind: Some(*kind),
                        action: Some(HopAction::Drop),
                        rule: Some(*rule),
                        resource: resource.clone(),
                        decision_contains: decision_contains.clone(),
                        ..Default::default()
                    };
                    check_hop(d, &c, stop, &mut out);
                }
            }
            if !r.blockers.iter().any(|b| b.code == *code && !b.fix.is_empty()) {
                out.push(format!("no blocker {code} with a fix"));
            }
            if disposition.as_deref().is_some_and(|x| r.disposition.as_str() != x) {
                out.push(format!("disposition {}, want {disposition:?}", r.disposition));
            }
            let first = r.blockers.first().map(|b| b.fix.as_str()).unwrap_or("");
            if fix.as_deref().is_some_and(|x| !first.contains(x)) || fix_is.as_deref().is_some_and(|x| first != x) {
                out.push(format!("first fix {first:?}, want {fix:?} / {fix_is:?}"));
            }
        }
    }
    let mut at = [0usize, 0usize];
    for c in &f.hops {
        for (k, hops) in paths(r, c.path).into_iter().enumerate() {
            let slot = if c.path == Path::Return { 1 } else { k };
            let found = if c.last {
                hops.last().map(|h| (hops.len(), h))
            } else {
                hops.iter().enumerate().skip(at[slot]).find(|(_, h)| selects(c, h)).map(|(i, h)| (i + 1, h))
            };
            match found {
                Some((next, h)) => {
                    at[slot] = next;
                    check_hop(d, c, h, &mut out);
                }
                None => out.push(format!("no {:?} {:?} hop on the {:?} path (in order)", c.kind, c.action, c.path)),
            }
        }
    }
    for c in &f.every {
        for hops in paths(r, c.path) {
            for h in hops.iter().filter(|h| selects(c, h)) {
                check_hop(d, c, h, &mut out);
            }
        }
    }
    for c in &f.never {
        for hops in paths(r, c.path) {
            if let Some(h) = hops.iter().find(|h| selects(c, h)) {
                out.push(format!("hop {} ({} {}) must not be there", h.step, h.component.kind, h.action));
            }
        }
    }
    for c in &f.count {
        let n: usize = paths(r, c.hop.path).iter().map(|hops| hops.iter().filter(|h| selects(&c.hop, h)).count()).sum();
        if n != c.n {
            out.push(format!("{n} hops of {:?} {:?}, want {}", c.hop.kind, c.hop.action, c.n));
        }
    }
    if f.forward_len.is_some_and(|n| r.forward.len() != n) {
        out.push(format!("{} forward hops, want {:?}", r.forward.len(), f.forward_len));
    }
    if f.blocker_count.is_some_and(|n| r.blockers.len() != n) {
        out.push(format!("{} blockers, want {:?}", r.blockers.len(), f.blocker_count));
    }
    let text = vpcraft::sim::render_text(r);
    for t in &f.text_contains {
        if !text.contains(t.as_str()) {
            out.push(format!("the text does not hold {t:?}"));
        }
    }
    for b in &f.blockers {
        let ok = r.blockers.iter().any(|x| {
            b.kind.is_none_or(|k| x.component.kind == k)
                && b.code.is_none_or(|c| x.code == c)
                && b.fix_contains.as_deref().is_none_or(|t| x.fix.contains(t))
        });
        if !ok {
            out.push(format!("no blocker like {b:?}"));
        }
    }
    out
}

/// Trace one flow on a design.
pub fn trace(d: &Design, f: &Flow) -> Result<TraceResult, String> {
    let expand = |t: &str| match crate::scenario_services::endpoint_name(d, t) {
        Some(name) => name,
        None => vpcraft::labs::run::expand_target(d, t),
    };
    let from = expand(&f.from)?;
    let to = expand(&f.to)?;
    let req = TraceRequest::parse(d, &from, &to, &f.proto, f.port, f.src_port)?;
    Ok(TraceIndex::new(d).trace(&req))
}

/// Run a scenario: every problem, prefixed with where it is.
pub fn run(s: &Scenario) -> Vec<String> {
    let mut problems = Vec::new();
    let mut b = match start(&s.design) {
        Ok(b) => b,
        Err(e) => return vec![e],
    };
    let first =
        Step { build: s.build.clone(), flows: s.flows.clone(), audit: s.audit.clone(), checks: s.checks.clone() };
    for (k, step) in std::iter::once(&first).chain(s.then.iter()).enumerate() {
        for (i, e) in step.build.iter().enumerate() {
            if let Err(m) = apply(&mut b, e) {
                problems.push(format!("step {} edit {}: {m}", k + 1, i + 1));
                return problems;
            }
        }
        for (i, f) in step.flows.iter().enumerate() {
            let place = format!("step {} flow {} ({} → {})", k + 1, i + 1, f.from, f.to);
            if let Some(g) = &f.golden {
                let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/golden/designs")
                    .join(format!("{g}.ron"));
                // Through the loader, so a golden file of an older format version (migrated
                // on load) compares by content.
                let want = std::fs::read_to_string(&file)
                    .ok()
                    .and_then(|t| vpcraft::io::native::load_str(&t, &file).ok())
                    .and_then(|d| vpcraft::io::native::to_string(&d).ok());
                if want.is_none() || vpcraft::io::native::to_string(&b.design).ok() != want {
                    problems.push(format!("{place}: the design is not the one of golden case {g}"));
                }
            }
            match trace(&b.design, f) {
                Err(e) => problems.push(format!("{place}: {e}")),
                Ok(r) => {
                    let found = check_flow(&b.design, f, &r);
                    if !found.is_empty() {
                        problems.push(format!(
                            "{place}:\n    {}\n{}",
                            found.join("\n    "),
                            vpcraft::sim::render_text(&r)
                        ));
                    }
                }
            }
        }
        let place = format!("step {}", k + 1);
        problems.extend(crate::scenario_services::check_findings(&b.design, &place, &step.audit, &step.checks));
    }
    problems
}

/// Every scenario file, by path.
pub fn scenario_files() -> Vec<PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    v.sort();
    v
}

pub fn load(path: &std::path::Path) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ron::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_scenario_file_gives_its_expected_traces() {
    let files = scenario_files();
    assert!(files.len() >= 44, "only {} scenario files", files.len());
    let mut failures = Vec::new();
    let mut flows = 0;
    for p in &files {
        let s = load(p);
        flows += s.flows.len() + s.then.iter().map(|t| t.flows.len()).sum::<usize>();
        let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if s.rules.is_empty() {
            failures.push(format!("{name}: names no rule of the semantics document"));
        }
        for problem in run(&s) {
            failures.push(format!("{name} ({}): {problem}", s.title));
        }
    }
    assert!(flows >= 57, "only {flows} flows");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_wrong_expectation_is_caught() {
    let p = scenario_files().into_iter().find(|p| p.to_string_lossy().contains("s01")).expect("scenario 1");
    let mut s = load(&p);
    assert!(run(&s).is_empty());
    s.flows[0].expect = Expect::Delivered("ACCEPTED".into());
    assert!(!run(&s).is_empty(), "a wrong disposition fails");
    let mut s = load(&p);
    s.flows[0].hops.push(Hop { kind: Some(ComponentKind::NatGateway), ..Default::default() });
    assert!(!run(&s).is_empty(), "a missing hop fails");
    let mut s = load(&p);
    s.flows[0].never.push(Hop { kind: Some(ComponentKind::InternetGateway), ..Default::default() });
    assert!(!run(&s).is_empty(), "an unwanted hop fails");
}
