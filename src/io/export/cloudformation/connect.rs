//! Peerings, prefix lists, endpoints and endpoint services, load balancers, transit gateways,
//! customer gateways and VPN connections.

use super::{name_tag, Cfn};
use crate::model::*;
use serde_json::{json, Value};

/// Prefix lists, peerings, load balancers, endpoints, transit gateways and VPNs.
pub fn export(cx: &mut Cfn) {
    prefix_lists(cx);
    peerings(cx);
    load_balancers(cx);
    endpoint_services(cx);
    endpoints(cx);
    transit(cx);
    vpn(cx);
}

fn logical(cx: &Cfn, id: &str) -> String {
    cx.plan.name(id).unwrap_or_default().to_string()
}

fn prefix_lists(cx: &mut Cfn) {
    let d = cx.d;
    for p in super::keep(d.prefix_lists.iter(), |p| cx.declared(&p.id)) {
        let entries: Vec<Value> = p.cidrs.iter().map(|c| json!({ "Cidr": c.to_string() })).collect();
        cx.add(
            &logical(cx, &p.id),
            "AWS::EC2::PrefixList",
            json!({
                "PrefixListName": p.name,
                "AddressFamily": "IPv4",
                "MaxEntries": p.cidrs.len().max(1),
                "Entries": entries,
                "Tags": name_tag(&p.name),
            }),
        );
    }
}

fn peerings(cx: &mut Cfn) {
    let d = cx.d;
    for p in super::keep(d.peerings.iter(), |p| cx.declared(&p.id)) {
        let mut props =
            json!({ "VpcId": cx.r(&p.requester_vpc), "PeerVpcId": cx.r(&p.accepter_vpc), "Tags": name_tag(&p.name) });
        let (req, acc) = (cx.ix.vpc(&p.requester_vpc), cx.ix.vpc(&p.accepter_vpc));
        if let (Some(r), Some(a)) = (req, acc) {
            if r.region != a.region {
                props["PeerRegion"] = json!(a.region);
            }
            if let (Some(ra), Some(aa)) = (&r.account, &a.account) {
                if ra != aa {
                    props["PeerOwnerId"] = json!(aa);
                }
            }
        }
        if p.status != PeeringStatus::Active {
            cx.note(format!("{}: status {} cannot be declared; the accepter still has to accept", p.name, p.status));
        }
        cx.add(&logical(cx, &p.id), "AWS::EC2::VPCPeeringConnection", props);
    }
}

fn load_balancers(cx: &mut Cfn) {
    let d = cx.d;
    // A classic load balancer's target groups are its instances and ports (M6).
    for tg in super::keep(d.target_groups.iter(), |t| cx.declared(&t.id) && !d.is_classic_target_group(&t.id)) {
        let protocol = cx.plan.target_group_protocol(tg);
        if !tg.appliance.is_allow_all() {
            // B2: what the appliances do is vpcraft's model of their software, not AWS's.
            cx.note(format!(
                "{}: the appliance rules ({} rules, default {}) describe the appliances' software and are not exported",
                tg.name,
                tg.appliance.rules.len(),
                tg.appliance.default
            ));
        }
        let port = if protocol == "GENEVE" { 6081 } else { tg.port.max(1) };
        let target_type = cx.plan.target_type_name(tg);
        let lambda = tg.target_type == Some(TargetType::Lambda);
        let targets: Vec<Value> = tg
            .targets
            .iter()
            .map(|t| {
                // M10: a function by its ARN; M11: a load balancer's Ref is its ARN.
                let id = if lambda { cx.getatt(&t.id, "Arn") } else { cx.r(&t.id) };
                let mut v = json!({ "Id": id });
                if let Some(p) = t.port {
                    v["Port"] = json!(p);
                }
                v
            })
            .collect();
        // M10: a lambda group has no protocol, port or VPC, and ELB needs leave to invoke the
        // function before the function can be registered.
        let mut p = if lambda {
            json!({ "TargetType": target_type, "Tags": name_tag(&tg.name) })
        } else {
            json!({
                "VpcId": cx.r(&tg.vpc),
                "Protocol": protocol,
                "Port": port,
                "TargetType": target_type,
                "Tags": name_tag(&tg.name),
            })
        };
        if !targets.is_empty() {
            p["Targets"] = json!(targets);
        }
        let l = logical(cx, &tg.id);
        let mut deps = Vec::new();
        if lambda {
            for (k, t) in tg.targets.iter().enumerate() {
                let name = format!("{l}Invoke{}", if k == 0 { String::new() } else { k.to_string() });
                let perm = json!({
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": cx.getatt(&t.id, "Arn"),
                    "Principal": "elasticloadbalancing.amazonaws.com",
                });
                cx.add(&name, "AWS::Lambda::Permission", perm);
                deps.push(name);
            }
        }
        cx.add_with(&l, "AWS::ElasticLoadBalancingV2::TargetGroup", p, deps);
    }
    for lb in super::keep(d.load_balancers.iter(), |l| cx.declared(&l.id)) {
        let l = logical(cx, &lb.id);
        let kind = match lb.kind {
            LoadBalancerKind::Network => "network",
            LoadBalancerKind::Application => "application",
            LoadBalancerKind::Gateway => "gateway",
            LoadBalancerKind::Classic => {
                super::services::classic_load_balancer(cx, lb, &l);
                continue;
            }
        };
        let subnets: Vec<Value> = lb.nodes.iter().map(|n| cx.r(&n.subnet)).collect();
        let mut p = json!({ "Type": kind, "Subnets": subnets, "Tags": name_tag(&lb.name) });
        if lb.kind != LoadBalancerKind::Gateway {
            let scheme = if lb.scheme == LoadBalancerScheme::InternetFacing { "internet-facing" } else { "internal" };
            p["Scheme"] = json!(scheme);
        }
        if !lb.security_groups.is_empty() && lb.kind != LoadBalancerKind::Gateway {
            p["SecurityGroups"] = json!(lb.security_groups.iter().map(|g| cx.r(g)).collect::<Vec<_>>());
        }
        // An internet-facing load balancer needs its VPC's internet gateway attached first.
        let deps: Vec<String> = d
            .vpc_internet_gateway(&lb.vpc)
            .filter(|_| lb.scheme == LoadBalancerScheme::InternetFacing)
            .and_then(|g| super::network::attachment_of(cx, &g.id))
            .into_iter()
            .collect();
        cx.add_with(&l, "AWS::ElasticLoadBalancingV2::LoadBalancer", p, deps);
        for li in &lb.listeners {
            let Some(tg) = li.target_group.as_deref().filter(|t| cx.declared(t)) else {
                cx.note(format!("{}: listener {} has no target group; left out", lb.name, li.port));
                continue;
            };
            let mut lp = json!({
                "LoadBalancerArn": { "Ref": l },
                "DefaultActions": [{ "Type": "forward", "TargetGroupArn": cx.r(tg) }],
            });
            match lb.kind {
                LoadBalancerKind::Gateway | LoadBalancerKind::Classic => {}
                LoadBalancerKind::Application => {
                    lp["Port"] = json!(li.port);
                    lp["Protocol"] = json!("HTTP");
                }
                LoadBalancerKind::Network => {
                    lp["Port"] = json!(li.port);
                    lp["Protocol"] = json!(if li.protocol == Protocol::Udp { "UDP" } else { "TCP" });
                }
            }
            let n = cx.fresh(&format!("{l}Listener{}", li.port), "Listener");
            cx.add(&n, "AWS::ElasticLoadBalancingV2::Listener", lp);
        }
    }
}

fn endpoint_services(cx: &mut Cfn) {
    let d = cx.d;
    for s in super::keep(d.endpoint_services.iter(), |s| cx.declared(&s.id)) {
        let l = logical(cx, &s.id);
        let (nlbs, gwlbs): (Vec<&Id>, Vec<&Id>) = s
            .load_balancers
            .iter()
            .filter(|x| cx.declared(x))
            .partition(|x| cx.ix.load_balancer(x).is_none_or(|lb| lb.kind != LoadBalancerKind::Gateway));
        let mut p = json!({ "AcceptanceRequired": s.acceptance_required });
        if !nlbs.is_empty() {
            p["NetworkLoadBalancerArns"] = json!(nlbs.iter().map(|x| cx.r(x)).collect::<Vec<_>>());
        }
        if !gwlbs.is_empty() {
            p["GatewayLoadBalancerArns"] = json!(gwlbs.iter().map(|x| cx.r(x)).collect::<Vec<_>>());
        }
        cx.add(&l, "AWS::EC2::VPCEndpointService", p);
        if !s.allowed_principals.is_empty() {
            let n = cx.fresh(&format!("{l}Permissions"), "Permissions");
            cx.add(
                &n,
                "AWS::EC2::VPCEndpointServicePermissions",
                json!({ "ServiceId": { "Ref": l }, "AllowedPrincipals": s.allowed_principals }),
            );
        }
    }
}

/// The service name of an endpoint: built from the endpoint service when it is in the stack.
fn service_name(cx: &Cfn, e: &VpcEndpoint) -> Value {
    let own = cx.ix.endpoint_service_named(&e.service_name).filter(|s| cx.declared(&s.id));
    match own {
        Some(s) => json!({ "Fn::Join": ["", ["com.amazonaws.vpce.", { "Ref": "AWS::Region" }, ".", cx.r(&s.id)]] }),
        None => json!(e.service_name),
    }
}

fn endpoints(cx: &mut Cfn) {
    let d = cx.d;
    for e in super::keep(d.endpoints.iter(), |e| cx.declared(&e.id)) {
        let mut p = json!({ "VpcId": cx.r(&e.vpc), "ServiceName": service_name(cx, e) });
        match e.kind {
            EndpointKind::Gateway => {
                p["VpcEndpointType"] = json!("Gateway");
                let tables: Vec<Value> = e.route_tables.iter().map(|t| cx.r(t)).filter(|v| !v.is_string()).collect();
                if tables.len() < e.route_tables.len() {
                    cx.note(format!(
                        "{}: a route table no subnet uses (an unused main table) is not associated",
                        e.name
                    ));
                }
                p["RouteTableIds"] = json!(tables);
            }
            EndpointKind::Interface | EndpointKind::GatewayLoadBalancer => {
                let interface = e.kind == EndpointKind::Interface;
                p["VpcEndpointType"] = json!(if interface { "Interface" } else { "GatewayLoadBalancer" });
                p["SubnetIds"] = json!(e.interfaces.iter().map(|i| cx.r(&i.subnet)).collect::<Vec<_>>());
                if interface {
                    if !e.security_groups.is_empty() {
                        p["SecurityGroupIds"] = json!(e.security_groups.iter().map(|g| cx.r(g)).collect::<Vec<_>>());
                    }
                    p["PrivateDnsEnabled"] = json!(e.private_dns_enabled);
                }
            }
        }
        if e.state != EndpointState::Available {
            cx.note(format!("{}: state {} cannot be declared", e.name, e.state.api_name()));
        }
        cx.add(&logical(cx, &e.id), "AWS::EC2::VPCEndpoint", p);
    }
}

fn transit(cx: &mut Cfn) {
    let d = cx.d;
    for t in super::keep(d.transit_gateways.iter(), |t| cx.declared(&t.id)) {
        cx.add(
            &logical(cx, &t.id),
            "AWS::EC2::TransitGateway",
            json!({
                "AmazonSideAsn": if t.asn == 0 { 64512 } else { t.asn },
                "DefaultRouteTableAssociation": "disable",
                "DefaultRouteTablePropagation": "disable",
                "Tags": name_tag(&t.name),
            }),
        );
        cx.note(format!("{}: route tables, associations and propagations are declared explicitly", t.name));
    }
    for a in super::keep(d.tgw_attachments.iter(), |a| cx.declared(&a.id)) {
        let l = logical(cx, &a.id);
        match &a.kind {
            TgwAttachmentKind::Vpc { vpc, subnets } => {
                let mut p = json!({
                    "TransitGatewayId": cx.r(&a.tgw),
                    "VpcId": cx.r(vpc),
                    "SubnetIds": subnets.iter().map(|s| cx.r(s)).collect::<Vec<_>>(),
                    "Tags": name_tag(&a.name),
                });
                if a.appliance_mode {
                    // T9.
                    p["Options"] = json!({ "ApplianceModeSupport": "enable" });
                }
                if a.ipv6_support {
                    // T2: the attachment carries IPv6 only with Ipv6Support on.
                    p["Options"]["Ipv6Support"] = json!("enable");
                }
                cx.add(&l, "AWS::EC2::TransitGatewayVpcAttachment", p);
            }
            TgwAttachmentKind::Peering { peer_tgw } => {
                let region = cx
                    .ix
                    .transit_gateway(peer_tgw)
                    .map(|t| t.region.clone())
                    .unwrap_or_else(|| cx.plan.regions[0].clone());
                let p = json!({
                    "TransitGatewayId": cx.r(&a.tgw),
                    "PeerTransitGatewayId": cx.r(peer_tgw),
                    "PeerRegion": region,
                    "PeerAccountId": { "Ref": "AWS::AccountId" },
                    "Tags": name_tag(&a.name),
                });
                cx.add(&l, "AWS::EC2::TransitGatewayPeeringAttachment", p);
            }
            TgwAttachmentKind::Vpn { .. } => {
                cx.plan.names.reserve(&l);
                cx.note(format!("{}: a VPN attachment is created by its VPN connection and cannot be referred to; its association, propagations and routes are left out", a.name));
            }
        }
    }
    let usable = |cx: &Cfn, a: &str| cx.resources.contains_key(cx.plan.name(a).unwrap_or_default());
    for rt in super::keep(d.tgw_route_tables.iter(), |r| cx.declared(&r.id)) {
        let l = logical(cx, &rt.id);
        cx.add(
            &l,
            "AWS::EC2::TransitGatewayRouteTable",
            json!({ "TransitGatewayId": cx.r(&rt.tgw), "Tags": name_tag(&rt.name) }),
        );
        for a in super::keep(d.tgw_attachments.iter(), |a| {
            a.association.as_deref() == Some(rt.id.as_str()) && usable(cx, &a.id)
        }) {
            let n = cx.fresh(&format!("{l}Association"), "TgwAssociation");
            let p = json!({ "TransitGatewayAttachmentId": cx.r(&a.id), "TransitGatewayRouteTableId": { "Ref": l } });
            cx.add(&n, "AWS::EC2::TransitGatewayRouteTableAssociation", p);
        }
        for a in super::keep(rt.propagations.iter(), |a| usable(cx, a)) {
            let n = cx.fresh(&format!("{l}Propagation"), "TgwPropagation");
            let p = json!({ "TransitGatewayAttachmentId": cx.r(a), "TransitGatewayRouteTableId": { "Ref": l } });
            cx.add(&n, "AWS::EC2::TransitGatewayRouteTablePropagation", p);
        }
        for r in &rt.static_routes {
            let mut p =
                json!({ "TransitGatewayRouteTableId": { "Ref": l }, "DestinationCidrBlock": r.cidr.to_string() });
            match &r.attachment {
                Some(a) if usable(cx, a) => p["TransitGatewayAttachmentId"] = cx.r(a),
                Some(_) => continue,
                None => p["Blackhole"] = json!(true),
            }
            let n = cx.fresh(&format!("{l}Route"), "TgwRoute");
            cx.add(&n, "AWS::EC2::TransitGatewayRoute", p);
        }
    }
}

fn vpn(cx: &mut Cfn) {
    let d = cx.d;
    for c in super::keep(d.customer_gateways.iter(), |c| cx.declared(&c.id)) {
        cx.add(
            &logical(cx, &c.id),
            "AWS::EC2::CustomerGateway",
            json!({ "Type": "ipsec.1", "BgpAsn": c.bgp_asn, "IpAddress": c.ip.to_string(), "Tags": name_tag(&c.name) }),
        );
    }
    for v in super::keep(d.vpn_connections.iter(), |v| cx.declared(&v.id)) {
        let l = logical(cx, &v.id);
        let mut p = json!({
            "Type": "ipsec.1",
            "CustomerGatewayId": cx.r(&v.customer_gateway),
            "StaticRoutesOnly": v.static_routes_only,
            "Tags": name_tag(&v.name),
        });
        let mut deps = Vec::new();
        if let Some(g) = &v.vpn_gateway {
            p["VpnGatewayId"] = cx.r(g);
            deps.extend(super::network::attachment_of(cx, g));
        } else if let Some(t) = &v.transit_gateway {
            p["TransitGatewayId"] = cx.r(t);
        }
        cx.add_with(&l, "AWS::EC2::VPNConnection", p, deps);
        if v.static_routes_only {
            for r in &v.routes {
                let n = cx.fresh(&format!("{l}Route"), "VpnRoute");
                let p = json!({ "DestinationCidrBlock": r.to_string(), "VpnConnectionId": { "Ref": l } });
                cx.add(&n, "AWS::EC2::VPNConnectionRoute", p);
            }
        } else if !v.routes.is_empty() {
            let list: Vec<String> = v.routes.iter().map(|r| r.to_string()).collect();
            cx.note(format!(
                "{}: BGP advertises {} from the customer side; not part of the template",
                v.name,
                list.join(", ")
            ));
        }
    }
}
