//! Mapping evaluated resource instances onto the design model. Each resource type is one
//! small function in [`TABLE`], run in table order (so VPCs exist before their subnets and
//! every route target before the routes); instances of a type run in configuration order.
//! To map a new type, write its function and add a row. Types without a row are reported as
//! skipped, by address.
//!
//! Names are Terraform addresses; ids are the values the configuration's `.id` references
//! evaluate to (placeholders for what only AWS knows, the real ids in a state file), so a
//! route's `nat_gateway_id = aws_nat_gateway.a.id` links the two.

mod compute;
mod connect;
pub mod data;
mod firewall;
mod network;
mod security;
mod services;

pub use data::{computed, data_defaults, placeholder_id};

use super::graph::Instance;
use super::value::Value;
use crate::io::fixup::{make_consistent, VpcHint};
use crate::io::placeholder::Placeholders;
use crate::io::report::ImportReport;
use crate::model::*;
use std::collections::{BTreeMap, HashMap};

/// A resource type's mapping: reads one instance, adds to the design.
type MapFn = fn(&mut Mapper, &Instance);

/// Every resource type the reader maps, in the order they are mapped.
pub const TABLE: &[(&str, MapFn)] = &[
    ("aws_vpc", network::vpc),
    ("aws_vpc_ipv4_cidr_block_association", network::cidr_association),
    ("aws_vpc_ipv6_cidr_block_association", network::ipv6_association),
    ("aws_subnet", network::subnet),
    ("aws_internet_gateway", network::internet_gateway),
    ("aws_internet_gateway_attachment", network::internet_gateway_attachment),
    ("aws_egress_only_internet_gateway", network::egress_only_gateway),
    ("aws_vpn_gateway", network::vpn_gateway),
    ("aws_vpn_gateway_attachment", network::vpn_gateway_attachment),
    ("aws_customer_gateway", network::customer_gateway),
    ("aws_ec2_managed_prefix_list", security::prefix_list),
    ("aws_ec2_managed_prefix_list_entry", security::prefix_list_entry),
    ("aws_security_group", security::security_group),
    ("aws_default_security_group", security::default_security_group),
    ("aws_security_group", security::inline_rules),
    ("aws_security_group_rule", security::security_group_rule),
    ("aws_vpc_security_group_ingress_rule", security::vpc_rule),
    ("aws_vpc_security_group_egress_rule", security::vpc_rule),
    ("aws_network_acl", security::network_acl),
    ("aws_default_network_acl", security::default_network_acl),
    ("aws_network_acl_rule", security::network_acl_rule),
    ("aws_network_acl_association", security::network_acl_association),
    ("aws_route_table", network::route_table),
    ("aws_default_route_table", network::default_route_table),
    ("aws_main_route_table_association", network::main_association),
    ("aws_route_table_association", network::association),
    ("aws_vpn_gateway_route_propagation", network::propagation),
    ("aws_eip", compute::eip),
    ("aws_nat_gateway", compute::nat_gateway),
    ("aws_network_interface", compute::network_interface),
    ("aws_instance", compute::instance),
    ("aws_network_interface_attachment", compute::interface_attachment),
    ("aws_network_interface_sg_attachment", compute::sg_attachment),
    ("aws_eip_association", compute::eip_association),
    ("aws_eip", compute::eip_association),
    ("aws_ec2_instance_state", compute::instance_state),
    ("aws_vpc_peering_connection", connect::peering),
    ("aws_vpc_peering_connection_accepter", connect::peering_accepter),
    ("aws_vpc_peering_connection_options", connect::peering_options),
    ("aws_lb_target_group", connect::target_group),
    ("aws_alb_target_group", connect::target_group),
    ("aws_lb", connect::load_balancer),
    ("aws_alb", connect::load_balancer),
    ("aws_lb_listener", connect::listener),
    ("aws_alb_listener", connect::listener),
    ("aws_lb_target_group_attachment", connect::target_attachment),
    ("aws_alb_target_group_attachment", connect::target_attachment),
    ("aws_db_subnet_group", services::subnet_group),
    ("aws_elasticache_subnet_group", services::subnet_group),
    ("aws_redshift_subnet_group", services::subnet_group),
    ("aws_neptune_subnet_group", services::subnet_group),
    ("aws_docdb_subnet_group", services::subnet_group),
    ("aws_db_instance", services::database),
    ("aws_elasticache_cluster", services::database),
    ("aws_elasticache_replication_group", services::database),
    ("aws_redshift_cluster", services::database),
    ("aws_rds_cluster", services::cluster),
    ("aws_neptune_cluster", services::cluster),
    ("aws_docdb_cluster", services::cluster),
    ("aws_rds_cluster_instance", services::cluster_instance),
    ("aws_neptune_cluster_instance", services::cluster_instance),
    ("aws_docdb_cluster_instance", services::cluster_instance),
    ("aws_opensearch_domain", services::search_domain),
    ("aws_elasticsearch_domain", services::search_domain),
    ("aws_elb", services::classic_load_balancer),
    ("aws_lambda_function", services::lambda_function),
    ("aws_ecs_service", services::ecs_service),
    ("aws_eks_cluster", services::eks_cluster),
    ("aws_vpc_endpoint_service", connect::endpoint_service),
    ("aws_vpc_endpoint_service_allowed_principal", connect::allowed_principal),
    ("aws_vpc_endpoint", connect::endpoint),
    ("aws_vpc_endpoint_route_table_association", connect::endpoint_route_table),
    ("aws_vpc_endpoint_subnet_association", connect::endpoint_subnet),
    ("aws_vpc_endpoint_security_group_association", connect::endpoint_group),
    ("aws_networkfirewall_rule_group", firewall::rule_group),
    ("aws_networkfirewall_firewall_policy", firewall::policy),
    ("aws_networkfirewall_firewall", firewall::firewall),
    ("aws_ec2_transit_gateway", connect::transit_gateway),
    ("aws_ec2_transit_gateway_route_table", connect::tgw_route_table),
    ("aws_ec2_transit_gateway_vpc_attachment", connect::tgw_vpc_attachment),
    ("aws_ec2_transit_gateway_peering_attachment", connect::tgw_peering_attachment),
    ("aws_vpn_connection", connect::vpn_connection),
    ("aws_vpn_connection_route", connect::vpn_route),
    ("aws_ec2_transit_gateway_route_table_association", connect::tgw_association),
    ("aws_ec2_transit_gateway_route_table_propagation", connect::tgw_propagation),
    ("aws_ec2_transit_gateway_route", connect::tgw_route),
    ("aws_route_table", network::inline_routes),
    ("aws_default_route_table", network::inline_routes),
    ("aws_route", network::route),
];

/// Types read and deliberately left out, with why (reported once per type).
fn not_modelled(ty: &str) -> crate::l10n::Text {
    match ty {
        "aws_ec2_transit_gateway_peering_attachment_accepter" => {
            crate::text!("the peering attachment is read from its requester side")
        }
        "aws_flow_log" => crate::text!("flow logs do not change where packets go"),
        "aws_lambda_permission" => crate::text!("an invoke permission does not change where packets go (M10)"),
        "aws_vpc_dhcp_options" | "aws_vpc_dhcp_options_association" => {
            crate::text!("DHCP options do not change where packets go")
        }
        _ => crate::text!("not a network resource vpcraft models"),
    }
}

/// The state of one mapping.
pub struct Mapper {
    pub d: Design,
    pub report: ImportReport,
    pub region: String,
    /// Every design id made so far → its kind.
    pub kinds: HashMap<Id, ResourceKind>,
    pub ph: Placeholders,
    pub hints: HashMap<Id, VpcHint>,
    /// Peerings an accepter resource accepts.
    pub accepted: Vec<Id>,
    next_stub: u16,
    /// Index of each vector by id, for the kinds looked up often.
    pub index: HashMap<Id, usize>,
    /// Subnet → its explicitly associated route table.
    pub assoc: HashMap<Id, Id>,
    /// Subnet groups by name and clusters by `cluster:<identifier>` → their service id (M1).
    pub services: HashMap<String, Id>,
}

impl Mapper {
    fn new(name: &str, region: &str, report: ImportReport) -> Mapper {
        Mapper {
            d: Design::new(name, region),
            report,
            region: region.to_string(),
            kinds: HashMap::new(),
            ph: Placeholders::default(),
            hints: HashMap::new(),
            accepted: Vec::new(),
            next_stub: 0,
            index: HashMap::new(),
            assoc: HashMap::new(),
            services: HashMap::new(),
        }
    }

    /// Remember a resource made (its kind, and its position in its list).
    pub fn made(&mut self, id: &str, kind: ResourceKind, at: usize) {
        self.kinds.insert(id.to_string(), kind);
        self.index.insert(id.to_string(), at);
    }

    /// The `Name` tag, shown beside the address.
    pub fn tag_name(&mut self, id: &str, inst: &Instance) {
        if let Some(n) = inst.values.get("tags").and_then(|t| t.get("Name")).and_then(Value::as_str) {
            if !n.is_empty() && n != inst.address {
                self.d.tag_names.insert(id.to_string(), n.to_string());
            }
        }
    }

    /// The id an attribute refers to, if it is known; a design resource of another kind than
    /// `want` is reported and ignored. Unknown values are reported with how to pin them.
    pub fn id_of(&mut self, inst: &Instance, key: &str, want: Option<ResourceKind>) -> Option<Id> {
        let v = inst.values.get(key)?;
        self.id_value(inst, key, v, want)
    }

    /// [`Mapper::id_of`] for a value already read.
    pub fn id_value(&mut self, inst: &Instance, key: &str, v: &Value, want: Option<ResourceKind>) -> Option<Id> {
        match v {
            Value::Str(s) if !s.is_empty() => {
                let id = s.to_string();
                match (self.kinds.get(&id), want) {
                    (Some(k), Some(w)) if *k != w => {
                        self.report.warn(
                            "",
                            &inst.address,
                            crate::text!(
                                "{key} refers to {id} ({kind_ui}) where a {want_ui} belongs: ignored",
                                kind_ui = k.label(),
                                want_ui = w.label()
                            ),
                        );
                        None
                    }
                    _ => Some(id),
                }
            }
            Value::Unknown(w) => {
                self.report.warn(
                    "",
                    &inst.address,
                    crate::text!(
                        "{key} is known only after apply ({w}): left out; pin it with --assume {}.{key}=VALUE",
                        inst.address
                    ),
                );
                None
            }
            _ => None,
        }
    }

    /// Ids of a list attribute.
    pub fn ids_of(&mut self, inst: &Instance, key: &str, want: Option<ResourceKind>) -> Vec<Id> {
        let items: Vec<Value> = list(&inst.values, key).into_iter().cloned().collect();
        items.iter().filter_map(|v| self.id_value(inst, key, v, want)).collect()
    }

    /// A VPC reference, noting external VPCs so they become stubs.
    pub fn vpc_of(&mut self, inst: &Instance, key: &str) -> Option<Id> {
        let id = self.id_of(inst, key, Some(ResourceKind::Vpc))?;
        if !self.kinds.contains_key(&id) {
            let h = self.hints.entry(id.clone()).or_default();
            h.region.get_or_insert_with(|| inst.region.clone());
            self.report.info(
                "",
                &inst.address,
                crate::text!("{key} {id} is not created by this configuration: taken as an external VPC"),
            );
        }
        Some(id)
    }

    /// A subnet reference; an id the configuration does not create becomes an external stub.
    pub fn subnet_of(&mut self, inst: &Instance, v: &Value, key: &str) -> Option<Id> {
        let id = self.id_value(inst, key, v, Some(ResourceKind::Subnet))?;
        if !self.kinds.contains_key(&id) {
            let n = self.next_stub;
            self.next_stub = self.next_stub.wrapping_add(1);
            let cidr =
                ipnet::Ipv4Net::new(std::net::Ipv4Addr::new(100, 64 + (n >> 8) as u8 % 64, (n & 0xff) as u8, 0), 24)
                    .unwrap_or_default();
            let home = "vpc-external".to_string();
            let h = self.hints.entry(home.clone()).or_default();
            h.cidr.get_or_insert_with(|| {
                ipnet::Ipv4Net::new(std::net::Ipv4Addr::new(100, 64, 0, 0), 10).unwrap_or_default()
            });
            h.region.get_or_insert_with(|| inst.region.clone());
            let zones = ServiceCatalog::builtin().azs(&inst.region);
            let az = zones.get(n as usize % zones.len().max(1)).cloned().unwrap_or_else(|| format!("{}a", inst.region));
            self.report.info(
                "",
                &id,
                crate::text!("subnet named by {} but not created by the configuration: external stub {cidr} (address range assumed)", inst.address),
            );
            self.d.subnets.push(Subnet::new(id.clone(), id.clone(), home, cidr, az));
            let at = self.d.subnets.len() - 1;
            self.made(&id, ResourceKind::Subnet, at);
        }
        Some(id)
    }

    /// A route table of the design, by id.
    pub fn table_mut(&mut self, id: &str) -> Option<&mut RouteTable> {
        let i = *self.index.get(id)?;
        self.d.route_tables.get_mut(i).filter(|t| t.id == id)
    }

    pub fn group_mut(&mut self, id: &str) -> Option<&mut SecurityGroup> {
        let i = *self.index.get(id)?;
        self.d.security_groups.get_mut(i).filter(|t| t.id == id)
    }

    pub fn acl_mut(&mut self, id: &str) -> Option<&mut NetworkAcl> {
        let i = *self.index.get(id)?;
        self.d.network_acls.get_mut(i).filter(|t| t.id == id)
    }

    pub fn vpc_cidrs(&self, id: &str) -> Vec<ipnet::IpNet> {
        self.index
            .get(id)
            .and_then(|i| self.d.vpcs.get(*i))
            .filter(|v| v.id == id)
            .map(|v| v.all_cidrs().collect())
            .unwrap_or_default()
    }

    pub fn subnet_vpc(&self, id: &str) -> Option<Id> {
        self.index.get(id).and_then(|i| self.d.subnets.get(*i)).filter(|s| s.id == id).map(|s| s.vpc.clone())
    }

    /// Report an attribute vpcraft does not model (IPv6 before issue 14, say).
    pub fn skip_attr(&mut self, inst: &Instance, key: &str, why: &str) {
        if inst.values.get(key).is_some_and(|v| !v.is_null() && v.as_str() != Some("") && *v != Value::Bool(false)) {
            self.report.info("", &inst.address, crate::text!("{key}: {why}; skipped"));
        }
    }
}

/// An attribute (`Null` when absent).
pub fn get(v: &Value, key: &str) -> Value {
    v.get(key).cloned().unwrap_or(Value::Null)
}

/// Whether an attribute is set: not null, not empty (state files write unset strings as "").
pub fn present(v: &Value, key: &str) -> bool {
    v.get(key).is_some_and(|x| !x.is_null() && x.as_str() != Some("") && x.as_seq().is_none_or(|l| !l.is_empty()))
}

/// A known, non-empty string attribute.
pub fn s<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str).filter(|x| !x.is_empty())
}

/// A bool attribute (also `"true"`).
pub fn b(v: &Value, key: &str) -> Option<bool> {
    v.get(key).and_then(Value::to_bool)
}

/// A number attribute (also `"80"`).
pub fn n(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::to_num).filter(|x| x.fract() == 0.0).map(|x| x as i64)
}

/// A list or set attribute, or nested blocks; a single object counts as a list of one.
pub fn list<'v>(v: &'v Value, key: &str) -> Vec<&'v Value> {
    match v.get(key) {
        Some(Value::List(x)) | Some(Value::Set(x)) => x.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// An IPv4 CIDR attribute.
pub fn cidr(v: &Value, key: &str) -> Option<ipnet::Ipv4Net> {
    s(v, key)?.trim().parse::<ipnet::Ipv4Net>().ok().map(|c| c.trunc())
}

/// An IPv6 CIDR attribute, canonical.
pub fn cidr6(v: &Value, key: &str) -> Option<ipnet::Ipv6Net> {
    crate::net::parse_ipv6_cidr(s(v, key)?).ok().map(|c| c.cidr)
}

/// An IPv4 address attribute.
pub fn ip(v: &Value, key: &str) -> Option<std::net::Ipv4Addr> {
    s(v, key)?.trim().parse().ok()
}

/// Map every instance; returns the design and the report.
pub fn map(instances: &[Instance], name: &str, region: &str, report: ImportReport) -> (Design, ImportReport) {
    let mut m = Mapper::new(name, region, report);
    let mut by_type: HashMap<&str, Vec<&Instance>> = HashMap::new();
    for i in instances.iter().filter(|i| !i.data) {
        by_type.entry(i.ty.as_str()).or_default().push(i);
    }
    // Addresses AWS assigns: keep the ones the configuration spells out.
    for i in instances {
        for key in ["private_ip", "private_ips", "secondary_private_ips"] {
            for v in list(&i.values, key) {
                if let Some(a) = v.as_str().and_then(|x| x.parse().ok()) {
                    m.ph.note(a);
                }
            }
        }
    }
    for (ty, f) in TABLE {
        for inst in by_type.get(ty).into_iter().flatten() {
            f(&mut m, inst);
        }
    }
    connect::settle_lambda_target_groups(&mut m, instances);
    let mut skipped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for i in instances.iter().filter(|i| !i.data && !TABLE.iter().any(|(t, _)| *t == i.ty)) {
        skipped.entry(&i.ty).or_default().push(&i.address);
    }
    for (ty, addrs) in skipped {
        let why = not_modelled(ty);
        let line = crate::text!("{why}: skipped {addrs}", addrs = addrs.join(", ")).with("why", why.clone());
        m.report.warn("", ty, line);
    }
    finish(m)
}

fn finish(mut m: Mapper) -> (Design, ImportReport) {
    let region = m.region.clone();
    make_consistent(&mut m.d, &mut m.report, &m.hints, &region);
    let mut regions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    regions.entry(region.clone()).or_default();
    for v in &m.d.vpcs {
        regions.entry(v.region.clone()).or_default();
    }
    let vpc_region: HashMap<&str, &str> = m.d.vpcs.iter().map(|v| (v.id.as_str(), v.region.as_str())).collect();
    for s in &m.d.subnets {
        let r = vpc_region.get(s.vpc.as_str()).copied().unwrap_or(&region);
        let azs = regions.entry(r.to_string()).or_default();
        if !azs.contains(&s.az) {
            azs.push(s.az.clone());
        }
    }
    for (name, mut azs) in regions {
        azs.sort();
        m.d.regions.push(Region { name, azs });
    }
    let ids: std::collections::HashSet<&str> = m.d.resources().map(|r| r.id()).collect();
    let stale: Vec<Id> = m.d.tag_names.keys().filter(|k| !ids.contains(k.as_str())).cloned().collect();
    for k in stale {
        m.d.tag_names.remove(&k);
    }
    m.report.count(&m.d);
    (m.d, m.report)
}
