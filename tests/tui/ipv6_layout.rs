//! Issue 14, planner: tier × AZ layouts with IPv6. Each subnet of a dual-stack layout gets a
//! /64 of the VPC's IPv6 block by slot number (`cidrsubnet(block, 8, n)`), next to its IPv4
//! block; a layout may be IPv6-only or IPv4-only; a VPC without an IPv6 block gets an
//! Amazon-provided /56 held as a documentation-range stand-in, and the preview says so. All of
//! it is one undo step.

use vpcraft::app::input::KeyCode;
use vpcraft::app::planner::{Ipv6BlockPlan, LayoutFamily};
use vpcraft::app::{App, Pane};
use vpcraft::model::ops::{Op, Ref};
use vpcraft::model::{Design, Ipv6Pool, RouteDestination};

use crate::harness::{app, app_on, choose, draw, form, press, render, set};

/// VPC `v` (10.0.0.0/16 and the Amazon /56 stand-in 2001:db8::/56) with dual-stack subnet `a`
/// (10.0.0.0/24, slot 0) on the main table, which routes `::/0` to an egress-only gateway.
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
        Op::AddRoute {
            table: Ref::name("v-main"),
            destination: RouteDestination::Cidr("::/0".parse().expect("cidr")),
            target: Ref::name("eigw"),
        },
    ];
    a.apply("setup", ops).expect("setup");
    a.undo.clear();
    a.focus = Pane::Planner;
    a
}

/// Open the layout form with tiers public, private in zones a, b.
fn open_layout(a: &mut App) {
    press(a, KeyCode::Char('p'));
    set(a, "tiers", "public, private");
    set(a, "azs", "a, b");
}

/// (subnet name, IPv4 block, IPv6 block, auto-assign) of the subnets the layout made.
fn made(a: &App) -> Vec<(String, String, String, bool)> {
    let mut v: Vec<_> = a
        .design
        .subnets
        .iter()
        .filter(|s| s.name != "a")
        .map(|s| {
            (
                s.name.clone(),
                s.cidr.map(|c| c.to_string()).unwrap_or_default(),
                s.ipv6_cidr.map(|c| c.to_string()).unwrap_or_default(),
                s.assign_ipv6_address_on_creation,
            )
        })
        .collect();
    v.sort();
    v
}

fn table_of(a: &App, subnet: &str) -> String {
    let s = a.design.subnets.iter().find(|s| s.name == subnet).unwrap_or_else(|| panic!("no subnet {subnet}"));
    assert!(a.design.subnet_has_explicit_route_table(&s.id), "{subnet} is left on the main table");
    a.design.subnet_route_table(&s.id).expect("a table").name.clone()
}

#[test]
fn a_dual_stack_layout_gives_each_subnet_a_64_by_slot_next_to_its_ipv4_block() {
    let mut a = dual();
    let before = a.design.clone();
    open_layout(&mut a);
    assert_eq!(form(&a).get("family"), "dual", "a VPC with an IPv6 block lays out dual-stack");
    let message = form(&a).message.clone().unwrap_or_default();
    assert!(message.contains("public-2a 10.0.2.0/24 + 2001:db8:0:2::/64"), "{message}");
    assert!(message.contains("documentation-range stand-in"), "{message}");
    press(&mut a, KeyCode::Enter);
    let p = a.planner.preview.clone().expect("a preview, nothing applied yet");
    assert_eq!(p.family, LayoutFamily::Dual);
    assert_eq!(p.ipv6_block, Some(Ipv6BlockPlan::Placeholder("2001:db8::/56".parse().expect("cidr"))));
    // Slot 0 is subnet a's; each tier gets an aligned run of two slots, as its IPv4 blocks.
    let slots: Vec<u128> = p.rows6.iter().map(|r| r.index).collect();
    assert_eq!(slots, [2, 3, 4, 5]);
    assert_eq!(a.design, before, "nothing is created before Enter");
    // Side by side at 140 columns each subnet keeps its table after its /64 (the short form).
    let text = render(&a, 140, 45);
    assert!(text.contains("public-2a  10.0.2.0/24 2001:db8:0:2::/64 #2   → v-public"), "{text}");
    assert!(text.contains("(0.0.0.0/0, ::/0 → v-igw)"), "{text}");
    a.zoom = true;
    let text = render(&a, 140, 45);
    assert!(text.contains("documentation-range stand-in for the Amazon-provided /56"), "{text}");
    assert!(text.contains("ap-northeast-2b  10.0.3.0/24 251 usable  2001:db8:0:3::/64 slot 3    → v-public"), "{text}");
    a.zoom = false;
    press(&mut a, KeyCode::Enter);
    assert!(a.planner.preview.is_none(), "{:?}", a.status);
    let want = |n: &str, v4: &str, v6: &str| (n.to_string(), v4.to_string(), v6.to_string(), true);
    assert_eq!(
        made(&a),
        [
            want("private-2a", "10.0.4.0/24", "2001:db8:0:4::/64"),
            want("private-2b", "10.0.5.0/24", "2001:db8:0:5::/64"),
            want("public-2a", "10.0.2.0/24", "2001:db8:0:2::/64"),
            want("public-2b", "10.0.3.0/24", "2001:db8:0:3::/64"),
        ]
    );
    // The new public table routes both defaults to the new internet gateway (R3: ::/0 is its
    // own route); the private tiers go with the main table and its egress-only gateway.
    assert_eq!(table_of(&a, "public-2a"), "v-public");
    assert_eq!(table_of(&a, "private-2b"), "v-main");
    let public = a.design.route_tables.iter().find(|t| t.name == "v-public").expect("public table");
    let dests: Vec<String> = public.routes.iter().map(|r| r.destination.to_string()).collect();
    assert!(dests.contains(&"0.0.0.0/0".to_string()) && dests.contains(&"::/0".to_string()), "{dests:?}");
    assert_eq!(a.undo.len(), 1, "the subnets, their /64s, the table and the gateway are one undo step");
    press(&mut a, KeyCode::Char('u'));
    assert_eq!(a.design, before);
}

#[test]
fn an_ipv6_only_layout_makes_ipv6_only_subnets_on_their_tables() {
    let mut a = dual();
    open_layout(&mut a);
    choose(&mut a, "family", "ipv6");
    set(&mut a, "size", "not a size: IPv6-only subnets have no IPv4 block");
    press(&mut a, KeyCode::Enter);
    let p = a.planner.preview.clone().expect("a preview");
    assert_eq!((p.family, p.rows.len(), p.len()), (LayoutFamily::Ipv6, 0, 4));
    let text = render(&a, 140, 45);
    assert!(text.contains("(::/0 → v-igw)") && !text.contains("0.0.0.0/0"), "{text}");
    press(&mut a, KeyCode::Enter);
    let want = |n: &str, v6: &str| (n.to_string(), String::new(), v6.to_string(), true);
    assert_eq!(
        made(&a),
        [
            want("private-2a", "2001:db8:0:4::/64"),
            want("private-2b", "2001:db8:0:5::/64"),
            want("public-2a", "2001:db8:0:2::/64"),
            want("public-2b", "2001:db8:0:3::/64"),
        ]
    );
    assert!(a.design.subnets.iter().filter(|s| s.name != "a").all(|s| s.is_ipv6_only()));
    assert_eq!(table_of(&a, "public-2b"), "v-public");
    assert_eq!(table_of(&a, "private-2a"), "v-main");
    assert_eq!(a.undo.len(), 1);
}

#[test]
fn an_ipv4_only_layout_in_a_dual_stack_vpc_leaves_ipv6_out() {
    let mut a = dual();
    open_layout(&mut a);
    choose(&mut a, "family", "ipv4");
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Enter);
    let made = made(&a);
    assert_eq!(made.len(), 4);
    assert!(made.iter().all(|(_, v4, v6, _)| !v4.is_empty() && v6.is_empty()), "{made:?}");
}

/// A VPC without an IPv6 block lays out IPv4 as before; asked for dual-stack, the layout
/// associates an Amazon-provided /56, held as the design's next documentation-range stand-in,
/// and says so before Enter.
#[test]
fn a_dual_stack_layout_in_a_vpc_without_ipv6_adds_the_56_and_says_so() {
    let mut a = app();
    a.focus = Pane::Planner;
    let before = a.design.clone();
    press(&mut a, KeyCode::Char('p'));
    assert_eq!(form(&a).get("family"), "ipv4", "unchanged for an IPv4 VPC");
    choose(&mut a, "family", "dual");
    press(&mut a, KeyCode::Enter);
    let p = a.planner.preview.clone().expect("a preview");
    let block: ipnet::Ipv6Net = "2001:db8::/56".parse().expect("cidr");
    assert_eq!(p.ipv6_block, Some(Ipv6BlockPlan::Adds(block)));
    assert!(
        p.creates(vpcraft::l10n::Lang::En)[0].starts_with("IPv6 block 2001:db8::/56 (Amazon-provided /56"),
        "{:?}",
        p.creates(vpcraft::l10n::Lang::En)
    );
    assert!(render(&a, 140, 45).contains("+ IPv6 block 2001:db8::/56"));
    press(&mut a, KeyCode::Enter);
    let vpc = &a.design.vpcs[0];
    assert_eq!(vpc.ipv6_cidrs().collect::<Vec<_>>(), [block]);
    assert!(vpc.ipv6_cidr_blocks[0].placeholder, "the block stays marked as a stand-in");
    let new: Vec<_> = a.design.subnets.iter().filter(|s| !before.subnets.iter().any(|b| b.id == s.id)).collect();
    assert_eq!(new.len(), 4);
    let v6: Vec<String> = new.iter().map(|s| s.ipv6_cidr.map(|c| c.to_string()).unwrap_or_default()).collect();
    assert_eq!(v6, ["2001:db8::/64", "2001:db8:0:1::/64", "2001:db8:0:2::/64", "2001:db8:0:3::/64"]);
    assert_eq!(a.undo.len(), 1);
    press(&mut a, KeyCode::Char('u'));
    assert_eq!(a.design, before);
}

/// From the IPv6 view (6), p lays out too; the preview shows in place of the /64 table and the
/// grid shows the new /64s after Enter.
#[test]
fn a_layout_from_the_ipv6_view_is_previewed_there() {
    let mut a = dual();
    a.zoom = true;
    press(&mut a, KeyCode::Char('6'));
    open_layout(&mut a);
    press(&mut a, KeyCode::Enter);
    assert!(a.planner.ipv6 && a.planner.preview.is_some());
    let term = draw(&a, 140, 45);
    insta::assert_snapshot!("planner_ipv6_layout_preview_140x45", term.backend());
    // The grid marks the /64s the layout will take (row 0x, slots 02 to 05), not the others.
    let buf = term.backend().buffer();
    let row =
        (0..45).find(|y| (0..20).map(|x| buf[(x, *y)].symbol()).collect::<String>().contains(" 0x ")).expect("row 0x");
    let style_at = |x: u16| buf[(x, row)].modifier;
    use ratatui::style::Modifier;
    // `┃ 0x 00 01 02 …`: slot k's first digit is at column 5 + 3k.
    for (k, planned) in [(1u16, false), (2, true), (5, true), (6, false)] {
        assert_eq!(style_at(5 + 3 * k).contains(Modifier::UNDERLINED), planned, "slot {k}");
    }
    press(&mut a, KeyCode::Enter);
    assert_eq!(made(&a).len(), 4);
    let (_, slots, cur) = vpcraft::app::planner::v6::view(&a).expect("a VPC");
    let slots = slots.expect("slots");
    assert_eq!(slots[cur].cidr.to_string(), "2001:db8:0:2::/64", "the cursor is on the first new /64");
    assert_eq!(slots.iter().filter(|s| s.subnet.is_some()).count(), 5);
}
