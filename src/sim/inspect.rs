//! What inspection points decide, as pure functions: a Network Firewall policy's stateless
//! engine (F2), its stateful engine with 5-tuple rules and domain lists (F3, F4), and the rules
//! a design gives the appliances behind a Gateway Load Balancer (B2). A packet in, a decision
//! with the rule that made it out; the walk in `targets/` records the hops.

use super::result::Header;
use crate::l10n::Text;
use crate::model::{
    ApplianceRules, DomainListAction, FirewallPolicy, FirewallRuleGroup, PortRange, Protocol, RuleAction, RuleAddress,
    RuleGroupKind, RuleOrder, StatefulAction, StatefulDefault, StatelessAction, StatelessRule,
};
use crate::rules::Rule;
use ipnet::IpNet;
use std::net::IpAddr;

/// The application protocol the stateful engine would recognise in a flow. Network Firewall
/// reads it from the payload; the trace has no payload, so it goes by the well-known port.
pub(crate) fn app_protocol(h: &Header) -> Option<&'static str> {
    let port = h.dst_port?;
    match (h.protocol, port) {
        (Protocol::Tcp, 80 | 8080) => Some("HTTP"),
        (Protocol::Tcp, 443 | 8443) => Some("TLS"),
        (Protocol::Tcp, 22) => Some("SSH"),
        (Protocol::Tcp, 21) => Some("FTP"),
        (Protocol::Tcp, 25 | 587) => Some("SMTP"),
        (Protocol::Tcp | Protocol::Udp, 53) => Some("DNS"),
        (Protocol::Udp, 123) => Some("NTP"),
        _ => None,
    }
}

fn in_any(nets: &[IpNet], ip: IpAddr) -> bool {
    nets.iter().any(|n| n.contains(&ip))
}

fn ports_match(ranges: &[PortRange], port: Option<u16>) -> bool {
    ranges.is_empty() || port.is_some_and(|p| ranges.iter().any(|r| r.contains(p)))
}

/// F2: whether a stateless rule matches a packet (empty lists match anything; a port range
/// never matches a packet without ports).
pub(crate) fn stateless_matches(r: &StatelessRule, h: &Header) -> bool {
    let proto = h.protocol.number();
    (r.protocols.is_empty() || proto.is_some_and(|p| r.protocols.contains(&p)))
        && (r.sources.is_empty() || in_any(&r.sources, h.src))
        && (r.destinations.is_empty() || in_any(&r.destinations, h.dst))
        && ports_match(&r.source_ports, h.src_port)
        && ports_match(&r.destination_ports, h.dst_port)
}

/// A stateless rule as text: `priority 10: tcp 0.0.0.0/0 → 10.0.0.0/8 port 22: aws:drop`.
pub(crate) fn stateless_text(r: &StatelessRule) -> Text {
    let nets = |v: &[IpNet]| {
        if v.is_empty() {
            "any".to_string()
        } else {
            v.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(",")
        }
    };
    let ports = |v: &[PortRange]| {
        if v.is_empty() {
            "any".to_string()
        } else {
            v.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(",")
        }
    };
    let protos = if r.protocols.is_empty() {
        "any".to_string()
    } else {
        r.protocols.iter().map(|p| Protocol::from_number(*p).to_string()).collect::<Vec<_>>().join(",")
    };
    crate::text!(
        "priority {}: {protos} {} port {} → {} port {}: {}",
        r.priority,
        nets(&r.sources),
        ports(&r.source_ports),
        nets(&r.destinations),
        ports(&r.destination_ports),
        r.action.api_name()
    )
}

/// What the stateless engine did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StatelessDecision {
    pub action: StatelessAction,
    /// The rule group (design index) and rule (index in the group) that matched; `None` for
    /// the policy's default action.
    pub rule: Option<(usize, usize)>,
}

/// F2: the stateless rule groups in priority order, rules in priority order; the first match
/// decides, else the policy's default action for full packets. `groups` resolves a group id
/// to its index in `all`.
pub(crate) fn stateless(
    policy: &FirewallPolicy,
    all: &[FirewallRuleGroup],
    groups: impl Fn(&str) -> Option<usize>,
    h: &Header,
) -> StatelessDecision {
    let mut refs: Vec<(u32, usize)> = policy
        .stateless_groups
        .iter()
        .filter_map(|r| Some((r.priority.unwrap_or(u32::MAX), groups(&r.group)?)))
        .filter(|(_, g)| all[*g].kind == RuleGroupKind::Stateless)
        .collect();
    refs.sort_by_key(|(p, _)| *p);
    for (_, g) in refs {
        let mut rules: Vec<(usize, &StatelessRule)> = all[g].stateless_rules.iter().enumerate().collect();
        rules.sort_by_key(|(_, r)| r.priority);
        if let Some((i, r)) = rules.into_iter().find(|(_, r)| stateless_matches(r, h)) {
            return StatelessDecision { action: r.action, rule: Some((g, i)) };
        }
    }
    StatelessDecision { action: policy.stateless_default, rule: None }
}

/// What the stateful engine did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StatefulDecision {
    /// Pass, drop or reject (an alert never decides).
    pub action: StatefulAction,
    /// The rule group that decided (design index); `None` for the policy's default.
    pub group: Option<usize>,
    /// What decided, as text.
    pub what: Text,
    /// F3 for 5-tuple rules and defaults, F4 for domain lists.
    pub rule: Rule,
    /// Things worth saying that did not decide: Suricata rules not evaluated, a domain list
    /// that does not apply to the source, alerts.
    pub notes: Vec<Text>,
}

/// One stateful match, before the policy's order picks the winner.
struct Candidate {
    action: StatefulAction,
    group: usize,
    what: Text,
    rule: Rule,
}

/// Whether an address of a rule header covers `ip`. `home` is the group's `HOME_NET`.
fn address_matches(a: &RuleAddress, ip: IpAddr, home: &[IpNet]) -> bool {
    match a {
        RuleAddress::Any => true,
        RuleAddress::Cidr(c) => c.contains(&ip),
        RuleAddress::HomeNet => in_any(home, ip),
        RuleAddress::ExternalNet => !in_any(home, ip),
    }
}

fn protocol_matches(keyword: &str, h: &Header) -> bool {
    match keyword.to_ascii_uppercase().as_str() {
        "IP" => true,
        "TCP" => h.protocol == Protocol::Tcp,
        "UDP" => h.protocol == Protocol::Udp,
        "ICMP" => h.protocol == Protocol::Icmp,
        app => app_protocol(h) == Some(app) || (app == "HTTP2" && app_protocol(h) == Some("HTTP")),
    }
}

fn port_matches(p: &Option<PortRange>, port: Option<u16>) -> bool {
    match p {
        None => true,
        Some(r) => port.is_some_and(|x| r.contains(x)),
    }
}

/// The candidates one stateful group yields for a packet, in the group's rule order.
fn group_candidates(
    gi: usize,
    g: &FirewallRuleGroup,
    h: &Header,
    host: Option<&str>,
    default_home: &[IpNet],
    notes: &mut Vec<Text>,
) -> Vec<Candidate> {
    let home: &[IpNet] = if g.home_net.is_empty() { default_home } else { &g.home_net };
    let mut out = Vec::new();
    for r in &g.stateful_rules {
        if !protocol_matches(&r.protocol, h) {
            continue;
        }
        let forward = address_matches(&r.source, h.src, home)
            && port_matches(&r.source_port, h.src_port)
            && address_matches(&r.destination, h.dst, home)
            && port_matches(&r.destination_port, h.dst_port);
        let backward = r.bidirectional
            && address_matches(&r.source, h.dst, home)
            && port_matches(&r.source_port, h.dst_port)
            && address_matches(&r.destination, h.src, home)
            && port_matches(&r.destination_port, h.src_port);
        if forward || backward {
            out.push(Candidate {
                action: r.action,
                group: gi,
                what: crate::text!("{} rule {r}", g.id),
                rule: Rule::F3,
            });
        }
    }
    if let Some(list) = &g.domain_list {
        let app = app_protocol(h);
        let inspected = (app == Some("HTTP") && list.http_host) || (app == Some("TLS") && list.tls_sni);
        if inspected {
            let field = if app == Some("HTTP") { "HTTP Host" } else { "TLS SNI" };
            if !in_any(home, h.src) {
                notes.push(crate::text!(
                    "{}'s domain list does not apply: {} is not in its HOME_NET ({}), the sources it inspects (F4)",
                    g.id,
                    h.src,
                    home.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
                ));
            } else {
                let hit = host.and_then(|x| list.matching(x));
                let named = match host {
                    None => crate::text!("no {field}"),
                    // Data: a protocol field and the name the client sends.
                    Some(x) => Text::from(format!("{field} {x}")),
                };
                let (action, what) = match (list.action, hit) {
                    (DomainListAction::AllowList, Some(t)) => (
                        Some(StatefulAction::Pass),
                        crate::text!("{}'s allow list: {named} matches {t}", g.id).with("named", named),
                    ),
                    (DomainListAction::AllowList, None) => (
                        Some(StatefulAction::Drop),
                        crate::text!("{}'s allow list: {named} matches none of its domains, so it is dropped", g.id)
                            .with("named", named),
                    ),
                    (DomainListAction::DenyList, Some(t)) => (
                        Some(StatefulAction::Drop),
                        crate::text!("{}'s deny list: {named} matches {t}", g.id).with("named", named),
                    ),
                    (DomainListAction::RejectList, Some(t)) => (
                        Some(StatefulAction::Reject),
                        crate::text!("{}'s reject list: {named} matches {t}", g.id).with("named", named),
                    ),
                    (DomainListAction::AlertList, Some(t)) => (
                        Some(StatefulAction::Alert),
                        crate::text!("{}'s alert list: {named} matches {t}", g.id).with("named", named),
                    ),
                    (_, None) => (None, Text::default()),
                };
                if let Some(action) = action {
                    out.push(Candidate { action, group: gi, what, rule: Rule::F4 });
                }
            }
        }
    }
    if !g.suricata.trim().is_empty() {
        notes.push(crate::text!("{} holds Suricata rules, which vpcraft reads but does not evaluate", g.id));
    }
    out
}

/// F3, F4: the stateful engine's decision on the first packet of a flow. `host` is the HTTP
/// Host or TLS SNI the client sends; `default_home` the firewall VPC's CIDRs (the default
/// `HOME_NET`).
pub(crate) fn stateful(
    policy: &FirewallPolicy,
    all: &[FirewallRuleGroup],
    groups: impl Fn(&str) -> Option<usize>,
    h: &Header,
    host: Option<&str>,
    default_home: &[IpNet],
) -> StatefulDecision {
    let mut refs: Vec<(u32, usize)> = policy
        .stateful_groups
        .iter()
        .enumerate()
        .filter_map(|(k, r)| Some((r.priority.unwrap_or(k as u32), groups(&r.group)?)))
        .filter(|(_, g)| all[*g].kind == RuleGroupKind::Stateful)
        .collect();
    if policy.rule_order == RuleOrder::StrictOrder {
        refs.sort_by_key(|(p, _)| *p);
    }
    let mut notes = Vec::new();
    let mut winner: Option<Candidate> = None;
    for (_, g) in refs {
        for c in group_candidates(g, &all[g], h, host, default_home, &mut notes) {
            if c.action == StatefulAction::Alert {
                let what = c.what.clone();
                notes.push(crate::text!("alert: {what}").with("what", c.what));
                continue;
            }
            match policy.rule_order {
                // Strict order: the first pass, drop or reject decides.
                RuleOrder::StrictOrder => {
                    if winner.is_none() {
                        winner = Some(c);
                    }
                }
                // Action order: pass before drop before reject, whatever the group.
                RuleOrder::DefaultActionOrder => {
                    if winner.as_ref().is_none_or(|w| c.action.action_order() < w.action.action_order()) {
                        winner = Some(c);
                    }
                }
            }
        }
        if policy.rule_order == RuleOrder::StrictOrder && winner.is_some() {
            break;
        }
    }
    if let Some(c) = winner {
        return StatefulDecision { action: c.action, group: Some(c.group), what: c.what, rule: c.rule, notes };
    }
    let drop = policy
        .stateful_defaults
        .iter()
        .find(|a| matches!(a, StatefulDefault::DropStrict | StatefulDefault::DropEstablished));
    match (policy.rule_order, drop) {
        (RuleOrder::StrictOrder, Some(a)) => StatefulDecision {
            action: StatefulAction::Drop,
            group: None,
            what: crate::text!("no stateful rule matches; the default action {} drops it", a.api_name()),
            rule: Rule::F3,
            notes,
        },
        _ => StatefulDecision {
            action: StatefulAction::Pass,
            group: None,
            what: crate::text!("no stateful rule matches, and the policy's default lets it pass"),
            rule: Rule::F3,
            notes,
        },
    }
}

/// B2: the appliance's rules on a packet: the first match, else the default. Returns whether
/// it passes and the rule that decided (`None`: the default).
pub(crate) fn appliance(rules: &ApplianceRules, h: &Header) -> (bool, Option<usize>) {
    for (i, r) in rules.rules.iter().enumerate() {
        let ports = match r.ports {
            crate::model::PortSpec::All => true,
            crate::model::PortSpec::Range { from, to } => h.dst_port.is_some_and(|p| from <= p && p <= to),
            crate::model::PortSpec::Icmp { .. } => h.protocol == Protocol::Icmp,
        };
        if r.protocol.covers(h.protocol)
            && ports
            && r.source.is_none_or(|c| c.contains(&h.src))
            && r.destination.is_none_or(|c| c.contains(&h.dst))
        {
            return (r.action == RuleAction::Allow, Some(i));
        }
    }
    (rules.default == RuleAction::Allow, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DomainList, RuleGroupRef, StatefulRule};

    fn hdr(dst: &str, port: u16) -> Header {
        Header {
            src: "10.1.1.10".parse().unwrap(),
            dst: dst.parse().unwrap(),
            protocol: Protocol::Tcp,
            src_port: Some(49152),
            dst_port: Some(port),
        }
    }

    fn group(id: &str, kind: RuleGroupKind) -> FirewallRuleGroup {
        FirewallRuleGroup {
            id: id.into(),
            name: id.into(),
            kind,
            capacity: 100,
            stateless_rules: Vec::new(),
            stateful_rules: Vec::new(),
            domain_list: None,
            suricata: String::new(),
            home_net: Vec::new(),
        }
    }

    fn policy(stateless: &[&str], stateful: &[&str]) -> FirewallPolicy {
        let refs = |v: &[&str]| {
            v.iter()
                .enumerate()
                .map(|(i, g)| RuleGroupRef { group: g.to_string(), priority: Some(i as u32 + 1) })
                .collect()
        };
        FirewallPolicy {
            id: "p".into(),
            name: "p".into(),
            stateless_default: StatelessAction::Forward,
            stateless_fragment_default: StatelessAction::Forward,
            stateless_groups: refs(stateless),
            stateful_groups: refs(stateful),
            rule_order: RuleOrder::DefaultActionOrder,
            stateful_defaults: Vec::new(),
        }
    }

    fn finder(all: &[FirewallRuleGroup]) -> impl Fn(&str) -> Option<usize> + '_ {
        move |id| all.iter().position(|g| g.id == id)
    }

    #[test]
    fn f2_first_match_by_priority_then_default() {
        let mut g = group("sl", RuleGroupKind::Stateless);
        g.stateless_rules.push(StatelessRule {
            priority: 20,
            sources: vec![],
            destinations: vec![],
            source_ports: vec![],
            destination_ports: vec![],
            protocols: vec![6],
            action: StatelessAction::Pass,
        });
        g.stateless_rules.push(StatelessRule {
            priority: 10,
            sources: vec![],
            destinations: vec![],
            source_ports: vec![],
            destination_ports: vec![PortRange { from: 22, to: 22 }],
            protocols: vec![6],
            action: StatelessAction::Drop,
        });
        let all = vec![g];
        let p = policy(&["sl"], &[]);
        let d = stateless(&p, &all, finder(&all), &hdr("8.8.8.8", 22));
        assert_eq!(d, StatelessDecision { action: StatelessAction::Drop, rule: Some((0, 1)) });
        let d = stateless(&p, &all, finder(&all), &hdr("8.8.8.8", 443));
        assert_eq!(d.action, StatelessAction::Pass);
        let mut udp = hdr("8.8.8.8", 53);
        udp.protocol = Protocol::Udp;
        assert_eq!(
            stateless(&p, &all, finder(&all), &udp),
            StatelessDecision { action: StatelessAction::Forward, rule: None }
        );
    }

    #[test]
    fn f3_action_order_pass_beats_drop_and_strict_order_takes_the_first() {
        let mut a = group("drop-all", RuleGroupKind::Stateful);
        a.stateful_rules.push(StatefulRule {
            action: StatefulAction::Drop,
            protocol: "IP".into(),
            source: RuleAddress::Any,
            source_port: None,
            destination: RuleAddress::Any,
            destination_port: None,
            bidirectional: false,
            sid: Some(1),
        });
        let mut b = group("pass-https", RuleGroupKind::Stateful);
        b.stateful_rules.push(StatefulRule {
            action: StatefulAction::Pass,
            protocol: "TLS".into(),
            source: RuleAddress::HomeNet,
            source_port: None,
            destination: RuleAddress::ExternalNet,
            destination_port: None,
            bidirectional: false,
            sid: Some(2),
        });
        let all = vec![a, b];
        let home: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let mut p = policy(&[], &["drop-all", "pass-https"]);
        let d = stateful(&p, &all, finder(&all), &hdr("8.8.8.8", 443), None, &home);
        assert_eq!((d.action, d.group), (StatefulAction::Pass, Some(1)));
        let d = stateful(&p, &all, finder(&all), &hdr("8.8.8.8", 22), None, &home);
        assert_eq!(d.action, StatefulAction::Drop);
        p.rule_order = RuleOrder::StrictOrder;
        let d = stateful(&p, &all, finder(&all), &hdr("8.8.8.8", 443), None, &home);
        assert_eq!((d.action, d.group), (StatefulAction::Drop, Some(0)), "strict: the first group decides");
    }

    #[test]
    fn f4_allow_list_passes_listed_names_drops_the_rest_only_for_home_net() {
        let mut g = group("allow", RuleGroupKind::Stateful);
        g.domain_list = Some(DomainList {
            action: DomainListAction::AllowList,
            targets: vec![".example.com".into()],
            http_host: true,
            tls_sni: true,
        });
        let all = vec![g];
        let p = policy(&[], &["allow"]);
        let home: Vec<IpNet> = vec!["10.1.0.0/16".parse().unwrap()];
        let h = hdr("93.184.216.34", 443);
        let d = stateful(&p, &all, finder(&all), &h, Some("www.example.com"), &home);
        assert_eq!((d.action, d.rule), (StatefulAction::Pass, Rule::F4));
        let d = stateful(&p, &all, finder(&all), &h, Some("evil.test"), &home);
        assert_eq!(d.action, StatefulAction::Drop);
        let d = stateful(&p, &all, finder(&all), &h, None, &home);
        assert_eq!(d.action, StatefulAction::Drop, "no SNI matches no domain");
        // SSH is not a protocol the list inspects.
        let d = stateful(&p, &all, finder(&all), &hdr("93.184.216.34", 22), None, &home);
        assert_eq!(d.action, StatefulAction::Pass);
        // A source outside HOME_NET is not inspected by the list (F4).
        let other: Vec<IpNet> = vec!["10.9.0.0/16".parse().unwrap()];
        let d = stateful(&p, &all, finder(&all), &h, Some("evil.test"), &other);
        assert_eq!(d.action, StatefulAction::Pass);
        assert!(d.notes.iter().any(|n| n.contains("HOME_NET")), "{:?}", d.notes);
    }

    #[test]
    fn b2_appliance_first_match_then_default() {
        let rules = ApplianceRules {
            rules: vec![crate::model::ApplianceRule {
                action: RuleAction::Deny,
                protocol: Protocol::Tcp,
                source: None,
                destination: None,
                ports: crate::model::PortSpec::port(22),
                description: "no SSH".into(),
            }],
            default: RuleAction::Allow,
        };
        assert_eq!(appliance(&rules, &hdr("10.2.0.5", 22)), (false, Some(0)));
        assert_eq!(appliance(&rules, &hdr("10.2.0.5", 443)), (true, None));
        assert_eq!(appliance(&ApplianceRules::default(), &hdr("10.2.0.5", 22)), (true, None));
    }
}
