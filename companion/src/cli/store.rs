//! The companion's files in its config folder: the vault (`vault.json`, the same format as the
//! extension's backup) and the sessions of logged-in accounts (`sessions/<account id>.json`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use halo_core::session::Session;
use halo_core::smartapi::Endpoint;
use halo_core::vault::{
    Account, PassphraseForms, VaultContents, VaultError, VaultFile, open_with_passphrase, printable,
};
use serde::{Deserialize, Serialize};

use super::names::NameProblem;
use crate::config;

/// The vault file's path.
pub fn vault_path() -> anyhow::Result<PathBuf> {
    Ok(config::config_dir()?.join("vault.json"))
}

/// The stored vault, still encrypted.
pub fn load_vault() -> anyhow::Result<VaultFile> {
    let path = vault_path()?;
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => bail!(
            "there is no vault at {}; create one with `halo vault init` or bring the \
             extension's backup with `halo vault import FILE`",
            path.display()
        ),
        // Not UTF-8: whatever overwrote the vault (an image, a binary) is not a vault.
        Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
            return Err(VaultError::Damaged {
                reason: "it is not text",
            })
            .context(format!("cannot open {}", path.display()));
        }
        Err(error) => return Err(error).context(format!("cannot read {}", path.display())),
    };
    Ok(VaultFile::parse(without_bom(&text))?)
}

/// `text` without a leading byte-order mark. Windows editors (Notepad, PowerShell 5's
/// `Set-Content -Encoding utf8`) start a UTF-8 file with one; JSON parsers refuse it, and the
/// extension's restore takes such a file, so the companion must too.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// Opens the vault with a passphrase asked for now. Labels, client codes and entry names come
/// back printable: the CLI shows them on a terminal, and a vault written by something other
/// than Halo's forms could carry escape sequences in them.
pub fn open_vault(file: &VaultFile) -> anyhow::Result<VaultContents> {
    let passphrase = super::prompt::passphrase("Vault passphrase: ")?;
    let (_, mut contents) = open_with_passphrase(file, &PassphraseForms::of(&passphrase))?;
    for account in &mut contents.accounts {
        account.label = printable(&account.label);
        account.client_code = printable(&account.client_code);
    }
    for entry in &mut contents.totp_entries {
        entry.issuer = printable(&entry.issuer);
        entry.account_name = printable(&entry.account_name);
    }
    Ok(contents)
}

/// Writes `text` to `path` through a temporary file, so a crash never leaves half a vault;
/// readable by this user only from the moment the file exists, in a folder only this user can
/// enter when Halo creates it. When `path` is a symbolic link (a vault kept in a synced folder),
/// the file it points to is replaced and the link is kept.
pub fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path.parent().context("a file path without a folder")?;
    config::create_private_dir(dir).with_context(|| format!("cannot create {}", dir.display()))?;

    let target = link_target(path)?;
    let cannot_write = || {
        if target == path {
            format!("cannot write {}", path.display())
        } else {
            format!(
                "cannot write {}, the file {} links to; check that its folder is there",
                target.display(),
                path.display()
            )
        }
    };
    let temporary = temporary_path(&target).with_context(cannot_write)?;
    let written = create_private(&temporary).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        // On disk before the rename, or a power cut could leave an empty vault in its place.
        file.sync_all()
    });
    if let Err(error) = written {
        // Best effort: a leftover is removed by the next write anyway.
        let _ = std::fs::remove_file(&temporary);
        return Err(error).with_context(cannot_write);
    }
    std::fs::rename(&temporary, &target).with_context(cannot_write)
}

/// The most symbolic links followed to the file behind a path, as Linux does.
const MAX_LINKS: usize = 40;

/// Where a write to `path` should land: `path` itself or, when it is a symbolic link, the file
/// the links finally name, which need not exist yet. Renaming over the link instead would make
/// it an ordinary file and leave its target, often a synced copy, silently out of date.
fn link_target(path: &Path) -> anyhow::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let is_link = std::fs::symlink_metadata(&current)
            .is_ok_and(|metadata| metadata.file_type().is_symlink());
        if !is_link {
            return Ok(current);
        }
        let next = std::fs::read_link(&current)
            .with_context(|| format!("cannot follow the link {}", current.display()))?;
        // A relative link is relative to the folder holding it; joining an absolute one
        // replaces the folder.
        current = match current.parent() {
            Some(dir) => dir.join(next),
            None => next,
        };
    }
    bail!(
        "{} leads through more than {MAX_LINKS} links; point it straight at the file",
        path.display()
    )
}

/// The temporary file beside `path` that is renamed over it: `vault.json.new`.
fn temporary_path(path: &Path) -> anyhow::Result<PathBuf> {
    let mut name = path
        .file_name()
        .with_context(|| format!("{} does not name a file", path.display()))?
        .to_owned();
    name.push(".new");
    Ok(path.with_file_name(name))
}

/// Creates `path` afresh, readable and writable by this user only from its first instant, so
/// no other user can open it between its creation and a change of permissions. A file left
/// there by an interrupted write is removed first: its permissions cannot be trusted, and
/// `create_new` refuses to follow a link put in its place.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// The account named by `wanted` (see [`super::names`]), or the only one.
pub fn pick_account<'a>(
    contents: &'a VaultContents,
    wanted: Option<&str>,
) -> anyhow::Result<&'a Account> {
    let accounts = &contents.accounts;
    let Some(wanted) = wanted else {
        return match accounts.as_slice() {
            [only] => Ok(only),
            [] => bail!("the vault has no Angel account; add one in the extension and import it"),
            _ => bail!(
                "the vault has {} accounts; name one (see `halo vault list`)",
                accounts.len()
            ),
        };
    };
    match super::names::account_named(contents, wanted) {
        Ok(account) => Ok(account),
        Err(NameProblem::Nothing) => bail!("no account called {wanted}; see `halo vault list`"),
        Err(NameProblem::Several(names)) => bail!(
            "several accounts answer to {wanted}: {}; give one of these names instead",
            names.join(", ")
        ),
    }
}

/// A session kept between commands, with the endpoint it belongs to.
#[derive(Serialize, Deserialize)]
pub struct StoredSession {
    /// The API root the session was obtained from.
    pub endpoint: String,
    /// The tokens.
    pub session: Session,
}

fn session_path(account_id: &str) -> anyhow::Result<PathBuf> {
    // Ids are Halo's own (letters, digits, '-'); anything else is replaced to stay in the folder.
    let safe: String = account_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(config::config_dir()?
        .join("sessions")
        .join(format!("{safe}.json")))
}

/// Keeps an account's session for later commands.
// TODO: the tokens sit in a file only this user can read, like other trading CLIs' sessions;
// sealing them under the vault key would need the passphrase for every `halo orders`.
pub fn save_session(
    account_id: &str,
    endpoint: &Endpoint,
    session: &Session,
) -> anyhow::Result<()> {
    let stored = StoredSession {
        endpoint: endpoint.root().to_owned(),
        session: session.clone(),
    };
    write_private(&session_path(account_id)?, &serde_json::to_string(&stored)?)
}

/// The session `halo login` kept for an account, if any.
pub fn load_session(account_id: &str) -> anyhow::Result<Option<StoredSession>> {
    match std::fs::read_to_string(session_path(account_id)?) {
        Ok(text) => Ok(serde_json::from_str(&text).ok()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Forgets an account's session, as when Angel says it is over.
pub fn forget_session(account_id: &str) -> anyhow::Result<()> {
    match std::fs::remove_file(session_path(account_id)?) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
        _ => Ok(()),
    }
}

/// Unix time now, in milliseconds (JavaScript's `Date.now()`, as sessions record it).
pub fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |elapsed| elapsed.as_millis() as f64)
}

#[cfg(test)]
mod tests {
    // Test code: a failed unwrap is a failed test, which is what it should be.
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn the_temporary_file_is_private_before_a_byte_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let temporary = dir.path().join("vault.json.new");
        drop(create_private(&temporary).unwrap());
        assert_eq!(mode(&temporary), 0o600);
        assert_eq!(std::fs::metadata(&temporary).unwrap().len(), 0);

        // One left readable by an interrupted write of an older Halo is not reused as it is.
        std::fs::write(&temporary, "old tokens").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(create_private(&temporary).unwrap());
        assert_eq!(mode(&temporary), 0o600);
        assert_eq!(std::fs::metadata(&temporary).unwrap().len(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_write_keeps_the_folders_it_creates_and_the_file_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("halo/sessions/acct.json");
        write_private(&path, "{}").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("halo")), 0o700);
        assert_eq!(mode(&dir.path().join("halo/sessions")), 0o700);
        assert!(!dir.path().join("halo/sessions/acct.json.new").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_file_not_yet_there_is_written_through_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("halo")).unwrap();
        std::fs::create_dir_all(dir.path().join("synced")).unwrap();
        let link = dir.path().join("halo/vault.json");
        // Two links, the first relative, the second to a file that does not exist yet.
        std::os::unix::fs::symlink("../synced/hop", &link).unwrap();
        std::os::unix::fs::symlink("vault.json", dir.path().join("synced/hop")).unwrap();

        write_private(&link, "first").unwrap();
        write_private(&link, "second").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let target = dir.path().join("synced/vault.json");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "second");
        assert_eq!(mode(&target), 0o600);

        let looped = dir.path().join("halo/loop.json");
        std::os::unix::fs::symlink("loop.json", &looped).unwrap();
        let error = write_private(&looped, "x").unwrap_err().to_string();
        assert!(error.contains("more than 40 links"), "{error}");
    }
}
