//! The NAT gateway form (A6, N1, N2; regional NAT gateways N9).

use super::fixed;
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{NatEip, Op, Ref};
use crate::model::{Design, NatConnectivity, ResourceKind};

pub struct NatGatewayForm;
pub static FORM: NatGatewayForm = NatGatewayForm;

fn eip_of(value: &str) -> NatEip {
    match value {
        "new" => NatEip::New,
        "" => NatEip::None,
        id => NatEip::Existing(Ref::id(id)),
    }
}

/// A regional NAT gateway's route table: AWS's, or one of the VPC's tables (N9).
fn nat_tables(d: &Design, vpc: &str) -> Vec<Choice> {
    let mut v = vec![choices::none("(AWS's: 0.0.0.0/0 → the internet gateway)")];
    v.extend(
        d.route_tables.iter().filter(|r| r.vpc == vpc).map(|r| Choice::new(&r.id, format!("{} ({})", r.name, r.id))),
    );
    v
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
        let subnet = n.map(|n| n.subnet.clone().unwrap_or_default()).or_else(|| ctx.subnet.clone()).unwrap_or_default();
        let regional = n.is_some_and(|n| n.is_regional());
        let vpc = n.and_then(|n| n.vpc_id(d).cloned()).or_else(|| ctx.vpc.clone()).unwrap_or_default();
        let modes =
            vec![Choice::new("zonal", "zonal (in one subnet)"), Choice::new("regional", "regional (every AZ, N9)")];
        let tables = nat_tables(d, &vpc);
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
            fixed(edit, Field::choice("mode", "Availability", modes, if regional { "regional" } else { "zonal" }))
                .with_hint("regional: no subnet, one per VPC, public (N9)"),
            fixed(
                edit,
                Field::choice("subnet", "Subnet", choices::subnets(d, ctx.vpc.as_deref().filter(|_| !edit)), &subnet),
            )
            .with_hint("zonal: a public subnet for a public NAT (N1)"),
            fixed(edit, Field::choice("vpc", "VPC", choices::vpcs(d), &vpc)).with_hint("regional: its VPC"),
            Field::choice("route_table", "Route table", tables, n.and_then(|n| n.route_table.as_deref()).unwrap_or(""))
                .with_hint("regional: its own table (return routes, N9)"),
            Field::choice(
                "connectivity",
                "Connectivity",
                choices::enums(&choices::NAT_KINDS),
                &n.map_or("Public".into(), |n| choices::name_of(n.connectivity)),
            ),
            Field::text(
                "private_ip",
                "Private IP",
                n.and_then(|n| n.private_ip).map(|a| a.to_string()).unwrap_or_default(),
                "zonal; empty: the first free address",
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

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key != "vpc" {
            return;
        }
        let vpc = form.get("vpc").to_string();
        if let Some(f) = form.field_mut("route_table") {
            *f = Field::choice("route_table", "Route table", nat_tables(d, &vpc), "");
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let ip = dr.field("private_ip", parse::opt_ip(g("private_ip")), None);
        let connectivity = choices::pick(&choices::NAT_KINDS, g("connectivity"));
        let state = choices::pick(&choices::NAT_STATES, g("state"));
        let route_table = parse::opt_ref(g("route_table"));
        match form.editing() {
            None if g("mode") == "regional" => {
                dr.require_vpc(form);
                if ip.is_some() {
                    dr.errors.push(("private_ip", "a regional NAT gateway has no address in a subnet (N9)".into()));
                }
                if connectivity != NatConnectivity::Public {
                    dr.errors.push(("connectivity", "a regional NAT gateway is a public one (N9)".into()));
                }
                dr.ops.push(Op::AddRegionalNatGateway {
                    name: g("name").to_string(),
                    vpc: Ref::id(g("vpc")),
                    public_ip: None,
                    eip: eip_of(g("eip")),
                    route_table,
                    state,
                });
            }
            None => {
                if route_table.is_some() {
                    dr.errors.push(("route_table", "a zonal NAT gateway routes by its subnet's table (N3)".into()));
                }
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
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &n.name);
                let ip = ip.filter(|ip| Some(*ip) != n.private_ip);
                let rt = (route_table.as_ref().map(|r| r.to_string()).as_deref() != n.route_table.as_deref())
                    .then_some(route_table);
                let conn = parse::changed(connectivity, &n.connectivity);
                let eip = (g("eip") != n.eip.as_deref().unwrap_or("")).then(|| eip_of(g("eip")));
                let state = parse::changed(state, &n.state);
                if name.is_some() || ip.is_some() || conn.is_some() || eip.is_some() || state.is_some() || rt.is_some()
                {
                    dr.ops.push(Op::UpdateNatGateway {
                        nat: Ref::id(id),
                        name,
                        private_ip: ip,
                        connectivity: conn,
                        eip,
                        state,
                        route_table: rt,
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
