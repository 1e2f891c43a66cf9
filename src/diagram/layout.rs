//! Where every box of a [`Scene`] goes: a pure function from the scene and a few measures to
//! rectangles and line routes, in abstract integer units.
//!
//! The units are whatever [`Metrics`] says a character and a line are: [`Metrics::PIXELS`]
//! for SVG and draw.io, [`Metrics::CELLS`] for a terminal grid (a character is one cell and
//! borders take a cell). Boxes are sized bottom-up from their labels and placed top-down:
//! subnets stack in their AZ column, AZ columns stand side by side in their VPC, gateways sit
//! astride the VPC's top edge, VPCs (each with its gateway endpoints under it) fill rows of a
//! region up to a wrap width, transit gateways follow in a row, regions stack, and things
//! outside AWS (the internet, AWS services, customer gateways) come first in a row on top.
//! Nothing is compared pairwise, so the layout is linear in the size of the scene.

use super::scene::{NodeId, NodeKind, Placement, Scene};
use super::text::{display_width, truncate};

/// How big a character, a line, the paddings, gaps and borders are, in layout units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metrics {
    /// Width of one display column of text.
    pub char_w: i32,
    /// Height of one line of text.
    pub line_h: i32,
    /// Space between a box's border and its content, left and right.
    pub pad_x: i32,
    /// Space between a box's border and its content, top and bottom.
    pub pad_y: i32,
    /// Space between boxes side by side.
    pub gap_x: i32,
    /// Space between boxes one above the other.
    pub gap_y: i32,
    /// What a border takes (a cell in a terminal; nothing for a stroke drawn on the edge).
    pub border: i32,
    /// Space around the whole picture.
    pub margin: i32,
}

impl Metrics {
    /// Pixels, for 12 px DejaVu Sans / Arial text (a digit is about 7.6 px wide).
    pub const PIXELS: Metrics =
        Metrics { char_w: 8, line_h: 16, pad_x: 8, pad_y: 6, gap_x: 16, gap_y: 12, border: 0, margin: 16 };
    /// Terminal cells: a character is a cell, a border is a cell.
    pub const CELLS: Metrics =
        Metrics { char_w: 1, line_h: 1, pad_x: 1, pad_y: 0, gap_x: 1, gap_y: 0, border: 1, margin: 0 };
}

/// How much each box says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Detail {
    /// Kind, name and facts (CIDRs, public/private, instance count, addresses).
    Full,
    /// Names only; small boxes show their kind's tag (`IGW`, `NAT`).
    Names,
}

/// What to lay out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub metrics: Metrics,
    pub detail: Detail,
    /// The width to wrap a region's VPCs at (total picture width); `None` picks a width that
    /// makes each region roughly twice as wide as high.
    pub wrap_width: Option<i32>,
}

impl Options {
    /// Full detail in pixels, automatic wrap: what the SVG and draw.io exports use.
    pub fn pixels() -> Options {
        Options { metrics: Metrics::PIXELS, detail: Detail::Full, wrap_width: None }
    }
}

/// An axis-aligned rectangle; `x`, `y` is the top-left corner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    pub fn right(&self) -> i32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> i32 {
        self.y + self.h
    }
    pub fn center(&self) -> Point {
        Point { x: self.x + self.w / 2, y: self.y + self.h / 2 }
    }
    /// Whether the two share any area (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }
    /// Whether `o` lies wholly inside this rectangle (edges included).
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }
    fn shifted(&self, dx: i32, dy: i32) -> Rect {
        Rect { x: self.x + dx, y: self.y + dy, ..*self }
    }
}

/// A point in layout units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

/// A box with its place and the lines of text it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placed {
    pub rect: Rect,
    /// Where the top-left of the first line of text goes (below the gateways on a VPC's
    /// border, inside the border and padding elsewhere); each further line is `line_h` lower.
    pub text: Point,
    pub lines: Vec<String>,
}

/// The placed scene: `nodes[i]` is where `scene.nodes[i]` goes, `edges[i]` the route of
/// `scene.edges[i]` as an orthogonal polyline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub nodes: Vec<Placed>,
    pub edges: Vec<Vec<Point>>,
    pub width: i32,
    pub height: i32,
    pub detail: Detail,
    pub metrics: Metrics,
}

impl Layout {
    /// An orthogonal route between two boxes: from the side of `a` that faces `b` to the side
    /// of `b` that faces `a`, with one bend in the middle (a straight line between centres when
    /// one box holds the other). Used for the scene's edges and for a trace's legs.
    pub fn route(&self, a: NodeId, b: NodeId) -> Vec<Point> {
        route(self.nodes[a].rect, self.nodes[b].rect, lane(&self.metrics))
    }
}

/// The widest line a box may show, in display columns, per detail.
fn max_columns(detail: Detail) -> usize {
    match detail {
        Detail::Full => 40,
        Detail::Names => 20,
    }
}

/// The lines a box shows at a detail.
pub fn lines_of(scene: &Scene, n: NodeId, detail: Detail) -> Vec<String> {
    let node = &scene.nodes[n];
    let k = node.kind;
    let mut out: Vec<String> = match (detail, k) {
        (Detail::Full, NodeKind::Region | NodeKind::Vpc | NodeKind::ExternalVpc) => {
            // "Region" in the scene's language; "VPC" is AWS's name.
            let short =
                if k == NodeKind::Region { crate::l10n::ui(scene.lang, k.short()) } else { k.short().to_string() };
            let mut v = vec![format!("{short} {}", node.name)];
            v.extend(node.facts.iter().cloned());
            v
        }
        (Detail::Full, NodeKind::AvailabilityZone) => vec![node.name.clone()],
        (Detail::Full, NodeKind::Subnet(_)) => {
            let mut v = vec![node.name.clone()];
            v.extend(node.facts.iter().cloned());
            v
        }
        (Detail::Full, NodeKind::Internet | NodeKind::AwsServices) => vec![node.name.clone()],
        (Detail::Full, _) => {
            let mut v = vec![format!("{} {}", k.short(), node.name)];
            v.extend(node.facts.iter().cloned());
            v
        }
        (Detail::Names, NodeKind::AvailabilityZone) => {
            // `ap-northeast-2a` in ap-northeast-2 is zone `a`.
            let region = scene.ancestor(n, |k| k == NodeKind::Region).map(|r| scene.nodes[r].name.as_str());
            match region.and_then(|r| node.name.strip_prefix(r)).filter(|z| !z.is_empty()) {
                Some(zone) => vec![format!("AZ {zone}")],
                None => vec![node.name.clone()],
            }
        }
        (Detail::Names, _) if k.is_group() => vec![node.name.clone()],
        // The internet's name is its short tag, in the scene's language.
        (Detail::Names, NodeKind::Internet) => vec![node.name.clone()],
        (Detail::Names, NodeKind::AwsServices) => vec![k.short().to_string()],
        (Detail::Names, _) => vec![k.short().to_string()],
    };
    let max = max_columns(detail);
    for l in &mut out {
        *l = truncate(l, max);
    }
    out
}

/// Lay a scene out.
pub fn layout(scene: &Scene, opts: &Options) -> Layout {
    let mut cx = Ctx { s: scene, m: opts.metrics, nodes: vec![Placed::default(); scene.nodes.len()] };
    for n in 0..scene.nodes.len() {
        cx.nodes[n].lines = lines_of(scene, n, opts.detail);
    }
    let (width, height) = cx.place_roots(opts.wrap_width);
    let lane = lane(&opts.metrics);
    let edges = scene.edges.iter().map(|e| route(cx.nodes[e.from].rect, cx.nodes[e.to].rect, lane)).collect();
    Layout { nodes: cx.nodes, edges, width, height, detail: opts.detail, metrics: opts.metrics }
}

/// The richest layout that fits `width` units: full detail when it fits, else names only
/// (what a terminal pane of a given width shows; it scrolls vertically).
pub fn layout_to_fit(scene: &Scene, metrics: Metrics, width: i32) -> Layout {
    let full = layout(scene, &Options { metrics, detail: Detail::Full, wrap_width: Some(width) });
    if full.width <= width {
        return full;
    }
    layout(scene, &Options { metrics, detail: Detail::Names, wrap_width: Some(width) })
}

struct Ctx<'a> {
    s: &'a Scene,
    m: Metrics,
    nodes: Vec<Placed>,
}

/// Place boxes of the given sizes left to right in rows no wider than `width` (a box wider
/// than `width` gets a row of its own). Returns each box's offset and the size used.
fn flow(sizes: &[(i32, i32)], width: i32, gx: i32, gy: i32) -> (Vec<(i32, i32)>, i32, i32) {
    let mut out = Vec::with_capacity(sizes.len());
    let (mut x, mut y, mut row_h, mut used_w) = (0, 0, 0, 0);
    for &(w, h) in sizes {
        if x > 0 && x + w > width {
            y += row_h + gy;
            x = 0;
            row_h = 0;
        }
        out.push((x, y));
        used_w = used_w.max(x + w);
        row_h = row_h.max(h);
        x += w + gx;
    }
    (out, used_w, if sizes.is_empty() { 0 } else { y + row_h })
}

impl Ctx<'_> {
    fn ix(&self) -> i32 {
        self.m.border + self.m.pad_x
    }
    fn iy(&self) -> i32 {
        self.m.border + self.m.pad_y
    }
    /// Space between a group's title and its content.
    fn sep(&self) -> i32 {
        self.m.pad_y.max(self.m.gap_y)
    }
    fn text_w(&self, n: NodeId) -> i32 {
        self.nodes[n].lines.iter().map(|l| display_width(l) as i32).max().unwrap_or(0) * self.m.char_w
    }
    fn text_h(&self, n: NodeId) -> i32 {
        self.nodes[n].lines.len() as i32 * self.m.line_h
    }
    fn set(&mut self, n: NodeId, x: i32, y: i32, w: i32, h: i32) {
        self.nodes[n].rect = Rect { x, y, w, h };
        self.nodes[n].text = Point { x: x + self.ix(), y: y + self.iy() };
    }
    /// Move a box and everything in it.
    fn shift(&mut self, n: NodeId, dx: i32, dy: i32) {
        let mut stack = vec![n];
        while let Some(k) = stack.pop() {
            let p = &mut self.nodes[k];
            p.rect = p.rect.shifted(dx, dy);
            p.text = Point { x: p.text.x + dx, y: p.text.y + dy };
            stack.extend(self.s.nodes[k].children.iter().copied());
        }
    }

    /// A small box: its text plus padding and border.
    fn chip_size(&self, n: NodeId) -> (i32, i32) {
        (self.text_w(n) + 2 * self.ix(), self.text_h(n) + 2 * self.iy())
    }

    /// Lay small boxes out in rows at (x, y) within `width`; returns the height used.
    fn flow_chips(&mut self, chips: &[NodeId], x: i32, y: i32, width: i32) -> i32 {
        let sizes: Vec<(i32, i32)> = chips.iter().map(|&c| self.chip_size(c)).collect();
        let (pos, _, h) = flow(&sizes, width, self.m.gap_x, self.m.gap_y);
        for ((&c, &(w, ch)), (ox, oy)) in chips.iter().zip(&sizes).zip(pos) {
            self.set(c, x + ox, y + oy, w, ch);
        }
        h
    }

    fn subnet_min_w(&self, n: NodeId) -> i32 {
        let chips = self.s.nodes[n].children.iter().map(|&c| self.chip_size(c).0).max().unwrap_or(0);
        self.text_w(n).max(chips) + 2 * self.ix()
    }

    /// Place a subnet at (x, y), `w` wide; returns its height.
    fn place_subnet(&mut self, n: NodeId, x: i32, y: i32, w: i32) -> i32 {
        let chips = self.s.nodes[n].children.clone();
        let top = self.iy() + self.text_h(n);
        let chips_h = if chips.is_empty() {
            0
        } else {
            self.sep() + self.flow_chips(&chips, x + self.ix(), y + top + self.sep(), w - 2 * self.ix())
        };
        let h = top + chips_h + self.iy();
        self.set(n, x, y, w, h);
        h
    }

    /// Place an AZ column at (x, y), `w` wide, its subnets `sw` wide; returns its height.
    fn place_az(&mut self, n: NodeId, x: i32, y: i32, w: i32, sw: i32) -> i32 {
        let mut cy = y + self.iy() + self.text_h(n) + self.sep();
        let subnets = self.s.nodes[n].children.clone();
        for (i, s) in subnets.into_iter().enumerate() {
            if i > 0 {
                cy += self.m.gap_y;
            }
            cy += self.place_subnet(s, x + self.ix(), cy, sw);
        }
        let h = cy + self.iy() - y;
        self.set(n, x, y, w, h);
        h
    }

    /// Place a VPC with its top-left corner at (0, 0); its border gateways reach above 0 by
    /// the returned `up`. Returns (width, height, up).
    fn place_vpc(&mut self, n: NodeId) -> (i32, i32, i32) {
        let kids = self.s.nodes[n].children.clone();
        let (border, azs): (Vec<NodeId>, Vec<NodeId>) =
            kids.into_iter().partition(|&c| self.s.nodes[c].kind.placement() == Placement::Border);
        let chip_h = border.iter().map(|&c| self.chip_size(c).1).max().unwrap_or(0);
        let (up, down) = (chip_h / 2, chip_h - chip_h / 2);
        let top = down.max(self.m.border) + self.m.pad_y;
        // Every subnet of the VPC gets the same width, so the AZ columns line up.
        let sw = azs
            .iter()
            .flat_map(|&a| self.s.nodes[a].children.iter().map(|&s| self.subnet_min_w(s)).collect::<Vec<_>>())
            .max()
            .unwrap_or(0);
        let az_w = azs.iter().map(|&a| (self.text_w(a) + 2 * self.ix()).max(sw + 2 * self.ix())).max().unwrap_or(0);
        let sw = az_w - 2 * self.ix();
        let content_y = top + self.text_h(n) + self.sep();
        let mut x = self.ix();
        let mut az_h = 0;
        for &a in &azs {
            az_h = az_h.max(self.place_az(a, x, content_y, az_w, sw));
            x += az_w + self.m.gap_x;
        }
        for &a in &azs {
            self.nodes[a].rect.h = az_h;
        }
        let cols_w = if azs.is_empty() { 0 } else { x - self.m.gap_x - self.ix() };
        // Gateways astride the top edge, left to right after a border's width.
        let mut gx = self.ix() + self.m.char_w;
        for &g in &border {
            let (w, h) = self.chip_size(g);
            self.set(g, gx, -up, w, h);
            gx += w + self.m.gap_x;
        }
        let chips_w = if border.is_empty() { 0 } else { gx - self.m.gap_x + self.ix() };
        let w = (self.text_w(n) + 2 * self.ix()).max(cols_w + 2 * self.ix()).max(chips_w);
        let h = if azs.is_empty() { top + self.text_h(n) + self.iy() } else { content_y + az_h + self.iy() };
        self.set(n, 0, 0, w, h);
        self.nodes[n].text.y = top;
        (w, h, up)
    }

    /// Place a VPC and the boxes drawn under it (gateway endpoints) with the slot's top-left
    /// at (0, 0). Returns the slot's size.
    fn place_slot(&mut self, vpc: NodeId, near: &[NodeId]) -> (i32, i32) {
        let (w, h, up) = self.place_vpc(vpc);
        self.shift(vpc, 0, up);
        let mut slot_h = up + h;
        if !near.is_empty() {
            let y = slot_h + self.m.gap_y;
            slot_h = y + self.flow_chips(near, 0, y, w);
        }
        let slot_w = near.iter().map(|&c| self.nodes[c].rect.right()).max().unwrap_or(0).max(w);
        (slot_w, slot_h)
    }

    /// Place a region with its top-left at (0, 0), wrapping VPCs at `wrap` (the region's
    /// outer width) when given. Returns its size.
    fn place_region(&mut self, r: NodeId, wrap: Option<i32>) -> (i32, i32) {
        let kids = self.s.nodes[r].children.clone();
        let vpcs: Vec<NodeId> = kids
            .iter()
            .copied()
            .filter(|&c| matches!(self.s.nodes[c].kind, NodeKind::Vpc | NodeKind::ExternalVpc))
            .collect();
        let mut near: std::collections::HashMap<NodeId, Vec<NodeId>> = std::collections::HashMap::new();
        let mut loose: Vec<NodeId> = Vec::new();
        for &c in &kids {
            match self.s.nodes[c].near {
                Some(v) => near.entry(v).or_default().push(c),
                None if !matches!(self.s.nodes[c].kind, NodeKind::Vpc | NodeKind::ExternalVpc) => loose.push(c),
                None => {}
            }
        }
        let slots: Vec<(i32, i32)> =
            vpcs.iter().map(|&v| self.place_slot(v, near.get(&v).map(Vec::as_slice).unwrap_or(&[]))).collect();
        let inner = match wrap {
            Some(w) => w - 2 * self.ix(),
            None if slots.is_empty() => 0,
            None => {
                // About twice as wide as high: with n slots of mean size w × h in c columns,
                // c·w = 2·(n/c)·h gives c = sqrt(2·n·h/w).
                let n = slots.len() as f64;
                let mean_w = slots.iter().map(|s| f64::from(s.0 + self.m.gap_x)).sum::<f64>() / n;
                let mean_h = slots.iter().map(|s| f64::from(s.1 + self.m.gap_y)).sum::<f64>() / n;
                let cols = (2.0 * n * mean_h / mean_w).sqrt().ceil().clamp(1.0, n);
                (cols * mean_w) as i32
            }
        };
        let inner = inner.max(slots.iter().map(|s| s.0).max().unwrap_or(0));
        let (pos, rows_w, rows_h) = flow(&slots, inner, self.m.gap_x, self.m.gap_y);
        let top = self.iy() + self.text_h(r) + self.sep();
        for (i, &v) in vpcs.iter().enumerate() {
            let (ox, oy) = pos[i];
            self.shift(v, self.ix() + ox, top + oy);
            for &c in near.get(&v).map(Vec::as_slice).unwrap_or(&[]) {
                self.shift(c, self.ix() + ox, top + oy);
            }
        }
        let mut h = top + rows_h;
        let mut w = rows_w;
        if !loose.is_empty() {
            let y = if vpcs.is_empty() { top } else { h + self.m.gap_y };
            h = y + self.flow_chips(&loose, self.ix(), y, inner);
            w = w.max(loose.iter().map(|&c| self.nodes[c].rect.right() - self.ix()).max().unwrap_or(0));
        }
        let w = (w + 2 * self.ix()).max(self.text_w(r) + 2 * self.ix());
        let h = h + self.iy();
        self.set(r, 0, 0, w, h);
        (w, h)
    }

    /// Things outside AWS in a row on top, then the regions one under the other.
    fn place_roots(&mut self, wrap: Option<i32>) -> (i32, i32) {
        let m = self.m.margin;
        let roots = self.s.roots.clone();
        let (regions, outside): (Vec<NodeId>, Vec<NodeId>) =
            roots.into_iter().partition(|&r| self.s.nodes[r].kind == NodeKind::Region);
        let region_wrap = wrap.map(|w| (w - 2 * m).max(1));
        let mut y = m;
        let mut right = 0;
        if !outside.is_empty() {
            let row = region_wrap.unwrap_or(i32::MAX);
            y += self.flow_chips(&outside, m, m, row) + self.m.gap_y;
            right = outside.iter().map(|&c| self.nodes[c].rect.right()).max().unwrap_or(0);
        }
        for (i, &r) in regions.iter().enumerate() {
            if i > 0 {
                y += self.m.gap_y;
            }
            let (w, h) = self.place_region(r, region_wrap);
            // Moves everything in the region, the gateway endpoints (its children) included.
            self.shift(r, m, y);
            y += h;
            right = right.max(m + w);
        }
        (right + m, y + m)
    }
}

/// How far from a box a line's crossing runs: half a gap, at least one unit.
fn lane(m: &Metrics) -> i32 {
    (m.gap_y / 2).max(1)
}

/// An orthogonal route from the side of `a` facing `b` to the side of `b` facing `a`.
fn route(a: Rect, b: Rect, lane: i32) -> Vec<Point> {
    let (ca, cb) = (a.center(), b.center());
    // One above the other: leave and enter through top and bottom; side by side: through the
    // sides.
    let mut pts = if a.bottom() <= b.y || b.bottom() <= a.y {
        let (ay, by) = if a.bottom() <= b.y { (a.bottom(), b.y) } else { (a.y, b.bottom()) };
        // The crossing runs just above (or below) the lower (upper) box, in the gap between
        // rows rather than through the boxes in between.
        let my = if a.bottom() <= b.y { (by - lane).max((ay + by) / 2) } else { (by + lane).min((ay + by) / 2) };
        vec![Point { x: ca.x, y: ay }, Point { x: ca.x, y: my }, Point { x: cb.x, y: my }, Point { x: cb.x, y: by }]
    } else if a.right() <= b.x || b.right() <= a.x {
        let (ax, bx) = if a.right() <= b.x { (a.right(), b.x) } else { (a.x, b.right()) };
        let mx = (ax + bx) / 2;
        vec![Point { x: ax, y: ca.y }, Point { x: mx, y: ca.y }, Point { x: mx, y: cb.y }, Point { x: bx, y: cb.y }]
    } else {
        vec![ca, cb]
    };
    pts.dedup();
    pts
}
