//! What a button or a timer sets in motion: ask the worker, then dispatch its answer.
//!
//! Every flow reports its start and its end as [`Action`]s, so the state always knows what is in
//! flight (to disable buttons) and every failure lands on screen.

use std::future::Future;

use gloo_timers::future::TimeoutFuture;
use halo_extension_shared::chrome;
use halo_extension_shared::messages::{AccountForm, OrderForm, Status};
use halo_extension_shared::passphrase::passphrase_forms;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use yew::UseReducerDispatcher;

use crate::api;
use crate::state::{Action, FollowedOrder, PopupState, check_new_passphrase};

/// The handle through which flows change the state.
pub type Dispatch = UseReducerDispatcher<PopupState>;

/// How long "Copied" stays next to a code.
const COPY_NOTICE_MS: u32 = 1_500;

/// Size of the popped-out window: the docked popup's width plus the window frame.
const POPPED_OUT_WIDTH: u32 = 380;
const POPPED_OUT_HEIGHT: u32 = 640;

/// Asks the worker for its status.
pub async fn refresh_status(dispatch: Dispatch) {
    dispatch.dispatch(Action::StatusLoaded(api::status().await));
}

/// Asks for the status without waiting.
pub fn start_status_refresh(dispatch: Dispatch) {
    spawn_local(refresh_status(dispatch));
}

/// Creates the vault, after the popup's own checks of the passphrase.
pub fn create_vault(dispatch: Dispatch, passphrase: String, repeat: String) {
    if let Err(problem) = check_new_passphrase(&passphrase_forms(&passphrase), &repeat) {
        dispatch.dispatch(Action::VaultFinished(Err(problem)));
        return;
    }
    vault_flow(dispatch, api::create_vault(passphrase));
}

/// Unlocks the vault.
pub fn unlock(dispatch: Dispatch, passphrase: String) {
    if passphrase.is_empty() {
        dispatch.dispatch(Action::VaultFinished(Err(
            "Type your passphrase.".to_owned()
        )));
        return;
    }
    vault_flow(dispatch, api::unlock(passphrase));
}

/// Sends a create or unlock and draws the picture the worker answers with. Asking for the
/// status again would cost the trader another round trip before the unlocked screen shows.
fn vault_flow(dispatch: Dispatch, call: impl Future<Output = Result<Status, String>> + 'static) {
    dispatch.dispatch(Action::VaultStarted);
    spawn_local(async move {
        match call.await {
            Ok(status) => {
                dispatch.dispatch(Action::VaultFinished(Ok(())));
                dispatch.dispatch(Action::StatusLoaded(Ok(status)));
            }
            Err(error) => dispatch.dispatch(Action::VaultFinished(Err(error))),
        }
    });
}

/// Locks the vault.
pub fn lock(dispatch: Dispatch) {
    spawn_local(async move {
        if let Err(error) = api::lock().await {
            dispatch.dispatch(Action::GeneralError(error));
        }
        refresh_status(dispatch).await;
    });
}

/// Opens Halo in a window of its own and closes the docked popup.
pub fn pop_out(dispatch: Dispatch) {
    spawn_local(async move {
        let opened =
            chrome::open_popup_window("popup.html?window=1", POPPED_OUT_WIDTH, POPPED_OUT_HEIGHT)
                .await;
        match (opened, web_sys::window()) {
            (Ok(()), Some(window)) => {
                // Closing can only fail if this is not a script-opened or popup window, in
                // which case leaving it open is the right outcome.
                let _ = window.close();
            }
            (Ok(()), None) => {}
            (Err(error), _) => dispatch.dispatch(Action::GeneralError(format!(
                "Halo could not open its own window: {error}."
            ))),
        }
    });
}

/// One poll of the codes.
pub async fn poll_codes(dispatch: Dispatch) {
    let codes = api::codes().await;
    let failed = codes.is_err();
    dispatch.dispatch(Action::CodesLoaded(codes));
    // The usual cause is the vault locked from another Halo window: the status shows it.
    if failed {
        refresh_status(dispatch).await;
    }
}

/// One poll of the ticket.
pub async fn poll_ticket(dispatch: Dispatch) {
    dispatch.dispatch(Action::TicketLoaded(api::ticket().await));
}

/// Picks one of the ticket's candidate instruments, then shows the ticket for it.
pub fn pick_instrument(dispatch: Dispatch, page_symbol: String, exchange: String, token: String) {
    spawn_local(async move {
        let ticket = api::pick_instrument(page_symbol, exchange, token).await;
        dispatch.dispatch(Action::TicketLoaded(ticket));
    });
}

/// One poll of a placed order's status.
pub async fn poll_order(dispatch: Dispatch, order: FollowedOrder) {
    dispatch.dispatch(Action::OrderFollowed(
        api::order_status(order.account_id, order.unique_order_id).await,
    ));
}

/// Copies an account's current code to the clipboard.
pub fn copy_code(dispatch: Dispatch, account_id: String, code: String) {
    spawn_local(async move {
        let copied = match web_sys::window() {
            Some(window) => JsFuture::from(window.navigator().clipboard().write_text(&code))
                .await
                .map(drop)
                .map_err(|_| "The browser did not let Halo copy the code; select it instead."),
            None => Err("There is no window to copy from."),
        };
        let copied = copied.map(|()| account_id).map_err(str::to_owned);
        let show_notice = copied.is_ok();
        dispatch.dispatch(Action::Copied(copied));
        if show_notice {
            TimeoutFuture::new(COPY_NOTICE_MS).await;
            dispatch.dispatch(Action::CopyNoticeOver);
        }
    });
}

/// Logs an account in, then refreshes the status to show the session and the ticket, whose
/// last traded price needs a session.
pub fn log_in(dispatch: Dispatch, account_id: String) {
    dispatch.dispatch(Action::LoginStarted(account_id.clone()));
    spawn_local(async move {
        let result = api::log_in(account_id.clone()).await;
        let succeeded = result.is_ok();
        dispatch.dispatch(Action::LoginFinished(account_id, result));
        refresh_status(dispatch.clone()).await;
        if succeeded {
            poll_ticket(dispatch).await;
        }
    });
}

/// Saves a new account.
pub fn save_account(dispatch: Dispatch, account: AccountForm) {
    dispatch.dispatch(Action::AccountStarted);
    spawn_local(async move {
        let result = api::save_account(account).await;
        let succeeded = result.is_ok();
        dispatch.dispatch(Action::AccountFinished(result));
        if succeeded {
            refresh_status(dispatch).await;
        }
    });
}

/// Saves the endpoint.
pub fn set_endpoint(dispatch: Dispatch, url: String) {
    dispatch.dispatch(Action::EndpointStarted);
    spawn_local(async move {
        let result = api::set_endpoint(url).await;
        let succeeded = result.is_ok();
        dispatch.dispatch(Action::EndpointFinished(result));
        if succeeded {
            refresh_status(dispatch.clone()).await;
            // Not left to the next poll, which may be stuck behind a download from the old
            // endpoint for many seconds.
            poll_ticket(dispatch).await;
        }
    });
}

/// Asks the worker to check an order before it is shown for confirmation.
pub fn check_order(dispatch: Dispatch, order: OrderForm) {
    spawn_local(async move {
        let confirmation_id = order.confirmation_id.clone();
        let checked = api::check_order(order).await;
        dispatch.dispatch(Action::OrderChecked(confirmation_id, checked));
    });
}

/// Sends a confirmed order. Called once per confirmation, when the state moves to sending;
/// the Confirm button itself only dispatches [`Action::OrderSent`].
pub fn place_order(dispatch: Dispatch, order: OrderForm) {
    spawn_local(async move {
        dispatch.dispatch(Action::OrderPlaced(api::place_order(order).await));
    });
}
