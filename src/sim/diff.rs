//! `vpcraft diff OLD NEW`: what a change does. Resource by resource (added, removed, changed,
//! by id and name), flow by flow (every cell of the reachability matrix whose verdict changed,
//! split into *opened* and *closed*), and every internet exposure that appears or goes.
//!
//! The new design's matrix reuses the old one's traced flows that pass no VPC the change
//! touches (see [`Change`]), so a small change costs a small number of traces.

use crate::l10n::Text;
use crate::model::{Design, Protocol, Resource};
use crate::sim::audit::{self, AuditFinding, AuditSeverity};
use crate::sim::reach::{self, Cell, Change, Family, Matrix, ReachOptions};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One resource that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceChange {
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// The kind, e.g. `route table`.
    pub kind: &'static str,
    pub id: String,
    pub name: String,
}

/// One cell of the matrix whose verdict changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowChange {
    pub source: String,
    pub destination: String,
    pub protocol: Protocol,
    pub port: Option<u16>,
    /// The cell in the old design (`None` when the pair is new).
    pub before: Option<Cell>,
    /// The cell in the new design (`None` when the pair is gone).
    pub after: Option<Cell>,
    /// `ipv6` for a flow of the IPv6 matrix (absent for IPv4, as before IPv6 was compared).
    #[serde(skip_serializing_if = "is_ipv4")]
    pub family: Family,
}

fn is_ipv4(f: &Family) -> bool {
    *f == Family::Ipv4
}

/// An internet exposure that appeared (`new`) or went away (`removed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExposureChange {
    pub change: &'static str,
    pub severity: AuditSeverity,
    pub code: &'static str,
    pub message: String,
    pub resources: Vec<String>,
    /// The template the message was written from (for the text in Korean).
    #[serde(skip)]
    pub template: &'static str,
}

/// Everything `diff` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DesignDiff {
    pub resources: Vec<ResourceChange>,
    pub opened: Vec<FlowChange>,
    pub closed: Vec<FlowChange>,
    pub exposures: Vec<ExposureChange>,
    /// What was not compared, and why (absent when everything was).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
}

impl DesignDiff {
    /// New exposures.
    pub fn new_exposures(&self) -> usize {
        self.exposures.iter().filter(|e| e.change == "new").count()
    }
}

/// The resources that differ, in the new design's order, then the removed ones.
pub fn resource_changes(old: &Design, new: &Design) -> Vec<ResourceChange> {
    let before: HashMap<&str, Resource<'_>> = old.resources().map(|r| (r.id(), r)).collect();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for r in new.resources() {
        seen.insert(r.id());
        let change = match before.get(r.id()) {
            None => "added",
            Some(b) if *b != r => "changed",
            Some(_) => continue,
        };
        out.push(ResourceChange { change, kind: r.kind().label(), id: r.id().to_string(), name: r.name().to_string() });
    }
    for r in old.resources() {
        if !seen.contains(r.id()) {
            out.push(ResourceChange {
                change: "removed",
                kind: r.kind().label(),
                id: r.id().to_string(),
                name: r.name().to_string(),
            });
        }
    }
    out
}

/// The flows whose verdict differs between two matrices, matching rows and columns by id.
pub fn flow_changes(old: &Matrix, new: &Matrix) -> (Vec<FlowChange>, Vec<FlowChange>) {
    let (mut opened, mut closed) = (Vec::new(), Vec::new());
    let col_of: HashMap<&str, usize> = old.destination_ids.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let row_of: HashMap<&str, usize> = old.source_ids.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let cols: Vec<Option<usize>> = new.destination_ids.iter().map(|id| col_of.get(id.as_str()).copied()).collect();
    let protocol = new.options.protocol;
    let family = new.family();
    for (p, port) in new.options.ports.iter().enumerate() {
        let Some(op) = old.options.ports.iter().position(|x| x == port) else { continue };
        let change = |r: usize, c: usize, before: Option<Cell>, after: Option<Cell>| FlowChange {
            source: new.source_ids.get(r).cloned().unwrap_or_default(),
            destination: new.destination_ids.get(c).cloned().unwrap_or_default(),
            protocol,
            port: *port,
            before,
            after,
            family,
        };
        // The same rows and columns: only the lines that differ are looked at.
        if let Some(cells) = new.verdict_changes(p, old, op) {
            for (r, c) in cells {
                let ch = change(r, c, Some(old.cell(op, r, c)), Some(new.cell(p, r, c)));
                if new.delivered(p, r, c) {
                    opened.push(ch);
                } else {
                    closed.push(ch);
                }
            }
            continue;
        }
        for (r, id) in new.source_ids.iter().enumerate() {
            let or = row_of.get(id.as_str()).copied();
            for (c, oc) in cols.iter().enumerate() {
                let now = new.delivered(p, r, c);
                match (or, oc) {
                    (Some(or), Some(oc)) => {
                        let was = old.delivered(op, or, *oc);
                        if was != now {
                            let ch = change(r, c, Some(old.cell(op, or, *oc)), Some(new.cell(p, r, c)));
                            if now {
                                opened.push(ch);
                            } else {
                                closed.push(ch);
                            }
                        }
                    }
                    _ if now => opened.push(change(r, c, None, Some(new.cell(p, r, c)))),
                    _ => {}
                }
            }
        }
        // Pairs that are gone and were delivered.
        let new_rows: HashSet<&str> = new.source_ids.iter().map(String::as_str).collect();
        let new_cols: HashSet<&str> = new.destination_ids.iter().map(String::as_str).collect();
        for (or, rid) in old.source_ids.iter().enumerate() {
            for (oc, cid) in old.destination_ids.iter().enumerate() {
                if (new_rows.contains(rid.as_str()) && new_cols.contains(cid.as_str())) || !old.delivered(op, or, oc) {
                    continue;
                }
                closed.push(FlowChange {
                    source: rid.clone(),
                    destination: cid.clone(),
                    protocol,
                    port: *port,
                    before: Some(old.cell(op, or, oc)),
                    after: None,
                    family,
                });
            }
        }
    }
    (opened, closed)
}

fn exposure_key(f: &AuditFinding) -> (&'static str, &str, &[String]) {
    (f.code, f.message.as_str(), f.resources.as_slice())
}

/// Internet exposures that appear or go away.
pub fn exposure_changes(old: &[AuditFinding], new: &[AuditFinding]) -> Vec<ExposureChange> {
    let is_exposure = |f: &&AuditFinding| f.code.starts_with("EXPOSED_");
    let before: HashSet<_> = old.iter().filter(is_exposure).map(exposure_key).collect();
    let after: HashSet<_> = new.iter().filter(is_exposure).map(exposure_key).collect();
    let mut out = Vec::new();
    let mut push = |change, f: &AuditFinding| {
        out.push(ExposureChange {
            change,
            severity: f.severity,
            code: f.code,
            message: f.message.clone(),
            resources: f.resources.clone(),
            template: f.message_template,
        })
    };
    for f in new.iter().filter(is_exposure) {
        if !before.contains(&exposure_key(f)) {
            push("new", f);
        }
    }
    for f in old.iter().filter(is_exposure) {
        if !after.contains(&exposure_key(f)) {
            push("removed", f);
        }
    }
    out
}

/// Whether a design has an IPv6 subnet block (then its IPv6 flows are compared too).
fn has_ipv6(d: &Design) -> bool {
    d.subnets.iter().any(|s| s.ipv6_cidr.is_some())
}

/// Compare two designs: resources, the matrix (the same selection, resolved in each design)
/// and internet exposure. `options` makes a design's matrix options for a family: the IPv4
/// matrix always, the IPv6 one too when either design has an IPv6 subnet block (IPv4 and IPv6
/// are routed apart, R3: a `::/0` route opens flows no IPv4 cell shows).
pub fn diff(
    old: &Design,
    new: &Design,
    options: impl Fn(&Design, Family) -> Result<ReachOptions, String>,
) -> Result<DesignDiff, Text> {
    let resources = resource_changes(old, new);
    let change = Change::between(old, new, &resources);
    let compare = |family: Family| -> Result<(Vec<FlowChange>, Vec<FlowChange>), Text> {
        let before = reach::compute(old, &options(old, family)?)?;
        let after = before.recompute(new, &options(new, family)?, &change)?;
        Ok(flow_changes(&before, &after))
    };
    let (mut opened, mut closed) = compare(Family::Ipv4)?;
    let mut notes = Vec::new();
    if has_ipv6(old) || has_ipv6(new) {
        match compare(Family::Ipv6) {
            Ok((o, c)) => {
                opened.extend(o);
                closed.extend(c);
            }
            Err(e) => notes.push(crate::text!("IPv6 flows not compared: {e}").with("e", e)),
        }
    }
    let exposures = exposure_changes(&audit::exposure(old), &audit::exposure(new));
    Ok(DesignDiff { resources, opened, closed, exposures, notes })
}

/// The text form, in `lang` (ids, names, codes and components stay as they are).
pub fn render_text(d: &DesignDiff, lang: crate::l10n::Lang) -> String {
    use crate::l10n::{t, tr, ui};
    use std::fmt::Write;
    use unicode_width::UnicodeWidthStr;
    let mut out = String::new();
    let _ = writeln!(out, "{}", t(lang, "diff-resources", &[("n", &d.resources.len())]));
    for r in &d.resources {
        let name = if r.name.is_empty() || r.name == r.id { String::new() } else { format!(" ({})", r.name) };
        let change = tr(lang, &format!("diff-change-{}", r.change));
        let pad = " ".repeat(8usize.saturating_sub(change.width()));
        let _ = writeln!(out, "  {change}{pad} {} {}{name}", ui(lang, r.kind), r.id);
    }
    let flow = |f: &FlowChange| {
        let port = f.port.map(|p| format!("/{p}")).unwrap_or_default();
        let was = f.before.as_ref().map_or_else(|| tr(lang, "diff-absent"), |c| c.text_in(lang));
        let now = f.after.as_ref().map_or_else(|| tr(lang, "diff-absent"), |c| c.text_in(lang));
        let family = if f.family == Family::Ipv6 { " (IPv6)" } else { "" };
        format!("{} → {} {}{port}{family}: {was} ⇒ {now}", f.source, f.destination, f.protocol)
    };
    let _ = writeln!(out, "{}", t(lang, "diff-opened", &[("n", &d.opened.len())]));
    for f in &d.opened {
        let _ = writeln!(out, "  + {}", flow(f));
    }
    let _ = writeln!(out, "{}", t(lang, "diff-closed", &[("n", &d.closed.len())]));
    for f in &d.closed {
        let _ = writeln!(out, "  - {}", flow(f));
    }
    let (new, removed) = (d.new_exposures(), d.exposures.len() - d.new_exposures());
    let _ = writeln!(out, "{}", t(lang, "diff-exposure", &[("new", &new), ("removed", &removed)]));
    for e in &d.exposures {
        let sign = if e.change == "new" { "+" } else { "-" };
        let severity = tr(lang, &format!("audit-severity-{}", e.severity));
        let message = crate::l10n::Text::new(e.template, e.message.clone()).render(lang);
        let _ = writeln!(out, "  {sign} {severity} {} {message}", e.code);
    }
    for n in &d.notes {
        let _ = writeln!(out, "{}", crate::l10n::uif(lang, "Note: {n}", &[("n", &n.render(lang))]));
    }
    out
}
