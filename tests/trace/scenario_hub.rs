//! The scenario edits of hub-and-spoke networks (issue 15): transit gateway route tables and
//! appliance mode, Gateway Load Balancers with their appliances and endpoints, edge route
//! table associations, AWS Network Firewall, secondary CIDRs and removed routes. The format is
//! in `tests/scenarios/README.md`.

use crate::scenario_files::Edit;
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;

fn id(d: &Design, key: &str) -> Result<Id, String> {
    d.resolve(key).map(|r| r.id().to_string()).map_err(String::from)
}

/// A transit gateway attachment named by its id or name, or by the VPC it attaches.
fn attachment(d: &Design, key: &str) -> Result<Id, String> {
    if let Some(a) = d.tgw_attachments.iter().find(|a| a.id == key || a.name == key) {
        return Ok(a.id.clone());
    }
    let vpc = id(d, key)?;
    d.tgw_attachments
        .iter()
        .find(|a| matches!(&a.kind, TgwAttachmentKind::Vpc { vpc: v, .. } if *v == vpc))
        .map(|a| a.id.clone())
        .ok_or(format!("no transit gateway attachment of {key}"))
}

fn ip(s: &str) -> Result<std::net::Ipv4Addr, String> {
    s.parse().map_err(|e| format!("address '{s}': {e}"))
}

pub fn apply(b: &mut DesignBuilder, e: &Edit) -> Result<(), String> {
    let d = &mut b.design;
    match e {
        Edit::TgwTable { name, tgw, associate, propagate, routes } => {
            let tgw = id(d, tgw)?;
            let rt = d.new_id(ResourceKind::TgwRouteTable);
            let mut static_routes = Vec::new();
            for (cidr, via) in routes {
                let cidr = cidr.parse().map_err(|e| format!("'{cidr}': {e}"))?;
                let attachment = via.as_deref().map(|v| attachment(d, v)).transpose()?;
                static_routes.push(TgwRoute { cidr, attachment });
            }
            let propagations = propagate.iter().map(|p| attachment(d, p)).collect::<Result<_, _>>()?;
            for a in associate {
                let a = attachment(d, a)?;
                if let Some(x) = d.tgw_attachments.iter_mut().find(|x| x.id == a) {
                    x.association = Some(rt.clone());
                }
            }
            d.tgw_route_tables.push(TgwRouteTable { id: rt, name: name.clone(), tgw, propagations, static_routes });
        }
        Edit::ApplianceMode { attachment: a, on } => {
            let a = attachment(d, a)?;
            if let Some(x) = d.tgw_attachments.iter_mut().find(|x| x.id == a) {
                x.appliance_mode = *on;
            }
        }
        Edit::SecondaryCidr { vpc, cidr } => {
            let v = id(d, vpc)?;
            let c = cidr.parse().map_err(|e| format!("'{cidr}': {e}"))?;
            if let Some(x) = d.vpcs.iter_mut().find(|x| x.id == v) {
                x.secondary_cidrs.push(c);
            }
        }
        Edit::RemoveRoute { table, to } => {
            let t = id(d, table)?;
            let rt = d.route_tables.iter_mut().find(|x| x.id == t).ok_or(format!("no table {table}"))?;
            let before = rt.routes.len();
            rt.routes.retain(|r| r.destination.to_string() != *to);
            if rt.routes.len() == before {
                return Err(format!("{table} has no route to {to}"));
            }
        }
        Edit::EdgeAssociate { table, gateway } => {
            let (t, g) = (id(d, table)?, id(d, gateway)?);
            if let Some(x) = d.route_tables.iter_mut().find(|x| x.id == t) {
                x.gateways.push(g);
            }
        }
        Edit::EdgeDisassociate { table, gateway } => {
            let (t, g) = (id(d, table)?, id(d, gateway)?);
            if let Some(x) = d.route_tables.iter_mut().find(|x| x.id == t) {
                x.gateways.retain(|x| *x != g);
            }
        }
        Edit::Gwlb { name, vpc, nodes, appliances, rules } => {
            let v = id(d, vpc)?;
            let targets =
                appliances.iter().map(|a| Ok(Target { id: id(d, a)?, port: None })).collect::<Result<_, String>>()?;
            let tg = d.new_id(ResourceKind::TargetGroup);
            // B1: GENEVE on 6081.
            d.target_groups.push(TargetGroup {
                id: tg.clone(),
                name: format!("{name}-targets"),
                vpc: v.clone(),
                protocol: Protocol::Udp,
                port: 6081,
                targets,
                appliance: rules.clone(),
                target_type: None,
            });
            let mut n = Vec::new();
            for (s, a) in nodes {
                n.push(LoadBalancerNode { subnet: id(d, s)?, private_ip: ip(a)?, public_ip: None, placeholder: false });
            }
            let lb = d.new_id(ResourceKind::LoadBalancer);
            d.load_balancers.push(LoadBalancer {
                id: lb.clone(),
                name: name.clone(),
                vpc: v,
                kind: LoadBalancerKind::Gateway,
                scheme: LoadBalancerScheme::Internal,
                nodes: n,
                security_groups: Vec::new(),
                listeners: vec![Listener { port: 6081, protocol: Protocol::Udp, target_group: Some(tg) }],
                dns_name: String::new(),
            });
            let region = d.default_region.clone();
            let s = d.new_id(ResourceKind::EndpointService);
            d.endpoint_services.push(EndpointService {
                id: s.clone(),
                name: format!("{name}-service"),
                service_name: format!("com.amazonaws.vpce.{region}.{s}"),
                region,
                load_balancers: vec![lb],
                acceptance_required: false,
                allowed_principals: Vec::new(),
            });
        }
        Edit::ApplianceRules { gwlb, rules } => {
            let lb = id(d, gwlb)?;
            let tgs: Vec<Id> = d
                .load_balancer(&lb)
                .map(|l| l.listeners.iter().filter_map(|x| x.target_group.clone()).collect())
                .unwrap_or_default();
            for t in d.target_groups.iter_mut().filter(|t| tgs.contains(&t.id)) {
                t.appliance = rules.clone();
            }
        }
        Edit::GwlbEndpoint { id: ep, name, vpc, service, subnet, ip: addr } => {
            let v = id(d, vpc)?;
            let svc = id(d, service)?;
            let service_name = d.endpoint_service(&svc).map(|s| s.service_name.clone()).unwrap_or_default();
            let interface = EndpointInterface { subnet: id(d, subnet)?, ip: ip(addr)?, eni: None, placeholder: false };
            d.endpoints.push(VpcEndpoint {
                id: ep.clone(),
                name: name.clone(),
                vpc: v,
                kind: EndpointKind::GatewayLoadBalancer,
                service_name,
                state: EndpointState::Available,
                route_tables: Vec::new(),
                interfaces: vec![interface],
                security_groups: Vec::new(),
                private_dns_enabled: false,
                dns_suffix: String::new(),
            });
        }
        Edit::Firewall { name, vpc, endpoints, policy, groups } => {
            let v = id(d, vpc)?;
            let mut eps = Vec::new();
            for (ep, subnet, addr) in endpoints {
                eps.push(FirewallEndpoint {
                    id: ep.clone(),
                    subnet: id(d, subnet)?,
                    ip: ip(addr)?,
                    placeholder: false,
                });
            }
            d.firewall_rule_groups.extend(groups.iter().cloned());
            d.firewall_policies.push(policy.clone());
            d.network_firewalls.push(NetworkFirewall {
                id: format!("fw-{name}"),
                name: name.clone(),
                vpc: v,
                policy: policy.id.clone(),
                endpoints: eps,
            });
        }
        other => return Err(format!("not a hub edit: {other:?}")),
    }
    Ok(())
}
