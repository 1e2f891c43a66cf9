//! One-line descriptions of edits, for `lab show` and the lab panel.

use crate::model::ops::{Direction, NatEip, Op, PeerSpec, Ref};

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
        Op::AddRouteTable { vpc, name, subnets, .. } if subnets.is_empty() => {
            format!("create route table {name} in {vpc}")
        }
        Op::AddRouteTable { vpc, name, subnets, .. } => {
            format!("create route table {name} in {vpc} for {}", join(subnets))
        }
        Op::AddRoute { table, destination, target } => format!("{table}: add route {destination} → {target}"),
        Op::DeleteRoute { table, destination } => format!("{table}: delete route {destination}"),
        Op::AssociateRouteTable { table, subnet } => format!("associate {subnet} with {table}"),
        Op::SetMainRouteTable { table } => format!("make {table} the main table"),
        Op::AddElasticIp { name, public_ip, instance, .. } => match instance {
            Some(i) => format!("allocate Elastic IP {name} {public_ip} for {i}"),
            None => format!("allocate Elastic IP {name} {public_ip}"),
        },
        Op::AddNatGateway { name, subnet, private_ip, public_ip, eip, .. } => {
            let at = private_ip.map_or_else(|| "the first free address".to_string(), |ip| ip.to_string());
            match (eip, public_ip) {
                (NatEip::New, Some(p)) => format!("create NAT gateway {name} in {subnet} at {at} with EIP {p}"),
                (NatEip::Existing(e), _) => format!("create NAT gateway {name} in {subnet} at {at} with EIP {e}"),
                (NatEip::New, None) => format!("create NAT gateway {name} in {subnet} at {at} with a new EIP"),
                (NatEip::None, _) => format!("create private NAT gateway {name} in {subnet} at {at}"),
            }
        }
        Op::AddSecurityGroup { vpc, name, .. } => format!("create security group {name} in {vpc}"),
        Op::AddSgRule { group, direction, protocol, ports, peer, .. } => {
            format!("{group}: allow {} {protocol} {ports} {} {}", dir(*direction), from_to(*direction), peer_text(peer))
        }
        Op::RemoveSgRule { group, direction, protocol, ports, .. } => {
            format!("{group}: remove {} {protocol} {ports}", dir(*direction))
        }
        Op::AddInstance { name, subnet, private_ip, public_ip, .. } => {
            let at = private_ip.map_or_else(|| "the first free address".to_string(), |ip| ip.to_string());
            match public_ip {
                Some(p) => format!("launch {name} in {subnet} at {at} (public {p})"),
                None => format!("launch {name} in {subnet} at {at}"),
            }
        }
        Op::SetSourceDestCheck { instance, enabled } => {
            format!("{instance}: source/destination check {}", on(*enabled))
        }
        Op::SetInstanceState { instance, state } => format!("{instance}: state {state:?}"),
        Op::SetInterfaceGroups { instance, groups } => format!("{instance}: security groups {}", join(groups)),
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
        Op::AddPeering { name, requester, accepter, status, .. } => {
            format!("request peering {name}: {requester} → {accepter} ({status})")
        }
        Op::SetPeeringStatus { peering, status } => format!("{peering}: status {status}"),
        Op::AddGatewayEndpoint { vpc, service, route_tables, .. } => {
            format!("create gateway endpoint {service} in {vpc} on {}", join(route_tables))
        }
        Op::AddInterfaceEndpoint { vpc, name, service, private_dns, .. } => {
            format!("create interface endpoint {name} for {service} in {vpc} (private DNS {})", on(*private_dns))
        }
        Op::SetEndpointPrivateDns { endpoint, enabled } => format!("{endpoint}: private DNS {}", on(*enabled)),
        Op::SetEndpointState { endpoint, state } => format!("{endpoint}: state {}", state.api_name()),
        Op::SetEndpointGroups { endpoint, groups } => format!("{endpoint}: security groups {}", join(groups)),
        Op::AddTransitGateway { name, .. } => format!("create transit gateway {name}"),
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
            cidr.map_or("(next free /64)".to_string(), |c| c.to_string()),
            on(*dns64)
        ),
        Op::SetSubnetDns64 { subnet, enabled } => format!("{subnet}: DNS64 {}", on(*enabled)),
        Op::AddInstanceIpv6 { instance, address } => match address {
            Some(a) => format!("{instance}: add IPv6 address {a}"),
            None => format!("{instance}: add the next free IPv6 address"),
        },
        Op::RemoveVpcIpv6Block { vpc, cidr } => format!("disassociate IPv6 block {cidr} from {vpc}"),
        Op::RemoveSubnetIpv6 { subnet } => format!("remove the IPv6 block of {subnet}"),
        Op::SetIpv6Addresses { resource, addresses } => {
            format!(
                "{resource}: IPv6 addresses {}",
                if addresses.is_empty() {
                    "none".to_string()
                } else {
                    addresses.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")
                }
            )
        }
        Op::SetTgwAttachmentIpv6 { attachment, enabled } => format!("{attachment}: IPv6 support {}", on(*enabled)),
        Op::Delete { resource, .. } => format!("delete {resource}"),
        other => generic(other),
    }
}

fn join(refs: &[Ref]) -> String {
    refs.iter().map(Ref::key).collect::<Vec<_>>().join(", ")
}

fn peer_text(p: &PeerSpec) -> String {
    match p {
        PeerSpec::Cidr(c) => c.to_string(),
        PeerSpec::Group(r) => r.key().to_string(),
        PeerSpec::AccountGroup { account, group } => format!("{account}/{group}"),
        PeerSpec::PrefixList(pl) => pl.clone(),
    }
}

/// The ops the labs do not use yet: the op's name and what it changes.
fn generic(op: &Op) -> String {
    let text = format!("{op:?}");
    let name = text.split([' ', '{', '(']).next().unwrap_or_default();
    let mut words = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    words
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
