//! The help overlay: every binding of the focused pane (or open popup) and the global keys,
//! drawn from the keymap's own tables so it cannot drift from what the keys do.

use super::centered;
use crate::app::keymap::{self, Layer};
use crate::app::App;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};
use ratatui::Frame;

/// The help text, one line per binding.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut out = Vec::new();
    for layer in keymap::active_layers(app) {
        out.push(Line::styled(layer.title().to_string(), Style::new().fg(t.accent).add_modifier(Modifier::BOLD)));
        let table: Vec<&keymap::Binding> = if layer == Layer::Lab {
            keymap::lab_bindings(app).collect()
        } else {
            keymap::bindings(layer).iter().collect()
        };
        for b in table {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            let keys = if keys.is_empty() { "text".to_string() } else { keys.join(" ") };
            out.push(Line::from(vec![Span::styled(format!("  {keys:<18}"), t.key()), Span::raw(b.help.to_string())]));
        }
        out.push(Line::raw(""));
    }
    if keymap::active_layers(app).contains(&Layer::Global) {
        out.push(Line::styled(
            "Mouse: click a pane to focus it, a tree row to select it; the wheel scrolls.",
            t.muted(),
        ));
    }
    out
}

/// Draw the overlay.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let text = lines(app);
    let w = area.width.saturating_sub(4).min(76);
    let h = area.height.saturating_sub(2).min(text.len() as u16 + 2);
    let r = centered(area, w, h);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(Style::new().fg(t.popup_border))
        .title(Line::from(Span::styled(" Help · Esc closes · j/k scroll ", t.title(true))))
        .style(t.popup());
    let scroll = app.help.unwrap_or(0).min(text.len().saturating_sub(1) as u16);
    frame.render_widget(Paragraph::new(text).block(block).scroll((scroll, 0)), r);
}
