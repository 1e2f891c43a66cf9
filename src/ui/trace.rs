//! The trace pane. For now: the last trace, or a hint to press `t`.

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
            trace.iter().skip(usize::from(app.scroll[Pane::Trace.index()])).map(|l| Line::raw(l.clone())).collect()
        }
        None => vec![Line::from(vec![
            Span::styled("No trace yet. ", t.muted()),
            Span::styled("t", t.key()),
            Span::styled(" traces a packet from the selected instance.", t.muted()),
        ])],
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).style(t.text()), inner);
}
