//! The security group rule form (S1, S6).

use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::app::tree::NodeRef;
use crate::model::ops::{Applied, Direction, Op, PeerSpec, Ref};
use crate::model::{Design, PortSpec, Protocol, SgRule};

pub struct SgRuleForm;
pub static FORM: SgRuleForm = SgRuleForm;

fn rule_of<'a>(form: &Form, d: &'a Design) -> Option<&'a SgRule> {
    let FormTarget::EditSub { parent, index, egress } = &form.target else { return None };
    let g = d.security_group(parent)?;
    if *egress {
        g.egress.get(*index)
    } else {
        g.ingress.get(*index)
    }
}

impl FormSpec for SgRuleForm {
    fn kind(&self) -> FormKind {
        FormKind::SgRule
    }

    fn title(&self, d: &Design, target: &FormTarget) -> String {
        match target {
            FormTarget::EditSub { parent, .. } => {
                format!("Edit rule of {}", d.security_group(parent).map(|g| g.name.clone()).unwrap_or_default())
            }
            _ => "New security group rule".into(),
        }
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let (egress, r) = match target {
            FormTarget::NewIn(_) => (ctx.egress, None),
            FormTarget::EditSub { parent, index, egress } => {
                let g = d.security_group(parent).ok_or("the security group is gone")?;
                let rules = if *egress { &g.egress } else { &g.ingress };
                (*egress, Some(rules.get(*index).ok_or("the rule is gone")?))
            }
            _ => return Err("a rule belongs to a security group".into()),
        };
        Ok(vec![
            Field::choice("direction", "Direction", choices::directions(), if egress { "out" } else { "in" }),
            Field::text(
                "protocol",
                "Protocol",
                r.map_or("tcp".into(), |r| r.protocol.to_string()),
                "tcp, udp, icmp, all or a number",
            ),
            Field::text(
                "ports",
                "Ports",
                r.map_or("443".into(), |r| parse::ports_text(&r.ports)),
                "22, 1024-65535 or all; ICMP: type[:code]",
            ),
            Field::text(
                "peer",
                "Peer",
                r.map(|r| r.peer.to_string()).unwrap_or_default(),
                "a CIDR (0.0.0.0/0, ::/0), a security group or a prefix list (S6)",
            ),
            Field::text("description", "Description", r.map_or("", |r| &r.description), ""),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let direction = Direction::of(g("direction") == "out");
        let protocol = dr.field("protocol", Protocol::parse(g("protocol")), Protocol::All);
        let ports = if dr.errors.is_empty() {
            dr.field("ports", parse::ports(protocol, g("ports")), PortSpec::All)
        } else {
            PortSpec::All
        };
        let peer = dr.field("peer", parse::peer(d, g("peer")), PeerSpec::Cidr(Default::default()));
        let description = g("description").to_string();
        match &form.target {
            FormTarget::NewIn(sg) => {
                dr.ops.push(Op::AddSgRule { group: Ref::id(sg), direction, protocol, ports, peer, description })
            }
            FormTarget::EditSub { parent, index, egress } => {
                let Some(old) = rule_of(form, d) else {
                    dr.errors.push(("direction", "the rule is gone".into()));
                    return dr;
                };
                let unchanged = direction.egress() == *egress
                    && g("protocol") == old.protocol.to_string()
                    && g("ports") == parse::ports_text(&old.ports)
                    && g("peer") == old.peer.to_string()
                    && description == old.description;
                if !unchanged {
                    dr.ops.push(Op::ReplaceSgRule {
                        group: Ref::id(parent),
                        direction: Direction::of(*egress),
                        index: *index,
                        to_direction: direction,
                        protocol,
                        ports,
                        peer,
                        description,
                    });
                }
            }
            _ => dr.errors.push(("direction", "a rule belongs to a security group".into())),
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "group" | "index" => "direction",
            f => f,
        }
    }

    fn select_after(&self, form: &Form, _applied: &[Applied], d: &Design) -> Option<NodeRef> {
        let egress = form.get("direction") == "out";
        let (sg, index) = match &form.target {
            FormTarget::NewIn(sg) => {
                let g = d.security_group(sg)?;
                (sg.clone(), if egress { g.egress.len() } else { g.ingress.len() }.checked_sub(1)?)
            }
            FormTarget::EditSub { parent, index, egress: was } if *was == egress => (parent.clone(), *index),
            FormTarget::EditSub { parent, .. } => {
                let g = d.security_group(parent)?;
                (parent.clone(), if egress { g.egress.len() } else { g.ingress.len() }.checked_sub(1)?)
            }
            _ => return None,
        };
        Some(NodeRef::SgRule { sg, egress, index })
    }
}
