//! The activity log: one line per SmartAPI call (when, which account, which route, how it
//! ended, how long it took), so a trader can see what Halo did on their behalf.
//!
//! A line never holds a secret or a token: the route is the URL's path without its query, the
//! account is its label, and the outcome is `ok`, Angel's error code, or the kind of reply. The
//! log is capped, oldest lines first out, and exports as CSV.

use serde::{Deserialize, Serialize};

use crate::smartapi::{self, ApiError, HttpResponse};

/// How many lines the log keeps.
pub const CAPACITY: usize = 500;

/// One call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// When the call was sent, in Unix milliseconds.
    pub at_unix_ms: f64,
    /// The account's label, or `-` when the call belongs to none.
    pub account: String,
    /// The URL's path, e.g. `/rest/secure/angelbroking/order/v1/placeOrder`.
    pub route: String,
    /// `ok`, Angel's code (`AB1050`), or the kind of failure (`unreachable`, `HTTP 403`, ...).
    pub outcome: String,
    /// Milliseconds from sending to the whole answer.
    pub latency_ms: u32,
}

/// The path of a URL: no scheme, host, query or fragment, so no key or token can ride along.
pub fn route_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    let rest = &url[after_scheme..];
    let path = rest.find('/').map_or("/", |at| &rest[at..]);
    let end = path.find(['?', '#']).unwrap_or(path.len());
    path[..end].to_owned()
}

/// How a reply ended, in a word or a code.
pub fn outcome_of(response: &HttpResponse) -> String {
    match smartapi::decode::<serde_json::Value>(response) {
        Ok(_) => "ok".to_owned(),
        Err(ApiError::Angel { code, .. }) if !code.is_empty() => code,
        Err(ApiError::Angel { .. }) => "refused".to_owned(),
        Err(ApiError::RateLimited) => "rate-limited".to_owned(),
        Err(ApiError::Blocked { .. }) => "blocked".to_owned(),
        Err(ApiError::EmptyBody) => "empty reply".to_owned(),
        Err(ApiError::NotJson { status }) => format!("HTTP {status}"),
        Err(_) => "unreadable reply".to_owned(),
    }
}

/// Adds a line, dropping the oldest beyond [`CAPACITY`].
pub fn push(log: &mut Vec<Entry>, entry: Entry) {
    log.push(entry);
    if log.len() > CAPACITY {
        let excess = log.len() - CAPACITY;
        log.drain(..excess);
    }
}

/// The log as CSV (RFC 4180), header first, times in UTC ISO 8601.
///
/// A cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-` or `@`) is
/// prefixed with `'`: labels are typed by the user and must stay text.
pub fn to_csv(log: &[Entry]) -> String {
    let mut csv = String::from("time_utc,account,route,outcome,latency_ms\r\n");
    for entry in log {
        let cells = [
            iso_utc(entry.at_unix_ms),
            cell(&entry.account),
            cell(&entry.route),
            cell(&entry.outcome),
            entry.latency_ms.to_string(),
        ];
        csv.push_str(&cells.join(","));
        csv.push_str("\r\n");
    }
    csv
}

fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text != "-" {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// `2025-01-01T00:00:00Z` for a Unix time in milliseconds.
fn iso_utc(unix_ms: f64) -> String {
    let secs = if unix_ms.is_finite() && unix_ms > 0.0 {
        (unix_ms / 1000.0) as u64
    } else {
        0
    };
    let (days, of_day) = (secs / 86_400, secs % 86_400);
    // Days since 1970 to a civil date, by Howard Hinnant's era arithmetic.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let (h, m, s) = (of_day / 3600, of_day / 60 % 60, of_day % 60);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
}

/// IST is UTC+05:30 all year.
const IST_OFFSET_MS: f64 = 330.0 * 60_000.0;
const DAY_MS: f64 = 86_400_000.0;
/// The hours the activity filter counts as usual: 08:00 to 16:00 IST, the pre-open session to
/// a little after the close.
const USUAL_FROM_MINUTE: f64 = 8.0 * 60.0;
const USUAL_UNTIL_MINUTE: f64 = 16.0 * 60.0;

/// Whether a call at `at_unix_ms` was made at an unusual hour: outside 08:00-16:00 IST, or on
/// a Saturday or Sunday (IST). Such calls are worth a second look: the trader was probably not
/// at the desk.
pub fn is_unusual_hour(at_unix_ms: f64) -> bool {
    let ist_ms = at_unix_ms + IST_OFFSET_MS;
    let days = (ist_ms / DAY_MS).floor();
    // 1970-01-01 was a Thursday: with Sunday as 0, day 0 is weekday 4.
    let weekday = (days + 4.0).rem_euclid(7.0);
    let minute = (ist_ms - days * DAY_MS) / 60_000.0;
    let weekend = weekday == 0.0 || weekday == 6.0;
    weekend || !(USUAL_FROM_MINUTE..USUAL_UNTIL_MINUTE).contains(&minute)
}

/// Whether a line's outcome is a failure (anything but `ok`).
pub fn is_failure(outcome: &str) -> bool {
    outcome != "ok"
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn unusual_hours_are_outside_eight_to_four_ist_or_at_weekends() {
        // 2025-01-01T00:00:00Z, a Wednesday: 05:30 IST.
        let t = 1_735_689_600_000.0;
        let hour = 3_600_000.0;
        assert!(is_unusual_hour(t));
        // 03:30Z is 09:00 IST on Wednesday.
        assert!(!is_unusual_hour(t + 3.5 * hour));
        // 10:29Z is 15:59 IST; 10:30Z is 16:00 IST.
        assert!(!is_unusual_hour(t + 10.0 * hour + 29.0 * 60_000.0));
        assert!(is_unusual_hour(t + 10.5 * hour));
        // Saturday 2025-01-04 and Friday 2025-01-03, 09:00 IST.
        assert!(is_unusual_hour(t + 3.0 * 24.0 * hour + 3.5 * hour));
        assert!(!is_unusual_hour(t + 2.0 * 24.0 * hour + 3.5 * hour));
        assert!(is_failure("AB1050"));
        assert!(!is_failure("ok"));
    }

    fn entry(account: &str, outcome: &str) -> Entry {
        Entry {
            at_unix_ms: 1_735_689_600_000.0,
            account: account.to_owned(),
            route: "/rest/auth/angelbroking/user/v1/loginByPassword".to_owned(),
            outcome: outcome.to_owned(),
            latency_ms: 42,
        }
    }

    #[test]
    fn routes_lose_host_query_and_fragment() {
        assert_eq!(
            route_of("https://smartapi.angelone.in/publisher-login?api_key=SECRET&state=s"),
            "/publisher-login"
        );
        assert_eq!(route_of("http://127.0.0.1:8931"), "/");
        assert_eq!(route_of("http://h/a/b#frag"), "/a/b");
    }

    #[test]
    fn outcomes_name_the_code_or_the_kind() {
        let reply = |status, body: &str| HttpResponse {
            status,
            content_type: Some("application/json".to_owned()),
            body: body.to_owned(),
        };
        assert_eq!(
            outcome_of(&reply(200, r#"{"status":true,"data":{}}"#)),
            "ok"
        );
        let refused = r#"{"status":false,"message":"Invalid totp","errorcode":"AB1050"}"#;
        assert_eq!(outcome_of(&reply(200, refused)), "AB1050");
        assert_eq!(outcome_of(&reply(200, "")), "empty reply");
    }

    #[test]
    fn the_log_is_capped_oldest_first() {
        let mut log = Vec::new();
        for n in 0..CAPACITY + 3 {
            push(&mut log, entry(&n.to_string(), "ok"));
        }
        assert_eq!(log.len(), CAPACITY);
        assert_eq!(log[0].account, "3");
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let csv = to_csv(&[
            entry("Main, family", "ok"),
            entry("=HYPERLINK(\"x\")", "AB1050"),
        ]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "time_utc,account,route,outcome,latency_ms");
        assert_eq!(
            lines[1],
            "2025-01-01T00:00:00Z,\"Main, family\",\
             /rest/auth/angelbroking/user/v1/loginByPassword,ok,42"
        );
        assert!(lines[2].starts_with("2025-01-01T00:00:00Z,\"'=HYPERLINK(\"\"x\"\")\","));
        assert_eq!(cell("-"), "-");
    }
}
