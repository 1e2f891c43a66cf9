//! cli tests, one binary: each module is one area of behaviour.

mod check_plan;
#[path = "../common/mod.rs"]
mod common;
mod escapes;
mod export_diagrams;
mod files;
mod golden;
mod hostile;
mod hypothetical;
mod import_export;
mod ipv6;
mod lab;
mod lang;
mod lang_cli;
mod lang_import;
mod lang_reports;
mod layering;
mod managed_endpoints;
mod output;
mod reach6;
mod reach_audit_diff;
mod trace;
mod values;
