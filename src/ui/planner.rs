//! The subnet CIDR planner pane: a map of the VPC's address space (each block drawn in
//! proportion to its size, subnets coloured by AZ or tier, free space dimmed), the selected
//! block's range, usable count (2^(32−n) − 5) and five reserved addresses (A6), and a table of
//! every block. State and keys live in `app::planner`.

use super::pane_block;
use super::Screen;
use crate::app::planner::{self, Block, Colouring};
use crate::app::{Pane, RowHit};
use crate::l10n::{ui, uif};
use crate::model::{Design, Vpc};
use crate::net;
use ipnet::Ipv4Net;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

fn size(c: Ipv4Net) -> u64 {
    1u64 << (32 - u32::from(c.prefix_len()))
}

fn start(c: Ipv4Net) -> u64 {
    u64::from(u32::from(c.network()))
}

/// The colour of each used block: by AZ (in zone order) or by tier (R9).
fn colours(app: &Screen, vpc: &Vpc, blocks: &[Block]) -> Vec<(String, Color)> {
    let t = &app.theme;
    match app.planner.colouring {
        Colouring::Tier => vec![("public".into(), t.ok), ("private".into(), t.info), ("vpn-only".into(), t.warning)],
        Colouring::Az => {
            let palette = [t.subnet, t.info, t.region, t.warning, t.vpc, t.error, t.accent, t.ok];
            let mut azs: Vec<String> = blocks
                .iter()
                .filter_map(|b| b.subnet())
                .filter_map(|id| app.design.subnet(id).map(|s| s.az.clone()))
                .collect();
            azs.sort();
            azs.dedup();
            let _ = vpc;
            azs.into_iter().enumerate().map(|(i, a)| (a, palette[i % palette.len()])).collect()
        }
    }
}

fn key_of(d: &Design, app: &Screen, b: &Block) -> Option<String> {
    let id = b.subnet()?;
    match app.planner.colouring {
        Colouring::Az => d.subnet(id).map(|s| s.az.clone()),
        Colouring::Tier => Some(planner::tier(d, id).to_string()),
    }
}

/// Draw the planner pane; returns its table's clickable rows.
pub fn render(frame: &mut Frame, area: Rect, app: &Screen, focused: bool) -> Vec<(Rect, RowHit)> {
    if app.planner.ipv6 {
        super::planner6::render(frame, area, app, focused);
        return Vec::new();
    }
    let t = &app.theme;
    let Some((vpc, blocks, cur, err)) = planner::view(app) else {
        let block = pane_block(app, Pane::Planner, "", focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(
            Paragraph::new(ui(app.lang(), "No VPC yet: add one in the tree (a)."))
                .style(t.muted())
                .wrap(Wrap { trim: true }),
            inner,
        );
        return Vec::new();
    };
    let pinned = if app.planner.vpc.is_some() { format!(" · {}", ui(app.lang(), "pinned")) } else { String::new() };
    let block = pane_block(app, Pane::Planner, &format!("{}{pinned}", vpc.name), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return Vec::new();
    }
    let cidrs: Vec<Ipv4Net> = vpc.cidrs().collect();
    let total: u64 = cidrs.iter().map(|c| size(*c)).sum();
    let used: u64 = blocks.iter().filter(|b| !b.is_free()).map(|b| size(b.cidr)).sum();
    let nsub = blocks.iter().filter(|b| !b.is_free()).count();
    let colours = colours(app, vpc, &blocks);
    let colour_of = |b: &Block| -> Color {
        key_of(&app.design, app, b).and_then(|k| colours.iter().find(|(n, _)| *n == k).map(|(_, c)| *c)).unwrap_or(t.fg)
    };

    // Rows: header, map, legend, detail (2), table. Small panes drop the map first.
    let h = inner.height;
    let map_rows_per = if h >= 24 {
        4
    } else if h >= 16 {
        2
    } else if h >= 10 {
        1
    } else {
        0
    };
    let map_h = (map_rows_per * cidrs.len() as u16).min(h / 3);
    let legend_h = u16::from(map_h > 0);
    let detail_h = if h >= 12 {
        3
    } else if h >= 8 {
        2
    } else {
        u16::from(h >= 4)
    };
    let [head, map_area, legend_area, detail_area, table_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(map_h),
        Constraint::Length(legend_h),
        Constraint::Length(detail_h),
        Constraint::Min(0),
    ])
    .areas(inner);

    let cidr_text: Vec<String> = cidrs.iter().map(|c| c.to_string()).collect();
    let mut head_spans = vec![
        Span::styled(cidr_text.join(", "), Style::new().fg(t.vpc)),
        Span::styled(
            uif(
                app.lang(),
                " · {nsub} subnets · {used}/{total} used · {free} free",
                &[("nsub", &nsub), ("used", &used), ("total", &total), ("free", &total.saturating_sub(used))],
            ),
            t.muted(),
        ),
    ];
    // IPv6-only subnets have no IPv4 block to draw here: say they exist and where they are,
    // where the line has room for it.
    let v6_only = app.design.vpc_subnets(&vpc.id).filter(|s| s.cidr.is_none()).count();
    if v6_only > 0 {
        let more = uif(app.lang(), " · {n} IPv6-only (6 shows them)", &[("n", &v6_only)]);
        let used_w: usize = head_spans.iter().map(Span::width).sum();
        if used_w + unicode_width::UnicodeWidthStr::width(more.as_str()) <= usize::from(head.width) {
            head_spans.push(Span::styled(more, t.muted()));
        }
    }
    if let Some(e) = err {
        head_spans.push(Span::styled(format!(" · {e}"), t.error()));
    }
    frame.render_widget(Paragraph::new(Line::from(head_spans)), head);

    // The map: a grid per VPC CIDR, each cell a slice of addresses, in address order.
    if map_h > 0 {
        let per = (map_h / cidrs.len().max(1) as u16).max(1);
        let sel = blocks.get(cur);
        for (k, c) in cidrs.iter().enumerate() {
            let y = map_area.y + k as u16 * per;
            if y >= map_area.y + map_area.height {
                break;
            }
            let rows = per.min(map_area.y + map_area.height - y);
            let r = Rect { x: map_area.x, y, width: map_area.width, height: rows };
            draw_grid(frame, r, app, *c, &blocks, sel, &colour_of);
        }
        let mut legend: Vec<Span> = Vec::new();
        for (name, colour) in &colours {
            legend.push(Span::styled("█", Style::new().fg(*colour)));
            legend.push(Span::styled(format!(" {}  ", ui(app.lang(), name)), t.muted()));
        }
        legend.push(Span::styled(format!("░ {}", ui(app.lang(), "free")), t.muted()));
        legend.push(Span::styled(crate::l10n::ui(app.lang(), "  C: AZ/tier"), t.muted()));
        frame.render_widget(Paragraph::new(Line::from(legend)), legend_area);
    }

    // The detail of the selected block (A6).
    if detail_h > 0 {
        let mut lines = blocks.get(cur).map(|b| detail(app, vpc, b)).unwrap_or_default();
        if detail_h < 3 && lines.len() == 3 {
            lines.remove(1);
        }
        frame.render_widget(Paragraph::new(lines), detail_area);
    }

    if let Some(p) = &app.planner.preview {
        preview(frame, table_area, app, p);
        Vec::new()
    } else {
        table(frame, table_area, app, &blocks, cur, &colour_of)
    }
}

fn draw_grid(
    frame: &mut Frame,
    r: Rect,
    app: &Screen,
    c: Ipv4Net,
    blocks: &[Block],
    sel: Option<&Block>,
    colour_of: &dyn Fn(&Block) -> Color,
) {
    let t = &app.theme;
    let label_w: u16 = if r.width >= 50 { 17 } else { 0 };
    if label_w > 0 {
        let lr = Rect { width: label_w, height: 1, ..r };
        frame.render_widget(Paragraph::new(Span::styled(c.to_string(), Style::new().fg(t.vpc))), lr);
    }
    let gx = r.x + label_w;
    let w = u64::from(r.width.saturating_sub(label_w));
    let rows = u64::from(r.height);
    let cells = w * rows;
    if cells == 0 {
        return;
    }
    let base = start(c);
    let total = size(c);
    // The cells a block covers (at least one, so a tiny block can still be seen).
    let span = |b: &Block| -> (u64, u64) {
        let s = start(b.cidr).saturating_sub(base);
        let e = s + size(b.cidr);
        let first = s * cells / total;
        let last = (e * cells).div_ceil(total).max(first + 1);
        (first, last.min(cells))
    };
    let sel_span = sel.filter(|b| c.contains(&b.cidr.network())).map(span);
    let buf = frame.buffer_mut();
    let mut bi = blocks.partition_point(|b| start(b.cidr) < base);
    for i in 0..cells {
        let addr = base + i * total / cells;
        while bi + 1 < blocks.len() && start(blocks[bi + 1].cidr) <= addr {
            bi += 1;
        }
        let (sym, mut style) = match blocks.get(bi) {
            Some(b) if start(b.cidr) <= addr && addr < start(b.cidr) + size(b.cidr) && !b.is_free() => {
                (if bi % 2 == 0 { "█" } else { "▓" }, Style::new().fg(colour_of(b)))
            }
            _ => ("░", t.muted()),
        };
        if sel_span.is_some_and(|(a, b)| i >= a && i < b) {
            style = style.bg(t.selection_bg).add_modifier(Modifier::BOLD);
        }
        let x = gx + (i % w) as u16;
        let y = r.y + (i / w) as u16;
        if let Some(cell) = buf.cell_mut((x, y)) {
            cell.set_symbol(sym).set_style(style);
        }
    }
}

fn detail(app: &Screen, vpc: &Vpc, b: &Block) -> Vec<Line<'static>> {
    let t = &app.theme;
    let c = b.cidr;
    let what = match b.subnet().and_then(|id| app.design.subnet(id)) {
        Some(s) => format!("{} · {} · {}", s.name, s.az, ui(app.lang(), planner::tier(&app.design, &s.id))),
        None => ui(app.lang(), "free"),
    };
    let first = Line::from(vec![
        Span::styled(format!("{c} "), Style::new().fg(t.accent).add_modifier(Modifier::BOLD)),
        Span::raw(what),
    ]);
    let range = Line::from(vec![
        Span::raw(format!("{} – {} · ", c.network(), c.broadcast())),
        Span::raw(if (16..=28).contains(&c.prefix_len()) {
            uif(
                app.lang(),
                "{n} usable (2^{bits} − 5, A6)",
                &[("n", &net::usable_count(c.prefix_len())), ("bits", &(32 - c.prefix_len()))],
            )
        } else {
            uif(app.lang(), "{n} addresses: not a subnet size (/16–/28, A5)", &[("n", &size(c))])
        }),
    ]);
    let second = match (net::reserved_addresses(c), vpc.cidrs().next()) {
        (Ok(res), primary) => {
            let short = |r: &net::ReservedAddress| match r.role {
                net::ReservedRole::Network => "network",
                net::ReservedRole::VpcRouter => "router",
                net::ReservedRole::Dns => "DNS",
                net::ReservedRole::FutureUse => "future",
                net::ReservedRole::Broadcast => "last",
            };
            let mut parts: Vec<String> =
                res.iter().map(|r| format!("{} {}", r.addr, ui(app.lang(), short(r)))).collect();
            if let Some(dns) = primary.and_then(net::dns_server) {
                parts.push(format!("VPC DNS {dns}"));
            }
            Line::from(vec![
                Span::styled(crate::l10n::ui(app.lang(), "reserved "), t.muted()),
                Span::raw(parts.join(" · ")),
            ])
        }
        (Err(_), _) => {
            Line::styled(crate::l10n::ui(app.lang(), "no reserved addresses: too small for a subnet"), t.muted())
        }
    };
    vec![first, range, second]
}

fn table(
    frame: &mut Frame,
    area: Rect,
    app: &Screen,
    blocks: &[Block],
    cur: usize,
    colour_of: &dyn Fn(&Block) -> Color,
) -> Vec<(Rect, RowHit)> {
    let t = &app.theme;
    let lang = app.lang();
    if area.height < 2 {
        return Vec::new();
    }
    let visible = usize::from(area.height - 1);
    let offset = (cur + 1).saturating_sub(visible);
    let hits = super::table_rows(area, offset, visible, blocks.len(), RowHit::Planner);
    let d = &app.design;
    // Columns by width: everything on a wide pane, the essentials on a narrow one.
    let wide = area.width >= 110;
    let keep: &[usize] = if wide {
        &[0, 1, 2, 3, 4, 5, 6, 7]
    } else if area.width >= 60 {
        &[0, 1, 2, 3, 5, 6, 7]
    } else if area.width >= 36 {
        &[0, 1, 2, 5]
    } else {
        &[0, 2]
    };
    let cidr_w = blocks.iter().map(|b| b.cidr.to_string().len()).max().unwrap_or(0).max(15);
    let cidr_w = u16::try_from(cidr_w).unwrap_or(u16::MAX);
    let rows: Vec<Row> = blocks
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, b)| {
            let range = format!("{}–{}", b.cidr.network(), b.cidr.broadcast());
            let usable = if (16..=28).contains(&b.cidr.prefix_len()) {
                net::usable_count(b.cidr.prefix_len()).to_string()
            } else {
                "–".into()
            };
            let cells = match b.subnet().and_then(|id| d.subnet(id)) {
                Some(s) => {
                    let rt = d.subnet_route_table(&s.id).map(|r| r.name.clone()).unwrap_or_else(|| ui(lang, "none"));
                    let rt = if d.subnet_has_explicit_route_table(&s.id) {
                        rt
                    } else {
                        uif(lang, "{rt} (main)", &[("rt", &rt)])
                    };
                    vec![
                        Cell::from(Span::styled("■", Style::new().fg(colour_of(b)))),
                        Cell::from(s.name.clone()),
                        Cell::from(b.cidr.to_string()),
                        Cell::from(if wide { s.az.clone() } else { short_az(&s.az).to_string() }),
                        Cell::from(range),
                        Cell::from(usable),
                        Cell::from(rt),
                        Cell::from(ui(lang, planner::tier(d, &s.id))),
                    ]
                }
                None => vec![
                    Cell::from(Span::styled("░", t.muted())),
                    Cell::from(Span::styled(format!("({})", ui(lang, "free")), t.muted())),
                    Cell::from(Span::styled(b.cidr.to_string(), t.muted())),
                    Cell::from(""),
                    Cell::from(Span::styled(range, t.muted())),
                    Cell::from(Span::styled(usable, t.muted())),
                    Cell::from(""),
                    Cell::from(""),
                ],
            };
            let cells: Vec<Cell> =
                cells.into_iter().enumerate().filter(|(k, _)| keep.contains(k)).map(|(_, c)| c).collect();
            let row = Row::new(cells);
            if i == cur {
                row.style(t.selection())
            } else {
                row
            }
        })
        .collect();
    let names = ["", "Subnet", "CIDR", "AZ", "Range", "Usable", "Route table", "Tier"];
    let heads: Vec<String> = keep.iter().map(|k| ui(lang, names[*k])).collect();
    // Each column is at least as wide as its heading ("라우팅 테이블" is 13 columns), so no
    // heading is cut; when that and the longest subnet name need more room than the pane has,
    // the CIDR column gives back what it keeps beyond its widest CIDR.
    let widest_cidr = u16::try_from(blocks.iter().map(|b| b.cidr.to_string().len()).max().unwrap_or(0)).unwrap_or(0);
    let base: [(bool, u16); 8] = [
        (false, 1),
        (true, 9),
        (false, cidr_w),
        (false, if wide { 15 } else { 3 }),
        (false, 27),
        (false, 6),
        (true, 8),
        (false, 8),
    ];
    let mut cols: Vec<(bool, u16)> = keep
        .iter()
        .zip(&heads)
        .map(|(k, h)| {
            let (flex, n) = base[*k];
            (flex, n.max(u16::try_from(UnicodeWidthStr::width(h.as_str())).unwrap_or(u16::MAX)))
        })
        .collect();
    let longest_name = blocks
        .iter()
        .filter_map(|b| b.subnet().and_then(|id| d.subnet(id)))
        .map(|s| UnicodeWidthStr::width(s.name.as_str()))
        .max()
        .unwrap_or(0);
    let name_room = keep
        .iter()
        .position(|k| *k == 1)
        .map_or(0, |c| u16::try_from(longest_name).unwrap_or(u16::MAX).saturating_sub(cols[c].1));
    let need: u16 =
        cols.iter().map(|(_, n)| n).sum::<u16>() + u16::try_from(cols.len().saturating_sub(1)).unwrap_or(0) + name_room;
    if let (Some(over), Some(c)) = (need.checked_sub(area.width).filter(|o| *o > 0), keep.iter().position(|k| *k == 2))
    {
        cols[c].1 = cols[c].1.saturating_sub(over).max(widest_cidr);
    }
    let widths: Vec<Constraint> =
        cols.iter().map(|(flex, n)| if *flex { Constraint::Min(*n) } else { Constraint::Length(*n) }).collect();
    let header = Row::new(heads).style(t.muted().add_modifier(Modifier::UNDERLINED));
    frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), area);
    hits
}

/// A layout's preview in place of the table (both views draw it): what Enter creates besides
/// the subnets, then each subnet with its IPv4 block (range and usable count when the layout
/// is IPv4-only), its /64 and slot number (A7), and its table.
pub(super) fn preview(frame: &mut Frame, area: Rect, app: &Screen, p: &planner::LayoutPreview) {
    let t = &app.theme;
    if area.height == 0 {
        return;
    }
    let mut lines = vec![Line::from(vec![
        Span::styled(
            crate::l10n::uif(app.lang(), "Layout preview: {rows} subnets ", &[("rows", &p.len())]),
            t.warning().add_modifier(Modifier::BOLD),
        ),
        Span::styled(crate::l10n::ui(app.lang(), "Enter applies them as one change · Esc discards"), t.muted()),
    ])];
    // What Enter creates besides the subnets, one per line so a narrow pane shows each (an
    // IPv6 line wrapped rather than cut).
    let width = usize::from(area.width);
    let lang = app.lang();
    let mut notes: Vec<(String, Style)> =
        p.creates(lang).into_iter().map(|c| (format!("+ {c}"), t.warning())).collect();
    if let Some(planner::Ipv6BlockPlan::Placeholder(c)) = p.ipv6_block {
        let note = uif(
            lang,
            "/64s from {c}: a documentation-range stand-in for the Amazon-provided /56 AWS assigns (A7)",
            &[("c", &c)],
        );
        notes.push((note, t.muted()));
    }
    for (text, style) in notes {
        for (k, l) in super::wrap_text(&text, width.saturating_sub(4)).into_iter().enumerate() {
            lines.push(Line::styled(format!("{}{l}", if k == 0 { "  " } else { "    " }), style));
        }
    }
    // ipnet's Display ignores a width, so the blocks are padded as text.
    let cidr_w = p.rows.iter().map(|r| r.cidr.to_string().len()).max().unwrap_or(0);
    let v6_w = p.rows6.iter().map(|r| r.cidr.to_string().len()).max().unwrap_or(0);
    let subnets = p.subnets();
    let name_of = |tier: &str, az: &str| format!("{}-{}", ui(lang, tier), short_az(az));
    let name_w = subnets.iter().map(|(tier, az, _, _)| name_of(tier, az).chars().count()).max().unwrap_or(0);
    let rows: Vec<[String; 2]> = subnets
        .iter()
        .map(|(tier, az, v4, v6)| {
            let table = p.table_of(tier).map(|x| format!("  → {}", x.name())).unwrap_or_default();
            let slot = |r: &crate::net::Ipv6LayoutRow| {
                // The slot as `cidrsubnet` and the IPv6 view's detail number it (decimal).
                let n = uif(lang, "slot {n}", &[("n", &r.index)]);
                format!("{:<v6_w$} {n:<8}", r.cidr.to_string())
            };
            let usable = |r: &crate::net::LayoutRow| uif(lang, "{n} usable", &[("n", &r.usable)]);
            let head = format!("  {} {az:<16}", super::pad_to(&ui(lang, tier), 10));
            // The short form for a narrow pane: `public-2a`, the blocks, `#slot`, the table.
            let short = format!("  {}", super::pad_to(&name_of(tier, az), name_w));
            let short_table = p.table_of(tier).map(|x| format!(" → {}", x.name())).unwrap_or_default();
            let short_slot = |r: &crate::net::Ipv6LayoutRow| format!("{:<v6_w$} #{:<3}", r.cidr.to_string(), r.index);
            match (v4, v6) {
                (Some(r), None) => [
                    format!("{head} {:<cidr_w$} {}–{}  {}{table}", r.cidr.to_string(), r.range.0, r.range.1, usable(r)),
                    format!("{short} {:<cidr_w$} {}{table}", r.cidr.to_string(), usable(r)),
                ],
                (Some(r), Some(r6)) => [
                    format!("{head} {:<cidr_w$} {:<11} {}{table}", r.cidr.to_string(), usable(r), slot(r6)),
                    format!("{short} {:<cidr_w$} {}{short_table}", r.cidr.to_string(), short_slot(r6)),
                ],
                (None, Some(r6)) => {
                    [format!("{head} {}{table}", slot(r6)), format!("{short} {}{short_table}", short_slot(r6))]
                }
                (None, None) => [String::new(), String::new()],
            }
        })
        .collect();
    let fits = rows.iter().all(|[wide, _]| unicode_width::UnicodeWidthStr::width(wide.as_str()) <= width);
    lines.extend(rows.into_iter().map(|[wide, short]| Line::raw(if fits { wide } else { short })));
    frame.render_widget(Paragraph::new(lines), area);
}

/// `ap-northeast-2a` → `2a`.
fn short_az(az: &str) -> &str {
    az.rsplit('-').next().unwrap_or(az)
}
