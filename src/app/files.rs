//! Open, save, save as, and the autosave/recovery file, on top of `crate::io`.
//!
//! The recovery file sits next to the design (`.<name>.recovery.ron`; in the saves folder for a
//! built-in example). It is written a moment after each change while there are unsaved
//! changes, removed on save and on a deliberate "quit without saving", and offered back at
//! start-up when it is newer than the design: so a crash loses nothing.

use super::{App, Picker, PickerEntry, Source};
use crate::io::{self, native, paths};
use crate::model::Design;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// How long after a change the recovery file is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_secs(2);

/// File extensions the picker lists: vpcraft's own and the import formats.
const OPENABLE: &[&str] = &["ron", "json", "yaml", "yml", "template"];

/// Everything the picker offers: a new design, the current folder's designs, the recent files,
/// saves, the data directory, the built-in examples.
pub fn picker_entries() -> Vec<PickerEntry> {
    let mut out =
        vec![PickerEntry { group: "new", label: "New design… (N: a name and a region)".into(), source: Source::New }];
    let saves = paths::saves_dir();
    let here = std::env::current_dir().ok();
    let same = |a: &Path, b: &Path| a.canonicalize().ok().is_some_and(|x| b.canonicalize().ok() == Some(x));
    if let Some(h) = here.as_deref().filter(|h| !same(h, &saves)) {
        list_dir(h, "here", &mut out);
    }
    for p in recent_files() {
        let listed = out.iter().any(|e| matches!(&e.source, Source::File(x) if same(x, &p)));
        if !listed && p.exists() {
            out.push(PickerEntry {
                group: "recent",
                label: format!("recent: {}", p.display()),
                source: Source::File(p),
            });
        }
    }
    list_dir(&saves, "saves", &mut out);
    if let Some(data) = paths::data_dir() {
        if data != saves {
            list_dir(&data, "data", &mut out);
        }
    }
    for name in crate::assets::example_names() {
        out.push(PickerEntry {
            group: "example",
            label: format!("example: {name}"),
            source: Source::Example(name.to_string()),
        });
    }
    out
}

fn list_dir(dir: &Path, group: &'static str, out: &mut Vec<PickerEntry>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut found: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            // Hidden files are recovery files and temporaries.
            !name.starts_with('.')
                && (p.is_dir() || p.extension().is_some_and(|e| OPENABLE.contains(&e.to_string_lossy().as_ref())))
        })
        .collect();
    found.sort();
    for p in found {
        let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let label = if p.is_dir() { format!("{group}: {name}/") } else { format!("{group}: {name}") };
        out.push(PickerEntry { group, label, source: Source::File(p) });
    }
}

/// A new picker.
pub fn new_picker() -> Picker {
    Picker { input: super::forms::LineInput::default(), entries: picker_entries(), selected: 0 }
}

/// A design as [`load`] reads it.
#[derive(Debug)]
pub struct Opened {
    pub design: Design,
    /// Where saves go: only for RON (an imported file is never overwritten).
    pub path: Option<PathBuf>,
    /// A name for the status bar when there is no such path.
    pub origin: String,
    /// What an import could not bring over (its findings count in the status bar).
    pub report: Option<io::ImportReport>,
}

/// Load a design from a source. Files go through `io::detect::load`, which reads vpcraft's RON
/// and the import formats (CloudFormation templates, Terraform, `aws ec2 describe-*` JSON).
pub fn load(source: &Source, lang: crate::l10n::Lang) -> Result<Opened, String> {
    match source {
        Source::New => Err("a new design is made with its form (N)".into()),
        Source::Example(name) => crate::assets::example(name)
            .map(|design| Opened { design, path: None, origin: format!("example {name}"), report: None })
            .ok_or_else(|| format!("no built-in example named '{name}'")),
        Source::File(p) => {
            let loaded = io::detect::load(p, &io::detect::ImportOptions::default()).map_err(|e| e.render(lang))?;
            let (path, origin) = match save_target(p, loaded.format) {
                Some(path) => (Some(path), String::new()),
                None => (None, imported_label(p)),
            };
            Ok(Opened { design: loaded.design, path, origin, report: loaded.report })
        }
    }
}

pub use crate::io::detect::{imported_label, save_target};

/// Where "save as" puts a name: a bare name goes to the saves folder and gets `.ron`. Refused
/// (issue 17, L2): control and bidirectional-override characters (a name that displays as
/// something else), a folder that does not exist (nothing is created but the saves folder),
/// another extension than `.ron` and a hidden name (neither would be in the open list).
pub fn resolve_save_path(text: &str) -> Result<PathBuf, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("required: a file name or path".into());
    }
    if let Some(c) = t.chars().find(|&c| c.is_control() || is_invisible_or_bidi(c)) {
        return Err(format!("the name may not hold the control or direction character U+{:04X}", c as u32));
    }
    let p = PathBuf::from(t);
    let bare = p.components().count() == 1 && !t.starts_with('.');
    let p = if bare { paths::saves_dir().join(p) } else { p };
    let Some(file) = p.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return Err("give a file name, not a folder".into());
    };
    if file.starts_with('.') {
        return Err("a name starting with '.' is hidden: it would not be in the open list".into());
    }
    let p = match p.extension().map(|e| e.to_string_lossy().to_string()) {
        None => p.with_extension("ron"),
        Some(e) if e == "ron" => p,
        Some(e) => {
            return Err(format!(
                "save as writes vpcraft designs: end the name in .ron, not .{e} (the open list shows designs by .ron)"
            ))
        }
    };
    if !bare {
        match p.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) if !dir.is_dir() => return Err(format!("the folder {} does not exist", dir.display())),
            _ => {}
        }
    }
    Ok(p)
}

/// Characters that change how a name displays without being visible themselves: zero-width
/// marks, the bidirectional embeddings, overrides and isolates, the byte order mark.
fn is_invisible_or_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// The path "save as" suggests.
pub fn suggested_path(app: &App) -> String {
    match &app.path {
        Some(p) => p.display().to_string(),
        None => {
            let name: String =
                app.design.name.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect();
            paths::saves_dir()
                .join(format!("{}.ron", if name.is_empty() { "untitled" } else { &name }))
                .display()
                .to_string()
        }
    }
}

/// Whether `path` is the file the design was loaded from or last saved to (so saving over it
/// needs no question).
pub fn is_current_file(app: &App, path: &Path) -> bool {
    let Some(current) = app.path.as_deref() else { return false };
    if current == path {
        return true;
    }
    match (std::fs::canonicalize(current), std::fs::canonicalize(path)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What the user already said yes to for this save.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaveAnswers {
    /// Write over the design's file although another program changed it.
    pub overwrite_changed: bool,
    /// Write over a read-only file.
    pub overwrite_read_only: bool,
}

/// Save to a path with the one save path ([`crate::io::save::save`]); on success the design is
/// clean and the recovery file goes. Saving over the design's own file checks it still holds
/// what was read (issue 17, D5) unless the user said to overwrite; a read-only file is refused
/// unless the user said yes (D6).
pub fn save_to(app: &mut App, path: PathBuf, answers: SaveAnswers) -> Result<(), io::save::SaveError> {
    use io::save::{SaveError, SaveOptions};
    if !app.allow_io {
        return Err(SaveError::Failed("file access is off".into()));
    }
    // A recovery file being written beside the UI lands before the save removes it.
    settle(app);
    let text = native::to_string(&app.design).map_err(SaveError::Failed)?;
    if path.parent().is_some_and(|d| d == paths::saves_dir()) {
        // The saves folder is vpcraft's own: made on first use.
        let _ = std::fs::create_dir_all(paths::saves_dir());
    }
    let check = is_current_file(app, &path) && !answers.overwrite_changed;
    if check && app.disk.is_none() && path.exists() {
        // A new design's file, which another program created meanwhile.
        return Err(SaveError::Changed(path));
    }
    let expect = if check { app.disk.clone() } else { None };
    let opts = SaveOptions { expect, overwrite_read_only: answers.overwrite_read_only, ..SaveOptions::default() };
    let saved = io::save::save(&path, text.as_bytes(), &opts)?;
    let old_recovery = recovery_path(app);
    app.path = Some(path.clone());
    app.disk = saved.fingerprint;
    app.saved_rev = app.rev;
    app.autosave.written_rev = app.rev;
    let _ = std::fs::remove_file(old_recovery);
    let _ = std::fs::remove_file(recovery_path(app));
    app.info(crate::l10n::uif(app.lang(), "saved {path}", &[("path", &path.display())]));
    remember(&path);
    Ok(())
}

/// How many recent files are kept.
pub const RECENT: usize = 10;

/// The recent files list, in the data directory.
fn recent_path() -> Option<PathBuf> {
    paths::data_dir().map(|d| d.join("recent.txt"))
}

/// The files opened or saved lately, newest first.
pub fn recent_files() -> Vec<PathBuf> {
    let Some(p) = recent_path() else { return Vec::new() };
    std::fs::read_to_string(p).unwrap_or_default().lines().filter(|l| !l.trim().is_empty()).map(PathBuf::from).collect()
}

/// Put a file at the top of the recent files (best effort: a read-only data directory only
/// means no list).
pub fn remember(path: &Path) {
    let Some(list) = recent_path() else { return };
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut files = recent_files();
    files.retain(|f| *f != abs);
    files.insert(0, abs);
    files.truncate(RECENT);
    let text: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    if let Some(dir) = list.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let opts = io::save::SaveOptions { backup: false, ..io::save::SaveOptions::default() };
    let _ = io::save::save(&list, text.as_bytes(), &opts);
}

/// The fingerprint of the app's file as it is now (at open, for change detection).
pub fn disk_fingerprint(path: Option<&Path>) -> Option<io::save::Fingerprint> {
    path.and_then(io::save::fingerprint)
}

/// The recovery file of the app's design.
pub fn recovery_path(app: &App) -> PathBuf {
    recovery_path_for(app.path.as_deref(), &app.design.name)
}

/// The recovery file for a design file (or, with no file, for a design name).
pub fn recovery_path_for(path: Option<&Path>, name: &str) -> PathBuf {
    match path {
        Some(p) => {
            let dir =
                p.parent().filter(|d| !d.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let file = p.file_name().map_or_else(|| "design".to_string(), |n| n.to_string_lossy().to_string());
            dir.join(format!(".{file}.recovery.ron"))
        }
        None => {
            let slug: String = name.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect();
            paths::saves_dir().join(format!(".{slug}.recovery.ron"))
        }
    }
}

/// Write the recovery file now, through the one save path (atomically: a crash mid-write
/// leaves the previous one, and a failed write leaves no temporary behind). A write running
/// beside the UI finishes first, so it cannot land over this one.
pub fn write_recovery(app: &mut App) -> Result<PathBuf, String> {
    settle(app);
    write_design(&app.design, recovery_path(app))
}

/// Write `design` to the recovery file `path` (what autosave runs beside the UI).
fn write_design(design: &Design, path: PathBuf) -> Result<PathBuf, String> {
    let text = native::to_string(design)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let opts = io::save::SaveOptions { backup: false, overwrite_read_only: true, ..Default::default() };
    io::save::save(&path, text.as_bytes(), &opts).map_err(String::from)?;
    Ok(path)
}

/// Designs with more resources than this have their recovery file written beside the UI:
/// writing a 1000-VPC design (text, then two flushes to disk, which a busy disk can hold up for
/// seconds) would freeze the screen. A small design is written at once.
pub const BACKGROUND_WRITE: usize = super::findings::INLINE_LIMIT;

/// A recovery file being written on another thread: the revision it holds.
#[derive(Debug)]
pub struct Writing {
    pub rev: u64,
    done: std::thread::JoinHandle<Result<PathBuf, String>>,
}

/// Wait for the recovery file being written beside the UI, if any, and take its outcome (a
/// failure shows in the status bar and is tried again on a later tick). Everything else that
/// writes or removes the recovery file, or replaces the design, settles first.
pub fn settle(app: &mut App) {
    if let Some(w) = app.autosave.writing.take() {
        finished(app, w);
    }
}

/// Take a finished write's outcome.
fn finished(app: &mut App, w: Writing) {
    match w.done.join() {
        Ok(Ok(_)) => app.autosave.written_rev = w.rev,
        // `written_rev` stays behind, so the next tick after the delay tries again.
        Ok(Err(e)) => app.error(crate::l10n::uif(app.lang(), "autosave failed: {e}", &[("e", &e)])),
        Err(_) => {
            let e = "the writer stopped unexpectedly";
            app.error(crate::l10n::uif(app.lang(), "autosave failed: {e}", &[("e", &e)]));
        }
    }
}

/// Put the offered recovery file aside when the user does not decide now (issue 17, D2): it
/// is kept as `.<name>.recovery.kept-<time>.ron`, out of autosave's way, and offered again at
/// the next start until the user recovers or discards it. Returns where it is now.
pub fn keep_recovery(app: &App, rec: &Path) -> Result<PathBuf, String> {
    if rec != recovery_path(app) {
        return Ok(rec.to_path_buf());
    }
    let secs = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (dir, prefix) = kept_prefix(app).ok_or("no folder")?;
    let kept = (0..1000)
        .map(|n| dir.join(format!("{prefix}{secs}-{n}.ron")))
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .ok_or("too many kept recovery files")?;
    std::fs::rename(rec, &kept).map_err(|e| format!("cannot keep {}: {e}", rec.display()))?;
    Ok(kept)
}

/// The folder and name prefix of kept recovery files.
fn kept_prefix(app: &App) -> Option<(PathBuf, String)> {
    let rec = recovery_path(app);
    let dir = rec.parent()?.to_path_buf();
    let name = rec.file_name()?.to_string_lossy().to_string();
    let stem = name.strip_suffix(".ron")?;
    Some((dir, format!("{stem}.kept-")))
}

/// The newest kept recovery file of the design, if any.
fn newest_kept(app: &App) -> Option<PathBuf> {
    let (dir, prefix) = kept_prefix(app)?;
    let mut kept: Vec<(SystemTime, PathBuf)> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| e.file_name().to_string_lossy().ends_with(".ron"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    kept.sort();
    kept.pop().map(|(_, p)| p)
}

/// Remove temporaries that saves of processes no longer running left in the design's folder
/// and the saves folder (issue 17, L1).
pub fn clean_stale_temps(app: &App) {
    if !app.allow_io {
        return;
    }
    let mut dirs = vec![paths::saves_dir()];
    if let Some(dir) = recovery_path(app).parent() {
        dirs.push(dir.to_path_buf());
    }
    dirs.dedup();
    for d in dirs {
        io::save::clean_stale_temps(&d);
    }
}

/// Remove the recovery file (after a save, or quitting without saving on purpose); a write
/// running beside the UI finishes first, so it cannot bring the file back.
pub fn remove_recovery(app: &mut App) {
    settle(app);
    if app.allow_io {
        let _ = std::fs::remove_file(recovery_path(app));
    }
}

/// On a tick: write the recovery file when the design changed a while ago and is unsaved;
/// remove it when undo went back to the saved design. A large design is written beside the UI
/// ([`BACKGROUND_WRITE`]): this tick starts the write and a later one takes its outcome.
pub fn autosave_tick(app: &mut App, now: Instant) {
    if app.autosave.writing.as_ref().is_some_and(|w| w.done.is_finished()) {
        settle(app);
    }
    if !app.autosave.enabled || !app.allow_io || app.autosave.written_rev == app.rev || app.autosave.writing.is_some() {
        return;
    }
    if app.autosave.last_write.is_some_and(|t| now.duration_since(t) < AUTOSAVE_DELAY) {
        return;
    }
    app.autosave.last_write = Some(now);
    if !app.dirty() {
        remove_recovery(app);
        app.autosave.written_rev = app.rev;
        return;
    }
    let path = recovery_path(app);
    if app.design.resources().count() > BACKGROUND_WRITE {
        let design = app.design.clone();
        let spawned = std::thread::Builder::new().name("autosave".into()).spawn(move || write_design(&design, path));
        match spawned {
            Ok(done) => app.autosave.writing = Some(Writing { rev: app.rev, done }),
            Err(e) => app.error(crate::l10n::uif(app.lang(), "autosave failed: {e}", &[("e", &e)])),
        }
        return;
    }
    match write_design(&app.design, path) {
        Ok(_) => app.autosave.written_rev = app.rev,
        // `written_rev` stays behind, so the next tick after the delay tries again.
        Err(e) => app.error(crate::l10n::uif(app.lang(), "autosave failed: {e}", &[("e", &e)])),
    }
}

/// After an operation that failed (an open that did not load, …): have the next tick write
/// the recovery file again at once when the design in memory has unsaved changes, whatever
/// happened to the file meanwhile.
pub fn refresh_recovery(app: &mut App) {
    settle(app);
    if app.dirty() {
        app.autosave.written_rev = u64::MAX;
        app.autosave.last_write = None;
    }
}

/// At start-up: a recovery file means the last session ended without saving. Returns its path
/// (or else the newest kept one) so the app can offer it; only the user discards one.
pub fn pending_recovery(app: &App) -> Option<PathBuf> {
    if !app.allow_io {
        return None;
    }
    let rec = recovery_path(app);
    if rec.is_file() {
        return Some(rec);
    }
    newest_kept(app)
}

/// Whether the design file changed after the recovery file was written (the question says so).
pub fn older_than_design(app: &App, rec: &Path) -> bool {
    let time = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((time(rec), app.path.as_deref().and_then(time)), (Some(r), Some(d)) if d > r)
}

/// A recovery file's age, for the question.
pub fn age(path: &Path, lang: crate::l10n::Lang) -> String {
    use crate::l10n::{ui, uif};
    let Ok(t) = std::fs::metadata(path).and_then(|m| m.modified()) else { return ui(lang, "unknown") };
    let secs = SystemTime::now().duration_since(t).map(|d| d.as_secs()).unwrap_or(0);
    match secs {
        0..=59 => uif(lang, "{n} s ago", &[("n", &secs)]),
        60..=3599 => uif(lang, "{n} min ago", &[("n", &(secs / 60))]),
        3600..=86399 => uif(lang, "{n} h ago", &[("n", &(secs / 3600))]),
        _ => uif(lang, "{n} days ago", &[("n", &(secs / 86400))]),
    }
}
