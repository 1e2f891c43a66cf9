//! `vpcraft export`: write a design as CloudFormation or Terraform, or draw it as an SVG
//! image, a draw.io file or a Mermaid flowchart (optionally with a trace's path).

use super::common::{fail, load_design, DesignArgs};
use crate::diagram::{DiagramFormat, Filter};
use crate::io::export::{export, ExportFormat};
use crate::io::save::{save, SaveOptions};
use crate::model::Design;
use crate::sim::{request::has_ports, TraceIndex, TraceRequest, TraceResult};
use clap::{Args, ValueEnum};
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `vpcraft export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// An AWS CloudFormation template (JSON).
    Cloudformation,
    /// Terraform configuration for the `aws` provider.
    Terraform,
    /// A picture of the topology as an SVG image.
    Svg,
    /// The topology as a diagrams.net (draw.io) file with editable nested containers.
    Drawio,
    /// The topology as a Mermaid flowchart with subgraphs (renders in Markdown).
    Mermaid,
}

/// Arguments of `vpcraft export`.
#[derive(Debug, Args)]
#[command(
    after_help = "For svg, drawio and mermaid, --region (and --vpc) restrict the picture to a region (and VPCs)."
)]
pub struct ExportArgs {
    /// The design: a RON file, a CloudFormation template, a snapshot folder, or `example:<name>`.
    pub design: PathBuf,
    /// The output format.
    #[arg(long = "to", value_enum)]
    pub to: Target,
    /// Write here instead of to standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Pictures: draw the path of a flow from FROM to TO (the forms `vpcraft trace` takes),
    /// numbered by the trace's steps.
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    pub trace: Option<Vec<String>>,
    /// Pictures with --trace: the destination port (required for tcp and udp).
    #[arg(long, requires = "trace")]
    pub port: Option<u16>,
    /// Pictures with --trace: `tcp`, `udp`, `icmp` or an IP protocol number.
    #[arg(long, default_value = "tcp", requires = "trace")]
    pub proto: String,
    /// Pictures: draw only this VPC (id or name; repeat for more).
    #[arg(long = "vpc", value_name = "VPC")]
    pub vpcs: Vec<String>,
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// Run `vpcraft export`: the notes (what the target cannot express) go to standard error.
pub fn run(args: &ExportArgs) -> ExitCode {
    let design = match load_design(&args.design, &args.design_args) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let picture = match args.to {
        Target::Cloudformation => None,
        Target::Terraform => None,
        Target::Svg => Some(DiagramFormat::Svg),
        Target::Drawio => Some(DiagramFormat::Drawio),
        Target::Mermaid => Some(DiagramFormat::Mermaid),
    };
    let out = match picture {
        Some(format) => match draw(&design, format, args) {
            Ok(p) => crate::io::export::Export { text: p.text, notes: p.notes },
            Err(e) => return fail(e),
        },
        None => {
            if args.trace.is_some() || !args.vpcs.is_empty() {
                return fail("--trace and --vpc apply to pictures only (--to svg, drawio or mermaid)");
            }
            let format =
                if args.to == Target::Cloudformation { ExportFormat::CloudFormation } else { ExportFormat::Terraform };
            if let Err(e) = refuse_values_aws_refuses(&design, format) {
                return fail(e);
            }
            export(&design, format)
        }
    };
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

/// A template or configuration is for AWS to create: one holding a value AWS would refuse (a
/// reversed port range, a subnet CIDR with host bits, …) would only fail later, at deploy
/// time, so it is not written at all (issue 17, S3). The error names each rule and resource.
fn refuse_values_aws_refuses(design: &Design, format: ExportFormat) -> Result<(), String> {
    let refused = crate::sim::checks::refused_values(design);
    if refused.is_empty() {
        return Ok(());
    }
    let target = match format {
        ExportFormat::CloudFormation => "CloudFormation",
        ExportFormat::Terraform => "Terraform",
    };
    let mut msg = format!(
        "cannot export to {target}: the design has {} value(s) AWS would refuse (nothing was written):",
        refused.len()
    );
    for f in &refused {
        // The message names the resource (its name and id), as `check` prints it.
        let _ = write!(msg, "\n  {} [{}] {} (fix: {})", f.code, f.rule, f.message, f.fix);
    }
    msg.push_str("\nfix them first; `vpcraft check` lists every finding");
    Err(msg)
}

/// Draw the design, tracing the flow first when asked.
fn draw(design: &Design, format: DiagramFormat, args: &ExportArgs) -> Result<crate::diagram::Picture, String> {
    let filter = Filter { regions: args.design_args.region.iter().cloned().collect(), vpcs: args.vpcs.clone() };
    let result = match &args.trace {
        Some(ends) => Some(trace(design, ends, &args.proto, args.port)?),
        None => None,
    };
    crate::diagram::render(design, format, &filter, result.as_ref())
}

/// The trace engine's result for the flow `--trace FROM TO`, as `vpcraft trace` computes it.
fn trace(design: &Design, ends: &[String], proto: &str, port: Option<u16>) -> Result<TraceResult, String> {
    let [from, to] = ends else { return Err("--trace takes two values: FROM and TO".into()) };
    let req = TraceRequest::parse(design, from, to, proto, port, None)?;
    if has_ports(req.protocol) && req.dst_port.is_none() {
        return Err(format!("--port is required with --trace over {}", req.protocol));
    }
    if !has_ports(req.protocol) && req.dst_port.is_some() {
        eprintln!("note: {} has no ports; --port is ignored", req.protocol);
    }
    Ok(TraceIndex::new(design).trace(&req))
}
