//! Converting a variable's value to its declared type, as Terraform does: `"80"` to a number
//! for `number`, numbers to strings for `map(string)`, lists to sets, and the attributes an
//! `object({…})` declares `optional` filled with their default or null.

use super::error::{Pos, TfError, TfResult};
use super::limits::Budget;
use super::value::{fmt_num, Value};
use hcl_edit::expr::{Expression, ObjectKey};
use std::collections::BTreeMap;

fn mismatch(pos: Pos, want: &str, v: &Value) -> TfError {
    TfError::dynamic(Some(pos), crate::text!("a {want} is required, not {} ({v})", v.type_name()))
}

fn type_name(e: &Expression) -> Option<&str> {
    match e {
        Expression::Variable(v) => Some(v.as_str()),
        Expression::FuncCall(f) => Some(f.name.name.as_str()),
        _ => None,
    }
}

/// Convert `v` to the type `ty` (a type expression such as `list(map(string))`).
pub fn convert(v: Value, ty: &Expression, pos: Pos, budget: &mut Budget) -> TfResult<Value> {
    budget.step(Some(pos))?;
    if v.is_unknown() {
        return Ok(v);
    }
    let arg = |i: usize| -> Option<&Expression> {
        match ty {
            Expression::FuncCall(f) => f.args.iter().nth(i),
            _ => None,
        }
    };
    let Some(name) = type_name(ty) else { return Ok(v) };
    if v.is_null() {
        return Ok(v);
    }
    Ok(match name {
        "any" => v,
        "string" => match v.to_string_lossless() {
            Some(s) => Value::str(s),
            None => return Err(mismatch(pos, "string", &v)),
        },
        "number" => Value::Num(v.to_num().ok_or_else(|| mismatch(pos, "number", &v))?),
        "bool" => Value::Bool(v.to_bool().ok_or_else(|| mismatch(pos, "bool", &v))?),
        "list" | "set" => {
            let items: Vec<Value> = match &v {
                Value::List(x) | Value::Set(x) => x.to_vec(),
                _ => return Err(mismatch(pos, name, &v)),
            };
            let mut out = Vec::with_capacity(items.len());
            for x in items {
                out.push(match arg(0) {
                    Some(t) => convert(x, t, pos, budget)?,
                    None => x,
                });
            }
            if name == "set" {
                Value::set(out)
            } else {
                Value::list(out)
            }
        }
        "map" => {
            let m = v.as_map().ok_or_else(|| mismatch(pos, "map", &v))?.clone();
            let mut out = BTreeMap::new();
            for (k, x) in m {
                out.insert(
                    k,
                    match arg(0) {
                        Some(t) => convert(x, t, pos, budget)?,
                        None => x,
                    },
                );
            }
            Value::map(out)
        }
        "tuple" => {
            let items = v.as_seq().ok_or_else(|| mismatch(pos, "tuple", &v))?.to_vec();
            let types: Vec<&Expression> = match arg(0) {
                Some(Expression::Array(a)) => a.iter().collect(),
                _ => Vec::new(),
            };
            let mut out = Vec::with_capacity(items.len());
            for (i, x) in items.into_iter().enumerate() {
                out.push(match types.get(i) {
                    Some(t) => convert(x, t, pos, budget)?,
                    None => x,
                });
            }
            Value::list(out)
        }
        "object" => {
            let m = v.as_map().ok_or_else(|| mismatch(pos, "object", &v))?.clone();
            let Some(Expression::Object(attrs)) = arg(0) else { return Ok(Value::map(m)) };
            let mut out = m;
            for (k, t) in attrs.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(Expression::Variable(i)) => i.as_str().to_string(),
                    ObjectKey::Expression(Expression::String(s)) => s.as_str().to_string(),
                    ObjectKey::Expression(_) => continue,
                };
                let t = t.expr();
                let optional = type_name(t) == Some("optional");
                let (inner, default) = match t {
                    Expression::FuncCall(f) if optional => (f.args.iter().next(), f.args.iter().nth(1)),
                    other => (Some(other), None),
                };
                match out.remove(&key) {
                    Some(x) if !x.is_null() => {
                        let x = match inner {
                            Some(t) => convert(x, t, pos, budget)?,
                            None => x,
                        };
                        out.insert(key, x);
                    }
                    _ if optional => {
                        let d = match default {
                            Some(e) => constant(e),
                            None => Value::Null,
                        };
                        let d = match (inner, d.is_null()) {
                            (Some(t), false) => convert(d, t, pos, budget)?,
                            _ => d,
                        };
                        out.insert(key, d);
                    }
                    _ => {
                        return Err(TfError::dynamic(
                            Some(pos),
                            crate::text!("the object lacks the required attribute \"{key}\""),
                        ))
                    }
                }
            }
            Value::map(out)
        }
        "optional" => match arg(0) {
            Some(t) => convert(v, t, pos, budget)?,
            None => v,
        },
        _ => v,
    })
}

/// The value of a literal expression (an `optional` default): numbers, strings, bools, null,
/// lists and objects of them.
pub fn constant(e: &Expression) -> Value {
    match e {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => Value::Bool(**b),
        Expression::Number(n) => Value::Num(n.as_f64().unwrap_or(0.0)),
        Expression::String(s) => Value::str(s.as_str()),
        Expression::Array(a) => Value::list(a.iter().map(constant).collect()),
        Expression::Object(o) => Value::map(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(x) => constant(x).to_string_lossless().unwrap_or_default(),
                    };
                    (key, constant(v.expr()))
                })
                .collect(),
        ),
        Expression::Parenthesis(p) => constant(p.inner()),
        Expression::UnaryOp(u) => match constant(&u.expr) {
            Value::Num(n) => Value::Num(-n),
            Value::Bool(b) => Value::Bool(!b),
            other => other,
        },
        _ => Value::unknown("a default that is not a literal"),
    }
}

/// `"80"` for a number given where text is expected, for messages.
pub fn show(v: &Value) -> String {
    match v {
        Value::Num(n) => fmt_num(*n),
        other => other.to_string(),
    }
}
