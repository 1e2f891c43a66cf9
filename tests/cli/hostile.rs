//! A newcomer's and a hostile user's pass over the binary (review branch): errors that name
//! their file once, with line and column; `-o` names that a format's readers would ignore;
//! one file of a Terraform folder; standard error closed under the process; names holding
//! bidirectional overrides in JSON and HCL output.

use std::path::Path;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let o = Command::new(env!("CARGO_BIN_EXE_vpcraft"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run vpcraft");
    Run {
        code: o.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&o.stdout).into(),
        err: String::from_utf8_lossy(&o.stderr).into(),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// `diff` said which side failed by putting the path before an error that already begins
/// with it: `vpcraft: /dev/null: /dev/null:1:1: expected opening `(` for struct `Design``.
#[test]
fn diff_names_a_bad_side_once_with_line_and_column_like_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.ron");
    std::fs::write(&empty, "").unwrap();
    for args in [
        vec!["diff", "/dev/null", "/dev/null"],
        vec!["diff", "example:custom-vpc", "/dev/null"],
        vec!["check", "/dev/null"],
        vec!["trace", "/dev/null", "--from", "a", "--to", "b"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.err);
        assert_eq!(r.err, "vpcraft: /dev/null:1:1: is empty: no design, template or snapshot in it\n", "{args:?}");
    }
    let e = empty.to_str().unwrap();
    let r = run(&["diff", e, "example:custom-vpc"]);
    assert_eq!(r.err.matches(e).count(), 1, "{}", r.err);
    assert!(r.err.starts_with(&format!("vpcraft: {e}:1:1: is empty")), "{}", r.err);
    // A side that is not empty but wrong: the parser's own place and words, named once.
    let bad = dir.path().join("bad.ron");
    let good = dir.path().join("good.ron");
    vpcraft::io::native::save_file(&vpcraft::assets::example("custom-vpc").unwrap(), &good).unwrap();
    let text = std::fs::read_to_string(&good).unwrap();
    let line = 1 + text[..text.find("10.39.0.0/16").unwrap()].matches('\n').count();
    std::fs::write(&bad, text.replacen("10.39.0.0/16", "10.39.0.0/33", 1)).unwrap();
    let b = bad.to_str().unwrap();
    let r = run(&["diff", good.to_str().unwrap(), b]);
    assert_eq!(r.code, 2);
    assert_eq!(r.err.matches(b).count(), 1, "{}", r.err);
    assert!(r.err.starts_with(&format!("vpcraft: {b}:{line}:")), "{}", r.err);
    assert!(r.err.contains("prefix length 33 is larger than 32"), "{}", r.err);
}

/// Standard input can be read once: `diff - -` read an empty second design.
#[test]
fn diff_refuses_standard_input_on_both_sides() {
    let r = run(&["diff", "-", "-"]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("both - (standard input)"), "{}", r.err);
}

/// `export --to terraform -o tf` wrote a file named `tf`, which Terraform ignores; every
/// format now takes only names its readers take, and says which.
#[test]
fn export_refuses_an_output_name_the_format_readers_would_ignore() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = run_in(d, &["export", "example:custom-vpc", "--to", "terraform", "-o", "tf"]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(
        r.err.contains("-o tf: Terraform reads only the files of a folder whose names end in .tf")
            && r.err.contains("Write -o tf.tf, or -o tf/main.tf"),
        "{}",
        r.err
    );
    let r = run_in(d, &["export", "example:custom-vpc", "--to", "terraform", "-o", "main.txt"]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("Write -o main.tf") && !r.err.contains("main.txt/main.tf"), "{}", r.err);
    for (to, name, wanted) in [("svg", "pic", "pic.svg"), ("drawio", "map", "map.drawio"), ("mermaid", "m", "m.mmd")] {
        let r = run_in(d, &["export", "example:custom-vpc", "--to", to, "-o", name]);
        assert_eq!(r.code, 2, "{to}: {}", r.err);
        assert!(r.err.contains(&format!("Write -o {wanted}")), "{to}: {}", r.err);
    }
    let r = run_in(d, &["export", "example:custom-vpc", "--to", "cloudformation", "-o", "cfn"]);
    assert!(r.code == 2 && r.err.contains(".json, .template, .yaml, .yml, .txt"), "{}", r.err);
    let left: Vec<_> = std::fs::read_dir(d).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "a refused export wrote {left:?}");
    // The names the readers take are written; any case of the ending.
    std::fs::create_dir(d.join("tf")).unwrap();
    for (to, name) in [
        ("terraform", "tf/main.tf"),
        ("terraform", "NET.TF"),
        ("cloudformation", "t.yaml"),
        ("svg", "p.svg"),
        ("drawio", "m.drawio"),
        ("mermaid", "m.md"),
    ] {
        let r = run_in(d, &["export", "example:custom-vpc", "--to", to, "-o", name]);
        assert_eq!(r.code, 0, "{to} {name}: {}", r.err);
        assert!(d.join(name).is_file(), "{name}");
    }
    // Terraform reads the folder it was written to.
    let r = run_in(d, &["check", "tf"]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
}

/// One `.tf` file given as a design was read as RON: `expected an `#![enable(...)]` attribute`.
#[test]
fn one_terraform_file_is_refused_naming_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("net")).unwrap();
    let r = run_in(d, &["export", "example:custom-vpc", "--to", "terraform", "-o", "net/main.tf"]);
    assert_eq!(r.code, 0, "{}", r.err);
    std::fs::write(d.join("net/extra.tf.json"), "{}").unwrap();
    for file in ["net/main.tf", "net/extra.tf.json"] {
        let r = run_in(d, &["check", file]);
        assert_eq!(r.code, 2, "{file}");
        assert_eq!(
            r.err,
            format!(
                "vpcraft: {file}: is one file of a Terraform configuration, which Terraform and vpcraft read as a whole folder: give the folder (net)\n"
            )
        );
    }
    let r = run_in(d, &["check", "net"]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
}

/// `vpcraft check bad 2>&1 | head -c 10` panicked (`eprintln!` on a closed pipe), exit 101.
#[test]
fn a_closed_standard_error_is_no_panic() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    for args in [
        vec!["check", "/dev/null"],
        vec!["diff", "-", "-"],
        vec!["export", "example:custom-vpc", "--to", "svg", "-o", "x"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_vpcraft"))
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(writer.try_clone().unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: the error could not be shown, the status still says so");
    }
}

/// Names are escaped for the terminal (issue 17, U3) — as `\u{202e}` even inside JSON, which
/// made `trace --format json` invalid JSON and the CloudFormation on standard output unreadable.
#[test]
fn bidirectional_overrides_in_names_keep_json_and_hcl_valid_on_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = vpcraft::assets::example("custom-vpc").unwrap();
    let evil = "web\u{202e}txt.exe\u{7f}\u{85}";
    d.name = evil.to_string();
    d.vpcs[0].name = evil.to_string();
    d.subnets[0].name = format!("sub{evil}");
    let p = dir.path().join("evil.ron");
    vpcraft::io::native::save_file(&d, &p).unwrap();
    let p = p.to_str().unwrap();
    let sub = d.subnets[0].id.clone();
    for args in [
        vec!["trace", p, "--from", sub.as_str(), "--to", "internet", "--port", "443", "--format", "json"],
        vec!["check", p, "--format", "json"],
        vec!["reach", p, "--format", "json", "--to", "internet"],
        vec!["export", p, "--to", "cloudformation"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.err);
        assert!(!r.out.contains('\u{202e}') && !r.out.contains('\u{85}') && !r.out.contains('\u{7f}'), "{args:?}");
        let v: serde_json::Value =
            serde_json::from_str(&r.out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{}", r.out));
        if args[0] != "reach" {
            // (the matrix names subnets by id)
            assert!(v.to_string().contains(evil), "{args:?}: the name is kept exactly");
        }
    }
    // The template on standard output means what the one written with -o holds.
    let file = dir.path().join("t.json");
    let r = run(&["export", p, "--to", "cloudformation", "-o", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.err);
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let shown: serde_json::Value = serde_json::from_str(&run(&["export", p, "--to", "cloudformation"]).out).unwrap();
    assert_eq!(written, shown);
    // HCL: `\uNNNN` inside a quoted string is the same character; `\u{…}` is no HCL escape.
    let r = run(&["export", p, "--to", "terraform"]);
    assert!(r.out.contains("web\\u202etxt.exe\\u007f\\u0085"), "{}", r.out);
    assert!(!r.out.contains("\\u{"), "{}", r.out);
    // Text for people keeps the visible escapes.
    let r = run(&["trace", p, "--from", sub.as_str(), "--to", "internet", "--port", "443"]);
    assert!(r.out.contains("sub") && r.out.contains("\\u{202e}") && !r.out.contains('\u{202e}'), "{}", r.out);
}

/// A JSON array (`[[[…]]]`, nested 100,000 deep) was read as RON: "expected opening `(` for
/// struct `Design`". The JSON reader says what it is, and where it gave up.
#[test]
fn a_json_array_is_reported_as_json_even_nested_deeply() {
    let dir = tempfile::tempdir().unwrap();
    let flat = dir.path().join("list.json");
    std::fs::write(&flat, "[{\"Vpcs\": []}]").unwrap();
    let r = run(&["check", flat.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("is JSON but neither `aws ec2 describe-*` output"), "{}", r.err);
    let deep = dir.path().join("deep.json");
    std::fs::write(&deep, format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))).unwrap();
    let r = run(&["check", deep.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("deep.json:1:") && r.err.contains("recursion limit"), "{}", r.err);
}

/// `vpcraft mynet` (no such file, no `.ron`): the error now says how a new design starts.
#[test]
fn opening_a_missing_name_without_ron_says_how_a_new_design_starts() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["mynet"]);
    assert_eq!(r.code, 2);
    assert!(r.err.starts_with("vpcraft: mynet: cannot read"), "{}", r.err);
    assert!(r.err.contains("(a new design starts from a name ending in .ron: vpcraft mynet.ron)"), "{}", r.err);
    assert!(!dir.path().join("mynet").exists() && !dir.path().join("mynet.ron").exists());
}

/// A design with a second hard link: the save renamed a new file over one name, so the other
/// name kept the old design and the `.bak` became a hard link to it (editing that name then
/// changed the "backup"). Now both names show the new design and the backup is a file of its own.
#[test]
fn saving_a_hard_linked_file_keeps_its_links_and_a_backup_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = run_in(d, &["import", "example:custom-vpc", "-o", "a.ron"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let old = std::fs::read(d.join("a.ron")).unwrap();
    std::fs::hard_link(d.join("a.ron"), d.join("b.ron")).unwrap();
    std::fs::set_permissions(d.join("a.ron"), std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();
    let r = run_in(d, &["import", "example:endpoint-lab", "-o", "a.ron"]);
    assert_eq!(r.code, 0, "{}", r.err);
    use std::os::unix::fs::MetadataExt;
    let (a, b, bak) = (
        std::fs::metadata(d.join("a.ron")).unwrap(),
        std::fs::metadata(d.join("b.ron")).unwrap(),
        std::fs::metadata(d.join("a.ron.bak")).unwrap(),
    );
    assert_eq!((a.ino(), a.nlink()), (b.ino(), 2), "still one file under two names");
    assert_eq!(std::fs::read(d.join("b.ron")).unwrap(), std::fs::read(d.join("a.ron")).unwrap());
    assert!(String::from_utf8(std::fs::read(d.join("b.ron")).unwrap()).unwrap().contains("jhVPC"));
    assert_ne!(bak.ino(), a.ino(), "the backup is a copy, not another name of the file");
    assert_eq!(std::fs::read(d.join("a.ron.bak")).unwrap(), old);
    assert_eq!(a.mode() & 0o777, 0o640);
    let litter: Vec<_> =
        std::fs::read_dir(d).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
    assert!(litter.is_empty(), "{litter:?}");
}
