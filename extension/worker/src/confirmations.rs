//! One order per confirmation, however often Confirm is pressed.
//!
//! The popup draws a confirmation id when it shows an order for confirmation and sends it with
//! [`PlaceOrder`](halo_extension_shared::messages::PopupRequest::PlaceOrder). Five clicks in
//! one turn reach the worker as five messages before the first has awaited anything, so the
//! id is claimed in memory synchronously; it is also kept in `chrome.storage.session` for the
//! day, so a worker restarted between two messages still knows it.

use std::cell::RefCell;
use std::collections::HashSet;

use halo_extension_shared::chrome::{self, StorageArea};
use serde::{Deserialize, Serialize};

use crate::error::{Result, WorkerError};
use crate::runtime;

const PREFIX: &str = "confirmed:";

/// How long a confirmation id is remembered: an order ticket is for the day.
const REMEMBER_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

/// The longest confirmation id accepted; the popup's are 32 hex digits.
const MAX_ID_CHARS: usize = 64;

thread_local! {
    /// Confirmations whose placement is running in this worker.
    static IN_FLIGHT: RefCell<InFlight> = RefCell::new(InFlight::default());
}

/// The confirmations being placed now.
#[derive(Debug, Default)]
pub struct InFlight {
    ids: HashSet<String>,
}

impl InFlight {
    /// Marks `id` as being placed; false when it already is.
    pub fn begin(&mut self, id: &str) -> bool {
        self.ids.insert(id.to_owned())
    }

    /// Marks `id` as no longer being placed.
    pub fn end(&mut self, id: &str) {
        self.ids.remove(id);
    }
}

/// What is remembered of a confirmation that reached the worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Seen {
    at_ms: f64,
}

/// Held while an order of this confirmation is being placed; dropping it lets the id go from
/// memory (the stored record stays for the day).
#[derive(Debug)]
pub struct Claim {
    id: String,
}

impl Drop for Claim {
    fn drop(&mut self) {
        IN_FLIGHT.with(|in_flight| in_flight.borrow_mut().end(&self.id));
    }
}

/// Claims `id` for one placement. Refuses an empty or oversized id, an id whose placement is
/// running, and an id already placed today.
pub async fn claim(id: &str) -> Result<Claim> {
    let id = id.trim();
    if id.is_empty() || id.chars().count() > MAX_ID_CHARS {
        return Err(WorkerError::NoConfirmation);
    }
    // Before any await: this is what stops messages that arrive in the same turn.
    if !IN_FLIGHT.with(|in_flight| in_flight.borrow_mut().begin(id)) {
        return Err(WorkerError::AlreadyPlacing);
    }
    let claim = Claim { id: id.to_owned() };

    let key = format!("{PREFIX}{id}");
    let seen: Option<Seen> = chrome::storage_get(StorageArea::Session, &key).await?;
    let now = runtime::now_ms();
    if seen.is_some_and(|seen| now - seen.at_ms < REMEMBER_MS) {
        return Err(WorkerError::AlreadyPlaced);
    }
    chrome::storage_set(StorageArea::Session, &key, &Seen { at_ms: now }).await?;
    Ok(claim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_is_placed_once_at_a_time() {
        let mut in_flight = InFlight::default();
        assert!(in_flight.begin("c0ffee"));
        assert!(!in_flight.begin("c0ffee"));
        assert!(in_flight.begin("decade"));
        in_flight.end("c0ffee");
        assert!(in_flight.begin("c0ffee"));
    }
}
