//! Unit tests for each intrinsic, parameters, conditions and error positions.

use serde_json::{json, Value};

use super::*;

fn opts() -> EvalOptions {
    EvalOptions::new("ap-northeast-2")
}

fn eval_with(text: &str, o: &EvalOptions) -> Template {
    evaluate(text, "t.yaml", o).unwrap_or_else(|e| panic!("{e}"))
}

fn eval(text: &str) -> Template {
    eval_with(text, &opts())
}

fn err(text: &str) -> CfnError {
    match evaluate(text, "t.yaml", &opts()) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e,
    }
}

/// A template with one resource `R` whose properties are `props` (YAML, indented by 6).
fn with_props(head: &str, props: &str) -> String {
    let mut t = String::from(head);
    t.push_str("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.1.0.0/16\n");
    t.push_str("  R:\n    Type: AWS::X::Y\n    Properties:\n");
    for line in props.lines() {
        t.push_str("      ");
        t.push_str(line);
        t.push('\n');
    }
    t
}

fn props_of(head: &str, props: &str) -> Value {
    eval(&with_props(head, props)).resource("R").unwrap().properties.clone()
}

fn p(props: &str) -> Value {
    props_of("", props)
}

/// Line of the first property line in [`with_props`] output with an empty head.
const FIRST: u32 = 9;

#[test]
fn ref_parameters_pseudo_and_resources() {
    let head = "Parameters:\n  Env:\n    Type: String\n    Default: dev\n";
    let v = props_of(
        head,
        "A: !Ref Env\nB: !Ref AWS::Region\nC: !Ref AWS::AccountId\nD: !Ref AWS::Partition\nE: !Ref AWS::URLSuffix\nF: !Ref Vpc\nG: {Ref: AWS::StackName}\nH: !Ref AWS::NoValue\nI: [a, !Ref AWS::NoValue, b]\nJ: !Ref AWS::StackId",
    );
    assert_eq!(v["A"], "dev");
    assert_eq!(v["B"], "ap-northeast-2");
    assert_eq!(v["C"], "123456789012");
    assert_eq!(v["D"], "aws");
    assert_eq!(v["E"], "amazonaws.com");
    assert_eq!(v["F"], json!({"$ref": "Vpc"}));
    assert_eq!(v["G"], DEFAULT_STACK_NAME);
    assert!(v.get("H").is_none(), "AWS::NoValue removes the property");
    assert_eq!(v["I"], json!(["a", "b"]));
    assert!(v["J"].as_str().unwrap().starts_with("arn:aws:cloudformation:ap-northeast-2:123456789012:stack/"));
    let mut o = opts();
    o.account_id = "999999999999".into();
    o.region = "cn-north-1".into();
    let t = eval_with(&with_props("", "C: !Ref AWS::AccountId\nD: !Ref AWS::Partition"), &o);
    assert_eq!(t.resource("R").unwrap().properties["C"], "999999999999");
    assert_eq!(t.resource("R").unwrap().properties["D"], "aws-cn");
    assert_eq!(t.resource("R").unwrap().references, Vec::<String>::new());
}

#[test]
fn ref_errors_have_positions() {
    let e = err(&with_props("", "A: 1\nB: !Ref Nope"));
    assert_eq!((e.line, e.column), (FIRST + 1, 10));
    assert_eq!(e.to_string(), format!("t.yaml:{}:10: Ref: no parameter or resource named `Nope`", FIRST + 1));
    let e = err(&with_props("", "B:\n  Ref: [x]"));
    assert_eq!((e.line, e.column), (FIRST + 1, 9));
    assert!(e.message.contains("Ref expects"), "{e}");
    let e = err(&with_props("", "B: !Ref AWS::Nothing"));
    assert!(e.message.contains("unknown pseudo parameter"), "{e}");
}

#[test]
fn getatt_forms_and_derived_values() {
    let v = p("A: !GetAtt Vpc.DefaultSecurityGroup\nB: {'Fn::GetAtt': [Vpc, CidrBlockAssociations]}\nC: !GetAtt Vpc.CidrBlock\nD: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]");
    assert_eq!(v["A"], json!({"$getatt": ["Vpc", "DefaultSecurityGroup"]}));
    assert_eq!(v["B"], json!({"$getatt": ["Vpc", "CidrBlockAssociations"]}));
    assert_eq!(v["C"], "10.1.0.0/16");
    assert_eq!(v["D"], "10.1.1.0/24");
    let e = err(&with_props("", "A: !GetAtt Nope.Arn"));
    assert_eq!((e.line, e.column), (FIRST, 10));
    assert!(e.message.contains("no resource named `Nope`"), "{e}");
    let e = err(&with_props("", "A: !GetAtt NoDot"));
    assert!(e.message.contains("Fn::GetAtt expects"), "{e}");
}

#[test]
fn sub_forms() {
    let head = "Parameters:\n  Env:\n    Type: String\n    Default: dev\n";
    let v = props_of(
        head,
        "A: !Sub '${Env}-${AWS::Region}-x'\nB: !Sub ['${Name}.${Env}', {Name: !Ref Env}]\nC: !Sub '${!Literal} and ${ Env }'\nD: !Sub 'arn:${AWS::Partition}:ec2:::${Vpc}/${Vpc.DefaultNetworkAcl}'\nE: !Sub 'cidr ${Vpc.CidrBlock}'\nF: !Sub 'open ${'\nG: {'Fn::Sub': 'plain'}",
    );
    assert_eq!(v["A"], "dev-ap-northeast-2-x");
    assert_eq!(v["B"], "dev.dev");
    assert_eq!(v["C"], "${Literal} and dev");
    assert_eq!(v["D"], "arn:aws:ec2:::{{$ref:Vpc}}/{{$getatt:Vpc.DefaultNetworkAcl}}");
    assert_eq!(v["E"], "cidr 10.1.0.0/16");
    assert_eq!(v["F"], "open ${");
    assert_eq!(v["G"], "plain");
    let e = err(&with_props("", "A: 1\nB: !Sub 'x-${Missing}'"));
    assert_eq!((e.line, e.column), (FIRST + 1, 10));
    assert!(e.message.contains("Fn::Sub: no parameter or resource named `Missing`"), "{e}");
    let e = err(&with_props("", "B: !Sub ['${L}', {L: [a, b]}]"));
    assert!(e.message.contains("not text"), "{e}");
    let e = err(&with_props("", "B: !Sub [1, 2, 3]"));
    assert!(e.message.contains("Fn::Sub expects"), "{e}");
}

#[test]
fn join_select_split() {
    let v = p("A: !Join ['-', [a, b, 3]]\nB: !Join ['', [x, !Ref Vpc]]\nC: !Select [1, [a, b, c]]\nD: !Select ['0', !Split [',', 'p,q']]\nE: !Split [',', !Join [',', [!Ref Vpc, z]]]\nF: !Join [',', []]");
    assert_eq!(v["A"], "a-b-3");
    assert_eq!(v["B"], "x{{$ref:Vpc}}");
    assert_eq!(v["C"], "b");
    assert_eq!(v["D"], "p");
    assert_eq!(v["E"], json!([{"$ref": "Vpc"}, "z"]));
    assert_eq!(v["F"], "");
    let e = err(&with_props("", "A: 1\nB: !Select [5, [a, b]]"));
    assert_eq!((e.line, e.column), (FIRST + 1, 10));
    assert_eq!(
        e.to_string(),
        format!("t.yaml:{}:10: Fn::Select index 5 is out of range for a list of 2 items", FIRST + 1)
    );
    let e = err(&with_props("", "B:\n  Fn::Select: [0]"));
    assert_eq!((e.line, e.column), (FIRST + 1, 9));
    assert_eq!(e.message, "Fn::Select expects [index, list]");
    let e = err(&with_props("", "B: !Select [x, [a]]"));
    assert!(e.message.contains("non-negative integer"), "{e}");
    let e = err(&with_props("", "B: !Join [',', a]"));
    assert!(e.message.contains("Fn::Join expects"), "{e}");
    let e = err(&with_props("", "B: !Split ['', a]"));
    assert!(e.message.contains("delimiter"), "{e}");
}

#[test]
fn deferred_inputs_become_unresolved_markers() {
    let v = p("A: !Select [0, !Split [',', !ImportValue Shared-Subnets]]\nB: !Length [a, b, c]\nC: !Length {'Fn::GetAZs': ''}");
    assert_eq!(
        v["A"],
        json!({"$unresolved": {"Fn::Select": [0, {"$unresolved": {"Fn::Split": [",", {"$import": "Shared-Subnets"}]}}]}})
    );
    assert_eq!(v["B"], 3);
    assert_eq!(v["C"], 4);
}

#[test]
fn getazs_and_cidr() {
    let v = p("A: !GetAZs ''\nB: !GetAZs {Ref: AWS::Region}\nC: !GetAZs us-east-1\nD: !Cidr ['10.0.0.0/16', 3, 8]\nE: !Cidr ['10.0.0.0/16', '2', '12']");
    assert_eq!(v["A"], json!(["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"]));
    assert_eq!(v["B"], v["A"]);
    assert_eq!(v["C"].as_array().unwrap().len(), 6);
    assert_eq!(v["D"], json!(["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]));
    assert_eq!(v["E"], json!(["10.0.0.0/20", "10.0.16.0/20"]));
    let e = err(&with_props("", "A: !Cidr ['10.0.0.0/24', 3, 7]"));
    assert_eq!((e.line, e.column), (FIRST, 10));
    assert!(e.message.starts_with("Fn::Cidr: a /24 block holds only 2 subnets"), "{e}");
    let e = err(&with_props("", "A: !Cidr ['10.0.0.0/24', 3]"));
    assert_eq!(e.message, "Fn::Cidr expects [ipBlock, count, cidrBits]");
}

const COND_HEAD: &str = "Parameters:\n  Env:\n    Type: String\n    Default: prod\n  Count:\n    Type: Number\n    Default: 2\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n  IsDev: !Not [!Condition IsProd]\n  Two: !Equals [2, !Ref Count]\n  Both: !And [!Condition IsProd, !Condition Two]\n  Either: !Or [!Condition IsDev, {'Fn::Equals': [a, b]}]\n";

#[test]
fn conditions_and_if() {
    let t = eval(&with_props(
        COND_HEAD,
        "A: !If [IsProd, big, small]\nB: !If [IsDev, x, !Ref AWS::NoValue]\nC: !If [Both, yes, no]\nD: !If [Either, yes, no]\nE: [!If [IsDev, x, !Ref AWS::NoValue], y]",
    ));
    let v = &t.resource("R").unwrap().properties;
    assert_eq!(v["A"], "big");
    assert!(v.get("B").is_none());
    assert_eq!(v["C"], "yes");
    assert_eq!(v["D"], "no");
    assert_eq!(v["E"], json!(["y"]));
    let conds: Vec<&str> =
        t.report.iter().filter(|r| r.kind == ReportKind::Condition).map(|r| r.message.english.as_str()).collect();
    assert_eq!(
        conds,
        [
            "condition `IsProd` is true",
            "condition `IsDev` is false",
            "condition `Two` is true",
            "condition `Both` is true",
            "condition `Either` is false"
        ]
    );
    // Parameter overrides change conditions.
    let t = eval_with(&with_props(COND_HEAD, "A: !If [IsProd, big, small]"), &opts().with_param("Env", "dev"));
    assert_eq!(t.resource("R").unwrap().properties["A"], "small");
}

#[test]
fn skipped_resources_are_not_evaluated() {
    let text = format!(
        "{COND_HEAD}Resources:\n  A:\n    Type: AWS::X::Y\n    Condition: IsDev\n    Properties:\n      P: !Select [9, [a]]\n  B:\n    Type: AWS::X::Y\n    Properties:\n      Q: !If [IsDev, !Ref A, none]\nOutputs:\n  O:\n    Condition: IsDev\n    Value: !Ref A\n  P:\n    Value: !Ref B\n    Export:\n      Name: !Sub '${{AWS::StackName}}-B'\n"
    );
    let t = eval(&text);
    let a = t.resource("A").unwrap();
    assert!(a.condition_skipped);
    assert!(a.properties.is_null());
    assert_eq!(t.resource("B").unwrap().properties["Q"], "none");
    assert!(t.outputs[0].condition_skipped);
    assert_eq!(t.outputs[1].value, json!({"$ref": "B"}));
    assert_eq!(t.outputs[1].export_name, Some(json!("vpcraft-stack-B")));
    assert!(t.report.iter().any(|r| r.kind == ReportKind::Skipped && r.subject.as_deref() == Some("A")));
}

#[test]
fn condition_errors() {
    let e = err("Conditions:\n  A: !Condition B\n  B: !And [!Condition A, !Condition A]\nResources:\n  R:\n    Type: AWS::X::Y\n");
    assert_eq!(e.kind, ErrorKind::Cycle);
    assert_eq!(e.message, "circular condition: A -> B -> A");
    let e = err("Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      A: !If [Nope, 1, 2]\n");
    assert_eq!((e.line, e.column), (5, 15));
    assert!(e.message.contains("no condition named `Nope`"), "{e}");
    let e = err("Conditions:\n  C: !Equals [!Ref R, x]\nResources:\n  R:\n    Type: AWS::X::Y\n");
    assert!(e.message.contains("Conditions can only refer to parameters"), "{e}");
    assert_eq!((e.line, e.column), (2, 15));
    let e = err("Conditions:\n  C: [x]\nResources:\n  R:\n    Type: AWS::X::Y\n");
    assert!(e.message.starts_with("expected a condition function"), "{e}");
    let e = err("Resources:\n  R:\n    Type: AWS::X::Y\n    Condition: Missing\n");
    assert_eq!((e.line, e.column), (4, 16));
}

#[test]
fn findinmap() {
    let head =
        "Mappings:\n  Net:\n    ap-northeast-2:\n      Cidr: 10.9.0.0/16\n      Azs: [a, c]\n    '123':\n      N: 1\n";
    let v = props_of(
        head,
        "A: !FindInMap [Net, !Ref AWS::Region, Cidr]\nB: !FindInMap [Net, !Ref AWS::Region, Azs]\nC: !FindInMap [Net, 123, N]\nD: !FindInMap [Net, nowhere, Cidr, {DefaultValue: fallback}]",
    );
    assert_eq!(v["A"], "10.9.0.0/16");
    assert_eq!(v["B"], json!(["a", "c"]));
    assert_eq!(v["C"], 1);
    assert_eq!(v["D"], "fallback");
    let e = err(&with_props(head, "A: !FindInMap [Net, eu-west-1, Cidr]"));
    assert_eq!((e.line, e.column), (FIRST + 7, 10));
    assert_eq!(e.message, "Fn::FindInMap: mapping `Net` has no key `eu-west-1`");
    let e = err(&with_props(head, "A: !FindInMap [Nope, a, b]"));
    assert!(e.message.contains("no mapping named `Nope`"), "{e}");
    let e = err(&with_props(head, "A: !FindInMap [Net, a]"));
    assert!(e.message.starts_with("Fn::FindInMap expects"), "{e}");
}

#[test]
fn base64_importvalue_length_tojson_unsupported() {
    let t = eval(&with_props(
        "Transform: AWS::Serverless-2016-10-31\n",
        "A: !Base64 |\n  #!/bin/bash\n  rm -rf /\nB: !ImportValue NetStack-VpcId\nC: !Length [1, 2]\nD: !ToJsonString {k: [1, v]}\nE: !Transform {Name: AWS::Include}\nF: !Base64 {'Fn::Sub': 'echo ${AWS::Region}'}",
    ));
    let v = &t.resource("R").unwrap().properties;
    assert_eq!(v["A"], "#!/bin/bash\nrm -rf /\n");
    assert_eq!(v["B"], json!({"$import": "NetStack-VpcId"}));
    assert_eq!(v["C"], 2);
    assert_eq!(v["D"], r#"{"k":[1,"v"]}"#);
    assert_eq!(v["E"], json!({"$unsupported": {"Fn::Transform": {"Name": "AWS::Include"}}}));
    assert_eq!(v["F"], "echo ap-northeast-2");
    let kinds: Vec<ReportKind> = t.report.iter().map(|r| r.kind).collect();
    assert!(kinds.contains(&ReportKind::ImportValue));
    assert_eq!(kinds.iter().filter(|k| **k == ReportKind::Unsupported).count(), 2);
    let e = err(&with_props("", "A: !Base64 [a]"));
    assert!(e.message.starts_with("Fn::Base64 expects text"), "{e}");
}

#[test]
fn parameters() {
    let head = "Parameters:\n  Vpc:\n    Type: AWS::EC2::VPC::Id\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\n  Names:\n    Type: CommaDelimitedList\n    Default: 'a, b,c'\n  Port:\n    Type: Number\n    Default: 443\n  Size:\n    Type: String\n    Default: m\n    AllowedValues: [s, m]\n";
    let o = opts()
        .with_param("Vpc", "vpc-0a1b2c3d4e5f60718")
        .with_param("Subnets", "subnet-0aaa1111bbbb22223,subnet-0ccc3333dddd44445")
        .with_param("Size", "xl")
        .with_param("Unused", "1");
    let t = eval_with(
        &with_props(head, "A: !Ref Vpc\nB: !Ref Subnets\nC: !Ref Names\nD: !Ref Port\nE: !Select [1, !Ref Subnets]\nF: !Join ['|', !Ref Names]"),
        &o,
    );
    let v = &t.resource("R").unwrap().properties;
    assert_eq!(v["A"], "vpc-0a1b2c3d4e5f60718");
    assert_eq!(v["B"], json!(["subnet-0aaa1111bbbb22223", "subnet-0ccc3333dddd44445"]));
    assert_eq!(v["C"], json!(["a", "b", "c"]));
    assert_eq!(v["D"], "443");
    assert_eq!(v["E"], "subnet-0ccc3333dddd44445");
    assert_eq!(v["F"], "a|b|c");
    let ext: Vec<&str> = t
        .report
        .iter()
        .filter(|r| r.kind == ReportKind::ExternalReference)
        .filter_map(|r| r.subject.as_deref())
        .collect();
    assert_eq!(ext, ["vpc-0a1b2c3d4e5f60718", "subnet-0aaa1111bbbb22223", "subnet-0ccc3333dddd44445"]);
    assert!(t.report.iter().any(|r| r.message.contains("`xl` is not one of its AllowedValues")));
    assert!(t.report.iter().any(|r| r.message.contains("override `Unused`")));
    assert_eq!(t.parameters.len(), 5);
    assert_eq!(t.parameters[3].source, ParamSource::Default);

    let e = err(&with_props(head, "A: 1"));
    assert_eq!((e.line, e.column, e.kind), (2, 3, ErrorKind::Parameter));
    assert!(e.message.contains("parameter `Vpc`"), "{e}");
    assert!(e.message.contains("--param Vpc=VALUE"), "{e}");
}

#[test]
fn json_templates_and_positions() {
    let text = r#"{
  "Parameters": {"Cidr": {"Type": "String", "Default": "10.5.0.0/16"}},
  "Resources": {
    "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": {"Ref": "Cidr"}}},
    "Sn": {"Type": "AWS::EC2::Subnet", "Properties": {
      "VpcId": {"Ref": "Vpc"},
      "AvailabilityZone": {"Fn::Select": [3, {"Fn::GetAZs": ""}]},
      "CidrBlock": {"Fn::Select": [0, {"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 1, 8]}]}
    }}
  }
}"#;
    let t = evaluate(text, "t.json", &opts()).unwrap();
    let sn = t.resource("Sn").unwrap();
    assert_eq!(sn.properties["AvailabilityZone"], "ap-northeast-2d");
    assert_eq!(sn.properties["CidrBlock"], "10.5.0.0/24");
    assert_eq!((sn.line, sn.column), (5, 5));
    let bad = text.replace("[3, {", "[7, {");
    let e = evaluate(&bad, "t.json", &opts()).unwrap_err();
    assert_eq!(e.to_string(), "t.json:7:28: Fn::Select index 7 is out of range for a list of 4 items");
}

#[test]
fn structure_errors() {
    let e = err("Description: x\n");
    assert!(e.message.contains("no Resources"), "{e}");
    let e = err("Resources:\n  R:\n    Properties: {}\n");
    assert_eq!((e.line, e.column), (2, 3));
    assert_eq!(e.message, "resource `R` has no Type");
    let e = err("Resources:\n  R:\n    Type: AWS::X::Y\n    DependsOn: [Nope]\n");
    assert_eq!((e.line, e.column), (4, 17));
    let e = err("- a\n- b\n");
    assert!(e.message.contains("must be a mapping"), "{e}");
    let e = err("Resources:\n  R:\n    Type: AWS::X::Y\n    Properties: [1]\n");
    assert!(e.message.contains("Properties must be a mapping"), "{e}");
}

#[test]
fn ref_and_depends_on_cycles_name_the_cycle() {
    let e = err("Resources:\n  A:\n    Type: AWS::X::Y\n    Properties:\n      P: !Ref B\n  B:\n    Type: AWS::X::Y\n    Properties:\n      P: !Sub '${C.Arn}'\n  C:\n    Type: AWS::X::Y\n    DependsOn: A\n");
    assert_eq!(e.kind, ErrorKind::Cycle);
    assert_eq!((e.line, e.column), (2, 3));
    assert!(e.message.contains("A -> B -> C -> A"), "{e}");
    let e = err("Resources:\n  A:\n    Type: AWS::X::Y\n    DependsOn: A\n");
    assert!(e.message.contains("A -> A"), "{e}");
    // A GetAtt chain that loops while deriving values.
    let e = err("Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !GetAtt B.CidrBlock\n  B:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !GetAtt A.CidrBlock\n");
    assert_eq!(e.kind, ErrorKind::Cycle);
    assert!(e.message.contains("A -> B -> A"), "{e}");
}

#[test]
fn param_override_parsing() {
    assert_eq!(parse_param_override("A=b=c"), Ok(("A".into(), "b=c".into())));
    assert!(parse_param_override("=x").is_err());
    assert!(parse_param_override("x").is_err());
}
