//! Issue 16, item 10: every question lists exactly the keys it takes (and takes no other), and
//! the status bar counts what `vpcraft check` counts, imports included (IMPORT_ERROR,
//! IMPORT_SKIPPED).

use crate::harness::{app, app_on, key, press, render};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use vpcraft::app::input::{KeyCode, KeyEvent, KeyModifiers};
use vpcraft::app::keymap;
use vpcraft::app::{App, Confirm, Pending, Popup, Source};

fn question(a: &mut App, pending: Pending) {
    a.set_popup(Popup::Confirm(Confirm {
        title: "Question".into(),
        lines: vec!["text".into()],
        pending,
        offer_save: false,
    }));
}

/// Every key a user might try: letters, digits, Enter, Esc, Tab, Space, Backspace, Ctrl-C.
fn every_key() -> Vec<KeyEvent> {
    let mut out: Vec<KeyEvent> = ('a'..='z').chain('A'..='Z').chain('0'..='9').map(|c| key(KeyCode::Char(c))).collect();
    out.extend([KeyCode::Enter, KeyCode::Esc, KeyCode::Tab, KeyCode::Char(' '), KeyCode::Backspace].map(key));
    out.push(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    out
}

fn label(k: &KeyEvent) -> String {
    keymap::Key { code: k.code, mods: k.modifiers }.label()
}

fn pendings() -> Vec<Pending> {
    let p = PathBuf::from("d.ron");
    vec![
        Pending::Quit,
        Pending::Open(Source::Example("custom-vpc".into())),
        Pending::Delete("igw-0001".into()),
        Pending::Recover(p.clone()),
        Pending::Changed(p.clone()),
        Pending::ReadOnly(p, None),
        Pending::SaveFailed,
    ]
}

#[test]
fn each_question_takes_exactly_the_keys_its_line_lists() {
    for pending in pendings() {
        let mut a = app();
        question(&mut a, pending.clone());
        let line = keymap::answer_line(&pending);
        // The keys the line names: "k1 / k2: what" items, four spaces apart.
        let listed: BTreeSet<String> = line
            .split("    ")
            .flat_map(|item| item.split(": ").next().unwrap_or_default().split(" / ").map(str::to_string))
            .collect();
        let taken: BTreeSet<String> =
            every_key().iter().filter(|k| keymap::route_key(&a, **k).is_some()).map(label).collect();
        assert_eq!(taken, listed, "{pending:?}: the keys it takes are the keys it lists ({line})");
        // A key it does not take leaves it open.
        press(&mut a, key(KeyCode::Char('x')));
        assert!(matches!(a.popup(), Some(Popup::Confirm(_))), "{pending:?}");
    }
}

#[test]
fn the_quit_question_shows_its_keys_and_enter_does_not_throw_work_away() {
    let mut a = app();
    let mut d = a.design.clone();
    d.name = "changed".into();
    a.replace_undoable("rename", d);
    press(&mut a, key(KeyCode::Char('q')));
    let Some(Popup::Confirm(c)) = a.popup() else { panic!("quit asks: {:?}", a.popup()) };
    let line = keymap::answer_line(&c.pending);
    assert_eq!(line, "s: save, then quit    y: quit without saving    n / Esc / Ctrl-C: stay");
    assert!(render(&a, 140, 40).contains(&line), "the question shows the keys it takes");
    press(&mut a, key(KeyCode::Enter));
    assert!(!a.should_quit && a.popup().is_some(), "Enter is not an answer to quit without saving");
    press(&mut a, key(KeyCode::Esc));
    assert!(!a.should_quit && a.popup().is_none());
}

// ---------------------------------------------------------------------------------------------
// The status bar's counts are `check`'s, for imported designs too.

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reliability").join(name)
}

/// `vpcraft check --format json`'s (errors, warnings, infos) of a file, from the real binary.
fn check_counts(path: &Path) -> (usize, usize, usize) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vpcraft"))
        .args(["check", path.to_str().expect("path"), "--format", "json"])
        .output()
        .expect("run vpcraft check");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check's JSON");
    let n = |k: &str| v[k].as_u64().expect("a count") as usize;
    (n("errors"), n("warnings"), n("infos"))
}

fn status_counts(a: &App) -> (usize, usize, usize) {
    use vpcraft::app::findings::Severity as S;
    let n = |s| a.derived.findings.iter().filter(|f| f.severity == s).count();
    (n(S::Error), n(S::Warning), n(S::Info))
}

#[test]
fn the_status_bar_counts_an_imports_findings_as_check_does() {
    for name in ["bad-sg-ports.yaml", "snapshot-bad-ports.json", "bad-nacl.yaml"] {
        let path = fixture(name);
        let want = check_counts(&path);
        assert!(want.0 > 0, "{name}: the fixture has import errors");
        let mut a = app_on(vpcraft::assets::default_example());
        vpcraft::app::update::open_source(&mut a, &Source::File(path.clone()));
        assert_eq!(status_counts(&a), want, "{name}: the app counts what check counts");
        let line = vpcraft::sim::checks::count_line(want.0, want.1, want.2);
        assert!(render(&a, 140, 40).contains(&line), "{name}: the status bar says {line}");
        assert!(a.derived.findings.iter().any(|f| f.code.as_str() == "IMPORT_ERROR"), "{name}");

        // An edit keeps them (what the import could not bring is still missing) …
        let mut d = a.design.clone();
        d.name = "edited".into();
        a.replace_undoable("rename", d);
        assert_eq!(status_counts(&a), want, "{name}: after an edit");
        // … another design drops them.
        vpcraft::app::update::open_source(&mut a, &Source::Example("custom-vpc".into()));
        assert!(a.derived.findings.iter().all(|f| !f.code.as_str().starts_with("IMPORT_")), "{name}");
    }
}
