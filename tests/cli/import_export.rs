//! `vpcraft import` and `vpcraft export` end to end, through the binary.

use std::path::Path;
use std::process::Command;

fn vpcraft(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().unwrap()
}

#[test]
fn import_writes_a_design_and_prints_the_report() {
    let snap = "../shared/data/aws-snapshots/hybrid-cloud-aws";
    if !Path::new(snap).is_dir() {
        crate::common::skip_unless_ci(&format!("{snap} not present (the shared data folder is absent)"));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hybrid.ron");
    let o = vpcraft(&["import", snap, "-o", out.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["counts"]["VPC"], 4);
    assert!(report["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["file"].as_str().unwrap_or("").ends_with("RdsInstances.json")));
    let d = vpcraft::io::native::load_file(&out).unwrap();
    assert_eq!(d.subnets.len(), 10);
    let text = vpcraft(&["import", snap, "-o", out.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("ElasticsearchDomains.json"));
}

#[test]
fn template_parameters_and_region_reach_the_import() {
    let t = "../shared/data/cfn/aws-samples-vpc-3tier.yaml";
    if !Path::new(t).is_file() {
        crate::common::skip_unless_ci(&format!("{t} not present (the shared data folder is absent)"));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.ron");
    let o = vpcraft(&[
        "import",
        t,
        "-o",
        out.to_str().unwrap(),
        "--region",
        "eu-west-1",
        "--param",
        "vpccidr=10.20.0.0/23",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let d = vpcraft::io::native::load_file(&out).unwrap();
    assert_eq!(d.vpcs[0].cidr.to_string(), "10.20.0.0/23");
    assert!(d.subnets.iter().all(|s| s.az.starts_with("eu-west-1")));
    let bad = vpcraft(&["import", t, "-o", out.to_str().unwrap(), "--param", "novalue"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("KEY=VALUE"));
}

#[test]
fn export_to_stdout_and_to_a_file() {
    let o = vpcraft(&["export", "example:endpoint-lab", "--to", "cloudformation"]);
    assert!(o.status.success());
    let t: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(t["Resources"]["jhVPC"]["Type"], "AWS::EC2::VPC");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("main.tf");
    let o = vpcraft(&["export", "example:endpoint-lab", "--to", "terraform", "-o", f.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(std::fs::read_to_string(&f).unwrap().contains("resource \"aws_vpc\" \"jhVPC\""));
    let missing = vpcraft(&["export", "nope.ron", "--to", "terraform"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn terraform_folders_are_designs_with_var_var_file_and_assume() {
    let app = "tests/fixtures/terraform/app";
    let o = vpcraft(&[
        "trace",
        app,
        "--from",
        "aws_instance.app[\"green\"]",
        "--to",
        "8.8.8.8",
        "--port",
        "443",
        "--var",
        "env=prod",
        "--assume",
        "module.net.data.aws_availability_zones.available.names=[\"eu-west-1b\", \"eu-west-1c\"]",
        "--expect",
        "delivered",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> =
        j["forward"].as_array().unwrap().iter().filter_map(|h| h["component"]["name"].as_str()).collect();
    assert!(names.contains(&"module.net.aws_nat_gateway.this[1]"), "prod has a NAT per zone: {names:?}");
    // The sealed group has no egress: dropped, exit status 1 under --expect delivered.
    let o = vpcraft(&[
        "trace",
        app,
        "--from",
        "aws_instance.sealed",
        "--to",
        "8.8.8.8",
        "--port",
        "443",
        "--expect",
        "delivered",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains("ENI_SG_RULES_MISMATCH"));
    // --var-file then --var: the later one wins, as in Terraform.
    let dir = tempfile::tempdir().unwrap();
    let vars = dir.path().join("x.tfvars");
    std::fs::write(&vars, "env = \"fromfile\"\n").unwrap();
    let out = dir.path().join("app.ron");
    let o = vpcraft(&[
        "import",
        app,
        "-o",
        out.to_str().unwrap(),
        "--var-file",
        vars.to_str().unwrap(),
        "--var",
        "env=fromcli",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(report.contains("var.env: \"fromcli\""), "{report}");
    assert!(report.contains("aws_s3_bucket.logs"), "skipped by address: {report}");
    let o = vpcraft(&[
        "import",
        app,
        "-o",
        out.to_str().unwrap(),
        "--var",
        "env=fromcli",
        "--var-file",
        vars.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("var.env: \"fromfile\""));
    // A bad --assume is refused before anything is read.
    let o = vpcraft(&["check", app, "--assume", "nonsense"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("ADDRESS.ATTRIBUTE=VALUE"));
}
