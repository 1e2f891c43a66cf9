//! The security group form (S1, S5).

use super::fixed;
use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind};

pub struct SecurityGroupForm;
pub static FORM: SecurityGroupForm = SecurityGroupForm;

impl FormSpec for SecurityGroupForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::SecurityGroup)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = super::here(d, ctx);
        let g = match target {
            FormTarget::Edit(id) => Some(d.security_group(id).ok_or("the security group is gone")?),
            _ => None,
        };
        Ok(vec![
            Field::text("name", "Name", g.map_or("", |g| &g.name), "unique within the VPC"),
            fixed(g.is_some(), Field::choice("vpc", "VPC", choices::vpcs(d), g.map_or(&h.vpc, |g| &g.vpc))),
            Field::text("description", "Description", g.map_or("", |g| &g.description), ""),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let (name, description) = (form.get("name").to_string(), form.get("description").to_string());
        match form.editing() {
            None => {
                if form.get("vpc").is_empty() {
                    dr.errors.push(("vpc", "required: add a VPC first".into()));
                }
                dr.ops.push(Op::AddSecurityGroup { vpc: Ref::id(form.get("vpc")), name, description });
            }
            Some(id) => {
                let Some(g) = d.security_group(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(name, &g.name);
                let description = parse::changed(description, &g.description);
                if name.is_some() || description.is_some() {
                    dr.ops.push(Op::UpdateSecurityGroup { group: Ref::id(id), name, description });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "group" => "name",
            f => f,
        }
    }
}
