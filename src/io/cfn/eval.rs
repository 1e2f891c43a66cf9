//! The evaluator: walks [`Node`]s, resolves `Ref` / `Fn::GetAtt`, dispatches the other
//! intrinsics (see `intrinsics.rs`) and conditions (see `conditions.rs`).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::aws;
use super::error::{CfnError, CfnResult, ErrorKind};
use super::limits::Budget;
use super::markers::{getatt_marker, ref_marker};
use super::node::{Key, Node, NodeKind, Pos};
use super::params::item;
use super::types::{EvalOptions, ReportItem, ReportKind, Severity};

/// Evaluation state of a named condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CondState {
    Pending,
    InProgress,
    Done(bool),
}

/// What the evaluator knows about a resource.
pub(crate) struct ResInfo<'a> {
    pub(crate) resource_type: &'a str,
    pub(crate) properties: Option<&'a Node>,
    pub(crate) skipped: bool,
}

/// Everything needed to evaluate values of one template.
pub(crate) struct Evaluator<'a> {
    pub(crate) file: &'a str,
    pub(crate) opts: &'a EvalOptions,
    pub(crate) params: HashMap<String, Value>,
    pub(crate) mappings: Option<&'a Node>,
    pub(crate) conditions: HashMap<&'a str, (&'a Node, CondState)>,
    pub(crate) resources: HashMap<&'a str, ResInfo<'a>>,
    pub(crate) budget: Budget,
    pub(crate) report: Vec<ReportItem>,
    /// Items already in `report` (duplicates are dropped).
    pub(crate) report_seen: HashSet<ReportItem>,
    /// Set when items were dropped because the report is full.
    pub(crate) report_truncated: bool,
    /// Resources referred to by the value being evaluated, in first-use order.
    pub(crate) refs: Vec<String>,
    /// The same names, for constant-time membership.
    pub(crate) refs_seen: HashSet<String>,
    /// Resources whose properties are being evaluated (for `Fn::GetAtt` cycles).
    pub(crate) res_stack: Vec<String>,
    /// Conditions being evaluated (for condition cycles).
    pub(crate) cond_stack: Vec<String>,
    /// True inside the `Conditions` section, where only parameters may be referred to.
    pub(crate) in_condition: bool,
}

/// Most report items kept; more are summarized in one final item.
pub(crate) const MAX_REPORT_ITEMS: usize = 10_000;

/// Attributes whose value the template itself determines: (type, attribute, property).
const DERIVABLE: &[(&str, &str, &str)] = &[
    ("AWS::EC2::VPC", "CidrBlock", "CidrBlock"),
    ("AWS::EC2::Subnet", "CidrBlock", "CidrBlock"),
    ("AWS::EC2::Subnet", "AvailabilityZone", "AvailabilityZone"),
    ("AWS::EC2::Subnet", "VpcId", "VpcId"),
    ("AWS::EC2::SecurityGroup", "VpcId", "VpcId"),
];

/// True for keys that make a one-key mapping an intrinsic function in value context.
pub(crate) fn is_intrinsic_key(name: &str) -> bool {
    name == "Ref" || name.starts_with("Fn::")
}

impl<'a> Evaluator<'a> {
    pub(crate) fn err(&self, pos: Pos, kind: ErrorKind, msg: impl Into<crate::l10n::Text>) -> CfnError {
        CfnError::new(self.file, pos, kind, msg)
    }

    pub(crate) fn note(
        &mut self,
        severity: Severity,
        kind: ReportKind,
        msg: impl Into<crate::l10n::Text>,
        subject: &str,
        pos: Pos,
    ) {
        let it = item(severity, kind, msg.into(), Some(subject.to_string()), pos);
        if self.report.len() >= MAX_REPORT_ITEMS {
            self.report_truncated = true;
        } else if self.report_seen.insert(it.clone()) {
            self.report.push(it);
        }
    }

    /// Looks `key` up in mapping `node`, charging the entries scanned as steps so
    /// repeated lookups in huge mappings stay within the evaluation budget.
    pub(crate) fn lookup(&mut self, node: &'a Node, key: &str, pos: Pos) -> CfnResult<Option<&'a Node>> {
        let Some(entries) = node.as_map() else {
            return Ok(None);
        };
        let i = entries.iter().position(|(k, _)| k.name == key);
        let scanned = i.map_or(entries.len(), |i| i + 1);
        self.budget.steps(self.file, pos, scanned as u64)?;
        Ok(i.map(|i| &entries[i].1))
    }

    /// Charges the approximate size of `v` to the output budget.
    pub(crate) fn charge_value(&mut self, pos: Pos, v: &Value) -> CfnResult<()> {
        let n = approx_size(v);
        self.budget.charge(self.file, pos, n)
    }

    /// Evaluates a node. `None` means `AWS::NoValue` (the caller drops the entry).
    pub(crate) fn eval(&mut self, node: &'a Node, depth: usize) -> CfnResult<Option<Value>> {
        self.budget.step(self.file, node.pos)?;
        self.budget.depth(self.file, node.pos, depth)?;
        Ok(Some(match &node.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(n) => Value::Number(n.clone()),
            NodeKind::Str(s) => {
                self.budget.charge(self.file, node.pos, s.len() as u64 + 16)?;
                Value::String(s.clone())
            }
            NodeKind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for it in items {
                    if let Some(v) = self.eval(it, depth + 1)? {
                        out.push(v);
                    }
                }
                Value::Array(out)
            }
            NodeKind::Map(entries) => {
                if let [(key, arg)] = entries.as_slice() {
                    if is_intrinsic_key(&key.name) {
                        return self.intrinsic(key, arg, depth + 1);
                    }
                }
                let mut out = Map::new();
                for (k, v) in entries {
                    if let Some(v) = self.eval(v, depth + 1)? {
                        out.insert(k.name.clone(), v);
                    }
                }
                Value::Object(out)
            }
        }))
    }

    /// Evaluates a node that must produce a value (not `AWS::NoValue`).
    pub(crate) fn eval_value(&mut self, node: &'a Node, depth: usize, usage: &str) -> CfnResult<Value> {
        self.eval(node, depth)?.ok_or_else(|| {
            self.err(node.pos, ErrorKind::Intrinsic, crate::text!("{usage}; AWS::NoValue is not allowed here"))
        })
    }

    fn intrinsic(&mut self, key: &'a Key, arg: &'a Node, depth: usize) -> CfnResult<Option<Value>> {
        let pos = key.pos;
        let v = match key.name.as_str() {
            "Ref" => return self.fn_ref(arg, pos),
            "Fn::If" => return self.fn_if(arg, pos, depth),
            "Fn::GetAtt" => self.fn_getatt(arg, pos, depth)?,
            "Fn::Sub" => self.fn_sub(arg, pos, depth)?,
            "Fn::Join" => self.fn_join(arg, pos, depth)?,
            "Fn::Select" => return self.fn_select(arg, pos, depth),
            "Fn::Split" => self.fn_split(arg, pos, depth)?,
            "Fn::GetAZs" => self.fn_getazs(arg, pos, depth)?,
            "Fn::Cidr" => self.fn_cidr(arg, pos, depth)?,
            "Fn::FindInMap" => self.fn_findinmap(arg, pos, depth)?,
            "Fn::Base64" => self.fn_base64(arg, pos, depth)?,
            "Fn::ImportValue" => self.fn_importvalue(arg, pos, depth)?,
            "Fn::Length" => self.fn_length(arg, pos, depth)?,
            "Fn::ToJsonString" => self.fn_tojsonstring(arg, pos, depth)?,
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                Value::Bool(self.condition_fn(&key.name, arg, pos, depth)?)
            }
            other => self.unsupported(other, arg, pos)?,
        };
        Ok(Some(v))
    }

    fn unsupported(&mut self, name: &str, arg: &'a Node, pos: Pos) -> CfnResult<Value> {
        self.budget.charge(self.file, pos, arg.count() as u64 * 16)?;
        self.note(
            Severity::Warning,
            ReportKind::Unsupported,
            crate::text!("intrinsic function `{name}` is not supported; kept as an $unsupported marker"),
            name,
            pos,
        );
        let mut inner = Map::new();
        inner.insert(name.to_string(), arg.to_json());
        let mut m = Map::new();
        m.insert(super::markers::UNSUPPORTED.to_string(), Value::Object(inner));
        Ok(Value::Object(m))
    }

    /// `Ref`.
    fn fn_ref(&mut self, arg: &'a Node, pos: Pos) -> CfnResult<Option<Value>> {
        let Some(name) = arg.as_str() else {
            return Err(self.err(
                pos,
                ErrorKind::Intrinsic,
                crate::text!("Ref expects the name of a parameter, resource or pseudo parameter"),
            ));
        };
        self.resolve_name(name, pos, "Ref")
    }

    /// What `Ref name` means: pseudo parameter, parameter or resource. `ctx` names the
    /// caller in messages.
    pub(crate) fn resolve_name(&mut self, name: &str, pos: Pos, ctx: &str) -> CfnResult<Option<Value>> {
        let region = self.opts.region.as_str();
        let v = match name {
            "AWS::Region" => Value::String(region.to_string()),
            "AWS::AccountId" => Value::String(self.opts.account_id.clone()),
            "AWS::StackName" => Value::String(self.opts.stack_name.clone()),
            "AWS::StackId" => Value::String(format!(
                "arn:{}:cloudformation:{region}:{}:stack/{}/00000000-0000-0000-0000-000000000000",
                aws::partition(region),
                self.opts.account_id,
                self.opts.stack_name
            )),
            "AWS::Partition" => Value::String(aws::partition(region).to_string()),
            "AWS::URLSuffix" => Value::String(aws::url_suffix(region).to_string()),
            "AWS::NotificationARNs" => Value::Array(Vec::new()),
            "AWS::NoValue" => return Ok(None),
            _ if self.params.contains_key(name) => {
                let v = self.params[name].clone();
                self.charge_value(pos, &v)?;
                v
            }
            _ if self.resources.contains_key(name) => {
                if self.in_condition {
                    return Err(self.err(
                        pos,
                        ErrorKind::Intrinsic,
                        crate::text!("{ctx}: Conditions can only refer to parameters, but `{name}` is a resource"),
                    ));
                }
                self.note_ref(name, pos);
                ref_marker(name)
            }
            _ if name.starts_with("AWS::") => {
                return Err(self.err(
                    pos,
                    ErrorKind::Intrinsic,
                    crate::text!("{ctx}: unknown pseudo parameter `{name}`"),
                ))
            }
            _ => {
                return Err(self.err(
                    pos,
                    ErrorKind::Intrinsic,
                    crate::text!("{ctx}: no parameter or resource named `{name}`"),
                ))
            }
        };
        Ok(Some(v))
    }

    /// Records a dependency on resource `name`.
    fn note_ref(&mut self, name: &str, pos: Pos) {
        if self.refs_seen.insert(name.to_string()) {
            self.refs.push(name.to_string());
        }
        if self.resources.get(name).is_some_and(|r| r.skipped) {
            self.note(
                Severity::Warning,
                ReportKind::Skipped,
                crate::text!("refers to `{name}`, which is skipped because its condition is false"),
                name,
                pos,
            );
        }
    }

    /// `Fn::GetAtt`, both `"Res.Attr"` and `[Res, Attr]` forms.
    fn fn_getatt(&mut self, arg: &'a Node, pos: Pos, depth: usize) -> CfnResult<Value> {
        const USAGE: &str = "Fn::GetAtt expects [resource, attribute] or \"resource.attribute\"";
        let (res, attr) = match &arg.kind {
            NodeKind::Str(s) => match s.split_once('.') {
                Some((r, a)) if !r.is_empty() && !a.is_empty() => (r.to_string(), a.to_string()),
                _ => return Err(self.err(pos, ErrorKind::Intrinsic, USAGE)),
            },
            NodeKind::Seq(items) if items.len() == 2 => {
                let Some(res) = items[0].as_str() else {
                    return Err(self.err(pos, ErrorKind::Intrinsic, USAGE));
                };
                let attr = self.eval_value(&items[1], depth, USAGE)?;
                let Some(attr) = attr.as_str() else {
                    return Err(self.err(items[1].pos, ErrorKind::Intrinsic, USAGE));
                };
                (res.to_string(), attr.to_string())
            }
            _ => return Err(self.err(pos, ErrorKind::Intrinsic, USAGE)),
        };
        self.resolve_getatt(&res, &attr, pos, depth)
    }

    /// The value of `res.attr`: derived from the template where possible, else a marker.
    pub(crate) fn resolve_getatt(&mut self, res: &str, attr: &str, pos: Pos, depth: usize) -> CfnResult<Value> {
        if self.in_condition {
            return Err(self.err(
                pos,
                ErrorKind::Intrinsic,
                crate::text!("Fn::GetAtt is not allowed in Conditions (only parameters can be referred to)"),
            ));
        }
        let Some(info) = self.resources.get(res) else {
            return Err(self.err(pos, ErrorKind::Intrinsic, crate::text!("Fn::GetAtt: no resource named `{res}`")));
        };
        let (ty, props, skipped) = (info.resource_type, info.properties, info.skipped);
        self.note_ref(res, pos);
        let derived = match (DERIVABLE.iter().find(|(t, a, _)| *t == ty && *a == attr), props) {
            (Some((_, _, p)), Some(props)) => self.lookup(props, p, pos)?,
            _ => None,
        };
        let (Some(node), false) = (derived, skipped) else {
            return Ok(getatt_marker(res, attr));
        };
        if let Some(i) = self.res_stack.iter().position(|r| r == res) {
            let mut chain = self.res_stack[i..].to_vec();
            chain.push(res.to_string());
            return Err(self.err(
                pos,
                ErrorKind::Cycle,
                crate::text!("circular reference through Fn::GetAtt: {}", chain.join(" -> ")),
            ));
        }
        self.res_stack.push(res.to_string());
        let saved = std::mem::take(&mut self.refs);
        let saved_seen = std::mem::take(&mut self.refs_seen);
        let v = self.eval(node, depth + 1);
        self.refs = saved;
        self.refs_seen = saved_seen;
        self.res_stack.pop();
        Ok(v?.unwrap_or_else(|| getatt_marker(res, attr)))
    }
}

/// Rough memory size of a value, for the output budget.
pub(crate) fn approx_size(v: &Value) -> u64 {
    match v {
        Value::String(s) => s.len() as u64 + 16,
        Value::Array(a) => 16 + a.iter().map(approx_size).sum::<u64>(),
        Value::Object(o) => 16 + o.iter().map(|(k, v)| k.len() as u64 + approx_size(v)).sum::<u64>(),
        _ => 16,
    }
}
