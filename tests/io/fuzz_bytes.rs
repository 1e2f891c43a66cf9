//! Issue 17: byte-level mutation fuzzing of the whole read path, one target per input format
//! (RON, CloudFormation, snapshot JSON, `terraform show -json`, a Terraform folder's `main.tf`):
//! truncations, flips, splices and repeats of real seeds go through the same function the CLI
//! and the app use (`io::detect::load_bytes`: decode, detect, load or import; for a folder,
//! `io::terraform::import_dir`) and then `check`. Nothing may panic, and what is accepted stays in
//! proportion to what was read (no input makes a design hundreds of times its size). The size
//! limit on what is read is its own property. Bounded by case count (a few seconds in a debug
//! build).

use proptest::prelude::*;
use std::path::Path;
use vpcraft::io::detect::load_bytes;
use vpcraft::io::input::read_bounded;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).expect("fixture")
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Repeat(usize, usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            prop::collection::vec(
                prop::sample::select(b"[]{}():,-!&*'\"\n #|>$.0123456789aZ\\\r\t\0\xff".to_vec()),
                1..8
            )
        )
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<usize>(), 1usize..128).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..512, 1u8..8).prop_map(|(i, n, k)| Mutation::Repeat(i, n, k)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len().max(1);
    match *m {
        Mutation::Truncate(i) => bytes.truncate(i % len),
        Mutation::Flip(i, b) => {
            if !bytes.is_empty() {
                bytes[i % len] ^= b;
            }
        }
        Mutation::Insert(i, ref v) => {
            let at = i % (bytes.len() + 1);
            bytes.splice(at..at, v.iter().copied());
        }
        Mutation::Delete(i, n) => {
            let at = i % len;
            let end = (at + n).min(bytes.len());
            if at < end {
                bytes.drain(at..end);
            }
        }
        Mutation::Repeat(i, n, k) => {
            let at = i % len;
            let end = (at + n).min(bytes.len());
            if at < end {
                let chunk: Vec<u8> = bytes[at..end].repeat(usize::from(k));
                bytes.splice(end..end, chunk);
            }
        }
    }
}

fn mutated(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in mutations {
        apply(&mut bytes, m);
    }
    bytes
}

/// Check what was accepted from `size` bytes: it must stay in proportion.
fn in_proportion(design: &vpcraft::model::Design, size: usize) -> Result<(), TestCaseError> {
    let findings = vpcraft::sim::checks::check_design(design);
    let text = vpcraft::io::native::to_string(design).map_err(TestCaseError::fail)?;
    prop_assert!(
        text.len() <= 200 * size + (1 << 20),
        "{size} bytes read became a {} byte design with {} findings",
        text.len(),
        findings.len()
    );
    Ok(())
}

/// Read, load and check mutated bytes; whatever is accepted must stay in proportion.
fn run(seed: &[u8], name: &str, mutations: &[Mutation]) -> Result<(), TestCaseError> {
    let bytes = mutated(seed, mutations);
    let size = bytes.len();
    if let Ok(l) = load_bytes(bytes, Path::new(name), &Default::default()) {
        in_proportion(&l.design, size)?;
    }
    Ok(())
}

/// A Terraform configuration folder whose `main.tf` is the mutated seed, read the way
/// `vpcraft check DIR` reads it (with its `terraform.tfvars`).
fn run_terraform_dir(mutations: &[Mutation]) -> Result<(), TestCaseError> {
    let bytes = mutated(&fixture("terraform/app/main.tf"), mutations);
    let size = bytes.len();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), &bytes).unwrap();
    std::fs::write(dir.path().join("terraform.tfvars"), fixture("terraform/app/terraform.tfvars")).unwrap();
    let opts = vpcraft::io::terraform::TerraformOptions::default();
    if let Ok((design, _)) = vpcraft::io::terraform::import_dir(dir.path(), &opts) {
        in_proportion(&design, size)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_designs_never_panic(mutations in prop::collection::vec(mutation(), 1..5)) {
        run(&fixture("reliability/base.ron"), "m.ron", &mutations)?;
    }

    #[test]
    fn mutated_templates_never_panic(pick in 0usize..4, mutations in prop::collection::vec(mutation(), 1..5)) {
        let seeds = ["reliability/small-template.yaml", "reliability/bad-sg-ports.yaml", "reliability/bad-nacl.yaml", "reliability/bad-protocols.yaml"];
        run(&fixture(seeds[pick]), "m.yaml", &mutations)?;
    }

    #[test]
    fn mutated_snapshots_never_panic(mutations in prop::collection::vec(mutation(), 1..5)) {
        run(&fixture("reliability/snapshot-bad-ports.json"), "m.json", &mutations)?;
    }

    #[test]
    fn mutated_terraform_configurations_never_panic(mutations in prop::collection::vec(mutation(), 1..5)) {
        run_terraform_dir(&mutations)?;
    }

    #[test]
    fn mutated_terraform_show_json_never_panics(pick in 0usize..2, mutations in prop::collection::vec(mutation(), 1..5)) {
        let seeds = ["terraform/show/plan.json", "terraform/show/state.json"];
        run(&fixture(seeds[pick]), "m.json", &mutations)?;
    }

    /// The limit counts the bytes read, whatever the source says its size is: a file of n
    /// bytes is read under a limit of at least n and refused under a smaller one.
    #[test]
    fn the_size_limit_counts_the_bytes_read(n in 0usize..300_000, limit in 0u64..300_000) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, "x".repeat(n)).unwrap();
        match read_bounded(&p, limit) {
            Ok(b) => prop_assert!(b.len() == n && n as u64 <= limit),
            Err(e) => prop_assert!(n as u64 > limit && e.message.contains("byte limit"), "{e}"),
        }
    }
}
