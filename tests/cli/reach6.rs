//! `vpcraft reach --family` and `gen --ipv6` through the built binary: without `--family` the
//! output is as it was; `--family ipv6` adds the family to the JSON, shows subnets without an
//! IPv6 block as `not_applicable` (JSON, CSV, text), leaves them out of `--expect`, and refuses a
//! service name that answers A records only.

use serde_json::Value;
use std::process::{Command, Output};

fn vpcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("the binary runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Lab 10's design at its end, with an IPv4-only subnet beside its dual-stack ones, on disk.
fn lab10_file(dir: &std::path::Path) -> String {
    let lab = vpcraft::labs::by_name("10").expect("lab 10");
    let mut d = vpcraft::labs::run::design_after(&lab, lab.steps.len() - 1).expect("lab 10 applies");
    let vpc = d.vpcs[0].id.clone();
    let az = d.subnets[0].az.clone();
    d.subnets.push(vpcraft::model::Subnet::new(
        "subnet-legacy",
        "legacy",
        vpc,
        "10.60.3.0/24".parse().expect("cidr"),
        az,
    ));
    let path = dir.join("lab10.ron");
    vpcraft::io::native::save_file(&d, &path).expect("written");
    path.display().to_string()
}

#[test]
fn family_ipv6_json_csv_and_text_say_where_ipv6_does_not_apply() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = lab10_file(dir.path());
    // Without --family: the JSON has exactly its three fields.
    let v: Value = serde_json::from_slice(&vpcraft(&["reach", &f, "--format", "json"]).stdout).expect("JSON");
    assert_eq!(v.as_object().map(|o| o.len()), Some(3), "{v}");
    let v: Value =
        serde_json::from_slice(&vpcraft(&["reach", &f, "--family", "ipv4", "--format", "json"]).stdout).expect("JSON");
    assert_eq!(v["family"], "ipv4");
    let o = vpcraft(&["reach", &f, "--family", "ipv6", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["family"], "ipv6");
    let ids: Vec<&str> = v["sources"].as_array().expect("sources").iter().filter_map(Value::as_str).collect();
    let legacy = ids.iter().position(|s| *s == "subnet-legacy").expect("the IPv4-only subnet is a row");
    let private = ids.iter().position(|s| *s == "subnet-0002").expect("private");
    let cols: Vec<&str> =
        v["destinations"].as_array().expect("destinations").iter().filter_map(Value::as_str).collect();
    let internet = cols.iter().position(|s| *s == "internet").expect("internet");
    assert_eq!(
        v["cells"][legacy][0],
        serde_json::json!({"verdict": "not_applicable", "code": null, "at": "subnet-legacy"})
    );
    assert_eq!(v["cells"][private][internet]["verdict"], "delivered", "out through the egress-only gateway");
    // The internet cannot start a connection to the private subnet over IPv6.
    let o = vpcraft(&["reach", &f, "--family", "ipv6", "--from", "internet", "--to", "private", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    // (The subnet's default group stops it first; with a group that admits it, the egress-only
    // gateway refuses the reply: `reach_diff6` in the trace tests.)
    assert_eq!(v["cells"][0][0]["verdict"], "dropped", "{v}");
    // CSV and text.
    let csv = out(&vpcraft(&["reach", &f, "--family", "ipv6", "--format", "csv"]));
    assert!(
        csv.lines().any(|l| l.starts_with("subnet-legacy,subnet-0001,tcp,443,not_applicable,,subnet-legacy")),
        "{csv}"
    );
    let text = out(&vpcraft(&["reach", &f, "--family", "ipv6"]));
    assert!(text.starts_with("reach tcp/443 (IPv6): 3 sources × 4 destinations"), "{text}");
    assert!(text.contains("n/a") && text.contains("not applicable"), "{text}");
    // The same without --family is the IPv4 matrix, as before.
    let text = out(&vpcraft(&["reach", &f]));
    assert!(text.starts_with("reach tcp/443: 3 sources"), "{text}");
}

#[test]
fn family_ipv6_expect_and_service_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = lab10_file(dir.path());
    // Not-applicable cells are left out of --expect: private → internet is delivered over IPv6
    // from both dual-stack subnets.
    let o = vpcraft(&["reach", &f, "--family", "ipv6", "--to", "internet", "--expect", "delivered"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let o = vpcraft(&["reach", &f, "--family", "ipv6", "--from", "internet", "--to", "private", "--expect", "dropped"]);
    assert_eq!(o.status.code(), Some(0));
    // A regional S3 name is taken as its dual-stack one; an A-only name is refused.
    let o = vpcraft(&["reach", &f, "--family", "ipv6", "--to", "s3.ap-northeast-2.amazonaws.com", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["destinations"], serde_json::json!(["s3.dualstack.ap-northeast-2.amazonaws.com"]));
    let o = vpcraft(&["reach", &f, "--family", "ipv6", "--to", "sts.ap-northeast-2.amazonaws.com"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("A records only"), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn gen_ipv6_writes_a_dual_stack_design_that_checks_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("g.ron");
    let p = path.display().to_string();
    let o = vpcraft(&["gen", "--vpcs", "6", "--ipv6", "-o", &p]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let d = vpcraft::io::load_any_with(&path, None, &[]).expect("loads");
    assert!(d.subnets.iter().all(|s| s.ipv6_cidr.is_some()));
    assert_eq!(d.egress_only_internet_gateways.len(), 6);
    let o = vpcraft(&["check", &p]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let text = out(&vpcraft(&["reach", &p, "--family", "ipv6", "--from", "vpc-00001", "--to", "internet"]));
    assert!(text.contains("6 sources × 1 destinations, 6 delivered"), "{text}");
}
