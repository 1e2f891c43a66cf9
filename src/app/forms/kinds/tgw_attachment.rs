//! The transit gateway attachment form (T1–T3, T5).

use super::{fixed, here};
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{AttachSpec, Op, Ref};
use crate::model::{Design, ResourceKind as RK, TgwAttachmentKind};

pub struct TgwAttachmentForm;
pub static FORM: TgwAttachmentForm = TgwAttachmentForm;

impl FormSpec for TgwAttachmentForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::TgwAttachment)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let a = match target {
            FormTarget::Edit(id) => Some(d.tgw_attachment(id).ok_or("the attachment is gone")?),
            _ => None,
        };
        let edit = a.is_some();
        let tgw = a
            .map(|a| a.tgw.clone())
            .or_else(|| ctx.transit_gateway.clone())
            .or_else(|| d.transit_gateways.first().map(|t| t.id.clone()))
            .unwrap_or_default();
        let (ty, vpc, subnets, vpn, peer) = match a.map(|a| &a.kind) {
            Some(TgwAttachmentKind::Vpc { vpc, subnets }) => {
                ("vpc", vpc.clone(), parse::ids_text(subnets), String::new(), String::new())
            }
            Some(TgwAttachmentKind::Vpn { vpn }) => ("vpn", String::new(), String::new(), vpn.clone(), String::new()),
            Some(TgwAttachmentKind::Peering { peer_tgw }) => {
                ("peering", String::new(), String::new(), String::new(), peer_tgw.clone())
            }
            None => ("vpc", h.vpc.clone(), String::new(), String::new(), String::new()),
        };
        let types = vec![Choice::new("vpc", "VPC"), Choice::new("vpn", "VPN"), Choice::new("peering", "TGW peering")];
        let mut vpns = vec![choices::none("(none)")];
        vpns.extend(d.vpn_connections.iter().map(|v| Choice::new(&v.id, format!("{} ({})", v.name, v.id))));
        let mut peers = vec![choices::none("(none)")];
        peers.extend(d.transit_gateways.iter().map(|t| Choice::new(&t.id, format!("{} ({})", t.name, t.id))));
        let tgws: Vec<Choice> =
            d.transit_gateways.iter().map(|t| Choice::new(&t.id, format!("{} ({})", t.name, t.id))).collect();
        let assoc = match a {
            Some(a) => a.association.clone().unwrap_or_default(),
            None => d
                .transit_gateway(&tgw)
                .filter(|t| t.default_association)
                .and_then(|t| t.default_route_table.clone())
                .unwrap_or_default(),
        };
        let mut vpcs = vec![choices::none("(none)")];
        vpcs.extend(choices::vpcs(d));
        Ok(vec![
            Field::text("name", "Name", a.map_or("", |a| &a.name), ""),
            fixed(edit, Field::choice("tgw", "Transit gateway", tgws, &tgw)),
            fixed(edit, Field::choice("type", "Attaches", types, ty)),
            fixed(edit, Field::choice("vpc", "VPC", vpcs, &vpc)),
            Field::multi("subnets", "Subnets", choices::subnets(d, Some(&vpc)), &subnets)
                .with_hint("the VPC's subnets, one per AZ (T2)"),
            fixed(edit, Field::choice("vpn", "VPN connection", vpns, &vpn)),
            fixed(edit, Field::choice("peer", "Peer transit gateway", peers, &peer)),
            Field::choice("association", "Associated table", choices::tgw_route_tables(d, &tgw), &assoc)
                .with_hint("the table used for packets from it (T3)"),
            Field::yes_no("appliance_mode", "Appliance mode", a.is_some_and(|a| a.appliance_mode))
                .with_hint("VPC: both directions of a flow stay in one AZ, for inspection (T9)"),
            Field::choice(
                "state",
                "State",
                choices::enums(&choices::ATTACH_STATES),
                &a.map_or("Available".into(), |a| choices::name_of(a.state)),
            ),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        // A VPC attachment's subnets are that VPC's (T2).
        if key == "vpc" {
            let vpc = form.get("vpc").to_string();
            choices::refresh_multi(form, "subnets", choices::subnets(d, Some(&vpc)));
        }
        if key == "tgw" {
            let tgw = form.get("tgw").to_string();
            if let Some(f) = form.field_mut("association") {
                *f = Field::choice("association", "Associated table", choices::tgw_route_tables(d, &tgw), "");
            }
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let state = choices::pick(&choices::ATTACH_STATES, g("state"));
        let association = Some(parse::opt_ref(g("association")));
        let subnets = parse::refs(d, g("subnets"), &[RK::Subnet]);
        match form.editing() {
            None => {
                if g("tgw").is_empty() {
                    dr.errors.push(("tgw", "required: add a transit gateway first".into()));
                }
                let attaches = match g("type") {
                    "vpc" => {
                        if g("vpc").is_empty() {
                            dr.errors.push(("vpc", "required: the VPC to attach".into()));
                        }
                        AttachSpec::Vpc { vpc: Ref::id(g("vpc")), subnets }
                    }
                    "vpn" => {
                        if g("vpn").is_empty() {
                            dr.errors.push(("vpn", "required: the VPN connection to attach".into()));
                        }
                        AttachSpec::Vpn { vpn: Ref::id(g("vpn")) }
                    }
                    _ => {
                        if g("peer").is_empty() {
                            dr.errors.push(("peer", "required: the transit gateway to peer with".into()));
                        }
                        AttachSpec::Peering { peer: Ref::id(g("peer")) }
                    }
                };
                dr.ops.push(Op::AddTgwAttachment {
                    tgw: Ref::id(g("tgw")),
                    name: g("name").to_string(),
                    attaches,
                    state,
                    association,
                    appliance_mode: form.flag("appliance_mode"),
                });
            }
            Some(id) => {
                let Some(a) = d.tgw_attachment(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &a.name);
                let state = parse::changed(state, &a.state);
                let appliance_mode = parse::changed(form.flag("appliance_mode"), &a.appliance_mode);
                let association = parse::changed(association.flatten(), &a.association.clone().map(Ref::id));
                let subnets = match &a.kind {
                    TgwAttachmentKind::Vpc { subnets, .. } => {
                        parse::refs_change(d, g("subnets"), &[RK::Subnet], subnets)
                    }
                    _ => None,
                };
                let any = name.is_some()
                    || state.is_some()
                    || association.is_some()
                    || subnets.is_some()
                    || appliance_mode.is_some();
                if any {
                    dr.ops.push(Op::UpdateTgwAttachment {
                        attachment: Ref::id(id),
                        name,
                        state,
                        association,
                        subnets,
                        appliance_mode,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "attachment" => "name",
            f => f,
        }
    }
}
