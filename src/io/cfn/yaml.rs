//! YAML text to [`Node`] tree, with positions, CloudFormation short-form tags,
//! and hard limits on nesting, size and alias expansion.
//!
//! Built on saphyr-parser's event stream with an explicit stack, so nothing here
//! recurses on the input's depth. The event stream is consumed lazily, so the depth
//! counter stops block nesting (`- - - - …`) early; flow nesting (`[[[[…`) is also
//! capped by saphyr itself at 255 levels ("recursion limit exceeded"), measured to
//! fail in under a millisecond on 100k `[`.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use super::error::{CfnError, CfnResult, ErrorKind};
use super::limits::Limits;
use super::node::{parse_number, Key, Node, NodeKind, Pos};

/// Parses one YAML document into a [`Node`] tree.
pub(crate) fn parse_yaml(text: &str, file: &str, limits: &Limits) -> CfnResult<Node> {
    let mut b = Builder {
        file,
        text,
        cursor: (0, 0),
        limits,
        stack: Vec::new(),
        root: None,
        anchors: HashMap::new(),
        nodes: 0,
        alias_nodes: 0,
        documents: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            let pos = Pos::new(m.line() as u32, m.col() as u32 + 1);
            if e.info() == "recursion limit exceeded" {
                let msg = "lists/mappings nested too deeply (YAML parser limit)";
                return CfnError::new(file, pos, ErrorKind::Limit, msg);
            }
            CfnError::new(file, pos, ErrorKind::Syntax, crate::text!("invalid YAML: {}", e.info()))
        })?;
        if matches!(event, Event::StreamEnd) {
            break;
        }
        b.on_event(event, span)?;
    }
    b.root.ok_or_else(|| CfnError::new(file, Pos::new(1, 1), ErrorKind::Structure, crate::text!("template is empty")))
}

/// What a tag asks for.
#[derive(Clone, Debug)]
enum TagAction {
    /// Wrap the node in a one-key mapping (`!Ref x` → `{Ref: x}`), positioned at the tag.
    Wrap(String, Pos),
    /// `!!str`: keep the scalar as text.
    ForceStr,
}

enum Collection {
    Seq(Vec<Node>),
    Map { entries: Vec<(Key, Node)>, seen: HashSet<String>, key: Option<Key> },
}

struct Frame {
    coll: Collection,
    pos: Pos,
    anchor: usize,
    tag: Option<TagAction>,
}

struct Builder<'a> {
    file: &'a str,
    text: &'a str,
    /// (char index, byte offset) of the last position looked up, to map the parser's
    /// char indices to byte offsets without rescanning.
    cursor: (usize, usize),
    limits: &'a Limits,
    stack: Vec<Frame>,
    root: Option<Node>,
    /// Anchor id → (node, node count).
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    alias_nodes: usize,
    documents: usize,
}

fn pos_of(span: &Span) -> Pos {
    Pos::new(span.start.line() as u32, span.start.col() as u32 + 1)
}

impl Builder<'_> {
    fn err(&self, pos: Pos, kind: ErrorKind, msg: impl Into<crate::l10n::Text>) -> CfnError {
        CfnError::new(self.file, pos, kind, msg)
    }

    fn on_event(&mut self, event: Event<'_>, span: Span) -> CfnResult<()> {
        let pos = pos_of(&span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(self.err(
                        pos,
                        ErrorKind::Structure,
                        crate::text!("a template must be a single YAML document (found a second `---`)"),
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let action = self.tag_action(tag.as_deref(), &span)?;
                let kind = if style == ScalarStyle::Plain && !matches!(action, Some(TagAction::ForceStr)) {
                    plain_scalar(&value)
                } else {
                    NodeKind::Str(value.into_owned())
                };
                self.count(1, pos)?;
                let node = Node::new(kind, pos);
                self.complete(node, action, anchor)?;
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let is_seq = matches!(event, Event::SequenceStart(..));
                let (Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag)) = event else {
                    unreachable!()
                };
                if self.stack.len() >= self.limits.max_depth {
                    return Err(self.err(
                        pos,
                        ErrorKind::Limit,
                        crate::text!("lists/mappings nested deeper than {} levels", self.limits.max_depth),
                    ));
                }
                let tag = self.tag_action(tag.as_deref(), &span)?;
                if matches!(tag, Some(TagAction::ForceStr)) {
                    return Err(self.err(pos, ErrorKind::Syntax, crate::text!("`!!str` on a collection")));
                }
                self.count(1, pos)?;
                let coll = if is_seq {
                    Collection::Seq(Vec::new())
                } else {
                    Collection::Map { entries: Vec::new(), seen: HashSet::new(), key: None }
                };
                self.stack.push(Frame { coll, pos, anchor, tag });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = self
                    .stack
                    .pop()
                    .ok_or_else(|| self.err(pos, ErrorKind::Syntax, crate::text!("unbalanced YAML events")))?;
                let kind = match frame.coll {
                    Collection::Seq(items) => NodeKind::Seq(items),
                    Collection::Map { entries, .. } => NodeKind::Map(entries),
                };
                self.complete(Node::new(kind, frame.pos), frame.tag, frame.anchor)?;
            }
            Event::Alias(id) => {
                let Some((_, n)) = self.anchors.get(&id) else {
                    return Err(self.err(
                        pos,
                        ErrorKind::Syntax,
                        crate::text!("alias to an unknown or unfinished anchor"),
                    ));
                };
                let n = *n;
                self.alias_nodes += n;
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(self.err(
                        pos,
                        ErrorKind::Limit,
                        crate::text!(
                            "YAML aliases expand to more than {} values (alias bomb?)",
                            self.limits.max_alias_nodes
                        ),
                    ));
                }
                self.count(n, pos)?;
                let mut node = self.anchors[&id].0.clone();
                node.pos = pos;
                self.complete(node, None, 0)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn count(&mut self, n: usize, pos: Pos) -> CfnResult<()> {
        self.nodes += n;
        if self.nodes > self.limits.max_nodes {
            return Err(self.err(
                pos,
                ErrorKind::Limit,
                crate::text!("template has more than {} values", self.limits.max_nodes),
            ));
        }
        Ok(())
    }

    /// Byte offset of a char index (the parser counts chars); `None` if it lies
    /// before the last one looked up.
    fn byte_offset(&mut self, char_idx: usize) -> Option<usize> {
        if char_idx < self.cursor.0 {
            // Never rescan from the start (that could be quadratic).
            return None;
        }
        let (mut c, mut b) = self.cursor;
        for ch in self.text[b..].chars() {
            if c == char_idx {
                break;
            }
            b += ch.len_utf8();
            c += 1;
        }
        self.cursor = (c, b);
        Some(b)
    }

    /// Where the tag text (`!Ref`) before a value starts; the parser only reports the
    /// value's position. Looks back at most 1 KiB; falls back to the value position.
    fn tag_pos(&mut self, span: &Span, tag: &str) -> Pos {
        let value_pos = pos_of(span);
        let Some(end) = self.byte_offset(span.start.index()) else {
            return value_pos;
        };
        let mut start = end.saturating_sub(1024);
        while !self.text.is_char_boundary(start) {
            start += 1;
        }
        let Some(at) = self.text[start..end].rfind(tag).map(|i| start + i) else {
            return value_pos;
        };
        let after = &self.text[at + tag.len()..];
        if !after.starts_with([' ', '\t', '\r', '\n']) {
            return value_pos;
        }
        let between = &self.text[at..end];
        let newlines = between.matches('\n').count() as u32;
        if newlines == 0 {
            let col = value_pos.column.saturating_sub(between.chars().count() as u32);
            return Pos::new(value_pos.line, col.max(1));
        }
        let line_start = match self.text[start..at].rfind('\n') {
            Some(nl) => start + nl + 1,
            None if start == 0 => 0,
            None => return value_pos,
        };
        let col = self.text[line_start..at].chars().count() as u32 + 1;
        Pos::new(value_pos.line.saturating_sub(newlines), col)
    }

    fn tag_action(&mut self, tag: Option<&Tag>, span: &Span) -> CfnResult<Option<TagAction>> {
        let pos = pos_of(span);
        let Some(tag) = tag else { return Ok(None) };
        if tag.is_yaml_core_schema() {
            return Ok(match tag.suffix.as_str() {
                "str" => Some(TagAction::ForceStr),
                _ => None,
            });
        }
        let valid = !tag.suffix.is_empty() && tag.suffix.chars().all(|c| c.is_ascii_alphanumeric());
        if tag.handle != "!" || !valid {
            return Err(self.err(
                pos,
                ErrorKind::Syntax,
                crate::text!("unsupported YAML tag `{tag}` (expected a CloudFormation tag like !Ref or !Sub)"),
            ));
        }
        let name = match tag.suffix.as_str() {
            "Ref" | "Condition" => tag.suffix.clone(),
            s => format!("Fn::{s}"),
        };
        let tag_pos = self.tag_pos(span, &format!("!{}", tag.suffix));
        Ok(Some(TagAction::Wrap(name, tag_pos)))
    }

    fn complete(&mut self, node: Node, tag: Option<TagAction>, anchor: usize) -> CfnResult<()> {
        let node = match tag {
            Some(TagAction::Wrap(name, pos)) => {
                self.count(1, node.pos)?;
                Node::new(NodeKind::Map(vec![(Key { name, pos }, node)]), pos)
            }
            _ => node,
        };
        if anchor != 0 {
            let n = node.count();
            // The anchor keeps a copy: count it against the node budget.
            self.count(n, node.pos)?;
            self.anchors.insert(anchor, (node.clone(), n));
        }
        let file = self.file;
        let Some(top) = self.stack.last_mut() else {
            if self.root.is_some() {
                return Err(self.err(node.pos, ErrorKind::Syntax, crate::text!("more than one root value")));
            }
            self.root = Some(node);
            return Ok(());
        };
        match &mut top.coll {
            Collection::Seq(items) => items.push(node),
            Collection::Map { entries, seen, key } => match key.take() {
                Some(k) => entries.push((k, node)),
                None => {
                    let name = match node.kind {
                        NodeKind::Str(s) => s,
                        NodeKind::Number(n) => n.to_string(),
                        NodeKind::Bool(b) => b.to_string(),
                        NodeKind::Null => String::new(),
                        NodeKind::Seq(_) | NodeKind::Map(_) => {
                            return Err(CfnError::new(
                                file,
                                node.pos,
                                ErrorKind::Structure,
                                crate::text!("mapping keys must be plain text, not lists, mappings or tagged values"),
                            ))
                        }
                    };
                    if !seen.insert(name.clone()) {
                        return Err(CfnError::new(
                            file,
                            node.pos,
                            ErrorKind::Structure,
                            crate::text!("duplicate key `{name}`"),
                        ));
                    }
                    *key = Some(Key { name, pos: node.pos });
                }
            },
        }
        Ok(())
    }
}

/// Types a plain (unquoted) scalar: null, bool, number or text.
fn plain_scalar(s: &str) -> NodeKind {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        _ => match parse_number(s) {
            Some(n) => NodeKind::Number(n),
            None => NodeKind::Str(s.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> CfnResult<Node> {
        parse_yaml(t, "t.yaml", &Limits::default())
    }

    #[test]
    fn scalars_and_positions() {
        let n = parse("a: 1\nb: '1'\nc: true\nd: ~\ne: 10.0.0.0/16\nf:\n  - x\n").unwrap();
        assert_eq!(n.get("a").unwrap().kind, NodeKind::Number(1.into()));
        assert_eq!(n.get("b").unwrap().kind, NodeKind::Str("1".into()));
        assert_eq!(n.get("c").unwrap().kind, NodeKind::Bool(true));
        assert_eq!(n.get("d").unwrap().kind, NodeKind::Null);
        assert_eq!(n.get("e").unwrap().as_str(), Some("10.0.0.0/16"));
        let f = n.get("f").unwrap().as_seq().unwrap();
        assert_eq!(f[0].pos, Pos::new(7, 5));
        assert_eq!(n.get_entry("e").unwrap().0.pos, Pos::new(5, 1));
    }

    #[test]
    fn short_tags_become_long_form() {
        let n = parse("a: !Ref X\nb: !GetAtt R.Attr\nc: !Select [0, !GetAZs '']\nd: !!str 12\n").unwrap();
        let a = n.get("a").unwrap();
        assert_eq!(a.get("Ref").unwrap().as_str(), Some("X"));
        assert_eq!(a.pos, Pos::new(1, 4));
        assert_eq!(a.get("Ref").unwrap().pos, Pos::new(1, 9));
        assert_eq!(n.get("b").unwrap().get("Fn::GetAtt").unwrap().as_str(), Some("R.Attr"));
        let sel = n.get("c").unwrap().get("Fn::Select").unwrap().as_seq().unwrap();
        assert!(sel[1].get("Fn::GetAZs").is_some());
        assert_eq!(n.get("d").unwrap().as_str(), Some("12"));
    }

    #[test]
    fn tag_positions() {
        let n = parse("a: !Select\n  - 0\n  - [x]\nb:   !Sub\n     'x'\né: !Ref X\n").unwrap();
        assert_eq!(n.get("a").unwrap().pos, Pos::new(1, 4));
        assert_eq!(n.get("b").unwrap().pos, Pos::new(4, 6));
        assert_eq!(n.get("é").unwrap().pos, Pos::new(6, 4));
    }

    #[test]
    fn errors() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!((e.line, e.column, e.kind), (2, 1, ErrorKind::Structure));
        let e = parse("a: !<tag:x> 1\n").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        let e = parse("a: [1, 2\n").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
        assert!(parse("").is_err());
        assert!(parse("a: *nope\n").is_err());
    }

    #[test]
    fn aliases_are_copied_within_budget() {
        let n = parse("a: &x [1, 2]\nb: *x\n").unwrap();
        assert_eq!(n.get("b").unwrap().as_seq().unwrap().len(), 2);
        let mut bomb =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (i, c) in ('b'..='i').enumerate() {
            let p = (b'a' + i as u8) as char;
            bomb.push_str(&format!("{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"));
        }
        let e = parse(&bomb).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(e.message.contains("alias"), "{e}");
    }

    #[test]
    fn depth_limit() {
        let deep = format!("{}1{}", "- ".repeat(200), "");
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
        let ok = format!("{}1", "- ".repeat(100));
        assert!(parse(&ok).is_ok());
    }
}
