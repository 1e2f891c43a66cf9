//! Target groups (M4, M8, M10, M11): their type and targets, and which listeners may forward
//! to them. `instance` and `ip` groups take instances and addresses (M4); a `lambda` group one
//! Lambda function, invoked by an application load balancer (M10); an `alb` group one
//! application load balancer of its VPC with a listener on the group's port, behind a network
//! load balancer's TCP listener (M11).

use super::common::Cx;
use super::{Applied, Op, OpError, Prepare, Ref, TargetSpec};
use crate::model::*;
use crate::rules::Rule;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

use ResourceKind as RK;

pub(super) fn prepare(cx: Cx<'_>, op: &Op) -> Prepare {
    match op {
        Op::AddTargetGroup { name, vpc, protocol, port, targets, target_type } => {
            let c = Change { name: Some(name), protocol: Some(*protocol), port: Some(*port), targets: Some(targets) };
            target_group(cx, Err(vpc), c, *target_type)
        }
        Op::UpdateTargetGroup { target_group: tg, name, protocol, port, targets } => {
            let c = Change { name: name.as_deref(), protocol: *protocol, port: *port, targets: targets.as_deref() };
            target_group(cx, Ok(tg), c, None)
        }
        _ => Err(vec![OpError::invalid("", None, "not a peering, endpoint or load balancer op")]),
    }
}

/// What an op sets on a target group.
struct Change<'a> {
    name: Option<&'a str>,
    protocol: Option<Protocol>,
    port: Option<u16>,
    targets: Option<&'a [TargetSpec]>,
}

/// The type a target an op names makes it.
fn spec_type(t: &TargetSpec) -> TargetType {
    match t {
        TargetSpec::Instance { .. } => TargetType::Instance,
        TargetSpec::Ip { .. } => TargetType::Ip,
        TargetSpec::Lambda { .. } => TargetType::Lambda,
        TargetSpec::Alb { .. } => TargetType::Alb,
    }
}

/// M10, M11: the listeners of a load balancer of `kind` (`lb` when it exists) forward to
/// target groups whose type fits it.
pub(super) fn check_listeners(cx: &mut Cx<'_>, kind: LoadBalancerKind, lb: Option<&str>, listeners: &[Listener]) {
    for l in listeners {
        let Some(tg) = l.target_group.as_deref().and_then(|t| cx.d.target_group(t)) else { continue };
        match tg.target_type() {
            Some(TargetType::Lambda) if kind != LoadBalancerKind::Application => {
                let m = crate::text!(
                    "{} is a lambda target group: only an application load balancer invokes Lambda functions (M10)",
                    tg.id
                );
                cx.bad("listeners", Some(Rule::M10), m);
            }
            Some(TargetType::Alb) if kind != LoadBalancerKind::Network || l.protocol != Protocol::Tcp => {
                let m = crate::text!(
                    "{} is an alb target group: only a network load balancer's TCP listener forwards to it (M11)",
                    tg.id
                );
                cx.bad("listeners", Some(Rule::M11), m);
            }
            Some(TargetType::Alb) if lb.is_some() && tg.targets.iter().any(|t| Some(t.id.as_str()) == lb) => {
                let m = crate::text!("{} forwards to itself through {} (M11)", lb.unwrap_or_default(), tg.id);
                cx.bad("listeners", Some(Rule::M11), m);
            }
            _ => {}
        }
    }
}

/// M10: a lambda group's one target is a Lambda function of the design.
fn check_lambda(cx: &mut Cx<'_>, targets: &[Target]) {
    if targets.len() > 1 {
        cx.bad("targets", Some(Rule::M10), crate::text!("a lambda target group takes one Lambda function (M10)"));
    }
    for t in targets {
        let lambda = cx.d.compute_service(&t.id).is_some_and(|c| c.kind == ComputeKind::LambdaFunction);
        if !lambda {
            let m = crate::text!("{} is not a Lambda function: a lambda target group's target is one (M10)", t.id);
            cx.bad("targets", Some(Rule::M10), m);
        }
    }
}

/// M11: an alb group's one target is an application load balancer in the group's VPC with a
/// listener on the group's port; the group is TCP.
fn check_alb(cx: &mut Cx<'_>, vpc: &str, protocol: Protocol, port: u16, targets: &[Target]) {
    if protocol != Protocol::Tcp {
        cx.bad(
            "protocol",
            Some(Rule::M11),
            crate::text!("an alb target group forwards TCP only, not {protocol} (M11)"),
        );
    }
    if targets.len() > 1 {
        let m = crate::text!("an alb target group takes one application load balancer (M11)");
        cx.bad("targets", Some(Rule::M11), m);
    }
    for t in targets {
        let Some(lb) = cx.d.load_balancer(&t.id).filter(|l| l.kind == LoadBalancerKind::Application) else {
            let m =
                crate::text!("{} is not an application load balancer: an alb target group's target is one (M11)", t.id);
            cx.bad("targets", Some(Rule::M11), m);
            continue;
        };
        if lb.vpc != vpc {
            let m = crate::text!(
                "{} is in {} and the target group in {vpc}: an alb target group's load balancer is in its VPC (M11)",
                lb.id,
                lb.vpc
            );
            cx.bad("targets", Some(Rule::M11), m);
        }
        if !lb.listeners.iter().any(|l| l.port == port) {
            let m = crate::text!(
                "{} has no listener on port {port}: an alb target group's port is a listener port of its load balancer (M11)",
                lb.id
            );
            cx.bad("port", Some(Rule::M11), m);
        }
    }
}

/// The ranges an `ip` target outside its group's VPC may be in (M4): RFC 1918 and the shared
/// address space, for peered VPCs and networks on premises.
const IP_TARGET_RANGES: [(u8, u8, u8); 4] = [(10, 0, 8), (172, 16, 12), (192, 168, 16), (100, 64, 10)];

/// M4: a target group has one target type; its instances are in its VPC; its addresses are in
/// its VPC's CIDRs or private ranges, never public.
fn check_targets(cx: &mut Cx<'_>, vpc: &str, targets: &[Target]) {
    let Some(first) = targets.first() else { return };
    let ty = TargetType::of(&first.id);
    if let Some(t) = targets.iter().find(|t| TargetType::of(&t.id) != ty) {
        let m = format!(
            "{} is an {} target and {} an {} one: a target group has one target type (M4)",
            first.id,
            ty.api_name(),
            t.id,
            TargetType::of(&t.id).api_name()
        );
        cx.bad("targets", Some(Rule::M4), m);
        return;
    }
    let cidrs: Vec<Ipv4Net> = cx.d.vpc(vpc).map(|v| v.cidrs().collect()).unwrap_or_default();
    for t in targets {
        match t.id.parse::<Ipv4Addr>() {
            Ok(ip) => {
                let private = IP_TARGET_RANGES
                    .iter()
                    .any(|&(a, b, len)| Ipv4Net::new(Ipv4Addr::new(a, b, 0, 0), len).is_ok_and(|n| n.contains(&ip)));
                if !private && !cidrs.iter().any(|c| c.contains(&ip)) {
                    let m = format!(
                        "{ip} is neither in the VPC's CIDRs nor a private address: ip targets cannot be public (M4)"
                    );
                    cx.bad("targets", Some(Rule::M4), m);
                }
            }
            Err(_) => {
                let home =
                    cx.d.instance_interfaces(&t.id).first().and_then(|n| cx.d.subnet(&n.subnet)).map(|s| s.vpc.clone());
                if home.as_deref().is_some_and(|h| h != vpc) {
                    let m = format!("{} is in another VPC: an instance target is in its group's VPC (M4)", t.id);
                    cx.bad("targets", Some(Rule::M4), m);
                }
            }
        }
    }
}

/// Add a target group to a VPC (`Err(vpc)`) or change one (`Ok(tg)`). `typed` is the type an
/// add names; without it the first target says it.
fn target_group(mut cx: Cx<'_>, which: Result<&Ref, &Ref>, c: Change<'_>, typed: Option<TargetType>) -> Prepare {
    let (editing, vpc) = match which {
        Ok(r) => {
            let Some(id) = cx.id(r, RK::TargetGroup, "target_group") else { return cx.stop() };
            let vpc = cx.d.target_group(&id).map(|t| t.vpc.clone()).unwrap_or_default();
            (Some(id), vpc)
        }
        Err(v) => match cx.id(v, RK::Vpc, "vpc") {
            Some(v) => (None, v),
            None => return cx.stop(),
        },
    };
    if let Some(n) = c.name {
        cx.name(RK::TargetGroup, n, Some(&vpc), editing.as_deref());
    }
    if c.port == Some(0) {
        cx.bad("port", None, "the port must be a number from 1 to 65535");
    }
    let old = editing.as_deref().and_then(|i| cx.d.target_group(i)).cloned();
    // The type: fixed when the group is made (M4); an instance or ip group's targets say it.
    let kept = match &old {
        Some(g) => g.target_type.filter(|t| t.kept()),
        None => typed.or_else(|| c.targets.and_then(|t| t.first()).map(spec_type)).filter(|t| t.kept()),
    };
    let protocol_now = c.protocol.or(old.as_ref().map(|g| g.protocol)).unwrap_or(Protocol::Tcp);
    let port_now = c.port.or(old.as_ref().map(|g| g.port)).unwrap_or(80);
    let mut resolved = None;
    if let Some(ts) = c.targets {
        let want = kept.or_else(|| old.as_ref().and_then(TargetGroup::target_type)).or(typed);
        let mut out = Vec::new();
        for t in ts {
            let ty = spec_type(t);
            if let Some(w) = want.filter(|w| *w != ty && (w.kept() || ty.kept())) {
                let m = crate::text!(
                    "{} is a {} target group and {} a {} target: a target group's type is fixed when it is made (M4)",
                    editing.as_deref().or(c.name).unwrap_or_default(),
                    w.api_name(),
                    t_key(t),
                    ty.api_name()
                );
                cx.bad("targets", Some(Rule::M4), m);
                return cx.stop();
            }
            match t {
                TargetSpec::Instance { instance, port } => {
                    let Some(id) = cx.id(instance, RK::Instance, "targets") else { return cx.stop() };
                    out.push(Target { id, port: *port });
                }
                TargetSpec::Ip { ip, port } => out.push(Target { id: ip.to_string(), port: *port }),
                // Any resource resolves here, so that one of the wrong kind is refused citing
                // the rule (M10, M11) rather than as a mere kind mismatch.
                TargetSpec::Lambda { function: r } | TargetSpec::Alb { load_balancer: r } => {
                    match super::common::resolve_ref(cx.d, r, &[RK::ComputeService, RK::LoadBalancer, RK::Instance]) {
                        Ok((_, id)) => out.push(Target { id, port: None }),
                        Err(m) => {
                            cx.fail(OpError::not_found("targets", m));
                            return cx.stop();
                        }
                    }
                }
            }
        }
        match kept {
            Some(TargetType::Lambda) => check_lambda(&mut cx, &out),
            Some(TargetType::Alb) => check_alb(&mut cx, &vpc, protocol_now, port_now, &out),
            _ => check_targets(&mut cx, &vpc, &out),
        }
        resolved = Some(out);
    } else if kept == Some(TargetType::Alb) && (c.protocol.is_some() || c.port.is_some()) {
        let targets = old.as_ref().map(|g| g.targets.clone()).unwrap_or_default();
        check_alb(&mut cx, &vpc, protocol_now, port_now, &targets);
    }
    // M10, M11: the listeners that forward here still fit (a new protocol or port).
    if let Some(g) = &old {
        let users: Vec<(LoadBalancerKind, Id, Listener)> =
            cx.d.load_balancers
                .iter()
                .flat_map(|l| {
                    l.listeners
                        .iter()
                        .filter(|x| x.target_group.as_deref() == Some(g.id.as_str()))
                        .map(|x| (l.kind, l.id.clone(), x.clone()))
                })
                .collect();
        for (kind, lb, l) in users {
            check_listeners(&mut cx, kind, Some(&lb), &[l]);
        }
    }
    let name = c.name.map(str::to_string);
    let (protocol, port) = (c.protocol, c.port);
    cx.finish(&[RK::TargetGroup], move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_id(RK::TargetGroup);
                d.target_groups.push(TargetGroup {
                    id: id.clone(),
                    name: String::new(),
                    vpc,
                    protocol: protocol.unwrap_or(Protocol::Tcp),
                    port: port.unwrap_or(80),
                    targets: Vec::new(),
                    appliance: Default::default(),
                    target_type: kept,
                });
                (id.clone(), Some(id))
            }
        };
        if let Some(t) = d.target_groups.iter_mut().find(|t| t.id == id) {
            if let Some(n) = name {
                t.name = n;
            }
            if let Some(p) = protocol {
                t.protocol = p;
            }
            if let Some(p) = port {
                t.port = p;
            }
            if let Some(x) = resolved {
                t.targets = x;
            }
        }
        Applied { created, touched: vec![id] }
    })
}

/// How an op names a target, for a message.
fn t_key(t: &TargetSpec) -> String {
    match t {
        TargetSpec::Instance { instance: r, .. }
        | TargetSpec::Lambda { function: r }
        | TargetSpec::Alb { load_balancer: r } => r.key().to_string(),
        TargetSpec::Ip { ip, .. } => ip.to_string(),
    }
}
