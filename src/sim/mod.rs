//! Simulation and analysis over a design: the design lint (`checks`) and the trace engine.
//!
//! The trace engine: build a [`TraceIndex`] once per design, then [`TraceIndex::trace`] a
//! [`TraceRequest`] (parse one from user text with [`TraceRequest::parse`]). The result
//! ([`TraceResult`]) lists every hop of the request and of its reply, with the rule of
//! `aws-network-semantics.md` that decided it, and every blocker with a suggested fix.
//! [`render_text`] prints it the way the blog posts number their flows.
//!
//! This module is pure: no terminal code.

/// The explanation text of a hop, blocker or fix: built only when someone will read it.
/// Whole-network questions (the reach matrix, the audit, the diff) trace [`quietly`]: they need
/// the verdict, the code and the components of every hop, never the sentences, and building
/// those was most of a matrix's time. A quiet trace gives the same hops with their formatted
/// sentences left empty (fixed ones, string literals, cost nothing and stay); the
/// English sentences are the expressions wrapped here (and `engine::text`), rendered when a
/// cell is opened or a trace printed; `render` prints them.
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
    /// code, hops (components, actions, rules, headers) and blockers (steps, components,
    /// codes), over every pair of the endpoint lab's ends on ports that pass and that drop.
    #[test]
    fn a_quiet_trace_differs_from_the_full_one_only_in_its_text() {
        let d = crate::assets::example("endpoint-lab").expect("example");
        let ix = TraceIndex::new(&d);
        let mut ends: Vec<String> = d.subnets.iter().map(|s| s.id.clone()).collect();
        ends.extend(d.instances.iter().map(|i| i.id.clone()));
        ends.push("internet".into());
        ends.push("s3.ap-northeast-2.amazonaws.com".into());
        let (mut texts, mut full_text, mut quiet_text) = (0, 0, 0);
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
                    // Fixed sentences (string literals) cost nothing and may stay; formatted ones go.
                    let text = |r: &TraceResult| r.hops().map(|h| h.decision.len()).sum::<usize>();
                    full_text += text(&full);
                    quiet_text += text(&quiet);
                    texts += full.hops().filter(|h| !h.decision.is_empty()).count();
                }
            }
        }
        assert!(texts > 100, "the full traces do explain themselves ({texts} decisions)");
        assert!(quiet_text * 10 < full_text, "quiet traces build almost no text: {quiet_text} of {full_text} bytes");
    }
}
