//! The topology map pane: the selected region or VPC drawn as nested boxes (see
//! [`map_canvas`](super::map_canvas)), and while a trace is loaded the packet moving over it
//! hop by hop, in step with the trace view, with the step list beside the picture.
//!
//! Reads the app only: the picture comes from the cache [`crate::app::map::sync`] keeps (or,
//! before the first sync, is built for this frame and thrown away).

use super::map_canvas::{self, Marks};
use super::{pane_block, Screen};
use crate::app::input::Area;
use crate::app::map::{self, MapPicture};
use crate::app::trace_view::Phase;
use crate::app::{App, Pane};
use crate::sim::circled;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::borrow::Cow;

/// The marks of the app's state on a picture: the selection, and the trace up to its current
/// step.
pub fn marks(app: &App, pic: &MapPicture) -> Marks {
    let mut m = Marks { selected: app.map.selected.as_deref().and_then(|k| pic.scene.by_key(k)), ..Marks::default() };
    let (Some(path), Some(cur)) = (pic.path.as_ref(), map::path_index(app)) else { return m };
    let Some(step) = path.steps.get(cur) else { return m };
    m.packet = map::packet_box(path, cur);
    m.crossing = step.via;
    m.dropped = step.dropped;
    // A security group or network ACL that dropped the flow is named on the box's edge.
    let hop = app.trace_view.result.as_ref().and_then(|r| r.forward.iter().chain(&r.return_path).nth(cur));
    m.dropped_by = hop.filter(|_| step.dropped).and_then(|h| match h.component.kind {
        crate::sim::ComponentKind::SecurityGroup => Some("SG"),
        crate::sim::ComponentKind::NetworkAcl => Some("ACL"),
        _ => None,
    });
    // Legs whose first hop is at or before the current one, in order.
    let reached: Vec<bool> = {
        let mut out = Vec::with_capacity(path.legs.len());
        let mut si = 0;
        for leg in &path.legs {
            while si < path.steps.len() && !(path.steps[si].step == leg.step && path.steps[si].reply == leg.reply) {
                si += 1;
            }
            out.push(si <= cur);
        }
        out
    };
    let passed: Vec<usize> = (0..path.legs.len()).filter(|&i| reached[i]).collect();
    let last = passed.last().copied();
    for &i in &passed {
        let l = &path.legs[i];
        m.legs.push((l.from, l.to, Some(i) == last, l.reply));
        m.numbers.push((l.to, l.step));
    }
    if let Some(first) = path.steps.iter().find_map(|s| s.at.map(|a| (a, s.step))) {
        m.numbers.insert(0, first);
    }
    m
}

fn rect(a: Area) -> Rect {
    Rect { x: a.x, y: a.y, width: a.width, height: a.height }
}

/// Draw the map pane.
pub fn render(frame: &mut Frame, area: Rect, app: &Screen, focused: bool) {
    let t = &app.theme;
    let inner = map::inner(Area { x: area.x, y: area.y, width: area.width, height: area.height });
    let trace = app.trace_view.result.is_some();
    let (canvas, steps) = map::split(inner, trace);
    let (canvas, steps) = (rect(canvas), steps.map(rect));
    let scope = map::scope(app);
    let pic: Cow<Result<MapPicture, crate::l10n::Text>> = match &app.map.cache {
        Some((k, p)) if k.matches(app, canvas.width) => Cow::Borrowed(p),
        _ => {
            Cow::Owned(MapPicture::build(&app.design, &scope, canvas.width, app.trace_view.result.as_ref(), app.lang()))
        }
    };
    let detail = match pic.as_ref() {
        Ok(p) if p.layout.detail == crate::diagram::Detail::Names => crate::l10n::ui(app.lang(), " · names only"),
        _ => String::new(),
    };
    let subtitle = format!("{}{detail}", scope.label(&app.design, app.lang()));
    let block = pane_block(app, Pane::Map, &subtitle, focused);
    frame.render_widget(block, area);
    if canvas.width < 4 || canvas.height < 2 {
        return;
    }
    let pic = match pic.as_ref() {
        Ok(p) => p,
        Err(e) => {
            let text = vec![
                Line::styled(
                    crate::l10n::uif(app.lang(), "Nothing to draw: {e}", &[("e", &e.render(app.lang()))]),
                    t.error(),
                ),
                Line::from(vec![
                    Span::styled("v", t.key()),
                    Span::styled(
                        crate::l10n::ui(app.lang(), " switches region ⇄ VPC; select a VPC in the tree and press "),
                        t.muted(),
                    ),
                    Span::styled("f", t.key()),
                    Span::styled(".", t.muted()),
                ]),
            ];
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), canvas);
            return;
        }
    };
    let max =
        ((pic.layout.width - i32::from(canvas.width)).max(0), (pic.layout.height - i32::from(canvas.height)).max(0));
    let offset = (app.map.offset.0.clamp(0, max.0), app.map.offset.1.clamp(0, max.1));
    let marks = marks(app, pic);
    map_canvas::draw(frame.buffer_mut(), canvas, pic, &marks, offset, t);
    scroll_marks(frame, canvas, offset, max, app);
    if let Some(s) = steps {
        render_steps(frame, s, app, pic);
    }
}

/// Arrows on the canvas's edges where there is more to see.
fn scroll_marks(frame: &mut Frame, canvas: Rect, offset: (i32, i32), max: (i32, i32), app: &Screen) {
    let st = app.theme.muted().add_modifier(Modifier::BOLD);
    let buf = frame.buffer_mut();
    let (r, b) = (canvas.x + canvas.width - 1, canvas.y + canvas.height - 1);
    let mut put = |x: u16, y: u16, s: &str| {
        if let Some(c) = buf.cell_mut((x, y)) {
            c.set_symbol(s).set_style(st);
        }
    };
    if offset.1 > 0 {
        put(r, canvas.y, "▲");
    }
    if offset.1 < max.1 {
        put(r, b, "▼");
    }
    if offset.0 > 0 {
        put(canvas.x, b, "◀");
    }
    if offset.0 < max.0 {
        put(r.saturating_sub(1), b, "▶");
    }
}

/// The trace's steps beside the map: verdict and play state, then the phase's steps with the
/// current one kept in view, those whose hop is outside the picture marked `◌`.
fn render_steps(frame: &mut Frame, area: Rect, app: &Screen, pic: &MapPicture) {
    let t = &app.theme;
    let tv = &app.trace_view;
    let Some(r) = &tv.result else { return };
    // A separator between the picture and the list.
    let sep = Rect { x: area.x.saturating_sub(1), width: 1, ..area };
    if sep.x >= 1 && area.height > 0 {
        let lines: Vec<Line> = (0..area.height).map(|_| Line::styled("│", t.muted())).collect();
        frame.render_widget(Paragraph::new(lines), sep);
    }
    let verdict = if r.delivered() {
        Style::new().fg(t.ok).add_modifier(Modifier::BOLD)
    } else {
        t.error().add_modifier(Modifier::BOLD)
    };
    let hops = tv.hops();
    let lang = app.lang();
    let phase = crate::l10n::ui(
        lang,
        match tv.anim.phase {
            Phase::Forward => "forward",
            Phase::Return => "return",
        },
    );
    let state = if tv.anim.playing { "▶" } else { "⏸" };
    let mut lines = vec![
        Line::styled(format!("{} ({})", crate::sim::render::verdict_text(r, lang), r.disposition), verdict),
        Line::styled(
            format!("{state} {} {phase} {}/{}", tv.anim.speed_label(), tv.anim.index + 1, hops.len()),
            t.muted(),
        ),
    ];
    let stop = tv.result.as_ref().and_then(super::trace::stop_at).filter(|(p, _)| *p == tv.anim.phase).map(|(_, i)| i);
    let base = match tv.anim.phase {
        Phase::Forward => 0,
        Phase::Return => r.forward.len(),
    };
    let visible = usize::from(area.height.saturating_sub(3)).max(1);
    let first = tv.anim.index.saturating_sub(visible / 2).min(hops.len().saturating_sub(visible));
    for (i, h) in hops.iter().enumerate().skip(first).take(visible) {
        let mut line = super::trace::step_line(app, tv, i, h, stop);
        let outside =
            pic.path.as_ref().and_then(|p| p.steps.get(base + i)).is_some_and(|s| s.at.is_none() && s.via.is_none());
        if outside {
            line.spans.insert(1, Span::styled("◌", t.muted()));
        }
        lines.push(line);
    }
    if let Some(h) = tv.current() {
        if area.height as usize > lines.len() + 1 {
            lines.push(Line::styled(
                format!("{} [{}] {}", circled(h.step), h.rule, crate::sim::render::action_word(h.action, app.lang())),
                t.muted(),
            ));
        }
    }
    frame.render_widget(Paragraph::new(lines).style(t.text()), area);
}
