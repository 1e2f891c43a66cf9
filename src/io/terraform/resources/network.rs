//! VPCs (with what AWS creates alongside), CIDR blocks, subnets, gateways, route tables,
//! routes and their associations.

use super::{b, cidr, get, list, n, present, s, Mapper};
use crate::io::terraform::graph::Instance;
use crate::io::terraform::value::Value;
use crate::model::*;

const IPV6: &str = "IPv6 is not in the model yet (issue 14)";

/// `aws_vpc`, with its main route table, default network ACL and default security group
/// (R1, L1, S5), named `<address>.main_route_table` and so on.
pub fn vpc(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let Some(block) = cidr(v, "cidr_block") else {
        match get(v, "cidr_block") {
            Value::Unknown(w) => m.report.warn(
                "",
                &i.address,
                format!(
                    "cidr_block is known only after apply ({w}): VPC skipped; pin it with --assume {}.cidr_block=CIDR",
                    i.address
                ),
            ),
            Value::Str(t) => {
                m.report.error("", &i.address, format!("cidr_block \"{t}\" is not an IPv4 CIDR (A1): VPC skipped"))
            }
            _ => m.report.warn("", &i.address, "no IPv4 cidr_block (an IPAM pool?): VPC skipped"),
        }
        return;
    };
    let mut vpc = Vpc::new(id.clone(), &i.address, &i.region, block);
    vpc.enable_dns_support = b(v, "enable_dns_support").unwrap_or(true);
    vpc.enable_dns_hostnames = b(v, "enable_dns_hostnames").unwrap_or(false);
    m.skip_attr(i, "assign_generated_ipv6_cidr_block", IPV6);
    m.skip_attr(i, "ipv6_cidr_block", IPV6);
    m.d.vpcs.push(vpc);
    m.made(&id, ResourceKind::Vpc, m.d.vpcs.len() - 1);
    m.tag_name(&id, i);
    let companion = |k: &str, p: &str, what: &str| {
        s(v, k).map(str::to_string).unwrap_or_else(|| super::placeholder_id(p, &format!("{id}/{what}")))
    };
    let rtb = companion("main_route_table_id", "rtb", "main");
    let acl = companion("default_network_acl_id", "acl", "default-acl");
    let sg = companion("default_security_group_id", "sg", "default-sg");
    let mut rt = RouteTable::new(rtb.clone(), format!("{}.main_route_table", i.address), id.clone(), [block]);
    rt.main = true;
    m.d.route_tables.push(rt);
    m.made(&rtb, ResourceKind::RouteTable, m.d.route_tables.len() - 1);
    m.d.network_acls.push(NetworkAcl::new_default(
        acl.clone(),
        format!("{}.default_network_acl", i.address),
        id.clone(),
    ));
    m.made(&acl, ResourceKind::NetworkAcl, m.d.network_acls.len() - 1);
    let mut g = SecurityGroup::new(sg.clone(), format!("{}.default_security_group", i.address), id.clone());
    g.is_default = true;
    g.description = "default VPC security group".into();
    g.ingress.push(SgRule::allow_all_to(SgPeer::group(sg.clone())));
    m.d.security_groups.push(g);
    m.made(&sg, ResourceKind::SecurityGroup, m.d.security_groups.len() - 1);
}

/// `aws_vpc_ipv4_cidr_block_association`: a secondary CIDR (A2) and its local routes (R2).
pub fn cidr_association(m: &mut Mapper, i: &Instance) {
    let Some(vpc) = m.vpc_of(i, "vpc_id") else { return };
    let Some(c) = cidr(&i.values, "cidr_block") else {
        m.report.warn("", &i.address, "no literal IPv4 cidr_block (an IPAM pool?): skipped");
        return;
    };
    if let Err(e) = m.d.add_vpc_cidr(&vpc, c) {
        m.report.warn("", &i.address, format!("secondary CIDR {c} not added: {e}"));
    }
}

/// IPv6 blocks: reported, not modelled yet.
pub fn ipv6_only(m: &mut Mapper, i: &Instance) {
    m.report.info("", &i.address, format!("{IPV6}: skipped"));
}

/// `aws_subnet` (A5).
pub fn subnet(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let Some(vpc) = m.vpc_of(i, "vpc_id") else {
        m.report.warn("", &i.address, "subnet without a usable vpc_id: skipped");
        return;
    };
    let Some(block) = cidr(v, "cidr_block") else {
        match get(v, "cidr_block") {
            Value::Str(t) => {
                m.report.error("", &i.address, format!("cidr_block \"{t}\" is not an IPv4 CIDR (A5): subnet skipped"))
            }
            Value::Unknown(w) => {
                m.report.warn("", &i.address, format!("cidr_block is known only after apply ({w}): subnet skipped"))
            }
            _ => m.report.info("", &i.address, format!("an IPv6-only subnet: {IPV6}; skipped")),
        }
        return;
    };
    let az = match (s(v, "availability_zone"), s(v, "availability_zone_id")) {
        (Some(az), _) => az.to_string(),
        (None, Some(zid)) => {
            let zones = ServiceCatalog::builtin().azs(&i.region);
            let k = zid.rsplit("az").next().and_then(|x| x.parse::<usize>().ok()).unwrap_or(1).saturating_sub(1);
            let az = zones.get(k).cloned().unwrap_or_else(|| format!("{}a", i.region));
            m.report.info("", &i.address, format!("zone id {zid} taken as {az} (zone ids map to names per account)"));
            az
        }
        _ => {
            let az = format!("{}a", i.region);
            m.report.info("", &i.address, format!("no availability zone: placed in {az} (AWS would choose one)"));
            az
        }
    };
    let mut sn = Subnet::new(id.clone(), &i.address, vpc, block, az);
    sn.map_public_ip_on_launch = b(v, "map_public_ip_on_launch").unwrap_or(false);
    m.skip_attr(i, "ipv6_cidr_block", IPV6);
    m.d.subnets.push(sn);
    m.made(&id, ResourceKind::Subnet, m.d.subnets.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_internet_gateway` (I1).
pub fn internet_gateway(m: &mut Mapper, i: &Instance) {
    let Some(id) = s(&i.values, "id").map(str::to_string) else { return };
    let vpc = if present(&i.values, "vpc_id") { m.vpc_of(i, "vpc_id") } else { None };
    m.d.internet_gateways.push(InternetGateway { id: id.clone(), name: i.address.clone(), vpc });
    m.made(&id, ResourceKind::InternetGateway, m.d.internet_gateways.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_internet_gateway_attachment`.
pub fn internet_gateway_attachment(m: &mut Mapper, i: &Instance) {
    let (Some(g), Some(vpc)) =
        (m.id_of(i, "internet_gateway_id", Some(ResourceKind::InternetGateway)), m.vpc_of(i, "vpc_id"))
    else {
        return;
    };
    match m.d.internet_gateways.iter_mut().find(|x| x.id == g) {
        Some(x) => x.vpc = Some(vpc),
        None => {
            m.report.info("", &i.address, format!("attaches {g}, which the configuration does not create: skipped"))
        }
    }
}

/// `aws_egress_only_internet_gateway` (I5).
pub fn egress_only_gateway(m: &mut Mapper, i: &Instance) {
    let Some(id) = s(&i.values, "id").map(str::to_string) else { return };
    let Some(vpc) = m.vpc_of(i, "vpc_id") else { return };
    m.d.egress_only_internet_gateways.push(EgressOnlyInternetGateway { id: id.clone(), name: i.address.clone(), vpc });
    m.made(&id, ResourceKind::EgressOnlyInternetGateway, m.d.egress_only_internet_gateways.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_vpn_gateway` (T6).
pub fn vpn_gateway(m: &mut Mapper, i: &Instance) {
    let Some(id) = s(&i.values, "id").map(str::to_string) else { return };
    let vpc = if present(&i.values, "vpc_id") { m.vpc_of(i, "vpc_id") } else { None };
    let asn = n(&i.values, "amazon_side_asn").and_then(|a| u32::try_from(a).ok()).unwrap_or(64512);
    m.d.vpn_gateways.push(VpnGateway { id: id.clone(), name: i.address.clone(), vpc, asn });
    m.made(&id, ResourceKind::VpnGateway, m.d.vpn_gateways.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_vpn_gateway_attachment`.
pub fn vpn_gateway_attachment(m: &mut Mapper, i: &Instance) {
    let (Some(g), Some(vpc)) = (m.id_of(i, "vpn_gateway_id", Some(ResourceKind::VpnGateway)), m.vpc_of(i, "vpc_id"))
    else {
        return;
    };
    if let Some(x) = m.d.vpn_gateways.iter_mut().find(|x| x.id == g) {
        x.vpc = Some(vpc);
    }
}

/// `aws_customer_gateway` (T6).
pub fn customer_gateway(m: &mut Mapper, i: &Instance) {
    let Some(id) = s(&i.values, "id").map(str::to_string) else { return };
    let Some(ip) = super::ip(&i.values, "ip_address") else {
        m.report.warn("", &i.address, "customer gateway without an IPv4 ip_address: skipped");
        return;
    };
    let bgp_asn = n(&i.values, "bgp_asn").and_then(|a| u32::try_from(a).ok()).unwrap_or(65000);
    m.d.customer_gateways.push(CustomerGateway { id: id.clone(), name: i.address.clone(), ip, bgp_asn });
    m.made(&id, ResourceKind::CustomerGateway, m.d.customer_gateways.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_route_table` (R1, R2); its inline routes come last, once every target exists.
pub fn route_table(m: &mut Mapper, i: &Instance) {
    let Some(id) = s(&i.values, "id").map(str::to_string) else { return };
    let Some(vpc) = m.vpc_of(i, "vpc_id") else { return };
    let cidrs = m.vpc_cidrs(&vpc);
    m.d.route_tables.push(RouteTable::new(id.clone(), &i.address, vpc, cidrs));
    m.made(&id, ResourceKind::RouteTable, m.d.route_tables.len() - 1);
    m.tag_name(&id, i);
    propagating(m, i, &id);
}

fn propagating(m: &mut Mapper, i: &Instance, table: &str) {
    let vgws = m.ids_of(i, "propagating_vgws", Some(ResourceKind::VpnGateway));
    if let Some(t) = m.table_mut(table) {
        for g in vgws {
            if !t.propagating_vgws.contains(&g) {
                t.propagating_vgws.push(g);
            }
        }
    }
}

/// `aws_default_route_table`: Terraform adopts the VPC's main table and replaces its routes
/// with exactly those listed (the local routes stay, R2).
pub fn default_route_table(m: &mut Mapper, i: &Instance) {
    let Some(id) = m.id_of(i, "default_route_table_id", Some(ResourceKind::RouteTable)) else { return };
    let address = i.address.clone();
    let Some(t) = m.table_mut(&id) else {
        m.report.info("", &i.address, format!("adopts {id}, which the configuration does not create: skipped"));
        return;
    };
    t.name = address;
    t.routes.retain(Route::is_local);
    t.propagating_vgws.clear();
    propagating(m, i, &id);
    m.tag_name(&id, i);
}

/// `aws_main_route_table_association`: the table becomes its VPC's main table (R1).
pub fn main_association(m: &mut Mapper, i: &Instance) {
    let Some(rt) = m.id_of(i, "route_table_id", Some(ResourceKind::RouteTable)) else { return };
    if let Err(e) = m.d.set_main_route_table(&rt) {
        m.report.warn("", &i.address, format!("not made: {e}"));
    }
}

/// `aws_route_table_association`: a subnet (R1) or an edge gateway (R10).
pub fn association(m: &mut Mapper, i: &Instance) {
    let Some(rt) = m.id_of(i, "route_table_id", Some(ResourceKind::RouteTable)) else { return };
    if present(&i.values, "gateway_id") {
        let Some(g) = m.id_of(i, "gateway_id", None) else { return };
        if let Some(t) = m.table_mut(&rt) {
            t.gateways.push(g);
        }
        return;
    }
    let sv = get(&i.values, "subnet_id").clone();
    let Some(subnet) = m.subnet_of(i, &sv, "subnet_id") else { return };
    let (Some(tv), Some(sv)) = (m.table_mut(&rt).map(|t| t.vpc.clone()), m.subnet_vpc(&subnet)) else {
        m.report.info("", &i.address, format!("associates {rt}, which the configuration does not create: skipped"));
        return;
    };
    if tv != sv {
        m.report.error("", &i.address, format!("{rt} belongs to {tv}, but {subnet} is in {sv} (R1): not associated"));
        return;
    }
    if let Some(old) = m.assoc.insert(subnet.clone(), rt.clone()) {
        if let Some(t) = m.table_mut(&old) {
            t.subnets.retain(|x| *x != subnet);
        }
    }
    if let Some(t) = m.table_mut(&rt) {
        t.subnets.push(subnet);
    }
}

/// `aws_vpn_gateway_route_propagation` (T6).
pub fn propagation(m: &mut Mapper, i: &Instance) {
    let (Some(g), Some(rt)) = (
        m.id_of(i, "vpn_gateway_id", Some(ResourceKind::VpnGateway)),
        m.id_of(i, "route_table_id", Some(ResourceKind::RouteTable)),
    ) else {
        return;
    };
    if let Some(t) = m.table_mut(&rt) {
        if !t.propagating_vgws.contains(&g) {
            t.propagating_vgws.push(g);
        }
    }
}

/// The `route` blocks of `aws_route_table` and `aws_default_route_table`.
pub fn inline_routes(m: &mut Mapper, i: &Instance) {
    let table = match i.ty.as_str() {
        "aws_default_route_table" => s(&i.values, "default_route_table_id"),
        _ => s(&i.values, "id"),
    };
    let Some(table) = table.map(str::to_string) else { return };
    for r in list(&i.values, "route").into_iter().cloned().collect::<Vec<_>>() {
        add_route(m, i, &table, &r, "cidr_block", "ipv6_cidr_block");
    }
}

/// `aws_route` (R5).
pub fn route(m: &mut Mapper, i: &Instance) {
    let Some(table) = m.id_of(i, "route_table_id", Some(ResourceKind::RouteTable)) else { return };
    let v = i.values.clone();
    add_route(m, i, &table, &v, "destination_cidr_block", "destination_ipv6_cidr_block");
}

/// The target keys of a route, in the order the provider reads them.
const TARGETS: &[&str] = &[
    "gateway_id",
    "nat_gateway_id",
    "network_interface_id",
    "instance_id",
    "vpc_peering_connection_id",
    "transit_gateway_id",
    "vpc_endpoint_id",
    "egress_only_gateway_id",
    "carrier_gateway_id",
    "local_gateway_id",
    "core_network_arn",
];

fn add_route(m: &mut Mapper, i: &Instance, table: &str, r: &Value, cidr_key: &str, v6_key: &str) {
    let destination = if let Some(c) = cidr(r, cidr_key) {
        RouteDestination::Cidr(c.into())
    } else if let Some(pl) = s(r, "destination_prefix_list_id") {
        RouteDestination::PrefixList(pl.to_string())
    } else if s(r, v6_key).is_some() {
        m.report.info("", &i.address, format!("a route to {}: {IPV6}; skipped", s(r, v6_key).unwrap_or_default()));
        return;
    } else {
        let w = [cidr_key, "destination_prefix_list_id"]
            .iter()
            .find_map(|k| r.get(k).and_then(Value::first_unknown).map(str::to_string));
        m.report.warn(
            "",
            &i.address,
            match w {
                Some(w) => format!("a route whose destination is known only after apply ({w}): skipped"),
                None => "a route without an IPv4 destination: skipped".to_string(),
            },
        );
        return;
    };
    let Some((key, v)) = TARGETS
        .iter()
        .find_map(|k| r.get(k).filter(|v| !v.is_null() && v.as_str() != Some("")).map(|v| (*k, v.clone())))
    else {
        m.report.warn("", &i.address, format!("the route to {destination} has no target: skipped"));
        return;
    };
    let Some(id) = m.id_value(i, key, &v, None) else { return };
    if key == "gateway_id" && id == "local" {
        return;
    }
    let kind = m.kinds.get(&id).copied();
    let target = match (key, kind) {
        // EC2 stores a NAT gateway named in gateway_id as a NAT route.
        (_, Some(ResourceKind::NatGateway)) => RouteTarget::NatGateway(id),
        (_, Some(ResourceKind::InternetGateway)) => RouteTarget::InternetGateway(id),
        (_, Some(ResourceKind::VpnGateway)) => RouteTarget::VpnGateway(id),
        (_, Some(ResourceKind::EgressOnlyInternetGateway)) => RouteTarget::EgressOnlyInternetGateway(id),
        (_, Some(ResourceKind::VpcEndpoint)) => RouteTarget::GatewayEndpoint(id),
        (_, Some(ResourceKind::NetworkInterface)) => RouteTarget::NetworkInterface(id),
        (_, Some(ResourceKind::Instance)) => RouteTarget::Instance(id),
        (_, Some(ResourceKind::VpcPeering)) => RouteTarget::VpcPeering(id),
        (_, Some(ResourceKind::TransitGateway)) => RouteTarget::TransitGateway(id),
        ("nat_gateway_id", _) => RouteTarget::NatGateway(id),
        ("network_interface_id", _) => RouteTarget::NetworkInterface(id),
        ("instance_id", _) => RouteTarget::Instance(id),
        ("vpc_peering_connection_id", _) => RouteTarget::VpcPeering(id),
        ("transit_gateway_id", _) => RouteTarget::TransitGateway(id),
        ("vpc_endpoint_id", _) => RouteTarget::GatewayEndpoint(id),
        ("egress_only_gateway_id", _) => RouteTarget::EgressOnlyInternetGateway(id),
        ("gateway_id", _) => RouteTarget::from_id(&id),
        _ => RouteTarget::Unknown(id),
    };
    match m.table_mut(table) {
        Some(t) => t.routes.push(Route { destination, target, state: RouteState::Active, origin: RouteOrigin::Static }),
        None => m.report.info(
            "",
            &i.address,
            format!("a route in {table}, which the configuration does not create: skipped"),
        ),
    }
}
