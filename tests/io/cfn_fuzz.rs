//! Random bytes and random mutations (truncation, byte flips, splices) of the seed
//! templates never panic the template evaluator; they evaluate or fail with an error.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use vpcraft::io::cfn::{evaluate, EvalOptions};

/// Small built-in seeds, used in addition to the shared samples (and alone when
/// `../shared/data/cfn` is absent).
const BUILTIN: &[(&str, &str)] = &[
    (
        "builtin.yaml",
        "Parameters:\n  Cidr:\n    Type: String\n    Default: 10.0.0.0/16\nConditions:\n  Yes: !Equals [!Ref Cidr, 10.0.0.0/16]\nMappings:\n  M:\n    us-east-1:\n      K: [a, b]\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Ref Cidr\n  Sn:\n    Type: AWS::EC2::Subnet\n    Condition: Yes\n    DependsOn: Vpc\n    Properties:\n      VpcId: !Ref Vpc\n      AvailabilityZone: !Select [1, !GetAZs '']\n      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]\n      Tags:\n        - Key: Name\n          Value: !Sub '${AWS::StackName}-${Vpc}-${!x}'\n        - Key: K\n          Value: !Join [',', !FindInMap [M, !Ref AWS::Region, K]]\n      X: !If [Yes, !Split [',', 'a,b'], !Ref AWS::NoValue]\n      Y: &y !ImportValue other\n      Z: *y\nOutputs:\n  O:\n    Value: !GetAtt Sn.AvailabilityZone\n",
    ),
    (
        "builtin.json",
        "{\"Resources\": {\"A\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {\"CidrBlock\": {\"Fn::Select\": [0, {\"Fn::Cidr\": [\"10.0.0.0/8\", 2, 16]}]}, \"T\": {\"Fn::Sub\": [\"${x}\", {\"x\": {\"Ref\": \"AWS::Region\"}}]}}}}}",
    ),
];

fn seeds() -> &'static Vec<(String, String)> {
    static SEEDS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut out: Vec<(String, String)> = BUILTIN.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/cfn");
        match std::fs::read_dir(&dir) {
            Ok(entries) => {
                let mut names: Vec<_> = entries.flatten().map(|e| e.path()).collect();
                names.sort();
                for p in names {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    if name != "params.json" && (name.ends_with(".yaml") || name.ends_with(".json")) {
                        out.push((name, std::fs::read_to_string(&p).unwrap()));
                    }
                }
            }
            Err(_) => eprintln!("note: {} absent; fuzzing built-in seeds only", dir.display()),
        }
        out
    })
}

fn no_panic(text: &str, name: &str) {
    // Any result is fine; a panic fails the test.
    let _ = evaluate(text, name, &EvalOptions::new("us-east-1"));
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            prop::collection::vec(prop::sample::select(b"[]{}:,-!&*'\"\n #|>${}.0123456789abcRef".to_vec()), 1..8)
        )
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..256).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
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
        Mutation::Duplicate(i, n) => {
            let at = i % len;
            let end = (at + n).min(bytes.len());
            if at < end {
                let chunk: Vec<u8> = bytes[at..end].to_vec();
                bytes.splice(end..end, chunk);
            }
        }
    }
}

proptest! {
    // 256 cases by default; set PROPTEST_CASES for a longer run.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        no_panic(&text, "random.yaml");
        no_panic(&text, "random.json");
    }

    #[test]
    fn random_structural_text_never_panics(
        chars in prop::collection::vec(
            prop::sample::select(b"[]{}:,- !&*'\"\n\t#|>${}.0aZ".to_vec()), 0..512)
    ) {
        let text = String::from_utf8(chars).unwrap();
        no_panic(&text, "structural.yaml");
        no_panic(&format!("{{{text}"), "structural.json");
    }

    #[test]
    fn mutated_seeds_never_panic(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        let (name, text) = &seeds[seed.index(seeds.len())];
        let mut bytes = text.clone().into_bytes();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let text = String::from_utf8_lossy(&bytes);
        no_panic(&text, name);
    }
}

#[test]
fn builtin_seeds_evaluate() {
    for (name, text) in BUILTIN {
        let t = evaluate(text, name, &EvalOptions::new("us-east-1")).unwrap_or_else(|e| panic!("{e}"));
        assert!(!t.resources.is_empty());
    }
}

#[test]
fn every_truncation_of_the_builtin_seeds_is_handled() {
    for (name, text) in BUILTIN {
        for cut in (0..text.len()).filter(|c| text.is_char_boundary(*c)) {
            no_panic(&text[..cut], name);
        }
    }
}
