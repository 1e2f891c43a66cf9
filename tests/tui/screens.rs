//! Snapshot tests of the terminal app, drawn into ratatui's `TestBackend` (no terminal needed).

use vpcraft::app::input::{KeyCode, KeyModifiers};

use crate::harness::{app, draw, press, press_mod, typ};

#[test]
fn main_screen_120x40() {
    let a = app();
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn help_overlay() {
    let mut a = app();
    press(&mut a, KeyCode::Char('?'));
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn subnet_form_with_overlap_error() {
    let mut a = app();
    // Select the VPC, open the add menu (subnet is preselected under a VPC), open the form.
    assert!(a.select_resource("vpc-0001"));
    press(&mut a, KeyCode::Char('a'));
    press(&mut a, KeyCode::Enter);
    typ(&mut a, "app-2a");
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Tab);
    press_mod(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
    typ(&mut a, "10.39.8.0/24");
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn small_terminal_40x12() {
    let a = app();
    insta::assert_snapshot!(draw(&a, 40, 12).backend());
}

#[test]
fn too_small_30x10() {
    let a = app();
    insta::assert_snapshot!(draw(&a, 30, 10).backend());
}
