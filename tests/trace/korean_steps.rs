//! Issue 16 item 9: a trace said in Korean says every step in Korean: the quotes of what
//! matched (a listener, an EKS cluster's public access CIDRs, a Gateway Load Balancer's
//! appliances, a firewall's rules), the warnings, the fixes and the reasons a flow could not
//! start. English stays as it was (the scenario files check it).

use crate::scenario_files::{apply, load, start, trace, Scenario};
use vpcraft::l10n::Lang;
use vpcraft::model::Design;

/// The design of a scenario's first step (its start and its edits).
fn first_design(s: &Scenario) -> Result<Design, String> {
    let mut b = start(&s.design)?;
    for e in &s.build {
        apply(&mut b, e)?;
    }
    Ok(b.design)
}

/// Every flow of a scenario file's first step, said in Korean.
fn korean(file: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios").join(file);
    let s = load(&path);
    let d = first_design(&s).expect("the scenario's design");
    let mut out = String::new();
    for f in &s.flows {
        let r = trace(&d, f).expect("a trace");
        out.push_str(&vpcraft::sim::render_text_in(&r, Lang::Ko));
    }
    out
}

/// The words a Korean trace must not say: each was English under `--lang ko`.
fn english_left(ko: &str, words: &[&str]) -> Vec<String> {
    ko.lines().filter(|l| words.iter().any(|w| l.contains(w))).map(str::to_string).collect()
}

#[test]
fn what_matched_is_said_in_korean() {
    let eks = korean("m7-eks-public-endpoint-cidrs.ron");
    assert!(eks.contains("일치: 퍼블릭 액세스 CIDR: 203.0.113.0/24"), "{eks}");
    let alb = korean("m10-alb-invokes-lambda.ron");
    assert!(alb.contains("일치: 리스너 tcp 80 → tg-0001"), "{alb}");
    let gwlb = korean("h-gwlb-ingress-routing.ron");
    assert!(gwlb.contains("ap-northeast-2a에 어플라이언스 1개)"), "{gwlb}");
    assert!(gwlb.contains("일치: 규칙 "), "{gwlb}");
    let stateless = korean("h-network-firewall-stateless.ron");
    assert!(stateless.contains("일치: 우선순위 10: tcp any 포트 any → any 포트 22: aws:drop"), "{stateless}");
    let domains = korean("h-network-firewall-domain-allow-list.ron");
    assert!(domains.contains("rg-domains의 허용 목록: TLS SNI "), "{domains}");
    let all = [eks, alb, gwlb, stateless, domains].concat();
    let left = english_left(
        &all,
        &["public access CIDRs", "listener ", "appliance", "stateless default", "priority ", "allow list", "rule "],
    );
    assert!(left.is_empty(), "{left:#?}");
}

#[test]
fn warnings_fixes_and_names_are_said_in_korean() {
    let asym = korean("h-east-west-appliance-mode.ron");
    assert!(asym.contains("경고: 비대칭 경로: 요청은 ap-northeast-2a에서 검사했는데"), "{asym}");
    // The internet host and the other things outside a design are named in Korean.
    let igw = korean("s01-igw-one-to-one-nat.ron");
    assert!(igw.contains("인터넷 인터넷 호스트 (60.1.1.1)"), "{igw}");
    let imds = korean("s31-imds.ron");
    assert!(imds.contains("인스턴스 메타데이터 서비스 (169.254.169.254)"), "{imds}");
    let nlb = korean("m5-internal-alb.ron");
    assert!(nlb.contains("내부 로드 밸런서의 이름은 노드의 프라이빗 주소로 풀립니다"), "{nlb}");
    let all = [asym, igw, imds, nlb].concat();
    let left = english_left(
        &all,
        &[
            "internet host",
            "asymmetric",
            "instance metadata service",
            "answered on the host",
            "the internet",
            "load balancer's name",
        ],
    );
    assert!(left.is_empty(), "{left:#?}");
}

/// A flow that cannot start says why in Korean (the reason was English).
#[test]
fn a_flow_that_cannot_start_says_why_in_korean() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/s31-imds.ron");
    let d = first_design(&load(&path)).expect("the scenario's design");
    let ix = vpcraft::sim::TraceIndex::new(&d);
    let req =
        vpcraft::sim::TraceRequest::parse(&d, "backend", "2001:db8::1", "tcp", Some(443), None).expect("a request");
    let r = ix.trace(&req);
    let (en, ko) = (vpcraft::sim::render_text(&r), vpcraft::sim::render_text_in(&r, Lang::Ko));
    assert!(en.contains("backend (i-0001) has no IPv6 address, so it cannot send to 2001:db8::1: assign it"), "{en}");
    assert!(ko.contains("backend (i-0001)에는 IPv6 주소가 없어 2001:db8::1(으)로 보낼 수 없습니다"), "{ko}");
}

/// A hypothetical end is described in Korean, and named so on its hops.
#[test]
fn a_hypothetical_end_is_described_in_korean() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/s31-imds.ron");
    let d = first_design(&load(&path)).expect("the scenario's design");
    let ix = vpcraft::sim::TraceIndex::new(&d);
    let req = vpcraft::sim::TraceRequest::parse(&d, "10.0.1.99", "backend", "tcp", Some(443), None).expect("a request");
    let r = ix.trace(&req);
    let (en, ko) = (vpcraft::sim::render_text(&r), vpcraft::sim::render_text_in(&r, Lang::Ko));
    assert!(
        en.starts_with("Source is hypothetical: an interface that does not exist yet, at 10.0.1.99 in subnet-0002 (traced as hypothetical-subnet-0002-10.0.1.99), with security group sg-0001 (the VPC's default); no public address\n"),
        "{en}"
    );
    assert!(
        en.contains("① network-interface hypothetical interface in private (hypothetical-subnet-0002-10.0.1.99)"),
        "{en}"
    );
    assert!(ko.starts_with("출발지는 가상입니다: 아직 없는 인터페이스, subnet-0002의 10.0.1.99"), "{ko}");
    assert!(ko.contains("보안 그룹 sg-0001 (VPC 기본); 퍼블릭 주소 없음"), "{ko}");
    assert!(ko.contains("가상 인터페이스 (private) (hypothetical-subnet-0002-10.0.1.99)"), "{ko}");
    // Inside the steps' sentences too.
    assert!(!ko.contains("hypothetical interface in"), "{ko}");
}

/// A load balancer's kind inside a sentence is said in Korean (`{kind_ui}`), as on a GWLB
/// endpoint whose service fronts another kind of load balancer (B2).
#[test]
fn a_load_balancers_kind_in_a_sentence_is_said_in_korean() {
    let t = vpcraft::text!(
        "{} fronts {}, a {kind_ui} load balancer; a gateway load balancer endpoint needs a gateway load balancer",
        "vpce-svc-1",
        "nlb-1",
        kind_ui = "network"
    );
    assert_eq!(
        t.render(Lang::En),
        "vpce-svc-1 fronts nlb-1, a network load balancer; a gateway load balancer endpoint needs a gateway load balancer"
    );
    let ko = t.render(Lang::Ko);
    assert!(ko.contains("네트워크 로드 밸런서 nlb-1"), "{ko}");
}
