//! Issue 16 item 9: the command line's own sentences (bad values of its options, the notes and
//! refusals of `reach`, `trace`, `diff`, `lab`, a module's missing output) are Korean with
//! `--lang ko`; English is the default and unchanged, and JSON is the same in every language.

use std::process::{Command, Output};

fn vpcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The standard error of a command that fails with status 2, in Korean and in English.
fn refused(args: &[&str]) -> (String, String) {
    let ko = vpcraft(&[args, &["--lang", "ko"]].concat());
    let en = vpcraft(args);
    assert_eq!(ko.status.code(), Some(2), "{args:?}: {}", stderr(&ko));
    assert_eq!(en.status.code(), Some(2), "{args:?}: {}", stderr(&en));
    (stderr(&ko), stderr(&en))
}

#[test]
fn reach_port_lists_are_refused_in_korean() {
    let reach = ["reach", "example:endpoint-lab"];
    for (ports, ko_want, en_want) in [
        ("0", "--ports: '0'은(는) 1-65535 포트가 아닙니다", "--ports: '0' is not a port 1-65535"),
        ("10-5", "--ports: 10-5은(는) 거꾸로 된 범위입니다", "--ports: 10-5 runs backwards"),
        ("1-1000", "--ports: 포트가 256개를 넘습니다", "--ports: more than 256 ports; each is a whole matrix"),
        (",", "--ports: 포트가 없습니다", "--ports: no port given"),
    ] {
        let (ko, en) = refused(&[&reach[..], &["--ports", ports]].concat());
        assert!(ko.contains(ko_want), "{ko}");
        assert_eq!(en, format!("vpcraft: {en_want}\n"));
    }
    // The note about ports a protocol does not have.
    let ko = vpcraft(&["reach", "example:endpoint-lab", "--proto", "icmp", "--port", "22", "--lang", "ko"]);
    assert!(stderr(&ko).contains("참고: icmp에는 포트가 없습니다; --port와 --ports는 무시합니다"), "{}", stderr(&ko));
    let en = vpcraft(&["reach", "example:endpoint-lab", "--proto", "icmp", "--port", "22"]);
    assert_eq!(stderr(&en), "note: icmp has no ports; --port and --ports are ignored\n");
}

/// Lab 10's design at its end with one subnet made IPv6-only, on disk.
fn ipv6_only_file(dir: &std::path::Path) -> String {
    let lab = vpcraft::labs::by_name("10").expect("lab 10");
    let mut d = vpcraft::labs::run::design_after(&lab, lab.steps.len() - 1).expect("lab 10 applies");
    let s = d.subnets.iter_mut().find(|s| s.ipv6_cidr.is_some()).expect("a dual-stack subnet");
    s.cidr = None;
    let path = dir.join("v6only.ron");
    vpcraft::io::native::save_file(&d, &path).expect("written");
    path.display().to_string()
}

#[test]
fn reach_says_in_korean_why_an_ipv6_only_subnet_has_no_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = ipv6_only_file(dir.path());
    let d = vpcraft::io::native::load_file(std::path::Path::new(&file)).expect("loads");
    let s = d.subnets.iter().find(|s| s.cidr.is_none()).expect("the IPv6-only subnet");
    let (ko, en) = refused(&["reach", &file, "--from", &s.id]);
    assert!(ko.contains(&format!("--from: {} ({})은(는) IPv6 전용입니다: 행렬은 IPv4이고", s.name, s.id)), "{ko}");
    assert!(!ko.contains("IPv6-only"), "{ko}");
    assert!(en.ends_with("is IPv6-only: the matrix is IPv4 (a hypothetical interface needs an IPv4 address), so it has no row or column\n"), "{en}");
}

#[test]
fn param_region_and_assume_values_are_refused_in_korean() {
    let (ko, en) = refused(&["check", "example:endpoint-lab", "--region", "mars-1"]);
    assert!(
        ko.contains("--region \"mars-1\"은(는) AWS 리전 이름(us-east-1, ap-northeast-2 같은)이 아닙니다 (A5)"),
        "{ko}"
    );
    assert_eq!(en, "vpcraft: --region \"mars-1\" is not an AWS region name (like us-east-1 or ap-northeast-2) (A5)\n");
    let (ko, en) = refused(&["check", "example:endpoint-lab", "--param", "x"]);
    assert!(ko.contains("--param \"x\": KEY=VALUE 형식이어야 합니다"), "{ko}");
    assert_eq!(en, "vpcraft: --param \"x\": expected KEY=VALUE, e.g. --param VpcCidr=10.0.0.0/16\n");
    let (ko, _) = refused(&["check", "example:endpoint-lab", "--assume", "nonsense"]);
    assert!(ko.contains("ADDRESS.ATTRIBUTE=VALUE 형식이어야 합니다"), "{ko}");
    let (ko, en) = refused(&["check", "example:nope"]);
    assert!(ko.contains("'nope'(이)라는 내장 예제가 없습니다; 다음 중 하나를 쓰세요: custom-vpc"), "{ko}");
    assert!(en.contains("no built-in example named 'nope'; try one of: custom-vpc"), "{en}");
    let (ko, en) = refused(&["check", "example:endpoint-lab", "--ip-ranges", "/nonexistent/ip-ranges.json"]);
    assert!(ko.contains("읽을 수 없습니다"), "{ko}");
    assert!(en.contains("cannot read"), "{en}");
}

#[test]
fn trace_refusals_and_the_hypothetical_line_in_korean() {
    let trace = ["trace", "example:endpoint-lab", "--from", "jhPrivateEC2", "--to", "internet"];
    let (ko, en) = refused(&trace);
    assert!(ko.contains("--proto tcp에는 --port가 필요합니다"), "{ko}");
    assert_eq!(en, "vpcraft: --port is required with --proto tcp\n");
    let (ko, _) = refused(&["trace", "example:endpoint-lab", "--from", "jhPrivateSN", "--to", "internet", "--sg", "x"]);
    assert!(ko.contains("--sg x: vpc-0001에 그런 id나 이름의 보안 그룹이 없습니다"), "{ko}");
    // `--expect` that disagrees: the verdicts and the reason in Korean.
    let ko = vpcraft(&[&trace[..], &["--port", "443", "--expect", "delivered", "--lang", "ko"]].concat());
    assert_eq!(ko.status.code(), Some(1));
    assert!(
        stderr(&ko).starts_with("vpcraft: 전달됨을(를) 예상했지만 흐름은 차단됨입니다: NO_ROUTE_TO_DESTINATION: "),
        "{}",
        stderr(&ko)
    );
    let en = vpcraft(&[&trace[..], &["--port", "443", "--expect", "delivered"]].concat());
    assert!(
        stderr(&en).starts_with("vpcraft: expected delivered, but the flow is dropped: NO_ROUTE_TO_DESTINATION: "),
        "{}",
        stderr(&en)
    );
    // A subnet as the source: the line that says the source is hypothetical (English as before;
    // its Korean is `HypotheticalEndpoint::describe_in`, tested in the library).
    let args = ["trace", "example:endpoint-lab", "--from", "jhPrivateSN", "--to", "internet", "--port", "443"];
    let en = stdout(&vpcraft(&args));
    assert!(en.starts_with("Source is hypothetical: an interface that does not exist yet, at 10.10.1.4 in subnet-0002 (traced as hypothetical-subnet-0002-10.10.1.4), with security group sg-0001 (the VPC's default); no public address\n"), "{en}");
}

#[test]
fn diff_refusals_and_fail_on_in_korean() {
    let (ko, en) = refused(&["diff", "example:endpoint-lab", "example:endpoint-lab", "--from", "nope"]);
    assert!(ko.contains("--from: 'nope'은(는) 설계의 서브넷, VPC, AWS 서비스 이름이 아닙니다"), "{ko}");
    assert!(en.contains("--from: 'nope' is no subnet, VPC or AWS service name of the design"), "{en}");
    let (ko, _) = refused(&["diff", "example:nope", "example:endpoint-lab"]);
    assert!(ko.contains("'nope'(이)라는 내장 예제가 없습니다"), "{ko}");
    let args = ["diff", "example:endpoint-lab", "example:custom-vpc", "--fail-on", "opened"];
    let ko = vpcraft(&[&args[..], &["--lang", "ko"]].concat());
    assert_eq!(ko.status.code(), Some(1));
    assert!(stderr(&ko).starts_with("vpcraft: 변경이 --fail-on 조건에 걸립니다: 흐름 "), "{}", stderr(&ko));
    let en = vpcraft(&args);
    assert!(stderr(&en).starts_with("vpcraft: the change fails --fail-on: "), "{}", stderr(&en));
    assert!(stderr(&en).ends_with(" flows opened\n"), "{}", stderr(&en));
}

#[test]
fn lab_list_show_and_check_in_korean() {
    let ko = stdout(&vpcraft(&["lab", "list", "--lang", "ko"]));
    assert!(ko.contains(" 1  custom-vpc             여섯 단계로 사용자 정의 VPC 만들기 (6단계)\n"), "{ko}");
    let en = stdout(&vpcraft(&["lab", "list"]));
    assert!(en.contains(" 1  custom-vpc             Build a custom VPC in six steps (6 steps)\n"), "{en}");
    let (ko, en) = refused(&["lab", "show", "99"]);
    assert!(ko.contains("'99'(이)라는 실습이 없습니다; 실습 목록: 1 custom-vpc"), "{ko}");
    assert!(en.contains("no lab named '99'; the labs are: 1 custom-vpc"), "{en}");
    // The traces `lab show` prints are said in the lab's language too.
    let ko = stdout(&vpcraft(&["lab", "show", "3", "--lang", "ko"]));
    assert!(ko.contains("    흐름 10.10.0.10:49152 → 52.219.56.10:443 tcp\n    요청 경로\n"), "{ko}");
    assert!(!ko.contains("Forward") && !ko.contains("Verdict"), "{ko}");
    let ko = stdout(&vpcraft(&["lab", "check", "3", "--lang", "ko"]));
    for want in [
        "통과 실습 3 1단계: jhPublicEC2 → s3.ap-northeast-2.amazonaws.com:443 예상 결과 전달됨 [1 · 홉 ②]",
        "통과 실습 3 제목과 요약 (en, ko): 직접 쓴 홉 번호 없음\n",
        "통과 실습 3 2단계 텍스트 (en, ko): [4 · 홉 ②⑤]\n",
        "통과 9, 실패 0\n",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    let en = stdout(&vpcraft(&["lab", "check", "3"]));
    assert!(
        en.starts_with(
            "ok   lab 3 step 1: jhPublicEC2 → s3.ap-northeast-2.amazonaws.com:443 expect delivered [1 · hop ②]"
        ),
        "{en}"
    );
    assert!(en.contains("ok   lab 3 title and summary (en, ko): no hop numbers typed\n"), "{en}");
    assert!(en.ends_with("9 passed, 0 failed\n"), "{en}");
}

/// A module output that does not exist names the module (`module.net`), and the sentence reads
/// right in both languages (it was `module.net.has no output`).
#[test]
fn a_missing_module_output_names_its_module() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("m")).expect("module folder");
    std::fs::write(dir.path().join("m/main.tf"), "output \"x\" {\n  value = \"10.0.0.0/16\"\n}\n").expect("written");
    let root =
        "module \"net\" {\n  source = \"./m\"\n}\nresource \"aws_vpc\" \"v\" {\n  cidr_block = module.net.nope\n}\n";
    std::fs::write(dir.path().join("main.tf"), root).expect("written");
    let path = dir.path().display().to_string();
    let (ko, en) = refused(&["check", &path]);
    assert!(ko.ends_with("main.tf:5:16: module.net에 출력 \"nope\"이(가) 없습니다\n"), "{ko}");
    assert!(en.ends_with("main.tf:5:16: module.net has no output \"nope\"\n"), "{en}");
}

/// A template's bad CIDR literal and a snapshot's unsupported list are reported in Korean with
/// the CIDR parser's own reason nested.
#[test]
fn import_report_details_in_korean() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("t.yaml");
    let yaml = "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/33\n";
    std::fs::write(&file, yaml).expect("written");
    let file = file.display().to_string();
    let ko = stdout(&vpcraft(&["check", &file, "--region", "us-east-1", "--lang", "ko"]));
    assert!(ko.contains("V: 2행 3열: CidrBlock '10.0.0.0/33'은(는) IPv4 CIDR이 아닙니다: 접두사 길이 33은(는) 32보다 큽니다; 건너뜀"), "{ko}");
    let en = stdout(&vpcraft(&["check", &file, "--region", "us-east-1"]));
    assert!(en.contains("V: line 2, column 3: CidrBlock '10.0.0.0/33' is not an IPv4 CIDR: prefix length 33 is larger than 32; skipped"), "{en}");
    // A kind named inside a sentence is said as the interface says it.
    let route = "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  R:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !Ref V\n      DestinationCidrBlock: 0.0.0.0/0\n      GatewayId: igw-1\n";
    let file = dir.path().join("r.yaml");
    std::fs::write(&file, route).expect("written");
    let file = file.display().to_string();
    let ko = stdout(&vpcraft(&["check", &file, "--region", "us-east-1", "--lang", "ko"]));
    assert!(ko.contains("R: 라우팅 테이블 자리에 vpc-V(VPC)을(를) 가리킵니다: 무시했습니다"), "{ko}");
    let en = stdout(&vpcraft(&["check", &file, "--region", "us-east-1"]));
    assert!(en.contains("R: refers to vpc-V (VPC) where a route table belongs: ignored"), "{en}");
}

/// A design file's own errors: a reference to nothing, a missing field, an empty input.
#[test]
fn design_file_errors_in_korean() {
    let dir = "tests/fixtures/designs/invalid";
    let (ko, en) = refused(&["check", &format!("{dir}/dangling-vpc.ron")]);
    assert!(
        ko.ends_with("dangling-vpc.ron:5:12: 서브넷 subnet-1이(가) 설계에 없는 'vpc-404'(VPC)을(를) 참조합니다\n"),
        "{ko}"
    );
    assert!(
        en.ends_with("dangling-vpc.ron:5:12: subnet subnet-1 refers to 'vpc-404' (VPC), which is not in the design\n"),
        "{en}"
    );
    let (ko, _) = refused(&["check", &format!("{dir}/missing-field.ron")]);
    assert!(ko.contains("빠진 필수 필드 `az`"), "{ko}");
    let (ko, en) = refused(&["check", "/dev/null"]);
    assert!(ko.ends_with("비어 있습니다: 설계도, 템플릿도, 스냅샷도 없습니다\n"), "{ko}");
    assert!(en.ends_with("is empty: no design, template or snapshot in it\n"), "{en}");
}

#[test]
fn json_of_reach_diff_and_lab_free_commands_is_the_same_in_korean() {
    for cmd in [
        vec!["reach", "example:endpoint-lab", "--format", "json"],
        vec!["diff", "example:endpoint-lab", "example:custom-vpc", "--format", "json"],
        vec!["audit", "example:endpoint-lab", "--format", "json"],
        vec!["import", "example:endpoint-lab", "-o", "-", "--format", "json"],
    ] {
        let en = vpcraft(&cmd);
        let ko = vpcraft(&[cmd.as_slice(), &["--lang", "ko"]].concat());
        assert_eq!(stdout(&en), stdout(&ko), "{cmd:?}");
        assert_eq!(stderr(&en), stderr(&ko), "{cmd:?}");
        assert!(!stdout(&en).is_empty(), "{cmd:?}");
    }
}
