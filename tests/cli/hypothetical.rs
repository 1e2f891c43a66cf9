//! `vpcraft trace` from and to things that do not exist yet: a subnet, or an unused address in
//! one, is a hypothetical interface there; the output says so, in text and in JSON.

use serde_json::Value;
use std::process::{Command, Output};

fn vpcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("the binary runs")
}

fn json(args: &[&str]) -> Value {
    let out = vpcraft(args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn a_subnet_is_a_hypothetical_interface_at_its_first_usable_address_with_the_default_group() {
    let v = json(&[
        "trace",
        "example:endpoint-lab",
        "--from",
        "jhPrivateSN",
        "--to",
        "s3.ap-northeast-2.amazonaws.com",
        "--port",
        "443",
        "--format",
        "json",
    ]);
    // Existing fields keep their meaning; one is added.
    assert_eq!(v["verdict"], "dropped");
    assert_eq!(v["code"], "NO_ROUTE_TO_DESTINATION");
    let h = &v["hypothetical"][0];
    assert_eq!(h["role"], "source");
    assert_eq!(h["subnet"], "subnet-0002");
    assert_eq!(h["address"], "10.10.1.4");
    assert_eq!(h["default_security_group"], true);
    assert_eq!(h["security_groups"][0], "sg-0001");
    assert_eq!(v["forward"][1]["component"]["id"], h["interface"]);
}

#[test]
fn an_unused_address_is_hypothetical_and_sg_names_its_groups() {
    let out = vpcraft(&[
        "trace",
        "example:endpoint-lab",
        "--from",
        "jhPublicEC2",
        "--to",
        "10.10.1.77",
        "--port",
        "22",
        "--sg",
        "jhSecurityGroup",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(
            "Destination is hypothetical: an interface that does not exist yet, at 10.10.1.77 in subnet-0002"
        ),
        "{text}"
    );
    assert!(text.contains("with security groups sg-0002"), "{text}");
    assert!(!text.contains("UNKNOWN_DESTINATION"), "{text}");
}

#[test]
fn sg_without_a_hypothetical_end_and_an_unknown_group_are_errors() {
    let out = vpcraft(&[
        "trace",
        "example:endpoint-lab",
        "--from",
        "jhPublicEC2",
        "--to",
        "internet",
        "--port",
        "443",
        "--sg",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--sg applies to a hypothetical endpoint"));
    let out = vpcraft(&[
        "trace",
        "example:endpoint-lab",
        "--from",
        "jhPublicSN",
        "--to",
        "internet",
        "--port",
        "443",
        "--sg",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no security group with that id or name"));
}

#[test]
fn the_same_subnet_at_both_ends_is_two_interfaces() {
    let v = json(&[
        "trace",
        "example:endpoint-lab",
        "--from",
        "jhPrivateSN",
        "--to",
        "jhPrivateSN",
        "--port",
        "22",
        "--format",
        "json",
    ]);
    assert_eq!(v["hypothetical"][0]["address"], "10.10.1.4");
    assert_eq!(v["hypothetical"][1]["address"], "10.10.1.5");
    assert_eq!(v["verdict"], "delivered", "the default group lets its members in (S5)");
}
