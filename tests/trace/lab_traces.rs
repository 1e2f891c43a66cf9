//! Every trace of the guided labs (assets/labs, written from the seed posts) through the trace
//! engine: the verdict, the explanation code, and the numbered flow — the components the
//! forward path passes, in order. This is what `vpcraft lab check` runs.

use vpcraft::labs::{all, verify::check_lab};
use vpcraft::sim::render_text;

#[test]
fn every_lab_trace_gives_its_expected_verdict_code_and_flow() {
    let mut failures = Vec::new();
    let mut n = 0;
    for lab in all().expect("labs parse") {
        for o in check_lab(&lab).unwrap_or_else(|e| panic!("{e}")) {
            n += 1;
            if !o.passed() {
                let shown = o.result.as_ref().map(render_text).unwrap_or_default();
                failures.push(format!(
                    "lab {} step {} {} → {}: {}\n{shown}",
                    lab.name,
                    o.step + 1,
                    o.expected.from,
                    o.expected.to,
                    o.problems.join("; ")
                ));
            }
        }
    }
    assert!(n >= 40, "only {n} lab traces");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_wrong_expectation_is_caught() {
    let mut lab = vpcraft::labs::by_name("s3-gateway-endpoint").unwrap();
    lab.steps[1].traces[0].expect = "delivered".into();
    let outcomes = check_lab(&lab).unwrap();
    assert!(outcomes.iter().any(|o| !o.passed()));
    let mut lab = vpcraft::labs::by_name("s3-gateway-endpoint").unwrap();
    lab.steps[1].traces[0].flow = vec!["jhPrivateRT".into(), "jhPrivateEC2".into()];
    assert!(check_lab(&lab).unwrap().iter().any(|o| !o.passed()), "flow order matters");
}
