//! "Rotate now": a new API key replaces the old one in the vault, then the account is validated
//! with it, so the trader learns at once whether Angel takes the new key.
//!
//! Angel drops a key unused for a year and advises rotating every few months; the key's created
//! date (and with it the age notices) starts again from today. The old key's session is ended
//! first: its tokens belong to the key being retired.

use halo_extension_shared::messages::Validation;

use crate::error::{Result, WorkerError};
use crate::vault_store;
use crate::{runtime, sessions, validate};

/// Replaces `account_id`'s API key with `new_key` and validates the account with it.
pub async fn rotate(account_id: &str, new_key: &str) -> Result<Validation> {
    if new_key.trim().is_empty() {
        return Err(WorkerError::NoNewKey);
    }
    {
        let vault = vault_store::unlocked().await?;
        // Checked before the session is ended, so a refused key leaves the login as it was.
        vault
            .account(account_id)?
            .clone()
            .with_new_api_key(new_key)?;
        if let Err(error) = sessions::log_out(vault.account(account_id)?).await {
            // The key is replaced either way; a failed logout only leaves tokens that end by
            // themselves with the trading day.
            runtime::log_info(&format!("logout before key rotation failed: {error}"));
        }
    }
    replace_key(account_id, new_key).await?;

    let vault = vault_store::unlocked().await?;
    validate::validate(vault.account(account_id)?).await
}

async fn replace_key(account_id: &str, new_key: &str) -> Result<()> {
    vault_store::change(|contents| {
        let slot = vault_store::account_mut(contents, account_id)?;
        let today = runtime::today_ist();
        *slot = slot
            .clone()
            .with_new_api_key(new_key)?
            .with_api_key_created(&today, &today)?;
        Ok(())
    })
    .await
}
