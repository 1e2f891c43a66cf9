//! Which keys are live in each mode of the main screen (the focused pane, with or without a
//! lab open), and that no key means two things in one mode.

use crate::harness::{app_on, key, press};
use std::collections::BTreeMap;
use vpcraft::app::input::KeyCode;
use vpcraft::app::keymap::{self, Binding, Layer};
use vpcraft::app::{App, Pane};

/// Every bound key of a mode, with the layers (and what each does) that bind it.
fn bound_keys(a: &App) -> BTreeMap<String, Vec<(Layer, &'static str)>> {
    let mut out: BTreeMap<String, Vec<(Layer, &'static str)>> = BTreeMap::new();
    for layer in keymap::active_layers(a) {
        let table: Vec<&Binding> = if layer == Layer::Lab {
            keymap::lab_bindings(a).collect()
        } else {
            keymap::bindings(layer).iter().collect()
        };
        for b in table.into_iter().filter(|b| !b.help_only) {
            for k in b.keys {
                out.entry(k.label()).or_default().push((layer, b.help));
            }
        }
    }
    out
}

fn focused(pane: Pane, lab: bool) -> App {
    let mut a = app_on(vpcraft::assets::example("endpoint-lab").expect("example"));
    if lab {
        press(&mut a, key(KeyCode::Char('L')));
        press(&mut a, key(KeyCode::Char('1')));
        assert!(a.lab.active.is_some(), "lab 1 starts");
    }
    if pane == Pane::Map {
        press(&mut a, key(KeyCode::Char('5')));
    }
    a.focus = pane;
    a
}

/// Keys bound in two layers on purpose: Esc backs out of the innermost thing first (a handler
/// with nothing to undo passes it on), and `q` leaves a lab before it quits.
const LAYERED: &[&str] = &["Esc", "q"];

const PANES: [Pane; 5] = [Pane::Tree, Pane::Planner, Pane::Routes, Pane::Trace, Pane::Map];

#[test]
fn no_key_means_two_things_in_one_mode() {
    let mut clashes = Vec::new();
    for pane in PANES {
        for lab in [false, true] {
            let a = focused(pane, lab);
            let keys = bound_keys(&a);
            assert!(
                keys.contains_key("V") && keys.contains_key("M"),
                "{pane:?}: the map and reachability keys are live"
            );
            for (k, v) in keys {
                let layers: Vec<Layer> = v.iter().map(|(l, _)| *l).collect();
                if layers.len() > 1 && !LAYERED.contains(&k.as_str()) {
                    clashes.push(format!("{pane:?} (lab open: {lab}): {k} → {v:?}"));
                }
            }
        }
    }
    assert!(clashes.is_empty(), "keys bound twice in one mode:\n{}", clashes.join("\n"));
}

#[test]
fn the_map_key_and_the_reachability_key_reach_their_views_from_every_pane() {
    use vpcraft::app::map::MapMsg;
    use vpcraft::app::msg::Msg;
    use vpcraft::app::reach::ReachMsg;
    for pane in PANES {
        let a = focused(pane, false);
        assert_eq!(keymap::route_key(&a, key(KeyCode::Char('V'))), Some(Msg::Map(MapMsg::Toggle)), "{pane:?}");
        assert_eq!(keymap::route_key(&a, key(KeyCode::Char('5'))), Some(Msg::Focus(Pane::Map)), "{pane:?}");
        assert_eq!(
            keymap::route_key(&a, key(KeyCode::Char('M'))),
            Some(Msg::Reach(ReachMsg::OpenMatrix)),
            "{pane:?}: M stays the reachability view"
        );
    }
}

/// The map's key is in help and in the status bar's hints, wherever the user is.
#[test]
fn help_and_the_status_bar_name_the_map_key() {
    for pane in PANES {
        let a = focused(pane, false);
        let hints = keymap::status_hints(&a);
        assert!(hints.iter().any(|(k, h)| k == "V" && *h == "map"), "{pane:?}: {hints:?}");
    }
    let mut a = focused(Pane::Tree, false);
    press(&mut a, key(KeyCode::Char('?')));
    let text: String = vpcraft::ui::help::lines(&a).iter().map(|l| l.to_string() + "\n").collect();
    assert!(text.contains("topology map: show it beside the tree"), "{text}");
}

/// The lab's keys and the labs key itself reach the lab from every pane: no pane key shadows
/// `L`, `[`, `]`, `c` or `m` (the planner's layout, colouring and VPC keys and the route
/// pane's table and main-table keys have letters of their own).
#[test]
fn the_lab_keys_reach_the_lab_from_every_pane() {
    use vpcraft::app::lab::LabMsg;
    use vpcraft::app::msg::Msg;
    for pane in PANES {
        let a = focused(pane, false);
        assert_eq!(keymap::route_key(&a, key(KeyCode::Char('L'))), Some(Msg::Lab(LabMsg::Open)), "{pane:?}: L");
        let a = focused(pane, true);
        for (c, m) in [('[', LabMsg::Prev), (']', LabMsg::Next), ('c', LabMsg::Check), ('m', LabMsg::ShowMe)] {
            assert_eq!(keymap::route_key(&a, key(KeyCode::Char(c))), Some(Msg::Lab(m)), "{pane:?}: {c}");
        }
        let hints = keymap::status_hints(&a);
        for k in ["]", "c", "m"] {
            assert!(hints.iter().any(|(h, _)| h == k), "{pane:?}: the status bar offers {k}: {hints:?}");
        }
    }
}
