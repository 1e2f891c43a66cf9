//! Where designs are saved: `saves/` in a checkout that has it, else the platform data
//! directory. Both can be overridden with `VPCRAFT_SAVES_DIR`.

use std::path::PathBuf;

/// The directory new designs are saved to.
pub fn saves_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("VPCRAFT_SAVES_DIR") {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from("saves");
    if local.is_dir() {
        return local;
    }
    data_dir().map(|d| d.join("saves")).unwrap_or(local)
}

/// The platform data directory (`~/.local/share/vpcraft` on Linux), or `VPCRAFT_DATA_DIR`.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("VPCRAFT_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("dev", "vpcraft", "vpcraft").map(|p| p.data_dir().to_path_buf())
}

/// The platform config directory, where a user theme lives (`~/.config/vpcraft`).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("VPCRAFT_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("dev", "vpcraft", "vpcraft").map(|p| p.config_dir().to_path_buf())
}
