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
