//! The companion's files in its config folder: the vault (`vault.json`, the same format as the
//! extension's backup) and the sessions of logged-in accounts (`sessions/<account id>.json`).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use halo_core::session::Session;
use halo_core::smartapi::Endpoint;
use halo_core::vault::{Account, VaultContents, VaultFile, derive_key, printable};
use serde::{Deserialize, Serialize};

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
        Err(error) => return Err(error).context(format!("cannot read {}", path.display())),
    };
    Ok(VaultFile::parse(&text)?)
}

/// Opens the vault with a passphrase asked for now. Labels and client codes come back
/// printable: the CLI shows them on a terminal, and a vault written by something other than
/// Halo's forms could carry escape sequences in them.
pub fn open_vault(file: &VaultFile) -> anyhow::Result<VaultContents> {
    let passphrase = super::prompt::passphrase("Vault passphrase: ")?;
    let key = derive_key(&passphrase, file.kdf(), file.salt())?;
    let mut contents = file.open(&key)?;
    for account in &mut contents.accounts {
        account.label = printable(&account.label);
        account.client_code = printable(&account.client_code);
    }
    Ok(contents)
}

/// Writes `text` to `path` through a temporary file, so a crash never leaves half a vault;
/// readable by this user only.
pub fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path.parent().context("a file path without a folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let temporary = path.with_extension("json.new");
    std::fs::write(&temporary, text)
        .with_context(|| format!("cannot write {}", temporary.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::rename(&temporary, path).with_context(|| format!("cannot replace {}", path.display()))
}

/// The account named by `wanted` (label, client code or id, any case), or the only one.
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
    accounts
        .iter()
        .find(|account| {
            account.label.eq_ignore_ascii_case(wanted)
                || account.client_code.eq_ignore_ascii_case(wanted)
                || account.id == wanted
        })
        .with_context(|| format!("no account called {wanted}; see `halo vault list`"))
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
