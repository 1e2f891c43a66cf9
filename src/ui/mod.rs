//! Drawing: one file per pane, the popups, the status bar and the help overlay.
//!
//! `view(frame, &App, &mut ViewState)` is pure in the app: it reads the [`App`] and draws a
//! frame. What drawing works out — where the panes went, the tree's rows, how far help can
//! scroll, the resolved theme — goes into the [`ViewState`], which the terminal loop hands back
//! to the app as an [`app::Viewport`](crate::app::Viewport) message, so the keymap can tell
//! which pane a click is in.

pub mod help;
pub mod lab;
pub mod map;
pub mod map_canvas;
pub mod planner;
pub mod planner6;
pub mod popup;
pub mod reach;
pub mod routes;
pub mod status;
pub mod theme;
pub mod trace;
pub mod tree;
pub mod wrap;

use crate::app::input::Area;
use crate::app::{App, Modal, Pane, RowHit, Viewport};
use crate::l10n::ui;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};
use ratatui::Frame;
use std::borrow::Cow;
use theme::{Theme, ThemeFile};

/// Below this size the app shows only a "terminal too small" message.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Below this size one pane (the focused one) fills the screen.
pub const COMPACT_WIDTH: u16 = 100;
pub const COMPACT_HEIGHT: u16 = 24;

/// What the view keeps between frames: the theme (the app's choice resolved with the user's
/// overrides) and what the last frame laid out.
#[derive(Debug, Clone, Default)]
pub struct ViewState {
    /// The user's theme file, applied on top of every built-in theme.
    pub user_theme: Option<ThemeFile>,
    theme: Option<Theme>,
    /// Where each pane was.
    pub panes: Vec<(Pane, Rect)>,
    /// Where the tree's rows were, inside the tree pane.
    pub tree_rows: Rect,
    /// How far the help overlay could scroll.
    pub help_max_scroll: Option<u16>,
    /// Where the status bar's finding counts were.
    pub findings: Rect,
    /// The popup's clickable rows.
    pub popup_rows: Vec<(Rect, crate::app::PopupHit)>,
    /// The other clickable rows: tables of the panes, the lab panel, the pickers.
    pub rows: Vec<(Rect, RowHit)>,
    /// Where the lab panel was.
    pub lab_panel: Rect,
}

impl ViewState {
    /// A view state with the user's theme file.
    pub fn new(user_theme: Option<ThemeFile>) -> ViewState {
        ViewState { user_theme, ..ViewState::default() }
    }

    /// The app's theme, with the user's overrides.
    pub fn theme(&mut self, name: &str) -> &Theme {
        if self.theme.as_ref().is_none_or(|t| t.name != name) {
            self.theme = Some(Theme::with_user(name, self.user_theme.as_ref()).0);
        }
        self.theme.get_or_insert_with(Theme::default)
    }

    /// What the app needs to know of the last frame.
    pub fn viewport(&self) -> Viewport {
        let pane = self.panes.iter().find(|(p, _)| *p == Pane::Tree).map(|(_, r)| *r).unwrap_or_default();
        let rel = Rect {
            x: self.tree_rows.x.saturating_sub(pane.x),
            y: self.tree_rows.y.saturating_sub(pane.y),
            ..self.tree_rows
        };
        Viewport {
            panes: self.panes.iter().map(|(p, r)| (*p, area(*r))).collect(),
            tree_rows: area(rel),
            help_max_scroll: self.help_max_scroll,
            findings: area(self.findings),
            popup_rows: self.popup_rows.iter().map(|(r, h)| (area(*r), *h)).collect(),
            rows: self.rows.iter().map(|(r, h)| (area(*r), *h)).collect(),
            lab_panel: area(self.lab_panel),
        }
    }
}

/// A ratatui rectangle as the app's own [`Area`].
fn area(r: Rect) -> Area {
    Area { x: r.x, y: r.y, width: r.width, height: r.height }
}

/// The app as one frame draws it: the app, the resolved theme, and whether one pane fills the
/// screen. Reads through to the [`App`].
pub struct Screen<'a> {
    app: &'a App,
    pub theme: Cow<'a, Theme>,
    pub single: bool,
}

impl<'a> Screen<'a> {
    /// The app with its built-in theme (no user overrides), as text-only callers draw it.
    pub fn plain(app: &'a App) -> Screen<'a> {
        Screen { app, theme: Cow::Owned(Theme::builtin(&app.theme)), single: false }
    }
}

impl std::ops::Deref for Screen<'_> {
    type Target = App;
    fn deref(&self) -> &App {
        self.app
    }
}

/// Draw the whole screen.
pub fn view(frame: &mut Frame, app: &App, vs: &mut ViewState) {
    let theme = vs.theme(&app.theme).clone();
    let area = frame.area();
    frame.render_widget(Block::new().style(theme.text()), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, &Screen { app, theme: Cow::Borrowed(&theme), single: true });
        vs.panes.clear();
        vs.tree_rows = Rect::default();
        vs.findings = Rect::default();
        vs.rows.clear();
        vs.lab_panel = Rect::default();
        return;
    }
    let status_height = if area.height >= 20 { 2 } else { 1 };
    let [main, status_area] = Layout::vertical([Constraint::Min(0), Constraint::Length(status_height)]).areas(area);
    let mut panes = layout_panes(main, app);
    let lab_area = lab::split(app, &mut panes);
    let screen = Screen { app, theme: Cow::Borrowed(&theme), single: app.zoom || panes.len() == 1 };
    vs.tree_rows = Rect::default();
    vs.rows.clear();
    for (pane, rect) in &panes {
        let focused = *pane == app.focus;
        match pane {
            Pane::Tree => vs.tree_rows = tree::render(frame, *rect, &screen, focused),
            Pane::Planner => vs.rows.extend(planner::render(frame, *rect, &screen, focused)),
            Pane::Routes => vs.rows.extend(routes::render(frame, *rect, &screen, focused)),
            Pane::Trace => trace::render(frame, *rect, &screen, focused),
            Pane::Map => map::render(frame, *rect, &screen, focused),
        }
    }
    vs.panes = panes;
    vs.lab_panel = Rect::default();
    if let Some(r) = lab_area {
        vs.lab_panel = r;
        vs.rows.extend(lab::render(frame, r, &screen));
    }
    vs.findings = status::render(frame, status_area, &screen);
    // The layers on top of the panes, bottom first.
    vs.help_max_scroll = None;
    vs.popup_rows.clear();
    for m in app.modals.iter() {
        match m {
            Modal::Filter => {}
            Modal::Popup(p) => vs.popup_rows = popup::render(frame, area, &screen, p),
            Modal::TracePicker(p) => vs.rows = trace::render_picker(frame, area, &screen, p),
            Modal::LabPicker(p) => vs.rows = lab::render_picker(frame, area, &screen, p),
            Modal::Help(scroll) => vs.help_max_scroll = Some(help::render(frame, area, &screen, *scroll)),
            Modal::Reach(o) => vs.rows = reach::render(frame, area, app, o, &theme),
        }
    }
}

/// Where each pane goes: all four on a normal terminal (or the tree and the map, when the map
/// is shown), only the focused one when zoomed or when the terminal is small.
pub fn layout_panes(area: Rect, app: &App) -> Vec<(Pane, Rect)> {
    if app.zoom || area.width < COMPACT_WIDTH || area.height < COMPACT_HEIGHT {
        return vec![(app.focus, area)];
    }
    if app.map.shown {
        let [left, right] = Layout::horizontal([Constraint::Percentage(32), Constraint::Percentage(68)]).areas(area);
        return vec![(Pane::Tree, left), (Pane::Map, right)];
    }
    let [left, right] = Layout::horizontal([Constraint::Percentage(46), Constraint::Percentage(54)]).areas(area);
    // A trace being watched (or a lab) gets more room for its chain and steps.
    let tall = app.trace_view.result.is_some() && (app.focus == Pane::Trace || app.lab.active.is_some());
    let split = if tall { [15, 20, 65] } else { [40, 35, 25] };
    let [planner, routes, trace] = Layout::vertical(split.map(Constraint::Percentage)).areas(right);
    vec![(Pane::Tree, left), (Pane::Planner, planner), (Pane::Routes, routes), (Pane::Trace, trace)]
}

/// The frame around a pane: its number and title, highlighted when focused. When only one pane
/// shows (zoom or a small terminal), the title says so and how to move on.
pub fn pane_block<'a>(app: &Screen, pane: Pane, subtitle: &str, focused: bool) -> Block<'a> {
    let t = &app.theme;
    let lang = app.lang();
    let mut title = vec![Span::styled(format!(" {} {} ", pane.index() + 1, ui(lang, pane.title())), t.title(focused))];
    if !subtitle.is_empty() {
        title.push(Span::styled(format!("{subtitle} "), t.muted()));
    }
    let single = app.single;
    let mut block = Block::bordered()
        .border_type(if focused { BorderType::Thick } else { BorderType::Rounded })
        .border_style(t.border(focused))
        .title(Line::from(title));
    if single {
        let note = if app.zoom { "zoomed · z: all panes" } else { "Tab: next pane" };
        block = block.title_top(Line::from(Span::styled(format!(" {} ", ui(lang, note)), t.muted())).right_aligned());
    }
    block.style(t.text())
}

fn too_small(frame: &mut Frame, area: Rect, app: &Screen) {
    let t = &app.theme;
    let text = vec![
        Line::from(Span::styled(crate::l10n::ui(app.lang(), "Terminal too small"), t.error())),
        Line::from(crate::l10n::uif(
            app.lang(),
            "{width}×{height} here; vpcraft needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            &[("width", &area.width), ("height", &area.height), ("MIN_WIDTH", &MIN_WIDTH), ("MIN_HEIGHT", &MIN_HEIGHT)],
        )),
        Line::from(Span::styled(crate::l10n::ui(app.lang(), "Enlarge the window, or press q to quit."), t.muted())),
    ];
    let h = (text.len() as u16 + 2).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    let r = Rect { x: area.x, y, width: area.width, height: h };
    frame.render_widget(Paragraph::new(text).alignment(Alignment::Center).wrap(Wrap { trim: true }).style(t.text()), r);
}

/// A rectangle of at most `w`×`h`, centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Split text into lines of at most `width` display columns (double-width CJK counts 2), at
/// spaces where possible and inside a word only when it is longer than a line. No character
/// is dropped: only the spaces lines break at.
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    let mut line_w = 0usize;
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            if line_w > 0 && line_w + 1 + word.width() > width {
                out.push(std::mem::take(&mut line));
                line_w = 0;
            } else {
                line.push(' ');
                line_w += 1;
            }
        }
        for ch in word.chars() {
            let cw = ch.width().unwrap_or(0);
            if line_w > 0 && line_w + cw > width {
                out.push(std::mem::take(&mut line));
                line_w = 0;
            }
            line.push(ch);
            line_w += cw;
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

/// The clickable rows of a table drawn in `area` under a one-line header: row k shows item
/// `offset + k` of `len`.
pub fn table_rows(
    area: Rect,
    offset: usize,
    visible: usize,
    len: usize,
    hit: impl Fn(usize) -> RowHit,
) -> Vec<(Rect, RowHit)> {
    (offset..len.min(offset + visible))
        .enumerate()
        .map(|(k, i)| (Rect { x: area.x, y: area.y + 1 + k as u16, width: area.width, height: 1 }, hit(i)))
        .collect()
}

/// Clear `r` for an overlay. A wide character (a Korean syllable) just left of it would
/// cover the overlay's left border (its second half is the border's cell): it goes too.
pub fn clear(frame: &mut Frame, r: Rect) {
    frame.render_widget(ratatui::widgets::Clear, r);
    if r.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in r.top()..r.bottom() {
        if let Some(cell) = buf.cell_mut((r.x - 1, y)) {
            if unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}

/// The display width of a text (a Korean syllable takes two columns).
pub fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// A text cut to at most `w` display columns (never half a wide character).
pub fn truncate_width(text: &str, w: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let cw = ch.width().unwrap_or(0);
        if used + cw > w {
            break;
        }
        used += cw;
        out.push(ch);
    }
    out
}

/// A text padded with spaces to `w` display columns (`format!("{:<w$}")` counts characters,
/// which puts Korean text two columns per syllable past its place); longer text is cut.
pub fn pad_to(text: &str, w: usize) -> String {
    let mut out = truncate_width(text, w);
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(used)));
    out
}

/// Key and description, as hints show them.
pub fn hint_spans(app: &Screen, hints: &[(String, &str)]) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    for (i, (k, h)) in hints.iter().enumerate() {
        if i > 0 {
            out.push(Span::raw("  "));
        }
        out.push(Span::styled(k.clone(), app.theme.key()));
        out.push(Span::styled(format!(" {}", ui(app.lang(), h)), Style::new().fg(app.theme.status_fg)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap_text;
    use unicode_width::UnicodeWidthStr;

    fn no_spaces(s: &str) -> String {
        s.chars().filter(|c| *c != ' ').collect()
    }

    #[test]
    fn wrap_counts_display_width_and_keeps_every_character() {
        let text = "서브넷 10.0.9.0/24 은 VPC 10.0.0.0/16 의 범위 밖입니다 (and it is not an address) 가나다라마바사아자차카타파하";
        for width in [1, 2, 3, 7, 10, 13, 20, 33, 80] {
            let lines = wrap_text(text, width);
            for l in &lines {
                assert!(l.width() <= width.max(2), "{l:?} is wider than {width}");
            }
            assert_eq!(no_spaces(&lines.concat()), no_spaces(text), "characters lost at width {width}: {lines:?}");
        }
        assert_eq!(wrap_text("한국어 텍스트", 6), vec!["한국어", "텍스트"]);
        assert_eq!(wrap_text("가나다라", 5), vec!["가나", "다라"]);
        assert!(wrap_text("", 10).is_empty());
    }
}
