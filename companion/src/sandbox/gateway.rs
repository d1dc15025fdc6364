//! The checks Angel's API gateway makes before a request reaches the broker: a bearer token
//! from a live session, and the API key of that session's account.

use axum::http::HeaderMap;

use super::reply::{INVALID_API_KEY, INVALID_TOKEN, Refusal};
use super::state::SandboxState;

/// A request that passed the gateway: whose it is and which JWT it carried.
pub struct Caller {
    /// The client code the session belongs to.
    pub clientcode: String,
    /// The JWT, to end or refresh the session.
    pub jwt: String,
}

/// The `X-PrivateKey` header, or "" when it is absent or not text.
pub fn private_key(headers: &HeaderMap) -> &str {
    headers
        .get("x-privatekey")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

/// Lets a secured request through, or refuses it as the gateway would: AG8001 for a missing or
/// unknown token, AG8004 for an API key that is not the session account's.
///
/// The header must read exactly `Bearer <token>`: a forum user who sent `Bearer: <token>` got
/// "Invalid Token" from Angel.
pub fn authorize(state: &SandboxState, headers: &HeaderMap) -> Result<Caller, Refusal> {
    authorize_with(state, headers, SandboxState::session_owner)
}

/// As [`authorize`], but an expired JWT still names its session: for generateTokens.
pub fn authorize_refresh(state: &SandboxState, headers: &HeaderMap) -> Result<Caller, Refusal> {
    authorize_with(state, headers, SandboxState::refreshable_session_owner)
}

fn authorize_with(
    state: &SandboxState,
    headers: &HeaderMap,
    owner: fn(&SandboxState, &str) -> Option<String>,
) -> Result<Caller, Refusal> {
    let jwt = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .filter(|token| !token.is_empty())
        .ok_or(INVALID_TOKEN)?;
    let clientcode = owner(state, jwt).ok_or(INVALID_TOKEN)?;

    let api_key = private_key(headers);
    let key_matches = state
        .account(&clientcode)
        .is_some_and(|l| l.account.api_key == api_key);
    if !key_matches {
        return Err(INVALID_API_KEY);
    }
    Ok(Caller {
        clientcode,
        jwt: jwt.to_owned(),
    })
}
