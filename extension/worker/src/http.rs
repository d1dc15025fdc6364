//! Sending halo-core's requests with `fetch`.
//!
//! halo-core builds every [`HttpRequest`] and decodes every [`HttpResponse`]; this module is
//! the transport between them. `fetch` is the global one, which the service worker has. The
//! `Date` header comes back too: the worker measures the device clock's error from it.
//!
//! Every call passes halo-core's rate limiter first, at Angel's documented rates per route: a
//! call that would exceed one waits up to [`MAX_WAIT_MS`], and one that would wait longer is
//! not sent at all, with a plain message. A placement is never retried, so keeping it under the
//! limit is the only way to keep Angel's plain-text refusal away from it. The browser stops an
//! idle worker whenever it likes, so the limiter's send times are kept in session storage and
//! a new worker counts them before its first call.

use std::cell::{Cell, RefCell};

use halo_core::smartapi::rate_limit::{RateLimiter, SentTimes};
use halo_core::smartapi::{HttpRequest, HttpResponse};
use halo_extension_shared::chrome::{self, StorageArea};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::write_lock::{self, Stored};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    async fn global_fetch(url: &str, init: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout)]
    fn abort_signal_after(millis: u32) -> JsValue;

    type FetchResponse;
    #[wasm_bindgen(method, getter)]
    fn status(this: &FetchResponse) -> u16;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &FetchResponse) -> FetchHeaders;
    #[wasm_bindgen(catch, method)]
    async fn text(this: &FetchResponse) -> Result<JsValue, JsValue>;

    type FetchHeaders;
    #[wasm_bindgen(method)]
    fn get(this: &FetchHeaders, name: &str) -> Option<String>;
}

/// How long any call may take before Halo gives up on its answer.
const TIMEOUT_MILLIS: u32 = 20_000;

/// The longest a call waits for its route's rate limit before Halo says so instead.
pub const MAX_WAIT_MS: u64 = 2_000;

/// How much longer than Angel's own windows Halo counts, so that a request slowed on its way
/// never arrives inside the previous one's window.
const MARGIN_MS: u64 = 200;

/// Where the limiter's send times are kept in `chrome.storage.session`.
const SENT_TIMES: &str = "rate_limit_sent";

thread_local! {
    static LIMITER: RefCell<RateLimiter> = RefCell::new(RateLimiter::with_margin(MARGIN_MS));
    /// Whether this worker has counted the calls an earlier worker made.
    static EARLIER_COUNTED: Cell<bool> = const { Cell::new(false) };
}

/// A request that got no HTTP answer at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// The connection failed or timed out.
    #[error(
        "Halo could not reach {host} ({reason}). Check the internet connection, or that \
         \"halo sandbox\" is running when the endpoint is a sandbox."
    )]
    Unreachable {
        /// Scheme and host of the URL, never its query.
        host: String,
        /// The browser's reason, such as "Failed to fetch".
        reason: String,
    },
    /// The request could not even be built into a `fetch` call.
    #[error("Halo could not prepare a request to {host}.")]
    Unsendable {
        /// Scheme and host of the URL.
        host: String,
    },
    /// Sending now would break Angel's rate limit for the route; nothing was sent.
    #[error(
        "Halo is keeping under Angel's rate limit for {route}, so nothing was sent. Wait \
         {wait_secs} s and try again."
    )]
    RateLimited {
        /// The route's last path segment, such as `getOrderBook`.
        route: String,
        /// Whole seconds until it may go.
        wait_secs: u64,
    },
}

/// What came back: the response for halo-core, and the server's clock.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Status, content type and body.
    pub response: HttpResponse,
    /// The `Date` header, if the server sent one.
    pub date: Option<String>,
}

/// Sends a request and reads the whole answer; the call goes into the activity log.
pub async fn send(request: &HttpRequest) -> Result<Fetched, HttpError> {
    keep_to_rate_limit(&request.url).await?;
    let sent_at_ms = crate::runtime::now_ms();
    let result = fetch_once(request).await;
    crate::activity::record(request, &result, sent_at_ms).await;
    result
}

/// Waits until the route's rate limit lets this call go, and counts it; refuses it when that
/// would take longer than [`MAX_WAIT_MS`].
async fn keep_to_rate_limit(url: &str) -> Result<(), HttpError> {
    let now = || crate::runtime::now_ms().max(0.0) as u64;
    count_earlier_workers_calls(now()).await;
    let wait = LIMITER.with(|limiter| limiter.borrow().wait_ms(url, now()));
    if wait > MAX_WAIT_MS {
        let route = url.rsplit('/').next().unwrap_or(url).split('?').next();
        return Err(HttpError::RateLimited {
            route: route.unwrap_or_default().to_owned(),
            wait_secs: wait.div_ceil(1000),
        });
    }
    if wait > 0 {
        crate::runtime::sleep_ms(wait).await;
    }
    // Another call may have taken the slot while this one slept: wait again, never past it.
    loop {
        let taken = LIMITER.with(|limiter| limiter.borrow_mut().try_acquire(url, now()));
        match taken {
            Ok(()) => {
                spawn_local(keep_sent_times());
                return Ok(());
            }
            Err(again) => crate::runtime::sleep_ms(again.min(MAX_WAIT_MS)).await,
        }
    }
}

/// Once per worker, before its first call: counts the calls the stopped worker made.
async fn count_earlier_workers_calls(now_ms: u64) {
    if EARLIER_COUNTED.get() {
        return;
    }
    let earlier = chrome::storage_get::<SentTimes>(StorageArea::Session, SENT_TIMES).await;
    // Several calls may have waited on the read: the first one back counts it.
    if EARLIER_COUNTED.replace(true) {
        return;
    }
    match earlier {
        Ok(Some(earlier)) => {
            LIMITER.with(|limiter| limiter.borrow_mut().remember(&earlier, now_ms))
        }
        Ok(None) => {}
        Err(error) => crate::runtime::log_info(&format!("earlier calls not counted: {error}")),
    }
}

/// Stores the limiter's send times for the next worker; one write at a time, each with the
/// times as they are when it runs, so the last write holds every call.
async fn keep_sent_times() {
    let _writing = write_lock::acquire(Stored::RateLimits).await;
    let sent = LIMITER.with(|limiter| limiter.borrow().sent_times());
    if let Err(error) = chrome::storage_set(StorageArea::Session, SENT_TIMES, &sent).await {
        crate::runtime::log_info(&format!("call times not kept: {error}"));
    }
}

async fn fetch_once(request: &HttpRequest) -> Result<Fetched, HttpError> {
    let host = origin_of(&request.url);
    let unsendable = |_| HttpError::Unsendable { host: host.clone() };
    let init = request_init(request).map_err(unsendable)?;

    let unreachable = |error: JsValue| HttpError::Unreachable {
        host: host.clone(),
        reason: js_reason(&error),
    };
    let response: FetchResponse = global_fetch(&request.url, &init)
        .await
        .map_err(unreachable)?
        .unchecked_into();
    let body = response.text().await.map_err(unreachable)?;

    let headers = response.headers();
    Ok(Fetched {
        response: HttpResponse {
            status: response.status(),
            content_type: headers.get("content-type"),
            body: body.as_string().unwrap_or_default(),
        },
        date: headers.get("date"),
    })
}

fn request_init(request: &HttpRequest) -> Result<JsValue, JsValue> {
    let headers = Object::new();
    for (name, value) in &request.headers {
        Reflect::set(
            &headers,
            &JsValue::from_str(name),
            &JsValue::from_str(value),
        )?;
    }
    let init = Object::new();
    Reflect::set(&init, &"method".into(), &request.method.as_str().into())?;
    Reflect::set(&init, &"headers".into(), &headers)?;
    Reflect::set(&init, &"cache".into(), &"no-store".into())?;
    Reflect::set(&init, &"signal".into(), &abort_signal_after(TIMEOUT_MILLIS))?;
    if let Some(body) = &request.body {
        Reflect::set(&init, &"body".into(), &JsValue::from_str(body))?;
    }
    Ok(init.into())
}

/// `https://host:port` of a URL, so errors name the server but never a query string.
fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |at| after_scheme + at);
    url[..end].to_owned()
}

/// The message of a thrown JS error (`TypeError: Failed to fetch`, an abort).
fn js_reason(error: &JsValue) -> String {
    let name = Reflect::get(error, &"name".into())
        .ok()
        .and_then(|v| v.as_string());
    if name.as_deref() == Some("TimeoutError") {
        return format!("no answer within {} s", TIMEOUT_MILLIS / 1000);
    }
    Reflect::get(error, &"message".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "network error".to_owned())
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn origin_drops_path_and_query() {
        assert_eq!(
            origin_of("https://apiconnect.angelone.in/rest/x?a=b"),
            "https://apiconnect.angelone.in"
        );
        assert_eq!(origin_of("http://127.0.0.1:8123"), "http://127.0.0.1:8123");
        assert_eq!(origin_of("http://localhost:9/?q"), "http://localhost:9");
    }
}
