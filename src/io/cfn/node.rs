//! The parsed template tree: JSON-like values that remember where they came from.

use serde_json::{Number, Value};

/// A 1-based line and column in the template text (0 means "unknown").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column number, counted in characters.
    pub column: u32,
}

impl Pos {
    /// Builds a position from a 1-based line and column.
    pub fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }
}

/// A mapping key with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where the key starts.
    pub pos: Pos,
}

/// The value of a [`Node`].
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// `null`, `~` or an empty YAML value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer or finite float.
    Number(Number),
    /// Any other scalar.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, keys in document order (duplicates are rejected by the parsers).
    Map(Vec<(Key, Node)>),
}

/// One value of the template tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: NodeKind,
    /// Where the value starts.
    pub pos: Pos,
}

impl Node {
    /// Builds a node.
    pub fn new(kind: NodeKind, pos: Pos) -> Self {
        Node { kind, pos }
    }

    /// The entries if this node is a mapping.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The items if this node is a list.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The text if this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Looks a key up in a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|(_, v)| v)
    }

    /// Looks a key up in a mapping node, returning the key too.
    pub fn get_entry(&self, key: &str) -> Option<(&Key, &Node)> {
        self.as_map()?.iter().find(|(k, _)| k.name == key).map(|(k, v)| (k, v))
    }

    /// The text of a scalar (string, number or bool); `None` for null and collections.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::Str(s) => Some(s.clone()),
            NodeKind::Number(n) => Some(n.to_string()),
            NodeKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Number of nodes in this subtree (including itself).
    pub fn count(&self) -> usize {
        match &self.kind {
            NodeKind::Seq(s) => 1 + s.iter().map(Node::count).sum::<usize>(),
            NodeKind::Map(m) => 1 + m.iter().map(|(_, v)| v.count()).sum::<usize>(),
            _ => 1,
        }
    }

    /// Converts the subtree to JSON without evaluating anything.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(n) => Value::Number(n.clone()),
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Seq(s) => Value::Array(s.iter().map(Node::to_json).collect()),
            NodeKind::Map(m) => Value::Object(m.iter().map(|(k, v)| (k.name.clone(), v.to_json())).collect()),
        }
    }
}

/// Parses number text the way both parsers agree on: integers that fit `i64`/`u64`
/// (no leading zeros), or finite floats. Anything else is `None`.
pub fn parse_number(text: &str) -> Option<Number> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if digits.len() > 1 && digits.starts_with('0') && !digits[1..].starts_with(['.', 'e', 'E']) {
        // `0123`, `0x1f`, `0o17`: keep as text (ids, octal ambiguity).
        return None;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return Some(Number::from(i));
        }
        if let Ok(u) = digits.parse::<u64>() {
            if !text.starts_with('-') {
                return Some(Number::from(u));
            }
        }
    }
    let float_like = digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if !float_like {
        return None;
    }
    let f: f64 = text.parse().ok()?;
    Number::from_f64(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("80"), Some(Number::from(80)));
        assert_eq!(parse_number("-3"), Some(Number::from(-3)));
        assert_eq!(parse_number("1.5").map(|n| n.as_f64()), Some(Some(1.5)));
        assert_eq!(parse_number("0"), Some(Number::from(0)));
        assert_eq!(parse_number("0.5").map(|n| n.as_f64()), Some(Some(0.5)));
        assert_eq!(parse_number("012345678901"), None);
        assert_eq!(parse_number("0x1f"), None);
        assert_eq!(parse_number("10.0.0.0"), None);
        assert_eq!(parse_number("2010-09-09"), None);
        assert_eq!(parse_number("1e999"), None);
        assert_eq!(parse_number(".inf"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("-"), None);
    }
}
