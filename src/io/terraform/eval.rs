//! Evaluating HCL expressions the way Terraform does: literals, templates, operators,
//! conditionals, `for` expressions, splats, indexes and function calls. References (`var.x`,
//! `aws_vpc.main.id` …) are resolved by [`super::graph`]; functions live in
//! [`super::functions`]. Values known only after apply flow through as unknowns.

use super::error::{ErrorKind, Pos, TfError, TfResult};
use super::functions;
use super::graph::Evaluator;
use super::value::{fmt_num, Value};
use hcl_edit::expr::{BinaryOperator, Expression, ForExpr, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::{Decorated, Span};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Where an expression is evaluated: the module instance, the file (for positions), and the
/// names in scope (`count.index`, `each.key`, `for` variables, dynamic block iterators).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub inst: usize,
    pub file: u32,
    pub count: Option<Value>,
    pub each: Option<(Value, Value)>,
    /// Names bound by `for` expressions and dynamic block iterators, innermost last.
    pub names: Vec<(Rc<str>, Value)>,
    /// No references allowed (`.tfvars`, `--var` values).
    pub constant: bool,
}

impl Scope {
    pub fn new(inst: usize, file: u32) -> Scope {
        Scope { inst, file, ..Default::default() }
    }

    pub fn pos(&self, span: Option<std::ops::Range<usize>>) -> Pos {
        Pos { file: self.file, offset: span.map_or(0, |r| r.start as u32) }
    }

    pub fn lookup(&self, name: &str) -> Option<&Value> {
        self.names.iter().rev().find(|(n, _)| &**n == name).map(|(_, v)| v)
    }
}

fn dynamic(pos: Pos, msg: impl Into<crate::l10n::Text>) -> TfError {
    TfError::dynamic(Some(pos), msg)
}

impl Evaluator<'_> {
    /// Evaluate an expression.
    pub fn expr(&mut self, e: &Expression, sc: &mut Scope) -> TfResult<Value> {
        let pos = sc.pos(e.span());
        self.budget.step(Some(pos))?;
        self.budget.enter(Some(pos))?;
        let r = self.expr_inner(e, sc, pos);
        self.budget.leave();
        r.map_err(|err| err.at(pos))
    }

    fn expr_inner(&mut self, e: &Expression, sc: &mut Scope, pos: Pos) -> TfResult<Value> {
        Ok(match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(**b),
            Expression::Number(n) => Value::Num(n.as_f64().unwrap_or(0.0)),
            Expression::String(s) => Value::str(s.as_str()),
            Expression::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for x in a.iter() {
                    out.push(self.expr(x, sc)?);
                }
                Value::list(out)
            }
            Expression::Object(o) => {
                let mut out = BTreeMap::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(Expression::Variable(i)) => i.as_str().to_string(),
                        ObjectKey::Expression(x) => match self.expr(x, sc)? {
                            Value::Unknown(w) => return Ok(Value::Unknown(w)),
                            kv => kv.to_string_lossless().ok_or_else(|| {
                                dynamic(pos, crate::text!("an object key must be a string, not {}", kv.type_name()))
                            })?,
                        },
                    };
                    let value = self.expr(v.expr(), sc)?;
                    out.insert(key, value);
                }
                Value::map(out)
            }
            Expression::StringTemplate(t) => self.template(t.iter(), sc)?,
            Expression::HeredocTemplate(h) => self.template(h.template.iter(), sc)?,
            Expression::Parenthesis(p) => self.expr(p.inner(), sc)?,
            Expression::Variable(v) => self.bare_name(v, sc, pos)?,
            Expression::Conditional(c) => {
                let cond = self.expr(&c.cond_expr, sc)?;
                match cond {
                    Value::Unknown(w) => Value::Unknown(w),
                    v => match v.to_bool() {
                        Some(true) => self.expr(&c.true_expr, sc)?,
                        Some(false) => self.expr(&c.false_expr, sc)?,
                        None => {
                            return Err(dynamic(pos, crate::text!("a condition must be a bool, not {}", v.type_name())))
                        }
                    },
                }
            }
            Expression::FuncCall(f) => {
                let name = if f.name.is_namespaced() {
                    let ns: Vec<&str> = f.name.namespace.iter().map(|n| n.as_str()).collect();
                    format!("{}::{}", ns.join("::"), f.name.name.as_str())
                } else {
                    f.name.name.as_str().to_string()
                };
                self.call(&name, f, sc, pos)?
            }
            Expression::Traversal(t) => {
                let (base, consumed) = match &t.expr {
                    Expression::Variable(root) => self.reference(root.as_str(), &t.operators, sc, pos)?,
                    other => (self.expr(other, sc)?, 0),
                };
                self.apply_ops(base, &t.operators[consumed..], sc)?
            }
            Expression::UnaryOp(u) => {
                let v = self.expr(&u.expr, sc)?;
                match (u.operator.value(), v) {
                    (_, Value::Unknown(w)) => Value::Unknown(w),
                    (UnaryOperator::Neg, v) => Value::Num(
                        -v.to_num().ok_or_else(|| dynamic(pos, crate::text!("cannot negate a {}", v.type_name())))?,
                    ),
                    (UnaryOperator::Not, v) => Value::Bool(
                        !v.to_bool()
                            .ok_or_else(|| dynamic(pos, crate::text!("`!` needs a bool, not {}", v.type_name())))?,
                    ),
                }
            }
            Expression::BinaryOp(b) => {
                let l = self.expr(&b.lhs_expr, sc)?;
                // Known short-circuits, so `count = false && unknown` is still known.
                match (b.operator.value(), l.to_bool()) {
                    (BinaryOperator::And, Some(false)) if !l.is_unknown() => return Ok(Value::Bool(false)),
                    (BinaryOperator::Or, Some(true)) if !l.is_unknown() => return Ok(Value::Bool(true)),
                    _ => {}
                }
                let r = self.expr(&b.rhs_expr, sc)?;
                binary(*b.operator.value(), l, r, pos)?
            }
            Expression::ForExpr(f) => self.for_expr(f, sc, pos)?,
        })
    }

    /// A bare name: a `for` variable or iterator in scope.
    fn bare_name(&mut self, v: &Decorated<hcl_edit::Ident>, sc: &mut Scope, pos: Pos) -> TfResult<Value> {
        if let Some(x) = sc.lookup(v.as_str()) {
            return Ok(x.clone());
        }
        let (value, _) = self.reference(v.as_str(), &[], sc, pos)?;
        Ok(value)
    }

    fn call(&mut self, name: &str, f: &hcl_edit::expr::FuncCall, sc: &mut Scope, pos: Pos) -> TfResult<Value> {
        // `try` and `can` catch dynamic errors of their arguments, so they see expressions.
        match name {
            "try" => {
                let mut last = None;
                for a in f.args.iter() {
                    match self.expr(a, sc) {
                        Ok(v) => return Ok(v),
                        Err(e) if e.kind == ErrorKind::Dynamic => last = Some(e),
                        Err(e) => return Err(e),
                    }
                }
                let msg = match last {
                    Some(e) => crate::text!("no argument of try() could be evaluated (the last: {e})", e = e.message)
                        .with("e", e.message),
                    None => crate::text!("no argument of try() could be evaluated"),
                };
                return Err(dynamic(pos, msg));
            }
            "can" => {
                let a = f.args.iter().next().ok_or_else(|| dynamic(pos, crate::text!("can() takes one argument")))?;
                return match self.expr(a, sc) {
                    Ok(v) if v.is_unknown() => Ok(v),
                    Ok(_) => Ok(Value::Bool(true)),
                    Err(e) if e.kind == ErrorKind::Dynamic => Ok(Value::Bool(false)),
                    Err(e) => Err(e),
                };
            }
            _ => {}
        }
        if !functions::exists(name) {
            return Err(TfError::fatal(Some(pos), crate::text!("there is no function named \"{name}\"")));
        }
        let mut args = Vec::with_capacity(f.args.len());
        for a in f.args.iter() {
            args.push(self.expr(a, sc)?);
        }
        if f.args.expand_final() {
            match args.pop() {
                Some(Value::List(v)) | Some(Value::Set(v)) => args.extend(v.iter().cloned()),
                Some(Value::Unknown(w)) => return Ok(Value::Unknown(w)),
                Some(other) => {
                    return Err(dynamic(pos, crate::text!("`...` expands a list, not a {}", other.type_name())));
                }
                None => {}
            }
        }
        let dir = self.module_dir(sc.inst);
        functions::call(name, args, &mut functions::Env { budget: &mut self.budget, pos, dir })
    }

    /// A string template; a template of one interpolation gives its value unconverted.
    fn template<'t>(&mut self, elems: impl Iterator<Item = &'t Element>, sc: &mut Scope) -> TfResult<Value> {
        let elems: Vec<&Element> = elems.collect();
        if let [Element::Interpolation(i)] = elems.as_slice() {
            return self.expr(&i.expr, sc);
        }
        let mut out = String::new();
        for e in elems {
            if let Some(w) = self.template_element(e, sc, &mut out)? {
                return Ok(Value::Unknown(w));
            }
        }
        Ok(Value::str(out))
    }

    /// Append one element; `Some(what)` when it is unknown.
    fn template_element(&mut self, e: &Element, sc: &mut Scope, out: &mut String) -> TfResult<Option<Rc<str>>> {
        match e {
            Element::Literal(s) => out.push_str(s.as_str()),
            Element::Interpolation(i) => {
                let pos = sc.pos(i.expr.span());
                match self.expr(&i.expr, sc)? {
                    Value::Unknown(w) => return Ok(Some(w)),
                    v => out.push_str(&v.to_string_lossless().ok_or_else(|| {
                        dynamic(pos, crate::text!("cannot put a {} into a string template", v.type_name()))
                    })?),
                }
            }
            Element::Directive(d) => match &**d {
                Directive::If(i) => {
                    let pos = sc.pos(i.if_expr.cond_expr.span());
                    let c = self.expr(&i.if_expr.cond_expr, sc)?;
                    if let Value::Unknown(w) = c {
                        return Ok(Some(w));
                    }
                    let t: Option<&Template> = match c.to_bool() {
                        Some(true) => Some(&i.if_expr.template),
                        Some(false) => i.else_expr.as_ref().map(|e| &e.template),
                        None => return Err(dynamic(pos, crate::text!("a template condition must be a bool"))),
                    };
                    for e in t.into_iter().flat_map(|t| t.iter()) {
                        if let Some(w) = self.template_element(e, sc, out)? {
                            return Ok(Some(w));
                        }
                    }
                }
                Directive::For(f) => {
                    let fe = &f.for_expr;
                    let coll = self.expr(&fe.collection_expr, sc)?;
                    if let Value::Unknown(w) = coll {
                        return Ok(Some(w));
                    }
                    let pos = sc.pos(fe.collection_expr.span());
                    for (k, v) in pairs(&coll, pos)? {
                        let n = sc.names.len();
                        if let Some(kv) = &fe.key_var {
                            sc.names.push((Rc::from(kv.as_str()), k));
                        }
                        sc.names.push((Rc::from(fe.value_var.as_str()), v));
                        let mut r = Ok(None);
                        for e in fe.template.iter() {
                            r = self.template_element(e, sc, out);
                            if !matches!(r, Ok(None)) {
                                break;
                            }
                        }
                        sc.names.truncate(n);
                        if let Some(w) = r? {
                            return Ok(Some(w));
                        }
                        self.budget.size(out.len(), Some(pos))?;
                    }
                }
            },
        }
        self.budget.size(out.len(), None)?;
        Ok(None)
    }

    fn for_expr(&mut self, f: &ForExpr, sc: &mut Scope, pos: Pos) -> TfResult<Value> {
        let coll = self.expr(&f.intro.collection_expr, sc)?;
        if let Value::Unknown(w) = coll {
            return Ok(Value::Unknown(w));
        }
        let items = pairs(&coll, pos)?;
        self.budget.steps(items.len(), Some(pos))?;
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (k, v) in items {
            let n = sc.names.len();
            if let Some(kv) = &f.intro.key_var {
                sc.names.push((Rc::from(kv.as_str()), k));
            }
            sc.names.push((Rc::from(f.intro.value_var.as_str()), v));
            let r = self.for_item(f, sc, pos, &mut list, &mut map, &mut groups);
            sc.names.truncate(n);
            if let Some(w) = r? {
                return Ok(Value::Unknown(w));
            }
        }
        Ok(match f.key_expr {
            None => Value::list(list),
            Some(_) if f.grouping => Value::map(groups.into_iter().map(|(k, v)| (k, Value::list(v))).collect()),
            Some(_) => Value::map(map),
        })
    }

    fn for_item(
        &mut self,
        f: &ForExpr,
        sc: &mut Scope,
        pos: Pos,
        list: &mut Vec<Value>,
        map: &mut BTreeMap<String, Value>,
        groups: &mut BTreeMap<String, Vec<Value>>,
    ) -> TfResult<Option<Rc<str>>> {
        if let Some(c) = &f.cond {
            match self.expr(&c.expr, sc)? {
                Value::Unknown(w) => return Ok(Some(w)),
                v => match v.to_bool() {
                    Some(true) => {}
                    Some(false) => return Ok(None),
                    None => return Err(dynamic(pos, crate::text!("a `for` condition must be a bool"))),
                },
            }
        }
        let value = self.expr(&f.value_expr, sc)?;
        match &f.key_expr {
            None => list.push(value),
            Some(ke) => {
                let key = match self.expr(ke, sc)? {
                    Value::Unknown(w) => return Ok(Some(w)),
                    k => k
                        .to_string_lossless()
                        .ok_or_else(|| dynamic(pos, crate::text!("a `for` key must be a string")))?,
                };
                if f.grouping {
                    groups.entry(key).or_default().push(value);
                } else if map.insert(key.clone(), value).is_some() {
                    return Err(dynamic(
                        pos,
                        crate::text!("two elements have the key \"{key}\"; use `...` after the value to group them"),
                    ));
                }
            }
        }
        let n = list.len().max(map.len()).max(groups.len());
        self.budget.size(n, Some(pos))?;
        Ok(None)
    }

    /// Apply attribute access, indexes and splats to a value.
    pub fn apply_ops(&mut self, mut v: Value, ops: &[Decorated<TraversalOperator>], sc: &mut Scope) -> TfResult<Value> {
        let mut i = 0;
        while i < ops.len() {
            let op = &ops[i];
            let pos = sc.pos(op.span());
            self.budget.step(Some(pos))?;
            match op.value() {
                TraversalOperator::GetAttr(name) => v = get_attr(&v, name.as_str(), pos)?,
                TraversalOperator::Index(e) => {
                    let k = self.expr(e, sc)?;
                    v = index(&v, &k, pos)?;
                }
                TraversalOperator::LegacyIndex(n) => v = index(&v, &Value::Num(**n as f64), pos)?,
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let full = matches!(op.value(), TraversalOperator::FullSplat(_));
                    // A full splat applies every following operator to each element; an
                    // attribute splat only the attribute accesses that follow it.
                    let mut end = i + 1;
                    while end < ops.len()
                        && (full
                            || matches!(
                                ops[end].value(),
                                TraversalOperator::GetAttr(_) | TraversalOperator::LegacyIndex(_)
                            ))
                    {
                        end += 1;
                    }
                    let items: Vec<Value> = match &v {
                        Value::Null => Vec::new(),
                        Value::Unknown(_) => return Ok(v),
                        Value::List(x) | Value::Set(x) => x.to_vec(),
                        other => vec![other.clone()],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for x in items {
                        out.push(self.apply_ops(x, &ops[i + 1..end], sc)?);
                    }
                    v = Value::list(out);
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        Ok(v)
    }
}

/// `v.name`.
pub fn get_attr(v: &Value, name: &str, pos: Pos) -> TfResult<Value> {
    match v {
        Value::Unknown(w) => Ok(Value::unknown(format!("{w}.{name}"))),
        Value::Map(m) => match m.get(name) {
            Some(x) => Ok(x.clone()),
            None => match v.resource_address() {
                Some(addr) => Ok(Value::unknown(format!("{addr}.{name}"))),
                None => Err(dynamic(pos, crate::text!("this object has no attribute \"{name}\""))),
            },
        },
        Value::Null => Err(dynamic(pos, crate::text!("cannot read \"{name}\" of a null value"))),
        other => Err(dynamic(pos, crate::text!("cannot read \"{name}\" of a {}", other.type_name()))),
    }
}

/// `v[k]`.
pub fn index(v: &Value, k: &Value, pos: Pos) -> TfResult<Value> {
    if let Value::Unknown(w) = k {
        return Ok(Value::Unknown(w.clone()));
    }
    match v {
        Value::Unknown(w) => Ok(Value::unknown(format!("{w}[{k}]"))),
        Value::List(items) => {
            let n = k
                .to_num()
                .ok_or_else(|| dynamic(pos, crate::text!("a list index must be a number, not {}", k.type_name())))?;
            if n < 0.0 || n.fract() != 0.0 || n as usize >= items.len() {
                return Err(dynamic(
                    pos,
                    crate::text!("index {} is out of range for a list of {}", fmt_num(n), items.len()),
                ));
            }
            Ok(items[n as usize].clone())
        }
        Value::Set(_) => Err(dynamic(pos, crate::text!("a set has no order: it cannot be indexed (use tolist)"))),
        Value::Map(m) => {
            let key = k.to_string_lossless().ok_or_else(|| dynamic(pos, crate::text!("a map key must be a string")))?;
            match m.get(&key) {
                Some(x) => Ok(x.clone()),
                None => Err(dynamic(pos, crate::text!("the map has no element \"{key}\""))),
            }
        }
        Value::Null => Err(dynamic(pos, crate::text!("cannot index a null value"))),
        other => Err(dynamic(pos, crate::text!("cannot index a {}", other.type_name()))),
    }
}

/// (key, value) pairs of a collection as `for` iterates it.
pub fn pairs(v: &Value, pos: Pos) -> TfResult<Vec<(Value, Value)>> {
    Ok(match v {
        Value::List(x) => x.iter().enumerate().map(|(i, e)| (Value::Num(i as f64), e.clone())).collect(),
        Value::Set(x) => x.iter().map(|e| (e.clone(), e.clone())).collect(),
        Value::Map(m) => {
            m.iter().filter(|(k, _)| !k.starts_with('\0')).map(|(k, e)| (Value::str(k), e.clone())).collect()
        }
        Value::Null => return Err(dynamic(pos, crate::text!("cannot iterate over a null value"))),
        other => return Err(dynamic(pos, crate::text!("cannot iterate over a {}", other.type_name()))),
    })
}

fn num(v: &Value, pos: Pos) -> TfResult<f64> {
    v.to_num().ok_or_else(|| dynamic(pos, crate::text!("a number is required, not {}", v.type_name())))
}

fn boolean(v: &Value, pos: Pos) -> TfResult<bool> {
    v.to_bool().ok_or_else(|| dynamic(pos, crate::text!("a bool is required, not {}", v.type_name())))
}

fn binary(op: BinaryOperator, l: Value, r: Value, pos: Pos) -> TfResult<Value> {
    use BinaryOperator as B;
    if let Some(w) = l.first_unknown().or(r.first_unknown()) {
        if matches!(op, B::Eq | B::NotEq) && (l.is_null() || r.is_null()) && !(l.is_unknown() || r.is_unknown()) {
            // A known object compared with null is known.
        } else {
            return Ok(Value::unknown(w));
        }
    }
    Ok(match op {
        B::Eq => Value::Bool(equal(&l, &r)),
        B::NotEq => Value::Bool(!equal(&l, &r)),
        B::And => Value::Bool(boolean(&l, pos)? && boolean(&r, pos)?),
        B::Or => Value::Bool(boolean(&l, pos)? || boolean(&r, pos)?),
        B::Plus => Value::Num(num(&l, pos)? + num(&r, pos)?),
        B::Minus => Value::Num(num(&l, pos)? - num(&r, pos)?),
        B::Mul => Value::Num(num(&l, pos)? * num(&r, pos)?),
        B::Div => {
            let d = num(&r, pos)?;
            if d == 0.0 {
                return Err(dynamic(pos, crate::text!("division by zero")));
            }
            Value::Num(num(&l, pos)? / d)
        }
        B::Mod => {
            let d = num(&r, pos)?;
            if d == 0.0 {
                return Err(dynamic(pos, crate::text!("modulo by zero")));
            }
            Value::Num(num(&l, pos)? % d)
        }
        B::Less => Value::Bool(num(&l, pos)? < num(&r, pos)?),
        B::LessEq => Value::Bool(num(&l, pos)? <= num(&r, pos)?),
        B::Greater => Value::Bool(num(&l, pos)? > num(&r, pos)?),
        B::GreaterEq => Value::Bool(num(&l, pos)? >= num(&r, pos)?),
    })
}

/// `==`: values of different types are different (`"1" != 1`), except lists and tuples.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::List(x), Value::List(y)) | (Value::Set(x), Value::Set(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|((k1, v1), (k2, v2))| k1 == k2 && equal(v1, v2))
        }
        _ => a == b,
    }
}
