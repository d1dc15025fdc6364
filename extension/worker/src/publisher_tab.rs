//! The publisher login in a normal tab, for a SmartAPI app whose one redirect URL is already
//! taken by another HTTPS address (Angel allows one per app).
//!
//! `launchWebAuthFlow` only finishes on `https://<extension-id>.chromiumapp.org/`, so for such
//! an account the worker opens Angel's page with `chrome.tabs.create` and watches the tab's
//! navigations. When the tab heads for the registered redirect URL the worker closes it, reads
//! the tokens (state checked) and stores the session as the window flow does. The pending login
//! lives in `chrome.storage.session`, so a worker restarted meanwhile still finishes it.

use halo_core::publisher::{self, PublisherError};
use halo_core::session::Session;
use halo_core::vault::Account;
use halo_extension_shared::chrome::{self, StorageArea};
use js_sys::{Object, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::error::{Result, WorkerError};
use crate::login::SESSION_PREFIX;
use crate::{endpoint, runtime, vault_store};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = create)]
    async fn tabs_create(properties: &JsValue) -> std::result::Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = remove)]
    async fn tabs_remove(tab_id: i32) -> std::result::Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = get)]
    async fn tabs_get(tab_id: i32) -> std::result::Result<JsValue, JsValue>;
}

/// The prefix of the per-account "Redirect URL registered in SmartAPI" key in
/// `chrome.storage.local`. Not a secret: Angel shows it to anyone with the app's settings.
pub const REDIRECT_PREFIX: &str = "publisher_redirect:";
const PENDING: &str = "publisher_tab_login";
/// A login left unfinished longer than this is dropped; its state is then refused.
const EXPIRES_AFTER_MS: f64 = 10.0 * 60.0 * 1000.0;

/// The one login in progress in a tab.
#[derive(Serialize, Deserialize)]
struct Pending {
    account_id: String,
    state: String,
    redirect_url: String,
    tab_id: i32,
    expires_at_ms: f64,
    /// The tab reached the redirect URL and the worker is finishing the login.
    claimed: bool,
    /// `Ok(())` once the session is stored, or the trader-readable reason it was not.
    outcome: Option<std::result::Result<(), String>>,
}

/// Host suffixes of the browsers' own identity redirect URLs, Chromium's and Firefox's: Halo's
/// own address, which the login window finishes on without any setting.
const IDENTITY_REDIRECT_HOSTS: [&str; 2] = [".chromiumapp.org", ".extensions.allizom.org"];

fn mentions_identity_redirect(url: &str) -> bool {
    let url = url.to_ascii_lowercase();
    IDENTITY_REDIRECT_HOSTS
        .iter()
        .any(|suffix| url.contains(suffix))
}

/// The redirect URL registered for `account_id`, when the trader set one other than the
/// browser's own (`chromiumapp.org`, `extensions.allizom.org`).
pub async fn registered_redirect(account_id: &str) -> Result<Option<String>> {
    let key = format!("{REDIRECT_PREFIX}{account_id}");
    let stored: Option<String> = chrome::storage_get(StorageArea::Local, &key).await?;
    Ok(stored
        .map(|url| url.trim().to_owned())
        .filter(|url| url.starts_with("https://") && !mentions_identity_redirect(url)))
}

/// Why a typed redirect URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectUrlError {
    /// Not `https://host/...`.
    #[error(
        "The redirect URL must be an https:// address with a host, such as \
         https://trader.example/callback, exactly as registered in your SmartAPI app."
    )]
    NotHttps,
    /// Halo's own address needs no setting: the login window already uses it.
    #[error("That is Halo's own redirect URL, which Halo uses anyway: leave this field empty.")]
    HalosOwn,
}

/// The redirect URL as typed, checked: `None` when left empty (Halo's own address is used).
pub fn checked_redirect(typed: &str) -> std::result::Result<Option<String>, RedirectUrlError> {
    let url = typed.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let rest = url
        .strip_prefix("https://")
        .ok_or(RedirectUrlError::NotHttps)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_name = host.rsplit_once(':').map_or(host, |(name, _port)| name);
    let plausible_host = !host_name.is_empty()
        && host_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !plausible_host || url.chars().any(char::is_whitespace) {
        return Err(RedirectUrlError::NotHttps);
    }
    let host_lower = host_name.to_ascii_lowercase();
    if IDENTITY_REDIRECT_HOSTS
        .iter()
        .any(|suffix| host_lower.ends_with(suffix))
    {
        return Err(RedirectUrlError::HalosOwn);
    }
    Ok(Some(url.to_owned()))
}

/// Stores (or, when empty, forgets) the redirect URL `account_id`'s app has registered.
pub async fn set_registered_redirect(account_id: &str, typed: &str) -> Result<()> {
    let key = format!("{REDIRECT_PREFIX}{account_id}");
    match checked_redirect(typed)? {
        Some(url) => chrome::storage_set(StorageArea::Local, &key, &url).await?,
        None => chrome::storage_remove(StorageArea::Local, &[key.as_str()]).await?,
    }
    Ok(())
}

/// Opens `login_url` in a tab and waits until the tab reaches `redirect_url` (or is closed, or
/// the login expires), then answers with the stored session.
pub async fn log_in(
    account: &Account,
    login_url: &str,
    state: &str,
    redirect_url: &str,
) -> Result<Session> {
    let properties = Object::new();
    Reflect::set(&properties, &"url".into(), &JsValue::from_str(login_url))
        .and_then(|_| Reflect::set(&properties, &"active".into(), &JsValue::TRUE))
        .map_err(|_| WorkerError::LoginTab(TAB_FAILED.to_owned()))?;
    let tab = tabs_create(&properties.into())
        .await
        .map_err(|_| WorkerError::LoginTab(TAB_FAILED.to_owned()))?;
    let tab_id = Reflect::get(&tab, &"id".into())
        .ok()
        .and_then(|id| id.as_f64())
        .and_then(|id| i32::try_from(id as i64).ok())
        .ok_or_else(|| WorkerError::LoginTab(TAB_FAILED.to_owned()))?;

    let pending = Pending {
        account_id: account.id.clone(),
        state: state.to_owned(),
        redirect_url: redirect_url.to_owned(),
        tab_id,
        expires_at_ms: runtime::now_ms() + EXPIRES_AFTER_MS,
        claimed: false,
        outcome: None,
    };
    chrome::storage_set(StorageArea::Session, PENDING, &pending).await?;
    wait_for_outcome(account, tab_id).await
}

const TAB_FAILED: &str = "Halo could not open Angel's login page in a tab";

/// Polls the pending login; each storage call also keeps the worker awake while it waits.
async fn wait_for_outcome(account: &Account, tab_id: i32) -> Result<Session> {
    loop {
        runtime::sleep_secs(1).await;
        let Some(pending) = read_pending().await? else {
            return Err(WorkerError::LoginTab(REPLACED.to_owned()));
        };
        if pending.tab_id != tab_id {
            return Err(WorkerError::LoginTab(REPLACED.to_owned()));
        }
        if let Some(outcome) = pending.outcome {
            clear_pending().await?;
            outcome.map_err(WorkerError::LoginTab)?;
            let key = format!("{SESSION_PREFIX}{}", account.id);
            return chrome::storage_get(StorageArea::Session, &key)
                .await?
                .ok_or_else(|| WorkerError::LoginTab(REPLACED.to_owned()));
        }
        if pending.claimed {
            continue;
        }
        if runtime::now_ms() > pending.expires_at_ms {
            clear_pending().await?;
            let _ = tabs_remove(tab_id).await;
            return Err(WorkerError::LoginTab(EXPIRED.to_owned()));
        }
        if tabs_get(tab_id).await.is_err() {
            // The worker closes the tab itself a moment before it marks the login claimed.
            runtime::sleep_secs(2).await;
            if read_pending()
                .await?
                .is_some_and(|p| p.claimed || p.outcome.is_some())
            {
                continue;
            }
            clear_pending().await?;
            return Err(PublisherError::WindowClosed {
                redirect_url: pending.redirect_url,
            }
            .into());
        }
    }
}

const REPLACED: &str = "Another login started before this one finished. Log in again.";
const EXPIRED: &str = "The login was not finished within 10 minutes. Log in again.";

/// A tab is about to navigate (or committed a server redirect) to `url`: if it is the pending
/// login's tab reaching its redirect URL, closes it and finishes the login.
pub async fn navigated(tab_id: i32, url: &str) -> Result<()> {
    let Some(mut pending) = read_pending().await? else {
        return Ok(());
    };
    let reached = same_origin_and_path(url, &pending.redirect_url);
    if pending.tab_id != tab_id || !reached || pending.claimed || pending.outcome.is_some() {
        return Ok(());
    }
    if runtime::now_ms() > pending.expires_at_ms {
        return Ok(());
    }
    // Closing first: the sooner the tab goes, the less of the token-bearing page it loads.
    if tabs_remove(tab_id).await.is_err() {
        runtime::log_info("the publisher login tab could not be closed");
    }
    pending.claimed = true;
    chrome::storage_set(StorageArea::Session, PENDING, &pending).await?;

    let result = finish(&pending, url).await;
    if let Err(error) = &result {
        runtime::log_info(&format!("publisher tab login failed: {error}"));
    }
    pending.outcome = Some(result.map(|_| ()).map_err(|error| error.to_string()));
    chrome::storage_set(StorageArea::Session, PENDING, &pending).await?;
    Ok(())
}

async fn finish(pending: &Pending, url: &str) -> Result<Session> {
    let tokens = publisher::parse_redirect(url, &pending.state, &pending.redirect_url)?;
    let vault = vault_store::unlocked().await?;
    let account = vault.account(&pending.account_id)?;
    let endpoint = endpoint::current().await?;
    let session = crate::publisher::store_session(account, &endpoint, tokens).await?;
    runtime::log_info(&format!("account {} logged in (publisher tab)", account.id));
    Ok(session)
}

async fn read_pending() -> Result<Option<Pending>> {
    Ok(chrome::storage_get(StorageArea::Session, PENDING).await?)
}

async fn clear_pending() -> Result<()> {
    Ok(chrome::storage_remove(StorageArea::Session, &[PENDING]).await?)
}

/// Whether `url` is `redirect_url` with any query or fragment: the scheme, host, port and path
/// must match, a trailing slash aside.
fn same_origin_and_path(url: &str, redirect_url: &str) -> bool {
    let base = |address: &str| {
        let end = address.find(['?', '#']).unwrap_or(address.len());
        address[..end].trim_end_matches('/').to_ascii_lowercase()
    };
    !redirect_url.is_empty() && base(url) == base(redirect_url)
}

#[cfg(test)]
mod tests {
    use super::{RedirectUrlError, checked_redirect, same_origin_and_path};

    #[test]
    fn typed_redirect_urls_are_checked() {
        assert_eq!(checked_redirect("  "), Ok(None));
        assert_eq!(
            checked_redirect(" https://trader.example/callback "),
            Ok(Some("https://trader.example/callback".to_owned()))
        );
        assert_eq!(
            checked_redirect("https://trader.example:8443/cb?x=1"),
            Ok(Some("https://trader.example:8443/cb?x=1".to_owned()))
        );
        for refused in [
            "http://trader.example/callback",
            "trader.example/callback",
            "https:///callback",
            "https://trader example/callback",
            "chrome-extension://abc/",
        ] {
            assert_eq!(
                checked_redirect(refused),
                Err(RedirectUrlError::NotHttps),
                "{refused}"
            );
        }
        for own in [
            "https://abcdef.chromiumapp.org/",
            "https://0123456789abcdef0123456789abcdef01234567.extensions.allizom.org/",
        ] {
            assert_eq!(
                checked_redirect(own),
                Err(RedirectUrlError::HalosOwn),
                "{own}"
            );
        }
    }

    #[test]
    fn matches_the_redirect_with_its_query_only() {
        let redirect = "https://trader.example/callback";
        assert!(same_origin_and_path(
            "https://trader.example/callback?auth_token=x&state=y",
            redirect
        ));
        assert!(same_origin_and_path(
            "https://trader.example/callback/",
            redirect
        ));
        assert!(!same_origin_and_path(
            "https://trader.example/callback2?auth_token=x",
            redirect
        ));
        assert!(!same_origin_and_path(
            "https://evil.example/callback?auth_token=x",
            redirect
        ));
        assert!(!same_origin_and_path("https://trader.example/callback", ""));
    }
}
