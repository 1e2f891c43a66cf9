//! Mermaid export: the text parses with Mermaid's own parser (the `mermaid` npm package under
//! node, installed by `.ci/run` into tests/tools/mermaid) into exactly the scene's subgraph
//! tree, nodes and links — for every built-in example, a design with every kind of box, a
//! trace, and names full of Mermaid's special characters.

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use vpcraft::diagram::mermaid::node_ids;
use vpcraft::diagram::*;
use vpcraft::sim::{TraceIndex, TraceRequest};

const TOOL: &str = "tests/tools/mermaid";

/// Mermaid's reading of the text, or `None` (after `skip_unless_ci`) when node or the parser
/// is not installed.
fn mermaid_parse(text: &str) -> Option<Result<Value, String>> {
    let installed = Path::new(TOOL).join("node_modules/mermaid/package.json").is_file()
        && Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !installed {
        crate::common::skip_unless_ci(&format!("Mermaid's parser is not installed (npm ci --prefix {TOOL})"));
        return None;
    }
    let mut child = Command::new("node")
        .arg(Path::new(TOOL).join("parse.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Some(if out.status.success() {
        Ok(serde_json::from_slice(&out.stdout).expect("the parser prints JSON"))
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

/// What Mermaid must find: subgraph id → member ids, the nodes (boxes without children, and
/// subgraphs that a link starts or ends at, which Mermaid lists as nodes too), the links.
fn expected(s: &Scene, path: Option<&TracePath>) -> (BTreeMap<String, Vec<String>>, Vec<String>, usize) {
    let ids = node_ids(s);
    let mut groups = BTreeMap::new();
    let mut nodes = std::collections::BTreeSet::new();
    for (i, n) in s.nodes.iter().enumerate() {
        if n.children.is_empty() {
            nodes.insert(ids[i].clone());
        } else {
            groups.insert(ids[i].clone(), n.children.iter().map(|&c| ids[c].clone()).collect());
        }
    }
    let legs = path.map_or(&[][..], |p| p.legs.as_slice());
    let ends = s.edges.iter().flat_map(|e| [e.from, e.to]).chain(legs.iter().flat_map(|l| [l.from, l.to]));
    nodes.extend(ends.map(|n| ids[n].clone()));
    (groups, nodes.into_iter().collect(), s.edges.len() + legs.len())
}

fn assert_parses_as_scene(name: &str, d: &vpcraft::model::Design, trace: Option<&vpcraft::sim::TraceResult>) {
    let scene = Scene::build(d, &Filter::default()).unwrap();
    let path = trace.map(|t| place_trace(&scene, d, t));
    let text = render(d, DiagramFormat::Mermaid, &Filter::default(), trace).unwrap().text;
    let Some(parsed) = mermaid_parse(&text) else { return };
    let v = parsed.unwrap_or_else(|e| panic!("{name}: Mermaid refuses the text: {e}\n{text}"));
    assert_eq!(v["type"], "flowchart-v2", "{name}");
    let (groups, nodes, links) = expected(&scene, path.as_ref());
    let got: BTreeMap<String, Vec<String>> = v["subgraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let members = g["nodes"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect();
            (g["id"].as_str().unwrap().to_string(), members)
        })
        .collect();
    assert_eq!(got, groups, "{name}: subgraphs");
    let mut got_nodes: Vec<String> =
        v["nodes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
    got_nodes.sort();
    assert_eq!(got_nodes, nodes, "{name}: nodes");
    assert_eq!(v["links"].as_array().unwrap().len(), links, "{name}: links");
}

#[test]
fn every_example_parses_into_its_region_vpc_zone_subnet_tree() {
    for name in vpcraft::assets::example_names() {
        assert_parses_as_scene(name, &vpcraft::assets::example(name).unwrap(), None);
    }
}

#[test]
fn every_kind_of_box_and_line_parses() {
    assert_parses_as_scene("kitchen-sink", &crate::common::kitchen_sink(), None);
    assert_parses_as_scene("generated", &vpcraft::model::gen::generate(8, 2), None);
}

#[test]
fn a_trace_adds_numbered_links() {
    let d = vpcraft::assets::example("endpoint-lab").unwrap();
    let req = TraceRequest::parse(&d, "jhPublicEC2", "jhPrivateEC2", "tcp", Some(22), None).unwrap();
    let r = TraceIndex::new(&d).trace(&req);
    assert_parses_as_scene("endpoint-lab trace", &d, Some(&r));
    let text = render(&d, DiagramFormat::Mermaid, &Filter::default(), Some(&r)).unwrap().text;
    assert!(text.contains("subnet_0001 ==>|\"⑤\"| subnet_0002"), "{text}");
    assert!(text.contains("subnet_0002 ==>|\"⑪\"| subnet_0001"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn names_with_mermaid_syntax_in_them_stay_labels() {
    let mut d = vpcraft::assets::example("privatelink-lab").unwrap();
    let nasty =
        ["end", "a\"b\"c", "x]y[z", "#1 <b>bold</b>", "subgraph", "((o))", "|pipe|", "서울 %% 주석", "graph TD"];
    for (i, n) in nasty.iter().enumerate() {
        match i % 3 {
            0 => d.subnets.get_mut(i / 3).map(|s| s.name = n.to_string()),
            1 => d.vpcs.get_mut(i / 3).map(|v| v.name = n.to_string()),
            _ => d.internet_gateways.get_mut(i / 3).map(|g| g.name = n.to_string()),
        };
    }
    d.vpcs[0].id = "end".into();
    for s in d.subnets.iter_mut().filter(|s| s.vpc == "vpc-0001") {
        s.vpc = "end".into();
    }
    for g in d.internet_gateways.iter_mut().filter(|g| g.vpc.as_deref() == Some("vpc-0001")) {
        g.vpc = Some("end".into());
    }
    assert_parses_as_scene("hostile names", &d, None);
}
