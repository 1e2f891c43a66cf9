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
        // Each hop says the engine's own decision (issue 12), not one sentence per action.
        "① DNS Amazon DNS (Route 53 Resolver) (10.10.0.2) — s3.ap-northeast-2.amazonaws.com이(가) 서비스의 퍼블릭 주소 52.219.56.10(으)로 풀립니다",
        "② 인스턴스 jhPrivateEC2 (i-0002) — jhPrivateEC2 (i-0002)이(가) 자기 주소에서 10.10.1.10:49152 → 52.219.56.10:443 tcp 패킷을 보냅니다 [X4]",
        "③ 보안 그룹 jhSecurityGroup (sg-0002) — 보안 그룹 sg-0002은(는) jhPrivateEC2 (i-0002)이(가) 10.10.1.10:49152 → 52.219.56.10:443 tcp 패킷을 보내도록 허용합니다: 일치하는 아웃바운드 규칙이 있습니다 [S2]",
        "④ 네트워크 ACL jhVPC-default (acl-0001) — 네트워크 ACL acl-0001은(는) 10.10.1.10:49152 → 52.219.56.10:443 tcp 패킷이 jhPrivateSN (subnet-0002)을(를) 나가도록 허용합니다: 처음 일치하는 아웃바운드 규칙이 허용합니다 [L2]",
        "⑤ 라우팅 테이블 jhPrivateRT (rtb-0003) — 라우팅 테이블 rtb-0003에 52.219.56.10(으)로 가는 라우팅이 없습니다 [R3]",
        "판정: 차단됨 (NO_ROUTE)",
        "이유: NO_ROUTE_TO_DESTINATION: 라우팅 테이블 rtb-0003에 52.219.56.10(으)로 가는 라우팅이 없습니다",
        "고치는 방법:",
        "일치: 규칙 100: all 0.0.0.0/0 허용",
        "일치: sg-0002 아웃바운드 규칙: all 허용, 대상 0.0.0.0/0",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    assert!(!ko.contains("Verdict") && !ko.contains("Forward"), "{ko}");
    // The environment's LANG does not change the CLI's default: English, as before.
    let en = stdout(&vpcraft(TRACE));
    assert!(en.contains("Verdict: dropped (NO_ROUTE)") && en.contains("route-table jhPrivateRT"), "{en}");
}

/// A delivered flow through the internet gateway says each translation and the stateful
/// reply in Korean with its addresses; no hop falls back to its action's generic sentence.
#[test]
fn trace_text_in_korean_says_each_decision() {
    let args = ["trace", "example:endpoint-lab", "--from", "jhPublicEC2", "--to", "internet", "--port", "443"];
    let ko = stdout(&vpcraft(&[args.as_slice(), &["--lang", "ko"]].concat()));
    for want in [
        "④ 라우팅 테이블 jhPublicRT (rtb-0002) — 라우팅 테이블 rtb-0002이(가) 198.51.100.10을(를) igw-0001(으)로 보냅니다: 일치하는 유일한 라우팅입니다 [R3]",
        "⑤ 인터넷 게이트웨이 jhIGW (igw-0001) — igw-0001이(가) 프라이빗 소스 10.10.0.10을(를) 퍼블릭 주소 3.35.10.10(으)로 바꿉니다 (정적 1:1 NAT, 포트는 그대로) [I3]",
        "⑦ 인터넷 인터넷 호스트 (198.51.100.10) — 198.51.100.10이(가) 3.35.10.10:49152에 응답합니다 [I3]",
        "⑩ 인스턴스 jhPublicEC2 (i-0001) — jhPublicEC2 (i-0001)이(가) 응답을 받습니다. 보안 그룹이 요청을 내보냈으므로 응답도 들여보냅니다 (상태 저장) [S3]",
        "판정: 전달됨 (EXITS_NETWORK)",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    for generic in
        ["— 패킷을 보냅니다", "— 라우팅 테이블이 다음 홉을 골랐습니다", "— 주소를 바꿉니다", "— 목적지가 응답합니다"]
    {
        assert!(!ko.contains(generic), "{generic}\n{ko}");
    }
    let en = stdout(&vpcraft(&args));
    assert!(en.contains("— rtb-0002 sends 198.51.100.10 to igw-0001: the only matching route [R3]"), "{en}");
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

/// Issue 16 item 9 (O15): `lab show --lang ko` heads the lab, its steps and its traces in
/// Korean; English is unchanged.
#[test]
fn lab_show_in_korean() {
    let ko = stdout(&vpcraft(&["lab", "show", "3", "--lang", "ko"]));
    assert!(ko.starts_with("실습 3: "), "{ko}");
    assert!(ko.contains("── 1단계 — "), "{ko}");
    assert!(ko.contains("— 예상 결과: 차단됨") || ko.contains("— 예상 결과: 전달됨"), "{ko}");
    for english in ["Lab 3:", "── Step", "— expect "] {
        assert!(!ko.contains(english), "{english:?} in\n{ko}");
    }
    let en = stdout(&vpcraft(&["lab", "show", "3"]));
    assert!(en.starts_with("Lab 3: ") && en.contains("── Step 1 — "), "{en}");
    assert!(en.contains(" — expect delivered") || en.contains(" — expect dropped"), "{en}");
}

/// Issue 16 item 9: `lab show --lang ko` lists every step's changes in Korean, in all 11 labs
/// (each `+` line says Hangul); English lists them as before.
#[test]
fn lab_show_in_korean_lists_every_change_in_korean() {
    for n in 1..=11 {
        let n = n.to_string();
        let ko = stdout(&vpcraft(&["lab", "show", &n, "--lang", "ko"]));
        let changes: Vec<&str> = ko.lines().filter(|l| l.starts_with("  + ")).collect();
        assert!(!changes.is_empty(), "lab {n}: no changes in\n{ko}");
        for line in changes {
            assert!(line.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)), "lab {n}: {line}");
        }
    }
    let en = stdout(&vpcraft(&["lab", "show", "7"]));
    assert!(en.contains("  + create NAT gateway nat-gw in public at 10.40.1.20 with EIP 50.1.1.4\n"), "{en}");
    let ko = stdout(&vpcraft(&["lab", "show", "7", "--lang", "ko"]));
    assert!(ko.contains("  + public의 10.40.1.20에 NAT 게이트웨이 nat-gw 생성 (EIP 50.1.1.4)\n"), "{ko}");
}

/// A design of the golden cases, by name.
fn golden_design(name: &str) -> String {
    format!("{}/tests/golden/designs/{name}.ron", env!("CARGO_MANIFEST_DIR"))
}

/// The matched route of a hop is said in Korean too: a propagated route (T6) and a blackhole
/// (R6) carry no English word in a Korean trace; English is as before.
#[test]
fn trace_in_korean_says_propagated_and_blackhole_routes() {
    let d = golden_design("scenarios__s34_vgw_propagated_route_delivers_t6-1");
    let args = ["trace", d.as_str(), "--from", "backend", "--to", "192.168.1.10", "--port", "22"];
    let ko = stdout(&vpcraft(&[&args[..], &["--lang", "ko"]].concat()));
    assert!(ko.contains("     일치: 192.168.0.0/16 → vgw-0001 (전파됨)\n"), "{ko}");
    assert!(!ko.contains("propagated"), "{ko}");
    let en = stdout(&vpcraft(&args));
    assert!(en.contains("     matched: 192.168.0.0/16 → vgw-0001 (propagated)\n"), "{en}");

    let d = golden_design("lab-peering-step2");
    let args = ["trace", d.as_str(), "--from", "seoul-ec2", "--to", "172.31.0.10", "--port", "22"];
    let ko = stdout(&vpcraft(&[&args[..], &["--lang", "ko"]].concat()));
    assert!(ko.contains("     일치: 172.31.0.0/16 → pcx-0001 [블랙홀]\n"), "{ko}");
    assert!(!ko.contains("blackhole"), "{ko}");
    let en = stdout(&vpcraft(&args));
    assert!(en.contains("     matched: 172.31.0.0/16 → pcx-0001 [blackhole]\n"), "{en}");
    // JSON is the same in every language.
    let json = |lang: &str| stdout(&vpcraft(&[&args[..], &["--format", "json", "--lang", lang]].concat()));
    assert_eq!(json("ko"), json("en"));
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The CLI's own lookup errors are said in the user's language, with the same exit status
/// (2, bad input); English is unchanged.
#[test]
fn trace_lookup_errors_in_korean() {
    let args = ["trace", "example:endpoint-lab", "--from", "nope", "--to", "internet", "--port", "443"];
    let ko = vpcraft(&[&args[..], &["--lang", "ko"]].concat());
    assert_eq!(ko.status.code(), Some(2));
    assert_eq!(
        stderr(&ko),
        "vpcraft: --from: id나 이름이 'nope'인 리소스가 없습니다(주소, `internet`, DNS 이름도 아닙니다)\n"
    );
    let en = vpcraft(&args);
    assert_eq!(en.status.code(), Some(2));
    assert_eq!(
        stderr(&en),
        "vpcraft: --from: no resource has the id or name 'nope' (and it is not an address, `internet` or a DNS name)\n"
    );
    // A named group the hypothetical end's VPC does not have (--sg).
    let sg = ["trace", "example:endpoint-lab", "--from", "jhPrivateSN", "--to", "internet", "--port", "443"];
    let ko = vpcraft(&[&sg[..], &["--sg", "nosuch", "--lang", "ko"]].concat());
    assert_eq!(ko.status.code(), Some(2));
    assert_eq!(stderr(&ko), "vpcraft: --sg nosuch: vpc-0001에 그런 id나 이름의 보안 그룹이 없습니다\n");
    // A resource that is no endpoint: its kind is said in Korean too.
    let vpc = ["trace", "example:endpoint-lab", "--from", "jhPrivateEC2", "--to", "jhVPC", "--port", "443"];
    let ko = stderr(&vpcraft(&[&vpc[..], &["--lang", "ko"]].concat()));
    assert!(
        ko.starts_with("vpcraft: --to: jhVPC (vpc-0001)은(는) VPC(이)라 스스로는 아무것도 주고받지 않습니다"),
        "{ko}"
    );
}
