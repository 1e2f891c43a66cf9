//! Peerings (P1), load balancers, endpoint services and endpoints (G2, E1, E8), transit
//! gateways (T1–T5) and VPN connections (T6).

use super::{b, cidr, get, list, n, s, Mapper};
use crate::io::terraform::graph::Instance;
use crate::model::*;

/// `aws_vpc_peering_connection`: active at once when it accepts itself (`auto_accept` within
/// one account and region), else pending until an accepter resource accepts it (P1).
pub fn peering(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let (Some(requester_vpc), Some(accepter_vpc)) = (m.vpc_of(i, "vpc_id"), m.vpc_of(i, "peer_vpc_id")) else { return };
    let peer_region = s(v, "peer_region").map(str::to_string);
    if let Some(r) = &peer_region {
        if let Some(h) = m.hints.get_mut(&accepter_vpc) {
            h.region = Some(r.clone());
        }
    }
    let status = if b(v, "auto_accept") == Some(true) || s(v, "accept_status") == Some("active") {
        PeeringStatus::Active
    } else {
        m.report.info(
            "",
            &i.address,
            crate::text!("no auto_accept: pending-acceptance unless an accepter resource accepts it"),
        );
        PeeringStatus::PendingAcceptance
    };
    let dns = list(v, "requester")
        .iter()
        .chain(list(v, "accepter").iter())
        .any(|o| b(o, "allow_remote_vpc_dns_resolution") == Some(true));
    m.d.peerings.push(VpcPeering {
        id: id.clone(),
        name: i.address.clone(),
        requester_vpc,
        accepter_vpc,
        status,
        allow_dns_resolution: dns,
    });
    m.made(&id, ResourceKind::VpcPeering, m.d.peerings.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_vpc_peering_connection_accepter`.
pub fn peering_accepter(m: &mut Mapper, i: &Instance) {
    let Some(p) = m.id_of(i, "vpc_peering_connection_id", Some(ResourceKind::VpcPeering)) else { return };
    if b(&i.values, "auto_accept") == Some(true) {
        if let Some(x) = m.d.peerings.iter_mut().find(|x| x.id == p) {
            x.status = PeeringStatus::Active;
        }
    }
    peering_options(m, i);
}

/// `aws_vpc_peering_connection_options`: DNS resolution across the peering (P7).
pub fn peering_options(m: &mut Mapper, i: &Instance) {
    let Some(p) = m.id_of(i, "vpc_peering_connection_id", Some(ResourceKind::VpcPeering)) else { return };
    let dns = list(&i.values, "requester")
        .iter()
        .chain(list(&i.values, "accepter").iter())
        .any(|o| b(o, "allow_remote_vpc_dns_resolution") == Some(true));
    if dns {
        if let Some(x) = m.d.peerings.iter_mut().find(|x| x.id == p) {
            x.allow_dns_resolution = true;
        }
    }
}

fn elb_protocol(v: Option<&str>) -> Protocol {
    match v.map(str::to_ascii_uppercase).as_deref() {
        Some("UDP" | "GENEVE") => Protocol::Udp,
        _ => Protocol::Tcp,
    }
}

/// `aws_lb_target_group`.
pub fn target_group(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let kept = s(v, "target_type").and_then(TargetType::from_api).filter(|t| t.kept());
    // M10: a lambda group has no VPC of its own; its function's is settled once the functions
    // are read (`settle_lambda_target_groups`).
    let vpc = match kept {
        Some(TargetType::Lambda) => String::new(),
        _ => match m.vpc_of(i, "vpc_id") {
            Some(v) => v,
            None => return,
        },
    };
    // B1: a Gateway Load Balancer's target group is GENEVE on 6081 (the only port AWS takes).
    let geneve = s(v, "protocol").is_some_and(|p| p.eq_ignore_ascii_case("GENEVE"));
    let port = n(v, "port").and_then(|x| u16::try_from(x).ok()).unwrap_or(if geneve { 6081 } else { 80 });
    m.d.target_groups.push(TargetGroup {
        id: id.clone(),
        name: i.address.clone(),
        vpc,
        protocol: elb_protocol(s(v, "protocol")),
        port,
        targets: Vec::new(),
        appliance: Default::default(),
        target_type: kept,
    });
    m.made(&id, ResourceKind::TargetGroup, m.d.target_groups.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_lb`: one node per subnet, a placeholder address in each (and a public one when
/// internet-facing). A Gateway Load Balancer (B1) is internal and has no security groups.
pub fn load_balancer(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let kind = match s(v, "load_balancer_type") {
        Some("network") => LoadBalancerKind::Network,
        Some("gateway") => LoadBalancerKind::Gateway,
        _ => LoadBalancerKind::Application,
    };
    let scheme = if b(v, "internal") == Some(true) || kind == LoadBalancerKind::Gateway {
        LoadBalancerScheme::Internal
    } else {
        LoadBalancerScheme::InternetFacing
    };
    let mut wanted: Vec<(crate::io::terraform::value::Value, Option<std::net::Ipv4Addr>)> =
        list(v, "subnets").into_iter().map(|x| (x.clone(), None)).collect();
    for sm in list(v, "subnet_mapping") {
        wanted.push((get(sm, "subnet_id").clone(), super::ip(sm, "private_ipv4_address")));
    }
    let mut nodes = Vec::new();
    let mut vpc = None;
    for (sv, fixed) in wanted {
        let Some(subnet) = m.subnet_of(i, &sv, "subnets") else { continue };
        vpc = vpc.or_else(|| m.subnet_vpc(&subnet));
        let (private_ip, mut placeholder) = match fixed {
            Some(a) => (a, false),
            None => match m.ph.private_ip(&m.d, &subnet) {
                Some(a) => (a, true),
                None => continue,
            },
        };
        let public_ip = (scheme == LoadBalancerScheme::InternetFacing).then(|| {
            placeholder = true;
            m.ph.public_ip()
        });
        nodes.push(LoadBalancerNode { subnet, private_ip, public_ip, placeholder });
    }
    let Some(vpc) = vpc else {
        m.report.warn("", &i.address, crate::text!("load balancer without a usable subnet: skipped"));
        return;
    };
    m.report.info("", &i.address, crate::text!("node addresses assumed (AWS assigns them)"));
    let groups = m.ids_of(i, "security_groups", Some(ResourceKind::SecurityGroup));
    m.d.load_balancers.push(LoadBalancer {
        id: id.clone(),
        name: i.address.clone(),
        vpc,
        kind,
        scheme,
        nodes,
        security_groups: groups,
        listeners: Vec::new(),
        dns_name: String::new(),
    });
    m.made(&id, ResourceKind::LoadBalancer, m.d.load_balancers.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_lb_listener`: forwards to the default action's target group.
pub fn listener(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(lb) = m.id_of(i, "load_balancer_arn", Some(ResourceKind::LoadBalancer)) else { return };
    let tg = list(v, "default_action").into_iter().find_map(|a| {
        s(a, "target_group_arn").map(str::to_string).or_else(|| {
            list(a, "forward")
                .into_iter()
                .flat_map(|f| list(f, "target_group"))
                .find_map(|t| s(t, "arn").map(str::to_string))
        })
    });
    let target_group = tg.filter(|t| m.kinds.get(t) == Some(&ResourceKind::TargetGroup));
    let listener = Listener {
        port: n(v, "port").and_then(|x| u16::try_from(x).ok()).unwrap_or(0),
        protocol: elb_protocol(s(v, "protocol")),
        target_group,
    };
    match m.d.load_balancers.iter_mut().find(|l| l.id == lb) {
        Some(l) => l.listeners.push(listener),
        None => m.report.info(
            "",
            &i.address,
            crate::text!("a listener of a load balancer the configuration does not create: skipped"),
        ),
    }
}

/// `aws_lb_target_group_attachment`.
pub fn target_attachment(m: &mut Mapper, i: &Instance) {
    let (Some(tg), Some(target)) =
        (m.id_of(i, "target_group_arn", Some(ResourceKind::TargetGroup)), m.id_of(i, "target_id", None))
    else {
        return;
    };
    let port = n(&i.values, "port").and_then(|x| u16::try_from(x).ok());
    if let Some(t) = m.d.target_groups.iter_mut().find(|t| t.id == tg) {
        // M10, M11: a function or a load balancer takes no port of its own.
        let port = if t.target_type.is_some_and(TargetType::kept) { None } else { port };
        t.targets.push(Target { id: target, port });
    }
}

/// M10: a lambda group's attachment names its function by ARN (or name): the function as
/// vpcraft keeps it (`lambda-<address>`, functions in a VPC only, M7), whose VPC the group takes.
/// A group left without a function in a VPC is dropped, with the listeners' references to it.
pub fn settle_lambda_target_groups(m: &mut Mapper, instances: &[Instance]) {
    let mut by_ref: std::collections::HashMap<String, Id> = std::collections::HashMap::new();
    for i in instances.iter().filter(|i| i.ty == "aws_lambda_function" && !i.data) {
        let id = format!("lambda-{}", i.address);
        if m.d.compute_services.iter().any(|c| c.id == id) {
            for key in ["arn", "id", "function_name", "qualified_arn"] {
                if let Some(r) = s(&i.values, key) {
                    by_ref.insert(r.to_string(), id.clone());
                }
            }
        }
    }
    let mut dropped = Vec::new();
    for t in m.d.target_groups.iter_mut().filter(|t| t.target_type == Some(TargetType::Lambda)) {
        t.targets = t
            .targets
            .iter()
            .filter_map(|x| by_ref.get(&x.id))
            .map(|id| Target { id: id.clone(), port: None })
            .collect();
        let vpc =
            t.targets.first().and_then(|x| m.d.compute_services.iter().find(|c| c.id == x.id)).map(|c| c.vpc.clone());
        match vpc {
            Some(v) => t.vpc = v,
            None => dropped.push(t.id.clone()),
        }
    }
    for id in &dropped {
        let m2 = crate::text!(
            "lambda target group whose function is not a Lambda function in a VPC of the configuration (M7, M10): skipped"
        );
        m.report.info("", id, m2);
    }
    // Removed as a delete removes them: whatever named them (listeners) forgets them.
    m.d.delete_all_cascade(&dropped.into_iter().collect());
}

/// `aws_vpc_endpoint_service` (E9).
pub fn endpoint_service(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let mut lbs = m.ids_of(i, "network_load_balancer_arns", Some(ResourceKind::LoadBalancer));
    lbs.extend(m.ids_of(i, "gateway_load_balancer_arns", Some(ResourceKind::LoadBalancer)));
    lbs.retain(|l| m.kinds.contains_key(l));
    let service_name =
        s(v, "service_name").map(str::to_string).unwrap_or_else(|| format!("com.amazonaws.vpce.{}.{id}", i.region));
    let allowed_principals =
        list(v, "allowed_principals").into_iter().filter_map(|x| x.as_str().map(str::to_string)).collect();
    m.d.endpoint_services.push(EndpointService {
        id: id.clone(),
        name: i.address.clone(),
        service_name,
        region: i.region.clone(),
        load_balancers: lbs,
        acceptance_required: b(v, "acceptance_required").unwrap_or(true),
        allowed_principals,
    });
    m.made(&id, ResourceKind::EndpointService, m.d.endpoint_services.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_vpc_endpoint_service_allowed_principal`.
pub fn allowed_principal(m: &mut Mapper, i: &Instance) {
    let Some(svc) = m.id_of(i, "vpc_endpoint_service_id", Some(ResourceKind::EndpointService)) else { return };
    let Some(p) = s(&i.values, "principal_arn").map(str::to_string) else { return };
    if let Some(x) = m.d.endpoint_services.iter_mut().find(|x| x.id == svc) {
        x.allowed_principals.push(p);
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

/// `aws_vpc_endpoint`: gateway endpoints put `pl → vpce` in their tables (G2); interface
/// endpoints get one placeholder address per subnet (E1).
pub fn endpoint(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let Some(vpc) = m.vpc_of(i, "vpc_id") else { return };
    let Some(service) = s(v, "service_name").map(str::to_string) else {
        m.report.warn("", &i.address, crate::text!("endpoint without a known service_name: skipped"));
        return;
    };
    let kind = match s(v, "vpc_endpoint_type").map(str::to_ascii_lowercase).as_deref() {
        Some("interface") => EndpointKind::Interface,
        Some("gatewayloadbalancer") => EndpointKind::GatewayLoadBalancer,
        _ => EndpointKind::Gateway,
    };
    let own = m.d.endpoint_services.iter().find(|x| x.service_name == service);
    // A customer service asks for acceptance by default; AWS services accept at once (E8).
    let state = if own.is_some_and(|x| x.acceptance_required) && b(v, "auto_accept") != Some(true) {
        m.report.info(
            "",
            &i.address,
            crate::text!("the service requires acceptance: the endpoint is pendingAcceptance"),
        );
        EndpointState::PendingAcceptance
    } else {
        EndpointState::Available
    };
    let groups = m.ids_of(i, "security_group_ids", Some(ResourceKind::SecurityGroup));
    m.d.endpoints.push(VpcEndpoint {
        id: id.clone(),
        name: i.address.clone(),
        vpc,
        kind,
        service_name: service,
        state,
        route_tables: Vec::new(),
        interfaces: Vec::new(),
        security_groups: groups,
        private_dns_enabled: b(v, "private_dns_enabled").unwrap_or(false),
        dns_suffix: if kind == EndpointKind::Gateway { String::new() } else { dns_suffix(&id) },
    });
    m.made(&id, ResourceKind::VpcEndpoint, m.d.endpoints.len() - 1);
    m.tag_name(&id, i);
    for t in m.ids_of(i, "route_table_ids", Some(ResourceKind::RouteTable)) {
        add_endpoint_table(m, i, &id, &t);
    }
    let fixed: Vec<(String, std::net::Ipv4Addr)> = list(v, "subnet_configuration")
        .into_iter()
        .filter_map(|c| Some((s(c, "subnet_id")?.to_string(), super::ip(c, "ipv4")?)))
        .collect();
    for sv in list(v, "subnet_ids").into_iter().cloned().collect::<Vec<_>>() {
        if let Some(subnet) = m.subnet_of(i, &sv, "subnet_ids") {
            let ip = fixed.iter().find(|(s, _)| *s == subnet).map(|(_, a)| *a);
            add_endpoint_subnet(m, i, &id, &subnet, ip);
        }
    }
}

fn add_endpoint_table(m: &mut Mapper, i: &Instance, ep: &str, table: &str) {
    let Some(e) = m.d.endpoints.iter_mut().find(|e| e.id == ep) else { return };
    if e.kind != EndpointKind::Gateway || e.route_tables.iter().any(|t| t == table) {
        return;
    }
    e.route_tables.push(table.to_string());
    let service = e.service_name.clone();
    match ServiceCatalog::builtin().by_service_name(&service).and_then(|x| x.prefix_list_id.clone()) {
        Some(pl) => match m.table_mut(table) {
            Some(t) => t.routes.push(Route::gateway_endpoint(pl, ep)),
            None => m.report.info(
                "",
                &i.address,
                crate::text!("{table} is not created by the configuration: no route added"),
            ),
        },
        None => m.report.warn(
            "",
            &i.address,
            crate::text!("{service}: no prefix list known for it, so no routes were added"),
        ),
    }
}

fn add_endpoint_subnet(m: &mut Mapper, i: &Instance, ep: &str, subnet: &str, fixed: Option<std::net::Ipv4Addr>) {
    let (ip, placeholder) = match fixed {
        Some(a) => (a, false),
        None => match m.ph.private_ip(&m.d, subnet) {
            Some(a) => (a, true),
            None => return,
        },
    };
    if placeholder {
        m.report.info("", &i.address, crate::text!("interface address {ip} in {subnet} assumed (AWS assigns it)"));
    }
    if let Some(e) = m.d.endpoints.iter_mut().find(|e| e.id == ep) {
        if e.kind != EndpointKind::Gateway && !e.interfaces.iter().any(|x| x.subnet == subnet) {
            e.interfaces.push(EndpointInterface { subnet: subnet.to_string(), ip, eni: None, placeholder });
        }
    }
}

/// `aws_vpc_endpoint_route_table_association`.
pub fn endpoint_route_table(m: &mut Mapper, i: &Instance) {
    let (Some(ep), Some(t)) = (
        m.id_of(i, "vpc_endpoint_id", Some(ResourceKind::VpcEndpoint)),
        m.id_of(i, "route_table_id", Some(ResourceKind::RouteTable)),
    ) else {
        return;
    };
    add_endpoint_table(m, i, &ep, &t);
}

/// `aws_vpc_endpoint_subnet_association`.
pub fn endpoint_subnet(m: &mut Mapper, i: &Instance) {
    let Some(ep) = m.id_of(i, "vpc_endpoint_id", Some(ResourceKind::VpcEndpoint)) else { return };
    let sv = get(&i.values, "subnet_id").clone();
    if let Some(subnet) = m.subnet_of(i, &sv, "subnet_id") {
        add_endpoint_subnet(m, i, &ep, &subnet, None);
    }
}

/// `aws_vpc_endpoint_security_group_association`.
pub fn endpoint_group(m: &mut Mapper, i: &Instance) {
    let (Some(ep), Some(g)) = (
        m.id_of(i, "vpc_endpoint_id", Some(ResourceKind::VpcEndpoint)),
        m.id_of(i, "security_group_id", Some(ResourceKind::SecurityGroup)),
    ) else {
        return;
    };
    if let Some(e) = m.d.endpoints.iter_mut().find(|e| e.id == ep) {
        if b(&i.values, "replace_default_association") == Some(true) {
            e.security_groups.clear();
        }
        e.security_groups.push(g);
    }
}

/// `aws_ec2_transit_gateway`, with the default route table AWS makes when it associates or
/// propagates by default (T3).
pub fn transit_gateway(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let default_association = s(v, "default_route_table_association") != Some("disable");
    let default_propagation = s(v, "default_route_table_propagation") != Some("disable");
    let mut default_route_table = None;
    if default_association || default_propagation {
        let rt =
            s(v, "association_default_route_table_id").map(str::to_string).unwrap_or_else(|| format!("tgw-rtb-{id}"));
        m.d.tgw_route_tables.push(TgwRouteTable {
            id: rt.clone(),
            name: format!("{}.default_route_table", i.address),
            tgw: id.clone(),
            propagations: Vec::new(),
            static_routes: Vec::new(),
        });
        m.made(&rt, ResourceKind::TgwRouteTable, m.d.tgw_route_tables.len() - 1);
        default_route_table = Some(rt);
    }
    let asn = n(v, "amazon_side_asn").and_then(|a| u32::try_from(a).ok()).unwrap_or(64512);
    m.d.transit_gateways.push(TransitGateway {
        id: id.clone(),
        name: i.address.clone(),
        region: i.region.clone(),
        asn,
        default_association,
        default_propagation,
        default_route_table,
    });
    m.made(&id, ResourceKind::TransitGateway, m.d.transit_gateways.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_ec2_transit_gateway_route_table`.
pub fn tgw_route_table(m: &mut Mapper, i: &Instance) {
    let Some(id) = s(&i.values, "id").map(str::to_string) else { return };
    let Some(tgw) = m.id_of(i, "transit_gateway_id", Some(ResourceKind::TransitGateway)) else { return };
    m.d.tgw_route_tables.push(TgwRouteTable {
        id: id.clone(),
        name: i.address.clone(),
        tgw,
        propagations: Vec::new(),
        static_routes: Vec::new(),
    });
    m.made(&id, ResourceKind::TgwRouteTable, m.d.tgw_route_tables.len() - 1);
    m.tag_name(&id, i);
}

/// An attachment, associated with and propagating into the gateway's default table when both
/// the gateway and the attachment say so (T3).
fn add_attachment(
    m: &mut Mapper,
    i: &Instance,
    id: Id,
    tgw: Id,
    kind: TgwAttachmentKind,
    state: AttachmentState,
    (assoc, prop): (bool, bool),
) {
    let defaults =
        m.d.transit_gateway(&tgw)
            .map(|t| (t.default_association, t.default_propagation, t.default_route_table.clone()));
    let mut association = None;
    if let Some((a, p, Some(table))) = defaults {
        if a && assoc {
            association = Some(table.clone());
        }
        if p && prop {
            if let Some(t) = m.d.tgw_route_tables.iter_mut().find(|t| t.id == table) {
                t.propagations.push(id.clone());
            }
        }
    }
    m.d.tgw_attachments.push(TgwAttachment {
        id: id.clone(),
        name: i.address.clone(),
        tgw,
        kind,
        state,
        association,
        ipv6_support: false,
        appliance_mode: false,
    });
    m.made(&id, ResourceKind::TgwAttachment, m.d.tgw_attachments.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_ec2_transit_gateway_vpc_attachment` (T2).
pub fn tgw_vpc_attachment(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let (Some(tgw), Some(vpc)) =
        (m.id_of(i, "transit_gateway_id", Some(ResourceKind::TransitGateway)), m.vpc_of(i, "vpc_id"))
    else {
        return;
    };
    let mut subnets = Vec::new();
    for sv in list(v, "subnet_ids").into_iter().cloned().collect::<Vec<_>>() {
        subnets.extend(m.subnet_of(i, &sv, "subnet_ids"));
    }
    let assoc = b(v, "transit_gateway_default_route_table_association").unwrap_or(true);
    let prop = b(v, "transit_gateway_default_route_table_propagation").unwrap_or(true);
    add_attachment(
        m,
        i,
        id.clone(),
        tgw,
        TgwAttachmentKind::Vpc { vpc, subnets },
        AttachmentState::Available,
        (assoc, prop),
    );
    // T9: `appliance_mode_support = "enable"`.
    if s(v, "appliance_mode_support") == Some("enable") {
        if let Some(a) = m.d.tgw_attachments.iter_mut().find(|a| a.id == id) {
            a.appliance_mode = true;
        }
    }
    // T2: `ipv6_support = "enable"`.
    if s(v, "ipv6_support") == Some("enable") {
        if let Some(a) = m.d.tgw_attachments.iter_mut().find(|a| a.id == id) {
            a.ipv6_support = true;
        }
    }
}

/// `aws_ec2_transit_gateway_peering_attachment`: pending until the peer accepts it.
pub fn tgw_peering_attachment(m: &mut Mapper, i: &Instance) {
    let Some(id) = s(&i.values, "id").map(str::to_string) else { return };
    let (Some(tgw), Some(peer_tgw)) = (
        m.id_of(i, "transit_gateway_id", Some(ResourceKind::TransitGateway)),
        m.id_of(i, "peer_transit_gateway_id", Some(ResourceKind::TransitGateway)),
    ) else {
        return;
    };
    add_attachment(
        m,
        i,
        id,
        tgw,
        TgwAttachmentKind::Peering { peer_tgw },
        AttachmentState::PendingAcceptance,
        (false, false),
    );
}

/// `aws_vpn_connection` to a VGW or a TGW (with the attachment a TGW gets).
pub fn vpn_connection(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let Some(customer_gateway) = m.id_of(i, "customer_gateway_id", Some(ResourceKind::CustomerGateway)) else { return };
    let vpn_gateway = m.id_of(i, "vpn_gateway_id", Some(ResourceKind::VpnGateway));
    let transit_gateway = m.id_of(i, "transit_gateway_id", Some(ResourceKind::TransitGateway));
    m.d.vpn_connections.push(VpnConnection {
        id: id.clone(),
        name: i.address.clone(),
        customer_gateway,
        vpn_gateway,
        transit_gateway: transit_gateway.clone(),
        static_routes_only: b(v, "static_routes_only").unwrap_or(false),
        routes: Vec::new(),
        state: VpnState::Available,
    });
    m.made(&id, ResourceKind::VpnConnection, m.d.vpn_connections.len() - 1);
    m.tag_name(&id, i);
    if let Some(tgw) = transit_gateway {
        let att =
            s(v, "transit_gateway_attachment_id").map(str::to_string).unwrap_or_else(|| format!("tgw-attach-{id}"));
        add_attachment(m, i, att, tgw, TgwAttachmentKind::Vpn { vpn: id }, AttachmentState::Available, (true, true));
    }
}

/// `aws_vpn_connection_route`.
pub fn vpn_route(m: &mut Mapper, i: &Instance) {
    let Some(vpn) = m.id_of(i, "vpn_connection_id", Some(ResourceKind::VpnConnection)) else { return };
    let Some(c) = cidr(&i.values, "destination_cidr_block") else { return };
    if let Some(x) = m.d.vpn_connections.iter_mut().find(|x| x.id == vpn) {
        x.routes.push(c);
    }
}

fn attachment_and_table(m: &mut Mapper, i: &Instance) -> Option<(Id, Id)> {
    let a = m.id_of(i, "transit_gateway_attachment_id", Some(ResourceKind::TgwAttachment))?;
    let t = m.id_of(i, "transit_gateway_route_table_id", Some(ResourceKind::TgwRouteTable))?;
    Some((a, t))
}

/// `aws_ec2_transit_gateway_route_table_association`.
pub fn tgw_association(m: &mut Mapper, i: &Instance) {
    let Some((a, t)) = attachment_and_table(m, i) else { return };
    if let Some(x) = m.d.tgw_attachments.iter_mut().find(|x| x.id == a) {
        x.association = Some(t);
    }
}

/// `aws_ec2_transit_gateway_route_table_propagation`.
pub fn tgw_propagation(m: &mut Mapper, i: &Instance) {
    let Some((a, t)) = attachment_and_table(m, i) else { return };
    if let Some(x) = m.d.tgw_route_tables.iter_mut().find(|x| x.id == t) {
        if !x.propagations.contains(&a) {
            x.propagations.push(a);
        }
    }
}

/// `aws_ec2_transit_gateway_route` (T4; no attachment: a blackhole).
pub fn tgw_route(m: &mut Mapper, i: &Instance) {
    let Some(t) = m.id_of(i, "transit_gateway_route_table_id", Some(ResourceKind::TgwRouteTable)) else { return };
    let Some(c) = cidr(&i.values, "destination_cidr_block") else { return };
    let attachment = if b(&i.values, "blackhole") == Some(true) {
        None
    } else {
        m.id_of(i, "transit_gateway_attachment_id", Some(ResourceKind::TgwAttachment))
    };
    if let Some(x) = m.d.tgw_route_tables.iter_mut().find(|x| x.id == t) {
        x.static_routes.push(TgwRoute { cidr: c.into(), attachment });
    }
}
