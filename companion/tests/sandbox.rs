//! `halo sandbox` end to end: the real binary on a free port, spoken to over real HTTP with
//! halo-core's own request builders, as the extension and the companion will speak to Angel.

// Test code: a failed unwrap is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{Sandbox, scratch_file, send_json};
use halo_core::smartapi::wire::PlaceOrderBody;
use halo_core::smartapi::{self, Endpoint, HttpRequest, HttpResponse};
use halo_core::totp::{self, TotpParams, TotpSecret};
use serde_json::{Value, json};

/// A made-up account; the secret is RFC 6238's test key.
const CLIENT_CODE: &str = "Z999999";
const MPIN: &str = "1234";
const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const API_KEY: &str = "made-up-api-key";

/// Rows in tests/fixtures/instruments/scrip_master_sample.json (its README says so).
const SAMPLE_MASTER_ROWS: usize = 9545;

fn accounts_json() -> String {
    json!([
        { "clientcode": CLIENT_CODE, "mpin": MPIN, "totp_secret": SECRET,
          "api_key": API_KEY, "name": "Test Trader" },
        { "clientcode": "Y888888", "mpin": "4321", "totp_secret": "JBSWY3DPEHPK3PXP",
          "api_key": "other-made-up-key", "name": "Other Trader" }
    ])
    .to_string()
}

/// Writes these accounts to a scratch file and gives the command that serves them.
fn halo_sandbox(test: &str, accounts: &str, extra: &[&str]) -> Command {
    let accounts_path = scratch_file(&format!("sandbox-{test}-accounts.json"));
    std::fs::write(&accounts_path, accounts).unwrap();
    Sandbox::command(Some(&accounts_path), extra)
}

/// Starts the sandbox and waits for its ready line. Its logs go to a file named in failures.
fn start(test: &str, extra: &[&str]) -> Sandbox {
    let log = scratch_file(&format!("sandbox-{test}-stderr.log"));
    Sandbox::spawn(halo_sandbox(test, &accounts_json(), extra), Some(log))
}

/// Sends a halo-core request and hands back what the transport saw, plus the headers.
async fn send(request: &HttpRequest) -> (HttpResponse, reqwest::header::HeaderMap) {
    common::try_send(request).await.expect("an answer")
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn current_code(secret: &str) -> String {
    let secret = TotpSecret::parse(secret).unwrap();
    totp::code_at(&secret, &TotpParams::default(), now_secs())
        .unwrap()
        .code
}

/// A six-digit code that is none of the codes valid from two steps ago to two steps ahead, so
/// it stays wrong whatever step boundary the test straddles.
fn wrong_code(secret: &str) -> String {
    let secret = TotpSecret::parse(secret).unwrap();
    let now = now_secs();
    let near: Vec<String> = (0..5)
        .map(|step| totp::code_at(&secret, &TotpParams::default(), now - 60 + step * 30))
        .map(|code| code.unwrap().code)
        .collect();
    (0..10u32)
        .map(|n| format!("{n:06}"))
        .find(|code| !near.contains(code))
        .unwrap()
}

/// Logs the test account in and returns its JWT.
async fn log_in(sandbox: &Sandbox) -> String {
    let code = current_code(SECRET);
    let request = smartapi::login(&sandbox.endpoint, API_KEY, CLIENT_CODE, MPIN, &code);
    let reply = send_json(&request).await;
    assert_eq!(reply["status"], json!(true), "{reply}");
    reply["data"]["jwtToken"].as_str().unwrap().to_owned()
}

fn reliance_limit(price: &str, tag: &str) -> PlaceOrderBody {
    PlaceOrderBody {
        variety: "NORMAL".into(),
        tradingsymbol: "RELIANCE-EQ".into(),
        symboltoken: "2885".into(),
        transactiontype: "BUY".into(),
        exchange: "NSE".into(),
        ordertype: "LIMIT".into(),
        producttype: "DELIVERY".into(),
        duration: "DAY".into(),
        price: price.into(),
        triggerprice: "0".into(),
        squareoff: "0".into(),
        stoploss: "0".into(),
        quantity: "1".into(),
        ordertag: tag.into(),
    }
}

async fn book_row(sandbox: &Sandbox, jwt: &str, orderid: &str) -> Value {
    let book = send_json(&smartapi::order_book(&sandbox.endpoint, API_KEY, jwt)).await;
    let rows = book["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no rows in {book}"));
    rows.iter()
        .find(|row| row["orderid"] == json!(orderid))
        .unwrap()
        .clone()
}

#[tokio::test]
async fn logs_in_with_the_current_totp_and_sends_a_date_header() {
    let sandbox = start("login-ok", &[]);
    let code = current_code(SECRET);
    let request = smartapi::login(&sandbox.endpoint, API_KEY, CLIENT_CODE, MPIN, &code);

    let (response, headers) = send(&request).await;
    let reply: Value = serde_json::from_str(&response.body).unwrap();

    assert_eq!(response.status, 200);
    assert_eq!(
        (&reply["status"], &reply["message"]),
        (&json!(true), &json!("SUCCESS"))
    );
    for (field, prefix) in [
        ("jwtToken", "sandbox-jwt-"),
        ("refreshToken", "sandbox-refresh-"),
        ("feedToken", "sandbox-feed-"),
    ] {
        let token = reply["data"][field].as_str().unwrap();
        assert!(
            token.starts_with(prefix) && token.len() == prefix.len() + 32,
            "{field}"
        );
    }
    // The extension measures clock skew from this header (case T9).
    let date = headers
        .get(reqwest::header::DATE)
        .unwrap()
        .to_str()
        .unwrap();
    let local_ms = now_secs() as f64 * 1000.0;
    let offset = totp::clock_offset_secs(local_ms, date).unwrap();
    assert!(offset.abs() <= 2, "Date {date:?} is {offset} s off");

    let jwt = reply["data"]["jwtToken"].as_str().unwrap();
    let profile = send_json(&smartapi::profile(&sandbox.endpoint, API_KEY, jwt)).await;
    assert_eq!(profile["data"]["clientcode"], json!(CLIENT_CODE));
    assert_eq!(profile["data"]["name"], json!("Test Trader"));
}

#[tokio::test]
async fn refuses_a_wrong_mpin_with_ab1007_and_a_wrong_code_with_ab1050() {
    let sandbox = start("login-refused", &[]);
    let code = current_code(SECRET);

    let wrong_mpin = smartapi::login(&sandbox.endpoint, API_KEY, CLIENT_CODE, "9999", &code);
    let (response, _) = send(&wrong_mpin).await;
    assert_eq!(response.status, 200);
    let reply: Value = serde_json::from_str(&response.body).unwrap();
    let expected = json!({"status": false, "message": "Login Id or password is invalid",
                          "errorcode": "AB1007", "data": null});
    assert_eq!(reply, expected);

    let bad_code = wrong_code(SECRET);
    let wrong_totp = smartapi::login(&sandbox.endpoint, API_KEY, CLIENT_CODE, MPIN, &bad_code);
    let reply = send_json(&wrong_totp).await;
    let expected =
        json!({"status": false, "message": "Invalid totp", "errorcode": "AB1050", "data": null});
    assert_eq!(reply, expected);

    // Another account's code is wrong for this one too.
    let other = current_code("JBSWY3DPEHPK3PXP");
    if other != code {
        let request = smartapi::login(&sandbox.endpoint, API_KEY, CLIENT_CODE, MPIN, &other);
        assert_eq!(send_json(&request).await["errorcode"], json!("AB1050"));
    }
}

#[tokio::test]
async fn gateway_refuses_missing_tokens_and_foreign_api_keys() {
    let sandbox = start("gateway", &[]);

    let no_token = smartapi::order_book(&sandbox.endpoint, API_KEY, "");
    let expected = json!({"success": false, "message": "Invalid Token", "errorCode": "AG8001",
                          "data": ""});
    assert_eq!(send_json(&no_token).await, expected);
    let forged = smartapi::profile(&sandbox.endpoint, API_KEY, "sandbox-jwt-0000");
    assert_eq!(send_json(&forged).await, expected);

    let jwt = log_in(&sandbox).await;
    let other_key = smartapi::profile(&sandbox.endpoint, "other-made-up-key", &jwt);
    let expected = json!({"success": false, "message": "Invalid API Key", "errorCode": "AG8004",
                          "data": ""});
    assert_eq!(send_json(&other_key).await, expected);

    let code = current_code(SECRET);
    let unknown_key = smartapi::login(&sandbox.endpoint, "no-such-key", CLIENT_CODE, MPIN, &code);
    assert_eq!(send_json(&unknown_key).await["errorCode"], json!("AG8004"));

    // After logout the token is dead.
    let logout = smartapi::logout(&sandbox.endpoint, API_KEY, &jwt, CLIENT_CODE);
    assert_eq!(send_json(&logout).await["status"], json!(true));
    let after = smartapi::profile(&sandbox.endpoint, API_KEY, &jwt);
    assert_eq!(send_json(&after).await["errorCode"], json!("AG8001"));
}

#[tokio::test]
async fn orders_fill_or_reject_and_are_listed_as_sent() {
    let sandbox = start("orders", &["--fill-after-ms", "3000"]);
    let jwt = log_in(&sandbox).await;

    // An empty book is `data: null`, as Angel answers it.
    let empty = send_json(&smartapi::order_book(&sandbox.endpoint, API_KEY, &jwt)).await;
    assert_eq!(empty["status"], json!(true));
    assert_eq!(empty["data"], Value::Null);

    // RELIANCE-EQ's tick in the sample master is 10 paise: 2945.50 is on it.
    let valid = smartapi::place_order(
        &sandbox.endpoint,
        API_KEY,
        &jwt,
        &reliance_limit("2945.50", "halo-valid"),
    );
    let placed = send_json(&valid).await;
    assert_eq!(placed["status"], json!(true), "{placed}");
    let data = &placed["data"];
    assert_eq!(data["script"], json!("RELIANCE-EQ"));
    let orderid = data["orderid"].as_str().unwrap();
    assert!(
        orderid.len() == 15 && orderid.bytes().all(|b| b.is_ascii_digit()),
        "{orderid}"
    );
    let unique = data["uniqueorderid"].as_str().unwrap();
    assert_eq!(unique.len(), 36);
    assert_eq!(&unique[14..15], "4", "UUID version 4: {unique}");

    let row = book_row(&sandbox, &jwt, orderid).await;
    assert_eq!(
        (&row["status"], &row["orderstatus"]),
        (&json!("open"), &json!("open"))
    );
    assert_eq!(row["ordertag"], json!("halo-valid"));
    assert_eq!(row["price"], json!("2945.50"));

    let deadline = Instant::now() + Duration::from_secs(10);
    let filled = loop {
        let row = book_row(&sandbox, &jwt, orderid).await;
        if row["status"] != json!("open") || Instant::now() > deadline {
            break row;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(filled["status"], json!("complete"), "{filled}");
    assert_eq!(
        (&filled["filledshares"], &filled["averageprice"]),
        (&json!("1"), &json!("2945.50"))
    );

    let details = smartapi::order_details(&sandbox.endpoint, API_KEY, &jwt, unique);
    assert_eq!(send_json(&details).await["data"]["orderid"], json!(orderid));

    // 2945.55 is off the 10-paise tick: accepted, then rejected with the reason in `text`.
    let off_tick = smartapi::place_order(
        &sandbox.endpoint,
        API_KEY,
        &jwt,
        &reliance_limit("2945.55", "halo-off-tick"),
    );
    let placed = send_json(&off_tick).await;
    assert_eq!(placed["status"], json!(true), "{placed}");
    let rejected_id = placed["data"]["orderid"].as_str().unwrap().to_owned();
    let row = book_row(&sandbox, &jwt, &rejected_id).await;
    assert_eq!(row["status"], json!("rejected"));
    let reason = row["text"].as_str().unwrap();
    // The reason names the 10-paise tick and the valid prices either side.
    assert!(
        reason.contains("0.10") && reason.contains("2945.50") && reason.contains("2945.60"),
        "{reason}"
    );

    let log: Value = reqwest::get(format!("{}/sandbox/orders", sandbox.root))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sent = |request: &HttpRequest| -> Value {
        serde_json::from_str(request.body.as_deref().unwrap()).unwrap()
    };
    let expected = json!([
        { "request": sent(&valid), "clientcode": CLIENT_CODE, "orderid": orderid,
          "uniqueorderid": unique, "status": "complete", "text": "" },
        { "request": sent(&off_tick), "clientcode": CLIENT_CODE, "orderid": rejected_id,
          "uniqueorderid": placed["data"]["uniqueorderid"], "status": "rejected", "text": reason },
    ]);
    assert_eq!(log, expected);
}

#[tokio::test]
async fn an_order_without_a_token_is_refused_but_recorded() {
    let sandbox = start("order-no-token", &[]);

    let body = json!({"variety": "NORMAL", "tradingsymbol": "SBIN-EQ", "symboltoken": "3045",
                      "quantity": 1});
    let response = reqwest::Client::new()
        .post(format!(
            "{}/rest/secure/angelbroking/order/v1/placeOrder",
            sandbox.root
        ))
        .header("X-PrivateKey", API_KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    let reply: Value = response.json().await.unwrap();
    assert_eq!(reply["errorCode"], json!("AG8001"));

    let log: Value = reqwest::get(format!("{}/sandbox/orders", sandbox.root))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expected = json!([{ "request": body, "clientcode": null, "orderid": null,
                            "uniqueorderid": null, "status": "refused",
                            "text": "AG8001 Invalid Token" }]);
    assert_eq!(log, expected);
}

#[tokio::test]
async fn serves_the_instrument_master_at_angels_path() {
    let sandbox = start("master", &[]);

    let url = Endpoint::parse(&sandbox.root)
        .unwrap()
        .instrument_master_url();
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200);
    let rows: Vec<Value> = response.json().await.unwrap();
    assert_eq!(rows.len(), SAMPLE_MASTER_ROWS);
    let reliance = rows
        .iter()
        .find(|row| row["symbol"] == json!("RELIANCE-EQ"))
        .unwrap();
    assert_eq!(
        (&reliance["token"], &reliance["tick_size"]),
        (&json!("2885"), &json!("10.000000"))
    );
}

#[tokio::test]
async fn answers_unknown_routes_with_a_json_404() {
    let sandbox = start("not-found", &[]);

    let response = reqwest::get(format!("{}/rest/secure/angelbroking/nothing", sandbox.root))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let reply: Value = response.json().await.unwrap();
    assert_eq!(
        (&reply["success"], &reply["errorCode"]),
        (&json!(false), &json!("SANDBOX_NOT_FOUND"))
    );
}

#[test]
fn refuses_a_bad_accounts_file_without_echoing_secrets() {
    let bad = json!([{ "clientcode": "Z999999", "mpin": "12x4", "totp_secret": SECRET,
                       "api_key": API_KEY, "name": "Test Trader" }])
    .to_string();
    let output = halo_sandbox("bad-accounts", &bad, &[]).output().unwrap();

    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "no ready line for a refused file");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("account 1 (Z999999) in the accounts file: mpin must be exactly 4 digits"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("12x4") && !stderr.contains(SECRET) && !stderr.contains(API_KEY),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn stops_cleanly_on_sigterm() {
    let mut sandbox = start("sigterm", &[]);

    let status = Command::new("kill")
        .args(["-TERM", &sandbox.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());

    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = sandbox.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
}

#[tokio::test]
async fn refreshes_tokens_and_retires_the_old_jwt() {
    let sandbox = start("refresh", &[]);
    let code = current_code(SECRET);
    let login = smartapi::login(&sandbox.endpoint, API_KEY, CLIENT_CODE, MPIN, &code);
    let tokens = send_json(&login).await["data"].clone();
    let jwt = tokens["jwtToken"].as_str().unwrap();
    let refresh = tokens["refreshToken"].as_str().unwrap();

    let wrong = smartapi::generate_tokens(&sandbox.endpoint, API_KEY, jwt, "sandbox-refresh-00");
    let expected = json!({"status": false, "message": "Invalid Refresh Token",
                          "errorcode": "AB8050", "data": null});
    assert_eq!(send_json(&wrong).await, expected);

    let right = smartapi::generate_tokens(&sandbox.endpoint, API_KEY, jwt, refresh);
    let renewed = send_json(&right).await;
    let new_jwt = renewed["data"]["jwtToken"].as_str().unwrap();
    assert_ne!(new_jwt, jwt);

    let old = smartapi::profile(&sandbox.endpoint, API_KEY, jwt);
    assert_eq!(send_json(&old).await["errorCode"], json!("AG8001"));
    let new = smartapi::profile(&sandbox.endpoint, API_KEY, new_jwt);
    assert_eq!(
        send_json(&new).await["data"]["clientcode"],
        json!(CLIENT_CODE)
    );
}

#[tokio::test]
async fn quotes_a_made_up_ltp_on_the_tick() {
    let sandbox = start("ltp", &[]);
    let jwt = log_in(&sandbox).await;

    let request = smartapi::ltp(
        &sandbox.endpoint,
        API_KEY,
        &jwt,
        "NSE",
        "RELIANCE-EQ",
        "2885",
    );
    let reply = send_json(&request).await;
    let data = &reply["data"];
    assert_eq!(
        (&data["tradingsymbol"], &data["symboltoken"]),
        (&json!("RELIANCE-EQ"), &json!("2885"))
    );
    let paise = (data["ltp"].as_f64().unwrap() * 100.0).round() as u64;
    assert!(
        paise > 0 && paise.is_multiple_of(10),
        "{paise} paise is off RELIANCE-EQ's 10-paise tick"
    );
    assert_eq!(
        send_json(&request).await,
        reply,
        "the made-up price is stable"
    );

    let unknown = smartapi::ltp(
        &sandbox.endpoint,
        API_KEY,
        &jwt,
        "NSE",
        "NOPE-EQ",
        "99999999",
    );
    assert_eq!(send_json(&unknown).await["errorcode"], json!("AB1009"));
}
