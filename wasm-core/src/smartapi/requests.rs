//! Request builders: one function per SmartAPI call, returning a request for any transport.

use serde_json::json;
use zeroize::Zeroizing;

use super::wire::{CancelOrderBody, LoginBody, LtpBody, ModifyOrderBody, PlaceOrderBody};
use super::{Endpoint, HttpRequest, Method, routes};
use crate::instruments::Instrument;

/// Header carrying the SmartAPI app's API key.
pub const HEADER_PRIVATE_KEY: &str = "X-PrivateKey";
/// Header carrying `Bearer <jwt>` once logged in.
pub const HEADER_AUTHORIZATION: &str = "Authorization";

/// Sent as `X-ClientLocalIP`, `X-ClientPublicIP` and `X-MACAddress`.
///
/// Every SDK sends these headers, but the official Python SDK sends fixed made-up values and
/// works, so Angel does not check them; the static-IP rule for orders is enforced on the real
/// source address. A browser cannot read its own IP or MAC anyway, so fixed values it is.
const PLACEHOLDER_LOCAL_IP: &str = "127.0.0.1";
const PLACEHOLDER_PUBLIC_IP: &str = "127.0.0.1";
const PLACEHOLDER_MAC: &str = "00:00:00:00:00:00";

/// POST `loginByPassword`. The body is exactly `{"clientcode":..,"password":..,"totp":..}`;
/// `mpin` goes in `password`, as Angel names it.
pub fn login(
    ep: &Endpoint,
    api_key: &str,
    client_code: &str,
    mpin: &str,
    totp: &str,
) -> HttpRequest {
    let body = LoginBody {
        clientcode: client_code.to_string(),
        password: Zeroizing::new(mpin.to_string()),
        totp: Zeroizing::new(totp.to_string()),
    };
    post(ep, routes::LOGIN, api_key, None, to_json(&body))
}

/// GET `getProfile`: also the cheapest check that a JWT still works.
pub fn profile(ep: &Endpoint, api_key: &str, jwt: &str) -> HttpRequest {
    get(ep, routes::PROFILE.to_string(), api_key, Some(jwt))
}

/// POST `generateTokens`: a new JWT from the refresh token, authorised by the current JWT.
pub fn generate_tokens(
    ep: &Endpoint,
    api_key: &str,
    jwt: &str,
    refresh_token: &str,
) -> HttpRequest {
    let body = json!({ "refreshToken": refresh_token }).to_string();
    post(ep, routes::GENERATE_TOKENS, api_key, Some(jwt), body)
}

/// POST `logout` for `client_code`.
pub fn logout(ep: &Endpoint, api_key: &str, jwt: &str, client_code: &str) -> HttpRequest {
    let body = json!({ "clientcode": client_code }).to_string();
    post(ep, routes::LOGOUT, api_key, Some(jwt), body)
}

/// POST `getLtpData` for one instrument.
pub fn ltp(
    ep: &Endpoint,
    api_key: &str,
    jwt: &str,
    exchange: &str,
    trading_symbol: &str,
    token: &str,
) -> HttpRequest {
    let body = LtpBody {
        exchange: exchange.to_string(),
        tradingsymbol: trading_symbol.to_string(),
        symboltoken: token.to_string(),
    };
    post(ep, routes::LTP, api_key, Some(jwt), to_json(&body))
}

/// POST `getLtpData` for an instrument from the master: [`ltp`] with the exchange, symbol and
/// token taken from it, for callers that hold an [`Instrument`] rather than Angel's fields.
pub fn instrument_ltp(
    ep: &Endpoint,
    api_key: &str,
    jwt: &str,
    instrument: &Instrument,
) -> HttpRequest {
    ltp(
        ep,
        api_key,
        jwt,
        instrument.exchange.as_wire(),
        &instrument.trading_symbol,
        &instrument.token,
    )
}

/// POST `placeOrder` with a body `orders::validate` produced.
pub fn place_order(ep: &Endpoint, api_key: &str, jwt: &str, body: &PlaceOrderBody) -> HttpRequest {
    post(ep, routes::PLACE_ORDER, api_key, Some(jwt), to_json(body))
}

/// POST `modifyOrder` with a body `orders::validate_modify` produced.
pub fn modify_order(
    ep: &Endpoint,
    api_key: &str,
    jwt: &str,
    body: &ModifyOrderBody,
) -> HttpRequest {
    post(ep, routes::MODIFY_ORDER, api_key, Some(jwt), to_json(body))
}

/// POST `cancelOrder`.
pub fn cancel_order(
    ep: &Endpoint,
    api_key: &str,
    jwt: &str,
    body: &CancelOrderBody,
) -> HttpRequest {
    post(ep, routes::CANCEL_ORDER, api_key, Some(jwt), to_json(body))
}

/// GET `getPosition`.
pub fn positions(ep: &Endpoint, api_key: &str, jwt: &str) -> HttpRequest {
    get(ep, routes::POSITIONS.to_string(), api_key, Some(jwt))
}

/// GET `getOrderBook`.
pub fn order_book(ep: &Endpoint, api_key: &str, jwt: &str) -> HttpRequest {
    get(ep, routes::ORDER_BOOK.to_string(), api_key, Some(jwt))
}

/// GET the details of one order by its `uniqueorderid` (not its `orderid`).
pub fn order_details(
    ep: &Endpoint,
    api_key: &str,
    jwt: &str,
    unique_order_id: &str,
) -> HttpRequest {
    let path = format!(
        "{}{}",
        routes::ORDER_DETAILS_PREFIX,
        path_segment(unique_order_id)
    );
    get(ep, path, api_key, Some(jwt))
}

/// The headers every SmartAPI call carries (reference section 3).
pub fn headers(api_key: &str, jwt: Option<&str>) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = [
        ("Content-Type", "application/json"),
        ("Accept", "application/json"),
        ("X-UserType", "USER"),
        ("X-SourceID", "WEB"),
        ("X-ClientLocalIP", PLACEHOLDER_LOCAL_IP),
        ("X-ClientPublicIP", PLACEHOLDER_PUBLIC_IP),
        ("X-MACAddress", PLACEHOLDER_MAC),
        (HEADER_PRIVATE_KEY, api_key.trim()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value.to_string()))
    .collect();

    // Exactly "Bearer" and one space: "Bearer: <jwt>" is answered with "Invalid Token".
    if let Some(jwt) = jwt.map(str::trim).filter(|jwt| !jwt.is_empty()) {
        headers.push((HEADER_AUTHORIZATION.to_string(), format!("Bearer {jwt}")));
    }
    headers
}

fn post(ep: &Endpoint, path: &str, api_key: &str, jwt: Option<&str>, body: String) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: format!("{}{path}", ep.root()),
        headers: headers(api_key, jwt),
        body: Some(body),
    }
}

fn get(ep: &Endpoint, path: String, api_key: &str, jwt: Option<&str>) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: format!("{}{path}", ep.root()),
        headers: headers(api_key, jwt),
        body: None,
    }
}

fn to_json<T: serde::Serialize>(body: &T) -> String {
    // Serializing these plain string structs cannot fail; an empty object is a safe fallback
    // that Angel answers with a readable error rather than a panic here.
    serde_json::to_string(body).unwrap_or_else(|_| "{}".to_string())
}

/// Percent-encodes everything but unreserved characters, so an id cannot add path segments.
fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.trim().bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
