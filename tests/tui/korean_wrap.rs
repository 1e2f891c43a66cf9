//! Issue 16 item 9: "Korean lines wrap by display width and never overwrite borders". At every
//! width from 60 to 100 columns (odd and even), in Korean: the lab panel, the trace's steps
//! and details, the status bar and help keep every border of the screen whole; snapshots at a
//! narrow 64×34.

use ratatui::buffer::Buffer;
use vpcraft::app::input::KeyCode;

use crate::harness::{self, app, press};

/// The panes' borders (single, rounded, thick and double lines).
const PANES: Borders = (&["╮", "┐", "┓", "╗"], &["│", "┃", "┤", "┫", "┼", "╋", "║"], &["╯", "┘", "┛", "╝"]);
/// A popup's border (double lines), drawn over the panes.
const POPUP: Borders = (&["╗"], &["║"], &["╝"]);
/// Top-right corners, right sides and bottom-right corners.
type Borders = (&'static [&'static str], &'static [&'static str], &'static [&'static str]);

/// Every box's right border, from its top-right corner down to its bottom-right corner, is
/// still a border in every row: a wide character drawn over it would show there.
fn borders_whole(buf: &Buffer, w: u16, h: u16, (corners, sides, ends): Borders) -> Result<(), String> {
    let cell = |x: u16, y: u16| buf[(x, y)].symbol().to_string();
    for y0 in 0..h {
        for x in 0..w {
            if !corners.contains(&cell(x, y0).as_str()) {
                continue;
            }
            for y in y0 + 1..h {
                match cell(x, y).as_str() {
                    c if ends.contains(&c) => break,
                    c if sides.contains(&c) => {}
                    other => {
                        let row: String = (0..w).map(|x| cell(x, y)).collect();
                        return Err(format!(
                            "the border at column {x} (corner on row {y0}) is {other:?} on row {y}:\n{row}"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Lab 3 in Korean, at its second step (the narration of the drop), the trace zoomed out.
fn lab_in_korean() -> vpcraft::app::App {
    let mut a = app();
    press(&mut a, KeyCode::Char('L'));
    press(&mut a, KeyCode::Char('3'));
    press(&mut a, KeyCode::Char(']'));
    press(&mut a, KeyCode::Char('K'));
    a
}

#[test]
fn korean_never_draws_over_a_border_at_any_width() {
    let a = lab_in_korean();
    let mut h = lab_in_korean();
    press(&mut h, KeyCode::Char('?'));
    for w in 60..=100u16 {
        for (what, app, borders) in [("lab", &a, PANES), ("help", &h, POPUP)] {
            let t = harness::draw(app, w, 34);
            let buf = t.backend().buffer().clone();
            if let Err(e) = borders_whole(&buf, w, 34, borders) {
                panic!("{what} at {w}×34: {e}\n{}", t.backend());
            }
        }
    }
}

#[test]
fn snapshot_lab_panel_korean_narrow() {
    let a = lab_in_korean();
    let t = harness::draw(&a, 64, 34);
    assert!(borders_whole(t.backend().buffer(), 64, 34, PANES).is_ok(), "{}", t.backend());
    insta::assert_snapshot!(t.backend().to_string());
}

#[test]
fn snapshot_trace_steps_korean_narrow() {
    let mut a = lab_in_korean();
    press(&mut a, KeyCode::Char('4'));
    press(&mut a, KeyCode::Char('z'));
    for _ in 0..4 {
        press(&mut a, KeyCode::Right);
    }
    let t = harness::draw(&a, 64, 34);
    assert!(borders_whole(t.backend().buffer(), 64, 34, PANES).is_ok(), "{}", t.backend());
    insta::assert_snapshot!(t.backend().to_string());
}

#[test]
fn snapshot_help_korean_narrow() {
    let mut a = lab_in_korean();
    press(&mut a, KeyCode::Char('?'));
    let t = harness::draw(&a, 64, 34);
    assert!(borders_whole(t.backend().buffer(), 64, 34, POPUP).is_ok(), "{}", t.backend());
    insta::assert_snapshot!(t.backend().to_string());
}
