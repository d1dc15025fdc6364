//! Typed calls to the background worker.
//!
//! Each function sends one [`PopupRequest`] and turns the worker's [`Reply`] into a `Result`
//! whose error is a sentence for the trader: the worker's own message when it refused, or what
//! went wrong on the way when it could not be asked.

use halo_extension_shared::chrome;
use halo_extension_shared::messages::{
    AccountCode, AccountForm, OrderForm, OrderOutcome, PopupRequest, Reply, RestorePreview, Status,
    TicketInfo, VaultBackup, VaultSettings,
};
use halo_extension_shared::order_views::{ModifyForm, OrderReview, OrdersView, PositionsView};
use halo_extension_shared::totp::{TotpEntriesView, TotpEntryForm};
use serde::de::DeserializeOwned;

/// What the popup needs to draw itself.
pub async fn status() -> Result<Status, String> {
    call(&PopupRequest::Status).await
}

/// Creates the vault; the answer is the new picture, unlocked.
pub async fn create_vault(passphrase: String) -> Result<Status, String> {
    call(&PopupRequest::CreateVault {
        passphrase: passphrase.into(),
    })
    .await
}

/// Unlocks the vault; the answer is the new picture, so the popup needs no second request.
pub async fn unlock(passphrase: String) -> Result<Status, String> {
    call(&PopupRequest::Unlock {
        passphrase: passphrase.into(),
    })
    .await
}

/// Locks the vault and forgets every session.
pub async fn lock() -> Result<(), String> {
    call_for_nothing(&PopupRequest::Lock).await
}

/// Tells the worker the trader is typing, so the auto-lock waits.
pub async fn still_here() -> Result<(), String> {
    call_for_nothing(&PopupRequest::StillHere).await
}

/// Adds an account to the vault.
pub async fn save_account(account: AccountForm) -> Result<(), String> {
    call_for_nothing(&PopupRequest::SaveAccount { account }).await
}

/// The current code of every account.
pub async fn codes() -> Result<Vec<AccountCode>, String> {
    call(&PopupRequest::Codes).await
}

/// Sets the endpoint.
pub async fn set_endpoint(url: String) -> Result<(), String> {
    call_for_nothing(&PopupRequest::SetEndpoint { url }).await
}

/// Logs an account in.
pub async fn log_in(account_id: String) -> Result<(), String> {
    call_for_nothing(&PopupRequest::LogIn { account_id }).await
}

/// The ticket for the page the user is reading.
pub async fn ticket() -> Result<TicketInfo, String> {
    call(&PopupRequest::Ticket).await
}

/// Checks an order with the worker's rules and the account's value limit; nothing is sent
/// to Angel.
pub async fn check_order(order: OrderForm) -> Result<OrderReview, String> {
    call(&PopupRequest::CheckOrder { order }).await
}

/// Today's order book of one account.
pub async fn orders(account_id: String) -> Result<OrdersView, String> {
    call(&PopupRequest::Orders { account_id }).await
}

/// Today's positions of one account.
pub async fn positions(account_id: String) -> Result<PositionsView, String> {
    call(&PopupRequest::Positions { account_id }).await
}

/// Checks new terms for an open order; nothing is sent to Angel.
pub async fn check_modify(change: ModifyForm) -> Result<OrderReview, String> {
    call(&PopupRequest::CheckModify { change }).await
}

/// Sends confirmed new terms for an open order; answers the new book.
pub async fn modify_order(change: ModifyForm) -> Result<OrdersView, String> {
    call(&PopupRequest::ModifyOrder { change }).await
}

/// Cancels an open order after its confirm; answers the new book.
pub async fn cancel_order(
    account_id: String,
    order_id: String,
    confirmation_id: String,
) -> Result<OrdersView, String> {
    call(&PopupRequest::CancelOrder {
        account_id,
        order_id,
        confirmation_id,
    })
    .await
}

/// Sets an account's limit on one order's value; answers the book with the new limit.
pub async fn set_value_limit(account_id: String, rupees: String) -> Result<OrdersView, String> {
    call(&PopupRequest::SetValueLimit { account_id, rupees }).await
}

/// Places a confirmed order.
pub async fn place_order(order: OrderForm) -> Result<OrderOutcome, String> {
    call(&PopupRequest::PlaceOrder { order }).await
}

/// Reads an order back from the order book.
pub async fn order_status(
    account_id: String,
    unique_order_id: String,
) -> Result<OrderOutcome, String> {
    call(&PopupRequest::OrderStatus {
        account_id,
        unique_order_id,
    })
    .await
}

/// Changes an account; blank secret fields keep their stored values.
pub async fn edit_account(account_id: String, account: AccountForm) -> Result<(), String> {
    call_for_nothing(&PopupRequest::EditAccount {
        account_id,
        account,
    })
    .await
}

/// Removes an account from the vault.
pub async fn delete_account(account_id: String) -> Result<(), String> {
    call_for_nothing(&PopupRequest::DeleteAccount { account_id }).await
}

/// Re-encrypts the vault under a new passphrase.
pub async fn change_passphrase(current: String, new_passphrase: String) -> Result<(), String> {
    call_for_nothing(&PopupRequest::ChangePassphrase {
        current: current.into(),
        new_passphrase: new_passphrase.into(),
    })
    .await
}

/// The encrypted vault, as a backup file's text.
pub async fn export_vault() -> Result<VaultBackup, String> {
    call(&PopupRequest::ExportVault).await
}

/// Checks that `passphrase` opens a backup and what restoring it would remove; stores nothing.
pub async fn preview_restore(backup: String, passphrase: String) -> Result<RestorePreview, String> {
    call(&PopupRequest::PreviewRestore {
        backup,
        passphrase: passphrase.into(),
    })
    .await
}

/// Replaces the vault with a backup that `passphrase` opens, if the stored vault is still at
/// `seen_revision` (`None`: none stored), as when the trader confirmed.
pub async fn import_vault(
    backup: String,
    passphrase: String,
    seen_revision: Option<u64>,
) -> Result<(), String> {
    call_for_nothing(&PopupRequest::ImportVault {
        backup,
        passphrase: passphrase.into(),
        seen_revision,
    })
    .await
}

/// Deletes everything Halo keeps in this browser.
pub async fn forget_everything(confirmation: String) -> Result<(), String> {
    call_for_nothing(&PopupRequest::ForgetEverything { confirmation }).await
}

/// The vault's settings.
pub async fn vault_settings() -> Result<VaultSettings, String> {
    call(&PopupRequest::VaultSettings).await
}

/// Sets the idle minutes before Halo locks itself.
pub async fn set_auto_lock(minutes: u32) -> Result<(), String> {
    call_for_nothing(&PopupRequest::SetAutoLock { minutes }).await
}

/// Logs one account out.
pub async fn log_out(account_id: String) -> Result<(), String> {
    call_for_nothing(&PopupRequest::LogOut { account_id }).await
}

/// Logs every account out.
pub async fn log_out_all() -> Result<(), String> {
    call_for_nothing(&PopupRequest::LogOutAll).await
}

/// Checks an account's API key, credentials and TOTP one by one.
pub async fn validate(
    account_id: String,
) -> Result<halo_extension_shared::messages::Validation, String> {
    call(&PopupRequest::Validate { account_id }).await
}

/// The activity log.
pub async fn activity() -> Result<halo_extension_shared::messages::ActivityView, String> {
    call(&PopupRequest::Activity).await
}

/// Replaces an account's API key and validates the account with the new one.
pub async fn rotate_api_key(
    account_id: String,
    api_key: String,
) -> Result<halo_extension_shared::messages::Validation, String> {
    call(&PopupRequest::RotateApiKey {
        account_id,
        api_key,
    })
    .await
}

/// Sets (or, when empty, clears) a publisher account's own registered redirect URL.
pub async fn set_own_redirect(account_id: String, url: String) -> Result<(), String> {
    call_for_nothing(&PopupRequest::SetOwnRedirect { account_id, url }).await
}

/// Sets the daily login reminder's time (minutes after midnight IST).
pub async fn set_login_reminder(ist_minutes: u32) -> Result<(), String> {
    call_for_nothing(&PopupRequest::SetLoginReminder { ist_minutes }).await
}

/// The redirect URL the publisher login needs registered.
pub async fn login_setup() -> Result<halo_extension_shared::messages::LoginSetup, String> {
    call(&PopupRequest::LoginSetup).await
}

/// Every TOTP entry for other services, with its code.
pub async fn totp_entries() -> Result<TotpEntriesView, String> {
    call(&PopupRequest::TotpEntries).await
}

/// Adds a TOTP entry for another service.
pub async fn save_totp_entry(entry: TotpEntryForm) -> Result<(), String> {
    call_for_nothing(&PopupRequest::SaveTotpEntry { entry }).await
}

/// Removes a TOTP entry.
pub async fn remove_totp_entry(entry_id: String) -> Result<(), String> {
    call_for_nothing(&PopupRequest::RemoveTotpEntry { entry_id }).await
}

/// Picks one of the ticket's candidates for a page symbol; answers the new ticket.
pub async fn pick_instrument(
    page_symbol: String,
    exchange: String,
    token: String,
) -> Result<TicketInfo, String> {
    call(&PopupRequest::PickInstrument {
        page_symbol,
        exchange,
        token,
    })
    .await
}

async fn call<T: DeserializeOwned>(request: &PopupRequest) -> Result<T, String> {
    let data = send(request).await?;
    serde_json::from_value(data).map_err(|error| {
        format!(
            "Halo's background worker answered in a form the popup does not understand \
             ({error}). Reload the extension so both parts are the same version."
        )
    })
}

/// For requests whose success carries nothing the popup needs.
async fn call_for_nothing(request: &PopupRequest) -> Result<(), String> {
    send(request).await.map(drop)
}

async fn send(request: &PopupRequest) -> Result<serde_json::Value, String> {
    let reply: Reply = chrome::send_message(request).await.map_err(|error| {
        format!("Halo's background worker could not be reached: {error}. Reload the extension.")
    })?;
    if reply.ok {
        return Ok(reply.data.unwrap_or(serde_json::Value::Null));
    }
    let message = reply.error.unwrap_or_else(|| {
        "Halo's background worker refused the request without saying why.".to_owned()
    });
    if let Some(entry) = reply.help {
        crate::help::remember(&message, entry);
    }
    Err(message)
}
