//! Fault injection: `POST /sandbox/faults` arms a failure for the next requests to a route, so
//! a client's handling of a broken broker can be rehearsed on purpose.
//!
//! The body is `{"route": "placeOrder", "kind": "empty", "count": 1, "delay_ms": 3000}`: the
//! route is a path or one of its segments; `count` requests (default 1) then fail one way:
//!
//! - `http500`: HTTP 500 with a plain-text body; the request is not carried out.
//! - `html`: Angel's firewall "Request Rejected" HTML page; not carried out.
//! - `empty`: the request IS carried out (an order is placed), then the reply body is empty.
//! - `delay`: waits `delay_ms` (default 3000), then carries the request out and answers: an
//!   order a client gave up on may still land after it stopped waiting.
//! - `delay_after`: carried out at once, answered `delay_ms` late: the order is in the book
//!   while its answer is still on its way.
//! - `reset`: carried out, then the connection drops before any body: no answer at all.
//! - `duplicate`: carried out twice and answered with the second reply, as when a browser
//!   re-sends a request whose kept-alive connection dropped: two orders from one request.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Json;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::state::SandboxState;

/// Where tests arm faults (POST) and read the armed ones (GET).
pub const SANDBOX_FAULTS_PATH: &str = "/sandbox/faults";

/// The body Angel's firewall answers with when it blocks a request.
const FIREWALL_PAGE: &str = "<html><head><title>Request Rejected</title></head><body>The \
    requested URL was rejected. Please consult with your administrator.<br><br>Your support \
    ID is: 0000000000000000000</body></html>";

/// How an armed request fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// HTTP 500, plain text; not carried out.
    Http500,
    /// The firewall's HTML page; not carried out.
    Html,
    /// Carried out, then an empty body.
    Empty,
    /// Waits, then carried out and answered.
    Delay,
    /// Carried out at once, answered late.
    DelayAfter,
    /// Carried out, then the connection drops.
    Reset,
    /// Carried out twice, answered with the second reply.
    Duplicate,
}

/// One armed fault, as posted.
#[derive(Clone, Debug, Deserialize)]
pub struct Fault {
    route: String,
    kind: FaultKind,
    #[serde(default = "one")]
    count: u32,
    #[serde(default = "three_seconds")]
    delay_ms: u64,
}

fn one() -> u32 {
    1
}

fn three_seconds() -> u64 {
    3_000
}

impl Fault {
    fn matches(&self, path: &str) -> bool {
        let route = self.route.trim();
        !route.is_empty() && (path == route || path.split('/').any(|segment| segment == route))
    }
}

/// The faults armed and not yet used up.
#[derive(Default)]
pub struct Faults {
    armed: Mutex<Vec<Fault>>,
}

impl Faults {
    fn arm(&self, fault: Fault) {
        self.lock().push(fault);
    }

    /// Uses up one request of the first fault armed for `path`.
    fn take(&self, path: &str) -> Option<Fault> {
        let mut armed = self.lock();
        let at = armed.iter().position(|fault| fault.matches(path))?;
        let fault = armed[at].clone();
        armed[at].count -= 1;
        if armed[at].count == 0 {
            armed.remove(at);
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        // Every change is one push, decrement or removal: a poisoned lock holds usable data.
        self.armed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// POST: arms a fault; answers how many requests it will affect.
pub async fn arm(State(state): State<Arc<SandboxState>>, body: Bytes) -> Response {
    let fault: Fault = match serde_json::from_slice(&body) {
        Ok(fault) => fault,
        Err(error) => {
            let message = format!(
                "expected {{\"route\", \"kind\": \
                 http500|html|empty|delay|delay_after|reset|duplicate, \"count\"}}: {error}"
            );
            return (StatusCode::BAD_REQUEST, message).into_response();
        }
    };
    if fault.count == 0 || fault.route.trim().is_empty() {
        return (StatusCode::BAD_REQUEST, "route and a count above 0, please").into_response();
    }
    tracing::info!(route = %fault.route, kind = ?fault.kind, count = fault.count, "fault armed");
    let count = fault.count;
    state.faults.arm(fault);
    Json(json!({ "armed": count })).into_response()
}

/// Middleware: lets a request through, or fails it the way an armed fault says.
pub async fn inject(
    State(state): State<Arc<SandboxState>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/sandbox/") {
        return next.run(request).await;
    }
    let Some(fault) = state.faults.take(&path) else {
        return next.run(request).await;
    };
    tracing::warn!(%path, kind = ?fault.kind, "injecting a fault");
    match fault.kind {
        FaultKind::Http500 => {
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
        }
        FaultKind::Html => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html")],
            FIREWALL_PAGE,
        )
            .into_response(),
        FaultKind::Empty => {
            let _carried_out = next.run(request).await;
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "",
            )
                .into_response()
        }
        FaultKind::Delay => {
            // A task of its own, so the order is carried out even when the client gives up
            // waiting and closes the connection first, as a slow exchange link would.
            let late = tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
                next.run(request).await
            });
            match late.await {
                Ok(answer) => answer,
                Err(_) => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the delayed request failed",
                )
                    .into_response(),
            }
        }
        FaultKind::DelayAfter => {
            let answer = next.run(request).await;
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
            answer
        }
        FaultKind::Reset => {
            let _carried_out = next.run(request).await;
            Response::new(Body::new(Dropped))
        }
        FaultKind::Duplicate => {
            let (parts, body) = request.into_parts();
            let Ok(body) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
                return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
            };
            let first = Request::from_parts(parts.clone(), Body::from(body.clone()));
            let _first_answer = next.clone().run(first).await;
            next.run(Request::from_parts(parts, Body::from(body))).await
        }
    }
}

/// The largest request body a `duplicate` fault copies; an order's is well under 1 KiB.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// A body that fails at once, so the server drops the connection without an answer.
struct Dropped;

impl HttpBody for Dropped {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(route: &str, count: u32) -> Fault {
        Fault {
            route: route.to_owned(),
            kind: FaultKind::Empty,
            count,
            delay_ms: 0,
        }
    }

    #[test]
    fn a_fault_matches_its_route_and_is_used_up() {
        let faults = Faults::default();
        faults.arm(fault("placeOrder", 2));
        let place = "/rest/secure/angelbroking/order/v1/placeOrder";
        assert!(
            faults
                .take("/rest/secure/angelbroking/order/v1/getOrderBook")
                .is_none()
        );
        assert!(faults.take(place).is_some());
        assert!(faults.take(place).is_some());
        assert!(
            faults.take(place).is_none(),
            "a count of 2 affects two requests"
        );

        faults.arm(fault("details", 1));
        assert!(
            faults
                .take("/rest/secure/angelbroking/order/v1/details/abc")
                .is_some()
        );
        assert!(!fault("", 1).matches(place));
    }
}
