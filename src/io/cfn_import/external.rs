//! Stubs for what a template refers to but does not create: a subnet id given as a parameter,
//! a route table from another stack's export. They live in external VPCs and are reported.

use super::values::{ip, list, p};
use super::Cx;
use crate::io::cfn::markers::{marker, Marker};
use crate::model::*;
use ipnet::Ipv4Net;
use serde_json::Value;
use std::net::Ipv4Addr;

/// The external id a value stands for, if it is one (a literal id or an import).
fn external_id(v: &Value) -> Option<String> {
    match marker(v) {
        Some(Marker::Import(name)) => Some(format!("import:{name}")),
        Some(_) => None,
        None => v.as_str().filter(|t| !t.is_empty() && !t.contains("{{$")).map(str::to_string),
    }
}

/// Note the external VPCs a template names and the addresses it puts into external subnets.
pub fn prescan(cx: &mut Cx) {
    for r in &cx.t.resources {
        if r.condition_skipped || !r.properties.is_object() {
            continue;
        }
        for key in ["VpcId", "PeerVpcId"] {
            if let Some(id) = external_id(p(&r.properties, key)) {
                if !cx.ext_vpcs.contains(&id) && key == "VpcId" {
                    cx.ext_vpcs.push(id);
                }
            }
        }
        note_addresses(cx, &r.properties);
        if let Some(subnet) = external_id(p(&r.properties, "SubnetId")) {
            let first = ip(&r.properties, "PrivateIpAddress").or_else(|| {
                list(&r.properties, "PrivateIpAddresses").into_iter().find_map(|x| ip(x, "PrivateIpAddress"))
            });
            if let Some(a) = first {
                cx.ext_subnet_ips.entry(subnet).or_insert(a);
            }
        }
    }
}

/// Remember every address a resource spells out, so no placeholder takes it.
fn note_addresses(cx: &mut Cx, props: &Value) {
    let mut found = Vec::new();
    found.extend(ip(props, "PrivateIpAddress"));
    for x in list(props, "PrivateIpAddresses") {
        found.extend(ip(x, "PrivateIpAddress"));
    }
    for x in list(props, "SubnetMappings") {
        found.extend(ip(x, "PrivateIPv4Address"));
    }
    for ni in list(props, "NetworkInterfaces") {
        found.extend(ip(ni, "PrivateIpAddress"));
        for x in list(ni, "PrivateIpAddresses") {
            found.extend(ip(x, "PrivateIpAddress"));
        }
    }
    for a in found {
        cx.ph.note(a);
    }
}

impl Cx<'_> {
    /// The VPC an external resource goes to: the given one, else the only external VPC the
    /// template names, else a made-up `vpc-external`.
    fn external_home(&mut self, vpc: Option<&str>) -> Id {
        if let Some(v) = vpc {
            return v.to_string();
        }
        if self.ext_vpcs.len() == 1 {
            return self.ext_vpcs[0].clone();
        }
        let id = "vpc-external".to_string();
        let hint = self.hints.entry(id.clone()).or_default();
        hint.cidr.get_or_insert_with(|| Ipv4Net::new(Ipv4Addr::new(100, 64, 0, 0), 10).unwrap_or_default());
        hint.region.get_or_insert_with(|| self.region.clone());
        id
    }

    /// Make sure a subnet exists, adding an external stub for an id the template only names.
    pub fn ensure_subnet(&mut self, id: &str, vpc: Option<&str>, from: &str) {
        if self.ix.subnet(&self.d, id).is_some() || self.assigned(id) {
            return;
        }
        let home = self.external_home(vpc);
        let cidr = match self.ext_subnet_ips.get(id) {
            Some(a) => Ipv4Net::new(*a, 24).map(|n| n.trunc()).unwrap_or_default(),
            None => {
                let n = self.next_ext_subnet;
                self.next_ext_subnet = self.next_ext_subnet.wrapping_add(1);
                let (hi, lo) = (64 + (n >> 8) as u8 % 64, (n & 0xff) as u8);
                Ipv4Net::new(Ipv4Addr::new(100, hi, lo, 0), 24).unwrap_or_default()
            }
        };
        let hint = self.hints.entry(home.clone()).or_default();
        hint.cidr.get_or_insert_with(|| Ipv4Net::new(cidr.network(), 16).map(|n| n.trunc()).unwrap_or_default());
        hint.region.get_or_insert_with(|| self.region.clone());
        self.report.info(
            "",
            id,
            crate::text!("subnet named by {from} but not created by the template: external stub {cidr} in {home} (address range assumed)"),
        );
        // Spread stubs over the region's zones: a template that names several outside subnets
        // (for a load balancer, an endpoint) means one per AZ (E1, E9).
        let zones = crate::model::ServiceCatalog::builtin().azs(&self.region);
        let taken = self.d.subnets.iter().filter(|s| s.vpc == home).count();
        let az = zones.get(taken % zones.len().max(1)).cloned().unwrap_or_else(|| format!("{}a", self.region));
        self.d.subnets.push(Subnet::new(id, id, home, cidr, az));
    }

    /// Make sure a route table exists, adding an external stub when needed.
    pub fn ensure_route_table(&mut self, id: &str, vpc: Option<&str>, from: &str) {
        if self.ix.route_table(&self.d, id).is_some() || self.assigned(id) {
            return;
        }
        let home = self.external_home(vpc);
        self.report.info(
            "",
            id,
            crate::text!("route table named by {from} but not created by the template: external stub in {home}"),
        );
        self.d.route_tables.push(RouteTable::new(id, id, home, [] as [ipnet::IpNet; 0]));
    }

    /// Make sure a security group exists, adding an external stub when needed.
    pub fn ensure_security_group(&mut self, id: &str, vpc: Option<&str>, from: &str) {
        if self.ix.security_group(&self.d, id).is_some() || self.assigned(id) {
            return;
        }
        let home = self.external_home(vpc);
        self.report.info(
            "",
            id,
            crate::text!("security group named by {from} but not created by the template: external stub in {home} (its own rules are unknown)"),
        );
        let mut g = SecurityGroup::new(id, id, home);
        g.description = "external: not created by the template".into();
        self.d.security_groups.push(g);
    }

    /// The VPC a resource property names, if it resolves.
    pub fn vpc_prop(&mut self, props: &Value, key: &str, from: &str) -> Option<Id> {
        let v = p(props, key);
        if v.is_null() {
            return None;
        }
        let id = self.resolve(v, ResourceKind::Vpc, from)?;
        if self.ix.vpc(&self.d, &id).is_none() && !self.assigned(&id) {
            let h = self.hints.entry(id.clone()).or_default();
            h.region.get_or_insert_with(|| self.region.clone());
            if !self.ext_vpcs.contains(&id) {
                self.ext_vpcs.push(id.clone());
            }
        }
        Some(id)
    }

    /// A subnet property, with a stub made for an external id.
    pub fn subnet_ref(&mut self, v: &Value, vpc: Option<&str>, from: &str) -> Option<Id> {
        let id = self.resolve(v, ResourceKind::Subnet, from)?;
        self.ensure_subnet(&id, vpc, from);
        Some(id)
    }

    /// Security group references (a list), with stubs for external ids.
    pub fn group_refs(&mut self, vals: Vec<&Value>, vpc: Option<&str>, from: &str) -> Vec<Id> {
        let mut out = Vec::new();
        for v in vals {
            if let Some(g) = self.resolve(v, ResourceKind::SecurityGroup, from) {
                self.ensure_security_group(&g, vpc, from);
                out.push(g);
            }
        }
        out
    }
}
