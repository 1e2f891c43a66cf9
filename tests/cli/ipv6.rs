//! IPv6 through the real binary (issue 14): `plan` with IPv6 blocks, `trace` to and from IPv6
//! addresses, and clear errors for IPv6 text AWS would not take.

use std::process::Command;

const DUAL: &str = "tests/fixtures/designs/valid/dual-stack.ron";

fn vpcraft(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcraft"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run vpcraft");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn plan_a_56_lays_out_64s_by_slot() {
    let (code, out, err) =
        vpcraft(&["plan", "2600:1f18:1:2300::/56", "--tiers", "public,private", "--azs", "a,b,c", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &v[0];
    assert_eq!(r["slots"], 256);
    assert_eq!(r["maps"][0]["cells"].as_str().unwrap().len(), 256);
    let layout: Vec<(String, u64)> = r["layout"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["cidr"].as_str().unwrap().to_string(), x["index"].as_u64().unwrap()))
        .collect();
    assert_eq!(layout[0], ("2600:1f18:1:2300::/64".to_string(), 0));
    assert_eq!(layout[3], ("2600:1f18:1:2304::/64".to_string(), 4), "each tier starts on a run of 4");
    let (code, out, _) = vpcraft(&["plan", "2600:1f18:1:2300::/56"]);
    assert_eq!(code, 0);
    assert!(out.contains("256 /64 subnets, 0 used, 256 free"), "{out}");
    assert!(out.contains("    f0  . . . ."), "{out}");
}

#[test]
fn plan_of_a_64_lists_its_reserved_addresses() {
    let (code, out, err) = vpcraft(&["plan", "2001:DB8:0:0::1/64"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("host bits cleared"), "{err}");
    assert!(out.contains("2001:db8::3                              reserved for future use"), "{out}");
    assert!(out.contains("2001:db8::ffff:ffff:ffff:ffff"), "{out}");
}

#[test]
fn plan_of_a_design_shows_its_ipv6_map_and_puts_a_64_beside_each_layout_row() {
    let (code, out, err) = vpcraft(&["plan", DUAL]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("IPv6 2600:1f18:1:2300::/56 — 256 /64 subnets, 3 used, 253 free"), "{out}");
    assert!(out.contains("    00  # # # . ."), "{out}");
    assert!(out.contains("next free: 2600:1f18:1:2303::/64"), "{out}");
    let (code, out, err) =
        vpcraft(&["plan", DUAL, "--tiers", "app,db", "--azs", "a,b", "--size", "24", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v[0]["layout"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r["ipv6"].as_str().is_some_and(|s| s.ends_with("::/64"))), "{rows:?}");
    assert_eq!(rows[0]["ipv6"], "2600:1f18:1:2304::/64", "the first free aligned run after the used slots");
}

#[test]
fn bad_ipv6_text_is_a_sentence() {
    for (arg, says) in [
        ("2001:db8::/129", "longer than an IPv6 address"),
        ("fe80::%eth0/64", "zone id"),
        ("::ffff:10.0.0.1/128", "write the IPv4 address 10.0.0.1"),
        ("2001:db8:::/56", "not an IPv6 address"),
        ("::/0", "wider than any IPv6 block AWS gives"),
        ("2001:db8::/40", "VPC blocks are /44 to /60"),
    ] {
        let (code, _, err) = vpcraft(&["plan", arg]);
        assert_ne!(code, 0, "{arg}");
        assert!(err.contains(says), "{arg}: {err}");
    }
}

#[test]
fn trace_to_an_ipv6_address_through_the_egress_only_gateway() {
    let (code, out, err) =
        vpcraft(&["trace", DUAL, "--from", "app", "--to", "2001:4860:4860::8888", "--port", "443", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "delivered");
    let hops = v["forward"].as_array().unwrap();
    assert_eq!(hops[0]["before"]["src"], "2600:1f18:1:2301::10");
    assert!(hops.iter().any(|h| h["component"]["kind"] == "egress-only-internet-gateway"));
    let (code, out, _) =
        vpcraft(&["trace", DUAL, "--from", "internet", "--to", "2600:1f18:1:2301::10", "--port", "443"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Verdict: dropped (DENIED_IN)") && out.contains("EIGW_UNSOLICITED_INBOUND"), "{out}");
}

#[test]
fn trace_refuses_ipv6_text_aws_would_not_take() {
    let (code, _, err) = vpcraft(&["trace", DUAL, "--from", "app", "--to", "::ffff:8.8.8.8", "--port", "443"]);
    assert_ne!(code, 0);
    assert!(err.contains("8.8.8.8 instead"), "{err}");
}

#[test]
fn trace_from_an_ipv6_only_subnet_and_to_a_free_ipv6_address_are_hypothetical() {
    // A subnet with an IPv6 block stands for an interface with its first free IPv6 address (A7).
    let (code, out, err) =
        vpcraft(&["trace", DUAL, "--from", "v6only", "--to", "2001:4860:4860::8888", "--port", "443", "--sg", "web"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(
            "Source is hypothetical: an interface that does not exist yet, at 2600:1f18:1:2302::4 in subnet-0003"
        ),
        "{out}"
    );
    assert!(out.contains("with security groups sg-0002"), "{out}");
    assert!(out.contains("delivered"), "{out}");
    // A free address in the private subnet's block: the internet's request gets in, the reply
    // is refused at the egress-only gateway (I5), as for the instance there.
    let (code, out, err) = vpcraft(&[
        "trace",
        DUAL,
        "--from",
        "internet",
        "--to",
        "2600:1f18:1:2301::99",
        "--port",
        "443",
        "--sg",
        "web",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["code"], "EIGW_UNSOLICITED_INBOUND", "{out}");
    assert_eq!(v["hypothetical"][0]["address"], "2600:1f18:1:2301::99");
    assert_eq!(v["hypothetical"][0]["role"], "destination");
}

#[test]
fn audit_reports_ipv6_exposure_through_the_internet_gateway_only() {
    let (code, out, err) = vpcraft(&["audit", DUAL]);
    assert!(code == 0 || code == 1, "{err}");
    assert!(out.contains("at 2600:1f18:1:2300::10 on tcp 443"), "web is open over ::/0: {out}");
    assert!(!out.contains("2600:1f18:1:2301::10 on"), "app is behind the egress-only gateway: {out}");
}
