//! The picture as SVG: labelled frames for regions, VPCs, AZs and subnets in the colours of
//! AWS architecture diagrams (no icon artwork), small boxes for gateways and endpoints, lines
//! with labels, and a trace as numbered arrows whose numbers are the trace's step numbers,
//! with the steps listed under the picture.
//!
//! Styling is in presentation attributes rather than CSS so that every SVG consumer (browsers,
//! resvg, image viewers, draw.io's import) draws the same thing.

use super::layout::{Layout, Point, Rect};
use super::scene::{EdgeKind, NodeId, NodeKind, Scene};
use super::text::{truncate, xml_escape};
use super::TraceOverlay;
use crate::model::SubnetKind;
use std::fmt::Write;

const INK: &str = "#232F3E";
const FORWARD: &str = "#D13212";
const REPLY: &str = "#1D8102";
/// The widest legend line, in characters.
const LEGEND_COLUMNS: usize = 160;

/// (stroke, fill, dashed) of a box kind.
pub(super) fn colours(kind: NodeKind) -> (&'static str, &'static str, bool) {
    match kind {
        NodeKind::Region => ("#00A4A6", "#FFFFFF", true),
        NodeKind::Vpc => ("#8C4FFF", "#FBF9FF", false),
        NodeKind::ExternalVpc => ("#8C4FFF", "#FFFFFF", true),
        NodeKind::AvailabilityZone => ("#147EBA", "none", true),
        NodeKind::Subnet(SubnetKind::Public) => ("#7AA116", "#F2F6E8", false),
        NodeKind::Subnet(SubnetKind::Private) => ("#00A4A6", "#E6F6F7", false),
        NodeKind::Subnet(SubnetKind::VpnOnly) => ("#8C4FFF", "#F3EDFF", false),
        NodeKind::Internet | NodeKind::AwsServices | NodeKind::CustomerGateway => (INK, "#FFFFFF", false),
        NodeKind::TransitGateway => ("#8C4FFF", "#FFFFFF", false),
        _ => ("#8C4FFF", "#FFFFFF", false),
    }
}

/// (colour, dashed) of a line kind.
pub(super) fn edge_colour(kind: EdgeKind) -> (&'static str, bool) {
    match kind {
        EdgeKind::Peering => ("#8C4FFF", false),
        EdgeKind::TgwAttachment => ("#ED7100", false),
        EdgeKind::Vpn => ("#DD344C", false),
        EdgeKind::EndpointRoute => ("#7AA116", true),
        EdgeKind::EndpointService => ("#7AA116", false),
    }
}

/// Render a laid-out scene (in pixel metrics) as an SVG document.
pub fn render(scene: &Scene, lay: &Layout, trace: Option<TraceOverlay<'_>>) -> String {
    let m = lay.metrics;
    let legend = trace.map(legend_lines).unwrap_or_default();
    let indent = 3 * m.char_w;
    let legend_w =
        legend.iter().map(|l| super::text::display_width(&l.text) as i32).max().unwrap_or(0) * m.char_w + indent;
    let row_h = m.line_h + 6;
    let legend_h = if legend.is_empty() { 0 } else { legend.len() as i32 * row_h + m.gap_y };
    let width = lay.width.max(legend_w + 2 * m.margin);
    let height = lay.height + legend_h;
    let mut out = String::with_capacity(512 + scene.nodes.len() * 320 + scene.edges.len() * 200);
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="12" fill="{INK}">"#
    );
    let _ = writeln!(out, "<title>{}</title>", xml_escape(&scene.title));
    out.push_str(concat!(
        "<defs>",
        r##"<marker id="arrow-forward" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#D13212"/></marker>"##,
        r##"<marker id="arrow-reply" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#1D8102"/></marker>"##,
        "</defs>\n"
    ));
    let _ = writeln!(out, r##"<rect class="canvas" x="0" y="0" width="{width}" height="{height}" fill="#FFFFFF"/>"##);
    // Frames first (parents before children), then lines, then the small boxes on top.
    let order = scene.preorder();
    out.push_str("<g class=\"groups\">\n");
    for &n in order.iter().filter(|&&n| scene.nodes[n].kind.is_group()) {
        node(&mut out, scene, lay, n);
    }
    out.push_str("</g>\n<g class=\"edges\" fill=\"none\">\n");
    for (i, e) in scene.edges.iter().enumerate() {
        let (colour, dashed) = edge_colour(e.kind);
        let dash = if dashed || e.inactive { r#" stroke-dasharray="5 4""# } else { "" };
        let _ = write!(
            out,
            r#"<polyline class="edge {}" points="{}" stroke="{colour}" stroke-width="1.5"{dash}>"#,
            e.kind.slug(),
            points(&lay.edges[i])
        );
        if !e.label.is_empty() {
            let _ = write!(out, "<title>{}</title>", xml_escape(&e.label));
        }
        out.push_str("</polyline>\n");
        if !e.label.is_empty() {
            let p = midpoint(&lay.edges[i]);
            let _ = writeln!(
                out,
                r##"<text x="{}" y="{}" font-size="11" fill="{colour}" stroke="#FFFFFF" stroke-width="3" paint-order="stroke">{}</text>"##,
                p.x + 4,
                p.y - 4,
                xml_escape(&truncate(&e.label, 40))
            );
        }
    }
    out.push_str("</g>\n<g class=\"boxes\">\n");
    for &n in order.iter().filter(|&&n| !scene.nodes[n].kind.is_group()) {
        node(&mut out, scene, lay, n);
    }
    out.push_str("</g>\n");
    if let Some(t) = trace {
        trace_layer(&mut out, lay, t);
        let mut y = lay.height + m.line_h;
        out.push_str("<g class=\"trace-steps\">\n");
        for (i, l) in legend.iter().enumerate() {
            let weight = if i == 0 { r#" font-weight="bold""# } else { "" };
            let x = match l.badge {
                Some((step, reply)) => {
                    let colour = if reply { REPLY } else { FORWARD };
                    badge(&mut out, Point { x: m.margin + 9, y: y - 4 }, step, colour);
                    m.margin + indent
                }
                None => m.margin,
            };
            let _ = writeln!(out, r#"<text x="{x}" y="{y}"{weight}>{}</text>"#, xml_escape(&l.text));
            y += row_h;
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

fn node(out: &mut String, scene: &Scene, lay: &Layout, n: NodeId) {
    let node = &scene.nodes[n];
    let placed = &lay.nodes[n];
    let Rect { x, y, w, h } = placed.rect;
    let (stroke, fill, dashed) = colours(node.kind);
    let dash = if dashed || node.inactive { r#" stroke-dasharray="6 4""# } else { "" };
    let radius = if node.kind.is_group() { 0 } else { 4 };
    let resource =
        node.resource.as_deref().map(|r| format!(r#" data-resource="{}""#, xml_escape(r))).unwrap_or_default();
    let _ = write!(out, r#"<g class="node {}" id="{}"{resource}>"#, node.kind.slug(), xml_escape(&node.key));
    let tip = std::iter::once(format!("{}: {}", node.kind.label(), node.name)).chain(node.facts.iter().cloned());
    let _ = write!(out, "<title>{}</title>", xml_escape(&tip.collect::<Vec<_>>().join("\n")));
    let _ = write!(
        out,
        r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{radius}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>"#
    );
    let m = lay.metrics;
    let tx = placed.text.x;
    // The baseline of 12 px text in a 16 px line.
    let mut ty = placed.text.y + m.line_h - 4;
    for (i, line) in placed.lines.iter().enumerate() {
        let weight = if i == 0 { r#" font-weight="bold""# } else { "" };
        let _ = write!(out, r#"<text x="{tx}" y="{ty}"{weight}>{}</text>"#, xml_escape(line));
        ty += m.line_h;
    }
    out.push_str("</g>\n");
}

fn points(pts: &[Point]) -> String {
    let mut s = String::new();
    for (i, p) in pts.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = write!(s, "{},{}", p.x, p.y);
    }
    s
}

/// The point halfway along a polyline.
fn midpoint(pts: &[Point]) -> Point {
    let seg = |a: &Point, b: &Point| (a.x - b.x).abs() + (a.y - b.y).abs();
    let total: i32 = pts.windows(2).map(|w| seg(&w[0], &w[1])).sum();
    let mut left = total / 2;
    for w in pts.windows(2) {
        let l = seg(&w[0], &w[1]);
        if left <= l && l > 0 {
            return Point { x: w[0].x + (w[1].x - w[0].x) * left / l, y: w[0].y + (w[1].y - w[0].y) * left / l };
        }
        left -= l;
    }
    pts.first().copied().unwrap_or_default()
}

/// A point with fractional coordinates.
#[derive(Debug, Clone, Copy)]
struct Pt(f64, f64);

impl Pt {
    fn of(p: Point) -> Pt {
        Pt(f64::from(p.x), f64::from(p.y))
    }
}

/// Where a ray from `from` (inside `r`) towards `to` leaves `r`.
fn exit(r: Rect, from: Pt, to: Pt) -> Pt {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let mut t = f64::INFINITY;
    if dx > 0.0 {
        t = t.min((f64::from(r.right()) - from.0) / dx);
    } else if dx < 0.0 {
        t = t.min((f64::from(r.x) - from.0) / dx);
    }
    if dy > 0.0 {
        t = t.min((f64::from(r.bottom()) - from.1) / dy);
    } else if dy < 0.0 {
        t = t.min((f64::from(r.y) - from.1) / dy);
    }
    if !t.is_finite() {
        return from;
    }
    let t = t.clamp(0.0, 1.0);
    Pt(from.0 + dx * t, from.1 + dy * t)
}

/// A curved arrow from box `a` to box `b`: a quadratic curve bowed to its left, from `a`'s
/// border to `b`'s (so a request and its reply between the same boxes bow apart). Returns
/// (start, control, end, the curve's midpoint); `None` for one box.
fn arc(a: Rect, b: Rect) -> Option<(Pt, Pt, Pt, Pt)> {
    let (ca, cb) = (Pt::of(a.center()), Pt::of(b.center()));
    let (dx, dy) = (cb.0 - ca.0, cb.1 - ca.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return None;
    }
    if a.contains(&b) || b.contains(&a) {
        let mid = Pt((ca.0 + cb.0) / 2.0, (ca.1 + cb.1) / 2.0);
        return Some((ca, mid, cb, mid));
    }
    let bow = (len * 0.3).clamp(28.0, 140.0);
    let c = Pt((ca.0 + cb.0) / 2.0 + dy / len * bow, (ca.1 + cb.1) / 2.0 - dx / len * bow);
    let (s, e) = (exit(a, ca, c), exit(b, cb, c));
    let mid = Pt(0.25 * s.0 + 0.5 * c.0 + 0.25 * e.0, 0.25 * s.1 + 0.5 * c.1 + 0.25 * e.1);
    Some((s, c, e, mid))
}

/// Arrows for the legs, a numbered badge on each, and the drop marked.
fn trace_layer(out: &mut String, lay: &Layout, t: TraceOverlay<'_>) {
    out.push_str("<g class=\"trace\" fill=\"none\">\n");
    let mut badges = String::new();
    for leg in &t.path.legs {
        let Some((s, c, e, mid)) = arc(lay.nodes[leg.from].rect, lay.nodes[leg.to].rect) else { continue };
        let (colour, marker) = if leg.reply { (REPLY, "arrow-reply") } else { (FORWARD, "arrow-forward") };
        let dash = if leg.reply { r#" stroke-dasharray="7 4""# } else { "" };
        let _ = writeln!(
            out,
            r#"<path class="hop{}" d="M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}" stroke="{colour}" stroke-width="2.5"{dash} marker-end="url(#{marker})"><title>step {}</title></path>"#,
            if leg.reply { " reply" } else { "" },
            s.0,
            s.1,
            c.0,
            c.1,
            e.0,
            e.1,
            leg.step
        );
        badge(&mut badges, Point { x: mid.0.round() as i32, y: mid.1.round() as i32 }, leg.step, colour);
    }
    // Where the flow starts: its first step's badge on the first box's corner.
    if let Some((s, n)) = t.path.steps.iter().find_map(|s| s.at.map(|n| (s, n))) {
        let r = lay.nodes[n].rect;
        badge(&mut badges, Point { x: r.right(), y: r.y }, s.step, FORWARD);
    }
    // Badges over every arrow.
    out.push_str(&badges);
    if let Some(s) = t.path.steps.iter().find(|s| s.dropped) {
        if let Some(n) = s.at {
            let Rect { x, y, w, h } = lay.nodes[n].rect;
            let _ = writeln!(
                out,
                r#"<rect class="drop" x="{}" y="{}" width="{}" height="{}" stroke="{FORWARD}" stroke-width="3"/>"#,
                x - 3,
                y - 3,
                w + 6,
                h + 6
            );
            let _ = writeln!(
                out,
                r#"<text class="drop" x="{}" y="{}" fill="{FORWARD}" font-weight="bold">✕ dropped at step {}</text>"#,
                x,
                y + h + 16,
                s.step
            );
        }
    }
    out.push_str("</g>\n");
}

/// A filled circle with the step number: the picture's ①②③.
fn badge(out: &mut String, p: Point, step: u32, colour: &str) {
    let r = if step < 10 { 9 } else { 11 };
    let _ = writeln!(
        out,
        r##"<g class="step"><circle cx="{}" cy="{}" r="{r}" fill="{colour}" stroke="#FFFFFF" stroke-width="1.5"/><text x="{}" y="{}" text-anchor="middle" font-size="11" font-weight="bold" fill="#FFFFFF">{step}</text></g>"##,
        p.x,
        p.y,
        p.x,
        p.y + 4
    );
}

/// One line of the step list under the picture: a badge (step, reply) and text.
struct LegendLine {
    badge: Option<(u32, bool)>,
    text: String,
}

/// The trace's steps under the picture: the flow and verdict, then one line per hop.
fn legend_lines(t: TraceOverlay<'_>) -> Vec<LegendLine> {
    let r = t.result;
    let first = r.forward.first().map(|h| h.before.to_string()).unwrap_or_default();
    let plain = |text: String| LegendLine { badge: None, text: truncate(&text, LEGEND_COLUMNS) };
    let mut lines = vec![plain(format!("Trace {first}: {} ({})", r.verdict, r.disposition))];
    for (h, at) in r.hops().zip(&t.path.steps) {
        let where_ = if at.at.is_none() && at.via.is_none() { " (outside the picture)" } else { "" };
        let dir = if at.reply { "reply" } else { "request" };
        let text =
            format!("{dir} · {} {}{where_} — {} [{}]", h.component.kind, h.component.label(), h.decision, h.rule);
        lines.push(LegendLine { badge: Some((h.step, at.reply)), text: truncate(&text, LEGEND_COLUMNS) });
    }
    if let (Some(code), Some(reason)) = (r.code, &r.reason) {
        lines.push(plain(format!("Dropped: {code}: {reason}")));
    }
    for b in &r.blockers {
        lines.push(plain(format!("Fix at step {}: {}", b.step, b.fix)));
    }
    lines
}
