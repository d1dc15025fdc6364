//! The checks an exchange makes on an order: known instrument, whole lots, price on the tick.
//!
//! The ticket runs them before sending, and the sandbox broker runs them on what it receives
//! so that a rehearsal is refused where the exchange would refuse.

use crate::instruments::{Exchange, Instrument, InstrumentMaster};
use crate::smartapi::wire::PlaceOrderBody;

use super::{OrderError, Product, Side, parse_price_paise};

/// Refuses a price that is zero or not a multiple of the instrument's tick.
pub fn check_price(instrument: &Instrument, price_paise: u64) -> Result<(), OrderError> {
    let tick = u64::from(instrument.tick_paise);
    if tick == 0 {
        return Err(OrderError::NoTick(instrument.trading_symbol.clone()));
    }
    if price_paise == 0 {
        return Err(OrderError::PriceZero);
    }
    let over = price_paise % tick;
    if over == 0 {
        return Ok(());
    }
    let below = price_paise - over;
    Err(OrderError::OffTick {
        symbol: instrument.trading_symbol.clone(),
        price_paise,
        tick_paise: instrument.tick_paise,
        below,
        above: below.saturating_add(tick),
    })
}

/// Refuses a quantity in units (Angel's body quantity) that is zero, not a whole number of
/// lots, or above the instrument's freeze quantity when the master gives one; never rounds.
pub fn check_units(instrument: &Instrument, units: u64) -> Result<(), OrderError> {
    if units == 0 {
        return Err(OrderError::QuantityZero);
    }
    if u32::try_from(units).is_err() {
        return Err(OrderError::QuantityTooLarge);
    }
    let lot_size = instrument.lot_size;
    if lot_size == 0 {
        return Err(OrderError::NoLotSize(instrument.trading_symbol.clone()));
    }
    if !units.is_multiple_of(u64::from(lot_size)) {
        return Err(OrderError::NotWholeLots {
            symbol: instrument.trading_symbol.clone(),
            units,
            lot_size,
        });
    }
    // A fat-fingered quantity is stopped here: the exchange refuses anything above the freeze
    // quantity, and an order that large is almost never meant.
    // TODO: a per-order value limit chosen by the trader would catch large orders below it.
    if let Some(freeze_qty) = instrument.freeze_qty.filter(|freeze| units > *freeze) {
        return Err(OrderError::AboveFreezeLimit {
            symbol: instrument.trading_symbol.clone(),
            units,
            freeze_qty,
            lot_size,
        });
    }
    Ok(())
}

/// What an exchange would reject this `placeOrder` body for, in words for the order book's
/// `text`; `None` when it would be accepted.
///
/// Checks the exchange, variety, side, product, order type and duration names; that the
/// token is in the master and matches the trading symbol; that it is not an index; that the
/// quantity is a whole number of lots in units, within the freeze quantity; and that a limit
/// or trigger price is on the tick, in integer paise. It does not check `ordertag` length:
/// Angel answers that at once with AB4008 instead of rejecting the order later.
pub fn rejection_reason(master: &InstrumentMaster, body: &PlaceOrderBody) -> Option<String> {
    reject(master, body).err()
}

fn reject(master: &InstrumentMaster, body: &PlaceOrderBody) -> Result<(), String> {
    let exchange = Exchange::from_wire(&body.exchange)
        .ok_or_else(|| format!("Unknown exchange \"{}\"", short(&body.exchange)))?;
    known(
        &["NORMAL", "STOPLOSS", "ROBO", "AMO"],
        &body.variety,
        "order variety",
    )?;
    Side::from_wire(&body.transactiontype).ok_or_else(|| {
        format!(
            "Unknown transaction type \"{}\"",
            short(&body.transactiontype)
        )
    })?;
    Product::from_wire(&body.producttype)
        .ok_or_else(|| format!("Unknown product type \"{}\"", short(&body.producttype)))?;
    known(&["DAY", "IOC"], &body.duration, "duration")?;

    let instrument = master
        .by_token(exchange, &body.symboltoken)
        .ok_or_else(|| {
            format!(
                "Symbol token {} not found on {}",
                short(&body.symboltoken),
                exchange.as_wire()
            )
        })?;
    if !instrument
        .trading_symbol
        .eq_ignore_ascii_case(body.tradingsymbol.trim())
    {
        return Err(format!(
            "Trading symbol {} does not match token {} ({})",
            short(&body.tradingsymbol),
            instrument.token,
            instrument.trading_symbol
        ));
    }
    if instrument.is_index() {
        return Err(OrderError::IndexNotTradable(instrument.trading_symbol.clone()).to_string());
    }

    let units = whole_units(&body.quantity)?;
    check_units(instrument, units).map_err(|error| error.to_string())?;

    let order_type = body.ordertype.trim().to_ascii_uppercase();
    let (limit, trigger) = match order_type.as_str() {
        "LIMIT" => (true, false),
        "MARKET" => (false, false),
        "STOPLOSS_LIMIT" => (true, true),
        "STOPLOSS_MARKET" => (false, true),
        _ => return Err(format!("Unknown order type \"{}\"", short(&body.ordertype))),
    };
    if limit {
        on_tick(instrument, &body.price, "price")?;
    }
    if trigger {
        on_tick(instrument, &body.triggerprice, "trigger price")?;
    }
    Ok(())
}

fn known(names: &[&str], value: &str, what: &str) -> Result<(), String> {
    match names
        .iter()
        .any(|name| name.eq_ignore_ascii_case(value.trim()))
    {
        true => Ok(()),
        false => Err(format!("Unknown {what} \"{}\"", short(value))),
    }
}

/// Angel sends quantities as strings of digits; `"65.0"` is tolerated, `"1.5"` is not.
fn whole_units(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let whole = text.strip_suffix(".0").unwrap_or(text);
    match whole.parse::<u64>() {
        Ok(units) if whole.bytes().all(|b| b.is_ascii_digit()) => Ok(units),
        _ => Err(format!(
            "Quantity \"{}\" is not a whole number",
            short(text)
        )),
    }
}

fn on_tick(instrument: &Instrument, text: &str, what: &str) -> Result<(), String> {
    let paise = parse_price_paise(text)
        .map_err(|error| format!("The {what} \"{}\" is not valid: {error}", short(text)))?;
    check_price(instrument, paise).map_err(|error| error.to_string())
}

/// Echoes at most a few characters of a field a client sent.
fn short(text: &str) -> String {
    text.trim().chars().take(32).collect()
}
