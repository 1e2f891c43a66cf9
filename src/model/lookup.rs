//! Finding resources by id or name, and the derived facts every consumer needs (which route
//! table and NACL a subnet uses, an interface's public address …).

use super::*;
use ipnet::IpNet;
use std::net::Ipv4Addr;

/// Every kind of resource the design holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ResourceKind {
    Vpc,
    Subnet,
    RouteTable,
    InternetGateway,
    EgressOnlyInternetGateway,
    NatGateway,
    ElasticIp,
    Instance,
    NetworkInterface,
    SecurityGroup,
    NetworkAcl,
    VpcPeering,
    PrefixList,
    VpcEndpoint,
    EndpointService,
    LoadBalancer,
    TargetGroup,
    TransitGateway,
    TgwAttachment,
    TgwRouteTable,
    VpnGateway,
    CustomerGateway,
    VpnConnection,
    /// AWS Network Firewall (F1).
    NetworkFirewall,
    /// A Network Firewall policy (F2, F3).
    FirewallPolicy,
    /// A Network Firewall rule group (F2–F4).
    FirewallRuleGroup,
    /// A managed data store (M1–M3): RDS, Aurora, Redshift, Neptune, DocumentDB, OpenSearch,
    /// ElastiCache.
    Database,
    /// The subnets a database service places its interfaces in (M1).
    DbSubnetGroup,
    /// Compute in a VPC (M7–M9): a Lambda function, an ECS service, an EKS cluster.
    ComputeService,
}

impl ResourceKind {
    /// Every kind, in tree order.
    pub const ALL: [ResourceKind; 29] = [
        ResourceKind::Vpc,
        ResourceKind::Subnet,
        ResourceKind::RouteTable,
        ResourceKind::InternetGateway,
        ResourceKind::EgressOnlyInternetGateway,
        ResourceKind::NatGateway,
        ResourceKind::ElasticIp,
        ResourceKind::Instance,
        ResourceKind::NetworkInterface,
        ResourceKind::SecurityGroup,
        ResourceKind::NetworkAcl,
        ResourceKind::VpcPeering,
        ResourceKind::PrefixList,
        ResourceKind::VpcEndpoint,
        ResourceKind::EndpointService,
        ResourceKind::LoadBalancer,
        ResourceKind::TargetGroup,
        ResourceKind::TransitGateway,
        ResourceKind::TgwAttachment,
        ResourceKind::TgwRouteTable,
        ResourceKind::VpnGateway,
        ResourceKind::CustomerGateway,
        ResourceKind::VpnConnection,
        ResourceKind::NetworkFirewall,
        ResourceKind::FirewallPolicy,
        ResourceKind::FirewallRuleGroup,
        ResourceKind::Database,
        ResourceKind::DbSubnetGroup,
        ResourceKind::ComputeService,
    ];

    /// The AWS id prefix for new resources of this kind.
    pub fn id_prefix(self) -> &'static str {
        match self {
            ResourceKind::Vpc => "vpc",
            ResourceKind::Subnet => "subnet",
            ResourceKind::RouteTable => "rtb",
            ResourceKind::InternetGateway => "igw",
            ResourceKind::EgressOnlyInternetGateway => "eigw",
            ResourceKind::NatGateway => "nat",
            ResourceKind::ElasticIp => "eipalloc",
            ResourceKind::Instance => "i",
            ResourceKind::NetworkInterface => "eni",
            ResourceKind::SecurityGroup => "sg",
            ResourceKind::NetworkAcl => "acl",
            ResourceKind::VpcPeering => "pcx",
            ResourceKind::PrefixList => "pl",
            ResourceKind::VpcEndpoint => "vpce",
            ResourceKind::EndpointService => "vpce-svc",
            ResourceKind::LoadBalancer => "nlb",
            ResourceKind::TargetGroup => "tg",
            ResourceKind::TransitGateway => "tgw",
            ResourceKind::TgwAttachment => "tgw-attach",
            ResourceKind::TgwRouteTable => "tgw-rtb",
            ResourceKind::VpnGateway => "vgw",
            ResourceKind::CustomerGateway => "cgw",
            ResourceKind::VpnConnection => "vpn",
            ResourceKind::NetworkFirewall => "fw",
            ResourceKind::FirewallPolicy => "fwp",
            ResourceKind::FirewallRuleGroup => "rg",
            ResourceKind::Database => "db",
            ResourceKind::DbSubnetGroup => "dbsubnet",
            // A Lambda function's, an ECS service's, an EKS cluster's own prefix is in its ops.
            ResourceKind::ComputeService => "svc",
        }
    }

    /// A managed service (M1–M9): a database, a DB subnet group or compute in a VPC. Counted,
    /// exported and validated with their own labels (`model::services`), so generic passes
    /// over resources that already handle services separately skip them.
    pub fn is_service(self) -> bool {
        matches!(self, ResourceKind::Database | ResourceKind::DbSubnetGroup | ResourceKind::ComputeService)
    }

    /// A human label, e.g. "NAT gateway".
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Vpc => "VPC",
            ResourceKind::Subnet => "subnet",
            ResourceKind::RouteTable => "route table",
            ResourceKind::InternetGateway => "internet gateway",
            ResourceKind::EgressOnlyInternetGateway => "egress-only internet gateway",
            ResourceKind::NatGateway => "NAT gateway",
            ResourceKind::ElasticIp => "Elastic IP",
            ResourceKind::Instance => "instance",
            ResourceKind::NetworkInterface => "network interface",
            ResourceKind::SecurityGroup => "security group",
            ResourceKind::NetworkAcl => "network ACL",
            ResourceKind::VpcPeering => "peering connection",
            ResourceKind::PrefixList => "prefix list",
            ResourceKind::VpcEndpoint => "VPC endpoint",
            ResourceKind::EndpointService => "endpoint service",
            ResourceKind::LoadBalancer => "load balancer",
            ResourceKind::TargetGroup => "target group",
            ResourceKind::TransitGateway => "transit gateway",
            ResourceKind::TgwAttachment => "transit gateway attachment",
            ResourceKind::TgwRouteTable => "transit gateway route table",
            ResourceKind::VpnGateway => "virtual private gateway",
            ResourceKind::CustomerGateway => "customer gateway",
            ResourceKind::VpnConnection => "VPN connection",
            ResourceKind::NetworkFirewall => "network firewall",
            ResourceKind::FirewallPolicy => "firewall policy",
            ResourceKind::FirewallRuleGroup => "firewall rule group",
            ResourceKind::Database => "database (RDS, Aurora, ElastiCache…)",
            ResourceKind::DbSubnetGroup => "DB subnet group",
            ResourceKind::ComputeService => "Lambda, ECS or EKS service",
        }
    }
}

/// A borrowed resource of any kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resource<'a> {
    Vpc(&'a Vpc),
    Subnet(&'a Subnet),
    RouteTable(&'a RouteTable),
    InternetGateway(&'a InternetGateway),
    EgressOnlyInternetGateway(&'a EgressOnlyInternetGateway),
    NatGateway(&'a NatGateway),
    ElasticIp(&'a ElasticIp),
    Instance(&'a Instance),
    NetworkInterface(&'a NetworkInterface),
    SecurityGroup(&'a SecurityGroup),
    NetworkAcl(&'a NetworkAcl),
    VpcPeering(&'a VpcPeering),
    PrefixList(&'a PrefixList),
    VpcEndpoint(&'a VpcEndpoint),
    EndpointService(&'a EndpointService),
    LoadBalancer(&'a LoadBalancer),
    TargetGroup(&'a TargetGroup),
    TransitGateway(&'a TransitGateway),
    TgwAttachment(&'a TgwAttachment),
    TgwRouteTable(&'a TgwRouteTable),
    VpnGateway(&'a VpnGateway),
    CustomerGateway(&'a CustomerGateway),
    VpnConnection(&'a VpnConnection),
    NetworkFirewall(&'a NetworkFirewall),
    FirewallPolicy(&'a FirewallPolicy),
    FirewallRuleGroup(&'a FirewallRuleGroup),
    Database(&'a Database),
    DbSubnetGroup(&'a DbSubnetGroup),
    ComputeService(&'a ComputeService),
}

macro_rules! each_resource {
    ($r:expr, $x:ident => $body:expr) => {
        match $r {
            Resource::Vpc($x) => $body,
            Resource::Subnet($x) => $body,
            Resource::RouteTable($x) => $body,
            Resource::InternetGateway($x) => $body,
            Resource::EgressOnlyInternetGateway($x) => $body,
            Resource::NatGateway($x) => $body,
            Resource::ElasticIp($x) => $body,
            Resource::Instance($x) => $body,
            Resource::NetworkInterface($x) => $body,
            Resource::SecurityGroup($x) => $body,
            Resource::NetworkAcl($x) => $body,
            Resource::VpcPeering($x) => $body,
            Resource::PrefixList($x) => $body,
            Resource::VpcEndpoint($x) => $body,
            Resource::EndpointService($x) => $body,
            Resource::LoadBalancer($x) => $body,
            Resource::TargetGroup($x) => $body,
            Resource::TransitGateway($x) => $body,
            Resource::TgwAttachment($x) => $body,
            Resource::TgwRouteTable($x) => $body,
            Resource::VpnGateway($x) => $body,
            Resource::CustomerGateway($x) => $body,
            Resource::VpnConnection($x) => $body,
            Resource::NetworkFirewall($x) => $body,
            Resource::FirewallPolicy($x) => $body,
            Resource::FirewallRuleGroup($x) => $body,
            Resource::Database($x) => $body,
            Resource::DbSubnetGroup($x) => $body,
            Resource::ComputeService($x) => $body,
        }
    };
}

impl<'a> Resource<'a> {
    pub fn id(&self) -> &'a str {
        each_resource!(*self, x => &x.id)
    }

    pub fn name(&self) -> &'a str {
        each_resource!(*self, x => &x.name)
    }

    pub fn kind(&self) -> ResourceKind {
        match self {
            Resource::Vpc(_) => ResourceKind::Vpc,
            Resource::Subnet(_) => ResourceKind::Subnet,
            Resource::RouteTable(_) => ResourceKind::RouteTable,
            Resource::InternetGateway(_) => ResourceKind::InternetGateway,
            Resource::EgressOnlyInternetGateway(_) => ResourceKind::EgressOnlyInternetGateway,
            Resource::NatGateway(_) => ResourceKind::NatGateway,
            Resource::ElasticIp(_) => ResourceKind::ElasticIp,
            Resource::Instance(_) => ResourceKind::Instance,
            Resource::NetworkInterface(_) => ResourceKind::NetworkInterface,
            Resource::SecurityGroup(_) => ResourceKind::SecurityGroup,
            Resource::NetworkAcl(_) => ResourceKind::NetworkAcl,
            Resource::VpcPeering(_) => ResourceKind::VpcPeering,
            Resource::PrefixList(_) => ResourceKind::PrefixList,
            Resource::VpcEndpoint(_) => ResourceKind::VpcEndpoint,
            Resource::EndpointService(_) => ResourceKind::EndpointService,
            Resource::LoadBalancer(_) => ResourceKind::LoadBalancer,
            Resource::TargetGroup(_) => ResourceKind::TargetGroup,
            Resource::TransitGateway(_) => ResourceKind::TransitGateway,
            Resource::TgwAttachment(_) => ResourceKind::TgwAttachment,
            Resource::TgwRouteTable(_) => ResourceKind::TgwRouteTable,
            Resource::VpnGateway(_) => ResourceKind::VpnGateway,
            Resource::CustomerGateway(_) => ResourceKind::CustomerGateway,
            Resource::VpnConnection(_) => ResourceKind::VpnConnection,
            Resource::NetworkFirewall(_) => ResourceKind::NetworkFirewall,
            Resource::FirewallPolicy(_) => ResourceKind::FirewallPolicy,
            Resource::FirewallRuleGroup(_) => ResourceKind::FirewallRuleGroup,
            Resource::Database(_) => ResourceKind::Database,
            Resource::DbSubnetGroup(_) => ResourceKind::DbSubnetGroup,
            Resource::ComputeService(_) => ResourceKind::ComputeService,
        }
    }

    /// `name (id)`, or the id alone when the name is empty or equal to it.
    pub fn display_name(&self) -> String {
        let (n, i) = (self.name(), self.id());
        if n.is_empty() || n == i {
            i.to_string()
        } else {
            format!("{n} ({i})")
        }
    }
}

/// I2: an interface's public IPv4 address is its Elastic IP's, else its auto-assigned one.
/// `eip` finds an Elastic IP by id. The one place this rule is written.
pub fn public_address<'a>(eni: &NetworkInterface, eip: impl FnOnce(&str) -> Option<&'a ElasticIp>) -> Option<Ipv4Addr> {
    eni.eip.as_deref().and_then(eip).map(|e| e.public_ip).or(eni.public_ip)
}

fn by_id<'a, T>(list: &'a [T], id: &str, get: impl Fn(&T) -> &str) -> Option<&'a T> {
    list.iter().find(|x| get(x) == id)
}

impl Design {
    /// Every resource, in tree order.
    pub fn resources(&self) -> impl Iterator<Item = Resource<'_>> {
        ResourceKind::ALL.into_iter().flat_map(move |k| self.resources_of(k))
    }

    /// Every resource of one kind, in the design's order.
    pub fn resources_of(&self, kind: ResourceKind) -> Box<dyn Iterator<Item = Resource<'_>> + '_> {
        use ResourceKind as K;
        match kind {
            K::Vpc => Box::new(self.vpcs.iter().map(Resource::Vpc)),
            K::Subnet => Box::new(self.subnets.iter().map(Resource::Subnet)),
            K::RouteTable => Box::new(self.route_tables.iter().map(Resource::RouteTable)),
            K::InternetGateway => Box::new(self.internet_gateways.iter().map(Resource::InternetGateway)),
            K::EgressOnlyInternetGateway => {
                Box::new(self.egress_only_internet_gateways.iter().map(Resource::EgressOnlyInternetGateway))
            }
            K::NatGateway => Box::new(self.nat_gateways.iter().map(Resource::NatGateway)),
            K::ElasticIp => Box::new(self.elastic_ips.iter().map(Resource::ElasticIp)),
            K::Instance => Box::new(self.instances.iter().map(Resource::Instance)),
            K::NetworkInterface => Box::new(self.network_interfaces.iter().map(Resource::NetworkInterface)),
            K::SecurityGroup => Box::new(self.security_groups.iter().map(Resource::SecurityGroup)),
            K::NetworkAcl => Box::new(self.network_acls.iter().map(Resource::NetworkAcl)),
            K::VpcPeering => Box::new(self.peerings.iter().map(Resource::VpcPeering)),
            K::PrefixList => Box::new(self.prefix_lists.iter().map(Resource::PrefixList)),
            K::VpcEndpoint => Box::new(self.endpoints.iter().map(Resource::VpcEndpoint)),
            K::EndpointService => Box::new(self.endpoint_services.iter().map(Resource::EndpointService)),
            K::LoadBalancer => Box::new(self.load_balancers.iter().map(Resource::LoadBalancer)),
            K::TargetGroup => Box::new(self.target_groups.iter().map(Resource::TargetGroup)),
            K::TransitGateway => Box::new(self.transit_gateways.iter().map(Resource::TransitGateway)),
            K::TgwAttachment => Box::new(self.tgw_attachments.iter().map(Resource::TgwAttachment)),
            K::TgwRouteTable => Box::new(self.tgw_route_tables.iter().map(Resource::TgwRouteTable)),
            K::VpnGateway => Box::new(self.vpn_gateways.iter().map(Resource::VpnGateway)),
            K::CustomerGateway => Box::new(self.customer_gateways.iter().map(Resource::CustomerGateway)),
            K::VpnConnection => Box::new(self.vpn_connections.iter().map(Resource::VpnConnection)),
            K::NetworkFirewall => Box::new(self.network_firewalls.iter().map(Resource::NetworkFirewall)),
            K::FirewallPolicy => Box::new(self.firewall_policies.iter().map(Resource::FirewallPolicy)),
            K::FirewallRuleGroup => Box::new(self.firewall_rule_groups.iter().map(Resource::FirewallRuleGroup)),
            K::Database => Box::new(self.databases.iter().map(Resource::Database)),
            K::DbSubnetGroup => Box::new(self.db_subnet_groups.iter().map(Resource::DbSubnetGroup)),
            K::ComputeService => Box::new(self.compute_services.iter().map(Resource::ComputeService)),
        }
    }

    /// How many resources of one kind the design holds.
    pub fn count_of(&self, kind: ResourceKind) -> usize {
        self.resources_of(kind).count()
    }

    /// The resource with this id.
    pub fn find(&self, id: &str) -> Option<Resource<'_>> {
        self.resources().find(|r| r.id() == id)
    }

    /// A resource by id, else by exact name, else by case-insensitive name, else by its `Name`
    /// tag (for imports whose names are Terraform addresses). An ambiguous name is an error
    /// that lists the candidates.
    pub fn resolve(&self, key: &str) -> Result<Resource<'_>, crate::l10n::Text> {
        if let Some(r) = self.find(key) {
            return Ok(r);
        }
        for pass in 0..3 {
            let hits: Vec<Resource<'_>> = self
                .resources()
                .filter(|r| match pass {
                    0 => r.name() == key,
                    1 => r.name().eq_ignore_ascii_case(key),
                    _ => self.tag_names.get(r.id()).is_some_and(|t| t == key),
                })
                .collect();
            match hits.len() {
                0 => continue,
                1 => return Ok(hits[0]),
                _ => {
                    let list: Vec<String> = hits.iter().map(|r| format!("{} {}", r.kind().label(), r.id())).collect();
                    let list = list.join(", ");
                    return Err(crate::text!("'{key}' names more than one resource: {list}; use an id"));
                }
            }
        }
        Err(crate::text!("no resource has the id or name '{key}'"))
    }

    /// A fresh id with the kind's prefix, unique in the design (`vpc-0001`, `vpc-0002` …): the
    /// kind's count plus one, stepping on while that id is taken. Each candidate costs one pass
    /// over the ids, with no set built, so adding to a large design stays cheap.
    pub fn new_id(&self, kind: ResourceKind) -> Id {
        let prefix = kind.id_prefix();
        let mut n = self.count_of(kind) + 1;
        loop {
            let id = format!("{prefix}-{n:04}");
            if self.find(&id).is_none() {
                return id;
            }
            n += 1;
        }
    }

    /// Hands out the ids [`Design::new_id`] would, one after another, without looking at the
    /// whole design for each: for adding many resources at once.
    pub fn id_allocator(&self) -> IdAllocator {
        let mut counts = std::collections::HashMap::new();
        for r in self.resources() {
            *counts.entry(r.kind()).or_insert(0) += 1;
        }
        IdAllocator { used: self.resources().map(|r| r.id().to_string()).collect(), counts }
    }

    pub fn vpc(&self, id: &str) -> Option<&Vpc> {
        by_id(&self.vpcs, id, |x| &x.id)
    }
    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        by_id(&self.subnets, id, |x| &x.id)
    }
    pub fn route_table(&self, id: &str) -> Option<&RouteTable> {
        by_id(&self.route_tables, id, |x| &x.id)
    }
    pub fn internet_gateway(&self, id: &str) -> Option<&InternetGateway> {
        by_id(&self.internet_gateways, id, |x| &x.id)
    }
    pub fn egress_only_internet_gateway(&self, id: &str) -> Option<&EgressOnlyInternetGateway> {
        by_id(&self.egress_only_internet_gateways, id, |x| &x.id)
    }
    pub fn nat_gateway(&self, id: &str) -> Option<&NatGateway> {
        by_id(&self.nat_gateways, id, |x| &x.id)
    }
    pub fn elastic_ip(&self, id: &str) -> Option<&ElasticIp> {
        by_id(&self.elastic_ips, id, |x| &x.id)
    }
    pub fn instance(&self, id: &str) -> Option<&Instance> {
        by_id(&self.instances, id, |x| &x.id)
    }
    pub fn network_interface(&self, id: &str) -> Option<&NetworkInterface> {
        by_id(&self.network_interfaces, id, |x| &x.id)
    }
    pub fn security_group(&self, id: &str) -> Option<&SecurityGroup> {
        by_id(&self.security_groups, id, |x| &x.id)
    }
    pub fn network_acl(&self, id: &str) -> Option<&NetworkAcl> {
        by_id(&self.network_acls, id, |x| &x.id)
    }
    pub fn peering(&self, id: &str) -> Option<&VpcPeering> {
        by_id(&self.peerings, id, |x| &x.id)
    }
    pub fn prefix_list(&self, id: &str) -> Option<&PrefixList> {
        by_id(&self.prefix_lists, id, |x| &x.id)
    }
    pub fn endpoint(&self, id: &str) -> Option<&VpcEndpoint> {
        by_id(&self.endpoints, id, |x| &x.id)
    }
    pub fn endpoint_service(&self, id: &str) -> Option<&EndpointService> {
        by_id(&self.endpoint_services, id, |x| &x.id)
    }
    pub fn load_balancer(&self, id: &str) -> Option<&LoadBalancer> {
        by_id(&self.load_balancers, id, |x| &x.id)
    }
    pub fn target_group(&self, id: &str) -> Option<&TargetGroup> {
        by_id(&self.target_groups, id, |x| &x.id)
    }
    pub fn transit_gateway(&self, id: &str) -> Option<&TransitGateway> {
        by_id(&self.transit_gateways, id, |x| &x.id)
    }
    pub fn tgw_attachment(&self, id: &str) -> Option<&TgwAttachment> {
        by_id(&self.tgw_attachments, id, |x| &x.id)
    }
    pub fn tgw_route_table(&self, id: &str) -> Option<&TgwRouteTable> {
        by_id(&self.tgw_route_tables, id, |x| &x.id)
    }
    pub fn vpn_gateway(&self, id: &str) -> Option<&VpnGateway> {
        by_id(&self.vpn_gateways, id, |x| &x.id)
    }
    pub fn customer_gateway(&self, id: &str) -> Option<&CustomerGateway> {
        by_id(&self.customer_gateways, id, |x| &x.id)
    }
    pub fn vpn_connection(&self, id: &str) -> Option<&VpnConnection> {
        by_id(&self.vpn_connections, id, |x| &x.id)
    }
    pub fn network_firewall(&self, id: &str) -> Option<&NetworkFirewall> {
        by_id(&self.network_firewalls, id, |x| &x.id)
    }
    pub fn firewall_policy(&self, id: &str) -> Option<&FirewallPolicy> {
        by_id(&self.firewall_policies, id, |x| &x.id)
    }
    pub fn firewall_rule_group(&self, id: &str) -> Option<&FirewallRuleGroup> {
        by_id(&self.firewall_rule_groups, id, |x| &x.id)
    }

    /// The firewall whose endpoint (`vpce-…`) this is, and the endpoint (F1).
    pub fn firewall_endpoint(&self, id: &str) -> Option<(&NetworkFirewall, &FirewallEndpoint)> {
        self.network_firewalls.iter().find_map(|f| f.endpoint(id).map(|e| (f, e)))
    }

    /// R2: whether a route more specific than local may point at `t` — a NAT gateway, a network
    /// interface (or an instance's), a Gateway Load Balancer endpoint, or a Network Firewall
    /// endpoint (a GWLB endpoint AWS manages). The destination must also be a whole subnet's CIDR.
    pub fn is_middlebox_target(&self, t: &super::RouteTarget) -> bool {
        use super::RouteTarget as T;
        match t {
            T::NatGateway(_) | T::NetworkInterface(_) | T::Instance(_) => true,
            T::GatewayEndpoint(id) => {
                self.endpoint(id).is_some_and(|e| e.kind == super::EndpointKind::GatewayLoadBalancer)
                    || self.firewall_endpoint(id).is_some()
            }
            _ => false,
        }
    }

    /// The route table a subnet uses: its explicit association, else its VPC's main table (R1).
    pub fn subnet_route_table(&self, subnet: &str) -> Option<&RouteTable> {
        if let Some(rt) = self.route_tables.iter().find(|rt| rt.subnets.iter().any(|s| s == subnet)) {
            return Some(rt);
        }
        let vpc = &self.subnet(subnet)?.vpc;
        self.route_tables.iter().find(|rt| rt.main && &rt.vpc == vpc)
    }

    /// Whether the subnet's table is its explicit association (false: the main table, implicitly).
    pub fn subnet_has_explicit_route_table(&self, subnet: &str) -> bool {
        self.route_tables.iter().any(|rt| rt.subnets.iter().any(|s| s == subnet))
    }

    /// The network ACL a subnet uses: its explicit association, else the VPC's default (L1).
    pub fn subnet_network_acl(&self, subnet: &str) -> Option<&NetworkAcl> {
        if let Some(acl) = self.network_acls.iter().find(|a| a.subnets.iter().any(|s| s == subnet)) {
            return Some(acl);
        }
        let vpc = &self.subnet(subnet)?.vpc;
        self.network_acls.iter().find(|a| a.is_default && &a.vpc == vpc)
    }

    /// The VPC's default security group (S5).
    pub fn default_security_group(&self, vpc: &str) -> Option<&SecurityGroup> {
        self.security_groups.iter().find(|g| g.is_default && g.vpc == vpc)
    }

    /// The internet gateway attached to a VPC (I1).
    pub fn vpc_internet_gateway(&self, vpc: &str) -> Option<&InternetGateway> {
        self.internet_gateways.iter().find(|g| g.vpc.as_deref() == Some(vpc))
    }

    /// The VPC a resource belongs to, when it belongs to exactly one.
    pub fn vpc_of(&self, id: &str) -> Option<&Vpc> {
        let vpc_id: &str = match self.find(id)? {
            Resource::Vpc(v) => &v.id,
            Resource::Subnet(s) => &s.vpc,
            Resource::RouteTable(r) => &r.vpc,
            Resource::InternetGateway(g) => g.vpc.as_deref()?,
            Resource::EgressOnlyInternetGateway(g) => &g.vpc,
            Resource::NatGateway(n) => n.vpc_id(self)?,
            Resource::NetworkInterface(e) => &self.subnet(&e.subnet)?.vpc,
            Resource::Instance(i) => {
                let eni = self.instance_interfaces(&i.id).into_iter().next()?;
                &self.subnet(&eni.subnet)?.vpc
            }
            Resource::SecurityGroup(g) => &g.vpc,
            Resource::NetworkAcl(a) => &a.vpc,
            Resource::VpcEndpoint(e) => &e.vpc,
            Resource::LoadBalancer(l) => &l.vpc,
            Resource::TargetGroup(t) => &t.vpc,
            Resource::VpnGateway(g) => g.vpc.as_deref()?,
            Resource::NetworkFirewall(f) => &f.vpc,
            Resource::Database(x) => &x.vpc,
            Resource::DbSubnetGroup(x) => &x.vpc,
            Resource::ComputeService(x) => &x.vpc,
            _ => return None,
        };
        self.vpc(vpc_id)
    }

    /// An instance's interfaces, primary (device 0) first.
    pub fn instance_interfaces(&self, instance: &str) -> Vec<&NetworkInterface> {
        let mut v: Vec<&NetworkInterface> =
            self.network_interfaces.iter().filter(|e| e.instance.as_deref() == Some(instance)).collect();
        v.sort_by_key(|e| e.device_index);
        v
    }

    /// The public IPv4 address of an interface: its EIP's, else its auto-assigned one (I2).
    pub fn interface_public_ip(&self, eni: &NetworkInterface) -> Option<Ipv4Addr> {
        public_address(eni, |a| self.elastic_ip(a))
    }

    /// The CIDRs of a prefix list: the design's own list, else the AWS catalog's (G1).
    pub fn prefix_list_cidrs(&self, id: &str, catalog: &ServiceCatalog) -> Vec<IpNet> {
        if let Some(pl) = self.prefix_list(id) {
            return pl.cidrs.clone();
        }
        catalog.by_prefix_list(id).map(|s| s.prefixes.iter().map(|&p| IpNet::V4(p)).collect()).unwrap_or_default()
    }

    /// A table's routes including those a VGW propagates into it (T6). Propagated routes are
    /// not stored: they follow the VPN connections.
    pub fn effective_routes(&self, rt: &RouteTable) -> Vec<Route> {
        let mut routes = rt.routes.clone();
        for vgw in &rt.propagating_vgws {
            for vpn in self.vpn_connections.iter().filter(|c| c.vpn_gateway.as_deref() == Some(vgw.as_str())) {
                let state = if vpn.state == VpnState::Available { RouteState::Active } else { RouteState::Blackhole };
                for cidr in &vpn.routes {
                    routes.push(Route {
                        destination: RouteDestination::Cidr(IpNet::V4(*cidr)),
                        target: RouteTarget::VpnGateway(vgw.clone()),
                        state,
                        origin: RouteOrigin::Propagated,
                    });
                }
            }
        }
        routes
    }

    /// Subnets of a VPC.
    pub fn vpc_subnets<'a>(&'a self, vpc: &'a str) -> impl Iterator<Item = &'a Subnet> + 'a {
        self.subnets.iter().filter(move |s| s.vpc == vpc)
    }

    /// The region's availability zones: the design's own list, else the catalog's.
    pub fn azs(&self, region: &str) -> Vec<String> {
        if let Some(r) = self.regions.iter().find(|r| r.name == region) {
            if !r.azs.is_empty() {
                return r.azs.clone();
            }
        }
        ServiceCatalog::builtin().azs(region)
    }
}

/// Fresh ids for many new resources (see [`Design::id_allocator`]). Each id handed out counts
/// as a resource of its kind, as if it had been added, so the sequence is the one repeated
/// calls of [`Design::new_id`] give while adding the resources one by one.
#[derive(Debug, Clone)]
pub struct IdAllocator {
    used: std::collections::HashSet<String>,
    counts: std::collections::HashMap<ResourceKind, usize>,
}

impl IdAllocator {
    /// The next fresh id of `kind`.
    pub fn next(&mut self, kind: ResourceKind) -> Id {
        let prefix = kind.id_prefix();
        let count = self.counts.entry(kind).or_insert(0);
        let mut n = *count + 1;
        loop {
            let id = format!("{prefix}-{n:04}");
            if self.used.insert(id.clone()) {
                *count += 1;
                return id;
            }
            n += 1;
        }
    }
}
