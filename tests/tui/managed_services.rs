//! Managed services in the app (issue 19). The tree shows a VPC's databases, subnet groups and
//! compute services in their own group, with what decides their reachability, and their details;
//! edit and delete act on them as on any resource (`managed_forms` tests the forms). The trace view: a load
//! balancer's box forwards to its target, a database's and a function's boxes carry their own
//! labels, and the security group checks in front of a database or a function are badges of its
//! box (ingress), not of the box before it. Snapshots at 120×40.

use std::time::{Duration, Instant};
use vpcraft::app::trace_view::{Spec, TraceMsg};
use vpcraft::app::{self, App, Msg, Pane};
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;
use vpcraft::sim::ComponentKind;

use crate::harness::{self, press, status};
use vpcraft::app::input::KeyCode;
use vpcraft::app::tree::NodeRef;

/// A public ALB (80 → 8080) in front of `web`, an RDS database `orders` that lets `web` in on
/// 5432, and a Lambda function `thumbnailer` in the private subnet with no way out.
fn design() -> Design {
    let mut b = DesignBuilder::new("services", "ap-northeast-2");
    let v = b.vpc("A", "10.0.0.0/16");
    let public = b.subnet(&v, "public", "10.0.0.0/24", "a");
    let public_c = b.subnet(&v, "public-c", "10.0.2.0/24", "c");
    let private = b.subnet(&v, "private", "10.0.1.0/24", "a");
    let igw = b.igw(&v, "igw");
    let rt = b.route_table(&v, "RT-pub");
    b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    b.associate(&rt, &public);
    b.associate(&rt, &public_c);
    let alb_sg = b.security_group(&v, "alb-sg");
    b.allow_in_tcp(&alb_sg, 80, "0.0.0.0/0");
    let web_sg = b.security_group(&v, "web-sg");
    b.allow_in(&web_sg, SgRule::tcp(8080, SgPeer::group(alb_sg.clone())));
    let db_sg = b.security_group(&v, "db-sg");
    b.allow_in(&db_sg, SgRule::tcp(5432, SgPeer::group(web_sg.clone())));
    let fn_sg = b.security_group(&v, "fn-sg");
    let web = b.instance(&private, "web", "10.0.1.20", &[&web_sg]);
    let tg = b.target_group(&v, "web-tg", Protocol::Tcp, 8080, &[&web]);
    b.load_balancer(
        LoadBalancerKind::Application,
        LoadBalancerScheme::InternetFacing,
        "front",
        &[(&public, "10.0.0.30", Some("50.1.1.30")), (&public_c, "10.0.2.30", Some("50.1.1.31"))],
        &[&alb_sg],
        &[(80, &tg)],
    );
    b.database(DatabaseService::Rds, "orders", "postgres", None, &[(&private, "10.0.1.50")], &[&db_sg]);
    b.compute(ComputeKind::LambdaFunction, "thumbnailer", &[(&private, "10.0.1.70")], &[&fn_sg]);
    b.design
}

/// The trace from `from` to `to` on `port`, played to its end.
fn played(from: &str, to: &str, port: u16) -> App {
    let mut a = App::new(design(), None);
    a.allow_io = false;
    let spec = Spec { from: from.into(), to: to.into(), protocol: "tcp".into(), port: port.to_string() };
    app::trace_view::run(&mut a, spec).expect("trace");
    a.focus = Pane::Trace;
    let t0 = Instant::now();
    app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0)));
    app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0 + Duration::from_secs(60))));
    a
}

fn render(a: &App) -> String {
    harness::render(a, 120, 40)
}

#[test]
fn the_groups_in_front_of_a_database_are_badges_of_its_box() {
    let d = design();
    let req = vpcraft::sim::TraceRequest::parse(&d, "web", "orders", "tcp", Some(5432), None).expect("request");
    let r = vpcraft::sim::TraceIndex::new(&d).trace(&req);
    assert!(r.delivered(), "{}", vpcraft::sim::render_text(&r));
    let boxes = vpcraft::ui::trace::group(&r.forward, None);
    let last = boxes.last().expect("boxes");
    let main = last.main.map(|i| r.forward[i].component.kind);
    assert_eq!(main, Some(ComponentKind::Database));
    let badges: Vec<&str> = last.badges.iter().map(|&i| r.forward[i].component.name.as_str()).collect();
    assert!(badges.contains(&"db-sg"), "the database's group guards its box: {badges:?}");
    assert_eq!(vpcraft::ui::trace::kind_label(ComponentKind::Database), "DB");
    assert_eq!(vpcraft::ui::trace::kind_label(ComponentKind::LambdaFunction), "Lambda");
}

#[test]
fn snapshot_internet_through_the_alb_to_its_target() {
    let a = played("internet", "front", 80);
    let text = render(&a);
    assert!(text.contains("LB") && text.contains("front"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn snapshot_web_to_the_database() {
    let a = played("web", "orders", 5432);
    let text = render(&a);
    assert!(text.contains("DB"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn snapshot_a_function_with_no_way_out() {
    let a = played("thumbnailer", "s3.ap-northeast-2.amazonaws.com", 443);
    let text = render(&a);
    assert!(text.contains("Lambda"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn the_tree_shows_a_vpcs_managed_services_with_their_details() {
    let mut a = harness::app_on(design());
    let db = a.design.databases[0].id.clone();
    assert!(a.tree.select_resource(&a.design, &db), "the database has a node");
    assert_eq!(a.selected_node(), Some(&NodeRef::Resource { kind: ResourceKind::Database, id: db.clone() }));
    let text = render(&a);
    assert!(text.contains("Managed services  (2)"), "{text}");
    assert!(text.contains("RDS instance (postgres) :5432"), "{text}");
    assert!(text.contains("postgres on port 5432 (M3)"), "the detail panel: {text}");
    insta::assert_snapshot!(text);
}

#[test]
fn a_managed_service_opens_its_form_and_is_deleted_like_any_resource() {
    let mut a = harness::app_on(design());
    let f = a.design.compute_services[0].id.clone();
    assert!(a.tree.select_resource(&a.design, &f));
    let before = a.design.clone();
    press(&mut a, KeyCode::Char('e'));
    assert!(
        matches!(a.popup(), Some(vpcraft::app::Popup::Form(x)) if x.title.contains("thumbnailer")),
        "{}",
        status(&a)
    );
    a.close_popup();
    press(&mut a, KeyCode::Char('d'));
    assert!(a.design.compute_service(&f).is_none(), "{}", status(&a));
    press(&mut a, KeyCode::Char('u'));
    assert_eq!(a.design, before);
}
