//! IPv6 in the app (issue 14): the forms take IPv6 blocks, /64s, addresses and CIDRs through
//! the ops (refusals name A7, I5, L2); the planner's /56 → /64 view creates a subnet in a free
//! /64; the tree, details and trace view show IPv6. Snapshots at 120×40.

use std::time::Instant;
use vpcraft::app::input::KeyCode;
use vpcraft::app::msg::{Msg, TreeMsg};
use vpcraft::app::trace_view::{Spec, TraceMsg};
use vpcraft::app::{self, App, Pane, Popup};
use vpcraft::model::ops::{Op, Ref};
use vpcraft::model::{Design, Ipv6Pool, RouteDestination};

use crate::harness::{add, app_on, choose, draw, error_of, form, key, press, set, submit};

fn edit(a: &mut App, id: &str) {
    assert!(a.select_resource(id), "{id} in the tree");
    app::update(a, Msg::Tree(TreeMsg::Edit));
    assert!(matches!(a.popup(), Some(Popup::Form(_))), "the form of {id} opens: {:?}", a.status);
}

/// Enter on a form that must be refused: the form stays open.
fn refused(a: &mut App) {
    press(a, key(KeyCode::Enter));
    assert!(matches!(a.popup(), Some(Popup::Form(_))), "the form was applied: {:?}", a.status);
}

/// VPC `v` (10.0.0.0/16 and an Amazon /56 stand-in, 2001:db8::/56) with dual-stack subnet `a`
/// (slot 0, auto-assign on), an egress-only gateway and `::/0 → eigw` in the main table.
fn dual() -> App {
    let mut a = app_on(Design::new("v6", "ap-northeast-2"));
    let ops = vec![
        Op::AddVpc {
            name: "v".into(),
            cidr: "10.0.0.0/16".parse().expect("cidr"),
            region: None,
            dns_hostnames: true,
            dns_support: true,
            secondary_cidrs: vec![],
        },
        Op::AddVpcIpv6Block { vpc: Ref::name("v"), cidr: None, pool: Ipv6Pool::Amazon },
        Op::AddSubnet {
            vpc: Ref::name("v"),
            name: "a".into(),
            cidr: "10.0.0.0/24".parse().expect("cidr"),
            az: "a".into(),
            public_ip_on_launch: false,
            route_table: None,
            network_acl: None,
        },
        Op::SetSubnetIpv6 { subnet: Ref::name("a"), cidr: None, assign_on_creation: true },
        Op::AddEgressOnlyInternetGateway { name: "eigw".into(), vpc: Ref::name("v") },
    ];
    a.apply("setup", ops).expect("setup");
    let main = a.design.route_tables[0].id.clone();
    let eigw = a.design.egress_only_internet_gateways[0].id.clone();
    let route = Op::AddRoute {
        table: Ref::id(main),
        destination: RouteDestination::Cidr("::/0".parse().expect("cidr")),
        target: Ref::id(eigw),
    };
    a.apply("route", vec![route]).expect("route");
    a
}

fn vpc_id(a: &App) -> String {
    a.design.vpcs[0].id.clone()
}

fn subnet<'a>(a: &'a App, name: &str) -> &'a vpcraft::model::Subnet {
    a.design.subnets.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("subnet {name}"))
}

#[test]
fn vpc_form_associates_and_disassociates_ipv6_blocks() {
    let mut a = app_on(Design::new("v6", "ap-northeast-2"));
    add(&mut a, "VPC");
    set(&mut a, "name", "v");
    set(&mut a, "ipv6", "amazon");
    submit(&mut a);
    let b = &a.design.vpcs[0].ipv6_cidr_blocks;
    assert_eq!((b.len(), b[0].cidr.to_string(), b[0].placeholder), (1, "2001:db8::/56".to_string(), true));
    assert!(a.design.route_tables[0].routes.iter().any(|r| r.destination.to_string() == "2001:db8::/56"), "R2");

    let id = vpc_id(&a);
    edit(&mut a, &id);
    assert_eq!(form(&a).get("ipv6"), "2001:db8::/56");
    // Text that is not a block, and a block AWS would refuse, each with why.
    set(&mut a, "ipv6", "2001:db8::/56, fe80::1%eth0/56");
    assert!(error_of(&a, "ipv6").is_some_and(|e| e.contains("zone id")), "{:?}", error_of(&a, "ipv6"));
    set(&mut a, "ipv6", "2001:db8::/56, 2600:1f18::/48");
    refused(&mut a);
    assert!(error_of(&a, "ipv6").is_some_and(|e| e.contains("A7")), "{:?}", error_of(&a, "ipv6"));
    // A BYOIP /48 with its pool.
    set(&mut a, "ipv6", "2001:db8::/56, 2001:db8:100::/48 ipv6pool-ec2-0a1b");
    submit(&mut a);
    let b = &a.design.vpcs[0].ipv6_cidr_blocks;
    assert_eq!(b.len(), 2);
    assert_eq!(b[1].pool, Ipv6Pool::Byoip("ipv6pool-ec2-0a1b".into()));
    // Removing them all: the local routes go too.
    edit(&mut a, &id);
    set(&mut a, "ipv6", "");
    submit(&mut a);
    assert!(a.design.vpcs[0].ipv6_cidr_blocks.is_empty());
    assert!(a.design.route_tables[0].routes.iter().all(|r| !r.destination.to_string().contains(':')));
}

#[test]
fn a_block_in_use_by_a_subnet_is_refused_with_a7() {
    let mut a = dual();
    let id = vpc_id(&a);
    edit(&mut a, &id);
    set(&mut a, "ipv6", "");
    refused(&mut a);
    let e = error_of(&a, "ipv6").expect("an error beside the field");
    assert!(e.contains("A7") && e.contains("subnet a"), "{e}");
}

#[test]
fn subnet_form_offers_the_free_64s_and_makes_dual_stack_and_ipv6_only_subnets() {
    let mut a = dual();
    let id = vpc_id(&a);
    assert!(a.select_resource(&id));
    add(&mut a, "subnet");
    let offered: Vec<String> = form(&a)
        .fields
        .iter()
        .find(|f| f.key == "ipv6")
        .expect("ipv6")
        .options()
        .iter()
        .map(|o| o.value.clone())
        .collect();
    assert_eq!(offered[0], "", "none first");
    assert_eq!(offered[1], "2001:db8:0:1::/64", "the used slot 0 is not offered");
    assert_eq!(offered.len(), 1 + 255);
    assert_eq!(form(&a).get("assign_ipv6"), "no");
    set(&mut a, "name", "b");
    choose(&mut a, "ipv6", "2001:db8:0:1::/64");
    assert_eq!(form(&a).get("assign_ipv6"), "yes", "choosing a /64 turns auto-assign on");
    submit(&mut a);
    let b = subnet(&a, "b");
    assert_eq!(b.ipv6_cidr.map(|c| c.to_string()).as_deref(), Some("2001:db8:0:1::/64"));
    assert!(b.assign_ipv6_address_on_creation && b.cidr.is_some());

    // No IPv4 block: an IPv6-only subnet, with DNS64.
    assert!(a.select_resource(&id));
    add(&mut a, "subnet");
    set(&mut a, "name", "c");
    set(&mut a, "cidr", "");
    refused(&mut a);
    assert!(error_of(&a, "cidr").is_some_and(|e| e.contains("A7")), "{:?}", error_of(&a, "cidr"));
    choose(&mut a, "ipv6", "2001:db8:0:2::/64");
    set(&mut a, "dns64", "yes");
    submit(&mut a);
    let c = subnet(&a, "c");
    assert!(c.is_ipv6_only() && c.enable_dns64, "{c:?}");
    assert_eq!(c.ipv6_cidr.map(|x| x.to_string()).as_deref(), Some("2001:db8:0:2::/64"));

    // Taking b's /64 away (no interface holds an address of it).
    let bid = subnet(&a, "b").id.clone();
    edit(&mut a, &bid);
    set(&mut a, "ipv6", "none");
    assert_eq!(form(&a).get("ipv6"), "");
    set(&mut a, "assign_ipv6", "no");
    submit(&mut a);
    assert!(subnet(&a, "b").ipv6_cidr.is_none());
}

#[test]
fn instance_form_auto_assigns_as_the_subnet_says_and_takes_addresses() {
    let mut a = dual();
    let s = subnet(&a, "a").id.clone();
    assert!(a.select_resource(&s));
    add(&mut a, "instance");
    assert_eq!(form(&a).get("ipv6"), "auto", "the subnet assigns IPv6 on creation");
    set(&mut a, "name", "h1");
    submit(&mut a);
    let nic = |a: &App, name: &str| {
        let i = a.design.instances.iter().find(|i| i.name == name).expect("instance").id.clone();
        a.design.instance_interfaces(&i)[0].ipv6_addresses.iter().map(|x| x.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(nic(&a, "h1"), ["2001:db8::4"]);

    assert!(a.select_resource(&s));
    add(&mut a, "instance");
    set(&mut a, "name", "h2");
    set(&mut a, "ipv6", "2001:db8::3");
    refused(&mut a);
    let e = error_of(&a, "ipv6").expect("refused beside the field");
    assert!(e.contains("reserved") && e.contains("A7"), "{e}");
    set(&mut a, "ipv6", "::ffff:10.0.0.1");
    assert!(error_of(&a, "ipv6").is_some_and(|e| e.contains("IPv4 address written as IPv6")));
    set(&mut a, "ipv6", "2001:DB8:0:0::99");
    submit(&mut a);
    assert_eq!(nic(&a, "h2"), ["2001:db8::99"], "exactly the address typed, canonical");

    // Edit: none.
    let h2 = a.design.instances.iter().find(|i| i.name == "h2").expect("h2").id.clone();
    edit(&mut a, &h2);
    assert_eq!(form(&a).get("ipv6"), "2001:db8::99");
    set(&mut a, "ipv6", "");
    submit(&mut a);
    assert!(nic(&a, "h2").is_empty());
}

#[test]
fn route_sg_and_nacl_forms_take_ipv6_and_the_eigw_only_for_ipv6() {
    let mut a = dual();
    let main = a.design.route_tables[0].id.clone();
    assert!(a.select_resource(&main));
    app::update(&mut a, Msg::Tree(TreeMsg::Add));
    let Some(Popup::Menu(m)) = a.popup_mut() else { panic!("no add menu") };
    m.selected = m.items.iter().position(|i| i.label.starts_with("route in")).expect("route item");
    press(&mut a, key(KeyCode::Enter));
    let targets = |a: &App| -> Vec<String> {
        form(a)
            .fields
            .iter()
            .find(|f| f.key == "target")
            .expect("target")
            .options()
            .iter()
            .map(|o| o.value.clone())
            .collect()
    };
    set(&mut a, "destination", "0.0.0.0/0");
    assert!(targets(&a).iter().all(|t| !t.starts_with("eigw:")), "I5: no egress-only gateway for IPv4");
    set(&mut a, "destination", "2600::/16");
    let eigw = format!("eigw:{}", a.design.egress_only_internet_gateways[0].id);
    assert!(targets(&a).contains(&eigw), "offered for an IPv6 destination");
    choose(&mut a, "target", &eigw);
    submit(&mut a);
    let rt = a.design.route_table(&main).expect("table");
    assert!(rt.routes.iter().any(|r| r.destination.to_string() == "2600::/16"));

    // A security group rule from ::/0.
    let sg = a.design.security_groups[0].id.clone();
    assert!(a.select_resource(&sg));
    app::update(&mut a, Msg::Tree(TreeMsg::Add));
    let Some(Popup::Menu(m)) = a.popup_mut() else { panic!("no add menu") };
    m.selected = m.items.iter().position(|i| i.label.contains("rule")).expect("rule item");
    press(&mut a, key(KeyCode::Enter));
    set(&mut a, "peer", "2001:db8::/129");
    assert!(error_of(&a, "peer").is_some_and(|e| e.contains("0 to 128")), "{:?}", error_of(&a, "peer"));
    set(&mut a, "peer", "::/0");
    submit(&mut a);
    let g = a.design.security_group(&sg).expect("group");
    assert!(g.ingress.iter().any(|r| r.peer.to_string() == "::/0"));

    // A network ACL entry for ::/0; rule 101 is AWS's own IPv6 rule, so it is refused (L2).
    let acl = a.design.network_acls[0].id.clone();
    assert!(a.select_resource(&acl));
    app::update(&mut a, Msg::Tree(TreeMsg::Add));
    let Some(Popup::Menu(m)) = a.popup_mut() else { panic!("no add menu") };
    m.selected = m.items.iter().position(|i| i.label.contains("entry")).expect("entry item");
    press(&mut a, key(KeyCode::Enter));
    set(&mut a, "rule", "101");
    set(&mut a, "cidr", "::/0");
    refused(&mut a);
    assert!(error_of(&a, "rule").is_some_and(|e| e.contains("L2")), "{:?}", error_of(&a, "rule"));
    set(&mut a, "rule", "120");
    set(&mut a, "cidr", "2001:DB8::/32");
    submit(&mut a);
    let acl = a.design.network_acl(&acl).expect("acl");
    assert!(acl.entries.iter().any(|e| e.rule_number == 120 && e.cidr.to_string() == "2001:db8::/32"));
}

#[test]
fn planner_ipv6_view_creates_a_subnet_in_the_chosen_64() {
    let mut a = dual();
    let id = vpc_id(&a);
    assert!(a.select_resource(&id));
    press(&mut a, KeyCode::Char('2'));
    press(&mut a, KeyCode::Char('6'));
    assert!(a.planner.ipv6);
    // Slot 0 is subnet a's: n refuses it; Enter selects the subnet.
    press(&mut a, KeyCode::Char('n'));
    assert!(a.popup().is_none());
    // Slot 0x12 (two rows down, two right), free.
    for k in [KeyCode::PageDown, KeyCode::Right, KeyCode::Right] {
        press(&mut a, k);
    }
    assert_eq!(a.planner.cursor6, 18);
    insta::assert_snapshot!("planner_ipv6_view_120x40", draw(&a, 120, 40).backend());
    press(&mut a, KeyCode::Char('n'));
    assert_eq!(form(&a).get("ipv6"), "2001:db8:0:12::/64");
    set(&mut a, "name", "from-map");
    submit(&mut a);
    let s = subnet(&a, "from-map");
    assert_eq!(s.ipv6_cidr.map(|c| c.to_string()).as_deref(), Some("2001:db8:0:12::/64"));
    assert!(s.cidr.is_some(), "dual-stack: the form offered the next free IPv4 block too");
    press(&mut a, KeyCode::Char('2'));
    press(&mut a, KeyCode::Home);
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.selected_subnet().map(|s| s.name.clone()).as_deref(), Some("a"));
}

#[test]
fn forms_with_ipv6_fields_snapshots() {
    let mut a = dual();
    let id = vpc_id(&a);
    edit(&mut a, &id);
    insta::assert_snapshot!("vpc_form_ipv6_120x40", draw(&a, 120, 40).backend());
    press(&mut a, key(KeyCode::Esc));
    let s = subnet(&a, "a").id.clone();
    edit(&mut a, &s);
    insta::assert_snapshot!("subnet_form_ipv6_120x40", draw(&a, 120, 40).backend());
    press(&mut a, key(KeyCode::Esc));
    assert!(a.select_resource(&s));
    add(&mut a, "instance");
    set(&mut a, "name", "h");
    insta::assert_snapshot!("instance_form_ipv6_120x40", draw(&a, 120, 40).backend());
}

#[test]
fn tree_details_and_trace_of_an_ipv6_flow_snapshots() {
    let mut a = dual();
    let s = subnet(&a, "a").id.clone();
    a.apply(
        "instance",
        vec![Op::AddInstance {
            name: "h".into(),
            subnet: Ref::id(s),
            private_ip: None,
            groups: vec![],
            public_ip: None,
            role: String::new(),
            instance_type: None,
            state: vpcraft::model::InstanceState::Running,
            source_dest_check: true,
        }],
    )
    .expect("instance");
    let h = a.design.instances[0].id.clone();
    assert!(a.select_resource(&h));
    insta::assert_snapshot!("tree_details_dual_stack_120x40", draw(&a, 120, 40).backend());
    let spec = Spec { from: "h".into(), to: "2001:4860:4860::8888".into(), protocol: "tcp".into(), port: "443".into() };
    app::trace_view::run(&mut a, spec).expect("trace");
    a.focus = Pane::Trace;
    app::update(&mut a, Msg::TraceView(TraceMsg::Tick(Instant::now())));
    let r = a.trace_view.result.clone().expect("result");
    assert!(r.forward.iter().any(|h| h.component.id.starts_with("eigw-")), "through the egress-only gateway");
    insta::assert_snapshot!("trace_ipv6_via_eigw_120x40", draw(&a, 120, 40).backend());
}

#[test]
fn trace_view_draws_nat64() {
    let d = vpcraft::io::native::load_file(std::path::Path::new("tests/fixtures/designs/valid/dual-stack.ron"))
        .expect("fixture");
    let mut a = app_on(d);
    let spec = Spec {
        from: "v6host".into(),
        to: "s3.ap-northeast-2.amazonaws.com".into(),
        protocol: "tcp".into(),
        port: "443".into(),
    };
    app::trace_view::run(&mut a, spec).expect("trace");
    a.focus = Pane::Trace;
    app::update(&mut a, Msg::TraceView(TraceMsg::Tick(Instant::now())));
    insta::assert_snapshot!("trace_nat64_120x40", draw(&a, 120, 40).backend());
}

#[test]
fn vpc_and_more_builds_dual_stack_with_one_switch() {
    let mut a = app_on(Design::new("v6", "ap-northeast-2"));
    add(&mut a, vpcraft::app::vpc_more::LABEL);
    set(&mut a, "ipv6", "yes");
    submit(&mut a);
    // The status says what was made with the name prefix (not "add VPC and more my: done").
    let st = crate::harness::status(&a);
    assert!(st.contains("VPC and more: created, names starting with my"), "{st}");
    let d = &a.design;
    assert_eq!(d.vpcs[0].ipv6_cidr_blocks.len(), 1);
    let mut slots: Vec<String> =
        d.subnets.iter().map(|s| s.ipv6_cidr.expect("every subnet dual-stack").to_string()).collect();
    slots.sort();
    slots.dedup();
    assert_eq!(slots.len(), d.subnets.len(), "a /64 each");
    assert!(d.subnets.iter().all(|s| s.assign_ipv6_address_on_creation));
    let eigw =
        d.egress_only_internet_gateways.first().expect("an egress-only gateway for the private tables").id.clone();
    let via = |table: &str| {
        let t = d.route_tables.iter().find(|t| t.name == table).expect("table");
        t.routes.iter().find(|r| r.destination.to_string() == "::/0").and_then(|r| r.target.id().map(str::to_string))
    };
    assert_eq!(via("my-pvt-rt"), Some(eigw), "I5: private IPv6 goes out only");
    assert!(via("my-pub-rt").is_some_and(|t| t.starts_with("igw-")));
}
