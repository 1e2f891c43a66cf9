//! Edits as data: the operations the editor, the guided labs and scripts apply to a design.
//!
//! Each [`Op`] names resources by name or id (as people write them in a lab file) and applies
//! with validation, so a lab step and a form in the editor go through the same code.

use super::edit::{DeleteMode, EditError};
use super::*;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Inbound or outbound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Inbound,
    Outbound,
}

/// One edit of a design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Op {
    /// A VPC with its main route table, default NACL and default security group.
    AddVpc {
        name: String,
        cidr: String,
        #[serde(default)]
        region: Option<String>,
        #[serde(default)]
        dns_hostnames: bool,
    },
    AddVpcCidr {
        vpc: String,
        cidr: String,
    },
    SetVpcDns {
        vpc: String,
        #[serde(default)]
        support: Option<bool>,
        #[serde(default)]
        hostnames: Option<bool>,
    },
    AddSubnet {
        vpc: String,
        name: String,
        cidr: String,
        /// A zone name or just its letter.
        az: String,
        #[serde(default)]
        public_ip_on_launch: bool,
    },
    AddInternetGateway {
        name: String,
        #[serde(default)]
        vpc: Option<String>,
    },
    AttachInternetGateway {
        igw: String,
        vpc: String,
    },
    DetachInternetGateway {
        igw: String,
    },
    AddRouteTable {
        vpc: String,
        name: String,
        #[serde(default)]
        subnets: Vec<String>,
    },
    /// `destination` is a CIDR or a prefix-list id; `target` a resource name or id, or `local`.
    AddRoute {
        table: String,
        destination: String,
        target: String,
    },
    DeleteRoute {
        table: String,
        destination: String,
    },
    AssociateRouteTable {
        table: String,
        subnet: String,
    },
    SetMainRouteTable {
        table: String,
    },
    AddElasticIp {
        name: String,
        public_ip: String,
        /// Associate with this instance's primary interface.
        #[serde(default)]
        instance: Option<String>,
    },
    AddNatGateway {
        name: String,
        subnet: String,
        private_ip: String,
        public_ip: String,
    },
    AddSecurityGroup {
        vpc: String,
        name: String,
        #[serde(default)]
        description: String,
    },
    /// `peer` is a CIDR, a security group name/id or a prefix-list id.
    AddSgRule {
        group: String,
        direction: Direction,
        protocol: Protocol,
        #[serde(default)]
        ports: PortSpec,
        peer: String,
    },
    /// Remove the rules matching protocol and ports (any peer when `peer` is absent).
    RemoveSgRule {
        group: String,
        direction: Direction,
        protocol: Protocol,
        #[serde(default)]
        ports: PortSpec,
        #[serde(default)]
        peer: Option<String>,
    },
    AddInstance {
        name: String,
        subnet: String,
        private_ip: String,
        #[serde(default)]
        groups: Vec<String>,
        #[serde(default)]
        public_ip: Option<String>,
        #[serde(default)]
        role: String,
    },
    SetSourceDestCheck {
        instance: String,
        enabled: bool,
    },
    SetInstanceState {
        instance: String,
        state: InstanceState,
    },
    SetInterfaceGroups {
        instance: String,
        groups: Vec<String>,
    },
    AddNetworkAcl {
        vpc: String,
        name: String,
        #[serde(default)]
        subnets: Vec<String>,
    },
    AddNaclEntry {
        acl: String,
        entry: NaclEntry,
    },
    AddPeering {
        name: String,
        requester: String,
        accepter: String,
        status: PeeringStatus,
    },
    SetPeeringStatus {
        peering: String,
        status: PeeringStatus,
    },
    /// `service` is a short name (`s3`) or a full service name.
    AddGatewayEndpoint {
        vpc: String,
        service: String,
        route_tables: Vec<String>,
    },
    AddInterfaceEndpoint {
        vpc: String,
        name: String,
        service: String,
        /// (subnet, address) pairs, one per AZ.
        interfaces: Vec<(String, String)>,
        #[serde(default)]
        groups: Vec<String>,
        #[serde(default)]
        private_dns: bool,
        #[serde(default)]
        state: Option<EndpointState>,
    },
    SetEndpointPrivateDns {
        endpoint: String,
        enabled: bool,
    },
    SetEndpointState {
        endpoint: String,
        state: EndpointState,
    },
    SetEndpointGroups {
        endpoint: String,
        groups: Vec<String>,
    },
    AddTransitGateway {
        name: String,
    },
    /// Attach a VPC with one subnet per AZ; associates and propagates with the default table.
    AttachVpcToTransitGateway {
        tgw: String,
        vpc: String,
        subnets: Vec<String>,
        name: String,
    },
    /// A7: associate an IPv6 block with a VPC. No `cidr`: an Amazon-provided /56 (a stable
    /// stand-in until AWS assigns one); `pool` says where a given block comes from.
    AddVpcIpv6Block {
        vpc: String,
        #[serde(default)]
        cidr: Option<String>,
        #[serde(default)]
        pool: Ipv6Pool,
    },
    /// A7: make a subnet dual-stack with an IPv6 block (no `cidr`: the lowest free /64).
    SetSubnetIpv6 {
        subnet: String,
        #[serde(default)]
        cidr: Option<String>,
        #[serde(default)]
        assign_on_creation: bool,
    },
    /// A7: an IPv6-only subnet (no IPv4 CIDR; no `cidr`: the lowest free /64). Its hostnames
    /// are resource names, as AWS requires of IPv6-only subnets.
    AddIpv6OnlySubnet {
        vpc: String,
        name: String,
        az: String,
        #[serde(default)]
        cidr: Option<String>,
        #[serde(default)]
        dns64: bool,
    },
    /// N4: DNS64 on a subnet's resolver answers.
    SetSubnetDns64 {
        subnet: String,
        enabled: bool,
    },
    /// I5: an egress-only internet gateway for a VPC (one per VPC).
    AddEgressOnlyGateway {
        name: String,
        vpc: String,
    },
    /// A7: an IPv6 address on an instance's primary interface (no `address`: the first free
    /// one after the four reserved).
    AddInstanceIpv6 {
        instance: String,
        #[serde(default)]
        address: Option<String>,
    },
    /// A customer-managed prefix list: entries of one family (`::/0`-style IPv6 lists too).
    AddPrefixList {
        name: String,
        cidrs: Vec<String>,
    },
    /// T2: IPv6 support on a transit gateway VPC attachment (off by default: the attachment
    /// then neither propagates nor carries IPv6).
    SetTgwAttachmentIpv6 {
        attachment: String,
        enabled: bool,
    },
    /// Delete a resource; `cascade` cleans up what refers to it, else the delete is refused
    /// while anything does.
    Delete {
        resource: String,
        #[serde(default)]
        cascade: bool,
    },
}

fn invalid(msg: impl Into<String>) -> EditError {
    EditError::Invalid(msg.into())
}

fn cidr(s: &str) -> Result<Ipv4Net, EditError> {
    s.trim()
        .parse::<Ipv4Net>()
        .map(|n| n.trunc())
        .map_err(|_| invalid(format!("'{s}' is not a CIDR such as 10.0.0.0/16")))
}

/// A CIDR of either family, canonical (R3: a route or rule is IPv4 or IPv6).
pub(super) fn any_cidr(s: &str) -> Result<ipnet::IpNet, EditError> {
    crate::net::parse_ip_cidr(s).map_err(invalid)
}

fn ip(s: &str) -> Result<Ipv4Addr, EditError> {
    s.trim().parse().map_err(|_| invalid(format!("'{s}' is not an IPv4 address")))
}

impl Design {
    pub(super) fn id_of(&self, key: &str, kind: ResourceKind) -> Result<Id, EditError> {
        let r = match self.resolve(key) {
            Ok(r) => r,
            // A name shared by resources of different kinds (an instance and a group both
            // called `web`) is not ambiguous where only one kind fits.
            Err(e) => {
                let mut hits = self.resources().filter(|r| r.kind() == kind && r.name() == key);
                match (hits.next(), hits.next()) {
                    (Some(r), None) => r,
                    _ => return Err(EditError::NotFound(e)),
                }
            }
        };
        if r.kind() != kind {
            return Err(invalid(format!("'{key}' is a {}, not a {}", r.kind().label(), kind.label())));
        }
        Ok(r.id().to_string())
    }

    fn sg_peer(&self, peer: &str) -> Result<SgPeer, EditError> {
        if let Ok(c) = peer.parse::<ipnet::IpNet>() {
            return Ok(SgPeer::Cidr(any_cidr(&c.to_string())?));
        }
        if peer.starts_with("pl-") {
            return Ok(SgPeer::PrefixList(peer.to_string()));
        }
        Ok(SgPeer::group(self.id_of(peer, ResourceKind::SecurityGroup)?))
    }

    /// Apply an edit. Returns the id of a created resource, when one was created.
    pub fn apply(&mut self, op: &Op) -> Result<Option<Id>, EditError> {
        match op {
            Op::AddVpc { name, cidr: c, region, dns_hostnames } => {
                let net = cidr(c)?;
                if !(16..=28).contains(&net.prefix_len()) {
                    return Err(invalid(format!("{net}: a VPC CIDR must be /16 to /28 (A1)")));
                }
                let region = region.clone().unwrap_or_else(|| self.default_region.clone());
                let id = self.add_vpc(name, &region, net);
                if let Some(v) = self.vpcs.iter_mut().find(|v| v.id == id) {
                    v.enable_dns_hostnames = *dns_hostnames;
                }
                Ok(Some(id))
            }
            Op::AddVpcCidr { vpc, cidr: c } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                self.add_vpc_cidr(&v, cidr(c)?)?;
                Ok(None)
            }
            Op::SetVpcDns { vpc, support, hostnames } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                if let Some(x) = self.vpcs.iter_mut().find(|x| x.id == v) {
                    if let Some(s) = support {
                        x.enable_dns_support = *s;
                    }
                    if let Some(h) = hostnames {
                        x.enable_dns_hostnames = *h;
                    }
                }
                Ok(None)
            }
            Op::AddSubnet { vpc, name, cidr: c, az, public_ip_on_launch } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                let vpc = self.vpc(&v).cloned().ok_or_else(|| EditError::NotFound(v.clone()))?;
                let net = cidr(c)?;
                if !(16..=28).contains(&net.prefix_len()) {
                    return Err(invalid(format!("{net}: a subnet must be /16 to /28 (A5)")));
                }
                if !vpc.cidrs().any(|x| x.contains(&net)) {
                    return Err(invalid(format!("{net} is not inside {}'s CIDRs (A5)", vpc.name)));
                }
                if let Some(o) = self.vpc_subnets(&v).find(|s| s.cidr.is_some_and(|c| crate::net::overlaps(c, net))) {
                    return Err(invalid(format!("{net} overlaps {} ({}) (A5)", o.name, o.primary_cidr_text())));
                }
                let az = if az.len() <= 2 { format!("{}{az}", vpc.region) } else { az.clone() };
                let id = self.new_id(ResourceKind::Subnet);
                let mut s = Subnet::new(id.clone(), name.clone(), v, net, az);
                s.map_public_ip_on_launch = *public_ip_on_launch;
                self.subnets.push(s);
                Ok(Some(id))
            }
            Op::AddInternetGateway { name, vpc } => {
                let v = vpc.as_deref().map(|x| self.id_of(x, ResourceKind::Vpc)).transpose()?;
                if let Some(v) = &v {
                    if self.vpc_internet_gateway(v).is_some() {
                        return Err(invalid(format!("{v} already has an internet gateway; a VPC can have one (I1)")));
                    }
                }
                let id = self.new_id(ResourceKind::InternetGateway);
                self.internet_gateways.push(InternetGateway { id: id.clone(), name: name.clone(), vpc: v });
                Ok(Some(id))
            }
            Op::AttachInternetGateway { igw, vpc } => {
                let g = self.id_of(igw, ResourceKind::InternetGateway)?;
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                if self.vpc_internet_gateway(&v).is_some_and(|x| x.id != g) {
                    return Err(invalid(format!("{v} already has an internet gateway; a VPC can have one (I1)")));
                }
                if let Some(x) = self.internet_gateways.iter_mut().find(|x| x.id == g) {
                    x.vpc = Some(v);
                }
                Ok(None)
            }
            Op::DetachInternetGateway { igw } => {
                let g = self.id_of(igw, ResourceKind::InternetGateway)?;
                if let Some(x) = self.internet_gateways.iter_mut().find(|x| x.id == g) {
                    x.vpc = None;
                }
                Ok(None)
            }
            Op::AddRouteTable { vpc, name, subnets } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                // R2: a local route for every block of the VPC, IPv6 ones included.
                let cidrs: Vec<ipnet::IpNet> = self.vpc(&v).map(|x| x.all_cidrs().collect()).unwrap_or_default();
                let id = self.new_id(ResourceKind::RouteTable);
                self.route_tables.push(RouteTable::new(id.clone(), name.clone(), v, cidrs));
                for s in subnets {
                    let s = self.id_of(s, ResourceKind::Subnet)?;
                    self.associate_route_table(&s, &id)?;
                }
                Ok(Some(id))
            }
            Op::AddRoute { table, destination, target } => {
                let t = self.id_of(table, ResourceKind::RouteTable)?;
                let dest = if destination.starts_with("pl-") {
                    RouteDestination::PrefixList(destination.clone())
                } else {
                    RouteDestination::Cidr(any_cidr(destination)?)
                };
                let target = if target == "local" {
                    RouteTarget::Local
                } else {
                    let r = self.resolve(target).map_err(EditError::NotFound)?;
                    let id = r.id().to_string();
                    match r.kind() {
                        ResourceKind::InternetGateway => RouteTarget::InternetGateway(id),
                        ResourceKind::NatGateway => RouteTarget::NatGateway(id),
                        ResourceKind::Instance => RouteTarget::Instance(id),
                        ResourceKind::NetworkInterface => RouteTarget::NetworkInterface(id),
                        ResourceKind::VpcPeering => RouteTarget::VpcPeering(id),
                        ResourceKind::VpcEndpoint => RouteTarget::GatewayEndpoint(id),
                        ResourceKind::TransitGateway => RouteTarget::TransitGateway(id),
                        ResourceKind::VpnGateway => RouteTarget::VpnGateway(id),
                        ResourceKind::EgressOnlyInternetGateway => RouteTarget::EgressOnlyInternetGateway(id),
                        k => return Err(invalid(format!("a {} cannot be a route target (R5)", k.label()))),
                    }
                };
                let rt =
                    self.route_tables.iter_mut().find(|x| x.id == t).ok_or_else(|| EditError::NotFound(t.clone()))?;
                if rt.routes.iter().any(|r| r.destination == dest) {
                    return Err(invalid(format!("{} already has a route for {dest}", rt.name)));
                }
                let state = match &target {
                    RouteTarget::VpcPeering(p)
                        if self.peering(p).is_some_and(|p| p.status != PeeringStatus::Active) =>
                    {
                        RouteState::Blackhole
                    }
                    _ => RouteState::Active,
                };
                let rt =
                    self.route_tables.iter_mut().find(|x| x.id == t).ok_or_else(|| EditError::NotFound(t.clone()))?;
                rt.routes.push(Route { destination: dest, target, state, origin: RouteOrigin::Static });
                Ok(None)
            }
            Op::DeleteRoute { table, destination } => {
                let t = self.id_of(table, ResourceKind::RouteTable)?;
                let rt =
                    self.route_tables.iter_mut().find(|x| x.id == t).ok_or_else(|| EditError::NotFound(t.clone()))?;
                let before = rt.routes.len();
                let mut refused = None;
                rt.routes.retain(|r| {
                    let hit = r.destination.to_string() == *destination;
                    if hit && r.is_local() {
                        refused = Some(());
                        return true;
                    }
                    !hit
                });
                if refused.is_some() {
                    return Err(EditError::NotAllowed(format!("the local route {destination} cannot be deleted (R2)")));
                }
                if rt.routes.len() == before {
                    return Err(EditError::NotFound(format!("{} has no route for {destination}", rt.name)));
                }
                Ok(None)
            }
            Op::AssociateRouteTable { table, subnet } => {
                let t = self.id_of(table, ResourceKind::RouteTable)?;
                let s = self.id_of(subnet, ResourceKind::Subnet)?;
                self.associate_route_table(&s, &t)?;
                Ok(None)
            }
            Op::SetMainRouteTable { table } => {
                let t = self.id_of(table, ResourceKind::RouteTable)?;
                self.set_main_route_table(&t)?;
                Ok(None)
            }
            Op::AddElasticIp { name, public_ip, instance } => {
                let id = self.new_id(ResourceKind::ElasticIp);
                self.elastic_ips.push(ElasticIp {
                    id: id.clone(),
                    name: name.clone(),
                    public_ip: ip(public_ip)?,
                    placeholder: false,
                });
                if let Some(i) = instance {
                    let i = self.id_of(i, ResourceKind::Instance)?;
                    let eni = self
                        .instance_interfaces(&i)
                        .first()
                        .map(|e| e.id.clone())
                        .ok_or_else(|| invalid(format!("{i} has no network interface")))?;
                    if let Some(e) = self.network_interfaces.iter_mut().find(|e| e.id == eni) {
                        e.eip = Some(id.clone());
                    }
                }
                Ok(Some(id))
            }
            Op::AddNatGateway { name, subnet, private_ip, public_ip } => {
                let s = self.id_of(subnet, ResourceKind::Subnet)?;
                let eip = self.new_id(ResourceKind::ElasticIp);
                self.elastic_ips.push(ElasticIp {
                    id: eip.clone(),
                    name: format!("{name}-eip"),
                    public_ip: ip(public_ip)?,
                    placeholder: false,
                });
                let id = self.new_id(ResourceKind::NatGateway);
                self.nat_gateways.push(NatGateway {
                    id: id.clone(),
                    name: name.clone(),
                    subnet: s,
                    connectivity: NatConnectivity::Public,
                    private_ip: ip(private_ip)?,
                    eip: Some(eip),
                    state: NatState::Available,
                    placeholder: false,
                });
                Ok(Some(id))
            }
            Op::AddSecurityGroup { vpc, name, description } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                let id = self.new_id(ResourceKind::SecurityGroup);
                let mut g = self.new_security_group(id.clone(), name.clone(), &v);
                g.description = description.clone();
                self.security_groups.push(g);
                Ok(Some(id))
            }
            Op::AddSgRule { group, direction, protocol, ports, peer } => {
                let g = self.id_of(group, ResourceKind::SecurityGroup)?;
                let rule = SgRule {
                    protocol: *protocol,
                    ports: *ports,
                    peer: self.sg_peer(peer)?,
                    description: String::new(),
                };
                let sg = self
                    .security_groups
                    .iter_mut()
                    .find(|x| x.id == g)
                    .ok_or_else(|| EditError::NotFound(g.clone()))?;
                let list = if *direction == Direction::Inbound { &mut sg.ingress } else { &mut sg.egress };
                if !list.contains(&rule) {
                    list.push(rule);
                }
                Ok(None)
            }
            Op::RemoveSgRule { group, direction, protocol, ports, peer } => {
                let g = self.id_of(group, ResourceKind::SecurityGroup)?;
                let peer = peer.as_deref().map(|p| self.sg_peer(p)).transpose()?;
                let sg = self
                    .security_groups
                    .iter_mut()
                    .find(|x| x.id == g)
                    .ok_or_else(|| EditError::NotFound(g.clone()))?;
                let list = if *direction == Direction::Inbound { &mut sg.ingress } else { &mut sg.egress };
                let before = list.len();
                list.retain(|r| {
                    !(r.protocol == *protocol && r.ports == *ports && peer.as_ref().is_none_or(|p| &r.peer == p))
                });
                if list.len() == before {
                    return Err(EditError::NotFound(format!("{} has no such rule", sg.name)));
                }
                Ok(None)
            }
            Op::AddInstance { name, subnet, private_ip, groups, public_ip, role } => {
                let s = self.id_of(subnet, ResourceKind::Subnet)?;
                let sub = self.subnet(&s).cloned().ok_or_else(|| EditError::NotFound(s.clone()))?;
                if sub.is_ipv6_only() || private_ip.contains(':') {
                    return self.add_ipv6_only_instance(name, &sub, private_ip, groups, role);
                }
                let addr = ip(private_ip)?;
                if !sub.contains(addr) {
                    return Err(invalid(format!("{addr} is not in {} ({})", sub.name, sub.primary_cidr_text())));
                }
                let mut gids = Vec::new();
                for g in groups {
                    gids.push(self.id_of(g, ResourceKind::SecurityGroup)?);
                }
                if gids.is_empty() {
                    gids.extend(self.default_security_group(&sub.vpc).map(|g| g.id.clone()));
                }
                let id = self.new_id(ResourceKind::Instance);
                self.instances.push(Instance {
                    id: id.clone(),
                    name: name.clone(),
                    instance_type: "t3.micro".into(),
                    state: InstanceState::Running,
                    role: role.clone(),
                });
                let eni = self.new_id(ResourceKind::NetworkInterface);
                let mut nic = NetworkInterface::new(eni, format!("{name}-eth0"), s, addr);
                nic.instance = Some(id.clone());
                nic.security_groups = gids;
                nic.public_ip = public_ip.as_deref().map(ip).transpose()?;
                self.network_interfaces.push(nic);
                Ok(Some(id))
            }
            Op::SetSourceDestCheck { instance, enabled } => {
                let i = self.id_of(instance, ResourceKind::Instance)?;
                for e in self.network_interfaces.iter_mut().filter(|e| e.instance.as_deref() == Some(i.as_str())) {
                    e.source_dest_check = *enabled;
                }
                Ok(None)
            }
            Op::SetInstanceState { instance, state } => {
                let i = self.id_of(instance, ResourceKind::Instance)?;
                if let Some(x) = self.instances.iter_mut().find(|x| x.id == i) {
                    x.state = *state;
                }
                Ok(None)
            }
            Op::SetInterfaceGroups { instance, groups } => {
                let i = self.id_of(instance, ResourceKind::Instance)?;
                let mut gids = Vec::new();
                for g in groups {
                    gids.push(self.id_of(g, ResourceKind::SecurityGroup)?);
                }
                for e in self.network_interfaces.iter_mut().filter(|e| e.instance.as_deref() == Some(i.as_str())) {
                    e.security_groups = gids.clone();
                }
                Ok(None)
            }
            Op::AddNetworkAcl { vpc, name, subnets } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                let id = self.new_id(ResourceKind::NetworkAcl);
                self.network_acls.push(NetworkAcl::new_custom(id.clone(), name.clone(), v));
                for s in subnets {
                    let s = self.id_of(s, ResourceKind::Subnet)?;
                    self.associate_network_acl(&s, &id)?;
                }
                Ok(Some(id))
            }
            Op::AddNaclEntry { acl, entry } => {
                let a = self.id_of(acl, ResourceKind::NetworkAcl)?;
                if entry.rule_number == 0 || entry.rule_number > 32766 {
                    return Err(invalid(format!("rule number {} is outside 1-32766 (L2)", entry.rule_number)));
                }
                let x =
                    self.network_acls.iter_mut().find(|x| x.id == a).ok_or_else(|| EditError::NotFound(a.clone()))?;
                if x.entries.iter().any(|e| e.egress == entry.egress && e.rule_number == entry.rule_number) {
                    return Err(invalid(format!(
                        "{} already has rule {} in that direction (L2)",
                        x.name, entry.rule_number
                    )));
                }
                x.entries.push(entry.clone());
                Ok(None)
            }
            Op::AddPeering { name, requester, accepter, status } => {
                let a = self.id_of(requester, ResourceKind::Vpc)?;
                let b = self.id_of(accepter, ResourceKind::Vpc)?;
                let (va, vb) = (self.vpc(&a).cloned(), self.vpc(&b).cloned());
                let mut status = *status;
                if let (Some(va), Some(vb)) = (va, vb) {
                    if va.cidrs().any(|x| vb.cidrs().any(|y| x.contains(&y.network()) || y.contains(&x.network()))) {
                        // P2: overlapping CIDRs make the request fail at once.
                        status = PeeringStatus::Failed;
                    }
                }
                let id = self.new_id(ResourceKind::VpcPeering);
                self.peerings.push(VpcPeering {
                    id: id.clone(),
                    name: name.clone(),
                    requester_vpc: a,
                    accepter_vpc: b,
                    status,
                    allow_dns_resolution: false,
                });
                Ok(Some(id))
            }
            Op::SetPeeringStatus { peering, status } => {
                let p = self.id_of(peering, ResourceKind::VpcPeering)?;
                if let Some(x) = self.peerings.iter_mut().find(|x| x.id == p) {
                    if x.status == PeeringStatus::Failed && *status == PeeringStatus::Active {
                        return Err(EditError::NotAllowed(format!(
                            "{} failed (overlapping CIDRs, P2) and cannot become active",
                            x.name
                        )));
                    }
                    x.status = *status;
                }
                // R6/P4: routes to a peering that is not active are blackholes.
                let state = if *status == PeeringStatus::Active { RouteState::Active } else { RouteState::Blackhole };
                for rt in &mut self.route_tables {
                    for r in rt.routes.iter_mut().filter(|r| r.target == RouteTarget::VpcPeering(p.clone())) {
                        r.state = state;
                    }
                }
                Ok(None)
            }
            Op::AddGatewayEndpoint { vpc, service, route_tables } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                let region = self.vpc(&v).map(|x| x.region.clone()).unwrap_or_default();
                let name =
                    if service.contains('.') { service.clone() } else { format!("com.amazonaws.{region}.{service}") };
                let mut tables = Vec::new();
                for t in route_tables {
                    tables.push(self.id_of(t, ResourceKind::RouteTable)?);
                }
                Ok(Some(self.add_gateway_endpoint(&v, &name, &tables, ServiceCatalog::builtin())?))
            }
            Op::AddInterfaceEndpoint { vpc, name, service, interfaces, groups, private_dns, state } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                let region = self.vpc(&v).map(|x| x.region.clone()).unwrap_or_default();
                let service_name = if service.starts_with("com.amazonaws.") {
                    service.clone()
                } else if let Ok(r) = self.resolve(service) {
                    self.endpoint_service(r.id())
                        .map(|s| s.service_name.clone())
                        .unwrap_or_else(|| format!("com.amazonaws.{region}.{service}"))
                } else {
                    format!("com.amazonaws.{region}.{service}")
                };
                let mut nics = Vec::new();
                for (s, a) in interfaces {
                    let sid = self.id_of(s, ResourceKind::Subnet)?;
                    nics.push(EndpointInterface { subnet: sid, ip: ip(a)?, eni: None, placeholder: false });
                }
                let mut gids = Vec::new();
                for g in groups {
                    gids.push(self.id_of(g, ResourceKind::SecurityGroup)?);
                }
                let id = self.new_id(ResourceKind::VpcEndpoint);
                let suffix = format!("{:08x}", fnv(&format!("{id}{service_name}")));
                self.endpoints.push(VpcEndpoint {
                    id: id.clone(),
                    name: name.clone(),
                    vpc: v,
                    kind: EndpointKind::Interface,
                    service_name,
                    state: state.unwrap_or(EndpointState::Available),
                    route_tables: Vec::new(),
                    interfaces: nics,
                    security_groups: gids,
                    private_dns_enabled: *private_dns,
                    dns_suffix: suffix,
                });
                Ok(Some(id))
            }
            Op::SetEndpointPrivateDns { endpoint, enabled } => {
                let e = self.id_of(endpoint, ResourceKind::VpcEndpoint)?;
                if let Some(x) = self.endpoints.iter_mut().find(|x| x.id == e) {
                    x.private_dns_enabled = *enabled;
                }
                Ok(None)
            }
            Op::SetEndpointState { endpoint, state } => {
                let e = self.id_of(endpoint, ResourceKind::VpcEndpoint)?;
                if let Some(x) = self.endpoints.iter_mut().find(|x| x.id == e) {
                    x.state = *state;
                }
                Ok(None)
            }
            Op::SetEndpointGroups { endpoint, groups } => {
                let e = self.id_of(endpoint, ResourceKind::VpcEndpoint)?;
                let mut gids = Vec::new();
                for g in groups {
                    gids.push(self.id_of(g, ResourceKind::SecurityGroup)?);
                }
                if let Some(x) = self.endpoints.iter_mut().find(|x| x.id == e) {
                    x.security_groups = gids;
                }
                Ok(None)
            }
            Op::AddTransitGateway { name } => {
                let id = self.new_id(ResourceKind::TransitGateway);
                let rt = self.new_id(ResourceKind::TgwRouteTable);
                self.transit_gateways.push(TransitGateway {
                    id: id.clone(),
                    name: name.clone(),
                    region: self.default_region.clone(),
                    asn: 64512,
                    default_association: true,
                    default_propagation: true,
                    default_route_table: Some(rt.clone()),
                });
                self.tgw_route_tables.push(TgwRouteTable {
                    id: rt,
                    name: format!("{name}-default"),
                    tgw: id.clone(),
                    propagations: Vec::new(),
                    static_routes: Vec::new(),
                });
                Ok(Some(id))
            }
            Op::AttachVpcToTransitGateway { tgw, vpc, subnets, name } => {
                let t = self.id_of(tgw, ResourceKind::TransitGateway)?;
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                let mut sids = Vec::new();
                for s in subnets {
                    sids.push(self.id_of(s, ResourceKind::Subnet)?);
                }
                let id = self.new_id(ResourceKind::TgwAttachment);
                let tg = self.transit_gateway(&t).cloned().ok_or_else(|| EditError::NotFound(t.clone()))?;
                let assoc = if tg.default_association { tg.default_route_table.clone() } else { None };
                self.tgw_attachments.push(TgwAttachment {
                    id: id.clone(),
                    name: name.clone(),
                    tgw: t,
                    kind: TgwAttachmentKind::Vpc { vpc: v, subnets: sids },
                    state: AttachmentState::Available,
                    association: assoc,
                    ipv6_support: false,
                });
                if tg.default_propagation {
                    if let Some(rt) =
                        tg.default_route_table.and_then(|r| self.tgw_route_tables.iter_mut().find(|x| x.id == r))
                    {
                        rt.propagations.push(id.clone());
                    }
                }
                Ok(Some(id))
            }
            Op::AddVpcIpv6Block { .. }
            | Op::SetSubnetIpv6 { .. }
            | Op::AddIpv6OnlySubnet { .. }
            | Op::SetSubnetDns64 { .. }
            | Op::AddEgressOnlyGateway { .. }
            | Op::AddInstanceIpv6 { .. }
            | Op::AddPrefixList { .. }
            | Op::SetTgwAttachmentIpv6 { .. } => self.apply_ipv6(op),
            Op::Delete { resource, cascade } => {
                let id = self.resolve(resource).map_err(EditError::NotFound)?.id().to_string();
                self.delete(&id, if *cascade { DeleteMode::Cascade } else { DeleteMode::Refuse })?;
                Ok(None)
            }
        }
    }
}

fn fnv(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_step_custom_vpc_through_ops() {
        let mut d = Design::new("t", "ap-northeast-2");
        let ops = vec![
            Op::AddVpc { name: "my-vpc".into(), cidr: "10.39.0.0/16".into(), region: None, dns_hostnames: true },
            Op::AddSubnet {
                vpc: "my-vpc".into(),
                name: "my-pub-2a".into(),
                cidr: "10.39.0.0/20".into(),
                az: "a".into(),
                public_ip_on_launch: true,
            },
            Op::AddInternetGateway { name: "my-igw".into(), vpc: Some("my-vpc".into()) },
            Op::AddRouteTable { vpc: "my-vpc".into(), name: "my-pub-rt".into(), subnets: vec!["my-pub-2a".into()] },
            Op::AddRoute { table: "my-pub-rt".into(), destination: "0.0.0.0/0".into(), target: "my-igw".into() },
        ];
        for op in &ops {
            d.apply(op).unwrap();
        }
        assert_eq!(d.subnet_route_table(&d.subnets[0].id).unwrap().name, "my-pub-rt");
        let err = d
            .apply(&Op::AddSubnet {
                vpc: "my-vpc".into(),
                name: "x".into(),
                cidr: "10.39.8.0/24".into(),
                az: "a".into(),
                public_ip_on_launch: false,
            })
            .unwrap_err();
        assert!(err.to_string().contains("overlaps my-pub-2a"), "{err}");
        let err =
            d.apply(&Op::DeleteRoute { table: "my-pub-rt".into(), destination: "10.39.0.0/16".into() }).unwrap_err();
        assert!(err.to_string().contains("R2"));
    }

    #[test]
    fn peering_status_drives_route_state() {
        let mut d = Design::new("t", "ap-northeast-2");
        d.apply(&Op::AddVpc { name: "a".into(), cidr: "10.0.0.0/16".into(), region: None, dns_hostnames: false })
            .unwrap();
        d.apply(&Op::AddVpc {
            name: "b".into(),
            cidr: "172.31.0.0/16".into(),
            region: Some("ap-northeast-1".into()),
            dns_hostnames: false,
        })
        .unwrap();
        d.apply(&Op::AddPeering {
            name: "pcx".into(),
            requester: "a".into(),
            accepter: "b".into(),
            status: PeeringStatus::PendingAcceptance,
        })
        .unwrap();
        let main_a = d.route_tables[0].name.clone();
        d.apply(&Op::AddRoute { table: main_a.clone(), destination: "172.31.0.0/16".into(), target: "pcx".into() })
            .unwrap();
        assert_eq!(d.route_tables[0].routes[1].state, RouteState::Blackhole);
        d.apply(&Op::SetPeeringStatus { peering: "pcx".into(), status: PeeringStatus::Active }).unwrap();
        assert_eq!(d.route_tables[0].routes[1].state, RouteState::Active);
    }

    #[test]
    fn overlapping_peering_fails_at_once_p2() {
        let mut d = Design::new("t", "ap-northeast-2");
        d.apply(&Op::AddVpc { name: "a".into(), cidr: "10.0.0.0/16".into(), region: None, dns_hostnames: false })
            .unwrap();
        d.apply(&Op::AddVpc { name: "b".into(), cidr: "10.0.128.0/17".into(), region: None, dns_hostnames: false })
            .unwrap();
        d.apply(&Op::AddPeering {
            name: "p".into(),
            requester: "a".into(),
            accepter: "b".into(),
            status: PeeringStatus::PendingAcceptance,
        })
        .unwrap();
        assert_eq!(d.peerings[0].status, PeeringStatus::Failed);
        assert!(d.apply(&Op::SetPeeringStatus { peering: "p".into(), status: PeeringStatus::Active }).is_err());
    }
}
