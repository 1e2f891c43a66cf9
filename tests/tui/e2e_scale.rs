//! End to end on a large design: the real binary in tmux on a `gen --vpcs 1000` design (about
//! 30,000 resources). The VPC selected at start renamed through its edit form shows its new
//! name in the tree once the edit is done (issue 11: an edit is followed at once, by checking
//! only what it touched). No timing is asserted: the benchmark
//! `tui/apply_one_field_op_and_redraw_1000_vpcs` measures it; the hang guard is generous
//! because a debug build on a loaded machine loads 30,000 resources slowly.

use crate::e2e::{start, tmux_available};
use std::time::{Duration, Instant};

const GUARD: Duration = Duration::from_secs(300);

#[test]
fn a_rename_on_a_1000_vpc_design_shows_in_the_tree() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("big.ron");
    let design = vpcraft::model::gen::generate(1000, 1);
    let (old, cidr) = (design.vpcs[0].name.clone(), design.vpcs[0].cidr.to_string());
    std::fs::write(&file, vpcraft::io::native::to_string(&design).expect("serialises")).expect("write the design");
    let mut t = start("rename-1000", &format!("'{}'", file.display()), dir.path());
    // Its terminal gone, the app writes the unsaved rename of 30,000 resources to its recovery
    // file before it ends: seconds for a debug build on a loaded machine, so the usual two
    // seconds to end would fail a process doing the right thing (a spinning one still fails).
    t.allow_exit_within(Duration::from_secs(30));
    t.wait_for_within("1000 VPCs", GUARD);
    // The first VPC is selected at start: its row is the name, two spaces, the CIDR.
    t.wait_for_within(&format!("{old}  {cidr}"), GUARD);

    // Its edit form: the name replaced, then applied.
    t.keys(&["e"]);
    t.wait_for_within("Edit VPC", GUARD);
    t.keys(&["C-u"]);
    t.text("renamed-in-a-big-design");
    t.keys(&["Enter"]);
    t.wait_for_within("renamed-in-a-big-design: done", GUARD);
    // The tree's row shows the new name, and no row shows the old one.
    let screen = t.wait_for_within(&format!("renamed-in-a-big-design  {cidr}"), GUARD);
    assert!(!screen.contains(&format!("{old}  ")), "the old name is still in the tree:\n{screen}");
    // The work the edit started (what-if, reachability) ends before the terminal goes away,
    // so the app is free to notice it has and exit in time.
    let start = Instant::now();
    while t.capture().contains("computing") || t.capture().contains("checking") {
        assert!(start.elapsed() < GUARD, "still computing after {GUARD:?}:\n{}", t.capture());
        std::thread::sleep(Duration::from_millis(200));
    }
    // The terminal goes away with the rename unsaved: the app ends, and the rename is in its
    // recovery file.
    drop(t);
    let recovery = dir.path().join(".big.ron.recovery.ron");
    let saved = std::fs::read_to_string(&recovery).unwrap_or_else(|e| panic!("{}: {e}", recovery.display()));
    assert!(saved.contains("renamed-in-a-big-design"), "the recovery file lacks the rename");
}
