//! `vpcraft trace` driven through the built binary: JSON field names, `--expect` exit codes,
//! and clear errors (exit 2) on bad input.

use serde_json::Value;
use std::collections::BTreeSet;
use std::process::{Command, Output};

fn vpcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("the binary runs")
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

const S3: &str = "s3.ap-northeast-2.amazonaws.com";

#[test]
fn json_has_exactly_the_public_field_names() {
    let out = vpcraft(&[
        "trace",
        "example:endpoint-lab",
        "--from",
        "jhPrivateEC2",
        "--to",
        S3,
        "--port",
        "443",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(keys(&v), set(&["verdict", "disposition", "code", "reason", "forward", "return", "blockers"]));
    assert_eq!(v["verdict"], "dropped");
    assert_eq!(v["disposition"], "NO_ROUTE");
    assert_eq!(v["code"], "NO_ROUTE_TO_DESTINATION");
    let hop = &v["forward"][0];
    assert_eq!(
        keys(hop),
        set(&["step", "component", "action", "decision", "rule", "matched", "beaten", "before", "after"])
    );
    assert_eq!(hop["step"], 1);
    assert_eq!(keys(&hop["component"]), set(&["kind", "id", "name"]));
    assert_eq!(keys(&hop["before"]), set(&["src", "dst", "protocol", "src_port", "dst_port"]));
    assert_eq!(hop["before"]["protocol"], "tcp");
    let blocker = &v["blockers"][0];
    assert_eq!(keys(blocker), set(&["step", "component", "code", "reason", "fix"]));
    assert!(v["return"].as_array().is_some_and(|r| r.is_empty()), "no reply after a dropped request");
}

#[test]
fn json_of_a_delivered_flow_has_the_reply_and_nulls() {
    let out = vpcraft(&[
        "trace",
        "example:endpoint-lab",
        "--from",
        "jhPublicEC2",
        "--to",
        "60.1.1.1",
        "--port",
        "80",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(v["verdict"], "delivered");
    assert_eq!(v["disposition"], "EXITS_NETWORK");
    assert!(v["code"].is_null() && v["reason"].is_null());
    let ret = v["return"].as_array().expect("return is a list");
    assert!(!ret.is_empty());
    let nat = v["forward"].as_array().unwrap().iter().find(|h| h["action"] == "nat").expect("an IGW NAT hop");
    assert_ne!(nat["before"], nat["after"], "NAT is visible as before ≠ after");
    assert_eq!(nat["after"]["src"], "3.35.10.10");
}

#[test]
fn expect_sets_the_exit_status() {
    let base = ["trace", "example:endpoint-lab", "--from", "jhPrivateEC2", "--to", S3, "--port", "443"];
    let ok = vpcraft(&[&base[..], &["--expect", "dropped"]].concat());
    assert_eq!(ok.status.code(), Some(0));
    let bad = vpcraft(&[&base[..], &["--expect", "delivered"]].concat());
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("expected delivered") && err.contains("NO_ROUTE_TO_DESTINATION"), "{err}");
    let delivered = vpcraft(&[
        "trace",
        "example:endpoint-lab",
        "--from",
        "jhPublicEC2",
        "--to",
        S3,
        "--port",
        "443",
        "--expect",
        "delivered",
    ]);
    assert_eq!(delivered.status.code(), Some(0), "{}", String::from_utf8_lossy(&delivered.stderr));
}

#[test]
fn text_output_numbers_the_steps() {
    let out = vpcraft(&["trace", "example:endpoint-lab", "--from", "jhPublicEC2", "--to", "60.1.1.1", "--port", "80"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("①") && text.contains("Verdict: delivered"), "{text}");
    assert!(text.contains("10.10.0.10:49152 → 60.1.1.1:80 tcp  ⇒  3.35.10.10:49152 → 60.1.1.1:80 tcp"), "{text}");
}

fn assert_exit_2(args: &[&str], needle: &str) {
    let out = vpcraft(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2() {
    assert_exit_2(
        &["trace", "example:endpoint-lab", "--from", "noSuchHost", "--to", "internet", "--port", "80"],
        "noSuchHost",
    );
    assert_exit_2(
        &["trace", "example:endpoint-lab", "--from", "jhPublicEC2", "--to", "10.10.1", "--port", "80"],
        "not a valid IPv4 address",
    );
    assert_exit_2(
        &[
            "trace",
            "example:endpoint-lab",
            "--from",
            "jhPublicEC2",
            "--to",
            "internet",
            "--proto",
            "tcpp",
            "--port",
            "80",
        ],
        "tcpp",
    );
    assert_exit_2(
        &["trace", "example:endpoint-lab", "--from", "jhPublicEC2", "--to", "internet"],
        "--port is required",
    );
    assert_exit_2(
        &["trace", "example:endpoint-lab", "--from", "jhPublicEC2", "--to", "nothing.example.com", "--port", "80"],
        "cannot resolve",
    );
    assert_exit_2(&["trace", "example:no-such-example", "--from", "a", "--to", "b"], "no-such-example");
    assert_exit_2(
        &["trace", "example:endpoint-lab", "--from", "jhPublicEC2", "--to", "internet", "--port", "70000"],
        "70000",
    );
}
