//! ELBv2 load balancers, target groups and listeners. A load balancer's interfaces become its
//! per-subnet nodes.

use super::compute::{eni_ip, eni_public_ip};
use super::json::{arr, ip, n, obj, s, so};
use super::{Ctx, EniRole};
use crate::model::*;

/// `net/<name>/<hex>` of a load balancer ARN (what its interfaces' descriptions name).
fn lb_key(arn: &str) -> Option<&str> {
    arn.split_once(":loadbalancer/").map(|(_, k)| k)
}

/// A short id from the hex tail of an ELBv2 ARN, e.g. `nlb-50dc6c495c0c9188`.
fn short_id(prefix: &str, arn: &str) -> Id {
    let tail = arn.rsplit('/').next().unwrap_or(arn);
    let clean: String = tail.chars().filter(|c| c.is_ascii_alphanumeric()).take(32).collect();
    format!("{prefix}-{clean}")
}

/// An ELBv2 protocol name as the model's IP protocol.
pub fn elb_protocol(p: Option<&str>) -> Protocol {
    match p.map(str::to_ascii_uppercase).as_deref() {
        Some("UDP" | "GENEVE") => Protocol::Udp,
        _ => Protocol::Tcp,
    }
}

/// Target groups, ELBv2 load balancers (nodes from their interfaces) and listeners.
pub fn import_load_balancers(cx: &mut Ctx) {
    for raw in cx.c.get("TargetGroups") {
        let v = &raw.v;
        let kept = s(v, "TargetType").and_then(TargetType::from_api).filter(|t| t.kept());
        // M10: a lambda group has no VPC of its own; its function's is settled once the
        // functions are read (`settle_lambda_target_groups`).
        let vpc = match (so(v, "VpcId"), kept) {
            (Some(vpc), _) => Some(vpc),
            (None, Some(TargetType::Lambda)) => Some(String::new()),
            (None, _) => None,
        };
        let (Some(arn), Some(vpc)) = (so(v, "TargetGroupArn"), vpc) else {
            cx.report.info(
                &raw.file,
                so(&raw.v, "TargetGroupArn").unwrap_or_default(),
                crate::text!("target group without a VPC: skipped"),
            );
            continue;
        };
        let id = short_id("tg", &arn);
        cx.tg_ids.insert(arn, id.clone());
        let port = n(v, "Port").and_then(|p| u16::try_from(p).ok()).unwrap_or(0);
        cx.d.target_groups.push(TargetGroup {
            id: id.clone(),
            name: so(v, "TargetGroupName").unwrap_or_else(|| id.clone()),
            vpc,
            protocol: elb_protocol(s(v, "Protocol")),
            port,
            targets: Vec::new(),
            appliance: Default::default(),
            target_type: kept,
        });
    }
    // Registered targets come from `describe-target-health`, whose output names its target
    // group only when a `TargetGroupArn` is written beside the list.
    for raw in cx.c.get("TargetHealthDescriptions") {
        let tg = raw.table.as_ref().and_then(|a| cx.tg_ids.get(a).cloned());
        let Some(tg) = tg else {
            cx.report.warn(
                &raw.file,
                "TargetHealthDescriptions",
                crate::text!("no TargetGroupArn of the snapshot beside the list: skipped"),
            );
            continue;
        };
        let t = obj(&raw.v, "Target");
        let Some(target) = so(t, "Id") else { continue };
        let port = n(t, "Port").and_then(|p| u16::try_from(p).ok());
        if let Some(g) = cx.d.target_groups.iter_mut().find(|g| g.id == tg) {
            // A lambda or alb group's target is named by its ARN, and takes no port.
            let port = if g.target_type.is_some_and(TargetType::kept) { None } else { port };
            g.targets.push(Target { id: target, port });
        }
    }
    if cx.c.get("TargetHealthDescriptions").is_empty() && !cx.c.get("TargetGroups").is_empty() {
        cx.report.info(
            "",
            "TargetGroups",
            crate::text!("registered targets are not in describe-target-groups output: target groups imported empty"),
        );
    }
    for raw in cx.c.get("LoadBalancers") {
        let v = &raw.v;
        let (Some(arn), Some(vpc)) = (so(v, "LoadBalancerArn"), so(v, "VpcId")) else { continue };
        let (kind, prefix) = match s(v, "Type") {
            Some("application") => (LoadBalancerKind::Application, "alb"),
            Some("gateway") => (LoadBalancerKind::Gateway, "gwlb"),
            _ => (LoadBalancerKind::Network, "nlb"),
        };
        let id = short_id(prefix, &arn);
        let scheme = if s(v, "Scheme") == Some("internet-facing") {
            LoadBalancerScheme::InternetFacing
        } else {
            LoadBalancerScheme::Internal
        };
        let key = lb_key(&arn).unwrap_or("").to_string();
        let mut nodes = Vec::new();
        for az in arr(v, "AvailabilityZones") {
            let Some(subnet) = so(az, "SubnetId") else { continue };
            let addrs = arr(az, "LoadBalancerAddresses");
            let eni = cx
                .enis
                .iter()
                .filter(|(id, r)| {
                    cx.eni_roles.get(*id) == Some(&EniRole::LoadBalancer(key.clone()))
                        && s(&r.v, "SubnetId") == Some(&subnet)
                })
                .map(|(_, r)| r.v.clone())
                .next();
            let known_private =
                addrs.iter().find_map(|a| ip(a, "PrivateIPv4Address")).or_else(|| eni.as_ref().and_then(eni_ip));
            let known_public =
                addrs.iter().find_map(|a| ip(a, "IpAddress")).or_else(|| eni.as_ref().and_then(eni_public_ip));
            let mut placeholder = false;
            let private_ip = match known_private {
                Some(a) => a,
                None => match cx.ph.private_ip(&cx.d, &subnet) {
                    Some(a) => {
                        placeholder = true;
                        a
                    }
                    None => continue,
                },
            };
            let public_ip = match (known_public, scheme) {
                (Some(p), _) => Some(p),
                (None, LoadBalancerScheme::InternetFacing) => {
                    placeholder = true;
                    Some(cx.ph.public_ip())
                }
                _ => None,
            };
            nodes.push(LoadBalancerNode { subnet, private_ip, public_ip, placeholder });
        }
        if nodes.iter().any(|n| n.placeholder) {
            cx.report.info(&raw.file, &id, crate::text!("node addresses not in the snapshot: placeholders used"));
        }
        if let Some(st) = s(obj(v, "State"), "Code").filter(|c| *c != "active") {
            cx.report.info(&raw.file, &id, crate::text!("load balancer state is {st}"));
        }
        cx.lb_ids.insert(arn, id.clone());
        cx.d.load_balancers.push(LoadBalancer {
            id: id.clone(),
            name: so(v, "LoadBalancerName").unwrap_or_else(|| id.clone()),
            vpc,
            kind,
            scheme,
            nodes,
            security_groups: super::json::strings(v, "SecurityGroups", None),
            listeners: Vec::new(),
            dns_name: so(v, "DNSName").unwrap_or_default(),
        });
    }
    // M11: an alb group's target is its load balancer's ARN: the load balancer's id when the
    // snapshot holds it (another account's stays as it is, which the trace says it cannot follow).
    for g in cx.d.target_groups.iter_mut().filter(|g| g.target_type == Some(TargetType::Alb)) {
        for t in &mut g.targets {
            if let Some(id) = cx.lb_ids.get(&t.id) {
                t.id = id.clone();
            }
        }
    }
    for raw in cx.c.get("Listeners") {
        let v = &raw.v;
        let Some(lb) = so(v, "LoadBalancerArn").and_then(|a| cx.lb_ids.get(&a).cloned()) else {
            cx.report.info(
                &raw.file,
                so(v, "ListenerArn").unwrap_or_default(),
                crate::text!("listener of a load balancer not in the snapshot: skipped"),
            );
            continue;
        };
        let tg_arn = arr(v, "DefaultActions").iter().find_map(|a| {
            so(a, "TargetGroupArn")
                .or_else(|| arr(obj(a, "ForwardConfig"), "TargetGroups").iter().find_map(|t| so(t, "TargetGroupArn")))
        });
        let listener = Listener {
            port: n(v, "Port").and_then(|p| u16::try_from(p).ok()).unwrap_or(0),
            protocol: elb_protocol(s(v, "Protocol")),
            target_group: tg_arn.and_then(|a| cx.tg_ids.get(&a).cloned()),
        };
        if let Some(l) = cx.ix.load_balancer_mut(&mut cx.d, &lb) {
            l.listeners.push(listener);
        }
    }
}

/// The function name of a Lambda function ARN (`arn:aws:lambda:<region>:<account>:function:<name>`,
/// maybe with a `:<qualifier>`), or the name itself.
fn function_name(arn: &str) -> &str {
    match arn.split_once(":function:") {
        Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
        None => arn,
    }
}

/// M10: each lambda target group's target is its function, known (from the interfaces it owns,
/// M7) once the services are read; the group is in the function's VPC. A group whose function
/// has no interface in the snapshot (not in a VPC, or not in the snapshot) cannot be followed:
/// it is skipped, and listeners forwarding to it forward to nothing the design holds.
pub fn settle_lambda_target_groups(cx: &mut Ctx) {
    let mut dropped = Vec::new();
    for g in cx.d.target_groups.iter_mut().filter(|g| g.target_type == Some(TargetType::Lambda)) {
        let functions: Vec<&ComputeService> = g
            .targets
            .iter()
            .filter_map(|t| {
                let id = format!("lambda-{}", function_name(&t.id));
                cx.d.compute_services.iter().find(|c| c.id == id && c.kind == ComputeKind::LambdaFunction)
            })
            .collect();
        g.targets = functions.iter().map(|c| Target { id: c.id.clone(), port: None }).collect();
        match functions.first() {
            Some(c) => g.vpc = c.vpc.clone(),
            None => dropped.push(g.id.clone()),
        }
    }
    for id in &dropped {
        cx.report.info(
            "",
            id,
            crate::text!(
                "lambda target group whose function has no network interface in the snapshot (M7, M10): skipped"
            ),
        );
    }
    // Removed as a delete removes them: whatever named them (listeners) forgets them.
    cx.d.delete_all_cascade(&dropped.into_iter().collect());
}
