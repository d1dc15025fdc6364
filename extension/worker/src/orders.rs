//! Placing a confirmed order, and learning what became of it, without ever doubling it.
//!
//! The popup's form is not trusted for the instrument: its exchange and token are looked up
//! again in the master, and halo-core validates lot and tick against that row. Each order gets
//! a fresh `ordertag`, and its intent (tag, body, time) is written to session storage before it
//! is sent. When Angel's answer is lost (no connection, an empty or unreadable body) the order
//! is looked up in the order book by that tag, never sent again: for half a minute while the
//! book cannot be read, and again 5, 15 and 30 s after it showed nothing, for an order that
//! reaches Angel late. Intents left behind (a stopped worker, a broker that stayed unreachable)
//! are reconciled the same way when the worker starts or the ticket is next read, and what the
//! book then says is reported: a note on the ticket, and a notification when no Halo window is
//! open.
//!
//! The browser itself may place an order twice: Chromium silently re-sends a request, even a
//! POST, whose reused keep-alive connection dropped before any byte of the answer, so the
//! worker sees only the second answer. Halo cannot stop that, so after every placement it
//! counts the orders in the book carrying the order's tag and warns when there is more than one.
//!
//! The account's limit on an order's value is checked when the order is reviewed and again
//! just before it is sent, and a placed order is handed to [`follow`] until it is final.

use std::cell::{Cell, RefCell};

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
    confirmations, endpoint, follow, http, login, master, reminder, runtime, value_limits,
    vault_store,
};

const INTENT_PREFIX: &str = "order:";

/// Reads of the order book that find no order with the tag before Halo says the order was most
/// likely not placed: the book can lag a moment behind the order.
const BOOK_READS: u32 = 3;
/// Pauses before each read of the book when an order's answer was lost: about 30 s in all, so
/// a broker that is unreachable for a moment is still asked before Halo gives up.
const BOOK_PAUSES_SECS: [u64; 5] = [0, 2, 4, 8, 16];
/// Pauses between the reads after the book showed no order: at 5, 15 and 30 s after giving up,
/// for an order a slow exchange link takes to Angel late.
const LATE_PAUSES_SECS: [u64; 3] = [5, 10, 15];
/// Reports on orders settled after their placement's answer, shown on the ticket.
const NOTE_PREFIX: &str = "ordernote:";
/// How long a note stays on the ticket.
const NOTE_KEEP_MS: f64 = 15.0 * 60_000.0;
/// The least time between two reconciliations started by the ticket's polling.
const RESUME_EVERY_MS: f64 = 10_000.0;

thread_local! {
    /// Tags whose placement is being settled right now (a placement or a late watch), which
    /// [`resume`] leaves to them. A tag appears once per holder.
    static SETTLING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// When the ticket's polling last started [`resume`].
    static LAST_RESUME_MS: Cell<f64> = const { Cell::new(0.0) };
}

/// Marks a tag as being settled until dropped.
struct Settling(String);

impl Settling {
    fn new(tag: &str) -> Settling {
        SETTLING.with(|tags| tags.borrow_mut().push(tag.to_owned()));
        Settling(tag.to_owned())
    }
}

impl Drop for Settling {
    fn drop(&mut self) {
        SETTLING.with(|tags| {
            let mut tags = tags.borrow_mut();
            if let Some(at) = tags.iter().position(|tag| *tag == self.0) {
                tags.remove(at);
            }
        });
    }
}

fn is_settling(tag: &str) -> bool {
    SETTLING.with(|tags| tags.borrow().iter().any(|held| held == tag))
}

/// A report on an order settled late, kept for the ticket.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Note {
    text: String,
    at_ms: f64,
}

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
    let _settling = Settling::new(&intent.tag);
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
                account_id: account.id.clone(),
                order_id: data.orderid,
                unique_order_id: data.uniqueorderid,
                status: None,
                text: None,
                duplicates: Vec::new(),
            };
            let outcome = with_book(&endpoint, account, &session, outcome, &intent.tag).await;
            warn_of_duplicates(&outcome).await;
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

/// Reads an order's state back through the account that placed it: another account's
/// session would not find it.
pub async fn status(account_id: &str, unique_order_id: &str) -> Result<OrderOutcome> {
    let vault = vault_store::unlocked().await?;
    let endpoint = endpoint::current().await?;
    let account = vault.account(account_id)?;
    let Some(session) = crate::sessions::live(&account.id).await? else {
        return Err(WorkerError::NotLoggedIn);
    };
    let request = smartapi::order_details(
        &endpoint,
        &account.api_key,
        &session.jwt_token,
        unique_order_id,
    );
    let response = http::send(&request).await?.response;
    match smartapi::decode::<wire::OrderBookRow>(&response) {
        Ok(row) => Ok(outcome_of(&account.id, row)),
        Err(error) => Err(login::check_session_error(&account.id, error).await),
    }
}

/// Settles the intents left behind (a stopped worker, a broker that stayed unreachable)
/// through the order book, and reports what it shows. Run when the worker starts and, now and
/// then, when the ticket is read; intents that cannot be checked yet (vault locked, no
/// session, no answer) wait.
pub async fn resume() -> Result<()> {
    let keys = chrome::storage_keys(StorageArea::Session).await?;
    let pending: Vec<&String> = keys
        .iter()
        .filter(|key| key.starts_with(INTENT_PREFIX))
        .filter(|key| !is_settling(&key[INTENT_PREFIX.len()..]))
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
        let _settling = Settling::new(&intent.tag);
        match settled_in_book(&endpoint, account, &session, &intent.tag).await {
            Ok(Some(outcome)) => {
                forget_intent(&intent.tag).await;
                follow::start(&account.id, &outcome, &intent.body).await;
                let text = format!(
                    "Order {} (its answer was lost) is in Angel's order book after all: {}.",
                    intent.tag,
                    found_words(&outcome)
                );
                report(&intent.tag, &text).await;
            }
            Ok(_) => {
                forget_intent(&intent.tag).await;
                let text = format!(
                    "Order {} (its answer was lost) is not in Angel's order book: it was not \
                     placed. Place it again if you still want it.",
                    intent.tag
                );
                report(&intent.tag, &text).await;
            }
            Err(error) => runtime::log_info(&format!("order {}: {error}", intent.tag)),
        }
    }
    Ok(())
}

/// Starts [`resume`] in the background when orders wait to be settled, at most every 10 s:
/// the ticket asks this on every read, so a broker that comes back is noticed while Halo is
/// open.
pub fn resume_soon() {
    let now = runtime::now_ms();
    if now - LAST_RESUME_MS.with(Cell::get) < RESUME_EVERY_MS {
        return;
    }
    LAST_RESUME_MS.with(|last| last.set(now));
    wasm_bindgen_futures::spawn_local(async {
        match resume().await {
            Ok(()) | Err(WorkerError::Locked | WorkerError::NoVault) => {}
            Err(error) => runtime::log_info(&format!("pending orders not checked yet: {error}")),
        }
    });
}

/// The reports on orders settled late, newest first, for the ticket.
pub async fn notes() -> Vec<String> {
    let Ok(keys) = chrome::storage_keys(StorageArea::Session).await else {
        return Vec::new();
    };
    let now = runtime::now_ms();
    let mut notes = Vec::new();
    for key in keys.iter().filter(|key| key.starts_with(NOTE_PREFIX)) {
        if let Ok(Some(note)) = chrome::storage_get::<Note>(StorageArea::Session, key).await
            && now - note.at_ms < NOTE_KEEP_MS
        {
            notes.push(note);
        }
    }
    notes.sort_by(|a, b| b.at_ms.total_cmp(&a.at_ms));
    notes.into_iter().map(|note| note.text).collect()
}

/// Keeps a report for the ticket, and shows it as a notification when no Halo window is open.
async fn report(tag: &str, text: &str) {
    runtime::log_info(text);
    let note = Note {
        text: text.to_owned(),
        at_ms: runtime::now_ms(),
    };
    let key = format!("{NOTE_PREFIX}{tag}");
    if let Err(error) = chrome::storage_set(StorageArea::Session, &key, &note).await {
        runtime::log_info(&format!("order note not kept: {error}"));
    }
    if !follow::halo_window_open().await {
        let id = format!("halo-order-note-{tag}");
        if let Err(error) = reminder::show(&id, "Halo: an order settled", text, false).await {
            runtime::log_info(&format!("order note not shown: {error}"));
        }
    }
}

/// "order 1234, open", for a report.
fn found_words(outcome: &OrderOutcome) -> String {
    let status = outcome.status.as_deref().unwrap_or("status unknown");
    let mut words = format!("order {}, {status}", outcome.order_id);
    if let Some(warning) = outcome.duplicate_warning() {
        words.push_str(". ");
        words.push_str(warning.trim_end_matches('.'));
    }
    words
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

    let mut misses = 0;
    for pause in BOOK_PAUSES_SECS {
        runtime::sleep_secs(pause).await;
        match settled_in_book(endpoint, account, session, &intent.tag).await {
            Ok(Some(outcome)) => {
                forget_intent(&intent.tag).await;
                warn_of_duplicates(&outcome).await;
                follow::start(&account.id, &outcome, &intent.body).await;
                return Ok(outcome);
            }
            Ok(_) => {
                misses += 1;
                if misses == BOOK_READS {
                    watch_late(endpoint, account, session, intent);
                    return Err(WorkerError::OrderUnknown {
                        cause: lost.cause(),
                        book: "shows no order with its tag, so it was most likely not placed \
                               (Halo looks again over the next 30 s and tells you if it shows \
                               up)"
                        .to_owned(),
                        tag: intent.tag.clone(),
                    });
                }
            }
            Err(error) => runtime::log_info(&format!("order book not read: {error}")),
        }
    }
    // The intent stays: the worker's next start, or the ticket's next read, looks again.
    Err(WorkerError::OrderUnchecked {
        cause: lost.cause(),
        tag: intent.tag.clone(),
    })
}

/// Reads the book a few more times after it showed no order with the tag, and reports the order
/// if it reaches Angel late after all. The intent is kept until then, so a worker stopped
/// meanwhile settles it when it starts again.
fn watch_late(endpoint: &Endpoint, account: &Account, session: &Session, intent: &Intent) {
    let (endpoint, account) = (endpoint.clone(), account.clone());
    let (session, intent) = (session.clone(), intent.clone());
    let settling = Settling::new(&intent.tag);
    wasm_bindgen_futures::spawn_local(async move {
        let _settling = settling;
        for pause in LATE_PAUSES_SECS {
            runtime::sleep_secs(pause).await;
            let found = settled_in_book(&endpoint, &account, &session, &intent.tag).await;
            let Ok(Some(outcome)) = found else {
                continue;
            };
            forget_intent(&intent.tag).await;
            follow::start(&account.id, &outcome, &intent.body).await;
            let text = format!(
                "Order {} reached Angel after all, after Halo had said it was most likely not \
                 placed: {}. Check it in Orders before placing it again.",
                intent.tag,
                found_words(&outcome)
            );
            report(&intent.tag, &text).await;
            return;
        }
        forget_intent(&intent.tag).await;
    });
}

/// The outcome for an order `account_id`'s book holds under its tag: the first such row, with
/// every order id when there are more; `None` when the book holds none.
fn settled(account_id: &str, rows: &[wire::OrderBookRow], tag: &str) -> Option<OrderOutcome> {
    let first = rows.iter().find(|row| row.ordertag == tag)?;
    Some(OrderOutcome {
        duplicates: duplicates(rows, tag),
        ..outcome_of(account_id, first.clone())
    })
}

/// The ids of the book's orders carrying `tag`, when there are two or more; otherwise none.
fn duplicates(rows: &[wire::OrderBookRow], tag: &str) -> Vec<String> {
    let ids: Vec<String> = rows
        .iter()
        .filter(|row| row.ordertag == tag)
        .map(|row| row.orderid.clone())
        .collect();
    if ids.len() > 1 { ids } else { Vec::new() }
}

/// Says so when Angel holds the order more than once: in the log, and as a notification when
/// no Halo window is open to show the warning with the order's result.
async fn warn_of_duplicates(outcome: &OrderOutcome) {
    let Some(warning) = outcome.duplicate_warning() else {
        return;
    };
    runtime::log_info(&warning);
    if follow::halo_window_open().await {
        return;
    }
    let id = format!("halo-duplicate-{}", outcome.order_id);
    let title = "Halo: one confirm, two orders at Angel";
    if let Err(error) = reminder::show(&id, title, &warning, false).await {
        runtime::log_info(&format!("duplicate warning not shown: {error}"));
    }
}

/// The order today's book holds under `tag`, settled; `None` when it holds none.
async fn settled_in_book(
    endpoint: &Endpoint,
    account: &Account,
    session: &Session,
    tag: &str,
) -> Result<Option<OrderOutcome>> {
    let rows = read_book(endpoint, account, session).await?;
    Ok(settled(&account.id, &rows, tag))
}

async fn read_book(
    endpoint: &Endpoint,
    account: &Account,
    session: &Session,
) -> Result<Vec<wire::OrderBookRow>> {
    let request = smartapi::order_book(endpoint, &account.api_key, &session.jwt_token);
    let response = http::send(&request).await?.response;
    // An empty book is `data: null`.
    let rows: Option<Vec<wire::OrderBookRow>> = smartapi::decode(&response)?;
    Ok(rows.unwrap_or_default())
}

/// Adds the book's status to a placed order, and every order id Angel holds under its tag
/// (more than one when the browser re-sent the placement). One read of the book answers both,
/// so the popup waits no longer than for the order's details alone; the order stands even if
/// that read fails.
async fn with_book(
    endpoint: &Endpoint,
    account: &Account,
    session: &Session,
    outcome: OrderOutcome,
    tag: &str,
) -> OrderOutcome {
    let Ok(rows) = read_book(endpoint, account, session).await else {
        return outcome;
    };
    let duplicates = duplicates(&rows, tag);
    match rows.into_iter().find(|row| row.orderid == outcome.order_id) {
        Some(row) => OrderOutcome {
            duplicates,
            ..outcome_of(&account.id, row)
        },
        None => OrderOutcome {
            duplicates,
            ..outcome
        },
    }
}

/// An order-book row of `account_id`'s as the popup's outcome.
pub fn outcome_of(account_id: &str, row: wire::OrderBookRow) -> OrderOutcome {
    let status = if row.orderstatus.is_empty() {
        row.status
    } else {
        row.orderstatus
    };
    OrderOutcome {
        account_id: account_id.to_owned(),
        order_id: row.orderid,
        unique_order_id: row.uniqueorderid,
        status: non_empty(status),
        text: non_empty(row.text),
        duplicates: Vec::new(),
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

        let unread = WorkerError::OrderUnchecked {
            cause: refused.cause(),
            tag: "halo-28t5cy4tqk".to_owned(),
        };
        assert_eq!(
            unread.to_string(),
            "Halo got no answer from http://127.0.0.1:8931 (Failed to fetch). Halo could not \
             reach Angel to check the order book for 30 s, so the order may or may not be \
             placed: open Orders (or Angel's app) before placing it again. Halo will not re-send \
             it (tag halo-28t5cy4tqk) and will tell you what the book shows once it can read it."
        );
    }

    fn row(order_id: &str, tag: &str, status: &str) -> wire::OrderBookRow {
        wire::OrderBookRow {
            orderid: order_id.to_owned(),
            ordertag: tag.to_owned(),
            orderstatus: status.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn an_order_re_sent_by_the_browser_is_found_under_its_tag_twice() {
        let book = [
            row("100", "halo-aaaaaaaaaa", "complete"),
            row("101", "halo-bbbbbbbbbb", "open"),
            row("102", "halo-bbbbbbbbbb", "open"),
        ];
        assert_eq!(duplicates(&book, "halo-bbbbbbbbbb"), ["101", "102"]);
        assert!(duplicates(&book, "halo-aaaaaaaaaa").is_empty());
        assert!(duplicates(&book, "halo-cccccccccc").is_empty());

        assert_eq!(settled("a1", &book, "halo-cccccccccc"), None);
        let outcome = settled("a1", &book, "halo-bbbbbbbbbb").expect("the book holds the tag");
        assert_eq!(outcome.account_id, "a1");
        assert_eq!(outcome.order_id, "101");
        assert_eq!(outcome.status.as_deref(), Some("open"));
        assert_eq!(outcome.duplicates, ["101", "102"]);
        assert_eq!(
            found_words(&outcome),
            "order 101, open. Angel holds 2 orders from this one confirm (the connection \
             dropped and the browser sent it again): 101, 102. Cancel the one you did not want \
             in Orders"
        );
    }

    #[test]
    fn the_book_is_read_for_about_half_a_minute_and_late_orders_for_another() {
        assert_eq!(BOOK_PAUSES_SECS.iter().sum::<u64>(), 30);
        let late: Vec<u64> = LATE_PAUSES_SECS
            .iter()
            .scan(0, |at, pause| {
                *at += pause;
                Some(*at)
            })
            .collect();
        assert_eq!(late, [5, 15, 30]);
    }
}
