//! The one way the app changes its design: [`App::apply`] commits ops as one undo step; undo
//! and redo put back what a step changed.
//!
//! An undo step keeps only the collections its ops wrote ([`Snapshot`]), not a copy of the
//! whole design, so an edit of a 1000-VPC design keeps one list, not thirty thousand
//! resources. The rare whole-design changes (a lab going back a step, recovering unsaved
//! changes) keep the whole design.

use super::App;
use crate::model::ops::snapshot::Snapshot;
use crate::model::ops::{Applied, Op, OpError};
use crate::model::{Design, Id};

/// The undo history keeps this many steps.
pub const UNDO_LIMIT: usize = 100;

/// What an undo step puts back.
#[derive(Debug, Clone)]
pub enum Before {
    /// The collections the step's ops wrote.
    Parts(Snapshot),
    /// The whole design.
    Whole(Box<Design>),
}

/// One step of the history: what to put back, the revision it returns to, what it was.
#[derive(Debug, Clone)]
pub struct Step {
    pub before: Before,
    pub rev: u64,
    /// What the change was, for "undid: …".
    pub what: String,
    /// The resources it touched (`None`: anything).
    pub touched: Option<Vec<Id>>,
}

impl Step {
    /// Put the step's state back into `d`; returns the step that goes the other way.
    fn restore(self, d: &mut Design, rev: u64) -> Step {
        let before = match self.before {
            Before::Parts(s) => Before::Parts(s.restore(d)),
            Before::Whole(w) => Before::Whole(Box::new(std::mem::replace(d, *w))),
        };
        Step { before, rev, what: self.what, touched: self.touched }
    }
}

impl App {
    /// Apply `ops` in order as one change (one undo step, a new revision, the derived state
    /// brought up to date). Each op is checked against the design as the ones before left it;
    /// on the first refusal nothing is changed and the refusal is returned, its message in the
    /// user's language (what every caller shows).
    pub fn apply(&mut self, what: impl Into<String>, ops: Vec<Op>) -> Result<Vec<Applied>, OpError> {
        self.apply_then(what, ops, |_, _| Vec::new())
    }

    /// [`App::apply`] in two stages of one change: `then` makes the second stage's ops from the
    /// design and what the first stage did (the ids of the resources it created), for ops that
    /// must name what earlier ops of the same change created. One undo step; on a refusal in
    /// either stage nothing is changed.
    pub fn apply_then(
        &mut self,
        what: impl Into<String>,
        ops: Vec<Op>,
        then: impl FnOnce(&Design, &[Applied]) -> Vec<Op>,
    ) -> Result<Vec<Applied>, OpError> {
        let mut kept = Snapshot::default();
        let mut done = Vec::new();
        self.run_ops(&ops, &mut kept, &mut done)?;
        let more = then(&self.design, &done);
        self.run_ops(&more, &mut kept, &mut done)?;
        if done.is_empty() {
            return Ok(done);
        }
        let mut touched: Vec<Id> = done.iter().flat_map(|a| a.touched.iter().cloned()).collect();
        touched.sort();
        touched.dedup();
        self.record(Step {
            before: Before::Parts(kept),
            rev: self.rev,
            what: what.into(),
            touched: Some(touched.clone()),
        });
        self.derive(Some(&touched));
        Ok(done)
    }

    /// Commit `ops` one by one, keeping what they overwrite in `kept`; on a refusal, put back
    /// everything `kept` holds and return the refusal.
    fn run_ops(&mut self, ops: &[Op], kept: &mut Snapshot, done: &mut Vec<Applied>) -> Result<(), OpError> {
        for op in ops {
            match self.design.prepare(op) {
                Ok(p) => {
                    kept.add(&self.design, p.touches());
                    done.push(p.commit(&mut self.design));
                }
                Err(mut errs) => {
                    // Put back what the ops before it changed.
                    let _ = std::mem::take(kept).restore(&mut self.design);
                    let e = if errs.is_empty() { OpError::invalid("", None, "refused") } else { errs.swap_remove(0) };
                    let message = e.message_in(self.lang()).into();
                    return Err(OpError { message, ..e });
                }
            }
        }
        Ok(())
    }

    /// Replace the whole design as one undoable change (a lab going back a step, recovered
    /// changes): not an edit of resources, so no op says it.
    pub fn replace_undoable(&mut self, what: impl Into<String>, design: Design) {
        let before = std::mem::replace(&mut self.design, design);
        self.record(Step { before: Before::Whole(Box::new(before)), rev: self.rev, what: what.into(), touched: None });
        self.derive(None);
    }

    /// Push a step, clear redo, move to a new revision.
    fn record(&mut self, step: Step) {
        self.undo.push(step);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.rev = self.next_rev;
        self.next_rev += 1;
    }

    /// Undo the last change. Returns what it was.
    pub fn undo_step(&mut self) -> Option<String> {
        let step = self.undo.pop()?;
        let (rev, what, touched) = (step.rev, step.what.clone(), step.touched.clone());
        let back = step.restore(&mut self.design, self.rev);
        self.redo.push(back);
        self.rev = rev;
        self.derive(touched.as_deref());
        Some(what)
    }

    /// Redo the last undone change. Returns what it was.
    pub fn redo_step(&mut self) -> Option<String> {
        let step = self.redo.pop()?;
        let (rev, what, touched) = (step.rev, step.what.clone(), step.touched.clone());
        let back = step.restore(&mut self.design, self.rev);
        self.undo.push(back);
        self.rev = rev;
        self.derive(touched.as_deref());
        Some(what)
    }
}
