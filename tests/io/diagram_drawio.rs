//! draw.io export: well-formed `mxfile` XML whose shapes are nested containers exactly as the
//! scene nests (region ▸ VPC ▸ AZ ▸ subnet ▸ NAT/endpoint), each child placed inside its
//! container in the container's own coordinates, and connectors between existing shapes.

use roxmltree::{Document, Node};
use std::collections::HashMap;
use vpcraft::diagram::*;
use vpcraft::sim::{TraceIndex, TraceRequest};

/// A shape of the file: its kind, parent cell, geometry and container flag.
#[derive(Debug)]
struct Shape {
    kind: String,
    parent: String,
    label: String,
    container: bool,
    geo: (f64, f64, f64, f64),
}

fn shapes(doc: &Document) -> HashMap<String, Shape> {
    let num = |n: Node, a: &str| n.attribute(a).map_or(0.0, |v| v.parse::<f64>().unwrap());
    doc.descendants()
        .filter(|n| n.has_tag_name("UserObject"))
        .map(|o| {
            let cell = o.children().find(|c| c.has_tag_name("mxCell")).expect("an object wraps a cell");
            assert_eq!(cell.attribute("vertex"), Some("1"));
            let g = cell.children().find(|c| c.has_tag_name("mxGeometry")).expect("a geometry");
            let shape = Shape {
                kind: o.attribute("kind").unwrap().to_string(),
                parent: cell.attribute("parent").unwrap().to_string(),
                label: o.attribute("label").unwrap().to_string(),
                container: cell.attribute("style").unwrap().contains("container=1"),
                geo: (num(g, "x"), num(g, "y"), num(g, "width"), num(g, "height")),
            };
            (o.attribute("id").unwrap().to_string(), shape)
        })
        .collect()
}

fn check(name: &str, d: &vpcraft::model::Design, trace: Option<&vpcraft::sim::TraceResult>) {
    let xml = render(d, DiagramFormat::Drawio, &Filter::default(), trace).unwrap().text;
    let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("{name}: not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "mxfile");
    let model = doc.descendants().find(|n| n.has_tag_name("mxGraphModel")).expect("a graph model");
    assert!(model.children().any(|n| n.has_tag_name("root")));
    let shapes = shapes(&doc);
    let scene = Scene::build(d, &Filter::default()).unwrap();
    assert_eq!(shapes.len(), scene.nodes.len(), "{name}: one shape per box");
    for n in &scene.nodes {
        let s = shapes.get(&n.key).unwrap_or_else(|| panic!("{name}: no shape {}", n.key));
        assert_eq!(s.kind, n.kind.slug(), "{name}: {}", n.key);
        assert_eq!(s.container, n.kind.is_group(), "{name}: {} container flag", n.key);
        assert!(
            s.label.contains(&n.name.chars().take(10).collect::<String>()),
            "{name}: {} label {:?}",
            n.key,
            s.label
        );
        let parent = n.parent.map_or("1".to_string(), |p| scene.nodes[p].key.clone());
        assert_eq!(s.parent, parent, "{name}: {} is in the wrong container", n.key);
        // Inside the container, in its coordinates (border gateways reach above the top edge).
        if let Some(p) = n.parent.map(|p| &shapes[&scene.nodes[p].key]) {
            let (x, y, w, h) = s.geo;
            let (_, _, pw, ph) = p.geo;
            let top = if n.kind.placement() == Placement::Border { -h } else { 0.0 };
            assert!(
                x >= 0.0 && x + w <= pw && y >= top && y + h <= ph,
                "{name}: {} {:?} outside {:?}",
                n.key,
                s.geo,
                p.geo
            );
        }
    }
    // The nesting is the containment: subnet ▸ AZ ▸ VPC ▸ region.
    for (id, s) in shapes.iter().filter(|(_, s)| s.kind.starts_with("subnet-")) {
        let az = &shapes[&s.parent];
        let vpc = &shapes[&az.parent];
        let region = &shapes[&vpc.parent];
        assert_eq!(
            (az.kind.as_str(), vpc.kind.as_str(), region.kind.as_str()),
            ("az", "vpc", "region"),
            "{name}: {id}"
        );
    }
    // Connectors join shapes that exist.
    let edges: Vec<Node> = doc.descendants().filter(|n| n.attribute("edge") == Some("1")).collect();
    for e in &edges {
        for end in ["source", "target"] {
            let id = e.attribute(end).unwrap();
            assert!(shapes.contains_key(id), "{name}: a connector's {end} {id} is not a shape");
        }
    }
    let legs = trace.map_or(0, |t| place_trace(&scene, d, t).legs.len());
    assert_eq!(edges.len(), scene.edges.len() + legs, "{name}: connectors");
}

#[test]
fn every_example_is_nested_containers() {
    for name in vpcraft::assets::example_names() {
        check(name, &vpcraft::assets::example(name).unwrap(), None);
    }
    check("kitchen-sink", &crate::common::kitchen_sink(), None);
    check("generated", &vpcraft::model::gen::generate(10, 4), None);
}

#[test]
fn a_trace_becomes_numbered_connectors() {
    let d = vpcraft::assets::example("endpoint-lab").unwrap();
    let req = TraceRequest::parse(&d, "jhPublicEC2", "jhPrivateEC2", "tcp", Some(22), None).unwrap();
    let r = TraceIndex::new(&d).trace(&req);
    check("endpoint-lab trace", &d, Some(&r));
    let xml = render(&d, DiagramFormat::Drawio, &Filter::default(), Some(&r)).unwrap().text;
    let doc = Document::parse(&xml).unwrap();
    let steps: Vec<(&str, &str, &str)> = doc
        .descendants()
        .filter(|n| n.attribute("id").is_some_and(|i| i.starts_with("step-")))
        .map(|n| (n.attribute("value").unwrap(), n.attribute("source").unwrap(), n.attribute("target").unwrap()))
        .collect();
    assert_eq!(steps, [("⑤", "subnet-0001", "subnet-0002"), ("⑪", "subnet-0002", "subnet-0001")]);
}

#[test]
fn names_and_ids_with_xml_specials_stay_well_formed() {
    let mut d = vpcraft::assets::example("endpoint-lab").unwrap();
    d.name = "a <b> & \"c\" 'd'\u{1}".into();
    d.vpcs[0].name = "<vpc> & </mxfile>".into();
    d.subnets[0].name = "]]> <!-- \u{7} -->".into();
    d.subnets[1].id = "1".into();
    for e in d.network_interfaces.iter_mut().filter(|e| e.subnet == "subnet-0002") {
        e.subnet = "1".into();
    }
    let xml = render(&d, DiagramFormat::Drawio, &Filter::default(), None).unwrap().text;
    let doc = Document::parse(&xml).unwrap();
    let s = shapes(&doc);
    assert!(
        s.values().any(|x| x.label.contains("&lt;vpc&gt; &amp; &lt;/mxfile&gt;")),
        "labels are HTML, escaped once more for XML"
    );
    // A subnet whose id is draw.io's own layer id "1" gets another cell id.
    let ids: Vec<&String> = s.keys().collect();
    assert!(!ids.iter().any(|i| *i == "1" || *i == "0"), "{ids:?}");
    assert!(s.values().filter(|x| x.kind.starts_with("subnet-")).count() == 2);
}
