//! The fill button on Angel's own login and enable-TOTP pages.
//!
//! The content script there asks for a code only after a real click on Halo's button, and the
//! worker answers only a sender on one of Angel's SmartAPI hosts, with the six digits and
//! nothing else: no secret, no account list. A code about to expire is not handed out; the
//! answer waits for the next one, as a login does.

use halo_core::totp;
use halo_extension_shared::totp::{AngelPageRequest, FilledCode};

use crate::error::{Result, WorkerError};
use crate::{login, runtime, vault_store};

/// The hosts of Angel's SmartAPI pages (login, publisher login, enable-TOTP), current and old.
pub const ANGEL_PAGE_HOSTS: [&str; 2] = ["smartapi.angelone.in", "smartapi.angelbroking.com"];

/// Whether `url` is an https page on one of [`ANGEL_PAGE_HOSTS`], with no port or user part
/// that could make a look-alike (`https://smartapi.angelone.in@evil.example/`).
pub fn is_angel_page(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    ANGEL_PAGE_HOSTS
        .iter()
        .any(|angel| host.eq_ignore_ascii_case(angel))
}

/// The current code of the account the page is about: the one whose client code the page
/// shows, else the first account.
pub async fn fill(request: AngelPageRequest) -> Result<FilledCode> {
    let AngelPageRequest::FillCode { client_code } = request;
    let vault = vault_store::unlocked().await?;
    let accounts = &vault.contents.accounts;
    let wanted = client_code
        .as_deref()
        .map(|code| code.trim().to_ascii_uppercase())
        .filter(|code| !code.is_empty());
    let account = wanted
        .and_then(|code| accounts.iter().find(|a| a.client_code == code))
        .or_else(|| accounts.first())
        .ok_or(WorkerError::NoAccount)?;

    let offset = login::clock_offset().await?;
    // A code typed in its last seconds may reach Angel after it expired.
    let wait = totp::seconds_to_wait_before_login(&account.totp, login::server_secs(offset));
    if wait > 0 {
        runtime::sleep_secs(wait).await;
    }
    let code = totp::code_at(
        &account.totp_secret()?,
        &account.totp,
        login::server_secs(offset),
    )?;
    runtime::log_info(&format!("filled a code for account {}", account.id));
    Ok(FilledCode { code: code.code })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_angels_smartapi_pages() {
        for url in [
            "https://smartapi.angelone.in/enable-totp",
            "https://smartapi.angelone.in/publisher-login?api_key=x",
            "https://SMARTAPI.angelbroking.com/enable-totp",
            "https://smartapi.angelone.in",
        ] {
            assert!(is_angel_page(url), "{url}");
        }
        for url in [
            "http://smartapi.angelone.in/enable-totp",
            "https://smartapi.angelone.in.evil.example/",
            "https://smartapi.angelone.in@evil.example/",
            "https://evil.example/?https://smartapi.angelone.in/",
            "https://smartapi.angelone.in:8443/",
            "https://www.angelone.in/login",
            "chrome-extension://abc/popup.html",
            "",
        ] {
            assert!(!is_angel_page(url), "{url}");
        }
    }
}
