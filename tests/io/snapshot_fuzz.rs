//! Hostile input: random bytes, truncated and mutated snapshot JSON never panic the importer,
//! and whatever it returns passes validation.

use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::Path;
use vpcraft::io::native::validate;
use vpcraft::io::snapshot::files::{parse_json, Document};
use vpcraft::io::snapshot::{import_documents, SnapshotOptions};

/// A small snapshot touching every importer: VPCs, subnets, routes, NAT, ENIs, instances,
/// endpoints, load balancers, peering, TGW, VPN.
fn base() -> Value {
    json!({
        "Vpcs": [{"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16", "OwnerId": "1",
                  "CidrBlockAssociationSet": [{"CidrBlock": "10.1.0.0/16", "CidrBlockState": {"State": "associated"}}]}],
        "Subnets": [{"SubnetId": "subnet-a", "VpcId": "vpc-a", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"},
                    {"SubnetId": "subnet-b", "VpcId": "vpc-a", "CidrBlock": "10.0.1.0/28", "AvailabilityZone": "us-east-1b"}],
        "RouteTables": [{"RouteTableId": "rtb-a", "VpcId": "vpc-a", "Associations": [{"Main": true}, {"SubnetId": "subnet-a"}],
            "PropagatingVgws": [{"GatewayId": "vgw-1"}],
            "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable"},
                       {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1", "State": "blackhole"},
                       {"DestinationCidrBlock": "192.168.0.0/16", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation"},
                       {"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-g"}]}],
        "InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"VpcId": "vpc-a", "State": "available"}]}],
        "NatGateways": [{"NatGatewayId": "nat-1", "SubnetId": "subnet-a", "NatGatewayAddresses": [{"AllocationId": "eipalloc-1", "PublicIp": "3.3.3.3"}]}],
        "Addresses": [{"AllocationId": "eipalloc-2", "PublicIp": "4.4.4.4", "InstanceId": "i-1"}],
        "NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-a", "PrivateIpAddress": "10.0.0.10",
            "Groups": [{"GroupId": "sg-1"}], "Attachment": {"InstanceId": "i-1", "DeviceIndex": 0}},
            {"NetworkInterfaceId": "eni-ep", "InterfaceType": "vpc_endpoint", "SubnetId": "subnet-b", "PrivateIpAddress": "10.0.1.5",
             "Description": "VPC Endpoint Interface vpce-i"}],
        "Reservations": [{"OwnerId": "1", "Instances": [{"InstanceId": "i-1", "State": {"Name": "stopped"}, "SubnetId": "subnet-a",
            "PrivateIpAddress": "10.0.0.10"}, {"InstanceId": "i-2", "SubnetId": "subnet-b", "PrivateIpAddress": "10.0.1.9", "PublicIpAddress": "5.5.5.5"}]}],
        "SecurityGroups": [{"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-a", "OwnerId": "1",
            "IpPermissions": [{"IpProtocol": "icmp", "FromPort": 8, "ToPort": -1, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
                              {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-1"}]}],
            "IpPermissionsEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": "pl-1"}]}]}],
        "NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-a", "IsDefault": true, "Associations": [{"SubnetId": "subnet-b"}],
            "Entries": [{"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0",
                         "PortRange": {"From": 22, "To": 22}}, {"RuleNumber": 32767, "Protocol": "-1", "CidrBlock": "0.0.0.0/0"}]}],
        "PrefixLists": [{"PrefixListId": "pl-1", "PrefixListName": "com.amazonaws.us-east-1.s3", "Cidrs": ["52.216.0.0/15"]}],
        "VpcEndpoints": [{"VpcEndpointId": "vpce-g", "VpcEndpointType": "Gateway", "VpcId": "vpc-a", "ServiceName": "com.amazonaws.us-east-1.s3",
                          "RouteTableIds": ["rtb-a"]},
                         {"VpcEndpointId": "vpce-i", "VpcEndpointType": "Interface", "VpcId": "vpc-a", "State": "available",
                          "NetworkInterfaceIds": ["eni-ep"], "SubnetIds": ["subnet-b", "subnet-a"], "Groups": [{"GroupId": "sg-1"}]}],
        "VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "pending-acceptance"},
            "RequesterVpcInfo": {"VpcId": "vpc-a"}, "AccepterVpcInfo": {"VpcId": "vpc-z", "CidrBlock": "172.16.0.0/12"}}],
        "LoadBalancers": [{"LoadBalancerArn": "arn:aws:elasticloadbalancing:r:1:loadbalancer/net/x/1", "Type": "network",
            "Scheme": "internet-facing", "VpcId": "vpc-a", "AvailabilityZones": [{"SubnetId": "subnet-b"}]}],
        "TargetGroups": [{"TargetGroupArn": "arn:aws:elasticloadbalancing:r:1:targetgroup/t/2", "VpcId": "vpc-a", "Port": 80, "Protocol": "TCP"}],
        "Listeners": [{"ListenerArn": "l", "LoadBalancerArn": "arn:aws:elasticloadbalancing:r:1:loadbalancer/net/x/1", "Port": 80,
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": "arn:aws:elasticloadbalancing:r:1:targetgroup/t/2"}]}],
        "TransitGateways": [{"TransitGatewayId": "tgw-1", "Options": {"AssociationDefaultRouteTableId": "tgw-rtb-1"}}],
        "TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayId": "tgw-1"}],
        "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1", "ResourceType": "vpc",
            "ResourceId": "vpc-a", "Association": {"TransitGatewayRouteTableId": "tgw-rtb-1"}}],
        "Routes": [{"DestinationCidrBlock": "10.9.0.0/16", "Type": "static", "State": "blackhole"}],
        "VpnGateways": [{"VpnGatewayId": "vgw-1", "VpcAttachments": [{"VpcId": "vpc-a", "State": "attached"}]}],
        "CustomerGateways": [{"CustomerGatewayId": "cgw-1", "IpAddress": "8.8.8.8", "BgpAsn": "65000"}],
        "VpnConnections": [{"VpnConnectionId": "vpn-1", "CustomerGatewayId": "cgw-1", "VpnGatewayId": "vgw-1"}],
        "Tags": [{"Key": "Name", "ResourceId": "vpc-a", "Value": "main"}]
    })
}

/// Every JSON pointer in a value.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            m.iter().for_each(|(k, x)| pointers(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out))
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        _ => {}
    }
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Apply one mutation: replace a node with another string of the document (ids end up in
/// the wrong places), a number, null, an empty array or object; or remove it.
fn mutate(v: &mut Value, pick: usize, kind: u8, with: usize) {
    let mut ps = Vec::new();
    pointers(v, String::new(), &mut ps);
    let mut pool = Vec::new();
    strings(v, &mut pool);
    let p = &ps[pick % ps.len()];
    let replacement = match kind % 7 {
        0 => Value::String(pool.get(with % pool.len().max(1)).cloned().unwrap_or_default()),
        1 => json!(with as i64 - 3),
        2 => Value::Null,
        3 => json!([]),
        4 => json!({}),
        5 => json!(-1),
        _ => {
            if let Some((parent, key)) = p.rsplit_once('/') {
                match v.pointer_mut(parent) {
                    Some(Value::Object(m)) => {
                        m.remove(&key.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(i) = key.parse::<usize>() {
                            if i < a.len() {
                                a.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
            return;
        }
    };
    if let Some(slot) = v.pointer_mut(p) {
        *slot = replacement;
    }
}

fn import(json: Value) {
    let docs = vec![Document { name: "x.json".into(), account: None, region: None, json }];
    let (d, r) = import_documents("fuzz", "fuzz", &docs, &SnapshotOptions::default());
    if let Err(e) = validate(&d, "", Path::new("fuzz")) {
        panic!("imported design does not validate: {e}\n{r}");
    }
}

#[test]
fn the_unmutated_base_imports_cleanly() {
    import(base());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(v) = parse_json(&bytes, Path::new("r.json")) {
            import(v);
        }
    }

    #[test]
    fn truncated_json_is_an_error_with_a_position(cut in 0usize..4000) {
        let text = serde_json::to_string_pretty(&base()).unwrap();
        let cut = cut % text.len();
        if let Err(e) = parse_json(&text.as_bytes()[..cut], Path::new("t.json")) {
            prop_assert!(e.line.is_some() && e.column.is_some());
        }
    }

    #[test]
    fn mutated_snapshots_import_to_valid_designs(muts in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<usize>()), 1..8)) {
        let mut v = base();
        for (pick, kind, with) in muts {
            mutate(&mut v, pick, kind, with);
        }
        import(v);
    }
}
