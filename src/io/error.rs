//! Load errors that say where: file, line, column, and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};

/// A design could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: PathBuf,
    /// 1-based line, when the problem has a place in the text.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    pub message: String,
}

impl LoadError {
    /// An error with no position (the file is missing, too large, a newer version …).
    pub fn plain(file: &Path, message: impl Into<String>) -> LoadError {
        LoadError { file: file.to_path_buf(), line: None, column: None, message: message.into() }
    }

    /// An error at a line and column.
    pub fn at(file: &Path, line: usize, column: usize, message: impl Into<String>) -> LoadError {
        LoadError { file: file.to_path_buf(), line: Some(line), column: Some(column), message: message.into() }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LoadError {}
