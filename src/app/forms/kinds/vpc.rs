//! The VPC form (A1–A3).

use super::{fixed, here};
use crate::app::forms::{choices, ipv6, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, ResourceKind};
use ipnet::Ipv4Net;

pub struct VpcForm;
pub static FORM: VpcForm = VpcForm;

impl FormSpec for VpcForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(ResourceKind::Vpc)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let v = match target {
            FormTarget::Edit(id) => Some(d.vpc(id).ok_or("the VPC is gone")?),
            _ => None,
        };
        let edit = v.is_some();
        let cidr = v.map_or_else(
            || common_cidr(d).map(|c| c.to_string()).unwrap_or_else(|| "10.0.0.0/16".into()),
            |v| v.cidr.to_string(),
        );
        let sec = v.map(|v| parse::join(&v.secondary_cidrs)).unwrap_or_default();
        Ok(vec![
            Field::text("name", "Name", v.map_or("", |v| &v.name), "unique among VPCs"),
            fixed(
                edit,
                Field::choice("region", "Region", choices::regions(d, &h.region), v.map_or(&h.region, |v| &v.region)),
            ),
            fixed(edit, Field::text("cidr", "IPv4 CIDR", cidr, "/16 to /28, e.g. 10.0.0.0/16 (A1)")),
            Field::text("secondary", "Secondary CIDRs", sec, "comma-separated, up to 5 (A2)"),
            Field::text(
                "ipv6",
                "IPv6 blocks",
                v.map(ipv6::blocks_text).unwrap_or_default(),
                "amazon (an Amazon-provided /56), or a block [ipv6pool-…|ipam-pool-…]; comma-separated; empty: IPv4 only (A7)",
            ),
            Field::yes_no("dns_support", "DNS support", v.is_none_or(|v| v.enable_dns_support)),
            Field::yes_no("dns_hostnames", "DNS hostnames", v.is_none_or(|v| v.enable_dns_hostnames)),
        ])
    }

    fn notes(&self, form: &Form) -> Vec<(&'static str, String)> {
        parse::cidr_note(form.get("cidr")).map(|n| ("cidr", n)).into_iter().collect()
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let secondary = dr.field("secondary", parse::cidrs(g("secondary")), Vec::new());
        let (support, hostnames) = (form.flag("dns_support"), form.flag("dns_hostnames"));
        let blocks = dr.field("ipv6", ipv6::block_entries(g("ipv6")), Vec::new());
        match form.editing() {
            None => {
                let cidr = dr.field("cidr", parse::cidr(g("cidr")), Ipv4Net::default());
                dr.ops.push(Op::AddVpc {
                    name: g("name").to_string(),
                    cidr,
                    region: Some(g("region").to_string()),
                    dns_hostnames: hostnames,
                    dns_support: support,
                    secondary_cidrs: secondary,
                });
                dr.ops.extend(ipv6::block_ops(Ref::name(g("name")), None, blocks));
            }
            Some(id) => {
                let Some(v) = d.vpc(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &v.name);
                let secondary = if dr.errors.is_empty() { parse::changed(secondary, &v.secondary_cidrs) } else { None };
                let support = parse::changed(support, &v.enable_dns_support);
                let hostnames = parse::changed(hostnames, &v.enable_dns_hostnames);
                if name.is_some() || secondary.is_some() || support.is_some() || hostnames.is_some() {
                    dr.ops.push(Op::UpdateVpc {
                        vpc: Ref::id(id),
                        name,
                        secondary_cidrs: secondary,
                        dns_support: support,
                        dns_hostnames: hostnames,
                    });
                }
                dr.ops.extend(ipv6::block_ops(Ref::id(id), Some(v), blocks));
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "secondary_cidrs" => "secondary",
            // The IPv6 ops' refusals (A7) come from the model, about no one field of theirs.
            "" | "pool" => "ipv6",
            f => f,
        }
    }
}

/// A /16 no VPC of the design uses yet.
fn common_cidr(d: &Design) -> Option<Ipv4Net> {
    crate::model::ops::suggest_vpc_cidr(d)
}
