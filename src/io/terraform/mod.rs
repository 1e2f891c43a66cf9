//! Reading Terraform: a directory of configuration (`*.tf`, `*.tf.json`, with local and
//! downloaded modules), evaluated the way `terraform plan` would without running Terraform or
//! touching AWS; or the JSON of `terraform show -json` (a saved plan or a state), whose values
//! are exact. Either becomes a design whose resources are named by their Terraform addresses,
//! with a report of what was evaluated, what was assumed and what was skipped.
//!
//! The pipeline: [`modules`] finds and [`parse`] reads every module; [`vars`] gathers the root
//! variables; [`graph`] (with [`eval`], [`functions`], [`cidr`], [`text`], [`types`]) evaluates
//! every resource instance; [`resources`] maps the instances onto the model. [`show_json`]
//! produces the same instances from plan or state JSON.

pub mod cidr;
pub mod error;
pub mod eval;
pub mod functions;
pub mod graph;
pub mod limits;
pub mod modules;
pub mod parse;
pub mod resources;
pub mod show_json;
pub mod text;
pub mod types;
pub mod value;
pub mod vars;

use crate::io::report::{ImportReport, Severity};
use crate::io::LoadError;
use crate::model::Design;
use error::TfError;
use graph::Evaluator;
use limits::{Budget, Limits};
use std::collections::HashMap;
use std::path::Path;
pub use vars::VarInput;

/// How to read a configuration.
#[derive(Debug, Clone, Default)]
pub struct TerraformOptions {
    /// The region when no `provider "aws"` block says (default `us-east-1`).
    pub region: Option<String>,
    /// `--var NAME=VALUE` and `--var-file FILE`, in the order given.
    pub inputs: Vec<VarInput>,
    /// `--assume ADDRESS.ATTRIBUTE=VALUE`.
    pub assumes: Vec<String>,
    /// Environment variables to read `TF_VAR_name` from.
    pub env: Vec<(String, String)>,
    pub limits: Limits,
}

impl TerraformOptions {
    /// Options that read `TF_VAR_*` from the process environment.
    pub fn from_env() -> TerraformOptions {
        TerraformOptions {
            env: std::env::vars().filter(|(k, _)| k.starts_with("TF_VAR_")).collect(),
            ..Default::default()
        }
    }
}

/// Whether a directory holds Terraform configuration.
pub fn is_configuration(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.filter_map(|e| e.ok()).any(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            (n.ends_with(".tf") || n.ends_with(".tf.json")) && e.path().is_file()
        })
    })
}

/// Split `ADDRESS.ATTRIBUTE=VALUE` at the `=` and the last `.` before it that is outside
/// brackets.
pub fn parse_assume(text: &str) -> Result<(String, String, value::Value), crate::l10n::Text> {
    let bad = || {
        crate::text!("--assume {text:?}: expected ADDRESS.ATTRIBUTE=VALUE, e.g. --assume aws_vpc.main.ipv6_cidr_block=2600:1f18::/56")
    };
    let (lhs, rhs) = text.split_once('=').ok_or_else(bad)?;
    let mut depth = 0i32;
    let mut split = None;
    for (i, c) in lhs.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '.' if depth == 0 => split = Some(i),
            _ => {}
        }
    }
    let at = split.ok_or_else(bad)?;
    let (addr, attr) = (lhs[..at].trim(), lhs[at + 1..].trim());
    if addr.is_empty() || attr.is_empty() {
        return Err(bad());
    }
    Ok((addr.to_string(), attr.to_string(), vars::cli_value(rhs, false)))
}

/// Run `f` on a thread with a large stack: evaluation recurses through references, and its
/// depth budget is sized for this stack, not a test thread's 2 MiB.
fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("terraform".into())
            .stack_size(256 * 1024 * 1024)
            .spawn_scoped(s, f)
            .map(|h| h.join())
            .unwrap_or_else(|e| panic!("cannot start the evaluation thread: {e}"))
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

/// Read a directory of Terraform configuration.
pub fn import_dir(dir: &Path, opts: &TerraformOptions) -> Result<(Design, ImportReport), LoadError> {
    on_big_stack(|| import_dir_here(dir, opts))
}

fn import_dir_here(dir: &Path, opts: &TerraformOptions) -> Result<(Design, ImportReport), LoadError> {
    let mut cfg = match modules::load(dir, &opts.limits) {
        Ok(c) => c,
        Err(b) => return Err(b.0.sources.load_error(&b.1, dir)),
    };
    let mut warnings = Vec::new();
    let root_vars = cfg.modules[0].variables.clone();
    let pending = vars::gather(dir, &root_vars, &opts.inputs, &opts.env, &mut cfg.sources, &opts.limits, &mut warnings)
        .map_err(|e| cfg.sources.load_error(&e, dir))?;
    let default_region = opts.region.clone().unwrap_or_else(|| crate::io::ASSUMED_REGION.to_string());
    let mut ev = Evaluator::new(&cfg, Budget::new(opts.limits.clone()), default_region.clone());
    let fail = |e: TfError| cfg.sources.load_error(&e, dir);
    let values = vars::evaluate(&pending, &mut ev).map_err(fail)?;
    let mut report = ImportReport::new(dir.display().to_string());
    let mut names: Vec<&String> = values.keys().collect();
    names.sort();
    for n in names {
        let (v, from) = &values[n];
        report.info("", format!("var.{n}"), crate::text!("{v} (from {from})").with("from", from.clone()));
    }
    ev.root_vars = values.into_iter().map(|(k, (v, _))| (k, v)).collect();
    let mut assumes: HashMap<String, Vec<(String, value::Value)>> = HashMap::new();
    for a in &opts.assumes {
        let (addr, attr, v) = parse_assume(a).map_err(|e| LoadError::plain(dir, e))?;
        assumes.entry(addr).or_default().push((attr, v));
    }
    ev.assumes = assumes;
    ev.run().map_err(fail)?;
    let region = ev.region.clone();
    if !cfg.modules[0].providers.iter().any(|p| p.alias.is_none() && p.region.is_some()) && opts.region.is_none() {
        report.warn(
            "",
            "provider \"aws\"",
            crate::text!("no region in the configuration: {region} assumed (give --region)"),
        );
    }
    for (what, detail) in warnings {
        report.warn("", what, detail);
    }
    for (call, source) in &cfg.missing {
        report.warn(
            "",
            call.clone(),
            crate::text!("module source \"{source}\" is not on disk (run `terraform init`): its resources are skipped"),
        );
    }
    for m in &cfg.modules {
        for f in &m.ignored {
            report.warn("", f.clone(), crate::text!("override files are not merged by vpcraft: ignored"));
        }
    }
    let mut unused: Vec<&String> = ev.assumes.keys().filter(|k| !ev.assumes_used.contains(*k)).collect();
    unused.sort();
    for a in unused {
        report.warn("", a.clone(), crate::text!("--assume names no resource instance of the configuration: not used"));
    }
    for n in std::mem::take(&mut ev.notes) {
        report.push(n.severity, "", n.what, n.detail);
    }
    let instances = std::mem::take(&mut ev.out);
    let modules_evaluated = ev.insts.len();
    report.info(
        "",
        "configuration",
        crate::text!(
            "evaluated {} resource and data instances in {} module instance(s) from {} file(s); ids of resources are placeholders derived from their addresses",
            instances.len(),
            modules_evaluated,
            cfg.sources.files.len()
        ),
    );
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| "terraform".into());
    let (design, report) = resources::map(&instances, &name, &region, report);
    crate::io::native::validate(&design, "", dir)?;
    Ok((design, report))
}

/// Read the JSON of `terraform show -json` (a plan or a state).
pub fn import_show_json(path: &Path, opts: &TerraformOptions) -> Result<(Design, ImportReport), LoadError> {
    // Read once, bounded by the bytes read (issue 17, H1, H3).
    let text = crate::io::input::read_text(path, opts.limits.max_total_bytes)?;
    import_show_json_text(&text, path, opts)
}

/// [`import_show_json`] of text already read; `path` names it.
pub fn import_show_json_text(
    text: &str,
    path: &Path,
    opts: &TerraformOptions,
) -> Result<(Design, ImportReport), LoadError> {
    let json: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| LoadError::at(path, e.line(), e.column(), crate::text!("JSON syntax error: {e}")))?;
    let region = opts.region.clone();
    let (instances, region, mut report) =
        show_json::instances(&json, region, &path.display().to_string()).map_err(|e| LoadError::plain(path, e))?;
    let _ = Severity::Info;
    let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "terraform".into());
    report.info(
        "",
        "plan/state",
        crate::text!("read {} resource instances with their recorded values", instances.len()),
    );
    let (design, report) = resources::map(&instances, &name, &region, report);
    crate::io::native::validate(&design, "", path)?;
    Ok((design, report))
}

/// Whether JSON looks like `terraform show -json` output.
pub fn looks_like_show_json(head: &str) -> bool {
    head.contains("\"format_version\"")
        && (head.contains("\"planned_values\"")
            || head.contains("\"values\"")
            || head.contains("\"terraform_version\""))
}
