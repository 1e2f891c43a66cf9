//! Regional NAT gateways (N9) through every importer and exporter: CloudFormation
//! (`AvailabilityMode: regional`, `VpcId`, `AvailabilityZoneAddresses`), Terraform
//! (`availability_mode = "regional"`, `vpc_id`, `availability_zone_address` blocks) and a
//! `describe-nat-gateways` snapshot (`AvailabilityMode`, `VpcId`, `RouteTableId`,
//! `AutoProvisionZones`). Each import must trace a workload out through the regional NAT
//! gateway as the design does.

use std::path::Path;
use vpcraft::io::cfn_import::{import_text, CfnImportOptions};
use vpcraft::io::export::cloudformation::to_cloudformation;
use vpcraft::io::export::terraform::to_terraform;
use vpcraft::io::terraform::{import_dir, TerraformOptions};
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;
use vpcraft::sim::{trace, TraceRequest, TraceResult};

const REGION: &str = "ap-northeast-2";

fn design() -> Design {
    let mut b = DesignBuilder::new("regional", REGION);
    let v = b.vpc("app", "10.0.0.0/16");
    let sa = b.subnet(&v, "app-a", "10.0.1.0/24", "a");
    let sc = b.subnet(&v, "app-c", "10.0.2.0/24", "c");
    b.igw(&v, "igw");
    let nat = b.regional_nat_gateway(&v, "rnat", "50.1.1.9", None);
    let rt = b.route_table(&v, "private");
    b.route(&rt, "0.0.0.0/0", RouteTarget::NatGateway(nat));
    b.associate(&rt, &sa);
    b.associate(&rt, &sc);
    b.instance(&sa, "appa", "10.0.1.10", &[]);
    b.instance(&sc, "appc", "10.0.2.10", &[]);
    b.design
}

fn out(d: &Design, from: &str) -> TraceResult {
    trace(d, &TraceRequest::parse(d, from, "60.1.1.1", "tcp", Some(443), None).unwrap_or_else(|e| panic!("{e}")))
}

fn assert_regional_egress(d: &Design, from: &str) {
    let r = out(d, from);
    assert_eq!(r.verdict.to_string(), "delivered", "{}", vpcraft::sim::render_text(&r));
    let n = r.forward.iter().find(|h| h.component.kind.as_str() == "nat-gateway").expect("a NAT hop");
    assert_eq!(n.rule, "N9", "{}", vpcraft::sim::render_text(&r));
}

#[test]
fn regional_nat_survives_cloudformation() {
    let d = design();
    let cfn = to_cloudformation(&d);
    assert!(cfn.text.contains("\"AvailabilityMode\": \"regional\""), "{}", cfn.text);
    assert!(!cfn.text.contains("SubnetId\": {\n          \"Ref\": \"AppA\"\n        },\n        \"AvailabilityMode"));
    let opts = CfnImportOptions { region: Some(REGION.into()), params: Vec::new() };
    let (back, report) = import_text(&cfn.text, Path::new("regional.json"), &opts).unwrap();
    let n = back.nat_gateways.iter().find(|n| n.is_regional()).unwrap_or_else(|| panic!("{report}"));
    assert!(n.subnet.is_none() && n.vpc.is_some());
    assert!(!report.to_string().contains("not model"), "{report}");
    for from in ["appa", "appc"] {
        assert_regional_egress(&back, from);
    }
}

#[test]
fn regional_nat_in_manual_mode_imports_from_cloudformation_with_its_zones() {
    let t = r#"
Resources:
  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
  Igw: { Type: AWS::EC2::InternetGateway }
  Attach: { Type: AWS::EC2::VPCGatewayAttachment, Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw } }
  A: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: ap-northeast-2a } }
  C: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: ap-northeast-2c } }
  EipA: { Type: AWS::EC2::EIP }
  EipC: { Type: AWS::EC2::EIP }
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      AvailabilityMode: regional
      VpcId: !Ref Vpc
      AvailabilityZoneAddresses:
        - { AvailabilityZone: ap-northeast-2a, AllocationIds: [!GetAtt EipA.AllocationId] }
        - { AvailabilityZone: ap-northeast-2c, AllocationIds: [!GetAtt EipC.AllocationId] }
  Rt: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
  Out: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat } }
  RA: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref A, RouteTableId: !Ref Rt } }
  RC: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref C, RouteTableId: !Ref Rt } }
  HostC: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref C, PrivateIpAddress: 10.0.2.10 } }
"#;
    let opts = CfnImportOptions { region: Some(REGION.into()), params: Vec::new() };
    let (d, report) = import_text(t, Path::new("manual.yaml"), &opts).unwrap();
    let n = &d.nat_gateways[0];
    assert_eq!(n.zones.len(), 2, "{report}");
    assert_eq!(n.zones[1].zone, "ap-northeast-2c");
    let r = out(&d, "HostC");
    assert_eq!(r.verdict.to_string(), "delivered", "{}", vpcraft::sim::render_text(&r));
    let hop = r.forward.iter().find(|h| h.component.kind.as_str() == "nat-gateway").unwrap();
    let eip_c = d.elastic_ips.iter().find(|e| e.id == n.zones[1].eips[0]).unwrap().public_ip;
    assert_eq!(hop.after.src, std::net::IpAddr::V4(eip_c), "HostC leaves with its AZ's address");
}

#[test]
fn regional_nat_survives_terraform() {
    let d = design();
    let tf = to_terraform(&d);
    assert!(tf.text.contains("availability_mode = \"regional\""), "{}", tf.text);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), &tf.text).unwrap();
    let opts = TerraformOptions { region: Some(REGION.into()), ..Default::default() };
    let (back, report) = import_dir(dir.path(), &opts).unwrap_or_else(|e| panic!("{e}\n{}", tf.text));
    let n = back.nat_gateways.iter().find(|n| n.is_regional()).unwrap_or_else(|| panic!("{report}\n{}", tf.text));
    assert!(n.subnet.is_none());
    for from in ["aws_instance.appa", "aws_instance.appc"] {
        assert_regional_egress(&back, from);
    }
}

#[test]
fn regional_nat_imports_from_a_snapshot_with_its_route_table() {
    let dir = tempfile::tempdir().unwrap();
    let w = |f: &str, t: &str| std::fs::write(dir.path().join(f), t).unwrap();
    w("describe-vpcs.json", r#"{"Vpcs":[{"VpcId":"vpc-1","CidrBlock":"10.0.0.0/16"}]}"#);
    w(
        "describe-subnets.json",
        r#"{"Subnets":[{"SubnetId":"subnet-a","VpcId":"vpc-1","CidrBlock":"10.0.1.0/24","AvailabilityZone":"ap-northeast-2a"}]}"#,
    );
    w(
        "describe-internet-gateways.json",
        r#"{"InternetGateways":[{"InternetGatewayId":"igw-1","Attachments":[{"VpcId":"vpc-1","State":"available"}]}]}"#,
    );
    w(
        "describe-route-tables.json",
        r#"{"RouteTables":[
          {"RouteTableId":"rtb-main","VpcId":"vpc-1","Associations":[{"Main":true}],"Routes":[
            {"DestinationCidrBlock":"10.0.0.0/16","GatewayId":"local","State":"active"},
            {"DestinationCidrBlock":"0.0.0.0/0","NatGatewayId":"nat-r","State":"active"}]},
          {"RouteTableId":"rtb-nat","VpcId":"vpc-1","Associations":[],"Routes":[
            {"DestinationCidrBlock":"10.0.0.0/16","GatewayId":"local","State":"active"},
            {"DestinationCidrBlock":"0.0.0.0/0","GatewayId":"igw-1","State":"active"}]}]}"#,
    );
    w(
        "describe-nat-gateways.json",
        r#"{"NatGateways":[{"NatGatewayId":"nat-r","VpcId":"vpc-1","State":"available","ConnectivityType":"public",
          "AvailabilityMode":"regional","AutoProvisionZones":"enabled","RouteTableId":"rtb-nat",
          "NatGatewayAddresses":[{"AllocationId":"eipalloc-1","PublicIp":"3.3.3.3","AvailabilityZone":"ap-northeast-2a"}]}]}"#,
    );
    w(
        "describe-network-interfaces.json",
        r#"{"NetworkInterfaces":[{"NetworkInterfaceId":"eni-1","SubnetId":"subnet-a","VpcId":"vpc-1","PrivateIpAddress":"10.0.1.10",
          "PrivateIpAddresses":[{"PrivateIpAddress":"10.0.1.10","Primary":true}],"Groups":[],"InterfaceType":"interface","SourceDestCheck":true}]}"#,
    );
    let (d, report) = vpcraft::io::snapshot::import_path(dir.path(), &Default::default()).unwrap();
    let n = d.nat_gateway("nat-r").unwrap_or_else(|| panic!("{report}"));
    assert!(n.is_regional() && n.subnet.is_none());
    assert_eq!((n.vpc.as_deref(), n.route_table.as_deref()), (Some("vpc-1"), Some("rtb-nat")));
    assert!(n.zones.is_empty(), "automatic mode keeps no zones");
    let r = trace(&d, &TraceRequest::parse(&d, "eni-1", "60.1.1.1", "tcp", Some(443), None).unwrap());
    assert_eq!(r.verdict.to_string(), "delivered", "{}\n{report}", vpcraft::sim::render_text(&r));
    let via_own_table = r.forward.iter().any(|h| h.component.id == "rtb-nat");
    assert!(via_own_table, "{}", vpcraft::sim::render_text(&r));
}
