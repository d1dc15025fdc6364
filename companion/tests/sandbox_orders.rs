//! The sandbox's order life cycle over real HTTP: partial fills, stop-loss orders waiting for
//! their trigger, modify and cancel, positions, Angel's rejection wording, rate limits answered
//! in plain text, and faults injected through `POST /sandbox/faults`.

// Test code: a failed unwrap is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{Sandbox, scratch_file, send_json};
use halo_core::smartapi::wire::{CancelOrderBody, ModifyOrderBody, PlaceOrderBody};
use halo_core::smartapi::{self, ApiError, HttpRequest, HttpResponse};
use halo_core::totp::{self, TotpParams, TotpSecret};
use serde_json::{Value, json};

/// The built-in demo account (README: all values made up).
const CLIENT_CODE: &str = "DEMO01";
const MPIN: &str = "1234";
const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const API_KEY: &str = "sandbox-api-key";

fn start(test: &str, extra: &[&str]) -> Sandbox {
    let log = scratch_file(&format!("sandbox-orders-{test}-stderr.log"));
    Sandbox::spawn(Sandbox::command(None, extra), Some(log))
}

/// What came back, or `None` when the connection gave no answer at all.
async fn try_send(request: &HttpRequest) -> Option<HttpResponse> {
    common::try_send(request)
        .await
        .map(|(response, _)| response)
}

async fn log_in(sandbox: &Sandbox) -> String {
    let secret = TotpSecret::parse(SECRET).unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = totp::code_at(&secret, &TotpParams::default(), now)
        .unwrap()
        .code;
    let request = smartapi::login(&sandbox.endpoint, API_KEY, CLIENT_CODE, MPIN, &code);
    let reply = send_json(&request).await;
    reply["data"]["jwtToken"].as_str().unwrap().to_owned()
}

fn order(symbol: &str, token: &str, exchange: &str, quantity: &str, price: &str) -> PlaceOrderBody {
    let derivative = exchange == "NFO";
    PlaceOrderBody {
        variety: "NORMAL".into(),
        tradingsymbol: symbol.into(),
        symboltoken: token.into(),
        transactiontype: "BUY".into(),
        exchange: exchange.into(),
        ordertype: "LIMIT".into(),
        producttype: if derivative {
            "CARRYFORWARD"
        } else {
            "DELIVERY"
        }
        .into(),
        duration: "DAY".into(),
        price: price.into(),
        triggerprice: "0".into(),
        squareoff: "0".into(),
        stoploss: "0".into(),
        quantity: quantity.into(),
        ordertag: "halo-test".into(),
    }
}

fn reliance(quantity: &str, price: &str) -> PlaceOrderBody {
    order("RELIANCE-EQ", "2885", "NSE", quantity, price)
}

async fn place(sandbox: &Sandbox, jwt: &str, body: &PlaceOrderBody) -> Value {
    let reply = send_json(&smartapi::place_order(
        &sandbox.endpoint,
        API_KEY,
        jwt,
        body,
    ))
    .await;
    assert_eq!(reply["status"], json!(true), "{reply}");
    reply["data"].clone()
}

async fn details(sandbox: &Sandbox, jwt: &str, unique: &Value) -> Value {
    let request =
        smartapi::order_details(&sandbox.endpoint, API_KEY, jwt, unique.as_str().unwrap());
    send_json(&request).await["data"].clone()
}

/// RELIANCE-EQ's made-up last traded price in paise.
async fn reliance_ltp_paise(sandbox: &Sandbox, jwt: &str) -> u64 {
    let request = smartapi::ltp(
        &sandbox.endpoint,
        API_KEY,
        jwt,
        "NSE",
        "RELIANCE-EQ",
        "2885",
    );
    let ltp = send_json(&request).await["data"]["ltp"].as_f64().unwrap();
    (ltp * 100.0).round() as u64
}

fn rupees(paise: u64) -> String {
    format!("{}.{:02}", paise / 100, paise % 100)
}

#[tokio::test]
async fn an_order_fills_in_part_then_in_full_and_shows_in_positions() {
    let sandbox = start("partial", &["--fill-after-ms", "1600"]);
    let jwt = log_in(&sandbox).await;
    let placed = place(&sandbox, &jwt, &reliance("4", "2945.50")).await;

    let row = details(&sandbox, &jwt, &placed["uniqueorderid"]).await;
    assert_eq!(
        (&row["status"], &row["filledshares"]),
        (&json!("open"), &json!("0"))
    );

    tokio::time::sleep(Duration::from_millis(950)).await;
    let row = details(&sandbox, &jwt, &placed["uniqueorderid"]).await;
    assert_eq!(
        (&row["status"], &row["filledshares"], &row["unfilledshares"]),
        (&json!("open"), &json!("2"), &json!("2")),
        "half filled half-way: {row}"
    );
    assert_eq!(row["averageprice"], json!("2945.50"));

    tokio::time::sleep(Duration::from_millis(900)).await;
    let row = details(&sandbox, &jwt, &placed["uniqueorderid"]).await;
    assert_eq!(
        (&row["status"], &row["filledshares"]),
        (&json!("complete"), &json!("4"))
    );

    let positions = send_json(&smartapi::positions(&sandbox.endpoint, API_KEY, &jwt)).await;
    let rows = positions["data"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{positions}");
    assert_eq!(
        (
            &rows[0]["tradingsymbol"],
            &rows[0]["netqty"],
            &rows[0]["buyavgprice"]
        ),
        (&json!("RELIANCE-EQ"), &json!("4"), &json!("2945.50"))
    );
    assert_eq!(rows[0]["netvalue"], json!("-11782.00"));
}

#[tokio::test]
async fn a_stop_loss_waits_for_its_trigger_and_can_be_modified_then_cancelled() {
    let sandbox = start("stoploss", &["--fill-after-ms", "300"]);
    let jwt = log_in(&sandbox).await;
    // A buy stop-loss above the market waits: the made-up price never moves.
    let trigger = reliance_ltp_paise(&sandbox, &jwt).await + 1_000;
    let mut body = reliance("1", &rupees(trigger + 200));
    body.variety = "STOPLOSS".into();
    body.ordertype = "STOPLOSS_LIMIT".into();
    body.triggerprice = rupees(trigger);
    let placed = place(&sandbox, &jwt, &body).await;

    tokio::time::sleep(Duration::from_millis(500)).await;
    let row = details(&sandbox, &jwt, &placed["uniqueorderid"]).await;
    assert_eq!(row["status"], json!("trigger pending"), "{row}");
    assert_eq!(row["triggerprice"], json!(rupees(trigger)));

    let mut change = ModifyOrderBody {
        variety: "STOPLOSS".into(),
        orderid: placed["orderid"].as_str().unwrap().into(),
        ordertype: "STOPLOSS_LIMIT".into(),
        producttype: "DELIVERY".into(),
        duration: "DAY".into(),
        price: rupees(trigger + 700),
        quantity: "3".into(),
        tradingsymbol: "RELIANCE-EQ".into(),
        symboltoken: "2885".into(),
        exchange: "NSE".into(),
        triggerprice: rupees(trigger + 500),
    };
    let modify = smartapi::modify_order(&sandbox.endpoint, API_KEY, &jwt, &change);
    let reply = send_json(&modify).await;
    assert_eq!(reply["data"]["orderid"], placed["orderid"], "{reply}");
    let row = details(&sandbox, &jwt, &placed["uniqueorderid"]).await;
    assert_eq!(
        (&row["quantity"], &row["price"], &row["triggerprice"]),
        (
            &json!("3"),
            &json!(rupees(trigger + 700)),
            &json!(rupees(trigger + 500))
        )
    );

    // A limit far above the trigger is refused in the exchange's words; nothing changes.
    change.price = rupees(trigger * 2);
    let modify = smartapi::modify_order(&sandbox.endpoint, API_KEY, &jwt, &change);
    let refused = send_json(&modify).await;
    assert_eq!(refused["errorcode"], json!("AB1007"));
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.starts_with("Difference between limit price and trigger price"),
        "{message}"
    );

    let cancel = CancelOrderBody {
        variety: "STOPLOSS".into(),
        orderid: placed["orderid"].as_str().unwrap().into(),
    };
    let request = smartapi::cancel_order(&sandbox.endpoint, API_KEY, &jwt, &cancel);
    assert_eq!(send_json(&request).await["status"], json!(true));
    let row = details(&sandbox, &jwt, &placed["uniqueorderid"]).await;
    assert_eq!(
        (&row["status"], &row["cancelsize"]),
        (&json!("cancelled"), &json!("3"))
    );
    let again = send_json(&request).await;
    assert_eq!(
        again["message"],
        json!("Order is not open for modification")
    );
}

#[tokio::test]
async fn rejections_use_angels_wording() {
    let sandbox = start("rejections", &[]);
    let jwt = log_in(&sandbox).await;
    let reason = |placed: Value| {
        let jwt = jwt.clone();
        let sandbox = &sandbox;
        async move {
            let row = details(sandbox, &jwt, &placed["uniqueorderid"]).await;
            assert_eq!(row["status"], json!("rejected"), "{row}");
            row["text"].as_str().unwrap().to_owned()
        }
    };

    let funds = place(&sandbox, &jwt, &reliance("1000", "2945.50")).await;
    assert_eq!(
        reason(funds).await,
        "Your order has been rejected due to Insufficient Funds. Available funds - Rs. \
         1000000.00 . You require Rs. 2945500.00 funds to execute this order."
    );

    let lots = order("NIFTY28JUL2623500CE", "63915", "NFO", "100", "112.35");
    assert!(
        reason(place(&sandbox, &jwt, &lots).await)
            .await
            .contains("lot size is 65")
    );

    let tick = reliance("1", "2945.55");
    assert!(
        reason(place(&sandbox, &jwt, &tick).await)
            .await
            .contains("steps of ₹0.10")
    );

    let mut range = reliance("1", "2100.00");
    range.variety = "STOPLOSS".into();
    range.ordertype = "STOPLOSS_LIMIT".into();
    range.triggerprice = "2000.00".into();
    let text = reason(place(&sandbox, &jwt, &range).await).await;
    assert!(text.contains("permitted range of ₹60.00"), "{text}");
}

#[tokio::test]
async fn rate_limits_answer_in_plain_text() {
    let sandbox = start("rates", &["--rate-limits"]);
    let jwt = log_in(&sandbox).await;
    let book = smartapi::order_book(&sandbox.endpoint, API_KEY, &jwt);
    let first = try_send(&book).await.unwrap();
    assert_eq!(first.status, 200);
    let second = try_send(&book).await.unwrap();
    assert_eq!(
        second.body,
        "Access denied because of exceeding access rate"
    );
    assert_eq!(
        smartapi::decode::<Value>(&second),
        Err(ApiError::RateLimited)
    );
    tokio::time::sleep(Duration::from_millis(1_050)).await;
    assert_eq!(
        try_send(&book).await.unwrap().status,
        200,
        "a second later it goes again"
    );
}

async fn arm(sandbox: &Sandbox, fault: Value) {
    let url = format!("{}/sandbox/faults", sandbox.root);
    let reply = reqwest::Client::new()
        .post(url)
        .json(&fault)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 200);
}

#[tokio::test]
async fn faults_fail_the_next_requests_to_a_route() {
    let sandbox = start("faults", &[]);
    let jwt = log_in(&sandbox).await;
    let place_request = |tag: &str| {
        let mut body = reliance("1", "2945.50");
        body.ordertag = tag.into();
        smartapi::place_order(&sandbox.endpoint, API_KEY, &jwt, &body)
    };

    // Accepted, then an empty body: the order is in the book under its tag, once.
    arm(&sandbox, json!({ "route": "placeOrder", "kind": "empty" })).await;
    let empty = try_send(&place_request("halo-empty")).await.unwrap();
    assert_eq!((empty.status, empty.body.as_str()), (200, ""));
    assert_eq!(smartapi::decode::<Value>(&empty), Err(ApiError::EmptyBody));
    let book = send_json(&smartapi::order_book(&sandbox.endpoint, API_KEY, &jwt)).await;
    let tagged: Vec<&Value> = book["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["ordertag"] == json!("halo-empty"))
        .collect();
    assert_eq!(tagged.len(), 1, "{book}");

    // HTTP 500 and the firewall page: not carried out. A count of 2 covers both requests.
    arm(
        &sandbox,
        json!({ "route": "placeOrder", "kind": "http500", "count": 2 }),
    )
    .await;
    for _ in 0..2 {
        let failed = try_send(&place_request("halo-500")).await.unwrap();
        assert_eq!(failed.status, 500);
    }
    arm(&sandbox, json!({ "route": "placeOrder", "kind": "html" })).await;
    let html = try_send(&place_request("halo-html")).await.unwrap();
    assert!(html.body.contains("Request Rejected"), "{html:?}");

    // A reset: no answer at all, but the order went through.
    arm(&sandbox, json!({ "route": "placeOrder", "kind": "reset" })).await;
    assert!(try_send(&place_request("halo-reset")).await.is_none());

    // A delay: late, but answered.
    arm(
        &sandbox,
        json!({ "route": "getOrderBook", "kind": "delay", "delay_ms": 700 }),
    )
    .await;
    let started = std::time::Instant::now();
    let book = send_json(&smartapi::order_book(&sandbox.endpoint, API_KEY, &jwt)).await;
    assert!(started.elapsed() >= Duration::from_millis(700));
    let tags: Vec<&str> = book["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["ordertag"].as_str().unwrap())
        .collect();
    assert_eq!(
        tags,
        ["halo-empty", "halo-reset"],
        "500 and html placed nothing"
    );
}

/// The order ids the book holds under `tag`, oldest first.
async fn tagged_ids(sandbox: &Sandbox, jwt: &str, tag: &str) -> Vec<String> {
    let book = send_json(&smartapi::order_book(&sandbox.endpoint, API_KEY, jwt)).await;
    book["data"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|row| row["ordertag"] == json!(tag))
        .map(|row| row["orderid"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn duplicate_and_late_faults_rehearse_an_order_placed_twice_or_late() {
    let sandbox = start("faults-late", &[]);
    let jwt = log_in(&sandbox).await;
    let place_request = |tag: &str| {
        let mut body = reliance("1", "2945.50");
        body.ordertag = tag.into();
        smartapi::place_order(&sandbox.endpoint, API_KEY, &jwt, &body)
    };

    // One request, two orders, as a browser's silent re-send makes: the answer is the second.
    arm(
        &sandbox,
        json!({ "route": "placeOrder", "kind": "duplicate" }),
    )
    .await;
    let answer = send_json(&place_request("halo-twice")).await;
    let ids = tagged_ids(&sandbox, &jwt, "halo-twice").await;
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_ne!(ids[0], ids[1]);
    assert_eq!(answer["data"]["orderid"], json!(ids[1]));

    // delay_after: the order is in the book while its answer is still on its way...
    arm(
        &sandbox,
        json!({ "route": "placeOrder", "kind": "delay_after", "delay_ms": 1500 }),
    )
    .await;
    let request = place_request("halo-answered-late");
    let (answer, in_book_meanwhile) = tokio::join!(try_send(&request), async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        tagged_ids(&sandbox, &jwt, "halo-answered-late").await.len()
    });
    assert_eq!(in_book_meanwhile, 1);
    assert_eq!(answer.unwrap().status, 200);

    // ...while delay waits first: the order is not in the book until it is answered.
    arm(
        &sandbox,
        json!({ "route": "placeOrder", "kind": "delay", "delay_ms": 1500 }),
    )
    .await;
    let request = place_request("halo-placed-late");
    let (answer, in_book_meanwhile) = tokio::join!(try_send(&request), async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        tagged_ids(&sandbox, &jwt, "halo-placed-late").await.len()
    });
    assert_eq!(in_book_meanwhile, 0);
    assert_eq!(answer.unwrap().status, 200);
    assert_eq!(
        tagged_ids(&sandbox, &jwt, "halo-placed-late").await.len(),
        1
    );
}
