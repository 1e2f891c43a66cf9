//! A design as Terraform configuration for the `aws` provider.
//!
//! Every region of the design is exported: the design's default region through the default
//! provider, each other one through a provider alias (`aws.ap_northeast_1`). Resources refer to
//! each other by reference (`aws_vpc.hub.id`). The default security group and NACL are managed
//! with `aws_default_security_group` / `aws_default_network_acl` (which take over every rule),
//! and the main table's routes attach to `aws_vpc.<name>.main_route_table_id`, so unlike
//! CloudFormation nothing of those needs rewriting. Security group rules are separate
//! `aws_vpc_security_group_{ingress,egress}_rule` resources; Terraform removes AWS's default
//! egress rule, so every egress rule of the design is written out.

mod compute;
mod connect;
mod firewall;
pub mod hcl;
mod network;
mod security;
mod services;

use super::plan::{ExportPlan, InlinePrimary, Placement, Ref, TargetStyle};
use super::{Export, LogicalIds};
use crate::model::*;
use hcl::{Block, Hv};
use std::collections::HashMap;

/// The SSM path instances take their image from.
pub const AMI_SSM_PATH: &str = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/// Export every region of the design as one Terraform file.
pub fn to_terraform(d: &Design) -> Export {
    let target = TargetStyle {
        all_regions: true,
        names_vpc_defaults: true,
        names: LogicalIds::terraform,
        kind_word,
        reserved: &[],
        names_created: false,
        inline_primary: InlinePrimary::Always,
    };
    let ix = DesignIndex::new(d);
    let mut tf = Tf::new(ExportPlan::new(&ix, target));
    services::assign_names(&mut tf);
    firewall::assign_names(&mut tf);
    network::export(&mut tf);
    security::export(&mut tf);
    compute::export(&mut tf);
    connect::export(&mut tf);
    services::export(&mut tf);
    firewall::export(&mut tf);
    tf.finish()
}

/// The configuration being built.
pub(crate) struct Tf<'a> {
    pub d: &'a Design,
    /// The design's index: every lookup goes through it.
    pub ix: &'a DesignIndex<'a>,
    /// What goes out, to which region, its names and references.
    pub plan: ExportPlan<'a>,
    pub blocks: Vec<Block>,
    pub notes: Vec<String>,
    /// Regions needing an image lookup.
    pub ami_regions: Vec<String>,
    /// Managed services declared: id → (Terraform type, name).
    pub services: HashMap<Id, (&'static str, String)>,
    /// Firewall endpoint id → its firewall and subnet (F1), for routes that name one.
    pub firewall_endpoints: HashMap<Id, (Id, Id)>,
}

impl<'a> Tf<'a> {
    fn new(plan: ExportPlan<'a>) -> Tf<'a> {
        Tf {
            d: plan.d,
            ix: plan.ix,
            plan,
            blocks: Vec::new(),
            notes: Vec::new(),
            ami_regions: Vec::new(),
            services: HashMap::new(),
            firewall_endpoints: HashMap::new(),
        }
    }

    /// Whether a resource is declared (has a name of its own).
    pub fn has(&self, id: &str) -> bool {
        self.plan.declared(id)
    }

    /// The Terraform type of a declared resource.
    fn type_of(&self, id: &str) -> Option<&'static str> {
        let e = self.plan.entry(id)?;
        Some(match (e.placement.clone(), e.kind) {
            (Placement::VpcDefault, ResourceKind::SecurityGroup) => "aws_default_security_group",
            (Placement::VpcDefault, _) => "aws_default_network_acl",
            _ => tf_type(self.ix.find(id)?),
        })
    }

    /// The `<type>.<name>` of a declared resource.
    pub fn address(&self, id: &str) -> Option<String> {
        Some(format!("{}.{}", self.type_of(id)?, self.plan.name(id)?))
    }

    /// The name of a declared resource.
    pub fn name(&self, id: &str) -> String {
        self.plan.name(id).unwrap_or_default().to_string()
    }

    /// A reference to a resource's id: an expression when it is in the configuration (also
    /// for main tables, primary interfaces and VPN attachments, through what creates them),
    /// else the literal id.
    pub fn r(&self, id: &str) -> Hv {
        match self.plan.reference(id) {
            Ref::Named(_) => match self.address(id) {
                Some(a) => Hv::Expr(format!("{a}.id")),
                None => Hv::s(id),
            },
            Ref::PrimaryInterface { instance } => {
                Hv::Expr(format!("aws_instance.{instance}.primary_network_interface_id"))
            }
            Ref::VpnAttachment { vpn } => Hv::Expr(format!("aws_vpn_connection.{vpn}.transit_gateway_attachment_id")),
            Ref::MainRouteTable { vpc, .. } => Hv::Expr(format!("aws_vpc.{vpc}.main_route_table_id")),
            Ref::DefaultSecurityGroup { .. } | Ref::DefaultNetworkAcl { .. } | Ref::Literal(_) => Hv::s(id),
        }
    }

    /// Another attribute of a declared resource (`arn`, `service_name` …).
    pub fn attr(&self, id: &str, attr: &str) -> Hv {
        match self.address(id) {
            Some(a) => Hv::Expr(format!("{a}.{attr}")),
            None => Hv::s(id),
        }
    }

    /// A new resource block; `owner` decides the region (and so the provider).
    pub fn resource(&mut self, ty: &str, name: &str, owner: &str) -> Block {
        let mut b = Block::new("resource", &[ty, name]);
        if let Some(p) = self.provider(owner) {
            b.set("provider", p);
        }
        b
    }

    /// The provider alias for a resource outside the default region.
    pub fn provider(&self, owner: &str) -> Option<Hv> {
        let region = self.plan.region_of(owner)?;
        (region != self.d.default_region).then(|| Hv::Expr(format!("aws.{}", alias(region))))
    }

    /// A unique name for a resource that has no design id (routes, rules, associations).
    pub fn fresh(&mut self, base: &str, kind: &str) -> String {
        self.plan.names.fresh(base, kind)
    }

    /// Add a block to the output.
    pub fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    /// A note about something Terraform cannot say.
    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    fn finish(self) -> Export {
        let mut out = String::new();
        out.push_str(&format!(
            "# Terraform configuration exported by vpcraft from the design '{}'.\n",
            self.d.name.replace('\n', " ")
        ));
        for n in &self.notes {
            out.push_str(&format!("# note: {}\n", n.replace('\n', " ")));
        }
        out.push('\n');
        let mut tf = Block::new("terraform", &[]);
        let mut rp = Block::new("required_providers", &[]);
        rp.set("aws", Hv::Map(vec![("source".into(), Hv::s("hashicorp/aws")), ("version".into(), Hv::s(">= 5.0"))]));
        tf.child(rp);
        hcl::render(&tf, 0, &mut out);
        let mut regions: Vec<String> = self.plan.entry_regions().map(str::to_string).collect();
        regions.push(self.d.default_region.clone());
        regions.sort();
        regions.dedup();
        regions.sort_by_key(|r| *r != self.d.default_region);
        for r in &regions {
            out.push('\n');
            let mut p = Block::new("provider", &["aws"]);
            if *r != self.d.default_region {
                p.set("alias", Hv::s(alias(r)));
            }
            p.set("region", Hv::s(r.clone()));
            hcl::render(&p, 0, &mut out);
        }
        for r in &self.ami_regions {
            out.push('\n');
            let mut b = Block::new("data", &["aws_ssm_parameter", &format!("ami_{}", alias(r))]);
            if *r != self.d.default_region {
                b.set("provider", Hv::Expr(format!("aws.{}", alias(r))));
            }
            b.set("name", Hv::s(AMI_SSM_PATH));
            hcl::render(&b, 0, &mut out);
        }
        for b in &self.blocks {
            out.push('\n');
            hcl::render(b, 0, &mut out);
        }
        Export { text: out, notes: self.notes }
    }
}

/// A provider alias for a region: `ap-northeast-1` → `ap_northeast_1`.
pub fn alias(region: &str) -> String {
    region.replace('-', "_")
}

/// `tags = { Name = … }`.
pub(crate) fn tags(name: &str) -> Hv {
    Hv::Map(vec![("Name".into(), Hv::s(name))])
}

fn tf_type(r: Resource<'_>) -> &'static str {
    match r {
        Resource::Vpc(_) => "aws_vpc",
        Resource::Subnet(_) => "aws_subnet",
        Resource::RouteTable(_) => "aws_route_table",
        Resource::InternetGateway(_) => "aws_internet_gateway",
        Resource::EgressOnlyInternetGateway(_) => "aws_egress_only_internet_gateway",
        Resource::NatGateway(_) => "aws_nat_gateway",
        Resource::ElasticIp(_) => "aws_eip",
        Resource::Instance(_) => "aws_instance",
        Resource::NetworkInterface(_) => "aws_network_interface",
        Resource::SecurityGroup(_) => "aws_security_group",
        Resource::NetworkAcl(_) => "aws_network_acl",
        Resource::VpcPeering(_) => "aws_vpc_peering_connection",
        Resource::PrefixList(_) => "aws_ec2_managed_prefix_list",
        Resource::VpcEndpoint(_) => "aws_vpc_endpoint",
        Resource::EndpointService(_) => "aws_vpc_endpoint_service",
        Resource::LoadBalancer(_) => "aws_lb",
        Resource::TargetGroup(_) => "aws_lb_target_group",
        Resource::TransitGateway(_) => "aws_ec2_transit_gateway",
        Resource::TgwAttachment(a) => match a.kind {
            TgwAttachmentKind::Peering { .. } => "aws_ec2_transit_gateway_peering_attachment",
            _ => "aws_ec2_transit_gateway_vpc_attachment",
        },
        Resource::TgwRouteTable(_) => "aws_ec2_transit_gateway_route_table",
        Resource::VpnGateway(_) => "aws_vpn_gateway",
        Resource::CustomerGateway(_) => "aws_customer_gateway",
        Resource::VpnConnection(_) => "aws_vpn_connection",
        Resource::NetworkFirewall(_) => "aws_networkfirewall_firewall",
        Resource::FirewallPolicy(_) => "aws_networkfirewall_firewall_policy",
        Resource::FirewallRuleGroup(_) => "aws_networkfirewall_rule_group",
        Resource::Database(x) => services::tf_type(Service::Database(x)),
        Resource::DbSubnetGroup(x) => services::tf_type(Service::SubnetGroup(x)),
        Resource::ComputeService(x) => services::tf_type(Service::Compute(x)),
    }
}

fn kind_word(k: ResourceKind) -> &'static str {
    match k {
        ResourceKind::Vpc => "vpc",
        ResourceKind::Subnet => "subnet",
        ResourceKind::RouteTable => "route_table",
        ResourceKind::InternetGateway => "igw",
        ResourceKind::EgressOnlyInternetGateway => "eigw",
        ResourceKind::NatGateway => "nat",
        ResourceKind::ElasticIp => "eip",
        ResourceKind::Instance => "instance",
        ResourceKind::NetworkInterface => "eni",
        ResourceKind::SecurityGroup => "sg",
        ResourceKind::NetworkAcl => "acl",
        ResourceKind::VpcPeering => "peering",
        ResourceKind::PrefixList => "prefix_list",
        ResourceKind::VpcEndpoint => "endpoint",
        ResourceKind::EndpointService => "endpoint_service",
        ResourceKind::LoadBalancer => "lb",
        ResourceKind::TargetGroup => "tg",
        ResourceKind::TransitGateway => "tgw",
        ResourceKind::TgwAttachment => "tgw_attachment",
        ResourceKind::TgwRouteTable => "tgw_route_table",
        ResourceKind::VpnGateway => "vgw",
        ResourceKind::CustomerGateway => "cgw",
        ResourceKind::VpnConnection => "vpn",
        ResourceKind::NetworkFirewall => "firewall",
        ResourceKind::FirewallPolicy => "firewall_policy",
        ResourceKind::FirewallRuleGroup => "rule_group",
        ResourceKind::Database => "db",
        ResourceKind::DbSubnetGroup => "db_subnet_group",
        ResourceKind::ComputeService => "service",
    }
}

/// The items a predicate keeps, collected so the loop over them may add blocks.
pub(crate) fn keep<'d, T: 'd>(items: impl Iterator<Item = &'d T>, f: impl Fn(&T) -> bool) -> Vec<&'d T> {
    items.filter(|x| f(x)).collect()
}
