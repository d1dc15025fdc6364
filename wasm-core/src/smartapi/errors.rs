//! What can go wrong with a SmartAPI call, worded for the trader who has to act on it.

use thiserror::Error;

/// A failed SmartAPI call, from Angel's own refusal to a reply that could not be read.
///
/// `Display` says what happened, quotes Angel's code and message, and says what to do. It
/// never contains the API key, a token, or the request body.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ApiError {
    /// Angel answered with `status: false` or `success: false`.
    #[error(
        "Angel refused the request ({}). {}",
        angel_words(code, message),
        hint(code)
    )]
    Angel {
        /// Angel's error code, e.g. `AB1050`; empty if Angel sent none.
        code: String,
        /// Angel's own message, e.g. `Invalid totp`.
        message: String,
    },
    /// The plain-text rate-limit reply ("exceeding access rate").
    #[error(
        "Angel's rate limit was hit, so the request was not carried out (an order was NOT \
         placed). Wait a few seconds before trying again."
    )]
    RateLimited,
    /// Angel's firewall answered with its HTML "Request Rejected" page.
    #[error(
        "Angel's firewall blocked the request{}. Orders are blocked when they do not come from \
         the static IP registered for the API key; if that is not the cause, quote the support \
         ID to Angel One. Do not retry straight away.",
        support_words(support_id)
    )]
    Blocked {
        /// The support ID printed on the page, to quote to Angel.
        support_id: Option<String>,
    },
    /// The reply had no body at all.
    #[error(
        "Angel sent an empty reply, so the outcome is unknown. If this was an order, check the \
         order book before placing it again."
    )]
    EmptyBody,
    /// The reply was neither JSON nor a page Halo recognises.
    #[error(
        "Angel's reply (HTTP {status}) was not JSON, so the outcome is unknown. If this was an \
         order, check the order book before placing it again."
    )]
    NotJson {
        /// The HTTP status of the reply.
        status: u16,
    },
    /// The reply was JSON but not in a shape Angel documents.
    #[error(
        "Angel's reply was not in the expected shape ({0}), so the outcome is unknown. If this \
         was an order, check the order book before placing it again."
    )]
    Malformed(String),
}

impl ApiError {
    /// True when the session is over and the user must log in again (AG8001 invalid token,
    /// AG8002 token expired, AG8003 token missing, AB1010 session expired, AB1011 not
    /// logged in).
    pub fn session_expired(&self) -> bool {
        matches!(
            self.code(),
            Some("AG8001" | "AG8002" | "AG8003" | "AB1010" | "AB1011")
        )
    }

    /// True when Angel may have carried out the request even though the reply says nothing
    /// useful: an order must then be looked up in the order book, never re-sent blindly.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Self::EmptyBody | Self::NotJson { .. } | Self::Malformed(_)
        )
    }

    /// Angel's error code, when Angel sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Angel { code, .. } if !code.is_empty() => Some(code),
            _ => None,
        }
    }
}

fn angel_words(code: &str, message: &str) -> String {
    match (code.is_empty(), message.is_empty()) {
        (false, false) => format!("{code}: {message}"),
        (false, true) => code.to_string(),
        (true, false) => message.to_string(),
        (true, true) => "no code or message given".to_string(),
    }
}

fn support_words(support_id: &Option<String>) -> String {
    match support_id {
        Some(id) => format!(" (support ID {id})"),
        None => String::new(),
    }
}

/// The hint for a code Halo has no advice for: Angel's own words, shown before it, are all
/// there is.
const UNKNOWN_CODE_HINT: &str = "Angel's message above says what to change.";

/// What the trader should do about an Angel error code.
fn hint(code: &str) -> &'static str {
    match code {
        "AB1007" => {
            "Check the client code and the 4-digit MPIN (not the web password), then log in \
             again."
        }
        "AB1000" | "AB1001" | "AB1002" => {
            "Log in with the client code and the 4-digit MPIN, not an e-mail and password."
        }
        "AB1050" => {
            "Angel refused the TOTP: check the TOTP secret saved for this account (the text \
             under the QR code) and that this computer's clock is right."
        }
        "AG7002" => {
            "Orders must come from the static IP registered for this API key; place them from \
             that machine (the companion can relay them)."
        }
        "AG8001" | "AG8002" | "AG8003" | "AB1010" | "AB1011" => {
            "The session is over; log in again."
        }
        "AB8050" | "AB8051" => "The refresh token is no longer valid; log in again.",
        "AG8004" => "Check the API key saved for this account against the SmartAPI app.",
        "AB1006" => "Angel has blocked this client for trading; contact Angel One.",
        "AB1004" | "AB2000" | "AB2001" => {
            "Angel had an internal problem; wait a minute and try again."
        }
        "AB1021" => "Too many requests; wait a few seconds before trying again.",
        "AB4008" => "The order tag must be shorter than 20 characters.",
        "AB1009" | "AB1018" => {
            "Angel does not know this instrument; refresh the instrument master and pick it \
             again."
        }
        "AB1012" => "Choose a product this instrument allows (delivery, intraday, ...).",
        "AB1005" => "Halo sent a wrong user type header; please report this.",
        "AB1003" => "Angel says this client already exists; log in with it instead.",
        "AB1008" => "Choose an order variety Angel allows (NORMAL, STOPLOSS, AMO or ROBO).",
        "AB1013" => {
            "Angel has no such order (or the order book is empty); refresh the order book \
             before acting on it."
        }
        "AB1014" => "Angel has no such trade today; refresh the trade book.",
        "AB1015" => "Angel has no such holding; refresh the holdings.",
        "AB1016" => "Angel has no such position; refresh the positions.",
        "AB1017" => {
            "Angel could not convert the position; check its product and quantity, then try \
             again."
        }
        "AB1031" => "The old password does not match; type the current one.",
        "AB1032" => "Angel knows no user with this client code; check the client code.",
        "AB2002" => "Angel has blocked ROBO (bracket) orders; place a regular order instead.",
        "AB4018" => "The symbol token was empty; pick the instrument again.",
        "AB9000" => "Angel's GTT service had an internal problem; wait a minute and try again.",
        "AB9003" | "AB9005" => "The GTT session is not valid; log in again.",
        "AB9001" | "AB9002" | "AB9004" | "AB9006" | "AB9007" | "AB9008" | "AB9009" | "AB9010"
        | "AB9011" | "AB9012" | "AB9013" | "AB9014" | "AB9015" | "AB9016" | "AB9017" | "AB9018" => {
            "Angel refused a field of the GTT rule named in its message; correct that field \
             and try again."
        }
        "E1001" => "The market-data request was malformed; please report this.",
        "E1002" => "Too many market-data subscriptions; unsubscribe some symbols first.",
        _ => UNKNOWN_CODE_HINT,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn session_expiry_codes() {
        for code in ["AG8001", "AG8002", "AB1010", "AB1011"] {
            let error = ApiError::Angel {
                code: code.into(),
                message: String::new(),
            };
            assert!(error.session_expired(), "{code}");
        }
        let totp = ApiError::Angel {
            code: "AB1050".into(),
            message: "Invalid totp".into(),
        };
        assert!(!totp.session_expired());
        assert!(!ApiError::RateLimited.session_expired());
    }

    /// Every code of smartapi.md section 12 (documented and observed) has its own advice.
    #[test]
    fn every_documented_code_says_what_to_do() {
        let codes = "AG8001 AG8002 AG8003 AG8004 AB8050 AB8051 AB1000 AB1001 AB1002 AB1003 \
                     AB1004 AB1005 AB1006 AB1007 AB1008 AB1009 AB1010 AB1011 AB1012 AB1013 \
                     AB1014 AB1015 AB1016 AB1017 AB1018 AB1031 AB1032 AB2000 AB2001 AB2002 \
                     AB4008 AB1050 AG7002 AB1021 AB4018 AB9000 AB9001 AB9002 AB9003 AB9004 \
                     AB9005 AB9006 AB9007 AB9008 AB9009 AB9010 AB9011 AB9012 AB9013 AB9014 \
                     AB9015 AB9016 AB9017 AB9018 E1001 E1002";
        for code in codes.split_whitespace() {
            assert_ne!(hint(code), UNKNOWN_CODE_HINT, "{code} has no advice");
        }
        let unknown = ApiError::Angel {
            code: "AB7777".into(),
            message: "Something new".into(),
        }
        .to_string();
        assert!(unknown.contains("AB7777: Something new"), "{unknown}");
    }

    #[test]
    fn display_names_code_message_and_fix() {
        let shown = ApiError::Angel {
            code: "AG7002".into(),
            message: "Unregistered IP".into(),
        }
        .to_string();
        assert!(shown.contains("AG7002: Unregistered IP"), "{shown}");
        assert!(shown.contains("static IP registered"), "{shown}");
    }
}
