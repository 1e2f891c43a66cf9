//! trace tests, one binary: each module is one area of behaviour.

mod block_public_access;
mod checks_incremental;
mod checks_props;
#[path = "../common/mod.rs"]
mod common;
mod engine_behaviour;
mod hypothetical6;
mod ipv6_checks;
mod ipv6_engine;
mod ipv6_props;
mod ipv6_scenarios;
mod korean_steps;
mod lab_traces;
mod planner_props;
mod props;
mod reach_cells;
mod reach_diff6;
mod reach_exact;
mod reach_exact6;
mod regional_nat;
mod scenario_files;
mod scenario_hub;
mod scenario_services;
mod seed_templates;
mod special_addresses;
#[path = "../trace_common/mod.rs"]
mod trace_common;
