//! The animated trace view, without a terminal: the picker, the animation driven by explicit
//! tick times, drops, re-trace after a change, jump to a component; and snapshots at 120×40.

use std::time::{Duration, Instant};
use vpcraft::app::input::{KeyCode, KeyModifiers};
use vpcraft::app::trace_view::{Phase, Spec, TraceMsg, STEP};
use vpcraft::app::tree::NodeRef;
use vpcraft::app::{self, App, Msg, Pane};
use vpcraft::model::ops::{Op, Ref};
use vpcraft::model::ResourceKind as RK;

use crate::harness::{self, press, press_mod, typ};

const S3: &str = "s3.ap-northeast-2.amazonaws.com";

fn lab_app() -> App {
    let mut a = App::new(vpcraft::assets::example("endpoint-lab").expect("example"), None);
    a.allow_io = false;
    a
}

fn tv(a: &mut App, m: TraceMsg) {
    app::update(a, Msg::TraceView(m));
}

fn render(a: &App) -> String {
    harness::render(a, 120, 40)
}

fn spec(from: &str, to: &str) -> Spec {
    Spec { from: from.into(), to: to.into(), protocol: "tcp".into(), port: "443".into() }
}

/// A trace loaded and playing, its clock started at `t0`.
fn traced(from: &str, to: &str, t0: Instant) -> App {
    let mut a = lab_app();
    app::trace_view::run(&mut a, spec(from, to)).expect("trace");
    a.focus = Pane::Trace;
    tv(&mut a, TraceMsg::Tick(t0));
    a
}

#[test]
fn play_pause_step_back_restart_and_speed_with_explicit_times() {
    let t0 = Instant::now();
    let mut a = traced("jhPublicEC2", S3, t0);
    let anim = |a: &App| (a.trace_view.anim.phase, a.trace_view.anim.index);
    assert!(a.trace_view.anim.playing);
    assert_eq!(anim(&a), (Phase::Forward, 0));
    // Less than a step: nothing moves; a step: one hop; 2.5 steps later: two more.
    tv(&mut a, TraceMsg::Tick(t0 + STEP / 2));
    assert_eq!(anim(&a), (Phase::Forward, 0));
    tv(&mut a, TraceMsg::Tick(t0 + STEP));
    assert_eq!(anim(&a), (Phase::Forward, 1));
    tv(&mut a, TraceMsg::Tick(t0 + STEP * 3 + STEP / 2));
    assert_eq!(anim(&a), (Phase::Forward, 3));
    // Pause: time passes, nothing moves.
    press(&mut a, KeyCode::Char(' '));
    assert!(!a.trace_view.anim.playing);
    tv(&mut a, TraceMsg::Tick(t0 + STEP * 10));
    assert_eq!(anim(&a), (Phase::Forward, 3));
    // Step forward and back by keys.
    press(&mut a, KeyCode::Right);
    assert_eq!(anim(&a), (Phase::Forward, 4));
    press(&mut a, KeyCode::Char('h'));
    press(&mut a, KeyCode::Left);
    assert_eq!(anim(&a), (Phase::Forward, 2));
    // Speed: 2× halves the step.
    press(&mut a, KeyCode::Char('+'));
    assert_eq!(a.trace_view.anim.speed_label(), "2×");
    press(&mut a, KeyCode::Char(' '));
    let t1 = t0 + STEP * 20;
    tv(&mut a, TraceMsg::Tick(t1));
    tv(&mut a, TraceMsg::Tick(t1 + STEP / 2));
    assert_eq!(anim(&a), (Phase::Forward, 3), "one step per half STEP at 2×");
    press(&mut a, KeyCode::Char('-'));
    press(&mut a, KeyCode::Char('-'));
    press(&mut a, KeyCode::Char('-'));
    assert_eq!(a.trace_view.anim.speed_label(), "0.5×");
    tv(&mut a, TraceMsg::Tick(t1 + STEP / 2 + STEP));
    assert_eq!(anim(&a), (Phase::Forward, 3), "0.5× needs two STEPs");
    tv(&mut a, TraceMsg::Tick(t1 + STEP / 2 + STEP * 2));
    assert_eq!(anim(&a), (Phase::Forward, 4));
    // Restart.
    press(&mut a, KeyCode::Char('r'));
    assert_eq!(anim(&a), (Phase::Forward, 0));
    assert!(a.trace_view.anim.playing);
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Home);
    assert_eq!(anim(&a), (Phase::Forward, 0));
}

#[test]
fn the_return_run_starts_after_the_forward_one() {
    let t0 = Instant::now();
    let mut a = traced("jhPublicEC2", S3, t0);
    let r = a.trace_view.result.clone().expect("result");
    let (nf, nr) = (r.forward.len(), r.return_path.len());
    assert!(nf > 2 && nr > 2);
    let mut t = t0;
    for _ in 0..nf - 1 {
        t += STEP;
        tv(&mut a, TraceMsg::Tick(t));
    }
    assert_eq!((a.trace_view.anim.phase, a.trace_view.anim.index), (Phase::Forward, nf - 1));
    t += STEP;
    tv(&mut a, TraceMsg::Tick(t));
    assert_eq!((a.trace_view.anim.phase, a.trace_view.anim.index), (Phase::Return, 0), "the reply plays next");
    // Back from the return's first step goes to the forward's last.
    press(&mut a, KeyCode::Left);
    assert_eq!((a.trace_view.anim.phase, a.trace_view.anim.index), (Phase::Forward, nf - 1));
    press(&mut a, KeyCode::Char(' '));
    tv(&mut a, TraceMsg::Tick(t + Duration::from_secs(1000)));
    tv(&mut a, TraceMsg::Tick(t + Duration::from_secs(2000)));
    assert_eq!((a.trace_view.anim.phase, a.trace_view.anim.index), (Phase::Return, nr - 1));
    assert!(!a.trace_view.anim.playing, "stops at the end");
}

#[test]
fn a_dropped_trace_stops_at_its_stop_hop() {
    let t0 = Instant::now();
    let mut a = traced("jhPrivateEC2", S3, t0);
    let r = a.trace_view.result.clone().expect("result");
    assert!(!r.delivered());
    tv(&mut a, TraceMsg::Tick(t0 + Duration::from_secs(600)));
    let cur = a.trace_view.current().expect("a hop").clone();
    assert_eq!(a.trace_view.anim.phase, Phase::Forward);
    assert_eq!(Some(&cur), r.stop_hop());
    assert_eq!(cur.component.name, "jhPrivateRT");
    assert!(!a.trace_view.anim.playing);
    let screen = render(&a);
    assert!(screen.contains("✖ dropped at ⑤: NO_ROUTE_TO_DESTINATION"), "{screen}");
    assert!(screen.contains("add a gateway endpoint"), "{screen}");
}

#[test]
fn picker_filters_candidates_and_runs_and_r_retraces_after_a_change() {
    let mut a = lab_app();
    press(&mut a, KeyCode::Char('t'));
    let p = a.trace_picker().expect("the picker opens");
    assert!(p.candidates.iter().any(|c| c.value == S3), "service names are candidates");
    assert!(p.candidates.iter().any(|c| c.value == "internet"));
    // From: type-ahead over the design.
    press(&mut a, KeyCode::BackTab);
    press_mod(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
    typ(&mut a, "privateec");
    press(&mut a, KeyCode::Enter);
    press_mod(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
    typ(&mut a, "s3.ap-northeast-2");
    let p = a.trace_picker().expect("open");
    assert_eq!(p.inputs[0].text, "jhPrivateEC2");
    assert_eq!(p.visible().first().map(|c| c.value.as_str()), Some(S3));
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Enter);
    assert!(a.trace_picker().is_none(), "{:?}", a.trace_picker().and_then(|p| p.message.clone()));
    assert_eq!(a.focus, Pane::Trace);
    assert!(!a.trace_view.result.as_ref().expect("traced").delivered());
    // A bad address is refused in the picker, with what was typed kept.
    press(&mut a, KeyCode::Char('n'));
    press_mod(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
    typ(&mut a, "10.1.2");
    press_mod(&mut a, KeyCode::Char('t'), KeyModifiers::CONTROL);
    let p = a.trace_picker().expect("still open");
    assert!(p.message.as_deref().is_some_and(|m| m.contains("not a valid IPv4")), "{:?}", p.message);
    press(&mut a, KeyCode::Esc);
    assert!(a.trace_picker().is_none());
    assert_eq!(a.trace_view.spec.as_ref().map(|s| s.to.as_str()), Some(S3), "the last request is kept");

    // Fix the design (a gateway endpoint on the private table), then R: delivered.
    a.apply(
        "add endpoint",
        vec![Op::AddGatewayEndpoint {
            vpc: Ref::name("jhVPC"),
            service: "s3".into(),
            route_tables: vec![Ref::name("jhPrivateRT")],
            name: None,
            state: None,
        }],
    )
    .expect("edit");
    a.focus = Pane::Tree;
    press(&mut a, KeyCode::Char('R'));
    assert!(a.trace_view.result.as_ref().expect("traced").delivered(), "{:?}", a.status);
    assert!(render(&a).contains("Verdict: delivered"));
}

#[test]
fn enter_on_a_step_selects_its_component_in_the_tree_or_the_route_pane() {
    let t0 = Instant::now();
    let mut a = traced("jhPrivateEC2", S3, t0);
    press(&mut a, KeyCode::Char(' '));
    // ② the instance.
    press(&mut a, KeyCode::Right);
    assert_eq!(a.trace_view.current().map(|h| h.component.kind.as_str()), Some("instance"));
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.focus, Pane::Tree);
    assert!(matches!(a.selected_node(), Some(NodeRef::Resource { kind: RK::Instance, id }) if id == "i-0002"));
    // ⑤ the route table: the route pane shows it.
    a.focus = Pane::Trace;
    for _ in 0..3 {
        press(&mut a, KeyCode::Right);
    }
    assert_eq!(a.trace_view.current().map(|h| h.component.kind.as_str()), Some("route-table"));
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.focus, Pane::Routes);
    assert_eq!(a.selected_route_table().map(|r| r.name.as_str()), Some("jhPrivateRT"));
    // ① DNS is not a resource: an error, nothing moves.
    a.focus = Pane::Trace;
    press(&mut a, KeyCode::Home);
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.focus, Pane::Trace);
}

#[test]
fn snapshot_mid_animation() {
    let t0 = Instant::now();
    let mut a = traced("jhPublicEC2", S3, t0);
    for k in 1..=5 {
        tv(&mut a, TraceMsg::Tick(t0 + STEP * k));
    }
    insta::assert_snapshot!(render(&a));
}

#[test]
fn snapshot_dropped_with_reason_and_fixes() {
    let t0 = Instant::now();
    let mut a = traced("jhPrivateEC2", S3, t0);
    tv(&mut a, TraceMsg::Tick(t0 + Duration::from_secs(60)));
    insta::assert_snapshot!(render(&a));
}

#[test]
fn the_picker_s_pre_filled_value_is_selected_typing_replaces_it_and_it_does_not_filter() {
    let mut a = lab_app();
    a.trace_view.spec = Some(spec("internet", "internet"));
    press(&mut a, KeyCode::Char('t'));
    let p = a.trace_picker().expect("the picker opens");
    assert_eq!((p.field, p.inputs[1].text.as_str()), (1, "internet"));
    assert!(p.visible().len() > 1, "a pre-filled value not yet edited lists every candidate");
    // ↓ then Enter takes the highlighted candidate, not the pre-filled value.
    press(&mut a, KeyCode::Down);
    let second = a.trace_picker().and_then(|p| p.visible().get(1).map(|c| c.value.clone())).expect("two");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.trace_picker().map(|p| p.inputs[1].text.clone()), Some(second));
    // Back to To: the first printable key replaces the value, then the text filters.
    press(&mut a, KeyCode::BackTab);
    typ(&mut a, "privateec");
    let p = a.trace_picker().expect("open");
    assert_eq!(p.inputs[1].text, "privateec");
    assert_eq!(p.visible().first().map(|c| c.value.as_str()), Some("jhPrivateEC2"));
    // On Protocol (pre-filled tcp) a move keeps the value for editing.
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::End);
    press(&mut a, KeyCode::Backspace);
    typ(&mut a, "p");
    assert_eq!(a.trace_picker().map(|p| p.inputs[2].text.clone()).as_deref(), Some("tcp"));
}

#[test]
fn the_picker_s_hint_and_keys_fit_at_140_columns_and_name_the_key_the_status_bar_names() {
    let mut a = lab_app();
    press(&mut a, KeyCode::Char('t'));
    let screen = harness::render(&a, 140, 45);
    assert!(screen.contains("a service name, or an IP"), "the hint wraps, never cut:\n{screen}");
    assert!(screen.contains("Esc close"), "the footer fits:\n{screen}");
    assert!(screen.contains("Ctrl-T trace now"), "{screen}");
    assert!(screen.contains("Ctrl-T trace") && !screen.contains("Ctrl-S trace"), "one key in both places:\n{screen}");
}
