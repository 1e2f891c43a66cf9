//! The topology map pane, without a terminal: snapshots of every built-in example at 80×24 and
//! 160×48, the trace animating on the map (a mid-animation frame of the seed 001 endpoint lab,
//! a drop), selection in step with the tree both ways, Enter opening the edit form, panning
//! by keys and mouse, and the cached picture being rebuilt only when something it shows changed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::{Duration, Instant};
use vpcraft::app::map::{MapMsg, Scope};
use vpcraft::app::trace_view::{Spec, TraceMsg, STEP};
use vpcraft::app::tree::NodeRef;
use vpcraft::app::{self, keymap, App, Msg, Pane, Popup};
use vpcraft::model::ResourceKind as RK;

const S3: &str = "s3.ap-northeast-2.amazonaws.com";

fn example(name: &str) -> App {
    let mut a = App::new(vpcraft::assets::example(name).expect("example"), None);
    a.allow_io = false;
    a
}

fn press(a: &mut App, code: KeyCode) {
    if let Some(m) = keymap::route_key(a, KeyEvent::new(code, KeyModifiers::NONE)) {
        app::update(a, m);
    }
}

fn draw(a: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("backend");
    t.draw(|f| vpcraft::ui::view(f, a)).expect("draw");
    t.backend().to_string()
}

/// Draw once so the app knows where the map is, let it sync (as the loop's tick does), draw.
fn settle(a: &mut App, w: u16, h: u16) -> String {
    draw(a, w, h);
    app::update(a, Msg::Resize(w, h));
    draw(a, w, h)
}

/// An example with the map shown and focused.
fn mapped(name: &str, w: u16, h: u16) -> App {
    let mut a = example(name);
    press(&mut a, KeyCode::Char('M'));
    assert!(a.map.shown && a.focus == Pane::Map);
    settle(&mut a, w, h);
    a
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
        let pic = a.map.cache.as_ref().and_then(|(_, p)| p.as_ref().ok()).expect("picture");
        let i = vpcraft::app::map::path_index(&a).expect("step");
        boxes.push(vpcraft::app::map::packet_box(pic.path.as_ref().expect("path"), i));
        assert!(screen.contains('●'), "the packet glyph is drawn:\n{screen}");
    }
    assert!(boxes.iter().all(Option::is_some));
    assert!(boxes.windows(2).any(|w| w[0] != w[1]), "the packet changes boxes: {boxes:?}");
    // Step and back work as in the trace view.
    let at = a.trace_view.anim.index;
    press(&mut a, KeyCode::Char(' '));
    assert!(!a.trace_view.anim.playing);
    press(&mut a, KeyCode::Left);
    press(&mut a, KeyCode::Left);
    assert_eq!(a.trace_view.anim.index, at - 2);
    press(&mut a, KeyCode::Right);
    assert_eq!(a.trace_view.anim.index, at - 1);
    press(&mut a, KeyCode::Char('r'));
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
        press(&mut a, KeyCode::Down);
        if let Some(NodeRef::Resource { kind: RK::Subnet, id }) = a.selected_node().cloned() {
            let pic = a.map.cache.as_ref().and_then(|(_, p)| p.as_ref().ok()).expect("picture");
            assert_eq!(a.map.selected.as_deref(), Some(id.as_str()), "the map's box is the tree's subnet");
            let n = pic.scene.by_key(&id).expect("box");
            assert_eq!(pic.scene.nodes[n].resource.as_deref(), Some(id.as_str()));
            seen_subnet = true;
            break;
        }
    }
    assert!(seen_subnet, "↓ on the map reaches a subnet and selects it in the tree");
    // Tree → map: select an instance in the tree; its subnet's box is selected.
    let inst = a.design.instances[0].clone();
    assert!(a.tree.select_resource(&inst.id));
    app::update(&mut a, Msg::Tick);
    let subnet = a
        .design
        .network_interfaces
        .iter()
        .find(|e| e.instance.as_deref() == Some(inst.id.as_str()))
        .map(|e| e.subnet.clone());
    assert_eq!(a.map.selected, subnet, "the instance's subnet box is selected on the map");
}

#[test]
fn enter_on_a_box_opens_its_edit_form() {
    let mut a = mapped("custom-vpc", 160, 48);
    let subnet = a.design.subnets[0].id.clone();
    assert!(a.tree.select_resource(&subnet));
    app::update(&mut a, Msg::Tick);
    assert_eq!(a.map.selected.as_deref(), Some(subnet.as_str()));
    press(&mut a, KeyCode::Enter);
    match &a.popup {
        Some(Popup::Form(f)) => assert!(format!("{f:?}").contains(&subnet), "the subnet's form"),
        other => panic!("no edit form: {other:?}"),
    }
}

#[test]
fn a_click_selects_the_box_under_it_and_the_wheel_and_drag_pan() {
    let mut a = mapped("privatelink-lab", 100, 30);
    settle(&mut a, 100, 30);
    let canvas = vpcraft::app::map::canvas_rect(&a).expect("canvas");
    let pic = a.map.cache.as_ref().and_then(|(_, p)| p.as_ref().ok()).expect("picture").clone();
    // The first subnet box on screen: click inside it, away from its text.
    let (n, r) = pic
        .scene
        .preorder()
        .into_iter()
        .filter(|&n| matches!(pic.scene.nodes[n].kind, vpcraft::diagram::NodeKind::Subnet(_)))
        .map(|n| (n, pic.layout.nodes[n].rect))
        .find(|(_, r)| r.bottom() < i32::from(canvas.height) && r.right() < i32::from(canvas.width))
        .expect("a subnet on screen");
    let mouse = |kind, x: i32, y: i32| {
        Msg::Mouse(MouseEvent {
            kind,
            column: canvas.x + x as u16,
            row: canvas.y + y as u16,
            modifiers: KeyModifiers::NONE,
        })
    };
    app::update(&mut a, mouse(MouseEventKind::Down(MouseButton::Left), r.right() - 2, r.bottom() - 1));
    assert_eq!(a.map.selected.as_deref(), Some(pic.scene.nodes[n].key.as_str()));
    assert_eq!(a.selected_node().and_then(|x| x.resource_id()), pic.scene.nodes[n].resource.as_deref());
    app::update(&mut a, mouse(MouseEventKind::Up(MouseButton::Left), 0, 0));
    let before = a.map.offset;
    let tall = pic.layout.height > i32::from(canvas.height);
    app::update(&mut a, mouse(MouseEventKind::ScrollDown, 1, 1));
    if tall {
        assert!(a.map.offset.1 > before.1, "the wheel scrolls down");
        app::update(&mut a, mouse(MouseEventKind::Down(MouseButton::Left), 5, 5));
        app::update(&mut a, mouse(MouseEventKind::Drag(MouseButton::Left), 5, 7));
        assert_eq!(a.map.offset.1, before.1 + 1, "dragging down by 2 moves the picture down");
    } else {
        assert_eq!(a.map.offset, before, "nothing to scroll to");
    }
}

#[test]
fn keys_pan_and_stay_inside_the_picture() {
    let mut a = mapped("endpoint-lab", 80, 24);
    app::update(&mut a, Msg::Map(MapMsg::Home));
    press(&mut a, KeyCode::Char('a'));
    press(&mut a, KeyCode::Char('w'));
    assert_eq!(a.map.offset, (0, 0), "no panning past the top-left");
    for _ in 0..200 {
        press(&mut a, KeyCode::Char('s'));
        press(&mut a, KeyCode::Char('d'));
    }
    let pic = a.map.cache.as_ref().and_then(|(_, p)| p.as_ref().ok()).expect("picture");
    let c = vpcraft::app::map::canvas_rect(&a).expect("canvas");
    assert_eq!(a.map.offset.0, (pic.layout.width - i32::from(c.width)).max(0));
    assert_eq!(a.map.offset.1, (pic.layout.height - i32::from(c.height)).max(0));
    press(&mut a, KeyCode::Char('g'));
    assert_eq!(a.map.offset, (0, 0));
}

#[test]
fn the_picture_is_rebuilt_only_when_the_design_scope_width_or_trace_changes() {
    let mut a = mapped("custom-vpc", 160, 48);
    let key = a.map.cache.as_ref().map(|(k, _)| k.clone()).expect("cached");
    for _ in 0..5 {
        app::update(&mut a, Msg::Tick);
        draw(&a, 160, 48);
    }
    assert_eq!(a.map.cache.as_ref().map(|(k, _)| k.clone()), Some(key.clone()), "ticks keep the picture");
    // A narrower terminal: another width.
    settle(&mut a, 120, 40);
    let k2 = a.map.cache.as_ref().map(|(k, _)| k.clone()).expect("cached");
    assert_ne!(k2.width, key.width);
    // An edit: a new revision.
    let v = a.design.vpcs[0].id.clone();
    a.edit("rename", |d| {
        d.vpcs.iter_mut().find(|x| x.id == v).expect("vpc").name = "renamed-vpc".into();
        Ok(())
    })
    .expect("edit");
    let screen = settle(&mut a, 120, 40);
    assert_ne!(a.map.cache.as_ref().map(|(k, _)| k.rev), Some(k2.rev));
    assert!(screen.contains("renamed-vpc"), "the map shows the edit:\n{screen}");
    // The scope toggles region ⇄ VPC.
    let before = a.map.scope.clone();
    press(&mut a, KeyCode::Char('v'));
    assert_ne!(a.map.scope, before);
    assert!(matches!(a.map.scope, Some(Scope::Region(_) | Scope::Vpc(_))));
}

#[test]
fn tab_moves_between_the_tree_and_the_map_and_m_hides_it() {
    let mut a = mapped("custom-vpc", 160, 48);
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Pane::Tree);
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Pane::Map);
    press(&mut a, KeyCode::Char('M'));
    assert!(!a.map.shown);
    let screen = settle(&mut a, 160, 48);
    assert!(!screen.contains("Topology map") && screen.contains("Subnet planner"));
    press(&mut a, KeyCode::Char('5'));
    assert!(a.map.shown && a.focus == Pane::Map);
    press(&mut a, KeyCode::Char('2'));
    assert!(!a.map.shown && a.focus == Pane::Planner, "another pane's number leaves the map");
}
