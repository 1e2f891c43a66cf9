//! The load balancer form.

use super::{fixed, here, TreeSpot};
use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::app::tree::plural;
use crate::model::ops::{ListenerSpec, Op, Ref};
use crate::model::{Design, LoadBalancer, Protocol, Resource, ResourceKind as RK};

pub struct LoadBalancerForm;
pub static FORM: LoadBalancerForm = LoadBalancerForm;

/// In a group of its VPC.
pub const TREE: TreeSpot = TreeSpot::InVpc { group: "Load balancers", vpc, facts };

fn vpc(r: Resource<'_>) -> Option<&str> {
    match r {
        Resource::LoadBalancer(l) => Some(&l.vpc),
        _ => None,
    }
}

fn facts(_: &Design, r: Resource<'_>, lang: crate::l10n::Lang) -> String {
    let Resource::LoadBalancer(l) = r else { return String::new() };
    use crate::model::{LoadBalancerKind as K, LoadBalancerScheme as S};
    let kind = crate::l10n::ui(
        lang,
        match l.kind {
            K::Network => "network",
            K::Application => "application",
            K::Gateway => "gateway",
            K::Classic => "classic",
        },
    );
    let scheme = crate::l10n::ui(
        lang,
        match l.scheme {
            S::InternetFacing => "internetfacing",
            S::Internal => "internal",
        },
    );
    let nodes = plural(lang, l.nodes.len(), "node");
    format!("{kind} · {scheme} · {}", if lang == crate::l10n::Lang::En { nodes.to_lowercase() } else { nodes })
}

/// `PROTOCOL:PORT>TARGET-GROUP`, protocol and target group optional.
fn listener(d: &Design, s: &str) -> Result<ListenerSpec, String> {
    let (head, tg) = s.split_once('>').map_or((s, None), |(a, b)| (a, Some(b.trim())));
    let (proto, port) = head.split_once(':').unwrap_or(("tcp", head));
    let protocol = Protocol::parse(proto)?;
    let port = parse::num::<u16>(port, 1, 65535, "a listener port")?;
    let target_group = tg.filter(|t| !t.is_empty()).map(|t| parse::reference(d, t, &[RK::TargetGroup]));
    Ok(ListenerSpec { protocol, port, target_group })
}

fn listeners_text(l: &LoadBalancer) -> String {
    l.listeners
        .iter()
        .map(|x| match &x.target_group {
            Some(tg) => format!("{}:{}>{tg}", x.protocol, x.port),
            None => format!("{}:{}", x.protocol, x.port),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl FormSpec for LoadBalancerForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::LoadBalancer)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let l = match target {
            FormTarget::Edit(id) => Some(d.load_balancer(id).ok_or("the load balancer is gone")?),
            _ => None,
        };
        let subnets = l.map(|l| l.nodes.iter().map(|n| n.subnet.clone()).collect::<Vec<_>>().join(", "));
        let vpc = l.map_or(h.vpc.clone(), |l| l.vpc.clone());
        Ok(vec![
            Field::text("name", "Name", l.map_or("", |l| &l.name), "unique within the VPC"),
            fixed(l.is_some(), Field::choice("vpc", "VPC", choices::vpcs(d), l.map_or(&h.vpc, |l| &l.vpc))),
            Field::choice(
                "kind",
                "Type",
                choices::enums(&choices::LB_KINDS),
                &l.map_or("Network".into(), |l| choices::name_of(l.kind)),
            ),
            Field::choice(
                "scheme",
                "Scheme",
                choices::enums(&choices::LB_SCHEMES),
                &l.map_or("Internal".into(), |l| choices::name_of(l.scheme)),
            ),
            Field::multi("subnets", "Subnets", choices::subnets(d, Some(&vpc)), &subnets.unwrap_or_default())
                .with_hint("one per zone; an application load balancer needs two zones (M4)"),
            Field::multi(
                "security_groups",
                "Security groups",
                choices::security_groups(d, &vpc),
                &l.map(|l| parse::ids_text(&l.security_groups)).unwrap_or_default(),
            )
            .with_hint("type to find, Space ticks"),
            Field::text(
                "listeners",
                "Listeners",
                l.map(listeners_text).unwrap_or_default(),
                "PROTOCOL:PORT>TARGET-GROUP, e.g. tcp:443>tg-0001",
            ),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key == "vpc" {
            let vpc = form.get("vpc").to_string();
            super::managed::refresh_multi(form, "subnets", choices::subnets(d, Some(&vpc)));
            super::managed::refresh_multi(form, "security_groups", choices::security_groups(d, &vpc));
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let listeners: Result<Vec<ListenerSpec>, String> =
            parse::list(g("listeners")).iter().map(|l| listener(d, l)).collect();
        let listeners = dr.field("listeners", listeners, Vec::new());
        let kind = choices::pick(&choices::LB_KINDS, g("kind"));
        let scheme = choices::pick(&choices::LB_SCHEMES, g("scheme"));
        match form.editing() {
            None => {
                dr.require_vpc(form);
                dr.ops.push(Op::AddLoadBalancer {
                    name: g("name").to_string(),
                    vpc: Ref::id(g("vpc")),
                    kind,
                    scheme,
                    subnets: parse::refs(d, g("subnets"), &[RK::Subnet]),
                    groups: parse::refs(d, g("security_groups"), &[RK::SecurityGroup]),
                    listeners,
                });
            }
            Some(id) => {
                let Some(l) = d.load_balancer(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let nodes: Vec<String> = l.nodes.iter().map(|n| n.subnet.clone()).collect();
                let name = parse::changed(g("name").to_string(), &l.name);
                let kind = parse::changed(kind, &l.kind);
                let scheme = parse::changed(scheme, &l.scheme);
                let subnets = parse::refs_change(d, g("subnets"), &[RK::Subnet], &nodes);
                let groups = parse::refs_change(d, g("security_groups"), &[RK::SecurityGroup], &l.security_groups);
                let listeners = (g("listeners") != listeners_text(l) && dr.errors.is_empty()).then_some(listeners);
                let any = name.is_some()
                    || kind.is_some()
                    || scheme.is_some()
                    || subnets.is_some()
                    || groups.is_some()
                    || listeners.is_some();
                if any {
                    dr.ops.push(Op::UpdateLoadBalancer {
                        load_balancer: Ref::id(id),
                        name,
                        kind,
                        scheme,
                        subnets,
                        groups,
                        listeners,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "groups" => "security_groups",
            "load_balancer" => "name",
            f => f,
        }
    }
}
