//! Locking the vault after a time without use.
//!
//! The trader chooses the idle time (15 minutes unless changed). Every request the trader
//! makes re-arms a `chrome.alarms` alarm; when it fires, `worker.js` wakes the worker and the
//! key is forgotten. Typing in a Halo window counts (the popup says so now and then). The
//! popup's own timers (codes every second, the ticket, an order's status) do not count as
//! use: otherwise a popped-out window left open would never lock, a complaint Bitwarden users
//! have had.

use halo_extension_shared::chrome::{self, AlarmTime, StorageArea};
use halo_extension_shared::messages::PopupRequest;

use crate::error::{Result, WorkerError};
use crate::runtime;

/// The alarm's name, as `worker.js` passes it back.
pub const ALARM: &str = "halo-auto-lock";
/// Where the chosen idle time is kept (not secret, so outside the vault).
const SETTING: &str = "auto_lock_minutes";
/// The idle time before the trader chooses one.
pub const DEFAULT_MINUTES: u32 = 15;
/// The longest idle time offered: a trading day.
pub const MAX_MINUTES: u32 = 24 * 60;

/// The idle time in minutes the trader chose.
pub async fn minutes() -> Result<u32> {
    let stored: Option<u32> = chrome::storage_get(StorageArea::Local, SETTING).await?;
    Ok(stored
        .filter(|minutes| (1..=MAX_MINUTES).contains(minutes))
        .unwrap_or(DEFAULT_MINUTES))
}

/// Saves a new idle time and restarts the countdown with it.
pub async fn set_minutes(minutes: u32) -> Result<()> {
    if !(1..=MAX_MINUTES).contains(&minutes) {
        return Err(WorkerError::BadRequest(format!(
            "auto-lock after {minutes} minutes; choose 1 to {MAX_MINUTES}"
        )));
    }
    chrome::storage_set(StorageArea::Local, SETTING, &minutes).await?;
    arm().await
}

/// Whether a request is the trader's doing rather than one of the popup's timers.
pub fn is_activity(request: &PopupRequest) -> bool {
    !matches!(
        request,
        PopupRequest::Codes
            | PopupRequest::TotpEntries
            | PopupRequest::Ticket
            | PopupRequest::OrderStatus { .. }
    )
}

/// Restarts the idle countdown. Arming while locked is harmless: locking twice does nothing.
pub async fn arm() -> Result<()> {
    let delay = f64::from(minutes().await?);
    chrome::alarm_set(ALARM, AlarmTime::DelayMinutes(delay)).await?;
    Ok(())
}

/// Stops the countdown, once the vault is locked anyway.
pub async fn disarm() -> Result<()> {
    chrome::alarm_clear(ALARM).await?;
    Ok(())
}

/// Re-arms the countdown for the trader's requests; a failure is logged, never fatal, since
/// the request itself must still be answered.
pub async fn note(request: &PopupRequest) {
    if !is_activity(request) {
        return;
    }
    if let Err(error) = arm().await {
        runtime::log_info(&format!("auto-lock not re-armed: {error}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_are_not_activity() {
        assert!(!is_activity(&PopupRequest::Codes));
        assert!(!is_activity(&PopupRequest::Ticket));
        assert!(!is_activity(&PopupRequest::OrderStatus {
            account_id: "a".into(),
            unique_order_id: "x".into()
        }));
        assert!(is_activity(&PopupRequest::Status));
        assert!(is_activity(&PopupRequest::StillHere));
        assert!(is_activity(&PopupRequest::Lock));
        assert!(is_activity(&PopupRequest::LogIn {
            account_id: "a".into()
        }));
    }
}
