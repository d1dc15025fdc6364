//! SmartAPI paths under the API root, as Angel's SDKs spell them. The sandbox mounts the same.

/// POST: log in with client code, MPIN and TOTP.
pub const LOGIN: &str = "/rest/auth/angelbroking/user/v1/loginByPassword";
/// POST: exchange a refresh token for a new JWT.
pub const GENERATE_TOKENS: &str = "/rest/auth/angelbroking/jwt/v1/generateTokens";
/// GET: the logged-in user's profile.
pub const PROFILE: &str = "/rest/secure/angelbroking/user/v1/getProfile";
/// POST: end the session.
pub const LOGOUT: &str = "/rest/secure/angelbroking/user/v1/logout";
/// POST: last traded price of one instrument.
pub const LTP: &str = "/rest/secure/angelbroking/order/v1/getLtpData";
/// POST: place an order.
pub const PLACE_ORDER: &str = "/rest/secure/angelbroking/order/v1/placeOrder";
/// GET: the day's orders.
pub const ORDER_BOOK: &str = "/rest/secure/angelbroking/order/v1/getOrderBook";
/// GET: one order, by `uniqueorderid` appended to this prefix.
pub const ORDER_DETAILS_PREFIX: &str = "/rest/secure/angelbroking/order/v1/details/";
/// POST: change an open order's price, quantity or trigger.
pub const MODIFY_ORDER: &str = "/rest/secure/angelbroking/order/v1/modifyOrder";
/// POST: cancel an open order.
pub const CANCEL_ORDER: &str = "/rest/secure/angelbroking/order/v1/cancelOrder";
/// GET: the day's positions.
pub const POSITIONS: &str = "/rest/secure/angelbroking/order/v1/getPosition";
