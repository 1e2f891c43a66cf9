//! Issue 16 item 9: `K` switches the whole interface, not only the lab panel: every pane, the
//! forms, the add menu, the pickers and the questions speak Korean through the catalogues, and
//! Korean text (two columns a syllable) never pushes a border out of place.

use unicode_width::UnicodeWidthStr;
use vpcraft::app::input::KeyCode;
use vpcraft::app::App;

use crate::harness::{self, app, key, press, rows, typ};

/// A Korean app on the example design, with the subnet `my-pub-2a` selected.
fn korean() -> App {
    let mut a = app();
    press(&mut a, KeyCode::Char('K'));
    a
}

/// Every row is exactly as wide as the screen (nothing spills past a border), and each pane's
/// left and right borders are where the pane is, on every row of it.
fn assert_borders_hold(a: &App, w: u16, h: u16, what: &str) {
    let screen = rows(a, w, h);
    for (y, row) in screen.iter().enumerate() {
        assert_eq!(row.width(), usize::from(w), "{what}: row {y} is not {w} columns: {row}");
    }
    let t = harness::draw(a, w, h);
    let buf = t.backend().buffer().clone();
    // Nothing is drawn under the second half of a wide character (a terminal would show the
    // syllable and lose what is there: an overlay's border, a letter).
    for y in 0..h {
        for x in 1..w {
            let (before, here) = (buf[(x - 1, y)].symbol(), buf[(x, y)].symbol());
            assert!(
                before.width() < 2 || here.trim().is_empty(),
                "{what}: {here:?} at ({x},{y}) is hidden under {before:?}\n{}",
                screen.join("\n")
            );
        }
    }
    let border = |s: &str| "│┃╭╮╰╯┏┓┗┛║╔╗╚╝".contains(s);
    // Panes covered by a popup are checked where the popup is not.
    if a.modal().is_none() {
        for (_, r) in &a.viewport.panes {
            for y in r.y + 1..(r.y + r.height).saturating_sub(1) {
                for x in [r.x, r.x + r.width - 1] {
                    let s = buf[(x, y)].symbol();
                    assert!(border(s), "{what}: ({x},{y}) is {s:?}, not a border\n{}", screen.join("\n"));
                }
            }
        }
    }
}

/// Interface words that must not show in Korean (they would be English left over): whole
/// tokens, so ids such as `subnet-0001` and names such as `my-pub-2a` do not count.
const ENGLISH: &[&str] = &[
    "subnet",
    "subnets",
    "Subnet",
    "route",
    "routes",
    "Route",
    "table",
    "tables",
    "public",
    "private",
    "usable",
    "free",
    "reserved",
    "used",
    "Details",
    "zone",
    "region",
    "state",
    "target",
    "Target",
    "Destination",
    "origin",
    "Origin",
    "State",
    "active",
    "main",
    "group",
    "groups",
    "Gateways",
    "Security",
    "Network",
    "Name",
    "none",
    "adds",
    "empty",
    "help",
    "next",
    "apply",
    "cancel",
    "Find",
    "find",
    "Nothing",
    "entry",
    "entries",
    "inbound",
    "outbound",
    "Tier",
    "Usable",
    "Range",
    "Add",
    "New",
    "Edit",
    "Open",
    "example",
    "unique",
    "within",
    "pinned",
    "explicit",
    "automatic",
    "deleted",
    "Auto",
    "assign",
    "Availability",
    "suggested",
    "network",
    "gateways",
    "compute",
    "connectivity",
    "security",
    "instance",
    "endpoint",
    "Lay",
    "out",
    "quit",
    "save",
    "Unsaved",
    "inside",
    "overlaps",
    "refuses",
    "still",
];

fn leftover_english(screen: &str) -> Vec<String> {
    let mut found: Vec<String> = screen
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| ENGLISH.contains(w))
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Draw, check the borders at two sizes and that no English interface word is left.
fn check(a: &App, what: &str) -> String {
    for (w, h) in [(120, 40), (80, 24)] {
        assert_borders_hold(a, w, h, what);
    }
    let screen = harness::render(a, 120, 40);
    let left = leftover_english(&screen);
    assert!(left.is_empty(), "{what}: English left in Korean: {left:?}\n{screen}");
    screen
}

#[test]
fn the_tree_planner_and_route_panes_speak_korean() {
    let a = korean();
    let screen = check(&a, "main screen");
    for want in ["퍼블릭", "세부 정보", "라우팅 테이블", "사용 가능", "서브넷 8개", "목적지", "대상"]
    {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
}

#[test]
fn snapshot_planner_zoomed_korean() {
    let mut a = korean();
    press(&mut a, KeyCode::Char('2'));
    press(&mut a, KeyCode::Char('z'));
    let screen = check(&a, "planner");
    insta::assert_snapshot!(screen);
}

#[test]
fn snapshot_routes_zoomed_korean() {
    let mut a = korean();
    press(&mut a, KeyCode::Char('3'));
    press(&mut a, KeyCode::Char('z'));
    let screen = check(&a, "routes");
    insta::assert_snapshot!(screen);
}

#[test]
fn snapshot_add_menu_korean() {
    let mut a = korean();
    press(&mut a, KeyCode::Char('a'));
    let screen = check(&a, "add menu");
    assert!(screen.contains("네트워크") && screen.contains("NAT 게이트웨이"), "{screen}");
    insta::assert_snapshot!(screen);
    // Type-ahead still finds a kind by its English name.
    typ(&mut a, "nat");
    let screen = harness::render(&a, 120, 40);
    assert!(screen.contains("▸ NAT 게이트웨이"), "{screen}");
}

#[test]
fn snapshot_subnet_form_korean_with_an_error() {
    let mut a = korean();
    press(&mut a, KeyCode::Char('e'));
    // A CIDR outside the VPC: the form's own words are Korean, the rule is named.
    press(&mut a, key(KeyCode::Tab));
    typ(&mut a, "192.168.0.0/24");
    press(&mut a, key(KeyCode::Enter));
    let screen = check(&a, "subnet form");
    for want in ["서브넷", "이름", "가용 영역", "퍼블릭 IP 자동 할당", "적용 안 됨", "다음", "적용", "취소"]
    {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    // The model's refusal itself is Korean, with its values and its rule (A5).
    assert!(screen.contains("192.168.0.0/24은(는) my-vpc (10.39.0.0/16) 안에 있지 않습니다"), "{screen}");
    assert!(screen.contains("(A5)"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_refusals_and_the_quit_question_speak_korean() {
    let mut a = korean();
    // File access is off in tests: the status says so in Korean.
    press(&mut a, KeyCode::Char('o'));
    assert!(harness::status(&a).contains("파일 접근이 꺼져 있습니다"), "{}", harness::status(&a));
    // A subnet that still has instances is not deleted; the refusal's frame is Korean.
    press(&mut a, KeyCode::Char('d'));
    assert!(harness::status(&a).starts_with("삭제 안 됨: "), "{}", harness::status(&a));
    // … and the refusal itself (AWS's DependencyViolation, with the instances by name).
    assert!(harness::status(&a).contains("아직 인스턴스"), "{}", harness::status(&a));
    // An unsaved change (a rename through the form), then quit: the question lists its keys.
    press(&mut a, KeyCode::Char('e'));
    typ(&mut a, "web-2a");
    press(&mut a, key(KeyCode::Enter));
    assert!(harness::status(&a).contains("완료"), "{}", harness::status(&a));
    press(&mut a, KeyCode::Char('q'));
    let screen = check(&a, "quit question");
    assert!(screen.contains("저장하지 않은 변경") && screen.contains("저장 후 종료"), "{screen}");
}

#[test]
fn status_messages_speak_korean() {
    let mut a = korean();
    press(&mut a, KeyCode::Char('u'));
    assert!(harness::status(&a).contains("되돌릴 것 없음"), "{}", harness::status(&a));
}

#[test]
fn the_help_overlay_keeps_its_border_over_korean_panes() {
    let mut a = korean();
    press(&mut a, KeyCode::Char('?'));
    let screen = check(&a, "help");
    assert!(screen.contains("도움말 · Esc 닫기"), "{screen}");
}
