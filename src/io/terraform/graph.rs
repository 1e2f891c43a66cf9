//! The evaluator's state: module instances, memoised values of variables, locals, outputs,
//! resources and module calls, evaluated on demand so references resolve in any order and a
//! cycle is caught where it closes. Resources get their instance objects here: the attributes
//! the configuration sets, the ids and other values known only after apply as stable
//! placeholders, data sources' defaults and `--assume` pins.

use super::error::{Pos, TfError, TfResult};
use super::eval::Scope;
use super::limits::Budget;
use super::modules::Config;
use super::parse::{Attr, Body, ResourceDecl};
use super::value::{Value, RESOURCE_MARK};
use super::{resources, types};
use crate::io::report::Severity;
use hcl_edit::expr::TraversalOperator;
use hcl_edit::Decorated;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

/// One instance of a module: the root, or one `count`/`for_each` instance of a call.
#[derive(Debug, Clone)]
pub struct ModInst {
    /// Index into [`Config::modules`].
    pub module: usize,
    /// `module.vpc.` (empty for the root): what addresses inside start with.
    pub prefix: String,
    pub parent: Option<usize>,
    /// The call in the parent's module that made this instance.
    pub call: Option<usize>,
    pub count: Option<Value>,
    pub each: Option<(Value, Value)>,
    /// Provider reference (`aws`, `aws.west`) → region.
    pub providers: HashMap<String, String>,
}

/// A resource or data source instance, evaluated.
#[derive(Debug, Clone)]
pub struct Instance {
    /// `module.vpc.aws_subnet.private[0]`.
    pub address: String,
    pub ty: String,
    pub data: bool,
    pub values: Value,
    pub region: String,
    /// `file:line:column` of its block.
    pub place: String,
    /// (module instance, declaration, instance) for a stable order.
    pub order: (usize, usize, usize),
}

/// Something the evaluator wants the report to say.
#[derive(Debug, Clone)]
pub struct Note {
    pub severity: Severity,
    pub what: String,
    /// What was assumed or noticed (said in the user's language through its template).
    pub detail: crate::l10n::Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Var(String),
    Local(String),
    Output(String),
    Res(usize),
}

impl Key {
    fn describe(&self, prefix: &str, m: &super::parse::Module) -> String {
        match self {
            Key::Var(n) => format!("{prefix}var.{n}"),
            Key::Local(n) => format!("{prefix}local.{n}"),
            Key::Output(n) => format!("{prefix}output.{n}"),
            Key::Res(i) => format!("{prefix}{}", m.resources[*i].local_address()),
        }
    }
}

/// (count index, each key and value, address prefix) of one module instance.
type InstanceKeys = (Option<Value>, Option<(Value, Value)>, String);

enum Slot {
    Busy,
    Done(Value),
}

/// Evaluates a whole configuration.
pub struct Evaluator<'c> {
    pub cfg: &'c Config,
    pub budget: Budget,
    pub insts: Vec<ModInst>,
    memo: HashMap<(usize, Key), Slot>,
    /// What is being evaluated, for cycle messages.
    stack: Vec<String>,
    /// (instance, call) → the instances it expanded to.
    calls: HashMap<(usize, usize), Vec<usize>>,
    calls_busy: HashSet<(usize, usize)>,
    /// Root variable values from the command line, files and the environment.
    pub root_vars: HashMap<String, Value>,
    /// `--assume`: instance address → (attribute, value), and which were used.
    pub assumes: HashMap<String, Vec<(String, Value)>>,
    pub assumes_used: HashSet<String>,
    pub region: String,
    pub notes: Vec<Note>,
    pub out: Vec<Instance>,
}

/// `["key"]` or `[0]` as Terraform writes instance keys.
pub fn key_suffix(k: &Value) -> String {
    match k {
        Value::Num(n) => format!("[{}]", super::value::fmt_num(*n)),
        Value::Str(s) => format!("[{}]", serde_json::to_string(&**s).unwrap_or_default()),
        other => format!("[{other}]"),
    }
}

impl<'c> Evaluator<'c> {
    pub fn new(cfg: &'c Config, budget: Budget, region: String) -> Evaluator<'c> {
        let root = ModInst {
            module: 0,
            prefix: String::new(),
            parent: None,
            call: None,
            count: None,
            each: None,
            providers: HashMap::new(),
        };
        Evaluator {
            cfg,
            budget,
            insts: vec![root],
            memo: HashMap::new(),
            stack: Vec::new(),
            calls: HashMap::new(),
            calls_busy: HashSet::new(),
            root_vars: HashMap::new(),
            assumes: HashMap::new(),
            assumes_used: HashSet::new(),
            region,
            notes: Vec::new(),
            out: Vec::new(),
        }
    }

    pub fn note(&mut self, severity: Severity, what: impl Into<String>, detail: impl Into<crate::l10n::Text>) {
        self.notes.push(Note { severity, what: what.into(), detail: detail.into() });
    }

    fn module_of(&self, inst: usize) -> &'c super::parse::Module {
        &self.cfg.modules[self.insts[inst].module]
    }

    pub fn module_dir(&self, inst: usize) -> PathBuf {
        self.module_of(inst).dir.clone()
    }

    /// Evaluate everything: every resource of every module instance, in order.
    pub fn run(&mut self) -> TfResult<()> {
        // Every root variable needs a value, used or not (Terraform checks them first).
        let root = self.module_of(0);
        for v in &root.variables {
            self.get(0, Key::Var(v.name.clone()), v.pos)?;
        }
        self.root_providers()?;
        let mut i = 0;
        while i < self.insts.len() {
            let m = self.module_of(i);
            for r in 0..m.resources.len() {
                self.get(i, Key::Res(r), m.resources[r].pos)?;
            }
            for c in 0..m.calls.len() {
                self.expand_call(i, c)?;
            }
            i += 1;
        }
        self.out.sort_by_key(|x| x.order);
        Ok(())
    }

    /// Regions of the root module's `aws` providers.
    fn root_providers(&mut self) -> TfResult<()> {
        let m = self.module_of(0);
        let mut map = HashMap::new();
        for p in &m.providers {
            let region = match &p.region {
                Some(a) => {
                    let mut sc = Scope::new(0, a.pos.file);
                    match self.expr(&a.expr, &mut sc)? {
                        Value::Str(s) => s.to_string(),
                        other => {
                            self.note(
                                Severity::Warning,
                                "provider \"aws\"",
                                crate::text!("its region is {other}, not a known string: {} assumed", self.region),
                            );
                            self.region.clone()
                        }
                    }
                }
                None => self.region.clone(),
            };
            let key = p.alias.as_ref().map_or("aws".to_string(), |a| format!("aws.{a}"));
            map.insert(key, region);
        }
        if let Some(r) = map.get("aws") {
            self.region = r.clone();
        }
        map.entry("aws".to_string()).or_insert_with(|| self.region.clone());
        self.insts[0].providers = map;
        Ok(())
    }

    fn get(&mut self, inst: usize, key: Key, pos: Pos) -> TfResult<Value> {
        let mk = (inst, key);
        match self.memo.get(&mk) {
            Some(Slot::Done(v)) => return Ok(v.clone()),
            Some(Slot::Busy) => {
                let what = mk.1.describe(&self.insts[inst].prefix, self.module_of(inst));
                let start = self.stack.iter().position(|s| *s == what).unwrap_or(0);
                let mut chain: Vec<String> = self.stack[start..].to_vec();
                chain.push(what);
                return Err(TfError::fatal(Some(pos), crate::text!("cycle: {}", chain.join(" → "))));
            }
            None => {}
        }
        self.memo.insert(mk.clone(), Slot::Busy);
        self.stack.push(mk.1.describe(&self.insts[inst].prefix, self.module_of(inst)));
        self.budget.enter(Some(pos))?;
        let r = self.compute(inst, &mk.1, pos);
        self.budget.leave();
        self.stack.pop();
        match r {
            Ok(v) => {
                self.memo.insert(mk, Slot::Done(v.clone()));
                Ok(v)
            }
            Err(e) => {
                self.memo.remove(&mk);
                Err(e)
            }
        }
    }

    fn compute(&mut self, inst: usize, key: &Key, pos: Pos) -> TfResult<Value> {
        let m = self.module_of(inst);
        match key {
            Key::Local(n) => {
                let a = m
                    .locals
                    .get(n)
                    .ok_or_else(|| TfError::fatal(Some(pos), crate::text!("there is no local value \"{n}\"")))?;
                let mut sc = Scope::new(inst, a.pos.file);
                self.expr(&a.expr, &mut sc)
            }
            Key::Output(n) => {
                let a = m.outputs.get(n).ok_or_else(|| {
                    // The module's own address (`module.net`, `module.net[0]`), not the
                    // prefix its addresses start with (`module.net.`).
                    let module = self.insts[inst].prefix.trim_end_matches('.');
                    let e = if module.is_empty() {
                        crate::text!("there is no output \"{n}\"")
                    } else {
                        crate::text!("{module} has no output \"{n}\"")
                    };
                    TfError::dynamic(Some(pos), e)
                })?;
                let mut sc = Scope::new(inst, a.pos.file);
                self.expr(&a.expr, &mut sc)
            }
            Key::Var(n) => self.variable(inst, n, pos),
            Key::Res(r) => self.resource(inst, *r),
        }
    }

    /// A variable's value: the caller's argument (or the command line's, for the root), else
    /// its default, converted to its declared type.
    fn variable(&mut self, inst: usize, name: &str, pos: Pos) -> TfResult<Value> {
        let m = self.module_of(inst);
        let decl =
            m.variables.iter().find(|v| v.name == name).ok_or_else(|| {
                TfError::fatal(Some(pos), crate::text!("there is no variable \"{name}\" in this module"))
            })?;
        let given = match (self.insts[inst].parent, self.insts[inst].call) {
            (Some(parent), Some(call)) => {
                let c = &self.module_of(parent).calls[call];
                match c.args.iter().find(|a| a.name == name) {
                    Some(a) => {
                        let mut sc = Scope::new(parent, a.pos.file);
                        sc.count = self.insts[inst].count.clone();
                        sc.each = self.insts[inst].each.clone();
                        Some((self.expr(&a.expr, &mut sc)?, a.pos))
                    }
                    None => None,
                }
            }
            _ => self.root_vars.get(name).cloned().map(|v| (v, decl.pos)),
        };
        let (value, at) = match given {
            Some((v, p)) if !v.is_null() || decl.nullable => (v, p),
            _ => match &decl.default {
                Some(d) => {
                    let mut sc = Scope::new(inst, d.pos.file);
                    (self.expr(&d.expr, &mut sc)?, d.pos)
                }
                None => {
                    let place = self.cfg.sources.describe(decl.pos);
                    let how = if inst == 0 {
                        crate::text!("give it with --var, --var-file, a terraform.tfvars file or TF_VAR_{name}")
                    } else {
                        crate::text!("the call of {} must set it", self.insts[inst].prefix.trim_end_matches('.'))
                    };
                    return Err(TfError::fatal(
                        Some(pos),
                        crate::text!("the variable \"{name}\" (declared at {place}) has no value: {how}")
                            .with("how", how.clone()),
                    ));
                }
            },
        };
        match &decl.ty {
            Some(t) => types::convert(value, &t.expr, at, &mut self.budget).map_err(|e| {
                let msg = crate::text!("variable \"{name}\": {e}", e = e.message).with("e", e.message);
                TfError::fatal(e.pos, msg)
            }),
            None => Ok(value),
        }
    }

    /// Resolve the start of a reference; returns the value and how many operators it used.
    pub fn reference(
        &mut self,
        root: &str,
        ops: &[Decorated<TraversalOperator>],
        sc: &mut Scope,
        pos: Pos,
    ) -> TfResult<(Value, usize)> {
        if let Some(v) = sc.lookup(root) {
            return Ok((v.clone(), 0));
        }
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(n)) => Some(n.as_str().to_string()),
            _ => None,
        };
        if sc.constant {
            return Err(TfError::fatal(Some(pos), crate::text!("`{root}`: a value here may not refer to anything")));
        }
        let inst = sc.inst;
        let need = |what: crate::l10n::Text| {
            TfError::fatal(Some(pos), crate::text!("`{root}` must be followed by {what}").with("what", what))
        };
        match root {
            "var" => {
                let n = attr(0).ok_or_else(|| need(crate::text!("a variable name")))?;
                Ok((self.get(inst, Key::Var(n), pos)?, 1))
            }
            "local" => {
                let n = attr(0).ok_or_else(|| need(crate::text!("a local value's name")))?;
                Ok((self.get(inst, Key::Local(n), pos)?, 1))
            }
            "count" => match (attr(0).as_deref(), &sc.count) {
                (Some("index"), Some(i)) => Ok((i.clone(), 1)),
                _ => {
                    Err(TfError::fatal(Some(pos), crate::text!("`count.index` is only available where `count` is set")))
                }
            },
            "each" => match (attr(0).as_deref(), &sc.each) {
                (Some("key"), Some((k, _))) => Ok((k.clone(), 1)),
                (Some("value"), Some((_, v))) => Ok((v.clone(), 1)),
                _ => Err(TfError::fatal(
                    Some(pos),
                    crate::text!("`each.key` and `each.value` are only available where `for_each` is set"),
                )),
            },
            "path" => {
                let dir = match attr(0).as_deref() {
                    Some("module") => self.module_dir(inst),
                    Some("root") | Some("cwd") => self.module_dir(0),
                    _ => return Err(need(crate::text!("module, root or cwd"))),
                };
                Ok((Value::str(dir.display().to_string()), 1))
            }
            "terraform" => match attr(0).as_deref() {
                Some("workspace") => Ok((Value::str("default"), 1)),
                _ => Err(need("workspace".into())),
            },
            "module" => {
                let n = attr(0).ok_or_else(|| need(crate::text!("a module name")))?;
                self.module_reference(inst, &n, attr(1), pos)
            }
            "data" => {
                let (ty, name) = (
                    attr(0).ok_or_else(|| need(crate::text!("a data source type")))?,
                    attr(1).ok_or_else(|| need(crate::text!("a name")))?,
                );
                let r = self.decl(inst, true, &ty, &name).ok_or_else(|| {
                    TfError::fatal(Some(pos), crate::text!("data.{ty}.{name} is not declared in this module"))
                })?;
                Ok((self.get(inst, Key::Res(r), pos)?, 2))
            }
            ty => {
                let name = attr(0);
                let found = name.as_ref().and_then(|n| self.decl(inst, false, ty, n));
                match found {
                    Some(r) => Ok((self.get(inst, Key::Res(r), pos)?, 1)),
                    None if ty.contains('_') && name.is_some() => Err(TfError::fatal(
                        Some(pos),
                        crate::text!("{ty}.{} is not declared in this module", name.unwrap_or_default()),
                    )),
                    None => Err(TfError::fatal(Some(pos), crate::text!("unknown name `{ty}`"))),
                }
            }
        }
    }

    /// The declaration of a resource (or data source) of module instance `inst`, from the
    /// module's index (issue 17, H4: a scan of every declaration per reference was quadratic).
    fn decl(&self, inst: usize, data: bool, ty: &str, name: &str) -> Option<usize> {
        self.module_of(inst).resource(data, ty, name)
    }

    fn module_reference(
        &mut self,
        inst: usize,
        name: &str,
        output: Option<String>,
        pos: Pos,
    ) -> TfResult<(Value, usize)> {
        let m = self.module_of(inst);
        let call = m.calls.iter().position(|c| c.name == name).ok_or_else(|| {
            TfError::fatal(Some(pos), crate::text!("module \"{name}\" is not declared in this module"))
        })?;
        let c = &m.calls[call];
        let children = self.expand_call(inst, call)?;
        if self.cfg.child(self.insts[inst].module, call).is_none() {
            let what = format!(
                "{}module.{name}{}",
                self.insts[inst].prefix,
                output.map(|o| format!(".{o}")).unwrap_or_default()
            );
            return Ok((Value::unknown(format!("{what} (the module is not on disk)")), 1));
        }
        if c.count.is_none() && c.for_each.is_none() {
            let child = children[0];
            if let Some(o) = output {
                return Ok((self.get(child, Key::Output(o), pos)?, 2));
            }
            return Ok((self.all_outputs(child, pos)?, 1));
        }
        let mut items = Vec::new();
        let mut map = BTreeMap::new();
        for ch in children {
            let v = self.all_outputs(ch, pos)?;
            match (&self.insts[ch].each, &self.insts[ch].count) {
                (Some((k, _)), _) => {
                    map.insert(k.to_string_lossless().unwrap_or_default(), v);
                }
                _ => items.push(v),
            }
        }
        Ok((if c.for_each.is_some() { Value::map(map) } else { Value::list(items) }, 1))
    }

    fn all_outputs(&mut self, inst: usize, pos: Pos) -> TfResult<Value> {
        let mut names: Vec<&String> = self.module_of(inst).outputs.keys().collect();
        names.sort();
        let mut out = BTreeMap::new();
        for n in names {
            let v = self.get(inst, Key::Output(n.clone()), pos)?;
            out.insert(n.clone(), v);
        }
        Ok(Value::map(out))
    }

    /// The `count` or `for_each` of a resource or call: the instance keys, or none.
    fn expansion(
        &mut self,
        inst: usize,
        count: Option<&Attr>,
        for_each: Option<&Attr>,
        what: &str,
    ) -> TfResult<Option<Vec<(Value, Value)>>> {
        if let Some(a) = count {
            let mut sc = Scope::new(inst, a.pos.file);
            let v = self.expr(&a.expr, &mut sc)?;
            if let Some(w) = v.first_unknown() {
                return Err(TfError::fatal(Some(a.pos), unknown_expansion("count", what, w)));
            }
            let n = v.to_num().filter(|n| *n >= 0.0 && n.fract() == 0.0).ok_or_else(|| {
                TfError::fatal(Some(a.pos), crate::text!("count must be a whole number of at least 0, not {v}"))
            })?;
            self.budget.instances(n as usize, Some(a.pos))?;
            return Ok(Some((0..n as usize).map(|i| (Value::Num(i as f64), Value::Null)).collect()));
        }
        if let Some(a) = for_each {
            let mut sc = Scope::new(inst, a.pos.file);
            let v = self.expr(&a.expr, &mut sc)?;
            let keys: Vec<(Value, Value)> = match &v {
                Value::Map(m) => m.iter().map(|(k, x)| (Value::str(k), x.clone())).collect(),
                Value::Set(s) if s.iter().all(|x| x.as_str().is_some()) => {
                    s.iter().map(|x| (x.clone(), x.clone())).collect()
                }
                Value::Unknown(w) => return Err(TfError::fatal(Some(a.pos), unknown_expansion("for_each", what, w))),
                Value::Set(s) if s.iter().any(Value::has_unknown) => {
                    let w = v.first_unknown().unwrap_or_default().to_string();
                    return Err(TfError::fatal(Some(a.pos), unknown_expansion("for_each", what, &w)));
                }
                other => {
                    return Err(TfError::fatal(
                        Some(a.pos),
                        crate::text!(
                            "for_each must be a map or a set of strings, not a {} (wrap a list in toset())",
                            other.type_name()
                        ),
                    ))
                }
            };
            self.budget.instances(keys.len(), Some(a.pos))?;
            return Ok(Some(keys));
        }
        self.budget.instances(1, None)?;
        Ok(None)
    }

    /// The instances a module call expands to (made once).
    fn expand_call(&mut self, inst: usize, call: usize) -> TfResult<Vec<usize>> {
        if let Some(v) = self.calls.get(&(inst, call)) {
            return Ok(v.clone());
        }
        let m = self.module_of(inst);
        let c = &m.calls[call];
        if !self.calls_busy.insert((inst, call)) {
            return Err(TfError::fatal(Some(c.pos), crate::text!("cycle: module \"{}\" depends on itself", c.name)));
        }
        let depth = self.insts[inst].prefix.matches("module.").count();
        if depth >= self.budget.limits.max_module_depth {
            return Err(TfError::fatal(Some(c.pos), crate::text!("modules nest deeper than {depth} levels")));
        }
        let keys = self.expansion(inst, c.count.as_ref(), c.for_each.as_ref(), &format!("module.{}", c.name));
        self.calls_busy.remove(&(inst, call));
        let keys = keys?;
        let Some(child_module) = self.cfg.child(self.insts[inst].module, call) else {
            self.calls.insert((inst, call), Vec::new());
            return Ok(Vec::new());
        };
        // Providers: the caller's, renamed as `providers = { … }` says.
        let parent_providers = self.insts[inst].providers.clone();
        let mut providers = parent_providers.clone();
        for (child_name, parent_ref) in &c.providers {
            if let Some(r) = parent_providers.get(parent_ref) {
                providers.insert(child_name.clone(), r.clone());
            }
        }
        let base = format!("{}module.{}", self.insts[inst].prefix, c.name);
        let mut made = Vec::new();
        let list: Vec<InstanceKeys> = match (&keys, c.for_each.is_some()) {
            (None, _) => vec![(None, None, format!("{base}."))],
            (Some(k), false) => {
                k.iter().map(|(i, _)| (Some(i.clone()), None, format!("{base}{}.", key_suffix(i)))).collect()
            }
            (Some(k), true) => k
                .iter()
                .map(|(key, v)| (None, Some((key.clone(), v.clone())), format!("{base}{}.", key_suffix(key))))
                .collect(),
        };
        for (count, each, prefix) in list {
            self.insts.push(ModInst {
                module: child_module,
                prefix,
                parent: Some(inst),
                call: Some(call),
                count,
                each,
                providers: providers.clone(),
            });
            made.push(self.insts.len() - 1);
        }
        self.calls.insert((inst, call), made.clone());
        Ok(made)
    }

    /// A resource's value: one object, a list (count) or a map (for_each) of instance objects.
    fn resource(&mut self, inst: usize, r: usize) -> TfResult<Value> {
        let m = self.module_of(inst);
        let decl: &ResourceDecl = &m.resources[r];
        let base = format!("{}{}", self.insts[inst].prefix, decl.local_address());
        let keys = self.expansion(inst, decl.count.as_ref(), decl.for_each.as_ref(), &base)?;
        let region = match &decl.provider {
            Some(p) => match self.insts[inst].providers.get(p) {
                Some(r) => r.clone(),
                None => {
                    self.note(
                        Severity::Warning,
                        base.clone(),
                        crate::text!("provider {p} is not configured with a region: {} assumed", self.region),
                    );
                    self.region.clone()
                }
            },
            None => self.insts[inst].providers.get("aws").cloned().unwrap_or_else(|| self.region.clone()),
        };
        let mut sc = Scope::new(inst, decl.pos.file);
        let single = keys.is_none();
        let keys = keys.unwrap_or_else(|| vec![(Value::Null, Value::Null)]);
        let mut objects = Vec::with_capacity(keys.len());
        for (k, (key, each_value)) in keys.into_iter().enumerate() {
            let address = if single { base.clone() } else { format!("{base}{}", key_suffix(&key)) };
            sc.count = (decl.count.is_some()).then(|| key.clone());
            sc.each = (decl.for_each.is_some()).then(|| (key.clone(), each_value));
            let obj = self.instance_object(decl, &address, &region, &mut sc)?;
            self.out.push(Instance {
                address,
                ty: decl.ty.clone(),
                data: decl.data,
                values: obj.clone(),
                region: region.clone(),
                place: self.cfg.sources.describe(decl.pos),
                order: (inst, r, k),
            });
            objects.push((key, obj));
        }
        Ok(if single {
            objects.pop().map(|(_, o)| o).unwrap_or(Value::Null)
        } else if decl.for_each.is_some() {
            Value::map(objects.into_iter().map(|(k, o)| (k.to_string_lossless().unwrap_or_default(), o)).collect())
        } else {
            Value::list(objects.into_iter().map(|(_, o)| o).collect())
        })
    }

    fn instance_object(&mut self, decl: &ResourceDecl, address: &str, region: &str, sc: &mut Scope) -> TfResult<Value> {
        let mut obj = self.body(&decl.body, sc)?;
        obj.insert(RESOURCE_MARK.to_string(), Value::str(address));
        if decl.data {
            for (k, v, why) in resources::data_defaults(&decl.ty, &obj, region) {
                if !obj.contains_key(&k) || obj.get(&k).is_some_and(Value::is_null) {
                    if let Some(why) = why {
                        self.note(
                            Severity::Info,
                            format!("{address}.{k}"),
                            crate::text!("assumed {v}: {why}; pin with --assume").with("why", why),
                        );
                    }
                    obj.insert(k, v);
                }
            }
        } else {
            for (k, v) in resources::computed(&decl.ty, address, &obj, region) {
                obj.entry(k).or_insert(v);
            }
        }
        if let Some(pins) = self.assumes.get(address).cloned() {
            self.assumes_used.insert(address.to_string());
            for (k, v) in pins {
                self.note(Severity::Info, format!("{address}.{k}"), crate::text!("pinned to {v} by --assume"));
                obj.insert(k, v);
            }
        }
        Ok(Value::map(obj))
    }

    /// A block body as an object: attributes, and nested blocks as lists of objects
    /// (`dynamic` blocks expanded).
    pub fn body(&mut self, b: &Body, sc: &mut Scope) -> TfResult<BTreeMap<String, Value>> {
        let mut out = BTreeMap::new();
        for a in &b.attrs {
            let v = self.expr(&a.expr, sc)?;
            out.insert(a.name.clone(), v);
        }
        for blk in &b.blocks {
            if blk.kind == "dynamic" {
                self.dynamic_block(blk, sc, &mut out)?;
                continue;
            }
            let v = Value::map(self.body(&blk.body, sc)?);
            push_block(&mut out, &blk.kind, v);
        }
        Ok(out)
    }

    fn dynamic_block(
        &mut self,
        blk: &super::parse::Block,
        sc: &mut Scope,
        out: &mut BTreeMap<String, Value>,
    ) -> TfResult<()> {
        let label = blk
            .labels
            .first()
            .cloned()
            .ok_or_else(|| TfError::fatal(Some(blk.pos), crate::text!("a dynamic block needs a label")))?;
        let fe = blk
            .body
            .attr("for_each")
            .ok_or_else(|| TfError::fatal(Some(blk.pos), crate::text!("a dynamic block needs for_each")))?;
        let iterator = match blk.body.attr("iterator") {
            Some(a) => super::parse::reference_text(&a.expr).unwrap_or_else(|| label.clone()),
            None => label.clone(),
        };
        let content = blk
            .body
            .blocks
            .iter()
            .find(|b| b.kind == "content")
            .ok_or_else(|| TfError::fatal(Some(blk.pos), crate::text!("a dynamic block needs a content block")))?;
        let coll = self.expr(&fe.expr, sc)?;
        if let Value::Unknown(w) = &coll {
            out.insert(label, Value::Unknown(w.clone()));
            return Ok(());
        }
        out.entry(label.clone()).or_insert_with(|| Value::list(Vec::new()));
        for (k, v) in super::eval::pairs(&coll, fe.pos)? {
            let it = Value::map(BTreeMap::from([("key".to_string(), k), ("value".to_string(), v)]));
            sc.names.push((Rc::from(iterator.as_str()), it));
            let r = self.body(&content.body, sc);
            sc.names.pop();
            push_block(out, &label, Value::map(r?));
        }
        Ok(())
    }
}

fn push_block(out: &mut BTreeMap<String, Value>, kind: &str, v: Value) {
    let mut items = match out.remove(kind) {
        Some(Value::List(l)) => l.to_vec(),
        _ => Vec::new(),
    };
    items.push(v);
    out.insert(kind.to_string(), Value::list(items));
}

fn unknown_expansion(meta: &str, what: &str, w: &str) -> crate::l10n::Text {
    crate::text!("the {meta} of {what} depends on a value known only after apply ({w}); vpcraft cannot know how many instances to make: pin the value with --assume ADDRESS.ATTRIBUTE=VALUE or set it with --var")
}
