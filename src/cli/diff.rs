//! `vpcraft diff OLD NEW`: the resources that changed, the flows the change opens or closes,
//! and the internet exposures it adds or removes; `--fail-on` for CI.

use super::common::{fail, load_design_in, DesignArgs, Format};
use crate::l10n::uif;
use crate::sim::diff;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// What makes `diff` exit with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Some flow that was dropped is delivered.
    Opened,
    /// Some flow that was delivered is dropped.
    Closed,
    /// Something new is reachable from the internet.
    Exposure,
}

/// Arguments of `vpcraft diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The design before the change (any format vpcraft reads).
    pub old: PathBuf,
    /// The design after the change.
    pub new: PathBuf,
    /// Sources of the flows compared (as `reach --from`; default every subnet).
    #[arg(long = "from", value_name = "SEL")]
    pub from: Vec<String>,
    /// Destinations of the flows compared (as `reach --to`; default every subnet, the internet
    /// and the services).
    #[arg(long = "to", value_name = "SEL")]
    pub to: Vec<String>,
    /// `tcp`, `udp`, `icmp` or an IP protocol number.
    #[arg(long, default_value = "tcp")]
    pub proto: String,
    /// Destination port (default 443).
    #[arg(long, conflicts_with = "ports")]
    pub port: Option<u16>,
    /// Several destination ports: `22,80,443` or ranges like `8000-8010`.
    #[arg(long, value_name = "LIST")]
    pub ports: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 when the change opens flows, closes flows, or adds an internet
    /// exposure (repeatable).
    #[arg(long = "fail-on", value_enum)]
    pub fail_on: Vec<FailOn>,
    /// Language of the text output: en or ko (JSON is the same in every language).
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// `--region`, `--param` and `--ip-ranges`, for designs that are not in vpcraft's format.
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// Run `vpcraft diff`: exit 0, 1 when a `--fail-on` condition holds, 2 on bad input.
pub fn run(args: &DiffArgs) -> ExitCode {
    let lang = match crate::l10n::Lang::parse(&args.lang) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    if crate::io::input::is_stdin(&args.old) && crate::io::input::is_stdin(&args.new) {
        // Standard input can be read once: the second read would see an empty design.
        return fail(crate::l10n::ui(
            lang,
            "OLD and NEW are both - (standard input), which can be read only once: give one of them as a file",
        ));
    }
    // A load error already names its file, line and column (`old.ron:3:14: …`), as in every
    // other command.
    let old = match load_design_in(&args.old, &args.design_args, lang) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let new = match load_design_in(&args.new, &args.design_args, lang) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let options = |d: &crate::model::Design, family| {
        super::reach::options(d, &args.from, &args.to, &args.proto, args.port, args.ports.as_deref(), family, lang)
            .map_err(|e| e.render(lang))
    };
    let d = match diff::diff(&old, &new, options) {
        Ok(d) => d,
        Err(e) => return fail(e.render(lang)),
    };
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&d).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n",
        Format::Text => diff::render_text(&d, lang),
    };
    if let Err(c) = super::common::emit(&text) {
        return c;
    }
    let mut failed = Vec::new();
    for f in &args.fail_on {
        match f {
            FailOn::Opened if !d.opened.is_empty() => {
                failed.push(uif(lang, "{n} flows opened", &[("n", &d.opened.len())]))
            }
            FailOn::Closed if !d.closed.is_empty() => {
                failed.push(uif(lang, "{n} flows closed", &[("n", &d.closed.len())]))
            }
            FailOn::Exposure if d.new_exposures() > 0 => {
                failed.push(uif(lang, "{n} new internet exposures", &[("n", &d.new_exposures())]))
            }
            _ => {}
        }
    }
    if failed.is_empty() {
        return ExitCode::SUCCESS;
    }
    let failed = failed.join(", ");
    super::common::say(format!(
        "vpcraft: {}",
        uif(lang, "the change fails --fail-on: {failed}", &[("failed", &failed)])
    ));
    ExitCode::from(1)
}
