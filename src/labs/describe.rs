//! One-line descriptions of edits, for `lab show` and the lab panel.

use crate::model::ops::{Direction, Op};

/// A short sentence describing an edit.
pub fn describe(op: &Op) -> String {
    match op {
        Op::AddVpc { name, cidr, region, .. } => match region {
            Some(r) => format!("create VPC {name} {cidr} in {r}"),
            None => format!("create VPC {name} {cidr}"),
        },
        Op::AddVpcCidr { vpc, cidr } => format!("add CIDR {cidr} to {vpc}"),
        Op::SetVpcDns { vpc, support, hostnames } => {
            let mut parts = Vec::new();
            if let Some(s) = support {
                parts.push(format!("DNS support {}", on(*s)));
            }
            if let Some(h) = hostnames {
                parts.push(format!("DNS hostnames {}", on(*h)));
            }
            format!("{vpc}: {}", parts.join(", "))
        }
        Op::AddSubnet { vpc, name, cidr, az, .. } => format!("create subnet {name} {cidr} in {vpc} zone {az}"),
        Op::AddInternetGateway { name, vpc } => match vpc {
            Some(v) => format!("create internet gateway {name} and attach it to {v}"),
            None => format!("create internet gateway {name}"),
        },
        Op::AttachInternetGateway { igw, vpc } => format!("attach {igw} to {vpc}"),
        Op::DetachInternetGateway { igw } => format!("detach {igw}"),
        Op::AddRouteTable { vpc, name, subnets } if subnets.is_empty() => format!("create route table {name} in {vpc}"),
        Op::AddRouteTable { vpc, name, subnets } => {
            format!("create route table {name} in {vpc} for {}", subnets.join(", "))
        }
        Op::AddRoute { table, destination, target } => format!("{table}: add route {destination} → {target}"),
        Op::DeleteRoute { table, destination } => format!("{table}: delete route {destination}"),
        Op::AssociateRouteTable { table, subnet } => format!("associate {subnet} with {table}"),
        Op::SetMainRouteTable { table } => format!("make {table} the main table"),
        Op::AddElasticIp { name, public_ip, instance } => match instance {
            Some(i) => format!("allocate Elastic IP {name} {public_ip} for {i}"),
            None => format!("allocate Elastic IP {name} {public_ip}"),
        },
        Op::AddNatGateway { name, subnet, private_ip, public_ip } => {
            format!("create NAT gateway {name} in {subnet} at {private_ip} with EIP {public_ip}")
        }
        Op::AddSecurityGroup { vpc, name, .. } => format!("create security group {name} in {vpc}"),
        Op::AddSgRule { group, direction, protocol, ports, peer } => {
            format!("{group}: allow {} {protocol} {ports} {} {peer}", dir(*direction), from_to(*direction))
        }
        Op::RemoveSgRule { group, direction, protocol, ports, .. } => {
            format!("{group}: remove {} {protocol} {ports}", dir(*direction))
        }
        Op::AddInstance { name, subnet, private_ip, public_ip, .. } => match public_ip {
            Some(p) => format!("launch {name} in {subnet} at {private_ip} (public {p})"),
            None => format!("launch {name} in {subnet} at {private_ip}"),
        },
        Op::SetSourceDestCheck { instance, enabled } => {
            format!("{instance}: source/destination check {}", on(*enabled))
        }
        Op::SetInstanceState { instance, state } => format!("{instance}: state {state:?}"),
        Op::SetInterfaceGroups { instance, groups } => format!("{instance}: security groups {}", groups.join(", ")),
        Op::AddNetworkAcl { vpc, name, .. } => format!("create network ACL {name} in {vpc}"),
        Op::AddNaclEntry { acl, entry } => format!(
            "{acl}: rule {} {} {} {} {} {}",
            entry.rule_number,
            if entry.egress { "outbound" } else { "inbound" },
            entry.action,
            entry.protocol,
            entry.ports,
            entry.cidr
        ),
        Op::AddPeering { name, requester, accepter, status } => {
            format!("request peering {name}: {requester} → {accepter} ({status})")
        }
        Op::SetPeeringStatus { peering, status } => format!("{peering}: status {status}"),
        Op::AddGatewayEndpoint { vpc, service, route_tables } => {
            format!("create gateway endpoint {service} in {vpc} on {}", route_tables.join(", "))
        }
        Op::AddInterfaceEndpoint { vpc, name, service, private_dns, .. } => {
            format!("create interface endpoint {name} for {service} in {vpc} (private DNS {})", on(*private_dns))
        }
        Op::SetEndpointPrivateDns { endpoint, enabled } => format!("{endpoint}: private DNS {}", on(*enabled)),
        Op::SetEndpointState { endpoint, state } => format!("{endpoint}: state {}", state.api_name()),
        Op::SetEndpointGroups { endpoint, groups } => format!("{endpoint}: security groups {}", groups.join(", ")),
        Op::AddTransitGateway { name } => format!("create transit gateway {name}"),
        Op::AttachVpcToTransitGateway { tgw, vpc, name, .. } => format!("attach {vpc} to {tgw} ({name})"),
        Op::AddVpcIpv6Block { vpc, cidr, .. } => match cidr {
            Some(c) => format!("associate IPv6 block {c} with {vpc}"),
            None => format!("associate an Amazon-provided IPv6 /56 with {vpc}"),
        },
        Op::SetSubnetIpv6 { subnet, cidr, .. } => match cidr {
            Some(c) => format!("give {subnet} the IPv6 block {c}"),
            None => format!("give {subnet} the next free IPv6 /64"),
        },
        Op::AddIpv6OnlySubnet { vpc, name, az, cidr, dns64 } => format!(
            "create IPv6-only subnet {name} {} in {vpc} zone {az} (DNS64 {})",
            cidr.as_deref().unwrap_or("(next free /64)"),
            on(*dns64)
        ),
        Op::SetSubnetDns64 { subnet, enabled } => format!("{subnet}: DNS64 {}", on(*enabled)),
        Op::AddEgressOnlyGateway { name, vpc } => format!("create egress-only internet gateway {name} for {vpc}"),
        Op::AddInstanceIpv6 { instance, address } => match address {
            Some(a) => format!("{instance}: add IPv6 address {a}"),
            None => format!("{instance}: add the next free IPv6 address"),
        },
        Op::AddPrefixList { name, cidrs } => format!("create prefix list {name}: {}", cidrs.join(", ")),
        Op::SetTgwAttachmentIpv6 { attachment, enabled } => format!("{attachment}: IPv6 support {}", on(*enabled)),
        Op::Delete { resource, .. } => format!("delete {resource}"),
    }
}

fn on(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn dir(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

fn from_to(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "from",
        Direction::Outbound => "to",
    }
}
