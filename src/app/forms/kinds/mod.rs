//! The form of every resource kind, one file each, and the kind table that lists them.
//!
//! # Adding a resource kind
//! 1. The model: the struct, its collection in `Design`, its `ResourceKind`, its references
//!    (`model::edit`), and its ops (`model::ops`: `Add…`/`Update…` with their checks).
//! 2. Its form: a file here with a unit struct implementing [`FormSpec`] — `kind`, `fields`
//!    (blank or the resource's values) and `draft` (the `Add…` op for a new one, the `Update…`
//!    op with only what changed for an existing one). Validation and submit come with the
//!    trait: the form shows the op's dry-run errors beside the fields they name.
//! 3. One row in [`KINDS`], `own(kind, &form)`: then `a` on one of its nodes adds another of
//!    its kind (`.adding(…)` says otherwise) and `app::tree` places it (`.shown(…)` says where
//!    else — usually [`TreeSpot::InVpc`] or [`TreeSpot::InRegion`]: a group title and two
//!    small functions in the kind's file, its VPC or region and the facts its row shows; see
//!    `load_balancer.rs`).
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
    InVpc {
        group: &'static str,
        vpc: fn(Resource<'_>) -> Option<&str>,
        facts: fn(&Design, Resource<'_>, crate::l10n::Lang) -> String,
    },
    /// A group titled `group` under their region's node.
    InRegion {
        group: &'static str,
        region: fn(Resource<'_>) -> Option<&str>,
        facts: fn(&Design, Resource<'_>, crate::l10n::Lang) -> String,
    },
    /// A group titled `group` under the design's default region: for regional kinds whose
    /// resources do not say their region (firewall policies and rule groups).
    InDefaultRegion { group: &'static str, facts: fn(&Design, Resource<'_>, crate::l10n::Lang) -> String },
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

/// A row whose `a` adds another of its kind and which the tree places itself ([`KindRow::adding`]
/// and [`KindRow::shown`] say otherwise).
const fn own(kind: ResourceKind, form: &'static dyn FormSpec) -> KindRow {
    KindRow { kind, form, adds: Adds::Kind(kind), tree: TreeSpot::Own }
}

impl KindRow {
    /// What `a` on one of its nodes preselects.
    const fn adding(self, adds: Adds) -> KindRow {
        KindRow { adds, ..self }
    }

    /// Where the tree shows it.
    const fn shown(self, tree: TreeSpot) -> KindRow {
        KindRow { tree, ..self }
    }
}

/// The kind table.
pub static KINDS: &[KindRow] = &[
    own(RK::Vpc, &vpc::FORM).adding(Adds::Kind(RK::Subnet)),
    own(RK::Subnet, &subnet::FORM).adding(Adds::Kind(RK::Instance)),
    own(RK::RouteTable, &route_table::FORM).adding(Adds::Route),
    own(RK::InternetGateway, &internet_gateway::FORM),
    own(RK::NatGateway, &nat_gateway::FORM),
    own(RK::ElasticIp, &elastic_ip::FORM),
    own(RK::Instance, &instance::FORM),
    own(RK::NetworkInterface, &network_interface::FORM),
    own(RK::SecurityGroup, &security_group::FORM).adding(Adds::SgRule),
    own(RK::NetworkAcl, &network_acl::FORM).adding(Adds::NaclEntry),
    own(RK::VpcPeering, &peering::FORM),
    own(RK::VpcEndpoint, &endpoint::FORM),
    own(RK::EndpointService, &endpoint_service::FORM).shown(endpoint_service::TREE),
    own(RK::LoadBalancer, &load_balancer::FORM).shown(load_balancer::TREE),
    own(RK::TargetGroup, &target_group::FORM).shown(target_group::TREE),
    own(RK::TransitGateway, &transit_gateway::FORM).adding(Adds::Kind(RK::TgwAttachment)),
    own(RK::TgwAttachment, &tgw_attachment::FORM),
    own(RK::TgwRouteTable, &tgw_route_table::FORM),
    own(RK::VpnGateway, &vpn_gateway::FORM),
    own(RK::CustomerGateway, &customer_gateway::FORM).adding(Adds::Kind(RK::VpnConnection)),
    own(RK::VpnConnection, &vpn_connection::FORM),
    own(RK::EgressOnlyInternetGateway, &egress_only_igw::FORM),
    own(RK::PrefixList, &prefix_list::FORM),
    own(RK::FirewallRuleGroup, &rule_group::FORM).shown(rule_group::TREE),
    own(RK::FirewallPolicy, &firewall_policy::FORM).shown(firewall_policy::TREE),
    own(RK::NetworkFirewall, &network_firewall::FORM).shown(network_firewall::TREE),
    // Managed services (M1–M9): the VPC's "Managed services" group of the tree.
    own(RK::DbSubnetGroup, &db_subnet_group::FORM).adding(Adds::Kind(RK::Database)),
    own(RK::Database, &database::FORM),
    own(RK::ComputeService, &compute_service::FORM),
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
