//! The fat-finger guard: a ceiling on one order's value, chosen per account.
//!
//! The freeze quantity stops absurd sizes; this stops the merely large ones a trader did not
//! mean, such as a price typed for the lot instead of the share. The value is what the order
//! could cost: quantity in units times the limit price, or the trigger for a stop-loss-market
//! order, or the last traded price for a market order.

use thiserror::Error;

use super::{OrderTicket, OrderType, format_paise_grouped, units_of};

/// The limit an account starts with: ₹5,00,000 per order.
pub const DEFAULT_VALUE_LIMIT_PAISE: u64 = 500_000 * 100;

/// Why an order's value was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ValueLimitError {
    /// The order is worth more than the account's limit.
    #[error(
        "This order is worth ₹{}, above this account's limit of ₹{} per order. Lower the \
         quantity or the price, or raise the account's value limit in the Orders view.",
        format_paise_grouped(*value_paise),
        format_paise_grouped(*limit_paise)
    )]
    AboveLimit {
        /// The order's value, paise.
        value_paise: u64,
        /// The account's limit, paise.
        limit_paise: u64,
    },
    /// A market order's value cannot be known without a last traded price.
    #[error(
        "Halo has no last traded price for this market order, so it cannot check it against \
         this account's limit of ₹{} per order. Use a limit order.",
        format_paise_grouped(*limit_paise)
    )]
    NoReferencePrice {
        /// The account's limit, paise.
        limit_paise: u64,
    },
}

/// What the order could cost in paise, or `None` when it has no price to go by (a market
/// order without `ltp_paise`) or the product overflows. `ltp_paise` is the last traded price.
pub fn order_value_paise(ticket: &OrderTicket, ltp_paise: Option<u64>) -> Option<u64> {
    let units = units_of(&ticket.instrument, ticket.quantity).ok()?;
    let price = match ticket.kind.order_type {
        OrderType::Limit | OrderType::StopLossLimit => ticket.price_paise,
        OrderType::StopLossMarket => ticket.kind.trigger_paise,
        OrderType::Market => ltp_paise?,
    };
    units.checked_mul(price)
}

/// Refuses an order worth more than `limit_paise`; returns its value otherwise.
pub fn check_value(
    ticket: &OrderTicket,
    ltp_paise: Option<u64>,
    limit_paise: u64,
) -> Result<u64, ValueLimitError> {
    let value = order_value_paise(ticket, ltp_paise);
    match value {
        Some(value_paise) if value_paise <= limit_paise => Ok(value_paise),
        Some(value_paise) => Err(ValueLimitError::AboveLimit {
            value_paise,
            limit_paise,
        }),
        // An overflowing product is certainly above any limit.
        None if ticket.kind.order_type != OrderType::Market || ltp_paise.is_some() => {
            Err(ValueLimitError::AboveLimit {
                value_paise: u64::MAX,
                limit_paise,
            })
        }
        None => Err(ValueLimitError::NoReferencePrice { limit_paise }),
    }
}
