//! The `check`, `plan` and `gen` subcommands driven through the real binary.

use std::process::Command;

fn vpcraft(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("run vpcraft");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn check_clean_example_exits_zero_and_json_has_fields() {
    let (code, out, _) = vpcraft(&["check", "example:custom-vpc", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["errors"], 0);
    assert!(v["findings"].is_array());
}

#[test]
fn check_reports_errors_with_exit_one() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.ron");
    let mut d = vpcraft::assets::example("custom-vpc").unwrap();
    let mut s = d.subnets[0].clone();
    s.id = "subnet-dup".into();
    s.name = "overlapping".into();
    d.subnets.push(s);
    vpcraft::io::native::save_file(&d, &p).unwrap();
    let (code, out, _) = vpcraft(&["check", p.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("SUBNET_OVERLAP"), "{out}");
    assert!(out.contains("fix:"), "{out}");
}

#[test]
fn check_unreadable_design_exits_two_with_position() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("broken.ron");
    std::fs::write(&p, "Design(\n  format_version: 1,\n  name: 5,\n)").unwrap();
    let (code, _, err) = vpcraft(&["check", p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.ron:3:"), "{err}");
}

#[test]
fn plan_seed_000_layout_prints_the_eight_subnets() {
    let (code, out, err) =
        vpcraft(&["plan", "10.39.0.0/16", "--tiers", "public,private", "--azs", "a,b,c,d", "--size", "20"]);
    assert_eq!(code, 0, "{err}");
    for (i, cidr) in [
        "10.39.0.0/20",
        "10.39.16.0/20",
        "10.39.32.0/20",
        "10.39.48.0/20",
        "10.39.64.0/20",
        "10.39.80.0/20",
        "10.39.96.0/20",
        "10.39.112.0/20",
    ]
    .iter()
    .enumerate()
    {
        let line = out.lines().find(|l| l.contains(cidr)).unwrap_or_else(|| panic!("{cidr} missing:\n{out}"));
        assert!(line.contains("4091"), "{line}");
        assert!(line.contains(if i < 4 { "public" } else { "private" }), "{line}");
    }
}

#[test]
fn plan_json_of_a_design_shows_used_and_free() {
    let (code, out, err) = vpcraft(&["plan", "example:endpoint-lab", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["used"], 512);
    assert_eq!(v[0]["subnets"][1]["public"], false);
    assert_eq!(v[0]["largest_free"], "10.10.128.0/17");
}

#[test]
fn plan_bad_cidr_is_a_clear_error() {
    let (code, _, err) = vpcraft(&["plan", "10.0.0.0/33"]);
    assert_eq!(code, 2);
    assert!(err.contains("33"), "{err}");
    let (code, _, err) = vpcraft(&["plan", "10.0.0.0/16", "--tiers", "a", "--azs", "a", "--size", "8"]);
    assert_eq!(code, 2);
    assert!(!err.is_empty());
}

#[test]
fn gen_writes_a_loadable_design() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("g.ron");
    let (code, _, err) = vpcraft(&["gen", "--vpcs", "12", "-o", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let d = vpcraft::io::native::load_file(&p).unwrap();
    assert_eq!(d.vpcs.len(), 12);
}

#[test]
fn plan_refuses_ambiguous_or_useless_requests() {
    for args in [
        vec!["plan", "10.0.0.0/16", "--split", "16"],
        vec!["plan", "10.0.0.0/16", "--split", "30"],
        vec!["plan", "::/0"],
        vec!["plan", "10.0.0.0/16", "--vpc", "x"],
        vec!["plan", "10.0.0.0/16", "--tiers", ",,", "--azs", "a", "--size", "20"],
        vec!["plan", "10.0.0.0/16", "--tiers", "a,a", "--azs", "a", "--size", "20"],
        vec!["plan", "example:custom-vpc", "--tiers", "db", "--azs", "a,z", "--size", "24"],
    ] {
        let (code, out, err) = vpcraft(&args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(!err.is_empty() && !err.contains("panicked"), "{args:?}: {err}");
    }
    let (code, out, _) = vpcraft(&["plan", "10.0.0.0/16", "--split", "18"]);
    assert_eq!(code, 0);
    assert!(out.contains("split into 4"), "{out}");
}

#[test]
fn check_surfaces_what_a_template_import_could_not_bring_over() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/cfn/seed-001-endpoint-lab.yaml");
    let Ok(text) = std::fs::read_to_string(&src) else {
        crate::common::skip_unless_ci("../shared/data/cfn is absent");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.yaml");
    std::fs::write(&p, text.replace("CidrBlock: 10.10.0.0/16", "CidrBlock: 10.10.0.0/33")).unwrap();
    let (code, out, err) =
        vpcraft(&["check", p.to_str().unwrap(), "--param", "KeyName=x", "--region", "ap-northeast-2"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("IMPORT_ERROR") && out.contains("line 14") && out.contains("/33"), "{out}");
}

#[test]
fn export_and_import_refuse_folders_and_missing_parents_and_accept_dash() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    let (code, _, err) = vpcraft(&["export", "example:custom-vpc", "--to", "terraform", "-o", &d]);
    assert_eq!(code, 2);
    assert!(err.contains("is a folder"), "{err}");
    let missing = format!("{d}/no/such/x.tf");
    let (code, _, err) = vpcraft(&["export", "example:custom-vpc", "--to", "cloudformation", "-o", &missing]);
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");
    assert!(!dir.path().join("no").exists(), "no folder is created");
    let (code, out, _) = vpcraft(&["import", "example:custom-vpc", "-o", "-"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("Design("), "{out}");
}
