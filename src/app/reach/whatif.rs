//! What-if on every edit: the reachability matrix of the design before an edit is kept, and
//! after the edit the matrix is recomputed (reusing every traced flow the edit cannot have
//! changed, see `sim::reach::Change`) and compared cell by cell: the flows it opened and
//! closed. All of it runs beside the UI; edits made while a comparison runs are compared
//! together against the last design compared.

use super::job::Job;
use crate::model::{Design, Protocol};
use crate::sim::diff::{flow_changes, resource_changes, FlowChange};
use crate::sim::reach::{self, Change, Matrix, ReachOptions};
use std::sync::Arc;
use std::time::Duration;

/// The ports the what-if compares (tcp): SSH, the port a change most often opens by mistake,
/// and HTTPS, what most flows use.
pub const PORTS: [u16; 2] = [22, 443];

/// The matrix options of the what-if: the app's matrix ([`super::matrix::options`]) on
/// [`PORTS`].
pub fn options(d: &Design) -> ReachOptions {
    super::matrix::options(d, Protocol::Tcp, PORTS.iter().map(|&p| Some(p)).collect())
}

/// A design and its matrix.
#[derive(Debug, Clone)]
pub struct Base {
    pub rev: u64,
    pub design: Arc<Design>,
    pub matrix: Arc<Matrix>,
}

/// What one edit (or several made while the last comparison ran) did to the flows.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowReport {
    /// The revisions compared.
    pub from_rev: u64,
    pub to_rev: u64,
    pub opened: Vec<FlowChange>,
    pub closed: Vec<FlowChange>,
    /// How long the comparison took.
    pub elapsed: Duration,
}

impl FlowReport {
    /// "opened 2 flows, closed 1", or `None` when nothing changed.
    pub fn summary(&self) -> Option<String> {
        let (o, c) = (self.opened.len(), self.closed.len());
        if o == 0 && c == 0 {
            return None;
        }
        let flows = |n: usize| if n == 1 { "flow" } else { "flows" };
        Some(match (o, c) {
            (o, 0) => format!("opened {o} {}", flows(o)),
            (0, c) => format!("closed {c} {}", flows(c)),
            (o, c) => format!("opened {o} {}, closed {c}", flows(o)),
        })
    }

    /// Opened flows first, then closed ones, with whether each was opened.
    pub fn flows(&self) -> impl Iterator<Item = (bool, &FlowChange)> {
        self.opened.iter().map(|f| (true, f)).chain(self.closed.iter().map(|f| (false, f)))
    }

    pub fn len(&self) -> usize {
        self.opened.len() + self.closed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a finished job hands back.
#[derive(Debug)]
struct Outcome {
    base: Base,
    report: Option<FlowReport>,
}

/// The what-if state: the last design compared, the comparison running, the last report.
#[derive(Debug, Default)]
pub struct WhatIf {
    /// Off in tests unless a test turns it on, and until the app is attached to a terminal.
    pub enabled: bool,
    pub base: Option<Base>,
    job: Option<Job<Result<Outcome, String>>>,
    /// The newest design not yet compared.
    pending: Option<(u64, Arc<Design>)>,
    /// The last comparison's result.
    pub last: Option<FlowReport>,
    /// Why the last computation failed.
    pub error: Option<String>,
}

impl WhatIf {
    /// Turn on, starting the first matrix of `d` in the background.
    pub fn enable(&mut self, d: &Design, rev: u64) {
        self.enabled = true;
        self.changed(d, rev);
    }

    /// Forget everything about the design (another design was opened).
    pub fn reset(&mut self) {
        *self = WhatIf { enabled: self.enabled, ..WhatIf::default() };
    }

    /// The design is now at revision `rev`: compare it with the last one compared.
    pub fn changed(&mut self, d: &Design, rev: u64) {
        if !self.enabled || self.base.as_ref().is_some_and(|b| b.rev == rev) {
            return;
        }
        self.pending = Some((rev, Arc::new(d.clone())));
        self.kick();
    }

    /// Whether something is being computed, and what, for how long.
    pub fn running(&self) -> Option<(&str, Duration)> {
        self.job.as_ref().map(|j| (j.what.as_str(), j.elapsed()))
    }

    fn kick(&mut self) {
        if self.job.is_some() {
            return;
        }
        let Some((rev, design)) = self.pending.take() else { return };
        match &self.base {
            None => {
                self.job = Some(Job::spawn("the reachability matrix", move || {
                    let m = reach::compute(&design, &options(&design))?;
                    Ok(Outcome { base: Base { rev, design, matrix: Arc::new(m) }, report: None })
                }));
            }
            Some(b) if b.rev == rev => {}
            Some(b) => {
                let (old, before, from_rev) = (b.design.clone(), b.matrix.clone(), b.rev);
                self.job = Some(Job::spawn("what-if", move || {
                    let t = std::time::Instant::now();
                    let change = Change::between(&old, &design, &resource_changes(&old, &design));
                    let after = before.recompute(&design, &options(&design), &change)?;
                    let (opened, closed) = flow_changes(&before, &after);
                    let report = FlowReport { from_rev, to_rev: rev, opened, closed, elapsed: t.elapsed() };
                    Ok(Outcome { base: Base { rev, design, matrix: Arc::new(after) }, report: Some(report) })
                }));
            }
        }
    }

    fn take(&mut self, answer: Result<Result<Outcome, String>, String>) -> Option<FlowReport> {
        self.job = None;
        let report = match answer.and_then(|r| r) {
            Ok(out) => {
                self.error = None;
                self.base = Some(out.base);
                if out.report.is_some() {
                    self.last = out.report.clone();
                }
                out.report
            }
            Err(e) => {
                // The next edit starts afresh.
                self.error = Some(e);
                self.base = None;
                None
            }
        };
        self.kick();
        report
    }

    /// Collect a finished computation: the report of a finished comparison.
    pub fn poll(&mut self) -> Option<FlowReport> {
        let answer = self.job.as_ref()?.poll()?;
        self.take(answer)
    }

    /// Wait until nothing is left to compute (at most `limit` per step); the last report that
    /// came in on the way.
    pub fn finish(&mut self, limit: Duration) -> Option<FlowReport> {
        let mut last = None;
        while let Some(job) = self.job.as_ref() {
            let Some(answer) = job.wait(limit) else { break };
            if let Some(r) = self.take(answer) {
                last = Some(r);
            }
        }
        last
    }

    /// The matrix of revision `rev`, if the what-if has it and it covers tcp/`port`: its index
    /// of that port too.
    pub fn matrix_for(&self, rev: u64, protocol: Protocol, port: Option<u16>) -> Option<(Arc<Matrix>, usize)> {
        let b = self.base.as_ref().filter(|b| b.rev == rev)?;
        if b.matrix.options.protocol != protocol {
            return None;
        }
        let p = b.matrix.options.ports.iter().position(|x| *x == port)?;
        Some((b.matrix.clone(), p))
    }
}
