//! The sandbox's publisher login, clock offset and session expiry, over real HTTP against the
//! real binary, with halo-core's publisher rules reading the redirect as the extension does.

// Test code: a failed unwrap is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::{Sandbox, scratch_file};
use halo_core::publisher::{self, PublisherError};
use halo_core::smartapi;
use halo_core::totp::{self, TotpParams, TotpSecret};
use serde_json::{Value, json};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const REDIRECT: &str = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/";

fn accounts_json() -> String {
    json!([
        { "clientcode": "P111111", "mpin": "1234", "totp_secret": SECRET,
          "api_key": "publisher-key", "name": "Pub Trader",
          "platform": "SMART_API_M", "redirect_url": REDIRECT },
        { "clientcode": "Q222222", "mpin": "5678", "totp_secret": SECRET,
          "api_key": "no-redirect-key", "name": "Lost Trader", "platform": "SMART_API_M" },
        { "clientcode": "Z999999", "mpin": "1234", "totp_secret": SECRET,
          "api_key": "trading-key", "name": "Direct Trader" }
    ])
    .to_string()
}

fn start(test: &str, extra: &[&str]) -> Sandbox {
    let accounts = scratch_file(&format!("publisher-{test}.json"));
    std::fs::write(&accounts, accounts_json()).unwrap();
    Sandbox::spawn(Sandbox::command(Some(&accounts), extra), None)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn code_at(unix_secs: i64) -> String {
    let secret = TotpSecret::parse(SECRET).unwrap();
    totp::code_at(&secret, &TotpParams::default(), unix_secs as u64)
        .unwrap()
        .code
}

/// Posts the page's form as a person would after opening the login URL.
async fn submit(sandbox: &Sandbox, key: &str, state: &str, fields: [&str; 3]) -> reqwest::Response {
    let [clientcode, pin, totp] = fields;
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("api_key", key)
        .append_pair("state", state)
        .append_pair("clientcode", clientcode)
        .append_pair("pin", pin)
        .append_pair("totp", totp)
        .finish();
    let url = publisher::login_url(&sandbox.endpoint, key, state);
    let action = url.split('?').next().unwrap().to_owned();
    client()
        .post(action)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn publisher_login_redirects_with_tokens_that_work() {
    let sandbox = start("ok", &[]);
    let url = publisher::login_url(&sandbox.endpoint, "publisher-key", "k9x2");
    let page = client().get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"name="state" value="k9x2""#), "{html}");

    let reply = submit(
        &sandbox,
        "publisher-key",
        "k9x2",
        ["p111111", "1234", &code_at(now_secs())],
    )
    .await;
    assert_eq!(reply.status(), 302);
    let redirect = location(&reply);
    assert!(
        redirect.starts_with(&format!("{REDIRECT}?auth_token=sandbox-jwt-")),
        "{redirect}"
    );

    let tokens = publisher::parse_redirect(&redirect, "k9x2", REDIRECT).unwrap();
    assert!(tokens.feed_token.starts_with("sandbox-feed-"));
    assert_eq!(tokens.refresh_token, None);
    let profile = smartapi::profile(&sandbox.endpoint, "publisher-key", &tokens.auth_token);
    let answer: Value = client()
        .get(&profile.url)
        .headers(header_map(&profile.headers))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["data"]["name"], json!("Pub Trader"), "{answer}");
    assert_eq!(answer["data"]["clientcode"], json!("P111111"));

    // Another state in the redirect than the one sent is refused (case A5).
    assert_eq!(
        publisher::parse_redirect(&redirect, "other", REDIRECT),
        Err(PublisherError::StateMismatch)
    );
}

fn header_map(headers: &[(String, String)]) -> reqwest::header::HeaderMap {
    headers
        .iter()
        .map(|(name, value)| {
            (
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn wrong_pin_or_totp_shows_the_page_again_with_the_reason() {
    let sandbox = start("wrong", &[]);
    let now = now_secs();
    let wrong_pin = submit(
        &sandbox,
        "publisher-key",
        "s",
        ["P111111", "9999", &code_at(now)],
    )
    .await;
    assert_eq!(wrong_pin.status(), 200);
    assert!(
        wrong_pin
            .text()
            .await
            .unwrap()
            .contains("Invalid client code or PIN.")
    );

    let stale = code_at(now - 300);
    let wrong_totp = submit(&sandbox, "publisher-key", "s", ["P111111", "1234", &stale]).await;
    assert_eq!(wrong_totp.status(), 200);
    assert!(wrong_totp.text().await.unwrap().contains("Invalid TOTP."));
}

#[tokio::test]
async fn trading_keys_get_403_and_a_missing_redirect_url_lands_on_undefined() {
    let sandbox = start("kinds", &[]);
    for key in ["trading-key", "nobodys-key"] {
        let url = publisher::login_url(&sandbox.endpoint, key, "s");
        assert_eq!(
            client().get(&url).send().await.unwrap().status(),
            403,
            "{key}"
        );
    }

    let reply = submit(
        &sandbox,
        "no-redirect-key",
        "s1",
        ["Q222222", "5678", &code_at(now_secs())],
    )
    .await;
    assert_eq!(reply.status(), 302);
    let redirect = location(&reply);
    assert!(
        redirect.starts_with("/publisher-login/undefined?auth_token="),
        "{redirect}"
    );
    let absolute = format!("{}{redirect}", sandbox.endpoint.root());
    assert_eq!(client().get(&absolute).send().await.unwrap().status(), 404);
    let err = publisher::parse_redirect(&absolute, "s1", REDIRECT).unwrap_err();
    assert_eq!(
        err,
        PublisherError::NoRedirectUrl {
            redirect_url: REDIRECT.to_owned()
        }
    );
}

#[tokio::test]
async fn clock_offset_moves_the_date_header_and_the_totp_window() {
    let sandbox = start("clock", &["--clock-offset", "-75"]);
    let page = client()
        .get(publisher::login_url(
            &sandbox.endpoint,
            "publisher-key",
            "s",
        ))
        .send()
        .await
        .unwrap();
    let date = page.headers()["date"].to_str().unwrap().to_owned();
    let now_ms = now_secs() as f64 * 1000.0;
    let offset = totp::clock_offset_secs(now_ms, &date).unwrap();
    assert!((-77..=-73).contains(&offset), "offset {offset} from {date}");

    let mine = submit(
        &sandbox,
        "publisher-key",
        "s",
        ["P111111", "1234", &code_at(now_secs())],
    )
    .await;
    assert_eq!(
        mine.status(),
        200,
        "the device's own code is 75 s ahead of the sandbox"
    );
    let theirs = code_at(now_secs() - 75);
    let corrected = submit(&sandbox, "publisher-key", "s", ["P111111", "1234", &theirs]).await;
    assert_eq!(corrected.status(), 302);
}

#[tokio::test]
async fn expire_ends_every_session() {
    let sandbox = start("expire", &[]);
    let reply = submit(
        &sandbox,
        "publisher-key",
        "s",
        ["P111111", "1234", &code_at(now_secs())],
    )
    .await;
    let tokens = publisher::parse_redirect(&location(&reply), "s", REDIRECT).unwrap();
    let profile = smartapi::profile(&sandbox.endpoint, "publisher-key", &tokens.auth_token);
    let ask = || async {
        client()
            .get(&profile.url)
            .headers(header_map(&profile.headers))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    assert_eq!(ask().await["status"], json!(true));

    let expire = format!("{}/sandbox/expire", sandbox.endpoint.root());
    let ended: Value = client()
        .post(&expire)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ended, json!({ "expired": 1 }));
    let after = ask().await;
    assert_eq!(after["errorCode"], json!("AG8001"), "{after}");
}
