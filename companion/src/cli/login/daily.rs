//! `halo login --daily HH:MM`: stays running and logs the account in each trading day at that
//! time (India Standard Time), so a session is ready before the market opens.
//!
//! The vault is opened once, when the loop starts, and its contents stay in this process's
//! memory until it stops: a service manager gives the passphrase through
//! `HALO_PASSPHRASE_FILE`. Whether a login is due is halo-core's reminder rule, judged again
//! after every sleep, so a machine that slept through the time logs in when it wakes.

use std::time::Duration;

use halo_core::session::reminder;
use halo_core::smartapi::Endpoint;
use halo_core::vault::Account;

use super::super::{http, store};

/// The longest single sleep: a suspended machine or a changed clock is noticed this soon.
const MAX_SLEEP: Duration = Duration::from_secs(10 * 60);
/// After a network failure, tries this many times in all, this far apart.
const ATTEMPTS: u32 = 3;
const RETRY_AFTER: Duration = Duration::from_secs(5 * 60);

/// Reads `HH:MM` (24-hour) as minutes after midnight.
pub fn parse_ist_minutes(text: &str) -> Result<u32, String> {
    let refuse = || format!("{text:?} is not a time like 08:45 (24-hour, India Standard Time)");
    let (hours, minutes) = text.trim().split_once(':').ok_or_else(refuse)?;
    let hours: u32 = hours.parse().map_err(|_| refuse())?;
    let minutes: u32 = minutes.parse().map_err(|_| refuse())?;
    if hours > 23 || minutes > 59 || text.trim().len() != 5 {
        return Err(refuse());
    }
    Ok(hours * 60 + minutes)
}

/// Logs in each trading day at `at_ist_minutes`; returns only on an error that a new day would
/// not fix (none today: every failure waits for the next day).
pub fn run(account: &Account, endpoint: &Endpoint, at_ist_minutes: u32) -> anyhow::Result<()> {
    // A session already obtained today counts as today's login.
    let mut last_login = store::load_session(&account.id)?
        .filter(|stored| stored.endpoint == endpoint.root())
        .map(|stored| stored.session.obtained_at_unix_ms);
    println!(
        "Logging {} in each trading day at {:02}:{:02} IST at {}; stop with Ctrl-C",
        account.label,
        at_ist_minutes / 60,
        at_ist_minutes % 60,
        endpoint.root()
    );

    loop {
        let now = store::now_ms();
        if reminder::due(now, at_ist_minutes, last_login, None) {
            log_in_today(account, endpoint);
            // Done for today whatever happened: a refused login is not repeated on its own
            // (Angel locks an account after repeated wrong codes).
            last_login = Some(store::now_ms());
            continue;
        }
        let next = reminder::next_at_unix_ms(now, at_ist_minutes);
        let wait = Duration::from_millis((next - now).max(1000.0) as u64);
        std::thread::sleep(wait.min(MAX_SLEEP));
    }
}

fn log_in_today(account: &Account, endpoint: &Endpoint) {
    for attempt in 1..=ATTEMPTS {
        match super::log_in(account, endpoint) {
            Ok(session) => {
                match store::save_session(&account.id, endpoint, &session) {
                    Ok(()) => println!(
                        "Logged in {} ({}) at {}",
                        session.client_code,
                        session.name,
                        endpoint.root()
                    ),
                    Err(error) => {
                        eprintln!("halo: logged in, but the session was not kept: {error:#}")
                    }
                }
                return;
            }
            Err(error) => {
                eprintln!("halo: the daily login failed: {error:#}");
                let network = error.downcast_ref::<http::HttpError>().is_some();
                if !network || attempt == ATTEMPTS {
                    eprintln!("halo: trying again on the next trading day");
                    return;
                }
                std::thread::sleep(RETRY_AFTER);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_24_hour_hh_mm() {
        assert_eq!(parse_ist_minutes("08:45"), Ok(525));
        assert_eq!(parse_ist_minutes("00:00"), Ok(0));
        assert_eq!(parse_ist_minutes("23:59"), Ok(1439));
        for wrong in ["8:45", "24:00", "08:60", "0845", "08:45pm", ""] {
            assert!(parse_ist_minutes(wrong).is_err(), "{wrong}");
        }
    }
}
