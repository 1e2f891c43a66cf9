//! Check findings as the app shows them: on tree nodes, in the detail panel, counted in the
//! status bar.

use crate::model::{Design, Id, Reference};
use crate::sim::checks::CheckState;
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
    /// What another language says it from: the message's template, the fix's specifics.
    pub template: &'static str,
    pub fix_args: Vec<String>,
    /// The message's parts that are sentences made elsewhere (an import's detail).
    pub nested: crate::l10n::Nested,
}

impl AppFinding {
    /// The message in `lang` (English as `check` says it).
    pub fn message_in(&self, lang: crate::l10n::Lang) -> String {
        crate::l10n::Text { nested: self.nested.clone(), ..crate::l10n::Text::new(self.template, self.message.clone()) }
            .render(lang)
    }

    /// The fix in `lang`, when there is one.
    pub fn fix_in(&self, lang: crate::l10n::Lang) -> Option<String> {
        let fix = self.fix.as_ref()?;
        Some(self.code.fix_in(lang, &self.fix_args).unwrap_or_else(|| fix.clone()))
    }
}

/// One finding of the checks as the app shows it.
fn app_finding(f: &crate::sim::checks::Finding) -> AppFinding {
    use crate::sim::checks::Severity as S;
    AppFinding {
        severity: match f.severity {
            S::Error => Severity::Error,
            S::Warning => Severity::Warning,
            S::Info => Severity::Info,
        },
        code: f.code,
        rule: f.rule,
        message: f.message.clone(),
        resources: f.resources.clone(),
        fix: if f.fix.is_empty() { None } else { Some(f.fix.clone()) },
        template: f.template,
        fix_args: f.fix_args.clone(),
        nested: f.nested.clone(),
    }
}

/// The findings for a design, from the design lint (`sim::checks::check_design`).
pub fn findings_for(design: &Design) -> Vec<AppFinding> {
    crate::sim::checks::check_design(design).iter().map(app_finding).collect()
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
/// each resource; with what keeps them current edit by edit.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub findings: Vec<AppFinding>,
    pub worst: HashMap<String, Severity>,
    pub refs: HashMap<String, Vec<Reference>>,
    pub live: Live,
    /// What the import the design came from could not bring over (`IMPORT_ERROR`,
    /// `IMPORT_SKIPPED`), at the end of `findings`: counted like `vpcraft check` counts them,
    /// kept through edits until another design replaces this one.
    pub import: Vec<AppFinding>,
    /// Positions in `findings` of the findings about each resource, in order (the detail panel
    /// asks once per frame).
    about: HashMap<String, Vec<usize>>,
    /// How many findings of each severity (errors, warnings, notes), for the status bar.
    counts: [usize; 3],
}

impl Derived {
    /// Findings and what the view asks of them, from the checks' findings.
    fn set_findings(&mut self, findings: Vec<AppFinding>) {
        self.worst = worst_by_resource(&findings);
        self.about.clear();
        self.counts = [0; 3];
        for (i, f) in findings.iter().enumerate() {
            self.counts[match f.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Info => 2,
            }] += 1;
            for r in &f.resources {
                let list = self.about.entry(r.clone()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        self.findings = findings;
    }

    /// The findings about one resource, in the order of `findings`.
    pub fn about(&self, id: &str) -> impl Iterator<Item = &AppFinding> {
        self.about.get(id).into_iter().flatten().map(|i| &self.findings[*i])
    }

    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.counts[match severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }]
    }
}

/// What lets the derived state follow an edit by looking only at what it touched: the
/// checks kept per scope, every reference kept both ways and the design's index, each brought
/// up to date for what an edit touched (`sim::checks::CheckState`).
#[derive(Debug, Clone, Default)]
pub struct Live {
    checks: CheckState,
}

/// Check the whole design and gather what refers to what: the one place the app asks for
/// everything (a new design, a change no op describes). Edits go through [`Derived::refresh`].
pub fn derive(design: &Design) -> Derived {
    let checks = CheckState::new(design);
    let findings: Vec<AppFinding> = checks.findings().iter().map(app_finding).collect();
    let mut refs: HashMap<Id, Vec<Reference>> = HashMap::new();
    for r in design.references() {
        refs.entry(r.to.clone()).or_default().push(r);
    }
    let mut d = Derived { refs, live: Live { checks }, ..Derived::default() };
    d.set_findings(findings);
    d
}

/// An import report's findings as the app shows them (`io::ImportReport::findings`).
pub fn import_findings(report: &crate::io::ImportReport) -> Vec<AppFinding> {
    report.findings().iter().map(app_finding).collect()
}

impl Derived {
    /// Every reference of the design, both ways, as the last edit left it.
    pub fn reference_map(&self) -> &crate::model::references::ReferenceMap {
        self.live.checks.references()
    }

    /// Build every map of the kept index, so the edits that follow bring all of them up to
    /// date (tests of [`Derived::index_differences`]).
    #[doc(hidden)]
    pub fn build_index(&self, design: &Design) {
        self.live.checks.live_index().build_all(design);
    }

    /// Where the kept index differs from a fresh `DesignIndex` of `design` (tests: nowhere).
    #[doc(hidden)]
    pub fn index_differences(&self, design: &Design) -> Vec<String> {
        self.live.checks.live_index().differences(design)
    }

    /// Put the import's findings in place of the ones it had (none for a design that was not
    /// imported).
    pub fn set_import(&mut self, import: Vec<AppFinding>) {
        let own = self.findings.len().saturating_sub(self.import.len());
        let mut findings = std::mem::take(&mut self.findings);
        findings.truncate(own);
        findings.extend(import.iter().cloned());
        self.import = import;
        self.set_findings(findings);
    }

    /// Bring everything up to date after an edit of the resources in `touched` (everything it
    /// added, changed or removed, as `Applied::touched` lists them): the checks of the scopes
    /// it touched (`CheckState::refresh`) and the "used by" lists of what the touched resources
    /// referred to before and refer to now. The result is what [`derive`] gives for `design`.
    pub fn refresh(&mut self, design: &Design, touched: &[Id]) {
        let ids: Vec<&str> = touched.iter().map(String::as_str).collect();
        self.live.checks.refresh(design, &ids);
        let ix = self.live.checks.index(design);
        // The "used by" lists of the ids whose references the edit changed, from the kept map.
        let refs = self.live.checks.references();
        for t in self.live.checks.retargeted() {
            let list = refs.to(&ix, t);
            if list.is_empty() {
                self.refs.remove(t);
            } else {
                self.refs.insert(t.clone(), list);
            }
        }
        self.follow_runs();
    }

    /// Bring the findings and what the view asks of them up to date with the checks' findings
    /// after a refresh, replacing only the findings it changed (`CheckState::runs`): the others
    /// move, their "about" positions follow, and the worst severity is looked at again only for
    /// the resources of the findings that left or came.
    fn follow_runs(&mut self) {
        use crate::sim::checks::Run;
        let (new, runs) = (self.live.checks.findings(), self.live.checks.runs());
        if let [Run::Fresh { len }] = runs {
            if *len == new.len() {
                let mut findings: Vec<AppFinding> = new.iter().map(app_finding).collect();
                findings.extend(self.import.iter().cloned());
                return self.set_findings(findings);
            }
        }
        let own = self.findings.len() - self.import.len();
        let mut map: Vec<usize> = vec![usize::MAX; self.findings.len()];
        let mut out: Vec<AppFinding> = Vec::with_capacity(new.len() + self.import.len());
        let mut left: Vec<AppFinding> = Vec::new();
        let mut fresh: Vec<usize> = Vec::new();
        let mut old = std::mem::take(&mut self.findings).into_iter().enumerate().peekable();
        for run in runs {
            match *run {
                Run::Kept { from, len } => {
                    while let Some((_, f)) = old.next_if(|(i, _)| *i < from) {
                        left.push(f);
                    }
                    for (i, f) in old.by_ref().take(len) {
                        map[i] = out.len();
                        out.push(f);
                    }
                }
                Run::Fresh { len } => {
                    for f in &new[out.len()..out.len() + len] {
                        fresh.push(out.len());
                        out.push(app_finding(f));
                    }
                }
            }
        }
        for (i, f) in old {
            if i < own {
                left.push(f);
            } else {
                map[i] = out.len();
                out.push(f);
            }
        }
        debug_assert_eq!(out.len(), new.len() + self.import.len());
        let slot = |s: Severity| match s {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        };
        let mut again: Vec<String> = Vec::new();
        for f in &left {
            self.counts[slot(f.severity)] -= 1;
            again.extend(f.resources.iter().cloned());
        }
        for list in self.about.values_mut() {
            list.retain_mut(|p| {
                *p = map[*p];
                *p != usize::MAX
            });
        }
        for &j in &fresh {
            self.counts[slot(out[j].severity)] += 1;
            for r in &out[j].resources {
                self.about.entry(r.clone()).or_default().push(j);
                again.push(r.clone());
            }
        }
        again.sort();
        again.dedup();
        for r in &again {
            let worst = match self.about.get_mut(r) {
                Some(list) => {
                    list.sort_unstable();
                    list.dedup();
                    list.iter().map(|p| out[*p].severity).max()
                }
                None => None,
            };
            match worst {
                Some(w) => {
                    self.worst.insert(r.clone(), w);
                }
                None => {
                    self.about.remove(r);
                    self.worst.remove(r);
                }
            }
        }
        self.findings = out;
    }
}

/// Designs with more resources than this are checked off the UI thread when the whole design
/// must be checked (it was opened, or changed in a way no op describes): the design shows at
/// once and the findings follow a moment later. Edits are always followed at once, by
/// checking only what they touched.
pub const INLINE_LIMIT: usize = 5_000;

/// How long after the last whole-design change a large design is checked again.
pub const RECHECK_DELAY: std::time::Duration = std::time::Duration::from_millis(200);

/// A check running on another thread, for one revision of the design.
#[derive(Debug)]
struct Job {
    rev: u64,
    result: std::sync::mpsc::Receiver<Derived>,
}

/// Keeps the derived state of a large design up to date without blocking the UI: after a
/// whole-design change it waits [`RECHECK_DELAY`] for more, then checks a copy on another
/// thread; the edits made meanwhile are applied to its result when it arrives.
#[derive(Debug, Default)]
pub struct Checker {
    job: Option<Job>,
    /// What the edits since the running job's revision touched; `None` when one of them was a
    /// whole-design change (the job's result is then thrown away and the design checked again).
    since: Option<Vec<Id>>,
    /// The revision the derived state is for.
    pub rev: u64,
    /// A whole-design change since then, and when.
    pub stale_since: Option<std::time::Instant>,
}

impl Checker {
    /// Whether the findings shown are older than the design.
    pub fn pending(&self) -> bool {
        self.stale_since.is_some() || self.job.is_some()
    }

    /// The design changed: by an edit of `touched`, or as a whole (`None`). Returns whether the
    /// derived state shown can follow the edit at once (nothing is pending).
    pub fn changed(&mut self, touched: Option<&[Id]>, now: std::time::Instant) -> bool {
        match touched {
            Some(_) if !self.pending() => true,
            Some(ids) => {
                if let Some(since) = self.since.as_mut() {
                    since.extend(ids.iter().cloned());
                }
                false
            }
            None => {
                self.since = None;
                self.stale_since = Some(now);
                false
            }
        }
    }

    /// Time passes: take a finished check (brought up to date with the edits made since it
    /// started), start one when the design settled. Returns new derived state for `rev`.
    pub fn tick(&mut self, design: &Design, rev: u64, now: std::time::Instant) -> Option<Derived> {
        let mut done = None;
        if let Some(job) = &self.job {
            match job.result.try_recv() {
                Ok(d) => {
                    done = self.finish(d, job.rev, design, rev);
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

    /// A job's result for `job_rev`: as it is when the design has not changed since, brought
    /// up to date when only edits changed it, thrown away after a whole-design change.
    fn finish(&mut self, mut d: Derived, job_rev: u64, design: &Design, rev: u64) -> Option<Derived> {
        if job_rev != rev {
            let since = self.since.take()?;
            if self.stale_since.is_some() {
                return None;
            }
            d.refresh(design, &since);
        }
        self.since = None;
        self.rev = rev;
        Some(d)
    }

    /// Check a copy of the design on another thread.
    pub fn start(&mut self, design: &Design, rev: u64) {
        let (tx, rx) = std::sync::mpsc::channel();
        let copy = design.clone();
        let spawned = std::thread::Builder::new().name("checks".into()).spawn(move || {
            let _ = tx.send(derive(&copy));
        });
        if spawned.is_ok() {
            self.job = Some(Job { rev, result: rx });
            self.since = Some(Vec::new());
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
        let done = self.finish(d, job.rev, design, rev);
        if done.is_none() && self.stale_since.is_some() {
            return self.wait(design, rev);
        }
        done
    }
}
