//! The egress-only internet gateway form (I5).

use super::fixed;
use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind};

pub struct EgressOnlyIgwForm;
pub static FORM: EgressOnlyIgwForm = EgressOnlyIgwForm;

impl FormSpec for EgressOnlyIgwForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::EgressOnlyInternetGateway)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = super::here(d, ctx);
        let g = match target {
            FormTarget::Edit(id) => {
                Some(d.egress_only_internet_gateways.iter().find(|x| x.id == *id).ok_or("the gateway is gone")?)
            }
            _ => None,
        };
        Ok(vec![
            Field::text("name", "Name", g.map_or("", |g| &g.name), ""),
            fixed(g.is_some(), Field::choice("vpc", "VPC", choices::vpcs(d), g.map_or(&h.vpc, |g| &g.vpc)))
                .with_hint("one per VPC, IPv6 only (I5)"),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let name = form.get("name").to_string();
        match form.editing() {
            None => {
                if form.get("vpc").is_empty() {
                    dr.errors.push(("vpc", "required: add a VPC first".into()));
                }
                dr.ops.push(Op::AddEgressOnlyInternetGateway { name, vpc: Ref::id(form.get("vpc")) });
            }
            Some(id) => {
                let Some(g) = d.egress_only_internet_gateways.iter().find(|x| x.id == id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                if let Some(name) = parse::changed(name, &g.name) {
                    dr.ops.push(Op::UpdateEgressOnlyInternetGateway { eigw: Ref::id(id), name: Some(name) });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "eigw" => "name",
            f => f,
        }
    }
}
