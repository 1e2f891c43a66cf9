//! The network ACL form (L1).

use super::fixed;
use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind as RK};

pub struct NetworkAclForm;
pub static FORM: NetworkAclForm = NetworkAclForm;

impl FormSpec for NetworkAclForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::NetworkAcl)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = super::here(d, ctx);
        let a = match target {
            FormTarget::Edit(id) => Some(d.network_acl(id).ok_or("the network ACL is gone")?),
            _ => None,
        };
        Ok(vec![
            Field::text("name", "Name", a.map_or("", |a| &a.name), "unique within the VPC"),
            fixed(a.is_some(), Field::choice("vpc", "VPC", choices::vpcs(d), a.map_or(&h.vpc, |a| &a.vpc))),
            Field::multi(
                "subnets",
                "Associated subnets",
                choices::subnets(d, Some(a.map_or(&h.vpc, |a| &a.vpc))),
                &a.map(|a| parse::ids_text(&a.subnets)).unwrap_or_default(),
            )
            .with_hint("type to find, Space ticks; each subnet has one ACL (L1)"),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        // The candidates are the VPC's own.
        if key == "vpc" {
            let vpc = form.get("vpc").to_string();
            choices::refresh_multi(form, "subnets", choices::subnets(d, Some(&vpc)));
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let name = form.get("name").to_string();
        match form.editing() {
            None => {
                if form.get("vpc").is_empty() {
                    dr.errors.push(("vpc", "required: add a VPC first".into()));
                }
                let subnets = parse::refs(d, form.get("subnets"), &[RK::Subnet]);
                dr.ops.push(Op::AddNetworkAcl { vpc: Ref::id(form.get("vpc")), name, subnets });
            }
            Some(id) => {
                let Some(a) = d.network_acl(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(name, &a.name);
                let subnets = parse::refs_change(d, form.get("subnets"), &[RK::Subnet], &a.subnets);
                if name.is_some() || subnets.is_some() {
                    dr.ops.push(Op::UpdateNetworkAcl { acl: Ref::id(id), name, subnets });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "acl" => "name",
            f => f,
        }
    }
}
