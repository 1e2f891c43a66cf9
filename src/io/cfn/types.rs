//! Public input options and evaluated output types.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::limits::Limits;

/// Account id used when none is given.
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";
/// Stack name used for `AWS::StackName` when none is given.
pub const DEFAULT_STACK_NAME: &str = "vpcraft-stack";

/// How to evaluate a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalOptions {
    /// Region for `AWS::Region`, `Fn::GetAZs` and the partition (e.g. `ap-northeast-2`).
    pub region: String,
    /// Parameter overrides (`--param K=V`); list parameters take comma-separated text.
    pub params: BTreeMap<String, String>,
    /// Value of `AWS::AccountId`.
    pub account_id: String,
    /// Value of `AWS::StackName`.
    pub stack_name: String,
    /// Safety limits.
    pub limits: Limits,
}

impl EvalOptions {
    /// Options for `region` with no overrides, the default account id and limits.
    pub fn new(region: impl Into<String>) -> Self {
        EvalOptions {
            region: region.into(),
            params: BTreeMap::new(),
            account_id: DEFAULT_ACCOUNT_ID.to_string(),
            stack_name: DEFAULT_STACK_NAME.to_string(),
            limits: Limits::default(),
        }
    }

    /// Adds one parameter override.
    pub fn with_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.insert(name.into(), value.into());
        self
    }
}

/// Splits a `K=V` override at the first `=`.
///
/// # Errors
/// A message when there is no `=` or the name is empty.
pub fn parse_param_override(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("parameter override `{text}` must look like Name=Value")),
    }
}

/// A fully evaluated template.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Template {
    /// The template's `Description`, if any.
    pub description: Option<String>,
    /// Parameters with the values used.
    pub parameters: Vec<ResolvedParameter>,
    /// Resources in template order.
    pub resources: Vec<EvaluatedResource>,
    /// Outputs in template order.
    pub outputs: Vec<EvaluatedOutput>,
    /// Things the caller should know: external references, imports, conditions,
    /// unsupported features.
    pub report: Vec<ReportItem>,
}

impl Template {
    /// The resource with this logical id.
    pub fn resource(&self, logical_id: &str) -> Option<&EvaluatedResource> {
        self.resources.iter().find(|r| r.logical_id == logical_id)
    }
}

/// One resource with resolved properties.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvaluatedResource {
    /// Logical id (the key under `Resources`).
    pub logical_id: String,
    /// `Type`, e.g. `AWS::EC2::Subnet`.
    pub resource_type: String,
    /// Resolved `Properties` (an object); `null` when the resource is skipped,
    /// since CloudFormation does not evaluate skipped resources either.
    /// Deploy-time values are markers, see [`super::markers`].
    pub properties: Value,
    /// Explicit `DependsOn` entries.
    pub depends_on: Vec<String>,
    /// Other resources this one refers to through `Ref`, `Fn::GetAtt` or `Fn::Sub`
    /// (implicit dependencies), in first-use order.
    pub references: Vec<String>,
    /// True when the resource's `Condition` is false.
    pub condition_skipped: bool,
    /// 1-based line of the logical id.
    pub line: u32,
    /// 1-based column of the logical id.
    pub column: u32,
}

/// One output with its resolved value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvaluatedOutput {
    /// Output name.
    pub name: String,
    /// `Description`, if a plain string.
    pub description: Option<String>,
    /// Resolved `Value` (`null` when skipped).
    pub value: Value,
    /// Resolved `Export.Name`, if any.
    pub export_name: Option<Value>,
    /// True when the output's `Condition` is false.
    pub condition_skipped: bool,
    /// 1-based line of the output name.
    pub line: u32,
    /// 1-based column of the output name.
    pub column: u32,
}

/// Where a parameter's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ParamSource {
    /// Given by the caller.
    Override,
    /// The template's `Default`.
    Default,
}

/// A parameter and the value used for it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResolvedParameter {
    /// Parameter name.
    pub name: String,
    /// Declared `Type`.
    pub param_type: String,
    /// Value as `Ref` returns it: a string, a list of strings, or an `$ssm` marker.
    pub value: Value,
    /// Where the value came from.
    pub source: ParamSource,
    /// 1-based line of the parameter name.
    pub line: u32,
    /// 1-based column of the parameter name.
    pub column: u32,
}

/// How much a report item matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Severity {
    /// For information.
    Info,
    /// Probably needs the user's attention; the import still succeeded.
    Warning,
}

/// What a report item is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum ReportKind {
    /// An id or name of something the template does not create (`vpc-…`, key pair…).
    ExternalReference,
    /// A `Fn::ImportValue` of another stack's export.
    ImportValue,
    /// A parameter whose value is read from SSM at deploy time.
    SsmParameter,
    /// A parameter problem that is not fatal (not allowed value, unused override…).
    Parameter,
    /// A condition and the value it evaluated to.
    Condition,
    /// A resource or output left out because its condition is false.
    Skipped,
    /// Something this evaluator does not support (transforms, unknown functions…).
    Unsupported,
}

/// One note about the evaluation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ReportItem {
    /// How much it matters.
    pub severity: Severity,
    /// What it is about.
    pub kind: ReportKind,
    /// Human-readable text (said in the user's language through its template).
    pub message: crate::l10n::Text,
    /// The thing referred to (external id, import name, condition name…).
    pub subject: Option<String>,
    /// 1-based line (0 when not tied to a place).
    pub line: u32,
    /// 1-based column (0 when not tied to a place).
    pub column: u32,
}
