//! The prefix list form.

use super::here;
use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind};

pub struct PrefixListForm;
pub static FORM: PrefixListForm = PrefixListForm;

impl FormSpec for PrefixListForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::PrefixList)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let p = match target {
            FormTarget::Edit(id) => Some(d.prefix_list(id).ok_or("the prefix list is gone")?),
            _ => None,
        };
        Ok(vec![
            Field::text("name", "Name", p.map_or("", |p| &p.name), ""),
            Field::choice("region", "Region", choices::regions(d, &h.region), p.map_or(&h.region, |p| &p.region)),
            Field::text("cidrs", "CIDRs", p.map(|p| parse::join(&p.cidrs)).unwrap_or_default(), "comma-separated"),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let name = form.get("name").to_string();
        let region = form.get("region").to_string();
        let cidrs: Vec<ipnet::IpNet> =
            dr.field("cidrs", parse::cidrs(form.get("cidrs")), Vec::new()).into_iter().map(Into::into).collect();
        match form.editing() {
            None => dr.ops.push(Op::AddPrefixList { name, region: Some(region), cidrs }),
            Some(id) => {
                let Some(p) = d.prefix_list(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let ok = dr.errors.is_empty();
                let name = parse::changed(name, &p.name);
                let region = parse::changed(region, &p.region);
                let cidrs = parse::changed(cidrs, &p.cidrs).filter(|_| ok);
                if name.is_some() || region.is_some() || cidrs.is_some() {
                    dr.ops.push(Op::UpdatePrefixList { prefix_list: Ref::id(id), name, region, cidrs });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "prefix_list" => "name",
            f => f,
        }
    }
}
