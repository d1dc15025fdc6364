//! Orders and prices: placeOrder, the order book, order details and the LTP.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use halo_core::instruments::{Exchange, Instrument};
use halo_core::orders::{format_paise, rejection_reason};
use halo_core::smartapi::wire::{LtpBody, PlaceOrderBody};
use serde_json::{Value, json};

use super::gateway::{Caller, authorize};
use super::ids::uuid_v4;
use super::market::made_up_ltp_paise;
use super::orders::{Handling, OrderRecord, PlacedOrder, refusal};
use super::reply::{INVALID_PARAMETERS, Refusal, ok};
use super::routes::parse_body;
use super::state::SandboxState;

const SYMBOL_NOT_FOUND: Refusal = Refusal::business("AB1009", "Symbol Not Found");
const ORDER_NOT_FOUND: Refusal = Refusal::business("AB1013", "Order not found");
const NO_RANDOMNESS: Refusal =
    Refusal::business("AB2001", "Internal Error, Please try after sometime");

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

    let order = PlacedOrder {
        orderid: state.order_ids.next_id(),
        uniqueorderid: uuid_v4().map_err(|_| NO_RANDOMNESS)?,
        instrument: find(state, &body.exchange, &body.symboltoken).cloned(),
        rejection: rejection_reason(&state.master, &body),
        placed_at: Instant::now(),
        placed_unix_secs: state.now_secs(),
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

fn find<'a>(state: &'a SandboxState, exchange: &str, token: &str) -> Option<&'a Instrument> {
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
