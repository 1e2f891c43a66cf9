//! The topology layout: boxes never overlap, every subnet sits inside its VPC and AZ column,
//! labels fit their boxes, the same design always gives the same layout — over random designs,
//! in pixels and in terminal cells, with and without a wrap width.

use proptest::prelude::*;
use std::collections::HashSet;
use vpcraft::diagram::text::display_width;
use vpcraft::diagram::*;
use vpcraft::model::gen::generate;
use vpcraft::model::*;

/// Random designs: generated estates, then names of any length and script, subnets moved to
/// other (or no) zones or dropped, VPCs made external, extra gateways, peerings and a transit
/// gateway attached to some VPCs.
fn design_strategy() -> impl Strategy<Value = Design> {
    let names = proptest::collection::vec("[a-z0-9-]{0,30}|\\PC{0,12}|서울-[가-힣]{0,8}", 0..16);
    let moves = proptest::collection::vec((any::<u16>(), 0u8..6), 0..24);
    (0usize..9, any::<u64>(), names, moves, any::<u16>()).prop_map(|(vpcs, seed, names, moves, flags)| {
        let mut d = generate(vpcs, seed);
        for (i, n) in names.into_iter().enumerate() {
            match i % 3 {
                0 => d.subnets.get_mut(i).map(|s| s.name = n),
                1 => d.vpcs.get_mut(i / 3).map(|v| v.name = n),
                _ => d.nat_gateways.get_mut(i / 3).map(|g| g.name = n),
            };
        }
        for (k, (pick, what)) in moves.into_iter().enumerate() {
            if d.subnets.is_empty() {
                break;
            }
            let i = pick as usize % d.subnets.len();
            match what {
                0 => d.subnets[i].az = String::new(),
                1 => d.subnets[i].az = format!("{}z", d.subnets[i].az),
                2 => {
                    d.subnets.remove(i);
                }
                3 => d.subnets[i].az = "use1-az4".into(),
                _ => {
                    let mut s = d.subnets[i].clone();
                    s.id = format!("{}-twin{k}", s.id);
                    d.subnets.push(s);
                }
            }
        }
        if flags & 1 == 1 && !d.vpcs.is_empty() {
            d.vpcs[0].external = true;
        }
        if flags & 2 == 2 {
            for (i, v) in d.vpcs.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
                d.vpn_gateways.push(VpnGateway {
                    id: format!("vgw-{i}"),
                    name: String::new(),
                    vpc: Some(v.id.clone()),
                    asn: 64512,
                });
                d.egress_only_internet_gateways.push(EgressOnlyInternetGateway {
                    id: format!("eigw-{i}"),
                    name: format!("eigw-{i}"),
                    vpc: v.id.clone(),
                });
            }
        }
        if flags & 4 == 4 && d.vpcs.len() > 2 {
            let region = d.vpcs[0].region.clone();
            d.transit_gateways.push(TransitGateway {
                id: "tgw-1".into(),
                name: "hub".into(),
                region,
                asn: 64600,
                default_association: true,
                default_propagation: true,
                default_route_table: None,
            });
            for (i, v) in d.vpcs.iter().enumerate().step_by(2) {
                d.tgw_attachments.push(TgwAttachment {
                    id: format!("tgw-attach-{i}"),
                    name: String::new(),
                    tgw: "tgw-1".into(),
                    kind: TgwAttachmentKind::Vpc { vpc: v.id.clone(), subnets: Vec::new() },
                    state: AttachmentState::Available,
                    association: None,
                    ipv6_support: false,
                    appliance_mode: false,
                });
            }
        }
        if flags & 8 == 8 && d.vpcs.len() > 3 {
            let (a, b) = (d.vpcs[1].id.clone(), d.vpcs[d.vpcs.len() - 1].id.clone());
            d.peerings.push(VpcPeering {
                id: "pcx-far".into(),
                name: "far".into(),
                requester_vpc: a,
                accepter_vpc: b,
                status: PeeringStatus::PendingAcceptance,
                allow_dns_resolution: false,
            });
        }
        d
    })
}

fn is_ancestor(s: &Scene, a: NodeId, mut n: NodeId) -> bool {
    while let Some(p) = s.nodes[n].parent {
        if p == a {
            return true;
        }
        n = p;
    }
    false
}

/// Every invariant of a layout of a scene of `d`.
fn check(d: &Design, s: &Scene, l: &Layout) -> Result<(), String> {
    let m = l.metrics;
    let inner = |r: Rect| Rect { x: r.x + m.border, y: r.y + m.border, w: r.w - 2 * m.border, h: r.h - 2 * m.border };
    for (i, n) in s.nodes.iter().enumerate() {
        let r = l.nodes[i].rect;
        if r.w <= 0 || r.h <= 0 {
            return Err(format!("{} has an empty box {r:?}", n.key));
        }
        if r.x < 0 || r.y < 0 || r.right() > l.width || r.bottom() > l.height {
            return Err(format!("{} at {r:?} is outside the {}×{} picture", n.key, l.width, l.height));
        }
        // Text fits inside the box.
        let p = &l.nodes[i];
        let text_w = p.lines.iter().map(|t| display_width(t) as i32).max().unwrap_or(0) * m.char_w;
        if p.text.x + text_w > r.right() - m.border
            || p.text.y + p.lines.len() as i32 * m.line_h > r.bottom() - m.border
        {
            return Err(format!("{}: {:?} does not fit {r:?}", n.key, p.lines));
        }
        if p.text.x < r.x + m.border || p.text.y < r.y + m.border {
            return Err(format!("{}: text starts outside {r:?}", n.key));
        }
        let Some(parent) = n.parent else { continue };
        let pr = l.nodes[parent].rect;
        match n.kind.placement() {
            Placement::Inside if n.near.is_none() => {
                if !inner(pr).contains(&r) {
                    return Err(format!("{} {r:?} is not inside {} {pr:?}", n.key, s.nodes[parent].key));
                }
            }
            Placement::Inside => {
                let near = l.nodes[n.near.unwrap()].rect;
                if !inner(pr).contains(&r) || r.y < near.bottom() {
                    return Err(format!("{} {r:?} is not under its VPC {near:?} inside its region", n.key));
                }
            }
            Placement::Border => {
                if !(r.x > pr.x && r.right() < pr.right() && r.y < pr.y && r.bottom() > pr.y) {
                    return Err(format!("{} {r:?} is not astride the top edge of {pr:?}", n.key));
                }
            }
        }
    }
    // No two boxes overlap unless one holds the other.
    for a in 0..s.nodes.len() {
        for b in a + 1..s.nodes.len() {
            let (ra, rb) = (l.nodes[a].rect, l.nodes[b].rect);
            if ra.overlaps(&rb) && !is_ancestor(s, a, b) && !is_ancestor(s, b, a) {
                return Err(format!("{} {ra:?} overlaps {} {rb:?}", s.nodes[a].key, s.nodes[b].key));
            }
        }
    }
    // Every subnet of a drawn VPC is drawn, inside its VPC and its zone's column.
    let drawn: HashSet<&str> = s.nodes.iter().filter_map(|n| n.resource.as_deref()).collect();
    for sn in &d.subnets {
        if !drawn.contains(sn.vpc.as_str()) {
            continue;
        }
        let n = s.by_key(&sn.id).ok_or(format!("subnet {} is not drawn", sn.id))?;
        let az = s.nodes[n].parent.ok_or("a subnet without a column")?;
        let vpc = s.nodes[az].parent.ok_or("a column without a VPC")?;
        let want_az = if sn.az.is_empty() { "(no zone)" } else { sn.az.as_str() };
        if s.nodes[az].kind != NodeKind::AvailabilityZone || s.nodes[az].name != want_az {
            return Err(format!("{} is in column {} instead of {want_az}", sn.id, s.nodes[az].name));
        }
        if s.nodes[vpc].resource.as_deref() != Some(sn.vpc.as_str()) {
            return Err(format!("{} is drawn in {:?}", sn.id, s.nodes[vpc].resource));
        }
        let r = l.nodes[n].rect;
        if !l.nodes[az].rect.contains(&r) || !l.nodes[vpc].rect.contains(&r) {
            return Err(format!("{} is outside its column or VPC", sn.id));
        }
    }
    // Lines start and end on their boxes' edges.
    for (i, e) in s.edges.iter().enumerate() {
        let pts = &l.edges[i];
        let on = |r: Rect, p: Point| r.x <= p.x && p.x <= r.right() && r.y <= p.y && p.y <= r.bottom();
        let (first, last) = (pts[0], pts[pts.len() - 1]);
        if !on(l.nodes[e.from].rect, first) || !on(l.nodes[e.to].rect, last) {
            return Err(format!("line {i} ({:?}) does not join its boxes: {pts:?}", e.kind));
        }
    }
    Ok(())
}

fn all_options(width: i32) -> Vec<Options> {
    let mut v = Vec::new();
    for metrics in [Metrics::PIXELS, Metrics::CELLS] {
        for detail in [Detail::Full, Detail::Names] {
            for wrap in [None, Some(width * metrics.char_w)] {
                v.push(Options { metrics, detail, wrap_width: wrap });
            }
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn layouts_of_random_designs_keep_every_invariant(d in design_strategy(), width in 20i32..260) {
        let s = Scene::build(&d, &Filter::default()).map_err(TestCaseError::fail)?;
        for o in all_options(width) {
            let l = layout(&s, &o);
            check(&d, &s, &l).map_err(|e| TestCaseError::fail(format!("{o:?}: {e}")))?;
        }
    }

    #[test]
    fn the_same_design_always_gives_the_same_picture(d in design_strategy(), width in 20i32..260) {
        let s = Scene::build(&d, &Filter::default()).unwrap();
        let again = Scene::build(&d.clone(), &Filter::default()).unwrap();
        prop_assert_eq!(&s, &again);
        for o in all_options(width) {
            prop_assert_eq!(layout(&s, &o), layout(&again, &o));
        }
        // Nothing the picture does not show moves anything: security groups, rules, ACLs.
        let mut busier = d.clone();
        busier.security_groups.reverse();
        busier.network_acls.clear();
        let s2 = Scene::build(&busier, &Filter::default()).unwrap();
        prop_assert_eq!(layout(&s, &Options::pixels()), layout(&s2, &Options::pixels()));
    }

    #[test]
    fn a_wrap_width_is_kept_unless_one_vpc_is_wider(d in design_strategy(), width in 30i32..300) {
        let s = Scene::build(&d, &Filter::default()).unwrap();
        let l = layout_to_fit(&s, Metrics::CELLS, width);
        // The widest single VPC (with its region's frame) bounds what cannot wrap.
        let widest = s
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.kind, NodeKind::Vpc | NodeKind::ExternalVpc | NodeKind::Internet | NodeKind::CustomerGateway))
            .map(|(i, _)| l.nodes[i].rect.w + 4)
            .max()
            .unwrap_or(0);
        prop_assert!(l.width <= width.max(widest), "{} wide for {width}", l.width);
        if l.detail == Detail::Names {
            let full = layout(&s, &Options { metrics: Metrics::CELLS, detail: Detail::Full, wrap_width: Some(width) });
            prop_assert!(full.width > width, "fell back to names although the full picture fits");
        }
    }
}

#[test]
fn a_vpc_has_one_column_per_zone_side_by_side_and_its_gateway_on_the_border() {
    let d = vpcraft::assets::example("custom-vpc").unwrap();
    let s = Scene::build(&d, &Filter::default()).unwrap();
    let l = layout(&s, &Options::pixels());
    check(&d, &s, &l).unwrap();
    let vpc = s.by_key("vpc-0001").unwrap();
    let cols: Vec<NodeId> =
        s.nodes[vpc].children.iter().copied().filter(|&c| s.nodes[c].kind == NodeKind::AvailabilityZone).collect();
    let names: Vec<&str> = cols.iter().map(|&c| s.nodes[c].name.as_str()).collect();
    assert_eq!(names, ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"]);
    let rects: Vec<Rect> = cols.iter().map(|&c| l.nodes[c].rect).collect();
    for w in rects.windows(2) {
        assert_eq!((w[0].y, w[0].w, w[0].h), (w[1].y, w[1].w, w[1].h), "columns line up");
        assert!(w[0].right() < w[1].x, "left to right");
    }
    let igw = s.nodes[vpc].children.iter().copied().find(|&c| s.nodes[c].kind == NodeKind::InternetGateway).unwrap();
    assert_eq!(l.nodes[igw].rect.center().y, l.nodes[vpc].rect.y, "the IGW sits on the VPC's top edge");
    let pub_a = s.by_key("subnet-0001").unwrap();
    assert_eq!(l.nodes[pub_a].lines, ["my-pub-2a", "10.39.0.0/20", "public · 1 instance"]);
}

#[test]
fn narrow_terminals_get_names_only() {
    let d = vpcraft::assets::example("custom-vpc").unwrap();
    let s = Scene::build(&d, &Filter::default()).unwrap();
    let wide = layout_to_fit(&s, Metrics::CELLS, 200);
    assert_eq!(wide.detail, Detail::Full);
    let narrow = layout_to_fit(&s, Metrics::CELLS, 80);
    assert_eq!(narrow.detail, Detail::Names);
    assert!(narrow.width <= 80, "{}", narrow.width);
    let igw = s.by_key("igw-0001").unwrap();
    assert_eq!(narrow.nodes[igw].lines, ["IGW"]);
    check(&d, &s, &narrow).unwrap();
}

#[test]
fn filters_restrict_the_picture_and_name_what_is_missing() {
    let d = crate::common::kitchen_sink();
    let all = Scene::build(&d, &Filter::default()).unwrap();
    let regions =
        |s: &Scene| s.nodes.iter().filter(|n| n.kind == NodeKind::Region).map(|n| n.name.clone()).collect::<Vec<_>>();
    assert_eq!(regions(&all), ["ap-northeast-2", "us-west-2", "ap-northeast-1"]);
    let tokyo = Scene::build(&d, &Filter { regions: vec!["ap-northeast-1".into()], vpcs: vec![] }).unwrap();
    assert_eq!(regions(&tokyo), ["ap-northeast-1"]);
    assert!(tokyo.by_key("vpc-0001").is_none());
    assert!(tokyo.notes.iter().any(|n| n.contains("outside the picture")), "{:?}", tokyo.notes);
    let hub = Scene::build(&d, &Filter { regions: vec![], vpcs: vec!["hub".into()] }).unwrap();
    let vpcs: Vec<&str> = hub.nodes.iter().filter(|n| n.kind == NodeKind::Vpc).map(|n| n.name.as_str()).collect();
    assert_eq!(vpcs, ["hub"]);
    assert!(hub.edges.iter().all(|e| e.kind != EdgeKind::Peering), "the provider is not drawn");
    let e = Scene::build(&d, &Filter { regions: vec!["eu-north-1".into()], vpcs: vec![] }).unwrap_err();
    assert!(e.contains("eu-north-1") && e.contains("ap-northeast-2"), "{e}");
    let e = Scene::build(&d, &Filter { regions: vec![], vpcs: vec!["nope".into()] }).unwrap_err();
    assert!(e.contains("nope"), "{e}");
}

#[test]
fn every_kind_of_box_and_line_of_the_kitchen_sink_is_drawn() {
    let d = crate::common::kitchen_sink();
    let s = Scene::build(&d, &Filter::default()).unwrap();
    let kinds: HashSet<&str> = s.nodes.iter().map(|n| n.kind.slug()).collect();
    for k in [
        "region",
        "vpc",
        "vpc-external",
        "az",
        "subnet-public",
        "subnet-vpn-only",
        "igw",
        "vgw",
        "nat",
        "vpce-interface",
        "vpce-gateway",
        "tgw",
        "internet",
        "aws-services",
        "cgw",
    ] {
        assert!(kinds.contains(k), "no {k} box: {kinds:?}");
    }
    let lines: HashSet<&str> = s.edges.iter().map(|e| e.kind.slug()).collect();
    for k in ["peering", "tgw-attachment", "vpn", "endpoint-route", "endpoint-service"] {
        assert!(lines.contains(k), "no {k} line: {lines:?}");
    }
    // The gateway endpoint serves the subnets whose tables have its route (G2): the private
    // subnet (explicit table) and the main table's users.
    let gwe = s.nodes.iter().position(|n| n.kind == NodeKind::GatewayEndpoint).unwrap();
    let users: Vec<&str> = s
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::EndpointRoute && e.to == gwe)
        .map(|e| s.nodes[e.from].name.as_str())
        .collect();
    assert_eq!(users, ["hub-private-a"]);
    check(&d, &s, &layout(&s, &Options::pixels())).unwrap();
}

/// A plain-text drawing of a cell layout: what a terminal pane would draw from it.
fn draw_cells(s: &Scene, l: &Layout) -> String {
    let mut grid = vec![vec![' '; l.width as usize]; l.height as usize];
    let put = |x: i32, y: i32, c: char, g: &mut Vec<Vec<char>>| {
        if let Some(cell) = g.get_mut(y as usize).and_then(|row| row.get_mut(x as usize)) {
            *cell = c;
        }
    };
    for n in s.preorder() {
        let p = &l.nodes[n];
        let r = p.rect;
        for y in r.y..r.bottom() {
            for x in r.x..r.right() {
                put(x, y, ' ', &mut grid);
            }
        }
        for x in r.x..r.right() {
            put(x, r.y, '─', &mut grid);
            put(x, r.bottom() - 1, '─', &mut grid);
        }
        for y in r.y..r.bottom() {
            put(r.x, y, '│', &mut grid);
            put(r.right() - 1, y, '│', &mut grid);
        }
        for (c, (x, y)) in ['┌', '┐', '└', '┘'].into_iter().zip([
            (r.x, r.y),
            (r.right() - 1, r.y),
            (r.x, r.bottom() - 1),
            (r.right() - 1, r.bottom() - 1),
        ]) {
            put(x, y, c, &mut grid);
        }
        for (i, line) in p.lines.iter().enumerate() {
            for (j, c) in line.chars().enumerate() {
                put(p.text.x + j as i32, p.text.y + i as i32, c, &mut grid);
            }
        }
    }
    grid.into_iter().map(|r| r.into_iter().collect::<String>().trim_end().to_string()).collect::<Vec<_>>().join("\n")
}

#[test]
fn cell_layout_of_the_endpoint_lab_at_80_columns() {
    let d = vpcraft::assets::example("endpoint-lab").unwrap();
    let s = Scene::build(&d, &Filter::default()).unwrap();
    let l = layout_to_fit(&s, Metrics::CELLS, 80);
    check(&d, &s, &l).unwrap();
    insta::assert_snapshot!(draw_cells(&s, &l));
}

#[test]
fn the_picture_code_knows_no_terminal_and_no_file_format_layer() {
    // The terminal map is to be a thin renderer of this layout: the layout must not depend on
    // it, nor on the app, nor on io (a sibling layer).
    for entry in std::fs::read_dir("src/diagram").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for banned in ["ratatui", "crossterm", "crate::app", "crate::ui", "crate::tui", "crate::io"] {
            assert!(!text.contains(banned), "{} uses {banned}", path.display());
        }
    }
}
