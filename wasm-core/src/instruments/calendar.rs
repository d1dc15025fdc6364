//! Calendar arithmetic on plain day counts, for expiries and the master's day.
//!
//! Expiries are calendar dates with no time of day, so days since 1970-01-01 are all the
//! arithmetic needs; the conversions are Howard Hinnant's well-known civil-date algorithms.

/// Gregorian (year, month 1-12, day 1-31) of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a Gregorian date (the inverse of [`civil_from_days`]).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Day of the week of a day count: 0 is Monday, 6 is Sunday (1970-01-01 was a Thursday).
pub fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

/// A date as `20260728`.
pub fn yyyymmdd(days: i64) -> u32 {
    let (year, month, day) = civil_from_days(days);
    u32::try_from(year * 10_000 + month * 100 + day).unwrap_or(0)
}

/// The day count of a `20260728`-style date.
pub fn days_of_yyyymmdd(date: u32) -> i64 {
    let date = i64::from(date);
    days_from_civil(date / 10_000, date / 100 % 100, date % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_weekdays() {
        for days in [-800_000, -1, 0, 1, 19_782, 20_654, 800_000] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_of_yyyymmdd(20240229), 19_782);
        assert_eq!(yyyymmdd(19_782), 20240229);
        // 28 July 2026 is a Tuesday, the day NSE's monthly contracts expire.
        assert_eq!(weekday(days_of_yyyymmdd(20260728)), 1);
        assert_eq!(weekday(0), 3);
    }
}
