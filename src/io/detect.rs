//! Telling the formats apart: a folder with `*.tf` files is Terraform configuration, JSON
//! from `terraform show -json` is a Terraform plan or state, a folder (or JSON with
//! `describe-*` keys) is a snapshot, YAML or JSON with `Resources` /
//! `AWSTemplateFormatVersion` is a CloudFormation template, anything else is vpcraft's own
//! RON. A file (or `-`, standard input) is read once, bounded, and the format told from all of
//! its text, then parsed from the same text: a pipe is never read twice, and a template whose
//! `Resources` comes after 64 KB of parameters is still one.

use super::cfn_import::{self, CfnImportOptions};
use super::report::ImportReport;
use super::snapshot::{self, files::Document, SnapshotOptions};
use super::terraform::TerraformOptions;
use super::{input, native, LoadError};
use crate::model::Design;
use std::path::{Path, PathBuf};

/// What a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// `example:<name>`.
    Example,
    /// vpcraft's RON.
    Native,
    /// A folder or file of `aws ec2 describe-*` JSON.
    Snapshot,
    /// A CloudFormation template (YAML or JSON).
    CloudFormation,
    /// A folder of Terraform configuration (`*.tf`, `*.tf.json`).
    Terraform,
    /// `terraform show -json` of a plan or a state.
    TerraformJson,
}

/// Everything an import may need besides the path.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Region for sources that do not say.
    pub region: Option<String>,
    /// CloudFormation parameters, `(name, value)`.
    pub params: Vec<(String, String)>,
    /// Terraform variables and assumptions.
    pub terraform: TerraformOptions,
}

impl ImportOptions {
    /// Terraform's options with the region filled in from the import's.
    fn terraform(&self) -> TerraformOptions {
        let mut t = self.terraform.clone();
        t.region = t.region.or_else(|| self.region.clone());
        t
    }
}

/// Where saving a design read from `path` in `format` may write: the same file for vpcraft's
/// own format, nowhere for an import (save as then suggests a `.ron` of the same name).
pub fn save_target(path: &Path, format: SourceFormat) -> Option<std::path::PathBuf> {
    (format == SourceFormat::Native).then(|| path.to_path_buf())
}

/// "imported <name>" for a design read from an import format.
pub fn imported_label(path: &Path) -> String {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
    format!("imported {name}")
}

/// The largest input read at all (vpcraft's own designs; the import formats have lower limits,
/// checked once the format is known).
pub const MAX_INPUT_BYTES: u64 = native::MAX_FILE_BYTES;

fn is_folder(path: &Path) -> bool {
    !input::is_stdin(path) && std::fs::metadata(path).is_ok_and(|m| m.is_dir())
}

/// Guess the format of a path: a folder is Terraform configuration or a snapshot; a file is
/// read (bounded) and its whole text looked at ([`detect_text`]).
pub fn detect(path: &Path) -> Result<SourceFormat, LoadError> {
    if path.to_str().is_some_and(|s| s.starts_with("example:")) {
        return Ok(SourceFormat::Example);
    }
    if is_folder(path) {
        if crate::io::terraform::is_configuration(path) {
            return Ok(SourceFormat::Terraform);
        }
        return Ok(SourceFormat::Snapshot);
    }
    Ok(detect_text(&input::read_text(path, MAX_INPUT_BYTES)?))
}

/// The format of a text, from all of it: `terraform show -json` output; JSON whose top level
/// has `AWSTemplateFormatVersion` or `Resources` is a template, other JSON a snapshot; YAML with
/// either key at the start of a line is a template; anything else is vpcraft's RON.
pub fn detect_text(text: &str) -> SourceFormat {
    let body = text.trim_start();
    const TEMPLATE_KEYS: [&str; 2] = ["AWSTemplateFormatVersion", "Resources"];
    // A JSON array is no format vpcraft reads, but the JSON reader says so (and where) better
    // than the RON reader's "expected `(`".
    if body.starts_with('{') || body.starts_with('[') {
        if crate::io::terraform::looks_like_show_json(body) {
            return SourceFormat::TerraformJson;
        }
        return match top_level_keys(body) {
            Some(keys) if keys.iter().any(|k| TEMPLATE_KEYS.contains(&k.as_str())) => SourceFormat::CloudFormation,
            Some(_) => SourceFormat::Snapshot,
            // Malformed JSON: let the parser that fits report where.
            None if TEMPLATE_KEYS.iter().any(|k| body.contains(&format!("\"{k}\""))) => SourceFormat::CloudFormation,
            None => SourceFormat::Snapshot,
        };
    }
    let yaml_template = body.lines().any(|l| {
        let l = l.trim_start_matches(['"', '\'']);
        TEMPLATE_KEYS.iter().any(|k| {
            l.strip_prefix(k).is_some_and(|rest| rest.trim_start_matches(['"', '\'']).trim_start().starts_with(':'))
        })
    });
    if yaml_template {
        SourceFormat::CloudFormation
    } else {
        SourceFormat::Native
    }
}

/// The keys of a JSON object's top level, without building its values.
fn top_level_keys(json: &str) -> Option<Vec<String>> {
    use serde::de::{IgnoredAny, MapAccess, Visitor};
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            let mut keys = Vec::new();
            while let Some((k, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                keys.push(k);
            }
            Ok(keys)
        }
    }
    let mut de = serde_json::Deserializer::from_str(json);
    serde::Deserializer::deserialize_map(&mut de, Keys).ok()
}

/// A loaded design with the import's report (when it was converted) and the format it came in.
pub struct Loaded {
    pub design: Design,
    pub report: Option<ImportReport>,
    pub format: SourceFormat,
}

/// Load any supported source, with the import's report when it was converted.
pub fn import_any(
    path: &Path,
    region: Option<&str>,
    params: &[(String, String)],
) -> Result<(Design, Option<ImportReport>), LoadError> {
    let opts = ImportOptions {
        region: region.map(str::to_string),
        params: params.to_vec(),
        terraform: TerraformOptions::from_env(),
    };
    import_any_with(path, &opts)
}

/// [`import_any`] with every option, Terraform's included.
pub fn import_any_with(path: &Path, opts: &ImportOptions) -> Result<(Design, Option<ImportReport>), LoadError> {
    load(path, opts).map(|l| (l.design, l.report))
}

/// Load any supported source but the built-in examples (`vpcraft::assets::open` reads those): a Terraform or snapshot folder, or a file or
/// `-` (standard input) read once into memory, its format told from its text.
pub fn load(path: &Path, opts: &ImportOptions) -> Result<Loaded, LoadError> {
    let loaded = |design, report, format| Loaded { design, report, format };
    if path.to_str().is_some_and(|s| s.starts_with("example:")) {
        return Err(LoadError::plain(
            path,
            crate::text!("names a built-in example, which vpcraft::assets::open reads (io does not know the examples)"),
        ));
    }
    if is_folder(path) {
        if crate::io::terraform::is_configuration(path) {
            return crate::io::terraform::import_dir(path, &opts.terraform())
                .map(|(d, r)| loaded(d, Some(r), SourceFormat::Terraform));
        }
        let sopts = SnapshotOptions { region: opts.region.clone() };
        return snapshot::import_path(path, &sopts).map(|(d, r)| loaded(d, Some(r), SourceFormat::Snapshot));
    }
    if let Some(folder) = terraform_file_folder(path) {
        // Terraform reads a configuration as a folder; one of its files alone is no design
        // (and loading the folder instead would read what the user did not name).
        return Err(LoadError::plain(
            path,
            format!(
                "is one file of a Terraform configuration, which Terraform and vpcraft read as a whole folder: give the folder ({})",
                folder.display()
            ),
        ));
    }
    load_bytes(input::read_bounded(path, MAX_INPUT_BYTES)?, path, opts)
}

/// The folder of `path` when it names a Terraform configuration file (`*.tf`, `*.tf.json`).
fn terraform_file_folder(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if !(name.ends_with(".tf") || name.ends_with(".tf.json")) || !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    Some(match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    })
}

/// [`load`] of bytes already read (at most [`MAX_INPUT_BYTES`]); `path` names them in errors.
pub fn load_bytes(bytes: Vec<u8>, path: &Path, opts: &ImportOptions) -> Result<Loaded, LoadError> {
    let loaded = |design, report, format| Loaded { design, report, format };
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(LoadError::plain(
            path,
            crate::text!("is {} bytes, more than the {MAX_INPUT_BYTES} byte limit", bytes.len()),
        ));
    }
    let text = input::decode(bytes, path)?;
    if text.trim().is_empty() {
        // Every parser would say what it expected first (`(` for a design); say what is there.
        return Err(LoadError::at(path, 1, 1, "is empty: no design, template or snapshot in it"));
    }
    let format = detect_text(&text);
    let within = |limit: u64| {
        if text.len() as u64 > limit {
            Err(LoadError::plain(path, crate::text!("is {} bytes, more than the {limit} byte limit", text.len())))
        } else {
            Ok(())
        }
    };
    match format {
        SourceFormat::Native | SourceFormat::Example | SourceFormat::Terraform => {
            native::load_str(&text, path).map(|d| loaded(d, None, SourceFormat::Native))
        }
        SourceFormat::TerraformJson => {
            let t = opts.terraform();
            within(t.limits.max_total_bytes)?;
            crate::io::terraform::import_show_json_text(&text, path, &t).map(|(d, r)| loaded(d, Some(r), format))
        }
        SourceFormat::CloudFormation => {
            let copts = CfnImportOptions { region: opts.region.clone(), params: opts.params.clone() };
            within(crate::io::cfn::Limits::default().max_bytes)?;
            cfn_import::import_text(&text, path, &copts).map(|(d, r)| loaded(d, Some(r), format))
        }
        SourceFormat::Snapshot => {
            within(snapshot::files::MAX_FILE_BYTES)?;
            let sopts = SnapshotOptions { region: opts.region.clone() };
            // A single JSON file must look like describe-* output to be read as one.
            let doc: Document = snapshot::files::document_from_text(path, path, &text)?;
            if !snapshot::looks_like_snapshot(&doc.json) {
                return Err(LoadError::plain(
                    path,
                    crate::text!("is JSON but neither `aws ec2 describe-*` output (Vpcs, Subnets, …) nor a CloudFormation template"),
                ));
            }
            snapshot::import_one(path, doc, &sopts).map(|(d, r)| loaded(d, Some(r), format))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let w = |n: &str, t: &str| {
            let p = dir.path().join(n);
            std::fs::write(&p, t).unwrap();
            p
        };
        assert_eq!(detect(&w("a.json", "{\"Vpcs\": []}")).unwrap(), SourceFormat::Snapshot);
        assert_eq!(detect(&w("t.json", "{\"Resources\": {}}")).unwrap(), SourceFormat::CloudFormation);
        assert_eq!(detect(&w("t.yaml", "# c\nResources:\n  X: 1\n")).unwrap(), SourceFormat::CloudFormation);
        assert_eq!(detect(&w("d.ron", "Design(format_version: 1)")).unwrap(), SourceFormat::Native);
        assert_eq!(detect(dir.path()).unwrap(), SourceFormat::Snapshot);
        assert_eq!(detect(Path::new("example:custom-vpc")).unwrap(), SourceFormat::Example);
        let odd = w("odd.json", "{\"Hello\": 1}");
        assert!(import_any(&odd, None, &[]).unwrap_err().message.contains("neither"));
    }
}
