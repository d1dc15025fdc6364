//! SmartAPI, Angel One's REST API: where calls go, how requests are built, how replies decode.
//!
//! Nothing here performs I/O. A builder returns an [`HttpRequest`] that the extension sends
//! with `fetch` and the companion with reqwest; the transport hands back an [`HttpResponse`]
//! for [`decode`]. Wire shapes, with Angel's own field names, live in [`wire`].

mod decode;
mod endpoint;
mod errors;
pub mod rate_limit;
mod requests;
pub mod routes;
pub mod wire;

use std::fmt;

pub use decode::decode;
pub use endpoint::{Endpoint, EndpointError};
pub use errors::ApiError;
pub use requests::{
    HEADER_AUTHORIZATION, HEADER_PRIVATE_KEY, cancel_order, generate_tokens, headers,
    instrument_ltp, login, logout, ltp, modify_order, order_book, order_details, place_order,
    positions, profile,
};

/// Angel One's REST root.
pub const ANGEL_API_ROOT: &str = "https://apiconnect.angelone.in";
/// Angel One's daily instrument master (a JSON array of every tradable row, tens of MB).
pub const ANGEL_INSTRUMENT_MASTER_URL: &str =
    "https://margincalculator.angelone.in/OpenAPI_File/files/OpenAPIScripMaster.json";
/// The master's path, which a sandbox serves under its own root.
pub const INSTRUMENT_MASTER_PATH: &str = "/OpenAPI_File/files/OpenAPIScripMaster.json";

/// HTTP method of a SmartAPI call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET, for books and the profile.
    Get,
    /// POST with a JSON body, for everything else.
    Post,
}

impl Method {
    /// The method's name as HTTP spells it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request to send, complete with headers and body.
///
/// `Debug` shows the method, URL and header names only: the headers carry the API key and
/// JWT, and a login body carries the MPIN and TOTP.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// GET or POST.
    pub method: Method,
    /// Full URL: endpoint root plus route.
    pub url: String,
    /// Header names and values, in sending order.
    pub headers: Vec<(String, String)>,
    /// JSON body for POST, `None` for GET.
    pub body: Option<String>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body", &self.body.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl HttpRequest {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// What the transport received: status, declared content type and the body as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body, decoded as UTF-8 (lossily if it had to be).
    pub body: String,
}
