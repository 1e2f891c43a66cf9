//! Hostile input: every case must fail (or succeed) quickly with a clear error,
//! never hang, panic, overflow the stack or exhaust memory.

use std::time::{Duration, Instant};

use vpcraft::io::cfn::{
    evaluate, load_template_file, load_template_file_with_limit, CfnError, ErrorKind, EvalOptions, Limits,
};

/// A hang guard, not a performance target (those live in benches/): the step, size and depth
/// budgets must end every case long before this, even in a debug build on a loaded machine.
const QUICK: Duration = Duration::from_secs(120);

fn run(text: &str, file: &str) -> Result<vpcraft::io::cfn::Template, CfnError> {
    let start = Instant::now();
    let r = evaluate(text, file, &EvalOptions::new("us-east-1"));
    let took = start.elapsed();
    assert!(took < QUICK, "{file} took {took:?}");
    r
}

fn fails(text: &str, file: &str, kind: ErrorKind) -> CfnError {
    let e = run(text, file).err().unwrap_or_else(|| panic!("{file}: expected an error"));
    assert_eq!(e.kind, kind, "{e}");
    e
}

#[test]
fn yaml_alias_bomb() {
    let mut t = String::from("Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (i, c) in ('b'..='j').enumerate() {
        let p = (b'a' + i as u8) as char;
        t.push_str(&format!("      {c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"));
    }
    let e = fails(&t, "bomb.yaml", ErrorKind::Limit);
    assert!(e.message.contains("alias"), "{e}");
    assert!(e.line > 5, "{e}");
}

#[test]
fn deep_nesting_yaml_flow() {
    let t = format!("Resources: {}", "[".repeat(100_000));
    fails(&t, "deep.yaml", ErrorKind::Limit);
    let t = format!("Resources: {}", "{a: ".repeat(100_000));
    fails(&t, "deep.yaml", ErrorKind::Limit);
}

#[test]
fn deep_nesting_yaml_block() {
    let t = format!(
        "Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      P:\n        {}x\n",
        "- ".repeat(100_000)
    );
    let e = fails(&t, "deep.yaml", ErrorKind::Limit);
    assert!(e.message.contains("nested deeper than 128"), "{e}");
    let mut t = String::new();
    for i in 0..3000 {
        t.push_str(&" ".repeat(i));
        t.push_str("k:\n");
    }
    fails(&t, "deep.yaml", ErrorKind::Limit);
}

#[test]
fn deep_nesting_json() {
    let t = format!("{{\"Resources\": {}", "[".repeat(100_000));
    let e = fails(&t, "deep.json", ErrorKind::Limit);
    assert_eq!((e.line, e.column), (1, 142));
    let t = format!("{{\"Resources\": {}", "{\"a\": ".repeat(100_000));
    fails(&t, "deep.json", ErrorKind::Limit);
}

#[test]
fn deepest_accepted_nesting_evaluates_without_stack_overflow() {
    // Nested intrinsics right at the parser's depth limit, evaluated on a test
    // thread (2 MiB stack in debug builds).
    // One nesting level per intrinsic: 2 evaluation levels each, so 120 levels is
    // near both the parser limit (128) and the evaluation limit (256).
    let mut v = String::from("\"x\"");
    for _ in 0..120 {
        v = format!("{{\"Fn::Base64\": {v}}}");
    }
    let t = format!("{{\"Resources\": {{\"R\": {{\"Type\": \"AWS::X::Y\", \"Properties\": {{\"P\": {v}}}}}}}}}");
    let t = run(&t, "deep.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.resources[0].properties["P"], "x");
}

#[test]
fn long_condition_chain_hits_depth_limit_not_the_stack() {
    let mut t = String::from("Conditions:\n  C0: !Equals [a, a]\n");
    for i in 1..20_000 {
        t.push_str(&format!("  C{i}: !Not [!Condition C{}]\n", i - 1));
    }
    let mut t2 = t.clone();
    t.push_str("Resources:\n  R:\n    Type: AWS::X::Y\n    Condition: C19999\n");
    // Evaluated in template order, each condition finds its predecessor done.
    assert!(run(&t, "chain.yaml").is_ok());
    // Reversed order forces deep recursion on the first condition.
    t2 = t2.replace("C0: !Equals [a, a]", "C0: !Condition C19999x");
    t2.push_str("  C19999x: !Not [!Condition C19998]\nResources:\n  R:\n    Type: AWS::X::Y\n");
    let e = fails(&t2, "chain.yaml", ErrorKind::Limit);
    assert!(e.message.contains("evaluation nested deeper"), "{e}");
}

#[test]
fn long_getatt_chain_hits_depth_limit_not_the_stack() {
    let mut t = String::from(
        "Resources:\n  V0:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !GetAtt V1.CidrBlock\n",
    );
    for i in 1..5000 {
        t.push_str(&format!(
            "  V{i}:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !GetAtt V{}.CidrBlock\n",
            i + 1
        ));
    }
    t.push_str("  V5000:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n");
    let e = fails(&t, "chain.yaml", ErrorKind::Limit);
    assert!(e.message.contains("evaluation nested deeper"), "{e}");
}

#[test]
fn ref_cycle_is_named() {
    let t = "Resources:\n  SgA:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SourceGroup: !Ref SgB\n  SgB:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SourceGroup: !GetAtt SgA.GroupId\n";
    let e = fails(t, "cycle.yaml", ErrorKind::Cycle);
    assert_eq!(
        e.to_string(),
        "cycle.yaml:2:3: circular dependency between resources: SgA -> SgB -> SgA (through Ref, Fn::GetAtt, Fn::Sub or DependsOn)"
    );
}

#[test]
fn depends_on_cycle_is_named() {
    let t = "Resources:\n  A:\n    Type: AWS::X::Y\n    DependsOn: [B]\n  B:\n    Type: AWS::X::Y\n    DependsOn: C\n  C:\n    Type: AWS::X::Y\n    DependsOn: [A]\n";
    let e = fails(t, "cycle.yaml", ErrorKind::Cycle);
    assert!(e.message.contains("A -> B -> C -> A"), "{e}");
    // A long acyclic chain is fine, a long cycle is found without recursion.
    let mut t = String::from("Resources:\n");
    for i in 0..20_000 {
        t.push_str(&format!("  R{i}:\n    Type: AWS::X::Y\n    DependsOn: R{}\n", (i + 1) % 20_000));
    }
    let e = fails(&t, "cycle.yaml", ErrorKind::Cycle);
    assert!(e.message.starts_with("circular dependency between resources: R0 -> R1 -> "), "{}", &e.message[..80]);
}

#[test]
fn oversized_input_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(17 * 1024 * 1024).unwrap(); // sparse: nothing is written
    let start = Instant::now();
    let e = load_template_file(&path).unwrap_err();
    assert!(start.elapsed() < QUICK);
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.to_string().contains("more than the 16777216 byte limit"), "{e}");

    let small = dir.path().join("small.yaml");
    std::fs::write(&small, "Resources: {}\n").unwrap();
    assert_eq!(load_template_file_with_limit(&small, 5).unwrap_err().kind, ErrorKind::Limit);
    assert!(load_template_file(&small).is_ok());
    assert_eq!(load_template_file(dir.path()).unwrap_err().kind, ErrorKind::Io);
    std::fs::write(&small, b"Resources: \xff\n").unwrap();
    assert!(load_template_file(&small).unwrap_err().message.contains("UTF-8"));

    let text = " ".repeat(16 * 1024 * 1024 + 1);
    fails(&text, "huge.yaml", ErrorKind::Limit);
}

#[test]
fn truncated_yaml() {
    let t = "Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      P: !Select [0, [a, 'b";
    let e = fails(t, "trunc.yaml", ErrorKind::Syntax);
    assert!(e.line >= 5, "{e}");
    let full = "Parameters:\n  P:\n    Type: String\n    Default: x\nResources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      A: !Sub '${P}'\n      B: [1, 2]\n";
    for cut in 0..full.len() {
        let _ = run(&full[..cut], "trunc.yaml");
    }
}

#[test]
fn evaluation_and_output_budgets() {
    // A 1 MiB default referenced many times would build hundreds of MiB.
    let big = "x".repeat(1024 * 1024);
    let mut t = format!("Parameters:\n  Big:\n    Type: String\n    Default: {big}\nResources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      L:\n");
    for _ in 0..200 {
        t.push_str("        - !Join [',', [!Ref Big, !Ref Big]]\n");
    }
    let e = fails(&t, "amplify.yaml", ErrorKind::Limit);
    assert!(e.message.contains("bytes"), "{e}");

    let mut opts = EvalOptions::new("us-east-1");
    opts.limits = Limits { max_steps: 50, ..Limits::default() };
    let t = "Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      L: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50]\n";
    let e = evaluate(t, "steps.yaml", &opts).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.message.contains("evaluation budget of 50 steps"), "{e}");
}

#[test]
fn many_aliases_within_node_budget_still_bounded() {
    // Wide rather than deep: 200k aliases of a 1-node anchor.
    let mut t = String::from("Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      a: &a x\n      l: [");
    for _ in 0..200_000 {
        t.push_str("*a,");
    }
    t.push_str("]\n");
    fails(&t, "wide.yaml", ErrorKind::Limit);
}

#[test]
fn repeated_lookups_in_a_huge_mapping_are_budgeted() {
    let n = 50_000;
    let mut t = String::from("Mappings:\n  M:\n");
    for i in 0..n {
        t.push_str(&format!("    k{i}: {{v: {i}}}\n"));
    }
    t.push_str("Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      L:\n");
    for _ in 0..n {
        t.push_str(&format!("        - !FindInMap [M, k{}, v]\n", n - 1));
    }
    let e = fails(&t, "lookups.yaml", ErrorKind::Limit);
    assert!(e.message.contains("evaluation budget"), "{e}");
}

#[test]
fn report_is_capped() {
    let mut t = String::from("Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      L:\n");
    for i in 0..30_000 {
        t.push_str(&format!("        - !ImportValue export-{i}\n"));
    }
    let t = run(&t, "imports.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert!(t.report.len() <= 10_001, "{}", t.report.len());
    assert!(t.report.last().unwrap().message.contains("report truncated"));
}
