//! The topology map drawn into a terminal buffer: boxes from the cell layout (frames for
//! regions, VPCs, AZ columns and subnets; small filled boxes for gateways, NAT gateways and
//! endpoints), the lines between them, and a trace's path with the packet on it.
//!
//! A pure function of the picture, the marks and the viewport: nothing here reads the app.
//! Everything is culled against the viewport first, so a frame costs what is on screen plus
//! one rectangle test per box and line.

use crate::app::map::MapPicture;
use crate::diagram::{EdgeKind, NodeId, NodeKind, Point, Rect as LRect};
use crate::model::SubnetKind;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use unicode_width::UnicodeWidthChar;

/// What to mark on the picture besides the boxes and lines.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// The selected box.
    pub selected: Option<NodeId>,
    /// The box the packet is at.
    pub packet: Option<NodeId>,
    /// The packet is crossing this line (a peering) on the current step.
    pub crossing: Option<usize>,
    /// The flow was dropped at the packet's box on the current step.
    pub dropped: bool,
    /// What dropped it, when it is a check on the box's edge (`SG`, `ACL`): written with ✖ on
    /// the box's bottom edge.
    pub dropped_by: Option<&'static str>,
    /// The legs travelled so far: (from, to, is the leg just travelled, reply).
    pub legs: Vec<(NodeId, NodeId, bool, bool)>,
    /// Step numbers to write on boxes the packet has reached: (box, step).
    pub numbers: Vec<(NodeId, u32)>,
}

/// One line segment style: horizontal, vertical, and the four corners.
struct LineSet {
    h: &'static str,
    v: &'static str,
}

const SOLID: LineSet = LineSet { h: "─", v: "│" };
const DASHED: LineSet = LineSet { h: "╌", v: "╎" };
const TRAIL: LineSet = LineSet { h: "━", v: "┃" };

/// Box border glyphs: top-left, top-right, bottom-left, bottom-right, horizontal, vertical.
type Frame6 = [&'static str; 6];
const SQUARE: Frame6 = ["┌", "┐", "└", "┘", "─", "│"];
const ROUND: Frame6 = ["╭", "╮", "╰", "╯", "─", "│"];
const HEAVY: Frame6 = ["┏", "┓", "┗", "┛", "━", "┃"];
const DOUBLE: Frame6 = ["╔", "╗", "╚", "╝", "═", "║"];
const DASH: Frame6 = ["┌", "┐", "└", "┘", "╌", "╎"];

/// A viewport onto the layout: layout cell (x, y) is drawn at screen
/// (`area.x + x - ox`, `area.y + y - oy`), clipped to `area`.
struct Canvas<'b> {
    buf: &'b mut Buffer,
    area: Rect,
    ox: i32,
    oy: i32,
}

impl Canvas<'_> {
    fn screen(&self, x: i32, y: i32) -> Option<(u16, u16)> {
        let (sx, sy) = (x - self.ox, y - self.oy);
        (sx >= 0 && sy >= 0 && sx < i32::from(self.area.width) && sy < i32::from(self.area.height))
            .then(|| (self.area.x + sx as u16, self.area.y + sy as u16))
    }

    fn visible(&self, r: &LRect) -> bool {
        let v = LRect { x: self.ox, y: self.oy, w: i32::from(self.area.width), h: i32::from(self.area.height) };
        r.overlaps(&v)
    }

    fn symbol(&self, x: i32, y: i32) -> Option<&str> {
        let (sx, sy) = self.screen(x, y)?;
        self.buf.cell((sx, sy)).map(|c| c.symbol())
    }

    fn put(&mut self, x: i32, y: i32, s: &str, style: Style) {
        if let Some((sx, sy)) = self.screen(x, y) {
            if let Some(c) = self.buf.cell_mut((sx, sy)) {
                c.set_symbol(s).set_style(style);
            }
        }
    }

    /// Put a line glyph only on an empty cell or another line (never over text or a border,
    /// nor on the space between two words of a label).
    fn put_line(&mut self, x: i32, y: i32, s: &str, style: Style) {
        let word = |c: Option<&str>| c.and_then(|c| c.chars().next()).is_some_and(char::is_alphanumeric);
        let gap = word(self.symbol(x - 1, y)) && word(self.symbol(x + 1, y));
        let free = self.symbol(x, y).is_some_and(|c| (c == " " && !gap) || is_line(c));
        if free {
            self.put(x, y, s, style);
        }
    }

    /// Text from (x, y), at most `max` columns; double-width characters take two cells and are
    /// dropped rather than cut in half at the edges.
    fn text(&mut self, x: i32, y: i32, s: &str, max: i32, style: Style) {
        let mut col = 0;
        for ch in s.chars() {
            let w = ch.width().unwrap_or(0) as i32;
            if w == 0 {
                continue;
            }
            if col + w > max {
                break;
            }
            let (a, b) = (self.screen(x + col, y), self.screen(x + col + w - 1, y));
            if let (Some((sx, sy)), Some(_)) = (a, b) {
                let mut tmp = [0u8; 4];
                self.buf.set_stringn(sx, sy, ch.encode_utf8(&mut tmp), w as usize, style);
            }
            col += w;
        }
    }

    fn fill(&mut self, r: &LRect, style: Style) {
        for y in r.y..r.bottom() {
            for x in r.x..r.right() {
                self.put(x, y, " ", style);
            }
        }
    }

    fn frame(&mut self, r: &LRect, g: Frame6, style: Style) {
        if r.w < 2 || r.h < 2 {
            return;
        }
        let (l, t, rr, b) = (r.x, r.y, r.right() - 1, r.bottom() - 1);
        // Only the rows and columns on screen.
        let x0 = (l + 1).max(self.ox);
        let x1 = rr.min(self.ox + i32::from(self.area.width));
        for x in x0..x1 {
            self.put(x, t, g[4], style);
            self.put(x, b, g[4], style);
        }
        let y0 = (t + 1).max(self.oy);
        let y1 = b.min(self.oy + i32::from(self.area.height));
        for y in y0..y1 {
            self.put(l, y, g[5], style);
            self.put(rr, y, g[5], style);
        }
        self.put(l, t, g[0], style);
        self.put(rr, t, g[1], style);
        self.put(l, b, g[2], style);
        self.put(rr, b, g[3], style);
    }

    /// An orthogonal polyline.
    fn polyline(&mut self, pts: &[Point], set: &LineSet, style: Style) {
        for w in pts.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.y == b.y {
                for x in a.x.min(b.x)..=a.x.max(b.x) {
                    self.put_line(x, a.y, set.h, style);
                }
            } else {
                for y in a.y.min(b.y)..=a.y.max(b.y) {
                    self.put_line(a.x, y, set.v, style);
                }
            }
        }
        // Bends get corners.
        for w in pts.windows(3) {
            let (a, m, b) = (w[0], w[1], w[2]);
            let from = dir(m, a);
            let to = dir(m, b);
            if let Some(c) = corner(from, to) {
                self.put_line(m.x, m.y, c, style);
            }
        }
    }
}

fn is_line(s: &str) -> bool {
    matches!(s, "─" | "│" | "╌" | "╎" | "━" | "┃" | "┌" | "┐" | "└" | "┘" | "┏" | "┓" | "┗" | "┛")
}

/// The direction from `m` towards `p`: 0 up, 1 right, 2 down, 3 left.
fn dir(m: Point, p: Point) -> u8 {
    if p.y < m.y {
        0
    } else if p.x > m.x {
        1
    } else if p.y > m.y {
        2
    } else {
        3
    }
}

fn corner(a: u8, b: u8) -> Option<&'static str> {
    let (lo, hi) = (a.min(b), a.max(b));
    match (lo, hi) {
        (1, 2) => Some("┌"),
        (2, 3) => Some("┐"),
        (0, 1) => Some("└"),
        (0, 3) => Some("┘"),
        _ => None,
    }
}

fn bounds(pts: &[Point]) -> LRect {
    let x0 = pts.iter().map(|p| p.x).min().unwrap_or(0);
    let x1 = pts.iter().map(|p| p.x).max().unwrap_or(0);
    let y0 = pts.iter().map(|p| p.y).min().unwrap_or(0);
    let y1 = pts.iter().map(|p| p.y).max().unwrap_or(0);
    LRect { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 }
}

/// The style and glyphs of a box.
fn look(kind: NodeKind, inactive: bool, t: &Theme) -> (Frame6, Style) {
    let fg = |c| Style::new().fg(c);
    let (g, s) = match kind {
        NodeKind::Region => (DOUBLE, fg(t.region)),
        NodeKind::Vpc => (HEAVY, fg(t.vpc)),
        NodeKind::ExternalVpc => (DASH, fg(t.vpc)),
        NodeKind::AvailabilityZone => (DASH, t.muted()),
        NodeKind::Subnet(SubnetKind::Public) => (SQUARE, fg(t.ok)),
        NodeKind::Subnet(SubnetKind::VpnOnly) => (SQUARE, fg(t.warning)),
        NodeKind::Subnet(SubnetKind::Private) => (SQUARE, fg(t.info)),
        NodeKind::Internet | NodeKind::AwsServices | NodeKind::CustomerGateway => (ROUND, fg(t.title)),
        _ => (ROUND, fg(t.resource)),
    };
    if inactive {
        (DASH, s.add_modifier(Modifier::DIM))
    } else {
        (g, s)
    }
}

/// The marker a subnet shows on its top edge: public/private/VPN-only and its instances, in
/// the picture's language.
fn subnet_marker(kind: SubnetKind, facts: &[String], lang: crate::l10n::Lang) -> String {
    let tag = crate::l10n::ui(
        lang,
        match kind {
            SubnetKind::Public => "pub",
            SubnetKind::Private => "priv",
            SubnetKind::VpnOnly => "vpn",
        },
    );
    // The last fact reads "public · 2 instances" ("… · no instances" when none), or the same
    // in the picture's language: the count is its number.
    let count: String = facts
        .last()
        .and_then(|f| f.rsplit(" · ").next())
        .map(|c| c.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect())
        .unwrap_or_default();
    match count.as_str() {
        "" | "0" => tag,
        n => format!("{tag}·{n}▪"),
    }
}

/// Draw the picture into `area`, its layout cell (`ox`, `oy`) at the top-left corner.
pub fn draw(buf: &mut Buffer, area: Rect, pic: &MapPicture, marks: &Marks, offset: (i32, i32), t: &Theme) {
    let mut cv = Canvas { buf, area, ox: offset.0, oy: offset.1 };
    let scene = &pic.scene;
    let lay = &pic.layout;
    let order = scene.preorder();
    // Frames first (parents before children), then the lines, then the small boxes on top.
    for &n in &order {
        let node = &scene.nodes[n];
        if !node.kind.is_group() {
            continue;
        }
        let p = &lay.nodes[n];
        if !cv.visible(&p.rect) {
            continue;
        }
        let (g, style) = look(node.kind, node.inactive, t);
        cv.frame(&p.rect, g, style);
        let inner_w = p.rect.w - 2;
        for (i, line) in p.lines.iter().enumerate() {
            let st = if i == 0 { style.add_modifier(Modifier::BOLD) } else { t.text() };
            cv.text(p.text.x, p.text.y + i as i32, line, inner_w, st);
        }
        // Names only: the subnet's kind and instances go on its top edge.
        if let (NodeKind::Subnet(k), 1) = (node.kind, p.lines.len()) {
            let m = subnet_marker(k, &node.facts, pic.lang);
            let w = unicode_width::UnicodeWidthStr::width(m.as_str()) as i32;
            if w + 4 <= p.rect.w {
                cv.text(p.rect.right() - 2 - w, p.rect.y, &m, w, style);
            }
        }
    }
    for (i, e) in scene.edges.iter().enumerate() {
        let pts = &lay.edges[i];
        if pts.len() < 2 || !cv.visible(&bounds(pts)) {
            continue;
        }
        let crossing = marks.crossing == Some(i);
        let (set, style) = match (e.inactive, e.kind) {
            _ if crossing => (&TRAIL, Style::new().fg(t.accent).add_modifier(Modifier::BOLD)),
            (true, _) => (&DASHED, t.muted()),
            (false, EdgeKind::Peering) => (&SOLID, Style::new().fg(t.vpc)),
            (false, EdgeKind::TgwAttachment | EdgeKind::Vpn) => (&SOLID, Style::new().fg(t.region)),
            (false, _) => (&DASHED, Style::new().fg(t.info)),
        };
        cv.polyline(pts, set, style);
        if crossing {
            let m = pts[pts.len() / 2];
            cv.put(m.x, m.y, "●", Style::new().fg(t.accent).add_modifier(Modifier::BOLD));
        }
    }
    // The trail of the packet so far, the leg just travelled brighter.
    for &(a, b, last, reply) in &marks.legs {
        let pts = lay.route(a, b);
        if !cv.visible(&bounds(&pts)) {
            continue;
        }
        let c = if reply { t.info } else { t.ok };
        let style = if last { Style::new().fg(t.accent).add_modifier(Modifier::BOLD) } else { Style::new().fg(c) };
        cv.polyline(&pts, &TRAIL, style);
    }
    for &n in &order {
        let node = &scene.nodes[n];
        if node.kind.is_group() {
            continue;
        }
        let p = &lay.nodes[n];
        if !cv.visible(&p.rect) {
            continue;
        }
        let (g, style) = look(node.kind, node.inactive, t);
        cv.fill(&p.rect, t.text());
        cv.frame(&p.rect, g, style);
        let inner_w = p.rect.w - 2;
        for (i, line) in p.lines.iter().enumerate() {
            let st = if i == 0 { style.add_modifier(Modifier::BOLD) } else { t.muted() };
            cv.text(p.text.x, p.text.y + i as i32, line, inner_w, st);
        }
    }
    // Step numbers on the boxes reached, at the bottom-right corner.
    for &(n, step) in &marks.numbers {
        let r = lay.nodes[n].rect;
        let s = crate::sim::circled(step);
        cv.text(r.right() - 2, r.bottom() - 1, &s, 1, Style::new().fg(t.accent));
    }
    if let Some(n) = marks.selected {
        let p = &lay.nodes[n];
        // Heavier than its usual frame, so the selection shows without colour too.
        let (g, _) = look(scene.nodes[n].kind, false, t);
        let g = if g == HEAVY { DOUBLE } else { HEAVY };
        cv.frame(&p.rect, g, Style::new().fg(t.accent).add_modifier(Modifier::BOLD));
        if let Some(first) = p.lines.first() {
            cv.text(p.text.x, p.text.y, first, p.rect.w - 2, t.selection().add_modifier(Modifier::BOLD));
        }
    }
    if let Some(n) = marks.packet {
        let r = lay.nodes[n].rect;
        let (glyph, style) = if marks.dropped {
            ("✖", t.error().add_modifier(Modifier::BOLD))
        } else {
            ("●", Style::new().fg(t.accent).add_modifier(Modifier::BOLD))
        };
        let (g, _) = look(scene.nodes[n].kind, false, t);
        let g = if g == DASH { SQUARE } else { g };
        cv.frame(&r, g, style);
        cv.put(r.x + 1, r.y, glyph, style.add_modifier(Modifier::REVERSED));
        if let (true, Some(by)) = (marks.dropped, marks.dropped_by) {
            cv.text(r.x + 1, r.bottom() - 1, &format!("{by}✖"), r.w - 4, style);
        }
    }
}
