//! `vpcraft trace`: follow a packet through a design hop by hop, and its reply back.

use super::common::{fail, load_design_in, DesignArgs, Format};
use crate::l10n::uif;
use crate::sim::{render_text_in, request::has_ports, TraceIndex, TraceRequest, Verdict};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// The verdict `--expect` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Expect {
    /// The flow must get through both ways.
    Delivered,
    /// The flow must be dropped.
    Dropped,
}

/// Arguments of `vpcraft trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The design: a RON file, a CloudFormation template, a snapshot folder, or `example:<name>`.
    pub design: PathBuf,
    /// Where the flow starts: an instance, network interface, NAT gateway, endpoint or load
    /// balancer (id or name), an address, `internet`, or a DNS name. A subnet, or an address
    /// in a subnet that no interface holds, is a hypothetical interface there.
    #[arg(long)]
    pub from: String,
    /// Where it goes: the same forms, plus AWS service names (`s3.ap-northeast-2.amazonaws.com`),
    /// endpoint names (`vpce-….vpce.amazonaws.com`) and load balancers' DNS names.
    #[arg(long)]
    pub to: String,
    /// `tcp`, `udp`, `icmp` or an IP protocol number.
    #[arg(long, default_value = "tcp")]
    pub proto: String,
    /// Destination port (required for tcp and udp).
    #[arg(long)]
    pub port: Option<u16>,
    /// The client's source port (default 49152, the start of the ephemeral range).
    #[arg(long = "src-port")]
    pub src_port: Option<u16>,
    /// A security group (id or name) for the hypothetical ends instead of their VPC's default
    /// group (repeatable).
    #[arg(long = "sg", value_name = "NAME")]
    pub sg: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of the text output: en or ko (JSON is the same in every language).
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Exit with status 1 when the verdict is not this one.
    #[arg(long, value_enum)]
    pub expect: Option<Expect>,
    /// `--region`, `--param` and `--ip-ranges`, for designs that are not in vpcraft's format.
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// Run `vpcraft trace`: exit 0, or 1 when `--expect` disagrees, or 2 on bad input.
pub fn run(args: &TraceArgs) -> ExitCode {
    let lang = match crate::l10n::Lang::parse(&args.lang) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let design = match load_design_in(&args.design, &args.design_args, lang) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let req = match TraceRequest::parse_with_groups(
        &design,
        &args.from,
        &args.to,
        &args.proto,
        args.port,
        args.src_port,
        &args.sg,
    ) {
        Ok(r) => r,
        Err(e) => return fail(e.render(lang)),
    };
    if !has_ports(req.protocol) && (req.dst_port.is_some() || req.src_port.is_some()) {
        let protocol = req.protocol;
        super::common::say(uif(
            lang,
            "note: {protocol} has no ports; --port and --src-port are ignored",
            &[("protocol", &protocol)],
        ));
    }
    if has_ports(req.protocol) && req.dst_port.is_none() {
        return fail(uif(lang, "--port is required with --proto {protocol}", &[("protocol", &req.protocol)]));
    }
    let result = TraceIndex::new(&design).trace(&req);
    let text = match args.format {
        Format::Json => result.to_json() + "\n",
        Format::Text => render_text_in(&result, lang),
    };
    if let Err(c) = super::common::emit(&text) {
        return c;
    }
    let want = match args.expect {
        None => return ExitCode::SUCCESS,
        Some(Expect::Delivered) => Verdict::Delivered,
        Some(Expect::Dropped) => Verdict::Dropped,
    };
    if result.verdict == want {
        return ExitCode::SUCCESS;
    }
    let verdict = |v: Verdict| crate::l10n::tr(lang, &format!("verdict-{v}"));
    let (want, got) = (verdict(want), verdict(result.verdict));
    let line = match (result.code, &result.reason) {
        (Some(code), Some(reason)) => {
            let reason = match lang {
                crate::l10n::Lang::En => reason.to_string(),
                _ => crate::sim::render::reason_text(reason, code, lang),
            };
            uif(
                lang,
                "expected {want}, but the flow is {got}: {code}: {reason}",
                &[("want", &want), ("got", &got), ("code", &code), ("reason", &reason)],
            )
        }
        _ => uif(
            lang,
            "expected {want}, but the flow is {got} ({disposition})",
            &[("want", &want), ("got", &got), ("disposition", &result.disposition)],
        ),
    };
    super::common::say(format!("vpcraft: {line}"));
    ExitCode::from(1)
}
