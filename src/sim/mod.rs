//! Simulation and analysis over a design: the design lint (`checks`) and the trace engine.
//!
//! The trace engine: build a [`TraceIndex`] once per design, then [`TraceIndex::trace`] a
//! [`TraceRequest`] (parse one from user text with [`TraceRequest::parse`]). The result
//! ([`TraceResult`]) lists every hop of the request and of its reply, with the rule of
//! `aws-network-semantics.md` that decided it, and every blocker with a suggested fix.
//! [`render_text`] prints it the way the blog posts number their flows.
//!
//! This module is pure: no terminal code.

/// Text built only when someone will read it. A hop's decision is a value ([`Explanation`])
/// the engine records without formatting and a renderer says in a language when a cell is
/// opened or a trace printed; whole-network questions (the reach matrix, the audit, the diff)
/// trace [`quietly`] and never render. What is still formatted in the engine is wrapped here:
/// the rare decisions kept as sentences (`Explanation::Said`), the matched rule and beaten
/// routes, and the fixes; a quiet trace leaves them empty (fixed string literals cost
/// nothing and stay).
macro_rules! said {
    ($e:expr) => {
        if $crate::sim::is_quiet() {
            Default::default()
        } else {
            $e
        }
    };
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether traces on this thread skip their explanation text (see [`quietly`]).
pub(crate) fn is_quiet() -> bool {
    QUIET.with(|q| q.get())
}

/// Run `f` with traces on this thread leaving their explanation text empty: verdicts, codes,
/// dispositions, components, headers and rules are exactly those of a full trace.
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> T {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            QUIET.with(|q| q.set(self.0));
        }
    }
    let _reset = Reset(QUIET.with(|q| q.replace(true)));
    f()
}

pub mod audit;
pub mod checks;
pub mod diff;

mod dns;
mod engine;
pub mod explain;
mod filters;
mod fixes;
pub mod hypothetical;
pub mod index;
mod inspect;
mod managed;
pub mod reach;
pub mod render;
pub mod request;
pub mod result;
pub mod routing;
mod targets;
mod trace;
pub mod vocab;

pub use explain::Explanation;
pub use hypothetical::{Hypothetical, HypotheticalEndpoint};
pub use index::TraceIndex;
pub use render::{circled, render_text, render_text_in};
pub use request::{parse_endpoint, parse_protocol, Endpoint, TraceRequest, DEFAULT_SRC_PORT, INTERNET_HOST};
pub use result::{Blocker, Component, Disposition, Header, Hop, TraceResult, Verdict};
pub use routing::{route_lookup, LostBecause, RouteLookup};
pub use vocab::{Code, ComponentKind, HopAction};

use crate::model::Design;

/// Trace one flow through a design (builds an index; reuse a [`TraceIndex`] for many flows).
pub fn trace(design: &Design, req: &TraceRequest) -> TraceResult {
    TraceIndex::new(design).trace(req)
}

#[cfg(test)]
mod quiet_tests {
    use super::*;

    /// A quiet trace is the full trace without its sentences: the same verdict, disposition,
    /// code, hops (components, actions, rules, headers, typed decisions) and blockers (steps,
    /// components, codes), over every pair of the endpoint lab's ends on ports that pass and
    /// that drop; no sentence is formatted.
    #[test]
    fn a_quiet_trace_differs_from_the_full_one_only_in_its_text() {
        let d = crate::assets::example("endpoint-lab").expect("example");
        let ix = TraceIndex::new(&d);
        let mut ends: Vec<String> = d.subnets.iter().map(|s| s.id.clone()).collect();
        ends.extend(d.instances.iter().map(|i| i.id.clone()));
        ends.push("internet".into());
        ends.push("s3.ap-northeast-2.amazonaws.com".into());
        let (mut typed, mut said) = (0, 0);
        for from in &ends {
            for to in &ends {
                for port in [22, 443] {
                    let Ok(req) = TraceRequest::parse(&d, from, to, "tcp", Some(port), None) else { continue };
                    let full = ix.trace(&req);
                    let quiet = quietly(|| ix.trace(&req));
                    assert!(!is_quiet(), "quiet mode ends with its scope");
                    let shape = |r: &TraceResult| {
                        let hops: Vec<_> = r
                            .hops()
                            .map(|h| (h.step, h.component.clone(), h.action, h.rule, h.before, h.after))
                            .collect();
                        let blockers: Vec<_> =
                            r.blockers.iter().map(|b| (b.step, b.component.clone(), b.code)).collect();
                        (r.verdict, r.disposition, r.code, hops, blockers)
                    };
                    assert_eq!(shape(&full), shape(&quiet), "{from} → {to}:{port}");
                    // The typed decisions are the same values (never rendered); the rare
                    // sentences built from text (`Said`) are not built at all.
                    for (f, q) in full.hops().zip(quiet.hops()) {
                        match (&f.decision, &q.decision) {
                            (Explanation::Said(_), Explanation::Unsaid) => said += 1,
                            (a, b) => assert_eq!(a, b, "{from} → {to}:{port}: step {}", f.step),
                        }
                        assert!(
                            !matches!(q.decision, Explanation::Said(_)),
                            "a quiet trace formats nothing: {:?}",
                            q.decision
                        );
                        typed += usize::from(f.decision.message().is_some());
                    }
                }
            }
        }
        assert!(typed > 100, "most decisions are typed values ({typed} typed, {said} sentences)");
    }
}
