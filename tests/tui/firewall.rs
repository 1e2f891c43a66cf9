//! Network Firewall in the app (issue 15): a rule group, a policy and a firewall added through
//! the add menu's forms (pickers for every reference), a route pointed at the firewall's
//! endpoint from the route-target picker, the tree's firewall row with its endpoints, a delete
//! refused while a route uses the firewall, undo, and the trace view's inspection boxes with
//! the verdict of the rule that matched. Snapshots at 120×40.

use std::time::{Duration, Instant};
use vpcraft::app::forms::kinds::Adds;
use vpcraft::app::msg::TreeMsg;
use vpcraft::app::trace_view::{Spec, TraceMsg};
use vpcraft::app::{self, App, Msg, Pane, Popup};
use vpcraft::labs;
use vpcraft::model::ops::Op;
use vpcraft::model::{Design, ResourceKind as RK, RuleGroupKind};

use crate::harness::{self, choose, form, key, press, set, status};
use vpcraft::app::input::KeyCode;

/// Lab 11 after its first `steps` steps: two spokes and an egress VPC on a transit gateway.
fn lab(steps: usize) -> Design {
    let lab = labs::by_name("hub-inspection").expect("lab 11");
    let mut d = labs::run::start_design(&lab).expect("start");
    for i in 0..steps {
        labs::run::apply_step(&lab, i, &mut d).expect("step");
    }
    d
}

fn render(a: &App) -> String {
    harness::render(a, 120, 40)
}

/// Open the add menu on `node` and pick the item that adds `kind`.
fn add(a: &mut App, node: &str, kind: RK) {
    assert!(a.select_resource(node), "{node} has a node");
    app::update(a, Msg::Tree(TreeMsg::Add));
    let Some(Popup::Menu(m)) = a.popup_mut() else { panic!("no add menu") };
    m.selected = m.items.iter().position(|i| i.adds == Adds::Kind(kind) && !i.suggested).expect("menu item");
    press(a, key(KeyCode::Enter));
    form(a);
}

fn vpc_id(d: &Design, name: &str) -> String {
    d.vpcs.iter().find(|v| v.name == name).expect("vpc").id.clone()
}

fn id_of(d: &Design, name: &str) -> String {
    d.resolve(name).expect("resource").id().to_string()
}

/// The firewall of lab 11's second step, built through the forms.
fn built_in_the_app() -> (App, Vec<String>) {
    let mut a = harness::app_on(lab(1));
    let egress = vpc_id(&a.design, "egress");
    let setup = vec![Op::AddSubnet {
        vpc: vpcraft::model::ops::Ref::name("egress"),
        name: "egress-firewall".into(),
        cidr: "10.0.2.0/28".parse().unwrap(),
        az: "a".into(),
        public_ip_on_launch: false,
        route_table: None,
        network_acl: None,
    }];
    a.apply("setup", setup).expect("setup");
    let mut shots = Vec::new();

    add(&mut a, &egress, RK::FirewallRuleGroup);
    set(&mut a, "name", "no-ssh-out");
    choose(&mut a, "kind", "Stateless");
    set(&mut a, "capacity", "10");
    set(&mut a, "stateless_rules", "10 drop tcp any any -> any 22");
    shots.push(render(&a));
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{}", render(&a));
    let g = &a.design.firewall_rule_groups[0];
    assert_eq!(
        (g.name.as_str(), g.kind, g.stateless_rules[0].destination_ports[0].from),
        ("no-ssh-out", RuleGroupKind::Stateless, 22)
    );

    add(&mut a, &egress, RK::FirewallPolicy);
    set(&mut a, "name", "egress-policy");
    set(&mut a, "stateless_groups", "no-ssh-out");
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{}", render(&a));
    let p = &a.design.firewall_policies[0];
    assert_eq!(p.stateless_groups[0].priority, Some(10), "priorities follow the list order (F2)");

    add(&mut a, &egress, RK::NetworkFirewall);
    set(&mut a, "name", "egress-fw");
    choose(&mut a, "vpc", &egress);
    let policy = id_of(&a.design, "egress-policy");
    choose(&mut a, "policy", &policy);
    set(&mut a, "subnets", "egress-firewall");
    shots.push(render(&a));
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{}", render(&a));
    assert_eq!(a.design.network_firewalls[0].endpoints[0].id, "vpce-fw-0001-a");
    (a, shots)
}

#[test]
fn snapshot_the_rule_group_and_firewall_forms() {
    let (_, shots) = built_in_the_app();
    assert!(shots[0].contains("Stateless rules") && shots[0].contains("10 drop tcp any any -> any 22"), "{}", shots[0]);
    insta::assert_snapshot!("rule_group_form", shots[0]);
    assert!(shots[1].contains("Firewall subnets") && shots[1].contains("egress-policy"), "{}", shots[1]);
    insta::assert_snapshot!("firewall_form", shots[1]);
}

#[test]
fn a_route_to_the_firewall_endpoint_from_the_picker_then_the_trace_shows_the_rule_that_dropped() {
    let (mut a, _) = built_in_the_app();
    // The attachment subnet's default route, edited in the tree's route form: the picker
    // offers the firewall's endpoint with its zone.
    let rt = id_of(&a.design, "egress-tgw-rt");
    assert!(a.select_node(&format!("{rt}/r/1")));
    app::update(&mut a, Msg::Tree(TreeMsg::Edit));
    let offered: Vec<String> =
        form(&a).fields.iter().find(|f| f.key == "target").unwrap().options().iter().map(|c| c.label.clone()).collect();
    assert!(offered.iter().any(|l| l == "firewall egress-fw endpoint ap-northeast-2a (vpce-fw-0001-a)"), "{offered:?}");
    choose(&mut a, "target", "vpce:vpce-fw-0001-a");
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{}", render(&a));
    // The firewall subnet's table and the return route, as the lab's step does.
    let lab = labs::by_name("hub-inspection").unwrap();
    let rest: Vec<Op> = lab.steps[1]
        .ops
        .iter()
        .filter(|o| match o {
            Op::AddRouteTable { .. } | Op::AddRoute { .. } => true,
            Op::ReplaceRoute { table, .. } => table.key() == "egress-public-rt",
            _ => false,
        })
        .cloned()
        .collect();
    a.apply("routes", rest).expect("routes");

    let spec = Spec { from: "app-b".into(), to: "8.8.8.8".into(), protocol: "tcp".into(), port: "22".into() };
    app::trace_view::run(&mut a, spec).expect("trace");
    a.focus = Pane::Trace;
    let t0 = Instant::now();
    app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0)));
    app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0 + Duration::from_secs(60))));
    let text = render(&a);
    assert!(text.contains("egress-fw") && text.contains("no-ssh-out"), "the firewall and the rule group: {text}");
    assert!(status(&a).contains("dropped"), "{}", status(&a));
    insta::assert_snapshot!("trace_firewall_drop", text);

    let spec = Spec { from: "app-a".into(), to: "8.8.8.8".into(), protocol: "tcp".into(), port: "443".into() };
    app::trace_view::run(&mut a, spec).expect("trace");
    assert!(status(&a).contains("delivered"), "{}", status(&a));
}

#[test]
fn the_tree_shows_the_firewall_in_its_vpc_and_refuses_its_delete_while_routed_to() {
    let mut a = harness::app_on(lab(2));
    let fw = id_of(&a.design, "egress-fw");
    assert!(a.select_resource(&fw));
    let text = render(&a);
    assert!(text.contains("Network firewalls"), "{text}");
    assert!(text.contains("egress-fw  policy egress-policy · vpce-fw-000"), "{text}");
    insta::assert_snapshot!("tree_firewall", text);
    let before = a.design.clone();
    press(&mut a, KeyCode::Char('d'));
    // Whatever the delete offers (refusal or a question), the design stays until confirmed.
    let shown = format!("{} {}", status(&a), render(&a));
    assert!(shown.contains("route"), "the routes to its endpoint are named: {shown}");
    press(&mut a, key(KeyCode::Esc));
    assert_eq!(a.design, before);
    // Undo of an edit made through the firewall's form.
    app::update(&mut a, Msg::Tree(TreeMsg::Edit));
    set(&mut a, "name", "egress-fw-2");
    press(&mut a, key(KeyCode::Enter));
    assert_eq!(a.design.network_firewalls[0].name, "egress-fw-2");
    app::update(&mut a, Msg::Undo);
    assert_eq!(a.design, before);
}

#[test]
fn a_target_groups_appliance_verdict_is_set_in_its_form_b2() {
    let mut a = harness::app_on(lab(1));
    let setup = vec![Op::AddTargetGroup {
        name: "appliances".into(),
        vpc: vpcraft::model::ops::Ref::name("egress"),
        protocol: vpcraft::model::Protocol::Udp,
        port: 6081,
        targets: Vec::new(),
        target_type: None,
    }];
    a.apply("setup", setup).expect("setup");
    let tg = id_of(&a.design, "appliances");
    assert!(a.select_resource(&tg));
    app::update(&mut a, Msg::Tree(TreeMsg::Edit));
    set(&mut a, "appliance", "block tcp any -> any 22");
    press(&mut a, key(KeyCode::Enter));
    let e = harness::error_of(&a, "appliance").expect("refused");
    assert!(e.contains("allows or denies"), "{e}");
    set(&mut a, "appliance", "deny tcp any -> any 22; default allow");
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{}", render(&a));
    let rules = &a.design.target_groups[0].appliance.rules;
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].ports.to_string(), "22");
    app::update(&mut a, Msg::Undo);
    assert!(a.design.target_groups[0].appliance.is_allow_all());
}
