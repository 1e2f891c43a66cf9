//! A small HCL writer: blocks with attributes and nested blocks, strings escaped so the text
//! always parses (`${` and `%{` are escaped as `$${` and `%%{`).

use std::fmt::Write;

/// An attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Hv {
    Str(String),
    Num(i64),
    Bool(bool),
    /// A reference or other expression, written as is (`aws_vpc.hub.id`).
    Expr(String),
    List(Vec<Hv>),
    /// An object, `{ key = value }`.
    Map(Vec<(String, Hv)>),
}

impl Hv {
    /// A string value.
    pub fn s(text: impl Into<String>) -> Hv {
        Hv::Str(text.into())
    }
}

/// A block: `type "label" "label" { … }`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub attrs: Vec<(String, Hv)>,
    pub blocks: Vec<Block>,
}

impl Block {
    /// A block with labels.
    pub fn new(kind: &str, labels: &[&str]) -> Block {
        Block { kind: kind.into(), labels: labels.iter().map(|l| l.to_string()).collect(), ..Default::default() }
    }

    /// Add an attribute.
    pub fn set(&mut self, key: &str, v: Hv) -> &mut Block {
        self.attrs.push((key.into(), v));
        self
    }

    /// Add a nested block.
    pub fn child(&mut self, b: Block) -> &mut Block {
        self.blocks.push(b);
        self
    }
}

/// A string literal with every character HCL treats specially escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn value(v: &Hv, indent: usize, out: &mut String) {
    match v {
        Hv::Str(s) => out.push_str(&quote(s)),
        Hv::Num(n) => {
            let _ = write!(out, "{n}");
        }
        Hv::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Hv::Expr(e) => out.push_str(e),
        Hv::List(items) => {
            out.push('[');
            for (k, i) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                value(i, indent, out);
            }
            out.push(']');
        }
        Hv::Map(entries) => {
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{\n");
            for (k, v) in entries {
                let key = if is_identifier(k) { k.clone() } else { quote(k) };
                let _ = write!(out, "{}{key} = ", "  ".repeat(indent + 1));
                value(v, indent + 1, out);
                out.push('\n');
            }
            let _ = write!(out, "{}}}", "  ".repeat(indent));
        }
    }
}

/// Write a block at an indentation level.
pub fn render(b: &Block, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    let _ = write!(out, "{pad}{}", b.kind);
    for l in &b.labels {
        let _ = write!(out, " {}", quote(l));
    }
    out.push_str(" {\n");
    let width = b.attrs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in &b.attrs {
        let _ = write!(out, "{pad}  {k:<width$} = ");
        value(v, indent + 1, out);
        out.push('\n');
    }
    for c in &b.blocks {
        render(c, indent + 1, out);
    }
    let _ = writeln!(out, "{pad}}}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quote("a\"b\\c${x}%{y}$z\n"), "\"a\\\"b\\\\c$${x}%%{y}$z\\n\"");
        let mut b = Block::new("resource", &["aws_vpc", "hub"]);
        b.set("cidr_block", Hv::s("10.0.0.0/16")).set("tags", Hv::Map(vec![("Name".into(), Hv::s("hub"))]));
        b.child(Block::new("lifecycle", &[]));
        let mut out = String::new();
        render(&b, 0, &mut out);
        assert!(out.starts_with("resource \"aws_vpc\" \"hub\" {\n  cidr_block = \"10.0.0.0/16\"\n"), "{out}");
        assert!(out.contains("  lifecycle {\n  }\n"), "{out}");
    }
}
