//! The one TUI test harness: an app on a built-in design, keys and text in, the screen out,
//! and the form helpers. Every `tests/tui` module uses these instead of its own copies.
#![allow(dead_code)]

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::cell::RefCell;
use vpcraft::app::forms::Form;
use vpcraft::app::input::{KeyCode, KeyEvent, KeyModifiers, MouseEvent};
use vpcraft::app::msg::{FormMsg, InputMsg, Msg, TreeMsg};
use vpcraft::app::{self, keymap, App, Popup};
use vpcraft::model::Design;
use vpcraft::ui::ViewState;

/// An app on `design` with file access off (tests never touch the user's files by accident).
pub fn app_on(design: Design) -> App {
    let mut a = App::new(design, None);
    a.allow_io = false;
    a
}

/// An app on the default built-in example.
pub fn app() -> App {
    app_on(vpcraft::assets::default_example())
}

/// A key with no modifier.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Ctrl and a letter.
pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

thread_local! {
    /// What the last frame drawn in this test showed (each test runs on its own thread).
    static VIEW: RefCell<ViewState> = RefCell::new(ViewState::default());
}

/// Tell the app what the last frame showed, as the terminal loop does after each draw.
pub fn sync_viewport(a: &mut App) {
    let v = VIEW.with(|v| v.borrow().viewport());
    if v != a.viewport {
        app::update(a, Msg::Viewport(v));
    }
}

/// One key through the keymap and the update, as the terminal loop does it.
pub fn press(a: &mut App, ev: impl Into<KeyEvent>) {
    sync_viewport(a);
    let msgs = keymap::route_keys(a, ev.into());
    app::update::dispatch(a, msgs);
}

/// One mouse event through the keymap and the update, on the last frame drawn.
pub fn mouse(a: &mut App, ev: MouseEvent) {
    sync_viewport(a);
    if let Some(m) = keymap::route_mouse(a, ev) {
        app::update(a, m);
    }
}

/// A key with modifiers.
pub fn press_mod(a: &mut App, code: KeyCode, mods: KeyModifiers) {
    press(a, KeyEvent::new(code, mods));
}

/// Type text, one key per character.
pub fn typ(a: &mut App, s: &str) {
    for c in s.chars() {
        press(a, KeyCode::Char(c));
    }
}

/// Draw a frame of `w`×`h` into a test backend.
pub fn draw(a: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    VIEW.with(|v| t.draw(|f| vpcraft::ui::view(f, a, &mut v.borrow_mut())).expect("draw"));
    t
}

/// The screen of a `w`×`h` frame, as text.
pub fn render(a: &App, w: u16, h: u16) -> String {
    draw(a, w, h).backend().to_string()
}

/// The open form (panics when there is none).
pub fn form(a: &App) -> &Form {
    match a.popup() {
        Some(Popup::Form(f)) => f,
        other => panic!("expected a form, got {other:?}"),
    }
}

/// Set a form field's text (as if typed after Ctrl-U). A list picker gets each comma-separated
/// item found by typing it and ticked with Space, after unticking what was there.
pub fn set(a: &mut App, field: &str, value: &str) {
    let Some(Popup::Form(f)) = a.popup_mut() else { panic!("no form open") };
    let i = f.fields.iter().position(|x| x.key == field).unwrap_or_else(|| panic!("no field {field}"));
    f.focus = i;
    if matches!(f.fields[i].kind, vpcraft::app::forms::FieldKind::Multi(_)) {
        f.fields[i].input = vpcraft::app::forms::LineInput::default();
        for item in value.split(',').map(str::trim).filter(|x| !x.is_empty()) {
            app::update(a, Msg::Form(FormMsg::Input(InputMsg::Clear)));
            for c in item.chars() {
                app::update(a, Msg::Form(FormMsg::Input(InputMsg::Char(c))));
            }
            let f = form(a);
            let field = &f.fields[f.focus];
            assert!(!field.matches().is_empty(), "{} offers nothing matching {item}", field.key);
            app::update(a, Msg::Form(FormMsg::Toggle));
        }
        app::update(a, Msg::Form(FormMsg::Input(InputMsg::Clear)));
        return;
    }
    app::update(a, Msg::Form(FormMsg::Input(InputMsg::Clear)));
    for c in value.chars() {
        app::update(a, Msg::Form(FormMsg::Input(InputMsg::Char(c))));
    }
}

/// Pick a choice field's option by value.
pub fn choose(a: &mut App, field: &str, value: &str) {
    let Some(Popup::Form(f)) = a.popup_mut() else { panic!("no form open") };
    let i = f.fields.iter().position(|x| x.key == field).unwrap_or_else(|| panic!("no field {field}"));
    f.focus = i;
    for _ in 0..200 {
        if form(a).get(field) == value {
            return;
        }
        app::update(a, Msg::Form(FormMsg::Cycle(1)));
    }
    panic!("{field} has no option {value}");
}

/// The error shown beside a form field, if any.
pub fn error_of(a: &App, field: &str) -> Option<String> {
    form(a).fields.iter().find(|f| f.key == field).and_then(|f| f.error.as_ref().map(|e| e.english.clone()))
}

/// The status bar's message.
pub fn status(a: &App) -> String {
    a.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

/// Open the add menu on the selection and pick an entry by its label (or its English one).
pub fn add(a: &mut App, label: &str) {
    app::update(a, Msg::Tree(TreeMsg::Add));
    let Some(Popup::Menu(m)) = a.popup_mut() else { panic!("no add menu") };
    m.selected = m
        .items
        .iter()
        .position(|i| !i.suggested && (i.label == label || i.english == label))
        .unwrap_or_else(|| panic!("no menu item {label}"));
    press(a, key(KeyCode::Enter));
    assert!(matches!(a.popup(), Some(Popup::Form(_))), "the {label} form opens: {:?}", a.status);
}

/// Enter on the form; panics with its errors when it is refused.
pub fn submit(a: &mut App) {
    press(a, key(KeyCode::Enter));
    if let Some(Popup::Form(f)) = a.popup() {
        let errs: Vec<String> =
            f.fields.iter().filter_map(|x| x.error.clone().map(|e| format!("{}: {e}", x.key))).collect();
        panic!("{} not applied: {:?} {errs:?}", f.title, f.message);
    }
}

/// The id of the resource named `name` (or with that id).
pub fn id_of(a: &App, name: &str) -> String {
    a.design.resolve(name).map(|r| r.id().to_string()).unwrap_or_else(|e| panic!("{e}"))
}

/// The screen at `w`×`h` as rows of what a terminal shows (a wide character once).
pub fn rows(a: &App, w: u16, h: u16) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let t = draw(a, w, h);
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| {
            let mut row = String::new();
            let mut skip = 0;
            for x in 0..w {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let s = buf[(x, y)].symbol().to_string();
                skip = s.width().saturating_sub(1);
                row.push_str(&s);
            }
            row
        })
        .collect()
}
