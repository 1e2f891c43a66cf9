//! IPv6 through the importers and exporters (issue 14): a CloudFormation template in the
//! usual dual-stack idiom, a `describe-*` snapshot with IPv6, and a dual-stack design that
//! goes to CloudFormation (cfn-lint clean) and back keeping its IPv6 shape.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use vpcraft::io::cfn_import::{import_file, import_text, CfnImportOptions};
use vpcraft::io::export::cloudformation::to_cloudformation;
use vpcraft::io::export::sanitize_identifier;
use vpcraft::model::*;
use vpcraft::sim::{TraceIndex, TraceRequest};

const TEMPLATE: &str = "tests/fixtures/cloudformation/dual-stack.yaml";
const DESIGN: &str = "tests/fixtures/designs/valid/dual-stack.ron";

fn opts() -> CfnImportOptions {
    CfnImportOptions { region: Some("ap-northeast-2".into()), ..CfnImportOptions::default() }
}

fn trace(d: &Design, from: &str, to: &str) -> vpcraft::sim::TraceResult {
    let req = TraceRequest::parse(d, from, to, "tcp", Some(443), None).unwrap();
    TraceIndex::new(d).trace(&req)
}

fn key(name: &str) -> String {
    sanitize_identifier(name, false, "X").to_ascii_lowercase()
}

/// What IPv6 a design holds, independent of ids, names' spelling and the /56 AWS picks: each
/// subnet's slot in its VPC's block and options, each table's IPv6 routes by the subnets
/// using it, IPv6 rules of groups and ACLs, and how many IPv6 addresses each instance has.
fn ipv6_shape(d: &Design) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in &d.subnets {
        let slot = s.ipv6_cidr.and_then(|c| {
            let v = d.vpc(&s.vpc)?;
            v.ipv6_cidrs().find(|b| b.contains(&c)).and_then(|b| vpcraft::net::index_in_block(b, c))
        });
        out.entry(format!("subnet {}", key(&s.name))).or_default().push(format!(
            "slot {slot:?} v6only {} dns64 {} auto {} {:?}",
            s.is_ipv6_only(),
            s.enable_dns64,
            s.assign_ipv6_address_on_creation,
            s.hostname_type
        ));
    }
    for t in &d.route_tables {
        let mut users: Vec<String> = t.subnets.iter().filter_map(|s| d.subnet(s)).map(|s| key(&s.name)).collect();
        users.sort();
        for r in t.routes.iter().filter(|r| !r.is_local()) {
            if let RouteDestination::Cidr(ipnet::IpNet::V6(c)) = r.destination {
                let kind = format!("{:?}", r.target).split('(').next().unwrap_or_default().to_string();
                out.entry(format!("routes {}", users.join(","))).or_default().push(format!("{c} → {kind}"));
            }
        }
    }
    for g in &d.security_groups {
        for (dir, rules) in [("in", &g.ingress), ("out", &g.egress)] {
            for r in rules.iter().filter(|r| matches!(r.peer, SgPeer::Cidr(ipnet::IpNet::V6(_)))) {
                // A group's logical id may be numbered to stay apart from an instance's name.
                let who = if g.is_default {
                    "default".to_string()
                } else {
                    key(&g.name).trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
                };
                out.entry(format!("group {who}"))
                    .or_default()
                    .push(format!("{dir} {} {} {:?}", r.protocol, r.ports, r.peer));
            }
        }
    }
    for a in &d.network_acls {
        let who = if a.is_default { "default".to_string() } else { key(&a.name) };
        for e in a.entries.iter().filter(|e| e.cidr.addr().is_ipv6()) {
            out.entry(format!("acl {who}"))
                .or_default()
                .push(format!("{} {} {} {}", e.rule_number, e.egress, e.action, e.cidr));
        }
    }
    for i in &d.instances {
        let n: usize = d.instance_interfaces(&i.id).iter().map(|e| e.ipv6_addresses.len()).sum();
        out.entry(format!("instance {}", key(&i.name))).or_default().push(format!("{n} IPv6"));
    }
    out.entry("eigw".into()).or_default().push(d.egress_only_internet_gateways.len().to_string());
    for v in out.values_mut() {
        v.sort();
    }
    out
}

#[test]
fn a_dual_stack_template_imports_with_its_ipv6_and_traces() {
    let (d, report) = import_file(Path::new(TEMPLATE), &opts()).unwrap();
    let text = format!("{report:?}");
    assert!(!text.contains("skipped LaterIpv6") && !text.to_lowercase().contains("ipv6 route"), "{text}");
    // The Amazon-provided /56 is a stand-in; the idiom's slots are kept.
    let v = &d.vpcs[0];
    assert_eq!(v.ipv6_cidr_blocks.len(), 1);
    assert!(v.ipv6_cidr_blocks[0].placeholder);
    let block = v.ipv6_cidr_blocks[0].cidr;
    let slot = |name: &str| {
        let s = d.subnets.iter().find(|s| s.name == name).unwrap();
        vpcraft::net::index_in_block(block, s.ipv6_cidr.unwrap())
    };
    assert_eq!((slot("Public"), slot("Private"), slot("V6Only"), slot("Later")), (Some(0), Some(1), Some(2), Some(10)));
    let v6 = d.subnets.iter().find(|s| s.name == "V6Only").unwrap();
    assert!(v6.is_ipv6_only() && v6.enable_dns64 && v6.hostname_type == HostnameType::ResourceName);
    // ::/0 → eigw, ::/0 → igw, 64:ff9b::/96 → NAT; SG and ACL IPv6 rules; ICMPv6.
    let shape = ipv6_shape(&d);
    assert_eq!(shape["routes v6only"], vec!["64:ff9b::/96 → NatGateway", "::/0 → EgressOnlyInternetGateway"]);
    assert_eq!(shape["routes public"], vec!["::/0 → InternetGateway"]);
    assert_eq!(shape["group web"].len(), 3, "{shape:?}");
    assert!(shape["group web"].iter().any(|r| r.starts_with("in icmpv6")), "{shape:?}");
    assert_eq!(shape["acl acl"], vec!["101 false allow ::/0", "101 true allow ::/0"]);
    assert_eq!(shape["instance app"], vec!["1 IPv6"]);
    assert_eq!(shape["instance v6host"], vec!["1 IPv6"]);
    // The default ACL and group got AWS's own IPv6 rules with the block (L4, S4).
    assert_eq!(shape["acl default"], vec!["101 false allow ::/0", "101 true allow ::/0"]);
    // The imported design traces: out through the egress-only gateway, no way in.
    let app = d.instances.iter().find(|i| i.name == "App").unwrap().id.clone();
    let r = trace(&d, &app, "2001:4860:4860::8888");
    assert_eq!(r.verdict.to_string(), "delivered", "{}", vpcraft::sim::render_text(&r));
    let addr = d.instance_interfaces(&app)[0].ipv6_addresses[0].to_string();
    let r = trace(&d, "internet", &addr);
    assert_eq!(r.code.map(|c| c.as_str()), Some("EIGW_UNSOLICITED_INBOUND"));
}

#[test]
fn ipv6_text_a_template_gets_wrong_is_an_error_naming_the_resource() {
    let t = r#"
Resources:
  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
  Rt: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
  Bad:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Rt, DestinationIpv6CidrBlock: "2001:db8::/129", GatewayId: igw-123 }
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIpv6: "fe80::%eth0/64" }]
"#;
    let (_, report) = import_text(t, Path::new("bad.yaml"), &opts()).unwrap();
    let text = format!("{report:?}");
    assert!(text.contains("Bad") && text.contains("longer than an IPv6 address"), "{text}");
    assert!(text.contains("zone id"), "{text}");
}

fn cfn_lint_available() -> bool {
    Command::new("cfn-lint").arg("--version").output().is_ok_and(|o| o.status.success())
}

#[test]
fn a_dual_stack_design_round_trips_through_cloudformation() {
    let d = vpcraft::io::native::load_file(Path::new(DESIGN)).unwrap();
    let out = to_cloudformation(&d);
    let t: serde_json::Value = serde_json::from_str(&out.text).unwrap();
    let res = &t["Resources"];
    let sub = res.as_object().unwrap().values().find(|r| r["Properties"]["Ipv6Native"] == true).unwrap();
    assert_eq!(sub["Properties"]["Ipv6CidrBlock"]["Fn::Select"][0], 2, "the IPv6-only subnet is slot 2");
    assert!(out.text.contains("\"DestinationIpv6CidrBlock\": \"64:ff9b::/96\""));
    assert!(out.text.contains("\"CidrIpv6\": \"::/0\""));
    assert!(out.text.contains("AWS::EC2::EgressOnlyInternetGateway"));
    // The default ACL's rule 101 and the default group's ::/0 egress come with the block:
    // declaring them again would fail the stack.
    assert!(!out.text.contains("\"RuleNumber\": 101"), "{}", out.text);
    let (back, _) = import_text(&out.text, Path::new("dual.json"), &opts()).unwrap();
    assert_eq!(ipv6_shape(&back), ipv6_shape(&d));
    if !cfn_lint_available() {
        crate::common::skip_unless_ci("cfn-lint on the dual-stack export: cfn-lint is not on PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dual-stack.json");
    std::fs::write(&p, &out.text).unwrap();
    let lint = Command::new("cfn-lint").arg(&p).output().unwrap();
    assert!(
        lint.status.success(),
        "cfn-lint:\n{}{}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );
}

#[test]
fn a_snapshot_with_ipv6_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let region = dir.path().join("ap-northeast-2");
    std::fs::create_dir_all(&region).unwrap();
    let files = [
        (
            "Vpcs.json",
            serde_json::json!({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
            "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:1:2300::/56", "Ipv6CidrBlockState": {"State": "associated"}, "Ipv6Pool": "Amazon"}]}]}),
        ),
        (
            "Subnets.json",
            serde_json::json!({"Subnets": [
            {"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "ap-northeast-2a",
             "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:1:2301::/64", "Ipv6CidrBlockState": {"State": "associated"}}]},
            {"SubnetId": "subnet-2", "VpcId": "vpc-1", "AvailabilityZone": "ap-northeast-2a", "Ipv6Native": true,
             "EnableDns64": true, "AssignIpv6AddressOnCreation": true,
             "PrivateDnsNameOptionsOnLaunch": {"HostnameType": "resource-name", "EnableResourceNameDnsAAAARecord": true},
             "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:1:2302::/64", "Ipv6CidrBlockState": {"State": "associated"}}]}]}),
        ),
        (
            "EgressOnlyInternetGateways.json",
            serde_json::json!({"EgressOnlyInternetGateways": [
            {"EgressOnlyInternetGatewayId": "eigw-1", "Attachments": [{"State": "attached", "VpcId": "vpc-1"}]}]}),
        ),
        (
            "RouteTables.json",
            serde_json::json!({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
            "Associations": [{"Main": true}],
            "Routes": [
                {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
                {"DestinationIpv6CidrBlock": "2600:1f18:1:2300::/56", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
                {"DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": "eigw-1", "Origin": "CreateRoute", "State": "active"}]}]}),
        ),
        (
            "SecurityGroups.json",
            serde_json::json!({"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "web", "VpcId": "vpc-1",
            "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
                              {"IpProtocol": "icmpv6", "FromPort": -1, "ToPort": -1, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]}]}),
        ),
        (
            "NetworkAcls.json",
            serde_json::json!({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true,
            "Associations": [{"SubnetId": "subnet-1"}, {"SubnetId": "subnet-2"}],
            "Entries": [
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 101, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "Ipv6CidrBlock": "::/0"},
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 101, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "Ipv6CidrBlock": "::/0"},
                {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": true, "Ipv6CidrBlock": "::/0"}]}]}),
        ),
        (
            "NetworkInterfaces.json",
            serde_json::json!({"NetworkInterfaces": [
            {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "PrivateIpAddress": "10.0.1.10",
             "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.10", "Primary": true}],
             "Ipv6Addresses": [{"Ipv6Address": "2600:1f18:1:2301::10"}], "Groups": [{"GroupId": "sg-1"}],
             "Attachment": {"InstanceId": "i-1", "DeviceIndex": 0, "Status": "attached"}},
            {"NetworkInterfaceId": "eni-2", "SubnetId": "subnet-2", "PrivateIpAddresses": [],
             "Ipv6Addresses": [{"Ipv6Address": "2600:1F18:1:2302:0:0:0:10"}], "Groups": [{"GroupId": "sg-1"}],
             "Attachment": {"InstanceId": "i-2", "DeviceIndex": 0, "Status": "attached"}}]}),
        ),
        (
            "Reservations.json",
            serde_json::json!({"Reservations": [{"Instances": [
            {"InstanceId": "i-1", "SubnetId": "subnet-1", "PrivateIpAddress": "10.0.1.10", "State": {"Name": "running"},
             "NetworkInterfaces": [{"NetworkInterfaceId": "eni-1"}]},
            {"InstanceId": "i-2", "SubnetId": "subnet-2", "State": {"Name": "running"},
             "NetworkInterfaces": [{"NetworkInterfaceId": "eni-2"}]}]}]}),
        ),
    ];
    for (name, json) in files {
        std::fs::write(region.join(name), json.to_string()).unwrap();
    }
    let (d, report) =
        vpcraft::io::snapshot::import_path(dir.path(), &vpcraft::io::snapshot::SnapshotOptions::default()).unwrap();
    let text = format!("{report:?}");
    assert!(!text.contains("skipped: rules are modelled for IPv4") && !text.contains("IPv6 entry"), "{text}");
    let only = d.subnet("subnet-2").unwrap();
    assert!(only.is_ipv6_only() && only.enable_dns64 && only.hostname_type == HostnameType::ResourceName);
    let e2 = d.network_interface("eni-2").expect("an IPv6-only interface is kept");
    assert!(e2.private_ips.is_empty());
    assert_eq!(e2.ipv6_addresses[0].to_string(), "2600:1f18:1:2302::10", "canonical form");
    let shape = ipv6_shape(&d);
    assert_eq!(shape["routes "], vec!["::/0 → EgressOnlyInternetGateway"], "{shape:?}");
    assert_eq!(shape["group web"].len(), 3, "{shape:?}");
    assert_eq!(shape["acl default"].len(), 2, "the final * deny is implicit: {shape:?}");
    let r = trace(&d, "i-1", "2001:4860:4860::8888");
    assert_eq!(r.verdict.to_string(), "delivered", "{}", vpcraft::sim::render_text(&r));
    let r = trace(&d, "internet", "2600:1f18:1:2301::10");
    assert_eq!(r.code.map(|c| c.as_str()), Some("EIGW_UNSOLICITED_INBOUND"), "{}", vpcraft::sim::render_text(&r));
}

#[test]
fn a_dual_stack_design_round_trips_through_terraform() {
    use vpcraft::io::export::terraform::to_terraform;
    use vpcraft::io::terraform::{import_dir, TerraformOptions};
    let d = vpcraft::io::native::load_file(Path::new(DESIGN)).unwrap();
    let out = to_terraform(&d);
    assert!(out.text.contains("assign_generated_ipv6_cidr_block = true"), "{}", out.text);
    assert!(out.text.contains("cidrsubnet(aws_vpc.A.ipv6_cidr_block, 8, 2)"), "{}", out.text);
    assert!(out.text.contains("ipv6_native"), "{}", out.text);
    assert!(out.text.contains("destination_ipv6_cidr_block = \"64:ff9b::/96\""), "{}", out.text);
    assert!(out.text.contains("cidr_ipv6 "), "{}", out.text);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), &out.text).unwrap();
    let opts = TerraformOptions { region: Some("ap-northeast-2".into()), ..Default::default() };
    let (back, report) = import_dir(dir.path(), &opts).unwrap();
    let text = format!("{report:?}");
    assert!(!text.contains("IPv6 is not in the model"), "{text}");
    let strip = |mut m: BTreeMap<String, Vec<String>>| {
        // The reader names things by address (`aws_subnet.public`), the design by name.
        m = m
            .into_iter()
            .map(|(k, v)| (k.replace("awssubnet", "").replace("awsinstance", "").replace("awssecuritygroup", ""), v))
            .collect();
        m
    };
    let (a, b) = (strip(ipv6_shape(&d)), strip(ipv6_shape(&back)));
    for (k, v) in &a {
        assert_eq!(b.get(k), Some(v), "{k}: {b:?}");
    }
    let v6 = back.subnets.iter().find(|s| s.is_ipv6_only()).expect("the IPv6-only subnet");
    assert!(v6.enable_dns64);
    let host = back.instances.iter().find(|i| i.name.contains("v6host")).unwrap().id.clone();
    let r = trace(&back, &host, "s3.ap-northeast-2.amazonaws.com");
    assert_eq!(r.verdict.to_string(), "delivered", "NAT64 after the round trip:\n{}", vpcraft::sim::render_text(&r));
}

/// T2: a transit gateway attachment's IPv6 support survives CloudFormation and Terraform
/// (`Options.Ipv6Support`, `ipv6_support = "enable"`); lost, the imported design would carry
/// no IPv6 over the transit gateway.
#[test]
fn tgw_attachment_ipv6_support_round_trips() {
    use vpcraft::io::export::terraform::to_terraform;
    use vpcraft::io::terraform::{import_dir, TerraformOptions};
    use vpcraft::model::ops::{Op, Ref};
    let mut d = vpcraft::io::native::load_file(Path::new(DESIGN)).unwrap();
    for op in [
        Op::AddTransitGateway {
            name: "hub".into(),
            region: None,
            asn: None,
            default_association: true,
            default_propagation: true,
        },
        Op::AttachVpcToTransitGateway {
            tgw: Ref::name("hub"),
            vpc: Ref::name("A"),
            subnets: vec![Ref::name("private")],
            name: "att-a".into(),
        },
        Op::SetTgwAttachmentIpv6 { attachment: Ref::name("att-a"), enabled: true },
    ] {
        d.apply(&op).unwrap_or_else(|e| panic!("{op:?}: {e}"));
    }
    let supported = |d: &Design| d.tgw_attachments.iter().filter(|a| a.ipv6_support).count();
    assert_eq!(supported(&d), 1);
    let out = to_cloudformation(&d);
    assert!(out.text.contains("\"Ipv6Support\": \"enable\""), "{}", out.text);
    let (back, _) = import_text(&out.text, Path::new("tgw6.json"), &opts()).unwrap();
    assert_eq!(supported(&back), 1, "CloudFormation");
    let tf = to_terraform(&d);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), &tf.text).unwrap();
    let topts = TerraformOptions { region: Some("ap-northeast-2".into()), ..Default::default() };
    let (back, _) = import_dir(dir.path(), &topts).unwrap();
    assert_eq!(supported(&back), 1, "Terraform:\n{}", tf.text);
}
