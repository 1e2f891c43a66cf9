//! vpcraft's own format: RON with a format version, written atomically with a backup.

use super::LoadError;
use crate::model::{Design, FORMAT_VERSION};
use serde::Deserialize;
use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Design files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Read a design file.
pub fn load_file(path: &Path) -> Result<Design, LoadError> {
    let meta = fs::metadata(path).map_err(|e| LoadError::plain(path, format!("cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(LoadError::plain(path, "is a folder, not a design file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::plain(
            path,
            format!("is {} bytes; design files over {MAX_FILE_BYTES} bytes are refused", meta.len()),
        ));
    }
    let bytes = fs::read(path).map_err(|e| LoadError::plain(path, format!("cannot read: {e}")))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let (line, col) = line_col(valid, valid.len());
            return Err(LoadError::at(path, line, col, "the file is not valid UTF-8 text"));
        }
    };
    load_str(&text, path)
}

/// Parse a design from RON text; `file` names it in errors.
pub fn load_str(text: &str, file: &Path) -> Result<Design, LoadError> {
    #[derive(Deserialize)]
    #[serde(rename = "Design")]
    struct VersionProbe {
        #[serde(default)]
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
            v if v > FORMAT_VERSION => {
                return Err(LoadError::plain(
                    file,
                    format!("format version {v} is newer than this vpcraft understands ({FORMAT_VERSION}); upgrade vpcraft to open it"),
                ))
            }
            0 => {
                return Err(LoadError::at(file, 1, 1, "expected a `format_version` field: is this a vpcraft design?"))
            }
            _ => {}
        }
    }
    let migrated =
        if version < FORMAT_VERSION {
            std::borrow::Cow::Owned(super::migrate::upgrade(text, version).map_err(|e| {
                LoadError::plain(file, format!("cannot bring format version {version} up to date: {e}"))
            })?)
        } else {
            std::borrow::Cow::Borrowed(text)
        };
    let text = migrated.as_ref();
    let mut design: Design = opts.from_str(text).map_err(|e| {
        LoadError::at(file, e.position.line.max(1), e.position.col.max(1), format!("expected {}", describe(&e.code)))
    })?;
    design.format_version = FORMAT_VERSION;
    validate(&design, text, file)?;
    Ok(design)
}

fn describe(code: &ron::Error) -> String {
    let s = code.to_string();
    if let Some(rest) = s.strip_prefix("Unexpected missing field named ") {
        return format!("the required field {rest}, which is missing");
    }
    if s.contains("IP address") || s.contains("invalid IP") {
        return format!("an address like 10.0.0.10 or a CIDR like 10.0.0.0/16 ({s})");
    }
    // RON's messages read "Expected …"; keep them in one register.
    let lower = s.trim_start_matches("Expected ").trim_start_matches("expected ");
    if lower.len() != s.len() {
        lower.to_string()
    } else {
        format!("valid RON here ({s})")
    }
}

/// Check the references inside a parsed design. An inconsistent file is an error pointing at
/// the resource that holds the broken reference.
pub fn validate(design: &Design, text: &str, file: &Path) -> Result<(), LoadError> {
    let mut seen: HashSet<&str> = HashSet::new();
    for r in design.resources() {
        if !seen.insert(r.id()) {
            let (line, col) = locate_id(text, r.id(), 2);
            return Err(LoadError::at(
                file,
                line,
                col,
                format!("the id '{}' is used twice; ids must be unique", r.id()),
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
            format!(
                "{} {} refers to '{}' ({}), which is not in the design",
                reference.from_kind.label(),
                reference.from,
                to,
                reference.field
            ),
        ));
    }
    super::services::validate(design, text, file)
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

/// Save atomically: write a temporary file beside the target, flush it to disk, keep the old
/// file as `<name>.bak`, then rename the new one into place. A crash at any point leaves
/// either the old file or the new one, never half of one.
pub fn save_file(design: &Design, path: &Path) -> Result<(), String> {
    let text = to_string(design)?;
    write_atomic(path, text.as_bytes())
}

/// Write bytes atomically with a `.bak` of the previous content.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "design.ron".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
        f.write_all(bytes).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
        f.sync_all().map_err(|e| format!("cannot flush {}: {e}", tmp.display()))?;
        drop(f);
        if path.exists() {
            let bak = dir.join(format!("{name}.bak"));
            fs::copy(path, &bak).map_err(|e| format!("cannot keep a backup at {}: {e}", bak.display()))?;
        }
        fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))?;
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_of_an_example() {
        let d = crate::assets::default_example();
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
        let mut d = crate::assets::default_example();
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
