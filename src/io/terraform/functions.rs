//! Terraform's built-in functions that network configurations use: collections, strings,
//! numbers, type conversions, files, JSON, regular expressions; the CIDR functions are in
//! [`super::cidr`]. An unknown argument makes an unknown result. `try` and `can` are handled
//! by the evaluator (they need the unevaluated arguments).

use super::cidr;
use super::error::{Pos, TfError, TfResult};
use super::eval::equal;
use super::limits::Budget;
use super::value::{fmt_num, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a function may use besides its arguments.
pub struct Env<'a> {
    pub budget: &'a mut Budget,
    pub pos: Pos,
    /// The module's directory (`file()` reads relative to it).
    pub dir: PathBuf,
}

/// Functions whose results vpcraft cannot know (hashes, time, random ids, templates of files):
/// they give unknown values.
const OPAQUE: &[&str] = &[
    "base64encode",
    "base64decode",
    "base64gzip",
    "base64sha256",
    "base64sha512",
    "filebase64",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "uuid",
    "uuidv5",
    "bcrypt",
    "timestamp",
    "plantimestamp",
    "timeadd",
    "formatdate",
    "timecmp",
    "templatefile",
    "rsadecrypt",
    "yamlencode",
    "yamldecode",
    "urlencode",
    "textencodebase64",
    "textdecodebase64",
    "filebase64sha256",
    "filebase64sha512",
    "ephemeralasnull",
];

const KNOWN: &[&str] = &[
    "cidrsubnet",
    "cidrsubnets",
    "cidrhost",
    "cidrnetmask",
    "concat",
    "coalesce",
    "coalescelist",
    "compact",
    "contains",
    "distinct",
    "element",
    "flatten",
    "format",
    "formatlist",
    "join",
    "keys",
    "values",
    "length",
    "lookup",
    "max",
    "min",
    "merge",
    "range",
    "replace",
    "slice",
    "sort",
    "split",
    "substr",
    "tolist",
    "toset",
    "tomap",
    "tonumber",
    "tostring",
    "tobool",
    "zipmap",
    "file",
    "fileexists",
    "jsonencode",
    "jsondecode",
    "regex",
    "regexall",
    "startswith",
    "endswith",
    "strcontains",
    "lower",
    "upper",
    "title",
    "trimspace",
    "trim",
    "trimprefix",
    "trimsuffix",
    "chomp",
    "abs",
    "ceil",
    "floor",
    "pow",
    "signum",
    "parseint",
    "log",
    "chunklist",
    "setunion",
    "setintersection",
    "setsubtract",
    "setproduct",
    "reverse",
    "index",
    "alltrue",
    "anytrue",
    "one",
    "sum",
    "basename",
    "dirname",
    "abspath",
    "pathexpand",
    "nonsensitive",
    "sensitive",
    "strrev",
    "indent",
    "transpose",
    "matchkeys",
    "type",
    "issensitive",
];

/// Whether Terraform has a function of this name that vpcraft evaluates (or knows to be opaque).
pub fn exists(name: &str) -> bool {
    KNOWN.contains(&name) || OPAQUE.contains(&name)
}

fn err(env: &Env, msg: impl Into<crate::l10n::Text>) -> TfError {
    TfError::dynamic(Some(env.pos), msg)
}

fn want_args(env: &Env, name: &str, args: &[Value], min: usize, max: usize) -> TfResult<()> {
    if args.len() < min || args.len() > max {
        let n = if min == max {
            crate::l10n::Text::from(min.to_string())
        } else if max == usize::MAX {
            crate::text!("at least {min}")
        } else {
            crate::text!("{min} to {max}")
        };
        let msg = crate::text!("{name}() takes {n} argument(s), not {}", args.len()).with("n", n.clone());
        return Err(TfError::fatal(Some(env.pos), msg));
    }
    Ok(())
}

fn s(env: &Env, v: &Value) -> TfResult<String> {
    v.to_string_lossless().ok_or_else(|| err(env, crate::text!("a string is required, not {}", v.type_name())))
}

fn n(env: &Env, v: &Value) -> TfResult<f64> {
    v.to_num().ok_or_else(|| err(env, crate::text!("a number is required, not {}", v.type_name())))
}

fn int(env: &Env, v: &Value) -> TfResult<i64> {
    let x = n(env, v)?;
    if x.fract() != 0.0 || x.abs() > 9e15 {
        return Err(err(env, crate::text!("a whole number is required, not {}", fmt_num(x))));
    }
    Ok(x as i64)
}

fn seq(env: &Env, v: &Value) -> TfResult<Vec<Value>> {
    v.as_seq().map(<[Value]>::to_vec).ok_or_else(|| err(env, crate::text!("a list is required, not {}", v.type_name())))
}

fn map(env: &Env, v: &Value) -> TfResult<BTreeMap<String, Value>> {
    v.as_map().cloned().ok_or_else(|| err(env, crate::text!("a map is required, not {}", v.type_name())))
}

/// Call a function on evaluated arguments.
pub fn call(name: &str, args: Vec<Value>, env: &mut Env) -> TfResult<Value> {
    if OPAQUE.contains(&name) {
        return Ok(Value::unknown(format!("{name}(…)")));
    }
    // Identity-like functions keep unknowns as they are; the rest are unknown when an
    // argument is (except those that only look at a collection's shape).
    let shape_only =
        matches!(name, "length" | "keys" | "coalesce" | "try" | "concat" | "merge" | "compact" | "flatten");
    if !shape_only {
        if let Some(w) = args.iter().find(|a| a.is_unknown()).and_then(Value::first_unknown) {
            return Ok(Value::unknown(w));
        }
    }
    let total: usize = args.iter().map(|a| a.as_seq().map_or(1, <[Value]>::len)).sum();
    env.budget.steps(total, Some(env.pos))?;
    if let Some(v) = cidr::call(name, &args, env)? {
        return Ok(v);
    }
    let a = &args;
    let e: &Env = env;
    Ok(match name {
        "length" => {
            want_args(e, name, a, 1, 1)?;
            match &a[0] {
                Value::Unknown(w) => Value::Unknown(w.clone()),
                Value::Str(x) => Value::Num(x.chars().count() as f64),
                Value::List(x) | Value::Set(x) => Value::Num(x.len() as f64),
                Value::Map(m) => Value::Num(m.keys().filter(|k| !k.starts_with('\0')).count() as f64),
                other => return Err(err(e, crate::text!("length() of a {}", other.type_name()))),
            }
        }
        "concat" => {
            let mut out = Vec::new();
            for x in a {
                if let Value::Unknown(w) = x {
                    return Ok(Value::Unknown(w.clone()));
                }
                out.extend(seq(e, x)?);
            }
            e.budget.size(out.len(), Some(e.pos))?;
            Value::list(out)
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for x in a {
                match x {
                    Value::Null => {}
                    Value::Unknown(w) => return Ok(Value::Unknown(w.clone())),
                    m => out.extend(map(e, m)?.into_iter().filter(|(k, _)| !k.starts_with('\0'))),
                }
            }
            Value::map(out)
        }
        "coalesce" => {
            for x in a {
                match x {
                    Value::Unknown(w) => return Ok(Value::Unknown(w.clone())),
                    Value::Null => {}
                    Value::Str(t) if t.is_empty() => {}
                    other => return Ok(other.clone()),
                }
            }
            return Err(err(e, crate::text!("coalesce(): every argument is null or empty")));
        }
        "coalescelist" => {
            for x in a {
                if !seq(e, x)?.is_empty() {
                    return Ok(x.clone());
                }
            }
            return Err(err(e, crate::text!("coalescelist(): every list is empty")));
        }
        "compact" => {
            want_args(e, name, a, 1, 1)?;
            if let Value::Unknown(w) = &a[0] {
                return Ok(Value::Unknown(w.clone()));
            }
            let items = seq(e, &a[0])?;
            if let Some(w) = items.iter().find_map(Value::first_unknown) {
                return Ok(Value::unknown(w));
            }
            Value::list(items.into_iter().filter(|x| !(x.is_null() || x.as_str() == Some(""))).collect())
        }
        "flatten" => {
            want_args(e, name, a, 1, 1)?;
            let mut out = Vec::new();
            flatten(e, &a[0], &mut out, 0)?;
            if let Some(w) = out.iter().find_map(|x| x.first_unknown().filter(|_| x.is_unknown())) {
                return Ok(Value::unknown(w));
            }
            Value::list(out)
        }
        "keys" => {
            want_args(e, name, a, 1, 1)?;
            if let Value::Unknown(w) = &a[0] {
                return Ok(Value::Unknown(w.clone()));
            }
            Value::list(map(e, &a[0])?.keys().filter(|k| !k.starts_with('\0')).map(Value::str).collect())
        }
        "values" => {
            want_args(e, name, a, 1, 1)?;
            Value::list(map(e, &a[0])?.into_iter().filter(|(k, _)| !k.starts_with('\0')).map(|(_, v)| v).collect())
        }
        "contains" => {
            want_args(e, name, a, 2, 2)?;
            Value::Bool(seq(e, &a[0])?.iter().any(|x| equal(x, &a[1])))
        }
        "distinct" => {
            want_args(e, name, a, 1, 1)?;
            let mut out: Vec<Value> = Vec::new();
            for x in seq(e, &a[0])? {
                if !out.iter().any(|y| equal(y, &x)) {
                    out.push(x);
                }
            }
            Value::list(out)
        }
        "element" => {
            want_args(e, name, a, 2, 2)?;
            let items = seq(e, &a[0])?;
            if items.is_empty() {
                return Err(err(e, crate::text!("element() of an empty list")));
            }
            let i = int(e, &a[1])?;
            if i < 0 {
                return Err(err(e, crate::text!("element() index must not be negative")));
            }
            items[i as usize % items.len()].clone()
        }
        "index" => {
            want_args(e, name, a, 2, 2)?;
            match seq(e, &a[0])?.iter().position(|x| equal(x, &a[1])) {
                Some(i) => Value::Num(i as f64),
                None => return Err(err(e, crate::text!("index(): the value is not in the list"))),
            }
        }
        "lookup" => {
            want_args(e, name, a, 2, 3)?;
            let m = map(e, &a[0])?;
            match m.get(&s(e, &a[1])?) {
                Some(v) => v.clone(),
                None => match a.get(2) {
                    Some(d) => d.clone(),
                    None => return Err(err(e, crate::text!("lookup(): no key \"{}\" and no default", s(e, &a[1])?))),
                },
            }
        }
        "max" | "min" => {
            want_args(e, name, a, 1, usize::MAX)?;
            let nums: Vec<f64> = a.iter().map(|x| n(e, x)).collect::<TfResult<_>>()?;
            let f = if name == "max" { f64::max } else { f64::min };
            Value::Num(nums.into_iter().reduce(f).unwrap_or(0.0))
        }
        "sum" => {
            want_args(e, name, a, 1, 1)?;
            Value::Num(seq(e, &a[0])?.iter().map(|x| n(e, x)).sum::<TfResult<f64>>()?)
        }
        "range" => {
            want_args(e, name, a, 1, 3)?;
            let (start, end, step) = match a.len() {
                1 => (0.0, n(e, &a[0])?, 1.0),
                2 => (n(e, &a[0])?, n(e, &a[1])?, 1.0),
                _ => (n(e, &a[0])?, n(e, &a[1])?, n(e, &a[2])?),
            };
            if step == 0.0 || (end - start) / step < 0.0 && end != start {
                if step == 0.0 {
                    return Err(err(e, crate::text!("range(): the step must not be zero")));
                }
                return Ok(Value::list(Vec::new()));
            }
            let count = ((end - start) / step).ceil().max(0.0);
            e.budget.size(count as usize, Some(e.pos))?;
            Value::list((0..count as usize).map(|i| Value::Num(start + step * i as f64)).collect())
        }
        "slice" => {
            want_args(e, name, a, 3, 3)?;
            let items = seq(e, &a[0])?;
            let (from, to) = (int(e, &a[1])?, int(e, &a[2])?);
            if from < 0 || to < from || to as usize > items.len() {
                return Err(err(e, crate::text!("slice(): {from}..{to} is outside a list of {}", items.len())));
            }
            Value::list(items[from as usize..to as usize].to_vec())
        }
        "reverse" => Value::list(seq(e, &a[0])?.into_iter().rev().collect()),
        "sort" => {
            want_args(e, name, a, 1, 1)?;
            let mut items: Vec<String> = seq(e, &a[0])?.iter().map(|x| s(e, x)).collect::<TfResult<_>>()?;
            items.sort();
            Value::list(items.into_iter().map(Value::str).collect())
        }
        "chunklist" => {
            want_args(e, name, a, 2, 2)?;
            let items = seq(e, &a[0])?;
            let size = int(e, &a[1])?;
            if size <= 0 {
                return Err(err(e, crate::text!("chunklist(): the size must be positive")));
            }
            Value::list(items.chunks(size as usize).map(|c| Value::list(c.to_vec())).collect())
        }
        "zipmap" => {
            want_args(e, name, a, 2, 2)?;
            let (k, v) = (seq(e, &a[0])?, seq(e, &a[1])?);
            if k.len() != v.len() {
                return Err(err(e, crate::text!("zipmap(): the lists differ in length")));
            }
            Value::map(k.iter().map(|x| s(e, x)).zip(v).map(|(k, v)| k.map(|k| (k, v))).collect::<TfResult<_>>()?)
        }
        "setunion" | "setintersection" | "setsubtract" => {
            want_args(e, name, a, 1, usize::MAX)?;
            let sets: Vec<Vec<Value>> = a.iter().map(|x| seq(e, x)).collect::<TfResult<_>>()?;
            let mut acc = sets[0].clone();
            for other in &sets[1..] {
                acc = match name {
                    "setunion" => acc.into_iter().chain(other.iter().cloned()).collect(),
                    "setintersection" => acc.into_iter().filter(|x| other.iter().any(|y| equal(x, y))).collect(),
                    _ => acc.into_iter().filter(|x| !other.iter().any(|y| equal(x, y))).collect(),
                };
            }
            Value::set(acc)
        }
        "setproduct" => {
            let sets: Vec<Vec<Value>> = a.iter().map(|x| seq(e, x)).collect::<TfResult<_>>()?;
            let total: usize =
                sets.iter().map(Vec::len).try_fold(1usize, |acc, l| acc.checked_mul(l)).unwrap_or(usize::MAX);
            e.budget.size(total, Some(e.pos))?;
            let mut out: Vec<Vec<Value>> = vec![Vec::new()];
            for set in sets {
                out = out
                    .into_iter()
                    .flat_map(|p| set.iter().map(move |x| [p.clone(), vec![x.clone()]].concat()))
                    .collect();
            }
            Value::list(out.into_iter().map(Value::list).collect())
        }
        "alltrue" | "anytrue" => {
            let items = seq(e, &a[0])?;
            let bools: Vec<bool> = items
                .iter()
                .map(|x| x.to_bool().ok_or_else(|| err(e, crate::text!("a list of bools is required"))))
                .collect::<TfResult<_>>()?;
            Value::Bool(if name == "alltrue" { bools.iter().all(|b| *b) } else { bools.iter().any(|b| *b) })
        }
        "one" => {
            let items = seq(e, &a[0])?;
            match items.len() {
                0 => Value::Null,
                1 => items[0].clone(),
                k => return Err(err(e, crate::text!("one(): the list has {k} elements"))),
            }
        }
        "transpose" => {
            let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (k, v) in map(e, &a[0])? {
                for x in seq(e, &v)? {
                    out.entry(s(e, &x)?).or_default().push(Value::str(&k));
                }
            }
            Value::map(out.into_iter().map(|(k, v)| (k, Value::list(v))).collect())
        }
        "matchkeys" => {
            want_args(e, name, a, 3, 3)?;
            let (vals, keys, search) = (seq(e, &a[0])?, seq(e, &a[1])?, seq(e, &a[2])?);
            Value::list(
                vals.into_iter()
                    .zip(keys)
                    .filter(|(_, k)| search.iter().any(|x| equal(x, k)))
                    .map(|(v, _)| v)
                    .collect(),
            )
        }
        "tolist" => match &a[0] {
            Value::List(_) | Value::Null => a[0].clone(),
            Value::Set(x) => Value::list(x.to_vec()),
            other => return Err(err(e, crate::text!("tolist() of a {}", other.type_name()))),
        },
        "toset" => match &a[0] {
            Value::List(x) | Value::Set(x) => Value::set(x.to_vec()),
            Value::Null => Value::Null,
            other => return Err(err(e, crate::text!("toset() of a {}", other.type_name()))),
        },
        "tomap" => Value::map(map(e, &a[0])?),
        "tonumber" => match &a[0] {
            Value::Null => Value::Null,
            x => Value::Num(n(e, x)?),
        },
        "tostring" => match &a[0] {
            Value::Null => Value::Null,
            x => Value::str(s(e, x)?),
        },
        "tobool" => match &a[0] {
            Value::Null => Value::Null,
            x => Value::Bool(x.to_bool().ok_or_else(|| err(e, crate::text!("tobool() needs true or false")))?),
        },
        "nonsensitive" | "sensitive" => a[0].clone(),
        "issensitive" => Value::Bool(false),
        "type" => Value::str(a[0].type_name()),
        "jsonencode" => {
            want_args(e, name, a, 1, 1)?;
            match a[0].to_json() {
                Some(j) => Value::str(j.to_string()),
                None => Value::unknown("jsonencode(…)"),
            }
        }
        "jsondecode" => {
            let t = s(e, &a[0])?;
            let j: serde_json::Value =
                serde_json::from_str(&t).map_err(|x| err(e, crate::text!("jsondecode(): {x}")))?;
            Value::from_json(&j)
        }
        "file" | "fileexists" => {
            let rel = s(e, &a[0])?;
            let path = e.dir.join(&rel);
            if name == "fileexists" {
                return Ok(Value::Bool(path.is_file()));
            }
            let meta = std::fs::metadata(&path).map_err(|x| err(e, crate::text!("file(\"{rel}\"): {x}")))?;
            if meta.len() > e.budget.limits.max_file_bytes {
                return Err(TfError::fatal(
                    Some(e.pos),
                    crate::text!("file(\"{rel}\") is larger than {} bytes", e.budget.limits.max_file_bytes),
                ));
            }
            let bytes = crate::io::input::read_at_most(&path, e.budget.limits.max_file_bytes)
                .map_err(|x| err(e, crate::text!("file(\"{rel}\"): {x}").with("x", x)))?;
            Value::str(String::from_utf8(bytes).map_err(|_| err(e, crate::text!("file(\"{rel}\") is not UTF-8 text")))?)
        }
        "basename" | "dirname" | "abspath" | "pathexpand" => {
            let p = s(e, &a[0])?;
            let path = std::path::Path::new(&p);
            Value::str(match name {
                "basename" => path.file_name().map(|x| x.to_string_lossy().to_string()).unwrap_or_default(),
                "dirname" => path
                    .parent()
                    .map(|x| x.display().to_string())
                    .filter(|x| !x.is_empty())
                    .unwrap_or_else(|| ".".into()),
                _ => p,
            })
        }
        _ => return super::text::call(name, a, e),
    })
}

fn flatten(env: &Env, v: &Value, out: &mut Vec<Value>, depth: usize) -> TfResult<()> {
    if depth > 64 {
        return Err(err(env, crate::text!("flatten(): lists nest too deeply")));
    }
    match v {
        Value::List(x) | Value::Set(x) => {
            for i in x.iter() {
                match i {
                    Value::List(_) | Value::Set(_) => flatten(env, i, out, depth + 1)?,
                    other => out.push(other.clone()),
                }
            }
        }
        Value::Unknown(_) => out.push(v.clone()),
        other => return Err(err(env, crate::text!("flatten() of a {}", other.type_name()))),
    }
    env.budget.size(out.len(), Some(env.pos))?;
    Ok(())
}
