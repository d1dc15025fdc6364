//! Who may ask the worker for what.
//!
//! Web pages are hostile: a content script runs beside them and its messages carry the tab
//! they came from. So requests that touch the vault, logins or orders are accepted only from
//! the extension's own pages, and a content script can do nothing but report what it saw.

use serde::Deserialize;

/// The parts of `chrome.runtime.MessageSender` the loader copies for the worker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SenderInfo {
    /// The sending extension's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The URL of the page or frame that sent the message.
    #[serde(default)]
    pub url: Option<String>,
    /// The tab the message came from; absent for the toolbar popup.
    #[serde(default)]
    pub tab_id: Option<i32>,
}

/// What kind of message arrived, judged by its `type` alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A [`halo_extension_shared::messages::PopupRequest`].
    Popup,
    /// A [`halo_extension_shared::messages::PageReport`] from the given tab.
    Page {
        /// The reporting tab.
        tab_id: i32,
    },
    /// A [`halo_extension_shared::totp::AngelPageRequest`] from Halo's button on one of
    /// Angel's own pages.
    AngelPage,
}

/// Why a message was refused. None of these should happen in normal use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A page report came from something that is not a tab.
    #[error("Halo only reads pages through its content scripts; this report came from no tab.")]
    NotFromTab,
    /// A popup request came from somewhere other than the extension's own pages.
    #[error("Halo refused a request that did not come from its own window.")]
    NotFromExtension,
    /// A code was asked for by a page that is not one of Angel's.
    #[error("Halo fills codes only on Angel One's own SmartAPI pages.")]
    NotAngelPage,
}

/// The `type` of every page report.
pub const PAGE_SEEN: &str = "page_seen";
/// The `type` of the fill button's request on Angel's pages.
pub const FILL_CODE: &str = "fill_code";

/// Decides where a message goes, or refuses it, from its `type` and its sender.
///
/// `own_id` is `chrome.runtime.id`; `own_url` is the extension's base URL
/// (`chrome-extension://<id>/`).
pub fn route(
    message_type: &str,
    sender: &SenderInfo,
    own_id: &str,
    own_url: &str,
) -> Result<Route, Refusal> {
    if message_type == PAGE_SEEN {
        let from_us = sender.id.as_deref() == Some(own_id);
        return match sender.tab_id {
            Some(tab_id) if from_us && tab_id >= 0 => Ok(Route::Page { tab_id }),
            _ => Err(Refusal::NotFromTab),
        };
    }

    if message_type == FILL_CODE {
        let from_us = !own_id.is_empty() && sender.id.as_deref() == Some(own_id);
        let on_angel = sender
            .url
            .as_deref()
            .is_some_and(crate::angel_fill::is_angel_page);
        return match sender.tab_id {
            Some(tab_id) if from_us && on_angel && tab_id >= 0 => Ok(Route::AngelPage),
            _ => Err(Refusal::NotAngelPage),
        };
    }

    let from_own_page = !own_id.is_empty()
        && !own_url.is_empty()
        && sender.id.as_deref() == Some(own_id)
        && sender
            .url
            .as_deref()
            .is_some_and(|url| url.starts_with(own_url));
    if from_own_page {
        Ok(Route::Popup)
    } else {
        Err(Refusal::NotFromExtension)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "abcdefghijklmnopabcdefghijklmnop";
    const BASE: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";

    fn sender(id: &str, url: &str, tab_id: Option<i32>) -> SenderInfo {
        SenderInfo {
            id: Some(id.to_owned()),
            url: Some(url.to_owned()),
            tab_id,
        }
    }

    #[test]
    fn popup_requests_come_from_the_extensions_pages() {
        let popup = sender(ID, &format!("{BASE}popup.html"), None);
        assert_eq!(route("status", &popup, ID, BASE), Ok(Route::Popup));
        // The popped-out popup lives in a tab of its own window, and is still ours.
        let popped = sender(ID, &format!("{BASE}popup.html?window=1"), Some(42));
        assert_eq!(route("place_order", &popped, ID, BASE), Ok(Route::Popup));
    }

    #[test]
    fn content_scripts_cannot_send_popup_requests() {
        // A content script's sender has our id but the page's URL.
        let page = sender(ID, "https://www.tradingview.com/chart/", Some(7));
        assert_eq!(
            route("place_order", &page, ID, BASE),
            Err(Refusal::NotFromExtension)
        );
        let lookalike = sender(ID, "https://evil.example/chrome-extension://x/", None);
        assert_eq!(
            route("unlock", &lookalike, ID, BASE),
            Err(Refusal::NotFromExtension)
        );
        let other = sender("zzzz", &format!("{BASE}popup.html"), None);
        assert_eq!(
            route("status", &other, ID, BASE),
            Err(Refusal::NotFromExtension)
        );
        assert_eq!(
            route("status", &SenderInfo::default(), "", ""),
            Err(Refusal::NotFromExtension)
        );
    }

    #[test]
    fn codes_are_filled_only_for_angels_pages() {
        let angel = sender(ID, "https://smartapi.angelone.in/enable-totp", Some(3));
        assert_eq!(route(FILL_CODE, &angel, ID, BASE), Ok(Route::AngelPage));
        for refused in [
            sender(ID, "https://www.tradingview.com/chart/", Some(3)),
            sender(ID, "https://smartapi.angelone.in.evil.example/", Some(3)),
            sender("zzzz", "https://smartapi.angelone.in/enable-totp", Some(3)),
            sender(ID, "https://smartapi.angelone.in/enable-totp", None),
            sender(ID, &format!("{BASE}popup.html"), None),
        ] {
            assert_eq!(
                route(FILL_CODE, &refused, ID, BASE),
                Err(Refusal::NotAngelPage),
                "{refused:?}"
            );
        }
        // And a page on Angel's host still cannot send the popup's requests.
        assert_eq!(
            route("totp_entries", &angel, ID, BASE),
            Err(Refusal::NotFromExtension)
        );
    }

    #[test]
    fn page_reports_need_a_tab() {
        let page = sender(ID, "https://www.tradingview.com/chart/", Some(7));
        assert_eq!(
            route(PAGE_SEEN, &page, ID, BASE),
            Ok(Route::Page { tab_id: 7 })
        );
        let popup = sender(ID, &format!("{BASE}popup.html"), None);
        assert_eq!(route(PAGE_SEEN, &popup, ID, BASE), Err(Refusal::NotFromTab));
        let foreign = sender("zzzz", "https://www.tradingview.com/chart/", Some(7));
        assert_eq!(
            route(PAGE_SEEN, &foreign, ID, BASE),
            Err(Refusal::NotFromTab)
        );
    }
}
