//! Popups: forms, the add menu, the file picker, questions.

use super::centered;
use super::Screen;
use crate::app::forms::{FieldKind, Form};
use crate::app::{Confirm, Menu, Picker, Popup, PopupHit};
use crate::l10n::{ui, uif};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};
use ratatui::Frame;

const LABEL_W: u16 = 26;

/// Draw a popup.
/// Draw a popup; returns its clickable rows (for the mouse).
pub fn render(frame: &mut Frame, area: Rect, app: &Screen, popup: &Popup) -> Rows {
    match popup {
        Popup::Form(f) => form(frame, area, app, f),
        Popup::Menu(m) => menu(frame, area, app, m),
        Popup::Picker(p) => picker(frame, area, app, p),
        Popup::Confirm(c) => {
            confirm(frame, area, app, c);
            Vec::new()
        }
    }
}

/// Clickable rows: where, and what a click there means.
pub type Rows = Vec<(Rect, PopupHit)>;

/// The row `line` of a list drawn in `list` from line `offset`, if it shows.
fn row_at(list: Rect, line: usize, offset: usize) -> Option<Rect> {
    let y = line.checked_sub(offset)?;
    (y < usize::from(list.height)).then(|| Rect { y: list.y + y as u16, height: 1, ..list })
}

/// Whether the popup is the top layer (has the keyboard, so shows the cursor).
fn on_top(app: &Screen) -> bool {
    matches!(app.modal(), Some(crate::app::Modal::Popup(_)))
}

fn popup_block<'a>(app: &Screen, title: String) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(app.theme.popup_border))
        .title(Line::from(Span::styled(format!(" {title} "), app.theme.title(true))))
        .style(app.theme.popup())
}

use super::wrap_text as wrap;

/// The visible part of a text value and where the cursor falls in it.
fn window(text: &str, cursor: usize, width: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let cursor = cursor.min(chars.len());
    if width == 0 {
        return (String::new(), 0);
    }
    let start = if cursor >= width { cursor + 1 - width } else { 0 };
    let shown: String = chars.iter().skip(start).take(width).collect();
    (shown, cursor - start)
}

fn form(frame: &mut Frame, area: Rect, app: &Screen, f: &Form) -> Rows {
    let t = &app.theme;
    let lang = app.lang();
    let w = area.width.saturating_sub(2).min(88);
    let value_w = w.saturating_sub(LABEL_W + 4) as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0usize;
    let mut cursor: Option<(usize, u16)> = None;
    let mut field_lines: Vec<(usize, usize)> = Vec::new();
    let mut option_lines: Vec<(usize, usize)> = Vec::new();
    for (i, field) in f.fields.iter().enumerate() {
        let focused = i == f.focus;
        field_lines.push((lines.len(), i));
        let label_style = if field.locked {
            t.muted()
        } else if focused {
            Style::new().fg(t.accent).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(t.fg)
        };
        let marker = if focused { "▸ " } else { "  " };
        let label = format!("{marker}{}", super::pad_to(&ui(lang, field.label), usize::from(LABEL_W) - 2));
        let value_style = if focused && !field.locked && f.fresh {
            // Selected as a whole: the first key typed replaces it.
            t.selection()
        } else if focused && !field.locked {
            t.input()
        } else {
            Style::new().fg(t.fg)
        };
        let value = match &field.kind {
            FieldKind::Text => {
                let (shown, c) = window(&field.input.text, field.input.cursor, value_w.saturating_sub(1));
                if focused && !field.locked {
                    focus_line = lines.len();
                    cursor = Some((lines.len(), LABEL_W + c as u16));
                }
                let pad = value_w.saturating_sub(shown.chars().count());
                format!("{shown}{}", " ".repeat(if focused { pad } else { 0 }))
            }
            FieldKind::Bool => {
                format!("{} {}", if field.value() == "yes" { "[x]" } else { "[ ]" }, ui(lang, field.value()))
            }
            FieldKind::Choice(opts) => {
                let label = field_display(lang, field);
                let room = value_w.saturating_sub(if field.locked { 10 } else { 6 });
                let label = super::truncate_width(&label, room);
                if opts.len() > 1 && !field.locked {
                    format!("◂ {label} ▸")
                } else {
                    label
                }
            }
            FieldKind::Multi(_) => super::truncate_width(&field_display(lang, field), value_w.saturating_sub(2)),
        };
        if focused {
            focus_line = lines.len();
        }
        let mut spans = vec![Span::styled(label, label_style), Span::styled(value, value_style)];
        if field.locked {
            spans.push(Span::styled(format!("  {}", ui(lang, "(fixed)")), t.muted()));
        }
        lines.push(Line::from(spans));
        let indent = " ".repeat(usize::from(LABEL_W));
        let text_w = usize::from(w.saturating_sub(LABEL_W + 2)).max(10);
        let (note, style) = match (f.visible_error(field), f.note(field.key)) {
            // A static refusal ("required: …") has its message; a specific one shows as written.
            (Some(err), _) => (format!("✖ {}", err.render(lang)), t.error()),
            (None, Some(n)) => (format!("ℹ {n}"), Style::new().fg(t.warning)),
            (None, None) if focused => (ui(lang, &field.hint), t.muted()),
            (None, None) => (String::new(), t.muted()),
        };
        for part in wrap(&note, text_w) {
            lines.push(Line::from(vec![Span::raw(indent.clone()), Span::styled(part, style)]));
        }
        if focused && !field.locked && field.is_picker() {
            option_lines = picker_lines(&mut lines, app, field, &indent, text_w);
        }
    }
    if !f.preview.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(ui(lang, "It creates, as one undo step:"), t.muted()));
        for p in &f.preview {
            for part in wrap(&format!("  {}", p.render(lang)), usize::from(w.saturating_sub(2)).max(10)) {
                lines.push(Line::styled(part, Style::new().fg(t.fg)));
            }
        }
    }
    lines.push(Line::raw(""));
    if let Some(m) = &f.message {
        let said = &f.message_said;
        let m = if !said.is_empty() && said.iter().map(|t| t.english.as_str()).collect::<String>() == *m {
            said.iter().map(|t| t.render(lang)).collect()
        } else {
            m.clone()
        };
        for part in wrap(&m, usize::from(w.saturating_sub(2)).max(10)) {
            lines.push(Line::styled(part, t.error().add_modifier(Modifier::BOLD)));
        }
    }
    lines.push(Line::from(vec![
        Span::styled("Tab", t.key()),
        Span::styled(format!(" {}  ", ui(lang, "next")), t.muted()),
        Span::styled("Enter", t.key()),
        Span::styled(format!(" {}  ", ui(lang, "apply")), t.muted()),
        Span::styled("Esc", t.key()),
        Span::styled(format!(" {}  ", ui(lang, "cancel")), t.muted()),
        Span::styled("F1", t.key()),
        Span::styled(format!(" {}", ui(lang, "help")), t.muted()),
    ]));
    let h = (lines.len() + 2) as u16;
    let r = centered(area, w, h);
    super::clear(frame, r);
    let block = popup_block(app, f.spec.0.title(&app.design, &f.target, lang));
    let inner = block.inner(r);
    let scroll = (focus_line as u16 + 2).saturating_sub(inner.height);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), r);
    if let Some((line, x)) = cursor {
        let y = inner.y + (line as u16).saturating_sub(scroll);
        let x = inner.x + x;
        if y < inner.bottom() && x < inner.right() && on_top(app) {
            frame.set_cursor_position((x, y));
        }
    }
    let hit = |(line, i): (usize, usize), h: fn(usize) -> PopupHit| {
        row_at(inner, line, usize::from(scroll)).map(|r| (r, h(i)))
    };
    let fields = field_lines.into_iter().filter_map(|x| hit(x, PopupHit::Field));
    fields.chain(option_lines.into_iter().filter_map(|x| hit(x, PopupHit::Option))).collect()
}

/// The add menu's rows: group titles and items, and the row of the selection.
pub fn menu_rows(m: &Menu, lang: crate::l10n::Lang) -> (Vec<(String, Option<usize>)>, usize) {
    let mut rows: Vec<(String, Option<usize>)> = Vec::new();
    let mut selected = 0;
    let mut last = "";
    for i in m.visible() {
        let it = &m.items[i];
        let group = if it.suggested { "suggested here" } else { it.group };
        if group != last {
            rows.push((format!("─ {}", ui(lang, group)), None));
            last = group;
        }
        if i == m.selected {
            selected = rows.len();
        }
        rows.push((it.label.clone(), Some(i)));
    }
    (rows, selected)
}

/// How many of a picker's matches show under it.
const PICKER_ROWS: usize = 6;

/// A focused picker's list: what is typed, and the matches around the highlight (ticked ones
/// marked in a list picker). Returns the line of each match shown, with its index among the
/// matches (a click picks it).
fn picker_lines(
    lines: &mut Vec<Line<'static>>,
    app: &Screen,
    field: &crate::app::forms::Field,
    indent: &str,
    w: usize,
) -> Vec<(usize, usize)> {
    let mut shown = Vec::new();
    let t = &app.theme;
    let lang = app.lang();
    let m = field.matches();
    let multi = matches!(field.kind, FieldKind::Multi(_));
    let opts = field.options();
    let at = if multi { field.pick } else { m.iter().position(|&i| opts[i].value == field.input.text).unwrap_or(0) };
    let find = if let Some(port) = field.port_text() {
        let filter = field.query.text.split(':').next().unwrap_or_default();
        uif(
            lang,
            "find: {query}  port {port}: Space ticks the highlighted row with it",
            &[("query", &filter), ("port", &port)],
        )
    } else if field.query.text.is_empty() {
        uif(lang, "find: (type)  {n} of {all}", &[("n", &m.len()), ("all", &opts.len())])
    } else {
        uif(lang, "find: {query}  {n} of {all}", &[("query", &field.query.text), ("n", &m.len()), ("all", &opts.len())])
    };
    lines.push(Line::from(vec![Span::raw(indent.to_string()), Span::styled(find, t.key())]));
    let start = (at + 1).saturating_sub(PICKER_ROWS);
    for (row, &i) in m.iter().enumerate().skip(start).take(PICKER_ROWS) {
        let o = &opts[i];
        let entry = if multi { field.tick_of(&o.value) } else { None };
        let tick = match (multi, &entry) {
            (false, _) => "",
            (true, Some(_)) => "[x] ",
            (true, None) => "[ ] ",
        };
        // A ticked entry's own port (a target's override, a container port).
        let port = entry.as_deref().and_then(|e| field.split_port(e).1).map(|p| format!("  :{p}")).unwrap_or_default();
        let label = ui(lang, &o.label);
        let text = super::truncate_width(&format!("{}{tick}{label}{port}", if row == at { "▸ " } else { "  " }), w);
        let style = if row == at { t.selection() } else { Style::new().fg(t.fg) };
        shown.push((lines.len(), row));
        lines.push(Line::from(vec![Span::raw(indent.to_string()), Span::styled(text, style)]));
    }
    if m.is_empty() {
        lines.push(Line::from(vec![
            Span::raw(indent.to_string()),
            Span::styled(ui(lang, "no match: Ctrl-U clears"), t.muted()),
        ]));
    }
    shown
}

/// The "Find: …" line a filtered list (the Add menu, the open picker) shows on its first row,
/// with the terminal cursor in it while the list is the top layer.
fn find_line(frame: &mut Frame, inner: Rect, app: &Screen, text: &str, cursor: usize) {
    let t = &app.theme;
    let (shown, c) = window(text, cursor, usize::from(inner.width.saturating_sub(8)));
    let find = format!("{}: ", ui(app.lang(), "Find"));
    let find_w = super::width(&find) as u16;
    let input = Line::from(vec![Span::styled(find, t.key()), Span::styled(shown, t.input())]);
    frame.render_widget(Paragraph::new(input), Rect { height: 1, ..inner });
    if on_top(app) {
        frame.set_cursor_position((inner.x + find_w + c as u16, inner.y));
    }
}

fn menu(frame: &mut Frame, area: Rect, app: &Screen, m: &Menu) -> Rows {
    let t = &app.theme;
    let lang = app.lang();
    let (rows, sel) = menu_rows(m, lang);
    let h = (rows.len().max(1) as u16 + 4).min(area.height.saturating_sub(2));
    let w = area.width.saturating_sub(4).min(56);
    let r = centered(area, w, h);
    super::clear(frame, r);
    let block = popup_block(app, m.title.clone());
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if inner.height < 2 {
        return Vec::new();
    }
    find_line(frame, inner, app, &m.filter.text, m.filter.cursor);
    let list_area = Rect { y: inner.y + 2, height: inner.height.saturating_sub(2), ..inner };
    let visible = usize::from(list_area.height);
    let offset = (sel + 1).saturating_sub(visible);
    let mut lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(row, (label, item))| match item {
            None => Line::styled(label.clone(), t.muted()),
            Some(_) if row == sel => Line::styled(format!("▸ {label}"), t.selection()),
            Some(_) => Line::styled(format!("  {label}"), Style::new().fg(t.fg)),
        })
        .collect();
    if rows.is_empty() {
        lines.push(Line::styled(ui(lang, "No kind matches: Backspace or Ctrl-U"), t.muted()));
    }
    frame.render_widget(Paragraph::new(lines), list_area);
    rows.iter()
        .enumerate()
        .filter_map(|(line, (_, item))| Some((row_at(list_area, line, offset)?, PopupHit::Item((*item)?))))
        .collect()
}

fn picker(frame: &mut Frame, area: Rect, app: &Screen, p: &Picker) -> Rows {
    let t = &app.theme;
    let lang = app.lang();
    let vis = p.visible();
    let w = area.width.saturating_sub(4).min(80);
    let h = (vis.len() as u16 + 5).clamp(6, area.height.saturating_sub(2).max(6));
    let r = centered(area, w, h);
    super::clear(frame, r);
    let block = popup_block(app, ui(lang, "Open a design"));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if inner.height < 2 {
        return Vec::new();
    }
    find_line(frame, inner, app, &p.input.text, p.input.cursor);
    let list_area = Rect { y: inner.y + 2, height: inner.height.saturating_sub(2), ..inner };
    let visible = usize::from(list_area.height);
    let offset = (p.selected + 1).saturating_sub(visible);
    let mut lines: Vec<Line> = vis
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(row, &i)| {
            let e = &p.entries[i];
            // "group: name": the group in the interface's language, the name as it is.
            let label = match e.label.strip_prefix(e.group).and_then(|r| r.strip_prefix(": ")) {
                Some(name) => format!("{}: {name}", ui(lang, e.group)),
                None => ui(lang, &e.label),
            };
            if row == p.selected {
                Line::styled(format!("▸ {label}"), t.selection())
            } else {
                Line::styled(format!("  {label}"), Style::new().fg(t.fg))
            }
        })
        .collect();
    if vis.is_empty() {
        lines.push(Line::styled(ui(lang, "No match: Enter opens what you typed as a path."), t.muted()));
    }
    frame.render_widget(Paragraph::new(lines), list_area);
    (0..vis.len()).filter_map(|row| Some((row_at(list_area, row, offset)?, PopupHit::Item(row)))).collect()
}

fn confirm(frame: &mut Frame, area: Rect, app: &Screen, c: &Confirm) {
    let t = &app.theme;
    let w = area.width.saturating_sub(4).min(84);
    // The text, then the keys it takes (the only ones it takes: `keymap::answers`).
    let keys = crate::app::keymap::answer_line_in(&c.pending, app.lang());
    let mut lines: Vec<Line> = c.lines.iter().map(|l| Line::styled(l.clone(), Style::new().fg(t.fg))).collect();
    lines.push(Line::styled(keys.clone(), t.key()));
    let wrapped: usize =
        c.lines.iter().chain([&keys]).map(|l| 1 + super::width(l) / usize::from(w.saturating_sub(2).max(1))).sum();
    let h = (wrapped as u16 + 2).min(area.height);
    let r = centered(area, w, h);
    super::clear(frame, r);
    let block = popup_block(app, c.title.clone()).border_style(Style::new().fg(t.warning));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), r);
}

/// What a field shows, in `lang`: a choice's label (option labels are kinds, states and
/// names: the catalogue translates the words it knows), yes/no, or the text typed.
fn field_display(lang: crate::l10n::Lang, field: &crate::app::forms::Field) -> String {
    match &field.kind {
        FieldKind::Choice(_) => ui(lang, &field.display()),
        FieldKind::Multi(_) if field.ticked().is_empty() => format!("({})", ui(lang, "none")),
        _ => field.display(),
    }
}
