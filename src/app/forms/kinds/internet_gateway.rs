//! The internet gateway form (I1).

use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind};

pub struct InternetGatewayForm;
pub static FORM: InternetGatewayForm = InternetGatewayForm;

impl FormSpec for InternetGatewayForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::InternetGateway)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = super::here(d, ctx);
        let g = match target {
            FormTarget::Edit(id) => Some(d.internet_gateway(id).ok_or("the internet gateway is gone")?),
            _ => None,
        };
        let mut vpcs = vec![choices::none("(detached)")];
        vpcs.extend(choices::vpcs(d));
        let vpc = g.map_or(Some(h.vpc), |g| g.vpc.clone()).unwrap_or_default();
        Ok(vec![
            Field::text("name", "Name", g.map_or("", |g| &g.name), ""),
            Field::choice("vpc", "Attached to", vpcs, &vpc).with_hint("a VPC has one internet gateway at a time (I1)"),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let name = form.get("name").to_string();
        let vpc = parse::opt_ref(form.get("vpc"));
        match form.editing() {
            None => dr.ops.push(Op::AddInternetGateway { name, vpc }),
            Some(id) => {
                let Some(g) = d.internet_gateway(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(name, &g.name);
                let vpc = parse::changed(vpc, &g.vpc.clone().map(Ref::id));
                if name.is_some() || vpc.is_some() {
                    dr.ops.push(Op::UpdateInternetGateway { igw: Ref::id(id), name, vpc });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "igw" => "name",
            f => f,
        }
    }
}
