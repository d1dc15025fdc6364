//! What each tab's content script last reported, kept per tab in session storage.
//!
//! The worker may be stopped between a page report and the popup opening, so the symbol each
//! tab shows is kept under `page:<tab id>`; it holds no secret. Closing the tab forgets it.

use halo_extension_shared::chrome::{self, StorageArea};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::page_symbol::{self, SymbolSource};
use crate::runtime;

/// The symbol a tab showed at its last report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageRecord {
    /// The symbol as the page spells it.
    pub symbol: String,
    /// Where on the page it was read.
    pub source: SymbolSource,
    /// When the report arrived, in Unix milliseconds.
    pub at_ms: f64,
}

/// Records what a tab shows now; a page that shows no symbol clears the tab's record.
pub async fn seen(
    tab_id: i32,
    header_text: Option<&str>,
    url: &str,
    title: &str,
) -> Result<Option<PageRecord>> {
    let key = page_key(tab_id);
    let Some(found) = page_symbol::pick(header_text, url, title) else {
        chrome::storage_remove(StorageArea::Session, &[&key]).await?;
        return Ok(None);
    };
    let record = PageRecord {
        symbol: found.symbol,
        source: found.source,
        at_ms: runtime::now_ms(),
    };
    chrome::storage_set(StorageArea::Session, &key, &record).await?;
    Ok(Some(record))
}

/// The record of a tab, if its page reported a symbol.
pub async fn record(tab_id: i32) -> Result<Option<PageRecord>> {
    Ok(chrome::storage_get(StorageArea::Session, &page_key(tab_id)).await?)
}

/// Forgets a closed tab.
pub async fn forget(tab_id: i32) -> Result<()> {
    chrome::storage_remove(StorageArea::Session, &[&page_key(tab_id)]).await?;
    Ok(())
}

fn page_key(tab_id: i32) -> String {
    format!("page:{tab_id}")
}
