//! Template import over every template of the shared data, with the region and parameters of
//! `params.json`.

use std::path::Path;
use vpcraft::io::cfn_import::{import_file, CfnImportOptions};
use vpcraft::model::*;

const DIR: &str = "../shared/data/cfn";

fn options(name: &str) -> Option<CfnImportOptions> {
    let text = std::fs::read_to_string(Path::new(DIR).join("params.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let t = &v["templates"][name];
    let params = t["params"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
        .unwrap_or_default();
    Some(CfnImportOptions { region: t["region"].as_str().map(str::to_string), params })
}

fn import(name: &str) -> Option<(Design, vpcraft::io::ImportReport)> {
    if !Path::new(DIR).is_dir() {
        crate::common::skip_unless_ci(&format!("{DIR} not present (the shared data folder is absent)"));
        return None;
    }
    let opts = options(name).unwrap_or_else(|| panic!("{name} is not in params.json"));
    Some(import_file(&Path::new(DIR).join(name), &opts).unwrap_or_else(|e| panic!("{name}: {e}")))
}

#[test]
fn every_shared_template_imports() {
    let Ok(entries) = std::fs::read_dir(DIR) else {
        crate::common::skip_unless_ci(&format!("{DIR} not present (the shared data folder is absent)"));
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != "params.json" && !n.starts_with('.'))
        .collect();
    names.sort();
    assert!(names.len() >= 15, "{names:?}");
    for n in names {
        let (d, r) = import(&n).unwrap();
        println!("{n}: {}", r.counts.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", "));
        for v in d.vpcs.iter().filter(|v| !v.external) {
            assert!(d.route_tables.iter().any(|t| t.main && t.vpc == v.id), "{n}: {} has a main table", v.name);
            assert!(d.default_security_group(&v.id).is_some(), "{n}: {} has a default group", v.name);
        }
    }
}

#[test]
fn logical_ids_become_names_and_launch_addresses_are_placeholders() {
    let Some((d, _)) = import("seed-001-endpoint-lab.yaml") else { return };
    let i = d.resolve("jhPrivateEC2").expect("--from jhPrivateEC2 resolves");
    let nic = d.instance_interfaces(i.id())[0];
    assert!(nic.placeholder);
    let sn = d.subnet(&nic.subnet).unwrap();
    assert_eq!(
        u32::from(nic.private_ips[0]) - u32::from(sn.cidr.unwrap().network()),
        10,
        "first placeholder is base + 10"
    );
    let public = d.resolve("jhPublicEC2").unwrap();
    let pnic = d.instance_interfaces(public.id())[0];
    assert!(pnic.public_ip.is_some(), "AssociatePublicIpAddress gives a (placeholder) public IP");
    assert_eq!(d.vpcs.len(), 1);
}

#[test]
fn external_ids_become_stubs_and_are_reported() {
    let Some((d, r)) = import("awslabs-eni-multi-static-ip.json") else { return };
    let vpc = d.vpc("vpc-0a1b2c3d4e5f60718").expect("the VpcId parameter becomes an external VPC");
    assert!(vpc.external);
    let sn = d.subnet("subnet-0aaa1111bbbb22223").expect("the SubnetId parameter becomes a stub subnet");
    assert_eq!(sn.primary_cidr_text(), "10.0.1.0/24", "assumed around the address the template gives");
    let eni = d.network_interfaces.iter().find(|e| e.name == "Eth0").unwrap();
    assert_eq!(eni.private_ips.len(), 2);
    assert!(eni.eip.is_some() && eni.instance.is_some());
    assert!(r.mentions("subnet-0aaa1111bbbb22223"));

    let Some((d, r)) = import("awslabs-vpc-peering-updates.yaml") else { return };
    let rt = d.route_table("rtb-0aaa1111bbbb22223").expect("stub table");
    assert_eq!(rt.routes[0].target, RouteTarget::VpcPeering("pcx-0aaa1111bbbb22223".into()));
    assert!(d.security_group("sg-0aaa1111bbbb22223").is_some_and(|g| g.ingress.len() == 1));
    assert!(r.mentions("rtb-0aaa1111bbbb22223"));
}

#[test]
fn transit_gateway_template_keeps_its_explicit_table() {
    let Some((d, _)) = import("aws-samples-tgw-vpc-basics.yaml") else { return };
    let tgw = &d.transit_gateways[0];
    assert!(!tgw.default_association && !tgw.default_propagation && tgw.default_route_table.is_none());
    let att = &d.tgw_attachments[0];
    assert_eq!(att.association.as_deref(), Some("tgw-rtb-TgwMainRouteTable"));
    assert!(matches!(&att.kind, TgwAttachmentKind::Vpc { subnets, .. } if subnets.len() == 2));
    let rt = d.route_table("rtb-PublicRouteTable").unwrap();
    assert!(rt.routes.iter().any(|r| matches!(r.target, RouteTarget::TransitGateway(_))));
}

#[test]
fn gateway_endpoint_adds_its_prefix_list_routes() {
    let Some((d, r)) = import("widdix-vpc-endpoint-s3.yaml") else { return };
    let e = &d.endpoints[0];
    assert_eq!(e.route_tables.len(), 2, "both imported tables are stubs: {r}");
    for t in &e.route_tables {
        let rt = d.route_table(t).unwrap();
        assert_eq!(rt.routes.last().unwrap().origin, RouteOrigin::EndpointManaged);
    }
    assert!(d.vpc(&e.vpc).unwrap().external);
}

#[test]
fn unsupported_types_are_reported() {
    let Some((d, r)) = import("aws-samples-privatelink-nlb-alb.yaml") else { return };
    assert!(r.mentions("AWS::Lambda::Function") && r.mentions("AWS::SNS::Topic"), "{r}");
    assert_eq!(d.endpoint_services.len(), 1);
    assert_eq!(d.load_balancers[0].nodes.len(), 2, "nodes in the two stub subnets");
}
