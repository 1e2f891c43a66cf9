//! Changing a design: references between resources, deleting with clean-up or refusal, and the
//! constructors that create a resource together with what AWS creates alongside it.

use super::*;
use std::collections::BTreeSet;
use std::fmt;

/// How strongly a resource depends on what it references.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strength {
    /// The referencing resource cannot exist without the target (a subnet and its VPC).
    Owner,
    /// A link that can be removed (an association, a route target, a group membership).
    Link,
}

/// One resource pointing at another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub from_kind: ResourceKind,
    pub from: Id,
    /// What the reference is, in words: "VPC", "route 0.0.0.0/0", "associated subnet".
    pub field: String,
    pub to: Id,
    pub strength: Strength,
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.from_kind.label(), self.from, self.field)
    }
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum EditError {
    NotFound(String),
    /// Other resources still refer to it.
    Referenced {
        id: Id,
        by: Vec<Reference>,
    },
    /// AWS does not allow it (e.g. deleting a main route table or a default security group).
    NotAllowed(crate::l10n::Text),
    Invalid(crate::l10n::Text),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NotFound(id) => write!(f, "no resource has the id '{id}'"),
            EditError::Referenced { id, by } => {
                let list: Vec<String> = by.iter().map(|r| r.to_string()).collect();
                write!(f, "{id} is still referenced by {}: {}", by.len(), list.join("; "))
            }
            EditError::NotAllowed(m) | EditError::Invalid(m) => f.write_str(&m.english),
        }
    }
}

impl std::error::Error for EditError {}

/// Called once per reference: (from kind, from, to, strength, the reference in words).
pub type ReferenceVisitor<'v> = dyn FnMut(ResourceKind, &str, &str, Strength, &dyn Fn() -> String) + 'v;

/// What a delete did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deleted {
    /// The ids removed: the resource and what could not live without it.
    pub removed: Vec<Id>,
    /// Resources that stay but lost a link to a removed one.
    pub changed: Vec<Id>,
}

/// What to do with references when deleting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteMode {
    /// Refuse while anything refers to the resource.
    Refuse,
    /// Delete what depends on it and unlink the rest (routes to it become blackhole, R6).
    Cascade,
}

impl Design {
    /// Delete a resource. `Refuse` fails with the list of references; `Cascade` deletes what
    /// cannot live without it and unlinks the rest. Returns the ids removed.
    pub fn delete(&mut self, id: &str, mode: DeleteMode) -> Result<Vec<Id>, EditError> {
        self.delete_touching(id, mode).map(|d| d.removed)
    }

    /// [`Design::delete`], also saying which resources lost a link to what was removed (what an
    /// incremental check must look at again, see `sim::checks::CheckState::refresh`).
    pub fn delete_touching(&mut self, id: &str, mode: DeleteMode) -> Result<Deleted, EditError> {
        self.delete_check(id, mode)?;
        let refs = self.references();
        let doomed = self.delete_closure_with(&refs, BTreeSet::from([id.to_string()]));
        let mut changed: BTreeSet<Id> = BTreeSet::new();
        for r in refs {
            if doomed.contains(&r.to) && !doomed.contains(&r.from) {
                changed.insert(r.from);
            }
        }
        // Tables that lose a route to a removed subnet's CIDR (R2) change too.
        for s in &doomed {
            changed.extend(self.subnet_routes(s).into_iter().map(|r| r.from));
        }
        self.remove_doomed(&doomed);
        Ok(Deleted { removed: doomed.into_iter().collect(), changed: changed.into_iter().collect() })
    }

    /// The routes whose destination is a subnet's CIDR, more specific than local (R2): they
    /// exist only while the subnet does.
    pub fn subnet_routes(&self, subnet: &str) -> Vec<Reference> {
        let Some(s) = self.subnet(subnet) else { return Vec::new() };
        let Some(cidr) = s.cidr else { return Vec::new() };
        let dest = RouteDestination::Cidr(cidr.into());
        self.route_tables
            .iter()
            .filter(|t| t.vpc == s.vpc)
            .flat_map(|t| t.routes.iter().filter(|r| !r.is_local() && r.destination == dest).map(move |r| (t, r)))
            .map(|(t, r)| Reference {
                from_kind: ResourceKind::RouteTable,
                from: t.id.clone(),
                field: format!("route {}", r.destination),
                to: subnet.to_string(),
                strength: Strength::Link,
            })
            .collect()
    }

    /// Whether a delete would be refused, and why (R1: a main table; S5, L1: a VPC's defaults;
    /// `Refuse`: anything referring to it).
    pub fn delete_check(&self, id: &str, mode: DeleteMode) -> Result<(), EditError> {
        let res = self.find(id).ok_or_else(|| EditError::NotFound(id.to_string()))?;
        match res {
            Resource::RouteTable(rt) if rt.main => {
                return Err(EditError::NotAllowed(crate::text!(
                    "{} is the main route table of {}; make another table main first (R1)",
                    rt.id,
                    rt.vpc
                )))
            }
            Resource::SecurityGroup(g) if g.is_default && self.vpc(&g.vpc).is_some() => {
                return Err(EditError::NotAllowed(crate::text!(
                    "{} is the default security group of {}; it goes only with its VPC (S5)",
                    g.id,
                    g.vpc
                )))
            }
            Resource::Subnet(s) if !self.subnet_service_interfaces(&s.id).is_empty() => {
                // M1: the interfaces a managed service holds in a subnet are requester-managed;
                // AWS refuses to delete the subnet (DependencyViolation) while they are there.
                let held = self.subnet_service_interfaces(&s.id);
                return Err(EditError::NotAllowed(crate::text!(
                    "{} still holds interfaces of {}; AWS refuses the delete (DependencyViolation): delete or move them first (M1)",
                    s.id,
                    held.join(", ")
                )));
            }
            Resource::Subnet(s) => {
                // AWS refuses to delete a subnet that still holds instances (DependencyViolation);
                // they are never deleted with it.
                let held: Vec<String> = self
                    .subnet_instances(&s.id)
                    .iter()
                    .filter_map(|i| self.instance(i))
                    .map(|i| if i.name.is_empty() { i.id.clone() } else { format!("{} ({})", i.id, i.name) })
                    .collect();
                if !held.is_empty() {
                    return Err(EditError::NotAllowed(crate::text!(
                        "{} still has {} instance{}: {}; AWS refuses the delete (DependencyViolation): terminate or move them first",
                        s.id,
                        held.len(),
                        if held.len() == 1 { "" } else { "s" },
                        held.join(", ")
                    )));
                }
            }
            Resource::DbSubnetGroup(g) if !self.subnet_group_users(&g.id).is_empty() => {
                // M1: RDS refuses to delete a subnet group a database uses
                // (InvalidDBSubnetGroupStateFault).
                return Err(EditError::NotAllowed(crate::text!(
                    "{} is in use by {}; AWS refuses the delete (InvalidDBSubnetGroupStateFault): delete the database or give it another group first (M1)",
                    g.id,
                    self.subnet_group_users(&g.id).join(", ")
                )));
            }
            Resource::NetworkAcl(a) if a.is_default && self.vpc(&a.vpc).is_some() => {
                return Err(EditError::NotAllowed(crate::text!(
                    "{} is the default network ACL of {}; it goes only with its VPC (L1)",
                    a.id,
                    a.vpc
                )))
            }
            _ => {}
        }
        if mode == DeleteMode::Refuse {
            let mut by = self.references_to(id);
            by.extend(self.subnet_routes(id));
            by.extend(self.service_references_to(id));
            if !by.is_empty() {
                return Err(EditError::Referenced { id: id.to_string(), by });
            }
        }
        Ok(())
    }

    /// The instances with an interface in a subnet, each once, in interface order.
    pub fn subnet_instances(&self, subnet: &str) -> Vec<Id> {
        let mut out: Vec<Id> = Vec::new();
        for i in self.network_interfaces.iter().filter(|e| e.subnet == subnet).filter_map(|e| e.instance.as_ref()) {
            if !out.contains(i) {
                out.push(i.clone());
            }
        }
        out
    }

    /// What a cascading delete of `id` removes: it and its owned resources, transitively (a VPC
    /// also takes its default security group and NACL, and its main table).
    pub fn delete_closure(&self, id: &str) -> Vec<Id> {
        self.delete_closure_of(BTreeSet::from([id.to_string()])).into_iter().collect()
    }

    /// [`Design::delete_closure`] of several ids at once, in one pass over the references.
    fn delete_closure_of(&self, doomed: BTreeSet<Id>) -> BTreeSet<Id> {
        self.delete_closure_with(&self.references(), doomed)
    }

    /// [`Design::delete_closure_of`] over references already listed (`refs`: all of them).
    fn delete_closure_with(&self, refs: &[Reference], mut doomed: BTreeSet<Id>) -> BTreeSet<Id> {
        // Each instance's primary interface (the lowest device index).
        let mut primary: std::collections::HashMap<&str, (u32, &str)> = std::collections::HashMap::new();
        for e in &self.network_interfaces {
            if let Some(i) = &e.instance {
                let slot = primary.entry(i.as_str()).or_insert((e.device_index, &e.id));
                if e.device_index < slot.0 {
                    *slot = (e.device_index, &e.id);
                }
            }
        }
        loop {
            let before = doomed.len();
            for r in refs {
                if r.strength == Strength::Owner && doomed.contains(&r.to) {
                    doomed.insert(r.from.clone());
                }
            }
            // An instance cannot run without its primary interface: it goes with it.
            for (i, (_, eni)) in &primary {
                if doomed.contains(*eni) {
                    doomed.insert(i.to_string());
                }
            }
            if doomed.len() == before {
                break;
            }
        }
        // Managed services go with their VPC (M1).
        doomed.extend(self.services_owned_by(&doomed));
        doomed
    }

    /// [`Design::delete`] with [`DeleteMode::Cascade`] of many ids in one pass (an import
    /// dropping thousands of resources stays linear). Ids `delete` refuses — a main route
    /// table, or the default security group or ACL of a VPC that stays (R1, S5, L1) — are
    /// kept. Returns what was removed.
    pub fn delete_all_cascade(&mut self, ids: &BTreeSet<Id>) -> Vec<Id> {
        let vpcs: std::collections::HashSet<&str> = self.vpcs.iter().map(|v| v.id.as_str()).collect();
        // Subnets holding an instance that stays, in one pass over the interfaces.
        let held: std::collections::HashSet<&str> = self
            .network_interfaces
            .iter()
            .filter(|e| e.instance.as_ref().is_some_and(|i| !ids.contains(i)))
            .map(|e| e.subnet.as_str())
            .collect();
        let refused = |r: &Resource| match r {
            Resource::RouteTable(rt) => rt.main,
            // A subnet with instances that stay (DependencyViolation, as in `delete_check`).
            Resource::Subnet(s) => held.contains(s.id.as_str()),
            Resource::SecurityGroup(g) => g.is_default && vpcs.contains(g.vpc.as_str()),
            Resource::NetworkAcl(a) => a.is_default && vpcs.contains(a.vpc.as_str()),
            _ => false,
        };
        let doomed: BTreeSet<Id> =
            self.resources().filter(|r| ids.contains(r.id()) && !refused(r)).map(|r| r.id().to_string()).collect();
        if doomed.is_empty() {
            return Vec::new();
        }
        // The same closure and the same subnet routes as `delete` (R2), for all ids at once.
        let doomed = self.delete_closure_of(doomed);
        self.remove_doomed(&doomed);
        doomed.into_iter().collect()
    }

    /// Remove `doomed`, unlink what referred to it, and drop the routes to a removed subnet's
    /// CIDR, which exist only while the subnet does (R2).
    fn remove_doomed(&mut self, doomed: &BTreeSet<Id>) {
        let subnet_routes: Vec<Reference> = doomed.iter().flat_map(|s| self.subnet_routes(s)).collect();
        // F1: a firewall's endpoints go with it, so routes to them become blackholes (R6).
        let mut gone = doomed.clone();
        for f in self.network_firewalls.iter().filter(|f| doomed.contains(&f.id)) {
            gone.extend(f.endpoints.iter().map(|e| e.id.clone()));
        }
        self.remove_ids(doomed);
        self.unlink(&gone);
        // Managed services lose their links to what goes (M1).
        self.unlink_services(doomed);
        for r in subnet_routes {
            if let Some(rt) = self.route_tables.iter_mut().find(|t| t.id == r.from) {
                rt.routes.retain(|x| x.is_local() || format!("route {}", x.destination) != r.field);
            }
        }
    }

    fn remove_ids(&mut self, ids: &BTreeSet<Id>) {
        self.retain_resources(|id| !ids.contains(id));
    }

    /// Keep only the resources whose id `keep` accepts, visiting every collection in tree
    /// order (the order [`Design::resources`] yields). Links to removed resources are left
    /// as they are.
    pub fn retain_resources(&mut self, mut keep: impl FnMut(&str) -> bool) {
        macro_rules! retain_in {
            ($($list:ident),*) => { $( self.$list.retain(|x| keep(&x.id)); )* };
        }
        retain_in!(
            vpcs,
            subnets,
            route_tables,
            internet_gateways,
            egress_only_internet_gateways,
            nat_gateways,
            elastic_ips,
            instances,
            network_interfaces,
            security_groups,
            network_acls,
            peerings,
            prefix_lists,
            endpoints,
            endpoint_services,
            load_balancers,
            target_groups,
            transit_gateways,
            tgw_attachments,
            tgw_route_tables,
            vpn_gateways,
            customer_gateways,
            vpn_connections,
            network_firewalls,
            firewall_policies,
            firewall_rule_groups
        );
    }

    /// Remove every link to the given ids. Routes whose target is gone become blackhole (R6);
    /// routes a gone gateway endpoint managed, or to a gone prefix list, are removed.
    fn unlink(&mut self, gone: &BTreeSet<Id>) {
        let g = |s: &String| gone.contains(s);
        for rt in &mut self.route_tables {
            rt.subnets.retain(|s| !g(s));
            rt.gateways.retain(|s| !g(s));
            rt.propagating_vgws.retain(|s| !g(s));
            rt.routes.retain(|r| {
                let managed_gone =
                    r.origin == RouteOrigin::EndpointManaged && r.target.id().is_some_and(|t| gone.contains(t));
                let pl_gone = matches!(&r.destination, RouteDestination::PrefixList(p) if g(p));
                !(managed_gone || pl_gone)
            });
            for r in &mut rt.routes {
                if r.target.id().is_some_and(|t| gone.contains(t)) {
                    r.state = RouteState::Blackhole;
                }
            }
        }
        for x in &mut self.internet_gateways {
            if x.vpc.as_ref().is_some_and(g) {
                x.vpc = None;
            }
        }
        for x in &mut self.nat_gateways {
            if x.eip.as_ref().is_some_and(g) {
                x.eip = None;
            }
        }
        for x in &mut self.network_interfaces {
            if x.eip.as_ref().is_some_and(g) {
                x.eip = None;
            }
            x.security_groups.retain(|s| !g(s));
        }
        for x in &mut self.security_groups {
            for rules in [&mut x.ingress, &mut x.egress] {
                rules.retain(|r| match &r.peer {
                    SgPeer::SecurityGroup { group, .. } => !g(group),
                    SgPeer::PrefixList(p) => !g(p),
                    SgPeer::Cidr(_) => true,
                });
            }
        }
        for x in &mut self.network_acls {
            x.subnets.retain(|s| !g(s));
        }
        for x in &mut self.endpoints {
            x.route_tables.retain(|s| !g(s));
            x.interfaces.retain(|i| !g(&i.subnet));
            x.security_groups.retain(|s| !g(s));
        }
        for x in &mut self.endpoint_services {
            x.load_balancers.retain(|s| !g(s));
        }
        for x in &mut self.load_balancers {
            x.nodes.retain(|n| !g(&n.subnet));
            x.security_groups.retain(|s| !g(s));
            for l in &mut x.listeners {
                if l.target_group.as_ref().is_some_and(g) {
                    l.target_group = None;
                }
            }
        }
        for x in &mut self.target_groups {
            x.targets.retain(|t| !g(&t.id));
        }
        for x in &mut self.tgw_attachments {
            if let TgwAttachmentKind::Vpc { subnets, .. } = &mut x.kind {
                subnets.retain(|s| !g(s));
            }
            if x.association.as_ref().is_some_and(g) {
                x.association = None;
            }
        }
        for x in &mut self.tgw_route_tables {
            x.propagations.retain(|s| !g(s));
            for r in &mut x.static_routes {
                if r.attachment.as_ref().is_some_and(g) {
                    r.attachment = None;
                }
            }
        }
        for x in &mut self.transit_gateways {
            if x.default_route_table.as_ref().is_some_and(g) {
                x.default_route_table = None;
            }
        }
        for x in &mut self.vpn_gateways {
            if x.vpc.as_ref().is_some_and(g) {
                x.vpc = None;
            }
        }
        for x in &mut self.vpn_connections {
            if x.vpn_gateway.as_ref().is_some_and(g) {
                x.vpn_gateway = None;
            }
            if x.transit_gateway.as_ref().is_some_and(g) {
                x.transit_gateway = None;
            }
        }
        for x in &mut self.network_firewalls {
            x.endpoints.retain(|e| !g(&e.subnet));
        }
        for x in &mut self.firewall_policies {
            x.stateless_groups.retain(|r| !g(&r.group));
            x.stateful_groups.retain(|r| !g(&r.group));
        }
    }

    /// Create a VPC with what AWS creates alongside it: a main route table holding the local
    /// route, a default NACL allowing all (L4) and a default security group (S5).
    /// Returns the VPC id.
    pub fn add_vpc(&mut self, name: &str, region: &str, cidr: ipnet::Ipv4Net) -> Id {
        let id = self.new_id(ResourceKind::Vpc);
        self.vpcs.push(Vpc::new(id.clone(), name, region, cidr));
        self.add_vpc_companions(&id);
        id
    }

    /// Add the main route table, default NACL and default security group a VPC lacks.
    pub fn add_vpc_companions(&mut self, vpc_id: &str) {
        let Some(vpc) = self.vpc(vpc_id).cloned() else { return };
        if !self.route_tables.iter().any(|r| r.main && r.vpc == vpc.id) {
            let rtb = self.new_id(ResourceKind::RouteTable);
            let mut rt = RouteTable::new(rtb, format!("{}-main", vpc.name), vpc.id.clone(), vpc.cidrs());
            rt.main = true;
            self.route_tables.push(rt);
        }
        if !self.network_acls.iter().any(|a| a.is_default && a.vpc == vpc.id) {
            let acl = self.new_id(ResourceKind::NetworkAcl);
            self.network_acls.push(NetworkAcl::new_default(acl, format!("{}-default", vpc.name), vpc.id.clone()));
        }
        if self.default_security_group(&vpc.id).is_none() {
            let sg = self.new_id(ResourceKind::SecurityGroup);
            let mut g = SecurityGroup::new(sg.clone(), "default", vpc.id.clone());
            g.is_default = true;
            g.description = "default VPC security group".into();
            g.ingress.push(SgRule::allow_all_to(SgPeer::group(sg)));
            self.security_groups.push(g);
        }
    }

    /// [`Design::add_vpc_companions`] for many VPCs in one pass (imports of thousands of VPCs):
    /// the same resources with the same ids, without a scan of the design per VPC.
    pub fn add_companions_of_all(&mut self, vpc_ids: &[Id]) {
        use std::collections::HashSet;
        let mut mains: HashSet<Id> = self.route_tables.iter().filter(|r| r.main).map(|r| r.vpc.clone()).collect();
        let mut acls: HashSet<Id> = self.network_acls.iter().filter(|a| a.is_default).map(|a| a.vpc.clone()).collect();
        let mut sgs: HashSet<Id> =
            self.security_groups.iter().filter(|g| g.is_default).map(|g| g.vpc.clone()).collect();
        let vpcs: std::collections::HashMap<&str, usize> =
            self.vpcs.iter().enumerate().map(|(i, v)| (v.id.as_str(), i)).collect();
        let wanted: Vec<usize> = vpc_ids.iter().filter_map(|v| vpcs.get(v.as_str()).copied()).collect();
        let mut ids = self.id_allocator();
        for i in wanted {
            let vpc = self.vpcs[i].clone();
            if mains.insert(vpc.id.clone()) {
                let mut rt = RouteTable::new(
                    ids.next(ResourceKind::RouteTable),
                    format!("{}-main", vpc.name),
                    vpc.id.clone(),
                    vpc.cidrs(),
                );
                rt.main = true;
                self.route_tables.push(rt);
            }
            if acls.insert(vpc.id.clone()) {
                let acl = ids.next(ResourceKind::NetworkAcl);
                self.network_acls.push(NetworkAcl::new_default(acl, format!("{}-default", vpc.name), vpc.id.clone()));
            }
            if sgs.insert(vpc.id.clone()) {
                let sg = ids.next(ResourceKind::SecurityGroup);
                let mut g = SecurityGroup::new(sg.clone(), "default", vpc.id.clone());
                g.is_default = true;
                g.description = "default VPC security group".into();
                g.ingress.push(SgRule::allow_all_to(SgPeer::group(sg)));
                self.security_groups.push(g);
            }
        }
    }

    /// Add a secondary CIDR and its local route in every table of the VPC (A2, R2).
    pub fn add_vpc_cidr(&mut self, vpc_id: &str, cidr: ipnet::Ipv4Net) -> Result<(), EditError> {
        let vpc =
            self.vpcs.iter_mut().find(|v| v.id == vpc_id).ok_or_else(|| EditError::NotFound(vpc_id.to_string()))?;
        let cidr = cidr.trunc();
        if vpc.cidrs().any(|c| c.contains(&cidr.network()) || cidr.contains(&c.network())) {
            return Err(EditError::Invalid(crate::text!("{cidr} overlaps a CIDR the VPC already has (A2)")));
        }
        vpc.secondary_cidrs.push(cidr);
        for rt in self.route_tables.iter_mut().filter(|r| r.vpc == vpc_id) {
            rt.routes.push(Route::local(cidr));
        }
        Ok(())
    }

    /// Associate a subnet with a route table, replacing its previous explicit association (R1).
    pub fn associate_route_table(&mut self, subnet: &str, rtb: &str) -> Result<(), EditError> {
        let s = self.subnet(subnet).ok_or_else(|| EditError::NotFound(subnet.to_string()))?.clone();
        let rt = self.route_table(rtb).ok_or_else(|| EditError::NotFound(rtb.to_string()))?;
        if rt.vpc != s.vpc {
            return Err(EditError::Invalid(crate::text!("{rtb} belongs to {}, but {subnet} is in {}", rt.vpc, s.vpc)));
        }
        for t in &mut self.route_tables {
            t.subnets.retain(|x| x != subnet);
        }
        if let Some(t) = self.route_tables.iter_mut().find(|t| t.id == rtb) {
            t.subnets.push(subnet.to_string());
        }
        Ok(())
    }

    /// Associate a subnet with a network ACL, replacing its previous association (L1).
    pub fn associate_network_acl(&mut self, subnet: &str, acl: &str) -> Result<(), EditError> {
        let s = self.subnet(subnet).ok_or_else(|| EditError::NotFound(subnet.to_string()))?.clone();
        let a = self.network_acl(acl).ok_or_else(|| EditError::NotFound(acl.to_string()))?;
        if a.vpc != s.vpc {
            return Err(EditError::Invalid(crate::text!("{acl} belongs to {}, but {subnet} is in {}", a.vpc, s.vpc)));
        }
        for t in &mut self.network_acls {
            t.subnets.retain(|x| x != subnet);
        }
        if let Some(t) = self.network_acls.iter_mut().find(|t| t.id == acl) {
            t.subnets.push(subnet.to_string());
        }
        Ok(())
    }

    /// Make a table its VPC's main table (R1).
    pub fn set_main_route_table(&mut self, rtb: &str) -> Result<(), EditError> {
        let vpc = self.route_table(rtb).ok_or_else(|| EditError::NotFound(rtb.to_string()))?.vpc.clone();
        for t in self.route_tables.iter_mut().filter(|t| t.vpc == vpc) {
            t.main = t.id == rtb;
        }
        Ok(())
    }

    /// Create a gateway endpoint and put its `pl → vpce` route in the chosen tables (G1, G2).
    pub fn add_gateway_endpoint(
        &mut self,
        vpc: &str,
        service_name: &str,
        route_tables: &[Id],
        catalog: &ServiceCatalog,
    ) -> Result<Id, EditError> {
        let v = self.vpc(vpc).ok_or_else(|| EditError::NotFound(vpc.to_string()))?.clone();
        let svc = catalog
            .by_service_name(service_name)
            .ok_or_else(|| EditError::Invalid(crate::text!("'{service_name}' is not a service the catalog knows")))?;
        if !svc.gateway_endpoint {
            return Err(EditError::Invalid(crate::text!(
                "{service_name} has no gateway endpoint; use an interface endpoint (G1)"
            )));
        }
        if svc.region != v.region {
            return Err(EditError::Invalid(crate::text!(
                "{service_name} is in {}, but {vpc} is in {}: gateway endpoints work in their own region only (G1)",
                svc.region,
                v.region
            )));
        }
        let pl = svc.prefix_list_id.clone().unwrap_or_default();
        for rt in route_tables {
            let t = self.route_table(rt).ok_or_else(|| EditError::NotFound(rt.clone()))?;
            if t.vpc != vpc {
                return Err(EditError::Invalid(crate::text!("{rt} is not a route table of {vpc}")));
            }
            if t.routes.iter().any(|r| r.destination == RouteDestination::PrefixList(pl.clone())) {
                return Err(EditError::Invalid(crate::text!(
                    "{rt} already has a route for {pl}; a table holds one per service (G2)"
                )));
            }
        }
        let id = self.new_id(ResourceKind::VpcEndpoint);
        self.endpoints.push(VpcEndpoint {
            id: id.clone(),
            name: format!("{}-{}", v.name, svc.short),
            vpc: vpc.to_string(),
            kind: EndpointKind::Gateway,
            service_name: service_name.to_string(),
            state: EndpointState::Available,
            route_tables: route_tables.to_vec(),
            interfaces: Vec::new(),
            security_groups: Vec::new(),
            private_dns_enabled: false,
            dns_suffix: String::new(),
        });
        for t in self.route_tables.iter_mut().filter(|t| route_tables.contains(&t.id)) {
            t.routes.push(Route::gateway_endpoint(pl.clone(), id.clone()));
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> ipnet::Ipv4Net {
        s.parse().unwrap()
    }

    #[test]
    fn add_vpc_creates_main_table_default_acl_and_group() {
        let mut d = Design::new("t", "ap-northeast-2");
        let v = d.add_vpc("lab", "ap-northeast-2", net("10.0.0.0/16"));
        assert!(d.route_tables.iter().any(|r| r.main && r.vpc == v && r.routes[0].is_local()));
        assert!(d.network_acls.iter().any(|a| a.is_default && a.vpc == v));
        assert!(d.default_security_group(&v).is_some());
    }

    #[test]
    fn refuse_lists_references_and_cascade_cleans_up() {
        let mut d = Design::new("t", "ap-northeast-2");
        let v = d.add_vpc("lab", "ap-northeast-2", net("10.0.0.0/16"));
        let s = d.new_id(ResourceKind::Subnet);
        d.subnets.push(Subnet::new(s.clone(), "pub", v.clone(), net("10.0.0.0/24"), "ap-northeast-2a"));
        let igw = d.new_id(ResourceKind::InternetGateway);
        d.internet_gateways.push(InternetGateway { id: igw.clone(), name: "igw".into(), vpc: Some(v.clone()) });
        let rt = d.route_tables[0].id.clone();
        d.route_tables[0].routes.push(Route::to_cidr(net("0.0.0.0/0"), RouteTarget::InternetGateway(igw.clone())));
        d.route_tables[0].subnets.push(s.clone());

        let err = d.delete(&igw, DeleteMode::Refuse).unwrap_err();
        match &err {
            EditError::Referenced { by, .. } => {
                assert!(by.iter().any(|r| r.from == rt && r.field.contains("0.0.0.0/0")))
            }
            other => panic!("unexpected {other:?}"),
        }
        d.delete(&igw, DeleteMode::Cascade).unwrap();
        assert_eq!(
            d.route_tables[0].routes[1].state,
            RouteState::Blackhole,
            "R6: route to a deleted target is blackhole"
        );

        let removed = d.delete(&v, DeleteMode::Cascade).unwrap();
        assert!(removed.contains(&s));
        assert!(d.vpcs.is_empty() && d.subnets.is_empty() && d.route_tables.is_empty());
        assert!(d.security_groups.is_empty() && d.network_acls.is_empty());
    }

    #[test]
    fn main_table_cannot_be_deleted() {
        let mut d = Design::new("t", "ap-northeast-2");
        d.add_vpc("lab", "ap-northeast-2", net("10.0.0.0/16"));
        let rt = d.route_tables[0].id.clone();
        assert!(matches!(d.delete(&rt, DeleteMode::Cascade), Err(EditError::NotAllowed(_))));
    }

    #[test]
    fn gateway_endpoint_adds_managed_routes_and_leaves_with_them() {
        let mut d = Design::new("t", "ap-northeast-2");
        let v = d.add_vpc("lab", "ap-northeast-2", net("10.0.0.0/16"));
        let rt = d.route_tables[0].id.clone();
        let cat = ServiceCatalog::builtin();
        let e = d.add_gateway_endpoint(&v, "com.amazonaws.ap-northeast-2.s3", std::slice::from_ref(&rt), cat).unwrap();
        assert_eq!(d.route_tables[0].routes.len(), 2);
        assert!(d.add_gateway_endpoint(&v, "com.amazonaws.ap-northeast-1.s3", std::slice::from_ref(&rt), cat).is_err());
        d.delete(&e, DeleteMode::Cascade).unwrap();
        assert_eq!(d.route_tables[0].routes.len(), 1);
    }

    #[test]
    fn resolve_by_id_and_name() {
        let mut d = Design::new("t", "ap-northeast-2");
        let v = d.add_vpc("lab", "ap-northeast-2", net("10.0.0.0/16"));
        assert_eq!(d.resolve("lab").unwrap().id(), v);
        assert_eq!(d.resolve("LAB").unwrap().id(), v);
        assert!(d.resolve("nope").is_err());
    }

    #[test]
    fn companions_of_all_are_the_companions_one_by_one() {
        let mut one = Design::new("t", "us-east-1");
        for i in 0..5 {
            let cidr = format!("10.{i}.0.0/16").parse().unwrap();
            one.vpcs.push(Vpc::new(format!("vpc-x{i}"), format!("v{i}"), "us-east-1", cidr));
        }
        // One VPC already has its main table.
        one.route_tables.push(RouteTable::new("rtb-0001", "m", "vpc-x2", Vec::<ipnet::IpNet>::new()));
        one.route_tables[0].main = true;
        let mut all = one.clone();
        let ids: Vec<Id> = one.vpcs.iter().map(|v| v.id.clone()).collect();
        for v in &ids {
            one.add_vpc_companions(v);
        }
        all.add_companions_of_all(&ids);
        assert_eq!(one, all);
    }

    #[test]
    fn delete_all_cascade_is_delete_one_by_one() {
        let d = crate::assets::example("custom-vpc").unwrap();
        let ids: BTreeSet<Id> =
            [d.subnets[0].id.clone(), d.instances[1].id.clone(), d.route_tables[0].id.clone()].into();
        let mut one = d.clone();
        for id in &ids {
            let _ = one.delete(id, DeleteMode::Cascade);
        }
        let mut all = d.clone();
        all.delete_all_cascade(&ids);
        assert_eq!(one, all);
    }
}
