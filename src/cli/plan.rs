//! `vpcraft plan`: lay out address space — free and used blocks, splits, tier × AZ layouts;
//! IPv6 blocks as maps of /64 slots (`plan6`).

use super::common::{fail, load_design, DesignArgs, Format};
use crate::model::Design;
use crate::net::{parse_cidr, split, usable_count, AddressPlan, LayoutRow};
use clap::Args;
use ipnet::Ipv4Net;
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `vpcraft plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// A CIDR to plan in (e.g. 10.39.0.0/16), or a design whose VPCs to show.
    pub target: String,
    /// Only this VPC of the design (id or name).
    #[arg(long)]
    pub vpc: Option<String>,
    /// Split the block: a number larger than its prefix length is the children's prefix
    /// length (`--split 20`), a smaller one the number of extra bits (`--split 2` = 4 children).
    #[arg(long)]
    pub split: Option<u8>,
    /// Tiers of a layout, comma separated (e.g. public,private).
    #[arg(long, value_delimiter = ',')]
    pub tiers: Vec<String>,
    /// Availability zones of a layout: letters or full names, comma separated (e.g. a,b,c,d).
    #[arg(long, value_delimiter = ',')]
    pub azs: Vec<String>,
    /// Prefix length of each layout subnet (e.g. 20).
    #[arg(long)]
    pub size: Option<u8>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// One block in the report.
#[derive(Debug, Clone, Serialize)]
pub struct BlockRow {
    pub cidr: String,
    pub first: String,
    pub last: String,
    pub addresses: u64,
    pub usable: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub az: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
    /// A layout row's IPv6 /64, beside its IPv4 block (A7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<String>,
}

/// The plan of one address space.
#[derive(Debug, Serialize)]
pub struct SpaceReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    pub cidrs: Vec<String>,
    pub total: u64,
    pub used: u64,
    pub free: u64,
    pub subnets: Vec<BlockRow>,
    pub free_blocks: Vec<BlockRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub largest_free: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub split: Vec<BlockRow>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub layout: Vec<BlockRow>,
    /// The VPC's IPv6 plan, when it has IPv6 blocks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<super::plan6::Ipv6Report>,
}

fn row(c: Ipv4Net) -> BlockRow {
    BlockRow {
        cidr: c.to_string(),
        first: c.network().to_string(),
        last: c.broadcast().to_string(),
        addresses: 1u64 << (32 - u32::from(c.prefix_len())),
        usable: usable_count(c.prefix_len()),
        name: None,
        az: None,
        tier: None,
        route_table: None,
        public: None,
        ipv6: None,
    }
}

fn layout_row(r: &LayoutRow) -> BlockRow {
    BlockRow { az: Some(r.az.clone()), tier: Some(r.tier.clone()), usable: r.usable, ..row(r.cidr) }
}

/// Run `vpcraft plan`.
pub fn run(args: &PlanArgs) -> ExitCode {
    if is_ipv6_block(args) {
        let r = match super::plan6::for_block(args) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        let text = match args.format {
            Format::Json => match serde_json::to_string_pretty(&[&r]) {
                Ok(s) => format!("{s}\n"),
                Err(e) => return fail(e),
            },
            Format::Text => {
                let mut s = String::new();
                super::plan6::render(&r, &mut s);
                s
            }
        };
        return match super::common::emit(&text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(c) => c,
        };
    }
    let reports = match build(args) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&reports) {
            Ok(s) => {
                if let Err(c) = super::common::emit(&format!("{s}\n")) {
                    return c;
                }
            }
            Err(e) => return fail(e),
        },
        Format::Text => {
            if let Err(c) = super::common::emit(&render(&reports)) {
                return c;
            }
        }
    }
    ExitCode::SUCCESS
}

/// Whether the target is an IPv6 block (not a file or an example).
fn is_ipv6_block(args: &PlanArgs) -> bool {
    let t = args.target.trim();
    t.contains(':') && !t.starts_with("example:") && !std::path::Path::new(t).exists()
}

/// Compute the reports `plan` prints for an IPv4 block or a design.
pub fn build(args: &PlanArgs) -> Result<Vec<SpaceReport>, String> {
    let exists = std::path::Path::new(&args.target).exists();
    let looks_like_cidr =
        args.target.contains('/') && args.target.chars().next().is_some_and(|c| c.is_ascii_digit()) && !exists;
    if looks_like_cidr {
        if args.vpc.is_some() {
            return Err("--vpc picks a VPC of a design; with a CIDR there is none to pick".into());
        }
        let parsed = parse_cidr(&args.target).map_err(|e| e.to_string())?;
        if let Some(note) = parsed.canonicalisation_note() {
            super::common::say(format!("note: {note}"));
        }
        let azs: Vec<String> = args.azs.clone();
        return Ok(vec![space(None, &[parsed.cidr], &[], args, &azs)?]);
    }
    let design = load_design(std::path::Path::new(&args.target), &args.design_args)?;
    let vpcs: Vec<&crate::model::Vpc> = match &args.vpc {
        Some(key) => {
            let r = design.resolve(key)?;
            vec![design.vpc(r.id()).ok_or_else(|| format!("'{key}' is a {}, not a VPC", r.kind().label()))?]
        }
        None => design.vpcs.iter().collect(),
    };
    let mut out = Vec::new();
    for v in vpcs {
        let azs: Vec<String> =
            args.azs.iter().map(|a| if a.len() <= 2 { format!("{}{a}", v.region) } else { a.clone() }).collect();
        let known = design.azs(&v.region);
        if let Some(bad) = azs.iter().find(|a| !known.contains(a)) {
            return Err(format!("{bad} is not a zone of {} ({}): {}", v.region, v.name, known.join(", ")));
        }
        let cidrs: Vec<Ipv4Net> = v.cidrs().collect();
        let mut report = space(Some(v.id.as_str()), &cidrs, &subnet_rows(&design, &v.id), args, &azs)?;
        report.ipv6 = super::plan6::for_vpc(&design, v, args, &azs)?;
        // A layout in a dual-stack VPC puts a /64 beside each IPv4 subnet, row for row.
        if let Some(v6) = &report.ipv6 {
            for (row, six) in report.layout.iter_mut().zip(&v6.layout) {
                row.ipv6 = Some(six.cidr.clone());
            }
        }
        report.vpc = Some(format!("{} ({})", v.name, v.id));
        out.push(report);
    }
    Ok(out)
}

fn subnet_rows(d: &Design, vpc: &str) -> Vec<BlockRow> {
    // The IPv4 plan: an IPv6-only subnet takes no IPv4 space.
    d.vpc_subnets(vpc)
        .filter_map(|s| {
            let cidr = s.cidr?;
            let rt = d.subnet_route_table(&s.id);
            let public =
                rt.map(|t| t.routes.iter().any(|r| matches!(r.target, crate::model::RouteTarget::InternetGateway(_))));
            Some(BlockRow {
                name: Some(s.name.clone()),
                az: Some(s.az.clone()),
                route_table: rt.map(|t| t.name.clone()),
                public,
                ..row(cidr)
            })
        })
        .collect()
}

fn space(
    vpc: Option<&str>,
    cidrs: &[Ipv4Net],
    subnets: &[BlockRow],
    args: &PlanArgs,
    azs: &[String],
) -> Result<SpaceReport, String> {
    let used: Vec<Ipv4Net> = subnets.iter().filter_map(|r| r.cidr.parse().ok()).collect();
    let plan = AddressPlan::new(cidrs, &used).map_err(|e| e.to_string())?;
    let totals = plan.address_totals();
    let mut report = SpaceReport {
        vpc: vpc.map(str::to_string),
        cidrs: cidrs.iter().map(|c| c.to_string()).collect(),
        total: totals.total,
        used: totals.used,
        free: totals.free,
        subnets: Vec::new(),
        free_blocks: plan.free_blocks().iter().map(|c| row(*c)).collect(),
        largest_free: plan.largest_free_block().map(|c| c.to_string()),
        split: Vec::new(),
        layout: Vec::new(),
        ipv6: None,
    };
    report.subnets = subnets.to_vec();
    if let Some(n) = args.split {
        let base = cidrs[0];
        let len = base.prefix_len();
        // N longer than the block is the children's prefix length; shorter is extra bits.
        let child = match n {
            n if n > len => n,
            n if n == len => return Err(format!("{base} is already /{len}: give the children's prefix length (e.g. --split {}) or a number of extra bits (e.g. --split 2)", len + 1)),
            n => len.saturating_add(n),
        };
        if child > 28 {
            return Err(format!("splitting {base} into /{child} blocks: an AWS subnet is /16 to /28 (A5), so the children must be /28 or larger"));
        }
        report.split = split(base, child - len).map_err(|e| e.to_string())?.into_iter().map(row).collect();
    }
    if !args.tiers.is_empty() || !args.azs.is_empty() || args.size.is_some() {
        let size = args.size.ok_or("a layout needs --size (the prefix length of each subnet, e.g. 20)")?;
        if args.tiers.is_empty() || azs.is_empty() {
            return Err("a layout needs both --tiers (e.g. public,private) and --azs (e.g. a,b,c,d)".into());
        }
        check_names("--tiers", &args.tiers)?;
        check_names("--azs", azs)?;
        report.layout =
            plan.layout(&args.tiers, azs, size).map_err(|e| e.to_string())?.iter().map(layout_row).collect();
    }
    Ok(report)
}

/// Layout names: not blank, no repeats, letters, digits and `-_.` only.
fn check_names(flag: &str, names: &[String]) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for n in names {
        let t = n.trim();
        if t.is_empty() {
            return Err(format!("{flag} has an empty name; separate names with single commas"));
        }
        if !t.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c)) {
            return Err(format!("{flag}: '{t}' may hold only letters, digits, '-', '_' and '.'"));
        }
        if !seen.insert(t.to_ascii_lowercase()) {
            return Err(format!("{flag} names '{t}' twice"));
        }
    }
    Ok(())
}

/// Text rendering: a table per address space.
pub fn render(reports: &[SpaceReport]) -> String {
    use crate::model::text::escape_controls as esc;
    use std::fmt::Write;
    let mut s = String::new();
    for r in reports {
        // Names are escaped before padding, so a control character neither reaches the
        // terminal nor shifts the columns (issue 17, U3).
        let title = esc(&r.vpc.clone().unwrap_or_else(|| r.cidrs.join(", "))).into_owned();
        let pct = if r.total > 0 { r.used as f64 * 100.0 / r.total as f64 } else { 0.0 };
        let _ = writeln!(
            s,
            "{title}: {} — {} addresses, {} used ({pct:.1}%), {} free",
            r.cidrs.join(", "),
            r.total,
            r.used,
            r.free
        );
        if !r.layout.is_empty() {
            let v6 = r.layout.iter().any(|b| b.ipv6.is_some());
            let _ = writeln!(s, "  layout ({} subnets; 5 addresses reserved in each, A6):", r.layout.len());
            let head = format!("  {:<10} {:<16} {:<18} {:<33} {:>7}", "tier", "az", "cidr", "range", "usable");
            let _ = writeln!(s, "{}", if v6 { format!("{head} ipv6") } else { head });
            for b in &r.layout {
                let line = format!(
                    "  {:<10} {:<16} {:<18} {:<33} {:>7}",
                    esc(b.tier.as_deref().unwrap_or("")),
                    esc(b.az.as_deref().unwrap_or("")),
                    b.cidr,
                    format!("{} - {}", b.first, b.last),
                    b.usable
                );
                let _ = match &b.ipv6 {
                    Some(six) => writeln!(s, "{line} {six}"),
                    None => writeln!(s, "{line}"),
                };
            }
        }
        if !r.split.is_empty() {
            let _ = writeln!(s, "  split into {}:", r.split.len());
            for b in &r.split {
                let _ =
                    writeln!(s, "  {:<18} {:<33} usable {:>7}", b.cidr, format!("{} - {}", b.first, b.last), b.usable);
            }
        }
        if !r.subnets.is_empty() {
            let _ = writeln!(s, "  subnets:");
            let _ = writeln!(
                s,
                "  {:<18} {:<18} {:<16} {:<33} {:>7} {:<8} route table",
                "name", "cidr", "az", "range", "usable", "kind"
            );
            for b in &r.subnets {
                let kind = match b.public {
                    Some(true) => "public",
                    Some(false) => "private",
                    None => "-",
                };
                let _ = writeln!(
                    s,
                    "  {:<18} {:<18} {:<16} {:<33} {:>7} {:<8} {}",
                    esc(b.name.as_deref().unwrap_or("")),
                    b.cidr,
                    esc(b.az.as_deref().unwrap_or("")),
                    format!("{} - {}", b.first, b.last),
                    b.usable,
                    kind,
                    esc(b.route_table.as_deref().unwrap_or("-"))
                );
            }
        }
        if r.layout.is_empty() && r.split.is_empty() {
            let _ = writeln!(
                s,
                "  free ({} blocks{}):",
                r.free_blocks.len(),
                r.largest_free.as_deref().map(|l| format!(", largest {l}")).unwrap_or_default()
            );
            for b in r.free_blocks.iter().take(32) {
                let _ = writeln!(
                    s,
                    "  {:<18} {:<33} {:>9} addresses",
                    b.cidr,
                    format!("{} - {}", b.first, b.last),
                    b.addresses
                );
            }
            if r.free_blocks.len() > 32 {
                let _ = writeln!(s, "  … {} more (use --format json for all)", r.free_blocks.len() - 32);
            }
        }
        if let Some(v6) = &r.ipv6 {
            super::plan6::render(v6, &mut s);
        }
    }
    s
}
