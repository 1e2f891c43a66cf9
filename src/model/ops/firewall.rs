//! AWS Network Firewall: firewalls with one endpoint per AZ (F1), their policies (F2, F3) and
//! rule groups (F2–F4). Rule numbers are those ARCHITECTURE.md adds for hub and spoke
//! networks.

use super::common::{first_free_ip, Cx};
use super::{Applied, Op, OpError, PolicyGroupSpec, Prepare, Ref};
use crate::model::*;
use crate::rules::Rule;
use ipnet::IpNet;
use std::collections::HashSet;
use std::net::Ipv4Addr;

use ResourceKind as RK;

/// AWS's limit on a rule group's capacity.
const MAX_CAPACITY: u32 = 30_000;

pub(super) fn prepare(cx: Cx<'_>, op: &Op) -> Prepare {
    match op {
        Op::AddNetworkFirewall { name, vpc, policy, subnets } => {
            let c = FirewallChange { name: Some(name), policy: Some(policy), subnets: Some(subnets) };
            firewall(cx, Err(vpc), c)
        }
        Op::UpdateNetworkFirewall { firewall: f, name, policy, subnets } => {
            let c = FirewallChange { name: name.as_deref(), policy: policy.as_ref(), subnets: subnets.as_deref() };
            firewall(cx, Ok(f), c)
        }
        Op::AddFirewallPolicy {
            name,
            stateless_default,
            stateless_fragment_default,
            stateless_groups,
            stateful_groups,
            rule_order,
            stateful_defaults,
        } => {
            let c = PolicyChange {
                name: Some(name),
                stateless_default: Some(*stateless_default),
                stateless_fragment_default: Some(*stateless_fragment_default),
                stateless_groups: Some(stateless_groups),
                stateful_groups: Some(stateful_groups),
                stateful_defaults: Some(stateful_defaults),
            };
            policy(cx, Err(*rule_order), c)
        }
        Op::UpdateFirewallPolicy {
            policy: p,
            name,
            stateless_default,
            stateless_fragment_default,
            stateless_groups,
            stateful_groups,
            stateful_defaults,
        } => {
            let c = PolicyChange {
                name: name.as_deref(),
                stateless_default: *stateless_default,
                stateless_fragment_default: *stateless_fragment_default,
                stateless_groups: stateless_groups.as_deref(),
                stateful_groups: stateful_groups.as_deref(),
                stateful_defaults: stateful_defaults.as_deref(),
            };
            policy(cx, Ok(p), c)
        }
        Op::AddFirewallRuleGroup { name, kind, capacity, stateless_rules, stateful_rules, domain_list, home_net } => {
            let c = GroupChange {
                name: Some(name),
                stateless_rules: Some(stateless_rules),
                stateful_rules: Some(stateful_rules),
                domain_list: Some(domain_list.as_ref()),
                home_net: Some(home_net),
            };
            rule_group(cx, Err((*kind, *capacity)), c)
        }
        Op::UpdateFirewallRuleGroup { group, name, stateless_rules, stateful_rules, domain_list, home_net } => {
            let c = GroupChange {
                name: name.as_deref(),
                stateless_rules: stateless_rules.as_deref(),
                stateful_rules: stateful_rules.as_deref(),
                domain_list: domain_list.as_ref().map(Option::as_ref),
                home_net: home_net.as_deref(),
            };
            rule_group(cx, Ok(group), c)
        }
        Op::SetTargetGroupAppliance { target_group, appliance } => set_appliance(cx, target_group, appliance),
        _ => Err(vec![OpError::invalid("", None, "not a Network Firewall op")]),
    }
}

/// What a firewall op sets (`None`: unchanged).
struct FirewallChange<'o> {
    name: Option<&'o str>,
    policy: Option<&'o Ref>,
    subnets: Option<&'o [Ref]>,
}

/// The id of a firewall endpoint in a subnet: the firewall's id and the subnet's AZ letter,
/// unique because a firewall has one endpoint per AZ (F1).
fn endpoint_id(fw: &str, az: &str) -> Id {
    let letter = az.chars().last().filter(char::is_ascii_alphabetic).unwrap_or('x');
    format!("vpce-{fw}-{letter}")
}

/// Add a firewall to a VPC (`Err(vpc)`) or change one (`Ok(firewall)`) (F1).
fn firewall(mut cx: Cx<'_>, which: Result<&Ref, &Ref>, c: FirewallChange<'_>) -> Prepare {
    let (editing, vpc) = match which {
        Ok(r) => {
            let Some(id) = cx.id(r, RK::NetworkFirewall, "firewall") else { return cx.stop() };
            let vpc = cx.d.network_firewall(&id).map(|f| f.vpc.clone()).unwrap_or_default();
            (Some(id), vpc)
        }
        Err(v) => match cx.id(v, RK::Vpc, "vpc") {
            Some(v) => (None, v),
            None => return cx.stop(),
        },
    };
    let policy = match c.policy {
        Some(p) => match cx.id(p, RK::FirewallPolicy, "policy") {
            Some(p) => Some(p),
            None => return cx.stop(),
        },
        None => None,
    };
    let subnets = match c.subnets {
        Some(s) => match cx.ids(s, &[RK::Subnet], "subnets") {
            Some(s) => Some(s),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(n) = c.name {
        cx.name(RK::NetworkFirewall, n, None, editing.as_deref());
    }
    let old: Vec<FirewallEndpoint> =
        editing.as_deref().and_then(|f| cx.d.network_firewall(f)).map(|f| f.endpoints.clone()).unwrap_or_default();
    // F1: one endpoint per AZ, each in a subnet of the firewall's VPC with a free address.
    let mut endpoints: Option<Vec<(Id, Id, Option<Ipv4Addr>)>> = None;
    if let Some(subs) = &subnets {
        if subs.is_empty() {
            cx.bad("subnets", Some(Rule::F1), "required: a firewall subnet in each AZ to protect (F1)");
        }
        super::common::check_subnets_per_az(
            &mut cx,
            subs,
            &vpc,
            "subnets",
            "a firewall has one endpoint per Availability Zone (F1)",
        );
        let fw_id = editing.clone().unwrap_or_else(|| cx.d.new_id(RK::NetworkFirewall));
        let mut list = Vec::new();
        let mut taken: Vec<Ipv4Addr> = Vec::new();
        for s in subs.iter().filter_map(|s| cx.d.subnet(s)) {
            if let Some(e) = old.iter().find(|e| e.subnet == s.id) {
                list.push((e.id.clone(), s.id.clone(), Some(e.ip)));
                continue;
            }
            let ip = first_free_ip(cx.d, s, &taken);
            match ip {
                Some(ip) => taken.push(ip),
                None => cx.bad(
                    "subnets",
                    Some(Rule::F1),
                    crate::text!("{} has no free IPv4 address for the firewall endpoint (F1)", s.id),
                ),
            }
            list.push((endpoint_id(&fw_id, &s.az), s.id.clone(), ip));
        }
        endpoints = Some(list);
    }
    // F1: a route to an endpoint that would go must be changed first.
    if let (Some(fw), Some(new)) = (&editing, &endpoints) {
        let kept: HashSet<&str> = new.iter().map(|(e, _, _)| e.as_str()).collect();
        for e in old.iter().filter(|e| !kept.contains(e.id.as_str())) {
            let routed = cx.d.route_tables.iter().find(|t| t.routes.iter().any(|r| r.target.id() == Some(&e.id)));
            if let Some(t) = routed {
                let m = crate::text!(
                    "{}'s endpoint {} in {} is the target of a route in {}: change that route first (F1)",
                    fw,
                    e.id,
                    e.subnet,
                    t.id
                );
                cx.bad("subnets", Some(Rule::F1), m);
            }
        }
    }
    if !cx.ok() {
        return cx.stop();
    }
    let name = c.name.map(str::to_string);
    cx.finish(&[RK::NetworkFirewall], move |d| {
        let endpoints = endpoints.map(|l| {
            l.into_iter()
                .map(|(id, subnet, ip)| FirewallEndpoint {
                    id,
                    subnet,
                    ip: ip.unwrap_or(Ipv4Addr::UNSPECIFIED),
                    placeholder: false,
                })
                .collect::<Vec<_>>()
        });
        match editing {
            Some(id) => {
                if let Some(f) = d.network_firewalls.iter_mut().find(|f| f.id == id) {
                    if let Some(n) = name {
                        f.name = n;
                    }
                    if let Some(p) = policy {
                        f.policy = p;
                    }
                    if let Some(e) = endpoints {
                        f.endpoints = e;
                    }
                }
                Applied { created: None, touched: vec![id] }
            }
            None => {
                let id = d.new_id(RK::NetworkFirewall);
                d.network_firewalls.push(NetworkFirewall {
                    id: id.clone(),
                    name: name.unwrap_or_default(),
                    vpc,
                    policy: policy.unwrap_or_default(),
                    endpoints: endpoints.unwrap_or_default(),
                });
                Applied { created: Some(id.clone()), touched: vec![id] }
            }
        }
    })
}

/// What a policy op sets (`None`: unchanged).
struct PolicyChange<'o> {
    name: Option<&'o str>,
    stateless_default: Option<StatelessAction>,
    stateless_fragment_default: Option<StatelessAction>,
    stateless_groups: Option<&'o [PolicyGroupSpec]>,
    stateful_groups: Option<&'o [PolicyGroupSpec]>,
    stateful_defaults: Option<&'o [StatefulDefault]>,
}

/// Resolve a policy's rule group list: groups of the right kind (F2: stateless groups in the
/// stateless list; F3: stateful ones in the stateful list), priorities as `priorities` says.
fn group_refs(
    cx: &mut Cx<'_>,
    specs: &[PolicyGroupSpec],
    kind: RuleGroupKind,
    priorities: Priorities,
    field: &'static str,
) -> Option<Vec<RuleGroupRef>> {
    let refs: Vec<Ref> = specs.iter().map(|s| s.group.clone()).collect();
    let ids = cx.ids(&refs, &[RK::FirewallRuleGroup], field)?;
    let rule = if kind == RuleGroupKind::Stateless { Rule::F2 } else { Rule::F3 };
    if let Some(g) = ids.iter().filter_map(|i| cx.d.firewall_rule_group(i)).find(|g| g.kind != kind) {
        let word = |k: RuleGroupKind| if k == RuleGroupKind::Stateless { "stateless" } else { "stateful" };
        let (have_ui, want_ui) = (word(g.kind), word(kind));
        let m = crate::text!("{} is a {have_ui} rule group; this list takes {want_ui} ones ({rule})", g.id);
        cx.bad(field, Some(rule), m);
    }
    let mut seen = HashSet::new();
    for s in specs {
        match (priorities, s.priority) {
            (Priorities::Required, None) => {
                cx.bad(field, Some(rule), crate::text!("{}: a priority is required here ({rule})", s.group));
            }
            (Priorities::Forbidden, Some(_)) => cx.bad(
                field,
                Some(rule),
                crate::text!(
                    "{}: priorities apply only under strict order; default action order takes none ({rule})",
                    s.group
                ),
            ),
            (_, Some(p)) if !(1..=65_535).contains(&p) => {
                cx.bad(field, Some(rule), crate::text!("priority {p}: from 1 to 65535 ({rule})"));
            }
            (_, Some(p)) if !seen.insert(p) => {
                cx.bad(
                    field,
                    Some(rule),
                    crate::text!("priority {p} is used twice: priorities are unique in a policy ({rule})"),
                );
            }
            _ => {}
        }
    }
    Some(ids.into_iter().zip(specs).map(|(group, s)| RuleGroupRef { group, priority: s.priority }).collect())
}

#[derive(Debug, Clone, Copy)]
enum Priorities {
    Required,
    Forbidden,
}

/// Add a policy (`Err(rule order)`) or change one (`Ok(policy)`) (F2, F3).
fn policy(mut cx: Cx<'_>, which: Result<&Ref, RuleOrder>, c: PolicyChange<'_>) -> Prepare {
    let (editing, order) = match which {
        Ok(r) => {
            let Some(id) = cx.id(r, RK::FirewallPolicy, "policy") else { return cx.stop() };
            let order = cx.d.firewall_policy(&id).map(|p| p.rule_order).unwrap_or_default();
            (Some(id), order)
        }
        Err(o) => (None, o),
    };
    if let Some(n) = c.name {
        cx.name(RK::FirewallPolicy, n, None, editing.as_deref());
    }
    let stateless = match c.stateless_groups {
        Some(s) => match group_refs(&mut cx, s, RuleGroupKind::Stateless, Priorities::Required, "stateless_groups") {
            Some(v) => Some(v),
            None => return cx.stop(),
        },
        None => None,
    };
    let strict = order == RuleOrder::StrictOrder;
    let pri = if strict { Priorities::Required } else { Priorities::Forbidden };
    let stateful = match c.stateful_groups {
        Some(s) => match group_refs(&mut cx, s, RuleGroupKind::Stateful, pri, "stateful_groups") {
            Some(v) => Some(v),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(defaults) = c.stateful_defaults {
        if !strict && !defaults.is_empty() {
            cx.bad("stateful_defaults", Some(Rule::F3), "stateful default actions apply only under strict order (F3)");
        }
        let drops =
            defaults.iter().filter(|a| matches!(a, StatefulDefault::DropStrict | StatefulDefault::DropEstablished));
        if drops.count() > 1 {
            cx.bad(
                "stateful_defaults",
                Some(Rule::F3),
                "at most one drop action: drop_strict or drop_established (F3)",
            );
        }
    }
    if !cx.ok() {
        return cx.stop();
    }
    let name = c.name.map(str::to_string);
    let (sd, sfd) = (c.stateless_default, c.stateless_fragment_default);
    let defaults = c.stateful_defaults.map(<[StatefulDefault]>::to_vec);
    cx.finish(&[RK::FirewallPolicy], move |d| {
        let apply = |p: &mut FirewallPolicy| {
            if let Some(n) = name {
                p.name = n;
            }
            if let Some(a) = sd {
                p.stateless_default = a;
            }
            if let Some(a) = sfd {
                p.stateless_fragment_default = a;
            }
            if let Some(g) = stateless {
                p.stateless_groups = g;
            }
            if let Some(g) = stateful {
                p.stateful_groups = g;
            }
            if let Some(x) = defaults {
                p.stateful_defaults = x;
            }
        };
        match editing {
            Some(id) => {
                if let Some(p) = d.firewall_policies.iter_mut().find(|p| p.id == id) {
                    apply(p);
                }
                Applied { created: None, touched: vec![id] }
            }
            None => {
                let id = d.new_id(RK::FirewallPolicy);
                let mut p = FirewallPolicy {
                    id: id.clone(),
                    name: String::new(),
                    stateless_default: StatelessAction::Forward,
                    stateless_fragment_default: StatelessAction::Forward,
                    stateless_groups: Vec::new(),
                    stateful_groups: Vec::new(),
                    rule_order: order,
                    stateful_defaults: Vec::new(),
                };
                apply(&mut p);
                d.firewall_policies.push(p);
                Applied { created: Some(id.clone()), touched: vec![id] }
            }
        }
    })
}

/// What a rule group op sets (`None`: unchanged; `domain_list: Some(None)` removes it).
struct GroupChange<'o> {
    name: Option<&'o str>,
    stateless_rules: Option<&'o [StatelessRule]>,
    stateful_rules: Option<&'o [StatefulRule]>,
    domain_list: Option<Option<&'o DomainList>>,
    home_net: Option<&'o [IpNet]>,
}

/// Check stateless rules (F2): unique priorities from 1 to 65535, port ranges in order.
fn check_stateless(cx: &mut Cx<'_>, rules: &[StatelessRule]) {
    let mut seen = HashSet::new();
    for r in rules {
        if !(1..=65_535).contains(&r.priority) {
            cx.bad("stateless_rules", Some(Rule::F2), crate::text!("priority {}: from 1 to 65535 (F2)", r.priority));
        } else if !seen.insert(r.priority) {
            let m = crate::text!("priority {} is used twice: rule priorities are unique in a group (F2)", r.priority);
            cx.bad("stateless_rules", Some(Rule::F2), m);
        }
        if let Some(p) = r.source_ports.iter().chain(&r.destination_ports).find(|p| p.from > p.to) {
            cx.bad(
                "stateless_rules",
                Some(Rule::F2),
                crate::text!("port range {}-{} runs backwards (F2)", p.from, p.to),
            );
        }
    }
}

/// Check stateful 5-tuple rules (F3): port ranges in order, a protocol keyword, unique sids.
fn check_stateful(cx: &mut Cx<'_>, rules: &[StatefulRule]) {
    let mut sids = HashSet::new();
    for r in rules {
        if r.protocol.trim().is_empty() || !r.protocol.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            let m = crate::text!("'{}' is not a protocol keyword (IP, TCP, UDP, ICMP, HTTP, TLS …) (F3)", r.protocol);
            cx.bad("stateful_rules", Some(Rule::F3), m);
        }
        if let Some(p) = [r.source_port, r.destination_port].into_iter().flatten().find(|p| p.from > p.to) {
            cx.bad(
                "stateful_rules",
                Some(Rule::F3),
                crate::text!("port range {}-{} runs backwards (F3)", p.from, p.to),
            );
        }
        if let Some(sid) = r.sid {
            if !sids.insert(sid) {
                cx.bad("stateful_rules", Some(Rule::F3), crate::text!("sid {sid} is used twice: sids are unique (F3)"));
            }
        }
    }
}

/// Check a domain list (F4): names, and at least one of HTTP Host and TLS SNI to inspect.
fn check_domains(cx: &mut Cx<'_>, l: &DomainList) {
    if l.targets.is_empty() {
        cx.bad("domain_list", Some(Rule::F4), "required: at least one domain (F4)");
    }
    if !l.http_host && !l.tls_sni {
        cx.bad("domain_list", Some(Rule::F4), "inspect HTTP Host, TLS SNI or both (F4)");
    }
    let ok = |t: &str| {
        let t = t.strip_prefix('.').unwrap_or(t);
        !t.is_empty()
            && t.len() <= 253
            && t.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    if let Some(t) = l.targets.iter().find(|t| !ok(t)) {
        let m =
            crate::text!("'{t}' is not a domain name: a name, or .example.com for a domain and its subdomains (F4)");
        cx.bad("domain_list", Some(Rule::F4), m);
    }
}

/// Add a rule group (`Err((kind, capacity))`) or change one (`Ok(group)`) (F2–F4).
fn rule_group(mut cx: Cx<'_>, which: Result<&Ref, (RuleGroupKind, Option<u32>)>, c: GroupChange<'_>) -> Prepare {
    let (editing, kind, capacity, current) = match which {
        Ok(r) => {
            let Some(id) = cx.id(r, RK::FirewallRuleGroup, "group") else { return cx.stop() };
            let Some(g) = cx.d.firewall_rule_group(&id).cloned() else { return cx.stop() };
            (Some(id), g.kind, g.capacity, Some(g))
        }
        Err((k, cap)) => (None, k, cap.unwrap_or(100), None),
    };
    if let Some(n) = c.name {
        cx.name(RK::FirewallRuleGroup, n, None, editing.as_deref());
    }
    if !(1..=MAX_CAPACITY).contains(&capacity) {
        cx.bad("capacity", Some(Rule::F2), crate::text!("capacity {capacity}: from 1 to {MAX_CAPACITY} (F2)"));
    }
    // What the group holds once the change is made.
    let stateless = c.stateless_rules.map(<[StatelessRule]>::to_vec);
    let stateful = c.stateful_rules.map(<[StatefulRule]>::to_vec);
    let domains = c.domain_list.map(|d| d.cloned());
    let now_stateless =
        stateless.clone().or_else(|| current.as_ref().map(|g| g.stateless_rules.clone())).unwrap_or_default();
    let now_stateful =
        stateful.clone().or_else(|| current.as_ref().map(|g| g.stateful_rules.clone())).unwrap_or_default();
    let now_domains = domains.clone().unwrap_or_else(|| current.as_ref().and_then(|g| g.domain_list.clone()));
    let has_suricata = current.as_ref().is_some_and(|g| !g.suricata.trim().is_empty());
    match kind {
        RuleGroupKind::Stateless => {
            if !now_stateful.is_empty() || now_domains.is_some() {
                let m = "a stateless group holds stateless rules only; 5-tuple stateful rules and domain lists go in a stateful group (F2)";
                let field = if now_domains.is_some() { "domain_list" } else { "stateful_rules" };
                cx.bad(field, Some(Rule::F2), m);
            }
            check_stateless(&mut cx, &now_stateless);
        }
        RuleGroupKind::Stateful => {
            if !now_stateless.is_empty() {
                let m = "a stateful group holds stateful rules, a domain list or Suricata rules; stateless rules go in a stateless group (F3)";
                cx.bad("stateless_rules", Some(Rule::F3), m);
            }
            let sources =
                usize::from(!now_stateful.is_empty()) + usize::from(now_domains.is_some()) + usize::from(has_suricata);
            if sources > 1 {
                let m = "a stateful group has one rule source: 5-tuple rules, a domain list or Suricata rules (F3, F4)";
                let field = if now_domains.is_some() { "domain_list" } else { "stateful_rules" };
                cx.bad(field, Some(Rule::F3), m);
            }
            check_stateful(&mut cx, &now_stateful);
            if let Some(l) = &now_domains {
                check_domains(&mut cx, l);
            }
        }
    }
    let used = now_stateless.len() + now_stateful.len() + now_domains.as_ref().map_or(0, |l| l.targets.len());
    if used > capacity as usize {
        let rule = if kind == RuleGroupKind::Stateless { Rule::F2 } else { Rule::F3 };
        cx.bad(
            if kind == RuleGroupKind::Stateless { "stateless_rules" } else { "stateful_rules" },
            Some(rule),
            crate::text!("{used} rules need more than the group's capacity of {capacity}, fixed when the group was made ({rule})"),
        );
    }
    if !cx.ok() {
        return cx.stop();
    }
    let name = c.name.map(str::to_string);
    let home_net = c.home_net.map(|h| h.iter().map(IpNet::trunc).collect::<Vec<_>>());
    cx.finish(&[RK::FirewallRuleGroup], move |d| {
        let apply = |g: &mut FirewallRuleGroup| {
            if let Some(n) = name {
                g.name = n;
            }
            if let Some(r) = stateless {
                g.stateless_rules = r;
            }
            if let Some(r) = stateful {
                g.stateful_rules = r;
            }
            if let Some(l) = domains {
                g.domain_list = l;
            }
            if let Some(h) = home_net {
                g.home_net = h;
            }
        };
        match editing {
            Some(id) => {
                if let Some(g) = d.firewall_rule_groups.iter_mut().find(|g| g.id == id) {
                    apply(g);
                }
                Applied { created: None, touched: vec![id] }
            }
            None => {
                let id = d.new_id(RK::FirewallRuleGroup);
                let mut g = FirewallRuleGroup {
                    id: id.clone(),
                    name: String::new(),
                    kind,
                    capacity,
                    stateless_rules: Vec::new(),
                    stateful_rules: Vec::new(),
                    domain_list: None,
                    suricata: String::new(),
                    home_net: Vec::new(),
                };
                apply(&mut g);
                d.firewall_rule_groups.push(g);
                Applied { created: Some(id.clone()), touched: vec![id] }
            }
        }
    })
}

/// F1: a route target naming a firewall endpoint (`vpce-…`), or a firewall, whose endpoint in
/// the AZ of the table's subnets is taken. `None`: the target is neither.
pub(super) fn route_target(cx: &mut Cx<'_>, rt: &RouteTable, target: &Ref) -> Option<Option<RouteTarget>> {
    let d = cx.d;
    let key = target.key().trim();
    let (fw, ep) = match d.firewall_endpoint(key) {
        Some((f, e)) => (f, Some(e)),
        None => {
            let (_, id) = super::common::resolve_ref(d, target, &[RK::NetworkFirewall]).ok()?;
            (d.network_firewall(&id)?, None)
        }
    };
    if fw.vpc != rt.vpc {
        let m =
            crate::text!("{} is in {}: a firewall endpoint is a route target of its own VPC only (F1)", fw.id, fw.vpc);
        cx.bad("target", Some(Rule::F1), m);
        return Some(ep.map(|e| RouteTarget::GatewayEndpoint(e.id.clone())));
    }
    if let Some(e) = ep {
        return Some(Some(RouteTarget::GatewayEndpoint(e.id.clone())));
    }
    // The firewall itself: its endpoint in the zone of the subnets this table serves.
    let zones: Vec<&str> = d
        .vpc_subnets(&rt.vpc)
        .filter(|s| d.subnet_route_table(&s.id).is_some_and(|t| t.id == rt.id))
        .map(|s| s.az.as_str())
        .collect();
    let az_of = |e: &FirewallEndpoint| d.subnet(&e.subnet).map_or("", |s| s.az.as_str());
    let in_zone: Vec<&FirewallEndpoint> = fw.endpoints.iter().filter(|e| zones.contains(&az_of(e))).collect();
    let pick = match (fw.endpoints.as_slice(), in_zone.as_slice()) {
        ([only], _) => Some(only),
        (_, [only]) => Some(*only),
        _ => None,
    };
    match pick {
        Some(e) => Some(Some(RouteTarget::GatewayEndpoint(e.id.clone()))),
        None => {
            let list: Vec<String> = fw.endpoints.iter().map(|e| format!("{} ({})", e.id, az_of(e))).collect();
            let m = if fw.endpoints.is_empty() {
                crate::text!("{} has no endpoint: give it a firewall subnet first (F1)", fw.id)
            } else {
                crate::text!(
                    "{} has one endpoint per AZ ({}); this table's subnets do not pick one: name the endpoint (F1)",
                    fw.id,
                    list.join(", ")
                )
            };
            cx.fail(OpError::invalid("target", Some(Rule::F1), m));
            Some(None)
        }
    }
}

/// B2: a Gateway Load Balancer endpoint sits in one subnet, has no security groups and no
/// private DNS, and connects to a service of Gateway Load Balancers; an interface endpoint
/// cannot connect to such a service.
pub(super) fn check_gwlb_endpoint(
    cx: &mut Cx<'_>,
    kind: EndpointKind,
    service: &str,
    subnets: usize,
    groups: usize,
    private_dns: bool,
) {
    let d = cx.d;
    let gwlb_service = d.endpoint_services.iter().find(|s| s.service_name == service).map(|s| {
        s.load_balancers.iter().filter_map(|l| d.load_balancer(l)).any(|l| l.kind == LoadBalancerKind::Gateway)
    });
    match kind {
        EndpointKind::GatewayLoadBalancer => {
            if subnets != 1 {
                cx.bad("subnets", Some(Rule::B2), "a Gateway Load Balancer endpoint sits in exactly one subnet (B2)");
            }
            if groups > 0 {
                cx.bad("groups", Some(Rule::B2), "a Gateway Load Balancer endpoint has no security groups (B2)");
            }
            if private_dns {
                cx.bad("private_dns", Some(Rule::B2), "a Gateway Load Balancer endpoint has no private DNS (B2)");
            }
            if gwlb_service != Some(true) {
                let m =
                    crate::text!("{service} is not an endpoint service of Gateway Load Balancers of this design (B2)");
                cx.bad("service", Some(Rule::B2), m);
            }
        }
        EndpointKind::Interface if gwlb_service == Some(true) => {
            let m = crate::text!(
                "{service} fronts Gateway Load Balancers: connect to it with a GatewayLoadBalancer endpoint (B2)"
            );
            cx.bad("kind", Some(Rule::B2), m);
        }
        _ => {}
    }
}

/// B2: an endpoint service fronts Network Load Balancers or Gateway Load Balancers, not both.
pub(super) fn check_service_balancers<'a>(cx: &mut Cx<'_>, lbs: impl Iterator<Item = &'a Id>) {
    let kinds: HashSet<bool> =
        lbs.filter_map(|l| cx.d.load_balancer(l)).map(|l| l.kind == LoadBalancerKind::Gateway).collect();
    if kinds.len() > 1 {
        let m = "a service fronts Network Load Balancers or Gateway Load Balancers, not both (B2)";
        cx.bad("load_balancers", Some(Rule::B2), m);
    }
}

/// B2: what the appliances of a target group decide.
fn set_appliance(mut cx: Cx<'_>, tg: &Ref, appliance: &ApplianceRules) -> Prepare {
    let Some(id) = cx.id(tg, RK::TargetGroup, "target_group") else { return cx.stop() };
    for r in &appliance.rules {
        if let PortSpec::Range { from: a, to: b } = r.ports {
            if a > b {
                cx.bad("appliance", Some(Rule::B2), crate::text!("port range {a}-{b} runs backwards (B2)"));
            }
        }
    }
    let appliance = appliance.clone();
    cx.finish(&[RK::TargetGroup], move |d| {
        if let Some(t) = d.target_groups.iter_mut().find(|t| t.id == id) {
            t.appliance = appliance;
        }
        Applied { created: None, touched: vec![id] }
    })
}
