//! `vpcraft export`: write a design as CloudFormation or Terraform, or draw it as an SVG
//! image, a draw.io file or a Mermaid flowchart (optionally with a trace's path).

use super::common::{fail, load_design, DesignArgs, Syntax};
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
    // The output's name first: nothing is loaded or computed for a file that cannot be written.
    if let Some(p) = args.output.as_deref().filter(|p| p.as_os_str() != "-") {
        if let Err(e) =
            super::common::check_output_path(p).map_err(String::from).and_then(|()| check_extension(p, args.to))
        {
            return fail(e);
        }
    }
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
            // Never over the design being exported (issue 17, D1).
            let opts = SaveOptions { inputs: vec![args.design.clone()], ..SaveOptions::default() };
            if let Err(e) = save(p, out.text.as_bytes(), &opts) {
                return fail(e);
            }
            super::common::say(format!("wrote {}", p.display()));
        }
        _ => {
            // Escaped for the terminal in the format's own syntax, so the text stays valid.
            let syntax = match args.to {
                Target::Terraform => Syntax::Hcl,
                Target::Svg | Target::Drawio => Syntax::Xml,
                Target::Cloudformation | Target::Mermaid => Syntax::Detect,
            };
            if let Err(c) = super::common::emit_as(&out.text, syntax) {
                return c;
            }
        }
    }
    ExitCode::SUCCESS
}

impl Target {
    /// The endings of the file names this format's readers take (the first is suggested).
    fn extensions(self) -> &'static [&'static str] {
        match self {
            // Terraform reads only the `*.tf` files of a folder (and `*.tf.json`, which this
            // HCL is not): any other name is ignored without a word.
            Target::Terraform => &["tf"],
            Target::Cloudformation => &["json", "template", "yaml", "yml", "txt"],
            Target::Svg => &["svg"],
            Target::Drawio => &["drawio", "xml"],
            Target::Mermaid => &["mmd", "mermaid", "md"],
        }
    }

    /// The format's name in messages.
    fn label(self) -> &'static str {
        match self {
            Target::Cloudformation => "CloudFormation",
            Target::Terraform => "Terraform",
            Target::Svg => "SVG",
            Target::Drawio => "draw.io",
            Target::Mermaid => "Mermaid",
        }
    }
}

/// `-o` is the file written, exactly: a name whose ending this format's readers do not take
/// (`-o tf` for Terraform, which would ignore it) is refused with the name to use, never
/// changed behind the user's back. Devices and pipes (`/dev/stdout`, a FIFO) are written as
/// they are.
fn check_extension(path: &std::path::Path, to: Target) -> Result<(), String> {
    let special = path.starts_with("/dev") || path.starts_with("/proc");
    if special || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Ok(());
    }
    let wanted = to.extensions();
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    if ext.as_deref().is_some_and(|e| wanted.contains(&e)) {
        return Ok(());
    }
    let list = wanted.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(", ");
    let why = match to {
        Target::Terraform => "Terraform reads only the files of a folder whose names end in .tf".to_string(),
        _ => format!("{} is written to a file whose name ends in {list}", to.label()),
    };
    let suggestion = path.with_extension(wanted[0]);
    let folder = if to == Target::Terraform && path.extension().is_none() {
        format!(", or -o {} in a folder you made", path.join("main.tf").display())
    } else {
        String::new()
    };
    Err(format!("-o {}: {why}; nothing was written. Write -o {}{folder}", path.display(), suggestion.display()))
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
        super::common::say(format!("note: {} has no ports; --port is ignored", req.protocol));
    }
    Ok(TraceIndex::new(design).trace(&req))
}
