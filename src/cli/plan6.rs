//! `vpcraft plan` for IPv6 (A7): a block's map of /64 slots, used and free, carving by slot
//! number, tier × AZ layouts, and the reserved addresses of a /64.

use super::plan::PlanArgs;
use crate::model::Design;
use crate::net::{self, Ipv6Plan, SlotState};
use ipnet::Ipv6Net;
use serde::Serialize;

/// One subnet (or layout row) of an IPv6 plan.
#[derive(Debug, Clone, Serialize)]
pub struct Ipv6Row {
    pub cidr: String,
    /// The slot number in its VPC block: `cidrsubnet(block, 64 - len, index)`.
    pub index: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub az: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
}

/// One block's map: a character per cell (`#` used, `+` partly used, `.` free).
#[derive(Debug, Clone, Serialize)]
pub struct BlockMapRow {
    pub cidr: String,
    /// Each cell's prefix length (/64 cells for a /56).
    pub cell_prefix: u8,
    pub cells: String,
}

/// The IPv6 plan of a VPC or of a block.
#[derive(Debug, Clone, Serialize)]
pub struct Ipv6Report {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    pub cidrs: Vec<String>,
    /// /64 slots in all blocks, used by subnets, free.
    pub slots: u64,
    pub used: u64,
    pub free: u64,
    pub subnets: Vec<Ipv6Row>,
    pub maps: Vec<BlockMapRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_free: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub layout: Vec<Ipv6Row>,
    /// For a /64: its five reserved addresses (A7).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reserved: Vec<(String, String)>,
}

fn clamp(n: u128) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn map_row(plan: &Ipv6Plan, block: Ipv6Net) -> BlockMapRow {
    let m = plan.map(block);
    let cells = m
        .cells
        .iter()
        .map(|c| match c {
            SlotState::Used => '#',
            SlotState::Partial => '+',
            SlotState::Free => '.',
        })
        .collect();
    BlockMapRow { cidr: block.to_string(), cell_prefix: m.cell_prefix, cells }
}

fn index_of(plan: &Ipv6Plan, c: Ipv6Net) -> u64 {
    plan.blocks().iter().find_map(|b| net::index_in_block(*b, c)).map(clamp).unwrap_or(0)
}

/// The report of a plan, with an optional layout.
fn report(
    vpc: Option<String>,
    plan: &Ipv6Plan,
    names: &[(Ipv6Net, String, String)],
    args: &PlanArgs,
    azs: &[String],
) -> Result<Ipv6Report, String> {
    let (slots, used) = plan.totals();
    let subnets = plan
        .used()
        .iter()
        .map(|c| {
            let n = names.iter().find(|(x, _, _)| x == c);
            Ipv6Row {
                cidr: c.to_string(),
                index: index_of(plan, *c),
                name: n.map(|x| x.1.clone()),
                az: n.map(|x| x.2.clone()),
                tier: None,
            }
        })
        .collect();
    let size = match args.size {
        Some(s) if s > 32 => s,
        _ => net::ipv6::SUBNET_PREFIX,
    };
    let mut r = Ipv6Report {
        vpc,
        cidrs: plan.blocks().iter().map(|b| b.to_string()).collect(),
        slots: clamp(slots),
        used: clamp(used),
        free: clamp(slots.saturating_sub(used)),
        subnets,
        maps: plan.blocks().iter().map(|b| map_row(plan, *b)).collect(),
        next_free: plan.next_free(size, &[]).ok().map(|c| c.to_string()),
        layout: Vec::new(),
        reserved: Vec::new(),
    };
    if !args.tiers.is_empty() && !azs.is_empty() {
        r.layout = plan
            .layout(&args.tiers, azs, size)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|row| Ipv6Row {
                cidr: row.cidr.to_string(),
                index: clamp(row.index),
                name: None,
                az: Some(row.az),
                tier: Some(row.tier),
            })
            .collect();
    }
    Ok(r)
}

/// `vpcraft plan 2001:db8::/56`: the plan of a bare IPv6 block. A /64 (or any block longer
/// than /60) is taken as a subnet and shows its reserved addresses.
pub fn for_block(args: &PlanArgs) -> Result<Ipv6Report, String> {
    let parsed = net::parse_ipv6_cidr(&args.target).map_err(|e| e.to_string())?;
    if let Some(note) = parsed.canonicalisation_note() {
        super::common::say(format!("note: {note}"));
    }
    let c = parsed.cidr;
    if args.split.is_some() {
        return Err("--split is for IPv4 blocks; an IPv6 block is carved into /64s by slot number".into());
    }
    // A7: nothing wider than a /44 is a VPC's or a subnet's IPv6 block in AWS.
    if c.prefix_len() < 44 {
        return Err(format!(
            "{c} is wider than any IPv6 block AWS gives a VPC or a subnet: VPC blocks are /44 to /60 \
             (an Amazon-provided one is /56), subnets /44 to /64 (A7)"
        ));
    }
    if c.prefix_len() > 60 {
        let plan = Ipv6Plan::new(&[c], &[]).map_err(|e| e.to_string())?;
        let mut r = report(None, &plan, &[], args, &[])?;
        r.reserved =
            net::ipv6_reserved_addresses(c).iter().map(|(a, role)| (a.to_string(), role.to_string())).collect();
        return Ok(r);
    }
    let plan = Ipv6Plan::new(&[c], &[]).map_err(|e| e.to_string())?;
    report(None, &plan, &[], args, &args.azs)
}

/// The IPv6 plan of a design's VPC, if it has IPv6 blocks.
pub fn for_vpc(
    d: &Design,
    vpc: &crate::model::Vpc,
    args: &PlanArgs,
    azs: &[String],
) -> Result<Option<Ipv6Report>, String> {
    if vpc.ipv6_cidr_blocks.is_empty() {
        return Ok(None);
    }
    let plan = d.ipv6_plan(&vpc.id).map_err(|e| e.to_string())?;
    let names: Vec<(Ipv6Net, String, String)> =
        d.vpc_subnets(&vpc.id).filter_map(|s| Some((s.ipv6_cidr?, s.name.clone(), s.az.clone()))).collect();
    report(Some(format!("{} ({})", vpc.name, vpc.id)), &plan, &names, args, azs).map(Some)
}

/// Text rendering of an IPv6 plan.
pub fn render(r: &Ipv6Report, out: &mut String) {
    use std::fmt::Write;
    let title = r.vpc.clone().unwrap_or_else(|| r.cidrs.join(", "));
    let _ = writeln!(
        out,
        "{title}: IPv6 {} — {} /64 subnets, {} used, {} free (A7: 5 addresses reserved in each)",
        r.cidrs.join(", "),
        r.slots,
        r.used,
        r.free
    );
    for m in &r.maps {
        if m.cells.len() <= 1 {
            continue;
        }
        let _ = writeln!(out, "  {} in /{} cells (# used, + partly used, . free):", m.cidr, m.cell_prefix);
        let _ = writeln!(out, "        0 1 2 3 4 5 6 7 8 9 a b c d e f");
        for (row, chunk) in m.cells.as_bytes().chunks(16).enumerate() {
            let cells: Vec<String> = chunk.iter().map(|c| (*c as char).to_string()).collect();
            let _ = writeln!(out, "    {:02x}  {}", row * 16, cells.join(" "));
        }
    }
    if !r.subnets.is_empty() {
        let _ = writeln!(out, "  subnets:");
        for s in &r.subnets {
            let _ = writeln!(
                out,
                "  {:<28} #{:<4x} {:<18} {}",
                s.cidr,
                s.index,
                s.name.as_deref().unwrap_or(""),
                s.az.as_deref().unwrap_or("")
            );
        }
    }
    if !r.layout.is_empty() {
        let _ = writeln!(out, "  IPv6 layout (one /64 per subnet):");
        let _ = writeln!(out, "  {:<10} {:<16} {:<28} slot", "tier", "az", "cidr");
        for s in &r.layout {
            let _ = writeln!(
                out,
                "  {:<10} {:<16} {:<28} #{:x}",
                s.tier.as_deref().unwrap_or(""),
                s.az.as_deref().unwrap_or(""),
                s.cidr,
                s.index
            );
        }
    }
    if !r.reserved.is_empty() {
        let _ = writeln!(out, "  reserved (A7: the first four and the last):");
        for (a, role) in &r.reserved {
            let _ = writeln!(out, "  {a:<40} {role}");
        }
    }
    if let Some(n) = &r.next_free {
        let _ = writeln!(out, "  next free: {n}");
    }
}
