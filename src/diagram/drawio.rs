//! The picture as a diagrams.net (draw.io) file: regions, VPCs, AZs and subnets are nested,
//! editable containers (a child's geometry is relative to its container, as draw.io keeps
//! it), gateways and endpoints are shapes inside them, lines are connectors between shapes so
//! they follow when a box is moved. The file is uncompressed `mxfile` XML.

use super::layout::{Layout, Rect};
use super::scene::Scene;
use super::svg::{colours, edge_colour};
use super::text::xml_escape;
use super::TraceOverlay;
use crate::sim::circled;
use std::collections::HashSet;
use std::fmt::Write;

/// The text of a shape: lines joined by `<br>` (draw.io's `html=1` labels), escaped for HTML.
fn label(lines: &[String]) -> String {
    lines.iter().map(|l| xml_escape(l)).collect::<Vec<_>>().join("<br>")
}

/// Render a laid-out scene (in pixel metrics) as a draw.io document.
pub fn render(scene: &Scene, lay: &Layout, trace: Option<TraceOverlay<'_>>) -> String {
    let ids = cell_ids(scene, trace.map_or(0, |t| t.path.legs.len()));
    let mut out = String::with_capacity(512 + scene.nodes.len() * 420 + scene.edges.len() * 300);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<mxfile host=\"vpcraft\" type=\"device\">\n");
    let _ = writeln!(out, "  <diagram id=\"vpcraft\" name=\"{}\">", xml_escape(&scene.title));
    let _ = writeln!(
        out,
        "    <mxGraphModel grid=\"1\" gridSize=\"10\" guides=\"1\" tooltips=\"1\" connect=\"1\" arrows=\"1\" fold=\"1\" page=\"0\" pageScale=\"1\" pageWidth=\"{}\" pageHeight=\"{}\" math=\"0\" shadow=\"0\">",
        lay.width, lay.height
    );
    out.push_str("      <root>\n        <mxCell id=\"0\"/>\n        <mxCell id=\"1\" parent=\"0\"/>\n");
    for n in scene.preorder() {
        let node = &scene.nodes[n];
        let (stroke, fill, dashed) = colours(node.kind);
        let dashed = u8::from(dashed || node.inactive);
        let style = if node.kind.is_group() {
            format!(
                "rounded=0;whiteSpace=wrap;html=1;container=1;collapsible=0;recursiveResize=0;verticalAlign=top;align=left;spacingLeft=6;spacingTop=2;fillColor={fill};strokeColor={stroke};fontColor=#232F3E;dashed={dashed};"
            )
        } else {
            format!(
                "rounded=1;arcSize=12;whiteSpace=wrap;html=1;align=left;spacingLeft=6;fillColor={fill};strokeColor={stroke};fontColor=#232F3E;dashed={dashed};"
            )
        };
        let parent = node.parent.map_or_else(|| "1".to_string(), |p| ids[p].clone());
        // draw.io keeps a child's position relative to its container.
        let origin = node.parent.map(|p| lay.nodes[p].rect).unwrap_or_default();
        let Rect { x, y, w, h } = lay.nodes[n].rect;
        let tip = std::iter::once(format!("{}: {}", node.kind.label(), node.name))
            .chain(node.facts.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n");
        let _ = writeln!(
            out,
            "        <UserObject id=\"{}\" label=\"{}\" tooltip=\"{}\" kind=\"{}\"{}>\n          <mxCell style=\"{}\" vertex=\"1\" parent=\"{}\">\n            <mxGeometry x=\"{}\" y=\"{}\" width=\"{w}\" height=\"{h}\" as=\"geometry\"/>\n          </mxCell>\n        </UserObject>",
            ids[n],
            xml_escape(&label(&lay.nodes[n].lines)),
            xml_escape(&tip),
            node.kind.slug(),
            node.resource.as_deref().map(|r| format!(" resource=\"{}\"", xml_escape(r))).unwrap_or_default(),
            style,
            parent,
            x - origin.x,
            y - origin.y,
        );
    }
    for (i, e) in scene.edges.iter().enumerate() {
        let (colour, dashed) = edge_colour(e.kind);
        let dashed = u8::from(dashed || e.inactive);
        let _ = writeln!(
            out,
            "        <mxCell id=\"edge-{i}\" value=\"{}\" style=\"edgeStyle=orthogonalEdgeStyle;rounded=0;html=1;endArrow=none;strokeColor={colour};strokeWidth=1.5;dashed={dashed};fontColor={colour};\" edge=\"1\" parent=\"1\" source=\"{}\" target=\"{}\">\n          <mxGeometry relative=\"1\" as=\"geometry\"/>\n        </mxCell>",
            xml_escape(&e.label),
            ids[e.from],
            ids[e.to]
        );
    }
    if let Some(t) = trace {
        for (i, leg) in t.path.legs.iter().enumerate() {
            let colour = if leg.reply { "#1D8102" } else { "#D13212" };
            let dashed = u8::from(leg.reply);
            let _ = writeln!(
                out,
                "        <mxCell id=\"step-{i}\" value=\"{}\" style=\"edgeStyle=orthogonalEdgeStyle;rounded=1;html=1;endArrow=block;strokeColor={colour};strokeWidth=2.5;dashed={dashed};fontColor={colour};fontStyle=1;fontSize=14;\" edge=\"1\" parent=\"1\" source=\"{}\" target=\"{}\">\n          <mxGeometry relative=\"1\" as=\"geometry\"/>\n        </mxCell>",
                circled(leg.step),
                ids[leg.from],
                ids[leg.to]
            );
        }
    }
    out.push_str("      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n");
    out
}

/// A cell id per node: the scene key (unique in the scene), escaped for an attribute, with a
/// suffix in the odd case that it equals one of the ids of the file's frame or lines.
fn cell_ids(scene: &Scene, legs: usize) -> Vec<String> {
    let mut taken: HashSet<String> = ["0".to_string(), "1".to_string()].into_iter().collect();
    taken.extend((0..scene.edges.len()).map(|i| format!("edge-{i}")));
    taken.extend((0..legs).map(|i| format!("step-{i}")));
    scene
        .nodes
        .iter()
        .map(|n| {
            let mut id = n.key.clone();
            while taken.contains(&id) {
                id.push('_');
            }
            taken.insert(id.clone());
            xml_escape(&id)
        })
        .collect()
}
