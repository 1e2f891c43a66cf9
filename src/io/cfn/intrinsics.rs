//! The intrinsic functions other than `Ref` and `Fn::GetAtt` (see `eval.rs`).

use crate::l10n::AsText;
use std::collections::HashMap;

use serde_json::{json, Value};

use super::aws;
use super::error::{CfnResult, ErrorKind};
use super::eval::{approx_size, Evaluator};
use super::markers::{is_marker, parse_marker_text, stringify, unresolved, IMPORT};
use super::node::{Node, NodeKind, Pos};
use super::types::{ReportKind, Severity};

/// A non-negative integer from a number or numeric text.
fn as_index(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Short text of a value for messages.
fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

impl<'a> Evaluator<'a> {
    /// The argument list of an intrinsic, checking its length.
    fn args(&self, arg: &'a Node, lens: &[usize], pos: Pos, usage: &'static str) -> CfnResult<&'a [Node]> {
        match arg.as_seq() {
            Some(items) if lens.contains(&items.len()) => Ok(items),
            _ => Err(self.err(pos, ErrorKind::Intrinsic, usage)),
        }
    }

    /// `Fn::If`: only the chosen branch is evaluated.
    pub(crate) fn fn_if(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Option<Value>> {
        const USAGE: &str = "Fn::If expects [condition name, value if true, value if false]";
        let [c, t, f] = self.args(arg, &[3], pos, USAGE)? else { unreachable!() };
        let Some(name) = c.as_str() else {
            return Err(self.err(c.pos, ErrorKind::Intrinsic, USAGE));
        };
        let b = self.condition_value(name, c.pos, depth + 1)?;
        self.eval(if b { t } else { f }, depth + 1)
    }

    /// `Fn::Sub` with `${Name}`, `${Res.Attr}`, `${!Literal}` and a variable map.
    pub(crate) fn fn_sub(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        const USAGE: &str = "Fn::Sub expects a string or [string, {variables}]";
        let usage_err = || self.err(pos, ErrorKind::Intrinsic, USAGE);
        let (template, vars_node) = match &arg.kind {
            NodeKind::Str(s) => (s.as_str(), None),
            NodeKind::Seq(items) => match items.as_slice() {
                [t] => (t.as_str().ok_or_else(usage_err)?, None),
                [t, v] if v.as_map().is_some() => (t.as_str().ok_or_else(usage_err)?, Some(v)),
                _ => return Err(usage_err()),
            },
            _ => return Err(usage_err()),
        };
        let mut vars: HashMap<&str, Value> = HashMap::new();
        for (k, v) in vars_node.and_then(Node::as_map).unwrap_or_default() {
            let val = self.eval_value(v, depth + 1, "Fn::Sub variables must have values")?;
            vars.insert(k.name.as_str(), val);
        }
        let mut out = String::new();
        let mut rest = template;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            if let Some(lit) = after.strip_prefix('!') {
                out.push_str("${");
                rest = lit;
                continue;
            }
            let Some(j) = after.find('}') else {
                out.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let name = after[..j].trim();
            rest = &after[j + 1..];
            let text = self.sub_var(name, &vars, pos, depth)?;
            out.push_str(&text);
            self.budget.charge(self.file, pos, text.len() as u64)?;
        }
        out.push_str(rest);
        self.budget.charge(self.file, pos, out.len() as u64 + 16)?;
        Ok(Value::String(out))
    }

    /// The text for `${name}` in `Fn::Sub`.
    fn sub_var(&mut self, name: &str, vars: &HashMap<&str, Value>, pos: Pos, depth: usize) -> CfnResult<String> {
        if name.is_empty() {
            return Err(self.err(pos, ErrorKind::Intrinsic, crate::text!("Fn::Sub: empty `${{}}`")));
        }
        let v = if let Some(v) = vars.get(name) {
            v.clone()
        } else if let (Some((res, attr)), false) = (name.split_once('.'), name.starts_with("AWS::")) {
            if !self.resources.contains_key(res) {
                return Err(self.err(
                    pos,
                    ErrorKind::Intrinsic,
                    crate::text!("Fn::Sub: `${{{name}}}` is not a variable, parameter or resource attribute"),
                ));
            }
            self.resolve_getatt(res, attr, pos, depth + 1)?
        } else {
            match self.resolve_name(name, pos, "Fn::Sub")? {
                Some(v) => v,
                None => {
                    return Err(self.err(
                        pos,
                        ErrorKind::Intrinsic,
                        crate::text!("Fn::Sub: `${{AWS::NoValue}}` cannot be substituted"),
                    ))
                }
            }
        };
        stringify(&v).ok_or_else(|| {
            self.err(pos, ErrorKind::Intrinsic, crate::text!("Fn::Sub: `${{{name}}}` is {}, not text", show(&v)))
        })
    }

    /// `Fn::Join`.
    pub(crate) fn fn_join(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        const USAGE: &str = "Fn::Join expects [delimiter, [values]]";
        let [d, l] = self.args(arg, &[2], pos, USAGE)? else { unreachable!() };
        let delim = self.eval_value(d, depth + 1, USAGE)?;
        let Some(delim) = delim.as_str() else {
            return Err(self.err(d.pos, ErrorKind::Intrinsic, USAGE));
        };
        let list = self.eval_value(l, depth + 1, USAGE)?;
        let items = match list {
            Value::Array(items) => items,
            v if is_marker(&v) => return Ok(unresolved("Fn::Join", vec![delim.into(), v])),
            _ => return Err(self.err(l.pos, ErrorKind::Intrinsic, USAGE)),
        };
        let mut parts = Vec::with_capacity(items.len());
        for it in &items {
            parts.push(stringify(it).ok_or_else(|| {
                self.err(
                    l.pos,
                    ErrorKind::Intrinsic,
                    crate::text!("Fn::Join: list items must be text, got {}", show(it)),
                )
            })?);
        }
        let total: usize = parts.iter().map(String::len).sum::<usize>() + delim.len() * parts.len().saturating_sub(1);
        self.budget.charge(self.file, pos, total as u64 + 16)?;
        Ok(Value::String(parts.join(delim)))
    }

    /// `Fn::Select`.
    pub(crate) fn fn_select(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Option<Value>> {
        const USAGE: &str = "Fn::Select expects [index, list]";
        let [i, l] = self.args(arg, &[2], pos, USAGE)? else { unreachable!() };
        let idx = self.eval_value(i, depth + 1, USAGE)?;
        let list = self.eval_value(l, depth + 1, USAGE)?;
        if is_marker(&idx) || is_marker(&list) {
            return Ok(Some(unresolved("Fn::Select", vec![idx, list])));
        }
        let Some(n) = as_index(&idx) else {
            return Err(self.err(
                i.pos,
                ErrorKind::Intrinsic,
                crate::text!("Fn::Select index must be a non-negative integer, got {}", show(&idx)),
            ));
        };
        let Value::Array(items) = list else {
            return Err(self.err(
                l.pos,
                ErrorKind::Intrinsic,
                crate::text!("{USAGE}; the second item is {}, not a list", show(&list)),
            ));
        };
        let len = items.len();
        let Some(v) = usize::try_from(n).ok().and_then(|n| items.into_iter().nth(n)) else {
            return Err(self.err(
                pos,
                ErrorKind::Intrinsic,
                crate::text!("Fn::Select index {n} is out of range for a list of {len} items"),
            ));
        };
        self.charge_value(pos, &v)?;
        Ok(Some(v))
    }

    /// `Fn::Split`. Pieces that are exactly one marker substring become object markers.
    pub(crate) fn fn_split(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        const USAGE: &str = "Fn::Split expects [delimiter, string]";
        let [d, s] = self.args(arg, &[2], pos, USAGE)? else { unreachable!() };
        let delim = self.eval_value(d, depth + 1, USAGE)?;
        let delim = match delim.as_str() {
            Some(x) if !x.is_empty() => x.to_string(),
            _ => {
                return Err(self.err(
                    d.pos,
                    ErrorKind::Intrinsic,
                    crate::text!("Fn::Split delimiter must be non-empty text"),
                ))
            }
        };
        let source = self.eval_value(s, depth + 1, USAGE)?;
        if is_marker(&source) {
            return Ok(unresolved("Fn::Split", vec![delim.into(), source]));
        }
        let Some(text) = stringify(&source) else {
            return Err(self.err(s.pos, ErrorKind::Intrinsic, crate::text!("{USAGE}; got {}", show(&source))));
        };
        let pieces = text.matches(delim.as_str()).count() as u64 + 1;
        self.budget.charge(self.file, pos, pieces * 16 + text.len() as u64)?;
        Ok(Value::Array(
            text.split(delim.as_str())
                .map(|p| parse_marker_text(p).unwrap_or_else(|| Value::String(p.to_string())))
                .collect(),
        ))
    }

    /// `Fn::GetAZs`.
    pub(crate) fn fn_getazs(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        const USAGE: &str = "Fn::GetAZs expects a region name or ''";
        let region = self.eval_value(arg, depth + 1, USAGE)?;
        let region = match region {
            Value::Null => self.opts.region.clone(),
            Value::String(s) if s.is_empty() => self.opts.region.clone(),
            Value::String(s) => s,
            v if is_marker(&v) => return Ok(unresolved("Fn::GetAZs", vec![v])),
            _ => return Err(self.err(pos, ErrorKind::Intrinsic, USAGE)),
        };
        Ok(Value::Array(aws::availability_zones(&region).into_iter().map(Value::String).collect()))
    }

    /// `Fn::Cidr`.
    pub(crate) fn fn_cidr(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        const USAGE: &str = "Fn::Cidr expects [ipBlock, count, cidrBits]";
        let [ip, c, b] = self.args(arg, &[3], pos, USAGE)? else { unreachable!() };
        let ip_v = self.eval_value(ip, depth + 1, USAGE)?;
        let c_v = self.eval_value(c, depth + 1, USAGE)?;
        let b_v = self.eval_value(b, depth + 1, USAGE)?;
        if is_marker(&ip_v) || is_marker(&c_v) || is_marker(&b_v) {
            return Ok(unresolved("Fn::Cidr", vec![ip_v, c_v, b_v]));
        }
        let Some(block) = ip_v.as_str() else {
            return Err(self.err(ip.pos, ErrorKind::Intrinsic, crate::text!("{USAGE}; ipBlock must be text")));
        };
        let (Some(count), Some(bits)) = (as_index(&c_v), as_index(&b_v)) else {
            return Err(self.err(
                pos,
                ErrorKind::Intrinsic,
                crate::text!("{USAGE}; count and cidrBits must be non-negative integers"),
            ));
        };
        let list = aws::cidr_split(block, count, bits)
            .map_err(|m| self.err(pos, ErrorKind::Intrinsic, crate::text!("Fn::Cidr: {m}").with("m", m.as_text())))?;
        Ok(Value::Array(list.into_iter().map(Value::String).collect()))
    }

    /// `Fn::FindInMap`, with the optional `{DefaultValue: …}` fourth argument.
    pub(crate) fn fn_findinmap(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        const USAGE: &str = "Fn::FindInMap expects [map name, top-level key, second-level key]";
        let items = self.args(arg, &[3, 4], pos, USAGE)?;
        let mut keys = Vec::with_capacity(3);
        let mut raw = Vec::with_capacity(3);
        for it in &items[..3] {
            let v = self.eval_value(it, depth + 1, USAGE)?;
            keys.push(stringify(&v).ok_or_else(|| {
                self.err(it.pos, ErrorKind::Intrinsic, crate::text!("{USAGE}; keys must be text, got {}", show(&v)))
            })?);
            raw.push(v);
        }
        if raw.iter().any(is_marker) {
            return Ok(unresolved("Fn::FindInMap", raw));
        }
        let default = match items.get(3) {
            None => None,
            Some(d) => Some(d.get("DefaultValue").ok_or_else(|| {
                self.err(
                    d.pos,
                    ErrorKind::Intrinsic,
                    crate::text!("Fn::FindInMap fourth argument must be {{DefaultValue: value}}"),
                )
            })?),
        };
        let (m, top, second) = (&keys[0], &keys[1], &keys[2]);
        let found = match self.mappings {
            None => None,
            Some(ms) => self.lookup(ms, m, pos)?,
        };
        let found = match found {
            None => Err(format!("Fn::FindInMap: no mapping named `{m}`")),
            Some(map) => match self.lookup(map, top, pos)? {
                None => Err(format!("Fn::FindInMap: mapping `{m}` has no key `{top}`")),
                Some(level) => self
                    .lookup(level, second, pos)?
                    .ok_or_else(|| format!("Fn::FindInMap: mapping `{m}` key `{top}` has no `{second}`")),
            },
        };
        match (found, default) {
            (Ok(node), _) => {
                self.budget.charge(self.file, pos, node.count() as u64 * 16)?;
                let v = node.to_json();
                self.budget.charge(self.file, pos, approx_size(&v))?;
                Ok(v)
            }
            (Err(_), Some(d)) => self.eval_value(d, depth + 1, USAGE),
            (Err(msg), None) => Err(self.err(pos, ErrorKind::Intrinsic, msg)),
        }
    }

    /// `Fn::Base64`: the text is kept as is (not encoded) so it stays readable.
    pub(crate) fn fn_base64(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        const USAGE: &str = "Fn::Base64 expects text";
        let v = self.eval_value(arg, depth + 1, USAGE)?;
        if v.is_string() || is_marker(&v) {
            Ok(v)
        } else {
            Err(self.err(pos, ErrorKind::Intrinsic, crate::text!("{USAGE}, got {}", show(&v))))
        }
    }

    /// `Fn::ImportValue`: a `$import` marker plus a report item.
    pub(crate) fn fn_importvalue(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        const USAGE: &str = "Fn::ImportValue expects an export name";
        if self.in_condition {
            return Err(self.err(
                pos,
                ErrorKind::Intrinsic,
                crate::text!("Fn::ImportValue is not allowed in Conditions"),
            ));
        }
        let v = self.eval_value(arg, depth + 1, USAGE)?;
        let Some(name) = stringify(&v) else {
            return Err(self.err(pos, ErrorKind::Intrinsic, crate::text!("{USAGE}, got {}", show(&v))));
        };
        self.note(
            Severity::Info,
            ReportKind::ImportValue,
            crate::text!("Fn::ImportValue `{name}`: exported by another stack, known only at deploy time"),
            &name,
            pos,
        );
        Ok(json!({ IMPORT: name }))
    }

    /// `Fn::Length`.
    pub(crate) fn fn_length(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        const USAGE: &str = "Fn::Length expects a list";
        match self.eval_value(arg, depth + 1, USAGE)? {
            Value::Array(a) => Ok(Value::from(a.len())),
            v if is_marker(&v) => Ok(unresolved("Fn::Length", vec![v])),
            _ => Err(self.err(pos, ErrorKind::Intrinsic, USAGE)),
        }
    }

    /// `Fn::ToJsonString`.
    pub(crate) fn fn_tojsonstring(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        let v = self.eval_value(arg, depth + 1, "Fn::ToJsonString expects a value")?;
        let s = v.to_string();
        self.budget.charge(self.file, pos, s.len() as u64)?;
        Ok(Value::String(s))
    }
}
