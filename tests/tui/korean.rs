//! Issue 16 item 9: `K` switches the whole interface to Korean (panes, trace steps, verdict,
//! status bar, help), through the catalogues; snapshots in Korean at 120×40.

use vpcraft::app::input::KeyCode;
use vpcraft::l10n::Lang;

use crate::harness::{self, app, press};

fn render(a: &vpcraft::app::App) -> String {
    harness::render(a, 120, 40)
}

#[test]
fn k_switches_the_whole_interface() {
    let mut a = app();
    let en = render(&a);
    assert!(en.contains("VPC tree") && en.contains("? help"), "{en}");
    press(&mut a, KeyCode::Char('K'));
    assert_eq!(a.lang(), Lang::Ko);
    let ko = render(&a);
    for want in ["VPC 트리", "서브넷 계획", "라우팅 테이블", "트레이스", "? 도움말", "q 종료"] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    assert!(!ko.contains("VPC tree") && !ko.contains("? help"), "{ko}");
    press(&mut a, KeyCode::Char('K'));
    // Back to English, byte for byte, but for the status message saying so.
    let back = render(&a);
    let without_status = |s: &str| s.lines().filter(|l| !l.contains("│ no findings")).collect::<Vec<_>>().join("\n");
    assert!(back.contains("language: English"), "{back}");
    assert_eq!(without_status(&back), without_status(&en));
}

#[test]
fn snapshot_main_screen_korean() {
    let mut a = app();
    press(&mut a, KeyCode::Char('K'));
    insta::assert_snapshot!(render(&a));
}

#[test]
fn snapshot_help_korean() {
    let mut a = app();
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('?'));
    let screen = render(&a);
    assert!(screen.contains("도움말 · Esc 닫기") && screen.contains("어디서나"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// A dropped trace in Korean: the steps, the verdict and the reason come from the catalogue;
/// the hop numbers are the same as in English.
#[test]
fn snapshot_dropped_trace_korean() {
    let mut a = app();
    press(&mut a, KeyCode::Char('L'));
    press(&mut a, KeyCode::Char('3'));
    press(&mut a, KeyCode::Char(']'));
    press(&mut a, KeyCode::Char('K'));
    let screen = render(&a);
    for want in [
        "판정: 차단됨 (NO_ROUTE)",
        "⑤ [4] 라우팅 테이블 jhPrivateRT — 라우팅 테이블 rtb-0003에",
        "✖ 버려진 곳 ⑤",
        "[4 · 홉 ②⑤]",
    ] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    insta::assert_snapshot!(screen);
}

/// Issue 12: each hop of the trace pane says the engine's own decision in Korean (which
/// table, which destination, which flow), not one line per action; zoomed, each step wraps
/// by display width inside the pane, and the drop's reason is the dropping hop's sentence.
#[test]
fn snapshot_trace_pane_korean_specific_sentences() {
    let mut a = app();
    press(&mut a, KeyCode::Char('L'));
    press(&mut a, KeyCode::Char('3'));
    press(&mut a, KeyCode::Char(']'));
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('4'));
    press(&mut a, KeyCode::Char('z'));
    // To the dropping hop ⑤: every step so far is listed, ⑤'s decision is in the details.
    for _ in 0..4 {
        press(&mut a, KeyCode::Right);
    }
    let (w, rows) = (120, 60);
    let screen = harness::render(&a, w, rows);
    // The list of steps (③ to ⑤ fit above the lab panel) and the details under it: the cells
    // right of step ③'s mark,
    // row by row (a wrapped step continues on the next row of that column).
    let backend = harness::draw(&a, w, rows);
    let buf = backend.backend().buffer().clone();
    let cell = |x: u16, y: u16| buf[(x, y)].symbol().to_string();
    let (x0, y0) = (0..rows)
        .flat_map(|y| (0..w - 2).map(move |x| (x, y)))
        .find(|&(x, y)| cell(x, y) == " " && cell(x + 2, y) == "③")
        .unwrap_or_else(|| panic!("step ③\n{screen}"));
    let flat: String = (y0..rows).flat_map(|y| (x0..w - 1).map(move |x| (x, y))).map(|(x, y)| cell(x, y)).collect();
    for want in [
        "③ SG jhSecurityGroup — 보안 그룹 sg-0002은(는) jhPrivateEC2 (i-0002)이(가) 10.10.1.10:49152 → 52.219.56.10:443 tcp 패킷을 보내도록 허용합니다: 일치하는 아웃바운드 규칙이 있습니다",
        "④ ACL jhVPC-default — 네트워크 ACL acl-0001은(는) 10.10.1.10:49152 → 52.219.56.10:443 tcp 패킷이 jhPrivateSN (subnet-0002)을(를) 나가도록 허용합니다",
        "✖ ⑤ [4] 라우팅 테이블 jhPrivateRT — 라우팅 테이블 rtb-0003에 52.219.56.10(으)로 가는 라우팅이 없습니다",
        "✖ 버려진 곳 ⑤: NO_ROUTE_TO_DESTINATION: 라우팅 테이블 rtb-0003에 52.219.56.10(으)로 가는 라우팅이 없습니다",
    ] {
        let want: String = want.split_whitespace().collect();
        let have: String = flat.split_whitespace().collect();
        assert!(have.contains(&want), "{want}\n{have}\n{screen}");
    }
    // Wrapped by display width: no wide character ends a row over the pane's right border.
    let bottom = (0..rows).find(|&y| cell(0, y) == "┗").expect("the pane's bottom");
    for y in 1..bottom {
        assert_eq!(cell(w - 1, y), "┃", "row {y} lost its border\n{screen}");
    }
    // The generic sentences of the actions are gone.
    assert!(!screen.contains("— 패킷을 보냅니다") && !screen.contains("— 패킷이 버려졌습니다"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// Korean lines wrap by display width and never overwrite a border: every row of the screen
/// is exactly 120 columns wide.
#[test]
fn korean_rows_keep_their_width() {
    use unicode_width::UnicodeWidthStr;
    let mut a = app();
    press(&mut a, KeyCode::Char('L'));
    press(&mut a, KeyCode::Char('3'));
    press(&mut a, KeyCode::Char('K'));
    for (y, row) in harness::rows(&a, 120, 40).into_iter().enumerate() {
        assert_eq!(row.width(), 120, "row {y}: {row}");
    }
}

/// Issue 16 item 9: what a layout creates besides its subnets, and the change the history
/// keeps (`u`'s status line), are said in Korean too.
#[test]
fn a_layouts_preview_and_its_undo_are_said_in_korean() {
    let mut a = crate::panes::home_network();
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('p'));
    harness::set(&mut a, "tiers", "web, app");
    harness::set(&mut a, "public", "web");
    harness::set(&mut a, "azs", "a");
    // The form's own preview says what it also creates in Korean, each thing in the list.
    let said: String = harness::form(&a).message_said.iter().map(|t| t.render(Lang::Ko)).collect();
    assert!(
        said.contains(
            "; 함께 만드는 것: 인터넷 게이트웨이 home-igw (연결됨), 라우팅 테이블 home-public (0.0.0.0/0 → home-igw)"
        ),
        "{said}"
    );
    let english: String = harness::form(&a).message_said.iter().map(|t| t.render(Lang::En)).collect();
    assert!(
        english.contains(
            "; also creates internet gateway home-igw (attached), route table home-public (0.0.0.0/0 → home-igw)"
        ),
        "{english}"
    );
    press(&mut a, KeyCode::Enter);
    assert!(harness::status(&a).contains("서브넷 2개 (필요한 테이블 포함)"), "{}", harness::status(&a));
    let p = a.planner.preview.clone().expect("a preview");
    assert_eq!(
        p.creates(Lang::Ko),
        ["인터넷 게이트웨이 home-igw (연결됨)", "라우팅 테이블 home-public (0.0.0.0/0 → home-igw)"]
    );
    let screen = render(&a);
    assert!(screen.contains("+ 인터넷 게이트웨이 home-igw (연결됨)"), "{screen}");
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Char('u'));
    assert_eq!(harness::status(&a), "되돌림: 서브넷 2개 배치 적용");
}

/// Issue 16 item 9: the tree's facts about a resource (a NAT gateway's connectivity, an
/// interface with its source/destination check off, a route's origin, a database's public
/// address) are said in Korean too; English stays as it was.
#[test]
fn the_trees_facts_speak_korean() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/designs/kitchen-sink.ron");
    let text = std::fs::read_to_string(&path).expect("the kitchen sink");
    let design = vpcraft::io::native::load_str(&text, &path).expect("a design");
    let mut a = harness::app_on(design);
    press(&mut a, KeyCode::Char('+'));
    let en = harness::render(&a, 140, 45);
    assert!(en.contains("hub-nat  nat 10.0.0.5 ⇢ 3.34.1.1 · public · availabl"), "{en}");
    assert!(en.contains("nat-box-eth0  10.0.1.20 · src/dst check off"), "{en}");
    assert!(en.contains("pl-78a54011 → vpce-0001  endpoint-managed"), "{en}");
    press(&mut a, KeyCode::Char('K'));
    let ko = harness::render(&a, 140, 45);
    assert!(ko.contains("hub-nat  nat 10.0.0.5 ⇢ 3.34.1.1 · 퍼블릭 · "), "{ko}");
    assert!(ko.contains("nat-box-eth0  10.0.1.20 · 소스/대상 확인 끔"), "{ko}");
    assert!(ko.contains("pl-78a54011 → vpce-0001  엔드포인트 관리"), "{ko}");
    // The route pane says what is wrong with a target in Korean.
    for _ in 0..30 {
        press(&mut a, KeyCode::Char('j'));
    }
    let ko = harness::render(&a, 140, 45);
    assert!(ko.contains("nat-gone ✖ 없음"), "{ko}");
    // Further down: the load balancers, target groups and prefix lists of the design.
    for _ in 0..85 {
        press(&mut a, KeyCode::Char('j'));
    }
    let ko = harness::render(&a, 140, 45);
    for want in ["provider-nlb  네트워크 · 내부 · 노드 1개", "backend-tg  tcp 80 · 대상 1개", "office  CIDR 1개"]
    {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    press(&mut a, KeyCode::Char('K'));
    let en = harness::render(&a, 140, 45);
    for want in ["provider-nlb  network · internal · 1 node", "backend-tg  tcp 80 · 1 target", "office  1 CIDRs"] {
        assert!(en.contains(want), "{want}\n{en}");
    }
}

/// Issue 16 item 9: a form's refusals and its choices' labels are said in Korean (the name's
/// "required", a NAT gateway's "zonal (in one subnet)", "(a new Elastic IP)").
#[test]
fn a_forms_refusals_and_choices_speak_korean() {
    let mut a = app();
    press(&mut a, KeyCode::Char('K'));
    harness::add(&mut a, "NAT gateway");
    press(&mut a, KeyCode::Enter);
    let ko = render(&a);
    for want in ["필수: 이름을 지정하세요", "영역형 (서브넷 하나에)", "(새 탄력적 IP)"] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    assert!(!ko.contains("required: give it a name") && !ko.contains("zonal (in one subnet)"), "{ko}");
}

/// Issue 16 item 9: the what-if's "nothing to list" status is said in Korean (off in tests).
#[test]
fn the_what_ifs_empty_status_speaks_korean() {
    let mut a = app();
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('D'));
    let status = harness::status(&a);
    assert!(status == "가정 분석이 꺼져 있습니다" || status.starts_with("아직 비교한 편집이 없습니다"), "{status}");
}
