//! The whole-network overlays: the reachability matrix as a coloured grid (rows: sources,
//! columns: destinations, names on both axes, the column names written downwards), the audit
//! list, and the what-if's list of flows an edit opened or closed.

use super::theme::Theme;
use super::wrap_text;
use crate::app::reach::lists::{party_label, AuditList, FlowList};
use crate::app::reach::matrix::{choice_label, MatrixView};
use crate::app::reach::Overlay;
use crate::app::{App, RowHit};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, List, ListItem, ListState, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Draw the overlay `o` over `area` (the whole screen), in `theme`; returns what a click can
/// hit in it.
pub fn render(frame: &mut Frame, area: Rect, app: &App, o: &Overlay, theme: &Theme) -> Vec<(Rect, RowHit)> {
    // Over the panes (zoomed), leaving the status bar.
    let status = if area.height >= 20 { 2 } else { 1 };
    let r = Rect { height: area.height.saturating_sub(status), ..area };
    if r.width < 20 || r.height < 8 {
        return Vec::new();
    }
    super::clear(frame, r);
    let s = Ctx { app, t: theme };
    match o {
        Overlay::Matrix(v) => return matrix(frame, r, &s, v),
        Overlay::Audit(a) => audit(frame, r, &s, a),
        Overlay::Flows(l) => flows(frame, r, &s, l),
    }
    Vec::new()
}

/// The app and the theme to draw with.
struct Ctx<'a> {
    app: &'a App,
    t: &'a Theme,
}

fn frame_block<'a>(s: &Ctx, title: String, hints: &[(&str, &str)]) -> Block<'a> {
    let t = s.t;
    let mut spans = Vec::new();
    for (i, (k, h)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(k.to_string(), t.key()));
        spans.push(Span::styled(format!(" {}", crate::l10n::ui(s.app.lang(), h)), Style::new().fg(t.status_fg)));
    }
    Block::bordered()
        .border_type(BorderType::Double)
        .border_style(Style::new().fg(t.popup_border))
        .title(Line::from(Span::styled(format!(" {title} "), t.title(true))))
        .title_bottom(Line::from(spans))
        .style(t.popup())
}

/// `text` cut to `w` display columns, with `…` when cut.
fn fit(text: &str, w: usize) -> String {
    if text.width() <= w {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + 1 >= w {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The first index of a window of `n` that shows `cursor`.
fn window(cursor: usize, n: usize) -> usize {
    cursor.saturating_sub(n.saturating_sub(1))
}

fn spinner(d: std::time::Duration) -> &'static str {
    ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"][(d.as_millis() / 100 % 10) as usize]
}

/// Each column is this wide: a mark and a space.
const COL: u16 = 2;
/// The column names are written downwards in at most this many rows.
const HEADER: usize = 12;
/// Row names take at most this many columns.
const ROW_LABEL: usize = 22;

/// The family switch at the start of the matrix's top line: what it shows, and where it is
/// (a click there toggles IPv4 ⇄ IPv6, as `6` does).
fn family_switch(s: &Ctx, v: &MatrixView, head: Rect) -> (Vec<Span<'static>>, Rect) {
    let t = s.t;
    let label = crate::l10n::ui(s.app.lang(), "family ");
    let switch = format!("⇄ {} ", v.family.label());
    let width = (label.width() + switch.width()) as u16;
    let spans = vec![Span::styled(label, t.muted()), Span::styled(switch, t.key()), Span::raw("  ")];
    (spans, Rect { width: width.min(head.width), height: 1, ..head })
}

/// Draw the reachability view; returns where its family switch is, for the mouse.
fn matrix(frame: &mut Frame, r: Rect, s: &Ctx, v: &MatrixView) -> Vec<(Rect, RowHit)> {
    let t = s.t;
    let port = choice_label(v.selected());
    let hints =
        [("←↑↓→", "move"), ("[ ]", "port"), ("6", "IPv4 / IPv6 flows"), ("Enter", "play the trace"), ("Esc", "close")];
    let block = frame_block(s, crate::l10n::uif(s.app.lang(), "Reachability {port}", &[("port", &port)]), &hints);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [head, grid, detail] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(3)]).areas(inner);
    let (switch, switch_at) = family_switch(s, v, head);
    let hits = vec![(switch_at, RowHit::ReachFamily)];
    let Some((m, p)) = v.matrix() else {
        let mut line = match (&v.error, v.running()) {
            (Some(e), _) => {
                Line::from(Span::styled(crate::l10n::uif(s.app.lang(), "not computed: {e}", &[("e", &e)]), t.error()))
            }
            (None, Some(d)) => Line::from(Span::styled(
                format!("{} computing the matrix for {port}… {:.1} s", spinner(d), d.as_secs_f64()),
                t.muted(),
            )),
            (None, None) => Line::from(Span::styled(
                crate::l10n::uif(s.app.lang(), "waiting for the matrix for {port}…", &[("port", &port)]),
                t.muted(),
            )),
        };
        line.spans.splice(0..0, switch);
        frame.render_widget(Paragraph::new(line), head);
        return hits;
    };
    let (rows, cols, _) = m.shape();
    let (delivered, dropped) = m.counts(p);
    let mut top = switch;
    top.extend([
        Span::styled(crate::l10n::ui(s.app.lang(), "port "), t.muted()),
        Span::styled(format!("◀ {port} ▶", port = port), t.key()),
        Span::raw(crate::l10n::uif(
            s.app.lang(),
            "   {rows} sources × {cols} destinations: ",
            &[("rows", &rows), ("cols", &cols)],
        )),
        Span::styled(
            crate::l10n::uif(s.app.lang(), "● {delivered} delivered", &[("delivered", &delivered)]),
            Style::new().fg(t.ok),
        ),
        Span::raw("  "),
        Span::styled(
            crate::l10n::uif(s.app.lang(), "✕ {dropped} dropped", &[("dropped", &dropped)]),
            Style::new().fg(t.error),
        ),
    ]);
    let na = m.not_applicable();
    if na > 0 {
        top.push(Span::raw("  "));
        top.push(Span::styled(crate::l10n::uif(s.app.lang(), "· {na} not applicable", &[("na", &na)]), t.muted()));
    }
    if let Some(d) = v.running() {
        let secs = format!("{:.1} s", d.as_secs_f64());
        let updating = crate::l10n::uif(s.app.lang(), "updating… {secs}", &[("secs", &secs)]);
        top.push(Span::styled(format!("   {} {updating}", spinner(d)), t.muted()));
    }
    frame.render_widget(Paragraph::new(Line::from(top)), head);

    // Names on both axes: rows on the left, columns downwards above the grid.
    let label_w = m.source_labels.iter().map(|l| l.width()).max().unwrap_or(0).clamp(4, ROW_LABEL);
    let head_h = m
        .destination_labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1)
        .clamp(1, HEADER)
        .min(grid.height as usize / 2);
    let body_h = (grid.height as usize).saturating_sub(head_h);
    let vis_cols = (grid.width.saturating_sub(label_w as u16 + 1) / COL) as usize;
    let (r0, c0) = (window(v.row, body_h), window(v.col, vis_cols));
    let (r1, c1) = ((r0 + body_h).min(rows), (c0 + vis_cols).min(cols));
    let mut lines: Vec<Line> = Vec::with_capacity(grid.height as usize);
    for k in 0..head_h {
        let mut spans = vec![Span::raw(" ".repeat(label_w + 1))];
        for c in c0..c1 {
            let chars: Vec<char> = m.destination_labels[c].chars().collect();
            let ch = if chars.len() > head_h && k == head_h - 1 { '…' } else { chars.get(k).copied().unwrap_or(' ') };
            let style = if c == v.col { t.title(true) } else { t.muted() };
            spans.push(Span::styled(format!("{ch:<width$}", width = COL as usize), style));
        }
        lines.push(Line::from(spans));
    }
    for row in r0..r1 {
        let style = if row == v.row { t.title(true) } else { t.text() };
        let mut spans = vec![Span::styled(format!("{:<label_w$} ", fit(&m.source_labels[row], label_w)), style)];
        for c in c0..c1 {
            let ok = m.delivered(p, row, c);
            let (mark, mut st) = match ok {
                true => ("●", Style::new().fg(t.ok)),
                false if m.cell(p, row, c).is_not_applicable() => ("·", t.muted()),
                false => ("✕", Style::new().fg(t.error)),
            };
            if row == v.row && c == v.col {
                st = t.selection().add_modifier(Modifier::BOLD);
            }
            spans.push(Span::styled(format!("{mark:<width$}", width = COL as usize), st));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), grid);

    // The cell under the cursor: who, and what decided it.
    let mut info = Vec::new();
    if let Some((from, to, cell)) = v.current().filter(|(_, _, c)| c.is_not_applicable()) {
        let subnet = cell.at.as_ref().map(|a| a.label()).unwrap_or_default();
        info.push(Line::from(Span::styled(format!("{from} → {to} {port}"), t.title(true))));
        info.push(Line::from(Span::styled(
            crate::l10n::uif(
                s.app.lang(),
                "  not applicable: {subnet} has no IPv6 block, so no IPv6 flow",
                &[("subnet", &subnet)],
            ),
            t.muted(),
        )));
    } else if let Some((from, to, cell)) = v.current() {
        info.push(Line::from(vec![
            Span::styled(format!("{from} → {to} {port}: ", from = from, to = to, port = port), t.title(true)),
            Span::styled(
                crate::l10n::ui(s.app.lang(), if cell.delivered() { "delivered" } else { "dropped" }),
                Style::new().fg(if cell.delivered() { t.ok } else { t.error }).add_modifier(Modifier::BOLD),
            ),
        ]));
        let why = match (&cell.code, &cell.at) {
            (Some(code), Some(at)) => {
                crate::l10n::uif(s.app.lang(), "{code} at {at}", &[("code", &code), ("at", &at.label())])
            }
            (Some(code), None) => code.to_string(),
            _ => crate::l10n::ui(s.app.lang(), "every hop allowed it, and the reply gets back"),
        };
        info.push(Line::from(Span::styled(format!("  {why}"), t.text())));
        info.push(Line::from(Span::styled(
            crate::l10n::ui(s.app.lang(), "  Enter plays this flow's trace"),
            t.muted(),
        )));
    }
    frame.render_widget(Paragraph::new(info), detail);
    hits
}

fn severity_style(t: &Theme, rank: u8) -> Style {
    match rank {
        0 => Style::new().fg(t.error).add_modifier(Modifier::BOLD),
        1 => Style::new().fg(t.warning),
        2 => Style::new().fg(t.info),
        _ => t.muted(),
    }
}

/// An audit list entry's severity, in the app's language (a check finding's or an audit's).
fn severity_word(app: &App, e: &crate::app::reach::lists::Entry) -> String {
    let family = if e.source == "check" { "severity-" } else { "audit-severity-" };
    crate::l10n::tr(app.lang(), &format!("{family}{}", e.severity))
}

/// Where an audit list entry comes from (`vpcraft check` or `vpcraft audit`), in the app's language.
fn source_word(app: &App, e: &crate::app::reach::lists::Entry) -> String {
    let id = if e.source == "check" { "audit-source-check" } else { "audit-source-audit" };
    crate::l10n::tr(app.lang(), id)
}

/// `text` padded with blanks to `w` display columns (a Korean syllable takes two).
fn pad(text: &str, w: usize) -> String {
    format!("{text}{}", " ".repeat(w.saturating_sub(text.width())))
}

fn audit(frame: &mut Frame, r: Rect, s: &Ctx, a: &AuditList) {
    let (t, app) = (s.t, s.app);
    let hints = [("↑↓", "move"), ("Enter", "go to the resource"), ("Esc", "close")];
    let title = match a.running() {
        Some(d) => crate::l10n::uif(
            app.lang(),
            "Findings: {n} so far, {spin} auditing… {secs} s",
            &[("n", &a.entries.len()), ("spin", &spinner(d)), ("secs", &format!("{:.1}", d.as_secs_f64()))],
        ),
        None => {
            let check = a.entries.iter().filter(|e| e.source == "check").count();
            let audit = a.entries.len() - check;
            crate::l10n::uif(
                app.lang(),
                "Findings: check {check} · audit {audit}",
                &[("check", &check), ("audit", &audit)],
            )
        }
    };
    let block = frame_block(s, title, &hints);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [list_area, detail] = Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(inner);
    if a.entries.is_empty() {
        let text = crate::l10n::ui(
            app.lang(),
            if a.running().is_some() { "no check findings; the audit is running" } else { "no findings" },
        );
        frame.render_widget(Paragraph::new(Span::styled(text, Style::new().fg(t.ok))), list_area);
        return;
    }
    let width = list_area.width as usize;
    let items: Vec<ListItem> = a
        .entries
        .iter()
        .map(|e| {
            let head = format!(
                "{} {} {:<28} ",
                pad(&severity_word(app, e), 7),
                pad(&source_word(app, e), 5),
                fit(&e.code, 28)
            );
            let rest = fit(&e.message_in(app.lang()), width.saturating_sub(head.width() + 2));
            ListItem::new(Line::from(vec![Span::styled(head, severity_style(t, e.rank)), Span::raw(rest)]))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(a.selected));
    frame.render_stateful_widget(
        List::new(items).highlight_style(t.selection()).highlight_symbol("▶ "),
        list_area,
        &mut state,
    );
    if let Some(e) = a.current() {
        let mut lines: Vec<Line> =
            wrap_text(&e.message_in(app.lang()), detail.width as usize).into_iter().take(2).map(Line::from).collect();
        if let Some(fix) = e.fix_in(app.lang()) {
            let fix = crate::l10n::uif(app.lang(), "fix: {fix}", &[("fix", &fix)]);
            lines.push(Line::from(Span::styled(fit(&fix, detail.width as usize), t.muted())));
        }
        if let Some(id) = &e.resource {
            let name = app.design.find(id).map_or_else(|| id.clone(), |x| x.display_name());
            lines.push(Line::from(Span::styled(
                crate::l10n::uif(s.app.lang(), "Enter: go to {name}", &[("name", &name)]),
                t.muted(),
            )));
        }
        frame.render_widget(Paragraph::new(lines), detail);
    }
}

fn flows(frame: &mut Frame, r: Rect, s: &Ctx, l: &FlowList) {
    let (t, app) = (s.t, s.app);
    let hints = [("↑↓", "move"), ("Enter", "play the trace"), ("Esc", "close")];
    let Some(report) = &app.reach.whatif.last else { return };
    let lang = app.lang();
    let title = crate::l10n::uif(
        lang,
        "What the last edit changed: {summary} (rev {from} → {to}, {ms} ms)",
        &[
            ("summary", &report.summary_in(lang).unwrap_or_else(|| crate::l10n::ui(lang, "no flow opened or closed"))),
            ("from", &report.from_rev),
            ("to", &report.to_rev),
            ("ms", &report.elapsed.as_millis()),
        ],
    );
    let block = frame_block(s, title, &hints);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let items: Vec<ListItem> = report
        .flows()
        .map(|(opened, f)| {
            let (word, colour) = if opened { ("opened", t.warning) } else { ("closed", t.error) };
            let word = crate::l10n::ui(lang, word);
            let port = f.port.map(|p| format!("/{p}")).unwrap_or_default();
            // An IPv6 flow is marked as `vpcraft diff` marks it.
            let family = if f.family == crate::sim::reach::Family::Ipv6 { " (IPv6)" } else { "" };
            let who = format!(
                "{} → {} {}{port}{family}",
                party_label(&app.design, &f.source),
                party_label(&app.design, &f.destination),
                f.protocol
            );
            let was = f.before.as_ref().map_or_else(|| "no such pair".to_string(), |c| c.text());
            let now = f.after.as_ref().map_or_else(|| "no such pair".to_string(), |c| c.text());
            ListItem::new(Line::from(vec![
                Span::styled(format!("{word:<7}"), Style::new().fg(colour).add_modifier(Modifier::BOLD)),
                Span::raw(format!("{who}  ")),
                Span::styled(
                    crate::l10n::uif(s.app.lang(), "now {now}; was {was}", &[("now", &now), ("was", &was)]),
                    t.muted(),
                ),
            ]))
        })
        .collect();
    if items.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                crate::l10n::ui(s.app.lang(), "the edit opened and closed no flow"),
                t.muted(),
            )),
            inner,
        );
        return;
    }
    let mut state = ListState::default().with_selected(Some(l.selected));
    frame.render_stateful_widget(
        List::new(items).highlight_style(t.selection()).highlight_symbol("▶ "),
        inner,
        &mut state,
    );
}
