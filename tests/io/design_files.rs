//! Fixture folders of valid and invalid design files. Each invalid file has a `.expected`
//! file holding the start of the error it must produce (path shown relative to the folder).

use std::fs;
use std::path::Path;
use vpcraft::io::native;

fn dir(kind: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/designs").join(kind)
}

#[test]
fn every_valid_fixture_loads_and_round_trips() {
    let mut n = 0;
    for entry in fs::read_dir(dir("valid")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let d = native::load_file(&path).unwrap_or_else(|e| panic!("{e}"));
        let text = native::to_string(&d).unwrap();
        let back = native::load_str(&text, &path).unwrap();
        assert_eq!(d, back, "{}", path.display());
        n += 1;
    }
    assert!(n >= 3);
}

#[test]
fn every_invalid_fixture_fails_with_its_expected_error() {
    let mut n = 0;
    for entry in fs::read_dir(dir("invalid")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let expected_path = path.with_extension("expected");
        let expected =
            fs::read_to_string(&expected_path).unwrap_or_else(|_| panic!("missing {}", expected_path.display()));
        let err = native::load_file(&path).expect_err(&format!("{} should not load", path.display()));
        let shown = err.to_string().replace(&format!("{}/", dir("invalid").display()), "");
        assert!(
            shown.starts_with(expected.trim()),
            "{}\n  got:      {shown}\n  expected: {}",
            path.display(),
            expected.trim()
        );
        assert!(err.line.is_some() || shown.contains("newer"), "{shown} has no line");
        n += 1;
    }
    assert!(n >= 8);
}
