//! One-time codes for Angel's login (RFC 6238 TOTP).
//!
//! Angel asks for a six-digit TOTP at every SmartAPI login. Halo computes it from the secret
//! shown under the QR code on Angel's enable-TOTP page. The time is always passed in: reading
//! the clock here would panic on wasm32 and would make the codes untestable.

mod clock;
mod otpauth;
mod qr;
mod secret;

use serde::{Deserialize, Serialize};

pub use clock::{clock_offset_secs, server_unix_secs};
pub use otpauth::{OtpAuth, parse_secret_or_uri};
pub use qr::{QrError, decode_qr, luma_from_rgba};
pub use secret::TotpSecret;

/// The fewest seconds a code must still be valid for Halo to submit it in a login.
///
/// A code sent in its last seconds can expire in flight and Angel then refuses it (AB1050), which
/// looks to the trader like a wrong secret.
pub const MIN_SECONDS_LEFT_FOR_LOGIN: u64 = 3;

/// Digits a code may have: RFC 4226 allows 6 to 8, and more would overflow the truncation.
const DIGITS_RANGE: core::ops::RangeInclusive<u32> = 6..=8;

/// Periods Halo accepts, in seconds. Issuers use 30 or 60; 0 would divide by zero.
const PERIOD_RANGE: core::ops::RangeInclusive<u64> = 1..=3600;

/// The HMAC hash behind the codes. Angel uses SHA-1, as do nearly all issuers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    /// HMAC-SHA-1, the RFC 6238 default.
    #[default]
    #[serde(rename = "SHA1")]
    Sha1,
    /// HMAC-SHA-256.
    #[serde(rename = "SHA256")]
    Sha256,
    /// HMAC-SHA-512.
    #[serde(rename = "SHA512")]
    Sha512,
}

impl Algorithm {
    fn to_totp_rs(self) -> totp_rs::Algorithm {
        match self {
            Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
            Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
            Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
        }
    }
}

/// How codes are computed from a secret: hash, number of digits and period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpParams {
    /// The HMAC hash.
    pub algorithm: Algorithm,
    /// Digits in a code, 6 to 8.
    pub digits: u32,
    /// Seconds each code is valid for.
    pub period_secs: u64,
}

impl Default for TotpParams {
    /// Angel's parameters, which are also the RFC 6238 defaults: SHA-1, 6 digits, 30 seconds.
    fn default() -> Self {
        TotpParams {
            algorithm: Algorithm::Sha1,
            digits: 6,
            period_secs: 30,
        }
    }
}

impl TotpParams {
    /// Refuses parameters no code can be computed with (digits outside 6-8, period 0 or over an
    /// hour). Called before every computation, because totp-rs panics on such values and a
    /// panic kills the wasm module.
    pub fn check(&self) -> Result<(), TotpError> {
        if !DIGITS_RANGE.contains(&self.digits) {
            return Err(TotpError::InvalidDigits {
                digits: self.digits,
            });
        }
        if !PERIOD_RANGE.contains(&self.period_secs) {
            return Err(TotpError::InvalidPeriod {
                period_secs: self.period_secs,
            });
        }
        Ok(())
    }
}

/// A code and how long it stays valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    /// The code as a fixed-width string: `"005924"`, never `5924`.
    pub code: String,
    /// Seconds until the next code, 1 to `period_secs`.
    pub seconds_left: u64,
    /// The period the code was computed with, for a countdown display.
    pub period_secs: u64,
}

/// Computes the code valid at `unix_secs` (seconds since 1970, already corrected for clock skew
/// if the caller measured any).
///
/// Secrets shorter than the 128 bits RFC 4226 asks for are accepted, since real sites issue
/// 80-bit ones; only the parameters are checked.
pub fn code_at(
    secret: &TotpSecret,
    params: &TotpParams,
    unix_secs: u64,
) -> Result<Code, TotpError> {
    params.check()?;

    // The digit count was checked to be 6..=8, so the narrowing cannot truncate.
    let digits = params.digits as u8;
    let totp = totp_rs::Builder::new()
        .with_algorithm(params.algorithm.to_totp_rs())
        .with_digits(digits)
        .with_step_duration(params.period_secs)
        .with_skew(0)
        .with_secret(secret.as_bytes())
        // The compliant `build` refuses secrets under 128 bits, which real sites still issue.
        .build_noncompliant();

    Ok(Code {
        code: totp.generate(unix_secs).to_string(),
        seconds_left: seconds_left(params.period_secs, unix_secs),
        period_secs: params.period_secs,
    })
}

/// How long a login should wait before computing its code: 0 when the current code has at least
/// [`MIN_SECONDS_LEFT_FOR_LOGIN`] seconds left, otherwise the seconds until the next code.
pub fn seconds_to_wait_before_login(params: &TotpParams, unix_secs: u64) -> u64 {
    let left = seconds_left(params.period_secs, unix_secs);
    if left < MIN_SECONDS_LEFT_FOR_LOGIN {
        left
    } else {
        0
    }
}

/// In its last this-many seconds a code is shown with the one that follows, so a trader who
/// types slowly can use the next one instead of racing the countdown.
pub const SHOW_NEXT_CODE_SECS: u64 = 5;

/// The code that follows the one valid at `unix_secs`, when that one has at most
/// [`SHOW_NEXT_CODE_SECS`] seconds left; `None` earlier in the period.
pub fn upcoming_code(
    secret: &TotpSecret,
    params: &TotpParams,
    unix_secs: u64,
) -> Result<Option<Code>, TotpError> {
    params.check()?;
    let left = seconds_left(params.period_secs, unix_secs);
    if left > SHOW_NEXT_CODE_SECS {
        return Ok(None);
    }
    code_at(secret, params, unix_secs.saturating_add(left)).map(Some)
}

fn seconds_left(period_secs: u64, unix_secs: u64) -> u64 {
    // A zero period is refused by `TotpParams::check`; `max` keeps this helper total anyway.
    let period = period_secs.max(1);
    period - unix_secs % period
}

/// Why a TOTP secret or code was refused. The text never repeats the secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TotpError {
    /// Nothing was entered.
    #[error("the TOTP secret is empty; paste the secret shown under the QR code")]
    Empty,
    /// Six to eight digits: the trader pasted a code from an authenticator app.
    #[error("this looks like a one-time code; paste the secret shown under the QR code")]
    LooksLikeCode,
    /// A character outside base32's alphabet.
    #[error(
        "the TOTP secret contains {}, which a base32 secret never does (it uses only the \
         letters A-Z and the digits 2-7){}",
        shown(*character),
        hint(*character)
    )]
    BadCharacter {
        /// The offending character.
        character: char,
    },
    /// A length that no whole base32 secret has: part of it was probably not copied.
    #[error(
        "the TOTP secret has {length} characters, which cannot be a whole secret; copy it \
         again, all of it"
    )]
    Truncated {
        /// Characters left after removing spaces, hyphens and padding.
        length: usize,
    },
    /// Under 80 bits: no issuer hands out secrets this short, so it is a partial copy.
    #[error(
        "the TOTP secret is only {bits} bits long; real secrets are at least 80 bits (16 \
         characters), so copy it again, all of it"
    )]
    TooShort {
        /// The decoded length in bits.
        bits: usize,
    },
    /// Over 1024 bits: no issuer hands out secrets this long, so something else was pasted.
    #[error(
        "the TOTP secret is {bits} bits long; no issuer hands out more than 512 bits (103 \
         characters), so paste only the secret shown under the QR code"
    )]
    TooLong {
        /// The length in bits the characters would decode to.
        bits: usize,
    },
    /// Digits outside 6 to 8.
    #[error("a TOTP code must have 6 to 8 digits, not {digits}")]
    InvalidDigits {
        /// The refused digit count.
        digits: u32,
    },
    /// A period of 0 or over an hour.
    #[error("a TOTP period must be 1 to 3600 seconds, not {period_secs}")]
    InvalidPeriod {
        /// The refused period.
        period_secs: u64,
    },
    /// Text that starts like a link but is not an `otpauth://` one.
    #[error("this is not an otpauth:// link; paste the link or the secret itself")]
    NotOtpAuth,
    /// An `otpauth://hotp/` (counter-based) or otherwise unknown kind of link.
    #[error("the link is for \"{kind}\" codes; Halo makes time-based (totp) codes only")]
    UnsupportedKind {
        /// The kind named in the link.
        kind: String,
    },
    /// An `otpauth://` link without its `secret` parameter.
    #[error("the otpauth link has no secret parameter; copy the whole link again")]
    MissingSecret,
    /// A link parameter with a value no code can be computed with.
    #[error(
        "the otpauth link's {field} is \"{value}\", which Halo cannot use ({})",
        allowed(field)
    )]
    BadLinkField {
        /// The parameter: `digits`, `period` or `algorithm`.
        field: &'static str,
        /// The refused value, shortened.
        value: String,
    },
}

fn allowed(field: &str) -> &'static str {
    match field {
        "digits" => "it must be 6, 7 or 8",
        "period" => "it must be a whole number of seconds from 1 to 3600",
        _ => "it must be SHA1, SHA256 or SHA512",
    }
}

fn shown(character: char) -> String {
    if character.is_control() {
        format!("the control character {}", character.escape_unicode())
    } else {
        format!("'{character}'")
    }
}

fn hint(character: char) -> &'static str {
    // Secrets copied by hand confuse letters with digits that base32 leaves out on purpose.
    match character {
        '0' => "; a '0' is probably the letter O",
        '1' => "; a '1' is probably the letter I or L",
        '8' => "; an '8' is probably the letter B",
        _ => "",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const RFC: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn code_keeps_leading_zero() {
        let secret = TotpSecret::parse(RFC).unwrap();
        let code = code_at(&secret, &TotpParams::default(), 1_234_567_890).unwrap();
        assert_eq!(code.code, "005924");
        assert_eq!(code.seconds_left, 30);
        assert_eq!(code.period_secs, 30);
    }

    #[test]
    fn seconds_left_counts_down_within_a_period() {
        let secret = TotpSecret::parse(RFC).unwrap();
        let params = TotpParams::default();
        assert_eq!(
            code_at(&secret, &params, 1_735_689_600)
                .unwrap()
                .seconds_left,
            30
        );
        assert_eq!(
            code_at(&secret, &params, 1_735_689_629)
                .unwrap()
                .seconds_left,
            1
        );
    }

    #[test]
    fn login_waits_only_in_the_last_seconds() {
        let params = TotpParams::default();
        // 1735689600 is a period boundary.
        assert_eq!(seconds_to_wait_before_login(&params, 1_735_689_600), 0);
        assert_eq!(seconds_to_wait_before_login(&params, 1_735_689_627), 0);
        assert_eq!(seconds_to_wait_before_login(&params, 1_735_689_628), 2);
        assert_eq!(seconds_to_wait_before_login(&params, 1_735_689_629), 1);
        let sixty = TotpParams {
            period_secs: 60,
            ..TotpParams::default()
        };
        assert_eq!(seconds_to_wait_before_login(&sixty, 1_735_689_629), 0);
        assert_eq!(seconds_to_wait_before_login(&sixty, 1_735_689_658), 2);
    }

    #[test]
    fn next_code_only_in_the_last_seconds() {
        let secret = TotpSecret::parse(RFC).unwrap();
        let params = TotpParams::default();
        // 2025-01-01T00:00:00Z is a period boundary; case T9 gives its code.
        let t = 1_735_689_600;
        assert_eq!(upcoming_code(&secret, &params, t - 6).unwrap(), None);
        for at in [t - 5, t - 1] {
            let next = upcoming_code(&secret, &params, at).unwrap().unwrap();
            assert_eq!(next.code, "381520", "at {at}");
            assert_eq!(next.seconds_left, 30);
        }
        assert_eq!(upcoming_code(&secret, &params, t), Ok(None));
    }

    #[test]
    fn absurd_params_are_errors_not_panics() {
        let secret = TotpSecret::parse(RFC).unwrap();
        for (digits, period_secs) in [(0, 30), (5, 30), (9, 30), (12, 30), (6, 0), (6, 3601)] {
            let params = TotpParams {
                digits,
                period_secs,
                ..TotpParams::default()
            };
            assert!(
                code_at(&secret, &params, 59).is_err(),
                "{digits} digits, {period_secs} s"
            );
        }
    }

    #[test]
    fn params_serialize_with_wire_names() {
        let params = TotpParams {
            algorithm: Algorithm::Sha256,
            digits: 8,
            period_secs: 60,
        };
        let json = serde_json::to_string(&params).unwrap();
        assert_eq!(
            json,
            r#"{"algorithm":"SHA256","digits":8,"period_secs":60}"#
        );
        assert_eq!(serde_json::from_str::<TotpParams>(&json).unwrap(), params);
    }

    #[test]
    fn bad_character_message_hints_at_the_likely_letter() {
        let err = TotpError::BadCharacter { character: '0' };
        assert!(err.to_string().contains("probably the letter O"), "{err}");
    }
}
