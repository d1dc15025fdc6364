//! What each tab's content script last reported, kept per tab in session storage.
//!
//! The worker may be stopped between a page report and the popup opening, so the symbol each
//! tab shows is kept under `page:<tab id>`; it holds no secret. Closing the tab forgets it.
//!
//! A page is hostile and session storage is small (10 MB for the whole extension), so a report
//! is size-checked before anything is read from it, and only a symbol of plausible length is
//! kept.

use halo_extension_shared::chrome::{self, StorageArea};
use serde::{Deserialize, Serialize};

use crate::error::{Result, WorkerError};
use crate::page_symbol::SymbolSource;
use crate::runtime;
use crate::sites::{self, Site};

/// The most characters of a header text, URL or title a report may carry; the content script
/// cuts each to this length before sending.
pub const MAX_REPORT_CHARS: usize = 512;

/// The longest symbol kept: Angel's longest trading symbols are under 40 characters.
pub const MAX_SYMBOL_CHARS: usize = 64;

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
///
/// `site` is the content script's own name for its site (`tradingview` when absent, as older
/// scripts sent none); a report whose URL is not on that site is refused.
pub async fn seen(
    tab_id: i32,
    site: Option<&str>,
    header_text: Option<&str>,
    url: &str,
    title: &str,
) -> Result<Option<PageRecord>> {
    check_sizes(header_text, url, title)?;
    let site = checked_site(site, url)?;
    let key = page_key(tab_id);
    let found = sites::read(site, header_text, url, title)
        .filter(|found| found.symbol.chars().count() <= MAX_SYMBOL_CHARS);
    let Some(found) = found else {
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

/// Records text the user selected in a tab and sent with "Trade with Halo": it is that tab's
/// symbol now. Text longer than any symbol is refused.
pub async fn selected(tab_id: i32, text: &str) -> Result<PageRecord> {
    check_sizes(Some(text), "", "")?;
    let symbol = text.trim();
    if symbol.is_empty() || symbol.chars().count() > MAX_SYMBOL_CHARS {
        return Err(WorkerError::PageReportTooLong("selection"));
    }
    let record = PageRecord {
        symbol: symbol.to_owned(),
        source: SymbolSource::Selection,
        at_ms: runtime::now_ms(),
    };
    chrome::storage_set(StorageArea::Session, &page_key(tab_id), &record).await?;
    Ok(record)
}

/// The site a report is from: the one it names, if its URL is on it.
fn checked_site(claimed: Option<&str>, url: &str) -> Result<Site> {
    let claimed = Site::from_wire(claimed.unwrap_or("tradingview"));
    match (claimed, Site::of_url(url)) {
        (Some(claimed), Some(actual)) if claimed == actual => Ok(claimed),
        _ => Err(WorkerError::BadRequest("page_seen".to_owned())),
    }
}

/// Refuses a report with a field longer than [`MAX_REPORT_CHARS`], naming the field.
pub fn check_sizes(header_text: Option<&str>, url: &str, title: &str) -> Result<()> {
    // Bytes bound characters from above: the cheap test first, the count only when needed.
    let too_long =
        |text: &str| text.len() > MAX_REPORT_CHARS && text.chars().count() > MAX_REPORT_CHARS;
    if header_text.is_some_and(too_long) {
        return Err(WorkerError::PageReportTooLong("symbol header"));
    }
    if too_long(url) {
        return Err(WorkerError::PageReportTooLong("URL"));
    }
    if too_long(title) {
        return Err(WorkerError::PageReportTooLong("title"));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_reports_are_refused_before_anything_is_kept() {
        let chart = "https://www.tradingview.com/chart/?symbol=NSE%3ARELIANCE";
        assert!(check_sizes(Some("R\nRELIANCE\n▾"), chart, "RELIANCE 2,945.50").is_ok());

        let huge = "A".repeat(10 * 1024 * 1024);
        let refused = |result: Result<()>| result.map_err(|error| error.to_string());
        assert_eq!(
            refused(check_sizes(Some(&huge), chart, "")),
            Err("Halo ignored a page report whose symbol header is implausibly long.".into())
        );
        assert!(matches!(
            check_sizes(None, &format!("{chart}&x={huge}"), ""),
            Err(WorkerError::PageReportTooLong("URL"))
        ));
        assert!(matches!(
            check_sizes(None, chart, &huge),
            Err(WorkerError::PageReportTooLong("title"))
        ));

        // Exactly the content script's cut passes, counted in characters: 512 arrows are
        // 1536 bytes.
        assert!(check_sizes(Some(&"▾".repeat(MAX_REPORT_CHARS)), chart, "").is_ok());
        assert!(check_sizes(Some(&"A".repeat(MAX_REPORT_CHARS + 1)), chart, "").is_err());
    }
}
