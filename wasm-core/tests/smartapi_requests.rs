//! Request builders: routes, every header of the reference's section 3, exact bodies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use halo_core::smartapi::wire::{LoginBody, LtpBody, PlaceOrderBody};
use halo_core::smartapi::{self, Endpoint, HttpRequest, Method};
use serde_json::{Value, json};

const API_KEY: &str = "AbCd1234";
const JWT: &str = "eyJmade.up.jwt";

fn sandbox() -> Endpoint {
    Endpoint::parse("http://127.0.0.1:8765").unwrap()
}

fn assert_common_headers(request: &HttpRequest) {
    let expected = [
        ("Content-Type", "application/json"),
        ("Accept", "application/json"),
        ("X-UserType", "USER"),
        ("X-SourceID", "WEB"),
        ("X-ClientLocalIP", "127.0.0.1"),
        ("X-ClientPublicIP", "127.0.0.1"),
        ("X-MACAddress", "00:00:00:00:00:00"),
        ("X-PrivateKey", API_KEY),
    ];
    for (name, value) in expected {
        assert_eq!(
            request.header(name),
            Some(value),
            "{name} on {}",
            request.url
        );
    }
}

fn body_json(request: &HttpRequest) -> Value {
    serde_json::from_str(request.body.as_deref().expect("a POST body")).unwrap()
}

#[test]
fn case_a1_login_body_is_exact_and_unauthenticated() {
    let request = smartapi::login(&Endpoint::angel(), API_KEY, "Z999999", "1234", "005924");
    assert_eq!(request.method, Method::Post);
    assert_eq!(
        request.url,
        "https://apiconnect.angelone.in/rest/auth/angelbroking/user/v1/loginByPassword"
    );
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"clientcode":"Z999999","password":"1234","totp":"005924"}"#)
    );
    assert_common_headers(&request);
    assert_eq!(request.header("Authorization"), None);
    assert_eq!(request.headers.len(), 8);

    // The sandbox reads the same body back with the shared wire type.
    let read: LoginBody = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        (read.clientcode.as_str(), read.password.as_str()),
        ("Z999999", "1234")
    );
}

#[test]
fn case_a4_api_key_is_sent_trimmed() {
    let request = smartapi::profile(&Endpoint::angel(), " AbCd1234 ", JWT);
    assert_eq!(request.header("X-PrivateKey"), Some("AbCd1234"));
}

#[test]
fn authenticated_calls_carry_bearer_and_every_header() {
    let ep = sandbox();
    let order = PlaceOrderBody {
        tradingsymbol: "SBIN-EQ".into(),
        ..Default::default()
    };
    let requests = [
        smartapi::profile(&ep, API_KEY, JWT),
        smartapi::generate_tokens(&ep, API_KEY, JWT, "refresh-made-up"),
        smartapi::logout(&ep, API_KEY, JWT, "Z999999"),
        smartapi::ltp(&ep, API_KEY, JWT, "NSE", "RELIANCE-EQ", "2885"),
        smartapi::place_order(&ep, API_KEY, JWT, &order),
        smartapi::order_book(&ep, API_KEY, JWT),
        smartapi::order_details(&ep, API_KEY, JWT, "7d0a6a3e-2f5b-4d6e-9c1a-3b2f8e9d4c11"),
    ];
    for request in &requests {
        assert_common_headers(request);
        assert_eq!(
            request.header("authorization"),
            Some("Bearer eyJmade.up.jwt")
        );
        assert!(
            request.url.starts_with("http://127.0.0.1:8765/rest/"),
            "{}",
            request.url
        );
        assert_eq!(
            request.body.is_some(),
            request.method == Method::Post,
            "{}",
            request.url
        );
    }
}

#[test]
fn routes_and_bodies() {
    let ep = Endpoint::angel();
    let root = "https://apiconnect.angelone.in";

    let profile = smartapi::profile(&ep, API_KEY, JWT);
    assert_eq!(profile.method, Method::Get);
    assert_eq!(
        profile.url,
        format!("{root}/rest/secure/angelbroking/user/v1/getProfile")
    );

    let refresh = smartapi::generate_tokens(&ep, API_KEY, JWT, "refresh-made-up");
    assert_eq!(
        refresh.url,
        format!("{root}/rest/auth/angelbroking/jwt/v1/generateTokens")
    );
    assert_eq!(
        body_json(&refresh),
        json!({"refreshToken": "refresh-made-up"})
    );

    let logout = smartapi::logout(&ep, API_KEY, JWT, "Z999999");
    assert_eq!(
        logout.url,
        format!("{root}/rest/secure/angelbroking/user/v1/logout")
    );
    assert_eq!(body_json(&logout), json!({"clientcode": "Z999999"}));

    let ltp = smartapi::ltp(&ep, API_KEY, JWT, "NSE", "RELIANCE-EQ", "2885");
    assert_eq!(
        ltp.url,
        format!("{root}/rest/secure/angelbroking/order/v1/getLtpData")
    );
    let read: LtpBody = serde_json::from_value(body_json(&ltp)).unwrap();
    assert_eq!(read.symboltoken, "2885");
    assert_eq!(read.tradingsymbol, "RELIANCE-EQ");

    let book = smartapi::order_book(&ep, API_KEY, JWT);
    assert_eq!(
        book.url,
        format!("{root}/rest/secure/angelbroking/order/v1/getOrderBook")
    );
    assert_eq!(book.method, Method::Get);
}

#[test]
fn place_order_sends_every_field_as_a_string() {
    let order = PlaceOrderBody {
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
    let request = smartapi::place_order(&Endpoint::angel(), API_KEY, JWT, &order);
    assert_eq!(
        request.url,
        "https://apiconnect.angelone.in/rest/secure/angelbroking/order/v1/placeOrder"
    );
    let sent = body_json(&request);
    assert_eq!(sent["price"], "2945.50");
    assert_eq!(sent["quantity"], "1");
    assert_eq!(sent.as_object().unwrap().len(), 14);
    assert_eq!(
        serde_json::from_value::<PlaceOrderBody>(sent).unwrap(),
        order
    );
}

#[test]
fn order_details_uses_the_unique_id_and_cannot_escape_the_path() {
    let ep = Endpoint::angel();
    let details =
        smartapi::order_details(&ep, API_KEY, JWT, "7d0a6a3e-2f5b-4d6e-9c1a-3b2f8e9d4c11");
    assert_eq!(
        details.url,
        "https://apiconnect.angelone.in/rest/secure/angelbroking/order/v1/details/\
         7d0a6a3e-2f5b-4d6e-9c1a-3b2f8e9d4c11"
    );
    let hostile = smartapi::order_details(&ep, API_KEY, JWT, "../../user/v1/logout?x=1");
    assert!(
        hostile
            .url
            .ends_with("/details/..%2F..%2Fuser%2Fv1%2Flogout%3Fx%3D1"),
        "{}",
        hostile.url
    );
}

#[test]
fn no_jwt_means_no_authorization_header() {
    let request = smartapi::order_book(&Endpoint::angel(), API_KEY, "  ");
    assert_eq!(request.header("Authorization"), None);
}

#[test]
fn debug_output_hides_key_token_and_body() {
    let login = smartapi::login(&Endpoint::angel(), API_KEY, "Z999999", "4321", "005924");
    let profile = smartapi::profile(&Endpoint::angel(), API_KEY, JWT);
    let shown = format!("{login:?} {profile:?}");
    for secret in [API_KEY, JWT, "4321", "005924"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(
        shown.contains("X-PrivateKey") && shown.contains("loginByPassword"),
        "{shown}"
    );
}
