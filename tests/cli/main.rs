//! cli tests, one binary: each module is one area of behaviour.

mod check_plan;
#[path = "../common/mod.rs"]
mod common;
mod export_diagrams;
mod golden;
mod import_export;
mod ipv6;
mod lab;
mod output;
mod trace;
