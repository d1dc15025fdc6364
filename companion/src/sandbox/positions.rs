//! getPosition: what the day's fills left in each instrument, per product.
//!
//! Worked out from the caller's order book when asked: every filled unit of every order counts,
//! including the filled part of a cancelled one. Averages are in rupees with two decimals, and
//! numbers are strings, as Angel sends them.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use halo_core::orders::{Side, format_paise, parse_price_paise};
use serde_json::{Value, json};

use super::gateway::authorize;
use super::orders::{OrderRecord, PlacedOrder};
use super::reply::{Refusal, ok};
use super::state::SandboxState;

/// Buys and sells of one instrument under one product.
#[derive(Default)]
struct Position {
    first: Option<(String, String, String)>,
    lot_size: u32,
    bought_units: u64,
    bought_paise: u64,
    sold_units: u64,
    sold_paise: u64,
}

/// GET getPosition: the caller's positions; `data: null` when nothing has filled, as Angel
/// answers an empty list.
pub async fn positions(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let caller = authorize(&state, &headers)?;
    let now = Instant::now();

    let mut positions: BTreeMap<(String, String, String), Position> = BTreeMap::new();
    for order in state
        .orders()
        .iter()
        .filter_map(OrderRecord::placed)
        .filter(|order| order.clientcode == caller.clientcode)
    {
        let filled = order.filled_units(now, state.fill_after);
        if filled > 0 {
            add_fill(&mut positions, order, filled);
        }
    }
    let rows: Vec<Value> = positions.into_iter().map(|(key, p)| row(key, &p)).collect();
    Ok(ok(if rows.is_empty() {
        Value::Null
    } else {
        Value::Array(rows)
    }))
}

fn add_fill(
    positions: &mut BTreeMap<(String, String, String), Position>,
    order: &PlacedOrder,
    filled: u64,
) {
    let body = &order.body;
    let key = (
        body.exchange.clone(),
        body.symboltoken.clone(),
        body.producttype.clone(),
    );
    let position = positions.entry(key).or_default();
    position.first.get_or_insert_with(|| {
        (
            body.tradingsymbol.clone(),
            order
                .instrument
                .as_ref()
                .map_or_else(String::new, |i| i.name.clone()),
            order
                .instrument
                .as_ref()
                .map_or_else(String::new, |i| i.instrument_type.clone()),
        )
    });
    position.lot_size = order.instrument.as_ref().map_or(1, |i| i.lot_size);
    let price = parse_price_paise(&order.fill_price()).unwrap_or(0);
    let value = filled.saturating_mul(price);
    match Side::from_wire(&body.transactiontype) {
        Some(Side::Sell) => {
            position.sold_units += filled;
            position.sold_paise += value;
        }
        _ => {
            position.bought_units += filled;
            position.bought_paise += value;
        }
    }
}

fn row((exchange, token, product): (String, String, String), p: &Position) -> Value {
    let (symbol, name, instrument_type) = p.first.clone().unwrap_or_default();
    let average = |paise: u64, units: u64| match units {
        0 => "0.00".to_owned(),
        _ => format_paise(paise / units),
    };
    let net_units = i128::from(p.bought_units) - i128::from(p.sold_units);
    let net_value = i128::from(p.sold_paise) - i128::from(p.bought_paise);
    let sign = if net_value < 0 { "-" } else { "" };
    let net_value = format!("{sign}{}", format_paise(net_value.unsigned_abs() as u64));
    json!({
        "exchange": exchange,
        "symboltoken": token,
        "producttype": product,
        "tradingsymbol": symbol,
        "symbolname": name,
        "instrumenttype": instrument_type,
        "lotsize": p.lot_size.to_string(),
        "buyqty": p.bought_units.to_string(),
        "sellqty": p.sold_units.to_string(),
        "buyamount": format_paise(p.bought_paise),
        "sellamount": format_paise(p.sold_paise),
        "buyavgprice": average(p.bought_paise, p.bought_units),
        "sellavgprice": average(p.sold_paise, p.sold_units),
        "netqty": net_units.to_string(),
        "netvalue": net_value,
    })
}
