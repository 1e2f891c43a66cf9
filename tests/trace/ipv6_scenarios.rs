//! The IPv6 scenarios of issue 14 as data: every file in `tests/scenarios/ipv6/` starts from
//! a design, applies edits (`model::ops::Op`, the labs' and editor's edits), traces flows and
//! checks the verdict, the explanation code, the hop that stopped the flow and named hops.
//! The fields are those of the engine scenarios' format (`Scenario`, `Flow`, `Hop`, `Dropped`),
//! with edits written as `Op`s and addresses of either family; see the folder's README.

use serde::Deserialize;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use vpcraft::model::ops::Op;
use vpcraft::model::*;
use vpcraft::rules::Rule;
use vpcraft::sim::{Code, ComponentKind, Hop as TraceHop, HopAction, TraceIndex, TraceRequest, TraceResult};

/// One scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    title: String,
    rules: Vec<Rule>,
    design: Start,
    #[serde(default)]
    build: Vec<Op>,
    flows: Vec<Flow>,
    #[serde(default)]
    then: Vec<Step>,
}

/// More edits, more flows, on the same design.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    #[serde(default)]
    build: Vec<Op>,
    flows: Vec<Flow>,
}

/// Where a scenario starts.
#[derive(Debug, Deserialize)]
enum Start {
    /// A design file, relative to the crate root.
    File(String),
    /// A built-in example.
    Example(String),
    /// An empty design.
    Empty { name: String, region: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Flow {
    from: String,
    to: String,
    #[serde(default = "tcp")]
    proto: String,
    port: Option<u16>,
    src_port: Option<u16>,
    expect: Expect,
    #[serde(default)]
    hops: Vec<Hop>,
    #[serde(default)]
    never: Vec<Hop>,
    #[serde(default)]
    text_contains: Vec<String>,
}

fn tcp() -> String {
    "tcp".into()
}

#[derive(Debug, Deserialize)]
enum Expect {
    /// Through both ways; the disposition (`ACCEPTED`, `EXITS_NETWORK`).
    Delivered(String),
    /// Dropped with a code, on the way there or back; `kind` and `rule` are the stopping
    /// hop's (absent: the flow never left its source, as when DNS gives no usable answer).
    Dropped {
        code: Code,
        on: Leg,
        kind: Option<ComponentKind>,
        rule: Option<Rule>,
        resource: Option<String>,
        disposition: Option<String>,
        fix: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum Leg {
    Forward,
    Reply,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
enum Way {
    #[default]
    Forward,
    Return,
}

/// A hop: `kind` and `action` select it (the first after the previous one found, or the
/// path's last with `last: true`); the other fields are what it must show.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Hop {
    #[serde(default)]
    path: Way,
    kind: Option<ComponentKind>,
    action: Option<HopAction>,
    #[serde(default)]
    last: bool,
    rule: Option<Rule>,
    resource: Option<String>,
    before: Option<Packet>,
    after: Option<Packet>,
    matched: Option<String>,
    decision_contains: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Packet {
    src: Option<IpAddr>,
    dst: Option<IpAddr>,
    src_port: Option<u16>,
    dst_port: Option<u16>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/ipv6")
}

fn start(s: &Start) -> Result<Design, String> {
    match s {
        Start::File(p) => {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(p);
            vpcraft::io::native::load_file(&path).map_err(|e| e.to_string())
        }
        Start::Example(n) => vpcraft::assets::example(n).ok_or(format!("no example '{n}'")),
        Start::Empty { name, region } => Ok(Design::new(name, region)),
    }
}

fn id_of(d: &Design, key: &str) -> String {
    d.resolve(key).map(|r| r.id().to_string()).unwrap_or_else(|_| key.to_string())
}

fn check_packet(what: &str, h: &vpcraft::sim::Header, p: &Packet) -> Result<(), String> {
    let pairs = [
        ("src", p.src.map(|x| x.to_string()), h.src.to_string()),
        ("dst", p.dst.map(|x| x.to_string()), h.dst.to_string()),
        ("src_port", p.src_port.map(|x| x.to_string()), h.src_port.map(|x| x.to_string()).unwrap_or_default()),
        ("dst_port", p.dst_port.map(|x| x.to_string()), h.dst_port.map(|x| x.to_string()).unwrap_or_default()),
    ];
    for (field, want, got) in pairs {
        if let Some(w) = want {
            if w != got {
                return Err(format!("{what}.{field}: want {w}, got {got}"));
            }
        }
    }
    Ok(())
}

fn selects(h: &TraceHop, want: &Hop) -> bool {
    want.kind.is_none_or(|k| h.component.kind == k) && want.action.is_none_or(|a| h.action == a)
}

/// Check a hop's fields.
fn check_hop(d: &Design, h: &TraceHop, want: &Hop) -> Result<(), String> {
    let at = format!("hop {} ({} {})", h.step, h.component.kind, h.action);
    if let Some(r) = want.rule {
        if h.rule != r {
            return Err(format!("{at}: rule {}, want {r}", h.rule));
        }
    }
    if let Some(res) = &want.resource {
        if h.component.id != *res && h.component.name != *res && h.component.id != id_of(d, res) {
            return Err(format!("{at}: at {}, want {res}", h.component.id));
        }
    }
    if let Some(m) = &want.matched {
        if h.matched.as_ref().map(ToString::to_string).as_deref() != Some(m.as_str()) {
            return Err(format!("{at}: matched {:?}, want {m:?}", h.matched));
        }
    }
    if let Some(t) = &want.decision_contains {
        if !h.decision.to_string().contains(t.as_str()) {
            return Err(format!("{at}: decision {:?} lacks {t:?}", h.decision));
        }
    }
    if let Some(p) = &want.before {
        check_packet(&format!("{at} before"), &h.before, p)?;
    }
    if let Some(p) = &want.after {
        check_packet(&format!("{at} after"), &h.after, p)?;
    }
    Ok(())
}

fn check_flow(d: &Design, f: &Flow) -> Result<(), String> {
    let req = TraceRequest::parse(d, &f.from, &f.to, &f.proto, f.port, f.src_port)?;
    let r: TraceResult = TraceIndex::new(d).trace(&req);
    let text = vpcraft::sim::render_text(&r);
    let fail = |m: String| format!("{m}\n{text}");
    match &f.expect {
        Expect::Delivered(disp) => {
            if r.verdict.to_string() != "delivered" || r.disposition.as_str() != disp || !r.blockers.is_empty() {
                return Err(fail(format!("want delivered ({disp}), got {} ({})", r.verdict, r.disposition)));
            }
        }
        Expect::Dropped { code, on, kind, rule, resource, disposition, fix } => {
            if r.code != Some(*code) {
                return Err(fail(format!("want dropped with {code}, got {} {:?}", r.verdict, r.code)));
            }
            let path = if *on == Leg::Forward { &r.forward } else { &r.return_path };
            if *on == Leg::Forward && !r.return_path.is_empty() {
                return Err(fail("dropped on the way there, yet a reply path".into()));
            }
            match (kind, rule) {
                (None, None) => {
                    if r.forward.iter().any(|h| h.action != HopAction::Resolve) {
                        return Err(fail("no stopping hop is named, yet the packet left its source".into()));
                    }
                }
                _ => {
                    let stop = path
                        .last()
                        .filter(|h| h.action == HopAction::Drop)
                        .ok_or_else(|| fail(format!("the {on:?} path does not end in a drop")))?;
                    if kind.is_some_and(|k| stop.component.kind != k) {
                        return Err(fail(format!("stopped at a {}, want a {kind:?}", stop.component.kind)));
                    }
                    let want = Hop { rule: *rule, resource: resource.clone(), ..Hop::default() };
                    check_hop(d, stop, &want).map_err(fail)?;
                }
            }
            if let Some(disp) = disposition {
                if r.disposition.as_str() != disp {
                    return Err(fail(format!("disposition {}, want {disp}", r.disposition)));
                }
            }
            if let Some(t) = fix {
                if !r.blockers.first().is_some_and(|b| b.fix.contains(t.as_str())) {
                    return Err(fail(format!("the first fix lacks {t:?}")));
                }
            }
        }
    }
    let mut next = [0usize, 0usize];
    for want in &f.hops {
        let (path, k) = match want.path {
            Way::Forward => (&r.forward, 0),
            Way::Return => (&r.return_path, 1),
        };
        let found = if want.last {
            path.last().filter(|h| selects(h, want))
        } else {
            path.iter().skip(next[k]).find(|h| selects(h, want))
        };
        let h = found
            .ok_or_else(|| fail(format!("no hop {:?} {:?} on the {:?} path", want.kind, want.action, want.path)))?;
        next[k] = path.iter().position(|x| x.step == h.step).unwrap_or(0) + 1;
        check_hop(d, h, want).map_err(fail)?;
    }
    for not in &f.never {
        let path = if not.path == Way::Forward { &r.forward } else { &r.return_path };
        if let Some(h) = path.iter().find(|h| selects(h, not)) {
            return Err(fail(format!("hop {} ({} {}) must not be there", h.step, h.component.kind, h.action)));
        }
    }
    for t in &f.text_contains {
        if !text.contains(t.as_str()) {
            return Err(fail(format!("the text lacks {t:?}")));
        }
    }
    Ok(())
}

fn run(path: &Path) -> Result<usize, String> {
    let src = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let s: Scenario = ron::from_str(&src).map_err(|e| format!("{e}"))?;
    if s.rules.is_empty() || s.title.is_empty() {
        return Err("a scenario needs a title and the rules it exercises".into());
    }
    if !src.lines().any(|l| l.trim_start().starts_with("// Source: https://docs.aws.amazon.com/")) {
        return Err("a scenario cites its AWS documentation source (`// Source: https://docs.aws.amazon.com/…`)".into());
    }
    let mut d = start(&s.design)?;
    let mut n = 0;
    let steps = std::iter::once((&s.build, &s.flows)).chain(s.then.iter().map(|t| (&t.build, &t.flows)));
    for (i, (build, flows)) in steps.enumerate() {
        for op in build {
            d.apply(op).map_err(|e| format!("step {i}: {op:?}: {e}"))?;
        }
        for (j, f) in flows.iter().enumerate() {
            check_flow(&d, f).map_err(|e| format!("step {i}, flow {j} ({} → {}): {e}", f.from, f.to))?;
            n += 1;
        }
    }
    Ok(n)
}

#[test]
fn every_ipv6_scenario_file_holds() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/scenarios/ipv6")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "issue 14 asks for at least 15 IPv6 scenarios, found {}", files.len());
    let mut failures = Vec::new();
    let mut flows = 0;
    for f in &files {
        match run(f) {
            Ok(n) => flows += n,
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(flows >= files.len());
}

/// The runner catches a wrong expectation: a scenario file that lies fails.
#[test]
fn a_wrong_expectation_fails() {
    let tmp = std::env::temp_dir().join(format!("vpcraft-ipv6-scenario-{}.ron", std::process::id()));
    let text = r#"// Source: https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html
Scenario(title: "lies", rules: ["I5"], design: File("tests/fixtures/designs/valid/dual-stack.ron"),
  flows: [Flow(from: "internet", to: "2600:1f18:1:2301::10", port: Some(443), expect: Delivered("ACCEPTED"))])"#;
    std::fs::write(&tmp, text).unwrap();
    let r = run(&tmp);
    let _ = std::fs::remove_file(&tmp);
    assert!(r.unwrap_err().contains("want delivered"));
}
