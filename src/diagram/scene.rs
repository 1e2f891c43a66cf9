//! What a topology picture shows, without geometry: a tree of boxes (regions ▸ VPCs ▸ AZ
//! columns ▸ subnets ▸ NAT gateways and interface endpoints, gateways on a VPC's border,
//! gateway endpoints and transit gateways beside the VPCs, things outside AWS on top) and the
//! lines between them (peerings, transit gateway attachments, VPNs, gateway endpoint routes).
//!
//! Built in one pass over the design with id maps, so it is linear in the design's size.
//! The order of everything follows the design's own (insertion) order, AZs sort by name: the
//! same design always gives the same scene.

use crate::l10n::{ui, uif, Lang};
use crate::model::{Design, EndpointKind, Id, PeeringStatus, RouteTable, SubnetKind, TgwAttachmentKind};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Index of a node in [`Scene::nodes`].
pub type NodeId = usize;
/// Index of an edge in [`Scene::edges`].
pub type EdgeId = usize;

/// What a box stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Region,
    Vpc,
    /// A VPC known only as the other end of a reference (another account's peer).
    ExternalVpc,
    AvailabilityZone,
    Subnet(SubnetKind),
    InternetGateway,
    EgressOnlyInternetGateway,
    VpnGateway,
    NatGateway,
    /// One network interface of an interface (or Gateway Load Balancer) endpoint, in its subnet.
    InterfaceEndpoint,
    GatewayEndpoint,
    TransitGateway,
    Internet,
    AwsServices,
    CustomerGateway,
}

/// Where a box sits relative to its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Inside the parent's box.
    Inside,
    /// Astride the parent's top edge (gateways on a VPC's border).
    Border,
}

impl NodeKind {
    /// The AWS-style label of the kind, as architecture diagrams write it.
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Region => "Region",
            NodeKind::Vpc => "VPC",
            NodeKind::ExternalVpc => "VPC (outside the design)",
            NodeKind::AvailabilityZone => "Availability Zone",
            NodeKind::Subnet(SubnetKind::Public) => "Public subnet",
            NodeKind::Subnet(SubnetKind::VpnOnly) => "VPN-only subnet",
            NodeKind::Subnet(SubnetKind::Private) => "Private subnet",
            NodeKind::InternetGateway => "Internet gateway",
            NodeKind::EgressOnlyInternetGateway => "Egress-only internet gateway",
            NodeKind::VpnGateway => "Virtual private gateway",
            NodeKind::NatGateway => "NAT gateway",
            NodeKind::InterfaceEndpoint => "Interface endpoint",
            NodeKind::GatewayEndpoint => "Gateway endpoint",
            NodeKind::TransitGateway => "Transit gateway",
            NodeKind::Internet => "Internet",
            NodeKind::AwsServices => "AWS services",
            NodeKind::CustomerGateway => "Customer gateway",
        }
    }

    /// A short tag for small boxes: `IGW`, `NAT`, `VPCE` …
    pub fn short(self) -> &'static str {
        match self {
            NodeKind::Region => "Region",
            NodeKind::Vpc | NodeKind::ExternalVpc => "VPC",
            NodeKind::AvailabilityZone => "AZ",
            NodeKind::Subnet(_) => "Subnet",
            NodeKind::InternetGateway => "IGW",
            NodeKind::EgressOnlyInternetGateway => "EIGW",
            NodeKind::VpnGateway => "VGW",
            NodeKind::NatGateway => "NAT",
            NodeKind::InterfaceEndpoint | NodeKind::GatewayEndpoint => "VPCE",
            NodeKind::TransitGateway => "TGW",
            NodeKind::Internet => "Internet",
            NodeKind::AwsServices => "AWS",
            NodeKind::CustomerGateway => "CGW",
        }
    }

    /// Whether the box holds other boxes (drawn as a labelled frame).
    pub fn is_group(self) -> bool {
        matches!(
            self,
            NodeKind::Region | NodeKind::Vpc | NodeKind::ExternalVpc | NodeKind::AvailabilityZone | NodeKind::Subnet(_)
        )
    }

    /// Where the box sits relative to its parent.
    pub fn placement(self) -> Placement {
        match self {
            NodeKind::InternetGateway | NodeKind::EgressOnlyInternetGateway | NodeKind::VpnGateway => Placement::Border,
            _ => Placement::Inside,
        }
    }

    /// A stable lowercase word for the kind, used in CSS classes and ids (`subnet-public` …).
    pub fn slug(self) -> &'static str {
        match self {
            NodeKind::Region => "region",
            NodeKind::Vpc => "vpc",
            NodeKind::ExternalVpc => "vpc-external",
            NodeKind::AvailabilityZone => "az",
            NodeKind::Subnet(SubnetKind::Public) => "subnet-public",
            NodeKind::Subnet(SubnetKind::VpnOnly) => "subnet-vpn-only",
            NodeKind::Subnet(SubnetKind::Private) => "subnet-private",
            NodeKind::InternetGateway => "igw",
            NodeKind::EgressOnlyInternetGateway => "eigw",
            NodeKind::VpnGateway => "vgw",
            NodeKind::NatGateway => "nat",
            NodeKind::InterfaceEndpoint => "vpce-interface",
            NodeKind::GatewayEndpoint => "vpce-gateway",
            NodeKind::TransitGateway => "tgw",
            NodeKind::Internet => "internet",
            NodeKind::AwsServices => "aws-services",
            NodeKind::CustomerGateway => "cgw",
        }
    }
}

/// One box of the picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// Unique in the scene: the resource id, or `region:…`, `az:<vpc>:<zone>`, `internet`,
    /// `aws-services:<region>`, `<vpce>@<subnet>` for one interface of an interface endpoint.
    pub key: String,
    /// The design resource the box shows (for selecting it in the tree), if any.
    pub resource: Option<Id>,
    pub parent: Option<NodeId>,
    /// Children in drawing order.
    pub children: Vec<NodeId>,
    /// A box drawn next to another one rather than inside it (a gateway endpoint under its VPC).
    pub near: Option<NodeId>,
    /// The resource's name (its id when it has none).
    pub name: String,
    /// Further lines shown when there is room: CIDRs, public/private and instance count …
    pub facts: Vec<String>,
    /// Not carrying traffic (a pending peering, a failed NAT gateway …): drawn dashed.
    pub inactive: bool,
}

/// What a line stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// A VPC peering connection between two VPCs.
    Peering,
    /// A transit gateway attachment (to a VPC, a peer transit gateway or a VPN's customer gateway).
    TgwAttachment,
    /// A site-to-site VPN from a virtual private gateway to a customer gateway.
    Vpn,
    /// A subnet whose route table has the gateway endpoint's route (G2).
    EndpointRoute,
    /// A gateway endpoint to the AWS services of its region.
    EndpointService,
}

impl EdgeKind {
    /// A stable lowercase word for the kind.
    pub fn slug(self) -> &'static str {
        match self {
            EdgeKind::Peering => "peering",
            EdgeKind::TgwAttachment => "tgw-attachment",
            EdgeKind::Vpn => "vpn",
            EdgeKind::EndpointRoute => "endpoint-route",
            EdgeKind::EndpointService => "endpoint-service",
        }
    }
}

/// One line of the picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeKind,
    pub from: NodeId,
    pub to: NodeId,
    /// The resource the line is (a peering, an attachment, a VPN connection), if any.
    pub resource: Option<Id>,
    pub label: String,
    pub inactive: bool,
}

/// Which part of the design to draw: empty lists mean everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Region names.
    pub regions: Vec<String>,
    /// VPC ids or names.
    pub vpcs: Vec<String>,
}

/// The boxes and lines of a picture of a design.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scene {
    /// The design's name.
    pub title: String,
    pub nodes: Vec<Node>,
    /// Top-level boxes in drawing order: things outside AWS first, then the regions.
    pub roots: Vec<NodeId>,
    pub edges: Vec<Edge>,
    /// What the picture leaves out, one sentence each.
    pub notes: Vec<String>,
    /// The language of the boxes' words (English for the exported pictures).
    pub lang: Lang,
    by_key: HashMap<String, NodeId>,
    /// Resources without a box of their own → the box they are drawn in (instances,
    /// network interfaces, load balancers → their subnet; route tables, groups, ACLs → VPC).
    located: HashMap<Id, NodeId>,
}

impl Scene {
    /// The scene of a design, restricted by `filter`. An unknown region or VPC in the filter
    /// is an error naming what the design has.
    pub fn build(d: &Design, filter: &Filter) -> Result<Scene, String> {
        Scene::build_in(d, filter, Lang::En).map_err(String::from)
    }

    /// The scene with its interface words ("Internet", a subnet's "public · 2 instances") in
    /// `lang`, for the app's map; the exported pictures are drawn from [`Scene::build`] and
    /// stay English. Why there is nothing to draw is a sentence each language says.
    pub fn build_in(d: &Design, filter: &Filter, lang: Lang) -> Result<Scene, crate::l10n::Text> {
        let mut b = Builder::new(d, filter)?;
        b.lang = lang;
        b.out.lang = lang;
        b.build()
    }

    /// The node with a key.
    pub fn by_key(&self, key: &str) -> Option<NodeId> {
        self.by_key.get(key).copied()
    }

    /// The box that shows a resource: its own box, or the box it is drawn in (an instance's
    /// subnet, a route table's VPC). For an interface endpoint, its first interface's box.
    pub fn locate(&self, resource: &str) -> Option<NodeId> {
        self.by_key.get(resource).or_else(|| self.located.get(resource)).copied()
    }

    /// The nearest ancestor (or the node itself) of a kind accepted by `f`.
    pub fn ancestor(&self, mut n: NodeId, f: impl Fn(NodeKind) -> bool) -> Option<NodeId> {
        loop {
            if f(self.nodes[n].kind) {
                return Some(n);
            }
            n = self.nodes[n].parent?;
        }
    }

    /// Every node, parents before children, in drawing order.
    pub fn preorder(&self) -> Vec<NodeId> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack: Vec<NodeId> = self.roots.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.nodes[n].children.iter().rev().copied());
        }
        out
    }

    /// Every edge touching a node.
    pub fn edges_of(&self, n: NodeId) -> impl Iterator<Item = EdgeId> + '_ {
        self.edges.iter().enumerate().filter(move |(_, e)| e.from == n || e.to == n).map(|(i, _)| i)
    }

    /// The edge that shows a resource (a peering, an attachment).
    pub fn edge_of_resource(&self, resource: &str) -> Option<EdgeId> {
        self.edges.iter().position(|e| e.resource.as_deref() == Some(resource))
    }

    fn add(&mut self, mut node: Node) -> NodeId {
        let id = self.nodes.len();
        // Keys are unique even if a (hand-edited) design repeats an id.
        if self.by_key.contains_key(&node.key) {
            let base = node.key.clone();
            let mut k = 2;
            while self.by_key.contains_key(&node.key) {
                node.key = format!("{base}#{k}");
                k += 1;
            }
        }
        if let Some(p) = node.parent {
            self.nodes[p].children.push(id);
        } else {
            self.roots.push(id);
        }
        self.by_key.insert(node.key.clone(), id);
        self.nodes.push(node);
        id
    }

    fn edge(&mut self, kind: EdgeKind, from: NodeId, to: NodeId, resource: Option<&str>, label: &str, inactive: bool) {
        self.edges.push(Edge {
            kind,
            from,
            to,
            resource: resource.map(str::to_string),
            label: label.to_string(),
            inactive,
        });
    }
}

fn name_or_id(name: &str, id: &str) -> String {
    if name.trim().is_empty() {
        id.to_string()
    } else {
        name.to_string()
    }
}

fn plural(n: usize, one: &str) -> String {
    match n {
        0 => format!("no {one}s"),
        1 => format!("1 {one}"),
        _ => format!("{n} {one}s"),
    }
}

/// How many instances a subnet has, in a language (English: [`plural`]'s words).
fn instances_text(n: usize, lang: Lang) -> String {
    match (lang, n) {
        (Lang::En, _) => plural(n, "instance"),
        (_, 0) => ui(lang, "no instances"),
        (_, 1) => ui(lang, "1 instance"),
        (_, n) => uif(lang, "{n} instances", &[("n", &n)]),
    }
}

/// The short name of an AWS service from its endpoint service name
/// (`com.amazonaws.ap-northeast-2.s3` → `s3`); `None` for a PrivateLink service.
fn aws_service_short(service_name: &str) -> Option<&str> {
    let rest = service_name.strip_prefix("com.amazonaws.")?;
    if rest.starts_with("vpce.") {
        return None;
    }
    let (_, short) = rest.split_once('.')?;
    Some(short)
}

struct Builder<'d> {
    d: &'d Design,
    /// Indexes into `d.vpcs` of the VPCs drawn, in design order.
    vpcs: Vec<usize>,
    vpc_set: HashSet<&'d str>,
    regions: Vec<String>,
    /// Transit gateways drawn.
    tgws: HashSet<&'d str>,
    filtered: bool,
    out: Scene,
    /// The language of the boxes' words.
    lang: Lang,
}

impl<'d> Builder<'d> {
    fn new(d: &'d Design, filter: &Filter) -> Result<Builder<'d>, crate::l10n::Text> {
        let mut wanted: Option<HashSet<usize>> = None;
        if !filter.vpcs.is_empty() {
            let mut set = HashSet::new();
            for key in &filter.vpcs {
                let hits: Vec<usize> =
                    d.vpcs.iter().enumerate().filter(|(_, v)| v.id == *key || v.name == *key).map(|(i, _)| i).collect();
                if hits.is_empty() {
                    let known: Vec<&str> = d.vpcs.iter().take(8).map(|v| v.name.as_str()).collect();
                    return Err(crate::text!(
                        "--vpc {key}: no VPC with that id or name (the design has {})",
                        known.join(", ")
                    ));
                }
                set.extend(hits);
            }
            wanted = Some(set);
        }
        let all_regions = design_regions(d);
        if let Some(r) = filter.regions.iter().find(|r| !all_regions.contains(r)) {
            return Err(crate::text!(
                "--region {r}: the design has no VPC or transit gateway there (its regions: {})",
                all_regions.join(", ")
            ));
        }
        let region_ok = |r: &str| filter.regions.is_empty() || filter.regions.iter().any(|x| x == r);
        let vpcs: Vec<usize> = (0..d.vpcs.len())
            .filter(|i| wanted.as_ref().is_none_or(|w| w.contains(i)))
            .filter(|&i| region_ok(&d.vpcs[i].region))
            .collect();
        if vpcs.is_empty() && !filter.vpcs.is_empty() {
            return Err(crate::text!("--vpc and --region leave nothing to draw: the VPCs named are in other regions"));
        }
        let vpc_set: HashSet<&str> = vpcs.iter().map(|&i| d.vpcs[i].id.as_str()).collect();
        // Regions in order of first appearance; a transit gateway counts only when no VPC filter
        // is given or it is attached to a VPC drawn.
        let mut regions: Vec<String> = Vec::new();
        let mut push = |r: &str| {
            if !regions.iter().any(|x| x == r) {
                regions.push(r.to_string());
            }
        };
        for &i in &vpcs {
            push(&d.vpcs[i].region);
        }
        let attached: HashSet<&str> = d
            .tgw_attachments
            .iter()
            .filter(|a| matches!(&a.kind, TgwAttachmentKind::Vpc { vpc, .. } if vpc_set.contains(vpc.as_str())))
            .map(|a| a.tgw.as_str())
            .collect();
        let mut tgws = HashSet::new();
        for t in &d.transit_gateways {
            if region_ok(&t.region) && (filter.vpcs.is_empty() || attached.contains(t.id.as_str())) {
                push(&t.region);
                tgws.insert(t.id.as_str());
            }
        }
        let filtered = !filter.vpcs.is_empty() || !filter.regions.is_empty();
        let out = Scene { title: d.name.clone(), ..Scene::default() };
        Ok(Builder { d, vpcs, vpc_set, regions, tgws, filtered, out, lang: Lang::En })
    }

    fn build(mut self) -> Result<Scene, crate::l10n::Text> {
        let d = self.d;
        // Subnets per VPC, and each subnet's route table (explicit association, else main: R1).
        let mut subnets_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in d.subnets.iter().enumerate() {
            if self.vpc_set.contains(s.vpc.as_str()) {
                subnets_of.entry(s.vpc.as_str()).or_default().push(i);
            }
        }
        let mut explicit_rt: HashMap<&str, &RouteTable> = HashMap::new();
        let mut main_rt: HashMap<&str, &RouteTable> = HashMap::new();
        for rt in &d.route_tables {
            for s in &rt.subnets {
                explicit_rt.entry(s.as_str()).or_insert(rt);
            }
            if rt.main {
                main_rt.entry(rt.vpc.as_str()).or_insert(rt);
            }
        }
        let rt_of = |subnet: &str, vpc: &str| explicit_rt.get(subnet).or_else(|| main_rt.get(vpc)).copied();
        let mut instances: HashMap<&str, HashSet<&str>> = HashMap::new();
        for e in &d.network_interfaces {
            if let Some(i) = &e.instance {
                instances.entry(e.subnet.as_str()).or_default().insert(i.as_str());
            }
        }

        // Outside AWS: the internet and customer gateways.
        let igws: Vec<usize> = (0..d.internet_gateways.len())
            .filter(|&i| d.internet_gateways[i].vpc.as_deref().is_some_and(|v| self.vpc_set.contains(v)))
            .collect();
        let eigws: Vec<usize> = (0..d.egress_only_internet_gateways.len())
            .filter(|&i| self.vpc_set.contains(d.egress_only_internet_gateways[i].vpc.as_str()))
            .collect();
        // The internet, where a trace leaves for or comes from; the internet gateways on the
        // VPCs' borders say which VPCs reach it (no line each, which would cross the picture).
        if !igws.is_empty() || !eigws.is_empty() {
            self.out.add(external(NodeKind::Internet, "internet", &ui(self.lang, "Internet"), None, Vec::new()));
        }
        let vgws: HashSet<&str> = d
            .vpn_gateways
            .iter()
            .filter(|g| g.vpc.as_deref().is_some_and(|v| self.vpc_set.contains(v)))
            .map(|g| g.id.as_str())
            .collect();
        let tgw_set = &self.tgws;
        let mut cgw_used: HashSet<&str> = HashSet::new();
        for c in &d.vpn_connections {
            if c.vpn_gateway.as_deref().is_some_and(|g| vgws.contains(g))
                || c.transit_gateway.as_deref().is_some_and(|t| tgw_set.contains(t))
            {
                cgw_used.insert(c.customer_gateway.as_str());
            }
        }
        for g in d.customer_gateways.iter().filter(|g| cgw_used.contains(g.id.as_str())) {
            let n = external(
                NodeKind::CustomerGateway,
                &g.id,
                &name_or_id(&g.name, &g.id),
                Some(&g.id),
                vec![g.ip.to_string()],
            );
            self.out.add(n);
        }

        // Regions, VPCs, AZ columns, subnets and what sits in them.
        let regions = std::mem::take(&mut self.regions);
        let mut region_node: HashMap<&str, NodeId> = HashMap::new();
        for r in &regions {
            let n = self.out.add(Node {
                kind: NodeKind::Region,
                key: format!("region:{r}"),
                resource: None,
                parent: None,
                children: Vec::new(),
                near: None,
                name: r.clone(),
                facts: Vec::new(),
                inactive: false,
            });
            region_node.insert(r.as_str(), n);
        }
        let igw_of = group_by(d.internet_gateways.iter(), |g| g.vpc.as_deref().unwrap_or(""));
        let eigw_of = group_by(d.egress_only_internet_gateways.iter(), |g| g.vpc.as_str());
        let vgw_of = group_by(d.vpn_gateways.iter(), |g| g.vpc.as_deref().unwrap_or(""));
        let gwe_of = group_by(d.endpoints.iter().filter(|e| e.kind == EndpointKind::Gateway), |e| e.vpc.as_str());
        let nats_of = group_by(d.nat_gateways.iter().enumerate(), |(_, n)| n.subnet.as_deref().unwrap_or(""));
        // N9: a regional NAT gateway has no subnet; it is drawn beside its VPC.
        let regional_nats_of =
            group_by(d.nat_gateways.iter().filter(|n| n.subnet.is_none()), |n| n.vpc.as_deref().unwrap_or(""));
        let mut vpce_of: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for (ei, e) in d.endpoints.iter().enumerate() {
            for (ii, itf) in e.interfaces.iter().enumerate() {
                vpce_of.entry(itf.subnet.as_str()).or_default().push((ei, ii));
            }
        }
        let mut vpc_node: HashMap<&str, NodeId> = HashMap::new();
        // Gateway endpoints to AWS services, joined to their region's services box at the end.
        let mut to_services: Vec<(NodeId, &str, bool)> = Vec::new();
        let mut subnet_node: HashMap<&str, NodeId> = HashMap::new();
        for &vi in &self.vpcs.clone() {
            let v = &d.vpcs[vi];
            let Some(&region) = region_node.get(v.region.as_str()) else { continue };
            let mut facts = vec![v.cidrs().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")];
            facts.extend(v.ipv6_cidrs().map(|c6| c6.to_string()));
            if v.external {
                let lang = self.lang;
                facts.push(
                    v.account
                        .as_ref()
                        .map_or_else(|| ui(lang, "not in the design"), |a| uif(lang, "account {a}", &[("a", a)])),
                );
            }
            let kind = if v.external { NodeKind::ExternalVpc } else { NodeKind::Vpc };
            let vn = self.out.add(Node {
                kind,
                key: v.id.clone(),
                resource: Some(v.id.clone()),
                parent: Some(region),
                children: Vec::new(),
                near: None,
                name: name_or_id(&v.name, &v.id),
                facts,
                inactive: false,
            });
            vpc_node.insert(v.id.as_str(), vn);
            // Gateways on the border, in a fixed order: IGW, egress-only IGW, VGW.
            for g in igw_of.get(v.id.as_str()).into_iter().flatten() {
                self.out.add(resource_box(NodeKind::InternetGateway, &g.id, &g.name, vn, Vec::new(), false));
            }
            for g in eigw_of.get(v.id.as_str()).into_iter().flatten() {
                self.out.add(resource_box(NodeKind::EgressOnlyInternetGateway, &g.id, &g.name, vn, Vec::new(), false));
            }
            for g in vgw_of.get(v.id.as_str()).into_iter().flatten() {
                self.out.add(resource_box(
                    NodeKind::VpnGateway,
                    &g.id,
                    &g.name,
                    vn,
                    vec![format!("ASN {}", g.asn)],
                    false,
                ));
            }
            // One column per AZ, sorted by zone name; subnets in design order inside.
            let mut by_az: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for &si in subnets_of.get(v.id.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                by_az.entry(d.subnets[si].az.as_str()).or_default().push(si);
            }
            for (az, list) in by_az {
                let azn = self.out.add(Node {
                    kind: NodeKind::AvailabilityZone,
                    key: format!("az:{}:{az}", v.id),
                    resource: None,
                    parent: Some(vn),
                    children: Vec::new(),
                    near: None,
                    name: if az.is_empty() { ui(self.lang, "(no zone)") } else { az.to_string() },
                    facts: Vec::new(),
                    inactive: false,
                });
                for si in list {
                    let s = &d.subnets[si];
                    let kind = rt_of(&s.id, &s.vpc).map_or(SubnetKind::Private, RouteTable::subnet_kind);
                    let count = instances.get(s.id.as_str()).map_or(0, HashSet::len);
                    let facts = vec![
                        s.primary_cidr_text(),
                        format!("{} · {}", ui(self.lang, kind.label()), instances_text(count, self.lang)),
                    ];
                    let sn = self.out.add(resource_box(NodeKind::Subnet(kind), &s.id, &s.name, azn, facts, false));
                    subnet_node.insert(s.id.as_str(), sn);
                    for &(_, n) in nats_of.get(s.id.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                        let inactive = n.state != crate::model::NatState::Available;
                        let facts = n.private_ip.iter().map(|a| a.to_string()).collect();
                        self.out.add(resource_box(NodeKind::NatGateway, &n.id, &n.name, sn, facts, inactive));
                    }
                    for &(ei, ii) in vpce_of.get(s.id.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                        let e = &d.endpoints[ei];
                        let itf = &e.interfaces[ii];
                        let mut node = resource_box(
                            NodeKind::InterfaceEndpoint,
                            &e.id,
                            &e.name,
                            sn,
                            vec![itf.ip.to_string()],
                            false,
                        );
                        node.key = format!("{}@{}", e.id, s.id);
                        node.inactive = e.state != crate::model::EndpointState::Available;
                        if let Some(short) = aws_service_short(&e.service_name).filter(|s| *s != node.name) {
                            node.facts.insert(0, short.to_string());
                        }
                        self.out.add(node);
                        self.out.located.entry(e.id.clone()).or_insert(self.out.nodes.len() - 1);
                    }
                }
            }
            for n in regional_nats_of.get(v.id.as_str()).into_iter().flatten() {
                let inactive = n.state != crate::model::NatState::Available;
                let mut node = resource_box(
                    NodeKind::NatGateway,
                    &n.id,
                    &n.name,
                    region,
                    vec![ui(self.lang, "regional")],
                    inactive,
                );
                node.near = Some(vn);
                self.out.add(node);
            }
            // Gateway endpoints next to the VPC, with lines to the subnets that use them (G2).
            for e in gwe_of.get(v.id.as_str()).into_iter().flatten() {
                let facts = aws_service_short(&e.service_name)
                    .filter(|s| *s != e.name)
                    .map(|s| vec![s.to_string()])
                    .unwrap_or_default();
                let inactive = e.state != crate::model::EndpointState::Available;
                let mut node = resource_box(NodeKind::GatewayEndpoint, &e.id, &e.name, region, facts, inactive);
                node.near = Some(vn);
                let en = self.out.add(node);
                if aws_service_short(&e.service_name).is_some() {
                    to_services.push((en, v.region.as_str(), inactive));
                }
                for &si in subnets_of.get(v.id.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                    let s = &d.subnets[si];
                    let uses = rt_of(&s.id, &s.vpc).is_some_and(|rt| e.route_tables.contains(&rt.id));
                    if let (true, Some(&sn)) = (uses, subnet_node.get(s.id.as_str())) {
                        self.out.edge(EdgeKind::EndpointRoute, sn, en, None, "", inactive);
                    }
                }
            }
        }
        // Transit gateways, in their regions below the VPCs.
        for t in d.transit_gateways.iter().filter(|t| self.tgws.contains(t.id.as_str())) {
            let Some(&region) = region_node.get(t.region.as_str()) else { continue };
            self.out.add(resource_box(
                NodeKind::TransitGateway,
                &t.id,
                &t.name,
                region,
                vec![format!("ASN {}", t.asn)],
                false,
            ));
        }
        // AWS services (S3, DynamoDB …) are regional: a box at the foot of each region whose
        // VPCs have endpoints to them, with lines from the gateway endpoints.
        let mut services: HashMap<&str, NodeId> = HashMap::new();
        for (en, region, inactive) in to_services {
            let Some(&r) = region_node.get(region) else { continue };
            let svc = *services.entry(region).or_insert_with(|| {
                let mut n = external(
                    NodeKind::AwsServices,
                    &format!("aws-services:{region}"),
                    &ui(self.lang, "AWS services"),
                    None,
                    Vec::new(),
                );
                n.parent = Some(r);
                self.out.add(n)
            });
            self.out.edge(EdgeKind::EndpointService, en, svc, None, "", inactive);
        }
        self.lines(&vpc_node);
        self.locate_the_rest(&subnet_node, &vpc_node);
        if self.out.nodes.is_empty() {
            self.out.notes.push("the design has no VPC or transit gateway to draw".into());
        }
        Ok(self.out)
    }

    /// Peerings, transit gateway attachments and VPNs.
    fn lines(&mut self, vpc_node: &HashMap<&str, NodeId>) {
        let d = self.d;
        let mut outside = 0usize;
        let vpn_cgw: HashMap<&str, &str> =
            d.vpn_connections.iter().map(|c| (c.id.as_str(), c.customer_gateway.as_str())).collect();
        for p in &d.peerings {
            match (vpc_node.get(p.requester_vpc.as_str()), vpc_node.get(p.accepter_vpc.as_str())) {
                (Some(&a), Some(&b)) => {
                    let label = format!("{} ({})", name_or_id(&p.name, &p.id), p.status);
                    self.out.edge(EdgeKind::Peering, a, b, Some(&p.id), &label, p.status != PeeringStatus::Active);
                }
                (None, None) => {}
                _ => outside += 1,
            }
        }
        for a in &d.tgw_attachments {
            let other = match &a.kind {
                TgwAttachmentKind::Vpc { vpc, .. } => vpc_node.get(vpc.as_str()).copied(),
                TgwAttachmentKind::Peering { peer_tgw } => self.out.by_key(peer_tgw),
                TgwAttachmentKind::Vpn { vpn } => vpn_cgw.get(vpn.as_str()).and_then(|c| self.out.by_key(c)),
            };
            match (self.out.by_key(&a.tgw), other) {
                (Some(t), Some(o)) => {
                    let inactive = a.state != crate::model::AttachmentState::Available;
                    self.out.edge(EdgeKind::TgwAttachment, t, o, Some(&a.id), &name_or_id(&a.name, &a.id), inactive)
                }
                (None, None) => {}
                _ => outside += 1,
            }
        }
        for c in &d.vpn_connections {
            let (Some(g), Some(cg)) =
                (c.vpn_gateway.as_deref().and_then(|g| self.out.by_key(g)), self.out.by_key(&c.customer_gateway))
            else {
                continue;
            };
            let inactive = c.state != crate::model::VpnState::Available;
            self.out.edge(EdgeKind::Vpn, g, cg, Some(&c.id), &name_or_id(&c.name, &c.id), inactive);
        }
        if outside > 0 && self.filtered {
            self.out.notes.push(format!(
                "{} to VPCs or transit gateways outside the picture (--vpc/--region) are not drawn",
                plural(outside, "peering or attachment")
            ));
        }
    }

    /// Resources without a box of their own, mapped to the box they are drawn in.
    fn locate_the_rest(&mut self, subnet_node: &HashMap<&str, NodeId>, vpc_node: &HashMap<&str, NodeId>) {
        let d = self.d;
        let loc = &mut self.out.located;
        // An instance is drawn in the subnet of its primary interface (lowest device index).
        let mut primary: HashMap<&str, (u32, NodeId)> = HashMap::new();
        for e in &d.network_interfaces {
            if let Some(&sn) = subnet_node.get(e.subnet.as_str()) {
                loc.insert(e.id.clone(), sn);
                if let Some(i) = &e.instance {
                    let slot = primary.entry(i.as_str()).or_insert((e.device_index, sn));
                    if e.device_index < slot.0 {
                        *slot = (e.device_index, sn);
                    }
                }
            }
        }
        for (i, (_, sn)) in primary {
            loc.insert(i.to_string(), sn);
        }
        for l in &d.load_balancers {
            if let Some(&sn) = l.nodes.first().and_then(|n| subnet_node.get(n.subnet.as_str())) {
                loc.insert(l.id.clone(), sn);
            } else if let Some(&vn) = vpc_node.get(l.vpc.as_str()) {
                loc.insert(l.id.clone(), vn);
            }
        }
        let per_vpc = d
            .route_tables
            .iter()
            .map(|x| (&x.id, &x.vpc))
            .chain(d.security_groups.iter().map(|x| (&x.id, &x.vpc)))
            .chain(d.network_acls.iter().map(|x| (&x.id, &x.vpc)))
            .chain(d.target_groups.iter().map(|x| (&x.id, &x.vpc)));
        for (id, vpc) in per_vpc {
            if let Some(&vn) = vpc_node.get(vpc.as_str()) {
                loc.insert(id.clone(), vn);
            }
        }
    }
}

fn group_by<'a, T, I: Iterator<Item = T>>(it: I, key: impl Fn(&T) -> &'a str) -> HashMap<&'a str, Vec<T>> {
    let mut m: HashMap<&str, Vec<T>> = HashMap::new();
    for x in it {
        m.entry(key(&x)).or_default().push(x);
    }
    m
}

fn external(kind: NodeKind, key: &str, name: &str, resource: Option<&str>, facts: Vec<String>) -> Node {
    Node {
        kind,
        key: key.to_string(),
        resource: resource.map(str::to_string),
        parent: None,
        children: Vec::new(),
        near: None,
        name: name.to_string(),
        facts,
        inactive: false,
    }
}

fn resource_box(kind: NodeKind, id: &str, name: &str, parent: NodeId, facts: Vec<String>, inactive: bool) -> Node {
    Node {
        kind,
        key: id.to_string(),
        resource: Some(id.to_string()),
        parent: Some(parent),
        children: Vec::new(),
        near: None,
        name: name_or_id(name, id),
        facts,
        inactive,
    }
}

/// Every region the design has VPCs or transit gateways in, in order of first appearance.
fn design_regions(d: &Design) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in d.vpcs.iter().map(|v| &v.region).chain(d.transit_gateways.iter().map(|t| &t.region)) {
        if !out.contains(r) {
            out.push(r.clone());
        }
    }
    out
}
