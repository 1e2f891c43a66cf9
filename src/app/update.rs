//! `update(&mut App, Msg)`: the only place the app's state changes.

use super::files;
use super::forms::kinds;
use super::forms::{self, LineInput};
use super::input::Position;
use super::msg::{ConfirmMsg, FilterMsg, FormMsg, Handled, ListMsg, Msg, TreeMsg};
use super::tree::NodeRef;
use super::{App, Confirm, Pane, Pending, Popup, Source};
use crate::l10n::{ui, uif};
use crate::model::edit::Strength;
use crate::model::ops::{Direction, Op, OpErrorKind, Ref};
use std::time::{Duration, Instant};

/// How long a status message stays.
pub const STATUS_TIMEOUT: Duration = Duration::from_secs(6);

/// Offer the messages a key means (see [`super::keymap::route_keys`]) in turn until one is
/// handled.
pub fn dispatch(app: &mut App, msgs: Vec<Msg>) -> Handled {
    for m in msgs {
        if update(app, m) == Handled::Yes {
            return Handled::Yes;
        }
    }
    Handled::No
}

/// Apply one message; [`Handled::No`] when it meant nothing where it went (the planner's Esc
/// with no preview to discard), so the key may go on to the next layer. Then bring the
/// topology map's picture, scope and selection up to date with what the message changed.
pub fn update(app: &mut App, msg: Msg) -> Handled {
    let handled = handle(app, msg);
    super::map::sync(app);
    handled
}

fn handle(app: &mut App, msg: Msg) -> Handled {
    match msg {
        Msg::Tick => tick(app, Instant::now()),
        Msg::Resize(..) => {}
        Msg::Paste(text) => {
            let Some(to) = super::keymap::paste_target(app) else { return Handled::No };
            for c in super::keymap::pasted_line(&text) {
                update(app, to(super::msg::InputMsg::Char(c)));
            }
        }
        Msg::Click(pane, at) => click(app, pane, at),
        Msg::PopupClick(hit) => popup_click(app, hit),
        Msg::RowClick(hit) => row_click(app, hit),
        Msg::Viewport(v) => app.viewport = v,
        Msg::Quit => quit(app),
        // With the map shown, the tree and the map are the panes.
        Msg::FocusNext | Msg::FocusPrev if app.map.shown => {
            app.focus = if app.focus == Pane::Map { Pane::Tree } else { Pane::Map };
        }
        Msg::FocusNext => app.focus = app.focus.next(),
        Msg::FocusPrev => app.focus = app.focus.prev(),
        Msg::Focus(p) => {
            // The map comes up in place of the planner, routes and trace panes; focusing one
            // of those puts them back (see `map::sync`).
            if p == Pane::Map {
                app.map.shown = true;
            }
            app.focus = p;
        }
        Msg::ToggleZoom => app.zoom = !app.zoom,
        Msg::Escape => {
            if app.zoom {
                app.zoom = false;
            } else if !app.tree.filter.is_empty() {
                app.tree.filter_cursor = 0;
                app.tree.set_filter(&app.design, String::new());
            }
        }
        Msg::ShowHelp => app.set_help(0),
        Msg::CloseHelp => app.close_help(),
        Msg::HelpScroll(d) => {
            // Clamped to what the last frame could show, so scrolling back up after the end
            // moves at once.
            let max = i32::from(app.viewport.help_max_scroll.unwrap_or(500));
            if let Some(h) = app.help_mut() {
                *h = (i32::from(*h) + i32::from(d)).clamp(0, max) as u16;
            }
        }
        Msg::NextTheme => app.next_theme(),
        Msg::Undo => undo(app),
        Msg::Redo => redo(app),
        Msg::Save => save(app),
        Msg::SaveAs => open_save_as(app),
        Msg::Open => {
            if app.allow_io {
                app.set_popup(Popup::Picker(files::new_picker()));
            } else {
                app.error(crate::l10n::ui(app.lang(), "file access is off"));
            }
        }
        Msg::NewDesign => {
            if app.allow_io {
                let f = super::new_design::open(app);
                app.set_popup(Popup::Form(f));
            } else {
                app.error(crate::l10n::ui(app.lang(), "file access is off"));
            }
        }
        Msg::Trace => open_trace(app),
        Msg::Scroll(p, d) => scroll(app, p, d),
        Msg::Tree(t) => tree_msg(app, t),
        Msg::Filter(f) => filter_msg(app, f),
        Msg::Form(f) => form_msg(app, f),
        Msg::List(l) => list_msg(app, l),
        Msg::Confirm(c) => confirm_msg(app, c),
        Msg::TraceView(m) => super::trace_view::update(app, m),
        Msg::Lab(m) => super::lab::update(app, m),
        Msg::Planner(m) => return super::planner::update(app, m),
        Msg::Routes(m) => return super::routes::update(app, m),
        Msg::Reach(m) => super::reach::update(app, m),
        Msg::Map(m) => super::map::update(app, m),
    }
    Handled::Yes
}

fn tick(app: &mut App, now: Instant) {
    if app.status.as_ref().is_some_and(|s| now.duration_since(s.at) > STATUS_TIMEOUT) {
        app.status = None;
    }
    files::autosave_tick(app, now);
    if let Some(d) = app.checker.tick(&app.design, app.rev, now) {
        app.set_derived(d);
    }
    app.trace_view.tick(now);
    super::reach::tick(app);
}

fn scroll(app: &mut App, p: Pane, d: i16) {
    if p == Pane::Tree {
        let height = usize::from(app.viewport.tree_rows.height);
        app.tree.scroll(isize::from(d), height);
        return;
    }
    if p == Pane::Map {
        return super::map::update(app, super::map::MapMsg::Pan(0, d));
    }
    // The planner's and the route pane's tables scroll with their selection (it stays in
    // view); the wheel does not move the focus.
    if p == Pane::Planner || p == Pane::Routes {
        let focus = app.focus;
        let _ = match p {
            Pane::Planner => super::planner::update(app, super::planner::PlannerMsg::Scroll(d)),
            _ => super::routes::update(app, super::routes::RoutesMsg::Scroll(d)),
        };
        app.focus = focus;
        return;
    }
    if let Some(s) = app.scroll.get_mut(p.index()) {
        *s = (i32::from(*s) + i32::from(d)).clamp(0, i32::from(u16::MAX)) as u16;
    }
}

/// A click focuses the pane; in the tree's rows it selects the row (or toggles it when it is
/// selected already).
fn click(app: &mut App, pane: Pane, at: Position) {
    if app.modals.cover_panes() || app.modals.reach().is_some() {
        return;
    }
    if pane == Pane::Map {
        return super::map::update(app, super::map::MapMsg::Click(at));
    }
    app.focus = pane;
    let rows = app.viewport.tree_rows;
    if pane == Pane::Tree && rows.contains(at) {
        let row = app.tree.shown_offset(usize::from(rows.height)) + usize::from(at.y - rows.y);
        app.tree.click_row(&app.design, row);
    }
}

/// A click on a row of a pane's table, the lab panel or a picker: the row is selected, and a
/// click on the selected row does what Enter does there (the planner selects the subnet in the
/// tree, the route pane edits the route or ticks the subnet, a picker takes the candidate or
/// starts the lab); a click on a lab trace plays it.
fn row_click(app: &mut App, hit: super::RowHit) {
    use super::lab::LabMsg;
    use super::planner::PlannerMsg;
    use super::routes::RoutesMsg;
    use super::trace_view::TraceMsg;
    use super::RowHit;
    match hit {
        RowHit::Planner(i) => {
            let again = app.focus == Pane::Planner && app.planner.cursor == i;
            let _ = super::planner::update(app, if again { PlannerMsg::Activate } else { PlannerMsg::Select(i) });
        }
        RowHit::Routes(i) => {
            let cur = if app.routes.associations { app.routes.assoc_cursor } else { app.routes.cursor };
            let again = app.focus == Pane::Routes && cur == i;
            let m = match (again, app.routes.associations) {
                (false, _) => RoutesMsg::Select(i),
                (true, true) => RoutesMsg::ToggleAssociation,
                (true, false) => RoutesMsg::Edit,
            };
            let _ = super::routes::update(app, m);
        }
        RowHit::LabTrace(i) => super::lab::update(app, LabMsg::PlayTrace(i)),
        RowHit::TraceField(i) => super::trace_view::update(app, TraceMsg::PickerField(i)),
        RowHit::TraceCandidate(i) => {
            let again = app.trace_picker().is_some_and(|p| p.selected == i);
            match app.trace_picker_mut() {
                Some(_) if again => super::trace_view::update(app, TraceMsg::PickerEnter),
                Some(p) => {
                    p.selected = i;
                    p.picked = true;
                }
                None => {}
            }
        }
        RowHit::ReachFamily => super::reach::update(app, super::reach::ReachMsg::Family),
        RowHit::Lab(i) => match app.lab_picker_mut() {
            Some(p) if p.selected == i => super::lab::update(app, LabMsg::PickerSelect),
            Some(p) => p.selected = i.min(p.labs.len().saturating_sub(1)),
            None => {}
        },
    }
}

/// A click on a popup's row: a list item is selected (a click on the selected one opens it), a
/// form's field gets the focus.
fn popup_click(app: &mut App, hit: super::PopupHit) {
    use super::PopupHit;
    let open = match (app.modals.popup_mut(), hit) {
        (Some(Popup::Menu(m)), PopupHit::Item(i)) if i < m.items.len() => std::mem::replace(&mut m.selected, i) == i,
        (Some(Popup::Picker(p)), PopupHit::Item(i)) => std::mem::replace(&mut p.selected, i) == i,
        (Some(Popup::Form(f)), PopupHit::Option(row)) => {
            if let Some(key) = f.pick_match(row) {
                f.changed(key, &app.design);
            }
            false
        }
        (Some(Popup::Form(f)), PopupHit::Field(i)) => {
            if f.fields.get(i).is_some_and(|x| !x.locked) {
                if let Some(x) = f.fields.get_mut(f.focus) {
                    x.touched = true;
                }
                f.focus_field(i);
                f.validate(&app.design);
            }
            false
        }
        _ => false,
    };
    if open {
        list_msg(app, ListMsg::Select);
    }
}

fn quit(app: &mut App) {
    if app.dirty() {
        app.set_popup(Popup::Confirm(Confirm {
            title: crate::l10n::ui(app.lang(), "Unsaved changes"),
            lines: vec![crate::l10n::uif(
                app.lang(),
                "{file_label} has changes that are not saved.",
                &[("file_label", &app.file_label())],
            )],
            pending: Pending::Quit,
            offer_save: true,
        }));
    } else {
        app.should_quit = true;
    }
}

fn undo(app: &mut App) {
    match app.undo_step() {
        Some(what) => app.info(crate::l10n::uif(app.lang(), "undid: {what}", &[("what", &what)])),
        None => app.info(crate::l10n::ui(app.lang(), "nothing to undo")),
    }
}

fn redo(app: &mut App) {
    match app.redo_step() {
        Some(what) => app.info(crate::l10n::uif(app.lang(), "redid: {what}", &[("what", &what)])),
        None => app.info(crate::l10n::ui(app.lang(), "nothing to redo")),
    }
}

fn save(app: &mut App) {
    save_answered(app, files::SaveAnswers::default());
}

/// Save to the design's file; what needs the user (the file changed on disk, is read-only, the
/// save failed) becomes a question that stays until answered.
fn save_answered(app: &mut App, answers: files::SaveAnswers) {
    use crate::io::save::SaveError;
    let Some(p) = app.path.clone() else { return open_save_as(app) };
    match files::save_to(app, p.clone(), answers) {
        Ok(()) => {
            if app.quit_after_save {
                app.should_quit = true;
            }
        }
        Err(SaveError::Changed(_)) => {
            let lang = app.lang();
            let title = crate::l10n::ui(lang, "Changed on disk");
            let line = crate::l10n::uif(
                lang,
                "{path} was changed by another program since it was read.",
                &[("path", &p.display())],
            );
            ask(app, &title, vec![line], Pending::Changed(p))
        }
        Err(SaveError::ReadOnly(_)) => ask_read_only(app, p, None),
        Err(e) => save_failed(app, &e.to_string()),
    }
}

fn ask(app: &mut App, title: &str, lines: Vec<String>, pending: Pending) {
    app.set_popup(Popup::Confirm(Confirm { title: title.into(), lines, pending, offer_save: false }));
}

fn ask_read_only(app: &mut App, path: std::path::PathBuf, form: Option<Box<forms::Form>>) {
    let lang = app.lang();
    let lines = vec![crate::l10n::uif(lang, "{path} is read-only.", &[("path", &path.display())])];
    ask(app, &crate::l10n::ui(lang, "Read-only file"), lines, Pending::ReadOnly(path, form));
}

/// An explicit save failed: say so until the user dismisses it; the design stays unsaved and
/// its recovery file is brought up to date.
fn save_failed(app: &mut App, e: &str) {
    app.quit_after_save = false;
    files::refresh_recovery(app);
    let lang = app.lang();
    let lines = vec![
        crate::l10n::uif(lang, "Not saved: {e}", &[("e", &e)]),
        crate::l10n::ui(lang, "The design is still unsaved; the recovery file keeps it when it can be written."),
    ];
    ask(app, &crate::l10n::ui(lang, "Save failed"), lines, Pending::SaveFailed);
}

/// The trace picker, starting from the selected instance, interface, NAT gateway, endpoint or
/// load balancer (or the first instance of the design).
fn open_trace(app: &mut App) {
    super::trace_view::open_picker(app, true);
}

fn open_save_as(app: &mut App) {
    let suggestion = files::suggested_path(app);
    let mut form = kinds::SaveAsForm::open(&suggestion);
    form.validate(&app.design);
    app.set_popup(Popup::Form(form));
}

// ---------------------------------------------------------------------------------------------
// The tree.

fn tree_msg(app: &mut App, m: TreeMsg) {
    app.focus = Pane::Tree;
    // The window the rows were shown in: moves start from what was on screen.
    let height = usize::from(app.viewport.tree_rows.height);
    app.tree.offset = app.tree.shown_offset(height);
    let page = height.max(2) as isize - 1;
    let d = &app.design;
    match m {
        TreeMsg::Up => app.tree.move_by(-1),
        TreeMsg::Down => app.tree.move_by(1),
        TreeMsg::PageUp => app.tree.move_by(-page),
        TreeMsg::PageDown => app.tree.move_by(page),
        TreeMsg::Left => app.tree.left(),
        TreeMsg::Right => app.tree.right(d),
        TreeMsg::Toggle => app.tree.toggle(d),
        TreeMsg::First => app.tree.first(),
        TreeMsg::Last => app.tree.last(),
        TreeMsg::ExpandAll => app.tree.expand_all(d),
        TreeMsg::CollapseAll => app.tree.collapse_all(),
        TreeMsg::Activate => match app.selected_node() {
            Some(
                NodeRef::Resource { .. } | NodeRef::Route { .. } | NodeRef::SgRule { .. } | NodeRef::NaclEntry { .. },
            ) => edit_selected(app),
            _ => app.tree.toggle(&app.design),
        },
        TreeMsg::Edit => edit_selected(app),
        TreeMsg::Add => open_add_menu(app),
        TreeMsg::Delete => delete_selected(app),
        TreeMsg::StartFilter => {
            app.set_filter_editing(true);
            app.tree.filter_cursor = app.tree.filter.chars().count();
            app.tree.filter_fresh = !app.tree.filter.is_empty();
        }
        TreeMsg::ClearFilter => {
            app.tree.filter_cursor = 0;
            app.tree.set_filter(&app.design, String::new());
        }
    }
}

fn filter_msg(app: &mut App, m: FilterMsg) {
    match m {
        FilterMsg::Input(i) => {
            let mut li = LineInput { text: app.tree.filter.clone(), cursor: app.tree.filter_cursor };
            // A kept filter reopened with `/`: the first printable key starts a new one.
            if std::mem::take(&mut app.tree.filter_fresh) && matches!(i, super::msg::InputMsg::Char(_)) {
                li = LineInput::default();
            }
            let changed = li.apply(i) || li.text != app.tree.filter;
            app.tree.filter_cursor = li.cursor;
            if changed {
                app.tree.set_filter(&app.design, li.text);
            }
        }
        FilterMsg::Accept => {
            // Enter goes to the match: the first row the filter found becomes the selection.
            // With none, the filter stays open (closing it would leave an empty tree).
            if app.tree.select_first_match() || app.tree.filter.trim().is_empty() {
                app.set_filter_editing(false);
            } else {
                let f = app.tree.filter.clone();
                app.error(crate::l10n::uif(
                    app.lang(),
                    "nothing matches '{f}': change it, or Esc drops the filter",
                    &[("f", &f)],
                ));
            }
        }
        FilterMsg::Cancel => {
            app.set_filter_editing(false);
            app.tree.filter_cursor = 0;
            app.tree.set_filter(&app.design, String::new());
        }
    }
}

/// The edit form of the tree's selection: the one way a resource's form opens (the tree's
/// Enter and `e`, the map's Enter).
pub(super) fn edit_selected(app: &mut App) {
    let Some(node) = app.selected_node().cloned() else { return };
    match kinds::edit_form(&node, &app.design) {
        Ok(form) => app.set_popup(Popup::Form(form)),
        Err(e) => app.error(e),
    }
}

fn open_add_menu(app: &mut App) {
    super::add_menu::open(app);
}

fn delete_selected(app: &mut App) {
    let Some(node) = app.selected_node().cloned() else { return };
    let lang = app.lang();
    let d = &app.design;
    let (op, done) = match &node {
        NodeRef::Resource { id, .. } => (Op::Delete { resource: Ref::id(id), cascade: false }, None),
        NodeRef::Route { rtb, index } => {
            let Some((rt, r)) = d.route_table(rtb).and_then(|t| t.routes.get(*index).map(|r| (t, r))) else { return };
            let done = crate::l10n::uif(
                lang,
                "deleted route {destination} → {target} from {rt}",
                &[("destination", &r.destination), ("target", &r.target), ("rt", &rt.name)],
            );
            (Op::DeleteRoute { table: Ref::id(rtb), destination: r.destination.clone() }, Some(done))
        }
        NodeRef::SgRule { sg, egress, index } => {
            let group = d.security_group(sg).map(|g| g.name.clone()).unwrap_or_default();
            let done = crate::l10n::uif(lang, "deleted a rule of {group}", &[("group", &group)]);
            (Op::DeleteSgRule { group: Ref::id(sg), direction: Direction::of(*egress), index: *index }, Some(done))
        }
        NodeRef::NaclEntry { acl, index } => {
            let a = d.network_acl(acl);
            let n = a.and_then(|a| a.entries.get(*index)).map(|e| e.rule_number).unwrap_or_default();
            let acl_name = a.map(|a| a.name.clone()).unwrap_or_default();
            let done = crate::l10n::uif(lang, "deleted entry {n} of {acl}", &[("n", &n), ("acl", &acl_name)]);
            (Op::DeleteNaclEntry { acl: Ref::id(acl), index: *index }, Some(done))
        }
        _ => return app.error(crate::l10n::ui(app.lang(), "select a resource, route, rule or entry to delete")),
    };
    let what = match &node {
        NodeRef::Resource { id, .. } => crate::l10n::uif(app.lang(), "delete {id}", &[("id", id)]),
        _ => crate::l10n::ui(app.lang(), "delete"),
    };
    match app.apply(&what, vec![op]) {
        Ok(applied) => match done {
            Some(m) => app.info(m),
            None => {
                app.info(crate::l10n::uif(app.lang(), "deleted {x}", &[("x", &(removed(app, &applied).join(", ")))]))
            }
        },
        Err(e) => match e.kind {
            OpErrorKind::Referenced { id, by } => ask_delete(app, id, &by),
            _ => app.error(crate::l10n::uif(app.lang(), "not deleted: {e}", &[("e", &e)])),
        },
    }
}

/// The resources a delete removed.
fn removed(app: &App, applied: &[crate::model::ops::Applied]) -> Vec<String> {
    applied.iter().flat_map(|a| a.touched.iter()).filter(|x| app.design.find(x).is_none()).cloned().collect()
}

/// Ask before deleting a resource others refer to (a cascading delete).
fn ask_delete(app: &mut App, id: String, by: &[crate::model::Reference]) {
    let name = app.design.find(&id).map(|r| r.display_name()).unwrap_or_else(|| id.clone());
    let lang = app.lang();
    let n = by.len();
    let mut lines = vec![match n {
        1 => uif(lang, "{name} is referenced by 1 link:", &[("name", &name)]),
        _ => uif(lang, "{name} is referenced by {n} links:", &[("name", &name), ("n", &n)]),
    }];
    for r in by.iter().take(8) {
        let what = ui(lang, if r.strength == Strength::Owner { "deleted with it" } else { "unlinked" });
        lines.push(format!("  {} {} ({}): {what}", ui(lang, r.from_kind.label()), r.from, ui(lang, &r.field)));
    }
    if by.len() > 8 {
        lines.push(uif(lang, "  … and {n} more", &[("n", &(n - 8))]));
    }
    lines.push(ui(lang, "Routes to it become blackhole (R6). Undo brings everything back."));
    app.set_popup(Popup::Confirm(Confirm {
        title: crate::l10n::uif(app.lang(), "Delete {name}?", &[("name", &name)]),
        lines,
        pending: Pending::Delete(id),
        offer_save: false,
    }));
}

// ---------------------------------------------------------------------------------------------
// Popups.

fn form_msg(app: &mut App, m: FormMsg) {
    let lang = app.lang();
    let Some(Popup::Form(form)) = app.modals.popup_mut() else { return };
    match m {
        FormMsg::Input(i) => {
            if let Some(key) = form.input(i, lang) {
                form.changed(key, &app.design);
            }
        }
        FormMsg::Cycle(dir) => {
            if let Some(key) = form.cycle(dir) {
                form.changed(key, &app.design);
            }
        }
        FormMsg::Toggle => {
            if let Some(f) = form.fields.get_mut(form.focus).filter(|f| !f.locked) {
                match f.toggle() {
                    Ok(true) => {
                        f.touched = true;
                        let key = f.key;
                        form.changed(key, &app.design);
                    }
                    Ok(false) => {}
                    Err(e) => form.message = Some(e),
                }
            }
        }
        FormMsg::NextField => {
            form.next_field();
            form.validate(&app.design);
        }
        FormMsg::PrevField => {
            form.prev_field();
            form.validate(&app.design);
        }
        FormMsg::Cancel => app.close_popup(),
        FormMsg::Submit => submit(app),
    }
}

fn submit(app: &mut App) {
    let Some(Popup::Form(mut form)) = app.take_popup() else { return };
    if !form.check_for_submit(&app.design, app.lang()) {
        app.set_popup(Popup::Form(form));
        return;
    }
    let spec = form.spec.0;
    spec.submit(app, form);
}

/// Submit the "save as" form: ask before overwriting a file that is not the design's own.
pub fn submit_save_as(app: &mut App, mut form: forms::Form) {
    let path = match files::resolve_save_path(form.get("path")) {
        Ok(p) => p,
        Err(e) => {
            form.message = Some(crate::l10n::uif(app.lang(), "Not saved: {e}", &[("e", &e)]));
            app.set_popup(Popup::Form(form));
            return;
        }
    };
    if path.exists() && !files::is_current_file(app, &path) {
        let name = path.display().to_string();
        app.set_popup(Popup::Confirm(Confirm {
            title: crate::l10n::ui(app.lang(), "Overwrite?"),
            lines: vec![
                crate::l10n::uif(app.lang(), "{name} exists: overwrite? y/n", &[("name", &name)]),
                crate::l10n::ui(app.lang(), "It is not this design's file; the old one is kept as .bak."),
            ],
            pending: Pending::Overwrite(path, Box::new(form)),
            offer_save: false,
        }));
        return;
    }
    save_as_to(app, path, form, files::SaveAnswers::default());
}

/// Save as `path` (any question about overwriting is answered); a failure reopens the form.
fn save_as_to(app: &mut App, path: std::path::PathBuf, form: forms::Form, answers: files::SaveAnswers) {
    let mut form = form;
    match files::save_to(app, path.clone(), answers) {
        Ok(()) => {
            if app.quit_after_save {
                app.should_quit = true;
            }
        }
        Err(crate::io::save::SaveError::ReadOnly(_)) => ask_read_only(app, path, Some(Box::new(form))),
        Err(e) => {
            form.message = Some(crate::l10n::uif(app.lang(), "Not saved: {e}", &[("e", &e)]));
            app.set_popup(Popup::Form(form));
            files::refresh_recovery(app);
        }
    }
}

fn list_msg(app: &mut App, m: ListMsg) {
    match app.modals.popup_mut() {
        Some(Popup::Menu(_)) => super::add_menu::update(app, m),
        Some(Popup::Picker(p)) => {
            let n = p.visible().len();
            match m {
                ListMsg::Up => p.selected = p.selected.saturating_sub(1),
                ListMsg::Down => p.selected = (p.selected + 1).min(n.saturating_sub(1)),
                ListMsg::First => p.selected = 0,
                ListMsg::Last => p.selected = n.saturating_sub(1),
                ListMsg::Cancel => app.close_popup(),
                ListMsg::Input(i) => {
                    if p.input.apply(i) {
                        p.selected = 0;
                    }
                }
                ListMsg::Select => {
                    let vis = p.visible();
                    let typed = p.input.text.trim().to_string();
                    let looks_like_path = typed.contains('/') || typed.ends_with(".ron") || typed.ends_with(".json");
                    let source = match vis.get(p.selected) {
                        Some(&i) if !looks_like_path => p.entries[i].source.clone(),
                        _ if !typed.is_empty() => Source::File(typed.into()),
                        _ => return,
                    };
                    if source == Source::New {
                        let f = super::new_design::open(app);
                        app.set_popup(Popup::Form(f));
                        return;
                    }
                    if app.dirty() {
                        app.set_popup(Popup::Confirm(Confirm {
                            title: crate::l10n::ui(app.lang(), "Unsaved changes"),
                            lines: vec![crate::l10n::uif(
                                app.lang(),
                                "{file_label} has changes that are not saved.",
                                &[("file_label", &app.file_label())],
                            )],
                            pending: Pending::Open(source),
                            offer_save: true,
                        }));
                    } else {
                        open_source(app, &source);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Open a design (the question about unsaved changes is already answered, or there are none).
pub fn open_source(app: &mut App, source: &Source) {
    open_loaded(app, files::load(source, app.lang()), false);
}

/// Open a design, throwing away the unsaved changes of the current one ("open without
/// saving"): its recovery file goes only once the other design has loaded.
fn open_source_discarding(app: &mut App, source: &Source) {
    open_loaded(app, files::load(source, app.lang()), true);
}

fn open_loaded(app: &mut App, loaded: Result<files::Opened, String>, discard: bool) {
    match loaded {
        Ok(files::Opened { design, path, origin, report }) => {
            if discard {
                files::remove_recovery(app);
            }
            app.close_popup();
            if let (Some(p), true) = (&path, app.allow_io) {
                files::remember(p);
            }
            app.replace_design(design, path, origin);
            app.set_import_report(report.as_ref());
            app.info(crate::l10n::uif(app.lang(), "opened {file_label}", &[("file_label", &app.file_label())]));
            offer_recovery(app);
        }
        Err(e) => {
            app.error(crate::l10n::uif(app.lang(), "not opened: {e}", &[("e", &e)]));
            // The design in memory is what the user still has: make sure its recovery file is
            // there and up to date.
            files::refresh_recovery(app);
        }
    }
}

/// Ask about a recovery file left by a session that ended without saving. Only "d" discards
/// it; "n", Esc and Ctrl-C keep it for next time (issue 17, D2).
pub fn offer_recovery(app: &mut App) {
    if let Some(rec) = files::pending_recovery(app) {
        let lang = app.lang();
        let mut lines = vec![
            crate::l10n::uif(
                lang,
                "The last session of {file} ended with unsaved changes,",
                &[("file", &app.file_label())],
            ),
            crate::l10n::uif(
                lang,
                "kept in {path} ({age}).",
                &[("path", &rec.display()), ("age", &files::age(&rec, lang))],
            ),
        ];
        if files::older_than_design(app, &rec) {
            lines.push(crate::l10n::ui(lang, "The design file changed after they were written."));
        }
        ask(app, &crate::l10n::ui(lang, "Recover unsaved changes?"), lines, Pending::Recover(rec));
    }
}

fn confirm_msg(app: &mut App, m: ConfirmMsg) {
    let Some(Popup::Confirm(c)) = app.take_popup() else { return };
    let answers = files::SaveAnswers::default();
    match (c.pending.clone(), m) {
        (Pending::Overwrite(_, form), ConfirmMsg::No) => app.set_popup(Popup::Form(*form)),
        (Pending::Overwrite(path, form), ConfirmMsg::Yes) => save_as_to(app, path, *form, answers),
        (Pending::Recover(p), ConfirmMsg::No) => {
            if app.allow_io {
                match files::keep_recovery(app, &p) {
                    Ok(kept) => app.info(crate::l10n::uif(
                        app.lang(),
                        "recovery file kept as {kept}; offered again next time",
                        &[("kept", &kept.display())],
                    )),
                    Err(e) => app.error(crate::l10n::uif(app.lang(), "recovery file left as it is: {e}", &[("e", &e)])),
                }
            }
        }
        (Pending::Recover(p), ConfirmMsg::Discard) => {
            if app.allow_io {
                let _ = std::fs::remove_file(&p);
            }
            app.info(crate::l10n::ui(app.lang(), "recovery file discarded"));
        }
        (Pending::Changed(_), ConfirmMsg::Yes) => {
            save_answered(app, files::SaveAnswers { overwrite_changed: true, ..answers })
        }
        (Pending::Changed(p), ConfirmMsg::Reload) => reload(app, &p),
        (Pending::Changed(_) | Pending::SaveFailed, ConfirmMsg::SaveAs) => open_save_as(app),
        (Pending::ReadOnly(p, form), ConfirmMsg::Yes) => {
            let answers = files::SaveAnswers { overwrite_read_only: true, overwrite_changed: false };
            match form {
                Some(form) => save_as_to(app, p, *form, answers),
                None => save_answered(app, answers),
            }
        }
        (Pending::ReadOnly(_, Some(form)), ConfirmMsg::No) => app.set_popup(Popup::Form(*form)),
        (Pending::Changed(_) | Pending::ReadOnly(..) | Pending::SaveFailed, ConfirmMsg::No)
        | (Pending::SaveFailed, ConfirmMsg::Yes) => app.quit_after_save = false,
        (_, ConfirmMsg::No) => {}
        (Pending::Delete(id), ConfirmMsg::Yes) => {
            match app.apply(
                crate::l10n::uif(app.lang(), "delete {id}", &[("id", &id)]),
                vec![Op::Delete { resource: Ref::id(&id), cascade: true }],
            ) {
                Ok(applied) => {
                    let removed: Vec<String> = applied
                        .iter()
                        .flat_map(|a| a.touched.iter())
                        .filter(|x| app.design.find(x).is_none())
                        .cloned()
                        .collect();
                    app.info(crate::l10n::uif(app.lang(), "deleted {x} (u to undo)", &[("x", &removed.join(", "))]));
                }
                Err(e) => app.error(crate::l10n::uif(app.lang(), "not deleted: {e}", &[("e", &e)])),
            }
        }
        (Pending::Quit, ConfirmMsg::Yes) => {
            files::remove_recovery(app);
            app.should_quit = true;
        }
        (Pending::Quit, ConfirmMsg::Save) => {
            app.quit_after_save = true;
            save(app);
        }
        (Pending::Open(source), ConfirmMsg::Yes) => {
            // Load (and validate) the other design before discarding anything: when it does
            // not open, the unsaved changes stay in memory and in the recovery file.
            open_source_discarding(app, &source);
        }
        (Pending::Open(source), ConfirmMsg::Save) => {
            save(app);
            if !app.dirty() {
                open_source(app, &source);
            }
        }
        (Pending::Recover(p), ConfirmMsg::Yes) => match crate::io::native::load_file(&p) {
            Ok(d) => {
                app.replace_undoable(crate::l10n::ui(app.lang(), "recover unsaved changes"), d);
                app.info(crate::l10n::uif(app.lang(), "recovered from {p}; save to keep", &[("p", &p.display())]));
                if p != files::recovery_path(app) && app.allow_io && files::write_recovery(app).is_ok() {
                    // A kept file's content is in the recovery file now.
                    let _ = std::fs::remove_file(&p);
                    app.autosave.written_rev = app.rev;
                }
            }
            Err(e) => app.error(crate::l10n::uif(app.lang(), "cannot recover: {e}", &[("e", &e)])),
        },
        // Answers a question does not offer leave it open.
        _ => app.set_popup(Popup::Confirm(c)),
    }
}

/// Reload the design's file from disk after another program changed it; the version in
/// memory is kept aside as a recovery file first, so nothing is lost.
fn reload(app: &mut App, path: &std::path::Path) {
    app.quit_after_save = false;
    let kept = if app.dirty() {
        match files::write_recovery(app).and_then(|rec| files::keep_recovery(app, &rec)) {
            Ok(k) => Some(k),
            Err(e) => return save_failed(app, &format!("your version could not be kept aside ({e}); not reloaded")),
        }
    } else {
        None
    };
    match files::load(&Source::File(path.to_path_buf()), app.lang()) {
        Ok(files::Opened { design, path: p, origin, report }) => {
            app.replace_design(design, p, origin);
            app.set_import_report(report.as_ref());
            match kept {
                Some(k) => app.info(crate::l10n::uif(
                    app.lang(),
                    "reloaded {path}; your version is kept in {k}",
                    &[("path", &path.display()), ("k", &k.display())],
                )),
                None => app.info(crate::l10n::uif(app.lang(), "reloaded {path}", &[("path", &path.display())])),
            }
        }
        Err(e) => app.error(crate::l10n::uif(app.lang(), "not reloaded: {e}", &[("e", &e)])),
    }
}
