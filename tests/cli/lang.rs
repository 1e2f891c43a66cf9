//! Issue 16 item 9: `vpcraft check` and `vpcraft trace` speak Korean with `--lang ko`; JSON
//! is the same in every language, English is the default and unchanged.

use std::process::{Command, Output};

fn vpcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).env("LANG", "ko_KR.UTF-8").output().expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const TRACE: &[&str] = &[
    "trace",
    "example:endpoint-lab",
    "--from",
    "jhPrivateEC2",
    "--to",
    "s3.ap-northeast-2.amazonaws.com",
    "--port",
    "443",
];

#[test]
fn trace_text_in_korean() {
    let ko = stdout(&vpcraft(&[TRACE, &["--lang", "ko"]].concat()));
    for want in [
        "요청 경로",
        "⑤ 라우팅 테이블 jhPrivateRT (rtb-0003) — 패킷이 버려졌습니다: 목적지에 맞는 경로가 없습니다 (R3) [R3]",
        "④ 네트워크 ACL jhVPC-default (acl-0001)",
        "판정: 차단됨 (NO_ROUTE)",
        "이유: NO_ROUTE_TO_DESTINATION: 목적지에 맞는 경로가 없습니다",
        "고치는 방법:",
        "일치: rule 100 allow all 0.0.0.0/0",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    assert!(!ko.contains("Verdict") && !ko.contains("Forward"), "{ko}");
    // The environment's LANG does not change the CLI's default: English, as before.
    let en = stdout(&vpcraft(TRACE));
    assert!(en.contains("Verdict: dropped (NO_ROUTE)") && en.contains("route-table jhPrivateRT"), "{en}");
}

#[test]
fn json_is_the_same_in_every_language() {
    for cmd in [TRACE.to_vec(), vec!["check", "example:endpoint-lab"]] {
        let en = stdout(&vpcraft(&[cmd.as_slice(), &["--format", "json"]].concat()));
        let ko = stdout(&vpcraft(&[cmd.as_slice(), &["--format", "json", "--lang", "ko"]].concat()));
        assert!(en.starts_with('{'), "{en}");
        assert_eq!(en, ko);
    }
}

#[test]
fn check_text_in_korean() {
    let ko = vpcraft(&["check", "example:privatelink-lab", "--lang", "ko"]);
    let text = stdout(&ko);
    assert!(text.starts_with("참고 VPC_CIDR_PUBLIC_RANGE [A4]"), "{text}");
    assert!(text.contains("        해결: "), "{text}");
    assert!(text.trim_end().ends_with("오류 0개, 경고 0개, 참고 1개"), "{text}");
    let en = stdout(&vpcraft(&["check", "example:privatelink-lab"]));
    assert!(en.starts_with("info VPC_CIDR_PUBLIC_RANGE [A4]") && en.contains("        fix: "), "{en}");
}

#[test]
fn an_unknown_language_is_a_clear_error() {
    let o = vpcraft(&[TRACE, &["--lang", "fr"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("en or ko"));
}
