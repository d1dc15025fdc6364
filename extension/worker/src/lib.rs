//! halo-worker: Halo's background service worker, compiled to wasm.
//!
//! The worker owns Halo's state and its long flows: the vault, logins, order placement and
//! follow-up. The popup is a view that asks it things; content scripts only report what a page
//! shows. `worker.js` registers the browser's listeners in the script's first turn and forwards
//! each message to [`handle_message`], which answers every message with exactly one
//! [`Reply`], never a panic.
//!
//! Nothing that must survive lives in Rust memory: the browser stops the worker after about
//! 30 idle seconds, so state is kept in `chrome.storage` and read per call. Time, randomness and
//! transport come from here; every rule comes from halo-core.

#![deny(missing_docs)]

pub mod activity;
pub mod angel_fill;
pub mod auto_lock;
pub mod book;
pub mod codes;
pub mod companion;
pub mod confirmations;
pub mod dispatch;
pub mod endpoint;
pub mod error;
pub mod follow;
pub mod http;
pub mod instrument_choice;
pub mod login;
pub mod master;
pub mod orders;
pub mod page_entry;
pub mod page_symbol;
pub mod pages;
pub mod publisher;
pub mod publisher_tab;
pub mod reminder;
pub mod rotation;
pub mod runtime;
pub mod sessions;
pub mod sites;
pub mod status;
pub mod ticket;
pub mod totp_entries;
pub mod validate;
pub mod value_limits;
pub mod vault_store;
pub mod vault_tools;
pub mod wording;
pub mod write_lock;

use halo_extension_shared::chrome;
use halo_extension_shared::messages::{PageReport, PopupRequest, Reply};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use zeroize::Zeroize;

use crate::dispatch::{Route, SenderInfo};
use crate::error::{Result, WorkerError};

/// A tab's top frame heads for an address with `auth_token=` in its query: it may be a publisher
/// login in a tab reaching its redirect URL.
#[wasm_bindgen]
pub async fn publisher_navigation(tab_id: i32, url: String) {
    if let Err(error) = publisher_tab::navigated(tab_id, &url).await {
        runtime::log_info(&format!("publisher tab login not finished: {error}"));
    }
}

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
fn start() {
    runtime::install_panic_hook();
}

/// Answers one message from the popup or a content script.
///
/// `message` is the message as sent; `sender` is `{id, url, tab_id}` copied from the browser's
/// `MessageSender`. The answer is always a [`Reply`], `{ok: true, data}` or `{ok: false, error}`.
#[wasm_bindgen]
pub async fn handle_message(message: JsValue, sender: JsValue) -> JsValue {
    let reply = match answer(message, sender).await {
        Ok(data) => Reply {
            ok: true,
            data: Some(data),
            error: None,
            help: None,
        },
        Err(error) => Reply {
            ok: false,
            data: None,
            help: wording::trouble_for(&error),
            error: Some(wording::for_current_endpoint(error.to_string()).await),
        },
    };
    to_js(&reply)
}

/// "Trade with Halo" on a selection in tab `tab_id`: the selected text becomes the tab's
/// symbol and the ticket opens.
#[wasm_bindgen]
pub async fn trade_selection(tab_id: i32, text: String) {
    if let Err(error) = page_entry::trade_selection(tab_id, &text).await {
        runtime::log_info(&format!("Trade with Halo not opened: {error}"));
    }
}

/// A keyboard shortcut from the manifest's `commands` was pressed.
#[wasm_bindgen]
pub async fn command(name: String) {
    if let Err(error) = page_entry::command(&name).await {
        runtime::log_info(&format!("shortcut {name} not handled: {error}"));
    }
}

/// Forgets what a closed tab showed.
#[wasm_bindgen]
pub async fn forget_tab(tab_id: i32) {
    if let Err(error) = pages::forget(tab_id).await {
        runtime::log_info(&format!("could not forget tab {tab_id}: {error}"));
    }
}

/// Runs on `chrome.runtime.onInstalled`; `reason` is `install`, `update`, ...
#[wasm_bindgen]
pub async fn installed(reason: String) {
    if reason != "install" {
        return;
    }
    if let Err(error) = endpoint::write_default().await {
        runtime::log_info(&format!("could not write the defaults: {error}"));
    }
}

/// Runs on `chrome.alarms.onAlarm`: the login reminder's check, the follow-up of placed orders,
/// or the idle time being up, so the vault locks.
#[wasm_bindgen]
pub async fn alarm(name: String) {
    if name == follow::ALARM {
        follow::resume();
        return;
    }
    if name == reminder::ALARM {
        if let Err(error) = reminder::check().await {
            runtime::log_info(&format!("login reminder not checked: {error}"));
        }
        return;
    }
    if name != auto_lock::ALARM {
        return;
    }
    if let Err(error) = vault_store::lock().await {
        runtime::log_info(&format!("auto-lock failed: {error}"));
    }
}

/// Runs on a click on a Halo notification (or its button): the login reminder's logs in.
#[wasm_bindgen]
pub async fn notification_clicked(id: String) {
    if id != reminder::NOTIFICATION {
        return;
    }
    if let Err(error) = reminder::log_in_all().await {
        runtime::log_info(&format!("reminder login failed: {error}"));
    }
}

/// Settles orders whose answer a stopped worker never read, carries on following placed
/// orders, and judges the login reminder. Called once per worker start.
#[wasm_bindgen]
pub async fn resume() {
    if let Err(error) = reminder::check().await {
        runtime::log_info(&format!("login reminder not checked: {error}"));
    }
    follow::resume();
    match orders::resume().await {
        Ok(()) | Err(WorkerError::Locked | WorkerError::NoVault) => {}
        Err(error) => runtime::log_info(&format!("pending orders not checked yet: {error}")),
    }
}

async fn answer(message: JsValue, sender: JsValue) -> Result<Value> {
    let sender: SenderInfo = serde_wasm_bindgen::from_value(sender)
        .map_err(|_| WorkerError::BadRequest("no sender".to_owned()))?;
    let kind = js_sys::Reflect::get(&message, &JsValue::from_str("type"))
        .ok()
        .and_then(|kind| kind.as_string())
        .ok_or_else(|| WorkerError::BadRequest("no type".to_owned()))?;
    let own_id = chrome::extension_id().unwrap_or_default();
    let own_url = chrome::extension_url("");

    // Serde's messages can quote the offending value, which may be a passphrase: only the
    // message's type is ever reported.
    let malformed = || WorkerError::BadRequest(kind.clone());
    match dispatch::route(&kind, &sender, &own_id, &own_url)? {
        Route::Page { tab_id } => {
            let report: PageReport =
                serde_wasm_bindgen::from_value(message).map_err(|_| malformed())?;
            let PageReport::PageSeen {
                site,
                header_text,
                url,
                title,
            } = report;
            let record = pages::seen(
                tab_id,
                site.as_deref(),
                header_text.as_deref(),
                &url,
                &title,
            )
            .await?;
            to_value(&record)
        }
        Route::Popup => {
            let request: PopupRequest =
                serde_wasm_bindgen::from_value(message).map_err(|_| malformed())?;
            popup(request).await
        }
        Route::AngelPage => {
            let request: halo_extension_shared::totp::AngelPageRequest =
                serde_wasm_bindgen::from_value(message).map_err(|_| malformed())?;
            to_value(&angel_fill::fill(request).await?)
        }
    }
}

async fn popup(request: PopupRequest) -> Result<Value> {
    auto_lock::note(&request).await;
    match request {
        PopupRequest::Status => {}
        // Noting it as use, above, was the whole point.
        PopupRequest::StillHere => return Ok(Value::Null),
        PopupRequest::CreateVault { passphrase } => {
            vault_store::create(&passphrase).await?;
        }
        PopupRequest::Unlock { passphrase } => {
            vault_store::unlock(&passphrase).await?;
        }
        PopupRequest::Lock => vault_store::lock().await?,
        PopupRequest::SaveAccount { account } => {
            vault_store::add_account(&account).await?;
        }
        PopupRequest::Codes => return to_value(&codes::codes().await?),
        PopupRequest::LogOut { account_id } => {
            sessions::log_out(vault_store::unlocked().await?.account(&account_id)?).await?;
        }
        PopupRequest::LogOutAll => sessions::log_out_all(&vault_store::unlocked().await?).await?,
        PopupRequest::Validate { account_id } => {
            let vault = vault_store::unlocked().await?;
            return to_value(&validate::validate(vault.account(&account_id)?).await?);
        }
        PopupRequest::LoginSetup => return to_value(&publisher::setup().await?),
        PopupRequest::Activity => return to_value(&activity::view().await?),
        PopupRequest::RotateApiKey {
            account_id,
            mut api_key,
        } => {
            let rotated = rotation::rotate(&account_id, &api_key).await;
            api_key.zeroize();
            return to_value(&rotated?);
        }
        PopupRequest::SetOwnRedirect { account_id, url } => {
            vault_store::unlocked().await?.account(&account_id)?;
            publisher_tab::set_registered_redirect(&account_id, &url).await?;
        }
        PopupRequest::SetLoginReminder { ist_minutes } => {
            reminder::set_at_ist_minutes(ist_minutes).await?;
        }
        PopupRequest::SetEndpoint { url } => {
            endpoint::set(&url).await?;
        }
        PopupRequest::LogIn { account_id } => {
            let vault = vault_store::unlocked().await?;
            login::log_in(vault.account(&account_id)?).await?;
        }
        PopupRequest::Ticket => {
            // An order whose answer was lost is settled once the book can be read again, and
            // reported on the ticket.
            orders::resume_soon();
            let mut info = ticket::ticket().await?;
            info.order_notes = orders::notes().await;
            return to_value(&info);
        }
        PopupRequest::PickInstrument {
            page_symbol,
            exchange,
            token,
        } => {
            let master = master::get(&endpoint::current().await?).await?;
            instrument_choice::pick(&master, &page_symbol, &exchange, &token).await?;
            return to_value(&ticket::ticket().await?);
        }
        PopupRequest::CheckOrder { order } => return to_value(&orders::check(&order).await?),
        PopupRequest::Orders { account_id } => return to_value(&book::orders(&account_id).await?),
        PopupRequest::Positions { account_id } => {
            return to_value(&book::positions(&account_id).await?);
        }
        PopupRequest::CheckModify { change } => {
            return to_value(&book::check_modify(&change).await?);
        }
        PopupRequest::ModifyOrder { change } => return to_value(&book::modify(&change).await?),
        PopupRequest::CancelOrder {
            account_id,
            order_id,
            confirmation_id,
        } => {
            let view = book::cancel(&account_id, &order_id, &confirmation_id).await?;
            return to_value(&view);
        }
        PopupRequest::SetValueLimit { account_id, rupees } => {
            value_limits::set(&account_id, &rupees).await?;
            return to_value(&book::orders(&account_id).await?);
        }
        PopupRequest::PlaceOrder { order } => {
            return to_value(&companion::place_order(&order).await?);
        }
        PopupRequest::OrderStatus {
            account_id,
            unique_order_id,
        } => {
            return to_value(&companion::order_status(&account_id, &unique_order_id).await?);
        }
        request @ (PopupRequest::CompanionStatus
        | PopupRequest::SetCompanionRoute { .. }
        | PopupRequest::PairCompanion
        | PopupRequest::ConfirmCompanionPairing { .. }) => {
            return to_value(&companion::answer(request).await?);
        }
        request @ (PopupRequest::EditAccount { .. }
        | PopupRequest::DeleteAccount { .. }
        | PopupRequest::ChangePassphrase { .. }
        | PopupRequest::ExportVault
        | PopupRequest::PreviewRestore { .. }
        | PopupRequest::ImportVault { .. }
        | PopupRequest::ForgetEverything { .. }
        | PopupRequest::VaultSettings
        | PopupRequest::SetAutoLock { .. }) => {
            if let Some(data) = vault_tools::answer(request).await? {
                return Ok(data);
            }
        }
        request @ (PopupRequest::SaveTotpEntry { .. }
        | PopupRequest::RemoveTotpEntry { .. }
        | PopupRequest::TotpEntries) => {
            if let Some(data) = totp_entries::answer(request).await? {
                return Ok(data);
            }
        }
    }
    // Every state-changing request answers with the new picture, which the popup may draw.
    to_value(&status::status().await?)
}

fn to_value<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|_| WorkerError::BadRequest("answer".to_owned()))
}

fn to_js(reply: &Reply) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    reply.serialize(&serializer).unwrap_or_else(|_| {
        // A Reply is plain JSON and always serializes; this keeps the one-answer promise anyway.
        let fallback = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&fallback, &"ok".into(), &JsValue::FALSE);
        let _ = js_sys::Reflect::set(&fallback, &"error".into(), &"Halo could not answer.".into());
        fallback.into()
    })
}
