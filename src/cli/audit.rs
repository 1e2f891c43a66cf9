//! `vpcraft audit`: what a design exposes to the internet, what its private subnets cannot
//! reach, and configuration that does nothing; `--fail-on` for CI.

use super::common::{fail, load_design_in, DesignArgs, Format};
use crate::sim::audit::{self, AuditSeverity};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `vpcraft audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The design: a RON file, a CloudFormation template, a snapshot folder, or `example:<name>`.
    pub design: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 when a finding is at least this severe: high, medium, low or info.
    #[arg(long = "fail-on", value_name = "SEVERITY", value_parser = AuditSeverity::parse)]
    pub fail_on: Option<AuditSeverity>,
    /// Language of the text output: en or ko (JSON is the same in every language).
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// `--region`, `--param` and `--ip-ranges`, for designs that are not in vpcraft's format.
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// Run `vpcraft audit`: exit 0, 1 when `--fail-on` is met, 2 on bad input.
pub fn run(args: &AuditArgs) -> ExitCode {
    let lang = match crate::l10n::Lang::parse(&args.lang) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let design = match load_design_in(&args.design, &args.design_args, lang) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let findings = audit::audit(&design);
    let text = match args.format {
        Format::Json => audit::to_json(&findings) + "\n",
        Format::Text => audit::render_text(&findings, lang),
    };
    if let Err(c) = super::common::emit(&text) {
        return c;
    }
    match args.fail_on {
        Some(at) if audit::fails(&findings, at) => {
            let n = findings.iter().filter(|f| f.severity <= at).count();
            let at = crate::l10n::tr(lang, &format!("audit-severity-{at}"));
            let line = crate::l10n::uif(lang, "{n} findings at {at} or above", &[("n", &n), ("at", &at)]);
            super::common::say(format!("vpcraft: {line}"));
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}
