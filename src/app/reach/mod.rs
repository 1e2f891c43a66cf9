//! Whole-network answers in the app: the reachability view (the matrix as a grid, a port
//! selector, the deciding hop of the cell under the cursor, Enter plays its trace), the audit
//! list (every finding of `check` and `audit`, Enter jumps to the resource) and the what-if
//! (after each edit the status bar says which flows it opened and closed; `D` lists them).
//!
//! Everything slow runs beside the UI (`job`): keys never wait for a matrix. The app reaches
//! this module through three hooks: [`ReachState::design_changed`] after every change of the
//! design, [`tick`] on every tick, and the keys of [`Layer::Reach`](crate::app::keymap::Layer).

mod job;
pub mod lists;
pub mod matrix;
pub mod snapshot;
pub mod whatif;

use super::trace_view::{self, Spec};
use super::{App, Pane};
use crate::l10n::{ui, uif, Lang};
use lists::{AuditList, FlowList};
use matrix::MatrixView;
use std::time::Duration;
use whatif::WhatIf;

/// A message of the reachability view, the audit list or the what-if list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReachMsg {
    /// Open the reachability view.
    OpenMatrix,
    /// Open the audit list.
    OpenAudit,
    /// Open the list of flows the last edit opened or closed.
    OpenFlows,
    Up,
    Down,
    Left,
    Right,
    First,
    Last,
    PageUp,
    PageDown,
    /// The next (+1) or previous (-1) protocol and port.
    Port(i8),
    /// Show the other address family's flows (IPv4 ⇄ IPv6).
    Family,
    /// Open the cell's or flow's trace, or jump to the finding's resource.
    Enter,
    Close,
}

/// The overlay shown on top of the panes: a layer of the modal stack ([`super::Modal::Reach`]).
#[derive(Debug)]
pub enum Overlay {
    Matrix(MatrixView),
    Audit(AuditList),
    Flows(FlowList),
}

/// The state of the whole-network views.
#[derive(Debug, Default)]
pub struct ReachState {
    pub whatif: WhatIf,
    /// Where the reachability view was when it closed (port choice, row, column): it opens
    /// there again.
    pub last_cell: (usize, usize, usize),
    /// The family it showed when it closed.
    pub last_family: crate::sim::reach::Family,
}

impl ReachState {
    /// Hook: the design is now at revision `rev` (after an edit, undo, redo or open), by a
    /// change of the resources in `touched` (`None`: anything may have changed).
    pub fn design_changed(&mut self, d: &crate::model::Design, rev: u64, touched: Option<&[crate::model::Id]>) {
        self.whatif.touched(touched);
        self.whatif.changed(d, rev);
    }

    /// Hook: another design replaced this one; nothing computed about the old one holds (the
    /// caller closes the overlay).
    pub fn reset(&mut self) {
        self.last_cell = (0, 0, 0);
        self.last_family = crate::sim::reach::Family::default();
        self.whatif.reset();
    }

    /// What the status bar shows while something is being computed (`overlay`: the open one).
    pub fn progress(&self, lang: Lang, overlay: Option<&Overlay>) -> Option<String> {
        let secs = |d: Duration| format!("{:.1} s", d.as_secs_f64());
        if let Some(Overlay::Matrix(v)) = overlay {
            if let Some(d) = v.running() {
                return Some(uif(lang, "computing the matrix… {secs}", &[("secs", &secs(d))]));
            }
        }
        if let Some(Overlay::Audit(a)) = overlay {
            if let Some(d) = a.running() {
                return Some(uif(lang, "auditing… {secs}", &[("secs", &secs(d))]));
            }
        }
        // What the job computes is one of the what-if job's names ("the reachability matrix",
        // "what-if"), said through the catalogue.
        let (what, d) = self.whatif.running()?;
        Some(uif(lang, "computing {what}… {secs}", &[("what", &ui(lang, what)), ("secs", &secs(d))]))
    }
}

/// Rows a page key moves.
const PAGE: isize = 10;

/// Hook: time passes. Collect what the background finished; a finished what-if puts its
/// summary in the status bar.
pub fn tick(app: &mut App) {
    if let Some(report) = app.reach.whatif.poll() {
        announce(app, &report);
    }
    let lang = app.lang();
    let (rev, r) = (app.rev, &mut app.reach);
    match app.modals.reach_mut() {
        Some(Overlay::Matrix(v)) => {
            v.poll(lang);
            v.ensure(&app.design, rev, &mut r.whatif);
        }
        Some(Overlay::Audit(a)) => a.poll(),
        _ => {}
    }
}

/// Wait for everything running in the background, then collect it as [`tick`] does (tests).
pub fn finish(app: &mut App, limit: Duration) {
    if let Some(report) = app.reach.whatif.finish(limit) {
        announce(app, &report);
    }
    let lang = app.lang();
    let (rev, r) = (app.rev, &mut app.reach);
    match app.modals.reach_mut() {
        Some(Overlay::Matrix(v)) => {
            v.ensure(&app.design, rev, &mut r.whatif);
            v.finish(limit, lang);
        }
        Some(Overlay::Audit(a)) => a.finish(limit),
        _ => {}
    }
}

/// "opened 2 flows, closed 1 — D to see them", after what the status bar said about the edit.
fn announce(app: &mut App, report: &whatif::FlowReport) {
    let Some(summary) = report.summary_in(app.lang()) else { return };
    let line = crate::l10n::uif(app.lang(), "what-if: {summary} — D to see them", &[("summary", &summary)]);
    let text = match &app.status {
        Some(s) if !s.whatif => format!("{} · {line}", s.text),
        _ => line,
    };
    app.info(text);
    if let Some(s) = app.status.as_mut() {
        s.whatif = true;
    }
}

/// Apply a message.
pub fn update(app: &mut App, m: ReachMsg) {
    match m {
        ReachMsg::OpenMatrix => {
            let (choice, row, col) = app.reach.last_cell;
            let mut v = MatrixView::at(choice, row, col);
            v.family = app.reach.last_family;
            v.ensure(&app.design, app.rev, &mut app.reach.whatif);
            app.modals.set_reach(Overlay::Matrix(v));
            return;
        }
        ReachMsg::OpenAudit => {
            app.modals.set_reach(Overlay::Audit(AuditList::new(&app.design, app.rev, &app.derived.findings)));
            return;
        }
        ReachMsg::OpenFlows => {
            if app.reach.whatif.last.is_none() {
                let why = crate::l10n::ui(
                    app.lang(),
                    if app.reach.whatif.enabled {
                        "no edit compared yet: the what-if lists the flows an edit opens or closes"
                    } else {
                        "the what-if is off"
                    },
                );
                app.info(why);
                return;
            }
            app.modals.set_reach(Overlay::Flows(FlowList::default()));
            return;
        }
        ReachMsg::Close => {
            close(app);
            return;
        }
        _ => {}
    }
    let flows = app.reach.whatif.last.as_ref().map_or(0, |r| r.len());
    let (rev, r) = (app.rev, &mut app.reach);
    let (dr, dc): (isize, isize) = match m {
        ReachMsg::Up => (-1, 0),
        ReachMsg::Down => (1, 0),
        ReachMsg::Left => (0, -1),
        ReachMsg::Right => (0, 1),
        ReachMsg::PageUp => (-PAGE, 0),
        ReachMsg::PageDown => (PAGE, 0),
        ReachMsg::First => (-isize::MAX / 2, -isize::MAX / 2),
        ReachMsg::Last => (isize::MAX / 2, isize::MAX / 2),
        _ => (0, 0),
    };
    match (app.modals.reach_mut(), m) {
        (Some(Overlay::Matrix(v)), ReachMsg::Port(d)) => {
            v.cycle(isize::from(d));
            v.ensure(&app.design, rev, &mut r.whatif);
        }
        (Some(Overlay::Matrix(v)), ReachMsg::Family) => {
            v.toggle_family();
            v.ensure(&app.design, rev, &mut r.whatif);
        }
        (Some(Overlay::Matrix(_)), ReachMsg::Enter) => enter_cell(app),
        (Some(Overlay::Matrix(v)), _) => v.move_by(dr, dc),
        (Some(Overlay::Audit(_)), ReachMsg::Enter) => enter_finding(app),
        (Some(Overlay::Audit(a)), _) => a.move_by(if dr == 0 { dc } else { dr }),
        (Some(Overlay::Flows(_)), ReachMsg::Enter) => enter_flow(app),
        (Some(Overlay::Flows(l)), _) => l.move_by(if dr == 0 { dc } else { dr }, flows),
        (None, _) => {}
    }
}

/// Close the overlay (the reachability view remembers its port and cell).
fn close(app: &mut App) {
    if let Some(Overlay::Matrix(v)) = app.modals.take_reach() {
        app.reach.last_cell = (v.choice, v.row, v.col);
        app.reach.last_family = v.family;
    }
}

/// Play a trace in the trace pane, closing the overlay.
fn play(app: &mut App, spec: Spec) {
    match trace_view::run(app, spec) {
        Ok(()) => {
            close(app);
            app.focus = Pane::Trace;
        }
        Err(e) => app.error(crate::l10n::uif(app.lang(), "not traced: {e}", &[("e", &e)])),
    }
}

fn enter_cell(app: &mut App) {
    let Some(Overlay::Matrix(v)) = app.modals.reach() else { return };
    if v.current().is_some_and(|(_, _, c)| c.is_not_applicable()) {
        app.error(crate::l10n::ui(app.lang(), "not applicable: a subnet of this cell has no IPv6 block"));
        return;
    }
    match v.spec() {
        Some(spec) => play(app, spec),
        None => app.error(crate::l10n::ui(app.lang(), "the matrix is not ready yet")),
    }
}

fn enter_flow(app: &mut App) {
    let Some(Overlay::Flows(l)) = app.modals.reach() else { return };
    let Some(report) = &app.reach.whatif.last else { return };
    let Some((_, f, (from, to))) = report.flow(l.selected) else { return };
    let spec = lists::flow_spec_between(f, from, to);
    play(app, spec);
}

fn enter_finding(app: &mut App) {
    let Some(Overlay::Audit(a)) = app.modals.reach() else { return };
    let Some(id) = a.current().and_then(|e| e.resource.clone()) else {
        app.error(crate::l10n::ui(app.lang(), "this finding names no resource"));
        return;
    };
    let mut target = id.clone();
    if !app.tree.select_resource(&app.design, &target) {
        // An interface may be shown under its instance.
        if let Some(i) = app.design.network_interface(&target).and_then(|e| e.instance.clone()) {
            target = i;
        }
        if !app.tree.select_resource(&app.design, &target) {
            app.error(crate::l10n::uif(app.lang(), "{id} is not shown in the tree (check the filter)", &[("id", &id)]));
            return;
        }
    }
    app.modals.take_reach();
    app.focus = Pane::Tree;
    let name = app.design.find(&target).map_or_else(|| target.clone(), |r| r.display_name());
    app.info(crate::l10n::uif(app.lang(), "selected {name}", &[("name", &name)]));
}
