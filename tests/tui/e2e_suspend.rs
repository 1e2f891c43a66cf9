//! `kill -TSTP` from outside: the app gives the terminal back before it stops (main screen,
//! cursor shown, mouse released) and takes it again on `kill -CONT`, drawn and answering keys.

use crate::e2e::{app_pid, start, tmux_available, Tmux};
use std::process::Command;
use std::time::{Duration, Instant};

/// Wait until tmux reports `want` for the pane's screen, cursor and mouse flags.
fn wait_flags(t: &Tmux, want: &str, why: &str) {
    let start = Instant::now();
    loop {
        let got = t.display("#{alternate_on} #{cursor_flag} #{mouse_any_flag}");
        if got == want {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{why}: flags {got:?}, screen:\n{}", t.capture());
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn kill(sig: &str, pid: &str) {
    let out = Command::new("kill").args([sig, pid]).output().expect("kill");
    assert!(out.status.success(), "kill {sig} failed: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn sigtstp_gives_the_terminal_back_and_sigcont_takes_it_again() {
    if !tmux_available() || !std::path::Path::new("/proc/self/stat").exists() {
        crate::common::skip_unless_ci("tmux or /proc is not available");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("stop.ron");
    let t = start("sigtstp", &format!("'{}'", file.display()), dir.path());
    t.wait_for("0 VPCs");
    wait_flags(&t, "1 0 1", "the app owns the terminal");
    let pid = app_pid(&t);

    kill("-TSTP", &pid);
    wait_flags(&t, "0 1 0", "stopped, the terminal is the shell's again");
    let start = Instant::now();
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the app is still there");
        if stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('T')) {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "the app never stopped: {stat}");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!t.capture().contains("VPC tree"), "the alternate screen was left:\n{}", t.capture());

    kill("-CONT", &pid);
    wait_flags(&t, "1 0 1", "continued, the app owns the terminal again");
    t.wait_for("VPC tree");
    t.wait_for("0 VPCs");
    t.keys(&["q"]);
    t.wait_for("VPCRAFT-EXITED-0");
}
