//! Angel's rate limits, enforced with `--rate-limits`: a request beyond a route's documented
//! rate (halo-core's `rate_limit` table) is answered with Angel's plain-text body instead of
//! being carried out.
//!
//! Limits count per API key and route; each sandbox account has its own key, so this is per
//! account, as Angel counts per client code. Logins and token renewals are not limited here, so
//! that a rehearsal is never locked out of its own session.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use halo_core::smartapi::rate_limit::RateLimiter;
use halo_core::smartapi::routes;

use super::gateway::private_key;
use super::state::SandboxState;

/// What Angel answers, as plain text, when a rate is exceeded.
pub const RATE_LIMIT_BODY: &str = "Access denied because of exceeding access rate";

/// One limiter per API key.
pub struct Limits {
    started: Instant,
    by_key: Mutex<HashMap<String, RateLimiter>>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            started: Instant::now(),
            by_key: Mutex::new(HashMap::new()),
        }
    }
}

impl Limits {
    /// Counts a request and says whether it is within the route's limits.
    fn admit(&self, api_key: &str, path: &str) -> bool {
        let now_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let mut by_key = self.by_key.lock().unwrap_or_else(PoisonError::into_inner);
        by_key
            .entry(api_key.to_owned())
            .or_default()
            .try_acquire(path, now_ms)
            .is_ok()
    }
}

/// Middleware: refuses a request over its route's rate with Angel's plain-text body.
pub async fn enforce(
    State(state): State<Arc<SandboxState>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let exempt = [routes::LOGIN, routes::GENERATE_TOKENS, routes::LOGOUT].contains(&path);
    if exempt || !state.rate_limits || state.limits.admit(private_key(request.headers()), path) {
        return next.run(request).await;
    }
    tracing::warn!(path, "rate limit exceeded");
    // Angel's HTTP status for this reply is not documented (403 and 429 are both reported);
    // clients must recognise the body, whichever it is.
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain")],
        RATE_LIMIT_BODY,
    )
        .into_response()
}
