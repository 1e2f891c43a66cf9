//! tui tests, one binary: each module is one area of behaviour.

#[path = "../common/mod.rs"]
mod common;
mod e2e;
mod e2e_reach6;
mod e2e_scale;
mod files;
mod firewall;
mod harness;
mod ipv6_app;
mod ipv6_columns;
mod ipv6_layout;
mod keys;
mod korean;
mod korean_panes;
mod korean_wrap;
mod lab;
mod large_edits;
mod layering;
mod managed_forms;
mod managed_services;
mod map;
mod modal;
mod mouse;
mod newcomer;
mod newcomer_walk;
mod ops;
mod panes;
mod panes_snapshots;
mod questions;
mod reach_view;
mod reach_view6;
mod ref_pickers;
mod screens;
mod sg_drop;
mod trace_view;
mod update;
