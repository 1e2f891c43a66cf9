//! The picture as a Mermaid `flowchart`: regions, VPCs, AZs and subnets that hold something
//! are subgraphs, everything else a node, the scene's lines are links, and a trace's legs
//! are thick numbered arrows. Mermaid lays it out itself; the text follows the scene's order,
//! so the same design gives the same text.

use super::scene::{EdgeKind, NodeId, NodeKind, Scene};
use super::svg::{colours, edge_colour};
use super::TraceOverlay;
use crate::sim::circled;
use std::collections::HashSet;
use std::fmt::Write;

/// Mermaid's default `maxTextSize`: longer text is refused by renderers with default settings.
pub const MAX_TEXT_SIZE: usize = 50_000;
/// Mermaid's default `maxEdges`.
pub const MAX_EDGES: usize = 500;

/// Words a Mermaid node id must not be.
const RESERVED: &[&str] = &[
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "class",
    "classDef",
    "click",
    "linkStyle",
    "direction",
    "default",
];

/// Text for a quoted Mermaid label: quotes, `#` and angle brackets as Mermaid entity codes,
/// lines joined with `<br/>`.
fn quoted(lines: &[String]) -> String {
    let esc = |s: &str| {
        let mut o = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '"' => o.push_str("#quot;"),
                '#' => o.push_str("#35;"),
                '<' => o.push_str("#lt;"),
                '>' => o.push_str("#gt;"),
                '\n' | '\r' => o.push(' '),
                c => o.push(c),
            }
        }
        o
    };
    format!("\"{}\"", lines.iter().map(|l| esc(l)).collect::<Vec<_>>().join("<br/>"))
}

/// A Mermaid id per node: the scene key with every character other than letters, digits and
/// `_` made `_`, starting with a letter, not a keyword, unique.
pub fn node_ids(scene: &Scene) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    scene
        .nodes
        .iter()
        .map(|n| {
            let mut id: String = n.key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
            if !id.starts_with(|c: char| c.is_ascii_alphabetic())
                || RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&id))
            {
                id.insert_str(0, "n_");
            }
            while taken.contains(&id) {
                id.push('_');
            }
            taken.insert(id.clone());
            id
        })
        .collect()
}

/// The label lines of a node: its kind and name, then its facts.
fn lines(scene: &Scene, n: NodeId) -> Vec<String> {
    let node = &scene.nodes[n];
    let first = match node.kind {
        NodeKind::AvailabilityZone | NodeKind::Internet | NodeKind::AwsServices | NodeKind::Subnet(_) => {
            node.name.clone()
        }
        k => format!("{} {}", k.short(), node.name),
    };
    std::iter::once(first).chain(node.facts.iter().cloned()).collect()
}

/// A node's shape around its label.
fn shape(kind: NodeKind, label: &str) -> String {
    match kind {
        NodeKind::InternetGateway | NodeKind::EgressOnlyInternetGateway | NodeKind::VpnGateway => {
            format!("{{{{{label}}}}}")
        }
        NodeKind::InterfaceEndpoint | NodeKind::GatewayEndpoint | NodeKind::NatGateway => format!("([{label}])"),
        NodeKind::Internet | NodeKind::AwsServices => format!("(({label}))"),
        NodeKind::TransitGateway => format!("[[{label}]]"),
        _ => format!("[{label}]"),
    }
}

/// Render a scene (and a trace's legs) as Mermaid flowchart text.
pub fn render(scene: &Scene, trace: Option<TraceOverlay<'_>>) -> String {
    let ids = node_ids(scene);
    let mut out = String::with_capacity(256 + scene.nodes.len() * 80 + scene.edges.len() * 40);
    let _ = writeln!(out, "%% vpcraft: {}", scene.title.replace('\n', " "));
    out.push_str("flowchart TB\n");
    let mut stack: Vec<(NodeId, usize, bool)> = scene.roots.iter().rev().map(|&r| (r, 1, false)).collect();
    while let Some((n, depth, closing)) = stack.pop() {
        let pad = "  ".repeat(depth);
        if closing {
            let _ = writeln!(out, "{pad}end");
            continue;
        }
        let node = &scene.nodes[n];
        let label = quoted(&lines(scene, n));
        if node.children.is_empty() {
            let _ = writeln!(out, "{pad}{}{}", ids[n], shape(node.kind, &label));
        } else {
            let _ = writeln!(out, "{pad}subgraph {}[{label}]", ids[n]);
            stack.push((n, depth, true));
            stack.extend(node.children.iter().rev().map(|&c| (c, depth + 1, false)));
        }
    }
    let mut styles: Vec<(String, Vec<usize>)> = Vec::new();
    let mut link = 0usize;
    for e in &scene.edges {
        let (a, b) = (&ids[e.from], &ids[e.to]);
        let arrow = match (e.kind, e.inactive) {
            (EdgeKind::Peering, false) => "<-->",
            (EdgeKind::Peering, true) => "<-.->",
            (EdgeKind::EndpointRoute, _) | (_, true) => "-.-",
            _ => "---",
        };
        if e.label.is_empty() {
            let _ = writeln!(out, "  {a} {arrow} {b}");
        } else {
            let _ = writeln!(out, "  {a} {arrow}|{}| {b}", quoted(std::slice::from_ref(&e.label)));
        }
        let colour = edge_colour(e.kind).0;
        push_style(&mut styles, format!("stroke:{colour}"), link);
        link += 1;
    }
    if let Some(t) = trace {
        for leg in &t.path.legs {
            let _ = writeln!(out, "  {} ==>|\"{}\"| {}", ids[leg.from], circled(leg.step), ids[leg.to]);
            let colour = if leg.reply { "#1D8102" } else { "#D13212" };
            push_style(&mut styles, format!("stroke:{colour},stroke-width:3px,color:{colour}"), link);
            link += 1;
        }
    }
    for (style, links) in &styles {
        let list: Vec<String> = links.iter().map(usize::to_string).collect();
        let _ = writeln!(out, "  linkStyle {} {style}", list.join(","));
    }
    // One class per kind of box, in the AWS diagram colours.
    let mut used: Vec<NodeKind> = Vec::new();
    for n in &scene.nodes {
        if !used.contains(&n.kind) {
            used.push(n.kind);
        }
    }
    for k in used {
        let (stroke, fill, dashed) = colours(k);
        let dash = if dashed { ",stroke-dasharray:5 4" } else { "" };
        let class = k.slug().replace('-', "_");
        let _ = writeln!(out, "  classDef {class} fill:{fill},stroke:{stroke},color:#232F3E{dash}");
        let members: Vec<&str> =
            scene.nodes.iter().enumerate().filter(|(_, n)| n.kind == k).map(|(i, _)| ids[i].as_str()).collect();
        for chunk in members.chunks(200) {
            let _ = writeln!(out, "  class {} {class}", chunk.join(","));
        }
    }
    out
}

fn push_style(styles: &mut Vec<(String, Vec<usize>)>, style: String, link: usize) {
    match styles.iter_mut().find(|(s, _)| *s == style) {
        Some((_, v)) => v.push(link),
        None => styles.push((style, vec![link])),
    }
}

/// A note when the text is past what Mermaid renders with its default settings.
pub fn limits_note(chars: usize, links: usize) -> Option<String> {
    (chars > MAX_TEXT_SIZE || links > MAX_EDGES).then(|| {
        format!(
            "the Mermaid text has {chars} characters and {links} links; renderers with default settings refuse more than {MAX_TEXT_SIZE} characters or {MAX_EDGES} links (raise maxTextSize/maxEdges, or draw less with --vpc/--region)"
        )
    })
}
