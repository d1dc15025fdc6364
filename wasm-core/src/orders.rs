//! Orders: the ticket a trader confirms, the checks an exchange would make, and what the
//! order book says afterwards.
//!
//! Prices are integer paise from the moment they are typed; a float never decides whether a
//! price is on the tick. Quantities on a ticket are shares for cash and lots for futures and
//! options; Angel's body carries units (lots times lot size).

mod checks;
mod kind;
mod modify;
mod price;
mod status;
mod value;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::instruments::Instrument;
use crate::smartapi::wire::PlaceOrderBody;

pub use checks::{check_price, check_stop_loss, check_units, products_for, rejection_reason};
pub use kind::{MARKET_WARNING, OrderKind, OrderType, Validity};
pub use modify::{OrderChange, cancel_body, modify_ticket, validate_modify};
pub use price::{format_paise, format_paise_grouped, parse_price_paise, rupees_to_paise};
pub use status::{OrderStatus, find_by_tag};
pub use value::{DEFAULT_VALUE_LIMIT_PAISE, ValueLimitError, check_value, order_value_paise};

/// Angel refuses an `ordertag` of 20 characters or more (AB4008).
pub const MAX_TAG_CHARS: usize = 19;

/// Buy or sell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    /// `BUY`.
    Buy,
    /// `SELL`.
    Sell,
}

impl Side {
    /// Angel's `transactiontype`.
    pub fn as_wire(&self) -> &'static str {
        match self {
            Side::Buy => "BUY",
            Side::Sell => "SELL",
        }
    }

    /// Reads Angel's `transactiontype`, in any case.
    pub fn from_wire(s: &str) -> Option<Side> {
        [Side::Buy, Side::Sell]
            .into_iter()
            .find(|side| side.as_wire().eq_ignore_ascii_case(s))
    }
}

/// How a position is held, Angel's `producttype`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Product {
    /// `DELIVERY` (cash and carry): shares bought are delivered to the demat account.
    Delivery,
    /// `INTRADAY`: squared off the same day.
    Intraday,
    /// `MARGIN`: margin trading.
    Margin,
    /// `CARRYFORWARD` (NRML): futures and options held overnight.
    CarryForward,
}

impl Product {
    /// Angel's `producttype`.
    pub fn as_wire(&self) -> &'static str {
        match self {
            Product::Delivery => "DELIVERY",
            Product::Intraday => "INTRADAY",
            Product::Margin => "MARGIN",
            Product::CarryForward => "CARRYFORWARD",
        }
    }

    /// The product in words, as the ticket shows it.
    pub fn name(&self) -> &'static str {
        match self {
            Product::Delivery => "Delivery",
            Product::Intraday => "Intraday",
            Product::Margin => "Margin",
            Product::CarryForward => "Carry-forward",
        }
    }

    /// Reads Angel's `producttype`, in any case.
    pub fn from_wire(s: &str) -> Option<Product> {
        [
            Product::Delivery,
            Product::Intraday,
            Product::Margin,
            Product::CarryForward,
        ]
        .into_iter()
        .find(|product| product.as_wire().eq_ignore_ascii_case(s))
    }
}

/// An order as the trader fills it in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderTicket {
    /// What to trade, from the instrument master.
    pub instrument: Instrument,
    /// Buy or sell.
    pub side: Side,
    /// Shares for cash instruments, lots for futures and options.
    pub quantity: u32,
    /// Limit price in paise; not used (and sent as 0) by market and stop-loss-market orders.
    pub price_paise: u64,
    /// Delivery, intraday, ...
    pub product: Product,
    /// Unique tag for finding this order in the book; see [`order_tag`].
    pub tag: String,
    /// Order type, trigger and validity: a limit order good for the day unless chosen.
    #[serde(default)]
    pub kind: OrderKind,
}

/// Why an order or a price was refused, worded for the trader.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum OrderError {
    /// No price was typed.
    #[error("Enter a price")]
    PriceEmpty,
    /// The price text is not a plain decimal number.
    #[error("\"{0}\" is not a price; type rupees like 2945.50")]
    PriceNotANumber(String),
    /// A comma: "1,5" may mean 1.50 (a decimal comma) or 15 (a lost digit group), so Halo
    /// refuses to guess.
    #[error("Use a dot for paise, without commas: 2945.50")]
    PriceComma,
    /// A minus sign.
    #[error("A price cannot be negative")]
    PriceNegative,
    /// More than two decimals: prices are in whole paise.
    #[error("A price has at most two decimals (paise)")]
    PriceTooPrecise,
    /// Too large to be a price.
    #[error("That price is too large")]
    PriceTooLarge,
    /// Zero price on a limit order.
    #[error("A limit order needs a price above zero")]
    PriceZero,
    /// The price is not a multiple of the instrument's tick.
    #[error(
        "₹{} is not a valid price for {symbol}: it moves in steps of ₹{}. {}",
        format_paise(*price_paise),
        format_paise(u64::from(*tick_paise)),
        nearest_words(*below, *above)
    )]
    OffTick {
        /// Trading symbol.
        symbol: String,
        /// The refused price, paise.
        price_paise: u64,
        /// The instrument's tick, paise.
        tick_paise: u32,
        /// The nearest valid price below, paise (0 when there is none).
        below: u64,
        /// The nearest valid price above, paise.
        above: u64,
    },
    /// The master gives no tick size, so no price can be checked.
    #[error("The instrument master gives no price step for {0}; Halo cannot price it")]
    NoTick(String),
    /// Quantity zero.
    #[error("Enter a quantity of at least 1")]
    QuantityZero,
    /// Units that are not a whole number of lots.
    #[error(
        "{units} is not a whole number of lots of {symbol}: the lot size is {lot_size}. {}",
        lot_words(*units, *lot_size)
    )]
    NotWholeLots {
        /// Trading symbol.
        symbol: String,
        /// The refused quantity, in units.
        units: u64,
        /// The instrument's lot size.
        lot_size: u32,
    },
    /// The master gives a lot size of zero.
    #[error("The instrument master gives no lot size for {0}; Halo cannot size the order")]
    NoLotSize(String),
    /// The quantity overflows what Angel accepts.
    #[error("That quantity is too large")]
    QuantityTooLarge,
    /// More units than the exchange's freeze limit allows in one order.
    #[error(
        "{units} {symbol} is above the exchange's freeze limit of {freeze_qty} in one order; \
         split it into orders of at most {}.",
        largest_order(*freeze_qty, *lot_size)
    )]
    AboveFreezeLimit {
        /// Trading symbol.
        symbol: String,
        /// The refused quantity, in units.
        units: u64,
        /// The instrument's freeze quantity, in units.
        freeze_qty: u64,
        /// The instrument's lot size, so the advice is a whole number of lots.
        lot_size: u32,
    },
    /// Indices have prices but cannot be traded.
    #[error("{0} is an index, which is not tradable; choose a future or option")]
    IndexNotTradable(String),
    /// Carry-forward (NRML) is for derivatives; the exchange's risk check refuses it on cash.
    #[error("Carry-forward is for futures and options; choose delivery or intraday for {0}")]
    CarryForwardOnCash(String),
    /// Delivery and margin are for shares; a derivative is held carry-forward or intraday.
    #[error("{product} is for shares; choose carry-forward or intraday for {symbol}")]
    CashProductOnDerivative {
        /// The product chosen, in words.
        product: &'static str,
        /// Trading symbol.
        symbol: String,
    },
    /// A stop-loss order without a trigger price.
    #[error("A stop-loss order needs a trigger price above zero")]
    TriggerZero,
    /// The trigger price is not a multiple of the tick.
    #[error(
        "The trigger ₹{} is not a valid price for {symbol}: it moves in steps of ₹{}. {}",
        format_paise(*trigger_paise),
        format_paise(u64::from(*tick_paise)),
        nearest_words(*below, *above)
    )]
    TriggerOffTick {
        /// Trading symbol.
        symbol: String,
        /// The refused trigger, paise.
        trigger_paise: u64,
        /// The instrument's tick, paise.
        tick_paise: u32,
        /// The nearest valid price below, paise (0 when there is none).
        below: u64,
        /// The nearest valid price above, paise.
        above: u64,
    },
    /// A stop-loss buy whose limit is below its trigger, or a sell whose limit is above it:
    /// it could never fill once triggered.
    #[error(
        "A stop-loss {} needs its limit price {} the trigger (₹{}); the limit is ₹{}",
        side.as_wire().to_ascii_lowercase(),
        if *side == Side::Buy { "at or above" } else { "at or below" },
        format_paise(*trigger_paise),
        format_paise(*price_paise)
    )]
    LimitWrongSideOfTrigger {
        /// Buy or sell.
        side: Side,
        /// The limit price, paise.
        price_paise: u64,
        /// The trigger price, paise.
        trigger_paise: u64,
    },
    /// The exchange rejects a stop-loss-limit order whose limit is too far from its trigger.
    #[error(
        "Difference between limit price and trigger price is beyond the exchange's permitted \
         range of ₹{} for {symbol}; use a limit price of ₹{} or nearer the trigger.",
        format_paise(*allowed_paise),
        format_paise(*furthest_paise)
    )]
    TriggerRange {
        /// Trading symbol.
        symbol: String,
        /// The largest difference the exchange allows at this trigger, paise.
        allowed_paise: u64,
        /// The furthest valid limit price on the tick, paise.
        furthest_paise: u64,
    },
    /// Only an order still open on the exchange can be modified or cancelled.
    #[error("Order {order_id} is {status}; only an open order can be changed or cancelled")]
    NotOpen {
        /// Angel's order id.
        order_id: String,
        /// Its status as the book gives it.
        status: String,
    },
    /// An order-book row Halo cannot rebuild a ticket from (a product or type it does not
    /// offer, such as a bracket order).
    #[error("Halo cannot modify order {order_id} ({what}); change it on Angel's own site")]
    NotModifiable {
        /// Angel's order id.
        order_id: String,
        /// What Halo did not recognise.
        what: String,
    },
    /// The order tag is missing, too long, or has characters Angel may refuse.
    #[error("The order tag must be 1 to 19 letters, digits, '-' or '_'")]
    BadTag,
}

fn nearest_words(below: u64, above: u64) -> String {
    if below == 0 {
        format!("Use {}.", format_paise(above))
    } else {
        format!("Use {} or {}.", format_paise(below), format_paise(above))
    }
}

/// The most units one order may carry under a freeze limit, in whole lots.
fn largest_order(freeze_qty: u64, lot_size: u32) -> u64 {
    let lot = u64::from(lot_size).max(1);
    freeze_qty - freeze_qty % lot
}

fn lot_words(units: u64, lot_size: u32) -> String {
    let lot = u64::from(lot_size);
    let below = units - units % lot.max(1);
    match below {
        0 => format!("Use {lot}."),
        _ => format!("Use {below} or {}.", below.saturating_add(lot)),
    }
}

/// Checks a ticket and builds Angel's `placeOrder` body.
///
/// Refuses an index, a price or trigger off the tick (offering the two nearest valid prices),
/// a zero quantity, more units than the exchange's freeze limit, a product the segment does
/// not offer, a stop-loss limit on the wrong side of its trigger or beyond the exchange's
/// range, and a tag Angel would refuse. A derivative's quantity in lots becomes units (lots
/// times lot size); nothing is rounded. Stop-loss orders go as Angel's `STOPLOSS` variety.
pub fn validate(ticket: &OrderTicket) -> Result<PlaceOrderBody, OrderError> {
    let instrument = &ticket.instrument;
    let symbol = instrument.trading_symbol.clone();
    if instrument.is_index() {
        return Err(OrderError::IndexNotTradable(symbol));
    }
    if !tag_is_valid(&ticket.tag) {
        return Err(OrderError::BadTag);
    }
    checks::check_product(instrument, ticket.product)?;

    let units = units_of(instrument, ticket.quantity)?;
    check_units(instrument, units)?;
    let kind = &ticket.kind;
    let order_type = kind.order_type;
    if order_type.has_limit() {
        check_price(instrument, ticket.price_paise)?;
    }
    if order_type.has_trigger() {
        checks::check_trigger(instrument, kind.trigger_paise)?;
    }
    if order_type == OrderType::StopLossLimit {
        check_stop_loss(
            instrument,
            ticket.side,
            ticket.price_paise,
            kind.trigger_paise,
        )?;
    }
    let price = match order_type.has_limit() {
        true => format_paise(ticket.price_paise),
        false => "0".into(),
    };
    let trigger = match order_type.has_trigger() {
        true => format_paise(kind.trigger_paise),
        false => "0".into(),
    };

    Ok(PlaceOrderBody {
        variety: order_type.variety().into(),
        tradingsymbol: symbol,
        symboltoken: instrument.token.clone(),
        transactiontype: ticket.side.as_wire().into(),
        exchange: instrument.exchange.as_wire().into(),
        ordertype: order_type.as_wire().into(),
        producttype: ticket.product.as_wire().into(),
        duration: kind.validity.as_wire().into(),
        price,
        triggerprice: trigger,
        squareoff: "0".into(),
        stoploss: "0".into(),
        quantity: units.to_string(),
        ordertag: ticket.tag.clone(),
    })
}

/// A ticket's quantity in the units Angel's body carries.
pub(crate) fn units_of(instrument: &Instrument, quantity: u32) -> Result<u64, OrderError> {
    if quantity == 0 {
        return Err(OrderError::QuantityZero);
    }
    if !instrument.is_derivative() {
        return Ok(u64::from(quantity));
    }
    if instrument.lot_size == 0 {
        return Err(OrderError::NoLotSize(instrument.trading_symbol.clone()));
    }
    Ok(u64::from(quantity) * u64::from(instrument.lot_size))
}

fn tag_is_valid(tag: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    (1..=MAX_TAG_CHARS).contains(&tag.len()) && tag.chars().all(allowed)
}

/// A fresh order tag from 8 random bytes: `halo-` and 10 base32 characters (15 in all, under
/// Angel's limit of 20). The caller draws the bytes; 50 random bits make a collision within a
/// day's orders negligible.
pub fn order_tag(random: [u8; 8]) -> String {
    // Crockford's alphabet: no i, l, o or u to misread when a tag is read aloud to support.
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let bits = u64::from_be_bytes(random);
    let mut tag = String::from("halo-");
    for i in 0..10 {
        let index = (bits >> (59 - 5 * i)) & 0x1f;
        tag.push(char::from(ALPHABET[index as usize]));
    }
    tag
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        assert_eq!(Side::from_wire("sell"), Some(Side::Sell));
        assert_eq!(Side::Buy.as_wire(), "BUY");
        assert_eq!(Side::from_wire("HOLD"), None);
        assert_eq!(
            Product::from_wire("CARRYFORWARD"),
            Some(Product::CarryForward)
        );
        assert_eq!(Product::Delivery.as_wire(), "DELIVERY");
        assert_eq!(Product::from_wire("NRML"), None);
    }

    #[test]
    fn tags_are_short_and_differ() {
        let zero = order_tag([0; 8]);
        assert_eq!(zero, "halo-0000000000");
        let ones = order_tag([0xff; 8]);
        assert_eq!(ones, "halo-zzzzzzzzzz");
        let tag = order_tag([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        assert_eq!(tag, "halo-28t5cy4tqk");
        assert!(tag.len() <= MAX_TAG_CHARS && tag_is_valid(&tag));
    }

    #[test]
    fn tag_rules() {
        assert!(tag_is_valid("halo-7f3k2m9q"));
        assert!(!tag_is_valid(""));
        assert!(!tag_is_valid("halo-0123456789abcde"));
        assert!(!tag_is_valid("halo 1"));
    }
}
