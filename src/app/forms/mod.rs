//! Forms: fields, per-field validation as you type, errors kept next to the field.
//!
//! A form never loses what was typed: a refused submit leaves every value in place, marks the
//! fields that need attention, and says why next to each one.
//!
//! What a form is about is a [`FormSpec`] (one per resource kind in [`kinds`], one per
//! sub-item: route, rule, entry; the panes bring their own): its fields, what follows when a
//! field changes, and the ops it stands for. Validation is the ops' dry run
//! ([`crate::model::Design::check`]): the form shows exactly what the model would refuse.

pub mod choices;
pub mod ipv6;
pub mod kinds;
pub mod parse;
mod spec;

pub use spec::{dry_run, Draft, FormSpec};

use super::msg::InputMsg;
use crate::l10n::{ui, uif, Lang, Text};
use crate::model::{Design, Id, ResourceKind};

/// A line of text with a cursor (in characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    pub cursor: usize,
}

impl LineInput {
    pub fn new(text: impl Into<String>) -> LineInput {
        let text = text.into();
        let cursor = text.chars().count();
        LineInput { text, cursor }
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.text.char_indices().nth(char_idx).map_or(self.text.len(), |(i, _)| i)
    }

    /// Apply an edit. Returns whether the text changed.
    pub fn apply(&mut self, m: InputMsg) -> bool {
        let len = self.text.chars().count();
        self.cursor = self.cursor.min(len);
        match m {
            InputMsg::Char(c) => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                true
            }
            InputMsg::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                true
            }
            InputMsg::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            InputMsg::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            InputMsg::Right => {
                self.cursor = (self.cursor + 1).min(len);
                false
            }
            InputMsg::Home => {
                self.cursor = 0;
                false
            }
            InputMsg::End => {
                self.cursor = len;
                false
            }
            InputMsg::Clear => {
                let changed = !self.text.is_empty();
                self.text.clear();
                self.cursor = 0;
                changed
            }
            InputMsg::Backspace | InputMsg::Delete => false,
        }
    }
}

/// One option of a choice field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What the form stores (an id, an enum name).
    pub value: String,
    /// What the user sees.
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice { value: value.into(), label: label.into() }
    }
}

/// How a field is edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text: names, CIDRs, addresses, numbers, comma-separated lists.
    Text,
    /// One of a list: a picker. Typing filters the options (type-ahead) and takes the first
    /// match; ←/→ move among the matches.
    Choice(Vec<Choice>),
    /// Any number of a list (a comma-separated list of values): typing filters, ←/→ move the
    /// highlight, Space ticks or unticks the highlighted option.
    Multi(Vec<Choice>),
    /// yes/no.
    Bool,
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The key the form's code reads it by.
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    /// The value: the text typed, a choice's value, or `yes`/`no`.
    pub input: LineInput,
    /// Help shown beside an empty or focused field.
    pub hint: String,
    /// Why the value is refused, with the rule it breaks.
    pub error: Option<Text>,
    /// The user has typed here or moved past it: its error is shown.
    pub touched: bool,
    /// Shown but not editable (a resource's VPC cannot change after creation).
    pub locked: bool,
    /// A picker's type-ahead text.
    pub query: LineInput,
    /// A picker's highlighted option, an index into [`Field::matches`].
    pub pick: usize,
    /// A multi picker whose ticked entries may carry a port, `value:port` (a target's port
    /// override, an ECS container port): typing `:PORT` after the filter, then Space, sets the
    /// highlighted one's.
    pub ports: bool,
}

impl Field {
    pub fn text(key: &'static str, label: &'static str, value: impl Into<String>, hint: impl Into<String>) -> Field {
        Field {
            key,
            label,
            kind: FieldKind::Text,
            input: LineInput::new(value),
            hint: hint.into(),
            error: None,
            touched: false,
            locked: false,
            query: LineInput::default(),
            pick: 0,
            ports: false,
        }
    }

    pub fn choice(key: &'static str, label: &'static str, options: Vec<Choice>, value: &str) -> Field {
        let value = if options.iter().any(|o| o.value == value) {
            value.to_string()
        } else {
            options.first().map(|o| o.value.clone()).unwrap_or_default()
        };
        let mut f = Field::text(key, label, value, "←/→ to choose");
        f.kind = FieldKind::Choice(options);
        f
    }

    pub fn yes_no(key: &'static str, label: &'static str, value: bool) -> Field {
        let mut f = Field::text(key, label, if value { "yes" } else { "no" }, "Space to switch");
        f.kind = FieldKind::Bool;
        f
    }

    /// A picker of any number of `options`; `values` are the ones ticked.
    pub fn multi(key: &'static str, label: &'static str, options: Vec<Choice>, values: &str) -> Field {
        let mut f = Field::text(key, label, values, "type to find, Space ticks, ←/→ move");
        f.kind = FieldKind::Multi(options);
        f
    }

    /// Let ticked entries carry a port (see [`Field::ports`]).
    pub fn with_ports(mut self) -> Field {
        self.ports = true;
        self
    }

    /// A ticked entry's option value and its port, if it has one (`10.0.1.5:8080`).
    pub fn split_port<'a>(&self, entry: &'a str) -> (&'a str, Option<&'a str>) {
        match entry.rsplit_once(':') {
            Some((v, p)) if self.ports && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (v, Some(p)),
            _ => (entry, None),
        }
    }

    /// The ticked entry of an option, if it is ticked (with its port, if it has one).
    pub fn tick_of(&self, value: &str) -> Option<String> {
        self.ticked().into_iter().find(|e| self.split_port(e).0 == value)
    }

    /// The type-ahead text that filters: in a ports picker, what comes before a `:`.
    fn filter_text(&self) -> &str {
        let q = &self.query.text;
        if self.ports {
            q.split_once(':').map_or(q.as_str(), |(f, _)| f)
        } else {
            q
        }
    }

    /// A ports picker's port being typed: what follows a `:` in the type-ahead (`web:8080`).
    pub fn port_text(&self) -> Option<&str> {
        self.query.text.split_once(':').filter(|_| self.ports).map(|(_, p)| p.trim())
    }

    /// A picker's options, whatever its kind.
    pub fn options(&self) -> &[Choice] {
        match &self.kind {
            FieldKind::Choice(o) | FieldKind::Multi(o) => o,
            _ => &[],
        }
    }

    /// The options the type-ahead text matches (all when nothing is typed), by index.
    pub fn matches(&self) -> Vec<usize> {
        let q = self.filter_text().trim().to_lowercase();
        self.options()
            .iter()
            .enumerate()
            .filter(|(_, o)| q.is_empty() || o.label.to_lowercase().contains(&q) || o.value.to_lowercase().contains(&q))
            .map(|(i, _)| i)
            .collect()
    }

    /// A multi picker's ticked values.
    pub fn ticked(&self) -> Vec<String> {
        parse::list(&self.input.text)
    }

    /// Make the field read-only.
    pub fn locked(mut self) -> Field {
        self.locked = true;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Field {
        self.hint = hint.into();
        self
    }

    pub fn value(&self) -> &str {
        &self.input.text
    }

    /// What to display: a choice's label, else the text.
    pub fn display(&self) -> String {
        let label =
            |v: &str| self.options().iter().find(|o| o.value == v).map_or_else(|| v.to_string(), |o| o.label.clone());
        match &self.kind {
            FieldKind::Choice(_) => label(&self.input.text),
            FieldKind::Multi(_) => {
                let t = self.ticked();
                if t.is_empty() {
                    "(none)".into()
                } else {
                    // A ports picker shows each entry short, its name and its port
                    // (`web:8080`): the labels are long and the ports are what matters.
                    let short = |v: &str| label(v).split(" (").next().unwrap_or(v).to_string();
                    let one = |e: &String| match self.split_port(e) {
                        (v, Some(p)) => format!("{}:{p}", short(v)),
                        (v, None) if self.ports => short(v),
                        (v, None) => label(v),
                    };
                    t.iter().map(one).collect::<Vec<_>>().join(", ")
                }
            }
            _ => self.input.text.clone(),
        }
    }

    /// Type into a picker: filter, and (one of a list) take the first match.
    fn type_ahead(&mut self, m: InputMsg) -> bool {
        let filter = self.filter_text().to_string();
        if !self.query.apply(m) && !matches!(m, InputMsg::Clear) {
            return false;
        }
        if self.ports && self.filter_text() == filter {
            // A port for the highlighted option: the matches and the highlight stay.
            return false;
        }
        self.pick = 0;
        if let FieldKind::Choice(opts) = &self.kind {
            if let Some(&i) = self.matches().first() {
                let v = opts[i].value.clone();
                let changed = v != self.input.text;
                self.input = LineInput::new(v);
                return changed;
            }
        }
        false
    }

    /// Tick or untick a multi picker's highlighted option; after `:PORT` in a ports picker
    /// (`web:8080`), tick it with that port (`:` alone: without one). Returns whether it changed, or why a
    /// port is refused.
    pub fn toggle(&mut self) -> Result<bool, String> {
        let FieldKind::Multi(opts) = &self.kind else { return Ok(false) };
        let Some(&i) = self.matches().get(self.pick) else { return Ok(false) };
        let v = opts[i].value.clone();
        let mut t = self.ticked();
        let at = t.iter().position(|x| self.split_port(x).0 == v);
        if let Some(p) = self.port_text().map(str::to_string) {
            let entry = if p.is_empty() { v } else { format!("{v}:{}", parse::num::<u16>(&p, 1, 65535, "a port")?) };
            // The filter stays, the port is taken.
            self.query = LineInput::new(self.filter_text().to_string());
            match at {
                Some(at) => t[at] = entry,
                None => t.push(entry),
            }
        } else {
            match at {
                Some(at) => {
                    t.remove(at);
                }
                None => t.push(v),
            }
        }
        let text = t.join(", ");
        let changed = text != self.input.text;
        self.input = LineInput::new(text);
        Ok(changed)
    }

    pub fn is_choice(&self) -> bool {
        !matches!(self.kind, FieldKind::Text)
    }

    /// Whether typing goes to a type-ahead (a picker).
    pub fn is_picker(&self) -> bool {
        matches!(self.kind, FieldKind::Choice(_) | FieldKind::Multi(_))
    }
}

/// Which form it is: a resource kind's, a sub-item's, "save as", or a pane's own (by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Resource(ResourceKind),
    Route,
    SgRule,
    NaclEntry,
    /// The path for "save as".
    SaveAs,
    /// A form a pane brings (the planner's carve, resize, layout; the route pane's route and
    /// which-route-wins).
    Pane(&'static str),
}

impl FormKind {
    pub fn label(&self) -> &'static str {
        match self {
            FormKind::Resource(k) => k.label(),
            FormKind::Route => "route",
            FormKind::SgRule => "security group rule",
            FormKind::NaclEntry => "network ACL entry",
            FormKind::SaveAs => "save as",
            FormKind::Pane(what) => what,
        }
    }
}

/// New or existing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormTarget {
    New,
    Edit(Id),
    /// A new sub-item (route, rule, entry) in the parent resource.
    NewIn(Id),
    /// An existing sub-item: the parent and its index there. Security group rules also carry
    /// the direction they were in.
    EditSub {
        parent: Id,
        index: usize,
        egress: bool,
    },
}

/// The spec a form follows (compared by the kind of form it is).
#[derive(Clone, Copy)]
pub struct Spec(pub &'static dyn FormSpec);

impl std::fmt::Debug for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Spec({:?})", self.0.kind())
    }
}

impl PartialEq for Spec {
    fn eq(&self, other: &Spec) -> bool {
        self.0.kind() == other.0.kind()
    }
}

impl Eq for Spec {}

/// Field errors, by field key.
/// Each field's problem, kept with its template (rendered in the user's language when shown).
pub type Errors = Vec<(&'static str, Text)>;

/// An open form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub spec: Spec,
    pub kind: FormKind,
    pub target: FormTarget,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A message for the whole form: why a submit was refused.
    pub message: Option<String>,
    /// The message as sentences each language says (their English, one after the other, is
    /// `message`): shown in the app's language while `message` is still what they say.
    pub message_said: Vec<crate::l10n::Text>,
    /// A submit was tried: show every field's error, touched or not.
    pub submitted: bool,
    /// What the dry run refuses that is about no one field.
    pub problem: Option<Text>,
    /// The focused text field's value is selected as a whole (it was pre-filled, or focus just
    /// came to it): the first printable key replaces it, as in a browser; a move (arrows, Home,
    /// End) keeps it for editing.
    pub fresh: bool,
    /// Notes beside fields: what the form will do with a value that is accepted as it is
    /// changed (a CIDR with host bits set, A1).
    pub notes: Vec<(&'static str, String)>,
    /// What the form will make, as the spec previews it.
    pub preview: Vec<crate::l10n::Text>,
}

/// Where the user was when they asked to add something: prefills the new form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    pub region: String,
    pub vpc: Option<Id>,
    pub az: Option<String>,
    pub subnet: Option<Id>,
    pub route_table: Option<Id>,
    pub security_group: Option<Id>,
    pub network_acl: Option<Id>,
    pub transit_gateway: Option<Id>,
    /// For security group rules: outbound.
    pub egress: bool,
    /// The free block selected in the planner.
    pub block: Option<ipnet::Ipv4Net>,
    /// The /64 a new subnet takes (the planner's IPv6 view).
    pub block6: Option<ipnet::Ipv6Net>,
}

impl Form {
    pub fn new(spec: &'static dyn FormSpec, target: FormTarget, title: impl Into<String>, fields: Vec<Field>) -> Form {
        let focus = fields.iter().position(|f| !f.locked).unwrap_or(0);
        let mut form = Form {
            spec: Spec(spec),
            kind: spec.kind(),
            target,
            title: title.into(),
            fields,
            focus,
            message: None,
            message_said: Vec::new(),
            submitted: false,
            problem: None,
            fresh: false,
            notes: Vec::new(),
            preview: Vec::new(),
        };
        form.focus_field(focus);
        form
    }

    /// Focus field `i`; a text field with a value is selected as a whole (see [`Form::fresh`]).
    pub fn focus_field(&mut self, i: usize) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.query = LineInput::default();
            f.pick = 0;
        }
        if i < self.fields.len() {
            self.focus = i;
        }
        self.fresh = self
            .fields
            .get(self.focus)
            .is_some_and(|f| matches!(f.kind, FieldKind::Text) && !f.locked && !f.input.text.is_empty());
    }

    /// The note beside a field, if any.
    pub fn note(&self, key: &str) -> Option<&str> {
        self.notes.iter().find(|(k, _)| *k == key).map(|(_, n)| n.as_str())
    }

    /// The form `spec` makes for `target` where the user is, validated.
    pub fn open(spec: &'static dyn FormSpec, d: &Design, target: FormTarget, ctx: &Context) -> Result<Form, String> {
        let fields = spec.fields(d, &target, ctx)?;
        let title = spec.title(d, &target, Lang::En);
        let mut form = Form::new(spec, target, title, fields);
        form.validate(d);
        Ok(form)
    }

    /// The id being edited, if the form edits a resource.
    pub fn editing(&self) -> Option<&str> {
        match &self.target {
            FormTarget::Edit(id) => Some(id),
            _ => None,
        }
    }

    /// A field's value by key ("" if the form has no such field).
    pub fn get(&self, key: &str) -> &str {
        self.fields.iter().find(|f| f.key == key).map_or("", |f| f.value().trim())
    }

    /// A yes/no field.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key) == "yes"
    }

    pub fn field_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    /// Whether ←/→ and Space change the focused field (a choice or yes/no).
    pub fn focused_is_choice(&self) -> bool {
        self.focused().is_some_and(|f| f.is_choice() && !f.locked)
    }

    /// Move to the next editable field (wrapping).
    pub fn next_field(&mut self) {
        self.step(1);
    }

    pub fn prev_field(&mut self) {
        self.step(-1);
    }

    fn step(&mut self, dir: isize) {
        let n = self.fields.len();
        if n == 0 {
            return;
        }
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.touched = true;
        }
        let mut i = self.focus;
        for _ in 0..n {
            i = (i as isize + dir).rem_euclid(n as isize) as usize;
            if !self.fields[i].locked {
                break;
            }
        }
        self.focus_field(i);
    }

    /// Edit the focused field. Returns the key of the field that changed, if one did.
    pub fn input(&mut self, m: InputMsg, lang: Lang) -> Option<&'static str> {
        let f = self.fields.get_mut(self.focus)?;
        if f.locked {
            let label = ui(lang, f.label);
            self.message = Some(uif(lang, "{label} cannot change once the resource exists", &[("label", &label)]));
            return None;
        }
        let fresh = std::mem::take(&mut self.fresh);
        let changed = match (&f.kind, m) {
            (FieldKind::Text, InputMsg::Char(c)) if fresh => {
                // The pre-filled value is selected: typing replaces it.
                f.input = LineInput::new(c.to_string());
                true
            }
            (FieldKind::Text, m) => f.input.apply(m),
            (FieldKind::Bool, InputMsg::Char(c)) if "yYnN".contains(c) => {
                let v = if c.eq_ignore_ascii_case(&'y') { "yes" } else { "no" };
                let changed = f.input.text != v;
                f.input = LineInput::new(v);
                changed
            }
            (FieldKind::Choice(_) | FieldKind::Multi(_), m) => f.type_ahead(m),
            _ => false,
        };
        if changed {
            f.touched = true;
            self.message = None;
            Some(f.key)
        } else {
            None
        }
    }

    /// Cycle the focused choice or yes/no field. Returns the key if it changed.
    pub fn cycle(&mut self, dir: i8) -> Option<&'static str> {
        let f = self.fields.get_mut(self.focus)?;
        if f.locked {
            return None;
        }
        match &f.kind {
            FieldKind::Bool => {
                let v = if f.input.text == "yes" { "no" } else { "yes" };
                f.input = LineInput::new(v);
            }
            FieldKind::Choice(opts) if !opts.is_empty() => {
                // Among the matches of what is typed (all when nothing is).
                let m = f.matches();
                if m.is_empty() {
                    return None;
                }
                let n = m.len() as isize;
                let cur = m.iter().position(|&i| opts[i].value == f.input.text).unwrap_or(0) as isize;
                let next = (cur + isize::from(dir)).rem_euclid(n) as usize;
                f.pick = next;
                f.input = LineInput::new(opts[m[next]].value.clone());
            }
            FieldKind::Multi(_) => {
                // Move the highlight; Space ticks.
                let n = f.matches().len() as isize;
                if n > 0 {
                    f.pick = (f.pick as isize + isize::from(dir)).rem_euclid(n) as usize;
                }
                return None;
            }
            _ => return None,
        }
        f.touched = true;
        self.message = None;
        Some(f.key)
    }

    /// Pick the focused picker's match `row` (a click on it): one of a list is ticked or
    /// unticked, a single choice takes it. Returns the key if the value changed.
    pub fn pick_match(&mut self, row: usize) -> Option<&'static str> {
        let f = self.fields.get_mut(self.focus).filter(|f| !f.locked)?;
        let i = *f.matches().get(row)?;
        f.pick = row;
        let changed = match &f.kind {
            FieldKind::Multi(_) => f.toggle().unwrap_or(false),
            FieldKind::Choice(opts) => {
                let v = opts[i].value.clone();
                let changed = v != f.input.text;
                f.input = LineInput::new(v);
                changed
            }
            _ => false,
        };
        f.touched = true;
        self.message = None;
        changed.then_some(f.key)
    }

    /// Run every check and put each error beside its field; what is about no field is the
    /// form's problem.
    pub fn validate(&mut self, design: &Design) {
        let errors = self.spec.0.check(self, design);
        self.notes = self.spec.0.notes(self);
        self.preview = self.spec.0.preview(self, design);
        for f in &mut self.fields {
            f.error = errors.iter().find(|(k, _)| *k == f.key).map(|(_, e)| e.clone());
        }
        self.problem = errors.into_iter().find(|(k, _)| !self.fields.iter().any(|f| f.key == *k)).map(|(_, e)| e);
    }

    /// Errors the user should see now (touched fields, or all after a submit).
    pub fn visible_error<'a>(&self, f: &'a Field) -> Option<&'a Text> {
        if f.touched || self.submitted {
            f.error.as_ref()
        } else {
            None
        }
    }

    pub fn is_valid(&self) -> bool {
        self.problem.is_none() && self.fields.iter().all(|f| f.error.is_none())
    }

    /// Prepare a submit: validate everything and, when something is wrong, focus the first bad
    /// field and say how many need attention. Returns whether the form may be applied.
    pub fn check_for_submit(&mut self, design: &Design, lang: Lang) -> bool {
        self.submitted = true;
        self.validate(design);
        let bad: Vec<usize> =
            self.fields.iter().enumerate().filter(|(_, f)| f.error.is_some()).map(|(i, _)| i).collect();
        match bad.first() {
            None if self.problem.is_some() => {
                self.message = self.problem.as_ref().map(|p| uif(lang, "Not applied: {p}", &[("p", &p.render(lang))]));
                false
            }
            None => true,
            Some(&first) => {
                self.focus_field(first);
                let f = &self.fields[first];
                let what = f.error.as_ref().map(|e| e.render(lang)).unwrap_or_default();
                let label = ui(lang, f.label);
                self.message = Some(if bad.len() == 1 {
                    uif(lang, "Not applied: {label}: {what}", &[("label", &label), ("what", &what)])
                } else {
                    uif(
                        lang,
                        "Not applied: {n} fields need attention; {label}: {what}",
                        &[("n", &bad.len()), ("label", &label), ("what", &what)],
                    )
                });
                false
            }
        }
    }

    /// A field changed: let the kind refresh dependent fields (a subnet's AZ list follows its
    /// VPC) and validate again.
    pub fn changed(&mut self, key: &str, design: &Design) {
        self.spec.0.changed(self, key, design);
        self.validate(design);
    }
}
