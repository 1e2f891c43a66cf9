//! Every trace of the guided labs (assets/labs, written from the seed posts) through the trace
//! engine: the verdict, the explanation code, and the numbered flow — the components the
//! forward path passes, in order. This is what `vpcraft lab check` runs.

use vpcraft::labs::{all, verify::check_lab};
use vpcraft::sim::render_text;

/// Problems (typed, said in any language) as one English line.
fn english<T: ToString>(problems: &[T]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

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
                    english(&o.problems)
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

/// Issue 16 item 1: every lesson text in both languages agrees with the engine — no hop number
/// typed in the text, every blog marker `[n]` defined by a blog step whose components, kind
/// and action are the trace's, and the hops shown beside it computed from the trace.
#[test]
fn every_lesson_text_matches_the_trace_in_both_languages() {
    let mut failures = Vec::new();
    let mut markers = 0;
    for lab in all().expect("labs parse") {
        let report = vpcraft::labs::verify::check_lesson(&lab).unwrap_or_else(|e| panic!("{e}"));
        for o in &report.texts {
            markers += o.hops.len();
            if !o.problems.is_empty() {
                failures.push(format!("lab {} step {:?}: {}", lab.name, o.step.map(|s| s + 1), english(&o.problems)));
            }
        }
        for o in &report.traces {
            if !o.passed() {
                failures.push(format!("lab {} step {}: {}", lab.name, o.step + 1, english(&o.problems)));
            }
        }
    }
    assert!(markers >= 12, "only {markers} blog markers checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn hops_of(report: &vpcraft::labs::verify::LessonReport, step: usize) -> Vec<(u32, Vec<u32>)> {
    report
        .texts
        .iter()
        .find(|t| t.step == Some(step))
        .map(|t| t.hops.iter().map(|b| (b.n, b.hops.clone())).collect())
        .unwrap()
}

/// Lab 3 as the newcomer saw it: the drop is at the route table, hop ⑤ (④ is the ACL), and
/// step 1's blog steps [1][2][3] are the trace's ②⑤⑥.
#[test]
fn lab3_blog_steps_are_the_traces_hops() {
    let lab = vpcraft::labs::by_name("s3-gateway-endpoint").unwrap();
    let report = vpcraft::labs::verify::check_lesson(&lab).unwrap();
    assert_eq!(hops_of(&report, 0), vec![(1, vec![2]), (2, vec![5]), (3, vec![6])]);
    assert_eq!(hops_of(&report, 1), vec![(4, vec![2, 5])]);
    let drop = report.traces.iter().find(|o| o.step == 1).and_then(|o| o.result.as_ref()).unwrap();
    assert_eq!(drop.stop_hop().map(|h| h.step), Some(5));
    let en = vpcraft::labs::lesson::fill(&lab.steps[1].narration.en, &report.texts[2].hops, vpcraft::labs::Lang::En);
    assert!(en.starts_with("[4 · hops ②⑤]"), "{en}");
    let ko = vpcraft::labs::lesson::fill(&lab.steps[1].narration.ko, &report.texts[2].hops, vpcraft::labs::Lang::Ko);
    assert!(ko.starts_with("[4 · 홉 ②⑤]"), "{ko}");
}

/// What `lab check` catches in a lesson: a hop number typed in either language, a marker no
/// blog step defines, markers that differ between the languages, a blog step whose decision
/// is not the trace's, a covered component not on the path.
#[test]
fn wrong_lesson_claims_are_caught() {
    let problems = |lab: &vpcraft::labs::Lab| -> Vec<String> {
        let r = vpcraft::labs::verify::check_lesson(lab).unwrap();
        r.texts
            .iter()
            .flat_map(|t| t.problems.iter().map(ToString::to_string))
            .chain(r.traces.iter().flat_map(|t| t.problems.iter().map(ToString::to_string)))
            .collect()
    };
    let base = vpcraft::labs::by_name("s3-gateway-endpoint").unwrap();
    assert!(problems(&base).is_empty(), "{:?}", problems(&base));

    let mut lab = base.clone();
    lab.steps[1].narration.ko = lab.steps[1].narration.ko.replace("[4]", "④");
    let p = problems(&lab);
    assert!(p.iter().any(|p| p.contains("ko narration: circled numbers")), "{p:?}");

    let mut lab = base.clone();
    lab.steps[1].narration.ko = lab.steps[1].narration.ko.replace("[4] ", "");
    lab.steps[1].title.ko = lab.steps[1].title.ko.replace(" ([4])", "");
    let p = problems(&lab);
    assert!(p.iter().any(|p| p.contains("English text uses markers [4] and the Korean []")), "{p:?}");

    let mut lab = base.clone();
    lab.steps[0].narration.en.push_str(" [7] extra.");
    assert!(problems(&lab).iter().any(|p| p.contains("[7] names no blog step")));

    let mut lab = base.clone();
    lab.steps[1].traces[0].blog[0].action = vpcraft::sim::HopAction::Route;
    let p = problems(&lab);
    assert!(p.iter().any(|p| p.contains("[4]: hop ⑤ is route-table drop")), "{p:?}");

    let mut lab = base.clone();
    lab.steps[0].traces[0].blog[1].covers = vec!["jhPrivateRT".into()];
    assert!(problems(&lab).iter().any(|p| p.contains("[2]: 'jhPrivateRT' is not on the path")));
}
