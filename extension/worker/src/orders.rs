//! Placing a confirmed order, and learning what became of it, without ever doubling it.
//!
//! The popup's form is not trusted for the instrument: its exchange and token are looked up
//! again in the master, and halo-core validates lot and tick against that row. Each order gets
//! a fresh `ordertag`, and its intent (tag, body, time) is written to session storage before it
//! is sent. When Angel's answer is lost (no connection, an empty or unreadable body) the order
//! is looked up in the order book by that tag, never sent again. Intents left behind by a
//! stopped worker are reconciled the same way when it starts.
//!
//! The account's limit on an order's value is checked when the order is reviewed and again
//! just before it is sent, and a placed order is handed to [`follow`] until it is final.

use halo_core::instruments::{Exchange, Instrument, InstrumentMaster};
use halo_core::orders::{self, OrderKind, OrderTicket, OrderType, Product, Side, Validity};
use halo_core::session::Session;
use halo_core::smartapi::{self, ApiError, Endpoint, wire};
use halo_core::vault::Account;
use halo_extension_shared::chrome::{self, StorageArea};
use halo_extension_shared::messages::{OrderForm, OrderOutcome};
use halo_extension_shared::order_views::OrderReview;
use serde::{Deserialize, Serialize};

use crate::error::{Result, WorkerError};
use crate::{
    confirmations, endpoint, follow, http, login, master, runtime, value_limits, vault_store,
};

const INTENT_PREFIX: &str = "order:";

/// Times the order book is read when an order's answer was lost: the book can lag a moment
/// behind the order.
const BOOK_READS: u32 = 3;
const BOOK_PAUSE_SECS: u64 = 2;

/// An order about to be sent, kept until its outcome is known.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Intent {
    tag: String,
    account_id: String,
    body: wire::PlaceOrderBody,
    at_ms: f64,
}

/// A tag for [`check`]: valid, and never sent anywhere.
const CHECK_TAG: &str = "halo-check";

/// How the answer to a placement went missing.
enum Lost {
    /// The connection failed: no HTTP answer at all.
    NoAnswer {
        /// Scheme and host the order went to.
        host: String,
        /// The browser's reason.
        reason: String,
    },
    /// An answer came but said nothing readable (empty, not JSON, ...).
    Unreadable(String),
}

impl Lost {
    fn cause(&self) -> String {
        match self {
            Lost::NoAnswer { host, reason } => format!("Halo got no answer from {host} ({reason})"),
            Lost::Unreadable(how) => format!("Angel's answer to the order was lost ({how})"),
        }
    }
}

/// Checks an order with the rules [`place`] applies, against the same master row and the
/// account's value limit, without sending it: the popup asks before it shows the confirm step.
pub async fn check(form: &OrderForm) -> Result<OrderReview> {
    let endpoint = endpoint::current().await?;
    let master = master::get(&endpoint).await?;
    let ticket = ticket(form, &master, CHECK_TAG.to_owned())?;
    orders::validate(&ticket)?;
    let (value_paise, value_limit_paise) = within_value_limit(&endpoint, form, &ticket).await?;
    Ok(OrderReview {
        value_paise,
        value_limit_paise,
        warning: ticket.kind.warning().map(str::to_owned),
    })
}

/// The order's value and the account's limit, or the refusal when it is above the limit. A
/// market order is valued at the last traded price, read from Angel.
async fn within_value_limit(
    endpoint: &Endpoint,
    form: &OrderForm,
    ticket: &OrderTicket,
) -> Result<(u64, u64)> {
    let limit = value_limits::get(&form.account_id).await?;
    let ltp = match ticket.kind.order_type {
        OrderType::Market => last_price_paise(endpoint, &form.account_id, &ticket.instrument).await,
        _ => None,
    };
    let value = orders::check_value(ticket, ltp, limit)?;
    Ok((value, limit))
}

/// The instrument's last traded price through this account's session, if Angel gives one.
async fn last_price_paise(
    endpoint: &Endpoint,
    account_id: &str,
    instrument: &Instrument,
) -> Option<u64> {
    let vault = vault_store::unlocked().await.ok()?;
    let account = vault.account(account_id).ok()?;
    let session = crate::sessions::live(account_id).await.ok()??;
    let request =
        smartapi::instrument_ltp(endpoint, &account.api_key, &session.jwt_token, instrument);
    let response = http::send(&request).await.ok()?.response;
    let rupees = smartapi::decode::<wire::LtpData>(&response).ok()?.ltp;
    orders::rupees_to_paise(rupees).filter(|paise| *paise > 0)
}

/// Places an order the user confirmed, and reads its status back. One confirmation places at
/// most one order (see [`confirmations`]).
pub async fn place(form: &OrderForm) -> Result<OrderOutcome> {
    let _claim = confirmations::claim(&form.confirmation_id).await?;
    let vault = vault_store::unlocked().await?;
    let account = vault.account(&form.account_id)?;
    let session = crate::sessions::live(&account.id)
        .await?
        .ok_or(WorkerError::NotLoggedIn)?;
    let endpoint = endpoint::current().await?;
    let master = master::get(&endpoint).await?;

    let tag = orders::order_tag(runtime::random_bytes()?);
    let ticket = ticket(form, &master, tag.clone())?;
    let body = orders::validate(&ticket)?;
    // Checked again here: the limit may have been lowered since the review.
    within_value_limit(&endpoint, form, &ticket).await?;
    let intent = Intent {
        tag,
        account_id: account.id.clone(),
        body,
        at_ms: runtime::now_ms(),
    };
    chrome::storage_set(StorageArea::Session, &intent_key(&intent.tag), &intent).await?;
    runtime::log_info(&format!("placing order {}", intent.tag));

    let request = smartapi::place_order(
        &endpoint,
        &account.api_key,
        &session.jwt_token,
        &intent.body,
    );
    let placed = match http::send(&request).await {
        Ok(fetched) => smartapi::decode::<wire::PlaceOrderData>(&fetched.response),
        Err(http::HttpError::Unreachable { host, reason }) => {
            let lost = Lost::NoAnswer { host, reason };
            return reconcile(&endpoint, account, &session, &intent, lost).await;
        }
        Err(error) => {
            // Nothing left the browser.
            forget_intent(&intent.tag).await;
            return Err(error.into());
        }
    };

    match placed {
        Ok(data) => {
            forget_intent(&intent.tag).await;
            let outcome = OrderOutcome {
                order_id: data.orderid,
                unique_order_id: data.uniqueorderid,
                status: None,
                text: None,
            };
            let outcome = with_details(&endpoint, account, &session, outcome).await;
            follow::start(&account.id, &outcome, &intent.body).await;
            Ok(outcome)
        }
        Err(error) if error.outcome_unknown() => {
            let lost = Lost::Unreadable(lost_answer(&error));
            reconcile(&endpoint, account, &session, &intent, lost).await
        }
        Err(error) => {
            // Angel refused it outright: nothing was placed, and it is not sent again (a
            // dead session needs a new login and a new confirm).
            forget_intent(&intent.tag).await;
            Err(login::check_session_error(&account.id, error).await)
        }
    }
}

/// Reads an order's state back, through the first logged-in account.
// TODO: OrderStatus carries no account id; with two logged-in accounts the first one is asked.
pub async fn status(unique_order_id: &str) -> Result<OrderOutcome> {
    let vault = vault_store::unlocked().await?;
    let endpoint = endpoint::current().await?;
    for account in &vault.contents.accounts {
        let Some(session) = crate::sessions::live(&account.id).await? else {
            continue;
        };
        let request = smartapi::order_details(
            &endpoint,
            &account.api_key,
            &session.jwt_token,
            unique_order_id,
        );
        let response = http::send(&request).await?.response;
        return match smartapi::decode::<wire::OrderBookRow>(&response) {
            Ok(row) => Ok(outcome_of(row)),
            Err(error) => Err(login::check_session_error(&account.id, error).await),
        };
    }
    Err(WorkerError::NotLoggedIn)
}

/// Settles the intents a stopped worker left behind, through the order book. Run once when
/// the worker starts; intents that cannot be checked yet (vault locked, no session) wait.
pub async fn resume() -> Result<()> {
    let keys = chrome::storage_keys(StorageArea::Session).await?;
    let pending: Vec<&String> = keys
        .iter()
        .filter(|key| key.starts_with(INTENT_PREFIX))
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let vault = vault_store::unlocked().await?;
    let endpoint = endpoint::current().await?;

    for key in pending {
        let Some(intent) = chrome::storage_get::<Intent>(StorageArea::Session, key).await? else {
            continue;
        };
        let Ok(account) = vault.account(&intent.account_id) else {
            continue;
        };
        let Some(session) = crate::sessions::live(&account.id).await? else {
            continue;
        };
        match find_in_book(&endpoint, account, &session, &intent.tag).await {
            Ok(Some(row)) => {
                let outcome = outcome_of(row);
                let status = outcome.status.as_deref().unwrap_or("unknown");
                runtime::log_info(&format!("order {} is in the book: {status}", intent.tag));
                forget_intent(&intent.tag).await;
            }
            Ok(None) => {
                runtime::log_info(&format!("order {} was never placed", intent.tag));
                forget_intent(&intent.tag).await;
            }
            Err(error) => runtime::log_info(&format!("order {}: {error}", intent.tag)),
        }
    }
    Ok(())
}

/// The ticket halo-core validates, with the instrument taken from the master rather than
/// from the form.
fn ticket(form: &OrderForm, master: &InstrumentMaster, tag: String) -> Result<OrderTicket> {
    let exchange = Exchange::from_wire(form.exchange.trim())
        .ok_or_else(|| WorkerError::OrderForm(format!("Unknown exchange {}.", form.exchange)))?;
    let instrument = master
        .by_token(exchange, form.token.trim())
        .ok_or_else(|| WorkerError::UnknownInstrument {
            exchange: form.exchange.clone(),
            token: form.token.clone(),
        })?
        .clone();
    let side = Side::from_wire(form.side.trim())
        .ok_or_else(|| WorkerError::OrderForm("Choose Buy or Sell.".to_owned()))?;
    let product = Product::from_wire(form.product.trim())
        .ok_or_else(|| WorkerError::OrderForm(format!("Unknown product {}.", form.product)))?;
    let quantity = form.quantity.trim().parse::<u32>().map_err(|_| {
        WorkerError::OrderForm(format!(
            "The quantity {} is not a whole number.",
            form.quantity
        ))
    })?;
    let kind = kind_of(form)?;
    let price_paise = match kind.order_type.has_limit() {
        true => orders::parse_price_paise(form.price.trim())?,
        false => 0,
    };
    Ok(OrderTicket {
        instrument,
        side,
        quantity,
        price_paise,
        product,
        tag,
        kind,
    })
}

/// Order type, trigger and validity from the form; empty fields mean a limit order for the day.
fn kind_of(form: &OrderForm) -> Result<OrderKind> {
    let order_type = match form.order_type.trim() {
        "" => OrderType::Limit,
        text => OrderType::from_wire(text)
            .ok_or_else(|| WorkerError::OrderForm(format!("Unknown order type {text}.")))?,
    };
    let validity = match form.duration.trim() {
        "" => Validity::Day,
        text => Validity::from_wire(text)
            .ok_or_else(|| WorkerError::OrderForm(format!("Unknown validity {text}.")))?,
    };
    let trigger_paise = match order_type.has_trigger() {
        true => orders::parse_price_paise(form.trigger_price.trim())
            .map_err(|_| WorkerError::OrderForm("Enter a trigger price in rupees.".to_owned()))?,
        false => 0,
    };
    Ok(OrderKind {
        order_type,
        trigger_paise,
        validity,
    })
}

/// Looks a lost order up in the book, and says what the book shows.
async fn reconcile(
    endpoint: &Endpoint,
    account: &Account,
    session: &Session,
    intent: &Intent,
    lost: Lost,
) -> Result<OrderOutcome> {
    runtime::log_info(&format!(
        "answer to order {} lost; reading the order book",
        intent.tag
    ));
    let unknown = |book: &str| WorkerError::OrderUnknown {
        cause: lost.cause(),
        book: book.to_owned(),
        tag: intent.tag.clone(),
    };

    for attempt in 0..BOOK_READS {
        if attempt > 0 {
            runtime::sleep_secs(BOOK_PAUSE_SECS).await;
        }
        match find_in_book(endpoint, account, session, &intent.tag).await {
            Ok(Some(row)) => {
                forget_intent(&intent.tag).await;
                let outcome = outcome_of(row);
                follow::start(&account.id, &outcome, &intent.body).await;
                return Ok(outcome);
            }
            Ok(None) => {}
            // The intent stays: the next worker start will look again.
            Err(_) => {
                return Err(match &lost {
                    Lost::NoAnswer { host, reason } => WorkerError::OrderNoAnswer {
                        host: host.clone(),
                        reason: reason.clone(),
                        tag: intent.tag.clone(),
                    },
                    Lost::Unreadable(_) => unknown("could not be read either"),
                });
            }
        }
    }
    forget_intent(&intent.tag).await;
    Err(unknown(
        "shows no order with its tag, so it was most likely not placed",
    ))
}

async fn find_in_book(
    endpoint: &Endpoint,
    account: &Account,
    session: &Session,
    tag: &str,
) -> Result<Option<wire::OrderBookRow>> {
    let request = smartapi::order_book(endpoint, &account.api_key, &session.jwt_token);
    let response = http::send(&request).await?.response;
    // An empty book is `data: null`.
    let rows: Option<Vec<wire::OrderBookRow>> = smartapi::decode(&response)?;
    Ok(rows
        .unwrap_or_default()
        .into_iter()
        .find(|row| row.ordertag == tag))
}

/// Adds the book's status to a placed order; the order stands even if that read fails.
async fn with_details(
    endpoint: &Endpoint,
    account: &Account,
    session: &Session,
    outcome: OrderOutcome,
) -> OrderOutcome {
    let request = smartapi::order_details(
        endpoint,
        &account.api_key,
        &session.jwt_token,
        &outcome.unique_order_id,
    );
    let Ok(fetched) = http::send(&request).await else {
        return outcome;
    };
    match smartapi::decode::<wire::OrderBookRow>(&fetched.response) {
        Ok(row) => OrderOutcome {
            status: Some(row.orderstatus),
            text: non_empty(row.text),
            ..outcome
        },
        Err(_) => outcome,
    }
}

/// An order-book row as the popup's outcome.
pub fn outcome_of(row: wire::OrderBookRow) -> OrderOutcome {
    let status = if row.orderstatus.is_empty() {
        row.status
    } else {
        row.orderstatus
    };
    OrderOutcome {
        order_id: row.orderid,
        unique_order_id: row.uniqueorderid,
        status: non_empty(status),
        text: non_empty(row.text),
    }
}

fn non_empty(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

/// How the answer to a placement was lost, in a few words.
fn lost_answer(error: &ApiError) -> String {
    match error {
        ApiError::EmptyBody => "the reply was empty".to_owned(),
        ApiError::NotJson { status } => format!("the reply was not JSON, HTTP {status}"),
        _ => "the reply could not be read".to_owned(),
    }
}

async fn forget_intent(tag: &str) {
    // A leftover intent only makes the next start read the order book once more.
    let _ = chrome::storage_remove(StorageArea::Session, &[&intent_key(tag)]).await;
}

fn intent_key(tag: &str) -> String {
    format!("{INTENT_PREFIX}{tag}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_answer_says_whether_any_answer_came() {
        let refused = Lost::NoAnswer {
            host: "http://127.0.0.1:8931".to_owned(),
            reason: "Failed to fetch".to_owned(),
        };
        assert_eq!(
            refused.cause(),
            "Halo got no answer from http://127.0.0.1:8931 (Failed to fetch)"
        );
        let empty = Lost::Unreadable("the reply was empty".to_owned());
        assert_eq!(
            empty.cause(),
            "Angel's answer to the order was lost (the reply was empty)"
        );

        let unread = WorkerError::OrderNoAnswer {
            host: "http://127.0.0.1:8931".to_owned(),
            reason: "Failed to fetch".to_owned(),
            tag: "halo-28t5cy4tqk".to_owned(),
        };
        assert!(unread.to_string().starts_with(
            "Halo got no answer from http://127.0.0.1:8931 (Failed to fetch); it is checking \
             the order book before telling you anything."
        ));
    }
}
