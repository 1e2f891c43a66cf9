//! Issue 17, U3: names from files and tags reach the terminal with their control characters
//! escaped, in every text output (`trace`, `plan`, `check`, errors).

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("run vpcraft");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// Escape sequences that retitle the terminal, clear it, and a C1 control sequence introducer.
const TITLE: &str = "\u{1b}]0;pwned\u{7}";
const CLEAR: &str = "\u{1b}[2J\u{1b}[H";
const CSI: &str = "\u{9b}31m";

#[test]
fn control_characters_in_names_are_escaped_in_every_text_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = vpcraft::assets::example("custom-vpc").unwrap();
    d.vpcs[0].name = format!("vpc{TITLE}");
    d.subnets[0].name = format!("subnet{CLEAR}\nVerdict: delivered");
    d.instances[0].name = format!("web{CSI}");
    let from = d.instances[0].id.clone();
    let p = dir.path().join("evil.ron");
    vpcraft::io::native::save_file(&d, &p).unwrap();
    // A second subnet with the same CIDR: an error finding that names both.
    let mut twin = d.subnets[0].clone();
    twin.id = "subnet-twin".into();
    d.subnets.push(twin);
    let overlap = dir.path().join("overlap.ron");
    vpcraft::io::native::save_file(&d, &overlap).unwrap();
    let p = p.to_str().unwrap();

    let outputs = [
        run(&["trace", p, "--from", &from, "--to", "internet", "--port", "443"]),
        run(&["plan", p]),
        run(&["check", overlap.to_str().unwrap()]),
        run(&["trace", p, "--from", &format!("nowhere{CLEAR}"), "--to", "internet", "--port", "443"]),
    ];
    for (i, (_, out, err)) in outputs.iter().enumerate() {
        for text in [out, err] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{7}'),
                "output {i}:\n{text}"
            );
        }
    }
    let all: String = outputs.iter().map(|(_, o, e)| format!("{o}{e}")).collect();
    assert!(all.contains("vpc\\x1b]0;pwned\\x07"), "{all}");
    assert!(all.contains("subnet\\x1b[2J\\x1b[H\\x0aVerdict: delivered"), "{all}");
    assert!(all.contains("web\\u{9b}31m"), "{all}");
    assert!(outputs[3].2.contains("nowhere\\x1b[2J"), "{}", outputs[3].2);
    // A newline in a name forges no line.
    assert_eq!(outputs[0].1.lines().filter(|l| l.starts_with("Verdict:")).count(), 1, "{}", outputs[0].1);
    assert!(!outputs[2].1.lines().any(|l| l.starts_with("Verdict:")), "{}", outputs[2].1);
}
