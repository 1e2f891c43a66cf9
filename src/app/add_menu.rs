//! The add menu: what can be added where the user is, in one stable order grouped by what it
//! is (network, gateways, security, connectivity, compute), filtered by what is typed. The kind
//! most likely wanted where the user is comes first, marked as the suggestion, so the cursor
//! never starts somewhere in the middle of the list and the order never moves.

use super::forms::kinds::{self, Adds, KINDS};
use super::forms::LineInput;
use super::msg::ListMsg;
use super::tree::{GroupKind, NodeRef};
use super::{App, Menu, MenuItem, Popup};
use crate::model::ResourceKind as RK;

/// The groups, in the order the menu shows them.
pub const GROUPS: [&str; 6] = ["network", "gateways", "security", "connectivity", "compute", "managed services"];

/// The group an item belongs to.
pub fn group_of(adds: Adds) -> &'static str {
    match adds {
        Adds::Route | Adds::VpcAndMore => "network",
        Adds::SgRule | Adds::NaclEntry => "security",
        Adds::Kind(k) => match k {
            RK::Vpc | RK::Subnet | RK::RouteTable | RK::PrefixList => "network",
            RK::InternetGateway
            | RK::EgressOnlyInternetGateway
            | RK::NatGateway
            | RK::ElasticIp
            | RK::TransitGateway
            | RK::VpnGateway
            | RK::CustomerGateway => "gateways",
            RK::SecurityGroup | RK::NetworkAcl => "security",
            RK::VpcPeering
            | RK::VpcEndpoint
            | RK::EndpointService
            | RK::TgwAttachment
            | RK::TgwRouteTable
            | RK::VpnConnection => "connectivity",
            RK::Instance | RK::NetworkInterface | RK::LoadBalancer | RK::TargetGroup => "compute",
            RK::NetworkFirewall | RK::FirewallPolicy | RK::FirewallRuleGroup => "security",
            RK::Database | RK::DbSubnetGroup | RK::ComputeService => "managed services",
        },
    }
}

fn rank(group: &str) -> usize {
    GROUPS.iter().position(|g| *g == group).unwrap_or(GROUPS.len())
}

fn item(label: impl Into<String>, adds: Adds, egress: bool) -> MenuItem {
    MenuItem { label: label.into(), adds, egress, group: group_of(adds), suggested: false }
}

impl Menu {
    /// The items shown, as indexes into [`Menu::items`]: all of them, or (once something is
    /// typed) the ones whose label or group holds it, without the suggestion's copy.
    pub fn visible(&self) -> Vec<usize> {
        let f = self.filter.text.trim().to_lowercase();
        self.items
            .iter()
            .enumerate()
            .filter(|(_, it)| {
                f.is_empty() || (!it.suggested && (it.label.to_lowercase().contains(&f) || it.group.contains(&f)))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Move the cursor by `d` shown items (clamped).
    fn step(&mut self, d: isize) {
        let vis = self.visible();
        if vis.is_empty() {
            return;
        }
        let at = vis.iter().position(|&i| i == self.selected).unwrap_or(0) as isize;
        let to = (at + d).clamp(0, vis.len() as isize - 1) as usize;
        self.selected = vis[to];
    }
}

/// Open the add menu for where the user is.
pub fn open(app: &mut App) {
    let ctx = app.context();
    let mut items = Vec::new();
    let name_of = |id: &str| app.design.find(id).map(|r| r.display_name()).unwrap_or_else(|| id.to_string());
    if let Some(rt) = &ctx.route_table {
        items.push(item(format!("route in {}", name_of(rt)), Adds::Route, false));
    }
    if let Some(sg) = &ctx.security_group {
        items.push(item(format!("inbound rule in {}", name_of(sg)), Adds::SgRule, false));
        items.push(item(format!("outbound rule in {}", name_of(sg)), Adds::SgRule, true));
    }
    if let Some(acl) = &ctx.network_acl {
        items.push(item(format!("inbound entry in {}", name_of(acl)), Adds::NaclEntry, false));
        items.push(item(format!("outbound entry in {}", name_of(acl)), Adds::NaclEntry, true));
    }
    for row in KINDS {
        items.push(item(row.kind.label(), Adds::Kind(row.kind), false));
        if row.kind == RK::Vpc {
            items.push(item(super::vpc_more::LABEL, Adds::VpcAndMore, false));
        }
    }
    // One order, whatever is selected: by group, then as listed.
    items.sort_by_key(|i| rank(i.group));
    // What makes sense where the user is: shown first, marked, not chosen for them elsewhere.
    let want: Option<(Adds, bool)> = match app.selected_node() {
        // A new VPC starts where the AWS console's "Create VPC" does: "VPC and more".
        None | Some(NodeRef::Region(_)) => Some((Adds::VpcAndMore, false)),
        Some(NodeRef::Az { .. }) => Some((Adds::Kind(RK::Subnet), false)),
        Some(NodeRef::Group { kind, .. }) => match kind {
            GroupKind::RouteTables => Some((Adds::Kind(RK::RouteTable), false)),
            other => other.adds().map(|k| (Adds::Kind(k), false)),
        },
        Some(NodeRef::Route { .. }) => Some((Adds::Route, false)),
        Some(NodeRef::SgRule { egress, .. }) => Some((Adds::SgRule, *egress)),
        Some(NodeRef::NaclEntry { .. }) => Some((Adds::NaclEntry, false)),
        Some(NodeRef::Resource { kind, .. }) => kinds::row(*kind).map(|r| (r.adds, false)),
    };
    if let Some(hit) = want.and_then(|(k, eg)| items.iter().find(|i| i.adds == k && i.egress == eg)) {
        let mut s = hit.clone();
        s.suggested = true;
        items.insert(0, s);
    }
    let title = match &ctx.vpc {
        Some(v) => format!("Add to {}", name_of(v)),
        None => format!("Add in {}", ctx.region),
    };
    app.set_popup(Popup::Menu(Menu { title, items, selected: 0, context: ctx, filter: LineInput::default() }));
}

/// A key in the add menu.
pub fn update(app: &mut App, m: ListMsg) {
    let Some(Popup::Menu(menu)) = app.modals.popup_mut() else { return };
    match m {
        ListMsg::Up => menu.step(-1),
        ListMsg::Down => menu.step(1),
        ListMsg::First => menu.step(isize::MIN / 2),
        ListMsg::Last => menu.step(isize::MAX / 2),
        ListMsg::Cancel => app.close_popup(),
        ListMsg::Input(i) => {
            if menu.filter.apply(i) {
                menu.selected = menu.visible().first().copied().unwrap_or(0);
            }
        }
        ListMsg::Select => {
            if !menu.visible().contains(&menu.selected) {
                return;
            }
            let Some(Popup::Menu(menu)) = app.take_popup() else { return };
            let Some(item) = menu.items.get(menu.selected) else { return };
            let mut ctx = menu.context.clone();
            ctx.egress = item.egress;
            match kinds::new_form(item.adds, &app.design, &ctx) {
                Ok(form) => app.set_popup(Popup::Form(form)),
                Err(e) => {
                    app.error(e);
                    app.set_popup(Popup::Menu(menu));
                }
            }
        }
    }
}
