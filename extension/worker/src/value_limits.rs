//! Each account's limit on one order's value: the fat-finger guard.
//!
//! The limit is a setting, not a secret, so it lives in `chrome.storage.local` under the
//! account's id, and survives a locked vault. An account without one uses halo-core's default.

use halo_core::orders::{self, DEFAULT_VALUE_LIMIT_PAISE};
use halo_extension_shared::chrome::{self, StorageArea};

use crate::error::{Result, WorkerError};

const PREFIX: &str = "value_limit:";

/// The account's limit on one order's value, in paise.
pub async fn get(account_id: &str) -> Result<u64> {
    let stored: Option<u64> = chrome::storage_get(StorageArea::Local, &key(account_id)).await?;
    Ok(stored
        .filter(|paise| *paise > 0)
        .unwrap_or(DEFAULT_VALUE_LIMIT_PAISE))
}

/// Sets the account's limit from rupees as typed; refuses zero and anything not a price.
pub async fn set(account_id: &str, rupees: &str) -> Result<u64> {
    let paise = orders::parse_price_paise(rupees.trim().trim_start_matches('₹'))
        .map_err(|_| bad_limit(rupees))?;
    if paise < 100 {
        return Err(bad_limit(rupees));
    }
    chrome::storage_set(StorageArea::Local, &key(account_id), &paise).await?;
    Ok(paise)
}

fn bad_limit(rupees: &str) -> WorkerError {
    let shown: String = rupees.trim().chars().take(24).collect();
    WorkerError::OrderForm(format!(
        "\"{shown}\" is not a value limit: type whole rupees of at least 1, such as 500000."
    ))
}

fn key(account_id: &str) -> String {
    format!("{PREFIX}{account_id}")
}
