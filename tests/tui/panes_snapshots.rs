//! Snapshot tests of the subnet planner and route table panes (`TestBackend`, no terminal).

use vpcraft::app::input::KeyCode;
use vpcraft::app::Pane;
use vpcraft::model::ops::{Op, Ref};

use crate::harness::{app, draw, press, set, typ};

#[test]
fn planner_pane_120x40() {
    let mut a = app();
    press(&mut a, KeyCode::Char('2'));
    press(&mut a, KeyCode::End); // the free /17
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn planner_pane_zoomed() {
    let mut a = app();
    press(&mut a, KeyCode::Char('2'));
    press(&mut a, KeyCode::Char('z'));
    press(&mut a, KeyCode::Char('C')); // colour by tier
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn planner_layout_preview_zoomed() {
    let mut a = app();
    press(&mut a, KeyCode::Char('2'));
    press(&mut a, KeyCode::Char('z'));
    press(&mut a, KeyCode::Char('p'));
    press(&mut a, KeyCode::Enter);
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

/// Issue 16, 8: a 16-character CIDR whole in the table, and a layout's preview saying which
/// table each subnet goes with and what it will create.
#[test]
fn planner_layout_preview_that_creates_tables() {
    let mut a = crate::harness::app_on(vpcraft::model::Design::new("home", "ap-northeast-2"));
    let ops = vec![
        Op::AddVpc {
            name: "home".into(),
            cidr: "192.168.0.0/16".parse().expect("cidr"),
            region: None,
            dns_hostnames: true,
            dns_support: true,
            secondary_cidrs: vec![],
        },
        Op::AddSubnet {
            vpc: Ref::name("home"),
            name: "lan".into(),
            cidr: "192.168.2.128/25".parse().expect("cidr"),
            az: "a".into(),
            public_ip_on_launch: false,
            route_table: None,
            network_acl: None,
        },
    ];
    a.apply("setup", ops).expect("setup");
    a.focus = Pane::Planner;
    insta::assert_snapshot!("planner_sixteen_character_cidr_80x20", draw(&a, 80, 20).backend());
    press(&mut a, KeyCode::Char('z'));
    press(&mut a, KeyCode::Char('p'));
    press(&mut a, KeyCode::Enter);
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn routes_which_route_wins_zoomed() {
    let mut a = app();
    let s = a.design.subnets.iter().find(|s| s.name == "my-pub-2a").expect("subnet").id.clone();
    a.select_resource(&s);
    a.focus = Pane::Routes;
    press(&mut a, KeyCode::Char('z'));
    press(&mut a, KeyCode::Char('w'));
    typ(&mut a, "10.39.70.9");
    press(&mut a, KeyCode::Enter);
    insta::assert_snapshot!(draw(&a, 120, 30).backend());
}

#[test]
fn routes_form_with_a_validation_error() {
    let mut a = app();
    let s = a.design.subnets.iter().find(|s| s.name == "my-pvt-2a").expect("subnet").id.clone();
    a.select_resource(&s);
    a.focus = Pane::Routes;
    press(&mut a, KeyCode::Char('a'));
    set(&mut a, "target", "my-igw");
    set(&mut a, "destination", "169.254.169.0/24");
    press(&mut a, KeyCode::Enter);
    insta::assert_snapshot!(draw(&a, 120, 40).backend());
}

#[test]
fn routes_associations_narrow() {
    let mut a = app();
    a.focus = Pane::Routes;
    press(&mut a, KeyCode::Char('s'));
    insta::assert_snapshot!(draw(&a, 60, 20).backend());
}
