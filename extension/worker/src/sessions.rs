//! When a session ends: Angel saying so, a new trading day, or the trader logging out.
//!
//! A session Angel declares over (AG8001, AG8002, AB1010, AB1011) is renewed with its refresh
//! token at most once; if there is none, or the renewal fails, it is forgotten and the trader is
//! asked to log in. Whatever request met the refusal is never re-sent: an order needs a new
//! confirm. A session from an earlier trading day counts as over before any call is made.

use halo_core::session::Session;
use halo_core::smartapi::{self, ApiError, wire};
use halo_core::vault::Account;
use halo_extension_shared::chrome::{self, StorageArea};
use zeroize::Zeroizing;

use crate::error::{Result, WorkerError};
use crate::login::{self, SESSION_PREFIX};
use crate::vault_store::Unlocked;
use crate::{endpoint, http, runtime, vault_store};

/// The account's session if it is still good for today; a stale one is forgotten.
pub async fn live(account_id: &str) -> Result<Option<Session>> {
    let Some(session) = login::session(account_id).await? else {
        return Ok(None);
    };
    if session.needs_login(runtime::now_ms()) {
        runtime::log_info(&format!(
            "session of account {account_id} is from an earlier day"
        ));
        login::forget_session(account_id).await?;
        return Ok(None);
    }
    Ok(Some(session))
}

/// Called when Angel said the session is over: one renewal with the refresh token, or the
/// session is forgotten. Either way the answer is an error, so the caller re-sends nothing.
pub async fn after_session_ended(account_id: &str, error: ApiError) -> WorkerError {
    match renew(account_id).await {
        Ok(true) => WorkerError::SessionRenewed(error),
        Ok(false) | Err(_) => {
            // The error already tells the user to log in; a failed removal changes nothing.
            let _ = login::forget_session(account_id).await;
            WorkerError::SessionEnded(error)
        }
    }
}

/// Tries generateTokens once; true when a new session was stored.
async fn renew(account_id: &str) -> Result<bool> {
    let Some(old) = login::session(account_id).await? else {
        return Ok(false);
    };
    if old.refresh_token.is_empty() {
        return Ok(false);
    }
    let vault = vault_store::unlocked().await?;
    let account = vault.account(account_id)?;
    let endpoint = endpoint::current().await?;

    let request = smartapi::generate_tokens(
        &endpoint,
        &account.api_key,
        &old.jwt_token,
        &old.refresh_token,
    );
    let Ok(tokens) = smartapi::decode::<wire::TokenSet>(&http::send(&request).await?.response)
    else {
        return Ok(false);
    };
    let renewed = Session {
        jwt_token: Zeroizing::new(String::clone(&tokens.jwt_token)),
        refresh_token: Zeroizing::new(String::clone(&tokens.refresh_token)),
        feed_token: Zeroizing::new(String::clone(&tokens.feed_token)),
        obtained_at_unix_ms: runtime::now_ms(),
        ..old
    };
    let key = format!("{SESSION_PREFIX}{account_id}");
    chrome::storage_set(StorageArea::Session, &key, &renewed).await?;
    runtime::log_info(&format!("session of account {account_id} renewed"));
    Ok(true)
}

/// Logs one account out: Angel's logout, then the session is forgotten even if Angel could
/// not be reached (the trader asked to be logged out; keeping tokens would surprise them).
pub async fn log_out(account: &Account) -> Result<()> {
    let Some(session) = login::session(&account.id).await? else {
        return Ok(());
    };
    let endpoint = endpoint::current().await?;
    let request = smartapi::logout(
        &endpoint,
        &account.api_key,
        &session.jwt_token,
        &session.client_code,
    );
    let told_angel = match http::send(&request).await {
        Ok(fetched) => smartapi::decode::<serde_json::Value>(&fetched.response)
            .map(drop)
            .map_err(WorkerError::Api),
        Err(error) => Err(WorkerError::Http(error)),
    };
    login::forget_session(&account.id).await?;
    match told_angel {
        // A session Angel already ended is as logged out as it gets.
        Err(WorkerError::Api(error)) if error.session_expired() => Ok(()),
        other => other,
    }
}

/// Logs every account of the vault out; the first failure is reported after all were tried.
pub async fn log_out_all(vault: &Unlocked) -> Result<()> {
    let mut first_error = None;
    for account in &vault.contents.accounts {
        if let Err(error) = log_out(account).await {
            runtime::log_info(&format!("logout of account {} failed: {error}", account.id));
            first_error.get_or_insert(error);
        }
    }
    first_error.map_or(Ok(()), Err)
}
