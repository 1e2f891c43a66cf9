//! A trace on the picture: every hop of the engine's result is placed at the box of the
//! resource it happened at (or the line it crossed), and the legs between boxes follow the
//! trace's own step numbers — for hand-made flows and for many flows of generated designs.

use vpcraft::diagram::*;
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;
use vpcraft::sim::{ComponentKind, TraceIndex, TraceRequest, TraceResult};

fn trace(d: &Design, from: &str, to: &str, port: u16) -> TraceResult {
    let req = TraceRequest::parse(d, from, to, "tcp", Some(port), None).unwrap();
    TraceIndex::new(d).trace(&req)
}

fn key(s: &Scene, n: Option<NodeId>) -> &str {
    n.map_or("-", |n| s.nodes[n].key.as_str())
}

/// What must hold of any placed trace.
fn check(d: &Design, s: &Scene, r: &TraceResult, p: &TracePath) -> Result<(), String> {
    let hops: Vec<_> = r.hops().collect();
    if p.steps.len() != hops.len() {
        return Err(format!("{} steps for {} hops", p.steps.len(), hops.len()));
    }
    for (h, at) in hops.iter().zip(&p.steps) {
        if at.step != h.step {
            return Err(format!("step {} placed as {}", h.step, at.step));
        }
        // A hop at a resource with a box of its own is at that box.
        let own = match h.component.kind {
            ComponentKind::NatGateway
            | ComponentKind::InternetGateway
            | ComponentKind::EgressOnlyInternetGateway
            | ComponentKind::TransitGateway
            | ComponentKind::VpnGateway
            | ComponentKind::Subnet
            | ComponentKind::Vpc => s.by_key(&h.component.id),
            ComponentKind::Instance | ComponentKind::NetworkInterface => s.locate(&h.component.id),
            ComponentKind::Internet => s.by_key("internet"),
            _ => None,
        };
        if own.is_some() && h.component.kind != ComponentKind::Instance && at.at != own {
            return Err(format!("step {} at {} is placed at {}", h.step, h.component.id, key(s, at.at)));
        }
        if h.component.kind == ComponentKind::Instance {
            // An instance is at the subnet of the interface holding the packet's address.
            let Some(n) = at.at else { return Err(format!("step {} at an instance is not placed", h.step)) };
            let subnet = s.nodes[n].resource.clone().unwrap_or_default();
            let ok = d.instance_interfaces(&h.component.id).iter().any(|e| e.subnet == subnet);
            if !ok {
                return Err(format!("instance {} placed in {subnet}", h.component.id));
            }
        }
        if at.dropped != (r.stop_hop().map(|x| x.step) == Some(h.step)) {
            return Err(format!("step {} drop mark", h.step));
        }
    }
    for (i, leg) in p.legs.iter().enumerate() {
        if leg.from == leg.to {
            return Err(format!("leg {i} goes nowhere"));
        }
        if let Some(next) = p.legs.get(i + 1) {
            if next.from != leg.to || next.step <= leg.step {
                return Err(format!("legs {i} and {} do not chain", i + 1));
            }
        }
        let arrive = p.steps.iter().find(|x| x.step == leg.step).ok_or("a leg's step is not a hop")?;
        if arrive.at != Some(leg.to) {
            return Err(format!("leg {i}'s step {} is not at its end", leg.step));
        }
    }
    Ok(())
}

#[test]
fn a_flow_between_two_subnets_goes_there_and_back() {
    let d = vpcraft::assets::example("endpoint-lab").unwrap();
    let s = Scene::build(&d, &Filter::default()).unwrap();
    let r = trace(&d, "jhPublicEC2", "jhPrivateEC2", 22);
    let p = place_trace(&s, &d, &r);
    check(&d, &s, &r, &p).unwrap();
    let (public, private) = (s.by_key("subnet-0001").unwrap(), s.by_key("subnet-0002").unwrap());
    let legs: Vec<(NodeId, NodeId, u32, bool)> = p.legs.iter().map(|l| (l.from, l.to, l.step, l.reply)).collect();
    // ⑤ is the private subnet's ACL letting the packet in; ⑪ the public one's letting the reply in.
    assert_eq!(legs, [(public, private, 5, false), (private, public, 11, true)]);
    assert_eq!(p.steps_at(public), [1, 2, 3, 4, 11, 12]);
    assert_eq!(p.steps_at(private), [5, 6, 7, 8, 9, 10]);
}

/// A private instance behind a NAT gateway, the NAT lab's last step.
fn nat_design() -> Design {
    let mut b = DesignBuilder::new("nat", "ap-northeast-2");
    let v = b.vpc("nat-vpc", "10.40.0.0/16");
    let public = b.subnet(&v, "public", "10.40.1.0/24", "a");
    let private = b.subnet(&v, "private", "10.40.2.0/24", "a");
    let igw = b.igw(&v, "nat-igw");
    let rt_pub = b.route_table(&v, "rt-public");
    b.associate(&rt_pub, &public);
    b.route(&rt_pub, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    let nat = b.nat_gateway(&public, "nat-gw", "10.40.1.20", "50.1.1.4");
    let rt_priv = b.route_table(&v, "rt-private");
    b.associate(&rt_priv, &private);
    b.route(&rt_priv, "0.0.0.0/0", RouteTarget::NatGateway(nat));
    b.instance(&private, "app", "10.40.2.101", &[]);
    b.build()
}

#[test]
fn a_flow_through_a_nat_gateway_visits_it_the_gateway_and_the_internet() {
    let d = nat_design();
    let s = Scene::build(&d, &Filter::default()).unwrap();
    let r = trace(&d, "app", "60.1.1.1", 80);
    assert!(r.delivered(), "{}", vpcraft::sim::render_text(&r));
    let p = place_trace(&s, &d, &r);
    check(&d, &s, &r, &p).unwrap();
    let ends: Vec<&str> = p.legs.iter().filter(|l| !l.reply).map(|l| key(&s, Some(l.to))).collect();
    let nat = d.nat_gateways[0].id.as_str();
    let igw = d.internet_gateways[0].id.as_str();
    // The public subnet's ACL checks happen at the NAT gateway in it: no detour to the subnet.
    assert_eq!(ends, [nat, igw, "internet"]);
    let back: Vec<&str> = p.legs.iter().filter(|l| l.reply).map(|l| key(&s, Some(l.to))).collect();
    assert_eq!(back, [igw, nat, d.subnets[1].id.as_str()]);
}

#[test]
fn a_flow_across_a_peering_crosses_its_line() {
    let mut b = DesignBuilder::new("peered", "ap-northeast-2");
    let (a, c) = (b.vpc("a", "10.1.0.0/16"), b.vpc("c", "10.2.0.0/16"));
    let (sa, sc) = (b.subnet(&a, "a-1", "10.1.0.0/24", "a"), b.subnet(&c, "c-1", "10.2.0.0/24", "c"));
    let pcx = b.peering("a-c", &a, &c, PeeringStatus::Active);
    let (ma, mc) = (b.main_route_table(&a), b.main_route_table(&c));
    b.route(&ma, "10.2.0.0/16", RouteTarget::VpcPeering(pcx.clone()));
    b.route(&mc, "10.1.0.0/16", RouteTarget::VpcPeering(pcx.clone()));
    let sg = b.security_group(&c, "web");
    b.allow_in_tcp(&sg, 443, "10.1.0.0/16");
    b.instance(&sa, "client", "10.1.0.10", &[]);
    b.instance(&sc, "server", "10.2.0.10", &[&sg]);
    let d = b.build();
    let s = Scene::build(&d, &Filter::default()).unwrap();
    let r = trace(&d, "client", "server", 443);
    assert!(r.delivered(), "{}", vpcraft::sim::render_text(&r));
    let p = place_trace(&s, &d, &r);
    check(&d, &s, &r, &p).unwrap();
    let line = s.edge_of_resource(&pcx).unwrap();
    assert!(p.steps.iter().any(|x| x.via == Some(line)), "the peering hop crosses the peering's line");
    let over = p.legs.iter().find(|l| !l.reply).unwrap();
    assert_eq!((over.from, over.to, over.via), (s.by_key(&sa).unwrap(), s.by_key(&sc).unwrap(), Some(line)));
}

#[test]
fn a_drop_is_marked_where_it_happened() {
    let d = vpcraft::assets::example("endpoint-lab").unwrap();
    let s = Scene::build(&d, &Filter::default()).unwrap();
    let r = trace(&d, "jhPrivateEC2", "s3.ap-northeast-2.amazonaws.com", 443);
    assert!(!r.delivered());
    let p = place_trace(&s, &d, &r);
    check(&d, &s, &r, &p).unwrap();
    let drop = p.steps.iter().find(|x| x.dropped).unwrap();
    assert_eq!(drop.step, r.stop_hop().unwrap().step);
    assert_eq!(drop.at, s.by_key("subnet-0002"), "no route out of the private subnet");
}

#[test]
fn hops_outside_a_restricted_picture_are_listed_not_drawn() {
    // A flow across a peering of a generated estate, drawn with only its source VPC.
    let d = vpcraft::model::gen::generate(6, 3);
    let ix = TraceIndex::new(&d);
    let (r, src_vpc) = d
        .instances
        .iter()
        .flat_map(|a| d.instances.iter().map(move |b| (a, b)))
        .find_map(|(a, b)| {
            let r = ix.trace(&TraceRequest::parse(&d, &a.id, &b.id, "tcp", Some(443), None).ok()?);
            let vpcs: std::collections::HashSet<&str> = r
                .hops()
                .filter(|h| h.component.kind == ComponentKind::Subnet || h.component.kind == ComponentKind::Instance)
                .filter_map(|h| d.vpc_of(&h.component.id).map(|v| v.id.as_str()))
                .collect();
            (vpcs.len() > 1).then(|| (r.clone(), d.vpc_of(&a.id).unwrap().id.clone()))
        })
        .expect("a flow between two VPCs");
    let only = Filter { regions: vec![], vpcs: vec![src_vpc] };
    let all = Scene::build(&d, &Filter::default()).unwrap();
    let part = Scene::build(&d, &only).unwrap();
    let (p_all, p_part) = (place_trace(&all, &d, &r), place_trace(&part, &d, &r));
    check(&d, &all, &r, &p_all).unwrap();
    assert_eq!(p_all.unplaced().count(), 0, "{:?}", p_all.steps);
    assert!(p_part.unplaced().count() > 0, "the far VPC's hops are outside the picture: {:?}", p_part.steps);
    let pic = render(&d, DiagramFormat::Svg, &only, Some(&r)).unwrap();
    assert!(pic.notes.iter().any(|n| n.contains("outside the picture")), "{:?}", pic.notes);
}

#[test]
fn every_flow_between_instances_of_a_generated_design_places_cleanly() {
    let d = vpcraft::model::gen::generate(6, 3);
    let s = Scene::build(&d, &Filter::default()).unwrap();
    let ix = TraceIndex::new(&d);
    let names: Vec<String> = d.instances.iter().map(|i| i.id.clone()).collect();
    let mut flows = 0;
    for from in &names {
        for to in names.iter().take(8).map(String::as_str).chain(["8.8.8.8", "s3.ap-northeast-2.amazonaws.com"]) {
            let Ok(req) = TraceRequest::parse(&d, from, to, "tcp", Some(443), None) else { continue };
            let r = ix.trace(&req);
            let p = place_trace(&s, &d, &r);
            check(&d, &s, &r, &p).unwrap_or_else(|e| panic!("{from} → {to}: {e}\n{}", vpcraft::sim::render_text(&r)));
            flows += 1;
        }
    }
    assert!(flows > 50, "{flows} flows");
}
