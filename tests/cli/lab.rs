//! `vpcraft lab` through the real binary.

use std::process::Command;

fn vpcraft(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("run vpcraft");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn lab_list_names_all_eleven() {
    let (code, out, _) = vpcraft(&["lab", "list"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 11, "{out}");
    assert!(out.contains("dual-stack"), "{out}");
    assert!(out.contains("hub-inspection"), "{out}");
    assert!(out.contains("s3-gateway-endpoint"));
}

#[test]
fn lab_check_passes_every_lab() {
    let (code, out, err) = vpcraft(&["lab", "check"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.trim_end().ends_with("passed, 0 failed"), "{out}");
    // Issue 16 item 1: the lesson's texts are checked too, with each blog step's hops.
    assert!(out.contains("ok   lab 3 step 2 text (en, ko): [4 · hops ②⑤]"), "{out}");
    assert!(out.contains("ok   lab 3 title and summary (en, ko)"), "{out}");
    let (_, ko, _) = vpcraft(&["lab", "check", "3", "--lang", "ko"]);
    assert!(ko.contains("[4 · 홉 ②⑤]"), "{ko}");
}

#[test]
fn lab_show_in_korean_with_numbered_steps() {
    let (code, out, _) = vpcraft(&["lab", "show", "s3-gateway-endpoint", "--lang", "ko"]);
    assert_eq!(code, 0);
    assert!(out.contains("게이트웨이 엔드포인트"), "{out}");
    assert!(out.contains('①') && out.contains('⑤'), "{out}");
    assert!(out.contains("NO_ROUTE_TO_DESTINATION"));
}

#[test]
fn unknown_lab_and_language_are_clear_errors() {
    let (code, _, err) = vpcraft(&["lab", "show", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no lab named 'nope'"), "{err}");
    let (code, _, err) = vpcraft(&["lab", "list", "--lang", "fr"]);
    assert_eq!(code, 2);
    assert!(err.contains("en or ko"), "{err}");
}
