//! Typed calls to the background worker.
//!
//! Each function sends one [`PopupRequest`] and turns the worker's [`Reply`] into a `Result`
//! whose error is a sentence for the trader: the worker's own message when it refused, or what
//! went wrong on the way when it could not be asked.

use halo_extension_shared::chrome;
use halo_extension_shared::messages::{
    AccountCode, AccountForm, OrderForm, OrderOutcome, PopupRequest, Reply, Status, TicketInfo,
};
use serde::de::DeserializeOwned;

/// What the popup needs to draw itself.
pub async fn status() -> Result<Status, String> {
    call(&PopupRequest::Status).await
}

/// Creates the vault.
pub async fn create_vault(passphrase: String) -> Result<(), String> {
    call_for_nothing(&PopupRequest::CreateVault { passphrase }).await
}

/// Unlocks the vault.
pub async fn unlock(passphrase: String) -> Result<(), String> {
    call_for_nothing(&PopupRequest::Unlock { passphrase }).await
}

/// Locks the vault and forgets every session.
pub async fn lock() -> Result<(), String> {
    call_for_nothing(&PopupRequest::Lock).await
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

/// Places a confirmed order.
pub async fn place_order(order: OrderForm) -> Result<OrderOutcome, String> {
    call(&PopupRequest::PlaceOrder { order }).await
}

/// Reads an order back from the order book.
pub async fn order_status(unique_order_id: String) -> Result<OrderOutcome, String> {
    call(&PopupRequest::OrderStatus { unique_order_id }).await
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
        Ok(reply.data.unwrap_or(serde_json::Value::Null))
    } else {
        Err(reply.error.unwrap_or_else(|| {
            "Halo's background worker refused the request without saying why.".to_owned()
        }))
    }
}
