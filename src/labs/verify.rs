//! Running a lab's traces against their expectations (`vpcraft lab check`).

use super::lesson::{self, BlogHops, BlogProblem};
use super::run::{apply_step, expanded, start_design};
use super::{Lab, LabTrace};
use crate::l10n::{ui, uif, Lang};
use crate::model::Design;
use crate::sim::{trace, Code, ComponentKind, Explanation, Hop, TraceRequest, TraceResult, Verdict};

/// What did not match in one expected trace, kept as data so the lab panel says it in the
/// app's language ([`Problem::render`]); English (`Display`) is what `lab check` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The verdict differs: the expected word as the lab file writes it, the trace's verdict,
    /// and why the trace ended as it did.
    Verdict { expect: String, got: Verdict, reason: Explanation },
    /// A component of the expected flow is not on the forward path, in order.
    NotOnPath { want: String, path: Vec<String> },
    /// The explanation code differs: the one the lab expects and the trace's (none for a
    /// delivered trace).
    Code { expect: Code, got: Option<Code> },
    /// One of the trace's blog steps does not match it.
    Blog(BlogProblem),
    /// A request that cannot be built, as the parser says it.
    Other(crate::l10n::Text),
}

impl Problem {
    /// The problem in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Problem::Verdict { expect, got, reason } => {
                let (expect, got, reason) = (ui(lang, expect), ui(lang, &got.to_string()), reason.render(lang));
                uif(
                    lang,
                    "expected {expect}, got {got} ({reason})",
                    &[("expect", &expect), ("got", &got), ("reason", &reason)],
                )
            }
            Problem::NotOnPath { want, path } => {
                let path = path.join(" → ");
                uif(lang, "flow: '{want}' is not on the path (in order) {path}", &[("want", want), ("path", &path)])
            }
            Problem::Code { expect, got } => {
                let got = got.map_or_else(|| ui(lang, "none"), |c| c.as_str().to_string());
                uif(lang, "expected code {code}, got {got}", &[("code", expect), ("got", &got)])
            }
            Problem::Blog(b) => b.render(lang),
            Problem::Other(s) => s.render(lang),
        }
    }
}

/// English.
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// The outcome of one expected trace.
#[derive(Debug, Clone)]
pub struct TraceOutcome {
    /// 0-based step index.
    pub step: usize,
    pub expected: LabTrace,
    /// The trace's result, when the request could be built.
    pub result: Option<TraceResult>,
    /// What did not match; empty when the trace passed.
    pub problems: Vec<Problem>,
    /// The hops each of the trace's blog steps covers, computed from the result.
    pub blog: Vec<BlogHops>,
}

/// The outcome of checking a step's texts (or, with no step, the lab's title and summary)
/// against the hops its traces computed, in both languages.
#[derive(Debug, Clone)]
pub struct TextOutcome {
    /// 0-based step index; `None` for the lab's own title and summary.
    pub step: Option<usize>,
    /// The blog markers the step's text uses, with their computed hops.
    pub hops: Vec<BlogHops>,
    pub problems: Vec<crate::l10n::Text>,
}

/// Everything `lab check` verifies of one lab.
#[derive(Debug, Clone)]
pub struct LessonReport {
    pub traces: Vec<TraceOutcome>,
    pub texts: Vec<TextOutcome>,
}

impl TraceOutcome {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Whether a hop is where the flow passes what an entry names: the component's name, id or
/// kind, or a prefix of its id such as `vpce`. An instance is passed where its network
/// interface decides (the src/dst check); a subnet where its network ACL is evaluated (the
/// hop's typed `subnet`, never its sentence).
pub fn hop_matches(d: &Design, h: &Hop, want: &str) -> bool {
    let c = &h.component;
    let eni_of_instance = c.kind == ComponentKind::NetworkInterface
        && d.network_interface(&c.id)
            .and_then(|e| e.instance.as_deref())
            .and_then(|i| d.instance(i))
            .is_some_and(|i| i.name == want);
    let subnet_edge = c.kind == ComponentKind::NetworkAcl
        && h.subnet.as_deref().and_then(|s| d.subnet(s)).is_some_and(|s| s.name == want);
    eni_of_instance
        || subnet_edge
        || c.name.eq_ignore_ascii_case(want)
        || c.id.eq_ignore_ascii_case(want)
        || c.kind.as_str().eq_ignore_ascii_case(want)
        || c.id.starts_with(&format!("{want}-"))
}

/// Run one expected trace on a design.
pub fn check_trace(design: &Design, t: &LabTrace) -> (Option<TraceResult>, Vec<String>) {
    let (r, problems, _) = check_trace_blog(design, t);
    (r, problems)
}

/// Run one expected trace on a design: the result, what did not match (the verdict, the code,
/// the flow, each blog step's components, kind and action) and the hops of its blog steps.
pub fn check_trace_blog(design: &Design, t: &LabTrace) -> (Option<TraceResult>, Vec<String>, Vec<BlogHops>) {
    let (r, problems, blog) = check_trace_problems(design, t);
    (r, problems.iter().map(Problem::to_string).collect(), blog)
}

/// [`check_trace_blog`] with the problems as data.
pub fn check_trace_problems(design: &Design, t: &LabTrace) -> (Option<TraceResult>, Vec<Problem>, Vec<BlogHops>) {
    let (r, mut problems) = run_trace(design, t);
    let Some(r) = r else { return (None, problems, Vec::new()) };
    let (blog, blog_problems) = lesson::blog_hops(design, t, &r);
    problems.extend(blog_problems.into_iter().map(Problem::Blog));
    (Some(r), problems, blog)
}

fn run_trace(design: &Design, t: &LabTrace) -> (Option<TraceResult>, Vec<Problem>) {
    let (from, to) = match expanded(design, t) {
        Ok(x) => x,
        Err(e) => return (None, vec![Problem::Other(e.into())]),
    };
    let req = match TraceRequest::parse(design, &from, &to, &t.proto, t.port, None) {
        Ok(r) => r,
        Err(e) => return (None, vec![Problem::Other(e)]),
    };
    let r = trace(design, &req);
    let mut problems = Vec::new();
    let verdict = r.verdict.to_string();
    if verdict != t.expect {
        problems.push(Problem::Verdict {
            expect: t.expect.clone(),
            got: r.verdict,
            reason: r.reason.clone().unwrap_or_default(),
        });
    }
    if let Some(code) = t.code {
        if r.code != Some(code) {
            problems.push(Problem::Code { expect: code, got: r.code });
        }
    }
    // The flow is a subsequence of the forward path's components.
    let mut hops = r.forward.iter();
    for want in &t.flow {
        if !hops.any(|h| hop_matches(design, h, want)) {
            let path: Vec<String> = r.forward.iter().map(|h| h.component.name.clone()).collect();
            problems.push(Problem::NotOnPath { want: want.clone(), path });
            break;
        }
    }
    (Some(r), problems)
}

/// Run every trace of a lab, building the design step by step.
pub fn check_lab(lab: &Lab) -> Result<Vec<TraceOutcome>, String> {
    check_lesson(lab).map(|r| r.traces)
}

/// Check a whole lesson against the engine: every trace (verdict, code, flow, blog steps) and
/// every text in English and Korean (no typed hop numbers, every marker defined, the hops
/// shown beside each marker are the trace's).
pub fn check_lesson(lab: &Lab) -> Result<LessonReport, String> {
    let mut design = start_design(lab)?;
    let mut traces = Vec::new();
    let mut texts = vec![TextOutcome {
        step: None,
        hops: Vec::new(),
        problems: lesson::lab_text_problems(&lab.title, &lab.summary),
    }];
    for (i, step) in lab.steps.iter().enumerate() {
        apply_step(lab, i, &mut design)?;
        let first = traces.len();
        for t in &step.traces {
            let (result, problems, blog) = check_trace_problems(&design, t);
            traces.push(TraceOutcome { step: i, expected: t.clone(), result, problems, blog });
        }
        let done = &traces[first..];
        let per_trace: Vec<Vec<BlogHops>> = done.iter().map(|o| o.blog.clone()).collect();
        let results: Vec<Option<TraceResult>> = done.iter().map(|o| o.result.clone()).collect();
        let hops = lesson::step_hops(step, &per_trace);
        let problems = lesson::text_problems(&design, step, &results, &hops);
        texts.push(TextOutcome { step: Some(i), hops, problems });
    }
    Ok(LessonReport { traces, texts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_english_for_lab_check_and_korean_in_korean_mode() {
        let verdict =
            Problem::Verdict { expect: "delivered".into(), got: Verdict::Dropped, reason: Explanation::default() };
        assert_eq!(verdict.to_string(), format!("expected delivered, got dropped ({})", Explanation::default()));
        let ko = verdict.render(Lang::Ko);
        assert!(ko.contains("전달됨") && ko.contains("차단됨") && !ko.contains("expected"), "{ko}");
        let path = vec!["jhPrivateEC2".to_string(), "jhPrivateRT".to_string()];
        let flow = Problem::NotOnPath { want: "vpce".into(), path };
        assert_eq!(flow.to_string(), "flow: 'vpce' is not on the path (in order) jhPrivateEC2 → jhPrivateRT");
        let ko = flow.render(Lang::Ko);
        assert!(ko.contains("'vpce'") && ko.contains("jhPrivateEC2 → jhPrivateRT") && !ko.contains("not on"), "{ko}");
    }

    /// Issue 16 item 9: the code mismatch and the blog-step problems were English in Korean
    /// mode; English (`lab check`) is as before.
    #[test]
    fn the_code_and_blog_step_problems_are_korean_in_korean_mode() {
        let code = Problem::Code { expect: Code::NoRouteToDestination, got: Some(Code::SgHasNoRules) };
        assert_eq!(code.to_string(), "expected code NO_ROUTE_TO_DESTINATION, got SG_HAS_NO_RULES");
        let ko = code.render(Lang::Ko);
        assert_eq!(ko, "예상 코드는 NO_ROUTE_TO_DESTINATION인데 결과는 SG_HAS_NO_RULES입니다");
        let none = Problem::Code { expect: Code::NoRouteToDestination, got: None };
        assert_eq!(none.to_string(), "expected code NO_ROUTE_TO_DESTINATION, got none");
        assert_eq!(none.render(Lang::Ko), "예상 코드는 NO_ROUTE_TO_DESTINATION인데 결과는 없음입니다");

        let path = vec![(2, "jhPrivateEC2".to_string()), (5, "jhPrivateRT".to_string())];
        let off = Problem::Blog(BlogProblem::NotOnPath { n: 3, want: "vpce".into(), path });
        assert_eq!(off.to_string(), "[3]: 'vpce' is not on the path (in order) ② jhPrivateEC2 → ⑤ jhPrivateRT");
        assert_eq!(
            off.render(Lang::Ko),
            "[3]: 'vpce'이(가) 경로에 (순서대로) 없습니다: ② jhPrivateEC2 → ⑤ jhPrivateRT"
        );
        let decides = Problem::Blog(BlogProblem::Decides {
            n: 4,
            hop: 5,
            kind: ComponentKind::RouteTable,
            action: crate::sim::HopAction::Drop,
            name: "jhPrivateRT".into(),
            want_kind: ComponentKind::VpcEndpoint,
            want_action: crate::sim::HopAction::Forward,
        });
        assert_eq!(
            decides.to_string(),
            "[4]: hop ⑤ is route-table drop (jhPrivateRT), the lesson says vpc-endpoint forward"
        );
        let ko = decides.render(Lang::Ko);
        assert!(ko.starts_with("[4]: 홉 ⑤은(는) 라우팅 테이블 차단 (jhPrivateRT)"), "{ko}");
        assert!(ko.contains("VPC 엔드포인트") && !ko.contains("lesson") && !ko.contains("route-table"), "{ko}");
        let nothing = Problem::Blog(BlogProblem::CoversNothing { n: 1 });
        assert_eq!(nothing.to_string(), "[1] covers nothing");
        assert_eq!(nothing.render(Lang::Ko), "[1]이(가) 다루는 구성 요소가 없습니다");
    }

    /// A lab trace whose expected code is not the trace's: the problem is typed and says itself
    /// in Korean through the lab's own check.
    #[test]
    fn a_code_mismatch_from_a_real_trace_is_said_in_korean() {
        let lab = crate::labs::by_name("s3-gateway-endpoint").expect("lab 3");
        let mut design = super::super::run::start_design(&lab).expect("start");
        apply_step(&lab, 0, &mut design).expect("step 1");
        apply_step(&lab, 1, &mut design).expect("step 2");
        let mut t = lab.steps[1].traces[0].clone();
        assert_eq!(t.code, Some(Code::NoRouteToDestination));
        t.code = Some(Code::SgHasNoRules);
        let (_, problems, _) = check_trace_problems(&design, &t);
        let p = problems.iter().find(|p| matches!(p, Problem::Code { .. })).expect("a code problem");
        assert_eq!(p.to_string(), "expected code SG_HAS_NO_RULES, got NO_ROUTE_TO_DESTINATION");
        assert_eq!(p.render(Lang::Ko), "예상 코드는 SG_HAS_NO_RULES인데 결과는 NO_ROUTE_TO_DESTINATION입니다");
    }

    /// Issue 16 item 9: what `lab check` finds wrong in a lesson's texts is said in Korean with
    /// `--lang ko`; English is as before.
    #[test]
    fn lesson_text_problems_are_said_in_korean() {
        let base = crate::labs::by_name("s3-gateway-endpoint").expect("lab 3");
        let said = |lab: &crate::labs::Lab, lang: Lang| -> Vec<String> {
            let r = check_lesson(lab).expect("checks");
            r.texts.iter().flat_map(|t| t.problems.iter().map(|p| p.render(lang))).collect()
        };
        let mut lab = base.clone();
        lab.steps[1].narration.ko = lab.steps[1].narration.ko.replace("[4]", "④");
        let en = said(&lab, Lang::En);
        assert!(
            en.iter()
                .any(|p| p == "ko narration: circled numbers are the trace's hop numbers; write the blog's as [n]"),
            "{en:?}"
        );
        let ko = said(&lab, Lang::Ko);
        assert!(
            ko.iter()
                .any(|p| p == "ko 내레이션: 동그라미 숫자는 트레이스의 홉 번호입니다; 블로그의 단계는 [n]으로 쓰세요"),
            "{ko:?}"
        );
        let mut lab = base.clone();
        lab.steps[1].narration.ko = lab.steps[1].narration.ko.replace("[4] ", "");
        lab.steps[1].title.ko = lab.steps[1].title.ko.replace(" ([4])", "");
        let en = said(&lab, Lang::En);
        assert!(en.iter().any(|p| p == "the English text uses markers [4] and the Korean []"), "{en:?}");
        let ko = said(&lab, Lang::Ko);
        assert!(ko.iter().any(|p| p == "영어 텍스트는 표시 [4], 한국어 텍스트는 []을(를) 씁니다"), "{ko:?}");
        let mut lab = base.clone();
        lab.title.en.push_str(" ②");
        let ko = said(&lab, Lang::Ko);
        assert!(
            ko.iter().any(|p| p == "en 제목: 동그라미 숫자는 트레이스의 홉 번호입니다; 블로그의 단계는 [n]으로 쓰세요"),
            "{ko:?}"
        );
        let mut lab = base;
        lab.steps[1].narration.en = lab.steps[1].narration.en.replacen("[4]", "[9]", 1);
        lab.steps[1].narration.ko = lab.steps[1].narration.ko.replacen("[4]", "[9]", 1);
        let ko = said(&lab, Lang::Ko);
        assert!(
            ko.iter().any(|p| p == "en: [9]은(는) 이 단계 트레이스의 어느 블로그 단계도 가리키지 않습니다"),
            "{ko:?}"
        );
    }
}
