//! The route table pane: the routes of one table (static, local, endpoint-managed and
//! propagated, T6) with their targets' state, or its subnet associations (R1); and the answer to
//! "which route wins for this address" (R3, R4), highlighted. State and keys live in
//! `app::routes`.

use super::pane_block;
use super::Screen;
use crate::app::routes::{self, WhichRoute};
use crate::app::{Pane, RowHit};
use crate::l10n::{ui, uif};
use crate::model::{RouteDestination, RouteState};
use crate::sim::LostBecause;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

/// Draw the routes pane; returns its table's clickable rows.
pub fn render(frame: &mut Frame, area: Rect, app: &Screen, focused: bool) -> Vec<(Rect, RowHit)> {
    let t = &app.theme;
    let Some(rt) = routes::current_table(app) else {
        let block = pane_block(app, Pane::Routes, "", focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(
            Paragraph::new(ui(app.lang(), "No route table: select a subnet or a route table in the tree."))
                .style(t.muted())
                .wrap(Wrap { trim: true }),
            inner,
        );
        return Vec::new();
    };
    let lang = app.lang();
    let pinned = if app.routes.table.is_some() { format!(" · {}", ui(lang, "pinned")) } else { String::new() };
    let block = pane_block(app, Pane::Routes, &format!("{}{pinned}", rt.name), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return Vec::new();
    }
    let d = &app.design;
    let vpc_name = d.vpc(&rt.vpc).map_or_else(|| rt.vpc.clone(), |v| v.name.clone());
    let assoc: Vec<String> =
        rt.subnets.iter().map(|s| d.subnet(s).map_or_else(|| s.clone(), |x| x.name.clone())).collect();
    let head = Line::from(vec![
        Span::styled(rt.id.clone(), Style::new().fg(t.accent)),
        Span::styled(
            if rt.main { format!(" · {}", ui(lang, "main")) } else { String::new() },
            Style::new().fg(t.warning),
        ),
        Span::styled(
            uif(
                lang,
                " · {vpc_name} · subnets: {subnets}",
                &[
                    ("vpc_name", &vpc_name),
                    ("subnets", &if assoc.is_empty() { ui(lang, "none explicit") } else { assoc.join(", ") }),
                ],
            ),
            t.muted(),
        ),
    ]);
    let which = routes::which_for(app);
    let which_h = u16::from(which.is_some() && inner.height >= 6);
    let detail_h = u16::from(inner.height >= 5);
    let [head_area, which_area, body, detail_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(which_h),
        Constraint::Min(0),
        Constraint::Length(detail_h),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), head_area);
    if app.routes.associations {
        return associations(frame, body, detail_area, app, rt);
    }
    let routes_list = d.effective_routes(rt);
    let cur = app.routes.cursor.min(routes_list.len().saturating_sub(1));
    if let (Some(w), true) = (&which, which_h > 0) {
        let line = match w.winner.and_then(|(r, net)| routes_list.get(r).map(|x| (x, net))) {
            Some((r, net)) => Line::from(vec![
                Span::styled(format!("{} → ", w.address), Style::new().fg(t.accent)),
                Span::styled(
                    crate::l10n::uif(app.lang(), "✓ {net} via {target}", &[("net", &net), ("target", &r.target)]),
                    Style::new().fg(t.ok).add_modifier(Modifier::BOLD),
                ),
                Span::styled(
                    crate::l10n::uif(
                        app.lang(),
                        " · beat {beaten} (longest prefix, then R4) · Esc clears",
                        &[("beaten", &w.beaten.len())],
                    ),
                    t.muted(),
                ),
            ]),
            None => Line::from(Span::styled(
                crate::l10n::uif(
                    app.lang(),
                    "{address}: no route matches: dropped · Esc clears",
                    &[("address", &w.address)],
                ),
                t.error(),
            )),
        };
        frame.render_widget(Paragraph::new(line), which_area);
    }
    let mut hits = Vec::new();
    if body.height >= 2 {
        let visible = usize::from(body.height - 1);
        let offset = (cur + 1).saturating_sub(visible);
        hits = super::table_rows(body, offset, visible, routes_list.len(), RowHit::Routes);
        // Columns by width; with a "which route wins" answer, its notes replace origin and state.
        let keep: &[usize] = match (body.width >= 100, which.is_some(), body.width >= 40) {
            (true, true, _) => &[0, 1, 2, 3, 4, 5],
            (true, false, _) => &[0, 1, 2, 3, 4],
            (false, true, true) => &[0, 1, 2, 5],
            (false, false, true) => &[0, 1, 2, 3, 4],
            (false, _, false) => &[0, 1, 2],
        };
        // As wide as the widest CIDR (an IPv6 one is up to 43 columns), never narrower than 18.
        let dest_w = routes_list
            .iter()
            .filter_map(|r| match &r.destination {
                RouteDestination::Cidr(c) => Some(c.to_string().len()),
                RouteDestination::PrefixList(_) => None,
            })
            .max()
            .unwrap_or(0)
            .clamp(18, 43) as u16;
        let rows: Vec<Row> = routes_list
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(i, r)| {
                let (target, problem) = routes::target_info(d, &rt.vpc, &r.target);
                let black = problem.is_some() || r.state == RouteState::Blackhole;
                let target = match &problem {
                    // What is wrong, in the app's language (a state name stays AWS's word).
                    Some(p) => format!("{target} ✖ {}", ui(lang, p)),
                    None if black => format!("{target} ✖"),
                    None => target,
                };
                let dest = match &r.destination {
                    RouteDestination::Cidr(c) => c.to_string(),
                    RouteDestination::PrefixList(pl) => {
                        let full = uif(
                            lang,
                            "{pl} ({n} CIDRs)",
                            &[("pl", &pl), ("n", &routes::prefix_list_cidrs(d, pl).len())],
                        );
                        // Longer than the column (sized by the CIDRs): cut with an ellipsis.
                        match super::width(&full) > usize::from(dest_w) {
                            true => format!("{}…", super::truncate_width(&full, usize::from(dest_w) - 1)),
                            false => full,
                        }
                    }
                };
                let (mark, note) = which_note(lang, which.as_ref(), i);
                let state = ui(lang, if black { "blackhole" } else { "active" });
                let mut style = if black { t.error() } else { t.text() };
                if mark == "✓" {
                    style = style.fg(t.ok).add_modifier(Modifier::BOLD);
                } else if !note.is_empty() {
                    style = t.muted();
                }
                if i == cur {
                    style = style.patch(t.selection());
                }
                let cells = vec![
                    Cell::from(mark),
                    Cell::from(dest),
                    Cell::from(target),
                    Cell::from(ui(lang, &r.origin.to_string())),
                    Cell::from(state),
                    Cell::from(note),
                ];
                let cells: Vec<Cell> =
                    cells.into_iter().enumerate().filter(|(k, _)| keep.contains(k)).map(|(_, c)| c).collect();
                Row::new(cells).style(style)
            })
            .collect();
        let all = [
            Constraint::Length(1),
            Constraint::Length(dest_w),
            Constraint::Min(10),
            Constraint::Length(16),
            Constraint::Length(9),
            Constraint::Min(12),
        ];
        let names = ["", "Destination", "Target", "Origin", "State", "Which wins"];
        let widths: Vec<Constraint> = keep.iter().map(|k| all[*k]).collect();
        let header = Row::new(keep.iter().map(|k| ui(lang, names[*k])).collect::<Vec<_>>())
            .style(t.muted().add_modifier(Modifier::UNDERLINED));
        frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), body);
    }
    if detail_h > 0 {
        let line = match routes_list.get(cur) {
            Some(r) => {
                let mut s = match &r.destination {
                    RouteDestination::PrefixList(pl) => {
                        let cidrs: Vec<String> =
                            routes::prefix_list_cidrs(d, pl).iter().map(|c| c.to_string()).collect();
                        format!(
                            "{pl}: {}",
                            if cidrs.is_empty() { ui(lang, "no CIDRs known") } else { cidrs.join(", ") }
                        )
                    }
                    RouteDestination::Cidr(c) => format!("{c} → {}", routes::target_info(d, &rt.vpc, &r.target).0),
                };
                if r.is_local() {
                    s.push_str(&ui(lang, " · automatic: cannot be deleted (R2)"));
                }
                let (_, note) = which_note(lang, which.as_ref(), cur);
                if !note.is_empty() {
                    s = format!("{note} · {s}");
                }
                Line::styled(s, t.muted())
            }
            None => Line::styled(crate::l10n::ui(app.lang(), "no routes"), t.muted()),
        };
        frame.render_widget(Paragraph::new(line), detail_area);
    }
    hits
}

fn which_note(lang: crate::l10n::Lang, w: Option<&WhichRoute>, i: usize) -> (&'static str, String) {
    let Some(w) = w else { return ("", String::new()) };
    if w.winner.is_some_and(|(r, _)| r == i) {
        return ("✓", ui(lang, "wins: longest prefix"));
    }
    match w.beaten.iter().find(|(r, _, _)| *r == i) {
        Some((_, net, why)) if net.prefix_len() == 0 || *why == LostBecause::LessSpecific => {
            ("·", ui(lang, &why.to_string()))
        }
        Some((_, net, why)) => {
            ("·", uif(lang, "{why} (matched {net})", &[("why", &ui(lang, &why.to_string())), ("net", net)]))
        }
        None => ("", String::new()),
    }
}

fn associations(
    frame: &mut Frame,
    body: Rect,
    detail: Rect,
    app: &Screen,
    rt: &crate::model::RouteTable,
) -> Vec<(Rect, RowHit)> {
    let t = &app.theme;
    let lang = app.lang();
    let d = &app.design;
    let subnets: Vec<_> = d.vpc_subnets(&rt.vpc).collect();
    let cur = app.routes.assoc_cursor.min(subnets.len().saturating_sub(1));
    let wide = body.width >= 80;
    let mut hits = Vec::new();
    if body.height >= 2 {
        let visible = usize::from(body.height - 1);
        let offset = (cur + 1).saturating_sub(visible);
        hits = super::table_rows(body, offset, visible, subnets.len(), RowHit::Routes);
        let rows: Vec<Row> = subnets
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(i, s)| {
                let explicit = rt.subnets.contains(&s.id);
                let now = d.subnet_route_table(&s.id);
                let (mark, note) = if explicit {
                    ("[x]", ui(lang, "associated"))
                } else if rt.main && !d.subnet_has_explicit_route_table(&s.id) {
                    ("[ ]", ui(lang, "uses it as the main table (R1)"))
                } else {
                    ("[ ]", now.map(|n| uif(lang, "uses {name}", &[("name", &n.name)])).unwrap_or_default())
                };
                let style = if i == cur { t.selection() } else { t.text() };
                Row::new(vec![
                    Cell::from(mark),
                    Cell::from(s.name.clone()),
                    Cell::from(s.primary_cidr_text()),
                    Cell::from(if wide { s.az.as_str() } else { s.az.rsplit('-').next().unwrap_or(&s.az) }.to_string()),
                    Cell::from(note),
                ])
                .style(style)
            })
            .collect();
        // As wide as the widest block (an IPv6-only subnet's /64 is up to 43 columns).
        let cidr_w = subnets.iter().map(|s| s.primary_cidr_text().len()).max().unwrap_or(0).clamp(18, 43) as u16;
        let widths = [
            Constraint::Length(3),
            Constraint::Fill(2),
            Constraint::Length(cidr_w),
            Constraint::Length(16),
            Constraint::Fill(3),
        ];
        let header = Row::new(["", "Subnet", "CIDR", "AZ", "Now"].map(|h| ui(lang, h)))
            .style(t.muted().add_modifier(Modifier::UNDERLINED));
        frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), body);
    }
    if detail.height > 0 {
        frame.render_widget(
            Paragraph::new(Line::styled(
                ui(lang, "Space ticks/unticks · one table per subnet (R1) · p: make main · s: routes"),
                t.muted(),
            )),
            detail,
        );
    }
    hits
}
