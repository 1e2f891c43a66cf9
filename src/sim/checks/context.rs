//! Indexes built once per check run so every check is linear or n·log n.

use crate::model::*;
use std::collections::HashMap;

/// The design with lookup tables.
pub struct Ctx<'a> {
    pub d: &'a Design,
    pub vpcs: HashMap<&'a str, &'a Vpc>,
    pub subnets: HashMap<&'a str, &'a Subnet>,
    /// Subnet id → its route table (explicit, else main).
    pub subnet_rt: HashMap<&'a str, &'a RouteTable>,
    pub ids: HashMap<&'a str, ResourceKind>,
    names: HashMap<&'a str, &'a str>,
}

impl<'a> Ctx<'a> {
    pub fn new(d: &'a Design) -> Ctx<'a> {
        let vpcs = d.vpcs.iter().map(|v| (v.id.as_str(), v)).collect();
        let subnets: HashMap<&str, &Subnet> = d.subnets.iter().map(|s| (s.id.as_str(), s)).collect();
        let mut main: HashMap<&str, &RouteTable> = HashMap::new();
        let mut subnet_rt: HashMap<&str, &RouteTable> = HashMap::new();
        for rt in &d.route_tables {
            if rt.main {
                main.entry(rt.vpc.as_str()).or_insert(rt);
            }
            for s in &rt.subnets {
                subnet_rt.entry(s.as_str()).or_insert(rt);
            }
        }
        for s in &d.subnets {
            if !subnet_rt.contains_key(s.id.as_str()) {
                if let Some(rt) = main.get(s.vpc.as_str()) {
                    subnet_rt.insert(s.id.as_str(), rt);
                }
            }
        }
        let ids = d.resources().map(|r| (r.id(), r.kind())).collect();
        let names = d.resources().map(|r| (r.id(), r.name())).collect();
        Ctx { d, vpcs, subnets, subnet_rt, ids, names }
    }

    /// The VPC a subnet belongs to.
    pub fn subnet_vpc(&self, subnet: &str) -> Option<&'a Vpc> {
        self.subnets.get(subnet).and_then(|s| self.vpcs.get(s.vpc.as_str())).copied()
    }

    /// Whether the table routes 0.0.0.0/0 (or any route) to an internet gateway.
    pub fn has_igw_route(rt: &RouteTable) -> bool {
        rt.routes_to_internet_gateway()
    }

    /// Ids of external stub VPCs and of every resource that belongs to one.
    pub fn external_ids(&self) -> std::collections::HashSet<&'a str> {
        let d = self.d;
        let ext: std::collections::HashSet<&str> =
            d.vpcs.iter().filter(|v| v.external).map(|v| v.id.as_str()).collect();
        let mut out = ext.clone();
        if ext.is_empty() {
            return out;
        }
        for s in &d.subnets {
            if ext.contains(s.vpc.as_str()) {
                out.insert(&s.id);
            }
        }
        for rt in &d.route_tables {
            if ext.contains(rt.vpc.as_str()) {
                out.insert(&rt.id);
            }
        }
        for g in &d.security_groups {
            if ext.contains(g.vpc.as_str()) {
                out.insert(&g.id);
            }
        }
        for a in &d.network_acls {
            if ext.contains(a.vpc.as_str()) {
                out.insert(&a.id);
            }
        }
        for n in &d.nat_gateways {
            if self.subnets.get(n.subnet.as_str()).is_some_and(|s| ext.contains(s.vpc.as_str())) {
                out.insert(&n.id);
            }
        }
        out
    }

    /// A resource's display name for messages.
    pub fn name(&self, id: &str) -> String {
        match self.names.get(id) {
            Some(n) if !n.is_empty() && *n != id => format!("{n} ({id})"),
            _ => id.to_string(),
        }
    }
}
