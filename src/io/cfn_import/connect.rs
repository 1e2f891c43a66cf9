//! Peerings (P1), load balancers, endpoint services and endpoints (G2, E1, E8), transit
//! gateways (T1–T5) and VPN connections (T6).

use super::values::{b, cidr, ip, list, n, p, s, Found};
use super::Cx;
use crate::model::*;
use serde_json::Value;

/// Peerings, load balancers, endpoint services, endpoints, transit gateways and VPNs.
pub fn import(cx: &mut Cx) {
    peerings(cx);
    load_balancers(cx);
    endpoint_services(cx);
    endpoints(cx);
    transit(cx);
    vpn(cx);
}

fn peerings(cx: &mut Cx) {
    for r in cx.of_type("AWS::EC2::VPCPeeringConnection") {
        let props = &r.properties;
        let Some(requester_vpc) = cx.vpc_prop(props, "VpcId", &r.logical_id) else { continue };
        let Some(accepter_vpc) = cx.resolve(p(props, "PeerVpcId"), ResourceKind::Vpc, &r.logical_id) else { continue };
        let peer_region = s(props, "PeerRegion").map(str::to_string);
        let peer_owner = s(props, "PeerOwnerId").map(str::to_string);
        if cx.ix.vpc(&cx.d, &accepter_vpc).is_none() {
            let h = cx.hints.entry(accepter_vpc.clone()).or_default();
            h.region = h.region.take().or(peer_region.clone()).or_else(|| Some(cx.region.clone()));
            h.account = h.account.take().or(peer_owner.clone());
        }
        // Within one account and region CloudFormation's peering is accepted at once; across
        // accounts it waits for the peer unless a role to accept it is given (P1).
        let same = peer_owner.is_none() && peer_region.as_deref().is_none_or(|x| x == cx.region);
        let status = if same || !p(props, "PeerRoleArn").is_null() {
            PeeringStatus::Active
        } else {
            PeeringStatus::PendingAcceptance
        };
        if status != PeeringStatus::Active {
            cx.report.info(
                "",
                &r.logical_id,
                crate::text!("peering to another account or region without PeerRoleArn: pending-acceptance until the peer accepts"),
            );
        }
        cx.d.peerings.push(VpcPeering {
            id: cx.id(&r.logical_id),
            name: r.logical_id.clone(),
            requester_vpc,
            accepter_vpc,
            status,
            allow_dns_resolution: false,
        });
    }
}

fn elb_protocol(v: Option<&str>) -> Protocol {
    match v.map(str::to_ascii_uppercase).as_deref() {
        Some("UDP" | "GENEVE") => Protocol::Udp,
        _ => Protocol::Tcp,
    }
}

fn load_balancers(cx: &mut Cx) {
    for r in cx.of_type("AWS::ElasticLoadBalancingV2::TargetGroup") {
        let props = &r.properties;
        let kept = s(props, "TargetType").and_then(TargetType::from_api).filter(|t| t.kept());
        if kept == Some(TargetType::Lambda) {
            // M10: one function, invoked by an ALB; vpcraft models functions in a VPC (M7).
            let function = list(props, "Targets").first().and_then(|t| super::services::lambda_target(cx, p(t, "Id")));
            let vpc = match (p(props, "VpcId").is_null(), &function) {
                (false, _) => cx.vpc_prop(props, "VpcId", &r.logical_id),
                (true, Some((_, vpc))) => Some(vpc.clone()),
                (true, None) => None,
            };
            let Some(vpc) = vpc else {
                let m = "lambda target group whose function is not a Lambda function in a VPC of the template (M7, M10): skipped";
                cx.report.info("", &r.logical_id, m);
                cx.ids.remove(&r.logical_id);
                continue;
            };
            cx.d.target_groups.push(TargetGroup {
                id: cx.id(&r.logical_id),
                name: r.logical_id.clone(),
                vpc,
                protocol: Protocol::Tcp,
                port: 80,
                targets: function.map(|(id, _)| Target { id, port: None }).into_iter().collect(),
                appliance: Default::default(),
                target_type: Some(TargetType::Lambda),
            });
            continue;
        }
        let Some(vpc) = cx.vpc_prop(props, "VpcId", &r.logical_id) else {
            cx.ids.remove(&r.logical_id);
            continue;
        };
        let protocol = elb_protocol(s(props, "Protocol"));
        let port = n(props, "Port")
            .and_then(|x| u16::try_from(x).ok())
            .unwrap_or(if s(props, "Protocol") == Some("GENEVE") { 6081 } else { 80 });
        let mut targets = Vec::new();
        for t in list(props, "Targets") {
            let port = n(t, "Port").and_then(|x| u16::try_from(x).ok());
            let id = match cx.lookup(p(t, "Id"), &r.logical_id) {
                Some(Found::Design(_, id)) | Some(Found::External(id)) => id,
                None => continue,
            };
            // M11: an alb group registers the load balancer, on the group's port.
            let port = if kept == Some(TargetType::Alb) { None } else { port };
            targets.push(Target { id, port });
        }
        cx.d.target_groups.push(TargetGroup {
            id: cx.id(&r.logical_id),
            name: r.logical_id.clone(),
            vpc,
            protocol,
            port,
            targets,
            appliance: Default::default(),
            target_type: kept,
        });
    }
    for r in cx.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer") {
        let props = &r.properties;
        let kind = match s(props, "Type") {
            Some("network") => LoadBalancerKind::Network,
            Some("gateway") => LoadBalancerKind::Gateway,
            _ => LoadBalancerKind::Application,
        };
        let scheme = if s(props, "Scheme") == Some("internal") || kind == LoadBalancerKind::Gateway {
            LoadBalancerScheme::Internal
        } else {
            LoadBalancerScheme::InternetFacing
        };
        // (subnet, fixed private IP, EIP allocation) per node.
        let mut wanted: Vec<(Value, Option<std::net::Ipv4Addr>, Value)> =
            list(props, "Subnets").into_iter().map(|v| (v.clone(), None, Value::Null)).collect();
        for m in list(props, "SubnetMappings") {
            wanted.push((p(m, "SubnetId").clone(), ip(m, "PrivateIPv4Address"), p(m, "AllocationId").clone()));
        }
        let mut nodes = Vec::new();
        let mut vpc = None;
        for (sv, fixed, alloc) in wanted {
            let Some(subnet) = cx.subnet_ref(&sv, None, &r.logical_id) else { continue };
            vpc = vpc.or_else(|| cx.ix.subnet(&cx.d, &subnet).map(|x| x.vpc.clone()));
            let (private_ip, mut placeholder) = match fixed {
                Some(a) => (a, false),
                None => match cx.ph.private_ip(&cx.d, &subnet) {
                    Some(a) => (a, true),
                    None => continue,
                },
            };
            let eip_ip = match cx.lookup(&alloc, &r.logical_id) {
                Some(Found::Design(ResourceKind::ElasticIp, e)) => cx.ix.elastic_ip(&cx.d, &e).map(|x| x.public_ip),
                _ => None,
            };
            let public_ip = match (scheme, eip_ip) {
                (LoadBalancerScheme::InternetFacing, Some(a)) => Some(a),
                (LoadBalancerScheme::InternetFacing, None) => {
                    placeholder = true;
                    Some(cx.ph.public_ip())
                }
                _ => None,
            };
            nodes.push(LoadBalancerNode { subnet, private_ip, public_ip, placeholder });
        }
        let Some(vpc) = vpc else {
            cx.report.warn("", &r.logical_id, crate::text!("load balancer without a usable subnet: skipped"));
            cx.ids.remove(&r.logical_id);
            continue;
        };
        let groups = cx.group_refs(list(props, "SecurityGroups"), Some(&vpc), &r.logical_id);
        cx.d.load_balancers.push(LoadBalancer {
            id: cx.id(&r.logical_id),
            name: r.logical_id.clone(),
            vpc,
            kind,
            scheme,
            nodes,
            security_groups: groups,
            listeners: Vec::new(),
            dns_name: String::new(),
        });
    }
    for r in cx.of_type("AWS::ElasticLoadBalancingV2::Listener") {
        let props = &r.properties;
        let Some(lb) = cx.resolve(p(props, "LoadBalancerArn"), ResourceKind::LoadBalancer, &r.logical_id) else {
            continue;
        };
        let tg_value = list(props, "DefaultActions").into_iter().find_map(|a| {
            let direct = p(a, "TargetGroupArn");
            if !direct.is_null() {
                return Some(direct.clone());
            }
            list(p(a, "ForwardConfig"), "TargetGroups")
                .into_iter()
                .map(|t| p(t, "TargetGroupArn").clone())
                .find(|v| !v.is_null())
        });
        let target_group = tg_value.and_then(|v| cx.resolve(&v, ResourceKind::TargetGroup, &r.logical_id));
        let listener = Listener {
            port: n(props, "Port").and_then(|x| u16::try_from(x).ok()).unwrap_or(0),
            protocol: elb_protocol(s(props, "Protocol")),
            target_group,
        };
        match cx.ix.load_balancer_mut(&mut cx.d, &lb) {
            Some(l) => l.listeners.push(listener),
            None => cx.report.info(
                "",
                &r.logical_id,
                crate::text!("listener of a load balancer the template does not create: skipped"),
            ),
        }
    }
}

fn endpoint_services(cx: &mut Cx) {
    for r in cx.of_type("AWS::EC2::VPCEndpointService") {
        let props = &r.properties;
        let id = cx.id(&r.logical_id);
        let mut lbs = Vec::new();
        for v in list(props, "NetworkLoadBalancerArns").into_iter().chain(list(props, "GatewayLoadBalancerArns")) {
            if let Some(l) = cx.resolve(v, ResourceKind::LoadBalancer, &r.logical_id) {
                lbs.push(l);
            }
        }
        let service_name = format!("com.amazonaws.vpce.{}.{id}", cx.region);
        cx.d.endpoint_services.push(EndpointService {
            id,
            name: r.logical_id.clone(),
            service_name,
            region: cx.region.clone(),
            load_balancers: lbs,
            acceptance_required: b(props, "AcceptanceRequired").unwrap_or(true),
            allowed_principals: Vec::new(),
        });
    }
    for r in cx.of_type("AWS::EC2::VPCEndpointServicePermissions") {
        let Some(svc) = cx.resolve(p(&r.properties, "ServiceId"), ResourceKind::EndpointService, &r.logical_id) else {
            continue;
        };
        let principals: Vec<String> = list(&r.properties, "AllowedPrincipals")
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        if let Some(x) = cx.ix.endpoint_service_mut(&mut cx.d, &svc) {
            x.allowed_principals.extend(principals);
        }
    }
}

/// A deterministic stand-in for the random part of an endpoint's DNS names (E5).
fn dns_suffix(id: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for byte in id.bytes() {
        h = (h ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// The service name, with an endpoint service of the template put back for its reference.
fn service_name(cx: &mut Cx, v: &Value, from: &str) -> Option<String> {
    if let Some(text) = v.as_str().filter(|t| !t.contains("{{$")) {
        return Some(text.to_string());
    }
    match cx.lookup(v, from) {
        Some(Found::Design(ResourceKind::EndpointService, svc)) => {
            cx.d.endpoint_service(&svc).map(|x| x.service_name.clone())
        }
        _ => None,
    }
}

fn endpoints(cx: &mut Cx) {
    let catalog = ServiceCatalog::builtin();
    for r in cx.of_type("AWS::EC2::VPCEndpoint") {
        let props = &r.properties;
        let id = cx.id(&r.logical_id);
        let Some(vpc) = cx.vpc_prop(props, "VpcId", &r.logical_id) else { continue };
        let Some(service) = service_name(cx, p(props, "ServiceName"), &r.logical_id) else {
            cx.report.warn("", &r.logical_id, crate::text!("endpoint without a usable ServiceName: skipped"));
            continue;
        };
        let kind = match s(props, "VpcEndpointType").map(str::to_ascii_lowercase).as_deref() {
            Some("interface") => EndpointKind::Interface,
            Some("gatewayloadbalancer") => EndpointKind::GatewayLoadBalancer,
            _ => EndpointKind::Gateway,
        };
        let mut route_tables = Vec::new();
        let mut interfaces = Vec::new();
        if kind == EndpointKind::Gateway {
            for t in list(props, "RouteTableIds") {
                if let Some(rt) = cx.resolve(t, ResourceKind::RouteTable, &r.logical_id) {
                    cx.ensure_route_table(&rt, Some(&vpc), &r.logical_id);
                    route_tables.push(rt);
                }
            }
            // AWS adds `pl-… → vpce-…` to each table (G2).
            match catalog.by_service_name(&service).and_then(|x| x.prefix_list_id.clone()) {
                Some(pl) => {
                    for t in cx.d.route_tables.iter_mut().filter(|t| route_tables.contains(&t.id)) {
                        t.routes.push(Route::gateway_endpoint(pl.clone(), id.clone()));
                    }
                }
                None => cx.report.warn(
                    "",
                    &r.logical_id,
                    crate::text!("{service}: no prefix list known for it, so no routes were added"),
                ),
            }
        } else {
            for sv in list(props, "SubnetIds") {
                let Some(subnet) = cx.subnet_ref(sv, Some(&vpc), &r.logical_id) else { continue };
                if let Some(a) = cx.ph.private_ip(&cx.d, &subnet) {
                    interfaces.push(EndpointInterface { subnet, ip: a, eni: None, placeholder: true });
                }
            }
        }
        let own = cx.d.endpoint_services.iter().find(|x| x.service_name == service);
        // A customer service asks for acceptance by default; AWS services accept at once (E8).
        let state = if own.is_some_and(|x| x.acceptance_required) {
            EndpointState::PendingAcceptance
        } else {
            EndpointState::Available
        };
        if state != EndpointState::Available {
            cx.report.info(
                "",
                &r.logical_id,
                crate::text!("the service requires acceptance: the endpoint is pendingAcceptance"),
            );
        }
        let groups = cx.group_refs(list(props, "SecurityGroupIds"), Some(&vpc), &r.logical_id);
        cx.d.endpoints.push(VpcEndpoint {
            id: id.clone(),
            name: r.logical_id.clone(),
            vpc,
            kind,
            service_name: service,
            state,
            route_tables,
            interfaces,
            security_groups: groups,
            private_dns_enabled: b(props, "PrivateDnsEnabled").unwrap_or(false),
            dns_suffix: if kind == EndpointKind::Gateway { String::new() } else { dns_suffix(&id) },
        });
    }
}

fn transit(cx: &mut Cx) {
    for r in cx.of_type("AWS::EC2::TransitGateway") {
        let props = &r.properties;
        let id = cx.id(&r.logical_id);
        let default_association = s(props, "DefaultRouteTableAssociation") != Some("disable");
        let default_propagation = s(props, "DefaultRouteTablePropagation") != Some("disable");
        let mut default_route_table = None;
        if default_association || default_propagation {
            // AWS creates a default table with the gateway (T3).
            let rt = format!("tgw-rtb-{}-default", r.logical_id);
            cx.d.tgw_route_tables.push(TgwRouteTable {
                id: rt.clone(),
                name: format!("{}-default", r.logical_id),
                tgw: id.clone(),
                propagations: Vec::new(),
                static_routes: Vec::new(),
            });
            default_route_table = Some(rt);
        }
        let asn = n(props, "AmazonSideAsn").and_then(|a| u32::try_from(a).ok()).unwrap_or(64512);
        let blocks: Vec<&str> =
            list(props, "TransitGatewayCidrBlocks").into_iter().filter_map(|v| v.as_str()).collect();
        if !blocks.is_empty() {
            // Not silently: Connect (GRE) peers are not in the model.
            cx.report.info(
                "",
                &r.logical_id,
                crate::text!(
                    "TransitGatewayCidrBlocks {}: the addresses of Connect (GRE) peers, which vpcraft does not model; a trace to them ends at the transit gateway's route table",
                    blocks.join(", ")
                ),
            );
        }
        cx.d.transit_gateways.push(TransitGateway {
            id,
            name: r.logical_id.clone(),
            region: cx.region.clone(),
            asn,
            default_association,
            default_propagation,
            default_route_table,
        });
    }
    for r in cx.of_type("AWS::EC2::TransitGatewayRouteTable") {
        let Some(tgw) = cx.resolve(p(&r.properties, "TransitGatewayId"), ResourceKind::TransitGateway, &r.logical_id)
        else {
            continue;
        };
        cx.d.tgw_route_tables.push(TgwRouteTable {
            id: cx.id(&r.logical_id),
            name: r.logical_id.clone(),
            tgw,
            propagations: Vec::new(),
            static_routes: Vec::new(),
        });
    }
    for ty in [
        "AWS::EC2::TransitGatewayAttachment",
        "AWS::EC2::TransitGatewayVpcAttachment",
        "AWS::EC2::TransitGatewayPeeringAttachment",
    ] {
        for r in cx.of_type(ty) {
            let props = &r.properties;
            let Some(tgw) = cx.resolve(p(props, "TransitGatewayId"), ResourceKind::TransitGateway, &r.logical_id)
            else {
                continue;
            };
            let kind = if ty.ends_with("PeeringAttachment") {
                let Some(peer_tgw) =
                    cx.resolve(p(props, "PeerTransitGatewayId"), ResourceKind::TransitGateway, &r.logical_id)
                else {
                    continue;
                };
                TgwAttachmentKind::Peering { peer_tgw }
            } else {
                let Some(vpc) = cx.vpc_prop(props, "VpcId", &r.logical_id) else { continue };
                let mut subnets = Vec::new();
                for sv in list(props, "SubnetIds") {
                    if let Some(sn) = cx.subnet_ref(sv, Some(&vpc), &r.logical_id) {
                        subnets.push(sn);
                    }
                }
                TgwAttachmentKind::Vpc { vpc, subnets }
            };
            let state = if matches!(kind, TgwAttachmentKind::Peering { .. }) {
                AttachmentState::PendingAcceptance
            } else {
                AttachmentState::Available
            };
            let id = cx.id(&r.logical_id);
            add_attachment(cx, id.clone(), r.logical_id.clone(), tgw, kind, state);
            // T9: `Options.ApplianceModeSupport: enable` on a VPC attachment.
            if s(p(props, "Options"), "ApplianceModeSupport").is_some_and(|v| v.eq_ignore_ascii_case("enable")) {
                if let Some(a) = cx.d.tgw_attachments.iter_mut().find(|a| a.id == id) {
                    a.appliance_mode = true;
                }
            }
            // T2: `Options.Ipv6Support: enable`.
            if s(p(props, "Options"), "Ipv6Support").is_some_and(|v| v.eq_ignore_ascii_case("enable")) {
                if let Some(a) = cx.d.tgw_attachments.iter_mut().find(|a| a.id == id) {
                    a.ipv6_support = true;
                }
            }
        }
    }
    for r in cx.of_type("AWS::EC2::TransitGatewayRouteTableAssociation") {
        let Some((att, rt)) = attachment_and_table(cx, &r.properties, &r.logical_id) else { continue };
        if let Some(a) = cx.ix.tgw_attachment_mut(&mut cx.d, &att) {
            a.association = Some(rt);
        }
    }
    for r in cx.of_type("AWS::EC2::TransitGatewayRouteTablePropagation") {
        let Some((att, rt)) = attachment_and_table(cx, &r.properties, &r.logical_id) else { continue };
        if let Some(t) = cx.ix.tgw_route_table_mut(&mut cx.d, &rt) {
            if !t.propagations.contains(&att) {
                t.propagations.push(att);
            }
        }
    }
    for r in cx.of_type("AWS::EC2::TransitGatewayRoute") {
        let props = &r.properties;
        let Some(rt) = cx.resolve(p(props, "TransitGatewayRouteTableId"), ResourceKind::TgwRouteTable, &r.logical_id)
        else {
            continue;
        };
        let Some(c) = cidr(props, "DestinationCidrBlock") else { continue };
        let attachment = if b(props, "Blackhole") == Some(true) {
            None
        } else {
            cx.resolve(p(props, "TransitGatewayAttachmentId"), ResourceKind::TgwAttachment, &r.logical_id)
        };
        if let Some(t) = cx.ix.tgw_route_table_mut(&mut cx.d, &rt) {
            t.static_routes.push(TgwRoute { cidr: c.into(), attachment });
        }
    }
}

fn attachment_and_table(cx: &mut Cx, props: &Value, from: &str) -> Option<(Id, Id)> {
    let att = cx.resolve(p(props, "TransitGatewayAttachmentId"), ResourceKind::TgwAttachment, from)?;
    let rt = cx.resolve(p(props, "TransitGatewayRouteTableId"), ResourceKind::TgwRouteTable, from)?;
    Some((att, rt))
}

/// An attachment, associated with and propagating into the gateway's default table when the
/// gateway does that by default (T3).
fn add_attachment(cx: &mut Cx, id: Id, name: String, tgw: Id, kind: TgwAttachmentKind, state: AttachmentState) {
    let defaults =
        cx.d.transit_gateway(&tgw)
            .map(|t| (t.default_association, t.default_propagation, t.default_route_table.clone()));
    let mut association = None;
    if let Some((assoc, prop, Some(table))) = defaults {
        if assoc {
            association = Some(table.clone());
        }
        if prop {
            if let Some(t) = cx.ix.tgw_route_table_mut(&mut cx.d, &table) {
                t.propagations.push(id.clone());
            }
        }
    }
    cx.d.tgw_attachments.push(TgwAttachment {
        id,
        name,
        tgw,
        kind,
        state,
        association,
        ipv6_support: false,
        appliance_mode: false,
    });
}

fn vpn(cx: &mut Cx) {
    for r in cx.of_type("AWS::EC2::VPNConnection") {
        let props = &r.properties;
        let Some(customer_gateway) =
            cx.resolve(p(props, "CustomerGatewayId"), ResourceKind::CustomerGateway, &r.logical_id)
        else {
            continue;
        };
        let id = cx.id(&r.logical_id);
        let vpn_gateway = if p(props, "VpnGatewayId").is_null() {
            None
        } else {
            cx.resolve(p(props, "VpnGatewayId"), ResourceKind::VpnGateway, &r.logical_id)
        };
        let transit_gateway = if p(props, "TransitGatewayId").is_null() {
            None
        } else {
            cx.resolve(p(props, "TransitGatewayId"), ResourceKind::TransitGateway, &r.logical_id)
        };
        cx.d.vpn_connections.push(VpnConnection {
            id: id.clone(),
            name: r.logical_id.clone(),
            customer_gateway,
            vpn_gateway,
            transit_gateway: transit_gateway.clone(),
            static_routes_only: b(props, "StaticRoutesOnly").unwrap_or(false),
            routes: Vec::new(),
            state: VpnState::Available,
        });
        if let Some(tgw) = transit_gateway {
            // A VPN on a transit gateway comes with its attachment.
            let kind = TgwAttachmentKind::Vpn { vpn: id.clone() };
            add_attachment(
                cx,
                format!("tgw-attach-{}", r.logical_id),
                format!("{}-attachment", r.logical_id),
                tgw,
                kind,
                AttachmentState::Available,
            );
        }
    }
    for r in cx.of_type("AWS::EC2::VPNConnectionRoute") {
        let Some(vpn) = cx.resolve(p(&r.properties, "VpnConnectionId"), ResourceKind::VpnConnection, &r.logical_id)
        else {
            continue;
        };
        let Some(c) = cidr(&r.properties, "DestinationCidrBlock") else { continue };
        if let Some(v) = cx.ix.vpn_connection_mut(&mut cx.d, &vpn) {
            v.routes.push(c);
        }
    }
}
