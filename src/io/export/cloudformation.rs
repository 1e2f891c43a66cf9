//! A design as an AWS CloudFormation template (JSON).
//!
//! One stack is one region: the design's main region is exported and the rest listed in the
//! notes. Logical ids come from resource names (alphanumeric, unique). What CloudFormation
//! creates by itself is not declared: local routes, the default security group and NACL (their
//! extra rules attach through `Fn::GetAtt VPC.DefaultSecurityGroup` / `DefaultNetworkAcl`) and
//! the main route table. The main table cannot be given routes, so when subnets rely on a main
//! table with routes, an explicit table with those routes is associated with them instead
//! (noted in `Metadata.vpcraft.notes`). Transit gateways get explicit route tables,
//! associations and propagations rather than AWS's implicit default table.

mod compute;
mod connect;
mod firewall;
mod network;
mod rules;
mod services;

use super::plan::{ExportPlan, InlinePrimary, Ref, TargetStyle};
use super::{Export, LogicalIds};
use crate::model::*;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The parameter instances take their image from (the latest Amazon Linux 2023).
pub const AMI_PARAMETER: &str = "LatestAmiId";

/// The egress rule that stands for "no outbound rules": a security group given any egress
/// rule loses AWS's default allow-all, and this one matches nothing real.
pub const NO_EGRESS_CIDR: &str = "127.0.0.1/32";

/// Export the design's main region as a CloudFormation template.
pub fn to_cloudformation(d: &Design) -> Export {
    let target = TargetStyle {
        all_regions: false,
        names_vpc_defaults: false,
        names: LogicalIds::cloudformation,
        kind_word: cfn_kind_word,
        reserved: &[AMI_PARAMETER],
        names_created: true,
        inline_primary: InlinePrimary::WithPublicIp,
    };
    let ix = DesignIndex::new(d);
    let mut cx = Cfn::new(ExportPlan::new(&ix, target));
    services::assign_ids(&mut cx);
    firewall::assign_ids(&mut cx);
    network::export(&mut cx);
    rules::export(&mut cx);
    compute::export(&mut cx);
    connect::export(&mut cx);
    services::export(&mut cx);
    firewall::export(&mut cx);
    cx.finish()
}

/// The template being built.
pub(crate) struct Cfn<'a> {
    pub d: &'a Design,
    /// The design's index: every lookup goes through it.
    pub ix: &'a DesignIndex<'a>,
    /// What goes out, its names and references.
    pub plan: ExportPlan<'a>,
    pub resources: Map<String, Value>,
    pub parameters: Map<String, Value>,
    pub notes: Vec<String>,
    /// Main route table id → logical id of the explicit table that stands in for it.
    pub main_tables: HashMap<Id, String>,
    /// Firewall endpoint id → its firewall and place (F1), for routes that name one.
    pub firewall_endpoints: HashMap<Id, (Id, usize)>,
}

impl<'a> Cfn<'a> {
    fn new(plan: ExportPlan<'a>) -> Cfn<'a> {
        Cfn {
            d: plan.d,
            ix: plan.ix,
            plan,
            resources: Map::new(),
            parameters: Map::new(),
            notes: Vec::new(),
            main_tables: HashMap::new(),
            firewall_endpoints: HashMap::new(),
        }
    }

    /// Whether a resource is declared in this template.
    pub fn declared(&self, id: &str) -> bool {
        self.plan.declared(id)
    }

    /// A unique logical id for something without a design id (routes, rules, associations).
    pub fn fresh(&mut self, base: &str, kind: &str) -> String {
        self.plan.names.fresh(base, kind)
    }

    /// A reference to a resource: `Ref` when declared here (or the explicit table standing in
    /// for a main table), the VPC's attribute for its default group / ACL, else the id itself
    /// (something outside the stack).
    pub fn r(&self, id: &str) -> Value {
        match self.plan.reference(id) {
            Ref::Named(l) => json!({ "Ref": l }),
            Ref::MainRouteTable { table, .. } => match self.main_tables.get(table) {
                Some(l) => json!({ "Ref": l }),
                None => Value::String(id.to_string()),
            },
            Ref::DefaultSecurityGroup { vpc } => json!({ "Fn::GetAtt": [vpc, "DefaultSecurityGroup"] }),
            Ref::DefaultNetworkAcl { vpc } => json!({ "Fn::GetAtt": [vpc, "DefaultNetworkAcl"] }),
            Ref::PrimaryInterface { .. } | Ref::VpnAttachment { .. } | Ref::Literal(_) => Value::String(id.to_string()),
        }
    }

    /// A `Fn::GetAtt` of a declared resource.
    pub fn getatt(&self, id: &str, attr: &str) -> Value {
        match self.plan.name(id) {
            Some(l) => json!({ "Fn::GetAtt": [l, attr] }),
            None => Value::String(id.to_string()),
        }
    }

    /// Declare a resource.
    pub fn add(&mut self, logical: &str, kind: &str, props: Value) {
        self.add_with(logical, kind, props, Vec::new());
    }

    /// Declare a resource with explicit dependencies.
    pub fn add_with(&mut self, logical: &str, kind: &str, props: Value, depends_on: Vec<String>) {
        let mut body = json!({ "Type": kind, "Properties": props });
        let mut deps: Vec<String> = depends_on.into_iter().filter(|d| d != logical).collect();
        deps.sort();
        deps.dedup();
        if !deps.is_empty() {
            body["DependsOn"] = json!(deps);
        }
        self.resources.insert(logical.to_string(), body);
    }

    /// A note about something the template cannot say.
    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    fn finish(mut self) -> Export {
        let left = self.plan.left_out();
        if !left.is_empty() {
            let region = self.plan.regions[0].clone();
            self.note(format!("a stack is regional: only {region} is exported; left out: {}", left.join(", ")));
        }
        let description = ascii(&format!(
            "{} - exported by vpcraft from the design '{}'",
            if self.d.description.is_empty() { "Network" } else { &self.d.description },
            self.d.name
        ));
        let mut t = Map::new();
        t.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        t.insert("Description".into(), json!(truncate(&description, 1000)));
        t.insert(
            "Metadata".into(),
            json!({
                // Availability zones are part of the design (TGW attachments, endpoint and NAT
                // placement depend on them), so they are kept as written.
                "cfn-lint": { "config": { "ignore_checks": ["W3010"] } },
                "vpcraft": { "design": self.d.name, "region": self.plan.regions[0], "notes": self.notes },
            }),
        );
        if !self.parameters.is_empty() {
            t.insert("Parameters".into(), Value::Object(std::mem::take(&mut self.parameters)));
        }
        t.insert("Resources".into(), Value::Object(std::mem::take(&mut self.resources)));
        let mut text = serde_json::to_string_pretty(&Value::Object(t)).unwrap_or_default();
        text.push('\n');
        Export { text, notes: self.notes }
    }
}

/// A fallback word for logical ids of each kind.
fn cfn_kind_word(k: ResourceKind) -> &'static str {
    match k {
        ResourceKind::Vpc => "Vpc",
        ResourceKind::Subnet => "Subnet",
        ResourceKind::RouteTable => "RouteTable",
        ResourceKind::InternetGateway => "InternetGateway",
        ResourceKind::EgressOnlyInternetGateway => "EgressOnlyInternetGateway",
        ResourceKind::NatGateway => "NatGateway",
        ResourceKind::ElasticIp => "Eip",
        ResourceKind::Instance => "Instance",
        ResourceKind::NetworkInterface => "Eni",
        ResourceKind::SecurityGroup => "SecurityGroup",
        ResourceKind::NetworkAcl => "NetworkAcl",
        ResourceKind::VpcPeering => "Peering",
        ResourceKind::PrefixList => "PrefixList",
        ResourceKind::VpcEndpoint => "Endpoint",
        ResourceKind::EndpointService => "EndpointService",
        ResourceKind::LoadBalancer => "LoadBalancer",
        ResourceKind::TargetGroup => "TargetGroup",
        ResourceKind::TransitGateway => "TransitGateway",
        ResourceKind::TgwAttachment => "TgwAttachment",
        ResourceKind::TgwRouteTable => "TgwRouteTable",
        ResourceKind::VpnGateway => "VpnGateway",
        ResourceKind::CustomerGateway => "CustomerGateway",
        ResourceKind::VpnConnection => "VpnConnection",
        ResourceKind::NetworkFirewall => "Firewall",
        ResourceKind::FirewallPolicy => "FirewallPolicy",
        ResourceKind::FirewallRuleGroup => "RuleGroup",
        ResourceKind::Database => "Database",
        ResourceKind::DbSubnetGroup => "DbSubnetGroup",
        ResourceKind::ComputeService => "Service",
    }
}

/// The `Tags` property with a `Name`.
pub(crate) fn name_tag(name: &str) -> Value {
    json!([{ "Key": "Name", "Value": truncate(name, 255) }])
}

/// Printable ASCII only (descriptions of security groups allow little else).
pub(crate) fn ascii(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii() && !c.is_ascii_control() { c } else { ' ' }).collect()
}

pub(crate) fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The items a predicate keeps, collected so the loop over them may change the template.
pub(crate) fn keep<'d, T: 'd>(items: impl Iterator<Item = &'d T>, f: impl Fn(&T) -> bool) -> Vec<&'d T> {
    items.filter(|x| f(x)).collect()
}
