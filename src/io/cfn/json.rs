//! JSON text to [`Node`] tree with positions (a small recursive-descent parser whose
//! recursion is bounded by [`Limits::max_depth`]).

use std::collections::HashSet;

use serde_json::Number;

use super::error::{CfnError, CfnResult, ErrorKind};
use super::limits::Limits;
use super::node::{parse_number, Key, Node, NodeKind, Pos};

/// Parses a JSON document into a [`Node`] tree.
pub(crate) fn parse_json(text: &str, file: &str, limits: &Limits) -> CfnResult<Node> {
    let mut p = JsonParser { b: text.as_bytes(), text, i: 0, line: 1, col: 1, file, limits, nodes: 0 };
    p.ws();
    let root = p.value(0)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err(crate::text!("unexpected text after the end of the JSON document")));
    }
    Ok(root)
}

struct JsonParser<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
    line: u32,
    col: u32,
    file: &'a str,
    limits: &'a Limits,
    nodes: usize,
}

impl JsonParser<'_> {
    fn pos(&self) -> Pos {
        Pos::new(self.line, self.col)
    }

    fn err(&self, msg: impl Into<String>) -> CfnError {
        let kind = ErrorKind::Syntax;
        CfnError::new(self.file, self.pos(), kind, crate::text!("invalid JSON: {}", msg.into()))
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Advances one byte, keeping line and (character) column.
    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.i += 1;
            if c == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if c & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> CfnResult<()> {
        if self.peek() == Some(c) {
            self.bump();
            Ok(())
        } else {
            Err(self.err(crate::text!("expected {what}")))
        }
    }

    fn node(&mut self, kind: NodeKind, pos: Pos) -> CfnResult<Node> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(CfnError::new(
                self.file,
                pos,
                ErrorKind::Limit,
                crate::text!("template has more than {} values", self.limits.max_nodes),
            ));
        }
        Ok(Node::new(kind, pos))
    }

    fn value(&mut self, depth: usize) -> CfnResult<Node> {
        let pos = self.pos();
        match self.peek() {
            Some(b'{' | b'[') if depth >= self.limits.max_depth => Err(CfnError::new(
                self.file,
                pos,
                ErrorKind::Limit,
                crate::text!("lists/mappings nested deeper than {} levels", self.limits.max_depth),
            )),
            Some(b'{') => self.object(depth, pos),
            Some(b'[') => self.array(depth, pos),
            Some(b'"') => {
                let s = self.string()?;
                self.node(NodeKind::Str(s), pos)
            }
            Some(b't') => self.literal("true", NodeKind::Bool(true), pos),
            Some(b'f') => self.literal("false", NodeKind::Bool(false), pos),
            Some(b'n') => self.literal("null", NodeKind::Null, pos),
            Some(b'-' | b'0'..=b'9') => self.number(pos),
            Some(_) => {
                Err(self.err(crate::text!("expected a value (object, array, string, number, true, false or null)")))
            }
            None => Err(self.err(crate::text!("unexpected end of input, expected a value"))),
        }
    }

    fn literal(&mut self, word: &str, kind: NodeKind, pos: Pos) -> CfnResult<Node> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            for _ in 0..word.len() {
                self.bump();
            }
            self.node(kind, pos)
        } else {
            Err(self.err(crate::text!("expected `{word}`")))
        }
    }

    fn object(&mut self, depth: usize, pos: Pos) -> CfnResult<Node> {
        self.bump();
        let mut entries = Vec::new();
        let mut seen = HashSet::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return self.node(NodeKind::Map(entries), pos);
        }
        loop {
            self.ws();
            let key_pos = self.pos();
            if self.peek() != Some(b'"') {
                return Err(self.err(crate::text!("expected a \"key\" string")));
            }
            let name = self.string()?;
            if !seen.insert(name.clone()) {
                return Err(CfnError::new(
                    self.file,
                    key_pos,
                    ErrorKind::Structure,
                    crate::text!("duplicate key `{name}`"),
                ));
            }
            self.ws();
            self.expect(b':', "`:` after a key")?;
            self.ws();
            let v = self.value(depth + 1)?;
            entries.push((Key { name, pos: key_pos }, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return self.node(NodeKind::Map(entries), pos);
                }
                _ => return Err(self.err(crate::text!("expected `,` or `{close}`", close = "}"))),
            }
        }
    }

    fn array(&mut self, depth: usize, pos: Pos) -> CfnResult<Node> {
        self.bump();
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.bump();
            return self.node(NodeKind::Seq(items), pos);
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return self.node(NodeKind::Seq(items), pos);
                }
                _ => return Err(self.err(crate::text!("expected `,` or `{close}`", close = "]"))),
            }
        }
    }

    fn string(&mut self) -> CfnResult<String> {
        self.bump();
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.bump();
            }
            out.push_str(&self.text[start..self.i]);
            match self.peek() {
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.bump();
                    let c = self.peek().ok_or_else(|| self.err(crate::text!("unterminated string")))?;
                    let simple = match c {
                        b'"' => Some('"'),
                        b'\\' => Some('\\'),
                        b'/' => Some('/'),
                        b'b' => Some('\u{8}'),
                        b'f' => Some('\u{c}'),
                        b'n' => Some('\n'),
                        b'r' => Some('\r'),
                        b't' => Some('\t'),
                        b'u' => None,
                        _ => return Err(self.err(crate::text!("invalid escape in string"))),
                    };
                    self.bump();
                    match simple {
                        Some(ch) => out.push(ch),
                        None => out.push(self.unicode_escape()?),
                    }
                }
                Some(_) => return Err(self.err(crate::text!("control character in string"))),
                None => return Err(self.err(crate::text!("unterminated string"))),
            }
        }
    }

    fn hex4(&mut self) -> CfnResult<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = self
                .peek()
                .and_then(|c| (c as char).to_digit(16))
                .ok_or_else(|| self.err(crate::text!("expected 4 hex digits after \\u")))?;
            v = v * 16 + d;
            self.bump();
        }
        Ok(v)
    }

    fn unicode_escape(&mut self) -> CfnResult<char> {
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if !self.b[self.i..].starts_with(b"\\u") {
                return Err(self.err(crate::text!("unpaired surrogate in \\u escape")));
            }
            self.bump();
            self.bump();
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(self.err(crate::text!("unpaired surrogate in \\u escape")));
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code).ok_or_else(|| self.err(crate::text!("invalid \\u escape")))
    }

    fn number(&mut self, pos: Pos) -> CfnResult<Node> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.err(crate::text!("invalid number"))),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err(crate::text!("expected digits after `.`")));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err(crate::text!("expected digits in exponent")));
            }
            self.digits();
        }
        let text = &self.text[start..self.i];
        let kind = match parse_number(text).or_else(|| text.parse::<f64>().ok().and_then(Number::from_f64)) {
            Some(n) => NodeKind::Number(n),
            None => NodeKind::Str(text.to_string()),
        };
        self.node(kind, pos)
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.bump();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> CfnResult<Node> {
        parse_json(t, "t.json", &Limits::default())
    }

    #[test]
    fn values_and_positions() {
        let n =
            parse("{\n  \"a\": [1, -2.5, true, null, \"x\\u00e9\\ud83d\\ude00\\n\"],\n  \"b\": {\"Ref\": \"X\"}\n}")
                .unwrap();
        let a = n.get("a").unwrap().as_seq().unwrap();
        assert_eq!(a[0].kind, NodeKind::Number(1.into()));
        assert_eq!(a[2].kind, NodeKind::Bool(true));
        assert_eq!(a[3].kind, NodeKind::Null);
        assert_eq!(a[4].as_str(), Some("xé😀\n"));
        assert_eq!(a[1].pos, Pos::new(2, 12));
        assert_eq!(n.get_entry("b").unwrap().0.pos, Pos::new(3, 3));
        assert_eq!(n.get("b").unwrap().pos, Pos::new(3, 8));
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("{\n  \"a\": [1, 2,]\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 14));
        assert!(e.to_string().starts_with("t.json:2:14: invalid JSON"), "{e}");
        let e = parse("{\"a\": 1, \"a\": 2}").unwrap_err();
        assert_eq!((e.line, e.column, e.kind), (1, 10, ErrorKind::Structure));
        assert!(parse("{\"a\": 1} x").is_err());
        assert!(parse("{\"a\": \"unterminated").is_err());
        assert!(parse("{\"a\": 01}").is_err());
        assert!(parse("{\"a\": \"\\ud800\"}").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn depth_limit() {
        let deep = "[".repeat(100_000);
        let e = parse(&deep).unwrap_err();
        assert_eq!((e.kind, e.line, e.column), (ErrorKind::Limit, 1, 129));
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&ok).is_ok());
    }
}
