//! The one stack of layers on top of the panes: which layer has the keys (the same answer for
//! key routing, help and the status bar), layers closing back to what was under them, and keys
//! falling through the focused pane to the lab and the global keys when the pane has nothing to
//! do with them.

use vpcraft::app::input::KeyModifiers;
use vpcraft::app::input::{KeyCode, MouseButton, MouseEvent, MouseEventKind};
use vpcraft::app::keymap::{self, Layer};
use vpcraft::app::msg::{Handled, Msg};
use vpcraft::app::planner::PlannerMsg;
use vpcraft::app::routes::RoutesMsg;
use vpcraft::app::{self, Modal, Pane, Popup};

use crate::harness::{app, key, mouse, press, render};

#[test]
fn help_over_the_trace_picker_closes_back_to_it() {
    let mut a = app();
    press(&mut a, KeyCode::Char('t'));
    assert!(a.trace_picker().is_some());
    assert_eq!(keymap::layers(&a), vec![Layer::TracePicker]);
    press(&mut a, KeyCode::F(1));
    assert_eq!(keymap::layers(&a), vec![Layer::Help, Layer::TracePicker]);
    assert_eq!(keymap::active_layer(&a), Layer::Help);
    // Help lists the picker's keys, the layer under it.
    assert_eq!(keymap::active_layers(&a), vec![Layer::TracePicker]);
    let screen = render(&a, 120, 40);
    assert!(screen.contains("Trace a packet"), "{screen}");
    // Keys go to help while it is open: `j` scrolls it and types nothing into the picker.
    let before = a.trace_picker().cloned();
    press(&mut a, KeyCode::Char('j'));
    assert_eq!(a.trace_picker().cloned(), before);
    press(&mut a, KeyCode::Esc);
    assert!(a.help().is_none());
    assert_eq!(keymap::active_layer(&a), Layer::TracePicker, "Esc closed help only");
    press(&mut a, KeyCode::Esc);
    assert!(a.modals.is_empty());
    assert_eq!(keymap::layers(&a), vec![Layer::Tree, Layer::Lab, Layer::Global]);
}

#[test]
fn the_newest_layer_is_on_top_and_a_popup_keeps_its_place() {
    let mut a = app();
    press(&mut a, KeyCode::Char('/'));
    assert!(a.filter_editing());
    assert_eq!(a.modal(), Some(&Modal::Filter));
    press(&mut a, KeyCode::F(1));
    assert!(matches!(a.modal(), Some(Modal::Help(0))));
    assert_eq!(keymap::active_layers(&a), vec![Layer::Filter]);
    press(&mut a, KeyCode::Char('q'));
    assert!(a.help().is_none() && a.filter_editing(), "q closed help, the filter line still has the keys");
    press(&mut a, KeyCode::Enter);
    assert!(!a.filter_editing());
    // Replacing the popup (a form's submit turning into a question) keeps one popup.
    press(&mut a, KeyCode::Char('a'));
    assert!(matches!(a.popup(), Some(Popup::Menu(_))));
    let Some(Popup::Menu(m)) = a.popup().cloned() else { unreachable!() };
    a.set_popup(Popup::Menu(m));
    assert_eq!(a.modals.iter().count(), 1);
}

/// The reachability view is a layer of the stack, under whatever opens over it: help lists its
/// keys, Esc closes help back to it, then the view itself.
#[test]
fn the_reach_view_is_the_bottom_layer_of_the_stack() {
    let mut a = app();
    press(&mut a, KeyCode::Char('A'));
    assert!(matches!(a.modal(), Some(Modal::Reach(_))));
    assert_eq!(keymap::layers(&a), vec![Layer::Reach]);
    press(&mut a, KeyCode::F(1));
    assert_eq!(keymap::layers(&a), vec![Layer::Help, Layer::Reach]);
    assert_eq!(keymap::active_layers(&a), vec![Layer::Reach]);
    press(&mut a, KeyCode::Esc);
    assert!(a.help().is_none() && a.modals.reach().is_some(), "Esc closed help only");
    // Opening the audit list again replaces the open view: one reach layer.
    a.modals.set_reach(vpcraft::app::reach::Overlay::Flows(Default::default()));
    a.modals.set_reach(vpcraft::app::reach::Overlay::Flows(Default::default()));
    assert_eq!(a.modals.iter().count(), 1);
    press(&mut a, KeyCode::Esc);
    assert!(a.modals.is_empty());
    assert_eq!(keymap::layers(&a), vec![Layer::Tree, Layer::Lab, Layer::Global]);
}

#[test]
fn the_mouse_does_not_reach_panes_under_a_picker() {
    let mut a = app();
    render(&a, 120, 40);
    a.focus = Pane::Tree;
    press(&mut a, KeyCode::Char('t'));
    let click = |x, y| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    };
    // The route pane is on the right, half way down.
    mouse(&mut a, click(100, 20));
    assert_eq!(a.focus, Pane::Tree, "the click went nowhere");
    assert!(a.trace_picker().is_some());
}

#[test]
fn esc_in_a_pane_with_nothing_to_drop_falls_through_to_the_global_keys() {
    let mut a = app();
    a.focus = Pane::Planner;
    a.zoom = true;
    // The planner's Esc has no preview to discard: not handled, so the global Esc leaves zoom.
    assert_eq!(app::update(&mut a, Msg::Planner(PlannerMsg::Back)), Handled::No);
    assert!(a.zoom);
    assert_eq!(
        keymap::route_keys(&a, key(KeyCode::Esc)),
        vec![Msg::Planner(PlannerMsg::Back), Msg::Escape],
        "offered to the planner, then to the global keys"
    );
    press(&mut a, KeyCode::Esc);
    assert!(!a.zoom);
    assert_eq!(a.focus, Pane::Planner);
    // The same in the route pane.
    a.focus = Pane::Routes;
    a.zoom = true;
    press(&mut a, KeyCode::Esc);
    assert!(!a.zoom);
    assert_eq!(app::update(&mut a, Msg::Routes(RoutesMsg::Back)), Handled::No);
}

#[test]
fn esc_in_the_planner_discards_a_preview_and_stops_there() {
    let mut a = app();
    a.focus = Pane::Planner;
    a.zoom = true;
    let vpc = a.design.vpcs[0].id.clone();
    a.planner.preview = Some(vpcraft::app::planner::LayoutPreview {
        vpc,
        rows: Vec::new(),
        rows6: Vec::new(),
        family: Default::default(),
        ipv6_block: None,
        public_tiers: Vec::new(),
        public_table: None,
        private_table: None,
    });
    press(&mut a, KeyCode::Esc);
    assert!(a.planner.preview.is_none());
    assert!(a.zoom, "the preview went; zoom stays until the next Esc");
    press(&mut a, KeyCode::Esc);
    assert!(!a.zoom);
}
