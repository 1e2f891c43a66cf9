//! Whole-template evaluation: sections, resources, outputs, dependency cycles.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::error::{CfnError, CfnResult, ErrorKind};
use super::eval::{CondState, Evaluator, ResInfo, MAX_REPORT_ITEMS};
use super::graph::find_cycle;
use super::json::parse_json;
use super::limits::Budget;
use super::node::{Key, Node, Pos};
use super::params::{item, resolve_params};
use super::types::{EvalOptions, EvaluatedOutput, EvaluatedResource, ReportItem, ReportKind, Severity, Template};
use super::yaml::parse_yaml;

/// Template text format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON (starts with `{`).
    Json,
    /// Anything else.
    Yaml,
}

/// JSON when the first non-blank character is `{`, YAML otherwise.
pub fn detect_format(text: &str) -> Format {
    match text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']).chars().next() {
        Some('{') => Format::Json,
        _ => Format::Yaml,
    }
}

const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
    "Hooks",
];

/// A resource definition, checked but not evaluated.
struct ResDef<'a> {
    key: &'a Key,
    resource_type: &'a str,
    properties: Option<&'a Node>,
    condition: Option<(&'a str, Pos)>,
    depends_on: Vec<(&'a str, Pos)>,
}

/// Parses and evaluates `text`.
pub(crate) fn evaluate_text(text: &str, file: &str, opts: &EvalOptions) -> CfnResult<Template> {
    let limits = &opts.limits;
    if text.len() as u64 > limits.max_bytes {
        return Err(CfnError::new(
            file,
            Pos::default(),
            ErrorKind::Limit,
            crate::text!("template is {} bytes, more than the {} byte limit", text.len(), limits.max_bytes),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = match detect_format(text) {
        Format::Json => match parse_json(text, file, limits) {
            Ok(root) => root,
            // A YAML flow mapping also starts with `{`; keep the JSON error if both fail.
            Err(e) if !file.ends_with(".json") => parse_yaml(text, file, limits).map_err(|_| e)?,
            Err(e) => return Err(e),
        },
        Format::Yaml => parse_yaml(text, file, limits)?,
    };
    evaluate_root(&root, file, opts)
}

fn structure(file: &str, pos: Pos, msg: impl Into<crate::l10n::Text>) -> CfnError {
    CfnError::new(file, pos, ErrorKind::Structure, msg)
}

fn optional_map<'a>(root: &'a Node, name: &str, file: &str) -> CfnResult<Option<&'a Node>> {
    match root.get_entry(name) {
        None => Ok(None),
        Some((_, n)) if n.as_map().is_some() => Ok(Some(n)),
        Some((_, n)) if matches!(n.kind, super::node::NodeKind::Null) => Ok(None),
        Some((k, _)) => Err(structure(file, k.pos, crate::text!("{name} must be a mapping"))),
    }
}

fn evaluate_root(root: &Node, file: &str, opts: &EvalOptions) -> CfnResult<Template> {
    let Some(top) = root.as_map() else {
        return Err(structure(file, root.pos, crate::text!("a template must be a mapping with a Resources section")));
    };
    let mut report: Vec<ReportItem> = Vec::new();
    for (k, v) in top {
        if !SECTIONS.contains(&k.name.as_str()) {
            report.push(item(
                Severity::Warning,
                ReportKind::Unsupported,
                crate::text!("unknown top-level section `{}` ignored", k.name),
                Some(k.name.clone()),
                k.pos,
            ));
        }
        if k.name == "Transform" {
            let names = v.scalar_text().unwrap_or_else(|| v.to_json().to_string());
            report.push(item(
                Severity::Warning,
                ReportKind::Unsupported,
                crate::text!("Transform {names} is not applied (macros and SAM are not supported)"),
                Some(names),
                k.pos,
            ));
        }
    }
    let (res_key, res_node) = root
        .get_entry("Resources")
        .ok_or_else(|| structure(file, root.pos, crate::text!("the template has no Resources section")))?;
    let res_entries = match res_node.as_map() {
        Some(m) if !m.is_empty() => m,
        _ => {
            return Err(structure(
                file,
                res_key.pos,
                crate::text!("Resources must be a mapping with at least one resource"),
            ))
        }
    };
    let params = resolve_params(optional_map(root, "Parameters", file)?, opts, file, &mut report)?;
    let mut seen = HashSet::new();
    report.retain(|r| seen.insert(r.clone()));
    let mappings = optional_map(root, "Mappings", file)?;
    let conditions = optional_map(root, "Conditions", file)?;
    let cond_entries = conditions.and_then(Node::as_map).unwrap_or_default();

    let mut defs = Vec::with_capacity(res_entries.len());
    for (key, def) in res_entries {
        if key.name.starts_with("Fn::") {
            report.push(item(
                Severity::Warning,
                ReportKind::Unsupported,
                crate::text!("`{}` in Resources is not supported; ignored", key.name),
                Some(key.name.clone()),
                key.pos,
            ));
            continue;
        }
        defs.push(resource_def(key, def, file)?);
    }
    let names: HashSet<&str> = defs.iter().map(|d| d.key.name.as_str()).collect();
    let cond_names: HashSet<&str> = cond_entries.iter().map(|(k, _)| k.name.as_str()).collect();
    for d in &defs {
        if let Some((c, pos)) = d.condition {
            if !cond_names.contains(c) {
                return Err(structure(file, pos, crate::text!("no condition named `{c}` in the Conditions section")));
            }
        }
        for (dep, pos) in &d.depends_on {
            if !names.contains(dep) {
                return Err(structure(file, *pos, crate::text!("DependsOn: no resource named `{dep}`")));
            }
        }
    }

    let mut ev = Evaluator {
        file,
        opts,
        params: params.values,
        mappings,
        conditions: cond_entries.iter().map(|(k, v)| (k.name.as_str(), (v, CondState::Pending))).collect(),
        resources: defs
            .iter()
            .map(|d| {
                let info = ResInfo { resource_type: d.resource_type, properties: d.properties, skipped: false };
                (d.key.name.as_str(), info)
            })
            .collect(),
        budget: Budget::new(&opts.limits),
        report_seen: seen,
        report,
        report_truncated: false,
        refs: Vec::new(),
        refs_seen: HashSet::new(),
        res_stack: Vec::new(),
        cond_stack: Vec::new(),
        in_condition: false,
    };

    for (k, _) in cond_entries {
        let b = ev.condition_value(&k.name, k.pos, 0)?;
        ev.note(Severity::Info, ReportKind::Condition, crate::text!("condition `{}` is {b}", k.name), &k.name, k.pos);
    }
    let cond_value = |ev: &Evaluator<'_>, c: &str| !matches!(ev.conditions.get(c), Some((_, CondState::Done(false))));
    for d in &defs {
        if let Some((c, _)) = d.condition {
            if !cond_value(&ev, c) {
                if let Some(info) = ev.resources.get_mut(d.key.name.as_str()) {
                    info.skipped = true;
                }
            }
        }
    }

    let mut resources = Vec::with_capacity(defs.len());
    for d in &defs {
        resources.push(evaluate_resource(&mut ev, d)?);
    }
    check_cycles(&resources, file)?;
    let outputs = evaluate_outputs(&mut ev, optional_map(root, "Outputs", file)?, &cond_names)?;

    let mut report = ev.report;
    if ev.report_truncated {
        report.push(item(
            Severity::Warning,
            ReportKind::Unsupported,
            crate::text!("report truncated after {MAX_REPORT_ITEMS} items"),
            None,
            Pos::default(),
        ));
    }
    Ok(Template {
        description: root.get("Description").and_then(|d| d.as_str()).map(str::to_string),
        parameters: params.resolved,
        resources,
        outputs,
        report,
    })
}

/// Checks a resource's attributes (Type, Properties, Condition, DependsOn).
fn resource_def<'a>(key: &'a Key, def: &'a Node, file: &str) -> CfnResult<ResDef<'a>> {
    let id = &key.name;
    if def.as_map().is_none() {
        return Err(structure(file, key.pos, crate::text!("resource `{id}` must be a mapping with a Type")));
    }
    let resource_type = match def.get("Type") {
        Some(t) => {
            t.as_str().ok_or_else(|| structure(file, t.pos, crate::text!("resource `{id}`: Type must be text")))?
        }
        None => return Err(structure(file, key.pos, crate::text!("resource `{id}` has no Type"))),
    };
    let condition = match def.get("Condition") {
        None => None,
        Some(c) => Some((
            c.as_str().ok_or_else(|| {
                structure(file, c.pos, crate::text!("resource `{id}`: Condition must be a condition name"))
            })?,
            c.pos,
        )),
    };
    let depends_on = match def.get("DependsOn") {
        None => Vec::new(),
        Some(d) => {
            let bad = || {
                structure(
                    file,
                    d.pos,
                    crate::text!("resource `{id}`: DependsOn must be a resource name or a list of them"),
                )
            };
            match d.as_seq() {
                Some(items) => items
                    .iter()
                    .map(|i| i.as_str().map(|s| (s, i.pos)).ok_or_else(bad))
                    .collect::<CfnResult<Vec<_>>>()?,
                None => vec![(d.as_str().ok_or_else(bad)?, d.pos)],
            }
        }
    };
    Ok(ResDef { key, resource_type, properties: def.get("Properties"), condition, depends_on })
}

fn evaluate_resource<'a>(ev: &mut Evaluator<'a>, d: &ResDef<'a>) -> CfnResult<EvaluatedResource> {
    let id = d.key.name.as_str();
    let skipped = ev.resources.get(id).is_some_and(|r| r.skipped);
    let mut out = EvaluatedResource {
        logical_id: id.to_string(),
        resource_type: d.resource_type.to_string(),
        properties: Value::Null,
        depends_on: d.depends_on.iter().map(|(s, _)| s.to_string()).collect(),
        references: Vec::new(),
        condition_skipped: skipped,
        line: d.key.pos.line,
        column: d.key.pos.column,
    };
    if skipped {
        let cond = d.condition.map(|c| c.0).unwrap_or_default();
        ev.note(
            Severity::Info,
            ReportKind::Skipped,
            crate::text!("resource `{id}` skipped: condition `{cond}` is false"),
            id,
            d.key.pos,
        );
        return Ok(out);
    }
    ev.refs.clear();
    ev.refs_seen.clear();
    ev.res_stack.push(id.to_string());
    let props = match d.properties {
        None => Some(Value::Object(Default::default())),
        Some(p) => ev.eval(p, 1)?,
    };
    ev.res_stack.pop();
    out.properties = match props {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(v @ Value::Object(_)) => v,
        Some(_) => {
            let pos = d.properties.map_or(d.key.pos, |p| p.pos);
            return Err(structure(ev.file, pos, crate::text!("resource `{id}`: Properties must be a mapping")));
        }
    };
    out.references = std::mem::take(&mut ev.refs);
    for dep in &out.depends_on {
        if ev.resources.get(dep.as_str()).is_some_and(|r| r.skipped) {
            ev.note(
                Severity::Warning,
                ReportKind::Skipped,
                crate::text!("resource `{id}` depends on `{dep}`, which is skipped"),
                dep,
                d.key.pos,
            );
        }
    }
    Ok(out)
}

/// Fails on circular dependencies among the resources that are not skipped.
fn check_cycles(resources: &[EvaluatedResource], file: &str) -> CfnResult<()> {
    let index: HashMap<&str, usize> = resources
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.condition_skipped)
        .map(|(i, r)| (r.logical_id.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = resources
        .iter()
        .map(|r| {
            let mut e: Vec<usize> =
                r.depends_on.iter().chain(&r.references).filter_map(|n| index.get(n.as_str()).copied()).collect();
            e.dedup();
            if r.condition_skipped {
                e.clear();
            }
            e
        })
        .collect();
    if let Some(cycle) = find_cycle(&edges) {
        let first = &resources[cycle[0]];
        let mut names: Vec<&str> = cycle.iter().map(|&i| resources[i].logical_id.as_str()).collect();
        names.push(&first.logical_id);
        return Err(CfnError::new(
            file,
            Pos::new(first.line, first.column),
            ErrorKind::Cycle,
            crate::text!(
                "circular dependency between resources: {} (through Ref, Fn::GetAtt, Fn::Sub or DependsOn)",
                names.join(" -> ")
            ),
        ));
    }
    Ok(())
}

fn evaluate_outputs<'a>(
    ev: &mut Evaluator<'a>,
    section: Option<&'a Node>,
    cond_names: &HashSet<&str>,
) -> CfnResult<Vec<EvaluatedOutput>> {
    let file = ev.file;
    let mut outputs = Vec::new();
    for (key, def) in section.and_then(Node::as_map).unwrap_or_default() {
        let name = &key.name;
        let Some(value_node) = def.get("Value") else {
            return Err(structure(file, key.pos, crate::text!("output `{name}` has no Value")));
        };
        let skipped = match def.get("Condition") {
            None => false,
            Some(c) => {
                let cname = c.as_str().filter(|c| cond_names.contains(c)).ok_or_else(|| {
                    structure(file, c.pos, crate::text!("output `{name}`: Condition must name a condition"))
                })?;
                !ev.condition_value(cname, c.pos, 0)?
            }
        };
        let mut out = EvaluatedOutput {
            name: name.clone(),
            description: def.get("Description").and_then(|d| d.as_str()).map(str::to_string),
            value: Value::Null,
            export_name: None,
            condition_skipped: skipped,
            line: key.pos.line,
            column: key.pos.column,
        };
        if !skipped {
            out.value = ev.eval(value_node, 1)?.unwrap_or(Value::Null);
            if let Some(export) = def.get("Export") {
                let n = export
                    .get("Name")
                    .ok_or_else(|| structure(file, export.pos, crate::text!("output `{name}`: Export needs a Name")))?;
                out.export_name = ev.eval(n, 1)?;
            }
        }
        outputs.push(out);
    }
    Ok(outputs)
}
