//! Logging an account in with SMART_API (client code, MPIN, current TOTP) and keeping the
//! session.
//!
//! The session lives in `chrome.storage.session` under `session:<account id>`, so the worker
//! can be stopped between calls. The TOTP is computed from the device clock corrected by the
//! offset measured from Angel's `Date` header at the previous call, kept under
//! `clock_offset_secs`: a phone-less TOTP is only as good as the clock it reads.

use halo_core::session::Session;
use halo_core::smartapi::{self, ApiError, Endpoint, wire};
use halo_core::totp::{self, TotpSecret};
use halo_core::vault::{Account, Platform};
use halo_extension_shared::chrome::{self, StorageArea};
use zeroize::Zeroizing;

use crate::error::{Result, WorkerError};
use crate::{endpoint, http, runtime};

/// The prefix of every stored session's key.
pub const SESSION_PREFIX: &str = halo_extension_shared::messages::SESSION_KEY_PREFIX;
const CLOCK_OFFSET: &str = "clock_offset_secs";

/// A skew this large, newly measured when Angel refuses a TOTP, is the likely cause.
const TELLING_SKEW_SECS: i64 = 5;

/// Logs `account` in and stores its session.
pub async fn log_in(account: &Account) -> Result<Session> {
    if account.platform == Platform::SmartApiM {
        return crate::publisher::log_in(account).await;
    }
    let endpoint = endpoint::current().await?;
    let secret = account.totp_secret()?;

    // The first try uses the clock offset measured at the previous call (none on a fresh
    // start). If Angel refuses the TOTP and its Date header shows the clock was the cause, one
    // more try with the measured offset is made; never more, so a wrong secret cannot loop.
    let offset = clock_offset().await?;
    let tokens = match try_login(&endpoint, account, &secret, offset).await? {
        Ok(tokens) => tokens,
        Err(WorkerError::ClockCorrected {
            device_ahead_secs, ..
        }) => try_login(&endpoint, account, &secret, -device_ahead_secs).await??,
        Err(error) => return Err(error),
    };

    let profile_request = smartapi::profile(&endpoint, &account.api_key, &tokens.jwt_token);
    let profile: wire::Profile = smartapi::decode(&http::send(&profile_request).await?.response)?;

    let session = Session {
        client_code: account.client_code.clone(),
        name: profile.name,
        jwt_token: Zeroizing::new(String::clone(&tokens.jwt_token)),
        refresh_token: Zeroizing::new(String::clone(&tokens.refresh_token)),
        feed_token: Zeroizing::new(String::clone(&tokens.feed_token)),
        obtained_at_unix_ms: runtime::now_ms(),
    };
    keep_session(account, &session).await?;
    runtime::log_info(&format!("account {} logged in", account.id));
    Ok(session)
}

/// Stores `session`, obtained with `account` as it was when the login began, unless the
/// account's login details were edited meanwhile: an edit logs the account out, and a login
/// still running with the old details must not bring that session back. Checked again after
/// storing, so an edit saved in between is caught too.
pub async fn keep_session(account: &Account, session: &Session) -> Result<()> {
    let unchanged = || async {
        let vault = crate::vault_store::unlocked().await?;
        Ok::<bool, WorkerError>(vault.account(&account.id)?.logs_in_as(account))
    };
    if !unchanged().await? {
        return Err(WorkerError::AccountChangedDuringLogin);
    }
    chrome::storage_set(StorageArea::Session, &session_key(&account.id), session).await?;
    if !unchanged().await? {
        forget_session(&account.id).await?;
        return Err(WorkerError::AccountChangedDuringLogin);
    }
    Ok(())
}

/// One loginByPassword with the TOTP for the server's time at `offset`. The outer `Result`
/// fails when nothing could be asked; the inner one carries Angel's refusal, explained.
async fn try_login(
    endpoint: &Endpoint,
    account: &Account,
    secret: &TotpSecret,
    offset: i64,
) -> Result<std::result::Result<wire::TokenSet, WorkerError>> {
    // A code about to roll over may reach Angel after it has expired.
    let wait = totp::seconds_to_wait_before_login(&account.totp, server_secs(offset));
    if wait > 0 {
        runtime::sleep_secs(wait).await;
    }
    let code = totp::code_at(secret, &account.totp, server_secs(offset))?;

    let request = smartapi::login(
        endpoint,
        &account.api_key,
        &account.client_code,
        &account.mpin,
        &code.code,
    );
    let sent_at_ms = runtime::now_ms();
    let fetched = http::send(&request).await?;
    let measured = record_clock_offset(sent_at_ms, fetched.date.as_deref()).await?;
    Ok(smartapi::decode(&fetched.response)
        .map_err(|error| explain_refusal(error, offset, measured)))
}

/// The stored session of an account, if it is logged in.
pub async fn session(account_id: &str) -> Result<Option<Session>> {
    Ok(chrome::storage_get(StorageArea::Session, &session_key(account_id)).await?)
}

/// Forgets an account's session, as when Angel says it is over.
pub async fn forget_session(account_id: &str) -> Result<()> {
    chrome::storage_remove(StorageArea::Session, &[&session_key(account_id)]).await?;
    Ok(())
}

/// Forgets every session, as when the endpoint changes.
pub async fn forget_all_sessions() -> Result<()> {
    let keys = chrome::storage_keys(StorageArea::Session).await?;
    let doomed: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|key| key.starts_with(SESSION_PREFIX))
        .collect();
    if !doomed.is_empty() {
        chrome::storage_remove(StorageArea::Session, &doomed).await?;
    }
    Ok(())
}

/// Turns an API error on a logged-in call into the worker's error, forgetting the session
/// when Angel says it is over.
pub async fn check_session_error(account_id: &str, error: ApiError) -> WorkerError {
    if error.session_expired() {
        return crate::sessions::after_session_ended(account_id, error).await;
    }
    WorkerError::Api(error)
}

/// The server's clock as last measured against the device: seconds to add to the device
/// clock (positive when the device is behind).
pub async fn clock_offset() -> Result<i64> {
    let offset: Option<i64> = chrome::storage_get(StorageArea::Session, CLOCK_OFFSET).await?;
    Ok(offset.unwrap_or(0))
}

/// The server's time now, in Unix seconds.
pub fn server_secs(offset: i64) -> u64 {
    let device_secs = (runtime::now_ms() / 1000.0).floor();
    // Clamped: a clock before 1970 cannot yield a code anyway, and must not underflow.
    u64::try_from((device_secs as i64).saturating_add(offset)).unwrap_or(0)
}

async fn record_clock_offset(sent_at_ms: f64, date: Option<&str>) -> Result<Option<i64>> {
    // Halfway between sending and receiving is the best guess of when the server stamped it.
    let local_ms = (sent_at_ms + runtime::now_ms()) / 2.0;
    let Some(offset) = date.and_then(|date| totp::clock_offset_secs(local_ms, date)) else {
        return Ok(None);
    };
    chrome::storage_set(StorageArea::Session, CLOCK_OFFSET, &offset).await?;
    Ok(Some(offset))
}

/// Adds the clock to a TOTP refusal when the clock is the likely cause.
fn explain_refusal(error: ApiError, used: i64, measured: Option<i64>) -> WorkerError {
    match measured {
        Some(measured)
            if error.code() == Some("AB1050") && (measured - used).abs() >= TELLING_SKEW_SECS =>
        {
            WorkerError::ClockCorrected {
                error,
                device_ahead_secs: -measured,
            }
        }
        _ => WorkerError::Api(error),
    }
}

fn session_key(account_id: &str) -> String {
    format!("{SESSION_PREFIX}{account_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(code: &str) -> ApiError {
        ApiError::Angel {
            code: code.to_owned(),
            message: "Invalid totp".to_owned(),
        }
    }

    #[test]
    fn a_refused_totp_names_the_measured_skew() {
        // Case T9: the device runs 75 s ahead, so the server's clock is 75 s behind it.
        let error = explain_refusal(refusal("AB1050"), 0, Some(-75));
        assert!(matches!(
            error,
            WorkerError::ClockCorrected {
                device_ahead_secs: 75,
                ..
            }
        ));
        let text = error.to_string();
        assert!(text.contains("AB1050"), "{text}");
        assert!(text.ends_with("Your clock is 75 s ahead; Halo has corrected for it, try again."));

        let behind = explain_refusal(refusal("AB1050"), 0, Some(40)).to_string();
        assert!(behind.contains("Your clock is 40 s behind"), "{behind}");
    }

    #[test]
    fn other_refusals_and_small_skews_are_passed_on() {
        let wrong_mpin = explain_refusal(refusal("AB1007"), 0, Some(-75));
        assert!(matches!(
            wrong_mpin,
            WorkerError::Api(ApiError::Angel { .. })
        ));
        let small = explain_refusal(refusal("AB1050"), -70, Some(-73));
        assert!(matches!(small, WorkerError::Api(_)));
        let unmeasured = explain_refusal(refusal("AB1050"), 0, None);
        assert!(matches!(unmeasured, WorkerError::Api(_)));
    }
}
