//! Save-file format migrations: a design file written by an older vpcraft is brought up to
//! [`FORMAT_VERSION`] one version at a time before it is read.
//!
//! Each [`Migration`] turns version `from` into `from + 1` by looking at the file's RON as a
//! [`tree`] (struct and variant names kept, every value with its place in the text) and returning
//! text edits. Only what a step edits changes; the rest of the text stays as the user wrote it,
//! so a later error still points at the right line. A step keeps its edits on the lines they
//! replace for the same reason.
//!
//! How to change the format:
//! - A new field that is optional (`#[serde(default)]`, skipped when empty) needs no step and
//!   no new version: files without it still load, and the version it ships in reads it.
//! - Anything else (a renamed or removed field, a new type for a field, a value that now means
//!   something else) bumps [`FORMAT_VERSION`] and appends a step `from: old` to [`MIGRATIONS`]
//!   that rewrites old files into the new shape. Add a test with a file of the old version.

pub mod tree;

use crate::l10n::Text;
use crate::model::FORMAT_VERSION;
use tree::{Edits, Value};

/// One step: a file of version `from` becomes version `from + 1`.
pub struct Migration {
    /// The version the step reads.
    pub from: u32,
    /// What changed in the format, for people.
    pub summary: &'static str,
    /// The edits that bring a document of version `from` to `from + 1`.
    pub edits: fn(&str, &Value) -> Result<Edits, Text>,
}

/// Every step, in version order; the last one ends at [`FORMAT_VERSION`].
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        from: 1,
        summary: "IPv6 (issue 14): a VPC's `ipv6_cidr: Some(\"…\")` becomes `ipv6_cidr_blocks: [Ipv6CidrBlock(cidr: \"…\")]` (several blocks per VPC, each with its pool); addresses, routes, rules and prefix lists of both families are read as before",
        edits: v1_to_v2,
    },
    Migration {
        from: 2,
        summary: "regional NAT gateways (issue 15, N9): a NAT gateway's `subnet: \"…\"` and `private_ip: \"…\"` become `Some(\"…\")` (a regional NAT gateway has neither)",
        edits: v2_to_v3,
    },
];

/// Bring `text`, a design of `version`, to [`FORMAT_VERSION`]. Returns the text unchanged
/// when it is current. The caller refuses versions newer than this build (and 0).
pub fn upgrade(text: &str, version: u32) -> Result<String, Text> {
    let mut text = text.to_string();
    let mut v = version;
    while v < FORMAT_VERSION {
        let step =
            MIGRATIONS.iter().find(|m| m.from == v).ok_or_else(|| crate::text!("no migration from version {v}"))?;
        // A file that is not even readable RON is left for the RON reader to report, with its
        // own line and column: the migration has nothing to work on.
        let Ok(root) = tree::parse(&text) else { return Ok(text) };
        let edits = (step.edits)(&text, &root)?;
        if !edits.is_empty() {
            text = edits.apply(&text)?;
        }
        v += 1;
    }
    Ok(text)
}

/// 1 → 2: a VPC held at most one IPv6 block, `ipv6_cidr: Some("2001:db8::/56")` (an import
/// wrote it; it was not simulated). Version 2 holds a list of blocks, each with where it comes
/// from (A7). The block was imported from AWS, so it is an Amazon-provided one unless the
/// import said otherwise, which version 1 could not.
fn v1_to_v2(text: &str, root: &Value) -> Result<Edits, Text> {
    let mut edits = Edits::default();
    let Some(vpcs) = root.field("vpcs") else { return Ok(edits) };
    for vpc in vpcs.value.items() {
        let Some(f) = vpc.field("ipv6_cidr") else { continue };
        let new = match f.value.inner_text(text) {
            Some("None") => "ipv6_cidr_blocks: []".to_string(),
            Some(block) => format!("ipv6_cidr_blocks: [Ipv6CidrBlock(cidr: {block})]"),
            None => return Err(crate::text!("ipv6_cidr: expected Some(\"<IPv6 CIDR>\") or None")),
        };
        edits.replace(f.span, new);
    }
    Ok(edits)
}

/// 2 → 3: every NAT gateway was zonal, with a subnet and a private address; both are optional
/// now (a regional NAT gateway has neither, N9), so they are wrapped in `Some(…)`.
fn v2_to_v3(text: &str, root: &Value) -> Result<Edits, Text> {
    let mut edits = Edits::default();
    let Some(nats) = root.field("nat_gateways") else { return Ok(edits) };
    for nat in nats.value.items() {
        for name in ["subnet", "private_ip"] {
            let Some(f) = nat.field(name) else { continue };
            if f.value.name().is_some() || f.value.inner_text(text) == Some("None") {
                continue; // already `Some(…)`/`None`: nothing to wrap
            }
            let Some(v) = f.value.inner_text(text) else {
                return Err(crate::text!("{name}: expected a string"));
            };
            edits.replace(f.value.span(), format!("Some({v})"));
        }
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_steps_chain_up_to_the_current_version() {
        for (k, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.from, k as u32 + 1, "steps start at version 1 and have no gaps");
        }
        assert_eq!(MIGRATIONS.last().map(|m| m.from + 1), Some(FORMAT_VERSION));
    }

    #[test]
    fn v1_ipv6_cidr_becomes_a_list_of_blocks_on_the_same_line() {
        let v1 = "Design(\n  format_version: 1,\n  name: \"x\",\n  vpcs: [\n    Vpc(id: \"vpc-1\", name: \"a\", region: \"r\", cidr: \"10.0.0.0/16\", ipv6_cidr: Some(\"2600:1f18:1:2300::/56\")),\n    Vpc(id: \"vpc-2\", name: \"b\", region: \"r\", cidr: \"10.1.0.0/16\", ipv6_cidr: None),\n    Vpc(id: \"vpc-3\", name: \"c\", region: \"r\", cidr: \"10.2.0.0/16\"),\n  ],\n)\n";
        let v2 = upgrade(v1, 1).unwrap();
        assert!(v2.contains("ipv6_cidr_blocks: [Ipv6CidrBlock(cidr: \"2600:1f18:1:2300::/56\")]"), "{v2}");
        assert!(v2.contains("ipv6_cidr_blocks: []"), "{v2}");
        assert_eq!(v2.lines().count(), v1.lines().count());
        assert_eq!(upgrade(&v2, FORMAT_VERSION).unwrap(), v2, "a current file is left alone");
    }

    #[test]
    fn v2_nat_subnet_and_address_become_optional_on_the_same_line() {
        let v2 = "Design(\n  format_version: 2,\n  name: \"x\",\n  nat_gateways: [\n    NatGateway(id: \"nat-1\", name: \"n\", subnet: \"subnet-1\", private_ip: \"10.0.0.5\", eip: Some(\"eipalloc-1\")),\n  ],\n)\n";
        let v3 = upgrade(v2, 2).unwrap();
        assert!(
            v3.contains("subnet: Some(\"subnet-1\"), private_ip: Some(\"10.0.0.5\"), eip: Some(\"eipalloc-1\")"),
            "{v3}"
        );
        assert_eq!(v3.lines().count(), v2.lines().count());
    }

    #[test]
    fn unreadable_text_is_left_for_ron_to_report() {
        assert_eq!(upgrade("Design(vpcs: [", 1).unwrap(), "Design(vpcs: [");
    }
}
