//! The sandbox's URL map: SmartAPI's paths (smartapi.md section 2) under the root, Angel's
//! instrument-master path, and `/sandbox/orders` for tests to see what the broker received.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use halo_core::smartapi::{INSTRUMENT_MASTER_PATH, routes as paths};
use serde_json::Value;

use super::login::{generate_tokens, login, logout, profile};
use super::orders::OrderRecord;
use super::reply::{INVALID_PARAMETERS, Refusal, method_not_allowed, not_found};
use super::state::SandboxState;
use super::trading::{ltp, order_book, order_details, place_order};

/// Where the sandbox lists every order request it received.
pub const SANDBOX_ORDERS_PATH: &str = "/sandbox/orders";

/// The whole application.
pub fn router(state: Arc<SandboxState>) -> Router {
    let details = format!("{}{{uniqueorderid}}", paths::ORDER_DETAILS_PREFIX);
    // TODO: no rate limits yet (smartapi.md section 14); add them to rehearse the
    // plain-text "exceeding access rate" reply.
    Router::new()
        .route(paths::LOGIN, post(login))
        .route(paths::GENERATE_TOKENS, post(generate_tokens))
        .route(paths::PROFILE, get(profile))
        .route(paths::LOGOUT, post(logout))
        .route(paths::LTP, post(ltp))
        .route(paths::PLACE_ORDER, post(place_order))
        .route(paths::ORDER_BOOK, get(order_book))
        .route(&details, get(order_details))
        .route(INSTRUMENT_MASTER_PATH, get(instrument_master))
        .route(SANDBOX_ORDERS_PATH, get(received_orders))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// Reads a request body as JSON, refusing anything else as Angel does (AB1007).
pub fn parse_body(body: &Bytes) -> Result<Value, Refusal> {
    serde_json::from_slice(body).map_err(|_| INVALID_PARAMETERS)
}

/// GET the instrument master, byte for byte as loaded.
async fn instrument_master(State(state): State<Arc<SandboxState>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.master_json.clone(),
    )
        .into_response()
}

/// GET every order request received, oldest first, with what the sandbox made of it.
async fn received_orders(State(state): State<Arc<SandboxState>>) -> Response {
    let now = Instant::now();
    let entries: Vec<Value> = state
        .orders()
        .iter()
        .map(|record: &OrderRecord| record.log_entry(now, state.fill_after))
        .collect();
    axum::Json(Value::Array(entries)).into_response()
}
