//! The snapshot importer over the shared hybrid-cloud snapshot, over synthetic layouts
//! (accounts, managed interfaces, external peers, transit gateways) and over hostile input.

use serde_json::{json, Value};
use std::fs;
use std::path::Path;
use vpcraft::io::native::validate;
use vpcraft::io::snapshot::files::Document;
use vpcraft::io::snapshot::{import_documents, import_path, SnapshotOptions};
use vpcraft::io::Severity;
use vpcraft::model::*;

const HYBRID: &str = "../shared/data/aws-snapshots/hybrid-cloud-aws";

fn hybrid() -> Option<(Design, vpcraft::io::ImportReport)> {
    if !Path::new(HYBRID).is_dir() {
        crate::common::skip_unless_ci(&format!("{HYBRID} not present (the shared data folder is absent)"));
        return None;
    }
    Some(import_path(Path::new(HYBRID), &SnapshotOptions::default()).expect("the hybrid-cloud snapshot imports"))
}

fn net(s: &str) -> ipnet::Ipv4Net {
    s.parse().unwrap()
}

#[test]
fn hybrid_cloud_snapshot_counts() {
    let Some((d, r)) = hybrid() else { return };
    assert_eq!(d.name, "hybrid-cloud-aws");
    assert_eq!(d.default_region, "us-west-2", "region from the folder name");
    assert_eq!((d.vpcs.len(), d.subnets.len(), d.instances.len()), (4, 10, 4));
    assert_eq!((d.network_interfaces.len(), d.internet_gateways.len(), d.route_tables.len()), (9, 3, 5));
    assert_eq!((d.vpn_gateways.len(), d.customer_gateways.len(), d.vpn_connections.len()), (1, 1, 1));
    assert_eq!((d.prefix_lists.len(), d.elastic_ips.len(), d.network_acls.len()), (2, 1, 4));
    assert!(d.vpcs.iter().all(|v| v.region == "us-west-2" && !v.external));
    assert_eq!(d.vpc("vpc-b390fad5").unwrap().name, "Arista Demo");
    assert!(d.vpc("vpc-f8fad69d").unwrap().is_default);
    assert_eq!(r.counts.get("VPC"), Some(&4));
    assert_eq!(r.counts.get("subnet"), Some(&10));
}

#[test]
fn hybrid_cloud_routes_keep_state_and_origin() {
    let Some((d, _)) = hybrid() else { return };
    let public = d.subnet_route_table("subnet-62f14104").unwrap();
    assert_eq!(public.id, "rtb-7b73bf02");
    let default =
        public.routes.iter().find(|r| r.destination == RouteDestination::Cidr(net("0.0.0.0/0").into())).unwrap();
    assert_eq!(default.target, RouteTarget::InternetGateway("igw-fac5839d".into()));
    assert_eq!(public.routes[0].origin, RouteOrigin::Local);

    // R6: the private subnet uses the main table, whose NAT route is a blackhole.
    let private = d.subnet_route_table("subnet-8d0cbdeb").unwrap();
    assert!(private.main);
    let nat = &private.routes[1];
    assert_eq!(nat.target, RouteTarget::NatGateway("nat-055c00735cace0ec4".into()));
    assert_eq!(nat.state, RouteState::Blackhole);

    // T6: BGP-learned prefixes show as propagated routes of the VGW.
    let bgp = d.route_table("rtb-296bf350").unwrap();
    assert_eq!(bgp.propagating_vgws, vec!["vgw-81fd279f".to_string()]);
    let eff = d.effective_routes(bgp);
    let learned = eff.iter().find(|r| r.destination == RouteDestination::Cidr(net("10.1.1.0/24").into())).unwrap();
    assert_eq!(
        (learned.origin, &learned.target),
        (RouteOrigin::Propagated, &RouteTarget::VpnGateway("vgw-81fd279f".into()))
    );
    assert_eq!(eff.len(), 6, "local + 5 learned, each once: {eff:?}");
    assert_eq!(d.vpn_connections[0].routes.len(), 5);
}

#[test]
fn hybrid_cloud_instances_interfaces_and_groups() {
    let Some((d, _)) = hybrid() else { return };
    assert!(d.instances.iter().all(|i| i.state == InstanceState::Stopped), "stopped instances stay stopped");
    let core = d.instance("i-0b26ec095feb42260").unwrap();
    assert_eq!(core.name, "core_01");
    let nics = d.instance_interfaces(&core.id);
    assert_eq!(nics.len(), 2);
    assert_eq!((nics[1].id.as_str(), nics[1].device_index), ("eni-297b5c07", 1));
    assert_eq!(nics[0].private_ips, vec!["192.168.1.186".parse::<std::net::Ipv4Addr>().unwrap()]);
    assert_eq!(nics[0].security_groups, vec!["sg-331ad04e".to_string()]);
    let free = d.network_interface("eni-822b55ac").unwrap();
    assert_eq!(free.instance, None);

    let sg = d.security_group("sg-331ad04e").unwrap();
    assert_eq!(sg.name, "Arista Demo");
    assert!(sg.ingress.iter().any(|r| r.protocol == Protocol::Tcp && r.ports == PortSpec::port(22)));
    let icmp = sg.ingress.iter().find(|r| r.protocol == Protocol::Icmp).unwrap();
    assert_eq!((icmp.ports, &icmp.peer), (PortSpec::All, &SgPeer::Cidr(net("38.140.26.0/24").into())));
    let acl = d.network_acl("acl-4db39c28").unwrap();
    assert!(acl.is_default && acl.entries.iter().all(|e| e.rule_number < 32767), "the * deny is implicit");
    assert!(acl.entries.iter().any(|e| !e.egress && e.ports == PortSpec::port(3306)));
    let s3 = d.prefix_list("pl-68a54001").unwrap();
    assert!(s3.aws_managed && s3.cidrs.len() == 3);
}

#[test]
fn hybrid_cloud_report_lists_skipped_files() {
    let Some((d, r)) = hybrid() else { return };
    let f = "ElasticsearchDomains.json";
    assert!(
        r.of(Severity::Warning).any(|i| i.file.ends_with(f) && i.detail.contains("unsupported")),
        "{f} is reported as skipped:\n{r}"
    );
    // RDS instances are read (issue 19): the database is there, on its engine's port.
    let db = d.database("db-test-rds").unwrap_or_else(|| panic!("RdsInstances.json is read:\n{r}"));
    assert_eq!((db.engine(), db.port()), ("mysql", 3306));
    assert!(r.of(Severity::Error).next().is_none(), "{r}");
    assert!(r.to_string().contains("DomainStatusList"));
    let json: Value = serde_json::from_str(&r.to_json()).unwrap();
    assert!(json["items"].as_array().unwrap().len() >= 2);
}

fn doc(name: &str, account: Option<&str>, region: Option<&str>, json: Value) -> Document {
    Document { name: name.into(), account: account.map(Into::into), region: region.map(Into::into), json }
}

fn vpc_json(id: &str, cidr: &str, owner: &str) -> Value {
    json!({"VpcId": id, "CidrBlock": cidr, "OwnerId": owner, "State": "available"})
}

#[test]
fn accounts_layout_merges_a_peering_seen_from_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let peering = json!({"VpcPeeringConnections": [{
        "VpcPeeringConnectionId": "pcx-1",
        "Status": {"Code": "deleted"},
        "RequesterVpcInfo": {"VpcId": "vpc-a", "CidrBlock": "10.1.0.0/16", "OwnerId": "111111111111", "Region": "eu-west-1"},
        "AccepterVpcInfo": {"VpcId": "vpc-b", "CidrBlock": "10.2.0.0/16", "OwnerId": "222222222222", "Region": "eu-west-1"}
    }]});
    for (acct, vpc, cidr) in [("111111111111", "vpc-a", "10.1.0.0/16"), ("222222222222", "vpc-b", "10.2.0.0/16")] {
        let folder = dir.path().join(format!("aws_configs/accounts/{acct}/eu-west-1"));
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("a.json"), json!({"Vpcs": [vpc_json(vpc, cidr, acct)]}).to_string()).unwrap();
        fs::write(folder.join("whatever-name.json"), peering.to_string()).unwrap();
    }
    let (d, r) = import_path(dir.path(), &SnapshotOptions::default()).unwrap();
    assert_eq!(d.peerings.len(), 1, "one peering though two accounts saw it");
    assert_eq!(d.peerings[0].status, PeeringStatus::Deleted, "a deleted peering stays deleted (P1)");
    assert_eq!(d.accounts.len(), 2);
    assert!(d.vpcs.iter().all(|v| v.region == "eu-west-1" && !v.external));
    assert!(r.mentions("pcx-1"));
}

#[test]
fn peer_in_another_account_becomes_an_external_stub() {
    let docs = vec![doc(
        "x.json",
        None,
        None,
        json!({
            "Vpcs": [vpc_json("vpc-a", "10.1.0.0/16", "111111111111")],
            "Subnets": [{"SubnetId": "subnet-a", "VpcId": "vpc-a", "CidrBlock": "10.1.0.0/24", "AvailabilityZone": "ap-southeast-1b"}],
            "VpcPeeringConnections": [{
                "VpcPeeringConnectionId": "pcx-9", "Status": {"Code": "active"},
                "RequesterVpcInfo": {"VpcId": "vpc-a", "CidrBlock": "10.1.0.0/16", "OwnerId": "111111111111"},
                "AccepterVpcInfo": {"VpcId": "vpc-far", "CidrBlock": "172.16.0.0/16", "OwnerId": "999999999999", "Region": "us-east-2"}
            }],
            "RouteTables": [{"RouteTableId": "rtb-a", "VpcId": "vpc-a", "Associations": [{"Main": true}], "Routes": [
                {"DestinationCidrBlock": "10.1.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
                {"DestinationCidrBlock": "172.16.0.0/16", "VpcPeeringConnectionId": "pcx-9", "Origin": "CreateRoute", "State": "active"},
                {"DestinationPrefixListId": "pl-1234", "GatewayId": "vpce-1", "Origin": "CreateRoute", "State": "active"}
            ]}]
        }),
    )];
    let (d, r) = import_documents("t", "t", &docs, &SnapshotOptions::default());
    validate(&d, "", Path::new("t")).unwrap();
    let far = d.vpc("vpc-far").unwrap();
    assert!(far.external && far.cidr == net("172.16.0.0/16") && far.region == "us-east-2");
    assert_eq!(far.account.as_deref(), Some("999999999999"));
    assert_eq!(d.vpc("vpc-a").unwrap().region, "ap-southeast-1", "region from the subnets' AZ");
    let rt = d.route_table("rtb-a").unwrap();
    assert_eq!(rt.routes[1].target, RouteTarget::VpcPeering("pcx-9".into()));
    assert_eq!(rt.routes[2].origin, RouteOrigin::EndpointManaged);
    assert!(r.mentions("vpc-far"));
}

#[test]
fn managed_interfaces_become_nat_endpoint_and_load_balancer_addresses() {
    let nlb_arn = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/web/50dc6c495c0c9188";
    let docs = vec![doc(
        "x.json",
        None,
        Some("us-east-1"),
        json!({
            "Vpcs": [vpc_json("vpc-a", "10.0.0.0/16", "1")],
            "Subnets": [{"SubnetId": "subnet-a", "VpcId": "vpc-a", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}],
            "NatGateways": [{"NatGatewayId": "nat-1", "SubnetId": "subnet-a", "VpcId": "vpc-a", "State": "available",
                "NatGatewayAddresses": [{"AllocationId": "eipalloc-1", "NetworkInterfaceId": "eni-nat", "PublicIp": "3.3.3.3"}]}],
            "NetworkInterfaces": [
                {"NetworkInterfaceId": "eni-nat", "InterfaceType": "nat_gateway", "SubnetId": "subnet-a", "PrivateIpAddress": "10.0.0.99",
                 "Description": "Interface for NAT Gateway nat-1"},
                {"NetworkInterfaceId": "eni-ep", "InterfaceType": "vpc_endpoint", "SubnetId": "subnet-a", "PrivateIpAddress": "10.0.0.50",
                 "Description": "VPC Endpoint Interface vpce-1"},
                {"NetworkInterfaceId": "eni-lb", "InterfaceType": "network_load_balancer", "SubnetId": "subnet-a", "PrivateIpAddress": "10.0.0.60",
                 "Description": "ELB net/web/50dc6c495c0c9188", "Association": {"PublicIp": "4.4.4.4", "IpOwnerId": "amazon"}},
                {"NetworkInterfaceId": "eni-web", "InterfaceType": "interface", "SubnetId": "subnet-a", "PrivateIpAddress": "10.0.0.10",
                 "SourceDestCheck": false, "Groups": [{"GroupId": "sg-1"}],
                 "Attachment": {"InstanceId": "i-1", "DeviceIndex": 0, "Status": "attached"},
                 "Association": {"PublicIp": "5.5.5.5", "IpOwnerId": "amazon"}}
            ],
            "Reservations": [{"OwnerId": "1", "Instances": [{"InstanceId": "i-1", "State": {"Name": "running"},
                "Tags": [{"Key": "Name", "Value": "web"}], "NetworkInterfaces": [{"NetworkInterfaceId": "eni-web"}]}]}],
            "VpcEndpoints": [{"VpcEndpointId": "vpce-1", "VpcEndpointType": "Interface", "VpcId": "vpc-a",
                "ServiceName": "com.amazonaws.us-east-1.sts", "State": "pendingAcceptance", "NetworkInterfaceIds": ["eni-ep"],
                "SubnetIds": ["subnet-a"], "PrivateDnsEnabled": true,
                "DnsEntries": [{"DnsName": "vpce-1-abcd1234.sts.us-east-1.vpce.amazonaws.com"}]}],
            "LoadBalancers": [{"LoadBalancerArn": nlb_arn, "LoadBalancerName": "web", "Type": "network", "Scheme": "internet-facing",
                "VpcId": "vpc-a", "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": "subnet-a"}]}],
            "ServiceConfigurations": [{"ServiceId": "vpce-svc-1", "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-1",
                "AcceptanceRequired": true, "NetworkLoadBalancerArns": [nlb_arn]}],
            "SecurityGroups": [{"GroupId": "sg-1", "GroupName": "web", "VpcId": "vpc-a", "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": "sg-other", "UserId": "2"}]}],
                "IpPermissionsEgress": [], "OwnerId": "1"}]
        }),
    )];
    let (d, _) = import_documents("t", "t", &docs, &SnapshotOptions::default());
    validate(&d, "", Path::new("t")).unwrap();
    assert_eq!(
        d.network_interfaces.len(),
        1,
        "only the instance's interface is a plain ENI: {:?}",
        d.network_interfaces
    );
    let web = &d.network_interfaces[0];
    assert_eq!((web.public_ip, web.source_dest_check), (Some("5.5.5.5".parse().unwrap()), false));
    let nat = d.nat_gateway("nat-1").unwrap();
    assert_eq!(
        (nat.private_ip.map(|a| a.to_string()), nat.eip.as_deref()),
        (Some("10.0.0.99".into()), Some("eipalloc-1"))
    );
    assert_eq!(d.elastic_ip("eipalloc-1").unwrap().public_ip.to_string(), "3.3.3.3");
    let ep = d.endpoint("vpce-1").unwrap();
    assert_eq!(ep.state, EndpointState::PendingAcceptance);
    assert_eq!((ep.interfaces[0].ip.to_string(), ep.dns_suffix.as_str()), ("10.0.0.50".into(), "abcd1234"));
    let lb = &d.load_balancers[0];
    assert_eq!(
        (lb.nodes[0].private_ip.to_string(), lb.nodes[0].public_ip),
        ("10.0.0.60".into(), Some("4.4.4.4".parse().unwrap()))
    );
    assert_eq!(d.endpoint_services[0].load_balancers, vec![lb.id.clone()]);
    let sg = d.security_group("sg-1").unwrap();
    assert!(sg.egress.is_empty(), "no egress rules stays no egress (S4)");
    assert_eq!(sg.ingress[0].peer, SgPeer::SecurityGroup { group: "sg-other".into(), account: Some("2".into()) });
}

#[test]
fn transit_gateway_with_attachments_and_default_table() {
    let docs = vec![doc(
        "tgw.json",
        None,
        Some("us-east-1"),
        json!({
            "Vpcs": [vpc_json("vpc-a", "10.0.0.0/16", "1")],
            "Subnets": [{"SubnetId": "subnet-a", "VpcId": "vpc-a", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}],
            "TransitGateways": [{"TransitGatewayId": "tgw-1", "State": "available", "Options": {"AmazonSideAsn": 64512,
                "DefaultRouteTableAssociation": "enable", "DefaultRouteTablePropagation": "enable",
                "AssociationDefaultRouteTableId": "tgw-rtb-1", "PropagationDefaultRouteTableId": "tgw-rtb-1"}}],
            "TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayId": "tgw-1", "State": "available"}],
            "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1",
                "ResourceType": "vpc", "ResourceId": "vpc-a", "State": "available",
                "Association": {"TransitGatewayRouteTableId": "tgw-rtb-1", "State": "associated"}},
                {"TransitGatewayAttachmentId": "tgw-attach-2", "TransitGatewayId": "tgw-shared", "ResourceType": "vpc",
                "ResourceId": "vpc-a", "State": "available"}],
            "TransitGatewayVpcAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1",
                "VpcId": "vpc-a", "SubnetIds": ["subnet-a"], "State": "available"}]
        }),
    )];
    let (d, r) = import_documents("t", "t", &docs, &SnapshotOptions::default());
    validate(&d, "", Path::new("t")).unwrap();
    let a = d.tgw_attachment("tgw-attach-1").unwrap();
    assert_eq!(a.kind, TgwAttachmentKind::Vpc { vpc: "vpc-a".into(), subnets: vec!["subnet-a".into()] });
    assert_eq!(a.association.as_deref(), Some("tgw-rtb-1"));
    assert!(d.tgw_route_table("tgw-rtb-1").unwrap().propagations.contains(&"tgw-attach-1".to_string()));
    assert!(d.transit_gateway("tgw-shared").is_some(), "a shared TGW seen only through an attachment is stubbed");
    assert!(r.mentions("tgw-shared"));
}

#[test]
fn malformed_file_is_an_error_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Vpcs.json"), "{\n  \"Vpcs\": [\n    {\"VpcId\": }\n  ]\n}").unwrap();
    let e = import_path(dir.path(), &SnapshotOptions::default()).unwrap_err();
    assert_eq!((e.line, e.file.file_name().unwrap().to_str()), (Some(3), Some("Vpcs.json")), "{e}");
    assert!(e.to_string().contains("Vpcs.json:3:"), "{e}");
}

#[test]
fn empty_folder_is_an_error_and_region_flag_is_used_when_nothing_else_says() {
    let dir = tempfile::tempdir().unwrap();
    assert!(import_path(dir.path(), &SnapshotOptions::default()).is_err());
    fs::write(dir.path().join("v.json"), json!({"Vpcs": [vpc_json("vpc-a", "10.0.0.0/16", "1")]}).to_string()).unwrap();
    let opts = SnapshotOptions { region: Some("sa-east-1".into()) };
    let (d, r) = import_path(dir.path(), &opts).unwrap();
    assert_eq!(d.vpcs[0].region, "sa-east-1");
    assert!(d.route_tables.iter().any(|t| t.main), "companions added for a partial snapshot");
    assert!(r.mentions("main route table"));
}
