//! The guided-lab panel: pick a lab, walk its steps (the design follows through the ordinary
//! undo machinery), check "try it yourself" steps, narration in English or Korean.

use super::trace_view::{self, Spec};
use super::App;
use crate::l10n::uif;
use crate::labs::{self, Lab, Lang};

/// A check of one of the step's traces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceCheck {
    pub passed: bool,
    /// What did not match.
    pub problems: Vec<labs::verify::Problem>,
    /// The hops each of the trace's blog steps covers, computed from the trace.
    pub blog: Vec<labs::BlogHops>,
}

/// The lab being walked.
#[derive(Debug, Clone)]
pub struct ActiveLab {
    pub lab: Lab,
    /// The current step (0-based).
    pub step: usize,
    /// Checks of the current step's traces, once run (same order as the step's traces).
    pub checks: Option<Vec<TraceCheck>>,
    /// A "try it yourself" step has been checked and passed (or shown).
    pub solved: bool,
    /// Past the last step.
    pub complete: bool,
    /// Scroll of the narration panel.
    pub scroll: u16,
}

impl ActiveLab {
    pub fn current(&self) -> Option<&labs::Step> {
        self.lab.steps.get(self.step)
    }

    /// The hops of the blog markers `[n]` of the current step, once its traces have run.
    pub fn step_hops(&self) -> Vec<labs::BlogHops> {
        let (Some(step), Some(checks)) = (self.current(), &self.checks) else { return Vec::new() };
        let per_trace: Vec<Vec<labs::BlogHops>> = checks.iter().map(|c| c.blog.clone()).collect();
        labs::lesson::step_hops(step, &per_trace)
    }
}

/// The lab picker.
#[derive(Debug, Clone, PartialEq)]
pub struct LabPicker {
    pub labs: Vec<Lab>,
    pub selected: usize,
}

/// Everything about labs the app keeps.
#[derive(Debug, Clone, Default)]
pub struct LabState {
    /// The language of the whole interface and of the narration (`App::lang`).
    pub lang: Lang,
    pub active: Option<ActiveLab>,
    /// The user's own design while a lab runs (it had no unsaved changes when the lab
    /// started): leaving the lab goes back to it.
    pub home: Option<Home>,
}

/// The design the user had open before a lab.
#[derive(Debug, Clone)]
pub struct Home {
    pub design: crate::model::Design,
    pub path: Option<std::path::PathBuf>,
    pub origin: String,
}

/// Messages of the lab panel and picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabMsg {
    /// Open the lab picker.
    Open,
    PickerUp,
    PickerDown,
    PickerSelect,
    /// Pick lab number n (1-based).
    PickerNumber(u8),
    PickerCancel,
    Next,
    Prev,
    /// Run the step's traces against the design.
    Check,
    /// Apply a "try it yourself" step's solution.
    ShowMe,
    /// English ↔ Korean.
    ToggleLang,
    /// Leave the lab, back to the design the user had open.
    Leave,
    Scroll(i8),
    /// Play the step's trace i in the trace view (a click on it in the lab panel).
    PlayTrace(usize),
}

/// Apply a lab message.
pub fn update(app: &mut App, m: LabMsg) {
    match m {
        LabMsg::Open => match labs::all() {
            Ok(all) => {
                app.close_popup();
                let selected = app.lab.active.as_ref().map_or(0, |a| (a.lab.number as usize).saturating_sub(1));
                app.set_lab_picker(LabPicker { labs: all, selected });
            }
            Err(e) => app.error(e),
        },
        LabMsg::PickerUp => {
            if let Some(p) = app.lab_picker_mut() {
                p.selected = p.selected.saturating_sub(1);
            }
        }
        LabMsg::PickerDown => {
            if let Some(p) = app.lab_picker_mut() {
                p.selected = (p.selected + 1).min(p.labs.len().saturating_sub(1));
            }
        }
        LabMsg::PickerNumber(n) => {
            if let Some(p) = app.lab_picker_mut() {
                if (1..=p.labs.len()).contains(&usize::from(n)) {
                    p.selected = usize::from(n) - 1;
                    update(app, LabMsg::PickerSelect);
                }
            }
        }
        LabMsg::PickerSelect => {
            let Some(p) = app.take_lab_picker() else { return };
            if let Some(lab) = p.labs.get(p.selected).cloned() {
                if let Err(e) = start(app, lab) {
                    app.error(e);
                }
            }
        }
        LabMsg::PickerCancel => {
            app.take_lab_picker();
        }
        LabMsg::Next => next(app),
        LabMsg::Prev => prev(app),
        LabMsg::Check => {
            check(app);
        }
        LabMsg::ShowMe => show_me(app),
        LabMsg::ToggleLang => {
            app.set_lang(app.lab.lang.toggled());
            let lang = app.lab.lang;
            app.info(crate::l10n::ui(
                lang,
                match lang {
                    Lang::En => "language: English",
                    Lang::Ko => "language: 한국어",
                },
            ));
        }
        LabMsg::Leave => leave(app),
        LabMsg::PlayTrace(i) => load_trace(app, i),
        LabMsg::Scroll(d) => {
            if let Some(a) = app.lab.active.as_mut() {
                a.scroll = (i32::from(a.scroll) + i32::from(d)).clamp(0, 500) as u16;
            }
        }
    }
}

/// Start a lab: its starting design (a fresh history, named after the lab), then its first
/// step. Refused while the current design has unsaved changes.
pub fn start(app: &mut App, lab: Lab) -> Result<(), String> {
    if app.dirty() && app.lab.active.is_none() {
        let file_label = app.file_label();
        let lang = app.lang();
        return Err(uif(
            lang,
            "{file_label} has unsaved changes: save (Ctrl-S) or undo them before a lab",
            &[("file_label", &file_label)],
        ));
    }
    let design = labs::run::start_design(&lab)?;
    if app.lab.active.is_none() {
        app.lab.home = Some(Home { design: app.design.clone(), path: app.path.clone(), origin: app.origin.clone() });
    }
    app.replace_design(design, None, format!("lab {} {}", lab.number, lab.name));
    // A lab's design has never been saved anywhere: quitting asks, Ctrl-S asks where.
    app.saved_rev = 0;
    app.lab.active = Some(ActiveLab { lab, step: 0, checks: None, solved: false, complete: false, scroll: 0 });
    enter_step(app, 0);
    Ok(())
}

/// Make step `i` current: apply its edits (not for a try-it step), load its first trace.
fn enter_step(app: &mut App, i: usize) {
    let Some(a) = app.lab.active.as_mut() else { return };
    let Some(step) = a.lab.steps.get(i).cloned() else { return };
    a.step = i;
    a.checks = None;
    a.solved = false;
    a.complete = false;
    a.scroll = 0;
    let lab = a.lab.clone();
    if !step.try_it && !step.ops.is_empty() {
        if let Err(e) = app.apply(crate::l10n::uif(app.lang(), "lab step {n}", &[("n", &(i + 1))]), step.ops.clone()) {
            app.error(crate::l10n::uif(
                app.lang(),
                "lab {lab} step {x}: {e}",
                &[("lab", &lab.name), ("x", &(i + 1)), ("e", &e)],
            ));
        }
    }
    if step.try_it {
        load_first_trace(app);
        let hint = "try it yourself: make the change, then c checks it (m shows you)";
        app.info(hint);
    } else {
        check(app);
        app.info(crate::l10n::uif(
            app.lang(),
            "step {x}/{steps}: {x2}",
            &[("x", &(i + 1)), ("steps", &lab.steps.len()), ("x2", &step.title.get(app.lab.lang))],
        ));
    }
}

/// Load the step's first trace into the trace view (the lesson's numbered flow plays).
fn load_first_trace(app: &mut App) {
    load_trace(app, 0);
}

/// Load the step's trace `i` into the trace view, with the lesson's blog steps beside its hops.
fn load_trace(app: &mut App, i: usize) {
    let Some(t) = app.lab.active.as_ref().and_then(|a| a.current()).and_then(|s| s.traces.get(i)).cloned() else {
        return;
    };
    let Ok((from, to)) = labs::run::expanded(&app.design, &t) else { return };
    let spec = Spec { from, to, protocol: t.proto.clone(), port: t.port.map(|p| p.to_string()).unwrap_or_default() };
    let status = app.status.clone();
    if trace_view::run(app, spec).is_ok() {
        // The lab's own message matters more than the trace's.
        app.status = status;
        // The lesson's blog steps, beside the hops they cover (computed from this trace).
        if let Some(r) = app.trace_view.result.clone() {
            app.trace_view.blog = labs::lesson::blog_hops(&app.design, &t, &r).0;
        }
    }
}

/// Run the current step's traces; true when all pass.
pub fn check(app: &mut App) -> bool {
    let Some(step) = app.lab.active.as_ref().and_then(|a| a.current()).cloned() else { return false };
    let checks: Vec<TraceCheck> = step
        .traces
        .iter()
        .map(|t| {
            let (_, problems, blog) = labs::verify::check_trace_problems(&app.design, t);
            TraceCheck { passed: problems.is_empty(), problems, blog }
        })
        .collect();
    let ok = checks.iter().all(|c| c.passed);
    let first_problem = checks.iter().flat_map(|c| c.problems.iter()).next().map(|p| p.render(app.lang()));
    if let Some(a) = app.lab.active.as_mut() {
        a.checks = Some(checks);
        if step.try_it && ok {
            a.solved = true;
        }
    }
    load_first_trace(app);
    if step.try_it {
        match (ok, first_problem) {
            (true, _) => app.info(crate::l10n::ui(app.lang(), "✓ the check passes: ] goes on")),
            (false, Some(p)) => app.error(crate::l10n::uif(app.lang(), "not yet: {p} (m shows you)", &[("p", &p)])),
            (false, None) => app.error(crate::l10n::ui(app.lang(), "not yet (m shows you)")),
        }
    }
    ok
}

fn show_me(app: &mut App) {
    let Some(a) = app.lab.active.as_ref() else { return };
    let Some(step) = a.current() else { return };
    if !step.try_it {
        app.info(crate::l10n::ui(app.lang(), "this step has nothing to try: ] goes on"));
        return;
    }
    let (ops, i) = (step.ops.clone(), a.step);
    match app.apply(crate::l10n::uif(app.lang(), "lab step {n} (shown)", &[("n", &(i + 1))]), ops) {
        Ok(_) => {
            check(app);
        }
        Err(e) => app.error(crate::l10n::uif(app.lang(), "cannot show it on this design: {e}", &[("e", &e)])),
    }
}

fn next(app: &mut App) {
    let Some(a) = app.lab.active.as_ref() else { return };
    if a.complete {
        app.info(crate::l10n::ui(app.lang(), "the lab is complete: Esc leaves it, back to your own design"));
        return;
    }
    let (i, n) = (a.step, a.lab.steps.len());
    let try_it = a.current().is_some_and(|s| s.try_it);
    if try_it && !a.solved && !check(app) {
        return;
    }
    if i + 1 < n {
        enter_step(app, i + 1);
    } else if let Some(a) = app.lab.active.as_mut() {
        a.complete = true;
        let title = a.lab.title.get(app.lab.lang).to_string();
        app.info(crate::l10n::uif(app.lang(), "✓ lab complete: {title}", &[("title", &title)]));
    }
}

fn prev(app: &mut App) {
    let Some(a) = app.lab.active.as_ref() else { return };
    if a.complete {
        if let Some(a) = app.lab.active.as_mut() {
            a.complete = false;
        }
        return;
    }
    if a.step == 0 {
        app.info(crate::l10n::ui(app.lang(), "this is the first step"));
        return;
    }
    let k = a.step - 1;
    let lab = a.lab.clone();
    match labs::run::design_after(&lab, k) {
        Ok(d) => {
            app.replace_undoable(crate::l10n::uif(app.lang(), "lab back to step {n}", &[("n", &(k + 1))]), d);
            if let Some(a) = app.lab.active.as_mut() {
                a.step = k;
                a.checks = None;
                a.solved = lab.steps.get(k).is_some_and(|s| s.try_it);
                a.scroll = 0;
            }
            check(app);
        }
        Err(e) => app.error(e),
    }
}

/// Leave the lab: back to the user's own design as it was (it had no unsaved changes when the
/// lab started). The lab's design is the lab's: starting the lab again rebuilds it.
fn leave(app: &mut App) {
    let Some(a) = app.lab.active.take() else { return };
    let lab_name = format!("lab {} {}", a.lab.number, a.lab.name);
    let Some(home) = app.lab.home.take() else {
        app.origin = lab_name;
        app.info(crate::l10n::uif(
            app.lang(),
            "left the lab; {origin} is an unsaved design (Ctrl-S saves it)",
            &[("origin", &app.file_label())],
        ));
        return;
    };
    // The lab's name as the status bar says it ("실습 7 nat" in Korean).
    let lab_label = crate::l10n::uif(app.lang(), "lab {lab}", &[("lab", &format!("{} {}", a.lab.number, a.lab.name))]);
    app.replace_design(home.design, home.path, home.origin);
    app.info(crate::l10n::uif(
        app.lang(),
        "left {lab_name}; back to {file_label}",
        &[("lab_name", &lab_label), ("file_label", &app.file_label())],
    ));
}
