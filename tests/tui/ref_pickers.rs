//! Issue 16, item 3: the last reference fields that were free text are pickers over what AWS
//! accepts there: a route table's edge gateways (R10) and propagating VGWs (T6), a transit
//! gateway attachment's subnets (T2), a TGW route table's propagations (T3) and an endpoint
//! service's load balancers (E9).

use crate::harness::{app, form, key, press, set};
use vpcraft::app::forms::FieldKind;
use vpcraft::app::input::KeyCode;
use vpcraft::app::App;
use vpcraft::model::ops::{Op, Ref};
use vpcraft::model::LoadBalancerKind;

/// The default example plus a second VPC, each with gateways, two transit gateways with an
/// attachment each, and load balancers of every kind.
fn network() -> App {
    let mut a = app();
    let r = |n: &str| Ref::name(n);
    let lb = |name: &str, vpc: &str, kind, subnets: Vec<Ref>| Op::AddLoadBalancer {
        name: name.into(),
        vpc: r(vpc),
        kind,
        scheme: Default::default(),
        subnets,
        groups: vec![],
        listeners: vec![],
    };
    // One subnet per AZ of my-vpc for its attachment (T2).
    let mut per_az: Vec<(String, String)> = Vec::new();
    let vpc = a.design.vpcs.iter().find(|v| v.name == "my-vpc").expect("my-vpc").id.clone();
    for s in a.design.vpc_subnets(&vpc) {
        if !per_az.iter().any(|(az, _)| *az == s.az) {
            per_az.push((s.az.clone(), s.id.clone()));
        }
    }
    let mine: Vec<Ref> = per_az.iter().map(|(_, id)| Ref::id(id)).collect();
    let ops = vec![
        Op::AddVpc {
            name: "other".into(),
            cidr: "10.60.0.0/16".parse().expect("cidr"),
            region: None,
            dns_hostnames: true,
            dns_support: true,
            secondary_cidrs: vec![],
        },
        Op::AddSubnet {
            vpc: r("other"),
            name: "other-a".into(),
            cidr: "10.60.1.0/24".parse().expect("cidr"),
            az: "a".into(),
            public_ip_on_launch: false,
            route_table: None,
            network_acl: None,
        },
        Op::AddInternetGateway { name: "other-igw".into(), vpc: Some(r("other")) },
        Op::AddVpnGateway { name: "my-vgw".into(), vpc: Some(r("my-vpc")), asn: None },
        Op::AddVpnGateway { name: "other-vgw".into(), vpc: Some(r("other")), asn: None },
        Op::AddTransitGateway {
            name: "tgw-a".into(),
            region: None,
            asn: None,
            default_association: true,
            default_propagation: true,
        },
        Op::AddTransitGateway {
            name: "tgw-b".into(),
            region: None,
            asn: None,
            default_association: true,
            default_propagation: true,
        },
        Op::AttachVpcToTransitGateway {
            tgw: r("tgw-a"),
            vpc: r("my-vpc"),
            subnets: mine.clone(),
            name: "att-a".into(),
        },
        Op::AttachVpcToTransitGateway {
            tgw: r("tgw-b"),
            vpc: r("other"),
            subnets: vec![r("other-a")],
            name: "att-b".into(),
        },
        Op::AddTgwRouteTable { tgw: r("tgw-a"), name: "tgw-a-extra".into(), propagations: vec![], routes: vec![] },
        lb("my-nlb", "my-vpc", LoadBalancerKind::Network, mine.clone()),
        lb("my-alb", "my-vpc", LoadBalancerKind::Application, mine.clone()),
        lb("my-gwlb", "other", LoadBalancerKind::Gateway, vec![r("other-a")]),
        Op::AddEndpointService {
            name: "svc".into(),
            region: None,
            load_balancers: vec![],
            acceptance_required: true,
            allowed_principals: vec![],
        },
    ];
    a.apply("setup", ops).expect("the network builds");
    a
}

fn id_of(a: &App, name: &str) -> String {
    a.design.resources().find(|r| r.name() == name).map(|r| r.id().to_string()).unwrap_or_else(|| panic!("{name}"))
}

/// Open the edit form of a resource, as `e` in the tree does.
fn edit(a: &mut App, name: &str) {
    let id = id_of(a, name);
    assert!(a.select_resource(&id), "{name} is in the tree");
    press(a, key(KeyCode::Char('e')));
    let _ = form(a);
}

/// The names a multi picker offers (the part of each label before " (").
fn offered(a: &App, field: &str) -> Vec<String> {
    let f = form(a).fields.iter().find(|x| x.key == field).unwrap_or_else(|| panic!("no field {field}"));
    assert!(matches!(f.kind, FieldKind::Multi(_)), "{field} is a list picker, not free text");
    let mut v: Vec<String> = f
        .options()
        .iter()
        .map(|o| {
            let name = o.label.split(" (").next().unwrap_or_default();
            name.rsplit(' ').next().unwrap_or_default().to_string()
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_route_tables_edge_gateways_and_propagating_vgws_are_its_vpcs() {
    let mut a = network();
    edit(&mut a, "my-pub-rt");
    assert_eq!(offered(&a, "gateways"), ["my-igw", "my-vgw"], "the VPC's IGW and VGW (R10)");
    assert_eq!(offered(&a, "propagation"), ["my-vgw"], "the VPC's VGW (T6)");
    set(&mut a, "propagation", "my-vgw");
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{:?}", a.popup());
    let rt = a.design.route_tables.iter().find(|t| t.name == "my-pub-rt").expect("table");
    assert_eq!(rt.propagating_vgws, vec![id_of(&a, "my-vgw")]);
}

#[test]
fn a_tgw_attachments_subnets_are_its_vpcs_and_a_tgw_tables_propagations_its_gateways() {
    let mut a = network();
    edit(&mut a, "att-a");
    let mine: Vec<String> = {
        let vpc = id_of(&a, "my-vpc");
        let mut v: Vec<String> = a.design.vpc_subnets(&vpc).map(|s| s.name.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(offered(&a, "subnets"), mine, "the attached VPC's subnets (T2)");
    press(&mut a, key(KeyCode::Esc));

    edit(&mut a, "tgw-a-extra");
    assert_eq!(offered(&a, "propagations"), ["att-a"], "the transit gateway's own attachments (T3)");
    set(&mut a, "propagations", "att-a");
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{:?}", a.popup());
    let t = a.design.tgw_route_tables.iter().find(|t| t.name == "tgw-a-extra").expect("table");
    assert_eq!(t.propagations, vec![id_of(&a, "att-a")]);
}

#[test]
fn an_endpoint_services_load_balancers_are_nlbs_and_gwlbs_never_albs() {
    let mut a = network();
    edit(&mut a, "svc");
    assert_eq!(offered(&a, "load_balancers"), ["my-gwlb", "my-nlb"], "NLBs and GWLBs of the region (E9)");
    set(&mut a, "load_balancers", "my-nlb");
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{:?}", a.popup());
    let s = a.design.endpoint_services.iter().find(|s| s.name == "svc").expect("service");
    assert_eq!(s.load_balancers, vec![id_of(&a, "my-nlb")]);
}
