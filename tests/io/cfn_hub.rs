//! A hub-and-spoke template of our own (tests/fixtures/cfn/hub-egress-firewall.yaml): Network
//! Firewall resources, the documented Fn::GetAtt Firewall.EndpointIds idiom in routes and
//! appliance mode import, and the imported design traces as its author meant (F1–F4, N6, T9).

use std::path::Path;
use vpcraft::io::cfn_import::{import_file, CfnImportOptions};
use vpcraft::model::*;
use vpcraft::sim::{TraceIndex, TraceRequest};

fn design() -> Design {
    let opts = CfnImportOptions { region: Some("ap-northeast-2".into()), params: Default::default() };
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cfn/hub-egress-firewall.yaml");
    import_file(&p, &opts).unwrap_or_else(|e| panic!("{e}")).0
}

#[test]
fn network_firewall_resources_and_endpoint_routes_import() {
    let d = design();
    let fw = &d.network_firewalls[0];
    assert_eq!((fw.id.as_str(), fw.policy.as_str()), ("fw-Firewall", "fwp-Policy"));
    assert_eq!(fw.endpoints.len(), 1);
    let ep = fw.endpoints[0].id.clone();
    let tgw_rt = d.route_tables.iter().find(|t| t.name == "TgwRt").unwrap();
    assert!(
        tgw_rt.routes.iter().any(|r| r.target == RouteTarget::GatewayEndpoint(ep.clone())),
        "the Fn::Select/Fn::Split route is kept: {:?}",
        tgw_rt.routes
    );
    let p = &d.firewall_policies[0];
    assert_eq!(p.stateless_groups[0].group, "rg-DropSsh");
    assert_eq!(p.stateful_groups[0].group, "rg-AllowedDomains");
    let sl = d.firewall_rule_groups.iter().find(|g| g.id == "rg-DropSsh").unwrap();
    assert_eq!(sl.stateless_rules[0].destination_ports, vec![PortRange { from: 22, to: 22 }]);
    assert_eq!(sl.stateless_rules[0].action, StatelessAction::Drop);
    let dl = d.firewall_rule_groups.iter().find(|g| g.id == "rg-AllowedDomains").unwrap();
    assert_eq!(dl.domain_list.as_ref().unwrap().action, DomainListAction::AllowList);
    assert_eq!(dl.home_net, vec!["10.0.0.0/8".parse::<ipnet::IpNet>().unwrap()]);
    let att = d.tgw_attachments.iter().find(|a| a.id.contains("EgressAttachment")).unwrap();
    assert!(att.appliance_mode, "Options.ApplianceModeSupport: enable");
}

#[test]
fn imported_egress_firewall_traces_as_meant() {
    let d = design();
    let ix = TraceIndex::new(&d);
    let go = |to: &str, port: u16| {
        ix.trace(&TraceRequest::parse(&d, "SpokeHost", to, "tcp", Some(port), None).unwrap_or_else(|e| panic!("{e}")))
    };
    let r = go("60.1.1.1", 22);
    assert_eq!(r.blockers[0].code.as_str(), "FIREWALL_RULES_RESTRICTION", "{}", vpcraft::sim::render_text(&r));
    let r = go("cloudformation.ap-northeast-2.amazonaws.com", 443);
    assert_eq!(r.verdict.to_string(), "delivered", "{}", vpcraft::sim::render_text(&r));
    let r = go("60.1.1.1", 443);
    assert_eq!(r.blockers[0].code.as_str(), "FIREWALL_RULES_RESTRICTION", "{}", vpcraft::sim::render_text(&r));
}

#[test]
fn appliance_mode_and_the_firewall_survive_export() {
    let d = design();
    let out = vpcraft::io::export::cloudformation::to_cloudformation(&d);
    assert!(out.text.contains("ApplianceModeSupport"), "T9 exported");
    assert!(out.text.contains("AWS::NetworkFirewall::Firewall"), "F1 exported");
    let opts = CfnImportOptions { region: Some("ap-northeast-2".into()), params: Default::default() };
    let (back, _) = vpcraft::io::cfn_import::import_text(&out.text, Path::new("hub.json"), &opts).unwrap();
    assert_eq!(back.tgw_attachments.iter().filter(|a| a.appliance_mode).count(), 1);
    assert_eq!(back.network_firewalls.len(), 1);
    // The route through the Fn::Select/Fn::Split idiom is written and read back.
    let ep = back.network_firewalls[0].endpoints[0].id.clone();
    assert!(back
        .route_tables
        .iter()
        .any(|t| t.routes.iter().any(|r| r.target == RouteTarget::GatewayEndpoint(ep.clone()))));
    let tf = vpcraft::io::export::terraform::to_terraform(&d);
    assert!(
        tf.text.lines().any(|l| l.trim().starts_with("appliance_mode_support") && l.ends_with("\"enable\"")),
        "{}",
        tf.text
    );
    assert!(tf.text.contains("resource \"aws_networkfirewall_firewall\""), "{}", tf.text);
    assert!(!tf.notes.iter().any(|n| n.contains("Network Firewall")), "{:?}", tf.notes);
}
