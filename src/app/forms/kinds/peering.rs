//! The peering form (P2, P3, P7, P8).

use super::fixed;
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, PeeringStatus, ResourceKind};

pub struct PeeringForm;
pub static FORM: PeeringForm = PeeringForm;

impl FormSpec for PeeringForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::VpcPeering)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = super::here(d, ctx);
        let p = match target {
            FormTarget::Edit(id) => Some(d.peering(id).ok_or("the peering is gone")?),
            _ => None,
        };
        let edit = p.is_some();
        let other = d.vpcs.iter().find(|v| v.id != h.vpc).map(|v| v.id.clone()).unwrap_or_default();
        let states = choices::PEERING_STATES.iter().map(|s| Choice::new(s.api_name(), s.api_name())).collect();
        Ok(vec![
            Field::text("name", "Name", p.map_or("", |p| &p.name), ""),
            fixed(
                edit,
                Field::choice("requester", "Requester VPC", choices::vpcs(d), p.map_or(&h.vpc, |p| &p.requester_vpc)),
            ),
            fixed(
                edit,
                Field::choice("accepter", "Accepter VPC", choices::vpcs(d), p.map_or(&other, |p| &p.accepter_vpc)),
            )
            .with_hint("CIDRs must not overlap (P2)"),
            Field::choice("status", "Status", states, p.map_or("active", |p| p.status.api_name())),
            Field::yes_no("dns", "DNS resolution", p.is_some_and(|p| p.allow_dns_resolution))
                .with_hint("private DNS across the peering (P7, P8)"),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let status = PeeringStatus::from_api(g("status")).unwrap_or_default();
        let dns = form.flag("dns");
        match form.editing() {
            None => {
                if g("requester").is_empty() {
                    dr.errors.push(("requester", "required: add a VPC first".into()));
                } else if g("accepter").is_empty() {
                    dr.errors.push(("accepter", "required: a second VPC to peer with".into()));
                }
                dr.ops.push(Op::AddPeering {
                    name: g("name").to_string(),
                    requester: Ref::id(g("requester")),
                    accepter: Ref::id(g("accepter")),
                    status,
                    allow_dns_resolution: dns,
                });
            }
            Some(id) => {
                let Some(p) = d.peering(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &p.name);
                let status = parse::changed(status, &p.status);
                let dns = parse::changed(dns, &p.allow_dns_resolution);
                if name.is_some() || status.is_some() || dns.is_some() {
                    dr.ops.push(Op::UpdatePeering { peering: Ref::id(id), name, status, allow_dns_resolution: dns });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "allow_dns_resolution" => "dns",
            "peering" => "name",
            f => f,
        }
    }
}
