//! Errors of the Terraform reader, with the file, line and column they concern, and the
//! source files they are located in.

use crate::io::LoadError;
use std::path::{Path, PathBuf};

/// Whether `try` and `can` may catch an error. Terraform's `try` catches dynamic errors (a
/// missing key, an index out of range, a failed conversion); it never hides a broken
/// configuration, a cycle or a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Dynamic,
    Fatal,
}

/// Where in the sources: an index into [`Sources`] and a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub file: u32,
    pub offset: u32,
}

/// An error of reading or evaluating a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfError {
    pub kind: ErrorKind,
    pub pos: Option<Pos>,
    /// What is wrong (said in the user's language through its template).
    pub message: crate::l10n::Text,
}

pub type TfResult<T> = Result<T, TfError>;

impl TfError {
    pub fn dynamic(pos: Option<Pos>, message: impl Into<crate::l10n::Text>) -> TfError {
        TfError { kind: ErrorKind::Dynamic, pos, message: message.into() }
    }

    pub fn fatal(pos: Option<Pos>, message: impl Into<crate::l10n::Text>) -> TfError {
        TfError { kind: ErrorKind::Fatal, pos, message: message.into() }
    }

    /// The same error at `pos` when it has no position yet.
    pub fn at(mut self, pos: Pos) -> TfError {
        self.pos.get_or_insert(pos);
        self
    }
}

/// One source file: its path and where its lines start (none for JSON, whose positions are
/// not kept).
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub path: PathBuf,
    line_starts: Vec<u32>,
}

impl Source {
    pub fn new(path: &Path, text: &str) -> Source {
        let mut line_starts = vec![0u32];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
        Source { path: path.to_path_buf(), line_starts }
    }

    /// A source without positions (JSON).
    pub fn without_lines(path: &Path) -> Source {
        Source { path: path.to_path_buf(), line_starts: Vec::new() }
    }

    /// 1-based line and column of a byte offset (the column counts bytes, as Terraform's do).
    pub fn line_col(&self, offset: u32) -> Option<(usize, usize)> {
        if self.line_starts.is_empty() {
            return None;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let col = offset - self.line_starts[line - 1] + 1;
        Some((line, col as usize))
    }
}

/// Every file read, indexed by [`Pos::file`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<Source>,
}

impl Sources {
    pub fn add(&mut self, s: Source) -> u32 {
        self.files.push(s);
        (self.files.len() - 1) as u32
    }

    pub fn path(&self, pos: Pos) -> &Path {
        self.files.get(pos.file as usize).map_or(Path::new(""), |s| s.path.as_path())
    }

    /// `file:line:column` of a position, for report items.
    pub fn describe(&self, pos: Pos) -> String {
        let Some(src) = self.files.get(pos.file as usize) else { return String::new() };
        match src.line_col(pos.offset) {
            Some((l, c)) => format!("{}:{l}:{c}", src.path.display()),
            None => src.path.display().to_string(),
        }
    }

    /// The error as a load error naming its file, line and column.
    pub fn load_error(&self, e: &TfError, fallback: &Path) -> LoadError {
        let Some(pos) = e.pos else { return LoadError::plain(fallback, e.message.clone()) };
        let Some(src) = self.files.get(pos.file as usize) else { return LoadError::plain(fallback, e.message.clone()) };
        match src.line_col(pos.offset) {
            Some((l, c)) => LoadError::at(&src.path, l, c, e.message.clone()),
            None => LoadError::plain(&src.path, e.message.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let s = Source::new(Path::new("a.tf"), "ab\ncd\n\nx");
        assert_eq!(s.line_col(0), Some((1, 1)));
        assert_eq!(s.line_col(4), Some((2, 2)));
        assert_eq!(s.line_col(7), Some((4, 1)));
        assert_eq!(Source::without_lines(Path::new("a.tf.json")).line_col(3), None);
    }
}
