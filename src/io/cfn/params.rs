//! Parameter resolution: overrides, defaults, list types, SSM and external ids.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::aws::looks_like_resource_id;
use super::error::{CfnError, CfnResult, ErrorKind};
use super::markers::SSM;
use super::node::{Node, Pos};
use super::types::{EvalOptions, ParamSource, ReportItem, ReportKind, ResolvedParameter, Severity};

/// Most external references listed per parameter.
const MAX_IDS_PER_PARAM: usize = 100;

/// Parameters ready for `Ref`.
pub(crate) struct Params {
    /// Name → value as `Ref` returns it.
    pub(crate) values: HashMap<String, Value>,
    /// Public view, template order.
    pub(crate) resolved: Vec<ResolvedParameter>,
}

pub(crate) fn item(
    severity: Severity,
    kind: ReportKind,
    message: impl Into<crate::l10n::Text>,
    subject: Option<String>,
    pos: Pos,
) -> ReportItem {
    ReportItem { severity, kind, message: message.into(), subject, line: pos.line, column: pos.column }
}

/// Resolves the `Parameters` section against the overrides in `opts`.
pub(crate) fn resolve_params(
    section: Option<&Node>,
    opts: &EvalOptions,
    file: &str,
    report: &mut Vec<ReportItem>,
) -> CfnResult<Params> {
    let mut out = Params { values: HashMap::new(), resolved: Vec::new() };
    let entries = match section {
        None => &[][..],
        Some(n) => n.as_map().ok_or_else(|| {
            CfnError::new(file, n.pos, ErrorKind::Structure, crate::text!("Parameters must be a mapping"))
        })?,
    };
    for (key, def) in entries {
        let name = key.name.as_str();
        let perr = |msg: crate::l10n::Text| CfnError::new(file, key.pos, ErrorKind::Parameter, msg);
        if def.as_map().is_none() {
            return Err(perr(crate::text!("parameter `{name}` must be a mapping with a Type")));
        }
        let ty = match def.get("Type").map(|t| t.as_str()) {
            Some(Some(t)) => t.to_string(),
            _ => return Err(perr(crate::text!("parameter `{name}` has no Type"))),
        };
        let (text, source) = match (opts.params.get(name), def.get("Default")) {
            (Some(v), _) => (v.clone(), ParamSource::Override),
            (None, Some(d)) => (default_text(d), ParamSource::Default),
            (None, None) => {
                return Err(perr(crate::text!(
                    "parameter `{name}` ({ty}) has no value: the template gives no Default and no override was passed (use --param {name}=VALUE)"
                )))
            }
        };
        check_allowed(name, &ty, &text, def, key.pos, report);
        let value = typed_value(name, &ty, &text, key.pos, report);
        report_external(name, &ty, &value, key.pos, report);
        out.values.insert(name.to_string(), value.clone());
        out.resolved.push(ResolvedParameter {
            name: name.to_string(),
            param_type: ty,
            value,
            source,
            line: key.pos.line,
            column: key.pos.column,
        });
    }
    for name in opts.params.keys() {
        if !out.values.contains_key(name) {
            report.push(item(
                Severity::Warning,
                ReportKind::Parameter,
                crate::text!("override `{name}` does not match any parameter of the template"),
                Some(name.clone()),
                Pos::default(),
            ));
        }
    }
    Ok(out)
}

/// A `Default` as text (lists are joined with commas, as CloudFormation accepts them).
fn default_text(d: &Node) -> String {
    match d.as_seq() {
        Some(items) => items.iter().filter_map(Node::scalar_text).collect::<Vec<_>>().join(","),
        None => d.scalar_text().unwrap_or_default(),
    }
}

fn is_list_type(ty: &str) -> bool {
    ty == "CommaDelimitedList" || ty.starts_with("List<")
}

fn typed_value(name: &str, ty: &str, text: &str, pos: Pos, report: &mut Vec<ReportItem>) -> Value {
    if ty.starts_with("AWS::SSM::Parameter::Value<") {
        report.push(item(
            Severity::Info,
            ReportKind::SsmParameter,
            crate::text!("parameter `{name}` is read from SSM parameter `{text}` at deploy time"),
            Some(text.to_string()),
            pos,
        ));
        return json!({ SSM: text });
    }
    if ty == "Number" && text.trim().parse::<f64>().is_err() {
        report.push(item(
            Severity::Warning,
            ReportKind::Parameter,
            crate::text!("parameter `{name}` is a Number but its value `{text}` is not a number"),
            Some(name.to_string()),
            pos,
        ));
    }
    if is_list_type(ty) {
        if text.trim().is_empty() {
            return Value::Array(Vec::new());
        }
        return Value::Array(text.split(',').map(|s| Value::String(s.trim().to_string())).collect());
    }
    if !matches!(ty, "String" | "Number" | "CommaDelimitedList") && !ty.starts_with("AWS::") && !ty.starts_with("List<")
    {
        report.push(item(
            Severity::Warning,
            ReportKind::Unsupported,
            crate::text!("parameter `{name}` has unknown Type `{ty}`; treated as String"),
            Some(name.to_string()),
            pos,
        ));
    }
    Value::String(text.to_string())
}

fn check_allowed(name: &str, ty: &str, text: &str, def: &Node, pos: Pos, report: &mut Vec<ReportItem>) {
    let Some(allowed) = def.get("AllowedValues").and_then(Node::as_seq) else {
        return;
    };
    let allowed: Vec<String> = allowed.iter().filter_map(Node::scalar_text).collect();
    let values: Vec<&str> = if is_list_type(ty) { text.split(',').map(str::trim).collect() } else { vec![text] };
    for v in values {
        if !allowed.iter().any(|a| a == v) {
            report.push(item(
                Severity::Warning,
                ReportKind::Parameter,
                crate::text!("parameter `{name}` value `{v}` is not one of its AllowedValues [{}]", allowed.join(", ")),
                Some(name.to_string()),
                pos,
            ));
        }
    }
}

/// Reports ids of things outside the template: values of `AWS::…` typed parameters
/// and anything shaped like a resource id.
fn report_external(name: &str, ty: &str, value: &Value, pos: Pos, report: &mut Vec<ReportItem>) {
    let aws_typed = (ty.starts_with("AWS::") || ty.starts_with("List<AWS::")) && !ty.starts_with("AWS::SSM::");
    let items: Vec<&str> = match value {
        Value::String(s) => s.split(',').map(str::trim).collect(),
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut reported = 0;
    for id in items {
        if id.is_empty() || !(aws_typed || looks_like_resource_id(id)) {
            continue;
        }
        reported += 1;
        if reported > MAX_IDS_PER_PARAM {
            report.push(item(
                Severity::Warning,
                ReportKind::ExternalReference,
                crate::text!(
                    "parameter `{name}`: more than {MAX_IDS_PER_PARAM} external references, the rest not listed"
                ),
                Some(name.to_string()),
                pos,
            ));
            break;
        }
        report.push(item(
            Severity::Info,
            ReportKind::ExternalReference,
            crate::text!("external reference {id} (parameter `{name}`, {ty})"),
            Some(id.to_string()),
            pos,
        ));
    }
}
