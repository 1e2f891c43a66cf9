//! Marker values for things only known at deploy time.
//!
//! Object markers (single `$`-key objects) stand in for whole values:
//!
//! | marker | meaning |
//! | --- | --- |
//! | `{"$ref": "Id"}` | `Ref` to resource `Id` (its physical id) |
//! | `{"$getatt": ["Id", "Attr"]}` | `Fn::GetAtt` that cannot be derived from the template |
//! | `{"$import": "Name"}` | `Fn::ImportValue` of another stack's export |
//! | `{"$ssm": "/path"}` | an `AWS::SSM::Parameter::Value<…>` parameter |
//! | `{"$unresolved": {"Fn::X": [args]}}` | an intrinsic whose input was a marker |
//! | `{"$unsupported": {"Fn::X": raw}}` | an intrinsic this evaluator does not support |
//!
//! When a marker must become text (inside `Fn::Sub` or `Fn::Join`), it is written as a
//! marker substring: `{{$ref:Id}}`, `{{$getatt:Id.Attr}}`, `{{$import:Name}}`,
//! `{{$ssm:/path}}`, `{{$unresolved}}` or `{{$unsupported}}`. So
//! `!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'` becomes
//! `"arn:aws:s3:::{{$ref:Bucket}}/*"`. `Fn::Split` turns pieces that are exactly one
//! marker substring back into the object marker.

use serde_json::{json, Value};

/// Key of a resource `Ref` marker.
pub const REF: &str = "$ref";
/// Key of a `Fn::GetAtt` marker.
pub const GETATT: &str = "$getatt";
/// Key of a `Fn::ImportValue` marker.
pub const IMPORT: &str = "$import";
/// Key of an SSM parameter marker.
pub const SSM: &str = "$ssm";
/// Key of a deferred intrinsic marker.
pub const UNRESOLVED: &str = "$unresolved";
/// Key of an unsupported intrinsic marker.
pub const UNSUPPORTED: &str = "$unsupported";

/// A decoded marker.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Marker<'a> {
    /// `Ref` to a resource.
    Ref(&'a str),
    /// `Fn::GetAtt` resource and attribute.
    GetAtt(&'a str, &'a str),
    /// `Fn::ImportValue` export name.
    Import(&'a str),
    /// SSM parameter path.
    Ssm(&'a str),
    /// Deferred intrinsic (`{"Fn::X": [args]}`).
    Unresolved(&'a Value),
    /// Unsupported intrinsic (`{"Fn::X": raw}`).
    Unsupported(&'a Value),
}

/// Decodes `v` if it is an object marker.
pub fn marker(v: &Value) -> Option<Marker<'_>> {
    let obj = v.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    let (k, inner) = obj.iter().next()?;
    match k.as_str() {
        REF => inner.as_str().map(Marker::Ref),
        IMPORT => inner.as_str().map(Marker::Import),
        SSM => inner.as_str().map(Marker::Ssm),
        GETATT => match inner.as_array().map(Vec::as_slice) {
            Some([Value::String(r), Value::String(a)]) => Some(Marker::GetAtt(r, a)),
            _ => None,
        },
        UNRESOLVED => Some(Marker::Unresolved(inner)),
        UNSUPPORTED => Some(Marker::Unsupported(inner)),
        _ => None,
    }
}

/// True if `v` is an object marker.
pub fn is_marker(v: &Value) -> bool {
    marker(v).is_some()
}

/// True if `v` is or contains an object marker or a marker substring.
pub fn contains_marker(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains("{{$"),
        Value::Array(a) => a.iter().any(contains_marker),
        Value::Object(o) => is_marker(v) || o.values().any(contains_marker),
        _ => false,
    }
}

/// The marker substring for an object marker.
pub fn marker_text(m: Marker<'_>) -> String {
    match m {
        Marker::Ref(id) => format!("{{{{$ref:{id}}}}}"),
        Marker::GetAtt(id, attr) => format!("{{{{$getatt:{id}.{attr}}}}}"),
        Marker::Import(name) => format!("{{{{$import:{name}}}}}"),
        Marker::Ssm(path) => format!("{{{{$ssm:{path}}}}}"),
        Marker::Unresolved(_) => "{{$unresolved}}".to_string(),
        Marker::Unsupported(_) => "{{$unsupported}}".to_string(),
    }
}

/// Turns text that is exactly one `{{$ref|getatt|import|ssm:…}}` back into an object
/// marker.
pub fn parse_marker_text(s: &str) -> Option<Value> {
    let inner = s.strip_prefix("{{$")?.strip_suffix("}}")?;
    if inner.contains("{{$") {
        return None;
    }
    let (kind, arg) = inner.split_once(':')?;
    Some(match kind {
        "ref" => ref_marker(arg),
        "import" => json!({ IMPORT: arg }),
        "ssm" => json!({ SSM: arg }),
        "getatt" => {
            let (id, attr) = arg.split_once('.')?;
            getatt_marker(id, attr)
        }
        _ => return None,
    })
}

/// Text form of a scalar or marker, as `Fn::Join` / `Fn::Sub` need it; `None` for
/// null, lists and plain objects.
pub fn stringify(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => marker(v).map(marker_text),
    }
}

/// `{"$ref": id}`.
pub fn ref_marker(id: &str) -> Value {
    json!({ REF: id })
}

/// `{"$getatt": [id, attr]}`.
pub fn getatt_marker(id: &str, attr: &str) -> Value {
    json!({ GETATT: [id, attr] })
}

/// `{"$unresolved": {name: args}}`.
pub fn unresolved(name: &str, args: Vec<Value>) -> Value {
    json!({ UNRESOLVED: { name: args } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for v in [
            ref_marker("Vpc"),
            getatt_marker("Lb", "DNSName"),
            json!({"$import": "net-VPC"}),
            json!({"$ssm": "/aws/x"}),
        ] {
            let text = stringify(&v).unwrap();
            assert_eq!(parse_marker_text(&text), Some(v.clone()), "{text}");
            assert!(contains_marker(&v));
        }
        assert_eq!(stringify(&ref_marker("Vpc")).unwrap(), "{{$ref:Vpc}}");
        assert_eq!(parse_marker_text("a{{$ref:X}}"), None);
        assert_eq!(parse_marker_text("{{$ref:X}}{{$ref:Y}}"), None);
        assert!(!is_marker(&json!({"$ref": "a", "b": 1})));
        assert!(contains_marker(&json!(["x", {"k": "{{$ref:X}}"}])));
        assert!(!contains_marker(&json!(["x", {"k": 1}])));
    }
}
