//! The guided-lab panel (step k/N, title, narration, the step's edits and traces with ✓/✖) and
//! the lab picker.

use super::centered;
use super::Screen;
use crate::app::lab::LabPicker;
use crate::app::{App, Pane, RowHit};
use crate::l10n::ui;
use crate::labs::describe::describe;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, List, ListItem, ListState, Paragraph};
use ratatui::Frame;

/// Where the lab panel goes: the lower part of the tree pane (or of the only pane shown).
/// Shrinks that pane's rectangle and returns the panel's.
pub fn split(app: &App, panes: &mut [(Pane, Rect)]) -> Option<Rect> {
    app.lab.active.as_ref()?;
    let slot = panes.iter().position(|(p, _)| *p == Pane::Tree).unwrap_or(0);
    let (_, r) = panes.get_mut(slot)?;
    if r.height < 8 {
        return None;
    }
    let top = (r.height * 2 / 5).max(4);
    let panel = Rect { x: r.x, y: r.y + top, width: r.width, height: r.height - top };
    r.height = top;
    Some(panel)
}

/// Draw the lab panel; returns where each of the step's traces is (a click plays it).
pub fn render(frame: &mut Frame, area: Rect, app: &Screen) -> Vec<(Rect, RowHit)> {
    let Some(a) = &app.lab.active else { return Vec::new() };
    let t = &app.theme;
    let lang = app.lab.lang;
    let n = a.lab.steps.len();
    let title = format!(" {} {} · {} ", ui(lang, "Lab"), a.lab.number, a.lab.title.get(lang));
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(Style::new().fg(t.accent))
        .title(Line::from(Span::styled(title, t.title(true))))
        .title_bottom(Line::from(super::hint_spans(
            app,
            &[
                ("[".into(), "prev"),
                ("]".into(), "next"),
                ("c".into(), "check"),
                ("m".into(), "show me"),
                // K names the language it switches to, in that language.
                ("K".into(), if lang == crate::l10n::Lang::En { "한국어" } else { "English" }),
                ("Esc".into(), "leave"),
            ],
        )))
        .style(t.text());
    let inner = block.inner(area);
    super::clear(frame, area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    if a.complete {
        lines.push(Line::styled(ui(lang, "✓ Lab complete!"), Style::new().fg(t.ok).add_modifier(Modifier::BOLD)));
        lines.push(Line::raw(""));
        lines.push(Line::styled(a.lab.summary.get(lang).to_string(), t.text()));
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            ui(lang, "Esc leaves the lab and keeps the design as an unsaved design; [ goes back."),
            t.muted(),
        ));
        frame.render_widget(Paragraph::new(super::wrap::lines(lines, inner.width)), inner);
        return Vec::new();
    }
    let Some(step) = a.current() else { return Vec::new() };
    let mut head = vec![Span::styled(
        format!("{} {}/{n} · ", ui(lang, "Step"), a.step + 1),
        Style::new().fg(t.accent).add_modifier(Modifier::BOLD),
    )];
    head.push(Span::styled(step.title.get(lang).to_string(), Style::new().fg(t.title).add_modifier(Modifier::BOLD)));
    if step.try_it {
        let (txt, style) = if a.solved {
            (format!("  {}", ui(lang, "✓ done")), Style::new().fg(t.ok))
        } else {
            (format!("  {}", ui(lang, "✎ try it yourself")), Style::new().fg(t.warning))
        };
        head.push(Span::styled(txt, style.add_modifier(Modifier::BOLD)));
    }
    lines.push(Line::from(head));
    // The blog's step numbers [n] with the hops the trace computed for them.
    let hops = a.step_hops();
    lines.push(Line::styled(crate::labs::lesson::fill(step.narration.get(lang), &hops, lang), t.text()));
    let failed = a.checks.as_ref().is_some_and(|c| c.iter().any(|x| !x.passed));
    if !step.ops.is_empty() && (!step.try_it || a.solved || failed) {
        let label =
            if step.try_it && !a.solved { ui(lang, "The change to make (m applies it):") } else { ui(lang, "Edits:") };
        lines.push(Line::styled(label, Style::new().fg(t.accent)));
        for op in &step.ops {
            lines.push(Line::styled(format!("  • {}", describe(op).render(lang)), t.text()));
        }
    }
    // The lines of each trace (from its first line to the next trace's), for the mouse.
    let mut trace_lines: Vec<(usize, usize)> = Vec::new();
    if !step.traces.is_empty() {
        lines.push(Line::styled(ui(lang, "Traces:"), Style::new().fg(t.accent)));
        for (i, tr) in step.traces.iter().enumerate() {
            let first = lines.len();
            let check = a.checks.as_ref().and_then(|c| c.get(i));
            let (mark, style) = match check {
                Some(c) if c.passed => ("✓", Style::new().fg(t.ok).add_modifier(Modifier::BOLD)),
                Some(_) => ("✖", t.error().add_modifier(Modifier::BOLD)),
                None => ("·", t.muted()),
            };
            let port = tr.port.map(|p| format!(":{p}")).unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!("  {mark} "), style),
                Span::styled(
                    format!("{from} → {to}{port} {proto}", from = tr.from, to = tr.to, port = port, proto = tr.proto),
                    t.text(),
                ),
                Span::styled(format!(" ⇒ {}", expect_in(&tr.expect, lang)), t.muted()),
            ]));
            let caption = tr.caption.get(lang);
            if !caption.is_empty() {
                lines.push(Line::styled(format!("    {caption}", caption = caption), t.muted()));
            }
            let blog = check.map(|c| c.blog.as_slice()).unwrap_or_default();
            if !blog.is_empty() {
                let marks: Vec<String> =
                    blog.iter().map(|b| crate::labs::lesson::marker_text(b.n, &b.hops, lang)).collect();
                lines.push(Line::styled(format!("    {}", marks.join(" ")), Style::new().fg(t.accent)));
            }
            for p in check.map(|c| c.problems.as_slice()).unwrap_or_default() {
                lines.push(Line::styled(format!("    {}", p.render(lang)), t.error()));
            }
            trace_lines.push((first, lines.len()));
        }
    }
    if step.try_it && !a.solved {
        lines.push(Line::styled(
            ui(lang, "Make the change in the tree (a adds), then press c to check, or m to be shown."),
            Style::new().fg(t.warning),
        ));
    }
    // Where each trace's lines went once wrapped (by display width: ratatui's wrap can put a
    // wide character over the right border) and scrolled.
    let rows_of = |ls: &[Line]| super::wrap::line_count(ls.iter().cloned(), inner.width);
    let mut hits = Vec::new();
    for (i, (first, end)) in trace_lines.into_iter().enumerate() {
        let top = rows_of(&lines[..first]) as i64 - i64::from(a.scroll);
        let bottom = top + rows_of(&lines[first..end]) as i64;
        let (top, bottom) = (top.max(0), bottom.min(i64::from(inner.height)));
        if top < bottom {
            let y = inner.y + top as u16;
            hits.push((Rect { x: inner.x, y, width: inner.width, height: (bottom - top) as u16 }, RowHit::LabTrace(i)));
        }
    }
    frame.render_widget(Paragraph::new(super::wrap::lines(lines, inner.width)).scroll((a.scroll, 0)), inner);
    hits
}

/// A lab trace's expected verdict (`delivered`, `dropped`) as the trace pane says it in `lang`.
fn expect_in(expect: &str, lang: crate::l10n::Lang) -> String {
    if lang == crate::l10n::Lang::En {
        return expect.to_string();
    }
    crate::l10n::message(lang, &format!("verdict-{expect}"), &Default::default()).unwrap_or_else(|| expect.to_string())
}

/// Draw the lab picker; returns where each lab's row is.
pub fn render_picker(frame: &mut Frame, area: Rect, app: &Screen, p: &LabPicker) -> Vec<(Rect, RowHit)> {
    let t = &app.theme;
    let lang = app.lab.lang;
    let r = centered(area, 84, p.labs.len() as u16 + 4);
    if r.width < 10 || r.height < 3 {
        return Vec::new();
    }
    super::clear(frame, r);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(Style::new().fg(t.popup_border))
        .title(Line::from(Span::styled(format!(" {} ", ui(lang, "Guided labs")), t.title(true))))
        .title_bottom(Line::from(super::hint_spans(
            app,
            &[("Enter".into(), "start"), ("1-9".into(), "lab n"), ("K".into(), "en/ko"), ("Esc".into(), "close")],
        )))
        .style(t.popup());
    let items: Vec<ListItem> =
        p.labs.iter().map(|l| ListItem::new(format!("{}  {}", l.number, l.title.get(lang)))).collect();
    let inner = block.inner(r);
    let mut state = ListState::default().with_selected(Some(p.selected));
    frame.render_stateful_widget(
        List::new(items).block(block).highlight_style(t.selection()).highlight_symbol("▶ "),
        r,
        &mut state,
    );
    // The list keeps the selection in view from the top (the offset it drew with).
    let offset = state.offset();
    (offset..p.labs.len().min(offset + usize::from(inner.height)))
        .enumerate()
        .map(|(k, i)| (Rect { y: inner.y + k as u16, height: 1, ..inner }, RowHit::Lab(i)))
        .collect()
}
