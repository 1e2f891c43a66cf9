//! The text form of a trace: numbered steps with circled numbers, the header change on NAT
//! hops, the verdict, and on a drop the reason and the fixes.

use super::result::{Hop, TraceResult};
use crate::model::text::escape_controls as esc;
use std::fmt::Write;

/// ①…⑳, then (21), (22) …
pub fn circled(n: u32) -> String {
    match n {
        1..=20 => char::from_u32(0x2460 + n - 1).map(String::from).unwrap_or_else(|| format!("({n})")),
        _ => format!("({n})"),
    }
}

fn hop_lines(out: &mut String, h: &Hop) {
    let c = &h.component;
    // Every value is one line: names in it are escaped (issue 17, U3).
    let _ = writeln!(out, " {} {} {} — {} [{}]", circled(h.step), c.kind, c.label(), esc(&h.decision), h.rule);
    if h.before != h.after {
        let _ = writeln!(out, "     {}  ⇒  {}", h.before, h.after);
    }
    if let Some(m) = &h.matched {
        let _ = writeln!(out, "     matched: {}", esc(m));
    }
    for b in &h.beaten {
        let _ = writeln!(out, "     beat: {}", esc(b));
    }
    if let Some(w) = &h.warning {
        let _ = writeln!(out, "     warning: {w}");
    }
}

/// Render a result for people.
pub fn render_text(r: &TraceResult) -> String {
    let mut out = String::new();
    for h in &r.hypothetical {
        let _ = writeln!(out, "{}", h.describe());
    }
    if let Some(first) = r.forward.first() {
        let _ = writeln!(out, "Flow {}", first.before);
    }
    let _ = writeln!(out, "Forward");
    for h in &r.forward {
        hop_lines(&mut out, h);
    }
    if !r.return_path.is_empty() {
        let _ = writeln!(out, "Return");
        for h in &r.return_path {
            hop_lines(&mut out, h);
        }
    }
    let _ = writeln!(out, "Verdict: {} ({})", r.verdict, r.disposition);
    if let (Some(code), Some(reason)) = (r.code, &r.reason) {
        let _ = writeln!(out, "Reason: {code}: {}", esc(reason));
    }
    if !r.blockers.is_empty() {
        let _ = writeln!(out, "Fixes:");
        for b in &r.blockers {
            let _ = writeln!(out, "  {} {} {} — {}", circled(b.step), b.code, b.component.label(), esc(&b.fix));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::circled;

    #[test]
    fn circled_numbers_then_parentheses() {
        assert_eq!(circled(1), "①");
        assert_eq!(circled(20), "⑳");
        assert_eq!(circled(21), "(21)");
    }
}
