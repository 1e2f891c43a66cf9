//! Every shared sample template evaluates with the region and parameters given in
//! `../shared/data/cfn/params.json` (read at test time, never copied here).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use vpcraft::io::cfn::{evaluate_file, EvalOptions, ReportKind, Template};

fn data_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/cfn");
    if dir.join("params.json").is_file() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: {} is absent; the shared CloudFormation samples are not available", dir.display());
        None
    }
}

fn options_for(dir: &Path, name: &str) -> EvalOptions {
    let text = std::fs::read_to_string(dir.join("params.json")).expect("read params.json");
    let all: Value = serde_json::from_str(&text).expect("params.json is JSON");
    let entry = &all["templates"][name];
    let region = entry["region"].as_str().unwrap_or_else(|| panic!("{name}: no region in params.json"));
    let mut opts = EvalOptions::new(region);
    for (k, v) in entry["params"].as_object().into_iter().flatten() {
        opts = opts.with_param(k, v.as_str().expect("param values are strings"));
    }
    opts
}

fn load(name: &str) -> Option<Template> {
    let dir = data_dir()?;
    let opts = options_for(&dir, name);
    Some(evaluate_file(&dir.join(name), &opts).unwrap_or_else(|e| panic!("{e}")))
}

fn prop<'t>(t: &'t Template, id: &str, key: &str) -> &'t Value {
    let r = t.resource(id).unwrap_or_else(|| panic!("no resource {id}"));
    &r.properties[key]
}

#[test]
fn every_sample_template_evaluates() {
    let Some(dir) = data_dir() else { return };
    let text = std::fs::read_to_string(dir.join("params.json")).unwrap();
    let all: Value = serde_json::from_str(&text).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| (n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json")) && n != "params.json")
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        assert!(all["templates"].get(&name).is_some(), "{name} has no entry in params.json");
        let opts = options_for(&dir, &name);
        let t = evaluate_file(&dir.join(&name), &opts).unwrap_or_else(|e| panic!("{e}"));
        assert!(!t.resources.is_empty(), "{name}: no resources");
        for r in &t.resources {
            if !r.condition_skipped {
                assert!(r.properties.is_object(), "{name}: {} properties", r.logical_id);
            }
        }
    }
}

#[test]
fn seed_endpoint_lab() {
    let Some(t) = load("seed-001-endpoint-lab.yaml") else {
        return;
    };
    assert_eq!(prop(&t, "jhVPC", "CidrBlock"), "10.10.0.0/16");
    assert_eq!(prop(&t, "jhPublicSN", "AvailabilityZone"), "ap-northeast-2a");
    assert_eq!(prop(&t, "jhPrivateSN", "AvailabilityZone"), "ap-northeast-2c");
    assert_eq!(prop(&t, "jhPublicSN", "VpcId"), &json!({"$ref": "jhVPC"}));
    assert_eq!(prop(&t, "jhPublicEC2", "KeyName"), "lab-key");
    // SSM parameter type: deploy-time value.
    assert_eq!(
        prop(&t, "jhPublicEC2", "ImageId"),
        &json!({"$ssm": "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2"})
    );
    let route = t.resource("DefaultPublicRoute").unwrap();
    assert_eq!(route.depends_on, ["jhIGWAttachment"]);
    assert_eq!(route.references, ["jhPublicRT", "jhIGW"]);
    assert_eq!((t.resource("jhVPC").unwrap().line, t.resource("jhVPC").unwrap().column), (14, 3));
    // Fn::Base64 keeps the text.
    let user_data = prop(&t, "jhPrivateEC2", "UserData").as_str().unwrap();
    assert!(user_data.starts_with("#!/bin/bash\n"), "{user_data}");
    assert!(t
        .report
        .iter()
        .any(|r| r.kind == ReportKind::ExternalReference && r.subject.as_deref() == Some("lab-key")));
}

#[test]
fn cidr_from_getatt_of_vpc() {
    let Some(t) = load("aws-samples-vpc-3tier.yaml") else {
        return;
    };
    assert_eq!(prop(&t, "vpc", "CidrBlock"), "10.20.0.0/23");
    assert_eq!(prop(&t, "vpcpubsubneta", "CidrBlock"), "10.20.0.0/26");
    assert_eq!(prop(&t, "vpcpubsubnetb", "CidrBlock"), "10.20.0.64/26");
    assert_eq!(prop(&t, "vpcappsubneta", "CidrBlock"), "10.20.0.128/26");
    assert_eq!(prop(&t, "vpcpubsubneta", "AvailabilityZone"), "us-east-1a");
    assert_eq!(prop(&t, "vpcpubsubnetb", "AvailabilityZone"), "us-east-1b");
    // The subnet depends on the VPC through Fn::GetAtt.
    assert!(t.resource("vpcpubsubneta").unwrap().references.contains(&"vpc".to_string()));
}

#[test]
fn findinmap_azs_json() {
    let Some(t) = load("awslabs-findinmap-azs.json") else {
        return;
    };
    // AZs come from the RegionMap mapping (us-east-1 row), not from Fn::GetAZs.
    assert_eq!(prop(&t, "PublicSubnet1", "AvailabilityZone"), "us-east-1a");
    assert_eq!(prop(&t, "PublicSubnet2", "AvailabilityZone"), "us-east-1b");
    assert_eq!(prop(&t, "PrivateSubnet1", "AvailabilityZone"), "us-east-1a");
    assert_eq!(prop(&t, "PrivateSubnet2", "AvailabilityZone"), "us-east-1b");
    assert_eq!(prop(&t, "PublicSubnet1", "CidrBlock"), "10.192.10.0/24");
    assert_eq!(prop(&t, "PublicSubnet1", "MapPublicIpOnLaunch"), true);
    assert_eq!(prop(&t, "VPC", "CidrBlock"), "10.192.0.0/16");
    // JSON positions are kept too.
    let vpc = t.resource("VPC").unwrap();
    assert_eq!((vpc.line, vpc.column), (49, 9));
}

#[test]
fn imports_and_external_ids_are_reported() {
    let Some(t) = load("widdix-vpc-endpoint-s3.yaml") else {
        return;
    };
    let ep = t.resources.iter().find(|r| r.resource_type == "AWS::EC2::VPCEndpoint").unwrap();
    assert_eq!(ep.properties["VpcId"], json!({"$import": "vpc-VPC"}));
    assert_eq!(
        ep.properties["RouteTableIds"],
        json!([{"$import": "vpc-RouteTablesPublic"}, {"$import": "vpc-RouteTablesPrivate"}])
    );
    assert_eq!(ep.properties["ServiceName"], "com.amazonaws.us-east-1.s3");
    assert!(t.report.iter().any(|r| r.kind == ReportKind::ImportValue));

    let Some(t) = load("awslabs-vpc-peering-updates.yaml") else {
        return;
    };
    assert_eq!(prop(&t, "PeerRoute2", "RouteTableId"), "rtb-0ccc3333dddd44445");
    let r3 = t.resource("PeerRoute3").unwrap();
    assert!(r3.condition_skipped);
    assert!(r3.properties.is_null());
    // One security group id given, so the second ingress rule is skipped.
    assert!(t.resource("PeerIngressRule2").unwrap().condition_skipped);
    for id in ["rtb-0aaa1111bbbb22223", "sg-0aaa1111bbbb22223", "pcx-0aaa1111bbbb22223"] {
        assert!(
            t.report.iter().any(|r| r.kind == ReportKind::ExternalReference && r.subject.as_deref() == Some(id)),
            "{id} not reported"
        );
    }
    assert!(t.report.iter().any(|r| r.kind == ReportKind::Condition));
}
