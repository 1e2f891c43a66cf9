//! The target group form.

use super::firewall_rules::{appliance_text, parse_appliance};
use super::{fixed, here, TreeSpot};
use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::app::tree::plural;
use crate::model::ops::{Op, Ref, TargetSpec};
use crate::model::{ApplianceRules, Design, Protocol, Resource, ResourceKind as RK, TargetGroup};

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

fn facts(_: &Design, r: Resource<'_>) -> String {
    let Resource::TargetGroup(t) = r else { return String::new() };
    format!("{} {} · {}", t.protocol, t.port, plural(crate::l10n::Lang::En, t.targets.len(), "target"))
}

/// `ID[:PORT]`: an instance (id or name) or an address.
fn target(d: &Design, s: &str) -> Result<TargetSpec, String> {
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
        Ok(vec![
            Field::text("name", "Name", t.map_or("", |t| &t.name), "unique within the VPC"),
            fixed(t.is_some(), Field::choice("vpc", "VPC", choices::vpcs(d), t.map_or(&h.vpc, |t| &t.vpc))),
            Field::text("protocol", "Protocol", t.map_or("tcp".into(), |t| t.protocol.to_string()), "tcp, udp …"),
            Field::text("port", "Port", t.map_or("80".into(), |t| t.port.to_string()), "1-65535"),
            Field::text(
                "targets",
                "Targets",
                t.map(targets_text).unwrap_or_default(),
                "instance ids or IPs, each with an optional :port",
            ),
            Field::text(
                "appliance",
                "Appliance verdict",
                t.map(|t| appliance_text(&t.appliance)).unwrap_or_default(),
                "behind a GWLB: allow|deny PROTO SRC -> DST PORTS; …; default allow|deny (B2); empty allows all",
            ),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let protocol = dr.field("protocol", Protocol::parse(g("protocol")), Protocol::Tcp);
        let port = dr.field("port", parse::num::<u16>(g("port"), 1, 65535, "the port"), 80);
        let targets: Result<Vec<TargetSpec>, String> = parse::list(g("targets")).iter().map(|t| target(d, t)).collect();
        let targets = dr.field("targets", targets, Vec::new());
        let appliance = dr.field("appliance", parse_appliance(g("appliance")), ApplianceRules::default());
        match form.editing() {
            None => {
                if g("vpc").is_empty() {
                    dr.errors.push(("vpc", "required: add a VPC first".into()));
                }
                dr.ops.push(Op::AddTargetGroup {
                    name: g("name").to_string(),
                    vpc: Ref::id(g("vpc")),
                    protocol,
                    port,
                    targets,
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
