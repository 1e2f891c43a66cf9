//! The guided-lab panel without a terminal: pick a lab, next/previous step (the design follows),
//! a try-it step checked before and after the user's change, show me, leave, language; and
//! snapshots of the panel in English and Korean at 120×40.

use vpcraft::app::input::KeyCode;
use vpcraft::app::lab::LabMsg;
use vpcraft::app::{self, keymap, App, Msg};
use vpcraft::labs::Lang;
use vpcraft::model::ops::{Op, Ref};

use crate::harness::{self, app, press};

fn render(a: &App) -> String {
    harness::render(a, 120, 40)
}

fn step(a: &App) -> usize {
    a.lab.active.as_ref().expect("in a lab").step
}

fn has_endpoint(a: &App) -> bool {
    !a.design.endpoints.is_empty()
}

/// Lab 3 (S3 gateway endpoint), opened by keys.
fn lab3() -> App {
    let mut a = app();
    press(&mut a, KeyCode::Char('L'));
    assert!(a.lab_picker().is_some(), "L opens the picker");
    press(&mut a, KeyCode::Char('3'));
    assert!(a.lab_picker().is_none());
    assert_eq!(a.lab.active.as_ref().map(|l| l.lab.name.as_str()), Some("s3-gateway-endpoint"));
    a
}

#[test]
fn next_prev_and_leave_keep_the_design_in_step() {
    let mut a = lab3();
    assert_eq!(step(&a), 0);
    assert!(a.design.instances.iter().any(|i| i.name == "jhPrivateEC2"), "the lab's starting design");
    assert!(a.dirty(), "a lab's design is unsaved");
    // Step 1's trace is loaded into the trace view and checked.
    let spec = a.trace_view.spec.clone().expect("the step's first trace");
    assert_eq!(spec.from, "jhPublicEC2");
    assert!(a.lab.active.as_ref().and_then(|l| l.checks.clone()).is_some_and(|c| c.iter().all(|x| x.passed)));
    press(&mut a, KeyCode::Char(']'));
    assert_eq!(step(&a), 1);
    assert_eq!(a.trace_view.spec.as_ref().map(|s| s.from.as_str()), Some("jhPrivateEC2"));
    assert!(!a.trace_view.result.as_ref().expect("traced").delivered());
    // Step 3 is try-it: no edits applied on entering.
    press(&mut a, KeyCode::Char(']'));
    assert_eq!(step(&a), 2);
    assert!(!has_endpoint(&a), "a try-it step leaves the change to the user");
    // Show me: the solution is applied (undoably) and the check passes.
    press(&mut a, KeyCode::Char('m'));
    assert!(has_endpoint(&a));
    assert!(a.lab.active.as_ref().is_some_and(|l| l.solved));
    press(&mut a, KeyCode::Char(']'));
    assert_eq!(step(&a), 3);
    // Back: the design is rebuilt as after step 3 (2 in 0-based).
    press(&mut a, KeyCode::Char('['));
    assert_eq!(step(&a), 2);
    assert!(has_endpoint(&a), "design_after includes the try-it solution");
    press(&mut a, KeyCode::Char('['));
    assert_eq!(step(&a), 1);
    assert!(!has_endpoint(&a), "before the endpoint step");
    // Undo works through the ordinary history.
    press(&mut a, KeyCode::Char('u'));
    assert!(has_endpoint(&a));
    // Leave: back to the user's own design, as it was before the lab (issue 16, item 10).
    press(&mut a, KeyCode::Esc);
    assert!(a.lab.active.is_none());
    assert!(!a.dirty());
    assert_eq!(a.path, None);
    assert_eq!(a.file_label(), "example custom-vpc");
    let home = vpcraft::assets::default_example();
    assert_eq!(a.design.vpcs, home.vpcs, "the user's design is back");
    assert_eq!(a.design.endpoints.len(), home.endpoints.len());
}

#[test]
fn try_it_check_fails_before_the_change_and_passes_after() {
    let mut a = lab3();
    press(&mut a, KeyCode::Char(']'));
    press(&mut a, KeyCode::Char(']'));
    assert_eq!(step(&a), 2);
    press(&mut a, KeyCode::Char('c'));
    let l = a.lab.active.as_ref().expect("lab");
    assert!(!l.solved);
    let checks = l.checks.clone().expect("checked");
    assert!(
        !checks[0].passed && checks[0].problems.iter().any(|p| p.to_string().contains("expected delivered")),
        "{checks:?}"
    );
    // ] refuses to go on while the check fails.
    press(&mut a, KeyCode::Char(']'));
    assert_eq!(step(&a), 2);
    assert!(render(&a).contains("✖"), "the failed trace is marked");
    // The user makes the change (as the tree's add form would).
    a.apply(
        "add VPC endpoint",
        vec![Op::AddGatewayEndpoint {
            vpc: Ref::name("jhVPC"),
            service: "s3".into(),
            route_tables: vec![Ref::name("jhPrivateRT")],
            name: None,
            state: None,
        }],
    )
    .expect("edit");
    press(&mut a, KeyCode::Char('c'));
    let l = a.lab.active.as_ref().expect("lab");
    assert!(l.solved, "{:?}", l.checks);
    assert!(a.trace_view.result.as_ref().expect("traced").delivered(), "the view shows the passing trace");
    // On to the end.
    press(&mut a, KeyCode::Char(']'));
    press(&mut a, KeyCode::Char(']'));
    assert!(a.lab.active.as_ref().is_some_and(|l| l.complete));
    assert!(render(&a).contains("Lab complete"));
}

#[test]
fn a_lab_does_not_replace_unsaved_work() {
    let mut a = app();
    let mut d = a.design.clone();
    d.name = "changed".into();
    a.replace_undoable("x", d);
    press(&mut a, KeyCode::Char('L'));
    press(&mut a, KeyCode::Char('3'));
    assert!(a.lab.active.is_none());
    assert_eq!(a.design.name, "changed");
}

#[test]
fn the_unsaved_work_refusal_is_said_in_the_apps_language() {
    for (lang, said) in [
        (vpcraft::l10n::Lang::En, "has unsaved changes: save (Ctrl-S) or undo them before a lab"),
        (vpcraft::l10n::Lang::Ko, "실습 전에 저장(Ctrl-S)하거나 되돌리세요"),
    ] {
        let mut a = app();
        a.set_lang(lang);
        let mut d = a.design.clone();
        d.name = "changed".into();
        a.replace_undoable("x", d);
        press(&mut a, KeyCode::Char('L'));
        press(&mut a, KeyCode::Char('3'));
        assert!(a.lab.active.is_none());
        let status = a.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
        assert!(status.contains(said), "{status}");
    }
}

#[test]
fn language_toggle_is_remembered_and_changes_the_panel() {
    let mut a = lab3();
    assert_eq!(a.lab.lang, Lang::En);
    assert!(render(&a).contains("Step 1/4"));
    press(&mut a, KeyCode::Char('K'));
    assert_eq!(a.lab.lang, Lang::Ko);
    assert!(render(&a).contains("단계 1/4"));
    // Kept after leaving and in the next lab.
    app::update(&mut a, Msg::Lab(LabMsg::Leave));
    assert_eq!(a.lab.lang, Lang::Ko);
    press(&mut a, KeyCode::Char('K'));
    assert_eq!(a.lab.lang, Lang::En);
}

#[test]
fn snapshot_lab_panel_english() {
    let mut a = lab3();
    press(&mut a, KeyCode::Char(']'));
    insta::assert_snapshot!(render(&a));
}

#[test]
fn snapshot_lab_panel_korean() {
    let mut a = lab3();
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char(']'));
    insta::assert_snapshot!(render(&a));
}

/// Lab 7 (NAT), at step 3: three changes (a NAT gateway, a route deleted, a route added).
fn lab7_step3(lang: Lang) -> App {
    let mut a = app();
    a.set_lang(lang);
    press(&mut a, KeyCode::Char('L'));
    press(&mut a, KeyCode::Char('7'));
    assert_eq!(a.lab.active.as_ref().map(|l| l.lab.name.as_str()), Some("nat"));
    press(&mut a, KeyCode::Char(']'));
    // Step 2 is try-it: shown, then on.
    press(&mut a, KeyCode::Char('m'));
    press(&mut a, KeyCode::Char(']'));
    assert_eq!(step(&a), 2);
    a
}

/// Issue 16 item 9: the Korean panel lists a step's changes in Korean (they were English);
/// English is as before.
#[test]
fn the_korean_panel_lists_the_changes_in_korean() {
    let en = render(&lab7_step3(Lang::En));
    for want in [
        "• create NAT gateway nat-gw in public at 10.40.1.20",
        "• rt-private: delete route 0.0.0.0/0",
        "• rt-private: add route 0.0.0.0/0 → nat-gw",
    ] {
        assert!(en.contains(want), "{want}\n{en}");
    }
    let ko = render(&lab7_step3(Lang::Ko));
    for want in [
        "• public의 10.40.1.20에 NAT 게이트웨이 nat-gw 생성",
        "• rt-private: 라우팅 0.0.0.0/0 삭제",
        "• rt-private: 라우팅 0.0.0.0/0 → nat-gw 추가",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    assert!(!ko.contains("create NAT") && !ko.contains("delete route") && !ko.contains("add route"), "{ko}");
}

#[test]
fn snapshot_lab_panel_korean_changes() {
    insta::assert_snapshot!(render(&lab7_step3(Lang::Ko)));
}

/// Issue 16 item 9 (O3): a trace's expected verdict in the Korean panel is Korean.
#[test]
fn the_korean_panel_says_the_expected_verdict_in_korean() {
    let mut a = lab3();
    press(&mut a, KeyCode::Char(']'));
    assert!(render(&a).contains("⇒ dropped"), "{}", render(&a));
    press(&mut a, KeyCode::Char('K'));
    let screen = render(&a);
    assert!(screen.contains("⇒ 차단됨") && !screen.contains("⇒ dropped"), "{screen}");
}

/// The status bar says what `q` does in a lab, and shows the lab's keys that reach it from the
/// focused pane (the planner keeps `]` and `c` for itself).
#[test]
fn status_hints_in_a_lab_say_q_leaves_it() {
    let plain = app();
    let hints = keymap::status_hints(&plain);
    assert!(hints.contains(&("q".to_string(), "quit")), "{hints:?}");

    let mut a = lab3();
    a.focus = vpcraft::app::Pane::Tree;
    let hints = keymap::status_hints(&a);
    assert!(hints.contains(&("q".to_string(), "leave lab")), "{hints:?}");
    assert!(hints.contains(&("]".to_string(), "next step")), "{hints:?}");
    assert!(hints.contains(&("c".to_string(), "check")), "{hints:?}");
    let screen = render(&a);
    assert!(screen.contains("q leave lab") && !screen.contains("q quit"), "{screen}");

    a.focus = vpcraft::app::Pane::Planner;
    let hints = keymap::status_hints(&a);
    assert!(hints.contains(&("]".to_string(), "next step")), "] reaches the lab from the planner: {hints:?}");
    assert!(hints.contains(&("c".to_string(), "check")), "c reaches the lab from the planner: {hints:?}");
    assert!(hints.contains(&("q".to_string(), "leave lab")), "{hints:?}");
}

/// With the trace pane focused, the status bar shows the trace keys, not a scroll hint.
#[test]
fn status_hints_of_the_trace_pane() {
    let mut a = app();
    a.focus = vpcraft::app::Pane::Trace;
    let hints = keymap::status_hints(&a);
    for want in [("Space", "play/pause"), ("→", "step"), ("←", "back"), ("n", "new trace")] {
        assert!(hints.contains(&(want.0.to_string(), want.1)), "{want:?} missing: {hints:?}");
    }
    assert!(render(&a).contains("Space play/pause"));
    press(&mut a, KeyCode::Char('t'));
    let hints = keymap::status_hints(&a);
    assert!(hints.iter().any(|(_, h)| *h == "trace"), "the trace picker's keys: {hints:?}");
}

/// Issue 16 item 1: the lab panel shows each blog step `[n]` with the hops the trace computed,
/// and the trace pane labels those hops with `[n]`; circled numbers are hop numbers only.
#[test]
fn lab3_panel_and_animation_agree_on_hop_numbers() {
    let mut a = lab3();
    press(&mut a, KeyCode::Char(']'));
    let screen = render(&a);
    assert!(screen.contains("[4 · hops ②⑤]"), "{screen}");
    assert!(screen.contains("⑤ [4] route table jhPrivateRT"), "{screen}");
    assert!(screen.contains("② [4] EC2 jhPrivateEC2"), "{screen}");
    assert!(screen.contains("dropped at ⑤"), "{screen}");
    press(&mut a, KeyCode::Char('['));
    let screen = render(&a);
    for (n, hop) in [(1, "②"), (2, "⑤"), (3, "⑥")] {
        assert!(screen.contains(&format!("[{n} · hop {hop}]")), "{screen}");
    }
    assert!(screen.contains("⑤ [2] route table jhPublicRT"), "{screen}");
}

/// Issue 16 item 9: leaving a lab in Korean names the lab in Korean too.
#[test]
fn leaving_a_lab_in_korean_says_so_in_korean() {
    let mut a = lab3();
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Esc);
    assert!(a.lab.active.is_none());
    let status = harness::status(&a);
    assert!(status.starts_with("실습 3 s3-gateway-endpoint"), "{status}");
    assert!(!status.contains("lab "), "{status}");
}
