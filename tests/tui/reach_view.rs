//! The reachability view, the audit list and the what-if, without a terminal: the matrix's
//! cells are `trace`'s answers and Enter plays that trace; the audit list jumps to resources;
//! an edit's what-if names the flows it opened; snapshots at 120×40.

use std::time::Duration;
use vpcraft::app::input::KeyCode;
use vpcraft::app::reach::{self, Overlay};
use vpcraft::app::{App, Pane};
use vpcraft::model::ops::{Op, Ref};
use vpcraft::model::RouteDestination;
use vpcraft::sim::Verdict;

use crate::harness::{self, key};

const S3: &str = "s3.ap-northeast-2.amazonaws.com";
const WAIT: Duration = Duration::from_secs(60);

fn lab_app() -> App {
    let mut a = App::new(vpcraft::assets::example("endpoint-lab").expect("example"), None);
    a.allow_io = false;
    a
}

fn press(a: &mut App, code: KeyCode) {
    harness::press(a, key(code));
}

fn render(a: &App) -> String {
    harness::render(a, 120, 40)
}

/// Move the matrix cursor onto (source label, destination label).
fn go_to(a: &mut App, from: &str, to: &str) {
    let Some(Overlay::Matrix(v)) = a.modals.reach() else { panic!("the matrix is not open") };
    let (m, _) = v.matrix().expect("computed");
    let r = m.source_labels.iter().position(|l| l == from).expect("row");
    let c = m.destination_labels.iter().position(|l| l == to).expect("column");
    press(a, KeyCode::Home);
    for _ in 0..r {
        press(a, KeyCode::Down);
    }
    for _ in 0..c {
        press(a, KeyCode::Right);
    }
}

#[test]
fn the_matrix_shows_each_cell_and_enter_plays_its_trace() {
    let mut a = lab_app();
    press(&mut a, KeyCode::Char('M'));
    assert!(matches!(a.modals.reach(), Some(Overlay::Matrix(_))));
    reach::finish(&mut a, WAIT);
    go_to(&mut a, "jhPrivateSN", S3);
    let screen = render(&a);
    assert!(screen.contains("jhPrivateSN → s3.ap-northeast-2.amazonaws.com tcp/443: dropped"), "{screen}");
    assert!(screen.contains("NO_ROUTE_TO_DESTINATION at"), "{screen}");
    insta::assert_snapshot!("reach_matrix_private_to_s3", screen);
    press(&mut a, KeyCode::Enter);
    assert!(a.modals.reach().is_none());
    assert_eq!(a.focus, Pane::Trace);
    let spec = a.trace_view.spec.clone().expect("a trace");
    assert_eq!((spec.from.as_str(), spec.to.as_str(), spec.port.as_str()), ("subnet-0002", S3, "443"));
    let r = a.trace_view.result.as_ref().expect("a result");
    assert_eq!(r.verdict, Verdict::Dropped);
    assert_eq!(r.code.map(|c| c.to_string()).as_deref(), Some("NO_ROUTE_TO_DESTINATION"));
}

#[test]
fn every_cell_of_the_view_is_what_the_trace_it_opens_says() {
    let mut a = lab_app();
    press(&mut a, KeyCode::Char('M'));
    press(&mut a, KeyCode::Char(']')); // tcp/22
    reach::finish(&mut a, WAIT);
    let Some(Overlay::Matrix(v)) = a.modals.reach() else { panic!("closed") };
    let (m, p) = v.matrix().expect("computed");
    assert_eq!(m.options.ports[p], Some(22));
    let (rows, cols, _) = m.shape();
    for r in 0..rows {
        for c in 0..cols {
            let cell = m.cell(p, r, c);
            let spec = vpcraft::app::trace_view::Spec {
                from: m.source_ids[r].clone(),
                to: m.destination_ids[c].clone(),
                protocol: "tcp".into(),
                port: "22".into(),
            };
            let got = vpcraft::sim::trace(&a.design, &spec.request(&a.design).expect("request"));
            assert_eq!(cell, vpcraft::sim::reach::Cell::of(&got), "{} → {}", m.source_ids[r], m.destination_ids[c]);
        }
    }
    press(&mut a, KeyCode::Esc);
    assert!(a.modals.reach().is_none());
}

#[test]
fn the_audit_list_has_check_and_audit_findings_and_enter_goes_to_the_resource() {
    let mut a = lab_app();
    press(&mut a, KeyCode::Char('A'));
    reach::finish(&mut a, WAIT);
    let Some(Overlay::Audit(l)) = a.modals.reach() else { panic!("the audit list is not open") };
    assert!(l.entries.iter().any(|e| e.source == "audit" && e.code == "EXPOSED_ADMIN_PORT"), "{:?}", l.entries);
    let first = l.entries[0].clone();
    assert_eq!(first.rank, 0, "most severe first: {first:?}");
    insta::assert_snapshot!("reach_audit_list", render(&a));
    press(&mut a, KeyCode::Enter);
    assert!(a.modals.reach().is_none());
    assert_eq!(a.focus, Pane::Tree);
    let id = first.resource.expect("a resource");
    let selected = a.tree.selected().and_then(|n| n.node.resource_id().map(str::to_string)).expect("a selection");
    let instance = a.design.network_interface(&id).and_then(|e| e.instance.clone());
    assert!(selected == id || Some(&selected) == instance.as_ref(), "{selected} for {id}");
}

#[test]
fn an_edit_that_opens_flows_says_so_and_d_lists_them() {
    let mut a = lab_app();
    a.reach.whatif.enable(&a.design, a.rev);
    reach::finish(&mut a, WAIT);
    assert!(a.status.is_none(), "the first matrix says nothing");
    let igw = a.design.internet_gateways[0].id.clone();
    // The private table gets a route to the internet gateway, and what is launched in the
    // private subnet gets a public address (as the public subnet's does not).
    let ops = vec![
        Op::AddRoute {
            table: Ref::name("jhPrivateRT"),
            destination: RouteDestination::Cidr("0.0.0.0/0".parse().expect("cidr")),
            target: Ref::id(igw),
        },
        Op::UpdateSubnet {
            subnet: Ref::name("jhPrivateSN"),
            name: None,
            cidr: None,
            public_ip_on_launch: Some(true),
            route_table: None,
        },
    ];
    a.apply("added route 0.0.0.0/0 → igw", ops).expect("applied");
    a.info("added route 0.0.0.0/0 → igw");
    reach::finish(&mut a, WAIT);
    let status = a.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.starts_with("added route 0.0.0.0/0 → igw · what-if: opened "), "{status}");
    assert!(status.ends_with("— D to see them"), "{status}");
    let report = a.reach.whatif.last.clone().expect("a report");
    assert!(report.closed.is_empty());
    assert!(report
        .opened
        .iter()
        .any(|f| f.source == "subnet-0002" && f.destination == "internet" && f.port == Some(443)));
    press(&mut a, KeyCode::Char('D'));
    assert!(matches!(a.modals.reach(), Some(Overlay::Flows(_))));
    let screen = render(&a);
    assert!(screen.contains("opened jhPrivateSN → internet tcp/22"), "{screen}");
    let i = report.flows().position(|(_, f)| f.destination == "internet" && f.port == Some(443)).expect("flow");
    for _ in 0..i {
        press(&mut a, KeyCode::Down);
    }
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.focus, Pane::Trace);
    assert_eq!(a.trace_view.result.as_ref().map(|r| r.verdict), Some(Verdict::Delivered));
    // Undo closes what the edit opened.
    press(&mut a, KeyCode::Char('u'));
    reach::finish(&mut a, WAIT);
    let back = a.reach.whatif.last.clone().expect("a report");
    assert_eq!((back.opened.len(), back.closed.len()), (0, report.opened.len()));
}

#[test]
fn without_an_edit_d_explains_and_the_view_takes_every_key() {
    let mut a = lab_app();
    press(&mut a, KeyCode::Char('D'));
    assert!(a.modals.reach().is_none());
    assert!(a.status.as_ref().is_some_and(|s| s.text.contains("what-if is off")));
    press(&mut a, KeyCode::Char('M'));
    // q closes the view rather than quitting; Tab does nothing underneath.
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Pane::Tree);
    press(&mut a, KeyCode::Char('q'));
    assert!(a.modals.reach().is_none() && !a.should_quit);
}

#[test]
fn clicking_the_status_bars_finding_counts_opens_the_audit_list() {
    use vpcraft::app::input::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut a = lab_app();
    let t = harness::draw(&a, 120, 40);
    // The status bar's first line is the second to last row: find the counts in it.
    let row = 38u16;
    let buf = t.backend().buffer();
    let cells: Vec<String> = (0..120u16).map(|x| buf[(x, row)].symbol().to_string()).collect();
    let text = cells.concat();
    let word = ["error", "warning", "info", "no findings"].into_iter().find(|w| text.contains(w)).expect("counts");
    let col = (0..cells.len()).find(|&x| cells[x..].concat().starts_with(word)).expect("the counts") as u16;
    let click = |x: u16| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row,
        modifiers: KeyModifiers::NONE,
    };
    // A click beside the counts (on the file name) does not open it.
    harness::mouse(&mut a, click(1));
    assert!(a.modals.reach().is_none());
    harness::mouse(&mut a, click(col));
    reach::finish(&mut a, WAIT);
    assert!(matches!(a.modals.reach(), Some(Overlay::Audit(_))), "{word} at column {col} of {text:?}");
}

#[test]
fn the_wheel_moves_through_the_audit_list_never_the_pane_under_it() {
    use vpcraft::app::input::{KeyModifiers, MouseEvent, MouseEventKind};
    use vpcraft::app::msg::Msg;
    use vpcraft::app::reach::ReachMsg;
    let mut a = lab_app();
    press(&mut a, KeyCode::Char('A'));
    reach::finish(&mut a, WAIT);
    let Some(Overlay::Audit(l)) = a.modals.reach() else { panic!("the audit list is not open") };
    assert!(l.entries.len() > 1, "the lab has findings to move through");
    harness::draw(&a, 120, 40);
    let scroll_before = a.scroll;

    // Over where the tree pane would be, and over the middle of the screen.
    for (column, row) in [(5u16, 5u16), (60, 20)] {
        let ev = |kind| MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE };
        // The layer on top takes the wheel: no pane scroll is even asked for.
        let m = vpcraft::app::keymap::route_mouse(&a, ev(MouseEventKind::ScrollDown));
        assert!(matches!(m, Some(Msg::Reach(ReachMsg::Down))), "{m:?}");
        harness::mouse(&mut a, ev(MouseEventKind::ScrollDown));
        let Some(Overlay::Audit(l)) = a.modals.reach() else { panic!("the list stays open") };
        assert_eq!(l.selected, 1, "the wheel moves the list's selection");
        harness::mouse(&mut a, ev(MouseEventKind::ScrollUp));
        let Some(Overlay::Audit(l)) = a.modals.reach() else { panic!("the list stays open") };
        assert_eq!(l.selected, 0);
    }
    assert_eq!(a.scroll, scroll_before, "no pane under the list scrolled");
}

/// English words the reachability view and the audit list must not show in Korean (whole
/// tokens: names such as `jhPrivateSN` and codes such as `NO_ROUTE_TO_DESTINATION` do not count).
fn english_left(screen: &str) -> Vec<String> {
    const WORDS: &[&str] = &[
        "port",
        "move",
        "play",
        "trace",
        "delivered",
        "dropped",
        "every",
        "hop",
        "reply",
        "at",
        "medium",
        "high",
        "low",
        "audit",
        "check",
        "go",
        "resource",
        "close",
        "Findings",
    ];
    let mut found: Vec<String> = screen
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| WORDS.contains(w))
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Issue 16 item 9 (O4): in Korean the matrix's footer said `[ ] ◀ {$port} ▶` (the hint
/// "port" read the message of the port switch, whose argument it does not pass) and its
/// head, hints and cell detail were English.
#[test]
fn the_matrix_speaks_korean() {
    let mut a = lab_app();
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('M'));
    reach::finish(&mut a, WAIT);
    go_to(&mut a, "jhPrivateSN", S3);
    let screen = render(&a);
    assert!(!screen.contains('$'), "a raw placeable:\n{screen}");
    assert!(screen.contains("[ ] 포트"), "{screen}");
    assert!(screen.contains("차단됨"), "{screen}");
    assert_eq!(english_left(&screen), Vec::<String>::new(), "{screen}");
    insta::assert_snapshot!("reach_matrix_private_to_s3_korean", screen);
    // A delivered cell: its verdict and why, in Korean.
    let Some(Overlay::Matrix(v)) = a.modals.reach() else { panic!("the matrix is not open") };
    let (m, p) = v.matrix().expect("computed");
    let (rows, cols, _) = m.shape();
    let (from, to) = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .find(|&(r, c)| m.delivered(p, r, c))
        .map(|(r, c)| (m.source_labels[r].clone(), m.destination_labels[c].clone()))
        .expect("a delivered cell");
    go_to(&mut a, &from, &to);
    let screen = render(&a);
    assert!(screen.contains("전달됨"), "{screen}");
    assert!(screen.contains("모든 홉이 허용했고 응답도 돌아옵니다"), "{screen}");
    assert_eq!(english_left(&screen), Vec::<String>::new(), "{screen}");
}

/// Issue 16 item 9 (O5): the audit list's title counts `check`'s findings (the status bar's
/// count) and the audit's apart, and in Korean its severities, sources and hints are Korean.
#[test]
fn the_audit_list_counts_check_and_audit_apart_and_speaks_korean() {
    let mut a = lab_app();
    press(&mut a, KeyCode::Char('A'));
    reach::finish(&mut a, WAIT);
    let Some(Overlay::Audit(l)) = a.modals.reach() else { panic!("the audit list is not open") };
    let check = l.entries.iter().filter(|e| e.source == "check").count();
    let audit = l.entries.len() - check;
    assert!(audit > 0, "{:?}", l.entries);
    assert!(render(&a).contains(&format!("Findings: check {check} · audit {audit}")), "{}", render(&a));
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('A'));
    reach::finish(&mut a, WAIT);
    let screen = render(&a);
    assert!(screen.contains(&format!("발견 사항: 검사 {check}개 · 감사 {audit}개")), "{screen}");
    assert!(screen.contains("중간") && screen.contains("감사"), "{screen}");
    let head = screen.lines().next().unwrap_or_default();
    assert_eq!(english_left(&screen.replace(head, "")), Vec::<String>::new(), "{screen}");
    insta::assert_snapshot!("reach_audit_list_korean", screen);
}

/// The what-if's copies of the design follow it through every kind of change the app makes
/// (an edit, several at once, a delete, undo and redo): each copy taken after a change is the
/// design (`Snapshots::take` trusts the app to say what each change touched).
#[test]
fn the_whatifs_copy_of_the_design_is_the_design_after_every_change() {
    let mut a = lab_app();
    let check = |a: &mut App, what: &str| {
        let copy = a.reach.whatif.snapshot(&a.design);
        assert!(*copy == a.design, "the copy missed {what}");
    };
    check(&mut a, "nothing");
    let igw = a.design.internet_gateways[0].id.clone();
    let route = || Op::AddRoute {
        table: Ref::name("jhPrivateRT"),
        destination: RouteDestination::Cidr("0.0.0.0/0".parse().expect("cidr")),
        target: Ref::id(igw.clone()),
    };
    a.apply("a route", vec![route()]).expect("applied");
    check(&mut a, "a route added");
    let subnet = Op::UpdateSubnet {
        subnet: Ref::name("jhPrivateSN"),
        name: Some("renamed".into()),
        cidr: None,
        public_ip_on_launch: Some(true),
        route_table: None,
    };
    let del = Op::DeleteRoute {
        table: Ref::name("jhPrivateRT"),
        destination: RouteDestination::Cidr("0.0.0.0/0".parse().expect("cidr")),
    };
    a.apply("two edits", vec![subnet, del]).expect("applied");
    check(&mut a, "two edits at once");
    let sg = a.design.security_groups.iter().find(|g| !g.is_default).expect("a group").id.clone();
    a.apply("a delete", vec![Op::Delete { resource: Ref::id(sg), cascade: true }]).expect("applied");
    check(&mut a, "a delete");
    for (k, what) in [('u', "an undo"), ('u', "a second undo"), ('U', "a redo"), ('U', "a second redo")] {
        press(&mut a, KeyCode::Char(k));
        check(&mut a, what);
    }
}
