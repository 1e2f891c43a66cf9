//! Every trace of the guided labs (assets/labs, written from the seed posts) through the trace
//! engine: the verdict, the explanation code, and the numbered flow — the components the
//! forward path passes, in order.

use vpcraft::labs::run::{design_after, expanded};
use vpcraft::sim::{render_text, TraceIndex, TraceRequest};

/// Whether a hop's component is what a lab's flow entry names (name, id or kind, or a prefix
/// of the id such as `vpce`).
fn names(d: &vpcraft::model::Design, h: &vpcraft::sim::Hop, want: &str) -> bool {
    let c = &h.component;
    // An instance is passed where its network interface decides (the src/dst check).
    let eni_of_instance = c.kind == "network-interface"
        && d.network_interface(&c.id)
            .and_then(|e| e.instance.as_deref())
            .and_then(|i| d.instance(i))
            .is_some_and(|i| i.name == want);
    eni_of_instance
        || c.name == want
        || c.id == want
        || c.kind == want
        || c.id.starts_with(&format!("{want}-"))
        // A subnet is passed where its network ACL is evaluated.
        || (c.kind == "network-acl" && h.decision.contains(&format!("{want} (subnet-")))
}

#[test]
fn every_lab_trace_gives_its_expected_verdict_code_and_flow() {
    let labs = vpcraft::labs::all().expect("labs parse");
    let mut checked = 0;
    let mut failures = Vec::new();
    for lab in &labs {
        for (i, step) in lab.steps.iter().enumerate() {
            let d = design_after(lab, i).expect("the lab's steps apply");
            let ix = TraceIndex::new(&d);
            for t in &step.traces {
                let (from, to) = expanded(&d, t).expect("placeholders expand");
                let where_ = format!("lab {} step {} {from} → {to}", lab.name, i + 1);
                let req = match TraceRequest::parse(&d, &from, &to, &t.proto, t.port, None) {
                    Ok(r) => r,
                    Err(e) => {
                        failures.push(format!("{where_}: cannot parse: {e}"));
                        continue;
                    }
                };
                let r = ix.trace(&req);
                checked += 1;
                if r.verdict.to_string() != t.expect {
                    failures.push(format!("{where_}: expected {}, got:\n{}", t.expect, render_text(&r)));
                    continue;
                }
                if let Some(code) = &t.code {
                    if r.code != Some(code.as_str()) {
                        failures.push(format!("{where_}: expected code {code}, got:\n{}", render_text(&r)));
                        continue;
                    }
                }
                let mut hops = r.forward.iter();
                for want in &t.flow {
                    if !hops.any(|h| names(&d, h, want)) {
                        failures.push(format!(
                            "{where_}: flow {:?}: '{want}' not passed in order:\n{}",
                            t.flow,
                            render_text(&r)
                        ));
                        break;
                    }
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} lab traces");
    assert!(failures.is_empty(), "{} of {checked} lab traces disagree:\n\n{}", failures.len(), failures.join("\n\n"));
}
