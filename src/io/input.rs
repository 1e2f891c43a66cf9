//! Reading an input once, bounded, into memory: files, FIFOs, `/dev/stdin`, `<(…)` and `-`
//! for standard input all go through [`read_bounded`], and everything after (format detection,
//! parsing) works on those bytes, so a pipe is never read twice and a device that never ends
//! (`/dev/zero`) stops at the limit.
//!
//! Size limits apply to the bytes actually read, not to the size a file reports (a device
//! reports 0). Text that is not UTF-8 is refused with its own message and position: a UTF-16
//! byte order mark, a NUL byte (binary data), an invalid UTF-8 sequence (line:column). A UTF-8
//! byte order mark is skipped, and CRLF and CR-only line endings read as LF, so positions are
//! the lines an editor shows.

use super::LoadError;
use std::io::Read;
use std::path::Path;

/// The name that means standard input.
pub const STDIN: &str = "-";

/// How much is read before the first look at whether the input is text at all (so binary
/// input like `/dev/urandom` is refused at once instead of after the size limit).
const SNIFF_BYTES: usize = 64 * 1024;

/// Whether `path` is `-`, standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

fn too_large(path: &Path, shown: Option<u64>, limit: u64) -> LoadError {
    match shown {
        Some(n) => LoadError::plain(path, crate::text!("is {n} bytes, more than the {limit} byte limit")),
        None => LoadError::plain(path, crate::text!("holds more than the {limit} byte limit")),
    }
}

/// Read all of `path` (`-`: standard input), refusing it once more than `limit` bytes have
/// been read. A regular file that says it is larger is refused before reading. When the first
/// bytes are plainly not UTF-8 text, reading stops there and the text error is returned.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, LoadError> {
    let cannot = |e: std::io::Error| LoadError::plain(path, crate::text!("cannot read: {e}"));
    let mut reader: Box<dyn Read> = if is_stdin(path) {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(path).map_err(cannot)?;
        let meta = f.metadata().map_err(cannot)?;
        if meta.is_dir() {
            return Err(LoadError::plain(path, crate::text!("is a folder, not a file")));
        }
        if meta.is_file() && meta.len() > limit {
            return Err(too_large(path, Some(meta.len()), limit));
        }
        Box::new(f)
    };
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut sniffed = false;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(cannot(e)),
        };
        if (bytes.len() + n) as u64 > limit {
            return Err(too_large(path, None, limit));
        }
        bytes.extend_from_slice(&chunk[..n]);
        if !sniffed && bytes.len() >= SNIFF_BYTES {
            sniffed = true;
            not_text(&bytes, path, true)?;
        }
    }
    Ok(bytes)
}

/// All of `path`, at most `limit` bytes of it counted as they are read (a device that reports
/// no size, a FIFO, a file that grows): for readers with their own text handling. The error
/// says what went wrong in a sentence.
pub fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, crate::l10n::Text> {
    let f = std::fs::File::open(path).map_err(|e| crate::text!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    f.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| crate::text!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(crate::text!("holds more than the {limit} byte limit"));
    }
    Ok(bytes)
}

/// [`read_bounded`] then [`decode`].
pub fn read_text(path: &Path, limit: u64) -> Result<String, LoadError> {
    decode(read_bounded(path, limit)?, path)
}

/// 1-based line and column of byte `offset` (columns count characters of the valid text
/// before it).
pub fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n' || b == b'\r').count()
        - before.windows(2).filter(|w| w == b"\r\n").count()
        + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, col)
}

/// The reason `bytes` are not UTF-8 text, if they are not. `partial`: more may follow, so an
/// incomplete sequence at the end is no error.
fn not_text(bytes: &[u8], path: &Path, partial: bool) -> Result<(), LoadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(LoadError::at(
            path,
            1,
            1,
            crate::text!("is UTF-16 (or UTF-32) text, by its byte order mark; vpcraft reads UTF-8: convert it first, e.g. `iconv -f UTF-16 -t UTF-8`"),
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf8 = std::str::from_utf8(body).err().filter(|e| !partial || e.error_len().is_some());
    let nul = body[..utf8.map_or(body.len(), |e| e.valid_up_to())].iter().position(|&b| b == 0);
    if let Some(nul) = nul {
        // Text in UTF-16 without a byte order mark has a NUL beside every ASCII character.
        let head = &body[..body.len().min(64)];
        let nuls = head.iter().filter(|&&b| b == 0).count();
        if head.len() >= 4 && nuls * 3 >= head.len() && nuls * 3 <= head.len() * 2 {
            return Err(LoadError::at(
                path,
                1,
                1,
                crate::text!("looks like UTF-16 text (a NUL byte beside every character); vpcraft reads UTF-8: convert it first, e.g. `iconv -f UTF-16 -t UTF-8`"),
            ));
        }
        let (line, col) = line_col(body, nul);
        return Err(LoadError::at(path, line, col, crate::text!("a NUL byte: this is binary data, not a text file")));
    }
    if let Some(e) = utf8 {
        let at = e.valid_up_to();
        let (line, col) = line_col(body, at);
        return Err(LoadError::at(
            path,
            line,
            col,
            crate::text!("the file is not valid UTF-8 text (byte 0x{:02X} here); vpcraft reads UTF-8", body[at]),
        ));
    }
    Ok(())
}

/// Bytes to text: UTF-8 only (a byte order mark is skipped), CRLF and CR read as LF. Errors
/// say what the bytes are instead and where.
pub fn decode(mut bytes: Vec<u8>, path: &Path) -> Result<String, LoadError> {
    not_text(&bytes, path, false)?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes).map_err(|e| LoadError::plain(path, crate::text!("not UTF-8: {e}")))?;
    Ok(normalize_line_ends(text))
}

/// CRLF and lone CR become LF (inside JSON and YAML a raw CR can only be a line break; RON's
/// comments end at LF only, so a CR-only file would otherwise be one long comment).
pub fn normalize_line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> LoadError {
        decode(bytes.to_vec(), Path::new("f")).unwrap_err()
    }

    #[test]
    fn text_errors_have_their_own_messages_and_places() {
        assert!(err(b"\xFF\xFEa\0b\0").message.contains("UTF-16"));
        assert!(err(b"D\0e\0s\0i\0g\0n\0(\0").message.contains("UTF-16"));
        let e = err(b"ab\ncd\0");
        assert_eq!((e.line, e.column), (Some(2), Some(3)), "{e}");
        assert!(e.message.contains("NUL"));
        let e = err(b"\xC3\xA9\nx\xC3(");
        assert_eq!((e.line, e.column), (Some(2), Some(2)), "{e}");
        assert!(e.message.contains("UTF-8"));
    }

    #[test]
    fn bom_and_line_ends_are_accepted() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\rc\n".to_vec(), Path::new("f")).unwrap(), "a\nb\nc\n");
        assert_eq!(line_col(b"a\rb\r\nc", 5), (3, 1));
    }

    #[test]
    fn limits_count_bytes_read() {
        let e = read_bounded(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(e.message.contains("NUL"), "binary input is refused at once: {e}");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, "x".repeat(100)).unwrap();
        assert!(read_bounded(&p, 99).unwrap_err().message.contains("more than the 99 byte limit"));
        assert_eq!(read_bounded(&p, 100).unwrap().len(), 100);
    }
}
