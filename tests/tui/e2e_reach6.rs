//! End to end in tmux, on lab 10's dual-stack design: the reachability view switches to IPv6
//! with `6`, a subnet without an IPv6 block shows as not applicable, and Enter on the private
//! subnet's IPv6 cell to the internet plays its trace through the egress-only gateway.

use crate::e2e::{start, tmux_available};

#[test]
fn reach_view_switches_to_ipv6_on_lab_10_and_plays_a_cells_trace() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("lab10.ron");
    vpcraft::io::native::save_file(&crate::reach_view6::lab10_design(), &path).expect("design written");
    let t = start("reach6", &format!("'{}'", path.display()), dir.path());
    t.wait_for("v6-vpc");
    t.keys(&["M"]);
    t.wait_for("family ⇄ IPv4");
    t.wait_for("3 sources × 5 destinations");
    t.keys(&["6"]);
    t.wait_for("family ⇄ IPv6");
    t.wait_for("· 7 not applicable");
    // Row 2 (private), column 4 (internet): out over IPv6 through the egress-only gateway.
    t.keys(&["Down", "Right", "Right", "Right"]);
    t.wait_for("private → internet tcp/443: delivered");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Verdict: delivered");
    assert!(screen.contains("egress-only") || screen.contains("eigw"), "{screen}");
    assert!(screen.contains("2001:db8"), "the trace is IPv6: {screen}");
}
