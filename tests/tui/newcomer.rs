//! Issue 16: the newcomer's path without stumbles (pre-filled fields, values that change,
//! consistency between panes and `check`, pickers, the add menu, "VPC and more", the mouse).

use vpcraft::app::input::KeyCode;
use vpcraft::app::{self, App, Popup};
use vpcraft::model::ops::{Op, Ref};

use crate::harness::{add, app, app_on, error_of, form, key, press, render, set, status, typ};

fn focus(a: &mut App, field: &str) {
    let Some(Popup::Form(f)) = a.popup_mut() else { panic!("no form open") };
    let i = f.fields.iter().position(|x| x.key == field).unwrap_or_else(|| panic!("no field {field}"));
    // As Tab does: each step moves the focus one field on.
    while f.focus != i {
        f.next_field();
    }
}

// ---------------------------------------------------------------------------------------------
// Bracketed paste: pasted text is typed into the field on top; its newline is not Enter.

#[test]
fn a_pasted_cidr_with_a_newline_fills_the_field_and_does_not_submit() {
    let paste = |a: &mut App, text: &str| {
        let msgs = vpcraft::app::keymap::route_event(a, vpcraft::app::input::Event::Paste(text.into()));
        app::update::dispatch(a, msgs);
    };
    let mut a = app();
    a.tree.first();
    let vpcs = a.design.vpcs.len();
    add(&mut a, "VPC");
    focus(&mut a, "cidr");
    paste(&mut a, "10.0.0.0/16\nrest\r\n");
    assert_eq!(form(&a).get("cidr"), "10.0.0.0/16", "the pasted first line replaces the pre-filled value");
    assert!(matches!(a.popup(), Some(Popup::Form(_))), "the newline did not submit: {:?}", a.popup());
    assert_eq!(a.design.vpcs.len(), vpcs);
    paste(&mut a, "\t/x\u{1b}");
    assert_eq!(form(&a).get("cidr"), "10.0.0.0/16/x", "control characters are dropped, not keys");

    // Outside a text field, pasted text is no keys either ('q' would quit).
    press(&mut a, key(KeyCode::Esc));
    assert!(a.popup().is_none());
    paste(&mut a, "q");
    assert!(!a.should_quit && a.modal().is_none());
}

// ---------------------------------------------------------------------------------------------
// Item 5: a pre-filled value is replaced by the first key typed, kept by a move.

#[test]
fn the_first_key_replaces_a_prefilled_value_and_a_move_keeps_it() {
    let mut a = app();
    a.tree.first();
    add(&mut a, "VPC");
    focus(&mut a, "cidr");
    let prefilled = form(&a).get("cidr").to_string();
    assert!(!prefilled.is_empty(), "the VPC CIDR is pre-filled");
    typ(&mut a, "1");
    assert_eq!(form(&a).get("cidr"), "1", "typing replaces the pre-filled {prefilled}, not 1 appended");
    typ(&mut a, "0.7.0.0/16");
    assert_eq!(form(&a).get("cidr"), "10.7.0.0/16");

    // Tab away and back: the value is selected again; End keeps it for editing.
    press(&mut a, key(KeyCode::Tab));
    press(&mut a, key(KeyCode::BackTab));
    assert_eq!(form(&a).fields[form(&a).focus].key, "cidr");
    press(&mut a, key(KeyCode::End));
    press(&mut a, key(KeyCode::Backspace));
    typ(&mut a, "7");
    assert_eq!(form(&a).get("cidr"), "10.7.0.0/17", "after End the value is edited, not replaced");

    // ← also keeps it.
    press(&mut a, key(KeyCode::Tab));
    press(&mut a, key(KeyCode::BackTab));
    press(&mut a, key(KeyCode::Left));
    typ(&mut a, "x");
    assert_eq!(form(&a).get("cidr"), "10.7.0.0/1x7");
}

// ---------------------------------------------------------------------------------------------
// Item 7: values changed or refused, with a word.

#[test]
fn the_subnet_form_says_it_uses_the_block_of_a_cidr_with_host_bits() {
    let mut a = app();
    assert!(a.select_resource("vpc-0001"));
    add(&mut a, "subnet");
    typ(&mut a, "odd");
    set(&mut a, "cidr", "10.39.200.5/24");
    assert_eq!(error_of(&a, "cidr"), None, "a CIDR with host bits is accepted as its block (A1)");
    let note = form(&a).note("cidr").map(str::to_string).expect("a note beside the field");
    assert!(note.contains("10.39.200.5/24") && note.contains("10.39.200.0/24") && note.contains("A1"), "{note}");
    assert!(render(&a, 120, 40).contains("using 10.39.200.0/24"), "the note is on screen");
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{:?}", a.popup());
    assert!(a.design.subnets.iter().any(|s| s.name == "odd" && s.primary_cidr_text() == "10.39.200.0/24"));
    assert!(status(&a).contains("using 10.39.200.0/24 (A1)"), "{}", status(&a));
}

#[test]
fn an_instance_public_ip_refuses_a_private_address_citing_the_rule() {
    let mut a = app();
    assert!(a.select_resource("subnet-0001"));
    add(&mut a, "instance");
    typ(&mut a, "web2");
    set(&mut a, "public_ip", "10.39.0.99");
    let e = error_of(&a, "public_ip").expect("a private public IP is refused");
    assert!(e.contains("RFC 1918") && e.contains("I4"), "{e}");
    set(&mut a, "public_ip", "100.64.3.4");
    assert!(error_of(&a, "public_ip").is_some_and(|e| e.contains("RFC 6598")));
    set(&mut a, "public_ip", "13.125.39.77");
    assert_eq!(error_of(&a, "public_ip"), None);
    // The model refuses it too, whoever asks (an edit of an existing instance).
    let op = Op::UpdateInstance {
        instance: Ref::id("i-0001"),
        name: None,
        instance_type: None,
        state: None,
        role: None,
        private_ip: None,
        public_ip: Some(Some("192.168.1.1".parse().expect("ip"))),
        groups: None,
        source_dest_check: None,
    };
    let errs = a.design.check(&op);
    assert!(errs.iter().any(|e| e.field == "public_ip" && e.message.contains("I4")), "{errs:?}");
}

// ---------------------------------------------------------------------------------------------
// Item 10: consistency.

#[test]
fn the_status_bar_counts_findings_in_checks_words() {
    for (name, _) in vpcraft::assets::EXAMPLES {
        let d = vpcraft::assets::example(name).expect("example");
        let findings = vpcraft::sim::checks::check_design(&d);
        let a = app_on(d);
        if findings.is_empty() {
            continue;
        }
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        use vpcraft::sim::checks::Severity as S;
        let line = vpcraft::sim::checks::count_line(count(S::Error), count(S::Warning), count(S::Info));
        assert!(render(&a, 140, 30).contains(&line), "{name}: the status bar says {line} as check does");
    }
}

#[test]
fn a_subnet_is_public_or_private_alike_in_the_tree_and_the_planner_after_its_igw_goes() {
    let mut a = app();
    assert!(a.select_resource("igw-0001"));
    press(&mut a, key(KeyCode::Char('d')));
    press(&mut a, key(KeyCode::Char('y')));
    assert!(a.design.internet_gateway("igw-0001").is_none());
    let tier = vpcraft::app::planner::tier(&a.design, "subnet-0001");
    assert!(a.select_resource("subnet-0001"));
    let facts = a.tree.selected().map(|n| n.facts.clone()).unwrap_or_default();
    assert!(facts.contains(&format!("· {tier} ·")), "tree: {facts}, planner: {tier}");
    assert_eq!(tier, "private", "a table whose IGW is gone makes no public subnet (R6, R9)");
}

#[test]
fn enter_in_the_filter_selects_the_match() {
    let mut a = app();
    a.tree.first();
    press(&mut a, key(KeyCode::Char('/')));
    typ(&mut a, "my-pvt-ec2");
    press(&mut a, key(KeyCode::Enter));
    assert_eq!(
        a.selected_node().and_then(|n| n.resource_id()),
        Some("i-0002"),
        "Enter selects the row the filter found"
    );
    // Enter then edits it, as on any selected resource.
    press(&mut a, key(KeyCode::Enter));
    assert!(form(&a).title.contains("my-pvt-ec2"), "{}", form(&a).title);
}

#[test]
fn the_trace_title_follows_the_open_design() {
    let mut a = app();
    assert!(a.select_resource("i-0001"));
    press(&mut a, key(KeyCode::Char('t')));
    press(&mut a, vpcraft::app::input::KeyEvent::new(KeyCode::Char('t'), vpcraft::app::input::KeyModifiers::CONTROL));
    let before = render(&a, 140, 40);
    assert!(before.contains("→ internet tcp"), "the trace is titled by its request:\n{before}");
    app::update::open_source(&mut a, &vpcraft::app::Source::Example("endpoint-lab".into()));
    let after = render(&a, 140, 40);
    assert!(!after.contains("→ internet tcp"), "another design's trace title stays:\n{after}");
}

#[test]
fn deleting_a_subnet_with_instances_is_refused_with_the_list() {
    let mut a = app();
    let before = a.design.clone();
    assert!(a.select_resource("subnet-0001"));
    press(&mut a, key(KeyCode::Char('d')));
    assert!(a.popup().is_none(), "no question offering a cascade: {:?}", a.popup());
    let s = status(&a);
    assert!(s.contains("DependencyViolation") && s.contains("i-0001 (my-pub-ec2)"), "{s}");
    assert_eq!(a.design.network_interfaces, before.network_interfaces, "no interface went");
    assert_eq!(a.design.subnets, before.subnets);
    // The model refuses it for every caller, cascade or not.
    let op = Op::Delete { resource: Ref::id("subnet-0001"), cascade: true };
    assert!(a.design.check(&op).iter().any(|e| e.message.contains("DependencyViolation")));
}

// ---------------------------------------------------------------------------------------------
// Item 4: the add menu.

/// The labels of the menu's items, without the suggestion's copy.
fn kind_order(a: &App) -> Vec<String> {
    let Some(Popup::Menu(m)) = a.popup() else { panic!("no add menu") };
    m.items.iter().filter(|i| !i.suggested && !i.label.contains(" in ")).map(|i| i.label.clone()).collect()
}

#[test]
fn the_add_menu_keeps_one_grouped_order_and_shows_the_likely_kind_first() {
    let mut a = app();
    let mut orders = Vec::new();
    for node in ["vpc-0001", "subnet-0001", "igw-0001", "sg-0001"] {
        assert!(a.select_resource(node));
        press(&mut a, key(KeyCode::Char('a')));
        let Some(Popup::Menu(m)) = a.popup() else { panic!("no add menu") };
        // The groups come in one order.
        let ranks: Vec<usize> = m
            .items
            .iter()
            .filter(|i| !i.suggested)
            .map(|i| vpcraft::app::add_menu::GROUPS.iter().position(|g| *g == i.group).expect("a known group"))
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{node}: grouped {ranks:?}");
        // The likely kind is first, marked as the suggestion, and the cursor is on it.
        assert!(m.items[0].suggested && m.selected == 0, "{node}");
        let screen = render(&a, 120, 45);
        assert!(screen.contains("suggested here"), "{node}: the suggestion says what it is\n{screen}");
        orders.push(kind_order(&a));
        press(&mut a, key(KeyCode::Esc));
    }
    assert!(orders.windows(2).all(|w| w[0] == w[1]), "the same order wherever it opens");
    assert!(a.select_resource("vpc-0001"));
    press(&mut a, key(KeyCode::Char('a')));
    let Some(Popup::Menu(m)) = a.popup() else { panic!("no add menu") };
    assert_eq!(m.items[0].label, "subnet", "on a VPC the likely kind is a subnet");
}

#[test]
fn typing_in_the_add_menu_finds_the_kind() {
    let mut a = app();
    assert!(a.select_resource("vpc-0001"));
    press(&mut a, key(KeyCode::Char('a')));
    typ(&mut a, "nat");
    assert!(render(&a, 120, 45).contains("Find: nat"));
    press(&mut a, key(KeyCode::Enter));
    assert_eq!(form(&a).title, "New NAT gateway");
    press(&mut a, key(KeyCode::Esc));
    press(&mut a, key(KeyCode::Char('a')));
    typ(&mut a, "endp");
    press(&mut a, key(KeyCode::Down));
    press(&mut a, key(KeyCode::Enter));
    assert_eq!(form(&a).title, "New endpoint service", "↓ moves among the matches");
    press(&mut a, key(KeyCode::Esc));
    press(&mut a, key(KeyCode::Char('a')));
    typ(&mut a, "zzz");
    press(&mut a, key(KeyCode::Enter));
    assert!(matches!(a.popup(), Some(Popup::Menu(_))), "nothing matches: Enter opens nothing");
}

// ---------------------------------------------------------------------------------------------
// Item 11: "VPC and more".

/// The seed 000 network (the custom VPC of the first blog post), from an empty design with
/// the "VPC and more" form. Returns the keys pressed.
pub fn seed_000_with_vpc_and_more(a: &mut App) -> usize {
    let keys: Vec<KeyCode> = std::iter::once(KeyCode::Char('a'))
        .chain([KeyCode::Enter, KeyCode::Tab])
        .chain("10.39.0.0/16".chars().map(KeyCode::Char))
        .chain([KeyCode::Tab, KeyCode::Char('4'), KeyCode::Enter])
        .collect();
    let n = keys.len();
    for (i, k) in keys.into_iter().enumerate() {
        if i == 2 {
            assert_eq!(form(a).title, "New VPC and more", "the add menu of an empty design starts with it");
        }
        press(a, key(k));
    }
    n
}

fn empty() -> App {
    app_on(vpcraft::model::Design::new("seed", "ap-northeast-2"))
}

#[test]
fn vpc_and_more_builds_the_seed_000_network_in_under_20_keys_as_one_undo_step() {
    let mut a = empty();
    let keys = seed_000_with_vpc_and_more(&mut a);
    assert!(keys < 20, "{keys} keys");
    assert!(a.popup().is_none(), "applied: {:?}", a.popup());
    let d = &a.design;
    let vpc = d.vpcs.iter().find(|v| v.name == "my-vpc").expect("my-vpc");
    assert_eq!(vpc.cidr.to_string(), "10.39.0.0/16");
    assert!(vpc.enable_dns_hostnames, "the seed turns DNS hostnames on");
    let seed = [
        ("my-pub-2a", "10.39.0.0/20", "public"),
        ("my-pub-2b", "10.39.16.0/20", "public"),
        ("my-pub-2c", "10.39.32.0/20", "public"),
        ("my-pub-2d", "10.39.48.0/20", "public"),
        ("my-pvt-2a", "10.39.64.0/20", "private"),
        ("my-pvt-2b", "10.39.80.0/20", "private"),
        ("my-pvt-2c", "10.39.96.0/20", "private"),
        ("my-pvt-2d", "10.39.112.0/20", "private"),
    ];
    assert_eq!(d.subnets.len(), seed.len());
    for (name, cidr, tier) in seed {
        let s = d.subnets.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(s.primary_cidr_text(), cidr, "{name}");
        assert_eq!(vpcraft::app::planner::tier(d, &s.id), tier, "{name}");
        assert!(s.az.ends_with(&name[name.len() - 2..]), "{name} in {}", s.az);
    }
    assert_eq!(d.internet_gateways.len(), 1);
    assert!(d
        .route_tables
        .iter()
        .any(|t| t.name == "my-pub-rt" && t.routes_to_internet_gateway() && t.subnets.len() == 4));
    assert!(vpcraft::sim::checks::check_design(d).iter().all(|f| f.severity != vpcraft::sim::checks::Severity::Error));
    // One undo step takes it all back.
    press(&mut a, key(KeyCode::Char('u')));
    assert!(a.design.vpcs.is_empty() && a.design.subnets.is_empty() && a.design.internet_gateways.is_empty());
}

#[test]
fn vpc_and_more_previews_every_resource_and_makes_nat_gateways_and_the_s3_endpoint() {
    let mut a = empty();
    press(&mut a, key(KeyCode::Char('a')));
    press(&mut a, key(KeyCode::Enter));
    set(&mut a, "cidr", "10.39.0.0/16");
    crate::harness::choose(&mut a, "azs", "2");
    crate::harness::choose(&mut a, "nat", "per-az");
    crate::harness::choose(&mut a, "s3", "yes");
    let f = form(&a);
    let preview = f.preview.iter().map(|t| t.english.as_str()).collect::<Vec<_>>().join("\n");
    for want in [
        "VPC my-vpc 10.39.0.0/16",
        "internet gateway my-igw",
        "route table my-pub-rt: 0.0.0.0/0 → my-igw · my-pub-2a, my-pub-2b",
        "subnet my-pvt-2b 10.39.48.0/20 ap-northeast-2b · private · my-pvt-rt-2b",
        "NAT gateway my-nat-2a in my-pub-2a with a new Elastic IP",
        "route table my-pvt-rt-2b: 0.0.0.0/0 → my-nat-2b · my-pvt-2b",
        "S3 gateway endpoint my-s3 on my-pvt-rt-2a, my-pvt-rt-2b",
    ] {
        assert!(preview.contains(want), "preview lacks {want}:\n{preview}");
    }
    assert!(render(&a, 140, 45).contains("one undo step"), "the preview is on screen");
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "applied: {:?}", a.popup());
    let d = &a.design;
    assert_eq!(d.nat_gateways.len(), 2);
    assert_eq!(d.elastic_ips.len(), 2);
    assert_eq!(d.endpoints.len(), 1);
    for az in ["2a", "2b"] {
        let t = d.route_tables.iter().find(|t| t.name == format!("my-pvt-rt-{az}")).expect("private table");
        let nat = d.nat_gateways.iter().find(|n| n.name == format!("my-nat-{az}")).expect("nat");
        assert!(t.routes.iter().any(|r| r.target == vpcraft::model::RouteTarget::NatGateway(nat.id.clone())));
    }
    assert_eq!(a.undo.len(), 1, "one undo step");
}

#[test]
fn vpc_and_more_refuses_what_does_not_fit_and_nat_without_a_public_subnet() {
    let mut a = empty();
    press(&mut a, key(KeyCode::Char('a')));
    press(&mut a, key(KeyCode::Enter));
    crate::harness::choose(&mut a, "public", "0");
    crate::harness::choose(&mut a, "nat", "one");
    assert!(error_of(&a, "nat").is_some_and(|e| e.contains("public subnet")));
    crate::harness::choose(&mut a, "nat", "none");
    set(&mut a, "cidr", "10.0.0.0/28");
    assert!(error_of(&a, "size").is_some() || error_of(&a, "cidr").is_some(), "2 subnets cannot fit in a /28");
}

#[test]
fn snapshot_add_menu_and_vpc_and_more_form() {
    let mut a = empty();
    press(&mut a, key(KeyCode::Char('a')));
    insta::assert_snapshot!("add_menu_on_an_empty_design", render(&a, 100, 45));
    press(&mut a, key(KeyCode::Enter));
    insta::assert_snapshot!("vpc_and_more_form", render(&a, 140, 45));
}

// ---------------------------------------------------------------------------------------------
// Item 3: reference fields are pickers over what AWS accepts there.

#[test]
fn the_route_panes_target_is_a_picker_typing_igw_finds_the_gateway() {
    let mut a = app();
    assert!(a.select_resource("rtb-0001"));
    press(&mut a, key(KeyCode::Char('3')));
    press(&mut a, key(KeyCode::Char('a')));
    assert!(form(&a).title.starts_with("New route in"), "{}", form(&a).title);
    set(&mut a, "destination", "0.0.0.0/0");
    press(&mut a, key(KeyCode::Tab));
    typ(&mut a, "igw");
    assert_eq!(form(&a).get("target"), "igw:igw-0001", "typing igw picks the VPC's internet gateway");
    assert_eq!(error_of(&a, "target"), None);
    let screen = render(&a, 140, 45);
    assert!(screen.contains("find: igw"), "the picker shows what is typed\n{screen}");
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{:?}", a.popup());
    let rt = a.design.route_table("rtb-0001").expect("table");
    assert!(rt.routes.iter().any(|r| r.target == vpcraft::model::RouteTarget::InternetGateway("igw-0001".into())));
}

#[test]
fn route_targets_are_only_this_vpcs() {
    let mut a = app();
    // Another VPC with its own internet gateway.
    let ops = vec![
        Op::AddVpc {
            name: "other".into(),
            cidr: "10.60.0.0/16".parse().expect("cidr"),
            region: None,
            dns_hostnames: true,
            dns_support: true,
            secondary_cidrs: vec![],
        },
        Op::AddInternetGateway { name: "other-igw".into(), vpc: Some(Ref::name("other")) },
    ];
    a.apply("setup", ops).expect("applies");
    assert!(a.select_resource("rtb-0001"));
    press(&mut a, key(KeyCode::Char('3')));
    press(&mut a, key(KeyCode::Char('a')));
    let f = form(&a);
    let target = f.fields.iter().find(|x| x.key == "target").expect("target");
    let labels: Vec<&str> = target.options().iter().map(|o| o.label.as_str()).collect();
    assert!(labels.iter().any(|l| l.contains("my-igw")), "{labels:?}");
    assert!(!labels.iter().any(|l| l.contains("other-igw")), "another VPC's gateway is not offered: {labels:?}");
}

#[test]
fn list_fields_are_multi_pickers_over_the_vpcs_own() {
    let mut a = app();
    assert!(a.select_resource("subnet-0001"));
    add(&mut a, "instance");
    typ(&mut a, "web3");
    focus(&mut a, "security_groups");
    let f = form(&a);
    let sgs = f.fields[f.focus].options().to_vec();
    assert!(!sgs.is_empty());
    for o in &sgs {
        let g = a.design.security_group(&o.value).expect("a group");
        assert_eq!(g.vpc, "vpc-0001", "only the subnet's VPC's groups (S5)");
    }
    typ(&mut a, "web");
    press(&mut a, key(KeyCode::Char(' ')));
    assert_eq!(form(&a).get("security_groups"), "sg-0002", "Space ticks the match");
    assert!(render(&a, 140, 45).contains("[x] my-web-sg"));
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{:?}", a.popup());
    let i = a.design.instances.iter().find(|i| i.name == "web3").expect("added");
    let eni = a.design.instance_interfaces(&i.id)[0];
    assert_eq!(eni.security_groups, vec!["sg-0002".to_string()]);

    // A gateway endpoint's route tables: ticked from the VPC's tables.
    assert!(a.select_resource("vpc-0001"));
    add(&mut a, "VPC endpoint");
    typ(&mut a, "s3-pick");
    focus(&mut a, "route_tables");
    typ(&mut a, "pvt");
    press(&mut a, key(KeyCode::Char(' ')));
    press(&mut a, key(KeyCode::Enter));
    assert!(a.popup().is_none(), "{:?}", a.popup());
    let e = a.design.endpoints.iter().find(|e| e.name == "s3-pick").expect("endpoint");
    assert_eq!(e.route_tables, vec!["rtb-0001".to_string()]);
}

// ---------------------------------------------------------------------------------------------
// Item 12: the mouse in popups.

/// The screen cell where `text` is drawn (column, row), in a `w`×`h` frame.
fn cell_of(a: &App, w: u16, h: u16, text: &str) -> (u16, u16) {
    let screen = render(a, w, h);
    for (y, line) in screen.lines().enumerate() {
        // Each line of the test backend's text is quoted.
        let line = line.trim_start_matches('"');
        if let Some(bytes) = line.find(text) {
            let x = line[..bytes].chars().count();
            return (x as u16, y as u16);
        }
    }
    panic!("{text} is not on screen:\n{screen}");
}

fn click(a: &mut App, (x, y): (u16, u16)) {
    use vpcraft::app::input::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let ev =
        MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column: x, row: y, modifiers: KeyModifiers::NONE };
    crate::harness::mouse(a, ev);
}

#[test]
fn clicks_pick_add_menu_items_and_form_fields_and_the_wheel_moves_the_list() {
    let mut a = app();
    assert!(a.select_resource("vpc-0001"));
    press(&mut a, key(KeyCode::Char('a')));
    let at = cell_of(&a, 120, 45, "NAT gateway");
    click(&mut a, at);
    let Some(Popup::Menu(m)) = a.popup() else { panic!("the menu stays open") };
    assert_eq!(m.items[m.selected].label, "NAT gateway", "a click selects the row");
    let at = cell_of(&a, 120, 45, "NAT gateway");
    click(&mut a, at);
    assert_eq!(form(&a).title, "New NAT gateway", "a click on the selected row opens it");

    // A click on a field focuses it.
    let at = cell_of(&a, 120, 45, "Private IP");
    click(&mut a, at);
    assert_eq!(form(&a).fields[form(&a).focus].key, "private_ip");
    press(&mut a, key(KeyCode::Esc));

    // The wheel moves through the menu.
    press(&mut a, key(KeyCode::Char('a')));
    render(&a, 120, 45);
    use vpcraft::app::input::{KeyModifiers, MouseEvent, MouseEventKind};
    let wheel = MouseEvent { kind: MouseEventKind::ScrollDown, column: 60, row: 20, modifiers: KeyModifiers::NONE };
    crate::harness::mouse(&mut a, wheel);
    let Some(Popup::Menu(m)) = a.popup() else { panic!("menu") };
    assert_eq!(m.selected, 1, "the wheel moves one row down");
}
