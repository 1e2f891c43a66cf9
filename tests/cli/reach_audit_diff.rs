//! `vpcraft reach`, `audit` and `diff` through the built binary: the JSON shapes scripts rely
//! on, CSV, and the exit codes CI uses (`--expect`, `--fail-on`).

use serde_json::Value;
use std::process::{Command, Output};
use vpcraft::model::RouteTarget;

fn vpcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn reach_json_is_exactly_sources_destinations_cells() {
    let o = vpcraft(&["reach", "example:endpoint-lab", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert_eq!(v["sources"], serde_json::json!(["subnet-0001", "subnet-0002"]));
    assert_eq!(v["destinations"], serde_json::json!(["subnet-0001", "subnet-0002", "internet"]));
    let cell = &v["cells"][1][2];
    assert_eq!(cell.as_object().map(|o| o.len()), Some(3));
    assert_eq!(cell["verdict"], "dropped");
    assert_eq!(cell["code"], "NO_ROUTE_TO_DESTINATION");
    assert_eq!(cell["at"], "rtb-0003");
    assert_eq!(v["cells"][0][0], serde_json::json!({"verdict": "delivered", "code": null, "at": null}));
}

#[test]
fn reach_expect_guards_a_selection() {
    let o = vpcraft(&[
        "reach",
        "example:endpoint-lab",
        "--from",
        "tier=private",
        "--to",
        "internet",
        "--port",
        "22",
        "--expect",
        "dropped",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = vpcraft(&["reach", "example:endpoint-lab", "--from", "jhVPC", "--to", "jhVPC", "--expect", "dropped"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("expected every cell dropped, but 4 are not"), "{}", stderr(&o));
    assert!(stderr(&o).contains("jhPublicSN → jhPrivateSN tcp/443: delivered"), "{}", stderr(&o));
}

#[test]
fn reach_csv_text_and_bad_selectors() {
    let o = vpcraft(&["reach", "example:endpoint-lab", "--ports", "22,443", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("source,destination,protocol,port,verdict,code,at"));
    assert_eq!(text.lines().count(), 1 + 2 * 2 * 3);
    assert!(text.contains("subnet-0002,internet,tcp,22,dropped,NO_ROUTE_TO_DESTINATION,rtb-0003"), "{text}");
    let o = vpcraft(&["reach", "example:endpoint-lab"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("reach tcp/443: 2 sources × 3 destinations, 4 delivered, 2 dropped"), "{text}");
    let o = vpcraft(&["reach", "example:endpoint-lab", "--from", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--from: 'nowhere' is no subnet, VPC or AWS service name"), "{}", stderr(&o));
}

#[test]
fn audit_fail_on_sets_the_exit_status() {
    let o = vpcraft(&["audit", "example:endpoint-lab", "--format", "json", "--fail-on", "high"]);
    assert_eq!(o.status.code(), Some(1), "the example opens SSH to the world: {}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let first = &v["findings"][0];
    for k in ["severity", "code", "rule", "message", "resources", "path", "fix"] {
        assert!(first.get(k).is_some(), "{k} missing: {first}");
    }
    assert_eq!(first["severity"], "high");
    assert!(v["counts"]["high"].as_u64().unwrap_or(0) >= 1);
    let o = vpcraft(&["audit", "example:endpoint-lab", "--fail-on", "bogus"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn diff_fail_on_opened_closed_and_exposure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = vpcraft::assets::example("endpoint-lab").expect("example");
    let mut new = old.clone();
    // The private table gets the internet gateway route; the private instance gets a public
    // address, and its subnet auto-assigns them.
    let igw = new.internet_gateways[0].id.clone();
    if let Some(t) = new.route_tables.iter_mut().find(|t| t.name == "jhPrivateRT") {
        t.routes.push(vpcraft::model::Route::to_cidr(
            "0.0.0.0/0".parse::<ipnet::Ipv4Net>().expect("cidr"),
            RouteTarget::InternetGateway(igw),
        ));
    }
    for s in new.subnets.iter_mut() {
        s.map_public_ip_on_launch = true;
    }
    if let Some(e) = new.network_interfaces.iter_mut().find(|e| e.name == "jhPrivateEC2-eth0") {
        e.public_ip = Some("3.35.10.99".parse().expect("ip"));
    }
    let (a, b) = (dir.path().join("old.ron"), dir.path().join("new.ron"));
    vpcraft::io::native::save_file(&old, &a).expect("saved");
    vpcraft::io::native::save_file(&new, &b).expect("saved");
    let (a, b) = (a.to_string_lossy().to_string(), b.to_string_lossy().to_string());
    let run = |extra: &[&str]| {
        let mut args = vec!["diff", a.as_str(), b.as_str(), "--port", "22"];
        args.extend_from_slice(extra);
        vpcraft(&args)
    };
    let o = run(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(v["opened"].as_array().is_some_and(|a| !a.is_empty()), "{v}");
    assert!(v["exposures"].as_array().is_some_and(|a| a.iter().any(|e| e["change"] == "new")), "{v}");
    assert_eq!(run(&["--fail-on", "opened"]).status.code(), Some(1));
    assert_eq!(run(&["--fail-on", "exposure"]).status.code(), Some(1));
    assert_eq!(run(&["--fail-on", "closed"]).status.code(), Some(0));
    // The other way round, the same change closes what it opened.
    let o = vpcraft(&["diff", b.as_str(), a.as_str(), "--port", "22", "--fail-on", "closed"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn reach_several_ports_give_one_object_each_and_expect_delivered_fails_on_a_drop() {
    let o = vpcraft(&["reach", "example:endpoint-lab", "--ports", "22,443", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let list = v.as_array().expect("an array, one object per port");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["port"], 22);
    assert_eq!(list[1]["port"], 443);
    for m in list {
        let keys: Vec<&String> = m.as_object().expect("an object").keys().collect();
        assert_eq!(keys.len(), 4, "port, sources, destinations, cells: {keys:?}");
    }
    let o = vpcraft(&[
        "reach",
        "example:endpoint-lab",
        "--from",
        "jhPrivateSN",
        "--to",
        "internet",
        "--expect",
        "delivered",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("jhPrivateSN → internet tcp/443: dropped NO_ROUTE_TO_DESTINATION"), "{}", stderr(&o));
    // Bad input is status 2, with what was wrong.
    for (args, says) in [
        (vec!["reach", "example:endpoint-lab", "--ports", "22,0"], "--ports: '0' is not a port"),
        (vec!["reach", "example:endpoint-lab", "--proto", "all"], "not a protocol a packet can have"),
        (vec!["reach", "example:endpoint-lab", "--to", "tier="], "tier= needs a name"),
        (vec!["reach", "example:endpoint-lab", "--from", "jhPublicEC2"], "a selector is a subnet"),
    ] {
        let o = vpcraft(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn diff_of_a_design_with_itself_changes_nothing_and_a_missing_side_is_status_2() {
    let o =
        vpcraft(&["diff", "example:endpoint-lab", "example:endpoint-lab", "--format", "json", "--fail-on", "opened"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let mut keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
    keys.sort();
    assert_eq!(keys, ["closed", "exposures", "opened", "resources"]);
    for k in keys {
        assert_eq!(v[k.as_str()], serde_json::json!([]), "{k}");
    }
    let o = vpcraft(&["diff", "example:endpoint-lab", "/nonexistent/new.ron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/new.ron"), "{}", stderr(&o));
    let o = vpcraft(&["diff", "example:endpoint-lab", "example:endpoint-lab", "--fail-on", "everything"]);
    assert_eq!(o.status.code(), Some(2), "clap refuses an unknown --fail-on");
}
