//! Pictures of a design: the topology as nested boxes (Region ▸ VPC ▸ AZ ▸ subnet), with
//! gateways, endpoints, transit gateways and the lines between VPCs, optionally with a trace's
//! path drawn over it.
//!
//! Three steps, each a pure function:
//! 1. [`Scene::build`] — what to draw: boxes and lines, from the design and a [`Filter`].
//! 2. [`layout`] — where: rectangles and routes in abstract units ([`Metrics::PIXELS`] for
//!    files, [`Metrics::CELLS`] for a terminal grid); [`layout_to_fit`] drops to names only
//!    when the full picture does not fit a width.
//! 3. [`place_trace`] — a [`TraceResult`](crate::sim::TraceResult) on the scene: the box each
//!    hop happened at and the legs between boxes.
//!
//! Renderers turn those into SVG ([`svg`]), draw.io XML ([`drawio`]) and Mermaid ([`mermaid`]).
//! This module sits beside `sim` and `io` and knows nothing about terminals.

pub mod drawio;
pub mod layout;
pub mod mermaid;
pub mod path;
pub mod scene;
pub mod svg;
pub mod text;

pub use layout::{layout, layout_to_fit, Detail, Layout, Metrics, Options, Placed, Point, Rect};
pub use path::{place_trace, Leg, StepAt, TracePath};
pub use scene::{Edge, EdgeId, EdgeKind, Filter, Node, NodeId, NodeKind, Placement, Scene};

use crate::model::Design;
use crate::sim::TraceResult;

/// The picture formats `vpcraft export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagramFormat {
    /// An SVG image.
    Svg,
    /// A diagrams.net (draw.io) file with editable, nested containers.
    Drawio,
    /// A Mermaid `flowchart` with subgraphs.
    Mermaid,
}

impl DiagramFormat {
    /// The file extension the format is usually saved with.
    pub fn extension(self) -> &'static str {
        match self {
            DiagramFormat::Svg => "svg",
            DiagramFormat::Drawio => "drawio",
            DiagramFormat::Mermaid => "mmd",
        }
    }
}

/// A rendered picture and what it leaves out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picture {
    pub text: String,
    /// One sentence per thing not drawn.
    pub notes: Vec<String>,
}

/// A trace to draw: the engine's result and where its hops are on the scene.
#[derive(Debug, Clone, Copy)]
pub struct TraceOverlay<'a> {
    pub result: &'a TraceResult,
    pub path: &'a TracePath,
}

/// Draw a design (the part `filter` selects) in a format, with a trace's path if given.
pub fn render(
    d: &Design,
    format: DiagramFormat,
    filter: &Filter,
    trace: Option<&TraceResult>,
) -> Result<Picture, String> {
    let scene = Scene::build(d, filter)?;
    let path = trace.map(|t| place_trace(&scene, d, t));
    let overlay = trace.zip(path.as_ref()).map(|(result, path)| TraceOverlay { result, path });
    let mut notes = scene.notes.clone();
    if let Some(o) = &overlay {
        let outside: Vec<String> = o.path.unplaced().map(|s| crate::sim::circled(s.step)).collect();
        if !outside.is_empty() {
            notes.push(format!("trace steps {} happen outside the picture and are listed only", outside.join(" ")));
        }
    }
    let text = match format {
        DiagramFormat::Svg => svg::render(&scene, &layout(&scene, &Options::pixels()), overlay),
        DiagramFormat::Drawio => drawio::render(&scene, &layout(&scene, &Options::pixels()), overlay),
        DiagramFormat::Mermaid => {
            let out = mermaid::render(&scene, overlay);
            let links = scene.edges.len() + path.as_ref().map_or(0, |p| p.legs.len());
            notes.extend(mermaid::limits_note(out.len(), links));
            out
        }
    };
    Ok(Picture { text, notes })
}
