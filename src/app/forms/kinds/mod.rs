//! The form of every resource kind, one file each, and the kind table that lists them.
//!
//! # Adding a resource kind
//! 1. The model: the struct, its collection in `Design`, its `ResourceKind`, its references
//!    (`model::edit`), and its ops (`model::ops`: `Add…`/`Update…` with their checks).
//! 2. Its form: a file here with a unit struct implementing [`FormSpec`] — `kind`, `fields`
//!    (blank or the resource's values) and `draft` (the `Add…` op for a new one, the `Update…`
//!    op with only what changed for an existing one). Validation and submit come with the
//!    trait: the form shows the op's dry-run errors beside the fields they name.
//! 3. One row in [`KINDS`]: the kind, its form, what `a` preselects on one of its nodes, and
//!    where the tree shows it — usually [`TreeSpot::InVpc`] or [`TreeSpot::InRegion`]: a group
//!    title and two small functions in the kind's file (its VPC or region, and the facts its
//!    row shows; see `load_balancer.rs`).
//!
//! The add menu, the edit key, the delete key and the tree then work for it.

mod compute_service;
mod customer_gateway;
mod database;
mod db_subnet_group;
mod egress_only_igw;
mod elastic_ip;
mod endpoint;
mod endpoint_service;
mod firewall_policy;
mod firewall_rules;
mod instance;
mod internet_gateway;
mod load_balancer;
mod managed;
mod nacl_entry;
mod nat_gateway;
mod network_acl;
mod network_firewall;
mod network_interface;
mod peering;
mod prefix_list;
mod route;
mod route_table;
mod rule_group;
mod save_as;
mod security_group;
mod sg_rule;
mod subnet;
mod target_group;
mod tgw_attachment;
mod tgw_route_table;
mod transit_gateway;
mod vpc;
mod vpn_connection;
mod vpn_gateway;

pub use firewall_rules::{stateful_text, stateless_text};
pub use route::{route_ops, table_of, RouteForm, ROUTE, ROUTE_TYPED};
pub use save_as::{SaveAsForm, SAVE_AS};
pub use subnet::FORM as SUBNET;

use super::{Context, Field, Form, FormSpec, FormTarget};
use crate::app::tree::NodeRef;
use crate::model::{Design, Resource, ResourceKind, RouteOrigin};

use ResourceKind as RK;

/// What `a` on a node of a kind preselects in the add menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adds {
    /// A resource of this kind.
    Kind(ResourceKind),
    /// A route in the table.
    Route,
    /// A rule in the group.
    SgRule,
    /// An entry in the network ACL.
    NaclEntry,
    /// A VPC with its subnets, gateways and tables ("VPC and more").
    VpcAndMore,
}

/// Where the tree shows the resources of a kind.
#[derive(Clone, Copy)]
pub enum TreeSpot {
    /// `app::tree` places them itself (subnets under their AZ, instances under their subnet,
    /// route tables with their routes…).
    Own,
    /// A group titled `group` in their VPC's section: one row per resource, its name and its
    /// `facts`. A resource whose VPC is not in the design goes under "Other".
    InVpc { group: &'static str, vpc: fn(Resource<'_>) -> Option<&str>, facts: fn(&Design, Resource<'_>) -> String },
    /// A group titled `group` under their region's node.
    InRegion {
        group: &'static str,
        region: fn(Resource<'_>) -> Option<&str>,
        facts: fn(&Design, Resource<'_>) -> String,
    },
    /// A group titled `group` under the design's default region: for regional kinds whose
    /// resources do not say their region (firewall policies and rule groups).
    InDefaultRegion { group: &'static str, facts: fn(&Design, Resource<'_>) -> String },
}

impl TreeSpot {
    /// The title of the kind's group, when the tree groups it from this table.
    pub fn group(&self) -> Option<&'static str> {
        match self {
            TreeSpot::Own => None,
            TreeSpot::InVpc { group, .. }
            | TreeSpot::InRegion { group, .. }
            | TreeSpot::InDefaultRegion { group, .. } => Some(group),
        }
    }
}

/// One row per resource kind, in the order the add menu lists them (the order people build a
/// network in).
pub struct KindRow {
    pub kind: ResourceKind,
    /// Its form: what `a` (new) and `e` (edit) open.
    pub form: &'static dyn FormSpec,
    /// What `a` on one of its nodes preselects in the add menu.
    pub adds: Adds,
    /// Where the tree shows it.
    pub tree: TreeSpot,
}

/// The kind table.
pub static KINDS: &[KindRow] = &[
    KindRow { kind: RK::Vpc, form: &vpc::FORM, adds: Adds::Kind(RK::Subnet), tree: TreeSpot::Own },
    KindRow { kind: RK::Subnet, form: &subnet::FORM, adds: Adds::Kind(RK::Instance), tree: TreeSpot::Own },
    KindRow { kind: RK::RouteTable, form: &route_table::FORM, adds: Adds::Route, tree: TreeSpot::Own },
    KindRow {
        kind: RK::InternetGateway,
        form: &internet_gateway::FORM,
        adds: Adds::Kind(RK::InternetGateway),
        tree: TreeSpot::Own,
    },
    KindRow { kind: RK::NatGateway, form: &nat_gateway::FORM, adds: Adds::Kind(RK::NatGateway), tree: TreeSpot::Own },
    KindRow { kind: RK::ElasticIp, form: &elastic_ip::FORM, adds: Adds::Kind(RK::ElasticIp), tree: TreeSpot::Own },
    KindRow { kind: RK::Instance, form: &instance::FORM, adds: Adds::Kind(RK::Instance), tree: TreeSpot::Own },
    KindRow {
        kind: RK::NetworkInterface,
        form: &network_interface::FORM,
        adds: Adds::Kind(RK::NetworkInterface),
        tree: TreeSpot::Own,
    },
    KindRow { kind: RK::SecurityGroup, form: &security_group::FORM, adds: Adds::SgRule, tree: TreeSpot::Own },
    KindRow { kind: RK::NetworkAcl, form: &network_acl::FORM, adds: Adds::NaclEntry, tree: TreeSpot::Own },
    KindRow { kind: RK::VpcPeering, form: &peering::FORM, adds: Adds::Kind(RK::VpcPeering), tree: TreeSpot::Own },
    KindRow { kind: RK::VpcEndpoint, form: &endpoint::FORM, adds: Adds::Kind(RK::VpcEndpoint), tree: TreeSpot::Own },
    KindRow {
        kind: RK::EndpointService,
        form: &endpoint_service::FORM,
        adds: Adds::Kind(RK::EndpointService),
        tree: endpoint_service::TREE,
    },
    KindRow {
        kind: RK::LoadBalancer,
        form: &load_balancer::FORM,
        adds: Adds::Kind(RK::LoadBalancer),
        tree: load_balancer::TREE,
    },
    KindRow {
        kind: RK::TargetGroup,
        form: &target_group::FORM,
        adds: Adds::Kind(RK::TargetGroup),
        tree: target_group::TREE,
    },
    KindRow {
        kind: RK::TransitGateway,
        form: &transit_gateway::FORM,
        adds: Adds::Kind(RK::TgwAttachment),
        tree: TreeSpot::Own,
    },
    KindRow {
        kind: RK::TgwAttachment,
        form: &tgw_attachment::FORM,
        adds: Adds::Kind(RK::TgwAttachment),
        tree: TreeSpot::Own,
    },
    KindRow {
        kind: RK::TgwRouteTable,
        form: &tgw_route_table::FORM,
        adds: Adds::Kind(RK::TgwRouteTable),
        tree: TreeSpot::Own,
    },
    KindRow { kind: RK::VpnGateway, form: &vpn_gateway::FORM, adds: Adds::Kind(RK::VpnGateway), tree: TreeSpot::Own },
    KindRow {
        kind: RK::CustomerGateway,
        form: &customer_gateway::FORM,
        adds: Adds::Kind(RK::VpnConnection),
        tree: TreeSpot::Own,
    },
    KindRow {
        kind: RK::VpnConnection,
        form: &vpn_connection::FORM,
        adds: Adds::Kind(RK::VpnConnection),
        tree: TreeSpot::Own,
    },
    KindRow {
        kind: RK::EgressOnlyInternetGateway,
        form: &egress_only_igw::FORM,
        adds: Adds::Kind(RK::EgressOnlyInternetGateway),
        tree: TreeSpot::Own,
    },
    KindRow { kind: RK::PrefixList, form: &prefix_list::FORM, adds: Adds::Kind(RK::PrefixList), tree: TreeSpot::Own },
    KindRow {
        kind: RK::FirewallRuleGroup,
        form: &rule_group::FORM,
        adds: Adds::Kind(RK::FirewallRuleGroup),
        tree: rule_group::TREE,
    },
    KindRow {
        kind: RK::FirewallPolicy,
        form: &firewall_policy::FORM,
        adds: Adds::Kind(RK::FirewallPolicy),
        tree: firewall_policy::TREE,
    },
    KindRow {
        kind: RK::NetworkFirewall,
        form: &network_firewall::FORM,
        adds: Adds::Kind(RK::NetworkFirewall),
        tree: network_firewall::TREE,
    },
    // Managed services (M1–M9): the VPC's "Managed services" group of the tree.
    KindRow {
        kind: RK::DbSubnetGroup,
        form: &db_subnet_group::FORM,
        adds: Adds::Kind(RK::Database),
        tree: TreeSpot::Own,
    },
    KindRow { kind: RK::Database, form: &database::FORM, adds: Adds::Kind(RK::Database), tree: TreeSpot::Own },
    KindRow {
        kind: RK::ComputeService,
        form: &compute_service::FORM,
        adds: Adds::Kind(RK::ComputeService),
        tree: TreeSpot::Own,
    },
];

/// The row of a kind.
pub fn row(kind: ResourceKind) -> Option<&'static KindRow> {
    KINDS.iter().find(|r| r.kind == kind)
}

/// The form of a sub-item: a route, a security group rule, a NACL entry.
pub fn sub_form(adds: Adds) -> Option<&'static dyn FormSpec> {
    match adds {
        Adds::Route => Some(&route::ROUTE),
        Adds::SgRule => Some(&sg_rule::FORM),
        Adds::NaclEntry => Some(&nacl_entry::FORM),
        Adds::Kind(k) => row(k).map(|r| r.form),
        Adds::VpcAndMore => Some(&crate::app::vpc_more::FORM),
    }
}

/// The form that edits what a tree node stands for.
pub fn edit_form(node: &NodeRef, d: &Design) -> Result<Form, String> {
    let ctx = Context { region: d.default_region.clone(), ..Context::default() };
    match node {
        NodeRef::Resource { kind, id } => {
            d.find(id).ok_or_else(|| format!("{id} is no longer in the design"))?;
            let spec = row(*kind).map(|r| r.form).ok_or_else(|| format!("no form edits a {}", kind.label()))?;
            Form::open(spec, d, FormTarget::Edit(id.clone()), &ctx)
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
            Form::open(&route::ROUTE, d, target, &ctx)
        }
        NodeRef::SgRule { sg, egress, index } => {
            let g = d.security_group(sg).ok_or("the security group is gone")?;
            let rules = if *egress { &g.egress } else { &g.ingress };
            rules.get(*index).ok_or("the rule is gone")?;
            let target = FormTarget::EditSub { parent: sg.clone(), index: *index, egress: *egress };
            Form::open(&sg_rule::FORM, d, target, &ctx)
        }
        NodeRef::NaclEntry { acl, index } => {
            let a = d.network_acl(acl).ok_or("the network ACL is gone")?;
            let e = a.entries.get(*index).ok_or("the entry is gone")?;
            let target = FormTarget::EditSub { parent: acl.clone(), index: *index, egress: e.egress };
            Form::open(&nacl_entry::FORM, d, target, &ctx)
        }
        _ => Err("select a resource, a route, a rule or an entry to edit".into()),
    }
}

/// The form that adds what `adds` names where the user is.
pub fn new_form(adds: Adds, d: &Design, ctx: &Context) -> Result<Form, String> {
    let spec = sub_form(adds).ok_or("no form adds that")?;
    let target = match adds {
        Adds::Kind(_) | Adds::VpcAndMore => FormTarget::New,
        Adds::Route => {
            let rt = ctx.route_table.as_deref().and_then(|r| d.route_table(r)).ok_or("select a route table first")?;
            FormTarget::NewIn(rt.id.clone())
        }
        Adds::SgRule => {
            let g = ctx
                .security_group
                .as_deref()
                .and_then(|g| d.security_group(g))
                .ok_or("select a security group first")?;
            FormTarget::NewIn(g.id.clone())
        }
        Adds::NaclEntry => {
            let a = ctx.network_acl.as_deref().and_then(|a| d.network_acl(a)).ok_or("select a network ACL first")?;
            FormTarget::NewIn(a.id.clone())
        }
    };
    Form::open(spec, d, target, ctx)
}

/// Where a new resource goes: the context's region, and its VPC (else the design's first).
pub(crate) struct Here {
    pub region: String,
    pub vpc: String,
}

pub(crate) fn here(d: &Design, ctx: &Context) -> Here {
    let region = if ctx.region.is_empty() { d.default_region.clone() } else { ctx.region.clone() };
    let vpc = ctx.vpc.clone().or_else(|| d.vpcs.first().map(|v| v.id.clone())).unwrap_or_default();
    Here { region, vpc }
}

/// A field that is fixed once the resource exists.
pub(crate) fn fixed(edit: bool, f: Field) -> Field {
    if edit {
        f.locked()
    } else {
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::forms::FormKind;

    /// What a new kind's row must get right: one row per kind, whose form is that kind's.
    #[test]
    fn every_kind_has_one_row_whose_form_is_its_own() {
        for k in ResourceKind::ALL {
            let rows: Vec<&KindRow> = KINDS.iter().filter(|r| r.kind == k).collect();
            assert_eq!(rows.len(), 1, "{k:?} needs exactly one row in KINDS");
            assert_eq!(rows[0].form.kind(), FormKind::Resource(k), "the form of {k:?}'s row is another kind's");
        }
    }
}
