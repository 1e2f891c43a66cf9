//! Text helpers shared by the layout and the renderers: display width, truncation, escaping.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The number of terminal columns (or average character widths) a string takes.
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` display columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if display_width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Escape text for XML content and attribute values. Characters XML 1.0 cannot hold at all
/// (control characters other than tab and newline) become U+FFFD, so a name with a stray
/// control byte still gives a well-formed file.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_the_width_limit_and_marks_the_cut() {
        assert_eq!(truncate("jhPublicSN", 20), "jhPublicSN");
        assert_eq!(truncate("a-very-long-subnet-name", 10), "a-very-lo…");
        assert!(display_width(&truncate("서울-서브넷-이름", 7)) <= 7);
    }

    #[test]
    fn xml_escape_leaves_well_formed_text() {
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\u{FFFD}");
    }
}
