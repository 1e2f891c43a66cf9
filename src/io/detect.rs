//! Telling the formats apart: a folder with `*.tf` files is Terraform configuration, JSON
//! from `terraform show -json` is a Terraform plan or state, a folder (or JSON with
//! `describe-*` keys) is a snapshot, YAML or JSON with `Resources` /
//! `AWSTemplateFormatVersion` is a CloudFormation template, anything else is vpcraft's own
//! RON.

use super::cfn_import::{self, CfnImportOptions};
use super::report::ImportReport;
use super::snapshot::{self, files::Document, SnapshotOptions};
use super::terraform::TerraformOptions;
use super::{native, LoadError};
use crate::model::Design;
use std::io::Read;
use std::path::Path;

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

/// How much of a file is looked at to guess its format.
const SNIFF_BYTES: u64 = 64 * 1024;

/// Guess the format of a path from its first bytes (the whole JSON is parsed later).
pub fn detect(path: &Path) -> Result<SourceFormat, LoadError> {
    if path.to_str().is_some_and(|s| s.starts_with("example:")) {
        return Ok(SourceFormat::Example);
    }
    let meta = std::fs::metadata(path).map_err(|e| LoadError::plain(path, format!("cannot read: {e}")))?;
    if meta.is_dir() {
        if crate::io::terraform::is_configuration(path) {
            return Ok(SourceFormat::Terraform);
        }
        return Ok(SourceFormat::Snapshot);
    }
    let mut head = Vec::new();
    let f = std::fs::File::open(path).map_err(|e| LoadError::plain(path, format!("cannot read: {e}")))?;
    f.take(SNIFF_BYTES).read_to_end(&mut head).map_err(|e| LoadError::plain(path, format!("cannot read: {e}")))?;
    let text = String::from_utf8_lossy(&head);
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') {
        if crate::io::terraform::looks_like_show_json(body) {
            return Ok(SourceFormat::TerraformJson);
        }
        // JSON: a template names its sections at the top level; so does describe-* output.
        let template = ["\"AWSTemplateFormatVersion\"", "\"Resources\""].iter().any(|k| body.contains(k));
        return Ok(if template { SourceFormat::CloudFormation } else { SourceFormat::Snapshot });
    }
    let yaml_template = body.lines().any(|l| l.starts_with("AWSTemplateFormatVersion") || l.starts_with("Resources:"));
    Ok(if yaml_template { SourceFormat::CloudFormation } else { SourceFormat::Native })
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
    let region = opts.region.as_deref();
    let params = &opts.params;
    let terraform = || {
        let mut t = opts.terraform.clone();
        t.region = t.region.or_else(|| opts.region.clone());
        t
    };
    match detect(path)? {
        SourceFormat::Terraform => crate::io::terraform::import_dir(path, &terraform()).map(|(d, r)| (d, Some(r))),
        SourceFormat::TerraformJson => {
            crate::io::terraform::import_show_json(path, &terraform()).map(|(d, r)| (d, Some(r)))
        }
        SourceFormat::Example => super::load_any(path).map(|d| (d, None)),
        SourceFormat::Native => native::load_file(path).map(|d| (d, None)),
        SourceFormat::CloudFormation => {
            let opts = CfnImportOptions { region: region.map(str::to_string), params: params.to_vec() };
            cfn_import::import_file(path, &opts).map(|(d, r)| (d, Some(r)))
        }
        SourceFormat::Snapshot => {
            let opts = SnapshotOptions { region: region.map(str::to_string) };
            if path.is_file() {
                // A single JSON file must look like describe-* output to be read as one.
                let mut total = 0;
                let doc: Document = snapshot::files::read_document(path, path, &mut total)?;
                if !snapshot::looks_like_snapshot(&doc.json) {
                    return Err(LoadError::plain(
                        path,
                        "is JSON but neither `aws ec2 describe-*` output (Vpcs, Subnets, …) nor a CloudFormation template",
                    ));
                }
            }
            snapshot::import_path(path, &opts).map(|(d, r)| (d, Some(r)))
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
