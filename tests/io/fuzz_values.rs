//! Issue 17: mutation fuzzing of the values AWS checks, one target per input format (RON,
//! CloudFormation, `describe-*` snapshot JSON). Each case sets fields of a clean base to values
//! drawn from a domain of good and bad ones, runs the whole pipeline (read, detect, load or
//! import, `check`), and compares with an oracle written here from AWS's rules: the result is
//! accepted (no load error, no import error, no check error) exactly when AWS would accept
//! every value. Bounded by case count (a few seconds in a debug build).

use proptest::prelude::*;
use std::path::Path;
use vpcraft::io::detect::load_bytes;
use vpcraft::io::report::Severity as ReportSeverity;
use vpcraft::sim::checks::{check_design, Severity};

/// Whether the pipeline accepts the input: it loads, its import report has no error and
/// `check` finds no error. On refusal, why.
fn accepted(bytes: &[u8], name: &str) -> Result<(), String> {
    let l = load_bytes(bytes.to_vec(), Path::new(name), &Default::default()).map_err(|e| e.to_string())?;
    if let Some(item) = l.report.iter().flat_map(|r| r.items.iter()).find(|i| i.severity == ReportSeverity::Error) {
        return Err(format!("import error: {}: {}", item.what, item.detail));
    }
    match check_design(&l.design).into_iter().find(|f| f.severity == Severity::Error) {
        Some(f) => Err(format!("check error: {f}")),
        None => Ok(()),
    }
}

fn verdict(bytes: &[u8], name: &str, valid: bool, what: &str) -> Result<(), TestCaseError> {
    match (accepted(bytes, name), valid) {
        (Ok(()), false) => Err(TestCaseError::fail(format!("accepted what AWS refuses: {what}"))),
        (Err(e), true) => Err(TestCaseError::fail(format!("refused what AWS accepts: {what}: {e}"))),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// The oracle: AWS's rules, written independently of the code under test.

/// Strict dotted decimal: four parts, each 0–255 with no leading zero.
fn strict_octets(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut v = 0u32;
    for p in parts {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) || (p.len() > 1 && p.starts_with('0'))
        {
            return None;
        }
        let n: u32 = p.parse().ok()?;
        if n > 255 {
            return None;
        }
        v = v << 8 | n;
    }
    Some(v)
}

/// A CIDR AWS takes for a subnet of 10.39.0.0/16 whose blocks below 10.39.112.0 are taken
/// (A5): strict syntax, /16–/28, no host bits, inside the VPC, overlapping no other subnet.
fn subnet_cidr_ok(s: &str) -> bool {
    let Some((addr, prefix)) = s.split_once('/') else { return false };
    let Some(a) = strict_octets(addr) else { return false };
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) || (prefix.len() > 1 && prefix.starts_with('0'))
    {
        return false;
    }
    let Ok(p) = prefix.parse::<u32>() else { return false };
    if !(16..=28).contains(&p) {
        return false;
    }
    let host = (1u32 << (32 - p)) - 1;
    let vpc = 10 << 24 | 39 << 16;
    a & host == 0 && a & 0xffff_0000 == vpc && a >= vpc | 112 << 8
}

/// A port value as a template or the API may write it.
#[derive(Debug, Clone)]
enum PortValue {
    Int(i64),
    Text(String),
    List,
    Absent,
}

impl PortValue {
    fn int(&self) -> Result<Option<i64>, ()> {
        match self {
            PortValue::Int(n) => Ok(Some(*n)),
            PortValue::Text(t) => t.parse().map(Some).map_err(|_| ()),
            PortValue::List => Err(()),
            PortValue::Absent => Ok(None),
        }
    }

    fn yaml(&self, key: &str) -> String {
        match self {
            PortValue::Int(n) => format!("{key}: {n}, "),
            PortValue::Text(t) => format!("{key}: \"{t}\", "),
            PortValue::List => format!("{key}: [80], "),
            PortValue::Absent => String::new(),
        }
    }

    fn json(&self, key: &str) -> String {
        match self {
            PortValue::Int(n) => format!("\"{key}\": {n}, "),
            PortValue::Text(t) => format!("\"{key}\": \"{t}\", "),
            PortValue::List => format!("\"{key}\": [80], "),
            PortValue::Absent => String::new(),
        }
    }
}

fn port_value() -> impl Strategy<Value = PortValue> {
    prop_oneof![
        8 => prop::sample::select(vec![0i64, 1, 22, 80, 443, 3306, 65535]).prop_map(PortValue::Int),
        2 => prop::sample::select(vec![-5i64, -1, 255, 256, 65536, 70000]).prop_map(PortValue::Int),
        1 => prop::sample::select(vec!["80", "443", "abc", "", "8 0"]).prop_map(|s| PortValue::Text(s.to_string())),
        1 => Just(PortValue::List),
        1 => Just(PortValue::Absent),
    ]
}

/// A protocol as written, and what AWS takes it for: `Some(number)` (-1 for all), `None` when
/// refused. (ICMPv6 and upper case are left out: what AWS does with them on IPv4 rules is not
/// something this oracle claims to know.)
fn protocol() -> impl Strategy<Value = (String, Option<i32>)> {
    let good = prop::sample::select(vec![
        ("tcp", Some(6)),
        ("udp", Some(17)),
        ("icmp", Some(1)),
        ("-1", Some(-1)),
        ("6", Some(6)),
        ("17", Some(17)),
        ("1", Some(1)),
        ("47", Some(47)),
        ("255", Some(255)),
    ]);
    let bad = prop::sample::select(vec![("256", None), ("xyz", None), ("", None), ("all", None), ("tcp udp", None)]);
    prop_oneof![4 => good, 1 => bad].prop_map(|(t, n)| (t.to_string(), n))
}

/// Whether AWS takes a NACL entry's port range: ICMP entries take a type and code instead and
/// ignore it (L2).
fn nacl_ports_ok(proto: i32, from: &PortValue, to: &PortValue) -> bool {
    proto == 1 || ports_ok(proto, from, to)
}

/// Whether AWS takes a rule of protocol `proto` with these two port fields (S2, L2).
fn ports_ok(proto: i32, from: &PortValue, to: &PortValue) -> bool {
    let (Ok(f), Ok(t)) = (from.int(), to.int()) else { return false };
    match proto {
        6 | 17 => {
            matches!((f, t), (Some(f), Some(t)) if (0..=65535).contains(&f) && (0..=65535).contains(&t) && f <= t)
        }
        1 => {
            let code_ok = |x: Option<i64>| x.is_none_or(|x| (-1..=255).contains(&x));
            let any = |x: Option<i64>| x.is_none_or(|x| x == -1);
            // A code needs a type.
            let code_has_type = !any(f) || any(t);
            code_ok(f) && code_ok(t) && code_has_type
        }
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------------
// RON.

const BASE_RON: &str = include_str!("../fixtures/reliability/base.ron");

/// One edit of the base design and whether AWS would take the result.
#[derive(Debug, Clone)]
enum RonEdit {
    SubnetCidr(String),
    Ports(i64, i64),
    RuleNumber(i64),
    Region(String),
    DeviceIndex(u32),
    EmptyId(String),
}

fn ron_edit() -> impl Strategy<Value = RonEdit> {
    let octet3 = prop::sample::select(vec!["112", "113", "120", "128", "200", "255", "256", "0112", "96", "0"]);
    let octet4 = prop::sample::select(vec!["0", "1", "16", "00", "010", "255"]);
    let prefix = prop::sample::select(vec!["16", "17", "20", "24", "28", "29", "32", "020", "33", ""]);
    let ports = prop::sample::select(vec![-1i64, 0, 1, 80, 443, 65535, 65536, 70000]);
    prop_oneof![
        (octet3, octet4, prefix).prop_map(|(c, d, p)| RonEdit::SubnetCidr(format!("10.39.{c}.{d}/{p}"))),
        (ports.clone(), ports).prop_map(|(f, t)| RonEdit::Ports(f, t)),
        prop::sample::select(vec![-1i64, 0, 1, 99, 100, 32766, 32767, 65535, 65536]).prop_map(RonEdit::RuleNumber),
        prop::sample::select(vec!["ap-northeast-2", "us-east-1", "mars-1", "", "ap-northeast", "apnortheast2"])
            .prop_map(|r| RonEdit::Region(r.to_string())),
        (0u32..3).prop_map(RonEdit::DeviceIndex),
        prop::sample::select(vec!["", " ", "sg-0002"]).prop_map(|s| RonEdit::EmptyId(s.to_string())),
    ]
}

fn apply_ron(text: &str, e: &RonEdit) -> (String, bool) {
    let once = |from: &str, to: &str| {
        assert!(text.contains(from), "base lacks {from:?}");
        text.replacen(from, to, 1)
    };
    match e {
        RonEdit::SubnetCidr(c) => (once("cidr: \"10.39.112.0/20\"", &format!("cidr: \"{c}\"")), subnet_cidr_ok(c)),
        RonEdit::Ports(f, t) => (
            once("from: 80,\n            to: 80,", &format!("from: {f},\n            to: {t},")),
            (0..=65535).contains(f) && (0..=65535).contains(t) && f <= t,
        ),
        RonEdit::RuleNumber(n) => (
            once("rule_number: 100,\n          egress: false", &format!("rule_number: {n},\n          egress: false")),
            (1..=32766).contains(n),
        ),
        RonEdit::Region(r) => (
            once("region: \"ap-northeast-2\",\n      cidr", &format!("region: \"{r}\",\n      cidr")),
            r == "ap-northeast-2",
        ),
        // The private instance's interface joins the public instance (same zone) at index k.
        RonEdit::DeviceIndex(k) => (
            once(
                "instance: Some(\"i-0002\"),\n      device_index: 0,",
                &format!("instance: Some(\"i-0001\"),\n      device_index: {k},"),
            ),
            *k != 0,
        ),
        RonEdit::EmptyId(id) => (once("id: \"sg-0002\",", &format!("id: \"{id}\",")), id == "sg-0002"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn ron_values_are_accepted_only_when_aws_would(edits in prop::collection::vec(ron_edit(), 1..4)) {
        // At most one edit per field: the first.
        let mut seen = Vec::new();
        let edits: Vec<RonEdit> =
            edits.into_iter().filter(|e| { let k = std::mem::discriminant(e); let new = !seen.contains(&k); seen.push(k); new }).collect();
        let mut text = BASE_RON.to_string();
        let mut valid = true;
        for e in &edits {
            let (t, ok) = apply_ron(&text, e);
            text = t;
            valid &= ok;
        }
        verdict(text.as_bytes(), "fuzz.ron", valid, &format!("{edits:?}"))?;
    }
}

// ---------------------------------------------------------------------------------------------
// CloudFormation.

fn template(proto: &str, from: &PortValue, to: &PortValue, nacl: &str) -> String {
    format!(
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  \
         Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: fuzzed\n      VpcId: !Ref Vpc\n      \
         SecurityGroupIngress:\n        - {{ IpProtocol: \"{proto}\", {}{}CidrIp: 10.0.0.0/8 }}\n{nacl}",
        from.yaml("FromPort"),
        to.yaml("ToPort"),
    )
}

/// A NACL entry with the given number, protocol, action and port range.
fn nacl_entry(number: &PortValue, proto: &str, action: &str, from: &PortValue, to: &PortValue) -> String {
    let range = match (from.yaml("From"), to.yaml("To")) {
        (f, t) if f.is_empty() && t.is_empty() => String::new(),
        (f, t) => format!("      PortRange: {{ {}{} }}\n", f, t.trim_end_matches(", ")).replace(", }", " }"),
    };
    format!(
        "  Acl:\n    Type: AWS::EC2::NetworkAcl\n    Properties:\n      VpcId: !Ref Vpc\n  Entry:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      \
         NetworkAclId: !Ref Acl\n      {}Protocol: \"{proto}\"\n      RuleAction: {action}\n      CidrBlock: 10.0.0.0/8\n{range}",
        number.yaml("RuleNumber").replace(", ", "\n      "),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn cloudformation_rules_are_accepted_only_when_aws_would(
        (proto, number) in protocol(),
        from in port_value(),
        to in port_value(),
        with_nacl in any::<bool>(),
        rule in port_value(),
        (nproto, nnumber) in protocol(),
        action in prop::sample::select(vec!["allow", "deny", "allow", "deny", "permit"]),
        nfrom in port_value(),
        nto in port_value(),
    ) {
        let mut valid = number.is_some_and(|p| ports_ok(p, &from, &to));
        let nacl = if with_nacl {
            let number_ok = matches!(rule.int(), Ok(Some(n)) if (1..=32766).contains(&n));
            valid &= number_ok && action != "permit" && nnumber.is_some_and(|p| nacl_ports_ok(p, &nfrom, &nto));
            nacl_entry(&rule, &nproto, action, &nfrom, &nto)
        } else {
            String::new()
        };
        let t = template(&proto, &from, &to, &nacl);
        verdict(t.as_bytes(), "fuzz.yaml", valid, &t)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshot (`aws ec2 describe-*` JSON).

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn snapshot_rules_are_accepted_only_when_aws_would(
        (proto, number) in protocol(),
        from in port_value(),
        to in port_value(),
        rule in prop::sample::select(vec![-1i64, 0, 1, 100, 100, 120, 32766, 32767, 70000]),
        (nproto, nnumber) in protocol(),
        nfrom in port_value(),
        nto in port_value(),
    ) {
        let range = format!("{}{}", nfrom.json("From"), nto.json("To"));
        let range = range.trim_end_matches(", ");
        let json = format!(
            r#"{{"Vpcs": [{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}}],
               "SecurityGroups": [{{"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1",
                 "IpPermissions": [{{"IpProtocol": "{proto}", {}{}"IpRanges": [{{"CidrIp": "10.0.0.0/8"}}]}}],
                 "IpPermissionsEgress": [{{"IpProtocol": "-1", "IpRanges": [{{"CidrIp": "0.0.0.0/0"}}]}}]}}],
               "NetworkAcls": [{{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Entries": [
                 {{"RuleNumber": {rule}, "Protocol": "{nproto}", "RuleAction": "allow", "Egress": false,
                   "CidrBlock": "10.0.0.0/8", "PortRange": {{{range}}}}}]}}]}}"#,
            from.json("FromPort"),
            to.json("ToPort"),
        );
        // The final deny (32767) is AWS's own entry, always there: not an entry to judge.
        let entry_ok = rule == 32767 || ((1..=32766).contains(&rule) && nnumber.is_some_and(|p| nacl_ports_ok(p, &nfrom, &nto)));
        let valid = number.is_some_and(|p| ports_ok(p, &from, &to)) && entry_ok;
        verdict(json.as_bytes(), "fuzz.json", valid, &json)?;
    }
}
