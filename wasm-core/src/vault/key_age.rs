//! How old an account's API key is, and when Halo should say so.
//!
//! Angel retires an API key after a year without use and advises rotating keys every few
//! months, so the vault keeps the day each key was created and the popup warns as it ages.
//! Dates are ISO calendar days (`YYYY-MM-DD`); halo-core reads no clock, so "today" is passed in.

/// Months after creation when the trader is first told to rotate the key.
pub const ROTATE_SOON_MONTHS: u32 = 6;
/// Months after creation when the key is a month from Angel's one-year cut-off.
pub const ROTATE_NOW_MONTHS: u32 = 11;

/// A calendar day, checked to exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CalendarDate {
    year: u32,
    month: u32,
    day: u32,
}

impl CalendarDate {
    /// Parses `YYYY-MM-DD`; `None` for any other shape or a day the calendar lacks.
    pub fn parse(text: &str) -> Option<CalendarDate> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: core::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let date = CalendarDate {
            year: number(0..4)?,
            month: number(5..7)?,
            day: number(8..10)?,
        };
        let valid = date.year >= 1
            && (1..=12).contains(&date.month)
            && (1..=days_in_month(date.year, date.month)).contains(&date.day);
        valid.then_some(date)
    }

    /// Whole months from `self` to `later` (zero when `later` is not after `self`). A month is
    /// complete on the same day-of-month, so 15 Jan to 14 Jul is five months.
    pub fn whole_months_until(self, later: CalendarDate) -> u32 {
        if later <= self {
            return 0;
        }
        let months = (later.year - self.year) * 12 + later.month - self.month;
        if later.day < self.day {
            months - 1
        } else {
            months
        }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// What the popup should say about an ageing API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAgeNotice {
    /// Six months or more: time to plan a new key.
    RotateSoon {
        /// Whole months since the key was created.
        months: u32,
    },
    /// Eleven months or more: Angel drops an unused key at a year.
    RotateNow {
        /// Whole months since the key was created.
        months: u32,
    },
}

impl core::fmt::Display for KeyAgeNotice {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            KeyAgeNotice::RotateSoon { months } => {
                write!(f, "API key is {months} months old; rotate it soon")
            }
            KeyAgeNotice::RotateNow { months } => write!(
                f,
                "API key is {months} months old: it expires within a month unless used; \
                 rotate now"
            ),
        }
    }
}

/// The notice due for a key created on `created` as of `today`, both `YYYY-MM-DD`; `None` while
/// the key is young or when either date is not a real day.
pub fn api_key_age_notice(created: &str, today: &str) -> Option<KeyAgeNotice> {
    let months = CalendarDate::parse(created)?.whole_months_until(CalendarDate::parse(today)?);
    if months >= ROTATE_NOW_MONTHS {
        Some(KeyAgeNotice::RotateNow { months })
    } else if months >= ROTATE_SOON_MONTHS {
        Some(KeyAgeNotice::RotateSoon { months })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_real_days_only() {
        assert!(CalendarDate::parse("2024-02-29").is_some());
        assert_eq!(CalendarDate::parse("2025-02-29"), None);
        assert_eq!(CalendarDate::parse("1900-02-29"), None);
        assert!(CalendarDate::parse("2000-02-29").is_some());
        assert_eq!(CalendarDate::parse("2025-04-31"), None);
        assert_eq!(CalendarDate::parse("2025-13-01"), None);
        assert_eq!(CalendarDate::parse("2025-00-10"), None);
        assert_eq!(CalendarDate::parse("2025-1-01"), None);
        assert_eq!(CalendarDate::parse("2025-01-+1"), None);
        assert_eq!(CalendarDate::parse("01/02/2025"), None);
    }

    #[test]
    fn months_are_counted_by_day_of_month() {
        let day = |text| CalendarDate::parse(text).unwrap();
        assert_eq!(day("2025-01-15").whole_months_until(day("2025-07-14")), 5);
        assert_eq!(day("2025-01-15").whole_months_until(day("2025-07-15")), 6);
        assert_eq!(day("2024-12-31").whole_months_until(day("2025-12-31")), 12);
        assert_eq!(day("2025-03-01").whole_months_until(day("2025-02-01")), 0);
    }

    #[test]
    fn no_notice_before_six_months() {
        assert_eq!(api_key_age_notice("2025-01-15", "2025-01-15"), None);
        assert_eq!(api_key_age_notice("2025-01-15", "2025-07-14"), None);
    }

    #[test]
    fn rotate_soon_from_six_to_eleven_months() {
        assert_eq!(
            api_key_age_notice("2025-01-15", "2025-07-15"),
            Some(KeyAgeNotice::RotateSoon { months: 6 })
        );
        assert_eq!(
            api_key_age_notice("2025-01-15", "2025-12-14"),
            Some(KeyAgeNotice::RotateSoon { months: 10 })
        );
        let notice = api_key_age_notice("2025-01-15", "2025-07-15").unwrap();
        assert_eq!(
            notice.to_string(),
            "API key is 6 months old; rotate it soon"
        );
    }

    #[test]
    fn rotate_now_from_eleven_months() {
        assert_eq!(
            api_key_age_notice("2025-01-15", "2025-12-15"),
            Some(KeyAgeNotice::RotateNow { months: 11 })
        );
        assert_eq!(
            api_key_age_notice("2024-01-15", "2025-03-01"),
            Some(KeyAgeNotice::RotateNow { months: 13 })
        );
        let notice = api_key_age_notice("2025-01-15", "2025-12-15").unwrap();
        assert!(
            notice
                .to_string()
                .contains("expires within a month unless used")
        );
    }

    #[test]
    fn bad_dates_give_no_notice() {
        assert_eq!(api_key_age_notice("2025-02-30", "2026-01-01"), None);
        assert_eq!(api_key_age_notice("2025-01-01", "soon"), None);
    }
}
