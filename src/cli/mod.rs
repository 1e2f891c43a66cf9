//! Command-line interface: clap definitions and the headless subcommands.
//!
//! Each subcommand lives in its own file with its argument struct and a `run` function that
//! returns the process exit code. Output goes to stdout; diagnostics to stderr.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

pub mod audit;
pub mod check;
pub mod common;
pub mod diff;
pub mod export;
pub mod gen;
pub mod import;
pub mod lab;
pub mod plan;
pub mod plan6;
pub mod reach;
pub mod trace;

pub use common::DesignArgs;

/// Design AWS VPC networks in the terminal and watch packets move through them.
#[derive(Debug, Parser)]
#[command(name = "vpcraft", version, about, long_about = None)]
pub struct Cli {
    /// A design to open in the terminal app (RON, a CloudFormation template, a Terraform
    /// folder or plan/state JSON, or a folder of `aws ec2 describe-*` JSON). Without one, the
    /// built-in example opens.
    pub design: Option<PathBuf>,
    #[command(flatten)]
    pub design_args: DesignArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a design against AWS's rules; exit status 1 when there are errors.
    Check(check::CheckArgs),
    /// Audit a design: internet exposure by port, private subnets cut off from services,
    /// configuration that does nothing; `--fail-on` sets the exit status.
    Audit(audit::AuditArgs),
    /// Write a large synthetic design for benchmarks and scale tests.
    Gen(gen::GenArgs),
    /// Guided labs: list, show (with each trace's numbered steps) and check.
    Lab(lab::LabArgs),
    /// Plan address space: free and used blocks, splits, tier × AZ layouts.
    Plan(plan::PlanArgs),
    /// Convert a CloudFormation template, Terraform, or an AWS snapshot into a design file and
    /// report; exit status 1 when the report has errors (values AWS would refuse, left out).
    Import(import::ImportArgs),
    /// Write a design as CloudFormation or Terraform.
    Export(export::ExportArgs),
    /// Trace a flow through a design hop by hop, and its reply; `--expect` sets the exit status.
    Trace(trace::TraceArgs),
    /// The reachability matrix: every source × destination, each cell what `trace` says;
    /// `--expect` sets the exit status.
    Reach(reach::ReachArgs),
    /// What a change does: resources changed, flows opened and closed, internet exposure
    /// added or removed; `--fail-on` sets the exit status.
    Diff(diff::DiffArgs),
}

/// The command line, with the order of `--var` and `--var-file` recorded for whichever command
/// takes them (Terraform's precedence: the later one wins).
fn parsed(matches: &clap::ArgMatches) -> Result<Cli, clap::Error> {
    let mut cli = Cli::from_arg_matches(matches)?;
    let sub = matches.subcommand().map(|(_, m)| m).unwrap_or(matches);
    cli.design_args.order_from(sub);
    if let Some(a) = cli.command.as_mut().and_then(Command::design_args_mut) {
        a.order_from(sub);
    }
    Ok(cli)
}

impl Command {
    /// The language the command was asked to speak (`--lang`; English for a command without
    /// one, or with a value that is no language: the command itself refuses that).
    fn lang(&self) -> crate::l10n::Lang {
        let lang = match self {
            Command::Check(a) => &a.lang,
            Command::Audit(a) => &a.lang,
            Command::Import(a) => &a.lang,
            Command::Trace(a) => &a.lang,
            Command::Reach(a) => &a.lang,
            Command::Diff(a) => &a.lang,
            Command::Lab(a) => &a.lang,
            Command::Gen(_) | Command::Plan(_) | Command::Export(_) => return crate::l10n::Lang::En,
        };
        crate::l10n::Lang::parse(lang).unwrap_or_default()
    }

    /// The command's design arguments, when it reads a design (every match arm is written out:
    /// a new command must say whether it has them).
    fn design_args_mut(&mut self) -> Option<&mut DesignArgs> {
        match self {
            Command::Check(a) => Some(&mut a.design_args),
            Command::Audit(a) => Some(&mut a.design_args),
            Command::Plan(a) => Some(&mut a.design_args),
            Command::Import(a) => Some(&mut a.design_args),
            Command::Export(a) => Some(&mut a.design_args),
            Command::Trace(a) => Some(&mut a.design_args),
            Command::Reach(a) => Some(&mut a.design_args),
            Command::Diff(a) => Some(&mut a.design_args),
            Command::Gen(_) | Command::Lab(_) => None,
        }
    }
}

/// Parse the process arguments and run.
pub fn run() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match parsed(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let lang = cli.command.as_ref().map_or(crate::l10n::Lang::En, Command::lang);
    if let Err(e) = common::install_catalog(&cli.design_args, lang) {
        return common::fail(e);
    }
    match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Audit(args)) => audit::run(&args),
        Some(Command::Gen(args)) => gen::run(&args),
        Some(Command::Plan(args)) => plan::run(&args),
        Some(Command::Lab(args)) => lab::run(&args),
        Some(Command::Import(args)) => import::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Trace(args)) => trace::run(&args),
        Some(Command::Reach(args)) => reach::run(&args),
        Some(Command::Diff(args)) => diff::run(&args),
        None => common::open_default(cli.design.as_deref(), &cli.design_args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::terraform::VarInput;

    #[test]
    fn every_command_that_reads_a_design_keeps_the_command_line_order_of_var_and_var_file() {
        for cmd in ["check", "audit", "plan", "import", "export", "trace", "reach", "diff"] {
            let mut argv = vec!["vpcraft", cmd, "d.tf"];
            argv.extend(match cmd {
                "diff" => &["e.tf"][..],
                "trace" => &["--from", "a", "--to", "b"],
                "export" => &["--to", "terraform"],
                "import" => &["-o", "x.ron"],
                _ => &[],
            });
            argv.extend(["--var-file", "f.tfvars", "--var", "x=1"]);
            let m = Cli::command().try_get_matches_from(&argv).unwrap_or_else(|e| panic!("{cmd}: {e}"));
            let mut cli = parsed(&m).expect("parsed");
            let order = cli.command.as_mut().and_then(Command::design_args_mut).map(|a| a.var_order.clone());
            assert_eq!(order, Some(vec![VarInput::File("f.tfvars".into()), VarInput::Var("x=1".into())]), "{cmd}");
        }
    }
}
