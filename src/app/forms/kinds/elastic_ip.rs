//! The Elastic IP form.

use crate::app::forms::{parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{placeholder_public_ip, Op, Ref};
use crate::model::{Design, ResourceKind};
use std::net::Ipv4Addr;

pub struct ElasticIpForm;
pub static FORM: ElasticIpForm = ElasticIpForm;

impl FormSpec for ElasticIpForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::ElasticIp)
    }

    fn fields(&self, d: &Design, target: &FormTarget, _ctx: &Context) -> Result<Vec<Field>, String> {
        let e = match target {
            FormTarget::Edit(id) => Some(d.elastic_ip(id).ok_or("the Elastic IP is gone")?),
            _ => None,
        };
        let ip = e.map_or_else(|| placeholder_public_ip(d).to_string(), |e| e.public_ip.to_string());
        Ok(vec![
            Field::text("name", "Name", e.map_or("", |e| &e.name), ""),
            Field::text("public_ip", "Public IP", ip, "the allocated address"),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let name = form.get("name").to_string();
        let ip = dr.field("public_ip", parse::ip(form.get("public_ip")), Ipv4Addr::UNSPECIFIED);
        match form.editing() {
            None => dr.ops.push(Op::AddElasticIp { name, public_ip: ip, instance: None, placeholder: false }),
            Some(id) => {
                let Some(e) = d.elastic_ip(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(name, &e.name);
                let ip = if dr.errors.is_empty() { parse::changed(ip, &e.public_ip) } else { None };
                if name.is_some() || ip.is_some() {
                    dr.ops.push(Op::UpdateElasticIp { eip: Ref::id(id), name, public_ip: ip });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "eip" => "name",
            f => f,
        }
    }
}
