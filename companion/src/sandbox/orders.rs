//! What the sandbox remembers about orders, and how it shows them.
//!
//! Like Angel's RMS, the sandbox accepts any well-formed order and decides afterwards: an
//! order an exchange would refuse (unknown token, quantity off the lot size, limit price off
//! the tick, a stop-loss limit too far from its trigger, more than the account's funds) goes
//! straight to `rejected` with the reason in `text`. A valid one is `open`; an order of two
//! lots or more is partly filled (still `open`, with `filledshares`) half-way through the fill
//! delay, and `complete` once it has passed. A stop-loss order whose trigger the made-up market
//! price has not reached waits in `trigger pending` until it is modified or cancelled. Status
//! is worked out when it is read, so no timer task is needed.

use std::time::{Duration, Instant};

use halo_core::instruments::Instrument;
use halo_core::orders::{format_paise, parse_price_paise};
use halo_core::smartapi::wire::PlaceOrderBody;
use serde_json::{Value, json};

use super::clock::angel_timestamp;
use super::market::made_up_ltp_paise;

/// Where an order stands, in Angel's lower-case words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookStatus {
    /// Accepted and waiting for (the rest of) its fill.
    Open,
    /// A stop-loss order whose trigger has not traded.
    TriggerPending,
    /// Filled in full.
    Complete,
    /// Cancelled by its owner; what filled before stays filled.
    Cancelled,
    /// Refused by the (simulated) exchange; the reason is in `text`.
    Rejected,
}

impl BookStatus {
    /// Angel's spelling, used in both `status` and `orderstatus`.
    pub fn as_wire(self) -> &'static str {
        match self {
            BookStatus::Open => "open",
            BookStatus::TriggerPending => "trigger pending",
            BookStatus::Complete => "complete",
            BookStatus::Cancelled => "cancelled",
            BookStatus::Rejected => "rejected",
        }
    }

    /// Whether the order can still be modified or cancelled.
    pub fn is_open(self) -> bool {
        matches!(self, BookStatus::Open | BookStatus::TriggerPending)
    }
}

/// A moment, both for the fill clock and for the time stamps shown.
#[derive(Clone, Copy, Debug)]
pub struct Stamp {
    /// For measuring the fill delay.
    pub at: Instant,
    /// For `updatetime`, in the sandbox's clock.
    pub unix_secs: u64,
}

/// An order that got an order id and so appears in its account's book.
pub struct PlacedOrder {
    /// The account that placed it.
    pub clientcode: String,
    /// Angel-style 15-digit order id.
    pub orderid: String,
    /// Angel-style UUID used by the `details/{uniqueorderid}` route.
    pub uniqueorderid: String,
    /// The body as parsed.
    pub body: PlaceOrderBody,
    /// The master row the token names, when there is one.
    pub instrument: Option<Instrument>,
    /// Why the exchange refused it, if it did.
    pub rejection: Option<String>,
    /// When it arrived, for the fill delay.
    pub placed_at: Instant,
    /// When it arrived, for the time stamps shown.
    pub placed_unix_secs: u64,
    /// False for a stop-loss order whose trigger the market has not reached: it waits.
    pub triggered: bool,
    /// When it was last modified.
    pub modified: Option<Stamp>,
    /// When it was cancelled; the fill clock stops there.
    pub cancelled: Option<Stamp>,
}

impl PlacedOrder {
    /// Its status at `now`, given how long a valid order waits before it fills.
    pub fn status(&self, now: Instant, fill_after: Duration) -> BookStatus {
        if self.rejection.is_some() {
            return BookStatus::Rejected;
        }
        let complete = self.filled_units(now, fill_after) >= self.units();
        match (complete, self.cancelled, self.triggered) {
            (true, _, _) => BookStatus::Complete,
            (false, Some(_), _) => BookStatus::Cancelled,
            (false, None, false) => BookStatus::TriggerPending,
            (false, None, true) => BookStatus::Open,
        }
    }

    /// Units ordered, as the body says (0 when it is not a number).
    pub fn units(&self) -> u64 {
        self.body.quantity.trim().parse().unwrap_or(0)
    }

    /// Units filled at `now`: none before half the fill delay, half of the lots (rounded
    /// down, when there are two or more) until the delay is over, then all. Filling stops
    /// when the order is cancelled, and never starts for a rejected or untriggered order.
    pub fn filled_units(&self, now: Instant, fill_after: Duration) -> u64 {
        if self.rejection.is_some() || !self.triggered {
            return 0;
        }
        let until = self.cancelled.map_or(now, |stamp| stamp.at.min(now));
        let waited = until.saturating_duration_since(self.placed_at);
        let units = self.units();
        if waited >= fill_after {
            return units;
        }
        if waited < fill_after / 2 {
            return 0;
        }
        let lot = self
            .instrument
            .as_ref()
            .map_or(1, |i| u64::from(i.lot_size.max(1)));
        (units / lot / 2) * lot
    }

    /// The order as a row of getOrderBook (and as the data of order details), with Angel's
    /// field names; numbers are strings, as in Angel's book.
    pub fn book_row(&self, now: Instant, fill_after: Duration) -> Value {
        let status = self.status(now, fill_after);
        let body = &self.body;
        let quantity = body.quantity.trim();
        let filled = self.filled_units(now, fill_after);
        let unfilled = self.units().saturating_sub(filled);
        let cancel_size = match status {
            BookStatus::Cancelled => unfilled,
            _ => 0,
        };
        let average = match filled {
            0 => "0.00".to_owned(),
            _ => self.fill_price(),
        };
        let exchange_order_id = match status {
            BookStatus::Rejected => String::new(),
            _ => format!("1{}", self.orderid),
        };
        let updated = angel_timestamp(self.update_secs(status, fill_after));
        // A rejected order never reached the exchange, so it has no exchange times.
        let (exchange_time, exchange_update_time) = match status {
            BookStatus::Rejected => (String::new(), String::new()),
            _ => (angel_timestamp(self.placed_unix_secs), updated.clone()),
        };
        let instrument = self.instrument.as_ref();

        json!({
            "variety": body.variety,
            "ordertype": body.ordertype,
            "producttype": body.producttype,
            "duration": body.duration,
            "price": normalised_price(&body.price),
            "triggerprice": normalised_price(&body.triggerprice),
            "quantity": quantity,
            "disclosedquantity": "0",
            "squareoff": normalised_price(&body.squareoff),
            "stoploss": normalised_price(&body.stoploss),
            "trailingstoploss": "0.00",
            "tradingsymbol": body.tradingsymbol,
            "transactiontype": body.transactiontype,
            "exchange": body.exchange,
            "symboltoken": body.symboltoken,
            "ordertag": body.ordertag,
            "instrumenttype": instrument.map_or("", |i| i.instrument_type.as_str()),
            "strikeprice": instrument.and_then(|i| i.strike_paise)
                .map_or_else(|| "-1".to_owned(), signed_paise),
            "optiontype": instrument.map_or("", option_type),
            "expirydate": instrument.and_then(|i| i.expiry.clone()).unwrap_or_default(),
            "lotsize": instrument.map_or_else(|| "1".to_owned(), |i| i.lot_size.to_string()),
            "cancelsize": cancel_size.to_string(),
            "averageprice": average,
            "filledshares": filled.to_string(),
            "unfilledshares": unfilled.to_string(),
            "orderid": self.orderid,
            "text": self.rejection.clone().unwrap_or_default(),
            "status": status.as_wire(),
            "orderstatus": status.as_wire(),
            "updatetime": updated,
            "exchtime": exchange_time,
            "exchorderupdatetime": exchange_update_time,
            "fillid": "",
            "filltime": "",
            "parentorderid": "",
            "uniqueorderid": self.uniqueorderid,
            "exchangeorderid": exchange_order_id,
        })
    }

    /// The last time the order changed, as `updatetime` shows it.
    fn update_secs(&self, status: BookStatus, fill_after: Duration) -> u64 {
        let changed = [self.modified, self.cancelled]
            .into_iter()
            .flatten()
            .map(|stamp| stamp.unix_secs)
            .max()
            .unwrap_or(self.placed_unix_secs);
        match status {
            BookStatus::Complete => changed.max(self.placed_unix_secs + fill_after.as_secs()),
            _ => changed,
        }
    }

    /// A limit order fills at its limit; anything else at the made-up market price.
    pub fn fill_price(&self) -> String {
        let limit = matches!(self.body.ordertype.as_str(), "LIMIT" | "STOPLOSS_LIMIT");
        match (&self.instrument, limit) {
            (_, true) => normalised_price(&self.body.price),
            (Some(instrument), false) => format_paise(made_up_ltp_paise(instrument)),
            (None, false) => "0.00".to_owned(),
        }
    }
}

/// Every order request received, as the sandbox's own log shows it.
pub struct OrderRecord {
    /// The request body exactly as sent (a JSON string when it was not JSON).
    pub request: Value,
    /// The account whose token came with it, when the token was valid.
    pub clientcode: Option<String>,
    /// What became of it.
    pub handling: Handling,
}

/// What became of an order request.
pub enum Handling {
    /// Refused before reaching the book (token, key or malformed body), with Angel's error.
    Refused {
        /// Angel's error code and message, e.g. `AG8001 Invalid Token`.
        reason: String,
    },
    /// Given an order id; it is in the account's book.
    Placed(Box<PlacedOrder>),
}

impl OrderRecord {
    /// The record as `GET /sandbox/orders` shows it.
    pub fn log_entry(&self, now: Instant, fill_after: Duration) -> Value {
        match &self.handling {
            Handling::Refused { reason } => json!({
                "request": self.request,
                "clientcode": self.clientcode,
                "orderid": null,
                "uniqueorderid": null,
                "status": "refused",
                "text": reason,
            }),
            Handling::Placed(order) => {
                let mut entry = json!({
                    "request": self.request,
                    "clientcode": self.clientcode,
                    "orderid": order.orderid,
                    "uniqueorderid": order.uniqueorderid,
                    "status": order.status(now, fill_after).as_wire(),
                    "text": order.rejection.clone().unwrap_or_default(),
                });
                // A modified order also shows its terms now, beside the request as sent.
                if order.modified.is_some() {
                    entry["modified"] = json!({
                        "ordertype": order.body.ordertype,
                        "price": normalised_price(&order.body.price),
                        "triggerprice": normalised_price(&order.body.triggerprice),
                        "quantity": order.body.quantity,
                    });
                }
                entry
            }
        }
    }

    /// The placed order, if it got that far.
    pub fn placed(&self) -> Option<&PlacedOrder> {
        match &self.handling {
            Handling::Placed(order) => Some(order),
            Handling::Refused { .. } => None,
        }
    }

    /// The placed order, to modify or cancel it.
    pub fn placed_mut(&mut self) -> Option<&mut PlacedOrder> {
        match &mut self.handling {
            Handling::Placed(order) => Some(order),
            Handling::Refused { .. } => None,
        }
    }
}

/// Checks Angel makes before accepting an order at all: these fail the placeOrder call itself
/// (an error envelope, no order id) rather than giving a rejected order.
pub fn refusal(body: &PlaceOrderBody) -> Option<(&'static str, &'static str)> {
    const INVALID: (&str, &str) = ("AB1007", "INVALID PARAMETERS");
    let one_of = |value: &str, allowed: &[&str]| allowed.contains(&value);

    if !one_of(&body.variety, &["NORMAL", "STOPLOSS", "ROBO", "AMO"]) {
        return Some(("AB1008", "Invalid Order Variety"));
    }
    if !one_of(
        &body.producttype,
        &["DELIVERY", "CARRYFORWARD", "MARGIN", "INTRADAY", "BO"],
    ) {
        return Some(("AB1012", "Invalid Product Type"));
    }
    if body.ordertag.chars().count() >= 20 {
        return Some((
            "AB4008",
            "ordertag length should be less than 20 characters",
        ));
    }
    let known_words = one_of(&body.transactiontype, &["BUY", "SELL"])
        && one_of(
            &body.ordertype,
            &["MARKET", "LIMIT", "STOPLOSS_LIMIT", "STOPLOSS_MARKET"],
        )
        && one_of(&body.duration, &["DAY", "IOC"]);
    if !known_words {
        return Some(INVALID);
    }
    None
}

/// `"2945.5"` as `"2945.50"`; text that is not a price is shown as sent.
fn normalised_price(text: &str) -> String {
    match text.trim() {
        "" => "0.00".to_owned(),
        trimmed => parse_price_paise(trimmed).map_or_else(|_| trimmed.to_owned(), format_paise),
    }
}

/// Paise that may be negative (the master's strike is -1 for non-options) as rupees.
fn signed_paise(paise: i64) -> String {
    let sign = if paise < 0 { "-" } else { "" };
    format!("{sign}{}", format_paise(paise.unsigned_abs()))
}

/// `CE` or `PE` for options, read from the end of the symbol as Angel's symbols spell it.
fn option_type(instrument: &Instrument) -> &str {
    let symbol = &instrument.trading_symbol;
    if instrument.instrument_type.starts_with("OPT") {
        symbol.get(symbol.len().saturating_sub(2)..).unwrap_or("")
    } else {
        ""
    }
}
