//! Bounds on the time and memory one configuration may take: hostile or broken input ends
//! with an error, never a hang, a stack overflow or an exhausted machine.

use super::error::{Pos, TfError, TfResult};

/// The bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest single file. 32 MiB: our own export writes one `main.tf`, 11.7 MB for 1,000
    /// VPCs, and must read back (issue 17, H4); the read stays bounded by the bytes read (H1).
    pub max_file_bytes: u64,
    /// All files of the configuration together.
    pub max_total_bytes: u64,
    /// Configuration files in one module directory.
    pub max_files: usize,
    /// Evaluation steps (one per expression node, function call or element produced).
    pub max_steps: u64,
    /// Nested evaluation (expressions inside references inside expressions …).
    pub max_depth: usize,
    /// Elements of one collection or characters of one string.
    pub max_len: usize,
    /// Module calls nested in each other.
    pub max_module_depth: usize,
    /// Resource and module instances in all.
    pub max_instances: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 32 * 1024 * 1024,
            max_total_bytes: 64 * 1024 * 1024,
            max_files: 2_000,
            max_steps: 50_000_000,
            max_depth: 200,
            max_len: 1_000_000,
            max_module_depth: 32,
            max_instances: 200_000,
        }
    }
}

/// A limit in bytes as people read it: `32 MiB`, or the bytes when not whole mebibytes.
pub fn size_text(bytes: u64) -> crate::l10n::Text {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB).into()
    } else {
        crate::text!("{bytes} bytes")
    }
}

/// Counts work against the limits.
#[derive(Debug)]
pub struct Budget {
    pub limits: Limits,
    steps: u64,
    pub depth: usize,
    pub instances: usize,
}

impl Budget {
    pub fn new(limits: Limits) -> Budget {
        Budget { limits, steps: 0, depth: 0, instances: 0 }
    }

    /// One step of work.
    pub fn step(&mut self, pos: Option<Pos>) -> TfResult<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(TfError::fatal(
                pos,
                crate::text!(
                    "evaluation took more than {} steps; stopped (a runaway expression?)",
                    self.limits.max_steps
                ),
            ));
        }
        Ok(())
    }

    /// `n` steps at once (a function producing `n` elements).
    pub fn steps(&mut self, n: usize, pos: Option<Pos>) -> TfResult<()> {
        self.steps += n as u64;
        self.step(pos)
    }

    /// A collection or string of `n` elements is about to be made.
    pub fn size(&self, n: usize, pos: Option<Pos>) -> TfResult<()> {
        if n > self.limits.max_len {
            return Err(TfError::fatal(
                pos,
                crate::text!("a value of {n} elements is larger than the limit of {}", self.limits.max_len),
            ));
        }
        Ok(())
    }

    /// Enter one nesting level; [`Budget::leave`] must follow.
    pub fn enter(&mut self, pos: Option<Pos>) -> TfResult<()> {
        if self.depth >= self.limits.max_depth {
            return Err(TfError::fatal(
                pos,
                crate::text!("expressions and references nest deeper than {} levels; stopped", self.limits.max_depth),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Count new resource or module instances.
    pub fn instances(&mut self, n: usize, pos: Option<Pos>) -> TfResult<()> {
        self.instances += n;
        if self.instances > self.limits.max_instances {
            return Err(TfError::fatal(
                pos,
                crate::text!("more than {} resource and module instances; stopped", self.limits.max_instances),
            ));
        }
        Ok(())
    }
}
