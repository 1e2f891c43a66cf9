//! Issue 16 item 9, the leftovers: the trace picker's candidate notes and key hints, and the
//! topology map's words (the internet's box, the subnets' tags and facts, the pane's title,
//! the step list's action) follow `K`; the pictures `vpcraft export` writes stay English.

use crate::harness::{app, app_on, draw, key, press, render, sync_viewport};
use std::time::{Duration, Instant};
use vpcraft::app::input::KeyCode;
use vpcraft::app::map::{self, MapMsg};
use vpcraft::app::trace_view::{Spec, TraceMsg, STEP};
use vpcraft::app::{self, App, Msg, Pane};
use vpcraft::diagram::{DiagramFormat, Filter};
use vpcraft::l10n::Lang;

fn hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// Draw, let the app learn where the map is and rebuild its picture, draw again.
fn settle(a: &mut App, w: u16, h: u16) -> String {
    draw(a, w, h);
    sync_viewport(a);
    app::update(a, Msg::Resize(w, h));
    render(a, w, h)
}

#[test]
fn snapshot_trace_picker_with_candidates_korean() {
    let mut a = app();
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('t'));
    assert!(a.trace_picker().is_some(), "t opens the picker");
    let screen = render(&a, 120, 40);
    for want in ["가상의 인터페이스", "인터넷의 호스트", "고르기 / 다음 / 트레이스", "↑↓ 후보", "Esc 닫기"]
    {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    // The kind column: words in Korean, AWS's abbreviations as they are, the column kept.
    for want in ["인스턴스  ", "서브넷    ", "인터넷    인터넷의 호스트", "서비스    s3.", "eni       "]
    {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    for english in
        ["a hypothetical interface", "a host on the internet", "take / next", "candidates", "instance  ", "subnet    "]
    {
        assert!(!screen.contains(english), "{english}\n{screen}");
    }
    insta::assert_snapshot!(screen);
    // The type-ahead still filters on the English label: `host` finds the internet.
    for c in "host".chars() {
        press(&mut a, key(KeyCode::Char(c)));
    }
    let p = a.trace_picker().expect("the picker is open");
    assert_eq!(p.visible().iter().map(|c| c.value.as_str()).collect::<Vec<_>>(), ["internet"]);
}

#[test]
fn the_trace_picker_in_english_is_unchanged() {
    let mut a = app();
    press(&mut a, KeyCode::Char('t'));
    let screen = render(&a, 120, 40);
    for want in ["— a hypothetical interface", "internet  a host on the internet", "Enter take / next / trace"] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
}

/// The map of the default example in Korean, zoomed: the internet's box, the subnets' tags,
/// the region's title.
#[test]
fn snapshot_map_korean() {
    let mut a = app();
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('V'));
    assert!(a.map.shown && a.focus == Pane::Map);
    press(&mut a, KeyCode::Char('z'));
    let screen = settle(&mut a, 140, 45);
    for want in ["토폴로지 맵", "인터넷", "공용", "사설"] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    for english in ["Internet", "─pub", "─priv", "names only"] {
        assert!(!screen.contains(english), "{english}\n{screen}");
    }
    insta::assert_snapshot!(screen);
    // The region's scope says so in Korean; back in English the picture is rebuilt in English.
    app::update(&mut a, Msg::Map(MapMsg::ToggleScope));
    let region = settle(&mut a, 140, 45);
    assert!(region.contains("리전 ap-northeast-2") && !region.contains("region ap-"), "{region}");
    press(&mut a, KeyCode::Char('K'));
    let en = settle(&mut a, 140, 45);
    assert!(en.contains("Internet") && en.contains("pub") && !hangul(&en.replace("한국어", "")), "{en}");
}

/// A picture with room for the facts: a subnet says its kind and its instances in Korean.
#[test]
fn the_map_says_a_subnets_facts_in_korean() {
    let mut a = app();
    press(&mut a, KeyCode::Char('K'));
    let pic = map::MapPicture::build(&a.design, &map::Scope::All, 400, None, a.lang()).expect("a picture");
    let facts: Vec<&String> = pic.scene.nodes.iter().flat_map(|n| &n.facts).collect();
    assert!(facts.iter().any(|f| f.as_str() == "퍼블릭 · 인스턴스 1개"), "{facts:?}");
    assert!(facts.iter().any(|f| f.as_str() == "퍼블릭 · 인스턴스 없음"), "{facts:?}");
    let lines: Vec<&String> = pic.layout.nodes.iter().flat_map(|n| &n.lines).collect();
    assert!(lines.iter().any(|l| l.as_str() == "인터넷"), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("instance") || l.contains("Internet")), "{lines:?}");
}

/// The step list beside the map names each hop's action in Korean.
#[test]
fn the_maps_step_list_says_the_action_in_korean() {
    let mut a = app_on(vpcraft::assets::example("endpoint-lab").expect("example"));
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('V'));
    settle(&mut a, 160, 48);
    let spec = Spec {
        from: "jhPublicEC2".into(),
        to: "s3.ap-northeast-2.amazonaws.com".into(),
        protocol: "tcp".into(),
        port: "443".into(),
    };
    app::trace_view::run(&mut a, spec).expect("trace");
    let t0 = Instant::now();
    app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0)));
    app::update(&mut a, Msg::TraceView(TraceMsg::Tick(t0 + STEP * 2 + Duration::from_millis(1))));
    app::update(&mut a, Msg::TraceView(TraceMsg::PlayPause));
    let screen = settle(&mut a, 160, 48);
    let hop = a.trace_view.current().expect("a current hop").clone();
    let word = vpcraft::sim::render::action_word(hop.action, Lang::Ko);
    let want = format!("[{}] {word}", hop.rule);
    assert!(screen.contains(&want), "{want}\n{screen}");
    assert!(!screen.contains(&format!("[{}] {}", hop.rule, hop.action)), "{screen}");
}

/// `vpcraft export` draws the design in English whatever the app's language: the map's words
/// follow `K`, the SVG and Mermaid files do not.
#[test]
fn svg_and_mermaid_exports_stay_english_when_the_app_is_korean() {
    let mut a = app();
    let english: Vec<String> = [DiagramFormat::Svg, DiagramFormat::Mermaid]
        .into_iter()
        .map(|f| vpcraft::diagram::render(&a.design, f, &Filter::default(), None).expect("a picture").text)
        .collect();
    press(&mut a, KeyCode::Char('K'));
    press(&mut a, KeyCode::Char('V'));
    let screen = settle(&mut a, 140, 45);
    assert!(screen.contains("인터넷"), "the map is in Korean:\n{screen}");
    for (f, en) in [DiagramFormat::Svg, DiagramFormat::Mermaid].into_iter().zip(english) {
        let text = vpcraft::diagram::render(&a.design, f, &Filter::default(), None).expect("a picture").text;
        assert_eq!(text, en, "{f:?} changed with the app's language");
        assert!(text.contains("Internet") && text.contains("instance"), "{f:?}:\n{text}");
        assert!(!hangul(&text), "{f:?} has Korean words:\n{text}");
    }
}
