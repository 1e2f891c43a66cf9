//! The trace pane. For now: the last trace as the engine renders it, or a hint to press `t`.

use super::pane_block;
use crate::app::{App, Pane};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// Draw the trace pane.
pub fn render(frame: &mut Frame, area: Rect, app: &App, focused: bool) {
    let t = &app.theme;
    let block = pane_block(app, Pane::Trace, "", focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = match &app.last_trace {
        Some(trace) => {
            // The verdict and its reason first: the pane is small and they matter most.
            let pinned = |l: &String| l.starts_with("Verdict:") || l.starts_with("Reason:");
            let style = |l: &String| {
                if l.starts_with("Verdict: delivered") {
                    ratatui::style::Style::new().fg(t.ok).add_modifier(ratatui::style::Modifier::BOLD)
                } else if pinned(l) {
                    t.error().add_modifier(ratatui::style::Modifier::BOLD)
                } else {
                    t.text()
                }
            };
            let head = trace.iter().filter(|l| pinned(l));
            let body = trace.iter().filter(|l| !pinned(l)).skip(usize::from(app.scroll[Pane::Trace.index()]));
            head.chain(body).map(|l| Line::styled(l.clone(), style(l))).collect()
        }
        None => vec![Line::from(vec![
            Span::styled("No trace yet. ", t.muted()),
            Span::styled("t", t.key()),
            Span::styled(" traces a packet from the selection.", t.muted()),
        ])],
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).style(t.text()), inner);
}
