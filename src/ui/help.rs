//! The help overlay: every binding of the focused pane (or open popup) and the global keys,
//! drawn from the keymap's own tables so it cannot drift from what the keys do.

use super::centered;
use super::Screen;
use crate::app::keymap::{self, Layer};
use crate::app::App;
use crate::l10n::ui;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The help text, one line per binding.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    lines_on(&Screen::plain(app))
}

fn lines_on(app: &Screen) -> Vec<Line<'static>> {
    let t = &app.theme;
    let lang = app.lang();
    let mut out = Vec::new();
    for layer in keymap::active_layers(app) {
        out.push(Line::styled(ui(lang, layer.title()), Style::new().fg(t.accent).add_modifier(Modifier::BOLD)));
        let table: Vec<&keymap::Binding> = if layer == Layer::Lab {
            keymap::lab_bindings(app).collect()
        } else {
            keymap::bindings(layer).iter().collect()
        };
        for b in table {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            let keys = if keys.is_empty() { ui(lang, "text") } else { keys.join(" ") };
            let pad = " ".repeat(18usize.saturating_sub(super::width(&keys)));
            out.push(Line::from(vec![Span::styled(format!("  {keys}{pad}"), t.key()), Span::raw(ui(lang, b.help))]));
        }
        out.push(Line::raw(""));
    }
    if keymap::active_layers(app).contains(&Layer::Global) {
        out.push(Line::styled(
            ui(lang, "Mouse: click a pane to focus it, a tree row to select it; the wheel scrolls."),
            t.muted(),
        ));
    }
    out
}

/// Width of the keys column (two spaces of indent, the keys, padding).
const KEYS_W: usize = 20;

/// The help text wrapped to `width` columns: a long description continues under itself, and
/// keys too long for their column get a line of their own.
pub fn wrapped_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    wrapped_on(&Screen::plain(app), width)
}

fn wrapped_on(app: &Screen, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let width = width.max(KEYS_W + 10);
    let mut out = Vec::new();
    for line in lines_on(app) {
        let spans = &line.spans;
        // Binding lines are exactly [keys, description]; everything else is one styled text.
        if spans.len() == 2 {
            let keys = spans[0].content.trim_end().to_string();
            let desc = spans[1].content.to_string();
            let parts = super::wrap_text(&desc, width - KEYS_W);
            let indent = " ".repeat(KEYS_W);
            let mut first = true;
            if keys.width() >= KEYS_W {
                out.push(Line::from(Span::styled(keys.clone(), t.key())));
                first = false;
            }
            for part in parts {
                let head = if first { format!("{keys:<KEYS_W$}") } else { indent.clone() };
                let head_style = if first { t.key() } else { Style::new() };
                out.push(Line::from(vec![Span::styled(head, head_style), Span::raw(part)]));
                first = false;
            }
        } else {
            let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
            if text.is_empty() {
                out.push(Line::raw(""));
                continue;
            }
            let style = spans.first().map_or(Style::new(), |s| s.style).patch(line.style);
            for part in super::wrap_text(&text, width) {
                out.push(Line::styled(part, style));
            }
        }
    }
    out
}

/// Draw the overlay: wrapped to the popup's width, scrolled with ↑/↓/PgUp/PgDn.
/// Returns how far the overlay can scroll.
pub fn render(frame: &mut Frame, area: Rect, app: &Screen, scroll: u16) -> u16 {
    let t = &app.theme;
    let w = area.width.saturating_sub(4).min(100);
    let text = wrapped_on(app, usize::from(w.saturating_sub(2)));
    let h = area.height.saturating_sub(2).min(text.len() as u16 + 2);
    let r = centered(area, w, h);
    super::clear(frame, r);
    let inner_h = h.saturating_sub(2);
    let max_scroll = (text.len() as u16).saturating_sub(inner_h);
    let scroll = scroll.min(max_scroll);
    let mut block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(Style::new().fg(t.popup_border))
        .title(Line::from(Span::styled(
            format!(" {} ", ui(app.lang(), "Help · Esc closes · ↑/↓ PgUp/PgDn scroll")),
            t.title(true),
        )))
        .style(t.popup());
    if scroll < max_scroll {
        block = block.title_bottom(
            Line::from(Span::styled(format!(" {} ", ui(app.lang(), "↓ more")), t.title(true))).right_aligned(),
        );
    }
    frame.render_widget(Paragraph::new(text).block(block).scroll((scroll, 0)), r);
    max_scroll
}
