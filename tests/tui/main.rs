//! tui tests, one binary: each module is one area of behaviour.

#[path = "../common/mod.rs"]
mod common;
mod e2e;
mod files;
mod harness;
mod keys;
mod korean;
mod korean_panes;
mod lab;
mod layering;
mod managed_forms;
mod managed_services;
mod map;
mod modal;
mod newcomer;
mod ops;
mod panes;
mod panes_snapshots;
mod reach_view;
mod screens;
mod sg_drop;
mod trace_view;
mod update;
