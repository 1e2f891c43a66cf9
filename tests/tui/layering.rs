//! The app state (`app`) knows no terminal library and never reaches into the view (`ui`),
//! checked on the source; comments may name them, code may not. (The domain's layers are
//! `tests/cli/layering.rs`.)

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, depth first.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// `(file:line, line)` of each code line (comments left out) under `dir` that mentions one of
/// `banned`.
fn offending(dir: &str, banned: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    sources(Path::new(dir), &mut files);
    assert!(!files.is_empty(), "no sources under {dir}");
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a readable source");
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if banned.iter().any(|b| code.contains(b)) {
                out.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
    out
}

#[test]
fn the_app_state_knows_neither_the_terminal_nor_the_view() {
    let bad = offending("src/app", &["ratatui", "crossterm", "crate::ui", "super::ui", "super::super::ui"]);
    assert!(bad.is_empty(), "src/app reaches past its layer:\n{}", bad.join("\n"));
}

#[test]
fn the_check_sees_a_banned_name_in_code_and_not_in_a_comment() {
    let dir = std::env::temp_dir().join(format!("vpcraft-layering-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("inner")).unwrap();
    std::fs::write(dir.join("a.rs"), "//! about crossterm\nfn f() {} // ratatui\n").unwrap();
    std::fs::write(dir.join("inner/b.rs"), "use crate::ui::theme;\n").unwrap();
    let found = offending(dir.to_str().unwrap(), &["ratatui", "crossterm", "crate::ui"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with("use crate::ui::theme;"), "{found:?}");
}
