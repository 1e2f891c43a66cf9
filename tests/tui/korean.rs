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
        "⑤ [4] 라우팅 테이블 jhPrivateRT — 패킷이 버려졌습니다",
        "✖ 버려진 곳 ⑤",
        "[4 · 홉 ②⑤]",
    ] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
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
