//! The text form of a trace: numbered steps with circled numbers, the header change on NAT
//! hops, the verdict, and on a drop the reason and the fixes — in a language ([`Lang`]).
//!
//! English shows the engine's own sentences. Other languages render each hop from its typed
//! parts (the component's kind, the action, the explanation code of a drop) through the
//! message catalogues; the matched rule, the addresses and the ids are data and stay as they
//! are.

use super::result::{Component, Hop, TraceResult};
use super::vocab::{Code, ComponentKind, HopAction};
use crate::l10n::{t, tr, Lang};
use crate::model::text::escape_controls as esc;
use std::fmt::Write;

/// ①…⑳, then (21), (22) …
pub fn circled(n: u32) -> String {
    match n {
        1..=20 => char::from_u32(0x2460 + n - 1).map(String::from).unwrap_or_else(|| format!("({n})")),
        _ => format!("({n})"),
    }
}

/// A component kind's name in a language (`route-table`, `라우팅 테이블`).
pub fn kind_name(kind: ComponentKind, lang: Lang) -> String {
    match lang {
        Lang::En => kind.as_str().to_string(),
        _ => tr(lang, &format!("kind-{}", kind.as_str())),
    }
}

/// What an action does, in a sentence of a language.
pub fn action_text(action: HopAction, lang: Lang) -> String {
    tr(lang, &format!("action-{}", action.as_str()))
}

/// An action's word in the trace details (`send`, `drop`): the JSON's word in English.
pub fn action_word(action: HopAction, lang: Lang) -> String {
    match lang {
        Lang::En => action.as_str().to_string(),
        _ => tr(lang, &format!("trace-word-{}", action.as_str())),
    }
}

/// A component's name in a language: the engine's descriptions of what lies outside a design
/// ("internet host", "on-premises host", "AWS service", "the internet", "public DNS", the
/// instance metadata service …) are words to translate; a resource's name is data and stays
/// as it is.
pub fn component_name(c: &Component, lang: Lang) -> String {
    match (c.kind, c.name.as_str()) {
        (ComponentKind::Internet, "internet host" | "the internet")
        | (ComponentKind::OnPremises, "on-premises host")
        | (ComponentKind::AwsService, "AWS service")
        | (ComponentKind::Dns, "public DNS")
        | (ComponentKind::Imds, "instance metadata service")
        | (ComponentKind::AmazonDns, "Amazon DNS server")
        | (ComponentKind::LinkLocal, "link-local address")
        | (ComponentKind::Host, "answered on the host") => crate::l10n::ui(lang, &c.name),
        // A hypothetical interface (its id `hypothetical-…`): the words are said, the subnet kept.
        (ComponentKind::NetworkInterface, name) if c.id.starts_with("hypothetical-") => {
            match name.strip_prefix("hypothetical interface in ") {
                Some(subnet) => crate::l10n::uif(lang, "hypothetical interface in {subnet}", &[("subnet", &subnet)]),
                None => c.name.clone(),
            }
        }
        _ => c.name.clone(),
    }
}

/// A hypothetical interface's `name (id)` quoted inside a sentence, its words said in `lang`
/// (as [`component_name`] says them on its hop); any other value as it is.
pub fn said_in_sentence(value: String, lang: Lang) -> String {
    let Some(rest) = value.strip_prefix("hypothetical interface in ") else { return value };
    let Some((subnet, id)) = rest.rsplit_once(" (hypothetical-") else { return value };
    let name = crate::l10n::uif(lang, "hypothetical interface in {subnet}", &[("subnet", &subnet)]);
    format!("{name} (hypothetical-{id}")
}

/// [`Component::label`] with [`component_name`]: `name (id)`.
pub fn component_label(c: &Component, lang: Lang) -> String {
    let name = component_name(c, lang);
    if name == c.name {
        c.label()
    } else {
        format!("{name} ({})", esc(&c.id))
    }
}

/// An explanation code's plain sentence (section 11) in a language.
pub fn code_text(code: Code, lang: Lang) -> String {
    match lang {
        Lang::En => code.describe().to_string(),
        _ => tr(lang, &format!("code-{}", code.as_str())),
    }
}

/// The sentence of a hop in a language: its decision ([`super::Explanation`]) through the
/// catalogue of `lang`. A rare decision the catalogue does not say (a sentence built from text
/// no catalogue knows) is said from its action (and, for a drop, the code that stopped it).
pub fn decision_text(r: &TraceResult, h: &Hop, lang: Lang) -> String {
    if let Some(s) = h.decision.render_in(lang) {
        return s;
    }
    if lang == Lang::En {
        return String::new();
    }
    let action = action_text(h.action, lang);
    if h.action != HopAction::Drop {
        return action;
    }
    let code = r.blockers.iter().find(|b| b.step == h.step).map(|b| b.code).or(r.code);
    match code {
        Some(c) => format!("{action}: {}", code_text(c, lang)),
        None => action,
    }
}

/// The reason of a drop in a language: the dropping hop's decision, or (when the catalogue of
/// `lang` does not say it) the explanation code's sentence.
pub fn reason_text(reason: &super::Explanation, code: Code, lang: Lang) -> String {
    match reason.render_in(lang) {
        Some(s) => s,
        None if lang == Lang::En => String::new(),
        None => code_text(code, lang),
    }
}

/// `delivered`/`dropped` in a language.
pub fn verdict_text(r: &TraceResult, lang: Lang) -> String {
    tr(lang, &format!("verdict-{}", r.verdict))
}

fn hop_lines(out: &mut String, r: &TraceResult, h: &Hop, lang: Lang) {
    let c = &h.component;
    // Every value is one line: names in it are escaped (issue 17, U3).
    let decision = decision_text(r, h, lang);
    let _ = writeln!(
        out,
        " {} {} {} — {} [{}]",
        circled(h.step),
        kind_name(c.kind, lang),
        component_label(c, lang),
        esc(&decision),
        h.rule
    );
    if h.before != h.after {
        let _ = writeln!(out, "     {}  ⇒  {}", h.before, h.after);
    }
    if let Some(m) = &h.matched {
        let _ = writeln!(out, "     {}", t(lang, "trace-matched", &[("what", &esc(&m.render(lang)))]));
    }
    for b in &h.beaten {
        let _ = writeln!(out, "     {}", t(lang, "trace-beat", &[("what", &esc(&b.render(lang)))]));
    }
    if let Some(w) = &h.warning {
        let _ = writeln!(out, "     {}", t(lang, "trace-warning", &[("what", &w.render(lang))]));
    }
}

/// Render a result for people, in English.
pub fn render_text(r: &TraceResult) -> String {
    render_text_in(r, Lang::En)
}

/// Render a result for people, in a language.
pub fn render_text_in(r: &TraceResult, lang: Lang) -> String {
    let mut out = String::new();
    for h in &r.hypothetical {
        let _ = writeln!(out, "{}", h.said().render(lang));
    }
    if let Some(first) = r.forward.first() {
        let _ = writeln!(out, "{}", t(lang, "trace-flow", &[("header", &first.before)]));
    }
    let _ = writeln!(out, "{}", tr(lang, "trace-forward"));
    for h in &r.forward {
        hop_lines(&mut out, r, h, lang);
    }
    if !r.return_path.is_empty() {
        let _ = writeln!(out, "{}", tr(lang, "trace-return"));
        for h in &r.return_path {
            hop_lines(&mut out, r, h, lang);
        }
    }
    let _ = writeln!(
        out,
        "{}",
        t(lang, "trace-verdict", &[("verdict", &verdict_text(r, lang)), ("disposition", &r.disposition)])
    );
    if let (Some(code), Some(reason)) = (r.code, &r.reason) {
        let reason = reason_text(reason, code, lang);
        let _ = writeln!(out, "{}", t(lang, "trace-reason", &[("code", &code), ("reason", &esc(&reason))]));
    }
    if !r.blockers.is_empty() {
        let _ = writeln!(out, "{}", tr(lang, "trace-fixes"));
        for b in &r.blockers {
            let _ = writeln!(
                out,
                "  {} {} {} — {}",
                circled(b.step),
                b.code,
                component_label(&b.component, lang),
                esc(&b.fix_in(lang))
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_beaten_route_says_why_it_lost_in_korean() {
        use crate::sim::explain::{Beaten, Lost, Matched, RouteEntry, TgwOrigin};
        use crate::sim::routing::LostBecause;
        let route = Matched::Route(RouteEntry {
            prefix_list: None,
            cidr: "10.0.0.0/8".parse().expect("cidr"),
            target: crate::model::RouteTarget::TransitGateway("tgw-1".into()),
            propagated: false,
            blackhole: false,
        });
        let b = Beaten { route, why: Lost::Route(LostBecause::LessSpecific) };
        assert_eq!(b.to_string(), format!("10.0.0.0/8 → tgw-1 ({})", LostBecause::LessSpecific));
        assert_eq!(b.render(Lang::Ko), "10.0.0.0/8 → tgw-1 (덜 구체적)");
        let route = Matched::TgwRoute {
            cidr: "10.0.0.0/8".parse().expect("cidr"),
            attachment: Some("tgw-attach-1".into()),
            origin: TgwOrigin::Static,
        };
        let t = Beaten { route, why: Lost::TgwLowerPreference };
        assert_eq!(
            t.to_string(),
            format!("10.0.0.0/8 → tgw-attach-1 (static) ({})", super::super::routing::TGW_LOWER_PREFERENCE)
        );
        assert_eq!(t.render(Lang::Ko), "10.0.0.0/8 → tgw-attach-1 (정적) (같은 접두사에서 우선순위가 낮음 (T4))");
    }

    #[test]
    fn circled_numbers_then_parentheses() {
        assert_eq!(circled(1), "①");
        assert_eq!(circled(20), "⑳");
        assert_eq!(circled(21), "(21)");
    }

    #[test]
    fn every_kind_action_and_code_has_a_korean_sentence() {
        for k in ComponentKind::ALL {
            let ko = kind_name(*k, Lang::Ko);
            assert!(!ko.starts_with("kind-"), "{k}");
        }
        for a in HopAction::ALL {
            assert!(!action_text(*a, Lang::Ko).starts_with("action-"), "{a}");
        }
        for a in HopAction::ALL {
            assert_eq!(action_word(*a, Lang::En), a.as_str());
            let ko = action_word(*a, Lang::Ko);
            assert!(!ko.starts_with("trace-word-") && !ko.is_ascii(), "{a}: {ko}");
        }
        for c in Code::ALL {
            assert!(!code_text(*c, Lang::Ko).starts_with("code-"), "{c}");
            // The English catalogue holds the same sentence as the code (English is the source).
            assert_eq!(tr(Lang::En, &format!("code-{}", c.as_str())), c.describe(), "{c}");
        }
    }

    #[test]
    fn outside_components_say_their_names_in_korean() {
        let host = Component::new(ComponentKind::Internet, "60.1.1.1", "internet host");
        assert_eq!(component_label(&host, Lang::En), "internet host (60.1.1.1)");
        let ko = component_label(&host, Lang::Ko);
        assert!(!ko.contains("internet") && ko.ends_with("(60.1.1.1)"), "{ko}");
        let prem = Component::new(ComponentKind::OnPremises, "192.168.1.1", "on-premises host");
        assert!(!component_name(&prem, Lang::Ko).contains("host"));
        // A resource named like the description keeps its name.
        let named = Component::new(ComponentKind::Instance, "i-1", "internet host");
        assert_eq!(component_name(&named, Lang::Ko), "internet host");
        // The engine's other outside things too (they showed in English on Korean trace steps).
        for (kind, name, ko) in [
            (ComponentKind::Internet, "the internet", "인터넷"),
            (ComponentKind::Dns, "public DNS", "퍼블릭 DNS"),
            (ComponentKind::Imds, "instance metadata service", "인스턴스 메타데이터 서비스"),
            (ComponentKind::AmazonDns, "Amazon DNS server", "Amazon DNS 서버"),
            (ComponentKind::LinkLocal, "link-local address", "링크 로컬 주소"),
            (ComponentKind::Host, "answered on the host", "호스트에서 응답"),
        ] {
            let c = Component::new(kind, "x", name);
            assert_eq!(component_name(&c, Lang::Ko), ko);
            assert_eq!(component_name(&c, Lang::En), name);
        }
    }
}
