//! Running a lab's traces against their expectations (`vpcraft lab check`).

use super::lesson::{self, BlogHops};
use super::run::{apply_step, expanded, start_design};
use super::{Lab, LabTrace};
use crate::model::Design;
use crate::sim::{trace, ComponentKind, Hop, TraceRequest, TraceResult};

/// The outcome of one expected trace.
#[derive(Debug, Clone)]
pub struct TraceOutcome {
    /// 0-based step index.
    pub step: usize,
    pub expected: LabTrace,
    /// The trace's result, when the request could be built.
    pub result: Option<TraceResult>,
    /// What did not match; empty when the trace passed.
    pub problems: Vec<String>,
    /// The hops each of the trace's blog steps covers, computed from the result.
    pub blog: Vec<BlogHops>,
}

/// The outcome of checking a step's texts (or, with no step, the lab's title and summary)
/// against the hops its traces computed, in both languages.
#[derive(Debug, Clone)]
pub struct TextOutcome {
    /// 0-based step index; `None` for the lab's own title and summary.
    pub step: Option<usize>,
    /// The blog markers the step's text uses, with their computed hops.
    pub hops: Vec<BlogHops>,
    pub problems: Vec<String>,
}

/// Everything `lab check` verifies of one lab.
#[derive(Debug, Clone)]
pub struct LessonReport {
    pub traces: Vec<TraceOutcome>,
    pub texts: Vec<TextOutcome>,
}

impl TraceOutcome {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Whether a hop is where the flow passes what an entry names: the component's name, id or
/// kind, or a prefix of its id such as `vpce`. An instance is passed where its network
/// interface decides (the src/dst check); a subnet where its network ACL is evaluated (the
/// hop's typed `subnet`, never its sentence).
pub fn hop_matches(d: &Design, h: &Hop, want: &str) -> bool {
    let c = &h.component;
    let eni_of_instance = c.kind == ComponentKind::NetworkInterface
        && d.network_interface(&c.id)
            .and_then(|e| e.instance.as_deref())
            .and_then(|i| d.instance(i))
            .is_some_and(|i| i.name == want);
    let subnet_edge = c.kind == ComponentKind::NetworkAcl
        && h.subnet.as_deref().and_then(|s| d.subnet(s)).is_some_and(|s| s.name == want);
    eni_of_instance
        || subnet_edge
        || c.name.eq_ignore_ascii_case(want)
        || c.id.eq_ignore_ascii_case(want)
        || c.kind.as_str().eq_ignore_ascii_case(want)
        || c.id.starts_with(&format!("{want}-"))
}

/// Run one expected trace on a design.
pub fn check_trace(design: &Design, t: &LabTrace) -> (Option<TraceResult>, Vec<String>) {
    let (r, problems, _) = check_trace_blog(design, t);
    (r, problems)
}

/// Run one expected trace on a design: the result, what did not match (the verdict, the code,
/// the flow, each blog step's components, kind and action) and the hops of its blog steps.
pub fn check_trace_blog(design: &Design, t: &LabTrace) -> (Option<TraceResult>, Vec<String>, Vec<BlogHops>) {
    let (r, mut problems) = run_trace(design, t);
    let Some(r) = r else { return (None, problems, Vec::new()) };
    let (blog, blog_problems) = lesson::blog_hops(design, t, &r);
    problems.extend(blog_problems);
    (Some(r), problems, blog)
}

fn run_trace(design: &Design, t: &LabTrace) -> (Option<TraceResult>, Vec<String>) {
    let (from, to) = match expanded(design, t) {
        Ok(x) => x,
        Err(e) => return (None, vec![e]),
    };
    let req = match TraceRequest::parse(design, &from, &to, &t.proto, t.port, None) {
        Ok(r) => r,
        Err(e) => return (None, vec![e]),
    };
    let r = trace(design, &req);
    let mut problems = Vec::new();
    let verdict = r.verdict.to_string();
    if verdict != t.expect {
        problems.push(format!("expected {}, got {} ({})", t.expect, verdict, r.reason.clone().unwrap_or_default()));
    }
    if let Some(code) = t.code {
        if r.code != Some(code) {
            problems.push(format!("expected code {code}, got {}", r.code.map_or("none", |c| c.as_str())));
        }
    }
    // The flow is a subsequence of the forward path's components.
    let mut hops = r.forward.iter();
    for want in &t.flow {
        if !hops.any(|h| hop_matches(design, h, want)) {
            let path: Vec<String> = r.forward.iter().map(|h| h.component.name.clone()).collect();
            problems.push(format!("flow: '{want}' is not on the path (in order) {}", path.join(" → ")));
            break;
        }
    }
    (Some(r), problems)
}

/// Run every trace of a lab, building the design step by step.
pub fn check_lab(lab: &Lab) -> Result<Vec<TraceOutcome>, String> {
    check_lesson(lab).map(|r| r.traces)
}

/// Check a whole lesson against the engine: every trace (verdict, code, flow, blog steps) and
/// every text in English and Korean (no typed hop numbers, every marker defined, the hops
/// shown beside each marker are the trace's).
pub fn check_lesson(lab: &Lab) -> Result<LessonReport, String> {
    let mut design = start_design(lab)?;
    let mut traces = Vec::new();
    let mut texts = vec![TextOutcome {
        step: None,
        hops: Vec::new(),
        problems: lesson::lab_text_problems(&lab.title, &lab.summary),
    }];
    for (i, step) in lab.steps.iter().enumerate() {
        apply_step(lab, i, &mut design)?;
        let first = traces.len();
        for t in &step.traces {
            let (result, problems, blog) = check_trace_blog(&design, t);
            traces.push(TraceOutcome { step: i, expected: t.clone(), result, problems, blog });
        }
        let done = &traces[first..];
        let per_trace: Vec<Vec<BlogHops>> = done.iter().map(|o| o.blog.clone()).collect();
        let results: Vec<Option<TraceResult>> = done.iter().map(|o| o.result.clone()).collect();
        let hops = lesson::step_hops(step, &per_trace);
        let problems = lesson::text_problems(&design, step, &results, &hops);
        texts.push(TextOutcome { step: Some(i), hops, problems });
    }
    Ok(LessonReport { traces, texts })
}
