//! Every interface text the code uses has a Korean message: the texts written at their call
//! sites (found by reading `src/app`, `src/ui` and `src/tui.rs`, as gettext's xgettext would)
//! and the ones that come from tables (kinds, groups, key bindings, route origins, …).

use super::*;
use crate::app::forms::kinds::KINDS;
use crate::app::keymap::{self, Layer};
use crate::app::tree::GroupKind;
use crate::model::{ResourceKind, RouteOrigin};
use crate::sim::routing::LostBecause;
use regex::Regex;
use std::path::{Path, PathBuf};

/// The `.rs` files under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// A Rust string literal's text (the escapes the interface texts use).
fn unescape(s: &str) -> String {
    s.replace("\\\"", "\"").replace("\\\\", "\\").replace("\\n", "\n")
}

/// The arguments of the call whose `(` is at `open`, split at top-level commas.
fn call_args(s: &str, open: usize) -> Vec<String> {
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    let mut args = vec![String::new()];
    for c in s[open..].chars() {
        if in_str {
            if let Some(a) = args.last_mut() {
                a.push(c);
            }
            match c {
                _ if esc => esc = false,
                '\\' => esc = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                args.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(a) = args.last_mut() {
            a.push(c);
        }
    }
    args.into_iter().map(|a| a.trim().to_string()).collect()
}

/// The interface texts written at call sites: `ui(lang, "…")`, `uif(lang, "…", …)`, a form
/// field's label and hint, `with_hint("…")`, a detail line's key (`kv(app, "…", …)`).
pub fn texts_in_code() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root.join("app"), &mut files);
    sources(&root.join("ui"), &mut files);
    files.push(root.join("tui.rs"));
    let lit = r#""((?:[^"\\]|\\.)*)""#;
    let direct: Vec<Regex> = [
        format!(r"\bui\(\s*[\w.]+(?:\(\))?\s*,\s*{lit}"),
        format!(r"\buif\(\s*[\w.]+(?:\(\))?\s*,\s*{lit}"),
        format!(r"\.with_hint\(\s*{lit}"),
        format!(r"\bkv\(\s*app\s*,\s*{lit}"),
        // A choice's label (a picker shows it through `ui`), and the "none" choice's.
        format!(r#"Choice::new\(\s*"[^"]*",\s*{lit}\s*\)"#),
        format!(r"\bnone\(\s*{lit}"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("a pattern"))
    .collect();
    let field = Regex::new(r"Field::(text|choice|yes_no|multi)\(").expect("a pattern");
    let literal = Regex::new(&format!("^{lit}$")).expect("a pattern");
    let call = Regex::new(r"\bui\(").expect("a pattern");
    let lit_in = Regex::new(lit).expect("a pattern");
    let mut out = Vec::new();
    for f in files {
        let s = std::fs::read_to_string(&f).unwrap_or_default();
        let at = |i: usize| format!("{}:{}", f.display(), s[..i].lines().count());
        for re in &direct {
            for c in re.captures_iter(&s) {
                let t = unescape(&c[1]);
                // "(none)", "(detached)": a word in brackets is said by the word's message.
                if t.starts_with('(') && t.ends_with(')') && !t.contains(' ') {
                    continue;
                }
                out.push((t, at(c.get(0).map_or(0, |m| m.start()))));
            }
        }
        // `ui(lang, match … { A => "…", B => "…" })` and `ui(lang, if … { "…" } else { "…" })`.
        for m in call.find_iter(&s) {
            let args = call_args(&s, m.end() - 1);
            if let Some(a) = args.get(1).filter(|a| a.starts_with("match ") || a.starts_with("if ")) {
                for c in lit_in.captures_iter(a) {
                    out.push((unescape(&c[1]), at(m.start())));
                }
            }
        }
        for m in field.find_iter(&s) {
            let args = call_args(&s, m.end() - 1);
            // The label, and a text field's hint.
            for i in [1, 3] {
                if i == 3 && !m.as_str().contains("text") {
                    continue;
                }
                if let Some(c) = args.get(i).and_then(|a| literal.captures(a)) {
                    out.push((unescape(&c[1]), at(m.start())));
                }
            }
        }
    }
    out
}

/// The interface texts that come from tables rather than call sites.
fn texts_in_tables() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    out.extend(ResourceKind::ALL.iter().map(|k| k.label().to_string()));
    out.extend(KINDS.iter().filter_map(|r| r.tree.group()).map(str::to_string));
    for g in [
        GroupKind::RouteTables,
        GroupKind::Gateways,
        GroupKind::Endpoints,
        GroupKind::Peerings,
        GroupKind::SecurityGroups,
        GroupKind::NetworkAcls,
        GroupKind::TransitGateways,
        GroupKind::Vpn,
        GroupKind::ElasticIps,
        GroupKind::PrefixLists,
        GroupKind::ManagedServices,
        GroupKind::Other,
    ] {
        out.push(g.title().to_string());
    }
    out.extend(crate::app::add_menu::GROUPS.iter().map(|g| g.to_string()));
    out.push("suggested here".into());
    out.push(crate::app::vpc_more::LABEL.into());
    out.extend(crate::app::trace_view::FIELDS.iter().map(|f| f.to_string()));
    for layer in Layer::ALL {
        out.push(layer.title().to_string());
        out.extend(keymap::bindings(layer).iter().map(|b| b.help.to_string()));
        out.extend(keymap::hints(layer).into_iter().map(|(_, h)| h.to_string()));
    }
    out.extend(["help", "next step", "check", "show me", "pane", "zoom", "leave lab", "quit", "map"].map(String::from));
    out.extend(crate::app::Pane::ALL.iter().chain([&crate::app::Pane::Map]).map(|p| p.title().to_string()));
    out.extend(LostBecause::ALL.iter().map(|l| l.text().to_string()));
    out.extend(
        [RouteOrigin::Local, RouteOrigin::Static, RouteOrigin::Propagated, RouteOrigin::EndpointManaged]
            .map(|o| o.to_string()),
    );
    out.extend(["public", "private", "vpn-only", "yes", "no", "network", "router", "future", "last"].map(String::from));
    out.extend(["recent", "saves", "data", "example", "new", "here"].map(String::from));
    out.extend(INTERFACE_WORDS_IN_MESSAGES.iter().map(|w| w.to_string()));
    // What one resource is to another ("associated subnet"), as the detail panel's "used by"
    // says it; a route or a listener keeps its CIDR or port after the word.
    for name in crate::assets::example_names() {
        for r in crate::assets::example(name).map(|d| d.references()).unwrap_or_default() {
            let word = r.field.split_once(' ').filter(|(w, _)| *w == "route" || *w == "listener").map(|(w, _)| w);
            out.push(word.map_or_else(|| r.field.clone(), str::to_string));
        }
    }
    out
}

/// The words the model's messages pass as `…_ui` parts (a direction, a verb, what a rule is
/// about, a CIDR's role, a number's name), said in the user's language.
const INTERFACE_WORDS_IN_MESSAGES: &[&str] = &[
    "inbound",
    "outbound",
    "edited",
    "deleted",
    "a DB subnet group",
    "an EKS cluster",
    "at most one subnet per AZ (E1)",
    "a load balancer has one node per AZ",
    "one subnet per zone for a domain (M1)",
    "a VPC attachment uses one subnet per AZ (T2)",
    "a firewall has one endpoint per Availability Zone (F1)",
    "stateless",
    "stateful",
    "a VPC CIDR",
    "a secondary VPC CIDR",
    "a subnet",
    "a port",
    "a target port",
    "a listener port",
    "ICMP code",
    "ICMP type",
    // A lab step's changes (labs::describe): where an address is taken, a NACL entry's action.
    "the first free address",
    "(next free /64)",
    "allow",
    "deny",
];

/// The fixed sentences the model and the forms refuse with (`cx.bad(…, "…")`,
/// `OpError::invalid(…, "…")`, `errors.push(("field", "…".into()))` …): shown through the
/// catalogue's `ui-…` message of the sentence.
fn refusal_literals() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in ["model", "net", "app"] {
        sources(&root.join(dir), &mut files);
    }
    let lit = r#""((?:[^"\\]|\\.)*)""#;
    let patterns: Vec<Regex> = [
        format!(r"(?:cx\.bad|OpError::invalid|OpError::not_allowed|EditError::Invalid|EditError::NotAllowed|\binvalid)\(\s*(?:[^,()]*,\s*(?:[^,()]*|Some\([^)]*\)),\s*)?{lit},?\s*\)"),
        format!(r"OpError::not_found\(\s*[^,()]*,\s*{lit}\s*\)"),
        format!(r#"errors\.push\(\(\s*"\w*",\s*{lit}\.into\(\)"#),
        format!(r"Err\({lit}\.into\(\)\)"),
        format!(r"return Some\({lit}\.into\(\)\)"),
        format!(r"CidrError::\w+ => {lit}\.into\(\),"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("a pattern"))
    .collect();
    let mut out = Vec::new();
    for f in files.iter().filter(|f| !f.to_string_lossy().contains("test")) {
        let s = std::fs::read_to_string(f).unwrap_or_default();
        let s = s.split("#[cfg(test)]").next().unwrap_or_default();
        for re in &patterns {
            for c in re.captures_iter(s) {
                let t = unescape(&c[1]);
                if !t.contains('{') && t.split(' ').count() > 2 {
                    out.push((t, f.display().to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn every_fixed_refusal_has_a_korean_message() {
    let (ko, _) = catalogue_ids(KO_FTL);
    let found = refusal_literals();
    assert!(found.len() > 60, "the walk finds the refusals: {}", found.len());
    let mut missing: Vec<String> = found
        .into_iter()
        .filter(|(t, _)| !ko.contains(&ui_key(t)))
        .map(|(t, at)| format!("{at}: {t:?} ({})", ui_key(&t)))
        .collect();
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "{} refusals have no message in ko.ftl:\n{}", missing.len(), missing.join("\n"));
}

/// A message the code no longer uses is a translation nobody reads, and a sign its text changed
/// under a new id: every id of the catalogues is used (the other way round from the tests above).
#[test]
fn every_catalogue_message_is_used() {
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    used.extend(texts_in_code().into_iter().map(|(t, _)| ui_key(&t)));
    used.extend(texts_in_tables().iter().map(|t| ui_key(t)));
    used.extend(refusal_literals().into_iter().map(|(t, _)| ui_key(&t)));
    used.extend(check_templates().into_iter().map(|(t, _)| text_key(&t)));
    used.extend(crate::sim::checks::FindingCode::ALL.iter().map(|c| format!("fix-{}", c.name())));
    // Ids named in the code as literals ("trace-matched"), and the families built from an
    // enum's name (kind-…, action-…, code-…, verdict-…, severity-…): the name is a literal.
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let code: String = files
        .iter()
        .filter(|f| !f.ends_with("coverage.rs"))
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let literal = Regex::new(r#""((?:[^"\\]|\\.)*)""#).expect("a pattern");
    let literals: std::collections::HashSet<String> =
        literal.captures_iter(&code).filter_map(|c| c.get(1)).map(|m| unescape(m.as_str())).collect();
    // An interface text kept in a table of the code ("save, then quit"): its English is a literal
    // there, with `{name}` for each part.
    let var = Regex::new(r"\{\s*\$(\w+)\s*\}").expect("a pattern");
    for line in EN_FTL.lines() {
        if let Some((id, value)) = line.split_once(" = ").filter(|(id, _)| id.starts_with("ui-")) {
            // (Searched as text too: a `'"'` elsewhere in a file puts the literal walk off by one.)
            let english = var.replace_all(value, "{$1}");
            if literals.contains(english.as_ref()) || code.contains(&format!("\"{english}\"")) {
                used.insert(id.to_string());
            }
        }
    }
    // An id made by `format!` from a literal such as "hop-sg-none-{}" or
    // "hop-route-{kind}{local}-{why}": the literal's fixed words (two at least) and anything
    // id-like in place of each `{…}`.
    let hole = Regex::new(r"\{[^}]*\}").expect("a pattern");
    let id_then_hole = Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)+-\{").expect("a pattern");
    let made: Vec<Regex> = literals
        .iter()
        .filter(|l| id_then_hole.is_match(l))
        .filter_map(|l| {
            let fixed: Vec<String> = hole.split(l).map(regex::escape).collect();
            Regex::new(&format!("^{}$", fixed.join("[a-z0-9-]*"))).ok()
        })
        .collect();
    used.extend(catalogue_ids(EN_FTL).0.into_iter().filter(|id| made.iter().any(|m| m.is_match(id))));
    let dynamic =
        ["kind-", "action-", "code-", "verdict-", "severity-", "lesson-", "check-", "audit-severity-", "diff-change-"];
    let mut unused: Vec<String> = catalogue_ids(EN_FTL)
        .0
        .into_iter()
        .filter(|id| !used.contains(id) && !literals.contains(id.as_str()))
        .filter(|id| {
            !dynamic.iter().any(|d| {
                id.strip_prefix(d)
                    .is_some_and(|rest| literals.contains(rest) || literals.contains(&rest.replace('-', "_")))
            })
        })
        .collect();
    unused.sort();
    assert!(unused.is_empty(), "{} ids in the catalogues are used nowhere:\n{}", unused.len(), unused.join("\n"));
}

/// English texts that read the same in Korean (AWS's names and acronyms).
const SAME_IN_KOREAN: &[&str] = &[
    "VPC",
    "CIDR",
    "DNS",
    "ASN",
    "AZ",
    "IPv4 CIDR",
    "BGP ASN",
    "Amazon ASN",
    "CIDRs",
    "RDS, Aurora, Neptune, DocumentDB",
    "ElastiCache",
    "Redshift",
];

#[test]
fn every_interface_text_in_code_has_a_korean_message() {
    let (ko, _) = catalogue_ids(KO_FTL);
    let ko: std::collections::HashSet<String> = ko.into_iter().collect();
    let mut missing: Vec<String> = texts_in_code()
        .into_iter()
        .filter(|(t, _)| ui_key(t) != "ui" && !SAME_IN_KOREAN.contains(&t.as_str()) && !ko.contains(&ui_key(t)))
        .map(|(t, at)| format!("{at}: {t:?} ({})", ui_key(&t)))
        .collect();
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "{} texts have no message in ko.ftl:\n{}", missing.len(), missing.join("\n"));
}

#[test]
fn every_interface_text_from_a_table_has_a_korean_message() {
    let (ko, _) = catalogue_ids(KO_FTL);
    let mut missing: Vec<String> = texts_in_tables()
        .into_iter()
        .filter(|t| ui_key(t) != "ui" && !SAME_IN_KOREAN.contains(&t.as_str()) && !ko.contains(&ui_key(t)))
        .map(|t| format!("{t:?} ({})", ui_key(&t)))
        .collect();
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "{} texts have no message in ko.ftl:\n{}", missing.len(), missing.join("\n"));
}

/// A template's parts are the ones its messages use: a Korean message naming a part the code
/// does not pass would show `{$part}`; an English message is the template itself.
#[test]
fn templates_and_their_messages_agree() {
    let [en, ko] = bundles();
    let part = Regex::new(r"\{(\w+)\}").expect("a pattern");
    for (t, at) in texts_in_code() {
        let key = ui_key(&t);
        let names: Vec<String> = part.captures_iter(&t).map(|c| c[1].to_string()).collect();
        let mut args = FluentArgs::new();
        for n in &names {
            args.set(n.clone(), FluentValue::from(format!("<{n}>")));
        }
        if let Some(e) = format(en, &key, Some(&args)) {
            let mut want = t.clone();
            for n in &names {
                want = want.replace(&format!("{{{n}}}"), &format!("<{n}>"));
            }
            assert_eq!(e.trim(), want.trim(), "{at}: en.ftl's {key} is not the text at its call site");
        }
        if let Some(k) = format(ko, &key, Some(&args)) {
            assert!(!k.contains("{$"), "{at}: ko.ftl's {key} names a part the code does not pass: {k}");
        }
    }
}

#[test]
fn the_code_uses_texts_the_walk_finds() {
    // The walk is not empty and finds texts of each kind of call site.
    let found: Vec<String> = texts_in_code().into_iter().map(|(t, _)| t).collect();
    for want in ["Not applied: {label}: {what}", "Auto-assign public IP", "unique within the VPC", "used by"] {
        assert!(found.iter().any(|t| t == want), "{want} not found");
    }
}

/// Two texts share a message only when they differ in the blanks around them (which `ui`
/// keeps): "Trace" and "trace", "(free)" and "free" are two messages.
#[test]
fn no_two_texts_share_a_message() {
    let mut by_key: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let texts = texts_in_code().into_iter().map(|(t, _)| t).chain(texts_in_tables());
    let mut clashes = Vec::new();
    for t in texts {
        let key = ui_key(&t);
        match by_key.get(&key) {
            Some(other) if other.trim() != t.trim() => clashes.push(format!("{key}: {other:?} and {t:?}")),
            Some(_) => {}
            None => {
                by_key.insert(key, t);
            }
        }
    }
    clashes.sort();
    clashes.dedup();
    assert!(clashes.is_empty(), "texts that would share one message:\n{}", clashes.join("\n"));
    assert_ne!(ui_key("Trace"), ui_key("trace"));
}

/// The `text!` templates (check findings, trace fixes, the model's refusals, the forms' parse
/// errors), with where each is.
fn check_templates() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in ["src/sim", "src/model", "src/net", "src/app", "src/io", "src/cli", "src/labs", "src/diagram"] {
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
    }
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/assets.rs"));
    let re = Regex::new(r#"crate::text!\(\s*"((?:[^"\\]|\\.)*)""#).expect("a pattern");
    let mut out = Vec::new();
    for f in files {
        let s = std::fs::read_to_string(&f).unwrap_or_default();
        for c in re.captures_iter(&s) {
            out.push((unescape(&c[1]), f.display().to_string()));
        }
    }
    out
}

/// Every finding's message and fix, and every trace blocker's fix, has a Korean message naming
/// only the parts the code passes: `check`/`trace --lang ko` and the app say them in Korean,
/// English stays what the code writes.
#[test]
fn every_finding_message_and_fix_has_a_korean_message() {
    let [en, _] = bundles();
    let var = Regex::new(r"\{\s*\$(\w+)\s*\}").expect("a pattern");
    // A message's variables, read from the catalogue's text (its messages are one line).
    let vars = |ftl: &str| -> std::collections::HashMap<String, Vec<String>> {
        ftl.lines()
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| (k.to_string(), var.captures_iter(v).map(|c| c[1].to_string()).collect()))
            .collect()
    };
    let (en_vars, ko_vars) = (vars(EN_FTL), vars(KO_FTL));
    let vars_of = |which: &std::collections::HashMap<String, Vec<String>>, key: &str| which.get(key).cloned();
    let ko = &ko_vars;
    let mut problems = Vec::new();
    let templates = check_templates();
    assert!(templates.len() > 200, "the walk finds the checks' and the trace's templates");
    for (t, at) in &templates {
        let key = text_key(t);
        if key == "text" || !t.chars().any(char::is_alphabetic) {
            continue;
        }
        let wanted = placeholders(t);
        match vars_of(ko, &key) {
            None => problems.push(format!("{at}: no {key} in ko.ftl for {t:?}")),
            Some(used) => {
                if let Some(x) = used.iter().find(|u| !wanted.contains(u)) {
                    problems.push(format!("{at}: ko.ftl's {key} uses ${x}, the template has {wanted:?}"));
                }
            }
        }
        if vars_of(&en_vars, &key).is_none() {
            problems.push(format!("{at}: no {key} in en.ftl"));
        }
    }
    for c in crate::sim::checks::FindingCode::ALL {
        let key = format!("fix-{}", c.name());
        let wanted: Vec<String> = (0..c.fix_arity()).map(|i| format!("p{i}")).collect();
        match vars_of(ko, &key) {
            None => problems.push(format!("no {key} in ko.ftl for {:?}", c.fix_template())),
            Some(used) => {
                if let Some(x) = used.iter().find(|u| !wanted.contains(u)) {
                    problems.push(format!("ko.ftl's {key} uses ${x}; the fix has {wanted:?}"));
                }
            }
        }
        // English from the catalogue is the code's own fix.
        let args: Vec<String> = wanted.iter().map(|w| format!("<{w}>")).collect();
        let refs: Vec<&dyn std::fmt::Display> = args.iter().map(|a| a as &dyn std::fmt::Display).collect();
        let mut a = FluentArgs::new();
        for (w, v) in wanted.iter().zip(&args) {
            a.set(w.clone(), FluentValue::from(v.clone()));
        }
        if format(en, &key, Some(&a)).as_deref() != Some(c.fix(&refs).as_str()) {
            problems.push(format!("en.ftl's {key} is not the fix {:?}", c.fix_template()));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// A finding renders in Korean with its specifics, and in English byte for byte as before.
#[test]
fn a_finding_in_korean_keeps_its_specifics() {
    let f = crate::sim::checks::Finding::new(
        crate::sim::checks::FindingCode::RtMainMultiple,
        &["vpc-1"],
        crate::text!("{} has {n} main route tables; a VPC has exactly one", "app (vpc-1)", n = 2),
        &[],
    );
    assert_eq!(f.message_in(Lang::En), "app (vpc-1) has 2 main route tables; a VPC has exactly one");
    let ko = f.message_in(Lang::Ko);
    assert!(ko.contains("app (vpc-1)") && ko.contains('2') && ko.contains("기본 라우팅 테이블"), "{ko}");
    let g = crate::sim::checks::Finding::new(
        crate::sim::checks::FindingCode::PeeringRouteOneSide,
        &["pcx-1"],
        "x".to_string(),
        &[&"10.1.0.0/16", &"pcx-1", &"vpc-a"],
    );
    assert_eq!(g.fix_in(Lang::En), "add a route to 10.1.0.0/16 → pcx-1 in vpc-a's tables");
    assert_eq!(g.fix_in(Lang::Ko), "vpc-a의 테이블에 10.1.0.0/16 → pcx-1 라우팅을 추가하세요");
}

/// A template with two placeholders side by side (`{}{note}`) cannot be said in another
/// language: its English cannot be split back into its parts, so Korean fell back to a
/// generic sentence (issue 16 item 9). Each such sentence is written as templates of its own.
#[test]
fn no_template_has_two_placeholders_side_by_side() {
    let adjacent = Regex::new(r"\}\{[^{]").expect("a pattern");
    let mut found: Vec<String> = check_templates()
        .into_iter()
        .filter(|(t, _)| adjacent.is_match(&t.replace("{{", "").replace("}}", "")))
        .map(|(t, at)| format!("{at}: {t}"))
        .collect();
    found.sort();
    assert!(found.is_empty(), "templates with adjacent placeholders:\n{}", found.join("\n"));
}

/// The Terraform reader and the design migrations write every sentence a user sees with
/// `text!` (issue 16 item 9), so the test above holds them to a Korean message: an error made
/// with `format!` or a bare literal would be said in English whatever the language. Each of
/// their files with errors is found by the walk, and none makes an error any other way.
#[test]
fn the_terraform_reader_and_the_migrations_write_their_sentences_with_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let templates = check_templates();
    for f in [
        "terraform/eval.rs",
        "terraform/functions.rs",
        "terraform/cidr.rs",
        "terraform/text.rs",
        "terraform/graph.rs",
        "terraform/parse.rs",
        "terraform/vars.rs",
        "terraform/modules.rs",
        "terraform/resources/mod.rs",
        "migrate/mod.rs",
    ] {
        assert!(templates.iter().any(|(_, at)| at.ends_with(f)), "no text! template found in src/io/{f}");
    }
    let mut files = Vec::new();
    sources(&root.join("src/io/terraform"), &mut files);
    sources(&root.join("src/io/migrate"), &mut files);
    // An error constructor whose message is not a `text!` (or a value made elsewhere).
    let bad = Regex::new(
        r#"(?:\berr|[^:\w]dynamic|TfError::dynamic|TfError::fatal|Err)\(\s*(?:[^,()]*(?:\([^()]*\))?[^,()]*,\s*)?(?:format!|"[^"]* [^"]*"(?:\.into\(\)|\.to_string\(\))?\s*\))"#,
    )
    .expect("a pattern");
    let mut found = Vec::new();
    for f in files {
        let s = std::fs::read_to_string(&f).unwrap_or_default();
        let s = s.split("#[cfg(test)]").next().unwrap_or_default();
        for m in bad.find_iter(s) {
            found.push(format!("{}:{}: {}", f.display(), s[..m.start()].lines().count(), m.as_str()));
        }
    }
    assert!(found.is_empty(), "errors written in English only:\n{}", found.join("\n"));
}

/// A template continued on another line (`"… \` and a new line) is not found by the walk above,
/// so nothing held it to a Korean message: the sentence stayed English in Korean (two route
/// target refusals and the Terraform reader's unknown count did). Templates are one line.
#[test]
fn no_template_continues_on_another_line() {
    let mut files = Vec::new();
    for dir in ["src/sim", "src/model", "src/net", "src/app", "src/io", "src/cli", "src/diagram"] {
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
    }
    let re = Regex::new(r#"crate::text!\(\s*"(?:[^"\\]|\\[^\n])*\\\n"#).expect("a pattern");
    let mut found = Vec::new();
    for f in files {
        let s = std::fs::read_to_string(&f).unwrap_or_default();
        for m in re.find_iter(&s) {
            found.push(format!("{}:{}", f.display(), s[..m.start()].lines().count() + 1));
        }
    }
    assert!(found.is_empty(), "templates continued on another line:\n{}", found.join("\n"));
}

/// Each catalogue says each message once: two branches that each translate the same template
/// leave two lines with one id after a merge, and only one of them would ever be said.
#[test]
fn no_message_is_declared_twice_in_a_catalogue() {
    for (name, text) in [("en.ftl", EN_FTL), ("ko.ftl", KO_FTL)] {
        let (mut ids, _) = catalogue_ids(text);
        ids.sort();
        let twice: Vec<&String> = ids.windows(2).filter(|w| w[0] == w[1]).map(|w| &w[0]).collect();
        assert!(twice.is_empty(), "{name} declares these ids twice: {twice:?}");
    }
}
