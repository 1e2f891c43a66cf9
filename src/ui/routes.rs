//! The route table pane. For now a useful minimal view: the route table of the selected subnet
//! or table, with destination, target, origin and state of each route (propagated VPN routes
//! included, T6).

use super::pane_block;
use crate::app::{App, Pane};
use crate::model::RouteState;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use ratatui::Frame;

/// Draw the routes pane.
pub fn render(frame: &mut Frame, area: Rect, app: &App, focused: bool) {
    let t = &app.theme;
    let rt = app.selected_route_table();
    let block = pane_block(app, Pane::Routes, rt.map_or("", |r| r.name.as_str()), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(rt) = rt else {
        frame.render_widget(Paragraph::new("Select a subnet or a route table in the tree.").style(t.muted()), inner);
        return;
    };
    let how = match app.selected_subnet() {
        Some(s) if !app.design.subnet_has_explicit_route_table(&s.id) => {
            format!(" · used by {} as the main table (R1)", s.name)
        }
        Some(s) => format!(" · associated with {}", s.name),
        None => String::new(),
    };
    let head = Line::from(vec![
        Span::styled(rt.id.clone(), Style::new().fg(t.accent)),
        Span::styled(format!("{}{how}", if rt.main { " · main" } else { "" }), t.muted()),
    ]);
    let [head_area, table_area] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(head), head_area);
    let rows: Vec<Row> = app
        .design
        .effective_routes(rt)
        .into_iter()
        .skip(usize::from(app.scroll[Pane::Routes.index()]))
        .map(|r| {
            let style = if r.state == RouteState::Blackhole { t.error() } else { t.text() };
            Row::new(vec![
                Cell::from(r.destination.to_string()),
                Cell::from(r.target.to_string()),
                Cell::from(r.origin.to_string()),
                Cell::from(format!("{:?}", r.state).to_lowercase()),
            ])
            .style(style)
        })
        .collect();
    let table =
        Table::new(rows, [Constraint::Length(20), Constraint::Fill(1), Constraint::Length(16), Constraint::Length(9)])
            .header(
                Row::new(vec!["Destination", "Target", "Origin", "State"])
                    .style(t.muted().add_modifier(Modifier::UNDERLINED)),
            )
            .column_spacing(1);
    frame.render_widget(table, table_area);
}
