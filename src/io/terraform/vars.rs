//! The root module's variable values, in Terraform's precedence (each later source wins):
//! `TF_VAR_name` environment variables, `terraform.tfvars`, `terraform.tfvars.json`,
//! `*.auto.tfvars(.json)` in name order, then `--var` and `--var-file` in the order given.
//! Defaults apply only where none of these gives a value.

use super::error::{Pos, Sources, TfError, TfResult};
use super::eval::Scope;
use super::graph::Evaluator;
use super::limits::Limits;
use super::parse::{hcl_body, read_text, Variable};
use super::value::Value;
use hcl_edit::expr::{Expression, ObjectKey, UnaryOperator};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A value given on the command line, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarInput {
    /// `--var NAME=VALUE`.
    Var(String),
    /// `--var-file FILE`.
    File(PathBuf),
}

/// Whether an expression is a plain literal (a number, a quoted string, a list or object of
/// them): `--var` and `--assume` values are read as HCL only then, else as bare strings.
fn literal(e: &Expression) -> bool {
    match e {
        Expression::Null(_) | Expression::Bool(_) | Expression::Number(_) | Expression::String(_) => true,
        Expression::Array(a) => a.iter().all(literal),
        Expression::Object(o) => o.iter().all(|(k, v)| {
            matches!(k, ObjectKey::Ident(_) | ObjectKey::Expression(Expression::String(_))) && literal(v.expr())
        }),
        Expression::Parenthesis(p) => literal(p.inner()),
        Expression::UnaryOp(u) => *u.operator.value() == UnaryOperator::Neg && matches!(u.expr, Expression::Number(_)),
        _ => false,
    }
}

/// A command-line value: HCL when it is a literal, else the text itself (`10.0.0.0/16`,
/// `2a05:d018::/56`, `eu-west-1a`). `primitive` is true for string/number/bool variables,
/// whose values Terraform always takes as text.
pub fn cli_value(text: &str, primitive: bool) -> Value {
    if primitive {
        return Value::str(text);
    }
    match hcl_edit::parser::parse_expr(text) {
        Ok(e) if literal(&e) => super::types::constant(&e),
        _ => Value::str(text),
    }
}

fn is_primitive(v: &Variable) -> bool {
    matches!(&v.ty, Some(a) if matches!(&a.expr, Expression::Variable(t) if matches!(t.as_str(), "string" | "number" | "bool")))
}

/// A value before evaluation: `.tfvars` expressions wait for the evaluator.
#[derive(Debug, Clone)]
pub enum Given {
    Value(Value),
    Expr(super::parse::Attr),
}

/// One variable setting, with where it came from.
#[derive(Debug, Clone)]
pub struct Pending {
    pub name: String,
    pub given: Given,
    pub from: crate::l10n::Text,
}

/// Read a `.tfvars` (HCL) or `.tfvars.json` file.
fn read_file(path: &Path, sources: &mut Sources, limits: &Limits) -> TfResult<Vec<(String, Given)>> {
    let mut total = 0;
    let (id, text) = read_text(path, sources, limits, &mut total)?;
    let at = Pos { file: id, offset: 0 };
    if path.extension().is_some_and(|e| e == "json") {
        let j: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| TfError::fatal(Some(at), crate::text!("JSON syntax error: {e}")))?;
        let obj = j
            .as_object()
            .ok_or_else(|| TfError::fatal(Some(at), crate::text!("a .tfvars.json file must hold a JSON object")))?;
        return Ok(obj.iter().map(|(k, v)| (k.clone(), Given::Value(Value::from_json(v)))).collect());
    }
    let body = hcl_body(&text, id)?;
    if let Some(b) = body.blocks.first() {
        return Err(TfError::fatal(Some(b.pos), crate::text!("a .tfvars file holds only `name = value` lines")));
    }
    Ok(body.attrs.into_iter().map(|a| (a.name.clone(), Given::Expr(a))).collect())
}

/// Gather the root variables' settings in precedence order (later wins); `warnings` gets
/// (subject, detail) for settings of undeclared variables in files.
pub fn gather(
    root: &Path,
    variables: &[Variable],
    inputs: &[VarInput],
    env: &[(String, String)],
    sources: &mut Sources,
    limits: &Limits,
    warnings: &mut Vec<(String, crate::l10n::Text)>,
) -> TfResult<Vec<Pending>> {
    let declared = |n: &str| variables.iter().find(|v| v.name == n);
    let mut out = Vec::new();
    for (k, text) in env {
        if let Some(name) = k.strip_prefix("TF_VAR_") {
            if let Some(v) = declared(name) {
                let given = Given::Value(cli_value(text, is_primitive(v)));
                out.push(Pending { name: name.to_string(), given, from: crate::text!("environment variable {k}") });
            }
        }
    }
    let mut files: Vec<PathBuf> =
        ["terraform.tfvars", "terraform.tfvars.json"].iter().map(|f| root.join(f)).filter(|p| p.is_file()).collect();
    let mut auto: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json"))
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    files.extend(auto);
    let mut ordered: Vec<VarInput> = files.into_iter().map(VarInput::File).collect();
    ordered.extend(inputs.iter().cloned());
    for input in ordered {
        match input {
            VarInput::Var(text) => {
                let (name, value) = text.split_once('=').filter(|(n, _)| !n.trim().is_empty()).ok_or_else(|| {
                    TfError::fatal(
                        None,
                        crate::text!("--var {text:?}: expected NAME=VALUE, e.g. --var cidr=10.0.0.0/16"),
                    )
                })?;
                let name = name.trim();
                let Some(decl) = declared(name) else {
                    return Err(TfError::fatal(
                        None,
                        crate::text!("--var {name}: the root module declares no variable \"{name}\""),
                    ));
                };
                let given = Given::Value(cli_value(value, is_primitive(decl)));
                out.push(Pending { name: name.to_string(), given, from: format!("--var {name}").into() });
            }
            VarInput::File(path) => {
                for (name, given) in read_file(&path, sources, limits)? {
                    if declared(&name).is_none() {
                        warnings.push((
                            format!("var.{name}"),
                            crate::text!(
                                "{} sets it, but the root module does not declare it: ignored",
                                path.display()
                            ),
                        ));
                        continue;
                    }
                    out.push(Pending { name, given, from: path.display().to_string().into() });
                }
            }
        }
    }
    Ok(out)
}

/// Evaluate gathered settings: name → (value, where from); later settings win.
pub fn evaluate(pending: &[Pending], ev: &mut Evaluator) -> TfResult<HashMap<String, (Value, crate::l10n::Text)>> {
    let mut values = HashMap::new();
    for p in pending {
        let v = match &p.given {
            Given::Value(v) => v.clone(),
            Given::Expr(a) => {
                let mut sc = Scope::new(0, a.pos.file);
                sc.constant = true;
                ev.expr(&a.expr, &mut sc)?
            }
        };
        values.insert(p.name.clone(), (v, p.from.clone()));
    }
    Ok(values)
}
