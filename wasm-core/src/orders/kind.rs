//! What kind of order a ticket is: its type (limit, stop-loss, market) and how long it lives.

use serde::{Deserialize, Serialize};

/// Shown whenever a market or IOC order is chosen. Since April 2026 Angel's API refuses both
/// for retail API users; the ticket still lets the trader send one (Angel's word is final) but
/// says plainly that it will most likely be rejected.
pub const MARKET_WARNING: &str = "Angel rejects market and IOC orders sent through the API \
     since April 2026; a LIMIT order good for the DAY is the one that will be accepted.";

/// Angel's `ordertype`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderType {
    /// `LIMIT`: at the limit price or better.
    #[default]
    Limit,
    /// `STOPLOSS_LIMIT` (SL): once the trigger trades, a limit order at the limit price.
    StopLossLimit,
    /// `STOPLOSS_MARKET` (SL-M): once the trigger trades, a market order.
    StopLossMarket,
    /// `MARKET`: at whatever price the market gives.
    Market,
}

impl OrderType {
    /// Every type, in the order the ticket offers them.
    pub const ALL: [OrderType; 4] = [
        OrderType::Limit,
        OrderType::StopLossLimit,
        OrderType::StopLossMarket,
        OrderType::Market,
    ];

    /// Angel's `ordertype`.
    pub fn as_wire(&self) -> &'static str {
        match self {
            OrderType::Limit => "LIMIT",
            OrderType::StopLossLimit => "STOPLOSS_LIMIT",
            OrderType::StopLossMarket => "STOPLOSS_MARKET",
            OrderType::Market => "MARKET",
        }
    }

    /// Reads Angel's `ordertype`, in any case.
    pub fn from_wire(s: &str) -> Option<OrderType> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_wire().eq_ignore_ascii_case(s.trim()))
    }

    /// Whether the order carries a limit price.
    pub fn has_limit(&self) -> bool {
        matches!(self, OrderType::Limit | OrderType::StopLossLimit)
    }

    /// Whether the order carries a trigger price.
    pub fn has_trigger(&self) -> bool {
        matches!(self, OrderType::StopLossLimit | OrderType::StopLossMarket)
    }

    /// Angel's `variety`: stop-loss orders are their own variety, everything else `NORMAL`.
    pub fn variety(&self) -> &'static str {
        match self.has_trigger() {
            true => "STOPLOSS",
            false => "NORMAL",
        }
    }
}

/// How long an order lives, Angel's `duration`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Validity {
    /// `DAY`: until filled, cancelled or the session ends.
    #[default]
    Day,
    /// `IOC`: immediate or cancel; whatever does not fill at once is cancelled.
    Ioc,
}

impl Validity {
    /// Angel's `duration`.
    pub fn as_wire(&self) -> &'static str {
        match self {
            Validity::Day => "DAY",
            Validity::Ioc => "IOC",
        }
    }

    /// Reads Angel's `duration`, in any case.
    pub fn from_wire(s: &str) -> Option<Validity> {
        [Validity::Day, Validity::Ioc]
            .into_iter()
            .find(|validity| validity.as_wire().eq_ignore_ascii_case(s.trim()))
    }
}

/// Type, trigger and validity of an order; the default is a limit order good for the day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderKind {
    /// Limit, stop-loss limit, stop-loss market or market.
    pub order_type: OrderType,
    /// Trigger price in paise for the stop-loss types; 0 otherwise.
    pub trigger_paise: u64,
    /// Day or IOC.
    pub validity: Validity,
}

impl OrderKind {
    /// The warning a trader must see before sending this kind of order, if any.
    pub fn warning(&self) -> Option<&'static str> {
        let refused = self.order_type == OrderType::Market || self.validity == Validity::Ioc;
        refused.then_some(MARKET_WARNING)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_and_varieties() {
        for kind in OrderType::ALL {
            assert_eq!(OrderType::from_wire(kind.as_wire()), Some(kind));
        }
        assert_eq!(OrderType::from_wire("sl"), None);
        assert_eq!(OrderType::StopLossLimit.variety(), "STOPLOSS");
        assert_eq!(OrderType::StopLossMarket.variety(), "STOPLOSS");
        assert_eq!(OrderType::Market.variety(), "NORMAL");
        assert_eq!(Validity::from_wire("ioc"), Some(Validity::Ioc));
        assert_eq!(Validity::from_wire("GTC"), None);
    }

    #[test]
    fn market_and_ioc_carry_the_warning() {
        let limit_day = OrderKind::default();
        assert_eq!(limit_day.warning(), None);
        let market = OrderKind {
            order_type: OrderType::Market,
            ..limit_day
        };
        assert_eq!(market.warning(), Some(MARKET_WARNING));
        let ioc = OrderKind {
            validity: Validity::Ioc,
            ..limit_day
        };
        assert_eq!(ioc.warning(), Some(MARKET_WARNING));
    }
}
