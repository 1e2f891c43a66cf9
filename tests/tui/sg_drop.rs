//! Issue 16 item 6: a flow a security group drops on its way in is drawn at the instance that
//! group guards (its box, the SG marked ✖), not at the gateway before it; the zoomed trace
//! pane's step lines wrap instead of being cut, at any width.

use crate::harness::{app_on, key, press, render};
use std::time::Instant;
use vpcraft::app::input::KeyCode;
use vpcraft::app::trace_view::{Spec, TraceMsg};
use vpcraft::app::{self, App, Msg, Pane};

/// The custom VPC example traced from the internet to its web instance on a port its security
/// group does not open, played to the end, the trace pane focused.
fn dropped_at_the_sg(port: &str) -> App {
    let mut a = app_on(vpcraft::assets::example("custom-vpc").expect("example"));
    let spec = Spec { from: "internet".into(), to: "my-pub-ec2".into(), protocol: "tcp".into(), port: port.into() };
    app::trace_view::run(&mut a, spec).expect("trace");
    let r = a.trace_view.result.clone().expect("result");
    assert!(!r.delivered(), "tcp/{port} is not open in my-web-sg");
    let t0 = Instant::now();
    app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0)));
    for _ in 0..r.forward.len() {
        app::update(&mut a, Msg::TraceView(TraceMsg::StepForward));
    }
    a.focus = Pane::Trace;
    a
}

/// The chain's boxes as text: the three rows of each box row of the chain, joined.
fn chain_of(screen: &str) -> Vec<String> {
    screen.lines().map(str::to_string).collect()
}

#[test]
fn the_drop_is_drawn_at_the_instance_whose_group_refused_it_not_at_the_gateway() {
    for (w, h) in [(140u16, 45u16), (100, 30), (60, 30)] {
        let mut a = dropped_at_the_sg("8080");
        press(&mut a, key(KeyCode::Char('z')));
        let screen = render(&a, w, h);
        let lines = chain_of(&screen);
        // The instance has a box of its own, marked where the packet died, the group ✖ on it.
        let name_row = lines.iter().position(|l| l.contains("✖ my-pub-ec2")).unwrap_or_else(|| {
            panic!("{w}x{h}: no box for the instance the flow was dropped at:\n{screen}");
        });
        // Under the box (same columns, counted in characters): the group's ✖.
        let row: Vec<char> = lines[name_row].chars().collect();
        let col = (0..row.len()).find(|&i| row[i..].starts_with(&['✖', ' ', 'm'])).expect("found");
        let below: String = lines[name_row + 1].chars().skip(col.saturating_sub(3)).take(16).collect();
        assert!(below.contains("SG✖"), "{w}x{h}: SG✖ under the instance ({below:?}):\n{screen}");
        // Nowhere else: the gateway before it passed the packet on.
        assert_eq!(screen.matches("SG✖").count(), 1, "{w}x{h}:\n{screen}");
    }
    let mut a = dropped_at_the_sg("8080");
    press(&mut a, key(KeyCode::Char('z')));
    insta::assert_snapshot!("sg_drop_at_the_instance_zoomed_140x45", render(&a, 140, 45));
}

/// Every step's whole sentence is on screen, wrapped at the pane's width, at any width.
#[test]
fn zoomed_step_lines_wrap_instead_of_being_cut() {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace() && !"│┃\"".contains(*c)).collect::<String>();
    for w in [60u16, 80, 100, 123, 140, 200] {
        let mut a = dropped_at_the_sg("8080");
        press(&mut a, key(KeyCode::Char('z')));
        let screen = render(&a, w, 45);
        // The step list's columns: from where its title starts (beside the chain when wide).
        let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
        let (top, left) = lines
            .iter()
            .enumerate()
            .find_map(|(y, l)| (0..l.len()).find(|&x| l[x..].starts_with(&['F', 'o', 'r', 'w'])).map(|x| (y, x)))
            .expect("the step list");
        let text: String = lines[top..].iter().map(|l| squash(&l.iter().skip(left).collect::<String>())).collect();
        for hop in &a.trace_view.result.as_ref().expect("result").forward {
            assert!(text.contains(&squash(&hop.decision.to_string())), "{w} wide: step {} cut:\n{screen}", hop.step);
        }
    }
}

/// A group dropping what its own instance sends stays on that instance's box (the sender).
#[test]
fn an_outbound_drop_stays_on_the_sender() {
    use vpcraft::model::ops::{Direction, Op, Ref};
    let mut a = app_on(vpcraft::assets::example("custom-vpc").expect("example"));
    // my-web-sg lets nothing out.
    let sg = a.design.security_groups.iter().find(|g| g.name == "my-web-sg").expect("sg").clone();
    let ops: Vec<Op> = (0..sg.egress.len())
        .map(|_| Op::DeleteSgRule { group: Ref::id(&sg.id), direction: Direction::of(true), index: 0 })
        .collect();
    a.apply("no egress", ops).expect("applied");
    let spec = Spec { from: "my-pub-ec2".into(), to: "8.8.8.8".into(), protocol: "tcp".into(), port: "443".into() };
    app::trace_view::run(&mut a, spec).expect("trace");
    let r = a.trace_view.result.clone().expect("result");
    assert!(!r.delivered());
    let hops = &r.forward;
    assert_eq!(hops.last().map(|h| h.component.id.as_str()), Some(sg.id.as_str()), "{hops:#?}");
    assert_eq!(vpcraft::ui::trace::dropped_arriving_at(&a.design, hops), None);
    let boxes = vpcraft::ui::trace::group(hops, None);
    assert_eq!(boxes.len(), 1, "one box, the instance, with its group ✖: {boxes:?}");
}

#[test]
fn the_map_marks_the_group_on_the_box_where_the_packet_died() {
    let mut a = dropped_at_the_sg("8080");
    press(&mut a, key(KeyCode::Char('V')));
    let _ = render(&a, 140, 45);
    crate::harness::sync_viewport(&mut a);
    app::update(&mut a, Msg::Resize(140, 45));
    let screen = render(&a, 140, 45);
    let lines: Vec<&str> = screen.lines().collect();
    let sg = lines.iter().position(|l| l.contains("SG✖")).unwrap_or_else(|| panic!("no SG✖ on the map:\n{screen}"));
    assert!(lines[sg - 1].contains("my-pub-2a"), "on the web instance's subnet:\n{screen}");
    assert!(lines[sg - 2].contains('✖'), "the packet died there:\n{screen}");
}
