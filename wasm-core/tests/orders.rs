//! Order tickets and the exchange's checks, on rows from the sample master and cases O1-O3.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{row, sample};

use halo_core::instruments::{Exchange, Instrument, InstrumentMaster};
use halo_core::orders::{
    OrderError, OrderTicket, Product, Side, parse_price_paise, rejection_reason, validate,
};
use halo_core::smartapi::wire::PlaceOrderBody;

fn ticket(instrument: Instrument, quantity: u32, price: &str, product: Product) -> OrderTicket {
    OrderTicket {
        instrument,
        side: Side::Buy,
        quantity,
        price_paise: parse_price_paise(price).unwrap(),
        product,
        tag: "halo-7f3k2m9q".into(),
        kind: Default::default(),
    }
}

/// SBIN-EQ as older masters had it: a 5-paise tick (case O1).
fn sbin_five_paise() -> Instrument {
    Instrument {
        tick_paise: 5,
        ..row(Exchange::Nse, "SBIN-EQ")
    }
}

#[test]
fn reliance_limit_order_body() {
    let reliance = row(Exchange::Nse, "RELIANCE-EQ");
    let body = validate(&ticket(reliance, 1, "2945.5", Product::Delivery)).unwrap();
    let expected = PlaceOrderBody {
        variety: "NORMAL".into(),
        tradingsymbol: "RELIANCE-EQ".into(),
        symboltoken: "2885".into(),
        transactiontype: "BUY".into(),
        exchange: "NSE".into(),
        ordertype: "LIMIT".into(),
        producttype: "DELIVERY".into(),
        duration: "DAY".into(),
        price: "2945.50".into(),
        triggerprice: "0".into(),
        squareoff: "0".into(),
        stoploss: "0".into(),
        quantity: "1".into(),
        ordertag: "halo-7f3k2m9q".into(),
    };
    assert_eq!(body, expected);
    assert_eq!(rejection_reason(sample(), &body), None);
}

#[test]
fn case_o1_five_paise_tick_offers_the_two_nearest_prices() {
    let error = validate(&ticket(sbin_five_paise(), 1, "812.33", Product::Delivery)).unwrap_err();
    assert_eq!(
        error,
        OrderError::OffTick {
            symbol: "SBIN-EQ".into(),
            price_paise: 81233,
            tick_paise: 5,
            below: 81230,
            above: 81235,
        }
    );
    let shown = error.to_string();
    assert!(shown.contains("812.30 or 812.35"), "{shown}");
    assert!(shown.contains("steps of ₹0.05"), "{shown}");

    let body = validate(&ticket(sbin_five_paise(), 1, "812.35", Product::Delivery)).unwrap();
    assert_eq!(body.price, "812.35");
}

#[test]
fn case_o1_the_2026_row_says_ten_paise() {
    let sbin = row(Exchange::Nse, "SBIN-EQ");
    assert_eq!(sbin.tick_paise, 10);
    let shown = validate(&ticket(sbin.clone(), 1, "812.33", Product::Delivery))
        .unwrap_err()
        .to_string();
    assert!(shown.contains("812.30 or 812.40"), "{shown}");
    // 812.35 is on a 5-paise tick but not on this one: the tick comes from the row.
    assert!(validate(&ticket(sbin, 1, "812.35", Product::Delivery)).is_err());
}

#[test]
fn case_o2_lots_become_units() {
    let option = row(Exchange::Nfo, "NIFTY28JUL2623500CE");
    assert_eq!(option.lot_size, 65);
    let body = validate(&ticket(option, 5, "112.35", Product::CarryForward)).unwrap();
    assert_eq!(body.quantity, "325");
    assert_eq!(
        (body.exchange.as_str(), body.symboltoken.as_str()),
        ("NFO", "63915")
    );
    assert_eq!(rejection_reason(sample(), &body), None);
}

#[test]
fn case_o2_units_off_the_lot_are_refused_naming_the_lot_size() {
    let lot_75 = r#"[{"token":"1","symbol":"NIFTY07MAR2422500CE","name":"NIFTY",
        "expiry":"07MAR2024","strike":"2250000.000000","lotsize":"75","instrumenttype":"OPTIDX",
        "exch_seg":"NFO","tick_size":"5.000000"}]"#;
    let master = InstrumentMaster::parse(lot_75).unwrap();
    let mut body = PlaceOrderBody {
        variety: "NORMAL".into(),
        tradingsymbol: "NIFTY07MAR2422500CE".into(),
        symboltoken: "1".into(),
        transactiontype: "BUY".into(),
        exchange: "NFO".into(),
        ordertype: "LIMIT".into(),
        producttype: "CARRYFORWARD".into(),
        duration: "DAY".into(),
        price: "100.05".into(),
        quantity: "325".into(),
        ..Default::default()
    };
    let reason = rejection_reason(&master, &body).unwrap();
    assert!(
        reason.contains("lot size is 75") && reason.contains("300 or 375"),
        "{reason}"
    );

    body.quantity = "1".into();
    let reason = rejection_reason(&master, &body).unwrap();
    assert!(
        reason.contains("lot size is 75") && reason.contains("Use 75."),
        "{reason}"
    );

    body.quantity = "375".into();
    assert_eq!(rejection_reason(&master, &body), None);
}

#[test]
fn quantity_one_on_nfo_with_the_sample_row() {
    let mut body = validate(&ticket(
        row(Exchange::Nfo, "NIFTY28JUL2623500CE"),
        1,
        "10",
        Product::CarryForward,
    ))
    .unwrap();
    assert_eq!(body.quantity, "65");
    body.quantity = "1".into();
    assert!(
        rejection_reason(sample(), &body)
            .unwrap()
            .contains("lot size is 65")
    );
}

#[test]
fn indices_are_refused_on_the_ticket_and_at_the_exchange() {
    let nifty = sample()
        .by_token(Exchange::Nse, "99926000")
        .unwrap()
        .clone();
    let error = validate(&ticket(nifty, 1, "100", Product::Delivery)).unwrap_err();
    assert_eq!(error, OrderError::IndexNotTradable("Nifty 50".into()));
    assert!(error.to_string().contains("not tradable"));

    let body = PlaceOrderBody {
        variety: "NORMAL".into(),
        tradingsymbol: "Nifty 50".into(),
        symboltoken: "99926000".into(),
        transactiontype: "BUY".into(),
        exchange: "NSE".into(),
        ordertype: "MARKET".into(),
        producttype: "DELIVERY".into(),
        duration: "DAY".into(),
        price: "0".into(),
        quantity: "1".into(),
        ..Default::default()
    };
    assert!(rejection_reason(sample(), &body).unwrap().contains("index"));
}

#[test]
fn other_ticket_refusals() {
    let reliance = row(Exchange::Nse, "RELIANCE-EQ");
    let zero = ticket(reliance.clone(), 0, "2945.5", Product::Delivery);
    assert_eq!(validate(&zero), Err(OrderError::QuantityZero));

    let nrml_on_cash = ticket(reliance.clone(), 1, "2945.5", Product::CarryForward);
    assert_eq!(
        validate(&nrml_on_cash),
        Err(OrderError::CarryForwardOnCash("RELIANCE-EQ".into()))
    );

    let mut long_tag = ticket(reliance.clone(), 1, "2945.5", Product::Intraday);
    long_tag.tag = "halo-0123456789abcde".into();
    assert_eq!(validate(&long_tag), Err(OrderError::BadTag));

    let zero_price = OrderTicket {
        price_paise: 0,
        ..ticket(reliance, 1, "1", Product::Delivery)
    };
    assert_eq!(validate(&zero_price), Err(OrderError::PriceZero));

    let no_lot = Instrument {
        lot_size: 0,
        ..row(Exchange::Nfo, "NIFTY28JUL2623500CE")
    };
    let error = validate(&ticket(no_lot, 1, "10", Product::CarryForward)).unwrap_err();
    assert_eq!(error, OrderError::NoLotSize("NIFTY28JUL2623500CE".into()));
}

#[test]
fn exchange_rejections() {
    let good = validate(&ticket(
        row(Exchange::Nse, "RELIANCE-EQ"),
        2,
        "2945.5",
        Product::Intraday,
    ))
    .unwrap();
    let check = |change: fn(&mut PlaceOrderBody), expected: &str| {
        let mut body = good.clone();
        change(&mut body);
        let reason = rejection_reason(sample(), &body).unwrap_or_default();
        assert!(
            reason.contains(expected),
            "expected {expected:?}, got {reason:?}"
        );
    };
    check(
        |b| b.symboltoken = "999999999".into(),
        "Symbol token 999999999 not found on NSE",
    );
    check(|b| b.exchange = "NYSE".into(), "Unknown exchange");
    check(
        |b| b.tradingsymbol = "SBIN-EQ".into(),
        "does not match token 2885",
    );
    check(|b| b.price = "2945.55".into(), "2945.50 or 2945.60");
    check(|b| b.price = "abc".into(), "price \"abc\" is not valid");
    check(|b| b.quantity = "1.5".into(), "not a whole number");
    check(|b| b.quantity = "0".into(), "at least 1");
    check(|b| b.ordertype = "LIMITED".into(), "Unknown order type");
    check(
        |b| b.transactiontype = "HOLD".into(),
        "Unknown transaction type",
    );
    check(|b| b.producttype = "NRML".into(), "Unknown product type");
    check(|b| b.variety = "".into(), "Unknown order variety");
    check(|b| b.duration = "GTC".into(), "Unknown duration");

    let mut market = good.clone();
    market.ordertype = "MARKET".into();
    market.price = "0".into();
    assert_eq!(rejection_reason(sample(), &market), None);

    let mut stop = good.clone();
    stop.ordertype = "STOPLOSS_LIMIT".into();
    stop.triggerprice = "2940.05".into();
    assert!(
        rejection_reason(sample(), &stop)
            .unwrap()
            .contains("2940.00 or 2940.10")
    );
}

#[test]
fn fat_finger_quantity_is_refused_above_the_freeze_limit() {
    let reliance = row(Exchange::Nse, "RELIANCE-EQ");
    assert_eq!(reliance.freeze_qty, Some(67662));

    let error = validate(&ticket(
        reliance.clone(),
        10_000_000,
        "2945.5",
        Product::Delivery,
    ))
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "10000000 RELIANCE-EQ is above the exchange's freeze limit of 67662 in one order; \
         split it into orders of at most 67662."
    );
    let at_limit = validate(&ticket(reliance, 67662, "2945.5", Product::Delivery)).unwrap();
    assert_eq!(at_limit.quantity, "67662");

    // The sandbox rejects what the ticket would have refused.
    let mut body = at_limit.clone();
    body.quantity = "67663".into();
    let reason = rejection_reason(sample(), &body).unwrap();
    assert!(reason.contains("freeze limit of 67662"), "{reason}");
}

#[test]
fn freeze_advice_is_in_whole_lots_and_an_unknown_limit_refuses_nothing() {
    let option = Instrument {
        freeze_qty: Some(1800),
        ..row(Exchange::Nfo, "NIFTY28JUL2623500CE")
    };
    // 28 lots of 65 are 1820 units, over 1800; the largest whole-lot order is 27 lots, 1755.
    let error = validate(&ticket(option.clone(), 28, "10", Product::CarryForward)).unwrap_err();
    assert!(error.to_string().ends_with("at most 1755."), "{error}");
    assert_eq!(
        validate(&ticket(option, 27, "10", Product::CarryForward))
            .unwrap()
            .quantity,
        "1755"
    );

    let unknown = row(Exchange::Nfo, "NIFTY28JUL2623500CE");
    assert_eq!(unknown.freeze_qty, None);
    assert!(validate(&ticket(unknown, 1000, "10", Product::CarryForward)).is_ok());
}
