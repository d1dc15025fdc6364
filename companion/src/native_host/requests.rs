//! What a paired extension may ask inside the sealed channel: ping, place an order, the order
//! book, one order's status.
//!
//! The session token and API key come with each request and are dropped after it; the
//! companion keeps neither. The endpoint comes with the request too, and is Angel's API or a
//! loopback sandbox, never anything else (halo-core's `Endpoint` refuses other hosts). The order
//! is checked against the companion's own copy of the instrument master with halo-core's rules,
//! as `halo order` does, and sent at most once.

use anyhow::Context;
use halo_core::instruments::Exchange;
use halo_core::orders::{self, OrderTicket, Product, Side};
use halo_core::pairing::wire::{Credentials, OrderRequest, OrderState, Reply, Request};
use halo_core::smartapi::{self, ApiError, Endpoint, wire};

use crate::cli::{http, order};

/// Answers one sealed request.
pub fn serve(request: Request) -> Reply {
    let result = match request {
        Request::Ping => Ok(Reply::Pong {
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }),
        Request::PlaceOrder {
            endpoint,
            credentials,
            order,
        } => place(&endpoint, &credentials, &order),
        Request::OrderBook {
            endpoint,
            credentials,
        } => book(&endpoint, &credentials),
        Request::OrderStatus {
            endpoint,
            credentials,
            unique_order_id,
        } => status(&endpoint, &credentials, &unique_order_id),
    };
    result.unwrap_or_else(|error| Reply::Error {
        code: code_of(&error).to_owned(),
        message: format!("{error:#}"),
    })
}

fn place(endpoint: &str, credentials: &Credentials, form: &OrderRequest) -> anyhow::Result<Reply> {
    let endpoint = Endpoint::parse(endpoint)?;
    let master = order::instrument_master(&endpoint)?;
    let exchange = Exchange::from_wire(form.exchange.trim())
        .with_context(|| format!("unknown exchange {}", form.exchange))?;
    let instrument = master
        .by_token(exchange, form.token.trim())
        .with_context(|| {
            format!(
                "{} token {} is not in Angel's instrument master",
                form.exchange, form.token
            )
        })?
        .clone();
    let ticket = OrderTicket {
        instrument,
        side: Side::from_wire(form.side.trim()).context("choose BUY or SELL")?,
        quantity: form
            .quantity
            .trim()
            .parse()
            .with_context(|| format!("the quantity {} is not a whole number", form.quantity))?,
        price_paise: orders::parse_price_paise(form.price.trim())?,
        product: Product::from_wire(form.product.trim())
            .with_context(|| format!("unknown product {}", form.product))?,
        tag: orders::order_tag(order::random()?),
        kind: Default::default(),
    };
    let body = orders::validate(&ticket)?;
    tracing::info!(tag = %body.ordertag, "placing an order for the extension");

    let row = order::place(
        &endpoint,
        &credentials.api_key,
        &credentials.jwt_token,
        &body,
    )?;
    Ok(Reply::Placed {
        order: state_of(row),
    })
}

fn book(endpoint: &str, credentials: &Credentials) -> anyhow::Result<Reply> {
    let endpoint = Endpoint::parse(endpoint)?;
    let request = smartapi::order_book(&endpoint, &credentials.api_key, &credentials.jwt_token);
    let rows: Option<Vec<wire::OrderBookRow>> = smartapi::decode(&http::send(&request)?.response)?;
    Ok(Reply::Book {
        orders: rows.unwrap_or_default().into_iter().map(state_of).collect(),
    })
}

fn status(
    endpoint: &str,
    credentials: &Credentials,
    unique_order_id: &str,
) -> anyhow::Result<Reply> {
    let endpoint = Endpoint::parse(endpoint)?;
    let request = smartapi::order_details(
        &endpoint,
        &credentials.api_key,
        &credentials.jwt_token,
        unique_order_id,
    );
    let row: wire::OrderBookRow = smartapi::decode(&http::send(&request)?.response)?;
    Ok(Reply::Status {
        order: state_of(row),
    })
}

/// A book row as the extension shows it: the exchange's status, and its reason when rejected.
fn state_of(row: wire::OrderBookRow) -> OrderState {
    let status = if row.orderstatus.is_empty() {
        row.status
    } else {
        row.orderstatus
    };
    let non_empty = |text: String| (!text.trim().is_empty()).then_some(text);
    OrderState {
        order_id: row.orderid,
        unique_order_id: row.uniqueorderid,
        tag: row.ordertag,
        status: non_empty(status),
        text: non_empty(row.text),
    }
}

/// A stable word for the extension's logic: a dead session needs a new login there.
fn code_of(error: &anyhow::Error) -> &'static str {
    match error.downcast_ref::<ApiError>() {
        Some(api) if api.session_expired() => "session-expired",
        Some(_) => "angel",
        None if error.downcast_ref::<http::HttpError>().is_some() => "unreachable",
        None => "refused",
    }
}
