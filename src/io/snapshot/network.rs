//! VPCs, subnets, internet gateways, prefix lists and route tables.

use super::json::{arr, b, cidr, obj, s, so};
use super::{region_of_az, Ctx};
use crate::model::*;

/// `PrefixLists` (describe-prefix-lists or describe-managed-prefix-lists): AWS lists are those
/// named `com.amazonaws.…` (G1).
pub fn import_prefix_lists(cx: &mut Ctx) {
    for raw in cx.c.get("PrefixLists") {
        let v = &raw.v;
        let Some(id) = so(v, "PrefixListId") else { continue };
        let name = so(v, "PrefixListName").unwrap_or_else(|| cx.name(v, &id));
        let cidrs: Vec<ipnet::Ipv4Net> = arr(v, "Cidrs")
            .iter()
            .filter_map(|c| c.as_str()?.parse::<ipnet::Ipv4Net>().ok())
            .chain(arr(v, "Entries").iter().filter_map(|e| cidr(e, "Cidr")))
            .map(|c| c.trunc())
            .collect();
        let aws_managed = name.starts_with("com.amazonaws.");
        if cidrs.is_empty() && !aws_managed {
            cx.report.warn(
                &raw.file,
                &id,
                crate::text!(
                    "prefix list without entries (get-managed-prefix-list-entries output is not in the snapshot)"
                ),
            );
        }
        let region = cx.region(raw);
        let cidrs = cidrs.into_iter().map(ipnet::IpNet::V4).collect();
        cx.d.prefix_lists.push(PrefixList { id, name, region, cidrs, aws_managed });
    }
}

/// `Vpcs`: region from the folder, else the subnets' AZs; secondary CIDRs that are associated.
pub fn import_vpcs(cx: &mut Ctx) {
    let mut any = false;
    let regions = subnet_regions(cx);
    for raw in cx.c.get("Vpcs") {
        let v = &raw.v;
        let Some(id) = so(v, "VpcId") else { continue };
        let Some(primary) = cidr(v, "CidrBlock") else {
            cx.report.warn(&raw.file, &id, crate::text!("VPC without a readable IPv4 CidrBlock: skipped"));
            continue;
        };
        let region = raw
            .region
            .clone()
            .or_else(|| regions.get(id.as_str()).cloned())
            .unwrap_or_else(|| cx.d.default_region.clone());
        let mut vpc = Vpc::new(id.clone(), cx.name(v, &id), region, primary);
        vpc.account = so(v, "OwnerId").or_else(|| raw.account.clone());
        vpc.is_default = b(v, "IsDefault").unwrap_or(false);
        // describe-vpcs does not carry the DNS attributes: AWS's defaults (A8 for the default VPC).
        vpc.enable_dns_hostnames = vpc.is_default;
        for a in arr(v, "CidrBlockAssociationSet") {
            let state = s(obj(a, "CidrBlockState"), "State").unwrap_or("associated");
            match cidr(a, "CidrBlock") {
                Some(c) if c != primary && state == "associated" => vpc.secondary_cidrs.push(c),
                Some(c) if c != primary => {
                    cx.report.info(&raw.file, &id, crate::text!("secondary CIDR {c} is {state}: not imported"))
                }
                _ => {}
            }
        }
        vpc.ipv6_cidr_blocks = arr(v, "Ipv6CidrBlockAssociationSet")
            .iter()
            .filter(|a| s(obj(a, "Ipv6CidrBlockState"), "State").unwrap_or("associated") == "associated")
            .filter_map(|a| {
                let cidr: ipnet::Ipv6Net = s(a, "Ipv6CidrBlock")?.parse().ok()?;
                let pool = match s(a, "Ipv6Pool") {
                    Some(p) if p.starts_with("ipv6pool-") => Ipv6Pool::Byoip(p.to_string()),
                    Some(p) if p.starts_with("ipam-pool-") => Ipv6Pool::Ipam(p.to_string()),
                    _ => Ipv6Pool::Amazon,
                };
                Some(Ipv6CidrBlock { cidr: cidr.trunc(), pool, placeholder: false })
            })
            .collect();
        if let Some(st) = s(v, "State").filter(|st| *st != "available") {
            cx.report.info(&raw.file, &id, crate::text!("VPC state is {st}"));
        }
        any = true;
        cx.d.vpcs.push(vpc);
    }
    if any {
        cx.report.info("", "Vpcs", crate::text!("DNS support and hostnames are not in describe-vpcs output: assumed AWS's defaults (support on; hostnames on only in default VPCs)"));
    }
}

/// Each VPC's region from the zone of its first subnet that names one (one pass over the
/// subnets, not one per VPC).
fn subnet_regions<'a>(cx: &Ctx<'a>) -> std::collections::HashMap<&'a str, String> {
    let mut out = std::collections::HashMap::new();
    for r in cx.c.get("Subnets") {
        if let (Some(vpc), Some(az)) = (s(&r.v, "VpcId"), s(&r.v, "AvailabilityZone")) {
            out.entry(vpc).or_insert_with(|| region_of_az(az));
        }
    }
    out
}

/// `Subnets`.
pub fn import_subnets(cx: &mut Ctx) {
    for raw in cx.c.get("Subnets") {
        let v = &raw.v;
        let (Some(id), Some(vpc)) = (so(v, "SubnetId"), so(v, "VpcId")) else { continue };
        let ipv6 = arr(v, "Ipv6CidrBlockAssociationSet")
            .iter()
            .filter(|a| s(obj(a, "Ipv6CidrBlockState"), "State").unwrap_or("associated") == "associated")
            .find_map(|a| super::json::cidr6(a, "Ipv6CidrBlock"));
        let az = so(v, "AvailabilityZone").unwrap_or_else(|| format!("{}a", cx.region(raw)));
        let mut sn = match (cidr(v, "CidrBlock"), ipv6) {
            (Some(net), _) => Subnet::new(id.clone(), cx.name(v, &id), vpc, net, az),
            // A7: an IPv6-only subnet (`Ipv6Native`) has no IPv4 block.
            (None, Some(v6)) => Subnet::ipv6_only(id.clone(), cx.name(v, &id), vpc, v6, az),
            (None, None) => {
                cx.report.warn(
                    &raw.file,
                    &id,
                    crate::text!("subnet without a readable IPv4 or IPv6 CIDR block: skipped"),
                );
                continue;
            }
        };
        sn.map_public_ip_on_launch = b(v, "MapPublicIpOnLaunch").unwrap_or(false);
        sn.ipv6_cidr = ipv6;
        if let Some(x) = b(v, "AssignIpv6AddressOnCreation") {
            sn.assign_ipv6_address_on_creation = x;
        }
        sn.enable_dns64 = b(v, "EnableDns64").unwrap_or(false);
        let dns = obj(v, "PrivateDnsNameOptionsOnLaunch");
        match s(dns, "HostnameType") {
            Some("resource-name") => sn.hostname_type = HostnameType::ResourceName,
            Some("ip-name") => sn.hostname_type = HostnameType::IpName,
            _ => {}
        }
        if let Some(x) = b(dns, "EnableResourceNameDnsARecord") {
            sn.resource_name_dns_a_record = x;
        }
        if let Some(x) = b(dns, "EnableResourceNameDnsAAAARecord") {
            sn.resource_name_dns_aaaa_record = x;
        }
        cx.hints.entry(sn.vpc.clone()).or_default().region.get_or_insert_with(|| region_of_az(&sn.az));
        cx.d.subnets.push(sn);
    }
}

/// Internet gateways and egress-only internet gateways with their attachments (I1, I5).
pub fn import_gateways(cx: &mut Ctx) {
    for raw in cx.c.get("InternetGateways") {
        let v = &raw.v;
        let Some(id) = so(v, "InternetGatewayId") else { continue };
        let vpc = attached_vpc(arr(v, "Attachments"));
        cx.d.internet_gateways.push(InternetGateway { id: id.clone(), name: cx.name(v, &id), vpc });
    }
    for raw in cx.c.get("EgressOnlyInternetGateways") {
        let v = &raw.v;
        let Some(id) = so(v, "EgressOnlyInternetGatewayId") else { continue };
        match attached_vpc(arr(v, "Attachments")) {
            Some(vpc) => cx.d.egress_only_internet_gateways.push(EgressOnlyInternetGateway {
                id: id.clone(),
                name: cx.name(v, &id),
                vpc,
            }),
            None => cx.report.info(&raw.file, &id, crate::text!("egress-only internet gateway not attached: skipped")),
        }
    }
}

/// The VPC of the first live attachment (`available`, `attached` or `attaching`).
pub fn attached_vpc(attachments: &[serde_json::Value]) -> Option<String> {
    attachments
        .iter()
        .find(|a| matches!(s(a, "State"), None | Some("available" | "attached" | "attaching")))
        .and_then(|a| so(a, "VpcId"))
}

/// Route tables, their associations and routes (R1, R2, R5, R6).
pub fn import_route_tables(cx: &mut Ctx) {
    for raw in cx.c.get("RouteTables") {
        let v = &raw.v;
        let (Some(id), Some(vpc)) = (so(v, "RouteTableId"), so(v, "VpcId")) else { continue };
        let mut rt = RouteTable::new(id.clone(), cx.name(v, &id), vpc, [] as [ipnet::IpNet; 0]);
        for a in arr(v, "Associations") {
            if matches!(s(obj(a, "AssociationState"), "State"), Some("disassociated" | "disassociating" | "failed")) {
                continue;
            }
            if b(a, "Main") == Some(true) {
                rt.main = true;
            }
            if let Some(sn) = so(a, "SubnetId") {
                rt.subnets.push(sn);
            } else if let Some(g) = so(a, "GatewayId") {
                rt.gateways.push(g);
            }
        }
        rt.propagating_vgws = arr(v, "PropagatingVgws").iter().filter_map(|p| so(p, "GatewayId")).collect();
        for r in arr(v, "Routes") {
            if let Some(route) = route(cx, &raw.file, &id, r) {
                rt.routes.push(route);
            }
        }
        cx.d.route_tables.push(rt);
    }
}

fn route(cx: &mut Ctx, file: &str, rtb: &str, r: &serde_json::Value) -> Option<Route> {
    let destination = if let Some(c) = cidr(r, "DestinationCidrBlock") {
        RouteDestination::Cidr(c.into())
    } else if let Some(c) = super::json::cidr6(r, "DestinationIpv6CidrBlock") {
        // R3: an IPv6 route, looked up apart from the IPv4 ones.
        RouteDestination::Cidr(c.into())
    } else if let Some(pl) = so(r, "DestinationPrefixListId") {
        RouteDestination::PrefixList(pl)
    } else {
        cx.report.warn(file, rtb, crate::text!("a route without a readable destination: skipped"));
        return None;
    };
    let target_id = [
        "InstanceId",
        "NatGatewayId",
        "TransitGatewayId",
        "VpcPeeringConnectionId",
        "EgressOnlyInternetGatewayId",
        "NetworkInterfaceId",
        "GatewayId",
        "LocalGatewayId",
        "CarrierGatewayId",
        "CoreNetworkArn",
    ]
    .iter()
    .find_map(|k| so(r, k));
    let Some(target_id) = target_id else {
        cx.report.warn(file, rtb, crate::text!("route {destination} has no target: skipped"));
        return None;
    };
    let target = RouteTarget::from_id(&target_id);
    if matches!(target, RouteTarget::Unknown(_)) {
        cx.report.info(
            file,
            rtb,
            crate::text!("route {destination} targets {target_id}, a kind vpcraft does not model: kept as unknown"),
        );
    }
    let state = match s(r, "State") {
        Some("blackhole") => RouteState::Blackhole,
        _ => RouteState::Active,
    };
    let origin = match (s(r, "Origin"), &target, &destination) {
        (_, RouteTarget::Local, _) | (Some("CreateRouteTable"), ..) => RouteOrigin::Local,
        (Some("EnableVgwRoutePropagation"), ..) => RouteOrigin::Propagated,
        (_, RouteTarget::GatewayEndpoint(_), RouteDestination::PrefixList(_)) => RouteOrigin::EndpointManaged,
        _ => RouteOrigin::Static,
    };
    Some(Route { destination, target, state, origin })
}
