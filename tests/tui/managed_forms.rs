//! Managed services made in the app (issue 19): the DB subnet group, database and compute
//! forms from the add menu (grouped under "managed services"), their pickers, and a public
//! database added, checked, traced, made private, refused a dependency delete, deleted and
//! brought back by undo. Snapshots at 120×40.

use vpcraft::app::msg::{Msg, TreeMsg};
use vpcraft::app::trace_view::Spec;
use vpcraft::app::tree::NodeRef;
use vpcraft::app::{self, App, Popup};
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;
use vpcraft::sim::{trace, Endpoint, TraceRequest, Verdict};

use crate::harness::{self, add, choose, error_of, form, id_of, key, press, render, set, status, submit};
use vpcraft::app::input::KeyCode;

/// A VPC with an internet gateway, public subnets in zones a and c routed to it, a private one,
/// and `db-sg` open on 5432 to the world.
fn design() -> Design {
    let mut b = DesignBuilder::new("managed", "ap-northeast-2");
    let v = b.vpc("main", "10.0.0.0/16");
    let pub_a = b.subnet(&v, "pub-a", "10.0.1.0/24", "a");
    let pub_c = b.subnet(&v, "pub-c", "10.0.2.0/24", "c");
    b.subnet(&v, "priv-a", "10.0.11.0/24", "a");
    let igw = b.igw(&v, "igw");
    let rt = b.route_table(&v, "public-rt");
    b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    b.associate(&rt, &pub_a);
    b.associate(&rt, &pub_c);
    let sg = b.security_group(&v, "db-sg");
    b.allow_in_tcp(&sg, 5432, "0.0.0.0/0");
    b.design
}

/// The subnet group and the public database, made through their forms.
fn with_public_database() -> App {
    let mut a = harness::app_on(design());
    add(&mut a, "DB subnet group");
    set(&mut a, "name", "db-subnets");
    set(&mut a, "subnets", "pub-a, pub-c");
    submit(&mut a);
    add(&mut a, "database (RDS, Aurora, ElastiCache…)");
    set(&mut a, "name", "orders");
    choose(&mut a, "engine", "postgres");
    let g = id_of(&a, "db-subnets");
    choose(&mut a, "subnet_group", &g);
    set(&mut a, "security_groups", "db-sg");
    choose(&mut a, "publicly_accessible", "yes");
    submit(&mut a);
    a
}

fn internet_to(a: &App, to: &str, port: u16) -> Verdict {
    trace(&a.design, &TraceRequest::tcp(Endpoint::Internet, Endpoint::Resource(id_of(a, to)), port)).verdict
}

#[test]
fn the_add_menu_groups_the_managed_services_after_compute() {
    let mut a = harness::app_on(design());
    app::update(&mut a, Msg::Tree(TreeMsg::Add));
    let Some(Popup::Menu(m)) = a.popup() else { panic!("no add menu") };
    let groups: Vec<&str> = m.items.iter().filter(|i| !i.suggested).map(|i| i.group).collect();
    let first = groups.iter().position(|g| *g == "managed services").expect("a managed services group");
    assert!(groups[first..].iter().all(|g| *g == "managed services"), "the last group: {groups:?}");
    let labels: Vec<&str> = m.items[first..].iter().map(|i| i.label.as_str()).collect();
    assert!(labels.contains(&"Lambda, ECS or EKS service"), "{labels:?}");
}

#[test]
fn snapshot_the_new_database_form_with_its_pickers() {
    let mut a = harness::app_on(design());
    add(&mut a, "database (RDS, Aurora, ElastiCache…)");
    let f = form(&a);
    assert!(f.fields.iter().find(|x| x.key == "security_groups").is_some_and(|x| x.is_picker()));
    assert!(f.fields.iter().find(|x| x.key == "subnet_group").is_some_and(|x| x.is_picker()));
    // No subnet group yet: the form says what to do first (M1).
    assert!(error_of(&a, "subnet_group").is_some_and(|e| e.contains("M1")), "{:?}", error_of(&a, "subnet_group"));
    insta::assert_snapshot!(render(&a, 120, 40));
}

#[test]
fn snapshot_the_compute_form_follows_its_type() {
    let mut a = harness::app_on(design());
    add(&mut a, "Lambda, ECS or EKS service");
    assert!(form(&a).fields.iter().all(|f| f.key != "public_access"), "Lambda has no endpoint fields");
    choose(&mut a, "kind", "Eks");
    let keys: Vec<&str> = form(&a).fields.iter().map(|f| f.key).collect();
    assert!(keys.contains(&"public_access") && keys.contains(&"public_access_cidrs"), "{keys:?}");
    set(&mut a, "name", "k8s");
    set(&mut a, "subnets", "pub-a");
    set(&mut a, "public_access_cidrs", "10.0.0.0/8");
    assert!(error_of(&a, "subnets").is_some_and(|e| e.contains("M9")), "{:?}", error_of(&a, "subnets"));
    assert!(error_of(&a, "public_access_cidrs").is_some_and(|e| e.contains("M9")));
    insta::assert_snapshot!(render(&a, 120, 40));
}

#[test]
fn a_subnet_group_in_one_zone_is_refused_beside_its_field() {
    let mut a = harness::app_on(design());
    add(&mut a, "DB subnet group");
    set(&mut a, "name", "one-zone");
    set(&mut a, "subnets", "pub-a, priv-a");
    assert!(error_of(&a, "subnets").is_some_and(|e| e.contains("(M1)")), "{:?}", error_of(&a, "subnets"));
    insta::assert_snapshot!(render(&a, 120, 40));
}

#[test]
fn a_public_database_made_in_forms_is_an_error_traces_and_goes_private_on_edit() {
    let mut a = with_public_database();
    let db = a.design.databases[0].clone();
    assert_eq!((db.name.as_str(), db.port()), ("orders", 5432));
    assert!(db.publicly_accessible && db.interfaces[0].public_ip.is_some(), "{db:?}");
    assert_eq!(a.selected_node(), Some(&NodeRef::Resource { kind: ResourceKind::Database, id: db.id.clone() }));
    assert!(
        a.derived.findings.iter().any(|f| f.code == "DATABASE_PUBLIC" && f.resources[0] == db.id),
        "{:?}",
        a.derived.findings
    );
    assert_eq!(internet_to(&a, "orders", 5432), Verdict::Delivered);
    // The trace view, by its endpoint name.
    let spec = Spec { from: "internet".into(), to: db.endpoint.clone(), protocol: "tcp".into(), port: "5432".into() };
    app::trace_view::run(&mut a, spec).expect("trace by DNS name");
    // Edit: no longer publicly accessible (M2).
    assert!(a.tree.select_resource(&a.design, &db.id));
    a.focus = app::Pane::Tree;
    a.close_popup();
    press(&mut a, key(KeyCode::Char('e')));
    choose(&mut a, "publicly_accessible", "no");
    submit(&mut a);
    assert!(!a.design.databases[0].publicly_accessible);
    assert_ne!(internet_to(&a, "orders", 5432), Verdict::Delivered);
    assert!(!a.derived.findings.iter().any(|f| f.code == "DATABASE_PUBLIC"));
}

#[test]
fn deleting_what_a_database_needs_is_refused_and_undo_brings_a_deleted_one_back() {
    let mut a = with_public_database();
    let db = a.design.databases[0].id.clone();
    let before = a.design.clone();
    // The subnet holding its interface (M1, DependencyViolation).
    assert!(a.tree.select_resource(&a.design, &id_of(&a, "pub-a")));
    press(&mut a, key(KeyCode::Char('d')));
    assert!(status(&a).contains("DependencyViolation"), "{}", status(&a));
    assert_eq!(a.design, before);
    // The database itself.
    assert!(a.tree.select_resource(&a.design, &db));
    press(&mut a, key(KeyCode::Char('d')));
    assert!(a.design.database(&db).is_none(), "{}", status(&a));
    press(&mut a, key(KeyCode::Char('u')));
    assert_eq!(a.design, before);
}
