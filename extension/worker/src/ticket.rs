//! The order ticket for the page the user is reading.
//!
//! "The page the user is reading" is the active tab of a normal browser window (never Halo's
//! own popped-out window); with several windows, the one whose page reported last. Its symbol
//! is resolved by halo-core against the instrument master, and priced from Angel when an
//! account is logged in.

use halo_core::instruments::Instrument;
use halo_core::orders;
use halo_core::smartapi::{self, Endpoint, wire};
use halo_extension_shared::chrome;
use halo_extension_shared::messages::{InstrumentSummary, TicketInfo};

use crate::error::Result;
use crate::instrument_choice::{self, Choice};
use crate::pages::{self, PageRecord};
use crate::{endpoint, http, login, master, vault_store};

/// Shown when no tab reported a symbol.
const NO_PAGE: &str = "Open a TradingView, NSE, Chartink or Screener page in a browser tab, or \
                       select a ticker and choose Trade with Halo.";

/// Builds the ticket for the page the user is reading.
pub async fn ticket() -> Result<TicketInfo> {
    let endpoint = endpoint::current().await?;
    let unusable = |page: Option<&PageRecord>, text: String| TicketInfo {
        endpoint: endpoint.root().to_owned(),
        ..problem(page, text)
    };
    let Some(page) = reading_page().await? else {
        return Ok(unusable(None, NO_PAGE.to_owned()));
    };

    // A failed download is not kept: the next Ticket request tries again.
    let master = match master::get(&endpoint).await {
        Ok(master) => master,
        Err(error) => return Ok(unusable(Some(&page), error.to_string())),
    };

    let (instrument, warning) = match instrument_choice::choose(&master, &page.symbol).await? {
        Choice::Instrument {
            instrument,
            warning,
        } => (instrument, warning),
        Choice::Ask {
            problem,
            candidates,
        } => {
            return Ok(TicketInfo {
                candidates: candidates.iter().map(summary).collect(),
                ..unusable(Some(&page), problem)
            });
        }
    };

    Ok(TicketInfo {
        page_symbol: Some(page.symbol),
        source: Some(page.source.as_str().to_owned()),
        ltp: last_price(&endpoint, &instrument).await,
        instrument: Some(summary(&instrument)),
        problem: None,
        endpoint: endpoint.root().to_owned(),
        candidates: Vec::new(),
        warning,
        order_notes: Vec::new(),
    })
}

/// The newest page record among the active tabs of normal windows.
async fn reading_page() -> Result<Option<PageRecord>> {
    let mut newest: Option<PageRecord> = None;
    for tab in chrome::active_tabs_in_normal_windows().await? {
        let Some(tab_id) = tab.id else { continue };
        let Some(record) = pages::record(tab_id).await? else {
            continue;
        };
        if newest.as_ref().is_none_or(|best| record.at_ms > best.at_ms) {
            newest = Some(record);
        }
    }
    Ok(newest)
}

/// The last traded price through the first logged-in account; `None` when none is, or when
/// Angel does not answer. The ticket is useful without it.
async fn last_price(endpoint: &Endpoint, instrument: &Instrument) -> Option<f64> {
    let vault = vault_store::unlocked().await.ok()?;
    for account in &vault.contents.accounts {
        let Ok(Some(session)) = crate::sessions::live(&account.id).await else {
            continue;
        };
        let request =
            smartapi::instrument_ltp(endpoint, &account.api_key, &session.jwt_token, instrument);
        let response = http::send(&request).await.ok()?.response;
        return match smartapi::decode::<wire::LtpData>(&response) {
            Ok(data) => Some(data.ltp),
            Err(error) => {
                // Forgets a dead session; the price is simply left out.
                login::check_session_error(&account.id, error).await;
                None
            }
        };
    }
    None
}

fn summary(instrument: &Instrument) -> InstrumentSummary {
    InstrumentSummary {
        exchange: instrument.exchange.as_wire().to_owned(),
        trading_symbol: instrument.trading_symbol.clone(),
        token: instrument.token.clone(),
        lot_size: instrument.lot_size,
        tick_paise: instrument.tick_paise,
        products: orders::products_for(instrument)
            .iter()
            .map(|product| product.as_wire().to_owned())
            .collect(),
    }
}

fn problem(page: Option<&PageRecord>, text: String) -> TicketInfo {
    TicketInfo {
        page_symbol: page.map(|page| page.symbol.clone()),
        source: page.map(|page| page.source.as_str().to_owned()),
        instrument: None,
        problem: Some(text),
        ltp: None,
        endpoint: String::new(),
        candidates: Vec::new(),
        warning: None,
        order_notes: Vec::new(),
    }
}
