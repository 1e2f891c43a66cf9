//! Building the tree's nodes, one section at a time.
//!
//! The tree has two kinds of section: the regions (each region's node, its VPCs' own nodes, and
//! the region-wide groups: transit gateways, VPN, Elastic IPs, endpoint services, prefix lists,
//! and "Other" for what has no place), and one section per VPC (everything under the VPC's
//! node). A VPC's section is built when it is first needed (opened, selected, filtered), and
//! rebuilt alone when an op touches something in it, so an edit of one subnet of a 1000-VPC
//! design rebuilds a hundred nodes, not a hundred thousand.
//!
//! Every resource has one place (a peering has two, one under each VPC): [`Places::of`] says
//! where, and the builders put it there.

use super::by_vpc::ByVpc;
use super::{plural, GroupKind, Node, NodeId, NodeRef, RowKind, Section, TreeModel};
use crate::app::forms::kinds::{self, TreeSpot, KINDS};
use crate::l10n::{ui, Lang};
use crate::model::*;
use std::collections::{HashMap, HashSet};

/// Where a resource's node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// In this VPC's section (a peering: under both of its VPCs).
    Vpc(Vec<Id>),
    /// In the regions section.
    Regions,
    /// Nowhere else: under "Other" (an owner is missing).
    Other,
}

/// Each instance's primary interface (the lowest device index, the first added on a tie).
pub(super) fn primaries(d: &Design) -> HashMap<&str, &NetworkInterface> {
    let mut out: HashMap<&str, &NetworkInterface> = HashMap::new();
    for e in &d.network_interfaces {
        if let Some(i) = &e.instance {
            let slot = out.entry(i.as_str()).or_insert(e);
            if e.device_index < slot.device_index {
                *slot = e;
            }
        }
    }
    out
}

/// The regions the tree shows, in order: the design's default first, then the others by name.
pub(super) fn regions(d: &Design) -> Vec<&str> {
    let mut regions: Vec<&str> = vec![d.default_region.as_str()];
    let mut others: Vec<&str> = d
        .vpcs
        .iter()
        .map(|v| v.region.as_str())
        .chain(d.transit_gateways.iter().map(|t| t.region.as_str()))
        .chain(d.prefix_lists.iter().filter(|p| !p.aws_managed).map(|p| p.region.as_str()))
        .chain(KINDS.iter().flat_map(|k| match k.tree {
            TreeSpot::InRegion { region, .. } => d.resources_of(k.kind).filter_map(region).collect(),
            _ => Vec::new(),
        }))
        .filter(|r| *r != d.default_region)
        .collect();
    others.sort_unstable();
    others.dedup();
    regions.extend(others);
    regions
}

/// What placing resources needs, looked up once: which VPCs, subnets, instances and transit
/// gateways exist, each instance's primary interface, the regions shown.
pub(super) struct Places<'d> {
    d: &'d Design,
    /// Looked up once for placing many resources; `None`: looked up in the design each time
    /// (placing the few resources an op touched).
    maps: Option<Maps<'d>>,
    regions: Vec<&'d str>,
}

struct Maps<'d> {
    vpcs: HashSet<&'d str>,
    subnet_vpc: HashMap<&'d str, &'d str>,
    primary: HashMap<&'d str, &'d NetworkInterface>,
    instances: HashSet<&'d str>,
    tgws: HashSet<&'d str>,
}

impl<'d> Places<'d> {
    /// For placing every resource.
    pub fn new(d: &'d Design) -> Places<'d> {
        let maps = Maps {
            vpcs: d.vpcs.iter().map(|v| v.id.as_str()).collect(),
            subnet_vpc: d.subnets.iter().map(|s| (s.id.as_str(), s.vpc.as_str())).collect(),
            primary: primaries(d),
            instances: d.instances.iter().map(|i| i.id.as_str()).collect(),
            tgws: d.transit_gateways.iter().map(|t| t.id.as_str()).collect(),
        };
        Places { d, maps: Some(maps), regions: regions(d) }
    }

    /// For placing a few resources.
    pub fn few(d: &'d Design) -> Places<'d> {
        Places { d, maps: None, regions: regions(d) }
    }

    fn has_vpc(&self, v: &str) -> bool {
        self.maps.as_ref().map_or_else(|| self.d.vpc(v).is_some(), |m| m.vpcs.contains(v))
    }

    fn has_instance(&self, i: &str) -> bool {
        self.maps.as_ref().map_or_else(|| self.d.instance(i).is_some(), |m| m.instances.contains(i))
    }

    fn has_tgw(&self, t: &str) -> bool {
        self.maps.as_ref().map_or_else(|| self.d.transit_gateway(t).is_some(), |m| m.tgws.contains(t))
    }

    fn primary(&self, i: &str) -> Option<&'d NetworkInterface> {
        match &self.maps {
            Some(m) => m.primary.get(i).copied(),
            None => {
                let mut best: Option<&NetworkInterface> = None;
                for e in self.d.network_interfaces.iter().filter(|e| e.instance.as_deref() == Some(i)) {
                    if best.is_none_or(|b| e.device_index < b.device_index) {
                        best = Some(e);
                    }
                }
                best
            }
        }
    }

    /// The VPC a subnet is in, when both exist.
    fn subnet_vpc(&self, s: &str) -> Option<&'d str> {
        let v = match &self.maps {
            Some(m) => m.subnet_vpc.get(s).copied(),
            None => self.d.subnet(s).map(|x| x.vpc.as_str()),
        };
        v.filter(|v| self.has_vpc(v))
    }

    fn in_vpc(&self, v: &str) -> Place {
        if self.has_vpc(v) {
            Place::Vpc(vec![v.to_string()])
        } else {
            Place::Other
        }
    }

    fn via_subnet(&self, s: &str) -> Place {
        self.subnet_vpc(s).map_or(Place::Other, |v| Place::Vpc(vec![v.to_string()]))
    }

    /// Where a resource's node goes.
    pub fn of(&self, r: Resource<'_>) -> Place {
        if let Some(place) = self.by_table(r) {
            return place;
        }
        match r {
            Resource::Vpc(v) => Place::Vpc(vec![v.id.clone()]),
            Resource::Subnet(s) => self.in_vpc(&s.vpc),
            Resource::RouteTable(x) => self.in_vpc(&x.vpc),
            Resource::SecurityGroup(x) => self.in_vpc(&x.vpc),
            Resource::NetworkAcl(x) => self.in_vpc(&x.vpc),
            Resource::VpcEndpoint(x) => self.in_vpc(&x.vpc),
            // The VPC's "Managed services" group (M1–M9).
            Resource::Database(x) => self.in_vpc(&x.vpc),
            Resource::DbSubnetGroup(x) => self.in_vpc(&x.vpc),
            Resource::ComputeService(x) => self.in_vpc(&x.vpc),
            Resource::EgressOnlyInternetGateway(x) => self.in_vpc(&x.vpc),
            Resource::InternetGateway(g) => g.vpc.as_deref().map_or(Place::Other, |v| self.in_vpc(v)),
            Resource::VpnGateway(g) => match g.vpc.as_deref() {
                Some(v) if self.has_vpc(v) => Place::Vpc(vec![v.to_string()]),
                _ => Place::Regions,
            },
            Resource::NatGateway(n) => match (&n.subnet, &n.vpc) {
                (Some(s), _) => self.via_subnet(s),
                (None, Some(v)) => self.in_vpc(v),
                (None, None) => Place::Other,
            },
            Resource::Instance(i) => self.primary(&i.id).map_or(Place::Other, |e| self.via_subnet(&e.subnet)),
            Resource::NetworkInterface(e) => match e.instance.as_deref() {
                None => self.via_subnet(&e.subnet),
                Some(i) if self.has_instance(i) => self.primary(i).map_or(Place::Other, |p| self.via_subnet(&p.subnet)),
                Some(_) => Place::Other,
            },
            Resource::VpcPeering(p) => {
                let mut at: Vec<Id> = Vec::new();
                for v in [&p.requester_vpc, &p.accepter_vpc] {
                    if self.has_vpc(v) && !at.contains(v) {
                        at.push(v.clone());
                    }
                }
                if at.is_empty() {
                    Place::Other
                } else {
                    Place::Vpc(at)
                }
            }
            Resource::ElasticIp(_) | Resource::CustomerGateway(_) | Resource::VpnConnection(_) => Place::Regions,
            Resource::TransitGateway(_) => Place::Regions,
            Resource::TgwAttachment(a) if self.has_tgw(&a.tgw) => Place::Regions,
            Resource::TgwRouteTable(t) if self.has_tgw(&t.tgw) => Place::Regions,
            Resource::TgwAttachment(_) | Resource::TgwRouteTable(_) => Place::Other,
            Resource::PrefixList(p) if self.regions.contains(&p.region.as_str()) => Place::Regions,
            Resource::PrefixList(_) => Place::Other,
            // The kinds the table places, and a kind with no place yet.
            _ => Place::Other,
        }
    }

    /// Where the kind table puts a resource, when it does.
    fn by_table(&self, r: Resource<'_>) -> Option<Place> {
        match kinds::row(r.kind())?.tree {
            TreeSpot::Own => None,
            TreeSpot::InVpc { vpc, .. } => Some(vpc(r).map_or(Place::Other, |v| self.in_vpc(v))),
            TreeSpot::InRegion { region, .. } => {
                Some(if region(r).is_some_and(|g| self.regions.contains(&g)) { Place::Regions } else { Place::Other })
            }
            TreeSpot::InDefaultRegion { .. } => Some(Place::Regions),
        }
    }
}

/// Adds nodes to the tree for one section, and records where each resource went.
pub(super) struct Builder<'t, 'd> {
    pub tree: &'t mut TreeModel,
    pub d: &'d Design,
    pub section: Section,
}

impl Builder<'_, '_> {
    /// Add a node under `parent` (None: a root).
    pub fn add(&mut self, parent: Option<&str>, id: NodeId, node: NodeRef, name: &str, kind: RowKind, facts: &str) {
        if self.tree.nodes.contains_key(&id) {
            return;
        }
        if let Some(p) = parent {
            if let Some(pn) = self.tree.nodes.get_mut(p) {
                pn.children.push(id.clone());
            }
        }
        if let Some(r) = node.resource_id() {
            self.tree.owners.entry(r.to_string()).or_default().push(self.section.clone());
        }
        let node = Node {
            node,
            name: name.to_string(),
            facts: facts.to_string(),
            kind,
            children: Vec::new(),
            parent: parent.map(str::to_string),
            lazy: false,
        };
        self.tree.nodes.insert(id, node);
    }

    /// A resource's node; the facts get its `Name` tag when the name is something else.
    pub fn resource(&mut self, parent: &str, node_id: NodeId, kind: ResourceKind, id: &str, name: &str, facts: &str) {
        let row = match kind {
            ResourceKind::Vpc => RowKind::Vpc,
            ResourceKind::Subnet => RowKind::Subnet,
            _ => RowKind::Resource,
        };
        // The id is in the detail panel (and the filter matches it); the label keeps to facts.
        // Escaped, so a control character in a name shows (and counts in the width) instead of
        // being dropped by the terminal backend.
        let shown = crate::model::text::escape_controls(if name.is_empty() { id } else { name });
        let facts = match self.d.tag_names.get(id) {
            Some(tag) if !facts.trim().is_empty() => {
                format!("\"{}\" · {}", crate::model::text::escape_controls(tag), facts.trim_end())
            }
            Some(tag) => format!("\"{}\"", crate::model::text::escape_controls(tag)),
            None => facts.trim_end().to_string(),
        };
        self.add(Some(parent), node_id, NodeRef::Resource { kind, id: id.to_string() }, &shown, row, &facts);
    }

    pub fn group(&mut self, parent: &str, kind: GroupKind, vpc: Option<&str>, region: &str, count: usize) -> NodeId {
        let id = format!("{parent}/{}", kind.slug());
        let node = NodeRef::Group { kind, vpc: vpc.map(str::to_string), region: region.to_string() };
        let title = ui(self.tree.lang, kind.title());
        self.add(Some(parent), id.clone(), node, &title, RowKind::Group, &format!("({count})"));
        id
    }
}

/// The facts of a VPC's node.
pub(super) fn vpc_facts(v: &Vpc, lang: Lang) -> String {
    let extra = if v.secondary_cidrs.is_empty() { String::new() } else { format!(" +{}", v.secondary_cidrs.len()) };
    // Its first IPv6 block, and how many more (A7).
    let v6 = match v.ipv6_cidrs().collect::<Vec<_>>().as_slice() {
        [] => String::new(),
        [one] => format!(" · {one}"),
        [first, rest @ ..] => format!(" · {first} +{}", rest.len()),
    };
    let default = if v.is_default { format!(" · {}", ui(lang, "default")) } else { String::new() };
    format!("{}{extra}{v6}{default}", v.cidr)
}

/// Build the regions section: region nodes, their VPCs' nodes (lazy), the region-wide groups
/// and "Other".
pub(super) fn regions_section(tree: &mut TreeModel, d: &Design) {
    let places = Places::new(d);
    let regions = places.regions.clone();
    // VPCs that will have children once built.
    let mut filled: HashSet<String> = HashSet::new();
    for k in ResourceKind::ALL {
        if k == ResourceKind::Vpc {
            continue;
        }
        for r in d.resources_of(k) {
            if let Place::Vpc(vs) = places.of(r) {
                filled.extend(vs);
            }
        }
    }
    let lang = tree.lang;
    let mut b = Builder { tree, d, section: Section::Regions };
    for region in &regions {
        let rid = format!("region:{region}");
        let vpcs: Vec<&Vpc> = d.vpcs.iter().filter(|v| v.region == *region).collect();
        b.add(
            None,
            rid.clone(),
            NodeRef::Region(region.to_string()),
            region,
            RowKind::Region,
            &plural(lang, vpcs.len(), "VPC"),
        );
        b.tree.roots.push(rid.clone());
        for v in vpcs {
            b.resource(&rid, v.id.clone(), ResourceKind::Vpc, &v.id, &v.name, &vpc_facts(v, lang));
            if let Some(n) = b.tree.nodes.get_mut(&v.id) {
                n.lazy = filled.contains(&v.id);
            }
        }
        region_groups(&mut b, d, region);
    }
    // Anything with no place above or in a VPC section (an instance with no interface, a
    // resource whose owner is missing) still gets a node, so nothing in the design is
    // invisible.
    let root = format!("region:{}", d.default_region);
    let unplaced: Vec<Resource<'_>> = d.resources().filter(|r| places.of(*r) == Place::Other).collect();
    if !unplaced.is_empty() {
        let g = b.group(&root, GroupKind::Other, None, &d.default_region, unplaced.len());
        for r in unplaced {
            b.resource(&g, r.id().to_string(), r.kind(), r.id(), r.name(), r.kind().label());
        }
    }
}

fn region_groups(b: &mut Builder<'_, '_>, d: &Design, region: &str) {
    let lang = b.tree.lang;
    let rid = format!("region:{region}");
    let tgws: Vec<&TransitGateway> = d.transit_gateways.iter().filter(|t| t.region == region).collect();
    if !tgws.is_empty() {
        let g = b.group(&rid, GroupKind::TransitGateways, None, region, tgws.len());
        for t in tgws {
            b.resource(&g, t.id.clone(), ResourceKind::TransitGateway, &t.id, &t.name, &format!("asn {}", t.asn));
            for a in d.tgw_attachments.iter().filter(|a| a.tgw == t.id) {
                let what = match &a.kind {
                    TgwAttachmentKind::Vpc { vpc, subnets } => {
                        format!("vpc {vpc} · {}", plural(lang, subnets.len(), "subnet"))
                    }
                    TgwAttachmentKind::Vpn { vpn } => format!("vpn {vpn}"),
                    TgwAttachmentKind::Peering { peer_tgw } => {
                        crate::l10n::uif(lang, "peer {peer_tgw}", &[("peer_tgw", peer_tgw)])
                    }
                };
                let facts = format!("{what} · {:?}", a.state).to_lowercase();
                b.resource(&t.id, a.id.clone(), ResourceKind::TgwAttachment, &a.id, &a.name, &facts);
            }
            for r in d.tgw_route_tables.iter().filter(|r| r.tgw == t.id) {
                let facts = format!(
                    "{} · {}",
                    crate::l10n::uif(lang, "{n} static", &[("n", &r.static_routes.len())]),
                    plural(lang, r.propagations.len(), "propagation")
                );
                b.resource(&t.id, r.id.clone(), ResourceKind::TgwRouteTable, &r.id, &r.name, &facts);
            }
        }
    }
    if region == d.default_region {
        let vpc_ids: HashSet<&str> = d.vpcs.iter().map(|v| v.id.as_str()).collect();
        let free_vgws: Vec<&VpnGateway> =
            d.vpn_gateways.iter().filter(|g| g.vpc.as_deref().is_none_or(|v| !vpc_ids.contains(v))).collect();
        let n = d.customer_gateways.len() + d.vpn_connections.len() + free_vgws.len();
        if n > 0 {
            let g = b.group(&rid, GroupKind::Vpn, None, region, n);
            for c in &d.customer_gateways {
                let facts = format!("CGW {} · asn {}", c.ip, c.bgp_asn);
                b.resource(&g, c.id.clone(), ResourceKind::CustomerGateway, &c.id, &c.name, &facts);
            }
            for v in &free_vgws {
                let facts = format!("{} · asn {}", ui(lang, "VGW detached"), v.asn);
                b.resource(&g, v.id.clone(), ResourceKind::VpnGateway, &v.id, &v.name, &facts);
            }
            for c in &d.vpn_connections {
                let to = c.vpn_gateway.as_deref().or(c.transit_gateway.as_deref()).unwrap_or("-");
                let facts = format!(
                    "VPN {} → {to} · {} · {:?}",
                    c.customer_gateway,
                    plural(lang, c.routes.len(), "route"),
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
    // The kinds the table places in the default region.
    if region == d.default_region {
        for k in KINDS {
            let TreeSpot::InDefaultRegion { facts, .. } = k.tree else { continue };
            let rs: Vec<Resource<'_>> = d.resources_of(k.kind).collect();
            if !rs.is_empty() {
                let g = b.group(&rid, GroupKind::Of(k.kind), None, region, rs.len());
                for r in rs {
                    b.resource(&g, r.id().to_string(), k.kind, r.id(), r.name(), &facts(d, r, lang));
                }
            }
        }
    }
    // The kinds the table places in a region.
    for k in KINDS {
        let TreeSpot::InRegion { region: of, facts, .. } = k.tree else { continue };
        let rs: Vec<Resource<'_>> = d.resources_of(k.kind).filter(|r| of(*r) == Some(region)).collect();
        if !rs.is_empty() {
            let g = b.group(&rid, GroupKind::Of(k.kind), None, region, rs.len());
            for r in rs {
                b.resource(&g, r.id().to_string(), k.kind, r.id(), r.name(), &facts(d, r, lang));
            }
        }
    }
    let pls: Vec<&PrefixList> = d.prefix_lists.iter().filter(|p| p.region == region).collect();
    if !pls.is_empty() {
        let g = b.group(&rid, GroupKind::PrefixLists, None, region, pls.len());
        for p in pls {
            let n = crate::l10n::uif(lang, "{n} CIDRs", &[("n", &p.cidrs.len())]);
            let facts = format!("{n}{}", if p.aws_managed { " · AWS" } else { "" });
            b.resource(&g, p.id.clone(), ResourceKind::PrefixList, &p.id, &p.name, &facts);
        }
    }
}

fn route_facts(r: &Route, lang: Lang) -> String {
    let mut s = format!("{} → {}", r.destination, r.target);
    if r.state == RouteState::Blackhole {
        s.push_str(&format!("  {}", ui(lang, "blackhole")));
    }
    if !matches!(r.origin, RouteOrigin::Static | RouteOrigin::Local) {
        s.push_str(&format!("  {}", ui(lang, &r.origin.to_string())));
    }
    s
}

/// Build one VPC's section under its (existing) node, from the design sorted by VPC.
pub(super) fn vpc_section(tree: &mut TreeModel, d: &Design, by: &ByVpc<'_>, vid: &str) {
    let Some(v) = d.vpc(vid) else { return };
    let region = v.region.as_str();
    let parts = by.of(vid);
    let subnets = &parts.subnets;
    let rts = &parts.route_tables;
    let mut rt_of: HashMap<&str, &RouteTable> = HashMap::new();
    for rt in rts {
        for s in &rt.subnets {
            rt_of.entry(s.as_str()).or_insert(rt);
        }
    }
    let main = rts.iter().find(|r| r.main).copied();
    let (primary, eip_ip) = (&by.primary, &by.eip_ip);
    let (enis_of_subnet, enis_of_instance, nats_of_subnet) =
        (&by.enis_of_subnet, &by.enis_of_instance, &by.nats_of_subnet);
    let lang = tree.lang;
    let mut b = Builder { tree, d, section: Section::Vpc(vid.to_string()) };

    // AZ ▸ subnet ▸ instance ▸ ENI, NAT gateways.
    let mut azs: Vec<&str> = subnets.iter().map(|s| s.az.as_str()).collect();
    azs.sort_unstable();
    azs.dedup();
    for az in azs {
        let az_id = super::az_node_id(vid, az);
        let n = subnets.iter().filter(|s| s.az == az).count();
        let node = NodeRef::Az { vpc: vid.to_string(), az: az.to_string() };
        b.add(Some(vid), az_id.clone(), node, az, RowKind::Az, &plural(lang, n, "subnet"));
        for s in subnets.iter().filter(|s| s.az == az) {
            let rt = rt_of.get(s.id.as_str()).copied().or(main);
            let kind =
                ui(lang, if rt.is_some_and(RouteTable::routes_to_internet_gateway) { "public" } else { "private" });
            let rt_name = rt.map(|r| if r.name.is_empty() { r.id.as_str() } else { r.name.as_str() }).unwrap_or("-");
            let facts = format!("{} · {kind} · rt {rt_name}", s.cidr_text());
            b.resource(&az_id, s.id.clone(), ResourceKind::Subnet, &s.id, &s.name, &facts);
            let sid = s.id.as_str();
            for &e in enis_of_subnet.get(sid).map(Vec::as_slice).unwrap_or_default() {
                match &e.instance {
                    Some(i) => {
                        // The instance hangs under the subnet of its primary interface.
                        if primary.get(i.as_str()).is_some_and(|p| p.id == e.id) {
                            if let Some(inst) = d.instance(i) {
                                let ip = e.primary_ip().map(|a| a.to_string());
                                let v6 = e.ipv6_addresses.first().map(|a| a.to_string());
                                let ip = [ip, v6].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                                let public = e
                                    .eip
                                    .as_deref()
                                    .and_then(|a| eip_ip.get(a).copied())
                                    .or(e.public_ip)
                                    .map(|p| format!(" ⇢ {p}"))
                                    .unwrap_or_default();
                                let facts = format!("{ip}{public} · {:?}", inst.state).to_lowercase();
                                b.resource(sid, inst.id.clone(), ResourceKind::Instance, &inst.id, &inst.name, &facts);
                                let mut nics: Vec<&NetworkInterface> =
                                    enis_of_instance.get(i.as_str()).cloned().unwrap_or_default();
                                nics.sort_by_key(|x| x.device_index);
                                for nic in nics {
                                    eni_node(&mut b, &inst.id, nic);
                                }
                            }
                        }
                    }
                    None => eni_node(&mut b, sid, e),
                }
            }
            for &n in nats_of_subnet.get(sid).map(Vec::as_slice).unwrap_or_default() {
                let public =
                    n.eip.as_deref().and_then(|a| eip_ip.get(a)).map(|p| format!(" ⇢ {p}")).unwrap_or_default();
                let private = n.private_ip.map(|a| a.to_string()).unwrap_or_default();
                let connectivity = ui(
                    lang,
                    match n.connectivity {
                        crate::model::NatConnectivity::Public => "public",
                        crate::model::NatConnectivity::Private => "private",
                    },
                );
                let state = format!("{:?}", n.state).to_lowercase();
                let facts = format!("{} · {connectivity} · {state}", format!("NAT {private}{public}").to_lowercase());
                b.resource(sid, n.id.clone(), ResourceKind::NatGateway, &n.id, &n.name, &facts);
            }
        }
    }

    // Route tables ▸ routes.
    if !rts.is_empty() {
        let g = b.group(vid, GroupKind::RouteTables, Some(vid), region, rts.len());
        for rt in rts.iter() {
            let facts = format!(
                "{}{} · {}",
                if rt.main { format!("{} · ", ui(lang, "main")) } else { String::new() },
                plural(lang, rt.subnets.len(), "subnet"),
                plural(lang, rt.routes.len(), "route")
            );
            b.resource(&g, rt.id.clone(), ResourceKind::RouteTable, &rt.id, &rt.name, &facts);
            for (i, r) in rt.routes.iter().enumerate() {
                let node = NodeRef::Route { rtb: rt.id.clone(), index: i };
                let kind = RowKind::Route { blackhole: r.state == RouteState::Blackhole };
                b.add(Some(&rt.id), format!("{}/r/{i}", rt.id), node, &route_facts(r, lang), kind, "");
            }
        }
    }

    // Gateways attached to the VPC.
    let mut gws: Vec<(ResourceKind, &str, &str)> = Vec::new();
    gws.extend(parts.internet_gateways.iter().map(|g| (ResourceKind::InternetGateway, g.id.as_str(), g.name.as_str())));
    gws.extend(
        parts
            .egress_only_gateways
            .iter()
            .map(|g| (ResourceKind::EgressOnlyInternetGateway, g.id.as_str(), g.name.as_str())),
    );
    gws.extend(parts.vpn_gateways.iter().map(|g| (ResourceKind::VpnGateway, g.id.as_str(), g.name.as_str())));
    if !gws.is_empty() {
        let g = b.group(vid, GroupKind::Gateways, Some(vid), region, gws.len());
        for (kind, id, name) in gws {
            let facts = match kind {
                ResourceKind::InternetGateway => ui(lang, "IGW attached"),
                ResourceKind::EgressOnlyInternetGateway => ui(lang, "egress-only IGW"),
                _ => ui(lang, "VGW attached"),
            };
            b.resource(&g, id.to_string(), kind, id, name, &facts);
        }
    }

    let eps = &parts.endpoints;
    if !eps.is_empty() {
        let g = b.group(vid, GroupKind::Endpoints, Some(vid), region, eps.len());
        for e in eps.iter() {
            let short = e.service_name.rsplit('.').next().unwrap_or(&e.service_name);
            let kind = ui(
                lang,
                match e.kind {
                    crate::model::EndpointKind::Gateway => "gateway",
                    crate::model::EndpointKind::Interface => "interface",
                    crate::model::EndpointKind::GatewayLoadBalancer => "gatewayloadbalancer",
                },
            );
            let facts = format!("{} · {kind} · {}", short.to_lowercase(), e.state.api_name().to_lowercase());
            b.resource(&g, e.id.clone(), ResourceKind::VpcEndpoint, &e.id, &e.name, &facts);
        }
    }

    let pcxs = &parts.peerings;
    if !pcxs.is_empty() {
        let g = b.group(vid, GroupKind::Peerings, Some(vid), region, pcxs.len());
        for p in pcxs.iter() {
            let other = p.other_side(vid).unwrap_or("?");
            let facts = format!("↔ {other} · {}", p.status);
            b.resource(&g, format!("{vid}/{}", p.id), ResourceKind::VpcPeering, &p.id, &p.name, &facts);
        }
    }

    let sgs = &parts.security_groups;
    if !sgs.is_empty() {
        let g = b.group(vid, GroupKind::SecurityGroups, Some(vid), region, sgs.len());
        for sg in sgs.iter() {
            let facts = format!(
                "{}{}",
                if sg.is_default { format!("{} · ", ui(lang, "default")) } else { String::new() },
                crate::l10n::uif(lang, "{i} in · {o} out", &[("i", &sg.ingress.len()), ("o", &sg.egress.len())])
            );
            b.resource(&g, sg.id.clone(), ResourceKind::SecurityGroup, &sg.id, &sg.name, &facts);
            for (egress, rules) in [(false, &sg.ingress), (true, &sg.egress)] {
                for (i, r) in rules.iter().enumerate() {
                    let dir = if egress { "out" } else { "in" };
                    let arrow = if egress { "→" } else { "←" };
                    let said = ui(lang, if egress { "out" } else { "in" });
                    let text = format!("{said} {} {} {arrow} {}", r.protocol, r.ports, r.peer);
                    let node = NodeRef::SgRule { sg: sg.id.clone(), egress, index: i };
                    b.add(Some(&sg.id), format!("{}/{dir}/{i}", sg.id), node, &text, RowKind::Rule, &r.description);
                }
            }
        }
    }

    let acls = &parts.network_acls;
    if !acls.is_empty() {
        let g = b.group(vid, GroupKind::NetworkAcls, Some(vid), region, acls.len());
        for a in acls.iter() {
            let entries = match (lang, a.entries.len()) {
                (Lang::En, 1) => "1 entry".to_string(),
                (Lang::En, n) => format!("{n} entries"),
                (_, n) => plural(lang, n, "entry"),
            };
            let facts = format!(
                "{}{} · {entries}",
                if a.is_default { format!("{} · ", ui(lang, "default")) } else { String::new() },
                plural(lang, a.subnets.len(), "subnet")
            );
            b.resource(&g, a.id.clone(), ResourceKind::NetworkAcl, &a.id, &a.name, &facts);
            for (i, e) in a.entries.iter().enumerate() {
                let text = format!(
                    "{} {} {} {} {} {}",
                    ui(lang, if e.egress { "out" } else { "in" }),
                    e.rule_number,
                    ui(lang, &e.action.to_string()),
                    e.protocol,
                    e.ports,
                    e.cidr
                );
                let node = NodeRef::NaclEntry { acl: a.id.clone(), index: i };
                let kind = RowKind::Entry { deny: e.action == RuleAction::Deny };
                b.add(Some(&a.id), format!("{}/e/{i}", a.id), node, &text, kind, "");
            }
        }
    }

    // The kinds the table places in a VPC.
    for (i, k) in KINDS.iter().enumerate() {
        let TreeSpot::InVpc { facts, .. } = k.tree else { continue };
        if let Some(rs) = parts.kinds.get(&i).filter(|rs| !rs.is_empty()) {
            let g = b.group(vid, GroupKind::Of(k.kind), Some(vid), region, rs.len());
            for &r in rs {
                b.resource(&g, r.id().to_string(), k.kind, r.id(), r.name(), &facts(d, r, lang));
            }
        }
    }
    managed_services(&mut b, d, &parts.services, vid, region);
}

/// A VPC's managed services (M1–M9), under their own group: what each is and what decides its
/// reachability, in a few words.
fn managed_services(b: &mut Builder<'_, '_>, d: &Design, list: &[Service<'_>], vid: &str, region: &str) {
    if list.is_empty() {
        return;
    }
    let g = b.group(vid, GroupKind::ManagedServices, Some(vid), region, list.len());
    for &s in list {
        let facts = service_facts(d, s, b.tree.lang);
        let shown = crate::model::text::escape_controls(if s.name().is_empty() { s.id() } else { s.name() });
        b.add(
            Some(&g),
            s.id().to_string(),
            NodeRef::Resource { kind: s.kind(), id: s.id().to_string() },
            &shown,
            RowKind::Resource,
            &facts,
        );
    }
}

/// "RDS instance (postgres) :5432 · public 50.1.1.50 · 2 interfaces".
pub(crate) fn service_facts(d: &Design, s: Service<'_>, lang: Lang) -> String {
    let nics = plural(lang, s.interfaces().len(), "interface");
    match s {
        Service::Database(db) => {
            let public = match db.interfaces.iter().find_map(|i| i.public_ip) {
                Some(p) if db.publicly_accessible => {
                    format!(" · {}", crate::l10n::uif(lang, "public {p}", &[("p", &p)]))
                }
                _ if db.publicly_accessible => format!(" · {}", ui(lang, "publicly accessible")),
                _ => String::new(),
            };
            format!("{} :{}{public} · {nics}", db.label(), db.port())
        }
        Service::SubnetGroup(g) => {
            format!(
                "{} · {}",
                s.label(),
                plural(lang, d.db_subnet_group(&g.id).map_or(0, |x| x.subnets.len()), "subnet")
            )
        }
        Service::Compute(c) => {
            let extra = match &c.kind {
                ComputeKind::EcsService { assign_public_ip: true, .. } => "public IPs",
                ComputeKind::EksCluster { endpoint_public_access: true, endpoint_private_access: true, .. } => {
                    "public and private endpoint"
                }
                ComputeKind::EksCluster { endpoint_public_access: true, .. } => "public endpoint",
                ComputeKind::EksCluster { .. } => "private endpoint",
                _ => "",
            };
            let extra = if extra.is_empty() { String::new() } else { format!(" · {}", ui(lang, extra)) };
            format!("{}{extra} · {nics}", s.label())
        }
    }
}

fn eni_node(b: &mut Builder<'_, '_>, parent: &str, e: &NetworkInterface) {
    let lang = b.tree.lang;
    let ips: Vec<String> =
        e.private_ips.iter().map(|a| a.to_string()).chain(e.ipv6_addresses.iter().map(|a| a.to_string())).collect();
    let mut facts = ips.join(", ");
    if !e.source_dest_check {
        facts.push_str(&format!(" · {}", ui(lang, "src/dst check off")));
    }
    b.resource(parent, e.id.clone(), ResourceKind::NetworkInterface, &e.id, &e.name, &facts);
}
