//! Every SmartAPI reply fixture decodes to the right outcome, and no body makes `decode` panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use halo_core::orders::{OrderStatus, find_by_tag};
use halo_core::smartapi::wire::{
    LtpData, OrderBookRow, PlaceOrderData, Profile, TokenSet, error_envelope, gateway_error,
    ok_envelope,
};
use halo_core::smartapi::{ApiError, HttpResponse, decode};
use serde_json::{Value, json};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/smartapi/");

fn reply(name: &str) -> HttpResponse {
    let path = format!("{FIXTURES}{name}");
    let body = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let content_type = if name.ends_with(".html") {
        "text/html"
    } else {
        "application/json"
    };
    HttpResponse {
        status: 200,
        content_type: Some(content_type.into()),
        body,
    }
}

fn body(text: &str) -> HttpResponse {
    HttpResponse {
        status: 200,
        content_type: Some("application/json".into()),
        body: text.into(),
    }
}

fn angel_error(name: &str) -> (String, String, String) {
    match decode::<Value>(&reply(name)) {
        Err(error @ ApiError::Angel { .. }) => {
            let shown = error.to_string();
            let ApiError::Angel { code, message } = error else {
                unreachable!()
            };
            (code, message, shown)
        }
        other => panic!("{name}: expected an Angel error, got {other:?}"),
    }
}

#[test]
fn login_ok_gives_the_three_tokens() {
    let tokens: TokenSet = decode(&reply("login_ok.json")).unwrap();
    assert_eq!(
        tokens.jwt_token.as_str(),
        "eyJhbGciOiJIUzUxMiJ9.eyJ1c2VybmFtZSI6IloxMjM0NSIsInVzZXJ0eXBlIjoiVVNFUiJ9.fake-signature"
    );
    assert_eq!(
        tokens.refresh_token.as_str(),
        "eyJhbGciOiJIUzUxMiJ9.refresh.fake"
    );
    assert_eq!(tokens.feed_token.as_str(), "eyJhbGciOiJIUzUxMiJ9.feed.fake");
}

#[test]
fn login_ab1007_points_at_client_code_and_mpin() {
    let (code, message, shown) = angel_error("login_ab1007.json");
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("AB1007", "Login Id or password is invalid")
    );
    assert!(
        shown.contains("AB1007: Login Id or password is invalid"),
        "{shown}"
    );
    assert!(
        shown.contains("client code") && shown.contains("MPIN"),
        "{shown}"
    );
}

#[test]
fn login_ab1050_points_at_the_totp_secret_and_clock() {
    let (code, message, shown) = angel_error("login_ab1050.json");
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("AB1050", "Invalid totp")
    );
    assert!(
        shown.contains("TOTP secret") && shown.contains("clock"),
        "{shown}"
    );
    let error = decode::<TokenSet>(&reply("login_ab1050.json")).unwrap_err();
    assert!(!error.session_expired());
    assert!(!error.outcome_unknown());
}

#[test]
fn string_booleans_and_string_null_are_an_error_envelope() {
    let (code, message, shown) = angel_error("login_string_booleans.json");
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("AB1000", "Invalid Email Or Password")
    );
    assert!(shown.contains("MPIN, not an e-mail"), "{shown}");
}

#[test]
fn gateway_envelopes_are_read_like_normal_ones() {
    let (code, message, shown) = angel_error("gateway_ab1006.json");
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("AB1006", "Client Is Block For Trading")
    );
    assert!(shown.contains("contact Angel One"), "{shown}");

    let (code, message, shown) = angel_error("gateway_ag8001.json");
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("AG8001", "Invalid Token")
    );
    assert!(shown.contains("log in again"), "{shown}");
    let error = decode::<Value>(&reply("gateway_ag8001.json")).unwrap_err();
    assert!(error.session_expired());
    // A gateway rejection on a 401 reads the same as on a 200.
    let mut unauthorised = reply("gateway_ag8001.json");
    unauthorised.status = 401;
    assert!(
        decode::<Value>(&unauthorised)
            .unwrap_err()
            .session_expired()
    );
}

#[test]
fn case_a2_all_three_shapes_decode_with_one_decoder() {
    let shapes = [
        json!({"status": false, "message": "Login Id or password is invalid",
               "errorcode": "AB1007", "data": null}),
        json!({"success": false, "message": "Client Is Block For Trading",
               "errorCode": "AB1006", "data": ""}),
        json!({"status": "false", "message": "x", "errorcode": "AB1007", "data": "null"}),
    ];
    let codes: Vec<Option<String>> = shapes
        .iter()
        .map(|shape| {
            decode::<TokenSet>(&body(&shape.to_string()))
                .unwrap_err()
                .code()
                .map(str::to_string)
        })
        .collect();
    assert_eq!(
        codes,
        [
            Some("AB1007".into()),
            Some("AB1006".into()),
            Some("AB1007".into())
        ]
    );
}

#[test]
fn profile_ok() {
    let profile: Profile = decode(&reply("profile_ok.json")).unwrap();
    assert_eq!(profile.clientcode, "Z12345");
    assert_eq!(profile.name, "TEST USER");
    assert_eq!(
        profile.exchanges,
        ["NSE", "BSE", "NFO", "BFO", "MCX", "CDS"]
    );
    assert_eq!(profile.products, ["DELIVERY", "INTRADAY", "MARGIN"]);
    assert_eq!(profile.brokerid, "B2C");
}

#[test]
fn ltp_ok() {
    let ltp: LtpData = decode(&reply("ltp_ok.json")).unwrap();
    assert_eq!(
        (ltp.exchange.as_str(), ltp.tradingsymbol.as_str()),
        ("NSE", "RELIANCE-EQ")
    );
    assert_eq!(ltp.symboltoken, "2885");
    assert_eq!(
        (ltp.ltp, ltp.open, ltp.high, ltp.low, ltp.close),
        (2945.5, 2931.0, 2952.4, 2925.15, 2928.6)
    );
}

#[test]
fn place_order_ok() {
    let placed: PlaceOrderData = decode(&reply("place_order_ok.json")).unwrap();
    assert_eq!(placed.script, "RELIANCE-EQ");
    assert_eq!(placed.orderid, "261203000000123");
    assert_eq!(placed.uniqueorderid, "7d0a6a3e-2f5b-4d6e-9c1a-3b2f8e9d4c11");
}

#[test]
fn place_order_ab4008_names_the_tag_limit() {
    let (code, message, shown) = angel_error("place_order_ab4008.json");
    assert_eq!(code, "AB4008");
    assert_eq!(message, "ordertag length should be less than 20 characters");
    assert!(shown.contains("shorter than 20"), "{shown}");
}

#[test]
fn order_book_rows_with_lenient_numbers() {
    let rows: Vec<OrderBookRow> = decode::<Option<Vec<OrderBookRow>>>(&reply("order_book.json"))
        .unwrap()
        .unwrap();
    assert_eq!(rows.len(), 3);

    let open = &rows[0];
    assert_eq!(
        (open.orderid.as_str(), open.ordertag.as_str()),
        ("261203000000123", "halo-7f3k2m9q")
    );
    assert_eq!(
        (open.price, open.quantity, open.averageprice),
        (2945.5, 1, 0.0)
    );
    assert_eq!(OrderStatus::of(open), OrderStatus::Open);

    let complete = &rows[1];
    assert_eq!((complete.averageprice, complete.filledshares), (2944.9, 1));
    assert_eq!(OrderStatus::of(complete), OrderStatus::Complete);

    let rejected = &rows[2];
    assert_eq!(
        (rejected.quantity, rejected.lotsize, rejected.price),
        (65, 65, 112.35)
    );
    match OrderStatus::of(rejected) {
        OrderStatus::Rejected {
            reason,
            exchange_closed,
        } => {
            assert!(reason.starts_with("Your order has been rejected due to Insufficient Funds"));
            assert!(!exchange_closed);
        }
        other => panic!("{other:?}"),
    }

    let found = find_by_tag(&rows, "halo-9d5w6h3j").unwrap();
    assert_eq!(found.uniqueorderid, "4e2d1c0b-9a8f-4e7d-b6c5-a4b3c2d1e0f9");
}

#[test]
fn empty_books_and_no_data_are_none() {
    let book: Option<Vec<OrderBookRow>> = decode(&reply("order_book_empty.json")).unwrap();
    assert_eq!(book, None);
    let candles: Option<Vec<Value>> = decode(&reply("candles_no_data.json")).unwrap();
    assert_eq!(candles, None);
    // A plain `Vec` cannot be null: that is a shape error, not a panic or an empty book.
    let error = decode::<Vec<OrderBookRow>>(&reply("order_book_empty.json")).unwrap_err();
    assert!(matches!(error, ApiError::Malformed(_)), "{error:?}");
}

#[test]
fn rms_ok_reads_as_plain_json() {
    let rms: Value = decode(&reply("rms_ok.json")).unwrap();
    assert_eq!(rms["net"], "9999.00");
    assert_eq!(rms["availablecash"], "9999.00");
}

#[test]
fn case_a6_rate_limit_text_is_not_a_crash_and_says_not_placed() {
    let error = decode::<PlaceOrderData>(&reply("rate_limit.txt")).unwrap_err();
    assert_eq!(error, ApiError::RateLimited);
    let shown = error.to_string();
    assert!(
        shown.contains("rate limit") && shown.contains("NOT placed"),
        "{shown}"
    );
    assert!(!error.outcome_unknown());
}

#[test]
fn case_b16_firewall_page_shows_the_support_id_on_200_and_403() {
    for status in [200, 403] {
        let mut page = reply("waf_rejected.html");
        page.status = status;
        let error = decode::<TokenSet>(&page).unwrap_err();
        assert_eq!(
            error,
            ApiError::Blocked {
                support_id: Some("1234567890123456789".into())
            }
        );
        let shown = error.to_string();
        assert!(shown.contains("support ID 1234567890123456789"), "{shown}");
        assert!(shown.contains("static IP"), "{shown}");
    }
    // Declared as JSON or not, the page is recognised before any JSON parsing.
    let mut mislabelled = reply("waf_rejected.html");
    mislabelled.content_type = None;
    assert!(matches!(
        decode::<Value>(&mislabelled),
        Err(ApiError::Blocked { .. })
    ));
}

#[test]
fn case_a8_empty_body_means_outcome_unknown() {
    let error = decode::<PlaceOrderData>(&reply("empty_body.txt")).unwrap_err();
    assert_eq!(error, ApiError::EmptyBody);
    assert!(error.outcome_unknown());
    assert!(error.to_string().contains("check the order book"));
}

#[test]
fn case_a7_reply_without_status_and_ag7002() {
    let error =
        decode::<PlaceOrderData>(&body(r#"{"message":"Access denied","data":null}"#)).unwrap_err();
    assert!(matches!(&error, ApiError::Malformed(words) if words.contains("Access denied")));
    assert!(error.outcome_unknown());

    let ag7002 = error_envelope("AG7002", "Access denied: Unregistered IP address.").to_string();
    let shown = decode::<PlaceOrderData>(&body(&ag7002))
        .unwrap_err()
        .to_string();
    assert!(
        shown.contains("AG7002: Access denied: Unregistered IP address."),
        "{shown}"
    );
    assert!(
        shown.contains("static IP registered for this API key"),
        "{shown}"
    );
}

#[test]
fn errors_never_quote_tokens_from_the_body() {
    // Wrong target type for a login reply: the message must not echo the JWT.
    let error = decode::<Vec<String>>(&reply("login_ok.json")).unwrap_err();
    assert!(matches!(error, ApiError::Malformed(_)));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("eyJ"), "{shown}");

    let token_as_number = r#"{"status":true,"data":{"jwtToken":"eyJsecret","refreshToken":5}}"#;
    let shown = decode::<TokenSet>(&body(token_as_number))
        .unwrap_err()
        .to_string();
    assert!(!shown.contains("eyJsecret"), "{shown}");
}

/// Whether an error is the one a body should give.
type Expect = fn(&ApiError) -> bool;

#[test]
fn odd_bodies_are_errors_never_panics() {
    let deep_nesting = "[".repeat(10_000);
    let odd: Vec<(&str, Expect)> = vec![
        ("", |e| *e == ApiError::EmptyBody),
        ("   \n\t", |e| *e == ApiError::EmptyBody),
        ("null", |e| matches!(e, ApiError::Malformed(_))),
        ("[]", |e| matches!(e, ApiError::Malformed(_))),
        ("{}", |e| matches!(e, ApiError::Malformed(_))),
        ("42", |e| matches!(e, ApiError::Malformed(_))),
        ("\"SUCCESS\"", |e| matches!(e, ApiError::Malformed(_))),
        ("<html><body>502 Bad Gateway</body></html>", |e| {
            *e == ApiError::NotJson { status: 200 }
        }),
        ("Service Unavailable", |e| {
            *e == ApiError::NotJson { status: 200 }
        }),
        (r#"{"status":true,"message":"SUCC"#, |e| {
            *e == ApiError::NotJson { status: 200 }
        }),
        (r#"{"status":"#, |e| *e == ApiError::NotJson { status: 200 }),
        (r#"{"status":5,"data":{}}"#, |e| {
            matches!(e, ApiError::Malformed(_))
        }),
        (r#"{"status":null}"#, |e| {
            matches!(e, ApiError::Malformed(_))
        }),
        (r#"{"status":true,"data":[1,2]}"#, |e| {
            matches!(e, ApiError::Malformed(_))
        }),
        (r#"{"status":false}"#, |e| {
            matches!(e, ApiError::Angel { .. })
        }),
        (r#"{"success":"FALSE","errorCode":8001}"#, |e| {
            e.code() == Some("8001")
        }),
        ("\u{0}\u{1}\u{fffd}", |e| {
            *e == ApiError::NotJson { status: 200 }
        }),
        ("Request Rejected", |e| {
            *e == ApiError::Blocked { support_id: None }
        }),
        (&deep_nesting, |e| *e == ApiError::NotJson { status: 200 }),
    ];
    for (text, expected) in odd {
        let outcome = std::panic::catch_unwind(|| decode::<TokenSet>(&body(text)));
        let error = outcome
            .unwrap_or_else(|_| panic!("decode panicked on {text:?}"))
            .unwrap_err();
        assert!(
            expected(&error),
            "{:?} gave {error:?}",
            text.get(..40).unwrap_or(text)
        );
        assert!(!error.to_string().is_empty());
    }
}

#[test]
fn truncated_fixtures_never_panic() {
    for name in [
        "login_ok.json",
        "order_book.json",
        "profile_ok.json",
        "waf_rejected.html",
    ] {
        let full = reply(name).body;
        for end in 0..full.len() {
            let Some(prefix) = full.get(..end) else {
                continue;
            };
            let outcome =
                std::panic::catch_unwind(|| decode::<Option<Vec<OrderBookRow>>>(&body(prefix)));
            assert!(outcome.is_ok(), "{name} cut at {end} panicked");
        }
    }
}

#[test]
fn rate_limit_status_429_without_the_text() {
    let limited = HttpResponse {
        status: 429,
        content_type: None,
        body: "Too Many Requests".into(),
    };
    assert_eq!(
        decode::<Value>(&limited).unwrap_err(),
        ApiError::RateLimited
    );
}

#[test]
fn envelope_builders_decode_back() {
    let ok = body(&ok_envelope(serde_json::json!({"orderid":"1","uniqueorderid":"u"})).to_string());
    assert_eq!(decode::<PlaceOrderData>(&ok).unwrap().uniqueorderid, "u");

    let refused = body(&error_envelope("AB1050", "Invalid totp").to_string());
    assert_eq!(
        decode::<TokenSet>(&refused).unwrap_err().code(),
        Some("AB1050")
    );

    let gateway = body(&gateway_error("AG8001", "Invalid Token").to_string());
    assert!(decode::<TokenSet>(&gateway).unwrap_err().session_expired());
}
