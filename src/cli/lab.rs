//! `vpcraft lab`: list, show and check the guided labs.

use super::common::{emit, fail};
use crate::labs::{self, describe::describe, verify::check_lab, Lang};
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
        Err(e) => fail(e),
    }
}

fn list(lang: Lang) -> Result<String, String> {
    let mut s = String::new();
    for lab in labs::all()? {
        s.push_str(&format!(
            "{:>2}  {:<22} {} ({} steps)\n",
            lab.number,
            lab.name,
            lab.title.get(lang),
            lab.steps.len()
        ));
    }
    Ok(s)
}

/// The whole lab as text.
pub fn show(name: &str, lang: Lang) -> Result<String, String> {
    use std::fmt::Write;
    let lab = labs::by_name(name)?;
    let mut s = String::new();
    let _ = writeln!(s, "Lab {}: {}", lab.number, lab.title.get(lang));
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
        let _ = writeln!(s, "── Step {} — {}{mark}", i + 1, step.title.get(lang));
        let _ = writeln!(s, "{}", step.narration.get(lang));
        for op in &step.ops {
            let _ = writeln!(s, "  + {}", describe(op));
        }
        labs::run::apply_step(&lab, i, &mut design)?;
        for t in &step.traces {
            let (from, to) = labs::run::expanded(&design, t)?;
            let port = t.port.map(|p| format!(":{p}")).unwrap_or_default();
            let to = bracket_ipv6(&to, t.port.is_some());
            let _ = writeln!(s, "\n  trace {from} → {to}{port} ({}) — expect {}", t.proto, t.expect);
            let caption = t.caption.get(lang);
            if !caption.is_empty() {
                let _ = writeln!(s, "  {caption}");
            }
            let (result, problems) = labs::verify::check_trace(&design, t);
            if let Some(r) = result {
                for line in crate::sim::render::render_text(&r).lines() {
                    let _ = writeln!(s, "    {line}");
                }
            }
            for p in problems {
                let _ = writeln!(s, "  !! {p}");
            }
        }
        s.push('\n');
    }
    Ok(s)
}

fn check(name: Option<&str>, lang: Lang) -> ExitCode {
    let labs = match name {
        Some(n) => labs::by_name(n).map(|l| vec![l]),
        None => labs::all(),
    };
    let labs = match labs {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let (mut passed, mut failed) = (0, 0);
    for lab in &labs {
        let outcomes = match check_lab(lab) {
            Ok(o) => o,
            Err(e) => {
                if let Err(c) = emit(&format!("FAIL lab {} ({}): {e}\n", lab.number, lab.name)) {
                    return c;
                }
                failed += 1;
                continue;
            }
        };
        for o in &outcomes {
            let port = o.expected.port.map(|p| format!(":{p}")).unwrap_or_default();
            let what = format!(
                "lab {} step {}: {} → {}{port} expect {}",
                lab.number,
                o.step + 1,
                o.expected.from,
                bracket_ipv6(&o.expected.to, o.expected.port.is_some()),
                o.expected.expect
            );
            if o.passed() {
                passed += 1;
                if let Err(c) = emit(&format!("ok   {what}\n")) {
                    return c;
                }
            } else {
                failed += 1;
                if let Err(c) = emit(&format!("FAIL {what}\n")) {
                    return c;
                }
                for p in &o.problems {
                    if let Err(c) = emit(&format!("       {p}\n")) {
                        return c;
                    }
                }
            }
        }
        let _ = lang;
    }
    if let Err(c) = emit(&format!("{passed} passed, {failed} failed\n")) {
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
