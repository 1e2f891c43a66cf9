//! The audit list (every finding of `check` and `audit` in one list) and the what-if's list of
//! flows an edit opened or closed.

use super::job::Job;
use crate::app::findings::{AppFinding, Severity};
use crate::app::trace_view::Spec;
use crate::model::Design;
use crate::sim::audit::{AuditFinding, AuditSeverity};
use crate::sim::diff::FlowChange;

/// One line of the audit list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 0 (error, high) … 3 (info): the order of the list and its colour.
    pub rank: u8,
    /// `error`, `warning`, `info` (check) or `high`, `medium`, `low`, `info` (audit).
    pub severity: &'static str,
    /// `check` or `audit`.
    pub source: &'static str,
    pub code: String,
    pub message: String,
    /// The resource Enter jumps to (the finding's main one).
    pub resource: Option<String>,
    pub fix: Option<String>,
    /// The check finding it is, to say it in another language.
    pub check: Option<AppFinding>,
    /// An audit finding's templates (message, fix), for the same.
    pub templates: (&'static str, &'static str),
}

impl Entry {
    fn of_check(f: &AppFinding) -> Entry {
        let rank = match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 3,
        };
        Entry {
            rank,
            severity: f.severity.label(),
            source: "check",
            code: f.code.to_string(),
            message: f.message.clone(),
            resource: f.resources.first().cloned(),
            fix: f.fix.clone(),
            check: Some(f.clone()),
            templates: ("", ""),
        }
    }

    fn of_audit(f: &AuditFinding) -> Entry {
        let (rank, severity) = match f.severity {
            AuditSeverity::High => (0, "high"),
            AuditSeverity::Medium => (1, "medium"),
            AuditSeverity::Low => (2, "low"),
            AuditSeverity::Info => (3, "info"),
        };
        Entry {
            rank,
            severity,
            source: "audit",
            code: f.code.to_string(),
            message: f.message.clone(),
            resource: f.resources.first().cloned(),
            fix: Some(f.fix.clone()).filter(|x| !x.is_empty()),
            check: None,
            templates: (f.message_template, f.fix_template),
        }
    }

    /// The message in `lang`, through the catalogue (check and audit findings alike).
    pub fn message_in(&self, lang: crate::l10n::Lang) -> String {
        self.check.as_ref().map_or_else(
            || crate::l10n::Text::new(self.templates.0, self.message.clone()).render(lang),
            |f| f.message_in(lang),
        )
    }

    /// The fix in `lang`, when there is one.
    pub fn fix_in(&self, lang: crate::l10n::Lang) -> Option<String> {
        match &self.check {
            Some(f) => f.fix_in(lang).or_else(|| self.fix.clone()),
            None => self.fix.as_ref().map(|x| crate::l10n::Text::new(self.templates.1, x.clone()).render(lang)),
        }
    }
}

/// The audit list: the check findings at once, the audit's when its background run ends.
#[derive(Debug, Default)]
pub struct AuditList {
    pub entries: Vec<Entry>,
    pub selected: usize,
    /// The revision the list is of.
    pub rev: u64,
    job: Option<Job<Vec<AuditFinding>>>,
    pub error: Option<String>,
}

impl AuditList {
    /// The list for a design at `rev` with its check findings; the audit runs in the background.
    pub fn new(d: &Design, rev: u64, findings: &[AppFinding]) -> AuditList {
        let design = d.clone();
        let mut list = AuditList {
            entries: findings.iter().map(Entry::of_check).collect(),
            selected: 0,
            rev,
            job: Some(Job::spawn("the audit", move || crate::sim::audit::audit(&design))),
            error: None,
        };
        list.sort();
        list
    }

    fn sort(&mut self) {
        self.entries.sort_by(|a, b| (a.rank, a.source, &a.code).cmp(&(b.rank, b.source, &b.code)));
    }

    /// Whether the audit is still running, for how long.
    pub fn running(&self) -> Option<std::time::Duration> {
        self.job.as_ref().map(Job::elapsed)
    }

    fn take(&mut self, answer: Result<Vec<AuditFinding>, String>) {
        self.job = None;
        match answer {
            Ok(found) => {
                self.entries.extend(found.iter().map(Entry::of_audit));
                self.sort();
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Collect the audit when it is done.
    pub fn poll(&mut self) {
        if let Some(answer) = self.job.as_ref().and_then(Job::poll) {
            self.take(answer);
        }
    }

    /// Wait for the audit (tests).
    pub fn finish(&mut self, limit: std::time::Duration) {
        if let Some(answer) = self.job.as_ref().and_then(|j| j.wait(limit)) {
            self.take(answer);
        }
    }

    pub fn move_by(&mut self, d: isize) {
        self.selected = step(self.selected, d, self.entries.len());
    }

    pub fn current(&self) -> Option<&Entry> {
        self.entries.get(self.selected)
    }
}

fn step(v: usize, d: isize, n: usize) -> usize {
    (v as isize + d).clamp(0, n.saturating_sub(1) as isize) as usize
}

/// The flows the last edit opened or closed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FlowList {
    pub selected: usize,
}

impl FlowList {
    pub fn move_by(&mut self, d: isize, n: usize) {
        self.selected = step(self.selected, d, n);
    }
}

/// The trace a changed flow stands for.
pub fn flow_spec(f: &FlowChange) -> Spec {
    Spec {
        from: f.source.clone(),
        to: f.destination.clone(),
        protocol: f.protocol.to_string(),
        port: f.port.map(|p| p.to_string()).unwrap_or_default(),
    }
}

/// The trace of a changed flow between the ends `trace` takes for it (an IPv6 flow's subnets
/// by their hypothetical interfaces' IPv6 addresses, see `whatif::FlowReport::ends`).
pub fn flow_spec_between(f: &FlowChange, from: &str, to: &str) -> Spec {
    Spec { from: from.to_string(), to: to.to_string(), ..flow_spec(f) }
}

/// What a matrix row or column id stands for, for people: a subnet's name, else the id.
pub fn party_label(d: &Design, id: &str) -> String {
    match d.subnet(id) {
        Some(s) if !s.name.is_empty() => s.name.clone(),
        _ => id.to_string(),
    }
}
