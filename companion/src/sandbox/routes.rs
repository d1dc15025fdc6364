//! The sandbox's URL map: SmartAPI's paths (smartapi.md section 2) under the root, Angel's
//! instrument-master path, Angel's publisher-login page, and paths for tests:
//! `/sandbox/orders` (what the broker received), `/sandbox/expire` (end every session) and
//! `/sandbox/faults` (make the next requests to a route fail).

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use halo_core::smartapi::{INSTRUMENT_MASTER_PATH, routes as paths};
use serde_json::Value;

use super::clock::http_date;
use super::faults::{self, SANDBOX_FAULTS_PATH};
use super::limits;
use super::login::{generate_tokens, login, logout, profile};
use super::orders::OrderRecord;
use super::positions::positions;
use super::publisher::{self, PUBLISHER_LOGIN_PATH, UNDEFINED_REDIRECT_PATH};
use super::reply::{INVALID_PARAMETERS, Refusal, method_not_allowed, not_found};
use super::state::SandboxState;
use super::trading::{cancel_order, ltp, modify_order, order_book, order_details, place_order};

/// Where the sandbox lists every order request it received.
pub const SANDBOX_ORDERS_PATH: &str = "/sandbox/orders";
/// POST here ends every session, as a new trading day would.
pub const SANDBOX_EXPIRE_PATH: &str = "/sandbox/expire";
/// Where tests read how many times the instrument master was downloaded.
pub const SANDBOX_MASTER_DOWNLOADS_PATH: &str = "/sandbox/master-downloads";
/// Where tests read how many renewals generateTokens made.
pub const SANDBOX_REFRESHES_PATH: &str = "/sandbox/refreshes";

/// The whole application.
pub fn router(state: Arc<SandboxState>) -> Router {
    let details = format!("{}{{uniqueorderid}}", paths::ORDER_DETAILS_PREFIX);
    Router::new()
        .route(paths::LOGIN, post(login))
        .route(paths::GENERATE_TOKENS, post(generate_tokens))
        .route(paths::PROFILE, get(profile))
        .route(paths::LOGOUT, post(logout))
        .route(paths::LTP, post(ltp))
        .route(paths::PLACE_ORDER, post(place_order))
        .route(paths::MODIFY_ORDER, post(modify_order))
        .route(paths::CANCEL_ORDER, post(cancel_order))
        .route(paths::ORDER_BOOK, get(order_book))
        .route(paths::POSITIONS, get(positions))
        .route(&details, get(order_details))
        .route(INSTRUMENT_MASTER_PATH, get(instrument_master))
        .route(SANDBOX_ORDERS_PATH, get(received_orders))
        .route(SANDBOX_EXPIRE_PATH, post(expire_sessions))
        .route(SANDBOX_REFRESHES_PATH, get(refreshes))
        .route(SANDBOX_MASTER_DOWNLOADS_PATH, get(master_downloads))
        .route(SANDBOX_FAULTS_PATH, post(faults::arm))
        .route(
            PUBLISHER_LOGIN_PATH,
            get(publisher::page).post(publisher::submit),
        )
        .route(UNDEFINED_REDIRECT_PATH, get(publisher::undefined))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Faults run inside the rate limits: a request refused for its rate uses up no fault.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            limits::enforce,
        ))
        .layer(middleware::map_response_with_state(
            state.clone(),
            stamp_date,
        ))
        .with_state(state)
}

/// Reads a request body as JSON, refusing anything else as Angel does (AB1007).
pub fn parse_body(body: &Bytes) -> Result<Value, Refusal> {
    serde_json::from_slice(body).map_err(|_| INVALID_PARAMETERS)
}

/// GET the instrument master, byte for byte as loaded.
async fn instrument_master(State(state): State<Arc<SandboxState>>) -> Response {
    state
        .master_downloads
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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

/// `?keep_refresh=1` on [`SANDBOX_EXPIRE_PATH`]: expire the JWTs, keep the refresh tokens.
#[derive(serde::Deserialize)]
struct ExpireQuery {
    keep_refresh: Option<String>,
}

/// POST: ends every session (or, with `keep_refresh=1`, only its JWT); answers how many there
/// were.
async fn expire_sessions(
    State(state): State<Arc<SandboxState>>,
    Query(query): Query<ExpireQuery>,
) -> Response {
    let keep_refresh = query.keep_refresh.is_some_and(|v| v == "1" || v == "true");
    let ended = state.expire_sessions(keep_refresh);
    tracing::info!(ended, keep_refresh, "every session expired on request");
    axum::Json(serde_json::json!({ "expired": ended })).into_response()
}

/// GET: how many times the instrument master was served.
async fn master_downloads(State(state): State<Arc<SandboxState>>) -> Response {
    let downloads = state
        .master_downloads
        .load(std::sync::atomic::Ordering::Relaxed);
    axum::Json(serde_json::json!({ "downloads": downloads })).into_response()
}

/// GET: how many sessions generateTokens has renewed, so tests can count renewals.
async fn refreshes(State(state): State<Arc<SandboxState>>) -> Response {
    axum::Json(serde_json::json!({ "refreshes": state.refreshes() })).into_response()
}

/// Stamps every reply with the sandbox's own time, so that `--clock-offset` shows in the
/// `Date` header from which clients measure their clock (hyper keeps a `Date` already set).
async fn stamp_date(State(state): State<Arc<SandboxState>>, mut response: Response) -> Response {
    if let Ok(date) = HeaderValue::from_str(&http_date(state.now_secs())) {
        response.headers_mut().insert(header::DATE, date);
    }
    response
}
