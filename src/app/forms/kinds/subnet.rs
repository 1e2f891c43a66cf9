//! The subnet form (A5, A6, R1).

use super::{fixed, here};
use crate::app::forms::{
    choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget, LineInput,
};
use crate::model::ops::{suggest_subnet, Op, Ref};
use crate::model::{Design, ResourceKind};
use ipnet::Ipv4Net;

pub struct SubnetForm;
pub static FORM: SubnetForm = SubnetForm;

impl FormSpec for SubnetForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::Subnet)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let s = match target {
            FormTarget::Edit(id) => Some(d.subnet(id).ok_or("the subnet is gone")?),
            _ => None,
        };
        let edit = s.is_some();
        let vpc_id = s.map_or(h.vpc.clone(), |s| s.vpc.clone());
        let vpc = d.vpc(&vpc_id);
        let region = vpc.map_or(h.region.clone(), |v| v.region.clone());
        let cidr =
            s.map(|s| s.primary_cidr_text()).or_else(|| vpc.and_then(|v| suggest_subnet(d, v)).map(|c| c.to_string()));
        let az = s.map(|s| s.az.clone()).or_else(|| ctx.az.clone()).unwrap_or_default();
        let rt = s
            .filter(|s| d.subnet_has_explicit_route_table(&s.id))
            .and_then(|s| d.subnet_route_table(&s.id))
            .map(|r| r.id.clone());
        // The main table, when the subnet is explicitly associated with it, is offered too.
        let mut tables = choices::route_tables(d, &vpc_id);
        if let Some(t) = rt.as_deref().and_then(|t| d.route_table(t)).filter(|t| t.main) {
            tables.push(Choice::new(&t.id, format!("{} ({}, main)", t.name, t.id)));
        }
        Ok(vec![
            Field::text("name", "Name", s.map_or("", |s| &s.name), "unique within the VPC"),
            fixed(edit, Field::choice("vpc", "VPC", choices::vpcs(d), &vpc_id)),
            Field::text("cidr", "IPv4 CIDR", cidr.unwrap_or_default(), "/16 to /28 inside the VPC, no overlap (A5)"),
            fixed(edit, Field::choice("az", "Availability zone", choices::azs(d, &region), &az)),
            Field::yes_no("public_ip", "Auto-assign public IP", s.is_some_and(|s| s.map_public_ip_on_launch)),
            Field::choice("route_table", "Route table", tables, rt.as_deref().unwrap_or("")),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key != "vpc" {
            return;
        }
        let vpc_id = form.get("vpc").to_string();
        let vpc = d.vpc(&vpc_id);
        let region = vpc.map_or(d.default_region.clone(), |v| v.region.clone());
        let suggestion = vpc.and_then(|v| suggest_subnet(d, v)).map(|c| c.to_string()).unwrap_or_default();
        if let Some(f) = form.field_mut("az") {
            let cur = f.value().to_string();
            *f = Field::choice("az", "Availability zone", choices::azs(d, &region), &cur);
        }
        if let Some(f) = form.field_mut("route_table") {
            *f = Field::choice("route_table", "Route table", choices::route_tables(d, &vpc_id), "");
        }
        if let Some(f) = form.field_mut("cidr") {
            if !f.touched {
                f.input = LineInput::new(suggestion);
            }
        }
    }

    fn notes(&self, form: &Form) -> Vec<(&'static str, String)> {
        parse::cidr_note(form.get("cidr")).map(|n| ("cidr", n)).into_iter().collect()
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let cidr = dr.field("cidr", parse::cidr(g("cidr")), Ipv4Net::default());
        let public = form.flag("public_ip");
        let table = parse::opt_ref(g("route_table"));
        match form.editing() {
            None => {
                if g("vpc").is_empty() {
                    dr.errors.push(("vpc", "required: add a VPC first".into()));
                }
                dr.ops.push(Op::AddSubnet {
                    vpc: Ref::id(g("vpc")),
                    name: g("name").to_string(),
                    cidr,
                    az: g("az").to_string(),
                    public_ip_on_launch: public,
                    route_table: table,
                    network_acl: None,
                });
            }
            Some(id) => {
                let Some(s) = d.subnet(id) else {
                    dr.errors.push(("name", format!("{id} is no longer in the design")));
                    return dr;
                };
                let current = d.route_tables.iter().find(|t| t.subnets.contains(&s.id)).map(|t| Ref::id(t.id.clone()));
                let name = parse::changed(g("name").to_string(), &s.name);
                let cidr = if dr.errors.is_empty() { parse::changed(Some(cidr), &s.cidr).flatten() } else { None };
                let public = parse::changed(public, &s.map_public_ip_on_launch);
                let table = parse::changed(table, &current);
                if name.is_some() || cidr.is_some() || public.is_some() || table.is_some() {
                    dr.ops.push(Op::UpdateSubnet {
                        subnet: Ref::id(id),
                        name,
                        cidr,
                        public_ip_on_launch: public,
                        route_table: table,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "public_ip_on_launch" => "public_ip",
            "subnet" => "name",
            f => f,
        }
    }
}
