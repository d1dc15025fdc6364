//! Stop-loss, market and IOC tickets, products per segment, the value limit, and changes to
//! open orders, on rows of the sample master.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{row, sample};

use halo_core::instruments::{Exchange, Instrument};
use halo_core::orders::{
    DEFAULT_VALUE_LIMIT_PAISE, MARKET_WARNING, OrderChange, OrderError, OrderKind, OrderTicket,
    OrderType, Product, Side, Validity, ValueLimitError, cancel_body, check_value, products_for,
    rejection_reason, validate, validate_modify,
};
use halo_core::smartapi::wire::OrderBookRow;

fn reliance() -> Instrument {
    row(Exchange::Nse, "RELIANCE-EQ")
}

fn option() -> Instrument {
    row(Exchange::Nfo, "NIFTY28JUL2623500CE")
}

fn stop_loss(instrument: Instrument, side: Side, price: u64, trigger: u64) -> OrderTicket {
    let product = products_for(&instrument)[0];
    OrderTicket {
        instrument,
        side,
        quantity: 1,
        price_paise: price,
        product,
        tag: "halo-sl".into(),
        kind: OrderKind {
            order_type: OrderType::StopLossLimit,
            trigger_paise: trigger,
            validity: Validity::Day,
        },
    }
}

#[test]
fn a_stop_loss_limit_goes_as_the_stoploss_variety_with_its_trigger() {
    let body = validate(&stop_loss(reliance(), Side::Sell, 290_000, 290_500)).unwrap();
    assert_eq!(body.variety, "STOPLOSS");
    assert_eq!(body.ordertype, "STOPLOSS_LIMIT");
    assert_eq!(
        (body.price.as_str(), body.triggerprice.as_str()),
        ("2900.00", "2905.00")
    );
    assert_eq!(rejection_reason(sample(), &body), None);
}

#[test]
fn a_stop_loss_limit_on_the_wrong_side_of_its_trigger_is_refused() {
    let buy_below = validate(&stop_loss(reliance(), Side::Buy, 290_000, 290_500));
    assert_eq!(
        buy_below,
        Err(OrderError::LimitWrongSideOfTrigger {
            side: Side::Buy,
            price_paise: 290_000,
            trigger_paise: 290_500,
        })
    );
    let shown = buy_below.unwrap_err().to_string();
    assert!(
        shown.contains("at or above the trigger (₹2905.00)"),
        "{shown}"
    );
}

#[test]
fn the_limit_to_trigger_range_is_three_percent_for_shares_above_fifty_rupees() {
    // Trigger ₹2,000: 3% is ₹60, so a buy may be limited at ₹2,060 and no higher.
    assert!(validate(&stop_loss(reliance(), Side::Buy, 206_000, 200_000)).is_ok());
    let error = validate(&stop_loss(reliance(), Side::Buy, 206_010, 200_000)).unwrap_err();
    assert_eq!(
        error,
        OrderError::TriggerRange {
            symbol: "RELIANCE-EQ".into(),
            allowed_paise: 6_000,
            furthest_paise: 206_000,
        }
    );
    assert!(
        error.to_string().contains("permitted range of ₹60.00"),
        "{error}"
    );

    // At ₹50 or less the range is ₹1.50 whatever the percentage; a sell goes below.
    let idea = row(Exchange::Nse, "IDEA-EQ");
    assert!(validate(&stop_loss(idea.clone(), Side::Sell, 850, 1_000)).is_ok());
    let error = validate(&stop_loss(idea, Side::Sell, 849, 1_000)).unwrap_err();
    assert!(
        matches!(
            error,
            OrderError::TriggerRange {
                allowed_paise: 150,
                furthest_paise: 850,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn options_get_twenty_percent_or_ten_rupees() {
    let mut ticket = stop_loss(option(), Side::Buy, 12_000, 10_000);
    assert!(validate(&ticket).is_ok(), "20% of ₹100 is ₹20");
    ticket.price_paise = 12_005;
    assert!(matches!(
        validate(&ticket),
        Err(OrderError::TriggerRange {
            allowed_paise: 2_000,
            furthest_paise: 12_000,
            ..
        })
    ));
    let cheap = stop_loss(option(), Side::Buy, 1_500, 500);
    assert!(validate(&cheap).is_ok(), "₹10 of room below a ₹50 trigger");
}

#[test]
fn a_trigger_is_checked_against_the_tick_like_a_price() {
    let off = stop_loss(reliance(), Side::Sell, 290_000, 290_505);
    let error = validate(&off).unwrap_err();
    assert!(
        error.to_string().contains("Use 2905.00 or 2905.10"),
        "{error}"
    );
    let none = stop_loss(reliance(), Side::Sell, 290_000, 0);
    assert_eq!(validate(&none), Err(OrderError::TriggerZero));
}

#[test]
fn stop_loss_market_and_market_orders_send_no_limit_price() {
    let mut ticket = stop_loss(reliance(), Side::Sell, 0, 290_500);
    ticket.kind.order_type = OrderType::StopLossMarket;
    let body = validate(&ticket).unwrap();
    assert_eq!(
        (body.price.as_str(), body.triggerprice.as_str()),
        ("0", "2905.00")
    );
    assert_eq!(body.variety, "STOPLOSS");
    assert_eq!(rejection_reason(sample(), &body), None);

    ticket.kind = OrderKind {
        order_type: OrderType::Market,
        trigger_paise: 0,
        validity: Validity::Ioc,
    };
    let body = validate(&ticket).unwrap();
    assert_eq!(
        (
            body.variety.as_str(),
            body.price.as_str(),
            body.duration.as_str()
        ),
        ("NORMAL", "0", "IOC")
    );
    assert_eq!(ticket.kind.warning(), Some(MARKET_WARNING));
    assert!(MARKET_WARNING.contains("April 2026"));
}

#[test]
fn products_follow_the_segment() {
    assert_eq!(
        products_for(&reliance()),
        &[Product::Delivery, Product::Intraday, Product::Margin]
    );
    assert_eq!(
        products_for(&option()),
        &[Product::CarryForward, Product::Intraday]
    );

    let mut delivery_option = stop_loss(option(), Side::Buy, 12_000, 10_000);
    delivery_option.product = Product::Delivery;
    let error = validate(&delivery_option).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Delivery is for shares; choose carry-forward or intraday for NIFTY28JUL2623500CE"
    );
}

#[test]
fn the_value_limit_counts_units_times_the_price_that_applies() {
    // 2 lots of 65 at ₹120: ₹15,600.
    let mut ticket = stop_loss(option(), Side::Buy, 12_000, 10_000);
    ticket.quantity = 2;
    assert_eq!(
        check_value(&ticket, None, DEFAULT_VALUE_LIMIT_PAISE),
        Ok(1_560_000)
    );
    assert_eq!(
        check_value(&ticket, None, 1_000_000),
        Err(ValueLimitError::AboveLimit {
            value_paise: 1_560_000,
            limit_paise: 1_000_000,
        })
    );
    let shown = check_value(&ticket, None, 1_000_000)
        .unwrap_err()
        .to_string();
    assert!(
        shown.starts_with(
            "This order is worth ₹15,600.00, above this account's limit of \
        ₹10,000.00 per order."
        ),
        "{shown}"
    );

    ticket.kind.order_type = OrderType::Market;
    assert_eq!(
        check_value(&ticket, None, 1_000_000),
        Err(ValueLimitError::NoReferencePrice {
            limit_paise: 1_000_000
        })
    );
    assert_eq!(check_value(&ticket, Some(5_000), 1_000_000), Ok(650_000));
}

fn open_row() -> OrderBookRow {
    OrderBookRow {
        orderid: "260101000000001".into(),
        variety: "STOPLOSS".into(),
        tradingsymbol: "RELIANCE-EQ".into(),
        symboltoken: "2885".into(),
        exchange: "NSE".into(),
        transactiontype: "SELL".into(),
        ordertype: "STOPLOSS_LIMIT".into(),
        producttype: "DELIVERY".into(),
        duration: "DAY".into(),
        status: "trigger pending".into(),
        quantity: 1,
        ..Default::default()
    }
}

#[test]
fn a_modification_is_checked_like_a_new_ticket() {
    let change = OrderChange {
        quantity: 3,
        price_paise: 289_000,
        trigger_paise: 289_500,
    };
    let body = validate_modify(&reliance(), &open_row(), &change).unwrap();
    assert_eq!(body.orderid, "260101000000001");
    assert_eq!(body.variety, "STOPLOSS");
    assert_eq!(
        (
            body.quantity.as_str(),
            body.price.as_str(),
            body.triggerprice.as_str()
        ),
        ("3", "2890.00", "2895.00")
    );

    let off_tick = OrderChange {
        price_paise: 289_005,
        ..change
    };
    assert!(matches!(
        validate_modify(&reliance(), &open_row(), &off_tick),
        Err(OrderError::OffTick { .. })
    ));
    let wrong_side = OrderChange {
        price_paise: 290_000,
        ..change
    };
    assert!(matches!(
        validate_modify(&reliance(), &open_row(), &wrong_side),
        Err(OrderError::LimitWrongSideOfTrigger { .. })
    ));
}

#[test]
fn only_open_orders_can_be_changed_or_cancelled() {
    assert_eq!(cancel_body(&open_row()).unwrap().variety, "STOPLOSS");
    let done = OrderBookRow {
        status: "complete".into(),
        ..open_row()
    };
    let error = cancel_body(&done).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Order 260101000000001 is complete; only an open order can be changed or cancelled"
    );
    let change = OrderChange {
        quantity: 1,
        price_paise: 289_000,
        trigger_paise: 289_500,
    };
    assert!(validate_modify(&reliance(), &done, &change).is_err());
}
