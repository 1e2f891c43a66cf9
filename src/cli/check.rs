//! `vpcraft check`: stub replaced below.
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CheckArgs {
    pub design: PathBuf,
}

pub fn run(_a: &CheckArgs) -> ExitCode {
    ExitCode::SUCCESS
}
