//! `vpcraft gen`: write a large synthetic design for benchmarks and scale tests.

use crate::io::native;
use crate::model::gen::{generate, generate_dual_stack, MAX_VPCS};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `vpcraft gen`.
#[derive(Debug, Args)]
pub struct GenArgs {
    /// How many VPCs (up to 16384; past 4096 the /20s of 10.0.0.0/8 are used again, as
    /// separate estates do).
    #[arg(long, default_value_t = 100)]
    pub vpcs: usize,
    /// Seed for the pseudo-random choices; the same seed gives the same design.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Make it dual-stack: an IPv6 /56 per VPC, a /64 per subnet, an egress-only internet
    /// gateway per VPC with `::/0` routes (public tables to the internet gateway).
    #[arg(long)]
    pub ipv6: bool,
    /// Where to write the design (RON); standard output when absent.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

/// Run `vpcraft gen`.
pub fn run(args: &GenArgs) -> ExitCode {
    if args.vpcs > MAX_VPCS {
        return super::common::fail(format!("--vpcs {} is more than the {MAX_VPCS} VPCs gen makes", args.vpcs));
    }
    let design = if args.ipv6 { generate_dual_stack(args.vpcs, args.seed) } else { generate(args.vpcs, args.seed) };
    match &args.output {
        Some(path) => match native::save_file(&design, path) {
            Ok(()) => {
                super::common::say(format!(
                    "wrote {} ({} VPCs, {} subnets, {} instances)",
                    path.display(),
                    design.vpcs.len(),
                    design.subnets.len(),
                    design.instances.len()
                ));
                ExitCode::SUCCESS
            }
            Err(e) => super::common::fail(e),
        },
        None => match native::to_string(&design) {
            Ok(text) => match super::common::emit(&text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(c) => c,
            },
            Err(e) => super::common::fail(e),
        },
    }
}
