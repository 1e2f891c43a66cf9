//! Design checks: every rule of sections 1–9 of the semantics document that can be checked
//! without a flow. Each finding has a severity, a stable code, the rule it comes from, the
//! resources involved and a one-line fix.

mod addressing;
pub mod codes;
mod context;
mod endpoints;
mod filters;
mod gateways;
mod hub;
mod incremental;
mod ipv6;
mod peering;
mod routing;
mod services;
mod values;

use crate::model::{Design, DesignIndex, Vpc};
use crate::rules::Rule;
use serde::Serialize;
use std::fmt;

pub use codes::FindingCode;
pub use context::Ctx;
use context::Scope;
pub use incremental::{CheckScope, CheckState, Run};

/// How serious a finding is. Errors are configurations AWS refuses or that cannot work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One problem found in a design.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable code, e.g. `SUBNET_OVERLAP`.
    pub code: FindingCode,
    /// The rule of the semantics document, e.g. `A5`.
    pub rule: Rule,
    pub message: String,
    /// Ids of the resources involved, the main one first.
    pub resources: Vec<String>,
    /// A one-line suggestion.
    pub fix: String,
    /// The template the message was written from (see [`crate::l10n::Text`]): another
    /// language says the message through its catalogue.
    #[serde(skip)]
    pub template: &'static str,
    /// The specifics the fix's template was filled with, in order.
    #[serde(skip)]
    pub fix_args: Vec<String>,
    /// The message's parts that are sentences made elsewhere (an import's detail).
    #[serde(skip)]
    pub nested: crate::l10n::Nested,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} [{}] {}", self.severity, self.code, self.rule, self.message)
    }
}

/// Collects findings.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Finding>);

impl Finding {
    /// A finding of `code` about `resources` (the main one first); severity, rule and fix
    /// follow from the code, the fix's specifics from `fix_args`.
    pub fn new(
        code: FindingCode,
        resources: &[&str],
        message: impl Into<crate::l10n::Text>,
        fix_args: &[&dyn fmt::Display],
    ) -> Finding {
        let message = message.into();
        Finding {
            severity: code.severity(),
            code,
            rule: code.rule(),
            message: message.english,
            resources: resources.iter().map(|s| s.to_string()).collect(),
            fix: code.fix(fix_args),
            template: message.template,
            fix_args: fix_args.iter().map(|a| a.to_string()).collect(),
            nested: message.nested,
        }
    }

    /// The message in `lang` (the catalogue's `text-…` message of its template).
    pub fn message_in(&self, lang: crate::l10n::Lang) -> String {
        crate::l10n::Text { nested: self.nested.clone(), ..crate::l10n::Text::new(self.template, self.message.clone()) }
            .render(lang)
    }

    /// The fix in `lang` (the catalogue's `fix-…` message of its code, with the same specifics).
    pub fn fix_in(&self, lang: crate::l10n::Lang) -> String {
        self.code.fix_in(lang, &self.fix_args).unwrap_or_else(|| self.fix.clone())
    }
}

impl Findings {
    /// Record a finding whose fix needs no specifics.
    pub fn add(&mut self, code: FindingCode, resources: &[&str], message: impl Into<crate::l10n::Text>) {
        self.0.push(Finding::new(code, resources, message, &[]));
    }

    /// Record a finding, filling its fix template with `fix_args`.
    pub fn add_with(
        &mut self,
        code: FindingCode,
        resources: &[&str],
        message: impl Into<crate::l10n::Text>,
        fix_args: &[&dyn fmt::Display],
    ) {
        self.0.push(Finding::new(code, resources, message, fix_args));
    }
}

/// How `vpcraft check` sums up its findings, "0 errors, 2 warnings, 1 notes": the app's status
/// bar says it in the same words, so the two cannot disagree.
pub fn count_line(errors: usize, warnings: usize, notes: usize) -> String {
    format!("{errors} errors, {warnings} warnings, {notes} notes")
}

/// Run every check. Findings come sorted: errors first, then by code and resource.
pub fn check_design(design: &Design) -> Vec<Finding> {
    let ix = DesignIndex::new(design);
    let cx = Ctx::new(&ix);
    let mut out = Findings::default();
    for v in &design.vpcs {
        check_vpc(&cx, v, &mut out);
    }
    check_links(&cx, &mut out);
    finish(&cx, out.0)
}

/// Every check about one VPC and what it holds: its CIDRs, subnets and the addresses in them,
/// route tables, gateways, endpoints, load balancers, groups, interfaces and ACLs, IPv6, and
/// the peerings it requested. What relates it to other VPCs (the other side of a peering, a
/// subnet listed by another VPC's table, an Elastic IP used in two VPCs) is found through the
/// index, so a VPC's findings are a function of what it holds and what that refers to.
fn check_vpc(cx: &Ctx, v: &Vpc, out: &mut Findings) {
    // What the VPC holds, found once for every check below.
    let scope = Scope::new(cx, v);
    addressing::vpc(cx, v, &scope, out);
    routing::vpc(cx, v, out);
    gateways::vpc(cx, v, &scope, out);
    endpoints::vpc(cx, v, out);
    filters::vpc(cx, v, &scope, out);
    values::vpc(cx, v, &scope, out);
    peering::vpc(cx, v, out);
    // IPv6 (issue 14): A7 sizes, I5, N4, S2/L2 twins, per VPC.
    ipv6::vpc(cx, v, &scope, out);
}

/// Every check about what belongs to no one VPC (transit gateways and their attachments,
/// endpoint services, inspection, managed services) and about resources whose VPC is not in
/// the design.
fn check_links(cx: &Ctx, out: &mut Findings) {
    addressing::design(cx, out);
    routing::design(cx, out);
    gateways::design(cx, out);
    hub::check(cx, out);
    endpoints::design(cx, out);
    filters::design(cx, out);
    values::design(cx, out);
    // IPv6 over peerings and transit gateways, and what belongs to no VPC.
    ipv6::design(cx, out);
    services::design(cx, out);
}

/// Drop what says nothing about the design, sort and remove duplicates.
fn finish(cx: &Ctx, findings: Vec<Finding>) -> Vec<Finding> {
    // Resources an import only knows by reference (external stub VPCs and what they hold)
    // have made-up addresses: findings about them say nothing about the design.
    let external = cx.external_ids();
    let mut v: Vec<Finding> =
        findings.into_iter().filter(|f| f.resources.first().is_none_or(|r| !external.contains(r.as_str()))).collect();
    v.sort_by(|a, b| (a.severity, a.code.as_str(), &a.resources).cmp(&(b.severity, b.code.as_str(), &b.resources)));
    v.dedup();
    v
}

/// The errors of the "values AWS would refuse" family alone (reversed port ranges, subnet
/// CIDRs with host bits, regions that are no region, clashing device indexes, empty ids): what
/// must stop an export to CloudFormation or Terraform, since AWS would reject the stack or plan
/// (issue 17, S3). Sorted and filtered like [`check_design`].
pub fn refused_values(design: &Design) -> Vec<Finding> {
    let ix = DesignIndex::new(design);
    let ctx = Ctx::new(&ix);
    let mut out = Findings::default();
    values::all(&ctx, &mut out);
    finish(&ctx, out.0).into_iter().filter(|f| f.severity == Severity::Error).collect()
}

/// Count findings of a severity.
pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

#[cfg(test)]
mod tests;
