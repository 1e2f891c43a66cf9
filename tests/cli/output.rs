//! Output that cannot be written never panics: a closed pipe ends quietly, a full device is a
//! clear error with exit status 2.

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vpcraft"))
        .args(["gen", "--vpcs", "300"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut buf = [0u8; 16];
    let mut out = child.stdout.take().expect("stdout");
    out.read_exact(&mut buf).expect("some output");
    drop(out);
    let mut err = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut err).expect("stderr");
    let status = child.wait().expect("wait");
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(status.code(), Some(101), "{err}");
}

#[test]
fn full_device_is_an_error_not_a_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        crate::common::skip_unless_ci("no /dev/full here");
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_vpcraft"))
        .args(["check", "example:custom-vpc"])
        .stdout(full)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot write the output"), "{err}");
}
