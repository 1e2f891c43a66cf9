//! Load errors that say where: file, line, column, and what was expected.

use crate::l10n::{Lang, Text};
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
    /// What is wrong, said in the user's language through its template.
    pub message: Text,
}

impl LoadError {
    /// An error with no position (the file is missing, too large, a newer version …).
    pub fn plain(file: &Path, message: impl Into<Text>) -> LoadError {
        LoadError { file: file.to_path_buf(), line: None, column: None, message: message.into() }
    }

    /// An error at a line and column.
    pub fn at(file: &Path, line: usize, column: usize, message: impl Into<Text>) -> LoadError {
        LoadError { file: file.to_path_buf(), line: Some(line), column: Some(column), message: message.into() }
    }
}

impl LoadError {
    /// `file:line:column: message`, the message in `lang` (English is what `Display` writes).
    pub fn render(&self, lang: Lang) -> String {
        let mut s = self.file.display().to_string();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        format!("{s}: {}", self.message.render(lang))
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for LoadError {}

/// The model's refusals nest in the import's report lines with their own templates.
impl crate::l10n::AsText for crate::model::ops::OpError {
    fn as_text(&self) -> Text {
        self.message.clone()
    }
}

impl crate::l10n::AsText for crate::model::edit::EditError {
    fn as_text(&self) -> Text {
        match self {
            crate::model::edit::EditError::NotAllowed(m) | crate::model::edit::EditError::Invalid(m) => m.clone(),
            other => crate::model::ops::OpError::from(other.clone()).message,
        }
    }
}

impl crate::l10n::AsText for crate::net::ipv6::Ipv6Error {
    fn as_text(&self) -> Text {
        self.text()
    }
}

impl crate::l10n::AsText for crate::net::CidrError {
    fn as_text(&self) -> Text {
        self.text()
    }
}
