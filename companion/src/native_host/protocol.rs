//! The messages the extension and the host exchange, each one JSON object tagged `type`.
//!
//! Every request may carry an `id`; the reply repeats it so the extension can match answers to
//! questions on one port. A request the host cannot read gets an `error` reply, never silence.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A request from the extension.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Request {
    /// Is the host there? `echo` comes back unchanged (used to test replies of every length).
    Ping {
        /// Repeated in the reply.
        #[serde(default)]
        id: Option<u64>,
        /// Returned as sent.
        #[serde(default)]
        echo: Option<String>,
    },
}

/// A reply to the extension.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Reply {
    /// The answer to `ping`.
    Pong {
        /// The request's id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// The companion's version, so the extension can spot a stale binary.
        version: &'static str,
        /// The request's `echo`, unchanged.
        #[serde(skip_serializing_if = "Option::is_none")]
        echo: Option<String>,
    },
    /// The request failed; `message` says what to do, `code` is for the extension's logic.
    Error {
        /// The request's id, when it could be read.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// A stable word: `origin-refused`, `bad-json`, `unknown-request`, `too-long`,
        /// `internal`.
        code: &'static str,
        /// What happened and what to do, for a person.
        message: String,
    },
}

impl Reply {
    /// An error reply.
    pub fn error(id: Option<u64>, code: &'static str, message: impl Into<String>) -> Reply {
        Reply::Error {
            id,
            code,
            message: message.into(),
        }
    }
}

/// The `id` of a request that could be parsed as JSON but not understood, so even its error
/// reply can be matched.
pub fn id_of(value: &Value) -> Option<u64> {
    value.get("id").and_then(Value::as_u64)
}
