//! Snapshot tests of the subnet planner and route table panes (`TestBackend`, no terminal).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use vpcraft::app::msg::{FormMsg, InputMsg, Msg};
use vpcraft::app::{self, keymap, App, Pane, Popup};

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
    if let Some(msg) = keymap::route_key(app, KeyEvent::new(code, KeyModifiers::NONE)) {
        app::update(app, msg);
    }
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn set(a: &mut App, field: &str, value: &str) {
    let Some(Popup::Form(f)) = a.popup.as_mut() else { panic!("no form open") };
    f.focus = f.fields.iter().position(|x| x.key == field).expect("field");
    app::update(a, Msg::Form(FormMsg::Input(InputMsg::Clear)));
    type_text(a, value);
}

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
    a.tree.select_resource(&s);
    a.focus = Pane::Routes;
    press(&mut a, KeyCode::Char('z'));
    press(&mut a, KeyCode::Char('w'));
    type_text(&mut a, "10.39.70.9");
    press(&mut a, KeyCode::Enter);
    insta::assert_snapshot!(draw(&a, 120, 30).backend());
}

#[test]
fn routes_form_with_a_validation_error() {
    let mut a = app();
    let s = a.design.subnets.iter().find(|s| s.name == "my-pvt-2a").expect("subnet").id.clone();
    a.tree.select_resource(&s);
    a.focus = Pane::Routes;
    press(&mut a, KeyCode::Char('a'));
    set(&mut a, "destination", "0.0.0.0/0");
    set(&mut a, "target", "my-web-sg");
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
