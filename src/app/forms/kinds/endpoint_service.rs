//! The endpoint service form (E8, E9).

use super::{fixed, here, TreeSpot};
use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, Resource, ResourceKind as RK};

pub struct EndpointServiceForm;
pub static FORM: EndpointServiceForm = EndpointServiceForm;

/// In a group of its region.
pub const TREE: TreeSpot = TreeSpot::InRegion { group: "Endpoint services", region, facts };

fn region(r: Resource<'_>) -> Option<&str> {
    match r {
        Resource::EndpointService(s) => Some(&s.region),
        _ => None,
    }
}

fn facts(_: &Design, r: Resource<'_>, lang: crate::l10n::Lang) -> String {
    let Resource::EndpointService(s) = r else { return String::new() };
    let manual =
        if s.acceptance_required { format!(" · {}", crate::l10n::ui(lang, "manual accept")) } else { String::new() };
    format!("{} · {} NLB{manual}", s.service_name, s.load_balancers.len())
}

impl FormSpec for EndpointServiceForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::EndpointService)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let s = match target {
            FormTarget::Edit(id) => Some(d.endpoint_service(id).ok_or("the endpoint service is gone")?),
            _ => None,
        };
        Ok(vec![
            Field::text("name", "Name", s.map_or("", |s| &s.name), ""),
            fixed(
                s.is_some(),
                Field::choice("region", "Region", choices::regions(d, &h.region), s.map_or(&h.region, |s| &s.region)),
            ),
            Field::multi(
                "load_balancers",
                "Load balancers",
                choices::service_load_balancers(d, s.map_or(&h.region, |s| &s.region)),
                &s.map(|s| parse::ids_text(&s.load_balancers)).unwrap_or_default(),
            )
            .with_hint(
                "the region's network or gateway load balancers behind the service, not both (E9, B2); Space ticks",
            ),
            Field::yes_no("acceptance", "Acceptance required", s.is_none_or(|s| s.acceptance_required))
                .with_hint("customer services default to manual acceptance (E8)"),
            Field::text(
                "principals",
                "Allowed principals",
                s.map(|s| s.allowed_principals.join(", ")).unwrap_or_default(),
                "comma-separated ARNs or *",
            ),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        // A service fronts load balancers of its own region (E9).
        if key == "region" {
            let region = form.get("region").to_string();
            choices::refresh_multi(form, "load_balancers", choices::service_load_balancers(d, &region));
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let acceptance = form.flag("acceptance");
        let principals = parse::list(g("principals"));
        match form.editing() {
            None => dr.ops.push(Op::AddEndpointService {
                name: g("name").to_string(),
                region: Some(g("region").to_string()),
                load_balancers: parse::refs(d, g("load_balancers"), &[RK::LoadBalancer]),
                acceptance_required: acceptance,
                allowed_principals: principals,
            }),
            Some(id) => {
                let Some(s) = d.endpoint_service(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &s.name);
                let lbs = parse::refs_change(d, g("load_balancers"), &[RK::LoadBalancer], &s.load_balancers);
                let acceptance = parse::changed(acceptance, &s.acceptance_required);
                let principals = parse::changed(principals, &s.allowed_principals);
                if name.is_some() || lbs.is_some() || acceptance.is_some() || principals.is_some() {
                    dr.ops.push(Op::UpdateEndpointService {
                        service: Ref::id(id),
                        name,
                        load_balancers: lbs,
                        acceptance_required: acceptance,
                        allowed_principals: principals,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "acceptance_required" => "acceptance",
            "allowed_principals" => "principals",
            "service" => "name",
            f => f,
        }
    }
}
