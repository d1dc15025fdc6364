//! The pairings the companion keeps (`pairings.json` in its config folder, readable by this
//! user only), and the code of a pairing waiting for the person's confirmation
//! (`pairing-code.json`, shown by `halo pairing`).
//!
//! A pairing key is the one secret the companion stores for the extension: whoever holds it can
//! ask the companion to place orders with a session token of their own, so the file is private
//! and a pairing is tied to the browser origin that made it.

use std::path::PathBuf;

use anyhow::Context;
use halo_core::pairing::Pairing;
use serde::{Deserialize, Serialize};

use crate::cli::store::write_private;
use crate::config;

const PAIRINGS_FILE: &str = "pairings.json";
const PENDING_FILE: &str = "pairing-code.json";

/// A confirmed pairing and whom it was made with.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Paired {
    /// The pairing (id and key).
    pub pairing: Pairing,
    /// The browser origin that made it, such as `chrome-extension://<id>/`.
    pub origin: String,
    /// The browser's name, as the extension reported it.
    pub browser: String,
    /// When it was confirmed, Unix seconds.
    pub paired_at: u64,
}

/// A code shown to the person, waiting for their confirmation in the popup.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pending {
    /// The six digits, as `123 456`.
    pub code: String,
    /// The browser origin asking.
    pub origin: String,
    /// When the code was shown, Unix seconds.
    pub shown_at: u64,
}

fn path(name: &str) -> anyhow::Result<PathBuf> {
    Ok(config::config_dir()?.join(name))
}

/// Every pairing kept; none when the file is missing.
pub fn load() -> anyhow::Result<Vec<Paired>> {
    let path = path(PAIRINGS_FILE)?;
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .with_context(|| format!("{} is damaged; remove it and pair again", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Replaces the kept pairings.
pub fn save(all: &[Paired]) -> anyhow::Result<()> {
    write_private(&path(PAIRINGS_FILE)?, &serde_json::to_string_pretty(all)?)
}

/// Adds a confirmed pairing. An origin keeps one pairing: pairing again replaces the old one.
pub fn add(paired: Paired) -> anyhow::Result<()> {
    let mut all = load()?;
    all.retain(|old| old.origin != paired.origin);
    all.push(paired);
    save(&all)
}

/// The pairing with this id, if it was made by `origin`.
pub fn find(id: &str, origin: &str) -> anyhow::Result<Option<Paired>> {
    Ok(load()?
        .into_iter()
        .find(|paired| paired.pairing.id == id && paired.origin == origin))
}

/// Records the code being shown, for `halo pairing`.
pub fn show_pending(pending: &Pending) -> anyhow::Result<()> {
    write_private(&path(PENDING_FILE)?, &serde_json::to_string(pending)?)
}

/// The code being shown, if any.
pub fn pending() -> anyhow::Result<Option<Pending>> {
    match std::fs::read_to_string(path(PENDING_FILE)?) {
        Ok(text) => Ok(serde_json::from_str(&text).ok()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Forgets the code being shown (confirmed, refused or abandoned).
pub fn clear_pending() {
    // Nothing is lost if it stays: `halo pairing` says how old a code is.
    if let Ok(path) = path(PENDING_FILE) {
        let _ = std::fs::remove_file(path);
    }
}

/// Unix seconds now.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}
