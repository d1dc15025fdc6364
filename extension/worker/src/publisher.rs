//! Logging in a SMART_API_M account through Angel's publisher-login page.
//!
//! The worker, not the popup, runs the whole flow: the popup closes as soon as the login window
//! takes focus, so the worker opens the window with `chrome.identity.launchWebAuthFlow`, waits
//! for Angel's redirect to `https://<extension-id>.chromiumapp.org/`, checks its `state`, reads
//! the profile and stores the session before it answers anyone. The redirect never becomes a
//! tab, so the tokens never reach the browser's history.

use halo_core::publisher::{self, PublisherError, RedirectTokens};
use halo_core::session::Session;
use halo_core::smartapi::{self, Endpoint, HttpRequest, Method, wire};
use halo_core::vault::Account;
use halo_extension_shared::messages::LoginSetup;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::{Result, WorkerError};
use crate::{endpoint, http, runtime};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "identity"], js_name = launchWebAuthFlow)]
    async fn launch_web_auth_flow(details: &JsValue) -> std::result::Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "identity"], js_name = getRedirectURL)]
    fn get_redirect_url() -> std::result::Result<String, JsValue>;
}

/// The redirect URL to register in the SmartAPI app: `https://<extension-id>.chromiumapp.org/`
/// in Chromium browsers, whatever `identity.getRedirectURL()` gives elsewhere.
pub fn redirect_url() -> Result<String> {
    get_redirect_url().map_err(|_| WorkerError::NoIdentity)
}

/// What the settings screen shows for logging in: the redirect URL and the reminder time.
pub async fn setup() -> Result<LoginSetup> {
    Ok(LoginSetup {
        redirect_url: redirect_url()?,
        where_to_register: publisher::WHERE_TO_REGISTER.to_owned(),
        reminder_ist_minutes: crate::reminder::at_ist_minutes().await?,
    })
}

/// Runs the publisher login for `account` and stores its session.
pub async fn log_in(account: &Account) -> Result<Session> {
    let endpoint = endpoint::current().await?;
    let redirect_url = redirect_url()?;
    let state = publisher::new_state(&runtime::random_bytes::<16>()?);
    let url = publisher::login_url(&endpoint, &account.api_key, &state);

    // Angel answers a Trading app's key with 403 inside the window, where Halo cannot read it;
    // asking first turns that into a message with its fix.
    refuse_forbidden_key(&url).await?;

    if let Some(registered) = crate::publisher_tab::registered_redirect(&account.id).await? {
        return crate::publisher_tab::log_in(account, &url, &state, &registered).await;
    }

    let returned = open_login_window(&url, &redirect_url).await?;
    let tokens = publisher::parse_redirect(&returned, &state, &redirect_url)?;
    let session = store_session(account, &endpoint, tokens).await?;
    runtime::log_info(&format!("account {} logged in (publisher)", account.id));
    Ok(session)
}

/// Reads the profile with the redirect's tokens and stores the session, for both the login
/// window and the login tab.
pub(crate) async fn store_session(
    account: &Account,
    endpoint: &Endpoint,
    tokens: RedirectTokens,
) -> Result<Session> {
    let profile_request = smartapi::profile(endpoint, &account.api_key, &tokens.auth_token);
    let profile: wire::Profile = smartapi::decode(&http::send(&profile_request).await?.response)?;
    let client_code = if profile.clientcode.is_empty() {
        account.client_code.clone()
    } else {
        profile.clientcode.clone()
    };

    let session = Session {
        client_code,
        name: profile.name,
        jwt_token: tokens.auth_token,
        // Angel documents no refresh token here; an empty one means "log in again".
        refresh_token: tokens.refresh_token.unwrap_or_default(),
        feed_token: tokens.feed_token,
        obtained_at_unix_ms: runtime::now_ms(),
    };
    crate::login::keep_session(account, &session).await?;
    Ok(session)
}

async fn refuse_forbidden_key(url: &str) -> Result<()> {
    let probe = HttpRequest {
        method: Method::Get,
        url: url.to_owned(),
        headers: Vec::new(),
        body: None,
    };
    let fetched = http::send(&probe).await?;
    if fetched.response.status == 403 {
        return Err(PublisherError::KeyNotPublisher.into());
    }
    Ok(())
}

async fn open_login_window(url: &str, redirect_url: &str) -> Result<String> {
    let details = Object::new();
    let set = |name: &str, value: &JsValue| Reflect::set(&details, &name.into(), value);
    set("url", &JsValue::from_str(url))
        .and_then(|_| set("interactive", &JsValue::TRUE))
        .map_err(|_| WorkerError::NoIdentity)?;

    match launch_web_auth_flow(&details.into()).await {
        Ok(returned) => returned.as_string().ok_or(WorkerError::NoIdentity),
        Err(error) => {
            let reason = Reflect::get(&error, &"message".into())
                .ok()
                .and_then(|message| message.as_string())
                .unwrap_or_default();
            runtime::log_info(&format!("publisher login window ended: {reason}"));
            if is_closed_by_user(&reason) {
                Err(PublisherError::WindowClosed {
                    redirect_url: redirect_url.to_owned(),
                }
                .into())
            } else {
                Err(WorkerError::LoginWindow(reason))
            }
        }
    }
}

/// Chromium rejects with "The user did not approve access." when the window is closed;
/// Firefox with "User cancelled or denied access.".
fn is_closed_by_user(reason: &str) -> bool {
    let lower = reason.to_ascii_lowercase();
    lower.contains("did not approve") || lower.contains("cancel")
}

#[cfg(test)]
mod tests {
    use super::is_closed_by_user;

    #[test]
    fn recognises_a_closed_window_in_both_browsers() {
        assert!(is_closed_by_user("The user did not approve access."));
        assert!(is_closed_by_user("User cancelled or denied access."));
        assert!(!is_closed_by_user(
            "Authorization page could not be loaded."
        ));
    }
}
