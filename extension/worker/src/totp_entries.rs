//! TOTP entries for services other than Angel, kept in the vault beside the accounts.

use halo_core::vault::TotpEntry;
use halo_extension_shared::messages::PopupRequest;
use halo_extension_shared::totp::{EntryCode, TotpEntriesView, TotpEntryForm};
use serde_json::Value;

use crate::codes::{live_code, narrow};
use crate::error::{Result, WorkerError};
use crate::vault_store;
use crate::{login, runtime};

/// Answers the requests of this module: `Ok(Some(data))` for the list of codes, `Ok(None)`
/// when the popup should get the new status, as after any change.
pub async fn answer(request: PopupRequest) -> Result<Option<Value>> {
    match request {
        PopupRequest::SaveTotpEntry { entry } => save(&entry).await?,
        PopupRequest::RemoveTotpEntry { entry_id } => remove(&entry_id).await?,
        PopupRequest::TotpEntries => {
            let view = list().await?;
            return serde_json::to_value(&view)
                .map(Some)
                .map_err(|_| WorkerError::BadRequest("answer".to_owned()));
        }
        _ => return Err(WorkerError::BadRequest("totp entries".to_owned())),
    }
    Ok(None)
}

/// Every entry with its current code, on the server's clock as last measured.
pub async fn list() -> Result<TotpEntriesView> {
    let vault = vault_store::unlocked().await?;
    let now = login::server_secs(login::clock_offset().await?);

    let mut entries = Vec::with_capacity(vault.contents.totp_entries.len());
    for entry in &vault.contents.totp_entries {
        let live = live_code(&entry.totp_secret()?, &entry.totp, now)?;
        entries.push(EntryCode {
            id: entry.id.clone(),
            issuer: entry.issuer.clone(),
            account_name: entry.account_name.clone(),
            code: live.now.code,
            next_code: live.next,
            seconds_left: narrow(live.now.seconds_left),
            period_secs: narrow(live.now.period_secs),
        });
    }
    Ok(TotpEntriesView { entries })
}

/// Adds an entry typed in the popup (or read from a QR code and confirmed).
pub async fn save(form: &TotpEntryForm) -> Result<()> {
    let entry = TotpEntry::from_form(
        runtime::random_id()?,
        &form.issuer,
        &form.account_name,
        &form.secret,
    )?;
    vault_store::change(|contents| {
        contents.check_entry_free(&entry)?;
        contents.totp_entries.push(entry);
        Ok(())
    })
    .await
}

/// Removes an entry.
pub async fn remove(entry_id: &str) -> Result<()> {
    vault_store::change(|contents| {
        let before = contents.totp_entries.len();
        contents.totp_entries.retain(|entry| entry.id != entry_id);
        if contents.totp_entries.len() == before {
            return Err(WorkerError::NoAccount);
        }
        Ok(())
    })
    .await
}
