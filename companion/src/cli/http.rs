//! Sends halo-core's requests with reqwest and hands back what came, for halo-core to decode.

use std::time::Duration;

use halo_core::smartapi::{HttpRequest, HttpResponse, Method};

/// Long enough for Angel on a slow line; an order's fate after a timeout is read from the book.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A reply, with the server's `Date` header for measuring the clock offset.
pub struct Fetched {
    /// Status, content type and body.
    pub response: HttpResponse,
    /// The `Date` header, when sent.
    pub date: Option<String>,
}

/// Why nothing usable came back.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// No connection, DNS failure, timeout: the request may or may not have arrived.
    #[error("could not reach {host}: {reason}; check the network (and the --endpoint)")]
    Unreachable {
        /// The host asked.
        host: String,
        /// What failed, without the URL's query.
        reason: String,
    },
}

/// Sends one request.
pub fn send(request: &HttpRequest) -> Result<Fetched, HttpError> {
    let host = request.url.split('/').take(3).collect::<Vec<_>>().join("/");
    let unreachable = |error: reqwest::Error| HttpError::Unreachable {
        host: host.clone(),
        reason: if error.is_timeout() {
            "timed out".into()
        } else {
            short(error)
        },
    };

    let client = reqwest::blocking::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .map_err(unreachable)?;
    let mut builder = match request.method {
        Method::Get => client.get(&request.url),
        Method::Post => client.post(&request.url),
    };
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }

    let reply = builder.send().map_err(unreachable)?;
    let header = |name| {
        reply
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(reqwest::header::CONTENT_TYPE);
    let date = header(reqwest::header::DATE);
    let status = reply.status().as_u16();
    let body = reply.text().map_err(unreachable)?;
    Ok(Fetched {
        response: HttpResponse {
            status,
            content_type,
            body,
        },
        date,
    })
}

/// reqwest's error without the URL (which never holds a secret here, but keeps messages short).
fn short(error: reqwest::Error) -> String {
    let error = error.without_url();
    let text = error.to_string();
    match std::error::Error::source(&error) {
        Some(source) => format!("{text} ({source})"),
        None => text,
    }
}
