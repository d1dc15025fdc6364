//! The two ways into the ticket that do not start in Halo's popup: "Trade with Halo" on a
//! selection (a context-menu item) and the keyboard shortcut (a manifest command).
//!
//! Both only open Halo's own ticket window; neither can place anything. The order is still
//! placed only after Confirm in that window.

use halo_extension_shared::chrome;

use crate::error::Result;
use crate::pages;

/// The manifest command that opens the ticket.
pub const OPEN_TICKET: &str = "open-ticket";

/// Size of the ticket window: the popped-out popup's.
const WINDOW_WIDTH: u32 = 380;
const WINDOW_HEIGHT: u32 = 640;

/// The selected text becomes tab `tab_id`'s symbol, then the ticket opens.
pub async fn trade_selection(tab_id: i32, text: &str) -> Result<()> {
    pages::selected(tab_id, text).await?;
    open_ticket().await
}

/// Runs the manifest command `name`; unknown names are ignored.
pub async fn command(name: &str) -> Result<()> {
    if name == OPEN_TICKET {
        open_ticket().await?;
    }
    Ok(())
}

/// Opens Halo in a window of its own. `chrome.action.openPopup` would need the toolbar
/// button to be pinned and a focused normal window; a window always works.
async fn open_ticket() -> Result<()> {
    chrome::open_popup_window("popup.html?window=1", WINDOW_WIDTH, WINDOW_HEIGHT).await?;
    Ok(())
}
