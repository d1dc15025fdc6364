//! What the popup's Orders and Positions views, the ticket's review and the order-changing
//! requests carry between popup and worker.

use serde::{Deserialize, Serialize};

/// The worker's verdict on an order before its confirm step, answered to `CheckOrder`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderReview {
    /// What the order could cost, in paise (units times the price that applies).
    pub value_paise: u64,
    /// The account's limit on one order's value, in paise.
    pub value_limit_paise: u64,
    /// Something the trader must read before confirming, such as Angel refusing market and
    /// IOC orders through the API.
    pub warning: Option<String>,
}

/// One account's order book for the day, answered to `Orders`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrdersView {
    /// The account the book belongs to.
    pub account_id: String,
    /// Today's orders, newest first.
    pub orders: Vec<OrderLine>,
    /// The account's limit on one order's value, in paise.
    pub value_limit_paise: u64,
}

/// One order as the Orders view shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Angel's order id.
    pub order_id: String,
    /// Angel's unique order id.
    pub unique_order_id: String,
    /// Trading symbol.
    pub symbol: String,
    /// Exchange as Angel spells it.
    pub exchange: String,
    /// `BUY` or `SELL`.
    pub side: String,
    /// `LIMIT`, `STOPLOSS_LIMIT`, ...
    pub order_type: String,
    /// `DELIVERY`, `CARRYFORWARD`, ...
    pub product: String,
    /// Ordered quantity in shares or units.
    pub quantity: u64,
    /// Units in one lot (1 for shares).
    pub lot_size: u64,
    /// Units filled so far.
    pub filled: u64,
    /// Limit price in paise (0 for market types).
    pub price_paise: u64,
    /// Trigger price in paise (0 without one).
    pub trigger_paise: u64,
    /// Angel's status, as it wrote it.
    pub status: String,
    /// Angel's reason, for a rejection.
    pub text: String,
    /// Whether it can still be modified or cancelled.
    pub open: bool,
    /// The other orders placed from the same Halo confirm (the same tag), when the browser
    /// re-sent a placement whose connection dropped; empty for an order placed once.
    #[serde(default)]
    pub same_confirm: Vec<String>,
}

/// One account's positions for the day, answered to `Positions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PositionsView {
    /// The account the positions belong to.
    pub account_id: String,
    /// One line per instrument and product.
    pub positions: Vec<PositionLine>,
}

/// One position as the Positions view shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PositionLine {
    /// Trading symbol.
    pub symbol: String,
    /// Exchange as Angel spells it.
    pub exchange: String,
    /// `DELIVERY`, `INTRADAY`, ...
    pub product: String,
    /// Units bought today.
    pub bought: i64,
    /// Units sold today.
    pub sold: i64,
    /// Net units: negative when short.
    pub net: i64,
    /// Average buy price in rupees, as Angel gives it.
    pub buy_average: f64,
    /// Average sell price in rupees.
    pub sell_average: f64,
}

/// New terms for an open order, as typed in the Orders view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModifyForm {
    /// The account whose order it is.
    pub account_id: String,
    /// Angel's order id.
    pub order_id: String,
    /// Shares for cash, lots for derivatives.
    pub quantity: String,
    /// New limit price in rupees (ignored by market types).
    pub price: String,
    /// New trigger price in rupees (ignored without a trigger).
    #[serde(default)]
    pub trigger_price: String,
    /// Drawn by the popup at the confirm step: one change per confirmation.
    #[serde(default)]
    pub confirmation_id: String,
}
