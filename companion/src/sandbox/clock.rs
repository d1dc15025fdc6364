//! Wall-clock time in the forms the sandbox needs: Unix seconds for TOTP steps, the
//! `20-Oct-2020 13:10:59` India Standard Time stamps that Angel's order book carries, and the
//! HTTP `Date` header (from which clients measure how far their clock is off).

use std::time::{SystemTime, UNIX_EPOCH};

/// India Standard Time is UTC+05:30 all year (no daylight saving).
const IST_OFFSET_SECS: u64 = 5 * 3600 + 30 * 60;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds since the Unix epoch; a clock set before 1970 reads as 0.
pub fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Seconds since the Unix epoch moved by `offset_secs`, the sandbox's `--clock-offset`.
pub fn shifted_unix_secs(offset_secs: i64) -> u64 {
    let now = i64::try_from(unix_secs()).unwrap_or(i64::MAX);
    u64::try_from(now.saturating_add(offset_secs)).unwrap_or(0)
}

/// Formats a Unix time as an HTTP `Date` (IMF-fixdate, RFC 9110), e.g.
/// `Wed, 01 Jan 2025 00:00:00 GMT`.
pub fn http_date(unix_secs: u64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let (days, secs_of_day) = (unix_secs / 86_400, unix_secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
    // 1970-01-01 was a Thursday; month is 1..=12 by construction of civil_from_days.
    let weekday = WEEKDAYS[(days % 7) as usize];
    let month_name = MONTHS[(month - 1) as usize];
    format!("{weekday}, {day:02} {month_name} {year} {h:02}:{m:02}:{s:02} GMT")
}

/// Formats a Unix time the way Angel's order book does, in IST.
pub fn angel_timestamp(unix_secs: u64) -> String {
    let local = unix_secs + IST_OFFSET_SECS;
    let (days, secs_of_day) = (local / 86_400, local % 86_400);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
    // month is 1..=12 by construction of civil_from_days.
    let month_name = MONTHS[(month - 1) as usize];
    format!("{day:02}-{month_name}-{year} {h:02}:{m:02}:{s:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month 1-12, day 1-31), by Howard
/// Hinnant's well-known era arithmetic (unsigned form: no date before 1970 reaches here).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants_in_ist() {
        // 2025-01-01T00:00:00Z is 05:30 in India.
        assert_eq!(angel_timestamp(1_735_689_600), "01-Jan-2025 05:30:00");
        // 2020-10-20T07:40:59Z, the instant of the order-book sample in Angel's docs.
        assert_eq!(angel_timestamp(1_603_179_659), "20-Oct-2020 13:10:59");
        // A leap day, and the evening that rolls over into the next IST day.
        assert_eq!(angel_timestamp(1_709_208_000), "29-Feb-2024 17:30:00");
        assert_eq!(angel_timestamp(1_735_671_600), "01-Jan-2025 00:30:00");
    }

    #[test]
    fn formats_http_dates() {
        assert_eq!(http_date(1_735_689_600), "Wed, 01 Jan 2025 00:00:00 GMT");
        // RFC 9110's own example.
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
