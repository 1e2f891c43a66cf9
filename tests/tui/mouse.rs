//! Issue 16, item 12: the mouse beyond the tree. Clicks select rows of the planner, the route
//! pane, the lab panel, the trace and lab pickers and a form's picker; a second click on the
//! selected row does what Enter does there; the wheel moves through each. Every position is
//! found on the drawn screen (where the text is), never taken from the app's own geometry.

use crate::harness::{app, app_on, form, key, mouse, press, render};
use vpcraft::app::input::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use vpcraft::app::tree::NodeRef;
use vpcraft::app::{App, Pane, Popup};

const W: u16 = 140;
const H: u16 = 45;

/// The screen cell where `text` is drawn inside the rectangle (x, y, w, h) of the screen:
/// (column, row). Panics when it is not there.
fn cell_in(a: &App, within: (u16, u16, u16, u16), text: &str) -> (u16, u16) {
    let screen = render(a, W, H);
    let (x0, y0, w, h) = within;
    for (y, line) in screen.lines().enumerate().skip(usize::from(y0)).take(usize::from(h)) {
        let cells: Vec<char> = line.trim_start_matches('"').chars().collect();
        let end = usize::from(x0 + w).min(cells.len());
        let row: String = cells[usize::from(x0).min(end)..end].iter().collect();
        if let Some(b) = row.find(text) {
            return (x0 + row[..b].chars().count() as u16, y as u16);
        }
    }
    panic!("{text} is not drawn in {within:?}:\n{screen}");
}

/// Where a pane was in the last frame (x, y, w, h).
fn pane_rect(a: &mut App, p: Pane) -> (u16, u16, u16, u16) {
    render(a, W, H);
    crate::harness::sync_viewport(a);
    let r = a.viewport.panes.iter().find(|(q, _)| *q == p).map(|(_, r)| *r).expect("the pane is shown");
    (r.x, r.y, r.width, r.height)
}

fn whole() -> (u16, u16, u16, u16) {
    (0, 0, W, H)
}

fn ev(kind: MouseEventKind, (x, y): (u16, u16)) -> MouseEvent {
    MouseEvent { kind, column: x, row: y, modifiers: KeyModifiers::NONE }
}

fn click(a: &mut App, at: (u16, u16)) {
    render(a, W, H);
    mouse(a, ev(MouseEventKind::Down(MouseButton::Left), at));
}

fn wheel(a: &mut App, at: (u16, u16), down: bool) {
    render(a, W, H);
    mouse(a, ev(if down { MouseEventKind::ScrollDown } else { MouseEventKind::ScrollUp }, at));
}

#[test]
fn a_click_selects_a_planner_row_a_second_selects_the_subnet_and_the_wheel_moves() {
    let mut a = app();
    let planner = pane_rect(&mut a, Pane::Planner);
    let vpc = vpcraft::app::planner::current_vpc(&a).expect("a VPC").id.clone();
    let subnet = a.design.vpc_subnets(&vpc).nth(1).expect("two subnets").clone();
    // The table's row of the second subnet (its name is in the table, after the header).
    let at = cell_in(&a, planner, &format!(" {} ", subnet.name));
    click(&mut a, at);
    assert_eq!(a.focus, Pane::Planner, "a click focuses the planner");
    let blocks = vpcraft::app::planner::view(&a).expect("blocks").1;
    assert_eq!(blocks[a.planner.cursor].subnet(), Some(subnet.id.as_str()), "the clicked row is selected");
    click(&mut a, at);
    let in_tree = matches!(a.selected_node(), Some(NodeRef::Resource { id, .. }) if *id == subnet.id);
    assert!(in_tree, "again: the subnet is selected in the tree: {:?}", a.selected_node());

    // The wheel moves the selection (and so the table) without taking the focus.
    a.focus = Pane::Tree;
    let before = a.planner.cursor;
    wheel(&mut a, at, true);
    assert_eq!(a.planner.cursor, (before + 3).min(blocks.len() - 1));
    assert_eq!(a.focus, Pane::Tree);
    wheel(&mut a, at, false);
    assert_eq!(a.planner.cursor, before.saturating_sub(3).max((before + 3).min(blocks.len() - 1) - 3));
}

#[test]
fn a_click_selects_a_route_a_second_edits_it_and_in_associations_ticks_the_subnet() {
    let mut a = app();
    let default = |t: &&vpcraft::model::RouteTable| t.routes.iter().any(|r| r.destination.to_string() == "0.0.0.0/0");
    let id = a.design.route_tables.iter().find(default).expect("a table with a default route").id.clone();
    assert!(a.select_resource(&id));
    let routes = pane_rect(&mut a, Pane::Routes);
    let rt = vpcraft::app::routes::current_table(&a).expect("a table").clone();
    let list = a.design.effective_routes(&rt);
    let i = list.iter().position(|r| r.destination.to_string() == "0.0.0.0/0").expect("a default route");
    let at = cell_in(&a, routes, "0.0.0.0/0");
    click(&mut a, at);
    assert_eq!((a.focus, a.routes.cursor), (Pane::Routes, i), "the clicked route is selected");
    click(&mut a, at);
    assert!(form(&a).title.contains("route"), "a second click edits the route: {}", form(&a).title);
    press(&mut a, key(KeyCode::Esc));

    // Associations: a click selects a subnet, a second ticks or unticks it (one undo step).
    press(&mut a, key(KeyCode::Char('s')));
    assert!(a.routes.associations);
    let subnet = a.design.vpc_subnets(&rt.vpc).find(|s| !rt.subnets.contains(&s.id)).expect("a subnet").clone();
    let at = cell_in(&a, routes, &subnet.name);
    click(&mut a, at);
    let undo = a.undo.len();
    click(&mut a, at);
    let table = a.design.route_table(&rt.id).expect("table");
    assert!(table.subnets.contains(&subnet.id), "a second click ticks {}", subnet.name);
    assert_eq!(a.undo.len(), undo + 1);
}

#[test]
fn a_click_on_a_lab_trace_plays_it_and_the_wheel_scrolls_the_narration() {
    let mut a = app_on(vpcraft::assets::default_example());
    press(&mut a, key(KeyCode::Char('L')));
    // The lab picker: a click selects a lab, a second starts it; the wheel moves.
    let at = cell_in(&a, whole(), "S3");
    click(&mut a, at);
    let Some(p) = a.lab_picker() else { panic!("the picker stays open") };
    let picked = p.selected;
    assert_eq!(p.labs[picked].number, 3, "the clicked lab is selected");
    wheel(&mut a, at, true);
    assert_eq!(a.lab_picker().map(|p| p.selected), Some(picked + 1), "the wheel moves down");
    wheel(&mut a, at, false);
    click(&mut a, at);
    assert_eq!(a.lab.active.as_ref().map(|l| l.lab.number), Some(3), "a second click starts it");

    // Step 4 has two traces; the first plays, a click plays the second.
    press(&mut a, key(KeyCode::Char(']')));
    press(&mut a, key(KeyCode::Char(']')));
    press(&mut a, key(KeyCode::Char('m')));
    press(&mut a, key(KeyCode::Char(']')));
    assert_eq!(a.lab.active.as_ref().map(|l| l.step), Some(3));
    let private = "jhPrivateEC2".to_string();
    let from = |a: &App| a.trace_view.spec.as_ref().map(|s| s.from.clone()).unwrap_or_default();
    assert_ne!(from(&a), private, "the first trace is the public instance's");
    crate::harness::sync_viewport(&mut a);
    let panel = {
        render(&a, W, H);
        crate::harness::sync_viewport(&mut a);
        let r = a.viewport.lab_panel;
        (r.x, r.y, r.width, r.height)
    };
    let at = cell_in(&a, panel, "jhPrivateEC2 →");
    click(&mut a, at);
    assert_eq!(from(&a), private, "the clicked trace plays");
    assert!(a.trace_view.result.is_some());
    wheel(&mut a, at, true);
    assert_eq!(a.lab.active.as_ref().map(|l| l.scroll), Some(3), "the wheel scrolls the narration");
}

#[test]
fn the_trace_picker_takes_clicks_on_fields_and_candidates_and_the_wheel() {
    let mut a = app();
    press(&mut a, key(KeyCode::Char('t')));
    assert!(a.trace_picker().is_some());
    press(&mut a, crate::harness::ctrl('u'));
    let p = a.trace_picker().expect("picker");
    let field = p.field;
    let second = p.visible().get(1).expect("two candidates").label.clone();
    let at = cell_in(&a, whole(), &format!("  {second}"));
    click(&mut a, at);
    assert_eq!(a.trace_picker().map(|p| p.selected), Some(1), "a click selects the candidate");
    wheel(&mut a, at, true);
    assert_eq!(a.trace_picker().map(|p| p.selected), Some(2), "the wheel moves down");
    wheel(&mut a, at, false);
    let at = cell_in(&a, whole(), &second);
    click(&mut a, at);
    let p = a.trace_picker().expect("picker");
    assert_eq!(p.field, field + 1, "a second click takes it and goes on to the next field");
    let taken = p.inputs[field].text.trim();
    assert!(!taken.is_empty() && second.contains(taken), "{taken} taken from {second}");
    let at = cell_in(&a, whole(), "Port:");
    click(&mut a, at);
    assert_eq!(a.trace_picker().map(|p| p.field), Some(3), "a click on a field focuses it");
}

#[test]
fn a_click_on_a_form_pickers_match_picks_it() {
    let mut a = app();
    let id = a.design.route_tables[0].id.clone();
    assert!(a.select_resource(&id));
    a.focus = Pane::Routes;
    press(&mut a, key(KeyCode::Char('a')));
    let f = form(&a);
    let target = f.fields.iter().position(|x| x.key == "target").expect("a target field");
    let Some(Popup::Form(f)) = a.popup_mut() else { panic!("form") };
    f.focus_field(target);
    let options: Vec<String> = f.fields[target].options().iter().map(|o| o.label.clone()).collect();
    let nat = options.iter().find(|o| o.contains("nat")).or(options.last()).expect("an option").clone();
    let at = cell_in(&a, whole(), &nat);
    click(&mut a, at);
    let f = form(&a);
    let picked = f.fields[target].options().iter().find(|o| o.label == nat).expect("option").value.clone();
    assert_eq!(f.fields[target].value(), picked, "the clicked match is the target");

    // The wheel over the matches moves among them; elsewhere in the form, from field to field.
    if options.len() > 1 {
        wheel(&mut a, at, true);
        assert_ne!(form(&a).fields[target].value(), picked, "the wheel takes the next match");
        wheel(&mut a, at, false);
        assert_eq!(form(&a).fields[target].value(), picked, "and back");
    }
    let mut tabbed = form(&a).clone();
    tabbed.next_field();
    let title = cell_in(&a, whole(), &form(&a).title.clone());
    wheel(&mut a, title, true);
    assert_eq!(form(&a).focus, tabbed.focus, "the wheel elsewhere goes to the next field, as Tab does");
    assert_ne!(form(&a).focus, target);
}

#[test]
fn a_planner_subnet_selected_by_click_or_key_shows_its_table_in_the_route_pane() {
    use vpcraft::app::routes::current_table;
    let mut a = app();
    let planner = pane_rect(&mut a, Pane::Planner);
    let vpc = vpcraft::app::planner::current_vpc(&a).expect("a VPC").id.clone();
    let before = current_table(&a).map(|t| t.id.clone());
    let table_of = |a: &App, s: &str| a.design.subnet_route_table(s).map(|t| t.id.clone());
    let subnet = a
        .design
        .vpc_subnets(&vpc)
        .find(|s| table_of(&a, &s.id) != before)
        .expect("a subnet on another table than the one shown")
        .clone();
    let at = cell_in(&a, planner, &format!(" {} ", subnet.name));
    click(&mut a, at);
    assert_eq!(current_table(&a).map(|t| t.id.clone()), table_of(&a, &subnet.id), "a click moves the route pane");
    // The keys do the same: every row the cursor stops on shows its subnet's table.
    let blocks = vpcraft::app::planner::view(&a).expect("blocks").1;
    press(&mut a, key(KeyCode::Home));
    for _ in 0..blocks.len() {
        if let Some(s) = blocks[a.planner.cursor].subnet() {
            assert_eq!(current_table(&a).map(|t| t.id.clone()), table_of(&a, s));
        }
        press(&mut a, key(KeyCode::Down));
    }
}
