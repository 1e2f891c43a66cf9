//! Issue 16 item 9: `audit`, `reach` and `diff` speak Korean with `--lang ko` (codes, rules, ids
//! and names stay as they are); their JSON is the same in every language, and English is the
//! default and unchanged.

use std::process::{Command, Output};

fn vpcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn audit_text_in_korean() {
    let ko = stdout(&vpcraft(&["audit", "example:endpoint-lab", "--lang", "ko"]));
    for want in [
        "높음 EXPOSED_ADMIN_PORT [I2] 인터넷이 3.35.10.10의 jhPublicEC2 (i-0001)에 tcp 22(으)로 닿습니다 (관리 포트 22)",
        "    경로: ",
        "    해결: 이 포트들은 알려진 주소(배스천, VPN, 로드 밸런서)에서만 허용하거나 퍼블릭 주소를 제거하세요",
        "중간 PRIVATE_SUBNET_NO_SERVICE_PATH [G2] 프라이빗 서브넷 jhPrivateSN은(는)",
        "발견 사항 3개: 높음 1, 중간 2, 낮음 0, 정보 0",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    let en = stdout(&vpcraft(&["audit", "example:endpoint-lab"]));
    assert!(
        en.starts_with("high EXPOSED_ADMIN_PORT [I2] the internet reaches jhPublicEC2 (i-0001) at 3.35.10.10 on tcp 22 (administration port 22)\n"),
        "{en}"
    );
    assert!(en.ends_with("3 findings: 1 high, 2 medium, 0 low, 0 info\n"), "{en}");
}

#[test]
fn reach_text_in_korean() {
    let ko = stdout(&vpcraft(&["reach", "example:endpoint-lab", "--lang", "ko"]));
    for want in [
        "도달성 tcp/443: 출발지 2개 × 목적지 3개, 전달 4, 차단 2",
        "목적지:\n  [1] jhPublicSN (subnet-0001)",
        "차단:\n",
        "b  jhPrivateRT (rtb-0003)에서 NO_ROUTE_TO_DESTINATION",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    let en = stdout(&vpcraft(&["reach", "example:endpoint-lab"]));
    assert!(en.starts_with("reach tcp/443: 2 sources × 3 destinations, 4 delivered, 2 dropped\n"), "{en}");
    assert!(en.contains("Dropped:\n") && en.contains("b  NO_ROUTE_TO_DESTINATION at jhPrivateRT (rtb-0003)"), "{en}");
}

#[test]
fn diff_text_in_korean() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = vpcraft::assets::example("endpoint-lab").expect("example");
    let mut new = old.clone();
    // The private instance gets a public address and its table a route to the internet gateway.
    let igw = new.internet_gateways[0].id.clone();
    if let Some(t) = new.route_tables.iter_mut().find(|t| t.name == "jhPrivateRT") {
        t.routes.push(vpcraft::model::Route::to_cidr(
            "0.0.0.0/0".parse::<ipnet::Ipv4Net>().expect("cidr"),
            vpcraft::model::RouteTarget::InternetGateway(igw),
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
    let run = |extra: &[&str]| stdout(&vpcraft(&[&["diff", a.as_str(), b.as_str(), "--port", "22"], extra].concat()));
    let ko = run(&["--lang", "ko"]);
    for want in [
        "리소스: 4개 바뀜",
        "  변경됨   라우팅 테이블 rtb-0003 (jhPrivateRT)",
        "  변경됨   네트워크 인터페이스 eni-0002 (jhPrivateEC2-eth0)",
        "열린 흐름: 2",
        "  + subnet-0002 → internet tcp/22: jhPrivateRT (rtb-0003)에서 차단됨 NO_ROUTE_TO_DESTINATION ⇒ 전달됨",
        "닫힌 흐름: 0",
        "인터넷 노출: 새로 2, 사라짐 0",
        "  + 높음 EXPOSED_ADMIN_PORT 인터넷이 3.35.10.99의 jhPrivateEC2 (i-0002)에 tcp 22(으)로 닿습니다 (관리 포트 22)",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    let en = run(&[]);
    for want in [
        "Resources: 4 changed\n",
        "  changed  route table rtb-0003 (jhPrivateRT)",
        "  + subnet-0002 → internet tcp/22: dropped NO_ROUTE_TO_DESTINATION at jhPrivateRT (rtb-0003) ⇒ delivered",
        "Internet exposure: 2 new, 0 removed\n  + high EXPOSED_ADMIN_PORT the internet reaches",
    ] {
        assert!(en.contains(want), "{want}\n{en}");
    }
    // JSON is the same in every language.
    assert_eq!(run(&["--format", "json"]), run(&["--format", "json", "--lang", "ko"]));
}

#[test]
fn json_is_the_same_in_every_language() {
    for cmd in [vec!["audit", "example:endpoint-lab"], vec!["reach", "example:endpoint-lab"]] {
        let en = stdout(&vpcraft(&[cmd.as_slice(), &["--format", "json"]].concat()));
        let ko = stdout(&vpcraft(&[cmd.as_slice(), &["--format", "json", "--lang", "ko"]].concat()));
        assert!(en.starts_with('{') || en.starts_with('['), "{en}");
        assert_eq!(en, ko);
    }
    let o = vpcraft(&["audit", "example:endpoint-lab", "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The path of a private subnet cut off from its services says each flow's drop in Korean
/// (issue 16 item 9), as the reachability matrix says a cell; English is unchanged.
#[test]
fn audit_service_path_in_korean() {
    let ko = stdout(&vpcraft(&["audit", "example:endpoint-lab", "--lang", "ko"]));
    let line = ko.lines().find(|l| l.starts_with("    경로: s3.")).unwrap_or_else(|| panic!("{ko}"));
    assert!(
        line.starts_with(
            "    경로: s3.ap-northeast-2.amazonaws.com: jhPrivateRT (rtb-0003)에서 차단됨 NO_ROUTE_TO_DESTINATION; "
        ),
        "{line}"
    );
    assert!(!line.contains("dropped") && !line.contains(" at "), "{line}");
    let en = stdout(&vpcraft(&["audit", "example:endpoint-lab"]));
    assert!(
        en.contains(
            "    path: s3.ap-northeast-2.amazonaws.com: dropped NO_ROUTE_TO_DESTINATION at jhPrivateRT (rtb-0003); "
        ),
        "{en}"
    );
}

/// A selector that names nothing is said in Korean, with the same exit status (2).
#[test]
fn reach_lookup_error_in_korean() {
    let ko = vpcraft(&["reach", "example:endpoint-lab", "--from", "nope", "--lang", "ko"]);
    assert_eq!(ko.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&ko.stderr),
        "vpcraft: --from: 'nope'은(는) 설계의 서브넷, VPC, AWS 서비스 이름이 아닙니다(tier=NAME이나 internet도 아닙니다)\n"
    );
    let en = vpcraft(&["reach", "example:endpoint-lab", "--from", "nope"]);
    assert_eq!(en.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&en.stderr),
        "vpcraft: --from: 'nope' is no subnet, VPC or AWS service name of the design (and not tier=NAME or internet)\n"
    );
}
