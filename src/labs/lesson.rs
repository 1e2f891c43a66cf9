//! The lesson's numbers and the trace's, kept apart (issue 16, item 1).
//!
//! Circled numbers ①②③ always mean the trace's hop numbers. A blog post's own numbered flow
//! ("flow ②") is written `[2]` in the lesson text, and each [`BlogStep`] of a trace says what
//! that step covers; the hops it covers are computed here from the engine's trace, and the text
//! is shown with them filled in ("[2 · hop ⑤]"). Nothing in a lesson types a hop number.

use super::verify::hop_matches;
use super::{BlogStep, LabTrace, Step, Text};
use crate::l10n::{uif, Lang};
use crate::model::Design;
use crate::sim::render::{action_word, kind_name};
use crate::sim::{circled, ComponentKind, Hop, HopAction, TraceResult};

/// The hops of a trace one blog step covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlogHops {
    /// The blog's number.
    pub n: u32,
    /// The trace's hop numbers ([`Hop::step`]), in order.
    pub hops: Vec<u32>,
}

/// Whether a character is a circled number (①…⑳), the glyphs reserved for hop numbers.
pub fn is_circled(c: char) -> bool {
    ('\u{2460}'..='\u{2473}').contains(&c)
}

/// The number a circled glyph stands for.
fn circled_value(c: char) -> Option<u32> {
    is_circled(c).then(|| c as u32 - 0x2460 + 1)
}

/// The blog markers `[n]` of a text, in order of appearance.
pub fn markers(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        rest = &rest[i + 1..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && rest[digits.len()..].starts_with(']') {
            if let Ok(n) = digits.parse() {
                out.push(n);
            }
        }
    }
    out
}

/// What does not match in one of a trace's blog steps, kept as data so the lab panel says it
/// in the app's language ([`BlogProblem::render`]); `lab check` prints the English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlogProblem {
    /// The step covers no component.
    CoversNothing { n: u32 },
    /// A component the step covers is not on the path (in order, after the previous step's
    /// hops): the hops from there on, each its number and its component's name.
    NotOnPath { n: u32, want: String, path: Vec<(u32, String)> },
    /// The step's last hop is not of the kind or the action the lesson says: the hop, its
    /// kind, action and component's name, and what the lesson says.
    Decides {
        n: u32,
        hop: u32,
        kind: ComponentKind,
        action: HopAction,
        name: String,
        want_kind: ComponentKind,
        want_action: HopAction,
    },
}

impl BlogProblem {
    /// The problem in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            BlogProblem::CoversNothing { n } => uif(lang, "[{n}] covers nothing", &[("n", n)]),
            BlogProblem::NotOnPath { n, want, path } => {
                let path: Vec<String> = path.iter().map(|(k, name)| format!("{} {name}", circled(*k))).collect();
                let path = path.join(" → ");
                uif(
                    lang,
                    "[{n}]: '{want}' is not on the path (in order) {path}",
                    &[("n", n), ("want", want), ("path", &path)],
                )
            }
            BlogProblem::Decides { n, hop, kind, action, name, want_kind, want_action } => uif(
                lang,
                "[{n}]: hop {hop} is {kind} {action} ({name}), the lesson says {want_kind} {want_action}",
                &[
                    ("n", n),
                    ("hop", &circled(*hop)),
                    ("kind", &kind_name(*kind, lang)),
                    ("action", &action_word(*action, lang)),
                    ("name", name),
                    ("want_kind", &kind_name(*want_kind, lang)),
                    ("want_action", &action_word(*want_action, lang)),
                ],
            ),
        }
    }
}

/// English.
impl std::fmt::Display for BlogProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// The hops each blog step of `t` covers on the trace `r`, and what does not match: a covered
/// component that is not on the path (in order, after the previous step's hops), or a last
/// hop whose kind or action is not what the lesson says.
pub fn blog_hops(design: &Design, t: &LabTrace, r: &TraceResult) -> (Vec<BlogHops>, Vec<BlogProblem>) {
    let hops: Vec<&Hop> = r.hops().collect();
    let mut at = 0usize;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for b in &t.blog {
        match cover(design, b, &hops, at) {
            Ok((found, next)) => {
                at = next;
                if let Some(last) = found.last().and_then(|&i| hops.get(i)) {
                    if last.component.kind != b.kind || last.action != b.action {
                        problems.push(BlogProblem::Decides {
                            n: b.n,
                            hop: last.step,
                            kind: last.component.kind,
                            action: last.action,
                            name: last.component.name.clone(),
                            want_kind: b.kind,
                            want_action: b.action,
                        });
                    }
                }
                out.push(BlogHops {
                    n: b.n,
                    hops: found.iter().filter_map(|&i| hops.get(i)).map(|h| h.step).collect(),
                });
            }
            Err(p) => problems.push(p),
        }
    }
    (out, problems)
}

/// The indexes of the hops a blog step covers, from `start`, and where the next step looks.
fn cover(design: &Design, b: &BlogStep, hops: &[&Hop], start: usize) -> Result<(Vec<usize>, usize), BlogProblem> {
    if b.covers.is_empty() {
        return Err(BlogProblem::CoversNothing { n: b.n });
    }
    let mut found = Vec::new();
    let mut at = start;
    for want in &b.covers {
        let Some(i) = (at..hops.len()).find(|&i| hops.get(i).is_some_and(|h| hop_matches(design, h, want))) else {
            let path = hops.iter().skip(at).map(|h| (h.step, h.component.name.clone())).collect();
            return Err(BlogProblem::NotOnPath { n: b.n, want: want.clone(), path });
        };
        found.push(i);
        at = i + 1;
    }
    Ok((found, at))
}

/// The hops of every marker a step's text uses: for each blog number, the first of the step's
/// traces that has it.
pub fn step_hops(step: &Step, per_trace: &[Vec<BlogHops>]) -> Vec<BlogHops> {
    let mut out: Vec<BlogHops> = Vec::new();
    for (t, hops) in step.traces.iter().zip(per_trace) {
        for b in &t.blog {
            if out.iter().any(|o| o.n == b.n) {
                continue;
            }
            if let Some(h) = hops.iter().find(|h| h.n == b.n) {
                out.push(h.clone());
            }
        }
    }
    out
}

/// One marker with its hops, e.g. `[2 · hop ⑤]` or `[1 · hops ②③]` (`[2 · 홉 ⑤]` in Korean).
pub fn marker_text(n: u32, hops: &[u32], lang: Lang) -> String {
    let glyphs: String = hops.iter().map(|&h| circled(h)).collect();
    let word = crate::l10n::tr_n(lang, "lesson-hop", hops.len());
    format!("[{n} · {word} {glyphs}]")
}

/// A lesson text with every `[n]` followed by the hops blog step n covers; a marker whose hops
/// are not known (the trace has not run) stays as written.
pub fn fill(text: &str, hops: &[BlogHops], lang: Lang) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let closed = !digits.is_empty() && after[digits.len()..].starts_with(']');
        match (closed, digits.parse::<u32>().ok().and_then(|n| hops.iter().find(|h| h.n == n))) {
            (true, Some(h)) => {
                out.push_str(&marker_text(h.n, &h.hops, lang));
                rest = &after[digits.len() + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The markers of a filled text read back: each blog number with the hop numbers shown for it.
pub fn read_filled(text: &str) -> Vec<(u32, Vec<u32>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        rest = &rest[i + 1..];
        let Some(end) = rest.find(']') else { break };
        let inside = &rest[..end];
        let digits: String = inside.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse() {
            out.push((n, inside.chars().filter_map(circled_value).collect()));
        }
    }
    out
}

/// Every text of a step in one language: title, narration, captions.
fn step_texts(step: &Step, lang: Lang) -> Vec<(&'static str, &str)> {
    let mut v = vec![("title", step.title.get(lang)), ("narration", step.narration.get(lang))];
    v.extend(step.traces.iter().map(|t| ("caption", t.caption.get(lang))));
    v
}

/// What is wrong with a step's texts given the hops its traces computed: a circled number
/// typed in the text (they are the trace's), a marker no trace's blog step defines, markers
/// that differ between English and Korean, or a filled text whose hops are not the trace's.
pub fn text_problems(
    design: &Design,
    step: &Step,
    results: &[Option<TraceResult>],
    hops: &[BlogHops],
) -> Vec<crate::l10n::Text> {
    let mut problems = Vec::new();
    let defined: Vec<u32> = step.traces.iter().flat_map(|t| t.blog.iter().map(|b| b.n)).collect();
    let mut per_lang = Vec::new();
    for lang in [Lang::En, Lang::Ko] {
        let code = lang.code();
        let mut seen = Vec::new();
        for (what_ui, text) in step_texts(step, lang) {
            if text.chars().any(is_circled) {
                problems.push(circled_typed(code, what_ui));
            }
            seen.extend(markers(text));
        }
        for n in &seen {
            if !defined.contains(n) {
                problems.push(crate::text!("{code}: [{n}] names no blog step of the step's traces"));
            }
        }
        // The text as shown, read back: every hop it names is the trace's and is on a
        // component the blog step covers.
        let shown = fill(step.narration.get(lang), hops, lang);
        for (n, shown_hops) in read_filled(&shown) {
            let Some(h) = hops.iter().find(|h| h.n == n) else { continue };
            if shown_hops != h.hops {
                problems.push(crate::text!(
                    "{code}: [{n}] is shown with hops {shown_hops:?}, the trace's are {:?}",
                    h.hops
                ));
            }
            let blog = step.traces.iter().flat_map(|t| t.blog.iter()).find(|b| b.n == n);
            let hop_at = |k: u32| results.iter().flatten().flat_map(|r| r.hops()).find(|x| x.step == k);
            for (k, want) in shown_hops.iter().zip(blog.map(|b| b.covers.as_slice()).unwrap_or_default()) {
                if !hop_at(*k).is_some_and(|x| hop_matches(design, x, want)) {
                    problems.push(crate::text!("{code}: [{n}] shows hop {} but '{want}' is not there", circled(*k)));
                }
            }
        }
        seen.sort_unstable();
        seen.dedup();
        per_lang.push(seen);
    }
    if per_lang.first() != per_lang.get(1) {
        problems.push(crate::text!(
            "the English text uses markers {:?} and the Korean {:?}",
            per_lang.first().cloned().unwrap_or_default(),
            per_lang.get(1).cloned().unwrap_or_default()
        ));
    }
    problems
}

/// What is wrong with a lab's own title and summary: circled numbers in them.
pub fn lab_text_problems(title: &Text, summary: &Text) -> Vec<crate::l10n::Text> {
    let mut problems = Vec::new();
    for lang in [Lang::En, Lang::Ko] {
        for (what_ui, text) in [("title", title.get(lang)), ("summary", summary.get(lang))] {
            if text.chars().any(is_circled) {
                problems.push(circled_typed(lang.code(), what_ui));
            }
        }
    }
    problems
}

/// A lesson text (`what_ui`: title, summary, narration, caption) in language `code` types a
/// hop number.
fn circled_typed(code: &str, what_ui: &str) -> crate::l10n::Text {
    crate::text!("{code} {what_ui}: circled numbers are the trace's hop numbers; write the blog's as [n]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_bracketed_numbers_only() {
        assert_eq!(markers("[1] a [2] b [x] [ 3] [12]"), vec![1, 2, 12]);
        assert!(markers("[try it yourself]").is_empty());
    }

    #[test]
    fn fill_puts_the_hops_beside_each_marker_and_reads_back() {
        let hops = vec![BlogHops { n: 1, hops: vec![2, 3] }, BlogHops { n: 2, hops: vec![5] }];
        let en = fill("[1] sends; [2] routes; [3] unknown", &hops, Lang::En);
        assert_eq!(en, "[1 · hops ②③] sends; [2 · hop ⑤] routes; [3] unknown");
        let ko = fill("[2] 라우터", &hops, Lang::Ko);
        assert_eq!(ko, "[2 · 홉 ⑤] 라우터");
        assert_eq!(read_filled(&en), vec![(1, vec![2, 3]), (2, vec![5]), (3, vec![])]);
    }

    #[test]
    fn circled_glyphs_are_recognised() {
        assert!("④".chars().all(is_circled));
        assert!(!"[4]".chars().any(is_circled));
    }
}
