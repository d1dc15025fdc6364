//! The vault's life beyond unlock and lock: a new passphrase, encrypted backups, and forgetting
//! everything.
//!
//! Each change is all-or-nothing. The new vault text is produced and opened again before a
//! single `chrome.storage.local` write replaces the old one, so a failure at any step leaves
//! the previous vault, which its old passphrase still opens. A backup is checked against its
//! passphrase before anything in this browser is touched.

use halo_core::vault::{self, KdfParams, VaultContents, VaultError, VaultFile, VaultKey};
use halo_extension_shared::chrome::{self, StorageArea};
use halo_extension_shared::messages::{PopupRequest, RestorePreview, VaultBackup, VaultSettings};
use halo_extension_shared::passphrase::passphrase_forms;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::error::{Result, WorkerError};
use crate::vault_store::{self, Unlocked, VAULT};
use crate::{auto_lock, runtime, write_lock};

/// The word the trader types to confirm [`forget_everything`].
pub const FORGET_CONFIRMATION: &str = "FORGET";
/// The shortest new passphrase accepted, as for a new vault (spaces not counted).
pub const MIN_PASSPHRASE_CHARS: usize = vault::MIN_PASSPHRASE_CHARS;

/// Answers the requests of this module: `Ok(Some(data))` for those with an answer of their
/// own, `Ok(None)` when the popup should get the new status, as after any change.
pub async fn answer(request: PopupRequest) -> Result<Option<Value>> {
    match request {
        PopupRequest::EditAccount {
            account_id,
            account,
        } => vault_store::edit_account(&account_id, &account).await?,
        PopupRequest::DeleteAccount { account_id } => {
            vault_store::delete_account(&account_id).await?;
        }
        PopupRequest::ChangePassphrase {
            current,
            new_passphrase,
        } => {
            change_passphrase(&current, &new_passphrase).await?;
        }
        PopupRequest::ExportVault => return Ok(Some(to_value(&export().await?)?)),
        PopupRequest::PreviewRestore { backup, passphrase } => {
            let preview = preview_restore(&backup, &passphrase).await?;
            return Ok(Some(to_value(&preview)?));
        }
        PopupRequest::ImportVault {
            backup,
            passphrase,
            seen_revision,
        } => {
            import(&backup, &passphrase, seen_revision).await?;
        }
        PopupRequest::ForgetEverything { confirmation } => {
            forget_everything(&confirmation).await?;
        }
        PopupRequest::VaultSettings => return Ok(Some(to_value(&settings().await?)?)),
        PopupRequest::SetAutoLock { minutes } => auto_lock::set_minutes(minutes).await?,
        other => {
            // Only the requests above are routed here.
            let kind = serde_json::to_value(&other)
                .ok()
                .and_then(|v| v.get("type").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_default();
            return Err(WorkerError::BadRequest(kind));
        }
    }
    Ok(None)
}

/// Re-encrypts the vault under `new_passphrase`, with a new salt and today's default KDF
/// settings, after checking `current` opens it.
pub async fn change_passphrase(current: &str, new_passphrase: &str) -> Result<()> {
    let (current, new_passphrase) = (passphrase_forms(current), passphrase_forms(new_passphrase));
    vault::check_new_passphrase(&new_passphrase)?;
    if new_passphrase.composed() == current.composed() {
        return Err(WorkerError::SamePassphrase);
    }
    let _writing = write_lock::acquire(write_lock::Stored::Vault).await;
    let Unlocked { file, contents, .. } = vault_store::unlocked().await?;
    // The key in session storage proves the vault is open, not who is at the keyboard.
    vault::open_with_passphrase(&file, &current)?;

    let kdf = KdfParams::default();
    let salt: [u8; 16] = runtime::random_bytes()?;
    let key = vault::derive_new_key(&new_passphrase, &kdf, &salt)?;
    let text = sealed_and_checked(&key, kdf, salt, file.revision() + 1, &contents)?;

    let now = vault_store::stored().await?.ok_or(WorkerError::NoVault)?;
    if now.revision() != file.revision() {
        return Err(WorkerError::VaultChanged);
    }
    chrome::storage_set(StorageArea::Local, VAULT, &*text).await?;
    vault_store::keep_key(&key).await
}

/// The stored vault's text, for a backup file. Refused while locked, so a backup is only
/// taken by someone who could open it.
pub async fn export() -> Result<VaultBackup> {
    let Unlocked { file, .. } = vault_store::unlocked().await?;
    Ok(VaultBackup {
        text: file.to_json(),
    })
}

/// Opens `backup` with `passphrase` and says what restoring it would remove or undo here.
/// Changes nothing.
pub async fn preview_restore(backup: &str, passphrase: &str) -> Result<RestorePreview> {
    let (_, _, in_backup) = open_backup(backup, passphrase)?;
    let stored_revision = stored_revision().await;
    let here = vault_store::unlocked().await.ok();
    let here = here.as_ref().map(|unlocked| &unlocked.contents);
    Ok(RestorePreview {
        in_backup: labels(&in_backup),
        removed: here.map(|here| removed_by_restore(here, &in_backup)),
        reverted: here.map(|here| reverted_by_restore(here, &in_backup)),
        stored_revision,
    })
}

/// Replaces the vault (if any) with `backup`, which `passphrase` must open; leaves Halo
/// unlocked with the backup's accounts. `seen_revision` is the stored revision the trader
/// confirmed against; a vault changed since (an account added in another window) is not
/// replaced, since the change was never shown.
pub async fn import(backup: &str, passphrase: &str, seen_revision: Option<u64>) -> Result<()> {
    let (file, key, contents) = open_backup(backup, passphrase)?;

    let _writing = write_lock::acquire(write_lock::Stored::Vault).await;
    let stored_revision = stored_revision().await;
    if stored_revision != seen_revision {
        return Err(WorkerError::RestoreOutdated);
    }
    // Sealed again above whatever revision is stored here, so no copy of the replaced vault
    // can pass for newer than the restored one.
    let revision = stored_revision.unwrap_or(0).max(file.revision()) + 1;
    let text = sealed_and_checked(&key, *file.kdf(), *file.salt(), revision, &contents)?;

    // Sessions belonged to the replaced vault's accounts.
    vault_store::lock().await?;
    chrome::storage_set(StorageArea::Local, VAULT, &*text).await?;
    vault_store::keep_key(&key).await?;
    auto_lock::arm().await
}

/// The revision of the vault stored here; `None` when there is none, or none readable.
async fn stored_revision() -> Option<u64> {
    vault_store::stored()
        .await
        .ok()
        .flatten()
        .map(|stored| stored.revision())
}

/// The backup file, the key `passphrase` derives for it, and what it holds.
fn open_backup(backup: &str, passphrase: &str) -> Result<(VaultFile, VaultKey, VaultContents)> {
    // The backup's own damage, not the stored vault's: that one is not touched.
    let file = VaultFile::parse(backup).map_err(|error| match error {
        VaultError::Damaged { reason } => WorkerError::NotABackup { reason },
        other => other.into(),
    })?;
    let (key, contents) = vault::open_with_passphrase(&file, &passphrase_forms(passphrase))?;
    Ok((file, key, contents))
}

/// The labels of what is in `stored` and not in `backup`, matched by Halo's own ids (which a
/// backup keeps).
fn removed_by_restore(stored: &VaultContents, backup: &VaultContents) -> Vec<String> {
    let kept = |id: &str| {
        backup.accounts.iter().any(|account| account.id == id)
            || backup.totp_entries.iter().any(|entry| entry.id == id)
    };
    let accounts = stored.accounts.iter().filter(|account| !kept(&account.id));
    let entries = stored.totp_entries.iter().filter(|entry| !kept(&entry.id));
    accounts
        .map(vault::Account::display_name)
        .chain(entries.map(vault::TotpEntry::display_name))
        .collect()
}

/// The labels of what is in both `stored` and `backup` but differs (renamed, another key,
/// MPIN or secret), as stored here: restoring returns them to the backup's version.
fn reverted_by_restore(stored: &VaultContents, backup: &VaultContents) -> Vec<String> {
    let accounts = stored.accounts.iter().filter(|account| {
        let theirs = backup
            .accounts
            .iter()
            .find(|theirs| theirs.id == account.id);
        theirs.is_some_and(|theirs| theirs != *account)
    });
    let entries = stored.totp_entries.iter().filter(|entry| {
        let theirs = backup
            .totp_entries
            .iter()
            .find(|theirs| theirs.id == entry.id);
        theirs.is_some_and(|theirs| theirs != *entry)
    });
    accounts
        .map(vault::Account::display_name)
        .chain(entries.map(vault::TotpEntry::display_name))
        .collect()
}

/// The labels of every account and TOTP entry in `contents`.
fn labels(contents: &VaultContents) -> Vec<String> {
    let accounts = contents.accounts.iter().map(vault::Account::display_name);
    accounts
        .chain(
            contents
                .totp_entries
                .iter()
                .map(vault::TotpEntry::display_name),
        )
        .collect()
}

/// Deletes the vault, its key, every session and every setting from this browser.
pub async fn forget_everything(confirmation: &str) -> Result<()> {
    if confirmation.trim() != FORGET_CONFIRMATION {
        return Err(WorkerError::NotConfirmed);
    }
    let _writing = write_lock::acquire(write_lock::Stored::Vault).await;
    for area in [StorageArea::Session, StorageArea::Local] {
        let keys = chrome::storage_keys(area).await?;
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        chrome::storage_remove(area, &keys).await?;
    }
    auto_lock::disarm().await
}

/// The vault's settings.
pub async fn settings() -> Result<VaultSettings> {
    Ok(VaultSettings {
        auto_lock_minutes: auto_lock::minutes().await?,
    })
}

/// Seals `contents` and proves the result opens again to the same contents before anyone
/// stores it.
fn sealed_and_checked(
    key: &VaultKey,
    kdf: KdfParams,
    salt: [u8; 16],
    revision: u64,
    contents: &VaultContents,
) -> Result<Zeroizing<String>> {
    let sealed = VaultFile::seal(key, kdf, salt, runtime::random_bytes()?, revision, contents)?;
    let text = Zeroizing::new(sealed.to_json());
    let reread = VaultFile::parse(&text)?.open(key)?;
    if &reread != contents {
        return Err(WorkerError::Vault(vault::VaultError::SealFailed));
    }
    Ok(text)
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|_| WorkerError::BadRequest("answer".to_owned()))
}
