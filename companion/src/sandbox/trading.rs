//! Orders and prices: placeOrder, modifyOrder, cancelOrder, the order book, order details and
//! the LTP.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use halo_core::instruments::{Exchange, Instrument};
use halo_core::orders::{OrderType, Side, format_paise, parse_price_paise, rejection_reason};
use halo_core::smartapi::wire::{self, CancelOrderBody, LtpBody, ModifyOrderBody, PlaceOrderBody};
use serde_json::{Value, json};

use super::gateway::{Caller, authorize};
use super::ids::uuid_v4;
use super::market::made_up_ltp_paise;
use super::orders::{Handling, OrderRecord, PlacedOrder, Stamp, refusal};
use super::reply::{INVALID_PARAMETERS, Refusal, ok};
use super::routes::parse_body;
use super::state::SandboxState;

const SYMBOL_NOT_FOUND: Refusal = Refusal::business("AB1009", "Symbol Not Found");
const ORDER_NOT_FOUND: Refusal = Refusal::business("AB1013", "Order not found");
const NO_RANDOMNESS: Refusal =
    Refusal::business("AB2001", "Internal Error, Please try after sometime");
/// Angel's OMS answers a change to a finished order through AB1007 with its own words.
const NOT_OPEN: Refusal = Refusal::business("AB1007", "Order is not open for modification");

/// What every sandbox account may spend, in paise: ₹10,00,000. A buy worth more is rejected
/// for insufficient funds, in Angel's words.
pub const AVAILABLE_FUNDS_PAISE: u64 = 1_000_000 * 100;

/// POST placeOrder. Every request is recorded for `GET /sandbox/orders`, even refused ones,
/// so that a test can count what reached the broker.
pub async fn place_order(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    let request = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    let caller = authorize(&state, &headers);
    let clientcode = caller.as_ref().ok().map(|c| c.clientcode.clone());

    let (handling, reply) = match place(&state, &request, caller) {
        Ok((handling, data)) => (handling, Ok(ok(data))),
        Err(refused) => {
            tracing::warn!(reason = %refused, "order refused");
            let reason = refused.to_string();
            (Handling::Refused { reason }, Err(refused))
        }
    };
    state.orders().push(OrderRecord {
        request,
        clientcode,
        handling,
    });
    reply
}

/// Decides what becomes of an order request: refused outright, or placed (possibly rejected).
fn place(
    state: &SandboxState,
    request: &Value,
    caller: Result<Caller, Refusal>,
) -> Result<(Handling, Value), Refusal> {
    // The gateway's verdict is only acted on here, so that the request is recorded either way.
    let clientcode = caller?.clientcode;
    let body: PlaceOrderBody =
        serde_json::from_value(numbers_as_strings(request)).map_err(|_| INVALID_PARAMETERS)?;
    if let Some((code, message)) = refusal(&body) {
        return Err(Refusal::business(code, message));
    }

    let instrument = find(state, &body.exchange, &body.symboltoken).cloned();
    let rejection = rejection_reason(&state.master, &body)
        .or_else(|| instrument.as_ref().and_then(|i| short_of_funds(i, &body)));
    let order = PlacedOrder {
        orderid: state.order_ids.next_id(),
        uniqueorderid: uuid_v4().map_err(|_| NO_RANDOMNESS)?,
        triggered: instrument.as_ref().is_none_or(|i| triggered(i, &body)),
        instrument,
        rejection,
        placed_at: Instant::now(),
        placed_unix_secs: state.now_secs(),
        modified: None,
        cancelled: None,
        clientcode,
        body,
    };
    tracing::info!(
        clientcode = %order.clientcode,
        orderid = %order.orderid,
        rejected = order.rejection.is_some(),
        "order placed"
    );

    let reply = json!({
        "script": order.body.tradingsymbol,
        "orderid": order.orderid,
        "uniqueorderid": order.uniqueorderid,
    });
    Ok((Handling::Placed(Box::new(order)), reply))
}

/// POST modifyOrder: new price, quantity, trigger or type for one of the caller's open orders.
/// A change the exchange would refuse is answered with AB1007 and the exchange's reason, and
/// the order stays as it was.
pub async fn modify_order(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    let caller = authorize(&state, &headers)?;
    let change: ModifyOrderBody = serde_json::from_value(numbers_as_strings(&parse_body(&body)?))
        .map_err(|_| INVALID_PARAMETERS)?;
    let stamp = Stamp {
        at: Instant::now(),
        unix_secs: state.now_secs(),
    };

    let mut orders = state.orders();
    let order = open_order(&mut orders, &caller, &change.orderid, stamp.at, &state)?;
    let mut changed = order.body.clone();
    changed.ordertype = change.ordertype;
    changed.price = change.price;
    changed.quantity = change.quantity;
    changed.triggerprice = change.triggerprice;
    if let Some(reason) = rejection_reason(&state.master, &changed) {
        tracing::warn!(orderid = %order.orderid, %reason, "modification refused");
        return Ok(Json(wire::error_envelope("AB1007", &reason)).into_response());
    }
    order.triggered = order
        .instrument
        .as_ref()
        .is_none_or(|i| triggered(i, &changed));
    order.body = changed;
    order.modified = Some(stamp);
    tracing::info!(orderid = %order.orderid, "order modified");
    Ok(ok(
        json!({ "orderid": order.orderid, "uniqueorderid": order.uniqueorderid }),
    ))
}

/// POST cancelOrder: cancels one of the caller's open orders; what filled stays filled.
pub async fn cancel_order(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    let caller = authorize(&state, &headers)?;
    let cancel: CancelOrderBody = serde_json::from_value(numbers_as_strings(&parse_body(&body)?))
        .map_err(|_| INVALID_PARAMETERS)?;
    let stamp = Stamp {
        at: Instant::now(),
        unix_secs: state.now_secs(),
    };

    let mut orders = state.orders();
    let order = open_order(&mut orders, &caller, &cancel.orderid, stamp.at, &state)?;
    order.cancelled = Some(stamp);
    tracing::info!(orderid = %order.orderid, "order cancelled");
    Ok(ok(
        json!({ "orderid": order.orderid, "uniqueorderid": order.uniqueorderid }),
    ))
}

/// The caller's order with this id, if it is still open at `now`.
fn open_order<'a>(
    orders: &'a mut [OrderRecord],
    caller: &Caller,
    orderid: &str,
    now: Instant,
    state: &SandboxState,
) -> Result<&'a mut PlacedOrder, Refusal> {
    let order = orders
        .iter_mut()
        .filter_map(OrderRecord::placed_mut)
        .find(|o| o.orderid == orderid.trim() && o.clientcode == caller.clientcode)
        .ok_or(ORDER_NOT_FOUND)?;
    match order.status(now, state.fill_after).is_open() {
        true => Ok(order),
        false => Err(NOT_OPEN),
    }
}

/// Whether a stop-loss order's trigger has traded at the made-up market price (a buy's at or
/// below it, a sell's at or above); other orders need no trigger.
fn triggered(instrument: &Instrument, body: &PlaceOrderBody) -> bool {
    let stop_loss = OrderType::from_wire(&body.ordertype).is_some_and(|t| t.has_trigger());
    if !stop_loss {
        return true;
    }
    let ltp = made_up_ltp_paise(instrument);
    let trigger = parse_price_paise(&body.triggerprice).unwrap_or(0);
    match Side::from_wire(&body.transactiontype) {
        Some(Side::Sell) => ltp <= trigger,
        _ => ltp >= trigger,
    }
}

/// Angel's insufficient-funds rejection for a buy worth more than the account's funds.
fn short_of_funds(instrument: &Instrument, body: &PlaceOrderBody) -> Option<String> {
    if Side::from_wire(&body.transactiontype) != Some(Side::Buy) {
        return None;
    }
    let units: u64 = body.quantity.trim().parse().ok()?;
    let price = match parse_price_paise(&body.price) {
        Ok(paise) if paise > 0 => paise,
        _ => made_up_ltp_paise(instrument),
    };
    let required = units.checked_mul(price)?;
    (required > AVAILABLE_FUNDS_PAISE).then(|| {
        format!(
            "Your order has been rejected due to Insufficient Funds. Available funds - Rs. {} . \
             You require Rs. {} funds to execute this order.",
            format_paise(AVAILABLE_FUNDS_PAISE),
            format_paise(required)
        )
    })
}

/// GET getOrderBook: the caller's orders, oldest first; `data: null` when there are none, as
/// Angel answers an empty book.
pub async fn order_book(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let caller = authorize(&state, &headers)?;
    let now = Instant::now();

    let rows: Vec<Value> = state
        .orders()
        .iter()
        .filter_map(OrderRecord::placed)
        .filter(|order| order.clientcode == caller.clientcode)
        .map(|order| order.book_row(now, state.fill_after))
        .collect();
    Ok(ok(if rows.is_empty() {
        Value::Null
    } else {
        Value::Array(rows)
    }))
}

/// GET details/{uniqueorderid}: one of the caller's orders.
pub async fn order_details(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    Path(unique_order_id): Path<String>,
) -> Result<Response, Refusal> {
    let caller = authorize(&state, &headers)?;
    let now = Instant::now();

    let orders = state.orders();
    let order = orders
        .iter()
        .filter_map(OrderRecord::placed)
        .find(|o| o.uniqueorderid == unique_order_id && o.clientcode == caller.clientcode)
        .ok_or(ORDER_NOT_FOUND)?;
    Ok(ok(order.book_row(now, state.fill_after)))
}

/// POST getLtpData: a made-up price (see `market`), in rupees, for a token in the master.
pub async fn ltp(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    authorize(&state, &headers)?;
    let request: LtpBody =
        serde_json::from_value(parse_body(&body)?).map_err(|_| INVALID_PARAMETERS)?;
    let instrument =
        find(&state, &request.exchange, &request.symboltoken).ok_or(SYMBOL_NOT_FOUND)?;

    // Rupees as a JSON number, as Angel's LTP replies show them; the string round trip keeps
    // the two decimals exact.
    let rupees: f64 = format_paise(made_up_ltp_paise(instrument))
        .parse()
        .unwrap_or(0.0);
    Ok(ok(json!({
        "exchange": request.exchange,
        "tradingsymbol": instrument.trading_symbol,
        "symboltoken": instrument.token,
        "open": rupees,
        "high": rupees,
        "low": rupees,
        "close": rupees,
        "ltp": rupees,
    })))
}

/// The master row an order names, if any.
pub fn find<'a>(state: &'a SandboxState, exchange: &str, token: &str) -> Option<&'a Instrument> {
    state.master.by_token(Exchange::from_wire(exchange)?, token)
}

/// Angel's SDKs send every order field as a string, but its docs allow numbers for price and
/// quantity (`"quantity": 1`), so the sandbox reads both.
fn numbers_as_strings(request: &Value) -> Value {
    match request {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, value)| match value {
                    Value::Number(number) => (name.clone(), Value::String(number.to_string())),
                    other => (name.clone(), other.clone()),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}
