//! The subnet CIDR planner pane. For now a useful minimal view: the selected VPC's CIDRs and its
//! subnets with usable address counts (2^(32−n) − 5, A6).

use super::pane_block;
use crate::app::tree::usable_addresses;
use crate::app::{App, Pane};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use ratatui::Frame;

/// Draw the planner pane.
pub fn render(frame: &mut Frame, area: Rect, app: &App, focused: bool) {
    let t = &app.theme;
    let vpc = app.selected_vpc();
    let block = pane_block(app, Pane::Planner, vpc.map_or("", |v| v.name.as_str()), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(vpc) = vpc else {
        frame.render_widget(Paragraph::new("Select a VPC or a subnet in the tree.").style(t.muted()), inner);
        return;
    };
    let total: u64 = vpc.cidrs().map(|c| 1u64 << (32 - u32::from(c.prefix_len()))).sum();
    let subnets: Vec<_> = app.design.vpc_subnets(&vpc.id).collect();
    let used: u64 = subnets.iter().map(|s| 1u64 << (32 - u32::from(s.cidr.prefix_len()))).sum();
    let cidrs: Vec<String> = vpc.cidrs().map(|c| c.to_string()).collect();
    let header = vec![
        Line::from(vec![Span::styled("CIDRs  ", t.muted()), Span::styled(cidrs.join(", "), Style::new().fg(t.vpc))]),
        Line::from(vec![
            Span::styled("space  ", t.muted()),
            Span::raw(format!(
                "{total} addresses · {} in {} subnets · {} free",
                used,
                subnets.len(),
                total.saturating_sub(used)
            )),
        ]),
    ];
    let [head, table_area] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(header), head);

    let selected = app.selected_subnet().map(|s| s.id.as_str());
    let rows: Vec<Row> = subnets
        .iter()
        .skip(usize::from(app.scroll[Pane::Planner.index()]))
        .map(|s| {
            let style = if Some(s.id.as_str()) == selected {
                Style::new().add_modifier(Modifier::BOLD).fg(t.accent)
            } else {
                t.text()
            };
            Row::new(vec![
                Cell::from(s.name.clone()),
                Cell::from(s.cidr.to_string()),
                Cell::from(s.az.clone()),
                Cell::from(usable_addresses(s.cidr.prefix_len()).to_string()),
            ])
            .style(style)
        })
        .collect();
    let table =
        Table::new(rows, [Constraint::Fill(2), Constraint::Length(18), Constraint::Length(16), Constraint::Length(7)])
            .header(
                Row::new(vec!["Subnet", "CIDR", "AZ", "Usable"]).style(t.muted().add_modifier(Modifier::UNDERLINED)),
            )
            .column_spacing(1);
    frame.render_widget(table, table_area);
}
