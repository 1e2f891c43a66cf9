//! Snapshot tests of the terminal app, drawn into ratatui's `TestBackend` (no terminal needed).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use vpcraft::app::{self, keymap, App};

fn app() -> App {
    let mut a = App::new(vpcraft::assets::default_example(), None);
    a.allow_io = false;
    a
}

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    t.draw(|f| vpcraft::ui::view(f, app)).expect("draw");
    t
}

fn press(app: &mut App, code: KeyCode) {
    press_mod(app, code, KeyModifiers::NONE);
}

fn press_mod(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    if let Some(msg) = keymap::route_key(app, KeyEvent::new(code, mods)) {
        app::update(app, msg);
    }
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

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
    assert!(a.tree.select_resource("vpc-0001"));
    press(&mut a, KeyCode::Char('a'));
    press(&mut a, KeyCode::Enter);
    type_text(&mut a, "app-2a");
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Tab);
    press_mod(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut a, "10.39.8.0/24");
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
