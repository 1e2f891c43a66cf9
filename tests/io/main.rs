//! io tests, one binary: each module is one area of behaviour.

mod cfn_fuzz;
mod cfn_hostile;
mod cfn_hub;
mod cfn_import;
mod cfn_import_fuzz;
mod cfn_services;
mod cfn_services_shared;
mod cfn_templates;
mod cfn_tgw_templates;
#[path = "../common/mod.rs"]
mod common;
mod design_files;
mod diagram_drawio;
mod diagram_layout;
mod diagram_mermaid;
mod diagram_svg;
mod diagram_trace;
mod export_cloudformation;
mod export_plan;
mod export_terraform;
mod fuzz_bytes;
mod fuzz_values;
mod hub_io;
mod ipv6_io;
mod native_props;
mod regional_nat_io;
mod round_trip;
mod snapshot_fuzz;
mod snapshot_import;
mod snapshot_services;
mod target_types;
mod terraform_hostile;
mod terraform_read;
mod terraform_round_trip;
