//! The Network Firewall form (F1): a VPC, a policy, and a firewall subnet per AZ, each of
//! which gets an endpoint that routes can point at.

use super::{fixed, here, TreeSpot};
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, Resource, ResourceKind as RK};

pub struct NetworkFirewallForm;
pub static FORM: NetworkFirewallForm = NetworkFirewallForm;

/// In a group of its VPC.
pub const TREE: TreeSpot = TreeSpot::InVpc { group: "Network firewalls", vpc, facts };

fn vpc(r: Resource<'_>) -> Option<&str> {
    match r {
        Resource::NetworkFirewall(f) => Some(&f.vpc),
        _ => None,
    }
}

/// The policy and each endpoint with its zone and address: what a route picks.
fn facts(d: &Design, r: Resource<'_>, lang: crate::l10n::Lang) -> String {
    let Resource::NetworkFirewall(f) = r else { return String::new() };
    let policy = d.firewall_policy(&f.policy).map_or(f.policy.as_str(), |p| p.name.as_str());
    let eps: Vec<String> = f
        .endpoints
        .iter()
        .map(|e| {
            let az = d.subnet(&e.subnet).map_or("?", |s| s.az.as_str());
            format!("{} {az} {}", e.id, e.ip)
        })
        .collect();
    let eps = if eps.is_empty() { crate::l10n::ui(lang, "no endpoint") } else { eps.join(", ") };
    format!("{} · {eps}", crate::l10n::uif(lang, "policy {policy}", &[("policy", &policy)]))
}

fn policies(d: &Design) -> Vec<Choice> {
    d.firewall_policies.iter().map(|p| Choice::new(&p.id, format!("{} ({})", p.name, p.id))).collect()
}

impl FormSpec for NetworkFirewallForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::NetworkFirewall)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let f = match target {
            FormTarget::Edit(id) => Some(d.network_firewall(id).ok_or("the firewall is gone")?),
            _ => None,
        };
        let vpc_id = f.map_or(h.vpc.clone(), |f| f.vpc.clone());
        let policy = f.map(|f| f.policy.clone()).or_else(|| d.firewall_policies.first().map(|p| p.id.clone()));
        let subnets = f.map(|f| parse::ids_text(f.endpoints.iter().map(|e| &e.subnet))).unwrap_or_default();
        Ok(vec![
            Field::text("name", "Name", f.map_or("", |f| &f.name), "unique in the region"),
            fixed(f.is_some(), Field::choice("vpc", "VPC", choices::vpcs(d), &vpc_id)),
            Field::choice("policy", "Policy", policies(d), &policy.unwrap_or_default())
                .with_hint("add a firewall policy first (F2, F3)"),
            Field::multi("subnets", "Firewall subnets", choices::subnets(d, Some(&vpc_id)), &subnets)
                .with_hint("one per AZ, each gets an endpoint routes point at (F1); Space ticks"),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key == "vpc" {
            let vpc = form.get("vpc").to_string();
            choices::refresh_multi(form, "subnets", choices::subnets(d, Some(&vpc)));
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        if g("policy").is_empty() {
            dr.errors.push(("policy", "required: add a firewall policy first (F2, F3)".into()));
        }
        match form.editing() {
            None => {
                dr.require_vpc(form);
                dr.ops.push(Op::AddNetworkFirewall {
                    name: g("name").to_string(),
                    vpc: Ref::id(g("vpc")),
                    policy: Ref::id(g("policy")),
                    subnets: parse::refs(d, g("subnets"), &[RK::Subnet]),
                });
            }
            Some(id) => {
                let Some(f) = d.network_firewall(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let current: Vec<String> = f.endpoints.iter().map(|e| e.subnet.clone()).collect();
                let name = parse::changed(g("name").to_string(), &f.name);
                let policy = (g("policy") != f.policy).then(|| Ref::id(g("policy")));
                let subnets = parse::refs_change(d, g("subnets"), &[RK::Subnet], &current);
                if name.is_some() || policy.is_some() || subnets.is_some() {
                    dr.ops.push(Op::UpdateNetworkFirewall { firewall: Ref::id(id), name, policy, subnets });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "firewall" => "name",
            f => f,
        }
    }
}
