//! `vpcraft export --to svg|drawio|mermaid` through the binary: the flags of issue 18
//! (`--trace FROM TO [--port N]`, `--vpc`, `--region`, `-o`), their errors, and that the
//! infrastructure-code exports refuse the picture-only flags.

use std::process::Command;

fn vpcraft(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("run vpcraft");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

const KITCHEN: &str = "tests/golden/designs/kitchen-sink.ron";

#[test]
fn each_picture_format_goes_to_standard_output() {
    let (code, svg, err) = vpcraft(&["export", "example:custom-vpc", "--to", "svg"]);
    assert_eq!(code, 0, "{err}");
    assert!(svg.starts_with("<?xml") && svg.contains("<svg ") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("my-pub-2a") && svg.contains("10.39.0.0/20"));
    let (code, xml, _) = vpcraft(&["export", "example:custom-vpc", "--to", "drawio"]);
    assert_eq!(code, 0);
    assert!(xml.contains("<mxfile") && xml.contains("container=1"));
    let (code, mmd, _) = vpcraft(&["export", "example:custom-vpc", "--to", "mermaid"]);
    assert_eq!(code, 0);
    assert!(mmd.contains("flowchart TB") && mmd.contains("subgraph vpc_0001"));
}

#[test]
fn output_goes_to_a_file_with_o() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("map.drawio");
    let (code, out, err) = vpcraft(&["export", "example:endpoint-lab", "--to", "drawio", "-o", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("wrote"));
    assert!(std::fs::read_to_string(&path).unwrap().contains("jhPublicSN"));
}

#[test]
fn a_trace_is_drawn_with_the_trace_engines_step_numbers() {
    let (code, mmd, err) = vpcraft(&[
        "export",
        "example:endpoint-lab",
        "--to",
        "mermaid",
        "--trace",
        "jhPublicEC2",
        "jhPrivateEC2",
        "--port",
        "22",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(mmd.contains("==>|\"⑤\"|"), "{mmd}");
    let (code, svg, err) = vpcraft(&[
        "export",
        "example:endpoint-lab",
        "--to",
        "svg",
        "--trace",
        "jhPublicEC2",
        "jhPrivateEC2",
        "--port",
        "22",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(svg.contains("class=\"hop\"") && svg.contains("delivered (ACCEPTED)"));
    // The same flow's own trace numbers the same steps.
    let (_, text, _) =
        vpcraft(&["trace", "example:endpoint-lab", "--from", "jhPublicEC2", "--to", "jhPrivateEC2", "--port", "22"]);
    assert!(text.contains(" ⑤ network-acl"), "{text}");
}

#[test]
fn trace_mistakes_are_errors() {
    let (code, _, err) =
        vpcraft(&["export", "example:endpoint-lab", "--to", "svg", "--trace", "jhPublicEC2", "jhPrivateEC2"]);
    assert_eq!(code, 2);
    assert!(err.contains("--port"), "{err}");
    let (code, _, err) = vpcraft(&[
        "export",
        "example:endpoint-lab",
        "--to",
        "svg",
        "--trace",
        "nobody",
        "jhPrivateEC2",
        "--port",
        "22",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("nobody"), "{err}");
    let (code, _, err) = vpcraft(&["export", "example:endpoint-lab", "--to", "svg", "--trace", "jhPublicEC2"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = vpcraft(&[
        "export",
        "example:endpoint-lab",
        "--to",
        "terraform",
        "--trace",
        "jhPublicEC2",
        "jhPrivateEC2",
        "--port",
        "22",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("pictures only"), "{err}");
}

#[test]
fn vpc_and_region_restrict_the_picture() {
    let (code, all, err) = vpcraft(&["export", KITCHEN, "--to", "mermaid"]);
    assert_eq!(code, 0, "{err}");
    assert!(all.contains("subgraph region_ap_northeast_1") && all.contains("subgraph region_ap_northeast_2"));
    let (code, tokyo, err) = vpcraft(&["export", KITCHEN, "--to", "mermaid", "--region", "ap-northeast-1"]);
    assert_eq!(code, 0, "{err}");
    assert!(tokyo.contains("subgraph region_ap_northeast_1") && !tokyo.contains("region_ap_northeast_2"), "{tokyo}");
    assert!(err.contains("note:") && err.contains("outside the picture"), "{err}");
    let (code, hub, err) = vpcraft(&["export", KITCHEN, "--to", "mermaid", "--vpc", "hub"]);
    assert_eq!(code, 0, "{err}");
    assert!(hub.contains("VPC hub") && !hub.contains("VPC provider"), "{hub}");
    let (code, both, _) = vpcraft(&["export", KITCHEN, "--to", "mermaid", "--vpc", "hub", "--vpc", "provider"]);
    assert_eq!(code, 0);
    assert!(both.contains("VPC hub") && both.contains("VPC provider") && both.contains("<-->"));
    let (code, _, err) = vpcraft(&["export", KITCHEN, "--to", "svg", "--vpc", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("--vpc nope"), "{err}");
    let (code, _, err) = vpcraft(&["export", KITCHEN, "--to", "svg", "--region", "mars-north-1"]);
    assert_eq!(code, 2);
    assert!(err.contains("mars-north-1") && err.contains("ap-northeast-2"), "{err}");
    let (code, _, err) = vpcraft(&["export", KITCHEN, "--to", "cloudformation", "--vpc", "hub"]);
    assert_eq!(code, 2);
    assert!(err.contains("pictures only"), "{err}");
}
