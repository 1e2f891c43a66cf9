//! tui tests, one binary: each module is one area of behaviour.

#[path = "../common/mod.rs"]
mod common;
mod e2e;
mod files;
mod lab;
mod panes;
mod panes_snapshots;
mod screens;
mod trace_view;
mod update;
