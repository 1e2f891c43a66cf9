//! Writing a file without ever losing the one that was there: the one save path of the CLI and
//! the app (designs, exports, recovery files).
//!
//! - The link is followed: saving through a symlink writes its target, and the link stays.
//! - A regular file is replaced atomically: a temporary beside it (created new, with the old
//!   file's mode and, where permitted, owner), written and flushed to disk, then renamed over
//!   it. The backup (`<name>.bak`) is made the same atomic way (a hard link or a flushed copy
//!   of the old file under a temporary name, renamed into place) and only once the new content
//!   is safely on disk, so a save that fails (no space, no permission) leaves the file and its
//!   `.bak` exactly as they were.
//! - A file with other hard links keeps them: once the new content is written beside it and
//!   the old one copied (not linked) to the backup, its content is rewritten in place, so every
//!   name shows the new design (not atomic; a failure says the backup holds the old content).
//! - A backup never replaces a backup of a different format: when `<name>.bak` holds, say,
//!   the CloudFormation template a design was imported from, the design's backup goes to
//!   `<name>.ron.bak` instead.
//! - A device or a pipe (`/dev/stdout`, `/dev/full`, a FIFO) is written directly, and its
//!   write error reported.
//! - What must not be written over is refused, not written: an input of the same command
//!   (the same file after resolving links), a read-only file (unless the user said so), and a
//!   file that changed on disk since it was read (the caller passes what it read, a
//!   [`Fingerprint`]).
//! - Temporaries are named `.<name>.<pid>.tmp`; [`clean_stale_temps`] removes those of
//!   processes that no longer run (a `kill -9` during a save).

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::hash::Hasher;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What a file held when it was read or written: its size, modification time and a hash of
/// its content. A file has changed when its size or content differ (a `touch` alone is no
/// change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub modified: Option<SystemTime>,
    pub hash: u64,
}

impl Fingerprint {
    /// The fingerprint of `bytes` as the content of a file with `meta`.
    pub fn of(bytes: &[u8], meta: &fs::Metadata) -> Fingerprint {
        Fingerprint { len: bytes.len() as u64, modified: meta.modified().ok(), hash: hash(bytes) }
    }

    /// Whether the file now holds something else than when this was taken.
    pub fn differs(&self, now: &Fingerprint) -> bool {
        self.len != now.len || self.hash != now.hash
    }
}

fn hash(bytes: &[u8]) -> u64 {
    // Fixed keys: the same bytes give the same hash within a run, which is all a comparison
    // between reading and saving needs.
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// The fingerprint of a regular file now (`None`: there is no such file, or it is not a
/// regular file).
pub fn fingerprint(path: &Path) -> Option<Fingerprint> {
    let target = resolve_link(path);
    let meta = fs::metadata(&target).ok().filter(|m| m.is_file())?;
    let bytes = fs::read(&target).ok()?;
    Some(Fingerprint::of(&bytes, &meta))
}

/// How to save.
#[derive(Debug, Clone)]
pub struct SaveOptions {
    /// Keep the previous content as `<name>.bak`.
    pub backup: bool,
    /// Write over a read-only file (the user was asked and said yes).
    pub overwrite_read_only: bool,
    /// The file as it was read: when it holds something else now, the save is refused with
    /// [`SaveError::Changed`]. `None`: not checked.
    pub expect: Option<Fingerprint>,
    /// The inputs of the command: writing over one of them is refused.
    pub inputs: Vec<PathBuf>,
}

impl Default for SaveOptions {
    fn default() -> Self {
        SaveOptions { backup: true, overwrite_read_only: false, expect: None, inputs: Vec::new() }
    }
}

/// Why a save did not happen. Nothing was changed on disk in every case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    /// The file holds something else than when it was read (another program wrote it).
    Changed(PathBuf),
    /// The file is read-only.
    ReadOnly(PathBuf),
    /// The file is an input of the same command (`input` as the user named it).
    IsInput { path: PathBuf, input: PathBuf },
    /// Writing failed; the message says what and why.
    Failed(String),
}

impl SaveError {
    /// Why, as a sentence each language can say.
    pub fn text(&self) -> crate::l10n::Text {
        match self {
            SaveError::Changed(p) => crate::text!("{} was changed by another program since it was read", p.display()),
            SaveError::ReadOnly(p) => crate::text!("{} is read-only; not written over", p.display()),
            SaveError::IsInput { path, input } if path == input => crate::text!(
                "{} is also the input: writing it would destroy what is read; write elsewhere",
                path.display()
            ),
            SaveError::IsInput { path, input } => crate::text!(
                "{} is the input {} (the same file): writing it would destroy what is read; write elsewhere",
                path.display(),
                input.display()
            ),
            SaveError::Failed(m) => crate::l10n::Text::from(m.clone()),
        }
    }
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english)
    }
}

impl std::error::Error for SaveError {}

impl From<SaveError> for String {
    fn from(e: SaveError) -> String {
        e.to_string()
    }
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The file written (the link's target when the path was a symlink).
    pub path: PathBuf,
    /// Where the previous content went, if anywhere.
    pub backup: Option<PathBuf>,
    /// The new file's fingerprint (`None` for a device or pipe).
    pub fingerprint: Option<Fingerprint>,
}

/// Follow `path` while it is a symlink (relative targets are relative to the link's folder).
/// The result may not exist (a dangling link names where to create the file).
pub fn resolve_link(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(&p) {
                Ok(target) => {
                    p = match p.parent() {
                        Some(dir) if target.is_relative() => dir.join(target),
                        _ => target,
                    }
                }
                Err(_) => break,
            },
            _ => break,
        }
    }
    p
}

/// Whether `a` and `b` are the same file (same device and inode after following links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Refuse `target` when it is one of `inputs` (for `-`, standard input: the file it was
/// redirected from), or a JSON file in a snapshot folder given as input.
fn check_inputs(target: &Path, inputs: &[PathBuf]) -> Result<(), SaveError> {
    for input in inputs {
        let input_path = if super::input::is_stdin(input) { Path::new("/dev/stdin") } else { input.as_path() };
        let is_dir = fs::metadata(input_path).is_ok_and(|m| m.is_dir());
        let inside = is_dir
            && target.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
            && match (fs::canonicalize(input_path), target.parent().map(fs::canonicalize)) {
                (Ok(dir), Some(Ok(parent))) => parent.starts_with(dir),
                _ => false,
            };
        if (!is_dir && same_file(target, input_path)) || (inside && target.exists()) {
            return Err(SaveError::IsInput { path: target.to_path_buf(), input: input.clone() });
        }
    }
    Ok(())
}

fn failed(what: &str, path: &Path, e: impl fmt::Display) -> SaveError {
    SaveError::Failed(format!("cannot {what} {}: {e}", path.display()))
}

/// The temporary name for `name` in `dir` of this process.
fn temp_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Save `bytes` to `path` (see the module documentation for everything this guarantees).
pub fn save(path: &Path, bytes: &[u8], opts: &SaveOptions) -> Result<Saved, SaveError> {
    // `/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1` are streams the caller already holds open
    // (their links name no file), and anything that is not a regular file or folder is a
    // device or a pipe: written as it is.
    let special = path.starts_with("/proc")
        || path.starts_with("/dev/fd")
        || ["/dev/stdout", "/dev/stderr", "/dev/stdin"].iter().any(|p| path == Path::new(p));
    if special || fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        check_inputs(path, &opts.inputs)?;
        return write_direct(path, bytes);
    }
    let target = resolve_link(path);
    check_inputs(&target, &opts.inputs)?;
    let existing = match fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(failed("write", &target, e)),
    };
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(SaveError::Failed(format!("{} is a folder; give a file name to write", target.display())));
        }
        if !meta.is_file() {
            return write_direct(&target, bytes);
        }
        if !opts.overwrite_read_only && !writable(&target, meta) {
            return Err(SaveError::ReadOnly(target));
        }
        if let Some(expect) = &opts.expect {
            let now = fs::read(&target).map_err(|e| failed("read", &target, e))?;
            if expect.differs(&Fingerprint::of(&now, meta)) {
                return Err(SaveError::Changed(target));
            }
        }
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(SaveError::Failed(format!(
            "cannot write {}: the folder {} does not exist",
            target.display(),
            dir.display()
        )));
    }
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "design.ron".into());
    let tmp = temp_path(&dir, &name);
    let mut temps = vec![tmp.clone()];
    let result = (|| {
        write_new(&tmp, &target, bytes, existing.as_ref())?;
        // A file with other hard links is one file under several names: renaming a new file
        // over this name would part them (the other names keeping the old content, and a
        // hard-linked backup sharing it). Its content is rewritten in place instead, once the
        // new content is safely written beside it and the old one copied to the backup.
        let linked = existing.as_ref().is_some_and(|m| m.nlink() > 1);
        let backup = match (&existing, opts.backup) {
            (Some(meta), true) => {
                let bak = backup_path(&dir, &name, &target)?;
                let bak_name = bak.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                let bak_tmp = temp_path(&dir, &bak_name);
                temps.push(bak_tmp.clone());
                if linked {
                    let old = fs::read(&target).map_err(|e| failed("read", &target, e))?;
                    write_new(&bak_tmp, &bak, &old, Some(meta))?;
                } else {
                    copy_for_backup(&target, &bak_tmp, &bak, meta)?;
                }
                fs::rename(&bak_tmp, &bak).map_err(|e| failed("keep a backup at", &bak, e))?;
                Some(bak)
            }
            _ => None,
        };
        if linked {
            rewrite_in_place(&target, bytes, backup.as_deref())?;
            let _ = fs::remove_file(&tmp);
            return Ok(backup);
        }
        fs::rename(&tmp, &target).map_err(|e| failed("replace", &target, e))?;
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(backup)
    })();
    match result {
        Ok(backup) => {
            let fingerprint = fs::metadata(&target).ok().map(|m| Fingerprint::of(bytes, &m));
            Ok(Saved { path: target, backup, fingerprint })
        }
        Err(e) => {
            for t in temps {
                let _ = fs::remove_file(t);
            }
            Err(e)
        }
    }
}

/// Write `bytes` over the content of `target`, which keeps its inode (and so every hard link
/// to it). Not atomic: when the write fails, the message says where the previous content is.
fn rewrite_in_place(target: &Path, bytes: &[u8], backup: Option<&Path>) -> Result<(), SaveError> {
    let written = OpenOptions::new().write(true).truncate(true).open(target).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    written.map_err(|e| {
        let kept = backup.map_or_else(String::new, |b| format!("; its previous content is in {}", b.display()));
        SaveError::Failed(format!(
            "cannot write {} (a file with other hard links, written in place to keep them): {e}{kept}",
            target.display()
        ))
    })
}

/// Whether this process may write `path` (its mode for us, not just "some write bit").
fn writable(path: &Path, meta: &fs::Metadata) -> bool {
    if meta.permissions().readonly() {
        return false;
    }
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_ok()
}

/// Create `tmp` (never an existing file or link), with the mode and owner of the file it
/// replaces, write `bytes` and flush them to disk. Errors name `shown`, the file the user
/// asked for, not the temporary.
fn write_new(tmp: &Path, shown: &Path, bytes: &[u8], like: Option<&fs::Metadata>) -> Result<(), SaveError> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    if let Some(m) = like {
        o.mode(m.permissions().mode() & 0o7777);
    }
    let mut f = o.open(tmp).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            let dir = tmp.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            SaveError::Failed(format!(
                "cannot write {}: the folder {} is not writable ({e}); a save writes a new file beside the old one and then replaces it, so it needs the folder",
                shown.display(),
                dir.display()
            ))
        }
        _ => failed("write", shown, e),
    })?;
    if let Some(m) = like {
        // The owner where permitted (root, or a group the user is in); the mode exactly,
        // whatever the umask.
        let _ = std::os::unix::fs::fchown(&f, Some(m.uid()), Some(m.gid()));
        let _ = f.set_permissions(fs::Permissions::from_mode(m.permissions().mode() & 0o7777));
    }
    f.write_all(bytes).map_err(|e| failed("write", shown, e))?;
    f.sync_all().map_err(|e| failed("flush", shown, e))
}

/// The old file's content under `bak_tmp`: a hard link (no copy, no space), or else a flushed
/// copy.
fn copy_for_backup(target: &Path, bak_tmp: &Path, bak: &Path, meta: &fs::Metadata) -> Result<(), SaveError> {
    if fs::hard_link(target, bak_tmp).is_ok() {
        return Ok(());
    }
    let old = fs::read(target).map_err(|e| failed("read", target, e))?;
    write_new(bak_tmp, bak, &old, Some(meta))
}

/// What kind of content a file holds, for "a backup never replaces one of another format".
fn content_kind(path: &Path) -> Option<&'static str> {
    let text = super::input::read_text(path, super::detect::MAX_INPUT_BYTES).ok()?;
    Some(match super::detect::detect_text(&text) {
        super::detect::SourceFormat::CloudFormation => "cloudformation",
        super::detect::SourceFormat::Snapshot => "snapshot",
        _ if text.contains("format_version") && text.trim_start().starts_with(['D', '(', '/']) => "ron",
        _ => "text",
    })
}

/// `<name>.bak`, unless it holds another format than the file it would now keep: then
/// `<name>.<kind>.bak` (which must hold that kind too, or be absent).
fn backup_path(dir: &Path, name: &str, target: &Path) -> Result<PathBuf, SaveError> {
    let plain = dir.join(format!("{name}.bak"));
    if !plain.exists() {
        return Ok(plain);
    }
    let kind = content_kind(target);
    let old_kind = content_kind(&plain);
    if kind == old_kind {
        return Ok(plain);
    }
    let k = kind.unwrap_or("other");
    let specific = dir.join(format!("{name}.{k}.bak"));
    if !specific.exists() || content_kind(&specific) == kind {
        return Ok(specific);
    }
    Err(SaveError::Failed(format!(
        "cannot keep a backup of {}: {} and {} hold other formats; move one away",
        target.display(),
        plain.display(),
        specific.display()
    )))
}

/// Write to a device, FIFO or socket as it is (no temporary, no backup).
fn write_direct(target: &Path, bytes: &[u8]) -> Result<Saved, SaveError> {
    let mut f = OpenOptions::new().write(true).open(target).map_err(|e| failed("write", target, e))?;
    f.write_all(bytes).and_then(|()| f.flush()).map_err(|e| failed("write", target, e))?;
    Ok(Saved { path: target.to_path_buf(), backup: None, fingerprint: None })
}

/// Remove the temporaries (`.<name>.<pid>.tmp`) in `dir` that processes which no longer run
/// left behind: a save or autosave cut short by `kill -9` or a crash. Returns what was
/// removed.
pub fn clean_stale_temps(dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else { return removed };
    let me = rustix::process::getuid();
    for entry in rd.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = stale_pid(&name) else { continue };
        if pid == std::process::id() || process_runs(pid) {
            continue;
        }
        let ours = entry.metadata().is_ok_and(|m| m.is_file() && m.uid() == me.as_raw());
        if ours && fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed
}

/// The pid in a temporary's name `.<name>.<pid>.tmp`.
fn stale_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (_, pid) = rest.rsplit_once('.')?;
    pid.parse().ok()
}

fn process_runs(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
    // EPERM: it runs, as another user.
    !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_give_their_pid() {
        assert_eq!(stale_pid(".d.ron.123.tmp"), Some(123));
        assert_eq!(stale_pid(".d.ron.recovery.ron.77.tmp"), Some(77));
        assert_eq!(stale_pid("d.ron.123.tmp"), None);
        assert_eq!(stale_pid(".d.ron.tmp"), None);
    }

    #[test]
    fn a_touch_is_no_change() {
        let meta = fs::metadata(".").unwrap();
        let a = Fingerprint::of(b"abc", &meta);
        let b = Fingerprint { modified: None, ..a.clone() };
        assert!(!a.differs(&b));
        assert!(a.differs(&Fingerprint::of(b"abd", &meta)));
    }
}
