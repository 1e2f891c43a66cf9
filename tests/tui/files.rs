//! Issue 17 in the app, without a terminal: the recovery question (D2), a file changed on disk
//! (D5), file modes and read-only files (D6), a failed save that stays on screen (U2), Save As
//! names (L2) and stale temporaries (L1).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use vpcraft::app::input::{KeyCode, KeyEvent, KeyModifiers};
use vpcraft::app::msg::{FormMsg, InputMsg, Msg};
use vpcraft::app::{self, files, keymap, App, Popup};
use vpcraft::io::native;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn press(a: &mut App, ev: KeyEvent) {
    if let Some(m) = keymap::route_key(a, ev) {
        app::update(a, m);
    }
}

/// An undoable change to the design (its name, which no resource op edits), through the app's
/// history as every change goes.
fn change(a: &mut App, name: &str) {
    let mut d = a.design.clone();
    d.name = name.to_string();
    a.replace_undoable("rename", d);
}

/// A design file in `dir` and an app on it, autosave on.
fn app_on_file(dir: &Path) -> (App, PathBuf) {
    let path = dir.join("d.ron");
    native::save_file(&vpcraft::assets::default_example(), &path).expect("save");
    let mut a = App::new(native::load_file(&path).expect("load"), Some(path.clone()));
    a.autosave.enabled = true;
    (a, path)
}

fn question(a: &App) -> (String, Vec<String>) {
    match a.popup() {
        Some(Popup::Confirm(c)) => (c.title.clone(), c.lines.clone()),
        other => panic!("expected a question, got {other:?}"),
    }
}

/// A new session on `path` that offers the recovery file, if any.
fn next_session(path: &Path) -> App {
    let mut b = App::new(native::load_file(path).expect("load"), Some(path.to_path_buf()));
    app::update::offer_recovery(&mut b);
    b
}

#[test]
fn the_recovery_question_discards_only_on_an_explicit_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, path) = app_on_file(dir.path());
    change(&mut a, "unsaved work");
    app::update(&mut a, Msg::Tick);
    assert!(files::recovery_path(&a).exists());
    drop(a);

    // Esc, Ctrl-C and n all leave it for next time.
    for answer in [key(KeyCode::Esc), ctrl('c'), ch('n')] {
        let mut b = next_session(&path);
        let (title, lines) = question(&b);
        assert_eq!(title, "Recover unsaved changes?");
        assert!(lines[0].contains("ended with unsaved changes"), "{lines:?}");
        let Some(Popup::Confirm(c)) = b.popup() else { panic!("a question") };
        assert!(keymap::answer_line(&c.pending).contains("d: discard"));
        press(&mut b, answer);
        assert!(b.popup().is_none());
    }
    // A session that put it aside and then changes the design itself does not write over it.
    let mut b = next_session(&path);
    press(&mut b, key(KeyCode::Esc));
    b.autosave.enabled = true;
    change(&mut b, "other work");
    app::update(&mut b, Msg::Tick);
    drop(b);
    let names = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = dir
            .read_dir()
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".recovery"))
            .map(|e| native::load_file(&e.path()).expect("a recovery file loads").name)
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(dir.path()), ["other work", "unsaved work"]);

    // y recovers the one offered; d discards, one at a time, until none is left.
    let mut c = next_session(&path);
    press(&mut c, ch('y'));
    assert_eq!(c.design.name, "other work");
    drop(c);
    let mut d = next_session(&path);
    let mut discarded = 0;
    while d.popup().is_some() {
        press(&mut d, ch('d'));
        discarded += 1;
        d = next_session(&path);
    }
    assert_eq!(discarded, 2);
    assert!(names(dir.path()).is_empty());
}

#[test]
fn saving_over_a_file_another_program_changed_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, path) = app_on_file(dir.path());
    change(&mut a, "mine");
    let mut theirs = vpcraft::assets::default_example();
    theirs.name = "theirs".into();
    native::save_file(&theirs, &path).expect("another program saves");

    press(&mut a, ctrl('s'));
    let (title, lines) = question(&a);
    assert_eq!(title, "Changed on disk", "{lines:?}");
    assert_eq!(native::load_file(&path).unwrap().name, "theirs", "nothing written yet");
    assert!(a.dirty());

    // Esc: nothing happens. a: save as. r: reload, with my version kept aside.
    press(&mut a, key(KeyCode::Esc));
    assert!(a.popup().is_none() && a.dirty());
    press(&mut a, ctrl('s'));
    press(&mut a, ch('a'));
    assert!(matches!(a.popup(), Some(Popup::Form(_))), "save as: {:?}", a.popup());
    press(&mut a, key(KeyCode::Esc));
    press(&mut a, ctrl('s'));
    press(&mut a, ch('r'));
    assert_eq!(a.design.name, "theirs", "reloaded");
    assert!(!a.dirty());
    let status = a.status.clone().unwrap().text;
    assert!(status.contains("your version is kept in"), "{status}");
    let kept = dir.path().read_dir().unwrap().flatten().find(|e| e.file_name().to_string_lossy().contains(".kept-"));
    let kept = kept.expect("my version kept aside").path();
    assert_eq!(native::load_file(&kept).unwrap().name, "mine");

    // y: overwrite.
    change(&mut a, "mine again");
    native::save_file(&vpcraft::assets::default_example(), &path).expect("another program saves again");
    press(&mut a, ctrl('s'));
    press(&mut a, ch('y'));
    assert_eq!(native::load_file(&path).unwrap().name, "mine again");
    assert!(!a.dirty());
    // A save of my own is no change by another program.
    change(&mut a, "and again");
    press(&mut a, ctrl('s'));
    assert!(a.popup().is_none(), "{:?}", a.popup());
    assert_eq!(native::load_file(&path).unwrap().name, "and again");
}

#[test]
fn modes_are_kept_and_read_only_files_need_a_yes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, path) = app_on_file(dir.path());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    change(&mut a, "first");
    press(&mut a, ctrl('s'));
    assert!(!a.dirty(), "{:?}", a.popup());
    assert_eq!(mode(&path), 0o640);

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    change(&mut a, "second");
    press(&mut a, ctrl('s'));
    assert_eq!(question(&a).0, "Read-only file");
    press(&mut a, ch('n'));
    assert_eq!(native::load_file(&path).unwrap().name, "first");
    assert!(a.dirty());
    press(&mut a, ctrl('s'));
    press(&mut a, ch('y'));
    assert_eq!(native::load_file(&path).unwrap().name, "second");
    assert_eq!(mode(&path), 0o444, "still read-only");
    assert!(!a.dirty());
}

#[test]
fn a_failed_save_stays_on_screen_until_dismissed() {
    let dir = tempfile::tempdir().unwrap();
    // The design's folder is replaced by a plain file: every save fails.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let (mut a, _) = app_on_file(&sub);
    std::fs::remove_dir_all(&sub).unwrap();
    std::fs::write(&sub, "").unwrap();
    change(&mut a, "unsaved");
    press(&mut a, ctrl('s'));
    let (title, lines) = question(&a);
    assert_eq!(title, "Save failed");
    assert!(lines[0].starts_with("Not saved: "), "{lines:?}");
    // Time passes, autosave fails too: the message is still there.
    let later = std::time::Instant::now() + std::time::Duration::from_secs(30);
    for _ in 0..5 {
        app::update(&mut a, Msg::Tick);
        files::autosave_tick(&mut a, later);
    }
    assert_eq!(question(&a).0, "Save failed");
    assert!(a.dirty());
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none());
    assert!(a.dirty(), "still unsaved");
}

fn save_as(a: &mut App, text: &str) {
    press(a, ch('S'));
    press(a, ctrl('u'));
    for c in text.chars() {
        app::update(a, Msg::Form(FormMsg::Input(InputMsg::Char(c))));
    }
    app::update(a, Msg::Form(FormMsg::Submit));
}

#[test]
fn save_as_refuses_names_that_would_mislead() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, path) = app_on_file(dir.path());
    let d = dir.path().display();
    for (name, why) in [
        (format!("{d}/evil\u{202E}nor.ron"), "U+202E"),
        (format!("{d}/bell\u{7}.ron"), "U+0007"),
        (format!("{d}/new/folder/x.ron"), "does not exist"),
        (format!("{d}/notes.txt"), "end the name in .ron"),
        (format!("{d}/.hidden.ron"), "hidden"),
    ] {
        save_as(&mut a, &name);
        let Some(Popup::Form(f)) = a.popup() else { panic!("{name:?} was accepted: {:?}", a.popup()) };
        let shown = format!("{:?} {:?}", f.message, f.fields[0].error);
        assert!(shown.contains(why), "{name:?}: {shown}");
        press(&mut a, key(KeyCode::Esc));
    }
    assert!(!dir.path().join("new").exists(), "no folder was created");
    assert_eq!(a.path.as_deref(), Some(path.as_path()));
    // A name without an extension gets .ron.
    save_as(&mut a, &format!("{d}/plain"));
    assert_eq!(a.path.as_deref(), Some(dir.path().join("plain.ron").as_path()), "{:?}", a.popup());
    assert!(files::resolve_save_path("bare").unwrap().ends_with("bare.ron"));
}

#[test]
fn stale_temporaries_of_dead_processes_are_cleaned_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = app_on_file(dir.path());
    // A pid no process has (above the kernel's pid_max), this process, and pid 1.
    let dead = dir.path().join(".d.ron.2147483646.tmp");
    let mine = dir.path().join(format!(".d.ron.{}.tmp", std::process::id()));
    let init = dir.path().join(".d.ron.1.tmp");
    let autosave = dir.path().join(".d.ron.recovery.ron.2147483645.tmp");
    for p in [&dead, &mine, &init, &autosave] {
        std::fs::write(p, "").unwrap();
    }
    files::clean_stale_temps(&a);
    assert!(!dead.exists() && !autosave.exists(), "the dead process's temporaries are gone");
    assert!(mine.exists() && init.exists(), "a running process's temporaries stay");
}

/// Issue 17, U3 in the app: a control character in a name is shown escaped in the tree (the
/// backend would drop it, shifting what follows), never sent to the terminal.
#[test]
fn control_characters_in_names_show_escaped_in_the_tree() {
    let mut d = vpcraft::assets::example("custom-vpc").unwrap();
    d.vpcs[0].name = "vpc\u{1b}]0;pwned\u{7}".into();
    let mut a = App::new(d, None);
    a.allow_io = false;
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 30)).unwrap();
    t.draw(|f| vpcraft::ui::view(f, &a, &mut vpcraft::ui::ViewState::default())).unwrap();
    let screen = t.backend().to_string();
    assert!(screen.contains("vpc\\x1b]0;pwned\\x07"), "{screen}");
}

/// D5 for a new design: its file did not exist when the app started, and another program
/// created it meanwhile. Saving asks instead of writing over it.
#[test]
fn a_new_designs_file_created_meanwhile_is_not_written_over_silently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.ron");
    let mut a = App::new(vpcraft::model::Design::new("new", "ap-northeast-2"), Some(path.clone()));
    change(&mut a, "mine");
    std::fs::write(&path, "someone else's").unwrap();
    press(&mut a, ctrl('s'));
    assert_eq!(question(&a).0, "Changed on disk");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "someone else's");
    press(&mut a, ch('y'));
    assert_eq!(native::load_file(&path).unwrap().name, "mine");
}
