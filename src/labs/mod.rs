//! Guided labs: the numbered flows of the source blog posts, built step by step.
//!
//! A lab is a data file in `assets/labs/` (embedded): a starting design, then ordered steps.
//! A step has narration in English and Korean, edits to apply (the same [`Op`]s the editor
//! uses), and traces with their expected verdict and numbered flow. "Try it yourself" steps
//! let the user make the change in the app; the lab checks it by running the step's traces.

mod catalog;
pub mod describe;
pub mod lesson;
pub mod run;
pub mod verify;

pub use catalog::{all, by_name, LAB_FILES};
pub use lesson::BlogHops;

use crate::model::ops::Op;
use serde::{Deserialize, Serialize};

pub use crate::l10n::Lang;

/// Text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub ko: String,
}

impl Text {
    /// The text in a language, falling back to English.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko if !self.ko.is_empty() => &self.ko,
            _ => &self.en,
        }
    }
}

/// What a lab starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Start {
    /// An empty design in a region.
    Empty { region: String },
    /// A built-in example design.
    Example(String),
}

/// A trace a step runs, with what it must show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabTrace {
    /// Source: a resource name, an address, `internet` … (as `vpcraft trace --from`).
    /// `@regional-dns:ENDPOINT` and `@zonal-dns:ENDPOINT:AZ` stand for an interface
    /// endpoint's own DNS names (E5).
    pub from: String,
    /// Destination, with the same forms plus DNS names.
    pub to: String,
    #[serde(default = "tcp")]
    pub proto: String,
    #[serde(default)]
    pub port: Option<u16>,
    /// `delivered` or `dropped`.
    pub expect: String,
    /// For a drop, the explanation code expected.
    #[serde(default)]
    pub code: Option<crate::sim::Code>,
    /// The numbered flow: names (or kinds) of the components the forward path must pass, in
    /// order — the source's ①②③….
    #[serde(default)]
    pub flow: Vec<String>,
    /// What this trace shows, in a sentence.
    #[serde(default)]
    pub caption: Text,
    /// The blog's own numbered steps this trace shows (`[1]`, `[2]` … in the narration): what
    /// each covers and decides. Their hop numbers are computed from the trace, never written.
    #[serde(default)]
    pub blog: Vec<BlogStep>,
}

/// One step of a blog post's numbered flow ("flow ②" in the post, `[2]` in the lesson), as a
/// claim about the trace: the components it covers, in path order, and what the last of them
/// decides. `lab check` verifies it; the hops it covers are computed ([`lesson::blog_hops`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlogStep {
    /// The post's number for the step.
    pub n: u32,
    /// What the step covers: names (or ids, kinds, id prefixes) of components the path passes,
    /// in order, one hop each (as the `flow`).
    pub covers: Vec<String>,
    /// The kind of the component where the step decides (its last covered hop).
    pub kind: crate::sim::ComponentKind,
    /// What happens there (`send`, `route`, `nat`, `drop` …).
    pub action: crate::sim::HopAction,
}

fn tcp() -> String {
    "tcp".into()
}

/// One step of a lab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: Text,
    pub narration: Text,
    /// Edits the step makes (in a "try it yourself" step: the solution).
    #[serde(default)]
    pub ops: Vec<Op>,
    /// The user makes the change; the lab checks it with the traces.
    #[serde(default)]
    pub try_it: bool,
    #[serde(default)]
    pub traces: Vec<LabTrace>,
}

/// A guided lab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    /// Short name used on the command line, e.g. `s3-gateway-endpoint`.
    pub name: String,
    pub number: u32,
    pub title: Text,
    pub summary: Text,
    /// The source post it follows (a file of the seed material).
    pub source: String,
    pub start: Start,
    pub steps: Vec<Step>,
}
