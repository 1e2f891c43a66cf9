//! Safety limits for hostile templates, and the counters that enforce them.

use super::error::{CfnError, CfnResult, ErrorKind};
use super::node::Pos;

/// Bounds on time and memory spent on one template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest template accepted, in bytes.
    pub max_bytes: u64,
    /// Deepest nesting of lists/mappings accepted by the parsers.
    pub max_depth: usize,
    /// Most nodes the parsed tree may hold (alias copies included).
    pub max_nodes: usize,
    /// Most nodes that YAML aliases may copy in total.
    pub max_alias_nodes: usize,
    /// Most evaluation steps (one per node visited, intrinsics included).
    pub max_steps: u64,
    /// Deepest evaluation recursion (nesting + condition and attribute chains).
    pub max_eval_depth: usize,
    /// Approximate bytes of values the evaluator may produce.
    pub max_output_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 1_000_000,
            max_alias_nodes: 100_000,
            max_steps: 1_000_000,
            max_eval_depth: 256,
            max_output_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Counts evaluation work against [`Limits`].
#[derive(Debug)]
pub(crate) struct Budget {
    steps: u64,
    max_steps: u64,
    bytes: u64,
    max_bytes: u64,
    max_depth: usize,
}

impl Budget {
    pub(crate) fn new(limits: &Limits) -> Self {
        Budget {
            steps: 0,
            max_steps: limits.max_steps,
            bytes: 0,
            max_bytes: limits.max_output_bytes,
            max_depth: limits.max_eval_depth,
        }
    }

    /// Counts one evaluation step.
    pub(crate) fn step(&mut self, file: &str, pos: Pos) -> CfnResult<()> {
        self.steps += 1;
        if self.steps > self.max_steps {
            return Err(CfnError::new(
                file,
                pos,
                ErrorKind::Limit,
                crate::text!(
                    "evaluation budget of {} steps exceeded (template too expensive to evaluate)",
                    self.max_steps
                ),
            ));
        }
        Ok(())
    }

    /// Counts `n` steps at once (e.g. entries scanned in a lookup).
    pub(crate) fn steps(&mut self, file: &str, pos: Pos, n: u64) -> CfnResult<()> {
        self.steps = self.steps.saturating_add(n.saturating_sub(1));
        self.step(file, pos)
    }

    /// Counts `n` bytes of produced values.
    pub(crate) fn charge(&mut self, file: &str, pos: Pos, n: u64) -> CfnResult<()> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > self.max_bytes {
            return Err(CfnError::new(
                file,
                pos,
                ErrorKind::Limit,
                crate::text!("evaluated values exceed {} bytes (template expands too much)", self.max_bytes),
            ));
        }
        Ok(())
    }

    /// Fails when the evaluation recursion is too deep.
    pub(crate) fn depth(&self, file: &str, pos: Pos, depth: usize) -> CfnResult<()> {
        if depth > self.max_depth {
            return Err(CfnError::new(
                file,
                pos,
                ErrorKind::Limit,
                crate::text!("evaluation nested deeper than {} levels", self.max_depth),
            ));
        }
        Ok(())
    }
}
