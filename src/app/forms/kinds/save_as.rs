//! The "save as" form: a path.

use crate::app::forms::{Context, Draft, Errors, Field, Form, FormKind, FormSpec, FormTarget};
use crate::app::App;
use crate::model::Design;

pub struct SaveAsForm;
pub static SAVE_AS: SaveAsForm = SaveAsForm;

impl SaveAsForm {
    /// The form, with a path suggested.
    pub fn open(default_path: &str) -> Form {
        let f =
            Field::text("path", "File", default_path, "a path; a bare name goes to the saves folder, .ron is added");
        Form::new(&SAVE_AS, FormTarget::New, "Save as", vec![f])
    }
}

impl FormSpec for SaveAsForm {
    fn kind(&self) -> FormKind {
        FormKind::SaveAs
    }

    fn title(&self, _d: &Design, _target: &FormTarget, lang: crate::l10n::Lang) -> String {
        crate::l10n::ui(lang, "Save as")
    }

    fn fields(&self, _d: &Design, _target: &FormTarget, _ctx: &Context) -> Result<Vec<Field>, String> {
        Ok(vec![Field::text("path", "File", "", "a path; a bare name goes to the saves folder, .ron is added")])
    }

    fn draft(&self, _form: &Form, _d: &Design) -> Draft {
        Draft::default()
    }

    fn check(&self, form: &Form, _d: &Design) -> Errors {
        match crate::app::files::resolve_save_path(form.get("path")) {
            Ok(_) => Vec::new(),
            Err(m) => vec![("path", m.into())],
        }
    }

    fn submit(&self, app: &mut App, form: Form) {
        crate::app::update::submit_save_as(app, form);
    }
}
