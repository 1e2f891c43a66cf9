//! Reading the values of AWS API output and CloudFormation properties strictly, for both
//! importers: a value of the wrong type or out of range is an error naming the field, never
//! read as absent (and so never turned into a default that changes behaviour).

use crate::model::{PortSpec, Protocol};
use serde_json::Value;

/// An integer field: absent or `null` is `Ok(None)`; a whole number (or a string holding one,
/// as CloudFormation allows) is `Ok(Some)`; anything else is an error.
pub fn int_field(v: &Value, key: &str) -> Result<Option<i64>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(x)) => x.as_i64().map(Some).ok_or_else(|| format!("{key} {x} is not a whole number")),
        Some(Value::String(x)) => x.trim().parse().map(Some).map_err(|_| format!("{key} {x:?} is not a whole number")),
        Some(other) => Err(format!("{key} is {}, not a whole number", kind(other))),
    }
}

/// A protocol field (`IpProtocol`, `Protocol`): see [`Protocol::from_aws`]; missing or of the
/// wrong type is an error.
pub fn protocol_field(v: &Value, key: &str) -> Result<Protocol, String> {
    match v.get(key) {
        Some(Value::String(t)) => Protocol::from_aws(t).map_err(|e| format!("{key}: {e}")),
        Some(Value::Number(x)) => Protocol::from_aws(&x.to_string()).map_err(|e| format!("{key}: {e}")),
        None | Some(Value::Null) => Err(format!("{key} is missing; AWS requires it")),
        Some(other) => Err(format!("{key} is {}, not a protocol", kind(other))),
    }
}

/// The ports of a rule from two integer fields (`FromPort`/`ToPort`, `From`/`To`,
/// `Type`/`Code`) of `v`: see [`PortSpec::from_aws`].
pub fn ports_field(proto: Protocol, v: &Value, from: &str, to: &str) -> Result<PortSpec, String> {
    PortSpec::from_aws(proto, int_field(v, from)?, int_field(v, to)?)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_aws_refuses_are_errors() {
        let v = json!({"FromPort": 443, "ToPort": "70000", "P": ["tcp"], "Q": "xyz", "R": "", "S": 6});
        assert!(ports_field(Protocol::Tcp, &v, "FromPort", "ToPort").unwrap_err().contains("0-65535"));
        assert!(protocol_field(&v, "P").unwrap_err().contains("a list"));
        assert!(protocol_field(&v, "Q").unwrap_err().contains("\"xyz\""));
        assert!(protocol_field(&v, "R").is_err());
        assert_eq!(protocol_field(&v, "S"), Ok(Protocol::Tcp));
        assert!(protocol_field(&v, "missing").is_err());
        let reversed = json!({"FromPort": 80, "ToPort": 22});
        assert!(ports_field(Protocol::Tcp, &reversed, "FromPort", "ToPort").unwrap_err().contains("above"));
        let minus = json!({"FromPort": -5, "ToPort": 80});
        assert!(ports_field(Protocol::Tcp, &minus, "FromPort", "ToPort").is_err());
        let icmp = json!({"FromPort": -1, "ToPort": -1});
        assert_eq!(ports_field(Protocol::Icmp, &icmp, "FromPort", "ToPort"), Ok(PortSpec::All));
        assert_eq!(ports_field(Protocol::All, &reversed, "FromPort", "ToPort"), Ok(PortSpec::All));
    }
}
