//! `vpcraft check`: lint a design against AWS's rules.

use super::common::{fail, load_design_with_report_in, DesignArgs, Format};
use crate::sim::checks::{check_design, count, Finding};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `vpcraft check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The design: a RON file, a CloudFormation template, a snapshot folder, or `example:<name>`.
    pub design: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of the text output: en or ko (JSON is the same in every language).
    #[arg(long, default_value = "en")]
    pub lang: String,
    #[command(flatten)]
    pub design_args: DesignArgs,
}

#[derive(Serialize)]
struct Report<'a> {
    design: &'a str,
    errors: usize,
    warnings: usize,
    infos: usize,
    findings: &'a [Finding],
}

/// Run `vpcraft check`: exit 0 when there are no errors, 1 when there are, 2 when the design
/// cannot be read.
pub fn run(args: &CheckArgs) -> ExitCode {
    let lang = match crate::l10n::Lang::parse(&args.lang) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let (design, report) = match load_design_with_report_in(&args.design, &args.design_args, lang) {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    let mut findings = check_design(&design);
    // What an import could not bring over is part of the answer: a template whose VPC has
    // an impossible CIDR must not check clean.
    if let Some(r) = &report {
        findings.extend(r.findings());
        findings.sort_by(|a, b| (a.severity, a.code.as_str()).cmp(&(b.severity, b.code.as_str())));
    }
    let errors = count(&findings, crate::sim::checks::Severity::Error);
    let report = Report {
        design: &design.name,
        errors,
        warnings: count(&findings, crate::sim::checks::Severity::Warning),
        infos: count(&findings, crate::sim::checks::Severity::Info),
        findings: &findings,
    };
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => {
                if let Err(c) = super::common::emit(&format!("{s}\n")) {
                    return c;
                }
            }
            Err(e) => return fail(e),
        },
        Format::Text => {
            if let Err(c) = super::common::emit(&render_text(&report, lang)) {
                return c;
            }
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn render_text(r: &Report, lang: crate::l10n::Lang) -> String {
    use crate::l10n::{t, tr};
    use std::fmt::Write;
    let mut s = String::new();
    use crate::model::text::escape_controls as esc;
    for f in r.findings {
        // One line each: a newline or escape sequence in a name is shown, not obeyed.
        let severity = tr(lang, &format!("severity-{}", f.severity));
        let _ = writeln!(s, "{severity} {} [{}] {}", f.code, f.rule, esc(&f.message_in(lang)));
        let _ = writeln!(s, "        {}", t(lang, "check-fix", &[("fix", &esc(&f.fix_in(lang)))]));
    }
    let counts = crate::sim::checks::count_line(r.errors, r.warnings, r.infos);
    let _ = match lang {
        crate::l10n::Lang::En => writeln!(s, "{}: {counts}", esc(r.design)),
        _ => writeln!(
            s,
            "{}",
            t(
                lang,
                "check-summary",
                &[("design", &esc(r.design)), ("errors", &r.errors), ("warnings", &r.warnings), ("infos", &r.infos)]
            )
        ),
    };
    s
}
