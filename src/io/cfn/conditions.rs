//! `Conditions`: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` and `Condition`.

use serde_json::Value;

use super::error::{CfnResult, ErrorKind};
use super::eval::{CondState, Evaluator};
use super::markers::contains_marker;
use super::node::{Node, Pos};
use super::types::{ReportKind, Severity};

const EXPECTED: &str = "expected a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)";

impl<'a> Evaluator<'a> {
    /// The value of the named condition, evaluated once.
    pub(crate) fn condition_value(&mut self, name: &str, pos: Pos, depth: usize) -> CfnResult<bool> {
        let Some((&key, &(node, state))) = self.conditions.get_key_value(name) else {
            return Err(self.err(
                pos,
                ErrorKind::Structure,
                crate::text!("no condition named `{name}` in the Conditions section"),
            ));
        };
        match state {
            CondState::Done(b) => return Ok(b),
            CondState::InProgress => {
                let i = self.cond_stack.iter().position(|c| c == name).unwrap_or(0);
                let mut chain = self.cond_stack[i..].to_vec();
                chain.push(name.to_string());
                return Err(self.err(
                    pos,
                    ErrorKind::Cycle,
                    crate::text!("circular condition: {}", chain.join(" -> ")),
                ));
            }
            CondState::Pending => {}
        }
        self.conditions.insert(key, (node, CondState::InProgress));
        self.cond_stack.push(key.to_string());
        let saved = std::mem::replace(&mut self.in_condition, true);
        let r = self.eval_condition(node, depth + 1);
        self.in_condition = saved;
        self.cond_stack.pop();
        let b = r?;
        self.conditions.insert(key, (node, CondState::Done(b)));
        Ok(b)
    }

    /// Evaluates a condition expression node.
    pub(crate) fn eval_condition(&mut self, node: &'a Node, depth: usize) -> CfnResult<bool> {
        self.budget.step(self.file, node.pos)?;
        self.budget.depth(self.file, node.pos, depth)?;
        match node.as_map() {
            Some([(key, arg)]) => self.condition_fn(&key.name, arg, key.pos, depth + 1),
            _ => Err(self.err(node.pos, ErrorKind::Intrinsic, EXPECTED)),
        }
    }

    /// Evaluates one condition function given its name and argument.
    pub(crate) fn condition_fn(&mut self, name: &str, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<bool> {
        self.budget.depth(self.file, pos, depth)?;
        match name {
            "Condition" => match arg.as_str() {
                Some(c) => self.condition_value(c, pos, depth + 1),
                None => Err(self.err(pos, ErrorKind::Intrinsic, crate::text!("Condition expects a condition name"))),
            },
            "Fn::Not" => match arg.as_seq() {
                Some([c]) => Ok(!self.eval_condition(c, depth + 1)?),
                _ => Err(self.err(pos, ErrorKind::Intrinsic, crate::text!("Fn::Not expects [condition]"))),
            },
            "Fn::And" | "Fn::Or" => {
                let items = match arg.as_seq() {
                    Some(items) if !items.is_empty() => items,
                    _ => {
                        return Err(self.err(
                            pos,
                            ErrorKind::Intrinsic,
                            crate::text!("{name} expects a list of conditions"),
                        ))
                    }
                };
                let mut acc = name == "Fn::And";
                for c in items {
                    let b = self.eval_condition(c, depth + 1)?;
                    acc = if name == "Fn::And" { acc && b } else { acc || b };
                }
                Ok(acc)
            }
            "Fn::Equals" => {
                const USAGE: &str = "Fn::Equals expects [value, value]";
                let Some([a, b]) = arg.as_seq() else {
                    return Err(self.err(pos, ErrorKind::Intrinsic, USAGE));
                };
                let a = self.eval_value(a, depth + 1, USAGE)?;
                let b = self.eval_value(b, depth + 1, USAGE)?;
                if contains_marker(&a) || contains_marker(&b) {
                    self.note(
                        Severity::Warning,
                        ReportKind::Condition,
                        "Fn::Equals compares a value only known at deploy time; assumed false".to_string(),
                        "Fn::Equals",
                        pos,
                    );
                    return Ok(false);
                }
                Ok(loose_eq(&a, &b))
            }
            _ => Err(self.err(pos, ErrorKind::Intrinsic, EXPECTED)),
        }
    }
}

/// Equality where scalars compare by their text (`"2"` equals `2`).
fn loose_eq(a: &Value, b: &Value) -> bool {
    fn text(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| loose_eq(p, q)),
        _ => match (text(a), text(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}
