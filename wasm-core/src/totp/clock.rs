//! Clock skew between this device and Angel, measured from an HTTP `Date` header.
//!
//! A device clock a minute off makes every code wrong, and Angel answers only "invalid TOTP".
//! Every response carries the server's time in its `Date` header, so the skew can be measured
//! on any request and applied to the time handed to [`super::code_at`].

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The server's clock minus the local one, in whole seconds, from a `Date` header in the
/// IMF-fixdate form every current server sends (`Wed, 01 Jan 2025 00:00:00 GMT`).
///
/// Positive means the local clock is behind. `None` when the header does not parse or the local
/// time is not a finite number. The header has one-second resolution, so the result is good to
/// about a second, which is plenty against a 30-second period.
pub fn clock_offset_secs(local_unix_ms: f64, http_date: &str) -> Option<i64> {
    if !local_unix_ms.is_finite() {
        return None;
    }
    let server_secs = parse_imf_fixdate(http_date)?;
    let offset_ms = server_secs as f64 * 1000.0 - local_unix_ms;
    Some((offset_ms / 1000.0).round() as i64)
}

/// The local time corrected by a measured offset, in whole seconds since 1970, for
/// [`super::code_at`]. A time before 1970 (or not a number) becomes 0.
pub fn server_unix_secs(local_unix_ms: f64, offset_secs: i64) -> u64 {
    let secs = (local_unix_ms / 1000.0).floor() + offset_secs as f64;
    if secs.is_finite() && secs > 0.0 {
        secs as u64
    } else {
        0
    }
}

/// Seconds since 1970 for `Sun, 06 Nov 1994 08:49:37 GMT`. The weekday is not checked
/// against the date: a server that gets it wrong still has the right time.
fn parse_imf_fixdate(text: &str) -> Option<i64> {
    let mut parts = text.split_ascii_whitespace();
    let weekday = parts.next()?;
    let day: u32 = parse_digits(parts.next()?, 2)?;
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
    let year: i64 = parse_digits(parts.next()?, 4)?.into();
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    if weekday.len() != 4 || !weekday.ends_with(',') {
        return None;
    }

    let mut clock = time.split(':');
    let hour: u32 = parse_digits(clock.next()?, 2)?;
    let minute: u32 = parse_digits(clock.next()?, 2)?;
    let second: u32 = parse_digits(clock.next()?, 2)?;
    // 60 is a leap second, which IMF-fixdate allows.
    if clock.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if year < 1970 || day == 0 || day > days_in_month(year, month) {
        return None;
    }

    let days = days_since_epoch(year, month, day);
    Some(days * 86_400 + i64::from(hour * 3600 + minute * 60 + second))
}

fn parse_digits(text: &str, width: usize) -> Option<u32> {
    if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_since_epoch(year: i64, month: u32, day: u32) -> i64 {
    // Four-digit years bound this loop to a few thousand steps.
    let year_days: i64 = (1970..year)
        .map(|y| if is_leap(y) { 366 } else { 365 })
        .sum();
    let month_days: i64 = (1..month).map(|m| i64::from(days_in_month(year, m))).sum();
    year_days + month_days + i64::from(day) - 1
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_dates() {
        assert_eq!(parse_imf_fixdate("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            parse_imf_fixdate("Wed, 01 Jan 2025 00:00:00 GMT"),
            Some(1_735_689_600)
        );
        assert_eq!(
            parse_imf_fixdate("Thu, 29 Feb 2024 23:59:59 GMT"),
            Some(1_709_251_199)
        );
        assert_eq!(
            parse_imf_fixdate("Wed, 18 May 2033 03:33:20 GMT"),
            Some(2_000_000_000)
        );
    }

    #[test]
    fn refuses_malformed_dates() {
        for text in [
            "",
            "yesterday",
            "Wed, 1 Jan 2025 00:00:00 GMT",
            "Wed, 01 Jan 2025 00:00:00 UTC",
            "Wed, 01 Foo 2025 00:00:00 GMT",
            "Wed, 30 Feb 2025 00:00:00 GMT",
            "Wed, 29 Feb 2025 00:00:00 GMT",
            "Wed, 01 Jan 2025 24:00:00 GMT",
            "Wed, 01 Jan 2025 00:00 GMT",
            "Wed, 01 Jan 1969 00:00:00 GMT",
            "Wed, 01 Jan 2025 00:00:00 GMT extra",
            "Wednesday, 01-Jan-25 00:00:00 GMT",
        ] {
            assert_eq!(parse_imf_fixdate(text), None, "{text:?}");
        }
    }

    #[test]
    fn offset_sign_and_rounding() {
        let date = "Wed, 01 Jan 2025 00:00:00 GMT";
        assert_eq!(clock_offset_secs(1_735_689_675_000.0, date), Some(-75));
        assert_eq!(clock_offset_secs(1_735_689_540_400.0, date), Some(60));
        assert_eq!(clock_offset_secs(1_735_689_600_000.0, date), Some(0));
        assert_eq!(clock_offset_secs(f64::NAN, date), None);
        assert_eq!(clock_offset_secs(0.0, "not a date"), None);
    }

    #[test]
    fn corrected_time_applies_offset() {
        assert_eq!(server_unix_secs(1_735_689_675_999.0, -75), 1_735_689_600);
        assert_eq!(server_unix_secs(1_000.0, -75), 0);
        assert_eq!(server_unix_secs(f64::NAN, 0), 0);
    }
}
