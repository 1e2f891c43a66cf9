//! Reading Terraform (tests/fixtures/terraform, written for the project): a module with
//! count, for_each and dynamic blocks called through a local path and through a
//! `.terraform/modules` layout, variables in Terraform's precedence, data-source defaults and
//! `--assume`, plan and state JSON — asserted through traces, as a user would check them.

use std::path::{Path, PathBuf};
use vpcraft::io::terraform::{import_dir, import_show_json, TerraformOptions, VarInput};
use vpcraft::io::ImportReport;
use vpcraft::model::Design;
use vpcraft::sim::{trace, TraceRequest, TraceResult};

const FIXTURES: &str = "tests/fixtures/terraform";

fn read(dir: &Path, opts: &TerraformOptions) -> (Design, ImportReport) {
    import_dir(dir, opts).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn go(d: &Design, from: &str, to: &str, port: u16) -> TraceResult {
    let req =
        TraceRequest::parse(d, from, to, "tcp", Some(port), None).unwrap_or_else(|e| panic!("{from} → {to}: {e}"));
    trace(d, &req)
}

fn expect(d: &Design, from: &str, to: &str, port: u16, verdict: &str, code: Option<&str>) -> TraceResult {
    let r = go(d, from, to, port);
    let shown = vpcraft::sim::render_text(&r);
    assert_eq!(r.verdict.to_string(), verdict, "{from} → {to}:{port}\n{shown}");
    assert_eq!(r.code.map(|c| c.as_str()), code, "{from} → {to}:{port}\n{shown}");
    r
}

fn passes(r: &TraceResult, kind: &str) -> bool {
    r.forward.iter().any(|h| h.component.kind.as_str() == kind)
}

/// Copy a folder tree (the fixtures are small).
fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The app and its module in a temporary folder, so a test may add files.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy(Path::new(FIXTURES).join("app").as_path(), &dir.path().join("app"));
    copy(Path::new(FIXTURES).join("modules").as_path(), &dir.path().join("modules"));
    let app = dir.path().join("app");
    (dir, app)
}

/// The traces the app's design must give, whichever way the module was found.
fn app_traces(d: &Design) {
    // A private instance reaches the internet through the NAT gateway its table names in
    // `gateway_id`, on the one port its egress rule allows.
    let r = expect(d, "aws_instance.app[\"blue\"]", "8.8.8.8", 443, "delivered", None);
    assert!(passes(&r, "nat-gateway"), "{}", vpcraft::sim::render_text(&r));
    expect(d, "aws_instance.app[\"blue\"]", "8.8.8.8", 80, "dropped", Some("ENI_SG_RULES_MISMATCH"));
    // The gateway endpoint's route (from the module's for_each over a data source).
    let r = expect(d, "aws_instance.app[\"green\"]", "s3.eu-west-1.amazonaws.com", 443, "delivered", None);
    assert!(passes(&r, "vpc-endpoint"), "{}", vpcraft::sim::render_text(&r));
    // Group references through a separate rule resource.
    expect(d, "aws_instance.web", "aws_instance.app[\"green\"]", 8080, "delivered", None);
    expect(d, "internet", "aws_instance.web", 443, "delivered", None);
    expect(d, "internet", "aws_instance.web", 22, "dropped", Some("ENI_SG_RULES_MISMATCH"));
    // A group declared without egress cannot send: Terraform removed the default rule.
    expect(d, "aws_instance.sealed", "8.8.8.8", 443, "dropped", Some("ENI_SG_RULES_MISMATCH"));
    expect(d, "aws_instance.sealed", "aws_instance.web", 443, "dropped", Some("ENI_SG_RULES_MISMATCH"));
    expect(d, "aws_instance.web", "aws_instance.sealed", 22, "delivered", None);
    // The empty aws_default_security_group drops everything, both ways.
    expect(d, "aws_instance.bare", "8.8.8.8", 443, "dropped", Some("ENI_SG_RULES_MISMATCH"));
    expect(d, "aws_instance.web", "aws_instance.bare", 443, "dropped", Some("ENI_SG_RULES_MISMATCH"));
    // The database tier has no NAT route (a dynamic block with an empty for_each).
    expect(d, "aws_instance.db", "8.8.8.8", 443, "dropped", Some("NO_ROUTE_TO_DESTINATION"));
}

#[test]
fn a_local_module_evaluates_and_traces_like_terraform_would_deploy_it() {
    let (d, report) = read(&Path::new(FIXTURES).join("app"), &TerraformOptions::default());
    app_traces(&d);
    // Names are addresses; the Name tag resolves too and is kept beside them.
    let blue = d.resolve("aws_instance.app[\"blue\"]").unwrap();
    assert_eq!(d.resolve("staging-app-blue").unwrap().id(), blue.id());
    assert!(d.resolve("module.net.aws_subnet.this[\"private-0\"]").is_ok());
    assert!(d.resolve("module.net.aws_default_security_group.this").is_ok());
    // What was assumed and skipped is reported, by address.
    assert!(report.mentions("data.aws_ami.any.id"), "{report}");
    assert!(report.mentions("module.net.data.aws_availability_zones.available.names"), "{report}");
    assert!(report.mentions("aws_s3_bucket.logs"), "{report}");
    assert!(report.mentions("terraform.tfvars"), "{report}");
    assert_eq!(d.vpcs.len(), 1);
    assert_eq!(d.subnets.len(), 6);
    assert_eq!(d.nat_gateways.len(), 1, "not prod: one NAT gateway");
}

#[test]
fn a_module_downloaded_by_terraform_init_reads_the_same() {
    let (dir, app) = scratch();
    let main = std::fs::read_to_string(app.join("main.tf")).unwrap();
    let main =
        main.replace("source = \"../modules/network\"", "source  = \"example-org/network/aws\"\n  version = \"1.2.0\"");
    std::fs::write(app.join("main.tf"), main).unwrap();
    // `terraform init` puts registry modules under .terraform/modules and lists them.
    copy(&dir.path().join("modules/network"), &app.join(".terraform/modules/net"));
    std::fs::remove_dir_all(dir.path().join("modules")).unwrap();
    let json = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
        {"Key":"net","Source":"registry.terraform.io/example-org/network/aws","Version":"1.2.0","Dir":".terraform/modules/net"}]}"#;
    std::fs::write(app.join(".terraform/modules/modules.json"), json).unwrap();
    let (d, _) = read(&app, &TerraformOptions::default());
    app_traces(&d);
    // Without the download, the module is reported and its resources skipped.
    std::fs::remove_dir_all(app.join(".terraform")).unwrap();
    let (_, report) = import_dir(&app, &TerraformOptions::default()).map_err(|e| e.to_string()).unwrap_or_else(|e| {
        // The app needs the module's outputs; an unknown subnet id leaves instances out.
        panic!("{e}")
    });
    assert!(report.mentions("not on disk"), "{report}");
}

#[test]
fn variables_follow_terraforms_precedence() {
    let (_dir, app) = scratch();
    let env_of = |d: &Design| d.tag_names.get(&d.vpcs[0].id).cloned();
    let opts = |inputs: Vec<VarInput>, env: Vec<(&str, &str)>| TerraformOptions {
        inputs,
        env: env.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    };
    // TF_VAR_ is below terraform.tfvars.
    let (d, _) = read(&app, &opts(vec![], vec![("TF_VAR_env", "fromenv")]));
    assert_eq!(env_of(&d).as_deref(), Some("app-staging"));
    std::fs::remove_file(app.join("terraform.tfvars")).unwrap();
    let (d, _) = read(&app, &opts(vec![], vec![("TF_VAR_env", "fromenv")]));
    assert_eq!(env_of(&d).as_deref(), Some("app-fromenv"));
    // *.auto.tfvars(.json) in name order, above terraform.tfvars.
    std::fs::write(app.join("terraform.tfvars"), "env = \"tfvars\"\n").unwrap();
    std::fs::write(app.join("a.auto.tfvars"), "env = \"auto\"\n").unwrap();
    std::fs::write(app.join("b.auto.tfvars.json"), "{\"env\": \"autojson\"}").unwrap();
    let (d, _) = read(&app, &opts(vec![], vec![]));
    assert_eq!(env_of(&d).as_deref(), Some("app-autojson"));
    // The command line last, in its own order.
    let file = app.join("prod.tfvars");
    std::fs::write(&file, "env = \"prod\"\nweb_ports = [443, 8443]\n").unwrap();
    let (d, _) = read(&app, &opts(vec![VarInput::Var("env=cli".into()), VarInput::File(file.clone())], vec![]));
    assert_eq!(env_of(&d).as_deref(), Some("app-prod"));
    // prod: one NAT gateway per zone (count), and the list variable took effect.
    assert_eq!(d.nat_gateways.len(), 2);
    let r = expect(&d, "aws_instance.app[\"green\"]", "8.8.8.8", 443, "delivered", None);
    assert!(r.forward.iter().any(|h| h.component.name == "module.net.aws_nat_gateway.this[1]"), "its zone's NAT");
    expect(&d, "internet", "aws_instance.web", 8443, "delivered", None);
    let (d, _) = read(&app, &opts(vec![VarInput::File(file), VarInput::Var("env=cli".into())], vec![]));
    assert_eq!(env_of(&d).as_deref(), Some("app-cli"));
    // A required variable without a value names itself and where it is declared.
    std::fs::write(app.join("extra.tf"), "variable \"owner\" {\n  type = string\n}\nlocals {\n  o = var.owner\n}\n")
        .unwrap();
    let e = import_dir(&app, &opts(vec![], vec![])).unwrap_err().to_string();
    assert!(e.contains("\"owner\"") && e.contains("extra.tf:1:1"), "{e}");
}

#[test]
fn data_source_defaults_can_be_pinned_with_assume() {
    let app = Path::new(FIXTURES).join("app");
    let (d, report) = read(&app, &TerraformOptions::default());
    let az = |d: &Design, n: &str| d.subnets.iter().find(|s| s.name == n).map(|s| s.az.clone()).unwrap();
    assert_eq!(az(&d, "module.net.aws_subnet.this[\"private-0\"]"), "eu-west-1a");
    assert!(report.mentions("vpcraft's catalog"), "{report}");
    let opts = TerraformOptions {
        assumes: vec![
            "module.net.data.aws_availability_zones.available.names=[\"eu-west-1c\", \"eu-west-1b\"]".into(),
            "aws_instance.nowhere.private_ip=10.0.0.1".into(),
        ],
        ..Default::default()
    };
    let (d, report) = read(&app, &opts);
    assert_eq!(az(&d, "module.net.aws_subnet.this[\"private-0\"]"), "eu-west-1c");
    assert!(report.mentions("pinned"), "{report}");
    assert!(report.mentions("aws_instance.nowhere"), "an unused --assume is reported: {report}");
    app_traces(&d);
}

#[test]
fn count_on_a_value_known_only_after_apply_asks_for_assume() {
    let dir = tempfile::tempdir().unwrap();
    let text = "data \"aws_vpc\" \"shared\" {\n  tags = { Name = \"shared\" }\n}\n\nresource \"aws_subnet\" \"extra\" {\n  count      = data.aws_vpc.shared.cidr_block == \"\" ? 0 : 2\n  vpc_id     = data.aws_vpc.shared.id\n  cidr_block = cidrsubnet(data.aws_vpc.shared.cidr_block, 8, count.index)\n  availability_zone = \"us-east-1a\"\n}\n";
    std::fs::write(dir.path().join("main.tf"), text).unwrap();
    let e = import_dir(dir.path(), &TerraformOptions::default()).unwrap_err().to_string();
    assert!(e.contains("main.tf:6:") && e.contains("--assume") && e.contains("data.aws_vpc.shared.cidr_block"), "{e}");
    let opts = TerraformOptions {
        assumes: vec!["data.aws_vpc.shared.cidr_block=10.9.0.0/16".into(), "data.aws_vpc.shared.id=vpc-0shared".into()],
        ..Default::default()
    };
    let (d, report) = read(dir.path(), &opts);
    assert_eq!(d.subnets.len(), 2, "{report}");
    assert_eq!(d.subnets[1].primary_cidr_text(), "10.9.1.0/24");
    assert!(d.vpc("vpc-0shared").is_some_and(|v| v.external), "the shared VPC is an external stub");
}

#[test]
fn plan_and_state_json_read_with_their_values() {
    let state = Path::new(FIXTURES).join("show/state.json");
    let (d, report) = import_show_json(&state, &TerraformOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.default_region, "eu-central-1", "{report}");
    let web = d.resolve("aws_instance.web").unwrap();
    assert_eq!(web.id(), "i-0123456789abcdef0", "state ids are real ids");
    expect(&d, "aws_instance.web", "8.8.8.8", 443, "delivered", None);
    expect(&d, "internet", "aws_instance.web", 443, "delivered", None);
    expect(&d, "internet", "aws_instance.web", 22, "dropped", Some("ENI_SG_RULES_MISMATCH"));
    let plan = Path::new(FIXTURES).join("show/plan.json");
    let (d, report) = import_show_json(&plan, &TerraformOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    // Planned ids are unknown: references come back through the configuration section.
    let r = expect(&d, "aws_instance.web", "8.8.8.8", 443, "delivered", None);
    assert!(passes(&r, "internet-gateway"), "{report}");
    // Both are DESIGNs for every command.
    let (d2, _) = vpcraft::io::detect::import_any(&plan, None, &[]).unwrap();
    assert_eq!(d2.instances.len(), d.instances.len());
}

#[test]
fn tf_json_configuration_reads_like_hcl() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{
  "provider": {"aws": {"region": "ap-northeast-2"}},
  "variable": {"cidr": {"type": "string", "default": "10.1.0.0/16"}},
  "resource": {
    "aws_vpc": {"main": {"cidr_block": "${var.cidr}"}},
    "aws_subnet": {"a": {"count": 2, "vpc_id": "${aws_vpc.main.id}", "cidr_block": "${cidrsubnet(var.cidr, 8, count.index)}", "availability_zone": "ap-northeast-2a"}}
  }
}"#;
    std::fs::write(dir.path().join("main.tf.json"), json).unwrap();
    let (d, _) = read(dir.path(), &TerraformOptions::default());
    assert_eq!(d.subnets.len(), 2);
    assert_eq!(d.subnets[1].primary_cidr_text(), "10.1.1.0/24");
    assert_eq!(d.vpcs[0].region, "ap-northeast-2");
}
