//! An order's state as the order book reports it, and finding Halo's own order there.

use serde::{Deserialize, Serialize};

use crate::smartapi::wire::OrderBookRow;

/// Where an order stands, from an order-book row's `status` and `text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    /// Resting on the exchange.
    Open,
    /// Still on its way: validation, trigger pending, after-market request received, ...
    Pending {
        /// Angel's status text, e.g. `trigger pending`.
        status: String,
    },
    /// Fully filled.
    Complete,
    /// Cancelled by the user or the exchange.
    Cancelled,
    /// Refused by the exchange or by Angel's risk checks.
    Rejected {
        /// Angel's reason, from `text`.
        reason: String,
        /// True when the exchange was not taking orders ("Adapter is Logged Off"): the
        /// market was closed, and logging in again would not help.
        exchange_closed: bool,
    },
    /// A status Halo does not know; shown as Angel wrote it.
    Other {
        /// Angel's status text.
        status: String,
    },
}

impl OrderStatus {
    /// Reads a row's `status`, falling back to `orderstatus` when it is empty.
    pub fn of(row: &OrderBookRow) -> OrderStatus {
        let raw = if row.status.trim().is_empty() {
            &row.orderstatus
        } else {
            &row.status
        };
        let status = raw.trim().to_ascii_lowercase();
        match status.as_str() {
            "open" | "partially filled" | "partially executed" => OrderStatus::Open,
            "complete" => OrderStatus::Complete,
            "cancelled" | "cancelled after market order" => OrderStatus::Cancelled,
            "rejected" => OrderStatus::Rejected {
                reason: row.text.trim().to_string(),
                exchange_closed: row
                    .text
                    .to_ascii_lowercase()
                    .contains("adapter is logged off"),
            },
            "open pending"
            | "trigger pending"
            | "validation pending"
            | "put order req received"
            | "modify pending"
            | "modify validation pending"
            | "modified"
            | "not modified"
            | "cancel pending"
            | "not cancelled"
            | "after market order req received"
            | "modify after market order req received" => OrderStatus::Pending { status },
            _ => OrderStatus::Other { status },
        }
    }

    /// True once the order can no longer change.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Complete | Self::Cancelled | Self::Rejected { .. }
        )
    }
}

/// The order-book row carrying `tag`: how Halo learns an order's fate after a reply was lost
/// (empty body, timeout) without ever placing it twice.
pub fn find_by_tag<'a>(rows: &'a [OrderBookRow], tag: &str) -> Option<&'a OrderBookRow> {
    let tag = tag.trim();
    if tag.is_empty() {
        return None;
    }
    rows.iter().find(|row| row.ordertag.trim() == tag)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn row(status: &str, text: &str) -> OrderBookRow {
        OrderBookRow {
            status: status.into(),
            text: text.into(),
            ..Default::default()
        }
    }

    #[test]
    fn adapter_logged_off_is_a_closed_market_not_a_session_error() {
        let status = OrderStatus::of(&row("rejected", "Adapter is Logged Off"));
        assert_eq!(
            status,
            OrderStatus::Rejected {
                reason: "Adapter is Logged Off".into(),
                exchange_closed: true
            }
        );
        assert!(status.is_final());
    }

    #[test]
    fn statuses() {
        assert_eq!(OrderStatus::of(&row("open", "")), OrderStatus::Open);
        assert_eq!(OrderStatus::of(&row("Complete", "")), OrderStatus::Complete);
        assert_eq!(
            OrderStatus::of(&row("trigger pending", "")),
            OrderStatus::Pending {
                status: "trigger pending".into()
            }
        );
        assert!(!OrderStatus::of(&row("open", "")).is_final());
        let fallback = OrderBookRow {
            orderstatus: "cancelled".into(),
            ..Default::default()
        };
        assert_eq!(OrderStatus::of(&fallback), OrderStatus::Cancelled);
    }

    #[test]
    fn finding_by_tag() {
        let rows = [
            OrderBookRow {
                ordertag: "halo-a".into(),
                orderid: "1".into(),
                ..Default::default()
            },
            OrderBookRow {
                ordertag: "halo-b".into(),
                orderid: "2".into(),
                ..Default::default()
            },
        ];
        assert_eq!(
            find_by_tag(&rows, "halo-b").map(|row| row.orderid.as_str()),
            Some("2")
        );
        assert!(find_by_tag(&rows, "halo-c").is_none());
        assert!(find_by_tag(&[OrderBookRow::default()], "").is_none());
    }
}
