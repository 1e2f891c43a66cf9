//! Reading and writing designs: vpcraft's own RON files, imports, exports, and where files go.

pub mod aws_values;
pub mod cfn;
pub mod cfn_import;
pub mod detect;
pub mod error;
pub mod export;
pub mod firewall_api;
pub mod fixup;
pub mod index;
pub mod input;
pub mod migrate;
pub mod native;
pub mod paths;
pub mod placeholder;
pub mod report;
pub mod save;
pub mod services;
pub mod snapshot;
pub mod target_groups;
pub mod terraform;

pub use error::LoadError;

/// The region an import assumes when neither its input nor `--region` names one; every
/// importer says so in its report when it does.
pub const ASSUMED_REGION: &str = "us-east-1";
pub use report::{ImportReport, ReportItem, Severity};

use crate::model::Design;
use std::path::Path;

/// Load a design from any supported file: a `.ron` design file, a CloudFormation template,
/// Terraform, or a snapshot folder / file (see [`load_any_with`] for the region and parameters
/// those may need). Built-in examples (`example:<name>`) are opened through `vpcraft::assets::open`,
/// which sits above `io`.
pub fn load_any(path: &Path) -> Result<Design, LoadError> {
    load_any_with(path, None, &[])
}

/// [`load_any`] with the region and template parameters imports use.
pub fn load_any_with(path: &Path, region: Option<&str>, params: &[(String, String)]) -> Result<Design, LoadError> {
    detect::import_any(path, region, params).map(|(d, _)| d)
}

/// A short, human summary of a design: counts per kind and each VPC with its subnets.
pub fn summary(d: &Design) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {} VPCs, {} subnets, {} route tables, {} instances",
        d.name,
        d.vpcs.len(),
        d.subnets.len(),
        d.route_tables.len(),
        d.instances.len()
    );
    for v in &d.vpcs {
        let cidrs: Vec<String> = v.cidrs().map(|c| c.to_string()).collect();
        let _ = writeln!(s, "  {} {} [{}] {}", v.id, v.name, v.region, cidrs.join(", "));
        for sn in d.vpc_subnets(&v.id) {
            let rt = d.subnet_route_table(&sn.id).map(|r| r.name.as_str()).unwrap_or("-");
            let _ = writeln!(s, "    {} {:<18} {:<16} rt {}", sn.az, sn.primary_cidr_text(), sn.name, rt);
        }
    }
    s
}
