//! `vpcraft export`: write a design as CloudFormation or Terraform.

use super::common::{fail, load_design, DesignArgs};
use crate::io::export::{export, ExportFormat};
use crate::io::save::{save, SaveOptions};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// What `vpcraft export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// An AWS CloudFormation template (JSON).
    Cloudformation,
    /// Terraform configuration for the `aws` provider.
    Terraform,
}

/// Arguments of `vpcraft export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The design: a RON file, a CloudFormation template, a snapshot folder, or `example:<name>`.
    pub design: PathBuf,
    /// The output format.
    #[arg(long = "to", value_enum)]
    pub to: Target,
    /// Write here instead of to standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// Run `vpcraft export`: the notes (what the target cannot express) go to standard error.
pub fn run(args: &ExportArgs) -> ExitCode {
    let design = match load_design(&args.design, &args.design_args) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let format = match args.to {
        Target::Cloudformation => ExportFormat::CloudFormation,
        Target::Terraform => ExportFormat::Terraform,
    };
    let out = export(&design, format);
    for n in &out.notes {
        super::common::say(format!("note: {n}"));
    }
    match &args.output {
        Some(p) if p.as_os_str() != "-" => {
            if let Err(e) = super::common::check_output_path(p) {
                return fail(e);
            }
            // Never over the design being exported (issue 17, D1).
            let opts = SaveOptions { inputs: vec![args.design.clone()], ..SaveOptions::default() };
            if let Err(e) = save(p, out.text.as_bytes(), &opts) {
                return fail(e);
            }
            super::common::say(format!("wrote {}", p.display()));
        }
        _ => {
            if let Err(c) = super::common::emit(&out.text) {
                return c;
            }
        }
    }
    ExitCode::SUCCESS
}
