//! The VPC tree: semantic rows built from the design, a filter, the selection and the scroll.
//!
//! Region ▸ VPC ▸ AZ ▸ subnet ▸ instance ▸ ENI, plus per-VPC groups (route tables ▸ routes,
//! gateways, endpoints, peerings, security groups ▸ rules, network ACLs ▸ entries, load
//! balancers, target groups) and per-region groups (transit gateways, VPN, endpoint services,
//! Elastic IPs, prefix lists).
//!
//! A row says what it is ([`RowKind`]), its name and its facts; the view decides how that looks
//! (and marks rows with their worst finding). Building is per section (see [`build`]): the
//! regions with their VPCs' own rows, and each VPC's subtree, built when first needed and rebuilt
//! alone when an op touches it.

mod build;

use crate::app::forms::kinds;
use crate::l10n::{ui, Lang};
use crate::model::*;
use std::collections::{HashMap, HashSet};

/// A node's identifier; unique in the whole tree.
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
    TransitGateways,
    Vpn,
    ElasticIps,
    PrefixLists,
    /// The group of a kind the kind table places (`TreeSpot::InVpc`, `TreeSpot::InRegion`).
    Of(ResourceKind),
    /// A VPC's databases, DB subnet groups and compute services (M1–M9), shown as imported.
    ManagedServices,
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
            GroupKind::TransitGateways => "Transit gateways",
            GroupKind::Vpn => "VPN",
            GroupKind::ElasticIps => "Elastic IPs",
            GroupKind::PrefixLists => "Prefix lists",
            GroupKind::Of(k) => kinds::row(k).and_then(|r| r.tree.group()).unwrap_or("Other"),
            GroupKind::ManagedServices => "Managed services",
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
            GroupKind::TransitGateways => "tgws",
            GroupKind::Vpn => "vpn",
            GroupKind::ElasticIps => "eips",
            GroupKind::PrefixLists => "pls",
            GroupKind::Of(k) => k.id_prefix(),
            GroupKind::ManagedServices => "svcs",
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
            GroupKind::TransitGateways => ResourceKind::TransitGateway,
            GroupKind::Vpn => ResourceKind::VpnConnection,
            GroupKind::ElasticIps => ResourceKind::ElasticIp,
            GroupKind::PrefixLists => ResourceKind::PrefixList,
            GroupKind::Of(k) => k,
            GroupKind::ManagedServices => ResourceKind::Database,
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

/// The id of the node of an availability zone under a VPC (one way to spell it, for the tree
/// and for what selects it).
pub fn az_node_id(vpc: &str, az: &str) -> NodeId {
    format!("{vpc}/az/{az}")
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

/// What kind of row a node is: how the view styles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Region,
    Vpc,
    Az,
    Subnet,
    Resource,
    Group,
    Route { blackhole: bool },
    Rule,
    Entry { deny: bool },
}

/// One node: what it is, how it reads, where it hangs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub node: NodeRef,
    pub name: String,
    /// Muted text after the name.
    pub facts: String,
    pub kind: RowKind,
    pub children: Vec<NodeId>,
    pub parent: Option<NodeId>,
    /// A VPC whose subtree is not built yet but has one.
    pub lazy: bool,
}

impl Node {
    /// Whether the node matches a lower-case filter: its name, facts or resource id.
    fn matches(&self, filter: &str) -> bool {
        let text = format!("{} {} {}", self.name, self.facts, self.node.resource_id().unwrap_or_default());
        text.to_lowercase().contains(filter)
    }

    /// Whether the node has children (built or not).
    pub fn has_children(&self) -> bool {
        self.lazy || !self.children.is_empty()
    }
}

/// A visible row: the node and how deep it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: NodeId,
    pub depth: usize,
    pub open: bool,
    pub has_children: bool,
}

/// A part of the tree built at once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Section {
    /// Regions, their VPCs' own rows, the region-wide groups and "Other".
    Regions,
    /// Everything under one VPC's row.
    Vpc(Id),
}

/// The tree: its nodes, which are open, the selection, the filter, the scroll.
#[derive(Debug, Default)]
pub struct TreeModel {
    pub nodes: HashMap<NodeId, Node>,
    pub roots: Vec<NodeId>,
    /// Where each resource's nodes are (a peering is under two VPCs).
    owners: HashMap<Id, Vec<Section>>,
    /// VPCs whose subtree is built.
    built: HashSet<Id>,
    opened: HashSet<NodeId>,
    selected: Option<NodeId>,
    /// The first row shown.
    pub offset: usize,
    /// The selection moved since the last scroll: the view brings it into sight.
    pub reveal: bool,
    /// The filter text (empty: no filter).
    pub filter: String,
    /// Cursor position in the filter, in characters.
    pub filter_cursor: usize,
    /// `/` reopened a kept filter: its text is selected, so the first printable key replaces
    /// it (as a pre-filled form field's, issue 16 item 5); a move keeps it for editing.
    pub filter_fresh: bool,
    rows: Vec<Row>,
    /// The language its labels are in (the app's; `K` rebuilds the tree).
    pub lang: Lang,
}

/// "1 route", "2 routes".
/// In Korean, the noun and a counter: "서브넷 2개".
pub fn plural(lang: Lang, n: usize, one: &str) -> String {
    match lang {
        Lang::En if n == 1 => format!("1 {one}"),
        Lang::En => format!("{n} {one}s"),
        _ => format!("{} {n}개", ui(lang, one)),
    }
}

impl TreeModel {
    /// Build the tree of a design afresh (VPC subtrees that were built are built again), keeping
    /// the selection, open nodes and filter.
    pub fn rebuild(&mut self, d: &Design) {
        let old_path = self.selected_path();
        self.nodes.clear();
        self.roots.clear();
        self.owners.clear();
        build::regions_section(self, d);
        let built: Vec<Id> = self.built.drain().filter(|v| d.vpc(v).is_some()).collect();
        for v in built {
            self.build_vpc(d, &v);
        }
        if !self.filter.trim().is_empty() {
            self.build_all(d);
        }
        self.regenerate();
        self.repair_selection(&old_path);
    }

    /// Bring the tree up to date after an op touched `touched`: only the sections those
    /// resources were or are in are built again.
    pub fn update(&mut self, d: &Design, touched: &[Id]) {
        let places = build::Places::few(d);
        let mut vpcs: HashSet<Id> = HashSet::new();
        let mut regions = false;
        for id in touched {
            for s in self.owners.get(id).into_iter().flatten() {
                match s {
                    Section::Regions => regions = true,
                    Section::Vpc(v) => {
                        vpcs.insert(v.clone());
                    }
                }
            }
            match d.find(id) {
                Some(Resource::Vpc(_)) => regions = true,
                Some(r) => match places.of(r) {
                    build::Place::Vpc(vs) => vpcs.extend(vs),
                    _ => regions = true,
                },
                None => {}
            }
        }
        if regions {
            return self.rebuild(d);
        }
        let old_path = self.selected_path();
        for v in vpcs {
            if self.built.contains(&v) {
                self.drop_vpc(&v);
                self.build_vpc(d, &v);
            } else if let Some(n) = self.nodes.get_mut(&v) {
                n.lazy = true;
            }
        }
        self.regenerate();
        self.repair_selection(&old_path);
    }

    /// Build a VPC's subtree under its row.
    fn build_vpc(&mut self, d: &Design, vpc: &str) {
        if !self.nodes.contains_key(vpc) {
            return;
        }
        build::vpc_section(self, d, vpc);
        self.built.insert(vpc.to_string());
        if let Some(n) = self.nodes.get_mut(vpc) {
            n.lazy = false;
        }
    }

    /// Remove a VPC's subtree (its row stays).
    fn drop_vpc(&mut self, vpc: &str) {
        let children = self.nodes.get_mut(vpc).map(|n| std::mem::take(&mut n.children)).unwrap_or_default();
        let mut stack = children;
        let section = Section::Vpc(vpc.to_string());
        while let Some(id) = stack.pop() {
            if let Some(n) = self.nodes.remove(&id) {
                if let Some(r) = n.node.resource_id() {
                    if let Some(o) = self.owners.get_mut(r) {
                        o.retain(|s| *s != section);
                        if o.is_empty() {
                            self.owners.remove(r);
                        }
                    }
                }
                stack.extend(n.children);
            }
        }
        self.built.remove(vpc);
    }

    /// Build every VPC's subtree (a filter, expand all).
    fn build_all(&mut self, d: &Design) {
        let lazy: Vec<Id> = d.vpcs.iter().map(|v| v.id.clone()).filter(|v| !self.built.contains(v)).collect();
        for v in lazy {
            self.build_vpc(d, &v);
        }
    }

    /// Make sure the section holding node `id` is built (a node id starts with its VPC's id,
    /// or is the id of the resource it shows).
    fn ensure_node(&mut self, d: &Design, id: &str) {
        if self.nodes.contains_key(id) {
            return;
        }
        let head = id.split('/').next().unwrap_or(id);
        if d.vpc(head).is_some() {
            self.build_vpc(d, head);
            return;
        }
        if let Some(s) = d.find_service(head) {
            let v = s.vpc().to_string();
            if d.vpc(&v).is_some() && !self.built.contains(&v) {
                self.build_vpc(d, &v);
            }
            return;
        }
        let Some(r) = d.find(head) else { return };
        if let build::Place::Vpc(vs) = build::Places::few(d).of(r) {
            for v in vs {
                if !self.built.contains(&v) {
                    self.build_vpc(d, &v);
                }
            }
        }
    }

    /// The visible rows, in order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Rebuild the visible rows from the nodes, the open set and the filter.
    fn regenerate(&mut self) {
        let filter = self.filter.trim().to_lowercase();
        let keep = if filter.is_empty() { None } else { Some(self.filter_keep(&filter)) };
        let mut rows = Vec::new();
        for r in &self.roots {
            self.push_rows(r, 0, keep.as_ref(), &mut rows);
        }
        self.rows = rows;
    }

    fn push_rows(&self, id: &str, depth: usize, keep: Option<&HashSet<NodeId>>, out: &mut Vec<Row>) {
        if keep.is_some_and(|k| !k.contains(id)) {
            return;
        }
        let Some(n) = self.nodes.get(id) else { return };
        let open = self.opened.contains(id);
        let has_children = if keep.is_some() {
            n.children.iter().any(|c| keep.is_none_or(|k| k.contains(c)))
        } else {
            n.has_children()
        };
        out.push(Row { id: id.to_string(), depth, open, has_children });
        if open {
            for c in &n.children {
                self.push_rows(c, depth + 1, keep, out);
            }
        }
    }

    /// The nodes a filter keeps: every match with its subtree, and the ancestors of each match
    /// (which it opens, so the matches show).
    fn filter_keep(&mut self, filter: &str) -> HashSet<NodeId> {
        let mut keep: HashSet<NodeId> = HashSet::new();
        let mut open: Vec<NodeId> = Vec::new();
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
            open.extend(path.iter().take(path.len().saturating_sub(1)).cloned());
            keep.extend(path);
        }
        self.opened.extend(open);
        keep
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

    fn selected_path(&self) -> Vec<NodeId> {
        self.selected.as_deref().map(|s| self.path_of(s)).unwrap_or_default()
    }

    /// The selected node's id.
    pub fn selected_id(&self) -> Option<NodeId> {
        self.selected.clone()
    }

    /// The selected node.
    pub fn selected(&self) -> Option<&Node> {
        self.nodes.get(self.selected.as_deref()?)
    }

    /// The index of the selected row, if it shows.
    pub fn selected_row(&self) -> Option<usize> {
        let s = self.selected.as_deref()?;
        self.rows.iter().position(|r| r.id == s)
    }

    /// Select the first shown row that matches the filter itself (not an ancestor kept to show
    /// it), unless the selection matches already. Returns whether one is selected.
    pub fn select_first_match(&mut self) -> bool {
        let filter = self.filter.trim().to_lowercase();
        if filter.is_empty() {
            return false;
        }
        if self.selected().is_some_and(|n| n.matches(&filter)) && self.selected_row().is_some() {
            return true;
        }
        let hit =
            self.rows.iter().find(|r| self.nodes.get(&r.id).is_some_and(|n| n.matches(&filter))).map(|r| r.id.clone());
        match hit {
            Some(id) => {
                self.set_selected(Some(id));
                true
            }
            None => false,
        }
    }

    fn set_selected(&mut self, id: Option<NodeId>) {
        self.selected = id;
        self.reveal = true;
    }

    /// Select a node: build its section, open its ancestors.
    pub fn select_node(&mut self, d: &Design, id: &str) -> bool {
        self.ensure_node(d, id);
        let path = self.path_of(id);
        if path.is_empty() {
            return false;
        }
        let mut opened = false;
        for p in &path[..path.len() - 1] {
            opened |= self.opened.insert(p.clone());
        }
        self.set_selected(Some(id.to_string()));
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
    pub fn select_resource(&mut self, d: &Design, id: &str) -> bool {
        self.ensure_node(d, id);
        match self.node_of(id) {
            Some(n) => self.select_node(d, &n),
            None => false,
        }
    }

    /// Move the selection by `delta` visible rows.
    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() - 1;
        let next = match self.selected_row() {
            None if delta < 0 => last,
            None => 0,
            Some(i) => (i as isize).saturating_add(delta).clamp(0, last as isize) as usize,
        };
        self.set_selected(Some(self.rows[next].id.clone()));
    }

    pub fn first(&mut self) {
        if let Some(r) = self.rows.first() {
            self.set_selected(Some(r.id.clone()));
        }
    }

    pub fn last(&mut self) {
        if let Some(r) = self.rows.last() {
            self.set_selected(Some(r.id.clone()));
        }
    }

    /// Open a node, building its subtree when it is a VPC's not built yet.
    /// Open a VPC's node and its zones, so its subnets show.
    fn open_with_zones(&mut self, d: &Design, v: &str) {
        self.open(d, v);
        let azs: Vec<NodeId> = self
            .nodes
            .get(v)
            .map(|n| {
                let az = |c: &&NodeId| matches!(self.nodes.get(*c).map(|x| &x.node), Some(NodeRef::Az { .. }));
                n.children.iter().filter(az).cloned().collect()
            })
            .unwrap_or_default();
        self.opened.extend(azs);
    }

    /// Show a VPC's subnets (a VPC a form just made): its node and zones open.
    pub fn reveal_vpc(&mut self, d: &Design, id: &str) {
        self.ensure_node(d, id);
        if let Some(n) = self.node_of(id) {
            self.open_with_zones(d, &n);
            self.regenerate();
        }
    }

    fn open(&mut self, d: &Design, id: &str) -> bool {
        if self.nodes.get(id).is_some_and(|n| n.lazy) {
            self.build_vpc(d, id);
        }
        self.opened.insert(id.to_string())
    }

    /// ←: close the selected node, or go to its parent.
    pub fn left(&mut self) {
        let Some(s) = self.selected.clone() else { return };
        if !self.opened.remove(&s) {
            let parent = self.nodes.get(&s).and_then(|n| n.parent.clone());
            if parent.is_some() {
                self.set_selected(parent);
            }
        }
        self.reveal = true;
        self.regenerate();
    }

    /// →: open the selected node.
    pub fn right(&mut self, d: &Design) {
        let Some(s) = self.selected.clone() else { return };
        self.reveal = true;
        if self.open(d, &s) {
            self.regenerate();
        }
    }

    /// Open or close the selected node.
    pub fn toggle(&mut self, d: &Design) {
        let Some(s) = self.selected.clone() else { return };
        self.reveal = true;
        if !self.opened.remove(&s) {
            self.open(d, &s);
        }
        self.regenerate();
    }

    /// A click on row `row` of the visible rows: select it, or toggle it when already selected.
    pub fn click_row(&mut self, d: &Design, row: usize) {
        let Some(r) = self.rows.get(row) else { return };
        if self.selected.as_deref() == Some(r.id.as_str()) {
            self.toggle(d);
        } else {
            let id = r.id.clone();
            self.set_selected(Some(id));
        }
    }

    /// Open every node (building every VPC's subtree).
    pub fn expand_all(&mut self, d: &Design) {
        self.build_all(d);
        let ids: Vec<NodeId> = self.nodes.iter().filter(|(_, n)| n.has_children()).map(|(k, _)| k.clone()).collect();
        self.opened.extend(ids);
        self.regenerate();
    }

    /// Close every node; the selection moves to its root.
    pub fn collapse_all(&mut self) {
        self.opened.clear();
        let root = self.selected_path().into_iter().next();
        self.set_selected(root);
        self.regenerate();
    }

    /// Open the first levels so a fresh tree shows regions, VPCs and AZs, and select the first
    /// subnet.
    pub fn open_default(&mut self, d: &Design) {
        for r in self.roots.clone() {
            self.opened.insert(r.clone());
            let children = self.nodes.get(&r).map(|n| n.children.clone()).unwrap_or_default();
            // Open VPCs only when there are few of them: a thousand open VPCs help no one.
            let vpcs: Vec<NodeId> = children
                .into_iter()
                .filter(|c| {
                    matches!(
                        self.nodes.get(c).map(|x| &x.node),
                        Some(NodeRef::Resource { kind: ResourceKind::Vpc, .. })
                    )
                })
                .collect();
            if vpcs.len() <= 3 {
                for v in vpcs {
                    self.open_with_zones(d, &v);
                }
            }
        }
        self.regenerate();
        // Start on the first subnet, so the planner and the routes pane have something to show.
        match self.first_of(ResourceKind::Subnet).or_else(|| self.first_of(ResourceKind::Vpc)) {
            Some(id) => {
                self.select_node(d, &id);
            }
            None => {
                let r = self.roots.first().cloned();
                self.set_selected(r);
            }
        }
    }

    /// The first built node of a kind in tree order (depth first).
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
    fn repair_selection(&mut self, old: &[NodeId]) {
        let target = old.iter().rev().find(|id| self.nodes.contains_key(*id)).cloned();
        let path = target.as_deref().map(|t| self.path_of(t)).unwrap_or_default();
        let ok = !path.is_empty() && (self.filter.is_empty() || self.rows.iter().any(|r| Some(&r.id) == path.last()));
        if ok {
            let mut opened = false;
            if path.as_slice() != old {
                for p in &path[..path.len() - 1] {
                    opened |= self.opened.insert(p.clone());
                }
            }
            self.selected = path.last().cloned();
            if opened {
                self.regenerate();
            }
        } else {
            self.selected = self.rows.first().map(|r| r.id.clone());
        }
    }

    /// Set the filter text and rebuild the rows (a filter looks at every VPC's subtree).
    pub fn set_filter(&mut self, d: &Design, text: String) {
        self.filter = text;
        self.filter_cursor = self.filter_cursor.min(self.filter.chars().count());
        if !self.filter.trim().is_empty() {
            self.build_all(d);
        }
        let old = self.selected_path();
        self.regenerate();
        self.repair_selection(&old);
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

    /// The first row to show in a window of `height` rows: the scroll offset, moved just enough
    /// to show the selection when it moved since the last scroll.
    pub fn shown_offset(&self, height: usize) -> usize {
        let last = self.rows.len().saturating_sub(1);
        let mut start = self.offset.min(last);
        if self.reveal && height > 0 {
            if let Some(sel) = self.selected_row() {
                if sel < start {
                    start = sel;
                } else if sel >= start + height {
                    start = sel + 1 - height;
                }
            }
        }
        start
    }

    /// Scroll the rows by `lines` in a window of `height` rows (the mouse wheel); the
    /// selection may leave the window.
    pub fn scroll(&mut self, lines: isize, height: usize) {
        let from = self.shown_offset(height) as isize;
        let last = self.rows.len().saturating_sub(1) as isize;
        self.offset = (from + lines).clamp(0, last.max(0)) as usize;
        self.reveal = false;
    }
}
