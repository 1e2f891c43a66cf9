//! The network ACL entry form (L2, L7).

use crate::app::forms::{choices, ipv6, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::app::tree::NodeRef;
use crate::model::ops::{Applied, Op, Ref};
use crate::model::{Design, NaclEntry, PortSpec, Protocol};

pub struct NaclEntryForm;
pub static FORM: NaclEntryForm = NaclEntryForm;

impl FormSpec for NaclEntryForm {
    fn kind(&self) -> FormKind {
        FormKind::NaclEntry
    }

    fn title(&self, d: &Design, target: &FormTarget, lang: crate::l10n::Lang) -> String {
        match target {
            FormTarget::EditSub { parent, .. } => {
                let name = d.network_acl(parent).map(|a| a.name.clone()).unwrap_or_default();
                crate::l10n::uif(lang, "Edit entry of {name}", &[("name", &name)])
            }
            _ => crate::l10n::ui(lang, "New network ACL entry"),
        }
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let (acl, egress, e) = match target {
            FormTarget::NewIn(p) => (d.network_acl(p).ok_or("select a network ACL first")?, ctx.egress, None),
            FormTarget::EditSub { parent, index, .. } => {
                let a = d.network_acl(parent).ok_or("the network ACL is gone")?;
                let e = a.entries.get(*index).ok_or("the entry is gone")?;
                (a, e.egress, Some(e))
            }
            _ => return Err("an entry belongs to a network ACL".into()),
        };
        let next = acl
            .entries
            .iter()
            .filter(|x| x.egress == egress)
            .map(|x| x.rule_number)
            .max()
            .map_or(100, |m| (m / 100 + 1) * 100)
            .min(32766);
        Ok(vec![
            Field::text("acl", "Network ACL", format!("{} ({})", acl.name, acl.id), "").locked(),
            Field::choice("direction", "Direction", choices::directions(), if egress { "out" } else { "in" }),
            Field::text(
                "rule",
                "Rule number",
                e.map_or(next.to_string(), |e| e.rule_number.to_string()),
                "1-32766, lowest first, first match wins (L2)",
            ),
            Field::choice(
                "action",
                "Action",
                choices::enums(&choices::ACTIONS),
                &e.map_or("Allow".into(), |e| choices::name_of(e.action)),
            ),
            Field::text(
                "protocol",
                "Protocol",
                e.map_or("tcp".into(), |e| e.protocol.to_string()),
                "tcp, udp, icmp, all or a number",
            ),
            Field::text(
                "ports",
                "Ports",
                e.map_or("443".into(), |e| parse::ports_text(&e.ports)),
                "22, 1024-65535 or all",
            ),
            Field::text(
                "cidr",
                "CIDR",
                e.map_or("0.0.0.0/0".into(), |e| e.cidr.to_string()),
                "a CIDR, e.g. 0.0.0.0/0 or ::/0; NACLs cannot use prefix lists (L7)",
            ),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let rule = parse::num::<u16>(g("rule"), 1, 32766, "the rule number").map_err(|m| format!("{m} (L2)"));
        let rule_number = dr.field("rule", rule, 1);
        let protocol = dr.field("protocol", Protocol::parse(g("protocol")), Protocol::All);
        let ports = if dr.errors.iter().any(|(k, _)| *k == "protocol") {
            PortSpec::All
        } else {
            dr.field("ports", parse::ports(protocol, g("ports")), PortSpec::All)
        };
        let cidr = if g("cidr").starts_with("pl-") {
            dr.field("cidr", Err::<_, &str>("a network ACL cannot reference a prefix list (L7)"), Default::default())
        } else {
            dr.field("cidr", ipv6::any_cidr(g("cidr")), ipnet::Ipv4Net::default().into())
        };
        let entry = NaclEntry {
            rule_number,
            egress: g("direction") == "out",
            action: choices::pick(&choices::ACTIONS, g("action")),
            protocol,
            ports,
            cidr,
        };
        match &form.target {
            FormTarget::NewIn(acl) => dr.ops.push(Op::AddNaclEntry { acl: Ref::id(acl), entry }),
            FormTarget::EditSub { parent, index, .. } => {
                let old = d.network_acl(parent).and_then(|a| a.entries.get(*index));
                if old != Some(&entry) {
                    dr.ops.push(Op::ReplaceNaclEntry { acl: Ref::id(parent), index: *index, entry });
                }
            }
            _ => dr.errors.push(("rule", "an entry belongs to a network ACL".into())),
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "rule_number" | "acl" | "index" => "rule",
            f => f,
        }
    }

    fn select_after(&self, form: &Form, _applied: &[Applied], d: &Design) -> Option<NodeRef> {
        match &form.target {
            FormTarget::NewIn(acl) => {
                let n = d.network_acl(acl)?.entries.len();
                Some(NodeRef::NaclEntry { acl: acl.clone(), index: n.checked_sub(1)? })
            }
            FormTarget::EditSub { parent, index, .. } => {
                Some(NodeRef::NaclEntry { acl: parent.clone(), index: *index })
            }
            _ => None,
        }
    }
}
