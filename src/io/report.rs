//! What an import did: the resources it made, what it skipped and why. Shared by the snapshot
//! and the CloudFormation importers. Printable as text for people and as JSON for scripts.

use crate::l10n::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A [`Text`] in JSON: its English.
mod english {
    use crate::l10n::Text;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Text, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.english)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

/// How much an item matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing was lost: a note about how something was read.
    Info,
    /// Something was skipped, guessed or simplified.
    Warning,
    /// Something could not be imported at all.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One thing worth telling the user about an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    pub severity: Severity,
    /// The file it concerns (empty when it concerns the whole import).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// The resource or key it concerns, e.g. `subnet-0abc` or `DomainStatusList`.
    pub what: String,
    /// What happened, in a sentence (said in the user's language through its template; JSON
    /// keeps the English).
    #[serde(with = "english")]
    pub detail: Text,
    /// For a value AWS would refuse: the rule of the semantics document it breaks (`S2`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rule: String,
}

/// The report of one import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// What was imported (a folder, a file).
    pub source: String,
    pub items: Vec<ReportItem>,
    /// How many resources of each kind the design received, by kind label ("VPC", "subnet" …).
    pub counts: BTreeMap<String, usize>,
}

impl ImportReport {
    /// What the import could not bring over, as findings (`IMPORT_ERROR` for an error of the
    /// report, `IMPORT_SKIPPED` for a warning; notes are not findings): a template whose VPC
    /// has an impossible CIDR must not check clean. A value AWS would refuse names the rule it
    /// breaks (S2, L2 …). `vpcraft check` and the app's status bar count the same list.
    pub fn findings(&self) -> Vec<crate::sim::checks::Finding> {
        use crate::sim::checks::{Finding, FindingCode};
        self.items
            .iter()
            .filter(|i| i.severity != Severity::Info)
            .map(|item| {
                let code = match item.severity {
                    Severity::Error => FindingCode::ImportError,
                    _ => FindingCode::ImportSkipped,
                };
                let (what, detail) = (&item.what, &item.detail);
                let message = if item.file.is_empty() {
                    crate::text!("{what}: {detail}")
                } else {
                    let file = &item.file;
                    crate::text!("{file}: {what}: {detail}")
                };
                let mut finding = Finding::new(code, &[&item.what], message.with("detail", detail.clone()), &[]);
                if let Ok(rule) = item.rule.parse() {
                    finding.rule = rule;
                }
                finding
            })
            .collect()
    }

    /// An empty report for a source.
    pub fn new(source: impl Into<String>) -> ImportReport {
        ImportReport { source: source.into(), ..Default::default() }
    }

    /// Add an item (an item equal to one of the last few is not repeated).
    pub fn push(&mut self, severity: Severity, file: &str, what: impl Into<String>, detail: impl Into<Text>) {
        let item = ReportItem {
            severity,
            file: file.to_string(),
            what: what.into(),
            detail: detail.into(),
            rule: String::new(),
        };
        if !self.items.iter().rev().take(64).any(|i| *i == item) {
            self.items.push(item);
        }
    }

    /// Add an info item.
    pub fn info(&mut self, file: &str, what: impl Into<String>, detail: impl Into<Text>) {
        self.push(Severity::Info, file, what, detail);
    }

    /// Add a warning.
    pub fn warn(&mut self, file: &str, what: impl Into<String>, detail: impl Into<Text>) {
        self.push(Severity::Warning, file, what, detail);
    }

    /// Add an error item (the import still produced a design).
    pub fn error(&mut self, file: &str, what: impl Into<String>, detail: impl Into<Text>) {
        self.push(Severity::Error, file, what, detail);
    }

    /// A value AWS would refuse, breaking `rule`: an error, and the value is left out (never
    /// replaced by one that changes behaviour).
    pub fn refuse(&mut self, file: &str, what: impl Into<String>, rule: &str, detail: impl Into<Text>) {
        self.push(Severity::Error, file, what, detail);
        if let Some(last) = self.items.last_mut() {
            if last.rule.is_empty() && last.severity == Severity::Error {
                last.rule = rule.to_string();
            }
        }
    }

    /// Fill `counts` from a design.
    pub fn count(&mut self, design: &crate::model::Design) {
        self.counts.clear();
        for r in design.resources().filter(|r| !r.kind().is_service()) {
            *self.counts.entry(r.kind().label().to_string()).or_default() += 1;
        }
        for s in design.services() {
            *self.counts.entry(s.label().to_string()).or_default() += 1;
        }
    }

    /// Items of one severity.
    pub fn of(&self, severity: Severity) -> impl Iterator<Item = &ReportItem> {
        self.items.iter().filter(move |i| i.severity == severity)
    }

    /// Whether any item mentions `text` in its file, subject or detail.
    pub fn mentions(&self, text: &str) -> bool {
        self.items.iter().any(|i| i.file.contains(text) || i.what.contains(text) || i.detail.english.contains(text))
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

impl ImportReport {
    /// The report as text in `lang` (English is what `Display` writes): the counts by kind,
    /// then the items by severity, each with its file, subject, detail and rule.
    pub fn render(&self, lang: Lang) -> String {
        use crate::l10n::{t, ui};
        use crate::model::text::escape_controls as esc;
        use fmt::Write;
        let mut f = String::new();
        let _ = writeln!(f, "{}", t(lang, "import-of", &[("source", &self.source)]));
        let counts: Vec<String> =
            self.counts.iter().map(|(k, n)| t(lang, "import-count", &[("n", n), ("kind", &ui(lang, k))])).collect();
        let counts = if counts.is_empty() { crate::l10n::tr(lang, "import-nothing") } else { counts.join(", ") };
        let _ = writeln!(f, "  {}", t(lang, "import-imported", &[("counts", &counts)]));
        for sev in [Severity::Error, Severity::Warning, Severity::Info] {
            let n = self.of(sev).count();
            if n == 0 {
                continue;
            }
            let id = match sev {
                Severity::Error => "import-errors",
                Severity::Warning => "import-warnings",
                Severity::Info => "import-infos",
            };
            let _ = writeln!(f, "  {}", crate::l10n::tr_n(lang, id, n));
            for i in self.of(sev) {
                let file = if i.file.is_empty() { String::new() } else { format!("{}: ", esc(&i.file)) };
                let rule = if i.rule.is_empty() { String::new() } else { format!(" ({})", i.rule) };
                let _ = writeln!(f, "    {file}{}: {}{rule}", esc(&i.what), esc(&i.detail.render(lang)));
            }
        }
        f
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_carry_the_items() {
        let mut r = ImportReport::new("snap/");
        r.warn("RdsInstances.json", "DBInstances", "skipped: not a network resource");
        r.info("", "vpc-1", "external");
        r.counts.insert("VPC".into(), 2);
        let text = r.to_string();
        assert!(text.contains("2 VPC") && text.contains("RdsInstances.json: DBInstances"), "{text}");
        // JSON keeps each detail's English (not the template it was said from).
        let back: ImportReport = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(back.to_json(), r.to_json());
        assert!(r.to_json().contains("\"severity\": \"warning\""));
    }

    /// The report in Korean: its lines, the items' details (made as texts where the import
    /// made them) and their findings; English stays what it was.
    #[test]
    fn a_report_renders_in_korean() {
        let mut r = ImportReport::new("t.yaml");
        r.warn(
            "",
            "AWS::Region",
            crate::text!("a template does not say its region: {} assumed (give --region)", "us-east-1"),
        );
        let e = crate::text!("{} is not a valid CIDR", "10.0.0.0/33");
        let c = "10.9.0.0/33";
        r.warn("", "VPC", crate::text!("secondary CIDR {c} not added: {e}").with("e", e));
        r.counts.insert("subnet".into(), 2);
        let en = r.render(Lang::En);
        assert_eq!(en, r.to_string());
        assert_eq!(
            en,
            "import of t.yaml\n  imported: 2 subnet\n  2 warnings:\n    AWS::Region: a template does not say its \
             region: us-east-1 assumed (give --region)\n    VPC: secondary CIDR 10.9.0.0/33 not added: 10.0.0.0/33 is not \
             a valid CIDR\n"
        );
        let ko = r.render(Lang::Ko);
        assert!(ko.contains("t.yaml 가져오기") && ko.contains("서브넷 2개") && ko.contains("경고 2개:"), "{ko}");
        assert!(ko.contains("us-east-1(으)로 가정"), "{ko}");
        let findings = r.findings();
        let f = &findings[1];
        assert_eq!(f.message, "VPC: secondary CIDR 10.9.0.0/33 not added: 10.0.0.0/33 is not a valid CIDR");
        let ko = f.message_in(Lang::Ko);
        assert!(ko.starts_with("VPC: 보조 CIDR 10.9.0.0/33을(를) 추가하지 않았습니다: "), "{ko}");
        assert!(ko.ends_with("10.0.0.0/33은(는) 올바른 CIDR이 아닙니다"), "{ko}");
    }
}
