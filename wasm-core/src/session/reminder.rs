//! The daily "log in now" reminder: whether it is due is a pure function of the time, the last
//! login and the last reminder, so it can be judged again on every wake of the worker.
//!
//! Alarms are not exact: a laptop asleep at the reminder time wakes the worker later, and the
//! worker may be restarted at any moment. So nothing here counts on an alarm firing on time;
//! each wake asks [`due`], and [`next_at_unix_ms`] only says when to look again.

/// India Standard Time is UTC+05:30 all year.
const IST_OFFSET_MS: f64 = (5.0 * 3600.0 + 30.0 * 60.0) * 1000.0;
const DAY_MS: f64 = 86_400_000.0;

/// The default reminder time: 08:45 IST, half an hour before the market opens.
pub const DEFAULT_REMINDER_IST_MINUTES: u32 = 8 * 60 + 45;

/// Whether to remind the trader to log in at `now_unix_ms`.
///
/// Due on a weekday once today's reminder time (minutes after midnight IST) has passed, unless
/// a login or a reminder already happened since that time today.
// TODO: exchange holidays are not known to Halo; a holiday calendar would silence those too.
pub fn due(
    now_unix_ms: f64,
    at_ist_minutes: u32,
    last_login_unix_ms: Option<f64>,
    last_reminder_unix_ms: Option<f64>,
) -> bool {
    let today_at = today_at_unix_ms(now_unix_ms, at_ist_minutes);
    let weekday = is_weekday_ist(now_unix_ms);
    let since_today_at = |when: Option<f64>| when.is_some_and(|t| t >= today_at);
    weekday
        && now_unix_ms >= today_at
        && !since_today_at(last_login_unix_ms)
        && !since_today_at(last_reminder_unix_ms)
}

/// The next reminder time strictly after `now_unix_ms`, for the alarm that wakes the worker.
pub fn next_at_unix_ms(now_unix_ms: f64, at_ist_minutes: u32) -> f64 {
    let today_at = today_at_unix_ms(now_unix_ms, at_ist_minutes);
    if today_at > now_unix_ms {
        today_at
    } else {
        today_at + DAY_MS
    }
}

/// Today's (IST) reminder time in Unix milliseconds.
fn today_at_unix_ms(now_unix_ms: f64, at_ist_minutes: u32) -> f64 {
    let ist_midnight = ((now_unix_ms + IST_OFFSET_MS) / DAY_MS).floor() * DAY_MS - IST_OFFSET_MS;
    ist_midnight + f64::from(at_ist_minutes.min(24 * 60 - 1)) * 60_000.0
}

/// Monday to Friday on the IST calendar (1970-01-01 was a Thursday).
fn is_weekday_ist(now_unix_ms: f64) -> bool {
    let day = ((now_unix_ms + IST_OFFSET_MS) / DAY_MS).floor() as i64;
    let weekday = (day + 3).rem_euclid(7); // 0 = Monday
    weekday < 5
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-03-03 (a Tuesday) 00:00 IST, in Unix milliseconds.
    const TUESDAY_MIDNIGHT_IST: f64 = 1_772_476_200_000.0;
    const MINUTE: f64 = 60_000.0;
    const AT: u32 = DEFAULT_REMINDER_IST_MINUTES;

    fn ist(hours: f64, minutes: f64) -> f64 {
        TUESDAY_MIDNIGHT_IST + (hours * 60.0 + minutes) * MINUTE
    }

    #[test]
    fn due_after_the_time_until_a_login_or_a_reminder() {
        assert!(!due(ist(8.0, 44.0), AT, None, None));
        assert!(due(ist(8.0, 45.0), AT, None, None));
        // Case B4: asleep from 07:00 to 09:05; the wake at 09:10 still says "log in now".
        assert!(due(ist(9.0, 10.0), AT, Some(ist(-15.0, 0.0)), None));
        assert!(!due(ist(9.0, 10.0), AT, Some(ist(8.0, 50.0)), None));
        assert!(!due(ist(9.0, 10.0), AT, None, Some(ist(8.0, 46.0))));
        // A login before today's reminder time (say 08:00) does not silence it: Angel's day
        // may have started after it, and the trader asked for the reminder at 08:45.
        assert!(due(ist(9.0, 10.0), AT, Some(ist(8.0, 0.0)), None));
    }

    #[test]
    fn weekends_are_quiet() {
        // Saturday 2026-03-07 and Sunday 2026-03-08, 10:00 IST.
        assert!(!due(ist(4.0 * 24.0 + 10.0, 0.0), AT, None, None));
        assert!(!due(ist(5.0 * 24.0 + 10.0, 0.0), AT, None, None));
        assert!(due(ist(6.0 * 24.0 + 10.0, 0.0), AT, None, None));
    }

    #[test]
    fn next_time_is_today_or_tomorrow() {
        assert_eq!(next_at_unix_ms(ist(7.0, 0.0), AT), ist(8.0, 45.0));
        assert_eq!(next_at_unix_ms(ist(8.0, 45.0), AT), ist(24.0 + 8.0, 45.0));
        // 23:00 UTC on Monday is 04:30 IST on Tuesday: the IST calendar decides.
        assert_eq!(next_at_unix_ms(ist(4.0, 30.0), AT), ist(8.0, 45.0));
    }
}
