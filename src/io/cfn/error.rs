//! Errors with file, line and column.

use std::fmt;

use super::node::Pos;

/// What went wrong, broadly; the message says precisely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read.
    Io,
    /// The input is not valid YAML / JSON.
    Syntax,
    /// A safety limit was hit (size, nesting, aliases, evaluation budget).
    Limit,
    /// The template does not have the shape CloudFormation requires.
    Structure,
    /// A parameter has no value or an unusable one.
    Parameter,
    /// An intrinsic function was used wrongly.
    Intrinsic,
    /// Resources, conditions or attributes depend on each other in a circle.
    Cycle,
}

/// An error while loading or evaluating a template.
///
/// Displays as `file:line:column: message` (or `file: message` without a position).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CfnError {
    /// The file name given by the caller.
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    /// The broad category.
    pub kind: ErrorKind,
    /// What was found and what was expected (said in the user's language through its template).
    pub message: crate::l10n::Text,
}

impl CfnError {
    /// Builds an error.
    pub fn new(file: &str, pos: Pos, kind: ErrorKind, message: impl Into<crate::l10n::Text>) -> Self {
        CfnError { file: file.to_string(), line: pos.line, column: pos.column, kind, message: message.into() }
    }
}

impl fmt::Display for CfnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
        }
    }
}

impl std::error::Error for CfnError {}

/// Result alias for this module.
pub type CfnResult<T> = Result<T, CfnError>;
