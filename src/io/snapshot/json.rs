//! Forgiving accessors over `describe-*` JSON: a missing or mistyped field is `None` or empty,
//! never a panic, so one odd resource cannot stop an import.

use ipnet::Ipv4Net;
use serde_json::Value;
use std::net::Ipv4Addr;

/// A string field.
pub fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str().filter(|x| !x.is_empty())
}

/// A string field, owned.
pub fn so(v: &Value, key: &str) -> Option<String> {
    s(v, key).map(str::to_string)
}

/// A boolean field (also `"true"` / `"false"` as strings).
pub fn b(v: &Value, key: &str) -> Option<bool> {
    match v.get(key)? {
        Value::Bool(x) => Some(*x),
        Value::String(x) => x.parse().ok(),
        _ => None,
    }
}

/// An integer field (also a numeric string, as `BgpAsn` is).
pub fn n(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(x) => x.as_i64(),
        Value::String(x) => x.trim().parse().ok(),
        _ => None,
    }
}

/// An array field (empty when missing or not an array).
pub fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// A nested object field (`Value::Null` when missing).
pub fn obj<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

/// An IPv4 CIDR field, canonicalised (A1).
pub fn cidr(v: &Value, key: &str) -> Option<Ipv4Net> {
    s(v, key)?.trim().parse::<Ipv4Net>().ok().map(|n| n.trunc())
}

/// An IPv6 CIDR field, host bits cleared.
pub fn cidr6(v: &Value, key: &str) -> Option<ipnet::Ipv6Net> {
    crate::net::parse_ipv6_cidr(s(v, key)?).ok().map(|p| p.cidr)
}

/// An IPv4 address field.
pub fn ip(v: &Value, key: &str) -> Option<Ipv4Addr> {
    s(v, key)?.trim().parse().ok()
}

/// The `Name` tag of a resource (`Tags` or `TagSet`).
pub fn name_tag(v: &Value) -> Option<String> {
    arr(v, "Tags").iter().chain(arr(v, "TagSet")).find(|t| s(t, "Key") == Some("Name")).and_then(|t| so(t, "Value"))
}

/// Strings of an array field, or of a field of each object in it (`GroupId` of `Groups`).
pub fn strings(v: &Value, key: &str, inner: Option<&str>) -> Vec<String> {
    arr(v, key)
        .iter()
        .filter_map(|x| match inner {
            Some(k) => so(x, k),
            None => x.as_str().map(str::to_string),
        })
        .collect()
}

/// A short description of a value's type, for report messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn forgiving_accessors() {
        let v =
            json!({"A": "x", "N": "65000", "B": "true", "C": "10.0.0.9/16", "Tags": [{"Key": "Name", "Value": "web"}]});
        assert_eq!(s(&v, "A"), Some("x"));
        assert_eq!(n(&v, "N"), Some(65000));
        assert_eq!(b(&v, "B"), Some(true));
        assert_eq!(cidr(&v, "C").unwrap().to_string(), "10.0.0.0/16");
        assert_eq!(name_tag(&v).as_deref(), Some("web"));
        assert!(arr(&v, "A").is_empty() && s(&v, "missing").is_none() && cidr(&v, "A").is_none());
    }
}
