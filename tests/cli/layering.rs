//! The dependency graph of ARCHITECTURE.md, checked on the sources: the domain (`model`, `net`,
//! `sim`, `io`, `labs`, `rules`) never names a terminal crate; `net` depends on nothing of the
//! crate, `model` only on `net` and `rules`, `sim` on neither `io` nor the layers above; `io`
//! does not know the built-in examples (`assets` reads them through `io`); the headless
//! subcommands in `cli` use the domain, never the app's internals. (`app` knowing neither the
//! terminal nor the view is `tests/tui/layering.rs`.)

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/<part>` (or the file `src/<part>.rs`).
fn files(part: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let file = src().join(format!("{part}.rs"));
    if file.is_file() {
        out.push(file);
    }
    let mut stack = vec![src().join(part)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without its test module: everything before `#[cfg(test)]`, and nothing
/// of a file that is itself a test module (`tests.rs`).
fn code(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// `file:line: text` of every line of `part` holding one of `words` (test code included when
/// `with_tests`).
fn mentions(part: &str, words: &[&str], with_tests: bool) -> Vec<String> {
    let mut out = Vec::new();
    for f in files(part) {
        let text = if with_tests { std::fs::read_to_string(&f).unwrap_or_default() } else { code(&f) };
        for (i, line) in text.lines().enumerate() {
            if words.iter().any(|w| line.contains(w)) {
                let rel = f.strip_prefix(src()).unwrap_or(&f).display().to_string();
                out.push(format!("src/{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    out
}

fn assert_none(what: &str, found: Vec<String>) {
    assert!(found.is_empty(), "{what}:\n{}", found.join("\n"));
}

#[test]
fn the_domain_never_names_a_terminal_crate() {
    for part in ["model", "net", "sim", "io", "labs", "rules"] {
        assert_none(&format!("{part} names ratatui or crossterm"), mentions(part, &["ratatui", "crossterm"], true));
    }
}

#[test]
fn net_is_at_the_bottom_and_model_just_above() {
    let above_net = ["crate::model", "crate::sim", "crate::io", "crate::labs", "crate::assets", "crate::cli"];
    let ui = ["crate::app", "crate::ui", "crate::tui", "crate::diagram"];
    assert_none("net depends on the crate", mentions("net", &[&above_net[..], &ui[..]].concat(), false));
    assert_none("rules depends on the crate", mentions("rules", &["crate::"], false));
    assert_none("model depends on a layer above it", mentions("model", &[&above_net[1..], &ui[..]].concat(), false));
    assert_none(
        "sim depends on io or a layer above it",
        mentions(
            "sim",
            &["crate::io", "crate::labs", "crate::assets", "crate::cli", "crate::app", "crate::ui", "crate::tui"],
            false,
        ),
    );
}

#[test]
fn io_does_not_know_the_built_in_examples() {
    // assets reads its embedded designs through io; the other way round would be a cycle.
    assert_none("io imports assets", mentions("io", &["crate::assets"], true));
}

#[test]
fn the_headless_subcommands_do_not_use_the_apps_internals() {
    assert_none("cli imports app", mentions("cli", &["crate::app"], true));
}

/// Small modules with names that say what they are: no source file grows past 1,000 lines
/// (a file that does is split by what its parts are about).
#[test]
fn no_source_file_is_over_a_thousand_lines() {
    let mut long = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let lines = std::fs::read_to_string(&p).map(|t| t.lines().count()).unwrap_or(0);
                if lines > 1000 {
                    long.push(format!("{}: {lines} lines", p.display()));
                }
            }
        }
    }
    assert!(!src().join("app/forms/kinds.rs").exists(), "src/app/forms/kinds.rs is back");
    assert_none("files over 1,000 lines", long);
}
