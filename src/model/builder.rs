//! A terse way to build designs in code: built-in examples, labs and tests.
//!
//! Every method is an [`Op`] and returns the new resource's id. Inputs are trusted (this is for
//! code, not for user input): a malformed literal CIDR or address, or a reference to nothing,
//! panics with a message naming it.

use super::ops::{Direction, NatEip, Op, PeerSpec, Ref};
use super::*;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Builds a [`Design`] step by step, one [`Op`] per step, applied as trusted code
/// ([`Design::apply_trusted`]): references must resolve, the AWS rules are not enforced, so
/// tests can build the broken designs the checks and the trace engine must handle.
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

fn id(s: &str) -> Ref {
    Ref::id(s)
}

fn ids(xs: &[&str]) -> Vec<Ref> {
    xs.iter().map(|x| Ref::id(*x)).collect()
}

/// A security group rule as the op that adds it.
fn add_rule(group: &str, direction: Direction, r: SgRule) -> Op {
    let peer = match r.peer {
        SgPeer::Cidr(c) => PeerSpec::Cidr(c),
        SgPeer::SecurityGroup { group, account: None } => PeerSpec::Group(Ref::Id(group)),
        SgPeer::SecurityGroup { group, account: Some(account) } => PeerSpec::AccountGroup { account, group },
        SgPeer::PrefixList(p) => PeerSpec::PrefixList(p),
    };
    Op::AddSgRule {
        group: id(group),
        direction,
        protocol: r.protocol,
        ports: r.ports,
        peer,
        description: r.description,
    }
}

impl DesignBuilder {
    pub fn new(name: &str, region: &str) -> DesignBuilder {
        DesignBuilder { design: Design::new(name, region) }
    }

    pub fn build(self) -> Design {
        self.design
    }

    /// Apply one op as trusted code; the id of what it created (empty when nothing).
    pub fn op(&mut self, op: Op) -> Id {
        match self.design.apply_trusted(&op) {
            Ok(a) => a.created.unwrap_or_default(),
            Err(e) => panic!("builder: {op:?}: {e}"),
        }
    }

    /// A VPC with its main table, default NACL and default SG. DNS hostnames on.
    pub fn vpc(&mut self, name: &str, cidr: &str) -> Id {
        let region = self.design.default_region.clone();
        self.vpc_in(name, cidr, &region)
    }

    /// A VPC in a given region.
    pub fn vpc_in(&mut self, name: &str, cidr: &str, region: &str) -> Id {
        self.op(Op::AddVpc {
            name: name.into(),
            cidr: net(cidr),
            region: Some(region.into()),
            dns_hostnames: true,
            dns_support: true,
            secondary_cidrs: Vec::new(),
        })
    }

    /// A subnet; `az` may be a full zone name or just its letter.
    pub fn subnet(&mut self, vpc: &str, name: &str, cidr: &str, az: &str) -> Id {
        self.op(Op::AddSubnet {
            vpc: id(vpc),
            name: name.into(),
            cidr: net(cidr),
            az: az.into(),
            public_ip_on_launch: false,
            route_table: None,
            network_acl: None,
        })
    }

    /// A custom route table with the VPC's local routes.
    pub fn route_table(&mut self, vpc: &str, name: &str) -> Id {
        self.op(Op::AddRouteTable {
            vpc: id(vpc),
            name: name.into(),
            subnets: Vec::new(),
            main: false,
            gateways: Vec::new(),
            propagating_vgws: Vec::new(),
        })
    }

    /// The VPC's main route table.
    pub fn main_route_table(&self, vpc: &str) -> Id {
        self.design.route_tables.iter().find(|r| r.main && r.vpc == vpc).map(|r| r.id.clone()).unwrap_or_default()
    }

    /// A static route to an IPv4 or IPv6 CIDR, stored as given: active, to any target, even one the design does not
    /// have (yet). The one step that is not an op: [`Op::AddRoute`] derives the state from the
    /// target (a pending peering is a blackhole, R6) and needs the target to exist, while the
    /// engine's tests need the states AWS would not produce, to check what the engine makes of
    /// them.
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
        let az = if az.len() <= 2 {
            format!(
                "{}{az}",
                self.design.vpc(vpc).map(|v| v.region.clone()).unwrap_or_else(|| self.design.default_region.clone())
            )
        } else {
            az.to_string()
        };
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
        // AddInstance gives an instance in an IPv6-only subnet the first free IPv6 address (A7);
        // the builder then puts the one asked for in its place.
        let id = self.op(Op::AddInstance {
            name: name.into(),
            subnet: id(subnet),
            private_ip: None,
            groups: ids(groups),
            public_ip: None,
            role: String::new(),
            instance_type: Some("t3.micro".into()),
            state: InstanceState::Running,
            source_dest_check: true,
        });
        if !addr.is_empty() {
            let eni = self.primary_eni(&id);
            if let Some(e) = self.design.network_interfaces.iter_mut().find(|e| e.id == eni) {
                e.ipv6_addresses.clear();
            }
            self.instance_ipv6(&id, addr);
        }
        id
    }

    /// An egress-only internet gateway for the VPC (I5).
    pub fn eigw(&mut self, vpc: &str, name: &str) -> Id {
        self.design.add_egress_only_gateway(vpc, name).unwrap_or_else(|e| panic!("builder: {e}"))
    }

    pub fn associate(&mut self, rtb: &str, subnet: &str) {
        self.op(Op::AssociateRouteTable { table: id(rtb), subnet: id(subnet) });
    }

    /// An internet gateway attached to the VPC.
    pub fn igw(&mut self, vpc: &str, name: &str) -> Id {
        self.op(Op::AddInternetGateway { name: name.into(), vpc: Some(id(vpc)) })
    }

    /// An Elastic IP allocation.
    pub fn eip(&mut self, name: &str, public_ip: &str) -> Id {
        self.op(Op::AddElasticIp { name: name.into(), public_ip: ip(public_ip), instance: None, placeholder: false })
    }

    /// A public NAT gateway with a new EIP.
    pub fn nat_gateway(&mut self, subnet: &str, name: &str, private_ip: &str, public_ip: &str) -> Id {
        self.op(Op::AddNatGateway {
            name: name.into(),
            subnet: id(subnet),
            private_ip: Some(ip(private_ip)),
            public_ip: Some(ip(public_ip)),
            eip: NatEip::New,
            connectivity: NatConnectivity::Public,
            state: NatState::Available,
        })
    }

    /// A regional NAT gateway in `vpc` with a new EIP at `public_ip` (N9); `route_table` is its
    /// own table (none: the one AWS makes, 0.0.0.0/0 → the internet gateway).
    pub fn regional_nat_gateway(&mut self, vpc: &str, name: &str, public_ip: &str, route_table: Option<&str>) -> Id {
        self.op(Op::AddRegionalNatGateway {
            name: name.into(),
            vpc: id(vpc),
            public_ip: Some(ip(public_ip)),
            eip: NatEip::New,
            route_table: route_table.map(id),
            state: NatState::Available,
        })
    }

    /// A security group as AWS creates it (no inbound, all outbound).
    pub fn security_group(&mut self, vpc: &str, name: &str) -> Id {
        self.op(Op::AddSecurityGroup { vpc: id(vpc), name: name.into(), description: String::new() })
    }

    /// Allow TCP `port` in from an IPv4 or IPv6 CIDR.
    pub fn allow_in_tcp(&mut self, sg: &str, port: u16, cidr: &str) {
        let peer: ipnet::IpNet = cidr.parse().unwrap_or_else(|e| panic!("builder: bad CIDR literal {cidr:?}: {e}"));
        self.allow_in(sg, SgRule::tcp(port, SgPeer::Cidr(peer.trunc())));
    }

    /// Add any inbound rule.
    pub fn allow_in(&mut self, sg: &str, rule: SgRule) {
        self.op(add_rule(sg, Direction::Inbound, rule));
    }

    /// Replace the outbound rules.
    pub fn set_egress(&mut self, sg: &str, rules: Vec<SgRule>) {
        let n = self.design.security_group(sg).map_or(0, |g| g.egress.len());
        for _ in 0..n {
            self.op(Op::DeleteSgRule { group: id(sg), direction: Direction::Outbound, index: 0 });
        }
        for r in rules {
            self.op(add_rule(sg, Direction::Outbound, r));
        }
    }

    /// A running instance with one interface at `private_ip` in the subnet, in the given
    /// groups (the VPC default group when empty). Returns the instance id.
    pub fn instance(&mut self, subnet: &str, name: &str, private_ip: &str, groups: &[&str]) -> Id {
        self.op(Op::AddInstance {
            name: name.into(),
            subnet: id(subnet),
            private_ip: Some(ip(private_ip)),
            groups: ids(groups),
            public_ip: None,
            role: String::new(),
            instance_type: Some("t3.micro".into()),
            state: InstanceState::Running,
            source_dest_check: true,
        })
    }

    /// The primary interface of an instance.
    pub fn primary_eni(&self, instance: &str) -> Id {
        self.design.instance_interfaces(instance).first().map(|e| e.id.clone()).unwrap_or_default()
    }

    /// Give an instance's primary interface a new EIP.
    pub fn associate_eip(&mut self, instance: &str, public_ip: &str) -> Id {
        let name = format!("{}-eip", self.design.instance(instance).map(|i| i.name.clone()).unwrap_or_default());
        self.op(Op::AddElasticIp { name, public_ip: ip(public_ip), instance: Some(id(instance)), placeholder: false })
    }

    /// Give an instance's primary interface an auto-assigned public IP.
    pub fn public_ip(&mut self, instance: &str, public_ip: &str) {
        self.op(Op::UpdateInstance {
            instance: id(instance),
            name: None,
            instance_type: None,
            state: None,
            role: None,
            private_ip: None,
            public_ip: Some(Some(ip(public_ip))),
            groups: None,
            source_dest_check: None,
        });
    }

    /// A custom NACL (deny all until entries are added) associated with the subnets.
    pub fn custom_nacl(&mut self, vpc: &str, name: &str, subnets: &[&str]) -> Id {
        self.op(Op::AddNetworkAcl { vpc: id(vpc), name: name.into(), subnets: ids(subnets) })
    }

    pub fn nacl_entry(&mut self, acl: &str, entry: NaclEntry) {
        self.op(Op::AddNaclEntry { acl: id(acl), entry });
    }

    /// A peering connection in the given state.
    pub fn peering(&mut self, name: &str, requester: &str, accepter: &str, status: PeeringStatus) -> Id {
        self.op(Op::AddPeering {
            name: name.into(),
            requester: id(requester),
            accepter: id(accepter),
            status,
            allow_dns_resolution: false,
        })
    }

    /// A gateway endpoint for a service short name (`s3`) on the given tables.
    pub fn gateway_endpoint(&mut self, vpc: &str, service: &str, route_tables: &[&str]) -> Id {
        self.op(Op::AddGatewayEndpoint {
            vpc: id(vpc),
            service: service.into(),
            route_tables: ids(route_tables),
            name: None,
            state: None,
        })
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
        let suffix =
            format!("{:08x}", (self.design.endpoints.len() as u32).wrapping_mul(0x9e37_79b9).wrapping_add(0x1234_5678));
        self.op(Op::AddInterfaceEndpoint {
            vpc: id(vpc),
            name: service_name.rsplit('.').next().unwrap_or(service_name).to_string(),
            service: service_name.into(),
            interfaces: nics.iter().map(|(s, a)| (id(s), ip(a))).collect(),
            subnets: Vec::new(),
            groups: ids(groups),
            private_dns,
            state: Some(EndpointState::Available),
            kind: Some(EndpointKind::Interface),
            dns_suffix: Some(suffix),
        })
    }
}
