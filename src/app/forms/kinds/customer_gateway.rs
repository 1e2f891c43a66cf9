//! The customer gateway form (T6).

use crate::app::forms::{parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind};
use std::net::Ipv4Addr;

pub struct CustomerGatewayForm;
pub static FORM: CustomerGatewayForm = CustomerGatewayForm;

impl FormSpec for CustomerGatewayForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::CustomerGateway)
    }

    fn fields(&self, d: &Design, target: &FormTarget, _ctx: &Context) -> Result<Vec<Field>, String> {
        let c = match target {
            FormTarget::Edit(id) => Some(d.customer_gateway(id).ok_or("the customer gateway is gone")?),
            _ => None,
        };
        Ok(vec![
            Field::text("name", "Name", c.map_or("", |c| &c.name), ""),
            Field::text(
                "ip",
                "Public IP",
                c.map(|c| c.ip.to_string()).unwrap_or_default(),
                "the on-premises device's address",
            ),
            Field::text("asn", "BGP ASN", c.map_or("65000".into(), |c| c.bgp_asn.to_string()), "1-4294967294"),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let name = form.get("name").to_string();
        let ip = dr.field("ip", parse::ip(form.get("ip")), Ipv4Addr::UNSPECIFIED);
        let asn = dr.field("asn", parse::num::<u32>(form.get("asn"), 1, u32::MAX - 1, "the BGP ASN"), 65000);
        match form.editing() {
            None => dr.ops.push(Op::AddCustomerGateway { name, ip, bgp_asn: Some(asn) }),
            Some(id) => {
                let Some(c) = d.customer_gateway(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let bad = |k: &str| dr.errors.iter().any(|(x, _)| *x == k);
                let name = parse::changed(name, &c.name);
                let ip = parse::changed(ip, &c.ip).filter(|_| !bad("ip"));
                let asn = parse::changed(asn, &c.bgp_asn).filter(|_| !bad("asn"));
                if name.is_some() || ip.is_some() || asn.is_some() {
                    dr.ops.push(Op::UpdateCustomerGateway { cgw: Ref::id(id), name, ip, bgp_asn: asn });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "bgp_asn" => "asn",
            "cgw" => "name",
            f => f,
        }
    }
}
