//! `vpcraft import`: convert a CloudFormation template or a folder of `aws ec2 describe-*`
//! JSON into a design file, and print what the import did.

use super::common::{fail, DesignArgs, Format};
use crate::io::save::{save, SaveOptions};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `vpcraft import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A CloudFormation template (YAML or JSON), a Terraform folder or `terraform show -json`
    /// output, a snapshot folder or file, or a RON design.
    pub source: PathBuf,
    /// Where to write the design (RON).
    #[arg(short, long)]
    pub output: PathBuf,
    /// How to print the import report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of the text report: en or ko (JSON is the same in every language).
    #[arg(long, default_value = "en")]
    pub lang: String,
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// Run `vpcraft import`: exit 0 when the design was written, 1 when it was written but the
/// report has errors (values AWS would refuse, left out), 2 when the source cannot be read.
pub fn run(args: &ImportArgs) -> ExitCode {
    let lang = match crate::l10n::Lang::parse(&args.lang) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let (design, report) = match super::common::load_design_with_report_in(&args.source, &args.design_args, lang) {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    let to_stdout = args.output.as_os_str() == "-";
    if let Err(e) = super::common::check_output_path(&args.output) {
        return fail(e.render(lang));
    }
    if !to_stdout {
        let text = match crate::io::native::to_string(&design) {
            Ok(t) => t,
            Err(e) => return fail(e),
        };
        // Never over the file being imported (issue 17, D1).
        let opts = SaveOptions { inputs: vec![args.source.clone()], ..SaveOptions::default() };
        if let Err(e) = save(&args.output, text.as_bytes(), &opts) {
            return fail(e.text().render(lang));
        }
    }
    let mut report = report.unwrap_or_else(|| {
        let mut r = crate::io::ImportReport::new(args.source.display().to_string());
        r.info("", "design", crate::text!("already a vpcraft design: copied as it is"));
        r
    });
    report.count(&design);
    let text = match args.format {
        Format::Json => format!("{}\n", report.to_json()),
        Format::Text if to_stdout => report.render(lang),
        Format::Text => {
            let wrote = crate::l10n::t(lang, "import-wrote", &[("path", &args.output.display())]);
            format!("{}{wrote}\n", report.render(lang))
        }
    };
    if to_stdout {
        // `-o -`: the design goes to standard output, the report to standard error.
        eprint!("{}", crate::model::text::escape_output(&text));
        let ron = match crate::io::native::to_string(&design) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        return match super::common::emit(&ron) {
            Ok(()) if report.of(crate::io::report::Severity::Error).next().is_some() => ExitCode::from(1),
            Ok(()) => ExitCode::SUCCESS,
            Err(c) => c,
        };
    }
    match super::common::emit(&text) {
        Ok(()) if report.of(crate::io::report::Severity::Error).next().is_some() => ExitCode::from(1),
        Ok(()) => ExitCode::SUCCESS,
        Err(c) => c,
    }
}
