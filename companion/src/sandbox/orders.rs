//! What the sandbox remembers about orders, and how it shows them.
//!
//! Like Angel's RMS, the sandbox accepts any well-formed order and decides afterwards: an
//! order an exchange would refuse (unknown token, quantity off the lot size, limit price off
//! the tick) goes straight to `rejected` with the reason in `text`; a valid one is `open` and
//! becomes `complete` once the configured fill delay has passed. Status is worked out when it
//! is read, so no timer task is needed.

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
    /// Accepted and waiting for its fill.
    Open,
    /// Filled in full.
    Complete,
    /// Refused by the (simulated) exchange; the reason is in `text`.
    Rejected,
}

impl BookStatus {
    /// Angel's spelling, used in both `status` and `orderstatus`.
    pub fn as_wire(self) -> &'static str {
        match self {
            BookStatus::Open => "open",
            BookStatus::Complete => "complete",
            BookStatus::Rejected => "rejected",
        }
    }
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
}

impl PlacedOrder {
    /// Its status at `now`, given how long a valid order waits before it fills.
    pub fn status(&self, now: Instant, fill_after: Duration) -> BookStatus {
        if self.rejection.is_some() {
            BookStatus::Rejected
        } else if now.saturating_duration_since(self.placed_at) >= fill_after {
            BookStatus::Complete
        } else {
            BookStatus::Open
        }
    }

    /// The order as a row of getOrderBook (and as the data of order details), with Angel's
    /// field names; numbers are strings, as in Angel's book.
    pub fn book_row(&self, now: Instant, fill_after: Duration) -> Value {
        let status = self.status(now, fill_after);
        let body = &self.body;
        let quantity = body.quantity.trim();
        let (filled, unfilled) = match status {
            BookStatus::Complete => (quantity, "0"),
            BookStatus::Open | BookStatus::Rejected => ("0", quantity),
        };
        let average = match status {
            BookStatus::Complete => self.fill_price(),
            BookStatus::Open | BookStatus::Rejected => "0.00".to_owned(),
        };
        let update_secs = match status {
            BookStatus::Complete => self.placed_unix_secs + fill_after.as_secs(),
            BookStatus::Open | BookStatus::Rejected => self.placed_unix_secs,
        };
        let exchange_order_id = match status {
            BookStatus::Rejected => String::new(),
            BookStatus::Open | BookStatus::Complete => format!("1{}", self.orderid),
        };
        let updated = angel_timestamp(update_secs);
        // A rejected order never reached the exchange, so it has no exchange times.
        let (exchange_time, exchange_update_time) = match status {
            BookStatus::Rejected => (String::new(), String::new()),
            BookStatus::Open | BookStatus::Complete => {
                (angel_timestamp(self.placed_unix_secs), updated.clone())
            }
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
            "cancelsize": "0",
            "averageprice": average,
            "filledshares": filled,
            "unfilledshares": unfilled,
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

    /// A limit order fills at its limit; anything else at the made-up market price.
    fn fill_price(&self) -> String {
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
            Handling::Placed(order) => json!({
                "request": self.request,
                "clientcode": self.clientcode,
                "orderid": order.orderid,
                "uniqueorderid": order.uniqueorderid,
                "status": order.status(now, fill_after).as_wire(),
                "text": order.rejection.clone().unwrap_or_default(),
            }),
        }
    }

    /// The placed order, if it got that far.
    pub fn placed(&self) -> Option<&PlacedOrder> {
        match &self.handling {
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
