//! The seed 001 CloudFormation labs, imported straight from the template, behave as the post
//! says: the public EC2 reaches S3 through the IGW; the private EC2 cannot.

use std::path::Path;
use std::process::Command;

fn template(name: &str) -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/cfn").join(name);
    if p.exists() {
        Some(p.to_string_lossy().into_owned())
    } else {
        crate::common::skip_unless_ci(&format!(
            "skipping: {} is absent (../shared is not beside the checkout)",
            p.display()
        ));
        None
    }
}

fn trace(tpl: &str, from: &str, to: &str, port: &str, expect: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcraft"))
        .args([
            "trace",
            tpl,
            "--region",
            "ap-northeast-2",
            "--param",
            "KeyName=lab-key",
            "--from",
            from,
            "--to",
            to,
            "--port",
            port,
            "--expect",
            expect,
            "--format",
            "json",
        ])
        .output()
        .expect("run vpcraft");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn endpoint_lab_template_public_reaches_s3_private_does_not() {
    let Some(t) = template("seed-001-endpoint-lab.yaml") else { return };
    let (code, out) = trace(&t, "jhPublicEC2", "s3.ap-northeast-2.amazonaws.com", "443", "delivered");
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["forward"].as_array().unwrap().iter().any(|h| h["component"]["kind"] == "internet-gateway"), "{out}");
    let (code, out) = trace(&t, "jhPrivateEC2", "s3.ap-northeast-2.amazonaws.com", "443", "dropped");
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["code"], "NO_ROUTE_TO_DESTINATION");
    // --expect turns a mismatch into exit status 1.
    let (code, _) = trace(&t, "jhPrivateEC2", "s3.ap-northeast-2.amazonaws.com", "443", "delivered");
    assert_eq!(code, 1);
}

#[test]
fn privatelink_lab_template_web_servers_answer_through_the_nlb() {
    let Some(t) = template("seed-001-privatelink-lab.yaml") else { return };
    let (code, out) = trace(&t, "internet", "jhCustomWeb1EC2", "80", "delivered");
    assert_eq!(code, 0, "{out}");
}
