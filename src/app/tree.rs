//! The VPC tree: nodes built from the design once per change, a filter, and the selection.
//!
//! Region ▸ VPC ▸ AZ ▸ subnet ▸ instance ▸ ENI, plus per-VPC groups (route tables ▸ routes,
//! gateways, endpoints, peerings, security groups ▸ rules, network ACLs ▸ entries, load
//! balancers, target groups) and per-region groups (transit gateways, VPN, endpoint services,
//! Elastic IPs, prefix lists).
//!
//! Building walks each list of the design once, with id → children maps, so a design of a
//! thousand VPCs builds in linear time. The result is cached in [`TreeModel`] and rebuilt only
//! when the design, the findings or the theme change.

use super::findings::Severity;
use crate::model::*;
use crate::ui::theme::Theme;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use tui_tree_widget::{TreeItem, TreeState};

/// A node's identifier in the tree widget; unique in the whole tree.
pub type NodeId = String;

/// A group of resources under a VPC or a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    RouteTables,
    Gateways,
    Endpoints,
    Peerings,
    SecurityGroups,
    NetworkAcls,
    LoadBalancers,
    TargetGroups,
    TransitGateways,
    Vpn,
    EndpointServices,
    ElasticIps,
    PrefixLists,
    Other,
}

impl GroupKind {
    pub fn title(self) -> &'static str {
        match self {
            GroupKind::RouteTables => "Route tables",
            GroupKind::Gateways => "Gateways",
            GroupKind::Endpoints => "Endpoints",
            GroupKind::Peerings => "Peerings",
            GroupKind::SecurityGroups => "Security groups",
            GroupKind::NetworkAcls => "Network ACLs",
            GroupKind::LoadBalancers => "Load balancers",
            GroupKind::TargetGroups => "Target groups",
            GroupKind::TransitGateways => "Transit gateways",
            GroupKind::Vpn => "VPN",
            GroupKind::EndpointServices => "Endpoint services",
            GroupKind::ElasticIps => "Elastic IPs",
            GroupKind::PrefixLists => "Prefix lists",
            GroupKind::Other => "Other",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            GroupKind::RouteTables => "rtbs",
            GroupKind::Gateways => "gws",
            GroupKind::Endpoints => "vpces",
            GroupKind::Peerings => "pcxs",
            GroupKind::SecurityGroups => "sgs",
            GroupKind::NetworkAcls => "acls",
            GroupKind::LoadBalancers => "lbs",
            GroupKind::TargetGroups => "tgs",
            GroupKind::TransitGateways => "tgws",
            GroupKind::Vpn => "vpn",
            GroupKind::EndpointServices => "svcs",
            GroupKind::ElasticIps => "eips",
            GroupKind::PrefixLists => "pls",
            GroupKind::Other => "other",
        }
    }

    /// The kind a new resource in this group has.
    pub fn adds(self) -> Option<ResourceKind> {
        Some(match self {
            GroupKind::RouteTables => ResourceKind::RouteTable,
            GroupKind::Gateways => ResourceKind::InternetGateway,
            GroupKind::Endpoints => ResourceKind::VpcEndpoint,
            GroupKind::Peerings => ResourceKind::VpcPeering,
            GroupKind::SecurityGroups => ResourceKind::SecurityGroup,
            GroupKind::NetworkAcls => ResourceKind::NetworkAcl,
            GroupKind::LoadBalancers => ResourceKind::LoadBalancer,
            GroupKind::TargetGroups => ResourceKind::TargetGroup,
            GroupKind::TransitGateways => ResourceKind::TransitGateway,
            GroupKind::Vpn => ResourceKind::VpnConnection,
            GroupKind::EndpointServices => ResourceKind::EndpointService,
            GroupKind::ElasticIps => ResourceKind::ElasticIp,
            GroupKind::PrefixLists => ResourceKind::PrefixList,
            GroupKind::Other => return None,
        })
    }
}

/// What a tree node stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeRef {
    Region(String),
    Az { vpc: Id, az: String },
    Group { kind: GroupKind, vpc: Option<Id>, region: String },
    Resource { kind: ResourceKind, id: Id },
    Route { rtb: Id, index: usize },
    SgRule { sg: Id, egress: bool, index: usize },
    NaclEntry { acl: Id, index: usize },
}

impl NodeRef {
    /// The resource id, for resource nodes.
    pub fn resource_id(&self) -> Option<&str> {
        match self {
            NodeRef::Resource { id, .. } => Some(id),
            _ => None,
        }
    }
}

/// One node: what it is, how it reads, where it hangs.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    pub node: NodeRef,
    pub label: Line<'static>,
    pub children: Vec<NodeId>,
    pub parent: Option<NodeId>,
}

impl NodeInfo {
    /// Whether the node matches a lower-case filter: its label or its resource id.
    pub fn matches(&self, filter: &str) -> bool {
        let mut text = String::with_capacity(64);
        for s in &self.label.spans {
            text.push_str(&s.content);
            text.push(' ');
        }
        if let Some(id) = self.node.resource_id() {
            text.push_str(id);
        }
        text.to_lowercase().contains(filter)
    }
}

/// The cached tree and its widget state.
///
/// The widget items are built lazily: only open nodes get their children; a closed node with
/// children gets one invisible placeholder so it still shows ▸. Opening or closing a node
/// regenerates the items, which costs in proportion to what is open, not to the design.
#[derive(Debug, Default)]
pub struct TreeModel {
    pub nodes: HashMap<NodeId, NodeInfo>,
    pub roots: Vec<NodeId>,
    /// The items the widget draws: the whole tree, or the filtered one.
    pub items: Vec<TreeItem<'static, NodeId>>,
    /// Selection, open nodes and scroll offset. In a `RefCell` because drawing updates the
    /// scroll offset while the view only borrows the app.
    pub state: RefCell<TreeState<NodeId>>,
    /// The filter text (empty: no filter).
    pub filter: String,
    /// Cursor position in the filter, in characters.
    pub filter_cursor: usize,
    /// The filter line has the keyboard.
    pub filter_editing: bool,
    /// Rows the tree had on the last frame (for page up/down).
    pub page: Cell<u16>,
}

struct Idx<'a> {
    subnets_by_vpc: HashMap<&'a str, Vec<&'a Subnet>>,
    enis_by_subnet: HashMap<&'a str, Vec<&'a NetworkInterface>>,
    enis_by_instance: HashMap<&'a str, Vec<&'a NetworkInterface>>,
    nats_by_subnet: HashMap<&'a str, Vec<&'a NatGateway>>,
    rts_by_vpc: HashMap<&'a str, Vec<&'a RouteTable>>,
    rt_of_subnet: HashMap<&'a str, &'a RouteTable>,
    main_rt: HashMap<&'a str, &'a RouteTable>,
    sgs_by_vpc: HashMap<&'a str, Vec<&'a SecurityGroup>>,
    acls_by_vpc: HashMap<&'a str, Vec<&'a NetworkAcl>>,
    endpoints_by_vpc: HashMap<&'a str, Vec<&'a VpcEndpoint>>,
    lbs_by_vpc: HashMap<&'a str, Vec<&'a LoadBalancer>>,
    tgs_by_vpc: HashMap<&'a str, Vec<&'a TargetGroup>>,
    pcx_by_vpc: HashMap<&'a str, Vec<&'a VpcPeering>>,
    gws_by_vpc: HashMap<&'a str, Vec<(ResourceKind, &'a str, &'a str)>>,
    attach_by_tgw: HashMap<&'a str, Vec<&'a TgwAttachment>>,
    tgw_rts_by_tgw: HashMap<&'a str, Vec<&'a TgwRouteTable>>,
    eip_ip: HashMap<&'a str, std::net::Ipv4Addr>,
    instances: HashMap<&'a str, &'a Instance>,
    vpc_ids: HashSet<&'a str>,
}

fn group_by<'a, T>(list: &'a [T], key: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, Vec<&'a T>> {
    let mut m: HashMap<&str, Vec<&T>> = HashMap::new();
    for x in list {
        m.entry(key(x)).or_default().push(x);
    }
    m
}

impl<'a> Idx<'a> {
    fn new(d: &'a Design) -> Idx<'a> {
        let mut rt_of_subnet = HashMap::new();
        let mut main_rt = HashMap::new();
        for rt in &d.route_tables {
            for s in &rt.subnets {
                rt_of_subnet.entry(s.as_str()).or_insert(rt);
            }
            if rt.main {
                main_rt.entry(rt.vpc.as_str()).or_insert(rt);
            }
        }
        let mut enis_by_instance: HashMap<&str, Vec<&NetworkInterface>> = HashMap::new();
        for e in &d.network_interfaces {
            if let Some(i) = &e.instance {
                enis_by_instance.entry(i.as_str()).or_default().push(e);
            }
        }
        for v in enis_by_instance.values_mut() {
            v.sort_by_key(|e| e.device_index);
        }
        let mut pcx_by_vpc: HashMap<&str, Vec<&VpcPeering>> = HashMap::new();
        for p in &d.peerings {
            pcx_by_vpc.entry(p.requester_vpc.as_str()).or_default().push(p);
            if p.accepter_vpc != p.requester_vpc {
                pcx_by_vpc.entry(p.accepter_vpc.as_str()).or_default().push(p);
            }
        }
        let mut gws_by_vpc: HashMap<&str, Vec<(ResourceKind, &str, &str)>> = HashMap::new();
        for g in &d.internet_gateways {
            if let Some(v) = &g.vpc {
                gws_by_vpc.entry(v.as_str()).or_default().push((ResourceKind::InternetGateway, &g.id, &g.name));
            }
        }
        for g in &d.egress_only_internet_gateways {
            gws_by_vpc.entry(g.vpc.as_str()).or_default().push((
                ResourceKind::EgressOnlyInternetGateway,
                &g.id,
                &g.name,
            ));
        }
        for g in &d.vpn_gateways {
            if let Some(v) = &g.vpc {
                gws_by_vpc.entry(v.as_str()).or_default().push((ResourceKind::VpnGateway, &g.id, &g.name));
            }
        }
        Idx {
            subnets_by_vpc: group_by(&d.subnets, |s| &s.vpc),
            enis_by_subnet: group_by(&d.network_interfaces, |e| &e.subnet),
            enis_by_instance,
            nats_by_subnet: group_by(&d.nat_gateways, |n| &n.subnet),
            rts_by_vpc: group_by(&d.route_tables, |r| &r.vpc),
            rt_of_subnet,
            main_rt,
            sgs_by_vpc: group_by(&d.security_groups, |g| &g.vpc),
            acls_by_vpc: group_by(&d.network_acls, |a| &a.vpc),
            endpoints_by_vpc: group_by(&d.endpoints, |e| &e.vpc),
            lbs_by_vpc: group_by(&d.load_balancers, |l| &l.vpc),
            tgs_by_vpc: group_by(&d.target_groups, |t| &t.vpc),
            pcx_by_vpc,
            gws_by_vpc,
            attach_by_tgw: group_by(&d.tgw_attachments, |a| &a.tgw),
            tgw_rts_by_tgw: group_by(&d.tgw_route_tables, |r| &r.tgw),
            eip_ip: d.elastic_ips.iter().map(|e| (e.id.as_str(), e.public_ip)).collect(),
            instances: d.instances.iter().map(|i| (i.id.as_str(), i)).collect(),
            vpc_ids: d.vpcs.iter().map(|v| v.id.as_str()).collect(),
        }
    }

    fn subnet_table(&self, subnet: &Subnet) -> Option<&'a RouteTable> {
        self.rt_of_subnet.get(subnet.id.as_str()).or_else(|| self.main_rt.get(subnet.vpc.as_str())).copied()
    }
}

/// Whether a route table makes its subnets public: a route to an internet gateway (R9).
pub fn routes_to_igw(rt: &RouteTable) -> bool {
    rt.routes.iter().any(|r| matches!(r.target, RouteTarget::InternetGateway(_)) && r.state == RouteState::Active)
}

/// Usable addresses in an IPv4 subnet: 2^(32−n) − 5 (A6).
pub fn usable_addresses(prefix_len: u8) -> u64 {
    (1u64 << (32 - u32::from(prefix_len.min(32)))).saturating_sub(5)
}

struct Builder<'t, 'd> {
    theme: &'t Theme,
    worst: &'t HashMap<String, Severity>,
    nodes: HashMap<NodeId, NodeInfo>,
    /// Resources that have a node.
    placed: HashSet<&'d str>,
    /// `Name` tags shown beside names that are something else (Terraform addresses).
    tags: &'d std::collections::BTreeMap<String, String>,
}

impl<'d> Builder<'_, 'd> {
    fn mark(&self, id: &str) -> Option<Span<'static>> {
        self.worst.get(id).map(|s| {
            let color = match s {
                Severity::Error => self.theme.error,
                Severity::Warning => self.theme.warning,
                Severity::Info => self.theme.info,
            };
            Span::styled(format!("{} ", s.mark()), Style::new().fg(color).add_modifier(Modifier::BOLD))
        })
    }

    /// Add a node under `parent` (None: a root). `facts` are muted text after the name.
    fn add(&mut self, parent: Option<&str>, id: NodeId, node: NodeRef, name: &str, style: Style, facts: &str) {
        if self.nodes.contains_key(&id) {
            return;
        }
        let mut spans = Vec::with_capacity(3);
        if let Some(rid) = node.resource_id() {
            if let Some(m) = self.mark(rid) {
                spans.push(m);
            }
        }
        spans.push(Span::styled(name.to_string(), style));
        if !facts.is_empty() {
            spans.push(Span::styled(format!("  {facts}"), Style::new().fg(self.theme.muted)));
        }
        if let Some(p) = parent {
            if let Some(pn) = self.nodes.get_mut(p) {
                pn.children.push(id.clone());
            }
        }
        self.nodes.insert(
            id,
            NodeInfo { node, label: Line::from(spans), children: Vec::new(), parent: parent.map(str::to_string) },
        );
    }

    fn resource(&mut self, parent: &str, node_id: NodeId, kind: ResourceKind, id: &'d str, name: &str, facts: &str) {
        self.placed.insert(id);
        let style = Style::new().fg(match kind {
            ResourceKind::Vpc => self.theme.vpc,
            ResourceKind::Subnet => self.theme.subnet,
            _ => self.theme.resource,
        });
        // The id is in the detail panel (and the filter matches it); the label keeps to facts.
        // Escaped, so a control character in a name shows (and counts in the width) instead of
        // being dropped by the terminal backend.
        let shown = crate::model::text::escape_controls(if name.is_empty() { id } else { name });
        let facts = match self.tags.get(id) {
            Some(tag) if !facts.trim().is_empty() => {
                format!("\"{}\" · {}", crate::model::text::escape_controls(tag), facts.trim_end())
            }
            Some(tag) => format!("\"{}\"", crate::model::text::escape_controls(tag)),
            None => facts.trim_end().to_string(),
        };
        self.add(Some(parent), node_id, NodeRef::Resource { kind, id: id.to_string() }, &shown, style, &facts);
    }

    fn group(&mut self, parent: &str, kind: GroupKind, vpc: Option<&str>, region: &str, count: usize) -> NodeId {
        let id = format!("{parent}/{}", kind.slug());
        let style = Style::new().fg(self.theme.group).add_modifier(Modifier::ITALIC);
        self.add(
            Some(parent),
            id.clone(),
            NodeRef::Group { kind, vpc: vpc.map(str::to_string), region: region.to_string() },
            kind.title(),
            style,
            &format!("({count})"),
        );
        id
    }
}

fn ports_text(p: &PortSpec) -> String {
    p.to_string()
}

/// "1 route", "2 routes".
pub fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

fn route_facts(r: &Route) -> String {
    let mut s = format!("{} → {}", r.destination, r.target);
    if r.state == RouteState::Blackhole {
        s.push_str("  blackhole");
    }
    if !matches!(r.origin, RouteOrigin::Static | RouteOrigin::Local) {
        s.push_str(&format!("  {}", r.origin));
    }
    s
}

impl TreeModel {
    /// Rebuild the nodes from the design, keeping the selection, open nodes and filter.
    pub fn rebuild(&mut self, d: &Design, theme: &Theme, worst: &HashMap<String, Severity>) {
        let idx = Idx::new(d);
        let mut b = Builder {
            theme,
            worst,
            nodes: HashMap::with_capacity(self.nodes.len()),
            placed: HashSet::new(),
            tags: &d.tag_names,
        };
        let mut roots = Vec::new();

        // Regions: the design's default first, then every other one in name order.
        let mut regions: Vec<&str> = vec![d.default_region.as_str()];
        let mut others: Vec<&str> = d
            .vpcs
            .iter()
            .map(|v| v.region.as_str())
            .chain(d.transit_gateways.iter().map(|t| t.region.as_str()))
            .chain(d.endpoint_services.iter().map(|s| s.region.as_str()))
            .chain(d.prefix_lists.iter().filter(|p| !p.aws_managed).map(|p| p.region.as_str()))
            .filter(|r| *r != d.default_region)
            .collect();
        others.sort_unstable();
        others.dedup();
        regions.extend(others);

        let vpcs_by_region = group_by(&d.vpcs, |v| &v.region);
        let tgws_by_region = group_by(&d.transit_gateways, |t| &t.region);
        let svcs_by_region = group_by(&d.endpoint_services, |s| &s.region);
        let pls_by_region: HashMap<&str, Vec<&PrefixList>> =
            group_by(&d.prefix_lists, |p| &p.region).into_iter().collect();

        for region in &regions {
            let rid = format!("region:{region}");
            let nvpc = vpcs_by_region.get(region).map_or(0, Vec::len);
            let style = Style::new().fg(theme.region).add_modifier(Modifier::BOLD);
            let facts = plural(nvpc, "VPC");
            b.add(None, rid.clone(), NodeRef::Region(region.to_string()), region, style, &facts);
            roots.push(rid.clone());

            for v in vpcs_by_region.get(region).map(Vec::as_slice).unwrap_or_default() {
                Self::vpc_nodes(&mut b, &idx, d, &rid, v);
            }

            // Region-level groups.
            if let Some(tgws) = tgws_by_region.get(region) {
                let g = b.group(&rid, GroupKind::TransitGateways, None, region, tgws.len());
                for t in tgws {
                    let facts = format!("asn {}", t.asn);
                    b.resource(&g, t.id.clone(), ResourceKind::TransitGateway, &t.id, &t.name, &facts);
                    for a in idx.attach_by_tgw.get(t.id.as_str()).map(Vec::as_slice).unwrap_or_default() {
                        let what = match &a.kind {
                            TgwAttachmentKind::Vpc { vpc, subnets } => {
                                format!("vpc {vpc} · {}", plural(subnets.len(), "subnet"))
                            }
                            TgwAttachmentKind::Vpn { vpn } => format!("vpn {vpn}"),
                            TgwAttachmentKind::Peering { peer_tgw } => format!("peer {peer_tgw}"),
                        };
                        let facts = format!("{what} · {:?}", a.state).to_lowercase();
                        b.resource(&t.id, a.id.clone(), ResourceKind::TgwAttachment, &a.id, &a.name, &facts);
                    }
                    for r in idx.tgw_rts_by_tgw.get(t.id.as_str()).map(Vec::as_slice).unwrap_or_default() {
                        let facts = format!(
                            "{} static · {}",
                            r.static_routes.len(),
                            plural(r.propagations.len(), "propagation")
                        );
                        b.resource(&t.id, r.id.clone(), ResourceKind::TgwRouteTable, &r.id, &r.name, &facts);
                    }
                }
            }
            if *region == d.default_region {
                let free_vgws: Vec<&VpnGateway> = d
                    .vpn_gateways
                    .iter()
                    .filter(|g| g.vpc.as_deref().is_none_or(|v| !idx.vpc_ids.contains(v)))
                    .collect();
                let n = d.customer_gateways.len() + d.vpn_connections.len() + free_vgws.len();
                if n > 0 {
                    let g = b.group(&rid, GroupKind::Vpn, None, region, n);
                    for c in &d.customer_gateways {
                        let facts = format!("CGW {} · asn {}", c.ip, c.bgp_asn);
                        b.resource(&g, c.id.clone(), ResourceKind::CustomerGateway, &c.id, &c.name, &facts);
                    }
                    for v in &free_vgws {
                        let facts = format!("VGW detached · asn {}", v.asn);
                        b.resource(&g, v.id.clone(), ResourceKind::VpnGateway, &v.id, &v.name, &facts);
                    }
                    for c in &d.vpn_connections {
                        let to = c.vpn_gateway.as_deref().or(c.transit_gateway.as_deref()).unwrap_or("-");
                        let facts = format!(
                            "VPN {} → {to} · {} · {:?}",
                            c.customer_gateway,
                            plural(c.routes.len(), "route"),
                            c.state
                        )
                        .to_lowercase();
                        b.resource(&g, c.id.clone(), ResourceKind::VpnConnection, &c.id, &c.name, &facts);
                    }
                }
                if !d.elastic_ips.is_empty() {
                    let g = b.group(&rid, GroupKind::ElasticIps, None, region, d.elastic_ips.len());
                    for e in &d.elastic_ips {
                        b.resource(&g, e.id.clone(), ResourceKind::ElasticIp, &e.id, &e.name, &e.public_ip.to_string());
                    }
                }
            }
            if let Some(svcs) = svcs_by_region.get(region) {
                let g = b.group(&rid, GroupKind::EndpointServices, None, region, svcs.len());
                for s in svcs {
                    let facts = format!(
                        "{} · {} NLB{}",
                        s.service_name,
                        s.load_balancers.len(),
                        if s.acceptance_required { " · manual accept" } else { "" }
                    );
                    b.resource(&g, s.id.clone(), ResourceKind::EndpointService, &s.id, &s.name, &facts);
                }
            }
            if let Some(pls) = pls_by_region.get(region) {
                let g = b.group(&rid, GroupKind::PrefixLists, None, region, pls.len());
                for p in pls {
                    let facts = format!("{} CIDRs{}", p.cidrs.len(), if p.aws_managed { " · AWS" } else { "" });
                    b.resource(&g, p.id.clone(), ResourceKind::PrefixList, &p.id, &p.name, &facts);
                }
            }
        }

        // Anything not placed above (an instance with no interface, a resource whose owner is
        // missing) still gets a node, so nothing in the design is invisible.
        let root = format!("region:{}", d.default_region);
        let unplaced: Vec<Resource<'_>> = d.resources().filter(|r| !b.placed.contains(r.id())).collect();
        if !unplaced.is_empty() {
            let g = b.group(&root, GroupKind::Other, None, &d.default_region, unplaced.len());
            for r in unplaced {
                b.resource(&g, r.id().to_string(), r.kind(), r.id(), r.name(), r.kind().label());
            }
        }

        let old = std::mem::replace(&mut self.nodes, b.nodes);
        // Freeing a large tree's many small strings takes a while: do it off the UI thread.
        if old.len() > 20_000 {
            let _ = std::thread::Builder::new().name("tree-drop".into()).spawn(move || drop(old));
        }
        self.roots = roots;
        self.regenerate();
        self.repair_selection();
    }

    fn vpc_nodes<'d>(b: &mut Builder<'_, 'd>, idx: &Idx<'d>, d: &'d Design, parent: &str, v: &'d Vpc) {
        let _ = d;
        let region = v.region.as_str();
        let extra = if v.secondary_cidrs.is_empty() { String::new() } else { format!(" +{}", v.secondary_cidrs.len()) };
        let facts = format!("{}{extra}{}", v.cidr, if v.is_default { " · default" } else { "" });
        b.resource(parent, v.id.clone(), ResourceKind::Vpc, &v.id, &v.name, &facts);
        let vid = v.id.as_str();

        // AZ ▸ subnet ▸ instance ▸ ENI, NAT gateways.
        let subnets = idx.subnets_by_vpc.get(vid).map(Vec::as_slice).unwrap_or_default();
        let mut azs: Vec<&str> = subnets.iter().map(|s| s.az.as_str()).collect();
        azs.sort_unstable();
        azs.dedup();
        for az in azs {
            let az_id = format!("{vid}/az/{az}");
            let n = subnets.iter().filter(|s| s.az == az).count();
            let style = Style::new().fg(b.theme.group);
            let facts = plural(n, "subnet");
            b.add(Some(vid), az_id.clone(), NodeRef::Az { vpc: v.id.clone(), az: az.to_string() }, az, style, &facts);
            for s in subnets.iter().filter(|s| s.az == az) {
                let rt = idx.subnet_table(s);
                let kind = if rt.is_some_and(routes_to_igw) { "public" } else { "private" };
                let rt_name =
                    rt.map(|r| if r.name.is_empty() { r.id.as_str() } else { r.name.as_str() }).unwrap_or("-");
                let facts = format!("{} · {kind} · rt {rt_name}", s.primary_cidr_text());
                b.resource(&az_id, s.id.clone(), ResourceKind::Subnet, &s.id, &s.name, &facts);
                let sid = s.id.as_str();
                for e in idx.enis_by_subnet.get(sid).map(Vec::as_slice).unwrap_or_default() {
                    match &e.instance {
                        Some(i) => {
                            // The instance hangs under the subnet of its primary interface.
                            let primary = idx.enis_by_instance.get(i.as_str()).and_then(|v| v.first());
                            if primary.is_some_and(|p| p.id == e.id) {
                                if let Some(inst) = idx.instances.get(i.as_str()) {
                                    let ip = e.primary_ip().map(|a| a.to_string()).unwrap_or_default();
                                    let public = e
                                        .eip
                                        .as_deref()
                                        .and_then(|a| idx.eip_ip.get(a).copied())
                                        .or(e.public_ip)
                                        .map(|p| format!(" ⇢ {p}"))
                                        .unwrap_or_default();
                                    let facts = format!("{ip}{public} · {:?}", inst.state).to_lowercase();
                                    b.resource(
                                        sid,
                                        inst.id.clone(),
                                        ResourceKind::Instance,
                                        &inst.id,
                                        &inst.name,
                                        &facts,
                                    );
                                    for nic in
                                        idx.enis_by_instance.get(i.as_str()).map(Vec::as_slice).unwrap_or_default()
                                    {
                                        Self::eni_node(b, &inst.id, nic);
                                    }
                                }
                            }
                        }
                        None => Self::eni_node(b, sid, e),
                    }
                }
                for n in idx.nats_by_subnet.get(sid).map(Vec::as_slice).unwrap_or_default() {
                    let public =
                        n.eip.as_deref().and_then(|a| idx.eip_ip.get(a)).map(|p| format!(" ⇢ {p}")).unwrap_or_default();
                    let facts =
                        format!("NAT {}{public} · {:?} · {:?}", n.private_ip, n.connectivity, n.state).to_lowercase();
                    b.resource(sid, n.id.clone(), ResourceKind::NatGateway, &n.id, &n.name, &facts);
                }
            }
        }

        // Route tables ▸ routes.
        if let Some(rts) = idx.rts_by_vpc.get(vid) {
            let g = b.group(vid, GroupKind::RouteTables, Some(vid), region, rts.len());
            for rt in rts {
                let facts = format!(
                    "{}{} · {}",
                    if rt.main { "main · " } else { "" },
                    plural(rt.subnets.len(), "subnet"),
                    plural(rt.routes.len(), "route")
                );
                b.resource(&g, rt.id.clone(), ResourceKind::RouteTable, &rt.id, &rt.name, &facts);
                for (i, r) in rt.routes.iter().enumerate() {
                    let node = NodeRef::Route { rtb: rt.id.clone(), index: i };
                    let style = if r.state == RouteState::Blackhole {
                        Style::new().fg(b.theme.error)
                    } else {
                        Style::new().fg(b.theme.fg)
                    };
                    b.add(Some(&rt.id), format!("{}/r/{i}", rt.id), node, &route_facts(r), style, "");
                }
            }
        }

        // Gateways attached to the VPC.
        if let Some(gws) = idx.gws_by_vpc.get(vid) {
            let g = b.group(vid, GroupKind::Gateways, Some(vid), region, gws.len());
            for (kind, id, name) in gws {
                let facts = match kind {
                    ResourceKind::InternetGateway => "IGW attached",
                    ResourceKind::EgressOnlyInternetGateway => "egress-only IGW",
                    _ => "VGW attached",
                };
                b.resource(&g, id.to_string(), *kind, id, name, facts);
            }
        }

        if let Some(eps) = idx.endpoints_by_vpc.get(vid) {
            let g = b.group(vid, GroupKind::Endpoints, Some(vid), region, eps.len());
            for e in eps {
                let short = e.service_name.rsplit('.').next().unwrap_or(&e.service_name);
                let facts = format!("{short} · {:?} · {}", e.kind, e.state.api_name()).to_lowercase();
                b.resource(&g, e.id.clone(), ResourceKind::VpcEndpoint, &e.id, &e.name, &facts);
            }
        }

        if let Some(pcxs) = idx.pcx_by_vpc.get(vid) {
            let g = b.group(vid, GroupKind::Peerings, Some(vid), region, pcxs.len());
            for p in pcxs {
                let other = p.other_side(vid).unwrap_or("?");
                let facts = format!("↔ {other} · {}", p.status);
                b.resource(&g, format!("{vid}/{}", p.id), ResourceKind::VpcPeering, &p.id, &p.name, &facts);
            }
        }

        if let Some(sgs) = idx.sgs_by_vpc.get(vid) {
            let g = b.group(vid, GroupKind::SecurityGroups, Some(vid), region, sgs.len());
            for sg in sgs {
                let facts = format!(
                    "{}{} in · {} out",
                    if sg.is_default { "default · " } else { "" },
                    sg.ingress.len(),
                    sg.egress.len()
                );
                b.resource(&g, sg.id.clone(), ResourceKind::SecurityGroup, &sg.id, &sg.name, &facts);
                for (egress, rules) in [(false, &sg.ingress), (true, &sg.egress)] {
                    for (i, r) in rules.iter().enumerate() {
                        let dir = if egress { "out" } else { "in" };
                        let arrow = if egress { "→" } else { "←" };
                        let text = format!("{dir} {} {} {arrow} {}", r.protocol, ports_text(&r.ports), r.peer);
                        let node = NodeRef::SgRule { sg: sg.id.clone(), egress, index: i };
                        let style = Style::new().fg(b.theme.fg);
                        b.add(Some(&sg.id), format!("{}/{dir}/{i}", sg.id), node, &text, style, &r.description);
                    }
                }
            }
        }

        if let Some(acls) = idx.acls_by_vpc.get(vid) {
            let g = b.group(vid, GroupKind::NetworkAcls, Some(vid), region, acls.len());
            for a in acls {
                let entries =
                    if a.entries.len() == 1 { "1 entry".to_string() } else { format!("{} entries", a.entries.len()) };
                let facts = format!(
                    "{}{} · {entries}",
                    if a.is_default { "default · " } else { "" },
                    plural(a.subnets.len(), "subnet")
                );
                b.resource(&g, a.id.clone(), ResourceKind::NetworkAcl, &a.id, &a.name, &facts);
                for (i, e) in a.entries.iter().enumerate() {
                    let text = format!(
                        "{} {} {} {} {} {}",
                        if e.egress { "out" } else { "in" },
                        e.rule_number,
                        e.action,
                        e.protocol,
                        ports_text(&e.ports),
                        e.cidr
                    );
                    let style =
                        Style::new().fg(if e.action == RuleAction::Deny { b.theme.warning } else { b.theme.fg });
                    let node = NodeRef::NaclEntry { acl: a.id.clone(), index: i };
                    b.add(Some(&a.id), format!("{}/e/{i}", a.id), node, &text, style, "");
                }
            }
        }

        if let Some(lbs) = idx.lbs_by_vpc.get(vid) {
            let g = b.group(vid, GroupKind::LoadBalancers, Some(vid), region, lbs.len());
            for l in lbs {
                let facts = format!("{:?} · {:?} · {}", l.kind, l.scheme, plural(l.nodes.len(), "node")).to_lowercase();
                b.resource(&g, l.id.clone(), ResourceKind::LoadBalancer, &l.id, &l.name, &facts);
            }
        }
        if let Some(tgs) = idx.tgs_by_vpc.get(vid) {
            let g = b.group(vid, GroupKind::TargetGroups, Some(vid), region, tgs.len());
            for t in tgs {
                let facts = format!("{} {} · {}", t.protocol, t.port, plural(t.targets.len(), "target"));
                b.resource(&g, t.id.clone(), ResourceKind::TargetGroup, &t.id, &t.name, &facts);
            }
        }
    }

    fn eni_node<'d>(b: &mut Builder<'_, 'd>, parent: &str, e: &'d NetworkInterface) {
        let ips: Vec<String> = e.private_ips.iter().map(|a| a.to_string()).collect();
        let mut facts = ips.join(", ");
        if !e.source_dest_check {
            facts.push_str(" · src/dst check off");
        }
        b.resource(parent, e.id.clone(), ResourceKind::NetworkInterface, &e.id, &e.name, &facts);
    }

    /// Rebuild the widget items from the nodes, the open set and the filter.
    pub fn regenerate(&mut self) {
        let filter = self.filter.trim().to_lowercase();
        let keep = if filter.is_empty() { None } else { Some(self.filter_keep(&filter)) };
        let items = {
            let st = self.state.borrow();
            let mut path = Vec::new();
            self.roots.iter().filter_map(|r| self.item(r, keep.as_ref(), st.opened(), &mut path)).collect()
        };
        self.items = items;
    }

    /// The nodes a filter keeps: every match with its subtree, and the ancestors of each match
    /// (which it opens, so the matches show).
    fn filter_keep(&self, filter: &str) -> HashSet<String> {
        let mut keep: HashSet<String> = HashSet::new();
        let mut open: Vec<Vec<NodeId>> = Vec::new();
        for (id, n) in &self.nodes {
            if !n.matches(filter) {
                continue;
            }
            let mut stack = vec![id.as_str()];
            while let Some(x) = stack.pop() {
                if keep.insert(x.to_string()) {
                    if let Some(nx) = self.nodes.get(x) {
                        stack.extend(nx.children.iter().map(String::as_str));
                    }
                }
            }
            let path = self.path_of(id);
            for i in 1..path.len() {
                open.push(path[..i].to_vec());
            }
            keep.extend(path);
        }
        let mut st = self.state.borrow_mut();
        for p in open {
            st.open(p);
        }
        keep
    }

    fn item(
        &self,
        id: &str,
        keep: Option<&HashSet<String>>,
        opened: &HashSet<Vec<NodeId>>,
        path: &mut Vec<NodeId>,
    ) -> Option<TreeItem<'static, NodeId>> {
        if keep.is_some_and(|k| !k.contains(id)) {
            return None;
        }
        let n = self.nodes.get(id)?;
        path.push(id.to_string());
        let children: Vec<TreeItem<'static, NodeId>> = if n.children.is_empty() {
            Vec::new()
        } else if opened.contains(path) {
            n.children.iter().filter_map(|c| self.item(c, keep, opened, path)).collect()
        } else if n.children.iter().any(|c| keep.is_none_or(|k| k.contains(c))) {
            vec![TreeItem::new_leaf(format!("{id}/…"), "")]
        } else {
            Vec::new()
        };
        path.pop();
        // Identifiers are unique by construction; a failure here would be a bug in the builder,
        // so fall back to a leaf rather than lose the node.
        Some(
            TreeItem::new(id.to_string(), n.label.clone(), children)
                .unwrap_or_else(|_| TreeItem::new_leaf(id.to_string(), n.label.clone())),
        )
    }

    /// The path from a root to a node (empty for an unknown node).
    pub fn path_of(&self, id: &str) -> Vec<NodeId> {
        let mut path = Vec::new();
        let mut cur = self.nodes.get_key_value(id);
        let mut guard = 0;
        while let Some((k, n)) = cur {
            path.push(k.clone());
            cur = n.parent.as_deref().and_then(|p| self.nodes.get_key_value(p));
            guard += 1;
            if guard > 64 {
                break;
            }
        }
        path.reverse();
        path
    }

    /// The visible rows, in order, as identifier paths.
    pub fn visible(&self) -> Vec<Vec<NodeId>> {
        self.state.borrow().flatten(&self.items).into_iter().map(|f| f.identifier).collect()
    }

    /// The selected node's id.
    pub fn selected_id(&self) -> Option<NodeId> {
        self.state.borrow().selected().last().cloned()
    }

    /// What the selected node stands for.
    pub fn selected(&self) -> Option<&NodeInfo> {
        let id = self.selected_id()?;
        self.nodes.get(&id)
    }

    /// Select a node: open its ancestors, select its path.
    pub fn select_node(&mut self, id: &str) -> bool {
        let path = self.path_of(id);
        if path.is_empty() {
            return false;
        }
        let mut opened = false;
        {
            let mut st = self.state.borrow_mut();
            for i in 1..path.len() {
                opened |= st.open(path[..i].to_vec());
            }
            st.select(path);
        }
        if opened {
            self.regenerate();
        }
        true
    }

    /// The node of a resource (the first one, for a peering shown under both VPCs).
    pub fn node_of(&self, id: &str) -> Option<NodeId> {
        if self.nodes.get(id).is_some_and(|n| n.node.resource_id() == Some(id)) {
            return Some(id.to_string());
        }
        self.nodes.iter().filter(|(_, n)| n.node.resource_id() == Some(id)).map(|(k, _)| k).min().cloned()
    }

    /// Select the node of a resource.
    pub fn select_resource(&mut self, id: &str) -> bool {
        match self.node_of(id) {
            Some(n) => self.select_node(&n),
            None => false,
        }
    }

    /// Move the selection by `delta` visible rows.
    pub fn move_by(&mut self, delta: isize) {
        let visible = self.visible();
        if visible.is_empty() {
            return;
        }
        let mut st = self.state.borrow_mut();
        let cur = visible.iter().position(|p| p.as_slice() == st.selected());
        let last = visible.len() - 1;
        let next = match cur {
            None => {
                if delta < 0 {
                    last
                } else {
                    0
                }
            }
            Some(i) => (i as isize).saturating_add(delta).clamp(0, last as isize) as usize,
        };
        st.select(visible[next].clone());
    }

    pub fn first(&mut self) {
        if let Some(p) = self.visible().into_iter().next() {
            self.state.borrow_mut().select(p);
        }
    }

    pub fn last(&mut self) {
        if let Some(p) = self.visible().pop() {
            self.state.borrow_mut().select(p);
        }
    }

    pub fn left(&mut self) {
        self.state.borrow_mut().key_left();
        self.regenerate();
    }

    pub fn right(&mut self) {
        if self.state.borrow_mut().key_right() {
            self.regenerate();
        }
    }

    pub fn toggle(&mut self) {
        if self.state.borrow_mut().toggle_selected() {
            self.regenerate();
        }
    }

    /// A mouse click on the tree: select the row, or toggle it when already selected.
    pub fn click(&mut self, x: u16, y: u16) {
        if self.state.borrow_mut().click_at(ratatui::layout::Position { x, y }) {
            self.regenerate();
        }
    }

    /// Open every node.
    pub fn expand_all(&mut self) {
        let paths: Vec<Vec<NodeId>> =
            self.nodes.keys().filter(|k| !self.nodes[*k].children.is_empty()).map(|k| self.path_of(k)).collect();
        {
            let mut st = self.state.borrow_mut();
            for p in paths {
                st.open(p);
            }
        }
        self.regenerate();
    }

    /// Close every node; the selection moves to its root.
    pub fn collapse_all(&mut self) {
        {
            let mut st = self.state.borrow_mut();
            st.close_all();
            let root: Vec<NodeId> = st.selected().first().cloned().into_iter().collect();
            st.select(root);
        }
        self.regenerate();
    }

    /// Open the first levels so a fresh tree shows regions, VPCs and AZs, and select the first
    /// subnet.
    pub fn open_default(&mut self) {
        let mut opens = Vec::new();
        for r in &self.roots {
            opens.push(vec![r.clone()]);
            if let Some(n) = self.nodes.get(r) {
                // Open VPCs only when there are few of them: a thousand open VPCs help no one.
                let vpcs: Vec<&NodeId> = n
                    .children
                    .iter()
                    .filter(|c| {
                        matches!(
                            self.nodes.get(*c).map(|x| &x.node),
                            Some(NodeRef::Resource { kind: ResourceKind::Vpc, .. })
                        )
                    })
                    .collect();
                if vpcs.len() <= 3 {
                    for v in vpcs {
                        opens.push(vec![r.clone(), v.clone()]);
                        if let Some(vn) = self.nodes.get(v) {
                            for az in vn.children.iter().filter(|c| c.contains("/az/")) {
                                opens.push(vec![r.clone(), v.clone(), az.clone()]);
                            }
                        }
                    }
                }
            }
        }
        {
            let mut st = self.state.borrow_mut();
            for o in opens {
                st.open(o);
            }
        }
        self.regenerate();
        // Start on the first subnet, so the planner and the routes pane have something to show.
        match self.first_of(ResourceKind::Subnet).or_else(|| self.first_of(ResourceKind::Vpc)) {
            Some(id) => {
                self.select_node(&id);
            }
            None => {
                if let Some(r) = self.roots.first() {
                    self.state.borrow_mut().select(vec![r.clone()]);
                }
            }
        }
    }

    /// The first node of a kind in tree order (depth first).
    fn first_of(&self, kind: ResourceKind) -> Option<NodeId> {
        let mut stack: Vec<&NodeId> = self.roots.iter().rev().collect();
        while let Some(id) = stack.pop() {
            let n = self.nodes.get(id)?;
            if matches!(&n.node, NodeRef::Resource { kind: k, .. } if *k == kind) {
                return Some(id.clone());
            }
            stack.extend(n.children.iter().rev());
        }
        None
    }

    /// After a rebuild, keep the selection on the same node if it still exists (wherever it
    /// moved), else on its nearest surviving ancestor, else on the first row.
    fn repair_selection(&mut self) {
        let old: Vec<NodeId> = self.state.borrow().selected().to_vec();
        let target = old.iter().rev().find(|id| self.nodes.contains_key(*id)).cloned();
        let path = target.map(|t| self.path_of(&t)).unwrap_or_default();
        let visible = self.visible();
        let ok = !path.is_empty() && (self.filter.is_empty() || visible.contains(&path));
        let mut opened = false;
        {
            let mut st = self.state.borrow_mut();
            if ok {
                if path != old {
                    for i in 1..path.len() {
                        opened |= st.open(path[..i].to_vec());
                    }
                    st.select(path);
                }
            } else if let Some(first) = visible.into_iter().next() {
                st.select(first);
            } else {
                st.select(Vec::new());
            }
        }
        if opened {
            self.regenerate();
        }
    }

    /// Set the filter text and rebuild the items.
    pub fn set_filter(&mut self, text: String) {
        self.filter = text;
        self.filter_cursor = self.filter_cursor.min(self.filter.chars().count());
        self.regenerate();
        self.repair_selection();
    }

    /// The nearest ancestor-or-self of the selection that satisfies `f`.
    pub fn find_up<T>(&self, mut f: impl FnMut(&NodeRef) -> Option<T>) -> Option<T> {
        let mut cur = self.selected_id();
        let mut guard = 0;
        while let Some(id) = cur {
            let n = self.nodes.get(&id)?;
            if let Some(t) = f(&n.node) {
                return Some(t);
            }
            cur = n.parent.clone();
            guard += 1;
            if guard > 64 {
                break;
            }
        }
        None
    }
}
