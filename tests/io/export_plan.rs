//! The exporters' shared plan: what each target declares, writes inline or leaves implied, and
//! how references to the implied ones come out.

use crate::common;

use vpcraft::io::export::cloudformation::to_cloudformation;
use vpcraft::io::export::terraform::to_terraform;
use vpcraft::model::*;

/// The kitchen sink with a VPN attachment on its transit gateway (for `office-static`),
/// associated with and propagating into the gateway's table.
fn with_vpn_attachment() -> Design {
    let mut d = common::kitchen_sink();
    let vpn = d.vpn_connections.iter().find(|v| v.transit_gateway.is_some()).expect("a TGW VPN").clone();
    let tgw = vpn.transit_gateway.clone().unwrap();
    let id = d.new_id(ResourceKind::TgwAttachment);
    let table = d.tgw_route_tables[0].id.clone();
    d.tgw_attachments.push(TgwAttachment {
        id: id.clone(),
        name: "office-vpn-att".into(),
        tgw,
        kind: TgwAttachmentKind::Vpn { vpn: vpn.id.clone() },
        state: AttachmentState::Available,
        association: Some(table),
        ipv6_support: false,
        appliance_mode: false,
    });
    d.tgw_route_tables[0].propagations.push(id);
    d
}

#[test]
fn a_vpn_attachment_is_referred_to_through_its_connection_in_terraform() {
    let out = to_terraform(&with_vpn_attachment()).text;
    assert!(!out.contains("office_vpn_att"), "the attachment is not declared:\n{out}");
    let via = "aws_vpn_connection.office_static.transit_gateway_attachment_id";
    assert!(out.matches(via).count() >= 2, "association and propagation refer through the connection:\n{out}");
}

#[test]
fn a_vpn_attachment_is_left_out_of_cloudformation_and_said_so() {
    let e = to_cloudformation(&with_vpn_attachment());
    let v: serde_json::Value = serde_json::from_str(&e.text).unwrap();
    let resources = v["Resources"].as_object().unwrap();
    assert!(!resources.contains_key("officevpnatt"), "no resource for the attachment");
    assert!(
        resources.values().all(|r| !r.to_string().contains("officevpnatt")),
        "nothing refers to the missing attachment"
    );
    let notes = v["Metadata"]["vpcraft"]["notes"].to_string();
    assert!(notes.contains("office-vpn-att: a VPN attachment is created by its VPN connection"), "{notes}");
}

#[test]
fn primary_interfaces_inline_per_target() {
    // Terraform: every primary interface goes inside its instance; CloudFormation: only one
    // that needs an auto-assigned public address (the others keep their own Name tag).
    let d = common::kitchen_sink();
    let tf = to_terraform(&d).text;
    let cfn = to_cloudformation(&d).text;
    for e in d.network_interfaces.iter().filter(|e| e.device_index == 0 && e.instance.is_some()) {
        let tf_name = e.name.replace('-', "_");
        assert!(!tf.contains(&format!("resource \"aws_network_interface\" \"{tf_name}\"")), "{} inline in TF", e.name);
        let region = d.subnet(&e.subnet).and_then(|s| d.vpc(&s.vpc)).map(|v| v.region.as_str());
        if region != Some(d.default_region.as_str()) {
            continue; // a stack is regional
        }
        let cfn_name: String = e.name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let declared = cfn.contains(&format!("\"{cfn_name}\": {{"));
        assert_eq!(declared, e.public_ip.is_none(), "{}: declared in CFN iff no auto-assigned public IP", e.name);
    }
}
