//! The transit gateway form (T1, T3).

use super::{fixed, here};
use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind};

pub struct TransitGatewayForm;
pub static FORM: TransitGatewayForm = TransitGatewayForm;

impl FormSpec for TransitGatewayForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::TransitGateway)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let t = match target {
            FormTarget::Edit(id) => Some(d.transit_gateway(id).ok_or("the transit gateway is gone")?),
            _ => None,
        };
        Ok(vec![
            Field::text("name", "Name", t.map_or("", |t| &t.name), ""),
            fixed(
                t.is_some(),
                Field::choice("region", "Region", choices::regions(d, &h.region), t.map_or(&h.region, |t| &t.region)),
            ),
            Field::text(
                "asn",
                "Amazon ASN",
                t.map_or("64512".into(), |t| t.asn.to_string()),
                "64512-65534 or 4200000000-4294967294",
            ),
            Field::yes_no("default_association", "Default association", t.is_none_or(|t| t.default_association))
                .with_hint("new attachments use the default table (T3)"),
            Field::yes_no("default_propagation", "Default propagation", t.is_none_or(|t| t.default_propagation))
                .with_hint("new attachments propagate into it (T3)"),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let asn = dr.field("asn", parse::num::<u32>(g("asn"), 1, u32::MAX - 1, "the ASN"), 64512);
        let (assoc, prop) = (form.flag("default_association"), form.flag("default_propagation"));
        match form.editing() {
            None => dr.ops.push(Op::AddTransitGateway {
                name: g("name").to_string(),
                region: Some(g("region").to_string()),
                asn: Some(asn),
                default_association: assoc,
                default_propagation: prop,
            }),
            Some(id) => {
                let Some(t) = d.transit_gateway(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &t.name);
                let asn = parse::changed(asn, &t.asn).filter(|_| dr.errors.is_empty());
                let assoc = parse::changed(assoc, &t.default_association);
                let prop = parse::changed(prop, &t.default_propagation);
                if name.is_some() || asn.is_some() || assoc.is_some() || prop.is_some() {
                    dr.ops.push(Op::UpdateTransitGateway {
                        tgw: Ref::id(id),
                        name,
                        asn,
                        default_association: assoc,
                        default_propagation: prop,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "tgw" => "name",
            f => f,
        }
    }
}
