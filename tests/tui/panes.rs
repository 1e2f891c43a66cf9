//! The subnet planner and route table panes, without a terminal: key events in, state out.

use vpcraft::app::input::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use vpcraft::app::msg::{FormMsg, InputMsg, Msg};
use vpcraft::app::planner;
use vpcraft::app::routes;
use vpcraft::app::{self, keymap, App, Pane};
use vpcraft::model::ops::{Op, Ref};
use vpcraft::model::RouteDestination;

use crate::harness::{app, form, press, render, set, status, typ};

/// Put the planner's cursor on the block at `cidr`.
fn planner_at(a: &mut App, cidr: &str) {
    a.focus = Pane::Planner;
    let (_, blocks, _, _) = planner::view(a).expect("a VPC");
    a.planner.cursor = blocks.iter().position(|b| b.cidr.to_string() == cidr).unwrap_or_else(|| {
        panic!("no block {cidr}: {:?}", blocks.iter().map(|b| b.cidr.to_string()).collect::<Vec<_>>())
    });
}

fn subnet_count(a: &App) -> usize {
    a.design.subnets.len()
}

// ---------------------------------------------------------------------------------------------
// The planner.

#[test]
fn the_planner_shows_used_and_free_blocks_of_the_selected_vpc() {
    let a = app();
    let (vpc, blocks, _, err) = planner::view(&a).expect("a VPC");
    assert_eq!(vpc.name, "my-vpc");
    assert!(err.is_none());
    assert_eq!(blocks.iter().filter(|b| !b.is_free()).count(), 8);
    let free: Vec<String> = blocks.iter().filter(|b| b.is_free()).map(|b| b.cidr.to_string()).collect();
    assert_eq!(free, ["10.39.128.0/17"]);
}

#[test]
fn carve_a_subnet_from_a_free_block_then_undo_it() {
    let mut a = app();
    planner_at(&mut a, "10.39.128.0/17");
    press(&mut a, KeyCode::Char('n'));
    assert_eq!(form(&a).get("cidr"), "10.39.128.0/17", "prefilled with the free block");
    // A chosen size fills the CIDR with the first such block of the free one.
    set(&mut a, "prefix", "/24");
    assert_eq!(form(&a).get("cidr"), "10.39.128.0/24");
    set(&mut a, "name", "carved");
    let before = subnet_count(&a);
    let rev = a.rev;
    press(&mut a, KeyCode::Enter);
    assert!(a.popup().is_none(), "applied: {:?}", a.popup());
    assert_eq!(subnet_count(&a), before + 1);
    let s = a.design.subnets.iter().find(|s| s.name == "carved").expect("the new subnet");
    assert_eq!(s.primary_cidr_text(), "10.39.128.0/24");
    assert!(a.dirty() && a.rev != rev);
    assert_eq!(a.undo.len(), 1, "one undo step");
    // The cursor follows the new subnet.
    let (_, blocks, cur, _) = planner::view(&a).expect("vpc");
    assert_eq!(blocks[cur].cidr.to_string(), "10.39.128.0/24");
    press(&mut a, KeyCode::Char('u'));
    assert_eq!(subnet_count(&a), before);
    assert!(!a.dirty());
}

#[test]
fn carve_refuses_an_overlapping_cidr_and_keeps_what_was_typed() {
    let mut a = app();
    planner_at(&mut a, "10.39.128.0/17");
    press(&mut a, KeyCode::Char('n'));
    set(&mut a, "name", "clash");
    set(&mut a, "cidr", "10.39.8.0/24");
    press(&mut a, KeyCode::Enter);
    let f = form(&a);
    assert!(f.fields.iter().any(|x| x.key == "cidr" && x.error.as_deref().is_some_and(|e| e.contains("overlap"))));
    assert_eq!(f.get("name"), "clash");
    assert_eq!(f.get("cidr"), "10.39.8.0/24");
    assert!(a.undo.is_empty());
}

#[test]
fn a_layout_is_previewed_then_applied_as_one_undo_step() {
    let mut a = app();
    a.focus = Pane::Planner;
    press(&mut a, KeyCode::Char('p'));
    set(&mut a, "tiers", "web, db");
    set(&mut a, "azs", "a, b, c");
    set(&mut a, "size", "/24");
    assert!(form(&a).message.as_deref().is_some_and(|m| m.contains("Preview (6 subnets)")), "{:?}", form(&a).message);
    press(&mut a, KeyCode::Enter);
    let p = a.planner.preview.clone().expect("a preview, nothing applied yet");
    assert_eq!(p.rows.len(), 6);
    assert_eq!(subnet_count(&a), 8);
    assert!(render(&a, 120, 40).contains("Layout preview: 6 subnets"));
    press(&mut a, KeyCode::Enter);
    assert!(a.planner.preview.is_none());
    assert_eq!(subnet_count(&a), 14);
    assert!(a.design.subnets.iter().any(|s| s.name == "web-2a" && s.primary_cidr_text() == "10.39.128.0/24"));
    assert_eq!(a.undo.len(), 1, "the whole layout is one undo step");
    press(&mut a, KeyCode::Char('u'));
    assert_eq!(subnet_count(&a), 8);
}

/// A design of one VPC, 192.168.0.0/16, with no internet gateway and one subnet,
/// 192.168.2.128/25 (its CIDR is 16 characters wide).
pub(crate) fn home_network() -> App {
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
    a.undo.clear();
    a.focus = Pane::Planner;
    a
}

/// Issue 16, 8: the CIDR column was 15 columns wide and cut `192.168.2.128/25` to `/2`.
#[test]
fn the_planner_shows_a_sixteen_character_cidr_whole() {
    let a = home_network();
    for width in [120, 80, 60] {
        let text = render(&a, width, 30);
        let row = text
            .lines()
            .find(|l| l.contains("lan") && l.contains("192.168.2.128") && !l.contains(" · "))
            .unwrap_or_else(|| panic!("no table row for lan at {width} columns:\n{text}"));
        assert!(row.contains("192.168.2.128/25 "), "cut at {width} columns: {row}");
    }
}

/// Issue 16, 8: a public tier is associated with the VPC's table to its internet gateway
/// (R9), a private tier with a private table, so the planner says what the names say.
#[test]
fn a_layout_associates_public_tiers_with_the_internet_table_and_private_ones_with_a_private_table() {
    let mut a = app();
    a.focus = Pane::Planner;
    press(&mut a, KeyCode::Char('p'));
    set(&mut a, "tiers", "public, private");
    set(&mut a, "public", "public");
    set(&mut a, "azs", "a, b");
    press(&mut a, KeyCode::Enter);
    let p = a.planner.preview.clone().expect("a preview");
    assert!(
        p.creates(vpcraft::l10n::Lang::En).is_empty(),
        "the example has both tables: {:?}",
        p.creates(vpcraft::l10n::Lang::En)
    );
    press(&mut a, KeyCode::Enter);
    let table = |a: &App, name: &str| {
        let s = a.design.subnets.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no subnet {name}"));
        assert!(a.design.subnet_has_explicit_route_table(&s.id), "{name} is left on the main table");
        (a.design.subnet_route_table(&s.id).expect("table").name.clone(), planner::tier(&a.design, &s.id))
    };
    assert_eq!(table(&a, "public-2a"), ("my-pub-rt".to_string(), "public"));
    assert_eq!(table(&a, "public-2b"), ("my-pub-rt".to_string(), "public"));
    assert_eq!(table(&a, "private-2a"), ("my-pvt-rt".to_string(), "private"));
    assert_eq!(table(&a, "private-2b"), ("my-pvt-rt".to_string(), "private"));
    assert_eq!(a.undo.len(), 1);
}

/// Issue 16, 8: in a VPC with no internet gateway, the preview says what the layout will
/// create (the gateway, a public table routing to it); Enter creates it all as one undo step.
#[test]
fn a_layout_creates_the_gateway_and_tables_it_needs_after_showing_them() {
    let mut a = home_network();
    let before = a.design.clone();
    press(&mut a, KeyCode::Char('p'));
    set(&mut a, "tiers", "web, app, db");
    set(&mut a, "public", "web");
    set(&mut a, "azs", "a, c");
    let message = form(&a).message.clone().unwrap_or_default();
    assert!(message.contains("also creates internet gateway home-igw"), "{message}");
    press(&mut a, KeyCode::Enter);
    let p = a.planner.preview.clone().expect("a preview, nothing applied yet");
    // The main table is private (R9): the private tiers are associated with it explicitly.
    assert_eq!(
        p.creates(vpcraft::l10n::Lang::En),
        ["internet gateway home-igw (attached)", "route table home-public (0.0.0.0/0 → home-igw)"]
    );
    assert_eq!(a.design, before, "nothing is created before Enter");
    assert!(render(&a, 120, 40).contains("+ internet gateway home-igw (attached)"));
    press(&mut a, KeyCode::Enter);
    let d = &a.design;
    let vpc = &d.vpcs[0].id;
    let igw = d.internet_gateways.iter().find(|g| g.name == "home-igw").expect("a new gateway");
    assert_eq!(igw.vpc.as_ref(), Some(vpc));
    let public = d.route_tables.iter().find(|t| t.name == "home-public").expect("a public table");
    assert!(public.routes.iter().any(|r| r.target.id() == Some(igw.id.as_str())
        && r.destination == RouteDestination::Cidr("0.0.0.0/0".parse().expect("cidr"))));
    for s in d.subnets.iter().filter(|s| s.name != "lan") {
        let want = if s.name.starts_with("web-") { ("home-public", "public") } else { ("home-main", "private") };
        let rt = d.subnet_route_table(&s.id).expect("table");
        assert_eq!((rt.name.as_str(), planner::tier(d, &s.id)), want, "{}", s.name);
        assert!(d.subnet_has_explicit_route_table(&s.id));
    }
    assert_eq!(d.subnets.len(), 7);
    assert_eq!(a.undo.len(), 1, "subnets, tables and gateway are one undo step");
    press(&mut a, KeyCode::Char('u'));
    assert_eq!(a.design, before);
}

#[test]
fn a_public_tier_that_is_not_a_tier_is_refused() {
    let mut a = app();
    a.focus = Pane::Planner;
    press(&mut a, KeyCode::Char('p'));
    set(&mut a, "public", "dmz");
    press(&mut a, KeyCode::Enter);
    assert!(crate::harness::error_of(&a, "public").is_some_and(|e| e.contains("'dmz' is not one of the tiers")));
    assert!(a.planner.preview.is_none());
}

/// Until the public tiers are edited, they follow the tiers whose names say so.
#[test]
fn the_public_tiers_follow_the_tiers_until_edited() {
    let mut a = app();
    a.focus = Pane::Planner;
    press(&mut a, KeyCode::Char('p'));
    assert_eq!(form(&a).get("public"), "public");
    set(&mut a, "tiers", "pub-web, app, db");
    assert_eq!(form(&a).get("public"), "pub-web");
    set(&mut a, "public", "app");
    set(&mut a, "tiers", "app, db");
    assert_eq!(form(&a).get("public"), "app");
}

#[test]
fn esc_discards_a_layout_preview() {
    let mut a = app();
    a.focus = Pane::Planner;
    press(&mut a, KeyCode::Char('p'));
    press(&mut a, KeyCode::Enter);
    assert!(a.planner.preview.is_some());
    press(&mut a, KeyCode::Esc);
    assert!(a.planner.preview.is_none());
    assert_eq!(subnet_count(&a), 8);
    assert!(a.undo.is_empty());
}

#[test]
fn split_refuses_a_subnet_with_resources_and_splits_an_empty_one() {
    let mut a = app();
    // my-pub-2a holds my-pub-ec2's interface.
    planner_at(&mut a, "10.39.0.0/20");
    press(&mut a, KeyCode::Char('s'));
    assert!(status(&a).contains("not split") && status(&a).contains("holds"), "{}", status(&a));
    assert_eq!(subnet_count(&a), 8);
    assert!(a.undo.is_empty());
    // my-pub-2b is empty.
    planner_at(&mut a, "10.39.16.0/20");
    press(&mut a, KeyCode::Char('s'));
    assert_eq!(subnet_count(&a), 9, "{}", status(&a));
    let cidrs: Vec<String> = a.design.subnets.iter().map(|s| s.primary_cidr_text()).collect();
    assert!(cidrs.contains(&"10.39.16.0/21".to_string()) && cidrs.contains(&"10.39.24.0/21".to_string()));
    // The new half keeps the old one's route table (R1).
    let b = a.design.subnets.iter().find(|s| s.primary_cidr_text() == "10.39.24.0/21").expect("new half");
    assert_eq!(a.design.subnet_route_table(&b.id).map(|t| t.name.clone()), Some("my-pub-rt".to_string()));
    assert_eq!(a.undo.len(), 1);
    // Join puts them back together, as one more step.
    planner_at(&mut a, "10.39.24.0/21");
    press(&mut a, KeyCode::Char('j'));
    assert_eq!(subnet_count(&a), 8, "{}", status(&a));
    assert!(a.design.subnets.iter().any(|s| s.name == "my-pub-2b" && s.primary_cidr_text() == "10.39.16.0/20"));
    assert_eq!(a.undo.len(), 2);
}

#[test]
fn join_refuses_subnets_in_different_azs_or_with_resources_or_without_a_sibling_subnet() {
    let mut a = app();
    // my-pub-2b (2b) and my-pub-2a (2a) are siblings in different zones; 2a also holds an ENI.
    planner_at(&mut a, "10.39.16.0/20");
    press(&mut a, KeyCode::Char('j'));
    assert!(status(&a).contains("not joined"), "{}", status(&a));
    assert!(status(&a).contains("one AZ"), "{}", status(&a));
    assert_eq!(subnet_count(&a), 8);
    // The free /17's sibling is the used half: nothing to join.
    planner_at(&mut a, "10.39.128.0/17");
    press(&mut a, KeyCode::Char('j'));
    assert!(status(&a).contains("not free"), "{}", status(&a));
    assert!(a.undo.is_empty());
}

#[test]
fn a_join_the_model_refuses_says_the_rule_and_changes_nothing_a5() {
    // Two /16 subnets, one in each CIDR of a VPC: their parent /15 is larger than any subnet and
    // spans both CIDRs. The planner leaves that to the model's dry run, which names A5.
    let mut b = vpcraft::model::builder::DesignBuilder::new("wide", "us-east-1");
    let vpc = b.vpc("wide", "10.0.0.0/16");
    b.op(Op::AddVpcCidr { vpc: Ref::id(vpc.clone()), cidr: "10.1.0.0/16".parse().unwrap() });
    b.subnet(&vpc, "left", "10.0.0.0/16", "us-east-1a");
    b.subnet(&vpc, "right", "10.1.0.0/16", "us-east-1a");
    let mut a = crate::harness::app_on(b.build());
    planner_at(&mut a, "10.0.0.0/16");
    let before = a.design.clone();
    press(&mut a, KeyCode::Char('j'));
    assert!(status(&a).contains("not joined") && status(&a).contains("A5"), "{}", status(&a));
    assert_eq!(a.design, before);
    assert!(a.undo.is_empty());
}

#[test]
fn free_blocks_split_and_join_in_the_view_only() {
    let mut a = app();
    planner_at(&mut a, "10.39.128.0/17");
    press(&mut a, KeyCode::Char('s'));
    let (_, blocks, _, _) = planner::view(&a).expect("vpc");
    let free: Vec<String> = blocks.iter().filter(|b| b.is_free()).map(|b| b.cidr.to_string()).collect();
    assert_eq!(free, ["10.39.128.0/18", "10.39.192.0/18"]);
    assert!(a.undo.is_empty() && !a.dirty(), "a view split changes nothing in the design");
    planner_at(&mut a, "10.39.192.0/18");
    press(&mut a, KeyCode::Char('j'));
    let (_, blocks, _, _) = planner::view(&a).expect("vpc");
    assert_eq!(blocks.iter().filter(|b| b.is_free()).count(), 1);
}

#[test]
fn resize_grows_only_where_space_allows() {
    let mut a = app();
    // my-pvt-2d (10.39.112.0/20) has free space after it but growing to /19 keeps the base
    // rounded down, onto my-pvt-2c.
    planner_at(&mut a, "10.39.112.0/20");
    press(&mut a, KeyCode::Char('r'));
    set(&mut a, "prefix", "/19");
    assert!(form(&a).fields.iter().any(|f| f.key == "prefix" && f.error.is_some()));
    press(&mut a, KeyCode::Enter);
    assert!(a.popup().is_some() && a.undo.is_empty());
    // Shrinking is fine: nothing lives there.
    set(&mut a, "prefix", "/22");
    assert_eq!(form(&a).get("result"), "10.39.112.0/22");
    press(&mut a, KeyCode::Enter);
    assert!(a.popup().is_none());
    assert!(a.design.subnets.iter().any(|s| s.name == "my-pvt-2d" && s.primary_cidr_text() == "10.39.112.0/22"));
    assert_eq!(a.undo.len(), 1);
}

#[test]
fn resize_refuses_to_leave_an_address_outside() {
    let mut a = app();
    let eni = a.design.network_interfaces.iter().position(|e| e.name == "my-pvt-ec2-eth0").expect("eni");
    a.design.network_interfaces[eni].private_ips = vec!["10.39.72.1".parse().expect("ip")];
    a.refresh();
    planner_at(&mut a, "10.39.64.0/20");
    press(&mut a, KeyCode::Char('r'));
    set(&mut a, "prefix", "/21");
    let err = form(&a).fields.iter().find(|f| f.key == "prefix").and_then(|f| f.error.clone());
    assert!(err.as_deref().is_some_and(|e| e.contains("10.39.72.1") && e.contains("outside")), "{err:?}");
    press(&mut a, KeyCode::Enter);
    assert!(a.undo.is_empty());
    // /20 → /20 keeps it; nothing else is touched.
    assert!(a.design.subnets.iter().any(|s| s.primary_cidr_text() == "10.39.64.0/20"));
}

// ---------------------------------------------------------------------------------------------
// The route editor.

fn routes_on(a: &mut App, table: &str) {
    a.focus = Pane::Routes;
    let id = a.design.route_tables.iter().find(|t| t.name == table).expect("table").id.clone();
    a.routes.table = Some(id);
}

#[test]
fn the_route_pane_follows_the_tree_and_lists_effective_routes() {
    let mut a = app();
    let s = a.design.subnets.iter().find(|s| s.name == "my-pub-2a").expect("subnet").id.clone();
    assert!(a.select_resource(&s));
    assert_eq!(routes::current_table(&a).map(|t| t.name.as_str()), Some("my-pub-rt"));
    let shown = render(&a, 120, 40);
    assert!(shown.contains("0.0.0.0/0") && shown.contains("my-igw"), "{shown}");
}

#[test]
fn an_invalid_target_is_refused_with_the_reason_and_nothing_typed_is_lost() {
    let mut a = app();
    routes_on(&mut a, "my-pvt-rt");
    press(&mut a, KeyCode::Char('a'));
    set(&mut a, "destination", "0.0.0.0/0");
    // A security group is not a route target (R5): the target picker does not offer it, and
    // the model refuses it from anyone else.
    set(&mut a, "target", "my-web-sg");
    let f = form(&a);
    let target = f.fields.iter().find(|x| x.key == "target").expect("target");
    assert!(target.matches().is_empty(), "no security group among the targets");
    assert!(!target.value().contains("sg-"), "{}", target.value());
    let rt = a.design.route_tables.iter().find(|t| t.name == "my-pvt-rt").expect("table").id.clone();
    let op = Op::AddRoute {
        table: Ref::id(rt),
        destination: RouteDestination::Cidr("0.0.0.0/0".parse().expect("cidr")),
        target: Ref::name("my-web-sg"),
    };
    assert!(a.design.check(&op).iter().any(|e| e.message.contains("cannot be a route target (R5)")));
    // R7 and the local route (R2), refused with the reason, what was typed kept.
    set(&mut a, "target", "my-igw");
    set(&mut a, "destination", "169.254.169.0/24");
    press(&mut a, KeyCode::Enter);
    let f = form(&a);
    assert!(f.message.as_deref().is_some_and(|m| m.starts_with("Not applied")), "{:?}", f.message);
    assert_eq!(f.get("destination"), "169.254.169.0/24");
    assert_eq!(f.get("target"), "igw:igw-0001");
    assert!(a.undo.is_empty());
    assert!(form(&a).fields.iter().any(|x| x.error.as_deref().is_some_and(|e| e.contains("R7"))));
    set(&mut a, "destination", "10.39.0.0/16");
    assert!(form(&a).fields.iter().any(|x| x.error.as_deref().is_some_and(|e| e.contains("local"))));
    // A valid one goes in as one undo step.
    set(&mut a, "destination", "0.0.0.0/0");
    press(&mut a, KeyCode::Enter);
    assert!(a.popup().is_none(), "{:?}", a.popup());
    let rt = a.design.route_tables.iter().find(|t| t.name == "my-pvt-rt").expect("table");
    assert!(rt.routes.iter().any(|r| r.destination.to_string() == "0.0.0.0/0"));
    assert_eq!(a.undo.len(), 1);
}

#[test]
fn a_detached_internet_gateway_is_refused() {
    let mut a = app();
    for g in &mut a.design.internet_gateways {
        g.vpc = None;
    }
    routes_on(&mut a, "my-pvt-rt");
    press(&mut a, KeyCode::Char('a'));
    set(&mut a, "destination", "0.0.0.0/0");
    // The picker offers only the VPC's own gateways; the model refuses a detached one (R5).
    set(&mut a, "target", "my-igw");
    let f = form(&a);
    assert!(f.fields.iter().find(|x| x.key == "target").is_some_and(|x| x.matches().is_empty()));
    let rt = a.design.route_tables.iter().find(|t| t.name == "my-pvt-rt").expect("table").id.clone();
    let op = Op::AddRoute {
        table: Ref::id(rt),
        destination: RouteDestination::Cidr("0.0.0.0/0".parse().expect("cidr")),
        target: Ref::name("my-igw"),
    };
    let errs = a.design.check(&op);
    assert!(errs.iter().any(|e| e.message.contains("not attached")), "{errs:?}");
}

#[test]
fn the_local_route_is_refused_on_delete_and_a_static_one_deletes() {
    let mut a = app();
    routes_on(&mut a, "my-pub-rt");
    let rt = routes::current_table(&a).expect("table").clone();
    let local = rt.routes.iter().position(|r| r.is_local()).expect("local route");
    a.routes.cursor = local;
    press(&mut a, KeyCode::Char('d'));
    assert!(status(&a).contains("R2"), "{}", status(&a));
    assert!(a.undo.is_empty());
    assert_eq!(a.design.route_table(&rt.id).map(|t| t.routes.len()), Some(rt.routes.len()));
    let default = rt.routes.iter().position(|r| r.destination.to_string() == "0.0.0.0/0").expect("default route");
    a.routes.cursor = default;
    press(&mut a, KeyCode::Char('d'));
    assert_eq!(a.design.route_table(&rt.id).map(|t| t.routes.len()), Some(rt.routes.len() - 1));
    assert_eq!(a.undo.len(), 1);
}

#[test]
fn associations_move_a_subnet_between_tables_and_back_to_main() {
    let mut a = app();
    routes_on(&mut a, "my-pvt-rt");
    press(&mut a, KeyCode::Char('s'));
    assert!(a.routes.associations);
    let pub2a = a.design.subnets.iter().find(|s| s.name == "my-pub-2a").expect("subnet").id.clone();
    let vpc = a.design.subnet(&pub2a).expect("subnet").vpc.clone();
    a.routes.assoc_cursor = a.design.vpc_subnets(&vpc).position(|s| s.id == pub2a).expect("index");
    press(&mut a, KeyCode::Char(' '));
    assert_eq!(a.design.subnet_route_table(&pub2a).map(|t| t.name.clone()), Some("my-pvt-rt".into()));
    // One table per subnet (R1): it left my-pub-rt.
    let pub_rt = a.design.route_tables.iter().find(|t| t.name == "my-pub-rt").expect("table");
    assert!(!pub_rt.subnets.contains(&pub2a));
    // Unticking falls back to the main table.
    press(&mut a, KeyCode::Char(' '));
    assert!(!a.design.subnet_has_explicit_route_table(&pub2a));
    assert_eq!(a.undo.len(), 2);
}

#[test]
fn m_makes_the_table_main() {
    let mut a = app();
    let main_before = a.design.route_tables.iter().find(|t| t.main).map(|t| t.name.clone());
    let other = a.design.route_tables.iter().find(|t| !t.main && t.name == "my-pub-rt").expect("non-main").name.clone();
    routes_on(&mut a, &other);
    press(&mut a, KeyCode::Char('p'));
    let mains: Vec<&str> = a.design.route_tables.iter().filter(|t| t.main).map(|t| t.name.as_str()).collect();
    assert_eq!(mains, [other.as_str()]);
    assert_ne!(main_before.as_deref(), Some(other.as_str()));
    assert_eq!(a.undo.len(), 1);
}

#[test]
fn which_route_wins_matches_the_engine() {
    let mut a = app();
    routes_on(&mut a, "my-pub-rt");
    press(&mut a, KeyCode::Char('w'));
    typ(&mut a, "10.39.70.9");
    press(&mut a, KeyCode::Enter);
    let w = a.routes.which.clone().expect("an answer");
    let rt = routes::current_table(&a).expect("table").clone();
    let routes = a.design.effective_routes(&rt);
    let (win, net) = w.winner.expect("a winner");
    assert!(routes[win].is_local(), "10.39.70.9 is in the VPC: local wins");
    assert_eq!(net.to_string(), "10.39.0.0/16");
    let default = routes.iter().position(|r| r.destination.to_string() == "0.0.0.0/0").expect("default");
    assert_eq!(w.beaten_reason(default), Some(vpcraft::sim::LostBecause::LessSpecific));
    let shown = render(&a, 120, 40);
    assert!(shown.contains("✓") && shown.contains("less specific"), "{shown}");
    // An outside address goes to the internet gateway.
    press(&mut a, KeyCode::Char('w'));
    press(&mut a, KeyCode::Backspace);
    app::update(&mut a, Msg::Form(FormMsg::Input(InputMsg::Clear)));
    typ(&mut a, "8.8.8.8");
    press(&mut a, KeyCode::Enter);
    let w = a.routes.which.clone().expect("an answer");
    let (win, _) = w.winner.expect("a winner");
    assert!(matches!(routes[win].destination, RouteDestination::Cidr(c) if c.prefix_len() == 0));
    assert!(w.beaten.is_empty());
    press(&mut a, KeyCode::Esc);
    assert!(a.routes.which.is_none());
}

#[test]
fn which_route_wins_with_a_gateway_endpoint_cites_r4c() {
    // An S3 gateway endpoint's prefix-list route, and a static CIDR route to one of its CIDRs:
    // the CIDR route wins (R4c), as in a trace.
    let mut a = app();
    let rt = a.design.route_tables.iter().find(|t| t.name == "my-pub-rt").expect("table").id.clone();
    let vpc = a.design.route_table(&rt).expect("rt").vpc.clone();
    a.design
        .apply(&Op::AddGatewayEndpoint {
            vpc: Ref::id(vpc),
            service: "s3".into(),
            route_tables: vec![Ref::id(rt.clone())],
            name: None,
            state: None,
        })
        .expect("gateway endpoint");
    a.refresh();
    let pl = a
        .design
        .route_table(&rt)
        .and_then(|t| {
            t.routes.iter().find_map(|r| match &r.destination {
                RouteDestination::PrefixList(pl) => Some(pl.clone()),
                _ => None,
            })
        })
        .expect("a prefix-list route");
    let cidr = routes::prefix_list_cidrs(&a.design, &pl).first().copied().expect("pl CIDRs");
    routes_on(&mut a, "my-pub-rt");
    assert!(render(&a, 120, 40).contains(&pl));
    press(&mut a, KeyCode::Char('a'));
    set(&mut a, "destination", &cidr.to_string());
    set(&mut a, "target", "my-igw");
    press(&mut a, KeyCode::Enter);
    assert!(a.popup().is_none(), "{:?}", a.popup());
    press(&mut a, KeyCode::Char('w'));
    typ(&mut a, &cidr.network().to_string());
    press(&mut a, KeyCode::Enter);
    let w = a.routes.which.clone().expect("answer");
    assert!(w.beaten.iter().any(|(_, _, why)| *why == vpcraft::sim::LostBecause::CidrOverPrefixList), "{w:?}");
    // The endpoint's route cannot be edited or deleted here (G2).
    let routes = a.design.effective_routes(routes::current_table(&a).expect("table"));
    a.routes.cursor = routes.iter().position(|r| r.destination.to_string() == pl).expect("pl row");
    press(&mut a, KeyCode::Char('e'));
    assert!(a.popup().is_none() && status(&a).contains("G2"), "{}", status(&a));
    press(&mut a, KeyCode::Char('d'));
    assert!(status(&a).contains("G2"), "{}", status(&a));
}

#[test]
fn random_keys_on_the_panes_never_panic() {
    // A deterministic smoke run; the proptest below covers random sequences.
    let mut a = app();
    for (i, c) in "2nsjrLc][f\u{1b}3asdwm ][f".chars().enumerate() {
        press(&mut a, KeyCode::Char(c));
        render(&a, 20 + (i as u16 * 7) % 150, 5 + (i as u16 * 3) % 50);
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn pane_key() -> impl Strategy<Value = KeyEvent> {
        let codes = prop_oneof![
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
            Just(KeyCode::Tab),
            Just(KeyCode::Delete),
            prop::sample::select(vec![
                '2', '3', 'n', 's', 'j', 'r', 'L', 'c', '[', ']', 'f', 'a', 'e', 'd', 'w', 'm', ' ', 'u', 'U', 'z',
                'k', 'h', 'l', 'g', 'G', '/', '0', '1', '8', '.', ','
            ])
            .prop_map(KeyCode::Char),
        ];
        codes.prop_map(|c| KeyEvent { code: c, modifiers: KeyModifiers::NONE, kind: KeyEventKind::Press })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]
        #[test]
        fn random_pane_keys_and_sizes_never_panic(
            example in 0usize..3,
            keys in proptest::collection::vec(pane_key(), 0..150),
            sizes in proptest::collection::vec((1u16..=200, 1u16..=60), 1..4),
        ) {
            let name = vpcraft::assets::EXAMPLES[example].0;
            let mut a = App::new(vpcraft::assets::example(name).expect("example"), None);
            a.allow_io = false;
            a.focus = if example % 2 == 0 { Pane::Planner } else { Pane::Routes };
            for (i, k) in keys.into_iter().enumerate() {
                let msgs = keymap::route_keys(&a, k);
                app::update::dispatch(&mut a, msgs);
                if i % 13 == 0 {
                    let (w, h) = sizes[i % sizes.len()];
                    render(&a, w, h);
                    // The zoomed pane at the same size.
                    a.zoom = !a.zoom;
                    render(&a, w, h);
                    a.zoom = !a.zoom;
                }
            }
            for (w, h) in sizes {
                render(&a, w, h);
            }
        }
    }
}

#[test]
fn a_prefix_list_destination_longer_than_its_column_is_cut_with_an_ellipsis() {
    let mut a = crate::harness::app_on(vpcraft::assets::example("endpoint-lab").expect("example"));
    a.apply(
        "add endpoint",
        vec![Op::AddGatewayEndpoint {
            vpc: Ref::name("jhVPC"),
            service: "s3".into(),
            route_tables: vec![Ref::name("jhPrivateRT")],
            name: None,
            state: None,
        }],
    )
    .expect("edit");
    let id = a.design.route_tables.iter().find(|t| t.name == "jhPrivateRT").expect("table").id.clone();
    assert!(a.select_resource(&id));
    let screen = render(&a, 140, 45);
    let line = screen.lines().find(|l| l.contains("pl-")).unwrap_or_else(|| panic!("no prefix-list route:\n{screen}"));
    assert!(line.contains("CIDRs)") || line.contains('…'), "cut without an ellipsis: {line}");
}
