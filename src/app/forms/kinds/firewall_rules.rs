//! Network Firewall rules as the rule group form writes them, one rule per `;`, in the
//! Suricata header order AWS shows them in:
//!
//! - stateless (F2): `PRIORITY ACTION PROTO SRC SRC-PORT -> DST DST-PORT`, e.g.
//!   `10 drop tcp any any -> any 22`; action `pass`, `drop` or `forward`; a protocol name or
//!   number, or `any`; addresses `any` or CIDRs and ports `any`, `22` or `1024-65535`, several
//!   joined by commas;
//! - stateful (F3): `ACTION PROTO SRC SRC-PORT -> DST DST-PORT [sid N]`, `<>` for both
//!   directions, e.g. `drop tcp $HOME_NET any -> any 22`; action `pass`, `drop`, `reject` or
//!   `alert`;
//! - a Gateway Load Balancer appliance's verdicts (B2): `allow|deny PROTO SRC -> DST PORTS`,
//!   first match, then `default allow|deny`; empty: allow everything.

use crate::app::forms::parse;
use crate::model::{
    ApplianceRule, ApplianceRules, PortRange, Protocol, RuleAction, RuleAddress, StatefulAction, StatefulRule,
    StatelessAction, StatelessRule,
};
use ipnet::IpNet;

/// The rules of a text field, one per `;`.
fn rules(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|r| !r.is_empty())
}

fn port_range(s: &str) -> Result<PortRange, String> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let p = |x: &str| x.trim().parse::<u16>().map_err(|_| format!("'{s}' is not a port or a port range"));
    let (from, to) = (p(a)?, p(b)?);
    if from > to {
        return Err(format!("{s}: the range runs backwards"));
    }
    Ok(PortRange { from, to })
}

fn ports(s: &str) -> Result<Vec<PortRange>, String> {
    if s.eq_ignore_ascii_case("any") {
        return Ok(Vec::new());
    }
    s.split(',').map(port_range).collect()
}

fn cidrs(s: &str) -> Result<Vec<IpNet>, String> {
    if s.eq_ignore_ascii_case("any") {
        return Ok(Vec::new());
    }
    s.split(',')
        .map(|c| match RuleAddress::parse(c) {
            Some(RuleAddress::Cidr(n)) => Ok(n),
            _ => Err(format!("'{c}' is not a CIDR or an address (a stateless rule takes no variables)")),
        })
        .collect()
}

fn protocol_numbers(s: &str) -> Result<Vec<u8>, String> {
    if s.eq_ignore_ascii_case("any") {
        return Ok(Vec::new());
    }
    s.split(',')
        .map(|p| match p.to_ascii_lowercase().as_str() {
            "icmp" => Ok(1),
            "tcp" => Ok(6),
            "udp" => Ok(17),
            n => n.parse::<u8>().map_err(|_| format!("'{p}' is not tcp, udp, icmp, any or a protocol number")),
        })
        .collect()
}

fn protocol_name(n: u8) -> String {
    match n {
        1 => "icmp".into(),
        6 => "tcp".into(),
        17 => "udp".into(),
        n => n.to_string(),
    }
}

fn join_or_any<T>(v: &[T], f: impl Fn(&T) -> String) -> String {
    if v.is_empty() {
        "any".into()
    } else {
        v.iter().map(f).collect::<Vec<_>>().join(",")
    }
}

/// Split a rule at its direction arrow: (head words, `<>`?, tail words).
fn halves(rule: &str) -> Result<(Vec<&str>, bool, Vec<&str>), String> {
    let words: Vec<&str> = rule.split_whitespace().collect();
    let arrow = words
        .iter()
        .position(|w| *w == "->" || *w == "<>")
        .ok_or_else(|| format!("'{rule}': write SRC SRC-PORT -> DST DST-PORT"))?;
    Ok((words[..arrow].to_vec(), words[arrow] == "<>", words[arrow + 1..].to_vec()))
}

/// Parse stateless rules (F2).
pub fn parse_stateless(s: &str) -> Result<Vec<StatelessRule>, String> {
    rules(s).map(stateless).collect()
}

fn stateless(rule: &str) -> Result<StatelessRule, String> {
    let (head, both, tail) = halves(rule)?;
    let (&[pri, act, proto, src, sport], &[dst, dport]) = (head.as_slice(), tail.as_slice()) else {
        return Err(format!("'{rule}': write PRIORITY ACTION PROTO SRC SRC-PORT -> DST DST-PORT"));
    };
    if both {
        return Err(format!("'{rule}': a stateless rule matches one direction (->)"));
    }
    let priority = pri.parse::<u32>().map_err(|_| format!("'{pri}' is not a priority (1 to 65535)"))?;
    let action = match act.to_ascii_lowercase().as_str() {
        "pass" => StatelessAction::Pass,
        "drop" => StatelessAction::Drop,
        "forward" => StatelessAction::Forward,
        _ => return Err(format!("'{act}': a stateless action is pass, drop or forward")),
    };
    Ok(StatelessRule {
        priority,
        sources: cidrs(src)?,
        destinations: cidrs(dst)?,
        source_ports: ports(sport)?,
        destination_ports: ports(dport)?,
        protocols: protocol_numbers(proto)?,
        action,
    })
}

/// Stateless rules as [`parse_stateless`] reads them.
pub fn stateless_text(rules: &[StatelessRule]) -> String {
    rules
        .iter()
        .map(|r| {
            let action = match r.action {
                StatelessAction::Pass => "pass",
                StatelessAction::Drop => "drop",
                StatelessAction::Forward => "forward",
            };
            format!(
                "{} {action} {} {} {} -> {} {}",
                r.priority,
                join_or_any(&r.protocols, |p| protocol_name(*p)),
                join_or_any(&r.sources, IpNet::to_string),
                join_or_any(&r.source_ports, PortRange::to_string),
                join_or_any(&r.destinations, IpNet::to_string),
                join_or_any(&r.destination_ports, PortRange::to_string),
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn address(s: &str) -> Result<RuleAddress, String> {
    let s = if s.starts_with('$') { s.to_ascii_uppercase() } else { s.to_string() };
    let s = s.as_str();
    RuleAddress::parse(s).ok_or_else(|| format!("'{s}' is not any, $HOME_NET, $EXTERNAL_NET, a CIDR or an address"))
}

fn one_port(s: &str) -> Result<Option<PortRange>, String> {
    if s.eq_ignore_ascii_case("any") {
        Ok(None)
    } else {
        port_range(s).map(Some)
    }
}

fn address_text(a: &RuleAddress) -> String {
    match a {
        RuleAddress::Any => "any".into(),
        a => a.to_string(),
    }
}

/// Parse stateful 5-tuple rules (F3).
pub fn parse_stateful(s: &str) -> Result<Vec<StatefulRule>, String> {
    rules(s).map(stateful).collect()
}

fn stateful(rule: &str) -> Result<StatefulRule, String> {
    let (head, bidirectional, tail) = halves(rule)?;
    let (&[act, proto, src, sport], [dst, dport, rest @ ..]) = (head.as_slice(), tail.as_slice()) else {
        return Err(format!("'{rule}': write ACTION PROTO SRC SRC-PORT -> DST DST-PORT [sid N]"));
    };
    let action = StatefulAction::from_api(act)
        .ok_or_else(|| format!("'{act}': a stateful action is pass, drop, reject or alert"))?;
    let sid = match rest {
        [] => None,
        [w, n] if w.eq_ignore_ascii_case("sid") => Some(n.parse::<u32>().map_err(|_| format!("'{n}' is not a sid"))?),
        _ => return Err(format!("'{}': only `sid N` may follow the destination port", rest.join(" "))),
    };
    Ok(StatefulRule {
        action,
        protocol: proto.to_ascii_uppercase(),
        source: address(src)?,
        source_port: one_port(sport)?,
        destination: address(dst)?,
        destination_port: one_port(dport)?,
        bidirectional,
        sid,
    })
}

/// Stateful rules as [`parse_stateful`] reads them.
pub fn stateful_text(rules: &[StatefulRule]) -> String {
    rules
        .iter()
        .map(|r| {
            let port = |p: &Option<PortRange>| p.map_or("any".to_string(), |p| p.to_string());
            let dir = if r.bidirectional { "<>" } else { "->" };
            let sid = r.sid.map(|s| format!(" sid {s}")).unwrap_or_default();
            format!(
                "{} {} {} {} {dir} {} {}{sid}",
                r.action.api_name().to_ascii_lowercase(),
                r.protocol.to_ascii_lowercase(),
                address_text(&r.source),
                port(&r.source_port),
                address_text(&r.destination),
                port(&r.destination_port),
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn rule_action(s: &str) -> Result<RuleAction, String> {
    match s.to_ascii_lowercase().as_str() {
        "allow" => Ok(RuleAction::Allow),
        "deny" => Ok(RuleAction::Deny),
        _ => Err(format!("'{s}': an appliance allows or denies")),
    }
}

fn one_cidr(s: &str) -> Result<Option<IpNet>, String> {
    Ok(cidrs(s)?.into_iter().next())
}

/// Parse an appliance's verdicts (B2).
pub fn parse_appliance(s: &str) -> Result<ApplianceRules, String> {
    let mut out = ApplianceRules::default();
    for rule in rules(s) {
        let words: Vec<&str> = rule.split_whitespace().collect();
        match words.as_slice() {
            [d, a] if d.eq_ignore_ascii_case("default") => out.default = rule_action(a)?,
            [a, proto, src, "->", dst, ports] => {
                let protocol = Protocol::parse(proto)?;
                out.rules.push(ApplianceRule {
                    action: rule_action(a)?,
                    protocol,
                    source: one_cidr(src)?,
                    destination: one_cidr(dst)?,
                    ports: parse::ports(protocol, ports)?,
                    description: String::new(),
                });
            }
            _ => return Err(format!("'{rule}': write allow|deny PROTO SRC -> DST PORTS, or default allow|deny")),
        }
    }
    Ok(out)
}

/// An appliance's verdicts as [`parse_appliance`] reads them (empty: allow everything).
pub fn appliance_text(a: &ApplianceRules) -> String {
    let any = |c: &Option<IpNet>| c.map_or("any".to_string(), |c| c.to_string());
    let mut parts: Vec<String> = a
        .rules
        .iter()
        .map(|r| format!("{} {} {} -> {} {}", r.action, r.protocol, any(&r.source), any(&r.destination), r.ports))
        .collect();
    if a.default == RuleAction::Deny {
        parts.push("default deny".into());
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stateless_rules_read_back_as_written() {
        let text = "10 drop tcp any any -> 10.0.0.0/8 22; 20 pass udp,icmp 10.1.0.0/16 1024-65535 -> any any";
        let rules = parse_stateless(text).unwrap();
        assert_eq!(rules[0].destination_ports, [PortRange { from: 22, to: 22 }]);
        assert_eq!(rules[1].protocols, [17, 1]);
        assert_eq!(stateless_text(&rules), text);
        assert!(parse_stateless("10 block tcp any any -> any 22").unwrap_err().contains("pass, drop or forward"));
        assert!(parse_stateless("10 drop tcp any any <> any 22").is_err());
        assert!(parse_stateless("10 drop tcp any any -> any 30-20").unwrap_err().contains("backwards"));
    }

    #[test]
    fn stateful_rules_read_back_as_written() {
        let text = "drop tcp $HOME_NET any -> any 22 sid 5; pass tls any any <> 10.0.0.0/8 443";
        let rules = parse_stateful(text).unwrap();
        assert_eq!(rules[0].source, RuleAddress::HomeNet);
        assert_eq!(rules[0].sid, Some(5));
        assert!(rules[1].bidirectional);
        assert_eq!(stateful_text(&rules), text);
        assert_eq!(parse_stateful("alert ip $home_net any -> any any").unwrap()[0].source, RuleAddress::HomeNet);
        assert!(parse_stateful("deny tcp any any -> any 22").is_err());
        assert!(parse_stateful("drop tcp any any -> any 22 msg x").is_err());
    }

    #[test]
    fn appliance_verdicts_read_back_as_written() {
        let text = "deny tcp any -> 10.0.0.0/8 22; allow udp 10.1.0.0/16 -> any 53; default deny";
        let a = parse_appliance(text).unwrap();
        assert_eq!((a.rules.len(), a.default), (2, RuleAction::Deny));
        assert_eq!(appliance_text(&a), text);
        assert!(parse_appliance("").unwrap().is_allow_all());
        assert!(parse_appliance("block tcp any -> any 22").is_err());
    }
}
