//! Hub-and-spoke inspection through every importer and exporter (issue 15): Gateway Load
//! Balancers, their target groups (GENEVE 6081), endpoint services and GWLB endpoints, edge
//! route table associations, AWS Network Firewall (rule groups, policy, firewall, endpoint
//! routes), read from Terraform (tests/fixtures/terraform/hub, written for the project) and from
//! `describe-*` snapshots, and written back as CloudFormation and Terraform that read back to
//! a design tracing the same way.

use serde_json::{json, Value};
use std::path::Path;
use vpcraft::io::cfn_import::{import_text, CfnImportOptions};
use vpcraft::io::export::cloudformation::to_cloudformation;
use vpcraft::io::export::terraform::to_terraform;
use vpcraft::io::snapshot::files::Document;
use vpcraft::io::snapshot::{import_documents, SnapshotOptions};
use vpcraft::io::terraform::{import_dir, TerraformOptions};
use vpcraft::model::*;
use vpcraft::sim::{render_text, trace, TraceRequest, TraceResult};

const REGION: &str = "eu-west-1";

fn fixture() -> Design {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/hub");
    import_dir(&dir, &TerraformOptions::default()).unwrap_or_else(|e| panic!("{e}")).0
}

/// The public address of the instance at a private one (placeholders differ by importer).
fn public_of(d: &Design, private: &str) -> String {
    let at: std::net::Ipv4Addr = private.parse().unwrap();
    let eni =
        d.network_interfaces.iter().find(|n| n.private_ips.contains(&at)).unwrap_or_else(|| panic!("no {private}"));
    if let Some(p) = eni.public_ip {
        return p.to_string();
    }
    let e = eni.eip.as_deref().and_then(|e| d.elastic_ip(e));
    e.map(|e| e.public_ip.to_string()).unwrap_or_else(|| panic!("{private} has no public address"))
}

fn go(d: &Design, from: &str, to: &str, port: u16) -> TraceResult {
    let req =
        TraceRequest::parse(d, from, to, "tcp", Some(port), None).unwrap_or_else(|e| panic!("{from} → {to}: {e}"));
    trace(d, &req)
}

/// The flows that tell the patterns apart, with the endpoints each design names.
fn flows(d: &Design) -> Vec<(String, String, u16)> {
    let web = public_of(d, "10.0.0.10");
    vec![
        ("10.0.0.10".into(), "8.8.8.8".into(), 443),
        ("internet".into(), web.clone(), 80),
        ("internet".into(), web, 22),
        ("10.20.1.10".into(), "60.1.1.1".into(), 22),
        ("10.20.1.10".into(), "60.1.1.1".into(), 443),
        ("10.20.1.10".into(), format!("s3.{REGION}.amazonaws.com"), 443),
    ]
}

/// What two traces must share: verdict, code, and the kinds and actions of every hop.
fn shape(r: &TraceResult) -> String {
    let kinds = |hops: &[vpcraft::sim::Hop]| {
        hops.iter().map(|h| format!("{}:{}", h.component.kind, h.action)).collect::<Vec<_>>().join(" ")
    };
    format!(
        "{} {}\n  forward: {}\n  return: {}",
        r.verdict,
        r.code.map_or("-", |c| c.as_str()),
        kinds(&r.forward),
        kinds(&r.return_path)
    )
}

fn kinds(r: &TraceResult) -> Vec<&str> {
    r.forward.iter().map(|h| h.component.kind.as_str()).collect()
}

#[test]
fn terraform_gwlb_endpoint_edge_association_and_firewall_import() {
    let d = fixture();
    let lb = d.load_balancers.iter().find(|l| l.name == "aws_lb.inspection").unwrap();
    assert_eq!((lb.kind, lb.scheme), (LoadBalancerKind::Gateway, LoadBalancerScheme::Internal));
    let tg = d.target_groups.iter().find(|t| t.name == "aws_lb_target_group.appliances").unwrap();
    assert_eq!((tg.protocol, tg.port, tg.targets.len()), (Protocol::Udp, 6081, 1), "B1: GENEVE on 6081");
    let svc = &d.endpoint_services[0];
    assert_eq!(svc.load_balancers, vec![lb.id.clone()], "gateway_load_balancer_arns");
    let ep = d.endpoints.iter().find(|e| e.kind == EndpointKind::GatewayLoadBalancer).unwrap();
    assert_eq!((ep.interfaces.len(), ep.state), (1, EndpointState::Available));
    let igw = d.internet_gateways.iter().find(|g| g.name == "aws_internet_gateway.app").unwrap();
    let edge = d.route_tables.iter().find(|t| t.name == "aws_route_table.edge").unwrap();
    assert_eq!(edge.gateways, vec![igw.id.clone()], "R10: the association with gateway_id");
    let fw = &d.network_firewalls[0];
    assert_eq!(fw.endpoints.len(), 1);
    assert_eq!(d.firewall_policies[0].id, fw.policy);
    assert_eq!(d.firewall_policies[0].stateless_groups.len(), 1);
    let work = d.route_tables.iter().find(|t| t.name == "aws_route_table.work").unwrap();
    assert_eq!(
        work.routes.iter().find(|r| r.destination.to_string() == "0.0.0.0/0").map(|r| &r.target),
        Some(&RouteTarget::GatewayEndpoint(fw.endpoints[0].id.clone())),
        "the firewall_status idiom picks the endpoint"
    );
    let g = d.firewall_rule_groups.iter().find(|g| g.kind == RuleGroupKind::Stateful).unwrap();
    assert_eq!(g.home_net, vec!["10.0.0.0/8".parse::<ipnet::IpNet>().unwrap()], "ip_sets HOME_NET");
}

#[test]
fn terraform_fixture_traces_as_written() {
    let d = fixture();
    let web = public_of(&d, "10.0.0.10");
    let r = go(&d, "internet", &web, 80);
    assert_eq!(r.verdict.to_string(), "delivered", "{}", render_text(&r));
    let k = kinds(&r);
    let at = |kind: &str| k.iter().position(|x| *x == kind).unwrap_or_else(|| panic!("{kind}: {}", render_text(&r)));
    assert!(at("route-table") < at("vpc-endpoint") && at("vpc-endpoint") < at("load-balancer"), "{}", render_text(&r));
    let r = go(&d, "10.20.1.10", "60.1.1.1", 22);
    assert_eq!(r.code.map(|c| c.as_str()), Some("FIREWALL_RULES_RESTRICTION"), "{}", render_text(&r));
    let r = go(&d, "10.20.1.10", &format!("s3.{REGION}.amazonaws.com"), 443);
    assert_eq!(r.verdict.to_string(), "delivered", "{}", render_text(&r));
    assert!(kinds(&r).contains(&"nat-gateway"), "{}", render_text(&r));
    let r = go(&d, "10.20.1.10", "60.1.1.1", 443);
    assert_eq!(r.code.map(|c| c.as_str()), Some("FIREWALL_RULES_RESTRICTION"), "F4: {}", render_text(&r));
}

fn same_traces(what: &str, a: &Design, b: &Design) {
    let mut bad = Vec::new();
    for ((fa, ta, p), (fb, tb, _)) in flows(a).into_iter().zip(flows(b)) {
        let (ra, rb) = (go(a, &fa, &ta, p), go(b, &fb, &tb, p));
        if shape(&ra) != shape(&rb) {
            bad.push(format!("{fa} → {ta}:{p}\n  before: {}\n  after:  {}", shape(&ra), shape(&rb)));
        }
    }
    assert!(bad.is_empty(), "{what} changed traces:\n{}", bad.join("\n"));
}

#[test]
fn cloudformation_export_reads_back_and_traces_the_same() {
    let d = fixture();
    let out = to_cloudformation(&d);
    assert!(!out.notes.iter().any(|n| n.contains("Network Firewall")), "exported now: {:?}", out.notes);
    let json: Value = serde_json::from_str(&out.text).unwrap();
    let types: Vec<&str> = json["Resources"].as_object().unwrap().values().filter_map(|r| r["Type"].as_str()).collect();
    for t in [
        "AWS::NetworkFirewall::Firewall",
        "AWS::NetworkFirewall::FirewallPolicy",
        "AWS::NetworkFirewall::RuleGroup",
        "AWS::EC2::GatewayRouteTableAssociation",
        "AWS::EC2::VPCEndpointService",
    ] {
        assert!(types.contains(&t), "{t} missing: {types:?}");
    }
    let opts = CfnImportOptions { region: Some(REGION.into()), params: Default::default() };
    let (back, _) = import_text(&out.text, Path::new("hub.json"), &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.network_firewalls.len(), 1);
    assert_eq!(back.firewall_rule_groups.len(), 2);
    let (a, b) = (&d.firewall_rule_groups, &back.firewall_rule_groups);
    let rules = |v: &[FirewallRuleGroup]| {
        let mut x: Vec<_> =
            v.iter().map(|g| (g.stateless_rules.clone(), g.domain_list.clone(), g.home_net.clone())).collect();
        x.sort_by_key(|r| format!("{r:?}"));
        x
    };
    assert_eq!(rules(a), rules(b), "rule groups survive");
    same_traces("CloudFormation", &d, &back);
}

#[test]
fn terraform_export_reads_back_and_traces_the_same() {
    let d = fixture();
    let out = to_terraform(&d);
    assert!(!out.notes.iter().any(|n| n.contains("Network Firewall")), "exported now: {:?}", out.notes);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), &out.text).unwrap();
    let opts = TerraformOptions { region: Some(REGION.into()), ..Default::default() };
    let (back, _) = import_dir(dir.path(), &opts).unwrap_or_else(|e| panic!("{e}\n{}", out.text));
    assert_eq!(back.network_firewalls.len(), 1);
    assert_eq!(back.network_firewalls[0].endpoints.len(), 1);
    same_traces("Terraform", &d, &back);
}

#[test]
fn appliance_rules_are_noted_as_not_exported() {
    let mut d = fixture();
    d.target_groups[0].appliance.default = RuleAction::Deny;
    for notes in [to_cloudformation(&d).notes, to_terraform(&d).notes] {
        assert!(notes.iter().any(|n| n.contains("appliance rules")), "{notes:?}");
    }
}

fn doc(name: &str, json: Value) -> Document {
    Document { name: name.into(), account: None, region: Some("us-east-1".into()), json }
}

const FW: &str = "arn:aws:network-firewall:us-east-1:111122223333:firewall/egress";
const POLICY: &str = "arn:aws:network-firewall:us-east-1:111122223333:firewall-policy/egress";
const DROP_SSH: &str = "arn:aws:network-firewall:us-east-1:111122223333:stateless-rulegroup/drop-ssh";

/// One VPC: a workload subnet sending 0.0.0.0/0 to the firewall endpoint in AZ a, the firewall
/// subnets in a and b, a public subnet with a NAT gateway; the outputs of
/// `describe-firewall`, `describe-firewall-policy` and `describe-rule-group` as AWS writes them.
fn snapshot() -> Vec<Document> {
    let all_out = json!([{ "IpProtocol": "-1", "IpRanges": [{ "CidrIp": "0.0.0.0/0" }] }]);
    let route =
        |cidr: &str, key: &str, target: &str| json!({ "DestinationCidrBlock": cidr, key: target, "State": "active" });
    let local = route("10.20.0.0/16", "GatewayId", "local");
    vec![
        doc("vpcs.json", json!({ "Vpcs": [{ "VpcId": "vpc-1", "CidrBlock": "10.20.0.0/16", "State": "available" }] })),
        doc(
            "subnets.json",
            json!({ "Subnets": [
                { "SubnetId": "subnet-pub", "VpcId": "vpc-1", "CidrBlock": "10.20.0.0/24", "AvailabilityZone": "us-east-1a" },
                { "SubnetId": "subnet-work", "VpcId": "vpc-1", "CidrBlock": "10.20.1.0/24", "AvailabilityZone": "us-east-1a" },
                { "SubnetId": "subnet-fw-a", "VpcId": "vpc-1", "CidrBlock": "10.20.2.0/24", "AvailabilityZone": "us-east-1a" },
                { "SubnetId": "subnet-fw-b", "VpcId": "vpc-1", "CidrBlock": "10.20.3.0/24", "AvailabilityZone": "us-east-1b" },
            ] }),
        ),
        doc(
            "igw.json",
            json!({ "InternetGateways": [{ "InternetGatewayId": "igw-1", "Attachments": [{ "VpcId": "vpc-1", "State": "available" }] }] }),
        ),
        doc(
            "nat.json",
            json!({ "NatGateways": [{ "NatGatewayId": "nat-1", "SubnetId": "subnet-pub", "VpcId": "vpc-1", "State": "available",
                "ConnectivityType": "public",
                "NatGatewayAddresses": [{ "PrivateIp": "10.20.0.9", "PublicIp": "50.1.1.9", "AllocationId": "eipalloc-1" }] }] }),
        ),
        doc(
            "rt.json",
            json!({ "RouteTables": [
                { "RouteTableId": "rtb-work", "VpcId": "vpc-1", "Associations": [{ "SubnetId": "subnet-work" }],
                  "Routes": [local, route("0.0.0.0/0", "GatewayId", "vpce-0fwa")] },
                { "RouteTableId": "rtb-fw", "VpcId": "vpc-1",
                  "Associations": [{ "SubnetId": "subnet-fw-a" }, { "SubnetId": "subnet-fw-b" }],
                  "Routes": [local, route("0.0.0.0/0", "NatGatewayId", "nat-1")] },
                { "RouteTableId": "rtb-pub", "VpcId": "vpc-1", "Associations": [{ "SubnetId": "subnet-pub" }],
                  "Routes": [local, route("0.0.0.0/0", "GatewayId", "igw-1"), route("10.20.1.0/24", "GatewayId", "vpce-0fwa")] },
                { "RouteTableId": "rtb-main", "VpcId": "vpc-1", "Associations": [{ "Main": true }], "Routes": [local] },
            ] }),
        ),
        doc(
            "sg.json",
            json!({ "SecurityGroups": [{ "GroupId": "sg-1", "GroupName": "work", "VpcId": "vpc-1",
                "IpPermissions": [], "IpPermissionsEgress": all_out }] }),
        ),
        doc(
            "enis.json",
            json!({ "NetworkInterfaces": [
                { "NetworkInterfaceId": "eni-work", "SubnetId": "subnet-work", "VpcId": "vpc-1", "PrivateIpAddress": "10.20.1.10",
                  "Groups": [{ "GroupId": "sg-1" }], "InterfaceType": "interface",
                  "Attachment": { "InstanceId": "i-work", "DeviceIndex": 0 } },
                { "NetworkInterfaceId": "eni-fwa", "SubnetId": "subnet-fw-a", "VpcId": "vpc-1", "PrivateIpAddress": "10.20.2.77",
                  "InterfaceType": "gateway_load_balancer_endpoint", "Description": "VPC Endpoint Interface vpce-0fwa",
                  "RequesterManaged": true },
            ] }),
        ),
        doc(
            "instances.json",
            json!({ "Reservations": [{ "Instances": [{ "InstanceId": "i-work", "SubnetId": "subnet-work", "VpcId": "vpc-1",
                "PrivateIpAddress": "10.20.1.10", "State": { "Name": "running" },
                "SecurityGroups": [{ "GroupId": "sg-1" }],
                "NetworkInterfaces": [{ "NetworkInterfaceId": "eni-work", "SubnetId": "subnet-work", "PrivateIpAddress": "10.20.1.10",
                  "Groups": [{ "GroupId": "sg-1" }], "Attachment": { "DeviceIndex": 0 } }],
                "Tags": [{ "Key": "Name", "Value": "worker" }] }] }] }),
        ),
        doc(
            "describe-firewall.json",
            json!({ "UpdateToken": "t", "Firewall": { "FirewallName": "egress", "FirewallArn": FW, "FirewallPolicyArn": POLICY,
                    "VpcId": "vpc-1", "SubnetMappings": [{ "SubnetId": "subnet-fw-a" }, { "SubnetId": "subnet-fw-b" }] },
                "FirewallStatus": { "Status": "READY", "SyncStates": {
                    "us-east-1b": { "Attachment": { "SubnetId": "subnet-fw-b", "EndpointId": "vpce-0fwb", "Status": "READY" } },
                    "us-east-1a": { "Attachment": { "SubnetId": "subnet-fw-a", "EndpointId": "vpce-0fwa", "Status": "READY" } },
                } } }),
        ),
        doc(
            "describe-firewall-policy.json",
            json!({ "UpdateToken": "t",
                "FirewallPolicyResponse": { "FirewallPolicyName": "egress", "FirewallPolicyArn": POLICY },
                "FirewallPolicy": {
                    "StatelessRuleGroupReferences": [
                        { "ResourceArn": DROP_SSH, "Priority": 1 },
                        { "ResourceArn": "arn:aws:network-firewall:us-east-1:111122223333:stateless-rulegroup/gone", "Priority": 2 },
                    ],
                    "StatelessDefaultActions": ["aws:forward_to_sfe"],
                    "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"] } }),
        ),
        doc(
            "describe-rule-group.json",
            json!({ "UpdateToken": "t",
                "RuleGroupResponse": { "RuleGroupArn": DROP_SSH, "RuleGroupName": "drop-ssh", "Type": "STATELESS", "Capacity": 10 },
                "RuleGroup": { "RulesSource": { "StatelessRulesAndCustomActions": { "StatelessRules": [
                    { "Priority": 10, "RuleDefinition": { "Actions": ["aws:drop"],
                      "MatchAttributes": { "Protocols": [6], "DestinationPorts": [{ "FromPort": 22, "ToPort": 22 }] } } } ] } } } }),
        ),
    ]
}

#[test]
fn snapshot_network_firewall_from_describe_outputs() {
    let (d, report) = import_documents("fw", "test", &snapshot(), &SnapshotOptions::default());
    let fw = &d.network_firewalls[0];
    assert_eq!((fw.id.as_str(), fw.name.as_str(), fw.policy.as_str()), (FW, "egress", POLICY));
    let eps: Vec<(&str, &str)> = fw.endpoints.iter().map(|e| (e.id.as_str(), e.subnet.as_str())).collect();
    assert_eq!(eps, vec![("vpce-0fwa", "subnet-fw-a"), ("vpce-0fwb", "subnet-fw-b")], "SubnetMappings order");
    assert_eq!(fw.endpoints[0].ip.to_string(), "10.20.2.77", "the endpoint interface's address");
    assert!(!fw.endpoints[0].placeholder && fw.endpoints[1].placeholder);
    assert_eq!(d.firewall_policies[0].stateless_groups.len(), 1, "the missing group is left out");
    assert!(report.mentions("stateless-rulegroup/gone"), "and reported");
    let r = go(&d, "worker", "60.1.1.1", 22);
    assert_eq!(r.code.map(|c| c.as_str()), Some("FIREWALL_RULES_RESTRICTION"), "{}", render_text(&r));
    let r = go(&d, "worker", "60.1.1.1", 443);
    assert_eq!(r.verdict.to_string(), "delivered", "{}", render_text(&r));
    assert!(kinds(&r).contains(&"network-firewall") && kinds(&r).contains(&"nat-gateway"), "{}", render_text(&r));
}

const GWLB: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/inspection/0123456789abcdef";
const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/appliances/0123456789abcdef";

/// The VPC guide's ingress routing example as `describe-*` outputs: a web server behind a GWLB
/// endpoint whose service fronts a Gateway Load Balancer in a security VPC, the IGW's edge
/// table (`Associations` with a `GatewayId`), routes to `vpce-…` as `GatewayId`, the
/// appliance registered through `describe-target-health` (with its target group beside it),
/// and a transit gateway attachment with appliance mode.
fn gwlb_snapshot() -> Vec<Document> {
    let all = |cidr: &str| json!([{ "IpProtocol": "-1", "IpRanges": [{ "CidrIp": cidr }] }]);
    let route =
        |cidr: &str, key: &str, target: &str| json!({ "DestinationCidrBlock": cidr, key: target, "State": "active" });
    let local = |cidr: &str| route(cidr, "GatewayId", "local");
    let eni = |id: &str, subnet: &str, vpc: &str, ip: &str, group: Value, instance: Option<&str>| {
        let mut e = json!({ "NetworkInterfaceId": id, "SubnetId": subnet, "VpcId": vpc, "PrivateIpAddress": ip,
            "Groups": group, "InterfaceType": "interface" });
        if let Some(i) = instance {
            e["Attachment"] = json!({ "InstanceId": i, "DeviceIndex": 0 });
        }
        e
    };
    let instance = |id: &str, name: &str, subnet: &str, vpc: &str, ip: &str, eni: &str, group: &str| {
        json!({ "InstanceId": id, "SubnetId": subnet, "VpcId": vpc, "PrivateIpAddress": ip, "State": { "Name": "running" },
            "SecurityGroups": [{ "GroupId": group }], "Tags": [{ "Key": "Name", "Value": name }],
            "NetworkInterfaces": [{ "NetworkInterfaceId": eni, "SubnetId": subnet, "PrivateIpAddress": ip,
                "Groups": [{ "GroupId": group }], "Attachment": { "DeviceIndex": 0 } }] })
    };
    let mut web_eni =
        eni("eni-web", "subnet-web", "vpc-app", "10.0.0.10", json!([{ "GroupId": "sg-web" }]), Some("i-web"));
    web_eni["Association"] = json!({ "PublicIp": "50.1.1.1" });
    vec![
        doc(
            "vpcs.json",
            json!({ "Vpcs": [
            { "VpcId": "vpc-app", "CidrBlock": "10.0.0.0/16", "State": "available" },
            { "VpcId": "vpc-sec", "CidrBlock": "10.9.0.0/16", "State": "available" },
        ] }),
        ),
        doc(
            "subnets.json",
            json!({ "Subnets": [
            { "SubnetId": "subnet-web", "VpcId": "vpc-app", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a" },
            { "SubnetId": "subnet-gwlbe", "VpcId": "vpc-app", "CidrBlock": "10.0.2.0/24", "AvailabilityZone": "us-east-1a" },
            { "SubnetId": "subnet-appl", "VpcId": "vpc-sec", "CidrBlock": "10.9.1.0/24", "AvailabilityZone": "us-east-1a" },
        ] }),
        ),
        doc(
            "igw.json",
            json!({ "InternetGateways": [{ "InternetGatewayId": "igw-1",
            "Attachments": [{ "VpcId": "vpc-app", "State": "available" }] }] }),
        ),
        doc(
            "rt.json",
            json!({ "RouteTables": [
            { "RouteTableId": "rtb-web", "VpcId": "vpc-app", "Associations": [{ "SubnetId": "subnet-web" }],
              "Routes": [local("10.0.0.0/16"), route("0.0.0.0/0", "GatewayId", "vpce-0gwlbe")] },
            { "RouteTableId": "rtb-gwlbe", "VpcId": "vpc-app", "Associations": [{ "SubnetId": "subnet-gwlbe" }],
              "Routes": [local("10.0.0.0/16"), route("0.0.0.0/0", "GatewayId", "igw-1")] },
            { "RouteTableId": "rtb-edge", "VpcId": "vpc-app", "Associations": [{ "GatewayId": "igw-1" }],
              "Routes": [local("10.0.0.0/16"), route("10.0.0.0/24", "GatewayId", "vpce-0gwlbe")] },
            { "RouteTableId": "rtb-sec", "VpcId": "vpc-sec", "Associations": [{ "Main": true }], "Routes": [local("10.9.0.0/16")] },
        ] }),
        ),
        doc(
            "sg.json",
            json!({ "SecurityGroups": [
            { "GroupId": "sg-web", "GroupName": "web", "VpcId": "vpc-app", "IpPermissionsEgress": all("0.0.0.0/0"),
              "IpPermissions": [{ "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{ "CidrIp": "0.0.0.0/0" }] }] },
            { "GroupId": "sg-geneve", "GroupName": "geneve", "VpcId": "vpc-sec", "IpPermissionsEgress": all("0.0.0.0/0"),
              "IpPermissions": [{ "IpProtocol": "udp", "FromPort": 6081, "ToPort": 6081, "IpRanges": [{ "CidrIp": "10.9.0.0/16" }] }] },
        ] }),
        ),
        doc(
            "enis.json",
            json!({ "NetworkInterfaces": [
            web_eni,
            eni("eni-appl", "subnet-appl", "vpc-sec", "10.9.1.10", json!([{ "GroupId": "sg-geneve" }]), Some("i-appl")),
            { "NetworkInterfaceId": "eni-gwlbe", "SubnetId": "subnet-gwlbe", "VpcId": "vpc-app", "PrivateIpAddress": "10.0.2.10",
              "InterfaceType": "gateway_load_balancer_endpoint", "Description": "VPC Endpoint Interface vpce-0gwlbe",
              "RequesterManaged": true },
            { "NetworkInterfaceId": "eni-gwlb", "SubnetId": "subnet-appl", "VpcId": "vpc-sec", "PrivateIpAddress": "10.9.1.5",
              "InterfaceType": "gateway_load_balancer", "Description": "ELB gwy/inspection/0123456789abcdef",
              "RequesterManaged": true },
        ] }),
        ),
        doc(
            "instances.json",
            json!({ "Reservations": [{ "Instances": [
            instance("i-web", "web1", "subnet-web", "vpc-app", "10.0.0.10", "eni-web", "sg-web"),
            instance("i-appl", "firewall1", "subnet-appl", "vpc-sec", "10.9.1.10", "eni-appl", "sg-geneve"),
        ] }] }),
        ),
        doc(
            "lbs.json",
            json!({ "LoadBalancers": [{ "LoadBalancerArn": GWLB, "LoadBalancerName": "inspection", "Type": "gateway",
            "Scheme": "internal", "VpcId": "vpc-sec", "State": { "Code": "active" },
            "AvailabilityZones": [{ "ZoneName": "us-east-1a", "SubnetId": "subnet-appl" }] }] }),
        ),
        doc(
            "tgs.json",
            json!({ "TargetGroups": [{ "TargetGroupArn": TG, "TargetGroupName": "appliances", "Protocol": "GENEVE",
            "Port": 6081, "VpcId": "vpc-sec", "TargetType": "instance", "LoadBalancerArns": [GWLB] }] }),
        ),
        doc(
            "health.json",
            json!({ "TargetGroupArn": TG, "TargetHealthDescriptions": [
            { "Target": { "Id": "i-appl", "Port": 6081 }, "TargetHealth": { "State": "healthy" } }] }),
        ),
        doc(
            "listeners.json",
            json!({ "Listeners": [{ "ListenerArn": format!("{GWLB}/l1"), "LoadBalancerArn": GWLB,
            "DefaultActions": [{ "Type": "forward", "TargetGroupArn": TG }] }] }),
        ),
        doc(
            "svc.json",
            json!({ "ServiceConfigurations": [{ "ServiceId": "vpce-svc-1", "ServiceType": [{ "ServiceType": "GatewayLoadBalancer" }],
            "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-1", "AcceptanceRequired": false,
            "GatewayLoadBalancerArns": [GWLB] }] }),
        ),
        doc(
            "vpce.json",
            json!({ "VpcEndpoints": [{ "VpcEndpointId": "vpce-0gwlbe", "VpcEndpointType": "GatewayLoadBalancer",
            "VpcId": "vpc-app", "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-1", "State": "available",
            "SubnetIds": ["subnet-gwlbe"], "NetworkInterfaceIds": ["eni-gwlbe"] }] }),
        ),
    ]
}

#[test]
fn snapshot_gwlb_endpoint_service_edge_association_and_targets() {
    let mut docs = gwlb_snapshot();
    docs.push(doc(
        "tgw.json",
        json!({ "TransitGateways": [{ "TransitGatewayId": "tgw-1", "State": "available",
        "Options": { "DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable" } }] }),
    ));
    docs.push(doc(
        "tgw-vpc.json",
        json!({ "TransitGatewayVpcAttachments": [{ "TransitGatewayAttachmentId": "tgw-attach-sec",
        "TransitGatewayId": "tgw-1", "VpcId": "vpc-sec", "SubnetIds": ["subnet-appl"], "State": "available",
        "Options": { "ApplianceModeSupport": "enable" } }] }),
    ));
    let (d, report) = import_documents("gwlb", "test", &docs, &SnapshotOptions::default());
    assert!(d.tgw_attachments[0].appliance_mode, "T9: Options.ApplianceModeSupport");
    let lb = &d.load_balancers[0];
    assert_eq!((lb.kind, lb.nodes[0].private_ip.to_string()), (LoadBalancerKind::Gateway, "10.9.1.5".into()));
    let tg = &d.target_groups[0];
    assert_eq!((tg.protocol, tg.port), (Protocol::Udp, 6081));
    assert_eq!(tg.targets.len(), 1, "from describe-target-health: {report}");
    assert_eq!(d.endpoint_services[0].load_balancers, vec![lb.id.clone()]);
    let ep = &d.endpoints[0];
    assert_eq!((ep.kind, ep.interfaces[0].ip.to_string()), (EndpointKind::GatewayLoadBalancer, "10.0.2.10".into()));
    assert_eq!(d.route_table("rtb-edge").unwrap().gateways, vec!["igw-1".to_string()]);
    let r = go(&d, "internet", "50.1.1.1", 80);
    assert_eq!(r.verdict.to_string(), "delivered", "{}", render_text(&r));
    let k = kinds(&r);
    for kind in ["vpc-endpoint", "load-balancer"] {
        assert!(k.contains(&kind), "{kind}: {}", render_text(&r));
    }
    assert!(r.forward.iter().any(|h| h.component.name == "firewall1"), "the appliance: {}", render_text(&r));
}

/// `terraform show -json` of an applied firewall: its real ARN ids and the endpoint AWS made,
/// in `firewall_status[0].sync_states`, which a route names by its real `vpce-…` id.
#[test]
fn terraform_state_firewall_uses_the_real_endpoint() {
    let res = |ty: &str, name: &str, values: Value| json!({ "address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name, "values": values });
    let fw_arn = "arn:aws:network-firewall:eu-west-1:111122223333:firewall/egress";
    let fwp_arn = "arn:aws:network-firewall:eu-west-1:111122223333:firewall-policy/egress";
    let rg_arn = "arn:aws:network-firewall:eu-west-1:111122223333:stateless-rulegroup/drop-ssh";
    let state = json!({ "format_version": "1.0", "values": { "root_module": { "resources": [
        res("aws_vpc", "egress", json!({ "id": "vpc-0e", "cidr_block": "10.20.0.0/16", "enable_dns_support": true })),
        res("aws_subnet", "work", json!({ "id": "subnet-0w", "vpc_id": "vpc-0e", "cidr_block": "10.20.1.0/24", "availability_zone": "eu-west-1a" })),
        res("aws_subnet", "fw", json!({ "id": "subnet-0f", "vpc_id": "vpc-0e", "cidr_block": "10.20.2.0/24", "availability_zone": "eu-west-1a" })),
        res("aws_networkfirewall_rule_group", "drop_ssh", json!({ "id": rg_arn, "arn": rg_arn, "name": "drop-ssh",
            "type": "STATELESS", "capacity": 10, "rule_group": [{ "rules_source": [{ "stateless_rules_and_custom_actions": [{
                "stateless_rule": [{ "priority": 10, "rule_definition": [{ "actions": ["aws:drop"],
                    "match_attributes": [{ "protocols": [6], "destination_port": [{ "from_port": 22, "to_port": 22 }] }] }] }] }] }] }] })),
        res("aws_networkfirewall_firewall_policy", "egress", json!({ "id": fwp_arn, "arn": fwp_arn, "name": "egress",
            "firewall_policy": [{ "stateless_default_actions": ["aws:pass"], "stateless_fragment_default_actions": ["aws:pass"],
                "stateless_rule_group_reference": [{ "priority": 1, "resource_arn": rg_arn }] }] })),
        res("aws_networkfirewall_firewall", "egress", json!({ "id": fw_arn, "arn": fw_arn, "name": "egress",
            "firewall_policy_arn": fwp_arn, "vpc_id": "vpc-0e", "subnet_mapping": [{ "subnet_id": "subnet-0f" }],
            "firewall_status": [{ "sync_states": [{ "availability_zone": "eu-west-1a",
                "attachment": [{ "endpoint_id": "vpce-0realfw", "subnet_id": "subnet-0f", "status": "READY" }] }] }] })),
        res("aws_route_table", "work", json!({ "id": "rtb-0w", "vpc_id": "vpc-0e",
            "route": [{ "cidr_block": "0.0.0.0/0", "vpc_endpoint_id": "vpce-0realfw" }] })),
        res("aws_route_table_association", "work", json!({ "id": "rtbassoc-1", "route_table_id": "rtb-0w", "subnet_id": "subnet-0w" })),
        res("aws_instance", "worker", json!({ "id": "i-0w", "subnet_id": "subnet-0w", "private_ip": "10.20.1.10",
            "tags": { "Name": "worker" } })),
    ] } } });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, state.to_string()).unwrap();
    let (d, report) =
        vpcraft::io::terraform::import_show_json(&path, &TerraformOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let fw = &d.network_firewalls[0];
    assert_eq!((fw.id.as_str(), fw.policy.as_str()), (fw_arn, fwp_arn), "{report}");
    assert_eq!(fw.endpoints[0].id, "vpce-0realfw");
    assert_eq!(d.firewall_policies[0].stateless_groups[0].group, rg_arn);
    let r = go(&d, "worker", "60.1.1.1", 22);
    assert_eq!(r.code.map(|c| c.as_str()), Some("FIREWALL_RULES_RESTRICTION"), "{}", render_text(&r));
}

/// R2 allows a route more specific than local to a Gateway Load Balancer endpoint (AWS's
/// ingress-routing pattern: the IGW's edge table sends the web subnet's CIDR to the GWLB
/// endpoint, and the endpoint's subnet returns through it): `check` must not call it an error.
#[test]
fn a_subnet_route_to_a_gwlb_endpoint_is_allowed_by_r2() {
    let d = fixture();
    let more_specific: Vec<_> = vpcraft::sim::checks::check_design(&d)
        .into_iter()
        .filter(|f| f.code == vpcraft::sim::checks::FindingCode::RouteMoreSpecificThanLocal)
        .collect();
    assert!(more_specific.is_empty(), "{more_specific:#?}");
    // The rule itself: a GWLB endpoint is a middlebox target, a gateway endpoint of S3 is not.
    let gwlbe = d.endpoints.iter().find(|e| e.kind == EndpointKind::GatewayLoadBalancer).expect("a GWLB endpoint");
    assert!(d.is_middlebox_target(&RouteTarget::GatewayEndpoint(gwlbe.id.clone())));
    assert!(!d.is_middlebox_target(&RouteTarget::InternetGateway("igw-1".into())));
}
