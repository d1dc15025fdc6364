//! The checks an exchange makes on an order: known instrument, whole lots, price on the tick,
//! a product the segment offers, and a stop-loss limit within reach of its trigger.
//!
//! The ticket runs them before sending, and the sandbox broker runs them on what it receives
//! so that a rehearsal is refused where the exchange would refuse.

use crate::instruments::{Exchange, Instrument, InstrumentMaster};
use crate::smartapi::wire::PlaceOrderBody;

use super::{OrderError, OrderType, Product, Side, parse_price_paise};

/// The products an instrument's segment offers, in the order the ticket lists them: shares
/// are held for delivery, intraday or on margin; futures and options carry forward or intraday.
pub fn products_for(instrument: &Instrument) -> &'static [Product] {
    if instrument.is_derivative() {
        &[Product::CarryForward, Product::Intraday]
    } else {
        &[Product::Delivery, Product::Intraday, Product::Margin]
    }
}

/// Refuses a product the instrument's segment does not offer.
pub(crate) fn check_product(instrument: &Instrument, product: Product) -> Result<(), OrderError> {
    if products_for(instrument).contains(&product) {
        return Ok(());
    }
    let symbol = instrument.trading_symbol.clone();
    match product {
        Product::CarryForward => Err(OrderError::CarryForwardOnCash(symbol)),
        other => Err(OrderError::CashProductOnDerivative {
            product: other.name(),
            symbol,
        }),
    }
}

/// Refuses a trigger price that is zero or off the tick.
pub(crate) fn check_trigger(instrument: &Instrument, trigger_paise: u64) -> Result<(), OrderError> {
    if trigger_paise == 0 {
        return Err(OrderError::TriggerZero);
    }
    match check_price(instrument, trigger_paise) {
        Err(OrderError::OffTick {
            symbol,
            price_paise,
            tick_paise,
            below,
            above,
        }) => Err(OrderError::TriggerOffTick {
            symbol,
            trigger_paise: price_paise,
            tick_paise,
            below,
            above,
        }),
        other => other,
    }
}

/// Refuses a stop-loss limit whose limit could never fill once triggered (a buy below its
/// trigger, a sell above it), or is further from the trigger than the exchange allows.
///
/// NSE's rule for stop-loss-limit orders: the difference may be at most ₹1.50 when the trigger
/// is ₹50 or less, else 3% of the trigger, for shares and futures; for options ₹10, else 20%.
/// All in integer paise; the exchange's percentage is rounded down to the tick, so the advice
/// offered is itself a valid price.
pub fn check_stop_loss(
    instrument: &Instrument,
    side: Side,
    price_paise: u64,
    trigger_paise: u64,
) -> Result<(), OrderError> {
    let wrong_side = match side {
        Side::Buy => price_paise < trigger_paise,
        Side::Sell => price_paise > trigger_paise,
    };
    if wrong_side {
        return Err(OrderError::LimitWrongSideOfTrigger {
            side,
            price_paise,
            trigger_paise,
        });
    }

    let allowed = allowed_difference_paise(instrument, trigger_paise);
    if price_paise.abs_diff(trigger_paise) <= allowed {
        return Ok(());
    }
    let tick = u64::from(instrument.tick_paise).max(1);
    let reach = allowed - allowed % tick;
    let furthest = match side {
        Side::Buy => trigger_paise.saturating_add(reach),
        Side::Sell => trigger_paise.saturating_sub(reach),
    };
    Err(OrderError::TriggerRange {
        symbol: instrument.trading_symbol.clone(),
        allowed_paise: allowed,
        furthest_paise: furthest,
    })
}

/// The exchange's largest limit-to-trigger difference at this trigger, in paise.
fn allowed_difference_paise(instrument: &Instrument, trigger_paise: u64) -> u64 {
    const FIFTY_RUPEES: u64 = 5_000;
    let option = instrument.instrument_type.starts_with("OPT");
    let (floor_paise, percent) = if option { (1_000, 20) } else { (150, 3) };
    if trigger_paise <= FIFTY_RUPEES {
        floor_paise
    } else {
        trigger_paise.saturating_mul(percent) / 100
    }
}

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
    let side = Side::from_wire(&body.transactiontype).ok_or_else(|| {
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
    if let Some(product) = Product::from_wire(&body.producttype) {
        check_product(instrument, product).map_err(|error| error.to_string())?;
    }

    let order_type = OrderType::from_wire(&body.ordertype)
        .ok_or_else(|| format!("Unknown order type \"{}\"", short(&body.ordertype)))?;
    let price = match order_type.has_limit() {
        true => on_tick(instrument, &body.price, "price")?,
        false => 0,
    };
    let trigger = match order_type.has_trigger() {
        true => on_tick(instrument, &body.triggerprice, "trigger price")?,
        false => 0,
    };
    if order_type == OrderType::StopLossLimit {
        check_stop_loss(instrument, side, price, trigger).map_err(|error| error.to_string())?;
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

fn on_tick(instrument: &Instrument, text: &str, what: &str) -> Result<u64, String> {
    let paise = parse_price_paise(text)
        .map_err(|error| format!("The {what} \"{}\" is not valid: {error}", short(text)))?;
    check_price(instrument, paise).map_err(|error| error.to_string())?;
    Ok(paise)
}

/// Echoes at most a few characters of a field a client sent.
fn short(text: &str) -> String {
    text.trim().chars().take(32).collect()
}
