//! Check findings as the app shows them: on tree nodes, in the detail panel, counted in the
//! status bar.

use crate::model::Design;
use std::collections::HashMap;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// A one-character mark for tree nodes.
    pub fn mark(self) -> &'static str {
        match self {
            Severity::Error => "✖",
            Severity::Warning => "▲",
            Severity::Info => "●",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding about the design.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppFinding {
    pub severity: Severity,
    /// The stable code, e.g. `SUBNET_OVERLAP`.
    pub code: crate::sim::checks::FindingCode,
    /// The rule of the semantics reference, e.g. `A5`.
    pub rule: crate::rules::Rule,
    pub message: String,
    /// Ids of the resources it concerns.
    pub resources: Vec<String>,
    /// How to fix it, when known.
    pub fix: Option<String>,
}

/// The findings for a design, from the design lint (`sim::checks::check_design`).
pub fn findings_for(design: &Design) -> Vec<AppFinding> {
    use crate::sim::checks::{self, Severity as S};
    checks::check_design(design)
        .into_iter()
        .map(|f| AppFinding {
            severity: match f.severity {
                S::Error => Severity::Error,
                S::Warning => Severity::Warning,
                S::Info => Severity::Info,
            },
            code: f.code,
            rule: f.rule,
            message: f.message,
            resources: f.resources,
            fix: if f.fix.is_empty() { None } else { Some(f.fix) },
        })
        .collect()
}

/// The worst severity per resource id, for marking tree nodes.
pub fn worst_by_resource(findings: &[AppFinding]) -> HashMap<String, Severity> {
    let mut out: HashMap<String, Severity> = HashMap::new();
    for f in findings {
        for r in &f.resources {
            let e = out.entry(r.clone()).or_insert(f.severity);
            if f.severity > *e {
                *e = f.severity;
            }
        }
    }
    out
}

/// What derives from a design: its findings, the worst one per resource, and what refers to
/// each resource.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub findings: Vec<AppFinding>,
    pub worst: HashMap<String, Severity>,
    pub refs: HashMap<String, Vec<crate::model::Reference>>,
}

/// The one place the app asks for checks and references. `touched` is what the last op
/// touched (`None`: anything): today the whole design is checked again; with the incremental
/// checks API only what it touched will be.
pub fn derive(design: &Design, touched: Option<&[String]>) -> Derived {
    let _ = touched;
    let findings = findings_for(design);
    let worst = worst_by_resource(&findings);
    let mut refs: HashMap<String, Vec<crate::model::Reference>> = HashMap::new();
    for r in design.references() {
        refs.entry(r.to.clone()).or_default().push(r);
    }
    Derived { findings, worst, refs }
}

/// Designs with more resources than this are checked off the UI thread: an edit shows at once
/// and the findings follow a moment later.
pub const INLINE_LIMIT: usize = 5_000;

/// How long after the last change a large design is checked again.
pub const RECHECK_DELAY: std::time::Duration = std::time::Duration::from_millis(200);

/// A check running on another thread, for one revision of the design.
#[derive(Debug)]
struct Job {
    rev: u64,
    result: std::sync::mpsc::Receiver<Derived>,
}

/// Keeps the derived state of a large design up to date without blocking the UI: after a
/// change it waits [`RECHECK_DELAY`] for more, then checks a copy on another thread.
#[derive(Debug, Default)]
pub struct Checker {
    job: Option<Job>,
    /// The revision the derived state is for.
    pub rev: u64,
    /// A change since then, and when.
    pub stale_since: Option<std::time::Instant>,
}

impl Checker {
    /// Whether the findings shown are older than the design.
    pub fn pending(&self) -> bool {
        self.stale_since.is_some() || self.job.is_some()
    }

    /// Time passes: take a finished check (when it is for the current revision), start one
    /// when the design settled. Returns new derived state for `rev`, if there is some.
    pub fn tick(&mut self, design: &Design, rev: u64, now: std::time::Instant) -> Option<Derived> {
        let mut done = None;
        if let Some(job) = &self.job {
            match job.result.try_recv() {
                Ok(d) => {
                    if job.rev == rev {
                        self.rev = rev;
                        done = Some(d);
                    }
                    self.job = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.job = None,
            }
        }
        let settled = self.stale_since.is_some_and(|t| now.duration_since(t) >= RECHECK_DELAY);
        if self.job.is_none() && settled {
            self.start(design, rev);
        }
        done
    }

    /// Check a copy of the design on another thread.
    pub fn start(&mut self, design: &Design, rev: u64) {
        let (tx, rx) = std::sync::mpsc::channel();
        let copy = design.clone();
        let spawned = std::thread::Builder::new().name("checks".into()).spawn(move || {
            let _ = tx.send(derive(&copy, None));
        });
        if spawned.is_ok() {
            self.job = Some(Job { rev, result: rx });
            self.stale_since = None;
        }
    }

    /// Wait for the running check (tests and benchmarks that need the findings now).
    pub fn wait(&mut self, design: &Design, rev: u64) -> Option<Derived> {
        if self.job.is_none() && self.stale_since.is_some() {
            self.start(design, rev);
        }
        let job = self.job.take()?;
        let d = job.result.recv().ok()?;
        (job.rev == rev).then(|| {
            self.rev = rev;
            d
        })
    }
}
