//! Golden outputs of the real binary, compared byte for byte: the JSON and text of every lab
//! trace, every §13 scenario and seed flow (and the engine-behaviour traces), `lab show` and
//! `lab check`, `check` of every built-in example, golden design and shared template, and both
//! exports. `tests/golden/cases.json` lists each case (arguments, exit status, whether it
//! reads `../shared`); `tests/golden/out/` holds what it printed; `tests/golden/designs/` the
//! input designs, saved once from the Rust-built scenarios and from each lab step.
//!
//! These files pin the CLI's public output across refactors. When a change is *meant* to
//! alter an output, re-bless with `VPCRAFT_BLESS=1 cargo test --test cli golden::bless --
//! --ignored` and say in the commit which outputs changed and why.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One run of the binary.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Case {
    /// File stem under `tests/golden/out/`.
    name: String,
    args: Vec<String>,
    /// The exit status it must end with.
    status: i32,
    /// Reads `../shared` (skipped outside CI when absent).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    shared: bool,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn golden() -> PathBuf {
    root().join("tests/golden")
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(golden().join("cases.json")).expect("tests/golden/cases.json");
    serde_json::from_str(&text).expect("cases.json parses")
}

/// (status, stdout, stderr) of one case, run from the crate root as a user would.
fn run(case: &Case) -> (i32, Vec<u8>, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcraft"))
        .args(&case.args)
        .current_dir(root())
        .env_remove("VPCRAFT_IP_RANGES")
        .output()
        .expect("run vpcraft");
    (out.status.code().unwrap_or(-1), out.stdout, out.stderr)
}

fn out_path(case: &Case, ext: &str) -> PathBuf {
    golden().join("out").join(format!("{}.{ext}", case.name))
}

fn shared_present() -> bool {
    Path::new(&root()).join("../shared/data").is_dir()
}

/// The first line where two outputs part, for the failure message.
fn first_difference(want: &[u8], got: &[u8]) -> String {
    let (w, g) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    for (i, (a, b)) in w.lines().zip(g.lines()).enumerate() {
        if a != b {
            return format!("line {}:\n  want: {a}\n  got:  {b}", i + 1);
        }
    }
    format!("lengths differ: want {} lines, got {}", w.lines().count(), g.lines().count())
}

#[test]
fn every_golden_output_is_byte_identical() {
    let cases = cases();
    assert!(cases.len() > 200, "only {} golden cases", cases.len());
    let shared = shared_present();
    if !shared {
        crate::common::skip_unless_ci("../shared/data is absent: the golden cases over shared templates do not run");
    }
    let mut failures = Vec::new();
    for case in cases.iter().filter(|c| shared || !c.shared) {
        let (status, stdout, stderr) = run(case);
        let want_out = std::fs::read(out_path(case, "out")).unwrap_or_default();
        let want_err = std::fs::read(out_path(case, "err")).unwrap_or_default();
        if status != case.status {
            failures.push(format!("{}: exit status {status}, want {}", case.name, case.status));
        }
        if stdout != want_out {
            failures.push(format!("{}: stdout differs, {}", case.name, first_difference(&want_out, &stdout)));
        }
        if stderr != want_err {
            failures.push(format!("{}: stderr differs, {}", case.name, first_difference(&want_err, &stderr)));
        }
    }
    assert!(failures.is_empty(), "{} golden case(s) changed:\n{}", failures.len(), failures.join("\n"));
}

/// Rewrite every output from the current binary (`VPCRAFT_BLESS=1`, run with `--ignored`).
#[test]
#[ignore = "rewrites tests/golden/out; run on purpose with VPCRAFT_BLESS=1"]
fn bless() {
    if std::env::var("VPCRAFT_BLESS").as_deref() != Ok("1") {
        return;
    }
    let mut cases = cases();
    std::fs::create_dir_all(golden().join("out")).unwrap();
    for case in cases.iter_mut() {
        if case.shared && !shared_present() {
            continue;
        }
        let (status, stdout, stderr) = run(case);
        case.status = status;
        std::fs::write(out_path(case, "out"), stdout).unwrap();
        let err = out_path(case, "err");
        if stderr.is_empty() {
            let _ = std::fs::remove_file(err);
        } else {
            std::fs::write(err, stderr).unwrap();
        }
    }
    let text = serde_json::to_string_pretty(&cases).unwrap() + "\n";
    std::fs::write(golden().join("cases.json"), text).unwrap();
}
