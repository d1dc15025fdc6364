//! The sandbox's answers, in Angel's three envelopes: success, business error (HTTP 200 with
//! `status: false`, as Angel sends AB1007 or AB1050), and gateway error (`success: false`,
//! as Angel's gateway sends token and API-key failures).

use std::fmt;

use axum::Json;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use halo_core::smartapi::wire;
use serde_json::Value;

/// Why a request was refused, and in which envelope Angel would say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Refused by the gateway (token, API key): `success: false`, camelCase `errorCode`.
    Gateway {
        /// Angel's code, e.g. `AG8001`.
        code: &'static str,
        /// Angel's message, e.g. `Invalid Token`.
        message: &'static str,
    },
    /// Refused by the broker: `status: false`, lower-case `errorcode`.
    Business {
        /// Angel's code, e.g. `AB1007`.
        code: &'static str,
        /// Angel's message.
        message: &'static str,
    },
}

/// `AG8001`: no bearer token, a malformed one, or one this sandbox did not hand out.
pub const INVALID_TOKEN: Refusal = Refusal::Gateway {
    code: "AG8001",
    message: "Invalid Token",
};

/// `AG8004`: the `X-PrivateKey` header is missing or not the account's API key. Angel's own
/// text for this code is not documented; this wording is the sandbox's choice.
pub const INVALID_API_KEY: Refusal = Refusal::Gateway {
    code: "AG8004",
    message: "Invalid API Key",
};

/// `AB1007` with the text Angel uses for a body it cannot read.
pub const INVALID_PARAMETERS: Refusal = Refusal::Business {
    code: "AB1007",
    message: "INVALID PARAMETERS",
};

impl Refusal {
    /// A business refusal with this code and message.
    pub const fn business(code: &'static str, message: &'static str) -> Refusal {
        Refusal::Business { code, message }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (Refusal::Gateway { code, message } | Refusal::Business { code, message }) = self;
        write!(f, "{code} {message}")
    }
}

/// HTTP 200 in both envelopes: Angel answers business errors that way, and its JavaScript SDK
/// handles AG8001 in its success-status branch, which is where Angel puts it.
impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = match self {
            Refusal::Gateway { code, message } => wire::gateway_error(code, message),
            Refusal::Business { code, message } => wire::error_envelope(code, message),
        };
        Json(body).into_response()
    }
}

/// A success envelope around `data`.
pub fn ok(data: Value) -> Response {
    Json(wire::ok_envelope(data)).into_response()
}

/// 404 for a path the sandbox does not serve, in the gateway envelope so that any SmartAPI
/// client can show it; `SANDBOX_NOT_FOUND` is the sandbox's own code, not Angel's.
pub async fn not_found(method: Method, uri: Uri) -> Response {
    let message = format!("the Halo sandbox does not serve {method} {}", uri.path());
    tracing::warn!(%method, path = uri.path(), "no such route");
    (
        StatusCode::NOT_FOUND,
        Json(wire::gateway_error("SANDBOX_NOT_FOUND", &message)),
    )
        .into_response()
}

/// 405 for a known path asked with the wrong method; `SANDBOX_METHOD_NOT_ALLOWED` is the
/// sandbox's own code.
pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let message = format!(
        "{} does not accept {method} in the Halo sandbox",
        uri.path()
    );
    tracing::warn!(%method, path = uri.path(), "wrong method");
    let body = wire::gateway_error("SANDBOX_METHOD_NOT_ALLOWED", &message);
    (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response()
}
