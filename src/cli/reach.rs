//! `vpcraft reach`: the reachability matrix of a design, and `--expect` to guard it in CI.

use super::common::{fail, load_design_in, DesignArgs};
use super::trace::Expect;
use crate::model::Design;
use crate::sim::reach::{self, render, Family, Matrix, ReachOptions};
use crate::sim::request::{has_ports, parse_protocol};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats of `reach`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ReachFormat {
    /// A grid for people.
    #[default]
    Text,
    /// `{"sources","destinations","cells"}`.
    Json,
    /// One line per cell.
    Csv,
}

/// The address family of a matrix's flows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum FamilyArg {
    /// IPv4 flows (the subnets' IPv4 addresses, `internet` as 198.51.100.10).
    #[default]
    Ipv4,
    /// IPv6 flows (the subnets' IPv6 addresses, `internet` as 3fff::10, services by their
    /// dual-stack names); a subnet without an IPv6 block is `not_applicable`.
    Ipv6,
}

impl From<FamilyArg> for Family {
    fn from(f: FamilyArg) -> Family {
        match f {
            FamilyArg::Ipv4 => Family::Ipv4,
            FamilyArg::Ipv6 => Family::Ipv6,
        }
    }
}

/// Arguments of `vpcraft reach`.
#[derive(Debug, Args)]
pub struct ReachArgs {
    /// The design: a RON file, a CloudFormation template, a snapshot folder, or `example:<name>`.
    pub design: PathBuf,
    /// Sources (repeatable): a subnet, a VPC (all its subnets), tier=NAME (subnets whose name
    /// contains NAME), `internet`, or an AWS service name. Default: every subnet.
    #[arg(long = "from", value_name = "SEL")]
    pub from: Vec<String>,
    /// Destinations (repeatable), the same forms. Default: every subnet, `internet` and the
    /// services the design has endpoints for or routes to.
    #[arg(long = "to", value_name = "SEL")]
    pub to: Vec<String>,
    /// `tcp`, `udp`, `icmp` or an IP protocol number.
    #[arg(long, default_value = "tcp")]
    pub proto: String,
    /// Destination port (default 443 for tcp and udp).
    #[arg(long, conflicts_with = "ports")]
    pub port: Option<u16>,
    /// Several destination ports: `22,80,443` or ranges like `8000-8010` (one matrix each).
    #[arg(long, value_name = "LIST")]
    pub ports: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReachFormat::Text)]
    pub format: ReachFormat,
    /// Exit with status 1, listing the cells that disagree, unless every cell has this verdict
    /// (cells that are not applicable are left out).
    #[arg(long, value_enum)]
    pub expect: Option<Expect>,
    /// The flows' address family (default ipv4). Given, JSON says it at the top level.
    #[arg(long, value_enum)]
    pub family: Option<FamilyArg>,
    /// Language of the text output: en or ko (JSON and CSV are the same in every language).
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// `--region`, `--param` and `--ip-ranges`, for designs that are not in vpcraft's format.
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// The most ports one run computes (each is a matrix).
const MAX_PORTS: usize = 256;

/// Parse `22,80,443` or `8000-8010` (ports 1–65535).
pub fn parse_ports(text: &str) -> Result<Vec<u16>, crate::l10n::Text> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let num = |s: &str| {
            s.trim()
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| crate::text!("--ports: '{s}' is not a port 1-65535"))
        };
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (num(a)?, num(b)?),
            None => (num(part)?, num(part)?),
        };
        if a > b {
            return Err(crate::text!("--ports: {part} runs backwards"));
        }
        for p in a..=b {
            if !out.contains(&p) {
                out.push(p);
            }
            if out.len() > MAX_PORTS {
                return Err(crate::text!("--ports: more than {MAX_PORTS} ports; each is a whole matrix"));
            }
        }
    }
    if out.is_empty() {
        return Err(crate::text!("--ports: no port given"));
    }
    Ok(out)
}

/// The options a command line asks for (a note about ignored ports said in `lang`).
#[allow(clippy::too_many_arguments)]
pub fn options(
    d: &Design,
    from: &[String],
    to: &[String],
    proto: &str,
    port: Option<u16>,
    ports: Option<&str>,
    family: Family,
    lang: crate::l10n::Lang,
) -> Result<ReachOptions, crate::l10n::Text> {
    let protocol = parse_protocol(proto)?;
    let sources = if from.is_empty() {
        reach::default_sources_for(d, family)
    } else {
        reach::parse_selectors_for(d, from, family).map_err(|e| crate::text!("--from: {e}").with("e", e))?
    };
    let destinations = if to.is_empty() {
        reach::default_destinations_for(d, family)
    } else {
        reach::parse_selectors_for(d, to, family).map_err(|e| crate::text!("--to: {e}").with("e", e))?
    };
    let ports: Vec<Option<u16>> = if !has_ports(protocol) {
        if port.is_some() || ports.is_some() {
            let note = crate::l10n::uif(
                lang,
                "note: {protocol} has no ports; --port and --ports are ignored",
                &[("protocol", &protocol)],
            );
            super::common::say(note);
        }
        vec![None]
    } else if let Some(list) = ports {
        parse_ports(list)?.into_iter().map(Some).collect()
    } else {
        vec![Some(port.unwrap_or(443))]
    };
    if sources.is_empty() || destinations.is_empty() {
        return Err(crate::text!("the selection is empty: the design has no subnets to put in the matrix"));
    }
    Ok(ReachOptions { sources, destinations, protocol, ports, family })
}

/// The cells that disagree with an expectation, as lines in `lang` (at most `limit`), and their
/// count.
pub fn disagreements(m: &Matrix, want_delivered: bool, limit: usize, lang: crate::l10n::Lang) -> (Vec<String>, usize) {
    let (rows, cols, ports) = m.shape();
    let mut lines = Vec::new();
    let mut n = 0;
    for p in 0..ports {
        for r in 0..rows {
            for c in 0..cols {
                if m.delivered(p, r, c) == want_delivered || m.cell(p, r, c).is_not_applicable() {
                    continue;
                }
                n += 1;
                if lines.len() < limit {
                    let port = m.options.ports[p].map(|x| format!("/{x}")).unwrap_or_default();
                    lines.push(format!(
                        "{} → {} {}{port}: {}",
                        m.source_labels[r],
                        m.destination_labels[c],
                        m.options.protocol,
                        m.cell(p, r, c).text_in(lang)
                    ));
                }
            }
        }
    }
    (lines, n)
}

/// Run `vpcraft reach`: exit 0, 1 when `--expect` disagrees, 2 on bad input.
pub fn run(args: &ReachArgs) -> ExitCode {
    let lang = match crate::l10n::Lang::parse(&args.lang) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let design = match load_design_in(&args.design, &args.design_args, lang) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let opts = match options(
        &design,
        &args.from,
        &args.to,
        &args.proto,
        args.port,
        args.ports.as_deref(),
        args.family.unwrap_or_default().into(),
        lang,
    ) {
        Ok(o) => o,
        Err(e) => return fail(e.render(lang)),
    };
    let m = match reach::compute(&design, &opts) {
        Ok(m) => m,
        Err(e) => return fail(e.render(lang)),
    };
    let written = super::common::emit_with(|out| match args.format {
        ReachFormat::Text => render::write_text(&m, lang, out),
        ReachFormat::Json if args.family.is_some() => render::write_json_family(&m, out),
        ReachFormat::Json => render::write_json(&m, out),
        ReachFormat::Csv => render::write_csv(&m, out),
    });
    if let Err(c) = written {
        return c;
    }
    let Some(expect) = args.expect else { return ExitCode::SUCCESS };
    let want = expect == Expect::Delivered;
    let (lines, n) = disagreements(&m, want, 50, lang);
    if n == 0 {
        return ExitCode::SUCCESS;
    }
    let head = if want {
        crate::l10n::uif(lang, "expected every cell delivered, but {n} are not:", &[("n", &n)])
    } else {
        crate::l10n::uif(lang, "expected every cell dropped, but {n} are not:", &[("n", &n)])
    };
    super::common::say(format!("vpcraft: {head}"));
    for l in &lines {
        super::common::say(format!("  {l}"));
    }
    if n > lines.len() {
        super::common::say(format!("  {}", crate::l10n::uif(lang, "… and {n} more", &[("n", &(n - lines.len()))])));
    }
    ExitCode::from(1)
}
