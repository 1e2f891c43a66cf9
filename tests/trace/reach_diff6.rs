//! `diff` and the what-if compare IPv6 flows too: the IPv4 and IPv6 route tables are looked up
//! apart (R3), so a `::/0` route to the internet gateway in a private table opens flows and
//! exposes interfaces that no IPv4 cell shows. On lab 10's dual-stack design.

use vpcraft::model::{Design, SgPeer, SgRule};
use vpcraft::sim::diff::diff;
use vpcraft::sim::reach::{Family, Party, ReachOptions};

/// Lab 10's design after steps `0..=index` (1: `::/0` → the egress-only gateway; 3: the mistake,
/// `::/0` → the internet gateway).
pub fn lab10(index: usize) -> Design {
    let lab = vpcraft::labs::by_name("10").expect("lab 10");
    vpcraft::labs::run::design_after(&lab, index).expect("lab 10 steps apply")
}

/// Every subnet and the internet as sources, to every subnet and the internet, tcp/443.
fn with_internet(d: &Design, f: Family) -> Result<ReachOptions, String> {
    let mut o = ReachOptions::defaults_for(d, f);
    o.sources.push(Party::Internet);
    Ok(o)
}

#[test]
fn routing_ipv6_to_the_internet_gateway_in_the_private_table_opens_inbound_flows_and_exposes_the_instance() {
    // The subnets' hypothetical interfaces carry the VPC's default group: let it admit HTTPS
    // from anywhere over IPv6, as a web tier's group would, so the matrix shows the opening.
    let admit = |mut d: Design| {
        for g in d.security_groups.iter_mut().filter(|g| g.is_default) {
            g.ingress.push(SgRule::tcp(443, SgPeer::any_ipv6()));
        }
        d
    };
    let (old, new) = (admit(lab10(1)), admit(lab10(3)));
    let d = diff(&old, &new, with_internet).expect("diff");
    let private = new.subnets.iter().find(|s| s.name == "private").map(|s| s.id.clone()).expect("private subnet");
    let opened: Vec<_> = d.opened.iter().filter(|f| f.source == "internet" && f.destination == private).collect();
    assert_eq!(opened.len(), 1, "internet → private opens over IPv6 only: {:#?}", d.opened);
    assert_eq!(opened[0].family, Family::Ipv6);
    let before = opened[0].before.as_ref().expect("a cell before");
    assert_eq!(before.code.map(|c| c.as_str()), Some("EIGW_UNSOLICITED_INBOUND"), "{before:?}");
    assert!(opened[0].after.as_ref().is_some_and(|c| c.delivered()));
    assert!(d.opened.iter().all(|f| f.family == Family::Ipv6), "no IPv4 flow changes: {:#?}", d.opened);
    assert!(d.closed.is_empty(), "{:#?}", d.closed);
    let exposed: Vec<_> = d.exposures.iter().filter(|e| e.change == "new").collect();
    assert!(!exposed.is_empty(), "the instance is exposed over IPv6: {:#?}", d.exposures);
    assert!(exposed.iter().any(|e| e.message.contains("2001:db8")), "{:#?}", exposed);
    // The text form says which flows are IPv6.
    let text = vpcraft::sim::diff::render_text(&d, vpcraft::l10n::Lang::En);
    assert!(text.contains("internet → ") && text.contains("(IPv6)"), "{text}");
    let json = serde_json::to_value(&d).expect("json");
    assert_eq!(json["opened"][0]["family"], "ipv6");
}

#[test]
fn an_ipv6_route_where_there_was_none_opens_the_private_subnets_ipv6_internet_flow() {
    let old = lab10(0);
    let mut new = old.clone();
    let rt = new.route_tables.iter().find(|t| t.name == "rt-private").map(|t| t.id.clone()).expect("table");
    let igw = new.internet_gateways[0].id.clone();
    if let Some(t) = new.route_tables.iter_mut().find(|t| t.id == rt) {
        t.routes.push(vpcraft::model::Route::to_cidr(
            "::/0".parse::<ipnet::Ipv6Net>().expect("cidr"),
            vpcraft::model::RouteTarget::InternetGateway(igw),
        ));
    }
    let d = diff(&old, &new, |x: &Design, f| Ok(ReachOptions::defaults_for(x, f))).expect("diff");
    let private = new.subnets.iter().find(|s| s.name == "private").map(|s| s.id.clone()).expect("private subnet");
    let f = d
        .opened
        .iter()
        .find(|f| f.source == private && f.destination == "internet")
        .unwrap_or_else(|| panic!("private → internet opens over IPv6: {:#?}", d.opened));
    assert_eq!(f.family, Family::Ipv6);
    assert_eq!(f.before.as_ref().and_then(|c| c.code).map(|c| c.as_str()), Some("NO_ROUTE_TO_DESTINATION"));
    assert!(d.exposures.iter().any(|e| e.change == "new"), "{:#?}", d.exposures);
    // An IPv4-only design compares no IPv6 flow: nothing about it changes.
    let v4 = vpcraft::assets::example("endpoint-lab").expect("example");
    let same = diff(&v4, &v4, |x: &Design, f| Ok(ReachOptions::defaults_for(x, f))).expect("diff");
    assert!(same.opened.is_empty() && same.closed.is_empty() && same.notes.is_empty());
}
