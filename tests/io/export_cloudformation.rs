//! CloudFormation export: every built-in example passes cfn-lint (when installed).

use crate::common;

use std::path::Path;
use std::process::Command;
use vpcraft::io::export::cloudformation::to_cloudformation;
use vpcraft::model::Design;

fn cfn_lint_available() -> bool {
    Command::new("cfn-lint").arg("--version").output().is_ok_and(|o| o.status.success())
}

#[test]
fn every_example_passes_cfn_lint() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut designs: Vec<(String, Design)> =
        vpcraft::assets::EXAMPLES.iter().map(|(n, _)| (n.to_string(), vpcraft::assets::example(n).unwrap())).collect();
    designs.push(("kitchen-sink".into(), common::kitchen_sink()));
    designs.push(("generated".into(), vpcraft::model::gen::generate(12, 7)));
    designs.push(("hub".into(), common::hub_fixture()));
    let hybrid = Path::new("../shared/data/aws-snapshots/hybrid-cloud-aws");
    if hybrid.is_dir() || crate::common::skip_unless_ci("the shared hybrid-cloud snapshot is absent") {
        let opts = vpcraft::io::snapshot::SnapshotOptions::default();
        designs.push(("hybrid".into(), vpcraft::io::snapshot::import_path(hybrid, &opts).unwrap().0));
    }
    for (name, d) in &designs {
        let out = to_cloudformation(d);
        let p = dir.path().join(format!("{name}.json"));
        std::fs::write(&p, &out.text).unwrap();
        if std::env::var_os("VPCRAFT_KEEP_EXPORTS").is_some() {
            std::fs::write(Path::new("/tmp/io-out").join(format!("{name}.json")), &out.text).unwrap();
        }
        files.push(p);
    }
    if !cfn_lint_available() {
        crate::common::skip_unless_ci("the cfn-lint run: cfn-lint is not on PATH (pip install cfn-lint)");
        return;
    }
    let out = Command::new("cfn-lint").args(&files).output().unwrap();
    assert!(
        out.status.success(),
        "cfn-lint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
