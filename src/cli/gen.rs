//! `vpcraft gen`: stub replaced below.
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct GenArgs {
    #[arg(long, default_value_t = 10)]
    pub vpcs: usize,
}

pub fn run(_a: &GenArgs) -> ExitCode {
    ExitCode::SUCCESS
}
