//! String and number functions: `format`, `join`, `split`, `replace`, `regex` (RE2 syntax, as
//! Terraform's, with the `regex` crate's linear-time matching and size limits) and friends.

use super::error::{TfError, TfResult};
use super::functions::Env;
use super::value::{fmt_num, Value};

fn err(env: &Env, msg: impl Into<crate::l10n::Text>) -> TfError {
    TfError::dynamic(Some(env.pos), msg)
}

fn s(env: &Env, v: &Value) -> TfResult<String> {
    v.to_string_lossless().ok_or_else(|| err(env, crate::text!("a string is required, not {}", v.type_name())))
}

fn n(env: &Env, v: &Value) -> TfResult<f64> {
    v.to_num().ok_or_else(|| err(env, crate::text!("a number is required, not {}", v.type_name())))
}

fn arg<'a>(env: &Env, name: &str, a: &'a [Value], i: usize) -> TfResult<&'a Value> {
    a.get(i).ok_or_else(|| TfError::fatal(Some(env.pos), crate::text!("{name}() needs at least {} argument(s)", i + 1)))
}

/// A regular expression, compiled within size limits; a literal `/…/` would not be special.
fn regex(env: &Env, pattern: &str) -> TfResult<regex::Regex> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| err(env, crate::text!("invalid regular expression: {e}")))
}

/// The captures of a match as `regex` returns them: the match, a list of groups, or a map of
/// named groups.
fn captures(re: &regex::Regex, caps: &regex::Captures) -> Value {
    let names: Vec<&str> = re.capture_names().flatten().collect();
    if !names.is_empty() {
        return Value::map(
            names
                .iter()
                .map(|n| (n.to_string(), caps.name(n).map_or(Value::Null, |m| Value::str(m.as_str()))))
                .collect(),
        );
    }
    if re.captures_len() > 1 {
        return Value::list(
            (1..re.captures_len()).map(|i| caps.get(i).map_or(Value::Null, |m| Value::str(m.as_str()))).collect(),
        );
    }
    Value::str(caps.get(0).map_or("", |m| m.as_str()))
}

/// Call a string or number function.
pub fn call(name: &str, a: &[Value], e: &Env) -> TfResult<Value> {
    let a0 = || arg(e, name, a, 0);
    let a1 = || arg(e, name, a, 1);
    Ok(match name {
        "format" => Value::str(format(e, &s(e, a0()?)?, &a[1..])?),
        "formatlist" => {
            let f = s(e, a0()?)?;
            let len = a[1..].iter().filter_map(|x| x.as_seq().map(<[Value]>::len)).max().unwrap_or(1);
            e.budget.size(len, Some(e.pos))?;
            let mut out = Vec::with_capacity(len);
            for i in 0..len {
                let row: Vec<Value> = a[1..]
                    .iter()
                    .map(|x| match x.as_seq() {
                        Some(items) => items
                            .get(i)
                            .cloned()
                            .ok_or_else(|| err(e, crate::text!("formatlist(): the lists differ in length"))),
                        None => Ok(x.clone()),
                    })
                    .collect::<TfResult<_>>()?;
                out.push(Value::str(format(e, &f, &row)?));
            }
            Value::list(out)
        }
        "join" => {
            let sep = s(e, a0()?)?;
            let mut parts = Vec::new();
            for l in &a[1..] {
                let items = l.as_seq().ok_or_else(|| err(e, crate::text!("join() needs lists")))?;
                for x in items {
                    parts.push(s(e, x)?);
                }
            }
            let out = parts.join(&sep);
            e.budget.size(out.len(), Some(e.pos))?;
            Value::str(out)
        }
        "split" => {
            let (sep, text) = (s(e, a0()?)?, s(e, a1()?)?);
            if sep.is_empty() {
                Value::list(text.chars().map(|c| Value::str(c.to_string())).collect())
            } else {
                Value::list(text.split(sep.as_str()).map(Value::str).collect())
            }
        }
        "replace" => {
            let (text, from, to) = (s(e, a0()?)?, s(e, a1()?)?, s(e, arg(e, name, a, 2)?)?);
            let out = if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                regex(e, &from[1..from.len() - 1])?
                    .replace_all(&text, to.replace("$$", "\u{0}").replace('\u{0}', "$$").as_str())
                    .to_string()
            } else if from.is_empty() {
                text
            } else {
                text.replace(&from, &to)
            };
            e.budget.size(out.len(), Some(e.pos))?;
            Value::str(out)
        }
        "substr" => {
            let text: Vec<char> = s(e, a0()?)?.chars().collect();
            let off = n(e, a1()?)? as i64;
            let len = n(e, arg(e, name, a, 2)?)? as i64;
            let start = if off < 0 { (text.len() as i64 + off).max(0) } else { off.min(text.len() as i64) } as usize;
            let end = if len < 0 { text.len() } else { (start + len as usize).min(text.len()) };
            Value::str(text[start..end].iter().collect::<String>())
        }
        "regex" | "regexall" => {
            let (pattern, text) = (s(e, a0()?)?, s(e, a1()?)?);
            let re = regex(e, &pattern)?;
            if name == "regex" {
                match re.captures(&text) {
                    Some(c) => captures(&re, &c),
                    None => return Err(err(e, crate::text!("regex(): \"{pattern}\" does not match"))),
                }
            } else {
                let all: Vec<Value> =
                    re.captures_iter(&text).take(e.budget.limits.max_len).map(|c| captures(&re, &c)).collect();
                Value::list(all)
            }
        }
        "startswith" => Value::Bool(s(e, a0()?)?.starts_with(&s(e, a1()?)?)),
        "endswith" => Value::Bool(s(e, a0()?)?.ends_with(&s(e, a1()?)?)),
        "strcontains" => Value::Bool(s(e, a0()?)?.contains(&s(e, a1()?)?)),
        "lower" => Value::str(s(e, a0()?)?.to_lowercase()),
        "upper" => Value::str(s(e, a0()?)?.to_uppercase()),
        "title" => {
            let mut out = String::new();
            let mut start = true;
            for c in s(e, a0()?)?.chars() {
                out.extend(if start { c.to_uppercase().collect::<Vec<_>>() } else { vec![c] });
                start = !c.is_alphanumeric();
            }
            Value::str(out)
        }
        "trimspace" => Value::str(s(e, a0()?)?.trim()),
        "trim" => {
            let cut: Vec<char> = s(e, a1()?)?.chars().collect();
            Value::str(s(e, a0()?)?.trim_matches(|c| cut.contains(&c)))
        }
        "trimprefix" => {
            let t = s(e, a0()?)?;
            Value::str(t.strip_prefix(s(e, a1()?)?.as_str()).unwrap_or(&t))
        }
        "trimsuffix" => {
            let t = s(e, a0()?)?;
            Value::str(t.strip_suffix(s(e, a1()?)?.as_str()).unwrap_or(&t))
        }
        "chomp" => Value::str(s(e, a0()?)?.trim_end_matches(['\n', '\r'])),
        "strrev" => Value::str(s(e, a0()?)?.chars().rev().collect::<String>()),
        "indent" => {
            let pad = " ".repeat(n(e, a0()?)?.clamp(0.0, 1024.0) as usize);
            Value::str(s(e, a1()?)?.replace('\n', &format!("\n{pad}")))
        }
        "abs" => Value::Num(n(e, a0()?)?.abs()),
        "ceil" => Value::Num(n(e, a0()?)?.ceil()),
        "floor" => Value::Num(n(e, a0()?)?.floor()),
        "signum" => Value::Num(n(e, a0()?)?.signum()),
        "pow" => Value::Num(n(e, a0()?)?.powf(n(e, a1()?)?)),
        "log" => Value::Num(n(e, a0()?)?.log(n(e, a1()?)?)),
        "parseint" => {
            let (text, base) = (s(e, a0()?)?, n(e, a1()?)? as u32);
            if !(2..=62).contains(&base) {
                return Err(err(e, crate::text!("parseint(): the base must be 2 to 62")));
            }
            let v = i64::from_str_radix(&text, base.min(36))
                .map_err(|_| err(e, crate::text!("parseint(): \"{text}\" is not a base-{base} number")))?;
            Value::Num(v as f64)
        }
        other => return Err(TfError::fatal(Some(e.pos), crate::text!("there is no function named \"{other}\""))),
    })
}

/// Terraform's `format` verbs: `%s %d %f %.Nf %t %q %v %%`, with widths and zero padding.
fn format(e: &Env, f: &str, args: &[Value]) -> TfResult<String> {
    let mut out = String::new();
    let mut chars = f.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut flags = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || d == '.' || d == '-' || d == '+' || d == ' ' {
                flags.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let verb = chars.next().ok_or_else(|| err(e, crate::text!("format(): the string ends inside a verb")))?;
        let v = args.get(next).ok_or_else(|| err(e, crate::text!("format(): not enough arguments")))?;
        next += 1;
        let left = flags.starts_with('-');
        let flags = flags.trim_start_matches('-');
        let (width, prec) = match flags.split_once('.') {
            Some((w, p)) => (w, p.parse::<usize>().ok()),
            None => (flags, None),
        };
        let zero = width.starts_with('0');
        let width: usize = width.parse().unwrap_or(0);
        let body = match verb {
            's' | 'v' => s(e, v)?,
            'd' => fmt_num(n(e, v)?.trunc()),
            'f' | 'g' | 'e' => format!("{:.*}", prec.unwrap_or(6), n(e, v)?),
            't' => v.to_bool().ok_or_else(|| err(e, crate::text!("format(): %t needs a bool")))?.to_string(),
            'q' => serde_json::to_string(&s(e, v)?).unwrap_or_default(),
            'x' => format!("{:x}", n(e, v)? as i64),
            'X' => format!("{:X}", n(e, v)? as i64),
            'o' => format!("{:o}", n(e, v)? as i64),
            'b' => format!("{:b}", n(e, v)? as i64),
            other => return Err(err(e, crate::text!("format(): unsupported verb %{other}"))),
        };
        let pad = width.saturating_sub(body.chars().count());
        if left {
            out.push_str(&body);
            out.push_str(&" ".repeat(pad));
        } else if zero && !matches!(verb, 's' | 'q' | 'v' | 't') {
            let (sign, digits) = body.strip_prefix('-').map_or(("", body.as_str()), |d| ("-", d));
            out.push_str(sign);
            out.push_str(&"0".repeat(pad));
            out.push_str(digits);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&body);
        }
        e.budget.size(out.len(), Some(e.pos))?;
    }
    Ok(out)
}
