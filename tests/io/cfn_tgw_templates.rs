//! The public transit gateway templates of the shared data (issue 15) trace as their authors
//! meant: the Transit Gateway lab's four VPCs start isolated (the lab then adds the transit
//! gateway, and its hosts reach each other through it), and the TGW basics template attaches
//! one VPC whose route to the gateway's CIDR block ends at the gateway (Connect peers, which
//! vpcraft does not model, and says so).

use std::path::Path;
use vpcraft::io::cfn_import::{import_file, CfnImportOptions};
use vpcraft::model::*;
use vpcraft::sim::{render_text, trace, TraceRequest, TraceResult};

const DIR: &str = "../shared/data/cfn";

fn import(name: &str, params: &[(&str, &str)]) -> Option<(Design, vpcraft::io::ImportReport)> {
    if !Path::new(DIR).is_dir() {
        crate::common::skip_unless_ci(&format!("{DIR} not present (the shared data folder is absent)"));
        return None;
    }
    let opts = CfnImportOptions {
        region: Some("us-east-1".into()),
        params: params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    };
    Some(import_file(&Path::new(DIR).join(name), &opts).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn go(d: &Design, from: &str, to: &str, port: u16) -> TraceResult {
    let req =
        TraceRequest::parse(d, from, to, "tcp", Some(port), None).unwrap_or_else(|e| panic!("{from} → {to}: {e}"));
    trace(d, &req)
}

fn verdict(r: &TraceResult) -> (String, Option<&'static str>) {
    (r.verdict.to_string(), r.code.map(|c| c.as_str()))
}

fn private_ip(d: &Design, instance: &str) -> String {
    let i = d.instances.iter().find(|i| i.name == instance).unwrap();
    d.instance_interfaces(&i.id)[0].private_ips[0].to_string()
}

/// What the lab has its reader do: one transit gateway, every VPC attached through its subnet,
/// associated with and propagating into the default table, and 172.16.0.0/16 → the gateway in
/// each VPC's table.
fn add_lab_transit_gateway(d: &mut Design) {
    let tgw = "tgw-lab".to_string();
    let rt = "tgw-rtb-lab".to_string();
    d.transit_gateways.push(TransitGateway {
        id: tgw.clone(),
        name: "lab".into(),
        region: "us-east-1".into(),
        asn: 64512,
        default_association: true,
        default_propagation: true,
        default_route_table: Some(rt.clone()),
    });
    let mut propagations = Vec::new();
    for (k, s) in d.subnets.clone().iter().enumerate() {
        let a = format!("tgw-attach-lab-{k}");
        d.tgw_attachments.push(TgwAttachment {
            id: a.clone(),
            name: a.clone(),
            tgw: tgw.clone(),
            kind: TgwAttachmentKind::Vpc { vpc: s.vpc.clone(), subnets: vec![s.id.clone()] },
            state: AttachmentState::Available,
            association: Some(rt.clone()),
            ipv6_support: false,
            appliance_mode: false,
        });
        propagations.push(a);
        let table = d.route_tables.iter_mut().find(|t| t.subnets.contains(&s.id)).unwrap();
        table.routes.push(Route {
            destination: RouteDestination::Cidr("172.16.0.0/16".parse().unwrap()),
            target: RouteTarget::TransitGateway(tgw.clone()),
            state: RouteState::Active,
            origin: RouteOrigin::Static,
        });
    }
    d.tgw_route_tables.push(TgwRouteTable {
        id: rt,
        name: "default".into(),
        tgw,
        propagations,
        static_routes: Vec::new(),
    });
}

#[test]
fn transit_gateway_lab_vpcs_start_isolated_and_connect_through_the_gateway() {
    let Some((mut d, _)) = import("aws-samples-tgw-lab-4vpcs.yaml", &[("SSHKeyName", "lab-key")]) else { return };
    assert_eq!((d.vpcs.len(), d.instances.len()), (4, 4));
    // The first and third hosts are public (the outputs give their public IPs); SSH reaches them.
    let r = go(&d, "internet", "FirstHost", 22);
    assert_eq!(verdict(&r), ("delivered".into(), None), "{}", render_text(&r));
    let r = go(&d, "FirstHost", "8.8.8.8", 443);
    assert_eq!(verdict(&r), ("delivered".into(), None), "{}", render_text(&r));
    // The second VPC has no way out.
    let r = go(&d, "SecondHost", "8.8.8.8", 443);
    assert_eq!(verdict(&r).1, Some("NO_ROUTE_TO_DESTINATION"), "{}", render_text(&r));
    // Before the lab's transit gateway, the VPCs do not reach each other: the first host's
    // only route sends 172.16.2.x to its internet gateway, which does not carry private
    // addresses.
    let second = private_ip(&d, "SecondHost");
    let r = go(&d, "FirstHost", &second, 22);
    assert_eq!(verdict(&r).1, Some("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"), "{}", render_text(&r));

    add_lab_transit_gateway(&mut d);
    for (from, to) in [("FirstHost", "SecondHost"), ("SecondHost", "FourthHost"), ("ThirdHost", "FirstHost")] {
        let r = go(&d, from, &private_ip(&d, to), 22);
        assert_eq!(verdict(&r), ("delivered".into(), None), "{from} → {to}: {}", render_text(&r));
        assert!(r.forward.iter().any(|h| h.component.kind.as_str() == "tgw-route-table"), "{}", render_text(&r));
    }
}

#[test]
fn transit_gateway_basics_attaches_one_vpc_and_says_connect_peers_are_not_modelled() {
    let Some((mut d, report)) = import("aws-samples-tgw-vpc-basics.yaml", &[]) else { return };
    assert!(report.mentions("TransitGatewayCidrBlocks"), "{report}");
    // A host in the first public subnet (the template creates none).
    let subnet =
        d.subnets.iter().find(|s| s.cidr.is_some_and(|c| c.to_string() == "10.192.10.0/24")).unwrap().id.clone();
    let mut b = vpcraft::model::builder::DesignBuilder { design: d.clone() };
    let i = b.instance(&subnet, "probe", "10.192.10.10", &[]);
    b.associate_eip(&i, "50.1.1.1");
    d = b.design;
    let r = go(&d, "probe", "8.8.8.8", 443);
    assert_eq!(verdict(&r), ("delivered".into(), None), "the public route: {}", render_text(&r));
    // TgwCidr → the gateway, whose table knows only the VPC itself: the flow reaches the
    // transit gateway and ends at its table.
    let r = go(&d, "probe", "10.10.0.5", 443);
    let stop = r.forward.last().unwrap();
    assert_eq!(stop.component.kind.as_str(), "tgw-route-table", "{}", render_text(&r));
    assert_eq!(verdict(&r).0, "dropped");
}
