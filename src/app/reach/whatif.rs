//! What-if on every edit: the reachability matrices of the design before an edit are kept
//! (IPv4, and IPv6 when the design has an IPv6 block), and after the edit they are recomputed
//! (reusing every traced flow the edit cannot have changed, see `sim::reach::Change`) and
//! compared cell by cell: the flows it opened and closed. All of it runs beside the UI; edits
//! made while a comparison runs are compared together against the last design compared. The
//! UI thread only brings a copy of the design up to date ([`super::snapshot`]) and starts the
//! job; what the job leaves behind is dropped beside the UI too.

use super::job::Job;
use super::snapshot::Snapshots;
use crate::l10n::{uif, Lang};
use crate::model::{Design, Id, Protocol};
use crate::sim::diff::{flow_changes, FlowChange};
use crate::sim::reach::{self, Change, Family, Matrix, ReachOptions};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

/// The ports the what-if compares (tcp): SSH, the port a change most often opens by mistake,
/// and HTTPS, what most flows use.
pub const PORTS: [u16; 2] = [22, 443];

/// The matrix options of the what-if: the app's matrix ([`super::matrix::options`]) on
/// [`PORTS`].
pub fn options(d: &Design) -> ReachOptions {
    options_for(d, Family::Ipv4)
}

/// [`options`] for a family.
pub fn options_for(d: &Design, family: Family) -> ReachOptions {
    super::matrix::options_for(d, Protocol::Tcp, PORTS.iter().map(|&p| Some(p)).collect(), family)
}

/// Whether the what-if compares a design's IPv6 flows: some subnet has an IPv6 block.
fn has_ipv6(d: &Design) -> bool {
    d.subnets.iter().any(|s| s.ipv6_cidr.is_some())
}

/// The IPv6 matrix of a design that has IPv6 flows.
fn compute6(d: &Design) -> Result<Option<Matrix>, String> {
    has_ipv6(d).then(|| reach::compute(d, &options_for(d, Family::Ipv6))).transpose().map_err(String::from)
}

/// The matrices after an edit (IPv4, IPv6 if any) and the flows opened and closed.
pub type Compared = (Matrix, Option<Matrix>, Vec<FlowChange>, Vec<FlowChange>);

/// What the what-if does after an edit, beside the UI: the change between the designs, the
/// matrices of the new one recomputed from the old ones', and the flows whose verdict changed
/// (IPv4 first, then IPv6), with the ends `trace` takes for each (see [`FlowReport::ends`]).
pub fn compare(old: &Design, new: &Design, before: &Matrix, before6: Option<&Matrix>) -> Result<Compared, String> {
    compare_after(old, new, before, before6, None)
}

/// [`compare`] when the edits between the two designs are known to have touched only the
/// resources in `touched` (added, changed or removed; `None`: unknown): the change is found
/// from them instead of by comparing the designs resource by resource.
pub fn compare_after(
    old: &Design,
    new: &Design,
    before: &Matrix,
    before6: Option<&Matrix>,
    touched: Option<&[Id]>,
) -> Result<Compared, String> {
    let t0 = std::time::Instant::now();
    let timing = std::env::var_os("VPCRAFT_REACH_TIMING").is_some();
    let lap = |what: &str| {
        if timing {
            eprintln!("what-if: {what} at {:?} (process CPU {:?})", t0.elapsed(), reach::cpu_time());
        }
    };
    let change = match touched {
        Some(ids) => Change::of_ids(old, new, &ids.iter().map(String::as_str).collect::<Vec<_>>()),
        None => Change::of_designs(old, new),
    };
    lap("change");
    let o = options(new);
    lap("options");
    let after = before.recompute(new, &o, &change)?;
    lap("recomputed");
    let (mut opened, mut closed) = flow_changes(before, &after);
    lap("flow changes");
    let after6 = match (before6, has_ipv6(new)) {
        (_, false) if !has_ipv6(old) => None,
        (Some(b6), _) => Some(b6.recompute(new, &options_for(new, Family::Ipv6), &change)?),
        (None, _) => {
            // IPv6 blocks appeared: compared with the old design's IPv6 matrix, computed now.
            let b6 = reach::compute(old, &options_for(old, Family::Ipv6))?;
            let a6 = reach::compute(new, &options_for(new, Family::Ipv6))?;
            let (o, c) = flow_changes(&b6, &a6);
            opened.extend(o);
            closed.extend(c);
            return Ok((after, Some(a6), opened, closed));
        }
    };
    if let (Some(b6), Some(a6)) = (before6, after6.as_ref()) {
        let (o, c) = flow_changes(b6, a6);
        opened.extend(o);
        closed.extend(c);
    }
    Ok((after, after6, opened, closed))
}

/// A design and its matrix.
#[derive(Debug, Clone)]
pub struct Base {
    pub rev: u64,
    pub design: Arc<Design>,
    pub matrix: Arc<Matrix>,
    /// The IPv6 matrix, when the design has an IPv6 block.
    pub matrix6: Option<Arc<Matrix>>,
}

/// What one edit (or several made while the last comparison ran) did to the flows.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowReport {
    /// The revisions compared.
    pub from_rev: u64,
    pub to_rev: u64,
    pub opened: Vec<FlowChange>,
    pub closed: Vec<FlowChange>,
    /// Per flow, in [`FlowReport::flows`] order: what to give `trace` to play it (`from`,
    /// `to`): the row and column ids for IPv4, the hypothetical interfaces' IPv6 addresses for
    /// an IPv6 flow between subnets (a subnet's id names its IPv4 interface).
    pub ends: Vec<(String, String)>,
    /// How long the comparison took.
    pub elapsed: Duration,
}

impl FlowReport {
    /// "opened 2 flows, closed 1", or `None` when nothing changed.
    pub fn summary(&self) -> Option<String> {
        self.summary_in(Lang::En)
    }

    /// [`FlowReport::summary`] in `lang`.
    pub fn summary_in(&self, lang: Lang) -> Option<String> {
        let (o, c) = (self.opened.len(), self.closed.len());
        let line = match (o, c) {
            (0, 0) => return None,
            (1, 0) => uif(lang, "opened {o} flow", &[("o", &o)]),
            (o, 0) => uif(lang, "opened {o} flows", &[("o", &o)]),
            (0, 1) => uif(lang, "closed {c} flow", &[("c", &c)]),
            (0, c) => uif(lang, "closed {c} flows", &[("c", &c)]),
            (1, c) => uif(lang, "opened {o} flow, closed {c}", &[("o", &o), ("c", &c)]),
            (o, c) => uif(lang, "opened {o} flows, closed {c}", &[("o", &o), ("c", &c)]),
        };
        Some(line)
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

    /// The `n`-th flow of [`FlowReport::flows`] with the ends its trace takes.
    pub fn flow(&self, n: usize) -> Option<(bool, &FlowChange, (&str, &str))> {
        let (opened, f) = self.flows().nth(n)?;
        let ends = self.ends.get(n).map_or((f.source.as_str(), f.destination.as_str()), |(a, b)| (a, b));
        Some((opened, f, ends))
    }
}

type Positions<'m> = (HashMap<&'m str, usize>, HashMap<&'m str, usize>);

/// A matrix's rows and columns by id.
fn positions(m: &Matrix) -> Positions<'_> {
    let rows: HashMap<&str, usize> = m.source_ids.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let cols: HashMap<&str, usize> = m.destination_ids.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    (rows, cols)
}

/// The ends `trace` takes for each flow (see [`FlowReport::ends`]), from the matrices after
/// the edit (a pair that is gone keeps its ids).
fn trace_ends(flows: &[&FlowChange], after: &Matrix, after6: Option<&Matrix>) -> Vec<(String, String)> {
    let (v4, v6) = (positions(after), after6.map(positions));
    flows
        .iter()
        .map(|f| {
            let (m, (rows, cols)) = match (f.family, after6, &v6) {
                (Family::Ipv6, Some(m), Some(rc)) => (m, rc),
                _ => (after, &v4),
            };
            rows.get(f.source.as_str())
                .zip(cols.get(f.destination.as_str()))
                .and_then(|(&r, &c)| m.trace_ends(r, c))
                .unwrap_or_else(|| (f.source.clone(), f.destination.clone()))
        })
        .collect()
}

/// Drop something big on another thread: a matrix of a large design takes milliseconds to
/// free, which the UI thread must not spend.
fn drop_beside<T: Send + 'static>(t: T) {
    std::thread::spawn(move || drop(t));
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
    /// Copies of the design handed to the background, reused.
    snapshots: Snapshots,
    /// The resources the edits touched since the design the last comparison started went to
    /// (`None`: unknown, or a change of the whole design): the next comparison's change.
    since: Option<HashSet<Id>>,
}

impl WhatIf {
    /// Turn on, starting the first matrix of `d` in the background.
    pub fn enable(&mut self, d: &Design, rev: u64) {
        self.enabled = true;
        self.changed(d, rev);
    }

    /// Forget everything about the design (another design was opened).
    pub fn reset(&mut self) {
        let old = std::mem::replace(self, WhatIf { enabled: self.enabled, ..WhatIf::default() });
        drop_beside((old.base, old.pending, old.snapshots));
    }

    /// The design changed: the resources in `touched` (`None`: anything). Said before
    /// [`WhatIf::changed`], on or off: the copies of the design follow every change.
    pub fn touched(&mut self, touched: Option<&[Id]>) {
        self.snapshots.touched(touched);
        match (touched, &mut self.since) {
            (Some(ids), Some(set)) => set.extend(ids.iter().cloned()),
            (None, since) => *since = None,
            (_, None) => {}
        }
    }

    /// A copy of the design for the background (see [`super::snapshot`]).
    pub fn snapshot(&mut self, d: &Design) -> Arc<Design> {
        self.snapshots.take(d)
    }

    /// The design is now at revision `rev`: compare it with the last one compared.
    pub fn changed(&mut self, d: &Design, rev: u64) {
        if !self.enabled || self.base.as_ref().is_some_and(|b| b.rev == rev) {
            return;
        }
        let copy = self.snapshots.take(d);
        self.pending = Some((rev, copy));
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
        // What the edits after this design touch is the next comparison's change.
        let since = self.since.replace(HashSet::new());
        match &self.base {
            None => {
                self.job = Some(Job::spawn("the reachability matrix", move || {
                    let m = reach::compute(&design, &options(&design))?;
                    let m6 = compute6(&design)?.map(Arc::new);
                    Ok(Outcome { base: Base { rev, design, matrix: Arc::new(m), matrix6: m6 }, report: None })
                }));
            }
            Some(b) if b.rev == rev => {}
            Some(b) => {
                let (old, before, before6, from_rev) = (b.design.clone(), b.matrix.clone(), b.matrix6.clone(), b.rev);
                let touched: Option<Vec<Id>> = since.map(|s| s.into_iter().collect());
                self.job = Some(Job::spawn("what-if", move || {
                    let t = std::time::Instant::now();
                    let (after, after6, opened, closed) =
                        compare_after(&old, &design, &before, before6.as_deref(), touched.as_deref())?;
                    let flows: Vec<&FlowChange> = opened.iter().chain(&closed).collect();
                    let ends = trace_ends(&flows, &after, after6.as_ref());
                    let elapsed = t.elapsed();
                    let report = FlowReport { from_rev, to_rev: rev, opened, closed, ends, elapsed };
                    let base = Base { rev, design, matrix: Arc::new(after), matrix6: after6.map(Arc::new) };
                    Ok(Outcome { base, report: Some(report) })
                }));
            }
        }
    }

    fn take(&mut self, answer: Result<Result<Outcome, String>, String>) -> Option<FlowReport> {
        self.job = None;
        let report = match answer.and_then(|r| r) {
            Ok(out) => {
                self.error = None;
                drop_beside(self.base.replace(out.base));
                if out.report.is_some() {
                    drop_beside(std::mem::replace(&mut self.last, out.report.clone()));
                }
                out.report
            }
            Err(e) => {
                // The next edit starts afresh.
                self.error = Some(e);
                drop_beside(self.base.take());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(n: usize) -> FlowChange {
        let (source, destination) = (format!("subnet-{n}"), "igw".to_string());
        FlowChange {
            source,
            destination,
            protocol: Protocol::Tcp,
            port: Some(443),
            before: None,
            after: None,
            family: Family::Ipv4,
        }
    }

    fn report(o: usize, c: usize) -> FlowReport {
        FlowReport {
            from_rev: 1,
            to_rev: 2,
            opened: (0..o).map(flow).collect(),
            closed: (0..c).map(flow).collect(),
            ends: Vec::new(),
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn summary_is_english_and_says_itself_in_korean() {
        assert_eq!(report(0, 0).summary_in(Lang::Ko), None);
        assert_eq!(report(1, 0).summary().as_deref(), Some("opened 1 flow"));
        assert_eq!(report(4, 0).summary().as_deref(), Some("opened 4 flows"));
        assert_eq!(report(0, 2).summary().as_deref(), Some("closed 2 flows"));
        assert_eq!(report(2, 1).summary().as_deref(), Some("opened 2 flows, closed 1"));
        for (o, c) in [(1, 0), (4, 0), (0, 1), (0, 3), (1, 2), (4, 2)] {
            let ko = report(o, c).summary_in(Lang::Ko).unwrap_or_default();
            assert!(!ko.contains("opened") && !ko.contains("closed") && !ko.contains("flow"), "{ko}");
            assert!(ko.contains("흐름"), "{ko}");
        }
        let line = uif(Lang::Ko, "what-if: {summary} — D to see them", &[("summary", &"x")]);
        assert!(!line.contains("what-if"), "{line}");
    }

    #[test]
    fn progress_says_what_it_computes_in_the_apps_language() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let mut r = super::super::ReachState::default();
        r.whatif.job = Some(Job::spawn("the reachability matrix", move || {
            let _ = rx.recv();
            Err(String::new())
        }));
        let en = r.progress(Lang::En, None).unwrap_or_default();
        assert!(en.starts_with("computing the reachability matrix… ") && en.ends_with(" s"), "{en}");
        let ko = r.progress(Lang::Ko, None).unwrap_or_default();
        assert!(ko.starts_with("도달 가능성 행렬 계산 중… ") && ko.ends_with(" s"), "{ko}");
        drop(tx);
    }
}
