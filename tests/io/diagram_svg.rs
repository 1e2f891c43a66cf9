//! SVG export: every built-in example (and a trace over one) renders with a real SVG renderer
//! (resvg) to an image of the declared size with real content: boxes, lines and text.
//! Set `VPCRAFT_DIAGRAM_PNG_DIR` to keep the PNGs for a look.

use resvg::{tiny_skia, usvg};
use std::sync::OnceLock;
use vpcraft::diagram::{render, DiagramFormat, Filter};
use vpcraft::sim::{TraceIndex, TraceRequest};

fn options() -> &'static usvg::Options<'static> {
    static OPTS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTS.get_or_init(|| {
        let mut o = usvg::Options::default();
        o.fontdb_mut().load_system_fonts();
        o
    })
}

/// What a rendered picture looks like, in numbers.
struct Rendered {
    width: u32,
    height: u32,
    /// Share of pixels that are not (nearly) white.
    inked: f64,
    /// How many pixels are not (nearly) white.
    inked_px: usize,
    /// Variance of the pixels' luminance.
    variance: f64,
    /// Text elements that became glyph outlines.
    texts: usize,
}

fn count_texts(g: &usvg::Group) -> usize {
    g.children()
        .iter()
        .map(|n| match n {
            usvg::Node::Group(g) => count_texts(g),
            usvg::Node::Text(t) => usize::from(!t.flattened().children().is_empty()),
            _ => 0,
        })
        .sum()
}

fn rasterize(name: &str, svg: &str) -> Rendered {
    let tree = usvg::Tree::from_str(svg, options()).unwrap_or_else(|e| panic!("{name}: resvg refuses the SVG: {e}"));
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).expect("a non-empty picture");
    resvg::render(&tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    if let Some(dir) = std::env::var_os("VPCRAFT_DIAGRAM_PNG_DIR") {
        pixmap.save_png(std::path::Path::new(&dir).join(format!("{name}.png"))).unwrap();
    }
    let lum: Vec<f64> = pixmap
        .pixels()
        .iter()
        .map(|p| {
            let c = p.demultiply();
            0.2126 * f64::from(c.red()) + 0.7152 * f64::from(c.green()) + 0.0722 * f64::from(c.blue())
        })
        .collect();
    let n = lum.len() as f64;
    let mean = lum.iter().sum::<f64>() / n;
    let variance = lum.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / n;
    let inked_px = lum.iter().filter(|&&l| l < 235.0).count();
    let inked = inked_px as f64 / n;
    Rendered { width: size.width(), height: size.height(), inked, inked_px, variance, texts: count_texts(tree.root()) }
}

fn declared_size(svg: &str) -> (u32, u32) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    let num = |a: &str| root.attribute(a).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
    (num("width"), num("height"))
}

fn fonts_present() -> bool {
    !options().fontdb.is_empty() || crate::common::skip_unless_ci("no system fonts for resvg to draw the labels with")
}

#[test]
fn every_example_renders_to_a_picture_with_boxes_lines_and_text() {
    let fonts = fonts_present();
    for name in vpcraft::assets::example_names() {
        let d = vpcraft::assets::example(name).unwrap();
        let svg = render(&d, DiagramFormat::Svg, &Filter::default(), None).unwrap().text;
        let (w, h) = declared_size(&svg);
        let r = rasterize(name, &svg);
        assert_eq!((r.width, r.height), (w, h), "{name}: rendered size differs from the declared one");
        assert!(w >= 300 && h >= 200, "{name}: a {w}×{h} picture is too small to show a VPC");
        assert!(r.variance > 100.0, "{name}: the picture is nearly flat (variance {:.1})", r.variance);
        assert!(r.inked > 0.02 && r.inked < 0.8, "{name}: {:.1}% of the pixels are inked", r.inked * 100.0);
        let boxes = d.vpcs.len() + d.subnets.len();
        if fonts {
            assert!(r.texts >= boxes, "{name}: only {} labels became glyphs for {boxes} VPCs and subnets", r.texts);
        }
    }
}

#[test]
fn a_trace_adds_numbered_arrows_to_the_picture() {
    let d = vpcraft::assets::example("endpoint-lab").unwrap();
    let req = TraceRequest::parse(&d, "jhPublicEC2", "jhPrivateEC2", "tcp", Some(22), None).unwrap();
    let result = TraceIndex::new(&d).trace(&req);
    let plain = render(&d, DiagramFormat::Svg, &Filter::default(), None).unwrap().text;
    let traced = render(&d, DiagramFormat::Svg, &Filter::default(), Some(&result)).unwrap().text;
    let doc = roxmltree::Document::parse(&traced).unwrap();
    let hops: Vec<_> =
        doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("hop"))).collect();
    assert!(hops.len() >= 2, "a request and its reply between two subnets: {} arrows", hops.len());
    let badges: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("step"))
        .map(|g| g.descendants().filter(|t| t.has_tag_name("text")).filter_map(|t| t.text()).collect())
        .collect();
    // The arrows' numbers are the trace's own steps: the first hop at the private subnet, and
    // the first hop of the reply back at the public one.
    let arrive = result.forward.iter().find(|h| h.component.id == "acl-0001" && h.step > 4).map(|h| h.step.to_string());
    assert!(badges.contains(&arrive.unwrap()), "{badges:?}");
    for b in &badges {
        let n: u32 = b.parse().unwrap();
        assert!(result.hops().any(|h| h.step == n), "badge {n} is not a step of the trace");
    }
    let a = rasterize("endpoint-lab-plain", &plain);
    let b = rasterize("endpoint-lab-trace", &traced);
    assert!(b.height > a.height, "the steps are listed under the picture");
    assert!(b.inked_px > a.inked_px + 1000, "arrows and the step list add ink");
}

#[test]
fn a_design_with_every_kind_of_box_and_line_renders() {
    for (name, d) in
        [("kitchen-sink", crate::common::kitchen_sink()), ("generated-12", vpcraft::model::gen::generate(12, 7))]
    {
        let svg = render(&d, DiagramFormat::Svg, &Filter::default(), None).unwrap().text;
        let r = rasterize(name, &svg);
        assert_eq!((r.width, r.height), declared_size(&svg), "{name}");
        assert!(r.variance > 100.0 && r.inked > 0.02, "{name}: variance {:.1}, inked {:.3}", r.variance, r.inked);
    }
}

#[test]
fn the_endpoint_lab_svg_is_stable() {
    let d = vpcraft::assets::example("endpoint-lab").unwrap();
    let svg = render(&d, DiagramFormat::Svg, &Filter::default(), None).unwrap().text;
    insta::assert_snapshot!(svg);
}
