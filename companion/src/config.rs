//! Where the companion keeps its own files: the platform's config folder (`~/.config/halo` on
//! Linux, `~/Library/Application Support/halo` on macOS, `%APPDATA%\halo` on Windows), or
//! `HALO_CONFIG_DIR` when set (tests, or a second vault).

use std::path::{Path, PathBuf};

/// The environment variable that moves the config folder.
pub const CONFIG_DIR_ENV: &str = "HALO_CONFIG_DIR";

/// The file listing extension ids allowed besides Halo's own.
const ALLOWED_IDS_FILE: &str = "allowed-extensions.json";

/// The config folder could not be found (no home directory).
#[derive(Debug, thiserror::Error)]
#[error("cannot find a home folder for Halo's files; set {CONFIG_DIR_ENV} to a folder")]
pub struct NoConfigDir;

/// The companion's config folder. It may not exist yet.
pub fn config_dir() -> Result<PathBuf, NoConfigDir> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|dir| !dir.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::BaseDirs::new()
        .map(|base| base.config_dir().join("halo"))
        .ok_or(NoConfigDir)
}

/// Creates `dir` and any missing parents, open to this user only: Halo's folders hold the vault,
/// pairing keys and login tokens, and a folder others cannot enter keeps them out even of a file
/// left with wider permissions (an older Halo's), and hides which accounts have sessions.
/// Folders that already exist keep their permissions, since `HALO_CONFIG_DIR` may name one the
/// user chose for other things.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Extension ids the user allowed with `halo install --extension-id`; empty when none.
pub fn allowed_extra_ids() -> Vec<String> {
    let Ok(dir) = config_dir() else {
        return Vec::new();
    };
    std::fs::read_to_string(dir.join(ALLOWED_IDS_FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Records the extra ids `halo install` was given, replacing the previous list.
pub fn save_allowed_extra_ids(ids: &[String]) -> std::io::Result<PathBuf> {
    let dir = config_dir().map_err(std::io::Error::other)?;
    create_private_dir(&dir)?;
    let path = dir.join(ALLOWED_IDS_FILE);
    let text = serde_json::to_string_pretty(ids).map_err(std::io::Error::other)?;
    std::fs::write(&path, text)?;
    Ok(path)
}
