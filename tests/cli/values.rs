//! Issue 17, S1–S6: values AWS would refuse are a located import error or an error finding of
//! `check` naming the rule, never accepted as something else.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reliability").join(name)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("run vpcraft");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// `check --format json` of a file: exit code and the findings as (code, rule, message).
fn findings(path: &Path) -> (i32, Vec<(String, String, String)>) {
    let (code, out, err) = run(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert!(code == 0 || code == 1, "check failed: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (code, f)
}

/// The base design (clean) with one text replaced: the edit a test makes is in the test.
fn base_with(dir: &Path, from: &str, to: &str) -> PathBuf {
    let base = std::fs::read_to_string(fixture("base.ron")).unwrap();
    assert!(base.contains(from), "the base design has no {from:?}");
    let p = dir.join("d.ron");
    std::fs::write(&p, base.replacen(from, to, 1)).unwrap();
    p
}

#[test]
fn the_base_design_is_clean() {
    let (code, f) = findings(&fixture("base.ron"));
    assert_eq!((code, f), (0, vec![]));
}

#[test]
fn security_group_ports_aws_refuses_are_import_errors_never_all_ports() {
    let t = fixture("bad-sg-ports.yaml");
    let (code, f) = findings(&t);
    assert_eq!(code, 1);
    for (what, why) in [
        ("TooHigh: line 8, column 3", "3306-70000: ports are 0-65535"),
        ("Reversed: line 15, column 3", "3306-80: the first port is above the last"),
        ("Negative: line 22, column 3", "-5-3306: ports are 0-65535"),
        ("SeparateRule: line 29, column 3", "needs both a first and a last port"),
    ] {
        assert!(
            f.iter().any(|(c, r, m)| c == "IMPORT_ERROR" && r == "S2" && m.contains(what) && m.contains(why)),
            "{what}: {f:#?}"
        );
    }
    // What was imported has no rule that allows every port.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.ron");
    let (code, _, _) = run(&["import", t.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 1, "the import says it has errors");
    let d = vpcraft::io::native::load_file(&out).unwrap();
    for g in d.security_groups.iter().filter(|g| ["TooHigh", "Reversed", "Negative"].contains(&g.name.as_str())) {
        assert!(g.ingress.is_empty(), "{}: {:?}", g.name, g.ingress);
    }
}

#[test]
fn snapshot_values_aws_would_not_have_are_import_errors() {
    let (code, f) = findings(&fixture("snapshot-bad-ports.json"));
    assert_eq!(code, 1);
    assert!(
        f.iter().any(|(c, r, m)| c == "IMPORT_ERROR"
            && r == "S2"
            && m.contains("sg-0a1: IpPermissions[0]: tcp port range -1--1")),
        "{f:#?}"
    );
    assert!(f.iter().any(|(_, r, m)| r == "L2" && m.contains("acl-0a1: Entries[0]: RuleNumber 70000")), "{f:#?}");
}

#[test]
fn nacl_rule_numbers_and_ports_aws_refuses_are_import_errors() {
    let t = fixture("bad-nacl.yaml");
    let (code, f) = findings(&t);
    assert_eq!(code, 1);
    for what in
        ["NumberTooHigh: line 12, column 3", "NumberNegative: line 21, column 3", "PortTooHigh: line 29, column 3"]
    {
        assert!(f.iter().any(|(c, r, m)| c == "IMPORT_ERROR" && r == "L2" && m.contains(what)), "{what}: {f:#?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("n.ron");
    run(&["import", t.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let d = vpcraft::io::native::load_file(&out).unwrap();
    let acl = d.network_acls.iter().find(|a| a.name == "Acl").unwrap();
    let numbers: Vec<u16> = acl.entries.iter().map(|e| e.rule_number).collect();
    assert_eq!(numbers, [130], "only the good entry, with its own number");
}

#[test]
fn protocols_aws_refuses_are_import_errors() {
    let (code, f) = findings(&fixture("bad-protocols.yaml"));
    assert_eq!(code, 1);
    for why in ["\"xyz\" is not one AWS takes", "\"\" is not one AWS takes", "IpProtocol is a list", "\"256\""] {
        assert!(f.iter().any(|(c, r, m)| c == "IMPORT_ERROR" && r == "S2" && m.contains(why)), "{why}: {f:#?}");
    }
}

#[test]
fn a_region_that_is_no_region_is_refused() {
    let (code, _, err) = run(&["check", fixture("small-template.yaml").to_str().unwrap(), "--region", "mars-1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--region \"mars-1\" is not an AWS region name"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let p = base_with(dir.path(), "region: \"ap-northeast-2\",\n      cidr", "region: \"mars-1\",\n      cidr");
    let (code, f) = findings(&p);
    assert_eq!(code, 1);
    assert!(f.iter().any(|(c, r, m)| c == "REGION_INVALID" && r == "A5" && m.contains("\"mars-1\"")), "{f:#?}");
}

#[test]
fn a_reversed_port_range_fails_check() {
    let dir = tempfile::tempdir().unwrap();
    let p = base_with(dir.path(), "from: 80,\n            to: 80,", "from: 443,\n            to: 80,");
    let (code, f) = findings(&p);
    assert_eq!(code, 1);
    assert!(f.iter().any(|(c, r, m)| c == "PORT_RANGE_REVERSED" && r == "S2" && m.contains("443-80")), "{f:#?}");
}

#[test]
fn subnet_cidrs_with_host_bits_fail_and_leading_zeros_are_refused_alike() {
    let dir = tempfile::tempdir().unwrap();
    let p = base_with(dir.path(), "cidr: \"10.39.16.0/20\"", "cidr: \"10.39.16.1/20\"");
    let (code, f) = findings(&p);
    assert_eq!(code, 1);
    assert!(
        f.iter().any(|(c, r, m)| c == "SUBNET_CIDR_HOST_BITS" && r == "A5" && m.contains("10.39.16.1/20")),
        "{f:#?}"
    );
    for bad in ["010.39.16.0/20", "010.039.016.000/020", "10.39.16.0/020"] {
        let p = base_with(dir.path(), "cidr: \"10.39.16.0/20\"", &format!("cidr: \"{bad}\""));
        let (code, _, err) = run(&["check", p.to_str().unwrap()]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("d.ron:29:14: ") && err.contains("leading zeros are not allowed"), "{bad}: {err}");
    }
}

#[test]
fn two_interfaces_at_one_device_index_and_empty_ids_fail() {
    let dir = tempfile::tempdir().unwrap();
    // The private instance's interface is moved onto the public instance, at index 0 too.
    let p = base_with(dir.path(), "instance: Some(\"i-0002\"),", "instance: Some(\"i-0001\"),");
    let (code, f) = findings(&p);
    assert_eq!(code, 1);
    assert!(f.iter().any(|(c, _, m)| c == "DEVICE_INDEX_DUPLICATE" && m.contains("eni-0001, eni-0002")), "{f:#?}");
    let p = base_with(dir.path(), "id: \"sg-0002\",", "id: \"\",");
    let (code, _, err) = run(&["check", p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("has an empty id"), "{err}");
}

/// S3, export half: a template or configuration holding a value AWS would refuse is never
/// written; the error names the code, the rule and the resource, and the exit code says so.
#[test]
fn export_refuses_a_design_with_values_aws_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let p = base_with(dir.path(), "from: 80,\n            to: 80,", "from: 443,\n            to: 80,");
    for (to, file) in [("cloudformation", "t.json"), ("terraform", "main.tf")] {
        let out = dir.path().join(file);
        let (code, stdout, err) = run(&["export", p.to_str().unwrap(), "--to", to, "-o", out.to_str().unwrap()]);
        assert_eq!(code, 2, "{to}: {err}");
        assert!(
            err.contains("AWS would refuse (nothing was written)")
                && err.contains("PORT_RANGE_REVERSED [S2] my-web-sg (sg-0002) has an inbound tcp rule"),
            "{to}: {err}"
        );
        assert!(err.contains("443-80") && err.contains("80-443"), "{to}: {err}");
        assert!(!out.exists(), "{to}: a refused export wrote {}", out.display());
        // To standard output likewise: nothing but the error.
        let (code, stdout2, _) = run(&["export", p.to_str().unwrap(), "--to", to]);
        assert_eq!((code, stdout.as_str(), stdout2.as_str()), (2, "", ""), "{to}");
    }
    // Every error of the family is named, not only the first.
    let p2 = dir.path().join("two.ron");
    let text = std::fs::read_to_string(&p).unwrap().replacen("cidr: \"10.39.16.0/20\"", "cidr: \"10.39.16.1/20\"", 1);
    std::fs::write(&p2, text).unwrap();
    let (code, _, err) = run(&["export", p2.to_str().unwrap(), "--to", "terraform"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("PORT_RANGE_REVERSED [S2]") && err.contains("SUBNET_CIDR_HOST_BITS [A5]"), "{err}");
    // Pictures create nothing in AWS: they still draw the design as it is.
    let (code, out, err) = run(&["export", p.to_str().unwrap(), "--to", "mermaid"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.is_empty());
    // The clean design exports as before.
    let (code, out, err) = run(&["export", fixture("base.ron").to_str().unwrap(), "--to", "terraform"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("resource \"aws_security_group\""), "{out}");
}
