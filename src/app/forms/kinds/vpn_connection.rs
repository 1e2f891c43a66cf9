//! The VPN connection form (T6).

use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref, VpnSide};
use crate::model::{Design, ResourceKind, VpnConnection};

pub struct VpnConnectionForm;
pub static FORM: VpnConnectionForm = VpnConnectionForm;

fn side_of(value: &str) -> Option<VpnSide> {
    match value.split_once(':') {
        Some(("vgw", x)) => Some(VpnSide::VpnGateway(Ref::id(x))),
        Some(("tgw", x)) => Some(VpnSide::TransitGateway(Ref::id(x))),
        _ => None,
    }
}

fn side_value(c: &VpnConnection) -> String {
    c.vpn_gateway
        .as_ref()
        .map(|g| format!("vgw:{g}"))
        .or_else(|| c.transit_gateway.as_ref().map(|g| format!("tgw:{g}")))
        .unwrap_or_default()
}

impl FormSpec for VpnConnectionForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::VpnConnection)
    }

    fn fields(&self, d: &Design, target: &FormTarget, _ctx: &Context) -> Result<Vec<Field>, String> {
        let c = match target {
            FormTarget::Edit(id) => Some(d.vpn_connection(id).ok_or("the VPN connection is gone")?),
            _ => None,
        };
        let cgws: Vec<Choice> = d
            .customer_gateways
            .iter()
            .map(|g| Choice::new(&g.id, format!("{} ({}, {})", g.name, g.id, g.ip)))
            .collect();
        let mut gws = vec![choices::none("(none)")];
        gws.extend(
            d.vpn_gateways.iter().map(|g| Choice::new(format!("vgw:{}", g.id), format!("VGW {} ({})", g.name, g.id))),
        );
        gws.extend(
            d.transit_gateways
                .iter()
                .map(|g| Choice::new(format!("tgw:{}", g.id), format!("TGW {} ({})", g.name, g.id))),
        );
        let gw = match c {
            Some(c) => side_value(c),
            None => d.vpn_gateways.first().map(|g| format!("vgw:{}", g.id)).unwrap_or_default(),
        };
        Ok(vec![
            Field::text("name", "Name", c.map_or("", |c| &c.name), ""),
            Field::choice("cgw", "Customer gateway", cgws, c.map_or("", |c| &c.customer_gateway)),
            Field::choice("gateway", "AWS side", gws, &gw).with_hint("a VGW or a TGW (T6)"),
            Field::yes_no("static", "Static routing", c.is_some_and(|c| c.static_routes_only)),
            Field::text(
                "routes",
                "On-prem prefixes",
                c.map(|c| parse::join(&c.routes)).unwrap_or_default(),
                "comma-separated CIDRs",
            ),
            Field::choice(
                "state",
                "State",
                choices::enums(&choices::VPN_STATES),
                &c.map_or("Available".into(), |c| choices::name_of(c.state)),
            ),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let routes = dr.field("routes", parse::cidrs(g("routes")), Vec::new());
        let state = choices::pick(&choices::VPN_STATES, g("state"));
        let side = side_of(g("gateway"));
        let fixed_routes = form.flag("static");
        match form.editing() {
            None => {
                if g("cgw").is_empty() {
                    dr.errors.push(("cgw", "required: add a customer gateway first (T6)".into()));
                }
                dr.ops.push(Op::AddVpnConnection {
                    name: g("name").to_string(),
                    customer_gateway: Ref::id(g("cgw")),
                    gateway: side,
                    static_routes_only: fixed_routes,
                    routes,
                    state,
                });
            }
            Some(id) => {
                let Some(c) = d.vpn_connection(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &c.name);
                let cgw = (g("cgw") != c.customer_gateway).then(|| Ref::id(g("cgw")));
                let side = (g("gateway") != side_value(c)).then_some(side);
                let fixed_routes = parse::changed(fixed_routes, &c.static_routes_only);
                let routes = parse::changed(routes, &c.routes).filter(|_| dr.errors.is_empty());
                let state = parse::changed(state, &c.state);
                let any = name.is_some()
                    || cgw.is_some()
                    || side.is_some()
                    || fixed_routes.is_some()
                    || routes.is_some()
                    || state.is_some();
                if any {
                    dr.ops.push(Op::UpdateVpnConnection {
                        vpn: Ref::id(id),
                        name,
                        customer_gateway: cgw,
                        gateway: side,
                        static_routes_only: fixed_routes,
                        routes,
                        state,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "customer_gateway" => "cgw",
            "static_routes_only" => "static",
            "vpn" => "name",
            f => f,
        }
    }
}
