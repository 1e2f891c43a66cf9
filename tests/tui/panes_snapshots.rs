//! Snapshot tests of the subnet planner and route table panes (`TestBackend`, no terminal).

use vpcraft::app::input::KeyCode;
use vpcraft::app::Pane;

use crate::harness::{app, draw, press, set, typ};

#[test]
fn planner_pane_120x40() {
    let mut a = app();
    press(&mut a, KeyCode::Char('2'));
    press(&mut a, KeyCode::End); // the free /17
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn planner_pane_zoomed() {
    let mut a = app();
    press(&mut a, KeyCode::Char('2'));
    press(&mut a, KeyCode::Char('z'));
    press(&mut a, KeyCode::Char('c')); // colour by tier
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn planner_layout_preview_zoomed() {
    let mut a = app();
    press(&mut a, KeyCode::Char('2'));
    press(&mut a, KeyCode::Char('z'));
    press(&mut a, KeyCode::Char('L'));
    press(&mut a, KeyCode::Enter);
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn routes_which_route_wins_zoomed() {
    let mut a = app();
    let s = a.design.subnets.iter().find(|s| s.name == "my-pub-2a").expect("subnet").id.clone();
    a.select_resource(&s);
    a.focus = Pane::Routes;
    press(&mut a, KeyCode::Char('z'));
    press(&mut a, KeyCode::Char('w'));
    typ(&mut a, "10.39.70.9");
    press(&mut a, KeyCode::Enter);
    insta::assert_snapshot!(draw(&a, 120, 30).backend());
}

#[test]
fn routes_form_with_a_validation_error() {
    let mut a = app();
    let s = a.design.subnets.iter().find(|s| s.name == "my-pvt-2a").expect("subnet").id.clone();
    a.select_resource(&s);
    a.focus = Pane::Routes;
    press(&mut a, KeyCode::Char('a'));
    set(&mut a, "target", "my-igw");
    set(&mut a, "destination", "169.254.169.0/24");
    press(&mut a, KeyCode::Enter);
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn routes_associations_narrow() {
    let mut a = app();
    a.focus = Pane::Routes;
    press(&mut a, KeyCode::Char('s'));
    insta::assert_snapshot!(draw(&a, 60, 20).backend());
}
