//! The target group form.

use super::firewall_rules::{appliance_text, parse_appliance};
use super::{fixed, here, TreeSpot};
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::app::tree::plural;
use crate::model::ops::{Op, Ref, TargetSpec};
use crate::model::{
    ApplianceRules, Design, LoadBalancerKind, Protocol, Resource, ResourceKind as RK, TargetGroup, TargetType,
};
use std::collections::{HashMap, HashSet};

pub struct TargetGroupForm;
pub static FORM: TargetGroupForm = TargetGroupForm;

/// In a group of its VPC.
pub const TREE: TreeSpot = TreeSpot::InVpc { group: "Target groups", vpc, facts };

fn vpc(r: Resource<'_>) -> Option<&str> {
    match r {
        Resource::TargetGroup(t) => Some(&t.vpc),
        _ => None,
    }
}

fn facts(_: &Design, r: Resource<'_>, lang: crate::l10n::Lang) -> String {
    let Resource::TargetGroup(t) = r else { return String::new() };
    format!("{} {} · {}", t.protocol, t.port, plural(lang, t.targets.len(), "target"))
}

/// `ID[:PORT]`: an instance (id or name) or an address; in a `lambda` or `alb` group a Lambda
/// function or an application load balancer (M10, M11), which take no port.
fn target(d: &Design, ty: TargetType, s: &str) -> Result<TargetSpec, String> {
    match ty {
        TargetType::Lambda => {
            return Ok(TargetSpec::Lambda { function: parse::reference(d, s.trim(), &[RK::ComputeService]) })
        }
        TargetType::Alb => {
            return Ok(TargetSpec::Alb { load_balancer: parse::reference(d, s.trim(), &[RK::LoadBalancer]) })
        }
        TargetType::Instance | TargetType::Ip => {}
    }
    let (id, port) = match s.rsplit_once(':') {
        Some((a, p)) => (a.trim(), Some(parse::num::<u16>(p, 1, 65535, "a target port")?)),
        None => (s.trim(), None),
    };
    if let Ok(ip) = id.parse() {
        return Ok(TargetSpec::Ip { ip, port });
    }
    Ok(TargetSpec::Instance { instance: parse::reference(d, id, &[RK::Instance]), port })
}

fn targets_text(t: &TargetGroup) -> String {
    t.targets.iter().map(|x| x.port.map_or(x.id.clone(), |p| format!("{}:{p}", x.id))).collect::<Vec<_>>().join(", ")
}

/// The target types the form offers (M4, M10, M11).
fn types() -> Vec<Choice> {
    vec![
        Choice::new(TargetType::Instance.api_name(), "instance: instances of the VPC"),
        Choice::new(TargetType::Ip.api_name(), "ip: addresses in the VPC (tasks, interfaces)"),
        Choice::new(
            TargetType::Lambda.api_name(),
            "lambda: one Lambda function, for an application load balancer (M10)",
        ),
        Choice::new(
            TargetType::Alb.api_name(),
            "alb: one application load balancer of the VPC, for a network load balancer (M11)",
        ),
    ]
}

/// What AWS accepts as targets of a group of `ty` in `vpc` (M4): the VPC's instances, or the
/// private addresses of its interfaces and of the services' (ECS tasks…); the group's current
/// targets stay offered.
fn candidates(d: &Design, vpc: &str, ty: TargetType, current: &[String]) -> Vec<Choice> {
    let subnets: HashMap<&str, &str> = d.vpc_subnets(vpc).map(|s| (s.id.as_str(), s.name.as_str())).collect();
    let mut v: Vec<Choice> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let nics = d.network_interfaces.iter().filter(|n| subnets.contains_key(n.subnet.as_str()));
    match ty {
        TargetType::Instance => {
            let names: HashMap<&str, &str> = d.instances.iter().map(|i| (i.id.as_str(), i.name.as_str())).collect();
            for n in nics.filter(|n| n.device_index == 0) {
                let Some(i) = n.instance.as_deref() else { continue };
                if seen.insert(i.to_string()) {
                    let ip = n.private_ips.first().map(|a| a.to_string()).unwrap_or_default();
                    let name = names.get(i).copied().unwrap_or(i);
                    let subnet = subnets.get(n.subnet.as_str()).copied().unwrap_or_default();
                    v.push(Choice::new(i, format!("{name} ({i}, {ip}, {subnet})")));
                }
            }
        }
        TargetType::Ip => {
            for n in nics {
                for ip in &n.private_ips {
                    if seen.insert(ip.to_string()) {
                        v.push(Choice::new(ip.to_string(), format!("{ip} ({}, {})", n.name, n.id)));
                    }
                }
            }
            for c in d.compute_services.iter().filter(|c| c.vpc == vpc) {
                for x in &c.interfaces {
                    if seen.insert(x.ip.to_string()) {
                        v.push(Choice::new(x.ip.to_string(), format!("{} ({} {})", x.ip, c.kind.label(), c.name)));
                    }
                }
            }
        }
        // M10: the ALB invokes the function through the Lambda service, wherever its VPC is.
        TargetType::Lambda => {
            for c in d.compute_services.iter().filter(|c| c.kind == crate::model::ComputeKind::LambdaFunction) {
                if seen.insert(c.id.clone()) {
                    v.push(Choice::new(&c.id, format!("{} ({}, {})", c.name, c.id, c.vpc)));
                }
            }
        }
        // M11: an application load balancer of the group's VPC.
        TargetType::Alb => {
            let albs = d.load_balancers.iter().filter(|l| l.vpc == vpc && l.kind == LoadBalancerKind::Application);
            for l in albs {
                if seen.insert(l.id.clone()) {
                    let ports: Vec<String> = l.listeners.iter().map(|x| format!(":{}", x.port)).collect();
                    v.push(Choice::new(&l.id, format!("{} ({}, {})", l.name, l.id, ports.join(" "))));
                }
            }
        }
    }
    for id in current {
        if (ty.kept() || TargetType::of(id) == ty) && seen.insert(id.clone()) {
            v.push(Choice::new(id, id));
        }
    }
    v
}

/// The candidates for the form's VPC and type, keeping what is ticked.
fn refresh(form: &mut Form, d: &Design) {
    let ty = type_of(form.get("target_type"));
    let vpc = form.get("vpc").to_string();
    let current: Vec<String> = form
        .fields
        .iter()
        .find(|f| f.key == "targets")
        .map(|f| f.ticked().iter().map(|e| f.split_port(e).0.to_string()).collect())
        .unwrap_or_default();
    super::managed::refresh_multi(form, "targets", candidates(d, &vpc, ty, &current));
}

fn type_of(value: &str) -> TargetType {
    TargetType::from_api(value).unwrap_or(TargetType::Instance)
}

impl FormSpec for TargetGroupForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::TargetGroup)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let t = match target {
            FormTarget::Edit(id) => Some(d.target_group(id).ok_or("the target group is gone")?),
            _ => None,
        };
        let vpc = t.map_or(h.vpc.clone(), |t| t.vpc.clone());
        let ty = t.and_then(TargetGroup::target_type).unwrap_or(TargetType::Instance);
        let current: Vec<String> = t.map(|t| t.targets.iter().map(|x| x.id.clone()).collect()).unwrap_or_default();
        let text = t.map(targets_text).unwrap_or_default();
        Ok(vec![
            Field::text("name", "Name", t.map_or("", |t| &t.name), "unique within the VPC"),
            fixed(t.is_some(), Field::choice("vpc", "VPC", choices::vpcs(d), &vpc)),
            Field::text("protocol", "Protocol", t.map_or("tcp".into(), |t| t.protocol.to_string()), "tcp, udp …"),
            Field::text("port", "Port", t.map_or("80".into(), |t| t.port.to_string()), "1-65535"),
            // M4: the type is fixed once the group has targets; a lambda or alb group's when it
            // is made (M10, M11).
            fixed(
                t.is_some_and(|t| !t.targets.is_empty() || t.target_type.is_some()),
                Field::choice("target_type", "Target type", types(), ty.api_name()),
            ),
            Field::multi("targets", "Targets", candidates(d, &vpc, ty, &current), &text)
                .with_ports()
                .with_hint("Space ticks; :PORT then Space overrides the highlighted target's port (M4)"),
            Field::text(
                "appliance",
                "Appliance verdict",
                t.map(|t| appliance_text(&t.appliance)).unwrap_or_default(),
                "behind a GWLB: allow|deny PROTO SRC -> DST PORTS; …; default allow|deny (B2); empty allows all",
            ),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if matches!(key, "vpc" | "target_type") {
            refresh(form, d);
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let protocol = dr.field("protocol", Protocol::parse(g("protocol")), Protocol::Tcp);
        let port = dr.field("port", parse::num::<u16>(g("port"), 1, 65535, "the port"), 80);
        let ty = type_of(g("target_type"));
        let targets: Result<Vec<TargetSpec>, String> =
            parse::list(g("targets")).iter().map(|t| target(d, ty, t)).collect();
        let targets = dr.field("targets", targets, Vec::new());
        let appliance = dr.field("appliance", parse_appliance(g("appliance")), ApplianceRules::default());
        match form.editing() {
            None => {
                dr.require_vpc(form);
                dr.ops.push(Op::AddTargetGroup {
                    name: g("name").to_string(),
                    vpc: Ref::id(g("vpc")),
                    protocol,
                    port,
                    targets,
                    target_type: ty.kept().then_some(ty),
                });
                if !appliance.is_allow_all() {
                    // The id the add above gives it.
                    let target_group = Ref::id(d.new_id(RK::TargetGroup));
                    dr.ops.push(Op::SetTargetGroupAppliance { target_group, appliance });
                }
            }
            Some(id) => {
                let Some(t) = d.target_group(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let bad = |k: &str| dr.errors.iter().any(|(x, _)| *x == k);
                let name = parse::changed(g("name").to_string(), &t.name);
                let protocol = parse::changed(protocol, &t.protocol).filter(|_| !bad("protocol"));
                let port = parse::changed(port, &t.port).filter(|_| !bad("port"));
                let targets = (g("targets") != targets_text(t) && !bad("targets")).then_some(targets);
                if name.is_some() || protocol.is_some() || port.is_some() || targets.is_some() {
                    dr.ops.push(Op::UpdateTargetGroup { target_group: Ref::id(id), name, protocol, port, targets });
                }
                if appliance != t.appliance && !bad("appliance") {
                    dr.ops.push(Op::SetTargetGroupAppliance { target_group: Ref::id(id), appliance });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "target_group" => "name",
            f => f,
        }
    }
}
