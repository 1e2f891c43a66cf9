//! The planner's IPv6 view: each IPv6 block of the VPC as a grid of its slots (a /56 as
//! 16 × 16 /64s, numbered in hex as `cidrsubnet` numbers them), subnets coloured by AZ, free
//! slots dimmed; the selected slot's /64, its subnet and the five addresses AWS reserves in it
//! (A7); and the table of the /64s in use. State and keys live in `app::planner::v6`.

use super::pane_block;
use super::Screen;
use crate::app::planner::v6::{self, Slot};
use crate::app::Pane;
use crate::net::{self, SlotState};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// Draw the IPv6 view of the planner pane.
pub fn render(frame: &mut Frame, area: Rect, app: &Screen, focused: bool) {
    let t = &app.theme;
    let Some((vpc, slots, cur)) = v6::view(app) else {
        let block = pane_block(app, Pane::Planner, "IPv6", focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new("No VPC yet: add one in the tree (a).").style(t.muted()), inner);
        return;
    };
    let block = pane_block(app, Pane::Planner, &format!("{} · IPv6", vpc.name), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let slots = match slots {
        Ok(s) => s,
        Err(e) => {
            let lines = vec![
                Line::styled(e.render(app.lang()), t.warning()),
                Line::styled(crate::l10n::ui(app.lang(), "6: back to the IPv4 view"), t.muted()),
            ];
            // A layout that adds the VPC's IPv6 block is previewed here too.
            let Some(p) = &app.planner.preview else {
                frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
                return;
            };
            let [top, rest] = Layout::vertical([Constraint::Length(4), Constraint::Min(0)]).areas(inner);
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), top);
            super::planner::preview(frame, rest, app, p);
            return;
        }
    };
    let d = &app.design;
    // Colours by AZ, in zone order.
    let palette = [t.subnet, t.info, t.region, t.warning, t.vpc, t.error, t.accent, t.ok];
    let mut azs: Vec<&str> = d.vpc_subnets(&vpc.id).filter(|s| s.ipv6_cidr.is_some()).map(|s| s.az.as_str()).collect();
    azs.sort_unstable();
    azs.dedup();
    let colour = |s: &Slot| -> Color {
        s.subnet
            .as_deref()
            .and_then(|id| d.subnet(id))
            .and_then(|x| azs.iter().position(|a| *a == x.az))
            .map_or(t.fg, |i| palette[i % palette.len()])
    };
    let blocks: Vec<_> = vpc.ipv6_cidrs().collect();
    let used = slots.iter().filter(|s| s.state != SlotState::Free).count();
    let head = Line::from(vec![
        Span::styled(blocks.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(", "), Style::new().fg(t.vpc)),
        Span::styled(
            crate::l10n::uif(
                app.lang(),
                " · {used} of {n} slots used · {free} free",
                &[("used", &used), ("n", &slots.len()), ("free", &(slots.len() - used))],
            ),
            t.muted(),
        ),
    ]);
    // Rows: header, one grid per block (16 rows of 16 and a title), legend, detail, table.
    let grid_rows = (slots.len().div_ceil(16) + blocks.len()) as u16;
    let h = inner.height;
    // The detail's lines, wrapped when a real block's addresses make one wider than the pane
    // (the reserved list of a 2600:… /64 is 140 columns).
    let detail_lines = slots.get(cur).map(|s| detail(app, s)).unwrap_or_default();
    let detail_h =
        detail_lines.iter().map(|l| l.width().div_ceil(usize::from(inner.width).max(1)).max(1)).sum::<usize>();
    let detail_h = u16::try_from(detail_h).unwrap_or(3).clamp(3, 5);
    let grid_h = grid_rows.min(h.saturating_sub(2 + detail_h));
    let [head_area, grid_area, legend_area, detail_area, table_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(grid_h),
        Constraint::Length(1),
        Constraint::Length(detail_h),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), head_area);
    grid(frame, grid_area, app, &slots, cur, &colour);
    let mut legend: Vec<Span> = Vec::new();
    for (i, a) in azs.iter().enumerate() {
        legend.push(Span::styled("██", Style::new().fg(palette[i % palette.len()])));
        legend.push(Span::styled(format!(" {a}  "), t.muted()));
    }
    legend.push(Span::styled("·· free  n: new subnet in a free /64 · 6: IPv4", t.muted()));
    frame.render_widget(Paragraph::new(Line::from(legend)), legend_area);
    frame.render_widget(Paragraph::new(detail_lines).wrap(Wrap { trim: false }), detail_area);
    match &app.planner.preview {
        Some(p) => super::planner::preview(frame, table_area, app, p),
        None => table(frame, table_area, app, &slots, &colour),
    }
}

/// The grids: per block a title row, then rows of 16 slots, each `xx ` (its number in hex).
/// Rows scroll so the selected slot stays in view.
fn grid(frame: &mut Frame, area: Rect, app: &Screen, slots: &[Slot], cur: usize, colour: &dyn Fn(&Slot) -> Color) {
    let t = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    let mut cur_line = 0;
    let mut i = 0;
    while i < slots.len() {
        let b = slots[i].block;
        let n = slots[i..].iter().take_while(|s| s.block == b).count();
        let cell_prefix = slots[i].cidr.prefix_len();
        lines.push(Line::styled(format!("{b}: {n} × /{cell_prefix}"), Style::new().fg(t.vpc)));
        for row in slots[i..i + n].chunks(16) {
            // The row's slots share their first hex digit: `1x` holds 10 … 1f.
            let mut spans = vec![Span::styled(format!("{:>3} ", format!("{:x}x", row[0].index / 16)), t.muted())];
            for s in row {
                let text = format!("{:02x}", s.index % 256);
                // The /64s a previewed layout will take (A7), before Enter makes them.
                let planned = app.planner.preview.as_ref().is_some_and(|p| p.rows6.iter().any(|r| r.cidr == s.cidr));
                let mut style = match s.state {
                    SlotState::Free if planned => t.warning().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                    SlotState::Free => t.muted(),
                    SlotState::Used => Style::new().fg(Color::Black).bg(colour(s)),
                    SlotState::Partial => Style::new().fg(colour(s)).add_modifier(Modifier::UNDERLINED),
                };
                if i + s.index == cur {
                    cur_line = lines.len();
                    style = style.bg(t.selection_bg).fg(t.accent).add_modifier(Modifier::BOLD | Modifier::REVERSED);
                }
                spans.push(Span::styled(text, style));
                spans.push(Span::raw(" "));
            }
            lines.push(Line::from(spans));
        }
        i += n;
    }
    let h = usize::from(area.height);
    let offset = (cur_line + 1).saturating_sub(h);
    let shown: Vec<Line> = lines.into_iter().skip(offset).take(h).collect();
    frame.render_widget(Paragraph::new(shown), area);
}

/// The selected slot: its block, number, holder, and the addresses AWS reserves (A7).
fn detail(app: &Screen, s: &Slot) -> Vec<Line<'static>> {
    let t = &app.theme;
    let d = &app.design;
    let what = match s.subnet.as_deref().and_then(|id| d.subnet(id)) {
        Some(x) => {
            let kind = if x.is_ipv6_only() { "IPv6-only" } else { "dual-stack" };
            format!("{} ({}) · {} · {kind}", x.name, x.id, x.az)
        }
        None if s.state == SlotState::Free => "free · n: new subnet here".to_string(),
        None => "partly used".to_string(),
    };
    let bits = s.cidr.prefix_len() - s.block.prefix_len();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} ", s.cidr), Style::new().fg(t.accent).add_modifier(Modifier::BOLD)),
            Span::raw(what),
        ]),
        Line::styled(
            format!("slot {} of {} · cidrsubnet({}, {bits}, {})", s.index, s.block, s.block, s.index),
            t.muted(),
        ),
    ];
    if s.cidr.prefix_len() == net::ipv6::SUBNET_PREFIX {
        let short = |r: net::Ipv6ReservedRole| match r {
            net::Ipv6ReservedRole::Network => "network",
            net::Ipv6ReservedRole::VpcRouter => "router",
            net::Ipv6ReservedRole::Dns => "DNS",
            net::Ipv6ReservedRole::FutureUse => "future",
            net::Ipv6ReservedRole::Last => "last",
        };
        let parts: Vec<String> =
            net::ipv6_reserved_addresses(s.cidr).iter().map(|(a, r)| format!("{a} {}", short(*r))).collect();
        lines.push(Line::from(vec![Span::styled("reserved (A7) ", t.muted()), Span::raw(parts.join(" · "))]));
    }
    lines
}

/// The /64s in use: slot, block, subnet, zone, kind.
fn table(frame: &mut Frame, area: Rect, app: &Screen, slots: &[Slot], colour: &dyn Fn(&Slot) -> Color) {
    let t = &app.theme;
    if area.height < 2 {
        return;
    }
    let d = &app.design;
    let shown: Vec<_> = slots
        .iter()
        .filter_map(|s| Some((s, s.subnet.as_deref().and_then(|id| d.subnet(id))?)))
        .take(usize::from(area.height) - 1)
        .collect();
    // As wide as the widest /64 shown (a real Amazon block's is 24 columns, up to 43), and a
    // space before the name.
    let w = shown.iter().filter_map(|(_, x)| x.ipv6_cidr).map(|c| c.to_string().len()).max().unwrap_or(0).max(21) + 1;
    let mut lines =
        vec![Line::styled(format!("Slot  {:<w$}Subnet", "IPv6 block"), t.muted().add_modifier(Modifier::UNDERLINED))];
    for (s, x) in shown {
        let kind = if x.is_ipv6_only() { "IPv6-only" } else { "dual-stack" };
        let v6 = x.ipv6_cidr.map(|c| c.to_string()).unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled("■ ", Style::new().fg(colour(s))),
            Span::raw(format!("{:<3} {v6:<w$}{} · {} · {kind}", format!("{:x}", s.index), x.name, x.az)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
