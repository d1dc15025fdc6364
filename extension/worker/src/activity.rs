//! Keeps halo-core's activity log in `chrome.storage.local`: one line per call `http::send`
//! makes, with the account found by the call's API key and shown by its label.
//!
//! Recording never fails a call: a log that cannot be written loses a line, nothing more.

use halo_core::activity::{self, Entry};
use halo_core::smartapi::{HEADER_AUTHORIZATION, HEADER_PRIVATE_KEY, HttpRequest};
use halo_core::vault::Account;
use halo_extension_shared::chrome::{self, StorageArea};
use halo_extension_shared::messages::{ActivityLine, ActivityView};

use crate::error::Result;
use crate::http::{Fetched, HttpError};
use crate::write_lock::{self, Stored};
use crate::{login, runtime, vault_store};

const KEY: &str = "activity";
/// How many lines the popup shows; the CSV has them all.
const SHOWN: usize = 30;

/// Adds the line for one call.
pub async fn record(
    request: &HttpRequest,
    result: &std::result::Result<Fetched, HttpError>,
    sent_at_ms: f64,
) {
    let outcome = match result {
        Ok(fetched) => activity::outcome_of(&fetched.response),
        Err(HttpError::Unreachable { .. }) => "unreachable".to_owned(),
        Err(_) => "not sent".to_owned(),
    };
    let entry = Entry {
        at_unix_ms: sent_at_ms,
        account: account_label(request).await,
        route: activity::route_of(&request.url),
        outcome,
        latency_ms: (runtime::now_ms() - sent_at_ms).clamp(0.0, f64::from(u32::MAX)) as u32,
    };
    // Two calls finishing at once would each read the old log and one line would be lost.
    let _writing = write_lock::acquire(Stored::ActivityLog).await;
    let write = async {
        let mut log: Vec<Entry> = chrome::storage_get(StorageArea::Local, KEY)
            .await?
            .unwrap_or_default();
        activity::push(&mut log, entry);
        chrome::storage_set(StorageArea::Local, KEY, &log).await
    };
    if let Err(error) = write.await {
        runtime::log_info(&format!("activity line lost: {error}"));
    }
}

/// The newest lines, newest first, and the whole log as CSV.
pub async fn view() -> Result<ActivityView> {
    let log: Vec<Entry> = chrome::storage_get(StorageArea::Local, KEY)
        .await?
        .unwrap_or_default();
    let lines: Vec<ActivityLine> = log.iter().rev().map(line).collect();
    let recent = lines.iter().take(SHOWN).cloned().collect();
    let flagged = lines
        .into_iter()
        .filter(|line| line.failure || line.unusual_hour)
        .collect();
    Ok(ActivityView {
        recent,
        flagged,
        csv: activity::to_csv(&log),
    })
}

fn line(entry: &Entry) -> ActivityLine {
    ActivityLine {
        at_unix_ms: entry.at_unix_ms,
        account: entry.account.clone(),
        route: entry.route.clone(),
        outcome: entry.outcome.clone(),
        latency_ms: entry.latency_ms,
        failure: activity::is_failure(&entry.outcome),
        unusual_hour: activity::is_unusual_hour(entry.at_unix_ms),
    }
}

/// The label of the vault account whose API key the request carries, or `-`. Accounts that
/// share a key (one person's two entries for one client) are told apart by the session the
/// bearer token belongs to; a login carries none, so it names them all.
async fn account_label(request: &HttpRequest) -> String {
    let Some(key) = request.header(HEADER_PRIVATE_KEY) else {
        return "-".to_owned();
    };
    let Ok(vault) = vault_store::unlocked().await else {
        return "-".to_owned();
    };
    let candidates: Vec<&Account> = vault
        .contents
        .accounts
        .iter()
        .filter(|account| account.api_key.as_str() == key)
        .collect();
    if candidates.len() > 1
        && let Some(bearer) = request
            .header(HEADER_AUTHORIZATION)
            .and_then(|value| value.strip_prefix("Bearer "))
    {
        for account in &candidates {
            let session = login::session(&account.id).await.ok().flatten();
            if session.is_some_and(|s| s.jwt_token.as_str() == bearer) {
                return account.label.clone();
            }
        }
    }
    match candidates.as_slice() {
        [] => "-".to_owned(),
        several => several
            .iter()
            .map(|account| account.label.as_str())
            .collect::<Vec<_>>()
            .join(" / "),
    }
}
