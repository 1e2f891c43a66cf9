//! `vpcraft audit`: what a design exposes to the internet, what its private subnets cannot
//! reach, and configuration that does nothing. Every finding has a severity, a stable code,
//! the rule it comes from, the resources involved (the main one first, for jumping to it), the
//! path that shows it (hops, routes or entries) and a one-line fix.
//!
//! Exposure is traced, not guessed: for each interface with a public address and each load
//! balancer node, the ports the internet can reach are found by tracing one port per range that
//! no rule of the VPC tells apart (`exposure`). The other checks read the design (`hygiene`,
//! `dead`), and use the reachability matrix where a flow decides (private subnets → services).

mod dead;
mod exposure;
mod hygiene;
mod indirect;

use crate::l10n::{t, tr, Lang, Text};
use crate::model::Design;
use crate::sim::index::TraceIndex;
use serde::Serialize;
use std::fmt;

/// How much a finding matters; `--fail-on` compares with this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditSeverity {
    High,
    Medium,
    Low,
    Info,
}

impl AuditSeverity {
    /// Parse `high`, `medium`, `low` or `info`.
    pub fn parse(s: &str) -> Result<AuditSeverity, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "high" => Ok(AuditSeverity::High),
            "medium" => Ok(AuditSeverity::Medium),
            "low" => Ok(AuditSeverity::Low),
            "info" => Ok(AuditSeverity::Info),
            other => Err(format!("'{other}' is not a severity: use high, medium, low or info")),
        }
    }
}

impl fmt::Display for AuditSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuditSeverity::High => "high",
            AuditSeverity::Medium => "medium",
            AuditSeverity::Low => "low",
            AuditSeverity::Info => "info",
        })
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditFinding {
    pub severity: AuditSeverity,
    /// A stable code, e.g. `EXPOSED_ADMIN_PORT`.
    pub code: &'static str,
    /// The rule of the semantics document, e.g. `I2`.
    pub rule: &'static str,
    pub message: String,
    /// Ids of the resources involved, the main one first.
    pub resources: Vec<String>,
    /// What shows it: the hops of the flow, or the routes or entries concerned.
    pub path: Vec<PathEntry>,
    /// For an indirect exposure, the second flow: from the host the internet reaches (`path`)
    /// on to what it exposes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub onward_path: Vec<PathEntry>,
    /// A one-line suggestion.
    pub fix: String,
    /// The templates the message and the fix were written from (the catalogues say them in
    /// Korean; JSON keeps the English).
    #[serde(skip)]
    pub message_template: &'static str,
    #[serde(skip)]
    pub fix_template: &'static str,
}

impl AuditFinding {
    pub(crate) fn new(
        severity: AuditSeverity,
        code: &'static str,
        rule: &'static str,
        resources: Vec<String>,
        message: impl Into<Text>,
        fix: impl Into<Text>,
    ) -> AuditFinding {
        let (message, fix) = (message.into(), fix.into());
        AuditFinding {
            severity,
            code,
            rule,
            message: message.english,
            resources,
            path: Vec::new(),
            onward_path: Vec::new(),
            fix: fix.english,
            message_template: message.template,
            fix_template: fix.template,
        }
    }

    /// The message in `lang` (English: as written).
    pub fn message_in(&self, lang: Lang) -> String {
        Text::new(self.message_template, self.message.clone()).render(lang)
    }

    /// The fix in `lang`.
    pub fn fix_in(&self, lang: Lang) -> String {
        Text::new(self.fix_template, self.fix.clone()).render(lang)
    }

    pub(crate) fn with_path<P: Into<PathEntry>>(mut self, path: Vec<P>) -> AuditFinding {
        self.path = path.into_iter().map(Into::into).collect();
        self
    }

    pub(crate) fn with_onward_path<P: Into<PathEntry>>(mut self, path: Vec<P>) -> AuditFinding {
        self.onward_path = path.into_iter().map(Into::into).collect();
        self
    }
}

/// Audit a design. Findings come sorted: most severe first, then by code and resource.
pub fn audit(design: &Design) -> Vec<AuditFinding> {
    let mut out = exposure(design);
    out.extend(hygiene::unreachable_services(design));
    out.extend(hygiene::nat_across_zones(design));
    out.extend(hygiene::endpoint_private_dns_off(design));
    out.extend(dead::shadowed_nacl_entries(design));
    out.extend(dead::shadowed_routes(design));
    out.extend(dead::unused_security_groups(design));
    out.extend(dead::rules_naming_deleted_groups(design));
    out.sort_by(|a, b| (a.severity, a.code, &a.resources).cmp(&(b.severity, b.code, &b.resources)));
    out
}

/// Only the internet exposure findings, direct and indirect (what `diff` compares).
pub fn exposure(design: &Design) -> Vec<AuditFinding> {
    let ix = TraceIndex::new(design);
    let exposed = exposure::exposed(&ix);
    let mut out = indirect::databases(&ix, &exposed);
    out.extend(exposure::internet_exposure(&ix, exposed));
    out.sort_by(|a, b| (a.severity, a.code, &a.resources).cmp(&(b.severity, b.code, &b.resources)));
    out
}

/// One entry of a finding's path: in JSON its English, as written; in text, said in the
/// reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathEntry {
    english: String,
    said: Said,
}

/// How an entry of a path is said in another language.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said {
    /// A traced hop (`internet-gateway my-igw (igw-1)`), a route or an entry as written: a
    /// hop's component kind is said as the trace says it (`kind-…`); names, ids and rules stay.
    Hop,
    /// A traced hop's component: its kind and, for what lies outside the design ("internet
    /// host"), its name said as the trace says them.
    Component(crate::sim::Component),
    /// A sentence with its template.
    Text(Text),
    /// What the flow to each service did (`s3.….amazonaws.com: dropped CODE at …`), as the
    /// reachability matrix says a cell.
    Services(Vec<(String, crate::sim::reach::Cell)>),
}

impl PathEntry {
    /// A traced hop: `internet internet host (60.1.1.1)`, `internet-gateway my-igw (igw-1)`.
    pub(crate) fn hop(c: &crate::sim::Component) -> PathEntry {
        PathEntry { english: format!("{} {}", c.kind, c.label()), said: Said::Component(c.clone()) }
    }

    /// The flows to services, one `name: cell` each, joined by `; `.
    pub(crate) fn services(cells: Vec<(String, crate::sim::reach::Cell)>) -> PathEntry {
        let english = cells.iter().map(|(n, c)| format!("{n}: {}", c.text())).collect::<Vec<_>>().join("; ");
        PathEntry { english, said: Said::Services(cells) }
    }

    /// The entry in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.english.clone();
        }
        match &self.said {
            Said::Hop => match self.english.split_once(' ') {
                Some((kind, rest)) => crate::l10n::message(lang, &format!("kind-{kind}"), &Default::default())
                    .map_or_else(|| self.english.clone(), |k| format!("{k} {rest}")),
                None => self.english.clone(),
            },
            Said::Text(t) => t.render(lang),
            Said::Component(c) => {
                format!(
                    "{} {}",
                    crate::sim::render::kind_name(c.kind, lang),
                    crate::sim::render::component_label(c, lang)
                )
            }
            Said::Services(cells) => {
                cells.iter().map(|(n, c)| format!("{n}: {}", c.text_in(lang))).collect::<Vec<_>>().join("; ")
            }
        }
    }
}

impl From<String> for PathEntry {
    fn from(english: String) -> PathEntry {
        PathEntry { english, said: Said::Hop }
    }
}

impl From<Text> for PathEntry {
    fn from(t: Text) -> PathEntry {
        PathEntry { english: t.english.clone(), said: Said::Text(t) }
    }
}

/// The entry in English (what a `String` path offered).
impl std::ops::Deref for PathEntry {
    type Target = str;
    fn deref(&self) -> &str {
        &self.english
    }
}

impl fmt::Display for PathEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english)
    }
}

impl Serialize for PathEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.english)
    }
}

/// A path's entries in `lang`, joined by arrows.
fn path_in(path: &[PathEntry], lang: Lang) -> String {
    path.iter().map(|e| e.render(lang)).collect::<Vec<_>>().join(" → ")
}

/// Whether any finding is at least as severe as `at`.
pub fn fails(findings: &[AuditFinding], at: AuditSeverity) -> bool {
    findings.iter().any(|f| f.severity <= at)
}

/// The JSON form: `{"findings":[…],"counts":{"high":N,…}}`.
pub fn to_json(findings: &[AuditFinding]) -> String {
    let count = |s: AuditSeverity| findings.iter().filter(|f| f.severity == s).count();
    let v = serde_json::json!({
        "findings": findings,
        "counts": {
            "high": count(AuditSeverity::High),
            "medium": count(AuditSeverity::Medium),
            "low": count(AuditSeverity::Low),
            "info": count(AuditSeverity::Info),
        }
    });
    serde_json::to_string_pretty(&v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The text form: one block per finding, most severe first, then the counts, in `lang` (codes,
/// rules, ids and the flows' hops stay as they are).
pub fn render_text(findings: &[AuditFinding], lang: Lang) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for f in findings {
        let severity = tr(lang, &format!("audit-severity-{}", f.severity));
        let _ = writeln!(out, "{severity} {} [{}] {}", f.code, f.rule, f.message_in(lang));
        if !f.path.is_empty() {
            let _ = writeln!(out, "    {}", t(lang, "audit-path", &[("path", &path_in(&f.path, lang))]));
        }
        if !f.onward_path.is_empty() {
            let _ = writeln!(out, "    {}", t(lang, "audit-then", &[("path", &path_in(&f.onward_path, lang))]));
        }
        let _ = writeln!(out, "    {}", t(lang, "audit-fix", &[("fix", &f.fix_in(lang))]));
    }
    let count = |s: AuditSeverity| findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "{}",
        t(
            lang,
            "audit-counts",
            &[
                ("total", &findings.len()),
                ("high", &count(AuditSeverity::High)),
                ("medium", &count(AuditSeverity::Medium)),
                ("low", &count(AuditSeverity::Low)),
                ("info", &count(AuditSeverity::Info)),
            ]
        )
    );
    out
}
