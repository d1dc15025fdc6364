//! Following a placed order until it is final, in the worker, so that it outlives the popup.
//!
//! Each order being followed is a record in `chrome.storage.session`. While any is left, the
//! worker reads their details every few seconds (within the rate limits, through [`http`]);
//! the storage calls keep it awake. If the browser stops it anyway, an alarm wakes it to carry
//! on. When an order's status or fill changes and no Halo window is open to show it, a browser
//! notification says so, with Angel's reason for a rejection.

use std::cell::Cell;

use halo_core::orders::OrderStatus;
use halo_core::smartapi::{self, wire};
use halo_extension_shared::chrome::{self, AlarmTime, StorageArea};
use halo_extension_shared::messages::OrderOutcome;
use js_sys::{Array, Object, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::error::{Result, WorkerError};
use crate::{endpoint, http, reminder, runtime, vault_store};

/// The alarm that wakes a stopped worker to carry on following.
pub const ALARM: &str = "halo-order-follow";
const PREFIX: &str = "follow:";
/// Seconds between two reads of the followed orders: well within the details route's limit.
const EVERY_SECS: u64 = 2;
/// Chrome's shortest alarm period, in minutes.
const ALARM_MINUTES: f64 = 0.5;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = getContexts)]
    async fn get_contexts(filter: &JsValue) -> std::result::Result<JsValue, JsValue>;
}

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// One order being followed, and what was last seen of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Followed {
    /// The account that placed it.
    pub account_id: String,
    /// Angel's order id.
    pub order_id: String,
    /// The id the details route takes.
    pub unique_order_id: String,
    /// "BUY 2 RELIANCE-EQ", for the notification.
    pub what: String,
    /// The last status line seen, such as "open, 1 of 2 filled".
    pub seen: String,
    /// Every status line a notification was shown for, oldest first.
    pub notified: Vec<String>,
}

/// Starts following an order Angel accepted, unless it is already final.
pub async fn start(account_id: &str, outcome: &OrderOutcome, body: &wire::PlaceOrderBody) {
    let status = outcome.status.as_deref().unwrap_or("");
    if ["complete", "rejected", "cancelled"].contains(&status) {
        return;
    }
    let followed = Followed {
        account_id: account_id.to_owned(),
        order_id: outcome.order_id.clone(),
        unique_order_id: outcome.unique_order_id.clone(),
        what: format!(
            "{} {} {}",
            body.transactiontype, body.quantity, body.tradingsymbol
        ),
        seen: status.to_owned(),
        notified: Vec::new(),
    };
    let stored = chrome::storage_set(StorageArea::Session, &key(&followed), &followed).await;
    if let Err(error) = stored {
        runtime::log_info(&format!(
            "order {} not followed: {error}",
            followed.order_id
        ));
        return;
    }
    arm_alarm().await;
    keep_following();
}

/// Carries on after the worker started or its alarm rang.
pub fn resume() {
    keep_following();
}

/// Starts the reading loop unless it runs already.
fn keep_following() {
    if RUNNING.with(|running| running.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        loop {
            runtime::sleep_secs(EVERY_SECS).await;
            match round().await {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    // The alarm tries again later (a locked vault, a browser error).
                    runtime::log_info(&format!("orders not followed just now: {error}"));
                    break;
                }
            }
        }
        RUNNING.with(|running| running.set(false));
    });
}

/// Reads every followed order once; true while any is left.
async fn round() -> Result<bool> {
    let keys: Vec<String> = chrome::storage_keys(StorageArea::Session)
        .await?
        .into_iter()
        .filter(|key| key.starts_with(PREFIX))
        .collect();
    if keys.is_empty() {
        let _ = chrome::alarm_clear(ALARM).await;
        return Ok(false);
    }
    let vault = match vault_store::unlocked().await {
        Ok(vault) => vault,
        // Locking forgets every session, so nothing can be read any more: stop following.
        Err(WorkerError::Locked | WorkerError::NoVault) => {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            chrome::storage_remove(StorageArea::Session, &keys).await?;
            let _ = chrome::alarm_clear(ALARM).await;
            return Ok(false);
        }
        Err(error) => return Err(error),
    };
    let endpoint = endpoint::current().await?;

    for key in &keys {
        let Some(mut followed) = chrome::storage_get::<Followed>(StorageArea::Session, key).await?
        else {
            continue;
        };
        let session = crate::sessions::live(&followed.account_id).await?;
        let (Ok(account), Some(session)) = (vault.account(&followed.account_id), session) else {
            // Logged out or removed: nothing can be read for it any more.
            chrome::storage_remove(StorageArea::Session, &[key]).await?;
            continue;
        };
        let request = smartapi::order_details(
            &endpoint,
            &account.api_key,
            &session.jwt_token,
            &followed.unique_order_id,
        );
        let response = http::send(&request).await?.response;
        let Ok(row) = smartapi::decode::<wire::OrderBookRow>(&response) else {
            continue;
        };
        let status = OrderStatus::of(&row);
        let seen = status_line(&row, &status);
        if seen != followed.seen {
            followed.seen = seen.clone();
            if !halo_window_open().await {
                let title = format!("Halo: order {} {}", followed.order_id, headline(&status));
                let message = format!("{}: {seen}", followed.what);
                let id = format!("halo-order-{}", followed.order_id);
                reminder::show(&id, &title, &message, false).await?;
                followed.notified.push(seen);
            }
        }
        if status.is_final() {
            // Kept until the browser closes in the final state, so what was shown can be read.
            chrome::storage_remove(StorageArea::Session, &[key]).await?;
            chrome::storage_set(StorageArea::Session, &done_key(&followed), &followed).await?;
        } else {
            chrome::storage_set(StorageArea::Session, key, &followed).await?;
        }
    }
    Ok(true)
}

/// "open, 1 of 2 filled", "complete", "rejected: <Angel's reason>", as the trader reads it.
pub fn status_line(row: &wire::OrderBookRow, status: &OrderStatus) -> String {
    match status {
        OrderStatus::Rejected { reason, .. } => format!("rejected: {reason}"),
        OrderStatus::Open if row.filledshares > 0 => {
            format!("open, {} of {} filled", row.filledshares, row.quantity)
        }
        OrderStatus::Open => "open".to_owned(),
        OrderStatus::Complete => format!("complete, {} filled", row.filledshares),
        OrderStatus::Cancelled => "cancelled".to_owned(),
        OrderStatus::Pending { status } | OrderStatus::Other { status } => status.clone(),
    }
}

fn headline(status: &OrderStatus) -> &'static str {
    match status {
        OrderStatus::Complete => "complete",
        OrderStatus::Rejected { .. } => "rejected",
        OrderStatus::Cancelled => "cancelled",
        _ => "updated",
    }
}

/// Whether a Halo window (the popup, docked or popped out) is open to show the change itself:
/// `getContexts` lists only this extension's own pages.
pub(crate) async fn halo_window_open() -> bool {
    let filter = Object::new();
    let types = Array::of2(&"POPUP".into(), &"TAB".into());
    if Reflect::set(&filter, &"contextTypes".into(), &types).is_err() {
        return false;
    }
    match get_contexts(&filter.into()).await {
        Ok(contexts) => Array::from(&contexts).length() > 0,
        // A browser without getContexts: notify rather than stay silent.
        Err(_) => false,
    }
}

async fn arm_alarm() {
    let every = AlarmTime::PeriodMinutes(ALARM_MINUTES);
    if chrome::alarm_set(ALARM, every).await.is_err() {
        runtime::log_info("the order follow-up alarm could not be set");
    }
}

fn key(followed: &Followed) -> String {
    format!("{PREFIX}{}", followed.order_id)
}

fn done_key(followed: &Followed) -> String {
    format!("followed:{}", followed.order_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: &str, filled: u64, text: &str) -> wire::OrderBookRow {
        wire::OrderBookRow {
            status: status.to_owned(),
            quantity: 2,
            filledshares: filled,
            text: text.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn status_lines_say_how_much_filled_and_why_it_was_rejected() {
        let line = |row: wire::OrderBookRow| status_line(&row, &OrderStatus::of(&row));
        assert_eq!(line(row("open", 0, "")), "open");
        assert_eq!(line(row("open", 1, "")), "open, 1 of 2 filled");
        assert_eq!(line(row("complete", 2, "")), "complete, 2 filled");
        assert_eq!(line(row("trigger pending", 0, "")), "trigger pending");
        let funds = "Your order has been rejected due to Insufficient Funds.";
        assert_eq!(
            line(row("rejected", 0, funds)),
            format!("rejected: {funds}")
        );
    }
}
