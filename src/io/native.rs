//! vpcraft's own format: RON with a format version, written atomically with a backup.

use super::LoadError;
use crate::l10n::AsText;
use crate::model::{Design, FORMAT_VERSION};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;

/// Design files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Read a design file (or `-`, standard input): read once, bounded by the bytes actually read,
/// then parsed (see [`crate::io::input`] for what text is accepted).
pub fn load_file(path: &Path) -> Result<Design, LoadError> {
    let text = super::input::read_text(path, MAX_FILE_BYTES)?;
    load_str(&text, path)
}

/// Parse a design from RON text; `file` names it in errors.
pub fn load_str(text: &str, file: &Path) -> Result<Design, LoadError> {
    /// Stands for "no `format_version` field" in the probe.
    const MISSING: u32 = u32::MAX;
    fn missing() -> u32 {
        MISSING
    }
    #[derive(Deserialize)]
    #[serde(rename = "Design")]
    struct VersionProbe {
        #[serde(default = "missing")]
        format_version: u32,
    }
    let opts = ron::Options::default();
    // Read the version first so a newer file is refused with a clear message rather than a
    // confusing complaint about a field this build does not know, and an older one is brought
    // up to date first (`io::migrate`).
    let mut version = FORMAT_VERSION;
    if let Ok(probe) = opts.from_str::<VersionProbe>(text) {
        version = probe.format_version;
        match probe.format_version {
            MISSING => {
                return Err(LoadError::at(file, 1, 1, crate::text!("expected a `format_version` field: is this a vpcraft design?")))
            }
            0 => {
                let (line, col) = text.find("format_version").map_or((1, 1), |i| line_col(text.as_bytes(), i));
                return Err(LoadError::at(
                    file,
                    line,
                    col,
                    crate::text!("format_version 0 is not a version vpcraft ever wrote (they run from 1 to {FORMAT_VERSION})"),
                ));
            }
            v if v > FORMAT_VERSION => {
                return Err(LoadError::plain(
                    file,
                    crate::text!("format version {v} is newer than this vpcraft understands ({FORMAT_VERSION}); upgrade vpcraft to open it"),
                ))
            }
            _ => {}
        }
    }
    // Addresses are checked in the text as the user wrote it (positions are theirs).
    check_address_literals(text, file)?;
    let migrated = if version < FORMAT_VERSION {
        std::borrow::Cow::Owned(super::migrate::upgrade(text, version).map_err(|e| {
            LoadError::plain(
                file,
                crate::text!("cannot bring format version {version} up to date: {e}").with("e", e.as_text()),
            )
        })?)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let text = migrated.as_ref();
    let mut design: Design = opts.from_str(text).map_err(|e| {
        LoadError::at(file, e.position.line.max(1), e.position.col.max(1), {
            let what = describe(&e.code);
            crate::text!("expected {}", what).with("p0", what.clone())
        })
    })?;
    design.format_version = FORMAT_VERSION;
    validate(&design, text, file)?;
    Ok(design)
}

/// What RON expected, as a sentence (RON's own words, in English, where it says more).
fn describe(code: &ron::Error) -> crate::l10n::Text {
    let s = code.to_string();
    if let Some(rest) = s.strip_prefix("Unexpected missing field named ") {
        return crate::text!("the required field {rest}, which is missing");
    }
    if s.contains("IP address") || s.contains("invalid IP") {
        return crate::text!("an address like 10.0.0.10 or a CIDR like 10.0.0.0/16 ({s})");
    }
    // RON's messages read "Expected …"; keep them in one register.
    let lower = s.trim_start_matches("Expected ").trim_start_matches("expected ");
    if lower.len() != s.len() {
        crate::l10n::Text::from(lower.to_string())
    } else {
        crate::text!("valid RON here ({s})")
    }
}

/// Every string of the file that looks like an address or CIDR (digits, dots, a slash) is read
/// the one strict way user input is (`net::parse_cidr`): `010.0.0.0/16` and `10.0.0.0/016`
/// are refused alike, with the reason and the position, instead of one being taken and the
/// other not. Names and descriptions may say what they like.
fn check_address_literals(text: &str, file: &Path) -> Result<(), LoadError> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let lit = &text[start..j.min(b.len())];
                if looks_like_address(lit) && !after_free_text_key(&b[..i]) {
                    let problem = match lit.split_once('/') {
                        Some((_, prefix)) => crate::net::parse_cidr(lit).err().map(|e| e.text()).or_else(|| {
                            (prefix.len() > 1 && prefix.starts_with('0')).then(|| {
                                crate::text!(
                                    "the prefix length of '{lit}' is '{prefix}'; leading zeros are not allowed"
                                )
                            })
                        }),
                        None => crate::net::parse_ipv4(lit).err().map(|e| e.text()),
                    };
                    if let Some(p) = problem {
                        let (line, col) = line_col(b, start);
                        return Err(LoadError::at(file, line, col, p));
                    }
                }
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn looks_like_address(s: &str) -> bool {
    s.bytes().filter(|&c| c == b'.').count() == 3 && s.bytes().all(|c| c.is_ascii_digit() || c == b'.' || c == b'/')
}

/// Whether the text before a string ends with `name:` or `description:`.
fn after_free_text_key(before: &[u8]) -> bool {
    // Only the end matters (and looking further would make the scan quadratic).
    let tail = String::from_utf8_lossy(&before[before.len().saturating_sub(64)..]);
    let t = tail.trim_end();
    let Some(t) = t.strip_suffix(':') else { return false };
    let t = t.trim_end();
    t.ends_with("name") || t.ends_with("description")
}

/// Check the references inside a parsed design. An inconsistent file is an error pointing at
/// the resource that holds the broken reference.
pub fn validate(design: &Design, text: &str, file: &Path) -> Result<(), LoadError> {
    let mut seen: HashSet<&str> = HashSet::new();
    for r in design.resources() {
        if r.id().trim().is_empty() {
            let (line, col) = locate_id(text, r.id(), 1);
            return Err(LoadError::at(
                file,
                line,
                col,
                crate::text!(
                    "a {kind_ui} named {:?} has an empty id; every resource needs one",
                    r.name(),
                    kind_ui = r.kind().label()
                ),
            ));
        }
        if !seen.insert(r.id()) {
            let (line, col) = locate_id(text, r.id(), 2);
            return Err(LoadError::at(
                file,
                line,
                col,
                crate::text!("the id '{}' is used twice; ids must be unique", r.id()),
            ));
        }
    }
    let catalog = crate::model::ServiceCatalog::builtin();
    for reference in design.references() {
        let to = reference.to.as_str();
        if seen.contains(to) {
            continue;
        }
        // Links that may point outside the design: AWS-managed prefix lists, route targets an
        // import kept verbatim, and security groups of other accounts.
        let external_ok = catalog.by_prefix_list(to).is_some()
            || reference.field.starts_with("route ")
            || reference.field.contains("rule peer");
        if external_ok {
            continue;
        }
        let (line, col) = locate_id(text, &reference.from, 1);
        return Err(LoadError::at(
            file,
            line,
            col,
            crate::text!(
                "{kind_ui} {} refers to '{}' ({field_ui}), which is not in the design",
                reference.from,
                to,
                kind_ui = reference.from_kind.label(),
                field_ui = reference.field
            ),
        ));
    }
    super::services::validate(design, text, file)?;
    super::target_groups::validate(design, text, file)
}

/// Where `id: "<id>"` appears (the `nth` time), as 1-based line and column.
pub(crate) fn locate_id(text: &str, id: &str, nth: usize) -> (usize, usize) {
    let needle = format!("id: \"{id}\"");
    let mut from = 0;
    let mut found = None;
    for _ in 0..nth {
        match text[from..].find(&needle) {
            Some(i) => {
                found = Some(from + i);
                from += i + needle.len();
            }
            None => break,
        }
    }
    match found {
        Some(off) => line_col(text.as_bytes(), off),
        None => (1, 1),
    }
}

fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

/// Serialise a design as pretty RON.
pub fn to_string(design: &Design) -> Result<String, String> {
    let cfg = ron::ser::PrettyConfig::new().struct_names(true).indentor("  ".to_string()).separate_tuple_members(false);
    let mut d = design.clone();
    d.format_version = FORMAT_VERSION;
    ron::ser::to_string_pretty(&d, cfg)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| e.to_string())
}

/// Save a design with [`super::save::save`]'s defaults: atomically, with a `.bak` of the
/// previous content, through links, keeping the mode; a read-only file is refused.
pub fn save_file(design: &Design, path: &Path) -> Result<(), String> {
    let text = to_string(design)?;
    write_atomic(path, text.as_bytes())
}

/// Write bytes with [`super::save::save`]'s defaults (a `.bak` of the previous content).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    super::save::save(path, bytes, &super::save::SaveOptions::default()).map(|_| ()).map_err(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn round_trip_of_a_generated_design() {
        let d = crate::model::gen::generate(3, 5);
        let text = to_string(&d).unwrap();
        let back = load_str(&text, Path::new("x.ron")).unwrap();
        assert_eq!(d, back);
    }

    #[test]
    fn newer_version_is_refused() {
        let err =
            load_str("Design(format_version: 99, name: \"x\", some_future_field: 3)", Path::new("f.ron")).unwrap_err();
        assert!(err.message.contains("newer"), "{err}");
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let err = load_str("Design(\n  format_version: 1,\n  name: \"x\",\n  vpcs: [oops],\n)", Path::new("f.ron"))
            .unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.column.is_some());
    }

    #[test]
    fn dangling_reference_is_reported_at_the_resource() {
        let text = "Design(\n  format_version: 1,\n  name: \"x\",\n  subnets: [\n    Subnet(\n      id: \"subnet-1\",\n      name: \"a\",\n      vpc: \"vpc-9\",\n      cidr: \"10.0.0.0/24\",\n      az: \"ap-northeast-2a\",\n    ),\n  ],\n)";
        let err = load_str(text, Path::new("f.ron")).unwrap_err();
        assert_eq!(err.line, Some(6), "{err}");
        assert!(err.message.contains("vpc-9"), "{err}");
    }

    #[test]
    fn atomic_save_keeps_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.ron");
        let mut d = crate::model::gen::generate(1, 1);
        save_file(&d, &p).unwrap();
        d.name = "changed".into();
        save_file(&d, &p).unwrap();
        assert!(dir.path().join("d.ron.bak").exists());
        assert_eq!(load_file(&p).unwrap().name, "changed");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
