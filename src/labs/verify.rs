//! Running a lab's traces against their expectations (`vpcraft lab check`).

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
    let mut design = start_design(lab)?;
    let mut out = Vec::new();
    for (i, step) in lab.steps.iter().enumerate() {
        apply_step(lab, i, &mut design)?;
        for t in &step.traces {
            let (result, problems) = check_trace(&design, t);
            out.push(TraceOutcome { step: i, expected: t.clone(), result, problems });
        }
    }
    Ok(out)
}
