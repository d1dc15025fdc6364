//! Orders through the companion, `halo`, on the machine whose IP Angel has registered.
//!
//! With "Send orders through the companion" on, a confirmed order is not sent from the browser:
//! it goes, sealed, over native messaging to the paired companion, with the session token and
//! API key it needs; the companion checks it with halo-core and places it once. When the
//! companion is missing, stopped or not paired, the ticket says so and nothing is placed: the
//! order never falls back to the browser's own connection, whose IP Angel would refuse.
//!
//! The pairing (halo-core's `pairing`) is kept in `chrome.storage.local` sealed under a key
//! derived from the vault's, so it is usable only while Halo is unlocked. A pairing waiting for
//! the person's confirmation lives in this worker's memory with its open port, which keeps the
//! worker alive until the person answers.

pub mod port;

use std::cell::RefCell;

use halo_core::pairing::wire::{
    Credentials, FromCompanion, OrderRequest, OrderState, PairConfirmation, Reply, Request,
    ToCompanion,
};
use halo_core::pairing::{
    self, Candidate, Channel, KeyPair, Pairing, PairingError, Role, WrappedPairing,
    public_from_base64,
};
use halo_extension_shared::chrome::{self, StorageArea};
use halo_extension_shared::messages::{CompanionView, OrderForm, OrderOutcome, PopupRequest};
use zeroize::Zeroizing;

use crate::error::{Result, WorkerError};
use crate::vault_store::{self, Unlocked};
use crate::{confirmations, endpoint, orders, runtime, sessions};
use port::NativePort;

/// Whether orders go through the companion, in `chrome.storage.local`.
const ROUTE_KEY: &str = "companion_route";
/// The sealed pairing, in `chrome.storage.local`.
const PAIRING_KEY: &str = "companion_pairing";

/// Seconds for the companion to answer a setup frame, and to place an order (it may read
/// Angel's instrument master and, after a lost answer, the order book).
const SETUP_SECS: u32 = 15;
const ORDER_SECS: u32 = 90;

/// Why the companion could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CompanionError {
    /// The browser could not start the companion, or it stopped.
    #[error(
        "The Halo companion could not be reached ({0}). Nothing was placed. Install it on this \
         computer with `halo install`, check it with `halo doctor`, or switch off \"Send orders \
         through the companion\" under Settings."
    )]
    Unreachable(String),
    /// The companion did not answer in time.
    #[error("The Halo companion did not answer in time. Nothing more was sent.")]
    Timeout,
    /// The companion stopped answering with an order on its way.
    #[error(
        "The Halo companion stopped answering while placing the order ({0}), so it may or may \
         not have been placed. Check the order book (`halo orders`, or Angel) before placing \
         it again."
    )]
    Uncertain(String),
    /// No pairing this browser can use.
    #[error(
        "Halo is not paired with the companion, so nothing was placed. Press Pair under Settings."
    )]
    NotPaired,
    /// A confirmation came without a pairing waiting for it.
    #[error("No pairing is waiting for confirmation; press Pair again.")]
    NoPairingStarted,
    /// The companion refused, in its own words.
    #[error("The companion refused: {0}")]
    Refused(String),
    /// A sealed message failed.
    #[error(transparent)]
    Channel(#[from] PairingError),
}

/// A pairing waiting for the person's confirmation.
struct Waiting {
    port: NativePort,
    candidate: Candidate,
    channel: Channel,
}

thread_local! {
    static WAITING: RefCell<Option<Waiting>> = const { RefCell::new(None) };
}

/// Answers the popup's companion requests.
pub async fn answer(request: PopupRequest) -> Result<CompanionView> {
    match request {
        PopupRequest::SetCompanionRoute { on } => {
            chrome::storage_set(StorageArea::Local, ROUTE_KEY, &on).await?;
            view(None).await
        }
        PopupRequest::PairCompanion => pair_start().await,
        PopupRequest::ConfirmCompanionPairing { code } => pair_confirm(&code).await,
        _ => view(None).await,
    }
}

/// Places a confirmed order through the companion when the setting is on, else directly.
pub async fn place_order(form: &OrderForm) -> Result<OrderOutcome> {
    if routing_on().await? {
        // TODO: the companion's sealed order carries no order type, trigger or validity yet,
        // so anything but a limit order for the day is refused rather than sent as one.
        let limit_day = ["", "LIMIT"].contains(&form.order_type.trim())
            && ["", "DAY"].contains(&form.duration.trim());
        if !limit_day {
            return Err(WorkerError::OrderForm(
                "Orders through the companion are limit orders for the day only; choose LIMIT \
                 and DAY, or switch off \"Send orders through the companion\" under Settings."
                    .to_owned(),
            ));
        }
        place(form).await
    } else {
        orders::place(form).await
    }
}

/// Reads an order back through the companion when the setting is on, else directly.
pub async fn order_status(account_id: &str, unique_order_id: &str) -> Result<OrderOutcome> {
    if routing_on().await? {
        status(account_id, unique_order_id).await
    } else {
        orders::status(account_id, unique_order_id).await
    }
}

async fn routing_on() -> Result<bool> {
    Ok(chrome::storage_get(StorageArea::Local, ROUTE_KEY)
        .await?
        .unwrap_or(false))
}

/// The setting, the pairing, and a sealed ping's answer when paired.
async fn view(code: Option<String>) -> Result<CompanionView> {
    let mut view = CompanionView {
        route: routing_on().await?,
        code,
        ..CompanionView::default()
    };
    if view.code.is_some() {
        return Ok(view);
    }
    let vault = match vault_store::unlocked().await {
        Ok(vault) => vault,
        Err(WorkerError::Locked | WorkerError::NoVault) => {
            view.problem = Some("Unlock Halo to use the companion.".to_owned());
            return Ok(view);
        }
        Err(error) => return Err(error),
    };
    // Without a pairing there is nothing to ask: the companion is not started for nothing.
    if stored_pairing(&vault).await?.is_none() {
        view.problem = Some("Not paired yet.".to_owned());
        return Ok(view);
    }
    view.paired = true;
    match ping(&vault).await {
        Ok(version) => view.version = Some(version),
        Err(WorkerError::Companion(CompanionError::NotPaired)) => {
            view.paired = false;
            view.problem = Some("The companion no longer knows this pairing: pair again.".into());
        }
        Err(WorkerError::Companion(CompanionError::Unreachable(reason))) => {
            view.problem = Some(format!(
                "The companion could not be reached ({reason}). Run `halo doctor` on this \
                 computer."
            ));
        }
        Err(error) => view.problem = Some(error.to_string()),
    }
    Ok(view)
}

async fn ping(vault: &Unlocked) -> Result<String> {
    let (port, mut channel) = connect(vault).await?;
    match call(&port, &mut channel, &Request::Ping, SETUP_SECS).await? {
        Reply::Pong { version } => Ok(version),
        other => Err(unexpected(&other)),
    }
}

/// Opens a port and shows the code; the pairing waits for [`pair_confirm`].
async fn pair_start() -> Result<CompanionView> {
    // The pairing is sealed under the vault key when confirmed: it must be unlocked.
    vault_store::unlocked().await?;
    WAITING.with(|waiting| waiting.borrow_mut().take());

    let port = NativePort::open()?;
    let own = KeyPair::from_random(runtime::random_bytes()?);
    let frame = ToCompanion::PairStart {
        id: Some(1),
        public: own.public_base64(),
    };
    let peer = match port.ask(&frame, SETUP_SECS).await? {
        FromCompanion::PairCode { public, .. } => public_from_base64(&public).map_err(from)?,
        other => return Err(refusal(other)),
    };
    let candidate = pairing::begin(&own, Role::Extension, &peer).map_err(from)?;
    let channel =
        pairing::open_channel(&candidate.pairing, &own, Role::Extension, &peer).map_err(from)?;
    let code = candidate.code.clone();
    WAITING.with(|waiting| {
        *waiting.borrow_mut() = Some(Waiting {
            port,
            candidate,
            channel,
        })
    });
    view(Some(code)).await
}

/// Sends the code the person confirmed; keeps the pairing if the companion accepts it.
async fn pair_confirm(code: &str) -> Result<CompanionView> {
    let Waiting {
        port,
        candidate,
        mut channel,
    } = WAITING
        .with(|waiting| waiting.borrow_mut().take())
        .ok_or(CompanionError::NoPairingStarted)?;
    let vault = vault_store::unlocked().await?;

    let confirmation = PairConfirmation {
        code: code.to_owned(),
        browser: "Halo extension".to_owned(),
    };
    let plain = serde_json::to_vec(&confirmation)
        .map_err(|_| WorkerError::BadRequest("pairing".to_owned()))?;
    let frame = ToCompanion::PairConfirm {
        id: Some(2),
        sealed: channel.seal(&plain).map_err(from)?,
    };
    let sealed = match port.ask(&frame, SETUP_SECS).await? {
        FromCompanion::Paired { sealed, .. } => sealed,
        other => return Err(refusal(other)),
    };
    let reply: Reply = serde_json::from_slice(&channel.open(&sealed).map_err(from)?)
        .map_err(|_| WorkerError::BadRequest("pairing".to_owned()))?;
    if reply
        != (Reply::Paired {
            pairing: candidate.pairing.id.clone(),
        })
    {
        return Err(unexpected(&reply));
    }

    let wrapped = candidate
        .pairing
        .wrap(&vault.key, runtime::random_bytes()?)
        .map_err(from)?;
    chrome::storage_set(StorageArea::Local, PAIRING_KEY, &wrapped).await?;
    runtime::log_info(&format!("paired with the companion as {}", wrapped.id));
    drop(port);
    view(None).await
}

async fn stored_pairing(vault: &Unlocked) -> Result<Option<Pairing>> {
    let wrapped: Option<WrappedPairing> =
        chrome::storage_get(StorageArea::Local, PAIRING_KEY).await?;
    // A pairing sealed under an earlier passphrase's key no longer opens: pair again.
    Ok(wrapped.and_then(|wrapped| wrapped.unwrap(&vault.key).ok()))
}

/// A paired connection: hello, then the sealed channel.
async fn connect(vault: &Unlocked) -> Result<(NativePort, Channel)> {
    let pairing = stored_pairing(vault)
        .await?
        .ok_or(CompanionError::NotPaired)?;
    let port = NativePort::open()?;
    let own = KeyPair::from_random(runtime::random_bytes()?);
    let frame = ToCompanion::Hello {
        id: Some(1),
        pairing: pairing.id.clone(),
        public: own.public_base64(),
    };
    match port.ask(&frame, SETUP_SECS).await? {
        FromCompanion::Hello { public, .. } => {
            let peer = public_from_base64(&public).map_err(from)?;
            let channel =
                pairing::open_channel(&pairing, &own, Role::Extension, &peer).map_err(from)?;
            Ok((port, channel))
        }
        FromCompanion::Error { code, .. } if code == "not-paired" => {
            Err(CompanionError::NotPaired.into())
        }
        other => Err(refusal(other)),
    }
}

async fn call(
    port: &NativePort,
    channel: &mut Channel,
    request: &Request,
    timeout_secs: u32,
) -> Result<Reply> {
    let plain = Zeroizing::new(
        serde_json::to_vec(request).map_err(|_| WorkerError::BadRequest("companion".into()))?,
    );
    let frame = ToCompanion::Sealed {
        id: None,
        sealed: channel.seal(&plain).map_err(from)?,
    };
    match port.ask(&frame, timeout_secs).await? {
        FromCompanion::Sealed { sealed, .. } => {
            let plain = channel.open(&sealed).map_err(from)?;
            serde_json::from_slice(&plain).map_err(|_| {
                CompanionError::Refused("an answer Halo does not understand".to_owned()).into()
            })
        }
        other => Err(refusal(other)),
    }
}

/// Places one order through the companion; one confirmation places at most one order.
async fn place(form: &OrderForm) -> Result<OrderOutcome> {
    let _claim = confirmations::claim(&form.confirmation_id).await?;
    let vault = vault_store::unlocked().await?;
    let account = vault.account(&form.account_id)?;
    let session = sessions::live(&account.id)
        .await?
        .ok_or(WorkerError::NotLoggedIn)?;
    let endpoint = endpoint::current().await?;
    // Unreachable or unpaired: refused here, before any order leaves.
    let (port, mut channel) = connect(&vault).await?;

    let request = Request::PlaceOrder {
        endpoint: endpoint.root().to_owned(),
        credentials: credentials(&account.api_key, &session.jwt_token),
        order: OrderRequest {
            exchange: form.exchange.clone(),
            token: form.token.clone(),
            side: form.side.clone(),
            quantity: form.quantity.clone(),
            price: form.price.clone(),
            product: form.product.clone(),
        },
    };
    runtime::log_info("placing an order through the companion");
    let reply = match call(&port, &mut channel, &request, ORDER_SECS).await {
        Ok(reply) => reply,
        // The order may have left the companion: never re-sent, the book decides.
        Err(WorkerError::Companion(
            CompanionError::Unreachable(reason) | CompanionError::Refused(reason),
        )) => return Err(CompanionError::Uncertain(reason).into()),
        Err(WorkerError::Companion(CompanionError::Timeout)) => {
            return Err(CompanionError::Uncertain("no answer in time".to_owned()).into());
        }
        Err(error) => return Err(error),
    };
    match reply {
        Reply::Placed { order } => Ok(outcome(&account.id, order)),
        other => Err(unexpected(&other)),
    }
}

/// An order's state, through the account that placed it (as the direct route does).
async fn status(account_id: &str, unique_order_id: &str) -> Result<OrderOutcome> {
    let vault = vault_store::unlocked().await?;
    let endpoint = endpoint::current().await?;
    let account = vault.account(account_id)?;
    let session = sessions::live(&account.id)
        .await?
        .ok_or(WorkerError::NotLoggedIn)?;
    let (port, mut channel) = connect(&vault).await?;
    let request = Request::OrderStatus {
        endpoint: endpoint.root().to_owned(),
        credentials: credentials(&account.api_key, &session.jwt_token),
        unique_order_id: unique_order_id.to_owned(),
    };
    match call(&port, &mut channel, &request, SETUP_SECS).await? {
        Reply::Status { order } => Ok(outcome(&account.id, order)),
        other => Err(unexpected(&other)),
    }
}

fn credentials(api_key: &str, jwt_token: &str) -> Credentials {
    Credentials {
        api_key: Zeroizing::new(api_key.to_owned()),
        jwt_token: Zeroizing::new(jwt_token.to_owned()),
    }
}

fn outcome(account_id: &str, order: OrderState) -> OrderOutcome {
    OrderOutcome {
        account_id: account_id.to_owned(),
        order_id: order.order_id,
        unique_order_id: order.unique_order_id,
        status: order.status,
        text: order.text,
        duplicates: Vec::new(),
    }
}

fn from(error: PairingError) -> WorkerError {
    CompanionError::Channel(error).into()
}

/// A clear frame that is not the expected one: the companion's error, in its words.
fn refusal(frame: FromCompanion) -> WorkerError {
    match frame {
        FromCompanion::Error { message, .. } => CompanionError::Refused(message).into(),
        _ => CompanionError::Refused("an answer out of turn".to_owned()).into(),
    }
}

/// A sealed reply that is not the expected one: the companion's error, in its words.
fn unexpected(reply: &Reply) -> WorkerError {
    match reply {
        Reply::Error { message, .. } => CompanionError::Refused(message.clone()).into(),
        _ => CompanionError::Refused("an answer out of turn".to_owned()).into(),
    }
}
