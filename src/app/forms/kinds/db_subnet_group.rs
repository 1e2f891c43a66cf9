//! The DB subnet group form (M1): a VPC's subnets, picked, in at least two zones.

use super::managed::{self, refresh_multi};
use super::{fixed, here};
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{DatabaseService, Design, ResourceKind as RK};

pub struct DbSubnetGroupForm;
pub static FORM: DbSubnetGroupForm = DbSubnetGroupForm;

/// Whose API a group belongs to: RDS's serves Aurora, Neptune and DocumentDB (M1).
fn apis() -> Vec<Choice> {
    vec![
        Choice::new("Rds", "RDS, Aurora, Neptune, DocumentDB"),
        Choice::new("ElastiCache", "ElastiCache"),
        Choice::new("Redshift", "Redshift"),
    ]
}

impl FormSpec for DbSubnetGroupForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::DbSubnetGroup)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let x = match target {
            FormTarget::Edit(id) => Some(d.db_subnet_group(id).ok_or("the subnet group is gone")?),
            _ => None,
        };
        let edit = x.is_some();
        let vpc = x.map_or(h.vpc.clone(), |x| x.vpc.clone());
        let service = x.map_or(DatabaseService::Rds, |x| x.service);
        Ok(vec![
            Field::text("name", "Name", x.map_or("", |x| &x.name), "unique within the VPC"),
            fixed(edit, Field::choice("vpc", "VPC", choices::vpcs(d), &vpc)),
            fixed(edit, Field::choice("service", "For", apis(), &format!("{service:?}"))),
            Field::multi(
                "subnets",
                "Subnets",
                managed::subnets(d, &vpc),
                &x.map(|x| parse::ids_text(&x.subnets)).unwrap_or_default(),
            )
            .with_hint("type to find, Space ticks; at least two zones (M1)"),
            Field::text("description", "Description", x.map_or("", |x| &x.description), ""),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key == "vpc" {
            let vpc = form.get("vpc").to_string();
            refresh_multi(form, "subnets", managed::subnets(d, &vpc));
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        match form.editing() {
            None => {
                dr.require_vpc(form);
                dr.ops.push(Op::AddDbSubnetGroup {
                    name: g("name").to_string(),
                    service: managed::service_of(g("service")),
                    subnets: parse::refs(d, g("subnets"), &[RK::Subnet]),
                    description: g("description").to_string(),
                });
            }
            Some(id) => {
                let Some(x) = d.db_subnet_group(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &x.name);
                let subnets = parse::refs_change(d, g("subnets"), &[RK::Subnet], &x.subnets);
                let description = parse::changed(g("description").to_string(), &x.description);
                if name.is_some() || subnets.is_some() || description.is_some() {
                    dr.ops.push(Op::UpdateDbSubnetGroup { group: Ref::id(id), name, subnets, description });
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
