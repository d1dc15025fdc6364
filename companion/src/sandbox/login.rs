//! Logging in, refreshing and logging out, checked as Angel checks them: the API key first,
//! then client code and MPIN (AB1007), then the TOTP (AB1050).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use halo_core::smartapi::wire::{LoginBody, Profile};
use halo_core::totp::{self, TotpParams, TotpSecret};
use serde::Deserialize;
use serde_json::{Value, json};

use super::gateway::{authorize, authorize_refresh, private_key};
use super::ids::TokenSet;
use super::reply::{INVALID_API_KEY, INVALID_PARAMETERS, Refusal, ok};
use super::routes::parse_body;
use super::state::SandboxState;

/// Angel's answer to a wrong client code or MPIN (case A2).
const WRONG_CREDENTIALS: Refusal = Refusal::business("AB1007", "Login Id or password is invalid");
/// Angel's answer to a TOTP it does not accept.
const WRONG_TOTP: Refusal = Refusal::business("AB1050", "Invalid totp");
/// Angel's answer to a refresh token that does not belong to the session.
const WRONG_REFRESH_TOKEN: Refusal = Refusal::business("AB8050", "Invalid Refresh Token");
/// The sandbox's answer when the operating system will not give random bytes for tokens.
const NO_RANDOMNESS: Refusal =
    Refusal::business("AB2001", "Internal Error, Please try after sometime");

/// How many TOTP steps either side of now are accepted. Angel's window is not documented;
/// one step either side is the common server choice and forgives a little clock drift.
const TOTP_STEPS_EITHER_SIDE: u64 = 1;

/// POST loginByPassword.
pub async fn login(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    let api_key = private_key(&headers);
    if !state.knows_api_key(api_key) {
        tracing::warn!("login refused: unknown API key");
        return Err(INVALID_API_KEY);
    }

    let request = parse_body(&body)?;
    let echo_state = request.get("state").cloned();
    let login: LoginBody = serde_json::from_value(request).map_err(|_| INVALID_PARAMETERS)?;

    let account = state
        .account(&login.clientcode)
        .filter(|l| l.account.mpin.as_str() == login.password.as_str())
        .ok_or_else(|| {
            tracing::warn!(clientcode = %login.clientcode, "login refused: client code or MPIN");
            WRONG_CREDENTIALS
        })?;
    if account.account.api_key != api_key {
        tracing::warn!(clientcode = %login.clientcode, "login refused: API key of another account");
        return Err(INVALID_API_KEY);
    }
    if !totp_accepted(&account.secret, &login.totp, state.now_secs()) {
        tracing::warn!(clientcode = %login.clientcode, "login refused: TOTP");
        return Err(WRONG_TOTP);
    }

    let tokens = state
        .open_session(&login.clientcode)
        .map_err(|_| NO_RANDOMNESS)?;
    tracing::info!(clientcode = %login.clientcode, "login accepted");
    let mut data = token_data(&tokens);
    if let Some(echo) = echo_state {
        data["state"] = echo;
    }
    Ok(ok(data))
}

/// POST generateTokens: a new token set for the current session's refresh token.
pub async fn generate_tokens(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    #[derive(Deserialize)]
    struct RefreshBody {
        #[serde(rename = "refreshToken")]
        refresh_token: String,
    }

    let caller = authorize_refresh(&state, &headers)?;
    let refresh: RefreshBody =
        serde_json::from_value(parse_body(&body)?).map_err(|_| INVALID_PARAMETERS)?;

    let tokens = state
        .refresh_session(&caller.jwt, &refresh.refresh_token)
        .map_err(|_| NO_RANDOMNESS)?
        .ok_or(WRONG_REFRESH_TOKEN)?;
    tracing::info!(clientcode = %caller.clientcode, "tokens refreshed");
    Ok(ok(token_data(&tokens)))
}

/// POST logout: ends the session; the body names the client code, which must be the caller's.
pub async fn logout(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    #[derive(Deserialize)]
    struct LogoutBody {
        clientcode: String,
    }

    let caller = authorize(&state, &headers)?;
    let logout: LogoutBody =
        serde_json::from_value(parse_body(&body)?).map_err(|_| INVALID_PARAMETERS)?;
    if logout.clientcode != caller.clientcode {
        return Err(INVALID_PARAMETERS);
    }

    state.close_session(&caller.jwt);
    tracing::info!(clientcode = %caller.clientcode, "logged out");
    Ok(ok(Value::String(String::new())))
}

/// GET getProfile. E-mail and mobile are left empty: the sandbox has none to give.
pub async fn profile(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let caller = authorize(&state, &headers)?;
    let name = state
        .account(&caller.clientcode)
        .map(|l| l.account.name.clone());

    let profile = Profile {
        clientcode: caller.clientcode,
        name: name.unwrap_or_default(),
        exchanges: ["NSE", "BSE", "NFO", "BFO", "CDS", "MCX"]
            .map(str::to_owned)
            .to_vec(),
        products: ["DELIVERY", "INTRADAY", "MARGIN"]
            .map(str::to_owned)
            .to_vec(),
        brokerid: "B2C".to_owned(),
        ..Profile::default()
    };
    let data = serde_json::to_value(profile).map_err(|_| INVALID_PARAMETERS)?;
    Ok(ok(data))
}

pub fn token_data(tokens: &TokenSet) -> Value {
    json!({ "jwtToken": tokens.jwt, "refreshToken": tokens.refresh, "feedToken": tokens.feed })
}

/// Whether `code` is the account's TOTP for the step at `now` or one step either side.
pub fn totp_accepted(secret: &TotpSecret, code: &str, now: u64) -> bool {
    let params = TotpParams::default();
    let window = params.period_secs * TOTP_STEPS_EITHER_SIDE;
    let first = now.saturating_sub(window);
    (0..=2 * TOTP_STEPS_EITHER_SIDE)
        .map(|step| first + step * params.period_secs)
        .any(|at| totp::code_at(secret, &params, at).is_ok_and(|expected| expected.code == code))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 key; `../shared/cases` T4 gives `005924` at 1234567890.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn accepts_the_current_step_and_one_either_side_only() {
        let secret = TotpSecret::parse(RFC_SECRET).unwrap();
        assert!(totp_accepted(&secret, "005924", 1_234_567_890));
        assert!(totp_accepted(&secret, "005924", 1_234_567_890 + 30));
        assert!(totp_accepted(&secret, "005924", 1_234_567_890 - 30));
        assert!(!totp_accepted(&secret, "005924", 1_234_567_890 + 60));
        assert!(!totp_accepted(&secret, "5924", 1_234_567_890));
    }
}
