//! A terse way to build designs in code: built-in examples, labs and tests.
//!
//! Every method returns the new resource's id. Inputs are trusted (this is for code, not for
//! user input): a malformed literal CIDR or address panics with a message naming it.

use super::*;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Builds a [`Design`] step by step.
#[derive(Debug, Clone)]
pub struct DesignBuilder {
    pub design: Design,
}

fn net(s: &str) -> Ipv4Net {
    s.parse::<Ipv4Net>().unwrap_or_else(|e| panic!("builder: bad CIDR literal {s:?}: {e}")).trunc()
}

fn net6(s: &str) -> ipnet::Ipv6Net {
    s.parse::<ipnet::Ipv6Net>().unwrap_or_else(|e| panic!("builder: bad IPv6 CIDR literal {s:?}: {e}")).trunc()
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap_or_else(|e| panic!("builder: bad address literal {s:?}: {e}"))
}

impl DesignBuilder {
    pub fn new(name: &str, region: &str) -> DesignBuilder {
        DesignBuilder { design: Design::new(name, region) }
    }

    pub fn build(self) -> Design {
        self.design
    }

    /// A VPC with its main table, default NACL and default SG. DNS hostnames on.
    pub fn vpc(&mut self, name: &str, cidr: &str) -> Id {
        let region = self.design.default_region.clone();
        self.vpc_in(name, cidr, &region)
    }

    /// A VPC in a given region.
    pub fn vpc_in(&mut self, name: &str, cidr: &str, region: &str) -> Id {
        let id = self.design.add_vpc(name, region, net(cidr));
        if let Some(v) = self.design.vpcs.iter_mut().find(|v| v.id == id) {
            v.enable_dns_hostnames = true;
        }
        id
    }

    fn vpc_region(&self, vpc: &str) -> String {
        self.design.vpc(vpc).map(|v| v.region.clone()).unwrap_or_else(|| self.design.default_region.clone())
    }

    /// A subnet; `az` may be a full zone name or just its letter.
    pub fn subnet(&mut self, vpc: &str, name: &str, cidr: &str, az: &str) -> Id {
        let az = if az.len() <= 2 { format!("{}{az}", self.vpc_region(vpc)) } else { az.to_string() };
        let id = self.design.new_id(ResourceKind::Subnet);
        self.design.subnets.push(Subnet::new(id.clone(), name, vpc, net(cidr), az));
        id
    }

    /// A custom route table with the VPC's local routes.
    pub fn route_table(&mut self, vpc: &str, name: &str) -> Id {
        let cidrs: Vec<ipnet::IpNet> = self.design.vpc(vpc).map(|v| v.all_cidrs().collect()).unwrap_or_default();
        let id = self.design.new_id(ResourceKind::RouteTable);
        self.design.route_tables.push(RouteTable::new(id.clone(), name, vpc, cidrs));
        id
    }

    /// The VPC's main route table.
    pub fn main_route_table(&self, vpc: &str) -> Id {
        self.design.route_tables.iter().find(|r| r.main && r.vpc == vpc).map(|r| r.id.clone()).unwrap_or_default()
    }

    /// A static route to an IPv4 or IPv6 CIDR.
    pub fn route(&mut self, rtb: &str, cidr: &str, target: RouteTarget) {
        let dest: ipnet::IpNet = cidr.parse().unwrap_or_else(|e| panic!("builder: bad CIDR literal {cidr:?}: {e}"));
        if let Some(rt) = self.design.route_tables.iter_mut().find(|r| r.id == rtb) {
            rt.routes.push(Route::to_cidr(dest, target));
        }
    }

    /// Associate an IPv6 block with a VPC (A7): a concrete Amazon-provided /56, its local
    /// routes and the default ACL's rule 101 come with it.
    pub fn ipv6_block(&mut self, vpc: &str, cidr: &str) {
        let c = net6(cidr);
        if let Err(e) = self.design.add_vpc_ipv6_block(vpc, Some(c), Ipv6Pool::Amazon) {
            panic!("builder: {cidr}: {e}");
        }
    }

    /// Give a subnet an IPv6 block (dual-stack, A7); `cidr` empty takes the lowest free /64.
    pub fn subnet_ipv6(&mut self, subnet: &str, cidr: &str) {
        let c = (!cidr.is_empty()).then(|| net6(cidr));
        if let Err(e) = self.design.set_subnet_ipv6(subnet, c) {
            panic!("builder: {cidr}: {e}");
        }
    }

    /// An IPv6-only subnet (A7): a block and no IPv4 CIDR.
    pub fn ipv6_only_subnet(&mut self, vpc: &str, name: &str, cidr: &str, az: &str) -> Id {
        let az = if az.len() <= 2 { format!("{}{az}", self.vpc_region(vpc)) } else { az.to_string() };
        let id = self.design.new_id(ResourceKind::Subnet);
        self.design.subnets.push(Subnet::ipv6_only(id.clone(), name, vpc, net6(cidr), az));
        id
    }

    /// Add an IPv6 address to an instance's primary interface (empty: the first free one).
    pub fn instance_ipv6(&mut self, instance: &str, addr: &str) -> std::net::Ipv6Addr {
        let eni = self.primary_eni(instance);
        let a = (!addr.is_empty())
            .then(|| addr.parse().unwrap_or_else(|e| panic!("builder: bad IPv6 literal {addr:?}: {e}")));
        self.design.add_ipv6_address(&eni, a).unwrap_or_else(|e| panic!("builder: {addr}: {e}"))
    }

    /// A running instance in an IPv6-only subnet: one interface with an IPv6 address and no
    /// IPv4 one.
    pub fn ipv6_only_instance(&mut self, subnet: &str, name: &str, addr: &str, groups: &[&str]) -> Id {
        let id = self.instance(subnet, name, "0.0.0.0", groups);
        if let Some(e) = self.design.network_interfaces.iter_mut().find(|e| e.instance.as_deref() == Some(id.as_str()))
        {
            e.private_ips.clear();
        }
        self.instance_ipv6(&id, addr);
        id
    }

    /// An egress-only internet gateway for the VPC (I5).
    pub fn eigw(&mut self, vpc: &str, name: &str) -> Id {
        self.design.add_egress_only_gateway(vpc, name).unwrap_or_else(|e| panic!("builder: {e}"))
    }

    pub fn associate(&mut self, rtb: &str, subnet: &str) {
        let _ = self.design.associate_route_table(subnet, rtb);
    }

    /// An internet gateway attached to the VPC.
    pub fn igw(&mut self, vpc: &str, name: &str) -> Id {
        let id = self.design.new_id(ResourceKind::InternetGateway);
        self.design.internet_gateways.push(InternetGateway {
            id: id.clone(),
            name: name.into(),
            vpc: Some(vpc.into()),
        });
        id
    }

    /// An Elastic IP allocation.
    pub fn eip(&mut self, name: &str, public_ip: &str) -> Id {
        let id = self.design.new_id(ResourceKind::ElasticIp);
        self.design.elastic_ips.push(ElasticIp {
            id: id.clone(),
            name: name.into(),
            public_ip: ip(public_ip),
            placeholder: false,
        });
        id
    }

    /// A public NAT gateway with a new EIP.
    pub fn nat_gateway(&mut self, subnet: &str, name: &str, private_ip: &str, public_ip: &str) -> Id {
        let eip = self.eip(&format!("{name}-eip"), public_ip);
        let id = self.design.new_id(ResourceKind::NatGateway);
        self.design.nat_gateways.push(NatGateway {
            id: id.clone(),
            name: name.into(),
            subnet: subnet.into(),
            connectivity: NatConnectivity::Public,
            private_ip: ip(private_ip),
            eip: Some(eip),
            state: NatState::Available,
            placeholder: false,
        });
        id
    }

    /// A security group as AWS creates it (no inbound, all outbound).
    pub fn security_group(&mut self, vpc: &str, name: &str) -> Id {
        let id = self.design.new_id(ResourceKind::SecurityGroup);
        let g = self.design.new_security_group(id.clone(), name, vpc);
        self.design.security_groups.push(g);
        id
    }

    /// Allow TCP `port` in from an IPv4 or IPv6 CIDR.
    pub fn allow_in_tcp(&mut self, sg: &str, port: u16, cidr: &str) {
        let peer: ipnet::IpNet = cidr.parse().unwrap_or_else(|e| panic!("builder: bad CIDR literal {cidr:?}: {e}"));
        if let Some(g) = self.design.security_groups.iter_mut().find(|g| g.id == sg) {
            g.ingress.push(SgRule::tcp(port, SgPeer::Cidr(peer.trunc())));
        }
    }

    /// Add any inbound rule.
    pub fn allow_in(&mut self, sg: &str, rule: SgRule) {
        if let Some(g) = self.design.security_groups.iter_mut().find(|g| g.id == sg) {
            g.ingress.push(rule);
        }
    }

    /// Replace the outbound rules.
    pub fn set_egress(&mut self, sg: &str, rules: Vec<SgRule>) {
        if let Some(g) = self.design.security_groups.iter_mut().find(|g| g.id == sg) {
            g.egress = rules;
        }
    }

    /// A running instance with one interface at `private_ip` in the subnet, in the given
    /// groups (the VPC default group when empty). Returns the instance id.
    pub fn instance(&mut self, subnet: &str, name: &str, private_ip: &str, groups: &[&str]) -> Id {
        let id = self.design.new_id(ResourceKind::Instance);
        self.design.instances.push(Instance {
            id: id.clone(),
            name: name.into(),
            instance_type: "t3.micro".into(),
            state: InstanceState::Running,
            role: String::new(),
        });
        let eni = self.design.new_id(ResourceKind::NetworkInterface);
        let mut nic = NetworkInterface::new(eni, format!("{name}-eth0"), subnet, ip(private_ip));
        nic.instance = Some(id.clone());
        nic.security_groups = if groups.is_empty() {
            let vpc = self.design.subnet(subnet).map(|s| s.vpc.clone()).unwrap_or_default();
            self.design.default_security_group(&vpc).map(|g| vec![g.id.clone()]).unwrap_or_default()
        } else {
            groups.iter().map(|g| g.to_string()).collect()
        };
        self.design.network_interfaces.push(nic);
        id
    }

    /// The primary interface of an instance.
    pub fn primary_eni(&self, instance: &str) -> Id {
        self.design.instance_interfaces(instance).first().map(|e| e.id.clone()).unwrap_or_default()
    }

    /// Give an instance's primary interface a new EIP.
    pub fn associate_eip(&mut self, instance: &str, public_ip: &str) -> Id {
        let name = format!("{}-eip", self.design.instance(instance).map(|i| i.name.clone()).unwrap_or_default());
        let eip = self.eip(&name, public_ip);
        let eni = self.primary_eni(instance);
        if let Some(n) = self.design.network_interfaces.iter_mut().find(|n| n.id == eni) {
            n.eip = Some(eip.clone());
        }
        eip
    }

    /// Give an instance's primary interface an auto-assigned public IP.
    pub fn public_ip(&mut self, instance: &str, public_ip: &str) {
        let eni = self.primary_eni(instance);
        if let Some(n) = self.design.network_interfaces.iter_mut().find(|n| n.id == eni) {
            n.public_ip = Some(ip(public_ip));
        }
    }

    /// A custom NACL (deny all until entries are added) associated with the subnets.
    pub fn custom_nacl(&mut self, vpc: &str, name: &str, subnets: &[&str]) -> Id {
        let id = self.design.new_id(ResourceKind::NetworkAcl);
        self.design.network_acls.push(NetworkAcl::new_custom(id.clone(), name, vpc));
        for s in subnets {
            let _ = self.design.associate_network_acl(s, &id);
        }
        id
    }

    pub fn nacl_entry(&mut self, acl: &str, entry: NaclEntry) {
        if let Some(a) = self.design.network_acls.iter_mut().find(|a| a.id == acl) {
            a.entries.push(entry);
        }
    }

    /// A peering connection in the given state.
    pub fn peering(&mut self, name: &str, requester: &str, accepter: &str, status: PeeringStatus) -> Id {
        let id = self.design.new_id(ResourceKind::VpcPeering);
        self.design.peerings.push(VpcPeering {
            id: id.clone(),
            name: name.into(),
            requester_vpc: requester.into(),
            accepter_vpc: accepter.into(),
            status,
            allow_dns_resolution: false,
        });
        id
    }

    /// A gateway endpoint for a service short name (`s3`) on the given tables.
    pub fn gateway_endpoint(&mut self, vpc: &str, service: &str, route_tables: &[&str]) -> Id {
        let region = self.vpc_region(vpc);
        let tables: Vec<Id> = route_tables.iter().map(|s| s.to_string()).collect();
        self.design
            .add_gateway_endpoint(vpc, &format!("com.amazonaws.{region}.{service}"), &tables, ServiceCatalog::builtin())
            .unwrap_or_else(|e| panic!("builder: gateway endpoint: {e}"))
    }

    /// An interface endpoint with one interface per (subnet, address).
    pub fn interface_endpoint(
        &mut self,
        vpc: &str,
        service_name: &str,
        nics: &[(&str, &str)],
        groups: &[&str],
        private_dns: bool,
    ) -> Id {
        let id = self.design.new_id(ResourceKind::VpcEndpoint);
        let suffix =
            format!("{:08x}", (self.design.endpoints.len() as u32).wrapping_mul(0x9e37_79b9).wrapping_add(0x1234_5678));
        self.design.endpoints.push(VpcEndpoint {
            id: id.clone(),
            name: service_name.rsplit('.').next().unwrap_or(service_name).to_string(),
            vpc: vpc.into(),
            kind: EndpointKind::Interface,
            service_name: service_name.into(),
            state: EndpointState::Available,
            route_tables: Vec::new(),
            interfaces: nics
                .iter()
                .map(|(s, a)| EndpointInterface { subnet: s.to_string(), ip: ip(a), eni: None, placeholder: false })
                .collect(),
            security_groups: groups.iter().map(|g| g.to_string()).collect(),
            private_dns_enabled: private_dns,
            dns_suffix: suffix,
        });
        id
    }
}
