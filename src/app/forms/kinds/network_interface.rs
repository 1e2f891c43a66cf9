//! The network interface form (A6, S1, S5, X4).

use super::fixed;
use crate::app::forms::{choices, ipv6, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind as RK};

pub struct NetworkInterfaceForm;
pub static FORM: NetworkInterfaceForm = NetworkInterfaceForm;

impl FormSpec for NetworkInterfaceForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::NetworkInterface)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let e = match target {
            FormTarget::Edit(id) => Some(d.network_interface(id).ok_or("the interface is gone")?),
            _ => None,
        };
        let edit = e.is_some();
        let subnet = e.map(|e| e.subnet.clone()).or_else(|| ctx.subnet.clone()).unwrap_or_default();
        let mut insts = vec![choices::none("(not attached)")];
        insts.extend(d.instances.iter().map(|i| Choice::new(&i.id, format!("{} ({})", i.name, i.id))));
        let mut eips = vec![choices::none("(none)")];
        eips.extend(
            d.elastic_ips.iter().map(|x| Choice::new(&x.id, format!("{} ({}, {})", x.name, x.id, x.public_ip))),
        );
        let sg_vpc = choices::groups_vpc(d, &subnet, ctx.vpc.as_deref());
        Ok(vec![
            Field::text("name", "Name", e.map_or("", |e| &e.name), ""),
            fixed(
                edit,
                Field::choice("subnet", "Subnet", choices::subnets(d, ctx.vpc.as_deref().filter(|_| !edit)), &subnet),
            ),
            Field::text(
                "private_ips",
                "Private IPs",
                e.map(|e| parse::join(&e.private_ips)).unwrap_or_default(),
                "comma-separated, primary first; empty: the first free",
            ),
            Field::text(
                "public_ip",
                "Public IP",
                e.and_then(|e| e.public_ip).map(|a| a.to_string()).unwrap_or_default(),
                "optional auto-assigned public IPv4",
            ),
            Field::text(
                "ipv6",
                "IPv6 addresses",
                e.map_or_else(|| ipv6::launch_default(d, &subnet).into(), |e| parse::join(&e.ipv6_addresses)),
                ipv6::ADDRESS_HINT,
            ),
            Field::choice("eip", "Elastic IP", eips, e.and_then(|e| e.eip.as_deref()).unwrap_or("")),
            Field::multi(
                "security_groups",
                "Security groups",
                choices::security_groups(d, &sg_vpc),
                &e.map(|e| parse::ids_text(&e.security_groups)).unwrap_or_default(),
            )
            .with_hint("type to find, Space ticks; none: the VPC default group (S5)"),
            Field::choice("instance", "Attached to", insts, e.and_then(|e| e.instance.as_deref()).unwrap_or("")),
            Field::text(
                "device_index",
                "Device index",
                e.map_or("1".into(), |e| e.device_index.to_string()),
                "0 is the primary interface",
            ),
            Field::yes_no("src_dst_check", "Source/dest check", e.is_none_or(|e| e.source_dest_check))
                .with_hint("off for a NAT instance (X4, N8)"),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key == "subnet" {
            choices::subnet_changed_groups(form, d);
            let v = ipv6::launch_default(d, form.get("subnet"));
            if let Some(f) = form.field_mut("ipv6").filter(|f| !f.touched) {
                f.input = crate::app::forms::LineInput::new(v);
            }
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let ips = dr.field("private_ips", parse::ips(g("private_ips")), Vec::new());
        let public_ip = dr.field("public_ip", parse::opt_ip(g("public_ip")), None);
        let device = dr.field("device_index", parse::num::<u32>(g("device_index"), 0, 31, "the device index"), 0);
        let (eip, instance) = (parse::opt_ref(g("eip")), parse::opt_ref(g("instance")));
        let groups = parse::refs(d, g("security_groups"), &[RK::SecurityGroup]);
        let check = form.flag("src_dst_check");
        let v6 = dr.field("ipv6", ipv6::address_choice(g("ipv6")), ipv6::AddressChoice::These(Vec::new()));
        match form.editing() {
            None => {
                if g("subnet").is_empty() {
                    dr.errors.push(("subnet", "required: add a subnet first".into()));
                }
                dr.ops.push(Op::AddNetworkInterface {
                    name: g("name").to_string(),
                    subnet: Ref::id(g("subnet")),
                    private_ips: ips,
                    public_ip,
                    eip,
                    groups,
                    instance,
                    device_index: device,
                    source_dest_check: check,
                });
                dr.ops.extend(ipv6::launch_ops(d, g("subnet"), Ref::name(g("name")), v6));
            }
            Some(id) => {
                let Some(e) = d.network_interface(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let bad = |k: &str| dr.errors.iter().any(|(x, _)| *x == k);
                let name = parse::changed(g("name").to_string(), &e.name);
                let ips = parse::changed(ips, &e.private_ips).filter(|_| !bad("private_ips"));
                let public_ip = parse::changed(public_ip, &e.public_ip).filter(|_| !bad("public_ip"));
                let eip = parse::changed(eip, &e.eip.clone().map(Ref::id));
                let groups = parse::refs_change(d, g("security_groups"), &[RK::SecurityGroup], &e.security_groups);
                let instance = parse::changed(instance, &e.instance.clone().map(Ref::id));
                let device = parse::changed(device, &e.device_index).filter(|_| !bad("device_index"));
                let check = parse::changed(check, &e.source_dest_check);
                let any = name.is_some()
                    || ips.is_some()
                    || public_ip.is_some()
                    || eip.is_some()
                    || groups.is_some()
                    || instance.is_some()
                    || device.is_some()
                    || check.is_some();
                if any {
                    dr.ops.push(Op::UpdateNetworkInterface {
                        eni: Ref::id(id),
                        name,
                        private_ips: ips,
                        public_ip,
                        eip,
                        groups,
                        instance,
                        device_index: device,
                        source_dest_check: check,
                    });
                }
                dr.ops.extend(ipv6::address_ops(Ref::id(id), &e.ipv6_addresses, v6));
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "groups" => "security_groups",
            "source_dest_check" => "src_dst_check",
            "eni" => "name",
            // The IPv6 ops' refusals (A7) come from the model, about no one field of theirs.
            "" | "resource" | "address" => "ipv6",
            f => f,
        }
    }
}
