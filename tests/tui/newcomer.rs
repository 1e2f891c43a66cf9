//! Issue 16: the newcomer's path without stumbles (pre-filled fields, values that change,
//! consistency between panes and `check`, pickers, the add menu, "VPC and more", the mouse).

use vpcraft::app::input::KeyCode;
use vpcraft::app::msg::{Msg, TreeMsg};
use vpcraft::app::{self, App, Popup};
use vpcraft::model::ops::{Op, Ref};

use crate::harness::{app, app_on, error_of, form, key, press, render, set, status, typ};

/// Open the add menu on the selection and pick an entry by its label.
fn add(a: &mut App, label: &str) {
    app::update(a, Msg::Tree(TreeMsg::Add));
    let Some(Popup::Menu(m)) = a.popup_mut() else { panic!("no add menu") };
    let i = m.items.iter().position(|i| i.label == label).unwrap_or_else(|| panic!("no menu item {label}"));
    m.selected = i;
    press(a, key(KeyCode::Enter));
    assert!(matches!(a.popup(), Some(Popup::Form(_))), "the {label} form opens: {:?}", a.status);
}

fn focus(a: &mut App, field: &str) {
    let Some(Popup::Form(f)) = a.popup_mut() else { panic!("no form open") };
    let i = f.fields.iter().position(|x| x.key == field).unwrap_or_else(|| panic!("no field {field}"));
    // As Tab does: each step moves the focus one field on.
    while f.focus != i {
        f.next_field();
    }
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
