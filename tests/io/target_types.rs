//! Target groups of type `lambda` (M10) and `alb` (M11) through CloudFormation and Terraform,
//! both ways, and through the design file: an ALB invoking a Lambda function in a VPC, and an
//! NLB whose alb target group forwards to an ALB in front of an instance.

use std::path::Path;
use std::process::Command;
use vpcraft::io::cfn_import::{import_text, CfnImportOptions};
use vpcraft::model::*;
use vpcraft::sim::{TraceIndex, TraceRequest, TraceResult};

const TEMPLATE: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
  PublicA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: ap-northeast-2a }
  PublicC:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: ap-northeast-2c }
  PrivateA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: ap-northeast-2a }
  PublicRt:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  DefaultRoute:
    Type: AWS::EC2::Route
    DependsOn: Attach
    Properties: { RouteTableId: !Ref PublicRt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw }
  PublicAAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { RouteTableId: !Ref PublicRt, SubnetId: !Ref PublicA }
  PublicCAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { RouteTableId: !Ref PublicRt, SubnetId: !Ref PublicC }
  AlbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: alb
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0 }]
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: !Ref AlbSg }]
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: fn, VpcId: !Ref Vpc }
  Api:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/api
      Code: { ZipFile: "def handler(e, c): pass" }
      VpcConfig: { SubnetIds: [!Ref PrivateA], SecurityGroupIds: [!Ref FnSg] }
  ApiInvoke:
    Type: AWS::Lambda::Permission
    Properties: { Action: "lambda:InvokeFunction", FunctionName: !GetAtt Api.Arn, Principal: elasticloadbalancing.amazonaws.com }
  ApiTg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    DependsOn: ApiInvoke
    Properties: { TargetType: lambda, Targets: [{ Id: !GetAtt Api.Arn }] }
  Front:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: { Type: application, Subnets: [!Ref PublicA, !Ref PublicC], SecurityGroups: [!Ref AlbSg] }
  FrontListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Front
      Port: 80
      Protocol: HTTP
      DefaultActions: [{ Type: forward, TargetGroupArn: !Ref ApiTg }]
  Web:
    Type: AWS::EC2::Instance
    Properties: { ImageId: ami-12345678, SubnetId: !Ref PrivateA, SecurityGroupIds: [!Ref WebSg], PrivateIpAddress: 10.0.1.20 }
  WebTg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: { VpcId: !Ref Vpc, Port: 8080, Protocol: HTTP, TargetType: instance, Targets: [{ Id: !Ref Web }] }
  Back:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: { Type: application, Scheme: internal, Subnets: [!Ref PublicA, !Ref PublicC], SecurityGroups: [!Ref AlbSg] }
  BackListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Back
      Port: 80
      Protocol: HTTP
      DefaultActions: [{ Type: forward, TargetGroupArn: !Ref WebTg }]
  ToBack:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    DependsOn: BackListener
    Properties: { VpcId: !Ref Vpc, Port: 80, Protocol: TCP, TargetType: alb, Targets: [{ Id: !Ref Back, Port: 80 }] }
  Edge:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: { Type: network, Subnets: [!Ref PublicA, !Ref PublicC] }
  EdgeListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Edge
      Port: 80
      Protocol: TCP
      DefaultActions: [{ Type: forward, TargetGroupArn: !Ref ToBack }]
"#;

fn opts() -> CfnImportOptions {
    CfnImportOptions { region: Some("ap-northeast-2".into()), params: Default::default() }
}

fn imported() -> Design {
    import_text(TEMPLATE, Path::new("targets.yaml"), &opts()).unwrap_or_else(|e| panic!("{e}")).0
}

fn trace(d: &Design, from: &str, to: &str, port: u16) -> TraceResult {
    let req = TraceRequest::parse(d, from, to, "tcp", Some(port), None).unwrap_or_else(|e| panic!("{e}"));
    TraceIndex::new(d).trace(&req)
}

/// Each kept-type group as `type → kind of its target (name)`, by the names imports keep.
fn groups(d: &Design) -> Vec<String> {
    let short = |n: &str| n.rsplit(['.', '-']).next().unwrap_or_default().to_ascii_lowercase();
    let mut v: Vec<String> = d
        .target_groups
        .iter()
        .filter_map(|t| {
            let ty = t.target_type?;
            let what: Vec<String> = t
                .targets
                .iter()
                .map(|x| match (d.compute_service(&x.id), d.load_balancer(&x.id)) {
                    (Some(c), _) => format!("{} {}", c.kind.label(), short(&c.name)),
                    (_, Some(l)) => format!("{:?} {}", l.kind, short(&l.name)),
                    _ => format!("unknown {}", x.id),
                })
                .collect();
            Some(format!("{} → {}", ty.api_name(), what.join(", ")))
        })
        .collect();
    v.sort();
    v
}

/// Both load balancers deliver: the internet through the ALB to the function, and through
/// the NLB and the internal ALB to the instance.
fn traces_as_meant(d: &Design) {
    let lb = |kind: LoadBalancerKind| {
        d.load_balancers.iter().find(|l| l.kind == kind && l.scheme == LoadBalancerScheme::InternetFacing)
    };
    let front = lb(LoadBalancerKind::Application).expect("the internet-facing ALB");
    let public = front.nodes[0].public_ip.expect("a public address").to_string();
    let r = trace(d, "60.1.1.1", &public, 80);
    assert!(r.delivered(), "ALB → Lambda:\n{}", vpcraft::sim::render_text(&r));
    let edge = lb(LoadBalancerKind::Network).expect("the internet-facing NLB");
    let public = edge.nodes[0].public_ip.expect("a public address").to_string();
    let r = trace(d, "60.1.1.1", &public, 80);
    assert!(r.delivered(), "NLB → ALB → instance:\n{}", vpcraft::sim::render_text(&r));
}

#[test]
fn lambda_and_alb_target_groups_import_from_cloudformation_and_trace() {
    let d = imported();
    assert_eq!(groups(&d), vec!["alb → Application back".to_string(), "lambda → Lambda function api".to_string()]);
    traces_as_meant(&d);
}

#[test]
fn lambda_and_alb_target_groups_round_trip_through_cloudformation() {
    let d = imported();
    let text = vpcraft::io::export::cloudformation::to_cloudformation(&d).text;
    assert!(text.contains("\"TargetType\": \"lambda\"") && text.contains("\"TargetType\": \"alb\""), "{text}");
    assert!(text.contains("AWS::Lambda::Permission"), "{text}");
    let (again, report) =
        import_text(&text, Path::new("again.json"), &opts()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(groups(&again), groups(&d), "{report}\n{text}");
    traces_as_meant(&again);
    // cfn-lint takes the export.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("targets.json");
    std::fs::write(&p, &text).unwrap();
    if Command::new("cfn-lint").arg("--version").output().is_ok_and(|o| o.status.success()) {
        // Warnings about the rest of this template, not its target groups: W1030, the Lambda
        // function's role is a parameter with an empty default; W3010, the subnets' zones are
        // written out (the template names them).
        let out = Command::new("cfn-lint").args(["--ignore-checks", "W1030", "W3010", "--"]).arg(&p).output().unwrap();
        assert!(
            out.status.success(),
            "cfn-lint:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        crate::common::skip_unless_ci("cfn-lint is not on PATH (pip install cfn-lint)");
    }
}

#[test]
fn lambda_and_alb_target_groups_round_trip_through_terraform() {
    let d = imported();
    let out = vpcraft::io::export::terraform::to_terraform(&d);
    assert!(
        out.text.contains("target_type = \"lambda\"") && out.text.contains("target_type = \"alb\""),
        "{}",
        out.text
    );
    assert!(out.text.contains("aws_lambda_permission"), "{}", out.text);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), &out.text).unwrap();
    let topts =
        vpcraft::io::terraform::TerraformOptions { region: Some("ap-northeast-2".into()), ..Default::default() };
    let (again, report) =
        vpcraft::io::terraform::import_dir(dir.path(), &topts).unwrap_or_else(|e| panic!("{e}\n{}", out.text));
    assert_eq!(groups(&again), groups(&d), "{report}\n{}", out.text);
    traces_as_meant(&again);
}

#[test]
fn lambda_and_alb_groups_survive_the_design_file_and_bad_ones_are_refused_with_a_position() {
    let d = imported();
    let text = vpcraft::io::native::to_string(&d).unwrap();
    assert!(text.contains("target_type: Some(Lambda)") || text.contains("target_type: Lambda"), "{text}");
    let back = vpcraft::io::native::load_str(&text, Path::new("d.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.target_groups, d.target_groups);
    // A lambda group naming the instance: refused at the group, citing M10.
    let web = d.instances.iter().find(|i| i.name.contains("Web")).map(|i| i.id.clone()).expect("the instance");
    let api = d.compute_services[0].id.clone();
    let mut file: Design = d.clone();
    for t in file.target_groups.iter_mut().filter(|t| t.target_type == Some(TargetType::Lambda)) {
        t.targets = vec![Target { id: web.clone(), port: None }];
    }
    let bad = vpcraft::io::native::to_string(&file).unwrap();
    assert!(bad.contains(&api) && bad != text);
    let e = vpcraft::io::native::load_str(&bad, Path::new("d.ron")).expect_err("a lambda group with an instance");
    let e = e.to_string();
    assert!(e.starts_with("d.ron:") && e.contains("M10"), "{e}");
    // An alb group behind an ALB's listener: refused at the load balancer, citing M11.
    let mut file: Design = d.clone();
    let alb_group = file.target_groups.iter().find(|t| t.target_type == Some(TargetType::Alb)).map(|t| t.id.clone());
    let front = file
        .load_balancers
        .iter_mut()
        .find(|l| l.kind == LoadBalancerKind::Application && l.scheme == LoadBalancerScheme::InternetFacing)
        .expect("the internet-facing ALB");
    let front_id = front.id.clone();
    front.listeners[0].target_group = alb_group;
    let bad = vpcraft::io::native::to_string(&file).unwrap();
    let e = vpcraft::io::native::load_str(&bad, Path::new("d.ron")).expect_err("an alb group on an ALB").to_string();
    assert!(e.starts_with("d.ron:") && e.contains("M11") && e.contains(&front_id), "{e}");
}

/// A lambda group whose function is not in the configuration (another stack's ARN) cannot be
/// followed: it is skipped with a note, and the listener that forwarded to it forwards to nothing.
#[test]
fn a_terraform_lambda_group_whose_function_is_elsewhere_is_skipped_and_forgotten() {
    let d = imported();
    let text = vpcraft::io::export::terraform::to_terraform(&d).text;
    let re = regex::Regex::new(r"target_id\s*=\s*aws_lambda_function\.[A-Za-z0-9_-]+\.arn").unwrap();
    assert!(re.is_match(&text), "{text}");
    let text = re.replace_all(&text, r#"target_id = "arn:aws:lambda:ap-northeast-2:123456789012:function:elsewhere""#);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), text.as_ref()).unwrap();
    let topts =
        vpcraft::io::terraform::TerraformOptions { region: Some("ap-northeast-2".into()), ..Default::default() };
    let (again, report) = vpcraft::io::terraform::import_dir(dir.path(), &topts).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.mentions("whose function is not a Lambda function in a VPC of the configuration"), "{report}");
    assert_eq!(groups(&again), vec!["alb → Application back".to_string()], "{report}");
    let known: Vec<&str> = again.target_groups.iter().map(|t| t.id.as_str()).collect();
    for l in again.load_balancers.iter().flat_map(|lb| &lb.listeners) {
        assert!(l.target_group.as_deref().is_none_or(|t| known.contains(&t)), "a listener names a removed group");
    }
}
