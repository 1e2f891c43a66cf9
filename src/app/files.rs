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

/// Everything the picker offers: saves, the data directory, the built-in examples.
pub fn picker_entries() -> Vec<PickerEntry> {
    let mut out = Vec::new();
    let saves = paths::saves_dir();
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

/// Load a design from a source. Files go through `io::load_any`, which reads vpcraft's RON and
/// the import formats (CloudFormation templates, `aws ec2 describe-*` JSON). Returns the design,
/// the path saves go to (only for RON: an imported file is never overwritten), and a name for
/// the status bar when there is no such path.
pub fn load(source: &Source) -> Result<(Design, Option<PathBuf>, String), String> {
    match source {
        Source::Example(name) => crate::assets::example(name)
            .map(|d| (d, None, format!("example {name}")))
            .ok_or_else(|| format!("no built-in example named '{name}'")),
        Source::File(p) => {
            let design = io::load_any(p).map_err(|e| e.to_string())?;
            Ok(match save_target(p) {
                Some(path) => (design, Some(path), String::new()),
                None => (design, None, imported_label(p)),
            })
        }
    }
}

pub use crate::io::detect::{imported_label, save_target};

/// Where "save as" puts a name: a bare name goes to the saves folder and gets `.ron`.
pub fn resolve_save_path(text: &str) -> PathBuf {
    let t = text.trim();
    let p = PathBuf::from(t);
    let p = if p.components().count() == 1 && !t.starts_with('.') { paths::saves_dir().join(p) } else { p };
    if p.extension().is_none() {
        p.with_extension("ron")
    } else {
        p
    }
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

/// Save to a path; on success the design is clean and the recovery file goes.
pub fn save_to(app: &mut App, path: PathBuf) -> Result<(), String> {
    if !app.allow_io {
        return Err("file access is off".into());
    }
    native::save_file(&app.design, &path)?;
    let old_recovery = recovery_path(app);
    app.path = Some(path.clone());
    app.saved_rev = app.rev;
    app.autosave.written_rev = app.rev;
    let _ = std::fs::remove_file(old_recovery);
    let _ = std::fs::remove_file(recovery_path(app));
    app.info(format!("saved {}", path.display()));
    Ok(())
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

/// Write the recovery file now (atomically: a crash mid-write leaves the previous one).
pub fn write_recovery(app: &App) -> Result<PathBuf, String> {
    let path = recovery_path(app);
    let text = native::to_string(&app.design)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })?;
    Ok(path)
}

/// Remove the recovery file (after a save, or quitting without saving on purpose).
pub fn remove_recovery(app: &App) {
    if app.allow_io {
        let _ = std::fs::remove_file(recovery_path(app));
    }
}

/// On a tick: write the recovery file when the design changed a while ago and is unsaved;
/// remove it when undo went back to the saved design.
pub fn autosave_tick(app: &mut App, now: Instant) {
    if !app.autosave.enabled || !app.allow_io || app.autosave.written_rev == app.rev {
        return;
    }
    if app.autosave.last_write.is_some_and(|t| now.duration_since(t) < AUTOSAVE_DELAY) {
        return;
    }
    app.autosave.last_write = Some(now);
    if app.dirty() {
        match write_recovery(app) {
            Ok(_) => app.autosave.written_rev = app.rev,
            // `written_rev` stays behind, so the next tick after the delay tries again.
            Err(e) => app.error(format!("autosave failed: {e}")),
        }
    } else {
        remove_recovery(app);
        app.autosave.written_rev = app.rev;
    }
}

/// After an operation that failed (an open that did not load, …): have the next tick write
/// the recovery file again at once when the design in memory has unsaved changes, whatever
/// happened to the file meanwhile.
pub fn refresh_recovery(app: &mut App) {
    if app.dirty() {
        app.autosave.written_rev = u64::MAX;
        app.autosave.last_write = None;
    }
}

/// At start-up: a recovery file newer than the design means the last session ended without
/// saving. Returns its path so the app can offer it.
pub fn pending_recovery(app: &App) -> Option<PathBuf> {
    if !app.allow_io {
        return None;
    }
    let rec = recovery_path(app);
    let rec_time = std::fs::metadata(&rec).and_then(|m| m.modified()).ok()?;
    let file_time = app.path.as_deref().and_then(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    match file_time {
        Some(t) if t > rec_time => {
            // The design was saved after the recovery file was written: it is stale.
            let _ = std::fs::remove_file(&rec);
            None
        }
        _ => Some(rec),
    }
}

/// A recovery file's age, for the question.
pub fn age(path: &Path) -> String {
    let Ok(t) = std::fs::metadata(path).and_then(|m| m.modified()) else { return "unknown".into() };
    let secs = SystemTime::now().duration_since(t).map(|d| d.as_secs()).unwrap_or(0);
    match secs {
        0..=59 => format!("{secs} s ago"),
        60..=3599 => format!("{} min ago", secs / 60),
        3600..=86399 => format!("{} h ago", secs / 3600),
        _ => format!("{} days ago", secs / 86400),
    }
}
