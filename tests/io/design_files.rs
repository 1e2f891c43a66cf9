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

#[test]
fn a_version_1_file_is_migrated_to_the_current_format() {
    use vpcraft::model::{Ipv6CidrBlock, Ipv6Pool, FORMAT_VERSION};
    let d = native::load_file(&dir("valid").join("v1-with-ipv6-block.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.format_version, FORMAT_VERSION);
    let block = Ipv6CidrBlock::amazon("2600:1f18:4ab:2300::/56".parse().unwrap());
    assert_eq!(d.vpcs[0].ipv6_cidr_blocks, vec![block]);
    assert_eq!(d.vpcs[0].ipv6_cidr_blocks[0].pool, Ipv6Pool::Amazon);
    assert!(d.vpcs[1].ipv6_cidr_blocks.is_empty());
    assert_eq!(d.subnets[0].ipv6_cidr, Some("2600:1f18:4ab:2300::/64".parse().unwrap()));
    // Saved again, it is a version-2 file that says the same thing.
    let text = native::to_string(&d).unwrap();
    assert!(text.contains(&format!("format_version: {FORMAT_VERSION}")), "{text}");
    assert!(
        text.contains("ipv6_cidr_blocks: [\n") && !text.contains("ipv6_cidr: Some(\"2600:1f18:4ab:2300::/56"),
        "{text}"
    );
    assert_eq!(native::load_str(&text, std::path::Path::new("again.ron")).unwrap(), d);
}

/// Every design file the project ships (examples, golden inputs, fixtures) reads as a migration
/// tree, so the migration steps see all of it, and loads.
#[test]
fn every_shipped_design_file_reads_as_a_migration_tree_and_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for folder in ["assets/examples", "tests/golden/designs", "tests/fixtures/designs/valid"] {
        for entry in fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "ron") {
                continue;
            }
            // Read the way every design file is (a byte order mark and CR line ends go there).
            let text = vpcraft::io::input::read_text(&path, native::MAX_FILE_BYTES).unwrap();
            vpcraft::io::migrate::tree::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            native::load_str(&text, &path).unwrap_or_else(|e| panic!("{e}"));
            n += 1;
        }
    }
    assert!(n > 50, "{n}");
}
