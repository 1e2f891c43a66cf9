//! End to end: the real binary in tmux. Create a VPC and a subnet with keystrokes, save with
//! Ctrl-S, quit, and read the saved file back. Also checks the terminal is restored on exit
//! (alternate screen left, mouse capture off).
//!
//! Skips with a message when tmux is not installed (CI installs it).
//!
//! Every session's command carries `VPCRAFT_E2E_TAG=<socket>` in its environment, so the test
//! can find its own vpcraft processes: when the test ends the tmux server is killed (the
//! terminal goes away) and each of them must be gone within [`EXIT_LIMIT`], or the test fails
//! (after killing them, so a failure never leaves a process spinning).

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A hang guard for polling the screen, generous for a debug build on a loaded CI machine.
const DEADLINE: Duration = Duration::from_secs(60);

/// How long the app may take to end once its terminal is gone (issue 17, H2).
const EXIT_LIMIT: Duration = Duration::from_secs(2);

pub(crate) struct Tmux {
    socket: String,
    /// How long the app may take to end once its terminal is gone: [`EXIT_LIMIT`] unless a
    /// test says why it needs longer ([`Tmux::allow_exit_within`]).
    exit_limit: Duration,
}

impl Tmux {
    /// A detached 120×40 session named `e2e` on its own server, running `cmd` under `sh -c`
    /// with the tag in its environment.
    fn new(name: &str, cmd: &str) -> Tmux {
        let t = Tmux { socket: format!("vpcraft-e2e-{name}-{}", std::process::id()), exit_limit: EXIT_LIMIT };
        let cmd = format!("export VPCRAFT_E2E_TAG='{}'; {cmd}", t.socket);
        let out = t.run(&["new-session", "-d", "-x", "120", "-y", "40", "-s", "e2e", &cmd]);
        assert!(out.status.success(), "tmux new-session failed: {}", String::from_utf8_lossy(&out.stderr));
        t
    }

    /// Let the app take up to `limit` to end once its terminal is gone (it has more to save
    /// first than the usual design), still failing a process that never ends.
    pub(crate) fn allow_exit_within(&mut self, limit: Duration) {
        self.exit_limit = limit;
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("run tmux")
    }

    pub(crate) fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]).stdout).to_string()
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "e2e", k]);
        }
    }

    pub(crate) fn text(&self, s: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", s]);
    }

    /// Poll the screen until it shows `needle`; fail with the screen at the deadline.
    pub(crate) fn wait_for(&self, needle: &str) -> String {
        self.wait_for_within(needle, DEADLINE)
    }

    /// [`Tmux::wait_for`] with another hang guard (a debug build on a large design).
    pub(crate) fn wait_for_within(&self, needle: &str, deadline: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if screen.contains(needle) {
                return screen;
            }
            assert!(start.elapsed() < deadline, "timed out waiting for {needle:?}; the screen was:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn display(&self, format: &str) -> String {
        String::from_utf8_lossy(&self.run(&["display-message", "-p", "-t", "e2e", format]).stdout).trim().to_string()
    }
}

impl Drop for Tmux {
    /// Take the terminal away from whatever still runs in it; every vpcraft process of this
    /// session must then end by itself within [`EXIT_LIMIT`].
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-L").arg(&self.socket).arg("kill-server").output();
        let left = wait_gone(&self.socket, self.exit_limit);
        if left.is_empty() {
            return;
        }
        for pid in &left {
            let _ = Command::new("kill").args(["-KILL", pid]).output();
        }
        if !std::thread::panicking() {
            panic!("vpcraft processes {left:?} outlived their terminal by more than {:?}", self.exit_limit);
        }
    }
}

/// The live (not zombie) vpcraft processes whose environment carries `VPCRAFT_E2E_TAG=<tag>`.
fn tagged_pids(tag: &str) -> Vec<String> {
    let needle = format!("VPCRAFT_E2E_TAG={tag}");
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else { return out };
    for entry in rd.flatten() {
        let pid = entry.file_name().to_string_lossy().to_string();
        if !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let Some((head, rest)) = stat.rsplit_once(") ") else { continue };
        if !head.contains("(vpcraft") || rest.starts_with('Z') {
            continue;
        }
        let Ok(env) = std::fs::read(entry.path().join("environ")) else { continue };
        if env.split(|&b| b == 0).any(|kv| kv == needle.as_bytes()) {
            out.push(pid);
        }
    }
    out
}

/// Wait up to `limit` for the tagged processes to end; returns those still running.
fn wait_gone(tag: &str, limit: Duration) -> Vec<String> {
    let start = Instant::now();
    loop {
        let left = tagged_pids(tag);
        if left.is_empty() || start.elapsed() >= limit {
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(crate) fn tmux_available() -> bool {
    Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success())
}

#[test]
fn create_vpc_and_subnet_save_quit_and_reload() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("e2e.ron");
    let bin = env!("CARGO_BIN_EXE_vpcraft");
    // The shell line prints a marker after vpcraft exits so the test can see the restored screen.
    let cmd = format!(
        "env VPCRAFT_SAVES_DIR='{d}' VPCRAFT_CONFIG_DIR='{d}' '{bin}' '{f}'; echo VPCRAFT-EXITED-$?; sleep 30",
        d = dir.path().display(),
        f = file.display()
    );
    let t = Tmux::new("create", &cmd);

    t.wait_for("e2e.ron");
    t.wait_for("0 VPCs");
    assert_eq!(t.display("#{mouse_any_flag}"), "1", "the app captures the mouse");

    // A VPC: typed into the add menu's finder.
    t.keys(&["a"]);
    t.wait_for("Add in ap-northeast-2");
    t.text("vpc");
    t.keys(&["Enter"]);
    t.wait_for("New VPC");
    t.text("e2e-vpc");
    t.keys(&["Tab", "Tab", "C-u"]);
    t.text("10.20.0.0/16");
    t.keys(&["Enter"]);
    t.wait_for("add VPC e2e-vpc: done");

    // A subnet in it: the add menu preselects "subnet" on a VPC. First a bad CIDR, refused
    // with the rule; then a good one, with the name typed earlier kept.
    t.keys(&["a"]);
    t.wait_for("Add to e2e-vpc");
    t.keys(&["Enter"]);
    t.wait_for("New subnet");
    t.text("e2e-web");
    t.keys(&["Tab", "Tab", "C-u"]);
    t.text("10.99.1.0/24");
    t.wait_for("is not inside e2e-vpc");
    t.keys(&["Enter"]);
    t.wait_for("Not applied");
    t.keys(&["C-u"]);
    t.text("10.20.1.0/24");
    t.keys(&["Enter"]);
    t.wait_for("add subnet e2e-web: done");

    t.keys(&["C-s"]);
    t.wait_for("saved");
    t.keys(&["q"]);
    let screen = t.wait_for("VPCRAFT-EXITED-0");
    assert!(!screen.contains("VPC tree"), "the alternate screen was left:\n{screen}");
    assert_eq!(t.display("#{mouse_any_flag}"), "0", "mouse capture is off after exit");
    assert_eq!(t.display("#{alternate_on}"), "0", "the alternate screen is off after exit");

    check_saved(&file);
}

/// A tmux session running the binary on `args` at 120×40, with saves and config in a temp dir.
pub(crate) fn start(name: &str, args: &str, dir: &Path) -> Tmux {
    start_env(name, "", args, dir)
}

/// [`start`] with more environment (`NAME=value …`).
fn start_env(name: &str, env: &str, args: &str, dir: &Path) -> Tmux {
    let bin = env!("CARGO_BIN_EXE_vpcraft");
    let cmd = format!(
        "env VPCRAFT_SAVES_DIR='{d}' VPCRAFT_CONFIG_DIR='{d}' {env} '{bin}' {args}; echo VPCRAFT-EXITED-$?; sleep 30",
        d = dir.display()
    );
    Tmux::new(name, &cmd)
}

/// Trace the private instance to S3 (dropped), jump to the stop hop, add a gateway endpoint on
/// its route table with the tree's add form, re-trace with one key: delivered.
#[test]
fn trace_drop_fix_in_the_tree_and_retrace() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let t = start("trace", "example:endpoint-lab", dir.path());
    t.wait_for("jhVPC");

    t.keys(&["t"]);
    t.wait_for("Trace a packet");
    t.keys(&["BTab", "C-u"]);
    t.text("jhPrivateEC2");
    t.keys(&["Enter", "C-u"]);
    t.text("s3.ap-northeast-2");
    t.wait_for("service   s3.ap-northeast-2.amazonaws.com");
    t.keys(&["Enter", "Enter", "Enter"]);
    t.wait_for("Verdict: dropped");
    // The packet stops at the route table, marked; Enter there selects it in the tree and
    // shows it in the route pane.
    t.wait_for("✖ jhPrivateRT");
    t.keys(&["Enter"]);
    t.wait_for("selected jhPrivateRT");

    // The fix, in the tree: add menu → VPC endpoint (gateway, S3 by default) on jhPrivateRT.
    t.keys(&["1", "a"]);
    t.wait_for("Add to jhVPC");
    t.text("endpoint");
    t.keys(&["Enter"]);
    t.wait_for("New VPC endpoint");
    t.text("s3-gw");
    t.keys(&["Tab", "Tab", "Tab", "Tab"]);
    // The route tables are a list picker: type to find, Space ticks.
    t.text("jhPrivateRT");
    t.keys(&["Space"]);
    t.keys(&["Enter"]);
    t.wait_for("add VPC endpoint s3-gw: done");

    // One key re-traces the same request.
    t.keys(&["R"]);
    t.wait_for("Verdict: delivered");
}

/// Walk lab 3 to its end with keys; the try-it step is checked (fails), then shown.
#[test]
fn walk_lab_3_to_the_end() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let t = start("lab", "", dir.path());
    t.wait_for("VPC tree");
    t.keys(&["L"]);
    t.wait_for("Guided labs");
    t.keys(&["3"]);
    t.wait_for("Step 1/4");
    t.keys(&["]"]);
    t.wait_for("Step 2/4");
    t.keys(&["]"]);
    t.wait_for("Step 3/4");
    t.keys(&["c"]);
    t.wait_for("not yet");
    t.keys(&["m"]);
    t.wait_for("✓ done");
    t.keys(&["]"]);
    t.wait_for("Step 4/4");
    t.keys(&["]"]);
    t.wait_for("Lab complete");
    // Leaving goes back to the design the user had open.
    t.keys(&["Escape"]);
    t.wait_for("left lab 3 s3-gateway-endpoint; back to");
}

fn check_saved(file: &Path) {
    let d = vpcraft::io::native::load_file(file).expect("the saved design loads");
    let vpc = d.vpcs.iter().find(|v| v.name == "e2e-vpc").expect("the VPC was saved");
    assert_eq!(vpc.cidr.to_string(), "10.20.0.0/16");
    let subnet = d.subnets.iter().find(|s| s.name == "e2e-web").expect("the subnet was saved");
    assert_eq!(subnet.primary_cidr_text(), "10.20.1.0/24");
    assert_eq!(subnet.vpc, vpc.id);
    assert!(d.route_tables.iter().any(|r| r.main && r.vpc == vpc.id), "the VPC came with its main route table");
}

/// The pid of the vpcraft process the pane's shell started.
pub(crate) fn app_pid(t: &Tmux) -> String {
    let shell = t.display("#{pane_pid}");
    let start = Instant::now();
    loop {
        for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            // pid (comm) state ppid …
            let Some((head, rest)) = stat.rsplit_once(") ") else { continue };
            let ppid = rest.split(' ').nth(1).unwrap_or("");
            if ppid == shell && head.contains("(vpcraft") {
                return entry.file_name().to_string_lossy().to_string();
            }
        }
        assert!(start.elapsed() < DEADLINE, "no vpcraft process under the pane's shell {shell}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Add a VPC with the tree's add menu (the design must have its region selected).
fn add_vpc(t: &Tmux, name: &str, cidr: &str) {
    t.keys(&["1", "g", "a"]);
    t.wait_for("Add in ap-northeast-2");
    t.text("vpc");
    t.keys(&["Enter"]);
    t.wait_for("New VPC");
    t.text(name);
    t.keys(&["Tab", "Tab", "C-u"]);
    t.text(cidr);
    t.keys(&["Enter"]);
    t.wait_for(&format!("add VPC {name}: done"));
}

/// `kill -TERM`: the unsaved changes go to the recovery file, the terminal is given back
/// (main screen, cursor shown, mouse released) and the exit status is 128 + 15.
#[test]
fn sigterm_writes_recovery_and_restores_the_terminal() {
    if !tmux_available() || !Path::new("/proc/self/stat").exists() {
        crate::common::skip_unless_ci("tmux or /proc is not available");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sig.ron");
    let t = start("sigterm", &format!("'{}'", file.display()), dir.path());
    t.wait_for("sig.ron");
    t.wait_for("0 VPCs");
    assert_eq!(t.display("#{alternate_on} #{cursor_flag} #{mouse_any_flag}"), "1 0 1", "the app owns the terminal");
    let pid = app_pid(&t);

    add_vpc(&t, "first-vpc", "10.1.0.0/16");
    let rec = dir.path().join(".sig.ron.recovery.ron");
    let start = Instant::now();
    while !rec.exists() {
        assert!(start.elapsed() < DEADLINE, "autosave never wrote {}", rec.display());
        std::thread::sleep(Duration::from_millis(20));
    }
    // A second change, likely inside the autosave delay: the signal handler writes it.
    add_vpc(&t, "second-vpc", "10.2.0.0/16");
    let out = Command::new("kill").args(["-TERM", &pid]).output().expect("kill");
    assert!(out.status.success(), "kill failed: {}", String::from_utf8_lossy(&out.stderr));

    let screen = t.wait_for("VPCRAFT-EXITED-143");
    assert!(!screen.contains("VPC tree"), "the alternate screen was left:\n{screen}");
    assert_eq!(t.display("#{alternate_on} #{cursor_flag} #{mouse_any_flag}"), "0 1 0", "the terminal is restored");
    let d = vpcraft::io::native::load_file(&rec).expect("the recovery file loads");
    assert!(d.vpcs.iter().any(|v| v.name == "second-vpc"), "the last change is in the recovery file");
    assert!(!file.exists(), "nothing was saved behind the user's back");
}

/// A panic restores the terminal first, then prints its message on the main screen.
#[test]
fn a_panic_restores_the_terminal_then_prints_the_message() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let t = start_env("panic", "VPCRAFT_TEST_PANIC=1", "", dir.path());
    let screen = t.wait_for("VPCRAFT-EXITED-101");
    assert!(screen.contains("VPCRAFT_TEST_PANIC: a deliberate panic"), "the message is on the main screen:\n{screen}");
    assert!(!screen.contains("VPC tree"), "the alternate screen was left:\n{screen}");
    assert_eq!(t.display("#{alternate_on} #{cursor_flag} #{mouse_any_flag}"), "0 1 0", "the terminal is restored");
}

/// Issue 17, H2: the terminal going away (`tmux kill-session`, like an ssh drop or a closed
/// window) ends the app within 2 s, with the unsaved changes in the recovery file, including
/// one made inside the autosave delay.
#[test]
fn killing_the_session_ends_the_app_and_keeps_the_changes() {
    if !tmux_available() || !Path::new("/proc/self/stat").exists() {
        crate::common::skip_unless_ci("tmux or /proc is not available");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("gone.ron");
    let t = start("hangup", &format!("'{}'", file.display()), dir.path());
    t.wait_for("gone.ron");
    t.wait_for("0 VPCs");
    let pid = app_pid(&t);
    add_vpc(&t, "first-vpc", "10.1.0.0/16");
    let rec = dir.path().join(".gone.ron.recovery.ron");
    let start = Instant::now();
    while !rec.exists() {
        assert!(start.elapsed() < DEADLINE, "autosave never wrote {}", rec.display());
        std::thread::sleep(Duration::from_millis(20));
    }
    add_vpc(&t, "second-vpc", "10.2.0.0/16");

    let out = t.run(&["kill-session", "-t", "e2e"]);
    assert!(out.status.success(), "kill-session failed: {}", String::from_utf8_lossy(&out.stderr));
    let left = wait_gone(&t.socket, EXIT_LIMIT);
    assert!(left.is_empty(), "vpcraft {pid} still runs {EXIT_LIMIT:?} after its terminal went away");
    let d = vpcraft::io::native::load_file(&rec).expect("the recovery file loads");
    assert!(d.vpcs.iter().any(|v| v.name == "second-vpc"), "the last change is in the recovery file");
    assert!(!file.exists(), "nothing was saved behind the user's back");
}

/// The reachability view on the endpoint lab: move to the private subnet → S3 cell (dropped),
/// Enter plays its trace; add the S3 gateway endpoint and the status bar's what-if says which
/// flows it opened, D lists them.
#[test]
fn reach_view_cell_trace_and_what_if_after_an_edit() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let t = start("reach", "example:endpoint-lab", dir.path());
    t.wait_for("jhVPC");
    t.keys(&["M"]);
    t.wait_for("Reachability tcp/443");
    t.wait_for("2 sources × 4 destinations");
    t.keys(&["Down", "Right", "Right", "Right"]);
    t.wait_for("jhPrivateSN → s3.ap-northeast-2.amazonaws.com tcp/443: dropped");
    t.keys(&["Enter"]);
    t.wait_for("Verdict: dropped");
    // Enter on the stop hop selects the route table in the tree.
    t.wait_for("✖ jhPrivateRT");
    t.keys(&["Enter"]);
    t.wait_for("selected jhPrivateRT");

    // The fix, in the tree: add menu → VPC endpoint (gateway, S3 by default) on jhPrivateRT.
    t.keys(&["1", "a"]);
    t.wait_for("Add to jhVPC");
    t.text("endpoint");
    t.keys(&["Enter"]);
    t.wait_for("New VPC endpoint");
    t.text("s3-gw");
    t.keys(&["Tab", "Tab", "Tab", "Tab"]);
    // The route tables are a list picker: type to find, Space ticks.
    t.text("jhPrivateRT");
    t.keys(&["Space"]);
    t.keys(&["Enter"]);
    t.wait_for("what-if: opened");
    t.keys(&["D"]);
    let screen = t.wait_for("What the last edit changed");
    assert!(screen.contains("opened jhPrivateSN → s3.ap-northeast-2.amazonaws.com tcp/443"), "{screen}");
    // (Escape and M sent together would read as Alt-M.)
    t.keys(&["Escape"]);
    t.wait_for("Tab pane");
    t.keys(&["M"]);
    t.wait_for("jhPrivateSN → s3.ap-northeast-2.amazonaws.com tcp/443: delivered");
}

/// Issue 16: the newcomer's path. From an empty folder: a new design (N), the seed 000 network
/// with "VPC and more" in under 20 keys, an instance found with the tree filter and added
/// from the add menu's finder (no id typed anywhere), a trace, a save, and the design reopened
/// from the open list, which lists the current folder's designs and the recent files; then the
/// whole interface in Korean (K) and lab 3 walked with its lesson numbers checked against the
/// animation on screen (issue 16, "Done means").
#[test]
fn newcomer_builds_the_seed_000_network_traces_saves_and_reopens() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = env!("CARGO_BIN_EXE_vpcraft");
    let cmd = format!(
        "cd '{d}' && env VPCRAFT_SAVES_DIR='{d}/saves' VPCRAFT_CONFIG_DIR='{d}' VPCRAFT_DATA_DIR='{d}/data' '{bin}'; echo VPCRAFT-EXITED-$?; sleep 30",
        d = dir.path().display(),
    );
    let t = Tmux::new("newcomer", &cmd);
    t.wait_for("VPC tree");

    // A new design, in the current folder.
    t.keys(&["N"]);
    t.wait_for("New design");
    t.text("seed");
    t.keys(&["Enter"]);
    t.wait_for("new design seed: saved to seed.ron");
    assert!(dir.path().join("seed.ron").exists(), "the new design is on disk");

    // The seed 000 network: the add menu of an empty design starts with "VPC and more".
    // Every key sent, typed text counted one key per character.
    let keys = std::cell::Cell::new(0);
    let press = |k: &[&str]| {
        keys.set(keys.get() + k.len());
        t.keys(k);
    };
    press(&["a"]);
    t.wait_for("suggested here");
    press(&["Enter"]);
    t.wait_for("New VPC and more");
    press(&["Tab"]);
    keys.set(keys.get() + "10.39.0.0/16".len());
    t.text("10.39.0.0/16");
    press(&["Tab", "4"]);
    t.wait_for("subnet my-pvt-2d 10.39.112.0/20");
    press(&["Enter"]);
    t.wait_for("VPC and more: created, names starting with my");
    let keys = keys.get();
    assert!(keys < 20, "the seed 000 network took {keys} keys");

    // An instance in my-pub-2a: the subnet found with the filter, the kind with the finder.
    t.keys(&["/"]);
    t.text("my-pub-2a");
    t.keys(&["Enter", "a"]);
    t.wait_for("Add to my-vpc");
    t.text("instance");
    t.keys(&["Enter"]);
    t.wait_for("New instance");
    t.text("web");
    t.keys(&["Enter"]);
    t.wait_for("add instance web: done");

    // A trace from it, to the internet.
    t.keys(&["t"]);
    t.wait_for("Trace a packet");
    t.keys(&["C-t"]);
    t.wait_for("Verdict");

    // Save, then reopen it from the open list: the current folder's designs are there.
    t.keys(&["C-s"]);
    t.wait_for("saved");
    t.keys(&["o"]);
    t.wait_for("here: seed.ron");
    t.wait_for("New design…");
    t.text("seed.ron");
    t.keys(&["Enter"]);
    t.wait_for("opened seed.ron");
    t.wait_for("my-vpc");
    let recent = std::fs::read_to_string(dir.path().join("data/recent.txt")).expect("recent files kept");
    assert!(recent.contains("seed.ron"), "{recent}");

    let d = vpcraft::io::native::load_file(&dir.path().join("seed.ron")).expect("the saved design loads");
    assert_eq!(d.subnets.len(), 8);
    assert_eq!(d.internet_gateways.len(), 1);
    assert!(d.instances.iter().any(|i| i.name == "web"));

    // The whole interface in Korean, then lab 3 with its numbers checked on screen.
    t.keys(&["K"]);
    t.wait_for("VPC 트리");
    walk_lab_3_in_korean(&t);
    t.keys(&["q"]);
    t.wait_for("back to seed.ron");
    t.keys(&["q"]);
    t.wait_for("VPCRAFT-EXITED-0");
}

/// The topology map in a real terminal: `V` shows it beside the tree, a trace started from it
/// plays on it (the packet glyph appears, the step list beside it), `M` still opens the
/// reachability view from the map, `V` hides the map again, `q` quits cleanly.
#[test]
fn the_map_shows_the_design_and_the_packet_moving() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let t = start("map", "example:endpoint-lab", dir.path());
    t.wait_for("jhVPC");
    t.keys(&["V"]);
    t.wait_for("Topology map");
    let screen = t.wait_for("jhPrivateSN");
    assert!(screen.contains("IGW"), "the internet gateway on the VPC's border:\n{screen}");
    assert!(screen.contains("V map"), "the status bar names the map's key:\n{screen}");

    t.keys(&["n"]);
    t.wait_for("Trace a packet");
    t.keys(&["BTab", "C-u"]);
    t.text("jhPublicEC2");
    t.keys(&["Enter", "C-u"]);
    t.text("s3.ap-northeast-2");
    t.wait_for("service   s3.ap-northeast-2.amazonaws.com");
    t.keys(&["Enter", "Enter", "Enter"]);
    t.wait_for("delivered (");
    let screen = t.wait_for("●");
    assert!(screen.contains("Topology map"), "the trace plays on the map:\n{screen}");

    t.keys(&["M"]);
    t.wait_for("Reachability tcp/443");
    t.keys(&["Escape"]);
    t.wait_for("Topology map");
    t.keys(&["V"]);
    t.wait_for("Subnet planner");
    t.keys(&["q"]);
    t.wait_for("VPCRAFT-EXITED-0");
}

/// Issue 16 items 1 and 9, end to end: started with `LANG=ko_KR.UTF-8` the app speaks Korean;
/// walking lab 3, every blog step `[n]` the lesson shows with its hops (`[2 · 홉 ⑤]`) is
/// drawn beside those hops in the trace pane (`⑤ [2] …`), and the drop is at the hop the
/// lesson names.
#[test]
fn lab_3_in_korean_lesson_numbers_match_the_animation() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let t = start_env("lab-ko", "LANG=ko_KR.UTF-8 LC_ALL= LC_MESSAGES=", "", dir.path());
    t.wait_for("VPC 트리");
    walk_lab_3_in_korean(&t);
}

/// With the interface in Korean: open lab 3 and walk its first two steps, checking that each
/// blog step `[n]` the lesson shows with its hops is drawn beside those hops in the animation
/// and that the drop is where the lesson says; then K back to English, the same numbers.
fn walk_lab_3_in_korean(t: &Tmux) {
    t.keys(&["L"]);
    t.wait_for("실습");
    t.keys(&["3"]);
    t.wait_for("단계 1/4");
    let check = |t: &Tmux, want: &[(u32, &[u32])]| {
        // The lesson's mapping line, read back from the screen.
        let line: String = want
            .iter()
            .map(|(n, hops)| vpcraft::labs::lesson::marker_text(*n, hops, vpcraft::l10n::Lang::Ko))
            .collect::<Vec<_>>()
            .join(" ");
        let screen = t.wait_for(&line);
        let shown = vpcraft::labs::lesson::read_filled(&line);
        assert_eq!(shown.len(), want.len(), "{screen}");
        // Each hop of each blog step carries the step's label in the animation.
        for (n, hops) in shown {
            for h in hops {
                t.wait_for(&format!("{} [{n}] ", vpcraft::sim::circled(h)));
            }
        }
    };
    check(t, &[(1, &[2]), (2, &[5]), (3, &[6])]);
    t.wait_for("⑤ [2] 라우팅 테이블 jhPublicRT");
    t.keys(&["]"]);
    t.wait_for("단계 2/4");
    check(t, &[(4, &[2, 5])]);
    t.wait_for("⑤ [4] 라우팅 테이블 jhPrivateRT — 라우팅 테이블 rtb-0003에");
    t.wait_for("버려진 곳 ⑤");
    t.wait_for("판정: 차단됨");
    // K back to English: the same numbers.
    t.keys(&["K"]);
    t.wait_for("Step 2/4");
    t.wait_for("[4 · hops ②⑤]");
    t.wait_for("dropped at ⑤");
}

impl Tmux {
    /// Where `text` is on the screen: (column, row), 0-based; panics when it is not there.
    fn find(&self, text: &str) -> (usize, usize) {
        let screen = self.wait_for(text);
        for (y, line) in screen.lines().enumerate() {
            if let Some(b) = line.find(text) {
                return (line[..b].chars().count(), y);
            }
        }
        unreachable!("{text} was on the screen")
    }

    /// A mouse event as a terminal sends it with SGR reporting (1006, what the app enables):
    /// button 0 is the left button, 64/65 the wheel up/down; `press` false is the release.
    fn mouse(&self, button: u8, (x, y): (usize, usize), press: bool) {
        let end = if press { 'M' } else { 'm' };
        self.text(&format!("\x1b[<{button};{};{}{end}", x + 1, y + 1));
    }

    fn click(&self, at: (usize, usize)) {
        self.mouse(0, at, true);
        self.mouse(0, at, false);
    }
}

/// Issue 16, item 12, in a real terminal: a click selects a planner row and the wheel moves the
/// selection; the lab picker takes a click to select and a second to start.
#[test]
fn the_mouse_selects_planner_rows_scrolls_and_starts_a_lab() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let t = start("mouse", "", dir.path());
    t.wait_for("VPC tree");
    // The planner table's row of my-pvt-2b (the tree shows it too, without the ■).
    let at = t.find("■ my-pvt-2b");
    t.click(at);
    t.wait_for("10.39.80.0/20 my-pvt-2b · ap-northeast-2b · private");
    t.wait_for("n carve");
    // The wheel moves the selection three blocks on: two subnets, then the free space.
    t.mouse(65, at, true);
    t.wait_for("10.39.128.0/17 free");

    t.keys(&["L"]);
    t.wait_for("Guided labs");
    let lab = t.find("S3");
    t.click(lab);
    t.click(lab);
    t.wait_for("Step 1/4");
}

/// Issue 14: build a dual-stack VPC in the real binary (an Amazon-provided /56, a subnet on a
/// /64 with auto-assign, an egress-only gateway, `::/0` to it) and trace an IPv6 flow out.
#[test]
fn dual_stack_vpc_with_an_egress_only_gateway_traces_ipv6_out() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("v6.ron");
    let t = start("ipv6", &format!("'{}'", file.display()), dir.path());
    t.wait_for("0 VPCs");

    // The VPC, with an Amazon-provided /56 (its fifth field).
    t.keys(&["a"]);
    t.wait_for("Add in ap-northeast-2");
    t.text("vpc");
    t.keys(&["Enter"]);
    t.wait_for("New VPC");
    t.text("v6vpc");
    t.keys(&["Tab", "Tab", "Tab", "Tab"]);
    t.text("amazon");
    t.keys(&["Enter"]);
    t.wait_for("10.0.0.0/16 · 2001:db8::/56");

    // A subnet on the first free /64 (typed into the picker), auto-assign following it.
    t.keys(&["a"]);
    t.wait_for("Add to v6vpc");
    t.keys(&["Enter"]);
    t.wait_for("New subnet");
    t.text("web");
    t.keys(&["Tab", "Tab", "Tab", "Tab", "Tab"]);
    t.text("2001");
    t.wait_for("2001:db8::/64 (free)");
    t.keys(&["Enter"]);
    t.wait_for("10.0.0.0/24 + 2001:db8::/64");

    // The egress-only gateway, and ::/0 to it from the route pane: the gateway is offered
    // once the destination is IPv6.
    t.keys(&["k", "k", "a"]);
    t.wait_for("Add to v6vpc");
    t.text("egress");
    t.keys(&["Enter"]);
    t.wait_for("New egress-only");
    t.text("eigw1");
    t.keys(&["Enter"]);
    t.wait_for("eigw1: done");
    t.keys(&["3", "a"]);
    t.wait_for("New route in v6vpc-main");
    t.text("::/0");
    t.keys(&["Tab"]);
    t.wait_for("egress-only IGW eigw1");
    t.keys(&["Enter"]);
    t.wait_for("add route ::/0 in v6vpc-main: done");

    // An instance in the subnet: its IPv6 address is assigned at launch.
    t.keys(&["1", "g", "j", "j", "j", "a"]);
    t.wait_for("Add to v6vpc");
    t.wait_for("▸ instance");
    t.keys(&["Enter"]);
    t.wait_for("New instance");
    t.text("app1");
    t.wait_for("IPv6 addresses          auto");
    t.keys(&["Enter"]);
    t.wait_for("add instance app1: done");
    t.wait_for("10.0.0.4 · 2001:db8::4");

    // The IPv6 flow out: through the egress-only gateway, unchanged.
    t.keys(&["t"]);
    t.wait_for("Trace a packet");
    t.keys(&["C-u"]);
    t.text("2001:4860:4860::8888");
    t.keys(&["Enter", "Enter", "Enter"]);
    t.wait_for("Verdict: delivered");
    let screen = t.wait_for("EIGW");
    assert!(screen.contains("[2001:db8::4]"), "the instance's own IPv6 address:\n{screen}");
    t.keys(&["C-s"]);
    t.wait_for("saved");
    let d = vpcraft::io::native::load_file(&file).expect("the saved design loads");
    assert_eq!(d.egress_only_internet_gateways.len(), 1);
    assert!(d.subnets[0].assign_ipv6_address_on_creation);
}

/// Issue 14, end to end: a VPC with an Amazon-provided /56, then the planner's
/// layout (p): dual-stack by default, each subnet's /64 by slot beside its IPv4 block in the
/// preview; Enter makes them all, the IPv6 view shows the slots taken, one u takes it all back.
#[test]
fn a_dual_stack_layout_in_the_planner_assigns_64s_by_slot() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("layout6.ron");
    let t = start("layout6", &format!("'{}'", file.display()), dir.path());
    t.wait_for("0 VPCs");
    t.keys(&["a"]);
    t.wait_for("Add in ap-northeast-2");
    t.text("vpc");
    t.keys(&["Enter"]);
    t.wait_for("New VPC");
    t.text("lay");
    t.keys(&["Tab", "Tab", "Tab", "Tab"]);
    t.text("amazon");
    t.keys(&["Enter"]);
    t.wait_for("10.0.0.0/16 · 2001:db8::/56");

    t.keys(&["2", "p"]);
    t.wait_for("Lay out subnets in lay");
    t.wait_for("public-2a 10.0.0.0/24 + 2001:db8::/64");
    t.keys(&["Enter"]);
    // Side by side the preview is cut to what fits; zoomed (z) it shows every subnet.
    let screen = t.wait_for("Layout preview: 4 subnets");
    assert!(screen.contains("public-2a  10.0.0.0/24 2001:db8::/64     #0   → lay-public"), "short form:\n{screen}");
    t.keys(&["z"]);
    let screen = t.wait_for("zoomed");
    assert!(screen.contains("2001:db8:0:3::/64 slot 3"), "each /64 by its slot:\n{screen}");
    assert!(screen.contains("0.0.0.0/0, ::/0 → lay-igw"), "the new public table routes both:\n{screen}");
    t.keys(&["Enter"]);
    t.wait_for("layout applied: 4 subnets");
    t.keys(&["6"]);
    t.wait_for("4 of 256 slots used");
    t.keys(&["u"]);
    t.wait_for("0 of 256 slots used");
    t.keys(&["C-s"]);
    t.wait_for("saved");
    let d = vpcraft::io::native::load_file(&file).expect("the saved design loads");
    assert!(d.subnets.is_empty(), "one undo took the whole layout back");
}

/// Issue 19, end to end: add a publicly accessible RDS database (postgres) with the add menu's
/// form in a public subnet group, its group open on 5432: the status bar counts the public
/// database error and the internet reaches it; switched to not publicly accessible in its edit
/// form, a re-trace is dropped. The check of the saved file names the error while it is public.
#[test]
fn a_public_rds_made_in_the_app_is_an_error_reachable_until_made_private() {
    use vpcraft::model::builder::DesignBuilder;
    use vpcraft::model::ops::{Op, Ref};
    use vpcraft::model::{DatabaseService, RouteTarget};
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut b = DesignBuilder::new("rds-e2e", "ap-northeast-2");
    let v = b.vpc("main", "10.0.0.0/16");
    let a = b.subnet(&v, "pub-a", "10.0.1.0/24", "a");
    let c = b.subnet(&v, "pub-c", "10.0.2.0/24", "c");
    let igw = b.igw(&v, "igw");
    let rt = b.route_table(&v, "public-rt");
    b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    b.associate(&rt, &a);
    b.associate(&rt, &c);
    let sg = b.security_group(&v, "db-sg");
    b.allow_in_tcp(&sg, 5432, "0.0.0.0/0");
    let mut d = b.build();
    d.apply(&Op::AddDbSubnetGroup {
        name: "db-subnets".into(),
        service: DatabaseService::Rds,
        subnets: vec![Ref::id(&a), Ref::id(&c)],
        description: String::new(),
    })
    .expect("a subnet group in two zones");
    let file = dir.path().join("rds.ron");
    vpcraft::io::native::save_file(&d, &file).expect("saved");
    let t = start("rds", &format!("'{}'", file.display()), dir.path());
    t.wait_for("main");

    // The add menu's database form: name, engine postgres, the subnet group (the only one),
    // db-sg ticked, publicly accessible.
    t.keys(&["1", "a"]);
    t.wait_for("Add ");
    t.text("database");
    t.keys(&["Enter"]);
    t.wait_for("New database");
    t.text("orders");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.text("postgres");
    t.keys(&["Tab", "Tab", "Tab", "Tab"]);
    t.text("db-sg");
    t.keys(&["Space", "Tab", "Space"]);
    t.wait_for("[x] yes");
    t.keys(&["Enter"]);
    t.wait_for("orders: done");
    t.wait_for("│ 1 errors");
    t.keys(&["C-s"]);
    t.wait_for("saved");
    let saved = vpcraft::io::native::load_file(&file).expect("the saved design loads");
    let codes: Vec<String> =
        vpcraft::sim::checks::check_design(&saved).into_iter().map(|f| f.code.to_string()).collect();
    assert!(codes.iter().any(|c| c == "DATABASE_PUBLIC"), "{codes:?}");

    // From the internet to the database on 5432: delivered.
    t.keys(&["t"]);
    t.wait_for("Trace a packet");
    t.keys(&["BTab", "C-u"]);
    t.text("internet");
    t.keys(&["Enter", "C-u"]);
    t.text("orders");
    t.keys(&["Enter", "Enter", "C-u"]);
    t.text("5432");
    t.keys(&["Enter"]);
    t.wait_for("Verdict: delivered");

    // Not publicly accessible any more (M2): the edit form, then one key re-traces.
    t.keys(&["1", "e"]);
    t.wait_for("Edit database");
    t.keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Space"]);
    t.wait_for("[ ] no");
    t.keys(&["Enter"]);
    t.wait_for("orders: done");
    t.keys(&["R"]);
    t.wait_for("Verdict: dropped");
}

/// Issue 15 in the real binary: lab 11's hub with a firewall subnet, a rule group that drops
/// SSH and a policy (saved to a file); the firewall added with the add menu's form, the
/// attachment subnet's default route pointed at it from the route form's target picker, then
/// traces: SSH to the internet dropped by the rule group at the firewall's box, HTTPS delivered.
#[test]
fn add_a_firewall_route_through_it_and_trace() {
    if !tmux_available() {
        crate::common::skip_unless_ci("tmux is not installed (apt-get install tmux to run it)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let lab = vpcraft::labs::by_name("hub-inspection").expect("lab 11");
    let mut d = vpcraft::labs::run::start_design(&lab).expect("start");
    vpcraft::labs::run::apply_step(&lab, 0, &mut d).expect("step 1");
    // Step 2's rule group, policy and firewall subnet with its table; the attachment subnet
    // loses its default route, which the test gives back through the firewall.
    use vpcraft::model::ops::Op;
    for op in &lab.steps[1].ops {
        let keep = matches!(
            op,
            Op::AddSubnet { .. }
                | Op::AddFirewallRuleGroup { .. }
                | Op::AddFirewallPolicy { .. }
                | Op::AddRouteTable { .. }
                | Op::AddRoute { .. }
        );
        if keep {
            d.apply(op).expect("setup op");
        }
    }
    let tgw_rt = d.route_tables.iter().find(|t| t.name == "egress-tgw-rt").expect("table").id.clone();
    let del = Op::DeleteRoute {
        table: vpcraft::model::ops::Ref::id(&tgw_rt),
        destination: vpcraft::model::RouteDestination::Cidr("0.0.0.0/0".parse().unwrap()),
    };
    d.apply(&del).expect("delete route");
    let file = dir.path().join("hub.ron");
    vpcraft::io::native::save_file(&d, &file).expect("save");

    let t = start("firewall", &format!("'{}'", file.display()), dir.path());
    t.wait_for("egress");

    // The firewall, from the add menu on the egress VPC.
    t.keys(&["1", "/"]);
    t.text("egress-firewall");
    t.keys(&["Enter", "a"]);
    t.wait_for("Add to egress");
    t.text("network firewall");
    t.keys(&["Enter"]);
    t.wait_for("New network firewall");
    t.text("egress-fw");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.text("egress-firewall");
    t.keys(&["Space", "Enter"]);
    t.wait_for("add network firewall egress-fw: done");

    // The route, from the tree's route form on the attachment subnet's table.
    t.keys(&["1", "/", "C-u"]);
    t.text("egress-tgw-rt");
    // The filter keeps the subnet (its table is egress-tgw-rt) and the table, two rows apart.
    t.keys(&["Enter"]);
    t.wait_for("subnet egress-tgw (");
    t.keys(&["Down", "Down", "a"]);
    t.wait_for("route in egress-tgw-rt");
    t.keys(&["Enter"]);
    t.wait_for("Destination");
    t.keys(&["C-u"]);
    t.text("0.0.0.0/0");
    t.keys(&["Tab"]);
    t.text("egress-fw");
    t.wait_for("firewall egress-fw endpoint ap-northeast-2a");
    t.keys(&["Enter"]);
    t.wait_for("done");

    // SSH from spoke B to the internet: dropped at the firewall by the rule group.
    t.keys(&["t"]);
    t.wait_for("Trace a packet");
    t.keys(&["BTab", "C-u"]);
    t.text("app-b");
    t.keys(&["Enter", "C-u"]);
    t.text("8.8.8.8");
    t.keys(&["Enter", "Tab", "C-u"]);
    t.text("22");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Verdict: dropped");
    t.wait_for("no-ssh-out✖");
    assert!(screen.contains("Network Firewall") || t.capture().contains("Network Firewall"), "{screen}");

    t.keys(&["C-s"]);
    t.wait_for("saved");
    let saved = vpcraft::io::native::load_file(&file).expect("the saved design loads");
    let fw = saved.network_firewalls.iter().find(|f| f.name == "egress-fw").expect("the firewall was saved");
    let rt = saved.route_tables.iter().find(|r| r.name == "egress-tgw-rt").expect("table");
    assert!(rt.routes.iter().any(|r| r.target.id() == Some(fw.endpoints[0].id.as_str())), "{:?}", rt.routes);
    t.keys(&["q"]);
    t.wait_for("VPCRAFT-EXITED-0");
}
