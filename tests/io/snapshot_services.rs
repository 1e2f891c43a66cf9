//! Managed services in a snapshot (issue #19): from `describe-db-instances` where present,
//! else from the interfaces they own, with the snapshot's real addresses.

use serde_json::{json, Value};
use vpcraft::io::snapshot::files::Document;
use vpcraft::io::snapshot::{import_documents, SnapshotOptions};
use vpcraft::model::*;
use vpcraft::sim::{TraceIndex, TraceRequest, TraceResult};

fn doc(name: &str, json: Value) -> Document {
    Document { name: name.into(), account: None, region: Some("us-west-2".into()), json }
}

fn eni(id: &str, subnet: &str, ip: &str, public: Option<&str>, group: &str, desc: &str) -> Value {
    let mut e = json!({
        "NetworkInterfaceId": id, "SubnetId": subnet, "VpcId": "vpc-1", "PrivateIpAddress": ip,
        "Groups": [{ "GroupId": group }], "Description": desc, "RequesterManaged": true,
        "InterfaceType": "interface",
    });
    if let Some(p) = public {
        e["Association"] = json!({ "PublicIp": p, "IpOwnerId": "amazon" });
    }
    e
}

fn snapshot() -> Vec<Document> {
    let open = |port: u16| json!({ "IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{ "CidrIp": "0.0.0.0/0" }] });
    vec![
        doc("Vpcs.json", json!({ "Vpcs": [{ "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "State": "available" }] })),
        doc(
            "Subnets.json",
            json!({ "Subnets": [
                { "SubnetId": "subnet-a", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-west-2a" },
                { "SubnetId": "subnet-b", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-west-2b" },
            ] }),
        ),
        doc(
            "InternetGateways.json",
            json!({ "InternetGateways": [{ "InternetGatewayId": "igw-1", "Attachments": [{ "VpcId": "vpc-1", "State": "available" }] }] }),
        ),
        doc(
            "RouteTables.json",
            json!({ "RouteTables": [{
                "RouteTableId": "rtb-1", "VpcId": "vpc-1",
                "Associations": [{ "Main": true }],
                "Routes": [
                    { "DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active" },
                    { "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active" },
                ],
            }] }),
        ),
        doc(
            "SecurityGroups.json",
            json!({ "SecurityGroups": [
                { "GroupId": "sg-db", "GroupName": "db", "VpcId": "vpc-1", "IpPermissions": [open(5432), open(6379)],
                  "IpPermissionsEgress": [{ "IpProtocol": "-1", "IpRanges": [{ "CidrIp": "0.0.0.0/0" }] }] },
                { "GroupId": "sg-fn", "GroupName": "fn", "VpcId": "vpc-1", "IpPermissions": [],
                  "IpPermissionsEgress": [{ "IpProtocol": "-1", "IpRanges": [{ "CidrIp": "0.0.0.0/0" }] }] },
            ] }),
        ),
        doc(
            "NetworkInterfaces.json",
            json!({ "NetworkInterfaces": [
                eni("eni-rds", "subnet-a", "10.0.0.50", Some("54.1.1.50"), "sg-db", "RDSNetworkInterface"),
                eni("eni-cache", "subnet-b", "10.0.1.60", None, "sg-db", "ElastiCache sessions-001"),
                eni("eni-fn-a", "subnet-a", "10.0.0.70", None, "sg-fn", "AWS Lambda VPC ENI-thumbnailer-0f1e2d3c-aaaa-bbbb-cccc-0123456789ab"),
                eni("eni-fn-b", "subnet-b", "10.0.1.70", None, "sg-fn", "AWS Lambda VPC ENI-thumbnailer-1f1e2d3c-aaaa-bbbb-cccc-0123456789ab"),
            ] }),
        ),
        doc(
            "RdsInstances.json",
            json!({ "DBInstances": [{
                "DBInstanceIdentifier": "orders", "Engine": "postgres", "PubliclyAccessible": true,
                "AvailabilityZone": "us-west-2a", "MultiAZ": false,
                "Endpoint": { "Address": "orders.abcdefghijkl.us-west-2.rds.amazonaws.com", "Port": 5432 },
                "VpcSecurityGroups": [{ "VpcSecurityGroupId": "sg-db", "Status": "active" }],
                "DBSubnetGroup": { "DBSubnetGroupName": "orders-subnets", "VpcId": "vpc-1", "Subnets": [
                    { "SubnetIdentifier": "subnet-a", "SubnetAvailabilityZone": { "Name": "us-west-2a" } },
                    { "SubnetIdentifier": "subnet-b", "SubnetAvailabilityZone": { "Name": "us-west-2b" } },
                ] },
            }] }),
        ),
    ]
}

fn trace(d: &Design, from: &str, to: &str, port: u16) -> TraceResult {
    let req = TraceRequest::parse(d, from, to, "tcp", Some(port), None).unwrap_or_else(|e| panic!("{e}"));
    TraceIndex::new(d).trace(&req)
}

#[test]
fn databases_come_from_describe_output_with_the_interface_they_own() {
    let (d, report) = import_documents("t", "t", &snapshot(), &SnapshotOptions::default());
    let db = d.database("db-orders").unwrap_or_else(|| panic!("{report}"));
    assert_eq!((db.port(), db.publicly_accessible, db.interfaces.len()), (5432, true, 1));
    let i = &db.interfaces[0];
    assert_eq!(
        (i.eni.as_deref(), i.ip.to_string(), i.public_ip.map(|p| p.to_string())),
        (Some("eni-rds"), "10.0.0.50".into(), Some("54.1.1.50".into()))
    );
    assert!(!i.placeholder, "the snapshot's real addresses");
    assert!(
        d.network_interfaces.iter().all(|e| !e.id.starts_with("eni-rds") && !e.id.starts_with("eni-fn")),
        "not also plain interfaces"
    );
    // Exposed at its real endpoint name.
    let r = trace(&d, "60.1.1.1", "orders.abcdefghijkl.us-west-2.rds.amazonaws.com", 5432);
    assert!(r.delivered(), "{}", vpcraft::sim::render_text(&r));
}

#[test]
fn services_without_describe_output_come_from_their_interfaces() {
    let (d, report) = import_documents("t", "t", &snapshot(), &SnapshotOptions::default());
    let f = d.compute_service("lambda-thumbnailer").unwrap_or_else(|| panic!("{report}"));
    assert_eq!(f.interfaces.len(), 2, "both shared interfaces of the function");
    let cache = d.database("db-sessions-001").unwrap_or_else(|| panic!("{report}"));
    assert_eq!((cache.service, cache.port()), (DatabaseService::ElastiCache, 6379));
    assert!(report.mentions("known from its network interfaces only"), "{report}");
    // Outbound only, and reaching the cache.
    assert_eq!(
        trace(&d, "db-orders", "lambda-thumbnailer", 443).code.map(|c| c.as_str()),
        Some("SERVICE_OUTBOUND_ONLY")
    );
    let r = trace(&d, "lambda-thumbnailer", "db-sessions-001", 6379);
    assert!(r.delivered(), "{}", vpcraft::sim::render_text(&r));
}

const ALB: &str = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/front/0123456789abcdef";
const NLB: &str = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/edge/fedcba9876543210";
const FN_TG: &str = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/fn/00000000000000aa";
const ALB_TG: &str = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/alb/00000000000000bb";
const GONE_TG: &str = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/gone/00000000000000cc";

/// The snapshot above with an internet-facing ALB invoking the function (a `lambda` group, which
/// has no VPC of its own, M10), a second lambda group whose function is not in the snapshot, and
/// a network load balancer forwarding to the ALB (an `alb` group, M11).
fn with_load_balancers() -> Vec<Document> {
    let mut docs = snapshot();
    let web = json!({ "GroupId": "sg-web", "GroupName": "web", "VpcId": "vpc-1",
        "IpPermissions": [{ "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{ "CidrIp": "0.0.0.0/0" }] }],
        "IpPermissionsEgress": [{ "IpProtocol": "-1", "IpRanges": [{ "CidrIp": "0.0.0.0/0" }] }] });
    docs.iter_mut()
        .find(|d| d.name == "SecurityGroups.json")
        .and_then(|d| d.json["SecurityGroups"].as_array_mut())
        .expect("security groups")
        .push(web);
    let zones = json!([
        { "ZoneName": "us-west-2a", "SubnetId": "subnet-a" },
        { "ZoneName": "us-west-2b", "SubnetId": "subnet-b" },
    ]);
    docs.push(doc(
        "LoadBalancers.json",
        json!({ "LoadBalancers": [
            { "LoadBalancerArn": ALB, "LoadBalancerName": "front", "Type": "application", "Scheme": "internet-facing",
              "VpcId": "vpc-1", "State": { "Code": "active" }, "AvailabilityZones": zones, "SecurityGroups": ["sg-web"] },
            { "LoadBalancerArn": NLB, "LoadBalancerName": "edge", "Type": "network", "Scheme": "internet-facing",
              "VpcId": "vpc-1", "State": { "Code": "active" }, "AvailabilityZones": zones },
        ] }),
    ));
    docs.push(doc(
        "TargetGroups.json",
        json!({ "TargetGroups": [
            { "TargetGroupArn": FN_TG, "TargetGroupName": "fn", "TargetType": "lambda" },
            { "TargetGroupArn": GONE_TG, "TargetGroupName": "gone", "TargetType": "lambda" },
            { "TargetGroupArn": ALB_TG, "TargetGroupName": "alb", "TargetType": "alb", "Protocol": "TCP", "Port": 80,
              "VpcId": "vpc-1" },
        ] }),
    ));
    let health = |tg: &str, id: &str, port: Option<u16>| {
        let mut target = json!({ "Id": id });
        if let Some(p) = port {
            target["Port"] = json!(p);
        }
        doc(
            &format!("health-{}.json", &tg[tg.len() - 2..]),
            json!({ "TargetGroupArn": tg, "TargetHealthDescriptions": [{ "Target": target }] }),
        )
    };
    docs.push(health(FN_TG, "arn:aws:lambda:us-west-2:123456789012:function:thumbnailer", None));
    docs.push(health(GONE_TG, "arn:aws:lambda:us-west-2:123456789012:function:elsewhere:live", None));
    docs.push(health(ALB_TG, ALB, Some(80)));
    let forward = |lb: &str, port: u16, proto: &str, tg: &str| {
        json!({ "ListenerArn": format!("{lb}/l{port}{proto}"), "LoadBalancerArn": lb, "Port": port, "Protocol": proto,
            "DefaultActions": [{ "Type": "forward", "TargetGroupArn": tg }] })
    };
    docs.push(doc(
        "Listeners.json",
        json!({ "Listeners": [forward(ALB, 80, "HTTP", FN_TG), forward(ALB, 81, "HTTP", GONE_TG), forward(NLB, 80, "TCP", ALB_TG)] }),
    ));
    docs
}

#[test]
fn lambda_and_alb_target_groups_keep_their_type_and_name_their_targets_by_id() {
    let (d, report) = import_documents("t", "t", &with_load_balancers(), &SnapshotOptions::default());
    let tg = |name: &str| d.target_groups.iter().find(|t| t.name == name);
    let fns = tg("fn").unwrap_or_else(|| panic!("the lambda group is imported:\n{report}"));
    assert_eq!(fns.target_type, Some(TargetType::Lambda));
    assert_eq!((fns.vpc.as_str(), fns.targets.len()), ("vpc-1", 1), "in its function's VPC");
    assert_eq!((fns.targets[0].id.as_str(), fns.targets[0].port), ("lambda-thumbnailer", None));
    let alb = d.load_balancers.iter().find(|l| l.name == "front").expect("the ALB");
    let albs = tg("alb").expect("the alb group");
    assert_eq!(albs.target_type, Some(TargetType::Alb));
    assert_eq!((albs.targets[0].id.as_str(), albs.targets[0].port), (alb.id.as_str(), None), "the ALB by its id");
    // The group whose function the snapshot does not hold is skipped, and nothing forwards to it.
    assert!(tg("gone").is_none(), "{report}");
    assert!(report.mentions("whose function has no network interface in the snapshot"), "{report}");
    let listeners: Vec<_> = alb.listeners.iter().map(|l| (l.port, l.target_group.is_some())).collect();
    assert_eq!(listeners, vec![(80, true), (81, false)]);
    // What the snapshot says, the trace follows: the internet reaches the function through the
    // ALB (M10), and through the NLB and the ALB behind it (M11).
    let r = trace(&d, "60.1.1.1", &alb.id, 80);
    assert!(r.delivered(), "{}", vpcraft::sim::render_text(&r));
    assert!(r.hops().any(|h| h.component.id == "lambda-thumbnailer"), "{}", vpcraft::sim::render_text(&r));
    let nlb = d.load_balancers.iter().find(|l| l.name == "edge").expect("the NLB");
    let r = trace(&d, "60.1.1.1", &nlb.id, 80);
    assert!(r.delivered(), "{}", vpcraft::sim::render_text(&r));
}
