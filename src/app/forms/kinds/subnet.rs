//! The subnet form (A5, A6, R1).

use super::{fixed, here};
use crate::app::forms::{
    choices, ipv6, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget, LineInput,
};
use crate::model::ops::{suggest_subnet, Op, Ref};
use crate::model::{Design, ResourceKind};
use ipnet::{Ipv4Net, Ipv6Net};

pub struct SubnetForm;
pub static FORM: SubnetForm = SubnetForm;

impl FormSpec for SubnetForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::Subnet)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let s = match target {
            FormTarget::Edit(id) => Some(d.subnet(id).ok_or("the subnet is gone")?),
            _ => None,
        };
        let edit = s.is_some();
        let vpc_id = s.map_or(h.vpc.clone(), |s| s.vpc.clone());
        let vpc = d.vpc(&vpc_id);
        let region = vpc.map_or(h.region.clone(), |v| v.region.clone());
        let cidr = match s {
            Some(s) => s.cidr.map(|c| c.to_string()),
            None => vpc.and_then(|v| suggest_subnet(d, v)).map(|c| c.to_string()),
        };
        // The planner's /64 view opens this form with the /64 chosen there.
        let v6 = s.and_then(|s| s.ipv6_cidr).or(ctx.block6);
        let v6_value = v6.map(|c| c.to_string()).unwrap_or_default();
        let az = s.map(|s| s.az.clone()).or_else(|| ctx.az.clone()).unwrap_or_default();
        let rt = s
            .filter(|s| d.subnet_has_explicit_route_table(&s.id))
            .and_then(|s| d.subnet_route_table(&s.id))
            .map(|r| r.id.clone());
        // The main table, when the subnet is explicitly associated with it, is offered too.
        let mut tables = choices::route_tables(d, &vpc_id);
        if let Some(t) = rt.as_deref().and_then(|t| d.route_table(t)).filter(|t| t.main) {
            tables.push(Choice::new(&t.id, format!("{} ({}, main)", t.name, t.id)));
        }
        Ok(vec![
            Field::text("name", "Name", s.map_or("", |s| &s.name), "unique within the VPC"),
            fixed(edit, Field::choice("vpc", "VPC", choices::vpcs(d), &vpc_id)),
            fixed(
                s.is_some_and(|s| s.is_ipv6_only()),
                Field::text(
                    "cidr",
                    "IPv4 CIDR",
                    cidr.unwrap_or_default(),
                    "/16 to /28 inside the VPC, no overlap (A5); empty: IPv6-only (A7)",
                ),
            ),
            fixed(edit, Field::choice("az", "Availability zone", choices::azs(d, &region), &az)),
            Field::yes_no("public_ip", "Auto-assign public IP", s.is_some_and(|s| s.map_public_ip_on_launch)),
            Field::choice("ipv6", "IPv6 /64", ipv6::subnet_choices(d, &vpc_id, v6), &v6_value)
                .with_hint("a free /64 of the VPC's IPv6 blocks; type to find (A7)"),
            Field::yes_no(
                "assign_ipv6",
                "Auto-assign IPv6",
                s.map_or(v6.is_some(), |s| s.assign_ipv6_address_on_creation),
            )
            .with_hint("new interfaces get an IPv6 address (AssignIpv6AddressOnCreation)"),
            Field::yes_no("dns64", "DNS64", s.is_some_and(|s| s.enable_dns64))
                .with_hint("AAAA answers for IPv4-only names, for NAT64 (N4)"),
            Field::choice("route_table", "Route table", tables, rt.as_deref().unwrap_or("")),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        // Choosing a /64 turns auto-assign on (as the console does), unless set by hand.
        if key == "ipv6" {
            let on = !form.get("ipv6").is_empty();
            if let Some(f) = form.field_mut("assign_ipv6").filter(|f| !f.touched) {
                f.input = LineInput::new(if on { "yes" } else { "no" });
            }
            return;
        }
        if key != "vpc" {
            return;
        }
        let vpc_id = form.get("vpc").to_string();
        let vpc = d.vpc(&vpc_id);
        let region = vpc.map_or(d.default_region.clone(), |v| v.region.clone());
        let suggestion = vpc.and_then(|v| suggest_subnet(d, v)).map(|c| c.to_string()).unwrap_or_default();
        if let Some(f) = form.field_mut("az") {
            let cur = f.value().to_string();
            *f = Field::choice("az", "Availability zone", choices::azs(d, &region), &cur);
        }
        if let Some(f) = form.field_mut("route_table") {
            *f = Field::choice("route_table", "Route table", choices::route_tables(d, &vpc_id), "");
        }
        if let Some(f) = form.field_mut("cidr") {
            if !f.touched {
                f.input = LineInput::new(suggestion);
            }
        }
        if let Some(f) = form.field_mut("ipv6") {
            *f = Field::choice("ipv6", "IPv6 /64", ipv6::subnet_choices(d, &vpc_id, None), "")
                .with_hint("a free /64 of the VPC's IPv6 blocks; type to find (A7)");
        }
    }

    fn notes(&self, form: &Form) -> Vec<(&'static str, String)> {
        parse::cidr_note(form.get("cidr")).map(|n| ("cidr", n)).into_iter().collect()
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let v6: Option<Ipv6Net> = g("ipv6").parse().ok();
        let (assign, dns64) = (form.flag("assign_ipv6"), form.flag("dns64"));
        // A7: no IPv4 block makes an IPv6-only subnet, which needs its /64.
        let ipv6_only = g("cidr").trim().is_empty()
            && form.editing().is_none_or(|id| d.subnet(id).is_some_and(|s| s.is_ipv6_only()));
        let cidr = if ipv6_only {
            if v6.is_none() {
                dr.errors
                    .push(("cidr", "required: an IPv4 CIDR, or an IPv6 /64 below for an IPv6-only subnet (A7)".into()));
            }
            Ipv4Net::default()
        } else {
            dr.field("cidr", parse::cidr(g("cidr")), Ipv4Net::default())
        };
        if assign && v6.is_none() {
            dr.errors.push(("assign_ipv6", "auto-assigning IPv6 needs the subnet's IPv6 /64 (A7)".into()));
        }
        let public = form.flag("public_ip");
        let table = parse::opt_ref(g("route_table"));
        match form.editing() {
            None if ipv6_only => {
                if public {
                    dr.errors.push((
                        "public_ip",
                        "an IPv6-only subnet has no IPv4 addresses to map a public one to (A7)".into(),
                    ));
                }
                let name = Ref::name(g("name"));
                dr.ops.push(Op::AddIpv6OnlySubnet {
                    vpc: Ref::id(g("vpc")),
                    name: g("name").to_string(),
                    az: g("az").to_string(),
                    cidr: v6,
                    dns64,
                });
                if assign {
                    dr.ops.push(Op::SetSubnetIpv6 { subnet: name.clone(), cidr: v6, assign_on_creation: true });
                }
                if table.is_some() {
                    dr.ops.push(Op::UpdateSubnet {
                        subnet: name,
                        name: None,
                        cidr: None,
                        public_ip_on_launch: None,
                        route_table: Some(table),
                    });
                }
            }
            None => {
                dr.require_vpc(form);
                let name = Ref::name(g("name"));
                if let Some(c) = v6 {
                    dr.ops.push(Op::SetSubnetIpv6 { subnet: name.clone(), cidr: Some(c), assign_on_creation: assign });
                }
                if dns64 {
                    dr.ops.push(Op::SetSubnetDns64 { subnet: name, enabled: true });
                }
                let rest = std::mem::take(&mut dr.ops);
                dr.ops.push(Op::AddSubnet {
                    vpc: Ref::id(g("vpc")),
                    name: g("name").to_string(),
                    cidr,
                    az: g("az").to_string(),
                    public_ip_on_launch: public,
                    route_table: table,
                    network_acl: None,
                });
                dr.ops.extend(rest);
            }
            Some(id) => {
                let Some(s) = d.subnet(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let current = d.route_tables.iter().find(|t| t.subnets.contains(&s.id)).map(|t| Ref::id(t.id.clone()));
                let name = parse::changed(g("name").to_string(), &s.name);
                let cidr = if dr.errors.is_empty() && !ipv6_only {
                    parse::changed(Some(cidr), &s.cidr).flatten()
                } else {
                    None
                };
                let public = parse::changed(public, &s.map_public_ip_on_launch);
                let table = parse::changed(table, &current);
                if name.is_some() || cidr.is_some() || public.is_some() || table.is_some() {
                    dr.ops.push(Op::UpdateSubnet {
                        subnet: Ref::id(id),
                        name,
                        cidr,
                        public_ip_on_launch: public,
                        route_table: table,
                    });
                }
                dr.ops.extend(ipv6_edit_ops(s, v6, assign, dns64));
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "public_ip_on_launch" => "public_ip",
            // The IPv6 ops' refusals (A7) come from the model, about no one field of theirs.
            "" => "ipv6",
            "enabled" => "dns64",
            "subnet" => "name",
            f => f,
        }
    }
}

/// The IPv6 ops of a subnet edit (A7): its /64 given, taken away or changed (AWS takes the old
/// one away first), AssignIpv6AddressOnCreation and DNS64.
fn ipv6_edit_ops(s: &crate::model::Subnet, v6: Option<Ipv6Net>, assign: bool, dns64: bool) -> Vec<Op> {
    let me = || Ref::id(s.id.clone());
    let mut ops = Vec::new();
    match (s.ipv6_cidr, v6) {
        (Some(_), None) => ops.push(Op::RemoveSubnetIpv6 { subnet: me() }),
        (old, Some(c)) if old != Some(c) || assign != s.assign_ipv6_address_on_creation => {
            if old.is_some_and(|o| o != c) {
                ops.push(Op::RemoveSubnetIpv6 { subnet: me() });
            }
            ops.push(Op::SetSubnetIpv6 { subnet: me(), cidr: Some(c), assign_on_creation: assign });
        }
        _ => {}
    }
    if dns64 != s.enable_dns64 {
        ops.push(Op::SetSubnetDns64 { subnet: me(), enabled: dns64 });
    }
    ops
}
