//! Angel's publisher login (the SMART_API_M platform): the page a trader is sent to, and the
//! redirect that brings the session back.
//!
//! A Publisher app's key opens `https://smartapi.angelone.in/publisher-login?api_key=KEY&state=S`.
//! After client code, PIN and TOTP, Angel redirects to the redirect URL registered for the app
//! with `auth_token` (used as the JWT), `feed_token` and the same `state`. Halo checks `state`
//! so that a redirect it did not start is never taken for a login. Random bytes for the state
//! are passed in, like every other input of this crate.

use core::fmt;

use thiserror::Error;
use zeroize::Zeroizing;

use crate::smartapi::Endpoint;
use crate::totp::TotpParams;
use crate::vault::{self, Account, AccountError, Platform};

/// The host of Angel's publisher-login page (not the API host).
pub const ANGEL_PUBLISHER_ROOT: &str = "https://smartapi.angelone.in";
/// The page's path, under Angel's publisher root or a sandbox's root.
pub const PUBLISHER_LOGIN_PATH: &str = "/publisher-login";
/// Where Angel sends the browser when the app has no redirect URL registered.
pub const UNDEFINED_REDIRECT_PATH: &str = "/publisher-login/undefined";
/// Where the trader registers a redirect URL, in words for the settings screen.
pub const WHERE_TO_REGISTER: &str = "smartapi.angelone.in → My Apps → your Publisher app → \
                                     Redirect URL";

/// The root the publisher page lives under: Angel's own for Angel's API, the sandbox's root
/// for a sandbox (which serves the page itself).
pub fn publisher_root(endpoint: &Endpoint) -> &str {
    if endpoint.is_sandbox() {
        endpoint.root()
    } else {
        ANGEL_PUBLISHER_ROOT
    }
}

/// The address that starts a publisher login for this app key, carrying `state`.
pub fn login_url(endpoint: &Endpoint, api_key: &str, state: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("api_key", api_key.trim())
        .append_pair("state", state)
        .finish();
    format!("{}{PUBLISHER_LOGIN_PATH}?{query}", publisher_root(endpoint))
}

/// A fresh `state` from 16 random bytes: 32 lower-case hex digits, safe in any URL.
pub fn new_state(random: &[u8; 16]) -> String {
    random.iter().map(|b| format!("{b:02x}")).collect()
}

/// A publisher (SMART_API_M) account from the add-account form.
///
/// Angel's own page asks for the client code, PIN and TOTP, so only the label and API key are
/// needed; a client code, when given, is checked as for a direct account. MPIN and TOTP secret
/// stay empty. Errors name the field, never its value.
pub fn account_from_form(
    id: String,
    label: &str,
    client_code: &str,
    api_key: &str,
) -> Result<Account, AccountError> {
    if id.trim().is_empty() {
        return Err(AccountError::Missing {
            field: "Account id",
        });
    }
    let client_code = vault::clean_client_code(client_code)?;
    let api_key = vault::clean_api_key(api_key)?;
    let label = match vault::clean_name("Label", label)? {
        label if !label.is_empty() => label,
        _ if client_code.is_empty() => "Publisher login".to_owned(),
        _ => client_code.clone(),
    };
    Ok(Account {
        id,
        label,
        platform: Platform::SmartApiM,
        client_code,
        mpin: Zeroizing::default(),
        api_key,
        totp_secret: Zeroizing::default(),
        totp: TotpParams::default(),
        api_key_created: None,
    })
}

/// The tokens a publisher redirect carries. `Debug` shows none of them.
#[derive(Clone, PartialEq, Eq)]
pub struct RedirectTokens {
    /// Used as the JWT: `Authorization: Bearer <auth_token>`.
    pub auth_token: Zeroizing<String>,
    /// For Angel's market-data feed.
    pub feed_token: Zeroizing<String>,
    /// Not documented by Angel; kept when a redirect carries it.
    pub refresh_token: Option<Zeroizing<String>>,
}

impl fmt::Debug for RedirectTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedirectTokens")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<present>"),
            )
            .finish_non_exhaustive()
    }
}

/// Why a publisher login gave no session, each with what to do. Never holds a token.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PublisherError {
    /// The redirect's `state` is not the one Halo sent: not the login Halo started.
    #[error(
        "Angel's answer did not belong to the login Halo started (its state did not match), so \
         Halo refused it and kept nothing. Press Log in again."
    )]
    StateMismatch,
    /// No `auth_token` came back, or Angel sent the browser to `/publisher-login/undefined`.
    #[error(
        "Angel sent no session back: your SmartAPI app has no redirect URL, or another one. \
         Register exactly {redirect_url} as the app's redirect URL ({WHERE_TO_REGISTER}), then \
         log in again."
    )]
    NoRedirectUrl {
        /// The redirect URL the trader must register.
        redirect_url: String,
    },
    /// The login window was closed before Angel redirected.
    #[error(
        "The login window was closed before Angel sent you back, so nothing was stored. If \
         Angel's page ended at /publisher-login/undefined, register {redirect_url} as your \
         SmartAPI app's redirect URL ({WHERE_TO_REGISTER}); then press Log in again."
    )]
    WindowClosed {
        /// The redirect URL the trader must register.
        redirect_url: String,
    },
    /// Angel's publisher page refused the key (HTTP 403).
    #[error(
        "Angel's publisher-login page refused this API key (HTTP 403): it is not a Publisher \
         app's key. Create a Publisher app on smartapi.angelone.in and save its key, or switch \
         this account to SMART_API (direct login with MPIN and TOTP)."
    )]
    KeyNotPublisher,
}

/// Reads the address Angel redirected to.
///
/// `expected_state` is what Halo put in the login URL; `redirect_url` is the one the trader
/// must have registered, named in the error when no token came back. The `state` is checked
/// first: a redirect Halo did not start says nothing about the app's settings.
pub fn parse_redirect(
    url: &str,
    expected_state: &str,
    redirect_url: &str,
) -> Result<RedirectTokens, PublisherError> {
    let no_redirect = || PublisherError::NoRedirectUrl {
        redirect_url: redirect_url.to_owned(),
    };
    let without_fragment = url.split('#').next().unwrap_or_default();
    let (address, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));

    let mut state = None;
    let (mut auth, mut feed, mut refresh) = (None, None, None);
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = Zeroizing::new(value.into_owned());
        match name.as_ref() {
            "state" => state = Some(value),
            "auth_token" => auth = Some(value),
            "feed_token" => feed = Some(value),
            "refresh_token" => refresh = Some(value),
            _ => {}
        }
    }

    if state.as_deref().map(String::as_str) != Some(expected_state) || expected_state.is_empty() {
        return Err(PublisherError::StateMismatch);
    }
    if address
        .trim_end_matches('/')
        .ends_with(UNDEFINED_REDIRECT_PATH)
    {
        return Err(no_redirect());
    }
    let auth_token = auth.filter(|t| !t.is_empty()).ok_or_else(no_redirect)?;
    Ok(RedirectTokens {
        auth_token,
        feed_token: feed.unwrap_or_default(),
        refresh_token: refresh.filter(|t| !t.is_empty()),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const REDIRECT: &str = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/";

    #[test]
    fn login_url_follows_the_endpoint() {
        assert_eq!(
            login_url(&Endpoint::angel(), " AbCd1234 ", "k9x2"),
            "https://smartapi.angelone.in/publisher-login?api_key=AbCd1234&state=k9x2"
        );
        let sandbox = Endpoint::parse("http://127.0.0.1:8931").unwrap();
        assert_eq!(
            login_url(&sandbox, "key with&odd", "s"),
            "http://127.0.0.1:8931/publisher-login?api_key=key+with%26odd&state=s"
        );
    }

    #[test]
    fn publisher_accounts_need_only_a_key() {
        let account = account_from_form("a1".into(), "", "", " AbCd1234 ").unwrap();
        assert_eq!(account.platform, Platform::SmartApiM);
        assert_eq!(account.api_key.as_str(), "AbCd1234");
        assert_eq!(account.label, "Publisher login");
        assert!(account.mpin.is_empty() && account.totp_secret.is_empty());
        let coded = account_from_form("a2".into(), "Main", "z999999\n", "k").unwrap();
        assert_eq!(
            (coded.label.as_str(), coded.client_code.as_str()),
            ("Main", "Z999999")
        );
        assert_eq!(
            account_from_form("a3".into(), "x", "", "  "),
            Err(AccountError::Missing { field: "API key" })
        );
        assert_eq!(
            account_from_form("a4".into(), "x", "Z-1", "k"),
            Err(AccountError::ClientCode)
        );
    }

    #[test]
    fn state_is_hex_of_the_bytes_given() {
        let state = new_state(&[0xab; 16]);
        assert_eq!(state, "ab".repeat(16));
        assert_ne!(new_state(&[0; 16]), new_state(&[1; 16]));
    }

    #[test]
    fn case_a5_tokens_taken_when_state_matches() {
        let url = format!("{REDIRECT}?auth_token=eyJ.fake&feed_token=123456789&state=k9x2");
        let tokens = parse_redirect(&url, "k9x2", REDIRECT).unwrap();
        assert_eq!(tokens.auth_token.as_str(), "eyJ.fake");
        assert_eq!(tokens.feed_token.as_str(), "123456789");
        assert_eq!(tokens.refresh_token, None);

        assert_eq!(
            parse_redirect(&url, "k9x3", REDIRECT),
            Err(PublisherError::StateMismatch)
        );
        let no_state = format!("{REDIRECT}?auth_token=eyJ.fake&feed_token=1");
        assert_eq!(
            parse_redirect(&no_state, "k9x2", REDIRECT),
            Err(PublisherError::StateMismatch)
        );
    }

    #[test]
    fn missing_auth_token_names_the_redirect_url() {
        let url = format!("{REDIRECT}?state=k9x2&code=abc");
        let err = parse_redirect(&url, "k9x2", REDIRECT).unwrap_err();
        assert_eq!(
            err,
            PublisherError::NoRedirectUrl {
                redirect_url: REDIRECT.to_owned()
            }
        );
        assert!(err.to_string().contains(REDIRECT), "{err}");
        assert!(err.to_string().contains("My Apps"), "{err}");
    }

    #[test]
    fn undefined_redirect_is_recognised_even_with_tokens() {
        let url = "https://smartapi.angelone.in/publisher-login/undefined?auth_token=eyJ.x\
                   &feed_token=1&state=k9x2";
        assert!(matches!(
            parse_redirect(url, "k9x2", REDIRECT),
            Err(PublisherError::NoRedirectUrl { .. })
        ));
    }

    #[test]
    fn refresh_token_kept_when_present_and_debug_hides_tokens() {
        let url = format!("{REDIRECT}?state=s&auth_token=jwt-x&feed_token=f&refresh_token=r-y#z");
        let tokens = parse_redirect(&url, "s", REDIRECT).unwrap();
        assert_eq!(
            tokens.refresh_token.as_deref().map(String::as_str),
            Some("r-y")
        );
        let shown = format!("{tokens:?}");
        assert!(
            !shown.contains("jwt-x") && !shown.contains("r-y"),
            "{shown}"
        );
    }
}
