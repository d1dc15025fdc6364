//! The vault in the browser's storage: created, unlocked, locked and added to.
//!
//! The sealed vault (halo-core's JSON text) lives in `chrome.storage.local` under `vault`; the
//! key derived from the passphrase lives in `chrome.storage.session` under `vault_key` while
//! Halo is unlocked, so it survives the worker being stopped but not the browser closing. Two
//! Halo windows may edit at once: writes queue behind [`crate::write_lock`], and each still
//! checks that the stored revision is the one it read before it stores its own.

use std::sync::atomic::{AtomicBool, Ordering};

use halo_core::vault::{self, Account, KdfParams, VaultContents, VaultFile, VaultKey};
use halo_extension_shared::chrome::{self, StorageArea};
use halo_extension_shared::messages::AccountForm;
use halo_extension_shared::passphrase::passphrase_forms;
use zeroize::Zeroizing;

use crate::error::{Result, WorkerError};
use crate::{auto_lock, runtime, write_lock};

/// The sealed vault's key in `chrome.storage.local`.
pub const VAULT: &str = halo_extension_shared::messages::VAULT_STORAGE_KEY;
const VAULT_KEY: &str = "vault_key";

/// The vault opened with the key in session storage.
pub struct Unlocked {
    /// The stored file, kept for its header (KDF, salt) and revision.
    pub file: VaultFile,
    /// The key that opened it.
    pub key: VaultKey,
    /// The accounts.
    pub contents: VaultContents,
}

impl Unlocked {
    /// The account with this id.
    pub fn account(&self, id: &str) -> Result<&Account> {
        self.contents
            .accounts
            .iter()
            .find(|a| a.id == id)
            .ok_or(WorkerError::NoAccount)
    }
}

/// The stored vault file, if one exists.
pub async fn stored() -> Result<Option<VaultFile>> {
    match stored_value().await? {
        None => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(VaultFile::parse(&text)?)),
        Some(_) => Err(vault::VaultError::Damaged {
            reason: "what is stored is not the vault's text",
        }
        .into()),
    }
}

/// Whether anything is stored under the vault's key, readable or not. A damaged vault still
/// exists: the popup then asks for the passphrase, and the unlock says what is wrong and offers
/// Restore and Forget everything.
pub async fn exists() -> Result<bool> {
    Ok(stored_value().await?.is_some())
}

/// Whatever is stored under the vault's key. Halo writes text there; anything else (another
/// program's value, a hand edit) must still read, so that it can be reported as damaged.
async fn stored_value() -> Result<Option<serde_json::Value>> {
    Ok(chrome::storage_get(StorageArea::Local, VAULT).await?)
}

/// Whether the vault key is in session storage.
pub async fn has_key() -> Result<bool> {
    let key: Option<String> = chrome::storage_get(StorageArea::Session, VAULT_KEY).await?;
    Ok(key.is_some())
}

/// Opens the vault with the key in session storage.
pub async fn unlocked() -> Result<Unlocked> {
    let file = stored().await?.ok_or(WorkerError::NoVault)?;
    let encoded: Option<Zeroizing<String>> =
        chrome::storage_get(StorageArea::Session, VAULT_KEY).await?;
    let encoded = encoded.ok_or(WorkerError::Locked)?;
    let key = VaultKey::from_base64(&encoded)?;
    let contents = file.open(&key)?;
    Ok(Unlocked {
        file,
        key,
        contents,
    })
}

/// Creates an empty vault protected by `passphrase` and leaves it unlocked.
pub async fn create(passphrase: &str) -> Result<()> {
    // The popup checks this too; a message from an older or altered popup must not make a
    // vault that eight spaces open.
    let passphrase = passphrase_forms(passphrase);
    vault::check_new_passphrase(&passphrase)?;
    let _writing = write_lock::acquire(write_lock::Stored::Vault).await;
    if exists().await? {
        return Err(WorkerError::VaultExists);
    }

    let kdf = KdfParams::default();
    let salt: [u8; 16] = runtime::random_bytes()?;
    let key = vault::derive_new_key(&passphrase, &kdf, &salt)?;
    let file = VaultFile::seal(
        &key,
        kdf,
        salt,
        runtime::random_bytes()?,
        1,
        &VaultContents::default(),
    )?;

    // Only this worker writes the vault, and it queues its writes; a check after the slow key
    // derivation still costs nothing.
    if exists().await? {
        return Err(WorkerError::VaultExists);
    }
    chrome::storage_set(StorageArea::Local, VAULT, &file.to_json()).await?;
    keep_key(&key).await
}

/// Derives the key from `passphrase`, checks it opens the vault, and keeps it for the session.
pub async fn unlock(passphrase: &str) -> Result<()> {
    let file = stored().await?.ok_or(WorkerError::NoVault)?;
    let (key, _) = vault::open_with_passphrase(&file, &passphrase_forms(passphrase))?;
    keep_key(&key).await
}

/// Whether this worker instance has already readied the key derivation.
static DERIVATION_WARM: AtomicBool = AtomicBool::new(false);

/// Readies the key derivation once per worker start, after the current answer is sent: the
/// popup just showed its unlock screen and the trader is typing the passphrase.
pub fn prepare_unlock() {
    if DERIVATION_WARM.swap(true, Ordering::Relaxed) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        // A zero timer runs after the reply in flight, so the unlock screen is not held up.
        runtime::sleep_secs(0).await;
        let kdf = match stored().await {
            Ok(Some(file)) => *file.kdf(),
            // The unlock will say what is wrong with the vault; ready the usual settings.
            Ok(None) | Err(_) => KdfParams::default(),
        };
        vault::warm_up_key_derivation(&kdf);
    });
}

/// Forgets the key and every session token. Page symbols and pending order intents stay: they
/// hold no secret, and an intent must outlive a lock to be reconciled.
pub async fn lock() -> Result<()> {
    let keys = chrome::storage_keys(StorageArea::Session).await?;
    let mut doomed: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|key| key.starts_with(crate::login::SESSION_PREFIX))
        .collect();
    doomed.push(VAULT_KEY);
    chrome::storage_remove(StorageArea::Session, &doomed).await?;
    auto_lock::disarm().await
}

/// Applies `edit` to the open vault's contents and stores the result, under the write lock.
/// Nothing is stored when `edit` fails, so an edit refuses by returning its error.
pub async fn change<T>(edit: impl FnOnce(&mut VaultContents) -> Result<T>) -> Result<T> {
    let _writing = write_lock::acquire(write_lock::Stored::Vault).await;
    let Unlocked {
        file,
        key,
        mut contents,
    } = unlocked().await?;

    let answer = edit(&mut contents)?;
    save(&file, &key, &contents).await?;
    Ok(answer)
}

/// The account with this id in `contents`, to be changed in place.
pub fn account_mut<'a>(contents: &'a mut VaultContents, id: &str) -> Result<&'a mut Account> {
    contents
        .accounts
        .iter_mut()
        .find(|account| account.id == id)
        .ok_or(WorkerError::NoAccount)
}

/// Adds an account typed in the popup and returns its new id.
pub async fn add_account(form: &AccountForm) -> Result<String> {
    let id = runtime::random_id()?;
    let account = if form.platform == "SMART_API_M" {
        halo_core::publisher::account_from_form(
            id.clone(),
            &form.label,
            &form.client_code,
            &form.api_key,
        )?
    } else {
        Account::from_form(
            id.clone(),
            &form.label,
            &form.client_code,
            &form.mpin,
            &form.api_key,
            &form.totp_secret,
        )?
    };
    let today = runtime::today_ist();
    let created = match form.api_key_created.trim() {
        "" => today.as_str(),
        typed => typed,
    };
    let account = account.with_api_key_created(created, &today)?;
    change(|contents| {
        contents.check_label_free(&account)?;
        contents.accounts.push(account);
        Ok(())
    })
    .await?;
    Ok(id)
}

/// Changes an account; blank secret fields keep their stored values. A change to what it logs
/// in with (client code, MPIN, API key, TOTP secret) logs it out: the session belongs to the old
/// credentials, and keeping it would show "Logged in" beside a login the new ones may fail.
pub async fn edit_account(account_id: &str, form: &AccountForm) -> Result<()> {
    let replaced = change(|contents| {
        let stored = account_mut(contents, account_id)?;
        let edited = stored
            .edited(
                &form.label,
                &form.client_code,
                &form.mpin,
                &form.api_key,
                &form.totp_secret,
            )?
            .with_api_key_created(&form.api_key_created, &runtime::today_ist())?;
        let replaced = (!edited.logs_in_as(stored)).then(|| stored.clone());
        contents.check_label_free(&edited)?;
        *account_mut(contents, account_id)? = edited;
        Ok(replaced)
    })
    .await?;
    if let Some(old) = replaced
        && let Err(error) = crate::sessions::log_out(&old).await
    {
        // The session is forgotten either way; Angel's copy ends with the trading day.
        runtime::log_info(&format!("logout after an account edit failed: {error}"));
    }
    Ok(())
}

/// Removes an account and forgets its session.
pub async fn delete_account(account_id: &str) -> Result<()> {
    change(|contents| {
        let before = contents.accounts.len();
        contents.accounts.retain(|account| account.id != account_id);
        if contents.accounts.len() == before {
            return Err(WorkerError::NoAccount);
        }
        Ok(())
    })
    .await?;
    let session = format!("{}{account_id}", crate::login::SESSION_PREFIX);
    chrome::storage_remove(StorageArea::Session, &[&session]).await?;
    Ok(())
}

/// Seals `contents` as the next revision of `file` and stores it, unless the stored vault
/// moved on since `file` was read. The caller holds the write lock.
pub async fn save(file: &VaultFile, key: &VaultKey, contents: &VaultContents) -> Result<()> {
    let revision = file.revision();
    let sealed = VaultFile::seal(
        key,
        *file.kdf(),
        *file.salt(),
        runtime::random_bytes()?,
        revision + 1,
        contents,
    )?;

    // The write lock keeps this worker's writes apart; this catches anything else (an older
    // worker still finishing after an update) rather than silently dropping its change.
    let current = stored().await?.ok_or(WorkerError::NoVault)?;
    if current.revision() != revision {
        return Err(WorkerError::VaultChanged);
    }
    chrome::storage_set(StorageArea::Local, VAULT, &sealed.to_json()).await?;
    Ok(())
}

/// Keeps the key in session storage: Halo is unlocked until it is removed.
pub async fn keep_key(key: &VaultKey) -> Result<()> {
    let encoded = Zeroizing::new(key.to_base64());
    chrome::storage_set(StorageArea::Session, VAULT_KEY, &*encoded).await?;
    Ok(())
}
