//! One decoder for every reply Angel sends: its two JSON envelopes and its non-JSON pages.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{ApiError, HttpResponse};

/// The text of Angel's plain-text rate-limit reply, matched case-insensitively.
const RATE_LIMIT_TEXT: &str = "exceeding access rate";

/// Decodes a SmartAPI reply into `T`, the type of its `data`.
///
/// Reads both envelopes: the normal one (`status` as a bool or `"true"`/`"false"`,
/// `errorcode`) and the gateway's (`success`, `errorCode`). `data` is read only when the
/// call succeeded; `null`, `"null"` and `""` all mean "no data", so books that may be empty
/// decode into `Option<Vec<_>>`. Before any JSON parsing it recognises an empty body, the
/// firewall's HTML page (on any HTTP status) and the plain-text rate-limit reply. Never
/// panics, whatever the body.
pub fn decode<T: DeserializeOwned>(resp: &HttpResponse) -> Result<T, ApiError> {
    let body = resp.body.trim();
    if body.is_empty() {
        return Err(ApiError::EmptyBody);
    }
    if is_firewall_page(body) {
        return Err(ApiError::Blocked {
            support_id: support_id(body),
        });
    }
    if body.to_ascii_lowercase().contains(RATE_LIMIT_TEXT) {
        return Err(ApiError::RateLimited);
    }

    let value: Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(_) if resp.status == 429 => return Err(ApiError::RateLimited),
        Err(_) => {
            return Err(ApiError::NotJson {
                status: resp.status,
            });
        }
    };
    let Value::Object(envelope) = value else {
        return Err(ApiError::Malformed("not a JSON object".into()));
    };

    match succeeded(&envelope) {
        Some(true) => data_as(envelope),
        Some(false) => Err(ApiError::Angel {
            code: text_field(&envelope, &["errorcode", "errorCode"]),
            message: text_field(&envelope, &["message"]),
        }),
        None => Err(ApiError::Malformed(no_status_words(&envelope))),
    }
}

/// Angel's verdict from `status` or `success`, as a bool or its string spelling.
fn succeeded(envelope: &Map<String, Value>) -> Option<bool> {
    let flag = envelope.get("status").or_else(|| envelope.get("success"))?;
    match flag {
        Value::Bool(ok) => Some(*ok),
        Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn data_as<T: DeserializeOwned>(mut envelope: Map<String, Value>) -> Result<T, ApiError> {
    let data = match envelope.remove("data") {
        None => Value::Null,
        Some(Value::String(text)) if text.is_empty() || text == "null" => Value::Null,
        Some(data) => data,
    };
    serde_json::from_value(data).map_err(|error| ApiError::Malformed(shape_words(&error)))
}

/// Describes a shape mismatch without quoting the offending value, which could be a token.
fn shape_words(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if text.starts_with("missing field") {
        format!("data: {text}")
    } else if text.starts_with("invalid type: null") {
        "data was empty".into()
    } else {
        "data had a field of an unexpected type".into()
    }
}

/// A reply without `status` or `success`: quote Angel's code and message if there are any.
fn no_status_words(envelope: &Map<String, Value>) -> String {
    let code = text_field(envelope, &["errorcode", "errorCode"]);
    let message: String = text_field(envelope, &["message"])
        .chars()
        .take(200)
        .collect();
    match (code.is_empty(), message.is_empty()) {
        (true, true) => "no status and no message".into(),
        _ => format!("no status; Angel said {code} {message}")
            .trim_end()
            .into(),
    }
}

/// The first of `keys` present as a string (or a number, printed), else empty.
fn text_field(envelope: &Map<String, Value>, keys: &[&str]) -> String {
    keys.iter()
        .find_map(|key| match envelope.get(*key) {
            Some(Value::String(text)) if !text.is_empty() => Some(text.trim().to_string()),
            Some(Value::Number(number)) => Some(number.to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The firewall's "Request Rejected" page, whatever the declared content type or status.
/// Other HTML (a proxy's error page, say) is left to the not-JSON path.
fn is_firewall_page(body: &str) -> bool {
    if body.starts_with('{') || body.starts_with('[') {
        return false;
    }
    let lower = body.to_ascii_lowercase();
    lower.contains("request rejected") || lower.contains("url was rejected")
}

/// The digits after "support ID" on the firewall's page.
fn support_id(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let start = lower.find("support id")? + "support id".len();
    // ASCII lower-casing keeps byte offsets, so `start` indexes `body` too.
    let rest = body.get(start..)?;
    // The page reads "Your support ID is: 123...": the number follows within a few characters.
    let (offset, _) = rest
        .char_indices()
        .take(16)
        .find(|(_, c)| c.is_ascii_digit())?;
    let digits: String = rest[offset..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .take(40)
        .collect();
    Some(digits)
}
