use super::snapshot::{Snapshot, Touch};
use super::*;
use crate::rules::Rule;

fn net(s: &str) -> Ipv4Net {
    s.parse().expect("cidr")
}

fn n(s: &str) -> Ref {
    Ref::name(s)
}

fn vpc(name: &str, cidr: &str) -> Op {
    Op::AddVpc {
        name: name.into(),
        cidr: net(cidr),
        region: None,
        dns_hostnames: false,
        dns_support: true,
        secondary_cidrs: vec![],
    }
}

fn subnet(vpc: &str, name: &str, cidr: &str) -> Op {
    Op::AddSubnet {
        vpc: n(vpc),
        name: name.into(),
        cidr: net(cidr),
        az: "a".into(),
        public_ip_on_launch: false,
        route_table: None,
        network_acl: None,
    }
}

#[test]
fn six_step_custom_vpc_through_ops() {
    let mut d = Design::new("t", "ap-northeast-2");
    let ops = vec![
        vpc("my-vpc", "10.39.0.0/16"),
        subnet("my-vpc", "my-pub-2a", "10.39.0.0/20"),
        Op::AddInternetGateway { name: "my-igw".into(), vpc: Some(n("my-vpc")) },
        Op::AddRouteTable {
            vpc: n("my-vpc"),
            name: "my-pub-rt".into(),
            subnets: vec![n("my-pub-2a")],
            main: false,
            gateways: vec![],
            propagating_vgws: vec![],
        },
        Op::AddRoute {
            table: n("my-pub-rt"),
            destination: RouteDestination::Cidr(net("0.0.0.0/0").into()),
            target: n("my-igw"),
        },
    ];
    for op in &ops {
        d.apply(op).unwrap();
    }
    assert_eq!(d.subnet_route_table(&d.subnets[0].id).unwrap().name, "my-pub-rt");
    let errs = d.check(&subnet("my-vpc", "x", "10.39.8.0/24"));
    assert_eq!(errs.len(), 1);
    assert_eq!((errs[0].field, errs[0].rule), ("cidr", Some(Rule::A5)));
    assert!(errs[0].message.contains("overlaps subnet my-pub-2a"), "{}", errs[0]);
    let err = d
        .apply(&Op::DeleteRoute {
            table: n("my-pub-rt"),
            destination: RouteDestination::Cidr(net("10.39.0.0/16").into()),
        })
        .unwrap_err();
    assert_eq!(err.rule, Some(Rule::R2));
}

#[test]
fn a_check_reports_every_problem_with_its_field_and_rule() {
    let mut d = Design::new("t", "ap-northeast-2");
    d.apply(&vpc("v", "10.0.0.0/16")).unwrap();
    d.apply(&subnet("v", "s", "10.0.0.0/24")).unwrap();
    let errs = d.check(&Op::AddSubnet {
        vpc: n("v"),
        name: "s".into(),
        cidr: net("10.9.0.0/29"),
        az: "zz-nowhere-1q".into(),
        public_ip_on_launch: false,
        route_table: None,
        network_acl: None,
    });
    let fields: Vec<(&str, Option<Rule>)> = errs.iter().map(|e| (e.field, e.rule)).collect();
    assert_eq!(fields, vec![("name", None), ("cidr", Some(Rule::A5)), ("az", Some(Rule::A5))], "{errs:?}");
    // A dry run changes nothing.
    let before = d.clone();
    let _ = d.check(&subnet("v", "t", "10.0.1.0/24"));
    assert_eq!(d, before);
}

#[test]
fn peering_status_drives_route_state() {
    let mut d = Design::new("t", "ap-northeast-2");
    d.apply(&vpc("a", "10.0.0.0/16")).unwrap();
    d.apply(&Op::AddVpc {
        name: "b".into(),
        cidr: net("172.31.0.0/16"),
        region: Some("ap-northeast-1".into()),
        dns_hostnames: false,
        dns_support: true,
        secondary_cidrs: vec![],
    })
    .unwrap();
    d.apply(&Op::AddPeering {
        name: "pcx".into(),
        requester: n("a"),
        accepter: n("b"),
        status: PeeringStatus::PendingAcceptance,
        allow_dns_resolution: false,
    })
    .unwrap();
    let main_a = Ref::id(d.route_tables[0].id.clone());
    d.apply(&Op::AddRoute {
        table: main_a,
        destination: RouteDestination::Cidr(net("172.31.0.0/16").into()),
        target: n("pcx"),
    })
    .unwrap();
    assert_eq!(d.route_tables[0].routes[1].state, RouteState::Blackhole);
    d.apply(&Op::SetPeeringStatus { peering: n("pcx"), status: PeeringStatus::Active }).unwrap();
    assert_eq!(d.route_tables[0].routes[1].state, RouteState::Active);
}

#[test]
fn overlapping_peering_is_refused_and_fails_at_once_for_trusted_code_p2() {
    let mut d = Design::new("t", "ap-northeast-2");
    d.apply(&vpc("a", "10.0.0.0/16")).unwrap();
    d.apply(&vpc("b", "10.0.128.0/17")).unwrap();
    let op = Op::AddPeering {
        name: "p".into(),
        requester: n("a"),
        accepter: n("b"),
        status: PeeringStatus::PendingAcceptance,
        allow_dns_resolution: false,
    };
    assert_eq!(d.apply(&op).unwrap_err().rule, Some(Rule::P2));
    d.apply_trusted(&op).unwrap();
    assert_eq!(d.peerings[0].status, PeeringStatus::Failed);
    assert!(d.apply(&Op::SetPeeringStatus { peering: n("p"), status: PeeringStatus::Active }).is_err());
}

#[test]
fn a_reference_to_nothing_is_refused_even_for_trusted_code() {
    let mut d = Design::new("t", "ap-northeast-2");
    let e = d.apply_trusted(&subnet("nope", "s", "10.0.0.0/24")).unwrap_err();
    assert_eq!((e.field, &e.kind), ("vpc", &OpErrorKind::NotFound));
    assert!(d.subnets.is_empty());
}

#[test]
fn a_snapshot_of_the_touched_collections_undoes_an_op_exactly() {
    let mut d = Design::new("t", "ap-northeast-2");
    d.apply(&vpc("v", "10.0.0.0/16")).unwrap();
    let before = d.clone();
    let p = d.prepare(&subnet("v", "s", "10.0.0.0/24")).unwrap();
    let snap = Snapshot::take(&d, p.touches());
    let applied = p.commit(&mut d);
    assert_eq!(applied.created.as_deref(), Some("subnet-0001"));
    assert_ne!(d, before);
    let redo = snap.restore(&mut d);
    assert_eq!(d, before);
    redo.restore(&mut d);
    assert_eq!(d.subnets.len(), 1);
}

fn rename(id: &str, name: &str) -> Op {
    Op::UpdateSubnet {
        subnet: Ref::id(id),
        name: Some(name.into()),
        cidr: None,
        public_ip_on_launch: None,
        route_table: None,
    }
}

#[test]
fn renaming_a_subnet_keeps_that_subnet_alone_for_undo_and_undoes_exactly() {
    let mut d = crate::model::gen::generate(3, 1);
    let before = d.clone();
    let id = d.subnets[4].id.clone();
    let p = d.prepare(&rename(&id, "renamed")).unwrap();
    assert_eq!(p.touches(), &[Touch::Rows(ResourceKind::Subnet, vec![id.clone()])]);
    let snap = Snapshot::take(&d, p.touches());
    assert!(!snap.covers(ResourceKind::Subnet), "one subnet kept, not the list");
    p.commit(&mut d);
    let after = d.clone();
    let redo = snap.restore(&mut d);
    assert_eq!(d, before);
    redo.restore(&mut d);
    assert_eq!(d, after);
}

#[test]
fn editing_an_instance_keeps_it_and_its_primary_interface_alone_for_undo() {
    let mut d = crate::model::gen::generate(2, 1);
    let before = d.clone();
    let id = d.instances[3].id.clone();
    let eni = d.instance_interfaces(&id).first().map(|e| e.id.clone()).expect("an interface");
    let op = Op::UpdateInstance {
        instance: Ref::id(id.clone()),
        name: Some("renamed".into()),
        instance_type: None,
        state: None,
        role: None,
        private_ip: None,
        public_ip: None,
        groups: None,
        source_dest_check: Some(false),
    };
    let p = d.prepare(&op).unwrap();
    let want = [Touch::Rows(ResourceKind::Instance, vec![id]), Touch::Rows(ResourceKind::NetworkInterface, vec![eni])];
    assert_eq!(p.touches(), &want);
    let snap = Snapshot::take(&d, p.touches());
    p.commit(&mut d);
    let after = d.clone();
    let redo = snap.restore(&mut d);
    assert_eq!(d, before);
    redo.restore(&mut d);
    assert_eq!(d, after);
}

#[test]
fn parts_kept_by_several_ops_go_back_last_first_and_come_again_first_first() {
    // One step of several ops whose parts overlap: a subnet renamed (its row), a subnet added
    // with a route table (the end of the list, the table's row), the first subnet renamed
    // again, an instance deleted (whole lists), the new subnet renamed. Undo gives the start
    // back, redo the end, and again.
    let mut d = crate::model::gen::generate(2, 5);
    let start = d.clone();
    let (s0, i0) = (d.subnets[0].id.clone(), d.instances[0].id.clone());
    let table = d.route_tables.iter().find(|t| t.vpc == d.vpcs[0].id).map(|t| t.id.clone()).unwrap();
    let added = Op::AddSubnet {
        vpc: Ref::id(d.vpcs[0].id.clone()),
        name: "added".into(),
        cidr: net("10.0.5.0/24"),
        az: d.subnets[0].az.clone(),
        public_ip_on_launch: false,
        route_table: Some(Ref::id(table)),
        network_acl: None,
    };
    let mut snap = Snapshot::default();
    let mut new_id = None;
    for k in 0..5 {
        let op = match k {
            0 => rename(&s0, "first"),
            1 => added.clone(),
            2 => rename(&s0, "second"),
            3 => Op::Delete { resource: Ref::id(i0.clone()), cascade: true },
            _ => rename(new_id.as_deref().unwrap(), "added-renamed"),
        };
        let p = d.prepare(&op).unwrap_or_else(|e| panic!("{op:?}: {e:?}"));
        if k == 1 {
            assert!(p.touches().iter().any(|t| matches!(t, Touch::Appends(ResourceKind::Subnet))), "{:?}", p.touches());
        }
        snap.add(&d, p.touches());
        let applied = p.commit(&mut d);
        if k == 1 {
            new_id = applied.created;
        }
    }
    let end = d.clone();
    assert_ne!(end, start);
    let redo = snap.restore(&mut d);
    assert_eq!(d, start, "undo");
    let undo = redo.restore(&mut d);
    assert_eq!(d, end, "redo");
    undo.restore(&mut d);
    assert_eq!(d, start, "undo again");
}

#[test]
fn route_targets_follow_the_owning_resources_rules() {
    let mut d = Design::new("t", "ap-northeast-2");
    d.apply(&vpc("a", "10.0.0.0/16")).unwrap();
    d.apply(&vpc("b", "10.1.0.0/16")).unwrap();
    d.apply(&Op::AddInternetGateway { name: "igw-b".into(), vpc: Some(n("b")) }).unwrap();
    d.apply(&Op::AddSecurityGroup { vpc: n("a"), name: "web".into(), description: String::new() }).unwrap();
    let table = Ref::id(d.route_tables[0].id.clone());
    let add = |t: &str, dest: &str| Op::AddRoute {
        table: table.clone(),
        destination: RouteDestination::Cidr(net(dest).into()),
        target: n(t),
    };
    assert_eq!(d.check(&add("igw-b", "0.0.0.0/0"))[0].rule, Some(Rule::I1));
    let e = &d.check(&add("web", "0.0.0.0/0"))[0];
    assert_eq!((e.field, e.rule), ("target", Some(Rule::R5)));
    assert!(e.message.ends_with("is a security group: it cannot be a route target (R5)"), "{e}");
    assert_eq!(d.check(&add("igw-b", "169.254.169.0/24"))[1].rule, Some(Rule::R7));
}

#[test]
fn a_secondary_cidr_may_not_cover_a_route_destination() {
    // A2 (UG:vpc-cidr-blocks): a CIDR equal to or larger than a route's destination in one of the
    // VPC's tables cannot be associated; a smaller one beside it can. Found by the random-ops test.
    let mut d = Design::new("t", "ap-northeast-2");
    d.apply(&vpc("v", "10.0.0.0/16")).unwrap();
    d.apply(&Op::AddVpnGateway { name: "vgw".into(), vpc: Some(n("v")), asn: None }).unwrap();
    let main = d.route_tables[0].name.clone();
    d.apply(&Op::AddRoute {
        table: n(&main),
        destination: RouteDestination::Cidr(net("10.40.90.0/23").into()),
        target: n("vgw"),
    })
    .unwrap();
    let update = |cidrs: &[&str]| Op::UpdateVpc {
        vpc: n("v"),
        name: None,
        secondary_cidrs: Some(cidrs.iter().map(|c| net(c)).collect()),
        dns_support: None,
        dns_hostnames: None,
    };
    for covering in ["10.40.90.0/23", "10.40.0.0/16"] {
        let e = d.apply(&update(&[covering])).unwrap_err();
        assert_eq!(e.rule, Some(Rule::A2), "{covering}: {}", e.message);
        assert!(e.message.contains("10.40.90.0/23"), "{}", e.message);
    }
    d.apply(&update(&["10.40.90.0/24"])).unwrap();
}

/// A refusal keeps its template: English is what the code wrote, Korean says the same with the
/// same values, and interface words (a kind) are said in Korean too.
#[test]
fn refusals_render_in_korean_with_their_values() {
    use crate::l10n::Lang;
    let mut d = Design::new("t", "ap-northeast-2");
    d.apply(&vpc("my-vpc", "10.0.0.0/16")).unwrap();
    let e = d.apply(&subnet("my-vpc", "web", "192.168.0.0/24")).unwrap_err();
    assert_eq!(e.message_in(Lang::En), "192.168.0.0/24 is not inside my-vpc (10.0.0.0/16) (A5)");
    assert_eq!(e.to_string(), e.message_in(Lang::En));
    assert_eq!(e.message_in(Lang::Ko), "192.168.0.0/24은(는) my-vpc (10.0.0.0/16) 안에 있지 않습니다 (A5)");
    let e = d
        .apply(&Op::AddRoute {
            table: n("my-vpc-main"),
            destination: RouteDestination::Cidr(net("0.0.0.0/0").into()),
            target: n("igw"),
        })
        .unwrap_err();
    assert!(e.message_in(Lang::En).starts_with("'igw' is not a "), "{e}");
    let ko = e.message_in(Lang::Ko);
    assert!(ko.starts_with("'igw'은(는) 이 설계의 ") && ko.contains("인터넷 게이트웨이"), "{ko}");
    // A CIDR the parser refuses, through the net layer's own message.
    let e = d.apply(&subnet("my-vpc", "big", "10.0.0.0/8")).unwrap_err();
    assert!(!e.message_in(Lang::Ko).is_empty() && e.message_in(Lang::Ko) != e.message_in(Lang::En), "{e}");
}

/// Apply `op` to `d` keeping what its touches say, check that undo gives `d` back and redo the
/// result exactly, and leave `d` changed; returns the touches and what it did.
fn undo_redo_exactly(d: &mut Design, op: &Op) -> (Vec<Touch>, Applied) {
    let before = d.clone();
    let p = d.prepare(op).unwrap_or_else(|e| panic!("{op:?}: {e:?}"));
    let touches = p.touches().to_vec();
    let snap = Snapshot::take(d, &touches);
    for k in RK::ALL {
        assert!(!snap.covers(k), "{op:?} keeps every {k:?}: {touches:?}");
    }
    let applied = p.commit(d);
    let after = d.clone();
    assert_ne!(after, before, "{op:?} changed nothing");
    let redo = snap.restore(d);
    assert_eq!(*d, before, "undo of {op:?}");
    let undo = redo.restore(d);
    assert_eq!(*d, after, "redo of {op:?}");
    undo.restore(d);
    assert_eq!(*d, before, "undo again of {op:?}");
    *d = after;
    (touches, applied)
}

use ResourceKind as RK;

#[test]
fn a_route_table_added_main_with_a_subnet_keeps_the_rows_it_changes_and_the_end_of_the_list() {
    // Rows and an addition in one collection: the subnet leaves its table, the VPC's main table
    // stops being main, the new table goes at the end.
    let mut d = crate::model::gen::generate(3, 1);
    let vpc = d.vpcs[1].id.clone();
    let subnet = d.subnets.iter().find(|s| s.vpc == vpc).map(|s| s.id.clone()).expect("a subnet");
    let leaving = d.route_tables.iter().find(|t| t.subnets.contains(&subnet)).map(|t| t.id.clone());
    let main = d.route_tables.iter().find(|t| t.main && t.vpc == vpc).map(|t| t.id.clone()).expect("main");
    let op = Op::AddRouteTable {
        vpc: Ref::id(vpc.clone()),
        name: "new-main".into(),
        subnets: vec![Ref::id(subnet.clone())],
        main: true,
        gateways: vec![],
        propagating_vgws: vec![],
    };
    let (touches, applied) = undo_redo_exactly(&mut d, &op);
    let rows: Vec<Id> = leaving.into_iter().chain([main]).collect();
    assert_eq!(touches, vec![Touch::Rows(RK::RouteTable, rows), Touch::Appends(RK::RouteTable)]);
    let new = d.route_table(applied.created.as_deref().unwrap()).expect("added");
    assert!(new.main && new.subnets == vec![subnet]);
}

#[test]
fn moving_a_subnet_between_network_acls_keeps_both_acls_alone() {
    let mut d = crate::model::gen::generate(2, 1);
    let vpc = d.vpcs[0].id.clone();
    let subnet = d.subnets.iter().find(|s| s.vpc == vpc).map(|s| s.id.clone()).expect("a subnet");
    let add =
        |name: &str, subnets: Vec<Ref>| Op::AddNetworkAcl { vpc: Ref::id(vpc.clone()), name: name.into(), subnets };
    let (_, applied) = undo_redo_exactly(&mut d, &add("first", vec![Ref::id(subnet.clone())]));
    let from = applied.created.expect("an ACL");
    assert!(d.network_acl(&from).is_some_and(|a| a.subnets.contains(&subnet)));
    // A second ACL taking the subnet: the first one's row, and the end of the list.
    let (touches, applied) = undo_redo_exactly(&mut d, &add("second", vec![Ref::id(subnet.clone())]));
    assert_eq!(touches, vec![Touch::Rows(RK::NetworkAcl, vec![from.clone()]), Touch::Appends(RK::NetworkAcl)]);
    let acl = applied.created.expect("an ACL");
    // And back: both rows.
    let op = Op::AssociateNetworkAcl { acl: Ref::id(from.clone()), subnet: Ref::id(subnet.clone()) };
    let (touches, _) = undo_redo_exactly(&mut d, &op);
    assert_eq!(touches, vec![Touch::Rows(RK::NetworkAcl, vec![acl.clone(), from])]);
    let entry = NaclEntry {
        rule_number: 100,
        egress: false,
        action: RuleAction::Allow,
        protocol: Protocol::Tcp,
        ports: PortSpec::port(443),
        cidr: net("0.0.0.0/0").into(),
    };
    let (touches, _) = undo_redo_exactly(&mut d, &Op::AddNaclEntry { acl: Ref::id(acl.clone()), entry });
    assert_eq!(touches, vec![Touch::Rows(RK::NetworkAcl, vec![acl.clone()])]);
    let (touches, _) = undo_redo_exactly(&mut d, &Op::DeleteNaclEntry { acl: Ref::id(acl.clone()), index: 0 });
    assert_eq!(touches, vec![Touch::Rows(RK::NetworkAcl, vec![acl])]);
}

#[test]
fn a_cascading_delete_keeps_what_it_removes_and_the_rows_that_lose_a_link() {
    // An instance goes with its interfaces; a VPC with everything in it, and the peerings' and
    // other tables' links to it. Each undoes exactly, keeping no whole list.
    let mut d = crate::model::gen::generate(4, 3);
    let instance = d.instances[2].id.clone();
    let enis: Vec<Id> = d.instance_interfaces(&instance).iter().map(|e| e.id.clone()).collect();
    let op = Op::Delete { resource: Ref::id(instance.clone()), cascade: true };
    let (touches, _) = undo_redo_exactly(&mut d, &op);
    assert!(touches.contains(&Touch::Removes(RK::Instance, vec![instance])), "{touches:?}");
    assert!(touches.contains(&Touch::Removes(RK::NetworkInterface, enis)), "{touches:?}");
    let vpc = d.vpcs[1].id.clone();
    let (touches, applied) = undo_redo_exactly(&mut d, &Op::Delete { resource: Ref::id(vpc.clone()), cascade: true });
    assert!(touches.iter().any(|t| matches!(t, Touch::Removes(RK::Subnet, ids) if !ids.is_empty())), "{touches:?}");
    assert!(d.vpc(&vpc).is_none() && applied.touched.contains(&vpc));
    // Per collection, rows are listed before removals.
    for k in RK::ALL {
        let of: Vec<&Touch> = touches.iter().filter(|t| t.kind() == k).collect();
        assert!(of.len() < 2 || matches!(of[0], Touch::Rows(..)), "{of:?}");
    }
}

#[test]
fn removals_and_row_edits_of_one_list_by_several_ops_undo_and_redo_exactly() {
    // A subnet deleted (the list shrinks), one after it renamed (its position moved), another
    // added (the end), the first remaining one deleted: back and forth, exactly.
    let mut d = crate::model::gen::generate(3, 1);
    let start = d.clone();
    let empty = |d: &Design, nth: usize| {
        d.subnets.iter().filter(|s| d.subnet_instances(&s.id).is_empty()).nth(nth).map(|s| s.id.clone()).expect("one")
    };
    let first = empty(&d, 1);
    let later = d.subnets.last().map(|s| s.id.clone()).expect("a subnet");
    let vpc = d.vpcs[0].id.clone();
    let add = (0..256u32)
        .map(|i| subnet_in(&vpc, "added", &format!("{}/28", std::net::Ipv4Addr::from(0x0a00_0000 + i * 16))))
        .find(|op| d.check(op).is_empty())
        .expect("a free block");
    let mut snap = Snapshot::default();
    let ops = [
        Op::Delete { resource: Ref::id(first), cascade: true },
        rename(&later, "moved-up"),
        add,
        Op::Delete { resource: Ref::id(empty(&d, 0)), cascade: true },
    ];
    for op in ops {
        let p = d.prepare(&op).unwrap_or_else(|e| panic!("{op:?}: {e:?}"));
        snap.add(&d, p.touches());
        p.commit(&mut d);
    }
    assert!(!snap.covers(RK::Subnet));
    let end = d.clone();
    let redo = snap.restore(&mut d);
    assert_eq!(d, start, "undo");
    let undo = redo.restore(&mut d);
    assert_eq!(d, end, "redo");
    undo.restore(&mut d);
    assert_eq!(d, start, "undo again");
}

fn subnet_in(vpc: &str, name: &str, cidr: &str) -> Op {
    Op::AddSubnet {
        vpc: Ref::id(vpc),
        name: name.into(),
        cidr: net(cidr),
        az: "a".into(),
        public_ip_on_launch: false,
        route_table: None,
        network_acl: None,
    }
}
