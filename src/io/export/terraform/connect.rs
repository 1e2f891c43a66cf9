//! Peerings, prefix lists, endpoints, load balancers, transit gateways and VPNs.

use super::hcl::{Block, Hv};
use super::{keep, tags, Tf};
use crate::model::*;

/// Prefix lists, peerings, load balancers, endpoints, transit gateways and VPNs.
pub fn export(tf: &mut Tf) {
    prefix_lists(tf);
    peerings(tf);
    load_balancers(tf);
    endpoints(tf);
    transit(tf);
    vpn(tf);
}

fn has(tf: &Tf, id: &str) -> bool {
    tf.has(id)
}

fn prefix_lists(tf: &mut Tf) {
    let d = tf.d;
    for p in keep(d.prefix_lists.iter(), |p| has(tf, &p.id)) {
        let mut b = tf.resource("aws_ec2_managed_prefix_list", &tf.name(&p.id), &p.id);
        b.set("name", Hv::s(&p.name))
            .set("address_family", Hv::s("IPv4"))
            .set("max_entries", Hv::Num(p.cidrs.len().max(1) as i64));
        for c in &p.cidrs {
            let mut e = Block::new("entry", &[]);
            e.set("cidr", Hv::s(c.to_string()));
            b.child(e);
        }
        b.set("tags", tags(&p.name));
        tf.push(b);
    }
}

fn peerings(tf: &mut Tf) {
    let d = tf.d;
    for p in keep(d.peerings.iter(), |p| has(tf, &p.id)) {
        let mut b = tf.resource("aws_vpc_peering_connection", &tf.name(&p.id), &p.id);
        b.set("vpc_id", tf.r(&p.requester_vpc)).set("peer_vpc_id", tf.r(&p.accepter_vpc));
        let (req, acc) = (tf.ix.vpc(&p.requester_vpc), tf.ix.vpc(&p.accepter_vpc));
        let mut same = true;
        if let (Some(r), Some(a)) = (req, acc) {
            if r.region != a.region {
                b.set("peer_region", Hv::s(&a.region));
                same = false;
            }
            if let (Some(ra), Some(aa)) = (&r.account, &a.account) {
                if ra != aa {
                    b.set("peer_owner_id", Hv::s(aa));
                    same = false;
                }
            }
        }
        if same && p.status == PeeringStatus::Active {
            b.set("auto_accept", Hv::Bool(true));
        } else if p.status != PeeringStatus::Active {
            tf.note(format!("{}: status {} cannot be declared", p.name, p.status));
        }
        b.set("tags", tags(&p.name));
        tf.push(b);
        // Across regions or accounts the peer accepts it (P1): its side, through its provider.
        if !same && p.status == PeeringStatus::Active {
            let n = tf.fresh(&format!("{}_accepter", tf.name(&p.id)), "accepter");
            let mut a = tf.resource("aws_vpc_peering_connection_accepter", &n, &p.accepter_vpc);
            a.set("vpc_peering_connection_id", tf.r(&p.id)).set("auto_accept", Hv::Bool(true));
            tf.push(a);
        }
    }
}

fn load_balancers(tf: &mut Tf) {
    let d = tf.d;
    // A classic load balancer's target groups are its instances and ports (M6).
    for tg in keep(d.target_groups.iter(), |t| has(tf, &t.id) && !d.is_classic_target_group(&t.id)) {
        let name = tf.name(&tg.id);
        let protocol = tf.plan.target_group_protocol(tg);
        if !tg.appliance.is_allow_all() {
            // B2: what the appliances do is vpcraft's model of their software, not AWS's.
            tf.note(format!(
                "{}: the appliance rules ({} rules, default {}) describe the appliances' software and are not exported",
                tg.name,
                tg.appliance.rules.len(),
                tg.appliance.default
            ));
        }
        let target_type = tf.plan.target_type_name(tg);
        let lambda = tg.target_type == Some(TargetType::Lambda);
        let mut b = tf.resource("aws_lb_target_group", &name, &tg.id);
        // M10: a lambda group has no protocol, port or VPC.
        if !lambda {
            b.set("port", Hv::Num(if protocol == "GENEVE" { 6081 } else { i64::from(tg.port.max(1)) }))
                .set("protocol", Hv::s(protocol))
                .set("vpc_id", tf.r(&tg.vpc));
        }
        b.set("target_type", Hv::s(target_type)).set("tags", tags(&tg.name));
        tf.push(b);
        for t in &tg.targets {
            let n = tf.fresh(&format!("{name}_target"), "target");
            // M10: ELB needs leave to invoke the function first.
            let permission = lambda.then(|| {
                let pn = tf.fresh(&format!("{name}_invoke"), "permission");
                let mut p = tf.resource("aws_lambda_permission", &pn, &tg.id);
                p.set("action", Hv::s("lambda:InvokeFunction"))
                    .set("function_name", function_attr(tf, &t.id, "function_name"))
                    .set("principal", Hv::s("elasticloadbalancing.amazonaws.com"))
                    .set("source_arn", tf.attr(&tg.id, "arn"));
                tf.push(p);
                pn
            });
            let mut a = tf.resource("aws_lb_target_group_attachment", &n, &tg.id);
            // M10, M11: a function and a load balancer by their ARNs.
            let target = match tg.target_type {
                Some(TargetType::Lambda) => function_attr(tf, &t.id, "arn"),
                Some(TargetType::Alb) => tf.attr(&t.id, "arn"),
                _ => tf.r(&t.id),
            };
            a.set("target_group_arn", tf.attr(&tg.id, "arn")).set("target_id", target);
            if let Some(pn) = permission {
                a.set("depends_on", Hv::List(vec![Hv::Expr(format!("aws_lambda_permission.{pn}"))]));
            }
            if let Some(p) = t.port {
                a.set("port", Hv::Num(p.into()));
            }
            tf.push(a);
        }
    }
    for lb in keep(d.load_balancers.iter(), |l| has(tf, &l.id)) {
        let name = tf.name(&lb.id);
        let kind = match lb.kind {
            LoadBalancerKind::Network => "network",
            LoadBalancerKind::Application => "application",
            LoadBalancerKind::Gateway => "gateway",
            LoadBalancerKind::Classic => {
                super::services::classic_load_balancer(tf, lb, &name);
                continue;
            }
        };
        let mut b = tf.resource("aws_lb", &name, &lb.id);
        b.set("load_balancer_type", Hv::s(kind));
        if lb.kind != LoadBalancerKind::Gateway {
            b.set("internal", Hv::Bool(lb.scheme == LoadBalancerScheme::Internal));
        }
        b.set("subnets", Hv::List(lb.nodes.iter().map(|n| tf.r(&n.subnet)).collect()));
        if !lb.security_groups.is_empty() {
            b.set("security_groups", Hv::List(lb.security_groups.iter().map(|g| tf.r(g)).collect()));
        }
        b.set("tags", tags(&lb.name));
        tf.push(b);
        for li in &lb.listeners {
            let Some(tg) = li.target_group.as_deref().filter(|t| has(tf, t)) else {
                tf.note(format!("{}: listener {} has no target group; left out", lb.name, li.port));
                continue;
            };
            let n = tf.fresh(&format!("{name}_{}", li.port), "listener");
            let mut l = tf.resource("aws_lb_listener", &n, &lb.id);
            l.set("load_balancer_arn", tf.attr(&lb.id, "arn"));
            match lb.kind {
                LoadBalancerKind::Gateway | LoadBalancerKind::Classic => {}
                LoadBalancerKind::Application => {
                    l.set("port", Hv::Num(li.port.into())).set("protocol", Hv::s("HTTP"));
                }
                LoadBalancerKind::Network => {
                    let p = if li.protocol == Protocol::Udp { "UDP" } else { "TCP" };
                    l.set("port", Hv::Num(li.port.into())).set("protocol", Hv::s(p));
                }
            }
            let mut a = Block::new("default_action", &[]);
            a.set("type", Hv::s("forward")).set("target_group_arn", tf.attr(tg, "arn"));
            l.child(a);
            tf.push(l);
        }
    }
    for s in keep(d.endpoint_services.iter(), |s| has(tf, &s.id)) {
        let mut b = tf.resource("aws_vpc_endpoint_service", &tf.name(&s.id), &s.id);
        b.set("acceptance_required", Hv::Bool(s.acceptance_required));
        let (nlbs, gwlbs): (Vec<&Id>, Vec<&Id>) = s
            .load_balancers
            .iter()
            .filter(|l| has(tf, l))
            .partition(|l| tf.ix.load_balancer(l).is_none_or(|x| x.kind != LoadBalancerKind::Gateway));
        if !nlbs.is_empty() {
            b.set("network_load_balancer_arns", Hv::List(nlbs.iter().map(|l| tf.attr(l, "arn")).collect()));
        }
        if !gwlbs.is_empty() {
            b.set("gateway_load_balancer_arns", Hv::List(gwlbs.iter().map(|l| tf.attr(l, "arn")).collect()));
        }
        if !s.allowed_principals.is_empty() {
            b.set("allowed_principals", Hv::List(s.allowed_principals.iter().map(Hv::s).collect()));
        }
        b.set("tags", tags(&s.name));
        tf.push(b);
    }
}

fn endpoints(tf: &mut Tf) {
    let d = tf.d;
    for e in keep(d.endpoints.iter(), |e| has(tf, &e.id)) {
        let mut b = tf.resource("aws_vpc_endpoint", &tf.name(&e.id), &e.id);
        b.set("vpc_id", tf.r(&e.vpc));
        let own = tf.ix.endpoint_service_named(&e.service_name).filter(|s| has(tf, &s.id));
        b.set("service_name", own.map_or_else(|| Hv::s(&e.service_name), |s| tf.attr(&s.id, "service_name")));
        match e.kind {
            EndpointKind::Gateway => {
                b.set("vpc_endpoint_type", Hv::s("Gateway"))
                    .set("route_table_ids", Hv::List(e.route_tables.iter().map(|t| tf.r(t)).collect()));
            }
            EndpointKind::Interface => {
                // An available endpoint of a service that asks for acceptance was accepted (E8).
                if own.is_some_and(|s| s.acceptance_required) && e.state == EndpointState::Available {
                    b.set("auto_accept", Hv::Bool(true));
                }
                b.set("vpc_endpoint_type", Hv::s("Interface"))
                    .set("subnet_ids", Hv::List(e.interfaces.iter().map(|i| tf.r(&i.subnet)).collect()));
                if !e.security_groups.is_empty() {
                    b.set("security_group_ids", Hv::List(e.security_groups.iter().map(|g| tf.r(g)).collect()));
                }
                b.set("private_dns_enabled", Hv::Bool(e.private_dns_enabled));
            }
            EndpointKind::GatewayLoadBalancer => {
                b.set("vpc_endpoint_type", Hv::s("GatewayLoadBalancer"))
                    .set("subnet_ids", Hv::List(e.interfaces.iter().map(|i| tf.r(&i.subnet)).collect()));
            }
        }
        if e.state != EndpointState::Available {
            tf.note(format!("{}: state {} cannot be declared", e.name, e.state.api_name()));
        }
        b.set("tags", tags(&e.name));
        tf.push(b);
    }
}

fn transit(tf: &mut Tf) {
    let d = tf.d;
    for t in keep(d.transit_gateways.iter(), |t| has(tf, &t.id)) {
        let mut b = tf.resource("aws_ec2_transit_gateway", &tf.name(&t.id), &t.id);
        b.set("amazon_side_asn", Hv::Num(i64::from(if t.asn == 0 { 64512 } else { t.asn })))
            .set("default_route_table_association", Hv::s("disable"))
            .set("default_route_table_propagation", Hv::s("disable"))
            .set("tags", tags(&t.name));
        tf.push(b);
    }
    for a in keep(d.tgw_attachments.iter(), |a| has(tf, &a.id)) {
        let name = tf.name(&a.id);
        match &a.kind {
            TgwAttachmentKind::Vpc { vpc, subnets } => {
                let mut b = tf.resource("aws_ec2_transit_gateway_vpc_attachment", &name, &a.id);
                b.set("transit_gateway_id", tf.r(&a.tgw))
                    .set("vpc_id", tf.r(vpc))
                    .set("subnet_ids", Hv::List(subnets.iter().map(|s| tf.r(s)).collect()))
                    .set("transit_gateway_default_route_table_association", Hv::Bool(false))
                    .set("transit_gateway_default_route_table_propagation", Hv::Bool(false));
                if a.appliance_mode {
                    // T9.
                    b.set("appliance_mode_support", Hv::s("enable"));
                }
                if a.ipv6_support {
                    // T2: the attachment carries IPv6 only with IPv6 support on.
                    b.set("ipv6_support", Hv::s("enable"));
                }
                b.set("tags", tags(&a.name));
                tf.push(b);
            }
            TgwAttachmentKind::Peering { peer_tgw } => {
                let region = tf
                    .ix
                    .transit_gateway(peer_tgw)
                    .map(|t| t.region.clone())
                    .unwrap_or_else(|| d.default_region.clone());
                let mut b = tf.resource("aws_ec2_transit_gateway_peering_attachment", &name, &a.id);
                b.set("transit_gateway_id", tf.r(&a.tgw))
                    .set("peer_transit_gateway_id", tf.r(peer_tgw))
                    .set("peer_region", Hv::s(region))
                    .set("tags", tags(&a.name));
                tf.push(b);
            }
            TgwAttachmentKind::Vpn { .. } => {}
        }
    }
    let usable = |tf: &Tf, a: &str| has(tf, a) || tf.plan.created_by(a).is_some();
    for rt in keep(d.tgw_route_tables.iter(), |r| has(tf, &r.id)) {
        let name = tf.name(&rt.id);
        let mut b = tf.resource("aws_ec2_transit_gateway_route_table", &name, &rt.id);
        b.set("transit_gateway_id", tf.r(&rt.tgw)).set("tags", tags(&rt.name));
        tf.push(b);
        for a in
            keep(d.tgw_attachments.iter(), |a| a.association.as_deref() == Some(rt.id.as_str()) && usable(tf, &a.id))
        {
            let n = tf.fresh(&format!("{name}_association"), "association");
            let mut b = tf.resource("aws_ec2_transit_gateway_route_table_association", &n, &rt.id);
            b.set("transit_gateway_attachment_id", tf.r(&a.id)).set("transit_gateway_route_table_id", tf.r(&rt.id));
            tf.push(b);
        }
        for a in keep(rt.propagations.iter(), |a| usable(tf, a)) {
            let n = tf.fresh(&format!("{name}_propagation"), "propagation");
            let mut b = tf.resource("aws_ec2_transit_gateway_route_table_propagation", &n, &rt.id);
            b.set("transit_gateway_attachment_id", tf.r(a)).set("transit_gateway_route_table_id", tf.r(&rt.id));
            tf.push(b);
        }
        for r in &rt.static_routes {
            let n = tf.fresh(&format!("{name}_route"), "tgw_route");
            let mut b = tf.resource("aws_ec2_transit_gateway_route", &n, &rt.id);
            b.set("destination_cidr_block", Hv::s(r.cidr.to_string()))
                .set("transit_gateway_route_table_id", tf.r(&rt.id));
            match &r.attachment {
                Some(a) if usable(tf, a) => b.set("transit_gateway_attachment_id", tf.r(a)),
                Some(_) => continue,
                None => b.set("blackhole", Hv::Bool(true)),
            };
            tf.push(b);
        }
    }
}

fn vpn(tf: &mut Tf) {
    let d = tf.d;
    for c in keep(d.customer_gateways.iter(), |c| has(tf, &c.id)) {
        let mut b = tf.resource("aws_customer_gateway", &tf.name(&c.id), &c.id);
        b.set("bgp_asn", Hv::Num(c.bgp_asn.into()))
            .set("ip_address", Hv::s(c.ip.to_string()))
            .set("type", Hv::s("ipsec.1"))
            .set("tags", tags(&c.name));
        tf.push(b);
    }
    for v in keep(d.vpn_connections.iter(), |v| has(tf, &v.id)) {
        let name = tf.name(&v.id);
        let mut b = tf.resource("aws_vpn_connection", &name, &v.id);
        b.set("customer_gateway_id", tf.r(&v.customer_gateway)).set("type", Hv::s("ipsec.1"));
        if let Some(g) = &v.vpn_gateway {
            b.set("vpn_gateway_id", tf.r(g));
        } else if let Some(t) = &v.transit_gateway {
            b.set("transit_gateway_id", tf.r(t));
        }
        b.set("static_routes_only", Hv::Bool(v.static_routes_only)).set("tags", tags(&v.name));
        tf.push(b);
        if v.static_routes_only && v.vpn_gateway.is_some() {
            for r in &v.routes {
                let n = tf.fresh(&format!("{name}_route"), "vpn_route");
                let mut b = tf.resource("aws_vpn_connection_route", &n, &v.id);
                b.set("destination_cidr_block", Hv::s(r.to_string())).set("vpn_connection_id", tf.r(&v.id));
                tf.push(b);
            }
        } else if !v.routes.is_empty() {
            let list: Vec<String> = v.routes.iter().map(|r| r.to_string()).collect();
            let how = if v.static_routes_only { "need TGW routes" } else { "come from BGP" };
            tf.note(format!("{}: the customer-side prefixes {} {how}; not declared here", v.name, list.join(", ")));
        }
    }
}

/// An attribute of a Lambda function the configuration declares (M10), else its id as written.
fn function_attr(tf: &Tf, id: &str, attr: &str) -> Hv {
    match tf.services.get(id) {
        Some((ty, name)) => Hv::Expr(format!("{ty}.{name}.{attr}")),
        None => tf.attr(id, attr),
    }
}
