//! The messages of the extension and the companion, each a JSON object tagged `type`.
//!
//! Outside the channel only the pairing's and the connection's setup travel in clear
//! ([`ToCompanion`], [`FromCompanion`]): public keys, a pairing id and sealed messages. What
//! the extension asks ([`Request`]) and what the companion answers ([`Reply`]) travel only
//! inside [`super::Sealed`] messages. Each request carries the session token and API key it
//! needs, so the companion keeps neither.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::Sealed;

/// A frame from the extension, in clear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToCompanion {
    /// First pairing: the extension's fresh public key.
    PairStart {
        /// Repeated in the answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// X25519 public key, base64.
        public: String,
    },
    /// The code the person confirmed, sealed as a [`PairConfirmation`] under the candidate
    /// pairing, as message 0 of the pairing connection's channel.
    PairConfirm {
        /// Repeated in the answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// The sealed confirmation.
        sealed: Sealed,
    },
    /// A connection of a paired extension: the pairing's id and a fresh public key.
    Hello {
        /// Repeated in the answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// The pairing's id.
        pairing: String,
        /// X25519 public key for this connection, base64.
        public: String,
    },
    /// A sealed [`Request`].
    Sealed {
        /// Repeated in the answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// The sealed request.
        sealed: Sealed,
    },
}

/// A frame from the companion, in clear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromCompanion {
    /// The companion's public key for a first pairing; both sides now show the code.
    PairCode {
        /// The request's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// X25519 public key, base64.
        public: String,
    },
    /// The pairing is kept: a sealed [`Reply::Paired`].
    Paired {
        /// The request's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// The sealed reply.
        sealed: Sealed,
    },
    /// The companion's public key for this connection.
    Hello {
        /// The request's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// X25519 public key, base64.
        public: String,
    },
    /// A sealed [`Reply`].
    Sealed {
        /// The request's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// The sealed reply.
        sealed: Sealed,
    },
    /// The frame was refused; nothing was done.
    Error {
        /// The request's id, when it could be read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// A stable word: `not-paired`, `pairing-refused`, `refused`, `bad-json`, ...
        code: String,
        /// What happened and what to do, for a person.
        message: String,
    },
}

/// What the extension sends, sealed, to confirm a first pairing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairConfirmation {
    /// The code the person saw in the popup and confirmed.
    pub code: String,
    /// The browser's name, so the companion can list its pairings.
    pub browser: String,
}

/// The session token and API key for one request; used for it and dropped.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// The SmartAPI app's API key.
    pub api_key: Zeroizing<String>,
    /// The session's JWT.
    pub jwt_token: Zeroizing<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials { .. }")
    }
}

/// An order as the trader confirmed it; the companion checks it against its own instrument
/// master with halo-core's rules before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRequest {
    /// Exchange as Angel spells it, such as `NSE`.
    pub exchange: String,
    /// Angel's symbol token.
    pub token: String,
    /// `BUY` or `SELL`.
    pub side: String,
    /// Shares for cash, lots for derivatives, as typed.
    pub quantity: String,
    /// Limit price in rupees as typed.
    pub price: String,
    /// Angel's product type, such as `DELIVERY`.
    pub product: String,
}

/// A request inside the channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Request {
    /// Is the paired companion there?
    Ping,
    /// Place one order, once.
    PlaceOrder {
        /// Angel's API root or a loopback sandbox's; anything else is refused.
        endpoint: String,
        /// For this request only.
        credentials: Credentials,
        /// The order.
        order: OrderRequest,
    },
    /// Today's order book.
    OrderBook {
        /// Angel's API root or a loopback sandbox's.
        endpoint: String,
        /// For this request only.
        credentials: Credentials,
    },
    /// One order's current state.
    OrderStatus {
        /// Angel's API root or a loopback sandbox's.
        endpoint: String,
        /// For this request only.
        credentials: Credentials,
        /// Angel's `uniqueorderid`.
        unique_order_id: String,
    },
}

/// An order as the companion reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderState {
    /// Angel's order id.
    pub order_id: String,
    /// Angel's unique order id.
    pub unique_order_id: String,
    /// The tag Halo gave the order, when known.
    #[serde(default)]
    pub tag: String,
    /// The order book's status, when read.
    #[serde(default)]
    pub status: Option<String>,
    /// The order book's reason text (for a rejection).
    #[serde(default)]
    pub text: Option<String>,
}

/// A reply inside the channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Reply {
    /// The answer to [`Request::Ping`].
    Pong {
        /// The companion's version.
        version: String,
    },
    /// The pairing is kept under this id.
    Paired {
        /// The pairing's id.
        pairing: String,
    },
    /// The order was placed (or found in the book after a lost answer).
    Placed {
        /// The order.
        order: OrderState,
    },
    /// Today's order book.
    Book {
        /// Its rows, in Angel's order.
        orders: Vec<OrderState>,
    },
    /// One order's state.
    Status {
        /// The order.
        order: OrderState,
    },
    /// The request failed; `message` says what to do.
    Error {
        /// A stable word: `refused`, `angel`, `unreachable`, `unknown-outcome`, ...
        code: String,
        /// What happened and what to do, for a person.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_tagged_json() {
        let hello = ToCompanion::Hello {
            id: Some(3),
            pairing: "00ff".into(),
            public: "AAAA".into(),
        };
        assert_eq!(
            serde_json::to_string(&hello).unwrap(),
            r#"{"type":"hello","id":3,"pairing":"00ff","public":"AAAA"}"#
        );
        let request: Request = serde_json::from_str(
            r#"{"type":"order-status","endpoint":"angel",
                "credentials":{"api_key":"k","jwt_token":"t"},"unique_order_id":"u1"}"#,
        )
        .unwrap();
        assert!(
            matches!(request, Request::OrderStatus { ref unique_order_id, .. }
            if unique_order_id == "u1")
        );
        assert!(!format!("{request:?}").contains("\"t\""));
        assert_eq!(
            format!(
                "{:?}",
                Credentials {
                    api_key: Zeroizing::new("key".into()),
                    jwt_token: Zeroizing::new("jwt".into())
                }
            ),
            "Credentials { .. }"
        );
    }
}
