//! VPCs, CIDR blocks, subnets, gateways, route tables, routes and their associations.

use super::values::{b, cidr, list, n, p, s, Found};
use super::Cx;
use crate::l10n::AsText;
use crate::model::*;

/// A `CidrBlock` written as a literal that is not an IPv4 CIDR: an error with its position,
/// not a silent skip.
fn bad_cidr_literal(r: &crate::io::cfn::EvaluatedResource, key: &str) -> Option<crate::l10n::Text> {
    let text = r.properties.get(key)?.as_str()?;
    if text.contains(':') {
        return None; // IPv6 is reported separately.
    }
    match crate::net::parse_cidr(text) {
        Ok(_) => None,
        Err(e) => Some(
            crate::text!("line {}, column {}: {key} '{text}' is not an IPv4 CIDR: {e}; skipped", r.line, r.column)
                .with("e", e.text()),
        ),
    }
}

/// VPCs (with what AWS creates alongside), their extra CIDR blocks and subnets.
pub fn vpcs_and_subnets(cx: &mut Cx) {
    let mut made = Vec::new();
    for r in cx.of_type("AWS::EC2::VPC") {
        let id = cx.id(&r.logical_id);
        if let Some(msg) = bad_cidr_literal(r, "CidrBlock") {
            cx.report.error("", &r.logical_id, msg);
            cx.ids.remove(&r.logical_id);
            continue;
        }
        let Some(block) = cidr(&r.properties, "CidrBlock") else {
            cx.report.warn(
                "",
                &r.logical_id,
                crate::text!("VPC without a literal IPv4 CidrBlock (an IPAM pool?): skipped"),
            );
            cx.ids.remove(&r.logical_id);
            continue;
        };
        let mut v = Vpc::new(id.clone(), &r.logical_id, cx.region.clone(), block);
        v.enable_dns_support = b(&r.properties, "EnableDnsSupport").unwrap_or(true);
        v.enable_dns_hostnames = b(&r.properties, "EnableDnsHostnames").unwrap_or(false);
        cx.d.vpcs.push(v);
        made.push(id);
    }
    // What AWS creates with every VPC (R1, L1, S5), so `Fn::GetAtt VPC.DefaultSecurityGroup`
    // and implicit main-table subnets resolve (in one pass: thousands of VPCs stay linear).
    cx.d.add_companions_of_all(&made);
    // After the companions, which an IPv6 block gives their IPv6 rules (L4, S4).
    let blocks = cx.ipv6_vpc_blocks();
    for r in cx.of_type("AWS::EC2::VPCCidrBlock") {
        if blocks.contains_key(&r.logical_id)
            || ["AmazonProvidedIpv6CidrBlock", "Ipv6CidrBlock", "Ipv6Pool", "Ipv6IpamPoolId"]
                .iter()
                .any(|k| !p(&r.properties, k).is_null())
        {
            continue; // IPv6, read by ipv6_vpc_blocks
        }
        let Some(vpc) = cx.resolve(p(&r.properties, "VpcId"), ResourceKind::Vpc, &r.logical_id) else { continue };
        match cidr(&r.properties, "CidrBlock") {
            Some(c) => {
                if let Err(e) = cx.d.add_vpc_cidr(&vpc, c) {
                    cx.report.warn(
                        "",
                        &r.logical_id,
                        crate::text!("secondary CIDR {c} not added: {e}").with("e", e.as_text()),
                    );
                }
            }
            None => cx.report.info("", &r.logical_id, crate::text!("IPAM IPv4 CIDR block: not modelled, skipped")),
        }
    }
    for r in cx.of_type("AWS::EC2::Subnet") {
        let id = cx.id(&r.logical_id);
        let Some(vpc) = cx.vpc_prop(&r.properties, "VpcId", &r.logical_id) else {
            cx.report.warn("", &r.logical_id, crate::text!("subnet without a usable VpcId: skipped"));
            continue;
        };
        if let Some(msg) = bad_cidr_literal(r, "CidrBlock") {
            cx.report.error("", &r.logical_id, msg);
            continue;
        }
        let block = cidr(&r.properties, "CidrBlock");
        let ipv6_only = b(&r.properties, "Ipv6Native") == Some(true)
            || (block.is_none() && !p(&r.properties, "Ipv6CidrBlock").is_null());
        if block.is_none() && !ipv6_only {
            cx.report.warn("", &r.logical_id, crate::text!("subnet without a literal IPv4 CidrBlock: skipped"));
            continue;
        }
        let az = match s(&r.properties, "AvailabilityZone") {
            Some(az) => az.to_string(),
            None => {
                let az = format!("{}a", cx.region);
                cx.report.info("", &r.logical_id, crate::text!("no availability zone name: placed in {az}"));
                az
            }
        };
        let mut sn = match block {
            // A7: an IPv6-only subnet has no IPv4 block; its hostnames are resource names.
            Some(block) if !ipv6_only => Subnet::new(id, &r.logical_id, vpc, block, az),
            _ => {
                let mut sn = Subnet::ipv6_only(id, &r.logical_id, vpc, ipnet::Ipv6Net::default(), az);
                sn.ipv6_cidr = None;
                sn
            }
        };
        sn.map_public_ip_on_launch = b(&r.properties, "MapPublicIpOnLaunch").unwrap_or(false);
        cx.ipv6_subnet_props(&mut sn, r, &blocks);
        if sn.is_ipv6_only() && sn.ipv6_cidr.is_none() {
            cx.report.warn(
                "",
                &r.logical_id,
                crate::text!("an IPv6-only subnet without a usable Ipv6CidrBlock: skipped (A7)"),
            );
            continue;
        }
        cx.d.subnets.push(sn);
    }
    cx.ipv6_subnet_blocks(&blocks);
}

/// Internet, egress-only and VPN gateways with their attachments; customer gateways.
pub fn gateways(cx: &mut Cx) {
    for r in cx.of_type("AWS::EC2::InternetGateway") {
        cx.d.internet_gateways.push(InternetGateway {
            id: cx.id(&r.logical_id),
            name: r.logical_id.clone(),
            vpc: None,
        });
    }
    for r in cx.of_type("AWS::EC2::EgressOnlyInternetGateway") {
        if let Some(vpc) = cx.vpc_prop(&r.properties, "VpcId", &r.logical_id) {
            cx.d.egress_only_internet_gateways.push(EgressOnlyInternetGateway {
                id: cx.id(&r.logical_id),
                name: r.logical_id.clone(),
                vpc,
            });
        }
    }
    for r in cx.of_type("AWS::EC2::VPNGateway") {
        let asn = n(&r.properties, "AmazonSideAsn").and_then(|a| u32::try_from(a).ok()).unwrap_or(64512);
        cx.d.vpn_gateways.push(VpnGateway { id: cx.id(&r.logical_id), name: r.logical_id.clone(), vpc: None, asn });
    }
    for r in cx.of_type("AWS::EC2::CustomerGateway") {
        let Some(ip) = super::values::ip(&r.properties, "IpAddress") else {
            cx.report.warn("", &r.logical_id, crate::text!("customer gateway without an IPv4 address: skipped"));
            continue;
        };
        let bgp_asn = n(&r.properties, "BgpAsn").and_then(|a| u32::try_from(a).ok()).unwrap_or(65000);
        cx.d.customer_gateways.push(CustomerGateway {
            id: cx.id(&r.logical_id),
            name: r.logical_id.clone(),
            ip,
            bgp_asn,
        });
    }
    for r in cx.of_type("AWS::EC2::VPCGatewayAttachment") {
        let Some(vpc) = cx.vpc_prop(&r.properties, "VpcId", &r.logical_id) else { continue };
        for key in ["InternetGatewayId", "VpnGatewayId"] {
            let v = p(&r.properties, key);
            if v.is_null() {
                continue;
            }
            let id = match cx.lookup(v, &r.logical_id) {
                Some(Found::Design(_, id)) | Some(Found::External(id)) => id,
                None => continue,
            };
            if let Some(g) = cx.ix.internet_gateway_mut(&mut cx.d, &id) {
                g.vpc = Some(vpc.clone());
            } else if let Some(g) = cx.ix.vpn_gateway_mut(&mut cx.d, &id) {
                g.vpc = Some(vpc.clone());
            } else {
                cx.report.info(
                    "",
                    &r.logical_id,
                    crate::text!("attaches {id}, which the template does not create: skipped"),
                );
            }
        }
    }
}

/// Route tables and their subnet, gateway and propagation associations. Routes come later,
/// once every target exists.
pub fn route_tables(cx: &mut Cx) {
    for r in cx.of_type("AWS::EC2::RouteTable") {
        let Some(vpc) = cx.vpc_prop(&r.properties, "VpcId", &r.logical_id) else { continue };
        // R2: a local route for each block, IPv6 ones too.
        let cidrs: Vec<ipnet::IpNet> = cx.ix.vpc(&cx.d, &vpc).map(|v| v.all_cidrs().collect()).unwrap_or_default();
        cx.d.route_tables.push(RouteTable::new(cx.id(&r.logical_id), &r.logical_id, vpc, cidrs));
    }
    for r in cx.of_type("AWS::EC2::SubnetRouteTableAssociation") {
        let Some(rt) = table_ref(cx, p(&r.properties, "RouteTableId"), &r.logical_id) else { continue };
        let vpc = cx.ix.route_table(&cx.d, &rt).map(|t| t.vpc.clone());
        let Some(subnet) = cx.subnet_ref(p(&r.properties, "SubnetId"), vpc.as_deref(), &r.logical_id) else { continue };
        if let Err(e) = cx.associate_route_table(&subnet, &rt) {
            cx.report.warn("", &r.logical_id, crate::text!("association not made: {e}").with("e", e.as_text()));
        }
    }
    for r in cx.of_type("AWS::EC2::GatewayRouteTableAssociation") {
        let Some(rt) = table_ref(cx, p(&r.properties, "RouteTableId"), &r.logical_id) else { continue };
        let g = match cx.lookup(p(&r.properties, "GatewayId"), &r.logical_id) {
            Some(Found::Design(_, id)) | Some(Found::External(id)) => id,
            None => continue,
        };
        if let Some(t) = cx.ix.route_table_mut(&mut cx.d, &rt) {
            t.gateways.push(g);
        }
    }
    for r in cx.of_type("AWS::EC2::VPNGatewayRoutePropagation") {
        let Some(g) = cx.resolve(p(&r.properties, "VpnGatewayId"), ResourceKind::VpnGateway, &r.logical_id) else {
            continue;
        };
        for t in list(&r.properties, "RouteTableIds") {
            if let Some(rt) = table_ref(cx, t, &r.logical_id) {
                if let Some(t) = cx.ix.route_table_mut(&mut cx.d, &rt) {
                    t.propagating_vgws.push(g.clone());
                }
            }
        }
    }
}

/// A route table reference, with an external stub when the template does not create it.
pub fn table_ref(cx: &mut Cx, v: &serde_json::Value, from: &str) -> Option<Id> {
    let id = cx.resolve(v, ResourceKind::RouteTable, from)?;
    cx.ensure_route_table(&id, None, from);
    Some(id)
}

/// `AWS::EC2::Route` (R5): the target kind comes from the referenced resource or, for ids the
/// template does not create, from the id's prefix.
pub fn routes(cx: &mut Cx) {
    for r in cx.of_type("AWS::EC2::Route") {
        let props = &r.properties;
        let Some(rt) = table_ref(cx, p(props, "RouteTableId"), &r.logical_id) else { continue };
        let destination = if let Some(c) = cidr(props, "DestinationCidrBlock") {
            RouteDestination::Cidr(c.into())
        } else if let Some(t) = s(props, "DestinationIpv6CidrBlock") {
            // R3: an IPv6 route.
            match crate::net::parse_ipv6_cidr(t) {
                Ok(c) => RouteDestination::Cidr(c.cidr.into()),
                Err(e) => {
                    cx.report.error(
                        "",
                        &r.logical_id,
                        crate::text!("DestinationIpv6CidrBlock: {e}; skipped").with("e", e.as_text()),
                    );
                    continue;
                }
            }
        } else if !p(props, "DestinationPrefixListId").is_null() {
            match cx.lookup(p(props, "DestinationPrefixListId"), &r.logical_id) {
                Some(Found::Design(_, id)) | Some(Found::External(id)) => RouteDestination::PrefixList(id),
                None => continue,
            }
        } else {
            cx.report.warn("", &r.logical_id, crate::text!("route without a usable destination: skipped"));
            continue;
        };
        let keys = [
            ("GatewayId", None),
            ("NatGatewayId", Some(RouteTarget::NatGateway as fn(Id) -> RouteTarget)),
            ("InstanceId", Some(RouteTarget::Instance as fn(Id) -> RouteTarget)),
            ("NetworkInterfaceId", Some(RouteTarget::NetworkInterface as fn(Id) -> RouteTarget)),
            ("VpcPeeringConnectionId", Some(RouteTarget::VpcPeering as fn(Id) -> RouteTarget)),
            ("TransitGatewayId", Some(RouteTarget::TransitGateway as fn(Id) -> RouteTarget)),
            ("VpcEndpointId", Some(RouteTarget::GatewayEndpoint as fn(Id) -> RouteTarget)),
            ("EgressOnlyInternetGatewayId", Some(RouteTarget::EgressOnlyInternetGateway as fn(Id) -> RouteTarget)),
            ("CarrierGatewayId", Some(RouteTarget::Unknown as fn(Id) -> RouteTarget)),
            ("LocalGatewayId", Some(RouteTarget::Unknown as fn(Id) -> RouteTarget)),
        ];
        // F1: a firewall endpoint named through Fn::GetAtt Firewall.EndpointIds.
        let mut target =
            super::firewall::endpoint_of_route(cx, p(props, "VpcEndpointId")).map(RouteTarget::GatewayEndpoint);
        for (key, make) in keys.into_iter().filter(|_| target.is_none()) {
            let v = p(props, key);
            if v.is_null() {
                continue;
            }
            target = match (cx.lookup(v, &r.logical_id), make) {
                (Some(Found::Design(kind, id)), None) => Some(match kind {
                    ResourceKind::VpnGateway => RouteTarget::VpnGateway(id),
                    ResourceKind::VpcEndpoint => RouteTarget::GatewayEndpoint(id),
                    _ => RouteTarget::InternetGateway(id),
                }),
                (Some(Found::External(id)), None) => Some(RouteTarget::from_id(&id)),
                (Some(Found::Design(_, id)) | Some(Found::External(id)), Some(f)) => Some(f(id)),
                (None, _) => None,
            };
            break;
        }
        let Some(target) = target else {
            cx.report.warn("", &r.logical_id, crate::text!("route without a usable target: skipped"));
            continue;
        };
        if let Some(t) = cx.ix.route_table_mut(&mut cx.d, &rt) {
            t.routes.push(Route { destination, target, state: RouteState::Active, origin: RouteOrigin::Static });
        }
    }
}
