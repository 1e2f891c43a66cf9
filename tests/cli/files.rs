//! Issue 17 through the binary: what it reads (bounded, once, from pipes, FIFOs, devices and
//! standard input) and how it writes (never over its input, atomically with a backup of the
//! same format, through links, keeping the mode, refusing read-only files, devices written
//! directly).

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A hang guard (not a performance target): every run here ends in well under a second.
const DEADLINE: Duration = Duration::from_secs(60);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

/// Run the binary (through `sh -c` when `shell` is set, with `$VPCRAFT` naming it), feeding
/// `stdin`; fail, after killing it, if it runs past the deadline.
fn run_with(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)], shell: Option<&str>) -> Run {
    let bin = env!("CARGO_BIN_EXE_vpcraft");
    let mut cmd = match shell {
        Some(script) => {
            let mut c = Command::new("bash");
            c.arg("-c").arg(script).env("VPCRAFT", bin);
            c
        }
        None => {
            let mut c = Command::new(bin);
            c.args(args);
            c
        }
    };
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    if let Some(bytes) = stdin {
        let mut w = child.stdin.take().expect("stdin");
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = w.write_all(&bytes);
        });
    }
    let out = child.stdout.take().expect("stdout");
    let err = child.stderr.take().expect("stderr");
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = r.read_to_end(&mut s);
            String::from_utf8_lossy(&s).to_string()
        })
    };
    let (out, err) = (read(Box::new(out)), read(Box::new(err)));
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("vpcraft {args:?} {shell:?} did not end within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run { code: status.code().unwrap_or(-1), out: out.join().unwrap(), err: err.join().unwrap() }
}

fn run(args: &[&str]) -> Run {
    run_with(args, None, &[], None)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn valid_design(dir: &Path) -> PathBuf {
    let p = dir.join("d.ron");
    std::fs::copy(fixture("designs/valid/minimal.ron"), &p).expect("copy");
    p
}

// ---------------------------------------------------------------------------------------------
// H1: size limits count the bytes actually read.

#[test]
fn endless_devices_are_refused_not_read_forever() {
    for dev in ["/dev/zero", "/dev/urandom"] {
        let r = run(&["check", dev]);
        assert_eq!(r.code, 2, "{dev}: {}", r.err);
        assert!(r.err.contains("not a text file") || r.err.contains("not valid UTF-8"), "{dev}: {}", r.err);
    }
    let r = run_with(&["check", "example:custom-vpc"], None, &[("VPCRAFT_IP_RANGES", "/dev/zero")], None);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("/dev/zero"), "{}", r.err);
    // Terraform's file() reads through the same limit.
    let dir = tempfile::tempdir().unwrap();
    let tf = "locals {\n  x = file(\"/dev/zero\")\n}\nresource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags = { Name = local.x }\n}\n";
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let r = run(&["check", s(dir.path()), "--region", "us-east-1"]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("main.tf:2:7") && r.err.contains("byte limit"), "{}", r.err);
}

// H3: pipes, FIFOs and `-`.

#[test]
fn a_design_from_a_pipe_a_fifo_or_standard_input_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = valid_design(dir.path());
    let bytes = std::fs::read(&d).unwrap();
    for arg in ["-", "/dev/stdin"] {
        let r = run_with(&["check", arg], Some(&bytes), &[], None);
        assert_eq!(r.code, 0, "check {arg}: {}", r.err);
        assert!(r.out.contains("minimal: 0 errors"), "{}", r.out);
    }
    let r = run_with(&[], None, &[], Some(&format!("\"$VPCRAFT\" check <(cat '{}')", s(&d))));
    assert_eq!(r.code, 0, "process substitution: {}", r.err);

    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let writer = {
        let (fifo, bytes) = (fifo.clone(), bytes.clone());
        std::thread::spawn(move || std::fs::write(fifo, bytes))
    };
    let r = run(&["check", s(&fifo)]);
    writer.join().unwrap().expect("the writer finished");
    assert_eq!(r.code, 0, "FIFO: {}", r.err);

    // Imports from standard input too.
    let t = std::fs::read(fixture("reliability/small-template.yaml")).unwrap();
    let out = dir.path().join("from-stdin.ron");
    let r = run_with(&["import", "-", "-o", s(&out)], Some(&t), &[], None);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(vpcraft::io::native::load_file(&out).unwrap().vpcs.len(), 1);
}

// U1: the format is told from the whole input.

#[test]
fn a_template_whose_resources_come_after_64_kb_is_a_template() {
    let dir = tempfile::tempdir().unwrap();
    // No AWSTemplateFormatVersion: only `Resources` says this is a template.
    let mut text = String::from("Parameters:\n");
    for i in 0..2000 {
        text.push_str(&format!("  Param{i}:\n    Type: String\n    Default: value-{i}\n"));
    }
    assert!(text.len() > 64 * 1024);
    let small = std::fs::read_to_string(fixture("reliability/small-template.yaml")).unwrap();
    let resources = &small[small.find("Resources:").unwrap()..];
    text.push_str(resources);
    let p = dir.path().join("late.yaml");
    std::fs::write(&p, &text).unwrap();
    let r = run(&["check", s(&p)]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.out.contains("late: 0 errors"), "{}", r.out);
}

// U4: non-UTF-8 templates say line and column.

#[test]
fn a_non_utf8_template_error_has_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.yaml");
    std::fs::write(&p, b"Resources:\n  Vpc:\n    Type: AWS::EC2::VPC # caf\xe9\n").unwrap();
    let r = run(&["check", s(&p)]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("latin1.yaml:3:30: the file is not valid UTF-8"), "{}", r.err);
}

// ---------------------------------------------------------------------------------------------
// D1: never over an input; backups keep their format.

#[test]
fn import_and_export_refuse_to_write_over_their_input() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.yaml");
    std::fs::copy(fixture("reliability/small-template.yaml"), &w).unwrap();
    let original = std::fs::read(&w).unwrap();
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink(&w, &link).unwrap();
    for out in [&w, &link] {
        for _ in 0..2 {
            let r = run(&["import", s(&w), "-o", s(out)]);
            assert_eq!(r.code, 2, "import over its input via {}: {}", out.display(), r.err);
            assert!(r.err.contains("input"), "{}", r.err);
        }
    }
    assert_eq!(std::fs::read(&w).unwrap(), original, "the template is untouched");
    assert!(!dir.path().join("w.yaml.bak").exists());

    let d = valid_design(dir.path());
    let before = std::fs::read(&d).unwrap();
    let r = run(&["export", s(&d), "--to", "cloudformation", "-o", s(&d)]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert_eq!(std::fs::read(&d).unwrap(), before);
    // Standard input redirected from the output file is the same file too.
    let r = run_with(&[], None, &[], Some(&format!("\"$VPCRAFT\" import - -o '{0}' < '{0}'", s(&w))));
    assert_eq!(r.code, 2, "{}", r.err);
    assert_eq!(std::fs::read(&w).unwrap(), original);
}

#[test]
fn a_backup_never_replaces_a_backup_of_another_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("w.yaml");
    let template = std::fs::read(fixture("reliability/small-template.yaml")).unwrap();
    // The template was saved as w.yaml.bak once; w.yaml is now a design.
    std::fs::write(dir.path().join("w.yaml.bak"), &template).unwrap();
    std::fs::copy(fixture("designs/valid/one-vpc.ron"), &out).unwrap();
    let r = run(&["gen", "--vpcs", "1", "-o", s(&out)]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(std::fs::read(dir.path().join("w.yaml.bak")).unwrap(), template, "the template backup is kept");
    let design_bak = dir.path().join("w.yaml.ron.bak");
    assert_eq!(
        std::fs::read(&design_bak).unwrap(),
        std::fs::read(fixture("designs/valid/one-vpc.ron")).unwrap(),
        "the design's own backup went beside it"
    );
}

// D3: a failed save leaves the file and its backup as they were.

fn temps_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn a_save_that_runs_out_of_space_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d.ron");
    let bak = dir.path().join("d.ron.bak");
    // A large design and an older backup.
    let r = run(&["gen", "--vpcs", "40", "-o", s(&d)]);
    assert_eq!(r.code, 0, "{}", r.err);
    std::fs::copy(fixture("designs/valid/one-vpc.ron"), &bak).unwrap();
    let (old, old_bak) = (std::fs::read(&d).unwrap(), std::fs::read(&bak).unwrap());
    assert!(old.len() > 64 * 1024);

    // Writes past 32 KB fail (EFBIG, as a full disk would fail them): a new design too large
    // to write, then a small one while the old file is too large to copy.
    for vpcs in ["30", "1"] {
        let script = format!("trap '' XFSZ; ulimit -f 32; exec \"$VPCRAFT\" gen --vpcs {vpcs} -o '{}'", s(&d));
        let r = run_with(&[], None, &[], Some(&script));
        let (now, now_bak) = (std::fs::read(&d).unwrap(), std::fs::read(&bak).unwrap());
        if r.code == 0 {
            // It may succeed without copying (a hard link keeps the old file as the backup).
            assert_eq!(now_bak, old, "the backup is the whole previous file");
            return;
        }
        assert_eq!(r.code, 2, "{}", r.err);
        assert!(now == old, "the design is untouched after: {}", r.err);
        assert!(now_bak == old_bak, "the backup is untouched after: {}", r.err);
        assert!(temps_in(dir.path()).is_empty(), "no temporary left: {:?}", temps_in(dir.path()));
    }
}

// D4: through a symlink, the target is written and the link stays.

#[test]
fn saving_through_a_symlink_writes_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("real");
    std::fs::create_dir(&real_dir).unwrap();
    let target = valid_design(&real_dir);
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink("real/d.ron", &link).unwrap();
    let r = run(&["gen", "--vpcs", "2", "-o", s(&link)]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert_eq!(vpcraft::io::native::load_file(&target).unwrap().vpcs.len(), 2, "the target has the new design");
    assert!(real_dir.join("d.ron.bak").exists(), "the backup is beside the target");
}

// D6: the mode is kept; a read-only file is not written over.

#[test]
fn the_file_mode_is_kept_and_read_only_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = valid_design(dir.path());
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = run(&["gen", "--vpcs", "1", "-o", s(&d)]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(std::fs::metadata(&d).unwrap().permissions().mode() & 0o7777, 0o640);

    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&d).unwrap();
    let r = run(&["gen", "--vpcs", "2", "-o", s(&d)]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("read-only"), "{}", r.err);
    assert_eq!(std::fs::read(&d).unwrap(), before);
}

// U6: devices and pipes are written directly, and their errors reported.

#[test]
fn devices_are_written_directly_and_their_errors_reported() {
    let r = run(&["export", "example:custom-vpc", "--to", "cloudformation", "-o", "/dev/full"]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("cannot write /dev/full: No space left on device"), "{}", r.err);
    assert!(!r.err.contains("backup"), "{}", r.err);
    let litter: Vec<_> = std::fs::read_dir("/dev")
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".full."))
        .collect();
    assert!(litter.is_empty(), "no temporary in /dev: {litter:?}");
    let r = run(&["export", "example:custom-vpc", "--to", "terraform", "-o", "/dev/stdout"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("resource \"aws_vpc\""), "{}", r.out);
}
