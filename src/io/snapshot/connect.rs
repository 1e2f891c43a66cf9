//! What connects a VPC to others: peerings (P1–P8), endpoints and endpoint services (G1–G5,
//! E1–E9), virtual private gateways, customer gateways and VPN connections (T6).

use super::compute::eni_ip;
use super::json::{arr, b, cidr, ip, n, obj, s, so, strings};
use super::Ctx;
use crate::io::fixup::VpcHint;
use crate::model::*;
use serde_json::Value;

/// Virtual private gateways and customer gateways.
pub fn import_vpn_gateways(cx: &mut Ctx) {
    for raw in cx.c.get("VpnGateways") {
        let v = &raw.v;
        let Some(id) = so(v, "VpnGatewayId") else { continue };
        if matches!(s(v, "State"), Some("deleted" | "deleting")) {
            cx.report.info(&raw.file, &id, crate::text!("virtual private gateway is deleted: skipped"));
            continue;
        }
        let vpc = super::network::attached_vpc(arr(v, "VpcAttachments"));
        let asn = n(v, "AmazonSideAsn").and_then(|a| u32::try_from(a).ok()).unwrap_or(64512);
        cx.d.vpn_gateways.push(VpnGateway { id: id.clone(), name: cx.name(v, &id), vpc, asn });
    }
    for raw in cx.c.get("CustomerGateways") {
        let v = &raw.v;
        let Some(id) = so(v, "CustomerGatewayId") else { continue };
        if matches!(s(v, "State"), Some("deleted" | "deleting")) {
            cx.report.info(&raw.file, &id, crate::text!("customer gateway is deleted: skipped"));
            continue;
        }
        let Some(addr) = ip(v, "IpAddress") else {
            cx.report.warn(&raw.file, &id, crate::text!("customer gateway without an IPv4 address: skipped"));
            continue;
        };
        let bgp_asn = n(v, "BgpAsn").and_then(|a| u32::try_from(a).ok()).unwrap_or(65000);
        cx.d.customer_gateways.push(CustomerGateway { id: id.clone(), name: cx.name(v, &id), ip: addr, bgp_asn });
    }
}

/// `ServiceConfigurations` (describe-vpc-endpoint-service-configurations): the endpoint services
/// this account provides (E9).
pub fn import_endpoint_services(cx: &mut Ctx) {
    for raw in cx.c.get("ServiceConfigurations") {
        let v = &raw.v;
        let Some(id) = so(v, "ServiceId") else { continue };
        let arns =
            strings(v, "NetworkLoadBalancerArns", None).into_iter().chain(strings(v, "GatewayLoadBalancerArns", None));
        let load_balancers: Vec<Id> = arns.filter_map(|a| cx.lb_ids.get(&a).cloned()).collect();
        let region = cx.region(raw);
        cx.d.endpoint_services.push(EndpointService {
            id: id.clone(),
            name: cx.name(v, &id),
            service_name: so(v, "ServiceName").unwrap_or_else(|| format!("com.amazonaws.vpce.{region}.{id}")),
            region,
            load_balancers,
            acceptance_required: b(v, "AcceptanceRequired").unwrap_or(true),
            allowed_principals: Vec::new(),
        });
    }
}

/// The random part of an endpoint's DNS names (`vpce-<id>-<sfx>.…`, E5).
fn dns_suffix(v: &Value, id: &str) -> String {
    arr(v, "DnsEntries")
        .iter()
        .filter_map(|e| s(e, "DnsName"))
        .find_map(|name| {
            let first = name.split('.').next()?;
            let rest = first.strip_prefix(id)?.strip_prefix('-')?;
            Some(rest.split('-').next().unwrap_or(rest).to_string())
        })
        .unwrap_or_default()
}

/// `VpcEndpoints`, with interface endpoints at their interfaces' addresses.
pub fn import_endpoints(cx: &mut Ctx) {
    for raw in cx.c.get("VpcEndpoints") {
        let v = &raw.v;
        let (Some(id), Some(vpc)) = (so(v, "VpcEndpointId"), so(v, "VpcId")) else { continue };
        let kind = match s(v, "VpcEndpointType").map(str::to_ascii_lowercase).as_deref() {
            Some("interface") => EndpointKind::Interface,
            Some("gatewayloadbalancer") => EndpointKind::GatewayLoadBalancer,
            _ => EndpointKind::Gateway,
        };
        let state_text = s(v, "State").unwrap_or("available");
        let state = EndpointState::from_api(state_text).unwrap_or_else(|| {
            cx.report.warn(&raw.file, &id, crate::text!("unknown endpoint state {state_text}: taken as available"));
            EndpointState::Available
        });
        let mut interfaces = Vec::new();
        for eni in strings(v, "NetworkInterfaceIds", None) {
            let found = cx.enis.get(&eni).and_then(|r| Some((so(&r.v, "SubnetId")?, eni_ip(&r.v)?)));
            if let Some((subnet, addr)) = found {
                interfaces.push(EndpointInterface { subnet, ip: addr, eni: Some(eni), placeholder: false });
            }
        }
        if kind != EndpointKind::Gateway {
            for subnet in strings(v, "SubnetIds", None) {
                if interfaces.iter().any(|i| i.subnet == subnet) {
                    continue;
                }
                if let Some(addr) = cx.ph.private_ip(&cx.d, &subnet) {
                    cx.report.info(
                        &raw.file,
                        &id,
                        crate::text!("interface in {subnet} not in the snapshot: placeholder address {addr}"),
                    );
                    interfaces.push(EndpointInterface { subnet, ip: addr, eni: None, placeholder: true });
                }
            }
        }
        cx.d.endpoints.push(VpcEndpoint {
            id: id.clone(),
            name: cx.name(v, &id),
            vpc,
            kind,
            service_name: so(v, "ServiceName").unwrap_or_default(),
            state,
            route_tables: if kind == EndpointKind::Gateway { strings(v, "RouteTableIds", None) } else { Vec::new() },
            interfaces,
            security_groups: strings(v, "Groups", Some("GroupId")),
            private_dns_enabled: b(v, "PrivateDnsEnabled").unwrap_or(false),
            dns_suffix: dns_suffix(v, &id),
        });
    }
}

fn hint(info: &Value) -> VpcHint {
    VpcHint { cidr: cidr(info, "CidrBlock"), region: so(info, "Region"), account: so(info, "OwnerId") }
}

/// `VpcPeeringConnections`, keeping their status (P1).
pub fn import_peerings(cx: &mut Ctx) {
    for raw in cx.c.get("VpcPeeringConnections") {
        let v = &raw.v;
        let Some(id) = so(v, "VpcPeeringConnectionId") else { continue };
        let (req, acc) = (obj(v, "RequesterVpcInfo"), obj(v, "AccepterVpcInfo"));
        let (Some(requester_vpc), Some(accepter_vpc)) = (so(req, "VpcId"), so(acc, "VpcId")) else {
            cx.report.warn(&raw.file, &id, crate::text!("peering without both VPC ids: skipped"));
            continue;
        };
        for (vpc, info) in [(&requester_vpc, req), (&accepter_vpc, acc)] {
            let h = hint(info);
            let e = cx.hints.entry(vpc.clone()).or_default();
            e.cidr = e.cidr.or(h.cidr);
            e.region = e.region.take().or(h.region);
            e.account = e.account.take().or(h.account);
        }
        let code = s(obj(v, "Status"), "Code").unwrap_or("active");
        let status = PeeringStatus::from_api(code).unwrap_or_else(|| {
            cx.report.warn(&raw.file, &id, crate::text!("unknown peering status {code}: taken as failed"));
            PeeringStatus::Failed
        });
        if status != PeeringStatus::Active {
            cx.report.info(&raw.file, &id, crate::text!("peering is {code}: it passes nothing (P1)"));
        }
        let dns = |i: &Value| b(obj(i, "PeeringOptions"), "AllowDnsResolutionFromRemoteVpc").unwrap_or(false);
        cx.d.peerings.push(VpcPeering {
            id: id.clone(),
            name: cx.name(v, &id),
            requester_vpc,
            accepter_vpc,
            status,
            allow_dns_resolution: dns(req) || dns(acc),
        });
    }
}

/// `VpnConnections` (without their tunnel configuration and its keys).
pub fn import_vpn_connections(cx: &mut Ctx) {
    for raw in cx.c.get("VpnConnections") {
        let v = &raw.v;
        let (Some(id), Some(customer_gateway)) = (so(v, "VpnConnectionId"), so(v, "CustomerGatewayId")) else {
            continue;
        };
        let state = match s(v, "State") {
            Some("pending") => VpnState::Pending,
            Some("deleting") => VpnState::Deleting,
            Some("deleted") => VpnState::Deleted,
            _ => VpnState::Available,
        };
        if state == VpnState::Deleted {
            cx.report.info(&raw.file, &id, crate::text!("VPN connection is deleted: skipped"));
            continue;
        }
        let routes = arr(v, "Routes")
            .iter()
            .filter(|r| !matches!(s(r, "State"), Some("deleted" | "deleting")))
            .filter_map(|r| cidr(r, "DestinationCidrBlock"))
            .collect();
        // The tunnel configuration (with its pre-shared keys) is deliberately not kept.
        cx.d.vpn_connections.push(VpnConnection {
            id: id.clone(),
            name: cx.name(v, &id),
            customer_gateway,
            vpn_gateway: so(v, "VpnGatewayId"),
            transit_gateway: so(v, "TransitGatewayId"),
            static_routes_only: b(obj(v, "Options"), "StaticRoutesOnly").unwrap_or(false),
            routes,
            state,
        });
    }
}

/// BGP VPNs list no routes; what they advertise shows as propagated routes in the route tables
/// (T6). Give those prefixes to the VPN, and drop the stored copies that
/// `Design::effective_routes` derives again from it, so each route exists once.
pub fn fold_propagated_routes(cx: &mut Ctx) {
    let d = &mut cx.d;
    for i in 0..d.vpn_connections.len() {
        let vpn = &d.vpn_connections[i];
        let Some(vgw) = vpn.vpn_gateway.clone() else { continue };
        let first_bgp_on_vgw =
            d.vpn_connections[..i].iter().all(|o| o.vpn_gateway.as_deref() != Some(&vgw) || o.static_routes_only);
        if vpn.static_routes_only || !vpn.routes.is_empty() || !first_bgp_on_vgw {
            continue;
        }
        let mut learned: Vec<ipnet::Ipv4Net> = Vec::new();
        for rt in &d.route_tables {
            for r in &rt.routes {
                // T6: a VPN carries IPv4 prefixes only.
                if let (
                    RouteOrigin::Propagated,
                    RouteTarget::VpnGateway(g),
                    RouteDestination::Cidr(ipnet::IpNet::V4(c)),
                ) = (r.origin, &r.target, &r.destination)
                {
                    if *g == vgw && !learned.contains(c) {
                        learned.push(*c);
                    }
                }
            }
        }
        if !learned.is_empty() {
            cx.report.info(
                "",
                &d.vpn_connections[i].id,
                crate::text!("BGP VPN: {} prefixes learned from propagated routes", learned.len()),
            );
        }
        d.vpn_connections[i].routes = learned;
    }
    let vpns = d.vpn_connections.clone();
    for rt in &mut d.route_tables {
        let propagating = rt.propagating_vgws.clone();
        rt.routes.retain(|r| {
            let (RouteOrigin::Propagated, RouteTarget::VpnGateway(g), RouteDestination::Cidr(ipnet::IpNet::V4(c))) =
                (r.origin, &r.target, &r.destination)
            else {
                return true;
            };
            let derived = propagating.contains(g)
                && vpns.iter().any(|v| v.vpn_gateway.as_deref() == Some(g.as_str()) && v.routes.contains(c));
            !derived
        });
    }
}
