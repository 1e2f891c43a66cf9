//! Text from a design made safe to print: names and descriptions come from files and imported
//! tags, and a control character in them (an escape sequence, a carriage return, a newline)
//! would otherwise retitle or clear the user's terminal, or forge lines of output.
//!
//! One function escapes, [`escape_controls`]; [`escape_output`] applies it to each line of a
//! text that is meant to have several lines. Every text renderer goes through one of them.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character is escaped: every control character (C0, DEL, C1), and the invisible
/// characters that change how the text around them displays (zero-width marks, bidirectional
/// embeddings, overrides and isolates, the byte order mark).
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `s` with each character of [`needs_escape`] written as a visible escape: `\x1b` below
/// U+0080, `\u{202e}` above. Newlines and tabs are escaped too (a value is one line).
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// A whole output text: each line escaped with [`escape_controls`], the newlines between lines
/// kept (and tabs, which only move the cursor).
pub fn escape_output(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && c != '\t' && needs_escape(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| line.split('\t').map(|part| escape_controls(part).into_owned()).collect::<Vec<_>>().join("\t"))
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// A name as a CloudFormation logical id (letters and digits) or, with `keep_underscore`, a
/// Terraform label (`_` for separators): what the exporters name a resource, and what a
/// Terraform address names it by. `fallback` starts a name that does not start with a letter.
pub fn identifier(name: &str, keep_underscore: bool, fallback: &str) -> String {
    let mut out: String = name
        .chars()
        .filter_map(|c| match c {
            c if c.is_ascii_alphanumeric() => Some(c),
            '_' | '-' | ' ' | '.' | '/' if keep_underscore => Some('_'),
            _ => None,
        })
        .collect();
    if keep_underscore {
        while out.contains("__") {
            out = out.replace("__", "_");
        }
        out = out.trim_matches('_').to_string();
    }
    if out.is_empty() {
        out = fallback.to_string();
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out = format!("{fallback}{}{out}", if keep_underscore { "_" } else { "" });
    }
    out.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_made_visible() {
        assert_eq!(escape_controls("web"), "web");
        assert_eq!(escape_controls("a\u{1b}]0;pwned\u{7}b"), "a\\x1b]0;pwned\\x07b");
        assert_eq!(escape_controls("x\ny\r"), "x\\x0ay\\x0d");
        assert_eq!(escape_controls("\u{202e}gpj.exe"), "\\u{202e}gpj.exe");
        assert_eq!(escape_controls("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(escape_controls("서울 web"), "서울 web");
        assert_eq!(escape_output("a\u{1b}[2J\n\tb\n"), "a\\x1b[2J\n\tb\n");
    }
}
