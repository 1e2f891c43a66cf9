//! The status bar: file name, unsaved marker, check findings, a message, key hints.

use super::hint_spans;
use super::Screen;
use crate::app::findings::Severity;
use crate::app::keymap;
use crate::app::StatusKind;
use crate::l10n::ui;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draw the status bar (two lines when there is room, else one). Returns where the finding
/// counts are (a click there opens the audit list).
pub fn render(frame: &mut Frame, area: Rect, app: &Screen) -> Rect {
    let t = &app.theme;
    let base = t.status();
    let mut first: Vec<Span> = vec![Span::styled(format!(" {} ", app.file_label()), base.add_modifier(Modifier::BOLD))];
    if app.dirty() {
        first.push(Span::styled("[+] ", Style::new().fg(t.warning).bg(t.status_bg).add_modifier(Modifier::BOLD)));
    }
    let count = |sev: Severity| app.derived.count(sev);
    let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    let lang = app.lang();
    let findings = if app.derived.findings.is_empty() {
        Span::styled(format!("│ {} ", ui(lang, "no findings")), Style::new().fg(t.ok).bg(t.status_bg))
    } else {
        // In `vpcraft check`'s words and counts.
        let summary = match lang {
            crate::l10n::Lang::En => crate::sim::checks::count_line(errors, warnings, infos),
            _ => [(errors, "errors"), (warnings, "warnings"), (infos, "info")]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{} {n}", ui(lang, what)))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let color = if errors > 0 {
            t.error
        } else if warnings > 0 {
            t.warning
        } else {
            t.info
        };
        Span::styled(format!("│ {summary} "), Style::new().fg(color).bg(t.status_bg).add_modifier(Modifier::BOLD))
    };
    let x = first.iter().map(Span::width).sum::<usize>();
    let findings_at = Rect {
        x: area.x.saturating_add(u16::try_from(x).unwrap_or(u16::MAX)),
        y: area.y,
        width: u16::try_from(findings.width()).unwrap_or(u16::MAX),
        height: 1,
    }
    .intersection(area);
    first.push(findings);
    if app.checker.pending() {
        first.push(Span::styled(format!("{} ", ui(lang, "checking…")), Style::new().fg(t.muted).bg(t.status_bg)));
    }
    if let Some(p) = app.reach.progress(lang, app.modals.reach()) {
        first.push(Span::styled(format!("{p} "), Style::new().fg(t.muted).bg(t.status_bg)));
    }
    if let Some(s) = &app.status {
        let style = match s.kind {
            StatusKind::Info => Style::new().fg(t.info).bg(t.status_bg),
            StatusKind::Error => Style::new().fg(t.error).bg(t.status_bg).add_modifier(Modifier::BOLD),
        };
        // Said in the interface's language when it was made; an error passed on from below
        // ("select a route table first") has its message here.
        first.push(Span::styled(format!("│ {} ", ui(lang, &s.text)), style));
    }

    let hints = keymap::status_hints(app);
    let second = Line::from(hint_spans(app, &hints)).style(base);
    if area.height >= 2 {
        frame.render_widget(Paragraph::new(vec![Line::from(first).style(base), second]).style(base), area);
    } else {
        first.push(Span::raw(" "));
        first.extend(hint_spans(app, &hints));
        frame.render_widget(Paragraph::new(Line::from(first)).style(base), area);
    }
    findings_at
}
