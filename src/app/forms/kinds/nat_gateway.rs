//! The NAT gateway form (A6, N1, N2).

use super::fixed;
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{NatEip, Op, Ref};
use crate::model::{Design, ResourceKind};

pub struct NatGatewayForm;
pub static FORM: NatGatewayForm = NatGatewayForm;

fn eip_of(value: &str) -> NatEip {
    match value {
        "new" => NatEip::New,
        "" => NatEip::None,
        id => NatEip::Existing(Ref::id(id)),
    }
}

impl FormSpec for NatGatewayForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::NatGateway)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let n = match target {
            FormTarget::Edit(id) => Some(d.nat_gateway(id).ok_or("the NAT gateway is gone")?),
            _ => None,
        };
        let edit = n.is_some();
        let subnet = n.map(|n| n.subnet.clone()).or_else(|| ctx.subnet.clone()).unwrap_or_default();
        let mut eips = vec![Choice::new("new", "(a new Elastic IP)"), choices::none("(none: private NAT)")];
        eips.extend(
            d.elastic_ips.iter().map(|e| Choice::new(&e.id, format!("{} ({}, {})", e.name, e.id, e.public_ip))),
        );
        let eip = match n {
            Some(n) => n.eip.clone().unwrap_or_default(),
            None => "new".into(),
        };
        Ok(vec![
            Field::text("name", "Name", n.map_or("", |n| &n.name), ""),
            fixed(
                edit,
                Field::choice("subnet", "Subnet", choices::subnets(d, ctx.vpc.as_deref().filter(|_| !edit)), &subnet),
            )
            .with_hint("a public subnet for a public NAT (N1)"),
            Field::choice(
                "connectivity",
                "Connectivity",
                choices::enums(&choices::NAT_KINDS),
                &n.map_or("Public".into(), |n| choices::name_of(n.connectivity)),
            ),
            Field::text(
                "private_ip",
                "Private IP",
                n.map(|n| n.private_ip.to_string()).unwrap_or_default(),
                "empty: the first free address",
            ),
            Field::choice("eip", "Elastic IP", eips, &eip)
                .with_hint("public NAT needs one (N1); private NAT has none (N2)"),
            Field::choice(
                "state",
                "State",
                choices::enums(&choices::NAT_STATES),
                &n.map_or("Available".into(), |n| choices::name_of(n.state)),
            ),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let ip = dr.field("private_ip", parse::opt_ip(g("private_ip")), None);
        let connectivity = choices::pick(&choices::NAT_KINDS, g("connectivity"));
        let state = choices::pick(&choices::NAT_STATES, g("state"));
        match form.editing() {
            None => {
                if g("subnet").is_empty() {
                    dr.errors.push(("subnet", "required: add a subnet first".into()));
                }
                dr.ops.push(Op::AddNatGateway {
                    name: g("name").to_string(),
                    subnet: Ref::id(g("subnet")),
                    private_ip: ip,
                    public_ip: None,
                    eip: eip_of(g("eip")),
                    connectivity,
                    state,
                });
            }
            Some(id) => {
                let Some(n) = d.nat_gateway(id) else {
                    dr.errors.push(("name", format!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &n.name);
                let ip = ip.filter(|ip| *ip != n.private_ip);
                let conn = parse::changed(connectivity, &n.connectivity);
                let eip = (g("eip") != n.eip.as_deref().unwrap_or("")).then(|| eip_of(g("eip")));
                let state = parse::changed(state, &n.state);
                if name.is_some() || ip.is_some() || conn.is_some() || eip.is_some() || state.is_some() {
                    dr.ops.push(Op::UpdateNatGateway {
                        nat: Ref::id(id),
                        name,
                        private_ip: ip,
                        connectivity: conn,
                        eip,
                        state,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "nat" => "name",
            "public_ip" => "eip",
            f => f,
        }
    }
}
