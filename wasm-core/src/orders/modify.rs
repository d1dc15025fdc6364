//! Changing or cancelling an open order from the order book.
//!
//! A modification is checked exactly as a new ticket would be: the book's row is turned back
//! into a ticket with the new price, quantity and trigger, and [`validate`] judges it. So a
//! modified order can never be one the ticket would have refused.

use serde::{Deserialize, Serialize};

use crate::instruments::Instrument;
use crate::smartapi::wire::{CancelOrderBody, ModifyOrderBody, OrderBookRow};

use super::{
    OrderError, OrderKind, OrderStatus, OrderTicket, OrderType, Product, Side, Validity, validate,
};

/// The new terms of an open order, as the trader typed them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderChange {
    /// Shares for cash instruments, lots for futures and options.
    pub quantity: u32,
    /// New limit price in paise (ignored by market types).
    pub price_paise: u64,
    /// New trigger price in paise (ignored by types without a trigger).
    pub trigger_paise: u64,
}

/// Checks a change to an open order against `instrument` (the master's row for the order's
/// token) and builds Angel's `modifyOrder` body.
///
/// Refuses an order that is no longer open, a row Halo cannot read back into a ticket, and
/// anything [`validate`] refuses for a new order.
pub fn validate_modify(
    instrument: &Instrument,
    row: &OrderBookRow,
    change: &OrderChange,
) -> Result<ModifyOrderBody, OrderError> {
    let ticket = modify_ticket(instrument, row, change)?;
    let body = validate(&ticket)?;
    Ok(ModifyOrderBody {
        variety: non_empty_or(&row.variety, &body.variety),
        orderid: row.orderid.clone(),
        ordertype: body.ordertype,
        producttype: body.producttype,
        duration: body.duration,
        price: body.price,
        quantity: body.quantity,
        tradingsymbol: body.tradingsymbol,
        symboltoken: body.symboltoken,
        exchange: body.exchange,
        triggerprice: body.triggerprice,
    })
}

/// The ticket an open order would be with the new terms: what [`validate_modify`] judges, and
/// what the worker values against the account's limit. Refuses an order no longer open and a
/// row Halo cannot read back.
pub fn modify_ticket(
    instrument: &Instrument,
    row: &OrderBookRow,
    change: &OrderChange,
) -> Result<OrderTicket, OrderError> {
    still_open(row)?;
    let unreadable = |what: &str, value: &str| OrderError::NotModifiable {
        order_id: row.orderid.clone(),
        what: format!("{what} \"{}\"", value.chars().take(24).collect::<String>()),
    };
    let ticket = OrderTicket {
        instrument: instrument.clone(),
        side: Side::from_wire(&row.transactiontype)
            .ok_or_else(|| unreadable("side", &row.transactiontype))?,
        quantity: change.quantity,
        price_paise: change.price_paise,
        product: Product::from_wire(&row.producttype)
            .ok_or_else(|| unreadable("product", &row.producttype))?,
        // The tag is not part of a modification; a valid placeholder lets `validate` run.
        tag: "halo-modify".to_owned(),
        kind: OrderKind {
            order_type: OrderType::from_wire(&row.ordertype)
                .ok_or_else(|| unreadable("order type", &row.ordertype))?,
            trigger_paise: change.trigger_paise,
            validity: Validity::from_wire(&row.duration).unwrap_or_default(),
        },
    };
    Ok(ticket)
}

/// Builds Angel's `cancelOrder` body for an order still open; refuses a final one.
pub fn cancel_body(row: &OrderBookRow) -> Result<CancelOrderBody, OrderError> {
    still_open(row)?;
    Ok(CancelOrderBody {
        variety: non_empty_or(&row.variety, "NORMAL"),
        orderid: row.orderid.clone(),
    })
}

fn still_open(row: &OrderBookRow) -> Result<(), OrderError> {
    let status = OrderStatus::of(row);
    if status.is_final() {
        let shown = if row.status.trim().is_empty() {
            &row.orderstatus
        } else {
            &row.status
        };
        return Err(OrderError::NotOpen {
            order_id: row.orderid.clone(),
            status: shown.trim().to_owned(),
        });
    }
    Ok(())
}

fn non_empty_or(text: &str, fallback: &str) -> String {
    match text.trim() {
        "" => fallback.to_owned(),
        trimmed => trimmed.to_owned(),
    }
}
