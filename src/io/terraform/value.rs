//! Terraform values as the evaluator sees them: null, bool, number, string, list/tuple, set,
//! map/object, and unknown (a value known only after apply). Collections are shared (`Rc`) so
//! a resource referenced a thousand times is not copied a thousand times.

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// The hidden key that marks an object as a resource or data source instance: reading an
/// attribute it does not have gives an unknown value (computed by the provider) instead of an
/// error.
pub const RESOURCE_MARK: &str = "\u{0}address";

/// A Terraform value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    /// A list or tuple.
    List(Rc<Vec<Value>>),
    /// A set: sorted, without duplicates.
    Set(Rc<Vec<Value>>),
    /// A map or object (Terraform iterates both in key order).
    Map(Rc<BTreeMap<String, Value>>),
    /// Known only after apply; the text says what it stands for.
    Unknown(Rc<str>),
}

impl Value {
    pub fn str(s: impl AsRef<str>) -> Value {
        Value::Str(Rc::from(s.as_ref()))
    }

    pub fn list(v: Vec<Value>) -> Value {
        Value::List(Rc::new(v))
    }

    pub fn map(m: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(m))
    }

    pub fn unknown(what: impl AsRef<str>) -> Value {
        Value::Unknown(Rc::from(what.as_ref()))
    }

    /// A set from any values: sorted (strings lexically, numbers numerically) and deduplicated.
    pub fn set(mut v: Vec<Value>) -> Value {
        v.sort_by(compare);
        v.dedup();
        Value::Set(Rc::new(v))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// Whether this value or anything inside it is unknown.
    pub fn has_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::List(v) | Value::Set(v) => v.iter().any(Value::has_unknown),
            Value::Map(m) => m.values().any(Value::has_unknown),
            _ => false,
        }
    }

    /// The first unknown inside, to say what a value waits for.
    pub fn first_unknown(&self) -> Option<&str> {
        match self {
            Value::Unknown(w) => Some(w),
            Value::List(v) | Value::Set(v) => v.iter().find_map(Value::first_unknown),
            Value::Map(m) => m.values().find_map(Value::first_unknown),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Elements of a list, tuple or set.
    pub fn as_seq(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// An attribute of an object (`None` for other values and missing keys).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map()?.get(key)
    }

    /// The address of a resource instance object.
    pub fn resource_address(&self) -> Option<&str> {
        self.get(RESOURCE_MARK).and_then(Value::as_str)
    }

    /// Terraform's type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Map(_) => "object",
            Value::Unknown(_) => "unknown",
        }
    }

    /// A string conversion as Terraform does it for templates and `tostring`: strings,
    /// numbers and bools convert, nothing else.
    pub fn to_string_lossless(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.to_string()),
            Value::Num(n) => Some(fmt_num(*n)),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A number, also from a numeric string (Terraform converts `"80"` to `80`).
    pub fn to_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Str(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            _ => None,
        }
    }

    /// A bool, also from `"true"` / `"false"`.
    pub fn to_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Str(s) => match &**s {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// Rough size in bytes, for the evaluator's memory budget.
    pub fn weight(&self) -> usize {
        match self {
            Value::Str(s) | Value::Unknown(s) => 16 + s.len(),
            Value::List(v) | Value::Set(v) => 16 + v.len() * 16,
            Value::Map(m) => 16 + m.len() * 48,
            _ => 16,
        }
    }

    /// From JSON (`terraform show -json`, `.tfvars.json`, `jsondecode`).
    pub fn from_json(j: &serde_json::Value) -> Value {
        match j {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::str(s),
            serde_json::Value::Array(a) => Value::list(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => {
                Value::map(o.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }

    /// To JSON (`jsonencode`); unknown values are not representable (`None`).
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Num(n) => {
                if n.fract() == 0.0 && n.abs() < 9e15 {
                    serde_json::Value::from(*n as i64)
                } else {
                    serde_json::Number::from_f64(*n).map(serde_json::Value::Number)?
                }
            }
            Value::Str(s) => serde_json::Value::String(s.to_string()),
            Value::List(v) | Value::Set(v) => {
                serde_json::Value::Array(v.iter().map(Value::to_json).collect::<Option<Vec<_>>>()?)
            }
            Value::Map(m) => serde_json::Value::Object(
                m.iter()
                    .filter(|(k, _)| k.as_str() != RESOURCE_MARK)
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<serde_json::Map<_, _>>>()?,
            ),
            Value::Unknown(_) => return None,
        })
    }
}

/// A number as Terraform prints it: integers without a decimal point.
pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The order of set elements and `sort`: numbers numerically, strings lexically, then by type.
pub fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Value::Str(x), Value::Str(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => a.type_name().cmp(b.type_name()).then_with(|| format!("{a}").cmp(&format!("{b}"))),
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Num(n) => f.write_str(&fmt_num(*n)),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::List(v) | Value::Set(v) => {
                f.write_str("[")?;
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    if i >= 8 {
                        return write!(f, "… {} more]", v.len() - i);
                    }
                    write!(f, "{x}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, x)) in m.iter().filter(|(k, _)| k.as_str() != RESOURCE_MARK).enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    if i >= 8 {
                        return f.write_str("…}");
                    }
                    write!(f, "{k} = {x}")?;
                }
                f.write_str("}")
            }
            Value::Unknown(w) => write!(f, "(known after apply: {w})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_sort_and_dedupe_and_numbers_print_plainly() {
        let s = Value::set(vec![Value::str("b"), Value::str("a"), Value::str("b")]);
        assert_eq!(s.as_seq().unwrap(), &[Value::str("a"), Value::str("b")]);
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(2.5), "2.5");
        assert_eq!(Value::str("80").to_num(), Some(80.0));
        let j = serde_json::json!({"a": [1, "x", true, null]});
        assert_eq!(Value::from_json(&j).to_json().unwrap(), j);
        assert!(Value::list(vec![Value::unknown("x")]).has_unknown());
    }
}
