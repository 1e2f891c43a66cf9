//! `vpcraft lab`: list, show and check the guided labs.

use super::common::{emit, fail};
use crate::l10n::{uif, Text};
use crate::labs::{self, describe::describe, verify::check_lesson, Lang};
use clap::{Args, Subcommand};
use std::process::ExitCode;

/// Arguments of `vpcraft lab`.
#[derive(Debug, Args)]
pub struct LabArgs {
    #[command(subcommand)]
    pub command: LabCommand,
    /// Narration language: en or ko.
    #[arg(long, global = true, default_value = "en")]
    pub lang: String,
}

/// What to do with the labs.
#[derive(Debug, Subcommand)]
pub enum LabCommand {
    /// List the labs.
    List,
    /// Print a whole lab: narration, edits, and each trace's numbered steps.
    Show {
        /// The lab's name or number.
        name: String,
    },
    /// Run every lab's traces against their expectations; exit status 1 on a mismatch.
    Check {
        /// Only this lab (name or number).
        name: Option<String>,
    },
}

/// Run `vpcraft lab`.
pub fn run(args: &LabArgs) -> ExitCode {
    let lang = match Lang::parse(&args.lang) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let result = match &args.command {
        LabCommand::List => list(lang),
        LabCommand::Show { name } => show(name, lang),
        LabCommand::Check { name } => return check(name.as_deref(), lang),
    };
    match result {
        Ok(text) => match emit(&text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(c) => c,
        },
        Err(e) => fail(e.render(lang)),
    }
}

fn list(lang: Lang) -> Result<String, Text> {
    let mut s = String::new();
    for lab in labs::all()? {
        let title = lab.title.get(lang);
        let line = uif(lang, "{title} ({n} steps)", &[("title", &title), ("n", &lab.steps.len())]);
        s.push_str(&format!("{:>2}  {:<22} {line}\n", lab.number, lab.name));
    }
    Ok(s)
}

/// The whole lab as text.
pub fn show(name: &str, lang: Lang) -> Result<String, Text> {
    use std::fmt::Write;
    let lab = labs::by_name(name)?;
    let mut s = String::new();
    let title = lab.title.get(lang);
    let _ = writeln!(s, "{}", uif(lang, "Lab {n}: {title}", &[("n", &lab.number), ("title", &title)]));
    let _ = writeln!(s, "{}\n", lab.summary.get(lang));
    let mut design = labs::run::start_design(&lab)?;
    for (i, step) in lab.steps.iter().enumerate() {
        let mark = if step.try_it {
            if lang == Lang::Ko {
                " [직접 해 보기]"
            } else {
                " [try it yourself]"
            }
        } else {
            ""
        };
        labs::run::apply_step(&lab, i, &mut design)?;
        // The blog's step numbers are shown with the hops the trace computes for them.
        let checked: Vec<_> = step.traces.iter().map(|t| labs::verify::check_trace_problems(&design, t)).collect();
        let per_trace: Vec<_> = checked.iter().map(|(_, _, b)| b.clone()).collect();
        let hops = labs::lesson::step_hops(step, &per_trace);
        let title = step.title.get(lang);
        let _ = writeln!(s, "{}{mark}", uif(lang, "── Step {n} — {title}", &[("n", &(i + 1)), ("title", &title)]));
        let _ = writeln!(s, "{}", labs::lesson::fill(step.narration.get(lang), &hops, lang));
        for op in &step.ops {
            let _ = writeln!(s, "  + {}", describe(op).render(lang));
        }
        for (t, (result, problems, _)) in step.traces.iter().zip(checked) {
            let (from, to) = labs::run::expanded(&design, t)?;
            let port = t.port.map(|p| format!(":{p}")).unwrap_or_default();
            let to = bracket_ipv6(&to, t.port.is_some());
            let expect = verdict_word(&t.expect, lang);
            let line = uif(
                lang,
                "trace {from} → {to}{port} ({proto}) — expect {expect}",
                &[("from", &from), ("to", &to), ("port", &port), ("proto", &t.proto), ("expect", &expect)],
            );
            let _ = writeln!(s, "\n  {line}");
            let caption = t.caption.get(lang);
            if !caption.is_empty() {
                let _ = writeln!(s, "  {caption}");
            }
            if let Some(r) = result {
                for line in crate::sim::render::render_text_in(&r, lang).lines() {
                    let _ = writeln!(s, "    {line}");
                }
            }
            for p in problems {
                let _ = writeln!(s, "  !! {}", p.render(lang));
            }
        }
        s.push('\n');
    }
    Ok(s)
}

/// A lab's expected verdict (`delivered`, `dropped`) as `lang` says it.
fn verdict_word(expect: &str, lang: Lang) -> String {
    crate::l10n::message(lang, &format!("verdict-{expect}"), &Default::default()).unwrap_or_else(|| expect.to_string())
}

fn check(name: Option<&str>, lang: Lang) -> ExitCode {
    let labs = match name {
        Some(n) => labs::by_name(n).map(|l| vec![l]),
        None => labs::all().map_err(Text::from),
    };
    let labs = match labs {
        Ok(l) => l,
        Err(e) => return fail(e.render(lang)),
    };
    let (mut passed, mut failed) = (0, 0);
    for lab in &labs {
        let report = match check_lesson(lab) {
            Ok(o) => o,
            Err(e) => {
                let line =
                    uif(lang, "FAIL lab {n} ({name}): {e}", &[("n", &lab.number), ("name", &lab.name), ("e", &e)]);
                if let Err(c) = emit(&format!("{line}\n")) {
                    return c;
                }
                failed += 1;
                continue;
            }
        };
        let mut lines: Vec<(String, Vec<String>)> = Vec::new();
        for o in &report.traces {
            let port = o.expected.port.map(|p| format!(":{p}")).unwrap_or_default();
            let blog: String =
                o.blog.iter().map(|b| format!(" {}", labs::lesson::marker_text(b.n, &b.hops, lang))).collect();
            let to = bracket_ipv6(&o.expected.to, o.expected.port.is_some());
            let expect = verdict_word(&o.expected.expect, lang);
            let what = uif(
                lang,
                "lab {n} step {step}: {from} → {to}{port} expect {expect}{blog}",
                &[
                    ("n", &lab.number),
                    ("step", &(o.step + 1)),
                    ("from", &o.expected.from),
                    ("to", &to),
                    ("port", &port),
                    ("expect", &expect),
                    ("blog", &blog),
                ],
            );
            lines.push((what, o.problems.iter().map(|p| p.render(lang)).collect()));
        }
        for o in report.texts.iter().filter(|o| o.step.is_none() || !o.hops.is_empty() || !o.problems.is_empty()) {
            let what = match o.step {
                None => uif(lang, "lab {n} title and summary (en, ko): no hop numbers typed", &[("n", &lab.number)]),
                Some(i) => {
                    let marks: Vec<String> =
                        o.hops.iter().map(|b| labs::lesson::marker_text(b.n, &b.hops, lang)).collect();
                    let marks = marks.join(" ");
                    uif(
                        lang,
                        "lab {n} step {step} text (en, ko): {marks}",
                        &[("n", &lab.number), ("step", &(i + 1)), ("marks", &marks)],
                    )
                }
            };
            lines.push((what, o.problems.iter().map(|p| p.render(lang)).collect()));
        }
        for (what, problems) in lines {
            let text = if problems.is_empty() {
                passed += 1;
                format!("{}\n", uif(lang, "ok   {what}", &[("what", &what)]))
            } else {
                failed += 1;
                let mut s = format!("{}\n", uif(lang, "FAIL {what}", &[("what", &what)]));
                for p in problems {
                    s.push_str(&format!("       {p}\n"));
                }
                s
            };
            if let Err(c) = emit(&text) {
                return c;
            }
        }
    }
    let summary = uif(lang, "{passed} passed, {failed} failed", &[("passed", &passed), ("failed", &failed)]);
    if let Err(c) = emit(&format!("{summary}\n")) {
        return c;
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// An IPv6 address followed by a port is written in brackets (`[2001:db8::1]:443`), as in a URL.
fn bracket_ipv6(to: &str, has_port: bool) -> String {
    if has_port && to.parse::<std::net::Ipv6Addr>().is_ok() {
        format!("[{to}]")
    } else {
        to.to_string()
    }
}
