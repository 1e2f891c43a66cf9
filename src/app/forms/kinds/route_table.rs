//! The route table form (R1, R10, T6).

use super::fixed;
use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind as RK};

pub struct RouteTableForm;
pub static FORM: RouteTableForm = RouteTableForm;

const GATEWAYS: [RK; 2] = [RK::InternetGateway, RK::VpnGateway];

impl FormSpec for RouteTableForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::RouteTable)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = super::here(d, ctx);
        let r = match target {
            FormTarget::Edit(id) => Some(d.route_table(id).ok_or("the route table is gone")?),
            _ => None,
        };
        let vpc_id = r.map_or(h.vpc, |r| r.vpc.clone());
        Ok(vec![
            Field::text("name", "Name", r.map_or("", |r| &r.name), "unique within the VPC"),
            fixed(r.is_some(), Field::choice("vpc", "VPC", choices::vpcs(d), &vpc_id)),
            Field::yes_no("main", "Main table", r.is_some_and(|r| r.main))
                .with_hint("the table subnets use by default (R1)"),
            Field::multi(
                "subnets",
                "Associated subnets",
                choices::subnets(d, Some(&vpc_id)),
                &r.map(|r| parse::ids_text(&r.subnets)).unwrap_or_default(),
            )
            .with_hint("type to find, Space ticks; each moves here (R1)"),
            Field::multi(
                "gateways",
                "Edge gateways",
                choices::edge_gateways(d, &vpc_id),
                &r.map(|r| parse::ids_text(&r.gateways)).unwrap_or_default(),
            )
            .with_hint("the VPC's IGW or VGW, for an edge association (R10)"),
            Field::multi(
                "propagation",
                "Propagating VGWs",
                choices::vpn_gateways(d, &vpc_id),
                &r.map(|r| parse::ids_text(&r.propagating_vgws)).unwrap_or_default(),
            )
            .with_hint("the VPC's VGW, whose VPN routes appear here (T6)"),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        // The candidates are the VPC's own.
        if key == "vpc" {
            let vpc = form.get("vpc").to_string();
            choices::refresh_multi(form, "subnets", choices::subnets(d, Some(&vpc)));
            choices::refresh_multi(form, "gateways", choices::edge_gateways(d, &vpc));
            choices::refresh_multi(form, "propagation", choices::vpn_gateways(d, &vpc));
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        match form.editing() {
            None => {
                dr.require_vpc(form);
                dr.ops.push(Op::AddRouteTable {
                    vpc: Ref::id(g("vpc")),
                    name: g("name").to_string(),
                    subnets: parse::refs(d, g("subnets"), &[RK::Subnet]),
                    main: form.flag("main"),
                    gateways: parse::refs(d, g("gateways"), &GATEWAYS),
                    propagating_vgws: parse::refs(d, g("propagation"), &[RK::VpnGateway]),
                });
            }
            Some(id) => {
                let Some(t) = d.route_table(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &t.name);
                let main = parse::changed(form.flag("main"), &t.main);
                let subnets = parse::refs_change(d, g("subnets"), &[RK::Subnet], &t.subnets);
                let gateways = parse::refs_change(d, g("gateways"), &GATEWAYS, &t.gateways);
                let vgws = parse::refs_change(d, g("propagation"), &[RK::VpnGateway], &t.propagating_vgws);
                if name.is_some() || main.is_some() || subnets.is_some() || gateways.is_some() || vgws.is_some() {
                    dr.ops.push(Op::UpdateRouteTable {
                        table: Ref::id(id),
                        name,
                        main,
                        subnets,
                        gateways,
                        propagating_vgws: vgws,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "propagating_vgws" => "propagation",
            "table" => "name",
            f => f,
        }
    }
}
