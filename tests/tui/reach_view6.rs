//! The reachability view's IPv4 / IPv6 switch on lab 10's dual-stack design: `6` (or a click on
//! the switch) shows the IPv6 matrix, a subnet without an IPv6 block shows as not applicable,
//! Enter plays an IPv6 cell's trace (its subnets named by their IPv6 addresses), and the label
//! speaks Korean through the catalogues. Snapshots of both families at 120×40.

use std::time::Duration;
use vpcraft::app::input::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use vpcraft::app::reach::{self, Overlay};
use vpcraft::app::{App, Pane};
use vpcraft::model::{Design, Subnet};
use vpcraft::sim::reach::Family;
use vpcraft::sim::Verdict;

use crate::harness::{self, key};

const WAIT: Duration = Duration::from_secs(60);

/// Lab 10's design at its end (`::/0` → the egress-only gateway again), with an IPv4-only
/// subnet beside its two dual-stack ones.
pub fn lab10_design() -> Design {
    let lab = vpcraft::labs::by_name("10").expect("lab 10");
    let mut d = vpcraft::labs::run::design_after(&lab, lab.steps.len() - 1).expect("lab 10 applies");
    let vpc = d.vpcs[0].id.clone();
    let az = d.subnets[0].az.clone();
    d.subnets.push(Subnet::new("subnet-legacy", "legacy", vpc, "10.60.3.0/24".parse().expect("cidr"), az));
    d
}

fn app() -> App {
    let mut a = App::new(lab10_design(), None);
    a.allow_io = false;
    a
}

fn press(a: &mut App, code: KeyCode) {
    harness::press(a, key(code));
}

fn family(a: &App) -> Family {
    match a.modals.reach() {
        Some(Overlay::Matrix(v)) => v.family,
        _ => panic!("the matrix is not open"),
    }
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
fn six_shows_the_ipv6_matrix_and_enter_plays_an_ipv6_cells_trace() {
    let mut a = app();
    press(&mut a, KeyCode::Char('M'));
    reach::finish(&mut a, WAIT);
    assert_eq!(family(&a), Family::Ipv4);
    let v4 = harness::render(&a, 120, 40);
    assert!(v4.contains("family ⇄ IPv4") && v4.contains("6 IPv4 / IPv6 flows"), "{v4}");
    insta::assert_snapshot!("reach_matrix_lab10_ipv4", v4);
    press(&mut a, KeyCode::Char('6'));
    reach::finish(&mut a, WAIT);
    assert_eq!(family(&a), Family::Ipv6);
    let Some(Overlay::Matrix(v)) = a.modals.reach() else { panic!("closed") };
    let (m, p) = v.matrix().expect("computed");
    assert_eq!(m.family(), Family::Ipv6);
    let legacy = m.source_labels.iter().position(|l| l == "legacy").expect("the IPv4-only subnet is a row");
    assert!(m.cell(p, legacy, 0).is_not_applicable());
    go_to(&mut a, "private", "internet");
    let v6 = harness::render(&a, 120, 40);
    assert!(v6.contains("family ⇄ IPv6") && v6.contains("not applicable"), "{v6}");
    assert!(v6.contains("private → internet tcp/443: delivered"), "{v6}");
    insta::assert_snapshot!("reach_matrix_lab10_ipv6", v6);
    // Enter plays the IPv6 trace: out through the egress-only gateway.
    press(&mut a, KeyCode::Enter);
    assert!(a.modals.reach().is_none());
    assert_eq!(a.focus, Pane::Trace);
    let spec = a.trace_view.spec.clone().expect("a trace");
    assert!(spec.from.contains(':') && spec.to == "internet", "{spec:?}");
    let r = a.trace_view.result.as_ref().expect("a result");
    assert_eq!(r.verdict, Verdict::Delivered);
    assert!(r.forward.iter().any(|h| h.component.id.starts_with("eigw-")), "{:?}", r.forward);
    // The view opens again on IPv6; the internet cannot start a connection to private.
    press(&mut a, KeyCode::Char('M'));
    reach::finish(&mut a, WAIT);
    assert_eq!(family(&a), Family::Ipv6);
    let Some(Overlay::Matrix(v)) = a.modals.reach() else { panic!("closed") };
    let (m, _) = v.matrix().expect("computed");
    assert!(!m.source_labels.iter().any(|l| l == "internet"), "subnets are the rows");
    // A cell that is not applicable says so and plays nothing.
    go_to(&mut a, "legacy", "private");
    press(&mut a, KeyCode::Enter);
    assert!(a.modals.reach().is_some());
    assert!(a.status.as_ref().is_some_and(|s| s.text.contains("not applicable")), "{:?}", a.status);
}

#[test]
fn a_click_on_the_switch_toggles_the_family_and_the_label_speaks_korean() {
    let mut a = app();
    press(&mut a, KeyCode::Char('M'));
    reach::finish(&mut a, WAIT);
    let t = harness::draw(&a, 120, 40);
    let buf = t.backend().buffer();
    let at = (0..40u16)
        .flat_map(|y| (0..120u16).map(move |x| (x, y)))
        .find(|&(x, y)| buf[(x, y)].symbol() == "⇄" && buf[(x + 2, y)].symbol() == "I")
        .expect("the switch is drawn");
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: at.0,
        row: at.1,
        modifiers: KeyModifiers::NONE,
    };
    harness::mouse(&mut a, click);
    assert_eq!(family(&a), Family::Ipv6);
    harness::mouse(&mut a, click);
    assert_eq!(family(&a), Family::Ipv4);
    // A click elsewhere on the header does nothing.
    harness::mouse(&mut a, MouseEvent { column: at.0 + 30, ..click });
    assert_eq!(family(&a), Family::Ipv4);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('M'));
    press(&mut a, KeyCode::Char('6'));
    reach::finish(&mut a, WAIT);
    let ko = harness::render(&a, 120, 40);
    for want in ["주소 체계 ⇄ IPv6", "IPv4 / IPv6 흐름", "해당 없음"] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
}

/// Apply ops written as in a lab file.
fn apply_ron(a: &mut App, what: &str, ops: &str) {
    let ops: Vec<vpcraft::model::ops::Op> = ron::from_str(ops).expect("ops");
    a.apply(what, ops).expect("applied");
    a.info(what);
}

#[test]
fn an_edit_that_opens_an_ipv6_flow_only_is_reported_and_d_plays_its_ipv6_trace() {
    let mut a = app();
    a.reach.whatif.enable(&a.design, a.rev);
    reach::finish(&mut a, WAIT);
    // Lab 10's mistake in two edits: the private table's ::/0 → egress-only gateway goes (its
    // IPv6 flows to the internet close; IPv4 still leaves through the NAT gateway) …
    apply_ron(&mut a, "no ::/0", r#"[DeleteRoute(table: Name("rt-private"), destination: Cidr("::/0"))]"#);
    reach::finish(&mut a, WAIT);
    let report = a.reach.whatif.last.clone().expect("a report");
    assert!(report.opened.is_empty(), "{:?}", report.opened);
    assert!(!report.closed.is_empty() && report.closed.iter().all(|f| f.family == Family::Ipv6), "{:?}", report.closed);
    // … and ::/0 → the internet gateway comes: IPv6 flows open, no IPv4 one changes.
    apply_ron(
        &mut a,
        "::/0 → v6-igw",
        r#"[AddRoute(table: Name("rt-private"), destination: Cidr("::/0"), target: Name("v6-igw"))]"#,
    );
    reach::finish(&mut a, WAIT);
    let status = a.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.starts_with("::/0 → v6-igw · what-if: opened "), "{status}");
    let report = a.reach.whatif.last.clone().expect("a report");
    assert!(report.closed.is_empty(), "{:?}", report.closed);
    assert!(report.opened.iter().all(|f| f.family == Family::Ipv6), "{:?}", report.opened);
    let private = a.design.subnets.iter().find(|s| s.name == "private").expect("private").id.clone();
    let i = report
        .flows()
        .position(|(_, f)| f.source == private && f.destination == "internet" && f.port == Some(443))
        .expect("private → internet tcp/443 over IPv6 opened");
    // `D` lists it marked as IPv6; Enter plays the IPv6 trace (the subnet by its IPv6 address),
    // out through the internet gateway now.
    press(&mut a, KeyCode::Char('D'));
    let screen = harness::render(&a, 120, 40);
    assert!(screen.contains("opened private → internet tcp/443 (IPv6)"), "{screen}");
    for _ in 0..i {
        press(&mut a, KeyCode::Down);
    }
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.focus, Pane::Trace);
    let spec = a.trace_view.spec.clone().expect("a trace");
    assert!(spec.from.contains(':') && spec.to == "internet", "{spec:?}");
    let r = a.trace_view.result.as_ref().expect("a result");
    assert_eq!(r.verdict, Verdict::Delivered);
    assert!(r.forward.iter().any(|h| h.component.id.starts_with("igw-")), "{:?}", r.forward);
}
