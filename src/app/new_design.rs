//! "New design…": a name, a region and a file in the current folder. The design is made
//! empty, saved there at once (so it is on disk, in the open list and in the recent files)
//! and replaces the open one, which must have no unsaved changes.

use super::forms::{choices, Context, Draft, Errors, Field, Form, FormKind, FormSpec, FormTarget, LineInput};
use super::{files, App, Popup};
use crate::model::Design;
use std::path::PathBuf;

pub struct NewDesignForm;
pub static FORM: NewDesignForm = NewDesignForm;

/// The form, for the region the user is in.
pub fn open(app: &App) -> Form {
    let d = &app.design;
    let region = if d.default_region.is_empty() { "ap-northeast-2".to_string() } else { d.default_region.clone() };
    let ctx = Context { region, ..Context::default() };
    let fields = FORM.fields(d, &FormTarget::New, &ctx).unwrap_or_default();
    let mut f = Form::new(&FORM, FormTarget::New, "New design", fields);
    f.validate(d);
    f
}

/// Where the file goes: a bare name in the current folder, `.ron` added.
fn file_of(text: &str) -> Result<PathBuf, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("required: a file name".into());
    }
    let mut p = PathBuf::from(t);
    if p.extension().is_none() {
        p.set_extension("ron");
    }
    if p.extension().is_some_and(|e| e != "ron") {
        return Err("a design is saved as .ron".into());
    }
    if p.exists() {
        return Err(format!("{} exists: open it with o instead", p.display()));
    }
    if p.parent().is_some_and(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
        return Err("that folder does not exist".into());
    }
    Ok(p)
}

impl FormSpec for NewDesignForm {
    fn kind(&self) -> FormKind {
        FormKind::Pane("new design")
    }

    fn title(&self, _d: &Design, _target: &FormTarget, lang: crate::l10n::Lang) -> String {
        crate::l10n::ui(lang, "New design")
    }

    fn fields(&self, d: &Design, _target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        Ok(vec![
            Field::text("name", "Name", "", "what to call the design"),
            Field::choice("region", "Region", choices::regions(d, &ctx.region), &ctx.region),
            Field::text("file", "File", "", "in the current folder; .ron is added"),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, _d: &Design) {
        if key == "name" {
            let name = form.get("name").to_string();
            if let Some(f) = form.field_mut("file").filter(|f| !f.touched) {
                f.input = LineInput::new(if name.is_empty() { String::new() } else { format!("{name}.ron") });
            }
        }
    }

    fn draft(&self, _form: &Form, _d: &Design) -> Draft {
        Draft::default()
    }

    fn check(&self, form: &Form, _d: &Design) -> Errors {
        let mut e = Errors::new();
        if form.get("name").is_empty() {
            e.push(("name", "required: a name".into()));
        }
        if let Err(m) = file_of(form.get("file")) {
            e.push(("file", m.into()));
        }
        e
    }

    fn submit(&self, app: &mut App, mut form: Form) {
        if app.dirty() {
            form.message = Some(crate::l10n::uif(
                app.lang(),
                "{file_label} has unsaved changes: save (Ctrl-S) or undo them first",
                &[("file_label", &app.file_label())],
            ));
            app.set_popup(Popup::Form(form));
            return;
        }
        let path = match file_of(form.get("file")) {
            Ok(p) => p,
            Err(m) => {
                form.message = Some(crate::l10n::uif(app.lang(), "Not made: {m}", &[("m", &m)]));
                app.set_popup(Popup::Form(form));
                return;
            }
        };
        let design = Design::new(form.get("name"), form.get("region"));
        app.replace_design(design, None, format!("new {}", form.get("name")));
        match files::save_to(app, path.clone(), files::SaveAnswers::default()) {
            Ok(()) => app.info(crate::l10n::uif(
                app.lang(),
                "new design {x}: saved to {path} (a adds a VPC)",
                &[("x", &form.get("name")), ("path", &path.display())],
            )),
            Err(e) => app.error(crate::l10n::uif(
                app.lang(),
                "new design made, not saved: {e} (Ctrl-S tries again)",
                &[("e", &e)],
            )),
        }
    }
}
