//! VPC Block Public Access (I2): with it on, the internet gateway and the egress-only internet
//! gateway pass no traffic, either way and in both families. One rule, written once
//! (`Walk::block_public_access`), met at four places of the engine.

use crate::trace_common::*;
use vpcraft::sim::TraceResult;

fn blocked_at(r: &TraceResult, kind: &str, disposition: &str) {
    let h = r
        .forward
        .iter()
        .chain(&r.return_path)
        .find(|h| h.component.kind == kind && h.action == "drop")
        .unwrap_or_else(|| panic!("no {kind} drop:\n{}", explain(r)));
    assert_eq!(h.rule, "I2", "{}", explain(r));
    assert_eq!(r.verdict.to_string(), "dropped", "{}", explain(r));
    assert_eq!(r.code.map(|c| c.as_str()), Some("VPC_BLOCK_PUBLIC_ACCESS_ENABLED"), "{}", explain(r));
    assert_eq!(r.disposition.as_str(), disposition, "{}", explain(r));
    let b = r.blockers.iter().find(|b| b.step == h.step).expect("a blocker at the gateway");
    assert_eq!(b.fix, "turn off VPC Block Public Access or add an exclusion");
    let kind_words = if kind == "internet-gateway" { "internet gateway" } else { "egress-only internet gateway" };
    assert_eq!(h.decision.to_string(), format!("VPC Block Public Access is on: the {kind_words} passes no traffic"));
}

/// The dual-stack lab with Block Public Access on, and its web and app instances' ids.
fn bpa(on: bool) -> (vpcraft::model::Design, String, String) {
    let l = dual_stack();
    let mut d = l.b.design;
    d.features.block_public_access = on;
    (d, l.web, l.app)
}

#[test]
fn i2_blocks_the_internet_gateway_out_and_in_in_both_families() {
    let (d, web, _) = bpa(true);
    blocked_at(&tcp(&d, &web, "8.8.8.8", 443), "internet-gateway", "DENIED_OUT");
    blocked_at(&tcp(&d, &web, "2001:4860:4860::8888", 443), "internet-gateway", "DENIED_OUT");
    blocked_at(&tcp(&d, "internet", "50.1.1.1", 443), "internet-gateway", "DENIED_IN");
    blocked_at(&tcp(&d, "internet", "2600:1f18:1:2300::10", 443), "internet-gateway", "DENIED_IN");
}

#[test]
fn i2_blocks_the_egress_only_gateway() {
    let (d, _, app) = bpa(true);
    blocked_at(&tcp(&d, &app, "2001:4860:4860::8888", 443), "egress-only-internet-gateway", "DENIED_OUT");
}

#[test]
fn without_block_public_access_the_gateways_pass() {
    let (d, web, app) = bpa(false);
    assert_delivered(&tcp(&d, &web, "8.8.8.8", 443), "EXITS_NETWORK");
    assert_delivered(&tcp(&d, &app, "2001:4860:4860::8888", 443), "EXITS_NETWORK");
}
