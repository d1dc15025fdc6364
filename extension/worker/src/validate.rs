//! "Validate": which part of an account is wrong, the API key, the client code and MPIN, or
//! the TOTP, each with its fix.
//!
//! Angel checks a direct login in a fixed order: the key (`X-PrivateKey`), then client code and
//! MPIN (AB1007), then the TOTP (AB1050). So one login tells each part apart: a part after the
//! first refused one stays unknown. A successful check is a real login and keeps its session.
//! A publisher account's MPIN and TOTP are typed on Angel's page, so only its key and redirect
//! URL can be checked from here.

use halo_core::publisher::{self, PublisherError};
use halo_core::smartapi::{ApiError, HttpRequest, Method};
use halo_core::totp;
use halo_core::vault::{Account, Platform};
use halo_extension_shared::messages::{Check, Validation};

use halo_extension_shared::trouble::Trouble;

use crate::error::{Result, WorkerError};
use crate::{endpoint, http, login, publisher as publisher_login, publisher_tab, wording};

const API_KEY: &str = "API key";
const CREDENTIALS: &str = "Client code and MPIN";
const TOTP: &str = "TOTP";
const ACCOUNT: &str = "Account";

/// Checks `account` part by part.
pub async fn validate(account: &Account) -> Result<Validation> {
    let mut checks = match account.platform {
        Platform::SmartApi => direct(account).await?,
        Platform::SmartApiM => publisher_app(account).await?,
    };
    // Angel's refusals, quoted in the details, name the sandbox when it answered instead.
    for check in &mut checks {
        check.detail = wording::for_current_endpoint(std::mem::take(&mut check.detail)).await;
    }
    Ok(Validation { checks })
}

async fn direct(account: &Account) -> Result<Vec<Check>> {
    let outcome = login::log_in(account).await;
    let offset = login::clock_offset().await?;
    let clock = clock_words(offset);

    let checks = match outcome {
        Ok(session) => vec![
            check(API_KEY, "ok", "Angel accepted the API key."),
            check(
                CREDENTIALS,
                "ok",
                "Angel accepted the client code and MPIN.",
            ),
            check(TOTP, "ok", &format!("Angel accepted the code. {clock}")),
            check(ACCOUNT, "ok", &format!("Logged in as {}.", session.name)),
        ],
        Err(error) => match refusal_code(&error).as_deref() {
            Some("AG8004") => vec![
                wrong(API_KEY, &error, Trouble::ApiKey),
                unknown(CREDENTIALS, API_KEY),
                unknown(TOTP, API_KEY),
            ],
            Some("AB1007" | "AB1000" | "AB1001" | "AB1002" | "AB1032") => vec![
                check(API_KEY, "ok", "Angel accepted the API key."),
                wrong(CREDENTIALS, &error, Trouble::Ab1007),
                unknown(TOTP, CREDENTIALS),
            ],
            Some("AB1050") => vec![
                check(API_KEY, "ok", "Angel accepted the API key."),
                check(
                    CREDENTIALS,
                    "ok",
                    "Angel accepted the client code and MPIN.",
                ),
                Check {
                    help: Some(Trouble::Ab1050),
                    ..check(TOTP, "wrong", &totp_words(account, offset, &error))
                },
            ],
            Some("AB1006") => vec![
                check(API_KEY, "ok", "Angel accepted the API key."),
                check(
                    CREDENTIALS,
                    "ok",
                    "Angel accepted the client code and MPIN.",
                ),
                wrong(ACCOUNT, &error, Trouble::Ab1006),
            ],
            _ => vec![Check {
                help: wording::trouble_for(&error),
                ..check(ACCOUNT, "unknown", &error.to_string())
            }],
        },
    };
    Ok(checks)
}

async fn publisher_app(account: &Account) -> Result<Vec<Check>> {
    let endpoint = endpoint::current().await?;
    let redirect_url = publisher_login::redirect_url()?;
    let url = publisher::login_url(&endpoint, &account.api_key, "validate");
    let probe = HttpRequest {
        method: Method::Get,
        url,
        headers: Vec::new(),
        body: None,
    };
    let status = http::send(&probe).await?.response.status;

    let key = if status == 403 {
        Check {
            help: Some(Trouble::PublisherKey),
            ..check(
                API_KEY,
                "wrong",
                &PublisherError::KeyNotPublisher.to_string(),
            )
        }
    } else {
        check(
            API_KEY,
            "ok",
            "Angel's publisher-login page accepts this key.",
        )
    };
    let redirect_words = match publisher_tab::registered_redirect(&account.id).await? {
        Some(own) => format!(
            "Angel must send you back to exactly {own}, the address you set for this account; \
             Halo watches the login tab for it. It must be the app's redirect URL at {}.",
            publisher::WHERE_TO_REGISTER
        ),
        None => format!(
            "Angel must send you back to exactly {redirect_url}. Register it at {}.",
            publisher::WHERE_TO_REGISTER
        ),
    };
    Ok(vec![
        key,
        Check {
            help: Some(Trouble::RedirectUrl),
            ..check("Redirect URL", "check", &redirect_words)
        },
        check(
            "Client code, PIN and TOTP",
            "check",
            "You type these on Angel's own page when you log in; Angel says there if one is \
             wrong.",
        ),
    ])
}

fn check(part: &str, verdict: &str, detail: &str) -> Check {
    Check {
        part: part.to_owned(),
        verdict: verdict.to_owned(),
        detail: detail.to_owned(),
        help: None,
    }
}

/// A part Angel refused, with the troubleshooting entry that explains it.
fn wrong(part: &str, error: &WorkerError, help: Trouble) -> Check {
    Check {
        help: Some(help),
        ..check(part, "wrong", &error.to_string())
    }
}

fn unknown(part: &str, after: &str) -> Check {
    check(
        part,
        "unknown",
        &format!("Not checked: Angel stops at a wrong {after}."),
    )
}

/// Angel's code behind a worker error, when Angel refused.
fn refusal_code(error: &WorkerError) -> Option<String> {
    let api: &ApiError = match error {
        WorkerError::Api(api) | WorkerError::SessionEnded(api) => api,
        WorkerError::ClockCorrected { error, .. } => error,
        _ => return None,
    };
    api.code().map(str::to_owned)
}

/// The words for a refused TOTP: the clock as measured, and the code to compare with the
/// phone's (Halo already corrects the clock, so a difference means the secret is wrong).
fn totp_words(account: &Account, offset: i64, error: &WorkerError) -> String {
    let now = login::server_secs(offset);
    let code = account
        .totp_secret()
        .ok()
        .and_then(|secret| totp::code_at(&secret, &account.totp, now).ok())
        .map(|code| code.code)
        .unwrap_or_else(|| "(none)".to_owned());
    format!(
        "{error} {} Halo's code right now is {code}: if your authenticator app shows another \
         code, the TOTP secret saved here is wrong; copy it again from Angel's enable-TOTP page.",
        clock_words(offset)
    )
}

fn clock_words(offset: i64) -> String {
    match offset {
        0 => "This computer's clock agrees with Angel's.".to_owned(),
        n if n < 0 => format!(
            "This computer's clock is {} s ahead of Angel's (corrected for).",
            -n
        ),
        n => format!("This computer's clock is {n} s behind Angel's (corrected for)."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_words_say_which_way() {
        assert_eq!(
            clock_words(-75),
            "This computer's clock is 75 s ahead of Angel's (corrected for)."
        );
        assert!(clock_words(40).contains("40 s behind"));
    }

    #[test]
    fn refusal_codes_come_through_every_wrapper() {
        let api = ApiError::Angel {
            code: "AB1050".to_owned(),
            message: "Invalid totp".to_owned(),
        };
        let clock = WorkerError::ClockCorrected {
            error: api.clone(),
            device_ahead_secs: 75,
        };
        assert_eq!(refusal_code(&clock).as_deref(), Some("AB1050"));
        assert_eq!(
            refusal_code(&WorkerError::Api(api)).as_deref(),
            Some("AB1050")
        );
        assert_eq!(refusal_code(&WorkerError::Locked), None);
    }
}
