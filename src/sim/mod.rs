//! Simulation and analysis over a design: the design lint (`checks`) and the trace engine.
//!
//! The trace engine: build a [`TraceIndex`] once per design, then [`TraceIndex::trace`] a
//! [`TraceRequest`] (parse one from user text with [`TraceRequest::parse`]). The result
//! ([`TraceResult`]) lists every hop of the request and of its reply, with the rule of
//! `aws-network-semantics.md` that decided it, and every blocker with a suggested fix.
//! [`render_text`] prints it the way the blog posts number their flows.
//!
//! This module is pure: no terminal code.

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
pub use render::{circled, render_text};
pub use request::{parse_endpoint, parse_protocol, Endpoint, TraceRequest, DEFAULT_SRC_PORT, INTERNET_HOST};
pub use result::{Blocker, Component, Disposition, Header, Hop, TraceResult, Verdict};
pub use routing::{route_lookup, LostBecause, RouteLookup};
pub use vocab::{Code, ComponentKind, HopAction};

use crate::model::Design;

/// Trace one flow through a design (builds an index; reuse a [`TraceIndex`] for many flows).
pub fn trace(design: &Design, req: &TraceRequest) -> TraceResult {
    TraceIndex::new(design).trace(req)
}
