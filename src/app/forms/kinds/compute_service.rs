//! The compute-in-a-VPC form: a Lambda function (M7), an ECS service with awsvpc networking
//! (M8) or an EKS cluster (M9). Its fields follow the type: the ECS task settings or the EKS
//! endpoint access appear when that type is chosen.

use super::managed::{refresh_choice, refresh_multi};
use super::{fixed, here};
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{compute_spec, ComputeSpec, EcsTargetSpec, Op, Ref};
use crate::model::services::LaunchType;
use crate::model::{ComputeService, Design, ResourceKind as RK, TargetType};

pub struct ComputeServiceForm;
pub static FORM: ComputeServiceForm = ComputeServiceForm;

fn kinds() -> Vec<Choice> {
    vec![
        Choice::new("Lambda", "Lambda function (VpcConfig)"),
        Choice::new("Ecs", "ECS service (awsvpc)"),
        Choice::new("Eks", "EKS cluster"),
    ]
}

fn kind_value(s: &ComputeSpec) -> &'static str {
    match s {
        ComputeSpec::Lambda => "Lambda",
        ComputeSpec::Ecs { .. } => "Ecs",
        ComputeSpec::Eks { .. } => "Eks",
    }
}

/// The groups that may be an EKS cluster's own, or none (EKS then makes one).
fn cluster_groups(d: &Design, vpc: &str) -> Vec<Choice> {
    let mut v = vec![choices::none("(the one EKS creates)")];
    v.extend(choices::security_groups(d, vpc));
    v
}

/// The target groups an ECS service with awsvpc networking may register in (M8): its VPC's
/// groups of target type ip, and the empty ones (either type may still be registered there).
fn ip_target_groups(d: &Design, vpc: &str) -> Vec<Choice> {
    d.target_groups
        .iter()
        .filter(|t| t.vpc == vpc && t.target_type() != Some(TargetType::Instance))
        .map(|t| Choice::new(&t.id, format!("{} ({}, {} {}, ip)", t.name, t.id, t.protocol, t.port)))
        .collect()
}

/// A service's registrations as the picker ticks them: `tg-…:container port`.
fn lb_text(l: &[EcsTargetSpec]) -> String {
    l.iter().map(|l| format!("{}:{}", l.target_group.key(), l.container_port)).collect::<Vec<_>>().join(", ")
}

/// The ticked target groups, each with its container port (the group's port when none is
/// given, as the console proposes).
fn lb_specs(form: &Form, d: &Design) -> Vec<EcsTargetSpec> {
    let Some(f) = form.fields.iter().find(|f| f.key == "load_balancers") else { return Vec::new() };
    f.ticked()
        .iter()
        .map(|e| {
            let (tg, port) = f.split_port(e);
            let group_port = d.target_group(tg).map_or(0, |t| t.port);
            let container_port = port.and_then(|p| p.parse().ok()).unwrap_or(group_port);
            EcsTargetSpec { target_group: Ref::id(tg), container_port }
        })
        .collect()
}

/// The form's fields for a type: the shared ones, then that type's own.
fn fields_for(d: &Design, kind: &str, vpc: &str, x: Option<&ComputeService>) -> Vec<Field> {
    let edit = x.is_some();
    let spec = x.map(|x| compute_spec(d, x));
    let mut f = vec![
        Field::text("name", "Name", x.map_or("", |x| &x.name), "unique within the VPC"),
        fixed(edit, Field::choice("vpc", "VPC", choices::vpcs(d), vpc)),
        fixed(edit, Field::choice("kind", "Type", kinds(), kind)),
        Field::multi(
            "subnets",
            "Subnets",
            choices::subnets(d, Some(vpc)),
            &x.map(|x| parse::ids_text(&x.subnets)).unwrap_or_default(),
        )
        .with_hint(match kind {
            "Lambda" => "one interface per subnet; private subnets with a NAT (M7)",
            "Ecs" => "its tasks spread over them, one interface each (M8)",
            _ => "at least two zones (M9)",
        }),
        Field::multi(
            "security_groups",
            "Security groups",
            choices::security_groups(d, vpc),
            &x.map(|x| parse::ids_text(&x.security_groups)).unwrap_or_default(),
        )
        .with_hint(if kind == "Lambda" {
            "required with its subnets (M7)"
        } else {
            "type to find, Space ticks; none: the VPC default group (S5)"
        }),
    ];
    match kind {
        "Ecs" => {
            let (cluster, launch, public, count, lbs) = match &spec {
                Some(ComputeSpec::Ecs { cluster, launch_type, assign_public_ip, desired_count, load_balancers }) => (
                    cluster.clone(),
                    *launch_type,
                    *assign_public_ip,
                    *desired_count,
                    load_balancers.as_deref().map(lb_text).unwrap_or_default(),
                ),
                _ => (String::new(), LaunchType::Fargate, false, 1, String::new()),
            };
            f.push(Field::text("cluster", "Cluster", cluster, "the ECS cluster's name"));
            f.push(Field::choice(
                "launch_type",
                "Launch type",
                choices::enums(&[LaunchType::Fargate, LaunchType::Ec2]),
                &choices::name_of(launch),
            ));
            f.push(
                Field::yes_no("assign_public_ip", "Assign public IP", public)
                    .with_hint("Fargate only: each task gets a public address (M8)"),
            );
            f.push(Field::text("desired_count", "Tasks", count.to_string(), "desired count: one interface per task"));
            f.push(
                Field::multi("load_balancers", "Target groups", ip_target_groups(d, vpc), &lbs)
                    .with_ports()
                    .with_hint("ip target groups the tasks register in (M8); :PORT then Space sets the container port"),
            );
        }
        "Eks" => {
            let (public, private, cidrs, group) = match &spec {
                Some(ComputeSpec::Eks {
                    public_access,
                    private_access,
                    public_access_cidrs,
                    cluster_security_group,
                }) => (
                    *public_access,
                    *private_access,
                    parse::join(public_access_cidrs),
                    cluster_security_group.as_ref().map(|r| r.key().to_string()).unwrap_or_default(),
                ),
                _ => (true, false, String::new(), String::new()),
            };
            f.push(Field::yes_no("public_access", "Public endpoint", public).with_hint("on by default (M9)"));
            f.push(
                Field::yes_no("private_access", "Private endpoint", private)
                    .with_hint("the API server through interfaces in the VPC (M9)"),
            );
            f.push(Field::text(
                "public_access_cidrs",
                "Public access CIDRs",
                cidrs,
                "comma-separated public CIDRs; empty: 0.0.0.0/0 (M9)",
            ));
            f.push(Field::choice("cluster_security_group", "Cluster group", cluster_groups(d, vpc), &group));
        }
        _ => {}
    }
    f
}

impl FormSpec for ComputeServiceForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::ComputeService)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let x = match target {
            FormTarget::Edit(id) => Some(d.compute_service(id).ok_or("the service is gone")?),
            _ => None,
        };
        let vpc = x.map_or(h.vpc.clone(), |x| x.vpc.clone());
        let kind = x.map_or("Lambda", |x| kind_value(&compute_spec(d, x)));
        Ok(fields_for(d, kind, &vpc, x))
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        let vpc = form.get("vpc").to_string();
        match key {
            "kind" => {
                // Rebuild the type's own fields; what the user already gave stays.
                let kind = form.get("kind").to_string();
                let mut fresh = fields_for(d, &kind, &vpc, None);
                for f in &mut fresh {
                    if let Some(old) = form.fields.iter().find(|o| o.key == f.key) {
                        f.input = old.input.clone();
                        f.touched = old.touched;
                    }
                }
                form.fields = fresh;
            }
            "vpc" => {
                refresh_multi(form, "subnets", choices::subnets(d, Some(&vpc)));
                refresh_multi(form, "security_groups", choices::security_groups(d, &vpc));
                refresh_choice(form, "cluster_security_group", cluster_groups(d, &vpc));
                refresh_multi(form, "load_balancers", ip_target_groups(d, &vpc));
            }
            _ => {}
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let spec = match g("kind") {
            "Ecs" => ComputeSpec::Ecs {
                cluster: g("cluster").trim().to_string(),
                launch_type: choices::pick(&[LaunchType::Fargate, LaunchType::Ec2], g("launch_type")),
                assign_public_ip: form.flag("assign_public_ip"),
                desired_count: dr.field(
                    "desired_count",
                    parse::num::<u32>(g("desired_count"), 0, 1000, "the task count"),
                    1,
                ),
                load_balancers: Some(lb_specs(form, d)),
            },
            "Eks" => ComputeSpec::Eks {
                public_access: form.flag("public_access"),
                private_access: form.flag("private_access"),
                public_access_cidrs: dr.field(
                    "public_access_cidrs",
                    parse::cidrs(g("public_access_cidrs")),
                    Vec::new(),
                ),
                cluster_security_group: parse::opt_ref(g("cluster_security_group")),
            },
            _ => ComputeSpec::Lambda,
        };
        let subnets = parse::refs(d, g("subnets"), &[RK::Subnet]);
        let groups = parse::refs(d, g("security_groups"), &[RK::SecurityGroup]);
        match form.editing() {
            None => {
                dr.require_vpc(form);
                dr.ops.push(Op::AddComputeService { name: g("name").to_string(), kind: spec, subnets, groups });
            }
            Some(id) => {
                let Some(x) = d.compute_service(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &x.name);
                let kind = parse::changed(spec, &compute_spec(d, x));
                let subnets = parse::refs_change(d, g("subnets"), &[RK::Subnet], &x.subnets);
                let groups = parse::refs_change(d, g("security_groups"), &[RK::SecurityGroup], &x.security_groups);
                if name.is_some() || kind.is_some() || subnets.is_some() || groups.is_some() {
                    dr.ops.push(Op::UpdateComputeService { service: Ref::id(id), name, kind, subnets, groups });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "groups" => "security_groups",
            "service" => "name",
            "public_access"
            | "private_access"
            | "public_access_cidrs"
            | "cluster_security_group"
            | "assign_public_ip"
            | "desired_count"
            | "load_balancers"
            | "kind" => op_field,
            f => f,
        }
    }
}
