//! The Network Firewall rule group form (F2–F4): stateless rules, or one stateful source —
//! 5-tuple rules or a domain list. Rules are written as `firewall_rules` reads them.

use super::firewall_rules::{parse_stateful, parse_stateless, stateful_text, stateless_text};
use super::{fixed, TreeSpot};
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{Design, DomainList, DomainListAction, Resource, ResourceKind as RK, RuleGroupKind};
use ipnet::IpNet;

pub struct RuleGroupForm;
pub static FORM: RuleGroupForm = RuleGroupForm;

/// Under the default region: rule groups are regional and say no VPC.
pub const TREE: TreeSpot = TreeSpot::InDefaultRegion { group: "Firewall rule groups", facts };

fn facts(_: &Design, r: Resource<'_>, lang: crate::l10n::Lang) -> String {
    use crate::l10n::{ui, uif};
    let Resource::FirewallRuleGroup(g) = r else { return String::new() };
    let what = match (&g.domain_list, g.kind) {
        (_, RuleGroupKind::Stateless) => uif(lang, "{n} stateless rules", &[("n", &g.stateless_rules.len())]),
        (Some(l), _) => format!("{} {}", l.action.api_name().to_lowercase(), l.targets.join(" ")),
        (None, _) if !g.suricata.trim().is_empty() => ui(lang, "Suricata rules (not evaluated)"),
        (None, _) => uif(lang, "{n} stateful rules", &[("n", &g.stateful_rules.len())]),
    };
    format!("{what} · {}", uif(lang, "capacity {n}", &[("n", &g.capacity)]))
}

const KINDS: [RuleGroupKind; 2] = [RuleGroupKind::Stateless, RuleGroupKind::Stateful];
const LIST_ACTIONS: [DomainListAction; 4] = [
    DomainListAction::AllowList,
    DomainListAction::DenyList,
    DomainListAction::RejectList,
    DomainListAction::AlertList,
];

fn home_net(s: &str) -> Result<Vec<IpNet>, String> {
    parse::list(s)
        .iter()
        .map(|c| c.parse::<IpNet>().map(|n| n.trunc()).map_err(|_| format!("'{c}' is not a CIDR")))
        .collect()
}

impl FormSpec for RuleGroupForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::FirewallRuleGroup)
    }

    fn fields(&self, d: &Design, target: &FormTarget, _: &Context) -> Result<Vec<Field>, String> {
        let g = match target {
            FormTarget::Edit(id) => Some(d.firewall_rule_group(id).ok_or("the rule group is gone")?),
            _ => None,
        };
        let edit = g.is_some();
        let list = g.and_then(|g| g.domain_list.as_ref());
        let actions = LIST_ACTIONS.iter().map(|a| Choice::new(a.api_name(), a.api_name())).collect();
        Ok(vec![
            Field::text("name", "Name", g.map_or("", |g| &g.name), "unique in the region"),
            fixed(
                edit,
                Field::choice(
                    "kind",
                    "Type",
                    choices::enums(&KINDS),
                    &g.map_or("Stateless".into(), |g| choices::name_of(g.kind)),
                ),
            ),
            fixed(
                edit,
                Field::text(
                    "capacity",
                    "Capacity",
                    g.map_or("100".into(), |g| g.capacity.to_string()),
                    "fixed once made (F2)",
                ),
            ),
            Field::text(
                "stateless_rules",
                "Stateless rules",
                g.map(|g| stateless_text(&g.stateless_rules)).unwrap_or_default(),
                "PRIORITY pass|drop|forward PROTO SRC PORT -> DST PORT; …  e.g. 10 drop tcp any any -> any 22 (F2)",
            ),
            Field::text(
                "stateful_rules",
                "Stateful rules",
                g.map(|g| stateful_text(&g.stateful_rules)).unwrap_or_default(),
                "pass|drop|reject|alert PROTO SRC PORT -> DST PORT; …  e.g. drop tcp $HOME_NET any -> any 22 (F3)",
            ),
            Field::text(
                "domains",
                "Domains",
                list.map(|l| l.targets.join(", ")).unwrap_or_default(),
                "stateful: a domain list, .example.com for a domain and its subdomains (F4)",
            ),
            Field::choice("list_action", "Domain list", actions, list.map_or("ALLOWLIST", |l| l.action.api_name())),
            Field::yes_no("http_host", "Inspect HTTP Host", list.is_none_or(|l| l.http_host)),
            Field::yes_no("tls_sni", "Inspect TLS SNI", list.is_none_or(|l| l.tls_sni)),
            Field::text(
                "home_net",
                "HOME_NET",
                g.map(|g| parse::join(&g.home_net)).unwrap_or_default(),
                "CIDRs a domain list inspects; empty: the firewall VPC's (F4)",
            ),
        ])
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let stateless = dr.field("stateless_rules", parse_stateless(g("stateless_rules")), Vec::new());
        let stateful = dr.field("stateful_rules", parse_stateful(g("stateful_rules")), Vec::new());
        let home = dr.field("home_net", home_net(g("home_net")), Vec::new());
        let targets = parse::list(g("domains"));
        let domain_list = (!targets.is_empty()).then(|| DomainList {
            action: DomainListAction::from_api(g("list_action")).unwrap_or(DomainListAction::AllowList),
            targets,
            http_host: form.flag("http_host"),
            tls_sni: form.flag("tls_sni"),
        });
        match form.editing() {
            None => {
                let capacity = dr.field("capacity", parse::num::<u32>(g("capacity"), 1, 30_000, "a capacity"), 100);
                dr.ops.push(Op::AddFirewallRuleGroup {
                    name: g("name").to_string(),
                    kind: choices::pick(&KINDS, g("kind")),
                    capacity: Some(capacity),
                    stateless_rules: stateless,
                    stateful_rules: stateful,
                    domain_list,
                    home_net: home,
                });
            }
            Some(id) => {
                let Some(x) = d.firewall_rule_group(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let name = parse::changed(g("name").to_string(), &x.name);
                let stateless = parse::changed(stateless, &x.stateless_rules);
                let stateful = parse::changed(stateful, &x.stateful_rules);
                let domain_list = parse::changed(domain_list, &x.domain_list);
                let home_net = parse::changed(home, &x.home_net);
                let any = name.is_some()
                    || stateless.is_some()
                    || stateful.is_some()
                    || domain_list.is_some()
                    || home_net.is_some();
                if any {
                    dr.ops.push(Op::UpdateFirewallRuleGroup {
                        group: Ref::id(id),
                        name,
                        stateless_rules: stateless,
                        stateful_rules: stateful,
                        domain_list,
                        home_net,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "group" => "name",
            "domain_list" => "domains",
            f => f,
        }
    }
}
