//! VPCs, subnets, internet gateways, VPN gateways and route tables.

use super::{name_tag, Cfn};
use crate::model::*;
use crate::net::Ipv6Plan;
use serde_json::{json, Value};

/// VPCs, subnets, gateways and route tables.
pub fn export(cx: &mut Cfn) {
    vpcs(cx);
    subnets(cx);
    gateways(cx);
    route_tables(cx);
}

fn vpcs(cx: &mut Cfn) {
    let d = cx.d;
    for v in super::keep(d.vpcs.iter(), |v| cx.declared(&v.id)) {
        let l = cx.plan.name(&v.id).unwrap_or_default().to_string();
        cx.add(
            &l,
            "AWS::EC2::VPC",
            json!({
                "CidrBlock": v.cidr.to_string(),
                "EnableDnsSupport": v.enable_dns_support,
                "EnableDnsHostnames": v.enable_dns_hostnames,
                "Tags": name_tag(&v.name),
            }),
        );
        for (k, c) in v.secondary_cidrs.iter().enumerate() {
            let name = cx.fresh(&format!("{l}Cidr{}", k + 2), "Cidr");
            cx.add(&name, "AWS::EC2::VPCCidrBlock", json!({ "VpcId": cx.r(&v.id), "CidrBlock": c.to_string() }));
        }
        for (k, b) in v.ipv6_cidr_blocks.iter().enumerate() {
            let name = cx.fresh(&ipv6_block_name(&l, k), "Ipv6");
            // A7: an Amazon-provided /56 is AWS's pick; a BYOIP block is asked for by pool and
            // CIDR; an IPAM block by pool and size.
            let p = match &b.pool {
                Ipv6Pool::Amazon => {
                    if !b.placeholder {
                        cx.note(format!(
                            "{}: AWS picks the IPv6 block; the design's {} cannot be requested",
                            v.name, b.cidr
                        ));
                    }
                    json!({ "VpcId": cx.r(&v.id), "AmazonProvidedIpv6CidrBlock": true })
                }
                Ipv6Pool::Byoip(pool) => {
                    json!({ "VpcId": cx.r(&v.id), "Ipv6Pool": pool, "Ipv6CidrBlock": b.cidr.to_string() })
                }
                Ipv6Pool::Ipam(pool) => json!({
                    "VpcId": cx.r(&v.id),
                    "Ipv6IpamPoolId": pool,
                    "Ipv6NetmaskLength": b.cidr.prefix_len(),
                }),
            };
            cx.add(&name, "AWS::EC2::VPCCidrBlock", p);
        }
    }
}

/// The logical id of a VPC's `k`-th IPv6 block.
fn ipv6_block_name(vpc: &str, k: usize) -> String {
    if k == 0 {
        format!("{vpc}Ipv6")
    } else {
        format!("{vpc}Ipv6{}", k + 1)
    }
}

/// A subnet's IPv6 block in the usual idiom: `Fn::Select` of its slot in `Fn::Cidr` over the
/// VPC's block (`Fn::GetAtt VPC.Ipv6CidrBlocks`), so the slot survives AWS picking the /56.
/// With the block resource it must wait for; `None` when the slot cannot be written so
/// (outside the VPC's blocks, or past the 256 `Fn::Cidr` can count).
fn subnet_ipv6(cx: &Cfn, s: &Subnet) -> Option<(Value, String)> {
    let c = s.ipv6_cidr?;
    let v = cx.d.vpc(&s.vpc)?;
    let l = cx.plan.name(&v.id)?;
    let (k, block) = v.ipv6_cidrs().enumerate().find(|(_, b)| b.contains(&c))?;
    let index = crate::net::index_in_block(block, c)?;
    let count = Ipv6Plan::slot_count(block, c.prefix_len()).min(256);
    if index >= count {
        return None;
    }
    let value = json!({ "Fn::Select": [
        index,
        { "Fn::Cidr": [
            { "Fn::Select": [k, { "Fn::GetAtt": [l, "Ipv6CidrBlocks"] }] },
            count,
            128 - u32::from(c.prefix_len()),
        ] },
    ] });
    Some((value, ipv6_block_name(l, k)))
}

/// The logical ids of the secondary CIDR blocks a subnet's CIDR lies in (the subnet must wait
/// for them).
fn secondary_block_of(cx: &Cfn, s: &Subnet) -> Vec<String> {
    let Some(v) = cx.ix.vpc(&s.vpc) else { return Vec::new() };
    let Some(l) = cx.plan.name(&v.id) else { return Vec::new() };
    v.secondary_cidrs
        .iter()
        .enumerate()
        .filter(|(_, c)| s.cidr.is_some_and(|sc| c.contains(&sc.network())))
        .map(|(k, _)| format!("{l}Cidr{}", k + 2))
        .filter(|n| cx.resources.contains_key(n))
        .collect()
}

fn subnets(cx: &mut Cfn) {
    let d = cx.d;
    for s in super::keep(d.subnets.iter(), |s| cx.declared(&s.id)) {
        let l = cx.plan.name(&s.id).unwrap_or_default().to_string();
        let mut p = json!({
            "VpcId": cx.r(&s.vpc),
            "CidrBlock": s.cidr.map(|c| c.to_string()),
            "AvailabilityZone": s.az,
            "Tags": name_tag(&s.name),
        });
        if s.cidr.is_none() {
            // An IPv6-only subnet has no IPv4 block.
            if let Some(o) = p.as_object_mut() {
                o.remove("CidrBlock");
            }
        }
        if s.map_public_ip_on_launch {
            p["MapPublicIpOnLaunch"] = json!(true);
        }
        let mut deps = secondary_block_of(cx, s);
        match (s.ipv6_cidr, subnet_ipv6(cx, s)) {
            (Some(_), Some((value, block))) => {
                p["Ipv6CidrBlock"] = value;
                if cx.resources.contains_key(&block) {
                    deps.push(block);
                }
            }
            (Some(c), None) => {
                p["Ipv6CidrBlock"] = json!(c.to_string());
                cx.note(format!("{}: {c} is written as is: it is not a slot of the VPC's IPv6 block", s.name));
            }
            (None, _) => {}
        }
        if s.is_ipv6_only() {
            p["Ipv6Native"] = json!(true);
        }
        if s.assign_ipv6_address_on_creation {
            p["AssignIpv6AddressOnCreation"] = json!(true);
        }
        if s.enable_dns64 {
            p["EnableDns64"] = json!(true);
        }
        if s.hostname_type == HostnameType::ResourceName
            || s.resource_name_dns_a_record
            || s.resource_name_dns_aaaa_record
        {
            p["PrivateDnsNameOptionsOnLaunch"] = json!({
                "HostnameType": if s.hostname_type == HostnameType::ResourceName { "resource-name" } else { "ip-name" },
                "EnableResourceNameDnsARecord": s.resource_name_dns_a_record,
                "EnableResourceNameDnsAAAARecord": s.resource_name_dns_aaaa_record,
            });
        }
        cx.add_with(&l, "AWS::EC2::Subnet", p, deps);
    }
}

/// The logical id of the attachment of an internet or VPN gateway.
pub fn attachment_of(cx: &Cfn, gateway: &str) -> Option<String> {
    cx.plan.name(gateway).map(|l| format!("{l}Attachment")).filter(|n| cx.resources.contains_key(n))
}

fn gateways(cx: &mut Cfn) {
    let d = cx.d;
    for g in super::keep(d.internet_gateways.iter(), |g| cx.declared(&g.id)) {
        let l = cx.plan.name(&g.id).unwrap_or_default().to_string();
        cx.add(&l, "AWS::EC2::InternetGateway", json!({ "Tags": name_tag(&g.name) }));
        if let Some(vpc) = &g.vpc {
            let a = cx.fresh(&format!("{l}Attachment"), "Attachment");
            cx.add(
                &a,
                "AWS::EC2::VPCGatewayAttachment",
                json!({ "VpcId": cx.r(vpc), "InternetGatewayId": cx.r(&g.id) }),
            );
        }
    }
    for g in super::keep(d.egress_only_internet_gateways.iter(), |g| cx.declared(&g.id)) {
        let l = cx.plan.name(&g.id).unwrap_or_default().to_string();
        cx.add(&l, "AWS::EC2::EgressOnlyInternetGateway", json!({ "VpcId": cx.r(&g.vpc) }));
    }
    for g in super::keep(d.vpn_gateways.iter(), |g| cx.declared(&g.id)) {
        let l = cx.plan.name(&g.id).unwrap_or_default().to_string();
        cx.add(
            &l,
            "AWS::EC2::VPNGateway",
            json!({ "Type": "ipsec.1", "AmazonSideAsn": g.asn, "Tags": name_tag(&g.name) }),
        );
        if let Some(vpc) = &g.vpc {
            let a = cx.fresh(&format!("{l}Attachment"), "Attachment");
            cx.add(&a, "AWS::EC2::VPCGatewayAttachment", json!({ "VpcId": cx.r(vpc), "VpnGatewayId": cx.r(&g.id) }));
        }
    }
}

/// Whether a route is one CloudFormation creates or manages by itself.
fn implicit(r: &Route) -> bool {
    r.is_local() || matches!(r.origin, RouteOrigin::Local | RouteOrigin::Propagated | RouteOrigin::EndpointManaged)
}

fn route_tables(cx: &mut Cfn) {
    let d = cx.d;
    // Tables a gateway endpoint is associated with.
    let endpoint_tables: std::collections::HashSet<&str> =
        d.endpoints.iter().flat_map(|e| e.route_tables.iter().map(String::as_str)).collect();
    // The main tables that need an explicit stand-in.
    for rt in super::keep(d.route_tables.iter(), |t| t.main && cx.plan.in_scope(&t.id)) {
        // Subnets on the main table: implicitly, or explicitly associated with it (AWS allows both).
        let relying: Vec<&Subnet> = cx
            .ix
            .vpc_subnets(&rt.vpc)
            .filter(|s| !cx.ix.subnet_has_explicit_route_table(&s.id) || rt.subnets.contains(&s.id))
            .collect();
        let has_routes = rt.routes.iter().any(|r| !implicit(r));
        let referenced = !rt.propagating_vgws.is_empty() || endpoint_tables.contains(rt.id.as_str());
        if relying.is_empty() || !(has_routes || referenced) {
            if has_routes {
                cx.note(format!("{}: the main table's routes are not exported (no subnet uses it)", rt.name));
            }
            continue;
        }
        let l = cx.fresh(&rt.name, "MainRouteTable");
        cx.main_tables.insert(rt.id.clone(), l.clone());
        cx.note(format!(
            "{}: CloudFormation cannot give the main route table routes, so {l} holds them and is associated with {}",
            rt.name,
            relying.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
        ));
        cx.add(&l, "AWS::EC2::RouteTable", json!({ "VpcId": cx.r(&rt.vpc), "Tags": name_tag(&rt.name) }));
        for s in relying {
            association(cx, &l, &s.id, &s.name);
        }
        table_contents(cx, rt, &l);
    }
    for rt in super::keep(d.route_tables.iter(), |t| cx.declared(&t.id)) {
        let l = cx.plan.name(&rt.id).unwrap_or_default().to_string();
        cx.add(&l, "AWS::EC2::RouteTable", json!({ "VpcId": cx.r(&rt.vpc), "Tags": name_tag(&rt.name) }));
        for s in &rt.subnets {
            let name = cx.ix.subnet(s).map(|x| x.name.clone()).unwrap_or_default();
            association(cx, &l, s, &name);
        }
        for g in &rt.gateways {
            let a = cx.fresh(&format!("{l}EdgeAssociation"), "EdgeAssociation");
            cx.add(
                &a,
                "AWS::EC2::GatewayRouteTableAssociation",
                json!({ "GatewayId": cx.r(g), "RouteTableId": { "Ref": l } }),
            );
        }
        table_contents(cx, rt, &l);
    }
}

fn association(cx: &mut Cfn, table: &str, subnet: &str, subnet_name: &str) {
    let sn = crate::io::export::sanitize_identifier(subnet_name, false, "Subnet");
    let a = cx.fresh(&format!("{sn}RouteTableAssociation"), "RouteTableAssociation");
    cx.add(
        &a,
        "AWS::EC2::SubnetRouteTableAssociation",
        json!({ "SubnetId": cx.r(subnet), "RouteTableId": { "Ref": table } }),
    );
}

/// Routes and VGW propagations of a table declared as `l`.
fn table_contents(cx: &mut Cfn, rt: &RouteTable, l: &str) {
    for r in rt.routes.iter().filter(|r| !implicit(r)) {
        route(cx, rt, l, r);
    }
    for g in &rt.propagating_vgws {
        let p = cx.fresh(&format!("{l}Propagation"), "Propagation");
        let deps = super::network::attachment_of(cx, g).into_iter().collect();
        cx.add_with(
            &p,
            "AWS::EC2::VPNGatewayRoutePropagation",
            json!({ "RouteTableIds": [{ "Ref": l }], "VpnGatewayId": cx.r(g) }),
            deps,
        );
    }
}

fn route(cx: &mut Cfn, rt: &RouteTable, l: &str, r: &Route) {
    if r.state == RouteState::Blackhole {
        cx.note(format!(
            "{}: the blackhole route {} → {} cannot be declared; left out",
            rt.name, r.destination, r.target
        ));
        return;
    }
    let mut p = json!({ "RouteTableId": { "Ref": l } });
    match &r.destination {
        // R3: an IPv6 route has its own destination property.
        RouteDestination::Cidr(ipnet::IpNet::V6(c)) => p["DestinationIpv6CidrBlock"] = json!(c.to_string()),
        RouteDestination::Cidr(c) => p["DestinationCidrBlock"] = json!(c.to_string()),
        RouteDestination::PrefixList(pl) => p["DestinationPrefixListId"] = cx.r(pl),
    }
    let mut deps: Vec<String> = Vec::new();
    let (key, target): (&str, Value) = match &r.target {
        RouteTarget::Local => return,
        RouteTarget::InternetGateway(g) => {
            deps.extend(attachment_of(cx, g));
            ("GatewayId", cx.r(g))
        }
        RouteTarget::VpnGateway(g) => {
            deps.extend(attachment_of(cx, g));
            ("GatewayId", cx.r(g))
        }
        RouteTarget::EgressOnlyInternetGateway(g) => ("EgressOnlyInternetGatewayId", cx.r(g)),
        RouteTarget::NatGateway(n) => ("NatGatewayId", cx.r(n)),
        RouteTarget::Instance(i) => ("InstanceId", cx.r(i)),
        RouteTarget::NetworkInterface(e) => match cx.plan.inline_parent(e) {
            Some(i) => ("InstanceId", cx.r(i)),
            None => ("NetworkInterfaceId", cx.r(e)),
        },
        RouteTarget::VpcPeering(p) => ("VpcPeeringConnectionId", cx.r(p)),
        RouteTarget::GatewayEndpoint(e) => {
            ("VpcEndpointId", super::firewall::endpoint_ref(cx, e).unwrap_or_else(|| cx.r(e)))
        }
        RouteTarget::TransitGateway(t) => {
            // The route can only be created once the VPC is attached to the TGW.
            for a in cx.ix.tgw_attachments_of(t) {
                if matches!(&a.kind, TgwAttachmentKind::Vpc { vpc, .. } if *vpc == rt.vpc) {
                    deps.extend(cx.plan.name(&a.id).map(str::to_string));
                }
            }
            ("TransitGatewayId", cx.r(t))
        }
        RouteTarget::Unknown(id) => {
            cx.note(format!(
                "{}: route {} → {id}: a target CloudFormation cannot name; left out",
                rt.name, r.destination
            ));
            return;
        }
    };
    p[key] = target;
    let n = cx.fresh(&format!("{l}Route"), "Route");
    cx.add_with(&n, "AWS::EC2::Route", p, deps);
}
