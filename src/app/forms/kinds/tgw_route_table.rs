//! The transit gateway route table form (T3, T4).

use super::{fixed, here};
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref, TgwRouteSpec};
use crate::model::{Design, ResourceKind as RK, TgwRouteTable};

pub struct TgwRouteTableForm;
pub static FORM: TgwRouteTableForm = TgwRouteTableForm;

/// `CIDR>ATTACHMENT` or `CIDR>blackhole`.
fn route(d: &Design, s: &str) -> Result<TgwRouteSpec, String> {
    let (c, a) = s.split_once('>').ok_or_else(|| format!("'{s}': write CIDR>ATTACHMENT or CIDR>blackhole"))?;
    let cidr = parse::cidr(c)?;
    let a = a.trim();
    let attachment =
        if a.eq_ignore_ascii_case("blackhole") { None } else { Some(parse::reference(d, a, &[RK::TgwAttachment])) };
    Ok(TgwRouteSpec { cidr: cidr.into(), attachment })
}

fn routes_text(r: &TgwRouteTable) -> String {
    r.static_routes
        .iter()
        .map(|x| format!("{}>{}", x.cidr, x.attachment.as_deref().unwrap_or("blackhole")))
        .collect::<Vec<_>>()
        .join(", ")
}

impl FormSpec for TgwRouteTableForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::TgwRouteTable)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let _ = here(d, ctx);
        let r = match target {
            FormTarget::Edit(id) => Some(d.tgw_route_table(id).ok_or("the route table is gone")?),
            _ => None,
        };
        let tgw = r
            .map(|r| r.tgw.clone())
            .or_else(|| ctx.transit_gateway.clone())
            .or_else(|| d.transit_gateways.first().map(|t| t.id.clone()))
            .unwrap_or_default();
        let tgws: Vec<Choice> =
            d.transit_gateways.iter().map(|t| Choice::new(&t.id, format!("{} ({})", t.name, t.id))).collect();
        Ok(vec![
            Field::text("name", "Name", r.map_or("", |r| &r.name), ""),
            fixed(r.is_some(), Field::choice("tgw", "Transit gateway", tgws, &tgw)),
            Field::multi(
                "propagations",
                "Propagations",
                choices::tgw_attachments(d, &tgw),
                &r.map(|r| parse::ids_text(&r.propagations)).unwrap_or_default(),
            )
            .with_hint("this transit gateway's attachments whose routes appear here (T3)"),
            Field::text(
                "routes",
                "Static routes",
                r.map(routes_text).unwrap_or_default(),
                "CIDR>ATTACHMENT or CIDR>blackhole (T4)",
            ),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        // Only the transit gateway's own attachments propagate into its tables (T3).
        if key == "tgw" {
            let tgw = form.get("tgw").to_string();
            choices::refresh_multi(form, "propagations", choices::tgw_attachments(d, &tgw));
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let routes: Result<Vec<TgwRouteSpec>, String> = parse::list(g("routes")).iter().map(|r| route(d, r)).collect();
        let routes = dr.field("routes", routes, Vec::new());
        match form.editing() {
            None => {
                if g("tgw").is_empty() {
                    dr.errors.push(("tgw", "required: add a transit gateway first".into()));
                }
                dr.ops.push(Op::AddTgwRouteTable {
                    tgw: Ref::id(g("tgw")),
                    name: g("name").to_string(),
                    propagations: parse::refs(d, g("propagations"), &[RK::TgwAttachment]),
                    routes,
                });
            }
            Some(id) => {
                let Some(r) = d.tgw_route_table(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &r.name);
                let props = parse::refs_change(d, g("propagations"), &[RK::TgwAttachment], &r.propagations);
                let routes = (g("routes") != routes_text(r) && dr.errors.is_empty()).then_some(routes);
                if name.is_some() || props.is_some() || routes.is_some() {
                    dr.ops.push(Op::UpdateTgwRouteTable { table: Ref::id(id), name, propagations: props, routes });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "table" => "name",
            f => f,
        }
    }
}
