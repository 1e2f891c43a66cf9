//! The keymap and the update logic, without a terminal: key events in, state out.

use vpcraft::app::forms::{kinds, FormKind};
use vpcraft::app::input::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use vpcraft::app::keymap::{self, Layer};
use vpcraft::app::msg::{FormMsg, InputMsg, Msg, TreeMsg};
use vpcraft::app::tree::NodeRef;
use vpcraft::app::{self, App, Pane, Popup};
use vpcraft::model::ResourceKind as RK;

use crate::harness::{add, app, app_on, choose, ctrl, error_of, form, key, mouse, press, render, set, submit, typ};

// ---------------------------------------------------------------------------------------------
// The keymap.

#[test]
fn keymap_routes_by_layer() {
    let mut a = app();
    assert_eq!(keymap::route_key(&a, key(KeyCode::Tab)), Some(Msg::FocusNext));
    assert_eq!(keymap::route_key(&a, key(KeyCode::BackTab)), Some(Msg::FocusPrev));
    assert_eq!(keymap::route_key(&a, key(KeyCode::Char('q'))), Some(Msg::Quit));
    assert_eq!(keymap::route_key(&a, ctrl('s')), Some(Msg::Save));
    assert_eq!(keymap::route_key(&a, key(KeyCode::Char('j'))), Some(Msg::Tree(TreeMsg::Down)));
    assert_eq!(keymap::route_key(&a, key(KeyCode::Char('/'))), Some(Msg::Tree(TreeMsg::StartFilter)));
    // Releases and repeats-as-release never act.
    let release = KeyEvent { kind: KeyEventKind::Release, ..key(KeyCode::Char('q')) };
    assert_eq!(keymap::route_key(&a, release), None);

    // The focused pane's keys come before global ones.
    a.focus = Pane::Trace;
    assert_eq!(keymap::route_key(&a, key(KeyCode::Char('j'))), Some(Msg::Scroll(Pane::Trace, 1)));

    // In a form, letters are text: `q` does not quit.
    a.focus = Pane::Tree;
    add(&mut a, "VPC");
    assert_eq!(keymap::route_key(&a, key(KeyCode::Char('q'))), Some(Msg::Form(FormMsg::Input(InputMsg::Char('q')))));
    assert_eq!(keymap::route_key(&a, key(KeyCode::Esc)), Some(Msg::Form(FormMsg::Cancel)));
    assert_eq!(keymap::route_key(&a, key(KeyCode::F(1))), Some(Msg::ShowHelp));
    // On a choice field, ←/→ change the choice.
    if let Some(Popup::Form(f)) = a.popup_mut() {
        f.focus = f.fields.iter().position(|x| x.key == "region").expect("region field");
    }
    assert_eq!(keymap::route_key(&a, key(KeyCode::Right)), Some(Msg::Form(FormMsg::Cycle(1))));

    // With help open, help keys only.
    app::update(&mut a, Msg::ShowHelp);
    assert_eq!(keymap::route_key(&a, key(KeyCode::Esc)), Some(Msg::CloseHelp));
    assert_eq!(keymap::route_key(&a, key(KeyCode::Char('x'))), None);
}

#[test]
fn filter_mode_takes_the_keyboard() {
    let mut a = app();
    press(&mut a, key(KeyCode::Char('/')));
    assert!(a.filter_editing());
    typ(&mut a, "pvt-2c");
    assert_eq!(a.tree.filter, "pvt-2c");
    // The tree pane only (the planner shows the whole VPC whatever the filter).
    let shown: String = render(&a, 120, 40).lines().map(|l| l.chars().take(55).collect::<String>() + "\n").collect();
    assert!(shown.contains("my-pvt-2c") && !shown.contains("my-pub-2a"), "{shown}");
    press(&mut a, key(KeyCode::Enter));
    assert!(!a.filter_editing());
    assert_eq!(keymap::route_key(&a, key(KeyCode::Char('q'))), Some(Msg::Quit));
    press(&mut a, key(KeyCode::Esc));
    assert!(a.tree.filter.is_empty());
    assert!(render(&a, 120, 40).contains("my-pub-2a"));
}

#[test]
fn binding_tables_are_unambiguous_and_documented() {
    for layer in [
        Layer::Global,
        Layer::Tree,
        Layer::Planner,
        Layer::Routes,
        Layer::Trace,
        Layer::Map,
        Layer::Filter,
        Layer::Form,
        Layer::Menu,
        Layer::Picker,
        Layer::Confirm,
        Layer::Help,
        Layer::TracePicker,
        Layer::LabPicker,
        Layer::Lab,
        Layer::Reach,
    ] {
        let mut seen = Vec::new();
        for b in keymap::bindings(layer).iter().filter(|b| !b.help_only) {
            assert!(!b.help.is_empty());
            for k in b.keys {
                assert!(!seen.contains(k), "{layer:?}: {} is bound twice", k.label());
                seen.push(*k);
            }
        }
    }
}

#[test]
fn help_lists_every_binding_of_the_focused_pane() {
    let mut a = app();
    press(&mut a, key(KeyCode::Char('?')));
    let text: String = vpcraft::ui::help::lines(&a).iter().map(|l| l.to_string() + "\n").collect();
    for layer in [Layer::Tree, Layer::Global] {
        for b in keymap::bindings(layer) {
            assert!(text.contains(b.help), "help lacks {:?}", b.help);
        }
    }
    press(&mut a, key(KeyCode::Esc));
    assert!(a.help().is_none());
}

// ---------------------------------------------------------------------------------------------
// Update.

#[test]
fn focus_cycles_and_zoom_toggles() {
    let mut a = app();
    assert_eq!(a.focus, Pane::Tree);
    for want in [Pane::Planner, Pane::Routes, Pane::Trace, Pane::Tree] {
        press(&mut a, key(KeyCode::Tab));
        assert_eq!(a.focus, want);
    }
    press(&mut a, key(KeyCode::BackTab));
    assert_eq!(a.focus, Pane::Trace);
    press(&mut a, key(KeyCode::Char('z')));
    assert!(a.zoom);
    let screen = render(&a, 120, 40);
    assert!(screen.contains("4 Trace") && !screen.contains("1 VPC tree"), "zoom shows one pane");
    press(&mut a, key(KeyCode::Esc));
    assert!(!a.zoom);
}

#[test]
fn mouse_click_focuses_and_selects_and_wheel_scrolls() {
    let mut a = app();
    render(&a, 120, 40);
    let click = |x, y| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    };
    mouse(&mut a, click(100, 20));
    assert_eq!(a.focus, Pane::Routes);
    // Row 2 of the tree is the VPC.
    mouse(&mut a, click(10, 2));
    assert_eq!(a.focus, Pane::Tree);
    assert_eq!(a.selected_node(), Some(&NodeRef::Resource { kind: RK::Vpc, id: "vpc-0001".into() }));
    let wheel = MouseEvent { kind: MouseEventKind::ScrollDown, column: 100, row: 5, modifiers: KeyModifiers::NONE };
    mouse(&mut a, wheel);
    // The planner's table scrolls with its selection: the wheel moves it three rows.
    assert_eq!(a.planner.cursor, 3);
    assert_eq!(a.focus, Pane::Tree, "the wheel does not move the focus");
}

#[test]
fn add_vpc_then_undo_and_redo() {
    let mut a = app();
    let n = a.design.vpcs.len();
    a.tree.first();
    add(&mut a, "VPC");
    typ(&mut a, "lab");
    submit(&mut a);
    assert_eq!(a.design.vpcs.len(), n + 1);
    assert!(a.dirty());
    let id = a.design.vpcs.last().map(|v| v.id.clone()).unwrap_or_default();
    assert_eq!(
        a.selected_node(),
        Some(&NodeRef::Resource { kind: RK::Vpc, id: id.clone() }),
        "the new VPC is selected"
    );
    press(&mut a, key(KeyCode::Char('u')));
    assert_eq!(a.design.vpcs.len(), n);
    assert!(!a.dirty(), "undo back to the saved design is clean");
    press(&mut a, ctrl('r'));
    assert_eq!(a.design.vpcs.len(), n + 1);
    assert!(a.dirty());
}

#[test]
fn subnet_form_refuses_with_the_reason_and_keeps_what_was_typed() {
    let mut a = app();
    assert!(a.select_resource("vpc-0001"));
    add(&mut a, "subnet");
    typ(&mut a, "app-2a");
    set(&mut a, "cidr", "10.39.8.0/24");
    let e = error_of(&a, "cidr").expect("overlap refused");
    assert!(e.contains("overlaps subnet my-pub-2a (subnet-0001") && e.contains("A5"), "{e}");
    press(&mut a, key(KeyCode::Enter));
    let f = form(&a);
    assert!(f.message.as_deref().is_some_and(|m| m.contains("Not applied")));
    assert_eq!(f.get("name"), "app-2a", "the name typed is kept");
    assert_eq!(f.get("cidr"), "10.39.8.0/24", "the CIDR typed is kept");

    set(&mut a, "cidr", "10.40.0.0/24");
    assert!(error_of(&a, "cidr").is_some_and(|e| e.contains("not inside my-vpc") && e.contains("A5")));
    set(&mut a, "cidr", "10.39.200.0/29");
    assert!(error_of(&a, "cidr").is_some_and(|e| e.contains("/16 to /28") && e.contains("A5")));
    set(&mut a, "cidr", "10.39.200.0/24");
    set(&mut a, "name", "my-pub-2a");
    assert!(error_of(&a, "name").is_some_and(|e| e.contains("already exists")));
    set(&mut a, "name", "app-2a");
    submit(&mut a);
    assert!(a.design.subnets.iter().any(|s| s.name == "app-2a" && s.primary_cidr_text() == "10.39.200.0/24"));
}

#[test]
fn vpc_cidr_rules() {
    let mut a = app();
    a.tree.first();
    add(&mut a, "VPC");
    set(&mut a, "cidr", "10.0.0.0/8");
    assert!(error_of(&a, "cidr").is_some_and(|e| e.contains("A1")));
    set(&mut a, "cidr", "10.0.0/16");
    assert!(error_of(&a, "cidr").is_some_and(|e| e.contains("not an IPv4 CIDR")));
    set(&mut a, "cidr", "169.254.0.0/16");
    assert!(error_of(&a, "cidr").is_some_and(|e| e.contains("A3")));
    set(&mut a, "cidr", "10.1.0.0/16");
    set(&mut a, "secondary", "192.168.0.0/16");
    assert!(error_of(&a, "secondary").is_some_and(|e| e.contains("A3")));
    set(&mut a, "secondary", "10.1.128.0/17");
    assert!(error_of(&a, "secondary").is_some_and(|e| e.contains("overlaps") && e.contains("A2")));
    set(&mut a, "secondary", "10.2.0.0/16");
    set(&mut a, "name", "my-vpc");
    assert!(error_of(&a, "name").is_some());
    set(&mut a, "name", "second");
    submit(&mut a);
    let v = a.design.vpcs.iter().find(|v| v.name == "second").expect("added");
    // The secondary CIDR got its local route in the main table (R2).
    assert!(a.design.route_tables.iter().any(|r| r.vpc == v.id && r.main && r.routes.len() == 2));
}

#[test]
fn routes_rules_and_entries_from_the_tree() {
    let mut a = app();
    // A route in the public table: R7 and duplicates refused; a good one applies.
    assert!(a.select_resource("rtb-0002"));
    add(&mut a, "route in my-pub-rt (rtb-0002)");
    set(&mut a, "destination", "169.254.169.0/24");
    assert!(error_of(&a, "destination").is_some_and(|e| e.contains("R7")));
    set(&mut a, "destination", "169.254.168.0/22");
    assert!(error_of(&a, "destination").is_some_and(|e| e.contains("R7")));
    set(&mut a, "destination", "0.0.0.0/0");
    assert!(error_of(&a, "destination").is_some_and(|e| e.contains("already has a route")));
    set(&mut a, "destination", "10.39.0.0/16");
    assert!(error_of(&a, "destination").is_some_and(|e| e.contains("R2")));
    set(&mut a, "destination", "192.168.0.0/16");
    submit(&mut a);
    assert_eq!(a.design.route_table("rtb-0002").map(|r| r.routes.len()), Some(3));
    assert!(matches!(a.selected_node(), Some(NodeRef::Route { index: 2, .. })));
    // The local route cannot go (R2).
    assert!(a.select_node("rtb-0002/r/0"));
    press(&mut a, key(KeyCode::Char('d')));
    assert!(a.status.as_ref().is_some_and(|s| s.text.contains("R2")));

    // An inbound SG rule.
    assert!(a.select_resource("sg-0002"));
    add(&mut a, "inbound rule in my-web-sg (sg-0002)");
    set(&mut a, "ports", "70000");
    assert!(error_of(&a, "ports").is_some());
    set(&mut a, "ports", "443");
    set(&mut a, "peer", "nope");
    assert!(error_of(&a, "peer").is_some_and(|e| e.contains("S6")));
    set(&mut a, "peer", "my-web-sg");
    submit(&mut a);
    assert_eq!(a.design.security_group("sg-0002").map(|g| g.ingress.len()), Some(4));

    // A NACL entry: number range and uniqueness (L2).
    assert!(a.select_resource("acl-0001"));
    add(&mut a, "inbound entry in my-vpc-default (acl-0001)");
    set(&mut a, "rule", "40000");
    assert!(error_of(&a, "rule").is_some_and(|e| e.contains("L2")));
    set(&mut a, "rule", "100");
    assert!(error_of(&a, "rule").is_some_and(|e| e.contains("already exists")));
    set(&mut a, "rule", "90");
    submit(&mut a);
    assert_eq!(a.design.network_acl("acl-0001").map(|x| x.entries.len()), Some(3));
}

#[test]
fn delete_asks_when_referenced_and_cascades_on_yes() {
    let mut a = app();
    assert!(a.select_resource("igw-0001"));
    press(&mut a, key(KeyCode::Char('d')));
    match a.popup() {
        Some(Popup::Confirm(c)) => assert!(c.lines.iter().any(|l| l.contains("rtb-0002"))),
        other => panic!("expected a question, got {other:?}"),
    }
    press(&mut a, key(KeyCode::Char('n')));
    assert!(a.design.internet_gateway("igw-0001").is_some(), "no keeps it");
    press(&mut a, key(KeyCode::Char('d')));
    press(&mut a, key(KeyCode::Char('y')));
    assert!(a.design.internet_gateway("igw-0001").is_none());
    let r = &a.design.route_table("rtb-0002").expect("table").routes[1];
    assert_eq!(r.state, vpcraft::model::RouteState::Blackhole, "R6");
    press(&mut a, key(KeyCode::Char('u')));
    assert!(a.design.internet_gateway("igw-0001").is_some(), "undo brings it back");

    // The main table cannot go at all (R1).
    assert!(a.select_resource("rtb-0001"));
    press(&mut a, key(KeyCode::Char('d')));
    assert!(a.popup().is_none());
    assert!(a.status.as_ref().is_some_and(|s| s.text.contains("R1")));

    // An unreferenced resource goes at once.
    add_named_sg(&mut a, "lonely");
    let id = a.design.security_groups.iter().find(|g| g.name == "lonely").map(|g| g.id.clone()).expect("sg");
    assert!(a.select_resource(&id));
    press(&mut a, key(KeyCode::Char('d')));
    assert!(a.design.security_group(&id).is_none());
}

fn add_named_sg(a: &mut App, name: &str) {
    assert!(a.select_resource("vpc-0001"));
    add(a, "security group");
    set(a, "name", name);
    submit(a);
}

#[test]
fn quit_asks_only_with_unsaved_changes() {
    let mut a = app();
    press(&mut a, key(KeyCode::Char('q')));
    assert!(a.should_quit);

    let mut a = app();
    add_named_sg(&mut a, "x");
    press(&mut a, key(KeyCode::Char('q')));
    assert!(!a.should_quit);
    assert!(matches!(a.popup(), Some(Popup::Confirm(_))));
    press(&mut a, key(KeyCode::Esc));
    assert!(!a.should_quit && a.popup().is_none());
    press(&mut a, key(KeyCode::Char('q')));
    press(&mut a, key(KeyCode::Char('y')));
    assert!(a.should_quit);
}

#[test]
fn themes_switch_at_run_time() {
    let mut a = app();
    assert_eq!(a.theme, "dark");
    press(&mut a, key(KeyCode::Char('T')));
    assert_eq!(a.theme, "light");
    press(&mut a, key(KeyCode::Char('T')));
    assert_eq!(a.theme, "high-contrast");
    press(&mut a, key(KeyCode::Char('T')));
    assert_eq!(a.theme, "dark");
    // A user override survives the switch.
    let mut view = vpcraft::ui::ViewState::new(vpcraft::ui::theme::parse_file("(error: \"#123456\")").ok());
    press(&mut a, key(KeyCode::Char('T')));
    assert_eq!(view.theme(&a.theme).name, "light");
    assert_eq!(view.theme(&a.theme).error, ratatui::style::Color::Rgb(0x12, 0x34, 0x56));
}

#[test]
fn save_as_then_save_writes_the_file_and_cleans_the_design() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = App::new(vpcraft::assets::default_example(), None);
    add_named_sg(&mut a, "saved-sg");
    press(&mut a, ctrl('s'));
    // No path yet: save as.
    assert_eq!(form(&a).kind, FormKind::SaveAs);
    let path = dir.path().join("out.ron");
    set(&mut a, "path", &path.display().to_string());
    submit(&mut a);
    assert!(!a.dirty());
    assert_eq!(a.path.as_deref(), Some(path.as_path()));
    let back = vpcraft::io::native::load_file(&path).expect("loads");
    assert!(back.security_groups.iter().any(|g| g.name == "saved-sg"));
}

#[test]
fn autosave_writes_a_recovery_file_that_is_offered_back() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("rec.ron");
    vpcraft::io::native::save_file(&vpcraft::assets::default_example(), &path).expect("save");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut a = App::new(vpcraft::io::native::load_file(&path).expect("load"), Some(path.clone()));
    a.autosave.enabled = true;
    add_named_sg(&mut a, "unsaved-sg");
    app::update(&mut a, Msg::Tick);
    let rec = vpcraft::app::files::recovery_path(&a);
    assert!(rec.exists(), "the recovery file is written");

    // A new session on the same file finds it and offers it.
    let mut b = App::new(vpcraft::io::native::load_file(&path).expect("load"), Some(path.clone()));
    vpcraft::app::update::offer_recovery(&mut b);
    assert!(matches!(b.popup(), Some(Popup::Confirm(_))));
    press(&mut b, key(KeyCode::Char('y')));
    assert!(b.design.security_groups.iter().any(|g| g.name == "unsaved-sg"));
    assert!(b.dirty(), "recovered changes still need saving");
    // Saving removes it.
    press(&mut b, ctrl('s'));
    assert!(!rec.exists());
}

// ---------------------------------------------------------------------------------------------
// Every kind has a working form.

#[test]
fn every_resource_kind_can_be_added_from_the_tree() {
    let mut a = app();
    let sel = |a: &mut App, id: &str| assert!(a.select_resource(id), "select {id}");
    let id_of = |a: &App, name: &str| -> String {
        a.design
            .resources()
            .find(|r| r.name() == name)
            .map(|r| r.id().to_string())
            .unwrap_or_else(|| panic!("no {name}"))
    };

    sel(&mut a, "subnet-0001");
    add(&mut a, "Elastic IP");
    set(&mut a, "name", "eip-x");
    submit(&mut a);
    sel(&mut a, "subnet-0001");
    add(&mut a, "NAT gateway");
    set(&mut a, "name", "nat-x");
    submit(&mut a);
    sel(&mut a, "subnet-0005");
    add(&mut a, "instance");
    set(&mut a, "name", "app-1");
    submit(&mut a);
    sel(&mut a, "subnet-0005");
    add(&mut a, "network interface");
    set(&mut a, "name", "eni-x");
    let app1 = id_of(&a, "app-1");
    choose(&mut a, "instance", &app1);
    submit(&mut a);
    sel(&mut a, "vpc-0001");
    add(&mut a, "route table");
    set(&mut a, "name", "rt-x");
    set(&mut a, "subnets", "my-pvt-2b");
    submit(&mut a);
    add(&mut a, "network ACL");
    set(&mut a, "name", "acl-x");
    set(&mut a, "subnets", "my-pvt-2c");
    submit(&mut a);
    add(&mut a, "egress-only internet gateway");
    set(&mut a, "name", "eigw-x");
    submit(&mut a);
    add(&mut a, "VPC endpoint");
    set(&mut a, "name", "s3-x");
    set(&mut a, "route_tables", "rt-x");
    submit(&mut a);
    add(&mut a, "VPC endpoint");
    set(&mut a, "name", "ssm-x");
    choose(&mut a, "kind", "Interface");
    set(&mut a, "service", "ssm");
    set(&mut a, "subnets", "my-pvt-2a, my-pvt-2b");
    submit(&mut a);
    add(&mut a, "target group");
    set(&mut a, "name", "tg-x");
    set(&mut a, "targets", "app-1:8080");
    submit(&mut a);
    add(&mut a, "load balancer");
    set(&mut a, "name", "nlb-x");
    set(&mut a, "subnets", "my-pvt-2a, my-pvt-2b");
    set(&mut a, "listeners", "tcp:443>tg-x");
    submit(&mut a);
    add(&mut a, "endpoint service");
    set(&mut a, "name", "svc-x");
    set(&mut a, "load_balancers", "nlb-x");
    submit(&mut a);

    // A second VPC to peer with, with its own IGW and VGW.
    a.tree.first();
    add(&mut a, "VPC");
    set(&mut a, "name", "peer");
    set(&mut a, "cidr", "10.50.0.0/16");
    submit(&mut a);
    let peer = id_of(&a, "peer");
    add(&mut a, "internet gateway");
    set(&mut a, "name", "igw-x");
    choose(&mut a, "vpc", &peer);
    submit(&mut a);
    add(&mut a, "virtual private gateway");
    set(&mut a, "name", "vgw-x");
    choose(&mut a, "vpc", &peer);
    submit(&mut a);
    sel(&mut a, "vpc-0001");
    add(&mut a, "peering connection");
    set(&mut a, "name", "pcx-x");
    choose(&mut a, "accepter", &peer);
    submit(&mut a);
    add(&mut a, "transit gateway");
    set(&mut a, "name", "tgw-x");
    submit(&mut a);
    add(&mut a, "transit gateway attachment");
    set(&mut a, "name", "att-x");
    choose(&mut a, "vpc", "vpc-0001");
    set(&mut a, "subnets", "my-pvt-2a, my-pvt-2b");
    submit(&mut a);
    add(&mut a, "transit gateway route table");
    set(&mut a, "name", "tgw-rt-x");
    set(&mut a, "routes", "10.50.0.0/16>att-x, 192.168.0.0/16>blackhole");
    submit(&mut a);
    add(&mut a, "customer gateway");
    set(&mut a, "name", "cgw-x");
    set(&mut a, "ip", "198.51.100.7");
    submit(&mut a);
    add(&mut a, "VPN connection");
    set(&mut a, "name", "vpn-x");
    set(&mut a, "routes", "192.168.0.0/16");
    submit(&mut a);
    add(&mut a, "prefix list");
    set(&mut a, "name", "pl-x");
    set(&mut a, "cidrs", "172.16.0.0/12");
    submit(&mut a);
    add(&mut a, "firewall rule group");
    set(&mut a, "name", "rg-x");
    set(&mut a, "stateless_rules", "10 drop tcp any any -> any 22");
    submit(&mut a);
    add(&mut a, "firewall policy");
    set(&mut a, "name", "fwp-x");
    set(&mut a, "stateless_groups", "rg-x");
    submit(&mut a);
    sel(&mut a, "vpc-0001");
    add(&mut a, "network firewall");
    set(&mut a, "name", "fw-x");
    set(&mut a, "subnets", "my-pub-2a");
    submit(&mut a);
    // Managed services (issue 19): a subnet group in two zones, a database through it, a
    // Lambda function with its group.
    sel(&mut a, "vpc-0001");
    add(&mut a, "DB subnet group");
    set(&mut a, "name", "dbsg-x");
    set(&mut a, "subnets", "my-pvt-2a, my-pvt-2b");
    submit(&mut a);
    add(&mut a, "database (RDS, Aurora, ElastiCache…)");
    set(&mut a, "name", "db-x");
    let dbsg = id_of(&a, "dbsg-x");
    choose(&mut a, "subnet_group", &dbsg);
    submit(&mut a);
    add(&mut a, "Lambda, ECS or EKS service");
    set(&mut a, "name", "fn-x");
    set(&mut a, "subnets", "my-pvt-2a");
    set(&mut a, "security_groups", "default");
    submit(&mut a);

    let have: std::collections::BTreeSet<RK> = a.design.resources().map(|r| r.kind()).collect();
    for k in RK::ALL {
        assert!(have.contains(&k), "no {} was added", k.label());
    }
    // Every addition is one undo step, and the design still loads after a save round trip.
    assert_eq!(a.undo.len(), 28);
    let text = vpcraft::io::native::to_string(&a.design).expect("serialises");
    vpcraft::io::native::load_str(&text, std::path::Path::new("x.ron")).expect("the result is a valid design");
}

#[test]
fn every_node_of_the_examples_opens_an_edit_form_that_applies_unchanged() {
    for (name, _) in vpcraft::assets::EXAMPLES {
        let mut a = app_on(vpcraft::assets::example(name).expect("example"));
        a.expand_all();
        let nodes: Vec<NodeRef> = a.tree.nodes.values().map(|n| n.node.clone()).collect();
        for node in nodes {
            let editable = matches!(
                node,
                NodeRef::Resource { .. } | NodeRef::Route { .. } | NodeRef::SgRule { .. } | NodeRef::NaclEntry { .. }
            );
            if !editable {
                continue;
            }
            let Ok(mut f) = kinds::edit_form(&node, &a.design) else { continue };
            assert!(f.check_for_submit(&a.design, vpcraft::l10n::Lang::En), "{name}: {node:?}: {:?}", f.message);
            let ops = f.spec.0.draft(&f, &a.design).ops;
            assert!(ops.is_empty(), "{name}: {node:?}: an edit submitted unchanged makes no op: {ops:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// No keystroke sequence and no terminal size panics.

mod props {
    use super::*;
    use proptest::prelude::*;

    fn any_key() -> impl Strategy<Value = KeyEvent> {
        let codes = prop_oneof![
            Just(KeyCode::Tab),
            Just(KeyCode::BackTab),
            Just(KeyCode::Enter),
            Just(KeyCode::Esc),
            Just(KeyCode::Up),
            Just(KeyCode::Down),
            Just(KeyCode::Left),
            Just(KeyCode::Right),
            Just(KeyCode::Home),
            Just(KeyCode::End),
            Just(KeyCode::PageUp),
            Just(KeyCode::PageDown),
            Just(KeyCode::Backspace),
            Just(KeyCode::Delete),
            Just(KeyCode::F(1)),
            proptest::char::any().prop_map(KeyCode::Char),
            prop::sample::select(vec![
                'a', 'e', 'd', 'y', 'n', 's', 'u', 'U', 'z', 'q', '/', ' ', 'j', 'k', 'h', 'l', 'T', '+', '-', '1',
                '0', '.', '/', 't', '4', 'r', 'R', 'L', 'K', ']', '[', 'c', 'm', '3', '{', '}'
            ])
            .prop_map(KeyCode::Char),
        ];
        let mods = prop_oneof![
            4 => Just(KeyModifiers::NONE),
            1 => Just(KeyModifiers::CONTROL),
            1 => Just(KeyModifiers::SHIFT),
            1 => Just(KeyModifiers::ALT),
        ];
        (codes, mods).prop_map(|(c, m)| KeyEvent { code: c, modifiers: m, kind: KeyEventKind::Press })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]
        #[test]
        fn random_keys_and_sizes_never_panic(
            example in 0usize..3,
            keys in proptest::collection::vec(any_key(), 0..120),
            sizes in proptest::collection::vec((1u16..=200, 1u16..=60), 1..4),
        ) {
            let name = vpcraft::assets::EXAMPLES[example].0;
            let mut a = app_on(vpcraft::assets::example(name).expect("example"));
            let t0 = std::time::Instant::now();
            for (i, k) in keys.into_iter().enumerate() {
                let msgs = keymap::route_keys(&a, k);
                app::update::dispatch(&mut a, msgs);
                // Time passes between keys (the animation runs under the keys).
                let at = t0 + std::time::Duration::from_millis(300 * i as u64);
                app::update(&mut a, Msg::TraceView(vpcraft::app::trace_view::TraceMsg::Tick(at)));
                if a.should_quit {
                    break;
                }
                if i % 17 == 0 {
                    let (w, h) = sizes[i % sizes.len()];
                    render(&a, w, h);
                }
            }
            for (w, h) in sizes {
                render(&a, w, h);
            }
        }
    }
}

#[test]
fn check_findings_mark_the_nodes_they_concern() {
    let mut d = vpcraft::assets::default_example();
    // An overlapping subnet breaks A5.
    let mut bad = d.subnets[0].clone();
    bad.id = "subnet-0099".into();
    bad.name = "clash".into();
    d.subnets.push(bad);
    let mut a = app_on(d);
    let f = a
        .derived
        .findings
        .iter()
        .find(|f| f.resources.iter().any(|r| r == "subnet-0099"))
        .expect("a finding about the clash");
    let mark = f.severity.mark();
    let rule = f.rule;
    assert!(a.select_resource("subnet-0099"));
    let screen = render(&a, 120, 40);
    let line = screen.lines().find(|l| l.contains("clash")).expect("the subnet is shown");
    assert!(line.contains(mark), "the node is marked: {line}");
    assert!(screen.contains(&format!("{mark} {rule}")), "the detail panel names the rule:\n{screen}");
    assert!(screen.contains("1 error"), "the status bar counts findings");
    // Fixing it clears the mark.
    assert!(a.select_resource("subnet-0099"));
    press(&mut a, key(KeyCode::Char('d')));
    let screen = render(&a, 120, 40);
    assert!(!screen.contains("clash"));
}

#[test]
fn opening_an_import_never_makes_it_the_save_target() {
    let dir = tempfile::tempdir().expect("dir");
    let template = dir.path().join("net.yaml");
    std::fs::write(
        &template,
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.7.0.0/16\n  Sub:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.7.1.0/24\n      AvailabilityZone: ap-northeast-2a\n",
    )
    .expect("write");
    let mut a = App::new(vpcraft::assets::default_example(), None);
    vpcraft::app::update::open_source(&mut a, &vpcraft::app::Source::File(template.clone()));
    assert!(a.design.vpcs.iter().any(|v| v.cidr.to_string() == "10.7.0.0/16"), "{:?}", a.status);
    assert_eq!(a.path, None, "the template is not where saves go");
    assert!(a.file_label().contains("imported net.yaml"));
    press(&mut a, ctrl('s'));
    assert_eq!(form(&a).kind, FormKind::SaveAs, "saving asks where");
    assert!(form(&a).get("path").ends_with(".ron"));
    assert!(std::fs::read_to_string(&template).expect("read").contains("AWS::EC2::VPC"));
}

#[test]
fn the_picker_filters_and_opens_a_built_in_example() {
    let mut a = App::new(vpcraft::assets::default_example(), None);
    press(&mut a, key(KeyCode::Char('o')));
    let Some(Popup::Picker(p)) = a.popup() else { panic!("the picker opens") };
    assert!(p.entries.iter().any(|e| e.label == "example: privatelink-lab"));
    typ(&mut a, "privatelink");
    let Some(Popup::Picker(p)) = a.popup() else { panic!("still open") };
    assert_eq!(p.visible().len(), 1);
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{:?}", a.status);
    assert_eq!(a.file_label(), "example privatelink-lab");
    assert!(a.undo.is_empty() && !a.dirty(), "a fresh history");
    // Ctrl-C closes popups rather than doing nothing.
    press(&mut a, key(KeyCode::Char('o')));
    press(&mut a, ctrl('c'));
    assert!(a.popup().is_none());
}

#[test]
fn t_traces_a_packet_from_the_selection_into_the_trace_pane() {
    let mut a = app();
    assert!(a.select_resource("i-0001"));
    press(&mut a, key(KeyCode::Char('t')));
    let p = a.trace_picker().expect("t opens the trace picker");
    assert_eq!(p.inputs[0].text, "i-0001", "starts from the selection");
    press(&mut a, ctrl('u'));
    typ(&mut a, "nowhere-at-all");
    press(&mut a, ctrl('t'));
    let p = a.trace_picker().expect("an unknown destination is refused");
    assert!(p.message.is_some());
    press(&mut a, ctrl('u'));
    typ(&mut a, "internet");
    press(&mut a, ctrl('t'));
    assert!(a.trace_picker().is_none());
    assert_eq!(a.focus, Pane::Trace);
    let trace = vpcraft::sim::render_text(a.trace_view.result.as_ref().expect("a trace"));
    assert!(trace.lines().any(|l| l.starts_with("Verdict: delivered")), "{trace}");
    assert!(render(&a, 120, 40).contains("Verdict: delivered"));

    // The private instance has no public address: dropped, with the reason.
    assert!(a.select_resource("i-0002"));
    press(&mut a, key(KeyCode::Char('t')));
    press(&mut a, ctrl('t'));
    let trace = vpcraft::sim::render_text(a.trace_view.result.as_ref().expect("a trace"));
    assert!(trace.lines().any(|l| l.starts_with("Verdict: dropped")), "{trace}");
}

/// A design file and an app on it with autosave on, plus one unsaved change already written to
/// the recovery file.
fn dirty_app_with_recovery(dir: &std::path::Path) -> (App, std::path::PathBuf) {
    let path = dir.join("d.ron");
    vpcraft::io::native::save_file(&vpcraft::assets::default_example(), &path).expect("save");
    let mut a = App::new(vpcraft::io::native::load_file(&path).expect("load"), Some(path.clone()));
    a.autosave.enabled = true;
    add_named_sg(&mut a, "unsaved-sg");
    app::update(&mut a, Msg::Tick);
    let rec = vpcraft::app::files::recovery_path(&a);
    assert!(rec.exists(), "the recovery file is written");
    (a, rec)
}

#[test]
fn a_failed_open_without_saving_keeps_the_changes_and_the_recovery_file() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut a, rec) = dirty_app_with_recovery(dir.path());
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format_version: 1, name: \"trunc").expect("write");

    press(&mut a, key(KeyCode::Char('o')));
    typ(&mut a, &broken.display().to_string());
    press(&mut a, key(KeyCode::Enter));
    assert!(matches!(a.popup(), Some(Popup::Confirm(_))), "asks about the unsaved changes");
    press(&mut a, key(KeyCode::Char('y')));
    let status = a.status.clone().expect("a status").text;
    assert!(status.starts_with("not opened"), "{status}");
    assert!(a.dirty(), "the changes are still in memory");
    assert!(a.design.security_groups.iter().any(|g| g.name == "unsaved-sg"));
    assert!(rec.exists(), "the recovery file survives a failed open");

    // And it keeps being written: even if something removed it, the next tick restores it
    // (no AUTOSAVE_DELAY wait after a failed operation), and later changes reach it.
    std::fs::remove_file(&rec).expect("rm");
    vpcraft::app::files::refresh_recovery(&mut a);
    app::update(&mut a, Msg::Tick);
    assert!(rec.exists(), "rewritten after the failed open");
    add_named_sg(&mut a, "later-sg");
    let later = std::time::Instant::now() + vpcraft::app::files::AUTOSAVE_DELAY * 2;
    vpcraft::app::files::autosave_tick(&mut a, later);
    let back = vpcraft::io::native::load_file(&rec).expect("recovery loads");
    assert!(back.security_groups.iter().any(|g| g.name == "later-sg"));
}

#[test]
fn a_successful_open_without_saving_removes_the_recovery_file() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut a, rec) = dirty_app_with_recovery(dir.path());
    let other = dir.path().join("other.ron");
    vpcraft::io::native::save_file(&vpcraft::assets::default_example(), &other).expect("save");
    press(&mut a, key(KeyCode::Char('o')));
    typ(&mut a, &other.display().to_string());
    press(&mut a, key(KeyCode::Enter));
    press(&mut a, key(KeyCode::Char('y')));
    assert_eq!(a.path.as_deref(), Some(other.as_path()), "{:?}", a.status);
    assert!(!rec.exists(), "discarded on purpose");
}

#[test]
fn a_failed_autosave_is_retried() {
    let dir = tempfile::tempdir().expect("dir");
    // The design's folder is a plain file at first, so the recovery file cannot be written.
    let blocker = dir.path().join("sub");
    std::fs::write(&blocker, "").expect("write");
    let path = blocker.join("d.ron");
    let mut a = App::new(vpcraft::assets::default_example(), Some(path));
    a.autosave.enabled = true;
    add_named_sg(&mut a, "unsaved-sg");
    let t0 = std::time::Instant::now();
    vpcraft::app::files::autosave_tick(&mut a, t0);
    assert!(a.status.as_ref().is_some_and(|s| s.text.starts_with("autosave failed")), "{:?}", a.status);
    std::fs::remove_file(&blocker).expect("rm");
    std::fs::create_dir(&blocker).expect("mkdir");
    vpcraft::app::files::autosave_tick(&mut a, t0 + vpcraft::app::files::AUTOSAVE_DELAY * 2);
    assert!(vpcraft::app::files::recovery_path(&a).exists(), "written on the next try");
}

#[test]
fn save_as_over_an_unrelated_file_asks_first() {
    let dir = tempfile::tempdir().expect("dir");
    let other = dir.path().join("other.ron");
    std::fs::write(&other, "precious").expect("write");
    let mut a = App::new(vpcraft::assets::default_example(), None);
    add_named_sg(&mut a, "new-sg");
    press(&mut a, key(KeyCode::Char('S')));
    set(&mut a, "path", &other.display().to_string());
    submit(&mut a);
    let Some(Popup::Confirm(c)) = a.popup() else { panic!("asks before overwriting, got {:?}", a.popup()) };
    assert!(c.lines[0].contains("other.ron exists: overwrite? y/n"), "{:?}", c.lines);
    assert_eq!(std::fs::read_to_string(&other).expect("read"), "precious", "nothing written yet");

    // No: back to the form with the path kept, the file untouched.
    press(&mut a, key(KeyCode::Char('n')));
    assert_eq!(form(&a).kind, FormKind::SaveAs);
    assert_eq!(form(&a).get("path"), other.display().to_string());
    assert_eq!(std::fs::read_to_string(&other).expect("read"), "precious");
    assert!(a.dirty());

    // Yes: saved, with the old content kept as .bak.
    submit(&mut a);
    press(&mut a, key(KeyCode::Char('y')));
    assert!(a.popup().is_none(), "{:?}", a.popup());
    assert!(!a.dirty());
    assert_eq!(a.path.as_deref(), Some(other.as_path()));
    let back = vpcraft::io::native::load_file(&other).expect("loads");
    assert!(back.security_groups.iter().any(|g| g.name == "new-sg"));
    assert_eq!(std::fs::read_to_string(dir.path().join("other.ron.bak")).expect("bak"), "precious");

    // Saving as the design's own file again needs no question.
    add_named_sg(&mut a, "more-sg");
    press(&mut a, key(KeyCode::Char('S')));
    submit(&mut a);
    assert!(a.popup().is_none(), "{:?}", a.popup());
    assert!(!a.dirty());
}

/// Every binding of the help overlay can be read whole, at 120×40 and at 80×24, scrolling
/// with PgDn: long descriptions wrap instead of being cut at the popup's edge.
#[test]
fn help_is_readable_whole_at_120x40_and_80x24() {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (w, h) in [(120u16, 40u16), (80, 24)] {
        for pane in [Pane::Tree, Pane::Planner, Pane::Routes, Pane::Trace] {
            let mut a = app();
            a.focus = pane;
            press(&mut a, key(KeyCode::Char('?')));
            // What the overlay draws: every description whole once the lines are joined.
            let inner = usize::from(w.saturating_sub(4).min(100) - 2);
            let wrapped: Vec<String> =
                vpcraft::ui::help::wrapped_lines(&a, inner).iter().map(|l| l.to_string()).collect();
            let joined = squash(&wrapped.join(" "));
            for layer in keymap::active_layers(&a) {
                let table: Vec<&keymap::Binding> = if layer == Layer::Lab {
                    keymap::lab_bindings(&a).collect()
                } else {
                    keymap::bindings(layer).iter().collect()
                };
                for b in table {
                    assert!(joined.contains(b.help), "{w}x{h} {pane:?}: help lacks {:?}", b.help);
                }
            }
            // And every wrapped line is on screen at some scroll position, uncut.
            let mut screens = String::new();
            for _ in 0..40 {
                let screen = render(&a, w, h);
                screens.push_str(&screen);
                if !screen.contains("↓ more") {
                    break;
                }
                press(&mut a, key(KeyCode::PageDown));
            }
            assert!(!render(&a, w, h).contains("↓ more"), "{w}x{h} {pane:?}: PgDn reaches the end");
            for l in &wrapped {
                assert!(l.chars().count() <= inner, "{w}x{h}: {l:?} is wider than the popup");
                assert!(screens.contains(l.trim()), "{w}x{h} {pane:?}: {l:?} never shown whole");
            }
            // Up goes back at once from the end.
            let end = a.help().copied().expect("open");
            press(&mut a, key(KeyCode::Up));
            assert_eq!(a.help().copied(), Some(end.saturating_sub(1)));
        }
    }
}
