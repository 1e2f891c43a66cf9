//! Finding the JSON files of a snapshot and reading them safely: sizes are checked before
//! reading, JSON nesting stays within serde_json's recursion limit, and a malformed file is an
//! error with its line and column.

use crate::io::LoadError;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// A snapshot file larger than this is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// All files of one snapshot together may not be larger than this.
pub const MAX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;
/// A snapshot may not have more JSON files than this.
pub const MAX_FILES: usize = 10_000;
/// How deep below the given folder files are looked for (`aws_configs/accounts/<a>/<r>`).
const MAX_DEPTH: usize = 4;

/// One parsed file and where it came from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The name shown in the report (the path relative to the snapshot root).
    pub name: String,
    /// The account its folder names (`accounts/<account>/…`), if any.
    pub account: Option<String>,
    /// The region its folder names (`…/us-west-2/…`), if any.
    pub region: Option<String>,
    pub json: Value,
}

/// Whether a folder name is a region, e.g. `us-west-2`, `us-gov-east-1`, `ap-northeast-2`.
pub fn is_region_name(s: &str) -> bool {
    crate::model::is_region_name(s)
}

/// Whether a folder name is a 12-digit account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Every snapshot file under `root` (or `root` itself when it is a file), sorted by path.
pub fn find_files(root: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let meta = fs::metadata(root).map_err(|e| LoadError::plain(root, crate::text!("cannot read: {e}")))?;
    if !meta.is_dir() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut out = Vec::new();
    walk(root, 0, &mut out)?;
    out.sort();
    if out.len() > MAX_FILES {
        return Err(LoadError::plain(
            root,
            crate::text!("holds {} JSON files; at most {MAX_FILES} are read", out.len()),
        ));
    }
    Ok(out)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = fs::read_dir(dir).map_err(|e| LoadError::plain(dir, crate::text!("cannot list: {e}")))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        let Ok(meta) = fs::metadata(&path) else { continue };
        if meta.is_file() && name.to_ascii_lowercase().ends_with(".json") {
            out.push(path);
            if out.len() > MAX_FILES {
                return Err(LoadError::plain(dir, crate::text!("holds more than {MAX_FILES} JSON files")));
            }
        } else if meta.is_dir() && depth < MAX_DEPTH {
            let layout_dir =
                name == "aws_configs" || name == "accounts" || is_region_name(&name) || is_account_id(&name);
            if layout_dir {
                walk(&path, depth + 1, out)?;
            }
        }
    }
    Ok(())
}

/// The account and region a file's folders name. `root` is the path the user gave.
pub fn context_of(root: &Path, file: &Path) -> (Option<String>, Option<String>) {
    let mut account = None;
    let mut region = None;
    let names: Vec<String> = file.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    // Only the folder the user named and what is below it count (and, for a single file, the
    // folder holding it).
    let skip = root.components().count().saturating_sub(if root == file { 2 } else { 1 });
    for (i, n) in names.iter().enumerate().skip(skip) {
        if i + 1 == names.len() {
            break;
        }
        if is_region_name(n) {
            region = Some(n.clone());
        } else if is_account_id(n) || (i > 0 && names[i - 1] == "accounts") {
            account = Some(n.clone());
        }
    }
    (account, region)
}

/// Read and parse one file, refusing it once it proves too large (the bytes read count, not
/// the size the file reports).
pub fn read_document(root: &Path, file: &Path, total: &mut u64) -> Result<Document, LoadError> {
    let left = MAX_TOTAL_BYTES.saturating_sub(*total);
    let text = crate::io::input::read_text(file, MAX_FILE_BYTES.min(left)).map_err(|e| {
        if left < MAX_FILE_BYTES && e.message.contains("byte limit") {
            LoadError::plain(file, crate::text!("the snapshot is larger than {MAX_TOTAL_BYTES} bytes in all"))
        } else {
            e
        }
    })?;
    *total += text.len() as u64;
    document_from_text(root, file, &text)
}

/// Parse one file's text (already read) into a document.
pub fn document_from_text(root: &Path, file: &Path, text: &str) -> Result<Document, LoadError> {
    let json = parse_json(text.as_bytes(), file)?;
    let name = match file.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
    };
    let (account, region) = context_of(root, file);
    Ok(Document { name, account, region, json })
}

/// Parse JSON text (a UTF-8 byte order mark is allowed), with serde_json's default recursion
/// limit of 128 levels. Errors carry the line and column.
pub fn parse_json(bytes: &[u8], file: &Path) -> Result<Value, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice::<Value>(bytes)
        .map_err(|e| LoadError::at(file, e.line().max(1), e.column().max(1), crate::text!("malformed JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_names() {
        assert!(is_region_name("us-west-2") && is_region_name("us-gov-east-1") && is_region_name("ap-northeast-2"));
        assert!(!is_region_name("aws_configs") && !is_region_name("us-west") && !is_region_name("hybrid-cloud-aws"));
        assert!(is_account_id("123456789012") && !is_account_id("12345"));
        let root = Path::new("snap");
        let f = Path::new("snap/aws_configs/accounts/111122223333/eu-west-1/Vpcs.json");
        assert_eq!(context_of(root, f), (Some("111122223333".into()), Some("eu-west-1".into())));
        assert_eq!(
            context_of(Path::new("x/us-east-1"), Path::new("x/us-east-1/a.json")).1.as_deref(),
            Some("us-east-1")
        );
    }

    #[test]
    fn malformed_json_has_a_position_and_deep_nesting_is_refused() {
        let e = parse_json(b"{\n  \"Vpcs\": [\n    {,\n", Path::new("f.json")).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let deep = "[".repeat(10_000);
        let e = parse_json(deep.as_bytes(), Path::new("d.json")).unwrap_err();
        assert!(e.message.contains("recursion"), "{e}");
        assert!(parse_json(b"\xEF\xBB\xBF{\"Vpcs\": []}", Path::new("bom.json")).is_ok());
    }

    #[test]
    fn oversized_file_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.json");
        let f = fs::File::create(&p).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        let e = read_document(dir.path(), &p, &mut 0).unwrap_err();
        assert!(e.message.contains("byte limit"), "{e}");
    }
}
