//! The instance form (A6, I2, S5, X4, N8). The interface fields are its primary interface's.

use super::fixed;
use crate::app::forms::{choices, ipv6, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget, LineInput};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind as RK};

pub struct InstanceForm;
pub static FORM: InstanceForm = InstanceForm;

impl FormSpec for InstanceForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::Instance)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let i = match target {
            FormTarget::Edit(id) => Some(d.instance(id).ok_or("the instance is gone")?),
            _ => None,
        };
        let edit = i.is_some();
        let eni = i.and_then(|i| d.instance_interfaces(&i.id).into_iter().next());
        let subnet = eni.map(|e| e.subnet.clone()).or_else(|| ctx.subnet.clone()).unwrap_or_default();
        let sg_vpc = choices::groups_vpc(d, &subnet, ctx.vpc.as_deref());
        Ok(vec![
            Field::text("name", "Name", i.map_or("", |i| &i.name), ""),
            Field::text("type", "Instance type", i.map_or("t3.micro", |i| &i.instance_type), "e.g. t3.micro"),
            Field::choice(
                "state",
                "State",
                choices::enums(&choices::INSTANCE_STATES),
                &i.map_or("Running".into(), |i| choices::name_of(i.state)),
            ),
            fixed(
                edit,
                Field::choice("subnet", "Subnet", choices::subnets(d, ctx.vpc.as_deref().filter(|_| !edit)), &subnet),
            ),
            Field::text(
                "private_ip",
                "Private IP",
                eni.and_then(|e| e.primary_ip()).map(|a| a.to_string()).unwrap_or_default(),
                "empty: the first free address (A6)",
            ),
            Field::text(
                "public_ip",
                "Public IP",
                eni.and_then(|e| e.public_ip).map(|a| a.to_string()).unwrap_or_default(),
                "an auto-assigned public IPv4, or empty (I2)",
            ),
            Field::text(
                "ipv6",
                "IPv6 addresses",
                eni.map_or_else(|| ipv6::launch_default(d, &subnet).into(), |e| parse::join(&e.ipv6_addresses)),
                ipv6::ADDRESS_HINT,
            ),
            Field::multi(
                "security_groups",
                "Security groups",
                choices::security_groups(d, &sg_vpc),
                &eni.map(|e| parse::ids_text(&e.security_groups)).unwrap_or_default(),
            )
            .with_hint("type to find, Space ticks; none: the VPC default group (S5)"),
            Field::yes_no("src_dst_check", "Source/dest check", eni.is_none_or(|e| e.source_dest_check))
                .with_hint("off for a NAT instance (X4, N8)"),
            Field::text("role", "Role", i.map_or("", |i| &i.role), "what it does, for people"),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key == "subnet" {
            choices::subnet_changed_groups(form, d);
            let v = ipv6::launch_default(d, form.get("subnet"));
            if let Some(f) = form.field_mut("ipv6").filter(|f| !f.touched) {
                f.input = LineInput::new(v);
            }
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let private_ip = dr.field("private_ip", parse::opt_ip(g("private_ip")), None);
        let public_ip = dr.field("public_ip", parse::opt_ip(g("public_ip")), None);
        let v6 = dr.field("ipv6", ipv6::address_choice(g("ipv6")), ipv6::AddressChoice::Auto);
        let state = choices::pick(&choices::INSTANCE_STATES, g("state"));
        let check = form.flag("src_dst_check");
        match form.editing() {
            None => {
                if g("subnet").is_empty() {
                    dr.errors.push(("subnet", "required: add a subnet first".into()));
                }
                dr.ops.push(Op::AddInstance {
                    name: g("name").to_string(),
                    subnet: Ref::id(g("subnet")),
                    private_ip,
                    groups: parse::refs(d, g("security_groups"), &[RK::SecurityGroup]),
                    public_ip,
                    role: g("role").to_string(),
                    instance_type: Some(g("type").to_string()),
                    state,
                    source_dest_check: check,
                });
                dr.ops.extend(ipv6::launch_ops(d, g("subnet"), Ref::name(g("name")), v6));
            }
            Some(id) => {
                let Some(i) = d.instance(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let eni = d.instance_interfaces(id).into_iter().next();
                let name = parse::changed(g("name").to_string(), &i.name);
                let itype = parse::changed(g("type").to_string(), &i.instance_type);
                let state = parse::changed(state, &i.state);
                let role = parse::changed(g("role").to_string(), &i.role);
                let private_ip = private_ip.filter(|ip| eni.and_then(|e| e.primary_ip()) != Some(*ip));
                let public_ip = parse::changed(public_ip, &eni.and_then(|e| e.public_ip));
                let public_ip = public_ip.filter(|_| dr.errors.iter().all(|(k, _)| *k != "public_ip"));
                let groups = eni.and_then(|e| {
                    parse::refs_change(d, g("security_groups"), &[RK::SecurityGroup], &e.security_groups)
                });
                let check = eni.and_then(|e| parse::changed(check, &e.source_dest_check));
                let any = name.is_some()
                    || itype.is_some()
                    || state.is_some()
                    || role.is_some()
                    || private_ip.is_some()
                    || public_ip.is_some()
                    || groups.is_some()
                    || check.is_some();
                if any {
                    dr.ops.push(Op::UpdateInstance {
                        instance: Ref::id(id),
                        name,
                        instance_type: itype,
                        state,
                        role,
                        private_ip,
                        public_ip,
                        groups,
                        source_dest_check: check,
                    });
                }
                if let Some(e) = eni {
                    dr.ops.extend(ipv6::address_ops(Ref::id(id), &e.ipv6_addresses, v6));
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "instance_type" => "type",
            "groups" => "security_groups",
            "source_dest_check" => "src_dst_check",
            "instance" => "name",
            // The IPv6 ops' refusals (A7) come from the model, about no one field of theirs.
            "" | "resource" | "address" | "addresses" => "ipv6",
            f => f,
        }
    }
}
