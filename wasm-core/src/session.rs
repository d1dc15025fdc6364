//! A logged-in Angel session and how long it can be trusted.
//!
//! Login yields three tokens: a JWT for API calls, a refresh token and a feed token. Angel's JWT
//! carries its expiry (`exp`), which Halo reads without verifying the signature (only Angel can
//! verify it, and Halo only needs to know when to log in again). A token that dies before the
//! day's close would fail mid-session, so such a token already counts as due for a new login.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub mod reminder;

/// India Standard Time is UTC+05:30 all year.
const IST_OFFSET_SECS: i64 = 5 * 3600 + 30 * 60;

/// The end of the trading day that a session must outlive: NSE and BSE close at 15:30 IST.
// TODO: commodity traders on MCX trade until 23:30 IST; make this per-account once Halo places
// MCX orders.
pub const TRADING_CLOSE_IST_MINUTES: u32 = 15 * 60 + 30;

/// A JWT lifetime longer than this is implausible for Angel, so its `exp` is not trusted.
const MAX_PLAUSIBLE_LIFETIME_SECS: u64 = 7 * 86_400;

/// Tokens from one login. `Debug` shows who is logged in, never the tokens.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The account's client code.
    pub client_code: String,
    /// The account holder's name from Angel's profile.
    pub name: String,
    /// The JWT sent as `Authorization: Bearer ...`.
    pub jwt_token: Zeroizing<String>,
    /// The refresh token, for `generateTokens`.
    pub refresh_token: Zeroizing<String>,
    /// The token for Angel's market-data feed.
    pub feed_token: Zeroizing<String>,
    /// When the login answered, in milliseconds since 1970 (JavaScript's `Date.now()`).
    pub obtained_at_unix_ms: f64,
}

/// Whether a session can still be used, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Good until at least today's close.
    Fresh,
    /// The JWT's expiry has passed.
    Expired,
    /// The JWT is still valid but expires before today's close: log in again now rather than
    /// fail mid-session.
    ExpiresBeforeClose,
    /// The JWT's expiry is unreadable and the login happened on an earlier day (in IST); Angel
    /// sessions last one trading day.
    FromEarlierDay,
}

impl Session {
    /// The JWT's expiry in seconds since 1970, when it is present and plausible.
    pub fn expires_at_unix_secs(&self) -> Option<u64> {
        jwt_expiry_unix_secs(&self.jwt_token)
    }

    /// Judges the session at `now_unix_ms` (milliseconds since 1970).
    pub fn freshness(&self, now_unix_ms: f64) -> Freshness {
        let now = unix_secs(now_unix_ms);
        match self.expires_at_unix_secs() {
            Some(exp) if exp <= now => Freshness::Expired,
            Some(exp) if exp < close_of_ist_day(now) => Freshness::ExpiresBeforeClose,
            Some(_) => Freshness::Fresh,
            None if ist_day(unix_secs(self.obtained_at_unix_ms)) < ist_day(now) => {
                Freshness::FromEarlierDay
            }
            None => Freshness::Fresh,
        }
    }

    /// True when Halo should log in again before using this session.
    pub fn needs_login(&self, now_unix_ms: f64) -> bool {
        self.freshness(now_unix_ms) != Freshness::Fresh
    }
}

impl core::fmt::Debug for Session {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Session")
            .field("client_code", &self.client_code)
            .field("name", &self.name)
            .field("tokens", &"<redacted>")
            .field("obtained_at_unix_ms", &self.obtained_at_unix_ms)
            .finish()
    }
}

/// Reads `exp` from a JWT (with or without a `Bearer ` prefix) without verifying it.
///
/// `None` when the token is not a JWT, has no numeric `exp`, or the expiry is implausible:
/// not after `iat`, or more than a week after it.
pub fn jwt_expiry_unix_secs(jwt: &str) -> Option<u64> {
    #[derive(Deserialize)]
    struct Claims {
        exp: Option<f64>,
        iat: Option<f64>,
    }

    let token = jwt.trim();
    let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }

    let json = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Claims = serde_json::from_slice(&json).ok()?;
    let exp = claims.exp.filter(|e| e.is_finite() && *e > 0.0)? as u64;
    if let Some(iat) = claims.iat.filter(|i| i.is_finite() && *i > 0.0) {
        let iat = iat as u64;
        if exp <= iat || exp - iat > MAX_PLAUSIBLE_LIFETIME_SECS {
            return None;
        }
    }
    Some(exp)
}

fn unix_secs(unix_ms: f64) -> u64 {
    if unix_ms.is_finite() && unix_ms > 0.0 {
        (unix_ms / 1000.0) as u64
    } else {
        0
    }
}

/// Days since 1970 on the IST calendar.
fn ist_day(unix_secs: u64) -> i64 {
    (unix_secs as i64 + IST_OFFSET_SECS).div_euclid(86_400)
}

/// The trading close of the IST day containing `unix_secs`.
fn close_of_ist_day(unix_secs: u64) -> u64 {
    let midnight = ist_day(unix_secs) * 86_400 - IST_OFFSET_SECS;
    (midnight + i64::from(TRADING_CLOSE_IST_MINUTES) * 60).max(0) as u64
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// 2026-03-02 08:40 IST.
    const IAT: u64 = 1_772_421_000;
    /// 2026-03-03 10:40 IST.
    const EXP: u64 = 1_772_514_600;
    /// 2026-03-03 09:00 IST.
    const MORNING: u64 = 1_772_508_600;

    fn jwt(claims: &str) -> String {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS512"}"#);
        format!(
            "{header}.{}.not-a-real-signature",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    fn session(jwt_token: String, obtained_at_unix_secs: u64) -> Session {
        Session {
            client_code: "Z999999".to_owned(),
            name: "Demo Trader".to_owned(),
            jwt_token: Zeroizing::new(jwt_token),
            refresh_token: Zeroizing::new("made-up-refresh".to_owned()),
            feed_token: Zeroizing::new("123456789".to_owned()),
            obtained_at_unix_ms: obtained_at_unix_secs as f64 * 1000.0,
        }
    }

    #[test]
    fn expiry_is_read_with_or_without_bearer() {
        let token = jwt(&format!(
            r#"{{"username":"Z999999","iat":{IAT},"exp":{EXP}}}"#
        ));
        assert_eq!(jwt_expiry_unix_secs(&token), Some(EXP));
        assert_eq!(jwt_expiry_unix_secs(&format!("Bearer {token}")), Some(EXP));
    }

    #[test]
    fn implausible_or_missing_expiry_is_none() {
        assert_eq!(jwt_expiry_unix_secs("not a jwt"), None);
        assert_eq!(jwt_expiry_unix_secs(&jwt(r#"{"iat":1772421000}"#)), None);
        assert_eq!(jwt_expiry_unix_secs(&jwt(r#"{"exp":"tomorrow"}"#)), None);
        assert_eq!(
            jwt_expiry_unix_secs(&jwt(&format!(r#"{{"iat":{EXP},"exp":{IAT}}}"#))),
            None
        );
        let far = EXP + 30 * 86_400;
        assert_eq!(
            jwt_expiry_unix_secs(&jwt(&format!(r#"{{"iat":{IAT},"exp":{far}}}"#))),
            None
        );
    }

    #[test]
    fn token_dying_before_close_means_log_in_now() {
        let token = jwt(&format!(r#"{{"iat":{IAT},"exp":{EXP}}}"#));
        let s = session(token, IAT);
        assert_eq!(
            s.freshness(MORNING as f64 * 1000.0),
            Freshness::ExpiresBeforeClose
        );
        assert!(s.needs_login(MORNING as f64 * 1000.0));
        // The day before, the same token outlives that day's close.
        assert_eq!(s.freshness((IAT + 3600) as f64 * 1000.0), Freshness::Fresh);
        assert_eq!(s.freshness((EXP + 1) as f64 * 1000.0), Freshness::Expired);
    }

    #[test]
    fn without_expiry_a_session_lasts_one_ist_day() {
        let s = session("opaque-token".to_owned(), IAT);
        assert_eq!(s.freshness((IAT + 3600) as f64 * 1000.0), Freshness::Fresh);
        assert_eq!(
            s.freshness(MORNING as f64 * 1000.0),
            Freshness::FromEarlierDay
        );
    }

    #[test]
    fn debug_hides_tokens() {
        let shown = format!("{:?}", session("secret-jwt".to_owned(), IAT));
        assert!(
            !shown.contains("secret-jwt") && !shown.contains("made-up-refresh"),
            "{shown}"
        );
        assert!(shown.contains("Z999999"));
    }
}
