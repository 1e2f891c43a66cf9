//! The topology map pane, without a terminal: snapshots of every built-in example at 80×24 and
//! 160×48, the trace animating on the map (a mid-animation frame of the seed 001 endpoint lab,
//! a drop), selection in step with the tree both ways, Enter opening the edit form, panning
//! by keys and mouse, and the cached picture being rebuilt only when something it shows changed.

use crate::harness::{app_on, draw, key, mouse, press, render, sync_viewport};
use std::time::{Duration, Instant};
use vpcraft::app::input::{Area, KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use vpcraft::app::map::{self, MapMsg, MapPicture, Scope};
use vpcraft::app::trace_view::{Spec, TraceMsg, STEP};
use vpcraft::app::tree::NodeRef;
use vpcraft::app::{self, App, Msg, Pane, Popup};
use vpcraft::model::ops::{Op, Ref};
use vpcraft::model::ResourceKind as RK;

const S3: &str = "s3.ap-northeast-2.amazonaws.com";

fn example(name: &str) -> App {
    app_on(vpcraft::assets::example(name).expect("example"))
}

fn tap(a: &mut App, code: KeyCode) {
    press(a, key(code));
}

/// Draw once so the app learns where the map is (as the loop does after each draw), let it
/// bring its picture up to date, and draw again.
fn settle(a: &mut App, w: u16, h: u16) -> String {
    draw(a, w, h);
    sync_viewport(a);
    app::update(a, Msg::Resize(w, h));
    render(a, w, h)
}

fn picture(a: &App) -> &MapPicture {
    map::picture(a).expect("the map's picture is cached")
}

/// An example with the map shown and focused.
fn mapped(name: &str, w: u16, h: u16) -> App {
    let mut a = example(name);
    tap(&mut a, KeyCode::Char('V'));
    assert!(a.map.shown && a.focus == Pane::Map);
    settle(&mut a, w, h);
    a
}

/// Where the map pane was on the last frame (screen cells).
fn pane_area(a: &App) -> Area {
    a.viewport.panes.iter().find(|(p, _)| *p == Pane::Map).map(|(_, r)| *r).expect("the map is on screen")
}

#[test]
fn snapshots_of_every_example_at_80x24_and_160x48() {
    for name in vpcraft::assets::example_names() {
        for (w, h) in [(80u16, 24u16), (160, 48)] {
            let mut a = mapped(name, w, h);
            let screen = settle(&mut a, w, h);
            assert!(screen.contains("Topology map"), "{name} {w}x{h}:\n{screen}");
            insta::assert_snapshot!(format!("map_{name}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn every_subnet_of_the_vpc_is_drawn_with_its_name_or_a_marker() {
    let mut a = mapped("custom-vpc", 160, 48);
    app::update(&mut a, Msg::Map(MapMsg::ToggleScope));
    let screen = settle(&mut a, 160, 48);
    for s in &a.design.subnets {
        assert!(screen.contains(&s.name[..s.name.len().min(12)]), "subnet {} not on the map:\n{screen}", s.name);
    }
    assert!(screen.contains("IGW") || screen.contains("igw"), "the internet gateway on the border:\n{screen}");
}

fn traced(from: &str, to: &str, t0: Instant, w: u16, h: u16) -> App {
    let mut a = mapped("endpoint-lab", w, h);
    let spec = Spec { from: from.into(), to: to.into(), protocol: "tcp".into(), port: "443".into() };
    app::trace_view::run(&mut a, spec).expect("trace");
    app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0)));
    settle(&mut a, w, h);
    a
}

#[test]
fn the_packet_moves_on_the_map_in_step_with_the_trace_view() {
    let t0 = Instant::now();
    let mut a = traced("jhPublicEC2", S3, t0, 160, 48);
    assert_eq!(a.focus, Pane::Map, "a trace run from the map plays on the map");
    let mut boxes = Vec::new();
    for k in 1..=6u32 {
        app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0 + STEP * k + Duration::from_millis(1))));
        assert_eq!(a.trace_view.anim.index, k as usize);
        let screen = settle(&mut a, 160, 48);
        let i = map::path_index(&a).expect("step");
        boxes.push(map::packet_box(picture(&a).path.as_ref().expect("path"), i));
        assert!(screen.contains('●'), "the packet glyph is drawn:\n{screen}");
    }
    assert!(boxes.iter().all(Option::is_some));
    assert!(boxes.windows(2).any(|w| w[0] != w[1]), "the packet changes boxes: {boxes:?}");
    // Step and back work as in the trace view.
    let at = a.trace_view.anim.index;
    tap(&mut a, KeyCode::Char(' '));
    assert!(!a.trace_view.anim.playing);
    tap(&mut a, KeyCode::Left);
    tap(&mut a, KeyCode::Left);
    assert_eq!(a.trace_view.anim.index, at - 2);
    tap(&mut a, KeyCode::Right);
    assert_eq!(a.trace_view.anim.index, at - 1);
    tap(&mut a, KeyCode::Char('r'));
    assert_eq!(a.trace_view.anim.index, 0, "r restarts");
}

#[test]
fn snapshot_mid_animation_of_the_seed_001_endpoint_lab_trace() {
    let t0 = Instant::now();
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let mut a = traced("jhPublicEC2", S3, t0, w, h);
        // Step ⑥: the packet has left the subnet for the internet gateway.
        app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0 + STEP * 5 + Duration::from_millis(1))));
        app::update(&mut a, Msg::TraceView(TraceMsg::PlayPause));
        assert_eq!(a.trace_view.current().map(|h| h.step), Some(6));
        let screen = settle(&mut a, w, h);
        assert!(screen.contains('●') && screen.contains('━'), "the packet and its trail:\n{screen}");
        insta::assert_snapshot!(format!("map_endpoint_lab_trace_step_6_{w}x{h}"), screen);
    }
}

#[test]
fn a_drop_is_marked_where_it_happened() {
    let t0 = Instant::now();
    let mut a = traced("jhPrivateEC2", S3, t0, 160, 48);
    assert!(!a.trace_view.result.as_ref().expect("result").delivered());
    for k in 1..40u32 {
        app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0 + STEP * k + Duration::from_millis(1))));
    }
    assert!(!a.trace_view.anim.playing, "stopped at the end");
    let screen = settle(&mut a, 160, 48);
    assert!(screen.contains('✖'), "the drop is marked:\n{screen}");
    insta::assert_snapshot!("map_endpoint_lab_drop_160x48", screen);
}

#[test]
fn selecting_a_box_selects_the_resource_in_the_tree_and_the_reverse() {
    let mut a = mapped("endpoint-lab", 160, 48);
    // Map → tree: walk the boxes until one is a subnet.
    let mut seen_subnet = false;
    for _ in 0..40 {
        tap(&mut a, KeyCode::Down);
        if let Some(NodeRef::Resource { kind: RK::Subnet, id }) = a.selected_node().cloned() {
            assert_eq!(a.map.selected.as_deref(), Some(id.as_str()), "the map's box is the tree's subnet");
            let pic = picture(&a);
            let n = pic.scene.by_key(&id).expect("box");
            assert_eq!(pic.scene.nodes[n].resource.as_deref(), Some(id.as_str()));
            seen_subnet = true;
            break;
        }
    }
    assert!(seen_subnet, "↓ on the map reaches a subnet and selects it in the tree");
    assert_eq!(a.focus, Pane::Map, "the map keeps the keyboard");
    // Tree → map: move in the tree to an instance; its subnet's box is selected.
    let inst = a.design.instances[0].clone();
    assert!(a.select_resource(&inst.id));
    app::update(&mut a, Msg::Tick);
    let subnet = a
        .design
        .network_interfaces
        .iter()
        .find(|e| e.instance.as_deref() == Some(inst.id.as_str()))
        .map(|e| e.subnet.clone());
    assert_eq!(a.map.selected, subnet, "the instance's subnet box is selected on the map");
    // And with the tree's own keys.
    tap(&mut a, KeyCode::Char('1'));
    tap(&mut a, KeyCode::Char('g'));
    let region = a.selected_node().cloned();
    assert!(matches!(region, Some(NodeRef::Region(_))), "{region:?}");
    assert!(a.map.selected.as_deref().is_some_and(|k| k.starts_with("region:")) || a.map.selected.is_none());
}

#[test]
fn enter_on_a_box_opens_its_edit_form() {
    let mut a = mapped("custom-vpc", 160, 48);
    let subnet = a.design.subnets[0].id.clone();
    assert!(a.select_resource(&subnet));
    app::update(&mut a, Msg::Tick);
    assert_eq!(a.map.selected.as_deref(), Some(subnet.as_str()));
    tap(&mut a, KeyCode::Enter);
    let tree_form = match a.popup() {
        Some(Popup::Form(f)) => f.clone(),
        other => panic!("no edit form: {other:?}"),
    };
    assert!(format!("{tree_form:?}").contains(&subnet), "the subnet's form");
    // The same form the tree's Enter opens.
    tap(&mut a, KeyCode::Esc);
    tap(&mut a, KeyCode::Char('1'));
    tap(&mut a, KeyCode::Enter);
    assert_eq!(a.popup(), Some(&Popup::Form(tree_form)));
}

#[test]
fn a_click_selects_the_box_under_it_and_the_wheel_and_drag_pan() {
    let mut a = mapped("privatelink-lab", 100, 30);
    settle(&mut a, 100, 30);
    let pane = pane_area(&a);
    let canvas = map::canvas_rect(&a).expect("canvas");
    let pic = picture(&a).clone();
    // The first subnet box on screen: click inside it, away from its text.
    let (n, r) = pic
        .scene
        .preorder()
        .into_iter()
        .filter(|&n| matches!(pic.scene.nodes[n].kind, vpcraft::diagram::NodeKind::Subnet(_)))
        .map(|n| (n, pic.layout.nodes[n].rect))
        .find(|(_, r)| r.bottom() < i32::from(canvas.height) && r.right() < i32::from(canvas.width))
        .expect("a subnet on screen");
    let ev = |kind, x: i32, y: i32| MouseEvent {
        kind,
        column: pane.x + canvas.x + x as u16,
        row: pane.y + canvas.y + y as u16,
        modifiers: KeyModifiers::NONE,
    };
    tap(&mut a, KeyCode::Char('1'));
    assert_eq!(a.focus, Pane::Tree);
    mouse(&mut a, ev(MouseEventKind::Down(MouseButton::Left), r.right() - 2, r.bottom() - 1));
    assert_eq!(a.focus, Pane::Map, "a click focuses the map");
    assert_eq!(a.map.selected.as_deref(), Some(pic.scene.nodes[n].key.as_str()));
    assert_eq!(a.selected_node().and_then(|x| x.resource_id()), pic.scene.nodes[n].resource.as_deref());
    mouse(&mut a, ev(MouseEventKind::Up(MouseButton::Left), 0, 0));
    let before = a.map.offset;
    let tall = pic.layout.height > i32::from(canvas.height);
    mouse(&mut a, ev(MouseEventKind::ScrollDown, 1, 1));
    if tall {
        assert!(a.map.offset.1 > before.1, "the wheel scrolls down");
        mouse(&mut a, ev(MouseEventKind::ScrollUp, 1, 1));
        assert_eq!(a.map.offset, before, "and back up");
        mouse(&mut a, ev(MouseEventKind::Down(MouseButton::Left), 5, 7));
        mouse(&mut a, ev(MouseEventKind::Drag(MouseButton::Left), 5, 5));
        assert_eq!(a.map.offset.1, before.1 + 2, "dragging up by 2 moves the picture up by 2");
        mouse(&mut a, ev(MouseEventKind::Up(MouseButton::Left), 5, 5));
        assert!(a.map.drag.is_none());
    } else {
        assert_eq!(a.map.offset, before, "nothing to scroll to");
    }
}

#[test]
fn keys_pan_and_stay_inside_the_picture() {
    let mut a = mapped("custom-vpc", 80, 24);
    app::update(&mut a, Msg::Map(MapMsg::Home));
    tap(&mut a, KeyCode::Char('a'));
    tap(&mut a, KeyCode::Char('w'));
    assert_eq!(a.map.offset, (0, 0), "no panning past the top-left");
    for _ in 0..200 {
        tap(&mut a, KeyCode::Char('s'));
        tap(&mut a, KeyCode::Char('d'));
    }
    let pic = picture(&a);
    let c = map::canvas_rect(&a).expect("canvas");
    assert_eq!(a.map.offset.0, (pic.layout.width - i32::from(c.width)).max(0));
    assert_eq!(a.map.offset.1, (pic.layout.height - i32::from(c.height)).max(0));
    assert!(a.map.offset != (0, 0), "the picture is bigger than 80×24's canvas");
    tap(&mut a, KeyCode::Char('g'));
    assert_eq!(a.map.offset, (0, 0));
}

#[test]
fn the_picture_is_rebuilt_only_when_the_design_scope_width_or_trace_changes() {
    let mut a = mapped("custom-vpc", 160, 48);
    let key0 = a.map.cache.as_ref().map(|(k, _)| k.clone()).expect("cached");
    for _ in 0..5 {
        app::update(&mut a, Msg::Tick);
        draw(&a, 160, 48);
    }
    assert_eq!(a.map.cache.as_ref().map(|(k, _)| k.clone()), Some(key0.clone()), "ticks keep the picture");
    // A narrower terminal: another width.
    settle(&mut a, 120, 40);
    let k2 = a.map.cache.as_ref().map(|(k, _)| k.clone()).expect("cached");
    assert_ne!(k2.width, key0.width);
    // An edit: a new revision.
    let v = a.design.vpcs[0].id.clone();
    let op = Op::UpdateVpc {
        vpc: Ref::id(v),
        name: Some("renamed-vpc".into()),
        secondary_cidrs: None,
        dns_support: None,
        dns_hostnames: None,
    };
    a.apply("rename", vec![op]).expect("rename");
    let screen = settle(&mut a, 120, 40);
    assert_ne!(a.map.cache.as_ref().map(|(k, _)| k.rev), Some(k2.rev));
    assert!(screen.contains("renamed-vpc"), "the map shows the edit:\n{screen}");
    // The scope toggles region ⇄ VPC.
    let before = a.map.scope.clone();
    tap(&mut a, KeyCode::Char('v'));
    assert_ne!(a.map.scope, before);
    assert!(matches!(a.map.scope, Some(Scope::Region(_) | Scope::Vpc(_))));
}

#[test]
fn tab_moves_between_the_tree_and_the_map_and_v_hides_it() {
    let mut a = mapped("custom-vpc", 160, 48);
    tap(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Pane::Tree);
    tap(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Pane::Map);
    tap(&mut a, KeyCode::Char('V'));
    assert!(!a.map.shown);
    let screen = settle(&mut a, 160, 48);
    assert!(!screen.contains("Topology map") && screen.contains("Subnet planner"));
    tap(&mut a, KeyCode::Char('5'));
    assert!(a.map.shown && a.focus == Pane::Map);
    tap(&mut a, KeyCode::Char('2'));
    assert!(!a.map.shown && a.focus == Pane::Planner, "another pane's number leaves the map");
}

/// `M` is the reachability view, also from the map (it used to toggle the map).
#[test]
fn m_on_the_map_opens_the_reachability_view() {
    let mut a = mapped("endpoint-lab", 160, 48);
    tap(&mut a, KeyCode::Char('M'));
    assert!(a.modals.reach().is_some(), "the reachability view is open");
    assert!(a.map.shown, "the map stays under it");
}

/// The view never writes the app: drawing the same app twice gives the same screen and leaves
/// its state as it was.
#[test]
fn drawing_the_map_changes_nothing_in_the_app() {
    let mut a = mapped("endpoint-lab", 120, 40);
    let before = format!("{:?}", a.map);
    let s1 = render(&a, 120, 40);
    let s2 = render(&a, 120, 40);
    assert_eq!(s1, s2);
    assert_eq!(format!("{:?}", a.map), before);
    // Before the app knows the map's size (no frame yet), the view still draws the picture.
    let mut b = example("endpoint-lab");
    b.map.shown = true;
    b.focus = Pane::Map;
    assert!(b.map.cache.is_none());
    let screen = render(&b, 120, 40);
    assert!(screen.contains("jhVPC") && b.map.cache.is_none(), "{screen}");
    sync_viewport(&mut b);
    app::update(&mut b, Msg::Tick);
    assert!(b.map.cache.is_some());
    let _ = &mut a;
}

/// After the terminal shrinks, the selected box is brought back into view.
#[test]
fn a_resize_keeps_the_selected_box_in_view() {
    let mut a = mapped("privatelink-lab", 160, 48);
    assert_eq!(a.map.offset, (0, 0), "everything fits at 160×48");
    let sel = a.map.selected.clone().expect("the tree's subnet is selected on the map");
    settle(&mut a, 80, 24);
    let pic = picture(&a);
    let r = pic.layout.nodes[pic.scene.by_key(&sel).expect("box")].rect;
    let c = map::canvas_rect(&a).expect("canvas");
    let (x, y) = a.map.offset;
    assert!(r.y >= y && r.bottom() <= y + i32::from(c.height), "{r:?} in view from {y} ({} rows)", c.height);
    assert!(r.x >= x && r.right() <= x + i32::from(c.width));
}

/// Issue 16 item 9 (O3): the map's title says "names only" in Korean too.
#[test]
fn the_names_only_title_speaks_korean() {
    let mut a = mapped("custom-vpc", 80, 24);
    assert!(settle(&mut a, 80, 24).contains(" · names only "));
    tap(&mut a, KeyCode::Char('K'));
    let screen = settle(&mut a, 80, 24);
    assert!(screen.contains(" · 이름만 ") && !screen.contains("names only"), "{screen}");
}

/// Issue 16 item 9: why there is nothing to draw is said in Korean too (the reason was English
/// inside the Korean "그릴 것 없음: …").
#[test]
fn nothing_to_draw_says_why_in_korean() {
    let mut a = mapped("custom-vpc", 100, 30);
    a.map.scope = Some(Scope::Vpc("vpc-gone".into()));
    let en = settle(&mut a, 100, 30);
    assert!(en.contains("Nothing to draw: --vpc vpc-gone: no VPC with that id or name"), "{en}");
    tap(&mut a, KeyCode::Char('K'));
    let ko = settle(&mut a, 100, 30);
    assert!(ko.contains("그릴 것 없음: --vpc vpc-gone: 그런 id나 이름의 VPC가 없습니다"), "{ko}");
    assert!(!ko.contains("no VPC with that id"), "{ko}");
}
