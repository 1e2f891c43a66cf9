//! The animated trace view: the request (a picker over the design's endpoints), the result, and
//! the animation state that walks the packet along the path hop by hop.
//!
//! The animation is time-based: [`tick`] gets the time and advances as many steps as the speed
//! says have passed since the last one, so it never blocks and never depends on frame rates.

use super::forms::LineInput;
use super::msg::InputMsg;
use super::tree::NodeRef;
use super::{App, Pane};
use crate::model::{EndpointKind, ResourceKind as RK, ServiceCatalog};
use crate::sim::{Hop, TraceRequest, TraceResult};
use std::time::{Duration, Instant};

/// How long one step lasts at 1×.
pub const STEP: Duration = Duration::from_millis(800);

/// The speeds, slowest first.
pub const SPEEDS: [f32; 4] = [0.5, 1.0, 2.0, 4.0];

/// Which run of the packet is playing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    #[default]
    Forward,
    Return,
}

/// Where the animation is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anim {
    pub phase: Phase,
    /// Index of the current hop in the phase's path.
    pub index: usize,
    pub playing: bool,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// When the last step happened; `None` until the first tick after play.
    pub last_advance: Option<Instant>,
}

impl Default for Anim {
    fn default() -> Anim {
        Anim { phase: Phase::Forward, index: 0, playing: false, speed: 1, last_advance: None }
    }
}

impl Anim {
    /// The length of one step at the current speed.
    pub fn step_duration(&self) -> Duration {
        // Exact arithmetic (no float rounding), so tests can tick at exact multiples.
        match self.speed {
            0 => STEP * 2,
            2 => STEP / 2,
            3 => STEP / 4,
            _ => STEP,
        }
    }

    /// `1×`, `0.5×` …
    pub fn speed_label(&self) -> String {
        let s = SPEEDS.get(self.speed).copied().unwrap_or(1.0);
        if s < 1.0 {
            format!("{s}×")
        } else {
            format!("{}×", s as u32)
        }
    }
}

/// A trace request as the user typed it (what "re-trace" runs again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub from: String,
    pub to: String,
    pub protocol: String,
    /// Empty for none (ICMP).
    pub port: String,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec { from: String::new(), to: "internet".into(), protocol: "tcp".into(), port: "443".into() }
    }
}

impl Spec {
    /// The request, parsed against a design.
    pub fn request(&self, d: &crate::model::Design) -> Result<TraceRequest, crate::l10n::Text> {
        let port = match self.port.trim() {
            "" => None,
            p => Some(
                p.parse::<u16>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| crate::text!("port: '{p}' is not a number 1-65535"))?,
            ),
        };
        TraceRequest::parse(d, &self.from, &self.to, &self.protocol, port, None)
    }

    /// `from → to tcp/443`.
    pub fn label(&self) -> String {
        let port = if self.port.trim().is_empty() { String::new() } else { format!("/{}", self.port.trim()) };
        format!("{} → {} {}{port}", self.from, self.to, self.protocol)
    }
}

/// The kind words a candidate's label starts with that are words, not AWS's abbreviations.
const KIND_WORDS: [&str; 5] = ["instance", "subnet", "internet", "service", "endpoint"];

/// One choice of the picker: what it shows and what it puts in the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// In English: what the type-ahead filters on (the design's names and ids, and the note).
    pub label: String,
    pub value: String,
    /// The interface words that end the label ("a host on the internet"), said in the app's
    /// language on screen (`ui-…`); empty for none.
    pub note: &'static str,
}

impl Candidate {
    fn new(label: String, value: String) -> Candidate {
        Candidate { label, value, note: "" }
    }

    /// A candidate whose label ends with interface words.
    fn noted(label: String, note: &'static str, value: String) -> Candidate {
        Candidate { label: format!("{label}{note}"), value, note }
    }

    /// The label as the picker shows it in `lang`: the kind word it starts with and the note
    /// in that language (AWS's abbreviations, `eni`, `nat`, `lb`, `dns`, `db`, `lambda`, `ecs`,
    /// `eks`, stay as they are), the column kept by display width.
    pub fn shown(&self, lang: crate::l10n::Lang) -> String {
        let label = match self.label.strip_suffix(self.note) {
            Some(head) if !self.note.is_empty() => format!("{head}{}", crate::l10n::ui(lang, self.note)),
            _ => self.label.clone(),
        };
        let word = label.split(' ').next().unwrap_or_default();
        if lang == crate::l10n::Lang::En || !KIND_WORDS.contains(&word) {
            return label;
        }
        let rest = &label[word.len()..];
        let column = label.len() - rest.trim_start().len();
        let said = crate::l10n::ui(lang, word);
        let pad = column.saturating_sub(unicode_width::UnicodeWidthStr::width(said.as_str())).max(1);
        format!("{said}{}{}", " ".repeat(pad), rest.trim_start())
    }
}

/// The four fields of the picker.
pub const FIELDS: [&str; 4] = ["From", "To", "Protocol", "Port"];

/// The trace picker: from and to with type-ahead over the design's endpoints, protocol, port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracePicker {
    pub inputs: [LineInput; 4],
    /// The focused field.
    pub field: usize,
    /// Every candidate for from and to.
    pub candidates: Vec<Candidate>,
    /// Index into the visible candidates.
    pub selected: usize,
    /// Why the last run was refused.
    pub message: Option<String>,
    /// The focused field's pre-filled value is selected as a whole (as in a form, issue 16
    /// item 5): the first printable key replaces it, a move keeps it for editing, and until
    /// then it does not filter the candidates.
    pub fresh: bool,
    /// A candidate was chosen with the arrows or a click: Enter or Tab takes it, whatever the
    /// field holds.
    pub picked: bool,
}

impl TracePicker {
    /// The candidates matching the focused field's text (none for protocol and port); a
    /// pre-filled value not yet edited lists them all.
    pub fn visible(&self) -> Vec<&Candidate> {
        if self.field > 1 {
            return Vec::new();
        }
        let f = if self.fresh { String::new() } else { self.inputs[self.field].text.trim().to_lowercase() };
        self.candidates.iter().filter(|c| f.is_empty() || c.label.to_lowercase().contains(&f)).collect()
    }

    /// Focus field `i`: its value, if any, is selected as a whole.
    fn focus(&mut self, i: usize) {
        self.field = i;
        self.selected = 0;
        self.picked = false;
        self.fresh = !self.inputs[i].text.is_empty();
    }

    fn spec(&self) -> Spec {
        Spec {
            from: self.inputs[0].text.trim().to_string(),
            to: self.inputs[1].text.trim().to_string(),
            protocol: self.inputs[2].text.trim().to_string(),
            port: self.inputs[3].text.trim().to_string(),
        }
    }
}

/// Messages of the trace view and its picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceMsg {
    /// Time passes (tests give the time; the app's tick gives now).
    Tick(Instant),
    PlayPause,
    StepForward,
    StepBack,
    Restart,
    Faster,
    Slower,
    /// Open the picker for a new trace.
    New,
    /// Trace the same request again against the current design.
    Retrace,
    /// Select the current step's component in the tree (or the route pane).
    Jump,
    PickerInput(InputMsg),
    PickerUp,
    PickerDown,
    PickerNextField,
    PickerPrevField,
    /// Go to field i (a click on it): the highlighted candidate is taken, as Tab does.
    PickerField(usize),
    /// Accept the highlighted candidate and go on; on the last field, run.
    PickerEnter,
    PickerRun,
    PickerCancel,
}

/// The trace view's state.
#[derive(Debug, Clone, Default)]
pub struct TraceView {
    /// The last request (kept when the picker is cancelled and for re-trace).
    pub spec: Option<Spec>,
    pub result: Option<TraceResult>,
    pub anim: Anim,
    /// The lesson's blog steps and the hops they cover, when a lab loaded the trace: drawn as
    /// `[n]` beside those hops.
    pub blog: Vec<crate::labs::BlogHops>,
}

impl TraceView {
    /// The hops of the phase playing.
    pub fn hops(&self) -> &[Hop] {
        match (&self.result, self.anim.phase) {
            (Some(r), Phase::Forward) => &r.forward,
            (Some(r), Phase::Return) => &r.return_path,
            (None, _) => &[],
        }
    }

    /// The blog steps (`[n]`) that cover hop number `step`.
    pub fn blog_of(&self, step: u32) -> impl Iterator<Item = u32> + '_ {
        self.blog.iter().filter(move |b| b.hops.contains(&step)).map(|b| b.n)
    }

    /// The hop the packet is at.
    pub fn current(&self) -> Option<&Hop> {
        self.hops().get(self.anim.index)
    }

    /// Whether the packet is moving (the loop ticks faster then).
    pub fn is_playing(&self) -> bool {
        self.anim.playing && self.result.is_some()
    }

    /// Whether the animation is at its last step.
    pub fn at_end(&self) -> bool {
        let Some(r) = &self.result else { return true };
        let last_phase = if r.return_path.is_empty() { Phase::Forward } else { Phase::Return };
        self.anim.phase == last_phase && self.anim.index + 1 >= self.hops().len()
    }

    /// One step on; false at the end.
    pub fn advance(&mut self) -> bool {
        let Some(r) = &self.result else { return false };
        let len = self.hops().len();
        if self.anim.index + 1 < len {
            self.anim.index += 1;
            true
        } else if self.anim.phase == Phase::Forward && !r.return_path.is_empty() {
            self.anim.phase = Phase::Return;
            self.anim.index = 0;
            true
        } else {
            false
        }
    }

    /// One step back; false at the start.
    pub fn back(&mut self) -> bool {
        if self.anim.index > 0 {
            self.anim.index -= 1;
            true
        } else if self.anim.phase == Phase::Return {
            self.anim.phase = Phase::Forward;
            self.anim.index = self.result.as_ref().map_or(0, |r| r.forward.len().saturating_sub(1));
            true
        } else {
            false
        }
    }

    /// Back to the first step, playing.
    pub fn restart(&mut self) {
        self.anim.phase = Phase::Forward;
        self.anim.index = 0;
        self.anim.playing = self.result.is_some();
        self.anim.last_advance = None;
    }

    /// Show a new result from its first step, playing.
    pub fn load(&mut self, spec: Spec, result: TraceResult) {
        self.spec = Some(spec);
        self.result = Some(result);
        self.blog.clear();
        self.restart();
    }

    /// Time passes: advance as many steps as fit since the last one.
    pub fn tick(&mut self, now: Instant) {
        if !self.is_playing() {
            return;
        }
        let step = self.anim.step_duration();
        let Some(mut last) = self.anim.last_advance else {
            self.anim.last_advance = Some(now);
            return;
        };
        // Never more than a screenful of steps at once (after a long stall, just catch up).
        for _ in 0..64 {
            if now.saturating_duration_since(last) < step {
                break;
            }
            last += step;
            if !self.advance() {
                self.anim.playing = false;
                break;
            }
        }
        self.anim.last_advance = Some(last);
    }
}

/// The picker's candidates: the design's instances, interfaces, NAT gateways, endpoints, load
/// balancers, `internet`, the catalog's service names for the design's regions and the
/// endpoints' own names.
pub fn candidates(d: &crate::model::Design) -> Vec<Candidate> {
    let mut out = Vec::new();
    let name_or_id = |name: &str, id: &str| -> String {
        if !name.is_empty() && d.resolve(name).is_ok_and(|r| r.id() == id) {
            name.to_string()
        } else {
            id.to_string()
        }
    };
    for i in &d.instances {
        let ip = d
            .network_interfaces
            .iter()
            .find(|e| e.instance.as_deref() == Some(i.id.as_str()))
            .and_then(|e| e.private_ips.first())
            .map(|ip| format!(" {ip}"))
            .unwrap_or_default();
        out.push(Candidate::new(format!("instance  {} ({}){ip}", i.name, i.id), name_or_id(&i.name, &i.id)));
    }
    for e in &d.network_interfaces {
        let ip = e.private_ips.first().map(|ip| format!(" {ip}")).unwrap_or_default();
        out.push(Candidate::new(format!("eni       {} ({}){ip}", e.name, e.id), name_or_id(&e.name, &e.id)));
    }
    for n in &d.nat_gateways {
        let label = format!("nat       {} ({}) ", n.name, n.id);
        out.push(match n.private_ip {
            Some(a) => Candidate::new(format!("{label}{a}"), name_or_id(&n.name, &n.id)),
            None => Candidate::noted(label, "regional", name_or_id(&n.name, &n.id)),
        });
    }
    for e in &d.endpoints {
        out.push(Candidate::new(
            format!("endpoint  {} ({}) {}", e.name, e.id, e.service_name),
            name_or_id(&e.name, &e.id),
        ));
    }
    for lb in &d.load_balancers {
        out.push(Candidate::new(format!("lb        {} ({})", lb.name, lb.id), name_or_id(&lb.name, &lb.id)));
        if !lb.dns_name.is_empty() {
            out.push(Candidate::new(format!("dns       {}", lb.dns_name), lb.dns_name.clone()));
        }
    }
    // Databases and compute in a VPC, and the endpoint names AWS gives them (M2, M9).
    for s in d.services().filter(|s| !s.interfaces().is_empty() || s.endpoint().is_some()) {
        let ip = s.interfaces().first().map(|i| format!(" {}", i.ip)).unwrap_or_default();
        out.push(Candidate::new(
            format!("{:<9} {} ({}){ip}", short_label(s), s.name(), s.id()),
            name_or_id(s.name(), s.id()),
        ));
        if let Some(e) = s.endpoint() {
            out.push(Candidate::new(format!("dns       {e}"), e.to_string()));
        }
    }
    // A subnet stands for a hypothetical interface in it (the same resolution as the CLI).
    for s in &d.subnets {
        let cidr = s.cidr.map(|c| c.to_string()).unwrap_or_default();
        out.push(Candidate::noted(
            format!("subnet    {} ({}) {cidr} — ", s.name, s.id),
            "a hypothetical interface",
            name_or_id(&s.name, &s.id),
        ));
    }
    out.push(Candidate::noted("internet  ".into(), "a host on the internet", "internet".into()));
    for e in &d.endpoints {
        if e.kind == EndpointKind::Interface {
            let region = d.vpc(&e.vpc).map_or_else(|| d.default_region.clone(), |v| v.region.clone());
            let n = e.regional_dns_name(&region);
            out.push(Candidate::new(format!("dns       {n}"), n));
        }
    }
    let mut regions: Vec<String> = d.vpcs.iter().map(|v| v.region.clone()).collect();
    regions.push(d.default_region.clone());
    regions.sort();
    regions.dedup();
    for e in ServiceCatalog::builtin().entries() {
        if regions.contains(&e.region) {
            out.push(Candidate::new(format!("service   {}", e.dns_name), e.dns_name.clone()));
        }
    }
    out
}

/// A managed service's word in the candidate list: "db", "lambda", "ecs", "eks".
fn short_label(s: crate::model::Service<'_>) -> &'static str {
    match s {
        crate::model::Service::Database(_) => "db",
        crate::model::Service::SubnetGroup(_) => "subnets",
        crate::model::Service::Compute(c) => match c.kind {
            crate::model::ComputeKind::LambdaFunction => "lambda",
            crate::model::ComputeKind::EcsService { .. } => "ecs",
            crate::model::ComputeKind::EksCluster { .. } => "eks",
        },
    }
}

/// The source the selection suggests (an instance, interface, NAT gateway, endpoint or load
/// balancer), else the first instance.
fn from_selection(app: &App) -> String {
    let id = app
        .tree
        .find_up(|n| match n {
            NodeRef::Resource {
                kind:
                    RK::Instance
                    | RK::NetworkInterface
                    | RK::NatGateway
                    | RK::VpcEndpoint
                    | RK::LoadBalancer
                    | RK::Database
                    | RK::ComputeService,
                id,
            } => Some(id.clone()),
            _ => None,
        })
        .or_else(|| app.design.instances.first().map(|i| i.id.clone()));
    match id {
        Some(id) => match app.design.find(&id) {
            Some(r) if app.design.resolve(&r.display_name()).is_ok_and(|x| x.id() == id) => r.display_name(),
            _ => id,
        },
        None => "internet".into(),
    }
}

/// Open the picker, filled with the last request (or the selection as the source).
pub fn open_picker(app: &mut App, from_tree: bool) {
    let mut spec = app.trace_view.spec.clone().unwrap_or_default();
    if from_tree || spec.from.is_empty() {
        spec.from = from_selection(app);
    }
    let inputs =
        [LineInput::new(spec.from), LineInput::new(spec.to), LineInput::new(spec.protocol), LineInput::new(spec.port)];
    app.close_popup();
    app.set_trace_picker(TracePicker {
        inputs,
        field: 1,
        candidates: candidates(&app.design),
        selected: 0,
        message: None,
        fresh: false,
        picked: false,
    });
    if let Some(p) = app.modals.trace_picker_mut() {
        p.focus(1);
    }
}

/// Trace a request and show it; returns the verdict line for the status bar.
pub fn run(app: &mut App, spec: Spec) -> Result<(), String> {
    // A request the design cannot answer is said in the app's language.
    let req = spec.request(&app.design).map_err(|e| e.render(app.lang()))?;
    let result = crate::sim::trace(&app.design, &req);
    let lang = app.lang();
    let why = match (&result.reason, result.code) {
        (Some(r), Some(c)) => format!(": {}", crate::sim::render::reason_text(r, c, lang)),
        (Some(r), None) => format!(": {}", r.render(lang)),
        _ => String::new(),
    };
    let verdict = crate::sim::render::verdict_text(&result, lang);
    app.info(crate::l10n::uif(
        lang,
        "trace {spec}: {verdict}{why}",
        &[("spec", &spec.label()), ("verdict", &verdict), ("why", &why)],
    ));
    app.trace_view.load(spec, result);
    Ok(())
}

/// Apply a trace view message.
pub fn update(app: &mut App, m: TraceMsg) {
    let tv = &mut app.trace_view;
    match m {
        TraceMsg::Tick(now) => tv.tick(now),
        TraceMsg::PlayPause => {
            if tv.result.is_none() {
                return;
            }
            if tv.anim.playing {
                tv.anim.playing = false;
            } else {
                if tv.at_end() {
                    tv.anim.phase = Phase::Forward;
                    tv.anim.index = 0;
                }
                tv.anim.playing = true;
                tv.anim.last_advance = None;
            }
        }
        TraceMsg::StepForward => {
            tv.anim.playing = false;
            tv.advance();
        }
        TraceMsg::StepBack => {
            tv.anim.playing = false;
            tv.back();
        }
        TraceMsg::Restart => tv.restart(),
        TraceMsg::Faster => tv.anim.speed = (tv.anim.speed + 1).min(SPEEDS.len() - 1),
        TraceMsg::Slower => tv.anim.speed = tv.anim.speed.saturating_sub(1),
        TraceMsg::New => open_picker(app, false),
        TraceMsg::Retrace => retrace(app),
        TraceMsg::Jump => jump(app),
        TraceMsg::PickerInput(i) => {
            if let Some(p) = app.modals.trace_picker_mut() {
                let changed = match i {
                    // The pre-filled value is selected: typing replaces it.
                    InputMsg::Char(c) if std::mem::take(&mut p.fresh) => {
                        p.inputs[p.field] = LineInput::new(c.to_string());
                        true
                    }
                    i => {
                        p.fresh = false;
                        p.inputs[p.field].apply(i)
                    }
                };
                if changed {
                    p.selected = 0;
                    p.picked = false;
                    p.message = None;
                }
            }
        }
        TraceMsg::PickerUp => {
            if let Some(p) = app.modals.trace_picker_mut() {
                p.selected = p.selected.saturating_sub(1);
                p.picked = true;
            }
        }
        TraceMsg::PickerDown => {
            if let Some(p) = app.modals.trace_picker_mut() {
                let n = p.visible().len();
                p.selected = (p.selected + 1).min(n.saturating_sub(1));
                p.picked = true;
            }
        }
        TraceMsg::PickerNextField | TraceMsg::PickerPrevField => {
            if let Some(p) = app.modals.trace_picker_mut() {
                accept(p);
                p.focus(if m == TraceMsg::PickerNextField { (p.field + 1) % 4 } else { (p.field + 3) % 4 });
            }
        }
        TraceMsg::PickerField(i) => {
            if let Some(p) = app.modals.trace_picker_mut().filter(|p| p.field != i && i < 4) {
                accept(p);
                p.focus(i);
            }
        }
        TraceMsg::PickerEnter => {
            let Some(p) = app.modals.trace_picker_mut() else { return };
            accept(p);
            if p.field < 3 {
                p.focus(p.field + 1);
            } else {
                run_picker(app);
            }
        }
        TraceMsg::PickerRun => {
            if let Some(p) = app.modals.trace_picker_mut() {
                accept(p);
            }
            run_picker(app);
        }
        TraceMsg::PickerCancel => {
            app.take_trace_picker();
        }
    }
}

/// Put the highlighted candidate into the from/to field (when one was chosen with the arrows
/// or a click, or the field is not already exactly a candidate's value, a typed address or a
/// pre-filled value left as it is).
fn accept(p: &mut TracePicker) {
    if p.field > 1 {
        return;
    }
    let picked = std::mem::take(&mut p.picked);
    let text = p.inputs[p.field].text.trim().to_string();
    let typed_ip = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.');
    let kept =
        (p.fresh && !text.is_empty()) || typed_ip || p.candidates.iter().any(|c| c.value.eq_ignore_ascii_case(&text));
    if kept && !picked {
        return;
    }
    let chosen = p.visible().get(p.selected).map(|c| c.value.clone());
    if let Some(v) = chosen {
        p.inputs[p.field] = LineInput::new(v);
    }
}

fn run_picker(app: &mut App) {
    let Some(p) = app.take_trace_picker() else { return };
    let spec = p.spec();
    match run(app, spec) {
        Ok(()) => app.focus = Pane::Trace,
        Err(e) => {
            let mut p = p;
            p.message = Some(crate::l10n::uif(app.lang(), "Not traced: {e}", &[("e", &e)]));
            app.set_trace_picker(p);
        }
    }
}

/// Trace the last request again against the design as it is now.
pub fn retrace(app: &mut App) {
    let Some(spec) = app.trace_view.spec.clone() else {
        open_picker(app, true);
        return;
    };
    if let Err(e) = run(app, spec) {
        app.error(crate::l10n::uif(app.lang(), "not traced: {e}", &[("e", &e)]));
    }
}

/// Select the current step's component: in the tree, and for a route table also the route
/// pane (which shows the table selected in the tree).
pub fn jump(app: &mut App) {
    let Some(hop) = app.trace_view.current().cloned() else {
        app.error(crate::l10n::ui(app.lang(), "no trace step to jump from"));
        return;
    };
    let c = &hop.component;
    let mut target = c.id.clone();
    if app.design.find(&target).is_none() {
        app.error(crate::l10n::uif(app.lang(), "{c} is not a resource of the design", &[("c", &c.label())]));
        return;
    }
    if !app.select_resource(&target) {
        // An instance's interface may be shown under its instance.
        if let Some(i) = app.design.network_interface(&target).and_then(|e| e.instance.clone()) {
            target = i;
        }
        if !app.select_resource(&target) {
            app.error(crate::l10n::uif(
                app.lang(),
                "{c} is not shown in the tree (check the filter)",
                &[("c", &c.label())],
            ));
            return;
        }
    }
    app.focus = if c.kind == crate::sim::ComponentKind::RouteTable { Pane::Routes } else { Pane::Tree };
    app.info(crate::l10n::uif(app.lang(), "selected {c}", &[("c", &c.label())]));
}

#[cfg(test)]
mod tests {
    /// Issue 16 item 9: the picker's port that is no port is refused in the app's language.
    #[test]
    fn a_port_that_is_no_port_is_refused_in_korean() {
        use crate::l10n::Lang;
        let d = crate::assets::default_example();
        let spec = super::Spec { from: "jhPrivateEC2".into(), port: "0".into(), ..Default::default() };
        let why = spec.request(&d).expect_err("port 0");
        assert_eq!(why.render(Lang::En), "port: '0' is not a number 1-65535");
        assert_eq!(why.render(Lang::Ko), "포트: '0'은(는) 1-65535 숫자가 아닙니다");
    }
}
