//! Issue 14, terminal app: a real Amazon-provided block's addresses are longer than the
//! documentation range's (`2600:1f18:abcd:12ff::/64` is 24 columns, `2001:db8::/64` 13); the
//! planner's IPv6 table and the route pane's subnet associations show them whole, each column
//! where its header is.

use vpcraft::app::input::KeyCode;
use vpcraft::app::{App, Pane};
use vpcraft::model::ops::{Op, Ref};
use vpcraft::model::{Design, Ipv6Pool};

use crate::harness::{app_on, press, render};

/// VPC `prod` (10.20.0.0/16, 2600:1f18:abcd:1200::/56) with dual-stack `web-a` (slot 0) and
/// IPv6-only `v6-only-b` (slot 255), both on the main table.
fn real_blocks() -> App {
    let mut a = app_on(Design::new("v6", "us-east-1"));
    let ops = vec![
        Op::AddVpc {
            name: "prod".into(),
            cidr: "10.20.0.0/16".parse().expect("cidr"),
            region: None,
            dns_hostnames: true,
            dns_support: true,
            secondary_cidrs: vec![],
        },
        Op::AddVpcIpv6Block {
            vpc: Ref::name("prod"),
            cidr: Some("2600:1f18:abcd:1200::/56".parse().expect("cidr")),
            pool: Ipv6Pool::Amazon,
        },
        Op::AddSubnet {
            vpc: Ref::name("prod"),
            name: "web-a".into(),
            cidr: "10.20.0.0/24".parse().expect("cidr"),
            az: "a".into(),
            public_ip_on_launch: false,
            route_table: None,
            network_acl: None,
        },
        Op::SetSubnetIpv6 {
            subnet: Ref::name("web-a"),
            cidr: Some("2600:1f18:abcd:1200::/64".parse().expect("cidr")),
            assign_on_creation: true,
        },
        Op::AddIpv6OnlySubnet {
            vpc: Ref::name("prod"),
            name: "v6-only-b".into(),
            az: "b".into(),
            cidr: Some("2600:1f18:abcd:12ff::/64".parse().expect("cidr")),
            dns64: false,
        },
    ];
    a.apply("setup", ops).expect("setup");
    a.undo.clear();
    a
}

/// The column a header word starts at (in the header line, the first holding `line` too), and
/// the row under it holding `needle`.
fn column_of(text: &str, line: &str, header: &str, needle: &str) -> (usize, String) {
    let lines: Vec<&str> = text.lines().collect();
    let h = lines
        .iter()
        .position(|l| l.contains(line) && l.contains(header))
        .unwrap_or_else(|| panic!("no header {header}:\n{text}"));
    let col = lines[h].chars().collect::<String>().find(header).map(|b| lines[h][..b].chars().count()).unwrap_or(0);
    let row = lines[h..].iter().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no row {needle}:\n{text}"));
    (col, row.to_string())
}

#[test]
fn the_planner_ipv6_table_keeps_a_24_column_64_apart_from_the_subnet_name() {
    let mut a = real_blocks();
    a.focus = Pane::Planner;
    a.zoom = true;
    press(&mut a, KeyCode::Char('6'));
    let text = render(&a, 140, 45);
    let (col, row) = column_of(&text, "IPv6 block", "Subnet", "v6-only-b");
    // The detail's reserved addresses wrap rather than lose the last one (A7).
    assert!(text.contains("2600:1f18:abcd:1200:ffff:ffff:ffff:ffff last"), "{text}");
    assert!(row.contains("2600:1f18:abcd:12ff::/64 v6-only-b"), "{row}");
    let at = row.find("v6-only-b").map(|b| row[..b].chars().count()).unwrap_or(0);
    assert_eq!(at, col, "the name sits under its header:\n{text}");
}

#[test]
fn route_table_associations_show_an_ipv6_only_subnets_64_whole() {
    let mut a = real_blocks();
    a.focus = Pane::Routes;
    a.zoom = true;
    press(&mut a, KeyCode::Char('s'));
    let text = render(&a, 140, 45);
    let (col, row) = column_of(&text, "Subnet", "AZ", "v6-only-b");
    assert!(row.contains("2600:1f18:abcd:12ff::/64 "), "cut: {row}\n{text}");
    let at = row.find("us-east-1b").map(|b| row[..b].chars().count()).unwrap_or(0);
    assert_eq!(at, col, "the zone sits under its header:\n{text}");
}

/// The IPv4 view cannot draw an IPv6-only subnet; its header says there is one and where.
#[test]
fn the_planner_ipv4_view_says_how_many_subnets_are_ipv6_only() {
    let mut a = real_blocks();
    a.focus = Pane::Planner;
    a.zoom = true;
    let text = render(&a, 140, 45);
    assert!(
        text.contains("10.20.0.0/16 · 1 subnets · 256/65536 used · 65280 free · 1 IPv6-only (6 shows them)"),
        "{text}"
    );
}
