//! The virtual private gateway form (T6).

use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind};

pub struct VpnGatewayForm;
pub static FORM: VpnGatewayForm = VpnGatewayForm;

impl FormSpec for VpnGatewayForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::VpnGateway)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = super::here(d, ctx);
        let g = match target {
            FormTarget::Edit(id) => Some(d.vpn_gateway(id).ok_or("the gateway is gone")?),
            _ => None,
        };
        let mut vpcs = vec![choices::none("(detached)")];
        vpcs.extend(choices::vpcs(d));
        let vpc = g.map_or(Some(h.vpc), |g| g.vpc.clone()).unwrap_or_default();
        Ok(vec![
            Field::text("name", "Name", g.map_or("", |g| &g.name), ""),
            Field::choice("vpc", "Attached to", vpcs, &vpc).with_hint("one VGW per VPC (T6)"),
            Field::text("asn", "Amazon ASN", g.map_or("64512".into(), |g| g.asn.to_string()), "default 64512 (T6)"),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let name = form.get("name").to_string();
        let vpc = parse::opt_ref(form.get("vpc"));
        let asn = dr.field("asn", parse::num::<u32>(form.get("asn"), 1, u32::MAX - 1, "the ASN"), 64512);
        match form.editing() {
            None => dr.ops.push(Op::AddVpnGateway { name, vpc, asn: Some(asn) }),
            Some(id) => {
                let Some(g) = d.vpn_gateway(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(name, &g.name);
                let vpc = parse::changed(vpc, &g.vpc.clone().map(Ref::id));
                let asn = parse::changed(asn, &g.asn).filter(|_| dr.errors.is_empty());
                if name.is_some() || vpc.is_some() || asn.is_some() {
                    dr.ops.push(Op::UpdateVpnGateway { vgw: Ref::id(id), name, vpc, asn });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "vgw" => "name",
            f => f,
        }
    }
}
