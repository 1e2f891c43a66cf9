//! A lossless view of a RON document for format migrations: every value with the byte span it
//! occupies in the text, struct and variant names kept. A migration reads this tree and
//! returns text edits; everything it does not touch stays byte for byte as written, so an error
//! later in the file still points at the line the user wrote it on.
//!
//! `ron::Value` drops struct and variant names (`Cidr("…")` and `PrefixList("…")` look alike),
//! which a migration needs, hence this small reader. It accepts the RON that design files use
//! (structs, tuples, lists, maps, strings, raw strings, chars, numbers, identifiers, comments and
//! `#![enable(…)]` attributes); anything else is an error and the file is left to `ron` to
//! report.

use std::fmt;

/// Nesting deeper than this is refused (a design file nests a handful of levels).
const MAX_DEPTH: usize = 128;

/// A byte range `[start, end)` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One value of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `Name(field: value, …)` or `(field: value, …)`; also `Name()`.
    Struct { name: Option<String>, fields: Vec<Field>, span: Span },
    /// `Name(value, …)` or `(value, …)`: a tuple, a newtype variant (`Some(…)`, `Cidr(…)`).
    Tuple { name: Option<String>, items: Vec<Value>, span: Span },
    /// `[value, …]`.
    List { items: Vec<Value>, span: Span },
    /// `{key: value, …}`.
    Map { entries: Vec<(Value, Value)>, span: Span },
    /// A string, raw string, char, number, `true`/`false`, a unit variant (`None`, `Allow`) or `()`.
    Atom { span: Span },
}

/// `name: value` inside a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    /// From the first letter of the name to the end of the value (no trailing comma).
    pub span: Span,
    pub value: Value,
}

/// Why the text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeError {
    pub offset: usize,
    pub message: crate::l10n::Text,
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl Value {
    /// Where the value is in the text.
    pub fn span(&self) -> Span {
        match self {
            Value::Struct { span, .. }
            | Value::Tuple { span, .. }
            | Value::List { span, .. }
            | Value::Map { span, .. }
            | Value::Atom { span } => *span,
        }
    }

    /// The struct's fields (empty for anything else).
    pub fn fields(&self) -> &[Field] {
        match self {
            Value::Struct { fields, .. } => fields,
            _ => &[],
        }
    }

    /// A field of a struct by name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// The items of a list (empty for anything else).
    pub fn items(&self) -> &[Value] {
        match self {
            Value::List { items, .. } => items,
            _ => &[],
        }
    }

    /// The struct or tuple name, if any.
    pub fn name(&self) -> Option<&str> {
        match self {
            Value::Struct { name, .. } | Value::Tuple { name, .. } => name.as_deref(),
            _ => None,
        }
    }

    /// The text of an atom, or of the single item of a newtype (`Some("x")` gives `"x"`).
    pub fn inner_text<'t>(&self, text: &'t str) -> Option<&'t str> {
        match self {
            Value::Atom { span } => text.get(span.start..span.end),
            Value::Tuple { items, .. } if items.len() == 1 => items[0].inner_text(text),
            _ => None,
        }
    }
}

/// Read a whole document: attributes, one value, nothing after it but blanks and comments.
pub fn parse(text: &str) -> Result<Value, TreeError> {
    let mut p = Reader { b: text.as_bytes(), text, i: 0, depth: 0 };
    p.blank()?;
    while p.b[p.i..].starts_with(b"#![") {
        p.skip_attribute()?;
        p.blank()?;
    }
    let v = p.value()?;
    p.blank()?;
    if p.i != p.b.len() {
        return Err(p.err(crate::text!("unexpected text after the document")));
    }
    Ok(v)
}

struct Reader<'t> {
    b: &'t [u8],
    text: &'t str,
    i: usize,
    depth: usize,
}

impl Reader<'_> {
    fn err(&self, m: crate::l10n::Text) -> TreeError {
        TreeError { offset: self.i, message: m }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Skip whitespace and comments (`//…`, nested `/* … */`).
    fn blank(&mut self) -> Result<(), TreeError> {
        loop {
            match (self.peek(), self.b.get(self.i + 1).copied()) {
                (Some(c), _) if c.is_ascii_whitespace() => self.i += 1,
                (Some(b'/'), Some(b'/')) => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.i += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    let mut level = 0usize;
                    loop {
                        match (self.peek(), self.b.get(self.i + 1).copied()) {
                            (None, _) => return Err(self.err(crate::text!("an unclosed /* comment"))),
                            (Some(b'/'), Some(b'*')) => {
                                level += 1;
                                self.i += 2;
                            }
                            (Some(b'*'), Some(b'/')) => {
                                level -= 1;
                                self.i += 2;
                                if level == 0 {
                                    break;
                                }
                            }
                            _ => self.i += 1,
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn skip_attribute(&mut self) -> Result<(), TreeError> {
        // `#![enable(implicit_some)]`: up to the matching `]`.
        let mut level = 0usize;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'[' => level += 1,
                b']' => {
                    level -= 1;
                    if level == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.err(crate::text!("an unclosed #![…] attribute")))
    }

    fn value(&mut self) -> Result<Value, TreeError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(crate::text!("nested too deeply")));
        }
        let v = self.value_inner();
        self.depth -= 1;
        v
    }

    fn value_inner(&mut self) -> Result<Value, TreeError> {
        let start = self.i;
        match self.peek() {
            None => Err(self.err(crate::text!("a value is missing"))),
            Some(b'"') => self.string(start),
            Some(b'\'') => self.char_lit(start),
            Some(b'[') => {
                self.i += 1;
                let items = self.seq(b']')?;
                Ok(Value::List { items, span: Span { start, end: self.i } })
            }
            Some(b'{') => {
                self.i += 1;
                let entries = self.map()?;
                Ok(Value::Map { entries, span: Span { start, end: self.i } })
            }
            Some(b'(') => self.parens(None, start),
            Some(b'r') if matches!(self.b.get(self.i + 1), Some(b'"' | b'#')) && self.raw_string_ahead() => {
                self.raw_string(start)
            }
            Some(b'b') if self.b.get(self.i + 1) == Some(&b'"') => {
                self.i += 1;
                self.string(start)
            }
            Some(c) if c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.' => self.number(start),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let name = self.ident()?;
                let after = self.i;
                self.blank()?;
                if self.peek() == Some(b'(') {
                    return self.parens(Some(name), start);
                }
                self.i = after;
                Ok(Value::Atom { span: Span { start, end: after } })
            }
            Some(_) => Err(self.err(crate::text!("unexpected character"))),
        }
    }

    /// `r"…"` or `r#"…"#` starts here (and not an identifier such as `region`).
    fn raw_string_ahead(&self) -> bool {
        let mut j = self.i + 1;
        while self.b.get(j) == Some(&b'#') {
            j += 1;
        }
        self.b.get(j) == Some(&b'"')
    }

    fn ident(&mut self) -> Result<String, TreeError> {
        let start = self.i;
        if self.b[self.i..].starts_with(b"r#") {
            self.i += 2;
        }
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
            self.i += 1;
        }
        if self.i == start {
            return Err(self.err(crate::text!("a name is expected")));
        }
        Ok(self.text[start..self.i].trim_start_matches("r#").to_string())
    }

    fn string(&mut self, start: usize) -> Result<Value, TreeError> {
        self.i += 1; // the opening quote
        loop {
            match self.peek() {
                None => return Err(self.err(crate::text!("an unclosed string"))),
                Some(b'\\') => self.i += 2,
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Value::Atom { span: Span { start, end: self.i } });
                }
                Some(_) => self.i += 1,
            }
        }
    }

    fn raw_string(&mut self, start: usize) -> Result<Value, TreeError> {
        self.i += 1; // r
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.i += 1;
        }
        self.i += 1; // the opening quote
        let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
        match self.b[self.i..].windows(close.len()).position(|w| w == close.as_slice()) {
            Some(k) => {
                self.i += k + close.len();
                Ok(Value::Atom { span: Span { start, end: self.i } })
            }
            None => Err(self.err(crate::text!("an unclosed raw string"))),
        }
    }

    fn char_lit(&mut self, start: usize) -> Result<Value, TreeError> {
        self.i += 1;
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(self.err(crate::text!("an unclosed character"))),
                Some(b'\\') => self.i += 2,
                Some(b'\'') => {
                    self.i += 1;
                    return Ok(Value::Atom { span: Span { start, end: self.i } });
                }
                Some(_) => self.i += 1,
            }
        }
    }

    fn number(&mut self, start: usize) -> Result<Value, TreeError> {
        self.i += 1;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'-')) {
            // A sign belongs to the number only right after an exponent.
            if matches!(self.peek(), Some(b'+' | b'-')) && !matches!(self.b[self.i - 1], b'e' | b'E') {
                break;
            }
            self.i += 1;
        }
        Ok(Value::Atom { span: Span { start, end: self.i } })
    }

    /// After `(`: a struct when the first thing inside is `name:`, a tuple otherwise.
    fn parens(&mut self, name: Option<String>, start: usize) -> Result<Value, TreeError> {
        self.i += 1; // (
        self.blank()?;
        if self.peek() == Some(b')') {
            self.i += 1;
            let span = Span { start, end: self.i };
            return Ok(match name {
                Some(_) => Value::Struct { name, fields: Vec::new(), span },
                None => Value::Atom { span },
            });
        }
        if self.field_ahead() {
            let mut fields = Vec::new();
            loop {
                self.blank()?;
                if self.peek() == Some(b')') {
                    self.i += 1;
                    break;
                }
                let fstart = self.i;
                let fname = self.ident()?;
                self.blank()?;
                if self.peek() != Some(b':') {
                    return Err(self.err(crate::text!("`:` is expected after a field name")));
                }
                self.i += 1;
                self.blank()?;
                let value = self.value()?;
                fields.push(Field { name: fname, span: Span { start: fstart, end: value.span().end }, value });
                if !self.comma_or(b')')? {
                    break;
                }
            }
            return Ok(Value::Struct { name, fields, span: Span { start, end: self.i } });
        }
        let items = self.seq(b')')?;
        Ok(Value::Tuple { name, items, span: Span { start, end: self.i } })
    }

    /// Whether `name:` (not `name::`) comes next.
    fn field_ahead(&mut self) -> bool {
        let save = self.i;
        let ok = self.peek().is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
            && self.ident().is_ok()
            && self.blank().is_ok()
            && self.peek() == Some(b':')
            && self.b.get(self.i + 1) != Some(&b':');
        self.i = save;
        ok
    }

    /// After an item: a comma (true: more may follow) or the closing bracket (false, consumed).
    fn comma_or(&mut self, close: u8) -> Result<bool, TreeError> {
        self.blank()?;
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                Ok(true)
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(false)
            }
            _ => Err(self.err(crate::text!("`,` or a closing bracket is expected"))),
        }
    }

    fn seq(&mut self, close: u8) -> Result<Vec<Value>, TreeError> {
        let mut items = Vec::new();
        loop {
            self.blank()?;
            if self.peek() == Some(close) {
                self.i += 1;
                return Ok(items);
            }
            items.push(self.value()?);
            if !self.comma_or(close)? {
                return Ok(items);
            }
        }
    }

    fn map(&mut self) -> Result<Vec<(Value, Value)>, TreeError> {
        let mut entries = Vec::new();
        loop {
            self.blank()?;
            if self.peek() == Some(b'}') {
                self.i += 1;
                return Ok(entries);
            }
            let k = self.value()?;
            self.blank()?;
            if self.peek() != Some(b':') {
                return Err(self.err(crate::text!("`:` is expected after a map key")));
            }
            self.i += 1;
            self.blank()?;
            let v = self.value()?;
            entries.push((k, v));
            if !self.comma_or(b'}')? {
                return Ok(entries);
            }
        }
    }
}

/// Text edits against one version of a document.
#[derive(Debug, Default, Clone)]
pub struct Edits {
    list: Vec<(Span, String)>,
}

impl Edits {
    /// Replace a span with new text.
    pub fn replace(&mut self, span: Span, text: impl Into<String>) {
        self.list.push((span, text.into()));
    }

    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The text with every edit made. Edits may not overlap.
    pub fn apply(mut self, text: &str) -> Result<String, crate::l10n::Text> {
        self.list.sort_by_key(|(s, _)| (s.start, s.end));
        let mut out = String::with_capacity(text.len() + 64);
        let mut at = 0;
        for (span, new) in &self.list {
            if span.start < at || span.end > text.len() || span.start > span.end {
                return Err(crate::text!("overlapping or misplaced edit at byte {}", span.start));
            }
            out.push_str(text.get(at..span.start).ok_or_else(|| crate::text!("an edit splits a character"))?);
            out.push_str(new);
            at = span.end;
        }
        out.push_str(text.get(at..).ok_or_else(|| crate::text!("an edit splits a character"))?);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"#![enable(implicit_some)]
// a comment
Design(
  format_version: 1,
  name: "a \"quoted\" (name)", /* block /* nested */ */
  vpcs: [
    Vpc(id: "vpc-1", cidr: "10.0.0.0/16", ipv6_cidr: Some("2001:db8::/56"), is_default: true),
  ],
  routes: [Route(destination: Cidr("0.0.0.0/0"), target: InternetGateway("igw-1"))],
  ports: Range(from: 1, to: 65535),
  map: {"k": (1, -2.5e-3, 'x')},
  raw: r#"a "b" c"#,
  region: r"x",
  none: None,
  unit: (),
)
"##;

    #[test]
    fn names_spans_and_nesting_survive() {
        let root = parse(DOC).unwrap();
        assert_eq!(root.name(), Some("Design"));
        let vpc = &root.field("vpcs").unwrap().value.items()[0];
        assert_eq!(vpc.name(), Some("Vpc"));
        let f = vpc.field("ipv6_cidr").unwrap();
        assert_eq!(&DOC[f.span.start..f.span.end], r#"ipv6_cidr: Some("2001:db8::/56")"#);
        assert_eq!(f.value.name(), Some("Some"));
        assert_eq!(f.value.inner_text(DOC), Some(r#""2001:db8::/56""#));
        let route = &root.field("routes").unwrap().value.items()[0];
        assert_eq!(route.field("destination").unwrap().value.name(), Some("Cidr"));
        assert_eq!(root.field("raw").unwrap().value.inner_text(DOC), Some(r##"r#"a "b" c"#"##));
        assert_eq!(root.field("region").unwrap().value.inner_text(DOC), Some(r#"r"x""#));
        assert!(matches!(root.field("unit").unwrap().value, Value::Atom { .. }));
        assert!(matches!(root.field("map").unwrap().value, Value::Map { .. }));
    }

    #[test]
    fn edits_leave_the_rest_byte_for_byte() {
        let root = parse(DOC).unwrap();
        let f = root.field("vpcs").unwrap().value.items()[0].field("ipv6_cidr").unwrap();
        let mut e = Edits::default();
        e.replace(f.span, "x: 1");
        let out = e.apply(DOC).unwrap();
        assert_eq!(out, DOC.replace(r#"ipv6_cidr: Some("2001:db8::/56")"#, "x: 1"));
        assert_eq!(Edits::default().apply(DOC).unwrap(), DOC);
    }

    #[test]
    fn bad_text_is_an_error_not_a_panic() {
        for bad in [
            "",
            "Design(",
            "Design(a: )",
            "Design(a: 1 b: 2)",
            "[1, 2",
            "\"open",
            "'x",
            "/* open",
            "r#\"open",
            "Design(a: 1) trailing",
            "#![enable(",
            "{1 2}",
            "é",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let mut e = Edits::default();
        e.replace(Span { start: 0, end: 4 }, "a");
        e.replace(Span { start: 2, end: 6 }, "b");
        assert!(e.apply("0123456789").is_err());
    }
}
