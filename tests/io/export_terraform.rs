//! Terraform export: well-formed HCL (parsed back with python-hcl2 when installed) with the
//! resource counts the design implies, and references only to declared resources.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use vpcraft::io::export::terraform::to_terraform;
use vpcraft::model::*;

/// Resource counts per type from python-hcl2, or `None` when python3/hcl2 is missing.
fn parse_back(text: &str) -> Option<BTreeMap<String, usize>> {
    let script = "import hcl2,sys,json\nd=hcl2.load(sys.stdin)\nc={}\nfor r in d.get('resource',[]):\n  for t,v in r.items():\n    c[t.strip('\"')]=c.get(t.strip('\"'),0)+len(v)\nc['provider']=len(d.get('provider',[]))\nprint(json.dumps(c))";
    let child = Command::new("python3").args(["-c", "import hcl2"]).output().ok()?;
    if !child.status.success() {
        return None;
    }
    let mut p = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    p.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = p.wait_with_output().ok()?;
    assert!(
        out.status.success(),
        "python-hcl2 cannot parse the export:\n{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

fn exportable(r: &Route) -> bool {
    !r.is_local()
        && !matches!(r.origin, RouteOrigin::Local | RouteOrigin::Propagated | RouteOrigin::EndpointManaged)
        && r.state == RouteState::Active
        && !matches!(r.target, RouteTarget::Unknown(_))
}

/// What the design says the export must hold.
fn expected(d: &Design) -> BTreeMap<&'static str, usize> {
    let primaries = d.network_interfaces.iter().filter(|e| e.device_index == 0 && e.instance.is_some()).count();
    let plain_sgs: Vec<&SecurityGroup> = d.security_groups.iter().filter(|g| !g.is_default).collect();
    BTreeMap::from([
        ("aws_vpc", d.vpcs.iter().filter(|v| !v.external).count()),
        ("aws_subnet", d.subnets.len()),
        ("aws_route_table", d.route_tables.iter().filter(|t| !t.main).count()),
        ("aws_route", d.route_tables.iter().flat_map(|t| &t.routes).filter(|r| exportable(r)).count()),
        ("aws_security_group", plain_sgs.len()),
        ("aws_default_security_group", d.security_groups.len() - plain_sgs.len()),
        ("aws_vpc_security_group_ingress_rule", plain_sgs.iter().map(|g| g.ingress.len()).sum()),
        ("aws_vpc_security_group_egress_rule", plain_sgs.iter().map(|g| g.egress.len()).sum()),
        ("aws_instance", d.instances.len()),
        ("aws_network_interface", d.network_interfaces.len() - primaries),
        ("aws_internet_gateway", d.internet_gateways.len()),
        ("aws_nat_gateway", d.nat_gateways.len()),
        ("aws_eip", d.elastic_ips.len()),
        ("aws_network_acl", d.network_acls.iter().filter(|a| !a.is_default).count()),
        ("aws_network_acl_rule", d.network_acls.iter().filter(|a| !a.is_default).map(|a| a.entries.len()).sum()),
        ("aws_vpc_peering_connection", d.peerings.len()),
        ("aws_vpc_endpoint", d.endpoints.len()),
        ("aws_lb", d.load_balancers.len()),
        ("aws_ec2_transit_gateway", d.transit_gateways.len()),
        ("aws_vpn_connection", d.vpn_connections.len()),
        ("aws_customer_gateway", d.customer_gateways.len()),
        ("aws_networkfirewall_firewall", d.network_firewalls.len()),
        ("aws_networkfirewall_firewall_policy", d.firewall_policies.len()),
        ("aws_networkfirewall_rule_group", d.firewall_rule_groups.len()),
    ])
}

/// Every `aws_….name.attr` reference names a declared resource.
fn references_resolve(text: &str) {
    let mut declared = BTreeSet::new();
    for line in text.lines().filter(|l| l.starts_with("resource ")) {
        let parts: Vec<&str> = line.split('"').collect();
        declared.insert(format!("{}.{}", parts[1], parts[3]));
    }
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        for (i, _) in line.match_indices("aws_") {
            let before = line[..i].chars().last();
            if matches!(before, Some('"') | Some('.') | Some('_')) || line[..i].ends_with("data.") {
                continue;
            }
            let rest: String =
                line[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || "_.-".contains(*c)).collect();
            let parts: Vec<&str> = rest.split('.').collect();
            if parts.len() >= 3 {
                let addr = format!("{}.{}", parts[0], parts[1]);
                assert!(declared.contains(&addr), "{addr} is referenced but not declared (line: {line})");
            }
        }
    }
}

fn designs() -> Vec<(String, Design)> {
    let mut v: Vec<(String, Design)> =
        vpcraft::assets::EXAMPLES.iter().map(|(n, _)| (n.to_string(), vpcraft::assets::example(n).unwrap())).collect();
    v.push(("kitchen-sink".into(), common::kitchen_sink()));
    v.push(("generated".into(), vpcraft::model::gen::generate(12, 7)));
    v.push(("hub".into(), common::hub_fixture()));
    let dual = Path::new("tests/fixtures/designs/valid/dual-stack.ron");
    v.push(("dual-stack".into(), vpcraft::io::native::load_file(dual).unwrap()));
    let hybrid = Path::new("../shared/data/aws-snapshots/hybrid-cloud-aws");
    if hybrid.is_dir() || crate::common::skip_unless_ci("the shared hybrid-cloud snapshot is absent") {
        let opts = vpcraft::io::snapshot::SnapshotOptions::default();
        v.push(("hybrid".into(), vpcraft::io::snapshot::import_path(hybrid, &opts).unwrap().0));
    }
    v
}

#[test]
fn exports_parse_back_with_the_expected_resource_counts() {
    for (name, d) in designs() {
        let out = to_terraform(&d);
        if std::env::var_os("VPCRAFT_KEEP_EXPORTS").is_some() {
            std::fs::write(format!("/tmp/io-out/{name}.tf"), &out.text).unwrap();
        }
        references_resolve(&out.text);
        let Some(counts) = parse_back(&out.text) else {
            crate::common::skip_unless_ci(
                "the HCL parse-back: python3 with python-hcl2 is not installed (pip install python-hcl2)",
            );
            return;
        };
        for (ty, want) in expected(&d) {
            assert_eq!(counts.get(ty).copied().unwrap_or(0), want, "{name}: {ty}");
        }
        let regions: BTreeSet<&str> = d
            .vpcs
            .iter()
            .filter(|v| !v.external)
            .map(|v| v.region.as_str())
            .chain([d.default_region.as_str()])
            .collect();
        assert_eq!(counts["provider"], regions.len(), "{name}: one provider per region");
    }
}

#[test]
fn other_regions_use_provider_aliases() {
    let out = to_terraform(&common::kitchen_sink());
    let words = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.text.lines().any(|l| words(l) == "alias = \"ap_northeast_1\""), "{}", out.text);
    let tokyo = out.text.split("resource \"aws_vpc\" \"tokyo_vpc\"").nth(1).unwrap();
    assert_eq!(words(tokyo.lines().nth(1).unwrap()), "provider = aws.ap_northeast_1", "{tokyo}");
    assert!(out.text.contains("aws_vpc.hub.main_route_table_id"), "main table routes attach to the VPC's main table");
    assert!(out.notes.iter().any(|n| n.contains("blackhole")));
}

/// `terraform validate` over the exports, when terraform and an offline provider mirror are at
/// hand (`VPCRAFT_TF_PLUGIN_DIR`, default `/opt/tf-plugins`); skipped otherwise.
#[test]
fn terraform_validate_accepts_the_exports() {
    let plugins = std::env::var("VPCRAFT_TF_PLUGIN_DIR").unwrap_or_else(|_| "/opt/tf-plugins".into());
    let have_tf = Command::new("terraform").arg("version").output().is_ok_and(|o| o.status.success());
    if !have_tf || !Path::new(&plugins).is_dir() {
        crate::common::skip_unless_ci(&format!(
            "skipping terraform validate: needs terraform on PATH and a provider mirror at {plugins}"
        ));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new("terraform").args(args).current_dir(dir.path()).env("TF_IN_AUTOMATION", "1").output().unwrap()
    };
    for (name, d) in designs() {
        std::fs::write(dir.path().join("main.tf"), to_terraform(&d).text).unwrap();
        if !dir.path().join(".terraform").is_dir() {
            let init = run(&["init", "-input=false", "-no-color", "-backend=false", &format!("-plugin-dir={plugins}")]);
            if !init.status.success() {
                crate::common::skip_unless_ci(&format!(
                    "skipping terraform validate: init failed:\n{}",
                    String::from_utf8_lossy(&init.stdout)
                ));
                return;
            }
        }
        let v = run(&["validate", "-no-color"]);
        assert!(
            v.status.success(),
            "{name}: terraform validate:\n{}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
    }
}
