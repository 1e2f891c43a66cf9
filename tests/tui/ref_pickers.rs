//! Issue 16, item 3: the last reference fields that were free text are pickers over what AWS
//! accepts there: a route table's edge gateways (R10) and propagating VGWs (T6), a transit
//! gateway attachment's subnets (T2), a TGW route table's propagations (T3) and an endpoint
//! service's load balancers (E9); then a target group's targets with their ports (M4), an ECS
//! service's target groups with their container ports (M8) and an endpoint's service (E9, B2).

use crate::harness::{add, app, choose, ctrl, error_of, form, id_of, key, press, render, set, submit, typ};
use vpcraft::app::forms::FieldKind;
use vpcraft::app::input::KeyCode;
use vpcraft::app::App;
use vpcraft::model::ops::{Op, Ref, TargetSpec};
use vpcraft::model::{ComputeKind, EcsLoadBalancer, LoadBalancerKind};

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

// ---------------------------------------------------------------------------------------------
// A target group's targets (M4), an ECS service's target groups (M8), an endpoint's service
// (E9, B2): picked, never typed as ids.

/// The network above, with an instance in the other VPC, an instance target group and an
/// empty one in my-vpc, and endpoint services in front of the NLB and of the GWLB.
fn with_balancers() -> App {
    let mut a = network();
    let r = |n: &str| Ref::name(n);
    let ops = vec![
        Op::AddInstance {
            name: "far-ec2".into(),
            subnet: r("other-a"),
            private_ip: Some("10.60.1.10".parse().expect("ip")),
            groups: vec![],
            public_ip: None,
            role: String::new(),
            instance_type: None,
            state: Default::default(),
            source_dest_check: true,
        },
        Op::AddTargetGroup {
            name: "inst-tg".into(),
            vpc: r("my-vpc"),
            protocol: Default::default(),
            port: 80,
            targets: vec![TargetSpec::Instance { instance: r("my-pub-ec2"), port: None }],
            target_type: None,
        },
        Op::AddTargetGroup {
            name: "ip-tg".into(),
            vpc: r("my-vpc"),
            protocol: Default::default(),
            port: 8080,
            targets: vec![],
            target_type: None,
        },
        Op::AddEndpointService {
            name: "nlb-svc".into(),
            region: None,
            load_balancers: vec![r("my-nlb")],
            acceptance_required: false,
            allowed_principals: vec![],
        },
        Op::AddEndpointService {
            name: "gwlb-svc".into(),
            region: None,
            load_balancers: vec![r("my-gwlb")],
            acceptance_required: false,
            allowed_principals: vec![],
        },
    ];
    a.apply("balancers", ops).expect("the balancers build");
    a
}

/// Focus a field and type into its picker (after clearing what was typed).
fn find(a: &mut App, field: &str, text: &str) {
    let Some(vpcraft::app::Popup::Form(f)) = a.popup_mut() else { panic!("no form") };
    f.focus = f.fields.iter().position(|x| x.key == field).unwrap_or_else(|| panic!("no field {field}"));
    press(a, ctrl('u'));
    typ(a, text);
}

#[test]
fn a_target_groups_targets_are_what_its_type_accepts_each_with_its_own_port() {
    let mut a = with_balancers();
    assert!(a.select_resource(&id_of(&a, "my-vpc")));
    add(&mut a, "target group");
    set(&mut a, "name", "web-tg");
    // Instance targets: my-vpc's instances, never the other VPC's (M4).
    assert_eq!(offered(&a, "targets"), ["my-pub-ec2", "my-pvt-ec2"]);
    // `pvt:8080` then Space: the highlighted match ticked with its own port; then one without.
    find(&mut a, "targets", "pvt:8080");
    assert_eq!(form(&a).fields[form(&a).focus].matches().len(), 1, "the port does not filter");
    press(&mut a, key(KeyCode::Char(' ')));
    find(&mut a, "targets", "pub");
    press(&mut a, key(KeyCode::Char(' ')));
    let pvt = id_of(&a, "my-pvt-ec2");
    let publ = id_of(&a, "my-pub-ec2");
    assert_eq!(form(&a).get("targets"), format!("{pvt}:8080, {publ}"));
    // A port AWS refuses is said, and nothing changes.
    find(&mut a, "targets", "pub:70000");
    press(&mut a, key(KeyCode::Char(' ')));
    assert!(form(&a).message.as_deref().is_some_and(|m| m.contains("65535")), "{:?}", form(&a).message);
    assert_eq!(form(&a).get("targets"), format!("{pvt}:8080, {publ}"));
    submit(&mut a);
    let tg = a.design.target_groups.iter().find(|t| t.name == "web-tg").expect("made");
    let got: Vec<(String, Option<u16>)> = tg.targets.iter().map(|t| (t.id.clone(), t.port)).collect();
    assert_eq!(got, [(pvt.clone(), Some(8080)), (publ, None)]);

    // Its edit form shows the ports, and the type is fixed now that it has targets (M4).
    edit(&mut a, "web-tg");
    let f = form(&a).fields.iter().find(|f| f.key == "target_type").expect("type");
    assert!(f.locked, "the target type is fixed once the group has targets");
    assert!(form(&a).fields.iter().find(|f| f.key == "targets").expect("targets").display().contains(":8080"));
    press(&mut a, key(KeyCode::Esc));

    // ip targets: the addresses of my-vpc's interfaces; the ticked instances go.
    add(&mut a, "target group");
    set(&mut a, "targets", "pvt");
    choose(&mut a, "target_type", "ip");
    let mut mine: Vec<String> = ["my-pub-ec2", "my-pvt-ec2"]
        .iter()
        .map(|n| a.design.instance_interfaces(&id_of(&a, n))[0].private_ips[0].to_string())
        .collect();
    mine.sort();
    assert_eq!(offered(&a, "targets"), mine, "my-vpc's addresses, not far-ec2's 10.60.1.10");
    assert_eq!(form(&a).get("targets"), "", "instance targets are not offered to an ip group");
}

#[test]
fn an_ecs_service_registers_in_its_vpcs_ip_target_groups_on_a_container_port() {
    let mut a = with_balancers();
    assert!(a.select_resource(&id_of(&a, "my-vpc")));
    add(&mut a, "Lambda, ECS or EKS service");
    set(&mut a, "name", "orders");
    choose(&mut a, "kind", "Ecs");
    set(&mut a, "subnets", "my-pvt-2a");
    // Only the group an awsvpc task can register in: ip-tg, not the instance group (M8).
    assert_eq!(offered(&a, "load_balancers"), ["ip-tg"]);
    find(&mut a, "load_balancers", "ip-tg:3000");
    press(&mut a, key(KeyCode::Char(' ')));
    submit(&mut a);
    let svc = a.design.compute_services.iter().find(|s| s.name == "orders").expect("made");
    let ComputeKind::EcsService { load_balancers, .. } = &svc.kind else { panic!("{:?}", svc.kind) };
    assert_eq!(load_balancers, &[EcsLoadBalancer { target_group: id_of(&a, "ip-tg"), container_port: 3000 }]);

    // Ticked without a port, the container port is the group's; untick and it is gone.
    edit(&mut a, "orders");
    assert_eq!(form(&a).get("load_balancers"), format!("{}:3000", id_of(&a, "ip-tg")));
    find(&mut a, "load_balancers", "ip-tg");
    press(&mut a, key(KeyCode::Char(' ')));
    press(&mut a, key(KeyCode::Char(' ')));
    submit(&mut a);
    let svc = a.design.compute_services.iter().find(|s| s.name == "orders").expect("kept");
    let ComputeKind::EcsService { load_balancers, .. } = &svc.kind else { panic!("{:?}", svc.kind) };
    assert_eq!(load_balancers[0].container_port, 8080, "the group's port");
}

#[test]
fn an_endpoints_service_is_picked_among_what_its_type_can_reach() {
    let mut a = with_balancers();
    assert!(a.select_resource(&id_of(&a, "my-vpc")));
    add(&mut a, "VPC endpoint");
    let services = |a: &App| -> Vec<String> {
        let f = form(a).fields.iter().find(|f| f.key == "service").expect("service");
        assert!(matches!(f.kind, FieldKind::Choice(_)), "a picker, not free text");
        f.options().iter().map(|o| o.value.clone()).collect()
    };
    let region = a.design.default_region.clone();
    // Gateway: S3 and DynamoDB of the region (G1).
    let mut gw = services(&a);
    gw.sort();
    assert_eq!(gw, [format!("com.amazonaws.{region}.dynamodb"), format!("com.amazonaws.{region}.s3")]);
    // Interface: AWS's services and the NLB-backed endpoint service, never the GWLB's (B2).
    choose(&mut a, "kind", "Interface");
    let nlb = a.design.endpoint_services.iter().find(|s| s.name == "nlb-svc").expect("nlb-svc").service_name.clone();
    let gwlb = a.design.endpoint_services.iter().find(|s| s.name == "gwlb-svc").expect("gwlb-svc").service_name.clone();
    let iface = services(&a);
    assert!(iface.contains(&format!("com.amazonaws.{region}.ssm")) && iface.contains(&nlb), "{iface:?}");
    assert!(!iface.contains(&gwlb), "{iface:?}");
    // Typing the short name picks it.
    find(&mut a, "service", "ssm");
    assert_eq!(form(&a).get("service"), format!("com.amazonaws.{region}.ssm"));
    // GatewayLoadBalancer: the GWLB-backed endpoint services only (B2).
    choose(&mut a, "kind", "GatewayLoadBalancer");
    assert_eq!(services(&a), [gwlb]);
}

#[test]
fn snapshot_target_group_targets_picker_en_and_ko() {
    let mut a = with_balancers();
    assert!(a.select_resource(&id_of(&a, "my-vpc")));
    add(&mut a, "target group");
    set(&mut a, "name", "web-tg");
    find(&mut a, "targets", "pvt:8080");
    press(&mut a, key(KeyCode::Char(' ')));
    find(&mut a, "targets", "pub:");
    insta::assert_snapshot!("target_group_targets_picker_en", render(&a, 120, 40));
    press(&mut a, key(KeyCode::Esc));
    a.set_lang(vpcraft::l10n::Lang::Ko);
    add(&mut a, "target group");
    find(&mut a, "targets", "pvt:8080");
    press(&mut a, key(KeyCode::Char(' ')));
    insta::assert_snapshot!("target_group_targets_picker_ko", render(&a, 120, 40));
}

#[test]
fn snapshot_ecs_target_groups_and_endpoint_services_en_and_ko() {
    for lang in [vpcraft::l10n::Lang::En, vpcraft::l10n::Lang::Ko] {
        let mut a = with_balancers();
        a.set_lang(lang);
        assert!(a.select_resource(&id_of(&a, "my-vpc")));
        add(&mut a, "Lambda, ECS or EKS service");
        choose(&mut a, "kind", "Ecs");
        find(&mut a, "load_balancers", "ip:3000");
        press(&mut a, key(KeyCode::Char(' ')));
        insta::assert_snapshot!(format!("ecs_target_groups_{lang:?}"), render(&a, 120, 40));
        press(&mut a, key(KeyCode::Esc));
        add(&mut a, "VPC endpoint");
        choose(&mut a, "kind", "GatewayLoadBalancer");
        find(&mut a, "service", "gwlb");
        insta::assert_snapshot!(format!("endpoint_services_gwlb_{lang:?}"), render(&a, 120, 40));
    }
}

/// M10, M11: a lambda group's picker offers the Lambda functions, an alb group's the VPC's
/// application load balancers (with their listener ports); what the model refuses (an ALB
/// that does not listen on the group's port) is said in the form and nothing is made.
#[test]
fn a_lambda_or_alb_target_group_picks_a_function_or_an_application_load_balancer() {
    let mut a = with_balancers();
    let r = |n: &str| Ref::name(n);
    let pvt = a.design.subnets.iter().find(|s| s.name == "my-pvt-2a").expect("my-pvt-2a").id.clone();
    let ops = vec![
        Op::AddComputeService {
            name: "fn-api".into(),
            kind: vpcraft::model::ops::ComputeSpec::Lambda,
            subnets: vec![Ref::id(pvt)],
            groups: vec![r("my-web-sg")],
        },
        Op::UpdateLoadBalancer {
            load_balancer: r("my-alb"),
            name: None,
            kind: None,
            scheme: None,
            subnets: None,
            groups: None,
            listeners: Some(vec![vpcraft::model::ops::ListenerSpec {
                protocol: vpcraft::model::Protocol::Tcp,
                port: 80,
                target_group: Some(r("inst-tg")),
            }]),
        },
    ];
    a.apply("targets", ops).expect("a function and a listener");
    assert!(a.select_resource(&id_of(&a, "my-vpc")));
    add(&mut a, "target group");
    set(&mut a, "name", "fn-tg");
    choose(&mut a, "target_type", "lambda");
    assert_eq!(offered(&a, "targets"), ["fn-api"]);
    set(&mut a, "targets", "fn-api");
    submit(&mut a);
    let tg = a.design.target_groups.iter().find(|t| t.name == "fn-tg").expect("made");
    assert_eq!(tg.target_type, Some(vpcraft::model::TargetType::Lambda));
    assert_eq!(tg.targets.iter().map(|t| t.id.clone()).collect::<Vec<_>>(), [id_of(&a, "fn-api")]);

    // alb: the VPC's ALB, not its NLB; on a port the ALB does not listen on, refused (M11).
    add(&mut a, "target group");
    set(&mut a, "name", "to-alb");
    choose(&mut a, "target_type", "alb");
    assert_eq!(offered(&a, "targets"), ["my-alb"]);
    set(&mut a, "targets", "my-alb");
    set(&mut a, "port", "9000");
    press(&mut a, key(KeyCode::Enter));
    assert!(!a.design.target_groups.iter().any(|t| t.name == "to-alb"), "refused");
    let said = error_of(&a, "port").unwrap_or_default();
    assert!(said.contains("no listener on port 9000") && said.contains("M11"), "{said}");
    set(&mut a, "port", "80");
    submit(&mut a);
    let tg = a.design.target_groups.iter().find(|t| t.name == "to-alb").expect("made on the listener's port");
    assert_eq!(tg.target_type, Some(vpcraft::model::TargetType::Alb));
    // Its edit form keeps the type fixed (M11).
    edit(&mut a, "to-alb");
    assert!(form(&a).fields.iter().find(|f| f.key == "target_type").expect("type").locked);
}
