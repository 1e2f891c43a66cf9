//! The one trait every form follows, and what all forms share: the dry run and the submit.

use super::{Context, Errors, Field, Form, FormKind, FormTarget};
use crate::app::tree::NodeRef;
use crate::app::{App, Popup};
use crate::l10n::{ui, uif, Lang, Text};
use crate::model::ops::{Applied, Op, OpError};
use crate::model::Design;

/// What a form's text stands for: the ops to apply, and the fields whose text does not parse
/// (the ops then hold a stand-in for those fields; their dry-run errors are not shown).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub ops: Vec<Op>,
    pub errors: Errors,
}

impl Draft {
    /// The ops, with no field in error.
    pub fn ops(ops: Vec<Op>) -> Draft {
        Draft { ops, errors: Vec::new() }
    }

    /// A new resource goes in the form's VPC: say so beside the field when there is none yet.
    pub fn require_vpc(&mut self, form: &Form) {
        if form.get("vpc").is_empty() {
            self.errors.push(("vpc", "required: add a VPC first".into()));
        }
    }

    /// Keep a parse error; `value` stands in for the field in the ops.
    pub fn field<T, E: Into<Text>>(&mut self, key: &'static str, parsed: Result<T, E>, stand_in: T) -> T {
        match parsed {
            Ok(v) => v,
            Err(e) => {
                self.errors.push((key, e.into()));
                stand_in
            }
        }
    }
}

/// One kind of form: its fields, what follows when a field changes, and the ops it stands for.
///
/// A resource kind's form lives in `forms::kinds::<kind>.rs` and is listed once in the kind
/// table ([`super::kinds::KINDS`]); a pane's forms live with the pane. Most forms implement
/// only [`FormSpec::kind`], [`FormSpec::fields`] and [`FormSpec::draft`]: validation (a dry run
/// of the ops) and submitting (the ops as one undo step) come with the trait.
pub trait FormSpec: Sync + 'static {
    /// Which form it is.
    fn kind(&self) -> FormKind;

    /// The fields: for a new item prefilled from where the user is (`ctx`), or the values of
    /// the item `target` edits. `Err` says why there is no such form here.
    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String>;

    /// The form's title.
    fn title(&self, d: &Design, target: &FormTarget, lang: Lang) -> String {
        let what = ui(lang, self.kind().label());
        match target {
            FormTarget::Edit(id) => {
                let name = d.find(id).map(|r| r.display_name()).unwrap_or_default();
                uif(lang, "Edit {what} {name}", &[("what", &what), ("name", &name)])
            }
            FormTarget::EditSub { parent, .. } => {
                let name = d.find(parent).map(|r| r.name().to_string()).unwrap_or_default();
                uif(lang, "Edit {what} of {name}", &[("what", &what), ("name", &name)])
            }
            _ => uif(lang, "New {what}", &[("what", &what)]),
        }
    }

    /// A field changed: refresh the fields that follow it (a subnet's zones follow its VPC).
    fn changed(&self, _form: &mut Form, _key: &str, _d: &Design) {}

    /// The ops the form stands for (none: nothing to change), and the fields whose text does
    /// not parse.
    fn draft(&self, form: &Form, d: &Design) -> Draft;

    /// The form field that shows an op's error about `op_field` (the same key by default).
    fn field_of(&self, op_field: &'static str) -> &'static str {
        op_field
    }

    /// Lines that show what the form will make, below its fields (none by default).
    fn preview(&self, _form: &Form, _d: &Design) -> Vec<crate::l10n::Text> {
        Vec::new()
    }

    /// Notes beside fields about values the form accepts but changes (a CIDR with host bits
    /// set is used as its block, A1): shown as the user types and in the status bar on apply.
    fn notes(&self, _form: &Form) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// Every problem, by field: the text that does not parse, then what the dry run of the
    /// ops refuses.
    fn check(&self, form: &Form, d: &Design) -> Errors {
        dry_run(self, form, d)
    }

    /// What to select once applied (default: the resource created or edited).
    fn select_after(&self, form: &Form, applied: &[Applied], _d: &Design) -> Option<NodeRef> {
        let FormKind::Resource(kind) = self.kind() else { return None };
        let id = match &form.target {
            FormTarget::Edit(id) => Some(id.clone()),
            _ => applied.iter().find_map(|a| a.created.clone()),
        }?;
        Some(NodeRef::Resource { kind, id })
    }

    /// Submit a form that passed its checks. By default: apply the ops as one undo step and
    /// select what they made; a refusal reopens the form with the reason.
    fn submit(&self, app: &mut App, form: Form) {
        apply_form(self, app, form);
    }
}

/// The errors of a form: parse errors, then the ops' dry-run errors on the other fields. The ops
/// are checked one after another against the design as the ones before leave it.
pub fn dry_run<S: FormSpec + ?Sized>(spec: &S, form: &Form, d: &Design) -> Errors {
    let draft = spec.draft(form, d);
    let mut errors = draft.errors;
    let mut push = |e: OpError| {
        let key = spec.field_of(e.field);
        if !errors.iter().any(|(k, _)| *k == key) {
            errors.push((key, e.message));
        }
    };
    match draft.ops.len() {
        0 => {}
        1 => d.check(&draft.ops[0]).into_iter().for_each(&mut push),
        _ => {
            let mut scratch = d.clone();
            for op in &draft.ops {
                match scratch.prepare(op) {
                    Ok(p) => {
                        p.commit(&mut scratch);
                    }
                    Err(errs) => {
                        errs.into_iter().for_each(&mut push);
                        break;
                    }
                }
            }
        }
    }
    errors
}

/// Apply a form's ops as one undo step; select the result, or reopen the form with the reason.
pub fn apply_form<S: FormSpec + ?Sized>(spec: &S, app: &mut App, mut form: Form) {
    let draft = spec.draft(&form, &app.design);
    let lang = app.lang();
    let label = ui(lang, spec.kind().label());
    let what = if matches!(form.target, FormTarget::New | FormTarget::NewIn(_)) {
        uif(lang, "add {label}", &[("label", &label)])
    } else {
        uif(lang, "edit {label}", &[("label", &label)])
    };
    let name = form.get("name").to_string();
    let notes: String = form.notes.iter().map(|(_, n)| format!("; {n}")).collect();
    // "VPC and more" takes a name prefix, not a name: say what it made with it.
    let prefix = spec.kind() == super::FormKind::Pane("VPC and more");
    let done = |w: &str| {
        if prefix {
            uif(
                lang,
                "{label}: created, names starting with {name}{notes}",
                &[("label", &label), ("name", &name), ("notes", &notes)],
            )
        } else if name.is_empty() {
            uif(lang, "{what}: done{notes}", &[("what", &w), ("notes", &notes)])
        } else {
            uif(lang, "{what} {name}: done{notes}", &[("what", &w), ("name", &name), ("notes", &notes)])
        }
    };
    if draft.ops.is_empty() {
        app.info(if name.is_empty() {
            uif(lang, "{what}: no change", &[("what", &what)])
        } else {
            uif(lang, "{what} {name}: no change", &[("what", &what), ("name", &name)])
        });
        return;
    }
    match app.apply(&what, draft.ops) {
        Ok(applied) => {
            if let Some(node) = spec.select_after(&form, &applied, &app.design) {
                // A new VPC shows what it holds (VPC and more made subnets in it).
                if let NodeRef::Resource { kind: crate::model::ResourceKind::Vpc, id } = &node {
                    app.tree.reveal_vpc(&app.design, id);
                }
                app.select(&node);
            }
            app.info(done(&what));
        }
        Err(e) => {
            form.message = Some(uif(lang, "Not applied: {e}", &[("e", &e)]));
            app.set_popup(Popup::Form(form));
        }
    }
}
