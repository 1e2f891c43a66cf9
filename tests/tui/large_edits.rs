//! Edits of a large design leave the UI thread free: the recovery file of a design above
//! `files::BACKGROUND_WRITE` resources is written on another thread (serialising 30,000
//! resources and flushing them twice to a busy disk froze the screen for seconds), and what
//! writes or removes that file, or replaces the design, waits for it first, so an older write
//! can never land over a newer state.

use vpcraft::app::files::{self, SaveAnswers};
use vpcraft::app::App;
use vpcraft::model::ops::{Op, Ref};

/// A design above the background-write threshold, on a file in `dir`, autosave on, with one
/// unsaved rename.
fn large_dirty_app(dir: &std::path::Path) -> App {
    let design = vpcraft::model::gen::generate(220, 3);
    assert!(design.resources().count() > files::BACKGROUND_WRITE, "the design is large enough");
    let path = dir.join("big.ron");
    vpcraft::io::native::save_file(&design, &path).expect("save");
    let mut a = App::new(vpcraft::io::native::load_file(&path).expect("load"), Some(path));
    a.autosave.enabled = true;
    let subnet = a.design.subnets[7].id.clone();
    let op = Op::UpdateSubnet {
        subnet: Ref::id(subnet),
        name: Some("renamed-unsaved".into()),
        cidr: None,
        public_ip_on_launch: None,
        route_table: None,
    };
    a.apply("rename", vec![op]).expect("rename");
    a
}

#[test]
fn a_large_designs_recovery_file_is_written_beside_the_ui_and_taken_on_a_later_tick() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = large_dirty_app(dir.path());
    let t0 = std::time::Instant::now();
    files::autosave_tick(&mut a, t0);
    let w = a.autosave.writing.as_ref().expect("the write runs beside the UI");
    assert_eq!(w.rev, a.rev, "it writes the revision shown");
    assert_ne!(a.autosave.written_rev, a.rev, "not counted as written before it is");
    // Later ticks take its outcome once it is done (without waiting for it).
    let deadline = t0 + std::time::Duration::from_secs(120);
    while a.autosave.writing.is_some() {
        assert!(std::time::Instant::now() < deadline, "the recovery file was never written");
        std::thread::sleep(std::time::Duration::from_millis(20));
        files::autosave_tick(&mut a, std::time::Instant::now());
    }
    assert_eq!(a.autosave.written_rev, a.rev);
    let back = vpcraft::io::native::load_file(&files::recovery_path(&a)).expect("the recovery file loads");
    assert_eq!(back, a.design, "it holds the design as it was edited");
}

#[test]
fn saving_while_the_recovery_file_is_written_leaves_no_recovery_file() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = large_dirty_app(dir.path());
    files::autosave_tick(&mut a, std::time::Instant::now());
    assert!(a.autosave.writing.is_some());
    let path = a.path.clone().expect("a path");
    files::save_to(&mut a, path.clone(), SaveAnswers::default()).expect("saved");
    assert!(a.autosave.writing.is_none(), "the save waited for the write");
    assert!(!files::recovery_path(&a).exists(), "the write landed before the save removed it");
    assert!(!a.dirty());
    let back = vpcraft::io::native::load_file(&path).expect("loads");
    assert!(back.subnets.iter().any(|s| s.name == "renamed-unsaved"));
}

#[test]
fn a_newer_recovery_file_written_at_once_is_never_overwritten_by_an_older_write() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = large_dirty_app(dir.path());
    files::autosave_tick(&mut a, std::time::Instant::now());
    assert!(a.autosave.writing.is_some());
    // Another change, written at once (as the exit path after a signal does).
    let subnet = a.design.subnets[8].id.clone();
    let op = Op::UpdateSubnet {
        subnet: Ref::id(subnet),
        name: Some("newest".into()),
        cidr: None,
        public_ip_on_launch: None,
        route_table: None,
    };
    a.apply("rename", vec![op]).expect("rename");
    let rec = files::write_recovery(&mut a).expect("written");
    assert!(a.autosave.writing.is_none());
    // Whatever the threads did, the file holds the newest design.
    std::thread::sleep(std::time::Duration::from_millis(50));
    let back = vpcraft::io::native::load_file(&rec).expect("loads");
    assert_eq!(back, a.design);
}
