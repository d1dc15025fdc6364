//! Where Halo sends API calls: Angel One, or a `halo sandbox` on this machine.
//!
//! The setting is kept in `chrome.storage.local` under `endpoint`. halo-core's
//! [`Endpoint::parse`] decides what may be configured (Angel, or a loopback URL); the worker
//! only stores the answer.

use halo_core::smartapi::Endpoint;
use halo_extension_shared::chrome::{self, StorageArea};

use crate::error::Result;

const ENDPOINT: &str = "endpoint";

/// The endpoint in use; Angel One when nothing was set.
pub async fn current() -> Result<Endpoint> {
    let stored: Option<String> = chrome::storage_get(StorageArea::Local, ENDPOINT).await?;
    match stored {
        Some(text) => Ok(Endpoint::parse(&text)?),
        None => Ok(Endpoint::angel()),
    }
}

/// Checks and saves a new endpoint. Sessions belong to the server that issued them, so a
/// change logs every account out.
pub async fn set(input: &str) -> Result<Endpoint> {
    let endpoint = Endpoint::parse(input)?;
    let previous = current().await.ok();
    chrome::storage_set(StorageArea::Local, ENDPOINT, &endpoint.root()).await?;
    if previous.as_ref().map(Endpoint::root) != Some(endpoint.root()) {
        crate::login::forget_all_sessions().await?;
    }
    Ok(endpoint)
}

/// Writes the default on first install, once: an existing setting is never overwritten.
pub async fn write_default() -> Result<()> {
    let stored: Option<String> = chrome::storage_get(StorageArea::Local, ENDPOINT).await?;
    if stored.is_none() {
        chrome::storage_set(StorageArea::Local, ENDPOINT, &Endpoint::angel().root()).await?;
    }
    Ok(())
}
