//! Angel One's wire shapes: request bodies and response `data` objects, field for field.
//!
//! Names here are Angel's own (`symboltoken`, `tradingsymbol`), so a struct can be checked
//! against the documentation by eye. Angel sends many numbers as JSON strings (`"194.00"`,
//! `"1"`) and some as numbers; every numeric field accepts both. Structs that carry a secret
//! (MPIN, TOTP, tokens) redact it from `Debug`.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use zeroize::Zeroizing;

/// Body of `loginByPassword`. Field order is the order Angel's SDKs send (case A1).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginBody {
    /// Angel One client code, e.g. `Z999999`.
    pub clientcode: String,
    /// The 4-digit trading MPIN (Angel calls the field `password`).
    pub password: Zeroizing<String>,
    /// The current 6-digit TOTP, as a fixed-width string.
    pub totp: Zeroizing<String>,
}

impl fmt::Debug for LoginBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginBody")
            .field("clientcode", &self.clientcode)
            .field("password", &"<redacted>")
            .field("totp", &"<redacted>")
            .finish()
    }
}

/// The tokens a login or a refresh returns (`data` of `loginByPassword` and
/// `generateTokens`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenSet {
    /// Sent as `Authorization: Bearer <jwt>` on every authenticated call.
    #[serde(rename = "jwtToken")]
    pub jwt_token: Zeroizing<String>,
    /// Exchanged for a new JWT through `generateTokens`.
    #[serde(rename = "refreshToken")]
    pub refresh_token: Zeroizing<String>,
    /// Authenticates the market-data WebSocket.
    #[serde(rename = "feedToken", default)]
    pub feed_token: Zeroizing<String>,
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("jwt_token", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .field("feed_token", &"<redacted>")
            .finish()
    }
}

/// `data` of `getProfile`: who is logged in and what they may trade.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Angel One client code.
    pub clientcode: String,
    /// The account holder's name as Angel spells it.
    pub name: String,
    /// Registered e-mail (often empty in API replies).
    pub email: String,
    /// Registered mobile number (often empty in API replies).
    pub mobileno: String,
    /// Exchanges enabled for the account, e.g. `NSE`, `NFO`.
    pub exchanges: Vec<String>,
    /// Products enabled for the account, e.g. `DELIVERY`, `INTRADAY`.
    pub products: Vec<String>,
    /// Last login time as Angel formats it; opaque.
    pub lastlogintime: String,
    /// Broker id, `B2C` for retail accounts.
    pub brokerid: String,
}

/// Body of `getLtpData`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LtpBody {
    /// Exchange segment, e.g. `NSE`.
    pub exchange: String,
    /// Angel's trading symbol, e.g. `RELIANCE-EQ`.
    pub tradingsymbol: String,
    /// Angel's instrument token, e.g. `2885`.
    pub symboltoken: String,
}

/// `data` of `getLtpData`: last traded price and the day's range, in rupees.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LtpData {
    /// Exchange segment.
    pub exchange: String,
    /// Angel's trading symbol.
    pub tradingsymbol: String,
    /// Angel's instrument token.
    pub symboltoken: String,
    /// Day's open, rupees.
    #[serde(deserialize_with = "lenient::f64")]
    pub open: f64,
    /// Day's high, rupees.
    #[serde(deserialize_with = "lenient::f64")]
    pub high: f64,
    /// Day's low, rupees.
    #[serde(deserialize_with = "lenient::f64")]
    pub low: f64,
    /// Previous close, rupees.
    #[serde(deserialize_with = "lenient::f64")]
    pub close: f64,
    /// Last traded price, rupees.
    #[serde(deserialize_with = "lenient::f64")]
    pub ltp: f64,
}

/// Body of `placeOrder`. Every value is a string, as the official SDKs send them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaceOrderBody {
    /// `NORMAL`, `STOPLOSS` or `ROBO`.
    pub variety: String,
    /// Angel's trading symbol, e.g. `SBIN-EQ`.
    pub tradingsymbol: String,
    /// Angel's instrument token, e.g. `3045`.
    pub symboltoken: String,
    /// `BUY` or `SELL`.
    pub transactiontype: String,
    /// Exchange segment, e.g. `NSE`.
    pub exchange: String,
    /// `MARKET`, `LIMIT`, `STOPLOSS_LIMIT` or `STOPLOSS_MARKET`.
    pub ordertype: String,
    /// `DELIVERY`, `INTRADAY`, `MARGIN` or `CARRYFORWARD`.
    pub producttype: String,
    /// `DAY` or `IOC`.
    pub duration: String,
    /// Limit price in rupees with two decimals, `"0"` for market orders.
    pub price: String,
    /// Trigger price in rupees for stop-loss orders, else `"0"`.
    pub triggerprice: String,
    /// ROBO only; `"0"` otherwise.
    pub squareoff: String,
    /// ROBO only; `"0"` otherwise.
    pub stoploss: String,
    /// Shares for cash, units (lots times lot size) for derivatives.
    pub quantity: String,
    /// Caller's tag for finding the order again; Angel refuses 20 characters or more.
    pub ordertag: String,
}

/// Body of `modifyOrder`: the order's identity plus its new terms, every value a string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModifyOrderBody {
    /// The order's variety, unchanged.
    pub variety: String,
    /// Angel's order id.
    pub orderid: String,
    /// `LIMIT`, `STOPLOSS_LIMIT`, ...
    pub ordertype: String,
    /// The order's product, unchanged.
    pub producttype: String,
    /// `DAY` or `IOC`.
    pub duration: String,
    /// New limit price in rupees, `"0"` for market types.
    pub price: String,
    /// New quantity in shares or units.
    pub quantity: String,
    /// Angel's trading symbol.
    pub tradingsymbol: String,
    /// Angel's instrument token.
    pub symboltoken: String,
    /// Exchange segment.
    pub exchange: String,
    /// New trigger price in rupees for stop-loss types, else `"0"`.
    pub triggerprice: String,
}

/// Body of `cancelOrder`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancelOrderBody {
    /// The order's variety.
    pub variety: String,
    /// Angel's order id.
    pub orderid: String,
}

/// One row of `getPosition`: what the day's trades left open or closed in one instrument.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PositionRow {
    /// Exchange segment.
    pub exchange: String,
    /// Angel's instrument token.
    pub symboltoken: String,
    /// Angel's trading symbol.
    pub tradingsymbol: String,
    /// `DELIVERY`, `INTRADAY`, `CARRYFORWARD`, ...
    pub producttype: String,
    /// Units bought today.
    #[serde(deserialize_with = "lenient::f64")]
    pub buyqty: f64,
    /// Units sold today.
    #[serde(deserialize_with = "lenient::f64")]
    pub sellqty: f64,
    /// Net units held: bought minus sold, negative when short.
    #[serde(deserialize_with = "lenient::f64")]
    pub netqty: f64,
    /// Average buy price, rupees.
    #[serde(deserialize_with = "lenient::f64")]
    pub buyavgprice: f64,
    /// Average sell price, rupees.
    #[serde(deserialize_with = "lenient::f64")]
    pub sellavgprice: f64,
    /// Net value, rupees (negative when money went out).
    #[serde(deserialize_with = "lenient::f64")]
    pub netvalue: f64,
    /// Lot size of the instrument.
    #[serde(deserialize_with = "lenient::f64")]
    pub lotsize: f64,
}

/// `data` of `placeOrder`. Acceptance only: the exchange's verdict shows in the order book.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaceOrderData {
    /// The trading symbol Angel understood.
    pub script: String,
    /// Angel's 15-digit order number.
    pub orderid: String,
    /// UUID-style id used by the order-details route.
    pub uniqueorderid: String,
}

/// One row of `getOrderBook` (also the `data` of the order-details route).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderBookRow {
    /// Angel's order number.
    pub orderid: String,
    /// UUID-style id used by the order-details route.
    pub uniqueorderid: String,
    /// The tag sent with the order; how Halo recognises its own orders.
    pub ordertag: String,
    /// `NORMAL`, `STOPLOSS`, `ROBO`.
    pub variety: String,
    /// Angel's trading symbol.
    pub tradingsymbol: String,
    /// Angel's instrument token.
    pub symboltoken: String,
    /// Exchange segment.
    pub exchange: String,
    /// `BUY` or `SELL`.
    pub transactiontype: String,
    /// `MARKET`, `LIMIT`, ...
    pub ordertype: String,
    /// `DELIVERY`, `INTRADAY`, ...
    pub producttype: String,
    /// `DAY` or `IOC`.
    pub duration: String,
    /// Limit price, rupees.
    #[serde(deserialize_with = "lenient::f64")]
    pub price: f64,
    /// Trigger price, rupees.
    #[serde(deserialize_with = "lenient::f64")]
    pub triggerprice: f64,
    /// Ordered quantity in shares or units. Angel sends it as a string.
    #[serde(
        deserialize_with = "lenient::u64",
        serialize_with = "lenient::u64_as_string"
    )]
    pub quantity: u64,
    /// Quantity filled so far.
    #[serde(
        deserialize_with = "lenient::u64",
        serialize_with = "lenient::u64_as_string"
    )]
    pub filledshares: u64,
    /// Quantity still open.
    #[serde(
        deserialize_with = "lenient::u64",
        serialize_with = "lenient::u64_as_string"
    )]
    pub unfilledshares: u64,
    /// Average fill price, rupees; 0 when nothing filled.
    #[serde(deserialize_with = "lenient::f64")]
    pub averageprice: f64,
    /// Lot size of the instrument.
    #[serde(
        deserialize_with = "lenient::u64",
        serialize_with = "lenient::u64_as_string"
    )]
    pub lotsize: u64,
    /// Angel's status, lower case: `open`, `complete`, `rejected`, `cancelled`, ...
    pub status: String,
    /// Same value as `status` in every sample seen.
    pub orderstatus: String,
    /// Why an order was rejected, in the exchange's or RMS's words.
    pub text: String,
    /// Last update, `DD-Mon-YYYY HH:MM:SS` IST.
    pub updatetime: String,
    /// Exchange's order number once the exchange has it.
    pub exchangeorderid: String,
}

/// A success envelope around `data`, as Angel sends it.
pub fn ok_envelope(data: Value) -> Value {
    json!({ "status": true, "message": "SUCCESS", "errorcode": "", "data": data })
}

/// A business-error envelope (`status: false`), as Angel sends for AB1007 or AB1050.
pub fn error_envelope(code: &str, message: &str) -> Value {
    json!({ "status": false, "message": message, "errorcode": code, "data": null })
}

/// A gateway-error envelope (`success: false`, camelCase `errorCode`), as Angel's gateway
/// sends for token and API-key failures such as AG8001.
pub fn gateway_error(code: &str, message: &str) -> Value {
    json!({ "success": false, "message": message, "errorCode": code, "data": "" })
}

/// Deserializers for numbers Angel sends either as JSON numbers or as strings.
///
/// An empty string or `null` reads as zero: Angel uses both for "no value yet" (an unfilled
/// order's `averageprice`), and a display field is better zero than a failed order book.
pub mod lenient {
    use serde::de::{self, Deserializer, Unexpected};
    use serde::{Deserialize, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrText {
        Num(serde_json::Number),
        Text(String),
        Null(()),
    }

    /// Reads a float from a number, a numeric string, `""` or `null`.
    pub fn f64<'de, D: Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
        match NumOrText::deserialize(de)? {
            NumOrText::Num(n) => n
                .as_f64()
                .ok_or_else(|| de::Error::custom("a number out of range")),
            NumOrText::Text(s) if s.trim().is_empty() => Ok(0.0),
            NumOrText::Text(s) => match s.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(de::Error::invalid_value(
                    Unexpected::Other("text"),
                    &"a number",
                )),
            },
            NumOrText::Null(()) => Ok(0.0),
        }
    }

    /// Reads a whole count from a number, a numeric string (`"65"`, `"65.0"`), `""` or
    /// `null`; refuses negatives and fractions.
    pub fn u64<'de, D: Deserializer<'de>>(de: D) -> Result<u64, D::Error> {
        let value = f64(de)?;
        let whole = value >= 0.0 && value.fract() == 0.0 && value < 2f64.powi(53);
        if !whole {
            return Err(de::Error::invalid_value(
                Unexpected::Other("number"),
                &"a count",
            ));
        }
        // Checked above: a non-negative whole number below 2^53 converts exactly.
        Ok(value as u64)
    }

    /// Writes a count as a JSON string, the way Angel sends quantities.
    pub fn u64_as_string<S: Serializer>(value: &u64, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(&value.to_string())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lenient_numbers_accept_strings_numbers_and_blanks() {
        let row: LtpData =
            serde_json::from_str(r#"{"ltp":"2945.50","open":2931,"close":"","high":null}"#)
                .unwrap();
        assert_eq!(row.ltp, 2945.5);
        assert_eq!(row.open, 2931.0);
        assert_eq!(row.close, 0.0);
        assert_eq!(row.high, 0.0);
    }

    #[test]
    fn lenient_counts_refuse_fractions_and_text() {
        let ok: OrderBookRow = serde_json::from_str(r#"{"quantity":"65.0"}"#).unwrap();
        assert_eq!(ok.quantity, 65);
        assert!(serde_json::from_str::<OrderBookRow>(r#"{"quantity":"1.5"}"#).is_err());
        assert!(serde_json::from_str::<OrderBookRow>(r#"{"quantity":"-1"}"#).is_err());
        assert!(serde_json::from_str::<OrderBookRow>(r#"{"quantity":"many"}"#).is_err());
    }

    #[test]
    fn order_book_row_writes_quantity_as_text_like_angel() {
        let row = OrderBookRow {
            quantity: 325,
            price: 112.35,
            ..Default::default()
        };
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(json["quantity"], "325");
        assert_eq!(json["price"], 112.35);
    }

    #[test]
    fn debug_never_shows_tokens_or_mpin() {
        let tokens = TokenSet {
            jwt_token: Zeroizing::new("jwt-secret-value".into()),
            refresh_token: Zeroizing::new("refresh-secret-value".into()),
            feed_token: Zeroizing::new("feed-secret-value".into()),
        };
        let login = LoginBody {
            clientcode: "Z999999".into(),
            password: Zeroizing::new("4321".into()),
            totp: Zeroizing::new("005924".into()),
        };
        let shown = format!("{tokens:?} {login:?}");
        for secret in [
            "jwt-secret-value",
            "refresh-secret-value",
            "feed-secret",
            "4321",
            "005924",
        ] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("Z999999"));
    }

    #[test]
    fn envelopes_have_angels_shapes() {
        assert_eq!(
            error_envelope("AB1050", "Invalid totp"),
            json!({"status":false,"message":"Invalid totp","errorcode":"AB1050","data":null})
        );
        assert_eq!(
            gateway_error("AG8001", "Invalid Token")["errorCode"],
            "AG8001"
        );
        assert_eq!(gateway_error("AG8001", "Invalid Token")["success"], false);
        assert_eq!(ok_envelope(json!([1]))["status"], true);
    }
}
