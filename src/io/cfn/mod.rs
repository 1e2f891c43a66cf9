//! CloudFormation template evaluation: read a template (YAML or JSON) and produce
//! fully resolved resources, with deploy-time values as markers (see [`markers`]).
//!
//! ```
//! use vpcraft::io::cfn::{evaluate, EvalOptions};
//! let t = evaluate(
//!     "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n",
//!     "t.yaml",
//!     &EvalOptions::new("ap-northeast-2"),
//! )
//! .unwrap();
//! assert_eq!(t.resources[0].properties["CidrBlock"], "10.0.0.0/16");
//! ```
//!
//! Pipeline: text → `Node` tree with positions (`yaml.rs` on saphyr-parser
//! events, or `json.rs`) → parameters (`params.rs`) → conditions (`conditions.rs`) →
//! resource properties and outputs (`eval.rs`, `intrinsics.rs`) → dependency-cycle
//! check (`graph.rs`).
//!
//! Values the template determines are computed, including some `Fn::GetAtt`s
//! (`AWS::EC2::VPC.CidrBlock`, `AWS::EC2::Subnet.CidrBlock|AvailabilityZone|VpcId`,
//! `AWS::EC2::SecurityGroup.VpcId`) so that `Fn::Cidr` over a VPC's block works.
//! Everything else known only at deploy time becomes a marker (see [`markers`]).
//! Resources whose `Condition` is false are not evaluated (`properties` is `null`).
//! Property objects come out with keys sorted (serde_json's default map).
//!
//! Hostile input is bounded by [`Limits`]: file size (16 MiB, checked before
//! reading), nesting depth (128), parsed values (1M, alias copies included), YAML
//! alias expansion (100k values), evaluation steps (1M), evaluation depth (256, on a
//! 16 MiB-stack thread), and produced bytes (64 MiB).

#![warn(missing_docs)]

mod aws;
mod conditions;
mod error;
mod eval;
mod graph;
mod intrinsics;
mod json;
mod limits;
pub mod markers;
mod node;
mod params;
mod template;
mod types;
mod yaml;

use std::path::Path;

pub use aws::{availability_zones, cidr_split};
pub use error::{CfnError, CfnResult, ErrorKind};
pub use limits::Limits;
pub use node::Pos;
pub use template::{detect_format, Format};
pub use types::{
    parse_param_override, EvalOptions, EvaluatedOutput, EvaluatedResource, ParamSource, ReportItem, ReportKind,
    ResolvedParameter, Severity, Template, DEFAULT_ACCOUNT_ID, DEFAULT_STACK_NAME,
};

/// Parses and evaluates template `text` (YAML or JSON, detected). `file_name` is only
/// used in messages.
///
/// # Errors
/// Syntax errors, limit violations, missing parameter values, misused intrinsics and
/// circular dependencies, each with file, line and column.
pub fn evaluate(text: &str, file_name: &str, opts: &EvalOptions) -> CfnResult<Template> {
    // Parsing and evaluation recurse up to the depth limits; run them on a thread
    // with a known, generous stack so the caller's stack size (and debug-build frame
    // sizes) cannot turn a deep template into a stack overflow.
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("cfn-eval".into())
            .stack_size(EVAL_STACK_BYTES)
            .spawn_scoped(scope, || template::evaluate_text(text, file_name, opts));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread available: evaluate here.
            Err(_) => template::evaluate_text(text, file_name, opts),
        }
    })
}

/// Stack for the evaluation thread: about 10x what the deepest accepted template
/// needs in a debug build.
const EVAL_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Reads a template file, refusing files over [`Limits::max_bytes`] (16 MiB by
/// default) before reading them, and non-UTF-8 text.
///
/// # Errors
/// I/O errors, oversized files and invalid UTF-8.
pub fn load_template_file(path: &Path) -> CfnResult<String> {
    load_template_file_with_limit(path, Limits::default().max_bytes)
}

/// [`load_template_file`] with an explicit size limit in bytes.
///
/// # Errors
/// As [`load_template_file`].
pub fn load_template_file_with_limit(path: &Path, max_bytes: u64) -> CfnResult<String> {
    let name = path.display().to_string();
    crate::io::input::read_text(path, max_bytes).map_err(|e| {
        let kind = match (e.line, e.message.contains("byte limit")) {
            (Some(_), _) => ErrorKind::Syntax,
            (None, true) => ErrorKind::Limit,
            (None, false) => ErrorKind::Io,
        };
        let pos = Pos { line: e.line.unwrap_or(0) as u32, column: e.column.unwrap_or(0) as u32 };
        CfnError::new(&name, pos, kind, e.message)
    })
}

/// [`load_template_file`] then [`evaluate`], naming the file by its path.
///
/// # Errors
/// As both.
pub fn evaluate_file(path: &Path, opts: &EvalOptions) -> CfnResult<Template> {
    let text = load_template_file_with_limit(path, opts.limits.max_bytes)?;
    evaluate(&text, &path.display().to_string(), opts)
}

#[cfg(test)]
mod tests;
